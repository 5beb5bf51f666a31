//! Sharing with other offices: export a file, import one after a preview, and the conflict
//! log of concurrent edits that lost a merge.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{Date, Person};
use crate::storage::web;
use crate::ui::data::{self, ExportFile};
use crate::ui::files::{self, Shared};
use crate::ui::settings::exchanges;
use crate::ui::shell::router::use_navigate;
use crate::ui::widgets::{app_state, RecordSelect};

mod chat;
mod conflicts;
mod import;

use chat::ChatSend;
use conflicts::ConflictPart;
use import::ImportPart;

/// Exports are plain text to every share sheet: Chrome on Android shares only the types on
/// its list (`.txt` as `text/plain` among them), judged by the name's last extension and the
/// type together. The importer knows a Sangyu file by its first line, never by its name.
const MIME: &str = "text/plain";

#[component]
pub fn ExchangePage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"导出与导入"</h1>
            <p class="muted">"各乡镇和县里通过文件交换数据：导出后用微信、蓝牙或U盘发给对方，对方导入即可合并。重复导入不会重复记录。"</p>
            <ExportPart/>
            <ImportPart/>
            <History/>
            <ConflictPart/>
        </section>
    }
}

/// The last exports and imports on this device: the message after one goes in seconds; this
/// stays, so a volunteer can see what she sent, where it went, and what came in.
#[component]
fn History() -> impl IntoView {
    let state = app_state();
    let list = Memo::new(move |_| {
        state.revision.track();
        exchanges()
    });
    move || {
        let list = list.get();
        (!list.is_empty()).then(|| {
            let rows = list
                .into_iter()
                .map(|e| {
                    let from = if e.office.is_empty() { String::new() } else { format!(" · {}", e.office) };
                    let meta = format!("{}{from} · {}", web::local_time_text(e.at_ms), e.what);
                    view! {
                        <li class="row"><span class="row-main">
                            <span class="name">{format!("{}：{}", e.direction, e.name)}</span>
                            <span class="meta">{meta}</span>
                        </span></li>
                    }
                })
                .collect_view();
            view! {
                <h2>"最近的导出与导入"</h2>
                <ul class="list" data-test="exchange-history">{rows}</ul>
            }
        })
    }
}

fn days_ago(at_ms: u64) -> String {
    let offset = -(js_sys::Date::new_0().get_timezone_offset() as i64);
    let then = Date::from_unix_ms(at_ms as i64, offset).unwrap_or(Date::EPOCH);
    match web::today().to_days() - then.to_days() {
        0 => format!("{then}（今天）"),
        n => format!("{then}（{n} 天前）"),
    }
}

/// Where a phone puts downloads, and how a chat app finds them there.
macro_rules! where_saved {
    () => {
        "保存到手机的“下载”（Download）文件夹：在微信聊天中点“＋”→“文件”→“手机存储”→ Download 选中发送"
    };
}
/// Said after a save.
const SAVED: &str = concat!("，已", where_saved!());
/// Where a saved export is, in the history.
const SAVED_WHERE: &str = "已保存到手机的“下载”（Download）文件夹";
/// Said when the share sheet would not take the file and it was saved instead.
const SHARE_REFUSED: &str = concat!("。这个浏览器不能直接分享文件，已改为", where_saved!());

#[component]
fn ExportPart() -> impl IntoView {
    let state = app_state();
    let status = data::reread(data::exchange_status);
    let ready = RwSignal::new(None::<ExportFile>);
    let busy = RwSignal::new(false);
    let with_photos = RwSignal::new(false);
    let without_sensitive = RwSignal::new(false);
    // "": every township's records; else only that township's (for its own office).
    let only = RwSignal::new(String::new());
    let people = data::resource::<Person>();
    let townships = data::townships(people);
    // How many ID numbers the file would hold: then it is sealed with a passphrase unless the
    // user chooses otherwise, and the choice says what it exposes.
    let ids_in_file = move || {
        if without_sensitive.get() {
            return 0;
        }
        let town = only.get();
        people.with(|r| match r {
            Some(Ok(v)) => v
                .iter()
                .filter(|p| !p.deleted && !p.body.id_number.is_empty() && (town.is_empty() || p.body.township == town))
                .count(),
            _ => 0,
        })
    };
    let protect_choice = RwSignal::new(None::<bool>);
    let protect = Signal::derive(move || protect_choice.get().unwrap_or_else(|| ids_in_file() > 0));
    let pass = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let make = move |since: Option<u64>| {
        let passphrase = protect.get_untracked().then(|| pass.get_untracked());
        if let Some(p) = &passphrase {
            if p.chars().count() < 8 {
                return state.say("密码至少 8 个字符");
            }
            if *p != again.get_untracked() {
                return state.say("两次输入的密码不一致");
            }
        }
        busy.set(true);
        ready.set(None);
        spawn_local(async move {
            let township = only.with_untracked(|t| (!t.is_empty()).then(|| t.clone()));
            let (photos, sensitive) = (with_photos.get_untracked(), without_sensitive.get_untracked());
            match data::export_file(since, passphrase, photos, sensitive, township).await {
                Ok(f) => ready.set(Some(f)),
                Err(e) => state.say(e),
            }
            busy.set(false);
        });
    };
    // The nudge counts an export as done only once the file (or its text) has left: shared,
    // saved, or every part of its text copied.
    let done = move |f: ExportFile, how: &'static str, route: &'static str| {
        spawn_local(data::exported(state, f, how, route));
    };
    // 面对面传: the same file as QR codes, on a page (and chunk) of its own.
    let navigate = use_navigate();
    let face_to_face = move |_| {
        let Some(f) = ready.get_untracked() else { return };
        files::hand_over(f);
        navigate("/exchange/qr", Default::default());
    };
    let save = move |_| {
        let Some(f) = ready.get_untracked() else { return };
        match files::download(&f.name, &f.text, MIME) {
            Ok(()) => done(f, SAVED, SAVED_WHERE),
            Err(e) => state.say(e),
        }
    };
    let share = move |_| {
        let Some(f) = ready.get_untracked() else { return };
        spawn_local(async move {
            match files::share_or_save(&f.name, &f.text, MIME).await {
                Ok(Shared::Handed) => done(f, "", "已分享给其他应用"),
                Ok(Shared::Saved) => done(f, SHARE_REFUSED, SAVED_WHERE),
                Ok(Shared::Closed) => {}
                Err(e) => state.say(e),
            }
        });
    };
    let can_share = files::can_share_files();
    view! {
        <h2>"导出"</h2>
        {move || status.get().map(|s| match s {
            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
            Ok((device, last, _)) => {
                let since = last.map(|m| m.seq);
                view! {
                    <p data-test="export-status">{match last {
                        None => "本机还没有导出过。".to_owned(),
                        Some(m) => format!("上次导出：{}；之后有 {} 处修改未导出。", days_ago(m.at_ms), device.seq.saturating_sub(m.seq)),
                    }}</p>
                    <label class="check"><input type="checkbox" data-test="with-photos" prop:checked=move || with_photos.get()
                        on:change=move |ev| with_photos.set(event_target_checked(&ev))/>"附带照片（文件会大很多，只在需要时勾选）"</label>
                    <RecordSelect label="导出哪些乡镇" none="全部乡镇" value=only test="export-township"
                        options=Signal::derive(move || townships.get().into_iter().map(|t| { let l = format!("只含{t}（它的人员和记录）"); (t, l) }).collect())/>
                    <label class="check"><input type="checkbox" data-test="without-sensitive" prop:checked=move || without_sensitive.get()
                        on:change=move |ev| without_sensitive.set(event_target_checked(&ev))/>"不含身份证号和健康状况（对方只需要姓名、电话时勾选；对方那里原有的不会被清空）"</label>
                    <label class="check"><input type="checkbox" prop:checked=move || protect.get()
                        on:change=move |ev| protect_choice.set(Some(event_target_checked(&ev)))/>"用密码保护文件（含身份证号、电话等个人信息时建议使用）"</label>
                    {move || {
                        let n = ids_in_file();
                        (n > 0 && !protect.get()).then(|| view! {
                            <p class="warning" data-test="clear-ids">{format!("文件里将有 {n} 人的身份证号。不加密的话，拿到文件的人都能看到。建议加密，或勾选上面的“不含身份证号和健康状况”。")}</p>
                        })
                    }}
                    <Show when=move || protect.get()>
                        <label class="field"><span class="field-label">"密码（至少 8 个字符）"</span>
                            <input type="password" autocomplete="new-password" prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))/></label>
                        <label class="field"><span class="field-label">"再输入一次"</span>
                            <input type="password" autocomplete="new-password" prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev))/></label>
                        <p class="muted">"请把密码用电话或当面告诉对方，不要和文件一起发送。忘记密码无法恢复。"</p>
                    </Show>
                    <div class="form-actions">
                        <button type="button" class="button primary" disabled=move || busy.get() on:click=move |_| make(None)>"导出全部数据"</button>
                        {since.map(|s| view! {
                            <button type="button" class="button" disabled=move || busy.get() on:click=move |_| make(Some(s))>"只导出新修改"</button>
                        })}
                    </div>
                }.into_any()
            }
        })}
        {move || ready.get().map(|f| view! {
            <div class="card" data-test="export-ready">
                <p>{if f.photos == 0 {
                    format!("{}（{} 条记录）", f.name, f.records)
                } else {
                    // Tenths of a MB in integers: float formatting would add ~13 KB to the app.
                    let tenths = (f.text.len() * 10).div_ceil(1 << 20);
                    format!("{}（{} 条记录，{} 张照片，{}.{} MB）", f.name, f.records, f.photos, tenths / 10, tenths % 10)
                }}</p>
                <div class="form-actions">
                    <button type="button" class="button primary" on:click=save>"保存文件"</button>
                    {can_share.then(|| view! { <button type="button" class="button" data-test="share-file" on:click=share>"分享…"</button> })}
                    <button type="button" class="button" data-test="send-qr" on:click=face_to_face.clone()>"面对面传"</button>
                </div>
                <ChatSend text=f.text.clone() sent=move || if let Some(f) = ready.get_untracked() { done(f, "（已复制为文字）", "已复制为文字，可粘贴到聊天中发送") }/>
            </div>
        })}
    }
}
