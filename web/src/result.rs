//! Rendering a lookup: the execution, "nothing pending", or an explained error; and browsing a thing's executions.

use jobscope::{
    DescribeOutcome, EpochTime, ErrorCode, JobExecution, JobExecutionStatus, Plane, ServiceError,
    ThingName, Warning,
};
use leptos::prelude::*;

use crate::api::{self, Fetched};
use crate::form::{EndpointMode, Form};
use crate::timefmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Network,
    Pasted,
}

/// One finished lookup.
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    pub plane: Plane,
    pub url: String,
    pub outcome: Result<DescribeOutcome, ServiceError>,
    pub raw: Option<Fetched>,
    /// Epoch seconds when it arrived (the timeout countdown runs from here).
    pub received_at: f64,
    pub attempts: u32,
    pub source: Source,
}

impl Lookup {
    pub fn pasted(
        plane: Plane,
        outcome: Result<DescribeOutcome, ServiceError>,
        raw: Option<Fetched>,
    ) -> Lookup {
        Lookup {
            plane,
            url: String::new(),
            outcome,
            raw,
            received_at: api::now_ms() / 1000.0,
            attempts: 1,
            source: Source::Pasted,
        }
    }

    pub fn job_id(&self) -> Option<String> {
        match &self.outcome {
            Ok(DescribeOutcome::Execution { execution, .. }) => execution.job_id.clone(),
            _ => None,
        }
    }
}

fn status_class(status: &JobExecutionStatus) -> String {
    match status {
        JobExecutionStatus::Unknown(_) => "status status-unknown".into(),
        known => format!(
            "status status-{}",
            known.as_str().to_ascii_lowercase().replace('_', "-")
        ),
    }
}

#[component]
pub fn ResultView(
    lookup: RwSignal<Option<Lookup>>,
    now: RwSignal<f64>,
    on_control: Callback<()>,
) -> impl IntoView {
    move || {
        match lookup.get() {
        None => view! {
            <div class="empty-state">
                <p>"Describe a job execution to see it here — checked against the model, with every problem explained."</p>
                <p class="hint">"Try the demo: thingName " <code>"sensor-gateway-eu-west-0042"</code> " and jobId " <code>"$next"</code> "."</p>
            </div>
        }
        .into_any(),
        Some(l) => {
            let meta = match l.source {
                Source::Network => format!(
                    "{} plane · {}{}",
                    l.plane,
                    l.raw.as_ref().map(|r| format!("HTTP {} in {:.0} ms", r.status, r.elapsed_ms)).unwrap_or_else(|| "no response".into()),
                    if l.attempts > 1 { format!(" · {} attempts", l.attempts) } else { String::new() }
                ),
                Source::Pasted => format!("{} plane · pasted response", l.plane),
            };
            let body = match l.outcome.clone() {
                Ok(DescribeOutcome::Execution { execution, warnings }) => view! {
                    <ExecutionView execution=execution warnings=warnings received_at=l.received_at now=now />
                }
                .into_any(),
                Ok(DescribeOutcome::NothingPending { warnings }) => view! {
                    <article class="card nothing">
                        <h2>"Nothing pending"</h2>
                        <p>"The thing has no QUEUED or IN_PROGRESS job execution, so " <code>"$next"</code>
                           " answered with no execution. This is not an error."</p>
                        <Warnings warnings=warnings />
                    </article>
                }
                .into_any(),
                Err(error) => view! { <ErrorCard error=error on_control=on_control /> }.into_any(),
            };
            view! {
                <div class="lookup-result">
                    <p class="meta">{meta}</p>
                    {body}
                    <RawResponse raw=l.raw.clone() url=l.url.clone() />
                </div>
            }
            .into_any()
        }
    }
    }
}

#[component]
fn Warnings(warnings: Vec<Warning>) -> impl IntoView {
    (!warnings.is_empty()).then(|| {
        let count = warnings.len();
        view! {
            <section class="warnings" aria-label="Warnings">
                <h3>{format!("{count} warning{}", if count == 1 { "" } else { "s" })}</h3>
                <ul>
                    {warnings.into_iter().map(|w| view! {
                        <li><code class="code">{w.code.as_str()}</code> " " {w.message}</li>
                    }).collect::<Vec<_>>()}
                </ul>
            </section>
        }
    })
}

#[component]
fn Time(label: &'static str, time: Option<EpochTime>, now: RwSignal<f64>) -> impl IntoView {
    time.map(|t| {
        let raw = format!("{t} (epoch seconds)");
        view! {
            <li class="step">
                <span class="step-label">{label}</span>
                <time title=raw>{timefmt::local(t)}</time>
                <span class="relative">{move || timefmt::relative(t.as_f64(), now.get())}</span>
            </li>
        }
    })
}

#[component]
fn ExecutionView(
    execution: JobExecution,
    warnings: Vec<Warning>,
    received_at: f64,
    now: RwSignal<f64>,
) -> impl IntoView {
    let status = execution.status.clone();
    let badge = status
        .as_ref()
        .map(|s| view! { <span class=status_class(s)>{s.as_str().to_owned()}</span> });
    let countdown = execution
        .approximate_seconds_before_timed_out
        .filter(|_| status == Some(JobExecutionStatus::InProgress))
        .map(|seconds| {
            view! {
                <li class="step timeout">
                    <span class="step-label">"times out in"</span>
                    <span class="countdown" title=format!("approximateSecondsBeforeTimedOut: {seconds}")>
                        {move || timefmt::countdown(seconds - (now.get() - received_at) as i64)}
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
                {badge}
            </header>
            <dl class="facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd><code>{v}</code></dd> }).collect::<Vec<_>>()}
            </dl>
            <ol class="timeline" aria-label="Timeline">
                <Time label="queued" time=execution.queued_at now=now />
                <Time label="started" time=execution.started_at now=now />
                <Time label="last update" time=execution.last_updated_at now=now />
                {countdown}
            </ol>
            <Warnings warnings=warnings />
            {(!details.is_empty()).then(|| view! { <DetailsTable details=details /> })}
            {execution.job_document.clone().map(|document| view! { <JobDocument document=document /> })}
        </article>
    }
}

/// Rows of statusDetails shown before "Show all": the service's own documents hold a handful, a hostile or
/// broken one thousands, and a table of thousands of rows would stall the page.
const DETAILS_SHOWN: usize = 200;

#[component]
fn DetailsTable(details: jobscope::StatusDetails) -> impl IntoView {
    let total = details.len();
    let limit = RwSignal::new(DETAILS_SHOWN);
    let rows = move || {
        details
            .iter()
            .take(limit.get())
            .map(|(k, v)| view! { <tr><td><code>{k.to_owned()}</code></td><td>{v.to_owned()}</td></tr> })
            .collect::<Vec<_>>()
    };
    view! {
        <section class="details">
            <h3>{format!("statusDetails ({total})")}</h3>
            <table>
                <thead><tr><th scope="col">"key"</th><th scope="col">"value"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {move || (limit.get() < total).then(|| view! {
                <button type="button" class="link show-all" on:click=move |_| limit.set(total)>
                    {format!("Show all {total} entries ({} more)", total - limit.get())}
                </button>
            })}
        </section>
    }
}

/// A `<details>` whose content is built only once it is opened, so a closed one costs nothing to render.
#[component]
fn Collapsible(
    class: &'static str,
    summary: String,
    open: bool,
    content: impl Fn() -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let opened = RwSignal::new(open);
    view! {
        <details class=class open=open
            on:toggle=move |ev| opened.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
            <summary>{summary}</summary>
            {move || opened.get().then(&content)}
        </details>
    }
}

#[component]
fn JobDocument(document: String) -> impl IntoView {
    let size = document.chars().count();
    let (text, kind) = match pretty_json(&document) {
        Some(pretty) => (pretty, "JSON"),
        None => (document, "text, not JSON"),
    };
    let content = move || view! { <pre class="json">{text.clone()}</pre> }.into_any();
    view! {
        <Collapsible class="document" summary=format!("jobDocument ({kind}, {size} characters)")
            open=size <= 8_192 content=content />
    }
}

#[component]
fn ErrorCard(error: ServiceError, on_control: Callback<()>) -> impl IntoView {
    let explanation = error.explanation();
    let terminal = error.code == ErrorCode::TerminalStateException;
    let status = if error.http_status == 0 {
        "no HTTP response".to_owned()
    } else {
        format!("HTTP {}", error.http_status)
    };
    view! {
        <article class="card error" role="alert">
            <header>
                <h2>{explanation.title}</h2>
                <p class="error-code"><code>{error.code.as_str().to_owned()}</code> " · " {status}
                    {error.request_id.clone().map(|id| view! { " · request id " <code>{id}</code> })}
                    " · " {if error.retryable() { "retryable" } else { "not retryable" }}</p>
            </header>
            {error.message.clone().map(|m| view! { <blockquote class="server-message">{m}</blockquote> })}
            {error.payload.clone().map(|p| view! { <p>"payload: " <code>{p}</code></p> })}
            <p>{explanation.meaning}</p>
            <h3>"Likely causes"</h3>
            <ul>{explanation.causes.iter().map(|c| view! { <li>{*c}</li> }).collect::<Vec<_>>()}</ul>
            <h3>"What to do"</h3>
            <ol>{explanation.actions.iter().map(|a| view! { <li>{*a}</li> }).collect::<Vec<_>>()}</ol>
            {terminal.then(|| view! {
                <button type="button" class="primary" on:click=move |_| on_control.run(())>"View this execution on the control plane"</button>
            })}
        </article>
    }
}

#[component]
fn RawResponse(raw: Option<Fetched>, url: String) -> impl IntoView {
    raw.map(|raw| {
        let content = move || {
            let headers = raw
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("\n");
            let url = url.clone();
            view! {
                {(!url.is_empty()).then(|| view! { <p><code>{format!("GET {url}")}</code></p> })}
                <pre>{format!("HTTP {}\n{headers}", raw.status)}</pre>
                <pre class="body">{String::from_utf8_lossy(&raw.body).into_owned()}</pre>
            }
            .into_any()
        };
        view! { <Collapsible class="raw" summary="Raw response".to_owned() open=false content=content /> }
    })
}

/// The thing's executions from the control plane (ListJobExecutionsForThing); a click opens one.
#[component]
pub fn Browse(
    form: RwSignal<Form>,
    origin: String,
    on_open: Callback<(String, i64, bool)>,
) -> impl IntoView {
    let rows = RwSignal::new(None::<Result<Vec<(String, i64, String)>, ServiceError>>);
    let load = move |_| {
        let current = form.get_untracked();
        let Ok(thing) = ThingName::parse(&current.thing_name) else {
            return;
        };
        let base = match current.endpoint_mode {
            EndpointMode::Local => format!("{origin}/emulator/control"),
            EndpointMode::Custom | EndpointMode::Aws => {
                current.endpoint.trim().trim_end_matches('/').to_owned()
            }
        };
        let url = format!(
            "{base}/things/{}/jobs",
            jobscope::encode_label(thing.as_str())
        );
        leptos::task::spawn_local(async move {
            let Ok(controller) = web_sys::AbortController::new() else {
                return;
            };
            let result = match api::get(&url, &[], &controller).await {
                Err(e) => Err(e),
                Ok(fetched) if !(200..300).contains(&fetched.status) => {
                    Err(jobscope::decode_response(
                        Plane::Control,
                        None,
                        fetched.status,
                        &fetched.headers,
                        &fetched.body,
                    )
                    .err()
                    .unwrap_or_else(|| {
                        ServiceError::new(ErrorCode::HttpError, fetched.status, "unexpected status")
                    }))
                }
                Ok(fetched) => std::str::from_utf8(&fetched.body)
                    .ok()
                    .and_then(parse_summaries)
                    .ok_or_else(|| {
                        ServiceError::new(
                            ErrorCode::MalformedResponse,
                            fetched.status,
                            "not a ListJobExecutionsForThing result",
                        )
                    }),
            };
            rows.set(Some(result));
        });
    };
    view! {
        <section class="browse" aria-label="Executions of this thing">
            <button type="button" class="secondary" on:click=load>"List this thing's executions (control plane)"</button>
            {move || rows.get().map(|result| match result {
                Err(e) => view! { <p class="browse-error">{format!("{}: {}", e.code, e.message.unwrap_or_default())}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p>"No executions."</p> }.into_any(),
                Ok(list) => view! {
                    <table class="executions">
                        <thead><tr><th scope="col">"jobId"</th><th scope="col">"#"</th><th scope="col">"status"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|(job, number, status)| {
                                let terminal = JobExecutionStatus::from(status.as_str()).is_terminal();
                                let open = (job.clone(), number, terminal);
                                let class = status_class(&JobExecutionStatus::from(status.as_str()));
                                view! {
                                    <tr>
                                        <td><button type="button" class="link" on:click=move |_| on_open.run(open.clone())>{job}</button></td>
                                        <td>{number}</td>
                                        <td><span class=class>{status}</span></td>
                                    </tr>
                                }
                            }).collect::<Vec<_>>()}
                        </tbody>
                    </table>
                }
                .into_any(),
            })}
        </section>
    }
}

/// Re-indents JSON text, keeping its key order and number text exactly; `None` when it is not JSON.
pub fn pretty_json(text: &str) -> Option<String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.trim().chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&close) {
                    out.push(chars.next().unwrap_or(close));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    Some(out)
}

fn parse_summaries(body: &str) -> Option<Vec<(String, i64, String)>> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Summary {
        status: String,
        execution_number: i64,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Item {
        job_id: String,
        job_execution_summary: Summary,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct List {
        execution_summaries: Vec<Item>,
    }
    let list: List = serde_json::from_str(body).ok()?;
    Some(
        list.execution_summaries
            .into_iter()
            .map(|i| {
                (
                    i.job_id,
                    i.job_execution_summary.execution_number,
                    i.job_execution_summary.status,
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::pretty_json;

    #[test]
    fn pretty_json_keeps_order_and_text() {
        assert_eq!(
            pretty_json(r#"{"z":1,"a":[1.50,{}],"s":"x,{y}:\"q\""}"#).unwrap(),
            "{\n  \"z\": 1,\n  \"a\": [\n    1.50,\n    {}\n  ],\n  \"s\": \"x,{y}:\\\"q\\\"\"\n}"
        );
        assert_eq!(pretty_json("[ ]").unwrap(), "[]");
        assert_eq!(pretty_json("not json"), None);
    }
}
