// Serves the built viewer (dist/) and forwards /emulator/* to a running emulator, as `trunk serve`'s [[proxy]]
// does. Used by the e2e tests and the viewer benchmark.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
};

// Canned hostile responses for the adversarial table: GET /canned/<name>/things/<thing>/jobs/<job> answers
// CANNED[name] whatever the request.
export const CANNED = {
  'invalid-utf8': { status: 200, headers: {}, body: () => Buffer.from([...Buffer.from('{"execution":{"jobId":"'), 0xc3, 0x28, ...Buffer.from('"}}')]) },
  'ten-mb-garbage': { status: 200, headers: {}, body: () => Buffer.alloc(10 * 1024 * 1024, 'x') },
  'html-error-page': { status: 502, headers: { 'content-type': 'text/html' }, body: () => Buffer.from('<html><body><script>window.__pwned=1</script><h1>Bad gateway</h1></body></html>') },
  'markup-error-type': { status: 400, headers: { 'x-amzn-errortype': '<img src=x onerror=window.__pwned=1>' }, body: () => Buffer.from('{"message":"<script>window.__pwned=2</script>"}') },
  // Headers and the start of a body, then nothing: the viewer's timeout must cover the body too.
  'stalled-body': { status: 200, headers: {}, body: () => Buffer.from('{"execution":{"jobId":"j"'), stall: true },
  'huge-header': { status: 400, headers: { 'x-amzn-errortype': 'E'.repeat(200_000) }, body: () => Buffer.from('{}') },
};

export async function serveViewer(distDir, emulatorOrigin) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const canned = /^\/canned\/([^/]+)\//.exec(url.pathname);
    if (canned && CANNED[canned[1]]) {
      const { status, headers, body, stall } = CANNED[canned[1]];
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      if (stall) res.write(body());
      else res.end(body());
      return;
    }
    if (url.pathname.startsWith('/emulator/')) {
      const target = emulatorOrigin + url.pathname.slice('/emulator'.length) + url.search;
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      try {
        const upstream = await fetch(target, {
          method: req.method,
          headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))),
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        const headers = {};
        upstream.headers.forEach((v, k) => { if (!['content-encoding', 'content-length', 'transfer-encoding'].includes(k)) headers[k] = v; });
        res.writeHead(upstream.status, headers);
        res.end(Buffer.from(await upstream.arrayBuffer()));
      } catch (e) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${e.message}`);
      }
      return;
    }
    const path = normalize(decodeURIComponent(url.pathname));
    const file = extname(path) ? join(distDir, path) : join(distDir, 'index.html');
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}
