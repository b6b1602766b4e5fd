//! Services: the service page (status, counts, deployments, events, tasks, the portal's
//! rollouts, and the actions: deploy another revision, scale, force a new deployment, roll
//! back, delete), the rollout page, and the create-service form (`form.rs`).
//!
//! With JavaScript the service page refetches itself every few seconds, so the progress bar
//! and new events move without a reload; without it, every action is a plain form post and
//! a reload shows the latest state.

pub mod form;

#[cfg(feature = "ssr")]
use crate::backend;
use crate::{
    components::{action_error, field_error, loaded, paths::service_path, FormAlert, IfAllowed},
    domain::{
        history::display_time,
        permissions::Operation,
        services::rollouts::{Rollout, RolloutStatus},
        services::{DeploymentStarted, ServicePage, ServiceSummary},
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::time::Duration;

/// How often a page refetches its live state (with JavaScript): often while a rollout is in
/// progress, rarely otherwise (each look costs several AWS calls).
const REFRESH_BUSY: Duration = Duration::from_secs(2);
const REFRESH_IDLE: Duration = Duration::from_secs(30);

/// Everything the service page shows.
#[server(prefix = "/api", endpoint = "service_page")]
pub async fn load_service_page(cluster: String, service: String) -> Result<ServicePage, AppError> {
    let (state, caller) = backend::context(Operation::ViewClusters).await?;
    backend::ops::services::service_page(&state, &caller, &cluster, &service).await
}

/// One rollout.
#[server(prefix = "/api", endpoint = "rollout")]
pub async fn load_rollout(id: i64) -> Result<Rollout, AppError> {
    let (state, caller) = backend::context(Operation::ViewClusters).await?;
    backend::ops::rollouts::get(&state, &caller, id).await
}

/// Deploys another revision (`family:revision`).
#[server(prefix = "/api", endpoint = "deploy_revision")]
pub async fn deploy_revision(
    cluster: String,
    service: String,
    task_definition: String,
) -> Result<DeploymentStarted, AppError> {
    let (state, caller) = backend::context(Operation::DeployService).await?;
    backend::ops::services::deploy(&state, &caller, &cluster, &service, &task_definition).await
}

/// Sets the desired count (a text field, so an empty or wrong value gets a sentence).
#[server(prefix = "/api", endpoint = "scale_service")]
pub async fn scale_service(
    cluster: String,
    service: String,
    desired_count: String,
) -> Result<DeploymentStarted, AppError> {
    use crate::error::FieldError;
    let (state, caller) = backend::context(Operation::DeployService).await?;
    let count = desired_count.trim().parse::<i32>().map_err(|_| {
        let message = "Desired count must be a whole number.";
        AppError::validation(vec![
            FieldError::new("desiredCount", message).with_rejected(desired_count.clone())
        ])
    })?;
    backend::ops::services::scale(&state, &caller, &cluster, &service, count).await
}

#[server(prefix = "/api", endpoint = "force_new_deployment")]
pub async fn force_new_deployment(
    cluster: String,
    service: String,
) -> Result<DeploymentStarted, AppError> {
    let (state, caller) = backend::context(Operation::DeployService).await?;
    backend::ops::services::force_deployment(&state, &caller, &cluster, &service).await
}

#[server(prefix = "/api", endpoint = "roll_back_service")]
pub async fn roll_back_service(
    cluster: String,
    service: String,
) -> Result<DeploymentStarted, AppError> {
    let (state, caller) = backend::context(Operation::DeployService).await?;
    backend::ops::services::rollback(&state, &caller, &cluster, &service).await
}

/// Scales the service to 0 and deletes it; `confirm` repeats the service name. Opens the
/// cluster afterwards.
#[server(prefix = "/api", endpoint = "delete_service")]
pub async fn delete_service(
    cluster: String,
    service: String,
    #[server(default)] confirm: String,
) -> Result<ServiceSummary, AppError> {
    use crate::components::paths::cluster_path;
    let (state, caller) = backend::context(Operation::DeleteService).await?;
    let deleted =
        backend::ops::services::delete(&state, &caller, &cluster, &service, &confirm).await?;
    leptos_axum::redirect(&cluster_path(&cluster));
    Ok(deleted)
}

/// A signal that ticks every `REFRESH_BUSY` while `busy`, else every `REFRESH_IDLE`, once the
/// page runs in the browser (never on the server), for resources that refetch themselves.
pub fn refresh_tick(busy: Signal<bool>) -> ReadSignal<u64> {
    let (tick, set_tick) = signal(0_u64);
    // The interval is cleared when the pace changes and when the page goes away.
    Effect::new(move |_| {
        let every = if busy.get() {
            REFRESH_BUSY
        } else {
            REFRESH_IDLE
        };
        if let Ok(handle) = set_interval_with_handle(move || set_tick.update(|t| *t += 1), every) {
            on_cleanup(move || handle.clear());
        }
    });
    tick
}

/// A rollout's status as a badge.
#[component]
pub fn RolloutBadge(status: RolloutStatus) -> impl IntoView {
    view! {
        <span class=format!("badge badge-rollout-{}", status.as_str()) data-testid="rollout-status">
            {status.describe()}
        </span>
    }
}

/// A rollout's progress bar with its percentage.
#[component]
fn RolloutProgress(rollout: Rollout) -> impl IntoView {
    let label = format!("Rollout {} progress", rollout.id);
    view! {
        <span class="rollout-progress">
            <progress max="100" value=rollout.progress.to_string() aria-label=label data-testid="rollout-progress"></progress>
            " "{rollout.progress}"%"
        </span>
    }
}

#[component]
pub fn ServiceDetailPage() -> impl IntoView {
    let params = use_params_map();
    let cluster = move || params.read().get("cluster").unwrap_or_default();
    let service = move || params.read().get("service").unwrap_or_default();
    let deploy = ServerAction::<DeployRevision>::new();
    let scale = ServerAction::<ScaleService>::new();
    let force = ServerAction::<ForceNewDeployment>::new();
    let rollback = ServerAction::<RollBackService>::new();
    let delete = ServerAction::<DeleteService>::new();
    // Quick looks while the newest rollout is in progress (and until the page is known).
    let busy = RwSignal::new(true);
    let tick = refresh_tick(busy.into());
    let page = Resource::new(
        move || {
            (
                cluster(),
                service(),
                tick.get(),
                deploy.version().get()
                    + scale.version().get()
                    + force.version().get()
                    + rollback.version().get(),
            )
        },
        |(cluster, service, _, _)| load_service_page(cluster, service),
    );
    Effect::new(move |_| {
        if let Some(Ok(page)) = page.get() {
            let in_progress = page
                .rollouts
                .first()
                .is_some_and(|r| r.status == RolloutStatus::InProgress);
            if busy.get_untracked() != in_progress {
                busy.set(in_progress);
            }
        }
    });
    let actions = ServiceActions {
        deploy,
        scale,
        force,
        rollback,
        delete,
    };
    view! {
        <Title text=move || service()/>
        <p>
            <a href="/clusters">"Clusters"</a>" / "
            <a href=move || format!("/clusters/{}", cluster())>{cluster}</a>" /"
        </p>
        <h1>{service}</h1>
        <Transition fallback=|| view! { <p>"Loading the service…"</p> }>
            {move || Suspend::new(async move {
                loaded(page.await, |page| view! { <ServiceView page actions/> })
            })}
        </Transition>
    }
}

/// The actions of the service page, shared by its parts.
#[derive(Clone, Copy)]
struct ServiceActions {
    deploy: ServerAction<DeployRevision>,
    scale: ServerAction<ScaleService>,
    force: ServerAction<ForceNewDeployment>,
    rollback: ServerAction<RollBackService>,
    delete: ServerAction<DeleteService>,
}

#[component]
fn ServiceView(page: ServicePage, actions: ServiceActions) -> impl IntoView {
    let ServicePage {
        detail,
        rollouts,
        rollback_to,
    } = page;
    let summary = detail.summary.clone();
    let latest = rollouts.first().cloned();
    // Each `IfAllowed` child closure owns its copies.
    let (cluster, service) = (detail.cluster.clone(), summary.name.clone());
    let (delete_cluster, delete_service) = (cluster.clone(), service.clone());
    let task_definition = summary.task_definition.clone();
    let desired_count = summary.desired_count;
    view! {
        <section class="panel" aria-labelledby="service-status-title">
            <h2 id="service-status-title">"Status"</h2>
            <dl class="facts">
                <dt>"Status"</dt><dd data-testid="service-status">{summary.status.clone()}</dd>
                <dt>"Running"</dt><dd data-testid="running-count">{summary.running_count}</dd>
                <dt>"Pending"</dt><dd data-testid="pending-count">{summary.pending_count}</dd>
                <dt>"Desired"</dt><dd data-testid="desired-count">{summary.desired_count}</dd>
                <dt>"Task definition"</dt>
                <dd class="mono" data-testid="service-task-definition">{summary.task_definition.clone()}</dd>
                <dt>"Launch type"</dt><dd>{detail.launch_type.clone().unwrap_or_default()}</dd>
            </dl>
            {latest.map(|rollout| view! {
                <p class="latest-rollout" data-testid="latest-rollout">
                    <a href=format!("/rollouts/{}", rollout.id)>{format!("Rollout {}", rollout.id)}</a>
                    " ("{rollout.trigger.describe()}", "{rollout.to_task_definition.clone()}"): "
                    <RolloutBadge status=rollout.status/>
                    " "<RolloutProgress rollout=rollout.clone()/>
                    {rollout.reason.clone().map(|r| view! { <span class="reason">" "{r}</span> })}
                </p>
            })}
        </section>
        <IfAllowed operation=Operation::DeployService>
            <ServiceActionForms
                cluster=cluster.clone()
                service=service.clone()
                task_definition=task_definition.clone()
                desired_count
                rollback_to=rollback_to.clone()
                actions
            />
        </IfAllowed>
        <section class="panel" aria-labelledby="deployments-title">
            <h2 id="deployments-title">"Deployments"</h2>
            <table class="table" data-testid="deployments">
                <thead><tr>
                    <th scope="col">"Status"</th><th scope="col">"Task definition"</th>
                    <th scope="col">"Rollout state"</th><th scope="col" class="num">"Running"</th>
                    <th scope="col" class="num">"Pending"</th><th scope="col" class="num">"Desired"</th>
                    <th scope="col" class="num">"Failed tasks"</th><th scope="col">"Created"</th>
                </tr></thead>
                <tbody>
                    {detail.deployments.iter().map(|d| view! {
                        <tr>
                            <td>{d.status.clone()}</td>
                            <td class="mono">{d.task_definition.clone()}</td>
                            <td title=d.rollout_state_reason.clone().unwrap_or_default()>
                                {d.rollout_state.clone().unwrap_or_default()}
                            </td>
                            <td class="num">{d.running_count}</td>
                            <td class="num">{d.pending_count}</td>
                            <td class="num">{d.desired_count}</td>
                            <td class="num">{d.failed_tasks}</td>
                            <td>{d.created_at.as_deref().map(display_time).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="panel" aria-labelledby="rollouts-title">
            <h2 id="rollouts-title">"Rollouts started by the portal"</h2>
            <RolloutTable rollouts/>
        </section>
        <section class="panel" aria-labelledby="events-title">
            <h2 id="events-title">"Events"</h2>
            {if detail.events.is_empty() {
                view! { <p class="empty">"ECS has reported no events yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="events" data-testid="events">
                        {detail.events.iter().map(|e| view! {
                            <li>
                                <time>{e.created_at.as_deref().map(display_time).unwrap_or_default()}</time>
                                " "{e.message.clone()}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="tasks-title">
            <h2 id="tasks-title">"Tasks"</h2>
            {if detail.tasks.is_empty() {
                view! { <p class="empty">"ECS lists no tasks for this service."</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="tasks">
                        <thead><tr>
                            <th scope="col">"Task"</th><th scope="col">"Status"</th>
                            <th scope="col">"Desired"</th><th scope="col">"Task definition"</th>
                            <th scope="col">"Health"</th><th scope="col">"Stopped reason"</th>
                        </tr></thead>
                        <tbody>
                            {detail.tasks.iter().map(|t| view! {
                                <tr>
                                    <td class="mono">{t.id.clone()}</td>
                                    <td>{t.last_status.clone()}</td>
                                    <td>{t.desired_status.clone()}</td>
                                    <td class="mono">{t.task_definition.clone()}</td>
                                    <td>{t.health_status.clone().unwrap_or_default()}</td>
                                    <td>{t.stopped_reason.clone().unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <IfAllowed operation=Operation::DeleteService>
            <DeleteServiceForm cluster=delete_cluster.clone() service=delete_service.clone() action=actions.delete/>
        </IfAllowed>
    }
}

#[component]
fn RolloutTable(rollouts: Vec<Rollout>) -> impl IntoView {
    if rollouts.is_empty() {
        return view! { <p class="empty">"No rollouts yet."</p> }.into_any();
    }
    view! {
        <table class="table" data-testid="rollouts">
            <thead><tr>
                <th scope="col">"Rollout"</th><th scope="col">"Trigger"</th>
                <th scope="col">"From"</th><th scope="col">"To"</th>
                <th scope="col">"Status"</th><th scope="col">"Progress"</th>
                <th scope="col">"By"</th><th scope="col">"Started"</th><th scope="col">"Reason"</th>
            </tr></thead>
            <tbody>
                {rollouts.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=format!("/rollouts/{}", r.id)>{r.id}</a></td>
                        <td>{r.trigger.describe()}</td>
                        <td class="mono">{r.from_task_definition.clone().unwrap_or_default()}</td>
                        <td class="mono">{r.to_task_definition.clone()}</td>
                        <td><RolloutBadge status=r.status/></td>
                        <td><RolloutProgress rollout=r.clone()/></td>
                        <td>{r.actor.clone()}</td>
                        <td>{display_time(&r.started_at)}</td>
                        <td>{r.reason.clone().unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Hidden `cluster` and `service` inputs of every action form.
#[component]
fn ServiceFields(names: StoredValue<(String, String)>) -> impl IntoView {
    let (cluster, service) = names.get_value();
    view! {
        <input type="hidden" name="cluster" value=cluster/>
        <input type="hidden" name="service" value=service/>
    }
}

/// What the last action answered, as a sentence.
fn started_message(value: Option<Result<DeploymentStarted, AppError>>) -> Option<String> {
    value.and_then(Result::ok).map(|s| {
        format!(
            "Rollout {} started: {} with {} tasks.",
            s.rollout_id, s.task_definition, s.desired_count
        )
    })
}

#[component]
fn ServiceActionForms(
    cluster: String,
    service: String,
    task_definition: String,
    desired_count: i32,
    rollback_to: Option<String>,
    actions: ServiceActions,
) -> impl IntoView {
    let ServiceActions {
        deploy,
        scale,
        force,
        rollback,
        ..
    } = actions;
    let error = Signal::derive(move || {
        action_error(deploy.value())
            .get()
            .or_else(|| action_error(scale.value()).get())
            .or_else(|| action_error(force.value()).get())
            .or_else(|| action_error(rollback.value()).get())
    });
    let success = Signal::derive(move || {
        started_message(deploy.value().get())
            .or_else(|| started_message(scale.value().get()))
            .or_else(|| started_message(force.value().get()))
            .or_else(|| started_message(rollback.value().get()))
    });
    let deploy_error = field_error(deploy.value(), "taskDefinition");
    let scale_error = field_error(scale.value(), "desiredCount");
    let names = StoredValue::new((cluster, service));
    let rollback_label = match &rollback_to {
        Some(td) => format!("Roll back to {td}"),
        None => "Roll back".to_string(),
    };
    view! {
        <section class="panel" aria-labelledby="actions-title">
            <h2 id="actions-title">"Actions"</h2>
            <div class="actions-grid">
                <ActionForm action=deploy attr:novalidate=true>
                    <ServiceFields names/>
                    <div class="field" class:has-error=move || deploy_error.get().is_some()>
                        <label for="deploy-task-definition">"Deploy revision (family:revision)"</label>
                        <input id="deploy-task-definition" name="task_definition" type="text"
                            value=task_definition.clone() autocomplete="off"/>
                        <p class="field-error" role="alert">{move || deploy_error.get()}</p>
                    </div>
                    <button type="submit" class="primary">"Deploy"</button>
                </ActionForm>
                <ActionForm action=scale attr:novalidate=true>
                    <ServiceFields names/>
                    <div class="field" class:has-error=move || scale_error.get().is_some()>
                        <label for="scale-desired-count">"Desired count"</label>
                        <input id="scale-desired-count" name="desired_count" type="number" min="0"
                            value=desired_count.to_string()/>
                        <p class="field-error" role="alert">{move || scale_error.get()}</p>
                    </div>
                    <button type="submit">"Scale"</button>
                </ActionForm>
                <ActionForm action=force>
                    <ServiceFields names/>
                    <p class="hint">"Replace every task with a fresh one of the same revision."</p>
                    <button type="submit">"Force new deployment"</button>
                </ActionForm>
                <ActionForm action=rollback>
                    <ServiceFields names/>
                    <p class="hint">"Deploy the last revision whose rollout completed on this service."</p>
                    <button type="submit" disabled=rollback_to.is_none()>{rollback_label}</button>
                </ActionForm>
            </div>
            <FormAlert error success/>
        </section>
    }
}

#[component]
fn DeleteServiceForm(
    cluster: String,
    service: String,
    action: ServerAction<DeleteService>,
) -> impl IntoView {
    let error = action_error(action.value());
    let confirm_error = field_error(action.value(), "confirm");
    let hint = format!("Scales the service to 0, then deletes it. Type {service} to confirm.");
    let names = StoredValue::new((cluster, service));
    view! {
        <section class="panel danger" aria-labelledby="delete-title">
            <h2 id="delete-title">"Delete this service"</h2>
            <ActionForm action=action attr:novalidate=true>
                <ServiceFields names/>
                <div class="field" class:has-error=move || confirm_error.get().is_some()>
                    <label for="delete-confirm">"Service name"</label>
                    <input id="delete-confirm" name="confirm" type="text" autocomplete="off"/>
                    <p class="hint">{hint}</p>
                    <p class="field-error" role="alert">{move || confirm_error.get()}</p>
                </div>
                <button type="submit" class="danger">"Delete service"</button>
            </ActionForm>
            <FormAlert error/>
        </section>
    }
}

#[component]
pub fn RolloutPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let busy = RwSignal::new(true);
    let tick = refresh_tick(busy.into());
    let rollout = Resource::new(move || (id(), tick.get()), |(id, _)| load_rollout(id));
    Effect::new(move |_| {
        if let Some(Ok(r)) = rollout.get() {
            let in_progress = r.status == RolloutStatus::InProgress;
            if busy.get_untracked() != in_progress {
                busy.set(in_progress);
            }
        }
    });
    view! {
        <Title text=move || format!("Rollout {}", id())/>
        <h1>{move || format!("Rollout {}", id())}</h1>
        <Transition fallback=|| view! { <p>"Loading the rollout…"</p> }>
            {move || Suspend::new(async move {
                loaded(rollout.await, |r| view! {
                        <p><a href=service_path(&r.cluster, &r.service)>{format!("{}/{}", r.cluster, r.service)}</a></p>
                        <dl class="facts">
                            <dt>"Status"</dt><dd><RolloutBadge status=r.status/></dd>
                            <dt>"Progress"</dt><dd><RolloutProgress rollout=r.clone()/></dd>
                            <dt>"Trigger"</dt><dd>{r.trigger.describe()}</dd>
                            <dt>"From"</dt><dd class="mono">{r.from_task_definition.clone().unwrap_or_else(|| "(none)".into())}</dd>
                            <dt>"To"</dt><dd class="mono">{r.to_task_definition.clone()}</dd>
                            <dt>"Desired count"</dt><dd>{r.desired_count}</dd>
                            <dt>"Started by"</dt><dd>{r.actor.clone()}</dd>
                            <dt>"Started"</dt><dd>{display_time(&r.started_at)}</dd>
                            <dt>"Finished"</dt><dd>{r.finished_at.as_deref().map(display_time).unwrap_or_default()}</dd>
                            <dt>"Reason"</dt><dd data-testid="rollout-reason">{r.reason.clone().unwrap_or_default()}</dd>
                        </dl>
                })
            })}
        </Transition>
    }
}
