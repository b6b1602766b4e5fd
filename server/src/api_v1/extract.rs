//! What `/api/v1` handlers take besides their path and query: the caller once allowed to
//! perform an operation, and a JSON body. Axum runs the extractors in argument order and
//! the body's last, so a caller who may not perform the operation gets 401 or 403 before
//! the body is read (and learns nothing from it); a body that is not the expected JSON is
//! refused as an [`AppError`].

use app::{
    backend::{auth::Caller, AppState},
    domain::permissions::Operation,
    error::AppError,
};
use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::request::Parts,
    Json,
};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

/// An operation a handler checks before it reads its body: `Allowed<operation::X>`.
pub trait RequiredOperation {
    const OPERATION: Operation;
}

/// The operations of the handlers that read a body, as types for [`Allowed`].
pub mod operation {
    use super::{Operation, RequiredOperation};

    macro_rules! operations {
        ($($name:ident),* $(,)?) => {$(
            #[doc = concat!("`Operation::", stringify!($name), "`.")]
            pub struct $name;

            impl RequiredOperation for $name {
                const OPERATION: Operation = Operation::$name;
            }
        )*};
    }

    operations!(
        CreateCluster,
        RegisterTaskDefinition,
        CreateService,
        DeployService,
        RequestIamChange,
        ApproveIamChange,
    );
}

/// The caller, once the permission table allows them `O` (401 without a user, 403 and an
/// audit row otherwise). The use-case in `ops` checks it again itself.
pub struct Allowed<O>(pub Caller, pub PhantomData<fn() -> O>);

impl<O: RequiredOperation> FromRequestParts<AppState> for Allowed<O> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let caller = Caller::from_parts(parts);
        caller.require(&state.db, O::OPERATION).await?;
        Ok(Allowed(caller, PhantomData))
    }
}

/// A JSON body; a missing, mistyped or malformed one is refused as an [`AppError`].
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let Json(value) = Json::<T>::from_request(request, state).await?;
        Ok(JsonBody(value))
    }
}
