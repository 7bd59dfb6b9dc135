//! SigV4 canonicalization and signing of arbitrary URLs, and the verifier on arbitrary headers.
#![no_main]

use jobscope::sigv4::{Credentials, EMPTY_PAYLOAD_SHA256, canonical_query, canonical_uri, sign_url, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = canonical_uri(&text, true, true);
    let _ = canonical_uri(&text, false, false);
    let _ = canonical_query(&text);
    let credentials = Credentials { access_key_id: "AKID".into(), secret_access_key: "secret".into(), session_token: None };
    let url = format!("https://h{text}");
    if let Ok(signed) = sign_url("GET", &url, &credentials, "us-east-1", "iot", 1_700_000_000) {
        let mut headers = signed.headers.clone();
        headers.push(("host".into(), "h".into()));
        let (path, query) = url["https://h".len()..].split_once('?').unwrap_or((&url["https://h".len()..], ""));
        let path = path.split('#').next().unwrap_or(path);
        let _ = verify("GET", path, query, &headers, EMPTY_PAYLOAD_SHA256, 1_700_000_000, |_| Some("secret"));
    }
    let headers = vec![("authorization".to_owned(), text.to_string()), ("x-amz-date".to_owned(), "20231114T221320Z".to_owned())];
    let _ = verify("GET", "/", "", &headers, EMPTY_PAYLOAD_SHA256, 1_700_000_000, |_| Some("secret"));
});
