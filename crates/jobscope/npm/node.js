// Node entry: loads the WebAssembly synchronously at import, so every function is ready to call.
import { readFileSync } from 'node:fs';
import { initSync } from './jobscope.js';
import { setup } from './api.js';

setup(initSync({ module: readFileSync(new URL('./jobscope_bg.wasm', import.meta.url)) }));

export { validateRequest, buildRequest, parseResponse, parseMqttMessage, explainError } from './api.js';
