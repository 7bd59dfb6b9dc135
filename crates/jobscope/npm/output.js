// How a result comes out of a jobscope WebAssembly module (both entries; the Rust side is src/js/out.rs and
// src/js/tape.rs): after a call, the module's header says where the output is and with which flags. The output is a
// tape — the text of the value's strings, `[tag, argument]` ops and f64 numbers — that `read` walks to build the
// value: one decode of the text, then slices; member names come interned from the module's list of them.

/** An error result whose `error.explanation` is an explanation's index: the reader puts the explanation there. */
const EXPLAINED = 2;
/** Throw a TypeError: the output is its message. */
const TYPE_ERROR = 4;
/** Throw an Error named ValidationError: the output is `{message, violations}`. */
const VALIDATION_ERROR = 8;
/** validateRequest's input is valid (no output). */
const VALID = 16;
/** Throw an Error: the output is its message. */
const ERROR = 32;

// The tape's tags (src/js/tape.rs).
const NULL = 0;
const TRUE = 1;
const FALSE = 2;
const NUMBER = 3;
const BIGINT = 4;
const STRING = 5;
const OBJECT = 6;
const ARRAY = 7;
const END = 8;
const KEY = 9;
const DYNAMIC_KEY = 10;

// Safari's TextDecoder fails after about 2 GiB decoded by one instance (as wasm-bindgen's glue, start a new one).
let decoder = new TextDecoder('utf-8', { ignoreBOM: true });
let decoded = 0;

function decode(bytes) {
  decoded += bytes.length;
  if (decoded >= 2146435072) {
    decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    decoded = bytes.length;
  }
  return decoder.decode(bytes);
}

// The tape being read: its text, and the next op (index in `words`), string (in `text`) and number (in `floats`).
let text = '';
let op = 0;
let at = 0;
let number = 0;
let words;
let floats;
let keys; // the module's member names by index,
let define; // and how to read one it has not read yet

function value() {
  const tag = words[op];
  const argument = words[op + 1];
  op += 2;
  switch (tag) {
    case STRING: return text.slice(at, at += argument);
    case NUMBER: return floats[number++];
    case OBJECT: {
      const object = {};
      for (;;) {
        const member = words[op];
        const index = words[op + 1];
        op += 2;
        if (member === KEY) object[keys[index] ?? define(index)] = value();
        else if (member === END) return object;
        else {
          const key = text.slice(at, at += index);
          // As JSON.parse: a "__proto__" key is an own property, not the prototype.
          if (key === '__proto__') Object.defineProperty(object, key, { value: value(), writable: true, enumerable: true, configurable: true });
          else object[key] = value();
        }
      }
    }
    case ARRAY: {
      const array = [];
      while (words[op] !== END) array.push(value());
      op += 2;
      return array;
    }
    case TRUE: return true;
    case FALSE: return false;
    case BIGINT: return BigInt(text.slice(at, at += argument));
    default: return null;
  }
}

/**
 * A reader of one module's outputs: `read()` returns the value of the call that just returned 1, or throws the
 * error it describes. `explanation(index)` gives the explanation an error result carries the index of.
 */
export function reader(wasm, explanation) {
  const header = wasm.jobscope_header() >>> 2;
  const list = wasm.jobscope_keys() >>> 2;
  let bytes;
  let u32;
  let f64;
  const views = () => {
    const buffer = wasm.memory.buffer;
    bytes = new Uint8Array(buffer);
    u32 = new Uint32Array(buffer);
    f64 = new Float64Array(buffer);
  };
  views();
  // The module's member names, interned, by index; read from the module's list the first time.
  const names = [];
  const name = (index) => {
    const address = u32[list + 2 * index];
    const key = decode(bytes.subarray(address, address + u32[list + 2 * index + 1]));
    return (names[index] = Object.keys({ [key]: 0 })[0]);
  };
  return function read() {
    if (bytes.byteLength === 0) views(); // the memory grew
    const flags = u32[header + 2];
    if (flags & VALID) return { valid: true, violations: [] };
    const start = u32[header];
    text = decode(bytes.subarray(start, start + u32[header + 1]));
    op = u32[header + 3] >>> 2;
    at = 0;
    number = u32[header + 5] >>> 3;
    words = u32;
    floats = f64;
    keys = names;
    define = name;
    const result = value();
    text = '';
    if (flags & (TYPE_ERROR | VALIDATION_ERROR | ERROR)) throw thrown(result, flags);
    if (flags & EXPLAINED) result.error.explanation = explanation(result.error.explanation);
    return result;
  };
}

function thrown(value, flags) {
  if (flags & TYPE_ERROR) return new TypeError(value);
  if (flags & ERROR) return new Error(value);
  const error = new Error(value.message);
  error.name = 'ValidationError';
  error.violations = value.violations;
  return error;
}
