//! The addresses of the portal's pages, for links and redirects.

use crate::domain::url::encode_query_value;

/// `/clusters/{cluster}`.
pub fn cluster_path(cluster: &str) -> String {
    format!("/clusters/{}", encode_query_value(cluster))
}

/// `/services/{cluster}/{service}`.
pub fn service_path(cluster: &str, service: &str) -> String {
    format!(
        "/services/{}/{}",
        encode_query_value(cluster),
        encode_query_value(service)
    )
}

/// `/task-definitions/{family}/{revision}`.
pub fn revision_path(family: &str, revision: i32) -> String {
    format!("/task-definitions/{family}/{revision}")
}

/// A role's page. IAM role names (`[\w+=,.@-]`) need no escaping in a path.
pub fn role_path(name: &str) -> String {
    format!("/roles/{name}")
}

/// `/approvals/{id}`: a change request's page.
pub fn request_path(id: i64) -> String {
    format!("/approvals/{id}")
}

/// `/history/{id}`: one history entry in full.
pub fn entry_path(id: i64) -> String {
    format!("/history/{id}")
}
