//! `/api/v1`: the REST API for automation. Thin handlers over `app::backend::ops`, which
//! authorizes every call with the same permission table as the pages. The OpenAPI document
//! and the router are built from the same annotated handlers, so nothing is routed that is
//! not documented. One file per area; errors answer with `app::error::ApiErrorBody`.

mod account;
mod change_requests;
mod clusters;
mod extract;
mod history;
mod services;
mod task_definitions;

use app::{
    backend::AppState,
    error::{ApiErrorBody, ApiFieldError},
};
use axum::Json;
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};
use utoipa_axum::router::OpenApiRouter;

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

/// The router for `/api/v1` and the OpenAPI document describing exactly its routes.
pub fn router_and_doc() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let router = OpenApiRouter::with_openapi(ApiDoc::openapi());
    let router = change_requests::routes(router);
    let router = account::routes(router);
    let router = clusters::routes(router);
    let router = task_definitions::routes(router);
    let router = services::routes(router);
    let router = history::routes(router);
    router.split_for_parts()
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
