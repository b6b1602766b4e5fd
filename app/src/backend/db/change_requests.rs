//! The `change_requests` and `inline_policy_versions` tables. Every status change is one
//! conditional UPDATE (`WHERE status = <the one status the event may happen in>`), so of
//! concurrent deciders exactly one wins.

use crate::domain::iam::{
    change_request::{ChangeEvent, ChangePayload, ChangeRequest, ChangeStatus},
    diff::DiffLine,
    lint::{Finding, Severity},
    role::PolicyVersion,
};
use serde_json::Value;
use sqlx::{FromRow, SqlitePool};

#[derive(FromRow)]
struct Row {
    id: i64,
    payload_json: String,
    payload_sha256: String,
    requested_by: String,
    reason: String,
    before_json: String,
    after_json: String,
    diff_json: String,
    findings_json: String,
    status: String,
    reviewed_by: Option<String>,
    review_comment: Option<String>,
    reviewed_at: Option<String>,
    created_at: String,
    age_seconds: i64,
    applied_at: Option<String>,
    result_json: Option<String>,
    error: Option<String>,
    attempts: i64,
}

fn decode_error(what: &str, err: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("change request {what}: {err}").into())
}

fn json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| decode_error(what, e))
}

impl Row {
    fn into_request(self) -> Result<ChangeRequest, sqlx::Error> {
        let payload = ChangePayload::from_canonical_json(&self.payload_json)
            .map_err(|e| decode_error("payload", e))?;
        let findings: Vec<Finding> = json("findings", &self.findings_json)?;
        Ok(ChangeRequest {
            id: self.id,
            kind: payload.kind,
            role_name: payload.role_name.clone(),
            payload,
            payload_sha256: self.payload_sha256,
            requested_by: self.requested_by,
            reason: self.reason,
            before: json("before", &self.before_json)?,
            after: json("after", &self.after_json)?,
            diff: json::<Vec<DiffLine>>("diff", &self.diff_json)?,
            highest_severity: crate::domain::iam::lint::highest_severity(&findings),
            findings,
            status: ChangeStatus::parse(&self.status)
                .ok_or_else(|| decode_error("status", &self.status))?,
            reviewed_by: self.reviewed_by,
            review_comment: self.review_comment,
            reviewed_at: self.reviewed_at,
            created_at: self.created_at,
            age_seconds: self.age_seconds,
            applied_at: self.applied_at,
            result: self
                .result_json
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok()),
            error: self.error,
            attempts: self.attempts,
        })
    }
}

const SELECT: &str = "SELECT id, payload_json, payload_sha256, requested_by, reason, \
     before_json, after_json, diff_json, findings_json, status, reviewed_by, review_comment, \
     reviewed_at, created_at, \
     CAST((julianday('now') - julianday(created_at)) * 86400 AS INTEGER) AS age_seconds, \
     applied_at, result_json, error, attempts FROM change_requests";

/// A request as it is first stored.
pub struct NewChangeRequest<'a> {
    pub payload: &'a ChangePayload,
    pub reason: &'a str,
    pub requested_by: &'a str,
    pub before: &'a Value,
    pub after: &'a Value,
    pub diff: &'a [DiffLine],
    pub findings: &'a [Finding],
}

pub async fn insert(db: &SqlitePool, new: NewChangeRequest<'_>) -> Result<i64, sqlx::Error> {
    let highest = crate::domain::iam::lint::highest_severity(new.findings).map(Severity::as_str);
    let id: (i64,) = sqlx::query_as(
        "INSERT INTO change_requests (kind, role_name, payload_json, payload_sha256, \
         requested_by, reason, before_json, after_json, diff_json, findings_json, \
         highest_severity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.payload.kind.as_str())
    .bind(&new.payload.role_name)
    .bind(new.payload.canonical_json())
    .bind(new.payload.sha256())
    .bind(new.requested_by)
    .bind(new.reason)
    .bind(new.before.to_string())
    .bind(new.after.to_string())
    .bind(to_json_text(new.diff))
    .bind(to_json_text(new.findings))
    .bind(highest)
    .fetch_one(db)
    .await?;
    Ok(id.0)
}

/// A stored list as JSON; plain data, so serializing cannot fail in practice.
fn to_json_text<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_string())
}

pub async fn get(db: &SqlitePool, id: i64) -> Result<Option<ChangeRequest>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(Row::into_request).transpose()
}

/// The stored payload exactly as written, with its stored SHA-256.
pub async fn stored_payload(db: &SqlitePool, id: i64) -> Result<(String, String), sqlx::Error> {
    sqlx::query_as("SELECT payload_json, payload_sha256 FROM change_requests WHERE id = ?")
        .bind(id)
        .fetch_one(db)
        .await
}

/// Which requests to list.
#[derive(Default)]
pub struct Filter<'a> {
    pub status: Option<ChangeStatus>,
    pub role_name: Option<&'a str>,
    pub requested_by: Option<&'a str>,
}

/// Requests matching `filter`, newest first, at most `limit`.
pub async fn list(
    db: &SqlitePool,
    filter: Filter<'_>,
    limit: i64,
) -> Result<Vec<ChangeRequest>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR role_name = ?2) \
         AND (?3 IS NULL OR requested_by = ?3) ORDER BY id DESC LIMIT ?4"
    ))
    .bind(filter.status.map(ChangeStatus::as_str))
    .bind(filter.role_name)
    .bind(filter.requested_by)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(Row::into_request).collect()
}

/// What a person decides about a request (applying is recorded by [`finish`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewDecision {
    Approve,
    Reject,
    /// The requester takes it back.
    Withdraw,
    /// An admin executes a failed request again.
    Retry,
}

impl ReviewDecision {
    pub fn event(self) -> ChangeEvent {
        match self {
            ReviewDecision::Approve => ChangeEvent::Approve,
            ReviewDecision::Reject => ChangeEvent::Reject,
            ReviewDecision::Withdraw => ChangeEvent::Withdraw,
            ReviewDecision::Retry => ChangeEvent::Retry,
        }
    }
}

/// A decision as one conditional UPDATE: it happens only while the request is in the one
/// status the decision may happen in, and only for someone who is not the requester (for
/// `Withdraw`: only for the requester). True for the one caller whose update took effect.
pub async fn decide(
    db: &SqlitePool,
    id: i64,
    decision: ReviewDecision,
    actor: &str,
    comment: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let (from, to) = decision.event().edge();
    let sql = match decision {
        ReviewDecision::Withdraw => {
            "UPDATE change_requests SET status = ?1, \
             reviewed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
             WHERE id = ?2 AND status = ?3 AND requested_by = ?4"
        }
        ReviewDecision::Approve | ReviewDecision::Reject => {
            "UPDATE change_requests SET status = ?1, reviewed_by = ?4, review_comment = ?5, \
             reviewed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
             WHERE id = ?2 AND status = ?3 AND requested_by <> ?4"
        }
        ReviewDecision::Retry => {
            "UPDATE change_requests SET status = ?1, error = NULL \
             WHERE id = ?2 AND status = ?3 AND requested_by <> ?4"
        }
    };
    let done = sqlx::query(sql)
        .bind(to.as_str())
        .bind(id)
        .bind(from.as_str())
        .bind(actor)
        .bind(comment)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A new version of an inline policy (`document` `None`: it was deleted).
pub struct AppliedPolicy<'a> {
    pub policy_name: &'a str,
    pub document: Option<&'a Value>,
}

/// Records the outcome of executing an approved request (`approved → applied | failed`)
/// and, when applied, the inline policy version it wrote, in one transaction.
pub async fn finish(
    db: &SqlitePool,
    id: i64,
    actor: &str,
    outcome: Result<&Value, &str>,
    policy: Option<AppliedPolicy<'_>>,
) -> Result<bool, sqlx::Error> {
    let event = if outcome.is_ok() {
        ChangeEvent::Apply
    } else {
        ChangeEvent::Fail
    };
    let (from, to) = event.edge();
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE change_requests SET status = ?, result_json = ?, error = ?, \
         attempts = attempts + 1, applied_at = CASE WHEN ? THEN \
         strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE applied_at END \
         WHERE id = ? AND status = ?",
    )
    .bind(to.as_str())
    .bind(outcome.ok().map(Value::to_string))
    .bind(outcome.err())
    .bind(outcome.is_ok())
    .bind(id)
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    if let (Ok(_), Some(policy)) = (outcome, policy) {
        sqlx::query(
            "INSERT INTO inline_policy_versions \
             (role_name, policy_name, version, document_json, change_request_id, applied_by) \
             SELECT role_name, ?1, \
               (SELECT COALESCE(MAX(version), 0) + 1 FROM inline_policy_versions v \
                WHERE v.role_name = change_requests.role_name AND v.policy_name = ?1), \
               ?2, id, ?3 FROM change_requests WHERE id = ?4",
        )
        .bind(policy.policy_name)
        .bind(policy.document.map(Value::to_string))
        .bind(actor)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[derive(FromRow)]
struct VersionRow {
    role_name: String,
    policy_name: String,
    version: i64,
    document_json: Option<String>,
    change_request_id: i64,
    applied_at: String,
    applied_by: String,
}

/// Every inline policy version the portal applied to `role_name`, by policy then version.
pub async fn policy_versions(
    db: &SqlitePool,
    role_name: &str,
) -> Result<Vec<PolicyVersion>, sqlx::Error> {
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT role_name, policy_name, version, document_json, change_request_id, \
         applied_at, applied_by FROM inline_policy_versions WHERE role_name = ? \
         ORDER BY policy_name, version",
    )
    .bind(role_name)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PolicyVersion {
            role_name: r.role_name,
            policy_name: r.policy_name,
            version: r.version,
            document: r.document_json.and_then(|d| serde_json::from_str(&d).ok()),
            change_request_id: r.change_request_id,
            applied_at: r.applied_at,
            applied_by: r.applied_by,
        })
        .collect())
}
