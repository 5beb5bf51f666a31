//! 记录人: who on this device makes its writes. Each name is kept in the small settings; the
//! current one signs every write (`storage::set_author`, `sync::merge::sign`) and travels with
//! it in files, so a record's page can say who changed what. Picked in settings, or on the lock
//! screen where several people share the device.

use leptos::prelude::*;

use crate::ui::settings::Settings;

/// The longest name kept (a file's name is shown at most this long too).
const MAX: usize = 20;

/// At start: the writes made from now on carry the stored name.
pub fn apply() {
    crate::storage::set_author(&Settings::load().author);
}

/// Makes `name` the 记录人 (added to the device's names if new); empty: nobody named.
pub fn choose(name: &str) -> Result<(), String> {
    let name: String = name.trim().chars().filter(|c| !c.is_control()).take(MAX).collect();
    let mut s = Settings::load();
    if !name.is_empty() && !s.authors.contains(&name) {
        s.authors.push(name.clone());
    }
    s.author = name;
    s.save()?;
    crate::storage::set_author(&s.author);
    Ok(())
}

/// The choice of 记录人 among the device's names: on the lock screen (`compact`: only where
/// two or more share the device) and in settings (with a new name added there). `picked`
/// hears each new choice.
#[component]
pub fn AuthorPick(#[prop(optional)] compact: bool, #[prop(optional)] picked: Option<Callback<String>>) -> impl IntoView {
    let settings = Settings::load();
    let names = RwSignal::new(settings.authors.clone());
    let current = RwSignal::new(settings.author.clone());
    let typed = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let pick = move |name: String| match choose(&name) {
        Ok(()) => {
            let s = Settings::load();
            names.set(s.authors);
            current.set(s.author.clone());
            typed.set(String::new());
            message.set(None);
            if let Some(p) = picked {
                p.run(s.author);
            }
        }
        Err(e) => message.set(Some(e)),
    };
    let select = move || {
        view! {
            <label class="field">
                <span class="field-label">{if compact { "现在是谁在用（不是请改选）" } else { "现在谁在用本机" }}</span>
                <select name="author" data-test="author" on:change=move |ev| pick(event_target_value(&ev))>
                    {(!compact).then(|| view! { <option value="" selected=move || current.get().is_empty()>"（未填）"</option> })}
                    {move || names.get().into_iter().map(|n| {
                        let selected = current.get() == n;
                        view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    };
    if compact {
        return (names.get_untracked().len() >= 2).then(select).into_any();
    }
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pick(typed.get_untracked());
    };
    view! {
        <section class="author-settings" data-test="author-settings">
            <h2>"记录人"</h2>
            <p class="muted">"每次保存都会记下是谁新建或修改的，随导出的文件交给县里。几人共用本机时，换人时在这里选自己的名字；设了本机密码的，解锁时选。"</p>
            {select}
            <form class="form" on:submit=add>
                <label class="field">
                    <span class="field-label">"添加记录人"</span>
                    <input type="text" name="new-author" autocomplete="off" maxlength="20" placeholder="姓名"
                        prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                </label>
                <div class="form-actions"><button type="submit" class="button">"添加"</button></div>
            </form>
            {move || message.get().map(|m| view! { <p class="error">{m}</p> })}
        </section>
    }
    .into_any()
}
