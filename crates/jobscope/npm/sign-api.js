// signRequest and presignMqttUrl over the signing module (src/js/sign.rs): SigV4 for a built request and the
// presigned URL of MQTT over WebSocket, the secret used only inside the call. The arguments go to wasm as they are (it reads them and owns every error message); the result comes
// back as the main module's do (output.js).
import { sign, presign } from './jobscope_sign.js';
import { reader } from './output.js';

let result;

/** Called once by the entry (sign-node.js, sign.js) with the instantiated module's exports. */
export function setup(exports) {
  result = reader(exports);
}

export function signRequest(request, credentials, options) {
  sign(request, credentials, options);
  return result();
}

export function presignMqttUrl(endpoint, credentials, options) {
  presign(endpoint, credentials, options);
  return result();
}
