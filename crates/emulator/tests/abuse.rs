//! Hostile and broken clients on a real socket: slow heads (slowloris), idle connections, oversized heads and
//! bodies, slow bodies and malformed routes. Each gets a bounded answer — an AWS-shaped 4xx where a request
//! exists, a closed connection where it never became one — and the server keeps serving everyone else.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use jobscope_emulator::{Account, AppState, Clock, Config, Limits, Store, app, serve};

const HEAD_TIMEOUT: Duration = Duration::from_millis(600);
const MAX_CONNECTIONS: usize = 8;

/// An emulator on a loopback port with small limits, so each abuse shows quickly.
fn emulator() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let account = Account {
                account_id: "123456789012".into(),
                region: "us-east-1".into(),
            };
            let store = Store::in_memory(account, Clock::default());
            let config = Config {
                request_timeout: Duration::from_millis(800),
                ..Config::default()
            };
            let limits = Limits {
                max_connections: MAX_CONNECTIONS,
                head_timeout: HEAD_TIMEOUT,
                head_hard_cap: 1024 * 1024 + 64 * 1024,
                ..Limits::default()
            };
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            serve(
                listener,
                app(AppState::new(store, config)),
                limits,
                std::future::pending(),
            )
            .await
            .unwrap();
        });
    });
    address
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream
}

/// A response as read until the server closed the connection (or the status line when it never answered).
struct Reply {
    status: Option<u16>,
    head: String,
    body: String,
}

impl Reply {
    fn error_type(&self) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("x-amzn-errortype")
                .then(|| value.trim().to_owned())
        })
    }

    fn message(&self) -> String {
        let body: serde_json::Value = serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body));
        body["message"].as_str().unwrap_or_default().to_owned()
    }

    /// An AWS restJson1 error: the status, the error type header and a JSON message.
    fn assert_aws(&self, status: u16, error_type: &str) -> String {
        assert_eq!(self.status, Some(status), "{}{}", self.head, self.body);
        assert_eq!(
            self.error_type().as_deref(),
            Some(error_type),
            "{}",
            self.head
        );
        let message = self.message();
        assert!(!message.is_empty(), "{}", self.body);
        message
    }
}

fn read_reply(stream: &mut TcpStream) -> Reply {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Reply {
        status: head.get(9..12).and_then(|s| s.parse().ok()),
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

fn send(address: SocketAddr, raw: &[u8]) -> Reply {
    let mut stream = connect(address);
    // The server may answer and close before it has read everything (413, 431): a broken pipe is fine.
    let _ = stream.write_all(raw);
    read_reply(&mut stream)
}

fn get(address: SocketAddr, path: &str, extra_headers: &str) -> Reply {
    send(
        address,
        format!(
            "GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n{extra_headers}connection: close\r\n\r\n"
        )
        .as_bytes(),
    )
}

/// True once the server has closed the connection (EOF or reset), false if it is still open at `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false;
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn slow_and_idle_heads_are_cut_off_and_others_still_get_served() {
    let address = emulator();
    // Fill every connection slot: half trickle a head one header at a time, half send nothing at all.
    let mut slow: Vec<TcpStream> = (0..MAX_CONNECTIONS).map(|_| connect(address)).collect();
    for stream in slow.iter_mut().step_by(2) {
        stream
            .write_all(b"GET /things HTTP/1.1\r\nhost: 127.0.0.1\r\n")
            .unwrap();
    }
    let started = Instant::now();
    let trickle = {
        let mut writers: Vec<TcpStream> = slow
            .iter()
            .step_by(2)
            .map(|s| s.try_clone().unwrap())
            .collect();
        std::thread::spawn(move || {
            for _ in 0..20 {
                for writer in &mut writers {
                    let _ = writer.write_all(b"x-slow: 1\r\n");
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    // A well-behaved client arriving now is served once the slow ones lose their slots.
    let reply = get(address, "/things", "");
    assert_eq!(reply.status, Some(200), "{}{}", reply.head, reply.body);
    assert!(started.elapsed() >= HEAD_TIMEOUT.mul_f32(0.9));
    for (i, stream) in slow.iter_mut().enumerate() {
        assert!(
            closed_within(stream, Duration::from_secs(5)),
            "slow connection {i} still open after {:?}",
            started.elapsed()
        );
    }
    trickle.join().unwrap();

    // A keep-alive connection that goes quiet after a response is closed after the same deadline.
    let mut idle = connect(address);
    idle.write_all(b"GET /things HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(closed_within(&mut idle, Duration::from_secs(5)));
}

#[test]
fn oversized_heads_get_a_431() {
    let address = emulator();
    // Over the 16 KiB limit but under hyper's hard cap: an AWS-shaped 431 that names the limit.
    for size in [20 * 1024, 1_000_000] {
        let header = format!("x-big: {}\r\n", "a".repeat(size));
        let reply = get(address, "/things", &header);
        let message = reply.assert_aws(431, "InvalidRequestException");
        assert!(message.contains("the limit is 16384"), "{message}");
    }
    // So is a long URL.
    let reply = get(address, &format!("/things/{}", "t".repeat(20_000)), "");
    reply.assert_aws(431, "InvalidRequestException");
    // Many headers add up the same way.
    let many: String = (0..90)
        .map(|i| format!("x-h{i}: {}\r\n", "v".repeat(200)))
        .collect();
    get(address, "/things", &many).assert_aws(431, "InvalidRequestException");
    // More than hyper's 100 headers never become a request: a bare 431.
    let too_many: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    let reply = get(address, "/things", &too_many);
    assert_eq!(
        (reply.status, reply.error_type()),
        (Some(431), None),
        "{}",
        reply.head
    );
    // Past the hard cap the bytes never become a request: hyper answers a bare 431 and closes.
    let header = format!("x-huge: {}\r\n", "a".repeat(3 * 1024 * 1024));
    let reply = get(address, "/things", &header);
    assert_eq!(reply.status, Some(431), "{}", reply.head);
    assert_eq!(reply.error_type(), None);
    // The server is unharmed.
    assert_eq!(get(address, "/things", "").status, Some(200));
}

#[test]
fn oversized_and_slow_bodies_get_aws_shaped_errors() {
    let address = emulator();
    let create = |length: &str| {
        format!(
            "PUT /things/t1 HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n{length}connection: close\r\n\r\n"
        )
    };
    // A declared 10 MB body is refused from its Content-Length, before it is sent.
    let mut stream = connect(address);
    stream
        .write_all(create("content-length: 10485760\r\n").as_bytes())
        .unwrap();
    stream.write_all(b"{\"attributePayload\":").unwrap();
    let message = read_reply(&mut stream).assert_aws(413, "InvalidRequestException");
    assert!(message.contains("262144"), "{message}");

    // A chunked body is cut off once it passes the limit.
    let mut raw = create("transfer-encoding: chunked\r\n").into_bytes();
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..160 {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(&chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    send(address, &raw).assert_aws(413, "InvalidRequestException");

    // A body that stops arriving: 408 RequestTimeoutException (the SDKs retry it), nothing created.
    let mut stream = connect(address);
    stream
        .write_all(create("content-length: 100\r\n").as_bytes())
        .unwrap();
    stream.write_all(b"{\"thingTypeName\"").unwrap();
    let started = Instant::now();
    let message = read_reply(&mut stream).assert_aws(408, "RequestTimeoutException");
    assert!(message.contains("800 ms"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(5));
    get(address, "/things/t1", "").assert_aws(404, "ResourceNotFoundException");

    // A body cut short by the client closing its side: an AWS-shaped 400, nothing created.
    let mut stream = connect(address);
    stream
        .write_all(create("content-length: 100\r\n").as_bytes())
        .unwrap();
    stream.write_all(b"{\"thingTypeName\"").unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let reply = read_reply(&mut stream);
    if reply.status.is_some() {
        reply.assert_aws(400, "InvalidRequestException");
    }
    get(address, "/things/t1", "").assert_aws(404, "ResourceNotFoundException");
}

#[test]
fn malformed_routes_get_aws_shaped_errors() {
    let address = emulator();
    let cases: &[(&str, &str, u16, &str)] = &[
        ("GET", "/", 404, "UnknownOperationException"),
        ("GET", "/nothing/here", 404, "UnknownOperationException"),
        (
            "DELETE",
            "/things/t/jobs/j",
            404,
            "UnknownOperationException",
        ),
        ("GET", "/things/%ZZ/jobs/j", 400, "InvalidRequestException"),
        (
            "GET",
            "/things/%C0%AF/jobs/j",
            400,
            "InvalidRequestException",
        ),
        (
            "GET",
            "/things/a%00b/jobs/j",
            400,
            "InvalidRequestException",
        ),
        ("GET", "/things//jobs/j", 400, "InvalidRequestException"),
        (
            "GET",
            "/things/../../etc/passwd",
            404,
            "UnknownOperationException",
        ),
        (
            "GET",
            "/things/t/jobs/j?executionNumber=abc",
            400,
            "InvalidRequestException",
        ),
        (
            "GET",
            "/things/t/jobs/j?executionNumber=%",
            400,
            "InvalidRequestException",
        ),
        (
            "GET",
            "/things/t/jobs/j?includeJobDocument=maybe",
            400,
            "InvalidRequestException",
        ),
        (
            "POST",
            "/things/t/jobs/$next",
            400,
            "InvalidRequestException",
        ),
        ("GET", "/jobs/j/things", 404, "ResourceNotFoundException"),
    ];
    for (method, path, status, error_type) in cases {
        let raw = format!(
            "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        );
        let reply = send(address, raw.as_bytes());
        assert_eq!(
            reply.status,
            Some(*status),
            "{method} {path}: {}{}",
            reply.head,
            reply.body
        );
        assert_eq!(
            reply.error_type().as_deref(),
            Some(*error_type),
            "{method} {path}"
        );
    }
    // Bytes that are not HTTP never become a request: hyper's bare 400, and the server keeps going.
    for garbage in [
        &b"\x00\x01\x02 garbage\r\n\r\n"[..],
        b"GET /things HTTP/9.9\r\n\r\n",
        b"GET /th ings HTTP/1.1\r\nhost: x\r\n\r\n",
        b"GET /things HTTP/1.1\r\nbad header\r\n\r\n",
    ] {
        let reply = send(address, garbage);
        assert!(
            matches!(reply.status, None | Some(400) | Some(505)),
            "{}",
            reply.head
        );
    }
    assert_eq!(get(address, "/things", "").status, Some(200));
}

#[test]
fn listens_on_loopback_by_default() {
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_jobscope-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("[default: 127.0.0.1:9090]"), "{help}");
}
