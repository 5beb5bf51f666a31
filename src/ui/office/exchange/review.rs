//! 待核对: records a file brought in under a relaxed rule (`sync::review`), each with what is
//! wrong in its form's words and one tap to that form. Saving the form clears it.

use leptos::prelude::*;

use crate::sync::display_name;
use crate::sync::review::form_href;
use crate::ui::data;
use crate::ui::shell::router::A;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let list = data::reread(data::review);
    view! {
        <section class="page">
            <h1>"待核对"</h1>
            <p class="muted">"这些记录是从其他单位的文件导入的，有的内容本机的表格不会接受（例如身份证号校验位不对、电话号码格式不对、日期晚于今天，或关联的人员还不在本机）。为了不丢掉整个文件，先照原样保存了。请逐条核对后在表格里改正，保存后就会从这里消失。"</p>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Ok(items) if items.is_empty() => view! {
                    <p class="muted" data-test="review-none">"没有需要核对的记录。"</p>
                }.into_any(),
                Ok(items) => view! {
                    <p data-test="review-count">{format!("共 {} 条", items.len())}</p>
                    <ul class="list" data-test="review-list">
                        {items.into_iter().map(|(kind, doc, concerns)| {
                            let (href, name) = (form_href(kind, &doc), format!("{}「{}」", kind.label(), display_name(&doc)));
                            view! {
                            <li class="row" data-test="review-item">
                                // One link, the whole width: a button beside it left the name a
                                // column too narrow at 大字 on a phone.
                                <A href=href attr:class="row-main">
                                    <span class="name">{name}</span>
                                    {concerns.into_iter().map(|c| view! {
                                        <span class="meta error">{format!("{}：{}", c.label, c.message)}</span>
                                    }).collect_view()}
                                    <span class="go">"去改正 ›"</span>
                                </A>
                            </li>
                        }}).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}
