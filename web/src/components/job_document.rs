//! The job document, pretty-printed in its own key order when it is JSON; a large one is built when opened.

use leptos::prelude::*;

use crate::components::collapsible::Collapsible;
use crate::pretty::pretty_json;

/// Documents up to this many characters are shown open.
const OPEN_UP_TO: usize = 8_192;

#[component]
pub fn JobDocument(document: String) -> impl IntoView {
    let size = document.chars().count();
    let (text, kind) = match pretty_json(&document) {
        Some(pretty) => (pretty, "JSON"),
        None => (document, "text, not JSON"),
    };
    let content = move || view! { <pre class="json">{text.clone()}</pre> }.into_any();
    view! {
        <Collapsible class="document" summary=format!("jobDocument ({kind}, {size} characters)")
            open=size <= OPEN_UP_TO content=content />
    }
}
