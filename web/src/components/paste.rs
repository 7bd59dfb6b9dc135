//! Paste mode: a raw response checked and explained by the core, with no network.

use jobscope::Plane;
use jobscope::codec::decode_header_lines;
use leptos::prelude::*;

use crate::api::Fetched;
use crate::lookup::{LocalError, Lookup, Outcome};

/// An HTTP status as typed: a number from 100 to 599.
fn status_code(text: &str) -> Option<u16> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|s| (100..600).contains(s))
}

#[component]
pub fn PastePanel(on_checked: Callback<Lookup>) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let status = RwSignal::new("200".to_owned());
    let headers = RwSignal::new(String::new());
    let plane = RwSignal::new(Plane::Data);
    let check = move || {
        let plane_now = plane.get_untracked();
        let Some(status_code) = status.with_untracked(|s| status_code(s)) else {
            let typed = status.get_untracked();
            let outcome = Outcome::Local(LocalError::NotAStatus(typed));
            on_checked.run(Lookup::pasted(plane_now, outcome, None));
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
        on_checked.run(Lookup::pasted(
            plane_now,
            Outcome::Decoded(outcome),
            Some(raw),
        ));
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
            <input id="paste-status" inputmode="numeric"
                prop:value=move || status.get() on:input=move |ev| status.set(event_target_value(&ev)) />
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
