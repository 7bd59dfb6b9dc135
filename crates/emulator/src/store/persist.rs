//! Persistence: the records in a redb file, one table per kind, each record as JSON. A write is one redb
//! transaction, committed with redb's default immediate durability (fsync) before the caller applies and
//! acknowledges it, so an acknowledged change survives a crash or a kill.
//!
//! redb over SQLite: pure Rust (no C build on every clean CI machine), crash-safe by design (copy-on-write B-trees
//! with checksummed commits) and small.

use std::path::Path;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::change::Change;
use super::error::{OpenError, StoreError};
use crate::model::{Execution, ExecutionKey, Job, Thing};

const THINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("things");
const JOBS: TableDefinition<&str, &[u8]> = TableDefinition::new("jobs");
const EXECUTIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("executions");

/// The durable file.
pub struct Durable {
    db: Database,
}

/// Every record of an opened file.
#[derive(Default)]
pub struct Loaded {
    pub things: Vec<Thing>,
    pub jobs: Vec<Job>,
    pub executions: Vec<Execution>,
}

fn open_error(e: impl std::fmt::Display) -> OpenError {
    OpenError(e.to_string())
}

fn storage(e: impl std::fmt::Display) -> StoreError {
    StoreError::Storage(e.to_string())
}

/// The key of an execution record: thing, job and a zero-padded number, so records sort as the index does.
fn execution_key_text(key: &ExecutionKey) -> String {
    format!("{}\u{1}{}\u{1}{:020}", key.0, key.1, key.2)
}

/// Every record of a table.
fn load<T: serde::de::DeserializeOwned>(
    read: &redb::ReadTransaction,
    table: TableDefinition<&str, &[u8]>,
) -> Result<Vec<T>, OpenError> {
    let table = read.open_table(table).map_err(open_error)?;
    let mut records = Vec::new();
    for entry in table.iter().map_err(open_error)? {
        let (_, value) = entry.map_err(open_error)?;
        records.push(serde_json::from_slice(value.value()).map_err(open_error)?);
    }
    Ok(records)
}

impl Durable {
    /// Opens (or creates) `dir/jobscope-emulator.redb` and reads every record.
    pub fn open(dir: &Path) -> Result<(Durable, Loaded), OpenError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| OpenError(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join("jobscope-emulator.redb");
        let db = Database::create(&path)
            .map_err(|e| OpenError(format!("cannot open {}: {e}", path.display())))?;
        let txn = db.begin_write().map_err(open_error)?;
        for table in [THINGS, JOBS, EXECUTIONS] {
            txn.open_table(table).map_err(open_error)?;
        }
        txn.commit().map_err(open_error)?;
        let loaded = {
            let read = db.begin_read().map_err(open_error)?;
            Loaded {
                things: load(&read, THINGS)?,
                jobs: load(&read, JOBS)?,
                executions: load(&read, EXECUTIONS)?,
            }
        };
        Ok((Durable { db }, loaded))
    }

    /// Writes `changes` in one transaction and commits it.
    pub fn write(&self, changes: &[Change]) -> Result<(), StoreError> {
        let txn = self.db.begin_write().map_err(storage)?;
        {
            let mut things = txn.open_table(THINGS).map_err(storage)?;
            let mut jobs = txn.open_table(JOBS).map_err(storage)?;
            let mut executions = txn.open_table(EXECUTIONS).map_err(storage)?;
            for change in changes {
                match change {
                    Change::PutThing(thing) => {
                        let bytes = serde_json::to_vec(thing).map_err(storage)?;
                        things
                            .insert(thing.name.as_str(), bytes.as_slice())
                            .map_err(storage)?;
                    }
                    Change::DeleteThing(name) => {
                        things.remove(name.as_str()).map_err(storage)?;
                    }
                    Change::PutJob(job) => {
                        let bytes = serde_json::to_vec(job).map_err(storage)?;
                        jobs.insert(job.job_id.as_str(), bytes.as_slice())
                            .map_err(storage)?;
                    }
                    Change::PutExecution(execution) => {
                        let bytes = serde_json::to_vec(execution).map_err(storage)?;
                        let key = execution_key_text(&execution.key());
                        executions
                            .insert(key.as_str(), bytes.as_slice())
                            .map_err(storage)?;
                    }
                    Change::DeleteExecution(key) => {
                        executions
                            .remove(execution_key_text(key).as_str())
                            .map_err(storage)?;
                    }
                }
            }
        }
        txn.commit().map_err(storage)
    }
}
