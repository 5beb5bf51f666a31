//! A page of one kind of record kept inline (mediation cases, public feedback): the form at the
//! top, for a new record or the one opened from the list below it, newest first. A link with
//! `?edit=<id>` (a draft's) opens that record's form.

use std::cmp::Ordering;

use leptos::prelude::*;

use crate::domain::order::sort_by;
use crate::domain::Record;
use crate::storage::Kind;
use crate::ui::data;
use crate::ui::draft;

/// The record open in the page's form, if any.
pub type Editing<T> = RwSignal<Option<Record<T>>>;

/// What differs between the pages.
pub struct InlinePage<T: 'static> {
    pub title: &'static str,
    /// The list's heading, before its count: "案件（3）".
    pub list: &'static str,
    pub empty: &'static str,
    pub order: fn(&T, &T) -> Ordering,
    /// A row's name and its line below.
    pub row: fn(&T) -> (String, String),
    /// The form for a record (or a new one); it closes by setting `editing` to none.
    pub editor: fn(Option<Record<T>>, Editing<T>) -> AnyView,
}

pub fn inline_page<T: Kind + Clone + Send + Sync + 'static>(page: InlinePage<T>) -> impl IntoView {
    let InlinePage { title, list, empty, order, row, editor } = page;
    let items = data::resource::<T>();
    // The record open in the form; the form is made afresh for each, so a draft belongs to one.
    let editing = RwSignal::new(None::<Record<T>>);
    draft::open_asked(items, editing);
    let open = move |r: Record<T>| editing.set(Some(r));
    view! {
        <section class="page">
            <h1>{title}</h1>
            {move || editor(editing.get(), editing)}
            {move || items.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Ok(all) => {
                    let mut live: Vec<Record<T>> = all.iter().filter(|c| !c.deleted).cloned().collect();
                    sort_by(&mut live, |a, b| order(&a.body, &b.body));
                    if live.is_empty() {
                        return view! { <p class="muted empty">{empty}</p> }.into_any();
                    }
                    view! {
                        <h2>{format!("{list}（{}）", live.len())}</h2>
                        <ul class="list" data-test=T::STORE>{live.into_iter().map(|r| {
                            let (name, meta) = row(&r.body);
                            view! {
                                <li class="row"><button type="button" class="row-main link" on:click=move |_| open(r.clone())>
                                    <span class="name">{name}</span><span class="meta">{meta}</span>
                                </button></li>
                            }
                        }).collect_view()}</ul>
                    }.into_any()
                }
            })}
        </section>
    }
}
