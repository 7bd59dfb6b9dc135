//! The lookup form: plane, endpoint, transport, the request's fields and the timeout, each with its own messages;
//! Describe is disabled while anything is invalid.

use jobscope::Plane;
use leptos::prelude::*;

use crate::Page;
use crate::components::aws_fields::AwsFields;
use crate::components::field::{Bound, Field};
use crate::form::{EndpointMode, Form, Transport};

#[component]
pub fn LookupForm(page: Page) -> impl IntoView {
    let form = page.form;
    let busy = page.describe.busy;
    // One memo a condition (each re-renders its part only when it flips).
    let is = move |pick: fn(&Form) -> bool| Memo::new(move |_| form.with(pick));
    let custom_endpoint = is(|f| f.endpoint_mode != EndpointMode::Local);
    let aws = is(|f| f.endpoint_mode == EndpointMode::Aws);
    let transport_picked =
        is(|f| f.plane == Plane::Data && f.endpoint_mode != EndpointMode::Custom);
    let mqtt = is(|f| f.transport() == Transport::Mqtt);
    let data_plane = is(|f| f.plane == Plane::Data);
    let text = move |name| Bound::Form(form, name);
    view! {
        <form class="lookup" on:submit=move |ev| { ev.prevent_default(); page.start(true); }>
            <fieldset class="plane">
                <legend>"Plane"</legend>
                <label><input type="radio" name="plane" value="data" prop:checked=data_plane
                    on:change=move |_| form.update(|f| f.plane = Plane::Data) />
                    " Data " <small>"iot-jobs-data (devices)"</small></label>
                <label><input type="radio" name="plane" value="control" prop:checked=move || !data_plane.get()
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
            {move || transport_picked.get().then(|| view! {
                <label for="transport">"Transport"</label>
                <select id="transport" prop:value=move || if mqtt.get() { "mqtt" } else { "http" }
                    on:change=move |ev| {
                        let picked = match event_target_value(&ev).as_str() {
                            "mqtt" => Transport::Mqtt,
                            _ => Transport::Http,
                        };
                        form.update(|f| f.transport = Some(picked));
                    }>
                    <option value="mqtt">"MQTT over WebSocket (no proxy)"</option>
                    <option value="http">{move || if aws.get() { "HTTPS through a forwarding proxy" } else { "HTTP" }}</option>
                </select>
            })}
            {move || custom_endpoint.get().then(|| if mqtt.get() {
                view! {
                    <Field id="endpoint" label="" kind="url" placeholder="wss://<prefix>-ats.iot.<region>.amazonaws.com/mqtt"
                        value=text("endpoint") checked=(page, "endpoint") />
                    <p class="hint">"MQTT: your account's device endpoint from " <code>"aws iot describe-endpoint --endpoint-type iot:Data-ATS"</code> "."</p>
                }
                .into_any()
            } else {
                view! {
                    <Field id="endpoint" label="" kind="url" placeholder="https://<prefix>.jobs.iot.<region>.amazonaws.com"
                        value=text("endpoint") checked=(page, "endpoint") />
                    <p class="hint">"Data plane: your account's endpoint from " <code>"aws iot describe-endpoint --endpoint-type iot:Jobs"</code>
                        ". Control plane: " <code>"https://iot.<region>.amazonaws.com"</code> "."</p>
                }
                .into_any()
            })}
            {move || aws.get().then(|| view! { <AwsFields page=page mqtt=mqtt /> })}

            <Field id="thing-name" label="thingName" name="thingName" placeholder="sensor-gateway-eu-west-0042"
                value=text("thingName") checked=(page, "thingName") />
            <Field id="job-id" label="jobId" name="jobId" placeholder="firmware-update-2024-06-15-batch-017"
                value=text("jobId") checked=(page, "jobId")>
                {move || data_plane.get().then(|| view! {
                    <button type="button" class="secondary" title="The next pending execution: IN_PROGRESS first, then QUEUED"
                        on:click=move |_| form.update(|f| { f.job_id = jobscope::NEXT.into(); f.execution_number.clear(); })>"$next"</button>
                })}
            </Field>
            <Field id="execution-number" label="executionNumber" hint="optional; the latest when empty" name="executionNumber"
                inputmode="numeric" placeholder="1" value=text("executionNumber") checked=(page, "executionNumber") />

            {move || data_plane.get().then(|| view! {
                <label for="include-document">"includeJobDocument"</label>
                <select id="include-document"
                    prop:value=move || match form.with(|f| f.include_job_document) { None => "", Some(true) => "true", Some(false) => "false" }
                    on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.include_job_document = v.parse().ok()); }>
                    <option value="">"not sent (the service sends it)"</option>
                    <option value="true">"true"</option>
                    <option value="false">"false"</option>
                </select>
            })}

            <Field id="timeout" label="Timeout per attempt" hint="seconds; 10 when empty" placeholder="10"
                value=text("timeout") checked=(page, "timeout") />

            <div class="actions">
                // While the form is invalid Describe is disabled (aria-disabled, greyed) yet pressable: pressing it
                // shows every field's problems instead of sending.
                <button type="submit" class="primary" aria-disabled=move || page.validation.with(Result::is_err).to_string()
                    prop:disabled=busy>"Describe"</button>
                {move || busy.get().then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| page.cancel()>"Cancel"</button>
                })}
            </div>
        </form>
    }
}
