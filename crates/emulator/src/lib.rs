//! jobscope-emulator: a local, durable server of the AWS IoT Jobs API — the device-side data plane
//! (`iot-jobs-data`) and the operator-side control plane (`iot`) — that the official AWS SDKs accept unchanged
//! but for the endpoint.
//!
//! [`app`] builds the router over a [`Store`]; `main.rs` only parses flags and serves it (and, with
//! `--mqtt-listen`/`--mqtt-tls-listen`, [`mqtt::serve`] beside it; MQTT over WebSocket is the router's `/mqtt`). The emulator keeps
//! routing, state and lifecycle; every wire rule (request parsing, bodies, errors, times, header names) is the
//! core crate's codec (`jobscope::codec`).

mod account;
mod admin;
mod app;
mod auth;
mod clock;
mod control_plane;
mod control_shapes;
mod data_plane;
pub mod demo;
mod error;
mod extract;
mod faults;
mod model;
pub mod mqtt;
mod plane;
mod reply;
mod serve;
mod store;

pub use account::Account;
pub use app::{AppState, Config, app};
pub use auth::AccessKeys;
pub use clock::Clock;
pub use error::ApiError;
pub use faults::Faults;
pub use model::{Execution, Job, RetryCriteria, Thing, ViewContext};
pub use plane::credential_service;
pub use serve::{Limits, serve};
pub use store::{
    CancelExecution, CancelJob, Filter, NewJob, OpenError, ProcessCounts, Resource, Store,
    StoreError, ThingEvent, Watcher,
};
