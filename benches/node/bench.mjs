// Node, one process: the npm package vs JSON.parse on the same bytes (the floor), vs a hand-written reference for
// validate+build, and vs @aws-sdk/client-iot-jobs-data-plane; plus what the package costs a browser (its main entry,
// as the size budget counts it, and jobscope/sign) beside the SDK client + command bundled with esbuild here.
// Run by scripts/bench.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { build } from 'esbuild';
import { HttpResponse } from '@smithy/protocol-http';
import { IoTJobsDataPlaneClient, DescribeJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';

const ROOT = process.env.JOBSCOPE_ROOT;
const PKG = `${ROOT}/crates/jobscope/pkg`;
const { validateRequest, buildRequest, parseResponse } = await import(`${PKG}/node.js`);

const OK = readFileSync(`${ROOT}/fixtures/payloads/ok.json`, 'utf8');
const ERR404 = readFileSync(`${ROOT}/fixtures/payloads/err404.json`, 'utf8');
const THING = 'sensor-gateway-eu-west-0042';
const JOB = 'firmware-update-2024-06-15-batch-017';
const ENDPOINT = 'https://a1b2c3.jobs.iot.us-east-1.amazonaws.com';
const payloads = [
  { name: 'ok.json (0.9 KB)', status: 200, headers: { 'content-type': 'application/json' }, body: OK },
  { name: 'err404.json', status: 404, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' }, body: ERR404 },
];

/** Median ns per call over 5 rounds of `n` calls, after `warmup` calls. */
async function measure(fn, { n = 20000, warmup = 5000, isAsync = false } = {}) {
  for (let i = 0; i < warmup; i++) isAsync ? await fn() : fn();
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) isAsync ? await fn() : fn();
    rounds.push(Number(process.hrtime.bigint() - start) / n);
  }
  rounds.sort((a, b) => a - b);
  return rounds[2];
}

function sdkClient(payload) {
  return new IoTJobsDataPlaneClient({
    region: 'us-east-1',
    endpoint: ENDPOINT,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: new HttpResponse({ statusCode: payload.status, headers: payload.headers, body: Readable.from([Buffer.from(payload.body)]) }),
      }),
    },
  });
}

// The reference for validate+build: what a hand-written client does for the same input — a regex check of
// thingName and jobId, and the URL built with encodeURIComponent.
const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const JOB_ID = /^(?:[a-zA-Z0-9_-]{1,64}|\$next)$/;
function reference(input, endpoint) {
  if (!THING_NAME.test(input.thingName) || !JOB_ID.test(input.jobId)) throw new Error('invalid request');
  return `${endpoint}/things/${encodeURIComponent(input.thingName)}/jobs/${encodeURIComponent(input.jobId)}`;
}

let sink;
const rows = [];
const fmt = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const request = { thingName: THING, jobId: JOB };
for (const payload of payloads) {
  const response = { status: payload.status, headers: payload.headers, body: payload.body };
  const ours = await measure(() => { sink = parseResponse(response, { request }); });
  const floor = await measure(() => { sink = JSON.parse(payload.body); });
  const client = sdkClient(payload);
  const command = () => client.send(new DescribeJobExecutionCommand({ thingName: THING, jobId: JOB })).catch((e) => e);
  const sdk = await measure(command, { n: 3000, warmup: 3000, isAsync: true });
  rows.push([payload.name, fmt(floor), fmt(ours), `${(ours / floor).toFixed(1)}×`, fmt(sdk), (ours / sdk).toFixed(3)]);
}

const validateOnly = await measure(() => { sink = validateRequest(request); });
const validateBuild = await measure(() => { validateRequest(request); sink = buildRequest(request, { endpoint: ENDPOINT }); });
const handWritten = await measure(() => { sink = reference(request, ENDPOINT); });

// What a browser loads for an entry: the entry, every JS file it imports (transitively) and every .wasm it fetches,
// each gzip -9 (as scripts/build-npm counts it).
function entrySize(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.js')) return;
    const text = readFileSync(`${PKG}/${file}`, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)['"]\.\/([^'"]+)['"]/g)) visit(m[1]);
  };
  visit(entry);
  let raw = 0;
  let gz = 0;
  for (const file of seen) {
    raw += readFileSync(`${PKG}/${file}`).length;
    gz += execFileSync('gzip', ['-9c', `${PKG}/${file}`]).length;
  }
  return { raw, gz, files: [...seen].join(', ') };
}

// Browser bundle of the SDK client + command, made here.
const bundle = await build({
  stdin: { contents: "export { IoTJobsDataPlaneClient, DescribeJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';", resolveDir: ROOT },
  bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
});
const sdkBytes = bundle.outputFiles[0].contents;
const main = entrySize('index.js');
const sign = entrySize('sign.js');

console.log('| payload | JSON.parse (floor) | jobscope parseResponse | ÷ JSON.parse | SDK send() (serialize+sign+deserialize) | jobscope ÷ SDK |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('');
console.log('| call | time | ÷ reference |');
console.log('|---|---|---|');
console.log(`| reference: regex check of thingName/jobId + encodeURIComponent URL | ${fmt(handWritten)} | 1.0× |`);
console.log(`| jobscope validateRequest + buildRequest | ${fmt(validateBuild)} | ${(validateBuild / handWritten).toFixed(1)}× |`);
console.log(`| jobscope validateRequest alone | ${fmt(validateOnly)} | ${(validateOnly / handWritten).toFixed(1)}× |`);
console.log('');
console.log('| browser bundle | raw | gzip -9 |');
console.log('|---|---|---|');
console.log(`| jobscope main entry (${main.files}) | ${main.raw} | ${main.gz} |`);
console.log(`| jobscope/sign (${sign.files}) | ${sign.raw} | ${sign.gz} |`);
console.log(`| @aws-sdk/client-iot-jobs-data-plane client + command (esbuild, minified ESM) | ${sdkBytes.length} | ${gzipSync(sdkBytes, { level: 9 }).length} |`);
