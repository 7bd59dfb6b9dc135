// Tests of the packed npm package, installed from its tarball into a scratch project (scripts/test-npm).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRequest, buildRequest, parseResponse, explainError } from 'jobscope';
import { readFixtures, canon, jsInput } from './fixtures.mjs';

test('request fixtures', () => {
  const cases = readFixtures('requests.json');
  assert.ok(cases.length >= 40);
  for (const c of cases) {
    const input = jsInput(c.input);
    const result = validateRequest(input);
    if (c.expect.valid === false) {
      assert.deepEqual(result, { valid: false, violations: c.expect.violations }, c.name);
      assert.throws(() => buildRequest(input, { endpoint: c.endpoint }), (e) => {
        assert.equal(e.name, 'ValidationError', c.name);
        assert.ok(e instanceof Error);
        assert.deepEqual(e.violations, c.expect.violations, c.name);
        return true;
      });
      continue;
    }
    assert.deepEqual(result, { valid: true, violations: [] }, c.name);
    const built = buildRequest(input, c.endpoint === undefined ? undefined : { endpoint: c.endpoint });
    assert.equal(built.method, 'GET');
    assert.equal(built.path, c.expect.path, c.name);
    assert.equal(built.query, c.expect.query, c.name);
    assert.deepEqual(built.headers, { accept: 'application/json' });
    for (const key of ['url', 'curl', 'awsCli']) {
      if (key in c.expect) assert.equal(built[key], c.expect[key], `${c.name}: ${key}`);
    }
    if ('mqtt' in c.expect) {
      if (c.expect.mqtt === null) assert.equal(built.mqtt, undefined, c.name);
      else for (const [k, v] of Object.entries(c.expect.mqtt)) assert.equal(built.mqtt[k], v, `${c.name}: mqtt.${k}`);
    }
  }
});

test('response fixtures', () => {
  const cases = readFixtures('responses.json');
  assert.ok(cases.length >= 80);
  for (const c of cases) {
    const body = c.bodyBase64 !== undefined ? new Uint8Array(Buffer.from(c.bodyBase64, 'base64')) : c.body;
    const options = { plane: c.plane };
    if (c.request) options.request = jsInput(c.request);
    const result = parseResponse({ status: c.status, headers: c.headers, body }, options);
    assert.equal(result.kind, c.expect.kind, `${c.name}: ${JSON.stringify(result.error ?? '')}`);
    if (result.kind === 'error') {
      const want = c.expect.error;
      const error = result.error;
      assert.equal(error.code, want.code, c.name);
      assert.equal(error.httpStatus, want.httpStatus, c.name);
      assert.equal(error.retryable, want.retryable, c.name);
      if ('message' in want) assert.equal(error.message, want.message, c.name);
      if ('messageStartsWith' in want) assert.ok(error.message.startsWith(want.messageStartsWith), c.name);
      if ('requestId' in want) assert.equal(error.requestId, want.requestId, c.name);
      if ('payload' in want) assert.equal(error.payload, want.payload, c.name);
      if ('explanationTitle' in want) assert.equal(error.explanation.title, want.explanationTitle, c.name);
      assert.ok(error.explanation.actions.length > 0, c.name);
      continue;
    }
    assert.deepEqual(result.warnings.map((w) => `${w.code} ${w.field}`), c.expect.warnings, c.name);
    if (result.kind === 'execution') {
      assert.deepEqual(canon(result.execution), canon(c.expect.execution), c.name);
    }
  }
});

test('2^53: executionNumber travels exactly in both directions', () => {
  for (const executionNumber of ['9007199254740993', 9007199254740993n]) {
    const built = buildRequest({ thingName: 't', jobId: 'j', executionNumber });
    assert.equal(built.query, 'executionNumber=9007199254740993');
    assert.equal(built.mqtt.payload, '{"executionNumber":9007199254740993}');
  }
  const rounded = validateRequest({ thingName: 't', jobId: 'j', executionNumber: 9007199254740993 });
  assert.equal(rounded.violations[0].code, 'out_of_range');
  assert.match(rounded.violations[0].message, /pass it as a string or bigint/);
  assert.equal(validateRequest({ thingName: 't', jobId: 'j', executionNumber: Number.MAX_SAFE_INTEGER }).valid, true);
  assert.equal(validateRequest({ thingName: 't', jobId: 'j', executionNumber: 2n ** 63n }).violations[0].code, 'out_of_range');
  assert.equal(validateRequest({ thingName: 't', jobId: 'j', executionNumber: 2n ** 63n - 1n }).valid, true);

  const body = '{"execution":{"executionNumber":9007199254740993,"versionNumber":9007199254740991,"queuedAt":1718463600}}';
  const parsed = parseResponse({ status: 200, headers: {}, body }, { request: { thingName: 't', jobId: 'j', executionNumber: '9007199254740993' } });
  assert.equal(parsed.kind, 'execution');
  assert.equal(parsed.execution.executionNumber, 9007199254740993n);
  assert.equal(parsed.execution.versionNumber, 9007199254740991);
  assert.equal(typeof parsed.execution.queuedAt, 'number');
  assert.deepEqual(parsed.warnings.map((w) => w.code), ['precision']);
});

test('every long is a number when exact and a bigint beyond 2^53, whatever its field or sign', () => {
  const body = '{"execution":{"jobId":"\\u0000","statusDetails":{"__proto__":"x","n":"\\u0000123","d":"9007199254740993"},'
    + '"executionNumber":9223372036854775807,"versionNumber":-9007199254740993,"approximateSecondsBeforeTimedOut":9007199254740991,'
    + '"queuedAt":9007199254740992,"startedAt":-9007199254740991,"lastUpdatedAt":-9223372036854775808}}';
  const { execution } = parseResponse({ status: 200, body }, { plane: 'data' });
  assert.equal(execution.executionNumber, 9223372036854775807n);
  assert.equal(execution.versionNumber, -9007199254740993n);
  assert.equal(execution.approximateSecondsBeforeTimedOut, 9007199254740991);
  assert.equal(execution.queuedAt, 9007199254740992n);
  assert.equal(execution.startedAt, -9007199254740991);
  assert.equal(execution.lastUpdatedAt, -9223372036854775808n);
  // Strings stay strings, even those that start with NUL or digits; a __proto__ key is kept as an own property.
  assert.equal(execution.jobId, '\u0000');
  assert.deepEqual(Object.entries(execution.statusDetails), [['__proto__', 'x'], ['n', '\u0000123'], ['d', '9007199254740993']]);
  assert.equal(Object.getPrototypeOf(execution.statusDetails), Object.prototype);

  const control = parseResponse({ status: 200, body: '{"execution":{"queuedAt":1560787023.636,"startedAt":1560787024,"lastUpdatedAt":1e9}}' }, { plane: 'control' });
  assert.equal(control.execution.queuedAt, 1560787023.636);
  assert.equal(control.execution.startedAt, 1560787024);
  assert.equal(control.execution.lastUpdatedAt, 1e9);
});

test('header names are case-insensitive, and fetch Headers work', () => {
  const body = '{"message":"gone"}';
  for (const name of ['x-amzn-errortype', 'X-Amzn-ErrorType', 'X-AMZN-ERRORTYPE']) {
    const r = parseResponse({ status: 410, headers: { [name]: 'TerminalStateException' }, body });
    assert.equal(r.error.code, 'TerminalStateException');
  }
  const headers = new Headers({ 'X-Amzn-ErrorType': 'ThrottlingException', 'x-amzn-RequestId': 'r-9' });
  const r = parseResponse({ status: 429, headers, body: new TextEncoder().encode('{"message":"slow"}') });
  assert.equal(r.error.code, 'ThrottlingException');
  assert.equal(r.error.requestId, 'r-9');
  assert.equal(r.error.retryable, true);
  const buffer = new TextEncoder().encode('{}').buffer;
  assert.equal(parseResponse({ status: 200, body: buffer }).kind, 'none');
});

test('explainError', () => {
  const e = explainError('com.amazonaws.iot#TerminalStateException');
  assert.equal(e.title, 'The execution has already ended');
  assert.match(e.meaning, /control plane still describes/);
  assert.equal(e.retryable, false);
  assert.equal(explainError('ThrottlingException').retryable, true);
  assert.equal(explainError('CorsBlocked').title, 'Blocked by the browser (CORS)');
  assert.equal(explainError('NoSuchError').title, 'Unrecognised error');
  for (const key of ['title', 'meaning', 'causes', 'actions', 'retryable']) assert.ok(key in e);
});

test('explanations are shared and deep-frozen: one object per explanation, the same in every result', () => {
  const r = parseResponse({ status: 410, headers: { 'x-amzn-errortype': 'TerminalStateException' }, body: '{"message":"done"}' });
  const again = parseResponse({ status: 410, headers: new Headers({ 'x-amzn-errortype': 'TerminalStateException' }), body: '{}' });
  const e = r.error.explanation;
  assert.deepEqual(Object.keys(r.error), ['code', 'httpStatus', 'message', 'retryable', 'explanation']);
  assert.deepEqual(Object.keys(e), ['title', 'meaning', 'causes', 'actions', 'retryable']);
  assert.equal(again.error.explanation, e);
  assert.equal(explainError('TerminalStateException'), e);
  assert.ok(Object.isFrozen(e) && Object.isFrozen(e.causes) && Object.isFrozen(e.actions));
  assert.throws(() => { 'use strict'; e.title = 'x'; }, TypeError);
  assert.throws(() => e.actions.push('x'), TypeError);
  // The explanation follows the error, not only its code: an AccessDenied "Invalid endpoint" has its own.
  const endpoint = parseResponse({ status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' }, body: '{"message":"Invalid endpoint: x"}' });
  const denied = parseResponse({ status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' }, body: '{"message":"no"}' });
  assert.notEqual(endpoint.error.explanation, denied.error.explanation);
  assert.equal(denied.error.explanation, explainError('AccessDeniedException'));
});

test('bad arguments throw clear TypeErrors, never a wasm trap', () => {
  const cases = [
    [() => validateRequest(), /^input must be an object, got undefined$/],
    [() => validateRequest(null), /^input must be an object, got null$/],
    [() => validateRequest('t'), /^input must be an object, got a string \("t"\)$/],
    [() => validateRequest([]), /^input must be an object, got an array$/],
    [() => validateRequest({ thingName: 5, jobId: 'j' }), /^input\.thingName must be a string, got a number \(5\)$/],
    [() => validateRequest({ thingName: 't', jobId: 'j', includeJobDocument: 'yes' }), /^input\.includeJobDocument must be a boolean/],
    [() => validateRequest({ thingName: 't', jobId: 'j', executionNumber: {} }), /^input\.executionNumber must be a number, bigint or string of digits, got an object$/],
    [() => validateRequest({ thingname: 't', jobId: 'j' }), /unknown property "thingname" \(did you mean thingName\?\)/],
    [() => validateRequest({ plane: 'both', thingName: 't', jobId: 'j' }), /^input\.plane: must be "data" or "control", got "both"$/],
    [() => buildRequest({ thingName: 't', jobId: 'j' }, 'http://x'), /^options must be an object/],
    [() => buildRequest({ thingName: 't', jobId: 'j' }, { endpoint: 5 }), /^options\.endpoint must be a string/],
    [() => parseResponse(), /^response must be an object, got undefined$/],
    [() => parseResponse({ status: '200', body: '' }), /^response\.status must be an HTTP status from 100 to 599, got a string/],
    [() => parseResponse({ status: 99, body: '' }), /^response\.status must be an HTTP status/],
    [() => parseResponse({ status: 200, body: 5 }), /^response\.body must be a string, Uint8Array or ArrayBuffer, got a number \(5\)$/],
    [() => parseResponse({ status: 200, headers: { a: 1 }, body: '' }), /^response\.headers\["a"\] must be a string/],
    [() => parseResponse({ status: 200, headers: [['a']], body: '' }), /entries must be \[name, value\] string pairs/],
    [() => parseResponse({ status: 200, body: '' }, { plane: 'x' }), /^options\.plane: must be "data" or "control"/],
    [() => parseResponse({ status: 200, body: '' }, { plane: 'data', request: { plane: 'control', thingName: 't', jobId: 'j' } }), /options\.plane is 'data' but options\.request\.plane is 'control'/],
    [() => explainError(5), /^code must be a string, got a number \(5\)$/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof TypeError, `${message}: ${e}`);
      assert.ok(!(e instanceof WebAssembly.RuntimeError));
      assert.match(e.message, message);
      return true;
    });
  }
  // The module still works after every failure.
  assert.equal(validateRequest({ thingName: 't', jobId: 'j' }).valid, true);
});

test('invalid request and endpoint in options throw ValidationError', () => {
  assert.throws(() => buildRequest({ thingName: 't', jobId: 'j' }, { endpoint: 'ftp://x' }), (e) => {
    assert.equal(e.name, 'ValidationError');
    assert.deepEqual(e.violations.map((v) => [v.field, v.code]), [['endpoint', 'pattern']]);
    return true;
  });
  assert.throws(() => parseResponse({ status: 200, body: '{}' }, { request: { thingName: '', jobId: 'j' } }), (e) => {
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.message, 'thingName: must be 1 to 128 characters, got 0');
    return true;
  });
});

test('options.request decides the plane', () => {
  const body = '{"execution":{"statusDetails":{"detailsMap":{"a":"1"}},"thingArn":"arn:aws:iot:us-east-1:1:thing/t"}}';
  const r = parseResponse({ status: 200, body }, { request: { plane: 'control', thingName: 't', jobId: 'j' } });
  assert.deepEqual(r.execution.statusDetails, { a: '1' });
  assert.deepEqual(r.warnings, []);
});
