//! Signing in and out, the signed-in user in the header, and the one-time first-admin setup.

#[cfg(feature = "ssr")]
use crate::{backend, domain::accounts::check_password_confirmation};
use crate::{
    components::{action_error, field_error, loaded, FormAlert, TextField},
    domain::accounts::CurrentUser,
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The signed-in user, or `None`.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn fetch_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(backend::auth::current_user())
}

/// Signs in and goes to `next` (a path on this site) or the home page.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(
    username: String,
    password: String,
    next: String,
) -> Result<CurrentUser, AppError> {
    use crate::domain::accounts::safe_next_path;
    let state = backend::app_state()?;
    let session = backend::request_session()?;
    let (_, client) = backend::auth::request_identity();
    let user =
        backend::ops::accounts::sign_in(&state, &session, &client.0, &username, &password).await?;
    leptos_axum::redirect(&safe_next_path(Some(&next)));
    Ok(user)
}

/// Ends the session on the server.
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = backend::app_state()?;
    let session = backend::request_session()?;
    let caller = backend::auth::Caller::from_request();
    backend::ops::accounts::sign_out(&state, &caller, &session).await?;
    leptos_axum::redirect("/signin");
    Ok(())
}

/// Whether a first-admin setup link can still be used.
#[server(prefix = "/api", endpoint = "setup_link_status")]
pub async fn setup_link_status(secret: String) -> Result<bool, AppError> {
    let state = backend::app_state()?;
    backend::ops::accounts::setup_secret_is_open(&state.db, &secret).await
}

/// Creates the first admin through a one-time setup link, and signs them in.
#[server(prefix = "/api", endpoint = "setup_first_admin")]
pub async fn setup_first_admin(
    secret: String,
    username: String,
    display_name: String,
    password: String,
    password_confirmation: String,
) -> Result<CurrentUser, AppError> {
    let state = backend::app_state()?;
    check_password_confirmation(&password, &password_confirmation)
        .map_err(|e| AppError::validation(vec![e]))?;
    let session = backend::request_session()?;
    let (_, client) = backend::auth::request_identity();
    let new_user = crate::domain::accounts::NewUser::admin(username, display_name, password);
    let admin =
        backend::ops::accounts::create_first_admin(&state, &session, &client.0, &secret, new_user)
            .await?;
    leptos_axum::redirect("/");
    Ok(admin)
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = action_error(action.value());
    view! {
        <Title text="Sign in"/>
        <section class="panel narrow" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in"</h1>
            <ActionForm action=action>
                <input type="hidden" name="next" value=next/>
                <TextField label="Username" name="username" value=username autocomplete="username"/>
                <TextField label="Password" name="password" value=password input_type="password" autocomplete="current-password"/>
                <button type="submit" class="primary">"Sign in"</button>
            </ActionForm>
            <FormAlert error/>
        </section>
    }
}

#[component]
pub fn SignOutButton() -> impl IntoView {
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action=action attr:class="inline">
            <button type="submit" class="link">"Sign out"</button>
        </ActionForm>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let query = use_query_map();
    let secret = move || query.read().get("token").unwrap_or_default();
    let status = Resource::new(secret, setup_link_status);
    view! {
        <Title text="Set up ecs-portal"/>
        <section class="panel narrow" aria-labelledby="setup-title">
            <h1 id="setup-title">"Create the first admin"</h1>
            <Suspense fallback=|| view! { <p>"Checking the link…"</p> }>
                {move || Suspend::new(async move {
                    loaded(status.await, |open| if open {
                        view! { <SetupForm secret=secret()/> }.into_any()
                    } else {
                        view! {
                            <p class="alert alert-error" role="alert">
                                "This setup link has already been used or is not valid. "
                                <a href="/signin">"Sign in"</a>" instead."
                            </p>
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SetupForm(secret: String) -> impl IntoView {
    let action = ServerAction::<SetupFirstAdmin>::new();
    let value = action.value();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let error = action_error(value);
    view! {
        <p>"No user exists yet. The account you create here is an admin; the link then stops working."</p>
        <ActionForm action=action>
            <input type="hidden" name="secret" value=secret/>
            <TextField label="Username" name="username" value=username error=field_error(value, "username") autocomplete="username"/>
            <TextField label="Display name" name="display_name" value=display_name error=field_error(value, "displayName")/>
            <TextField label="Password" name="password" value=password error=field_error(value, "password") input_type="password" autocomplete="new-password" hint="At least 12 characters."/>
            <TextField label="Repeat password" name="password_confirmation" value=confirmation error=field_error(value, "passwordConfirmation") input_type="password" autocomplete="new-password"/>
            <button type="submit" class="primary">"Create admin"</button>
        </ActionForm>
        <FormAlert error/>
    }
}
