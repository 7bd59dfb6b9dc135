//! The live request preview: the URL, and copyable curl, AWS CLI and MQTT equivalents, all built by the core.

use std::time::Duration;

use leptos::prelude::*;

use crate::form::{Route, Validation};

#[component]
pub fn Preview(validation: Memo<Validation>) -> impl IntoView {
    move || {
        match validation.get() {
        Err(_) => view! { <p class="preview-empty">"The request preview appears when the form is valid."</p> }.into_any(),
        Ok(target) => match target.route {
            Route::Http { endpoint, .. } => {
                let request = target.request;
                let http = request.to_http(Some(&endpoint));
                let curl = request.to_curl(Some(&endpoint));
                let cli = request.to_aws_cli(Some(&endpoint));
                let mqtt = request.to_mqtt();
                view! {
                    <section class="preview" aria-label="Request preview">
                        <h2>"Request"</h2>
                        <p class="request-line"><span class="method">{http.method}</span> " " <code class="url">{http.url}</code></p>
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
            Route::Mqtt { endpoint, .. } => {
                // The clientToken is made fresh for each attempt; the rest of the payload is as sent.
                let mqtt = target.request.to_mqtt_with_token(Some("<fresh per attempt>"));
                view! {
                    <section class="preview" aria-label="Request preview">
                        <h2>"Request"</h2>
                        {mqtt.map(|m| view! {
                            <p class="request-line"><span class="method">"PUBLISH"</span> " " <code class="url">{m.topic.clone()}</code></p>
                            <Copyable label="MQTT topic" text=m.topic />
                            <Copyable label="MQTT payload" text=m.payload />
                            <p class="hint">"Over MQTT 3.1.1 on a WebSocket to " <code>{endpoint}</code>
                                " (presigned with SigV4 for each attempt in AWS mode); the reply arrives on "
                                <code>{m.accepted_topic}</code> " or " <code>{m.rejected_topic}</code>
                                ". One connection per lookup, closed when it ends."</p>
                        })}
                    </section>
                }
                .into_any()
            }
        },
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
