//! One change to the stored state: what persistence writes (in one transaction per operation) and the tables
//! then apply, in that order.

use crate::model::{Execution, ExecutionKey, Job, Thing};

#[derive(Debug, Clone)]
pub enum Change {
    PutThing(Thing),
    DeleteThing(String),
    PutJob(Job),
    PutExecution(Execution),
    DeleteExecution(ExecutionKey),
}

impl Change {
    /// The thing whose executions the change touches.
    pub fn thing(&self) -> Option<&str> {
        match self {
            Change::PutExecution(e) => Some(&e.thing),
            Change::DeleteExecution(key) => Some(&key.0),
            Change::PutThing(_) | Change::DeleteThing(_) | Change::PutJob(_) => None,
        }
    }
}
