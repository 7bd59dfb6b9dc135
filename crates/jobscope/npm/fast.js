// validateRequest and buildRequest with a fast path for plain input (strings, a number/bigint/string
// executionNumber, a boolean): the fields cross into WebAssembly as arguments instead of ~40 property reads across
// the boundary, and the result comes back the way every result does (one JSON string, parsed by the engine).
// Anything else — a wrong type, an unknown key, an invalid request or endpoint — takes the full path in
// jobscope.js, which owns every error message.
import * as wasm from './jobscope.js';

const KEYS = new Set(['plane', 'thingName', 'jobId', 'executionNumber', 'includeJobDocument']);
const NO = Symbol('not plain');

// The wasm arguments for a plain input, or NO.
function plainArguments(input) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return NO;
  for (const key of Object.keys(input)) if (!KEYS.has(key)) return NO;
  const { plane, thingName, jobId, executionNumber: n, includeJobDocument: include } = input;
  if (plane != null && plane !== 'data' && plane !== 'control') return NO;
  if (thingName != null && typeof thingName !== 'string') return NO;
  if (jobId != null && typeof jobId !== 'string') return NO;
  let kind = 0;
  let text;
  let number = 0;
  if (typeof n === 'string') { kind = 1; text = n; }
  else if (typeof n === 'number') { kind = 2; number = n; }
  else if (typeof n === 'bigint') { kind = 3; text = n.toString(); }
  else if (n != null) return NO;
  let flag = 0;
  if (include === false) flag = 1;
  else if (include === true) flag = 2;
  else if (include != null) return NO;
  return [plane ?? undefined, thingName ?? undefined, jobId ?? undefined, kind, text, number, flag];
}

// plainRequest answers undefined when the full path must decide (it owns the error messages).
export function validateRequest(input) {
  const args = plainArguments(input);
  return (args === NO ? undefined : wasm.plainRequest(false, ...args, undefined, undefined)) ?? wasm.validateRequest(input);
}

export function buildRequest(input, options) {
  const args = plainArguments(input);
  if (args !== NO && (options === undefined || options === null || (typeof options === 'object' && !Array.isArray(options)))) {
    const endpoint = options?.endpoint;
    const clientToken = options?.clientToken;
    if ((endpoint == null || typeof endpoint === 'string') && (clientToken == null || typeof clientToken === 'string')) {
      const out = wasm.plainRequest(true, ...args, endpoint ?? undefined, clientToken ?? undefined);
      if (out !== undefined) return out;
    }
  }
  return wasm.buildRequest(input, options);
}
