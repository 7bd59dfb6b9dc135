//! One DescribeJobExecution over MQTT, sans-IO: the packets a client sends, in order, and how it reads what comes
//! back — CONNECT, SUBSCRIBE to the request's `…/accepted` and `…/rejected` topics, PUBLISH the request with a fresh
//! `clientToken`, then the reply that carries that token, decoded with [`decode_message`] exactly as any other
//! message. The caller owns the connection (a browser WebSocket, a TCP stream in tests) and the clock.

use super::decode::{MqttMessage, decode_message};
use super::packet::{Packet, connack_reason};
use super::request::client_token;
use crate::error::{ErrorCode, ServiceError};
use crate::http_request::MqttRequest;
use crate::request::DescribeJobExecutionRequest;

/// Seconds of keep-alive asked for in CONNECT: a lookup ends long before a ping would be due.
pub const LOOKUP_KEEP_ALIVE: u16 = 60;

const SUBSCRIBE_ID: u16 = 1;
const PUBLISH_ID: u16 = 2;

/// What the caller does next.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a lookup yields a few steps, once; boxing the answer would buy nothing
pub enum LookupStep {
    /// Write these bytes to the connection.
    Send(Vec<u8>),
    /// The lookup is over: the reply (or why there is none). A DISCONNECT was sent before it when the session was
    /// open; close the connection.
    Done(Result<MqttMessage, ServiceError>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Connecting,
    Subscribing,
    Waiting,
    Done,
}

/// A DescribeJobExecution lookup over one MQTT connection.
///
/// ```
/// use jobscope::DescribeJobExecutionInput;
/// use jobscope::codec::mqtt::{LookupStep, MqttLookup, MqttMessage, Packet};
/// let request = DescribeJobExecutionInput {
///     thing_name: Some("t".into()),
///     job_id: Some("j".into()),
///     ..Default::default()
/// }
/// .validate()?;
/// let (mut lookup, connect) = MqttLookup::new(&request, "viewer-1", "c-1").unwrap();
/// assert!(matches!(Packet::decode(&connect).unwrap(), Some((Packet::Connect { .. }, _))));
///
/// // CONNACK → SUBSCRIBE; SUBACK → PUBLISH; the reply → DISCONNECT and the answer.
/// let connack = Packet::ConnAck { session_present: false, code: 0 }.encode();
/// assert!(matches!(&lookup.receive(&connack)[..], [LookupStep::Send(_)]));
/// let suback = Packet::SubAck { packet_id: 1, codes: vec![1, 1] }.encode();
/// assert!(matches!(&lookup.receive(&suback)[..], [LookupStep::Send(_)]));
/// let reply = Packet::Publish {
///     topic: lookup.request().accepted_topic.clone(),
///     qos: 0,
///     packet_id: None,
///     retain: false,
///     dup: false,
///     payload: br#"{"clientToken":"c-1","timestamp":1,"execution":{"jobId":"j","thingName":"t","status":"QUEUED","versionNumber":1,"executionNumber":1}}"#.to_vec(),
/// };
/// let steps = lookup.receive(&reply.encode());
/// assert!(matches!(&steps[..], [LookupStep::Send(_), LookupStep::Done(Ok(MqttMessage::Execution(_)))]));
/// # Ok::<(), jobscope::Violations>(())
/// ```
#[derive(Debug, Clone)]
pub struct MqttLookup {
    request: DescribeJobExecutionRequest,
    mqtt: MqttRequest,
    client_token: String,
    state: State,
    buffer: Vec<u8>,
}

impl MqttLookup {
    /// Starts a lookup: the lookup and the CONNECT to send first. `None` for a control-plane request (the MQTT API is
    /// the data plane's). `client_id` must be unique per connection; `client_token` is echoed by the reply.
    pub fn new(
        request: &DescribeJobExecutionRequest,
        client_id: &str,
        client_token: &str,
    ) -> Option<(MqttLookup, Vec<u8>)> {
        let mqtt = request.to_mqtt_with_token(Some(client_token))?;
        let connect = Packet::Connect {
            client_id: client_id.to_owned(),
            keep_alive: LOOKUP_KEEP_ALIVE,
            clean_session: true,
        };
        let lookup = MqttLookup {
            request: request.clone(),
            mqtt,
            client_token: client_token.to_owned(),
            state: State::Connecting,
            buffer: Vec::new(),
        };
        Some((lookup, connect.encode()))
    }

    /// The topics and the payload the lookup publishes (for a preview).
    pub fn request(&self) -> &MqttRequest {
        &self.mqtt
    }

    /// Whether the lookup has its answer.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Reads bytes that arrived on the connection (any split: a packet may span calls).
    pub fn receive(&mut self, bytes: &[u8]) -> Vec<LookupStep> {
        let mut steps = Vec::new();
        if self.is_done() {
            return steps;
        }
        self.buffer.extend_from_slice(bytes);
        let mut used = 0;
        while !self.is_done() {
            match Packet::decode(&self.buffer[used..]) {
                Ok(Some((packet, length))) => {
                    used += length;
                    self.on_packet(packet, &mut steps);
                }
                Ok(None) => break,
                Err(error) => {
                    self.finish(&mut steps, Err(malformed(error.to_string())));
                }
            }
        }
        self.buffer.drain(..used);
        steps
    }

    /// The connection closed (or failed) before the answer: what that means at this point of the lookup.
    pub fn closed(&mut self) -> Option<ServiceError> {
        let error = match self.state {
            State::Done => return None,
            State::Connecting => ServiceError::new(
                ErrorCode::ConnectionRefused,
                0,
                "the connection closed before the server accepted the session (no CONNACK)",
            ),
            State::Subscribing => ServiceError::new(
                ErrorCode::SubscribeRefused,
                0,
                format!(
                    "the connection closed while subscribing to {} and {}",
                    self.mqtt.accepted_topic, self.mqtt.rejected_topic
                ),
            ),
            State::Waiting => ServiceError::new(
                ErrorCode::NetworkError,
                0,
                format!(
                    "the connection closed after publishing to {} and before a reply",
                    self.mqtt.topic
                ),
            ),
        };
        self.state = State::Done;
        Some(error)
    }

    fn on_packet(&mut self, packet: Packet, steps: &mut Vec<LookupStep>) {
        match (self.state, packet) {
            (State::Connecting, Packet::ConnAck { code: 0, .. }) => {
                self.state = State::Subscribing;
                let filters = [&self.mqtt.accepted_topic, &self.mqtt.rejected_topic]
                    .map(|topic| (topic.clone(), 1));
                let subscribe = Packet::Subscribe {
                    packet_id: SUBSCRIBE_ID,
                    filters: filters.to_vec(),
                };
                steps.push(LookupStep::Send(subscribe.encode()));
            }
            (State::Connecting, Packet::ConnAck { code, .. }) => {
                let message = format!(
                    "the server refused the session: CONNACK return code {code} ({})",
                    connack_reason(code)
                );
                self.finish(
                    steps,
                    Err(ServiceError::new(ErrorCode::ConnectionRefused, 0, message)),
                );
            }
            (State::Subscribing, Packet::SubAck { packet_id, codes })
                if packet_id == SUBSCRIBE_ID =>
            {
                if codes.len() != 2 || codes.iter().any(|&code| code > 2) {
                    let codes: Vec<String> =
                        codes.iter().map(|code| format!("{code:#04x}")).collect();
                    let message = format!(
                        "the server refused the subscription to {} and {} (SUBACK return codes {})",
                        self.mqtt.accepted_topic,
                        self.mqtt.rejected_topic,
                        codes.join(", ")
                    );
                    let error = ServiceError::new(ErrorCode::SubscribeRefused, 0, message);
                    return self.finish(steps, Err(error));
                }
                self.state = State::Waiting;
                let publish = Packet::Publish {
                    topic: self.mqtt.topic.clone(),
                    qos: 1,
                    packet_id: Some(PUBLISH_ID),
                    retain: false,
                    dup: false,
                    payload: self.mqtt.payload.clone().into_bytes(),
                };
                steps.push(LookupStep::Send(publish.encode()));
            }
            (
                _,
                Packet::Publish {
                    topic,
                    qos,
                    packet_id,
                    payload,
                    ..
                },
            ) => {
                if let (1, Some(packet_id)) = (qos, packet_id) {
                    steps.push(LookupStep::Send(Packet::PubAck { packet_id }.encode()));
                }
                let ours = topic == self.mqtt.accepted_topic || topic == self.mqtt.rejected_topic;
                // Replies to other clients' requests arrive on the same topics: only ours ends the lookup.
                if self.state == State::Waiting
                    && ours
                    && client_token(&payload).as_deref() == Some(self.client_token.as_str())
                {
                    let message = decode_message(
                        &topic,
                        &payload,
                        Some(&self.request),
                        Some(&self.client_token),
                    );
                    self.finish(steps, message);
                }
            }
            (_, Packet::PubAck { .. } | Packet::PingResp) => {}
            (state, other) => {
                let during = match state {
                    State::Connecting => "connecting",
                    State::Subscribing => "subscribing",
                    State::Waiting | State::Done => "waiting for the reply",
                };
                let message = format!("the server sent {} while {during}", other.name());
                self.finish(steps, Err(malformed(message)));
            }
        }
    }

    fn finish(&mut self, steps: &mut Vec<LookupStep>, answer: Result<MqttMessage, ServiceError>) {
        if self.state != State::Connecting {
            steps.push(LookupStep::Send(Packet::Disconnect.encode()));
        }
        self.state = State::Done;
        steps.push(LookupStep::Done(answer));
    }
}

fn malformed(message: String) -> ServiceError {
    ServiceError::new(ErrorCode::MalformedResponse, 0, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DescribeJobExecutionInput;

    fn lookup() -> MqttLookup {
        let request = DescribeJobExecutionInput {
            thing_name: Some("t".into()),
            job_id: Some("j".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        MqttLookup::new(&request, "viewer-1", "c-1").unwrap().0
    }

    fn reply(topic: &str, qos: u8, payload: &str) -> Vec<u8> {
        Packet::Publish {
            topic: topic.into(),
            qos,
            packet_id: (qos > 0).then_some(9),
            retain: false,
            dup: false,
            payload: payload.as_bytes().to_vec(),
        }
        .encode()
    }

    fn sent(steps: &[LookupStep]) -> Vec<Packet> {
        steps
            .iter()
            .filter_map(|step| match step {
                LookupStep::Send(bytes) => Some(Packet::decode(bytes).unwrap().unwrap().0),
                LookupStep::Done(_) => None,
            })
            .collect()
    }

    fn answer(steps: Vec<LookupStep>) -> Option<Result<MqttMessage, ServiceError>> {
        steps.into_iter().find_map(|step| match step {
            LookupStep::Done(answer) => Some(answer),
            LookupStep::Send(_) => None,
        })
    }

    /// A lookup that has connected and subscribed, with the PUBLISH it sent.
    fn subscribed() -> (MqttLookup, Packet) {
        let mut lookup = lookup();
        let connack = Packet::ConnAck {
            session_present: false,
            code: 0,
        };
        let subscribe = sent(&lookup.receive(&connack.encode()));
        assert_eq!(
            subscribe,
            [Packet::Subscribe {
                packet_id: 1,
                filters: vec![
                    ("$aws/things/t/jobs/j/get/accepted".into(), 1),
                    ("$aws/things/t/jobs/j/get/rejected".into(), 1)
                ]
            }]
        );
        let suback = Packet::SubAck {
            packet_id: 1,
            codes: vec![1, 1],
        };
        let mut publish = sent(&lookup.receive(&suback.encode()));
        (lookup, publish.remove(0))
    }

    #[test]
    fn publishes_the_request_and_ignores_replies_to_other_clients() {
        let (mut lookup, request) = subscribed();
        assert_eq!(
            request,
            Packet::Publish {
                topic: "$aws/things/t/jobs/j/get".into(),
                qos: 1,
                packet_id: Some(2),
                retain: false,
                dup: false,
                payload: br#"{"clientToken":"c-1"}"#.to_vec()
            }
        );
        let accepted = "$aws/things/t/jobs/j/get/accepted";
        let other = reply(
            accepted,
            1,
            r#"{"clientToken":"someone-else","timestamp":1}"#,
        );
        let steps = lookup.receive(&other);
        assert_eq!(sent(&steps), [Packet::PubAck { packet_id: 9 }]);
        assert!(answer(steps).is_none() && !lookup.is_done());

        // Ours, split across three reads.
        let ours = reply(accepted, 0, r#"{"clientToken":"c-1","timestamp":1}"#);
        let (a, rest) = ours.split_at(1);
        let (b, c) = rest.split_at(7);
        assert!(lookup.receive(a).is_empty() && lookup.receive(b).is_empty());
        let steps = lookup.receive(c);
        assert_eq!(sent(&steps), [Packet::Disconnect]);
        assert!(matches!(
            answer(steps),
            Some(Ok(MqttMessage::Execution(
                crate::DescribeOutcome::NothingPending { .. }
            )))
        ));
        assert!(lookup.is_done() && lookup.closed().is_none());
    }

    #[test]
    fn a_rejection_is_the_service_error_with_its_explanation() {
        let (mut lookup, _) = subscribed();
        let rejected = reply(
            "$aws/things/t/jobs/j/get/rejected",
            1,
            r#"{"code":"TerminalStateReached","message":"ended","clientToken":"c-1","timestamp":1}"#,
        );
        let error = answer(lookup.receive(&rejected)).unwrap().unwrap_err();
        assert_eq!(error.code, ErrorCode::TerminalStateReached);
    }

    #[test]
    fn refusals_and_closes_say_where_the_lookup_stopped() {
        let mut refused = lookup();
        let connack = Packet::ConnAck {
            session_present: false,
            code: 5,
        };
        let steps = refused.receive(&connack.encode());
        assert!(sent(&steps).is_empty(), "no DISCONNECT without a session");
        let error = answer(steps).unwrap().unwrap_err();
        assert_eq!(error.code, ErrorCode::ConnectionRefused);
        assert!(error.message.unwrap().contains("5 (not authorized)"));

        let mut closed = lookup();
        assert_eq!(closed.closed().unwrap().code, ErrorCode::ConnectionRefused);
        assert!(closed.closed().is_none());

        let mut lookup = lookup();
        let connack = Packet::ConnAck {
            session_present: false,
            code: 0,
        };
        lookup.receive(&connack.encode());
        let suback = Packet::SubAck {
            packet_id: 1,
            codes: vec![1, 0x80],
        };
        let error = answer(lookup.receive(&suback.encode()))
            .unwrap()
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::SubscribeRefused);
        assert!(
            error
                .message
                .unwrap()
                .ends_with("(SUBACK return codes 0x01, 0x80)")
        );

        let (mut waiting, _) = subscribed();
        assert_eq!(waiting.closed().unwrap().code, ErrorCode::NetworkError);

        let (mut confused, _) = subscribed();
        let error = answer(confused.receive(&Packet::PingReq.encode()))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            error.message.as_deref(),
            Some("the server sent PINGREQ while waiting for the reply")
        );
        let (mut garbled, _) = subscribed();
        let error = answer(garbled.receive(&[0xf0, 0x00])).unwrap().unwrap_err();
        assert_eq!(error.code, ErrorCode::MalformedResponse);
    }

    #[test]
    fn the_control_plane_has_no_mqtt_lookup() {
        let request = DescribeJobExecutionInput {
            plane: crate::Plane::Control,
            thing_name: Some("t".into()),
            job_id: Some("j".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert!(MqttLookup::new(&request, "c", "t").is_none());
    }
}
