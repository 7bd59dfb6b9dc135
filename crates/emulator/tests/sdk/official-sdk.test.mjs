// Black-box tests: the OFFICIAL AWS SDK clients (@aws-sdk/client-iot, @aws-sdk/client-iot-jobs-data-plane) against
// a running jobscope-emulator, changing nothing but the endpoint. Run by scripts/test-emulator-sdk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  IoTClient, CreateThingCommand, DescribeThingCommand, ListThingsCommand, DeleteThingCommand, CreateJobCommand,
  DescribeJobCommand, CancelJobCommand, DescribeJobExecutionCommand as DescribeControl, ListJobExecutionsForThingCommand,
  ListJobExecutionsForJobCommand, CancelJobExecutionCommand, DeleteJobExecutionCommand,
  ResourceNotFoundException as ControlNotFound, ResourceAlreadyExistsException, InvalidStateTransitionException as ControlTransition,
  VersionConflictException, InvalidRequestException as ControlInvalid, ThrottlingException as ControlThrottling,
} from '@aws-sdk/client-iot';
import {
  IoTJobsDataPlaneClient, DescribeJobExecutionCommand, GetPendingJobExecutionsCommand,
  StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand, TerminalStateException, ResourceNotFoundException,
  InvalidStateTransitionException, InvalidRequestException, ThrottlingException,
  ServiceUnavailableException,
} from '@aws-sdk/client-iot-jobs-data-plane';

const BINARY = process.env.JOBSCOPE_EMULATOR;
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const arn = (thing) => `arn:aws:iot:${REGION}:${ACCOUNT}:thing/${thing}`;

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the emulator binary and waits for its health endpoint. */
async function startEmulator(args) {
  const port = await freePort();
  const child = spawn(BINARY, ['--listen', `127.0.0.1:${port}`, '--region', REGION, '--account-id', ACCOUNT, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${endpoint}/_emulator/health`);
      if (res.ok) return { child, endpoint, port };
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`emulator exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`emulator did not start: ${stderr}`);
}

async function stop(child, signal = 'SIGTERM') {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

function clients(endpoint, extra = {}) {
  const config = { region: REGION, endpoint, credentials, ...extra };
  return { iot: new IoTClient(config), jobs: new IoTJobsDataPlaneClient(config) };
}

let main;
let iot;
let jobs;

before(async () => {
  assert.ok(BINARY, 'JOBSCOPE_EMULATOR must point at the jobscope-emulator binary');
  main = await startEmulator(['--in-memory']);
  ({ iot, jobs } = clients(main.endpoint));
});

after(async () => {
  await stop(main.child);
});

test('the device lifecycle through both official clients', async () => {
  const thing = await iot.send(new CreateThingCommand({ thingName: 'sdk:device-1', attributePayload: { attributes: { site: 'lab' } } }));
  assert.equal(thing.thingArn, arn('sdk:device-1'));
  const described = await iot.send(new DescribeThingCommand({ thingName: 'sdk:device-1' }));
  assert.deepEqual(described.attributes, { site: 'lab' });

  const created = await iot.send(new CreateJobCommand({
    jobId: 'sdk-fw-1', targets: [thing.thingArn], document: '{"op":"update"}', description: 'SDK test',
    timeoutConfig: { inProgressTimeoutInMinutes: 30 },
  }));
  assert.equal(created.jobArn, `arn:aws:iot:${REGION}:${ACCOUNT}:job/sdk-fw-1`);

  const queued = await jobs.send(new DescribeJobExecutionCommand({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1' }));
  assert.equal(queued.execution.status, 'QUEUED');
  assert.equal(queued.execution.jobDocument, '{"op":"update"}');
  assert.equal(queued.execution.thingName, 'sdk:device-1');
  assert.equal(queued.execution.executionNumber, 1);
  assert.equal(typeof queued.execution.queuedAt, 'number');

  const pending = await jobs.send(new GetPendingJobExecutionsCommand({ thingName: 'sdk:device-1' }));
  assert.deepEqual(pending.queuedJobs.map((j) => j.jobId), ['sdk-fw-1']);
  assert.deepEqual(pending.inProgressJobs, []);

  const started = await jobs.send(new StartNextPendingJobExecutionCommand({
    thingName: 'sdk:device-1', statusDetails: { step: 'download' }, stepTimeoutInMinutes: 10,
  }));
  assert.equal(started.execution.status, 'IN_PROGRESS');
  assert.equal(started.execution.versionNumber, 2);
  assert.ok(started.execution.approximateSecondsBeforeTimedOut > 590);

  const updated = await jobs.send(new UpdateJobExecutionCommand({
    thingName: 'sdk:device-1', jobId: 'sdk-fw-1', status: 'IN_PROGRESS', statusDetails: { step: 'install', progress: '60' },
    expectedVersion: 2, includeJobExecutionState: true, includeJobDocument: true,
  }));
  assert.equal(updated.executionState.versionNumber, 3);
  assert.deepEqual(updated.executionState.statusDetails, { step: 'install', progress: '60' });
  assert.equal(updated.jobDocument, '{"op":"update"}');

  const next = await jobs.send(new DescribeJobExecutionCommand({ thingName: 'sdk:device-1', jobId: '$next', includeJobDocument: false }));
  assert.equal(next.execution.jobId, 'sdk-fw-1');
  assert.equal(next.execution.jobDocument, undefined);

  const control = await iot.send(new DescribeControl({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1', executionNumber: 1 }));
  assert.equal(control.execution.thingArn, arn('sdk:device-1'));
  assert.deepEqual(control.execution.statusDetails, { detailsMap: { step: 'install', progress: '60' } });
  assert.ok(control.execution.queuedAt instanceof Date);
  assert.equal(control.execution.forceCanceled, false);

  const forThing = await iot.send(new ListJobExecutionsForThingCommand({ thingName: 'sdk:device-1' }));
  assert.equal(forThing.executionSummaries[0].jobExecutionSummary.status, 'IN_PROGRESS');
  const forJob = await iot.send(new ListJobExecutionsForJobCommand({ jobId: 'sdk-fw-1' }));
  assert.equal(forJob.executionSummaries[0].thingArn, arn('sdk:device-1'));

  // Force-cancel while IN_PROGRESS; the device API then answers TerminalStateException.
  await assert.rejects(iot.send(new CancelJobExecutionCommand({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1' })), ControlTransition);
  await assert.rejects(
    iot.send(new CancelJobExecutionCommand({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1', force: true, expectedVersion: 1 })),
    VersionConflictException,
  );
  await iot.send(new CancelJobExecutionCommand({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1', force: true, expectedVersion: 3 }));
  const canceled = await iot.send(new DescribeControl({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1' }));
  assert.equal(canceled.execution.status, 'CANCELED');
  assert.equal(canceled.execution.forceCanceled, true);
  await assert.rejects(jobs.send(new DescribeJobExecutionCommand({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1' })), (e) => {
    assert.ok(e instanceof TerminalStateException, e.name);
    assert.equal(e.$metadata.httpStatusCode, 410);
    assert.ok(e.$metadata.requestId);
    return true;
  });
  await assert.rejects(
    jobs.send(new UpdateJobExecutionCommand({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1', status: 'SUCCEEDED' })),
    InvalidStateTransitionException,
  );

  const job = await iot.send(new DescribeJobCommand({ jobId: 'sdk-fw-1' }));
  assert.equal(job.job.status, 'COMPLETED');
  assert.equal(job.job.jobProcessDetails.numberOfCanceledThings, 1);
  await iot.send(new DeleteJobExecutionCommand({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1', executionNumber: 1 }));
  await assert.rejects(iot.send(new DescribeControl({ thingName: 'sdk:device-1', jobId: 'sdk-fw-1' })), ControlNotFound);
});

test('each error reaches the SDK as its own exception class', async () => {
  await iot.send(new CreateThingCommand({ thingName: 'sdk-errors' }));
  await iot.send(new CreateJobCommand({ jobId: 'sdk-err-job', targets: [arn('sdk-errors')] }));
  await assert.rejects(iot.send(new CreateJobCommand({ jobId: 'sdk-err-job', targets: [arn('sdk-errors')] })), ResourceAlreadyExistsException);
  await assert.rejects(iot.send(new CreateJobCommand({ jobId: 'sdk-missing', targets: [arn('ghost')] })), ControlNotFound);
  await assert.rejects(jobs.send(new DescribeJobExecutionCommand({ thingName: 'sdk-errors', jobId: 'nope' })), ResourceNotFoundException);
  // The SDK sends what it is given; the emulator validates with the core crate.
  await assert.rejects(jobs.send(new DescribeJobExecutionCommand({ thingName: 'bad name', jobId: 'j' })), (e) => {
    assert.ok(e instanceof InvalidRequestException, e.name);
    assert.match(e.message, /thingName: must contain only letters, digits/);
    return true;
  });
  await assert.rejects(iot.send(new DescribeControl({ thingName: 'sdk-errors', jobId: '$next' })), ControlInvalid);
  // A stale expectedVersion: the data-plane model lists InvalidStateTransitionException for UpdateJobExecution.
  await assert.rejects(
    jobs.send(new UpdateJobExecutionCommand({ thingName: 'sdk-errors', jobId: 'sdk-err-job', status: 'IN_PROGRESS', expectedVersion: 9 })),
    (e) => {
      assert.ok(e instanceof InvalidStateTransitionException, e.name);
      assert.equal(e.$metadata.httpStatusCode, 409);
      assert.match(e.message, /expectedVersion 9 does not match the current version 1/);
      return true;
    },
  );
  await iot.send(new CancelJobCommand({ jobId: 'sdk-err-job', reasonCode: 'TEST', comment: 'done' }));
  const job = await iot.send(new DescribeJobCommand({ jobId: 'sdk-err-job' }));
  assert.equal(job.job.status, 'CANCELED');
  const things = await iot.send(new ListThingsCommand({}));
  assert.ok(things.things.some((t) => t.thingName === 'sdk-errors'));
  await iot.send(new DeleteThingCommand({ thingName: 'sdk-errors' }));
  await assert.rejects(iot.send(new DescribeThingCommand({ thingName: 'sdk-errors' })), ControlNotFound);
});

test('injected throttling and unavailability map to the SDK exception classes', async () => {
  const throttled = await startEmulator(['--in-memory', '--throttle-rate', '1']);
  const unavailable = await startEmulator(['--in-memory', '--unavailable-rate', '1']);
  try {
    const t = clients(throttled.endpoint, { maxAttempts: 1 });
    await assert.rejects(t.jobs.send(new DescribeJobExecutionCommand({ thingName: 't', jobId: 'j' })), (e) => {
      assert.ok(e instanceof ThrottlingException, e.name);
      assert.equal(e.$metadata.httpStatusCode, 429);
      return true;
    });
    await assert.rejects(t.iot.send(new DescribeControl({ thingName: 't', jobId: 'j' })), (e) => {
      assert.ok(e instanceof ControlThrottling, e.name);
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
    const u = clients(unavailable.endpoint, { maxAttempts: 1 });
    await assert.rejects(u.jobs.send(new DescribeJobExecutionCommand({ thingName: 't', jobId: 'j' })), ServiceUnavailableException);
  } finally {
    await stop(throttled.child);
    await stop(unavailable.child);
  }
});

test('a kill -9 and a restart lose nothing that was acknowledged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-emulator-sdk-'));
  try {
    let emulator = await startEmulator(['--data-dir', dir]);
    let c = clients(emulator.endpoint);
    await c.iot.send(new CreateThingCommand({ thingName: 'durable' }));
    await c.iot.send(new CreateJobCommand({ jobId: 'durable-job', targets: [arn('durable')], document: '{}' }));
    await c.jobs.send(new StartNextPendingJobExecutionCommand({ thingName: 'durable' }));
    await c.jobs.send(new UpdateJobExecutionCommand({ thingName: 'durable', jobId: 'durable-job', status: 'IN_PROGRESS', statusDetails: { acknowledged: 'yes' } }));
    await stop(emulator.child, 'SIGKILL');

    emulator = await startEmulator(['--data-dir', dir]);
    c = clients(emulator.endpoint);
    const after = await c.jobs.send(new DescribeJobExecutionCommand({ thingName: 'durable', jobId: 'durable-job' }));
    assert.equal(after.execution.status, 'IN_PROGRESS');
    assert.equal(after.execution.versionNumber, 3);
    assert.deepEqual(after.execution.statusDetails, { acknowledged: 'yes' });
    await stop(emulator.child);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--auth sigv4: the official SDK signatures verify; bad ones are rejected as AWS does', async () => {
  const secured = await startEmulator(['--in-memory', '--demo', '--auth', 'sigv4', '--access-key', `${credentials.accessKeyId}:${credentials.secretAccessKey}`]);
  try {
    const ok = clients(secured.endpoint);
    const described = await ok.jobs.send(new DescribeJobExecutionCommand({ thingName: 'sensor-gateway-eu-west-0042', jobId: '$next' }));
    assert.equal(described.execution.status, 'IN_PROGRESS');
    const things = await ok.iot.send(new ListThingsCommand({}));
    assert.ok(things.things.length >= 6);
    await ok.jobs.send(new UpdateJobExecutionCommand({
      thingName: 'sensor-gateway-eu-west-0042', jobId: 'firmware-update-2024-06-15-batch-017', status: 'IN_PROGRESS',
      statusDetails: { signed: 'yes' },
    }));

    const wrongSecret = clients(secured.endpoint, { credentials: { ...credentials, secretAccessKey: 'not-the-secret' }, maxAttempts: 1 });
    await assert.rejects(wrongSecret.jobs.send(new DescribeJobExecutionCommand({ thingName: 't', jobId: 'j' })), (e) => {
      assert.equal(e.name, 'InvalidSignatureException');
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
    const unknownKey = clients(secured.endpoint, { credentials: { ...credentials, accessKeyId: 'AKIDUNKNOWN' }, maxAttempts: 1 });
    await assert.rejects(unknownKey.iot.send(new ListThingsCommand({})), (e) => {
      assert.equal(e.name, 'UnrecognizedClientException');
      return true;
    });
    const unsigned = await fetch(`${secured.endpoint}/things/t/jobs/j`);
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.equal((await fetch(`${secured.endpoint}/_emulator/health`)).status, 200, 'admin routes stay open');
  } finally {
    await stop(secured.child);
  }
});
