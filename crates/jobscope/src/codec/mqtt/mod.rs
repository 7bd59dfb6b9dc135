//! The Jobs device API over MQTT: a second wire form of the same values (REFERENCE §4, MQTT.md §1–2).
//!
//! | rule | encode | decode |
//! |---|---|---|
//! | topics | [`JobsTopic`]'s `Display` | [`JobsTopic::parse`] |
//! | request payloads | [`describe_payload`], [`DescribeJobExecutionRequest::to_mqtt`](crate::DescribeJobExecutionRequest::to_mqtt) | [`JobsRequest::parse`], [`client_token`] |
//! | accepted payloads | [`execution_accepted`], [`pending_accepted`], [`update_accepted`] | [`decode_message`] |
//! | rejected payloads | [`Rejection::to_payload`] | [`decode_message`] (a [`ServiceError`](crate::ServiceError)) |
//! | notify, notify-next | [`notify`], [`notify_next`] | [`decode_message`] |
//! | MQTT 3.1.1 control packets | [`Packet::encode`] | [`Packet::decode`] |
//! | a DescribeJobExecution lookup (client side) | [`MqttLookup::new`] | [`MqttLookup::receive`] |
//!
//! Times over MQTT are epoch seconds (`timestamp` too); `jobDocument` is a JSON object.

mod decode;
mod lookup;
mod packet;
mod reply;
mod request;
mod topic;

pub use decode::{MqttMessage, decode_message};
pub use lookup::{LOOKUP_KEEP_ALIVE, LookupStep, MqttLookup};
pub use packet::{Packet, PacketError, connack_reason};
pub use reply::{
    NOTIFY_MAX, Rejection, execution_accepted, execution_json, notify, notify_next,
    pending_accepted, update_accepted,
};
pub use request::{JobsRequest, client_token, describe_payload};
pub use topic::{JobsOperation, JobsTopic, THINGS_PREFIX, TopicError, TopicKind};
