//! The create-service form: cluster, name, task definition family and revision pickers,
//! desired count, platform version, subnet and security group pickers (from EC2, showing
//! VPC, AZ and CIDR), public IP, circuit breaker (with rollback by default), deployment
//! percents, grace period and tags, with a live JSON preview and the `aws ecs create-service`
//! command. Field errors come from the same validator the server runs.
//!
//! Without JavaScript the form posts as it is; a rejected submission comes back with
//! everything typed in the address, and "Show revisions" reopens it for another family.

#[cfg(feature = "ssr")]
use crate::{
    backend,
    components::{
        paths::service_path,
        round_trip::{finish_form_post, form_address},
    },
    domain::permissions::Operation,
};
use crate::{
    components::{loaded, round_trip::fields_from_query, FormAlert, ModelField},
    domain::forms::ServiceFormStart,
    domain::services::{
        create_service_cli, form_field_for, DeploymentStarted, SecurityGroupChoice, ServiceForm,
        SubnetChoice, BREAKER_OFF, BREAKER_ON, BREAKER_ROLLBACK, GROUP_CHECKBOX, SUBNET_CHECKBOX,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeMap;

/// The form to start from (empty with the given cluster, or what a no-JavaScript round trip
/// carried in the address) and the choices to offer.
#[server(prefix = "/api", endpoint = "service_form")]
pub async fn load_service_form(
    #[server(default)] fields: BTreeMap<String, String>,
    #[server(default)] cluster: String,
) -> Result<ServiceFormStart, AppError> {
    let (state, caller) = backend::context(Operation::ViewClusters).await?;
    backend::ops::services::form_start(&state, &caller, &fields, cluster).await
}

/// The active revisions of a family, newest first, when the form's family changes (with
/// JavaScript).
#[server(prefix = "/api", endpoint = "service_form_revisions")]
pub async fn service_form_revisions(family: String) -> Result<Vec<i32>, AppError> {
    let (state, caller) = backend::context(Operation::ViewTaskDefinitions).await?;
    backend::ops::task_definitions::active_revisions(&state, &caller, &family).await
}

/// Creates the service the form describes and opens its page. A refused plain post goes
/// back to the form with what was typed.
#[server(prefix = "/api", endpoint = "create_service_form")]
pub async fn create_service_form(
    fields: BTreeMap<String, String>,
) -> Result<DeploymentStarted, AppError> {
    let started = async {
        let (state, caller) = backend::context(Operation::CreateService).await?;
        backend::ops::services::create_from_form(&state, &caller, &fields).await
    };
    finish_form_post(
        started.await,
        |started| service_path(&started.cluster, &started.service),
        |err| {
            let typed = ServiceForm::from_fields(&fields).to_fields();
            form_address("/services/new", typed, Some(&err.to_string()))
        },
    )
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
                loaded(start.await, |start| view! { <ServiceFormView start error=address_error()/> })
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
                let list = service_form_revisions(family_for_fetch)
                    .await
                    .unwrap_or_default();
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
    view! {
        <ModelField label key error hint input_type multiline
            value=Signal::derive(move || form.with(get))
            on_input=Callback::new(move |v: String| form.update(|f| set(f, v)))/>
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
