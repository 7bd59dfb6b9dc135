//! A raw MQTT client for the tests: packets encoded and decoded with the `mqtt5-protocol` codec directly (not the
//! emulator's framer), over any byte transport — TCP, TLS or WebSocket.

#![allow(dead_code)]

use std::time::Duration;

use bytes::BytesMut;
use jobscope_emulator::mqtt::framer::Framer;
use mqtt5_protocol::packet::MqttPacket;
use mqtt5_protocol::packet::connack::ConnAckPacket;
use mqtt5_protocol::packet::connect::ConnectPacket;
use mqtt5_protocol::packet::puback::PubAckPacket;
use mqtt5_protocol::packet::publish::PublishPacket;
use mqtt5_protocol::packet::suback::SubAckPacket;
use mqtt5_protocol::packet::subscribe::SubscribePacket;
use mqtt5_protocol::{ConnectOptions, Packet, QoS};
use serde_json::Value;

/// How long a read waits for what the server owes before the test fails: a hang guard, not a measure.
pub const HANG_GUARD: Duration = Duration::from_secs(30);

/// The bytes of a packet.
pub fn encode(packet: &impl MqttPacket) -> Vec<u8> {
    let mut bytes = BytesMut::new();
    packet.encode(&mut bytes).unwrap();
    bytes.to_vec()
}

/// A CONNECT for protocol level 4 (3.1.1) or 5.
pub fn connect_packet(version: u8, client_id: &str, keep_alive_secs: u64) -> Vec<u8> {
    let options = ConnectOptions::new(client_id)
        .with_keep_alive(Duration::from_secs(keep_alive_secs))
        .with_credentials("any-user", b"any");
    if version == 5 {
        encode(&ConnectPacket::new(options))
    } else {
        encode(&ConnectPacket::new_v311(options))
    }
}

/// A PUBLISH in the client's version.
pub fn publish_packet(
    version: u8,
    topic: &str,
    payload: &[u8],
    qos: QoS,
    id: u16,
) -> PublishPacket {
    let publish = if version == 5 {
        PublishPacket::new(topic, payload.to_vec(), qos)
    } else {
        PublishPacket::new_v311(topic, payload.to_vec(), qos)
    };
    if qos == QoS::AtMostOnce {
        publish
    } else {
        publish.with_packet_id(id)
    }
}

/// The first whole packet in `buffer`, cut from it; `None` until one is complete. Framed by the emulator's own
/// framer (remaining-length varint, then the codec), so the tests read packets exactly as the server does.
pub fn take_packet(buffer: &mut BytesMut, version: u8) -> Option<Packet> {
    let mut framer = Framer::new(usize::MAX);
    framer.set_version(version);
    framer.push(buffer);
    let packet = framer
        .next_packet()
        .unwrap_or_else(|e| panic!("the server sent a malformed packet: {e}"))?;
    let _ = buffer.split_to(buffer.len() - framer.pending());
    Some(packet)
}

/// A byte transport a test client speaks over.
pub trait Wire {
    fn write(&mut self, bytes: &[u8]) -> impl Future<Output = std::io::Result<()>>;
    /// Bytes from the server; empty once it closed.
    fn read(&mut self) -> impl Future<Output = std::io::Result<Vec<u8>>>;
}

impl<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin> Wire for S {
    async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use tokio::io::AsyncWriteExt;
        self.write_all(bytes).await?;
        self.flush().await
    }

    async fn read(&mut self) -> std::io::Result<Vec<u8>> {
        use tokio::io::AsyncReadExt;
        let mut buffer = vec![0u8; 16 * 1024];
        let n = AsyncReadExt::read(self, &mut buffer).await?;
        buffer.truncate(n);
        Ok(buffer)
    }
}

/// An MQTT client over a [`Wire`].
pub struct Client<W> {
    pub wire: W,
    buffer: BytesMut,
    pub version: u8,
    next_id: u16,
}

impl<W: Wire> Client<W> {
    /// A client over a connection whose CONNECT was already sent by hand.
    pub fn from_stream(wire: W, version: u8) -> Client<W> {
        Client {
            wire,
            buffer: BytesMut::new(),
            version,
            next_id: 0,
        }
    }

    /// Sends CONNECT and reads the CONNACK.
    pub async fn connect(wire: W, version: u8, client_id: &str) -> (Client<W>, ConnAckPacket) {
        let mut client = Client {
            wire,
            buffer: BytesMut::new(),
            version,
            next_id: 0,
        };
        client
            .wire
            .write(&connect_packet(version, client_id, 60))
            .await
            .unwrap();
        match client.next().await {
            Some(Packet::ConnAck(connack)) => (client, connack),
            other => panic!("expected CONNACK, got {other:?}"),
        }
    }

    pub async fn send(&mut self, packet: &impl MqttPacket) {
        self.wire.write(&encode(packet)).await.unwrap();
    }

    pub fn packet_id(&mut self) -> u16 {
        self.next_id += 1;
        self.next_id
    }

    /// The next packet; `None` once the server closed the connection.
    pub async fn next(&mut self) -> Option<Packet> {
        loop {
            if let Some(packet) = take_packet(&mut self.buffer, self.version) {
                return Some(packet);
            }
            let bytes = tokio::time::timeout(HANG_GUARD, self.wire.read())
                .await
                .expect("the server neither answered nor closed within the hang guard");
            match bytes {
                Ok(bytes) if !bytes.is_empty() => self.buffer.extend_from_slice(&bytes),
                _ => {
                    assert!(self.buffer.is_empty(), "closed mid-packet");
                    return None;
                }
            }
        }
    }

    /// The next PUBLISH, acknowledged when it is QoS 1.
    pub async fn next_publish(&mut self) -> PublishPacket {
        match self.next().await {
            Some(Packet::Publish(publish)) => {
                if let Some(id) = publish.packet_id {
                    self.send(&PubAckPacket::new(id)).await;
                }
                publish
            }
            other => panic!("expected PUBLISH, got {other:?}"),
        }
    }

    pub async fn subscribe(&mut self, filters: &[&str], qos: QoS) -> SubAckPacket {
        let id = self.packet_id();
        let mut subscribe = if self.version == 5 {
            SubscribePacket::new(id)
        } else {
            SubscribePacket::new_v311(id)
        };
        for filter in filters {
            subscribe = subscribe.add_filter(*filter, qos);
        }
        self.send(&subscribe).await;
        match self.next().await {
            Some(Packet::SubAck(suback)) => {
                assert_eq!(suback.packet_id, id);
                suback
            }
            other => panic!("expected SUBACK, got {other:?}"),
        }
    }

    /// Publishes at QoS 1 and returns the PUBACK.
    pub async fn publish(&mut self, topic: &str, payload: &[u8]) -> PubAckPacket {
        let id = self.packet_id();
        self.send(&publish_packet(
            self.version,
            topic,
            payload,
            QoS::AtLeastOnce,
            id,
        ))
        .await;
        match self.next().await {
            Some(Packet::PubAck(puback)) => {
                assert_eq!(puback.packet_id, id);
                puback
            }
            other => panic!("expected PUBACK, got {other:?}"),
        }
    }

    /// A Jobs request: published at QoS 1 (PUBACK first), then the reply: its topic and JSON payload.
    pub async fn request(&mut self, topic: &str, payload: &str) -> (String, Value) {
        self.publish(topic, payload.as_bytes()).await;
        let reply = self.next_publish().await;
        let json = serde_json::from_slice(&reply.payload)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&reply.payload)));
        (reply.topic_name, json)
    }

    /// Sends PINGREQ and returns what arrived before the PINGRESP.
    pub async fn ping(&mut self) -> Vec<Packet> {
        self.wire.write(&[0xc0, 0x00]).await.unwrap();
        let mut before = Vec::new();
        loop {
            match self.next().await {
                Some(Packet::PingResp) => return before,
                Some(packet) => before.push(packet),
                None => panic!("closed before PINGRESP"),
            }
        }
    }
}
