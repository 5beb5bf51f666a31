//! Small pieces shared by pages.

use leptos::prelude::*;

use super::pinyin::use_pinyin;
use crate::domain::search::SearchIndex;
use crate::domain::validate::visible;
use crate::domain::{Person, RecordId};
use crate::storage::Kind;

/// A delete that can be undone: the record's store, its id and what to call it. Kept by store
/// name rather than type so the shell's undo button names no record kind: a typed undo would
/// pull every kind's code into the first download.
#[derive(Clone, Debug, PartialEq)]
pub struct Undo {
    pub store: &'static str,
    pub id: RecordId,
    pub name: String,
}

/// A one-line message after an action, with an optional undo for a delete.
#[derive(Clone, Debug, PartialEq)]
pub struct Flash {
    pub message: String,
    pub undo: Option<Undo>,
}

/// App-wide state shared through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub flash: RwSignal<Option<Flash>>,
    /// Bumped after every write so lists read again.
    pub revision: RwSignal<u32>,
    /// How many stored records the reads so far had to skip (`storage::unreadable`).
    pub unreadable: RwSignal<usize>,
}

impl AppState {
    pub fn new() -> AppState {
        AppState { flash: RwSignal::new(None), revision: RwSignal::new(0), unreadable: RwSignal::new(0) }
    }

    /// After a write here: lists read again, in this tab and (by broadcast) in the others.
    pub fn changed(&self) {
        self.refresh();
        super::data::announce_change();
    }

    /// Lists read again (a write in another tab).
    pub fn refresh(&self) {
        self.revision.update(|r| *r = r.wrapping_add(1));
    }

    pub fn say(&self, message: impl Into<String>) {
        self.flash.set(Some(Flash { message: message.into(), undo: None }));
    }

    /// Says a record was deleted and offers to undo it.
    pub fn deleted<T: Kind>(&self, id: RecordId, name: &str) {
        let undo = Undo { store: T::STORE, id, name: name.to_owned() };
        self.flash.set(Some(Flash { message: format!("已删除 {name}"), undo: Some(undo) }));
        self.changed();
    }
}

pub fn app_state() -> AppState {
    use_context::<AppState>().unwrap_or_else(AppState::new)
}

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

/// A row of large radio buttons (gender, category...): one tap on a phone, no dropdown.
#[component]
pub fn Choices(
    label: &'static str,
    name: &'static str,
    options: Vec<(&'static str, &'static str)>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
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
}

/// A labelled text input bound to a signal.
#[component]
pub fn TextInput(
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] list: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] name: &'static str,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    view! {
        <Field label=label error=error required=required>
            <input type=kind name=name aria-required=required.then_some("true") inputmode=(!inputmode.is_empty()).then_some(inputmode)
                list=(!list.is_empty()).then_some(list) placeholder=placeholder autocomplete="off"
                prop:value=move || value.get() on:input=move |ev| value.set(visible(&event_target_value(&ev)))/>
        </Field>
    }
}

/// A multi-line text field.
#[component]
pub fn TextArea(
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    view! {
        <Field label=label error=error required=required>
            <textarea rows="3" placeholder=placeholder aria-required=required.then_some("true")
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
pub fn Check(label: &'static str, value: RwSignal<bool>) -> impl IntoView {
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
    value: RwSignal<Vec<&'static str>>,
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

/// A search index that signals compare by identity (building one is the costly part).
#[derive(Clone)]
pub struct Indexed(pub std::sync::Arc<SearchIndex>);

impl PartialEq for Indexed {
    fn eq(&self, other: &Indexed) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Someone who can be picked: id, name, and a hint shown beside the name (category, township).
pub type Candidate = (RecordId, String, String);

/// The people a picker offers: the live ones `keep` accepts, each with a line (`meta`) that
/// tells namesakes apart. One copy for every page with a picker.
pub fn candidates(
    people: LocalResource<super::data::Loaded<Person>>,
    keep: fn(&Person) -> bool,
    meta: fn(&Person) -> String,
) -> Signal<Vec<Candidate>> {
    Signal::derive(move || {
        people.with(|r| {
            r.as_ref().and_then(|r| r.as_ref().ok()).map_or_else(Vec::new, |v| {
                v.iter()
                    .filter(|p| !p.deleted && keep(&p.body))
                    .map(|p| (p.id.clone(), p.body.name.clone(), meta(&p.body)))
                    .collect()
            })
        })
    })
}

/// "离休 城关镇": the usual line under a name in a picker.
pub fn category_and_township(p: &Person) -> String {
    format!("{} {}", p.category.label(), p.township)
}

/// Picks people by typing part of a name, its pinyin or initials. A name found nowhere can be
/// registered on the spot (`QuickPerson`) and is picked at once: the form being filled stays.
#[component]
pub fn PersonPicker(
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] candidates: Signal<Vec<Candidate>>,
    selected: RwSignal<Vec<RecordId>>,
    #[prop(default = true)] multiple: bool,
    /// The form's message for this field, shown inside it (a refused save focuses the search).
    #[prop(optional, into)]
    error: Option<Signal<Option<String>>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let pinyin = use_pinyin();
    let query = RwSignal::new(String::new());
    // Registering someone new: the name typed; and the people added here, named until the
    // list of people has read them back.
    let adding = RwSignal::new(None::<String>);
    let added = RwSignal::new(Vec::<(RecordId, String)>::new());
    let index = Memo::new(move |_| {
        let table = pinyin.0.get();
        candidates.with(|c| {
            Indexed(std::sync::Arc::new(SearchIndex::build(
                c.iter().map(|(_, n, h)| (n.as_str(), h.clone())),
                table.as_deref(),
            )))
        })
    });
    let hits = move || {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        let idx = index.get();
        let chosen = selected.get();
        candidates.with(|c| {
            idx.0
                .search(&q, |i| !chosen.contains(&c[i].0))
                .into_iter()
                .take(8)
                .map(|i| c[i].clone())
                .collect::<Vec<_>>()
        })
    };
    let name_of = move |id: &RecordId| {
        candidates
            .with(|c| c.iter().find(|(cid, _, _)| cid == id).map(|(_, n, _)| n.clone()))
            .or_else(|| added.with(|a| a.iter().find(|(aid, _)| aid == id).map(|(_, n)| n.clone())))
            .unwrap_or_else(|| "（已删除或未在本机的人员）".into())
    };
    let picked = move |id: RecordId, name: String| {
        added.update(|a| a.push((id.clone(), name)));
        if multiple {
            selected.update(|v| v.push(id))
        } else {
            selected.set(vec![id])
        }
        query.set(String::new());
        adding.set(None);
    };
    // Offered once a name is typed that matches nobody.
    let offer = move || {
        let q = query.get();
        let q = q.trim();
        (!q.is_empty() && adding.with(Option::is_none) && hits().is_empty()).then(|| q.to_owned())
    };
    view! {
        <div class="field picker">
            <span class="field-label">{move || label.get()}{required_mark(required)}</span>
            <div class="chips">
                {move || selected.get().into_iter().map(|id| {
                    let name = name_of(&id);
                    let remove = id.clone();
                    view! {
                        <span class="chip">{name.clone()}
                            <button type="button" class="link" aria-label=format!("移除{name}")
                                on:click=move |_| selected.update(|v| v.retain(|x| *x != remove))>"×"</button>
                        </span>
                    }
                }).collect_view()}
            </div>
            <input type="search" placeholder="输入姓名、拼音或首字母" aria-label=move || format!("{}搜索", label.get())
                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            <ul class="picks">
                {move || hits().into_iter().map(|(id, name, hint)| view! {
                    <li><button type="button" class="pick" on:click=move |_| {
                        let id = id.clone();
                        if multiple { selected.update(|v| v.push(id)) } else { selected.set(vec![id]) }
                        query.set(String::new());
                    }>{name}<span class="muted">{hint}</span></button></li>
                }).collect_view()}
            </ul>
            {move || offer().map(|name| {
                let shown = name.clone();
                view! {
                    <button type="button" class="button add-person" data-test="add-person"
                        on:click=move |_| adding.set(Some(name.clone()))>{format!("＋ 登记新人员：{shown}")}</button>
                }
            })}
            <Show when=move || error.get().is_some()>
                <span class="field-error" role="alert">{move || error.get().unwrap_or_default()}</span>
            </Show>
            {move || adding.get().map(|name| view! {
                <QuickPerson name=name on_added=Callback::new(move |(id, n)| picked(id, n)) on_cancel=Callback::new(move |()| adding.set(None))/>
            })}
        </div>
    }
}

/// The short form for someone new, inside another form: name, gender, category, birth date,
/// township. The rest is filled in on the person's own page later.
#[component]
fn QuickPerson(name: String, on_added: Callback<(RecordId, String)>, on_cancel: Callback<()>) -> impl IntoView {
    use crate::domain::{Category, FieldErrors, Gender, PersonForm};
    let state = app_state();
    let name = RwSignal::new(name);
    let gender = RwSignal::new(String::new());
    let category = RwSignal::new(Category::Tuixiu.key().to_owned());
    let birth_date = RwSignal::new(String::new());
    let township = RwSignal::new(super::settings::Settings::load().township);
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));
    let save = move |_| {
        if busy.get_untracked() {
            return;
        }
        let form = PersonForm {
            name: name.get_untracked(),
            gender: gender.get_untracked(),
            category: category.get_untracked(),
            birth_date: birth_date.get_untracked(),
            township: township.get_untracked(),
            ..PersonForm::default()
        };
        let person = match form.validate(crate::storage::web::today()) {
            Ok(p) => p,
            Err(e) => return errors.set(e),
        };
        errors.set(FieldErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            match super::data::save(None, person).await {
                Ok(r) => {
                    state.say(format!("已登记 {}，其余信息可稍后在人员页补充", r.body.name));
                    state.changed();
                    on_added.run((r.id, r.body.name));
                }
                Err(e) => {
                    state.say(e.to_string());
                    busy.set(false);
                }
            }
        });
    };
    view! {
        // Enter here must not submit the form around it.
        <div class="card quick-person" data-test="quick-person"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { ev.prevent_default() }>
            <p class="field-label">"登记新人员（带 * 的必填，其余可稍后在人员页补充）"</p>
            <TextInput label="姓名" required=true value=name error=error_of("name")/>
            <Choices label="性别" required=true name="quick-gender" value=gender error=error_of("gender")
                options=Gender::ALL.iter().map(|g| (g.key(), g.label())).collect()/>
            <Choices label="类别" required=true name="quick-category" value=category error=error_of("category")
                options=Category::ALL.iter().map(|c| (c.key(), c.label())).collect()/>
            <TextInput label="出生日期" required=true inputmode="numeric" placeholder="如 19480312 或 1948-03-12" value=birth_date error=error_of("birth_date")/>
            <TextInput label="乡镇（街道）" required=true value=township error=error_of("township")/>
            <div class="form-actions">
                <button type="button" class="button primary" disabled=move || busy.get() on:click=save>"登记并加入"</button>
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>"取消"</button>
            </div>
        </div>
    }
}

/// Township names from the places list, offered as suggestions in township inputs.
#[component]
pub fn TownshipList(#[prop(into)] places: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <datalist id="townships">
            {move || places.get().into_iter().map(|t| view! { <option value=t/> }).collect_view()}
        </datalist>
    }
}
