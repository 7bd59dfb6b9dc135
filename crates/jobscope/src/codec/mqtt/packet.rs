//! MQTT 3.1.1 control packets, both directions — the ones a device-side Jobs lookup exchanges with AWS IoT (or the
//! emulator): CONNECT/CONNACK, SUBSCRIBE/SUBACK, PUBLISH/PUBACK, PINGREQ/PINGRESP and DISCONNECT (OASIS MQTT 3.1.1
//! §2–3). Sans-IO: bytes in, packets out, so the viewer's WebSocket and the tests share one codec. The emulator's
//! own listener reads the same bytes with `mqtt5-protocol`; its tests hold the two to each other.

use std::fmt;

/// A control packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    /// Opens the session (protocol level 4, no will, no user name or password: the WebSocket URL is signed).
    Connect {
        /// Unique per connection: AWS IoT drops the older of two connections with one client id.
        client_id: String,
        /// Seconds; 0 turns keep-alive off.
        keep_alive: u16,
        /// Start without stored session state.
        clean_session: bool,
    },
    /// The server's answer to CONNECT.
    ConnAck {
        /// The server kept a session from before.
        session_present: bool,
        /// 0 accepted; 1–5 refused (see [`connack_reason`]).
        code: u8,
    },
    /// A message on a topic.
    Publish {
        /// Where it goes.
        topic: String,
        /// QoS 0, 1 or 2.
        qos: u8,
        /// Present for QoS 1 and 2.
        packet_id: Option<u16>,
        /// Keep as the topic's last message.
        retain: bool,
        /// A redelivery.
        dup: bool,
        /// The bytes.
        payload: Vec<u8>,
    },
    /// Acknowledges a QoS 1 PUBLISH.
    PubAck {
        /// The PUBLISH's id.
        packet_id: u16,
    },
    /// Asks for messages on topic filters, each with a maximum QoS.
    Subscribe {
        /// Non-zero.
        packet_id: u16,
        /// `(filter, qos)` pairs; at least one.
        filters: Vec<(String, u8)>,
    },
    /// The server's answer to SUBSCRIBE: a granted QoS (0–2) or 0x80 (refused) per filter.
    SubAck {
        /// The SUBSCRIBE's id.
        packet_id: u16,
        /// One per filter, in order.
        codes: Vec<u8>,
    },
    /// Keep-alive ping.
    PingReq,
    /// Its answer.
    PingResp,
    /// Ends the session cleanly.
    Disconnect,
}

/// Why bytes are not an MQTT 3.1.1 packet this codec reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacketError(pub String);

impl fmt::Display for PacketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed MQTT packet: {}", self.0)
    }
}

impl std::error::Error for PacketError {}

fn malformed(message: impl Into<String>) -> PacketError {
    PacketError(message.into())
}

/// What a CONNACK return code means (MQTT 3.1.1 §3.2.2.3).
pub fn connack_reason(code: u8) -> &'static str {
    match code {
        0 => "connection accepted",
        1 => "unacceptable protocol version",
        2 => "client identifier rejected",
        3 => "server unavailable",
        4 => "bad user name or password",
        5 => "not authorized",
        _ => "an unknown return code",
    }
}

impl Packet {
    /// The packet type's name, as the specification writes it.
    pub fn name(&self) -> &'static str {
        match self {
            Packet::Connect { .. } => "CONNECT",
            Packet::ConnAck { .. } => "CONNACK",
            Packet::Publish { .. } => "PUBLISH",
            Packet::PubAck { .. } => "PUBACK",
            Packet::Subscribe { .. } => "SUBSCRIBE",
            Packet::SubAck { .. } => "SUBACK",
            Packet::PingReq => "PINGREQ",
            Packet::PingResp => "PINGRESP",
            Packet::Disconnect => "DISCONNECT",
        }
    }

    /// The packet's bytes.
    ///
    /// ```
    /// use jobscope::codec::mqtt::Packet;
    /// let ping = Packet::PingReq.encode();
    /// assert_eq!(ping, [0xc0, 0x00]);
    /// assert_eq!(Packet::decode(&ping).unwrap(), Some((Packet::PingReq, 2)));
    /// ```
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Vec::new();
        let first = match self {
            Packet::Connect {
                client_id,
                keep_alive,
                clean_session,
            } => {
                push_str(&mut body, "MQTT");
                body.push(4);
                body.push(if *clean_session { 0x02 } else { 0 });
                body.extend_from_slice(&keep_alive.to_be_bytes());
                push_str(&mut body, client_id);
                0x10
            }
            Packet::ConnAck {
                session_present,
                code,
            } => {
                body.extend_from_slice(&[u8::from(*session_present), *code]);
                0x20
            }
            Packet::Publish {
                topic,
                qos,
                packet_id,
                retain,
                dup,
                payload,
            } => {
                push_str(&mut body, topic);
                if let Some(id) = packet_id {
                    body.extend_from_slice(&id.to_be_bytes());
                }
                body.extend_from_slice(payload);
                0x30 | u8::from(*dup) << 3 | (qos & 3) << 1 | u8::from(*retain)
            }
            Packet::PubAck { packet_id } => {
                body.extend_from_slice(&packet_id.to_be_bytes());
                0x40
            }
            Packet::Subscribe { packet_id, filters } => {
                body.extend_from_slice(&packet_id.to_be_bytes());
                for (filter, qos) in filters {
                    push_str(&mut body, filter);
                    body.push(*qos);
                }
                0x82
            }
            Packet::SubAck { packet_id, codes } => {
                body.extend_from_slice(&packet_id.to_be_bytes());
                body.extend_from_slice(codes);
                0x90
            }
            Packet::PingReq => 0xc0,
            Packet::PingResp => 0xd0,
            Packet::Disconnect => 0xe0,
        };
        let mut out = Vec::with_capacity(body.len() + 5);
        out.push(first);
        let mut length = body.len();
        loop {
            let byte = (length % 128) as u8;
            length /= 128;
            out.push(if length > 0 { byte | 0x80 } else { byte });
            if length == 0 {
                break;
            }
        }
        out.extend_from_slice(&body);
        out
    }

    /// Reads the packet at the start of `bytes`: `Ok(None)` when more bytes are needed, else the packet and how
    /// many bytes it took.
    pub fn decode(bytes: &[u8]) -> Result<Option<(Packet, usize)>, PacketError> {
        let Some(&first) = bytes.first() else {
            return Ok(None);
        };
        let mut length = 0usize;
        let mut header = 1;
        loop {
            let Some(&byte) = bytes.get(header) else {
                return Ok(None);
            };
            length |= usize::from(byte & 0x7f) << (7 * (header - 1));
            header += 1;
            if byte & 0x80 == 0 {
                break;
            }
            if header == 5 {
                return Err(malformed("the remaining length runs past four bytes"));
            }
        }
        let Some(body) = bytes.get(header..header + length) else {
            return Ok(None);
        };
        let packet = Self::decode_body(first, body)?;
        Ok(Some((packet, header + length)))
    }

    fn decode_body(first: u8, body: &[u8]) -> Result<Packet, PacketError> {
        let kind = first >> 4;
        let flags = first & 0x0f;
        let expect_flags = |wanted: u8| {
            if flags == wanted {
                Ok(())
            } else {
                Err(malformed(format!(
                    "packet type {kind} must have flags {wanted:#x}, got {flags:#x}"
                )))
            }
        };
        let mut body = Cursor(body);
        let packet = match kind {
            1 => {
                expect_flags(0)?;
                if body.string("protocol name")? != "MQTT" {
                    return Err(malformed("CONNECT's protocol name is not MQTT"));
                }
                let level = body.byte("protocol level")?;
                if level != 4 {
                    return Err(malformed(format!(
                        "CONNECT asks for protocol level {level}; this codec speaks 3.1.1 (4)"
                    )));
                }
                let connect_flags = body.byte("connect flags")?;
                if connect_flags & 0xfd != 0 {
                    return Err(malformed(
                        "CONNECT with a will, a user name or a password is not read here",
                    ));
                }
                let keep_alive = body.u16("keep alive")?;
                Packet::Connect {
                    client_id: body.string("client id")?,
                    keep_alive,
                    clean_session: connect_flags & 0x02 != 0,
                }
            }
            2 => {
                expect_flags(0)?;
                let acknowledge = body.byte("acknowledge flags")?;
                Packet::ConnAck {
                    session_present: acknowledge & 1 != 0,
                    code: body.byte("return code")?,
                }
            }
            3 => {
                let qos = (flags >> 1) & 3;
                if qos == 3 {
                    return Err(malformed("PUBLISH with QoS 3"));
                }
                let topic = body.string("topic")?;
                let packet_id = if qos > 0 {
                    Some(body.u16("packet id")?)
                } else {
                    None
                };
                return Ok(Packet::Publish {
                    topic,
                    qos,
                    packet_id,
                    retain: flags & 1 != 0,
                    dup: flags & 8 != 0,
                    payload: body.0.to_vec(),
                });
            }
            4 => {
                expect_flags(0)?;
                Packet::PubAck {
                    packet_id: body.u16("packet id")?,
                }
            }
            8 => {
                expect_flags(2)?;
                let packet_id = body.u16("packet id")?;
                let mut filters = Vec::new();
                while !body.0.is_empty() {
                    let filter = body.string("topic filter")?;
                    filters.push((filter, body.byte("requested QoS")?));
                }
                if filters.is_empty() {
                    return Err(malformed("SUBSCRIBE without a topic filter"));
                }
                Packet::Subscribe { packet_id, filters }
            }
            9 => {
                expect_flags(0)?;
                let packet_id = body.u16("packet id")?;
                let codes = std::mem::take(&mut body.0).to_vec();
                return Ok(Packet::SubAck { packet_id, codes });
            }
            12 => {
                expect_flags(0)?;
                Packet::PingReq
            }
            13 => {
                expect_flags(0)?;
                Packet::PingResp
            }
            14 => {
                expect_flags(0)?;
                Packet::Disconnect
            }
            _ => {
                return Err(malformed(format!(
                    "packet type {kind} is not one a Jobs lookup exchanges"
                )));
            }
        };
        if !body.0.is_empty() {
            return Err(malformed(format!(
                "{} bytes left over in packet type {kind}",
                body.0.len()
            )));
        }
        Ok(packet)
    }
}

fn push_str(out: &mut Vec<u8>, text: &str) {
    // MQTT strings are at most 65 535 bytes; topics and client ids here are far shorter.
    let bytes = &text.as_bytes()[..text.len().min(usize::from(u16::MAX))];
    out.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Reads a packet's body front to back.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn take(&mut self, n: usize, what: &str) -> Result<&[u8], PacketError> {
        if self.0.len() < n {
            return Err(malformed(format!("the packet ends inside its {what}")));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn byte(&mut self, what: &str) -> Result<u8, PacketError> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, PacketError> {
        let bytes = self.take(2, what)?;
        Ok(u16::from_be_bytes([bytes[0], bytes[1]]))
    }

    fn string(&mut self, what: &str) -> Result<String, PacketError> {
        let length = self.u16(what)?;
        let bytes = self.take(usize::from(length), what)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| malformed(format!("its {what} is not UTF-8")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<Packet> {
        vec![
            Packet::Connect {
                client_id: "jobscope-viewer-1".into(),
                keep_alive: 30,
                clean_session: true,
            },
            Packet::ConnAck {
                session_present: false,
                code: 5,
            },
            Packet::Publish {
                topic: "$aws/things/t/jobs/j/get".into(),
                qos: 1,
                packet_id: Some(7),
                retain: false,
                dup: false,
                payload: br#"{"clientToken":"c"}"#.to_vec(),
            },
            Packet::Publish {
                topic: "a".into(),
                qos: 0,
                packet_id: None,
                retain: true,
                dup: true,
                payload: vec![0; 300],
            },
            Packet::PubAck { packet_id: 7 },
            Packet::Subscribe {
                packet_id: 1,
                filters: vec![("a/accepted".into(), 1), ("a/rejected".into(), 1)],
            },
            Packet::SubAck {
                packet_id: 1,
                codes: vec![1, 0x80],
            },
            Packet::PingReq,
            Packet::PingResp,
            Packet::Disconnect,
        ]
    }

    #[test]
    fn every_packet_round_trips_whole_and_waits_for_more_when_cut() {
        for packet in every_kind() {
            let bytes = packet.encode();
            assert_eq!(
                Packet::decode(&bytes).unwrap(),
                Some((packet.clone(), bytes.len()))
            );
            for cut in 0..bytes.len() {
                assert_eq!(Packet::decode(&bytes[..cut]).unwrap(), None, "{packet:?}");
            }
            let mut two = bytes.clone();
            two.extend_from_slice(&Packet::PingResp.encode());
            assert_eq!(Packet::decode(&two).unwrap().unwrap().1, bytes.len());
        }
    }

    #[test]
    fn the_spec_examples_encode_byte_for_byte() {
        // A 321-byte PUBLISH needs two length bytes: 321 = 0xc1 0x02.
        let publish = Packet::Publish {
            topic: "a".into(),
            qos: 0,
            packet_id: None,
            retain: false,
            dup: false,
            payload: vec![b'x'; 318],
        };
        assert_eq!(&publish.encode()[..3], [0x30, 0xc1, 0x02]);
        let connect = Packet::Connect {
            client_id: "c".into(),
            keep_alive: 60,
            clean_session: true,
        };
        assert_eq!(
            connect.encode(),
            [
                0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 2, 0, 60, 0, 1, b'c'
            ]
        );
        assert_eq!(connack_reason(5), "not authorized");
    }

    #[test]
    fn malformed_packets_say_what_is_wrong() {
        let cases: [(&[u8], &str); 6] = [
            (&[0x32, 0x03, 0x00, 0x01, b'a'], "ends inside its packet id"),
            (&[0x36, 0x00], "QoS 3"),
            (&[0x80, 0x02, 0x00, 0x01], "flags 0x2"),
            (&[0x20, 0x03, 0, 0, 0], "1 bytes left over"),
            (&[0x30, 0xff, 0xff, 0xff, 0xff, 0x01], "four bytes"),
            (&[0xf0, 0x00], "not one a Jobs lookup exchanges"),
        ];
        for (bytes, expected) in cases {
            let error = Packet::decode(bytes).unwrap_err().to_string();
            assert!(error.contains(expected), "{bytes:?}: {error}");
        }
    }
}
