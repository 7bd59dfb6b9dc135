//! Recent lookups in localStorage. Only what the form holds — never credentials.

use crate::form::Form;

const KEY: &str = "jobscope.history";
const MAX: usize = 20;

/// The saved lookups, newest first, as form query strings.
pub fn load() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|text| serde_json::from_str::<Vec<String>>(&text).ok())
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
        let _ = storage.set_item(KEY, &serde_json::to_string(&entries).unwrap_or_default());
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
