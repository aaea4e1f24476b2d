import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';
import { account, channelArn, createChannelRequest } from './channel-requests.js';

describe('DeleteChannel conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ createStreamMs: 100, deleteStreamMs: 300 });
    await server.call('CreateStream', { StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await server.clock.advance(100);
  });
  after(() => server.close());

  it('deletes through DELETING; the stream cannot be deleted until the channel is gone', async () => {
    const { ChannelARN: arn, ChannelId: id } = (await server.call('CreateChannel', createChannelRequest('c'))).body.ChannelDescription;
    expectError(
      await server.call('DeleteChannel', { ChannelARN: arn }),
      'ResourceInUseException',
      `Channel ${id} under account ${account} not ACTIVE, instead in state CREATING`,
      assert.deepEqual,
    );
    await server.clock.advance(100);
    const streamInUse = `Stream od under account ${account} has channels attached to it. Delete its channels before deleting the stream.`;
    expectError(await server.call('DeleteStream', { StreamName: 'od' }), 'ResourceInUseException', streamInUse, assert.deepEqual);
    assert.deepEqual(await server.call('DeleteChannel', { ChannelARN: arn }), { status: 200, body: undefined });
    assert.equal((await server.call('DescribeChannel', { ChannelARN: arn })).body.ChannelDescription.ChannelStatus, 'DELETING');
    expectError(
      await server.call('DeleteChannel', { ChannelARN: arn }),
      'ResourceInUseException',
      `Channel ${id} under account ${account} not ACTIVE, instead in state DELETING`,
      assert.deepEqual,
    );
    expectError(await server.call('DeleteStream', { StreamName: 'od' }), 'ResourceInUseException', streamInUse, assert.deepEqual);
    await server.clock.advance(300);
    expectError(
      await server.call('DescribeChannel', { ChannelARN: arn }),
      'ResourceNotFoundException',
      `Channel ${id} under account ${account} not found.`,
      assert.deepEqual,
    );
    assert.deepEqual((await server.call('ListChannels', {})).body, { ChannelSummaries: [] });
    assert.equal((await server.call('DescribeLimits', {})).body.ChannelCount, 0);
    assert.deepEqual(await server.call('DeleteStream', { StreamName: 'od' }), { status: 200, body: undefined });
  });

  it('answers ResourceNotFoundException for an unknown channel', async () => {
    expectError(
      await server.call('DeleteChannel', { ChannelARN: channelArn('gone') }),
      'ResourceNotFoundException',
      `Channel gone under account ${account} not found.`,
      assert.deepEqual,
    );
  });
});
