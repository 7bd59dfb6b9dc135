//! What a committed change did to a thing's pending executions, for whoever watches the store (the MQTT broker's
//! `notify` and `notify-next`): the store compares each touched thing's pending list and `$next` before and after
//! the change and reports the differences, whatever the cause — an HTTP or MQTT call, a timeout, a retry.
//!
//! The developer guide (`jobs-comm-notifications`) defines the two events:
//! - the pending list changed: an execution was queued, moved between QUEUED and IN_PROGRESS, or left the list
//!   (ended, canceled, deleted);
//! - the execution `$next` names changed — "not sent when the next job's execution details change" (status details,
//!   version), only when another execution (or none) is next.

use jobscope::JobExecutionStatus;

use super::tables::Tables;
use crate::model::Execution;

/// A change to one thing's pending executions.
#[derive(Debug, Clone, PartialEq)]
pub enum ThingEvent {
    /// The pending list changed; the lists as they are now (IN_PROGRESS and QUEUED, oldest first).
    Pending {
        thing: String,
        in_progress: Vec<Execution>,
        queued: Vec<Execution>,
        /// When it changed (the emulator's clock).
        at_ms: i64,
    },
    /// `$next` names another execution, or none; the execution now, with its job's document.
    Next {
        thing: String,
        next: Option<Execution>,
        document: Option<String>,
        at_ms: i64,
    },
}

/// Someone the store tells about [`ThingEvent`]s.
pub trait Watcher: Send + Sync {
    /// Whether anyone listens now; when not, the store skips the comparison.
    fn is_listening(&self) -> bool;
    /// The events of one committed change, in order. Called with the store locked: it must not block or call the
    /// store back.
    fn changed(&self, events: Vec<ThingEvent>);
}

/// A thing's pending executions as the events compare them: (job, number, status) in list order, and `$next`'s key.
#[derive(Debug, PartialEq)]
pub struct Pending {
    list: Vec<(String, i64, JobExecutionStatus)>,
    next: Option<(String, i64)>,
}

impl Pending {
    pub fn of(tables: &Tables, thing: &str) -> Pending {
        let key = |e: &Execution| (e.job_id.clone(), e.number, e.status.clone());
        let mut list: Vec<_> = tables
            .in_status(thing, &JobExecutionStatus::InProgress)
            .iter()
            .map(key)
            .collect();
        list.extend(
            tables
                .in_status(thing, &JobExecutionStatus::Queued)
                .iter()
                .map(key),
        );
        Pending {
            list,
            next: tables
                .next_pending(thing)
                .map(|e| (e.job_id.clone(), e.number)),
        }
    }

    /// The events that tell `before` → now for `thing`.
    pub fn events(before: &Pending, tables: &Tables, thing: &str, at_ms: i64) -> Vec<ThingEvent> {
        let after = Pending::of(tables, thing);
        let mut events = Vec::new();
        if after.list != before.list {
            events.push(ThingEvent::Pending {
                thing: thing.to_owned(),
                in_progress: tables.in_status(thing, &JobExecutionStatus::InProgress),
                queued: tables.in_status(thing, &JobExecutionStatus::Queued),
                at_ms,
            });
        }
        if after.next != before.next {
            let next = tables.next_pending(thing).cloned();
            let document = next
                .as_ref()
                .and_then(|e| tables.jobs.get(&e.job_id))
                .and_then(|job| job.document.clone());
            events.push(ThingEvent::Next {
                thing: thing.to_owned(),
                next,
                document,
                at_ms,
            });
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    use jobscope::codec::{StartNextPendingJobExecutionInput, UpdateJobExecutionInput};

    use super::*;
    use crate::account::Account;
    use crate::clock::Clock;
    use crate::store::{CancelJob, NewJob, Store};

    /// Records what the store tells, as (kind, thing, jobs listed or next).
    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl Watcher for Recorder {
        fn is_listening(&self) -> bool {
            true
        }

        fn changed(&self, events: Vec<ThingEvent>) {
            let mut seen = self.0.lock().unwrap();
            for event in events {
                seen.push(match event {
                    ThingEvent::Pending {
                        thing,
                        in_progress,
                        queued,
                        ..
                    } => {
                        let ids = |list: &[Execution]| {
                            list.iter()
                                .map(|e| e.job_id.as_str())
                                .collect::<Vec<_>>()
                                .join(",")
                        };
                        format!("notify {thing} [{}] [{}]", ids(&in_progress), ids(&queued))
                    }
                    ThingEvent::Next { thing, next, .. } => {
                        format!("next {thing} {}", next.map_or("-".to_owned(), |e| e.job_id))
                    }
                });
            }
        }
    }

    impl Recorder {
        fn take(&self) -> Vec<String> {
            std::mem::take(&mut self.0.lock().unwrap())
        }
    }

    fn job(id: &str, things: &[&str], timeout: Option<i64>) -> NewJob {
        NewJob {
            job_id: id.into(),
            targets: things
                .iter()
                .map(|t| format!("arn:aws:iot:us-east-1:123456789012:thing/{t}"))
                .collect(),
            document: Some("{}".into()),
            in_progress_timeout_minutes: timeout,
            ..NewJob::default()
        }
    }

    fn update(status: &str) -> UpdateJobExecutionInput {
        UpdateJobExecutionInput::from_json(format!(r#"{{"status":"{status}"}}"#).as_bytes())
            .unwrap()
    }

    /// Each cause, and exactly the events the developer guide defines for it: the list on every add, start, end;
    /// `$next` only when another execution (or none) becomes next — not on its own start or detail changes.
    #[test]
    fn every_change_tells_exactly_what_it_did_to_the_pending_list_and_next() {
        let clock = Clock::manual(1_000_000);
        let store = Store::in_memory(
            Account {
                account_id: "123456789012".into(),
                region: "us-east-1".into(),
            },
            clock.clone(),
        );
        let recorder = Arc::new(Recorder::default());
        store.watch(recorder.clone());
        for thing in ["a", "b"] {
            store.create_thing(thing, BTreeMap::new()).unwrap();
        }
        assert!(recorder.take().is_empty(), "things are not executions");

        store.create_job(job("j1", &["a", "b"], Some(1))).unwrap();
        assert_eq!(
            recorder.take(),
            [
                "notify a [] [j1]",
                "next a j1",
                "notify b [] [j1]",
                "next b j1"
            ]
        );
        store.create_job(job("j2", &["a"], None)).unwrap();
        assert_eq!(recorder.take(), ["notify a [] [j1,j2]"], "queued behind j1");

        store
            .start_next("a", StartNextPendingJobExecutionInput::default())
            .unwrap();
        assert_eq!(recorder.take(), ["notify a [j1] [j2]"], "j1 is still next");
        let details = UpdateJobExecutionInput::from_json(
            br#"{"status":"IN_PROGRESS","statusDetails":{"step":"2"}}"#,
        )
        .unwrap();
        store.update_execution("a", "j1", &details).unwrap();
        assert!(recorder.take().is_empty(), "details are no event");
        store
            .describe_execution("a", &jobscope::JobTarget::Next, None, true)
            .unwrap();
        assert!(recorder.take().is_empty(), "reads are no event");

        store
            .update_execution("a", "j1", &update("SUCCEEDED"))
            .unwrap();
        assert_eq!(recorder.take(), ["notify a [] [j2]", "next a j2"]);

        // b's j1 times out at its deadline, seen by the sweep.
        store
            .update_execution("b", "j1", &update("IN_PROGRESS"))
            .unwrap();
        assert_eq!(recorder.take(), ["notify b [j1] []"]);
        clock.advance_ms(60_000);
        store.expire_due().unwrap();
        assert_eq!(recorder.take(), ["notify b [] []", "next b -"]);
        store.expire_due().unwrap();
        assert!(recorder.take().is_empty(), "timed out once");

        store.cancel_job("j2", CancelJob::default()).unwrap();
        assert_eq!(recorder.take(), ["notify a [] []", "next a -"]);
    }
}
