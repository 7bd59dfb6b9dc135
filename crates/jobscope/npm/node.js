// Node entry: loads the WebAssembly synchronously at import, so every function is ready to call.
import { readFileSync } from 'node:fs';
import { initSync } from './jobscope.js';

initSync({ module: readFileSync(new URL('./jobscope_bg.wasm', import.meta.url)) });

export { parseResponse, parseMqttMessage, explainError, signRequest } from './jobscope.js';
export { validateRequest, buildRequest } from './fast.js';
