//! jobscope-web: the viewer. Every check, request, decode, explanation and wire form comes from the core crate;
//! this crate holds state and renders it. Everything from a server is rendered as text.
//!
//! Here the page is assembled: its state, the describe `Action` (one lookup at a time, canceled by dropping it),
//! the page URL and history, and the components (`components/`, one a file).

mod api;
mod clock;
mod components;
mod form;
mod history;
mod lookup;
mod mqtt;
mod page;
mod pretty;
mod timefmt;

use jobscope::{DescribeJobExecutionInput, Plane};
use leptos::prelude::*;

use crate::components::browse::Browse;
use crate::components::form::LookupForm;
use crate::components::history::HistoryList;
use crate::components::paste::PastePanel;
use crate::components::phase::PhaseBanner;
use crate::components::preview::Preview;
use crate::components::result::ResultView;
pub use crate::form::{CredentialsInput, EndpointMode, Form};
use crate::lookup::{Lookup, Phase, Plan, Signing};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Lookup,
    Paste,
}

/// The viewer.
#[component]
pub fn App() -> impl IntoView {
    let origin = page::origin();
    let form = RwSignal::new(Form::from_query(&page::search()));
    let credentials = RwSignal::new(CredentialsInput::default());
    let validation = Memo::new({
        let origin = origin.clone();
        move |_| form.with(|f| f.validate(&origin))
    });
    let touched = RwSignal::new(false);
    let tab = RwSignal::new(Tab::Lookup);
    let history = RwSignal::new(history::load());
    let pasted = RwSignal::new(None::<Lookup>);
    // What a pasted MQTT reply is checked against: the form's request when it names a valid one, on the data plane
    // (the only one MQTT speaks for).
    let paste_request = Signal::derive(move || {
        form.with(|f| {
            DescribeJobExecutionInput {
                plane: Plane::Data,
                ..f.input()
            }
            .validate()
            .ok()
        })
    });

    // One lookup at a time: a new one or Cancel drops the running one (which aborts its request).
    let progress = RwSignal::new(Phase::Idle);
    let describe = Action::new_local(move |plan: &Plan| lookup::run(plan.clone(), progress));
    let running = StoredValue::new_local(None::<ActionAbortHandle>);
    let busy = describe.pending();
    let cancel = move || {
        if let Some(handle) = running.try_update_value(Option::take).flatten() {
            handle.abort();
        }
        progress.set(Phase::Idle);
    };

    // The form lives in the URL: every edit replaces it; a lookup pushes it (so back/forward walk lookups).
    let address = page::Address::new();
    Effect::new(move |_| address.edited(&form.with(Form::to_query)));

    let start = move |push: bool| {
        touched.set(true);
        let Ok(target) = validation.get_untracked() else {
            return;
        };
        cancel();
        let current = form.get_untracked();
        address.looked_up(current.to_query(), push);
        history.set(history::remember(&current));
        let signing = (current.endpoint_mode == EndpointMode::Aws).then(|| Signing {
            credentials: credentials.with_untracked(CredentialsInput::to_credentials),
            region: current.region.trim().to_owned(),
        });
        progress.set(Phase::Loading { attempt: 1 });
        running.set_value(Some(describe.dispatch_local(Plan { target, signing })));
    };

    // Back/forward restore the form and its lookup.
    let popstate = window_event_listener(leptos::ev::popstate, move |_| {
        let restored = Form::from_query(&page::search());
        let complete = restored.is_complete();
        form.set(restored);
        if complete {
            start(false);
        }
    });
    on_cleanup(move || popstate.remove());

    // A shared URL describes right away.
    if form.with_untracked(Form::is_complete) {
        start(false);
    }

    let lookup = Signal::derive(move || match tab.get() {
        Tab::Lookup => describe.value().get(),
        Tab::Paste => pasted.get(),
    });
    let view_on_control_plane = Callback::new(move |()| {
        let job = describe
            .value()
            .with_untracked(|l| l.as_ref().and_then(Lookup::job_id));
        form.update(|f| {
            f.plane = Plane::Control;
            f.include_job_document = None;
            if let (true, Some(job)) = (f.job_id == jobscope::NEXT, job) {
                f.job_id = job;
            }
        });
        start(true);
    });
    let pick_recent = Callback::new(move |entry: String| {
        form.set(Form::from_query(&entry));
        start(true);
    });
    let browsable =
        move || form.with(|f| !f.thing_name.is_empty() && f.endpoint_mode != EndpointMode::Aws);

    view! {
        <header class="top">
            <h1>"jobscope"</h1>
            <p class="tagline">"AWS IoT Jobs " <code>"DescribeJobExecution"</code> ": build, fetch, check, explain"</p>
            <nav class="tabs" role="tablist">
                <button role="tab" aria-selected=move || (tab.get() == Tab::Lookup).to_string()
                    class:active=move || tab.get() == Tab::Lookup on:click=move |_| tab.set(Tab::Lookup)>"Look up"</button>
                <button role="tab" aria-selected=move || (tab.get() == Tab::Paste).to_string()
                    class:active=move || tab.get() == Tab::Paste on:click=move |_| tab.set(Tab::Paste)>"Paste a response"</button>
            </nav>
        </header>
        <main class="layout">
            <section class="panel form-panel">
                <Show when=move || tab.get() == Tab::Lookup>
                    <LookupForm form=form credentials=credentials validation=validation touched=touched busy=busy
                        on_describe=Callback::new(move |()| start(true)) on_cancel=Callback::new(move |()| cancel()) />
                    <Preview validation=validation />
                    <HistoryList entries=history on_pick=pick_recent />
                </Show>
                // Kept while hidden: what was pasted survives a visit to the form (whose request it is checked against).
                <div hidden=move || tab.get() != Tab::Paste>
                    <PastePanel request=paste_request on_checked=Callback::new(move |l| pasted.set(Some(l))) />
                </div>
            </section>
            <section class="panel result-panel" aria-live="polite" aria-busy=move || busy.get().to_string()>
                <PhaseBanner phase=progress />
                <ResultView lookup=lookup on_control=view_on_control_plane />
                <Show when=move || tab.get() == Tab::Lookup && browsable()>
                    <Browse form=form origin=origin.clone() on_open=Callback::new(move |()| start(true)) />
                </Show>
            </section>
        </main>
        <footer class="foot">
            "Times are shown in your time zone; hover one for the raw epoch value. Nothing you enter leaves this page but the request itself."
        </footer>
    }
}
