//! An execution status as a coloured badge; statuses this build does not know get a neutral one.

use jobscope::JobExecutionStatus;
use leptos::prelude::*;

#[component]
pub fn StatusBadge(status: JobExecutionStatus) -> impl IntoView {
    let class = match &status {
        JobExecutionStatus::Unknown(_) => "status status-unknown".to_owned(),
        known => format!(
            "status status-{}",
            known.as_str().to_ascii_lowercase().replace('_', "-")
        ),
    };
    view! { <span class=class>{status.as_str().to_owned()}</span> }
}
