//! One labelled textarea bound to the signal it edits (paste mode's headers, body and payload). Every such field
//! shares this one instantiation, which keeps the wasm small.

use leptos::prelude::*;

#[component]
pub fn TextArea(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    placeholder: &'static str,
    rows: u32,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label for=id>{label} " " <small>{hint}</small></label>
        <textarea id=id rows=rows spellcheck="false" placeholder=placeholder
            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
    }
}
