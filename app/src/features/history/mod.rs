//! Deployment history. For now: the recent-history panel on the home and clusters pages.

use crate::{
    components::StatusBadge,
    domain::history::{display_time, HistoryEntry},
    error::AppError,
};
use leptos::prelude::*;

/// How many rows the recent-history panel shows.
pub const RECENT_HISTORY_ROWS: i64 = 10;

/// The newest history rows, newest first (at most 100).
#[server(prefix = "/api", endpoint = "recent_history")]
pub async fn recent_history(limit: i64) -> Result<Vec<HistoryEntry>, AppError> {
    let state = crate::backend::app_state()?;
    let caller = crate::backend::auth::Caller::from_request();
    crate::backend::respond(crate::backend::ops::history::recent(&state, &caller, limit).await)
}

/// The last ten recorded actions. `refresh` reloads the panel whenever it changes
/// (pass an action's version so the panel follows the page's own actions).
#[component]
pub fn RecentHistory(#[prop(optional, into)] refresh: Option<Signal<usize>>) -> impl IntoView {
    let rows = Resource::new(
        move || refresh.map(|r| r.get()).unwrap_or_default(),
        |_| recent_history(RECENT_HISTORY_ROWS),
    );
    view! {
        <section class="panel" aria-labelledby="recent-history-title">
            <h2 id="recent-history-title">"Recent history"</h2>
            <Transition fallback=|| view! { <p>"Loading history…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! {
                            <p class="empty">"Nothing has been done through the portal yet."</p>
                        }.into_any(),
                        Ok(rows) => view! { <HistoryTable rows/> }.into_any(),
                        Err(err) => view! {
                            <p class="alert alert-error" role="alert">{err.to_string()}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn HistoryTable(rows: Vec<HistoryEntry>) -> impl IntoView {
    view! {
        <table class="table" data-testid="recent-history">
            <thead>
                <tr>
                    <th scope="col">"When (UTC)"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"Who"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Took"</th>
                    <th scope="col">"Error"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let took = row.duration_ms.map(|ms| format!("{ms} ms")).unwrap_or_default();
                    view! {
                        <tr>
                            <td><time datetime=row.started_at.clone()>{display_time(&row.started_at)}</time></td>
                            <td>{row.kind_label()}</td>
                            <td class="mono">{row.target.clone()}</td>
                            <td>{row.actor.clone()}</td>
                            <td><StatusBadge status=row.status/></td>
                            <td class="num">{took}</td>
                            <td class="error-text">{row.error.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
