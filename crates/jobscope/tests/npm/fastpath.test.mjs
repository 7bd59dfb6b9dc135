// Every function takes a fast path for plain input (npm/api.js: the strings written straight into wasm memory, the
// other fields as numbers, one crossing). These tests hold it to the full path — wasm reading the JS values itself,
// which owns every error message — with the same results and the same errors: on the request, response and MQTT
// fixtures, and on thousands of generated inputs full of quotes, backslashes, NULs, control characters, non-ASCII,
// lone surrogates, edge numbers, bigints, wrong types, every kind of headers and body, and client tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateRequest, buildRequest, parseResponse, parseMqttMessage, explainError } from 'jobscope';
import { readFixtures, jsInput } from './fixtures.mjs';

// The full path of each function, in the same module instance the package initialised.
const { fullPath: full } = await import(new URL('./node_modules/jobscope/api.js', import.meta.url));
assert.notEqual(full.validateRequest, validateRequest);

function outcome(call) {
  try {
    return { value: call() };
  } catch (e) {
    return { error: { name: e.name, message: e.message, violations: e.violations, type: e.constructor.name } };
  }
}

// `args()` makes fresh arguments for each call (a generator or an iterator can be read only once).
function same(fast, slow, args, label) {
  assert.deepEqual(outcome(() => fast(...args())), outcome(() => slow(...args())), label);
}

function sameRequest(input, options, label) {
  same(validateRequest, full.validateRequest, () => [input], `validate ${label}`);
  same(buildRequest, full.buildRequest, () => [input, options], `build ${label}`);
}

let seed = 0x2545f491;
const next = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
const pick = (items) => items[Math.floor(next() * items.length)];
const ALPHABET = ['a', 'Z', '0', '9', '-', '_', ':', '$', '"', '\\', '\n', '\u0000', '\u001f', ' ', '/', '?', '#', '%', 'é', '😀', '\ud800', '\udc00', '<', "'"];
const text = () => Array.from({ length: Math.floor(next() * 12) }, () => pick(ALPHABET)).join('');
const name = () => pick([undefined, null, '', 'thing-1', 'sensor-gateway-eu-west-0042', '$next', 'a'.repeat(128), 'a'.repeat(129), text(), text(), 5, true, {}]);
const number = () => pick([undefined, null, 0, 1, -1, 3, 1.5, -0, NaN, Infinity, 2 ** 53, 2 ** 53 - 1, 2 ** 63, 9007199254740993n, -5n,
  9223372036854775807n, 9223372036854775808n, '7', '007', '-1', '1e3', ' 1', '9223372036854775808', '', text(), true, {}, []]);
const include = () => pick([undefined, null, true, false, 'true', 0]);
const plane = () => pick([undefined, undefined, null, 'data', 'control', 'both', '', 5]);
const token = () => pick([undefined, null, '', 'c-1', text(), text(), 'x'.repeat(200), 5, {}]);

function input() {
  const value = {};
  for (const [key, make] of [['plane', plane], ['thingName', name], ['jobId', name], ['executionNumber', number], ['includeJobDocument', include]]) {
    const v = make();
    if (v !== undefined || next() < 0.3) value[key] = v;
  }
  if (next() < 0.03) value.thingname = 'x';
  return value;
}

const show = (value) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes(${v.length})` : v))?.slice(0, 300);

test('validateRequest and buildRequest: the fast path agrees with the full path on every request fixture', () => {
  const { cases } = JSON.parse(readFileSync(`${process.env.JOBSCOPE_FIXTURES}/requests.json`, 'utf8'));
  for (const c of cases) {
    const value = { ...c.input };
    if (typeof value.executionNumber === 'number' && !Number.isSafeInteger(value.executionNumber) && Number.isInteger(value.executionNumber)) {
      value.executionNumber = BigInt(value.executionNumber);
    }
    sameRequest(value, c.endpoint === undefined ? undefined : { endpoint: c.endpoint }, c.name);
  }
});

test('validateRequest and buildRequest: the fast path agrees with the full path on 5000 generated inputs', () => {
  const endpoint = () => pick([undefined, undefined, null, 'https://a1b2c3.jobs.iot.us-east-1.amazonaws.com', 'http://127.0.0.1:9090/', 'http://[::1]:1/p//',
    'https://iot.eu-west-1.amazonaws.com/prefix', 'ftp://x', 'http://a..b', '', text(), 5]);
  for (let i = 0; i < 5000; i++) {
    const value = input();
    const options = pick([undefined, null, {}, { endpoint: endpoint() }, { endpoint: endpoint() }, { clientToken: token() },
      { endpoint: endpoint(), clientToken: token() }, 'http://x', []]);
    sameRequest(pick([value, value, value, value, null, 'input', [value]]), options, show(value));
  }
});

test('strings are cut where they were joined, even where lone surrogates meet', () => {
  // Joined, '\ud800' + '\udc00' is one character; the full path reads them one by one.
  for (const [thingName, jobId] of [['a\ud800', '\udc00b'], ['\ud800', '\udc00'], ['😀', '😀'], ['é', '\u0000']]) {
    sameRequest({ thingName, jobId }, { endpoint: 'http://h', clientToken: '\udc00' }, `${show(thingName)} ${show(jobId)}`);
    same(parseResponse, full.parseResponse, () => [{ status: 200, headers: { [jobId]: thingName }, body: '{}' }, { request: { thingName, jobId } }], show(thingName));
    same(parseMqttMessage, full.parseMqttMessage, () => [{ topic: `$aws/things/${thingName}/jobs/notify`, payload: '{}' }, { clientToken: jobId }], show(thingName));
  }
});

test('parseResponse: the fast path agrees with the full path on every response fixture', () => {
  for (const c of readFixtures('responses.json')) {
    const body = () => (c.bodyBase64 !== undefined ? new Uint8Array(Buffer.from(c.bodyBase64, 'base64')) : c.body);
    const options = () => {
      const o = { plane: c.plane };
      if (c.request) o.request = jsInput(c.request);
      return o;
    };
    same(parseResponse, full.parseResponse, () => [{ status: c.status, headers: c.headers, body: body() }, options()], c.name);
  }
});

test('parseResponse: the fast path agrees with the full path on 3000 generated responses', () => {
  const bodies = ['{}', '{"execution":{"jobId":"j","thingName":"t","status":"QUEUED","executionNumber":9007199254740993,"statusDetails":{"__proto__":"x","k":"v"}}}',
    '{"message":"gone"}', '{"__type":"ThrottlingException","message":"slow"}', 'not json', '', '{"execution":{"jobDocument":"é😀"}}',
    '{"execution":{"queuedAt":1.5,"thingArn":"arn:aws:iot:us-east-1:1:thing/t","statusDetails":{"detailsMap":{"a":"1"}}}}'];
  const headerSets = [
    () => undefined, () => null, () => ({}), () => ({ 'x-amzn-errortype': 'ResourceNotFoundException', 'x-amzn-requestid': 'r-1' }),
    (a) => ({ 'X-Amzn-ErrorType': a }), (a, b) => ({ [a]: b }), () => ({ 'a\u0000b': 'c' }), () => ({ a: 'b\u0000c' }),
    () => ({ a: 1 }), () => new Headers({ 'x-amzn-errortype': 'TerminalStateException', 'x-amzn-requestid': 'r-2' }),
    () => new Map([['x-amzn-errortype', 'ConflictException']]), () => [['x-amzn-errortype', 'ThrottlingException'], ['a', 'b']],
    () => [['a']], () => [['a', 1]], () => [{ 0: 'a', 1: 'b', length: 2 }], () => (function* entries() { yield ['x-amzn-errortype', 'ConflictException']; })(),
    () => 'x-amzn-errortype: a', () => 5,
  ];
  const bodyOf = (b) => pick([() => b, () => new TextEncoder().encode(b), () => new TextEncoder().encode(b).buffer, () => Buffer.from(b), () => 5, () => null]);
  for (let i = 0; i < 3000; i++) {
    const status = pick([200, 200, 200, 404, 410, 429, 500, 204, 100, 599, 99, 600, 200.5, '200', undefined]);
    const headerSet = pick(headerSets);
    const [a, b] = [text(), text()];
    const headers = () => headerSet(a, b);
    const body = bodyOf(pick(bodies));
    const request = pick([undefined, undefined, null, input(), { thingName: 't', jobId: 'j' }, { plane: 'control', thingName: 't', jobId: 'j' }, 'r']);
    const optionsPlane = plane();
    const options = pick([() => undefined, () => null, () => ({ plane: optionsPlane, request }), () => ({ request }), () => ({ plane: optionsPlane }), () => [], () => 'data']);
    const response = pick([() => ({ status, headers: headers(), body: body() }), () => ({ status, body: body() }), () => null, () => []]);
    const label = `${show(status)} ${show(request)}`;
    same(parseResponse, full.parseResponse, () => [response(), options()], label);
  }
});

test('parseMqttMessage: the fast path agrees with the full path on every MQTT fixture', () => {
  for (const c of readFixtures('mqtt.json')) {
    const payload = () => (c.payloadBase64 !== undefined ? new Uint8Array(Buffer.from(c.payloadBase64, 'base64')) : c.payload);
    const options = () => {
      const o = {};
      if (c.request) o.request = jsInput(c.request);
      if (c.clientToken !== undefined) o.clientToken = c.clientToken;
      return o;
    };
    same(parseMqttMessage, full.parseMqttMessage, () => [{ topic: c.topic, payload: payload() }, options()], c.name);
  }
});

test('parseMqttMessage: the fast path agrees with the full path on 3000 generated messages', () => {
  const topics = ['$aws/things/t/jobs/j/get/accepted', '$aws/things/t/jobs/$next/get/rejected', '$aws/things/t/jobs/notify',
    '$aws/things/t/jobs/notify-next', '$aws/things/t/jobs/get/accepted', '$aws/things/t/jobs/j/update/accepted', '$aws/things/t/jobs/j/get',
    'not/a/topic', ''];
  const payloads = ['{}', '{"clientToken":"c-1","execution":{"jobId":"j","status":"IN_PROGRESS","versionNumber":9007199254740993}}',
    '{"code":"VersionMismatch","message":"stale","executionState":{"status":"IN_PROGRESS","versionNumber":2}}',
    '{"jobs":{"QUEUED":[{"jobId":"j","executionNumber":1}]}}', '{"executionState":{"status":"SUCCEEDED"},"jobDocument":{"a":1}}', 'nope', ''];
  for (let i = 0; i < 3000; i++) {
    const topic = pick([...topics, ...topics, text(), 5, undefined]);
    const payload = pick(payloads);
    const body = pick([() => payload, () => new TextEncoder().encode(payload), () => new TextEncoder().encode(payload).buffer, () => Buffer.from(payload), () => 5]);
    const request = pick([undefined, undefined, null, input(), { thingName: 't', jobId: 'j' }, { plane: 'control', thingName: 't', jobId: 'j' }]);
    const clientToken = token();
    const options = pick([() => undefined, () => null, () => ({ request, clientToken }), () => ({ clientToken }), () => ({ request }), () => []]);
    const message = pick([() => ({ topic, payload: body() }), () => ({ topic, payload: body(), qos: 1, retain: false }), () => null, () => 'm']);
    same(parseMqttMessage, full.parseMqttMessage, () => [message(), options()], `${show(topic)} ${show(payload)}`);
  }
});

test('explainError: the fast path agrees with the full path, and both share one frozen explanation per kind', () => {
  const codes = ['ResourceNotFoundException', 'com.amazonaws.iot#TerminalStateException', 'ThrottlingException:http://x', 'NetworkError',
    'CorsBlocked', 'NoSuchError', '', '\ud800', 'é', 5, null, undefined, {}, ['a']];
  for (let i = 0; i < 200; i++) codes.push(text());
  for (const code of codes) same(explainError, full.explainError, () => [code], show(code));
  const e = explainError('ResourceNotFoundException');
  assert.equal(full.explainError('ResourceNotFoundException'), e);
  const parsed = parseResponse({ status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: '{}' });
  assert.equal(parsed.error.explanation, e);
  assert.ok(Object.isFrozen(e) && Object.isFrozen(e.causes) && Object.isFrozen(e.actions));
});
