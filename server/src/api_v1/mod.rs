//! `/api/v1`: the REST API for automation. Thin handlers over `app::backend::ops`, which
//! authorizes every call with the same permission table as the pages. The OpenAPI document
//! and the router are built from the same annotated handlers, so nothing is routed that is
//! not documented.

mod change_requests;

pub use app::error::{ApiErrorBody, ApiFieldError};
use app::{
    backend::{
        auth::{Authenticated, Caller, ClientAddr},
        ops, AppState,
    },
    domain::{
        clusters::{ClusterSummary, CreateClusterRequest},
        permissions::{Operation, UserRole},
        task_definitions::{RegisteredTaskDefinition, RevisionSummary, TaskDefinitionRevision},
    },
    error::AppError,
};
use axum::{
    extract::{rejection::JsonRejection, Path, Query, State},
    http::StatusCode,
    Extension, Json,
};
use serde::Serialize;
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi, ToSchema,
};
use utoipa_axum::{router::OpenApiRouter, routes};

mod history;
mod services;

#[derive(OpenApi)]
#[openapi(
    info(title = "ecs-portal API", version = "1", description = "Automation API of ecs-portal. Authenticate with `Authorization: Bearer <token>` (create tokens on the API tokens page or with `ecs-portal tokens create`)."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(ApiErrorBody, ApiFieldError))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The caller as the authentication middleware resolved it.
fn caller(user: Option<Extension<Authenticated>>, client: Option<Extension<ClientAddr>>) -> Caller {
    Caller::new(
        user.map(|u| u.0.user),
        client.map(|c| c.0 .0).unwrap_or_default(),
    )
}

/// The router for `/api/v1` and the OpenAPI document describing exactly its routes.
pub fn router_and_doc() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let router = OpenApiRouter::with_openapi(ApiDoc::openapi());
    let router = change_requests::routes(router);
    router
        .routes(routes!(me))
        .routes(routes!(list_clusters, create_cluster))
        .routes(routes!(
            list_task_definition_families,
            register_task_definition
        ))
        .routes(routes!(list_task_definition_revisions))
        .routes(routes!(
            describe_task_definition,
            deregister_task_definition
        ))
        .routes(routes!(services::create_service))
        .routes(routes!(services::list_services))
        .routes(routes!(services::deploy_service))
        .routes(routes!(services::scale_service))
        .routes(routes!(services::force_deployment))
        .routes(routes!(services::rollback_service))
        .routes(routes!(services::delete_service))
        .routes(routes!(services::get_rollout))
        .routes(routes!(history::search_history))
        .routes(routes!(history::export_history))
        .routes(routes!(history::history_entry))
        .split_for_parts()
}

/// `/api/v1`, with `GET /api/v1/openapi.json` (public: it is documentation, not data).
pub fn router() -> axum::Router<AppState> {
    let (router, doc) = router_and_doc();
    let doc = std::sync::Arc::new(doc);
    router.route(
        "/api/v1/openapi.json",
        axum::routing::get(move || {
            let doc = doc.clone();
            async move { Json(doc.as_ref().clone()) }
        }),
    )
}

/// Who the caller is.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    pub role: UserRole,
}

/// The user the token (or session) acts as.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me), (status = 401, body = ApiErrorBody)))]
async fn me(
    State(state): State<AppState>,
    user: Option<Extension<Authenticated>>,
    client: Option<Extension<ClientAddr>>,
) -> Result<Json<Me>, AppError> {
    let user = caller(user, client)
        .require_user(&state.db, Operation::ViewOwnAccount)
        .await?;
    Ok(Json(Me {
        username: user.username,
        role: user.role,
    }))
}

/// Every cluster in the portal's account and region.
#[utoipa::path(get, path = "/api/v1/clusters", tag = "clusters",
    responses((status = 200, body = Vec<ClusterSummary>), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 502, body = ApiErrorBody)))]
async fn list_clusters(
    State(state): State<AppState>,
    user: Option<Extension<Authenticated>>,
    client: Option<Extension<ClientAddr>>,
) -> Result<Json<Vec<ClusterSummary>>, AppError> {
    Ok(Json(
        ops::clusters::list_clusters(&state, &caller(user, client)).await?,
    ))
}

/// Creates a cluster (recorded in history).
#[utoipa::path(post, path = "/api/v1/clusters", tag = "clusters", request_body = CreateClusterRequest,
    responses((status = 201, body = ClusterSummary), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
async fn create_cluster(
    State(state): State<AppState>,
    user: Option<Extension<Authenticated>>,
    client: Option<Extension<ClientAddr>>,
    body: Result<Json<CreateClusterRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<ClusterSummary>), AppError> {
    let caller = caller(user, client);
    // Authorize before reading the body, so a forbidden caller learns nothing from it.
    caller.require(&state.db, Operation::CreateCluster).await?;
    let Json(request) = body?;
    let created = ops::clusters::create_cluster(&state, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Task definition families with at least one active revision.
#[utoipa::path(get, path = "/api/v1/task-definitions", tag = "task definitions",
    responses((status = 200, body = Vec<String>), (status = 401, body = ApiErrorBody)))]
async fn list_task_definition_families(
    State(state): State<AppState>,
    user: Option<Extension<Authenticated>>,
    client: Option<Extension<ClientAddr>>,
) -> Result<Json<Vec<String>>, AppError> {
    Ok(Json(
        ops::task_definitions::list_families(&state, &caller(user, client)).await?,
    ))
}

/// Options of `POST /api/v1/task-definitions`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RegisterOptions {
    /// Create the CloudWatch Logs groups its awslogs containers write to (default false).
    pub create_log_groups: Option<bool>,
}

/// Registers a task definition. The body is what `aws ecs register-task-definition
/// --cli-input-json` takes (DescribeTaskDefinition output works too: its read-only fields
/// are ignored). Keys the portal does not know are refused with 422.
#[utoipa::path(post, path = "/api/v1/task-definitions", tag = "task definitions",
    request_body(content = Object, description = "RegisterTaskDefinition JSON"),
    params(RegisterOptions),
    responses((status = 201, body = RegisteredTaskDefinition), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn register_task_definition(
    State(state): State<AppState>,
    user: Option<Extension<Authenticated>>,
    client: Option<Extension<ClientAddr>>,
    Query(options): Query<RegisterOptions>,
    body: String,
) -> Result<(StatusCode, Json<RegisteredTaskDefinition>), AppError> {
    let caller = caller(user, client);
    caller
        .require(&state.db, Operation::RegisterTaskDefinition)
        .await?;
    let spec = ops::task_definitions::parse_json(&body)?;
    let create = options.create_log_groups.unwrap_or(false);
    let registered = ops::task_definitions::register(&state, &caller, spec, create).await?;
    Ok((StatusCode::CREATED, Json(registered)))
}

/// The revisions of a family, newest first (active and deregistered).
#[utoipa::path(get, path = "/api/v1/task-definitions/{family}", tag = "task definitions",
    params(("family" = String, Path)),
    responses((status = 200, body = Vec<RevisionSummary>), (status = 404, body = ApiErrorBody)))]
async fn list_task_definition_revisions(
    State(state): State<AppState>,
    user: Option<Extension<Authenticated>>,
    client: Option<Extension<ClientAddr>>,
    Path(family): Path<String>,
) -> Result<Json<Vec<RevisionSummary>>, AppError> {
    Ok(Json(
        ops::task_definitions::list_revisions(&state, &caller(user, client), &family).await?,
    ))
}

/// One revision: status, who registered it and when, and its definition.
#[utoipa::path(get, path = "/api/v1/task-definitions/{family}/{revision}", tag = "task definitions",
    params(("family" = String, Path), ("revision" = i32, Path)),
    responses((status = 200, body = TaskDefinitionRevision), (status = 404, body = ApiErrorBody)))]
async fn describe_task_definition(
    State(state): State<AppState>,
    user: Option<Extension<Authenticated>>,
    client: Option<Extension<ClientAddr>>,
    Path((family, revision)): Path<(String, i32)>,
) -> Result<Json<TaskDefinitionRevision>, AppError> {
    Ok(Json(
        ops::task_definitions::describe(&state, &caller(user, client), &family, revision).await?,
    ))
}

/// Deregisters a revision (recorded in history).
#[utoipa::path(delete, path = "/api/v1/task-definitions/{family}/{revision}", tag = "task definitions",
    params(("family" = String, Path), ("revision" = i32, Path)),
    responses((status = 200, body = RevisionSummary), (status = 404, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody)))]
async fn deregister_task_definition(
    State(state): State<AppState>,
    user: Option<Extension<Authenticated>>,
    client: Option<Extension<ClientAddr>>,
    Path((family, revision)): Path<(String, i32)>,
) -> Result<Json<RevisionSummary>, AppError> {
    Ok(Json(
        ops::task_definitions::deregister(&state, &caller(user, client), &family, revision).await?,
    ))
}
