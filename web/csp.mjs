// Trunk post_build hook: makes the viewer run under a Content-Security-Policy that forbids inline script.
//
// Trunk writes its wasm loader as an inline <script type="module">. This hook moves it into its own file
// (loader-<hash>.js, with an integrity attribute) so the page needs no inline script at all, then:
//   - `trunk build`: nothing inline is left, so the policy goes into the page as a <meta> tag (STATIC_POLICY) and
//     works on any static host; hosts that can set headers should send it as a header too (README, "Security").
//   - `trunk serve`: Trunk's auto-reload script stays inline with its per-response nonce; the dev server sends the
//     policy from Trunk.toml's [serve] csp, which allows that nonce and nothing else inline.
// Release builds also get the JS glue and the CSS minified (minifyAssets).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// `connect-src http: https: ws: wss:` because the viewer's Custom and AWS modes call an endpoint the user types
// (over MQTT, a WebSocket to the account's device endpoint or the emulator).
export const STATIC_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "connect-src 'self' http: https: ws: wss:",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const NONCE = / nonce="\{\{__TRUNK NONCE__\}\}"/g;
const LOADER = /<script type="module"(?: nonce="[^"]*")?>([\s\S]*?TrunkApplicationStarted[\s\S]*?)<\/script>/;
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>/i;

export function externalizeLoader(html, publicUrl) {
  const loader = html.match(LOADER);
  if (!loader) throw new Error('csp.mjs: no Trunk loader script found in index.html');
  const code = `${loader[1].trim()}\n`;
  const name = `loader-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
  const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
  const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
  let page = html.replace(
    loader[0],
    () => `<script type="module" src="${base}${name}" integrity="${integrity}" crossorigin="anonymous"></script>`,
  );
  if (!INLINE_SCRIPT.test(page)) {
    page = page
      .replace(NONCE, '')
      .replace(
        /<meta charset="utf-8"\s*\/?>/i,
        (charset) => `${charset}\n    <meta http-equiv="Content-Security-Policy" content="${STATIC_POLICY}" />`,
      );
    if (!page.includes('http-equiv="Content-Security-Policy"')) throw new Error('csp.mjs: no <meta charset> to follow');
  }
  return { page, name, code };
}

// Release builds: the wasm-bindgen JS glue and the style sheet minified (Trunk's own JS minifier cannot parse the
// glue), with their integrity attributes updated. Both are part of the page's first load (scripts/bench-viewer).
export async function minifyAssets(html, dir) {
  const { transform } = await import('esbuild');
  const sri = (text) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
  let page = html;
  for (const [pattern, loader] of [
    [/href="[^"]*\/([^"/]+\.js)"[^>]*integrity="([^"]+)"/g, 'js'],
    [/href="[^"]*\/([^"/]+\.css)"[^>]*integrity="([^"]+)"/g, 'css'],
  ]) {
    for (const [, name, integrity] of html.matchAll(pattern)) {
      const file = join(dir, name);
      const { code } = await transform(readFileSync(file, 'utf8'), {
        loader,
        minify: true,
        format: loader === 'js' ? 'esm' : undefined,
        legalComments: 'none',
      });
      writeFileSync(file, code);
      page = page.replace(integrity, sri(code));
    }
  }
  return page;
}

if (process.env.TRUNK_STAGING_DIR) {
  const staging = process.env.TRUNK_STAGING_DIR;
  const file = join(staging, 'index.html');
  const { page, name, code } = externalizeLoader(readFileSync(file, 'utf8'), process.env.TRUNK_PUBLIC_URL ?? '/');
  writeFileSync(join(staging, name), code);
  writeFileSync(file, process.env.TRUNK_PROFILE === 'release' ? await minifyAssets(page, staging) : page);
}
