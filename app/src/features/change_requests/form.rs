//! The new change request form. Kind, role name and reason; a trust policy prefilled for
//! ECS tasks with optional `aws:SourceAccount` / `aws:SourceArn` conditions; an inline
//! policy editor with least-privilege templates; live findings from the same linter the
//! server runs. Without JavaScript, "Apply conditions" and "Generate from template" are
//! round trips through the address, and a refused submission comes back the same way.

use super::FindingsList;
#[cfg(feature = "ssr")]
use crate::{
    backend,
    components::{
        paths::request_path,
        round_trip::{finish_form_post, form_address},
    },
    domain::permissions::Operation,
};
use crate::{
    components::{loaded, round_trip::fields_from_query, ErrorAlert, FieldErrorText, TextField},
    domain::{
        forms::ChangeRequestFormStart,
        iam::{
            change_request::{ChangeRequestKind, CreatedChangeRequest},
            form::ChangeRequestForm,
            lint::LintContext,
            templates::Template,
        },
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeMap;

/// The form: a fresh task role request, overlaid with the fields of the address, then
/// `generate` applied (`trust`: the conditions; `template`: the policy template).
#[server(prefix = "/api", endpoint = "change_request_form")]
pub async fn load_change_request_form(
    #[server(default)] fields: BTreeMap<String, String>,
    #[server(default)] generate: String,
) -> Result<ChangeRequestFormStart, AppError> {
    let (state, caller) = backend::context(Operation::RequestIamChange).await?;
    backend::ops::change_requests::form_start(&state, &caller, &fields, &generate).await
}

/// Stores the request (nothing executes) and opens its page. A refused plain post goes
/// back to the form with what was typed.
#[server(prefix = "/api", endpoint = "submit_change_request")]
pub async fn submit_change_request(
    fields: BTreeMap<String, String>,
) -> Result<CreatedChangeRequest, AppError> {
    let form = ChangeRequestForm::from_fields(&fields);
    let created = async {
        let (state, caller) = backend::context(Operation::RequestIamChange).await?;
        backend::ops::change_requests::create(&state, &caller, form.to_input()).await
    };
    finish_form_post(
        created.await,
        |created| request_path(created.id),
        |err| form_address("/approvals/new", form.to_fields(), Some(&error_text(err))),
    )
}

/// Every field problem in one sentence list, for the address of a refused plain post.
#[cfg(feature = "ssr")]
fn error_text(err: &AppError) -> String {
    let fields = err.field_errors();
    if fields.len() > 1 {
        fields
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        err.to_string()
    }
}

#[component]
pub fn NewChangeRequestPage() -> impl IntoView {
    let query = use_query_map();
    let start = Resource::new(
        move || {
            let q = query.read();
            (fields_from_query(&q), q.get("generate").unwrap_or_default())
        },
        |(fields, generate)| load_change_request_form(fields, generate),
    );
    let address_error = move || query.read().get("error");
    view! {
        <Title text="New change request"/>
        <p><a href="/approvals">"Approvals"</a>" /"</p>
        <h1>"New IAM change request"</h1>
        <p class="hint">"Nothing changes in IAM until an admin other than you approves the request; then exactly what you submit is applied."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(start.await, |start| view! { <ChangeRequestFormView start error=address_error()/> })
            })}
        </Suspense>
    }
}

/// One signal per form field.
#[derive(Clone, Copy)]
struct FormSignals {
    kind: RwSignal<String>,
    role_name: RwSignal<String>,
    reason: RwSignal<String>,
    description: RwSignal<String>,
    trust_policy: RwSignal<String>,
    source_account: RwSignal<String>,
    source_arn: RwSignal<String>,
    policy_name: RwSignal<String>,
    policy_document: RwSignal<String>,
    policy_arn: RwSignal<String>,
    template: RwSignal<String>,
    template_resource: RwSignal<String>,
}

impl FormSignals {
    fn new(form: ChangeRequestForm) -> Self {
        FormSignals {
            kind: RwSignal::new(form.kind),
            role_name: RwSignal::new(form.role_name),
            reason: RwSignal::new(form.reason),
            description: RwSignal::new(form.description),
            trust_policy: RwSignal::new(form.trust_policy),
            source_account: RwSignal::new(form.source_account),
            source_arn: RwSignal::new(form.source_arn),
            policy_name: RwSignal::new(form.policy_name),
            policy_document: RwSignal::new(form.policy_document),
            policy_arn: RwSignal::new(form.policy_arn),
            template: RwSignal::new(form.template),
            template_resource: RwSignal::new(form.template_resource),
        }
    }

    fn get(&self) -> ChangeRequestForm {
        ChangeRequestForm {
            kind: self.kind.get(),
            role_name: self.role_name.get(),
            reason: self.reason.get(),
            description: self.description.get(),
            trust_policy: self.trust_policy.get(),
            source_account: self.source_account.get(),
            source_arn: self.source_arn.get(),
            policy_name: self.policy_name.get(),
            policy_document: self.policy_document.get(),
            policy_arn: self.policy_arn.get(),
            template: self.template.get(),
            template_resource: self.template_resource.get(),
        }
    }
}

#[component]
fn ChangeRequestFormView(start: ChangeRequestFormStart, error: Option<String>) -> impl IntoView {
    let action = ServerAction::<SubmitChangeRequest>::new();
    let ChangeRequestFormStart {
        form: initial,
        region,
        account_id,
        problem,
    } = start;
    let initial_kind = initial.kind.clone();
    let initial_template = initial.template.clone();
    let initial_trust = initial.trust_policy.clone();
    let initial_document = initial.policy_document.clone();
    let s = FormSignals::new(initial);
    let problem = RwSignal::new(problem);
    let context = LintContext {
        account_id: (!account_id.is_empty()).then(|| account_id.clone()),
        other_inline_policy_chars: 0,
    };
    // Live findings on the document the chosen kind sends: the linter the server runs.
    let findings = Memo::new(move |_| {
        let kind = ChangeRequestKind::parse(&s.kind.get());
        kind.filter(|k| k.uses_trust_policy() || k.uses_policy_document())
            .map(|_| s.get().lint(&context))
    });
    let uses = move |test: fn(ChangeRequestKind) -> bool| {
        ChangeRequestKind::parse(&s.kind.get()).is_some_and(test)
    };
    let server_error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field_error = move |field: &'static str| {
        Signal::derive(move || server_error.get().and_then(|e| e.field_message(field)))
    };
    let general_error = Signal::derive(move || {
        server_error
            .get()
            .map(|e| e.to_string())
            .or_else(|| error.clone())
    });
    let generate_template = {
        let (region, account) = (region.clone(), account_id.clone());
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let mut form = s.get();
            match form.apply_template(&region, &account) {
                Ok(()) => {
                    s.policy_document.set(form.policy_document);
                    problem.set(None);
                }
                Err(message) => problem.set(Some(message)),
            }
        }
    };
    let apply_conditions = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let mut form = s.get();
        form.apply_trust_conditions();
        s.trust_policy.set(form.trust_policy);
    };
    let textarea_error =
        move |field: &'static str| view! { <FieldErrorText message=field_error(field)/> };

    view! {
        <ActionForm action=action attr:novalidate=true attr:class="change-request-form">
            <section class="panel" aria-labelledby="what-title">
                <h2 id="what-title">"What and why"</h2>
                <div class="field">
                    <label for="field-kind">"Kind"</label>
                    <select id="field-kind" name="fields[kind]"
                        prop:value=move || s.kind.get()
                        on:change=move |ev| s.kind.set(event_target_value(&ev))>
                        {ChangeRequestKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=k.as_str() == initial_kind>
                                {format!("{} ({})", k.describe(), k.as_str())}
                            </option>
                        }).collect_view()}
                    </select>
                    {textarea_error("kind")}
                </div>
                <TextField label="Role name" name="fields[role_name]" value=s.role_name
                    error=field_error("roleName") placeholder="fastapi-task-role"
                    hint="1-64 letters, digits and + = , . @ _ -"/>
                <div class="field">
                    <label for="field-reason">"Reason"</label>
                    <textarea id="field-reason" name="fields[reason]" rows="2"
                        prop:value=move || s.reason.get()
                        on:input=move |ev| s.reason.set(event_target_value(&ev))>{s.reason.get_untracked()}</textarea>
                    <p class="hint">"The approver reads this: what needs the access, and why."</p>
                    {textarea_error("reason")}
                </div>
            </section>

            <section class="panel" class:inactive=move || !uses(ChangeRequestKind::uses_trust_policy) aria-labelledby="role-title">
                <h2 id="role-title">"Role and trust policy"</h2>
                <p class="hint">"For create-role, create-execution-role (which also attaches AmazonECSTaskExecutionRolePolicy) and update-trust-policy."</p>
                <TextField label="Description" name="fields[description]" value=s.description
                    error=field_error("description") hint="Optional, for the new role."/>
                <div class="columns">
                    <TextField label="aws:SourceAccount" name="fields[source_account]" value=s.source_account
                        placeholder="123456789012" hint="Optional confused-deputy condition."/>
                    <TextField label="aws:SourceArn" name="fields[source_arn]" value=s.source_arn
                        placeholder="arn:aws:ecs:us-east-1:123456789012:*" hint="Optional confused-deputy condition."/>
                </div>
                <p>
                    <button type="submit" formmethod="get" formaction="/approvals/new" name="generate" value="trust"
                        on:click=apply_conditions>"Apply conditions to the trust policy"</button>
                </p>
                <div class="field">
                    <label for="field-trust-policy">"Trust policy"</label>
                    <textarea id="field-trust-policy" name="fields[trust_policy]" rows="12" class="mono" spellcheck="false"
                        prop:value=move || s.trust_policy.get()
                        on:input=move |ev| s.trust_policy.set(event_target_value(&ev))>{initial_trust}</textarea>
                    {textarea_error("assumeRolePolicyDocument")}
                </div>
            </section>

            <section class="panel" class:inactive=move || !(uses(ChangeRequestKind::uses_policy_name)) aria-labelledby="inline-title">
                <h2 id="inline-title">"Inline policy"</h2>
                <p class="hint">"For put-role-policy and delete-role-policy (which needs only the name)."</p>
                <TextField label="Policy name" name="fields[policy_name]" value=s.policy_name
                    error=field_error("policyName") placeholder="allow-dynamodb"/>
                <div class="columns">
                    <div class="field">
                        <label for="field-template">"Template"</label>
                        <select id="field-template" name="fields[template]"
                            prop:value=move || s.template.get()
                            on:change=move |ev| s.template.set(event_target_value(&ev))>
                            {Template::ALL.into_iter().map(|t| view! {
                                <option value=t.id() selected=t.id() == initial_template>{t.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <TextField label="Resource name" name="fields[template_resource]" value=s.template_resource
                        placeholder="books"
                        hint="Table, bucket or queue name, secret name, or parameter path (/books/prod)."/>
                </div>
                <p>
                    <button type="submit" formmethod="get" formaction="/approvals/new" name="generate" value="template"
                        on:click=generate_template>"Generate from template"</button>
                </p>
                {move || problem.get().map(|p| view! { <ErrorAlert message=p/> })}
                <div class="field">
                    <label for="field-policy-document">"Policy document"</label>
                    <textarea id="field-policy-document" name="fields[policy_document]" rows="14" class="mono" spellcheck="false"
                        prop:value=move || s.policy_document.get()
                        on:input=move |ev| s.policy_document.set(event_target_value(&ev))>{initial_document}</textarea>
                    <p class="hint">"Generated JSON is yours to edit."</p>
                    {textarea_error("policyDocument")}
                </div>
            </section>

            <section class="panel" class:inactive=move || !(uses(|k| k == ChangeRequestKind::AttachRolePolicy || k == ChangeRequestKind::DetachRolePolicy)) aria-labelledby="managed-title">
                <h2 id="managed-title">"Managed policy"</h2>
                <p class="hint">"For attach-role-policy and detach-role-policy."</p>
                <TextField label="Managed policy ARN" name="fields[policy_arn]" value=s.policy_arn
                    error=field_error("policyArn") placeholder="arn:aws:iam::aws:policy/ReadOnlyAccess"/>
            </section>

            <section class="panel" aria-labelledby="findings-title">
                <h2 id="findings-title">"Linter findings"</h2>
                {move || match findings.get() {
                    Some(list) => view! { <FindingsList findings=list/> }.into_any(),
                    None => view! { <p class="hint">"This kind carries no policy document."</p> }.into_any(),
                }}
                <p class="hint">"Errors keep a request from being approved; warnings are shown to the approver."</p>
                {move || general_error.get().map(|e| view! { <ErrorAlert message=e testid="request-error"/> })}
                <p><button type="submit" class="primary" disabled=move || action.pending().get()>"Submit request"</button></p>
            </section>
        </ActionForm>
    }
}
