//! jobscope-web: the viewer. Every check, request, decode and explanation comes from the core crate; this crate
//! only holds state and renders it. Everything from a server is rendered as text.

mod api;
mod form;
mod history;
mod result;
mod timefmt;

use std::time::Duration;

use jobscope::sigv4::Credentials;
use jobscope::{
    DescribeJobExecutionRequest, Endpoint, ErrorCode, Plane, ServiceError, Violation, ViolationCode,
};
use leptos::prelude::*;

pub use crate::api::Fetched;
pub use crate::form::{EndpointMode, Form};
use crate::result::{Lookup, ResultView, Source};

/// What the lookup is doing.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Idle,
    Loading {
        attempt: u32,
    },
    Waiting {
        next_attempt: u32,
        seconds: f64,
        reason: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Lookup,
    Paste,
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

fn page_origin() -> String {
    location()
        .and_then(|l| l.origin().ok())
        .unwrap_or_else(|| "http://127.0.0.1:8080".into())
}

/// Puts `query` in the page URL: a new history entry (`push`) or the current one.
fn set_url(query: &str, push: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let path = location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_else(|| "/".into());
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let current = location().and_then(|l| l.search().ok()).unwrap_or_default();
    if !push && current.trim_start_matches('?') == query {
        return;
    }
    let state = wasm_bindgen::JsValue::NULL;
    let _ = if push {
        history.push_state_with_url(&state, "", Some(&url))
    } else {
        history.replace_state_with_url(&state, "", Some(&url))
    };
}

/// AWS credentials as typed. Held in a signal only: never in the URL, history or storage; gone on reload.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AwsCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

impl AwsCredentials {
    fn to_credentials(&self) -> Credentials {
        Credentials {
            access_key_id: self.access_key_id.trim().to_owned(),
            secret_access_key: self.secret_access_key.clone(),
            session_token: (!self.session_token.trim().is_empty())
                .then(|| self.session_token.trim().to_owned()),
        }
    }
}

type Validation = Result<(DescribeJobExecutionRequest, Endpoint), Vec<Violation>>;

/// The form's checks plus, in AWS mode, the signing inputs (region, access key, secret).
fn validate(form: &Form, credentials: &AwsCredentials, origin: &str) -> Validation {
    let mut result = form.validate(origin);
    if form.endpoint_mode != EndpointMode::Aws {
        return result;
    }
    let mut extra = Vec::new();
    let mut require = |field: &'static str, value: &str| {
        if value.trim().is_empty() {
            extra.push(Violation {
                field,
                code: ViolationCode::Required,
                message: format!("{field}: is required"),
            });
        }
    };
    require("region", &form.region);
    require("accessKeyId", &credentials.access_key_id);
    require("secretAccessKey", &credentials.secret_access_key);
    let region = form.region.trim();
    if !region.is_empty() && !jobscope::sigv4::is_region_name(region) {
        extra.push(Violation {
            field: "region",
            code: ViolationCode::Pattern,
            message: format!("region: must be a region name such as eu-west-1, got {region:?}"),
        });
    }
    let via = form.via.trim();
    if !via.is_empty() && (!via.starts_with('/') || via.contains(['?', '#', ' '])) {
        extra.push(Violation {
            field: "via",
            code: ViolationCode::Pattern,
            message: "via: must be a path on this server starting with /, such as /aws-jobs".into(),
        });
    }
    if !extra.is_empty() {
        let mut all = result.err().unwrap_or_default();
        all.extend(extra);
        result = Err(all);
    }
    result
}

fn field_errors(
    validation: &Result<(DescribeJobExecutionRequest, Endpoint), Vec<Violation>>,
    field: &str,
) -> Vec<String> {
    match validation {
        Ok(_) => Vec::new(),
        Err(violations) => violations
            .iter()
            .filter(|v| v.field == field)
            .map(|v| v.message.clone())
            .collect(),
    }
}

/// The viewer.
#[component]
pub fn App() -> impl IntoView {
    let search = location().and_then(|l| l.search().ok()).unwrap_or_default();
    let form = RwSignal::new(Form::from_query(&search));
    let lookup = RwSignal::new(None::<Lookup>);
    let phase = RwSignal::new(Phase::Idle);
    let touched = RwSignal::new(false);
    let generation = StoredValue::new(0u64);
    // The query of the lookup the current history entry shows.
    let shown_query = StoredValue::new(None::<String>);
    let controller = StoredValue::new_local(None::<web_sys::AbortController>);
    let history = RwSignal::new(history::load());
    let tab = RwSignal::new(Tab::Lookup);
    let now = RwSignal::new(api::now_ms() / 1000.0);
    let origin = page_origin();
    let credentials = RwSignal::new(AwsCredentials::default());
    let validation = Memo::new({
        let origin = origin.clone();
        move |_| form.with(|f| credentials.with(|c| validate(f, c, &origin)))
    });

    if let Ok(handle) = set_interval_with_handle(
        move || now.set(api::now_ms() / 1000.0),
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }

    // The form lives in the URL: every edit replaces it; a lookup pushes it (so back/forward walk lookups).
    Effect::new(move |_| {
        let query = form.with(Form::to_query);
        set_url(&query, false);
    });

    let cancel = move || {
        generation.update_value(|g| *g += 1);
        controller.with_value(|c| {
            if let Some(c) = c {
                c.abort();
            }
        });
        phase.set(Phase::Idle);
    };

    let describe = move |push: bool| {
        touched.set(true);
        let Ok((request, endpoint)) = validation.get_untracked() else {
            return;
        };
        cancel();
        let current = form.get_untracked();
        let query = current.to_query();
        // Edits rewrite the current entry's URL as you type; a lookup of something new becomes its own entry, and
        // the entry it leaves goes back to showing the lookup it held, so back/forward walk the lookups.
        match shown_query.get_value() {
            Some(shown) if push && shown != query => {
                set_url(&shown, false);
                set_url(&query, true);
            }
            _ => set_url(&query, false),
        }
        shown_query.set_value(Some(query));
        history.set(history::remember(&current));
        let run = generation.get_value();
        let http = request.to_http(Some(&endpoint));
        let plane = request.plane();
        // AWS mode: sign for the real endpoint; send there, or through a same-origin forwarding proxy.
        let (url, signed) = if current.endpoint_mode == EndpointMode::Aws {
            let creds = credentials.get_untracked().to_credentials();
            let now = (api::now_ms() / 1000.0).floor() as i64;
            let signed = match request.sign(&endpoint, &creds, current.region.trim(), now) {
                Ok(signed) => signed.headers,
                Err(e) => {
                    lookup.set(Some(Lookup::pasted(
                        plane,
                        Err(ServiceError::transport(
                            ErrorCode::InvalidSignatureException,
                            e.to_string(),
                        )),
                        None,
                    )));
                    return;
                }
            };
            let via = current.via.trim().trim_end_matches('/');
            let url = if via.is_empty() {
                http.url.clone()
            } else {
                let query = if http.query.is_empty() {
                    String::new()
                } else {
                    format!("?{}", http.query)
                };
                format!("{}{via}{}{query}", page_origin(), http.path)
            };
            (url, signed)
        } else {
            (http.url.clone(), Vec::new())
        };
        leptos::task::spawn_local(async move {
            for attempt in 1..=api::MAX_ATTEMPTS {
                if generation.get_value() != run {
                    return;
                }
                phase.set(Phase::Loading { attempt });
                let Ok(abort) = web_sys::AbortController::new() else {
                    return;
                };
                controller.set_value(Some(abort.clone()));
                let fetched = api::get(&url, &signed, &abort).await;
                if generation.get_value() != run {
                    return;
                }
                let (outcome, raw) = match fetched {
                    Ok(fetched) => {
                        let outcome = request.decode_response(
                            fetched.status,
                            &fetched.headers,
                            &fetched.body,
                        );
                        (outcome, Some(fetched))
                    }
                    Err(error) => (Err(error), None),
                };
                let retry =
                    matches!(&outcome, Err(e) if e.retryable()) && attempt < api::MAX_ATTEMPTS;
                if retry {
                    let wait = api::backoff_ms(attempt);
                    let reason = match &outcome {
                        Err(e) if e.code == ErrorCode::ThrottlingException => {
                            "throttled".to_owned()
                        }
                        Err(e) => e.explanation().title.to_lowercase(),
                        Ok(_) => String::new(),
                    };
                    phase.set(Phase::Waiting {
                        next_attempt: attempt + 1,
                        seconds: wait / 1000.0,
                        reason,
                    });
                    api::sleep(wait).await;
                    continue;
                }
                lookup.set(Some(Lookup {
                    plane,
                    url: url.clone(),
                    outcome,
                    raw,
                    received_at: api::now_ms() / 1000.0,
                    attempts: attempt,
                    source: Source::Network,
                }));
                phase.set(Phase::Idle);
                return;
            }
        });
    };

    // Back/forward restore the form and its lookup.
    let popstate = window_event_listener(leptos::ev::popstate, move |_| {
        let search = location().and_then(|l| l.search().ok()).unwrap_or_default();
        let restored = Form::from_query(&search);
        let complete = restored.is_complete();
        form.set(restored);
        if complete {
            describe(false);
        }
    });
    on_cleanup(move || popstate.remove());

    // A shared URL describes right away.
    if form.with_untracked(Form::is_complete) {
        describe(false);
    }

    let view_on_control_plane = Callback::new(move |()| {
        form.update(|f| {
            f.plane = Plane::Control;
            f.include_job_document = None;
            if f.job_id == jobscope::NEXT
                && let Some(job) = lookup.with_untracked(|l| l.as_ref().and_then(Lookup::job_id))
            {
                f.job_id = job;
            }
        });
        describe(true);
    });
    // A terminal execution is only described by the control plane: open it there.
    let open_execution = Callback::new(move |(job_id, number, terminal): (String, i64, bool)| {
        form.update(|f| {
            f.job_id = job_id;
            f.execution_number = number.to_string();
            if terminal {
                f.plane = Plane::Control;
                f.include_job_document = None;
            }
        });
        describe(true);
    });

    view! {
        <header class="top">
            <h1>"jobscope"</h1>
            <p class="tagline">"AWS IoT Jobs " <code>"DescribeJobExecution"</code> ": build, fetch, check, explain"</p>
            <nav class="tabs" role="tablist">
                <button role="tab" aria-selected=move || (tab.get() == Tab::Lookup).to_string()
                    class:active=move || tab.get() == Tab::Lookup on:click=move |_| tab.set(Tab::Lookup)>"Look up"</button>
                <button role="tab" aria-selected=move || (tab.get() == Tab::Paste).to_string()
                    class:active=move || tab.get() == Tab::Paste on:click=move |_| tab.set(Tab::Paste)>"Paste a response"</button>
            </nav>
        </header>
        <main class="layout">
            <section class="panel form-panel">
                <Show when=move || tab.get() == Tab::Lookup fallback=move || view! { <PastePanel lookup=lookup /> }>
                    <LookupForm form=form credentials=credentials validation=validation touched=touched phase=phase
                        on_describe=Callback::new(move |()| describe(true)) on_cancel=Callback::new(move |()| cancel()) />
                    <Preview form=form validation=validation />
                    <HistoryList history=history form=form on_pick=Callback::new(move |()| describe(true)) />
                </Show>
            </section>
            <section class="panel result-panel" aria-live="polite" aria-busy=move || (phase.get() != Phase::Idle).to_string()>
                <PhaseBanner phase=phase />
                <ResultView lookup=lookup now=now on_control=view_on_control_plane />
                <Show when=move || tab.get() == Tab::Lookup && form.with(|f| !f.thing_name.is_empty() && f.endpoint_mode != EndpointMode::Aws)>
                    <result::Browse form=form origin=origin.clone() on_open=open_execution />
                </Show>
            </section>
        </main>
        <footer class="foot">
            "Times are shown in your time zone; hover one for the raw epoch value. Nothing you enter leaves this page but the request itself."
        </footer>
    }
}

#[component]
fn PhaseBanner(phase: RwSignal<Phase>) -> impl IntoView {
    move || {
        match phase.get() {
        Phase::Idle => ().into_any(),
        Phase::Loading { attempt } => {
            let text = if attempt > 1 {
                format!("Describing… attempt {attempt} of {}", api::MAX_ATTEMPTS)
            } else {
                "Describing…".to_owned()
            };
            view! { <p class="phase loading" role="status"><span class="spinner" aria-hidden="true"></span>{text}</p> }.into_any()
        }
        Phase::Waiting { next_attempt, seconds, reason } => view! {
            <p class="phase waiting" role="status">
                {format!("{reason} — retrying in {seconds:.1} s, attempt {next_attempt} of {}", api::MAX_ATTEMPTS)}
            </p>
        }
        .into_any(),
    }
    }
}

#[component]
fn FieldErrors(
    validation: Memo<Validation>,
    field: &'static str,
    id: &'static str,
    show: Signal<bool>,
) -> impl IntoView {
    view! {
        <ul class="field-errors" id=id>
            {move || {
                if !show.get() {
                    return Vec::new();
                }
                validation.with(|v| field_errors(v, field)).into_iter().map(|m| view! { <li>{m}</li> }).collect::<Vec<_>>()
            }}
        </ul>
    }
}

#[component]
fn LookupForm(
    form: RwSignal<Form>,
    credentials: RwSignal<AwsCredentials>,
    validation: Memo<Validation>,
    touched: RwSignal<bool>,
    phase: RwSignal<Phase>,
    on_describe: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let shown = move |field: &'static str| {
        Signal::derive(move || {
            touched.get()
                || form.with(|f| match field {
                    "thingName" => !f.thing_name.is_empty(),
                    "jobId" => !f.job_id.is_empty(),
                    "executionNumber" => !f.execution_number.is_empty(),
                    "endpoint" => f.endpoint_mode != EndpointMode::Local,
                    _ => true,
                })
        })
    };
    let invalid = move |field: &'static str| {
        move || {
            validation
                .with(|v| !field_errors(v, field).is_empty())
                .to_string()
        }
    };
    let data_plane = move || form.with(|f| f.plane == Plane::Data);
    let busy = move || phase.get() != Phase::Idle;
    view! {
        <form class="lookup" on:submit=move |ev| { ev.prevent_default(); on_describe.run(()); }>
            <fieldset class="plane">
                <legend>"Plane"</legend>
                <label><input type="radio" name="plane" value="data" prop:checked=data_plane
                    on:change=move |_| form.update(|f| f.plane = Plane::Data) />
                    " Data " <small>"iot-jobs-data (devices)"</small></label>
                <label><input type="radio" name="plane" value="control" prop:checked=move || !data_plane()
                    on:change=move |_| form.update(|f| { f.plane = Plane::Control; f.include_job_document = None; if f.job_id == jobscope::NEXT { f.job_id.clear(); } }) />
                    " Control " <small>"iot (operators)"</small></label>
            </fieldset>

            <label for="endpoint-mode">"Endpoint"</label>
            <select id="endpoint-mode" on:change=move |ev| {
                let mode = match event_target_value(&ev).as_str() {
                    "custom" => EndpointMode::Custom,
                    "aws" => EndpointMode::Aws,
                    _ => EndpointMode::Local,
                };
                form.update(|f| f.endpoint_mode = mode);
            } prop:value=move || match form.with(|f| f.endpoint_mode) {
                EndpointMode::Local => "local",
                EndpointMode::Custom => "custom",
                EndpointMode::Aws => "aws",
            }>
                <option value="local">"Local emulator (through this dev server)"</option>
                <option value="custom">"Custom base URL (unsigned)"</option>
                <option value="aws">"AWS account (SigV4-signed)"</option>
            </select>
            <Show when=move || form.with(|f| f.endpoint_mode != EndpointMode::Local)>
                <input id="endpoint" type="url" placeholder="https://<prefix>.jobs.iot.<region>.amazonaws.com"
                    aria-invalid=invalid("endpoint") aria-describedby="endpoint-errors"
                    prop:value=move || form.with(|f| f.endpoint.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.endpoint = v); } />
                <p class="hint">"Data plane: your account's endpoint from " <code>"aws iot describe-endpoint --endpoint-type iot:Jobs"</code>
                    ". Control plane: " <code>"https://iot.<region>.amazonaws.com"</code> "."</p>
            </Show>
            <FieldErrors validation=validation field="endpoint" id="endpoint-errors" show=shown("endpoint") />
            <Show when=move || form.with(|f| f.endpoint_mode == EndpointMode::Aws)>
                <AwsFields form=form credentials=credentials validation=validation touched=touched />
            </Show>

            <label for="thing-name">"thingName"</label>
            <input id="thing-name" name="thingName" autocomplete="off" spellcheck="false" placeholder="sensor-gateway-eu-west-0042"
                aria-invalid=invalid("thingName") aria-describedby="thing-name-errors"
                prop:value=move || form.with(|f| f.thing_name.clone())
                on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.thing_name = v); } />
            <FieldErrors validation=validation field="thingName" id="thing-name-errors" show=shown("thingName") />

            <label for="job-id">"jobId"</label>
            <div class="row">
                <input id="job-id" name="jobId" autocomplete="off" spellcheck="false" placeholder="firmware-update-2024-06-15-batch-017"
                    aria-invalid=invalid("jobId") aria-describedby="job-id-errors"
                    prop:value=move || form.with(|f| f.job_id.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.job_id = v); } />
                <Show when=data_plane>
                    <button type="button" class="secondary" title="The next pending execution: IN_PROGRESS first, then QUEUED"
                        on:click=move |_| form.update(|f| { f.job_id = jobscope::NEXT.into(); f.execution_number.clear(); })>"$next"</button>
                </Show>
            </div>
            <FieldErrors validation=validation field="jobId" id="job-id-errors" show=shown("jobId") />

            <label for="execution-number">"executionNumber " <small>"optional; the latest when empty"</small></label>
            <input id="execution-number" name="executionNumber" inputmode="numeric" autocomplete="off" placeholder="1"
                aria-invalid=invalid("executionNumber") aria-describedby="execution-number-errors"
                prop:value=move || form.with(|f| f.execution_number.clone())
                on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.execution_number = v); } />
            <FieldErrors validation=validation field="executionNumber" id="execution-number-errors" show=shown("executionNumber") />

            <Show when=data_plane>
                <label for="include-document">"includeJobDocument"</label>
                <select id="include-document"
                    prop:value=move || match form.with(|f| f.include_job_document) { None => "", Some(true) => "true", Some(false) => "false" }
                    on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.include_job_document = v.parse().ok()); }>
                    <option value="">"not sent (the service sends it)"</option>
                    <option value="true">"true"</option>
                    <option value="false">"false"</option>
                </select>
            </Show>

            <div class="actions">
                <button type="submit" class="primary" prop:disabled=move || validation.with(Result::is_err) || busy()>"Describe"</button>
                <Show when=busy>
                    <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </Show>
            </div>
        </form>
    }
}

/// Region, forwarding proxy and credentials for signed requests. Credentials stay in memory: the inputs are not
/// part of the URL, the history or any storage, and a reload clears them.
#[component]
fn AwsFields(
    form: RwSignal<Form>,
    credentials: RwSignal<AwsCredentials>,
    validation: Memo<Validation>,
    touched: RwSignal<bool>,
) -> impl IntoView {
    let show =
        Signal::derive(move || touched.get() || credentials.with(|c| !c.access_key_id.is_empty()));
    let form_field = move |get: fn(&Form) -> String, put: fn(&mut Form, String)| {
        (
            Signal::derive(move || form.with(get)),
            Callback::new(move |v: String| form.update(|f| put(f, v))),
        )
    };
    let secret_field = move |get: fn(&AwsCredentials) -> String,
                             put: fn(&mut AwsCredentials, String)| {
        (
            Signal::derive(move || credentials.with(get)),
            Callback::new(move |v: String| credentials.update(|c| put(c, v))),
        )
    };
    let (region, set_region) = form_field(|f| f.region.clone(), |f, v| f.region = v);
    let (via, set_via) = form_field(|f| f.via.clone(), |f, v| f.via = v);
    let (key, set_key) = secret_field(|c| c.access_key_id.clone(), |c, v| c.access_key_id = v);
    let (secret, set_secret) = secret_field(
        |c| c.secret_access_key.clone(),
        |c, v| c.secret_access_key = v,
    );
    let (token, set_token) = secret_field(|c| c.session_token.clone(), |c, v| c.session_token = v);
    view! {
        <TextInput id="region" label="Region" hint="" placeholder="eu-west-1" secret=false value=region set=set_region />
        <FieldErrors validation=validation field="region" id="region-errors" show=show />
        <TextInput id="via" label="Send through"
            hint="a forwarding proxy on this server, e.g. /aws-jobs (browsers cannot call the Jobs endpoints directly: no CORS)"
            placeholder="/aws-jobs" secret=false value=via set=set_via />
        <FieldErrors validation=validation field="via" id="via-errors" show=show />
        <fieldset class="credentials">
            <legend>"Credentials " <small>"kept in this page's memory only — never saved, never in the URL"</small></legend>
            <TextInput id="access-key-id" label="Access key id" hint="" placeholder="" secret=false value=key set=set_key />
            <FieldErrors validation=validation field="accessKeyId" id="access-key-id-errors" show=show />
            <TextInput id="secret-access-key" label="Secret access key" hint="" placeholder="" secret=true value=secret set=set_secret />
            <FieldErrors validation=validation field="secretAccessKey" id="secret-access-key-errors" show=show />
            <TextInput id="session-token" label="Session token" hint="optional" placeholder="" secret=true value=token set=set_token />
        </fieldset>
    }
}

/// One labelled text input bound to a signal (one instantiation shared by every such field keeps the wasm small).
#[component]
fn TextInput(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    placeholder: &'static str,
    secret: bool,
    value: Signal<String>,
    set: Callback<String>,
) -> impl IntoView {
    view! {
        <label for=id>{label} " " <small>{hint}</small></label>
        <input id=id type=if secret { "password" } else { "text" } autocomplete="off" spellcheck="false" placeholder=placeholder
            prop:value=move || value.get() on:input=move |ev| set.run(event_target_value(&ev)) />
    }
}

#[component]
fn Preview(
    form: RwSignal<Form>,
    validation: Memo<Result<(DescribeJobExecutionRequest, Endpoint), Vec<Violation>>>,
) -> impl IntoView {
    let _ = form;
    move || {
        match validation.get() {
        Err(_) => view! { <p class="preview-empty">"The request preview appears when the form is valid."</p> }.into_any(),
        Ok((request, endpoint)) => {
            let http = request.to_http(Some(&endpoint));
            let curl = request.to_curl(Some(&endpoint));
            let cli = request.to_aws_cli(Some(&endpoint));
            let mqtt = request.to_mqtt();
            view! {
                <section class="preview" aria-label="Request preview">
                    <h2>"Request"</h2>
                    <p class="request-line"><span class="method">{http.method}</span> " " <code class="url">{http.url.clone()}</code></p>
                    <Copyable label="curl" text=curl />
                    <Copyable label="AWS CLI" text=cli />
                    {mqtt.map(|m| view! {
                        <Copyable label="MQTT topic" text=m.topic />
                        <Copyable label="MQTT payload" text=m.payload />
                    })}
                </section>
            }
            .into_any()
        }
    }
    }
}

#[component]
fn Copyable(label: &'static str, text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let value = text.clone();
    view! {
        <div class="copyable">
            <span class="copy-label">{label}</span>
            <pre><code>{text}</code></pre>
            <button type="button" class="copy" aria-label=format!("Copy {label}") on:click=move |_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.navigator().clipboard().write_text(&value);
                    copied.set(true);
                    set_timeout(move || copied.set(false), Duration::from_millis(1500));
                }
            }>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
        </div>
    }
}

#[component]
fn HistoryList(
    history: RwSignal<Vec<String>>,
    form: RwSignal<Form>,
    on_pick: Callback<()>,
) -> impl IntoView {
    view! {
        <Show when=move || history.with(|h| !h.is_empty())>
            <section class="history" aria-label="Recent lookups">
                <h2>"Recent" <button type="button" class="link" on:click=move |_| { history::clear(); history.set(Vec::new()); }>"clear"</button></h2>
                <ul>
                    {move || history.get().into_iter().map(|entry| {
                        let label = history::label(&entry);
                        view! {
                            <li><button type="button" class="link" on:click=move |_| { form.set(Form::from_query(&entry)); on_pick.run(()); }>{label}</button></li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            </section>
        </Show>
    }
}

/// Paste mode: a raw response checked and explained with no network.
#[component]
fn PastePanel(lookup: RwSignal<Option<Lookup>>) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let status = RwSignal::new("200".to_owned());
    let headers = RwSignal::new(String::new());
    let plane = RwSignal::new(Plane::Data);
    let check = move || {
        let status_code = status
            .with(|s| s.trim().parse::<u16>().ok())
            .filter(|s| (100..600).contains(s));
        let Some(status_code) = status_code else {
            lookup.set(Some(Lookup::pasted(
                plane.get_untracked(),
                Err(ServiceError::new(
                    ErrorCode::MalformedResponse,
                    0,
                    "the status must be a number from 100 to 599",
                )),
                None,
            )));
            return;
        };
        let header_list: Vec<(String, String)> = headers.with(|h| {
            h.lines()
                .filter_map(|line| line.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect()
        });
        let text = body.get_untracked();
        let outcome = jobscope::decode_response(
            plane.get_untracked(),
            None,
            status_code,
            &header_list,
            text.as_bytes(),
        );
        let raw = Fetched {
            status: status_code,
            headers: header_list,
            body: text.into_bytes(),
            elapsed_ms: 0.0,
        };
        lookup.set(Some(Lookup::pasted(
            plane.get_untracked(),
            outcome,
            Some(raw),
        )));
    };
    view! {
        <form class="paste" on:submit=move |ev| { ev.prevent_default(); check(); }>
            <h2>"Paste a response"</h2>
            <p class="hint">"Checked and explained here, with no network."</p>
            <fieldset class="plane">
                <legend>"Plane"</legend>
                <label><input type="radio" name="paste-plane" prop:checked=move || plane.get() == Plane::Data on:change=move |_| plane.set(Plane::Data) />" Data"</label>
                <label><input type="radio" name="paste-plane" prop:checked=move || plane.get() == Plane::Control on:change=move |_| plane.set(Plane::Control) />" Control"</label>
            </fieldset>
            <label for="paste-status">"HTTP status"</label>
            <input id="paste-status" inputmode="numeric" prop:value=move || status.get() on:input=move |ev| status.set(event_target_value(&ev)) />
            <label for="paste-headers">"Headers " <small>"optional, one “name: value” per line"</small></label>
            <textarea id="paste-headers" rows="3" spellcheck="false" placeholder="x-amzn-ErrorType: ResourceNotFoundException"
                prop:value=move || headers.get() on:input=move |ev| headers.set(event_target_value(&ev))></textarea>
            <label for="paste-body">"Body"</label>
            <textarea id="paste-body" rows="12" spellcheck="false" placeholder="{\"execution\": {…}}"
                prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <div class="actions"><button type="submit" class="primary">"Check"</button></div>
        </form>
    }
}
