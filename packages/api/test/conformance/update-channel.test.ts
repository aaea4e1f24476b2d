import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';
import { account, channelArn, createChannelRequest } from './channel-requests.js';

describe('UpdateChannel conformance', () => {
  let server: ConformanceServer;
  let arn: string;
  let id: string;
  before(async () => {
    server = await startConformanceServer({ createStreamMs: 100, updateStreamMs: 200 });
    await server.call('CreateStream', { StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await server.clock.advance(100);
    const created = (await server.call('CreateChannel', createChannelRequest('c'))).body.ChannelDescription;
    arn = created.ChannelARN;
    id = created.ChannelId;
  });
  after(() => server.close());

  it('refuses a channel that is not ACTIVE', async () => {
    expectError(
      await server.call('UpdateChannel', { ChannelARN: arn, S3DestinationConfiguration: { DataFreshnessInSeconds: 600 } }),
      'ResourceInUseException',
      `Channel ${id} under account ${account} not ACTIVE, instead in state CREATING`,
      assert.deepEqual,
    );
    await server.clock.advance(100);
  });

  it('changes the data freshness and logging, answering UPDATING, then ACTIVE after updateStreamMs', async () => {
    const res = await server.call('UpdateChannel', {
      ChannelARN: arn,
      S3DestinationConfiguration: { DataFreshnessInSeconds: 600 },
      LoggingConfiguration: { CloudWatchLogs: { Enabled: true, LogGroupName: 'group' } },
    });
    assert.equal(res.status, 200);
    const description = res.body.ChannelDescription;
    assert.equal(description.ChannelStatus, 'UPDATING');
    assert.equal(description.S3DestinationConfiguration.DataFreshnessInSeconds, 600);
    assert.deepEqual(description.LoggingConfiguration, {
      CloudWatchLogs: { Enabled: true, LogGroupName: 'group', LogStreamName: 'DestinationDelivery' },
    });
    expectError(
      await server.call('UpdateChannel', { ChannelARN: arn, S3DestinationConfiguration: { DataFreshnessInSeconds: 300 } }),
      'ResourceInUseException',
      `Channel ${id} under account ${account} not ACTIVE, instead in state UPDATING`,
      assert.deepEqual,
    );
    await server.clock.advance(200);
    const described = (await server.call('DescribeChannel', { ChannelARN: arn })).body.ChannelDescription;
    assert.deepEqual(described, { ...description, ChannelStatus: 'ACTIVE' });
  });

  it('needs something to update, one destination type, the channel\'s own, and a freshness in range', async () => {
    expectError(
      await server.call('UpdateChannel', { ChannelARN: arn }),
      'InvalidArgumentException',
      'At least one of S3DestinationConfiguration, S3TablesDestinationConfiguration or LoggingConfiguration must be provided.',
      assert.deepEqual,
    );
    expectError(
      await server.call('UpdateChannel', {
        ChannelARN: arn,
        S3DestinationConfiguration: { DataFreshnessInSeconds: 600 },
        S3TablesDestinationConfiguration: { DataFreshnessInSeconds: 600 },
      }),
      'InvalidArgumentException',
      'S3DestinationConfiguration and S3TablesDestinationConfiguration cannot be provided together.',
      assert.deepEqual,
    );
    expectError(
      await server.call('UpdateChannel', { ChannelARN: arn, S3TablesDestinationConfiguration: { DataFreshnessInSeconds: 600 } }),
      'InvalidArgumentException',
      `S3TablesDestinationConfiguration cannot be used with channel ${id}, whose ChannelDestinationType is S3.`,
      assert.deepEqual,
    );
    expectError(
      await server.call('UpdateChannel', { ChannelARN: arn, S3DestinationConfiguration: { DataFreshnessInSeconds: 1000 } }),
      'InvalidArgumentException',
      'DataFreshnessInSeconds must be between 300 and 900 seconds. Requested value: 1000.',
      assert.deepEqual,
    );
    expectError(
      await server.call('UpdateChannel', { ChannelARN: arn, S3DestinationConfiguration: {} }),
      'ValidationException',
      "1 validation error detected: Value null at 's3DestinationConfiguration.dataFreshnessInSeconds' failed to satisfy constraint: " +
        'Member must not be null',
      assert.deepEqual,
    );
  });

  it('answers ResourceNotFoundException for an unknown channel', async () => {
    expectError(
      await server.call('UpdateChannel', { ChannelARN: channelArn('nope'), LoggingConfiguration: { CloudWatchLogs: { Enabled: false } } }),
      'ResourceNotFoundException',
      `Channel nope under account ${account} not found.`,
      assert.deepEqual,
    );
  });
});
