// Node, one process: the npm package vs @aws-sdk/client-iot-jobs-data-plane vs JSON.parse on the same bytes, plus
// the browser bundle size of the SDK client + command made with esbuild here. Run by scripts/bench.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { build } from 'esbuild';
import { HttpResponse } from '@smithy/protocol-http';
import { IoTJobsDataPlaneClient, DescribeJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';

const ROOT = process.env.JOBSCOPE_ROOT;
const { validateRequest, buildRequest, parseResponse } = await import(`${ROOT}/crates/jobscope/pkg/node.js`);

const OK = readFileSync(`${ROOT}/fixtures/payloads/ok.json`, 'utf8');
const ERR404 = readFileSync(`${ROOT}/fixtures/payloads/err404.json`, 'utf8');
const THING = 'sensor-gateway-eu-west-0042';
const JOB = 'firmware-update-2024-06-15-batch-017';
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
    endpoint: 'https://a1b2c3.jobs.iot.us-east-1.amazonaws.com',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: new HttpResponse({ statusCode: payload.status, headers: payload.headers, body: Readable.from([Buffer.from(payload.body)]) }),
      }),
    },
  });
}

const rows = [];
const fmt = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const request = { thingName: THING, jobId: JOB };
for (const payload of payloads) {
  const response = { status: payload.status, headers: payload.headers, body: payload.body };
  const ours = await measure(() => parseResponse(response, { request }));
  const floor = await measure(() => JSON.parse(payload.body));
  const client = sdkClient(payload);
  const command = () => client.send(new DescribeJobExecutionCommand({ thingName: THING, jobId: JOB })).catch((e) => e);
  const sdk = await measure(command, { n: 3000, warmup: 3000, isAsync: true });
  rows.push([payload.name, fmt(floor), fmt(ours), fmt(sdk), (ours / sdk).toFixed(3)]);
}

const validate1 = await measure(() => validateRequest(request));
const build1 = await measure(() => { validateRequest(request); return buildRequest(request, { endpoint: 'https://a1b2c3.jobs.iot.us-east-1.amazonaws.com' }); });

// Browser bundle of the SDK client + command, made here.
const bundle = await build({
  stdin: { contents: "export { IoTJobsDataPlaneClient, DescribeJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';", resolveDir: ROOT },
  bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
});
const sdkBytes = bundle.outputFiles[0].contents;
const wasm = readFileSync(`${ROOT}/crates/jobscope/pkg/jobscope_bg.wasm`);
const glue = readFileSync(`${ROOT}/crates/jobscope/pkg/jobscope.js`);
const fast = readFileSync(`${ROOT}/crates/jobscope/pkg/fast.js`);
const gz = (b) => gzipSync(b, { level: 9 }).length;

console.log('| payload | JSON.parse (floor) | jobscope parseResponse | SDK send() (serialize+sign+deserialize) | jobscope ÷ SDK |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('');
console.log(`validateRequest + buildRequest: ${fmt(build1)} per call`);
console.log(`validateRequest alone: ${fmt(validate1)} per call`);
console.log('');
console.log('| browser bundle | raw | gzip -9 |');
console.log('|---|---|---|');
console.log(`| jobscope npm (wasm + JS glue + fast.js) | ${wasm.length + glue.length + fast.length} | ${gz(wasm) + gz(glue) + gz(fast)} |`);
console.log(`| @aws-sdk/client-iot-jobs-data-plane client + command (esbuild, minified ESM) | ${sdkBytes.length} | ${gz(sdkBytes)} |`);
