//! Recent lookups in localStorage: form query strings (the core's query encoding), one a line, newest first. Only
//! what the form holds — never credentials. A query string never holds a raw line break (the encoding escapes it),
//! so lines need no further format (JSON here would cost the page about 1 KB).

use crate::form::Form;

const KEY: &str = "jobscope.recent";
/// Where earlier versions kept the list (as JSON); dropped when found.
const OLD_KEY: &str = "jobscope.history";
const MAX: usize = 20;

/// The saved lookups, newest first, as form query strings.
pub fn load() -> Vec<String> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let _ = storage.remove_item(OLD_KEY);
    storage
        .get_item(KEY)
        .ok()
        .flatten()
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Records a lookup at the top, without duplicates.
pub fn remember(form: &Form) -> Vec<String> {
    let entry = form.to_query();
    let mut entries = load();
    entries.retain(|e| *e != entry);
    entries.insert(0, entry);
    entries.truncate(MAX);
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, &entries.join("\n"));
    }
    entries
}

pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A short label for an entry: `data · sensor-1 / $next`.
pub fn label(entry: &str) -> String {
    let form = Form::from_query(entry);
    let number = if form.execution_number.is_empty() {
        String::new()
    } else {
        format!(" #{}", form.execution_number)
    };
    format!(
        "{} · {} / {}{number}",
        form.plane, form.thing_name, form.job_id
    )
}
