//! An MQTT UpdateJobExecution accepted: the execution's state after the update, and the job document when asked for.

use jobscope::Warning;
use jobscope::codec::UpdateJobExecutionResponse;
use leptos::prelude::*;

use crate::components::execution_state::ExecutionState;
use crate::components::job_document::JobDocument;
use crate::components::warnings::Warnings;

#[component]
pub fn Updated(answer: UpdateJobExecutionResponse, warnings: Vec<Warning>) -> impl IntoView {
    view! {
        <article class="card updated">
            <h2>"Update accepted"</h2>
            {answer.execution_state.is_none().then_some(view! {
                <p>"The update was applied. The reply carries no executionState: the request did not set "
                   <code>"includeJobExecutionState"</code> "."</p>
            })}
            {answer.execution_state.map(|state| view! { <ExecutionState state=state note="after the update" /> })}
            <Warnings warnings=warnings />
            {answer.job_document.map(|document| view! { <JobDocument document=document /> })}
        </article>
    }
}
