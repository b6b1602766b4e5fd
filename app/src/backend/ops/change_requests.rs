//! IAM change requests: request (nothing executes), approve (one conditional update, then
//! the stored payload is checked against its SHA-256 and executed exactly once), reject,
//! withdraw, retry. Every step is a history row with its actor.

use super::history::{record, record_event};
use crate::{
    backend::{
        auth::Caller,
        db::{
            self,
            change_requests::{AppliedPolicy, ReviewDecision},
        },
        AppState,
    },
    domain::{
        history::HistoryKind,
        iam::{
            change_request::{
                drift, sha256_hex, transition, ChangePayload, ChangeRequest, ChangeRequestInput,
                ChangeRequestKind, ChangeStatus, CreatedChangeRequest,
            },
            diff::{json_diff, DiffLine},
            lint::LintContext,
        },
        permissions::Operation,
    },
    error::{AppError, FieldError},
};
use serde_json::json;

/// How many requests a list returns at most.
const LIST_LIMIT: i64 = 200;

/// What the linter needs from the environment: the portal's account.
pub async fn lint_context(state: &AppState) -> LintContext {
    LintContext {
        account_id: state.aws.environment().await.account_id,
        other_inline_policy_chars: 0,
    }
}

fn conflict(message: impl Into<String>) -> AppError {
    AppError::Conflict {
        message: message.into(),
        errors: vec![],
    }
}

fn not_found(id: i64) -> AppError {
    AppError::NotFound {
        message: format!("There is no change request {id}."),
    }
}

async fn existing(state: &AppState, id: i64) -> Result<ChangeRequest, AppError> {
    db::change_requests::get(&state.db, id)
        .await?
        .ok_or_else(|| not_found(id))
}

/// Validates and stores a request with the live state it changes, its diff and the
/// linter's findings. Nothing is sent to IAM but reads.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: ChangeRequestInput,
) -> Result<CreatedChangeRequest, AppError> {
    caller
        .require(&state.db, Operation::RequestIamChange)
        .await?;
    let (payload, reason) = input.validate().map_err(AppError::validation)?;
    let live = state
        .aws
        .live_role(&payload.role_name)
        .await?
        .map(|(_, live)| live);
    let findings = payload.findings(live.as_ref(), &lint_context(state).await);
    let before = payload.before_state(live.as_ref());
    let after = payload.after_state(&before);
    let diff = json_diff(&before, &after);
    let id = db::change_requests::insert(
        &state.db,
        db::change_requests::NewChangeRequest {
            payload: &payload,
            reason: &reason,
            requested_by: caller.name(),
            before: &before,
            after: &after,
            diff: &diff,
            findings: &findings,
        },
    )
    .await?;
    let request = json!({
        "changeRequestId": id,
        "kind": payload.kind,
        "payload": payload,
        "payloadSha256": payload.sha256(),
        "reason": reason,
    });
    let created = CreatedChangeRequest {
        id,
        status: ChangeStatus::Pending,
        findings,
    };
    record_event(
        &state.db,
        caller.name(),
        HistoryKind::ChangeRequestCreate,
        &payload.role_name,
        &request,
        &json!({"changeRequestId": id, "status": "pending"}),
    )
    .await?;
    Ok(created)
}

/// Requests, newest first; `status` filters (`pending`, `applied`, ...).
pub async fn list(
    state: &AppState,
    caller: &Caller,
    status: Option<&str>,
    requested_by: Option<&str>,
) -> Result<Vec<ChangeRequest>, AppError> {
    caller.require(&state.db, Operation::ViewRoles).await?;
    let status = match status.filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(ChangeStatus::parse(s).ok_or_else(|| {
            AppError::field(
                "status",
                format!("{s} is not a status (pending, approved, applied, failed, rejected, withdrawn)."),
            )
        })?),
    };
    let filter = db::change_requests::Filter {
        status,
        requested_by,
        role_name: None,
    };
    db::change_requests::list(&state.db, filter, LIST_LIMIT)
        .await
        .map_err(AppError::from)
}

pub async fn get(state: &AppState, caller: &Caller, id: i64) -> Result<ChangeRequest, AppError> {
    caller.require(&state.db, Operation::ViewRoles).await?;
    existing(state, id).await
}

/// The request `id` once the caller may make `decision` on it: the right operation, the
/// right person (a reviewer is never the requester; only the requester withdraws) and a
/// status the decision can leave from.
async fn reviewable(
    state: &AppState,
    caller: &Caller,
    id: i64,
    decision: ReviewDecision,
) -> Result<ChangeRequest, AppError> {
    let operation = match decision {
        ReviewDecision::Withdraw => Operation::RequestIamChange,
        _ => Operation::ApproveIamChange,
    };
    caller.require(&state.db, operation).await?;
    let request = existing(state, id).await?;
    let own = request.requested_by == caller.name();
    let refusal = match (decision, own) {
        (ReviewDecision::Approve, true) => Some(own_request("approve")),
        (ReviewDecision::Retry, true) => Some(own_request("retry")),
        (ReviewDecision::Reject, true) => Some(forbidden(
            "You requested this change; withdraw it instead of rejecting it.",
        )),
        (ReviewDecision::Withdraw, false) => Some(forbidden(
            "Only the requester can withdraw a change request.",
        )),
        _ => None,
    };
    if let Some(refusal) = refusal {
        return Err(refusal);
    }
    transition(request.status, decision.event()).map_err(conflict)?;
    Ok(request)
}

fn forbidden(message: &str) -> AppError {
    AppError::Forbidden {
        message: message.to_string(),
    }
}

/// The refusal for a reviewer who is the requester.
fn own_request(action: &str) -> AppError {
    forbidden(&format!(
        "You requested this change; another admin must {action} it."
    ))
}

/// Why a conditional update changed nothing: someone else decided first.
async fn lost_race(state: &AppState, id: i64) -> AppError {
    match existing(state, id).await {
        Ok(now) => conflict(format!(
            "This request is already {}{}.",
            now.status.as_str(),
            now.reviewed_by
                .map(|by| format!(" (by {by})"))
                .unwrap_or_default()
        )),
        Err(err) => err,
    }
}

/// Makes `decision` with one conditional update (of concurrent decisions one wins; the
/// others get 409 naming what happened first), records it in history with `asked` as its
/// request, and answers the request as it stands afterwards: executed for approve and
/// retry, as decided for reject and withdraw.
async fn decide_and_record(
    state: &AppState,
    caller: &Caller,
    request: &ChangeRequest,
    decision: ReviewDecision,
    comment: Option<&str>,
    asked: serde_json::Value,
) -> Result<ChangeRequest, AppError> {
    let id = request.id;
    let won = db::change_requests::decide(&state.db, id, decision, caller.name(), comment).await?;
    if !won {
        return Err(lost_race(state, id).await);
    }
    let kind = match decision {
        ReviewDecision::Approve | ReviewDecision::Retry => HistoryKind::ChangeRequestApprove,
        ReviewDecision::Reject => HistoryKind::ChangeRequestReject,
        ReviewDecision::Withdraw => HistoryKind::ChangeRequestWithdraw,
    };
    let (_, status) = decision.event().edge();
    record_event(
        &state.db,
        caller.name(),
        kind,
        &request.role_name,
        &asked,
        &json!({"changeRequestId": id, "status": status.as_str()}),
    )
    .await?;
    match decision {
        ReviewDecision::Approve | ReviewDecision::Retry => execute(state, caller.name(), id).await,
        ReviewDecision::Reject | ReviewDecision::Withdraw => existing(state, id).await,
    }
}

/// Approves and executes. Refused for the requester (403), for a request with error
/// findings, and, when the role changed since the request was made, until the approver
/// confirms the drift (`confirm_drift`). Of concurrent approvals exactly one executes;
/// the others get 409. Answers the request with its final status, `applied` or `failed`.
pub async fn approve(
    state: &AppState,
    caller: &Caller,
    id: i64,
    comment: Option<String>,
    confirm_drift: bool,
) -> Result<ChangeRequest, AppError> {
    let request = reviewable(state, caller, id, ReviewDecision::Approve).await?;
    if request.blocked() {
        return Err(conflict(
            "The linter found errors in this request, so it cannot be approved. Reject it; the requester can send a corrected one.",
        ));
    }
    let live = state
        .aws
        .live_role(&request.role_name)
        .await?
        .map(|(_, live)| live);
    let live_before = request.payload.before_state(live.as_ref());
    let drifted = drift(&request.before, &live_before);
    if let (Some(lines), false) = (&drifted, confirm_drift) {
        return Err(drift_conflict(lines));
    }
    let comment = comment
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let asked =
        json!({"changeRequestId": id, "comment": comment, "driftConfirmed": drifted.is_some()});
    decide_and_record(
        state,
        caller,
        &request,
        ReviewDecision::Approve,
        comment.as_deref(),
        asked,
    )
    .await
}

fn drift_conflict(lines: &[DiffLine]) -> AppError {
    let shown: Vec<String> = lines.iter().map(DiffLine::unified).collect();
    AppError::Conflict {
        message: "The role changed in IAM since this request was made. Review the drift and confirm it to approve anyway.".to_string(),
        errors: vec![FieldError::new("confirmDrift", shown.join("\n"))],
    }
}

/// Executes the stored payload of an approved request once its SHA-256 matches, and
/// records `applied` or `failed` (with AWS's error in plain words).
async fn execute(state: &AppState, actor: &str, id: i64) -> Result<ChangeRequest, AppError> {
    let (text, stored_sha) = db::change_requests::stored_payload(&state.db, id).await?;
    let payload = ChangePayload::from_canonical_json(&text);
    let role_name = payload
        .as_ref()
        .map(|p| p.role_name.clone())
        .unwrap_or_default();
    let outcome = record(
        &state.db,
        actor,
        HistoryKind::ChangeRequestApply,
        &role_name,
        &json!({"changeRequestId": id, "payloadSha256": stored_sha, "payload": payload.as_ref().ok()}),
        async {
            if sha256_hex(&text) != stored_sha {
                tracing::error!(change_request = id, "stored payload does not match its SHA-256");
                return Err(AppError::Conflict {
                    message: "The stored payload does not match its SHA-256, so nothing was executed.".to_string(),
                    errors: vec![],
                });
            }
            let payload = payload.as_ref().map_err(|m| {
                tracing::error!(change_request = id, error = %m, "stored payload unreadable");
                AppError::Internal
            })?;
            state.aws.apply_change(payload).await
        },
    )
    .await;
    let policy = payload.as_ref().ok().and_then(|p| {
        let policy_name = p.policy_name.as_deref()?;
        match p.kind {
            ChangeRequestKind::PutRolePolicy => Some(AppliedPolicy {
                policy_name,
                document: p.policy_document.as_ref(),
            }),
            ChangeRequestKind::DeleteRolePolicy => Some(AppliedPolicy {
                policy_name,
                document: None,
            }),
            _ => None,
        }
    });
    let message = outcome.as_ref().err().map(ToString::to_string);
    let recorded = match (&outcome, &message) {
        (Ok(result), _) => Ok(result),
        (Err(_), message) => Err(message.as_deref().unwrap_or_default()),
    };
    let finished = db::change_requests::finish(&state.db, id, actor, recorded, policy).await?;
    if !finished {
        tracing::error!(
            change_request = id,
            "executed request was no longer approved"
        );
    }
    existing(state, id).await
}

/// Rejects a pending request; a comment saying why is required.
pub async fn reject(
    state: &AppState,
    caller: &Caller,
    id: i64,
    comment: String,
) -> Result<ChangeRequest, AppError> {
    let request = reviewable(state, caller, id, ReviewDecision::Reject).await?;
    let comment = comment.trim().to_string();
    if comment.is_empty() {
        return Err(AppError::field(
            "comment",
            "Say why the request is rejected: the requester reads it.",
        ));
    }
    let asked = json!({"changeRequestId": id, "comment": comment});
    decide_and_record(
        state,
        caller,
        &request,
        ReviewDecision::Reject,
        Some(&comment),
        asked,
    )
    .await
}

/// The requester takes back their own pending request.
pub async fn withdraw(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<ChangeRequest, AppError> {
    let request = reviewable(state, caller, id, ReviewDecision::Withdraw).await?;
    let asked = json!({"changeRequestId": id});
    decide_and_record(
        state,
        caller,
        &request,
        ReviewDecision::Withdraw,
        None,
        asked,
    )
    .await
}

/// Executes a failed request again (`failed → approved`, one conditional update), by an
/// admin other than the requester.
pub async fn retry(state: &AppState, caller: &Caller, id: i64) -> Result<ChangeRequest, AppError> {
    let request = reviewable(state, caller, id, ReviewDecision::Retry).await?;
    let asked = json!({"changeRequestId": id, "retry": true});
    decide_and_record(state, caller, &request, ReviewDecision::Retry, None, asked).await
}

/// What the new change request form page starts from: a fresh task role request with the
/// address's fields and `generate` applied (see `domain::forms`), in the portal's region
/// and account.
pub async fn form_start(
    state: &AppState,
    caller: &Caller,
    fields: &std::collections::BTreeMap<String, String>,
    generate: &str,
) -> Result<crate::domain::forms::ChangeRequestFormStart, AppError> {
    caller
        .require(&state.db, Operation::RequestIamChange)
        .await?;
    let account_id = state.aws.environment().await.account_id.unwrap_or_default();
    Ok(crate::domain::forms::ChangeRequestFormStart::new(
        fields,
        generate,
        state.aws.region.clone(),
        account_id,
    ))
}
