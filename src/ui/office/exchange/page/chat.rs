//! An export as chat text (`sync::chat`): copied or shared part by part on one phone, pasted
//! on another in any order, then read exactly as a picked file is.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::sync::chat::{self, Gathered, Packing, MAX_PARTS};
use crate::ui::files::{self, Picked};

/// Files larger than this are not turned into text at all (deflating them would take a cheap
/// phone a while, and their text would be past [`MAX_PARTS`] anyway).
const MOST_BYTES: usize = 2 << 20;

/// The parts of an export's text, or how many there would be when too many.
async fn parts_of(text: &str) -> Result<Vec<String>, usize> {
    if text.len() > MOST_BYTES {
        // Not deflated (a photo export can be 60 MB): estimated at the ratio the bench
        // measures for records, about a fifth, then base64's four characters for three bytes.
        return Err(text.len() / 5 * 4 / 3 / chat::PART_CHARS);
    }
    let parts = match files::deflate(text.as_bytes()).await {
        Some(packed) => chat::parts(&packed, Packing::Deflate),
        None => chat::parts(text.as_bytes(), Packing::Plain),
    };
    if parts.len() > MAX_PARTS {
        Err(parts.len())
    } else {
        Ok(parts)
    }
}

/// The export as text for a chat: one part, or each part with its own buttons. `sent` is
/// called once every part has been copied or shared.
#[component]
pub fn ChatSend(text: Arc<str>, sent: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let parts = RwSignal::new(None::<Result<Arc<Vec<String>>, usize>>);
    let done = RwSignal::new(Vec::<bool>::new());
    // A part the clipboard refused, shown to be selected by hand.
    let by_hand = RwSignal::new(None::<usize>);
    let said = StoredValue::new(false);
    spawn_local(async move {
        let made = parts_of(&text).await.map(Arc::new);
        if let Ok(p) = &made {
            done.set(vec![false; p.len()]);
        }
        parts.set(Some(made));
    });
    let mark = move |i: usize| {
        done.update(|d| {
            if let Some(x) = d.get_mut(i) {
                *x = true;
            }
        });
        if !said.get_value() && done.with_untracked(|d| d.iter().all(|x| *x)) {
            said.set_value(true);
            sent();
        }
    };
    let copy = move |i: usize| {
        let Some(Ok(p)) = parts.get_untracked() else { return };
        spawn_local(async move {
            if files::copy_text(&p[i]).await {
                by_hand.set(None);
                mark(i);
            } else {
                by_hand.set(Some(i));
            }
        });
    };
    let share = move |i: usize| {
        let Some(Ok(p)) = parts.get_untracked() else { return };
        spawn_local(async move {
            if files::share_text(&p[i]).await {
                mark(i);
            }
        });
    };
    let can_share = files::can_share();
    view! {
        <div class="chat-send" data-test="chat-send">
            {move || match parts.get() {
                None => view! { <p class="muted">"正在生成文字…"</p> }.into_any(),
                Some(Err(n)) => view! {
                    <p class="muted" data-test="chat-too-long">{format!(
                        "内容较多（约 {n} 段文字），不适合用聊天文字发送：请用上面的按钮发送文件"
                    )}</p>
                }.into_any(),
                Some(Ok(p)) if p.len() == 1 => {
                    let chars = p[0].chars().count();
                    view! {
                        <p class="muted">{format!("也可以发成一条文字消息（{chars} 字）：复制后粘贴到微信、QQ 或短信里发送，对方在“粘贴导入”中粘贴即可。")}</p>
                        <div class="form-actions">
                            <button type="button" class="button" data-test="copy-text" on:click=move |_| copy(0)>
                                {move || if done.with(|d| d.first() == Some(&true)) { "已复制 ✓" } else { "复制为文字" }}</button>
                            {can_share.then(|| view! {
                                <button type="button" class="button" data-test="share-text" on:click=move |_| share(0)>"分享文字…"</button>
                            })}
                        </div>
                    }.into_any()
                }
                Some(Ok(p)) => {
                    let n = p.len();
                    view! {
                        <p class="muted">{format!("也可以发成 {n} 条文字消息：每段复制后单独发送一条，对方把各段粘贴到“粘贴导入”中，顺序不限。")}</p>
                        <ul class="list chat-parts">
                            {(0..n).map(|i| view! {
                                <li class="row" data-test="chat-part">
                                    <span class="row-main">{format!("第 {}/{n} 段（{} 字）", i + 1, p[i].chars().count())}
                                        {move || done.with(|d| d.get(i) == Some(&true)).then_some(" ✓ 已发")}</span>
                                    <button type="button" class="button small" on:click=move |_| copy(i)>"复制"</button>
                                    {can_share.then(|| view! {
                                        <button type="button" class="button small" on:click=move |_| share(i)>"分享…"</button>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            {move || by_hand.get().and_then(|i| {
                let Some(Ok(p)) = parts.get() else { return None };
                let text = p.get(i)?.clone();
                Some(view! {
                    <p class="warning">"这个浏览器不让桑榆写入剪贴板：请长按下面的文字，全选后复制。"</p>
                    <textarea class="chat-text" readonly autocomplete="off" rows="4" data-test="chat-by-hand"
                        on:focus=move |_| mark(i)>{text}</textarea>
                })
            })}
        </div>
    }
}

/// A readable name for pasted text in messages ("文件 粘贴的文字（3 段）：…").
fn pasted_name(total: u32) -> String {
    format!("粘贴的文字（{total} 段）")
}

/// 粘贴导入: one box that takes one part or all of them, in any order; once every part is
/// there, `take` gets the export's text as a picked file.
#[component]
pub fn PasteImport(
    take: impl Fn(Picked) + Copy + Send + Sync + 'static,
    clear: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let gathered = RwSignal::new(Gathered::default());
    let error = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    let read = move |pasted: String| {
        clear();
        error.set(None);
        if pasted.trim().is_empty() {
            return;
        }
        let mut g = gathered.get_untracked();
        let result = g.add(&pasted);
        match result {
            Err(e) => return error.set(Some(e.to_string())),
            Ok(added) if added.restarted => error.set(Some("这是另一次导出的文字：已改为收集这一次的各段".into())),
            Ok(_) => {}
        }
        gathered.set(g.clone());
        let Some(whole) = g.complete() else { return };
        spawn_local(async move {
            let bytes = match whole {
                Ok((Packing::Deflate, packed)) => files::inflate(&packed).await,
                Ok((Packing::Plain, bytes)) => Ok(bytes),
                Err(e) => Err(e.to_string()),
            };
            // Not UTF-8 is said by the file check, as it is for a file.
            match bytes.map(|b| String::from_utf8_lossy(&b).into_owned()) {
                Ok(t) => take(Picked { name: pasted_name(g.total()), text: t }),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let from_clipboard = move |_| {
        spawn_local(async move {
            match files::paste_text().await {
                Some(t) => {
                    text.set(t.clone());
                    read(t);
                }
                None => error.set(Some("无法读取剪贴板：请长按下面的输入框，选“粘贴”".into())),
            }
        });
    };
    let restart = move |_| {
        gathered.set(Gathered::default());
        text.set(String::new());
        error.set(None);
        clear();
    };
    view! {
        <div class="paste-import" data-test="paste-import">
            <h3>"粘贴导入"</h3>
            <p class="muted">"对方用“复制为文字”发来的桑榆数据：在聊天中长按那条消息，复制，粘贴到下面。分成几段的，可以一次全部粘贴，也可以一段一段粘贴，顺序不限。"</p>
            <label class="field"><span class="field-label">"收到的文字"</span>
                <textarea rows="4" autocomplete="off" data-test="paste-box" prop:value=move || text.get()
                    on:input=move |ev| { let t = event_target_value(&ev); text.set(t.clone()); read(t) }></textarea></label>
            <div class="form-actions">
                {files::can_read_clipboard().then(|| view! {
                    <button type="button" class="button" on:click=from_clipboard>"从剪贴板粘贴"</button>
                })}
                <button type="button" class="button" on:click=restart>"清空重来"</button>
            </div>
            {move || gathered.with(|g| (g.total() > 1).then(|| {
                let got = g.received().iter().map(u32::to_string).collect::<Vec<_>>().join("、");
                let missing = g.missing();
                let line = if missing.is_empty() {
                    format!("{} 段都已收到", g.total())
                } else {
                    let m = missing.iter().map(u32::to_string).collect::<Vec<_>>().join("、");
                    format!("共 {} 段：已收到第 {got} 段，还缺第 {m} 段。请把缺的段也粘贴进来（可以先清空输入框）。", g.total())
                };
                view! { <p role="status" data-test="paste-status">{line}</p> }
            }))}
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-test="paste-error">{e}</p> })}
        </div>
    }
}
