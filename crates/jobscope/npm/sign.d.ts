// The types of `jobscope/sign`: signRequest, over the types the main entry shares (types.d.ts).
import type { BuiltRequest, Credentials, SignOptions, SignedHeaders } from './types.js';

export type { BuiltRequest, Credentials, SignOptions, SignedHeaders, SigningName } from './types.js';

/**
 * Signs a built request (SigV4) and returns the headers to send with it. The secret never leaves this call.
 * Throws a `TypeError` for a bad argument, an `Error` when the URL or credentials cannot be signed.
 */
export function signRequest(
  request: Pick<BuiltRequest, 'url'> & Partial<Pick<BuiltRequest, 'method' | 'plane'>>,
  credentials: Credentials,
  options: SignOptions,
): SignedHeaders;
