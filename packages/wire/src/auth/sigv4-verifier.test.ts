import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presignKinesisRequest, signKinesisRequest, type KinesisRequestToSign, type SignedHttpRequest, type SigningOptions } from '@riffle/testkit';
import { ServiceError } from '../service-error.js';
import type { AccessKey } from './access-key.js';
import type { SignedRequest } from './signature-verifier.js';
import { checkSigV4Presence } from './sigv4-presence.js';
import { createSigV4Verifier } from './sigv4-verifier.js';

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const ENDPOINT = 'http://127.0.0.1:4567';
const ROOT_KEY: AccessKey = { accessKeyId: 'AKIDROOT', secretAccessKey: 'root-secret', accountId: '111122223333' };
const USER_KEY: AccessKey = {
  accessKeyId: 'AKIDUSER',
  secretAccessKey: 'user-secret',
  accountId: '444455556666',
  userName: 'alice',
  policies: [{ Version: '2012-10-17', Statement: [] }],
};
const SESSION_KEY: AccessKey = {
  accessKeyId: 'ASIASESSION',
  secretAccessKey: 'session-secret',
  accountId: '111122223333',
  sessionToken: 'token/with+base64=',
  expiration: new Date(NOW + 3600_000),
};
const EXPIRED_SESSION_KEY: AccessKey = { ...SESSION_KEY, accessKeyId: 'ASIAEXPIRED', expiration: new Date(NOW - 1) };
const KEYS = new Map([ROOT_KEY, USER_KEY, SESSION_KEY, EXPIRED_SESSION_KEY].map((key) => [key.accessKeyId, key]));

const verify = createSigV4Verifier({ lookupKey: (id) => KEYS.get(id), region: 'us-east-1', service: 'kinesis', now: () => NOW });

const CALL: KinesisRequestToSign = { endpoint: ENDPOINT, operation: 'PutRecord', body: '{"StreamName":"s","Data":"AA==","PartitionKey":"p"}' };
const as = (key: AccessKey, more: Partial<SigningOptions> = {}): SigningOptions => ({
  credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}) },
  signingDate: new Date(NOW),
  ...more,
});

/** What the pipeline hands the verifier for a request that arrived as `signed`. */
function received(signed: SignedHttpRequest): SignedRequest {
  const queryAt = signed.path.indexOf('?');
  const credentials = checkSigV4Presence({
    authorization: signed.headers.authorization,
    hasDateHeader: Boolean(signed.headers['x-amz-date'] || signed.headers.date),
    query: queryAt < 0 ? '' : signed.path.slice(queryAt + 1),
  });
  return { method: signed.method, url: signed.path, headers: signed.headers, body: signed.body, credentials };
}

async function rejection(signed: SignedHttpRequest): Promise<{ type: string; message: string }> {
  try {
    await verify(received(signed));
  } catch (error) {
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.statusCode, 400);
    return { type: error.type, message: error.message };
  }
  throw new Error('expected the signature to be refused');
}

const MISMATCH = {
  type: 'InvalidSignatureException',
  message:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
};

function withHeaders(signed: SignedHttpRequest, headers: Record<string, string | undefined>): SignedHttpRequest {
  const merged: Record<string, string> = { ...signed.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return { ...signed, headers: merged };
}

function withAuthorization(signed: SignedHttpRequest, edit: (authorization: string) => string): SignedHttpRequest {
  return withHeaders(signed, { authorization: edit(signed.headers.authorization!) });
}

describe('createSigV4Verifier: header-signed requests', () => {
  it('accepts a request signed by @smithy/signature-v4 and answers the root caller', async () => {
    const caller = await verify(received(await signKinesisRequest(CALL, as(ROOT_KEY))));
    assert.deepEqual(caller, { accessKeyId: 'AKIDROOT', accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root' });
  });

  it("answers an IAM user's ARN and carries its policies through", async () => {
    const caller = await verify(received(await signKinesisRequest(CALL, as(USER_KEY))));
    assert.equal(caller.arn, 'arn:aws:iam::444455556666:user/alice');
    assert.deepEqual(caller.policies, USER_KEY.policies);
  });

  it('accepts a request signed within the 5-minute skew, either side', async () => {
    for (const offset of [-299_000, 299_000]) {
      const caller = await verify(received(await signKinesisRequest(CALL, as(ROOT_KEY, { signingDate: new Date(NOW + offset) }))));
      assert.equal(caller.accessKeyId, 'AKIDROOT');
    }
  });

  it('ignores unsigned headers, as AWS does', async () => {
    const signed = withHeaders(await signKinesisRequest(CALL, as(ROOT_KEY)), { 'user-agent': 'changed on the way', 'x-extra': '1' });
    assert.equal((await verify(received(signed))).accessKeyId, 'AKIDROOT');
  });

  it('trims and collapses only spaces and tabs in signed header values, as the SDK does (found by the fuzz test)', async () => {
    for (const value of ['  padded\ttabs\t\t ', 'ends with a no-break space\u00a0', '\u00a0starts with one', 'inner\u00a0\u00a0kept']) {
      const signed = await signKinesisRequest({ ...CALL, headers: { 'x-amz-meta': value } }, as(ROOT_KEY));
      assert.equal((await verify(received(signed))).accessKeyId, 'AKIDROOT', JSON.stringify(value));
    }
  });

  it('canonicalises paths and query strings as AWS does for services other than S3', async () => {
    const call: KinesisRequestToSign = {
      ...CALL,
      path: '/a/./b/../c%20d//e/',
      query: { 'b key': 'x y', a: 'é/~*', 'a-b': '', Z: "!'()" },
      headers: { 'x-spaced': '  one   two\tthree  ' },
    };
    assert.equal((await verify(received(await signKinesisRequest(call, as(ROOT_KEY))))).accessKeyId, 'AKIDROOT');
  });

  it('on HTTP/2 takes the signed host from :authority, and accepts a signed :authority (the SDK on HTTP/2)', async () => {
    const signedHost = await signKinesisRequest(CALL, as(ROOT_KEY));
    const overHttp2 = withHeaders(signedHost, { host: undefined, ':authority': signedHost.headers.host! });
    assert.equal((await verify(received(overHttp2))).accessKeyId, 'AKIDROOT');
    const signedAuthority = await signKinesisRequest({ ...CALL, http2: true }, as(ROOT_KEY));
    assert.match(signedAuthority.headers.authorization!, /SignedHeaders=:authority;/);
    assert.equal((await verify(received(signedAuthority))).accessKeyId, 'AKIDROOT');
  });

  it('refuses a wrong secret', async () => {
    const signed = await signKinesisRequest(CALL, { ...as(ROOT_KEY), credentials: { accessKeyId: 'AKIDROOT', secretAccessKey: 'wrong' } });
    assert.deepEqual(await rejection(signed), MISMATCH);
  });

  it('refuses a tampered body, with or without x-amz-content-sha256', async () => {
    const signed = await signKinesisRequest(CALL, as(ROOT_KEY));
    assert.ok(signed.headers['x-amz-content-sha256']);
    const tampered = { ...signed, body: Buffer.from(CALL.body.toString().replace('"s"', '"t"')) };
    assert.deepEqual(await rejection(tampered), MISMATCH);
    assert.deepEqual(await rejection(withHeaders(tampered, { 'x-amz-content-sha256': undefined })), MISMATCH);
  });

  it('refuses a tampered signed header and a changed path', async () => {
    const signed = await signKinesisRequest(CALL, as(ROOT_KEY));
    assert.deepEqual(await rejection(withHeaders(signed, { 'x-amz-target': 'Kinesis_20131202.DeleteStream' })), MISMATCH);
    assert.deepEqual(await rejection({ ...signed, path: '/other' }), MISMATCH);
  });

  it('refuses a signature for another secret after the key was rotated (the derived key is cached per secret)', async () => {
    const keys = new Map([[ROOT_KEY.accessKeyId, ROOT_KEY]]);
    const rotating = createSigV4Verifier({ lookupKey: (id) => keys.get(id), region: 'us-east-1', service: 'kinesis', now: () => NOW });
    const old = received(await signKinesisRequest(CALL, as(ROOT_KEY)));
    await rotating(old);
    keys.set(ROOT_KEY.accessKeyId, { ...ROOT_KEY, secretAccessKey: 'rotated' });
    await assert.rejects(async () => rotating(old), (error: ServiceError) => error.type === 'InvalidSignatureException');
  });

  it('refuses an X-Amz-Date more than 5 minutes old or ahead, with the times in the message', async () => {
    const past = await signKinesisRequest(CALL, as(ROOT_KEY, { signingDate: new Date(NOW - 301_000) }));
    assert.deepEqual(await rejection(past), {
      type: 'InvalidSignatureException',
      message: 'Signature expired: 20260615T115459Z is now earlier than 20260615T115500Z (20260615T120000Z - 5 min.)',
    });
    const future = await signKinesisRequest(CALL, as(ROOT_KEY, { signingDate: new Date(NOW + 301_000) }));
    assert.deepEqual(await rejection(future), {
      type: 'InvalidSignatureException',
      message: 'Signature not yet current: 20260615T120501Z is still later than 20260615T120500Z (20260615T120000Z + 5 min.)',
    });
  });

  it('checks the skew before the signature: a tampered X-Amz-Date is refused as expired', async () => {
    const signed = await signKinesisRequest(CALL, as(ROOT_KEY));
    assert.deepEqual(await rejection(withHeaders(signed, { 'x-amz-date': '20260615T114000Z' })), {
      type: 'InvalidSignatureException',
      message: 'Signature expired: 20260615T114000Z is now earlier than 20260615T115500Z (20260615T120000Z - 5 min.)',
    });
    assert.deepEqual(await rejection(withHeaders(signed, { 'x-amz-date': '20260615T120001Z' })), MISMATCH);
  });

  it('refuses a date that is not ISO 8601 basic format', async () => {
    const signed = await signKinesisRequest(CALL, as(ROOT_KEY));
    for (const date of ['2026-06-15T12:00:00Z', '20260231T120000Z', '201']) {
      assert.deepEqual(await rejection(withHeaders(signed, { 'x-amz-date': date })), {
        type: 'IncompleteSignatureException',
        message: `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      });
    }
  });

  it('takes an HTTP Date header when there is no X-Amz-Date', async () => {
    const signed = withHeaders(await signKinesisRequest(CALL, as(ROOT_KEY)), { 'x-amz-date': undefined, date: 'Mon, 15 Jun 2026 11:40:00 GMT' });
    assert.equal((await rejection(signed)).message, 'Signature expired: 20260615T114000Z is now earlier than 20260615T115500Z (20260615T120000Z - 5 min.)');
  });

  it("refuses a request whose SignedHeaders has neither 'host' nor ':authority'", async () => {
    const signed = withAuthorization(await signKinesisRequest(CALL, as(ROOT_KEY)), (auth) => auth.replace(';host;', ';'));
    assert.deepEqual(await rejection(signed), {
      type: 'InvalidSignatureException',
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  it('refuses another algorithm', async () => {
    const signed = withAuthorization(await signKinesisRequest(CALL, as(ROOT_KEY)), (auth) => auth.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'));
    assert.deepEqual(await rejection(signed), {
      type: 'IncompleteSignatureException',
      message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
    });
  });

  it('refuses a credential without five parts (trailing slashes ignored)', async () => {
    const signed = await signKinesisRequest(CALL, as(ROOT_KEY));
    const trailing = withAuthorization(signed, (auth) => auth.replace('/aws4_request', '/aws4_request//'));
    assert.equal((await verify(received(trailing))).accessKeyId, 'AKIDROOT');
    assert.deepEqual(await rejection(withAuthorization(signed, (auth) => auth.replace('/kinesis/aws4_request', '/kinesis'))), {
      type: 'IncompleteSignatureException',
      message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDROOT/20260615/us-east-1/kinesis'",
    });
  });

  it('refuses a credential scoped to another region or service', async () => {
    assert.deepEqual(await rejection(await signKinesisRequest(CALL, as(ROOT_KEY, { region: 'eu-west-1' }))), {
      type: 'InvalidSignatureException',
      message: "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    });
    assert.deepEqual(await rejection(await signKinesisRequest(CALL, as(ROOT_KEY, { service: 'firehose' }))), {
      type: 'InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'kinesis'. ",
    });
  });

  it('lists every wrong part of the scope at once', async () => {
    const signed = withAuthorization(await signKinesisRequest(CALL, as(ROOT_KEY)), (auth) =>
      auth.replace('AKIDROOT/20260615/us-east-1/kinesis/aws4_request', 'AKIDROOT/b/c/d/e'),
    );
    assert.deepEqual(await rejection(signed), {
      type: 'InvalidSignatureException',
      message:
        "Credential should be scoped to a valid region, not 'c'. Credential should be scoped to correct service: 'kinesis'. " +
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: 'b' != '20260615', from '20260615T120000Z'.",
    });
  });

  it('refuses an unknown access key', async () => {
    const signed = await signKinesisRequest(CALL, { ...as(ROOT_KEY), credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } });
    assert.deepEqual(await rejection(signed), { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
  });
});

describe('createSigV4Verifier: session tokens', () => {
  const INVALID_TOKEN = { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid' };

  it('accepts the right session token', async () => {
    const signed = await signKinesisRequest(CALL, as(SESSION_KEY));
    assert.equal(signed.headers['x-amz-security-token'], SESSION_KEY.sessionToken);
    assert.equal((await verify(received(signed))).accessKeyId, 'ASIASESSION');
  });

  it('refuses a missing or wrong session token, and a token sent with a long-term key', async () => {
    const noToken = await signKinesisRequest(CALL, { ...as(SESSION_KEY), credentials: { accessKeyId: 'ASIASESSION', secretAccessKey: 'session-secret' } });
    assert.deepEqual(await rejection(noToken), INVALID_TOKEN);
    const wrongToken = await signKinesisRequest(CALL, { ...as(SESSION_KEY), credentials: { ...as(SESSION_KEY).credentials, sessionToken: 'other' } });
    assert.deepEqual(await rejection(wrongToken), INVALID_TOKEN);
    const longTerm = await signKinesisRequest(CALL, { ...as(ROOT_KEY), credentials: { ...as(ROOT_KEY).credentials, sessionToken: 'anything' } });
    assert.deepEqual(await rejection(longTerm), INVALID_TOKEN);
  });

  it('refuses an expired session token', async () => {
    assert.deepEqual(await rejection(await signKinesisRequest(CALL, as(EXPIRED_SESSION_KEY))), {
      type: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
  });
});

describe('createSigV4Verifier: presigned query requests', () => {
  it('accepts a presigned request, with and without a session token', async () => {
    const presigned = await presignKinesisRequest(CALL, { ...as(ROOT_KEY), expiresIn: 60 });
    assert.match(presigned.path, /X-Amz-Signature=/);
    assert.equal(presigned.headers.authorization, undefined);
    assert.equal((await verify(received(presigned))).accessKeyId, 'AKIDROOT');
    const withToken = await presignKinesisRequest(CALL, { ...as(SESSION_KEY), expiresIn: 60 });
    assert.match(withToken.path, /X-Amz-Security-Token=token%2Fwith%2Bbase64%3D/);
    assert.equal((await verify(received(withToken))).accessKeyId, 'ASIASESSION');
  });

  it('accepts a presigned URL well past 5 minutes while X-Amz-Expires lasts', async () => {
    const presigned = await presignKinesisRequest(CALL, { ...as(ROOT_KEY, { signingDate: new Date(NOW - 3000_000) }), expiresIn: 3600 });
    assert.equal((await verify(received(presigned))).accessKeyId, 'AKIDROOT');
  });

  it('refuses a presigned URL past its X-Amz-Expires', async () => {
    const presigned = await presignKinesisRequest(CALL, { ...as(ROOT_KEY, { signingDate: new Date(NOW - 120_000) }), expiresIn: 60 });
    assert.deepEqual(await rejection(presigned), {
      type: 'InvalidSignatureException',
      message: 'Signature expired: 20260615T115800Z is now earlier than 20260615T115900Z (20260615T120000Z - 1 min.)',
    });
    const odd = await presignKinesisRequest(CALL, { ...as(ROOT_KEY, { signingDate: new Date(NOW - 120_000) }), expiresIn: 90 });
    assert.equal((await rejection(odd)).message, 'Signature expired: 20260615T115800Z is now earlier than 20260615T115830Z (20260615T120000Z - 90 sec.)');
  });

  it('refuses a tampered X-Amz-Expires, body or query', async () => {
    const presigned = await presignKinesisRequest(CALL, { ...as(ROOT_KEY), expiresIn: 60 });
    assert.deepEqual(await rejection({ ...presigned, path: presigned.path.replace('X-Amz-Expires=60', 'X-Amz-Expires=61') }), MISMATCH);
    assert.deepEqual(await rejection({ ...presigned, body: Buffer.from('{}') }), MISMATCH);
    assert.deepEqual(await rejection({ ...presigned, path: `${presigned.path}&extra=1` }), MISMATCH);
    assert.deepEqual(await rejection({ ...presigned, path: presigned.path.replace('X-Amz-Expires=60', 'X-Amz-Expires=soon') }), {
      type: 'IncompleteSignatureException',
      message: 'X-Amz-Expires should be a number',
    });
    assert.deepEqual(await rejection({ ...presigned, path: presigned.path.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801') }), {
      type: 'IncompleteSignatureException',
      message: 'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    });
  });

  it('refuses a presigned URL for an unknown key or with the wrong secret', async () => {
    const unknown = await presignKinesisRequest(CALL, { ...as(ROOT_KEY), credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' }, expiresIn: 60 });
    assert.equal((await rejection(unknown)).type, 'UnrecognizedClientException');
    const wrong = await presignKinesisRequest(CALL, { ...as(ROOT_KEY), credentials: { accessKeyId: 'AKIDROOT', secretAccessKey: 'x' }, expiresIn: 60 });
    assert.deepEqual(await rejection(wrong), MISMATCH);
  });
});
