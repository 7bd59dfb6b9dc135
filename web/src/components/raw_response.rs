//! The response as received — status, headers (the core's text form), body — built when opened.

use jobscope::codec::encode_header_lines;
use leptos::prelude::*;

use crate::api::Fetched;
use crate::components::collapsible::Collapsible;

#[component]
pub fn RawResponse(raw: Fetched, url: String) -> impl IntoView {
    let content = move || {
        let head = format!("HTTP {}\n{}", raw.status, encode_header_lines(&raw.headers));
        view! {
            {(!url.is_empty()).then(|| view! { <p><code>{format!("GET {url}")}</code></p> })}
            <pre>{head}</pre>
            <pre class="body">{String::from_utf8_lossy(&raw.body).into_owned()}</pre>
        }
        .into_any()
    };
    view! { <Collapsible class="raw" summary="Raw response".to_owned() open=false content=content /> }
}
