//! `JobExecution`, one model for both planes.

use std::fmt;

use serde::ser::SerializeMap;

use crate::plane::Plane;
use crate::time::EpochTime;

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

impl<'de> serde::Deserialize<'de> for JobExecutionStatus {
    /// Lenient, as `From<&str>`: a status the model does not list is kept as `Unknown`.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(JobExecutionStatus::from(&*text))
    }
}

impl crate::codec::json::FromJson for JobExecutionStatus {
    /// Lenient, as `From<&str>`.
    fn read(
        json: &mut crate::codec::json::Reader<'_>,
    ) -> Result<Self, crate::codec::json::JsonError> {
        Ok(JobExecutionStatus::from(&*json.string("a string")?))
    }
}

impl serde::Serialize for JobExecutionStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
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

impl crate::codec::json::FromJson for StatusDetails {
    /// A JSON object of strings, in the order sent.
    fn read(
        json: &mut crate::codec::json::Reader<'_>,
    ) -> Result<Self, crate::codec::json::JsonError> {
        let mut entries = Vec::new();
        json.members("an object of string values", |json, key| {
            entries.push((key.to_owned(), json.string("a string")?.into_owned()));
            Ok(true)
        })?;
        Ok(StatusDetails(entries))
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
}
