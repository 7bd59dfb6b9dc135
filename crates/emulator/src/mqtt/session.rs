//! One MQTT client's session, sans-IO: bytes in ([`Session::receive`]), a broker delivery in
//! ([`Session::deliver`]), a keep-alive expiry ([`Session::expire`]) — each writes what to send into an [`Output`],
//! with whether to close and how long to hold the bytes back (injected latency). No socket, task or timer: the
//! connection loop ([`super::connection`]) supplies them, and the fuzz target drives a session without them.
//!
//! What is served: MQTT 3.1.1 and 5; QoS 0 and 1 (a v5 CONNACK says Maximum QoS 1; a QoS 2 PUBLISH is a
//! protocol error: v5 DISCONNECT 0x9B, 3.1.1 close); wildcards and the `$` rule; wills; No Local. Not served:
//! retained messages (v5 CONNACK Retain Available 0; a retained v5 PUBLISH is DISCONNECT 0x9A, on 3.1.1 the flag is
//! ignored), persistent sessions (Session Present is always 0; nothing is queued for a client that is away),
//! topic aliases (Topic Alias Maximum 0), shared subscriptions, subscription identifiers, enhanced authentication.
//! Any username and password are accepted.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use mqtt5_protocol::packet::MqttPacket;
use mqtt5_protocol::packet::connack::ConnAckPacket;
use mqtt5_protocol::packet::connect::ConnectPacket;
use mqtt5_protocol::packet::disconnect::DisconnectPacket;
use mqtt5_protocol::packet::puback::PubAckPacket;
use mqtt5_protocol::packet::publish::PublishPacket;
use mqtt5_protocol::packet::suback::{SubAckPacket, SubAckReasonCode};
use mqtt5_protocol::packet::subscribe::SubscribePacket;
use mqtt5_protocol::packet::unsuback::{UnsubAckPacket, UnsubAckReasonCode};
use mqtt5_protocol::packet::unsubscribe::UnsubscribePacket;
use mqtt5_protocol::{Packet, PropertyId, PropertyValue, QoS, ReasonCode};
use tokio::sync::mpsc;

use super::MAX_KEEP_ALIVE_SECS;
use super::broker::{Admission, ConnId, Outbound, QuotaExceeded};
use super::framer::{FrameError, Framer};
use super::jobs::{self, Route};
use crate::AppState;

/// What a step of the session wants done.
#[derive(Debug, Default)]
pub struct Output {
    /// Bytes to send, in order.
    pub bytes: BytesMut,
    /// Close the connection once they are sent.
    pub close: bool,
    /// Hold the bytes back this long first (the `--latency-ms` fault, on Jobs requests).
    pub delay: Duration,
}

/// A client's will: published when its connection ends without a clean DISCONNECT.
#[derive(Debug)]
struct Will {
    topic: String,
    payload: Bytes,
    qos: QoS,
}

#[derive(Debug)]
struct Connected {
    /// The keep-alive in force, in seconds.
    keep_alive: u16,
    /// The largest packet the client accepts (v5 Maximum Packet Size).
    max_outgoing: usize,
}

#[derive(Debug)]
enum Phase {
    /// Waiting for CONNECT.
    Connecting,
    Connected(Connected),
    Closed,
}

/// One client connection's protocol state.
pub struct Session {
    app: AppState,
    id: ConnId,
    framer: Framer,
    phase: Phase,
    admission: Admission,
    /// Handed to the broker when the CONNECT is accepted.
    mailbox: Option<mpsc::Sender<Outbound>>,
    registered: bool,
    /// The protocol level of the accepted CONNECT (kept after the session closes).
    version: Option<u8>,
    will: Option<Will>,
    next_packet_id: u16,
    packets: u64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("phase", &self.phase)
            .field("packets", &self.packets)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session for a new connection, and the queue the broker delivers to it through.
    pub fn new(app: AppState, admission: Admission) -> (Session, mpsc::Receiver<Outbound>) {
        let broker = app.mqtt.clone();
        let (mailbox, deliveries) = mpsc::channel(broker.limits().queue.max(1));
        let session = Session {
            id: broker.next_id(),
            framer: Framer::new(broker.limits().max_packet_bytes),
            phase: Phase::Connecting,
            admission,
            mailbox: Some(mailbox),
            registered: false,
            version: None,
            will: None,
            next_packet_id: 0,
            packets: 0,
            app,
        };
        (session, deliveries)
    }

    /// How many whole packets the client has sent (the connection loop restarts the keep-alive timer when this moves).
    pub fn packets(&self) -> u64 {
        self.packets
    }

    /// How long the connection may stay silent: 1.5 × the keep-alive once connected, `None` before CONNECT.
    pub fn keep_alive(&self) -> Option<Duration> {
        match &self.phase {
            Phase::Connected(c) => Some(Duration::from_millis(u64::from(c.keep_alive) * 1500)),
            _ => None,
        }
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    /// The protocol level of an accepted CONNECT: 4 (3.1.1) or 5.
    pub fn version(&self) -> Option<u8> {
        self.version
    }

    fn v5(&self) -> bool {
        self.version() == Some(5)
    }

    /// Bytes from the client.
    pub fn receive(&mut self, bytes: &[u8], out: &mut Output) {
        if self.is_closed() {
            out.close = true;
            return;
        }
        self.framer.push(bytes);
        while !out.close {
            match self.framer.next_packet() {
                Ok(Some(packet)) => {
                    self.packets += 1;
                    self.handle(packet, out);
                }
                Ok(None) => break,
                Err(error) => {
                    tracing::debug!("MQTT connection {}: {error}", self.id);
                    let reason = match error {
                        FrameError::TooLarge(_) => ReasonCode::PacketTooLarge,
                        FrameError::Malformed(_) => ReasonCode::MalformedPacket,
                    };
                    self.close(reason, out);
                }
            }
        }
    }

    /// A message (or a disconnect) from the broker.
    pub fn deliver(&mut self, message: Outbound, out: &mut Output) {
        let Phase::Connected(connected) = &self.phase else {
            return;
        };
        match message {
            Outbound::Publish {
                topic,
                payload,
                qos,
            } => {
                let max = connected.max_outgoing;
                let publish = self.publish_packet(topic.to_string(), payload, qos);
                if publish.body_encoded_size() + 5 > max {
                    tracing::debug!(
                        "MQTT connection {}: a message on {topic} is over the client's maximum packet size",
                        self.id
                    );
                    return;
                }
                encode(&publish, out);
            }
            Outbound::Disconnect(reason) => {
                if reason == ReasonCode::ServerShuttingDown {
                    self.will = None;
                }
                self.close(reason, out);
            }
        }
    }

    /// The keep-alive (or, before CONNECT, the connect timeout) ran out: v5 DISCONNECT 0x8D, then close.
    pub fn expire(&mut self, out: &mut Output) {
        self.close(ReasonCode::KeepAliveTimeout, out);
    }

    /// Ends the session: a v5 client is told why (a 3.1.1 server has no way to say).
    fn close(&mut self, reason: ReasonCode, out: &mut Output) {
        if self.v5() && !self.is_closed() {
            encode(&DisconnectPacket::new(reason), out);
        }
        self.phase = Phase::Closed;
        out.close = true;
    }

    fn handle(&mut self, packet: Packet, out: &mut Output) {
        if matches!(self.phase, Phase::Connecting) {
            match packet {
                Packet::Connect(connect) => self.connect(*connect, out),
                _ => self.close(ReasonCode::ProtocolError, out),
            }
            return;
        }
        match packet {
            Packet::Publish(publish) => self.publish(publish, out),
            Packet::Subscribe(subscribe) => self.subscribe(subscribe, out),
            Packet::Unsubscribe(unsubscribe) => self.unsubscribe(unsubscribe, out),
            Packet::PingReq => out.bytes.extend_from_slice(&[0xd0, 0x00]),
            // Acknowledgements of QoS 1 deliveries: nothing is resent, so nothing to track.
            Packet::PubAck(_) => {}
            Packet::Disconnect(disconnect) => {
                if !(self.v5() && disconnect.reason_code == ReasonCode::DisconnectWithWillMessage) {
                    self.will = None;
                }
                self.phase = Phase::Closed;
                out.close = true;
            }
            // A second CONNECT, QoS 2 flows (never granted), server-to-client packets, AUTH (no enhanced auth).
            _ => self.close(ReasonCode::ProtocolError, out),
        }
    }

    fn connect(&mut self, connect: ConnectPacket, out: &mut Output) {
        let version = connect.protocol_version;
        if version != 4 && version != 5 {
            // Answered in the 3.1.1 form, the one every version of the protocol reads.
            encode(
                &ConnAckPacket::new_v311(false, ReasonCode::UnsupportedProtocolVersion),
                out,
            );
            self.phase = Phase::Closed;
            out.close = true;
            return;
        }
        let v5 = version == 5;
        let refuse = |reason: ReasonCode, out: &mut Output| {
            let connack = if v5 {
                ConnAckPacket::new(false, reason)
            } else {
                ConnAckPacket::new_v311(false, reason)
            };
            encode(&connack, out);
            out.close = true;
        };
        let refusal = if !matches!(self.admission, Admission::Slot(_)) {
            Some(ReasonCode::ServerBusy)
        } else if v5 && connect.properties.get_authentication_method().is_some() {
            Some(ReasonCode::BadAuthenticationMethod)
        } else if connect.client_id.len() > 128
            || (connect.client_id.is_empty() && !v5 && !connect.clean_start)
        {
            // AWS IoT's limit; 3.1.1 allows an empty id only with a clean session.
            Some(ReasonCode::ClientIdentifierNotValid)
        } else {
            connect.will.as_ref().and_then(|will| {
                if !mqtt5_protocol::is_valid_topic_name(&will.topic) {
                    Some(ReasonCode::TopicNameInvalid)
                } else if v5 && will.qos == QoS::ExactlyOnce {
                    Some(ReasonCode::QoSNotSupported)
                } else if v5 && will.retain {
                    Some(ReasonCode::RetainNotSupported)
                } else {
                    None
                }
            })
        };
        if let Some(reason) = refusal {
            refuse(reason, out);
            self.phase = Phase::Closed;
            return;
        }
        let assigned = connect.client_id.is_empty();
        let client_id = if assigned {
            format!("jobscope-{}", self.id)
        } else {
            connect.client_id.clone()
        };
        let keep_alive = match connect.keep_alive {
            0 => MAX_KEEP_ALIVE_SECS,
            asked => asked.min(MAX_KEEP_ALIVE_SECS),
        };
        let max_packet = self.app.mqtt.limits().max_packet_bytes;
        let max_outgoing = connect
            .properties
            .get_maximum_packet_size()
            .map_or(usize::MAX, |size| size as usize);
        self.will = connect.will.map(|will| Will {
            topic: will.topic,
            payload: Bytes::from(will.payload),
            qos: super::broker::min_qos(will.qos, QoS::AtLeastOnce),
        });
        if let Some(mailbox) = self.mailbox.take() {
            self.app.mqtt.connect(self.id, &client_id, mailbox);
            self.registered = true;
            self.app.mqtt.start_sweeper(&self.app);
        }
        self.framer.set_version(version);
        self.version = Some(version);
        let connack = if v5 {
            let mut connack = ConnAckPacket::new(false, ReasonCode::Success)
                .with_maximum_packet_size(u32::try_from(max_packet).unwrap_or(u32::MAX))
                .with_retain_available(false)
                .with_maximum_qos(1)
                .with_topic_alias_maximum(0)
                .with_shared_subscription_available(false)
                .with_subscription_identifier_available(false);
            if assigned {
                connack = connack.with_assigned_client_id(client_id.clone());
            }
            if keep_alive != connect.keep_alive {
                connack = connack.with_server_keep_alive(keep_alive);
            }
            connack
        } else {
            ConnAckPacket::new_v311(false, ReasonCode::Success)
        };
        encode(&connack, out);
        tracing::debug!(
            "MQTT connection {}: client {client_id} connected (MQTT {}, keep-alive {keep_alive} s)",
            self.id,
            if v5 { "5" } else { "3.1.1" }
        );
        self.phase = Phase::Connected(Connected {
            keep_alive,
            max_outgoing,
        });
    }

    fn publish(&mut self, publish: PublishPacket, out: &mut Output) {
        let v5 = self.v5();
        if publish.qos == QoS::ExactlyOnce {
            return self.close(ReasonCode::QoSNotSupported, out);
        }
        if v5 && publish.properties.get_topic_alias().is_some() {
            return self.close(ReasonCode::TopicAliasInvalid, out);
        }
        if v5 && publish.retain {
            return self.close(ReasonCode::RetainNotSupported, out);
        }
        if !mqtt5_protocol::is_valid_topic_name(&publish.topic_name) {
            return self.close(ReasonCode::TopicNameInvalid, out);
        }
        let route = jobs::route(&self.app, &publish.topic_name, &publish.payload);
        if let Some(packet_id) = publish.packet_id {
            let reason = match route {
                Route::Reserved if v5 => ReasonCode::NotAuthorized,
                _ => ReasonCode::Success,
            };
            encode(&PubAckPacket::new_with_reason(packet_id, reason), out);
        }
        match route {
            Route::Ordinary => self.app.mqtt.publish(
                Some(self.id),
                &publish.topic_name,
                publish.payload,
                publish.qos,
            ),
            Route::Reserved => {
                tracing::debug!(
                    "MQTT connection {}: {} is the service's topic; dropped",
                    self.id,
                    publish.topic_name
                );
            }
            Route::Answered(reply) => {
                // Sent to the publisher whether or not it subscribed, at the QoS it subscribed with (else 0).
                let qos = self
                    .app
                    .mqtt
                    .granted(self.id, &reply.topic)
                    .unwrap_or(QoS::AtMostOnce);
                let mut answer = self.publish_packet(reply.topic, Bytes::from(reply.payload), qos);
                if v5
                    && let Some(PropertyValue::BinaryData(data)) =
                        publish.properties.get(PropertyId::CorrelationData)
                {
                    answer.properties.set_correlation_data(data.clone());
                }
                encode(&answer, out);
                out.delay = self.app.config.faults.latency;
            }
        }
    }

    fn subscribe(&mut self, subscribe: SubscribePacket, out: &mut Output) {
        let v5 = self.v5();
        let mut suback = if v5 {
            SubAckPacket::new(subscribe.packet_id)
        } else {
            SubAckPacket::new_v311(subscribe.packet_id)
        };
        for filter in &subscribe.filters {
            let code = if filter.filter.starts_with("$share/") {
                SubAckReasonCode::SharedSubscriptionsNotSupported
            } else if !mqtt5_protocol::is_valid_topic_filter(&filter.filter) {
                SubAckReasonCode::TopicFilterInvalid
            } else {
                match self.app.mqtt.subscribe(
                    self.id,
                    &filter.filter,
                    filter.options.qos,
                    v5 && filter.options.no_local,
                ) {
                    Ok(QoS::AtMostOnce) => SubAckReasonCode::GrantedQoS0,
                    Ok(_) => SubAckReasonCode::GrantedQoS1,
                    Err(QuotaExceeded) => SubAckReasonCode::QuotaExceeded,
                }
            };
            suback.reason_codes.push(code);
        }
        encode(&suback, out);
    }

    fn unsubscribe(&mut self, unsubscribe: UnsubscribePacket, out: &mut Output) {
        let mut unsuback = if self.v5() {
            UnsubAckPacket::new(unsubscribe.packet_id)
        } else {
            UnsubAckPacket::new_v311(unsubscribe.packet_id)
        };
        for filter in &unsubscribe.filters {
            let existed = self.app.mqtt.unsubscribe(self.id, filter);
            if self.v5() {
                unsuback.reason_codes.push(if existed {
                    UnsubAckReasonCode::Success
                } else {
                    UnsubAckReasonCode::NoSubscriptionExisted
                });
            }
        }
        encode(&unsuback, out);
    }

    /// A PUBLISH to this client, in its protocol version, with the next packet id at QoS 1.
    fn publish_packet(&mut self, topic: String, payload: Bytes, qos: QoS) -> PublishPacket {
        let qos = super::broker::min_qos(qos, QoS::AtLeastOnce);
        let publish = if self.v5() {
            PublishPacket::new(topic, payload, qos)
        } else {
            PublishPacket::new_v311(topic, payload, qos)
        };
        if qos == QoS::AtMostOnce {
            return publish;
        }
        self.next_packet_id = self.next_packet_id.checked_add(1).unwrap_or(1);
        publish.with_packet_id(self.next_packet_id)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if !self.registered {
            return;
        }
        self.app.mqtt.disconnect(self.id);
        // The will goes out as an ordinary publish; never as a Jobs request.
        if let Some(will) = self.will.take()
            && jobscope::codec::mqtt::JobsTopic::parse(&will.topic) == Ok(None)
        {
            self.app
                .mqtt
                .publish(None, &will.topic, will.payload, will.qos);
        }
    }
}

/// Writes a packet; one that cannot be encoded (which the packets built here never are) is left out.
fn encode(packet: &impl MqttPacket, out: &mut Output) {
    if let Err(error) = packet.encode(&mut out.bytes) {
        tracing::warn!("an MQTT packet could not be encoded: {error}");
    }
}
