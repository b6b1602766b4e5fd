//! Admin: the audit log (sign-ins, denied requests, user and token changes).

#[cfg(feature = "ssr")]
use crate::{backend, domain::permissions::Operation};
use crate::{
    components::loaded_list,
    domain::{accounts::AuditEntry, history::display_time},
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Actions the filter offers.
const ACTIONS: &[&str] = &[
    "sign_in",
    "sign_in_failed",
    "sign_in_throttled",
    "sign_out",
    "denied",
    "first_admin_created",
    "user_added",
    "role_changed",
    "user_disabled",
    "user_enabled",
    "password_reset",
    "token_created",
    "token_revoked",
];

#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn audit_log(action: String) -> Result<Vec<AuditEntry>, AppError> {
    let (state, caller) = backend::context(Operation::ViewAudit).await?;
    backend::ops::accounts::recent_audit(&state, &caller, Some(&action)).await
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let action = move || query.read().get("action").unwrap_or_default();
    let entries = Resource::new(action, audit_log);
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        <form method="get" class="filters">
            <label for="audit-action">"Action"</label>
            <select id="audit-action" name="action">
                <option value="">"all"</option>
                {move || {
                    let current = action();
                    ACTIONS.iter().map(|a| view! {
                        <option value=*a selected=current == *a>{*a}</option>
                    }).collect_view()
                }}
            </select>
            <button type="submit">"Filter"</button>
        </form>
        <section class="panel">
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    loaded_list(entries.await, "Nothing recorded.", |rows| view! {
                            <table class="table" data-testid="audit">
                                <thead><tr>
                                    <th scope="col">"When (UTC)"</th><th scope="col">"Who"</th>
                                    <th scope="col">"Action"</th><th scope="col">"Target"</th>
                                    <th scope="col">"From"</th><th scope="col">"Detail"</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{display_time(&r.at)}</td><td>{r.actor}</td>
                                            <td class="mono">{r.action}</td><td>{r.target}</td>
                                            <td class="mono">{r.client}</td><td>{r.detail}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })
                })}
            </Transition>
        </section>
    }
}
