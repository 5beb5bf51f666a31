//! The settings page's 本机密码 section: set a PIN (the recovery code shown once, the lock set
//! only when it is written down), lock now, the idle minutes, change and remove the PIN (each
//! asks for the current one). Also `NewSecret`, the twice-typed new PIN the lock screen uses
//! after a recovery code.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::keys;
use crate::domain::lock::{self, LockRow, Secret};
use crate::ui::state::app_state;

/// A new secret typed twice; `done` gets it once both agree and it is a PIN or passphrase.
#[component]
pub fn NewSecret(done: Callback<String>, busy: Signal<bool>, action: &'static str) -> impl IntoView {
    let first = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = first.get_untracked();
        let checked = Secret::of(&typed).and_then(|_| {
            if typed == again.get_untracked() {
                Ok(())
            } else {
                Err("两次输入的密码不一样")
            }
        });
        error.set(checked.err());
        if checked.is_ok() && !busy.get_untracked() {
            done.run(typed);
        }
    };
    let input = |label: &'static str, name: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span class="field-label">{label}</span>
                <input type="password" name=name autocomplete="new-password"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
        }
    };
    view! {
        <form class="form" on:submit=submit data-test="new-secret">
            <p class="muted">"6位数字，或至少8个字（字母、数字、汉字都可以）的长密码；县里共用的电脑请用长密码。"</p>
            {input("新密码", "new-secret", first)}
            {input("再输一遍", "new-secret-again", again)}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { "正在生成密钥…" } else { action }}
                </button>
            </div>
        </form>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Shown,
    Setting,
    Change,
    Remove,
    /// The 记录人's own PIN, set or changed.
    Own,
}

/// `changed` hears whether a lock is set after each change (the import that asks for one);
/// `who` is the 记录人 now (settings' choice), who may set a PIN of their own.
#[component]
pub fn LockSettings(
    #[prop(optional)] changed: Option<Callback<bool>>,
    #[prop(optional)] who: Option<RwSignal<String>>,
) -> impl IntoView {
    let state = app_state();
    let who = who.unwrap_or_else(|| RwSignal::new(crate::ui::settings::Settings::load().author));
    let tell = move |set: bool| {
        if let Some(c) = changed {
            c.run(set);
        }
    };
    let row = RwSignal::new(None::<LockRow>);
    let loaded = RwSignal::new(false);
    let step = RwSignal::new(Step::Shown);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    // The new lock and its recovery code, until the code is written down.
    let pending = StoredValue::new_local(None::<(LockRow, keys::DataKey)>);
    let code = RwSignal::new(None::<String>);
    let current = RwSignal::new(String::new());
    spawn_local(async move {
        match super::stored().await {
            Ok(r) => row.set(r),
            Err(e) => message.set(Some(e)),
        }
        loaded.set(true);
    });

    let create = Callback::new(move |secret: String| {
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            let idle = row.get_untracked().map_or(lock::IDLE_MINUTES, |r| r.idle_minutes);
            match keys::create(&secret, idle).await {
                Ok((r, c, key)) => {
                    pending.set_value(Some((r, key)));
                    code.set(Some(c));
                }
                Err(e) => message.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let confirm = move |_| {
        let Some((r, key)) = pending.try_update_value(Option::take).flatten() else { return };
        spawn_local(async move {
            match super::seal(Some((&r, &key))).await.and_then(|()| super::open(state, key, &r)) {
                Ok(()) => {
                    row.set(Some(r));
                    code.set(None);
                    step.set(Step::Shown);
                    state.say("本机密码已设置");
                    // The app's other tabs, open without a guard, lock now and unlock into one.
                    crate::ui::state::announce("locked");
                    tell(true);
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    let cancel = move |_| {
        pending.set_value(None);
        code.set(None);
        current.set(String::new());
        message.set(None);
        step.set(Step::Shown);
    };
    // The current secret, checked as the lock screen checks it (its wrong guesses count).
    let checked = move || async move {
        let typed = current.get_untracked();
        let Some(mut r) = row.get_untracked() else { return Err("本机没有设密码".to_owned()) };
        if let Some(ms) = r.waiting(crate::storage::web::now_ms()) {
            return Err(format!("输错次数较多，请{}后再试", lock::wait_text(ms)));
        }
        r.guessed(crate::storage::web::now_ms());
        super::store(&r).await?;
        let key = keys::open(&r, &typed, false, "").await?;
        match key {
            Some(key) => {
                r.opened();
                Ok((r, key))
            }
            None => {
                row.set(Some(r));
                Err("当前密码不对".to_owned())
            }
        }
    };
    let change = Callback::new(move |secret: String| {
        busy.set(true);
        spawn_local(async move {
            let result = match checked().await {
                Ok((r, key)) => match keys::rewrap(&r, &key, &secret).await {
                    Ok(r) => super::store(&r).await.map(|()| r),
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok(r) => {
                    row.set(Some(r));
                    current.set(String::new());
                    step.set(Step::Shown);
                    state.say("密码已修改");
                }
                Err(e) => message.set(Some(e)),
            }
        });
    });
    let remove = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            let result = match checked().await {
                Ok(_) => super::seal(None).await,
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok(()) => {
                    super::arm(state, 0);
                    super::KEY.with(|k| k.borrow_mut().take());
                    row.set(None);
                    current.set(String::new());
                    step.set(Step::Shown);
                    state.say("本机密码已取消");
                    // Other tabs, open with the key, must not seal what they write from now on:
                    // they lock, and their lock screen finds no lock and opens.
                    crate::ui::state::announce("locked");
                    tell(false);
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    // The 记录人's own PIN: set, changed (`Some`) or removed (`None`) with the key held now.
    let own = move |secret: Option<String>| {
        let name = who.get_untracked();
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            let result = match (row.get_untracked(), super::held_key()) {
                (Some(r), Some(key)) => match keys::own_pin(&r, &key, &name, secret.as_deref()).await {
                    Ok(r) => super::store(&r).await.map(|()| r),
                    Err(e) => Err(e),
                },
                _ => Err("请先解锁".to_owned()),
            };
            busy.set(false);
            match result {
                Ok(r) => {
                    row.set(Some(r));
                    step.set(Step::Shown);
                    state.say(if secret.is_some() { format!("{name}自己的密码已设置") } else { format!("已取消{name}自己的密码") });
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    let set_own = Callback::new(move |secret: String| own(Some(secret)));
    let set_idle = move |ev| {
        let Ok(minutes) = event_target_value(&ev).parse::<u32>() else { return };
        let Some(r) = row.get_untracked() else { return };
        let r = LockRow { idle_minutes: minutes, ..r };
        spawn_local(async move {
            match super::store(&r).await {
                Ok(()) => {
                    super::arm(state, minutes);
                    row.set(Some(r));
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    let set_files = move |ev| {
        let Some(r) = row.get_untracked() else { return };
        let r = LockRow { files_need_lock: event_target_checked(&ev), ..r };
        spawn_local(async move {
            match super::store(&r).await {
                Ok(()) => row.set(Some(r)),
                Err(e) => message.set(Some(e)),
            }
        });
    };
    let go = move |to: Step| {
        move |_| {
            message.set(None);
            step.set(to);
        }
    };
    let current_input = move || {
        view! {
            <label class="field">
                <span class="field-label">"当前密码"</span>
                <input type="password" name="current-secret" autocomplete="current-password"
                    prop:value=move || current.get() on:input=move |ev| current.set(event_target_value(&ev))/>
            </label>
        }
    };

    view! {
        <section class="card" id="lock" data-test="lock-settings">
            <h2>"本机密码"</h2>
            {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || {
                if !loaded.get() {
                    return view! { <p class="muted">"正在读取…"</p> }.into_any();
                }
                if let Some(c) = code.get() {
                    return view! {
                        <div class="recovery" data-test="recovery">
                            <p>"恢复码（只显示这一次）："</p>
                            <p class="code" data-test="recovery-code">{c}</p>
                            <p><strong>"抄下来，和手机分开放。"</strong>"请现在用笔抄在纸上。忘记密码时用它解锁；忘了密码又没有它，本机的记录就打不开了。"</p>
                            <div class="actions">
                                <button type="button" class="button primary" data-test="confirm-code" on:click=confirm>"我已抄在纸上，启用密码"</button>
                                <button type="button" class="button" on:click=cancel>"放弃，不设密码"</button>
                            </div>
                        </div>
                    }.into_any();
                }
                match (row.get(), step.get()) {
                    (None, Step::Setting) => view! {
                        <NewSecret done=create busy=busy.into() action="下一步"/>
                        <button type="button" class="link" on:click=cancel>"不设了"</button>
                    }.into_any(),
                    (None, _) => view! {
                        <p class="muted">"设了密码，手机放下几分钟不用，或切到别的应用超过2分钟，桑榆就会锁上：别人拿到手机也看不到记录。"</p>
                        <button type="button" class="button primary" data-test="set-lock" on:click=go(Step::Setting)>"设置密码"</button>
                    }.into_any(),
                    (Some(_), Step::Change) => view! {
                        {current_input()}
                        <NewSecret done=change busy=busy.into() action="修改密码"/>
                        <button type="button" class="link" on:click=cancel>"不改了"</button>
                    }.into_any(),
                    (Some(_), Step::Own) => view! {
                        <p>{format!("给{}设自己的密码：以后解锁时选{}，要输这个密码。", who.get(), who.get())}</p>
                        <NewSecret done=set_own busy=busy.into() action="保存自己的密码"/>
                        <button type="button" class="link" on:click=cancel>"不设了"</button>
                    }.into_any(),
                    (Some(_), Step::Remove) => view! {
                        <form class="form" on:submit=remove>
                            <p>"取消后，打开这部手机上桑榆的人都能看到全部记录。"</p>
                            {current_input()}
                            <div class="form-actions">
                                <button type="submit" class="button" disabled=move || busy.get()>"确认取消密码"</button>
                                <button type="button" class="link" on:click=cancel>"不取消"</button>
                            </div>
                        </form>
                    }.into_any(),
                    (Some(r), _) => view! {
                        <p data-test="lock-on">{format!("已设置{}。", if r.phrase { "长密码" } else { "6位数字密码" })}</p>
                        <label class="field">
                            <span class="field-label">"多久不用就自动锁上（切到别的应用超过2分钟也会锁上）"</span>
                            <select name="idle" on:change=set_idle>
                                {lock::IDLE_CHOICES.iter().map(|m| view! {
                                    <option value=m.to_string() selected=*m == r.idle_minutes>{format!("{m} 分钟")}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="check">
                            <input type="checkbox" data-test="files-need-lock" prop:checked=r.files_need_lock on:change=set_files/>
                            "导出的文件只能在设了密码的手机上导入（县里给乡镇发名册时勾选）"
                        </label>
                        <div class="actions">
                            <button type="button" class="button primary" data-test="lock-now" on:click=move |_| super::lock_now(state)>"立即锁定"</button>
                            <button type="button" class="button" on:click=go(Step::Change)>"修改密码"</button>
                            <button type="button" class="button" on:click=go(Step::Remove)>"取消密码"</button>
                        </div>
                        {(!who.get().is_empty()).then(|| {
                            let name = who.get();
                            match r.own_pin(&name).is_some() {
                                true => view! {
                                    <div class="own-pin" data-test="own-pin">
                                        <p>{format!("{name}有自己的密码：解锁时选{name}，要输这个密码，本机密码打不开。")}</p>
                                        <div class="actions">
                                            <button type="button" class="button" on:click=go(Step::Own)>"改自己的密码"</button>
                                            <button type="button" class="button" on:click=move |_| own(None)>"取消自己的密码"</button>
                                        </div>
                                    </div>
                                }.into_any(),
                                false => view! {
                                    <div class="own-pin" data-test="own-pin">
                                        <p class="muted">{format!("几人共用本机时，{name}可以设自己的密码：解锁时选{name}就要输它，别人用本机密码不能以{name}的名义记录。")}</p>
                                        <button type="button" class="button" on:click=go(Step::Own)>{format!("给{name}设自己的密码")}</button>
                                    </div>
                                }.into_any(),
                            }
                        })}
                    }.into_any(),
                }
            }}
            <p class="muted" data-test="lock-limits">"设密码后，身份证号、电话、健康状况、调解和反馈的内容、活动照片加密保存；姓名、日期、乡镇不加密。手机丢了请马上告诉县里。"</p>
            <details class="hint">
                <summary>"详细说明"</summary>
                <p class="muted">
                    "密码防的是手机放在桌上、借给别人或丢失时，别人打开桑榆看到记录。防不了："
                    "手机在解锁状态下被拿走；同一网址下被放进的恶意代码；"
                    "复制走浏览器数据后离线猜密码（6位数字用一块显卡一两分钟就能试完，长密码要很多年，县里的电脑请用长密码）。"
                    "活动和发放记录的文字不加密。"
                </p>
            </details>
        </section>
    }
}
