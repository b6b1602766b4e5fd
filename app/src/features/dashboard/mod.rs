//! `/dashboard` (managers and admins): deployments per day over 30 and 90 days as SVG
//! charts drawn on the server, change failure rate, median lead time, mean time to
//! restore, and a table per service. Everything comes from history.

#[cfg(feature = "ssr")]
use crate::{backend, domain::permissions::Operation};
use crate::{
    components::{ErrorAlert, StatusBadge},
    domain::history::{
        chart::deployments_chart_svg,
        display_time,
        metrics::{format_duration, format_rate, Dashboard},
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// The dashboard for the last 30 and the last 90 days.
#[server(prefix = "/api", endpoint = "history_dashboard")]
pub async fn history_dashboard() -> Result<Vec<Dashboard>, AppError> {
    let (state, caller) = backend::context(Operation::ViewDashboard).await?;
    backend::ops::history::dashboard(&state, &caller).await
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboards = Resource::new(|| (), |_| history_dashboard());
    view! {
        <Title text="Dashboard"/>
        <h1>"Deployment dashboard"</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match dashboards.await {
                    Ok(windows) => view! { <DashboardView windows/> }.into_any(),
                    Err(err) => view! {
                        <ErrorAlert message=err.to_string() testid="dashboard-error"/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn or_dash(value: Option<i64>) -> String {
    value.map_or_else(|| "—".to_string(), format_duration)
}

#[component]
fn DashboardView(windows: Vec<Dashboard>) -> impl IntoView {
    let Some(longest) = windows.iter().max_by_key(|d| d.days).cloned() else {
        return ().into_any();
    };
    let metric = |label: &'static str, hint: &'static str, value: fn(&Dashboard) -> String| {
        let cells = windows
            .iter()
            .map(|d| view! { <td class="num">{value(d)}</td> })
            .collect_view();
        view! { <tr><th scope="row" title=hint>{label}</th>{cells}</tr> }
    };
    view! {
        <section class="panel" aria-labelledby="metrics-title">
            <h2 id="metrics-title">"Delivery metrics"</h2>
            <table class="table metrics" data-testid="metrics">
                <thead><tr>
                    <th scope="col">"Metric"</th>
                    {windows.iter().map(|d| view! { <th scope="col" class="num">{format!("Last {} days", d.days)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {metric("Deployments", "Rollouts decided in the window", |d| d.deployments.to_string())}
                    {metric("Failed", "Rollouts that did not complete", |d| d.failed.to_string())}
                    {metric("Change failure rate", "Failed rollouts / all decided rollouts", |d| format_rate(d.change_failure_rate))}
                    {metric("Median lead time", "Task definition registered → its first completed rollout", |d| {
                        format!("{} ({} revisions)", or_dash(d.median_lead_time_secs), d.lead_time_samples)
                    })}
                    {metric("Mean time to restore", "Failed rollout → next completed rollout of that service", |d| {
                        format!("{} ({} restored, {} still failing)", or_dash(d.mean_time_to_restore_secs), d.restored_incidents, d.open_incidents)
                    })}
                </tbody>
            </table>
        </section>
        {windows.iter().map(|d| {
            let title = format!("Deployments per day, last {} days", d.days);
            let svg = deployments_chart_svg(&format!("deployments-{}", d.days), &title, &d.per_day);
            view! {
                <section class="panel chart-panel" data-testid=format!("chart-{}", d.days)>
                    <h2>{title}</h2>
                    <div class="chart-box" inner_html=svg></div>
                    <p class="legend">
                        <span class="swatch swatch-succeeded"></span>" completed "
                        <span class="swatch swatch-failed"></span>" failed"
                    </p>
                </section>
            }
        }).collect_view()}
        <section class="panel" aria-labelledby="services-title">
            <h2 id="services-title">{format!("Services, last {} days", longest.days)}</h2>
            {if longest.services.is_empty() {
                view! { <p class="empty">"No rollout was decided in this window."</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="service-metrics">
                        <thead><tr>
                            <th scope="col">"Service"</th>
                            <th scope="col" class="num">"Deployments"</th>
                            <th scope="col" class="num">"Failed"</th>
                            <th scope="col" class="num">"Failure rate"</th>
                            <th scope="col" class="num">"Median lead time"</th>
                            <th scope="col" class="num">"Mean time to restore"</th>
                            <th scope="col">"Last rollout (UTC)"</th>
                            <th scope="col">"By"</th>
                        </tr></thead>
                        <tbody>
                            {longest.services.into_iter().map(|s| {
                                let (cluster, service) = s.service.split_once('/').unwrap_or(("", &s.service));
                                let href = format!("/history?kind=rollout&cluster={cluster}&service={service}");
                                view! {
                                    <tr>
                                        <td class="mono"><a href=href>{s.service.clone()}</a></td>
                                        <td class="num">{s.deployments}</td>
                                        <td class="num">{s.failed}</td>
                                        <td class="num">{format_rate(s.change_failure_rate)}</td>
                                        <td class="num">{or_dash(s.median_lead_time_secs)}</td>
                                        <td class="num">{or_dash(s.mean_time_to_restore_secs)}</td>
                                        <td>
                                            {s.last_at.as_deref().map(display_time)} " "
                                            {s.last_status.map(|status| view! { <StatusBadge status/> })}
                                        </td>
                                        <td>{s.last_actor.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
