//! `executionState` — status, versionNumber, statusDetails — as an MQTT update's answer or a rejection carries it.

use jobscope::codec::JobExecutionState;
use leptos::prelude::*;

use crate::components::details_table::DetailsTable;
use crate::components::status_badge::StatusBadge;

#[component]
pub fn ExecutionState(
    state: JobExecutionState,
    /// What the state is, after the heading.
    note: &'static str,
) -> impl IntoView {
    let JobExecutionState {
        status,
        status_details,
        version_number,
    } = state;
    let details = status_details.filter(|d| !d.is_empty());
    view! {
        <h3>"executionState " <small class="hint">{note}</small></h3>
        <dl class="facts execution-state">
            <dt>"status"</dt>
            <dd>{status.map(|s| view! { <StatusBadge status=s /> })}</dd>
            <dt>"versionNumber"</dt>
            <dd>{version_number.map_or_else(|| "(none)".to_owned(), |n| n.to_string())}</dd>
        </dl>
        {details.map(|details| view! { <DetailsTable details=details /> })}
    }
}
