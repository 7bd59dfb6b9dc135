//! A described execution: status badge, numbers, the timeline with a live timeout countdown, warnings,
//! statusDetails and the job document.

use jobscope::{EpochTime, JobExecution, JobExecutionStatus, Warning};
use leptos::prelude::*;

use crate::components::details_table::DetailsTable;
use crate::components::job_document::JobDocument;
use crate::components::status_badge::StatusBadge;
use crate::components::timestamp::Timestamp;
use crate::components::warnings::Warnings;
use crate::{clock, timefmt};

#[component]
pub fn ExecutionView(
    execution: JobExecution,
    warnings: Vec<Warning>,
    /// Epoch milliseconds when the response arrived: `approximateSecondsBeforeTimedOut` counts from there.
    received_at_ms: i64,
) -> impl IntoView {
    // The clock the relative times and the countdown follow, ticking only while an execution is shown.
    let now_ms = clock::ticking();
    let status = execution.status.clone();
    let countdown = execution
        .approximate_seconds_before_timed_out
        .filter(|_| status == Some(JobExecutionStatus::InProgress))
        .map(|seconds| {
            let deadline_ms = received_at_ms.saturating_add(seconds.saturating_mul(1000));
            view! {
                <li class="step timeout">
                    <span class="step-label">"times out in"</span>
                    <span class="countdown" title=format!("approximateSecondsBeforeTimedOut: {seconds}")>
                        {move || timefmt::countdown(jobscope::seconds_until(deadline_ms, now_ms.get()))}
                    </span>
                    <span class="relative">"(up to 60 s later)"</span>
                </li>
            }
        });
    let facts: Vec<(&'static str, String)> = [
        ("jobId", execution.job_id.clone()),
        ("thingName", execution.thing_name.clone()),
        ("thingArn", execution.thing_arn.clone()),
        (
            "executionNumber",
            execution.execution_number.map(|n| n.to_string()),
        ),
        (
            "versionNumber",
            execution.version_number.map(|n| n.to_string()),
        ),
        (
            "forceCanceled",
            execution.force_canceled.map(|b| b.to_string()),
        ),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let details = execution.status_details.clone().unwrap_or_default();
    view! {
        <article class="card execution">
            <header class="execution-head">
                <h2>{execution.job_id.clone().unwrap_or_else(|| "(no jobId)".into())}</h2>
                {status.map(|status| view! { <StatusBadge status=status /> })}
            </header>
            <dl class="facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd><code>{v}</code></dd> }).collect::<Vec<_>>()}
            </dl>
            <ol class="timeline" aria-label="Timeline">
                <Time label="queued" time=execution.queued_at now_ms=now_ms />
                <Time label="started" time=execution.started_at now_ms=now_ms />
                <Time label="last update" time=execution.last_updated_at now_ms=now_ms />
                {countdown}
            </ol>
            <Warnings warnings=warnings />
            {(!details.is_empty()).then(|| view! { <DetailsTable details=details /> })}
            {execution.job_document.clone().map(|document| view! { <JobDocument document=document /> })}
        </article>
    }
}

/// One step of the timeline: local time, the raw epoch value on hover, and how long ago.
#[component]
fn Time(label: &'static str, time: Option<EpochTime>, now_ms: RwSignal<i64>) -> impl IntoView {
    time.map(|time| {
        view! {
            <li class="step">
                <span class="step-label">{label}</span>
                <Timestamp time=time now_ms=now_ms />
            </li>
        }
    })
}
