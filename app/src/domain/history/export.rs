//! Export formats of history: CSV (one line per row, RFC 4180 quoting) and a JSON array of
//! rows as `/api/v1/history` shows them. Written row by row, so an export of any size is
//! streamed without holding it.

use super::HistoryEntry;

/// An export format (`format=csv|json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    /// `csv` (the default when absent) or `json`.
    pub fn parse(value: Option<&str>) -> Result<ExportFormat, String> {
        match value.map(str::trim) {
            None | Some("") | Some("csv") => Ok(ExportFormat::Csv),
            Some("json") => Ok(ExportFormat::Json),
            Some(_) => Err("Format is csv or json.".to_string()),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }

    /// The download's file name, e.g. `ecs-portal-history-2026-11-26.csv`.
    pub fn file_name(self, day: &str) -> String {
        let extension = match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        };
        format!("ecs-portal-history-{day}.{extension}")
    }

    /// What comes before the first row.
    pub fn start(self) -> &'static str {
        match self {
            ExportFormat::Csv => CSV_HEADER,
            ExportFormat::Json => "[",
        }
    }

    /// One row; `first` tells JSON whether a comma is due.
    pub fn row(self, entry: &HistoryEntry, first: bool) -> String {
        match self {
            ExportFormat::Csv => csv_row(entry),
            ExportFormat::Json => {
                let json = serde_json::to_string(entry).unwrap_or_else(|_| "null".to_string());
                if first {
                    format!("\n{json}")
                } else {
                    format!(",\n{json}")
                }
            }
        }
    }

    /// What comes after the last row.
    pub fn end(self) -> &'static str {
        match self {
            ExportFormat::Csv => "",
            ExportFormat::Json => "\n]\n",
        }
    }
}

/// The CSV header line.
pub const CSV_HEADER: &str =
    "id,started_at,kind,target,actor,status,duration_ms,error,request,response\r\n";

/// One CSV line (CRLF-terminated) for a row.
pub fn csv_row(entry: &HistoryEntry) -> String {
    let fields = [
        entry.id.to_string(),
        entry.started_at.clone(),
        entry.kind.clone(),
        entry.target.clone(),
        entry.actor.clone(),
        entry.status.as_str().to_string(),
        entry.duration_ms.map(|d| d.to_string()).unwrap_or_default(),
        entry.error.clone().unwrap_or_default(),
        entry.request.to_string(),
        entry
            .response
            .as_ref()
            .map(|r| r.to_string())
            .unwrap_or_default(),
    ];
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (quotes doubled).
/// A field that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return: an error message or a name someone typed) gets a leading `'`,
/// so opening the export never executes what a user wrote.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history::HistoryStatus;

    fn entry(id: i64) -> HistoryEntry {
        HistoryEntry {
            id,
            kind: "cluster.create".into(),
            target: "prod".into(),
            actor: "alice".into(),
            status: HistoryStatus::Failed,
            started_at: "2026-11-26T04:50:12.345Z".into(),
            duration_ms: Some(120),
            request: serde_json::json!({"clusterName": "prod"}),
            response: None,
            error: Some("Access denied, \"really\"\nsecond line".into()),
        }
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        // Spreadsheet formulas are defused.
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-1+2"), "'-1+2");
        assert_eq!(
            csv_row(&entry(3)),
            "3,2026-11-26T04:50:12.345Z,cluster.create,prod,alice,failed,120,\
             \"Access denied, \"\"really\"\"\nsecond line\",\"{\"\"clusterName\"\":\"\"prod\"\"}\",\r\n"
        );
        assert_eq!(CSV_HEADER.matches(',').count(), 9);
    }

    #[test]
    fn json_rows_make_one_valid_array() {
        let format = ExportFormat::Json;
        let mut out = format.start().to_string();
        for (i, id) in [3, 2, 1].into_iter().enumerate() {
            out.push_str(&format.row(&entry(id), i == 0));
        }
        out.push_str(format.end());
        let parsed: Vec<HistoryEntry> = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed.iter().map(|e| e.id).collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(parsed[0], entry(3));
        let empty = format!("{}{}", format.start(), format.end());
        assert_eq!(
            serde_json::from_str::<Vec<HistoryEntry>>(&empty).unwrap(),
            []
        );
    }

    #[test]
    fn formats_parse_with_csv_by_default() {
        assert_eq!(ExportFormat::parse(None), Ok(ExportFormat::Csv));
        assert_eq!(ExportFormat::parse(Some("json")), Ok(ExportFormat::Json));
        assert!(ExportFormat::parse(Some("xml")).is_err());
        assert_eq!(
            ExportFormat::Json.file_name("2026-11-26"),
            "ecs-portal-history-2026-11-26.json"
        );
    }
}
