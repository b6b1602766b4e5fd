//! Container image references: `[registry[:port]/]repository[:tag][@sha256:<hex>]`, following
//! Docker's reference grammar, limited to what ECS accepts.

/// The longest image reference ECS accepts.
pub const IMAGE_MAX_LEN: usize = 255;

/// The longest tag Docker accepts.
const TAG_MAX_LEN: usize = 128;

/// An image reference taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageReference {
    /// `host[:port]`, e.g. `public.ecr.aws` or `localhost:5000`; `None` for Docker Hub.
    pub registry: Option<String>,
    /// The path within the registry, e.g. `nginx/nginx`.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:<64 hex digits>`.
    pub digest: Option<String>,
}

/// Takes an image reference apart, or says in one sentence what is wrong with it.
pub fn parse_image_reference(image: &str) -> Result<ImageReference, String> {
    parse(image).map_err(|fragment| sentence(&fragment))
}

/// Checks an image reference; the error is one sentence a user can act on.
pub fn validate_image_reference(image: &str) -> Result<(), String> {
    parse_image_reference(image).map(|_| ())
}

/// Like [`parse_image_reference`], but the error is a lowercase fragment without a final
/// period, to follow `Container "web": `.
pub(super) fn parse(image: &str) -> Result<ImageReference, String> {
    if image.is_empty() {
        return Err("image is required".to_string());
    }
    if image.chars().any(char::is_whitespace) {
        return Err("image reference must not contain spaces".to_string());
    }
    let len = image.chars().count();
    if len > IMAGE_MAX_LEN {
        return Err(format!(
            "image reference is {len} characters long; the limit is {IMAGE_MAX_LEN}"
        ));
    }

    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => {
            check_digest(digest)?;
            (rest, Some(digest.to_string()))
        }
        None => (image, None),
    };

    // A colon after the last slash starts the tag; one before it belongs to a registry port.
    let last_slash = rest.rfind('/');
    let (name, tag) = match rest.rfind(':') {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
            let tag = &rest[colon + 1..];
            check_tag(tag)?;
            (&rest[..colon], Some(tag.to_string()))
        }
        _ => (rest, None),
    };

    // Like Docker: the first component is a registry when something follows it and it looks
    // like a host (has a dot or a port, or is `localhost`).
    let (registry, repository) = match name.split_once('/') {
        Some((first, path))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            check_registry(first)?;
            (Some(first.to_string()), path)
        }
        _ => (None, name),
    };
    if repository.is_empty() {
        return Err("image repository name is missing".to_string());
    }
    for component in repository.split('/') {
        check_path_component(component)?;
    }

    Ok(ImageReference {
        registry,
        repository: repository.to_string(),
        tag,
        digest,
    })
}

/// `fragment` as a sentence: capitalized, ending with a period.
fn sentence(fragment: &str) -> String {
    let mut chars = fragment.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

fn check_digest(digest: &str) -> Result<(), String> {
    if digest.is_empty() {
        return Err("image digest after '@' is empty".to_string());
    }
    let valid = digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if valid {
        Ok(())
    } else {
        Err("image digest must be sha256: followed by 64 lowercase hex digits".to_string())
    }
}

fn check_tag(tag: &str) -> Result<(), String> {
    let Some(first) = tag.chars().next() else {
        return Err("image tag after ':' is empty".to_string());
    };
    let len = tag.chars().count();
    if len > TAG_MAX_LEN {
        return Err(format!(
            "image tag is {len} characters long; the limit is {TAG_MAX_LEN}"
        ));
    }
    if !(first.is_ascii_alphanumeric() || first == '_') {
        return Err(format!(
            "image tag \"{tag}\" must start with a letter, digit or underscore"
        ));
    }
    if let Some(bad) = tag
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return Err(format!(
            "image tag \"{tag}\" may contain only letters, digits, '_', '.' and '-' (found '{bad}')"
        ));
    }
    Ok(())
}

/// `host[:port]`: DNS labels separated by dots, or a bracketed IPv6 address.
fn check_registry(registry: &str) -> Result<(), String> {
    let invalid = || format!("image registry \"{registry}\" is not a valid host name");
    let (host, port) = if let Some(v6) = registry.strip_prefix('[') {
        let (address, after) = v6.split_once(']').ok_or_else(invalid)?;
        if address.is_empty() || !address.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(invalid());
        }
        match after {
            "" => (registry, None),
            _ => (registry, Some(after.strip_prefix(':').ok_or_else(invalid)?)),
        }
    } else {
        match registry.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (registry, None),
        }
    };
    if !host.starts_with('[') {
        let label_ok = |label: &str| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if !host.split('.').all(label_ok) {
            return Err(invalid());
        }
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
        if !valid {
            return Err(format!(
                "image registry port \"{port}\" must be a number from 1 to 65535"
            ));
        }
    }
    Ok(())
}

/// Lowercase letters and digits, with single `.` or `_`, a double `__`, or any run of `-`
/// between them.
fn check_path_component(component: &str) -> Result<(), String> {
    if component.is_empty() {
        return Err(
            "image repository has an empty path component (check for '//' or a trailing '/')"
                .to_string(),
        );
    }
    if component.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "image repository \"{component}\" must be lowercase"
        ));
    }
    if let Some(bad) = component
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!(
            "image repository \"{component}\" may contain only lowercase letters, digits, '.', '_' and '-' (found '{bad}')"
        ));
    }
    let misplaced = || {
        format!(
            "image repository \"{component}\" must start and end with a letter or digit, with single separators ('.', '_', '-') between them"
        )
    };
    let bytes = component.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == start {
            return Err(misplaced());
        }
        if i == bytes.len() {
            return Ok(());
        }
        match bytes[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if bytes.get(i) == Some(&b'_') {
                    i += 1;
                }
            }
            _ => {
                while bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn valid_references() {
        let localhost_digest = format!("localhost:5000/app@{DIGEST}");
        let tag_and_digest = format!("nginx:1.27@{DIGEST}");
        let long_ok = format!("{}:{}", "a".repeat(126), "t".repeat(128));
        /// (input, registry, repository, tag, has a digest)
        type Case<'a> = (&'a str, Option<&'a str>, &'a str, Option<&'a str>, bool);
        let cases: &[Case] = &[
            (
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest",
                Some("123456789012.dkr.ecr.us-east-1.amazonaws.com"),
                "fastapi-books",
                Some("latest"),
                false,
            ),
            ("nginx", None, "nginx", None, false),
            (
                "nginx:1.27-alpine",
                None,
                "nginx",
                Some("1.27-alpine"),
                false,
            ),
            (
                "public.ecr.aws/nginx/nginx:1.27",
                Some("public.ecr.aws"),
                "nginx/nginx",
                Some("1.27"),
                false,
            ),
            (&localhost_digest, Some("localhost:5000"), "app", None, true),
            (&tag_and_digest, None, "nginx", Some("1.27"), true),
            ("library/nginx", None, "library/nginx", None, false),
            ("localhost/app", Some("localhost"), "app", None, false),
            (
                "ghcr.io/org/team/app:v1_2",
                Some("ghcr.io"),
                "org/team/app",
                Some("v1_2"),
                false,
            ),
            (
                "my.registry:8443/a.b/c__d/e---f:_tag",
                Some("my.registry:8443"),
                "a.b/c__d/e---f",
                Some("_tag"),
                false,
            ),
            (
                "[::1]:5000/app:Latest",
                Some("[::1]:5000"),
                "app",
                Some("Latest"),
                false,
            ),
            (
                "Registry.Example.com/app",
                Some("Registry.Example.com"),
                "app",
                None,
                false,
            ),
            ("localhost:5000", None, "localhost", Some("5000"), false),
            (
                &long_ok,
                None,
                &long_ok[..126],
                Some(&long_ok[127..]),
                false,
            ),
        ];
        for (input, registry, repository, tag, has_digest) in cases {
            let got = parse_image_reference(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(got.registry.as_deref(), *registry, "{input}");
            assert_eq!(got.repository, *repository, "{input}");
            assert_eq!(got.tag.as_deref(), *tag, "{input}");
            assert_eq!(
                got.digest.as_deref(),
                has_digest.then_some(DIGEST),
                "{input}"
            );
            assert_eq!(validate_image_reference(input), Ok(()));
        }
    }

    #[test]
    fn invalid_references() {
        let too_long = format!("{}:latest", "a".repeat(249));
        let long_tag = format!("app:{}", "t".repeat(129));
        let upper_digest = format!("app@{}", DIGEST.to_uppercase().replace("SHA256", "sha256"));
        let cases: &[(&str, &str)] = &[
            ("", "Image is required."),
            ("nginx latest", "Image reference must not contain spaces."),
            (" nginx", "Image reference must not contain spaces."),
            ("nginx\t", "Image reference must not contain spaces."),
            (&too_long, "Image reference is 256 characters long; the limit is 255."),
            ("repo:", "Image tag after ':' is empty."),
            (&long_tag, "Image tag is 129 characters long; the limit is 128."),
            ("app:.hidden", "Image tag \".hidden\" must start with a letter, digit or underscore."),
            ("app:-x", "Image tag \"-x\" must start with a letter, digit or underscore."),
            ("app:v1+build", "Image tag \"v1+build\" may contain only letters, digits, '_', '.' and '-' (found '+')."),
            ("app@", "Image digest after '@' is empty."),
            ("app@sha256:abc", "Image digest must be sha256: followed by 64 lowercase hex digits."),
            ("app@md5:0123456789abcdef0123456789abcdef", "Image digest must be sha256: followed by 64 lowercase hex digits."),
            (&upper_digest, "Image digest must be sha256: followed by 64 lowercase hex digits."),
            ("app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", "Image digest must be sha256: followed by 64 lowercase hex digits."),
            ("Nginx", "Image repository \"Nginx\" must be lowercase."),
            ("123456789012.dkr.ecr.us-east-1.amazonaws.com/FastAPI:latest", "Image repository \"FastAPI\" must be lowercase."),
            ("MyOrg/app", "Image repository \"MyOrg\" must be lowercase."),
            (":latest", "Image repository name is missing."),
            ("ghcr.io/", "Image repository name is missing."),
            ("ghcr.io/org//app", "Image repository has an empty path component (check for '//' or a trailing '/')."),
            ("org/app/", "Image repository has an empty path component (check for '//' or a trailing '/')."),
            ("/app", "Image repository has an empty path component (check for '//' or a trailing '/')."),
            ("app!", "Image repository \"app!\" may contain only lowercase letters, digits, '.', '_' and '-' (found '!')."),
            ("nginx:1:2", "Image repository \"nginx:1\" may contain only lowercase letters, digits, '.', '_' and '-' (found ':')."),
            ("-app", "Image repository \"-app\" must start and end with a letter or digit, with single separators ('.', '_', '-') between them."),
            ("app-", "Image repository \"app-\" must start and end with a letter or digit, with single separators ('.', '_', '-') between them."),
            ("a..b", "Image repository \"a..b\" must start and end with a letter or digit, with single separators ('.', '_', '-') between them."),
            ("a___b", "Image repository \"a___b\" must start and end with a letter or digit, with single separators ('.', '_', '-') between them."),
            ("a.-b", "Image repository \"a.-b\" must start and end with a letter or digit, with single separators ('.', '_', '-') between them."),
            ("-bad.host/app", "Image registry \"-bad.host\" is not a valid host name."),
            ("bad..host/app", "Image registry \"bad..host\" is not a valid host name."),
            ("host_name.io/app", "Image registry \"host_name.io\" is not a valid host name."),
            ("[::1/app", "Image registry \"[::1\" is not a valid host name."),
            ("localhost:0/app", "Image registry port \"0\" must be a number from 1 to 65535."),
            ("localhost:70000/app", "Image registry port \"70000\" must be a number from 1 to 65535."),
            ("localhost:/app", "Image registry port \"\" must be a number from 1 to 65535."),
            ("caf\u{e9}", "Image repository \"caf\u{e9}\" may contain only lowercase letters, digits, '.', '_' and '-' (found '\u{e9}')."),
        ];
        for (input, expected) in cases {
            assert_eq!(
                validate_image_reference(input),
                Err(expected.to_string()),
                "input {input:?}"
            );
        }
    }
}
