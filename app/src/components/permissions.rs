//! Showing only what the signed-in user may do. The server refuses the rest anyway; this
//! keeps the pages honest about it.

use crate::{
    domain::{accounts::CurrentUser, permissions::Operation},
    error::AppError,
};
use leptos::prelude::*;

/// The signed-in user of the page, looked up once per navigation by the app shell.
#[derive(Clone, Copy)]
pub struct SignedInUser(pub Resource<Result<Option<CurrentUser>, AppError>>);

/// Renders `children` only when the signed-in user's role allows `operation`.
#[component]
pub fn IfAllowed(operation: Operation, children: ChildrenFn) -> impl IntoView {
    let user = use_context::<SignedInUser>().map(|u| u.0);
    view! {
        <Suspense>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    let allowed = match user {
                        Some(user) => user.await.ok().flatten().is_some_and(|u| u.role.can(operation)),
                        None => false,
                    };
                    allowed.then(|| children())
                })
            }}
        </Suspense>
    }
}
