// The types of `jobscope/sign`: signRequest and presignMqttUrl, over the types the main entry shares (types.d.ts).
import type { BuiltRequest, Credentials, PresignOptions, SignOptions, SignedHeaders } from './types.js';

export type { BuiltRequest, Credentials, PresignOptions, SignOptions, SignedHeaders, SigningName } from './types.js';

/**
 * Signs a built request (SigV4) and returns the headers to send with it. The secret never leaves this call.
 * Throws a `TypeError` for a bad argument, an `Error` when the URL or credentials cannot be signed.
 */
export function signRequest(
  request: Pick<BuiltRequest, 'url'> & Partial<Pick<BuiltRequest, 'method' | 'plane'>>,
  credentials: Credentials,
  options: SignOptions,
): SignedHeaders;

/**
 * The presigned URL of MQTT over WebSocket, as the official AWS IoT browser SDK builds it: `wss://{host}/mqtt?` with
 * X-Amz-Algorithm, X-Amz-Credential (service `iotdevicegateway`), X-Amz-Date, X-Amz-SignedHeaders=host and
 * X-Amz-Signature in that order, the `host` signed without a port, the empty payload's hash, and
 * `X-Amz-Security-Token` appended after signing. `endpoint` is `wss://{host}/mqtt` or the bare host (the account's
 * `iot:Data-ATS` endpoint; `ws://` for a local emulator). Throws a `TypeError` for a bad argument, an `Error` when
 * the endpoint or credentials cannot be signed; the secret is in neither.
 */
export function presignMqttUrl(endpoint: string, credentials: Credentials, options: PresignOptions): string;
