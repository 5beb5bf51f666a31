//! Import: a picked file or pasted chat text, a sealed one's passphrase, the preview of what it
//! would do, and the one transaction that does it.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::chat::PasteImport;
use crate::storage::web;
use crate::sync::format::{Parsed, MAX_BYTES};
use crate::sync::sealed::is_sealed;
use crate::sync::{Counts, Plan};
use crate::ui::crypto;
use crate::ui::data;
use crate::ui::files::{self, Picked};
use crate::ui::settings::{note_exchange, Exchanged};
use crate::ui::shell::router::A;
use crate::ui::widgets::{app_state, FilePick};

/// A file read and checked, waiting for the user to confirm.
#[derive(Clone)]
struct Pending {
    name: String,
    parsed: Rc<Parsed>,
    plan: Rc<Plan>,
    /// The file's photos this device does not have yet.
    new_photos: usize,
}

#[component]
pub(super) fn ImportPart() -> impl IntoView {
    let state = app_state();
    let pending = RwSignal::new_local(None::<Pending>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<String>);
    let accept_future = RwSignal::new(false);
    // An encrypted file awaiting its passphrase. A plain file's text is let go once parsed:
    // a re-check works from the parsed file, and the text would be one more copy in memory.
    let locked = RwSignal::new_local(None::<Rc<Picked>>);
    let pass = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Input>::new();
    // Deriving the key may take seconds on a slow phone, and WebCrypto cannot be stopped:
    // a cancel (or another file picked) bumps this, and the late result is ignored.
    let decrypting = RwSignal::new(None::<u32>);
    let attempts = StoredValue::new(0u32);

    let preview = move |p: Picked, accept: bool| {
        error.set(None);
        spawn_local(async move {
            let name = p.name.clone();
            match data::preview(p, accept, |s| busy.set(Some(s.into()))).await {
                Ok((parsed, plan, new_photos)) => {
                    pending.set(Some(Pending { name, parsed, plan: Rc::new(plan), new_photos }))
                }
                Err(e) => {
                    pending.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(None);
        });
    };
    // A picked file and pasted text go the same way from here: a sealed one asks for its
    // passphrase, any other is checked and previewed.
    let take = move |p: Picked| {
        if is_sealed(&p.text) {
            locked.set(Some(Rc::new(p)));
            busy.set(None);
        } else {
            preview(p, false);
        }
    };
    // What the QR scanner received comes here to be previewed like a picked file.
    if let Some(p) = files::take_handed::<Picked>() {
        take(p);
    }
    let reset = move || {
        decrypting.set(None);
        accept_future.set(false);
        pending.set(None);
        locked.set(None);
        error.set(None);
    };
    let pick = move |_| {
        let Some(el) = input.get_untracked() else { return };
        let el: web_sys::HtmlInputElement = el.unchecked_into();
        reset();
        web::mark("read");
        busy.set(Some("正在读取文件…".into()));
        spawn_local(async move {
            match files::read_picked(&el, MAX_BYTES).await {
                Ok(Some(p)) => take(p),
                Ok(None) => busy.set(None),
                Err(e) => {
                    error.set(Some(e));
                    busy.set(None);
                }
            }
        });
    };
    let unlock = move |_| {
        let Some(p) = locked.get_untracked() else { return };
        if decrypting.get_untracked().is_some() {
            return;
        }
        attempts.update_value(|n| *n = n.wrapping_add(1));
        let attempt = attempts.get_value();
        decrypting.set(Some(attempt));
        error.set(None);
        spawn_local(async move {
            let result = crypto::unseal(&p.text, &pass.get_untracked()).await;
            if decrypting.try_get_untracked() != Some(Some(attempt)) {
                return; // cancelled, another file picked, or the page left meanwhile
            }
            decrypting.set(None);
            match result {
                Ok(text) => {
                    locked.set(None);
                    pass.set(String::new());
                    preview(Picked { name: p.name.clone(), text }, false);
                }
                Err(e) => error.set(Some(format!("文件 {}：{e}", p.name))),
            }
        });
    };
    let stop_decrypting = move |_| {
        decrypting.set(None);
        state.say("已取消解密，没有导入任何内容");
    };
    let recheck = move |accept: bool| {
        let Some(p) = pending.get_untracked() else { return };
        error.set(None);
        spawn_local(async move {
            match data::replan(&p.parsed, accept).await {
                Ok(plan) => pending.set(Some(Pending { plan: Rc::new(plan), ..p })),
                Err(e) => {
                    pending.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    let confirm = move |_| {
        let Some(p) = pending.get_untracked() else { return };
        busy.set(Some("正在写入…".into()));
        spawn_local(async move {
            match data::import(&p.parsed, accept_future.get_untracked(), |s| busy.set(Some(s))).await {
                Ok(plan) => {
                    let t = plan.total();
                    // Deletions and held-back records change what this office sees: always said.
                    let mut said = format!("已导入 {}：新增 {} 条，更新 {} 条", p.name, t.new, t.updated);
                    for (n, what) in [(t.deleted, "删除 {} 条"), (t.conflicts, "冲突 {} 处"), (t.held, "暂缓 {} 条")]
                    {
                        if n > 0 {
                            said.push('，');
                            said.push_str(&what.replace("{}", &n.to_string()));
                        }
                    }
                    if p.new_photos > 0 {
                        said.push_str(&format!("，照片 {} 张", p.new_photos));
                    }
                    note_exchange(Exchanged {
                        at_ms: web::now_ms(),
                        direction: "导入".into(),
                        name: p.name.clone(),
                        office: p.parsed.header.as_ref().map(|h| h.office.clone()).unwrap_or_default(),
                        what: said.split_once('：').map_or_else(String::new, |(_, w)| w.to_owned()),
                    });
                    state.say(said);
                    pending.set(None);
                    // The page may be gone by now (left during the write): try, never panic.
                    if let Some(Some(el)) = input.try_get_untracked() {
                        el.set_value("");
                    }
                }
                Err(e) => error.set(Some(format!("文件 {}：{e}", p.name))),
            }
            busy.set(None);
            state.changed();
        });
    };
    let cancel = move |_| {
        pending.set(None);
        if let Some(el) = input.get_untracked() {
            el.set_value("");
        }
    };

    view! {
        <h2>"导入"</h2>
        // No `accept`: Android filters by MIME type, and a chat app may have saved a Sangyu
        // file with one no list would name.
        <FilePick label="选择对方发来的桑榆文件">
            <input type="file" class="hidden-input" node_ref=input data-test="import-file" on:change=pick/>
        </FilePick>
        <details class="hint" data-test="chat-file-hint">
            <summary>"微信、QQ、钉钉里收到的文件，在这里找不到？"</summary>
            <p>"聊天软件把收到的文件存在自己的文件夹里，浏览器打不开。请先在聊天软件里处理一下："</p>
            <ul>
                <li>"微信：打开那个文件，点右上角“⋯”→“用其他应用打开”→ 选浏览器；或点“保存到手机”，再回到这里选择文件（在“下载”或 Download 里）。"</li>
                <li>"QQ：打开文件，点“⋯”→“用其他应用打开”，或“保存到手机”。"</li>
                <li>"钉钉：打开文件，点右上角“⋯”→“用其他应用打开”，或“保存到本地”。"</li>
            </ul>
            <p>"对方也可以用“复制为文字”发来，在下面“粘贴导入”即可，不用找文件。"</p>
        </details>
        <h3>"没有网络：两部手机面对面传"</h3>
        <p class="muted">"请对方导出后点“面对面传”，屏幕上会出现二维码；您点“扫码接收”，用摄像头对准它。"</p>
        <div class="form-actions">
            <A href="/exchange/scan" attr:class="button" attr:data-test="scan-import">"扫码接收"</A>
        </div>
        <PasteImport take=take clear=reset/>
        {move || locked.get().map(|p| view! {
            <div class="card" data-test="import-locked">
                <p>{format!("{} 已加密，请输入对方告诉你的密码。", p.name)}</p>
                <label class="field"><span class="field-label">"密码"</span>
                    <input type="password" autocomplete="off" prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))/></label>
                {move || match decrypting.get() {
                    None => view! { <button type="button" class="button primary" on:click=unlock>"解密并预览"</button> }.into_any(),
                    Some(_) => view! {
                        <p class="muted" role="status" data-test="decrypting">"正在解密…（密码越长、手机越慢，用时越久）"</p>
                        <button type="button" class="button" data-test="cancel-decrypt" on:click=stop_decrypting>"取消"</button>
                    }.into_any(),
                }}
            </div>
        })}
        {move || busy.get().map(|s| view! { <p class="muted" role="status">{s}</p> })}
        {move || error.get().map(|e| view! { <p class="error" role="alert" data-test="import-error">{e}</p> })}
        {move || pending.get().map(|p| preview_view(p, busy, accept_future, recheck, confirm, cancel))}
    }
}

fn preview_view(
    p: Pending,
    busy: RwSignal<Option<String>>,
    accept_future: RwSignal<bool>,
    check: impl Fn(bool) + Copy + 'static,
    confirm: impl Fn(leptos::ev::MouseEvent) + 'static,
    cancel: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let header = p.parsed.header.clone();
    // The sender asks for a device lock (the `lock` header field): none here, no import yet.
    let asks_lock = header.as_ref().is_some_and(|h| h.lock);
    let sender = header.as_ref().map(|h| h.office.clone()).unwrap_or_default();
    let lock_here = RwSignal::new(!asks_lock);
    if asks_lock {
        spawn_local(async move { lock_here.set(crate::ui::lock::is_set().await) });
    }
    let total = p.plan.total();
    let writes = p.plan.changes_anything() || p.new_photos > 0;
    // Deletions change what this office sees: the first few are named.
    let deleted = (total.deleted > 0).then(|| {
        let names: Vec<String> = p.plan.deleted.iter().map(|(k, n)| format!("{}「{n}」", k.label())).collect();
        let more = total.deleted as usize > names.len();
        format!(
            "导入后本机将删除：{}{}",
            names.join("、"),
            if more { format!(" 等 {} 条", total.deleted) } else { String::new() }
        )
    });
    let photos = (!p.parsed.jpegs.is_empty())
        .then(|| format!("文件附带照片 {} 张，其中本机没有的 {} 张。", p.parsed.jpegs.len(), p.new_photos));
    // 新增, 更新 and 无变化 always; the rarer columns only when some kind has one, so the
    // table fits a phone's width at large text.
    type Column = (&'static str, fn(&Counts) -> u32);
    let columns: Vec<Column> = [
        ("新增", (|c: &Counts| c.new) as fn(&Counts) -> u32),
        ("更新", |c| c.updated),
        ("删除", |c| c.deleted),
        ("无变化", |c| c.unchanged),
        ("冲突", |c| c.conflicts),
        ("暂缓", |c| c.held),
    ]
    .into_iter()
    .filter(|(name, of)| matches!(*name, "新增" | "更新" | "无变化") || of(&total) > 0)
    .collect();
    let heads: Vec<_> = columns.iter().map(|(name, _)| view! { <th>{*name}</th> }).collect();
    let rows: Vec<_> = p
        .plan
        .counts
        .iter()
        .map(|(kind, c)| {
            let cells: Vec<_> = columns.iter().map(|(_, of)| view! { <td>{of(c)}</td> }).collect();
            view! { <tr><th>{kind.label()}</th>{cells}</tr> }
        })
        .collect();
    view! {
        <div class="card" data-test="import-preview">
            // Records as the exporter counted them; conflict-log lines are said apart (the
            // header's `records` counts every line, for the checksum).
            <p>{header.map(|h| format!("{} 导出于 {}（本机时间{}），{} 条记录{}{}", h.office, web::local_time_text(h.exported_ms),
                match h.utc_offset_min {
                    Some(theirs) if theirs != web::utc_offset_min() => format!("；对方所在时区为 UTC{:+}:{:02}", theirs / 60, (theirs % 60).abs()),
                    _ => String::new(),
                },
                p.parsed.len(),
                if p.parsed.conflicts.is_empty() { String::new() } else { format!("，另附冲突记录 {} 条", p.parsed.conflicts.len()) },
                if h.complete { "" } else { "（只含新修改）" }))}</p>
            <table class="table">
                <thead><tr><th></th>{heads}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {(total.held > 0 || accept_future.get_untracked()).then(|| view! {
                <p class="warning">{format!("{} 条记录的修改时间比本机晚一天以上，可能是对方手机日期不对，已暂缓导入。", total.held)}</p>
                <label class="check"><input type="checkbox" prop:checked=move || accept_future.get()
                    on:change=move |ev| { let on = event_target_checked(&ev); accept_future.set(on); check(on) }/>
                    "确认时间无误，一并导入"</label>
            })}
            {deleted.map(|t| view! { <p class="warning" data-test="import-deletes">{t}</p> })}
            {photos.map(|t| view! { <p data-test="import-photos">{t}</p> })}
            {asks_lock.then(|| view! {
                <Show when=move || !lock_here.get()>
                    <p class="warning" data-test="import-needs-lock">{format!(
                        "{sender} 要求：这个文件只能存进设了密码的手机。请先给本机设一个密码，再确认导入。"
                    )}</p>
                    <crate::ui::lock::LockSettings changed=Callback::new(move |set| lock_here.set(set))/>
                </Show>
            })}
            <p>{if writes { "确认后一次性写入；中途出错不会写入任何内容。" } else { "文件里的内容本机都已经有了，不用再导入。" }}</p>
            <div class="form-actions">
                // While a long import writes, neither button does anything: both are disabled.
                <button type="button" class="button primary" data-test="import-confirm" on:click=confirm
                    disabled=move || !writes || !lock_here.get() || busy.with(Option::is_some)>"确认导入"</button>
                <button type="button" class="button" on:click=cancel
                    disabled=move || busy.with(Option::is_some)>"取消"</button>
            </div>
        </div>
    }
}
