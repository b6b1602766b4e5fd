//! Deployment history: the searchable history (`/history`, filters in the address, keyset
//! pages, export links) and one entry's detail (`/history/{id}`). The recent-history panel
//! of the home and clusters pages is `components::RecentHistory`.

#[cfg(feature = "ssr")]
use crate::{backend, domain::permissions::Operation};
use crate::{
    components::{ChangeTable, ErrorAlert, HistoryTable, StatusBadge},
    domain::history::{
        cursor::Cursor,
        detail::{HistoryDetail, RolloutDiff},
        display_time,
        filter::{query_pairs, HistoryPage, HistoryQuery},
        HistoryKind,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

/// One page of history. `query` is the history page's query string (`kind=rollout&since=...`),
/// read by the same parser as `/api/v1/history`.
#[server(prefix = "/api", endpoint = "search_history")]
pub async fn search_history(query: String) -> Result<HistoryPage, AppError> {
    let (state, caller) = backend::context(Operation::ViewHistory).await?;
    backend::ops::history::search(&state, &caller, &query).await
}

/// One entry with its related entries (and a rollout's task definition diff).
#[server(prefix = "/api", endpoint = "history_entry")]
pub async fn history_entry_detail(id: i64) -> Result<HistoryDetail, AppError> {
    let (state, caller) = backend::context(Operation::ViewHistory).await?;
    backend::ops::history::detail(&state, &caller, id).await
}

/// `/history`: every recorded action, newest first, filtered by the address's query
/// (a GET form, so it works without JavaScript and the link can be shared).
#[component]
pub fn HistorySearchPage() -> impl IntoView {
    let location = use_location();
    let search = move || location.search.get();
    let page = Resource::new(search, search_history);
    view! {
        <Title text="History"/>
        <h1>"History"</h1>
        <Transition fallback=|| view! { <p>"Loading history…"</p> }>
            {move || Suspend::new(async move {
                let raw = search();
                let result = page.await;
                let errors = match &result {
                    Err(err) => err.field_errors().to_vec(),
                    Ok(_) => vec![],
                };
                view! {
                    <FilterForm values=query_pairs(&raw) errors/>
                    {match result {
                        Ok(page) => view! { <HistoryResults page raw/> }.into_any(),
                        Err(err) => view! {
                            <ErrorAlert message=err.to_string() testid="history-error"/>
                        }.into_any(),
                    }}
                }
            })}
        </Transition>
    }
}

/// The filters, filled from the address, each with its error.
#[component]
fn FilterForm(
    values: Vec<(String, String)>,
    errors: Vec<crate::error::FieldError>,
) -> impl IntoView {
    let value = |name: &str| {
        values
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let error = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone())
    };
    let text = |name: &'static str,
                label: &'static str,
                input_type: &'static str,
                placeholder: &'static str| {
        let id = format!("history-{name}");
        let current = value(name);
        let problem = error(name);
        let invalid = problem.is_some();
        view! {
            <div class="field" class:has-error=invalid>
                <label for=id.clone()>{label}</label>
                <input id=id type=input_type name=name placeholder=placeholder
                    value=current.clone() prop:value=current
                    aria-invalid=invalid.then_some("true")/>
                {problem.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            </div>
        }
    };
    let kind = value("kind");
    let status = value("status");
    let limit = value("limit");
    let kind_error = error("kind");
    let kind_invalid = kind_error.is_some();
    let status_error = error("status");
    let status_invalid = status_error.is_some();
    let other_errors: Vec<String> = errors
        .iter()
        .filter(|e| matches!(e.field.as_str(), "limit" | "cursor"))
        .map(|e| e.message.clone())
        .collect();
    view! {
        <form method="get" action="/history" class="panel filters" role="search" aria-label="Filter history">
            <div class="filter-grid">
                <div class="field" class:has-error=kind_invalid>
                    <label for="history-kind">"Action"</label>
                    <select id="history-kind" name="kind">
                        <option value="" selected=kind.is_empty()>"Any action"</option>
                        {HistoryKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=kind == k.as_str()>{k.describe()}</option>
                        }).collect_view()}
                    </select>
                    {kind_error.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                {text("cluster", "Cluster", "text", "prod")}
                {text("service", "Service", "text", "web")}
                {text("family", "Task definition family", "text", "web-app")}
                {text("actor", "Who", "text", "username")}
                <div class="field" class:has-error=status_invalid>
                    <label for="history-status">"Status"</label>
                    <select id="history-status" name="status">
                        <option value="" selected=status.is_empty()>"Any status"</option>
                        {["pending", "succeeded", "failed"].into_iter().map(|s| view! {
                            <option value=s selected=status == s>{s}</option>
                        }).collect_view()}
                    </select>
                    {status_error.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                {text("since", "From (UTC)", "date", "2026-11-01")}
                {text("until", "Until (UTC)", "date", "2026-11-30")}
                {text("q", "Text", "search", "image, role, error…")}
            </div>
            {(!limit.is_empty()).then(|| view! { <input type="hidden" name="limit" value=limit.clone()/> })}
            {other_errors.into_iter().map(|m| view! { <ErrorAlert message=m/> }).collect_view()}
            <p>
                <button type="submit" class="primary">"Filter"</button>
                " "
                <a href="/history">"Clear filters"</a>
            </p>
        </form>
    }
}

/// A page of results with its neighbours and export links.
#[component]
fn HistoryResults(page: HistoryPage, raw: String) -> impl IntoView {
    let query = HistoryQuery::from_query_string(&raw).unwrap_or_default();
    let link = |cursor: &Option<String>| {
        cursor
            .as_deref()
            .and_then(|c| Cursor::decode(c).ok())
            .map(|c| format!("/history?{}", query.with_cursor(Some(c))))
    };
    let (newer, older) = (link(&page.prev_cursor), link(&page.next_cursor));
    let filters = query.first_page();
    let export = |format: &str| {
        if filters.is_empty() {
            format!("/api/v1/history/export?format={format}")
        } else {
            format!("/api/v1/history/export?format={format}&{filters}")
        }
    };
    let pager = move || {
        view! {
            <nav class="pager" aria-label="Pages">
                {newer.clone().map(|href| view! { <a href=href rel="prev">"← Newer"</a> })}
                " "
                {older.clone().map(|href| view! { <a href=href rel="next">"Older →"</a> })}
            </nav>
        }
    };
    view! {
        <section class="panel" aria-labelledby="history-results-title">
            <h2 id="history-results-title">
                {if query.filter.is_empty() { "Everything, newest first" } else { "Matching entries, newest first" }}
            </h2>
            <p class="export-links">
                <a href=export("csv") download rel="external">"Export CSV"</a>
                " · "
                <a href=export("json") download rel="external">"Export JSON"</a>
            </p>
            {if page.items.is_empty() {
                view! { <p class="empty" data-testid="history-empty">"No history matches these filters."</p> }.into_any()
            } else {
                view! { <HistoryTable rows=page.items testid="history"/> }.into_any()
            }}
            {pager()}
        </section>
    }
}

/// `/history/{id}`: one entry in full.
#[component]
pub fn HistoryEntryPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let detail = Resource::new(id, history_entry_detail);
    view! {
        <Title text=move || format!("History entry {}", id())/>
        <p><a href="/history">"History"</a>" /"</p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <EntryDetail detail/> }.into_any(),
                    Err(err) => view! {
                        <h1>"History entry"</h1>
                        <ErrorAlert message=err.to_string()/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[component]
fn EntryDetail(detail: HistoryDetail) -> impl IntoView {
    let HistoryDetail {
        entry,
        related,
        rollout_diff,
    } = detail;
    let fact = |label: &'static str, value: String| {
        view! { <tr><th scope="row">{label}</th><td>{value}</td></tr> }
    };
    let took = entry
        .duration_ms
        .map(|ms| format!("{ms} ms"))
        .unwrap_or_else(|| "still running".to_string());
    view! {
        <h1>{entry.kind_label()} " " <span class="mono">{entry.target.clone()}</span></h1>
        <div class="columns">
            <section class="panel" aria-labelledby="entry-facts-title">
                <h2 id="entry-facts-title">"What happened"</h2>
                <table class="table facts" data-testid="entry-facts">
                    <tbody>
                        {fact("Action", format!("{} ({})", entry.kind_label(), entry.kind))}
                        {fact("Target", entry.target.clone())}
                        {fact("Who", entry.actor.clone())}
                        <tr><th scope="row">"Status"</th><td><StatusBadge status=entry.status/></td></tr>
                        {fact("When (UTC)", display_time(&entry.started_at))}
                        {fact("Took", took)}
                    </tbody>
                </table>
                {entry.error.clone().map(|e| view! { <ErrorAlert message=e testid="entry-error"/> })}
            </section>
            <section class="panel" aria-labelledby="entry-request-title">
                <h2 id="entry-request-title">"Request"</h2>
                <pre class="mono json" data-testid="entry-request">{pretty(&entry.request)}</pre>
                <h2>{if entry.error.is_some() { "Error detail" } else { "AWS response" }}</h2>
                <pre class="mono json" data-testid="entry-response">
                    {entry.response.as_ref().map(pretty).unwrap_or_else(|| "No answer yet.".to_string())}
                </pre>
            </section>
        </div>
        {rollout_diff.map(|diff| view! { <RolloutChanges diff/> })}
        <section class="panel" aria-labelledby="related-title">
            <h2 id="related-title">"Related entries"</h2>
            {if related.is_empty() {
                view! { <p class="empty">"No other entry belongs with this one."</p> }.into_any()
            } else {
                view! { <HistoryTable rows=related testid="related-history"/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn RolloutChanges(diff: RolloutDiff) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="rollout-diff-title" data-testid="rollout-diff">
            <h2 id="rollout-diff-title">"Task definition change"</h2>
            <p class="mono">
                {diff.from.clone().unwrap_or_else(|| "(none)".to_string())} " → " {diff.to.clone()}
            </p>
            {diff.note.map(|n| view! { <p class="hint">{n}</p> })}
        </section>
        {diff.changes.map(|changes| view! { <ChangeTable changes/> })}
    }
}
