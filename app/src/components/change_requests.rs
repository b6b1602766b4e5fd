//! IAM change requests as the approvals and role pages list them.

use super::paths::request_path;
use crate::domain::iam::{
    change_request::{age_label, ChangeRequest, ChangeStatus},
    lint::Severity,
};
use leptos::prelude::*;

#[component]
pub fn ChangeStatusBadge(status: ChangeStatus) -> impl IntoView {
    view! { <span class=format!("badge badge-cr-{}", status.as_str())>{status.as_str()}</span> }
}

#[component]
pub fn SeverityBadge(severity: Option<Severity>) -> impl IntoView {
    match severity {
        Some(s) => {
            view! { <span class=format!("badge badge-severity-{}", s.as_str())>{s.as_str()}</span> }
                .into_any()
        }
        None => view! { <span class="hint">"none"</span> }.into_any(),
    }
}

/// Requests as a table: who asked for what, how long ago, the worst finding, the status.
#[component]
pub fn ChangeRequestTable(requests: Vec<ChangeRequest>) -> impl IntoView {
    view! {
        <table class="table" data-testid="change-requests">
            <thead><tr>
                <th scope="col">"Request"</th><th scope="col">"Change"</th><th scope="col">"Role"</th>
                <th scope="col">"Requested by"</th><th scope="col">"Age"</th>
                <th scope="col">"Findings"</th><th scope="col">"Status"</th>
            </tr></thead>
            <tbody>
                {requests.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=request_path(r.id)>{format!("#{}", r.id)}</a></td>
                        <td>{r.kind.describe()}</td>
                        <td class="mono">{r.role_name.clone()}</td>
                        <td class="mono">{r.requested_by.clone()}</td>
                        <td>{age_label(r.age_seconds)}</td>
                        <td><SeverityBadge severity=r.highest_severity/></td>
                        <td><ChangeStatusBadge status=r.status/></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
