//! The lookup form: plane, endpoint, the request's fields and the timeout, each with its own messages; Describe
//! is disabled while anything is invalid.

use jobscope::Plane;
use leptos::prelude::*;

use crate::components::aws_fields::AwsFields;
use crate::components::field_errors::FieldErrors;
use crate::components::text_input::TextInput;
use crate::form::{CredentialsInput, EndpointMode, Form, Transport, Validation, field_messages};

#[component]
pub fn LookupForm(
    form: RwSignal<Form>,
    credentials: RwSignal<CredentialsInput>,
    #[prop(into)] validation: Signal<Validation>,
    #[prop(into)] touched: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    on_describe: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    // A field's problems show once it was typed in or left, or Describe was pressed — never on a pristine form.
    let visited = RwSignal::new(Vec::<&'static str>::new());
    let visit = move |field: &'static str| {
        move |_| {
            if !visited.with_untracked(|v| v.contains(&field)) {
                visited.update(|v| v.push(field));
            }
        }
    };
    let shown = move |field: &'static str| {
        Signal::derive(move || {
            touched.get()
                || visited.with(|v| v.contains(&field))
                || form.with(|f| match field {
                    "thingName" => !f.thing_name.is_empty(),
                    "jobId" => !f.job_id.is_empty(),
                    "executionNumber" => !f.execution_number.is_empty(),
                    "endpoint" => f.endpoint_mode != EndpointMode::Local,
                    "timeout" => !f.timeout.is_empty(),
                    _ => true,
                })
        })
    };
    let invalid = move |field: &'static str| {
        let shown = shown(field);
        move || {
            (shown.get() && validation.with(|v| !field_messages(v, field).is_empty())).to_string()
        }
    };
    let data_plane = move || form.with(|f| f.plane == Plane::Data);
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
            <Show when=move || form.with(|f| f.plane == Plane::Data && f.endpoint_mode != EndpointMode::Custom)>
                <label for="transport">"Transport"</label>
                <select id="transport" prop:value=move || form.with(|f| f.transport().as_str())
                    on:change=move |ev| {
                        let picked = match event_target_value(&ev).as_str() {
                            "mqtt" => Transport::Mqtt,
                            _ => Transport::Http,
                        };
                        form.update(|f| f.transport = Some(picked));
                    }>
                    <option value="mqtt">"MQTT over WebSocket (no proxy)"</option>
                    <option value="http">{move || if form.with(|f| f.endpoint_mode == EndpointMode::Aws) { "HTTPS through a forwarding proxy" } else { "HTTP" }}</option>
                </select>
            </Show>
            <Show when=move || form.with(|f| f.endpoint_mode != EndpointMode::Local)>
                <input id="endpoint" type="url" placeholder=move || if form.with(|f| f.transport() == Transport::Mqtt) { "wss://<prefix>-ats.iot.<region>.amazonaws.com/mqtt" } else { "https://<prefix>.jobs.iot.<region>.amazonaws.com" }
                    aria-invalid=invalid("endpoint") aria-describedby="endpoint-errors"
                    prop:value=move || form.with(|f| f.endpoint.clone())
                    on:blur=visit("endpoint")
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.endpoint = v); } />
                <Show when=move || form.with(|f| f.transport() == Transport::Mqtt)
                    fallback=|| view! { <p class="hint">"Data plane: your account's endpoint from " <code>"aws iot describe-endpoint --endpoint-type iot:Jobs"</code>
                        ". Control plane: " <code>"https://iot.<region>.amazonaws.com"</code> "."</p> }>
                    <p class="hint">"MQTT: your account's device endpoint from " <code>"aws iot describe-endpoint --endpoint-type iot:Data-ATS"</code> "."</p>
                </Show>
            </Show>
            <FieldErrors validation=validation field="endpoint" id="endpoint-errors" show=shown("endpoint") />
            <Show when=move || form.with(|f| f.endpoint_mode == EndpointMode::Aws)>
                <AwsFields form=form credentials=credentials validation=validation touched=touched />
            </Show>

            <label for="thing-name">"thingName"</label>
            <input id="thing-name" name="thingName" autocomplete="off" spellcheck="false" placeholder="sensor-gateway-eu-west-0042"
                aria-invalid=invalid("thingName") aria-describedby="thing-name-errors"
                prop:value=move || form.with(|f| f.thing_name.clone())
                on:blur=visit("thingName")
                on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.thing_name = v); } />
            <FieldErrors validation=validation field="thingName" id="thing-name-errors" show=shown("thingName") />

            <label for="job-id">"jobId"</label>
            <div class="row">
                <input id="job-id" name="jobId" autocomplete="off" spellcheck="false" placeholder="firmware-update-2024-06-15-batch-017"
                    aria-invalid=invalid("jobId") aria-describedby="job-id-errors"
                    prop:value=move || form.with(|f| f.job_id.clone())
                    on:blur=visit("jobId")
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
                on:blur=visit("executionNumber")
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

            <TextInput id="timeout" label="Timeout per attempt" hint="seconds; 10 when empty" placeholder="10" secret=false
                value=Signal::derive(move || form.with(|f| f.timeout.clone()))
                set=Callback::new(move |v| form.update(|f| f.timeout = v)) />
            <FieldErrors validation=validation field="timeout" id="timeout-errors" show=shown("timeout") />

            <div class="actions">
                // While the form is invalid Describe is disabled (aria-disabled, greyed) yet pressable: pressing it
                // shows every field's problems instead of sending.
                <button type="submit" class="primary" aria-disabled=move || validation.with(Result::is_err).to_string()
                    prop:disabled=move || busy.get()>"Describe"</button>
                <Show when=move || busy.get()>
                    <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </Show>
            </div>
        </form>
    }
}
