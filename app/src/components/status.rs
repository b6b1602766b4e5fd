use crate::domain::history::HistoryStatus;
use leptos::prelude::*;

/// A coloured badge for a history row's status.
#[component]
pub fn StatusBadge(status: HistoryStatus) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", status.as_str())>{status.as_str()}</span> }
}
