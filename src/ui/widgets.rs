//! Small pieces shared by pages.

use leptos::prelude::*;

use crate::domain::RecordId;

/// A one-line message after an action, with an optional undo for a delete.
#[derive(Clone, Debug, PartialEq)]
pub struct Flash {
    pub message: String,
    pub undo_delete: Option<RecordId>,
}

/// App-wide state shared through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub flash: RwSignal<Option<Flash>>,
    /// Bumped after every write so lists read again.
    pub revision: RwSignal<u32>,
}

impl AppState {
    pub fn new() -> AppState {
        AppState { flash: RwSignal::new(None), revision: RwSignal::new(0) }
    }

    pub fn changed(&self) {
        self.revision.update(|r| *r = r.wrapping_add(1));
    }

    pub fn say(&self, message: impl Into<String>) {
        self.flash.set(Some(Flash { message: message.into(), undo_delete: None }));
    }
}

pub fn app_state() -> AppState {
    use_context::<AppState>().unwrap_or_else(AppState::new)
}

/// A labelled form field with its validation message underneath.
#[component]
pub fn Field(label: &'static str, #[prop(into)] error: Signal<Option<String>>, children: Children) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            {children()}
            <Show when=move || error.get().is_some()>
                <span class="field-error" role="alert">{move || error.get().unwrap_or_default()}</span>
            </Show>
        </label>
    }
}

/// A row of large radio buttons (gender, category...): one tap on a phone, no dropdown.
#[component]
pub fn Choices(
    label: &'static str,
    name: &'static str,
    options: Vec<(&'static str, &'static str)>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend class="field-label">{label}</legend>
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
