//! Clusters: list them and create one.

#[cfg(feature = "ssr")]
use crate::backend;
use crate::{
    components::{
        loaded_list,
        paths::{cluster_path, service_path},
        FormAlert, IfAllowed, RecentHistory, TextField,
    },
    domain::{
        clusters::{validate_cluster_name, ClusterSummary, CLUSTER_NAME_LABEL},
        permissions::Operation,
        services::ServiceSummary,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Every cluster in the account and region, with task and service counts.
#[server(prefix = "/api", endpoint = "list_clusters")]
pub async fn list_clusters() -> Result<Vec<ClusterSummary>, AppError> {
    let (state, caller) = backend::context(Operation::ViewClusters).await?;
    backend::ops::clusters::list_clusters(&state, &caller).await
}

/// Creates a cluster. The name is validated first; nothing reaches AWS when it is invalid.
#[server(prefix = "/api", endpoint = "create_cluster")]
pub async fn create_cluster(cluster_name: String) -> Result<ClusterSummary, AppError> {
    use crate::domain::clusters::CreateClusterRequest;
    let (state, caller) = backend::context(Operation::CreateCluster).await?;
    let request = CreateClusterRequest { cluster_name };
    backend::ops::clusters::create_cluster(&state, &caller, request).await
}

/// The services of a cluster with their status and counts.
#[server(prefix = "/api", endpoint = "list_cluster_services")]
pub async fn list_cluster_services(cluster: String) -> Result<Vec<ServiceSummary>, AppError> {
    let (state, caller) = backend::context(Operation::ViewClusters).await?;
    backend::ops::services::list_services(&state, &caller, &cluster).await
}

#[component]
pub fn ClustersPage() -> impl IntoView {
    let create = ServerAction::<CreateCluster>::new();
    let clusters = Resource::new(move || create.version().get(), |_| list_clusters());

    view! {
        <Title text="Clusters"/>
        <h1>"Clusters"</h1>
        <div class="columns">
            <section class="panel" aria-labelledby="clusters-title">
                <h2 id="clusters-title">"Clusters in this region"</h2>
                <Transition fallback=|| view! { <p>"Loading clusters…"</p> }>
                    {move || Suspend::new(async move {
                        loaded_list(clusters.await, "No clusters yet. Create the first one with the form.", |list| view! { <ClusterTable clusters=list/> })
                    })}
                </Transition>
            </section>
            <IfAllowed operation=Operation::CreateCluster>
                <CreateClusterForm action=create/>
            </IfAllowed>
        </div>
        <RecentHistory refresh=create.version()/>
    }
}

#[component]
fn ClusterTable(clusters: Vec<ClusterSummary>) -> impl IntoView {
    view! {
        <table class="table" data-testid="clusters">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="num">"Running tasks"</th>
                    <th scope="col" class="num">"Pending tasks"</th>
                    <th scope="col" class="num">"Active services"</th>
                </tr>
            </thead>
            <tbody>
                {clusters.into_iter().map(|c| view! {
                    <tr>
                        <td class="mono" title=c.arn.clone()>
                            <a href=cluster_path(&c.name)>{c.name.clone()}</a>
                        </td>
                        <td>{c.status.clone()}</td>
                        <td class="num">{c.running_tasks}</td>
                        <td class="num">{c.pending_tasks}</td>
                        <td class="num">{c.active_services}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn CreateClusterForm(action: ServerAction<CreateCluster>) -> impl IntoView {
    let result = action.value();
    let server_error = Signal::derive(move || result.get().and_then(Result::err));
    // After a plain form post the page is rendered anew: start from the rejected value.
    let name = RwSignal::new(
        server_error
            .get_untracked()
            .and_then(|e| e.rejected_value("clusterName"))
            .unwrap_or_default(),
    );
    // Live feedback from the same validator the server runs, once the user has typed.
    let touched = RwSignal::new(false);
    Effect::new(move |_| {
        if !name.get().is_empty() {
            touched.set(true);
        }
    });
    let field_error = Signal::derive(move || {
        let live = touched
            .get()
            .then(|| validate_cluster_name(&name.get()).err())
            .flatten();
        live.or_else(|| {
            server_error
                .get()
                .and_then(|e| e.field_message("clusterName"))
        })
    });
    let success = Signal::derive(move || {
        result
            .get()
            .and_then(Result::ok)
            .map(|c| format!("Cluster {} was created.", c.name))
    });
    // A created cluster clears the field for the next one.
    Effect::new(move |_| {
        if let Some(Ok(_)) = result.get() {
            name.set(String::new());
            touched.set(false);
        }
    });

    view! {
        <section class="panel" aria-labelledby="create-cluster-title">
            <h2 id="create-cluster-title">"Create a cluster"</h2>
            <ActionForm action=action attr:novalidate=true>
                <TextField
                    label=CLUSTER_NAME_LABEL
                    name="cluster_name"
                    value=name
                    error=field_error
                    placeholder="fastapi-cluster"
                    hint="1-255 letters, digits, hyphens and underscores."
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating…" } else { "Create cluster" }}
                </button>
            </ActionForm>
            <FormAlert error=server_error success/>
        </section>
    }
}

/// One cluster: its services with their status and running/desired counts.
#[component]
pub fn ClusterPage() -> impl IntoView {
    use leptos_router::hooks::use_params_map;
    let params = use_params_map();
    let cluster = move || params.read().get("cluster").unwrap_or_default();
    let services = Resource::new(cluster, list_cluster_services);
    view! {
        <Title text=cluster/>
        <p><a href="/clusters">"Clusters"</a>" /"</p>
        <h1>{cluster}</h1>
        <IfAllowed operation=Operation::CreateService>
            <p>
                <a class="button primary" href=move || format!(
                    "/services/new?cluster={}",
                    crate::domain::url::encode_query_value(&cluster())
                )>"Create a service"</a>
            </p>
        </IfAllowed>
        <section class="panel" aria-labelledby="services-title">
            <h2 id="services-title">"Services"</h2>
            <Transition fallback=|| view! { <p>"Loading services…"</p> }>
                {move || Suspend::new(async move {
                    loaded_list(services.await, "No services in this cluster yet.", |list| view! {
                            <table class="table" data-testid="services">
                                <thead><tr>
                                    <th scope="col">"Service"</th><th scope="col">"Status"</th>
                                    <th scope="col">"Task definition"</th>
                                    <th scope="col" class="num">"Running / desired"</th>
                                    <th scope="col" class="num">"Pending"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|s| {
                                        let href = service_path(&cluster(), &s.name);
                                        view! {
                                            <tr>
                                                <td class="mono"><a href=href>{s.name.clone()}</a></td>
                                                <td>{s.status.clone()}</td>
                                                <td class="mono">{s.task_definition.clone()}</td>
                                                <td class="num">{format!("{} / {}", s.running_count, s.desired_count)}</td>
                                                <td class="num">{s.pending_count}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })
                })}
            </Transition>
        </section>
    }
}
