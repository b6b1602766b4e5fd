//! Form fields that show their error next to them, and the outcome of a submitted form.

use super::ErrorAlert;
use crate::error::AppError;
use leptos::prelude::*;

/// The error of an action (`action.value()`), if its last run failed.
pub fn action_error<T, V>(value: V) -> Signal<Option<AppError>>
where
    V: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(Result::err))
}

/// The message for one field of an action's error (`action.value()`).
pub fn field_error<T, V>(value: V, field: &'static str) -> Signal<Option<String>>
where
    V: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || {
        value
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field_message(field))
    })
}

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
                .map(|e| view! { <ErrorAlert message=e.to_string()/> })
        }}
        {move || {
            success.get().map(|m| view! { <p class="alert alert-success" role="status">{m}</p> })
        }}
    }
}

/// A field's error right below it (when it has one), for fields that are not a
/// [`TextField`].
#[component]
pub fn FieldErrorText(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
    }
}

/// A labelled input (or text area) for one field of a form model, named `fields[<key>]`
/// (the no-JavaScript round trip reads them back): `value` reads the field, `on_input`
/// writes it, and its error shows right below it.
#[component]
pub fn ModelField(
    #[prop(into)] label: String,
    /// The field's key: the element is `field-<key>`, the input `fields[<key>]`.
    #[prop(into)]
    key: String,
    value: Signal<String>,
    on_input: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: &'static str,
    /// `text` unless given (`number`, ...).
    #[prop(optional)]
    input_type: &'static str,
    /// A three-line text area instead of an input.
    #[prop(optional)]
    multiline: bool,
    /// A text area in a monospace font (variables, secrets).
    #[prop(optional)]
    mono: bool,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: &'static str,
    /// Ties the error to the input for screen readers (`aria-describedby`).
    #[prop(optional)]
    describe_error: bool,
) -> impl IntoView {
    let id = format!("field-{key}");
    let name = format!("fields[{key}]");
    let error_id = describe_error.then(|| format!("{id}-error"));
    let input_type = if input_type.is_empty() {
        "text"
    } else {
        input_type
    };
    let initial = value.get_untracked();
    let invalid = move || error.get().is_some().then_some("true");
    let control = match (multiline, mono) {
        (true, true) => view! {
            <textarea id=id.clone() name=name rows="3" class="mono" aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))>{initial}</textarea>
        }
        .into_any(),
        (true, false) => view! {
            <textarea id=id.clone() name=name rows="3" aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))>{initial}</textarea>
        }
        .into_any(),
        (false, _) => view! {
            <input id=id.clone() name=name type=input_type autocomplete="off" value=initial
                list=(!list.is_empty()).then_some(list)
                aria-invalid=invalid
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
        }
        .into_any(),
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id>{label}</label>
            {control}
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}
