//! `--demo`: a realistic fleet covering every status, a forced cancel, a timed-out execution, a large job document,
//! many status details, and several executions of one job on one thing.

use std::collections::BTreeMap;

use jobscope::JobExecutionStatus as Status;
use jobscope::codec::{JobStatus, RetryableFailureType};

use crate::model::{Execution, Job, RetryCriteria, Thing};
use crate::store::{Store, StoreError, pseudo_uuid};

/// The thing the demo is centred on.
pub const DEMO_THING: &str = "sensor-gateway-eu-west-0042";

const FIRMWARE_DOC: &str = r#"{"operation":"firmware-update","version":"2.4.1","url":"https://example-firmware-bucket.s3.us-east-1.amazonaws.com/releases/gateway/device-fw-2.4.1.bin","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","rebootAfter":true,"steps":["download","verify","install","reboot"],"timeoutSeconds":3600,"releaseNotes":"Fixes watchdog reset under heavy MQTT load; improves OTA resume after power loss; updates root CA bundle."}"#;

fn large_document() -> String {
    let sensors: Vec<String> = (0..180)
        .map(|i| {
            format!(
                r#"{{"id":"probe-{i:03}","kind":"{}","interval":{},"thresholds":{{"low":{},"high":{}}},"tags":["zone-{}","rack-{}"]}}"#,
                ["temperature", "humidity", "vibration", "pressure"][i % 4],
                5 + i % 55,
                i % 7,
                40 + i % 13,
                i % 9,
                i % 21
            )
        })
        .collect();
    format!(
        r#"{{"operation":"diagnostics","collect":["logs","metrics","core-dumps"],"sensors":[{}]}}"#,
        sensors.join(",")
    )
}

/// Seeds the demo fleet unless it is already there (a durable store keeps it across restarts).
pub fn seed(store: &Store) -> Result<bool, StoreError> {
    if store.has_thing(DEMO_THING) {
        return Ok(false);
    }
    let now = store.clock.now_ms();
    let min = 60_000;
    let hour = 60 * min;
    let day = 24 * hour;
    let arn = |name: &str| store.account.thing_arn(name);

    let thing_names = [
        DEMO_THING,
        "thermostat-kitchen-01",
        "pump-station-7",
        "camera:lobby:2",
        "rpi-lab-3",
        "meter-basement-9",
    ];
    let things: Vec<Thing> = thing_names
        .iter()
        .map(|name| Thing {
            name: (*name).to_owned(),
            thing_id: pseudo_uuid(name),
            attributes: BTreeMap::from([("site".to_owned(), "eu-west-plant-2".to_owned())]),
            version: 1,
        })
        .collect();

    let job =
        |id: &str, doc: Option<String>, description: &str, targets: &[&str], created: i64| Job {
            description: Some(description.to_owned()),
            document: doc,
            targets: targets.iter().map(|t| arn(t)).collect(),
            ..Job::in_progress(id, created)
        };
    let mut firmware = job(
        "firmware-update-2024-06-15-batch-017",
        Some(FIRMWARE_DOC.to_owned()),
        "Gateway firmware 2.4.1, batch 17",
        &[
            DEMO_THING,
            "thermostat-kitchen-01",
            "pump-station-7",
            "camera:lobby:2",
        ],
        now - 2 * day,
    );
    firmware.in_progress_timeout_minutes = Some(120);
    firmware.retry = vec![RetryCriteria {
        failure_type: RetryableFailureType::Failed,
        number_of_retries: 2,
    }];
    let config = job(
        "config-rollout-42",
        Some(r#"{"operation":"apply-config","revision":42,"settings":{"sampleRateHz":10,"mqttKeepAlive":60}}"#.into()),
        "Configuration revision 42",
        &[DEMO_THING, "rpi-lab-3", "meter-basement-9"],
        now - day,
    );
    let mut reboot = job(
        "reboot-nightly",
        Some(r#"{"operation":"reboot","delaySeconds":30}"#.into()),
        "Nightly reboot",
        &["rpi-lab-3"],
        now - 3 * hour,
    );
    reboot.status = JobStatus::Canceled;
    reboot.force_canceled = true;
    reboot.reason_code = Some("OPERATOR_ABORT".into());
    reboot.comment = Some("Reboot aborted: lab demo in progress".into());
    let mut telemetry = job(
        "telemetry-upgrade-v3",
        Some(r#"{"operation":"telemetry","schema":3}"#.into()),
        "Telemetry agent v3 with a 1 minute step timeout",
        &["pump-station-7", "meter-basement-9"],
        now - 5 * hour,
    );
    telemetry.in_progress_timeout_minutes = Some(30);
    let diagnostics = job(
        "diagnostics-large-document",
        Some(large_document()),
        "Full diagnostics sweep (large job document)",
        &["camera:lobby:2", DEMO_THING],
        now - 30 * min,
    );

    let execution = |thing: &str, job: &Job, number: i64, status: Status, queued: i64| Execution {
        status,
        ..Execution::queued(thing, &job.job_id, number, queued, 0)
    };
    let details = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let mut executions = Vec::new();

    // The gateway: IN_PROGRESS on the firmware job with a live timeout countdown.
    let mut e = execution(
        DEMO_THING,
        &firmware,
        1,
        Status::InProgress,
        firmware.created_at_ms,
    );
    e.started_at_ms = Some(now - 25 * min);
    e.last_updated_at_ms = now - 2 * min;
    e.version = 7;
    e.status_details = details(&[
        ("progress", "42"),
        ("step", "downloading"),
        ("bytesDownloaded", "1048576"),
        ("totalBytes", "2497152"),
        ("lastError", "none"),
    ]);
    e.in_progress_deadline_ms = Some(now - 25 * min + 120 * min);
    e.step_deadline_ms = Some(now + 35 * min);
    executions.push(e);
    // The gateway also has a QUEUED config job and a QUEUED diagnostics job ($next order matters).
    executions.push(execution(
        DEMO_THING,
        &config,
        1,
        Status::Queued,
        config.created_at_ms,
    ));
    executions.push(execution(
        DEMO_THING,
        &diagnostics,
        1,
        Status::Queued,
        diagnostics.created_at_ms,
    ));

    // Thermostat: SUCCEEDED.
    let mut e = execution(
        "thermostat-kitchen-01",
        &firmware,
        1,
        Status::Succeeded,
        firmware.created_at_ms,
    );
    e.started_at_ms = Some(firmware.created_at_ms + 5 * min);
    e.last_updated_at_ms = firmware.created_at_ms + 41 * min;
    e.version = 4;
    e.status_details = details(&[("progress", "100"), ("installedVersion", "2.4.1")]);
    executions.push(e);

    // Pump: FAILED twice (retries), the third execution QUEUED: several executions of one job on one thing.
    for (number, status) in [(1, Status::Failed), (2, Status::Failed)] {
        let queued = firmware.created_at_ms + (number - 1) * 3 * hour;
        let mut e = execution("pump-station-7", &firmware, number, status, queued);
        e.started_at_ms = Some(queued + 10 * min);
        e.last_updated_at_ms = queued + 50 * min;
        e.version = 3;
        e.retry_attempt = number - 1;
        e.status_details = details(&[
            ("lastError", "checksum mismatch after download"),
            ("step", "verify"),
        ]);
        executions.push(e);
    }
    let mut e = execution(
        "pump-station-7",
        &firmware,
        3,
        Status::Queued,
        firmware.created_at_ms + 6 * hour,
    );
    e.retry_attempt = 2;
    executions.push(e);
    // Pump: TIMED_OUT on telemetry (the step timer ran out).
    let mut e = execution(
        "pump-station-7",
        &telemetry,
        1,
        Status::TimedOut,
        telemetry.created_at_ms,
    );
    e.started_at_ms = Some(telemetry.created_at_ms + 2 * min);
    e.last_updated_at_ms = telemetry.created_at_ms + 3 * min;
    e.version = 3;
    e.status_details = details(&[("step", "installing agent")]);
    executions.push(e);

    // Camera (a thing name with colons): QUEUED firmware, QUEUED diagnostics with the large document.
    executions.push(execution(
        "camera:lobby:2",
        &firmware,
        1,
        Status::Queued,
        firmware.created_at_ms,
    ));
    executions.push(execution(
        "camera:lobby:2",
        &diagnostics,
        1,
        Status::Queued,
        diagnostics.created_at_ms,
    ));

    // Raspberry Pi: REJECTED config, force-CANCELED reboot.
    let mut e = execution(
        "rpi-lab-3",
        &config,
        1,
        Status::Rejected,
        config.created_at_ms,
    );
    e.last_updated_at_ms = config.created_at_ms + 4 * min;
    e.version = 2;
    e.status_details = details(&[("reason", "revision 42 requires agent 3.x")]);
    executions.push(e);
    let mut e = execution(
        "rpi-lab-3",
        &reboot,
        1,
        Status::Canceled,
        reboot.created_at_ms,
    );
    e.started_at_ms = Some(reboot.created_at_ms + min);
    e.last_updated_at_ms = reboot.created_at_ms + 20 * min;
    e.version = 3;
    e.force_canceled = true;
    executions.push(e);

    // Meter: REMOVED from config; IN_PROGRESS telemetry with many status details.
    let mut e = execution(
        "meter-basement-9",
        &config,
        1,
        Status::Removed,
        config.created_at_ms,
    );
    e.last_updated_at_ms = config.created_at_ms + hour;
    e.version = 2;
    executions.push(e);
    let mut e = execution(
        "meter-basement-9",
        &telemetry,
        1,
        Status::InProgress,
        telemetry.created_at_ms,
    );
    e.started_at_ms = Some(now - 10 * min);
    e.last_updated_at_ms = now - min;
    e.version = 12;
    e.status_details = (0..40)
        .map(|i| {
            (
                format!("channel-{i:02}"),
                format!(
                    "ok; {} samples; drift {}.{} ppm",
                    1000 + i * 37,
                    i % 5,
                    i % 10
                ),
            )
        })
        .collect();
    e.in_progress_deadline_ms = Some(now - 10 * min + 30 * min);
    executions.push(e);

    store.seed(
        things,
        vec![firmware, config, reboot, telemetry, diagnostics],
        executions,
    )?;
    Ok(true)
}
