// `jobscope/sign`, browser and bundler entry: fetches and instantiates the signing module's WebAssembly (top-level
// await), so signRequest and presignMqttUrl are ready once the import resolves. The main entry never loads it.
import init from './jobscope_sign.js';
import { setup } from './sign-api.js';

setup(await init({ module_or_path: new URL('./jobscope_sign_bg.wasm', import.meta.url) }));

export { signRequest, presignMqttUrl } from './sign-api.js';
