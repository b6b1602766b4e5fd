//! Searching history: the filters of the history page, `/api/v1/history` and the export,
//! read from query parameters (with a field error per bad value) and written back to a
//! query string, so a filtered view is a link that can be shared.

use super::{cursor::Cursor, time::Date, HistoryKind, HistoryStatus};
use crate::{
    domain::{names::validate_ecs_name, url::encode_query_value},
    error::FieldError,
};
use serde::{Deserialize, Serialize};

/// Rows per page unless `limit` says otherwise.
pub const DEFAULT_LIMIT: u32 = 50;
/// The most rows one page may ask for.
pub const MAX_LIMIT: u32 = 500;
/// The longest free text or actor accepted.
pub const MAX_TEXT_LEN: usize = 200;

/// What to show. Every filter present must match (they combine with AND).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryFilter {
    pub kind: Option<HistoryKind>,
    pub cluster: Option<String>,
    pub service: Option<String>,
    /// Task definition family.
    pub family: Option<String>,
    /// Who did it (exact username).
    pub actor: Option<String>,
    pub status: Option<HistoryStatus>,
    /// From this day on (UTC, inclusive).
    pub since: Option<Date>,
    /// Up to the end of this day (UTC, inclusive).
    pub until: Option<Date>,
    /// Free text found in the target, the actor or the request.
    pub q: Option<String>,
}

/// A filter, the page size and where the page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryQuery {
    pub filter: HistoryFilter,
    pub limit: u32,
    pub cursor: Option<Cursor>,
}

impl Default for HistoryQuery {
    fn default() -> Self {
        HistoryQuery {
            filter: HistoryFilter::default(),
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

/// The query parameter names, in the order links write them.
pub const PARAMETERS: [&str; 11] = [
    "kind", "cluster", "service", "family", "actor", "status", "since", "until", "q", "limit",
    "cursor",
];

impl HistoryQuery {
    /// Reads the parameters of a query string (`kind=rollout&since=2026-11-01`). Empty
    /// values count as absent (a GET form sends every field); unknown names are ignored
    /// (the export's `format`, for one). Every bad value is reported, by its name.
    pub fn from_query_string(query: &str) -> Result<HistoryQuery, Vec<FieldError>> {
        HistoryQuery::parse(query_pairs(query))
    }

    /// Like [`HistoryQuery::from_query_string`], from already decoded pairs.
    pub fn parse<K, V>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Result<HistoryQuery, Vec<FieldError>>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut values: [Option<String>; PARAMETERS.len()] = Default::default();
        for (name, value) in pairs {
            let value = value.as_ref().trim();
            if let Some(i) = PARAMETERS.iter().position(|p| *p == name.as_ref()) {
                if !value.is_empty() && values[i].is_none() {
                    values[i] = Some(value.to_string());
                }
            }
        }
        let [kind, cluster, service, family, actor, status, since, until, q, limit, cursor] =
            values;
        let mut errors = Vec::new();
        let mut check = |field: &str, raw: &Option<String>, result: Result<(), String>| {
            if let Err(message) = result {
                errors.push(
                    FieldError::new(field, message).with_rejected(raw.clone().unwrap_or_default()),
                );
            }
        };

        let kind_value = kind.as_deref().map(HistoryKind::parse);
        check(
            "kind",
            &kind,
            match kind_value {
                Some(None) => Err("Choose a kind of action from the list.".to_string()),
                _ => Ok(()),
            },
        );
        let status_value = status.as_deref().map(HistoryStatus::parse);
        check(
            "status",
            &status,
            match status_value {
                Some(None) => Err("Status is pending, succeeded or failed.".to_string()),
                _ => Ok(()),
            },
        );
        // `service=prod/web` names the cluster too.
        let (cluster, service) = match (cluster, service) {
            (None, Some(s)) if s.contains('/') => {
                let (c, s) = s.split_once('/').unwrap_or_default();
                (Some(c.to_string()), Some(s.to_string()))
            }
            other => other,
        };
        for (field, label, value) in [
            ("cluster", "Cluster", &cluster),
            ("service", "Service", &service),
            ("family", "Family", &family),
        ] {
            if let Some(v) = value {
                check(field, value, validate_ecs_name(label, v));
            }
        }
        for (field, label, value) in [("actor", "Who", &actor), ("q", "Text", &q)] {
            if let Some(v) = value {
                let len = v.chars().count();
                let result = if len > MAX_TEXT_LEN {
                    Err(format!(
                        "{label} is {len} characters long; the limit is {MAX_TEXT_LEN}."
                    ))
                } else if v.chars().any(char::is_control) {
                    Err(format!("{label} must not contain control characters."))
                } else {
                    Ok(())
                };
                check(field, value, result);
            }
        }
        let since_value = since.as_deref().map(Date::parse);
        let until_value = until.as_deref().map(Date::parse);
        const DATE: &str = "is not a date: use YYYY-MM-DD, e.g. 2026-11-26.";
        check(
            "since",
            &since,
            match since_value {
                Some(None) => Err(format!("From {DATE}")),
                _ => Ok(()),
            },
        );
        check(
            "until",
            &until,
            match (since_value, until_value) {
                (_, Some(None)) => Err(format!("Until {DATE}")),
                (Some(Some(s)), Some(Some(u))) if u < s => {
                    Err("Until must not be before From.".to_string())
                }
                _ => Ok(()),
            },
        );
        let limit_value = match limit.as_deref() {
            None => Ok(DEFAULT_LIMIT),
            Some(l) => l
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| format!("Rows per page is a whole number from 1 to {MAX_LIMIT}.")),
        };
        check(
            "limit",
            &limit,
            limit_value.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        let cursor_value = cursor.as_deref().map(Cursor::decode).transpose();
        check(
            "cursor",
            &cursor,
            cursor_value.as_ref().map(|_| ()).map_err(Clone::clone),
        );

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(HistoryQuery {
            filter: HistoryFilter {
                kind: kind_value.flatten(),
                cluster,
                service,
                family,
                actor,
                status: status_value.flatten(),
                since: since_value.flatten(),
                until: until_value.flatten(),
                q,
            },
            limit: limit_value.unwrap_or(DEFAULT_LIMIT),
            cursor: cursor_value.ok().flatten(),
        })
    }

    /// The query string for this filter and page size, without a cursor (the first page).
    pub fn first_page(&self) -> String {
        self.with_cursor(None)
    }

    /// The query string for this filter and page size starting at `cursor`.
    pub fn with_cursor(&self, cursor: Option<Cursor>) -> String {
        let mut pairs = self.filter.pairs();
        if self.limit != DEFAULT_LIMIT {
            pairs.push(("limit", self.limit.to_string()));
        }
        if let Some(cursor) = cursor {
            pairs.push(("cursor", cursor.encode()));
        }
        to_query_string(&pairs)
    }
}

impl HistoryFilter {
    /// The filter as (parameter, value) pairs, in the order of [`PARAMETERS`].
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut push = |name: &'static str, value: Option<String>| {
            if let Some(value) = value {
                pairs.push((name, value));
            }
        };
        push("kind", self.kind.map(|k| k.as_str().to_string()));
        push("cluster", self.cluster.clone());
        push("service", self.service.clone());
        push("family", self.family.clone());
        push("actor", self.actor.clone());
        push("status", self.status.map(|s| s.as_str().to_string()));
        push("since", self.since.map(|d| d.to_string()));
        push("until", self.until.map(|d| d.to_string()));
        push("q", self.q.clone());
        pairs
    }

    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self == &HistoryFilter::default()
    }

    /// The first instant (RFC 3339) a row may have started at, if bounded.
    pub fn started_from(&self) -> Option<String> {
        self.since.map(Date::start_rfc3339)
    }

    /// The instant (RFC 3339) rows must have started before, if bounded: the midnight
    /// after `until`.
    pub fn started_before(&self) -> Option<String> {
        self.until.map(|d| d.add_days(1).start_rfc3339())
    }
}

/// One page of history, newest first, with the cursors of its neighbours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    pub items: Vec<super::HistoryEntry>,
    /// Where the older rows continue (`null` on the last page).
    pub next_cursor: Option<String>,
    /// Where the newer rows are (`null` on the first page).
    pub prev_cursor: Option<String>,
}

impl HistoryPage {
    /// The page out of the rows a keyset query fetched: at most `limit + 1` of them, in
    /// the query's scan order (newest first, or oldest first for a [`Cursor::Newer`]
    /// page). The extra row only says that more rows lie beyond.
    pub fn assemble(mut rows: Vec<super::HistoryEntry>, query: &HistoryQuery) -> HistoryPage {
        let limit = query.limit as usize;
        let more_beyond = rows.len() > limit;
        rows.truncate(limit);
        let (older_exist, newer_exist) = match query.cursor {
            None => (more_beyond, false),
            Some(Cursor::Older(_)) => (more_beyond, true),
            Some(Cursor::Newer(_)) => {
                rows.reverse();
                (true, more_beyond)
            }
        };
        let next_cursor = rows
            .last()
            .filter(|_| older_exist)
            .map(|r| Cursor::Older(r.id).encode());
        let prev_cursor = rows
            .first()
            .filter(|_| newer_exist)
            .map(|r| Cursor::Newer(r.id).encode());
        HistoryPage {
            items: rows,
            next_cursor,
            prev_cursor,
        }
    }
}

/// `a=1&b=x%20y` from pairs (empty when there are none).
pub fn to_query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode_query_value(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The decoded (name, value) pairs of a query string; a leading `?` is skipped and `+`
/// is a space, as browsers encode GET forms.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .into_owned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn an_empty_query_is_the_first_page_of_everything() {
        for query in ["", "?", "kind=&cluster=&q=&limit=", "format=csv"] {
            assert_eq!(
                HistoryQuery::from_query_string(query),
                Ok(HistoryQuery::default()),
                "{query}"
            );
        }
        assert_eq!(HistoryQuery::default().first_page(), "");
    }

    #[test]
    fn every_filter_parses_and_combines() {
        let cursor = Cursor::Older(77).encode();
        let query = HistoryQuery::from_query_string(&format!(
            "kind=rollout&cluster=prod&service=web&family=web-td&actor=alice+smith&status=failed\
             &since=2026-11-01&until=2026-11-26&q=nginx%3A1.27&limit=20&cursor={cursor}"
        ))
        .unwrap();
        assert_eq!(
            query.filter,
            HistoryFilter {
                kind: Some(HistoryKind::Rollout),
                cluster: Some("prod".into()),
                service: Some("web".into()),
                family: Some("web-td".into()),
                actor: Some("alice smith".into()),
                status: Some(HistoryStatus::Failed),
                since: Date::parse("2026-11-01"),
                until: Date::parse("2026-11-26"),
                q: Some("nginx:1.27".into()),
            }
        );
        assert_eq!(query.limit, 20);
        assert_eq!(query.cursor, Some(Cursor::Older(77)));
        assert_eq!(
            query.filter.started_from().as_deref(),
            Some("2026-11-01T00:00:00.000Z")
        );
        assert_eq!(
            query.filter.started_before().as_deref(),
            Some("2026-11-27T00:00:00.000Z")
        );
    }

    #[test]
    fn a_service_with_its_cluster_sets_both() {
        let query = HistoryQuery::from_query_string("service=prod%2Fweb").unwrap();
        assert_eq!(query.filter.cluster.as_deref(), Some("prod"));
        assert_eq!(query.filter.service.as_deref(), Some("web"));
    }

    #[test]
    fn bad_values_are_field_errors_that_keep_what_was_typed() {
        let errors = HistoryQuery::from_query_string(
            "kind=deploy&status=done&cluster=bad+name&since=2026-02-30&until=yesterday\
             &limit=0&cursor=abc&q=%01",
        )
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            ["kind", "status", "cluster", "q", "since", "until", "limit", "cursor"]
        );
        assert_eq!(errors[0].rejected.as_deref(), Some("deploy"));
        assert_eq!(errors[2].rejected.as_deref(), Some("bad name"));
        assert!(errors[4].message.contains("YYYY-MM-DD"), "{:?}", errors[4]);

        let errors =
            HistoryQuery::from_query_string("since=2026-11-26&until=2026-11-25").unwrap_err();
        assert_eq!(errors[0].field, "until");
        assert_eq!(errors[0].message, "Until must not be before From.");

        for limit in ["501", "-1", "1.5", "x"] {
            let errors = HistoryQuery::from_query_string(&format!("limit={limit}")).unwrap_err();
            assert_eq!(fields(&errors), ["limit"], "{limit}");
        }
        assert_eq!(
            HistoryQuery::from_query_string("limit=500").unwrap().limit,
            500
        );
        let long = "x".repeat(MAX_TEXT_LEN + 1);
        assert_eq!(
            fields(&HistoryQuery::from_query_string(&format!("actor={long}")).unwrap_err()),
            ["actor"]
        );
    }

    #[test]
    fn the_query_string_round_trips_for_a_shareable_link() {
        let original = "kind=service.deploy&cluster=prod&service=web&actor=bob&status=succeeded\
                        &since=2026-11-01&until=2026-11-02&q=a%26b%3Dc%20d";
        let query = HistoryQuery::from_query_string(original).unwrap();
        assert_eq!(query.first_page(), original);
        let next = query.with_cursor(Some(Cursor::Older(5)));
        let reread = HistoryQuery::from_query_string(&next).unwrap();
        assert_eq!(reread.filter, query.filter);
        assert_eq!(reread.cursor, Some(Cursor::Older(5)));

        let sized = HistoryQuery::from_query_string("limit=10").unwrap();
        assert_eq!(sized.first_page(), "limit=10");
    }

    fn rows(ids: impl IntoIterator<Item = i64>) -> Vec<crate::domain::history::HistoryEntry> {
        ids.into_iter()
            .map(|id| crate::domain::history::HistoryEntry {
                id,
                kind: "cluster.create".into(),
                target: "c".into(),
                actor: "a".into(),
                status: HistoryStatus::Succeeded,
                started_at: "2026-11-26T00:00:00.000Z".into(),
                duration_ms: None,
                request: serde_json::Value::Null,
                response: None,
                error: None,
            })
            .collect()
    }

    fn ids(page: &HistoryPage) -> Vec<i64> {
        page.items.iter().map(|r| r.id).collect()
    }

    fn query(limit: u32, cursor: Option<Cursor>) -> HistoryQuery {
        HistoryQuery {
            limit,
            cursor,
            ..HistoryQuery::default()
        }
    }

    #[test]
    fn pages_link_to_their_neighbours() {
        // First page of 3 with more behind it.
        let page = HistoryPage::assemble(rows([10, 9, 8, 7]), &query(3, None));
        assert_eq!(ids(&page), [10, 9, 8]);
        assert_eq!(page.next_cursor, Some(Cursor::Older(8).encode()));
        assert_eq!(page.prev_cursor, None);
        // A middle page.
        let page = HistoryPage::assemble(rows([7, 6, 5, 4]), &query(3, Some(Cursor::Older(8))));
        assert_eq!(ids(&page), [7, 6, 5]);
        assert_eq!(page.next_cursor, Some(Cursor::Older(5).encode()));
        assert_eq!(page.prev_cursor, Some(Cursor::Newer(7).encode()));
        // The last page.
        let page = HistoryPage::assemble(rows([2, 1]), &query(3, Some(Cursor::Older(3))));
        assert_eq!(ids(&page), [2, 1]);
        assert_eq!(page.next_cursor, None);
        assert!(page.prev_cursor.is_some());
        // Going back: rows come oldest first and are shown newest first.
        let page = HistoryPage::assemble(rows([8, 9, 10, 11]), &query(3, Some(Cursor::Newer(7))));
        assert_eq!(ids(&page), [10, 9, 8]);
        assert_eq!(page.next_cursor, Some(Cursor::Older(8).encode()));
        assert_eq!(page.prev_cursor, Some(Cursor::Newer(10).encode()));
        let page = HistoryPage::assemble(rows([8, 9]), &query(3, Some(Cursor::Newer(7))));
        assert_eq!(ids(&page), [9, 8]);
        assert_eq!(page.prev_cursor, None);
        // Nothing at all.
        let page = HistoryPage::assemble(rows([]), &query(3, None));
        assert!(page.items.is_empty() && page.next_cursor.is_none() && page.prev_cursor.is_none());
    }

    #[test]
    fn query_pairs_decode_forms() {
        assert_eq!(
            query_pairs("?a=1+2&b=%2F&c&=x"),
            vec![
                ("a".to_string(), "1 2".to_string()),
                ("b".to_string(), "/".to_string()),
                ("c".to_string(), String::new()),
                (String::new(), "x".to_string()),
            ]
        );
    }
}
