//! jobscope-emulator: a local, durable server of the AWS IoT Jobs API — the device-side data plane
//! (`iot-jobs-data`) and the operator-side control plane (`iot`) — that the official AWS SDKs accept unchanged
//! but for the endpoint.
//!
//! [`app`] builds the router over a [`Store`]; `main.rs` only parses flags and serves it.

mod app;
mod auth;
mod clock;
mod control_plane;
mod data_plane;
pub mod demo;
mod error;
mod faults;
mod model;
mod plane;
mod request;
mod serve;
mod store;

pub use app::{AppState, Config, app};
pub use auth::AccessKeys;
pub use clock::Clock;
pub use error::ApiError;
pub use faults::Faults;
pub use model::{Execution, Job, RetryCriteria, Thing};
pub use plane::credential_service;
pub use serve::{Limits, serve};
pub use store::{Account, Store, StoreError};
