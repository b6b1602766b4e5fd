//! IAM change requests: the new request form (with templates and live findings from the
//! same linter the server runs), "My requests", the admin approval queue (diff, findings,
//! approve or reject with a comment, drift confirmation, retry of failed ones) and a
//! request's own page. Every form also works as a plain post without JavaScript.

pub mod form;

#[cfg(feature = "ssr")]
use crate::{backend, components::round_trip::after_plain_post};
use crate::{
    components::{
        action_error, field_error, loaded, loaded_list, paths::request_path, ChangeRequestTable,
        ChangeStatusBadge, DiffView, ErrorAlert, FieldErrorText, FormAlert, IfAllowed, JsonView,
        SeverityBadge, SignedInUser,
    },
    domain::{
        accounts::CurrentUser,
        history::display_time,
        iam::{
            change_request::{age_label, ChangeRequest, ChangeStatus},
            diff::from_unified,
            lint::Finding,
        },
        permissions::Operation,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub use form::NewChangeRequestPage;

/// Change requests, newest first: all of them, those with `status`, or (`mine` = `yes`)
/// the caller's own.
#[server(prefix = "/api", endpoint = "list_change_requests")]
pub async fn list_change_requests(
    #[server(default)] status: String,
    #[server(default)] mine: String,
) -> Result<Vec<ChangeRequest>, AppError> {
    let (state, caller) = backend::context(Operation::ViewRoles).await?;
    let mine = (mine == "yes").then(|| caller.name().to_string());
    backend::ops::change_requests::list(&state, &caller, Some(&status), mine.as_deref()).await
}

#[server(prefix = "/api", endpoint = "get_change_request")]
pub async fn get_change_request(id: i64) -> Result<ChangeRequest, AppError> {
    let (state, caller) = backend::context(Operation::ViewRoles).await?;
    backend::ops::change_requests::get(&state, &caller, id).await
}

/// After a plain (no-JavaScript) post, the request's page shows the outcome; an error
/// (and the drift, if that was the problem) travels in the address.
#[cfg(feature = "ssr")]
fn review_done(
    id: i64,
    result: Result<ChangeRequest, AppError>,
) -> Result<ChangeRequest, AppError> {
    use crate::domain::url::encode_query_value;
    after_plain_post(result, |result| {
        let mut address = request_path(id);
        if let Err(err) = result {
            address.push_str(&format!("?error={}", encode_query_value(&err.to_string())));
            if let Some(drift) = err.field_message("confirmDrift") {
                address.push_str(&format!("&drift={}", encode_query_value(&drift)));
            }
        }
        address
    })
}

// The review actions open with the permission check inside the outcome, so that a refusal
// also comes back to the request's page after a plain post.

/// Approves and executes (admin, not the requester). `confirm_drift` = `yes` approves
/// although the role changed since the request was made.
#[server(prefix = "/api", endpoint = "approve_change_request")]
pub async fn approve_change_request(
    id: i64,
    #[server(default)] comment: String,
    #[server(default)] confirm_drift: String,
) -> Result<ChangeRequest, AppError> {
    use backend::ops::change_requests::approve;
    let approved = async {
        let (state, caller) = backend::context(Operation::ApproveIamChange).await?;
        approve(&state, &caller, id, Some(comment), confirm_drift == "yes").await
    };
    review_done(id, approved.await)
}

#[server(prefix = "/api", endpoint = "reject_change_request")]
pub async fn reject_change_request(
    id: i64,
    #[server(default)] comment: String,
) -> Result<ChangeRequest, AppError> {
    let rejected = async {
        let (state, caller) = backend::context(Operation::ApproveIamChange).await?;
        backend::ops::change_requests::reject(&state, &caller, id, comment).await
    };
    review_done(id, rejected.await)
}

#[server(prefix = "/api", endpoint = "withdraw_change_request")]
pub async fn withdraw_change_request(id: i64) -> Result<ChangeRequest, AppError> {
    let withdrawn = async {
        let (state, caller) = backend::context(Operation::RequestIamChange).await?;
        backend::ops::change_requests::withdraw(&state, &caller, id).await
    };
    review_done(id, withdrawn.await)
}

#[server(prefix = "/api", endpoint = "retry_change_request")]
pub async fn retry_change_request(id: i64) -> Result<ChangeRequest, AppError> {
    let retried = async {
        let (state, caller) = backend::context(Operation::ApproveIamChange).await?;
        backend::ops::change_requests::retry(&state, &caller, id).await
    };
    review_done(id, retried.await)
}

/// Linter findings, most severe first.
#[component]
pub fn FindingsList(findings: Vec<Finding>) -> impl IntoView {
    let mut findings = findings;
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    if findings.is_empty() {
        return view! { <p class="hint" data-testid="findings">"The linter found nothing to report."</p> }.into_any();
    }
    view! {
        <ul class="findings" data-testid="findings">
            {findings.into_iter().map(|f| view! {
                <li class=format!("finding finding-{}", f.severity.as_str())>
                    <SeverityBadge severity=Some(f.severity)/>
                    " " <code>{f.code.clone()}</code>
                    {(!f.path.is_empty()).then(|| view! { " at " <code>{f.path.clone()}</code> })}
                    ": " {f.message.clone()}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The signed-in user (once looked up by the app shell).
async fn viewer() -> Option<CurrentUser> {
    match use_context::<SignedInUser>() {
        Some(user) => user.0.await.ok().flatten(),
        None => None,
    }
}

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let query = use_query_map();
    let refresh = RwSignal::new(0u32);
    let status = move || query.read().get("status").unwrap_or_default();
    let pending = Resource::new(
        move || refresh.get(),
        |_| list_change_requests("pending".into(), String::new()),
    );
    let mine = Resource::new(
        move || refresh.get(),
        |_| list_change_requests(String::new(), "yes".into()),
    );
    let all = Resource::new(
        move || (refresh.get(), status()),
        |(_, s)| list_change_requests(s, String::new()),
    );
    view! {
        <Title text="Approvals"/>
        <h1>"IAM change requests"</h1>
        <IfAllowed operation=Operation::RequestIamChange>
            <p><a class="button primary" href="/approvals/new">"New change request"</a></p>
        </IfAllowed>
        <IfAllowed operation=Operation::ApproveIamChange>
            <section class="panel" aria-labelledby="queue-title" data-testid="approval-queue">
                <h2 id="queue-title">"Approval queue"</h2>
                <Transition fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        let user = viewer().await;
                        loaded_list(pending.await, "Nothing waits for approval.", |mut list| {
                            // Oldest first: they have waited longest.
                            list.reverse();
                            list.into_iter().map(|request| view! {
                                <ChangeRequestCard request viewer=user.clone() refresh/>
                            }).collect_view()
                        })
                    })}
                </Transition>
            </section>
        </IfAllowed>
        <IfAllowed operation=Operation::RequestIamChange>
            <section class="panel" aria-labelledby="mine-title" data-testid="my-requests">
                <h2 id="mine-title">"My requests"</h2>
                <Transition fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        loaded_list(mine.await, "You have not requested anything yet.", |list| view! { <ChangeRequestTable requests=list/> })
                    })}
                </Transition>
            </section>
        </IfAllowed>
        <section class="panel" aria-labelledby="all-title">
            <h2 id="all-title">"All requests"</h2>
            <form method="get" action="/approvals" class="inline-form">
                <label for="status-filter">"Status "</label>
                <select id="status-filter" name="status">
                    <option value="" selected=move || status().is_empty()>"any"</option>
                    {ChangeStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || status() == s.as_str()>{s.as_str()}</option>
                    }).collect_view()}
                </select>
                " " <button type="submit">"Filter"</button>
            </form>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    loaded_list(all.await, "No requests.", |list| view! { <ChangeRequestTable requests=list/> })
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn ChangeRequestPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let refresh = RwSignal::new(0u32);
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|i| i.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let request = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| get_change_request(id),
    );
    // What a plain form post's redirect carried.
    let address_error = move || query.read().get("error");
    let address_drift = move || query.read().get("drift");
    view! {
        <Title text=move || format!("Change request #{}", id())/>
        <p><a href="/approvals">"Approvals"</a>" /"</p>
        <h1>{move || format!("Change request #{}", id())}</h1>
        {move || address_error().map(|e| view! { <ErrorAlert message=e testid="review-error"/> })}
        {move || address_drift().map(|d| view! { <DriftView text=d/> })}
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = viewer().await;
                loaded(request.await, |request| view! {
                    <ChangeRequestCard request=request.clone() viewer=user refresh/>
                    <RequestRecord request/>
                })
            })}
        </Transition>
    }
}

/// The drift an approval ran into: how the role changed since the request was made.
#[component]
fn DriftView(text: String) -> impl IntoView {
    let lines = from_unified(&text);
    view! {
        <div class="alert alert-warning" data-testid="drift">
            <p>"The role changed in IAM since the request was made (request's view → IAM now):"</p>
            <DiffView lines/>
            <p>"Tick \"Approve despite the drift\" and approve again if the change should still be applied."</p>
        </div>
    }
}

/// Payload, hash, before and after, and what AWS answered: the full record.
#[component]
fn RequestRecord(request: ChangeRequest) -> impl IntoView {
    let payload = serde_json::to_value(&request.payload).unwrap_or_default();
    view! {
        <section class="panel" aria-labelledby="record-title">
            <h2 id="record-title">"Record"</h2>
            <table class="table facts">
                <tbody>
                    <tr><th scope="row">"Requested"</th><td>{display_time(&request.created_at)}" by "{request.requested_by.clone()}</td></tr>
                    <tr><th scope="row">"Reviewed"</th><td>{request.reviewed_at.as_deref().map(display_time)}" "{request.reviewed_by.clone().map(|b| format!("by {b}"))}</td></tr>
                    <tr><th scope="row">"Applied"</th><td>{request.applied_at.as_deref().map(display_time)}</td></tr>
                    <tr><th scope="row">"Attempts"</th><td>{request.attempts}</td></tr>
                    <tr><th scope="row">"Payload SHA-256"</th><td class="mono" data-testid="payload-sha256">{request.payload_sha256.clone()}</td></tr>
                </tbody>
            </table>
            <h3>"Payload (executed exactly as stored)"</h3>
            <JsonView value=payload/>
            <h3>"Before (IAM at request time)"</h3>
            <JsonView value=request.before.clone() empty="(nothing: it does not exist)"/>
            <h3>"After"</h3>
            <JsonView value=request.after.clone() empty="(nothing: it is removed)"/>
            {request.result.clone().map(|r| view! { <h3>"AWS answered"</h3> <JsonView value=r/> })}
        </section>
    }
}

/// One request with its diff and findings, and what the viewer may do with it: approve or
/// reject (an admin who did not ask for it), withdraw (the requester, while pending), retry
/// (an admin, when it failed).
#[component]
pub fn ChangeRequestCard(
    request: ChangeRequest,
    viewer: Option<CurrentUser>,
    /// Bumped after a successful action so the page reloads its lists.
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let approve = ServerAction::<ApproveChangeRequest>::new();
    let reject = ServerAction::<RejectChangeRequest>::new();
    let withdraw = ServerAction::<WithdrawChangeRequest>::new();
    let retry = ServerAction::<RetryChangeRequest>::new();
    let succeeded = move || {
        approve.value().with(|v| matches!(v, Some(Ok(_))))
            || reject.value().with(|v| matches!(v, Some(Ok(_))))
            || withdraw.value().with(|v| matches!(v, Some(Ok(_))))
            || retry.value().with(|v| matches!(v, Some(Ok(_))))
    };
    Effect::new(move |_| {
        if succeeded() {
            refresh.update(|r| *r += 1);
        }
    });
    let approve_error = action_error(approve.value());
    let drift = Signal::derive(move || {
        approve_error
            .get()
            .and_then(|e| e.field_message("confirmDrift"))
    });

    let id = request.id;
    let viewer_name = viewer
        .as_ref()
        .map(|u| u.username.clone())
        .unwrap_or_default();
    let reviewer = viewer
        .as_ref()
        .is_some_and(|u| u.role.can(Operation::ApproveIamChange))
        && viewer_name != request.requested_by;
    let is_requester = viewer_name == request.requested_by;
    let pending = request.status == ChangeStatus::Pending;
    let blocked = request.blocked();
    let field = move |what: &str| format!("{what}-{id}");
    view! {
        <article class="change-request" data-testid=format!("change-request-{id}") aria-labelledby=field("cr-title")>
            <h3 id=field("cr-title")>
                <a href=request_path(id)>{format!("#{id}")}</a>
                " " {request.kind.describe()} ": " <span class="mono">{request.role_name.clone()}</span>
                " " <ChangeStatusBadge status=request.status/>
            </h3>
            <p class="meta">
                "Requested by " <strong class="mono">{request.requested_by.clone()}</strong>
                ", " {age_label(request.age_seconds)} " · highest severity "
                <SeverityBadge severity=request.highest_severity/>
                {request.payload.policy_name.clone().map(|p| view! { " · policy " <span class="mono">{p}</span> })}
                {request.payload.policy_arn.clone().map(|p| view! { " · " <span class="mono">{p}</span> })}
            </p>
            <p><strong>"Reason: "</strong>{request.reason.clone()}</p>
            {request.review_comment.clone().map(|c| view! {
                <p><strong>{format!("Review by {}: ", request.reviewed_by.clone().unwrap_or_default())}</strong>{c}</p>
            })}
            {request.error.clone().map(|e| view! { <p class="alert alert-error" data-testid="apply-error">{format!("Applying failed: {e}")}</p> })}
            <h4>"Findings"</h4>
            <FindingsList findings=request.findings.clone()/>
            <h4>"Change (before → after)"</h4>
            <DiffView lines=request.diff.clone() testid="request-diff"/>
            {(pending && reviewer).then(|| view! {
                <div class="review-forms">
                    <ActionForm action=approve>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <div class="field">
                            <label for=field("approve-comment")>"Approval comment"</label>
                            <textarea id=field("approve-comment") name="comment" rows="2"></textarea>
                        </div>
                        {move || drift.get().map(|d| view! { <DriftView text=d/> })}
                        <label class="check">
                            <input type="checkbox" name="confirm_drift" value="yes"/>
                            " Approve despite the drift (the role changed since the request)"
                        </label>
                        {blocked.then(|| view! { <p class="alert alert-error">"The linter found errors: this request cannot be approved."</p> })}
                        <p><button type="submit" class="primary" disabled=blocked>"Approve"</button></p>
                    </ActionForm>
                    <FormAlert error=Signal::derive(move || approve_error.get().filter(|e| e.field_message("confirmDrift").is_none()))/>
                    <ActionForm action=reject>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <div class="field">
                            <label for=field("reject-comment")>"Why reject?"</label>
                            <textarea id=field("reject-comment") name="comment" rows="2"></textarea>
                        </div>
                        <p><button type="submit" class="danger">"Reject"</button></p>
                    </ActionForm>
                    <FormAlert error=action_error(reject.value())/>
                    <FieldErrorText message=field_error(reject.value(), "comment")/>
                </div>
            })}
            {(pending && is_requester).then(|| view! {
                <ActionForm action=withdraw>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <p><button type="submit">"Withdraw request"</button></p>
                </ActionForm>
                <FormAlert error=action_error(withdraw.value())/>
            })}
            {(request.status == ChangeStatus::Failed && reviewer).then(|| view! {
                <ActionForm action=retry>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <p><button type="submit" class="primary">"Retry"</button></p>
                </ActionForm>
                <FormAlert error=action_error(retry.value())/>
            })}
        </article>
    }
}
