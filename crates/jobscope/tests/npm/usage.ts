// Typed usage of the package: checked with `tsc --noEmit --strict` (scripts/test-npm). Never run.
import {
  validateRequest, buildRequest, parseResponse, explainError, signRequest, type Credentials, type SignedHeaders,
  type DescribeJobExecutionInput, type JobExecution, type Long, type ParseResult, type ServiceError,
  type Violation, type Warning, type Explanation, type BuiltRequest, type ErrorCode, type WarningCode, type SigningName,
} from 'jobscope';

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
const signed: SignedHeaders = signRequest(built, credentials, { region: 'us-east-1', time: new Date() });
const authorization: string | undefined = signed['authorization'];
// @ts-expect-error the service is one of the two signing names
signRequest(built, credentials, { region: 'us-east-1', service: 's3' });

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

export { checked, method, topic, headers, describe, title, wrong, authorization, retryable, service, notAWarning };
