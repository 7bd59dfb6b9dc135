// validateRequest and buildRequest take a fast path for plain input (npm/fast.js: the fields as arguments, one JSON
// string back). These tests hold it to the full path in jobscope.js — same results, same errors — on the request
// fixtures and on 5000 generated inputs full of quotes, backslashes, control characters, non-ASCII, edge numbers,
// bigints, wrong types and client tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateRequest, buildRequest } from 'jobscope';

// The full path: the wasm-bindgen module itself (the same instance the package initialised).
const full = await import(new URL('./node_modules/jobscope/jobscope.js', import.meta.url));
assert.notEqual(full.validateRequest, validateRequest);

function outcome(call) {
  try {
    return { value: call() };
  } catch (e) {
    return { error: { name: e.name, message: e.message, violations: e.violations, type: e.constructor.name } };
  }
}

function same(input, options, label) {
  assert.deepEqual(outcome(() => validateRequest(input)), outcome(() => full.validateRequest(input)), `validate ${label}`);
  assert.deepEqual(outcome(() => buildRequest(input, options)), outcome(() => full.buildRequest(input, options)), `build ${label}`);
}

test('the fast path agrees with the full path on every request fixture', () => {
  const { cases } = JSON.parse(readFileSync(`${process.env.JOBSCOPE_FIXTURES}/requests.json`, 'utf8'));
  for (const c of cases) {
    const input = { ...c.input };
    if (typeof input.executionNumber === 'number' && !Number.isSafeInteger(input.executionNumber) && Number.isInteger(input.executionNumber)) {
      input.executionNumber = BigInt(input.executionNumber);
    }
    same(input, c.endpoint === undefined ? undefined : { endpoint: c.endpoint }, c.name);
  }
});

test('the fast path agrees with the full path on 5000 generated inputs', () => {
  let seed = 0x2545f491;
  const next = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
  const pick = (items) => items[Math.floor(next() * items.length)];
  const ALPHABET = ['a', 'Z', '0', '9', '-', '_', ':', '$', '"', '\\', '\n', '\u0000', '\u001f', ' ', '/', '?', '#', '%', 'é', '😀', '\ud800', '<', "'"];
  const text = () => Array.from({ length: Math.floor(next() * 12) }, () => pick(ALPHABET)).join('');
  const name = () => pick([undefined, null, '', 'thing-1', 'sensor-gateway-eu-west-0042', '$next', 'a'.repeat(128), 'a'.repeat(129), text(), text(), 5, true, {}]);
  const number = () => pick([undefined, null, 0, 1, -1, 3, 1.5, -0, NaN, Infinity, 2 ** 53, 2 ** 53 - 1, 2 ** 63, 9007199254740993n, -5n,
    9223372036854775807n, 9223372036854775808n, '7', '007', '-1', '1e3', ' 1', '9223372036854775808', '', text(), true, {}, []]);
  const include = () => pick([undefined, null, true, false, 'true', 0]);
  const plane = () => pick([undefined, undefined, null, 'data', 'control', 'both', '', 5]);
  const token = () => pick([undefined, null, '', 'c-1', text(), text(), 'x'.repeat(200), 5, {}]);
  const endpoint = () => pick([undefined, undefined, null, 'https://a1b2c3.jobs.iot.us-east-1.amazonaws.com', 'http://127.0.0.1:9090/', 'http://[::1]:1/p//',
    'https://iot.eu-west-1.amazonaws.com/prefix', 'ftp://x', 'http://a..b', '', text(), 5]);
  for (let i = 0; i < 5000; i++) {
    const input = {};
    for (const [key, make] of [['plane', plane], ['thingName', name], ['jobId', name], ['executionNumber', number], ['includeJobDocument', include]]) {
      const value = make();
      if (value !== undefined || next() < 0.3) input[key] = value;
    }
    if (next() < 0.03) input.thingname = 'x';
    const options = pick([undefined, null, {}, { endpoint: endpoint() }, { endpoint: endpoint() }, { clientToken: token() },
      { endpoint: endpoint(), clientToken: token() }, 'http://x', []]);
    same(pick([input, input, input, input, null, 'input', [input]]), options, JSON.stringify(input, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
  }
});
