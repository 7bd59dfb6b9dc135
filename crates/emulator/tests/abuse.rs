//! Hostile and broken clients on a real socket: slow heads (slowloris), idle connections, oversized heads and
//! bodies, slow bodies and malformed routes. Each gets a bounded answer — an AWS-shaped 4xx where a request
//! exists, a closed connection where it never became one — and the server keeps serving everyone else.
//!
//! The server runs on a paused tokio clock that only the test moves ([`Emulator::advance`]), so every deadline
//! is checked by what happens just before and just after it, never by a stopwatch: a busy machine can make
//! these tests slower, not wrong. Socket read timeouts are only guards against a hang.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use jobscope_emulator::{Account, AppState, Clock, Config, Limits, Store, app, serve};

const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// Shorter than the head timeout, so a stalled body can only meet this deadline.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_CONNECTIONS: usize = 8;
/// How long a read waits for an answer the server owes before the test gives up: a hang guard, not a measure.
const HANG_GUARD: Duration = Duration::from_secs(60);
/// The smallest step of tokio's timer wheel: `deadline - TICK` is before a deadline, `deadline + TICK` after it.
const TICK: Duration = Duration::from_millis(1);

/// An emulator on a loopback port with a few connection slots and a clock that stands still unless
/// [`Emulator::advance`] moves it.
struct Emulator {
    address: SocketAddr,
    clock: tokio::sync::mpsc::UnboundedSender<(Duration, mpsc::Sender<()>)>,
}

/// Rounds of `yield_now` that let the server act on everything already delivered to it: each one polls the
/// socket driver once and runs every task that became ready.
const SETTLE_ROUNDS: usize = 64;

async fn settle() {
    for _ in 0..SETTLE_ROUNDS {
        tokio::task::yield_now().await;
    }
}

impl Emulator {
    fn start() -> Emulator {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let (clock, mut moves) =
            tokio::sync::mpsc::unbounded_channel::<(Duration, mpsc::Sender<()>)>();
        std::thread::spawn(move || {
            // Time can be paused on a current-thread runtime only.
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .unwrap();
            runtime.block_on(async move {
                // A paused clock jumps to the next timer whenever the runtime is idle — which, with clients on
                // real sockets, would be whenever the server waits for a client. A blocking task that never
                // ends switches that off: the clock moves only when the test says so.
                drop(tokio::task::spawn_blocking(|| {
                    loop {
                        std::thread::park();
                    }
                }));
                tokio::spawn(async move {
                    while let Some((by, done)) = moves.recv().await {
                        settle().await;
                        tokio::time::advance(by).await;
                        settle().await;
                        let _ = done.send(());
                    }
                });
                let account = Account {
                    account_id: "123456789012".into(),
                    region: "us-east-1".into(),
                };
                let store = Store::in_memory(account, Clock::default());
                let config = Config {
                    request_timeout: REQUEST_TIMEOUT,
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
        Emulator { address, clock }
    }

    /// Moves the server's clock forward by `by` and returns once the server has acted on it (timers that came
    /// due fired, and what they woke ran as far as it could without a client).
    fn advance(&self, by: Duration) {
        let (done, finished) = mpsc::channel();
        self.clock.send((by, done)).unwrap();
        finished
            .recv_timeout(HANG_GUARD)
            .expect("the server's runtime did not take the clock step");
    }
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(HANG_GUARD)).unwrap();
    stream
}

/// A response as read until the server closed the connection (or the status line when it never answered).
struct Reply {
    status: Option<u16>,
    head: String,
    body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        Reply {
            status: head.get(9..12).and_then(|s| s.parse().ok()),
            head: head.to_owned(),
            body: body.to_owned(),
        }
    }

    fn error_type(&self) -> Option<String> {
        self.header("x-amzn-errortype")
    }

    fn header(&self, wanted: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case(wanted)
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

/// Everything the server sends until it closes the connection (a reset counts as closing).
fn read_reply(stream: &mut TcpStream) -> Reply {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "the server neither answered nor closed within the {HANG_GUARD:?} hang guard; got so far: {}",
                    String::from_utf8_lossy(&bytes)
                )
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    Reply::parse(&bytes)
}

/// One response on a connection that stays open (keep-alive): the head, then a body of its content-length.
fn read_response(stream: &mut TcpStream) -> Reply {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        let n = stream
            .read(&mut byte)
            .expect("a response head within the hang guard");
        assert_eq!(n, 1, "closed mid-head: {}", String::from_utf8_lossy(&bytes));
        bytes.push(byte[0]);
    }
    let head = Reply::parse(&bytes);
    let length: usize = head
        .header("content-length")
        .expect("a content-length")
        .parse()
        .unwrap();
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    bytes.extend_from_slice(&body);
    Reply::parse(&bytes)
}

/// True while the server has neither answered nor closed the connection. Checked right after
/// [`Emulator::advance`] has let the server act, so it needs no waiting: a server that is merely slow can only
/// make it pass, never fail.
fn untouched(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut buffer = [0u8; 1];
    let untouched = matches!(stream.peek(&mut buffer), Err(e) if e.kind() == ErrorKind::WouldBlock);
    stream.set_nonblocking(false).unwrap();
    untouched
}

/// Asserts the server closed the connection without answering (what hyper does when a head misses its
/// deadline; a 408 would do too).
fn assert_cut_off(stream: &mut TcpStream, what: &str) {
    let reply = read_reply(stream);
    assert!(
        reply.head.is_empty() || reply.status == Some(408),
        "{what}: expected the connection closed, got {}{}",
        reply.head,
        reply.body
    );
}

fn send(address: SocketAddr, raw: &[u8]) -> Reply {
    let mut stream = connect(address);
    // The server may answer and close before it has read everything (413, 400, 431): a broken pipe is fine.
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

/// A request answered on a fresh connection. The server takes connections in the order they arrive and runs
/// their tasks in that order, so once it is answered every connection opened before it has been taken and has
/// read what its client had sent — with the clock standing still, its deadlines run from the current instant.
fn barrier(address: SocketAddr) {
    let reply = get(address, "/things", "");
    assert_eq!(reply.status, Some(200), "{}{}", reply.head, reply.body);
}

#[test]
fn slow_and_idle_heads_are_cut_off_at_the_deadline_and_others_still_get_served() {
    let emulator = Emulator::start();
    let address = emulator.address;
    // Fill every connection slot: some trickle a head one header at a time, some send nothing at all, and the
    // last gets an answer and then goes quiet on a keep-alive connection.
    let mut trickling = Vec::new();
    let mut silent = Vec::new();
    for i in 0..MAX_CONNECTIONS - 1 {
        let mut stream = connect(address);
        if i % 2 == 0 {
            stream
                .write_all(b"GET /things HTTP/1.1\r\nhost: 127.0.0.1\r\n")
                .unwrap();
            trickling.push(stream);
        } else {
            silent.push(stream);
        }
    }
    let mut idle = connect(address);
    idle.write_all(b"GET /things HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let reply = read_response(&mut idle);
    assert_eq!(reply.status, Some(200), "{}{}", reply.head, reply.body);
    // That answer came after the server had taken the connections opened before it (see `barrier`): all eight
    // slots are held, and every head deadline, the idle one's included, runs from now.

    // A well-behaved client arriving now waits in the listen backlog.
    let mut waiting = connect(address);
    waiting
        .write_all(b"GET /things HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n")
        .unwrap();

    // Up to just before the deadline, with a header line trickled in at every step: every slot is still held
    // and the waiting client is not served. More bytes do not buy more time.
    let step = HEAD_TIMEOUT / 5;
    let mut now = Duration::ZERO;
    while now + step < HEAD_TIMEOUT {
        for stream in &mut trickling {
            stream.write_all(b"x-slow: 1\r\n").unwrap();
        }
        emulator.advance(step);
        now += step;
    }
    emulator.advance(HEAD_TIMEOUT - TICK - now);
    for (i, stream) in trickling.iter().chain(&silent).chain([&idle]).enumerate() {
        assert!(
            untouched(stream),
            "slow connection {i} was closed before its deadline"
        );
    }
    assert!(
        untouched(&waiting),
        "a client was served while every slot was held"
    );

    // Just past the deadline: every slow connection is cut off and the waiting client gets its answer.
    for stream in &mut trickling {
        stream.write_all(b"x-slow: 1\r\n").unwrap();
    }
    emulator.advance(2 * TICK);
    for (i, stream) in trickling.iter_mut().enumerate() {
        assert_cut_off(stream, &format!("trickling connection {i}"));
    }
    for (i, stream) in silent.iter_mut().enumerate() {
        assert_cut_off(stream, &format!("silent connection {i}"));
    }
    assert_cut_off(&mut idle, "idle keep-alive connection");
    let reply = read_reply(&mut waiting);
    assert_eq!(reply.status, Some(200), "{}{}", reply.head, reply.body);

    // A head that completes just inside the deadline is served, and the connection stays open for the next
    // request; once that has been answered and the connection goes quiet, the same deadline closes it.
    let mut kept = connect(address);
    kept.write_all(b"GET /things HTTP/1.1\r\n").unwrap();
    barrier(address);
    emulator.advance(HEAD_TIMEOUT - TICK);
    kept.write_all(b"host: 127.0.0.1\r\n\r\n").unwrap();
    let reply = read_response(&mut kept);
    assert_eq!(reply.status, Some(200), "{}{}", reply.head, reply.body);
    emulator.advance(HEAD_TIMEOUT - TICK);
    kept.write_all(b"GET /things HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let reply = read_response(&mut kept);
    assert_eq!(reply.status, Some(200), "{}{}", reply.head, reply.body);
    emulator.advance(HEAD_TIMEOUT - TICK);
    assert!(
        untouched(&kept),
        "an idle keep-alive connection was closed before its deadline"
    );
    emulator.advance(2 * TICK);
    assert_cut_off(&mut kept, "idle keep-alive connection after two requests");
}

#[test]
fn oversized_heads_are_refused() {
    let address = Emulator::start().address;
    // Over the 16 KiB limit but under hyper's hard cap: an AWS-shaped 400 InvalidRequestException (the model's
    // status for it) that names the limit.
    for size in [20 * 1024, 1_000_000] {
        let header = format!("x-big: {}\r\n", "a".repeat(size));
        let reply = get(address, "/things", &header);
        let message = reply.assert_aws(400, "InvalidRequestException");
        assert!(message.contains("the limit is 16384"), "{message}");
    }
    // So is a long URL.
    let reply = get(address, &format!("/things/{}", "t".repeat(20_000)), "");
    reply.assert_aws(400, "InvalidRequestException");
    // Many headers add up the same way.
    let many: String = (0..90)
        .map(|i| format!("x-h{i}: {}\r\n", "v".repeat(200)))
        .collect();
    get(address, "/things", &many).assert_aws(400, "InvalidRequestException");
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
    let emulator = Emulator::start();
    let address = emulator.address;
    // CreateThing with the given body framing header.
    let create = |thing: &str, length: &str| {
        format!(
            "POST /things/{thing} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n{length}connection: close\r\n\r\n"
        )
    };
    // A declared 10 MB body is refused from its Content-Length, before it is sent.
    let mut stream = connect(address);
    stream
        .write_all(create("t1", "content-length: 10485760\r\n").as_bytes())
        .unwrap();
    stream.write_all(b"{\"attributePayload\":").unwrap();
    let message = read_reply(&mut stream).assert_aws(413, "RequestEntityTooLargeException");
    assert!(message.contains("262144"), "{message}");

    // A chunked body is cut off once it passes the limit.
    let mut raw = create("t1", "transfer-encoding: chunked\r\n").into_bytes();
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..160 {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(&chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    send(address, &raw).assert_aws(413, "RequestEntityTooLargeException");
    get(address, "/things/t1", "").assert_aws(404, "ResourceNotFoundException");

    // A body that stops arriving: nothing until the request deadline, then 408 RequestTimeoutException (the
    // SDKs retry it), and nothing created.
    let body = br#"{"attributePayload":{"attributes":{"k":"v"}}}"#;
    let (first, rest) = body.split_at(20);
    let length = format!("content-length: {}\r\n", body.len());
    let mut stalled = connect(address);
    stalled.write_all(create("t1", &length).as_bytes()).unwrap();
    stalled.write_all(first).unwrap();
    barrier(address);
    emulator.advance(REQUEST_TIMEOUT - TICK);
    assert!(
        untouched(&stalled),
        "a stalled body was answered before the request deadline"
    );
    emulator.advance(2 * TICK);
    let message = read_reply(&mut stalled).assert_aws(408, "RequestTimeoutException");
    let limit = format!("within {} ms", REQUEST_TIMEOUT.as_millis());
    assert!(message.contains(&limit), "{message}");
    get(address, "/things/t1", "").assert_aws(404, "ResourceNotFoundException");

    // The same body finishing just inside the deadline is accepted: the thing is created.
    let mut slow = connect(address);
    slow.write_all(create("t2", &length).as_bytes()).unwrap();
    slow.write_all(first).unwrap();
    barrier(address);
    emulator.advance(REQUEST_TIMEOUT - TICK);
    slow.write_all(rest).unwrap();
    let reply = read_reply(&mut slow);
    assert_eq!(reply.status, Some(200), "{}{}", reply.head, reply.body);
    let thing = get(address, "/things/t2", "");
    assert_eq!(thing.status, Some(200), "{}{}", thing.head, thing.body);
    assert!(thing.body.contains(r#""k":"v""#), "{}", thing.body);

    // A body cut short by the client closing its side: an AWS-shaped 400, nothing created. The clock stands
    // still, so this cannot turn into a 408 however slowly the machine runs.
    let mut stream = connect(address);
    stream.write_all(create("t1", &length).as_bytes()).unwrap();
    stream.write_all(first).unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let reply = read_reply(&mut stream);
    if reply.status.is_some() {
        reply.assert_aws(400, "InvalidRequestException");
    }
    get(address, "/things/t1", "").assert_aws(404, "ResourceNotFoundException");
}

#[test]
fn malformed_routes_get_aws_shaped_errors() {
    let address = Emulator::start().address;
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
