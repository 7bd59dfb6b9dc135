// Click → rendered result in headless Chromium against the local emulator (demo fleet), over 50 lookups, measured
// inside the page with performance.now() and a MutationObserver. Run by scripts/bench-viewer.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { serveViewer } from './serve.mjs';

const ROOT = process.env.JOBSCOPE_ROOT;
const RUNS = Number(process.env.RUNS ?? 50);

const port = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const emulator = spawn(`${ROOT}/target/release/jobscope-emulator`, ['--listen', `127.0.0.1:${port}`, '--in-memory', '--demo'], { stdio: 'ignore' });
const origin = `http://127.0.0.1:${port}`;
for (let i = 0; i < 200; i++) {
  try { if ((await fetch(`${origin}/_emulator/health`)).ok) break; } catch { /* starting */ }
  await new Promise((r) => setTimeout(r, 50));
}
const viewer = await serveViewer(`${ROOT}/dist`, origin);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(viewer.origin);
  await page.waitForSelector('#thing-name');
  const lookups = [
    ['sensor-gateway-eu-west-0042', 'firmware-update-2024-06-15-batch-017'],
    ['meter-basement-9', 'telemetry-upgrade-v3'],
  ];
  const times = [];
  for (let i = 0; i < RUNS + 5; i++) {
    const [thing, job] = lookups[i % 2];
    await page.fill('#thing-name', thing);
    await page.fill('#job-id', job);
    const ms = await page.evaluate(() => new Promise((resolve) => {
      let seenLoading = false;
      const done = () => {
        if (document.querySelector('.phase')) { seenLoading = true; return false; }
        return seenLoading && document.querySelector('.execution .status');
      };
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        if (done()) { observer.disconnect(); resolve(performance.now() - t0); }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      document.querySelector('button[type=submit]').click();
    }));
    if (i >= 5) times.push(ms); // the first five warm up
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  console.log(`viewer click → rendered result over ${times.length} lookups: p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms`);
} finally {
  await browser.close();
  viewer.server.close();
  emulator.kill();
}
