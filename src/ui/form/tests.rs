//! The kit itself in a real browser (`cargo test --target wasm32-unknown-unknown --lib`): what
//! every editor relies on, checked once here rather than in each editor's end-to-end test.

use std::cell::Cell;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use super::{field, Done, EditForm, Editor, Pending};
use crate::domain::{FieldErrors, PlaceForm};
use crate::ui::draft::DraftOf;
use crate::ui::state::AppState;
use crate::ui::widgets::TextInput;

wasm_bindgen_test_configure!(run_in_browser);

/// What the test editor's save does.
#[derive(Clone, Copy)]
enum Save {
    Works,
    Fails,
}

thread_local! {
    /// Each mount's form and app state, for the test to read after it acts on the page.
    static MOUNTED: Cell<Option<(RwSignal<PlaceForm>, AppState)>> = const { Cell::new(None) };
}

/// A one-field editor (a township, required) in a fresh element; its draft under `key`.
/// The second half is the mount: dropping it unmounts (its type is Leptos's view state).
fn mount(key: &'static str, save: Save) -> (web_sys::HtmlElement, Box<dyn std::any::Any>) {
    let doc = web_sys::window().and_then(|w| w.document()).expect("document");
    let host: web_sys::HtmlElement = doc.create_element("div").expect("div").unchecked_into();
    doc.body().expect("body").append_child(&host).expect("append");
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let state = AppState::new();
        provide_context(state);
        let form = RwSignal::new(PlaceForm::default());
        MOUNTED.with(|m| m.set(Some((form, state))));
        let of = DraftOf::record(key, "乡镇", "township", None, None, "/kit".into());
        let ed = Editor::new(form, of);
        let on_save = move || -> Result<Pending, FieldErrors> {
            form.get_untracked().validate()?;
            Ok(Box::pin(async move {
                match save {
                    Save::Works => Ok(Done::stay("已保存")),
                    Save::Fails => Err("存储空间已满，没有保存".to_owned()),
                }
            }))
        };
        view! {
            <EditForm editor=ed on_save=on_save>
                <TextInput label="乡镇（街道）" required=true value=field!(form.township) error=ed.error("township")/>
            </EditForm>
        }
        .into_any()
    });
    (host, Box::new(handle))
}

fn mounted() -> (RwSignal<PlaceForm>, AppState) {
    MOUNTED.with(Cell::get).expect("mounted")
}

async fn pause(d: Duration) {
    let (tx, rx) = futures_channel();
    set_timeout(tx, d);
    let _ = rx.await;
}

/// A one-shot wake-up built on a JS promise (no timer crate for one test file).
fn futures_channel() -> (impl FnOnce(), wasm_bindgen_futures::JsFuture) {
    let mut resolve = None;
    let promise = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
    let resolve = resolve.expect("executor runs at once");
    (
        move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        },
        wasm_bindgen_futures::JsFuture::from(promise),
    )
}

fn input(host: &web_sys::HtmlElement) -> web_sys::HtmlInputElement {
    host.query_selector("input").ok().flatten().expect("input").unchecked_into()
}

fn save_button(host: &web_sys::HtmlElement) -> web_sys::HtmlButtonElement {
    host.query_selector("button[type=submit]").ok().flatten().expect("save").unchecked_into()
}

/// Types as a user does: the value, then the input event the lens listens to.
fn type_into(host: &web_sys::HtmlElement, text: &str) {
    let i = input(host);
    i.set_value(text);
    let ev = web_sys::Event::new("input").expect("event");
    i.dispatch_event(&ev).expect("dispatch");
}

#[wasm_bindgen_test]
async fn a_required_field_left_empty_is_said_and_focused() {
    let (host, _h) = mount("kit-empty", Save::Works);
    save_button(&host).click();
    pause(Duration::from_millis(50)).await;
    let error = host.query_selector(".field-error").ok().flatten().expect("an error under the field");
    assert_eq!(error.text_content().as_deref(), Some("请填写乡镇或街道名称"));
    let doc = web_sys::window().and_then(|w| w.document()).expect("document");
    let focused: web_sys::Element = doc.active_element().expect("focus");
    assert!(focused.is_same_node(Some(&input(&host))), "the cursor is in the empty field");
    // Filled, the message goes at the next save.
    type_into(&host, "河口乡");
    save_button(&host).click();
    pause(Duration::from_millis(50)).await;
    assert!(host.query_selector(".field-error").ok().flatten().is_none());
    host.remove();
}

#[wasm_bindgen_test]
async fn a_save_that_fails_keeps_the_typing_and_says_why() {
    let (host, _h) = mount("kit-fails", Save::Fails);
    type_into(&host, "双堰街道");
    save_button(&host).click();
    pause(Duration::from_millis(50)).await;
    let (form, state) = mounted();
    assert_eq!(form.get_untracked().township, "双堰街道");
    assert_eq!(input(&host).value(), "双堰街道");
    assert_eq!(state.flash.get_untracked().map(|f| f.message).as_deref(), Some("存储空间已满，没有保存"));
    assert!(!save_button(&host).disabled(), "the form can be saved again");
    host.remove();
}

#[wasm_bindgen_test]
async fn a_draft_comes_back_over_a_new_form() {
    let (host, handle) = mount("kit-draft", Save::Works);
    type_into(&host, "上河村所在的乡");
    // Past the typing pause, and the draft's write.
    pause(Duration::from_millis(1500)).await;
    drop(handle);
    host.remove();

    let (host, _h) = mount("kit-draft", Save::Works);
    pause(Duration::from_millis(800)).await;
    let (form, _) = mounted();
    assert_eq!(form.get_untracked().township, "上河村所在的乡");
    assert_eq!(input(&host).value(), "上河村所在的乡");
    assert!(host.query_selector("[data-test=draft-restored]").ok().flatten().is_some(), "the form says it restored");

    // A save that works ends the draft: a third form opens empty.
    save_button(&host).click();
    pause(Duration::from_millis(800)).await;
    host.remove();
    let (host, _h) = mount("kit-draft", Save::Works);
    pause(Duration::from_millis(800)).await;
    assert_eq!(input(&host).value(), "");
    host.remove();
}
