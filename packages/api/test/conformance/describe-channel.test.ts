import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';
import { account, channelArn, createChannelRequest, gsrSchemaArn, streamArn, tablesDestination } from './channel-requests.js';

describe('DescribeChannel conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ createStreamMs: 100 });
    await server.call('CreateStream', { StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await server.clock.advance(100);
  });
  after(() => server.close());

  it('describes a channel CREATING, then ACTIVE once createStreamMs has passed, otherwise as CreateChannel answered', async () => {
    const created = (await server.call('CreateChannel', createChannelRequest('orders'))).body.ChannelDescription;
    const creating = await server.call('DescribeChannel', { ChannelARN: created.ChannelARN });
    assert.deepEqual(creating, { status: 200, body: { ChannelDescription: created } });
    await server.clock.advance(100);
    const active = (await server.call('DescribeChannel', { ChannelARN: created.ChannelARN })).body.ChannelDescription;
    assert.deepEqual(active, { ...created, ChannelStatus: 'ACTIVE' });
  });

  it('reports why a streaming-table channel FAILED', async () => {
    const created = (
      await server.call(
        'CreateChannel',
        createChannelRequest('tables', 'od', {
          StreamConfigurationList: [{ StreamARN: streamArn('od'), RecordConfiguration: { RecordFormatType: 'JSON', GSRSchemaARN: gsrSchemaArn } }],
          S3DestinationConfiguration: undefined,
          S3TablesDestinationConfiguration: tablesDestination,
        }),
      )
    ).body.ChannelDescription;
    await server.clock.advance(100);
    const failed = (await server.call('DescribeChannel', { ChannelARN: created.ChannelARN })).body.ChannelDescription;
    assert.equal(failed.ChannelStatus, 'FAILED');
    assert.equal(
      failed.ChannelStatusReason,
      'Riffle does not deliver to streaming tables (Amazon S3 Tables); only general purpose Amazon S3 destinations are delivered.',
    );
  });

  it('answers ResourceNotFoundException for a channel this account does not have', async () => {
    expectError(
      await server.call('DescribeChannel', { ChannelARN: channelArn('0f5c2a62-0000-4000-8000-000000000000') }),
      'ResourceNotFoundException',
      `Channel 0f5c2a62-0000-4000-8000-000000000000 under account ${account} not found.`,
      assert.deepEqual,
    );
    expectError(
      await server.call('DescribeChannel', { ChannelARN: 'arn:aws:kinesis:us-east-1:999999999999:channel/abc' }),
      'ResourceNotFoundException',
      'Channel abc under account 999999999999 not found.',
      assert.deepEqual,
    );
    expectError(
      await server.call('DescribeChannel', { ChannelARN: `arn:aws:kinesis:eu-west-1:${account}:channel/abc` }),
      'ResourceNotFoundException',
      `Channel abc under account ${account} not found.`,
      assert.deepEqual,
    );
  });

  it('validates ChannelARN with the model\'s pattern', async () => {
    expectError(
      await server.call('DescribeChannel', { ChannelARN: streamArn('od') }),
      'ValidationException',
      `1 validation error detected: Value '${streamArn('od')}' at 'channelARN' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:channel/\\S+',
      assert.deepEqual,
    );
    expectError(
      await server.call('DescribeChannel', {}),
      'ValidationException',
      "1 validation error detected: Value null at 'channelARN' failed to satisfy constraint: Member must not be null",
      assert.deepEqual,
    );
  });
});
