//! Paste mode: a raw HTTP response or an MQTT message, checked and explained by the core, with no network.

use jobscope::codec::decode_header_lines;
use jobscope::codec::mqtt::decode_message;
use jobscope::{DescribeJobExecutionInput, DescribeJobExecutionRequest, Plane};
use leptos::prelude::*;

use crate::api::Fetched;
use crate::components::field::{Bound, Field};
use crate::form::Form;
use crate::lookup::{LocalError, Lookup, Outcome};

/// What is pasted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wire {
    Http,
    Mqtt,
}

/// An HTTP status as typed: a number from 100 to 599.
fn status_code(text: &str) -> Option<u16> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|s| (100..600).contains(s))
}

/// What a pasted MQTT reply is checked against: the Look up form's request when it names a valid one, on the data
/// plane (the only one MQTT speaks for).
fn mqtt_request(form: &Form) -> Option<DescribeJobExecutionRequest> {
    DescribeJobExecutionInput {
        plane: Plane::Data,
        ..form.input()
    }
    .validate()
    .ok()
}

#[component]
pub fn PastePanel(
    /// The Look up form, whose request a pasted MQTT reply is checked against.
    form: RwSignal<Form>,
    /// Where a checked paste goes.
    pasted: RwSignal<Option<Lookup>>,
) -> impl IntoView {
    let on_checked = move |lookup| pasted.set(Some(lookup));
    let wire = RwSignal::new(Wire::Http);
    let body = RwSignal::new(String::new());
    let status = RwSignal::new("200".to_owned());
    let headers = RwSignal::new(String::new());
    let plane = RwSignal::new(Plane::Data);
    let topic = RwSignal::new(String::new());
    let payload = RwSignal::new(String::new());
    let client_token = RwSignal::new(String::new());
    let check_http = move || {
        let plane_now = plane.get_untracked();
        let Some(status_code) = status.with_untracked(|s| status_code(s)) else {
            let typed = status.get_untracked();
            let outcome = Outcome::Local(LocalError::NotAStatus(typed));
            on_checked(Lookup::pasted(plane_now, outcome, None));
            return;
        };
        let header_list = headers.with_untracked(|h| decode_header_lines(h));
        let text = body.get_untracked();
        let outcome =
            jobscope::decode_response(plane_now, None, status_code, &header_list, text.as_bytes());
        let raw = Fetched {
            status: status_code,
            headers: header_list,
            body: text.into_bytes(),
            elapsed_ms: 0,
        };
        on_checked(Lookup::pasted(
            plane_now,
            Outcome::Decoded(outcome),
            Some(raw),
        ));
    };
    let check_mqtt = move || {
        let topic_now = topic.with_untracked(|t| t.trim().to_owned());
        let token = client_token.with_untracked(|t| t.trim().to_owned());
        let token = (!token.is_empty()).then_some(token.as_str());
        let message = payload.with_untracked(|p| {
            let request = form.with_untracked(mqtt_request);
            decode_message(&topic_now, p.as_bytes(), request.as_ref(), token)
        });
        on_checked(Lookup::pasted_mqtt(topic_now, message));
    };
    let against = move || {
        match form.with(mqtt_request) {
            Some(r) => {
                let mut text = format!(
                    "Checked against the Look up form's request: thingName {}, jobId {}",
                    r.thing_name(),
                    r.job()
                );
                if let Some(n) = r.execution_number() {
                    text += &format!(", executionNumber {n}");
                }
                if let Some(include) = r.include_job_document() {
                    text += &format!(", includeJobDocument {include}");
                }
                text
            }
            None => "The Look up form names no valid thingName and jobId, so the message is checked on its own."
                .to_owned(),
        }
    };
    let http_fields = view! {
        <fieldset class="plane">
            <legend>"Plane"</legend>
            <label><input type="radio" name="paste-plane" prop:checked=move || plane.get() == Plane::Data on:change=move |_| plane.set(Plane::Data) />" Data"</label>
            <label><input type="radio" name="paste-plane" prop:checked=move || plane.get() == Plane::Control on:change=move |_| plane.set(Plane::Control) />" Control"</label>
        </fieldset>
        <Field id="paste-status" label="HTTP status" inputmode="numeric" value=Bound::Text(status) />
        <Field id="paste-headers" label="Headers" hint="optional, one “name: value” per line" rows=3
            placeholder="x-amzn-ErrorType: ResourceNotFoundException" value=Bound::Text(headers) />
        <Field id="paste-body" label="Body" rows=12 placeholder="{\"execution\": {…}}" value=Bound::Text(body) />
    };
    let mqtt_fields = view! {
        <Field id="paste-topic" label="Topic" placeholder="$aws/things/sensor-1/jobs/$next/get/accepted" value=Bound::Text(topic) />
        <Field id="paste-payload" label="Payload" rows=12
            placeholder="{\"clientToken\": …, \"timestamp\": …, \"execution\": {…}}" value=Bound::Text(payload) />
        <Field id="paste-client-token" label="clientToken" hint="optional: the one the request sent"
            value=Bound::Text(client_token) />
        <p class="hint against">{against}</p>
    };
    let choice = move |value: Wire, id: &'static str, text: &'static str| {
        view! {
            <label><input type="radio" name="paste-wire" value=id prop:checked=move || wire.get() == value
                on:change=move |_| wire.set(value) />{text}</label>
        }
    };
    view! {
        <form class=move || if wire.get() == Wire::Mqtt { "paste mqtt" } else { "paste" } on:submit=move |ev| {
            ev.prevent_default();
            match wire.get_untracked() {
                Wire::Http => check_http(),
                Wire::Mqtt => check_mqtt(),
            }
        }>
            <h2>"Paste a response"</h2>
            <p class="hint">"An HTTP response or an MQTT message, checked and explained here with no network."</p>
            <fieldset class="plane wire">
                <legend>"Pasted"</legend>
                {choice(Wire::Http, "http", " HTTP response")}
                {choice(Wire::Mqtt, "mqtt", " MQTT message")}
            </fieldset>
            <div class="http-fields">{http_fields}</div>
            <div class="mqtt-fields">{mqtt_fields}</div>
            <div class="actions"><button type="submit" class="primary">"Check"</button></div>
        </form>
    }
}
