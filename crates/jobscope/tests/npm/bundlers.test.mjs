// The installed package bundled as users bundle it — Vite (`vite build`), webpack 5 (production) and esbuild
// (`bundle: true, format: 'esm'`, the .wasm copied next to the bundle) — each bundle served over HTTP and run in
// headless Chromium. The app (bundlers/entry.js) imports the package by name, so each bundler picks the entry
// through the package's `exports`. Run from the scratch project of scripts/test-npm, where `jobscope` is the
// installed tarball and vite, webpack, esbuild and playwright-core are linked from the repository's node_modules.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const dir = join(process.cwd(), 'bundlers');
const dist = (name) => join(dir, 'dist', name);

const EXPECTED = {
  valid: { valid: true, violations: [] },
  invalid: ['thingName pattern'],
  url: 'https://abc123.jobs.iot.us-east-1.amazonaws.com'
    + '/things/my%3Athing/jobs/%24next?executionNumber=9007199254740993',
  mqttTopic: '$aws/things/my:thing/jobs/$next/get',
  thrown: 'ValidationError: thingName too_short',
  ok: ['execution', 'j', 't', 'QUEUED', 1, 1, 0],
  big: ['execution', 'bigint', '9007199254740993'],
  failed: ['error', 'ResourceNotFoundException', 404, 'No such job', false, 'No such job execution'],
  explained: 'No such job execution',
  accepted: ['execution', 'IN_PROGRESS', 2, 0],
  rejected: ['error', 'ResourceNotFound', 'No such job execution'],
};

// Each bundler returns its warnings; a failed build throws with the bundler's own error text.
async function viteBuild() {
  const { build } = await import('vite');
  const warnings = [];
  const errors = [];
  const customLogger = {
    hasWarned: false,
    info() {},
    warn(msg) { warnings.push(msg); },
    warnOnce(msg) { warnings.push(msg); },
    error(msg) { errors.push(msg); },
    clearScreen() {},
    hasErrorLogged: () => errors.length > 0,
  };
  try {
    await build({ root: dir, configFile: join(dir, 'vite.config.js'), customLogger });
  } catch (e) {
    throw new Error([...errors, e.message].join('\n'));
  }
  return warnings;
}

async function webpackBuild() {
  const { default: webpack } = await import('webpack');
  const { default: config } = await import(pathToFileURL(join(dir, 'webpack.config.js')).href);
  const stats = await new Promise((resolve, reject) => {
    const compiler = webpack(config);
    compiler.run((err, result) => compiler.close((closeErr) => {
      if (err || closeErr) reject(err || closeErr);
      else resolve(result);
    }));
  });
  if (stats.hasErrors()) throw new Error(stats.toString({ preset: 'errors-only', colors: false }));
  await writeFile(join(dist('webpack'), 'index.html'), hostPage('<script defer src="./main.js"></script>'));
  return stats.hasWarnings() ? [stats.toString({ preset: 'errors-warnings', colors: false })] : [];
}

async function esbuildBuild() {
  const esbuild = await import('esbuild');
  const outdir = dist('esbuild');
  let result;
  try {
    result = await esbuild.build({
      entryPoints: { main: join(dir, 'entry.js') },
      bundle: true,
      format: 'esm',
      minify: true,
      outdir,
      logLevel: 'silent',
    });
  } catch (e) {
    throw new Error(e.errors ? (await esbuild.formatMessages(e.errors, { kind: 'error' })).join('\n') : e.stack);
  }
  // esbuild leaves `new URL('./….wasm', import.meta.url)` as it is, so the user copies the package's .wasm next to
  // the bundle.
  const pkg = dirname(createRequire(join(dir, 'entry.js')).resolve('jobscope/package.json'));
  const wasm = (await readdir(pkg, { recursive: true }))
    .filter((f) => f.endsWith('.wasm') && !f.includes('node_modules'));
  assert.notEqual(wasm.length, 0, `no .wasm in ${pkg}`);
  for (const f of wasm) {
    await mkdir(dirname(join(outdir, f)), { recursive: true });
    await copyFile(join(pkg, f), join(outdir, f));
  }
  await writeFile(join(outdir, 'index.html'), hostPage('<script type="module" src="./main.js"></script>'));
  return esbuild.formatMessages(result.warnings, { kind: 'warning' });
}

// The page a webpack or esbuild user writes around the bundle (Vite makes its own from bundlers/index.html); webpack's
// default output is a classic script, as html-webpack-plugin would add it.
const hostPage = (script) => `<!doctype html><meta charset="utf-8"><title>jobscope bundled</title>
<pre id="out">running</pre>
${script}
`;

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json',
};

async function serve(root) {
  const server = createServer(async (req, res) => {
    if (req.url === '/favicon.ico') return res.writeHead(204).end(); // the browser asks; no 404 in the console
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)); // stays under /
    try {
      const file = join(root, path.endsWith('/') ? join(path, 'index.html') : path);
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
});

// Builds, serves the output on its own loopback port, opens it and returns what the page computed.
async function bundleAndRun(name, bundle) {
  let warnings;
  try {
    warnings = await bundle();
  } catch (e) {
    assert.fail(`${name} build failed:\n${e.message}`);
  }
  if (warnings.length) assert.fail(`${name} warned:\n${warnings.join('\n')}`);

  const server = await serve(dist(name));
  const page = await browser.newPage();
  const problems = [];
  const wasm = [];
  let stop;
  const stopped = new Promise((_, reject) => { stop = reject; });
  stopped.catch(() => {});
  const problem = (text) => { problems.push(text); stop(new Error(text)); };
  page.on('pageerror', (e) => problem(`page error: ${e.stack ?? e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problem(`console ${m.type()}: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problem(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problem(`HTTP ${r.status()} for ${r.url()}`);
    if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(`${r.status()} ${r.headers()['content-type']}`);
  });
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    try {
      await Promise.race([page.waitForFunction(() => window.result !== undefined, null, { timeout: 15000 }), stopped]);
    } catch (e) {
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the rest of the errors arrive
      assert.fail(`the ${name} bundle did not run:\n${(problems.length ? problems : [e.message]).join('\n')}`);
    }
    const result = await page.evaluate(() => window.result);
    const shown = await page.textContent('#out');
    assert.deepEqual(problems, []);
    assert.notEqual(wasm.length, 0, `the ${name} bundle fetched no .wasm`);
    for (const w of wasm) assert.equal(w, '200 application/wasm', `the ${name} bundle's .wasm fetch`);
    assert.deepEqual(JSON.parse(shown), result);
    return result;
  } finally {
    await page.close();
    server.close();
  }
}

test('Vite: vite build', async () => {
  assert.deepEqual(await bundleAndRun('vite', viteBuild), EXPECTED);
});

test('webpack 5: production build', async () => {
  assert.deepEqual(await bundleAndRun('webpack', webpackBuild), EXPECTED);
});

test("esbuild: bundle: true, format: 'esm', the .wasm copied next to the bundle", async () => {
  assert.deepEqual(await bundleAndRun('esbuild', esbuildBuild), EXPECTED);
});
