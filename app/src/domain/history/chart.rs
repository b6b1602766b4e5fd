//! Charts as SVG text, rendered on the server: readable without JavaScript, printable
//! (explicit colours, no external files), each bar with a `<title>` a pointer or a screen
//! reader can read.

use super::metrics::DayCount;
use std::fmt::Write;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
/// Colours that read on white paper and on a dark page.
const SUCCEEDED: &str = "#2e7d32";
const FAILED: &str = "#c62828";
const INK: &str = "#6b7280";

/// Escapes text for SVG/XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The smallest "round" number (1, 2, 5 × 10ⁿ) at or above `max`, at least 1: the top of
/// the y axis.
pub fn axis_top(max: u32) -> u32 {
    let mut step = 1u32;
    loop {
        for factor in [1, 2, 5] {
            let candidate = step.saturating_mul(factor);
            if candidate >= max {
                return candidate;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// A stacked bar chart of deployments per day: succeeded (green, bottom) and failed (red,
/// top), the y axis in deployments, a date label about every week. `title` names the chart
/// for screen readers; `id` (unique on the page) prefixes the ids of its title and
/// description.
pub fn deployments_chart_svg(id: &str, title: &str, days: &[DayCount]) -> String {
    let max = days
        .iter()
        .map(|d| d.succeeded + d.failed)
        .max()
        .unwrap_or(0);
    let top = axis_top(max);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / days.len().max(1) as f64;
    let bar = (slot * 0.75).max(1.0);
    let y = |value: u32| TOP + plot_h - plot_h * f64::from(value) / f64::from(top);
    let total: u32 = days.iter().map(|d| d.succeeded + d.failed).sum();
    let failed: u32 = days.iter().map(|d| d.failed).sum();
    let title = xml_escape(title);
    let id = xml_escape(id);

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" font-family="system-ui, sans-serif" font-size="11">"#
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{title}</title><desc id="{id}-desc">{total} deployments over {} days, {failed} failed.</desc>"#,
        days.len()
    );
    // Gridlines and y labels at 0, half and the top.
    for value in [0, top / 2, top] {
        if value == top / 2 && (top < 2 || !top.is_multiple_of(2)) {
            continue;
        }
        let at = y(value);
        let _ = write!(
            svg,
            r#"<line x1="{LEFT}" x2="{}" y1="{at:.1}" y2="{at:.1}" stroke="{INK}" stroke-opacity="0.35" stroke-width="1"/><text x="{}" y="{:.1}" text-anchor="end" fill="{INK}">{value}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0
        );
    }
    let label_every = (days.len() / 5).max(1);
    for (i, day) in days.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let date = day.date.to_string();
        let _ = write!(
            svg,
            r#"<g class="bar" data-date="{date}"><title>{date}: {} succeeded, {} failed</title>"#,
            day.succeeded, day.failed
        );
        let ok_top = y(day.succeeded);
        if day.succeeded > 0 {
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{ok_top:.1}" width="{bar:.1}" height="{:.1}" fill="{SUCCEEDED}"/>"#,
                y(0) - ok_top
            );
        }
        if day.failed > 0 {
            let failed_top = y(day.succeeded + day.failed);
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{failed_top:.1}" width="{bar:.1}" height="{:.1}" fill="{FAILED}"/>"#,
                ok_top - failed_top
            );
        }
        svg.push_str("</g>");
        if i % label_every == 0 || i + 1 == days.len() {
            let (_, m, d) = day.date.ymd();
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" text-anchor="middle" fill="{INK}">{m:02}-{d:02}</text>"#,
                x + bar / 2.0,
                HEIGHT - 10.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history::time::Date;

    fn days(counts: &[(u32, u32)]) -> Vec<DayCount> {
        let start = Date::parse("2026-11-01").unwrap();
        counts
            .iter()
            .enumerate()
            .map(|(i, (ok, failed))| DayCount {
                date: start.add_days(i as i64),
                succeeded: *ok,
                failed: *failed,
            })
            .collect()
    }

    #[test]
    fn axis_tops_are_round() {
        let tops: Vec<u32> = [0, 1, 2, 3, 6, 10, 11, 49, 120]
            .into_iter()
            .map(axis_top)
            .collect();
        assert_eq!(tops, [1, 1, 2, 5, 10, 10, 20, 50, 200]);
    }

    #[test]
    fn bars_are_stacked_and_titled_per_day() {
        let svg = deployments_chart_svg(
            "chart-30",
            "Deployments <30 days>",
            &days(&[(2, 0), (0, 0), (3, 1)]),
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"chart-30-title\">Deployments &lt;30 days&gt;</title>"));
        assert!(svg.contains("6 deployments over 3 days, 1 failed."));
        assert_eq!(svg.matches("<g class=\"bar\"").count(), 3);
        assert!(svg.contains("<title>2026-11-03: 3 succeeded, 1 failed</title>"));
        // Two green bars, one red, none for the empty day.
        assert_eq!(svg.matches(SUCCEEDED).count(), 2);
        assert_eq!(svg.matches(FAILED).count(), 1);
        // The tallest bar (4 of an axis of 5) spans 80% of the plot height.
        let plot_h = HEIGHT - TOP - BOTTOM;
        let red_top = TOP + plot_h * (1.0 - 4.0 / 5.0);
        assert!(svg.contains(&format!("y=\"{red_top:.1}\"")), "{svg}");
        // No script, no external reference.
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("href"));
    }

    #[test]
    fn an_empty_window_still_draws_its_axis() {
        let svg = deployments_chart_svg("empty", "Nothing", &days(&[(0, 0); 30]));
        assert!(svg.contains("0 deployments over 30 days, 0 failed."));
        assert!(!svg.contains("<rect"));
        assert!(svg.contains(">11-01<"));
        assert!(svg.contains(">11-30<"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            xml_escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
