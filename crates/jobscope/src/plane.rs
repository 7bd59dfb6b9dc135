//! The two planes that serve `DescribeJobExecution`.

use std::fmt;
use std::str::FromStr;

/// Which AWS API a request goes to or a response came from.
///
/// Both planes serve `GET /things/{thingName}/jobs/{jobId}`, but they differ in what the request may carry and in
/// the shape of the returned `JobExecution` (REFERENCE §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Plane {
    /// The device-side Jobs data plane, `iot-jobs-data` (account endpoint `<prefix>.jobs.iot.<region>.amazonaws.com`).
    #[default]
    Data,
    /// The operator-side control plane, `iot` (`iot.<region>.amazonaws.com`).
    Control,
}

impl Plane {
    /// The short name used in the JS API and in URLs: `data` or `control`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Plane::Data => "data",
            Plane::Control => "control",
        }
    }

    /// The SigV4 signing name and AWS CLI service name: `iot-jobs-data` or `iot`.
    pub const fn service_name(self) -> &'static str {
        match self {
            Plane::Data => "iot-jobs-data",
            Plane::Control => "iot",
        }
    }
}

impl fmt::Display for Plane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a plane name is neither `data` nor `control`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPlane(pub String);

impl fmt::Display for UnknownPlane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "plane: must be \"data\" or \"control\", got {}",
            crate::text::Quoted(&self.0)
        )
    }
}

impl std::error::Error for UnknownPlane {}

impl FromStr for Plane {
    type Err = UnknownPlane;

    /// Accepts `data`/`control` and the service names `iot-jobs-data`/`iot`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "data" | "iot-jobs-data" => Ok(Plane::Data),
            "control" | "iot" => Ok(Plane::Control),
            other => Err(UnknownPlane(other.to_owned())),
        }
    }
}

impl serde::Serialize for Plane {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Plane {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
