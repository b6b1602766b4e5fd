use super::*;

#[test]
fn cluster_name_rules() {
    let long_ok = "a".repeat(255);
    let too_long = "a".repeat(256);
    let cases: &[(&str, Result<(), &str>)] = &[
        ("fastapi-cluster", Ok(())),
        ("a", Ok(())),
        ("Under_score-123", Ok(())),
        ("0", Ok(())),
        (&long_ok, Ok(())),
        ("", Err("Cluster name is required.")),
        (&too_long, Err("Cluster name is 256 characters long; the limit is 255.")),
        (
            "my cluster",
            Err("Cluster name may contain only letters, digits, hyphens and underscores (found a space)."),
        ),
        (
            "prod.cluster",
            Err("Cluster name may contain only letters, digits, hyphens and underscores (found '.')."),
        ),
        (
            "café",
            Err("Cluster name may contain only letters, digits, hyphens and underscores (found 'é')."),
        ),
        (
            "a/b",
            Err("Cluster name may contain only letters, digits, hyphens and underscores (found '/')."),
        ),
        (" lead", Err("Cluster name must not start or end with spaces.")),
        ("trail ", Err("Cluster name must not start or end with spaces.")),
    ];
    for (input, expected) in cases {
        let got = validate_cluster_name(input);
        assert_eq!(got, expected.map_err(str::to_string), "input {input:?}");
    }
}

#[test]
fn request_reports_the_field() {
    let errors = CreateClusterRequest {
        cluster_name: "bad name".into(),
    }
    .validate();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "clusterName");
    assert!(CreateClusterRequest {
        cluster_name: "ok".into()
    }
    .validate()
    .is_empty());
}
