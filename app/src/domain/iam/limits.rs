//! IAM's limits on names and sizes, checked before anything is sent.

/// Role names: 1-64 characters.
pub const ROLE_NAME_MAX: usize = 64;
/// Inline policy names: 1-128 characters.
pub const POLICY_NAME_MAX: usize = 128;
/// All inline policies of one role together, whitespace excluded.
pub const INLINE_POLICIES_MAX_CHARS: usize = 10_240;
/// A trust policy, whitespace excluded (the default quota).
pub const TRUST_POLICY_MAX_CHARS: usize = 2_048;
/// A role's description.
pub const DESCRIPTION_MAX: usize = 1_000;
/// The reason a requester gives.
pub const REASON_MAX: usize = 2_000;

/// IAM's name alphabet `[\w+=,.@-]`.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

fn validate_name(label: &str, value: &str, max: usize) -> Result<(), String> {
    let count = value.chars().count();
    if count == 0 {
        return Err(format!("{label} is required."));
    }
    if count > max {
        return Err(format!(
            "{label} must be at most {max} characters (it has {count})."
        ));
    }
    if let Some(bad) = value.chars().find(|c| !is_name_char(*c)) {
        let found = if bad == ' ' {
            "a space".to_string()
        } else {
            format!("\"{bad}\"")
        };
        return Err(format!(
            "{label} may contain only letters, digits and + = , . @ _ - (found {found})."
        ));
    }
    Ok(())
}

pub fn validate_role_name(value: &str) -> Result<(), String> {
    validate_name("Role name", value, ROLE_NAME_MAX)
}

pub fn validate_policy_name(value: &str) -> Result<(), String> {
    validate_name("Policy name", value, POLICY_NAME_MAX)
}

/// At most 1,000 characters, printable (IAM refuses control characters other than tab
/// and line breaks).
pub fn validate_description(value: &str) -> Result<(), String> {
    let count = value.chars().count();
    if count > DESCRIPTION_MAX {
        return Err(format!(
            "Description must be at most {DESCRIPTION_MAX} characters (it has {count})."
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err("Description may not contain control characters.".to_string());
    }
    Ok(())
}

pub fn validate_reason(value: &str) -> Result<(), String> {
    let count = value.trim().chars().count();
    if count == 0 {
        return Err("Say why this change is needed: the approver reads it.".to_string());
    }
    if count > REASON_MAX {
        return Err(format!(
            "Reason must be at most {REASON_MAX} characters (it has {count})."
        ));
    }
    Ok(())
}

/// `arn:<partition>:iam::<aws|account id>:policy/<path/>name`.
pub fn validate_managed_policy_arn(value: &str) -> Result<(), String> {
    let problem = || {
        Err(format!(
            "\"{value}\" is not a managed policy ARN (arn:aws:iam::aws:policy/NAME or \
             arn:aws:iam::ACCOUNT:policy/NAME)."
        ))
    };
    if value.is_empty() {
        return Err("Managed policy ARN is required.".to_string());
    }
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return problem();
    };
    let account_ok =
        *account == "aws" || (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()));
    let partition_ok = matches!(*partition, "aws" | "aws-cn" | "aws-us-gov");
    let Some(path) = resource.strip_prefix("policy/") else {
        return problem();
    };
    let name = path.rsplit('/').next().unwrap_or_default();
    if *arn != "arn"
        || !partition_ok
        || *service != "iam"
        || !region.is_empty()
        || !account_ok
        || validate_policy_name(name).is_err()
    {
        return problem();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let long_role = "r".repeat(64);
        let too_long_role = "r".repeat(65);
        let long_policy = "p".repeat(128);
        let too_long_policy = "p".repeat(129);
        let cases: [(&str, bool, bool); 9] = [
            // value, valid role name, valid policy name
            ("fastapi-task-role", true, true),
            ("a+b=c,d.e@f_g-h", true, true),
            ("", false, false),
            ("with space", false, false),
            ("slash/name", false, false),
            ("ünïcode", false, false),
            (&long_role, true, true),
            (&too_long_role, false, true),
            (&long_policy, false, true),
        ];
        for (value, role_ok, policy_ok) in cases {
            assert_eq!(validate_role_name(value).is_ok(), role_ok, "role {value}");
            assert_eq!(
                validate_policy_name(value).is_ok(),
                policy_ok,
                "policy {value}"
            );
        }
        assert!(validate_policy_name(&too_long_policy).is_err());
        assert_eq!(
            validate_role_name("with space").unwrap_err(),
            "Role name may contain only letters, digits and + = , . @ _ - (found a space)."
        );
        assert_eq!(
            validate_role_name(&too_long_role).unwrap_err(),
            "Role name must be at most 64 characters (it has 65)."
        );
    }

    #[test]
    fn descriptions_and_reasons() {
        assert!(validate_description("").is_ok());
        assert!(validate_description("Task role\tfor books\n").is_ok());
        assert!(validate_description(&"d".repeat(1000)).is_ok());
        assert!(validate_description(&"d".repeat(1001)).is_err());
        assert!(validate_description("bell\u{7}").is_err());
        assert!(validate_reason("  ").is_err());
        assert!(validate_reason("books API needs its table").is_ok());
        assert!(validate_reason(&"r".repeat(2001)).is_err());
    }

    #[test]
    fn managed_policy_arns() {
        for ok in [
            "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::123456789012:policy/team/books-read",
            "arn:aws-cn:iam::123456789012:policy/x",
        ] {
            assert!(validate_managed_policy_arn(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "ReadOnlyAccess",
            "arn:aws:iam::aws:role/x",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::12345:policy/x",
            "arn:aws:iam:us-east-1:aws:policy/x",
            "arn:aws:iam::aws:policy/",
        ] {
            assert!(validate_managed_policy_arn(bad).is_err(), "{bad}");
        }
    }
}
