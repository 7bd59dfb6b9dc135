//! The emulator's state: an in-memory index over a durable redb file.
//!
//! Every mutation runs under one lock: it is computed, committed to redb (fsync'd by redb's default immediate
//! durability), and only then applied in memory and acknowledged. So an acknowledged write survives a crash or
//! kill, and of N racing updates with the same `expectedVersion` exactly one wins. redb was chosen over SQLite
//! because it is pure Rust (no C build on every clean CI machine), crash-safe by design (copy-on-write B-trees
//! with checksummed commits) and small; with `--in-memory` no file is opened at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

use jobscope::{ErrorCode, Plane};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use crate::clock::Clock;
use crate::error::ApiError;
use crate::model::{Execution, ExecutionKey, Job, RetryCriteria, Thing};

const THINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("things");
const JOBS: TableDefinition<&str, &[u8]> = TableDefinition::new("jobs");
const EXECUTIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("executions");

/// Account id and region used in every ARN.
#[derive(Debug, Clone)]
pub struct Account {
    pub account_id: String,
    pub region: String,
}

impl Account {
    pub fn thing_arn(&self, name: &str) -> String {
        format!(
            "arn:aws:iot:{}:{}:thing/{name}",
            self.region, self.account_id
        )
    }

    pub fn job_arn(&self, job_id: &str) -> String {
        format!(
            "arn:aws:iot:{}:{}:job/{job_id}",
            self.region, self.account_id
        )
    }

    /// The thing name of a thing ARN of this account and region.
    pub fn thing_of_arn<'a>(&self, arn: &'a str) -> Option<&'a str> {
        let prefix = format!("arn:aws:iot:{}:{}:thing/", self.region, self.account_id);
        arn.strip_prefix(prefix.as_str())
            .filter(|name| !name.is_empty())
    }
}

/// One change, persisted then applied.
enum Change {
    PutThing(Thing),
    DeleteThing(String),
    PutJob(Job),
    PutExecution(Execution),
    DeleteExecution(ExecutionKey),
}

#[derive(Default)]
struct Inner {
    things: BTreeMap<String, Thing>,
    jobs: BTreeMap<String, Job>,
    executions: BTreeMap<ExecutionKey, Execution>,
    /// (job, thing, number): executions of a job.
    by_job: BTreeSet<(String, String, i64)>,
    /// Next execution number per (thing, job): numbers are never reused.
    next_number: BTreeMap<(String, String), i64>,
}

/// Why the store could not open.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

fn store_error(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

/// The whole emulated service state.
pub struct Store {
    inner: Mutex<Inner>,
    db: Option<Database>,
    pub account: Account,
    pub clock: Clock,
}

/// Every record of a table.
fn load<T: serde::de::DeserializeOwned>(
    read: &redb::ReadTransaction,
    table: TableDefinition<&str, &[u8]>,
) -> Result<Vec<T>, StoreError> {
    let table = read.open_table(table).map_err(store_error)?;
    let mut records = Vec::new();
    for entry in table.iter().map_err(store_error)? {
        let (_, value) = entry.map_err(store_error)?;
        records.push(serde_json::from_slice(value.value()).map_err(store_error)?);
    }
    Ok(records)
}

fn execution_key_text(key: &ExecutionKey) -> String {
    format!("{}\u{1}{}\u{1}{:020}", key.0, key.1, key.2)
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::InternalFailureException, format!("store: {e}"))
}

/// Which executions a timeout sweep looks at.
#[derive(Clone, Copy)]
enum Within<'a> {
    Thing(&'a str),
    ThingJob(&'a str, &'a str),
    Job(&'a str),
}

/// Input of UpdateJobExecution.
#[derive(Debug, Default, Clone)]
pub struct Update {
    pub status: String,
    pub status_details: Option<Vec<(String, String)>>,
    pub step_timeout_minutes: Option<i64>,
    pub expected_version: Option<i64>,
    pub execution_number: Option<i64>,
}

/// Input of CreateJob.
#[derive(Debug, Default, Clone)]
pub struct NewJob {
    pub job_id: String,
    pub targets: Vec<String>,
    pub document: Option<String>,
    pub description: Option<String>,
    pub in_progress_timeout_minutes: Option<i64>,
    pub retry: Vec<RetryCriteria>,
}

/// Counts of a job's executions per status (DescribeJob `jobProcessDetails`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ProcessCounts {
    pub per_status: BTreeMap<String, i64>,
}

impl Store {
    /// A store kept only in memory.
    pub fn in_memory(account: Account, clock: Clock) -> Store {
        Store {
            inner: Mutex::new(Inner::default()),
            db: None,
            account,
            clock,
        }
    }

    /// Opens (or creates) the durable store in `dir` and loads it.
    pub fn open(dir: &Path, account: Account, clock: Clock) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join("jobscope-emulator.redb");
        let db = Database::create(&path)
            .map_err(|e| StoreError(format!("cannot open {}: {e}", path.display())))?;
        let txn = db.begin_write().map_err(store_error)?;
        for table in [THINGS, JOBS, EXECUTIONS] {
            txn.open_table(table).map_err(store_error)?;
        }
        txn.commit().map_err(store_error)?;
        let mut inner = Inner::default();
        {
            let read = db.begin_read().map_err(store_error)?;
            for thing in load::<Thing>(&read, THINGS)? {
                inner.things.insert(thing.name.clone(), thing);
            }
            for job in load::<Job>(&read, JOBS)? {
                inner.jobs.insert(job.job_id.clone(), job);
            }
            for execution in load::<Execution>(&read, EXECUTIONS)? {
                inner.index(&execution);
                inner.executions.insert(execution.key(), execution);
            }
        }
        Ok(Store {
            inner: Mutex::new(inner),
            db: Some(db),
            account,
            clock,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave half a change applied: changes are applied only after commit.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Persists changes (one redb transaction), then applies them in memory.
    fn commit(&self, inner: &mut Inner, changes: Vec<Change>) -> Result<(), ApiError> {
        if changes.is_empty() {
            return Ok(());
        }
        if let Some(db) = &self.db {
            let txn = db.begin_write().map_err(internal)?;
            {
                let mut things = txn.open_table(THINGS).map_err(internal)?;
                let mut jobs = txn.open_table(JOBS).map_err(internal)?;
                let mut executions = txn.open_table(EXECUTIONS).map_err(internal)?;
                for change in &changes {
                    match change {
                        Change::PutThing(thing) => {
                            let bytes = serde_json::to_vec(thing).map_err(internal)?;
                            things
                                .insert(thing.name.as_str(), bytes.as_slice())
                                .map_err(internal)?;
                        }
                        Change::DeleteThing(name) => {
                            things.remove(name.as_str()).map_err(internal)?;
                        }
                        Change::PutJob(job) => {
                            let bytes = serde_json::to_vec(job).map_err(internal)?;
                            jobs.insert(job.job_id.as_str(), bytes.as_slice())
                                .map_err(internal)?;
                        }
                        Change::PutExecution(execution) => {
                            let bytes = serde_json::to_vec(execution).map_err(internal)?;
                            let key = execution_key_text(&execution.key());
                            executions
                                .insert(key.as_str(), bytes.as_slice())
                                .map_err(internal)?;
                        }
                        Change::DeleteExecution(key) => {
                            executions
                                .remove(execution_key_text(key).as_str())
                                .map_err(internal)?;
                        }
                    }
                }
            }
            txn.commit().map_err(internal)?;
        }
        for change in changes {
            match change {
                Change::PutThing(thing) => {
                    inner.things.insert(thing.name.clone(), thing);
                }
                Change::DeleteThing(name) => {
                    inner.things.remove(&name);
                }
                Change::PutJob(job) => {
                    inner.jobs.insert(job.job_id.clone(), job);
                }
                Change::PutExecution(execution) => {
                    inner.index(&execution);
                    inner.executions.insert(execution.key(), execution);
                }
                Change::DeleteExecution(key) => {
                    inner.by_job.remove(&(key.1.clone(), key.0.clone(), key.2));
                    inner.executions.remove(&key);
                }
            }
        }
        Ok(())
    }

    // ----- registry -----

    pub fn create_thing(
        &self,
        name: &str,
        attributes: BTreeMap<String, String>,
    ) -> Result<Thing, ApiError> {
        let mut inner = self.lock();
        if let Some(existing) = inner.things.get(name) {
            if existing.attributes == attributes {
                return Ok(existing.clone()); // CreateThing is idempotent for the same definition
            }
            return Err(ApiError::new(
                ErrorCode::ResourceAlreadyExistsException,
                format!("Thing {name} already exists in account with different attributes"),
            ));
        }
        let thing = Thing {
            name: name.to_owned(),
            thing_id: pseudo_uuid(name),
            attributes,
            version: 1,
        };
        self.commit(&mut inner, vec![Change::PutThing(thing.clone())])?;
        Ok(thing)
    }

    pub fn describe_thing(&self, name: &str) -> Result<Thing, ApiError> {
        self.lock()
            .things
            .get(name)
            .cloned()
            .ok_or_else(|| ApiError::not_found(format!("Thing {name} cannot be found.")))
    }

    pub fn list_things(&self) -> Vec<Thing> {
        self.lock().things.values().cloned().collect()
    }

    pub fn delete_thing(&self, name: &str, expected_version: Option<i64>) -> Result<(), ApiError> {
        let mut inner = self.lock();
        let Some(thing) = inner.things.get(name) else {
            // DeleteThing of a missing thing succeeds in AWS.
            return Ok(());
        };
        if let Some(expected) = expected_version
            && expected != thing.version
        {
            return Err(ApiError::new(
                ErrorCode::VersionConflictException,
                format!("The version for thing {name} does not match the expected version."),
            ));
        }
        self.commit(&mut inner, vec![Change::DeleteThing(name.to_owned())])
    }

    // ----- jobs -----

    pub fn create_job(&self, new: NewJob) -> Result<Job, ApiError> {
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        if inner.jobs.contains_key(&new.job_id) {
            return Err(ApiError::new(
                ErrorCode::ResourceAlreadyExistsException,
                format!("Job {} already exists.", new.job_id),
            ));
        }
        let mut things: Vec<String> = Vec::new();
        for arn in &new.targets {
            let Some(name) = self.account.thing_of_arn(arn) else {
                return Err(ApiError::invalid(format!(
                    "Target {arn} is not a thing ARN of account {} in {} (arn:aws:iot:{}:{}:thing/<name>).",
                    self.account.account_id,
                    self.account.region,
                    self.account.region,
                    self.account.account_id
                )));
            };
            if !inner.things.contains_key(name) {
                return Err(ApiError::not_found(format!(
                    "Thing {name} cannot be found."
                )));
            }
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
            let number = inner.take_number(&thing, &job.job_id);
            changes.push(Change::PutExecution(Execution::queued(
                &thing,
                &job.job_id,
                number,
                now,
                0,
            )));
        }
        self.commit(&mut inner, changes)?;
        Ok(job)
    }

    /// The job, its derived status, and its executions' counts per status.
    pub fn describe_job(&self, job_id: &str) -> Result<(Job, ProcessCounts), ApiError> {
        let mut inner = self.lock();
        self.expire(&mut inner, Within::Job(job_id))?;
        let job = inner
            .jobs
            .get(job_id)
            .cloned()
            .ok_or_else(|| ApiError::not_found(format!("Job {job_id} cannot be found.")))?;
        let executions: Vec<&Execution> = inner.job_executions(job_id).collect();
        let mut counts = ProcessCounts::default();
        for execution in &executions {
            *counts
                .per_status
                .entry(execution.status.clone())
                .or_default() += 1;
        }
        let mut job = job;
        if job.status == "IN_PROGRESS"
            && !executions.is_empty()
            && executions.iter().all(|e| !e.is_pending())
        {
            job.status = "COMPLETED".into();
            job.completed_at_ms = executions.iter().map(|e| e.last_updated_at_ms).max();
        }
        Ok((job, counts))
    }

    pub fn cancel_job(
        &self,
        job_id: &str,
        force: bool,
        reason_code: Option<String>,
        comment: Option<String>,
    ) -> Result<Job, ApiError> {
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        self.expire(&mut inner, Within::Job(job_id))?;
        let mut job = inner
            .jobs
            .get(job_id)
            .cloned()
            .ok_or_else(|| ApiError::not_found(format!("Job {job_id} cannot be found.")))?;
        // Canceling again changes nothing, unless it adds force to a job canceled without it.
        if job.status == "CANCELED" && (!force || job.force_canceled) {
            return Ok(job);
        }
        job.status = "CANCELED".into();
        job.force_canceled |= force;
        job.reason_code = reason_code.or(job.reason_code);
        job.comment = comment.or(job.comment);
        job.last_updated_at_ms = now;
        job.completed_at_ms = Some(now);
        let mut changes = vec![Change::PutJob(job.clone())];
        for execution in inner.job_executions(job_id) {
            let cancel = match execution.status.as_str() {
                "QUEUED" => Some(false),
                "IN_PROGRESS" if force => Some(true),
                _ => None,
            };
            if let Some(forced) = cancel {
                let mut e = execution.clone();
                e.status = "CANCELED".into();
                e.force_canceled = forced;
                e.version += 1;
                e.last_updated_at_ms = now;
                changes.push(Change::PutExecution(e));
            }
        }
        self.commit(&mut inner, changes)?;
        Ok(job)
    }

    pub fn job(&self, job_id: &str) -> Option<Job> {
        self.lock().jobs.get(job_id).cloned()
    }

    /// A job's document alone (cheaper than [`Store::job`] on the hot describe path).
    pub fn job_document(&self, job_id: &str) -> Option<String> {
        self.lock()
            .jobs
            .get(job_id)
            .and_then(|j| j.document.clone())
    }

    // ----- executions -----

    /// DescribeJobExecution. The data plane serves only QUEUED and IN_PROGRESS executions (TerminalStateException
    /// otherwise); `$next` (job `None`) picks IN_PROGRESS first, then QUEUED, oldest first.
    pub fn describe_execution(
        &self,
        plane: Plane,
        thing: &str,
        job_id: Option<&str>,
        number: Option<i64>,
    ) -> Result<Option<Execution>, ApiError> {
        let mut inner = self.lock();
        self.expire(&mut inner, Within::Thing(thing))?;
        let Some(job_id) = job_id else {
            return Ok(inner.next_pending(thing).cloned());
        };
        let execution = inner.find(thing, job_id, number)?.clone();
        if plane == Plane::Data && !execution.is_pending() {
            return Err(ApiError::new(
                ErrorCode::TerminalStateException,
                format!(
                    "Job execution {job_id} (executionNumber {}) for thing {thing} is in a terminal state ({}). \
                     The device API describes only QUEUED and IN_PROGRESS executions; the control plane still describes it.",
                    execution.number, execution.status
                ),
            ));
        }
        Ok(Some(execution))
    }

    /// GetPendingJobExecutions: (IN_PROGRESS, QUEUED), oldest first.
    pub fn pending(&self, thing: &str) -> Result<(Vec<Execution>, Vec<Execution>), ApiError> {
        let mut inner = self.lock();
        self.expire(&mut inner, Within::Thing(thing))?;
        if !inner.things.contains_key(thing) {
            return Err(ApiError::not_found(format!(
                "Thing {thing} cannot be found."
            )));
        }
        let mut in_progress: Vec<Execution> = inner
            .thing_executions(thing)
            .filter(|e| e.status == "IN_PROGRESS")
            .cloned()
            .collect();
        let mut queued: Vec<Execution> = inner
            .thing_executions(thing)
            .filter(|e| e.status == "QUEUED")
            .cloned()
            .collect();
        in_progress.sort_by_key(pending_order);
        queued.sort_by_key(pending_order);
        Ok((in_progress, queued))
    }

    /// StartNextPendingJobExecution: an IN_PROGRESS execution is returned as it is; else the oldest QUEUED one starts.
    pub fn start_next(
        &self,
        thing: &str,
        status_details: Option<Vec<(String, String)>>,
        step_timeout_minutes: Option<i64>,
    ) -> Result<Option<Execution>, ApiError> {
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        self.expire(&mut inner, Within::Thing(thing))?;
        let Some(next) = inner.next_pending(thing).cloned() else {
            return Ok(None);
        };
        if next.status == "IN_PROGRESS" {
            return Ok(Some(next));
        }
        let timeout = inner
            .jobs
            .get(&next.job_id)
            .and_then(|j| j.in_progress_timeout_minutes);
        let mut e = next;
        e.status = "IN_PROGRESS".into();
        e.started_at_ms = Some(now);
        e.last_updated_at_ms = now;
        e.version += 1;
        if let Some(details) = status_details {
            e.status_details = details;
        }
        e.in_progress_deadline_ms = timeout.map(|m| now + m * 60_000);
        e.step_deadline_ms = step_timeout_minutes.map(|m| now + m * 60_000);
        self.commit(&mut inner, vec![Change::PutExecution(e.clone())])?;
        Ok(Some(e))
    }

    /// UpdateJobExecution from the device.
    pub fn update_execution(
        &self,
        thing: &str,
        job_id: &str,
        update: Update,
    ) -> Result<Execution, ApiError> {
        let now = self.clock.now_ms();
        let target = update.status.as_str();
        if !matches!(target, "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "REJECTED") {
            return Err(ApiError::invalid(format!(
                "status {target} cannot be set by UpdateJobExecution; use IN_PROGRESS, SUCCEEDED, FAILED or REJECTED."
            )));
        }
        let mut inner = self.lock();
        self.expire(&mut inner, Within::ThingJob(thing, job_id))?;
        let current = inner.find(thing, job_id, update.execution_number)?.clone();
        if let Some(expected) = update.expected_version
            && expected != current.version
        {
            return Err(ApiError::new(
                ErrorCode::ConflictException,
                format!(
                    "expectedVersion {expected} does not match the current version {} of job execution {job_id} for thing {thing}.",
                    current.version
                ),
            ));
        }
        if !current.is_pending() {
            return Err(ApiError::transition(format!(
                "Job execution {job_id} for thing {thing} is in a terminal state ({}) and cannot change to {target}.",
                current.status
            )));
        }
        let timeout = inner
            .jobs
            .get(job_id)
            .and_then(|j| j.in_progress_timeout_minutes);
        let mut e = current;
        if e.status == "QUEUED" && target == "IN_PROGRESS" {
            e.started_at_ms = Some(now);
            e.in_progress_deadline_ms = timeout.map(|m| now + m * 60_000);
        }
        e.status = target.to_owned();
        if let Some(details) = update.status_details {
            e.status_details = details;
        }
        if let Some(minutes) = update.step_timeout_minutes {
            e.step_deadline_ms = Some(now + minutes * 60_000);
        }
        e.last_updated_at_ms = now;
        e.version += 1;
        let mut changes = vec![Change::PutExecution(e.clone())];
        if let Some(retry) = inner.retry_of(&e, now) {
            changes.push(Change::PutExecution(retry));
        }
        self.commit(&mut inner, changes)?;
        Ok(e)
    }

    /// CancelJobExecution (control plane).
    pub fn cancel_execution(
        &self,
        thing: &str,
        job_id: &str,
        force: bool,
        expected_version: Option<i64>,
        status_details: Option<Vec<(String, String)>>,
    ) -> Result<(), ApiError> {
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        self.expire(&mut inner, Within::ThingJob(thing, job_id))?;
        let current = inner.find(thing, job_id, None)?.clone();
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(ApiError::new(
                ErrorCode::VersionConflictException,
                format!(
                    "expectedVersion {expected} does not match the current version {} of job execution {job_id} for thing {thing}.",
                    current.version
                ),
            ));
        }
        let forced = match current.status.as_str() {
            "QUEUED" => false,
            "IN_PROGRESS" if force => true,
            "IN_PROGRESS" => {
                return Err(ApiError::transition(format!(
                    "Job execution {job_id} for thing {thing} is IN_PROGRESS; cancel it with force=true."
                )));
            }
            status => {
                return Err(ApiError::transition(format!(
                    "Job execution {job_id} for thing {thing} is in a terminal state ({status}) and cannot be canceled."
                )));
            }
        };
        let mut e = current;
        e.status = "CANCELED".into();
        e.force_canceled = forced;
        if let Some(details) = status_details {
            e.status_details = details;
        }
        e.last_updated_at_ms = now;
        e.version += 1;
        self.commit(&mut inner, vec![Change::PutExecution(e)])
    }

    /// DeleteJobExecution (control plane): terminal executions, or any with force.
    pub fn delete_execution(
        &self,
        thing: &str,
        job_id: &str,
        number: i64,
        force: bool,
    ) -> Result<(), ApiError> {
        let mut inner = self.lock();
        self.expire(&mut inner, Within::ThingJob(thing, job_id))?;
        let current = inner.find(thing, job_id, Some(number))?;
        if current.is_pending() && !force {
            return Err(ApiError::transition(format!(
                "Job execution {job_id} (executionNumber {number}) for thing {thing} is {}; delete it with force=true.",
                current.status
            )));
        }
        let key = current.key();
        self.commit(&mut inner, vec![Change::DeleteExecution(key)])
    }

    /// A thing's executions, newest job first within the thing (ListJobExecutionsForThing).
    pub fn executions_of_thing(&self, thing: &str) -> Result<Vec<Execution>, ApiError> {
        let mut inner = self.lock();
        self.expire(&mut inner, Within::Thing(thing))?;
        if !inner.things.contains_key(thing) {
            return Err(ApiError::not_found(format!(
                "Thing {thing} cannot be found."
            )));
        }
        let mut list: Vec<Execution> = inner.thing_executions(thing).cloned().collect();
        list.sort_by(|a, b| {
            b.queued_at_ms
                .cmp(&a.queued_at_ms)
                .then(a.job_id.cmp(&b.job_id))
                .then(b.number.cmp(&a.number))
        });
        Ok(list)
    }

    /// A job's executions (ListJobExecutionsForJob).
    pub fn executions_of_job(&self, job_id: &str) -> Result<Vec<Execution>, ApiError> {
        let mut inner = self.lock();
        self.expire(&mut inner, Within::Job(job_id))?;
        if !inner.jobs.contains_key(job_id) {
            return Err(ApiError::not_found(format!(
                "Job {job_id} cannot be found."
            )));
        }
        Ok(inner.job_executions(job_id).cloned().collect())
    }

    /// Moves IN_PROGRESS executions whose timer ran out to TIMED_OUT (and queues their retries). Only the
    /// executions `within` are looked at, through the indexes, so a request costs the same at 1 k or 1 M executions.
    fn expire(&self, inner: &mut Inner, within: Within<'_>) -> Result<(), ApiError> {
        let now = self.clock.now_ms();
        let expired: Vec<Execution> = {
            let candidates: Box<dyn Iterator<Item = &Execution> + '_> = match within {
                Within::Thing(thing) => Box::new(inner.thing_executions(thing)),
                Within::ThingJob(thing, job_id) => Box::new(
                    inner
                        .thing_executions(thing)
                        .filter(move |e| e.job_id == job_id),
                ),
                Within::Job(job_id) => Box::new(inner.job_executions(job_id)),
            };
            candidates
                .filter_map(|execution| {
                    let deadline = execution.deadline_ms().filter(|d| *d <= now)?;
                    let mut e = execution.clone();
                    e.status = "TIMED_OUT".into();
                    e.last_updated_at_ms = deadline;
                    e.version += 1;
                    Some(e)
                })
                .collect()
        };
        let mut changes = Vec::new();
        for e in expired {
            if let Some(retry) = inner.retry_of(&e, now) {
                changes.push(Change::PutExecution(retry));
            }
            changes.push(Change::PutExecution(e));
        }
        self.commit(inner, changes)
    }

    /// Writes records as they are (the demo fleet, benchmarks), in one transaction.
    pub fn seed(
        &self,
        things: Vec<Thing>,
        jobs: Vec<Job>,
        executions: Vec<Execution>,
    ) -> Result<(), ApiError> {
        let mut inner = self.lock();
        let changes = things
            .into_iter()
            .map(Change::PutThing)
            .chain(jobs.into_iter().map(Change::PutJob))
            .chain(executions.into_iter().map(Change::PutExecution))
            .collect();
        self.commit(&mut inner, changes)
    }

    /// Whether a thing exists.
    pub fn has_thing(&self, name: &str) -> bool {
        self.lock().things.contains_key(name)
    }

    /// How many executions are stored.
    pub fn execution_count(&self) -> usize {
        self.lock().executions.len()
    }
}

fn pending_order(e: &Execution) -> (i64, String, i64) {
    (e.queued_at_ms, e.job_id.clone(), e.number)
}

impl Inner {
    fn index(&mut self, execution: &Execution) {
        self.by_job.insert((
            execution.job_id.clone(),
            execution.thing.clone(),
            execution.number,
        ));
        let next = self
            .next_number
            .entry((execution.thing.clone(), execution.job_id.clone()))
            .or_insert(1);
        *next = (*next).max(execution.number + 1);
    }

    fn take_number(&mut self, thing: &str, job_id: &str) -> i64 {
        let next = self
            .next_number
            .entry((thing.to_owned(), job_id.to_owned()))
            .or_insert(1);
        let number = *next;
        *next += 1;
        number
    }

    fn thing_executions<'a>(&'a self, thing: &'a str) -> impl Iterator<Item = &'a Execution> + 'a {
        self.executions
            .range((thing.to_owned(), String::new(), i64::MIN)..)
            .take_while(move |(key, _)| key.0 == thing)
            .map(|(_, e)| e)
    }

    fn job_executions<'a>(&'a self, job_id: &'a str) -> impl Iterator<Item = &'a Execution> + 'a {
        self.by_job
            .range((job_id.to_owned(), String::new(), i64::MIN)..)
            .take_while(move |key| key.0 == job_id)
            .filter_map(|(job, thing, number)| {
                self.executions.get(&(thing.clone(), job.clone(), *number))
            })
    }

    /// The execution of a job on a thing: the given number, or the latest.
    fn find(&self, thing: &str, job_id: &str, number: Option<i64>) -> Result<&Execution, ApiError> {
        let found = match number {
            Some(n) => self
                .executions
                .get(&(thing.to_owned(), job_id.to_owned(), n)),
            None => self
                .executions
                .range(
                    (thing.to_owned(), job_id.to_owned(), i64::MIN)
                        ..=(thing.to_owned(), job_id.to_owned(), i64::MAX),
                )
                .next_back()
                .map(|(_, e)| e),
        };
        found.ok_or_else(|| {
            let which = number
                .map(|n| format!(" with executionNumber {n}"))
                .unwrap_or_default();
            ApiError::not_found(format!(
                "Job execution {job_id}{which} for thing {thing} does not exist."
            ))
        })
    }

    fn next_pending<'a>(&'a self, thing: &'a str) -> Option<&'a Execution> {
        let oldest = |status: &str| {
            self.thing_executions(thing)
                .filter(|e| e.status == status)
                .min_by_key(|e| pending_order(e))
        };
        oldest("IN_PROGRESS").or_else(|| oldest("QUEUED"))
    }

    /// The retry of a failed or timed-out execution, when the job's retry criteria allow one more.
    fn retry_of(&mut self, e: &Execution, now: i64) -> Option<Execution> {
        let job = self.jobs.get(&e.job_id)?;
        let allowed = job
            .retry
            .iter()
            .filter(|c| c.failure_type == "ALL" || c.failure_type == e.status)
            .map(|c| c.number_of_retries)
            .max()?;
        if !matches!(e.status.as_str(), "FAILED" | "TIMED_OUT") || e.retry_attempt >= allowed {
            return None;
        }
        let number = self.take_number(&e.thing, &e.job_id);
        Some(Execution::queued(
            &e.thing,
            &e.job_id,
            number,
            now,
            e.retry_attempt + 1,
        ))
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
