//! Your API tokens: create (shown once), list with last use, revoke.

#[cfg(feature = "ssr")]
use crate::{backend, domain::accounts::parse_expiry_days, domain::permissions::Operation};
use crate::{
    components::{action_error, field_error, loaded_list, FormAlert, TextField},
    domain::{
        accounts::{ApiTokenSummary, NewApiToken},
        history::display_time,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Session key holding a token created by a plain form post until the page shows it once.
#[cfg(feature = "ssr")]
const FLASH_NEW_TOKEN: &str = "new_api_token";

#[server(prefix = "/api", endpoint = "list_api_tokens")]
pub async fn list_api_tokens() -> Result<Vec<ApiTokenSummary>, AppError> {
    let (state, caller) = backend::context(Operation::ManageOwnTokens).await?;
    backend::ops::accounts::list_tokens(&state, &caller).await
}

/// Creates a token for the signed-in user. `expires_in_days` may be empty (no expiry).
#[server(prefix = "/api", endpoint = "create_api_token")]
pub async fn create_api_token(
    name: String,
    expires_in_days: String,
) -> Result<NewApiToken, AppError> {
    let (state, caller) = backend::context(Operation::ManageOwnTokens).await?;
    let days = parse_expiry_days(&expires_in_days).map_err(|e| AppError::validation(vec![e]))?;
    let created = backend::ops::accounts::create_token(&state, &caller, &name, days).await?;
    // Without JavaScript the page is reloaded after the post: keep the token in the session
    // so that page can show it, once.
    if backend::is_plain_form_post() {
        if let Ok(session) = backend::request_session() {
            let _ = session.insert(FLASH_NEW_TOKEN, &created).await;
        }
    }
    Ok(created)
}

/// A token created by a plain form post that has not been shown yet (then forgotten).
#[server(prefix = "/api", endpoint = "take_new_api_token")]
pub async fn take_new_api_token() -> Result<Option<NewApiToken>, AppError> {
    backend::context(Operation::ManageOwnTokens).await?;
    let session = backend::request_session()?;
    let flashed = session.remove::<NewApiToken>(FLASH_NEW_TOKEN).await;
    Ok(flashed.ok().flatten())
}

#[server(prefix = "/api", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(token_id: i64) -> Result<(), AppError> {
    let (state, caller) = backend::context(Operation::ManageOwnTokens).await?;
    backend::ops::accounts::revoke_token(&state, &caller, token_id).await
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_tokens(),
    );
    let flashed = OnceResource::new(take_new_api_token());
    let value = create.value();
    let name = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    view! {
        <Title text="API tokens"/>
        <h1>"API tokens"</h1>
        <p class="lead">
            "A token lets automation (a CI pipeline) call " <code>"/api/v1"</code>
            " as you, with your role: send it as " <code>"Authorization: Bearer <token>"</code>"."
        </p>
        <Suspense>
            {move || Suspend::new(async move {
                let from_flash = flashed.await.ok().flatten();
                move || value.get().and_then(Result::ok).or(from_flash.clone()).map(|t| view! { <NewTokenNotice token=t/> })
            })}
        </Suspense>
        <div class="columns">
            <section class="panel" aria-labelledby="tokens-title">
                <h2 id="tokens-title">"Your tokens"</h2>
                <FormAlert error=action_error(revoke.value())/>
                <Transition fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        loaded_list(tokens.await, "You have no tokens.", |list| view! { <TokenTable tokens=list revoke/> })
                    })}
                </Transition>
            </section>
            <section class="panel" aria-labelledby="new-token-title">
                <h2 id="new-token-title">"Create a token"</h2>
                <ActionForm action=create>
                    <TextField label="Token name" name="name" value=name error=field_error(value, "name") placeholder="ci-pipeline"/>
                    <TextField label="Expires in days" name="expires_in_days" value=days error=field_error(value, "expiresInDays") input_type="number" hint="Empty for no expiry."/>
                    <button type="submit" class="primary">"Create token"</button>
                </ActionForm>
                <FormAlert error=Signal::derive(move || value.get().and_then(Result::err).filter(|e| e.field_errors().is_empty()))/>
            </section>
        </div>
    }
}

#[component]
fn NewTokenNotice(token: NewApiToken) -> impl IntoView {
    view! {
        <div class="alert alert-success" role="status" data-testid="new-token">
            <p>"Token " <strong>{token.summary.name.clone()}</strong> " was created. Copy it now: it will not be shown again."</p>
            <code class="token">{token.token.clone()}</code>
        </div>
    }
}

#[component]
fn TokenTable(tokens: Vec<ApiTokenSummary>, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    let show = |t: &Option<String>| {
        t.as_deref()
            .map(display_time)
            .unwrap_or_else(|| "—".to_string())
    };
    view! {
        <table class="table" data-testid="tokens">
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Starts with"</th><th scope="col">"Created"</th>
                <th scope="col">"Expires"</th><th scope="col">"Last used"</th><th scope="col">"Status"</th>
            </tr></thead>
            <tbody>
                {tokens.into_iter().map(|t| view! {
                    <tr>
                        <td>{t.name.clone()}</td>
                        <td class="mono">{t.prefix.clone()}"…"</td>
                        <td>{display_time(&t.created_at)}</td>
                        <td>{show(&t.expires_at)}</td>
                        <td>{show(&t.last_used_at)}</td>
                        <td>
                            {match t.revoked_at {
                                Some(_) => view! { <span class="badge badge-failed">"revoked"</span> }.into_any(),
                                None => view! {
                                    <ActionForm action=revoke attr:class="inline">
                                        <input type="hidden" name="token_id" value=t.id.to_string()/>
                                        <button type="submit">"Revoke"</button>
                                    </ActionForm>
                                }.into_any(),
                            }}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
