// The installed package in a real browser: a plain <script type="module"> page served over HTTP, in headless
// Chromium driven by Playwright — the main entry (which must not fetch the signing module), then `jobscope/sign`.
// Run from the scratch project of scripts/test-npm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { buildRequest } from 'jobscope';
import { signRequest } from 'jobscope/sign';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const PAGE = `<!doctype html><meta charset="utf-8"><title>jobscope in a browser</title><pre id="out">running</pre>
<script type="module">
  import { validateRequest, buildRequest, parseResponse, parseMqttMessage, explainError } from './node_modules/jobscope/index.js';
  const built = buildRequest({ thingName: 'my:thing', jobId: '$next', executionNumber: 9007199254740993n });
  const parsed = parseResponse({ status: 200, headers: {}, body: '{"execution":{"executionNumber":9007199254740993,"status":"QUEUED"}}' });
  const error = parseResponse({ status: 410, headers: { 'X-Amzn-ErrorType': 'TerminalStateException' }, body: '{"message":"done"}' });
  const mqtt = buildRequest({ thingName: 'my:thing', jobId: 'job-1' }, { clientToken: 'c-1' }).mqtt;
  const rejected = new TextEncoder().encode('{"code":"VersionMismatch","message":"stale","clientToken":"c-1","timestamp":1,'
    + '"executionState":{"status":"IN_PROGRESS","versionNumber":9007199254740993}}');
  const mqttError = parseMqttMessage({ topic: mqtt.rejectedTopic, payload: rejected.buffer }, { clientToken: 'c-1' }).error;
  const notify = parseMqttMessage({ topic: '$aws/things/my:thing/jobs/notify', payload: '{"jobs":{"QUEUED":[{"jobId":"j"}]}}' });
  let typeError = '';
  try { validateRequest(null); } catch (e) { typeError = e.constructor.name + ': ' + e.message; }
  window.result = {
    url: built.url,
    valid: validateRequest({ thingName: 'a b', jobId: 'j' }).violations.map((v) => v.code),
    executionNumber: String(parsed.execution.executionNumber),
    bigint: typeof parsed.execution.executionNumber,
    error: error.error.code + ' ' + error.error.explanation.title,
    explain: explainError('CorsBlocked').retryable,
    mqttPayload: mqtt.payload,
    mqttError: mqttError.code + ' ' + mqttError.explanation.title + ' ' + typeof mqttError.executionState.versionNumber,
    notify: notify.kind + ' ' + notify.queuedJobs.map((j) => j.jobId).join(),
    typeError,
  };
  document.getElementById('out').textContent = JSON.stringify(window.result);
</script>`;
const SIGN_PAGE = `<!doctype html><meta charset="utf-8"><title>jobscope/sign in a browser</title><pre id="out">running</pre>
<script type="module">
  import { buildRequest } from './node_modules/jobscope/index.js';
  import { signRequest } from './node_modules/jobscope/sign.js';
  const built = buildRequest({ thingName: 't', jobId: 'j' }, { endpoint: 'https://a1b2c3.jobs.iot.us-east-1.amazonaws.com' });
  window.result = signRequest(built, { accessKeyId: 'AKID', secretAccessKey: 'secret' }, { region: 'us-east-1', time: 1700000000000 });
  document.getElementById('out').textContent = JSON.stringify(window.result);
</script>`;

test('the package works from a plain <script type="module"> in Chromium', async () => {
  const root = process.cwd();
  const server = createServer(async (req, res) => {
    const path = req.url === '/' ? '/index.html' : normalize(decodeURIComponent(req.url.split('?')[0]));
    try {
      const body = path === '/index.html' ? PAGE : path === '/sign.html' ? SIGN_PAGE : await readFile(join(root, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    const fetched = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15000 });
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(errors, []);
    assert.deepEqual(result, {
      url: '/things/my%3Athing/jobs/%24next?executionNumber=9007199254740993',
      valid: ['pattern'],
      executionNumber: '9007199254740993',
      bigint: 'bigint',
      error: 'TerminalStateException The execution has already ended',
      explain: false,
      mqttPayload: '{"clientToken":"c-1"}',
      mqttError: 'VersionMismatch The execution changed since you read it bigint',
      notify: 'pending j',
      typeError: 'TypeError: input must be an object, got null',
    });
    // The main entry loads its module only.
    assert.ok(fetched.includes('/node_modules/jobscope/jobscope_bg.wasm'), fetched.join(' '));
    assert.deepEqual(fetched.filter((path) => path.includes('sign')), []);

    await page.goto(`http://127.0.0.1:${server.address().port}/sign.html`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15000 });
    const built = buildRequest({ thingName: 't', jobId: 'j' }, { endpoint: 'https://a1b2c3.jobs.iot.us-east-1.amazonaws.com' });
    assert.deepEqual(await page.evaluate(() => window.result),
      signRequest(built, { accessKeyId: 'AKID', secretAccessKey: 'secret' }, { region: 'us-east-1', time: 1700000000000 }));
    assert.ok(fetched.includes('/node_modules/jobscope/jobscope_sign_bg.wasm'), fetched.join(' '));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
