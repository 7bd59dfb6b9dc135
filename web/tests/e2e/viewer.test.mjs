// End-to-end: the built viewer in headless Chromium against a running emulator with the demo fleet.
// Screenshots of the main states go to target/screenshots/. Run by scripts/test-viewer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CANNED, serveViewer } from './serve.mjs';

const ROOT = process.env.JOBSCOPE_ROOT;
const SHOTS = `${ROOT}/target/screenshots`;
const GATEWAY = 'sensor-gateway-eu-west-0042';
const FIRMWARE = 'firmware-update-2024-06-15-batch-017';

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startEmulator(args) {
  const port = await freePort();
  const child = spawn(`${ROOT}/target/debug/jobscope-emulator`, ['--listen', `127.0.0.1:${port}`, '--in-memory', '--demo', ...args], { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${origin}/_emulator/health`)).ok) return { child, origin }; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('emulator did not start');
}

let emulator;
let flaky;
let viewer;
let flakyViewer;
let secured;
let securedViewer;
let stalledMqttViewer;
let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  emulator = await startEmulator([]);
  // Half of all requests throttled: the viewer must retry to success.
  flaky = await startEmulator(['--throttle-rate', '0.5']);
  viewer = await serveViewer(`${ROOT}/dist`, emulator.origin);
  flakyViewer = await serveViewer(`${ROOT}/dist`, flaky.origin);
  // An emulator that demands SigV4, behind the same-origin forwarding proxy (/emulator → the emulator).
  secured = await startEmulator(['--auth', 'sigv4', '--access-key', 'AKIDE2EVIEWER:e2e-secret-key/x']);
  securedViewer = await serveViewer(`${ROOT}/dist`, secured.origin);
  stalledMqttViewer = await serveViewer(`${ROOT}/dist`, emulator.origin, { stallMqtt: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  viewer?.server.closeAllConnections();
  viewer?.server.close();
  flakyViewer?.server.close();
  securedViewer?.server.close();
  stalledMqttViewer?.server.close();
  secured?.child.kill();
  emulator?.child.kill();
  flaky?.child.kill();
});

async function page(origin = viewer.origin, path = '/', size = { width: 1280, height: 900 }) {
  const p = await browser.newPage({ viewport: size });
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  // Anything the Content-Security-Policy blocks is a failure unless the test provoked it (p.expectCsp).
  p.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text()) && !p.expectCsp) errors.push(`csp: ${m.text()}`);
  });
  await p.goto(origin + path);
  await p.waitForSelector('#thing-name');
  p.errors = errors;
  return p;
}

async function fill(p, thing, job, number = '') {
  await p.fill('#thing-name', thing);
  await p.fill('#job-id', job);
  await p.fill('#execution-number', number);
}

test('a pristine form shows no problems; pressing Describe says why and sends nothing', async () => {
  const p = await page();
  const sent = [];
  p.on('request', (r) => { if (r.url().includes('/things/')) sent.push(r.url()); });
  await p.screenshot({ path: `${SHOTS}/first-screen.png`, fullPage: true });
  assert.equal(await p.$$eval('[aria-invalid="true"]', (e) => e.length), 0, 'no field outlined as wrong');
  assert.equal(await p.$$eval('.field-errors li', (e) => e.length), 0, 'no message before anything was typed');
  assert.equal(await p.getAttribute('button[type=submit]', 'aria-disabled'), 'true', 'Describe is disabled while required fields are empty');
  // Leaving a field empty shows its problem, and only its.
  await p.focus('#thing-name');
  await p.focus('#execution-number');
  assert.equal(await p.getAttribute('#thing-name', 'aria-invalid'), 'true');
  assert.equal(await p.getAttribute('#job-id', 'aria-invalid'), 'false');
  // Pressing Describe shows every problem and sends nothing (force: Playwright will not press an aria-disabled
  // button on its own; a person can).
  await p.click('button[type=submit]', { force: true });
  await p.waitForSelector('#job-id-errors li');
  assert.equal(await p.getAttribute('#job-id', 'aria-invalid'), 'true');
  assert.deepEqual(sent, []);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('describes an execution from the demo data', async () => {
  const p = await page();
  await fill(p, GATEWAY, FIRMWARE);
  await p.click('button[type=submit]');
  await p.waitForSelector('.execution .status');
  assert.equal(await p.textContent('.execution .status'), 'IN_PROGRESS');
  assert.match(await p.textContent('.facts'), /executionNumber\s*1/);
  assert.match(await p.textContent('.details'), /bytesDownloaded/);
  assert.match(await p.textContent('.document summary'), /jobDocument \(JSON/);
  assert.match(await p.textContent('.countdown'), /\d+ min \d+ s|\d+ s/);
  assert.match(await p.textContent('.preview'), /curl -sS/);
  assert.match(p.url(), /thing=sensor-gateway-eu-west-0042&job=firmware-update/);
  // The raw response is built when opened.
  assert.equal(await p.$('.raw pre'), null);
  await p.click('.raw summary');
  await p.waitForSelector('.raw pre.body');
  assert.match(await p.textContent('.raw'), /HTTP 200[\s\S]*x-amzn-requestid: [\s\S]*"execution"/);
  await p.screenshot({ path: `${SHOTS}/execution.png`, fullPage: true });
  // The README's picture of the viewer: refreshed with JOBSCOPE_UPDATE_DOCS=1 when the look changes.
  if (process.env.JOBSCOPE_UPDATE_DOCS === '1') {
    mkdirSync(`${ROOT}/docs`, { recursive: true });
    await p.click('.raw summary'); // closed again: the picture shows the execution, not the raw bytes
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.screenshot({ path: `${ROOT}/docs/viewer.png` });
  }
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('$next picks the in-progress execution; nothing pending says so', async () => {
  const p = await page();
  await p.fill('#thing-name', GATEWAY);
  await p.click('button:has-text("$next")');
  await p.click('button[type=submit]');
  await p.waitForSelector('.execution .status');
  assert.equal(await p.textContent('.execution-head h2'), FIRMWARE);
  await fill(p, 'thermostat-kitchen-01', '$next');
  await p.click('button[type=submit]');
  await p.waitForSelector('.card.nothing');
  assert.match(await p.textContent('.card.nothing'), /Nothing pending/);
  await p.screenshot({ path: `${SHOTS}/nothing-pending.png`, fullPage: true });
  await p.close();
});

test('a validation error is shown under its field and blocks the request', async () => {
  const p = await page();
  await fill(p, 'my thing', 'j', '1.5');
  await p.waitForSelector('#thing-name-errors li');
  assert.match(await p.textContent('#thing-name-errors'), /found ' ' \(U\+0020\) at index 2/);
  assert.match(await p.textContent('#execution-number-errors'), /whole number/);
  assert.equal(await p.getAttribute('#thing-name', 'aria-invalid'), 'true');
  assert.equal(await p.getAttribute('button[type=submit]', 'aria-disabled'), 'true');
  await p.click('input[value=control]');
  await p.fill('#job-id', '$next');
  assert.match(await p.textContent('#job-id-errors'), /only supported on the data plane/);
  await p.screenshot({ path: `${SHOTS}/validation.png`, fullPage: true });
  await p.close();
});

test('a 404 is explained; a terminal execution offers the control plane', async () => {
  const p = await page();
  await fill(p, GATEWAY, 'no-such-job');
  await p.click('button[type=submit]');
  await p.waitForSelector('.card.error');
  assert.equal(await p.textContent('.card.error h2'), 'No such job execution');
  assert.match(await p.textContent('.card.error'), /ResourceNotFoundException · HTTP 404 · request id/);
  assert.match(await p.textContent('.card.error'), /iot:Jobs/);
  await p.screenshot({ path: `${SHOTS}/error-404.png`, fullPage: true });

  await fill(p, 'thermostat-kitchen-01', FIRMWARE);
  await p.click('button[type=submit]');
  await p.waitForSelector('text=View this execution on the control plane');
  assert.equal(await p.textContent('.card.error h2'), 'The execution has already ended');
  await p.screenshot({ path: `${SHOTS}/terminal-state.png`, fullPage: true });
  await p.click('text=View this execution on the control plane');
  await p.waitForSelector('.execution .status');
  assert.equal(await p.textContent('.execution .status'), 'SUCCEEDED');
  assert.match(await p.textContent('.facts'), /thingArn/);
  await p.close();
});

test('a throttled request is retried to success', async () => {
  const p = await page(flakyViewer.origin);
  let attempts = 0;
  for (let i = 0; i < 6; i++) {
    await fill(p, GATEWAY, FIRMWARE, String(i % 2 ? 1 : ''));
    await p.click('button[type=submit]');
    await p.waitForSelector('.lookup-result .meta', { timeout: 20000 });
    await p.waitForFunction(() => !document.querySelector('.phase'), null, { timeout: 20000 });
    const meta = await p.textContent('.lookup-result .meta');
    const match = /(\d+) attempts/.exec(meta);
    if (match && (await p.$('.execution .status'))) {
      attempts = Number(match[1]);
      break;
    }
  }
  assert.ok(attempts >= 2, 'some lookup needed a retry and then succeeded');
  await p.close();
});

test('the XSS job document is inert text', async () => {
  const p = await page();
  await p.click('button:has-text("Paste a response")');
  const evil = '<img src=x onerror="window.__pwned=1">';
  await p.fill('#paste-body', JSON.stringify({ execution: { jobId: 'x', status: 'QUEUED', jobDocument: evil, statusDetails: { note: evil } } }));
  await p.click('button:has-text("Check")');
  await p.waitForSelector('.execution');
  assert.equal(await p.$('.execution img'), null);
  assert.match(await p.textContent('.document pre'), /<img src=x onerror=/);
  assert.equal(await p.evaluate(() => window.__pwned), undefined);
  await p.screenshot({ path: `${SHOTS}/paste-xss.png`, fullPage: true });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the page runs under a Content-Security-Policy that forbids inline script', async () => {
  const p = await page();
  const policy = await p.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|nonce-/);
  assert.equal(await p.$('script:not([src])'), null, 'no inline script in the page');
  // A normal lookup needs nothing the policy forbids (page() fails the test on any violation).
  await fill(p, GATEWAY, FIRMWARE);
  await p.click('button[type=submit]');
  await p.waitForSelector('.execution .status');
  assert.deepEqual(p.errors, []);
  // Injected inline script and inline handlers are refused, and each refusal is reported. (eval is refused by the
  // same policy, but code run through DevTools, as page.evaluate is, is exempt, so it cannot be shown from here.)
  p.expectCsp = true;
  const outcome = await p.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.head.append(script);
    const button = document.createElement('button');
    button.setAttribute('onclick', 'window.__inline = 2');
    document.body.append(button);
    button.click();
    await new Promise((r) => setTimeout(r, 100));
    return { inline: window.__inline, violations };
  });
  assert.equal(outcome.inline, undefined);
  assert.ok(outcome.violations.filter((d) => d.startsWith('script-src')).length >= 2, JSON.stringify(outcome.violations));
  await p.close();
});

test('a huge pasted response is checked and shown as text; the page stays usable', async () => {
  const p = await page();
  // 10 000 statusDetails, a job document of 2 MB of markup, and 4 MB of padding in an unknown field: ~6.5 MB.
  const statusDetails = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, `<b>${i}</b>`]));
  const jobDocument = JSON.stringify({ html: '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'.repeat(24_000) });
  const body = JSON.stringify({ execution: { jobId: 'huge', thingName: 't', status: 'IN_PROGRESS', statusDetails, jobDocument, padding: 'x'.repeat(4_000_000) } });
  await p.click('button:has-text("Paste a response")');
  // Measure the longest main-thread block while the response is checked and rendered (reported, not asserted).
  await p.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  await p.$eval('#paste-body', (el, text) => {
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, body);
  const started = Date.now();
  await p.click('button:has-text("Check")');
  await p.waitForSelector('.execution .status', { timeout: 60_000 });
  const rendered = Date.now() - started;
  // The longest task up to the first render (opening everything below is the user's choice, and costs more).
  const longest = await p.evaluate(() => window.__longest);
  assert.equal(await p.textContent('.execution .status'), 'IN_PROGRESS');
  const warnings = await p.textContent('.warnings');
  assert.match(warnings, /jobDocument/);
  assert.equal(await p.$('.execution img, .execution b, .execution script'), null);
  assert.equal(await p.evaluate(() => window.__pwned), undefined);
  // The first 200 statusDetails rows are rendered, the rest on request; the 1.7 MB document and the raw body are
  // built only when opened.
  assert.equal(await p.$$eval('.details tbody tr', (rows) => rows.length), 200);
  assert.equal(await p.textContent('.details .show-all'), 'Show all 10000 entries (9800 more)');
  assert.equal(await p.$('.document pre'), null);
  await p.click('.document summary');
  assert.match(await p.textContent('.document pre'), /<script>window.__pwned=1<\/script>/);
  assert.equal(await p.evaluate(() => window.__pwned), undefined);
  await p.locator('.details .show-all').scrollIntoViewIfNeeded();
  await p.screenshot({ path: `${SHOTS}/huge-show-all.png` });
  await p.click('.details .show-all');
  await p.waitForFunction(() => document.querySelectorAll('.details tbody tr').length === 10_000);
  assert.equal(await p.$('.details .show-all'), null);
  // Still usable: typing into the form updates it and the request preview follows.
  await p.click('button[role=tab]:has-text("Look up")');
  await fill(p, 'after-the-huge-one', FIRMWARE);
  await p.waitForFunction(() => document.querySelector('.preview')?.textContent.includes('after-the-huge-one'));
  console.log(`huge response: ${(body.length / 1e6).toFixed(1)} MB checked and rendered in ${rendered} ms; longest main-thread task ${Math.round(longest)} ms`);
  await p.screenshot({ path: `${SHOTS}/huge-response.png` });
  assert.deepEqual(p.errors, []);
  await p.close();
});

// The adversarial table, pasted: each body gets a typed error or a result with warnings, shown as text; nothing
// in it becomes markup or runs, and the page keeps working after every one.
const deep = (inner) => `${'['.repeat(100_000)}${inner}${']'.repeat(100_000)}`;
const NASTY = 'a\\u0000b\\u0007c\\u001bd';
const MARKUP = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'.repeat(450);
const PASTED = [
  ['100 000 levels', '200', '', `{"execution":{"jobDocument":${deep('')}}}`, /not a valid DescribeJobExecution result/],
  ['100 000 levels skipped', '200', '', `{"extra":${deep('1')},"execution":{"jobId":"j"}}`, /unknown_field/],
  ['lone surrogate', '200', '', '{"execution":{"jobId":"\\udc00x"}}', /not a valid DescribeJobExecution result/],
  ['byte order mark', '200', '', '\ufeff{"execution":{"jobId":"j","status":"QUEUED"}}', /byte_order_mark/],
  ['1e400', '200', '', '{"execution":{"versionNumber":1e400}}', /number out of range/],
  ['-0', '200', '', '{"execution":{"jobId":"j","executionNumber":-0,"status":"QUEUED"}}', /executionNumber\s*0/],
  ['2^63', '200', '', '{"execution":{"executionNumber":9223372036854775808}}', /does not fit a 64-bit signed integer/],
  ['duplicate keys', '200', '', '{"execution":{"jobId":"j","statusDetails":{"k":"1","k":"2"}}}', /duplicate_key/],
  ['control characters', '200', '', `{"execution":{"jobId":"${NASTY}","thingName":"${NASTY}","status":"${NASTY}","statusDetails":{"k":"${NASTY}"}}}`, /invalid_value/],
  ['1 MB header value', '400', `x-amzn-errortype: ${'E'.repeat(1024 * 1024)}`, '{}', /Unrecognised error/],
  ['markup everywhere', '400', 'x-amzn-errortype: <b>Bold</b>', '{"message":"<img src=x onerror=window.__pwned=3>"}', /Unrecognised error|img src=x/],
  ['32 KB of markup', '200', '', JSON.stringify({ execution: { jobId: '<i>j</i>', status: 'QUEUED', jobDocument: MARKUP, statusDetails: { '<b>': '<script>' } } }), /statusDetails|jobDocument/],
];

test('adversarial pasted responses: typed errors or warnings, shown as text, page usable', { timeout: 300_000 }, async () => {
  for (const [name, status, headers, body, expected] of PASTED) {
    const p = await page();
    await p.click('button:has-text("Paste a response")');
    await p.fill('#paste-status', status);
    await p.$eval('#paste-headers', (el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }, headers);
    await p.$eval('#paste-body', (el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }, body);
    await p.click('button:has-text("Check")');
    await p.waitForSelector('.card.error, .execution');
    const shown = await p.textContent('main');
    assert.match(shown, expected, name);
    assert.equal(await p.$('main img, main script, main b, main i'), null, `${name}: markup became elements`);
    assert.equal(await p.evaluate(() => window.__pwned), undefined, name);
    // Still usable: the lookup form validates live.
    await p.click('button[role=tab]:has-text("Look up")');
    await fill(p, 'after', 'this');
    await p.waitForFunction(() => document.querySelector('.preview')?.textContent.includes('/things/after/jobs/this'));
    if (name === 'markup everywhere') await p.screenshot({ path: `${SHOTS}/adversarial-markup.png`, fullPage: true });
    assert.deepEqual(p.errors, [], name);
    await p.close();
  }
});

test('adversarial responses over the network: typed errors, shown as text', { timeout: 120_000 }, async () => {
  for (const [name, expected] of [
    ['invalid-utf8', /not valid UTF-8/],
    ['ten-mb-garbage', /not valid JSON/],
    ['html-error-page', /not JSON/],
    ['markup-error-type', /Unrecognised error/],
    ['huge-header', /Unrecognised error|network/i],
  ]) {
    assert.ok(CANNED[name], name);
    const endpoint = encodeURIComponent(`${viewer.origin}/canned/${name}`);
    // A shared URL describes right away; wait until every retry is done.
    const p = await page(viewer.origin, `/?plane=data&endpoint=${endpoint}&thing=t&job=j`);
    await p.waitForSelector('.phase', { state: 'detached', timeout: 60_000 });
    await p.waitForSelector('.card.error', { timeout: 60_000 }).catch(async (e) => { await p.screenshot({ path: `${SHOTS}/debug-${name}.png`, fullPage: true }); throw e; });
    const shown = await p.textContent('main');
    assert.match(shown, expected, name);
    assert.equal(await p.$('main img, main script, main h1'), null, `${name}: markup became elements`);
    assert.equal(await p.evaluate(() => window.__pwned), undefined, name);
    if (name === 'html-error-page') await p.screenshot({ path: `${SHOTS}/adversarial-network.png`, fullPage: true });
    // The browser logs failed loads (4xx/5xx) on its own; anything else is a failure.
    assert.deepEqual(p.errors, [], name);
    await p.close();
  }
});

// A body that never arrives, with the timeout the page takes as a setting (here from the URL): every attempt times
// out whatever the machine's speed, so the outcome is certain — no test waits a fixed time or asserts on elapsed time.
async function stalledPage(timeout) {
  const endpoint = encodeURIComponent(`${viewer.origin}/canned/stalled-body`);
  const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e.message));
  // Every text the status banner shows, recorded as it changes (a retry notice lasts only the backoff).
  await p.addInitScript(() => {
    window.__phases = [];
    new MutationObserver(() => {
      const text = document.querySelector('.phase')?.textContent;
      if (text && window.__phases.at(-1) !== text) window.__phases.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await p.goto(`${viewer.origin}/?plane=data&endpoint=${endpoint}&thing=t&job=j&timeout=${timeout}`);
  return p;
}

test('a stalled body times out after the timeout the URL sets, is retried, and ends as a timeout', { timeout: 120_000 }, async () => {
  const p = await stalledPage('0.2');
  await p.waitForSelector('.card.error', { timeout: 100_000 });
  assert.equal(await p.inputValue('#timeout'), '0.2');
  assert.equal(await p.textContent('.card.error h2'), 'Timed out');
  assert.equal(await p.textContent('.card.error .server-message'), 'no response within 0.2 s');
  assert.match(await p.textContent('.card.error .error-code'), /^Timeout · no HTTP response/);
  assert.equal(await p.textContent('.lookup-result .meta'), 'data plane · no response · 4 attempts');
  const phases = await p.evaluate(() => window.__phases);
  for (const attempt of [2, 3, 4]) {
    const notice = new RegExp(`^timed out — retrying in \\d\\.\\d s, attempt ${attempt} of 4$`);
    assert.ok(phases.some((t) => notice.test(t)), JSON.stringify(phases));
  }
  await p.screenshot({ path: `${SHOTS}/stalled-body.png`, fullPage: true });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('Cancel stops a lookup in flight', async () => {
  // 600 s: the lookup is still waiting for the body when Cancel is clicked, however slow the machine.
  const p = await stalledPage('600');
  await p.waitForSelector('.phase.loading');
  await p.click('button:has-text("Cancel")');
  await p.waitForSelector('.phase', { state: 'detached' });
  assert.equal(await p.$('.lookup-result'), null, 'a canceled lookup shows no result');
  assert.equal(await p.isDisabled('button[type=submit]'), false);
  assert.equal(await p.$('button:has-text("Cancel")'), null);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('paste mode explains an error without any network', async () => {
  const p = await page();
  await p.click('button:has-text("Paste a response")');
  await p.fill('#paste-status', '429');
  await p.fill('#paste-headers', 'x-amzn-ErrorType: ThrottlingException');
  await p.fill('#paste-body', '{"message":"Rate exceeded","payload":"aGVsbG8="}');
  await p.click('button:has-text("Check")');
  await p.waitForSelector('.card.error');
  assert.equal(await p.textContent('.card.error h2'), 'Too many requests');
  assert.match(await p.textContent('.card.error'), /payload: hello/);
  assert.match(await p.textContent('.meta'), /pasted response/);
  await p.close();
});

// MQTT paste: the shared fixtures (fixtures/mqtt.json), checked by the core in the page, shown by the same result
// view as HTTP answers.
const MQTT = Object.fromEntries(JSON.parse(readFileSync(`${ROOT}/fixtures/mqtt.json`, 'utf8')).cases.map((c) => [c.name, c]));

async function mqttPage(thing, job) {
  const p = await page();
  if (thing) await fill(p, thing, job);
  await p.click('button:has-text("Paste a response")');
  await p.check('input[name=paste-wire][value=mqtt]');
  return p;
}

async function pasteMqtt(p, name) {
  const c = MQTT[name];
  assert.ok(c, name);
  await p.fill('#paste-topic', c.topic);
  await p.fill('#paste-payload', c.payload);
  await p.fill('#paste-client-token', c.clientToken ?? '');
  await p.click('button:has-text("Check")');
  return c;
}

test('MQTT paste: an accepted describe shows the execution, checked against the form\'s request', async () => {
  const p = await mqttPage('sensor-1', 'job-1');
  assert.equal(await p.isVisible('#paste-status'), false, 'the HTTP fields give way to the MQTT ones');
  assert.equal(await p.textContent('.paste .against'), 'Checked against the Look up form\'s request: thingName sensor-1, jobId job-1');
  await pasteMqtt(p, 'describe accepted: jobDocument as an object is normal over MQTT');
  await p.waitForSelector('.execution .status');
  assert.equal(await p.textContent('.execution .status'), 'IN_PROGRESS');
  assert.equal(await p.textContent('.lookup-result .meta'), 'data plane · pasted MQTT message on $aws/things/sensor-1/jobs/job-1/get/accepted');
  assert.match(await p.textContent('.facts'), /thingName\s*sensor-1[\s\S]*executionNumber\s*1[\s\S]*versionNumber\s*3/);
  assert.equal(await p.$$eval('.timeline time', (ts) => ts.length), 3);
  assert.match(await p.textContent('.details'), /step\s*2/);
  assert.match(await p.textContent('.document pre'), /"operation": "reboot",\s*"delay": 5/);
  assert.equal(await p.$('.warnings'), null, 'a JSON-object jobDocument is normal over MQTT');
  assert.equal(await p.$('.raw'), null);
  await p.screenshot({ path: `${SHOTS}/mqtt-execution.png`, fullPage: true });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('MQTT paste: a rejection is explained with its code, message and executionState, and no HTTP status', async () => {
  const p = await mqttPage('sensor-1', 'job-1');
  await pasteMqtt(p, 'rejected: TerminalStateReached');
  await p.waitForSelector('.card.error');
  assert.equal(await p.textContent('.card.error h2'), 'The execution has already ended');
  assert.equal(await p.textContent('.card.error .error-code'), 'TerminalStateReached · over MQTT · not retryable');
  assert.equal(await p.textContent('.card.error .server-message'), 'TerminalStateReached happened');
  assert.match(await p.textContent('.card.error'), /the control plane still describes this one/);
  assert.doesNotMatch(await p.textContent('.card.error'), /HTTP/);
  assert.equal(await p.$('text=View this execution on the control plane'), null, 'nothing was looked up here');
  assert.equal(await p.$('.card.error .execution-state'), null);
  await p.screenshot({ path: `${SHOTS}/mqtt-rejected.png`, fullPage: true });

  await pasteMqtt(p, 'rejected: VersionMismatch with executionState');
  await p.waitForFunction(() => document.querySelector('.card.error h2')?.textContent === 'The execution changed since you read it');
  assert.equal(await p.textContent('.card.error .error-code'), 'VersionMismatch · over MQTT · not retryable');
  assert.equal(await p.textContent('.card.error .execution-state .status'), 'SUCCEEDED');
  assert.match(await p.textContent('.card.error .execution-state'), /versionNumber\s*5/);
  assert.match(await p.textContent('.card.error'), /Read executionState.versionNumber from the rejection/);
  await p.screenshot({ path: `${SHOTS}/mqtt-version-mismatch.png`, fullPage: true });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('MQTT paste: $next accepted without an execution is "nothing pending"; pasted text survives a visit to the form', async () => {
  const p = await mqttPage('sensor-1', '$next');
  await pasteMqtt(p, '$next accepted without execution: nothing pending');
  await p.waitForSelector('.card.nothing');
  assert.equal(await p.textContent('.card.nothing h2'), 'Nothing pending');
  assert.match(await p.textContent('.card.nothing'), /no QUEUED or IN_PROGRESS job execution, so the message carries no execution\. This is not an error\./);
  assert.equal(await p.$('.card.nothing .warnings'), null);
  assert.equal(await p.$('.card.error'), null);
  await p.screenshot({ path: `${SHOTS}/mqtt-nothing-pending.png`, fullPage: true });
  // Now the form names a job: the same empty reply is flagged against it, with nothing re-pasted.
  await p.click('button[role=tab]:has-text("Look up")');
  await p.fill('#job-id', 'job-1');
  await p.click('button:has-text("Paste a response")');
  assert.equal(await p.isChecked('input[name=paste-wire][value=mqtt]'), true);
  assert.equal(await p.inputValue('#paste-topic'), MQTT['$next accepted without execution: nothing pending'].topic);
  await p.click('button:has-text("Check")');
  await p.waitForSelector('.card.nothing .warnings');
  assert.match(await p.textContent('.card.nothing .warnings'), /only a \$next request should come back without an execution/);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('MQTT paste: notify lists the pending executions; an update accepted shows the state after it', async () => {
  const p = await mqttPage();
  assert.match(await p.textContent('.paste .against'), /checked on its own/);
  await pasteMqtt(p, 'notify lists the pending executions');
  await p.waitForSelector('.card.pending tbody tr');
  assert.equal(await p.textContent('.card.pending h2'), 'Pending executions: 1 in progress, 1 queued');
  const rows = await p.$$eval('.card.pending tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.deepEqual(rows.map((r) => r.slice(0, 4)), [['IN_PROGRESS', 'job-1', '1', '1'], ['QUEUED', 'job-2', '1', '1']]);
  assert.match(rows[0][4], /ago$/);
  assert.match(rows[0][5], /ago$/);
  assert.equal(rows[1][5], '', 'a queued execution has not started');
  assert.equal(await p.getAttribute('.card.pending tbody tr:first-child td:nth-child(5) time', 'title'), '1700000000 (epoch seconds)');
  await p.screenshot({ path: `${SHOTS}/mqtt-notify.png`, fullPage: true });
  await p.setViewportSize({ width: 390, height: 844 });
  await p.screenshot({ path: `${SHOTS}/mqtt-notify-phone.png`, fullPage: true });
  await p.setViewportSize({ width: 1280, height: 900 });

  await pasteMqtt(p, 'notify with nothing pending');
  await p.waitForFunction(() => document.querySelector('.card.pending h2')?.textContent === 'Nothing pending');
  assert.equal(await p.$('.card.pending table'), null);

  await pasteMqtt(p, 'update accepted with executionState and the document');
  await p.waitForSelector('.card.updated');
  assert.equal(await p.textContent('.card.updated h2'), 'Update accepted');
  assert.equal(await p.textContent('.card.updated .execution-state .status'), 'SUCCEEDED');
  assert.match(await p.textContent('.card.updated .execution-state'), /versionNumber\s*4/);
  assert.match(await p.textContent('.card.updated .details'), /step\s*3/);
  assert.match(await p.textContent('.card.updated .document pre'), /"operation": "reboot"/);
  await p.screenshot({ path: `${SHOTS}/mqtt-updated.png`, fullPage: true });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a shareable URL is restored on reload, and back/forward walk the lookups', async () => {
  const p = await page(viewer.origin, `/?plane=control&thing=rpi-lab-3&job=reboot-nightly`);
  await p.waitForSelector('.execution .status');
  assert.equal(await p.textContent('.execution .status'), 'CANCELED');
  assert.match(await p.textContent('.facts'), /forceCanceled\s*true/);
  await p.screenshot({ path: `${SHOTS}/shared-url-control.png`, fullPage: true });
  await p.reload();
  await p.waitForSelector('.execution .status');
  assert.equal(await p.inputValue('#thing-name'), 'rpi-lab-3');
  assert.equal(await p.isChecked('input[value=control]'), true);
  await fill(p, 'rpi-lab-3', 'config-rollout-42');
  await p.click('button[type=submit]');
  await p.waitForFunction(() => document.querySelector('.execution .status')?.textContent === 'REJECTED');
  await p.goBack();
  await p.waitForFunction(() => document.querySelector('#job-id').value === 'reboot-nightly');
  await p.waitForFunction(() => document.querySelector('.execution .status')?.textContent === 'CANCELED');
  await p.close();
});

test('browse a thing and open an execution; history is kept; phone layout', async () => {
  const p = await page(viewer.origin, '/', { width: 390, height: 844 });
  await fill(p, 'pump-station-7', FIRMWARE);
  await p.click('button[type=submit]');
  await p.waitForSelector('.execution');
  await p.click('text=List this thing\'s executions');
  await p.waitForSelector('.executions tbody tr');
  const rows = await p.$$eval('.executions tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.ok(rows.some((r) => /TIMED_OUT/.test(r)));
  await p.click('.executions tbody tr:has-text("telemetry-upgrade-v3") button');
  await p.waitForFunction(() => document.querySelector('#job-id').value === 'telemetry-upgrade-v3');
  assert.ok((await p.textContent('.history')).includes('pump-station-7'));
  await p.screenshot({ path: `${SHOTS}/phone-browse.png`, fullPage: true });
  const stored = await p.evaluate(() => localStorage.getItem('jobscope.recent'));
  assert.match(stored, /^plane=\w+&thing=pump-station-7&job=telemetry-upgrade-v3&n=1$/m);
  assert.ok(!/secret|AKID/i.test(stored));
  await p.close();
});

test('browse lists a thing\'s executions (decoded by the core) and opens a terminal one on the control plane', async () => {
  const p = await page();
  await fill(p, 'pump-station-7', FIRMWARE);
  await p.click('text=List this thing\'s executions');
  await p.waitForSelector('.executions tbody tr');
  const rows = await p.$$eval('.executions tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.ok(rows.length >= 2, JSON.stringify(rows));
  for (const [job, number, status] of rows) {
    assert.ok(job && /^\d+$/.test(number) && /^[A-Z_]+$/.test(status), JSON.stringify(rows));
  }
  await p.screenshot({ path: `${SHOTS}/browse.png`, fullPage: true });
  const timedOut = rows.findIndex(([, , status]) => status === 'TIMED_OUT');
  assert.ok(timedOut >= 0, JSON.stringify(rows));
  await p.locator('.executions tbody tr').nth(timedOut).locator('button').click();
  await p.waitForSelector('.execution .status');
  assert.equal(await p.textContent('.execution .status'), 'TIMED_OUT');
  assert.equal(await p.isChecked('input[value=control]'), true, 'a terminal execution opens on the control plane');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a local signing failure is a local error: not an AWS error, and nothing is sent', async () => {
  const p = await page(securedViewer.origin);
  const sent = [];
  p.on('request', (r) => { if (r.url().includes('/things/')) sent.push(r.url()); });
  await p.selectOption('#endpoint-mode', 'aws');
  await p.selectOption('#transport', 'http');
  await p.fill('#endpoint', secured.origin);
  await p.fill('#region', 'eu-west-1');
  await p.fill('#via', '/emulator');
  await p.fill('#access-key-id', 'AKIDE2EVIEWER');
  await fill(p, GATEWAY, '$next');
  // No secret access key: the core's signer refuses, in this page, before anything is sent.
  await p.click('button[type=submit]');
  await p.waitForSelector('.card.local-error');
  assert.equal(await p.textContent('.card.local-error h2'), 'Not sent: the request could not be signed');
  assert.equal(await p.textContent('.card.local-error .local-message'), 'credentials need an access key id and a secret access key');
  assert.equal(await p.textContent('.lookup-result .meta'), 'data plane · not sent');
  assert.equal(await p.$('.card.error'), null);
  assert.doesNotMatch(await p.textContent('main'), /InvalidSignatureException/);
  assert.deepEqual(sent, []);
  await p.screenshot({ path: `${SHOTS}/local-signing-error.png`, fullPage: true });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a signed lookup through a forwarding proxy verifies upstream; credentials are never stored', async () => {
  const p = await page(securedViewer.origin);
  await p.selectOption('#endpoint-mode', 'aws');
  await p.selectOption('#transport', 'http');
  await p.fill('#endpoint', secured.origin);
  await p.fill('#region', 'eu-west-1');
  await p.fill('#via', '/emulator');
  await p.fill('#access-key-id', 'AKIDE2EVIEWER');
  await p.fill('#secret-access-key', 'e2e-secret-key/x');
  await p.fill('#session-token', 'e2e-session-token');
  await fill(p, GATEWAY, '$next');
  await p.click('button[type=submit]');
  await p.waitForSelector('.lookup-result .meta');
  // The emulator knows no session token for this key: a token is still signed and sent, and verifies.
  await p.waitForSelector('.execution .status');
  assert.equal(await p.textContent('.execution .status'), 'IN_PROGRESS');
  await p.screenshot({ path: `${SHOTS}/signed-lookup.png`, fullPage: true });

  const leaks = await p.evaluate(() => JSON.stringify({
    local: Object.entries(localStorage), session: Object.entries(sessionStorage), url: location.href, length: history.length,
    state: history.state,
  }));
  for (const secret of ['e2e-secret-key', 'e2e-session-token', 'AKIDE2EVIEWER']) {
    assert.ok(!leaks.includes(secret), `${secret} leaked: ${leaks}`);
  }

  await p.fill('#secret-access-key', 'wrong-secret');
  await p.click('button[type=submit]');
  await p.waitForSelector('.card.error');
  assert.equal(await p.textContent('.card.error h2'), 'The signature does not match');

  await p.reload();
  await p.waitForSelector('#access-key-id');
  assert.equal(await p.inputValue('#access-key-id'), '');
  assert.equal(await p.inputValue('#secret-access-key'), '');
  assert.equal(await p.inputValue('#region'), 'eu-west-1', 'the non-secret settings are in the URL');
  await p.close();
});

// ---- MQTT over WebSocket ----

test('over MQTT, the local emulator answers through its WebSocket, with the same result view', async () => {
  const p = await page();
  await p.selectOption('#transport', 'mqtt');
  await fill(p, GATEWAY, FIRMWARE);
  assert.match(await p.textContent('.preview'), /PUBLISH \$aws\/things\/sensor-gateway-eu-west-0042\/jobs\/firmware-update-2024-06-15-batch-017\/get/);
  assert.match(await p.textContent('.preview'), /\/get\/accepted/);
  await p.click('button[type=submit]');
  await p.waitForSelector('.execution .status');
  assert.equal(await p.textContent('.execution .status'), 'IN_PROGRESS');
  assert.match(await p.textContent('.lookup-result .meta'), /^data plane · MQTT over WebSocket · \$aws\/things\/sensor-gateway-eu-west-0042\/jobs\/firmware-update-2024-06-15-batch-017\/get$/);
  assert.match(p.url(), /transport=mqtt/);
  await p.screenshot({ path: `${SHOTS}/mqtt-local.png`, fullPage: true });
  assert.deepEqual(p.errors, []);
  await p.close();
});

/** AWS mode over MQTT against the emulator that demands SigV4: its WebSocket listener, presigned by the page. */
async function awsMqttPage(secret = 'e2e-secret-key/x') {
  const p = await page();
  await p.selectOption('#endpoint-mode', 'aws');
  assert.equal(await p.inputValue('#transport'), 'mqtt', 'MQTT is the data plane\'s default in AWS mode');
  assert.equal(await p.$('#via'), null, 'no proxy over MQTT');
  await p.fill('#endpoint', `${secured.origin.replace('http://', 'ws://')}/mqtt`);
  await p.fill('#region', 'eu-west-1');
  await p.fill('#access-key-id', 'AKIDE2EVIEWER');
  await p.fill('#secret-access-key', secret);
  await p.fill('#session-token', 'e2e-session-token');
  return p;
}

test('AWS mode over MQTT: a presigned WebSocket lookup succeeds and leaves no secret or signed URL behind', async () => {
  const p = await awsMqttPage();
  const sockets = [];
  p.on('websocket', (ws) => sockets.push(ws.url()));
  await fill(p, GATEWAY, '$next');
  await p.click('button[type=submit]');
  await p.waitForSelector('.execution .status');
  assert.equal(await p.textContent('.execution .status'), 'IN_PROGRESS');
  assert.equal(sockets.length, 1);
  assert.match(sockets[0], /\/mqtt\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDE2EVIEWER%2F\d{8}%2Feu-west-1%2Fiotdevicegateway%2Faws4_request&X-Amz-Date=\d{8}T\d{6}Z&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}&X-Amz-Security-Token=e2e-session-token$/);
  await p.screenshot({ path: `${SHOTS}/mqtt-aws.png`, fullPage: true });
  const leaks = await p.evaluate(() => JSON.stringify({
    local: Object.entries(localStorage), session: Object.entries(sessionStorage), url: location.href, length: history.length,
    state: history.state, text: document.body.innerText,
  }));
  for (const secret of ['e2e-secret-key', 'e2e-session-token', 'AKIDE2EVIEWER', 'X-Amz-Signature', 'X-Amz-Credential']) {
    assert.ok(!leaks.includes(secret), `${secret} leaked: ${leaks}`);
  }
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('AWS mode over MQTT: a wrong secret is a refused connection, explained', async () => {
  const p = await awsMqttPage('wrong-secret');
  await fill(p, GATEWAY, '$next');
  await p.click('button[type=submit]');
  await p.waitForSelector('.card.error');
  assert.equal(await p.textContent('.card.error h2'), 'The MQTT connection was refused');
  assert.match(await p.textContent('.card.error .error-code'), /^ConnectionRefused · no MQTT reply · not retryable/);
  assert.match(await p.textContent('.card.error'), /wrong secret access key/);
  assert.match(await p.textContent('.card.error'), /iot:Connect/);
  await p.screenshot({ path: `${SHOTS}/mqtt-wrong-secret.png`, fullPage: true });
  assert.deepEqual(p.errors.filter((e) => !/WebSocket/.test(e)), []);
  await p.close();
});

test('AWS mode over MQTT: TerminalStateReached is explained and offers the control plane; nothing pending is said plainly', async () => {
  const p = await awsMqttPage();
  await fill(p, 'thermostat-kitchen-01', FIRMWARE);
  await p.click('button[type=submit]');
  await p.waitForSelector('.card.error');
  assert.equal(await p.textContent('.card.error h2'), 'The execution has already ended');
  assert.match(await p.textContent('.card.error .error-code'), /^TerminalStateReached · over MQTT/);
  assert.ok(await p.$('text=View this execution on the control plane'), 'the control plane is offered');
  await p.screenshot({ path: `${SHOTS}/mqtt-terminal-state.png`, fullPage: true });

  await fill(p, 'thermostat-kitchen-01', '$next');
  await p.click('button[type=submit]');
  await p.waitForSelector('.card.nothing');
  assert.match(await p.textContent('.card.nothing'), /Nothing pending[\s\S]*\$next answered with no execution/);
  await p.screenshot({ path: `${SHOTS}/mqtt-nothing-pending.png`, fullPage: true });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('over MQTT, a reply that never comes times out (retried) and a lookup in flight can be canceled', { timeout: 120_000 }, async () => {
  const p = await page(stalledMqttViewer.origin, `/?plane=data&transport=mqtt&thing=t&job=j&timeout=0.2`);
  await p.click('button[type=submit]');
  await p.waitForSelector('.card.error', { timeout: 100_000 });
  assert.equal(await p.textContent('.card.error h2'), 'Timed out');
  assert.equal(await p.textContent('.card.error .server-message'), 'no reply on $aws/things/t/jobs/j/get/accepted within 0.2 s');
  assert.equal(await p.textContent('.lookup-result .meta'), 'data plane · MQTT over WebSocket · $aws/things/t/jobs/j/get · 4 attempts');
  await p.screenshot({ path: `${SHOTS}/mqtt-timeout.png`, fullPage: true });
  await p.fill('#timeout', '600');
  await p.click('button[type=submit]');
  await p.waitForSelector('.phase.loading');
  await p.click('button:has-text("Cancel")');
  await p.waitForSelector('.phase', { state: 'detached' });
  assert.equal(await p.isDisabled('button[type=submit]'), false);
  assert.deepEqual(p.errors, []);
  await p.close();
});
