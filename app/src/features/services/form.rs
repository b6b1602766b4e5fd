//! The create-service form: cluster, name, task definition family and revision pickers,
//! desired count, platform version, subnet and security group pickers (from EC2, showing
//! VPC, AZ and CIDR), public IP, circuit breaker (with rollback by default), deployment
//! percents, grace period and tags, with a live JSON preview and the `aws ecs create-service`
//! command. Field errors come from the same validator the server runs.
//!
//! Without JavaScript the form posts as it is; a rejected submission comes back with
//! everything typed in the address, and "Show revisions" reopens it for another family.

use crate::{
    components::FormAlert,
    domain::services::{
        create_service_cli, form_field_for, DeploymentStarted, NetworkChoices, SecurityGroupChoice,
        ServiceForm, SubnetChoice, BREAKER_OFF, BREAKER_ON, BREAKER_ROLLBACK, GROUP_CHECKBOX,
        SUBNET_CHECKBOX,
    },
    error::AppError,
    features::task_definitions::list_task_definition_revisions,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the form page starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceFormStart {
    pub form: ServiceForm,
    /// Cluster names, or why they cannot be listed.
    pub clusters: Result<Vec<String>, String>,
    /// Task definition families, or why they cannot be listed.
    pub families: Result<Vec<String>, String>,
    /// Active revisions of the chosen family, newest first.
    pub revisions: Vec<i32>,
    pub network: NetworkChoices,
}

/// The form to start from (empty with the given cluster, or what a no-JavaScript round trip
/// carried in the address) and the choices to offer.
#[server(prefix = "/api", endpoint = "service_form")]
pub async fn load_service_form(
    #[server(default)] fields: BTreeMap<String, String>,
    #[server(default)] cluster: String,
) -> Result<ServiceFormStart, AppError> {
    use crate::{backend, domain::permissions::Operation};
    let result = async {
        let (state, caller) = backend::authorized(Operation::ViewClusters).await?;
        let mut form = if fields.is_empty() {
            ServiceForm {
                cluster,
                ..ServiceForm::default()
            }
        } else {
            ServiceForm::from_fields(&fields)
        };
        let (clusters, families, network) = tokio::join!(
            backend::ops::clusters::list_clusters(&state, &caller),
            backend::ops::task_definitions::list_families(&state, &caller),
            backend::ops::services::network_choices(&state, &caller),
        );
        let clusters: Result<Vec<String>, String> = clusters
            .map(|list| list.into_iter().map(|c| c.name).collect())
            .map_err(|e| e.to_string());
        let families = families.map_err(|e| e.to_string());
        if form.cluster.is_empty() {
            if let Some(first) = clusters.as_ref().ok().and_then(|c| c.first()) {
                form.cluster = first.clone();
            }
        }
        if form.family.is_empty() {
            if let Some(first) = families.as_ref().ok().and_then(|f| f.first()) {
                form.family = first.clone();
            }
        }
        let revisions = active_revisions(
            backend::ops::task_definitions::list_revisions(&state, &caller, &form.family).await,
        );
        if form.revision.is_empty() || !revisions.iter().any(|r| r.to_string() == form.revision) {
            if let Some(newest) = revisions.first() {
                form.revision = newest.to_string();
            }
        }
        Ok(ServiceFormStart {
            form,
            clusters,
            families,
            revisions,
            network: network?,
        })
    }
    .await;
    backend::respond(result)
}

/// Active revision numbers, newest first (none when the family cannot be read).
fn active_revisions(
    revisions: Result<Vec<crate::domain::task_definitions::RevisionSummary>, AppError>,
) -> Vec<i32> {
    let mut active: Vec<i32> = revisions
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.status == "ACTIVE")
        .map(|r| r.revision)
        .collect();
    active.sort_unstable_by(|a, b| b.cmp(a));
    active
}

/// Creates the service the form describes and opens its page.
#[server(prefix = "/api", endpoint = "create_service_form")]
pub async fn create_service_form(
    fields: BTreeMap<String, String>,
) -> Result<DeploymentStarted, AppError> {
    use crate::{backend, domain::permissions::Operation};
    let form = ServiceForm::from_fields(&fields);
    let result = async {
        let (state, caller) = backend::authorized(Operation::CreateService).await?;
        let spec = form.parse().map_err(AppError::validation)?;
        backend::ops::services::create_service(&state, &caller, spec).await
    }
    .await;
    match &result {
        Ok(started) => {
            leptos_axum::redirect(&super::service_path(&started.cluster, &started.service))
        }
        // A plain form post: back to the form with everything typed, and the problem.
        Err(err) if backend::is_plain_form_post() => {
            leptos_axum::redirect(&form_address(&form, Some(&err.to_string())));
        }
        Err(_) => {}
    }
    backend::respond(result)
}

/// `/services/new?fields[...]=...`: the form as an address.
#[cfg(feature = "ssr")]
fn form_address(form: &ServiceForm, error: Option<&str>) -> String {
    use crate::domain::url::encode_query_value;
    let mut query: Vec<String> = form
        .to_fields()
        .into_iter()
        .map(|(k, v)| {
            format!(
                "fields%5B{}%5D={}",
                encode_query_value(&k),
                encode_query_value(&v)
            )
        })
        .collect();
    if let Some(error) = error {
        query.push(format!("error={}", encode_query_value(error)));
    }
    format!("/services/new?{}", query.join("&"))
}

/// The `fields[...]` of the address.
fn fields_from_query(query: &leptos_router::params::ParamsMap) -> BTreeMap<String, String> {
    query
        .into_iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix("fields[")?.strip_suffix(']')?;
            Some((key.to_string(), v.to_string()))
        })
        .collect()
}

#[component]
pub fn NewServicePage() -> impl IntoView {
    let query = use_query_map();
    let start = Resource::new(
        move || {
            let q = query.read();
            (fields_from_query(&q), q.get("cluster").unwrap_or_default())
        },
        |(fields, cluster)| load_service_form(fields, cluster),
    );
    let address_error = move || query.read().get("error");
    view! {
        <Title text="New service"/>
        <p><a href="/clusters">"Clusters"</a>" /"</p>
        <h1>"New service"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match start.await {
                    Ok(start) => view! { <ServiceFormView start error=address_error()/> }.into_any(),
                    Err(err) => view! { <p class="alert alert-error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Reads and writes one text field of the form.
type Getter = fn(&ServiceForm) -> String;
type Setter = fn(&mut ServiceForm, String);

#[component]
fn ServiceFormView(start: ServiceFormStart, error: Option<String>) -> impl IntoView {
    let action = ServerAction::<CreateServiceForm>::new();
    let ServiceFormStart {
        form: initial,
        clusters,
        families,
        revisions: initial_revisions,
        network,
    } = start;
    let submitted = error.is_some();
    let form = RwSignal::new(initial);
    let revisions = RwSignal::new(initial_revisions);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    // With JavaScript, another family loads its revisions in place.
    Effect::new(move |previous: Option<String>| {
        let family = form.with(|f| f.family.clone());
        if previous.as_ref().is_some_and(|p| *p != family) {
            let family_for_fetch = family.clone();
            leptos::task::spawn_local(async move {
                let list = active_revisions(list_task_definition_revisions(family_for_fetch).await);
                form.update(|f| f.revision = list.first().map(i32::to_string).unwrap_or_default());
                revisions.set(list);
            });
        }
        family
    });
    let show_all = RwSignal::new(submitted);
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Err(_)))) {
            show_all.set(true);
        }
    });
    let checked = Memo::new(move |_| form.with(ServiceForm::to_spec));
    let server_error = Signal::derive(move || action.value().get().and_then(Result::err));
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            if !show_all.get() {
                return None;
            }
            let mut messages: Vec<String> = checked.with(|(_, problems)| {
                problems
                    .iter()
                    .filter(|e| form_field_for(&e.field) == field)
                    .map(|e| e.message.clone())
                    .collect()
            });
            if let Some(err) = server_error.get() {
                messages.extend(
                    err.field_errors()
                        .iter()
                        .filter(|e| form_field_for(&e.field) == field)
                        .map(|e| e.message.clone()),
                );
            }
            let mut seen = std::collections::BTreeSet::new();
            messages.retain(|m| seen.insert(m.clone()));
            (!messages.is_empty()).then(|| messages.join(" "))
        })
    };
    let alert = Signal::derive(move || {
        server_error.get().or_else(|| {
            error.clone().map(|message| AppError::Validation {
                message,
                errors: Vec::new(),
            })
        })
    });
    let preview = Memo::new(move |_| {
        checked.with(|(spec, _)| {
            (
                serde_json::to_string_pretty(spec).unwrap_or_default(),
                create_service_cli(spec),
            )
        })
    });

    view! {
        <div class="columns">
            <section class="panel" aria-labelledby="service-form-title">
                <h2 id="service-form-title">"Service"</h2>
                <ActionForm action=action attr:novalidate=true attr:data-testid="service-form">
                    <NameChoice label="Cluster" key="cluster" choices=clusters form
                        get=|f| f.cluster.clone() set=|f, v| f.cluster = v error=error_for("cluster")/>
                    <FormText label="Service name" key="serviceName" form
                        get=|f| f.service_name.clone() set=|f, v| f.service_name = v
                        error=error_for("serviceName") hint="1-255 letters, digits, hyphens and underscores; unique in the cluster."/>
                    <NameChoice label="Task definition family" key="family" choices=families form
                        get=|f| f.family.clone() set=|f, v| f.family = v error=error_for("family")/>
                    <div class="field">
                        <label for="field-revision">"Revision"</label>
                        <select id="field-revision" name="fields[revision]"
                            on:change=move |ev| form.update(|f| f.revision = event_target_value(&ev))>
                            {move || revisions.get().into_iter().map(|r| {
                                let value = r.to_string();
                                let selected = form.with(|f| f.revision == value);
                                view! { <option value=value.clone() selected=selected>{value.clone()}</option> }
                            }).collect_view()}
                        </select>
                        {move || (!hydrated.get()).then(|| view! {
                            <button type="submit" formmethod="get" formaction="/services/new" class="link">
                                "Show revisions of this family"
                            </button>
                        })}
                    </div>
                    <FormText label="Desired count" key="desiredCount" form input_type="number"
                        get=|f| f.desired_count.clone() set=|f, v| f.desired_count = v error=error_for("desiredCount")/>
                    <p class="hint">"Launch type: FARGATE"</p>
                    <FormText label="Platform version" key="platformVersion" form
                        get=|f| f.platform_version.clone() set=|f, v| f.platform_version = v
                        error=error_for("platformVersion") hint="LATEST, a version such as 1.4.0, or empty for LATEST."/>
                    <SubnetPicker subnets=network.subnets.clone() form error=error_for("subnets")/>
                    <GroupPicker groups=network.security_groups.clone() form error=error_for("securityGroups")/>
                    <div class="field">
                        <label for="field-assignPublicIp">"Assign public IP"</label>
                        <select id="field-assignPublicIp" name="fields[assignPublicIp]"
                            on:change=move |ev| form.update(|f| f.assign_public_ip = event_target_value(&ev))>
                            {[("ENABLED", "Enabled"), ("DISABLED", "Disabled")].into_iter().map(|(value, label)| {
                                let selected = form.with_untracked(|f| f.assign_public_ip == value);
                                view! { <option value=value selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="field-circuitBreaker">"Deployment circuit breaker"</label>
                        <select id="field-circuitBreaker" name="fields[circuitBreaker]"
                            on:change=move |ev| form.update(|f| f.circuit_breaker = event_target_value(&ev))>
                            {[(BREAKER_ROLLBACK, "On, with rollback"), (BREAKER_ON, "On, without rollback"), (BREAKER_OFF, "Off")]
                                .into_iter().map(|(value, label)| {
                                    let selected = form.with_untracked(|f| f.circuit_breaker == value);
                                    view! { <option value=value selected=selected>{label}</option> }
                                }).collect_view()}
                        </select>
                    </div>
                    <FormText label="Minimum healthy percent" key="minimumHealthyPercent" form input_type="number"
                        get=|f| f.minimum_healthy_percent.clone() set=|f, v| f.minimum_healthy_percent = v
                        error=error_for("minimumHealthyPercent")/>
                    <FormText label="Maximum percent" key="maximumPercent" form input_type="number"
                        get=|f| f.maximum_percent.clone() set=|f, v| f.maximum_percent = v
                        error=error_for("maximumPercent")/>
                    <FormText label="Health check grace period (seconds)" key="healthCheckGracePeriodSeconds" form input_type="number"
                        get=|f| f.health_check_grace_period_seconds.clone() set=|f, v| f.health_check_grace_period_seconds = v
                        error=error_for("healthCheckGracePeriodSeconds")/>
                    <FormText label="Tags" key="tags" form multiline=true
                        get=|f| f.tags.clone() set=|f, v| f.tags = v
                        error=error_for("tags") hint="One key=value per line."/>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Creating…" } else { "Create service" }}
                    </button>
                </ActionForm>
                <FormAlert error=alert/>
            </section>
            <section class="panel" aria-labelledby="service-preview-title">
                <h2 id="service-preview-title">"Request"</h2>
                <pre class="json" data-testid="service-json-preview">{move || preview.get().0}</pre>
                <h3>"AWS CLI"</h3>
                <pre class="cli" data-testid="service-cli-preview">{move || preview.get().1}</pre>
            </section>
        </div>
    }
}

/// A text input (or text area) bound to one field of the form, named `fields[<key>]`.
#[component]
fn FormText(
    label: &'static str,
    key: &'static str,
    form: RwSignal<ServiceForm>,
    get: Getter,
    set: Setter,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] input_type: &'static str,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let id = format!("field-{key}");
    let name = format!("fields[{key}]");
    let input_type = if input_type.is_empty() {
        "text"
    } else {
        input_type
    };
    let initial = form.with_untracked(get);
    let input = if multiline {
        view! {
            <textarea id=id.clone() name=name rows="3"
                prop:value=move || form.with(get)
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                aria-invalid=move || error.get().is_some().then_some("true")>{initial}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=input_type autocomplete="off"
                prop:value=move || form.with(get) value=initial
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                aria-invalid=move || error.get().is_some().then_some("true")/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id>{label}</label>
            {input}
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <p class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A select of names when they could be listed, else a text input with the reason.
#[component]
fn NameChoice(
    label: &'static str,
    key: &'static str,
    choices: Result<Vec<String>, String>,
    form: RwSignal<ServiceForm>,
    get: Getter,
    set: Setter,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    match choices {
        Ok(names) if !names.is_empty() => {
            let id = format!("field-{key}");
            view! {
                <div class="field" class:has-error=move || error.get().is_some()>
                    <label for=id.clone()>{label}</label>
                    <select id=id name=format!("fields[{key}]")
                        on:change=move |ev| form.update(|f| set(f, event_target_value(&ev)))>
                        {names.into_iter().map(|name| {
                            let selected = form.with_untracked(|f| get(f) == name);
                            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </div>
            }
            .into_any()
        }
        listed => {
            let hint = match listed {
                Err(reason) => reason,
                Ok(_) => "None exists yet.".to_string(),
            };
            view! {
                <FormText label key form get set error/>
                <p class="hint">{hint}</p>
            }
            .into_any()
        }
    }
}

/// Checkboxes (`fields[<prefix><id>]` = `on`) for listed ids, and a text field for others.
#[component]
fn IdPicker(
    legend: &'static str,
    /// `subnets` or `securityGroups`: the text field and the errors.
    key: &'static str,
    checkbox_prefix: &'static str,
    /// (id, label) of what could be listed, or why nothing could.
    listed: Result<Vec<(String, String)>, String>,
    form: RwSignal<ServiceForm>,
    ids: fn(&ServiceForm) -> &Vec<String>,
    ids_mut: fn(&mut ServiceForm) -> &mut Vec<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let (choices, problem) = match listed {
        Ok(choices) => (choices, None),
        Err(reason) => (Vec::new(), Some(reason)),
    };
    let known: Vec<String> = choices.iter().map(|(id, _)| id.clone()).collect();
    let known_for_text = known.clone();
    let others = move || {
        form.with(|f| {
            ids(f)
                .iter()
                .filter(|id| !known_for_text.contains(id))
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let initial_others = others.clone()();
    let text_id = format!("field-{key}");
    view! {
        <fieldset class="field id-picker" class:has-error=move || error.get().is_some() data-testid=format!("{key}-picker")>
            <legend>{legend}</legend>
            {problem.map(|p| view! { <p class="hint">{p}</p> })}
            {choices.into_iter().map(|(id, label)| {
                let checked = form.with_untracked(|f| ids(f).contains(&id));
                let id_for_change = id.clone();
                let id_for_prop = id.clone();
                view! {
                    <label class="checkbox">
                        <input type="checkbox" name=format!("fields[{checkbox_prefix}{id}]") value="on"
                            checked=checked
                            prop:checked=move || form.with(|f| ids(f).contains(&id_for_prop))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let id = id_for_change.clone();
                                form.update(|f| {
                                    let list = ids_mut(f);
                                    list.retain(|x| *x != id);
                                    if on {
                                        list.push(id);
                                    }
                                });
                            }/>
                        " "<span class="mono">{label}</span>
                    </label>
                }
            }).collect_view()}
            <label for=text_id.clone()>"Other ids (comma-separated)"</label>
            <input id=text_id type="text" name=format!("fields[{key}]") autocomplete="off"
                value=initial_others prop:value=others
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    let known = known.clone();
                    form.update(|f| {
                        let list = ids_mut(f);
                        list.retain(|id| known.contains(id));
                        for id in typed.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()) {
                            if !list.iter().any(|x| x == id) {
                                list.push(id.to_string());
                            }
                        }
                    });
                }/>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </fieldset>
    }
}

#[component]
fn SubnetPicker(
    subnets: Result<Vec<SubnetChoice>, String>,
    form: RwSignal<ServiceForm>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let listed = subnets.map(|list| list.iter().map(|s| (s.id.clone(), s.label())).collect());
    view! {
        <IdPicker legend="Subnets (VPC · AZ · CIDR)" key="subnets" checkbox_prefix=SUBNET_CHECKBOX
            listed form ids=|f| &f.subnets ids_mut=|f| &mut f.subnets error/>
    }
}

#[component]
fn GroupPicker(
    groups: Result<Vec<SecurityGroupChoice>, String>,
    form: RwSignal<ServiceForm>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let listed = groups.map(|list| list.iter().map(|g| (g.id.clone(), g.label())).collect());
    view! {
        <IdPicker legend="Security groups" key="securityGroups" checkbox_prefix=GROUP_CHECKBOX
            listed form ids=|f| &f.security_groups ids_mut=|f| &mut f.security_groups error/>
    }
}
