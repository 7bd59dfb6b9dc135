//! Bytes → whole MQTT packets. The fixed header's remaining length (a varint of 1–4 bytes) says where a packet ends;
//! a packet longer than the limit is refused as soon as its header is read, before its body arrives. Bodies are
//! decoded by `mqtt5-protocol` for the protocol version (3.1.1 = 4, 5) the CONNECT named; the first packet must be
//! a CONNECT.

use bytes::{Buf, BytesMut};
use mqtt5_protocol::{FixedHeader, Packet, PacketType};

/// Why the byte stream cannot go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// A packet of this many bytes (fixed header included) is over the limit.
    TooLarge(usize),
    /// Not an MQTT packet, or one the codec refuses.
    Malformed(String),
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::TooLarge(size) => write!(f, "a packet of {size} bytes is over the limit"),
            FrameError::Malformed(why) => write!(f, "malformed packet: {why}"),
        }
    }
}

/// Collects bytes and cuts whole packets from them.
#[derive(Debug)]
pub struct Framer {
    buffer: BytesMut,
    max_packet: usize,
    /// The protocol level of the CONNECT (4 = 3.1.1, 5 = 5.0); `None` until it has been read.
    version: Option<u8>,
}

impl Framer {
    pub fn new(max_packet: usize) -> Framer {
        Framer {
            buffer: BytesMut::new(),
            max_packet,
            version: None,
        }
    }

    /// Bytes that arrived.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Decodes what follows with this protocol level (set once the CONNECT has been accepted).
    pub fn set_version(&mut self, version: u8) {
        self.version = Some(version);
    }

    /// Bytes received and not yet a whole packet.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }

    /// The next whole packet, `Ok(None)` when more bytes are needed.
    pub fn next_packet(&mut self) -> Result<Option<Packet>, FrameError> {
        // Before CONNECT, anything else is refused on its first byte (HTTP sent to the MQTT port, say), not after
        // the body its bogus length announces.
        if self.version.is_none()
            && let Some(first) = self.buffer.first()
            && first >> 4 != PacketType::Connect as u8
        {
            return Err(FrameError::Malformed(format!(
                "the first packet must be CONNECT, got type {}",
                first >> 4
            )));
        }
        let Some(total) = self.packet_length()? else {
            return Ok(None);
        };
        if self.buffer.len() < total {
            return Ok(None);
        }
        let mut frame = self.buffer.split_to(total).freeze();
        let header = FixedHeader::decode(&mut frame).map_err(malformed)?;
        let packet = match self.version {
            Some(version) => Packet::decode_from_body_with_version(
                header.packet_type,
                &header,
                &mut frame,
                version,
            ),
            None if header.packet_type == PacketType::Connect => {
                // CONNECT's body names its own version.
                Packet::decode_from_body(header.packet_type, &header, &mut frame)
            }
            None => {
                return Err(FrameError::Malformed(format!(
                    "the first packet must be CONNECT, got {:?}",
                    header.packet_type
                )));
            }
        }
        .map_err(malformed)?;
        if frame.has_remaining() {
            return Err(FrameError::Malformed(format!(
                "{} bytes left over after the {}",
                frame.remaining(),
                packet.packet_type_name()
            )));
        }
        Ok(Some(packet))
    }

    /// The whole length of the packet at the front (fixed header + remaining length), once its header is in.
    fn packet_length(&self) -> Result<Option<usize>, FrameError> {
        let mut remaining: usize = 0;
        for (i, byte) in self.buffer.iter().skip(1).take(4).enumerate() {
            remaining |= usize::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                let total = 1 + (i + 1) + remaining;
                if total > self.max_packet {
                    return Err(FrameError::TooLarge(total));
                }
                return Ok(Some(total));
            }
        }
        if self.buffer.len() >= 5 {
            return Err(FrameError::Malformed(
                "the remaining length runs over 4 bytes".into(),
            ));
        }
        Ok(None)
    }
}

fn malformed(error: mqtt5_protocol::MqttError) -> FrameError {
    FrameError::Malformed(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mqtt5_protocol::packet::MqttPacket;
    use mqtt5_protocol::packet::publish::PublishPacket;
    use mqtt5_protocol::{ConnectOptions, QoS};

    fn connect(version: u8) -> BytesMut {
        let options = ConnectOptions::new("c");
        let packet = if version == 5 {
            mqtt5_protocol::packet::connect::ConnectPacket::new(options)
        } else {
            mqtt5_protocol::packet::connect::ConnectPacket::new_v311(options)
        };
        let mut bytes = BytesMut::new();
        packet.encode(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn packets_split_anywhere_come_out_whole() {
        let mut wire = connect(5);
        PublishPacket::new("a/b", &b"hello"[..], QoS::AtLeastOnce)
            .with_packet_id(7)
            .encode(&mut wire)
            .unwrap();
        wire.extend_from_slice(&[0xc0, 0x00]); // PINGREQ
        let mut framer = Framer::new(1024);
        let mut names = Vec::new();
        for byte in wire.iter() {
            framer.push(&[*byte]);
            while let Some(packet) = framer.next_packet().unwrap() {
                if let Packet::Connect(c) = &packet {
                    framer.set_version(c.protocol_version);
                }
                names.push(packet.packet_type_name());
            }
        }
        assert_eq!(names, ["CONNECT", "PUBLISH", "PINGREQ"]);
        assert_eq!(framer.pending(), 0);
    }

    #[test]
    fn what_is_refused() {
        let mut framer = Framer::new(64);
        framer.push(&[0x10, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert!(matches!(
            framer.next_packet(),
            Err(FrameError::Malformed(_))
        ));
        let mut framer = Framer::new(64);
        framer.push(&[0x10, 0x80, 0x01]);
        assert!(matches!(
            framer.next_packet(),
            Err(FrameError::TooLarge(131))
        ));
        let mut framer = Framer::new(64);
        framer.push(&[0xc0, 0x00]);
        assert!(
            matches!(framer.next_packet(), Err(FrameError::Malformed(m)) if m.contains("CONNECT"))
        );
        // SUBSCRIBE with the wrong fixed-header flags.
        let mut framer = Framer::new(64);
        framer.set_version(4);
        framer.push(&[0x80, 0x06, 0, 1, 0, 1, b'a', 0]);
        assert!(matches!(
            framer.next_packet(),
            Err(FrameError::Malformed(_))
        ));
        // A header with nothing after it yet is not an error.
        let mut framer = Framer::new(64);
        framer.push(&[0x10]);
        assert!(matches!(framer.next_packet(), Ok(None)));
    }
}
