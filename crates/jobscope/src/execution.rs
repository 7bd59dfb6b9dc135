//! `JobExecution`, one model for both planes.

use std::fmt;

use serde::ser::SerializeMap;

use crate::plane::Plane;

/// The status of a job execution: the model's 8 values, plus whatever else a server sends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JobExecutionStatus {
    /// Waiting to be picked up by the device.
    Queued,
    /// The device is working on it.
    InProgress,
    /// Finished successfully (terminal).
    Succeeded,
    /// Finished with a failure (terminal).
    Failed,
    /// The in-progress or step timer ran out (terminal).
    TimedOut,
    /// The device rejected the job (terminal).
    Rejected,
    /// The thing was removed from the job's targets (terminal).
    Removed,
    /// Canceled by an operator (terminal).
    Canceled,
    /// A value this version does not know; kept as sent.
    Unknown(String),
}

impl JobExecutionStatus {
    /// Every known value, in the model's order.
    pub const KNOWN: [JobExecutionStatus; 8] = [
        JobExecutionStatus::Queued,
        JobExecutionStatus::InProgress,
        JobExecutionStatus::Succeeded,
        JobExecutionStatus::Failed,
        JobExecutionStatus::TimedOut,
        JobExecutionStatus::Rejected,
        JobExecutionStatus::Removed,
        JobExecutionStatus::Canceled,
    ];

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            JobExecutionStatus::Queued => "QUEUED",
            JobExecutionStatus::InProgress => "IN_PROGRESS",
            JobExecutionStatus::Succeeded => "SUCCEEDED",
            JobExecutionStatus::Failed => "FAILED",
            JobExecutionStatus::TimedOut => "TIMED_OUT",
            JobExecutionStatus::Rejected => "REJECTED",
            JobExecutionStatus::Removed => "REMOVED",
            JobExecutionStatus::Canceled => "CANCELED",
            JobExecutionStatus::Unknown(other) => other,
        }
    }

    /// Strict parse: `None` for values outside the model.
    pub fn try_parse(value: &str) -> Option<Self> {
        Self::KNOWN.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the execution has ended: SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED or CANCELED.
    pub fn is_terminal(&self) -> bool {
        !matches!(
            self,
            JobExecutionStatus::Queued
                | JobExecutionStatus::InProgress
                | JobExecutionStatus::Unknown(_)
        )
    }
}

impl From<&str> for JobExecutionStatus {
    /// Lenient parse: unknown values become `Unknown`.
    fn from(value: &str) -> Self {
        Self::try_parse(value).unwrap_or_else(|| JobExecutionStatus::Unknown(value.to_owned()))
    }
}

impl fmt::Display for JobExecutionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for JobExecutionStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A point in time as epoch seconds, kept as sent: whole (`long` on the data plane) or fractional (the control
/// plane's `timestamp`, e.g. `1560787023.636`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EpochTime {
    /// Whole seconds, exact.
    Seconds(i64),
    /// Seconds with a fraction.
    Fractional(f64),
}

impl EpochTime {
    /// The value as a float (what JS `Date` wants, times 1000).
    pub fn as_f64(self) -> f64 {
        match self {
            EpochTime::Seconds(s) => s as f64,
            EpochTime::Fractional(f) => f,
        }
    }

    /// Whole seconds, rounded toward negative infinity.
    pub fn whole_seconds(self) -> i64 {
        match self {
            EpochTime::Seconds(s) => s,
            EpochTime::Fractional(f) => f.floor() as i64,
        }
    }
}

impl PartialOrd for EpochTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (EpochTime::Seconds(a), EpochTime::Seconds(b)) => a.partial_cmp(b),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

impl fmt::Display for EpochTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EpochTime::Seconds(s) => s.fmt(f),
            EpochTime::Fractional(x) => crate::text::Float(*x).fmt(f),
        }
    }
}

impl serde::Serialize for EpochTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EpochTime::Seconds(s) => serializer.serialize_i64(*s),
            EpochTime::Fractional(x) => serializer.serialize_f64(*x),
        }
    }
}

/// `statusDetails`: name/value pairs in the order the server sent them.
///
/// The control plane wraps them as `{"detailsMap": {...}}`; here they are always flat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusDetails(pub Vec<(String, String)>);

impl StatusDetails {
    /// The value for a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries in wire order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl serde::Serialize for StatusDetails {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A job execution as either plane returns it. Absent fields stay `None` (the Rust SDK turns some into 0).
///
/// Serializes with the wire names, `statusDetails` flat on both planes and only the fields that were present.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobExecution {
    /// The plane the execution was decoded for.
    #[serde(skip)]
    pub plane: Plane,
    /// `jobId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// `thingName` (data plane).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thing_name: Option<String>,
    /// `thingArn` (control plane).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thing_arn: Option<String>,
    /// `status`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<JobExecutionStatus>,
    /// `forceCanceled` (control plane).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_canceled: Option<bool>,
    /// `statusDetails`, flat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_details: Option<StatusDetails>,
    /// `queuedAt`, epoch seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queued_at: Option<EpochTime>,
    /// `startedAt`, epoch seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<EpochTime>,
    /// `lastUpdatedAt`, epoch seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated_at: Option<EpochTime>,
    /// `approximateSecondsBeforeTimedOut` (absent once terminal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximate_seconds_before_timed_out: Option<i64>,
    /// `versionNumber`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_number: Option<i64>,
    /// `executionNumber`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_number: Option<i64>,
    /// `jobDocument` (data plane), the raw text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_document: Option<String>,
}

impl JobExecution {
    /// The thing name: `thingName`, or the last part of `thingArn` (`arn:…:thing/<name>`).
    pub fn thing(&self) -> Option<&str> {
        self.thing_name.as_deref().or_else(|| {
            self.thing_arn
                .as_deref()
                .and_then(|arn| arn.rsplit_once(":thing/").map(|(_, name)| name))
        })
    }

    /// The job document parsed as JSON, when it is JSON.
    pub fn job_document_json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(self.job_document.as_deref()?).ok()
    }

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
