//! The in-memory tables and their indexes: records by key, a thing's executions (the execution map is ordered by
//! thing first), a job's executions (`by_job`), and the next execution number per thing and job. Lookups here
//! touch only the records they name, so a request costs the same at 1 k or 1 M executions.

use std::collections::{BTreeMap, BTreeSet};

use jobscope::JobExecutionStatus;

use super::change::Change;
use super::error::{Resource, StoreError};
use super::persist::Loaded;
use crate::model::{Execution, ExecutionKey, Job, Thing};

#[derive(Default)]
pub struct Tables {
    pub things: BTreeMap<String, Thing>,
    pub jobs: BTreeMap<String, Job>,
    executions: BTreeMap<ExecutionKey, Execution>,
    /// (job, thing, number): the executions of a job.
    by_job: BTreeSet<(String, String, i64)>,
    /// Next execution number per (thing, job): numbers are never reused.
    next_number: BTreeMap<(String, String), i64>,
    /// (deadline, key): the IN_PROGRESS executions with a timer, soonest first (the timeout sweep).
    deadlines: BTreeSet<(i64, ExecutionKey)>,
}

/// The order pending executions are taken in: oldest first, then by job id and number.
pub fn pending_order(e: &Execution) -> (i64, String, i64) {
    (e.queued_at_ms, e.job_id.clone(), e.number)
}

impl Tables {
    /// Tables over loaded records.
    pub fn load(loaded: Loaded) -> Tables {
        let mut tables = Tables::default();
        let changes = loaded
            .things
            .into_iter()
            .map(Change::PutThing)
            .chain(loaded.jobs.into_iter().map(Change::PutJob))
            .chain(loaded.executions.into_iter().map(Change::PutExecution));
        for change in changes {
            tables.apply(change);
        }
        tables
    }

    /// Applies a change that persistence has committed.
    pub fn apply(&mut self, change: Change) {
        match change {
            Change::PutThing(thing) => {
                self.things.insert(thing.name.clone(), thing);
            }
            Change::DeleteThing(name) => {
                self.things.remove(&name);
            }
            Change::PutJob(job) => {
                self.jobs.insert(job.job_id.clone(), job);
            }
            Change::PutExecution(execution) => {
                self.index(&execution);
                let key = execution.key();
                if let Some(deadline) = execution.deadline_ms() {
                    self.deadlines.insert((deadline, key.clone()));
                }
                if let Some(old) = self.executions.insert(key, execution) {
                    self.unschedule(&old);
                }
            }
            Change::DeleteExecution(key) => {
                self.by_job.remove(&(key.1.clone(), key.0.clone(), key.2));
                if let Some(old) = self.executions.remove(&key) {
                    self.unschedule(&old);
                }
            }
        }
    }

    /// Forgets the timer of a replaced or deleted record (unless the record that replaced it has the same one).
    fn unschedule(&mut self, old: &Execution) {
        let Some(deadline) = old.deadline_ms() else {
            return;
        };
        let key = old.key();
        let still = self
            .executions
            .get(&key)
            .is_some_and(|now| now.deadline_ms() == Some(deadline));
        if !still {
            self.deadlines.remove(&(deadline, key));
        }
    }

    /// The executions whose timer ran out by `now_ms`, soonest first.
    pub fn due(&self, now_ms: i64) -> impl Iterator<Item = &Execution> + '_ {
        self.deadlines
            .iter()
            .take_while(move |(deadline, _)| *deadline <= now_ms)
            .filter_map(|(_, key)| self.executions.get(key))
    }

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
        *next = (*next).max(execution.number.saturating_add(1));
    }

    /// Takes the next execution number of `job_id` on `thing`.
    pub fn take_number(&mut self, thing: &str, job_id: &str) -> i64 {
        let next = self
            .next_number
            .entry((thing.to_owned(), job_id.to_owned()))
            .or_insert(1);
        let number = *next;
        *next = next.saturating_add(1);
        number
    }

    /// How many executions are stored.
    pub fn execution_count(&self) -> usize {
        self.executions.len()
    }

    /// A thing, or NotFound.
    pub fn thing(&self, name: &str) -> Result<&Thing, StoreError> {
        self.things
            .get(name)
            .ok_or_else(|| StoreError::NotFound(Resource::Thing(name.to_owned())))
    }

    /// A job, or NotFound.
    pub fn job(&self, job_id: &str) -> Result<&Job, StoreError> {
        self.jobs
            .get(job_id)
            .ok_or_else(|| StoreError::NotFound(Resource::Job(job_id.to_owned())))
    }

    /// A job's in-progress timeout, in minutes.
    pub fn job_timeout(&self, job_id: &str) -> Option<i64> {
        self.jobs
            .get(job_id)
            .and_then(|j| j.in_progress_timeout_minutes)
    }

    /// A thing's executions, by job id and number.
    pub fn thing_executions<'a>(
        &'a self,
        thing: &'a str,
    ) -> impl Iterator<Item = &'a Execution> + 'a {
        self.executions
            .range((thing.to_owned(), String::new(), i64::MIN)..)
            .take_while(move |(key, _)| key.0 == thing)
            .map(|(_, e)| e)
    }

    /// A job's executions, by thing and number.
    pub fn job_executions<'a>(
        &'a self,
        job_id: &'a str,
    ) -> impl Iterator<Item = &'a Execution> + 'a {
        self.by_job
            .range((job_id.to_owned(), String::new(), i64::MIN)..)
            .take_while(move |key| key.0 == job_id)
            .filter_map(|(job, thing, number)| {
                self.executions.get(&(thing.clone(), job.clone(), *number))
            })
    }

    /// The execution of a job on a thing: the given number, or the latest.
    pub fn find(
        &self,
        thing: &str,
        job_id: &str,
        number: Option<i64>,
    ) -> Result<&Execution, StoreError> {
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
        found.ok_or_else(|| StoreError::NotFound(Resource::execution(thing, job_id, number)))
    }

    /// A thing's executions in `status`, in pending order.
    pub fn in_status(&self, thing: &str, status: &JobExecutionStatus) -> Vec<Execution> {
        let mut list: Vec<Execution> = self
            .thing_executions(thing)
            .filter(|e| e.status == *status)
            .cloned()
            .collect();
        list.sort_by_key(pending_order);
        list
    }

    /// What `$next` names: the oldest IN_PROGRESS execution, else the oldest QUEUED one.
    pub fn next_pending<'a>(&'a self, thing: &'a str) -> Option<&'a Execution> {
        let oldest = |status: JobExecutionStatus| {
            self.thing_executions(thing)
                .filter(|e| e.status == status)
                .min_by_key(|e| pending_order(e))
        };
        oldest(JobExecutionStatus::InProgress).or_else(|| oldest(JobExecutionStatus::Queued))
    }
}
