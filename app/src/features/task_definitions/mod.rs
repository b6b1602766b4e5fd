//! Task definitions: families, revisions, a revision's detail, registering from pasted JSON
//! (checked live by the same validator the server runs), comparing two revisions, and
//! deregistering.

pub mod form;

#[cfg(feature = "ssr")]
use crate::backend;
use crate::{
    components::{
        action_error, field_error, loaded, loaded_list, paths::revision_path, ChangeTable,
        ErrorAlert, FieldErrorText, FormAlert, IfAllowed,
    },
    domain::{
        history::display_time,
        task_definitions::{
            cli_command, import_task_definition, FieldChange, RegisteredTaskDefinition,
            RevisionSummary, TaskDefinitionRevision, TaskDefinitionSpec,
        },
    },
    domain::{permissions::Operation, url::encode_query_value},
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/api", endpoint = "list_task_definition_families")]
pub async fn list_task_definition_families() -> Result<Vec<String>, AppError> {
    let (state, caller) = backend::context(Operation::ViewTaskDefinitions).await?;
    backend::ops::task_definitions::list_families(&state, &caller).await
}

#[server(prefix = "/api", endpoint = "list_task_definition_revisions")]
pub async fn list_task_definition_revisions(
    family: String,
) -> Result<Vec<RevisionSummary>, AppError> {
    let (state, caller) = backend::context(Operation::ViewTaskDefinitions).await?;
    backend::ops::task_definitions::list_revisions(&state, &caller, &family).await
}

#[server(prefix = "/api", endpoint = "describe_task_definition")]
pub async fn describe_task_definition(
    family: String,
    revision: i32,
) -> Result<TaskDefinitionRevision, AppError> {
    let (state, caller) = backend::context(Operation::ViewTaskDefinitions).await?;
    backend::ops::task_definitions::describe(&state, &caller, &family, revision).await
}

#[server(prefix = "/api", endpoint = "compare_task_definitions")]
pub async fn compare_task_definitions(
    family: String,
    a: i32,
    b: i32,
) -> Result<Vec<FieldChange>, AppError> {
    let (state, caller) = backend::context(Operation::ViewTaskDefinitions).await?;
    backend::ops::task_definitions::compare(&state, &caller, &family, a, b).await
}

/// Registers the pasted JSON and opens the new revision.
#[server(prefix = "/api", endpoint = "register_task_definition_json")]
pub async fn register_task_definition_json(
    json: String,
    #[server(default)] create_log_groups: String,
) -> Result<RegisteredTaskDefinition, AppError> {
    use backend::ops::task_definitions::{parse_json, register};
    let (state, caller) = backend::context(Operation::RegisterTaskDefinition).await?;
    let spec = parse_json(&json)?;
    let registered = register(&state, &caller, spec, create_log_groups == "on").await?;
    leptos_axum::redirect(&revision_path(&registered.family, registered.revision));
    Ok(registered)
}

/// Deregisters a revision; `confirm` must be `yes` (the checkbox on the page).
#[server(prefix = "/api", endpoint = "deregister_task_definition")]
pub async fn deregister_task_definition(
    family: String,
    revision: i32,
    #[server(default)] confirm: String,
) -> Result<RevisionSummary, AppError> {
    let (state, caller) = backend::context(Operation::DeregisterTaskDefinition).await?;
    if confirm != "yes" {
        let message = "Tick the box to confirm the deregistration.";
        return Err(AppError::field("confirm", message));
    }
    backend::ops::task_definitions::deregister(&state, &caller, &family, revision).await
}

/// What the live check of pasted JSON found.
struct JsonCheck {
    problems: Vec<String>,
    notes: Vec<String>,
    cli: Option<String>,
}

fn check_json(json: &str) -> Option<JsonCheck> {
    if json.trim().is_empty() {
        return None;
    }
    Some(match import_task_definition(json) {
        Err(message) => JsonCheck {
            problems: vec![message],
            notes: vec![],
            cli: None,
        },
        Ok(mut imported) => {
            // Unknown keys are problems here (registering refuses them), not notes.
            let mut problems: Vec<String> = std::mem::take(&mut imported.unknown)
                .into_iter()
                .map(|path| format!("{path}: the portal does not know this key."))
                .collect();
            problems.extend(
                imported
                    .spec
                    .validate()
                    .into_iter()
                    .map(|e| format!("{}: {}", e.field, e.message)),
            );
            JsonCheck {
                problems,
                notes: imported.notes(),
                cli: Some(cli_command(&imported.spec)),
            }
        }
    })
}

#[component]
pub fn TaskDefinitionsPage() -> impl IntoView {
    let families = Resource::new(|| (), |_| list_task_definition_families());
    view! {
        <Title text="Task definitions"/>
        <h1>"Task definitions"</h1>
        <IfAllowed operation=Operation::RegisterTaskDefinition>
            <p><a class="button primary" href="/task-definitions/new">"New task definition"</a></p>
        </IfAllowed>
        <div class="columns">
            <section class="panel" aria-labelledby="families-title">
                <h2 id="families-title">"Families"</h2>
                <Transition fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        loaded_list(families.await, "No task definitions yet.", |list| view! {
                                <ul class="plain-list" data-testid="families">
                                    {list.into_iter().map(|f| view! {
                                        <li><a class="mono" href=format!("/task-definitions/{f}")>{f.clone()}</a></li>
                                    }).collect_view()}
                                </ul>
                            })
                    })}
                </Transition>
            </section>
            <IfAllowed operation=Operation::RegisterTaskDefinition>
                <RegisterFromJson/>
            </IfAllowed>
        </div>
    }
}

/// Paste JSON in the AWS shape; see problems and the CLI equivalent while typing.
#[component]
fn RegisterFromJson() -> impl IntoView {
    let action = ServerAction::<RegisterTaskDefinitionJson>::new();
    let query = use_query_map();
    // "New revision from this": start from an existing revision's JSON.
    let from = move || query.read().get("from");
    let source = Resource::new(from, |from| async move {
        let Some((family, revision)) = from.as_deref().and_then(|f| f.rsplit_once(':')) else {
            return Ok(None);
        };
        let revision = revision.parse().unwrap_or_default();
        describe_task_definition(family.to_string(), revision)
            .await
            .map(Some)
    });
    let json = RwSignal::new(String::new());
    let check =
        Memo::new(move |_| json.with(|j| check_json(j).map(|c| (c.problems, c.notes, c.cli))));
    let error = action_error(action.value());
    view! {
        <section class="panel" aria-labelledby="register-title">
            <h2 id="register-title">"Register from JSON"</h2>
            <p class="hint">
                "Paste what " <code>"aws ecs register-task-definition --cli-input-json"</code>
                " takes, or what " <code>"describe-task-definition"</code> " returns."
            </p>
            <ActionForm action=action>
                <div class="field">
                    <label for="task-definition-json">"Task definition JSON"</label>
                    <Suspense>
                        {move || Suspend::new(async move {
                            let prefill = source.await.ok().flatten().map(|r| {
                                serde_json::to_string_pretty(&r.spec).unwrap_or_default()
                            });
                            if let Some(text) = &prefill {
                                json.set(text.clone());
                            }
                            view! {
                                <textarea
                                    id="task-definition-json"
                                    name="json"
                                    rows="18"
                                    spellcheck="false"
                                    class="mono"
                                    prop:value=move || json.get()
                                    on:input=move |ev| json.set(event_target_value(&ev))
                                >{prefill.unwrap_or_default()}</textarea>
                            }
                        })}
                    </Suspense>
                </div>
                {move || check.get().map(|(problems, notes, cli)| view! {
                    <div data-testid="json-check">
                        {if problems.is_empty() {
                            view! { <p class="alert alert-success">"Valid: ready to register."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="alert alert-error" role="alert">
                                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {notes.into_iter().map(|n| view! { <p class="hint">{n}</p> }).collect_view()}
                        {cli.map(|c| view! {
                            <details>
                                <summary>"Equivalent AWS CLI command"</summary>
                                <pre class="mono cli" data-testid="cli-command">{c}</pre>
                            </details>
                        })}
                    </div>
                })}
                <p>
                    <label class="check">
                        <input type="checkbox" name="create_log_groups" value="on" checked=true/>
                        " Create the CloudWatch Logs groups it writes to (awslogs-group)"
                    </label>
                </p>
                <button type="submit" class="primary">"Register task definition"</button>
                " "
                // Without JavaScript this is a GET of the form page with the JSON; with it,
                // the same address, opened by the router.
                <button type="submit" formmethod="get" formaction="/task-definitions/new"
                    on:click=move |ev| {
                        ev.prevent_default();
                        let address = format!("/task-definitions/new?json={}", encode_query_value(&json.get_untracked()));
                        leptos_router::hooks::use_navigate()(&address, Default::default());
                    }>
                    "Open in the form"
                </button>
            </ActionForm>
            {move || error.get().map(|e| {
                let fields = e.field_errors().to_vec();
                view! {
                    <div class="alert alert-error" role="alert" data-testid="register-error">
                        <p>{e.to_string()}</p>
                        {(fields.len() > 1).then(|| view! {
                            <ul>{fields.into_iter().map(|f| view! { <li>{format!("{}: {}", f.field, f.message)}</li> }).collect_view()}</ul>
                        })}
                    </div>
                }
            })}
        </section>
    }
}

#[component]
pub fn FamilyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let family = move || params.read().get("family").unwrap_or_default();
    let revisions = Resource::new(family, list_task_definition_revisions);
    let pair = move || {
        let q = query.read();
        let a = q.get("a").and_then(|a| a.parse::<i32>().ok());
        let b = q.get("b").and_then(|b| b.parse::<i32>().ok());
        a.zip(b).map(|(a, b)| (family(), a, b))
    };
    let changes = Resource::new(pair, |pair| async move {
        match pair {
            Some((family, a, b)) => compare_task_definitions(family, a, b).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Title text=move || format!("Task definition {}", family())/>
        <p><a href="/task-definitions">"Task definitions"</a>" /"</p>
        <h1 class="mono">{family}</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let list = match revisions.await {
                    Ok(list) => list,
                    Err(err) => return view! { <ErrorAlert message=err.to_string()/> }.into_any(),
                };
                let (a, b) = pair().map(|(_, a, b)| (a, b)).unwrap_or_else(|| {
                    let newest = list.first().map(|r| r.revision).unwrap_or(1);
                    (list.get(1).map(|r| r.revision).unwrap_or(newest), newest)
                });
                view! {
                    <div class="columns">
                        <section class="panel" aria-labelledby="revisions-title">
                            <h2 id="revisions-title">"Revisions"</h2>
                            <table class="table" data-testid="revisions">
                                <thead><tr><th scope="col">"Revision"</th><th scope="col">"Status"</th><th scope="col">"Registered (UTC)"</th><th scope="col">"By"</th></tr></thead>
                                <tbody>
                                    {list.iter().map(|r| view! {
                                        <tr>
                                            <td><a href=revision_path(&family(), r.revision)>{format!("{}:{}", family(), r.revision)}</a></td>
                                            <td>{r.status.clone()}</td>
                                            <td>{r.registered_at.as_deref().map(display_time)}</td>
                                            <td class="mono">{r.registered_by.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                        <section class="panel" aria-labelledby="compare-title">
                            <h2 id="compare-title">"Compare two revisions"</h2>
                            <form method="get">
                                <label for="compare-a">"From"</label>
                                <select id="compare-a" name="a">
                                    {list.iter().map(|r| view! { <option value=r.revision.to_string() selected=r.revision == a>{r.revision}</option> }).collect_view()}
                                </select>
                                <label for="compare-b">"To"</label>
                                <select id="compare-b" name="b">
                                    {list.iter().map(|r| view! { <option value=r.revision.to_string() selected=r.revision == b>{r.revision}</option> }).collect_view()}
                                </select>
                                <button type="submit">"Compare"</button>
                            </form>
                        </section>
                    </div>
                }.into_any()
            })}
        </Transition>
        <Transition>
            {move || Suspend::new(async move {
                loaded(changes.await, |changes| match changes {
                    Some(changes) => view! { <ChangeTable changes/> }.into_any(),
                    None => ().into_any(),
                })
            })}
        </Transition>
    }
}

#[component]
pub fn RevisionPage() -> impl IntoView {
    let params = use_params_map();
    let family = move || params.read().get("family").unwrap_or_default();
    let revision = move || {
        params
            .read()
            .get("revision")
            .and_then(|r| r.parse::<i32>().ok())
            .unwrap_or_default()
    };
    let deregister = ServerAction::<DeregisterTaskDefinition>::new();
    let detail = Resource::new(
        move || (family(), revision(), deregister.version().get()),
        |(family, revision, _)| describe_task_definition(family, revision),
    );
    view! {
        <Title text=move || format!("{}:{}", family(), revision())/>
        <p><a href="/task-definitions">"Task definitions"</a>" / "<a href=move || format!("/task-definitions/{}", family())>{family}</a>" /"</p>
        <h1 class="mono">{move || format!("{}:{}", family(), revision())}</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(detail.await, |td| view! { <RevisionDetail td deregister/> })
            })}
        </Transition>
    }
}

#[component]
fn RevisionDetail(
    td: TaskDefinitionRevision,
    deregister: ServerAction<DeregisterTaskDefinition>,
) -> impl IntoView {
    let raw = serde_json::to_string_pretty(&td.spec).unwrap_or_default();
    let cli = cli_command(&td.spec);
    let active = td.status == "ACTIVE";
    let (family, revision, status) = (td.family.clone(), td.revision, td.status.clone());
    let family_for_deregister = family.clone();
    let spec: TaskDefinitionSpec = td.spec.clone();
    let fact = |label: &'static str, value: Option<String>| {
        view! {
            <tr><th scope="row">{label}</th><td class="mono">{value.unwrap_or_else(|| "—".to_string())}</td></tr>
        }
    };
    view! {
        <div class="columns">
            <section class="panel" aria-labelledby="summary-title">
                <h2 id="summary-title">"Summary"</h2>
                <table class="table facts" data-testid="revision-facts">
                    <tbody>
                        {fact("Status", Some(td.status.clone()))}
                        {fact("Registered", td.registered_at.as_deref().map(display_time))}
                        {fact("Registered by", td.registered_by.clone())}
                        {fact("CPU", spec.cpu.clone())}
                        {fact("Memory", spec.memory.clone())}
                        {fact("Network mode", spec.network_mode.clone())}
                        {fact("Task role", spec.task_role_arn.clone())}
                        {fact("Execution role", spec.execution_role_arn.clone())}
                    </tbody>
                </table>
                <h3>"Containers"</h3>
                <table class="table" data-testid="containers">
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Image"</th><th scope="col">"Ports"</th><th scope="col">"Environment"</th></tr></thead>
                    <tbody>
                        {spec.container_definitions.iter().map(|c| {
                            let ports = c.port_mappings.iter().map(|p| format!("{}/{}", p.container_port, p.protocol.as_deref().unwrap_or("tcp"))).collect::<Vec<_>>().join(", ");
                            let env = c.environment.iter().map(|e| format!("{}={}", e.name, e.value)).collect::<Vec<_>>().join(", ");
                            view! {
                                <tr>
                                    <td class="mono">{c.name.clone()}</td>
                                    <td class="mono">{c.image.clone()}</td>
                                    <td class="mono">{ports}</td>
                                    <td class="mono">{env}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <IfAllowed operation=Operation::RegisterTaskDefinition>
                    <p>
                    <a href=format!("/task-definitions/new?from={}:{}", family, revision)>"New revision from this"</a>
                    " · "
                    <a href=format!("/task-definitions?from={}:{}", family, revision)>"Edit as JSON"</a>
                </p>
                </IfAllowed>
            </section>
            <IfAllowed operation=Operation::DeregisterTaskDefinition>
                <DeregisterPanel family=family_for_deregister.clone() revision status=status.clone() active deregister/>
            </IfAllowed>
        </div>
        <section class="panel" aria-labelledby="json-title">
            <h2 id="json-title">"JSON"</h2>
            <pre class="mono json" data-testid="raw-json">{raw}</pre>
            <details><summary>"Equivalent AWS CLI command"</summary><pre class="mono cli">{cli}</pre></details>
        </section>
    }
}

#[component]
fn DeregisterPanel(
    family: String,
    revision: i32,
    status: String,
    active: bool,
    deregister: ServerAction<DeregisterTaskDefinition>,
) -> impl IntoView {
    let confirm_error = field_error(deregister.value(), "confirm");
    view! {
        <section class="panel" aria-labelledby="actions-title">
                <h2 id="actions-title">"Deregister"</h2>
                {if active {
                    view! {
                        <ActionForm action=deregister>
                            <input type="hidden" name="family" value=family.clone()/>
                            <input type="hidden" name="revision" value=revision.to_string()/>
                            <p>"Services keep running tasks of a deregistered revision, but it can no longer be used for new ones."</p>
                            <label><input type="checkbox" name="confirm" value="yes"/>" Yes, deregister revision " {revision}</label>
                            <FieldErrorText message=confirm_error/>
                            <p><button type="submit" class="danger">"Deregister"</button></p>
                        </ActionForm>
                        <FormAlert error=action_error(deregister.value())/>
                    }.into_any()
                } else {
                    view! { <p>"This revision is deregistered (" {status.clone()} ")."</p> }.into_any()
                }}
            </section>
    }
}
