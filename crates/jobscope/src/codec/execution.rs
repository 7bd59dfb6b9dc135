//! `JobExecution` on the HTTP wire, per plane. Encoding is here ([`JobExecution::wire_form`],
//! [`encode_describe_body`]); decoding, with every check, is [`crate::decode_response`] (streaming, in `wire.rs`).
//! The two are held to each other by the round-trip tests below and by the encode fixtures.

use serde::ser::SerializeMap;

use crate::execution::{JobExecution, StatusDetails};
use crate::plane::Plane;

impl JobExecution {
    /// The execution in its plane's wire form: `statusDetails` wrapped as `{"detailsMap": …}` on the control plane,
    /// only the plane's own members, absent fields omitted. This is what the emulator sends.
    ///
    /// ```
    /// use jobscope::{JobExecution, Plane, StatusDetails};
    /// let execution = JobExecution {
    ///     plane: Plane::Control,
    ///     job_id: Some("j".into()),
    ///     thing_name: Some("dropped on the control plane".into()),
    ///     status_details: Some(StatusDetails(vec![("step".into(), "2".into())])),
    ///     ..Default::default()
    /// };
    /// assert_eq!(
    ///     serde_json::to_string(&execution.wire_form()).unwrap(),
    ///     r#"{"jobId":"j","statusDetails":{"detailsMap":{"step":"2"}}}"#
    /// );
    /// ```
    pub fn wire_form(&self) -> WireForm<'_> {
        WireForm(self)
    }
}

/// The body of a DescribeJobExecution (or StartNextPendingJobExecution) answer: `{"execution": …}` in the
/// execution's plane form, or `{}` when there is nothing (a `$next` with nothing pending).
///
/// ```
/// assert_eq!(jobscope::codec::encode_describe_body(None), "{}");
/// ```
pub fn encode_describe_body(execution: Option<&JobExecution>) -> String {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        execution: WireForm<'a>,
    }
    match execution {
        None => "{}".to_owned(),
        Some(execution) => serde_json::to_string(&Body {
            execution: execution.wire_form(),
        })
        .expect("an execution always serializes"),
    }
}

/// A [`JobExecution`] serialized as its plane's wire JSON (see [`JobExecution::wire_form`]).
#[derive(Debug, Clone, Copy)]
pub struct WireForm<'a>(&'a JobExecution);

impl serde::Serialize for WireForm<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Wrapped<'a>(&'a StatusDetails);
        impl serde::Serialize for Wrapped<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("detailsMap", self.0)?;
                map.end()
            }
        }
        fn entry<M: SerializeMap, T: serde::Serialize>(
            map: &mut M,
            key: &str,
            value: &Option<T>,
        ) -> Result<(), M::Error> {
            match value {
                Some(value) => map.serialize_entry(key, value),
                None => Ok(()),
            }
        }
        let e = self.0;
        let data = e.plane == Plane::Data;
        let mut map = serializer.serialize_map(None)?;
        entry(&mut map, "jobId", &e.job_id)?;
        if data {
            entry(&mut map, "thingName", &e.thing_name)?;
        } else {
            entry(&mut map, "thingArn", &e.thing_arn)?;
        }
        entry(&mut map, "status", &e.status)?;
        if !data {
            entry(&mut map, "forceCanceled", &e.force_canceled)?;
        }
        match (&e.status_details, data) {
            (Some(details), true) => map.serialize_entry("statusDetails", details)?,
            (Some(details), false) => map.serialize_entry("statusDetails", &Wrapped(details))?,
            (None, _) => {}
        }
        entry(&mut map, "queuedAt", &e.queued_at)?;
        entry(&mut map, "startedAt", &e.started_at)?;
        entry(&mut map, "lastUpdatedAt", &e.last_updated_at)?;
        entry(
            &mut map,
            "approximateSecondsBeforeTimedOut",
            &e.approximate_seconds_before_timed_out,
        )?;
        entry(&mut map, "versionNumber", &e.version_number)?;
        entry(&mut map, "executionNumber", &e.execution_number)?;
        if data {
            entry(&mut map, "jobDocument", &e.job_document)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DescribeOutcome, EpochTime, JobExecutionStatus, decode_response};

    fn sample(plane: Plane) -> JobExecution {
        let data = plane == Plane::Data;
        JobExecution {
            plane,
            job_id: Some("job-1".into()),
            thing_name: data.then(|| "sensor-1".into()),
            thing_arn: (!data).then(|| "arn:aws:iot:us-east-1:123456789012:thing/sensor-1".into()),
            status: Some(JobExecutionStatus::InProgress),
            force_canceled: (!data).then_some(false),
            status_details: Some(StatusDetails(vec![
                ("b".into(), "2".into()),
                ("a".into(), "1".into()),
            ])),
            queued_at: Some(EpochTime::from_millis(plane, 1_700_000_000_250)),
            started_at: Some(EpochTime::from_millis(plane, 1_700_000_001_000)),
            last_updated_at: Some(EpochTime::from_millis(plane, 1_700_000_002_500)),
            approximate_seconds_before_timed_out: Some(60),
            version_number: Some(3),
            execution_number: Some(42),
            job_document: data.then(|| r#"{"op":"reboot"}"#.into()),
        }
    }

    #[test]
    fn encode_then_decode_is_the_same_execution_on_both_planes() {
        for plane in [Plane::Data, Plane::Control] {
            let execution = sample(plane);
            let body = encode_describe_body(Some(&execution));
            match decode_response::<&str>(plane, None, 200, &[], body.as_bytes()) {
                Ok(DescribeOutcome::Execution {
                    execution: back,
                    warnings,
                }) => {
                    assert_eq!(back, execution, "{body}");
                    assert!(warnings.is_empty(), "{body}: {warnings:?}");
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn nothing_pending_round_trips() {
        let body = encode_describe_body(None);
        assert!(matches!(
            decode_response::<&str>(Plane::Data, None, 200, &[], body.as_bytes()),
            Ok(DescribeOutcome::NothingPending { .. })
        ));
    }
}
