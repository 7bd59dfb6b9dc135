"""Black-box tests: the OFFICIAL AWS IoT Device SDK v2 for Python (awsiotsdk) against a running jobscope-emulator
over MQTT on plain TCP, changing nothing but host and port -- its IotJobsClientV2 on MQTT 5 and its classic
IotJobsClient on MQTT 3.1.1 -- and, as the AWS device samples connect, with the SDK's own mutual-TLS builders
trusting the CA the emulator generated. The control plane (things, jobs, cancels) is driven over HTTP with boto3,
AWS's own Python SDK, so every check also proves one state behind both protocols.

Run by scripts/test-emulator-mqtt, which starts the emulator and sets:
  JOBSCOPE_EMULATOR_HTTP       http://127.0.0.1:PORT  (the emulator's HTTP listener)
  JOBSCOPE_EMULATOR_MQTT_PORT  its --mqtt-listen port on 127.0.0.1
  JOBSCOPE_EMULATOR_MQTTS_PORT its --mqtt-tls-listen port (the SDK's own TLS builders, as the AWS samples use them)
  JOBSCOPE_EMULATOR_REGION, JOBSCOPE_EMULATOR_ACCOUNT (as given to the emulator)

Every wait is on a future or a queue with a timeout that only guards against a hang; nothing sleeps to synchronize.
"""

import datetime
import json
import os
import queue
import shutil
import tempfile
import time
import unittest
import uuid
from concurrent.futures import Future

import urllib.request

import boto3
import botocore.config
from awscrt import mqtt, mqtt5, mqtt_request_response
from awsiot import ServiceStreamOptions, V2ServiceException, iotjobs, mqtt5_client_builder, mqtt_connection_builder

HTTP = os.environ["JOBSCOPE_EMULATOR_HTTP"]
MQTT_HOST = "127.0.0.1"
MQTT_PORT = int(os.environ["JOBSCOPE_EMULATOR_MQTT_PORT"])
MQTTS_PORT = int(os.environ["JOBSCOPE_EMULATOR_MQTTS_PORT"])
REGION = os.environ.get("JOBSCOPE_EMULATOR_REGION", "eu-west-1")
ACCOUNT = os.environ.get("JOBSCOPE_EMULATOR_ACCOUNT", "123456789012")
TIMEOUT = 10  # seconds; a hang guard on every wait, never a delay
QOS1 = mqtt.QoS.AT_LEAST_ONCE


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def assert_recent(test, when, what):
    """`when` is a datetime the SDK made from epoch seconds (a millisecond value would not even parse)."""
    test.assertIsInstance(when, datetime.datetime, f"{what}: expected a time, got {when!r}")
    drift = abs((datetime.datetime.now() - when).total_seconds())
    test.assertLess(drift, 120, f"{what}: {when} is {drift:.0f} s away from now; epoch seconds expected")


class ControlPlane:
    """Things and jobs over HTTP with boto3 (the `iot` and `iot-jobs-data` clients), pointed at the emulator."""

    def __init__(self):
        config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
        common = dict(
            endpoint_url=HTTP,
            region_name=REGION,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            config=config,
        )
        self.iot = boto3.client("iot", **common)
        self.data = boto3.client("iot-jobs-data", **common)

    def thing(self, prefix):
        name = unique(prefix)
        self.iot.create_thing(thingName=name)
        return name

    def arn(self, thing):
        return f"arn:aws:iot:{REGION}:{ACCOUNT}:thing/{thing}"

    def job(self, things, document, prefix="job"):
        job_id = unique(prefix)
        self.iot.create_job(jobId=job_id, targets=[self.arn(t) for t in things], document=json.dumps(document))
        return job_id

    def execution(self, thing, job_id):
        """The control plane's view (statusDetails as detailsMap, thingArn)."""
        return self.iot.describe_job_execution(thingName=thing, jobId=job_id)["execution"]

    def device_view(self, thing, job_id):
        """The HTTP data plane's view of the same execution."""
        return self.data.describe_job_execution(thingName=thing, jobId=job_id)["execution"]


CONTROL = None


def setUpModule():
    global CONTROL
    CONTROL = ControlPlane()


def drain_until(events, predicate, what):
    """Takes events from `events` until one satisfies `predicate`; fails with everything seen if none comes."""
    seen = []
    deadline = time.monotonic() + TIMEOUT
    while True:
        remaining = deadline - time.monotonic()
        try:
            event = events.get(timeout=max(remaining, 0.001))
        except queue.Empty:
            raise AssertionError(f"no {what} within {TIMEOUT} s; events seen instead: {seen!r}") from None
        if predicate(event):
            return event
        seen.append(event)


# ----------------------------------------------------------------------------------------------------------------
# IotJobsClientV2 on an MQTT 5 client (awscrt.mqtt5.Client), the SDK's current request-response API.
# ----------------------------------------------------------------------------------------------------------------


class JobsClientV2OverMqtt5(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        connected = Future()
        cls.stopped = Future()

        def failed(data):
            if not connected.done():
                connected.set_exception(data.exception)

        cls.client = mqtt5.Client(
            mqtt5.ClientOptions(
                host_name=MQTT_HOST,
                port=MQTT_PORT,
                tls_ctx=None,  # plain TCP: the SDK's builders always add TLS, so the raw options are used
                connect_options=mqtt5.ConnectPacket(client_id=unique("py-v2"), keep_alive_interval_sec=30),
                on_lifecycle_event_connection_success_fn=lambda data: connected.set_result(data.connack_packet),
                on_lifecycle_event_connection_failure_fn=failed,
                on_lifecycle_event_stopped_fn=lambda data: cls.stopped.set_result(True),
            )
        )
        cls.client.start()
        connack = connected.result(TIMEOUT)
        assert connack.reason_code == mqtt5.ConnectReasonCode.SUCCESS, f"CONNACK {connack.reason_code!r}"
        cls.jobs = iotjobs.IotJobsClientV2(
            cls.client,
            mqtt_request_response.ClientOptions(
                max_request_response_subscriptions=2,
                max_streaming_subscriptions=2,
                operation_timeout_in_seconds=TIMEOUT,
            ),
        )

    @classmethod
    def tearDownClass(cls):
        cls.jobs = None
        cls.client.stop()
        cls.stopped.result(TIMEOUT)

    def ok(self, future, what):
        try:
            return future.result(TIMEOUT)
        except V2ServiceException as e:
            error = e.modeled_error
            detail = f"{error.code}: {error.message}" if error else repr(e.inner_error)
            raise AssertionError(f"{what}: expected /accepted, got {detail}") from None

    def rejected(self, future, what):
        """The rejection's modeled error (`V2ErrorResponse`: code, message, client_token, timestamp, executionState)."""
        try:
            reply = future.result(TIMEOUT)
        except V2ServiceException as e:
            self.assertIsNotNone(
                e.modeled_error, f"{what}: expected a /rejected reply, got no reply or an unreadable one: {e.inner_error!r}"
            )
            return e.modeled_error
        raise AssertionError(f"{what}: expected /rejected, got /accepted {reply!r}")

    def describe(self, thing, job_id, **fields):
        return self.jobs.describe_job_execution(
            iotjobs.DescribeJobExecutionRequest(thing_name=thing, job_id=job_id, **fields)
        )

    def update(self, thing, job_id, **fields):
        return self.jobs.update_job_execution(iotjobs.UpdateJobExecutionRequest(thing_name=thing, job_id=job_id, **fields))

    def start_next(self, thing, **fields):
        return self.jobs.start_next_pending_job_execution(
            iotjobs.StartNextPendingJobExecutionRequest(thing_name=thing, **fields)
        )

    def test_describe_by_id_and_next(self):
        thing = CONTROL.thing("v2-describe")
        document = {"operation": "reboot", "delaySeconds": 5, "nested": {"list": [1, 2]}}
        job_id = CONTROL.job([thing], document)

        by_id = self.ok(self.describe(thing, job_id), "describe by id")
        execution = by_id.execution
        self.assertIsNotNone(execution, "describe by id: no execution in the accepted reply")
        self.assertEqual(execution.job_id, job_id)
        self.assertEqual(execution.thing_name, thing, "the MQTT execution carries thingName")
        self.assertEqual(execution.status, "QUEUED")
        self.assertEqual(execution.job_document, document, "jobDocument is a JSON object over MQTT, as created")
        self.assertEqual(execution.execution_number, 1)
        self.assertEqual(execution.version_number, 1)
        assert_recent(self, execution.queued_at, "queuedAt")
        self.assertIsNone(execution.started_at, "a QUEUED execution has not started")
        assert_recent(self, by_id.timestamp, "timestamp")
        self.assertIsNotNone(by_id.client_token, "the SDK's clientToken is echoed (it correlates on it)")

        numbered = self.ok(self.describe(thing, job_id, execution_number=1), "describe executionNumber 1")
        self.assertEqual(numbered.execution.execution_number, 1)

        missing_number = self.rejected(self.describe(thing, job_id, execution_number=7), "describe executionNumber 7")
        self.assertEqual(missing_number.code, "ResourceNotFound")

        nxt = self.ok(self.describe(thing, "$next", include_job_document=False), "describe $next")
        self.assertIsNotNone(nxt.execution, "describe $next: the queued execution is pending")
        self.assertEqual(nxt.execution.job_id, job_id)
        self.assertIsNone(nxt.execution.job_document, "includeJobDocument false leaves the document out")
        self.assertEqual(nxt.execution.status, "QUEUED")

    def test_start_next_update_version_mismatch_and_terminal_state(self):
        thing = CONTROL.thing("v2-lifecycle")
        document = {"firmware": "2.4.1"}
        job_id = CONTROL.job([thing], document)

        started = self.ok(self.start_next(thing, status_details={"step": "download"}, step_timeout_in_minutes=10), "start-next")
        execution = started.execution
        self.assertIsNotNone(execution, "start-next: a queued job was pending")
        self.assertEqual(execution.job_id, job_id)
        self.assertEqual(execution.status, "IN_PROGRESS")
        self.assertEqual(execution.version_number, 2)
        self.assertEqual(execution.status_details, {"step": "download"})
        self.assertEqual(execution.job_document, document)
        assert_recent(self, execution.started_at, "startedAt")

        updated = self.ok(
            self.update(
                thing,
                job_id,
                status="IN_PROGRESS",
                status_details={"step": "install", "progress": "60"},
                expected_version=2,
                include_job_execution_state=True,
                include_job_document=True,
            ),
            "update with expectedVersion 2",
        )
        self.assertIsNotNone(updated.execution_state, "includeJobExecutionState true returns the state")
        self.assertEqual(updated.execution_state.version_number, 3)
        self.assertEqual(updated.execution_state.status, "IN_PROGRESS")
        self.assertEqual(updated.execution_state.status_details, {"step": "install", "progress": "60"})
        self.assertEqual(updated.job_document, document, "includeJobDocument true returns the document")

        stale = self.rejected(
            self.update(thing, job_id, status="IN_PROGRESS", expected_version=2), "update with a stale expectedVersion"
        )
        self.assertEqual(stale.code, "VersionMismatch", stale.message)
        self.assertTrue(stale.message, "a rejection explains itself")
        self.assertIsNotNone(stale.execution_state, "VersionMismatch carries executionState")
        self.assertEqual(stale.execution_state.version_number, 3)
        self.assertEqual(stale.execution_state.status, "IN_PROGRESS")
        assert_recent(self, stale.timestamp, "rejected timestamp")

        # One state: what MQTT changed, HTTP sees, on both planes.
        control = CONTROL.execution(thing, job_id)
        self.assertEqual(control["status"], "IN_PROGRESS")
        self.assertEqual(control["versionNumber"], 3)
        self.assertEqual(control["statusDetails"], {"detailsMap": {"step": "install", "progress": "60"}})
        self.assertEqual(CONTROL.device_view(thing, job_id)["statusDetails"], {"step": "install", "progress": "60"})

        done = self.ok(self.update(thing, job_id, status="SUCCEEDED", expected_version=3), "update to SUCCEEDED")
        self.assertIsNone(done.execution_state, "includeJobExecutionState was not asked for")
        self.assertEqual(CONTROL.execution(thing, job_id)["status"], "SUCCEEDED")

        terminal = self.rejected(self.describe(thing, job_id), "describe a SUCCEEDED execution")
        self.assertEqual(terminal.code, "TerminalStateReached", terminal.message)

        again = self.rejected(self.update(thing, job_id, status="IN_PROGRESS"), "update a SUCCEEDED execution")
        self.assertEqual(again.code, "InvalidStateTransition", again.message)
        self.assertIsNotNone(again.execution_state, "InvalidStateTransition carries executionState")
        self.assertEqual(again.execution_state.status, "SUCCEEDED")

    def test_resource_not_found(self):
        thing = CONTROL.thing("v2-missing")
        describe = self.rejected(self.describe(thing, "no-such-job"), "describe an unknown job")
        self.assertEqual(describe.code, "ResourceNotFound", describe.message)
        self.assertTrue(describe.message)
        update = self.rejected(self.update(thing, "no-such-job", status="IN_PROGRESS"), "update an unknown job")
        self.assertEqual(update.code, "ResourceNotFound", update.message)

    def test_nothing_pending(self):
        thing = CONTROL.thing("v2-idle")
        nxt = self.ok(self.describe(thing, "$next"), "describe $next with nothing pending")
        self.assertIsNone(nxt.execution, "nothing pending: the accepted reply has no execution")
        assert_recent(self, nxt.timestamp, "timestamp")
        started = self.ok(self.start_next(thing), "start-next with nothing pending")
        self.assertIsNone(started.execution, "nothing pending: start-next accepted without an execution")
        pending = self.ok(
            self.jobs.get_pending_job_executions(iotjobs.GetPendingJobExecutionsRequest(thing_name=thing)), "get pending"
        )
        self.assertEqual(pending.in_progress_jobs, [])
        self.assertEqual(pending.queued_jobs, [])

    def test_pending_lists_in_progress_then_queued(self):
        thing = CONTROL.thing("v2-pending")
        first = CONTROL.job([thing], {"n": 1}, prefix="first")
        second = CONTROL.job([thing], {"n": 2}, prefix="second")
        started = self.ok(self.start_next(thing), "start-next")
        self.assertEqual(started.execution.job_id, first, "start-next takes the oldest queued job")
        pending = self.ok(
            self.jobs.get_pending_job_executions(iotjobs.GetPendingJobExecutionsRequest(thing_name=thing)), "get pending"
        )
        self.assertEqual([j.job_id for j in pending.in_progress_jobs], [first])
        self.assertEqual([j.job_id for j in pending.queued_jobs], [second])
        summary = pending.in_progress_jobs[0]
        self.assertEqual((summary.version_number, summary.execution_number), (2, 1))
        assert_recent(self, summary.started_at, "summary startedAt")
        nxt = self.ok(self.describe(thing, "$next"), "describe $next")
        self.assertEqual(nxt.execution.job_id, first, "$next prefers IN_PROGRESS")

    def open_stream(self, create, request):
        """Opens a notification stream; returns (stream, events) once the SDK reports the subscription established."""
        events = queue.Queue()
        established = Future()

        def on_status(event):
            if event.type == mqtt_request_response.SubscriptionStatusEventType.SUBSCRIPTION_ESTABLISHED:
                if not established.done():
                    established.set_result(True)
            elif not established.done():
                established.set_exception(AssertionError(f"stream subscription failed: {event.type!r} {event.error!r}"))

        stream = create(
            request,
            ServiceStreamOptions(
                incoming_event_listener=events.put,
                subscription_status_listener=on_status,
                deserialization_failure_listener=lambda failure: events.put(("undecodable", failure.payload)),
            ),
        )
        stream.open()
        established.result(TIMEOUT)
        return stream, events

    def test_notify_next_and_notify_streams_fire_on_http_changes(self):
        thing = CONTROL.thing("v2-notify")
        next_stream, next_events = self.open_stream(
            self.jobs.create_next_job_execution_changed_stream,
            iotjobs.NextJobExecutionChangedSubscriptionRequest(thing_name=thing),
        )
        list_stream, list_events = self.open_stream(
            self.jobs.create_job_executions_changed_stream,
            iotjobs.JobExecutionsChangedSubscriptionRequest(thing_name=thing),
        )
        try:
            document = {"operation": "notify-me"}
            first = CONTROL.job([thing], document, prefix="first")  # over HTTP
            event = drain_until(
                next_events,
                lambda e: getattr(getattr(e, "execution", None), "job_id", None) == first,
                f"notify-next naming {first} after an HTTP CreateJob",
            )
            self.assertEqual(event.execution.status, "QUEUED")
            self.assertEqual(event.execution.job_document, document, "notify-next carries the job document")
            assert_recent(self, event.timestamp, "notify-next timestamp")
            listed = drain_until(
                list_events,
                lambda e: [j.job_id for j in (getattr(e, "jobs", None) or {}).get("QUEUED", [])] == [first],
                f"notify listing {first} as QUEUED",
            )
            assert_recent(self, listed.timestamp, "notify timestamp")

            second = CONTROL.job([thing], {"operation": "second"}, prefix="second")
            drain_until(
                list_events,
                lambda e: [j.job_id for j in (getattr(e, "jobs", None) or {}).get("QUEUED", [])] == [first, second],
                f"notify listing {first}, {second} as QUEUED",
            )

            # The device finishes the head of the queue over MQTT: notify-next moves to the second job.
            self.ok(self.start_next(thing), "start-next")
            self.ok(self.update(thing, first, status="SUCCEEDED"), "update to SUCCEEDED")
            drain_until(
                next_events,
                lambda e: getattr(getattr(e, "execution", None), "job_id", None) == second,
                f"notify-next naming {second} once {first} succeeded",
            )

            # The operator cancels the second job over HTTP: nothing is pending any more.
            CONTROL.iot.cancel_job(jobId=second)
            empty = drain_until(
                next_events,
                lambda e: hasattr(e, "execution") and e.execution is None,
                "notify-next without an execution after the HTTP CancelJob",
            )
            assert_recent(self, empty.timestamp, "notify-next timestamp")
            drain_until(
                list_events,
                lambda e: hasattr(e, "jobs") and not any((e.jobs or {}).values()),
                "notify with no pending jobs after the HTTP CancelJob",
            )
        finally:
            # A StreamingOperation has no close(): the SDK unsubscribes when the last reference to it goes.
            del next_stream, list_stream


# ----------------------------------------------------------------------------------------------------------------
# The classic IotJobsClient on an MQTT 3.1.1 connection (awscrt.mqtt.Connection): subscribe, then publish.
# ----------------------------------------------------------------------------------------------------------------

CLASSIC_OPERATIONS = {
    "describe": (
        iotjobs.DescribeJobExecutionSubscriptionRequest,
        "subscribe_to_describe_job_execution_accepted",
        "subscribe_to_describe_job_execution_rejected",
        "publish_describe_job_execution",
    ),
    "get_pending": (
        iotjobs.GetPendingJobExecutionsSubscriptionRequest,
        "subscribe_to_get_pending_job_executions_accepted",
        "subscribe_to_get_pending_job_executions_rejected",
        "publish_get_pending_job_executions",
    ),
    "start_next": (
        iotjobs.StartNextPendingJobExecutionSubscriptionRequest,
        "subscribe_to_start_next_pending_job_execution_accepted",
        "subscribe_to_start_next_pending_job_execution_rejected",
        "publish_start_next_pending_job_execution",
    ),
    "update": (
        iotjobs.UpdateJobExecutionSubscriptionRequest,
        "subscribe_to_update_job_execution_accepted",
        "subscribe_to_update_job_execution_rejected",
        "publish_update_job_execution",
    ),
}


def classic_connection(client_id):
    return mqtt.Connection(
        client=mqtt.Client(None, None),  # no TLS context: plain TCP
        host_name=MQTT_HOST,
        port=MQTT_PORT,
        client_id=client_id,
        clean_session=True,
        keep_alive_secs=30,
    )


class ClassicJobsClientOverMqtt311(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.connection = classic_connection(unique("py-classic"))
        session = cls.connection.connect().result(TIMEOUT)
        assert session == {"session_present": False}, f"CONNACK {session!r}"
        cls.jobs = iotjobs.IotJobsClient(cls.connection)
        cls.replies = {}

    @classmethod
    def tearDownClass(cls):
        cls.connection.disconnect().result(TIMEOUT)

    def request(self, operation, request):
        """Subscribes to the operation's /accepted and /rejected (once per topic), publishes `request` with a fresh
        clientToken and returns ("accepted" | "rejected", the SDK's modeled reply) for that token."""
        subscription_class, accepted, rejected, publish = CLASSIC_OPERATIONS[operation]
        fields = {name: getattr(request, name) for name in subscription_class.__slots__}
        key = (operation, *fields.values())
        replies = self.replies.get(key)
        if replies is None:
            replies = queue.Queue()
            subscription = subscription_class(**fields)
            for kind, subscribe in (("accepted", accepted), ("rejected", rejected)):
                suback, _topic = getattr(self.jobs, subscribe)(
                    subscription, QOS1, lambda reply, kind=kind: replies.put((kind, reply))
                )
                self.assertEqual(suback.result(TIMEOUT), QOS1, f"SUBACK for {operation} {kind}")
            self.replies[key] = replies
        token = unique("classic-token")
        request.client_token = token
        getattr(self.jobs, publish)(request, QOS1).result(TIMEOUT)
        kind, reply = drain_until(
            replies,
            lambda item: item[1] is None or item[1].client_token == token,
            f"{operation} reply with clientToken {token}",
        )
        self.assertIsNotNone(reply, f"{operation}: the SDK could not decode the {kind} payload")
        return kind, reply

    def accepted(self, operation, request):
        kind, reply = self.request(operation, request)
        if kind != "accepted":
            raise AssertionError(f"{operation}: expected /accepted, got {reply.code}: {reply.message}")
        return reply

    def rejected(self, operation, request):
        kind, reply = self.request(operation, request)
        if kind != "rejected":
            raise AssertionError(f"{operation}: expected /rejected, got /accepted {reply!r}")
        return reply

    def test_describe_by_id_and_next(self):
        thing = CONTROL.thing("classic-describe")
        document = {"operation": "install", "url": "https://example.com/fw.bin"}
        job_id = CONTROL.job([thing], document)

        by_id = self.accepted("describe", iotjobs.DescribeJobExecutionRequest(thing_name=thing, job_id=job_id))
        self.assertEqual(by_id.execution.job_id, job_id)
        self.assertEqual(by_id.execution.thing_name, thing)
        self.assertEqual(by_id.execution.status, "QUEUED")
        self.assertEqual(by_id.execution.job_document, document)
        self.assertEqual(by_id.execution.execution_number, 1)
        assert_recent(self, by_id.timestamp, "timestamp")

        nxt = self.accepted(
            "describe", iotjobs.DescribeJobExecutionRequest(thing_name=thing, job_id="$next", include_job_document=False)
        )
        self.assertEqual(nxt.execution.job_id, job_id)
        self.assertIsNone(nxt.execution.job_document, "includeJobDocument false leaves the document out")

    def test_start_next_update_version_mismatch_and_terminal_state(self):
        thing = CONTROL.thing("classic-lifecycle")
        job_id = CONTROL.job([thing], {"firmware": "3.0.0"})

        started = self.accepted(
            "start_next",
            iotjobs.StartNextPendingJobExecutionRequest(thing_name=thing, status_details={"step": "download"}),
        )
        self.assertEqual(started.execution.job_id, job_id)
        self.assertEqual(started.execution.status, "IN_PROGRESS")
        self.assertEqual(started.execution.version_number, 2)

        updated = self.accepted(
            "update",
            iotjobs.UpdateJobExecutionRequest(
                thing_name=thing,
                job_id=job_id,
                status="IN_PROGRESS",
                status_details={"step": "verify"},
                expected_version=2,
                include_job_execution_state=True,
            ),
        )
        self.assertEqual(updated.execution_state.version_number, 3)
        self.assertEqual(updated.execution_state.status_details, {"step": "verify"})

        stale = self.rejected(
            "update",
            iotjobs.UpdateJobExecutionRequest(thing_name=thing, job_id=job_id, status="IN_PROGRESS", expected_version=1),
        )
        self.assertEqual(stale.code, "VersionMismatch", stale.message)
        self.assertEqual(stale.execution_state.version_number, 3, "VersionMismatch carries the current executionState")

        self.accepted(
            "update", iotjobs.UpdateJobExecutionRequest(thing_name=thing, job_id=job_id, status="FAILED", expected_version=3)
        )
        self.assertEqual(CONTROL.execution(thing, job_id)["status"], "FAILED", "HTTP sees the MQTT update")
        terminal = self.rejected("describe", iotjobs.DescribeJobExecutionRequest(thing_name=thing, job_id=job_id))
        self.assertEqual(terminal.code, "TerminalStateReached", terminal.message)

    def test_resource_not_found_and_nothing_pending(self):
        thing = CONTROL.thing("classic-idle")
        missing = self.rejected("describe", iotjobs.DescribeJobExecutionRequest(thing_name=thing, job_id="no-such-job"))
        self.assertEqual(missing.code, "ResourceNotFound", missing.message)
        nxt = self.accepted("describe", iotjobs.DescribeJobExecutionRequest(thing_name=thing, job_id="$next"))
        self.assertIsNone(nxt.execution, "nothing pending: the accepted reply has no execution")
        pending = self.accepted("get_pending", iotjobs.GetPendingJobExecutionsRequest(thing_name=thing))
        self.assertEqual((pending.in_progress_jobs, pending.queued_jobs), ([], []))

    def test_notify_next_fires_on_http_create(self):
        thing = CONTROL.thing("classic-notify")
        next_events, list_events = queue.Queue(), queue.Queue()
        suback, _ = self.jobs.subscribe_to_next_job_execution_changed_events(
            iotjobs.NextJobExecutionChangedSubscriptionRequest(thing_name=thing), QOS1, next_events.put
        )
        self.assertEqual(suback.result(TIMEOUT), QOS1)
        suback, _ = self.jobs.subscribe_to_job_executions_changed_events(
            iotjobs.JobExecutionsChangedSubscriptionRequest(thing_name=thing), QOS1, list_events.put
        )
        self.assertEqual(suback.result(TIMEOUT), QOS1)

        document = {"operation": "classic-notify"}
        job_id = CONTROL.job([thing], document)
        event = drain_until(
            next_events,
            lambda e: getattr(getattr(e, "execution", None), "job_id", None) == job_id,
            f"notify-next naming {job_id}",
        )
        self.assertEqual(event.execution.job_document, document)
        drain_until(
            list_events,
            lambda e: [j.job_id for j in (getattr(e, "jobs", None) or {}).get("QUEUED", [])] == [job_id],
            f"notify listing {job_id} as QUEUED",
        )

    def test_replies_reach_a_publisher_that_did_not_subscribe(self):
        """AWS publishes /accepted and /rejected to the requesting client whether or not it subscribed."""
        thing = CONTROL.thing("classic-unsubscribed")
        job_id = CONTROL.job([thing], {"operation": "x"})
        received = queue.Queue()
        connection = classic_connection(unique("py-raw"))
        connection.on_message(lambda topic, payload, **kwargs: received.put((topic, payload)))
        connection.connect().result(TIMEOUT)
        try:
            request_topic = f"$aws/things/{thing}/jobs/{job_id}/get"
            connection.publish(request_topic, json.dumps({"clientToken": "raw-1"}), QOS1)[0].result(TIMEOUT)
            topic, payload = drain_until(received, lambda m: m[0].startswith(request_topic), f"a reply on {request_topic}/…")
            self.assertEqual(topic, f"{request_topic}/accepted")
            body = json.loads(payload)
            self.assertEqual(body["clientToken"], "raw-1")
            self.assertEqual(body["execution"]["jobId"], job_id)
            self.assertIsInstance(body["timestamp"], int, "timestamp in whole epoch seconds")
            self.assertIsInstance(body["execution"]["jobDocument"], dict, "jobDocument is a JSON object")
        finally:
            connection.disconnect().result(TIMEOUT)

    def test_ordinary_publish_subscribe_next_to_jobs(self):
        thing = CONTROL.thing("classic-telemetry")
        received = queue.Queue()
        suback, _ = self.connection.subscribe(
            f"dt/{thing}/#", QOS1, lambda topic, payload, **kwargs: received.put((topic, payload))
        )
        self.assertEqual(suback.result(TIMEOUT)["qos"], QOS1)
        self.connection.publish(f"dt/{thing}/temperature", b'{"celsius": 21.5}', QOS1)[0].result(TIMEOUT)
        topic, payload = drain_until(received, lambda m: True, "the telemetry message back through the wildcard")
        self.assertEqual((topic, payload), (f"dt/{thing}/temperature", b'{"celsius": 21.5}'))


# ----------------------------------------------------------------------------------------------------------------
# The SDK's own TLS builders, exactly as the AWS device samples call them: only endpoint, port and the CA file (and
# the device certificate the emulator's CA signed) differ from a real account.
# ----------------------------------------------------------------------------------------------------------------


class DeviceSamplesOverMutualTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pki = tempfile.mkdtemp(prefix="jobscope-mqtt-pki-")
        for name in ("ca.pem", "device.pem", "device.key"):
            with urllib.request.urlopen(f"{HTTP}/_emulator/{name}", timeout=TIMEOUT) as response:
                assert response.status == 200, f"GET /_emulator/{name}: {response.status}"
                with open(os.path.join(cls.pki, name), "wb") as out:
                    out.write(response.read())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.pki, ignore_errors=True)

    def files(self):
        return dict(
            cert_filepath=os.path.join(self.pki, "device.pem"),
            pri_key_filepath=os.path.join(self.pki, "device.key"),
            ca_filepath=os.path.join(self.pki, "ca.pem"),
        )

    def test_mqtt5_builder_mtls_from_path_with_jobs_client_v2(self):
        thing = CONTROL.thing("tls-v2")
        job_id = CONTROL.job([thing], {"operation": "over-tls"})
        connected, stopped = Future(), Future()

        def failed(data):
            if not connected.done():
                connected.set_exception(data.exception)

        client = mqtt5_client_builder.mtls_from_path(
            endpoint="localhost",
            port=MQTTS_PORT,
            client_id=unique("py-mtls-v5"),
            on_lifecycle_connection_success=lambda data: connected.set_result(data.connack_packet),
            on_lifecycle_connection_failure=failed,
            on_lifecycle_stopped=lambda data: stopped.set_result(True),
            **self.files(),
        )
        client.start()
        try:
            connack = connected.result(TIMEOUT)
            self.assertEqual(connack.reason_code, mqtt5.ConnectReasonCode.SUCCESS)
            jobs = iotjobs.IotJobsClientV2(
                client,
                mqtt_request_response.ClientOptions(
                    max_request_response_subscriptions=2, max_streaming_subscriptions=2, operation_timeout_in_seconds=TIMEOUT
                ),
            )
            reply = jobs.describe_job_execution(
                iotjobs.DescribeJobExecutionRequest(thing_name=thing, job_id="$next")
            ).result(TIMEOUT)
            self.assertEqual(reply.execution.job_id, job_id)
            self.assertEqual(reply.execution.job_document, {"operation": "over-tls"})
        finally:
            client.stop()
            stopped.result(TIMEOUT)

    def test_mqtt311_builder_mtls_from_path_with_classic_jobs_client(self):
        thing = CONTROL.thing("tls-classic")
        job_id = CONTROL.job([thing], {"operation": "over-tls"})
        connection = mqtt_connection_builder.mtls_from_path(
            endpoint="localhost",
            port=MQTTS_PORT,
            client_id=unique("py-mtls-311"),
            clean_session=True,
            keep_alive_secs=30,
            **self.files(),
        )
        connection.connect().result(TIMEOUT)
        try:
            jobs = iotjobs.IotJobsClient(connection)
            replies = queue.Queue()
            subscription = iotjobs.StartNextPendingJobExecutionSubscriptionRequest(thing_name=thing)
            for subscribe in (
                jobs.subscribe_to_start_next_pending_job_execution_accepted,
                jobs.subscribe_to_start_next_pending_job_execution_rejected,
            ):
                self.assertEqual(subscribe(subscription, QOS1, replies.put)[0].result(TIMEOUT), QOS1)
            jobs.publish_start_next_pending_job_execution(
                iotjobs.StartNextPendingJobExecutionRequest(thing_name=thing, client_token="tls-1"), QOS1
            ).result(TIMEOUT)
            reply = drain_until(replies, lambda r: getattr(r, "client_token", None) == "tls-1", "start-next reply")
            self.assertIsInstance(reply, iotjobs.StartNextJobExecutionResponse, f"accepted expected, got {reply!r}")
            self.assertEqual((reply.execution.job_id, reply.execution.status), (job_id, "IN_PROGRESS"))
        finally:
            connection.disconnect().result(TIMEOUT)


if __name__ == "__main__":
    unittest.main(verbosity=2)
