//! Recent lookups: a click restores one and describes it; "clear" empties the list and its storage.

use leptos::prelude::*;

use crate::history;

#[component]
pub fn HistoryList(
    /// The saved lookups, newest first (the page adds to it; this list clears it).
    entries: RwSignal<Vec<String>>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let clear = move |_| {
        history::clear();
        entries.set(Vec::new());
    };
    view! {
        <Show when=move || entries.with(|h| !h.is_empty())>
            <section class="history" aria-label="Recent lookups">
                <h2>"Recent" <button type="button" class="link" on:click=clear>"clear"</button></h2>
                <ul>
                    {move || entries.get().into_iter().map(|entry| {
                        let label = history::label(&entry);
                        view! {
                            <li><button type="button" class="link" on:click=move |_| on_pick.run(entry.clone())>{label}</button></li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            </section>
        </Show>
    }
}
