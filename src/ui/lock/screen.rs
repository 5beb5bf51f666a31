//! The lock screen: the PIN, growing waits after wrong ones (counted in the stored row, so a
//! reload does not reset them), the recovery code, and a new PIN after it.

use std::time::Duration;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::keys;
use super::settings::NewSecret;
use crate::domain::lock::{wait_text, LockRow};
use crate::storage::web;
use crate::ui::state::{app_state, gate};

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Pin,
    Recovery,
    /// The recovery code opened the key (held in `super::KEY`); a new PIN comes next.
    NewPin,
}

/// What one guess came to.
enum Guess {
    Right(keys::DataKey, LockRow),
    Wrong(LockRow),
    /// No lock any more (removed in another tab).
    Gone,
}

/// A guess at the PIN of `who` (their own, or the device's), or at the recovery code.
async fn guess(secret: String, recovery: bool, who: &str) -> Result<Guess, String> {
    let Some(mut row) = super::stored().await? else { return Ok(Guess::Gone) };
    let now = web::now_ms();
    if let Some(ms) = row.waiting(now) {
        return Err(format!("输错次数较多，请{}后再试", wait_text(ms)));
    }
    row.guessed(now);
    super::store(&row).await?;
    match keys::open(&row, &secret, recovery, who).await? {
        Some(key) => {
            row.opened();
            super::store(&row).await?;
            Ok(Guess::Right(key, row))
        }
        None => Ok(Guess::Wrong(row)),
    }
}

#[component]
pub fn LockPage() -> impl IntoView {
    let state = app_state();
    let mode = RwSignal::new(Mode::Pin);
    let row = RwSignal::new(None::<LockRow>);
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let secret = RwSignal::new(String::new());
    let now = RwSignal::new(web::now_ms());
    // Who is unlocking: their own PIN where they set one.
    let who = RwSignal::new(crate::ui::settings::Settings::load().author);
    super::forget(state);
    spawn_local(async move {
        match super::stored().await {
            Ok(Some(r)) => row.set(Some(r)),
            Ok(None) => super::set_gate(state, gate::OPEN),
            Err(e) => message.set(Some(e)),
        }
    });
    // The countdown of a wait; cleared with the page.
    if let Ok(tick) = set_interval_with_handle(move || now.set(web::now_ms()), Duration::from_secs(1)) {
        on_cleanup(move || tick.clear());
    }
    // The shell's navigation and lines step aside (style/main.css) while this page stands.
    let shell_class = |on: bool| {
        if let Some(root) = document().document_element() {
            let _ = root.class_list().toggle_with_force("locked", on);
        }
    };
    shell_class(true);
    on_cleanup(move || shell_class(false));
    let waiting = move || row.with(|r| r.as_ref().and_then(|r| r.waiting(now.get())));

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let recovery = mode.get_untracked() == Mode::Recovery;
        let typed = secret.get_untracked();
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            let result = guess(typed, recovery, &who.get_untracked()).await;
            busy.set(false);
            match result {
                Ok(Guess::Right(key, r)) if recovery => {
                    super::KEY.with(|k| *k.borrow_mut() = Some(key));
                    row.set(Some(r));
                    mode.set(Mode::NewPin);
                }
                Ok(Guess::Right(key, r)) => {
                    if let Err(e) = super::open(state, key, &r) {
                        message.set(Some(e));
                    }
                }
                Ok(Guess::Wrong(r)) => {
                    let what = if recovery { "恢复码不对" } else { "密码不对" };
                    let wait = r
                        .waiting(web::now_ms())
                        .map(|ms| format!("请等{}再试，再输错要等更久。", wait_text(ms)))
                        .unwrap_or_default();
                    message.set(Some(format!("{what}，已连续输错 {} 次。{wait}", r.fails)));
                    now.set(web::now_ms());
                    row.set(Some(r));
                    secret.set(String::new());
                }
                Ok(Guess::Gone) => super::set_gate(state, gate::OPEN),
                Err(e) => message.set(Some(e)),
            }
        });
    };
    let new_pin = Callback::new(move |typed: String| {
        busy.set(true);
        spawn_local(async move {
            let Some(r) = row.get_untracked() else { return };
            let made = match super::held_key() {
                Some(key) => keys::rewrap(&r, &key, &typed).await.map(|r| (r, key)),
                None => Err("恢复码需要重新输入".to_owned()),
            };
            let stored = match made {
                Ok((r, key)) => super::store(&r).await.map(|()| (r, key)),
                Err(e) => Err(e),
            };
            busy.set(false);
            match stored {
                Ok((r, key)) => match super::open(state, key, &r) {
                    Ok(()) => state.say("新密码已设置"),
                    Err(e) => message.set(Some(e)),
                },
                Err(e) => message.set(Some(e)),
            }
        });
    });
    let switch = move |to: Mode| {
        move |_| {
            mode.set(to);
            secret.set(String::new());
            message.set(None);
        }
    };
    // The PIN asked for: the one of who is unlocking, if they set their own.
    let own = move || row.with(|r| r.as_ref().and_then(|r| r.own_pin(&who.get()).map(|o| o.phrase)));
    let phrase = move || own().unwrap_or_else(|| row.with(|r| r.as_ref().is_some_and(|r| r.phrase)));

    view! {
        <section class="page lock-page" data-test="lock">
            <h1>"桑榆已锁定"</h1>
            <Show when=move || mode.get() != Mode::NewPin>
                <form class="form" on:submit=submit>
                    <crate::ui::author::AuthorPick compact=true picked=Callback::new(move |n: String| {
                        who.set(n);
                        secret.set(String::new());
                    })/>
                    <label class="field">
                        <span class="field-label">{move || match (mode.get(), phrase(), own().is_some()) {
                            (Mode::Recovery, ..) => "恢复码（设置密码时抄在纸上的20位字母和数字）".to_owned(),
                            (_, true, true) => format!("{}自己的长密码", who.get()),
                            (_, false, true) => format!("{}自己的6位数字密码", who.get()),
                            (_, true, false) => "桑榆的长密码".to_owned(),
                            (_, false, false) => "桑榆的6位数字密码".to_owned(),
                        }}</span>
                        <input type=move || if mode.get() == Mode::Recovery { "text" } else { "password" }
                            name="secret" autocomplete="off" autocapitalize="characters" autofocus=true
                            inputmode=move || if mode.get() == Mode::Pin && !phrase() { "numeric" } else { "text" }
                            prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev))/>
                    </label>
                    {move || message.get().map(|m| view! { <p class="error" role="alert" data-test="lock-message">{m}</p> })}
                    {move || (message.with(Option::is_none)).then(waiting).flatten().map(|ms| view! {
                        <p class="error" role="status">{format!("刚才输错次数较多，{}后才能再试。", wait_text(ms))}</p>
                    })}
                    <div class="form-actions">
                        <button type="submit" class="button primary" disabled=move || busy.get() || waiting().is_some()>
                            {move || match (busy.get(), waiting()) {
                                (true, _) => "正在解锁…".to_owned(),
                                (false, Some(ms)) => format!("请等待{}", wait_text(ms)),
                                (false, None) if mode.get() == Mode::Recovery => "用恢复码解锁".to_owned(),
                                (false, None) => "解锁".to_owned(),
                            }}
                        </button>
                    </div>
                </form>
            </Show>
            {move || match mode.get() {
                Mode::Pin => view! {
                    <p class="form-actions"><button type="button" class="button" data-test="forgot" on:click=switch(Mode::Recovery)>"忘记密码？用恢复码解锁"</button></p>
                }.into_any(),
                Mode::Recovery => view! {
                    <p class="muted">"用恢复码解锁后，再设一个新密码。"</p>
                    <p class="muted">"密码和恢复码都找不到时，请先联系县里办公室。本机的记录只能清除后重来：在浏览器设置里清除本网站的数据（本机没有导出过的修改会全部丢失），重新打开桑榆，再导入单位最近导出的文件。"</p>
                    <button type="button" class="link" on:click=switch(Mode::Pin)>"返回输入密码"</button>
                }.into_any(),
                Mode::NewPin => view! {
                    <p>"恢复码正确。请设一个新密码（恢复码不变，仍然有效）。"</p>
                    {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    <NewSecret done=new_pin busy=busy.into() action="设置新密码并解锁"/>
                }.into_any(),
            }}
        </section>
    }
}
