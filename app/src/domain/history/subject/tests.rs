use super::*;

fn s(cluster: Option<&str>, service: Option<&str>, family: Option<&str>) -> Subject {
    Subject {
        cluster: cluster.map(str::to_string),
        service: service.map(str::to_string),
        family: family.map(str::to_string),
    }
}

#[test]
fn every_kind_follows_its_target_convention() {
    let cases = [
        ("cluster.create", "prod", s(Some("prod"), None, None)),
        (
            "task_definition.register",
            "web",
            s(None, None, Some("web")),
        ),
        (
            "task_definition.deregister",
            "web:7",
            s(None, None, Some("web")),
        ),
        ("change_request.create", "app-task-role", Subject::default()),
        ("change_request.apply", "app-task-role", Subject::default()),
        (
            "service.create",
            "prod/web",
            s(Some("prod"), Some("web"), None),
        ),
        (
            "service.deploy",
            "prod/web",
            s(Some("prod"), Some("web"), None),
        ),
        (
            "service.scale",
            "prod/web",
            s(Some("prod"), Some("web"), None),
        ),
        (
            "service.force_deployment",
            "prod/web",
            s(Some("prod"), Some("web"), None),
        ),
        (
            "service.rollback",
            "prod/web",
            s(Some("prod"), Some("web"), None),
        ),
        (
            "service.delete",
            "prod/web",
            s(Some("prod"), Some("web"), None),
        ),
        ("rollout", "prod/web", s(Some("prod"), Some("web"), None)),
        ("rollout", "web", s(None, Some("web"), None)),
        ("something.new", "prod/web", Subject::default()),
    ];
    for (kind, target, expected) in &cases {
        assert_eq!(&subject(kind, target), expected, "{kind} {target}");
    }
    // Every known kind is covered above.
    for kind in HistoryKind::ALL {
        assert!(
            cases.iter().any(|(k, _, _)| *k == kind.as_str())
                || kind.as_str().starts_with("change_request."),
            "{kind:?}"
        );
    }
}
