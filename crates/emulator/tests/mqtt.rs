//! The Jobs device API over MQTT on real loopback sockets, with a raw client (packets encoded by `mqtt5-protocol`,
//! replies decoded by the core as a jobscope client would): every device operation and rejection code, notify and
//! notify-next from HTTP and MQTT changes, ordinary publish/subscribe, TLS with the generated CA, the WebSocket path
//! and SigV4-presigned WebSocket URLs. The control side is driven over HTTP through the same state.

mod mqtt_wire;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use futures_util::{SinkExt, StreamExt};
use http_body_util::BodyExt;
use jobscope::codec::mqtt::{MqttMessage, decode_message};
use jobscope::sigv4::{Credentials, presign_mqtt_url};
use jobscope::{DescribeOutcome, ErrorCode};
use jobscope_emulator::mqtt::Pki;
use jobscope_emulator::{AccessKeys, Account, AppState, Clock, Config, Faults, Limits, Store, app};
use mqtt_wire::{Client, Wire};
use mqtt5_protocol::packet::suback::SubAckReasonCode;
use mqtt5_protocol::packet::unsuback::UnsubAckReasonCode;
use mqtt5_protocol::packet::unsubscribe::UnsubscribePacket;
use mqtt5_protocol::{Packet, QoS, ReasonCode};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tower::ServiceExt;

/// 2023-11-14T22:13:20Z: the emulator's clock stands here unless a test moves it.
const START_MS: i64 = 1_700_000_000_000;
const START_S: i64 = 1_700_000_000;
const REGION: &str = "us-east-1";

struct Emulator {
    router: Router,
    state: AppState,
    http: SocketAddr,
    mqtt: SocketAddr,
    tls: Option<SocketAddr>,
}

async fn bind() -> tokio::net::TcpListener {
    tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap()
}

/// An emulator on loopback ports (HTTP with `/mqtt`, MQTT over TCP, and TLS when the config has certificates).
async fn start(config: Config) -> Emulator {
    let account = Account {
        account_id: "123456789012".into(),
        region: REGION.into(),
    };
    let store = Store::in_memory(account, Clock::manual(START_MS));
    let state = AppState::new(store, config);
    let router = app(state.clone());
    let http = bind().await;
    let http_address = http.local_addr().unwrap();
    tokio::spawn(jobscope_emulator::serve(
        http,
        router.clone(),
        Limits::default(),
        std::future::pending(),
    ));
    let mqtt = bind().await;
    let mqtt_address = mqtt.local_addr().unwrap();
    tokio::spawn(jobscope_emulator::mqtt::serve(
        mqtt,
        state.clone(),
        None,
        std::future::pending(),
    ));
    let tls = match &state.config.mqtt_pki {
        Some(pki) => {
            let listener = bind().await;
            let address = listener.local_addr().unwrap();
            tokio::spawn(jobscope_emulator::mqtt::serve(
                listener,
                state.clone(),
                Some(pki.server_config().unwrap()),
                std::future::pending(),
            ));
            Some(address)
        }
        None => None,
    };
    Emulator {
        router,
        state,
        http: http_address,
        mqtt: mqtt_address,
        tls,
    }
}

impl Emulator {
    /// An HTTP call through the router (the same state the MQTT side serves).
    async fn call(&self, method: &str, uri: &str, body: Option<Value>) -> (u16, String) {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn create_thing(&self, thing: &str) {
        let (status, body) = self
            .call("POST", &format!("/things/{thing}"), Some(json!({})))
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// CreateJob over HTTP (control plane).
    async fn create_job(&self, job: &str, things: &[&str], document: &str, extra: Value) {
        let targets: Vec<String> = things
            .iter()
            .map(|t| format!("arn:aws:iot:{REGION}:123456789012:thing/{t}"))
            .collect();
        let mut body = json!({"targets": targets, "document": document});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, reply) = self.call("PUT", &format!("/jobs/{job}"), Some(body)).await;
        assert_eq!(status, 200, "{reply}");
    }

    async fn client(&self, version: u8, client_id: &str) -> Client<TcpStream> {
        let stream = TcpStream::connect(self.mqtt).await.unwrap();
        let (client, connack) = Client::connect(stream, version, client_id).await;
        assert_eq!(connack.reason_code, ReasonCode::Success);
        client
    }
}

/// Decodes a reply with the core, as a jobscope client would.
fn decode(
    topic: &str,
    body: &Value,
    token: Option<&str>,
) -> Result<MqttMessage, jobscope::ServiceError> {
    decode_message(topic, body.to_string().as_bytes(), None, token)
}

const DOCUMENT: &str = r#"{"op":"reboot","version":"1.2.3"}"#;

#[tokio::test]
async fn describe_by_next_and_by_id_and_nothing_pending_on_mqtt_5_and_3_1_1() {
    let e = start(Config::default()).await;
    e.create_thing("sensor-1").await;
    e.create_job("job-1", &["sensor-1"], DOCUMENT, json!({}))
        .await;
    for version in [5u8, 4] {
        let mut c = e.client(version, &format!("device-v{version}")).await;
        if version == 5 {
            // As the V2 SDKs do; the 3.1.1 client subscribes to nothing and is answered anyway.
            let suback = c
                .subscribe(&["$aws/things/sensor-1/jobs/$next/get/+"], QoS::AtLeastOnce)
                .await;
            assert_eq!(suback.reason_codes, [SubAckReasonCode::GrantedQoS1]);
        }
        let (topic, body) = c
            .request(
                "$aws/things/sensor-1/jobs/$next/get",
                r#"{"clientToken":"c-1"}"#,
            )
            .await;
        assert_eq!(topic, "$aws/things/sensor-1/jobs/$next/get/accepted");
        assert_eq!(body["clientToken"], "c-1");
        assert_eq!(body["timestamp"], START_S);
        let execution = &body["execution"];
        assert_eq!(execution["jobId"], "job-1");
        assert_eq!(execution["thingName"], "sensor-1");
        assert_eq!(execution["status"], "QUEUED");
        assert_eq!(execution["queuedAt"], START_S);
        assert_eq!(execution["versionNumber"], 1);
        assert_eq!(execution["executionNumber"], 1);
        assert_eq!(
            execution["jobDocument"],
            json!({"op": "reboot", "version": "1.2.3"}),
            "a JSON object over MQTT"
        );
        let Ok(MqttMessage::Execution(DescribeOutcome::Execution {
            execution,
            warnings,
        })) = decode(&topic, &body, Some("c-1"))
        else {
            panic!("{body}")
        };
        assert_eq!(execution.job_id.as_deref(), Some("job-1"));
        assert!(warnings.is_empty(), "{warnings:?}");

        let (topic, body) = c
            .request(
                "$aws/things/sensor-1/jobs/job-1/get",
                r#"{"clientToken":"c-2","executionNumber":1,"includeJobDocument":false}"#,
            )
            .await;
        assert_eq!(topic, "$aws/things/sensor-1/jobs/job-1/get/accepted");
        assert_eq!(body["execution"]["jobId"], "job-1");
        assert!(body["execution"].get("jobDocument").is_none(), "{body}");

        let (topic, body) = c.request("$aws/things/idle/jobs/$next/get", "").await;
        assert_eq!(topic, "$aws/things/idle/jobs/$next/get/accepted");
        assert_eq!(
            body,
            json!({"timestamp": START_S}),
            "nothing pending: no execution"
        );
        assert!(matches!(
            decode(&topic, &body, None),
            Ok(MqttMessage::Execution(
                DescribeOutcome::NothingPending { .. }
            ))
        ));
    }
}

#[tokio::test]
async fn start_next_update_version_mismatch_and_terminal_states_share_the_http_state() {
    let e = start(Config::default()).await;
    e.create_thing("t1").await;
    e.create_job("j1", &["t1"], DOCUMENT, json!({})).await;
    let mut c = e.client(5, "device").await;

    let (topic, body) = c
        .request(
            "$aws/things/t1/jobs/start-next",
            r#"{"clientToken":"s","statusDetails":{"step":"1"}}"#,
        )
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/start-next/accepted");
    assert_eq!(body["execution"]["status"], "IN_PROGRESS");
    assert_eq!(body["execution"]["versionNumber"], 2);
    assert_eq!(body["execution"]["startedAt"], START_S);
    assert_eq!(body["execution"]["statusDetails"], json!({"step": "1"}));
    assert_eq!(body["execution"]["jobDocument"]["op"], "reboot");
    // What MQTT changed, HTTP sees.
    let (status, http) = e.call("GET", "/data/things/t1/jobs/j1", None).await;
    assert_eq!(status, 200);
    assert!(http.contains(r#""status":"IN_PROGRESS""#), "{http}");

    let (topic, body) = c
        .request("$aws/things/t1/jobs/get", r#"{"clientToken":"p"}"#)
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/get/accepted");
    assert_eq!(body["clientToken"], "p");
    assert_eq!(body["inProgressJobs"][0]["jobId"], "j1");
    assert_eq!(body["queuedJobs"], json!([]));
    assert!(matches!(
        decode(&topic, &body, Some("p")),
        Ok(MqttMessage::Pending { .. })
    ));

    // A stale expectedVersion: VersionMismatch, with where the execution is.
    let (topic, body) = c
        .request(
            "$aws/things/t1/jobs/j1/update",
            r#"{"clientToken":"u1","status":"SUCCEEDED","expectedVersion":1}"#,
        )
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/j1/update/rejected");
    assert_eq!(body["code"], "VersionMismatch");
    assert_eq!(body["clientToken"], "u1");
    assert_eq!(body["timestamp"], START_S);
    assert_eq!(
        body["executionState"],
        json!({"status": "IN_PROGRESS", "statusDetails": {"step": "1"}, "versionNumber": 2})
    );
    let error = decode(&topic, &body, Some("u1")).unwrap_err();
    assert_eq!(error.code, ErrorCode::VersionMismatch);
    assert!(error.execution_state.is_some());

    let (topic, body) = c
        .request(
            "$aws/things/t1/jobs/j1/update",
            r#"{"clientToken":"u2","status":"SUCCEEDED","expectedVersion":2,"includeJobExecutionState":true,"includeJobDocument":true}"#,
        )
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/j1/update/accepted");
    assert_eq!(body["executionState"]["status"], "SUCCEEDED");
    assert_eq!(body["executionState"]["versionNumber"], 3);
    assert_eq!(body["jobDocument"]["version"], "1.2.3");
    assert!(matches!(
        decode(&topic, &body, Some("u2")),
        Ok(MqttMessage::Updated { .. })
    ));
    let (_, http) = e.call("GET", "/control/things/t1/jobs/j1", None).await;
    assert!(http.contains(r#""status":"SUCCEEDED""#), "{http}");

    let (topic, body) = c
        .request("$aws/things/t1/jobs/j1/get", r#"{"clientToken":"d"}"#)
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/j1/get/rejected");
    assert_eq!(body["code"], "TerminalStateReached");
    let error = decode(&topic, &body, Some("d")).unwrap_err();
    assert_eq!(error.code, ErrorCode::TerminalStateReached);

    let (topic, body) = c
        .request(
            "$aws/things/t1/jobs/j1/update",
            r#"{"status":"IN_PROGRESS"}"#,
        )
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/j1/update/rejected");
    assert_eq!(body["code"], "InvalidStateTransition");
    assert_eq!(body["executionState"]["status"], "SUCCEEDED");
    assert!(body.get("clientToken").is_none());

    // And back: an HTTP update is what MQTT describes next.
    e.create_job("j2", &["t1"], "{}", json!({})).await;
    let (status, reply) = e
        .call(
            "POST",
            "/data/things/t1/jobs/j2",
            Some(json!({"status": "IN_PROGRESS", "statusDetails": {"by": "http"}})),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let (_, body) = c.request("$aws/things/t1/jobs/$next/get", "{}").await;
    assert_eq!(body["execution"]["jobId"], "j2");
    assert_eq!(body["execution"]["statusDetails"]["by"], "http");
}

#[tokio::test]
async fn every_rejection_code_a_device_can_meet() {
    let e = start(Config::default()).await;
    e.create_thing("t1").await;
    e.create_job("j1", &["t1"], DOCUMENT, json!({})).await;
    let mut c = e.client(5, "device").await;

    let (topic, body) = c
        .request("$aws/things/t1/jobs/nope/get", r#"{"clientToken":"r"}"#)
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/nope/get/rejected");
    assert_eq!(body["code"], "ResourceNotFound");
    assert_eq!(body["clientToken"], "r");
    let error = decode(&topic, &body, Some("r")).unwrap_err();
    assert_eq!(error.code, ErrorCode::ResourceNotFound);
    assert!(!error.explanation().meaning.is_empty());

    let (topic, body) = c
        .request("$aws/things/t1/jobs/$next/get", "{not json")
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/$next/get/rejected");
    assert_eq!(body["code"], "InvalidJson");
    assert_eq!(
        decode(&topic, &body, None).unwrap_err().code,
        ErrorCode::InvalidJson
    );

    // A topic in the Jobs namespace that maps to no operation: answered on `{topic}/rejected`.
    let (topic, body) = c
        .request("$aws/things/t1/jobs/j1/describe", r#"{"clientToken":"x"}"#)
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/j1/describe/rejected");
    assert_eq!(body["code"], "InvalidTopic");
    assert_eq!(body["clientToken"], "x");

    // A thing name with a space: a rejection naming the problem, not a crash.
    let (topic, body) = c
        .request("$aws/things/my thing/jobs/get", r#"{"clientToken":"sp"}"#)
        .await;
    assert_eq!(topic, "$aws/things/my thing/jobs/get/rejected");
    assert_eq!(body["code"], "InvalidRequest");
    assert!(
        body["message"].as_str().unwrap().starts_with("thingName"),
        "{body}"
    );
    assert_eq!(body["clientToken"], "sp");

    // A status a device cannot set, and a payload field of the wrong type.
    let (_, body) = c
        .request("$aws/things/t1/jobs/j1/update", r#"{"status":"CANCELED"}"#)
        .await;
    assert_eq!(body["code"], "InvalidRequest");
    let (_, body) = c
        .request("$aws/things/t1/jobs/j1/get", r#"{"executionNumber":"one"}"#)
        .await;
    assert_eq!(body["code"], "InvalidRequest");

    // The service's own topics are not the client's to publish to.
    let puback = c
        .publish("$aws/things/t1/jobs/j1/get/accepted", b"{}")
        .await;
    assert_eq!(puback.reason_code, ReasonCode::NotAuthorized);
    let puback = c.publish("$aws/things/t1/jobs/notify-next", b"{}").await;
    assert_eq!(puback.reason_code, ReasonCode::NotAuthorized);
    assert!(c.ping().await.is_empty(), "nothing answers them");
}

#[tokio::test]
async fn injected_throttling_is_request_throttled() {
    let e = start(Config {
        faults: Faults {
            throttle_rate: 1.0,
            ..Faults::default()
        },
        ..Config::default()
    })
    .await;
    let mut c = e.client(4, "device").await;
    let (topic, body) = c
        .request("$aws/things/t1/jobs/$next/get", r#"{"clientToken":"t"}"#)
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/$next/get/rejected");
    assert_eq!(body["code"], "RequestThrottled");
    assert_eq!(body["clientToken"], "t");
    let error = decode(&topic, &body, Some("t")).unwrap_err();
    assert!(error.explanation().retryable);
}

#[tokio::test]
async fn injected_unavailability_is_internal_error() {
    let e = start(Config {
        faults: Faults {
            unavailable_rate: 1.0,
            ..Faults::default()
        },
        ..Config::default()
    })
    .await;
    let mut c = e.client(5, "device").await;
    let (topic, body) = c
        .request("$aws/things/t1/jobs/j1/get", r#"{"clientToken":"u"}"#)
        .await;
    assert_eq!(topic, "$aws/things/t1/jobs/j1/get/rejected");
    assert_eq!(body["code"], "InternalError");
    assert_eq!(body["clientToken"], "u");
    let error = decode(&topic, &body, Some("u")).unwrap_err();
    assert_eq!(error.code, jobscope::ErrorCode::InternalError);
    assert!(error.retryable(), "an internal error may pass on a retry");
}

/// The next `count` publishes, by topic.
async fn publishes(c: &mut Client<TcpStream>, count: usize) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for _ in 0..count {
        let publish = c.next_publish().await;
        assert_eq!(
            publish.qos,
            QoS::AtLeastOnce,
            "notifications go out at QoS 1"
        );
        out.push((
            publish.topic_name,
            serde_json::from_slice(&publish.payload).unwrap(),
        ));
    }
    out
}

fn find<'a>(messages: &'a [(String, Value)], suffix: &str) -> &'a Value {
    &messages
        .iter()
        .find(|(topic, _)| topic.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} in {messages:?}"))
        .1
}

#[tokio::test]
async fn notify_and_notify_next_follow_every_change_http_mqtt_and_timeouts() {
    let e = start(Config::default()).await;
    e.create_thing("t1").await;
    let mut watcher = e.client(5, "watcher").await;
    watcher
        .subscribe(
            &[
                "$aws/things/t1/jobs/notify",
                "$aws/things/t1/jobs/notify-next",
            ],
            QoS::AtLeastOnce,
        )
        .await;

    // HTTP CreateJob: the list and the head both change.
    e.create_job("j1", &["t1"], DOCUMENT, json!({})).await;
    let messages = publishes(&mut watcher, 2).await;
    let notify = find(&messages, "/notify");
    assert_eq!(notify["timestamp"], START_S);
    assert_eq!(notify["jobs"]["QUEUED"][0]["jobId"], "j1");
    assert!(notify["jobs"].get("IN_PROGRESS").is_none());
    let next = find(&messages, "/notify-next");
    assert_eq!(next["execution"]["jobId"], "j1");
    assert_eq!(next["execution"]["thingName"], "t1");
    assert_eq!(next["execution"]["jobDocument"]["op"], "reboot");
    assert!(matches!(
        decode("$aws/things/t1/jobs/notify-next", next, None),
        Ok(MqttMessage::Execution(DescribeOutcome::Execution { .. }))
    ));
    assert!(matches!(
        decode("$aws/things/t1/jobs/notify", notify, None),
        Ok(MqttMessage::Pending { .. })
    ));

    // MQTT start-next: the list changes (QUEUED → IN_PROGRESS), the head does not.
    let mut device = e.client(4, "device").await;
    let (_, started) = device.request("$aws/things/t1/jobs/start-next", "{}").await;
    assert_eq!(started["execution"]["status"], "IN_PROGRESS");
    let messages = publishes(&mut watcher, 1).await;
    assert_eq!(messages[0].0, "$aws/things/t1/jobs/notify");
    assert_eq!(messages[0].1["jobs"]["IN_PROGRESS"][0]["jobId"], "j1");
    assert!(
        watcher.ping().await.is_empty(),
        "no notify-next: j1 is still next"
    );

    // HTTP CreateJob of a second job: queued behind the one in progress.
    e.create_job("j2", &["t1"], "{}", json!({})).await;
    let messages = publishes(&mut watcher, 1).await;
    assert_eq!(messages[0].1["jobs"]["QUEUED"][0]["jobId"], "j2");
    assert_eq!(messages[0].1["jobs"]["IN_PROGRESS"][0]["jobId"], "j1");

    // MQTT update to SUCCEEDED: j1 leaves the list, j2 is next.
    let (_, done) = device
        .request("$aws/things/t1/jobs/j1/update", r#"{"status":"SUCCEEDED"}"#)
        .await;
    assert!(done.get("code").is_none(), "{done}");
    let messages = publishes(&mut watcher, 2).await;
    assert_eq!(
        find(&messages, "/notify")["jobs"]["QUEUED"][0]["jobId"],
        "j2"
    );
    assert_eq!(find(&messages, "/notify-next")["execution"]["jobId"], "j2");

    // HTTP CancelJob: nothing pending, and nothing next.
    let (status, reply) = e.call("PUT", "/jobs/j2/cancel", Some(json!({}))).await;
    assert_eq!(status, 200, "{reply}");
    let messages = publishes(&mut watcher, 2).await;
    assert_eq!(find(&messages, "/notify")["jobs"], json!({}));
    assert!(find(&messages, "/notify-next").get("execution").is_none());

    // A timeout nobody reads: the emulator's clock moves past it, the sweep times it out and tells.
    e.create_job(
        "j3",
        &["t1"],
        "{}",
        json!({"timeoutConfig": {"inProgressTimeoutInMinutes": 1}}),
    )
    .await;
    publishes(&mut watcher, 2).await;
    device.request("$aws/things/t1/jobs/start-next", "{}").await;
    publishes(&mut watcher, 1).await;
    let (status, reply) = e
        .call(
            "POST",
            "/_emulator/clock",
            Some(json!({"advanceSeconds": 61})),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let messages = publishes(&mut watcher, 2).await;
    assert_eq!(find(&messages, "/notify")["jobs"], json!({}));
    assert!(find(&messages, "/notify-next").get("execution").is_none());
    let (status, http) = e.call("GET", "/control/things/t1/jobs/j3", None).await;
    assert_eq!(status, 200);
    assert!(http.contains("TIMED_OUT"), "{http}");
}

#[tokio::test]
async fn ordinary_publish_subscribe_with_wildcards_qos_1_and_both_versions() {
    let e = start(Config::default()).await;
    let mut a = e.client(5, "a").await;
    let mut b = e.client(4, "b").await;
    let suback = a
        .subscribe(&["sensors/+/temp", "#"], QoS::AtLeastOnce)
        .await;
    assert_eq!(
        suback.reason_codes,
        [SubAckReasonCode::GrantedQoS1, SubAckReasonCode::GrantedQoS1]
    );
    let suback = a
        .subscribe(&["$share/g/x", "a/#/b", "q2"], QoS::ExactlyOnce)
        .await;
    assert_eq!(
        suback.reason_codes,
        [
            SubAckReasonCode::SharedSubscriptionsNotSupported,
            SubAckReasonCode::TopicFilterInvalid,
            SubAckReasonCode::GrantedQoS1
        ],
        "QoS 2 is granted as 1"
    );
    b.subscribe(&["$aws/things/+/shadow/#"], QoS::AtMostOnce)
        .await;

    // A QoS 1 publish from a 3.1.1 client reaches the v5 subscriber once (two of its filters match), at QoS 1.
    assert_eq!(e.state.mqtt.connected(), 2);
    let puback = b.publish("sensors/s1/temp", b"21.5").await;
    assert_eq!(puback.reason_code, ReasonCode::Success);
    let delivered = a.next_publish().await;
    assert_eq!(delivered.topic_name, "sensors/s1/temp");
    assert_eq!(&delivered.payload[..], b"21.5");
    assert_eq!(delivered.qos, QoS::AtLeastOnce);
    assert!(delivered.packet_id.is_some());
    assert!(a.ping().await.is_empty(), "delivered once");

    // A `$` topic reaches `$aws/things/+/shadow/#` (at that subscription's QoS 0) but not `#`.
    a.publish("$aws/things/t/shadow/update", b"{}").await;
    let delivered = b.next_publish().await;
    assert_eq!(delivered.topic_name, "$aws/things/t/shadow/update");
    assert_eq!(delivered.qos, QoS::AtMostOnce);
    assert!(a.ping().await.is_empty(), "`#` does not match a `$` topic");

    // Unsubscribed: nothing more.
    a.send(
        &UnsubscribePacket::new(9)
            .add_filter("#")
            .add_filter("nothing"),
    )
    .await;
    let Some(Packet::UnsubAck(unsuback)) = a.next().await else {
        panic!("expected UNSUBACK")
    };
    assert_eq!(
        unsuback.reason_codes,
        [
            UnsubAckReasonCode::Success,
            UnsubAckReasonCode::NoSubscriptionExisted
        ]
    );
    b.publish("elsewhere", b"x").await;
    assert!(a.ping().await.is_empty());
}

/// A TLS client trusting `ca` (the emulator's, fetched from `/_emulator/ca.pem`), with a client certificate or not.
fn tls_connector(ca: &str, identity: Option<(&str, &str)>) -> tokio_rustls::TlsConnector {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    let config = match identity {
        Some((cert, key)) => builder
            .with_client_auth_cert(
                CertificateDer::pem_slice_iter(cert.as_bytes())
                    .collect::<Result<Vec<_>, _>>()
                    .unwrap(),
                PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap(),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    };
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

#[tokio::test]
async fn tls_with_the_generated_ca_with_and_without_a_client_certificate() {
    let e = start(Config {
        mqtt_pki: Some(Arc::new(Pki::generate().unwrap())),
        ..Config::default()
    })
    .await;
    e.create_thing("t1").await;
    e.create_job("j1", &["t1"], DOCUMENT, json!({})).await;
    let (status, ca) = e.call("GET", "/_emulator/ca.pem", None).await;
    assert_eq!(status, 200);
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
    let (_, device_pem) = e.call("GET", "/_emulator/device.pem", None).await;
    let (_, device_key) = e.call("GET", "/_emulator/device.key", None).await;
    assert!(device_key.contains("PRIVATE KEY"));
    let address = e.tls.unwrap();

    for (name, identity) in [
        ("localhost", None),
        (
            "127.0.0.1",
            Some((device_pem.as_str(), device_key.as_str())),
        ),
    ] {
        let stream = TcpStream::connect(address).await.unwrap();
        let server_name = rustls::pki_types::ServerName::try_from(name.to_owned()).unwrap();
        let tls = tls_connector(&ca, identity)
            .connect(server_name, stream)
            .await
            .unwrap_or_else(|error| panic!("handshake as {name}: {error}"));
        let (mut c, connack) = Client::connect(tls, 5, "tls-device").await;
        assert_eq!(connack.reason_code, ReasonCode::Success);
        let (topic, body) = c.request("$aws/things/t1/jobs/$next/get", "{}").await;
        assert_eq!(topic, "$aws/things/t1/jobs/$next/get/accepted");
        assert_eq!(body["execution"]["jobId"], "j1");
    }

    // A client certificate the local CA did not sign is refused.
    let mut rogue = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    rogue
        .distinguished_name
        .push(rcgen::DnType::CommonName, "rogue");
    let rogue_key = rcgen::KeyPair::generate().unwrap();
    let rogue_cert = rogue.self_signed(&rogue_key).unwrap().pem();
    let stream = TcpStream::connect(address).await.unwrap();
    let outcome = tls_connector(&ca, Some((&rogue_cert, &rogue_key.serialize_pem())))
        .connect("localhost".try_into().unwrap(), stream)
        .await;
    let refused = match outcome {
        Err(_) => true,
        // TLS 1.3: the client learns of the refusal on its first read.
        Ok(mut tls) => {
            let _ = tls.write(&mqtt_wire::connect_packet(5, "rogue", 60)).await;
            tls.read().await.map_or(true, |bytes| bytes.is_empty())
        }
    };
    assert!(refused, "a certificate from another CA must be refused");

    // Without --mqtt-tls-listen there is no CA to fetch.
    let plain = start(Config::default()).await;
    let (status, body) = plain.call("GET", "/_emulator/ca.pem", None).await;
    assert_eq!(status, 404, "{body}");
}

/// MQTT over a WebSocket client (tokio-tungstenite): binary frames both ways.
struct Ws(tokio_tungstenite::WebSocketStream<TcpStream>);

impl Wire for Ws {
    async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.0
            .send(tokio_tungstenite::tungstenite::Message::Binary(
                bytes.to_vec().into(),
            ))
            .await
            .map_err(std::io::Error::other)
    }

    async fn read(&mut self) -> std::io::Result<Vec<u8>> {
        use tokio_tungstenite::tungstenite::Message;
        loop {
            match self.0.next().await {
                None | Some(Ok(Message::Close(_))) => return Ok(Vec::new()),
                Some(Ok(Message::Binary(bytes))) => return Ok(bytes.to_vec()),
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(std::io::Error::other(error)),
            }
        }
    }
}

/// Opens `url` as a WebSocket offering subprotocol `mqtt`: the stream and the subprotocol the server chose, or the
/// HTTP refusal (status, error type).
async fn websocket(
    http: SocketAddr,
    url: &str,
) -> Result<(Ws, Option<String>), (u16, Option<String>)> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("sec-websocket-protocol", "mqtt".parse().unwrap());
    let stream = TcpStream::connect(http).await.unwrap();
    match tokio_tungstenite::client_async(request, stream).await {
        Ok((ws, response)) => {
            let protocol = response
                .headers()
                .get("sec-websocket-protocol")
                .map(|v| v.to_str().unwrap().to_owned());
            Ok((Ws(ws), protocol))
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err((
            response.status().as_u16(),
            response
                .headers()
                .get("x-amzn-errortype")
                .map(|v| v.to_str().unwrap().to_owned()),
        )),
        Err(error) => panic!("{error}"),
    }
}

#[tokio::test]
async fn websocket_path_speaks_mqtt_with_subprotocol_mqtt() {
    let e = start(Config::default()).await;
    e.create_thing("t1").await;
    e.create_job("j1", &["t1"], DOCUMENT, json!({})).await;
    for version in [5u8, 4] {
        let (ws, protocol) = websocket(e.http, &format!("ws://{}/mqtt", e.http))
            .await
            .unwrap();
        assert_eq!(
            protocol.as_deref(),
            Some("mqtt"),
            "the subprotocol is echoed"
        );
        let (mut c, connack) = Client::connect(ws, version, "browser").await;
        assert_eq!(connack.reason_code, ReasonCode::Success);
        let (topic, body) = c
            .request("$aws/things/t1/jobs/j1/get", r#"{"clientToken":"w"}"#)
            .await;
        assert_eq!(topic, "$aws/things/t1/jobs/j1/get/accepted");
        assert_eq!(body["execution"]["jobDocument"]["op"], "reboot");
    }
    let (ws, _) = websocket(e.http, &format!("ws://{}/mqtt", e.http))
        .await
        .unwrap();
    let (mut c, _) = Client::connect(ws, 5, "browser").await;
    // WebSocket and TCP clients share one broker.
    c.subscribe(&["telemetry/#"], QoS::AtLeastOnce).await;
    let mut tcp = e.client(4, "tcp").await;
    tcp.publish("telemetry/t1", b"42").await;
    assert_eq!(c.next_publish().await.topic_name, "telemetry/t1");
}

/// An emulator under `--auth sigv4` with one access key, and that key's credentials.
async fn sigv4_emulator() -> (Emulator, Credentials) {
    let mut keys = AccessKeys::default();
    keys.add("AKIDTEST:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .unwrap();
    let e = start(Config {
        access_keys: Some(keys),
        ..Config::default()
    })
    .await;
    let credentials = Credentials {
        access_key_id: "AKIDTEST".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: None,
    };
    (e, credentials)
}

#[tokio::test]
async fn sigv4_presigned_websocket_urls_are_checked_under_auth_sigv4() {
    let (e, good) = sigv4_emulator().await;
    let endpoint = format!("ws://{}", e.http);
    // The emulator's clock is the time the signature must be within 5 minutes of.
    let url = presign_mqtt_url(&endpoint, &good, REGION, START_S).unwrap();
    let (ws, _) = websocket(e.http, &url)
        .await
        .expect("a good URL is accepted");
    let (mut c, connack) = Client::connect(ws, 5, "signed").await;
    assert_eq!(connack.reason_code, ReasonCode::Success);
    let (topic, _) = c.request("$aws/things/t1/jobs/$next/get", "{}").await;
    assert!(topic.ends_with("/accepted"));

    // Temporary credentials: the token rides after the signature.
    let session = Credentials {
        session_token: Some("FQoGZXIvYXdzE//token+=".into()),
        ..good.clone()
    };
    let url = presign_mqtt_url(&endpoint, &session, REGION, START_S).unwrap();
    assert!(url.contains("&X-Amz-Security-Token="));
    assert!(websocket(e.http, &url).await.is_ok());

    let wrong = Credentials {
        secret_access_key: "not-the-secret".into(),
        ..good.clone()
    };
    let url = presign_mqtt_url(&endpoint, &wrong, REGION, START_S).unwrap();
    let Err(refused) = websocket(e.http, &url).await else {
        panic!("a wrong secret must be refused")
    };
    assert_eq!(refused, (403, Some("InvalidSignatureException".into())));

    let unknown = Credentials {
        access_key_id: "AKIDOTHER".into(),
        ..good.clone()
    };
    let url = presign_mqtt_url(&endpoint, &unknown, REGION, START_S).unwrap();
    let Err(refused) = websocket(e.http, &url).await else {
        panic!("an unknown key must be refused")
    };
    assert_eq!(refused, (403, Some("UnrecognizedClientException".into())));

    let Err(refused) = websocket(e.http, &format!("{endpoint}/mqtt")).await else {
        panic!("an unsigned URL must be refused")
    };
    assert_eq!(
        refused,
        (403, Some("MissingAuthenticationTokenException".into()))
    );

    let stale = presign_mqtt_url(&endpoint, &good, REGION, START_S - 600).unwrap();
    assert!(websocket(e.http, &stale).await.is_err(), "10 minutes old");
}

/// Traffic captured from the official AWS IoT Device SDK v2 for Python (`IotJobsClientV2` on MQTT 5, the classic
/// `IotJobsClient` on 3.1.1), replayed byte for byte: every SUBSCRIBE is acknowledged, every QoS 1 publish gets its
/// PUBACK, and every Jobs request its reply on `…/accepted` or `…/rejected`.
#[tokio::test]
async fn captured_sdk_traffic_is_answered_packet_for_packet() {
    let e = start(Config::default()).await;
    e.create_thing("sensor-1").await;
    e.create_job("job-1", &["sensor-1"], DOCUMENT, json!({}))
        .await;
    let corpus = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/corpus/mqtt_session"
    );
    for (file, version) in [
        ("seed-capture-conn2-c2s", 5u8),
        ("seed-capture-conn3-c2s", 4),
    ] {
        let capture = std::fs::read(format!("{corpus}/{file}")).unwrap();
        let mut sent = bytes::BytesMut::from(&capture[..]);
        let (mut subscribes, mut acked, mut requests) = (0, 0, 0);
        while let Some(packet) = mqtt_wire::take_packet(&mut sent, version) {
            match packet {
                Packet::Subscribe(_) => subscribes += 1,
                Packet::Publish(p) => {
                    acked += usize::from(p.packet_id.is_some());
                    requests += usize::from(p.topic_name.starts_with("$aws/things/"));
                }
                _ => {}
            }
        }
        assert!(requests > 0, "{file}");
        let mut stream = TcpStream::connect(e.mqtt).await.unwrap();
        Wire::write(&mut stream, &capture).await.unwrap();
        // The capture ends where the SDK was stopped; a DISCONNECT makes the server close after answering.
        Wire::write(&mut stream, &[0xe0, 0x00]).await.unwrap();
        let mut c = Client::from_stream(stream, version);
        let (mut connacks, mut subacks, mut pubacks, mut replies) = (0, 0, 0, 0);
        while let Some(packet) = c.next().await {
            match packet {
                Packet::ConnAck(connack) => {
                    assert_eq!(connack.reason_code, ReasonCode::Success);
                    connacks += 1;
                }
                Packet::SubAck(_) => subacks += 1,
                Packet::PubAck(_) => pubacks += 1,
                Packet::Publish(reply) => {
                    assert!(
                        reply.topic_name.ends_with("/accepted")
                            || reply.topic_name.ends_with("/rejected"),
                        "{}",
                        reply.topic_name
                    );
                    replies += 1;
                }
                Packet::UnsubAck(_) | Packet::PingResp => {}
                other => panic!("{file}: unexpected {other:?}"),
            }
        }
        assert_eq!(
            (connacks, subacks, pubacks, replies),
            (1, subscribes, acked, requests),
            "{file}"
        );
    }
}

/// Runs the core's sans-IO `MqttLookup` (what the viewer drives over a browser WebSocket) over `wire` to its end.
async fn lookup_over(
    mut wire: impl Wire,
    thing: &str,
    job: &str,
) -> Result<MqttMessage, jobscope::ServiceError> {
    use jobscope::codec::mqtt::{LookupStep, MqttLookup};
    let request = jobscope::DescribeJobExecutionInput {
        thing_name: Some(thing.into()),
        job_id: Some(job.into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let (mut lookup, connect) = MqttLookup::new(&request, "core-lookup", "token-1").unwrap();
    wire.write(&connect).await.unwrap();
    loop {
        let bytes = wire.read().await.unwrap();
        if bytes.is_empty() {
            return Err(lookup.closed().expect("closed before the answer"));
        }
        for step in lookup.receive(&bytes) {
            match step {
                LookupStep::Send(bytes) => wire.write(&bytes).await.unwrap(),
                LookupStep::Done(answer) => return answer,
            }
        }
    }
}

#[tokio::test]
async fn the_core_mqtt_lookup_describes_over_tcp_and_a_presigned_websocket() {
    let e = start(Config::default()).await;
    e.create_thing("t1").await;
    e.create_job("j1", &["t1"], DOCUMENT, json!({})).await;
    let tcp = TcpStream::connect(e.mqtt).await.unwrap();
    let Ok(MqttMessage::Execution(DescribeOutcome::Execution {
        execution,
        warnings,
    })) = lookup_over(tcp, "t1", "j1").await
    else {
        panic!("an execution over TCP")
    };
    assert_eq!(execution.job_document.as_deref(), Some(DOCUMENT));
    assert!(warnings.is_empty(), "{warnings:?}");
    let (ws, _) = websocket(e.http, &format!("ws://{}/mqtt", e.http))
        .await
        .unwrap();
    let Err(error) = lookup_over(ws, "t1", "nope").await else {
        panic!("an unknown job is rejected")
    };
    assert_eq!(error.code, ErrorCode::ResourceNotFound);

    // Under --auth sigv4, through a presigned URL, as the viewer connects.
    let (signed, credentials) = sigv4_emulator().await;
    let endpoint = format!("ws://{}", signed.http);
    let url = presign_mqtt_url(&endpoint, &credentials, REGION, START_S).unwrap();
    let (ws, _) = websocket(signed.http, &url).await.unwrap();
    assert!(matches!(
        lookup_over(ws, "t1", "$next").await,
        Ok(MqttMessage::Execution(
            DescribeOutcome::NothingPending { .. }
        ))
    ));
}

/// The core's client packets read by the emulator's codec (`mqtt5-protocol`, protocol level 4), and the server's
/// packets, written by `mqtt5-protocol`, read by the core.
#[test]
fn the_core_packets_and_mqtt5_protocol_read_each_other() {
    use jobscope::codec::mqtt::Packet as Core;
    let theirs = |core: &Core| {
        let mut buffer = bytes::BytesMut::from(&core.encode()[..]);
        let header = mqtt5_protocol::packet::FixedHeader::decode(&mut buffer).unwrap();
        Packet::decode_from_body_with_version(header.packet_type, &header, &mut buffer, 4)
            .unwrap_or_else(|e| panic!("{}: {e:?}", core.name()))
    };
    let connect = Core::Connect {
        client_id: "viewer".into(),
        keep_alive: 60,
        clean_session: true,
    };
    let Packet::Connect(c) = theirs(&connect) else {
        panic!("CONNECT")
    };
    assert_eq!(
        (c.client_id.as_str(), c.keep_alive, c.protocol_version),
        ("viewer", 60, 4)
    );
    let subscribe = Core::Subscribe {
        packet_id: 1,
        filters: vec![("a/accepted".into(), 1), ("a/rejected".into(), 1)],
    };
    let Packet::Subscribe(s) = theirs(&subscribe) else {
        panic!("SUBSCRIBE")
    };
    let filters: Vec<_> = s
        .filters
        .iter()
        .map(|f| (f.filter.as_str(), f.options.qos))
        .collect();
    assert_eq!(
        (s.packet_id, filters),
        (
            1,
            vec![
                ("a/accepted", QoS::AtLeastOnce),
                ("a/rejected", QoS::AtLeastOnce)
            ]
        )
    );
    let publish = Core::Publish {
        topic: "$aws/things/t/jobs/j/get".into(),
        qos: 1,
        packet_id: Some(2),
        retain: false,
        dup: false,
        payload: br#"{"clientToken":"c"}"#.to_vec(),
    };
    let Packet::Publish(p) = theirs(&publish) else {
        panic!("PUBLISH")
    };
    assert_eq!(
        (p.topic_name.as_str(), p.packet_id, &p.payload[..]),
        (
            "$aws/things/t/jobs/j/get",
            Some(2),
            &br#"{"clientToken":"c"}"#[..]
        )
    );
    assert!(
        matches!(theirs(&Core::PubAck { packet_id: 2 }), Packet::PubAck(a) if a.packet_id == 2)
    );
    assert!(matches!(theirs(&Core::Disconnect), Packet::Disconnect(_)));
    assert!(matches!(theirs(&Core::PingReq), Packet::PingReq));

    // The other way: what the emulator writes, read by the core.
    let reply = mqtt5_protocol::packet::publish::PublishPacket::new_v311(
        "a/accepted",
        &b"{}"[..],
        QoS::AtLeastOnce,
    )
    .with_packet_id(9);
    let Some((
        Core::Publish {
            topic,
            qos,
            packet_id,
            payload,
            ..
        },
        _,
    )) = Core::decode(&mqtt_wire::encode(&reply)).unwrap()
    else {
        panic!("PUBLISH")
    };
    assert_eq!(
        (topic.as_str(), qos, packet_id, &payload[..]),
        ("a/accepted", 1, Some(9), &b"{}"[..])
    );
}
