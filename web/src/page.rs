//! The page's own address: its origin, and the form's query in its URL (history entries for lookups).

use leptos::prelude::{GetValue, SetValue, StoredValue};

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The page's origin (`http://127.0.0.1:8080`).
pub fn origin() -> String {
    location()
        .and_then(|l| l.origin().ok())
        .unwrap_or_else(|| "http://127.0.0.1:8080".into())
}

/// The page URL's query string, with its `?`.
pub fn search() -> String {
    location().and_then(|l| l.search().ok()).unwrap_or_default()
}

/// Puts `query` (made by the core's query codec) in the page URL: a new history entry (`push`) or the current one.
fn set_query(query: &str, push: bool) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    if !push && search().trim_start_matches('?') == query {
        return;
    }
    let path = location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_else(|| "/".into());
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let state = wasm_bindgen::JsValue::NULL;
    let _ = if push {
        history.push_state_with_url(&state, "", Some(&url))
    } else {
        history.replace_state_with_url(&state, "", Some(&url))
    };
}

/// The page URL's bookkeeping: edits rewrite the current history entry as you type; a lookup of something new
/// becomes its own entry, and the entry it leaves goes back to showing the lookup it held, so back/forward walk the
/// lookups.
#[derive(Clone, Copy)]
pub struct Address {
    /// The query of the lookup the current history entry shows.
    shown: StoredValue<Option<String>>,
}

impl Address {
    pub fn new() -> Address {
        Address {
            shown: StoredValue::new(None),
        }
    }

    /// The form changed: the current entry follows it.
    pub fn edited(&self, query: &str) {
        set_query(query, false);
    }

    /// A lookup of `query` starts: its own entry when `push` and it is not the one shown.
    pub fn looked_up(&self, query: String, push: bool) {
        match self.shown.get_value() {
            Some(shown) if push && shown != query => {
                set_query(&shown, false);
                set_query(&query, true);
            }
            _ => set_query(&query, false),
        }
        self.shown.set_value(Some(query));
    }
}
