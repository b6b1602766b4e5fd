//! ecs-portal's web application. Compiled twice: with `ssr` into the server binary and with
//! `hydrate` into the browser's wasm bundle. `domain` is shared by both; `backend` exists only
//! on the server.

// The typed view trees of the bigger pages (roles, services) nest deeper than the default
// limit when the wasm bundle computes their layout.
#![recursion_limit = "256"]

pub mod components;
pub mod domain;
pub mod error;
pub mod features;

#[cfg(feature = "ssr")]
pub mod backend;

use components::{IfAllowed, SignedInUser};
use domain::{accounts::CurrentUser, permissions::Operation};
use features::{
    account::TokensPage,
    audit::AuditPage,
    change_requests::{ApprovalsPage, ChangeRequestPage, NewChangeRequestPage},
    clusters::{ClusterPage, ClustersPage},
    dashboard::DashboardPage,
    environment::EnvironmentHeader,
    history::{HistoryEntryPage, HistorySearchPage},
    home::HomePage,
    roles::{RolePage, RolesPage},
    services::{form::NewServicePage, RolloutPage, ServiceDetailPage},
    sign_in::{fetch_current_user, SetupPage, SignInPage, SignOutButton},
    task_definitions::{
        form::NewTaskDefinitionPage, FamilyPage, RevisionPage, TaskDefinitionsPage,
    },
    users::UsersPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    hooks::use_location,
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                // No icon file: stops every page from asking for /favicon.ico.
                <link rel="icon" href="data:,"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Set once the browser has taken over the server-rendered page; end-to-end tests wait
    // for it before clicking.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    // Routes render with SsrMode::Async: the server sends the finished page, so every page
    // reads and works without JavaScript (out-of-order streaming needs scripts to swap
    // Suspense fallbacks for content).
    view! {
        <Stylesheet id="leptos" href="/pkg/ecs-portal.css"/>
        <Title formatter=|text: String| {
            if text.is_empty() { "ecs-portal".to_string() } else { format!("{text} · ecs-portal") }
        }/>
        <Router>
            <WithSignedInUser>
            <div class="app" data-hydrated=move || hydrated.get().then_some("true")>
                <SiteHeader/>
                <main>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                        <Route path=path!("/clusters") view=ClustersPage ssr=SsrMode::Async/>
                        <Route path=path!("/clusters/:cluster") view=ClusterPage ssr=SsrMode::Async/>
                        <Route path=path!("/services/new") view=NewServicePage ssr=SsrMode::Async/>
                        <Route path=path!("/services/:cluster/:service") view=ServiceDetailPage ssr=SsrMode::Async/>
                        <Route path=path!("/rollouts/:id") view=RolloutPage ssr=SsrMode::Async/>
                        <Route path=path!("/task-definitions") view=TaskDefinitionsPage ssr=SsrMode::Async/>
                        <Route path=path!("/task-definitions/new") view=NewTaskDefinitionPage ssr=SsrMode::Async/>
                        <Route path=path!("/task-definitions/:family") view=FamilyPage ssr=SsrMode::Async/>
                        <Route path=path!("/task-definitions/:family/:revision") view=RevisionPage ssr=SsrMode::Async/>
                        <Route path=path!("/signin") view=SignInPage ssr=SsrMode::Async/>
                        <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async/>
                        <Route path=path!("/account/tokens") view=TokensPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/audit") view=AuditPage ssr=SsrMode::Async/>
                        <Route path=path!("/roles") view=RolesPage ssr=SsrMode::Async/>
                        <Route path=path!("/roles/:name") view=RolePage ssr=SsrMode::Async/>
                        <Route path=path!("/approvals") view=ApprovalsPage ssr=SsrMode::Async/>
                        <Route path=path!("/approvals/new") view=NewChangeRequestPage ssr=SsrMode::Async/>
                        <Route path=path!("/approvals/:id") view=ChangeRequestPage ssr=SsrMode::Async/>
                        <Route path=path!("/history") view=HistorySearchPage ssr=SsrMode::Async/>
                        <Route path=path!("/history/:id") view=HistoryEntryPage ssr=SsrMode::Async/>
                        <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
            </div>
            </WithSignedInUser>
        </Router>
    }
}

/// Looks the signed-in user up again on every navigation (so signing in or out shows at
/// once) and shares it with the header and the pages.
#[component]
fn WithSignedInUser(children: Children) -> impl IntoView {
    let location = use_location();
    let user = Resource::new(move || location.pathname.get(), |_| fetch_current_user());
    provide_context(SignedInUser(user));
    children()
}

/// Navigation for the signed-in user's role, who they are, and where AWS calls go.
/// What is hidden here is also refused by the server.
#[component]
fn SiteHeader() -> impl IntoView {
    let user = expect_context::<SignedInUser>().0;
    view! {
        <header class="site-header">
            <a class="brand" href="/">"ecs-portal"</a>
            <Suspense>
                {move || Suspend::new(async move {
                    match user.await.ok().flatten() {
                        Some(user) => view! { <SignedInNav user/> }.into_any(),
                        None => view! {
                            <nav aria-label="Main"><A href="/signin">"Sign in"</A></nav>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </header>
    }
}

#[component]
fn SignedInNav(user: CurrentUser) -> impl IntoView {
    let is_admin = user.role.can(Operation::ManageUsers);
    view! {
        <nav aria-label="Main">
            <A href="/" exact=true>"Home"</A>
            <A href="/clusters">"Clusters"</A>
            <A href="/task-definitions">"Task definitions"</A>
            <A href="/roles">"Roles"</A>
            <A href="/approvals">"Approvals"</A>
            <A href="/history">"History"</A>
            <IfAllowed operation=Operation::ViewDashboard>
                <A href="/dashboard">"Dashboard"</A>
            </IfAllowed>
            {is_admin.then(|| view! {
                <A href="/admin/users">"Users"</A>
                <A href="/admin/audit">"Audit log"</A>
            })}
        </nav>
        <EnvironmentHeader/>
        <div class="user-menu">
            <span data-testid="signed-in-user">{user.display_name.clone()}</span>
            " "
            <span class="badge badge-role" data-testid="signed-in-role">{user.role.as_str()}</span>
            <A href="/account/tokens">"API tokens"</A>
            <SignOutButton/>
        </div>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <h1>"Page not found"</h1>
        <p>"Nothing lives at this address. " <a href="/">"Go to the home page"</a> "."</p>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
