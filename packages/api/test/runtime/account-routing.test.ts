import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, FakeClock } from '@riffle/engine';
import { createMemoryStorage } from '@riffle/storage';
import { ServiceError, type CallerIdentity, type RequestContext, type ServiceHandler } from '@riffle/wire';
import { createKinesisService, operationHandlers, type AuthorizationRequest } from '../../src/index.js';

const PRIMARY = '111111111111';
const OTHER = '222222222222';
const NOT_HOSTED = '333333333333';

function context(operation: string, accountId: string | undefined): RequestContext {
  const caller: CallerIdentity | undefined = accountId === undefined ? undefined : { accessKeyId: `AK${accountId}`, accountId, arn: `arn:aws:iam::${accountId}:root` };
  return {
    requestId: 'req',
    protocol: 'json',
    targetPrefix: 'Kinesis_20131202',
    operation,
    accessKeyId: caller?.accessKeyId ?? 'AKID',
    signingRegion: 'us-east-1',
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
    secureTransport: false,
    signal: new AbortController().signal,
    ...(caller ? { caller } : {}),
  };
}

async function openEngine(accountId: string, clock: FakeClock): Promise<Engine> {
  return Engine.open({
    storage: createMemoryStorage(),
    clock,
    config: { accountId, region: 'us-east-1', shardLimit: 10, onDemandStreamCountLimit: 2, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, throughputLimits: false },
  });
}

describe('accounts on one server', () => {
  const clock = new FakeClock(Date.now());
  let primary: Engine;
  let other: Engine;
  let service: ServiceHandler;
  const authorized: AuthorizationRequest[] = [];

  before(async () => {
    primary = await openEngine(PRIMARY, clock);
    other = await openEngine(OTHER, clock);
    const engines = new Map([[PRIMARY, primary], [OTHER, other]]);
    service = createKinesisService({
      engine: primary,
      accounts: { primary, engineOf: (id) => engines.get(id) },
      authorize: (request) => void authorized.push(request),
      operations: operationHandlers,
      controlPlaneLimits: false,
    });
    await service.handle(context('CreateStream', PRIMARY), { StreamName: 'orders', ShardCount: 1 });
    await service.handle(context('CreateStream', OTHER), { StreamName: 'orders', ShardCount: 2 });
    await service.handle(context('CreateStream', OTHER), { StreamName: 'clicks', ShardCount: 1 });
    await clock.advance(0);
  });
  after(async () => {
    await primary.close();
    await other.close();
  });

  const call = async (operation: string, account: string | undefined, input: Record<string, unknown>): Promise<any> => {
    const result = await service.handle(context(operation, account), input);
    assert.equal(result.kind, 'document');
    return (result as { body: unknown }).body;
  };
  const rejection = async (operation: string, account: string | undefined, input: Record<string, unknown>) => {
    try {
      await service.handle(context(operation, account), input);
    } catch (error) {
      assert.ok(error instanceof ServiceError);
      return { type: error.type, message: error.message };
    }
    throw new Error('expected a rejection');
  };

  it('gives each account its own streams, even under the same name', async () => {
    assert.deepEqual((await call('ListStreams', PRIMARY, {})).StreamNames, ['orders']);
    assert.deepEqual((await call('ListStreams', OTHER, {})).StreamNames, ['clicks', 'orders']);
    assert.equal((await call('DescribeStreamSummary', PRIMARY, { StreamName: 'orders' })).StreamDescriptionSummary.OpenShardCount, 1);
    assert.equal((await call('DescribeStreamSummary', OTHER, { StreamName: 'orders' })).StreamDescriptionSummary.OpenShardCount, 2);
    assert.equal((await call('DescribeStreamSummary', OTHER, { StreamName: 'orders' })).StreamDescriptionSummary.StreamARN, `arn:aws:kinesis:us-east-1:${OTHER}:stream/orders`);
  });

  it('does not find another account\'s stream by name, in that account\'s words', async () => {
    assert.deepEqual(await rejection('DescribeStreamSummary', PRIMARY, { StreamName: 'clicks' }), {
      type: 'ResourceNotFoundException',
      message: `Stream clicks under account ${PRIMARY} not found.`,
    });
  });

  it('serves an ARN of another hosted account from that account, after the authorization hook saw both', async () => {
    authorized.length = 0;
    const arn = `arn:aws:kinesis:us-east-1:${OTHER}:stream/clicks`;
    const summary = (await call('DescribeStreamSummary', PRIMARY, { StreamARN: arn })).StreamDescriptionSummary;
    assert.equal(summary.StreamARN, arn);
    assert.equal(authorized.length, 1);
    assert.equal(authorized[0]!.callerEngine.config.accountId, PRIMARY);
    assert.equal(authorized[0]!.targetEngine.config.accountId, OTHER);
    assert.equal(authorized[0]!.operation, 'DescribeStreamSummary');
  });

  it('answers an ARN of an account it does not host as not found', async () => {
    assert.deepEqual(await rejection('DescribeStreamSummary', PRIMARY, { StreamARN: `arn:aws:kinesis:us-east-1:${NOT_HOSTED}:stream/orders` }), {
      type: 'ResourceNotFoundException',
      message: `Stream orders under account ${NOT_HOSTED} not found.`,
    });
  });

  it('treats an unverified caller as the primary account', async () => {
    assert.deepEqual((await call('ListStreams', undefined, {})).StreamNames, ['orders']);
  });
});
