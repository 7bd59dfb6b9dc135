// The types of the main entry (`jobscope`): its functions, over the types in types.d.ts (shared with
// `jobscope/sign`, whose declarations are sign.d.ts).
import type {
  BuildOptions, BuiltRequest, DescribeJobExecutionInput, ErrorCode, Explanation, HttpResponseInput, MqttMessageInput,
  MqttParseOptions, MqttParseResult, ParseOptions, ParseResult, ValidationResult,
} from './types.js';

export type * from './types.js';

/** Validates a request, returning every violation at once. */
export function validateRequest(input: DescribeJobExecutionInput): ValidationResult;

/** Builds the HTTP request and its curl, AWS CLI and MQTT forms. Throws a `ValidationError` when invalid. */
export function buildRequest(input: DescribeJobExecutionInput, options?: BuildOptions | null): BuiltRequest;

/** Decodes and checks a response. Service and protocol errors are returned as `{kind: 'error'}`, not thrown. */
export function parseResponse(response: HttpResponseInput, options?: ParseOptions | null): ParseResult;

/**
 * Decodes a message that arrived on a Jobs topic — a describe, start-next, get or update reply (`…/accepted`,
 * `…/rejected`), `notify` or `notify-next` — with the same checks and result shape as parseResponse, plus the kinds
 * `pending` and `updated`. Rejections and malformed messages are returned as `{kind: 'error'}`, not thrown.
 */
export function parseMqttMessage(message: MqttMessageInput, options?: MqttParseOptions | null): MqttParseResult;

/**
 * Explains an error code (`ResourceNotFoundException`, `com.amazonaws.iot#ThrottlingException`, `NetworkError`, …).
 * The explanation is shared and frozen (see `Explanation`).
 */
export function explainError(code: ErrorCode): Explanation;
