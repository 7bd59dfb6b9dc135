//! The emulator's state: the operations of both planes over the stored records.
//!
//! The work is split by concern: [`persist`] writes records to redb, [`tables`] keeps them in memory with their
//! indexes, [`lifecycle`] decides every transition, and [`error`] names what is refused ([`StoreError`], which
//! `crate::error` maps to AWS errors for the request's plane). This file only composes them.
//!
//! Every mutation runs under one lock: it is computed, committed to redb (fsync'd), and only then applied in memory
//! and acknowledged. So an acknowledged write survives a crash or kill, and of N racing updates with the same
//! `expectedVersion` exactly one wins. With `--in-memory` no file is opened at all.

mod change;
mod error;
mod lifecycle;
mod persist;
mod tables;
mod watch;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use jobscope::codec::{StartNextPendingJobExecutionInput, UpdateJobExecutionInput};
use jobscope::{JobExecutionStatus, JobTarget, StatusDetails};

pub use error::{OpenError, Resource, StoreError};
pub use watch::{ThingEvent, Watcher};

use self::change::Change;
use self::persist::Durable;
use self::tables::Tables;
use self::watch::Pending;
use crate::account::Account;
use crate::clock::Clock;
use crate::model::{Execution, Job, RetryCriteria, Thing};

/// The whole emulated service state.
pub struct Store {
    tables: Mutex<Tables>,
    durable: Option<Durable>,
    /// Told what each committed change did to the things' pending executions (`notify`, `notify-next`).
    watcher: OnceLock<Arc<dyn Watcher>>,
    pub account: Account,
    pub clock: Clock,
}

/// Which executions a timeout sweep looks at.
#[derive(Clone, Copy)]
enum Within<'a> {
    Thing(&'a str),
    ThingJob(&'a str, &'a str),
    Job(&'a str),
    /// Every execution whose timer has run out.
    Due,
}

/// Input of CreateJob.
#[derive(Debug, Default, Clone)]
pub struct NewJob {
    pub job_id: String,
    /// Thing ARNs.
    pub targets: Vec<String>,
    pub document: Option<String>,
    pub description: Option<String>,
    pub in_progress_timeout_minutes: Option<i64>,
    pub retry: Vec<RetryCriteria>,
}

/// Input of CancelJob.
#[derive(Debug, Default, Clone)]
pub struct CancelJob {
    pub force: bool,
    pub reason_code: Option<String>,
    pub comment: Option<String>,
}

/// Input of CancelJobExecution.
#[derive(Debug, Default, Clone)]
pub struct CancelExecution {
    pub force: bool,
    pub expected_version: Option<i64>,
    pub status_details: Option<StatusDetails>,
}

/// Counts of a job's executions per status (DescribeJob `jobProcessDetails`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ProcessCounts(HashMap<JobExecutionStatus, i64>);

impl ProcessCounts {
    /// How many of the job's executions are in `status`.
    pub fn of(&self, status: &JobExecutionStatus) -> i64 {
        self.0.get(status).copied().unwrap_or(0)
    }
}

/// A list's filter: the executions in one status (ListJobExecutionsFor*'s `status`) and of one job
/// (ListJobExecutionsForThing's `jobId`).
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub status: Option<JobExecutionStatus>,
    pub job_id: Option<String>,
}

impl Filter {
    fn admits(&self, e: &Execution) -> bool {
        self.status.as_ref().is_none_or(|s| *s == e.status)
            && self.job_id.as_ref().is_none_or(|j| *j == e.job_id)
    }
}

impl Store {
    /// A store kept only in memory.
    pub fn in_memory(account: Account, clock: Clock) -> Store {
        Store {
            tables: Mutex::new(Tables::default()),
            durable: None,
            watcher: OnceLock::new(),
            account,
            clock,
        }
    }

    /// Opens (or creates) the durable store in `dir` and loads it.
    pub fn open(dir: &Path, account: Account, clock: Clock) -> Result<Store, OpenError> {
        let (durable, loaded) = Durable::open(dir)?;
        Ok(Store {
            tables: Mutex::new(Tables::load(loaded)),
            durable: Some(durable),
            watcher: OnceLock::new(),
            account,
            clock,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Tables> {
        // A panic while holding the lock cannot leave half a change applied: changes are applied only after commit.
        self.tables
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sets who is told what each change does to the things' pending executions (once; later calls are ignored).
    pub fn watch(&self, watcher: Arc<dyn Watcher>) {
        let _ = self.watcher.set(watcher);
    }

    /// Persists changes (one redb transaction), then applies them in memory, then tells the watcher (when it
    /// listens) what they did to each touched thing's pending executions.
    fn commit(&self, tables: &mut Tables, changes: Vec<Change>) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        if let Some(durable) = &self.durable {
            durable.write(&changes)?;
        }
        let watcher = self.watcher.get().filter(|w| w.is_listening());
        let before: Vec<(String, Pending)> = match watcher {
            Some(_) => {
                let mut things: Vec<&str> = changes.iter().filter_map(Change::thing).collect();
                things.sort_unstable();
                things.dedup();
                things
                    .into_iter()
                    .map(|thing| (thing.to_owned(), Pending::of(tables, thing)))
                    .collect()
            }
            None => Vec::new(),
        };
        for change in changes {
            tables.apply(change);
        }
        if let Some(watcher) = watcher {
            let now = self.clock.now_ms();
            let events: Vec<ThingEvent> = before
                .iter()
                .flat_map(|(thing, pending)| Pending::events(pending, tables, thing, now))
                .collect();
            if !events.is_empty() {
                watcher.changed(events);
            }
        }
        Ok(())
    }

    /// `e`, and its retry when the job's criteria want one.
    fn with_retry(tables: &mut Tables, e: Execution, now_ms: i64) -> Vec<Change> {
        let retry = tables
            .jobs
            .get(&e.job_id)
            .is_some_and(|job| lifecycle::wants_retry(&e, job))
            .then(|| {
                let number = tables.take_number(&e.thing, &e.job_id);
                lifecycle::retry(&e, number, now_ms)
            });
        let mut changes = vec![Change::PutExecution(e)];
        changes.extend(retry.map(Change::PutExecution));
        changes
    }

    /// Moves IN_PROGRESS executions whose timer ran out to TIMED_OUT (and queues their retries). Only the
    /// executions `within` are looked at, through the indexes.
    fn expire(&self, tables: &mut Tables, within: Within<'_>) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let expired: Vec<Execution> = {
            let candidates: Box<dyn Iterator<Item = &Execution> + '_> = match within {
                Within::Thing(thing) => Box::new(tables.thing_executions(thing)),
                Within::ThingJob(thing, job_id) => Box::new(
                    tables
                        .thing_executions(thing)
                        .filter(move |e| e.job_id == job_id),
                ),
                Within::Job(job_id) => Box::new(tables.job_executions(job_id)),
                Within::Due => Box::new(tables.due(now)),
            };
            candidates
                .filter_map(|e| lifecycle::time_out(e, now))
                .collect()
        };
        let mut changes = Vec::new();
        for e in expired {
            changes.extend(Self::with_retry(tables, e, now));
        }
        self.commit(tables, changes)
    }

    /// Times out every execution whose timer has run out (reads do it for what they touch; this is for the
    /// executions nobody reads, so their `notify` events go out on time).
    pub fn expire_due(&self) -> Result<(), StoreError> {
        let mut tables = self.lock();
        self.expire(&mut tables, Within::Due)
    }

    // ----- registry -----

    /// CreateThing: idempotent for the same attributes.
    pub fn create_thing(
        &self,
        name: &str,
        attributes: BTreeMap<String, String>,
    ) -> Result<Thing, StoreError> {
        let mut tables = self.lock();
        if let Some(existing) = tables.things.get(name) {
            if existing.attributes == attributes {
                return Ok(existing.clone());
            }
            return Err(StoreError::AlreadyExists(Resource::Thing(name.to_owned())));
        }
        let thing = Thing {
            name: name.to_owned(),
            thing_id: pseudo_uuid(name),
            attributes,
            version: 1,
        };
        self.commit(&mut tables, vec![Change::PutThing(thing.clone())])?;
        Ok(thing)
    }

    pub fn describe_thing(&self, name: &str) -> Result<Thing, StoreError> {
        self.lock().thing(name).cloned()
    }

    pub fn list_things(&self) -> Vec<Thing> {
        self.lock().things.values().cloned().collect()
    }

    /// DeleteThing: deleting a missing thing succeeds, as in AWS.
    pub fn delete_thing(
        &self,
        name: &str,
        expected_version: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut tables = self.lock();
        let Some(thing) = tables.things.get(name) else {
            return Ok(());
        };
        lifecycle::check_version(
            Resource::Thing(name.to_owned()),
            expected_version,
            thing.version,
        )?;
        self.commit(&mut tables, vec![Change::DeleteThing(name.to_owned())])
    }

    /// Whether a thing exists.
    pub fn has_thing(&self, name: &str) -> bool {
        self.lock().things.contains_key(name)
    }

    // ----- jobs -----

    /// CreateJob: one QUEUED execution per distinct target thing.
    pub fn create_job(&self, new: NewJob) -> Result<Job, StoreError> {
        let now = self.clock.now_ms();
        let mut tables = self.lock();
        if tables.jobs.contains_key(&new.job_id) {
            return Err(StoreError::AlreadyExists(Resource::Job(new.job_id)));
        }
        let mut things: Vec<String> = Vec::new();
        for arn in &new.targets {
            let name = self
                .account
                .thing_of_arn(arn)
                .ok_or_else(|| StoreError::ForeignTarget {
                    arn: arn.clone(),
                    expected_prefix: self.account.thing_arn(""),
                })?;
            tables.thing(name)?;
            if !things.iter().any(|t| t == name) {
                things.push(name.to_owned());
            }
        }
        let job = Job {
            description: new.description,
            document: new.document,
            targets: new.targets,
            in_progress_timeout_minutes: new.in_progress_timeout_minutes,
            retry: new.retry,
            ..Job::in_progress(&new.job_id, now)
        };
        let mut changes = vec![Change::PutJob(job.clone())];
        for thing in things {
            let number = tables.take_number(&thing, &job.job_id);
            changes.push(Change::PutExecution(Execution::queued(
                &thing,
                &job.job_id,
                number,
                now,
                0,
            )));
        }
        self.commit(&mut tables, changes)?;
        Ok(job)
    }

    /// DescribeJob: the job as read (COMPLETED once every execution has ended) and its executions per status.
    pub fn describe_job(&self, job_id: &str) -> Result<(Job, ProcessCounts), StoreError> {
        let mut tables = self.lock();
        self.expire(&mut tables, Within::Job(job_id))?;
        let job = tables.job(job_id)?;
        let mut counts = ProcessCounts::default();
        for e in tables.job_executions(job_id) {
            *counts.0.entry(e.status.clone()).or_default() += 1;
        }
        Ok((
            lifecycle::job_as_read(job, tables.job_executions(job_id)),
            counts,
        ))
    }

    /// CancelJob: the job and what is still pending of it.
    pub fn cancel_job(&self, job_id: &str, cancel: CancelJob) -> Result<Job, StoreError> {
        let now = self.clock.now_ms();
        let mut tables = self.lock();
        self.expire(&mut tables, Within::Job(job_id))?;
        let job = tables.job(job_id)?;
        let Some(canceled) =
            lifecycle::cancel_job(job, cancel.force, cancel.reason_code, cancel.comment, now)
        else {
            return Ok(job.clone());
        };
        let mut changes = vec![Change::PutJob(canceled.clone())];
        changes.extend(
            tables
                .job_executions(job_id)
                .filter_map(|e| lifecycle::cancel_for_job(e, cancel.force, now))
                .map(Change::PutExecution),
        );
        self.commit(&mut tables, changes)?;
        Ok(canceled)
    }

    /// A job's document.
    pub fn job_document(&self, job_id: &str) -> Option<String> {
        self.lock()
            .jobs
            .get(job_id)
            .and_then(|j| j.document.clone())
    }

    // ----- executions -----

    /// DescribeJobExecution: a job's execution (the given number, or the latest), or `$next`'s (IN_PROGRESS first,
    /// then QUEUED, oldest first; `None` when nothing is pending). With `pending_only` (the device API) an
    /// execution that has ended is refused as [`StoreError::Terminal`].
    pub fn describe_execution(
        &self,
        thing: &str,
        job: &JobTarget,
        number: Option<i64>,
        pending_only: bool,
    ) -> Result<Option<Execution>, StoreError> {
        let mut tables = self.lock();
        self.expire(&mut tables, Within::Thing(thing))?;
        let job_id = match job {
            JobTarget::Next => return Ok(tables.next_pending(thing).cloned()),
            JobTarget::Id(id) => id.as_str(),
        };
        let execution = tables.find(thing, job_id, number)?;
        if pending_only && !execution.is_pending() {
            return Err(StoreError::Terminal {
                execution: Resource::execution(thing, job_id, Some(execution.number)),
                status: execution.status.clone(),
            });
        }
        Ok(Some(execution.clone()))
    }

    /// GetPendingJobExecutions: (IN_PROGRESS, QUEUED), oldest first.
    pub fn pending(&self, thing: &str) -> Result<(Vec<Execution>, Vec<Execution>), StoreError> {
        let mut tables = self.lock();
        self.expire(&mut tables, Within::Thing(thing))?;
        tables.thing(thing)?;
        Ok((
            tables.in_status(thing, &JobExecutionStatus::InProgress),
            tables.in_status(thing, &JobExecutionStatus::Queued),
        ))
    }

    /// StartNextPendingJobExecution: an IN_PROGRESS execution is returned as it is; else the oldest QUEUED one
    /// starts. `None` when nothing is pending.
    pub fn start_next(
        &self,
        thing: &str,
        input: StartNextPendingJobExecutionInput,
    ) -> Result<Option<Execution>, StoreError> {
        let now = self.clock.now_ms();
        let mut tables = self.lock();
        self.expire(&mut tables, Within::Thing(thing))?;
        let Some(next) = tables.next_pending(thing) else {
            return Ok(None);
        };
        if next.status == JobExecutionStatus::InProgress {
            return Ok(Some(next.clone()));
        }
        let started = lifecycle::start(
            next,
            input.status_details,
            input.step_timeout_in_minutes,
            tables.job_timeout(&next.job_id),
            now,
        );
        self.commit(&mut tables, vec![Change::PutExecution(started.clone())])?;
        Ok(Some(started))
    }

    /// UpdateJobExecution from the device.
    pub fn update_execution(
        &self,
        thing: &str,
        job_id: &str,
        input: &UpdateJobExecutionInput,
    ) -> Result<Execution, StoreError> {
        lifecycle::check_settable(&input.status)?;
        let now = self.clock.now_ms();
        let mut tables = self.lock();
        self.expire(&mut tables, Within::ThingJob(thing, job_id))?;
        let current = tables.find(thing, job_id, input.execution_number)?;
        let updated = lifecycle::update(current, input, tables.job_timeout(job_id), now)?;
        let changes = Self::with_retry(&mut tables, updated.clone(), now);
        self.commit(&mut tables, changes)?;
        Ok(updated)
    }

    /// CancelJobExecution (control plane): the latest execution of the job on the thing.
    pub fn cancel_execution(
        &self,
        thing: &str,
        job_id: &str,
        cancel: CancelExecution,
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let mut tables = self.lock();
        self.expire(&mut tables, Within::ThingJob(thing, job_id))?;
        let current = tables.find(thing, job_id, None)?;
        let canceled = lifecycle::cancel(
            current,
            cancel.force,
            cancel.expected_version,
            cancel.status_details,
            now,
        )?;
        self.commit(&mut tables, vec![Change::PutExecution(canceled)])
    }

    /// DeleteJobExecution (control plane): ended executions, or any with force.
    pub fn delete_execution(
        &self,
        thing: &str,
        job_id: &str,
        number: i64,
        force: bool,
    ) -> Result<(), StoreError> {
        let mut tables = self.lock();
        self.expire(&mut tables, Within::ThingJob(thing, job_id))?;
        let current = tables.find(thing, job_id, Some(number))?;
        lifecycle::check_deletable(current, force)?;
        let key = current.key();
        self.commit(&mut tables, vec![Change::DeleteExecution(key)])
    }

    /// ListJobExecutionsForThing: newest first (by queue time; then job id, then newest number).
    pub fn executions_of_thing(
        &self,
        thing: &str,
        filter: &Filter,
    ) -> Result<Vec<Execution>, StoreError> {
        let mut tables = self.lock();
        self.expire(&mut tables, Within::Thing(thing))?;
        tables.thing(thing)?;
        let mut list: Vec<Execution> = tables
            .thing_executions(thing)
            .filter(|e| filter.admits(e))
            .cloned()
            .collect();
        list.sort_by(|a, b| {
            b.queued_at_ms
                .cmp(&a.queued_at_ms)
                .then(a.job_id.cmp(&b.job_id))
                .then(b.number.cmp(&a.number))
        });
        Ok(list)
    }

    /// ListJobExecutionsForJob: by thing, then number.
    pub fn executions_of_job(
        &self,
        job_id: &str,
        filter: &Filter,
    ) -> Result<Vec<Execution>, StoreError> {
        let mut tables = self.lock();
        self.expire(&mut tables, Within::Job(job_id))?;
        tables.job(job_id)?;
        Ok(tables
            .job_executions(job_id)
            .filter(|e| filter.admits(e))
            .cloned()
            .collect())
    }

    /// Writes records as they are (the demo fleet, tests, benchmarks), in one transaction.
    pub fn seed(
        &self,
        things: Vec<Thing>,
        jobs: Vec<Job>,
        executions: Vec<Execution>,
    ) -> Result<(), StoreError> {
        let mut tables = self.lock();
        let changes = things
            .into_iter()
            .map(Change::PutThing)
            .chain(jobs.into_iter().map(Change::PutJob))
            .chain(executions.into_iter().map(Change::PutExecution))
            .collect();
        self.commit(&mut tables, changes)
    }

    /// How many executions are stored.
    pub fn execution_count(&self) -> usize {
        self.lock().execution_count()
    }
}

/// A stable UUID-shaped id derived from a name (FNV-1a), so a thing keeps its id across restarts.
pub fn pseudo_uuid(name: &str) -> String {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    for byte in name.bytes() {
        a = (a ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        b = (b ^ u64::from(byte))
            .wrapping_mul(0x100_0000_01b3)
            .rotate_left(7);
    }
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        Account {
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
        }
    }

    /// Records as the previous version (statuses as plain strings) wrote them still open: the enums serialize as
    /// the same strings.
    #[test]
    fn records_written_with_string_statuses_still_open() {
        use redb::{Database, TableDefinition};
        let dir =
            std::env::temp_dir().join(format!("jobscope-emulator-compat-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        {
            let db = Database::create(dir.join("jobscope-emulator.redb")).unwrap();
            let txn = db.begin_write().unwrap();
            let put = |table: &str, key: &str, value: &str| {
                let definition: TableDefinition<&str, &[u8]> = TableDefinition::new(table);
                txn.open_table(definition)
                    .unwrap()
                    .insert(key, value.as_bytes())
                    .unwrap();
            };
            put(
                "things",
                "t",
                r#"{"name":"t","thing_id":"id","attributes":{},"version":1}"#,
            );
            put(
                "jobs",
                "j",
                r#"{"job_id":"j","description":null,"document":"{}","targets":["arn:aws:iot:us-east-1:123456789012:thing/t"],"status":"IN_PROGRESS","force_canceled":false,"reason_code":null,"comment":null,"created_at_ms":1000,"last_updated_at_ms":1000,"completed_at_ms":null,"in_progress_timeout_minutes":null,"retry":[{"failure_type":"FAILED","number_of_retries":1}]}"#,
            );
            put(
                "executions",
                "t\u{1}j\u{1}00000000000000000001",
                r#"{"thing":"t","job_id":"j","number":1,"status":"IN_PROGRESS","force_canceled":false,"status_details":[["step","2"]],"queued_at_ms":1000,"started_at_ms":2000,"last_updated_at_ms":2000,"version":2,"in_progress_deadline_ms":null,"step_deadline_ms":null,"retry_attempt":0}"#,
            );
            txn.commit().unwrap();
        }
        let store = Store::open(&dir, account(), Clock::manual(10_000)).unwrap();
        let e = store
            .describe_execution("t", &JobTarget::Next, None, true)
            .unwrap()
            .unwrap();
        assert_eq!(e.status, JobExecutionStatus::InProgress);
        assert_eq!(e.status_details, vec![("step".into(), "2".into())]);
        let (job, _) = store.describe_job("j").unwrap();
        assert_eq!(
            job.retry[0].failure_type,
            jobscope::codec::RetryableFailureType::Failed
        );
        // A FAILED update queues the retry the stored criteria allow, and the numbering continues.
        let failed = UpdateJobExecutionInput::from_json(br#"{"status":"FAILED"}"#).unwrap();
        store.update_execution("t", "j", &failed).unwrap();
        let next = store
            .describe_execution("t", &JobTarget::Next, None, true)
            .unwrap()
            .unwrap();
        assert_eq!((next.number, next.retry_attempt), (2, 1));
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
