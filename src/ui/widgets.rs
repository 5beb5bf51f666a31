//! Small pieces shared by pages.

use leptos::prelude::*;

use crate::ui::bind::Bind;

use crate::domain::validate::visible;

mod picker;
pub use picker::{candidates, category_and_township, Candidate, Indexed, PersonPicker};

pub use super::state::{app_state, AppState, Undo};

/// After a refused save: brings the first field in error into view and puts the cursor in it,
/// once the messages have been drawn. The message stands beside its field; nothing floats
/// over the save button.
pub fn show_first_error() {
    set_timeout(
        || {
            use wasm_bindgen::JsCast;
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
            let Ok(Some(error)) = doc.query_selector(".field-error") else { return };
            let Ok(Some(field)) = error.closest(".field") else { return };
            field.scroll_into_view();
            if let Ok(Some(input)) = field.query_selector("input, select, textarea") {
                if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                    let _ = input.focus();
                }
            }
        },
        std::time::Duration::ZERO,
    );
}

/// A page that says one thing: loading, not found, an invalid link, an error.
pub fn page_note(class: &'static str, text: impl Into<String>) -> AnyView {
    let text = text.into();
    view! { <section class="page"><p class=class>{text}</p></section> }.into_any()
}

/// The page of the record its address names (`/orgs/:id`): `page` with that id, or a plain
/// line when the address's id is not one.
pub fn record_page(page: fn(crate::domain::RecordId) -> AnyView) -> impl IntoView {
    let params = crate::ui::shell::router::use_params_map();
    move || match params.with(|p| p.get("id")).and_then(|t| crate::domain::RecordId::parse(&t).ok()) {
        None => page_note("error", "链接中的编号无效"),
        Some(id) => page(id),
    }
}

/// One line of a record's facts (`<dt>`/`<dd>`), left out when there is nothing to say.
pub fn fact(label: &'static str, value: String) -> Option<impl IntoView> {
    (!value.is_empty()).then(|| view! { <dt>{label}</dt><dd>{value}</dd> })
}

/// A row's details ("2026-12-25 · 鹅塘镇 · 宣传册46份") with each piece kept whole: a narrow
/// screen breaks the line between pieces, never inside one.
pub fn pieces(text: &str) -> impl IntoView {
    let parts: Vec<String> = text.split(" · ").map(str::to_owned).collect();
    let last = parts.len().saturating_sub(1);
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| view! { <span class="nowrap">{p}{(i < last).then_some(" ·")}</span>{(i < last).then_some(" ")} })
        .collect_view()
}

/// A labelled form field with its validation message underneath.
#[component]
pub fn Field(
    label: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    /// Marked before anything is typed (the form's `REQUIRED` list).
    #[prop(optional)]
    required: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-label">{label}{required_mark(required)}</span>
            {children()}
            <Show when=move || error.get().is_some()>
                <span class="field-error" role="alert">{move || error.get().unwrap_or_default()}</span>
            </Show>
        </label>
    }
}

/// The red "*" after a required field's label.
pub fn required_mark(required: bool) -> Option<impl IntoView> {
    required.then(|| view! { <span class="required" title="必填">"*"</span> })
}

/// A row of large radio buttons (gender, category...): one tap on a phone, no dropdown; a
/// drop-down (`menu`) where the choices are too many for a row (a record's kind).
#[component]
pub fn Choices(
    label: &'static str,
    name: &'static str,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] value: Bind<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] menu: bool,
) -> impl IntoView {
    if menu {
        return view! {
            <Field label=label required=required error=error>
                <select name=name prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                    {options.into_iter().map(|(key, text)| view! { <option value=key>{text}</option> }).collect_view()}
                </select>
            </Field>
        }
        .into_any();
    }
    view! {
        <fieldset class="field">
            <legend class="field-label">{label}{required_mark(required)}</legend>
            <div class="choices">
                {options.into_iter().map(|(key, text)| view! {
                    <label class="choice">
                        <input type="radio" name=name value=key
                            prop:checked=move || value.with(|v| v == key)
                            on:change=move |_| value.set(key.to_owned())/>
                        {text}
                    </label>
                }).collect_view()}
            </div>
            <Show when=move || error.get().is_some()>
                <span class="field-error" role="alert">{move || error.get().unwrap_or_default()}</span>
            </Show>
        </fieldset>
    }
    .into_any()
}

/// A dropdown of records (a branch, an organiser) by id, with `none` for no choice. The options
/// arrive after the select's value is set (and are drawn again when the records change), so
/// each says whether it is the one, and once they are drawn the select is set to the value
/// again: a replaced option list otherwise leaves it showing `none` while the value is a
/// record (the due list's township read 全部乡镇 while listing 城关镇's people).
#[component]
pub fn RecordSelect(
    label: &'static str,
    none: &'static str,
    /// The value of the `none` choice ("", or a word such as `all` where "" means the default).
    #[prop(default = "")]
    none_value: &'static str,
    #[prop(into)] value: Bind<String>,
    /// (id, name) pairs, in the order shown.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    #[prop(optional)] test: &'static str,
) -> impl IntoView {
    let select = NodeRef::<leptos::html::Select>::new();
    // An effect runs after the options are drawn.
    Effect::new(move |_| {
        options.track();
        let v = value.get();
        if let Some(el) = select.get() {
            el.set_value(&v);
        }
    });
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <select node_ref=select aria-label=label data-test=(!test.is_empty()).then_some(test) prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))>
                <option value=none_value>{none}</option>
                {move || options.get().into_iter().map(|(id, n)| {
                    let on = value.with_untracked(|v| *v == id);
                    view! { <option value=id selected=on>{n}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// A labelled text input bound to a signal.
#[component]
pub fn TextInput(
    label: &'static str,
    #[prop(into)] value: Bind<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] list: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] name: &'static str,
    #[prop(optional)] required: bool,
    /// A date's latest (today, for what has happened).
    #[prop(optional, into)]
    max: Option<String>,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    view! {
        <Field label=label error=error required=required>
            <input type=kind name=name max=max aria-required=required.then_some("true") inputmode=(!inputmode.is_empty()).then_some(inputmode)
                list=(!list.is_empty()).then_some(list) placeholder=placeholder autocomplete="off"
                prop:value=move || value.get() on:input=move |ev| value.set(visible(&event_target_value(&ev)))/>
        </Field>
    }
}

/// A multi-line text field. `autocomplete="off"`, as every text input here: otherwise Chrome
/// keeps what was typed in its session-restore files on disk (a person's health, found there).
#[component]
pub fn TextArea(
    label: &'static str,
    #[prop(into)] value: Bind<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    view! {
        <Field label=label error=error required=required>
            <textarea rows="3" placeholder=placeholder autocomplete="off" aria-required=required.then_some("true")
                prop:value=move || value.get() on:input=move |ev| value.set(visible(&event_target_value(&ev)))></textarea>
        </Field>
    }
}

/// A file chooser as a large button with a Chinese label and the chosen file's name: the
/// browser's own control is small and speaks the phone's language (often English). The
/// `<input type="file" class="hidden-input">` is the child; its `change` bubbles to here.
#[component]
pub fn FilePick(label: &'static str, children: Children) -> impl IntoView {
    let chosen = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let name = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
            .map(|f| f.name());
        chosen.set(name);
    };
    view! {
        <label class="field file-pick" on:change=on_change>
            <span class="field-label">{label}</span>
            <span class="file-row">
                <span class="button">"选择文件"</span>
                <span class="file-name" data-test="file-name">{move || chosen.get().unwrap_or_else(|| "未选择文件".into())}</span>
            </span>
            {children()}
        </label>
    }
}

/// One tick box.
#[component]
pub fn Check(label: &'static str, #[prop(into)] value: Bind<bool>) -> impl IntoView {
    view! {
        <label class="choice check">
            <input type="checkbox" prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
            {label}
        </label>
    }
}

/// Several tick boxes over keys (roles, 五老...): the signal holds the ticked keys.
#[component]
pub fn Checks(
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] value: Bind<Vec<&'static str>>,
) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend class="field-label">{label}</legend>
            <div class="choices">
                {options.into_iter().map(|(key, text)| view! {
                    <label class="choice check">
                        <input type="checkbox" value=key prop:checked=move || value.with(|v| v.contains(&key))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                value.update(|v| {
                                    v.retain(|k| *k != key);
                                    if on { v.push(key) }
                                });
                            }/>
                        {text}
                    </label>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// Township names from the places list, offered as suggestions in township inputs
/// (`list="townships"`).
#[component]
pub fn TownshipList() -> impl IntoView {
    let places = super::data::resource::<crate::domain::Place>();
    let names = move || {
        places.with(|r| {
            r.as_ref().and_then(|r| r.as_ref().ok()).map_or_else(Vec::new, |v| {
                v.iter().filter(|p| !p.deleted).map(|p| p.body.township.clone()).collect::<Vec<_>>()
            })
        })
    };
    view! {
        <datalist id="townships">
            {move || names().into_iter().map(|t| view! { <option value=t/> }).collect_view()}
        </datalist>
    }
}

/// Whether the window is desk-wide (from 1024 px): the registry and the month's log are then
/// tables with sortable columns; below, phone lists.
pub fn desk_wide() -> Signal<bool> {
    let wide =
        || web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).is_some_and(|w| w >= 1024.0);
    let on = RwSignal::new(wide());
    let handle = window_event_listener(leptos::ev::resize, move |_| {
        let now = wide();
        if on.get_untracked() != now {
            on.set(now);
        }
    });
    on_cleanup(move || handle.remove());
    on.into()
}

/// A sortable column's header: a button that sorts by it, and turns it round on a second tap.
pub fn sort_header<C: Copy + PartialEq + Send + Sync + 'static>(
    sort: RwSignal<Option<crate::domain::columns::Sort<C>>>,
    column: C,
    label: &'static str,
) -> impl IntoView {
    use crate::domain::columns::Sort;
    let arrow = move || match sort.get() {
        Some(s) if s.column == column && s.descending => " ▼",
        Some(s) if s.column == column => " ▲",
        _ => "",
    };
    view! {
        <th scope="col" aria-sort=move || Sort::aria(sort.get(), column)>
            <button type="button" class="sort" on:click=move |_| sort.set(Some(Sort::tapped(sort.get_untracked(), column)))>
                {label}{arrow}
            </button>
        </th>
    }
}
