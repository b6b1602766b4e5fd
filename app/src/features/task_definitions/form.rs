//! The task definition form: Fargate CPU and memory as selects (memory follows CPU),
//! 1-10 containers added and removed in place, field errors next to each field from the
//! same validator the server runs, and a live preview of the request and the CLI command.
//!
//! Without JavaScript the form still works: "Add container" and "Remove" re-open the page
//! with everything typed so far in the address (a GET of the same form), and a rejected
//! submission comes back the same way, so nothing typed is lost.

#[cfg(feature = "ssr")]
use crate::{
    backend,
    components::{
        paths::revision_path,
        round_trip::{finish_form_post, form_address},
    },
    domain::permissions::Operation,
};
use crate::{
    components::{loaded, round_trip::fields_from_query, ErrorAlert, FieldErrorText, ModelField},
    domain::forms::TaskDefinitionFormStart,
    domain::task_definitions::{
        cli_command, fargate_memory_options, RegisteredTaskDefinition, TaskDefinitionForm,
        FARGATE_CPU_OPTIONS, MAX_CONTAINERS,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::{BTreeMap, BTreeSet};

/// The form to start from (empty, a copy of a revision, or what a no-JavaScript round trip
/// carried in the address), the region, and the roles and images to offer.
#[server(prefix = "/api", endpoint = "task_definition_form")]
pub async fn load_task_definition_form(
    #[server(default)] from: String,
    #[server(default)] fields: BTreeMap<String, String>,
    #[server(default)] json: String,
) -> Result<TaskDefinitionFormStart, AppError> {
    let (state, caller) = backend::context(Operation::ViewTaskDefinitions).await?;
    backend::ops::task_definitions::form_start(&state, &caller, &from, &fields, &json).await
}

/// Registers what the form describes and opens the new revision. A refused plain post goes
/// back to the form with what was typed.
#[server(prefix = "/api", endpoint = "register_task_definition_form")]
pub async fn register_task_definition_form(
    fields: BTreeMap<String, String>,
) -> Result<RegisteredTaskDefinition, AppError> {
    let registered = async {
        let (state, caller) = backend::context(Operation::RegisterTaskDefinition).await?;
        backend::ops::task_definitions::register_form(&state, &caller, &fields).await
    };
    finish_form_post(
        registered.await,
        |registered| revision_path(&registered.family, registered.revision),
        |err| {
            let typed = TaskDefinitionForm::from_fields(&fields).to_fields();
            form_address("/task-definitions/new", typed, Some(&err.to_string()))
        },
    )
}

fn apply_container_buttons(form: &mut TaskDefinitionForm, add: bool, remove: Option<usize>) {
    if add && form.containers.len() < MAX_CONTAINERS {
        form.containers.push(Default::default());
    }
    if let Some(i) = remove {
        if form.containers.len() > 1 && i < form.containers.len() {
            form.containers.remove(i);
        }
    }
}

#[component]
pub fn NewTaskDefinitionPage() -> impl IntoView {
    let query = use_query_map();
    let start = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("from").unwrap_or_default(),
                fields_from_query(&q),
                q.get("json").unwrap_or_default(),
                q.get("add_container").is_some(),
                q.get("remove_container")
                    .and_then(|i| i.parse::<usize>().ok()),
            )
        },
        |(from, fields, json, add, remove)| async move {
            load_task_definition_form(from, fields, json)
                .await
                .map(|mut start| {
                    apply_container_buttons(&mut start.form, add, remove);
                    start
                })
        },
    );
    let address_error = move || query.read().get("error");
    view! {
        <Title text="New task definition"/>
        <p><a href="/task-definitions">"Task definitions"</a>" /"</p>
        <h1>"New task definition"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(start.await, |start| {
                    let submitted = address_error().is_some();
                    view! { <TaskDefinitionFormView start submitted error=address_error()/> }
                })
            })}
        </Suspense>
    }
}

#[component]
fn TaskDefinitionFormView(
    start: TaskDefinitionFormStart,
    /// True when the page shows a rejected submission: every error is shown at once.
    submitted: bool,
    error: Option<String>,
) -> impl IntoView {
    let action = ServerAction::<RegisterTaskDefinitionForm>::new();
    let TaskDefinitionFormStart {
        form: initial,
        region,
        create_log_group,
        roles,
        images,
        notes,
    } = start;
    let form = RwSignal::new(initial);
    let touched = RwSignal::new(BTreeSet::<String>::new());
    let show_all = RwSignal::new(submitted);
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Err(_)))) {
            show_all.set(true);
        }
    });
    let region_for_check = region.clone();
    let problems = Memo::new(move |_| form.with(|f| f.validate(&region_for_check)));
    let error_for = move |field: String| {
        Signal::derive(move || {
            let visible = show_all.get() || touched.with(|t| t.contains(&field));
            visible
                .then(|| {
                    problems.with(|p| {
                        p.iter()
                            .filter(|e| e.field == field)
                            .map(|e| e.message.clone())
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                })
                .filter(|m| !m.is_empty())
        })
    };
    let server_error = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
            .or(error.clone())
    });
    let preview = Memo::new(move |_| {
        form.with(|f| {
            let (spec, _) = f.to_spec(&region);
            (
                serde_json::to_string_pretty(&spec).unwrap_or_default(),
                cli_command(&spec),
            )
        })
    });
    let count = Memo::new(move |_| form.with(|f| f.containers.len()));

    view! {
        {(!notes.is_empty()).then(|| view! {
            <div class="alert alert-warning" role="status" data-testid="import-notes">
                <p>"Imported from JSON. Review before registering:"</p>
                <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            </div>
        })}
        <ActionForm action=action attr:novalidate=true attr:class="task-definition-form">
            {move || server_error.get().map(|m| view! { <ErrorAlert message=m testid="form-error"/> })}
            {move || error_for("form".to_string()).get().map(|m| view! { <ErrorAlert message=m/> })}
            <div class="columns">
                <section class="panel" aria-labelledby="task-title">
                    <h2 id="task-title">"Task"</h2>
                    <FormText label="Family" field="family" form touched error=error_for("family".into())
                        get=|f| f.family.clone() set=|f, v| f.family = v hint="1-255 letters, digits, hyphens and underscores."/>
                    <FormText label="Task role ARN" field="task_role_arn" form touched error=error_for("task_role_arn".into())
                        get=|f| f.task_role_arn.clone() set=|f, v| f.task_role_arn = v list="task-roles" hint="The role your code runs as: pick one that trusts ecs-tasks.amazonaws.com, or type an ARN."/>
                    <FormText label="Execution role ARN" field="execution_role_arn" form touched error=error_for("execution_role_arn".into())
                        get=|f| f.execution_role_arn.clone() set=|f, v| f.execution_role_arn = v list="task-roles" hint="The role ECS uses to pull images and write logs."/>
                    <datalist id="task-roles" data-testid="task-roles">
                        {roles.as_ref().ok().map(|roles| roles.iter().map(|r| view! { <option value=r.arn.clone()>{r.name.clone()}</option> }).collect_view())}
                    </datalist>
                    {roles.as_ref().err().map(|m| view! { <p class="hint">"Roles cannot be listed: " {m.clone()}</p> })}
                    <div class="field-row">
                        <div class="field">
                            <label for="field-cpu">"CPU"</label>
                            <select id="field-cpu" name="fields[cpu]"
                                on:change=move |ev| {
                                    let cpu = event_target_value(&ev);
                                    form.update(|f| {
                                        // Keep the memory when it still fits, else take the smallest that does.
                                        let options = cpu.parse().map(fargate_memory_options).unwrap_or_default();
                                        if !f.memory.parse().is_ok_and(|m: u32| options.contains(&m)) {
                                            if let Some(first) = options.first() {
                                                f.memory = first.to_string();
                                            }
                                        }
                                        f.cpu = cpu;
                                    });
                                }>
                                {FARGATE_CPU_OPTIONS.iter().map(|c| {
                                    let value = c.to_string();
                                    let label = format!("{c} ({} vCPU)", *c as f64 / 1024.0);
                                    let selected = form.with_untracked(|f| f.cpu == value);
                                    view! { <option value=value.clone() selected=selected prop:selected=move || form.with(|f| f.cpu == value)>{label}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="field-memory">"Memory"</label>
                            <select id="field-memory" name="fields[memory]" aria-invalid=move || error_for("memory".into()).get().is_some().then_some("true")
                                on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.memory = v); touched.update(|t| { t.insert("memory".into()); }); }>
                                {move || {
                                    let (cpu, memory) = form.with(|f| (f.cpu.clone(), f.memory.clone()));
                                    let mut options: Vec<String> = cpu.parse().map(fargate_memory_options).unwrap_or_default().into_iter().map(|m| m.to_string()).collect();
                                    // A value that does not fit is kept (and flagged), never silently changed.
                                    if !memory.is_empty() && !options.contains(&memory) {
                                        options.insert(0, memory.clone());
                                    }
                                    options.into_iter().map(|m| {
                                        let selected = m == memory;
                                        view! { <option value=m.clone() selected=selected>{format!("{m} MiB")}</option> }
                                    }).collect_view()
                                }}
                            </select>
                            <FieldErrorText message=error_for("memory".into())/>
                        </div>
                    </div>
                    <div class="field-row">
                        <FormText label="Ephemeral storage (GiB)" field="ephemeral_storage_gib" form touched error=error_for("ephemeral_storage_gib".into())
                            get=|f| f.ephemeral_storage_gib.clone() set=|f, v| f.ephemeral_storage_gib = v hint="21-200; empty for the default 20."/>
                        <div class="field">
                            <label for="field-cpu_architecture">"CPU architecture"</label>
                            <select id="field-cpu_architecture" name="fields[cpu_architecture]"
                                on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.cpu_architecture = v); }>
                                {["X86_64", "ARM64"].into_iter().map(|a| {
                                    let selected = form.with_untracked(|f| f.cpu_architecture == a);
                                    view! { <option value=a selected=selected>{a}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <p>
                        <label class="check">
                            <input type="checkbox" name="fields[create_log_group]" value="on" checked=create_log_group/>
                            " Create the CloudWatch Logs group (/ecs/<family>) if it does not exist"
                        </label>
                    </p>
                    <p class="hint">"Network mode awsvpc, launch type FARGATE, Linux: fixed for Fargate."</p>
                </section>
                <section class="panel" aria-labelledby="preview-title">
                    <h2 id="preview-title">"Request preview"</h2>
                    <pre class="mono json" data-testid="form-preview">{move || preview.get().0}</pre>
                    <details><summary>"Equivalent AWS CLI command"</summary><pre class="mono cli">{move || preview.get().1}</pre></details>
                </section>
            </div>
            <datalist id="images" data-testid="images">
                {images.as_ref().ok().map(|images| images.iter().flat_map(|image| {
                    let when = image.pushed_at.clone().unwrap_or_default();
                    let digest_label = format!("{} (pinned digest, pushed {when})", image.tag.clone().unwrap_or_else(|| "untagged".into()));
                    let tag_option = image.by_tag().map(|reference| {
                        let label = format!("pushed {when}");
                        view! { <option value=reference>{label}</option> }
                    });
                    [tag_option, Some(view! { <option value=image.by_digest()>{digest_label}</option> })]
                }).flatten().collect_view())}
            </datalist>
            {images.as_ref().err().map(|m| view! { <p class="hint">"ECR images cannot be listed: " {m.clone()}</p> })}
            {move || (0..count.get()).map(|i| view! { <ContainerFields i form touched error_for count/> }).collect_view()}
            <p class="actions">
                <button type="submit" formmethod="get" formaction="/task-definitions/new" name="add_container" value="1"
                    disabled=move || { count.get() >= MAX_CONTAINERS }
                    on:click=move |ev| { ev.prevent_default(); form.update(|f| apply_container_buttons(f, true, None)); }>
                    "Add container"
                </button>
                " "
                <button type="submit" class="primary" on:click=move |_| show_all.set(true)>"Register task definition"</button>
            </p>
        </ActionForm>
    }
}

type FieldGetter = fn(&TaskDefinitionForm) -> String;
type FieldSetter = fn(&mut TaskDefinitionForm, String);

/// A text input bound to one field of the form, named `fields[<field>]`.
#[component]
fn FormText(
    label: &'static str,
    field: &'static str,
    form: RwSignal<TaskDefinitionForm>,
    touched: RwSignal<BTreeSet<String>>,
    error: Signal<Option<String>>,
    get: FieldGetter,
    set: FieldSetter,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] list: &'static str,
) -> impl IntoView {
    view! {
        <ModelField label key=field error hint list describe_error=true
            value=Signal::derive(move || form.with(get))
            on_input=Callback::new(move |v: String| {
                form.update(|f| set(f, v));
                touched.update(|t| { t.insert(field.to_string()); });
            })/>
    }
}

#[component]
fn ContainerFields(
    i: usize,
    form: RwSignal<TaskDefinitionForm>,
    touched: RwSignal<BTreeSet<String>>,
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
    count: Memo<usize>,
) -> impl IntoView {
    // One text field of container `i`, by its suffix (`name`, `image`, ...).
    let text = move |label: &'static str,
                     suffix: &'static str,
                     hint: &'static str,
                     multiline: bool| {
        let field = format!("c{i}_{suffix}");
        let get = move |f: &TaskDefinitionForm| {
            f.containers
                .get(i)
                .map(|c| match suffix {
                    "name" => c.name.clone(),
                    "image" => c.image.clone(),
                    "ports" => c.ports.clone(),
                    "environment" => c.environment.clone(),
                    "secrets" => c.secrets.clone(),
                    "command" => c.command.clone(),
                    "entry_point" => c.entry_point.clone(),
                    "cpu" => c.cpu.clone(),
                    "memory" => c.memory.clone(),
                    "memory_reservation" => c.memory_reservation.clone(),
                    "health_check" => c.health_check.clone(),
                    _ => String::new(),
                })
                .unwrap_or_default()
        };
        let touched_field = field.clone();
        let list = if suffix == "image" { "images" } else { "" };
        view! {
            <ModelField label key=field.clone() error=error_for(field.clone()) hint multiline mono=multiline list describe_error=true
                value=Signal::derive(move || form.with(get))
                on_input=Callback::new(move |v: String| {
                    form.update(|f| {
                        if let Some(c) = f.containers.get_mut(i) {
                            match suffix {
                                "name" => c.name = v,
                                "image" => c.image = v,
                                "ports" => c.ports = v,
                                "environment" => c.environment = v,
                                "secrets" => c.secrets = v,
                                "command" => c.command = v,
                                "entry_point" => c.entry_point = v,
                                "cpu" => c.cpu = v,
                                "memory" => c.memory = v,
                                "memory_reservation" => c.memory_reservation = v,
                                "health_check" => c.health_check = v,
                                _ => {}
                            }
                        }
                    });
                    touched.update(|t| { t.insert(touched_field.clone()); });
                })/>
        }
    };
    let checkbox = move |label: &'static str, suffix: &'static str| {
        let id = format!("field-c{i}_{suffix}");
        let checked = move || {
            form.with(|f| {
                f.containers
                    .get(i)
                    .map(|c| {
                        if suffix == "essential" {
                            c.essential
                        } else {
                            c.log_to_cloudwatch
                        }
                    })
                    .unwrap_or(false)
            })
        };
        view! {
            <label class="check" for=id.clone()>
                <input id=id.clone() type="checkbox" name=format!("fields[c{i}_{suffix}]") value="on" checked=checked() prop:checked=checked
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| if let Some(c) = f.containers.get_mut(i) {
                            if suffix == "essential" { c.essential = on } else { c.log_to_cloudwatch = on }
                        });
                    }/>
                " " {label}
            </label>
        }
    };
    let title = move || {
        let name = form.with(|f| {
            f.containers
                .get(i)
                .map(|c| c.name.clone())
                .unwrap_or_default()
        });
        if name.is_empty() {
            format!("Container {}", i + 1)
        } else {
            format!("Container {}: {name}", i + 1)
        }
    };
    view! {
        <section class="panel container-fields" aria-label=title data-testid=format!("container-{i}")>
            <h2>{title}</h2>
            <div class="field-row">
                {text("Container name", "name", "", false)}
                {text("Image", "image", "e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4 or nginx@sha256:…", false)}
            </div>
            <div class="field-row">
                {text("Port mappings", "ports", "e.g. 8000 or 8000/tcp, 53/udp; name one with =, e.g. 8000/tcp=http", false)}
                {text("Command", "command", "Words; \"quotes\" group words.", false)}
                {text("Entry point", "entry_point", "", false)}
            </div>
            <div class="field-row">
                {text("Environment variables", "environment", "One NAME=value per line.", true)}
                {text("Secrets", "secrets", "One NAME=arn:aws:secretsmanager:… per line.", true)}
            </div>
            <div class="field-row">
                {text("Container CPU", "cpu", "CPU units, optional.", false)}
                {text("Container memory", "memory", "MiB hard limit, optional.", false)}
                {text("Memory reservation", "memory_reservation", "MiB soft limit, optional.", false)}
            </div>
            {text("Health check", "health_check", "e.g. CMD-SHELL curl -f http://localhost:8000/health || exit 1", false)}
            <p>
                {checkbox("Essential (the task stops when this container stops)", "essential")}
                " "
                {checkbox("Send logs to CloudWatch Logs (awslogs, group /ecs/<family>)", "log")}
            </p>
            <button type="submit" formmethod="get" formaction="/task-definitions/new" name="remove_container" value=i.to_string()
                disabled=move || { count.get() <= 1 }
                on:click=move |ev| { ev.prevent_default(); form.update(|f| apply_container_buttons(f, false, Some(i))); }>
                "Remove container"
            </button>
        </section>
    }
}
