//! The result panel: the execution, "nothing pending", an explained error, or a problem in this page — and the
//! raw response.

use jobscope::DescribeOutcome;
use leptos::prelude::*;

use crate::Page;
use crate::components::error_card::ErrorCard;
use crate::components::execution::ExecutionView;
use crate::components::local_error::LocalErrorCard;
use crate::components::pending_list::PendingList;
use crate::components::raw_response::RawResponse;
use crate::components::updated::Updated;
use crate::components::warnings::Warnings;
use crate::lookup::{Outcome, Source};

#[component]
pub fn ResultView(
    page: Page,
    /// Which result shows: the last lookup's on the Look up tab, the last paste's on the other.
    on_lookup_tab: Memo<bool>,
) -> impl IntoView {
    move || {
        let lookup = if on_lookup_tab.get() {
            page.describe.value.get()
        } else {
            page.pasted.get()
        };
        match lookup {
        None => view! {
            <div class="empty-state">
                <p>"Describe a job execution to see it here — checked against the model, with every problem explained."</p>
                <p class="hint">"Try the demo: thingName " <code>"sensor-gateway-eu-west-0042"</code> " and jobId " <code>"$next"</code> "."</p>
            </div>
        }
        .into_any(),
        Some(l) => {
            let how = match (&l.source, &l.outcome, &l.raw) {
                (Source::Pasted, ..) => "pasted response".to_owned(),
                (Source::PastedMqtt { topic }, ..) => format!("pasted MQTT message on {topic}"),
                (_, Outcome::Local(_), _) => "not sent".to_owned(),
                (Source::Mqtt { topic }, ..) => format!("MQTT over WebSocket · {topic}"),
                (_, _, Some(raw)) => format!("HTTP {} in {} ms", raw.status, raw.elapsed_ms),
                (_, _, None) => "no response".to_owned(),
            };
            let attempts = if l.attempts > 1 { format!(" · {} attempts", l.attempts) } else { String::new() };
            let meta = format!("{} plane · {how}{attempts}", l.plane);
            let on_control = matches!(l.source, Source::Network | Source::Mqtt { .. }).then_some(page);
            let over_mqtt = matches!(l.source, Source::PastedMqtt { .. } | Source::Mqtt { .. });
            let mqtt = matches!(l.source, Source::PastedMqtt { .. });
            // One shape for both wires: over MQTT no `$next` need have been asked (notify-next, start-next).
            let (lead, word, tail) = if mqtt {
                ("the message carries no ", "execution", ".")
            } else {
                ("", "$next", " answered with no execution.")
            };
            let body = match l.outcome {
                Outcome::Decoded(Ok(DescribeOutcome::Execution { execution, warnings })) => view! {
                    <ExecutionView execution=execution warnings=warnings received_at_ms=l.received_at_ms />
                }
                .into_any(),
                Outcome::Decoded(Ok(DescribeOutcome::NothingPending { warnings })) => view! {
                    <article class="card nothing">
                        <h2>"Nothing pending"</h2>
                        <p>"The thing has no QUEUED or IN_PROGRESS job execution, so " {lead} <code>{word}</code> {tail}
                           " This is not an error."</p>
                        <Warnings warnings=warnings />
                    </article>
                }
                .into_any(),
                Outcome::Decoded(Err(error)) => view! { <ErrorCard error=error on_control=on_control mqtt=over_mqtt /> }.into_any(),
                Outcome::Pending { pending, warnings } => view! { <PendingList pending=pending warnings=warnings /> }.into_any(),
                Outcome::Updated { answer, warnings } => view! { <Updated answer=answer warnings=warnings /> }.into_any(),
                Outcome::Local(error) => view! { <LocalErrorCard error=error /> }.into_any(),
            };
            view! {
                <div class="lookup-result">
                    <p class="meta">{meta}</p>
                    {body}
                    {l.raw.map(|raw| view! { <RawResponse raw=raw url=l.url /> })}
                </div>
            }
            .into_any()
        }
    }
    }
}
