import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signKinesisRequest } from '@riffle/testkit';
import { createSigV4Verifier } from '../src/auth/sigv4-verifier.js';
import { createListener, type Listener } from '../src/listener.js';
import { send } from './raw-http.js';
import { StubKinesisService } from './stub-kinesis-service.js';

const KEY = { accessKeyId: 'AKIDPIPELINE', secretAccessKey: 'pipeline-secret', accountId: '111122223333', userName: 'bob' };

describe('request pipeline with a signature verifier', () => {
  const service = new StubKinesisService();
  let listener: Listener;
  let port: number;

  before(async () => {
    const verifySignature = createSigV4Verifier({
      lookupKey: (id) => (id === KEY.accessKeyId ? KEY : undefined),
      region: 'us-east-1',
      service: 'kinesis',
      now: () => Date.now(),
    });
    listener = createListener({ services: [service], verifySignature });
    ({ port } = await listener.listen(0, '127.0.0.1'));
  });
  after(() => listener.close());

  const signed = (secretAccessKey: string) =>
    signKinesisRequest(
      { endpoint: `http://127.0.0.1:${port}`, operation: 'ListStreams', body: '{}' },
      { credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey } },
    );

  it('hands the verified caller to the service', async () => {
    const request = await signed(KEY.secretAccessKey);
    const response = await send(port, { path: request.path, headers: request.headers, body: request.body });
    assert.equal(response.status, 200);
    const context = service.calls.at(-1)!.context;
    assert.deepEqual(context.caller, { accessKeyId: 'AKIDPIPELINE', accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/bob' });
    assert.equal(context.accessKeyId, 'AKIDPIPELINE');
  });

  it("answers a refused signature with AWS's error, before the service sees the request", async () => {
    const calls = service.calls.length;
    const request = await signed('wrong-secret');
    const response = await send(port, { path: request.path, headers: request.headers, body: request.body });
    assert.equal(response.status, 400);
    assert.equal(response.headers['x-amzn-errortype'], 'InvalidSignatureException');
    assert.deepEqual(JSON.parse(response.body.toString('utf8')), {
      __type: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
    assert.equal(service.calls.length, calls);
  });
});

describe('request pipeline without a verifier (permissive)', () => {
  const service = new StubKinesisService();
  let listener: Listener;
  let port: number;

  before(async () => {
    listener = createListener({ services: [service] });
    ({ port } = await listener.listen(0, '127.0.0.1'));
  });
  after(() => listener.close());

  it('lets a badly signed request through with no caller', async () => {
    const request = await signKinesisRequest(
      { endpoint: `http://127.0.0.1:${port}`, operation: 'ListStreams', body: '{}' },
      { credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'anything' }, signingDate: new Date(Date.UTC(2020, 0, 1)) },
    );
    const response = await send(port, { path: request.path, headers: request.headers, body: request.body });
    assert.equal(response.status, 200);
    assert.equal(service.calls.at(-1)!.context.caller, undefined);
    assert.equal(service.calls.at(-1)!.context.accessKeyId, 'AKIDANY');
  });
});
