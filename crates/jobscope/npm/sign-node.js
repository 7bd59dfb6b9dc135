// `jobscope/sign`, Node entry: loads the signing module's WebAssembly synchronously at import.
import { readFileSync } from 'node:fs';
import { initSync } from './jobscope_sign.js';
import { setup } from './sign-api.js';

setup(initSync({ module: readFileSync(new URL('./jobscope_sign_bg.wasm', import.meta.url)) }));

export { signRequest, presignMqttUrl } from './sign-api.js';
