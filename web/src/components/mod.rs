//! The viewer's components, one a file. Read-only props are `Signal`s; what a component changes, it changes through
//! a callback or the one signal it edits.

pub mod aws_fields;
pub mod browse;
pub mod collapsible;
pub mod details_table;
pub mod error_card;
pub mod execution;
pub mod execution_state;
pub mod field;
pub mod form;
pub mod history;
pub mod job_document;
pub mod local_error;
pub mod paste;
pub mod pending_list;
pub mod phase;
pub mod preview;
pub mod raw_response;
pub mod result;
pub mod status_badge;
pub mod timestamp;
pub mod updated;
pub mod warnings;
