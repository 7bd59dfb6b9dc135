"""A device's Jobs loop against jobscope-emulator, with the official AWS IoT Device SDK v2 for Python (awsiotsdk),
changing nothing but host and port: describe what is next, report progress, and watch notify-next.

    scripts/dev                                   # the emulator with its demo fleet, MQTT on 127.0.0.1:1883
    .venv/iotsdk/bin/python examples/device_jobs.py [host] [port] [thing]

Against AWS IoT, the same calls run over the SDK's TLS builders (mqtt5_client_builder.mtls_from_path) with the
account's iot:Data-ATS endpoint. scripts/test-emulator-mqtt runs this file against a --demo emulator.
"""

import json
import sys
from concurrent.futures import Future

from awscrt import mqtt5, mqtt_request_response
from awsiot import ServiceStreamOptions, V2ServiceException, iotjobs

HOST = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 1883
THING = sys.argv[3] if len(sys.argv) > 3 else "sensor-gateway-eu-west-0042"  # the demo fleet's thing
TIMEOUT = 10

connected = Future()
client = mqtt5.Client(
    mqtt5.ClientOptions(
        host_name=HOST,
        port=PORT,
        tls_ctx=None,  # plain TCP for the emulator; the SDK's builders add TLS for AWS IoT
        connect_options=mqtt5.ConnectPacket(client_id=f"{THING}-example", keep_alive_interval_sec=30),
        on_lifecycle_event_connection_success_fn=lambda event: connected.set_result(event),
    )
)
client.start()
connected.result(TIMEOUT)
jobs = iotjobs.IotJobsClientV2(
    client,
    mqtt_request_response.ClientOptions(
        max_request_response_subscriptions=2, max_streaming_subscriptions=2, operation_timeout_in_seconds=TIMEOUT
    ),
)

notified = Future()
stream = jobs.create_next_job_execution_changed_stream(
    iotjobs.NextJobExecutionChangedSubscriptionRequest(thing_name=THING),
    ServiceStreamOptions(incoming_event_listener=lambda event: notified.done() or notified.set_result(event)),
)
stream.open()

try:
    described = jobs.describe_job_execution(
        iotjobs.DescribeJobExecutionRequest(thing_name=THING, job_id="$next", include_job_document=True)
    ).result(TIMEOUT)
except V2ServiceException as error:
    sys.exit(f"describe $next was rejected: {error.modeled_error.code}: {error.modeled_error.message}")

execution = described.execution
if execution is None:
    print(f"{THING}: nothing pending")
else:
    print(f"{THING}: next is {execution.job_id} #{execution.execution_number}, {execution.status}, "
          f"version {execution.version_number}")
    print("  document:", json.dumps(execution.job_document)[:120])
    updated = jobs.update_job_execution(
        iotjobs.UpdateJobExecutionRequest(
            thing_name=THING,
            job_id=execution.job_id,
            status="IN_PROGRESS",
            status_details={"step": "download", "progress": "50"},
            expected_version=execution.version_number,
            include_job_execution_state=True,
        )
    ).result(TIMEOUT)
    print(f"  reported progress: now version {updated.execution_state.version_number}, "
          f"statusDetails {updated.execution_state.status_details}")

client.stop()
