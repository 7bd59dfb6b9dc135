//! The messages of one form field, under it.

use leptos::prelude::*;

use crate::form::{Validation, field_messages};

#[component]
pub fn FieldErrors(
    #[prop(into)] validation: Signal<Validation>,
    field: &'static str,
    id: &'static str,
    #[prop(into)] show: Signal<bool>,
) -> impl IntoView {
    view! {
        <ul class="field-errors" id=id>
            {move || {
                if !show.get() {
                    return Vec::new();
                }
                validation.with(|v| field_messages(v, field)).into_iter().map(|m| view! { <li>{m}</li> }).collect::<Vec<_>>()
            }}
        </ul>
    }
}
