// The package's types, shared by both entries: index.d.ts (`jobscope`) and sign.d.ts (`jobscope/sign`) declare
// their functions over them. Every string union here is checked against its Rust enum by tests/dts_unions.rs, and
// every interface of a public Rust type against the keys its serde form writes: a union or member added on one
// side only fails that test.

/** Which API: the device-side data plane (`iot-jobs-data`) or the operator-side control plane (`iot`). */
export type Plane = 'data' | 'control';

/** A plane's SigV4 signing name (and AWS CLI service name): `iot-jobs-data` (data) or `iot` (control). */
export type SigningName = 'iot-jobs-data' | 'iot';

/**
 * A 64-bit integer: a `number` when JavaScript holds it exactly (|v| ≤ Number.MAX_SAFE_INTEGER),
 * otherwise an exact `bigint`. Never rounded.
 */
export type Long = number | bigint;

export interface DescribeJobExecutionInput {
  /** Default `'data'`. */
  plane?: Plane;
  thingName: string;
  /** A job id, or `'$next'` on the data plane. */
  jobId: string;
  /** A whole number 0..9223372036854775807. Above 2^53 pass a string or bigint: a JS number may already be rounded. */
  executionNumber?: number | bigint | string;
  /** Data plane only. */
  includeJobDocument?: boolean;
}

export type ViolationCode =
  | 'required' | 'too_short' | 'too_long' | 'pattern' | 'not_integer' | 'out_of_range' | 'not_supported';

export interface Violation {
  /** The wire name: thingName, jobId, executionNumber, includeJobDocument or endpoint. */
  field: string;
  code: ViolationCode;
  /** e.g. "thingName: must be at most 128 characters, got 131". */
  message: string;
}

export interface ValidationResult { valid: boolean; violations: Violation[] }

/** Thrown by buildRequest (and parseResponse's `request`) for an invalid input. */
export interface ValidationError extends Error { name: 'ValidationError'; violations: Violation[] }

export interface BuildOptions {
  /** Base URL, with or without a path prefix or trailing slash. Without it `url` is relative. */
  endpoint?: string;
  /**
   * Put in the MQTT payload (`mqtt.payload`, first member); the reply echoes it, so a client can match replies to
   * requests on the shared `…/accepted` topic. Pass the same token to parseMqttMessage. Any string; default none.
   */
  clientToken?: string;
}

export interface MqttRequest {
  /** `$aws/things/{thingName}/jobs/{jobId}/get` */
  topic: string;
  /** e.g. `{"clientToken":"c-1","executionNumber":5,"includeJobDocument":false}`, with only the members set. */
  payload: string;
  acceptedTopic: string;
  rejectedTopic: string;
}

export interface BuiltRequest {
  /** The plane the request was built for (signRequest uses its signing name). */
  plane: Plane;
  method: 'GET';
  /** Labels percent-encoded: `/things/my%3Athing/jobs/%24next`. */
  path: string;
  /** Without `?`; empty when no parameter is set. */
  query: string;
  url: string;
  headers: Record<string, string>;
  curl: string;
  awsCli: string;
  /** Data plane only. */
  mqtt?: MqttRequest;
}

export type JobExecutionStatus =
  | 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'REJECTED' | 'REMOVED' | 'CANCELED'
  | (string & {});

/** A job execution with the wire names; `statusDetails` is flat on both planes. Absent fields are absent. */
export interface JobExecution {
  jobId?: string;
  /** Data plane. */
  thingName?: string;
  /** Control plane. */
  thingArn?: string;
  status?: JobExecutionStatus;
  /** Control plane. */
  forceCanceled?: boolean;
  statusDetails?: Record<string, string>;
  /** Epoch seconds; may have a fraction on the control plane. */
  queuedAt?: Long;
  startedAt?: Long;
  lastUpdatedAt?: Long;
  approximateSecondsBeforeTimedOut?: Long;
  versionNumber?: Long;
  executionNumber?: Long;
  /** Data plane; the raw document text. */
  jobDocument?: string;
}

export type WarningCode =
  | 'unknown_status' | 'time_order' | 'started_while_queued' | 'timeout_on_terminal' | 'status_details_key'
  | 'status_details_value' | 'document_too_long' | 'milliseconds' | 'request_mismatch' | 'precision' | 'fractional'
  | 'string_number' | 'out_of_range' | 'plane_mismatch' | 'unknown_field' | 'duplicate_key' | 'invalid_value'
  | 'inconsistent' | 'empty_body' | 'byte_order_mark';

export interface Warning { field: string; code: WarningCode; message: string }

/**
 * What an error means and what to do. Explanations are shared and frozen: `explainError` and every error result
 * with the same explanation return the same (deep-frozen) object, so it cannot be changed — copy it to edit it.
 */
export interface Explanation {
  title: string;
  /** What the error means for this DescribeJobExecution call. */
  meaning: string;
  causes: string[];
  actions: string[];
  retryable: boolean;
}

/**
 * An error type: the AWS error types of both planes' models, the usual AWS auth and endpoint failures,
 * jobscope's transport codes (`HttpError`, `NonJsonResponse`, `MalformedResponse`, `NetworkError`, `CorsBlocked`,
 * `ConnectionRefused` and `SubscribeRefused` for MQTT over WebSocket, `Timeout`, `Aborted`), and the codes of the Jobs MQTT API's rejections (`InvalidTopic`, …, `TerminalStateReached`).
 * Any other type a server sends is kept as sent.
 */
export type ErrorCode =
  | 'InvalidRequestException' | 'ResourceNotFoundException' | 'ThrottlingException' | 'ServiceUnavailableException'
  | 'CertificateValidationException' | 'TerminalStateException' | 'InternalServerException'
  | 'InternalFailureException' | 'ConflictException' | 'InvalidStateTransitionException'
  | 'ServiceQuotaExceededException' | 'ValidationException' | 'LimitExceededException' | 'UnauthorizedException'
  | 'VersionConflictException' | 'ResourceAlreadyExistsException' | 'UnrecognizedClientException'
  | 'InvalidSignatureException' | 'IncompleteSignatureException' | 'MissingAuthenticationTokenException'
  | 'AccessDeniedException' | 'ExpiredTokenException' | 'UnknownOperationException' | 'RequestTimeoutException'
  | 'RequestEntityTooLargeException'
  | 'HttpError' | 'NonJsonResponse' | 'MalformedResponse' | 'NetworkError' | 'CorsBlocked' | 'ConnectionRefused'
  | 'SubscribeRefused' | 'Timeout' | 'Aborted'
  | 'InvalidTopic' | 'InvalidJson' | 'InvalidRequest' | 'InvalidStateTransition' | 'ResourceNotFound'
  | 'VersionMismatch' | 'InternalError' | 'RequestThrottled' | 'TerminalStateReached'
  | (string & {});

export interface ServiceError {
  /**
   * The AWS error type (`ResourceNotFoundException`, …), an MQTT rejection's code (`TerminalStateReached`, …) or a
   * transport code (`HttpError`, `NonJsonResponse`, `MalformedResponse`, …).
   */
  code: ErrorCode;
  /** 0 when no HTTP response arrived (so always 0 from parseMqttMessage). */
  httpStatus: number;
  message?: string;
  requestId?: string;
  /** ThrottlingException's `payload`, base64-decoded. */
  payload?: string;
  /** An MQTT rejection's `executionState` (InvalidStateTransition, VersionMismatch): where the execution is now. */
  executionState?: JobExecutionState;
  retryable: boolean;
  explanation: Explanation;
}

export interface HttpResponseInput {
  status: number;
  /** Names are matched case-insensitively. A fetch `Headers` object works too. */
  headers?: Record<string, string> | Iterable<[string, string]>;
  body: string | Uint8Array | ArrayBuffer;
}

export interface ParseOptions {
  /** Default: the request's plane, else `'data'`. */
  plane?: Plane;
  /** The request that was sent: the answer is checked against it. */
  request?: DescribeJobExecutionInput;
}

/** For `signRequest` (`jobscope/sign`). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** For temporary credentials; sent as x-amz-security-token. */
  sessionToken?: string;
}

/** For `presignMqttUrl` (`jobscope/sign`). */
export interface PresignOptions {
  /** The endpoint's region, e.g. 'us-east-1'. */
  region: string;
  /** When to sign: a Date or epoch milliseconds (default: now). */
  time?: Date | number;
}

/** For `signRequest` (`jobscope/sign`). */
export interface SignOptions {
  /** The endpoint's region, e.g. 'us-east-1'. */
  region: string;
  /** The signing time: a Date or epoch milliseconds. Default: now. */
  time?: Date | number;
  /** The signing name; default from the request's plane: 'iot-jobs-data' (data) or 'iot' (control). */
  service?: SigningName;
}

/** Headers to add to the request: authorization, x-amz-date and, with a session token, x-amz-security-token. */
export type SignedHeaders = Record<string, string>;

export type ParseResult =
  | { kind: 'execution'; execution: JobExecution; warnings: Warning[] }
  | { kind: 'none'; warnings: Warning[] }
  | { kind: 'error'; error: ServiceError };

/** A job execution's state after an update, or now (a VersionMismatch or InvalidStateTransition rejection). */
export interface JobExecutionState {
  status?: JobExecutionStatus;
  statusDetails?: Record<string, string>;
  versionNumber?: Long;
}

/**
 * An execution in a list (`inProgressJobs`, `queuedJobs`). Over MQTT it has the data plane's members; `status` and
 * `retryAttempt` are the control plane's (ListJobExecutionsForThing), kept when a message has them.
 */
export interface JobExecutionSummary {
  jobId?: string;
  status?: JobExecutionStatus;
  /** Epoch seconds. */
  queuedAt?: Long;
  startedAt?: Long;
  lastUpdatedAt?: Long;
  versionNumber?: Long;
  executionNumber?: Long;
  retryAttempt?: Long;
}

/** A message as an MQTT client delivers it: mqtt.js's `(topic, payload)` or its packet object. */
export interface MqttMessageInput {
  /** The topic it arrived on, e.g. `$aws/things/sensor-1/jobs/$next/get/accepted`. */
  topic: string;
  /** The payload: text (UTF-8) or bytes — a Node `Buffer` is a `Uint8Array`. */
  payload: string | Uint8Array | ArrayBuffer;
}

export interface MqttParseOptions {
  /**
   * The DescribeJobExecution that was published: an accepted answer is checked against it, and a topic naming
   * another thing is a warning. The MQTT API is the data plane's: a `plane: 'control'` request throws a TypeError.
   */
  request?: DescribeJobExecutionInput;
  /** The `clientToken` that was published (BuildOptions.clientToken): a reply echoing another is a warning. */
  clientToken?: string;
}

/** GetPendingJobExecutions accepted (`…/jobs/get/accepted`) or a `notify` event: the thing's pending executions. */
export interface MqttPendingResult {
  kind: 'pending';
  inProgressJobs: JobExecutionSummary[];
  queuedJobs: JobExecutionSummary[];
  warnings: Warning[];
}

/** UpdateJobExecution accepted (`…/jobs/{jobId}/update/accepted`): what the update asked to have back. */
export interface MqttUpdatedResult {
  kind: 'updated';
  /** With `includeJobExecutionState`. */
  executionState?: JobExecutionState;
  /** With `includeJobDocument`: the document's JSON text (an object over MQTT, given as text as over HTTP). */
  jobDocument?: string;
  warnings: Warning[];
}

/**
 * What parseMqttMessage returns. Describe and start-next answers and `notify-next` are `execution` or `none` (as
 * parseResponse); a rejection (or a malformed message) is `error`, with `executionState` when the service sent it.
 */
export type MqttParseResult = ParseResult | MqttPendingResult | MqttUpdatedResult;
