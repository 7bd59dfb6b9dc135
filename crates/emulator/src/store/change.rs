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
