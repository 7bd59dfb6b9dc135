// signRequest (`jobscope/sign`, its own WebAssembly module): signatures equal what the official JS SDK's
// @smithy/signature-v4 computes for the same requests, and secrets stay out of everything but the Authorization
// header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { buildRequest } from 'jobscope';
import { signRequest } from 'jobscope/sign';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const time = new Date('2026-11-22T10:11:12Z');

async function smithy(url, service, region, creds) {
  const u = new URL(url);
  const query = {};
  for (const [k, v] of u.searchParams) query[k] = v;
  // applyChecksum: false — these services sign host;x-amz-date (REFERENCE §3), no x-amz-content-sha256.
  const signer = new SignatureV4({ credentials: creds, region, service, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    { method: 'GET', protocol: u.protocol, hostname: u.hostname, port: u.port ? Number(u.port) : undefined,
      path: u.pathname, query, headers: { host: u.host } },
    { signingDate: time },
  );
  return signed.headers;
}

const cases = [
  [{ thingName: 'my:thing', jobId: '$next', executionNumber: '9007199254740993', includeJobDocument: false },
    'https://a1b2c3.jobs.iot.eu-west-1.amazonaws.com', 'eu-west-1'],
  [{ plane: 'control', thingName: 'MyRaspberryPi', jobId: 'example-job-01', executionNumber: 3 },
    'https://iot.us-east-1.amazonaws.com', 'us-east-1'],
  [{ thingName: 't_-:9', jobId: 'J-1' }, 'http://127.0.0.1:9090/emulator', 'us-west-2'],
];

test('signatures equal @smithy/signature-v4 for our requests, with and without a session token', async () => {
  for (const [input, endpoint, region] of cases) {
    const request = buildRequest(input, { endpoint });
    const service = request.plane === 'control' ? 'iot' : 'iot-jobs-data';
    for (const creds of [credentials, { ...credentials, sessionToken: 'FwoGZXIvYXdzEXAMPLE//token==' }]) {
      const ours = signRequest(request, creds, { region, time });
      const theirs = await smithy(request.url, service, region, creds);
      assert.equal(ours.authorization, theirs.authorization, request.url);
      assert.equal(ours['x-amz-date'], theirs['x-amz-date']);
      assert.equal(ours['x-amz-security-token'], theirs['x-amz-security-token']);
      assert.match(ours.authorization, new RegExp(`/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date${creds.sessionToken ? ';x-amz-security-token' : ''}, Signature=[0-9a-f]{64}$`));
    }
  }
});

test('the time is optional, as a Date or epoch milliseconds', () => {
  const request = buildRequest({ thingName: 't', jobId: 'j' }, { endpoint: 'https://iot.us-east-1.amazonaws.com' });
  const a = signRequest(request, credentials, { region: 'us-east-1', time: time.getTime() });
  const b = signRequest(request, credentials, { region: 'us-east-1', time });
  assert.deepEqual(a, b);
  const now = signRequest(request, credentials, { region: 'us-east-1' });
  assert.match(now['x-amz-date'], /^\d{8}T\d{6}Z$/);
});

test('bad arguments are clear errors that never echo the secret', () => {
  const request = buildRequest({ thingName: 't', jobId: 'j' }, { endpoint: 'https://iot.us-east-1.amazonaws.com' });
  const secret = credentials.secretAccessKey;
  const bad = [
    [() => signRequest(request, credentials), /options must be an object/],
    [() => signRequest(request, credentials, {}), /options\.region is required/],
    [() => signRequest(request, { accessKeyId: 'A' }, { region: 'us-east-1' }), /credentials\.secretAccessKey is required/],
    [() => signRequest({ url: '/relative' }, credentials, { region: 'us-east-1' }), /must start with http/],
    [() => signRequest(request, credentials, { region: 'us east' }), /not a region name/],
    [() => signRequest(request, credentials, { region: 'us-east-1', service: 's3' }), /options\.service must be/],
    [() => signRequest(request, credentials, { region: 'us-east-1', time: 'today' }), /options\.time must be a Date/],
    [() => signRequest(request, { ...credentials, accessKeyId: 5 }, { region: 'us-east-1' }), /accessKeyId must be a string/],
  ];
  for (const [call, message] of bad) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, message);
      assert.ok(!e.message.includes(secret));
      return true;
    });
  }
  const signed = signRequest(request, credentials, { region: 'us-east-1', time });
  assert.ok(!JSON.stringify(signed).includes(secret));
  assert.deepEqual(Object.keys(signed).sort(), ['authorization', 'x-amz-date']);
});

test('jobscope/sign is its own entry: the main entry has no signRequest and never loads the signing module', async () => {
  const main = await import('jobscope');
  assert.equal('signRequest' in main, false);
  const { readFileSync } = await import('node:fs');
  const dir = new URL('./node_modules/jobscope/', import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
  assert.deepEqual(Object.keys(pkg.exports['./sign']), ['types', 'node', 'default']);
  // Every file the main entries load, followed through their relative imports: none of them is the signer's.
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.js')) return;
    const text = readFileSync(new URL(file, dir), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)['"]\.\/([^'"]+)['"]/g)) visit(m[1]);
  };
  visit('node.js');
  visit('index.js');
  assert.ok(seen.has('jobscope_bg.wasm'), [...seen].join());
  assert.deepEqual([...seen].filter((f) => f.includes('sign')), []);
});
