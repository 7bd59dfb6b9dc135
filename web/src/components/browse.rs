//! A thing's executions from the control plane (ListJobExecutionsForThing, path and body by the core's codec);
//! a click puts that execution in the form — on the control plane when it has ended, the only plane that still
//! describes it — and has the page describe it.

use jobscope::codec::headers::{ACCEPT, JSON};
use jobscope::codec::{ListBody, ListJobExecutionsForThing, thing_jobs_path};
use jobscope::{Plane, ServiceError, ThingName};
use leptos::prelude::*;

use crate::Page;
use crate::api;
use crate::components::status_badge::StatusBadge;

/// An execution a click opens: its job, its number, and whether it has ended.
#[derive(Clone, Debug, PartialEq)]
struct Opened {
    job_id: String,
    execution_number: i64,
    terminal: bool,
}

async fn list(url: String, timeout_ms: u32) -> Result<ListJobExecutionsForThing, ServiceError> {
    let headers = [(ACCEPT.to_owned(), JSON.to_owned())];
    let fetched = api::get(&url, &headers, timeout_ms).await?;
    ListJobExecutionsForThing::decode(fetched.status, &fetched.headers, &fetched.body)
}

#[component]
pub fn Browse(page: Page) -> impl IntoView {
    let form = page.form;
    let load = api::Task::new();
    let start = move |_| {
        let current = form.get_untracked();
        let (Ok(thing), Ok(endpoint), Ok(timeout_ms)) = (
            ThingName::parse(&current.thing_name),
            current.endpoint_for(Plane::Control, &crate::page::origin()),
            current.timeout_ms(),
        ) else {
            return;
        };
        load.run(list(
            format!("{endpoint}{}", thing_jobs_path(&thing)),
            timeout_ms,
        ));
    };
    let open = move |opened: Opened| {
        form.update(|f| {
            f.job_id = opened.job_id;
            f.execution_number = opened.execution_number.to_string();
            if opened.terminal {
                f.plane = Plane::Control;
                f.include_job_document = None;
            }
        });
        page.start(true);
    };
    let rows = move || {
        load.value.get().map(|result| match result {
            Err(e) => view! { <p class="browse-error">{format!("{}: {}", e.code, e.message.unwrap_or_default())}</p> }.into_any(),
            Ok(list) if list.execution_summaries.is_empty() => view! { <p>"No executions."</p> }.into_any(),
            Ok(list) => view! {
                <table class="executions">
                    <thead><tr><th scope="col">"jobId"</th><th scope="col">"#"</th><th scope="col">"status"</th></tr></thead>
                    <tbody>
                        {list.execution_summaries.into_iter().map(|item| {
                            let summary = item.job_execution_summary;
                            let number = summary.execution_number;
                            let opened = item.job_id.clone().zip(number).map(|(job_id, execution_number)| Opened {
                                job_id,
                                execution_number,
                                terminal: summary.status.as_ref().is_some_and(|s| s.is_terminal()),
                            });
                            let job = item.job_id.unwrap_or_else(|| "(no jobId)".into());
                            view! {
                                <tr>
                                    <td><button type="button" class="link" prop:disabled=opened.is_none()
                                        on:click=move |_| if let Some(opened) = opened.clone() { open(opened) }>{job}</button></td>
                                    <td>{number.map(|n| n.to_string()).unwrap_or_default()}</td>
                                    <td>{summary.status.map(|status| view! { <StatusBadge status=status /> })}</td>
                                </tr>
                            }
                        }).collect::<Vec<_>>()}
                    </tbody>
                </table>
            }
            .into_any(),
        })
    };
    view! {
        <section class="browse" aria-label="Executions of this thing">
            <button type="button" class="secondary" prop:disabled=move || load.busy.get() on:click=start>
                "List this thing's executions (control plane)"
            </button>
            {rows}
        </section>
    }
}
