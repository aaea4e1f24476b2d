import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeCbor, encodeCbor } from '../src/codec/cbor-codec.js';
import { createListener, type Listener } from '../src/listener.js';
import { SIGNED_HEADERS, send, sendRawBytes, type RawResponse } from './raw-http.js';
import { StubKinesisService } from './stub-kinesis-service.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JSON_TYPE = 'application/x-amz-json-1.1';
const CBOR_TYPE = 'application/x-amz-cbor-1.1';
const LIST = 'Kinesis_20131202.ListStreams';
const ACCESS_DENIED_XML =
  '<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be authorized</Message>\n</AccessDeniedException>\n';

function assertIds(response: RawResponse): void {
  assert.match(String(response.headers['x-amzn-requestid']), UUID_V4);
  assert.equal(Buffer.from(String(response.headers['x-amz-id-2']), 'base64').length, 72);
  assert.equal(response.headers['content-length'], String(response.body.length));
}

function assertJson(response: RawResponse, status: number, body: unknown, contentType = JSON_TYPE): void {
  assert.equal(response.status, status);
  assert.equal(response.headers['content-type'], contentType);
  assert.deepEqual(JSON.parse(response.body.toString('utf8')), body);
  assertIds(response);
}

function assertAccessDenied(response: RawResponse): void {
  assert.equal(response.status, 403);
  assert.equal(response.headers['content-type'], undefined);
  assert.equal(response.body.toString('utf8'), ACCESS_DENIED_XML);
  assertIds(response);
}

describe('request pipeline (kinesalite test/connection.js precedence)', () => {
  const service = new StubKinesisService();
  const logs: Array<Record<string, unknown>> = [];
  let listener: Listener;
  let port: number;

  before(async () => {
    listener = createListener({ services: [service], maxBodyBytes: 64 * 1024, log: (entry) => logs.push(entry) });
    ({ port } = await listener.listen(0, '127.0.0.1'));
  });
  after(() => listener.close());

  describe('before the media type', () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      it(`answers ${method} with XML AccessDeniedException`, async () => {
        assertAccessDenied(await send(port, { method, headers: { 'content-type': JSON_TYPE, 'x-amz-target': LIST }, body: '{}' }));
      });
    }

    it('answers a body with no Content-Type and no target with AccessDenied', async () => {
      assertAccessDenied(await send(port, { body: '{}' }));
    });

    it('answers an unknown media type with a malformed target with AccessDenied', async () => {
      assertAccessDenied(
        await send(port, { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'Kinesis_20131202' }, body: '{}' }),
      );
    });

    it('answers an unknown media type with a well-formed target with 404 <UnknownOperationException/>', async () => {
      const response = await send(port, { headers: { 'content-type': 'text/plain', 'x-amz-target': 'Nope.Op' }, body: '{}' });
      assert.equal(response.status, 404);
      assert.equal(response.body.toString(), '<UnknownOperationException/>\n');
      assertIds(response);
    });

    it('answers an OPTIONS preflight with CORS headers, no x-amz-id-2 and an empty body', async () => {
      const response = await send(port, {
        method: 'OPTIONS',
        headers: { origin: 'https://console', 'access-control-request-headers': 'a, b', 'access-control-request-method': 'POST' },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers['access-control-allow-origin'], '*');
      assert.equal(response.headers['access-control-allow-headers'], 'a, b');
      assert.equal(response.headers['access-control-allow-methods'], 'POST');
      assert.equal(response.headers['access-control-max-age'], '172800');
      assert.equal(response.headers['x-amz-id-2'], undefined);
      assert.match(String(response.headers['x-amzn-requestid']), UUID_V4);
      assert.equal(response.body.length, 0);
    });

    it('adds CORS headers to ordinary responses when an Origin is sent', async () => {
      const response = await send(port, { headers: { origin: 'x' }, body: '{}' });
      assertAccessDenied(response);
      assert.equal(response.headers['access-control-allow-origin'], '*');
      assert.equal(
        response.headers['access-control-expose-headers'],
        'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date',
      );
    });
  });

  describe('body, target and media type', () => {
    it('answers an empty JSON body with a valid target with SerializationException', async () => {
      assertJson(await send(port, { headers: { 'content-type': JSON_TYPE, 'x-amz-target': LIST } }), 400, {
        __type: 'SerializationException',
      });
    });

    it('answers an empty JSON body without a target with UnknownOperationException', async () => {
      assertJson(await send(port, { headers: { 'content-type': JSON_TYPE } }), 400, { __type: 'UnknownOperationException' });
    });

    it('answers an empty body of any other media type in CBOR', async () => {
      const response = await send(port, { headers: { 'x-amz-target': LIST } });
      assert.equal(response.status, 400);
      assert.equal(response.headers['content-type'], CBOR_TYPE);
      assert.deepEqual(decodeCbor(response.body), { __type: 'SerializationException' });
      const unknown = await send(port, { headers: { 'content-type': 'application/json' } });
      assert.deepEqual(decodeCbor(unknown.body), { __type: 'UnknownOperationException' });
    });

    it('answers unparseable JSON with SerializationException before checking the target or auth', async () => {
      const response = await send(port, { headers: { 'content-type': JSON_TYPE, 'x-amz-target': 'Bogus.Op' }, body: 'hello' });
      assertJson(response, 400, { __type: 'SerializationException' });
      assert.equal(response.headers['x-amzn-errortype'], 'SerializationException');
    });

    it('answers a non-object JSON root with SerializationException', async () => {
      assertJson(await send(port, { headers: { 'content-type': JSON_TYPE, 'x-amz-target': LIST }, body: '[1]' }), 400, {
        __type: 'SerializationException',
      });
    });

    it('answers application/json with the coral envelope and never dispatches', async () => {
      const calls = service.calls.length;
      assertJson(
        await send(port, { headers: { 'content-type': 'application/json', 'x-amz-target': LIST }, body: '{}' }),
        404,
        { Output: { __type: 'com.amazon.coral.service#UnknownOperationException' }, Version: '1.0' },
        'application/json',
      );
      assertJson(
        await send(port, { headers: { 'content-type': 'application/json', 'x-amz-target': LIST }, body: 'hello' }),
        400,
        { Output: { __type: 'com.amazon.coral.service#SerializationException' }, Version: '1.0' },
        'application/json',
      );
      assert.equal(service.calls.length, calls);
    });

    for (const target of ['Kinesis_20131202.NoSuchOperation', 'Firehose_20150804.ListStreams', 'Kinesis_20131202', '']) {
      it(`answers target ${JSON.stringify(target)} with UnknownOperationException (before auth)`, async () => {
        assertJson(await send(port, { headers: { 'content-type': JSON_TYPE, 'x-amz-target': target }, body: '{}' }), 400, {
          __type: 'UnknownOperationException',
        });
      });
    }
  });

  describe('authentication presence', () => {
    const headers = { 'content-type': JSON_TYPE, 'x-amz-target': LIST };

    it('answers a missing signature with MissingAuthenticationTokenException', async () => {
      assertJson(await send(port, { headers, body: '{}' }), 400, {
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });
    });

    it('answers an incomplete header with IncompleteSignatureException quoting it', async () => {
      assertJson(await send(port, { headers: { ...headers, authorization: 'X' }, body: '{}' }), 400, {
        __type: 'IncompleteSignatureException',
        message:
          "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
          "'X-Amz-Date' or a 'Date' header. Authorization=X",
      });
    });

    it('answers header plus query auth with InvalidSignatureException', async () => {
      assertJson(await send(port, { path: '/?X-Amz-Algorithm', headers: { ...headers, authorization: 'X' }, body: '{}' }), 400, {
        __type: 'InvalidSignatureException',
        message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      });
    });

    it('accepts presigned query authentication and passes its scope on', async () => {
      const query =
        'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=QUERYKEY%2F20240101%2Fap-south-1%2Fkinesis%2Faws4_request&X-Amz-Signature=c&X-Amz-SignedHeaders=host&X-Amz-Date=d';
      const response = await send(port, { path: `/?${query}`, headers, body: '{}' });
      assert.equal(response.status, 200);
      const names = JSON.parse(response.body.toString()).StreamNames;
      assert.deepEqual(names.slice(1, 3), ['key/QUERYKEY', 'region/ap-south-1']);
    });
  });

  describe('dispatch and rendering', () => {
    it('dispatches JSON with the context filled in', async () => {
      const response = await send(port, { headers: { 'content-type': `${JSON_TYPE}; charset=utf-8`, 'x-amz-target': LIST, ...SIGNED_HEADERS }, body: '{"Limit":3}' });
      assertJson(response, 200, {
        StreamNames: ['http/1.1', 'key/AKIDTEST', 'region/eu-west-1', 'protocol/json'],
        HasMoreStreams: false,
      });
      const call = service.calls.at(-1)!;
      assert.deepEqual(call.input, { Limit: 3 });
      assert.equal(call.context.requestId, response.headers['x-amzn-requestid']);
      assert.equal(call.context.targetPrefix, 'Kinesis_20131202');
      assert.equal(call.context.operation, 'ListStreams');
      assert.equal(call.context.remoteAddress, '127.0.0.1');
    });

    it('dispatches CBOR and answers in CBOR with byte strings intact', async () => {
      const body = encodeCbor({ StreamName: 's', Data: Buffer.alloc(300, 1), PartitionKey: 'k' });
      const response = await send(port, {
        headers: { 'content-type': CBOR_TYPE, 'x-amz-target': 'Kinesis_20131202.PutRecord', ...SIGNED_HEADERS },
        body,
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], CBOR_TYPE);
      assert.deepEqual(decodeCbor(response.body), { ShardId: 'shardId-000000000000', SequenceNumber: '300' });
    });

    it('answers malformed CBOR and non-map CBOR roots with a CBOR SerializationException', async () => {
      for (const body of [Buffer.from([0xbf, 0x61]), encodeCbor([1, 2])]) {
        const response = await send(port, { headers: { 'content-type': CBOR_TYPE, 'x-amz-target': LIST, ...SIGNED_HEADERS }, body });
        assert.equal(response.status, 400);
        assert.deepEqual(decodeCbor(response.body), { __type: 'SerializationException' });
      }
    });

    it('answers an undefined result with an empty body that still has the Content-Type', async () => {
      const response = await send(port, {
        headers: { 'content-type': JSON_TYPE, 'x-amz-target': 'Kinesis_20131202.DeleteStream', ...SIGNED_HEADERS },
        body: '{"StreamName":"s"}',
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], JSON_TYPE);
      assert.equal(response.headers['content-length'], '0');
      assert.equal(response.body.length, 0);
    });

    it('renders a thrown ServiceError with its status, type header and message', async () => {
      const response = await send(port, {
        headers: { 'content-type': JSON_TYPE, 'x-amz-target': 'Kinesis_20131202.DescribeStream', ...SIGNED_HEADERS },
        body: '{"StreamName":"foo"}',
      });
      assertJson(response, 400, {
        __type: 'ResourceNotFoundException',
        message: 'Stream foo under account 111122223333 not found.',
      });
      assert.equal(response.headers['x-amzn-errortype'], 'ResourceNotFoundException');
      const cbor = await send(port, {
        headers: { 'content-type': CBOR_TYPE, 'x-amz-target': 'Kinesis_20131202.DescribeStream', ...SIGNED_HEADERS },
        body: encodeCbor({ StreamName: 'foo' }),
      });
      assert.deepEqual(decodeCbor(cbor.body), {
        __type: 'ResourceNotFoundException',
        message: 'Stream foo under account 111122223333 not found.',
      });
    });

    it('turns any other throw into a 500 InternalFailure and logs the stack, not the body', async () => {
      const response = await send(port, {
        headers: { 'content-type': JSON_TYPE, 'x-amz-target': 'Kinesis_20131202.Explode', ...SIGNED_HEADERS },
        body: '{"Secret":"do-not-log-me"}',
      });
      assertJson(response, 500, { __type: 'InternalFailure' });
      const entry = logs.find((line) => line.event === 'internal-failure');
      assert.ok(entry);
      assert.match(String(entry.stack), /stub exploded/);
      assert.equal(entry.requestId, response.headers['x-amzn-requestid']);
      assert.ok(!JSON.stringify(logs).includes('do-not-log-me'));
    });
  });

  describe('body limits', () => {
    it('answers 413 when Content-Length exceeds the limit, without reading the body', async () => {
      const head = Buffer.from(
        `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON_TYPE}\r\nX-Amz-Target: ${LIST}\r\nContent-Length: 100000000\r\n\r\n`,
      );
      const reply = (await sendRawBytes(port, [head, Buffer.alloc(1000, 0x61)])).toString('latin1');
      assert.match(reply, /^HTTP\/1\.1 413 /);
      assert.match(reply, /x-amzn-RequestId: [0-9a-f-]{36}/i);
    });

    it('answers 413 when a chunked body grows past the limit', async () => {
      const head = Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON_TYPE}\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = Buffer.concat([Buffer.from('8000\r\n'), Buffer.alloc(0x8000, 0x61), Buffer.from('\r\n')]);
      const reply = (await sendRawBytes(port, [head, chunk, chunk, chunk])).toString('latin1');
      assert.match(reply, /^HTTP\/1\.1 413 /);
    });

    it('accepts a body right at the limit', async () => {
      const padding = 'x'.repeat(64 * 1024 - '{"Pad":""}'.length);
      const response = await send(port, {
        headers: { 'content-type': JSON_TYPE, 'x-amz-target': LIST, ...SIGNED_HEADERS },
        body: `{"Pad":"${padding}"}`,
      });
      assert.equal(response.status, 200);
    });

    it('survives a truncated body (client closes before Content-Length bytes) and keeps serving', async () => {
      const calls = service.calls.length;
      const head = Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON_TYPE}\r\nX-Amz-Target: ${LIST}\r\nContent-Length: 500\r\n\r\n{"a":`);
      const reply = (await sendRawBytes(port, [head], true)).toString('latin1');
      // Node's parser reports the early end as a client error: a bare 400 at most, never a dispatch.
      assert.ok(reply === '' || reply.startsWith('HTTP/1.1 400 '), reply);
      assert.equal(service.calls.length, calls);
      const response = await send(port, { headers: { 'content-type': JSON_TYPE, 'x-amz-target': LIST, ...SIGNED_HEADERS }, body: '{}' });
      assert.equal(response.status, 200);
    });
  });
});
