import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestContext } from '@riffle/wire';
import { createCloudWatchAuthorizer } from './cloudwatch-authorizer.js';

const context = (policies?: unknown[]): RequestContext =>
  ({
    requestId: 'r',
    protocol: 'query',
    targetPrefix: 'GraniteServiceVersion20100801',
    operation: 'GetMetricData',
    accessKeyId: 'AKID',
    signingRegion: 'us-east-1',
    caller: { accessKeyId: 'AKID', accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/reader', ...(policies ? { policies } : {}) },
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
    secureTransport: false,
    signal: new AbortController().signal,
  }) as RequestContext;

const allow = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('createCloudWatchAuthorizer', () => {
  const authorize = createCloudWatchAuthorizer({ now: () => Date.UTC(2026, 11, 1) });

  it("allows what the caller's identity policies allow, cloudwatch:<Operation> on *", () => {
    authorize({ context: context([allow('cloudwatch:Get*')]), operation: 'GetMetricData' });
    authorize({ context: context(), operation: 'ListMetrics' });
  });

  it('refuses the rest with AccessDenied in IAM\'s words', () => {
    assert.throws(
      () => authorize({ context: context([allow('kinesis:*')]), operation: 'ListMetrics' }),
      (error: { type: string; statusCode: number; message: string }) =>
        error.type === 'AccessDenied' &&
        error.statusCode === 403 &&
        error.message === 'User: arn:aws:iam::111122223333:user/reader is not authorized to perform: cloudwatch:ListMetrics because no identity-based policy allows the cloudwatch:ListMetrics action',
    );
    const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'cloudwatch:GetMetricData', Resource: '*' }] };
    assert.throws(() => authorize({ context: context([allow('cloudwatch:*'), deny]), operation: 'GetMetricData' }), /with an explicit deny in an identity-based policy/);
  });
});
