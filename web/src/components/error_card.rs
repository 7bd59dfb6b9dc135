//! A failed call explained by the core: what the service (or the transport) said, what it means for this call,
//! likely causes and what to do. An MQTT rejection also shows the `executionState` it carries.

use jobscope::{ErrorCode, ServiceError};
use leptos::prelude::*;

use crate::Page;
use crate::components::execution_state::ExecutionState;

#[component]
pub fn ErrorCard(
    error: ServiceError,
    /// Offered for a TerminalStateException (MQTT: TerminalStateReached): describe the same execution on the control
    /// plane.
    #[prop(default = None)]
    on_control: Option<Page>,
    /// The error came in (or with) an MQTT message, where there is no HTTP status.
    #[prop(default = false)]
    mqtt: bool,
) -> impl IntoView {
    let explanation = error.explanation();
    let to_control = on_control.filter(|_| {
        matches!(
            error.code,
            ErrorCode::TerminalStateException | ErrorCode::TerminalStateReached
        )
    });
    let status =
        if mqtt && error.http_status == 0 && !ErrorCode::MQTT_REJECTED.contains(&error.code) {
            "no MQTT reply".to_owned()
        } else if mqtt {
            "over MQTT".to_owned()
        } else if error.http_status == 0 {
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
            {error.execution_state.clone().map(|state| view! { <ExecutionState state=*state note="where the execution is now" /> })}
            <p>{explanation.meaning}</p>
            <h3>"Likely causes"</h3>
            <ul>{explanation.causes.iter().map(|c| view! { <li>{*c}</li> }).collect::<Vec<_>>()}</ul>
            <h3>"What to do"</h3>
            <ol>{explanation.actions.iter().map(|a| view! { <li>{*a}</li> }).collect::<Vec<_>>()}</ol>
            {to_control.map(|on_control| view! {
                <button type="button" class="primary" on:click=move |_| on_control.view_on_control_plane()>"View this execution on the control plane"</button>
            })}
        </article>
    }
}
