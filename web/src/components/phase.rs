//! What a running lookup is doing: "Describing…", or a retry notice.

use leptos::prelude::*;

use crate::api;
use crate::lookup::Phase;

#[component]
pub fn PhaseBanner(phase: RwSignal<Phase>) -> impl IntoView {
    move || {
        match phase.get() {
        Phase::Idle => ().into_any(),
        Phase::Loading { attempt } => {
            let text = if attempt > 1 {
                format!("Describing… attempt {attempt} of {}", api::MAX_ATTEMPTS)
            } else {
                "Describing…".to_owned()
            };
            view! { <p class="phase loading" role="status"><span class="spinner" aria-hidden="true"></span>{text}</p> }
                .into_any()
        }
        Phase::Waiting { next_attempt, wait_ms, reason } => view! {
            <p class="phase waiting" role="status">
                {format!("{reason} — retrying in {} s, attempt {next_attempt} of {}", api::tenths(wait_ms), api::MAX_ATTEMPTS)}
            </p>
        }
        .into_any(),
    }
    }
}
