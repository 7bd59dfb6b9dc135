//! The live request preview: the URL, and copyable curl, AWS CLI and MQTT equivalents, all built by the core.

use std::time::Duration;

use leptos::prelude::*;

use crate::form::Validation;

#[component]
pub fn Preview(#[prop(into)] validation: Signal<Validation>) -> impl IntoView {
    move || {
        match validation.get() {
        Err(_) => view! { <p class="preview-empty">"The request preview appears when the form is valid."</p> }.into_any(),
        Ok(target) => {
            let (request, endpoint) = (target.request, target.endpoint);
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
