//! Showing JSON documents and line diffs between them.

use crate::domain::iam::diff::{document_text, DiffLine, LineChange};
use leptos::prelude::*;
use serde_json::Value;

/// A JSON document, keys sorted and indented; `null` shows `empty`.
#[component]
pub fn JsonView(
    value: Value,
    #[prop(optional)] empty: &'static str,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let text = document_text(&value);
    let empty = if empty.is_empty() { "(nothing)" } else { empty };
    view! {
        <pre class="mono json" data-testid=(!testid.is_empty()).then_some(testid)>
            {if text.is_empty() { empty.to_string() } else { text }}
        </pre>
    }
}

/// A line diff: removed lines in red with `-`, added ones in green with `+`.
#[component]
pub fn DiffView(lines: Vec<DiffLine>, #[prop(optional)] testid: &'static str) -> impl IntoView {
    let unchanged = lines.iter().all(|l| l.change == LineChange::Same);
    view! {
        <pre class="mono diff" data-testid=(!testid.is_empty()).then_some(testid)>
            {lines.into_iter().map(|line| {
                let class = match line.change {
                    LineChange::Same => "diff-same",
                    LineChange::Added => "diff-added",
                    LineChange::Removed => "diff-removed",
                };
                view! { <span class=class>{line.unified()}"\n"</span> }
            }).collect_view()}
        </pre>
        {unchanged.then(|| view! { <p class="hint">"No differences."</p> })}
    }
}
