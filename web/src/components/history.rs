//! Recent lookups: a click restores one and describes it; "clear" empties the list and its storage.

use leptos::prelude::*;

use crate::{Page, history};

#[component]
pub fn HistoryList(
    /// The saved lookups are the page's (it adds to them; this list clears them); a click restores one.
    page: Page,
) -> impl IntoView {
    let entries = page.history;
    let clear = move |_| {
        history::clear();
        entries.set(Vec::new());
    };
    view! {
        {move || entries.with(|h| !h.is_empty()).then(|| view! {
            <section class="history" aria-label="Recent lookups">
                <h2>"Recent" <button type="button" class="link" on:click=clear>"clear"</button></h2>
                <ul>
                    {move || entries.get().into_iter().map(|entry| {
                        let label = history::label(&entry);
                        view! {
                            <li><button type="button" class="link" on:click=move |_| page.restore(&entry, true)>{label}</button></li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            </section>
        })}
    }
}
