// The package's functions over its WebAssembly module (the Rust side is src/js/). Each call crosses into wasm
// once. When the input is plain — the types each function expects, no unknown keys, headers a record, an array, a
// Map or a fetch Headers — its strings are written as UTF-8 straight into the module's input buffer (one
// encodeInto), the body or payload after them as the string or bytes it came as, and the other fields go as
// numbers. Anything else — a wrong type, an unknown key, an invalid request, a NUL in a header — takes the full
// path (`full` in jobscope.js), where wasm reads the JS values itself and owns every error message. Both paths end
// in the same Rust code and come back the same way (output.js).
//
// An error result's `explanation` is not sent with each result: the module sends an explanation's index, and the
// object is fetched once per explanation, deep-frozen and shared by every result and explainError call that has
// it.
import { full } from './jobscope.js';
import { reader } from './output.js';

let wasm; // the module's exports
let result; // the result of the call that just returned 1 (output.js)
let base = 0; // the input buffer: address and size
let size = 0;
let bytes = new Uint8Array(0); // wasm memory, renewed when it grows (a grown memory detaches the view)
const encoder = new TextEncoder();
const explanations = [];

/** Called once by the entry (node.js, index.js) with the instantiated module's exports. */
export function setup(exports) {
  wasm = exports;
  result = reader(exports, explanation);
  grow(4096);
}

function views() {
  bytes = new Uint8Array(wasm.memory.buffer);
}

function grow(needed) {
  size = Math.max(needed, 2 * size);
  base = wasm.jobscope_reserve(size) >>> 0;
  views();
}

// Writes `text` as UTF-8 at `at` in the input buffer; returns the bytes written.
function put(text, at) {
  if (bytes.byteLength === 0) views();
  if (at + text.length > size) grow(at + text.length);
  const { read, written } = encoder.encodeInto(text, bytes.subarray(base + at, base + size));
  if (read === text.length) return written;
  // Non-ASCII text outgrew the buffer: at most 3 bytes per UTF-16 unit are left.
  grow(at + written + 3 * (text.length - read));
  return written + encoder.encodeInto(text.slice(read), bytes.subarray(base + at + written, base + size)).written;
}

// Writes a body or payload given as bytes at `at`; returns its length.
function putBytes(data, at) {
  if (bytes.byteLength === 0) views();
  if (at + data.length > size) grow(at + data.length);
  bytes.set(data, base + at);
  return data.length;
}

// The full path: wasm reads the arguments itself.
const call = (op, a, b) => (full(op, a, b), result());

/** The explanation at `index`, shared and deep-frozen (fetched from the module the first time). */
function explanation(index) {
  let found = explanations[index];
  if (found === undefined) {
    wasm.jobscope_explanation(index);
    found = result();
    Object.freeze(found.causes);
    Object.freeze(found.actions);
    explanations[index] = Object.freeze(found);
  }
  return found;
}

// ---- Plain input ----
//
// The helpers below read everything they need from the caller's objects (getters run there) and return it; nothing
// is kept between calls, so a getter that calls back into jobscope cannot change what the outer call passes on.

const KEYS = new Set(['plane', 'thingName', 'jobId', 'executionNumber', 'includeJobDocument']);

const planeCode = (value) => (value == null ? 0 : value === 'data' ? 1 : value === 'control' ? 2 : -1);

/**
 * A plain DescribeJobExecutionInput's fields as the module takes them — `text` (thingName, jobId and the number's
 * text, joined) with the UTF-16 length of each (-1 when absent), codes for the plane (0 absent, 1 data, 2 control),
 * the number's kind (0 absent, 1 string, 2 number, 3 bigint) and includeJobDocument (0 absent, 1 false, 2 true) —
 * or null for the full path.
 */
function plainInput(input) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  for (const key of Object.keys(input)) if (!KEYS.has(key)) return null;
  const { plane: p, thingName, jobId, executionNumber: n, includeJobDocument } = input;
  const plane = planeCode(p);
  if (plane < 0 || !(thingName == null || typeof thingName === 'string') || !(jobId == null || typeof jobId === 'string')) return null;
  let numberKind = 0;
  let numberText = '';
  let number = 0;
  if (typeof n === 'string') { numberKind = 1; numberText = n; }
  else if (typeof n === 'number') { numberKind = 2; number = n; }
  else if (typeof n === 'bigint') { numberKind = 3; numberText = n.toString(); }
  else if (n != null) return null;
  const include = includeJobDocument == null ? 0 : includeJobDocument === false ? 1 : includeJobDocument === true ? 2 : -1;
  if (include < 0) return null;
  return {
    text: (thingName ?? '') + (jobId ?? '') + numberText,
    plane,
    thingName: thingName == null ? -1 : thingName.length,
    jobId: jobId == null ? -1 : jobId.length,
    numberKind,
    numberText: numberKind === 1 || numberKind === 3 ? numberText.length : -1,
    number,
    include,
  };
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

// ---- validateRequest, buildRequest ----

export function validateRequest(input) {
  const r = plainInput(input);
  if (r !== null
    && wasm.jobscope_request(0, r.plane, r.thingName, r.jobId, r.numberKind, r.numberText, r.number, r.include, -1, -1, put(r.text, 0))) {
    return result();
  }
  return call(0, input);
}

export function buildRequest(input, options) {
  if (options == null || isObject(options)) {
    const endpoint = options?.endpoint;
    const clientToken = options?.clientToken;
    const r = plainInput(input);
    if (r !== null && (endpoint == null || typeof endpoint === 'string') && (clientToken == null || typeof clientToken === 'string')) {
      const n = put(r.text + (endpoint ?? '') + (clientToken ?? ''), 0);
      if (wasm.jobscope_request(1, r.plane, r.thingName, r.jobId, r.numberKind, r.numberText, r.number, r.include,
        endpoint == null ? -1 : endpoint.length, clientToken == null ? -1 : clientToken.length, n)) {
        return result();
      }
    }
  }
  return call(1, input, options);
}

// ---- parseResponse ----

// Plain headers — a record of strings, or [name, value] pairs from an array, a Map or a fetch Headers — joined as
// `name NUL value NUL name …` (the module checks the count: a NUL inside a name or value sends the call to the full
// path), with their count; or null. Other iterables go to the full path untouched, as iterating them here could
// use them up.
function plainHeaders(headers) {
  let count = 0;
  let text = '';
  if (headers == null) return { count, text };
  if (typeof headers !== 'object') return null;
  if (typeof headers[Symbol.iterator] === 'function') {
    if (!(Array.isArray(headers) || headers instanceof Map || (typeof Headers === 'function' && headers instanceof Headers))) return null;
    for (const entry of headers) {
      if (!Array.isArray(entry)) return null;
      const name = entry[0];
      const value = entry[1];
      if (typeof name !== 'string' || typeof value !== 'string') return null;
      text = count++ === 0 ? `${name}\0${value}` : `${text}\0${name}\0${value}`;
    }
    return { count, text };
  }
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value !== 'string') return null;
    text = count++ === 0 ? `${name}\0${value}` : `${text}\0${name}\0${value}`;
  }
  return { count, text };
}

const isBody = (body) => typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer;

// A body or payload after the call's strings (`at` bytes); returns its length in bytes.
const putBody = (body, at) => (typeof body === 'string' ? put(body, at)
  : putBytes(body instanceof ArrayBuffer ? new Uint8Array(body) : body, at));

const NONE = { text: '', plane: 0, thingName: -1, jobId: -1, numberKind: 0, numberText: -1, number: 0, include: 0 };

export function parseResponse(response, options) {
  if (isObject(response) && (options == null || isObject(options))) {
    const optionsPlane = options == null ? 0 : planeCode(options.plane);
    const request = options?.request;
    const { status, headers, body } = response;
    const r = request == null ? NONE : plainInput(request);
    const h = plainHeaders(headers);
    if (optionsPlane >= 0 && r !== null && (optionsPlane === 0 || r.plane === 0 || r.plane === optionsPlane) && h !== null
      && Number.isInteger(status) && status >= 100 && status <= 599 && isBody(body)) {
      const n = put(r.text + h.text, 0);
      if (wasm.jobscope_response(status, optionsPlane, r === NONE ? 0 : 1, r.plane, r.thingName, r.jobId, r.numberKind,
        r.numberText, r.number, r.include, h.count, h.text.length, n, putBody(body, n))) {
        return result();
      }
    }
  }
  return call(2, response, options);
}

// ---- parseMqttMessage ----

export function parseMqttMessage(message, options) {
  if (isObject(message) && (options == null || isObject(options))) {
    const request = options?.request;
    const clientToken = options?.clientToken;
    const { topic, payload } = message;
    const r = request == null ? NONE : plainInput(request);
    if (typeof topic === 'string' && isBody(payload) && (clientToken == null || typeof clientToken === 'string')
      && r !== null && r.plane !== 2) {
      const token = clientToken ?? '';
      const n = put(topic + r.text + token, 0);
      if (wasm.jobscope_mqtt(topic.length, r === NONE ? 0 : 1, r.thingName, r.jobId, r.numberKind, r.numberText, r.number,
        r.include, clientToken == null ? -1 : token.length, n, putBody(payload, n))) {
        return result();
      }
    }
  }
  return call(3, message, options);
}

// ---- explainError ----

export function explainError(code) {
  if (typeof code === 'string') {
    const index = wasm.jobscope_explain(put(code, 0));
    if (index >= 0) return explanation(index);
  }
  return explanation(call(4, code));
}

/** The full path of each function, for the package's own tests (which hold both paths to the same results). */
export const fullPath = {
  validateRequest: (input) => call(0, input),
  buildRequest: (input, options) => call(1, input, options),
  parseResponse: (response, options) => call(2, response, options),
  parseMqttMessage: (message, options) => call(3, message, options),
  explainError: (code) => explanation(call(4, code)),
};
