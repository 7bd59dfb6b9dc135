//! Crash consistency: kill -9 the emulator in the middle of a write storm, restart it on the same store, and check
//! that every acknowledged write is there and the store opens cleanly — 20 rounds on one data directory.
//!
//! The kill point is counted, not timed: each round kills the emulator as soon as the N-th write has been
//! acknowledged, N taken from a seeded sequence, while the other writers still have requests in flight. A busy
//! machine makes a round slower, never different. Timeouts here are only guards against a hang.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

const ROUNDS: usize = 20;
/// Concurrent writers, so that requests are in flight whenever the kill lands.
const WRITERS: usize = 3;
/// Most acknowledged writes before a round's kill (the least is 1).
const MAX_KILL_AT: u64 = 48;
/// How long to wait for something the emulator owes (to start, to answer) before failing: a hang guard only.
const HANG_GUARD: Duration = Duration::from_secs(120);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &std::path::Path, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jobscope-emulator"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir)
        // No server-side deadline can fire however slowly this machine runs: a write is answered 200 or the
        // connection breaks because of the kill, nothing else.
        .args([
            "--request-timeout-ms",
            "3600000",
            "--head-timeout-ms",
            "3600000",
        ])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the emulator");
    // Ready once the port accepts; the deadline only turns a hang into a failure.
    let deadline = Instant::now() + HANG_GUARD;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
            panic!("the emulator exited ({status}) instead of opening the store: {stderr}");
        }
        assert!(
            Instant::now() < deadline,
            "the emulator did not start within {HANG_GUARD:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// What became of one request.
enum Sent {
    /// The status and body.
    Answered(u16, String),
    /// The connection was refused: nothing listens any more.
    Refused,
    /// Connected, but the answer never came whole: the server died while the request was in flight.
    Broken,
}

/// One HTTP/1.1 request on its own connection.
fn http(port: u16, method: &str, path: &str, body: &str) -> Sent {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return Sent::Refused;
    };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut response = String::new();
    let answered = stream.set_read_timeout(Some(HANG_GUARD)).is_ok()
        && stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut response).is_ok();
    match response.get(9..12).and_then(|s| s.parse().ok()) {
        Some(status) if answered => {
            let body = response
                .split_once("\r\n\r\n")
                .map(|(_, b)| b.to_owned())
                .unwrap_or_default();
            Sent::Answered(status, body)
        }
        _ => Sent::Broken,
    }
}

fn stored_things(port: u16) -> HashSet<String> {
    let mut names = HashSet::new();
    let mut token = String::new();
    loop {
        let path = if token.is_empty() {
            "/things?maxResults=250".to_owned()
        } else {
            format!("/things?maxResults=250&nextToken={token}")
        };
        let Sent::Answered(status, body) = http(port, "GET", &path, "") else {
            panic!("ListThings after restart got no answer");
        };
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

/// The kill points: after how many acknowledged writes each round kills, from a fixed xorshift seed.
fn kill_points() -> Vec<usize> {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..ROUNDS)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            1 + (seed % MAX_KILL_AT) as usize
        })
        .collect()
}

#[test]
fn kill_9_during_a_write_storm_loses_nothing_acknowledged() {
    let dir = std::env::temp_dir().join(format!("jobscope-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut acknowledged: Vec<String> = Vec::new();
    let kill_points = kill_points();
    let mut in_flight = 0;
    for (round, &kill_at) in kill_points.iter().enumerate() {
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
        // A write storm from several threads, each reporting every acknowledged write as it comes.
        let (acks, acked_names) = mpsc::channel::<String>();
        let writers: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let acks = acks.clone();
                std::thread::spawn(move || {
                    // Ends when the server is gone: true when this writer had a request in flight then.
                    for i in 0.. {
                        let name = format!("crash-{round}-{writer}-{i}");
                        match http(port, "POST", &format!("/things/{name}"), "{}") {
                            Sent::Answered(200, _) => {
                                let _ = acks.send(name);
                            }
                            Sent::Answered(status, body) => panic!("unexpected {status}: {body}"),
                            Sent::Refused => return false,
                            Sent::Broken => return true,
                        }
                    }
                    unreachable!()
                })
            })
            .collect();
        drop(acks);
        // kill -9 as soon as the kill_at-th write is acknowledged; the other writers are mid-request.
        let mut acked = Vec::new();
        while acked.len() < kill_at {
            match acked_names.recv_timeout(HANG_GUARD) {
                Ok(name) => acked.push(name),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "round {round}: every writer stopped after {} acknowledged writes, before the kill at {kill_at}",
                    acked.len()
                ),
                Err(RecvTimeoutError::Timeout) => panic!(
                    "round {round}: no write acknowledged within {HANG_GUARD:?} ({} so far)",
                    acked.len()
                ),
            }
        }
        child.kill().expect("kill -9"); // SIGKILL on Unix
        child.wait().unwrap();
        for writer in writers {
            in_flight += usize::from(writer.join().expect("a writer failed"));
        }
        // Writes acknowledged between the count and the kill landing count too.
        acked.extend(acked_names.try_iter());
        assert!(acked.len() >= kill_at);
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
        "crash consistency: {ROUNDS} kill -9 rounds (killed after {kill_points:?} acknowledged writes), {} acknowledged writes, all present after every restart; {in_flight} writes were in flight at a kill",
        acknowledged.len()
    );
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
