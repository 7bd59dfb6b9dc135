//! The thing's pending executions, as `notify` and GetPendingJobExecutions over MQTT list them: in progress, then
//! queued, one row a summary.

use jobscope::codec::{JobExecutionSummary, PendingJobExecutions};
use jobscope::{EpochTime, JobExecutionStatus, Warning};
use leptos::prelude::*;

use crate::clock;
use crate::components::status_badge::StatusBadge;
use crate::components::timestamp::Timestamp;
use crate::components::warnings::Warnings;

#[component]
pub fn PendingList(pending: PendingJobExecutions, warnings: Vec<Warning>) -> impl IntoView {
    let now_ms = clock::ticking();
    let PendingJobExecutions {
        in_progress_jobs,
        queued_jobs,
    } = pending;
    let (in_progress, queued) = (in_progress_jobs.len(), queued_jobs.len());
    let rows = in_progress_jobs
        .into_iter()
        .map(|s| (JobExecutionStatus::InProgress, s))
        .chain(
            queued_jobs
                .into_iter()
                .map(|s| (JobExecutionStatus::Queued, s)),
        )
        .map(|(status, summary)| view! { <Row status=status summary=summary now_ms=now_ms /> })
        .collect::<Vec<_>>();
    let table = (!rows.is_empty()).then(|| view! {
        <table>
            <thead><tr>
                <th scope="col">"status"</th><th scope="col">"jobId"</th><th scope="col">"executionNumber"</th>
                <th scope="col">"versionNumber"</th><th scope="col">"queued"</th><th scope="col">"started"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    });
    let empty = table.is_none();
    let title = if empty {
        "Nothing pending".to_owned()
    } else {
        format!("Pending executions: {in_progress} in progress, {queued} queued")
    };
    view! {
        <article class="card pending">
            <h2>{title}</h2>
            {empty.then_some(view! { <p>"The thing has no QUEUED or IN_PROGRESS job execution. This is not an error."</p> })}
            <Warnings warnings=warnings />
            {table}
        </article>
    }
}

#[component]
fn Row(
    status: JobExecutionStatus,
    summary: JobExecutionSummary,
    now_ms: RwSignal<i64>,
) -> impl IntoView {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let time =
        move |t: Option<EpochTime>| t.map(|time| view! { <Timestamp time=time now_ms=now_ms /> });
    view! {
        <tr>
            <td><StatusBadge status=status /></td>
            <td data-label="jobId"><code>{summary.job_id.unwrap_or_else(|| "(no jobId)".into())}</code></td>
            <td data-label="executionNumber">{number(summary.execution_number)}</td>
            <td data-label="versionNumber">{number(summary.version_number)}</td>
            <td data-label="queued">{time(summary.queued_at)}</td>
            <td data-label="started">{time(summary.started_at)}</td>
        </tr>
    }
}
