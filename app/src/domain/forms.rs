//! What each form page starts from: the form (empty, a copy, or what a no-JavaScript round
//! trip carried in the address) and the choices to offer. `backend::ops` fills in what it
//! reads from AWS; the rules of which form to start from live here.

use super::{
    iam::{form::ChangeRequestForm, trust::RoleChoice},
    images::ImageChoice,
    services::{NetworkChoices, ServiceForm},
    task_definitions::{RevisionSummary, TaskDefinitionForm},
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The task definition form page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskDefinitionFormStart {
    pub form: TaskDefinitionForm,
    /// The region the portal registers in (log configuration uses it).
    pub region: String,
    pub create_log_group: bool,
    /// Task roles to offer, or why they cannot be listed.
    pub roles: Result<Vec<RoleChoice>, String>,
    /// ECR images to offer, or why they cannot be listed.
    pub images: Result<Vec<ImageChoice>, String>,
    /// What importing pasted JSON left behind (read-only fields, keys the form has no
    /// field for), or why the JSON could not be read.
    pub notes: Vec<String>,
}

/// Where the task definition form starts from, first match wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskDefinitionFormSource<'a> {
    /// Pasted JSON ("Open in the form").
    Json(&'a str),
    /// The `fields[...]` of the address (a round trip without JavaScript).
    Fields(&'a BTreeMap<String, String>),
    /// A copy of a revision (`from` = `family:revision`; a revision that is not a number
    /// is 0, which does not exist).
    Revision {
        family: &'a str,
        revision: i32,
    },
    Empty,
}

impl<'a> TaskDefinitionFormSource<'a> {
    pub fn of(from: &'a str, fields: &'a BTreeMap<String, String>, json: &'a str) -> Self {
        if !json.trim().is_empty() {
            Self::Json(json)
        } else if !fields.is_empty() {
            Self::Fields(fields)
        } else if let Some((family, revision)) = from.rsplit_once(':') {
            Self::Revision {
                family,
                revision: revision.parse().unwrap_or_default(),
            }
        } else {
            Self::Empty
        }
    }
}

/// "Create the log group" is ticked on a fresh form; after a round trip, as it was posted.
pub fn create_log_group_ticked(fields: &BTreeMap<String, String>) -> bool {
    fields.is_empty() || fields.get("create_log_group").is_some_and(|v| v == "on")
}

/// The create-service form page.
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

/// The service form before any choice is filled in: the address's fields, or an empty
/// form in `cluster` (the cluster page's "Create a service").
pub fn service_form_from(fields: &BTreeMap<String, String>, cluster: String) -> ServiceForm {
    if fields.is_empty() {
        ServiceForm {
            cluster,
            ..ServiceForm::default()
        }
    } else {
        ServiceForm::from_fields(fields)
    }
}

/// Picks the first cluster and family listed when none is chosen yet.
pub fn choose_first_listed(
    form: &mut ServiceForm,
    clusters: &Result<Vec<String>, String>,
    families: &Result<Vec<String>, String>,
) {
    let first = |listed: &Result<Vec<String>, String>| {
        listed
            .as_ref()
            .ok()
            .and_then(|names| names.first())
            .cloned()
    };
    if form.cluster.is_empty() {
        if let Some(cluster) = first(clusters) {
            form.cluster = cluster;
        }
    }
    if form.family.is_empty() {
        if let Some(family) = first(families) {
            form.family = family;
        }
    }
}

/// Active revision numbers, newest first.
pub fn active_revisions(revisions: Vec<RevisionSummary>) -> Vec<i32> {
    let mut active: Vec<i32> = revisions
        .into_iter()
        .filter(|r| r.status == "ACTIVE")
        .map(|r| r.revision)
        .collect();
    active.sort_unstable_by(|a, b| b.cmp(a));
    active
}

/// Keeps the chosen revision when it is one of `revisions`, else takes the newest.
pub fn choose_revision(form: &mut ServiceForm, revisions: &[i32]) {
    if form.revision.is_empty() || !revisions.iter().any(|r| r.to_string() == form.revision) {
        if let Some(newest) = revisions.first() {
            form.revision = newest.to_string();
        }
    }
}

/// The new change request form page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeRequestFormStart {
    pub form: ChangeRequestForm,
    pub region: String,
    /// The portal's account (templates put it in ARNs; the linter compares principals).
    pub account_id: String,
    /// Why "Generate" could not do what was asked.
    pub problem: Option<String>,
}

impl ChangeRequestFormStart {
    /// A fresh task role request, overlaid with the fields of the address, then `generate`
    /// applied (`trust`: the conditions; `template`: the policy template).
    pub fn new(
        fields: &BTreeMap<String, String>,
        generate: &str,
        region: String,
        account_id: String,
    ) -> Self {
        let start: BTreeMap<String, String> = ChangeRequestForm::new_task_role()
            .to_fields()
            .into_iter()
            .map(|(name, value)| {
                let value = fields.get(name).cloned().unwrap_or(value);
                (name.to_string(), value)
            })
            .collect();
        let mut form = ChangeRequestForm::from_fields(&start);
        let problem = match generate {
            "trust" => {
                form.apply_trust_conditions();
                None
            }
            "template" => form.apply_template(&region, &account_id).err(),
            _ => None,
        };
        ChangeRequestFormStart {
            form,
            region,
            account_id,
            problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn task_definition_form_sources_in_order() {
        let none = fields(&[]);
        let typed = fields(&[("family", "web")]);
        let cases = [
            (" ", &none, "{}", TaskDefinitionFormSource::Json("{}")),
            ("web:3", &typed, "{}", TaskDefinitionFormSource::Json("{}")),
            (
                "web:3",
                &typed,
                " ",
                TaskDefinitionFormSource::Fields(&typed),
            ),
            (
                "web:3",
                &none,
                "",
                TaskDefinitionFormSource::Revision {
                    family: "web",
                    revision: 3,
                },
            ),
            (
                "web:x",
                &none,
                "",
                TaskDefinitionFormSource::Revision {
                    family: "web",
                    revision: 0,
                },
            ),
            ("web", &none, "", TaskDefinitionFormSource::Empty),
        ];
        for (from, fields, json, expected) in cases {
            assert_eq!(
                TaskDefinitionFormSource::of(from, fields, json),
                expected,
                "{from:?} {json:?}"
            );
        }
    }

    #[test]
    fn log_group_is_ticked_on_a_fresh_form_only() {
        assert!(create_log_group_ticked(&fields(&[])));
        assert!(create_log_group_ticked(&fields(&[(
            "create_log_group",
            "on"
        )])));
        assert!(!create_log_group_ticked(&fields(&[("family", "web")])));
    }

    fn revision(revision: i32, status: &str) -> RevisionSummary {
        RevisionSummary {
            task_definition_arn: format!(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/web:{revision}"
            ),
            revision,
            status: status.to_string(),
            registered_at: None,
            registered_by: None,
        }
    }

    #[test]
    fn service_form_choices() {
        let mut form = service_form_from(&fields(&[]), "prod".into());
        assert_eq!(form.cluster, "prod");
        let clusters = Ok(vec!["dev".to_string(), "prod".to_string()]);
        let families = Ok(vec!["api".to_string(), "web".to_string()]);
        choose_first_listed(&mut form, &clusters, &families);
        assert_eq!(
            (form.cluster.as_str(), form.family.as_str()),
            ("prod", "api")
        );

        let mut empty = service_form_from(&fields(&[]), String::new());
        choose_first_listed(&mut empty, &Err("no access".into()), &families);
        assert_eq!((empty.cluster.as_str(), empty.family.as_str()), ("", "api"));

        let revisions = active_revisions(vec![
            revision(1, "ACTIVE"),
            revision(3, "ACTIVE"),
            revision(2, "INACTIVE"),
        ]);
        assert_eq!(revisions, [3, 1]);
        choose_revision(&mut form, &revisions);
        assert_eq!(form.revision, "3");
        form.revision = "1".into();
        choose_revision(&mut form, &revisions);
        assert_eq!(form.revision, "1");
        form.revision = "2".into();
        choose_revision(&mut form, &revisions);
        assert_eq!(form.revision, "3");
    }

    #[test]
    fn change_request_form_overlays_the_address() {
        let start = ChangeRequestFormStart::new(
            &fields(&[("role_name", "books-task"), ("unknown", "x")]),
            "",
            "us-east-1".into(),
            "123456789012".into(),
        );
        let fresh = ChangeRequestForm::new_task_role();
        assert_eq!(start.form.role_name, "books-task");
        assert_eq!(start.form.kind, fresh.kind);
        assert_eq!(start.form.trust_policy, fresh.trust_policy);
        assert_eq!(start.problem, None);

        let with_account = ChangeRequestFormStart::new(
            &fields(&[("source_account", "123456789012")]),
            "trust",
            "us-east-1".into(),
            "123456789012".into(),
        );
        assert!(with_account.form.trust_policy.contains("aws:SourceAccount"));
    }
}
