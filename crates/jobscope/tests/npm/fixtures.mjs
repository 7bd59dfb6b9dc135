// What the Node tests share: reading the fixtures (JOBSCOPE_FIXTURES) with exact 64-bit integers, and comparing
// the package's values with them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const fixtures = process.env.JOBSCOPE_FIXTURES;
assert.ok(fixtures, 'JOBSCOPE_FIXTURES must name the fixtures directory');
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// Integer literals of 16+ digits (outside strings) become "#digits" before JSON.parse, so fixture values above
// 2^53 stay exact.
export function readFixtures(name) {
  const text = readFileSync(`${fixtures}/${name}`, 'utf8');
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i];
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') { inString = true; out += ch; continue; }
    const number = /^-?\d+(?![\d.eE])/.exec(text.slice(i, i + 32));
    if (number && number[0].replace('-', '').length >= 16) {
      out += `"#${number[0]}"`;
      i += number[0].length - 1;
      continue;
    }
    out += ch;
  }
  return JSON.parse(out).cases;
}

// Puts actual and expected values in one comparable form: exact integers as "#digits".
export function canon(value) {
  if (typeof value === 'bigint') {
    assert.ok(value > MAX_SAFE || value < -MAX_SAFE, `bigint ${value} should have been a number`);
    return `#${value}`;
  }
  if (typeof value === 'string' && /^#-?\d+$/.test(value)) {
    const big = BigInt(value.slice(1));
    return big <= MAX_SAFE && big >= -MAX_SAFE ? Number(big) : value;
  }
  if (Array.isArray(value)) return value.map(canon);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canon(v)]));
  }
  return value;
}

export function jsInput(input) {
  const out = { ...input };
  if (typeof out.executionNumber === 'string' && out.executionNumber.startsWith('#')) {
    out.executionNumber = out.executionNumber.slice(1); // a 16+ digit literal: pass it as text
  }
  return out;
}
