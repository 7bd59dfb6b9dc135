//! statusDetails as a table: the first rows at once, the rest on request.

use leptos::prelude::*;

/// Rows shown before "Show all": the service's own documents hold a handful, a hostile or broken one thousands,
/// and a table of thousands of rows would stall the page.
const DETAILS_SHOWN: usize = 200;

#[component]
pub fn DetailsTable(details: jobscope::StatusDetails) -> impl IntoView {
    let total = details.len();
    let limit = RwSignal::new(DETAILS_SHOWN);
    let rows = move || {
        details
            .iter()
            .take(limit.get())
            .map(|(k, v)| view! { <tr><td><code>{k.to_owned()}</code></td><td>{v.to_owned()}</td></tr> })
            .collect::<Vec<_>>()
    };
    view! {
        <section class="details">
            <h3>{format!("statusDetails ({total})")}</h3>
            <table>
                <thead><tr><th scope="col">"key"</th><th scope="col">"value"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {move || (limit.get() < total).then(|| view! {
                <button type="button" class="link show-all" on:click=move |_| limit.set(total)>
                    {format!("Show all {total} entries ({} more)", total - limit.get())}
                </button>
            })}
        </section>
    }
}
