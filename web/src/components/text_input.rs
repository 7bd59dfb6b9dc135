//! One labelled text input bound to a signal. Every such field shares this one instantiation, which keeps the
//! wasm small.

use leptos::prelude::*;

#[component]
pub fn TextInput(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    placeholder: &'static str,
    secret: bool,
    value: Signal<String>,
    set: Callback<String>,
) -> impl IntoView {
    view! {
        <label for=id>{label} " " <small>{hint}</small></label>
        <input id=id type=if secret { "password" } else { "text" } autocomplete="off" spellcheck="false" placeholder=placeholder
            prop:value=move || value.get() on:input=move |ev| set.run(event_target_value(&ev)) />
    }
}
