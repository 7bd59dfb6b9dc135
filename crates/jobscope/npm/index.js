// Browser and bundler entry: fetches and instantiates the WebAssembly (top-level await), so every function is
// ready to call once the import resolves.
import init from './jobscope.js';
import { setup } from './api.js';

setup(await init({ module_or_path: new URL('./jobscope_bg.wasm', import.meta.url) }));

export { validateRequest, buildRequest, parseResponse, parseMqttMessage, explainError } from './api.js';
