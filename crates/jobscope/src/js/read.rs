//! The full path's reading of JS values: a wrong type is a `TypeError` naming the property and what it got, never a
//! wasm trap.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::out::{Thrown, type_error};
use crate::MAX_SAFE_INTEGER;
use crate::text::{Float, Quoted};

/// A short description of a JS value for error messages: `a number (5)`, `null`, `an array`.
pub(crate) fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if let Some(s) = value.as_string() {
        let shown: String = s.chars().take(40).collect();
        format!("a string ({})", Quoted(&shown))
    } else if let Some(n) = value.as_f64() {
        if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64 {
            format!("a number ({})", n as i64)
        } else {
            format!("a number ({})", Float(n))
        }
    } else if value.is_bigint() {
        "a bigint".into()
    } else if let Some(b) = value.as_bool() {
        format!("a boolean ({b})")
    } else if Array::is_array(value) {
        "an array".into()
    } else if value.is_function() {
        "a function".into()
    } else {
        "an object".into()
    }
}

pub(crate) fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value) && !value.is_function()
}

pub(crate) fn required_object(value: &JsValue, name: &str) -> Result<Object, Thrown> {
    if is_plain_object(value) {
        Ok(value.clone().unchecked_into())
    } else {
        Err(type_error(format!(
            "{name} must be an object, got {}",
            describe(value)
        )))
    }
}

#[cfg(feature = "js")]
pub(crate) fn optional_object(value: &JsValue, name: &str) -> Result<Option<Object>, Thrown> {
    if is_absent(value) {
        Ok(None)
    } else {
        required_object(value, name).map(Some)
    }
}

pub(crate) fn get(object: &JsValue, key: &str) -> Result<JsValue, Thrown> {
    Ok(Reflect::get(object, &JsValue::from_str(key))?)
}

/// `owner.key`: absent (`undefined` or `null`), or a string.
pub(crate) fn string_field(
    object: &Object,
    owner: &str,
    key: &str,
) -> Result<Option<String>, Thrown> {
    let value = get(object, key)?;
    if is_absent(&value) {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| {
        type_error(format!(
            "{owner}.{key} must be a string, got {}",
            describe(&value)
        ))
    })
}

#[cfg(feature = "js")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Array.from`, its exceptions (an iterator that throws) caught.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(value: &JsValue) -> Result<Array, JsValue>;
}

/// `response.headers`: a record of strings, or an iterable of `[name, value]` pairs (a fetch `Headers`).
#[cfg(feature = "js")]
pub(crate) fn read_headers(value: &JsValue) -> Result<Vec<(String, String)>, Thrown> {
    if is_absent(value) {
        return Ok(Vec::new());
    }
    let mut headers = Vec::new();
    let pair_error =
        || type_error("response.headers entries must be [name, value] string pairs".into());
    // An iterable (its `Symbol.iterator` a function) is read with `Array.from`.
    let iterator = Reflect::get(value, &js_sys::Symbol::iterator())?;
    if iterator.is_function() {
        for entry in array_from(value)?.iter() {
            let pair = array_from(&entry)?;
            let (Some(name), Some(val)) = (pair.get(0).as_string(), pair.get(1).as_string()) else {
                return Err(pair_error());
            };
            headers.push((name, val));
        }
        return Ok(headers);
    }
    let object = required_object(value, "response.headers")?;
    for entry in Object::entries(&object).iter() {
        let pair = Array::from(&entry);
        let name = pair.get(0).as_string().unwrap_or_default();
        let val = pair.get(1);
        let val = val.as_string().ok_or_else(|| {
            type_error(format!(
                "response.headers[{}] must be a string, got {}",
                Quoted(&name),
                describe(&val)
            ))
        })?;
        headers.push((name, val));
    }
    Ok(headers)
}

/// `response.body` or `message.payload`: text (as UTF-8), a `Uint8Array` (a Node `Buffer` is one) or an
/// `ArrayBuffer`.
#[cfg(feature = "js")]
pub(crate) fn read_bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, Thrown> {
    use js_sys::Uint8Array;
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if value.is_instance_of::<Uint8Array>() {
        return Ok(value.unchecked_ref::<Uint8Array>().to_vec());
    }
    if value.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(value).to_vec());
    }
    Err(type_error(format!(
        "{name} must be a string, Uint8Array or ArrayBuffer, got {}",
        describe(value)
    )))
}
