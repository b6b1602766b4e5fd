//! Name rules shared by ECS resources (clusters, services, task definition families,
//! containers): 1-255 ASCII letters, digits, hyphens and underscores.

/// The longest name ECS accepts for clusters, services, families and containers.
pub const ECS_NAME_MAX_LEN: usize = 255;

/// Checks an ECS resource name. `what` names the thing in the message ("Cluster name").
///
/// Returns a sentence a user can act on, or `Ok(())`.
pub fn validate_ecs_name(what: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("{what} is required."));
    }
    if value.trim() != value {
        return Err(format!("{what} must not start or end with spaces."));
    }
    let len = value.chars().count();
    if len > ECS_NAME_MAX_LEN {
        return Err(format!(
            "{what} is {len} characters long; the limit is {ECS_NAME_MAX_LEN}."
        ));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        let shown = if bad == ' ' {
            "a space".to_string()
        } else {
            format!("'{bad}'")
        };
        return Err(format!(
            "{what} may contain only letters, digits, hyphens and underscores (found {shown})."
        ));
    }
    Ok(())
}
