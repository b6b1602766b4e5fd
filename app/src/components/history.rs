//! History rows as a table, and the recent-history panel of the home and clusters pages.

use super::{loaded_list, paths::entry_path, StatusBadge};
use crate::{
    domain::history::{display_time, HistoryEntry},
    error::AppError,
};
use leptos::prelude::*;

/// How many rows the recent-history panel shows.
pub const RECENT_HISTORY_ROWS: i64 = 10;

/// The newest history rows, newest first (at most 100).
#[server(prefix = "/api", endpoint = "recent_history")]
pub async fn recent_history(limit: i64) -> Result<Vec<HistoryEntry>, AppError> {
    use crate::{backend, domain::permissions::Operation};
    let (state, caller) = backend::context(Operation::ViewHistory).await?;
    backend::ops::history::recent(&state, &caller, limit).await
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
                    loaded_list(rows.await, "Nothing has been done through the portal yet.", |rows| view! { <HistoryTable rows testid="recent-history"/> })
                })}
            </Transition>
            <p><a href="/history">"All history"</a></p>
        </section>
    }
}

/// History rows, newest first; the time of each links to its detail.
#[component]
pub fn HistoryTable(rows: Vec<HistoryEntry>, testid: &'static str) -> impl IntoView {
    view! {
        <table class="table" data-testid=testid>
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
                        <tr data-id=row.id>
                            <td>
                                <a href=entry_path(row.id) title="Details">
                                    <time datetime=row.started_at.clone()>{display_time(&row.started_at)}</time>
                                </a>
                            </td>
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
