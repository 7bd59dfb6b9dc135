//! Component tests in headless Chromium: mount the viewer, type, click, and read the DOM.
#![cfg(target_arch = "wasm32")]

use jobscope_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the viewer into a fresh container; dropping the handle unmounts it.
fn mount() -> impl Drop {
    for old in [document().get_element_by_id("app")].into_iter().flatten() {
        old.remove();
    }
    let container: web_sys::HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    container.set_id("app");
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container, App)
}

fn query(selector: &str) -> web_sys::Element {
    document()
        .query_selector(&format!("#app {selector}"))
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn text(selector: &str) -> String {
    query(selector).text_content().unwrap_or_default()
}

fn type_into(selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = query(selector).dyn_into().unwrap();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn reset_url() {
    let _ = web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
}

fn choose(selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = query(selector).dyn_into().unwrap();
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

/// Lets the page run until `selector` matches (a lookup finishes in a spawned task).
async fn until(selector: &str) {
    for _ in 0..50 {
        leptos::task::tick().await;
        if document()
            .query_selector(&format!("#app {selector}"))
            .unwrap()
            .is_some()
        {
            return;
        }
    }
    panic!("{selector} never appeared");
}

/// Describe is disabled while the form is invalid (`aria-disabled`: it can still be pressed, to show why).
fn submit_disabled() -> bool {
    query("button[type=submit]")
        .get_attribute("aria-disabled")
        .as_deref()
        == Some("true")
}

#[wasm_bindgen_test]
async fn validates_as_you_type_and_previews_the_request() {
    reset_url();
    let handle = mount();
    leptos::task::tick().await;
    assert!(submit_disabled(), "an empty form cannot be sent");
    assert_eq!(text("#thing-name-errors"), "", "no errors before typing");
    assert_eq!(
        query("#thing-name")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("false"),
        "a pristine field is not outlined as wrong"
    );

    type_into("#thing-name", "my thing");
    leptos::task::tick().await;
    assert_eq!(
        text("#thing-name-errors"),
        "thingName: must contain only letters, digits, ':', '_' and '-'; found ' ' (U+0020) at index 2"
    );
    assert_eq!(
        query("#thing-name")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );

    type_into("#thing-name", "my:thing");
    type_into("#job-id", "$next");
    leptos::task::tick().await;
    assert_eq!(text("#thing-name-errors"), "");
    assert!(!submit_disabled());
    assert!(
        text(".request-line").ends_with("/emulator/data/things/my%3Athing/jobs/%24next"),
        "{}",
        text(".request-line")
    );
    assert!(text(".preview").contains("$aws/things/my:thing/jobs/$next/get"));
    let search = web_sys::window().unwrap().location().search().unwrap();
    assert_eq!(search, "?plane=data&thing=my%3Athing&job=%24next");

    type_into("#execution-number", "9007199254740993");
    leptos::task::tick().await;
    assert!(text(".request-line").ends_with("?executionNumber=9007199254740993"));

    // The timeout is the page's own setting: checked, kept in the URL, and it blocks Describe when wrong.
    type_into("#timeout", "0");
    leptos::task::tick().await;
    assert_eq!(
        text("#timeout-errors"),
        "timeout: must be a number of seconds from 0.1 to 600, got \"0\""
    );
    assert!(submit_disabled());
    type_into("#timeout", "2.5");
    leptos::task::tick().await;
    assert_eq!(text("#timeout-errors"), "");
    assert!(!submit_disabled());
    let search = web_sys::window().unwrap().location().search().unwrap();
    assert!(
        search.ends_with("&n=9007199254740993&timeout=2.5"),
        "{search}"
    );
    drop(handle);
    reset_url();
}

#[wasm_bindgen_test]
async fn a_local_signing_failure_is_a_local_error_not_an_aws_one() {
    reset_url();
    let handle = mount();
    leptos::task::tick().await;
    choose("#endpoint-mode", "aws");
    leptos::task::tick().await;
    choose("#transport", "http");
    leptos::task::tick().await;
    type_into("#endpoint", "https://abc.jobs.iot.eu-west-1.amazonaws.com");
    type_into("#region", "eu-west-1");
    type_into("#access-key-id", "AKIDEXAMPLE");
    type_into("#thing-name", "t");
    type_into("#job-id", "j");
    leptos::task::tick().await;
    assert!(!submit_disabled(), "signing input is the signer's to check");
    query("button[type=submit]")
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    until(".card.local-error").await;
    assert_eq!(
        text(".card.local-error h2"),
        "Not sent: the request could not be signed"
    );
    assert_eq!(
        text(".card.local-error .local-message"),
        "credentials need an access key id and a secret access key"
    );
    assert_eq!(text(".lookup-result .meta"), "data plane · not sent");
    assert!(
        document()
            .query_selector("#app .card.error")
            .unwrap()
            .is_none()
    );
    assert!(!text("main").contains("InvalidSignatureException"));
    drop(handle);
    reset_url();
}

#[wasm_bindgen_test]
async fn paste_mode_renders_markup_as_text() {
    let handle = mount();
    leptos::task::tick().await;
    let paste_tab = document()
        .query_selector_all("#app .tabs button")
        .unwrap()
        .item(1)
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    paste_tab.click();
    leptos::task::tick().await;
    let body = r#"{"execution":{"jobId":"x","status":"PAUSED","jobDocument":"<b id=\"injected\">bold</b>"}}"#;
    let area: web_sys::HtmlElement = query("#paste-body").dyn_into().unwrap();
    area.unchecked_ref::<web_sys::HtmlInputElement>()
        .set_value(body);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    leptos::task::tick().await;
    query(".paste button[type=submit]")
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    leptos::task::tick().await;
    assert_eq!(text(".execution .status"), "PAUSED");
    assert!(text(".warnings").contains("unknown_status"));
    assert!(
        document().get_element_by_id("injected").is_none(),
        "markup must not become elements"
    );
    assert!(text(".document pre").contains("<b id=\"injected\">bold</b>"));

    // A status that is not one is a problem of the paste, said as such — not a made-up service error.
    type_into("#paste-status", "2OO");
    query(".paste button[type=submit]")
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    until(".card.local-error").await;
    assert_eq!(
        text(".card.local-error h2"),
        "Not checked: that is not an HTTP status"
    );
    assert_eq!(
        text(".card.local-error .local-message"),
        "\"2OO\" is not a number from 100 to 599"
    );
    assert!(
        document()
            .query_selector("#app .card.error")
            .unwrap()
            .is_none()
    );
    drop(handle);
}

/// Sets a text field or textarea and lets the page see the input.
fn fill(selector: &str, value: &str) {
    let field = query(selector);
    field
        .unchecked_ref::<web_sys::HtmlInputElement>()
        .set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    field
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn click(selector: &str) {
    query(selector)
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
}

fn paste_mqtt(topic: &str, payload: &str, client_token: &str) {
    fill("#paste-topic", topic);
    fill("#paste-payload", payload);
    fill("#paste-client-token", client_token);
    click(".paste button[type=submit]");
}

#[wasm_bindgen_test]
async fn paste_mode_checks_mqtt_messages_against_the_forms_request() {
    reset_url();
    let handle = mount();
    leptos::task::tick().await;
    // The request the Look up form names is what a pasted reply is checked against.
    type_into("#thing-name", "sensor-1");
    type_into("#job-id", "job-1");
    leptos::task::tick().await;
    click(".tabs button:nth-child(2)");
    leptos::task::tick().await;
    click("input[name=paste-wire][value=mqtt]");
    leptos::task::tick().await;
    assert_eq!(
        text(".paste .against"),
        "Checked against the Look up form's request: thingName sensor-1, jobId job-1"
    );

    // Accepted, but with another clientToken and for another thing: the execution, with both mismatches warned.
    let execution = r#"{"clientToken":"c-2","timestamp":1700000003,"execution":{"jobId":"job-1","thingName":"other","status":"QUEUED","queuedAt":1700000000,"lastUpdatedAt":1700000000,"versionNumber":1,"executionNumber":1,"jobDocument":{"operation":"reboot"}}}"#;
    paste_mqtt(
        "$aws/things/other/jobs/job-1/get/accepted",
        execution,
        "c-1",
    );
    until(".execution .status").await;
    assert_eq!(text(".execution .status"), "QUEUED");
    assert_eq!(
        text(".lookup-result .meta"),
        "data plane · pasted MQTT message on $aws/things/other/jobs/job-1/get/accepted"
    );
    let warnings = text(".warnings");
    assert!(
        warnings.contains("names thing other, but the request was for sensor-1"),
        "{warnings}"
    );
    assert!(
        warnings.contains("is \"c-2\", but the request sent \"c-1\""),
        "{warnings}"
    );
    assert!(text(".document pre").contains("\"operation\": \"reboot\""));

    // A rejection: the MQTT code and message, the core's explanation, where the execution is now — no HTTP status.
    let rejected = r#"{"code":"VersionMismatch","message":"expected version 3, current 5","clientToken":"c-1","timestamp":1700000003,"executionState":{"status":"SUCCEEDED","statusDetails":{"step":"done"},"versionNumber":5}}"#;
    paste_mqtt(
        "$aws/things/sensor-1/jobs/job-1/update/rejected",
        rejected,
        "c-1",
    );
    until(".card.error").await;
    assert_eq!(
        text(".card.error h2"),
        "The execution changed since you read it"
    );
    assert_eq!(
        text(".card.error .error-code"),
        "VersionMismatch · over MQTT · not retryable"
    );
    assert_eq!(
        text(".card.error .server-message"),
        "expected version 3, current 5"
    );
    assert_eq!(text(".card.error .execution-state .status"), "SUCCEEDED");
    assert!(
        text(".card.error .execution-state").contains("versionNumber5"),
        "{}",
        text(".card.error .execution-state")
    );
    assert!(text(".card.error .details").contains("stepdone"));
    assert!(!text(".card.error").contains("HTTP"));

    // notify: the pending list, in progress first.
    let notify = r#"{"timestamp":1700000003,"jobs":{"IN_PROGRESS":[{"jobId":"job-1","queuedAt":1700000000,"startedAt":1700000001,"lastUpdatedAt":1700000001,"versionNumber":2,"executionNumber":1}],"QUEUED":[{"jobId":"job-2","queuedAt":1700000002,"lastUpdatedAt":1700000002,"versionNumber":1,"executionNumber":3}]}}"#;
    paste_mqtt("$aws/things/sensor-1/jobs/notify", notify, "");
    until(".card.pending tbody tr").await;
    assert_eq!(
        text(".card.pending h2"),
        "Pending executions: 1 in progress, 1 queued"
    );
    let rows = document()
        .query_selector_all("#app .card.pending tbody tr")
        .unwrap();
    assert_eq!(rows.length(), 2);
    let row = |i| rows.item(i).unwrap().text_content().unwrap_or_default();
    assert!(row(0).starts_with("IN_PROGRESSjob-112"), "{}", row(0));
    assert!(row(1).starts_with("QUEUEDjob-231"), "{}", row(1));
    assert_eq!(
        document()
            .query_selector_all("#app .card.pending tbody tr:first-child time")
            .unwrap()
            .length(),
        2,
        "queued and started"
    );

    // An update accepted: the state after it.
    let updated = r#"{"clientToken":"c-1","timestamp":1700000003,"executionState":{"status":"SUCCEEDED","statusDetails":{"step":"3"},"versionNumber":4}}"#;
    paste_mqtt(
        "$aws/things/sensor-1/jobs/job-1/update/accepted",
        updated,
        "c-1",
    );
    until(".card.updated").await;
    assert_eq!(text(".card.updated h2"), "Update accepted");
    assert_eq!(text(".card.updated .execution-state .status"), "SUCCEEDED");
    assert!(text(".card.updated .execution-state").contains("versionNumber4"));

    // What the message says is text, wherever it lands: its payload, and a topic the core refuses.
    let markup =
        r#"{"code":"<b id=\"mqtt-code\">X</b>","message":"<img id=\"mqtt-message\" src=x>"}"#;
    paste_mqtt("$aws/things/sensor-1/jobs/job-1/get/rejected", markup, "");
    until(".card.error").await;
    assert_eq!(
        text(".card.error .server-message"),
        "<img id=\"mqtt-message\" src=x>"
    );
    assert!(text(".card.error .error-code").starts_with("<b id=\"mqtt-code\">X</b>"));
    let topic = "$aws/things/<i id=\"mqtt-topic\">t</i>/jobs/j/get/accepted";
    paste_mqtt(topic, "{}", "");
    for _ in 0..50 {
        if text(".lookup-result .meta").contains(topic) {
            break;
        }
        leptos::task::tick().await;
    }
    assert!(text(".lookup-result .meta").ends_with(topic));
    assert!(text(".card.error .server-message").starts_with("topic: "));
    for id in ["mqtt-code", "mqtt-message", "mqtt-topic"] {
        assert!(
            document().get_element_by_id(id).is_none(),
            "{id} became an element"
        );
    }
    drop(handle);
    reset_url();
}
