// Black-box tests: mqtt.js (npm `mqtt`) against a running jobscope-emulator — MQTT over WebSocket at `/mqtt` on the
// HTTP listener (MQTT 5 and 3.1.1), SigV4-presigned WebSocket URLs made by the official AWS IoT browser SDK's signer
// (`aws-crt`, brought by `aws-iot-device-sdk-v2`) in `--auth sigv4` mode, and MQTT over TLS trusting the CA the
// emulator generated. Things and jobs are made over HTTP with the official AWS SDK for JavaScript.
//
// Run by scripts/test-emulator-mqtt, which starts two emulators and sets:
//   JOBSCOPE_EMULATOR_HTTP            http://127.0.0.1:PORT of the open instance (--auth none)
//   JOBSCOPE_EMULATOR_MQTTS_PORT      that instance's --mqtt-tls-listen port on 127.0.0.1
//   JOBSCOPE_EMULATOR_DATA_DIR        that instance's --data-dir (where it generated its CA)
//   JOBSCOPE_EMULATOR_SIGV4_HTTP      http://127.0.0.1:PORT of the --auth sigv4 instance
//   JOBSCOPE_EMULATOR_ACCESS_KEY      AKID:SECRET it was given with --access-key
//   JOBSCOPE_EMULATOR_REGION, JOBSCOPE_EMULATOR_ACCOUNT
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import mqtt from 'mqtt';
import { IoTClient, CreateThingCommand, CreateJobCommand } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient, DescribeJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';

// The official browser-side URL signers: what aws-iot-device-sdk-v2's browser MQTT clients call.
const require = createRequire(import.meta.url);
const crtWebsocket = require('aws-crt/dist.browser/browser/ws.js');
const crtMqtt5 = require('aws-crt/dist.browser/browser/mqtt5.js');
const { StaticCredentialProvider } = require('aws-crt/dist.browser/browser/auth.js');

const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `${name} must be set (scripts/test-emulator-mqtt sets it)`);
  return value;
};
const HTTP = env('JOBSCOPE_EMULATOR_HTTP');
const MQTTS_PORT = Number(env('JOBSCOPE_EMULATOR_MQTTS_PORT'));
const DATA_DIR = env('JOBSCOPE_EMULATOR_DATA_DIR');
const SIGV4_HTTP = env('JOBSCOPE_EMULATOR_SIGV4_HTTP');
const [ACCESS_KEY_ID, SECRET] = env('JOBSCOPE_EMULATOR_ACCESS_KEY').split(/:(.*)/s);
const REGION = process.env.JOBSCOPE_EMULATOR_REGION ?? 'eu-west-1';
const ACCOUNT = process.env.JOBSCOPE_EMULATOR_ACCOUNT ?? '123456789012';
const TIMEOUT_MS = 10_000; // a hang guard on every wait, never a delay

const wsUrl = (http) => `${http.replace(/^http:/, 'ws:')}/mqtt`;
const unique = (prefix) => `${prefix}-${randomBytes(5).toString('hex')}`;
const arn = (thing) => `arn:aws:iot:${REGION}:${ACCOUNT}:thing/${thing}`;

function awsClients(endpoint) {
  const config = { region: REGION, endpoint, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, maxAttempts: 1 };
  return { iot: new IoTClient(config), jobs: new IoTJobsDataPlaneClient(config) };
}

/** A thing with one queued job, made over HTTP; returns { thing, jobId, document }. */
async function thingWithJob(endpoint, prefix) {
  const { iot } = awsClients(endpoint);
  const thing = unique(prefix);
  const jobId = unique(`${prefix}-job`);
  const document = { operation: 'install', version: '1.2.3', steps: ['download', 'verify'] };
  await iot.send(new CreateThingCommand({ thingName: thing }));
  await iot.send(new CreateJobCommand({ jobId, targets: [arn(thing)], document: JSON.stringify(document) }));
  return { thing, jobId, document };
}

const open = new Set();
after(async () => {
  await Promise.all([...open].map((client) => client.endAsync(true)));
});

/** Connects mqtt.js; resolves with { client, connack } on CONNACK, rejects on an error or a close before it. */
function connect(url, options) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { clientId: unique('mqttjs'), reconnectPeriod: 0, connectTimeout: TIMEOUT_MS, ...options });
    const fail = (error) => {
      client.end(true);
      reject(error);
    };
    client.once('connect', (connack) => {
      client.off('error', fail);
      client.off('close', closed);
      open.add(client);
      resolve({ client, connack });
    });
    client.once('error', fail);
    const closed = () => fail(new Error(`connection to ${url} closed before CONNACK`));
    client.once('close', closed);
  });
}

async function disconnect(client) {
  open.delete(client);
  await client.endAsync();
}

/** Resolves with the first message that satisfies `predicate` (listen before publishing). */
function nextMessage(client, predicate, what) {
  return new Promise((resolve, reject) => {
    const seen = [];
    const onMessage = (topic, payload, packet) => {
      const message = { topic, text: payload.toString(), packet };
      if (predicate(message)) {
        clearTimeout(timer);
        client.off('message', onMessage);
        resolve(message);
      } else {
        seen.push({ topic, payload: message.text });
      }
    };
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no ${what} within ${TIMEOUT_MS} ms; messages seen instead: ${JSON.stringify(seen)}`));
    }, TIMEOUT_MS);
    client.on('message', onMessage);
  });
}

/** Publishes a Jobs request and returns { topic, body } of the /accepted or /rejected reply with its clientToken. */
async function jobsRequest(client, topic, payload, { subscribe = true } = {}) {
  if (subscribe) {
    const granted = await client.subscribeAsync(`${topic}/+`, { qos: 1 });
    assert.deepEqual(granted.map((g) => g.qos), [1], `SUBACK for ${topic}/+`);
  }
  const clientToken = unique('token');
  const reply = nextMessage(
    client,
    (m) => (m.topic === `${topic}/accepted` || m.topic === `${topic}/rejected`) && JSON.parse(m.text).clientToken === clientToken,
    `reply to ${topic} with clientToken ${clientToken}`,
  );
  await client.publishAsync(topic, JSON.stringify({ ...payload, clientToken }), { qos: 1 });
  const message = await reply;
  return { topic: message.topic, body: JSON.parse(message.text), packet: message.packet };
}

function assertEpochSeconds(value, what) {
  assert.ok(Number.isInteger(value), `${what}: whole epoch seconds expected, got ${value}`);
  assert.ok(Math.abs(value - Date.now() / 1000) < 120, `${what}: ${value} is not near now in epoch seconds`);
}

/** Sends a bare WebSocket upgrade for `url` (subprotocol mqtt); resolves with the status, headers and body. */
function upgrade(url) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url.replace(/^ws:/, 'http:'), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Protocol': 'mqtt',
      },
      timeout: TIMEOUT_MS,
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode, headers: res.headers, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to the upgrade within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

test('MQTT 5 over WebSocket /mqtt: describe, update, and what MQTT changes HTTP sees', async () => {
  const { thing, jobId, document } = await thingWithJob(HTTP, 'js-ws5');
  const handshake = await upgrade(wsUrl(HTTP));
  assert.equal(handshake.status, 101, `the upgrade is accepted: ${handshake.status} ${handshake.body}`);
  assert.equal(handshake.headers['sec-websocket-protocol'], 'mqtt', 'the subprotocol mqtt is selected');

  const { client, connack } = await connect(wsUrl(HTTP), { protocolVersion: 5 });
  assert.equal(connack.reasonCode, 0, 'CONNACK success');

  const described = await jobsRequest(client, `$aws/things/${thing}/jobs/${jobId}/get`, { includeJobDocument: true });
  assert.equal(described.topic, `$aws/things/${thing}/jobs/${jobId}/get/accepted`, JSON.stringify(described.body));
  const { execution } = described.body;
  assert.equal(execution.jobId, jobId);
  assert.equal(execution.thingName, thing);
  assert.equal(execution.status, 'QUEUED');
  assert.deepEqual(execution.jobDocument, document, 'jobDocument is a JSON object over MQTT');
  assertEpochSeconds(described.body.timestamp, 'timestamp');
  assertEpochSeconds(execution.queuedAt, 'queuedAt');

  const next = await jobsRequest(client, `$aws/things/${thing}/jobs/$next/get`, { includeJobDocument: false });
  assert.equal(next.body.execution.jobId, jobId);
  assert.equal(next.body.execution.jobDocument, undefined, 'includeJobDocument false leaves the document out');

  const updated = await jobsRequest(client, `$aws/things/${thing}/jobs/${jobId}/update`, {
    status: 'IN_PROGRESS', statusDetails: { via: 'websocket' }, expectedVersion: 1, includeJobExecutionState: true,
  });
  assert.equal(updated.topic, `$aws/things/${thing}/jobs/${jobId}/update/accepted`, JSON.stringify(updated.body));
  assert.equal(updated.body.executionState.status, 'IN_PROGRESS');
  assert.equal(updated.body.executionState.versionNumber, 2);

  const http = await awsClients(HTTP).jobs.send(new DescribeJobExecutionCommand({ thingName: thing, jobId }));
  assert.equal(http.execution.status, 'IN_PROGRESS');
  assert.deepEqual(http.execution.statusDetails, { via: 'websocket' });
  assert.equal(http.execution.jobDocument, JSON.stringify(document), 'over HTTP the same document is a string');

  // Ordinary publish/subscribe next to the Jobs topics, with a wildcard.
  const granted = await client.subscribeAsync(`dt/${thing}/+`, { qos: 1 });
  assert.deepEqual(granted.map((g) => g.qos), [1]);
  const telemetry = nextMessage(client, (m) => m.topic.startsWith(`dt/${thing}/`), 'telemetry');
  await client.publishAsync(`dt/${thing}/temperature`, '{"celsius":21.5}', { qos: 1 });
  const received = await telemetry;
  assert.deepEqual([received.topic, received.text], [`dt/${thing}/temperature`, '{"celsius":21.5}']);
  await disconnect(client);
});

test('MQTT 3.1.1 over WebSocket /mqtt: replies without a subscription, rejections, invalid JSON', async () => {
  const { thing, jobId } = await thingWithJob(HTTP, 'js-ws4');
  const { client, connack } = await connect(wsUrl(HTTP), { protocolVersion: 4 });
  assert.equal(connack.returnCode, 0, 'CONNACK accepted');

  // AWS answers the publisher whether or not it subscribed.
  const described = await jobsRequest(client, `$aws/things/${thing}/jobs/${jobId}/get`, {}, { subscribe: false });
  assert.equal(described.topic, `$aws/things/${thing}/jobs/${jobId}/get/accepted`, JSON.stringify(described.body));
  assert.equal(described.body.execution.jobId, jobId);

  const started = await jobsRequest(client, `$aws/things/${thing}/jobs/start-next`, { statusDetails: { step: 'one' } }, { subscribe: false });
  assert.equal(started.body.execution.status, 'IN_PROGRESS', JSON.stringify(started.body));
  assert.equal(started.body.execution.versionNumber, 2);

  const stale = await jobsRequest(client, `$aws/things/${thing}/jobs/${jobId}/update`, { status: 'SUCCEEDED', expectedVersion: 1 }, { subscribe: false });
  assert.equal(stale.topic, `$aws/things/${thing}/jobs/${jobId}/update/rejected`);
  assert.equal(stale.body.code, 'VersionMismatch', JSON.stringify(stale.body));
  assert.equal(stale.body.executionState.versionNumber, 2);
  assertEpochSeconds(stale.body.timestamp, 'rejected timestamp');

  const missing = await jobsRequest(client, `$aws/things/${thing}/jobs/no-such-job/get`, {}, { subscribe: false });
  assert.equal(missing.body.code, 'ResourceNotFound', JSON.stringify(missing.body));

  const pending = await jobsRequest(client, `$aws/things/${thing}/jobs/get`, {}, { subscribe: false });
  assert.deepEqual(pending.body.inProgressJobs.map((j) => j.jobId), [jobId], JSON.stringify(pending.body));
  assert.deepEqual(pending.body.queuedJobs, []);

  // A payload that is not JSON has no clientToken to match: take the first reply on the rejected topic.
  const topic = `$aws/things/${thing}/jobs/${jobId}/get`;
  const rejected = nextMessage(client, (m) => m.topic === `${topic}/rejected`, `InvalidJson on ${topic}/rejected`);
  await client.publishAsync(topic, '{"clientToken": ', { qos: 1 });
  const body = JSON.parse((await rejected).text);
  assert.equal(body.code, 'InvalidJson', JSON.stringify(body));
  await disconnect(client);
});

test('MQTT over TLS with the CA the emulator generated (GET /_emulator/ca.pem), with and without a client certificate', async (t) => {
  const response = await fetch(`${HTTP}/_emulator/ca.pem`);
  assert.equal(response.status, 200, 'the CA is served at the admin path');
  const ca = await response.text();
  assert.match(ca, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/, 'a PEM certificate');
  const pemsOnDisk = readdirSync(DATA_DIR, { recursive: true })
    .map((name) => join(DATA_DIR, String(name)))
    .filter((path) => path.endsWith('.pem') && statSync(path).isFile())
    .map((path) => readFileSync(path, 'utf8'));
  assert.ok(pemsOnDisk.includes(ca), `the served CA is the one generated into --data-dir ${DATA_DIR}`);

  const dir = mkdtempSync(join(tmpdir(), 'jobscope-mqtt-ca-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca);

  // The device certificate the local CA signed, for mutual TLS (client certificates are optional).
  const deviceFiles = {};
  for (const name of ['device.pem', 'device.key']) {
    const res = await fetch(`${HTTP}/_emulator/${name}`);
    assert.equal(res.status, 200, `GET /_emulator/${name}`);
    deviceFiles[name] = await res.text();
  }

  const { thing, jobId, document } = await thingWithJob(HTTP, 'js-tls');
  const url = `mqtts://127.0.0.1:${MQTTS_PORT}`;
  const variants = [
    [5, {}],
    [4, { servername: 'localhost' }],
    [5, { cert: deviceFiles['device.pem'], key: deviceFiles['device.key'] }],
  ];
  for (const [protocolVersion, extra] of variants) {
    const { client } = await connect(url, { protocolVersion, ca: readFileSync(caFile), rejectUnauthorized: true, ...extra });
    const described = await jobsRequest(client, `$aws/things/${thing}/jobs/${jobId}/get`, {});
    assert.equal(described.topic, `$aws/things/${thing}/jobs/${jobId}/get/accepted`, JSON.stringify(described.body));
    assert.deepEqual(described.body.execution.jobDocument, document);
    await disconnect(client);
  }

  await assert.rejects(
    connect(url, { protocolVersion: 5, rejectUnauthorized: true }),
    (error) => {
      assert.match(String(error.code ?? error.message), /SELF_SIGNED|UNABLE_TO_VERIFY|self.signed|unable to verify/i, String(error));
      return true;
    },
    'without the CA the server certificate is not trusted',
  );
});

/** The presigned URL the official browser SDK makes, pointed at the emulator (it signs host without the port and
 * leaves the port out of the URL, as for 443). */
function officialPresignedUrl({ mqtt5, secret = SECRET, sessionToken }) {
  const port = Number(new URL(SIGV4_HTTP).port);
  const credentialsProvider = new StaticCredentialProvider({
    aws_access_id: ACCESS_KEY_ID, aws_secret_key: secret, aws_sts_token: sessionToken, aws_region: REGION,
  });
  const signed = mqtt5
    ? crtWebsocket.create_mqtt5_websocket_url({
      hostName: '127.0.0.1', port,
      websocketOptions: { urlFactoryOptions: { urlFactory: crtMqtt5.Mqtt5WebsocketUrlFactoryType.Sigv4, region: REGION, credentialsProvider } },
    })
    : crtWebsocket.create_websocket_url({ host_name: '127.0.0.1', port, websocket: { protocol: 'wss' }, credentials_provider: credentialsProvider });
  const prefix = 'wss://127.0.0.1/mqtt?';
  assert.ok(signed.startsWith(prefix), `the SDK's URL: ${signed}`);
  assert.match(signed, /X-Amz-Credential=[^&]+%2Fiotdevicegateway%2Faws4_request&/);
  return `ws://127.0.0.1:${port}/mqtt?${signed.slice(prefix.length)}`;
}

test('--auth sigv4: URLs presigned by the official SDK connect (MQTT 5 and 3.1.1, with a session token)', async () => {
  const { thing, jobId } = await thingWithJob(SIGV4_HTTP, 'js-signed'); // signed HTTP on the same instance

  const v5 = officialPresignedUrl({ mqtt5: true });
  const handshake = await upgrade(v5);
  assert.equal(handshake.status, 101, `presigned upgrade: ${handshake.status} ${handshake.body}`);
  const { client } = await connect(v5, { protocolVersion: 5 });
  const described = await jobsRequest(client, `$aws/things/${thing}/jobs/$next/get`, {});
  assert.equal(described.body.execution?.jobId, jobId, JSON.stringify(described.body));
  await disconnect(client);

  // X-Amz-Security-Token is appended after signing (MQTT.md §3): it must not enter the canonical query.
  const v311 = officialPresignedUrl({ mqtt5: false, sessionToken: 'session/token+with=chars' });
  assert.match(v311, /&X-Amz-Signature=[0-9a-f]{64}&X-Amz-Security-Token=session%2Ftoken%2Bwith%3Dchars$/);
  const { client: classic } = await connect(v311, { protocolVersion: 4 });
  const started = await jobsRequest(classic, `$aws/things/${thing}/jobs/start-next`, {});
  assert.equal(started.body.execution?.status, 'IN_PROGRESS', JSON.stringify(started.body));
  await disconnect(classic);
});

test('--auth sigv4: a wrong secret, a tampered URL and no signature are refused at the upgrade', async () => {
  const wrongSecret = officialPresignedUrl({ mqtt5: true, secret: 'not-the-secret' });
  const refused = await upgrade(wrongSecret);
  assert.equal(refused.status, 403, `a wrong secret is refused: ${refused.status} ${refused.body}`);
  assert.equal(refused.headers['x-amzn-errortype'], 'InvalidSignatureException', JSON.stringify(refused.headers));
  // mqtt.js drops the WebSocket's "Unexpected server response: 403" (an error without a code) and reports only the
  // close; the status and error type are asserted on the bare upgrade above.
  const refusedByMqttJs = /closed before CONNACK|403/;
  await assert.rejects(connect(wrongSecret, { protocolVersion: 5 }), refusedByMqttJs, 'mqtt.js gets no connection with a wrong secret');

  const good = officialPresignedUrl({ mqtt5: true });
  const tampered = good.replace(/X-Amz-Date=(\d{8}T\d{4})(\d{2})Z/, (_, head, ss) => `X-Amz-Date=${head}${String((Number(ss) + 1) % 60).padStart(2, '0')}Z`);
  assert.notEqual(tampered, good);
  assert.equal((await upgrade(tampered)).status, 403, 'a URL changed after signing is refused');

  const unknownKey = await upgrade(good.replace(`X-Amz-Credential=${ACCESS_KEY_ID}`, 'X-Amz-Credential=AKIDUNKNOWN'));
  assert.equal(unknownKey.status, 403);
  assert.equal(unknownKey.headers['x-amzn-errortype'], 'UnrecognizedClientException');

  const unsigned = await upgrade(wsUrl(SIGV4_HTTP));
  assert.equal(unsigned.status, 403, `an unsigned upgrade is refused: ${unsigned.status} ${unsigned.body}`);
  assert.equal(unsigned.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
  await assert.rejects(connect(wsUrl(SIGV4_HTTP), { protocolVersion: 4 }), refusedByMqttJs, 'mqtt.js gets no connection unsigned');
});
