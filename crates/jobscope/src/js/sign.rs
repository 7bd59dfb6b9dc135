//! `signRequest` and `presignMqttUrl`, the module of `jobscope/sign` (feature `js-sign`): SigV4 for a built request,
//! and the presigned URL of MQTT over WebSocket. The secret never leaves these calls.

use wasm_bindgen::prelude::*;

use super::out::{self, Record, Thrown, finish, type_error};
use super::read::{describe, get, is_absent, required_object, string_field};
use crate::sigv4::{Credentials, presign_mqtt_url, sign_url};
use crate::text::Quoted;

/// Signs a built request (`npm/sign-api.js` calls it with the arguments as they came). Returns 1 with the
/// `SignedHeaders` (or the error to throw) as the output, like the main module's functions.
#[wasm_bindgen]
pub fn sign(
    #[wasm_bindgen(unchecked_param_type = "unknown")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] credentials: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
) -> Result<u32, JsValue> {
    finish(sign_request(&request, &credentials, &options))
}

fn sign_request(
    request: &JsValue,
    credentials: &JsValue,
    options: &JsValue,
) -> Result<u32, Thrown> {
    let request = required_object(request, "request")?;
    let url = string_field(&request, "request", "url")?.ok_or_else(|| {
        type_error("request.url must be a string (an absolute http(s) URL)".into())
    })?;
    let method = string_field(&request, "request", "method")?.unwrap_or_else(|| "GET".into());
    let credentials = read_credentials(credentials)?;
    let options = required_object(options, "options")?;
    let region = read_region(&options)?;
    let service = match string_field(&options, "options", "service")? {
        Some(s) if s == "iot-jobs-data" || s == "iot" => s,
        Some(other) => {
            return Err(type_error(format!(
                "options.service must be 'iot-jobs-data' or 'iot', got {}",
                Quoted(&other)
            )));
        }
        None => match string_field(&request, "request", "plane")?.as_deref() {
            Some("control") => "iot".into(),
            Some("data") | None => "iot-jobs-data".into(),
            Some(other) => {
                return Err(type_error(format!(
                    "request.plane must be 'data' or 'control', got {}",
                    Quoted(other)
                )));
            }
        },
    };
    let time = read_time(&options)?;
    let signed = sign_url(&method, &url, &credentials, &region, &service, time)
        .map_err(|e| Thrown::Error(format!("signRequest: {e}")))?;
    Ok(out::write(&Record(signed.headers), 0))
}

/// The presigned `wss://…/mqtt?X-Amz-…` URL for MQTT over WebSocket (`npm/sign-api.js` calls it with the arguments
/// as they came). Returns 1 with the URL (or the error to throw) as the output.
#[wasm_bindgen]
pub fn presign(
    #[wasm_bindgen(unchecked_param_type = "unknown")] endpoint: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] credentials: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
) -> Result<u32, JsValue> {
    finish(presign_url(&endpoint, &credentials, &options))
}

fn presign_url(
    endpoint: &JsValue,
    credentials: &JsValue,
    options: &JsValue,
) -> Result<u32, Thrown> {
    let endpoint = endpoint.as_string().ok_or_else(|| {
        type_error(format!(
            "endpoint must be a string (wss://{{host}}/mqtt or the host), got {}",
            describe(endpoint)
        ))
    })?;
    let credentials = read_credentials(credentials)?;
    let options = required_object(options, "options")?;
    let region = read_region(&options)?;
    let time = read_time(&options)?;
    let url = presign_mqtt_url(&endpoint, &credentials, &region, time)
        .map_err(|e| Thrown::Error(format!("presignMqttUrl: {e}")))?;
    Ok(out::write(&url, 0))
}

/// `Credentials`: the key pair and an optional session token.
fn read_credentials(credentials: &JsValue) -> Result<Credentials, Thrown> {
    let object = required_object(credentials, "credentials")?;
    let access_key_id = string_field(&object, "credentials", "accessKeyId")?
        .ok_or_else(|| type_error("credentials.accessKeyId is required".into()))?;
    let secret_access_key = string_field(&object, "credentials", "secretAccessKey")?
        .ok_or_else(|| type_error("credentials.secretAccessKey is required".into()))?;
    let session_token = string_field(&object, "credentials", "sessionToken")?;
    Ok(Credentials {
        access_key_id,
        secret_access_key,
        session_token,
    })
}

fn read_region(options: &js_sys::Object) -> Result<String, Thrown> {
    string_field(options, "options", "region")?
        .ok_or_else(|| type_error("options.region is required".into()))
}

/// `options.time` (a `Date` or epoch milliseconds; now when absent) as epoch seconds.
fn read_time(options: &js_sys::Object) -> Result<i64, Thrown> {
    let time = get(options, "time")?;
    let millis = if is_absent(&time) {
        js_sys::Date::now()
    } else if let Some(ms) = time.as_f64() {
        ms
    } else if time.is_instance_of::<js_sys::Date>() {
        time.unchecked_ref::<js_sys::Date>().get_time()
    } else {
        return Err(type_error(format!(
            "options.time must be a Date or epoch milliseconds, got {}",
            describe(&time)
        )));
    };
    if !millis.is_finite() {
        return Err(type_error("options.time is not a valid time".into()));
    }
    Ok((millis / 1000.0).floor() as i64)
}
