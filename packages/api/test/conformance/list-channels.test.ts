import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';
import { createChannelRequest, streamArn } from './channel-requests.js';

describe('ListChannels conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ onDemandStreamCountLimit: 60 });
  });
  after(() => server.close());

  it('answers an empty list when there are no channels', async () => {
    assert.deepEqual(await server.call('ListChannels', {}), { status: 200, body: { ChannelSummaries: [] } });
  });

  it('summarises every channel in name order', async () => {
    for (const stream of ['s1', 's2']) await server.call('CreateStream', { StreamName: stream, StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    const b = (await server.call('CreateChannel', createChannelRequest('b', 's1'))).body.ChannelDescription;
    await server.call('CreateChannel', createChannelRequest('a', 's2'));
    const summaries = (await server.call('ListChannels', {})).body.ChannelSummaries;
    assert.deepEqual(summaries.map((s: any) => s.ChannelName), ['a', 'b']);
    const streamCreated = (await server.call('DescribeStreamSummary', { StreamName: 's1' })).body.StreamDescriptionSummary.StreamCreationTimestamp;
    assert.deepEqual(summaries[1], {
      ChannelName: 'b',
      ChannelARN: b.ChannelARN,
      ChannelId: b.ChannelId,
      ChannelStatus: 'ACTIVE',
      ChannelCreationTimestamp: b.ChannelCreationTimestamp,
      ChannelDestinationType: 'S3',
      Streams: [{ StreamARN: streamArn('s1'), StreamCreationTimestamp: streamCreated }],
    });
  });

  it('filters by stream, and by the stream\'s creation time when given', async () => {
    const only = async (filter: unknown) => (await server.call('ListChannels', { StreamFilter: filter })).body.ChannelSummaries.map((s: any) => s.ChannelName);
    assert.deepEqual(await only([{ StreamARN: streamArn('s1') }]), ['b']);
    assert.deepEqual(await only([{ StreamARN: streamArn('s1') }, { StreamARN: streamArn('s2') }]), ['a', 'b']);
    assert.deepEqual(await only([{ StreamARN: streamArn('none') }]), []);
    const created = (await server.call('DescribeStreamSummary', { StreamName: 's1' })).body.StreamDescriptionSummary.StreamCreationTimestamp;
    assert.deepEqual(await only([{ StreamARN: streamArn('s1'), StreamCreationTimestamp: created }]), ['b']);
    assert.deepEqual(await only([{ StreamARN: streamArn('s1'), StreamCreationTimestamp: created - 3600 }]), []);
  });

  it('pages with MaxResults and NextToken, keeping the filter the SDK paginator sends with each page', async () => {
    for (let i = 0; i < 3; i++) {
      await server.call('CreateStream', { StreamName: `p${i}`, StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
      await server.call('CreateChannel', createChannelRequest(`p${i}`, `p${i}`));
    }
    const first = (await server.call('ListChannels', { MaxResults: 2 })).body;
    assert.deepEqual(first.ChannelSummaries.map((s: any) => s.ChannelName), ['a', 'b']);
    const second = (await server.call('ListChannels', { MaxResults: 2, NextToken: first.NextToken })).body;
    assert.deepEqual(second.ChannelSummaries.map((s: any) => s.ChannelName), ['p0', 'p1']);
    const last = (await server.call('ListChannels', { MaxResults: 2, NextToken: second.NextToken })).body;
    assert.deepEqual(last, { ChannelSummaries: [{ ...last.ChannelSummaries[0], ChannelName: 'p2' }] });
    const filter = [{ StreamARN: streamArn('p0') }, { StreamARN: streamArn('p2') }];
    const filtered = (await server.call('ListChannels', { MaxResults: 1, StreamFilter: filter })).body;
    assert.deepEqual(filtered.ChannelSummaries.map((s: any) => s.ChannelName), ['p0']);
    const next = (await server.call('ListChannels', { MaxResults: 1, StreamFilter: filter, NextToken: filtered.NextToken })).body;
    assert.deepEqual(next.ChannelSummaries.map((s: any) => s.ChannelName), ['p2']);
    assert.equal(next.NextToken, undefined);
  });

  it('returns at most 100 channels a page', async () => {
    for (let i = 0; i < 48; i++) {
      await server.call('CreateStream', { StreamName: `m${i}`, StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
      await server.call('CreateChannel', createChannelRequest(`m${i}-s3`, `m${i}`));
      await server.call(
        'CreateChannel',
        createChannelRequest(`m${i}-t`, `m${i}`, {
          StreamConfigurationList: [
            { StreamARN: streamArn(`m${i}`), RecordConfiguration: { RecordFormatType: 'JSON', GSRSchemaARN: 'arn:aws:glue:us-east-1:123456789012:schema/r/s' } },
          ],
          S3DestinationConfiguration: undefined,
          S3TablesDestinationConfiguration: {
            DeadLetterQueueS3Configuration: { BucketARN: 'arn:aws:s3:::dlq-bucket', ExpectedBucketOwner: '123456789012' },
            S3TablesConfigurationList: [
              { TableBucketARN: 'arn:aws:s3tables:us-east-1:123456789012:bucket/tbl', Namespace: 'n', TableName: 't', CompressionType: 'NONE' },
            ],
          },
        }),
      );
    }
    const page = (await server.call('ListChannels', { MaxResults: 10000 })).body;
    assert.equal(page.ChannelSummaries.length, 100);
    const rest = (await server.call('ListChannels', { NextToken: page.NextToken })).body;
    // 5 channels from the tests above and 96 here.
    assert.equal(rest.ChannelSummaries.length, 1);
    assert.equal(rest.NextToken, undefined);
  });

  it('refuses bad and expired tokens and out-of-range MaxResults', async () => {
    expectError(await server.call('ListChannels', { NextToken: 'garbage' }), 'InvalidArgumentException', 'Invalid NextToken.', assert.deepEqual);
    const token = (await server.call('ListChannels', { MaxResults: 1 })).body.NextToken;
    await server.clock.advance(300_001);
    expectError(await server.call('ListChannels', { NextToken: token }), 'ExpiredNextTokenException', 'The NextToken has expired.', assert.deepEqual);
    expectError(
      await server.call('ListChannels', { MaxResults: 0 }),
      'ValidationException',
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
      assert.deepEqual,
    );
    expectError(
      await server.call('ListChannels', { StreamFilter: [] }),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'streamFilter' failed to satisfy constraint: Member must have length greater than or equal to 1",
      assert.deepEqual,
    );
  });
});
