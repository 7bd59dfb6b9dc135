//! `DescribeJobExecutionInput` from JavaScript: read from a JS object (the full path), or from the fast path's
//! fields.

use js_sys::{BigInt, Object};
use wasm_bindgen::{JsCast, JsValue};

use super::args::{Strings, loose_number, number_from_bigint_text, number_from_f64};
use super::out::{Thrown, type_error};
use super::read::{describe, get, is_absent, required_object, string_field};
use crate::text::Quoted;
use crate::{DescribeJobExecutionInput, LooseNumber, Plane};

const INPUT_KEYS: [&str; 5] = [
    "plane",
    "thingName",
    "jobId",
    "executionNumber",
    "includeJobDocument",
];

/// Reads a `DescribeJobExecutionInput` (`name` is how messages call it: `input`, `options.request`).
pub(crate) fn read_input(value: &JsValue, name: &str) -> Result<DescribeJobExecutionInput, Thrown> {
    let object = required_object(value, name)?;
    for key in Object::keys(&object).iter().filter_map(|k| k.as_string()) {
        if !INPUT_KEYS.contains(&key.as_str()) {
            let hint = INPUT_KEYS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(&key))
                .map(|known| format!(" (did you mean {known}?)"))
                .unwrap_or_default();
            return Err(type_error(format!(
                "{name} has an unknown property {}{hint}; expected {}",
                Quoted(&key),
                INPUT_KEYS.join(", ")
            )));
        }
    }
    let plane = read_plane(&object, name)?.unwrap_or_default();
    let include = get(&object, "includeJobDocument")?;
    let include_job_document = if is_absent(&include) {
        None
    } else {
        Some(include.as_bool().ok_or_else(|| {
            type_error(format!(
                "{name}.includeJobDocument must be a boolean, got {}",
                describe(&include)
            ))
        })?)
    };
    Ok(DescribeJobExecutionInput {
        plane,
        thing_name: string_field(&object, name, "thingName")?,
        job_id: string_field(&object, name, "jobId")?,
        execution_number: read_execution_number(&get(&object, "executionNumber")?, name)?,
        include_job_document,
    })
}

/// `owner.plane`: absent, `'data'` or `'control'`.
pub(crate) fn read_plane(object: &Object, owner: &str) -> Result<Option<Plane>, Thrown> {
    string_field(object, owner, "plane")?
        .map(|p| {
            p.parse::<Plane>()
                .map_err(|e| type_error(format!("{owner}.{e}")))
        })
        .transpose()
}

fn read_execution_number(value: &JsValue, owner: &str) -> Result<Option<LooseNumber>, Thrown> {
    if is_absent(value) {
        return Ok(None);
    }
    if let Some(text) = value.as_string() {
        return Ok(Some(LooseNumber::Text(text)));
    }
    if let Some(number) = value.as_f64() {
        return Ok(Some(number_from_f64(number)));
    }
    if value.is_bigint() {
        let text: String = value
            .unchecked_ref::<BigInt>()
            .to_string(10)
            .map(String::from)
            .unwrap_or_default();
        return Ok(Some(number_from_bigint_text(&text)));
    }
    Err(type_error(format!(
        "{owner}.executionNumber must be a number, bigint or string of digits, got {}",
        describe(value)
    )))
}

/// A plane from the fast path: 0 absent, 1 data, 2 control.
pub(crate) fn plane_code(code: u32) -> Option<Option<Plane>> {
    match code {
        0 => Some(None),
        1 => Some(Some(Plane::Data)),
        2 => Some(Some(Plane::Control)),
        _ => None,
    }
}

/// The fast path's request fields, as the JS passes them (see `npm/api.js`): the plane code, the lengths of
/// `thingName`, `jobId` and the number's text in the call's strings, the number's kind and value, and
/// `includeJobDocument` (0 absent, 1 false, 2 true).
#[derive(Clone, Copy)]
pub(crate) struct FastInput {
    pub plane: u32,
    pub thing_name: i32,
    pub job_id: i32,
    pub number_kind: u32,
    pub number_text: i32,
    pub number: f64,
    pub include: u32,
}

impl FastInput {
    /// The input, its strings taken from `strings`; `None` sends the call to the full path.
    pub(crate) fn read(self, strings: &mut Strings<'_>) -> Option<DescribeJobExecutionInput> {
        let plane = plane_code(self.plane)?.unwrap_or_default();
        let thing_name = strings.take(self.thing_name)?.map(str::to_owned);
        let job_id = strings.take(self.job_id)?.map(str::to_owned);
        let text = strings.take(self.number_text)?;
        let execution_number = loose_number(self.number_kind, text, self.number)?;
        let include_job_document = match self.include {
            0 => None,
            1 => Some(false),
            2 => Some(true),
            _ => return None,
        };
        Some(DescribeJobExecutionInput {
            plane,
            thing_name,
            job_id,
            execution_number,
            include_job_document,
        })
    }
}
