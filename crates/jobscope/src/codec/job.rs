//! Job-level values of the control plane (`iot`), both directions: a job's status ([`JobStatus`], DescribeJob's
//! `job.status`) and the failure types a retry policy names ([`RetryableFailureType`], CreateJob's
//! `jobExecutionsRetryConfig.criteriaList[].failureType`). Each serializes as its wire string and reads back
//! leniently (a value AWS adds later is kept as `Unknown`); [`JobStatus::try_parse`] and
//! [`RetryableFailureType::try_parse`] are the strict reads for requests.

use std::fmt;

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version does not know; kept as sent.
            Unknown(String),
        }

        impl $name {
            /// Every known value, in the model's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant,)*];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Unknown(other) => other,
                }
            }

            /// Strict parse: `None` for values outside the model.
            pub fn try_parse(value: &str) -> Option<Self> {
                match value {
                    $($wire => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl From<&str> for $name {
            /// Lenient parse: unknown values become `Unknown`.
            fn from(value: &str) -> Self {
                Self::try_parse(value).unwrap_or_else(|| $name::Unknown(value.to_owned()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            /// Lenient, as `From<&str>`.
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok($name::from(&*text))
            }
        }
    };
}

wire_enum! {
    /// The status of a job (control-plane model `JobStatus`).
    ///
    /// ```
    /// use jobscope::codec::JobStatus;
    /// assert_eq!(serde_json::to_string(&JobStatus::InProgress).unwrap(), r#""IN_PROGRESS""#);
    /// assert_eq!(serde_json::from_str::<JobStatus>(r#""COMPLETED""#).unwrap(), JobStatus::Completed);
    /// assert_eq!(JobStatus::from("PAUSED"), JobStatus::Unknown("PAUSED".into()));
    /// assert_eq!(JobStatus::try_parse("PAUSED"), None);
    /// ```
    JobStatus {
        /// Its executions are being rolled out or worked on.
        InProgress => "IN_PROGRESS",
        /// Canceled by an operator.
        Canceled => "CANCELED",
        /// Every execution has ended.
        Completed => "COMPLETED",
        /// Being deleted.
        DeletionInProgress => "DELETION_IN_PROGRESS",
        /// Waiting for its scheduled start.
        Scheduled => "SCHEDULED",
    }
}

wire_enum! {
    /// Which ended executions a retry criterion applies to (control-plane model `RetryableFailureType`).
    ///
    /// ```
    /// use jobscope::codec::RetryableFailureType;
    /// use jobscope::JobExecutionStatus;
    /// assert!(RetryableFailureType::All.covers(&JobExecutionStatus::TimedOut));
    /// assert!(RetryableFailureType::Failed.covers(&JobExecutionStatus::Failed));
    /// assert!(!RetryableFailureType::Failed.covers(&JobExecutionStatus::TimedOut));
    /// assert_eq!(RetryableFailureType::try_parse("REJECTED"), None);
    /// ```
    RetryableFailureType {
        /// Executions that ended FAILED.
        Failed => "FAILED",
        /// Executions that ended TIMED_OUT.
        TimedOut => "TIMED_OUT",
        /// Both.
        All => "ALL",
    }
}

impl RetryableFailureType {
    /// Whether an execution that ended in `status` is retried under this criterion: FAILED and TIMED_OUT as named,
    /// `ALL` for either; no other status is ever retried.
    pub fn covers(&self, status: &crate::JobExecutionStatus) -> bool {
        use crate::JobExecutionStatus as S;
        matches!(
            (self, status),
            (
                RetryableFailureType::Failed | RetryableFailureType::All,
                S::Failed
            ) | (
                RetryableFailureType::TimedOut | RetryableFailureType::All,
                S::TimedOut
            )
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_value_round_trips_through_its_wire_string() {
        for status in JobStatus::KNOWN {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(&serde_json::from_str::<JobStatus>(&json).unwrap(), status);
            assert_eq!(JobStatus::try_parse(status.as_str()).as_ref(), Some(status));
        }
        for kind in RetryableFailureType::KNOWN {
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(
                &serde_json::from_str::<RetryableFailureType>(&json).unwrap(),
                kind
            );
        }
        assert_eq!(
            serde_json::to_string(&JobStatus::Unknown("PAUSED".into())).unwrap(),
            r#""PAUSED""#
        );
    }
}
