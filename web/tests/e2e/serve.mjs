// Serves the built viewer (dist/) and forwards /emulator/* to a running emulator, as `trunk serve`'s [[proxy]]
// does. Used by the e2e tests and the viewer benchmark.
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { createHash } from 'node:crypto';
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

// `stallMqtt`: /emulator-mqtt accepts the WebSocket (subprotocol mqtt) and then says nothing, ever — a reply that
// never comes, for the viewer's MQTT timeout and Cancel.
export async function serveViewer(distDir, emulatorOrigin, { stallMqtt = false } = {}) {
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
  // /emulator-mqtt: the emulator's MQTT over WebSocket (/mqtt), the upgrade forwarded byte for byte.
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url, 'http://localhost').pathname !== '/emulator-mqtt') return socket.destroy();
    if (stallMqtt) {
      const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      const protocol = req.headers['sec-websocket-protocol'] ? 'Sec-WebSocket-Protocol: mqtt\r\n' : '';
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${protocol}\r\n`);
      socket.on('data', () => {});
      socket.on('error', () => {});
      return;
    }
    const target = new URL(emulatorOrigin);
    const upstream = connect(Number(target.port), target.hostname, () => {
      const path = '/mqtt' + req.url.slice('/emulator-mqtt'.length);
      const lines = [`GET ${path} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i].toLowerCase() === 'host' ? target.host : req.rawHeaders[i + 1]}`);
      }
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => { upstream.destroy(); socket.destroy(); };
    upstream.on('error', close);
    socket.on('error', close);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}
