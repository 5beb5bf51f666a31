//! One payment or service, read-only: 修改 opens the form; 删除 sits apart and asks once.

use leptos::prelude::*;

use crate::domain::{Benefit, Person};
use crate::ui::data;
use crate::ui::form::{delete_and_leave, view_page, RecordPage};
use crate::ui::shell::router::{back_or, use_query_map, with_query, A};
use crate::ui::widgets::{app_state, fact};

#[component]
pub fn BenefitView() -> impl IntoView {
    view_page::<Benefit>(|r| view! { <Shown record=r/> }.into_any())
}

#[component]
fn Shown(record: crate::domain::Record<Benefit>) -> impl IntoView {
    let state = app_state();
    let people = data::resource::<Person>();
    let back = use_query_map().with_untracked(|q| back_or(q, "/log"));
    let id = record.id.clone();
    let edit = with_query(&format!("/benefits/{id}/edit"), &[("back", back.clone())]);
    let history = crate::ui::form::history_of(crate::sync::SyncKind::Benefit, &record);
    let b = record.body;
    let person = b.person.clone();
    let who = move || {
        let name = people
            .with(|r| {
                r.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .and_then(|v| v.iter().find(|x| x.id == person))
                    .map(|x| x.body.name.clone())
            })
            .unwrap_or_else(|| "（未在本机的人员）".into());
        view! { <A href=format!("/people/{person}")>{name}</A> }
    };
    let delete = {
        let back = back.clone();
        move |()| delete_and_leave::<Benefit>(state, id.clone(), |b| b.kind.label().to_owned(), back.clone())
    };
    view! {
        <RecordPage title=b.kind.label().to_owned() edit=edit what="这条发放记录" on_delete=delete back=back.clone()>
            <dl class="facts">
                <dt>"发放对象"</dt><dd>{who}</dd>
                <dt>"日期"</dt><dd>{b.date.to_string()}</dd>
                {b.kind.needs_amount().then(|| view! { <dt>"金额"</dt><dd>{format!("¥{}", b.amount)}</dd> })}
                {fact("备注", b.notes.clone())}
            </dl>
            {history}
        </RecordPage>
    }
}
