//! How errors look on a page: one alert, and a loaded value or its error.

use crate::error::AppError;
use leptos::prelude::*;

/// An error as every page shows it (`role="alert"`, so screen readers announce it).
#[component]
pub fn ErrorAlert(
    #[prop(into)] message: String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    view! {
        <p class="alert alert-error" role="alert" data-testid=(!testid.is_empty()).then_some(testid)>
            {message}
        </p>
    }
}

/// What a resource loaded, shown by `view`, or its error as an [`ErrorAlert`].
pub fn loaded<T, V>(result: Result<T, AppError>, view: impl FnOnce(T) -> V) -> AnyView
where
    V: IntoView + 'static,
{
    match result {
        Ok(value) => view(value).into_any(),
        Err(err) => view! { <ErrorAlert message=err.to_string()/> }.into_any(),
    }
}

/// A loaded list shown by `view`, `<p class="empty">{empty}</p>` when it has nothing, or its
/// error as an [`ErrorAlert`].
pub fn loaded_list<T, V>(
    result: Result<Vec<T>, AppError>,
    empty: &'static str,
    view: impl FnOnce(Vec<T>) -> V,
) -> AnyView
where
    V: IntoView + 'static,
{
    loaded(result, |list| {
        if list.is_empty() {
            view! { <p class="empty">{empty}</p> }.into_any()
        } else {
            view(list).into_any()
        }
    })
}
