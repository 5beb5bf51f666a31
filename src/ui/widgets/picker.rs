//! Picking people: the search-as-you-type picker every form with people in it uses, and the
//! short form that registers someone the picker cannot find.

use leptos::prelude::*;

use super::{app_state, required_mark, Choices, TextInput};
use crate::domain::search::SearchIndex;
use crate::domain::{Person, RecordId};
use crate::ui::pinyin::use_pinyin;

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
    people: LocalResource<crate::ui::data::Loaded<Person>>,
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
    #[prop(into)] selected: crate::ui::bind::Bind<Vec<RecordId>>,
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
    let township = RwSignal::new(crate::ui::settings::Settings::load().township);
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
            match crate::ui::data::save(None, person).await {
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
