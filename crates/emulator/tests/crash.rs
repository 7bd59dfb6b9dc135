//! Crash consistency: kill -9 the emulator in the middle of a write storm, restart it on the same store, and check
//! that every acknowledged write is there and the store opens cleanly — 20 rounds on one data directory.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &std::path::Path, port: u16) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_jobscope-emulator"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the emulator");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the emulator did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// One HTTP/1.1 request; the status and body, or `None` when the connection broke (the server was killed).
fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.get(9..12)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

fn stored_things(port: u16) -> Vec<String> {
    let mut names = Vec::new();
    let mut token = String::new();
    loop {
        let path = if token.is_empty() {
            "/things?maxResults=250".to_owned()
        } else {
            format!("/things?maxResults=250&nextToken={token}")
        };
        let (status, body) = http(port, "GET", &path, "").expect("ListThings after restart");
        assert_eq!(status, 200, "{body}");
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        names.extend(
            page["things"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["thingName"].as_str().unwrap().to_owned()),
        );
        match page["nextToken"].as_str() {
            Some(next) => token = next.to_owned(),
            None => return names,
        }
    }
}

#[test]
fn kill_9_during_a_write_storm_loses_nothing_acknowledged() {
    let dir = std::env::temp_dir().join(format!("jobscope-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut acknowledged: Vec<String> = Vec::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..20 {
        let port = free_port();
        let mut child = start(&dir, port);
        // Everything acknowledged so far survived the previous kill.
        let stored = stored_things(port);
        for name in &acknowledged {
            assert!(
                stored.contains(name),
                "round {round}: acknowledged thing {name} is missing after kill -9"
            );
        }
        // A write storm from a second thread; kill -9 at a pseudo-random point.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let kill_after = Duration::from_millis(30 + seed % 150);
        let writer = std::thread::spawn(move || {
            let mut acked = Vec::new();
            for i in 0.. {
                let name = format!("crash-{round}-{i}");
                match http(port, "POST", &format!("/things/{name}"), "{}") {
                    Some((200, _)) => acked.push(name),
                    Some((status, body)) => panic!("unexpected {status}: {body}"),
                    None => break,
                }
            }
            acked
        });
        std::thread::sleep(kill_after);
        child.kill().expect("kill -9"); // SIGKILL on Unix
        child.wait().unwrap();
        let acked = writer.join().unwrap();
        assert!(
            !acked.is_empty(),
            "round {round}: the storm wrote nothing before the kill"
        );
        acknowledged.extend(acked);
    }
    let port = free_port();
    let mut child = start(&dir, port);
    let stored = stored_things(port);
    for name in &acknowledged {
        assert!(
            stored.contains(name),
            "acknowledged thing {name} is missing"
        );
    }
    eprintln!(
        "crash consistency: 20 kill -9 rounds, {} acknowledged writes, all present after every restart",
        acknowledged.len()
    );
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
