//! AWS account mode: region, forwarding proxy and credentials for signed requests. Credentials stay in memory:
//! these inputs are not part of the URL, the history or any storage, and a reload clears them. Whether they can
//! sign is the core signer's to say, when a lookup is signed.

use leptos::prelude::*;

use crate::Page;
use crate::components::field::{Bound, Field};

#[component]
pub fn AwsFields(
    page: Page,
    /// The lookup goes over MQTT (presigned WebSocket), which needs no forwarding proxy.
    mqtt: Memo<bool>,
) -> impl IntoView {
    let secret = move |name| Bound::Secret(page.credentials, name);
    view! {
        <Field id="region" label="Region" placeholder="eu-west-1" value=Bound::Form(page.form, "region") />
        {move || (!mqtt.get()).then(|| view! {
            <Field id="via" label="Send through"
                hint="a forwarding proxy on this server, e.g. /aws-jobs (browsers cannot call the Jobs endpoints directly: no CORS)"
                placeholder="/aws-jobs" value=Bound::Form(page.form, "via") checked=(page, "via") />
        })}
        <fieldset class="credentials">
            <legend>"Credentials " <small>"kept in this page's memory only — never saved, never in the URL"</small></legend>
            <Field id="access-key-id" label="Access key id" value=secret("accessKeyId") />
            <Field id="secret-access-key" label="Secret access key" kind="password" value=secret("secretAccessKey") />
            <Field id="session-token" label="Session token" hint="optional" kind="password" value=secret("sessionToken") />
        </fieldset>
    }
}
