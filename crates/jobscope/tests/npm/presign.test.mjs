// presignMqttUrl (`jobscope/sign`) against the official AWS IoT browser SDK's own signer: aws-crt's
// `create_websocket_url` (MQTT 3.1.1) and `create_mqtt5_websocket_url` (MQTT 5), which aws-iot-device-sdk-v2's
// browser clients call, at the same time, with the same credentials — with and without a session token, in two
// regions — must give the same URL byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { presignMqttUrl } from 'jobscope/sign';

const require = createRequire(import.meta.url);
const crtWebsocket = require('aws-crt/dist.browser/browser/ws.js');
const crtMqtt5 = require('aws-crt/dist.browser/browser/mqtt5.js');
const { StaticCredentialProvider } = require('aws-crt/dist.browser/browser/auth.js');

const AT = Date.UTC(2026, 11, 2, 1, 2, 3);

/** Runs `fn` with `new Date()` standing at `AT` (aws-crt reads the clock itself). */
function at(fn) {
  const RealDate = globalThis.Date;
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      super(...(args.length ? args : [AT]));
    }
    static now() {
      return AT;
    }
  };
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

const cases = [
  { region: 'us-east-1', host: 'a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com', sessionToken: undefined },
  { region: 'eu-west-1', host: 'a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com', sessionToken: undefined },
  { region: 'us-east-1', host: 'a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com', sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDH+/=token' },
  { region: 'ap-southeast-2', host: 'a1b2c3d4e5f6g7-ats.iot.ap-southeast-2.amazonaws.com', sessionToken: 'IQoJb3JpZ2luX2VjE+k/AnotherToken==' },
];

for (const { region, host, sessionToken } of cases) {
  const name = `${region}${sessionToken ? ', with a session token' : ''}`;
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken };
  const provider = new StaticCredentialProvider({
    aws_access_id: credentials.accessKeyId, aws_secret_key: credentials.secretAccessKey, aws_sts_token: sessionToken, aws_region: region,
  });

  test(`the same URL as aws-crt's MQTT 3.1.1 signer: ${name}`, () => {
    const official = at(() => crtWebsocket.create_websocket_url({ host_name: host, port: 443, websocket: { protocol: 'wss' }, credentials_provider: provider }));
    assert.equal(presignMqttUrl(`wss://${host}/mqtt`, credentials, { region, time: AT }), official);
    assert.equal(presignMqttUrl(host, credentials, { region, time: new Date(AT) }), official, 'a bare host is the same endpoint');
  });

  test(`the same URL as aws-crt's MQTT 5 signer: ${name}`, () => {
    const official = at(() => crtWebsocket.create_mqtt5_websocket_url({
      hostName: host, port: 443,
      websocketOptions: { urlFactoryOptions: { urlFactory: crtMqtt5.Mqtt5WebsocketUrlFactoryType.Sigv4, region, credentialsProvider: provider } },
    }));
    assert.equal(presignMqttUrl(host, credentials, { region, time: AT }), official);
  });
}

test('the query is in the SDK order and the token comes after the signature', () => {
  const url = presignMqttUrl('h-ats.iot.us-east-1.amazonaws.com', { accessKeyId: 'AKID', secretAccessKey: 's', sessionToken: 't/+=' }, { region: 'us-east-1', time: AT });
  const names = [...new URL(url).searchParams.keys()];
  assert.deepEqual(names, ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token']);
  assert.ok(url.endsWith('&X-Amz-Security-Token=t%2F%2B%3D'), url);
  // A local emulator: ws:// and a port are kept in the URL; the host is signed without the port.
  assert.match(presignMqttUrl('ws://127.0.0.1:9090/mqtt', { accessKeyId: 'AKID', secretAccessKey: 's' }, { region: 'us-east-1', time: AT }), /^ws:\/\/127\.0\.0\.1:9090\/mqtt\?X-Amz-Algorithm=/);
});

test('bad arguments are TypeErrors and signing failures are Errors, never with the secret', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const credentials = { accessKeyId: 'AKID', secretAccessKey: secret };
  const bad = [
    [() => presignMqttUrl(42, credentials, { region: 'us-east-1' }), TypeError, /^endpoint must be a string/],
    [() => presignMqttUrl('h', null, { region: 'us-east-1' }), TypeError, /credentials/],
    [() => presignMqttUrl('h', { accessKeyId: 'AKID' }, { region: 'us-east-1' }), TypeError, /credentials\.secretAccessKey is required/],
    [() => presignMqttUrl('h', credentials, {}), TypeError, /options\.region is required/],
    [() => presignMqttUrl('h', credentials, { region: 'us-east-1', time: 'soon' }), TypeError, /options\.time must be a Date or epoch milliseconds/],
    [() => presignMqttUrl('https://h/x?y', credentials, { region: 'us-east-1' }), Error, /^presignMqttUrl: the endpoint must be a host name/],
    [() => presignMqttUrl('h', credentials, { region: 'Not A Region' }), Error, /^presignMqttUrl: region/],
  ];
  for (const [call, type, message] of bad) {
    assert.throws(call, (error) => {
      assert.ok(error instanceof type, `${error}`);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(secret) && !error.stack.includes(secret), 'the secret stays out of the error');
      return true;
    });
  }
});
