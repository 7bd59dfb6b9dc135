// Typed usage of the package: checked with `tsc --noEmit --strict` (scripts/test-npm). Never run.
import {
  validateRequest, buildRequest, parseResponse, parseMqttMessage, explainError, type DescribeJobExecutionInput,
  type JobExecution, type Long, type ParseResult, type ServiceError, type Violation, type Warning, type Explanation,
  type BuiltRequest, type ErrorCode, type WarningCode, type SigningName, type MqttParseResult, type MqttParseOptions,
  type MqttMessageInput, type JobExecutionSummary, type JobExecutionState,
} from 'jobscope';
// Signing is its own entry (and WebAssembly module); its types are the main entry's.
import { presignMqttUrl, signRequest, type Credentials, type PresignOptions, type SignedHeaders, type SignOptions } from 'jobscope/sign';

const input: DescribeJobExecutionInput = { plane: 'data', thingName: 'sensor-1', jobId: '$next', executionNumber: 5n };
const checked: { valid: boolean; violations: Violation[] } = validateRequest(input);
const built: BuiltRequest = buildRequest(input, { endpoint: 'http://127.0.0.1:9090' });
const method: 'GET' = built.method;
const topic: string | undefined = built.mqtt?.topic;
const headers: Record<string, string> = built.headers;

const result: ParseResult = parseResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }, { request: input });
function describe(r: ParseResult): string {
  switch (r.kind) {
    case 'execution': {
      const e: JobExecution = r.execution;
      const n: Long | undefined = e.executionNumber;
      const details: Record<string, string> | undefined = e.statusDetails;
      const warnings: Warning[] = r.warnings;
      return `${e.status ?? '?'} ${String(n)} ${Object.keys(details ?? {}).length} ${warnings.length}`;
    }
    case 'none':
      return `nothing pending (${r.warnings.length} warnings)`;
    case 'error': {
      const error: ServiceError = r.error;
      const explanation: Explanation = error.explanation;
      return `${error.code} ${error.httpStatus} ${error.retryable} ${explanation.title}`;
    }
  }
}
const title: string = explainError('ThrottlingException').title;
// ErrorCode lists the known codes and stays open: a server may send a type this version does not know.
const known: ErrorCode = 'TerminalStateException';
const unknown: ErrorCode = 'SomeFutureException';
const retryable: boolean = explainError(known).retryable && explainError(unknown).retryable;
const service: SigningName = 'iot-jobs-data';
// @ts-expect-error WarningCode is closed
const notAWarning: WarningCode = 'not_a_warning';
const credentials: Credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
const signOptions: SignOptions = { region: 'us-east-1', time: new Date() };
const signed: SignedHeaders = signRequest(built, credentials, signOptions);
// The shared types are one: the main entry's Credentials is the signer's.
const sameCredentials: import('jobscope').Credentials = credentials;
const authorization: string | undefined = signed['authorization'];
// @ts-expect-error the service is one of the two signing names
signRequest(built, credentials, { region: 'us-east-1', service: 's3' });
// MQTT over WebSocket: the presigned URL is a string.
const presignOptions: PresignOptions = { region: 'us-east-1', time: 1_700_000_000_000 };
const wss: string = presignMqttUrl('wss://abc-ats.iot.us-east-1.amazonaws.com/mqtt', credentials, presignOptions);
// @ts-expect-error the region is required
presignMqttUrl(wss, credentials, {});

// Wrong types are compile errors, so the API is not `any`.
// @ts-expect-error plane is 'data' | 'control'
validateRequest({ plane: 'both', thingName: 't', jobId: 'j' });
// @ts-expect-error thingName is required
validateRequest({ jobId: 'j' });
// @ts-expect-error executionNumber is number | bigint | string
validateRequest({ thingName: 't', jobId: 'j', executionNumber: true });
// @ts-expect-error status is a number
parseResponse({ status: '200', body: '' });
// @ts-expect-error kind narrows the union
const wrong: JobExecution = result.execution;

// MQTT: the request with a clientToken, and what arrives on its topics (an mqtt.js payload is a Buffer).
const withToken: BuiltRequest = buildRequest(input, { clientToken: 'c-1' });
const mqttOptions: MqttParseOptions = { request: input, clientToken: 'c-1' };
function onMessage(topic: string, payload: Uint8Array): string {
  const r: MqttParseResult = parseMqttMessage({ topic, payload }, mqttOptions);
  switch (r.kind) {
    case 'execution':
      return `${r.execution.jobId ?? '?'} ${r.warnings.length}`;
    case 'none':
      return 'nothing pending';
    case 'pending': {
      const jobs: JobExecutionSummary[] = [...r.inProgressJobs, ...r.queuedJobs];
      const n: Long | undefined = jobs[0]?.executionNumber;
      return `${jobs.length} pending, first #${String(n)}`;
    }
    case 'updated': {
      const state: JobExecutionState | undefined = r.executionState;
      const document: string | undefined = r.jobDocument;
      return `${state?.status ?? '?'} ${String(state?.versionNumber)} ${document ?? ''}`;
    }
    case 'error': {
      const now: JobExecutionState | undefined = r.error.executionState;
      const code: ErrorCode = r.error.code;
      return `${code} ${r.error.httpStatus} ${r.error.retryable} ${r.error.explanation.title} ${now?.status ?? ''}`;
    }
    default: {
      const never: never = r;
      return never;
    }
  }
}
const fromText: MqttParseResult = parseMqttMessage({ topic: withToken.mqtt?.acceptedTopic ?? '', payload: '{}' });
const fromBuffer: MqttParseResult = parseMqttMessage({ topic: 't', payload: new ArrayBuffer(0) }, { clientToken: 'c-1' });
const message: MqttMessageInput = { topic: 't', payload: new Uint8Array() };
// A parseResponse result is one of parseMqttMessage's.
const sameShape: MqttParseResult = result;
// @ts-expect-error the payload is text or bytes
parseMqttMessage({ topic: 't', payload: 5 });
// The options are optional, here as in buildRequest and parseResponse.
const bare: [MqttParseResult, BuiltRequest, ParseResult] = [
  parseMqttMessage(message), buildRequest(input), parseResponse({ status: 200, body: '{}' }, null),
];
// @ts-expect-error clientToken is a string
parseMqttMessage(message, { clientToken: 5 });
// @ts-expect-error clientToken is a string
buildRequest(input, { clientToken: 5 });
// @ts-expect-error parseResponse's result has no MQTT kinds
const notHttp: ParseResult = fromText;

export {
  checked, method, topic, headers, describe, title, wrong, authorization, retryable, service, notAWarning, onMessage,
  fromBuffer, sameShape, notHttp, bare, sameCredentials,
};
