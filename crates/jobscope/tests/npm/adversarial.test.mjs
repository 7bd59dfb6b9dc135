// Adversarial inputs through the installed npm package, each with its expected outcome: a typed error or a
// warning, never a thrown wasm trap (RuntimeError, `unreachable`), a stack overflow or a hang. The same table as
// crates/jobscope/tests/adversarial.rs, seen from JavaScript. Each test has a timeout, so a hang fails it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRequest, buildRequest, parseResponse } from 'jobscope';

const LIMIT = { timeout: 60_000 };
const deep = (inner) => `${'['.repeat(100_000)}${inner}${']'.repeat(100_000)}`;
const text = (s) => new TextEncoder().encode(s);
const markupUnit = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const markup = markupUnit.repeat(Math.floor(32768 / markupUnit.length));
const nasty = 'a\\u0000b\\u0007c\\u001bd';
const tenThousand = Array.from({ length: 10_000 }, (_, i) => `"k${i}":"v${i}"`).join(',');
const megabyte = 'E'.repeat(1024 * 1024);

// [name, response, expected]. expected: { error: code, message?: RegExp } or { warnings: ["code field", …] }.
const RESPONSES = [
  ['100 000 levels in a member jobscope reads', { status: 200, body: `{"execution":{"jobDocument":${deep('')}}}` },
    { error: 'MalformedResponse', message: /^execution\.jobDocument: recursion limit exceeded/ }],
  ['100 000 levels in a member jobscope skips', { status: 200, body: `{"extra":${deep('1')},"execution":{"jobId":"j"}}` },
    { warnings: ['unknown_field extra'] }],
  ['100 000 levels in an error body', { status: 500, body: deep('') }, { error: 'HttpError' }],
  ['a 10 MB job document', { status: 200, body: `{"execution":{"jobId":"j","jobDocument":"${'d'.repeat(10 * 1024 * 1024)}"}}` },
    { warnings: ['document_too_long jobDocument'] }],
  ['10 MB of garbage', { status: 200, body: new Uint8Array(10 * 1024 * 1024).fill(0x78) },
    { error: 'MalformedResponse', message: /^the body is not valid JSON/ }],
  ['invalid UTF-8', { status: 200, body: new Uint8Array([...text('{"execution":{"jobId":"'), 0xc3, 0x28, ...text('"}}')]) },
    { error: 'MalformedResponse', message: /^the body is not valid UTF-8 \(first bad byte at offset 23\)$/ }],
  ['a lone surrogate escape', { status: 200, body: '{"execution":{"jobId":"\\udc00x"}}' },
    { error: 'MalformedResponse', message: /^execution\.jobId:/ }],
  ['a byte order mark before a result', { status: 200, body: text('\u{feff}{}') }, { warnings: ['byte_order_mark body'] }],
  ['a byte order mark before an error', { status: 404, body: text('\u{feff}{"__type":"ResourceNotFoundException"}') },
    { error: 'ResourceNotFoundException' }],
  ['1e400', { status: 200, body: '{"execution":{"versionNumber":1e400}}' },
    { error: 'MalformedResponse', message: /number out of range/ }],
  ['9223372036854775808', { status: 200, body: '{"execution":{"executionNumber":9223372036854775808}}' },
    { error: 'MalformedResponse', message: /^execution\.executionNumber: 9223372036854775808 does not fit a 64-bit signed integer \(long\)$/ }],
  ['-1e300 as a timestamp', { status: 200, body: '{"execution":{"queuedAt":-1e300}}' },
    { error: 'MalformedResponse', message: /^execution\.queuedAt:/ }],
  ['-0', { status: 200, body: '{"execution":{"executionNumber":-0,"queuedAt":-0.0}}' }, { warnings: [] }],
  ['i64::MIN as a version', { status: 200, body: '{"execution":{"versionNumber":-9223372036854775808}}' },
    { warnings: ['precision versionNumber', 'out_of_range versionNumber'] }],
  ['duplicate keys among 10 000 statusDetails', { status: 200, body: `{"execution":{"statusDetails":{${tenThousand},"k7":"again"}}}` },
    { warnings: ['duplicate_key statusDetails.k7'] }],
  ['NUL and control characters in every string field', {
    status: 200,
    body: `{"execution":{"jobId":"${nasty}","thingName":"${nasty}","status":"${nasty}","statusDetails":{"k":"${nasty}"},"jobDocument":"${nasty}"}}`,
  }, { warnings: ['invalid_value jobId', 'invalid_value thingName', 'unknown_status status', 'status_details_value statusDetails.k'], some: true }],
  ['a 1 MB header value', { status: 400, headers: { 'x-amzn-errortype': megabyte, 'x-amzn-requestid': megabyte }, body: '{}' },
    { error: megabyte }],
  ['a 32 KB document full of markup', { status: 200, body: JSON.stringify({ execution: { jobDocument: markup } }) }, { warnings: [] }],
];

for (const [name, response, expected] of RESPONSES) {
  test(`parseResponse: ${name}`, LIMIT, () => {
    let result;
    try {
      result = parseResponse(response, { plane: 'data' });
    } catch (e) {
      assert.fail(`threw ${e?.constructor?.name}: ${String(e?.message).slice(0, 200)}`);
    }
    if ('error' in expected) {
      assert.equal(result.kind, 'error', name);
      assert.equal(result.error.code, expected.error);
      if (expected.message) assert.match(result.error.message, expected.message);
      assert.equal(typeof result.error.explanation.title, 'string');
      return;
    }
    assert.notEqual(result.kind, 'error', `${name}: ${JSON.stringify(result.error?.message ?? '')}`);
    const warnings = result.warnings.map((w) => `${w.code} ${w.field}`);
    if (expected.some) for (const w of expected.warnings) assert.ok(warnings.includes(w), `${w} in ${warnings}`);
    else assert.deepEqual(warnings, expected.warnings);
  });
}

test('values survive as text: markup, NUL and control characters, 10 000 entries', LIMIT, () => {
  const markupResult = parseResponse({ status: 200, body: JSON.stringify({ execution: { jobDocument: markup } }) }, { plane: 'data' });
  assert.equal(markupResult.execution.jobDocument, markup);
  const control = parseResponse({ status: 200, body: `{"execution":{"jobDocument":"${nasty}"}}` }, { plane: 'data' });
  assert.equal(control.execution.jobDocument, 'a\0b\u0007c\u001bd');
  const many = parseResponse({ status: 200, body: `{"execution":{"statusDetails":{${tenThousand},"k7":"again"}}}` }, { plane: 'data' });
  assert.equal(Object.keys(many.execution.statusDetails).length, 10_000);
  assert.equal(many.execution.statusDetails.k7, 'again');
});

test('hostile request inputs get violations, not exceptions', LIMIT, () => {
  const long = 'a'.repeat(1_000_000);
  const cases = [
    [{ thingName: long, jobId: 'j' }, ['thingName']],
    [{ thingName: 't', jobId: long }, ['jobId']],
    [{ thingName: 'a\u0000b', jobId: 'j\u001b' }, ['thingName', 'jobId']],
    [{ thingName: '<script>', jobId: '../../x' }, ['thingName', 'jobId']],
    [{ thingName: '\ud800', jobId: '\u{feff}' }, ['thingName', 'jobId']],
    [{ thingName: 't', jobId: 'j', executionNumber: '9223372036854775808' }, ['executionNumber']],
    [{ thingName: 't', jobId: 'j', executionNumber: '1e400' }, ['executionNumber']],
    [{ thingName: 't', jobId: 'j', executionNumber: -0 }, []],
    [{ thingName: 't', jobId: 'j', executionNumber: Number.MAX_VALUE }, ['executionNumber']],
    [{ thingName: 't', jobId: 'j', executionNumber: NaN }, ['executionNumber']],
  ];
  for (const [input, fields] of cases) {
    const result = validateRequest(input);
    assert.deepEqual(result.violations.map((v) => v.field), fields, JSON.stringify(input).slice(0, 80));
    for (const v of result.violations) assert.ok(v.message.length > 0 && v.message.length < 400, v.message.slice(0, 400));
    if (fields.length) assert.throws(() => buildRequest(input), (e) => e.name === 'ValidationError');
  }
  // A 1 MB endpoint is refused as a violation too.
  assert.throws(() => buildRequest({ thingName: 't', jobId: 'j' }, { endpoint: `https://${long}` }), (e) => e.name === 'ValidationError');
});

test('the module is still healthy after every case', LIMIT, () => {
  assert.equal(validateRequest({ thingName: 't', jobId: 'j' }).valid, true);
  const ok = parseResponse({ status: 200, body: '{"execution":{"jobId":"j","status":"QUEUED"}}' }, { plane: 'data' });
  assert.equal(ok.kind, 'execution');
  console.log(`peak RSS of the process after the adversarial table: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
});
