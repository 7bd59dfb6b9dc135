//! Closed-loop load on the AWS IoT Jobs MQTT API: `--clients` connections (MQTT 5 or 3.1.1, over TCP, TLS or
//! WebSocket), each subscribing to `$aws/things/{thing}/jobs/{job}/get/accepted` and `…/rejected` (as the device
//! SDKs do), then publishing DescribeJobExecution requests (`{"clientToken":"…"}`) to `…/get` and awaiting the
//! reply that carries its clientToken before publishing the next, for `--duration` seconds. Prints requests/s and
//! latency percentiles (publish written → reply read), in wrk's units so scripts/bench-mqtt can set them side by side
//! with wrk's HTTP figures.
//!
//! Packets are encoded and decoded by `mqtt5-protocol` (the emulator's codec). Replies that carry another client's
//! clientToken (a broker that sends every reply to every subscriber of the topic) are acknowledged and skipped. A
//! QoS 1 reply is acknowledged in the same write as the next request. Connecting and subscribing happen before the
//! clock starts; every client starts at the same instant.
//!
//! ```text
//! mqtt-load --addr 127.0.0.1:1883 [--transport tcp|tls|ws] [--mqtt 5|3.1.1] [--clients 32] [--duration 10]
//!           [--threads 2] [--qos 1] [--thing NAME] [--job ID] [--ws-host HOST] [--ws-path /mqtt]
//!           [--timeout-ms 5000]
//! ```
//! `--thing` may contain `{i}`, replaced by the client's index (two digits: 00, 01, …) — one thing per client.
//! The TLS server certificate is not verified (the handshake happens before the clock starts; this measures
//! the session, not the PKI).

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Buf, BytesMut};
use futures_util::{SinkExt, StreamExt};
use mqtt5_protocol::packet::MqttPacket;
use mqtt5_protocol::packet::connect::ConnectPacket;
use mqtt5_protocol::packet::puback::PubAckPacket;
use mqtt5_protocol::packet::publish::PublishPacket;
use mqtt5_protocol::packet::subscribe::SubscribePacket;
use mqtt5_protocol::{ConnectOptions, FixedHeader, Packet, QoS, ReasonCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transport {
    Tcp,
    Tls,
    Ws,
}

#[derive(Debug, Clone)]
struct Options {
    addr: SocketAddr,
    transport: Transport,
    /// Protocol level: 5 or 4 (3.1.1).
    version: u8,
    clients: usize,
    duration: Duration,
    threads: usize,
    qos: QoS,
    thing: String,
    job: String,
    ws_host: Option<String>,
    ws_path: String,
    timeout: Duration,
}

const USAGE: &str = "usage: mqtt-load --addr HOST:PORT [--transport tcp|tls|ws] [--mqtt 5|3.1.1] [--clients N] \
[--duration SECONDS] [--threads N] [--qos 0|1] [--thing NAME (may contain {i})] [--job ID] [--ws-host HOST] \
[--ws-path PATH] [--timeout-ms MS]";

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        addr: "127.0.0.1:1883".parse().unwrap(),
        transport: Transport::Tcp,
        version: 5,
        clients: 32,
        duration: Duration::from_secs(10),
        threads: 2,
        qos: QoS::AtLeastOnce,
        thing: "sensor-gateway-eu-west-0042".into(),
        job: "firmware-update-2024-06-15-batch-017".into(),
        ws_host: None,
        ws_path: "/mqtt".into(),
        timeout: Duration::from_secs(5),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.into());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |what: &str| format!("{flag} {value}: {what}");
        match flag.as_str() {
            "--addr" => options.addr = value.parse().map_err(|_| bad("not HOST:PORT"))?,
            "--transport" => {
                options.transport = match value.as_str() {
                    "tcp" => Transport::Tcp,
                    "tls" => Transport::Tls,
                    "ws" => Transport::Ws,
                    _ => return Err(bad("tcp, tls or ws")),
                }
            }
            "--mqtt" => {
                options.version = match value.as_str() {
                    "5" | "5.0" => 5,
                    "3.1.1" | "4" => 4,
                    _ => return Err(bad("5 or 3.1.1")),
                }
            }
            "--clients" => options.clients = value.parse().map_err(|_| bad("a count"))?,
            "--duration" => {
                let seconds: f64 = value.parse().map_err(|_| bad("seconds"))?;
                options.duration = Duration::from_secs_f64(seconds);
            }
            "--threads" => options.threads = value.parse().map_err(|_| bad("a count"))?,
            "--qos" => {
                options.qos = match value.as_str() {
                    "0" => QoS::AtMostOnce,
                    "1" => QoS::AtLeastOnce,
                    _ => return Err(bad("0 or 1")),
                }
            }
            "--thing" => options.thing = value,
            "--job" => options.job = value,
            "--ws-host" => options.ws_host = Some(value),
            "--ws-path" => options.ws_path = value,
            "--timeout-ms" => {
                options.timeout = Duration::from_millis(value.parse().map_err(|_| bad("ms"))?)
            }
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    if options.clients == 0 || options.threads == 0 {
        return Err("--clients and --threads must be at least 1".into());
    }
    Ok(options)
}

// ---------------------------------------------------------------------------------------------------------------
// Transports: a byte stream either way (a packet may span WebSocket frames).

enum Io {
    Tcp(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    Ws(Box<WebSocketStream<TcpStream>>),
}

impl Io {
    async fn open(options: &Options, tls: Option<&tokio_rustls::TlsConnector>) -> io::Result<Io> {
        let tcp = TcpStream::connect(options.addr).await?;
        tcp.set_nodelay(true)?;
        Ok(match options.transport {
            Transport::Tcp => Io::Tcp(tcp),
            Transport::Tls => {
                let connector = tls.expect("a TLS connector for --transport tls");
                let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
                Io::Tls(Box::new(connector.connect(name, tcp).await?))
            }
            Transport::Ws => {
                let host = options
                    .ws_host
                    .clone()
                    .unwrap_or_else(|| options.addr.to_string());
                let mut request = format!("ws://{host}{}", options.ws_path)
                    .into_client_request()
                    .map_err(io::Error::other)?;
                request
                    .headers_mut()
                    .insert("Sec-WebSocket-Protocol", "mqtt".parse().unwrap());
                let (ws, _) = tokio_tungstenite::client_async(request, tcp)
                    .await
                    .map_err(io::Error::other)?;
                Io::Ws(Box::new(ws))
            }
        })
    }

    async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Io::Tcp(s) => s.write_all(bytes).await,
            Io::Tls(s) => {
                s.write_all(bytes).await?;
                s.flush().await
            }
            Io::Ws(ws) => ws
                .send(Message::Binary(bytes.to_vec().into()))
                .await
                .map_err(io::Error::other),
        }
    }

    /// Appends what arrives to `buffer`; `false` once the server closed.
    async fn read(&mut self, buffer: &mut BytesMut) -> io::Result<bool> {
        match self {
            Io::Tcp(s) => Ok(s.read_buf(buffer).await? > 0),
            Io::Tls(s) => Ok(s.read_buf(buffer).await? > 0),
            Io::Ws(ws) => loop {
                match ws.next().await {
                    None | Some(Ok(Message::Close(_))) => return Ok(false),
                    Some(Ok(Message::Binary(bytes))) => {
                        buffer.extend_from_slice(&bytes);
                        return Ok(true);
                    }
                    Some(Ok(_)) => {}
                    Some(Err(error)) => return Err(io::Error::other(error)),
                }
            },
        }
    }
}

/// TLS that accepts any server certificate (see the module documentation).
fn tls_connector() -> tokio_rustls::TlsConnector {
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};

    #[derive(Debug)]
    struct AcceptAny(Arc<CryptoProvider>);
    impl ServerCertVerifier for AcceptAny {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAny(provider)))
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

// ---------------------------------------------------------------------------------------------------------------
// One MQTT connection.

struct Conn {
    io: Io,
    buffer: BytesMut,
    version: u8,
}

fn encode(packet: &impl MqttPacket, out: &mut BytesMut) {
    packet
        .encode(out)
        .expect("a packet this tool builds encodes");
}

impl Conn {
    /// The first whole packet received, cut from the buffer; `None` until one is complete.
    fn take(&mut self) -> io::Result<Option<Packet>> {
        let mut remaining = 0usize;
        let mut header_len = None;
        for (i, byte) in self.buffer.iter().skip(1).take(4).enumerate() {
            remaining |= usize::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                header_len = Some(2 + i);
                break;
            }
        }
        let Some(header_len) = header_len else {
            return Ok(None);
        };
        let total = header_len + remaining;
        if self.buffer.len() < total {
            return Ok(None);
        }
        let mut frame = self.buffer.split_to(total).freeze();
        let header = FixedHeader::decode(&mut frame).map_err(io::Error::other)?;
        let packet = Packet::decode_from_body_with_version(
            header.packet_type,
            &header,
            &mut frame,
            self.version,
        )
        .map_err(|e| io::Error::other(format!("the server sent a malformed packet: {e}")))?;
        if frame.has_remaining() {
            return Err(io::Error::other("bytes left over after a packet"));
        }
        Ok(Some(packet))
    }

    /// The next packet, or an error when the server closed or `deadline` passed.
    async fn next(&mut self, deadline: Instant) -> io::Result<Packet> {
        loop {
            if let Some(packet) = self.take()? {
                return Ok(packet);
            }
            let read = tokio::time::timeout_at(deadline.into(), self.io.read(&mut self.buffer));
            match read.await {
                Err(_) => return Err(io::Error::new(io::ErrorKind::TimedOut, "no reply in time")),
                Ok(Err(error)) => return Err(error),
                Ok(Ok(false)) => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the server closed the connection",
                    ));
                }
                Ok(Ok(true)) => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// One client.

#[derive(Debug, Default)]
struct Stats {
    /// Round trips completed within the run, in microseconds.
    latencies_us: Vec<u32>,
    /// Replies on `…/rejected` (counted in the latencies too, as wrk counts non-2xx responses).
    rejected: u64,
    /// Replies carrying another client's clientToken (acknowledged and skipped).
    foreign: u64,
    /// A request that got no reply within --timeout-ms, or a connection lost mid-run (the client stops).
    failure: Option<String>,
}

async fn setup(
    index: usize,
    options: &Options,
    tls: Option<&tokio_rustls::TlsConnector>,
) -> io::Result<(Conn, String)> {
    let mut conn = Conn {
        io: Io::open(options, tls).await?,
        buffer: BytesMut::with_capacity(16 * 1024),
        version: options.version,
    };
    let guard = Instant::now() + Duration::from_secs(30);
    let client_id = format!("mqtt-load-{}-{index}", std::process::id());
    let connect_options = ConnectOptions::new(client_id).with_keep_alive(Duration::from_secs(120));
    let mut out = BytesMut::new();
    if options.version == 5 {
        encode(&ConnectPacket::new(connect_options), &mut out);
    } else {
        encode(&ConnectPacket::new_v311(connect_options), &mut out);
    }
    conn.io.write(&out).await?;
    match conn.next(guard).await? {
        Packet::ConnAck(connack) if connack.reason_code == ReasonCode::Success => {}
        other => return Err(io::Error::other(format!("CONNECT refused: {other:?}"))),
    }
    let thing = options.thing.replace("{i}", &format!("{index:02}"));
    let request_topic = format!("$aws/things/{thing}/jobs/{}/get", options.job);
    let subscribe = if options.version == 5 {
        SubscribePacket::new(1)
    } else {
        SubscribePacket::new_v311(1)
    };
    let subscribe = subscribe
        .add_filter(format!("{request_topic}/accepted"), options.qos)
        .add_filter(format!("{request_topic}/rejected"), options.qos);
    out.clear();
    encode(&subscribe, &mut out);
    conn.io.write(&out).await?;
    // Anything the broker sends before the SUBACK is skipped.
    loop {
        if let Packet::SubAck(suback) = conn.next(guard).await? {
            if suback.reason_codes.iter().any(|code| (*code as u8) >= 0x80) {
                return Err(io::Error::other(format!("SUBSCRIBE refused: {suback:?}")));
            }
            break;
        }
    }
    Ok((conn, request_topic))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

async fn run_client(
    index: usize,
    options: Arc<Options>,
    tls: Option<tokio_rustls::TlsConnector>,
    ready: mpsc::Sender<Result<(), String>>,
    mut start: watch::Receiver<Option<(Instant, Instant)>>,
) -> Stats {
    let mut stats = Stats::default();
    let (mut conn, request_topic) = match setup(index, &options, tls.as_ref()).await {
        Ok(ok) => ok,
        Err(error) => {
            let _ = ready.send(Err(format!("client {index}: {error}"))).await;
            return stats;
        }
    };
    let _ = ready.send(Ok(())).await;
    let (begin, end) = loop {
        if let Some(window) = *start.borrow_and_update() {
            break window;
        }
        if start.changed().await.is_err() {
            return stats;
        }
    };
    tokio::time::sleep_until(begin.into()).await;

    let accepted = format!("{request_topic}/accepted");
    let rejected = format!("{request_topic}/rejected");
    let mut out = BytesMut::with_capacity(1024);
    let mut packet_id: u16 = 1;
    let mut sequence: u64 = 0;
    while Instant::now() < end {
        sequence += 1;
        let token = format!("c{index}-{sequence}");
        let payload = format!(r#"{{"clientToken":"{token}"}}"#);
        let quoted = format!("\"{token}\"");
        let publish = if options.version == 5 {
            PublishPacket::new(request_topic.as_str(), payload.into_bytes(), options.qos)
        } else {
            PublishPacket::new_v311(request_topic.as_str(), payload.into_bytes(), options.qos)
        };
        let publish = if options.qos == QoS::AtMostOnce {
            publish
        } else {
            packet_id = packet_id.checked_add(1).unwrap_or(1);
            publish.with_packet_id(packet_id)
        };
        encode(&publish, &mut out);
        let sent = Instant::now();
        if let Err(error) = conn.io.write(&out).await {
            stats.failure = Some(format!("client {index}: write failed: {error}"));
            return stats;
        }
        out.clear();
        let deadline = sent + options.timeout;
        loop {
            let packet = match conn.next(deadline).await {
                Ok(packet) => packet,
                Err(error) => {
                    stats.failure = Some(format!("client {index}, request {token}: {error}"));
                    return stats;
                }
            };
            let Packet::Publish(reply) = packet else {
                match packet {
                    Packet::Disconnect(disconnect) => {
                        stats.failure = Some(format!(
                            "client {index}: DISCONNECT {:?}",
                            disconnect.reason_code
                        ));
                        return stats;
                    }
                    // PUBACKs of the requests, PINGRESP: nothing to do.
                    _ => continue,
                }
            };
            if let Some(id) = reply.packet_id {
                // Acknowledged with the next request (or below, at the end).
                encode(&PubAckPacket::new(id), &mut out);
            }
            let ours = contains(&reply.payload, quoted.as_bytes());
            if !ours {
                stats.foreign += 1;
                continue;
            }
            let done = Instant::now();
            let was_rejected = reply.topic_name == rejected;
            if !was_rejected && reply.topic_name != accepted {
                stats.foreign += 1;
                continue;
            }
            // A round trip that ends after the run is not counted (as wrk does).
            if done <= end {
                let micros = done.duration_since(sent).as_micros();
                stats
                    .latencies_us
                    .push(u32::try_from(micros).unwrap_or(u32::MAX));
                stats.rejected += u64::from(was_rejected);
            }
            break;
        }
    }
    if !out.is_empty() {
        let _ = conn.io.write(&out).await;
    }
    stats
}

// ---------------------------------------------------------------------------------------------------------------

/// A duration in wrk's notation: `468.00us`, `1.48ms`, `1.12s`.
fn wrk_units(micros: f64) -> String {
    if micros < 1000.0 {
        format!("{micros:.2}us")
    } else if micros < 1_000_000.0 {
        format!("{:.2}ms", micros / 1000.0)
    } else {
        format!("{:.2}s", micros / 1_000_000.0)
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, sorted.len()) - 1])
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => Arc::new(options),
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.threads)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(options))
}

async fn run(options: Arc<Options>) -> ExitCode {
    let tls = (options.transport == Transport::Tls).then(tls_connector);
    let (ready_tx, mut ready_rx) = mpsc::channel(options.clients);
    let (start_tx, start_rx) = watch::channel(None);
    let mut clients = Vec::with_capacity(options.clients);
    for index in 0..options.clients {
        clients.push(tokio::spawn(run_client(
            index,
            options.clone(),
            tls.clone(),
            ready_tx.clone(),
            start_rx.clone(),
        )));
    }
    drop(ready_tx);
    let mut setup_errors = Vec::new();
    for _ in 0..options.clients {
        match ready_rx.recv().await {
            Some(Ok(())) => {}
            Some(Err(error)) => setup_errors.push(error),
            None => break,
        }
    }
    if !setup_errors.is_empty() {
        eprintln!(
            "{} of {} clients could not connect and subscribe; first: {}",
            setup_errors.len(),
            options.clients,
            setup_errors[0]
        );
        drop(start_tx);
        for client in clients {
            let _ = client.await;
        }
        return ExitCode::FAILURE;
    }
    let begin = Instant::now() + Duration::from_millis(50);
    let end = begin + options.duration;
    let _ = start_tx.send(Some((begin, end)));

    let mut latencies = Vec::new();
    let (mut rejected, mut foreign) = (0u64, 0u64);
    let mut failures = Vec::new();
    for client in clients {
        match client.await {
            Ok(stats) => {
                latencies.extend_from_slice(&stats.latencies_us);
                rejected += stats.rejected;
                foreign += stats.foreign;
                failures.extend(stats.failure);
            }
            Err(error) => failures.push(format!("a client task failed: {error}")),
        }
    }
    latencies.sort_unstable();
    let requests = latencies.len();
    let seconds = options.duration.as_secs_f64();
    let rps = requests as f64 / seconds;
    let mean = latencies.iter().map(|&v| f64::from(v)).sum::<f64>() / requests.max(1) as f64;
    let (p50, p99) = (percentile(&latencies, 50.0), percentile(&latencies, 99.0));
    let max = latencies.last().map_or(f64::NAN, |&v| f64::from(v));
    eprintln!(
        "{} clients, MQTT {}, {:?}, QoS {}, {seconds} s: {requests} round trips, {rps:.2} req/s; \
         latency mean {} p50 {} p99 {} max {}; rejected {rejected}; other clients' replies skipped {foreign}; \
         clients lost {}",
        options.clients,
        if options.version == 5 { "5" } else { "3.1.1" },
        options.transport,
        options.qos as u8,
        wrk_units(mean),
        wrk_units(p50),
        wrk_units(p99),
        wrk_units(max),
        failures.len(),
    );
    for failure in failures.iter().take(5) {
        eprintln!("  {failure}");
    }
    // One line for scripts: key=value, latencies in wrk's notation.
    println!(
        "requests={requests} rps={rps:.2} p50={} p99={} max={} rejected={rejected} foreign={foreign} lost={}",
        wrk_units(p50),
        wrk_units(p99),
        wrk_units(max),
        failures.len()
    );
    if requests == 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
