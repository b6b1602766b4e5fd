//! Form fields that show their error next to them.

use crate::error::AppError;
use leptos::prelude::*;

/// A labelled text input bound to `value`, with the error (if any) right below it.
///
/// `name` is the form field name the server function receives. `error` is shown when
/// present; `aria-invalid` and `aria-describedby` tie it to the input for screen readers.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] hint: &'static str,
    /// `text` unless given (`password`, `number`, ...).
    #[prop(optional)]
    input_type: &'static str,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    let input_type = if input_type.is_empty() {
        "text"
    } else {
        input_type
    };
    let autocomplete = if autocomplete.is_empty() {
        "off"
    } else {
        autocomplete
    };
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if !hint.is_empty() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                placeholder=placeholder
                prop:value=move || value.get()
                value=(input_type != "password").then(|| value.get_untracked())
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            />
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// The outcome of a submitted form: an error not tied to one field, or a success message.
#[component]
pub fn FormAlert(
    #[prop(into, optional)] error: MaybeProp<AppError>,
    #[prop(into, optional)] success: MaybeProp<String>,
) -> impl IntoView {
    view! {
        {move || {
            error
                .get()
                .filter(|e| e.field_errors().is_empty())
                .map(|e| view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> })
        }}
        {move || {
            success.get().map(|m| view! { <p class="alert alert-success" role="status">{m}</p> })
        }}
    }
}
