//! IAM roles: the list (with whether ECS tasks may assume each role) and a role's detail:
//! trust policy, inline policies with every version the portal applied and a diff between
//! two versions, attached managed policies, and the change requests made for it.

#[cfg(feature = "ssr")]
use crate::backend;
use crate::{
    components::{
        loaded, loaded_list, paths::role_path, ChangeRequestTable, DiffView, IfAllowed, JsonView,
    },
    domain::{
        history::display_time,
        iam::{
            diff::json_diff,
            role::{PolicyVersion, RoleDetail, RoleSummary},
        },
        permissions::Operation,
        url::encode_query_value,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde_json::Value;

#[server(prefix = "/api", endpoint = "list_iam_roles")]
pub async fn list_iam_roles() -> Result<Vec<RoleSummary>, AppError> {
    let (state, caller) = backend::context(Operation::ViewRoles).await?;
    backend::ops::roles::list_roles(&state, &caller).await
}

#[server(prefix = "/api", endpoint = "describe_iam_role")]
pub async fn describe_iam_role(name: String) -> Result<RoleDetail, AppError> {
    let (state, caller) = backend::context(Operation::ViewRoles).await?;
    backend::ops::roles::describe_role(&state, &caller, &name).await
}

#[component]
pub fn RolesPage() -> impl IntoView {
    let roles = Resource::new(|| (), |_| list_iam_roles());
    view! {
        <Title text="Roles"/>
        <h1>"IAM roles"</h1>
        <p class="hint">
            "Nobody changes IAM directly: request a change, and an admin other than you approves it. "
            <a href="/approvals">"Approvals"</a>
        </p>
        <IfAllowed operation=Operation::RequestIamChange>
            <p><a class="button primary" href="/approvals/new">"Request a new role"</a></p>
        </IfAllowed>
        <section class="panel" aria-labelledby="roles-title">
            <h2 id="roles-title">"Roles in this account"</h2>
            <Transition fallback=|| view! { <p>"Loading roles…"</p> }>
                {move || Suspend::new(async move {
                    loaded_list(roles.await, "No roles yet.", |list| view! {
                            <table class="table" data-testid="roles">
                                <thead><tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Trusts ecs-tasks"</th>
                                    <th scope="col">"Description"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|r| view! {
                                        <tr>
                                            <td><a class="mono" href=role_path(&r.name) title=r.arn.clone()>{r.name.clone()}</a></td>
                                            <td>{if r.trusts_ecs_tasks { "yes" } else { "no" }}</td>
                                            <td>{r.description.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn RolePage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.read().get("name").unwrap_or_default();
    let role = Resource::new(name, describe_iam_role);
    view! {
        <Title text=move || format!("Role {}", name())/>
        <p><a href="/roles">"Roles"</a>" /"</p>
        <h1 class="mono">{name}</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(role.await, |role| view! { <RoleDetailView role/> })
            })}
        </Transition>
    }
}

#[component]
fn RoleDetailView(role: RoleDetail) -> impl IntoView {
    let request_link = format!(
        "/approvals/new?fields%5Brole_name%5D={}&fields%5Bkind%5D=put-role-policy",
        encode_query_value(&role.name)
    );
    let policy_names = role.policy_names();
    let policies = policy_names
        .into_iter()
        .map(|policy| {
            let current = role
                .inline_policies
                .iter()
                .find(|p| p.name == policy)
                .map(|p| p.document.clone());
            let versions = role.versions_of(&policy);
            view! { <InlinePolicyPanel role_name=role.name.clone() policy current versions/> }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="role-summary-title">
            <h2 id="role-summary-title">"Summary"</h2>
            <table class="table facts">
                <tbody>
                    <tr><th scope="row">"ARN"</th><td class="mono">{role.arn.clone()}</td></tr>
                    <tr><th scope="row">"Description"</th><td>{role.description.clone().unwrap_or_else(|| "—".into())}</td></tr>
                    <tr><th scope="row">"Trusts ecs-tasks"</th><td>{if role.trusts_ecs_tasks { "yes" } else { "no" }}</td></tr>
                </tbody>
            </table>
            <IfAllowed operation=Operation::RequestIamChange>
                <p><a class="button" href=request_link.clone()>"Request a change to this role"</a></p>
            </IfAllowed>
        </section>
        <section class="panel" aria-labelledby="trust-title">
            <h2 id="trust-title">"Trust policy"</h2>
            <JsonView value=role.trust_policy.clone() testid="trust-policy"/>
        </section>
        <section class="panel" aria-labelledby="inline-title" data-testid="inline-policies">
            <h2 id="inline-title">"Inline policies"</h2>
            {role.inline_policies.is_empty().then(|| view! { <p class="empty">"No inline policies."</p> })}
            {policies}
        </section>
        <section class="panel" aria-labelledby="attached-title">
            <h2 id="attached-title">"Attached managed policies"</h2>
            {if role.attached_policies.is_empty() {
                view! { <p class="empty">"None."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list" data-testid="attached-policies">
                        {role.attached_policies.iter().map(|p| view! {
                            <li><span class="mono" title=p.arn.clone()>{p.name.clone()}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="role-requests-title">
            <h2 id="role-requests-title">"Change history"</h2>
            {if role.change_requests.is_empty() {
                view! { <p class="empty">"No changes were requested through the portal."</p> }.into_any()
            } else {
                view! { <ChangeRequestTable requests=role.change_requests.clone()/> }.into_any()
            }}
        </section>
    }
}

/// One inline policy: its current document, the portal's versions and a diff of two.
#[component]
fn InlinePolicyPanel(
    role_name: String,
    policy: String,
    current: Option<Value>,
    versions: Vec<PolicyVersion>,
) -> impl IntoView {
    let query = use_query_map();
    let newest = versions.last().map(|v| v.version).unwrap_or(0);
    // Which versions to compare: from the address when it names this policy, else the
    // newest against the one before it. Follows the address, so "Compare" works as a
    // client-side navigation too.
    let chosen = {
        let policy = policy.clone();
        Memo::new(move |_| {
            let q = query.read();
            let mine = q.get("policy").as_deref() == Some(policy.as_str());
            let pick = |key: &str, default: i64| {
                mine.then(|| q.get(key).and_then(|v| v.parse::<i64>().ok()))
                    .flatten()
                    .unwrap_or(default)
            };
            (pick("a", (newest - 1).max(1)), pick("b", newest))
        })
    };
    let stored = StoredValue::new(versions.clone());
    let diff = move || {
        let (a, b) = chosen.get();
        stored.with_value(|versions| {
            let document_of = |n: i64| {
                versions
                    .iter()
                    .find(|v| v.version == n)
                    .map(|v| v.document.clone().unwrap_or(Value::Null))
            };
            match (document_of(a), document_of(b)) {
                (Some(before), Some(after)) if versions.len() > 1 => Some(view! {
                    <p class="hint">{format!("Changes from version {a} to version {b}:")}</p>
                    <DiffView lines=json_diff(&before, &after) testid="version-diff"/>
                }),
                _ => None,
            }
        })
    };
    let options = move |pick: fn((i64, i64)) -> i64| {
        (1..=newest)
            .map(|n| view! {
                <option value=n.to_string() selected=move || pick(chosen.get()) == n>{format!("version {n}")}</option>
            })
            .collect_view()
    };
    let title_id = format!("policy-{policy}");
    view! {
        <article class="policy" aria-labelledby=title_id.clone() data-testid=format!("policy-{policy}")>
            <h3 id=title_id.clone() class="mono">{policy.clone()}</h3>
            {match current {
                Some(doc) => view! { <JsonView value=doc testid="policy-document"/> }.into_any(),
                None => view! { <p class="hint">"Deleted: the role no longer has this policy."</p> }.into_any(),
            }}
            <h4>"Versions applied through the portal"</h4>
            {if versions.is_empty() {
                view! { <p class="empty">"None: this policy was written outside the portal."</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="policy-versions">
                        <thead><tr>
                            <th scope="col">"Version"</th><th scope="col">"Applied (UTC)"</th>
                            <th scope="col">"Approved by"</th><th scope="col">"Change request"</th>
                        </tr></thead>
                        <tbody>
                            {versions.iter().rev().map(|v| view! {
                                <tr>
                                    <td>{format!("version {}", v.version)}{v.document.is_none().then_some(" (deleted)")}</td>
                                    <td>{display_time(&v.applied_at)}</td>
                                    <td class="mono">{v.applied_by.clone()}</td>
                                    <td><a href=format!("/approvals/{}", v.change_request_id)>{format!("#{}", v.change_request_id)}</a></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {(newest > 1).then(|| view! {
                <form method="get" action=role_path(&role_name) class="inline-form">
                    <input type="hidden" name="policy" value=policy.clone()/>
                    <label>"Compare " <select name="a">{options(|(a, _)| a)}</select></label>
                    <label>" with " <select name="b">{options(|(_, b)| b)}</select></label>
                    " " <button type="submit">"Compare"</button>
                </form>
            })}
            {diff}
        </article>
    }
}
