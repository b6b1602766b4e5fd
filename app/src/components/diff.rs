//! Showing JSON documents, line diffs between them, and the field-by-field differences
//! between two task definition revisions.

use crate::domain::{
    iam::diff::{document_text, DiffLine, LineChange},
    task_definitions::{FieldChange, FieldChangeKind},
};
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

/// The field-by-field differences between two task definition revisions (the family page
/// compares two; a rollout's history entry shows what it changed).
#[component]
pub fn ChangeTable(changes: Vec<FieldChange>) -> impl IntoView {
    if changes.is_empty() {
        return view! { <section class="panel"><p class="empty">"The two revisions are the same."</p></section> }.into_any();
    }
    view! {
        <section class="panel" aria-labelledby="changes-title">
            <h2 id="changes-title">"Differences"</h2>
            <table class="table" data-testid="changes">
                <thead><tr>
                    <th scope="col">"What"</th><th scope="col">"Change"</th>
                    <th scope="col">"Before"</th><th scope="col">"After"</th>
                </tr></thead>
                <tbody>
                    {changes.into_iter().map(|c| {
                        let kind = match c.kind { FieldChangeKind::Added => "added", FieldChangeKind::Removed => "removed", FieldChangeKind::Changed => "changed" };
                        view! {
                            <tr class=format!("change-{kind}") title=c.summary.clone()>
                                <td class="mono">{c.path}</td>
                                <td>{kind}</td>
                                <td class="mono">{c.before}</td>
                                <td class="mono">{c.after}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }.into_any()
}
