//! The home page: where to go, and what happened lately.

use crate::components::RecentHistory;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Home"/>
        <h1>"Deploy to ECS Fargate"</h1>
        <p class="lead">
            "Create clusters and follow every change the portal makes to your AWS account. "
            <a href="/clusters">"Go to clusters"</a>"."
        </p>
        <RecentHistory/>
    }
}
