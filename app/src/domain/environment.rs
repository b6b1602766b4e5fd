//! Where the portal's AWS calls go, as shown in the page header and `/healthz`.

use serde::{Deserialize, Serialize};

/// What the portal knows about the AWS account it acts in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsEnvironment {
    /// Account id from STS GetCallerIdentity; `None` when the call failed.
    pub account_id: Option<String>,
    pub region: String,
    /// The endpoint override in use, or `None` for the real AWS endpoints.
    pub endpoint: Option<String>,
    /// True when the endpoint is on this machine (a local emulator).
    pub sandbox: bool,
    /// A plain-English problem, e.g. no credentials or AWS unreachable.
    pub problem: Option<String>,
}

/// True when `endpoint` points at a loopback address (127.0.0.0/8, ::1 or localhost).
pub fn is_loopback_endpoint(endpoint: &str) -> bool {
    let rest = endpoint
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(endpoint);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") || host == "::1" {
        return true;
    }
    host.parse::<std::net::Ipv4Addr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_endpoints() {
        let cases = [
            ("http://127.0.0.1:5000", true),
            ("http://127.1.2.3", true),
            ("http://localhost:4566/", true),
            ("http://LOCALHOST", true),
            ("http://[::1]:5000", true),
            ("http://user@127.0.0.1:9000/path", true),
            ("127.0.0.1:5000", true),
            ("https://ecs.us-east-1.amazonaws.com", false),
            ("http://10.0.0.5:5000", false),
            ("http://127.0.0.1.evil.example.com", false),
            ("http://localhost.example.com", false),
            ("", false),
        ];
        for (endpoint, expected) in cases {
            assert_eq!(is_loopback_endpoint(endpoint), expected, "{endpoint}");
        }
    }
}
