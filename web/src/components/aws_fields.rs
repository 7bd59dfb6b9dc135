//! AWS account mode: region, forwarding proxy and credentials for signed requests. Credentials stay in memory:
//! these inputs are not part of the URL, the history or any storage, and a reload clears them. Whether they can
//! sign is the core signer's to say, when a lookup is signed.

use leptos::prelude::*;

use crate::components::field_errors::FieldErrors;
use crate::components::text_input::TextInput;
use crate::form::{CredentialsInput, Form, Transport, Validation};

#[component]
pub fn AwsFields(
    form: RwSignal<Form>,
    credentials: RwSignal<CredentialsInput>,
    #[prop(into)] validation: Signal<Validation>,
    #[prop(into)] touched: Signal<bool>,
) -> impl IntoView {
    let show_via = Signal::derive(move || touched.get() || form.with(|f| !f.via.is_empty()));
    let form_field = move |get: fn(&Form) -> String, put: fn(&mut Form, String)| {
        (
            Signal::derive(move || form.with(get)),
            Callback::new(move |v: String| form.update(|f| put(f, v))),
        )
    };
    let secret_field = move |get: fn(&CredentialsInput) -> String,
                             put: fn(&mut CredentialsInput, String)| {
        (
            Signal::derive(move || credentials.with(get)),
            Callback::new(move |v: String| credentials.update(|c| put(c, v))),
        )
    };
    let (region, set_region) = form_field(|f| f.region.clone(), |f, v| f.region = v);
    let (via, set_via) = form_field(|f| f.via.clone(), |f, v| f.via = v);
    let (key, set_key) = secret_field(|c| c.access_key_id.clone(), |c, v| c.access_key_id = v);
    let (secret, set_secret) = secret_field(
        |c| c.secret_access_key.clone(),
        |c, v| c.secret_access_key = v,
    );
    let (token, set_token) = secret_field(|c| c.session_token.clone(), |c, v| c.session_token = v);
    view! {
        <TextInput id="region" label="Region" hint="" placeholder="eu-west-1" secret=false value=region set=set_region />
        <Show when=move || form.with(|f| f.transport() == Transport::Http)>
            <TextInput id="via" label="Send through"
                hint="a forwarding proxy on this server, e.g. /aws-jobs (browsers cannot call the Jobs endpoints directly: no CORS)"
                placeholder="/aws-jobs" secret=false value=via set=set_via />
            <FieldErrors validation=validation field="via" id="via-errors" show=show_via />
        </Show>
        <fieldset class="credentials">
            <legend>"Credentials " <small>"kept in this page's memory only — never saved, never in the URL"</small></legend>
            <TextInput id="access-key-id" label="Access key id" hint="" placeholder="" secret=false value=key set=set_key />
            <TextInput id="secret-access-key" label="Secret access key" hint="" placeholder="" secret=true value=secret set=set_secret />
            <TextInput id="session-token" label="Session token" hint="optional" placeholder="" secret=true value=token set=set_token />
        </fieldset>
    }
}
