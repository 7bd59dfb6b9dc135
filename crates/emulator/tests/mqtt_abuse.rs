//! Hostile, broken and slow MQTT clients on real sockets: keep-alive expiry, a client that never sends CONNECT,
//! trickled bytes, malformed, oversized and QoS 2 packets, the connection limit, a subscriber that stops reading,
//! and injected latency. Each is answered in bounded time — a v5 DISCONNECT with its reason where there is one to
//! give, a close otherwise — and every other connection keeps being served.
//!
//! As in `tests/abuse.rs`, the server runs on a paused tokio clock that only the test moves
//! ([`Emulator::advance`]): every deadline is checked just before and just after it, never with a stopwatch.
//! Socket read timeouts are only hang guards.

mod mqtt_wire;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use bytes::BytesMut;
use jobscope_emulator::mqtt::MqttLimits;
use jobscope_emulator::{Account, AppState, Clock, Config, Faults, Limits, Store, app, serve};
use mqtt_wire::{HANG_GUARD, connect_packet, encode, publish_packet, take_packet};
use mqtt5_protocol::packet::connack::ConnAckPacket;
use mqtt5_protocol::{Packet, QoS, ReasonCode};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_CONNECTIONS: usize = 4;
const MAX_PACKET: usize = 4096;
/// The smallest step of tokio's timer wheel.
const TICK: Duration = Duration::from_millis(1);
const SETTLE_ROUNDS: usize = 64;

struct Emulator {
    mqtt: SocketAddr,
    state: AppState,
    clock: tokio::sync::mpsc::UnboundedSender<(Duration, mpsc::Sender<()>)>,
}

async fn settle() {
    for _ in 0..SETTLE_ROUNDS {
        tokio::task::yield_now().await;
    }
}

impl Emulator {
    fn start(faults: Faults, queue: usize) -> Emulator {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mqtt = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let http_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        http_listener.set_nonblocking(true).unwrap();
        let (clock, mut moves) =
            tokio::sync::mpsc::unbounded_channel::<(Duration, mpsc::Sender<()>)>();
        let (state_tx, state_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .unwrap();
            runtime.block_on(async move {
                // Keeps the paused clock from jumping ahead while the server waits for clients (see abuse.rs).
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
                let store = Store::in_memory(account, Clock::manual(1_700_000_000_000));
                let config = Config {
                    faults,
                    mqtt: MqttLimits {
                        max_connections: MAX_CONNECTIONS,
                        max_packet_bytes: MAX_PACKET,
                        connect_timeout: CONNECT_TIMEOUT,
                        queue,
                        ..MqttLimits::default()
                    },
                    ..Config::default()
                };
                let state = AppState::new(store, config);
                state_tx.send(state.clone()).unwrap();
                let http = tokio::net::TcpListener::from_std(http_listener).unwrap();
                tokio::spawn(serve(
                    http,
                    app(state.clone()),
                    Limits::default(),
                    std::future::pending(),
                ));
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                jobscope_emulator::mqtt::serve(listener, state, None, std::future::pending())
                    .await
                    .unwrap();
            });
        });
        Emulator {
            mqtt,
            state: state_rx.recv_timeout(HANG_GUARD).unwrap(),
            clock,
        }
    }

    /// Moves the server's clock forward and returns once the server has acted on it.
    fn advance(&self, by: Duration) {
        let (done, finished) = mpsc::channel();
        self.clock.send((by, done)).unwrap();
        finished
            .recv_timeout(HANG_GUARD)
            .expect("the server's runtime did not take the clock step");
    }
}

/// A blocking raw MQTT connection.
struct Raw {
    stream: TcpStream,
    buffer: BytesMut,
    version: u8,
}

impl Raw {
    fn open(address: SocketAddr, version: u8) -> Raw {
        let stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(HANG_GUARD)).unwrap();
        Raw {
            stream,
            buffer: BytesMut::new(),
            version,
        }
    }

    /// Connected with `keep_alive` seconds; the CONNACK.
    fn connect(
        address: SocketAddr,
        version: u8,
        id: &str,
        keep_alive: u64,
    ) -> (Raw, ConnAckPacket) {
        let mut raw = Raw::open(address, version);
        raw.write(&connect_packet(version, id, keep_alive));
        match raw.next() {
            Some(Packet::ConnAck(connack)) => (raw, connack),
            other => panic!("expected CONNACK, got {other:?}"),
        }
    }

    fn connected(address: SocketAddr, version: u8, id: &str, keep_alive: u64) -> Raw {
        let (raw, connack) = Raw::connect(address, version, id, keep_alive);
        assert_eq!(connack.reason_code, ReasonCode::Success, "{id}");
        raw
    }

    fn write(&mut self, bytes: &[u8]) {
        // The server may already have closed (a broken pipe is an answer too).
        let _ = self.stream.write_all(bytes);
    }

    /// The next packet, or `None` once the server closed.
    fn next(&mut self) -> Option<Packet> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            if let Some(packet) = take_packet(&mut self.buffer, self.version) {
                return Some(packet);
            }
            match self.stream.read(&mut chunk) {
                Ok(0) => return None,
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    panic!("the server neither answered nor closed within the hang guard")
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
    }

    /// Asserts the server closed the connection, after a v5 DISCONNECT with `reason` when one is given.
    fn assert_closed(&mut self, reason: Option<ReasonCode>, what: &str) {
        match (self.next(), reason) {
            (None, None) => {}
            (Some(Packet::Disconnect(disconnect)), Some(reason)) => {
                assert_eq!(disconnect.reason_code, reason, "{what}");
                assert!(self.next().is_none(), "{what}: still open after DISCONNECT");
            }
            (other, _) => panic!("{what}: expected {reason:?} and a close, got {other:?}"),
        }
    }

    fn ping(&mut self) {
        self.write(&[0xc0, 0x00]);
        assert!(matches!(self.next(), Some(Packet::PingResp)), "no PINGRESP");
    }

    /// True while the server has neither sent anything nor closed. Checked right after [`Emulator::advance`] has
    /// let the server act: a slow server can only make it pass, never fail.
    fn untouched(&self) -> bool {
        if !self.buffer.is_empty() {
            return false;
        }
        self.stream.set_nonblocking(true).unwrap();
        let mut byte = [0u8; 1];
        let untouched =
            matches!(self.stream.peek(&mut byte), Err(e) if e.kind() == ErrorKind::WouldBlock);
        self.stream.set_nonblocking(false).unwrap();
        untouched
    }
}

#[test]
fn keep_alive_runs_out_at_one_and_a_half_times_the_interval_and_only_whole_packets_renew_it() {
    let e = Emulator::start(Faults::default(), 64);
    let mut v311 = Raw::connected(e.mqtt, 4, "v311", 4); // 6 s
    let mut v5 = Raw::connected(e.mqtt, 5, "v5", 10); // 15 s
    let mut trickler = Raw::connected(e.mqtt, 5, "trickler", 10);
    let mut pinger = Raw::connected(e.mqtt, 5, "pinger", 10);

    e.advance(Duration::from_secs(6) - TICK);
    for (raw, name) in [
        (&v311, "v311"),
        (&v5, "v5"),
        (&trickler, "trickler"),
        (&pinger, "pinger"),
    ] {
        assert!(raw.untouched(), "{name} closed before its deadline");
    }
    e.advance(2 * TICK);
    v311.assert_closed(None, "3.1.1 client past 1.5 × 4 s");

    // Bytes that make no whole packet do not count; a PINGREQ does.
    trickler.write(&[0x30]);
    pinger.ping();
    e.advance(Duration::from_secs(9) - 2 * TICK);
    trickler.write(&[0x05]);
    assert!(v5.untouched() && trickler.untouched() && pinger.untouched());
    e.advance(2 * TICK);
    v5.assert_closed(
        Some(ReasonCode::KeepAliveTimeout),
        "v5 client past 1.5 × 10 s",
    );
    trickler.assert_closed(Some(ReasonCode::KeepAliveTimeout), "trickling client");
    pinger.ping();

    // Keep-alive 0 (none) is served as AWS IoT does: 1200 s, told in the CONNACK.
    let (mut forever, connack) = Raw::connect(e.mqtt, 5, "forever", 0);
    assert_eq!(connack.properties.get_server_keep_alive(), Some(1200));
    e.advance(Duration::from_secs(1800) - TICK);
    assert!(forever.untouched());
    e.advance(2 * TICK);
    forever.assert_closed(Some(ReasonCode::KeepAliveTimeout), "keep-alive 0 → 1200 s");
}

#[test]
fn a_client_that_never_sends_connect_is_closed_at_the_connect_timeout() {
    let e = Emulator::start(Faults::default(), 64);
    let mut silent = Raw::open(e.mqtt, 5);
    let mut partial = Raw::open(e.mqtt, 5);
    partial.write(&connect_packet(5, "partial", 60)[..6]);
    // A connected client answered after both were opened: they have been taken, their deadline runs from now.
    let mut barrier = Raw::connected(e.mqtt, 5, "barrier", 60);
    e.advance(CONNECT_TIMEOUT - TICK);
    assert!(silent.untouched() && partial.untouched());
    e.advance(2 * TICK);
    silent.assert_closed(None, "silent client");
    partial.assert_closed(None, "half a CONNECT");
    barrier.ping();
}

#[test]
fn malformed_oversized_and_qos_2_packets_close_only_their_connection() {
    let e = Emulator::start(Faults::default(), 64);
    let mut good = Raw::connected(e.mqtt, 5, "good", 60);

    let mut raw = Raw::connected(e.mqtt, 5, "bad-length", 60);
    raw.write(&[0x30, 0xff, 0xff, 0xff, 0xff, 0x01]);
    raw.assert_closed(
        Some(ReasonCode::MalformedPacket),
        "a 5-byte remaining length",
    );

    let mut raw = Raw::connected(e.mqtt, 5, "bad-body", 60);
    raw.write(&[0x82, 0x02, 0x00, 0x01]); // SUBSCRIBE with no filter
    raw.assert_closed(
        Some(ReasonCode::MalformedPacket),
        "SUBSCRIBE without filters",
    );

    let mut raw = Raw::open(e.mqtt, 5);
    raw.write(&[0xc0, 0x00]);
    raw.assert_closed(None, "PINGREQ before CONNECT");

    let mut raw = Raw::open(e.mqtt, 5);
    raw.write(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n");
    raw.assert_closed(None, "HTTP on the MQTT port");

    let oversized = publish_packet(5, "big", &vec![b'x'; MAX_PACKET], QoS::AtMostOnce, 0);
    let mut raw = Raw::connected(e.mqtt, 5, "big-v5", 60);
    raw.write(&encode(&oversized));
    raw.assert_closed(Some(ReasonCode::PacketTooLarge), "a packet over the limit");
    let oversized = publish_packet(4, "big", &vec![b'x'; MAX_PACKET], QoS::AtMostOnce, 0);
    let mut raw = Raw::connected(e.mqtt, 4, "big-v311", 60);
    raw.write(&encode(&oversized));
    raw.assert_closed(None, "a 3.1.1 packet over the limit");

    let mut raw = Raw::connected(e.mqtt, 5, "qos2-v5", 60);
    raw.write(&encode(&publish_packet(5, "t", b"x", QoS::ExactlyOnce, 1)));
    raw.assert_closed(Some(ReasonCode::QoSNotSupported), "QoS 2 on v5");
    let mut raw = Raw::connected(e.mqtt, 4, "qos2-v311", 60);
    raw.write(&encode(&publish_packet(4, "t", b"x", QoS::ExactlyOnce, 1)));
    raw.assert_closed(None, "QoS 2 on 3.1.1");

    let mut raw = Raw::connected(e.mqtt, 5, "wildcard-topic", 60);
    raw.write(&encode(&publish_packet(
        5,
        "a/+/b",
        b"x",
        QoS::AtMostOnce,
        0,
    )));
    raw.assert_closed(
        Some(ReasonCode::TopicNameInvalid),
        "a wildcard in a topic name",
    );

    // A protocol level the server does not speak: CONNACK 0x01 in the 3.1.1 form, then closed.
    let mut connect = connect_packet(4, "future", 60);
    connect[8] = 6;
    let mut raw = Raw::open(e.mqtt, 4);
    raw.write(&connect);
    match raw.next() {
        Some(Packet::ConnAck(connack)) => {
            assert_eq!(connack.reason_code, ReasonCode::UnsupportedProtocolVersion)
        }
        other => panic!("expected CONNACK, got {other:?}"),
    }
    raw.assert_closed(None, "protocol level 6");

    // Everyone else is still served, Jobs included.
    good.ping();
    good.write(&encode(&publish_packet(
        5,
        "$aws/things/t/jobs/$next/get",
        b"{}",
        QoS::AtMostOnce,
        0,
    )));
    match good.next() {
        Some(Packet::Publish(reply)) => {
            assert_eq!(reply.topic_name, "$aws/things/t/jobs/$next/get/accepted")
        }
        other => panic!("expected the reply, got {other:?}"),
    }
}

#[test]
fn the_connection_limit_refuses_with_server_busy_and_frees_slots_as_clients_leave() {
    let e = Emulator::start(Faults::default(), 64);
    let mut held: Vec<Raw> = (0..MAX_CONNECTIONS)
        .map(|i| Raw::connected(e.mqtt, 5, &format!("held-{i}"), 60))
        .collect();
    let (mut busy, connack) = Raw::connect(e.mqtt, 5, "one-more", 60);
    assert_eq!(connack.reason_code, ReasonCode::ServerBusy);
    busy.assert_closed(None, "refused v5 client");
    let (mut busy, connack) = Raw::connect(e.mqtt, 4, "one-more-v311", 60);
    // 3.1.1 return code 3, "server unavailable".
    assert_eq!(connack.reason_code, ReasonCode::ServerUnavailable);
    busy.assert_closed(None, "refused 3.1.1 client");

    // One leaves with DISCONNECT; once the server has closed it, its slot is free.
    let mut leaving = held.pop().unwrap();
    leaving.write(&[0xe0, 0x00]);
    leaving.assert_closed(None, "DISCONNECT");
    let mut fresh = Raw::connected(e.mqtt, 5, "fresh", 60);
    fresh.ping();
    for raw in &mut held {
        raw.ping();
    }
    assert_eq!(e.state.mqtt.connected(), MAX_CONNECTIONS);
}

#[test]
fn a_subscriber_that_stops_reading_is_dropped_without_holding_up_the_publisher() {
    let queue = 4;
    let e = Emulator::start(Faults::default(), queue);
    let mut stalled = Raw::connected(e.mqtt, 5, "stalled", 60);
    stalled.write(&encode(
        &mqtt5_protocol::packet::subscribe::SubscribePacket::new(1)
            .add_filter("#", QoS::AtMostOnce),
    ));
    assert!(matches!(stalled.next(), Some(Packet::SubAck(_))));
    // From here on `stalled` reads nothing: the kernel buffers fill, its connection blocks on writing, its queue
    // fills, and the broker drops it.
    let mut publisher = Raw::connected(e.mqtt, 5, "publisher", 60);
    let payload = vec![b'x'; MAX_PACKET - 64];
    let publish = encode(&publish_packet(5, "flood", &payload, QoS::AtMostOnce, 0));
    let mut sent = 0;
    while e.state.mqtt.connected() == 2 {
        assert!(sent < 20_000, "the stalled subscriber was never dropped");
        for _ in 0..64 {
            publisher.write(&publish);
        }
        sent += 64;
        publisher.ping();
    }
    assert_eq!(e.state.mqtt.connected(), 1, "only the publisher is left");
    publisher.ping();
}

#[test]
fn injected_latency_holds_back_jobs_replies_on_the_paused_clock() {
    let latency = Duration::from_secs(3);
    let e = Emulator::start(
        Faults {
            latency,
            ..Faults::default()
        },
        64,
    );
    let mut c = Raw::connected(e.mqtt, 5, "device", 60);
    c.write(&encode(&publish_packet(
        5,
        "$aws/things/t/jobs/$next/get",
        br#"{"clientToken":"slow"}"#,
        QoS::AtMostOnce,
        0,
    )));
    // A PINGREQ right behind it waits too: the connection holds its output for the latency.
    c.write(&[0xc0, 0x00]);
    e.advance(latency - TICK);
    assert!(c.untouched(), "the reply came before the injected latency");
    e.advance(2 * TICK);
    match c.next() {
        Some(Packet::Publish(reply)) => assert!(reply.topic_name.ends_with("/accepted")),
        other => panic!("expected the reply, got {other:?}"),
    }
    assert!(matches!(c.next(), Some(Packet::PingResp)));
}
