//! The core's warnings about a response whose data is still shown.

use jobscope::Warning;
use leptos::prelude::*;

#[component]
pub fn Warnings(warnings: Vec<Warning>) -> impl IntoView {
    (!warnings.is_empty()).then(|| {
        let count = warnings.len();
        view! {
            <section class="warnings" aria-label="Warnings">
                <h3>{format!("{count} warning{}", if count == 1 { "" } else { "s" })}</h3>
                <ul>
                    {warnings.into_iter().map(|w| view! {
                        <li><code class="code">{w.code.as_str()}</code> " " {w.message}</li>
                    }).collect::<Vec<_>>()}
                </ul>
            </section>
        }
    })
}
