//! `GET /healthz`: is the database answering, and can the portal reach AWS?

use app::backend::{db, AppState};
use axum::{extract::State, http::StatusCode, Json};
use serde_json::{json, Value};

/// 200 when the database answers (AWS trouble is reported but does not make the portal
/// unhealthy: pages still work), 503 when the database does not.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database_ok = db::ping(&state.db).await;
    let aws = state.aws.environment().await;
    let status = if !database_ok {
        "unavailable"
    } else if aws.problem.is_some() {
        "degraded"
    } else {
        "ok"
    };
    let code = if database_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        Json(json!({
            "status": status,
            "database": { "ok": database_ok },
            "aws": {
                "ok": aws.problem.is_none(),
                "accountId": aws.account_id,
                "region": aws.region,
                "endpoint": aws.endpoint,
                "sandbox": aws.sandbox,
                "error": aws.problem,
            }
        })),
    )
}
