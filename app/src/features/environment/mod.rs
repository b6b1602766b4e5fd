//! The header's account / region / endpoint line, the sandbox badge and the banner shown
//! when AWS cannot be used.

use crate::{domain::environment::AwsEnvironment, error::AppError};
use leptos::prelude::*;

/// Which AWS account, region and endpoint the portal acts in (cached on the server).
/// Signed-in users only: the account id is not for strangers.
#[server(prefix = "/api", endpoint = "aws_environment")]
pub async fn fetch_aws_environment() -> Result<AwsEnvironment, AppError> {
    use crate::{backend, domain::permissions::Operation};
    let (state, _) = backend::context(Operation::ViewOwnAccount).await?;
    Ok(state.aws.environment().await)
}

#[component]
pub fn EnvironmentHeader() -> impl IntoView {
    let environment = OnceResource::new(fetch_aws_environment());
    view! {
        <Suspense fallback=|| view! { <div class="environment">"Checking AWS…"</div> }>
            {move || Suspend::new(async move {
                match environment.await {
                    Ok(env) => view! { <EnvironmentDetails env/> }.into_any(),
                    Err(AppError::Unauthorized { .. }) => ().into_any(),
                    Err(err) => view! {
                        <div class="banner banner-error" role="alert">{err.to_string()}</div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EnvironmentDetails(env: AwsEnvironment) -> impl IntoView {
    let account = env
        .account_id
        .clone()
        .unwrap_or_else(|| "unknown".to_string());
    let endpoint = env
        .endpoint
        .clone()
        .unwrap_or_else(|| "AWS (default endpoints)".to_string());
    view! {
        <div class="environment" data-testid="aws-environment">
            {env.sandbox.then(|| view! {
                <span class="badge badge-sandbox" title="AWS calls go to a local emulator">"sandbox"</span>
            })}
            <span title="AWS account">"Account " <strong data-testid="aws-account">{account}</strong></span>
            <span title="AWS region">"Region " <strong data-testid="aws-region">{env.region.clone()}</strong></span>
            <span title="Endpoint">"Endpoint " <code data-testid="aws-endpoint">{endpoint}</code></span>
        </div>
        {env.problem.map(|problem| view! {
            <div class="banner banner-warning" role="alert" data-testid="aws-problem">
                <strong>"AWS is not available. "</strong>
                {problem}
                " Pages still work; actions that call AWS will fail until this is fixed."
            </div>
        })}
    }
}
