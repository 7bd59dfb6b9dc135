//! A `<details>` whose content is built only once it is opened, so a closed one costs nothing to render.

use leptos::prelude::*;

#[component]
pub fn Collapsible(
    class: &'static str,
    summary: String,
    open: bool,
    /// Builds the content (each time it is opened).
    #[prop(into)]
    content: ViewFn,
) -> impl IntoView {
    let opened = RwSignal::new(open);
    view! {
        <details class=class open=open
            on:toggle=move |ev| opened.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
            <summary>{summary}</summary>
            {move || opened.get().then(|| content.run())}
        </details>
    }
}
