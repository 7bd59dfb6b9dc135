//! One labelled text field bound to a piece of the page's state: every input and textarea of the form, the AWS
//! settings, the credentials and paste mode. A field of the lookup form also shows its problems under it (and is
//! `aria-invalid` while it shows any) once it was typed in or left, or Describe was pressed. All of them share this
//! one instantiation, which keeps the wasm small.

use leptos::prelude::*;

use crate::Page;
use crate::form::{CredentialsInput, Form, field_messages};

/// The state a field shows and edits.
#[derive(Clone, Copy)]
pub enum Bound {
    /// A text of the lookup form, by the name its violations carry ([`Form::text`]).
    Form(RwSignal<Form>, &'static str),
    /// A credential by name: memory only, never the URL or storage.
    Secret(RwSignal<CredentialsInput>, &'static str),
    /// A text of its own (paste mode).
    Text(RwSignal<String>),
}

impl Bound {
    fn get(self) -> String {
        match self {
            Bound::Form(form, name) => form.with(|f| f.text(name).to_owned()),
            Bound::Secret(credentials, name) => credentials.with(|c| c.text(name).to_owned()),
            Bound::Text(text) => text.get(),
        }
    }

    fn set(self, value: String) {
        match self {
            Bound::Form(form, name) => form.update(|f| *f.text_mut(name) = value),
            Bound::Secret(credentials, name) => credentials.update(|c| *c.text_mut(name) = value),
            Bound::Text(text) => text.set(value),
        }
    }
}

/// Whether the problems of `field` show: once it was started or left, or Describe was pressed — never on a pristine
/// form.
fn shown(page: Page, field: &'static str) -> bool {
    page.touched.get()
        || page.visited.with(|v| v.contains(&field))
        || page.form.with(|f| f.started(field))
}

#[component]
pub fn Field(
    id: &'static str,
    /// The label; none when empty.
    label: &'static str,
    #[prop(default = "")] hint: &'static str,
    #[prop(default = "")] placeholder: &'static str,
    /// The input's type; a textarea of this many rows when `rows` is not 0.
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(default = 0)] rows: u32,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    value: Bound,
    /// The field whose messages show under this one (`thingName`, …), as the page checks it.
    #[prop(optional)]
    checked: Option<(Page, &'static str)>,
    /// Shown beside the input, in a row.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let errors_id = checked.map(|_| format!("{id}-errors"));
    let input = if rows == 0 {
        view! {
            <input id=id type=kind name=name inputmode=inputmode autocomplete="off" spellcheck="false"
                placeholder=placeholder aria-describedby=errors_id.clone()
                aria-invalid=move || checked.map(|(page, field)| {
                    (shown(page, field) && page.validation.with(|v| !field_messages(v, field).is_empty())).to_string()
                })
                on:blur=move |_| if let Some((page, field)) = checked
                    && !page.visited.with_untracked(|v| v.contains(&field))
                {
                    page.visited.update(|v| v.push(field));
                }
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any()
    } else {
        view! {
            <textarea id=id rows=rows spellcheck="false" placeholder=placeholder
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        }
        .into_any()
    };
    view! {
        {(!label.is_empty()).then(|| view! { <label for=id>{label} " " <small>{hint}</small></label> })}
        {match children {
            Some(beside) => view! { <div class="row">{input}{beside()}</div> }.into_any(),
            None => input,
        }}
        {checked.map(|(page, field)| view! {
            <ul class="field-errors" id=errors_id>
                {move || {
                    let messages = if shown(page, field) { page.validation.with(|v| field_messages(v, field)) } else { Vec::new() };
                    messages.into_iter().map(|m| view! { <li>{m}</li> }).collect::<Vec<_>>()
                }}
            </ul>
        })}
    }
}
