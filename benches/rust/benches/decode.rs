//! jobscope vs the serde floor vs the official aws-sdk-iotjobsdataplane, on the same bytes, in one run.
//! `scripts/bench` runs it; results go to BENCHMARKS.md.

use std::collections::HashMap;
use std::hint::black_box;

use aws_sdk_iotjobsdataplane::config::{Credentials, Region};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use criterion::{Criterion, criterion_group, criterion_main};
use jobscope::sigv4::Credentials as JobscopeCredentials;
use jobscope::{DescribeJobExecutionInput, Endpoint, Plane, decode_response};

const OK: &str = include_str!("../../../fixtures/payloads/ok.json");
const ERR404: &str = include_str!("../../../fixtures/payloads/err404.json");
const THING: &str = "sensor-gateway-eu-west-0042";
const JOB: &str = "firmware-update-2024-06-15-batch-017";
const ENDPOINT: &str = "https://a1b2c3.jobs.iot.us-east-1.amazonaws.com";

/// The floor: serde_json into a plain derived struct of the same shape, no checks.
#[allow(dead_code)]
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct FloorExecution {
    job_id: Option<String>,
    thing_name: Option<String>,
    status: Option<String>,
    status_details: Option<HashMap<String, String>>,
    queued_at: Option<i64>,
    started_at: Option<i64>,
    last_updated_at: Option<i64>,
    approximate_seconds_before_timed_out: Option<i64>,
    version_number: Option<i64>,
    execution_number: Option<i64>,
    job_document: Option<String>,
}

#[allow(dead_code)]
#[derive(serde::Deserialize)]
struct Floor {
    execution: Option<FloorExecution>,
}

#[allow(dead_code)]
#[derive(serde::Deserialize)]
struct FloorError {
    message: Option<String>,
}

struct Payload {
    name: &'static str,
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
}

fn payloads() -> Vec<Payload> {
    let ok: serde_json::Value = serde_json::from_str(OK).unwrap();
    let mut big_document = ok.clone();
    let document = format!("{{\"blob\":\"{}\"}}", "x".repeat(32_768 - 12));
    big_document["execution"]["jobDocument"] = serde_json::Value::String(document);
    let mut many_details = ok.clone();
    many_details["execution"]["statusDetails"] = (0..100)
        .map(|i| {
            (
                format!("key-{i:03}"),
                serde_json::Value::String(format!("value {i}")),
            )
        })
        .collect();
    let json = "application/json";
    vec![
        Payload {
            name: "ok.json (0.9 KB)",
            status: 200,
            headers: vec![("content-type", json)],
            body: OK.as_bytes().to_vec(),
        },
        Payload {
            name: "err404.json",
            status: 404,
            headers: vec![
                ("content-type", json),
                ("x-amzn-errortype", "ResourceNotFoundException"),
            ],
            body: ERR404.as_bytes().to_vec(),
        },
        Payload {
            name: "32 KB jobDocument",
            status: 200,
            headers: vec![("content-type", json)],
            body: serde_json::to_vec(&big_document).unwrap(),
        },
        Payload {
            name: "100 statusDetails",
            status: 200,
            headers: vec![("content-type", json)],
            body: serde_json::to_vec(&many_details).unwrap(),
        },
    ]
}

/// An in-memory HTTP client answering every request with one canned response.
#[derive(Debug, Clone)]
struct Canned {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: bytes_body::Body,
}

mod bytes_body {
    /// Shared bytes so each call clones a pointer, not the payload.
    pub type Body = std::sync::Arc<Vec<u8>>;
}

impl HttpConnector for Canned {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let mut response = Response::new(
            StatusCode::try_from(self.status).unwrap(),
            SdkBody::from(self.body.as_slice().to_vec()),
        );
        for (name, value) in &self.headers {
            response.headers_mut().insert(*name, *value);
        }
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for Canned {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

fn sdk_client(payload: &Payload) -> aws_sdk_iotjobsdataplane::Client {
    let config = aws_sdk_iotjobsdataplane::Config::builder()
        .behavior_version_latest()
        .region(Region::new("us-east-1"))
        .endpoint_url(ENDPOINT)
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        ))
        .http_client(Canned {
            status: payload.status,
            headers: payload.headers.clone(),
            body: std::sync::Arc::new(payload.body.clone()),
        })
        .build();
    aws_sdk_iotjobsdataplane::Client::from_conf(config)
}

fn benches(c: &mut Criterion) {
    let request = DescribeJobExecutionInput {
        thing_name: Some(THING.into()),
        job_id: Some(JOB.into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let endpoint = Endpoint::parse(ENDPOINT).unwrap();
    let credentials = JobscopeCredentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    for payload in payloads() {
        let mut group = c.benchmark_group(format!("decode {}", payload.name));
        group.bench_function("jobscope decode+check", |b| {
            b.iter(|| {
                decode_response(
                    Plane::Data,
                    Some(&request),
                    payload.status,
                    &payload.headers,
                    black_box(&payload.body),
                )
            })
        });
        group.bench_function("serde_json floor", |b| {
            b.iter(|| {
                if payload.status == 200 {
                    black_box(serde_json::from_slice::<Floor>(black_box(&payload.body)).is_ok())
                } else {
                    black_box(
                        serde_json::from_slice::<FloorError>(black_box(&payload.body)).is_ok(),
                    )
                }
            })
        });
        group.finish();

        let mut group = c.benchmark_group(format!("whole call {}", payload.name));
        let client = sdk_client(&payload);
        group.bench_function("aws-sdk-iotjobsdataplane send()", |b| {
            b.iter(|| {
                runtime.block_on(async {
                    black_box(
                        client
                            .describe_job_execution()
                            .thing_name(THING)
                            .job_id(JOB)
                            .send()
                            .await
                            .is_ok(),
                    )
                })
            })
        });
        group.bench_function("jobscope validate+build+sign+decode", |b| {
            b.iter(|| {
                let request = DescribeJobExecutionInput {
                    thing_name: Some(THING.into()),
                    job_id: Some(JOB.into()),
                    ..Default::default()
                }
                .validate()
                .unwrap();
                let http = request.to_http(Some(&endpoint));
                let signed = request
                    .sign(&endpoint, &credentials, "us-east-1", 1_700_000_000)
                    .unwrap();
                black_box((&http.url, &signed));
                decode_response(
                    Plane::Data,
                    Some(&request),
                    payload.status,
                    &payload.headers,
                    black_box(&payload.body),
                )
            })
        });
        group.finish();
    }

    c.bench_function("validate+build a request", |b| {
        b.iter(|| {
            let request = DescribeJobExecutionInput {
                thing_name: Some(black_box(THING).into()),
                job_id: Some(black_box("$next").into()),
                execution_number: Some("42".into()),
                ..Default::default()
            }
            .validate()
            .unwrap();
            black_box(request.to_http(Some(&endpoint)))
        })
    });
}

criterion_group!(decode, benches);
criterion_main!(decode);
