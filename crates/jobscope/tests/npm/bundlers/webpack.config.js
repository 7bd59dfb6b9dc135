// A user's webpack 5 config, nothing jobscope-specific: webpack emits the .wasm that jobscope loads through
// `new URL(…, import.meta.url)` as an asset by itself, and supports top-level await by default. (`performance` only
// silences the hint that the .wasm is larger than 244 KiB, so the test can require a build without warnings.)
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './entry.js',
  output: { path: fileURLToPath(new URL('./dist/webpack/', import.meta.url)), filename: 'main.js', clean: true },
  performance: { hints: false },
};
