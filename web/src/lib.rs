//! jobscope-web: the viewer. Every check, request, decode, explanation and wire form comes from the core crate;
//! this crate holds state and renders it. Everything from a server is rendered as text.
//!
//! Here the page is assembled: its state, the describe task (one lookup at a time, canceled by dropping it),
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

use jobscope::Plane;
use leptos::prelude::*;

use crate::components::browse::Browse;
use crate::components::form::LookupForm;
use crate::components::history::HistoryList;
use crate::components::paste::PastePanel;
use crate::components::phase::PhaseBanner;
use crate::components::preview::Preview;
use crate::components::result::ResultView;
use crate::form::Validation;
pub use crate::form::{CredentialsInput, EndpointMode, Form};
use crate::lookup::{Lookup, Phase, Plan, Signing};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Lookup,
    Paste,
}

/// The page's state, and what its components ask of it. `Copy` (every field is a handle to reactive state), so each
/// component gets the whole page rather than a callback per action.
#[derive(Clone, Copy)]
pub struct Page {
    pub form: RwSignal<Form>,
    /// AWS mode's credentials: memory only, never the URL or storage.
    pub credentials: RwSignal<CredentialsInput>,
    /// The form checked by the core (and the page's own settings).
    pub validation: Memo<Validation>,
    /// Describe was pressed: every field shows its problems from then on.
    pub touched: RwSignal<bool>,
    /// The fields left at least once: each shows its problems from then on.
    pub visited: RwSignal<Vec<&'static str>>,
    /// Recent lookups, newest first.
    pub history: RwSignal<Vec<String>>,
    /// One lookup at a time: a new one or Cancel drops the running one (which aborts its request).
    pub describe: api::Task<Lookup>,
    pub progress: RwSignal<Phase>,
    /// The last checked paste.
    pub pasted: RwSignal<Option<Lookup>>,
    address: page::Address,
}

impl Page {
    /// Describes what the form names, if it is valid; the URL gets its own history entry when `push`.
    pub fn start(self, push: bool) {
        self.touched.set(true);
        let Ok(target) = self.validation.get_untracked() else {
            return;
        };
        self.cancel();
        let current = self.form.get_untracked();
        self.address.looked_up(current.to_query(), push);
        self.history.set(history::remember(&current));
        let signing = (current.endpoint_mode == EndpointMode::Aws).then(|| Signing {
            credentials: self
                .credentials
                .with_untracked(CredentialsInput::to_credentials),
            region: current.region.trim().to_owned(),
        });
        self.progress.set(Phase::Loading { attempt: 1 });
        self.describe
            .run(lookup::run(Plan { target, signing }, self.progress));
    }

    /// Stops the running lookup.
    pub fn cancel(self) {
        self.describe.cancel();
        self.progress.set(Phase::Idle);
    }

    /// Puts a form query (a recent lookup, or the URL after back/forward) in the form and describes it.
    pub fn restore(self, query: &str, push: bool) {
        let restored = Form::from_query(query);
        let complete = restored.is_complete();
        self.form.set(restored);
        if push || complete {
            self.start(push);
        }
    }

    /// Describes the shown execution on the control plane (offered for a TerminalStateException).
    pub fn view_on_control_plane(self) {
        let job = self
            .describe
            .value
            .with_untracked(|l| l.as_ref().and_then(Lookup::job_id));
        self.form.update(|f| {
            f.plane = Plane::Control;
            f.include_job_document = None;
            if let (true, Some(job)) = (f.job_id == jobscope::NEXT, job) {
                f.job_id = job;
            }
        });
        self.start(true);
    }
}

/// The viewer.
#[component]
pub fn App() -> impl IntoView {
    let form = RwSignal::new(Form::from_query(&page::search()));
    let origin = page::origin();
    let page = Page {
        form,
        credentials: RwSignal::new(CredentialsInput::default()),
        validation: Memo::new(move |_| form.with(|f| f.validate(&origin))),
        touched: RwSignal::new(false),
        visited: RwSignal::new(Vec::new()),
        history: RwSignal::new(history::load()),
        describe: api::Task::new(),
        progress: RwSignal::new(Phase::Idle),
        pasted: RwSignal::new(None),
        address: page::Address::new(),
    };
    let tab = RwSignal::new(Tab::Lookup);

    // The form lives in the URL: every edit replaces it; a lookup pushes it (so back/forward walk lookups).
    Effect::new(move |_| page.address.edited(&form.with(Form::to_query)));

    // Back/forward restore the form and its lookup.
    let popstate = window_event_listener(leptos::ev::popstate, move |_| {
        page.restore(&page::search(), false)
    });
    on_cleanup(move || popstate.remove());

    // A shared URL describes right away.
    if form.with_untracked(Form::is_complete) {
        page.start(false);
    }

    let on_lookup_tab = Memo::new(move |_| tab.get() == Tab::Lookup);
    let browsable = Memo::new(move |_| {
        on_lookup_tab.get()
            && form.with(|f| !f.thing_name.is_empty() && f.endpoint_mode != EndpointMode::Aws)
    });
    let busy = page.describe.busy;

    view! {
        <header class="top">
            <h1>"jobscope"</h1>
            <p class="tagline">"AWS IoT Jobs " <code>"DescribeJobExecution"</code> ": build, fetch, check, explain"</p>
            <nav class="tabs" role="tablist">
                <button role="tab" aria-selected=move || on_lookup_tab.get().to_string()
                    class=move || if on_lookup_tab.get() { "active" } else { "" } on:click=move |_| tab.set(Tab::Lookup)>"Look up"</button>
                <button role="tab" aria-selected=move || (!on_lookup_tab.get()).to_string()
                    class=move || if on_lookup_tab.get() { "" } else { "active" } on:click=move |_| tab.set(Tab::Paste)>"Paste a response"</button>
            </nav>
        </header>
        <main class="layout">
            <section class="panel form-panel">
                {move || on_lookup_tab.get().then(|| view! {
                    <LookupForm page=page />
                    <Preview validation=page.validation />
                    <HistoryList page=page />
                })}
                // Kept while hidden: what was pasted survives a visit to the form (whose request it is checked against).
                <div hidden=on_lookup_tab>
                    <PastePanel form=form pasted=page.pasted />
                </div>
            </section>
            <section class="panel result-panel" aria-live="polite" aria-busy=move || busy.get().to_string()>
                <PhaseBanner phase=page.progress />
                <ResultView page=page on_lookup_tab=on_lookup_tab />
                {move || browsable.get().then(|| view! { <Browse page=page /> })}
            </section>
        </main>
        <footer class="foot">
            "Times are shown in your time zone; hover one for the raw epoch value. Nothing you enter leaves this page but the request itself."
        </footer>
    }
}
