//! Line diffs of JSON documents (before → after of a change request, one inline policy
//! version against another). Documents are shown with sorted keys, so only real changes
//! show up.

use super::policy::pretty_json;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LineChange {
    Same,
    Added,
    Removed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

impl DiffLine {
    /// The line as a unified diff shows it (`+`, `-` or a space in front).
    pub fn unified(&self) -> String {
        let mark = match self.change {
            LineChange::Same => ' ',
            LineChange::Added => '+',
            LineChange::Removed => '-',
        };
        format!("{mark} {}", self.text)
    }
}

/// Lines written by [`DiffLine::unified`] read back (e.g. a diff carried in an address).
pub fn from_unified(text: &str) -> Vec<DiffLine> {
    text.lines()
        .map(|line| {
            let (change, rest) = match line.split_at_checked(2) {
                Some(("+ ", rest)) => (LineChange::Added, rest),
                Some(("- ", rest)) => (LineChange::Removed, rest),
                _ => (LineChange::Same, line.get(2..).unwrap_or_default()),
            };
            DiffLine {
                change,
                text: rest.to_string(),
            }
        })
        .collect()
}

/// The lines of `before` and `after` in order, each kept, added or removed (longest common
/// subsequence; documents are small).
pub fn line_diff(before: &str, after: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let line = |change, text: &str| DiffLine {
        change,
        text: text.to_string(),
    };
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(line(LineChange::Same, a[i]));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(line(LineChange::Removed, a[i]));
            i += 1;
        } else {
            out.push(line(LineChange::Added, b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|t| line(LineChange::Removed, t)));
    out.extend(b[j..].iter().map(|t| line(LineChange::Added, t)));
    out
}

/// Sorted, indented JSON of a state; `null` (nothing there) is no lines at all.
pub fn document_text(value: &Value) -> String {
    if value.is_null() {
        String::new()
    } else {
        pretty_json(value)
    }
}

/// The line diff of two JSON states.
pub fn json_diff(before: &Value, after: &Value) -> Vec<DiffLine> {
    line_diff(&document_text(before), &document_text(after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn marks(diff: &[DiffLine]) -> Vec<String> {
        diff.iter().map(DiffLine::unified).collect()
    }

    #[test]
    fn lines_added_removed_and_kept() {
        assert_eq!(
            marks(&line_diff("a\nb\nc", "a\nc\nd")),
            ["  a", "- b", "  c", "+ d"]
        );
        assert_eq!(marks(&line_diff("", "x")), ["+ x"]);
        assert_eq!(marks(&line_diff("x", "")), ["- x"]);
        assert!(line_diff("same", "same")
            .iter()
            .all(|l| l.change == LineChange::Same));
        let diff = line_diff("a\n  b\nc", "a\n  b2\nc");
        let text: Vec<String> = diff.iter().map(DiffLine::unified).collect();
        assert_eq!(from_unified(&text.join("\n")), diff);
    }

    #[test]
    fn json_states() {
        let diff = json_diff(&Value::Null, &json!({"b": 1, "a": 2}));
        assert_eq!(
            marks(&diff),
            ["+ {", "+   \"a\": 2,", "+   \"b\": 1", "+ }"]
        );
        let diff = json_diff(&json!({"a": 1, "b": 1}), &json!({"b": 1, "a": 2}));
        assert_eq!(
            marks(&diff),
            [
                "  {",
                "-   \"a\": 1,",
                "+   \"a\": 2,",
                "    \"b\": 1",
                "  }"
            ]
        );
    }
}
