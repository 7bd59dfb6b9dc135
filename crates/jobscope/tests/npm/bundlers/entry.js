// What a user's app does: import the package by name (each bundler resolves it through the package's `exports`)
// and call it. The results go to window.result and the page; bundlers.test.mjs asserts them.
import { validateRequest, buildRequest, parseResponse, parseMqttMessage, explainError } from 'jobscope';

const endpoint = 'https://abc123.jobs.iot.us-east-1.amazonaws.com';
const built = buildRequest({ thingName: 'my:thing', jobId: '$next', executionNumber: 9007199254740993n }, { endpoint });
let thrown = '';
try {
  buildRequest({ thingName: '', jobId: 'j' });
} catch (e) {
  thrown = `${e.name}: ${e.violations.map((v) => `${v.field} ${v.code}`).join(', ')}`;
}
const ok = parseResponse({
  status: 200,
  headers: {},
  body: JSON.stringify({
    execution: { jobId: 'j', thingName: 't', status: 'QUEUED', versionNumber: 1, executionNumber: 1 },
  }),
});
const big = parseResponse({
  status: 200,
  headers: {},
  body: '{"execution":{"jobId":"j","thingName":"t","status":"QUEUED","executionNumber":9007199254740993}}',
});
const failed = parseResponse({
  status: 404,
  headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/' },
  body: '{"message":"No such job"}',
});
const accepted = parseMqttMessage(
  {
    topic: '$aws/things/t/jobs/j/get/accepted',
    payload: new TextEncoder().encode(JSON.stringify({
      clientToken: 'c-1',
      timestamp: 1700000000,
      execution: { jobId: 'j', thingName: 't', status: 'IN_PROGRESS', versionNumber: 2, executionNumber: 1 },
    })),
  },
  { clientToken: 'c-1', request: { thingName: 't', jobId: 'j' } },
);
const rejected = parseMqttMessage({
  topic: '$aws/things/t/jobs/j/get/rejected',
  payload: '{"code":"ResourceNotFound","message":"nope","timestamp":1}',
});

window.result = {
  valid: validateRequest({ thingName: 't', jobId: 'j' }),
  invalid: validateRequest({ thingName: 'a b', jobId: 'j' }).violations.map((v) => `${v.field} ${v.code}`),
  url: built.url,
  mqttTopic: built.mqtt.topic,
  thrown,
  ok: [ok.kind, ok.execution.jobId, ok.execution.thingName, ok.execution.status, ok.execution.versionNumber,
    ok.execution.executionNumber, ok.warnings.length],
  big: [big.kind, typeof big.execution.executionNumber, String(big.execution.executionNumber)],
  failed: [failed.kind, failed.error.code, failed.error.httpStatus, failed.error.message, failed.error.retryable,
    failed.error.explanation.title],
  explained: explainError('ResourceNotFoundException').title,
  accepted: [accepted.kind, accepted.execution.status, accepted.execution.versionNumber, accepted.warnings.length],
  rejected: [rejected.kind, rejected.error.code, rejected.error.explanation.title],
};
document.getElementById('out').textContent = JSON.stringify(window.result, null, 1);
