// parseMqttMessage and buildRequest's MQTT form, from the installed tarball (scripts/test-npm): every case of
// fixtures/mqtt.json (also read by the native and wasm-in-Chromium tests), with the payload as a string, a
// Uint8Array, a Node Buffer and an ArrayBuffer, as MQTT clients deliver it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest, parseMqttMessage, parseResponse } from 'jobscope';
import { readFixtures, canon, jsInput } from './fixtures.mjs';

const KINDS = ['execution', 'none', 'pending', 'updated', 'error'];
const warningList = (result) => result.warnings.map((w) => `${w.code} ${w.field}`);

// The payload in each form an MQTT client may hand over. The Buffer is a slice of a larger one (byteOffset > 0),
// as Node's pooled Buffers are.
function payloads(text) {
  const bytes = new TextEncoder().encode(text);
  const pooled = Buffer.concat([Buffer.from('garbage before'), Buffer.from(bytes)]).subarray(14);
  assert.ok(pooled.byteOffset > 0 || pooled.buffer.byteLength > pooled.length);
  return [['string', text], ['Uint8Array', bytes], ['Buffer', pooled], ['ArrayBuffer', bytes.slice().buffer]];
}

test('every MQTT fixture, with the payload in every form', () => {
  const cases = readFixtures('mqtt.json');
  assert.ok(cases.length >= 25);
  const seen = new Set();
  for (const c of cases) {
    const options = {};
    if (c.request) options.request = jsInput(c.request);
    if (c.clientToken !== undefined) options.clientToken = c.clientToken;
    const result = parseMqttMessage({ topic: c.topic, payload: c.payload }, options);
    for (const [form, payload] of payloads(c.payload)) {
      assert.deepEqual(parseMqttMessage({ topic: c.topic, payload }, options), result, `${c.name}: payload as ${form}`);
    }
    const want = c.expect;
    seen.add(result.kind);
    assert.equal(result.kind, want.kind, `${c.name}: ${JSON.stringify(result.error ?? '')}`);
    switch (result.kind) {
      case 'error': {
        const error = result.error;
        assert.deepEqual(Object.keys(result), ['kind', 'error'], c.name);
        assert.equal(error.code, want.error.code, c.name);
        assert.equal(error.httpStatus, want.error.httpStatus, c.name);
        assert.equal(error.retryable, want.error.retryable, c.name);
        if ('message' in want.error) assert.equal(error.message, want.error.message, c.name);
        if ('messageStartsWith' in want.error) assert.ok(error.message.startsWith(want.error.messageStartsWith), `${c.name}: ${error.message}`);
        if ('explanationTitle' in want.error) assert.equal(error.explanation.title, want.error.explanationTitle, c.name);
        if ('executionState' in want.error) assert.deepEqual(canon(error.executionState), canon(want.error.executionState), c.name);
        else assert.equal('executionState' in error, false, c.name);
        assert.ok(error.explanation.actions.length > 0, c.name);
        assert.equal(error.explanation.retryable, error.retryable, c.name);
        break;
      }
      case 'execution':
        assert.deepEqual(Object.keys(result), ['kind', 'execution', 'warnings'], c.name);
        assert.deepEqual(canon(result.execution), canon(want.execution), c.name);
        assert.deepEqual(warningList(result), want.warnings, c.name);
        break;
      case 'none':
        assert.deepEqual(Object.keys(result), ['kind', 'warnings'], c.name);
        assert.deepEqual(warningList(result), want.warnings, c.name);
        break;
      case 'pending': {
        const { kind, warnings, ...pending } = result;
        assert.deepEqual(Object.keys(pending), ['inProgressJobs', 'queuedJobs'], c.name);
        assert.deepEqual(canon(pending), canon(want.pending), c.name);
        assert.deepEqual(warningList(result), want.warnings, c.name);
        break;
      }
      case 'updated': {
        const { kind, warnings, ...answer } = result;
        assert.deepEqual(canon(answer), canon(want.answer), c.name);
        assert.deepEqual(warningList(result), want.warnings, c.name);
        break;
      }
      default:
        assert.fail(`${c.name}: unknown kind ${result.kind}`);
    }
  }
  assert.deepEqual([...seen].sort(), [...KINDS].sort(), 'the fixtures cover every kind');
});

test('an execution reads the same over MQTT as over HTTP, but for jobDocument arriving as an object', () => {
  const execution = { jobId: 'job-1', thingName: 'sensor-1', status: 'QUEUED', queuedAt: 1700000000, versionNumber: 1, executionNumber: 1 };
  const request = { thingName: 'sensor-1', jobId: 'job-1' };
  const http = parseResponse({ status: 200, body: JSON.stringify({ execution: { ...execution, jobDocument: '{"op":"x","a":1}' } }) }, { request });
  const mqtt = parseMqttMessage({
    topic: '$aws/things/sensor-1/jobs/job-1/get/accepted',
    payload: JSON.stringify({ timestamp: 1700000001, execution: { ...execution, jobDocument: { op: 'x', a: 1 } } }),
  }, { request });
  assert.deepEqual(mqtt, http);
  assert.equal(mqtt.execution.jobDocument, '{"op":"x","a":1}');
});

test('buildRequest puts clientToken in the MQTT payload, and parseMqttMessage checks the reply against it', () => {
  const input = { thingName: 'sensor-1', jobId: '$next', executionNumber: 9007199254740993n, includeJobDocument: false };
  const plain = buildRequest(input);
  assert.equal(plain.mqtt.payload, '{"executionNumber":9007199254740993,"includeJobDocument":false}');
  for (const clientToken of ['c-1', '', 'quote " backslash \\ newline \n', 'é😀\u0000', 'x'.repeat(300)]) {
    const built = buildRequest(input, { clientToken });
    const { mqtt } = built;
    assert.deepEqual({ ...built, mqtt: plain.mqtt }, plain, 'only the MQTT payload changes');
    assert.equal(mqtt.topic, '$aws/things/sensor-1/jobs/$next/get');
    assert.ok(mqtt.payload.startsWith('{"clientToken":'), mqtt.payload);
    assert.ok(mqtt.payload.endsWith(',"executionNumber":9007199254740993,"includeJobDocument":false}'), mqtt.payload);
    assert.equal(JSON.parse(mqtt.payload).clientToken, clientToken);
    // With an endpoint too, through the same fast path.
    assert.deepEqual(buildRequest(input, { endpoint: 'http://127.0.0.1:9090', clientToken }).mqtt, mqtt);

    const reply = (token) => JSON.stringify({ clientToken: token, timestamp: 1700000000 });
    const matched = parseMqttMessage({ topic: mqtt.acceptedTopic, payload: reply(clientToken) }, { request: input, clientToken });
    assert.deepEqual(matched, { kind: 'none', warnings: [] });
    const other = parseMqttMessage({ topic: mqtt.acceptedTopic, payload: reply('someone-else') }, { request: input, clientToken });
    assert.deepEqual(warningList(other), ['request_mismatch clientToken']);
    assert.match(other.warnings[0].message, /^clientToken: is "someone-else", but the request sent ".*": this reply may answer another request$/s);
  }
  // The control plane has no MQTT form, token or not.
  assert.equal(buildRequest({ plane: 'control', thingName: 't', jobId: 'j' }, { clientToken: 'c' }).mqtt, undefined);
});

test('an mqtt.js packet object works as the message', () => {
  // mqtt.js: client.on('message', (topic, payload, packet) => …); the packet has topic and payload (a Buffer) too.
  const packet = {
    cmd: 'publish', retain: false, qos: 1, dup: false, length: 90, messageId: 7, properties: {},
    topic: '$aws/things/sensor-1/jobs/notify',
    payload: Buffer.from('{"timestamp":1700000000,"jobs":{"QUEUED":[{"jobId":"j-2","queuedAt":1700000000,"versionNumber":1,"executionNumber":9007199254740993}]}}'),
  };
  const result = parseMqttMessage(packet);
  assert.equal(result.kind, 'pending');
  assert.deepEqual(result.inProgressJobs, []);
  assert.deepEqual(result.queuedJobs, [{ jobId: 'j-2', queuedAt: 1700000000, versionNumber: 1, executionNumber: 9007199254740993n }]);
  assert.deepEqual(result.warnings, []);
});

test('rejections: every MQTT code explained, executionState only when sent, 64-bit versions exact', () => {
  const codes = {
    InvalidTopic: false, InvalidJson: false, InvalidRequest: false, InvalidStateTransition: false, ResourceNotFound: false,
    VersionMismatch: false, InternalError: true, RequestThrottled: true, TerminalStateReached: false,
  };
  for (const [code, retryable] of Object.entries(codes)) {
    const payload = JSON.stringify({ code, message: `m ${code}`, clientToken: 'c', timestamp: 1700000000 });
    const { kind, error } = parseMqttMessage({ topic: '$aws/things/t/jobs/j/update/rejected', payload }, { clientToken: 'c' });
    assert.equal(kind, 'error');
    assert.equal(error.code, code);
    assert.equal(error.httpStatus, 0);
    assert.equal(error.message, `m ${code}`);
    assert.equal(error.retryable, retryable, code);
    assert.notEqual(error.explanation.title, 'Unrecognised error', code);
    assert.equal('executionState' in error, false);
  }
  const payload = '{"code":"VersionMismatch","message":"stale","clientToken":"c","timestamp":1,'
    + '"executionState":{"status":"IN_PROGRESS","statusDetails":{"step":"2"},"versionNumber":9223372036854775807}}';
  const { error } = parseMqttMessage({ topic: '$aws/things/t/jobs/j/update/rejected', payload: new TextEncoder().encode(payload) });
  assert.deepEqual(error.executionState, { status: 'IN_PROGRESS', statusDetails: { step: '2' }, versionNumber: 9223372036854775807n });
  assert.equal(error.explanation.title, 'The execution changed since you read it');
});

test('an update accepted: executionState and jobDocument as text in wire order', () => {
  const payload = '{"clientToken":"c","timestamp":1,"executionState":{"status":"SUCCEEDED","statusDetails":{},"versionNumber":4},'
    + '"jobDocument":{"z":1,"a":[true,null]}}';
  const result = parseMqttMessage({ topic: '$aws/things/t/jobs/j/update/accepted', payload }, { clientToken: 'c' });
  assert.deepEqual(result, {
    kind: 'updated',
    executionState: { status: 'SUCCEEDED', statusDetails: {}, versionNumber: 4 },
    jobDocument: '{"z":1,"a":[true,null]}',
    warnings: [],
  });
  const bare = parseMqttMessage({ topic: '$aws/things/t/jobs/j/update/accepted', payload: '{"timestamp":1}' });
  assert.deepEqual(bare, { kind: 'updated', warnings: [] });
});

test('bad arguments throw clear TypeErrors; an invalid request throws ValidationError', () => {
  const topic = '$aws/things/t/jobs/j/get/accepted';
  const cases = [
    [() => parseMqttMessage(), /^message must be an object, got undefined$/],
    [() => parseMqttMessage('topic'), /^message must be an object, got a string \("topic"\)$/],
    [() => parseMqttMessage({ payload: '{}' }), /^message\.topic must be a string, got undefined$/],
    [() => parseMqttMessage({ topic: 5, payload: '{}' }), /^message\.topic must be a string, got a number \(5\)$/],
    [() => parseMqttMessage({ topic }), /^message\.payload must be a string, Uint8Array or ArrayBuffer, got undefined$/],
    [() => parseMqttMessage({ topic, payload: 5 }), /^message\.payload must be a string, Uint8Array or ArrayBuffer, got a number \(5\)$/],
    [() => parseMqttMessage({ topic, payload: [1] }), /^message\.payload must be a string, Uint8Array or ArrayBuffer, got an array$/],
    [() => parseMqttMessage({ topic, payload: '{}' }, 'c-1'), /^options must be an object, got a string/],
    [() => parseMqttMessage({ topic, payload: '{}' }, { clientToken: 5 }), /^options\.clientToken must be a string, got a number \(5\)$/],
    [() => parseMqttMessage({ topic, payload: '{}' }, { request: { thingname: 't', jobId: 'j' } }), /^options\.request has an unknown property "thingname" \(did you mean thingName\?\)/],
    [() => parseMqttMessage({ topic, payload: '{}' }, { request: { plane: 'control', thingName: 't', jobId: 'j' } }), /^options\.request\.plane must be 'data': the MQTT API is the data plane's, got 'control'$/],
    [() => buildRequest({ thingName: 't', jobId: 'j' }, { clientToken: 5 }), /^options\.clientToken must be a string, got a number \(5\)$/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof TypeError, `${message}: ${e}`);
      assert.match(e.message, message);
      return true;
    });
  }
  assert.throws(() => parseMqttMessage({ topic, payload: '{}' }, { request: { thingName: 'a b', jobId: 'j' } }), (e) => {
    assert.equal(e.name, 'ValidationError');
    assert.deepEqual(e.violations.map((v) => [v.field, v.code]), [['thingName', 'pattern']]);
    return true;
  });
  // null and undefined options are no options.
  assert.deepEqual(parseMqttMessage({ topic, payload: '{"timestamp":1}' }, null), parseMqttMessage({ topic, payload: '{"timestamp":1}' }));
});

test('hostile payloads are errors or warnings, never a trap', { timeout: 60_000 }, () => {
  const deep = (inner) => `${'['.repeat(100_000)}${inner}${']'.repeat(100_000)}`;
  const t = '$aws/things/t/jobs/';
  const cases = [
    [`${t}j/update/accepted`, `{"jobDocument":${deep('')}}`, 'MalformedResponse', /^not an UpdateJobExecution reply: recursion limit exceeded/],
    [`${t}notify`, `{"jobs":{"QUEUED":${deep('')}}}`, 'MalformedResponse', /invalid type: sequence, expected struct JobExecutionSummary/],
    [`${t}j/get/rejected`, `{"code":${deep('')}}`, 'MalformedResponse', /invalid type: sequence, expected a string/],
    [`${t}get/accepted`, new Uint8Array(10 * 1024 * 1024).fill(0x78), 'MalformedResponse', /^not a GetPendingJobExecutions reply: expected value/],
    [`${t}j/get/accepted`, new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]), 'MalformedResponse', /^the payload is not valid UTF-8 \(first bad byte at offset 1\)$/],
    [`${t}get/accepted`, '{"queuedJobs":[{"executionNumber":1e400}]}', 'MalformedResponse', /number out of range/],
    [`${t}get/accepted`, '{"queuedJobs":[{"jobId":"\\udc00"}]}', 'MalformedResponse', /lone leading surrogate/],
    [`${t}j/get/rejected`, '{"message":"no code"}', 'MalformedResponse', /^a rejection without a code$/],
    ['$aws/things/a b/jobs/j/get/accepted', '{}', 'MalformedResponse', /^topic: thingName: must contain only letters/],
    [`${t}j/get/accepted`, '   ', 'MalformedResponse', /^the payload is empty/],
  ];
  for (const [topic, payload, code, message] of cases) {
    let result;
    try {
      result = parseMqttMessage({ topic, payload });
    } catch (e) {
      assert.fail(`${topic}: threw ${e?.constructor?.name}: ${String(e?.message).slice(0, 200)}`);
    }
    assert.equal(result.kind, 'error', `${topic}: ${JSON.stringify(result).slice(0, 200)}`);
    assert.equal(result.error.code, code, topic);
    assert.match(result.error.message, message, topic);
  }
  // 100 000 levels in a member the list decoder does not know: skipped without recursion (and, unlike the
  // describe path's unknown_field, without a warning).
  const skipped = parseMqttMessage({ topic: `${t}notify`, payload: `{"jobs":{"QUEUED":[{"extra":${deep('1')},"jobId":"j"}]}}` });
  assert.deepEqual(skipped, { kind: 'pending', inProgressJobs: [], queuedJobs: [{ jobId: 'j' }], warnings: [] });
  // A rejection's unknown code is kept as sent and explained as unrecognised.
  const unknown = parseMqttMessage({ topic: `${t}j/get/rejected`, payload: '{"code":"SomethingNew","message":"?"}' });
  assert.equal(unknown.error.code, 'SomethingNew');
  assert.equal(unknown.error.explanation.title, 'Unrecognised error');
  // The module is still healthy.
  assert.equal(parseMqttMessage({ topic: `${t}$next/get/accepted`, payload: '{"timestamp":1}' }).kind, 'none');
});
