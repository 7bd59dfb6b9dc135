//! A problem in this page, before anything was sent or checked: a request the page could not sign, or a pasted
//! "response" that is not one. Not an answer from any service — in particular not AWS's InvalidSignatureException,
//! which is a service refusing a signature it received.

use leptos::prelude::*;

use crate::lookup::LocalError;

#[component]
pub fn LocalErrorCard(error: LocalError) -> impl IntoView {
    view! {
        <article class="card local-error" role="alert">
            <h2>{error.title()}</h2>
            <blockquote class="local-message">{error.message()}</blockquote>
            <p>{error.advice()}</p>
        </article>
    }
}
