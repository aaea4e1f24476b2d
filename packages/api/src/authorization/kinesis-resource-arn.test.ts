import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelArn, consumerArn, parseKinesisArn, streamArn } from './kinesis-resource-arn.js';

const scope = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };

describe('Kinesis resource ARNs', () => {
  it('builds the reference’s stream, consumer and channel ARNs', () => {
    const stream = streamArn(scope, 'orders');
    assert.equal(stream, 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders');
    assert.equal(consumerArn(stream, 'app', 1700000000), `${stream}/consumer/app:1700000000`);
    assert.equal(consumerArn(stream, 'app'), `${stream}/consumer/app`);
    assert.equal(channelArn(scope, 'ch-1'), 'arn:aws:kinesis:eu-west-1:123456789012:channel/ch-1');
  });

  it('parses them back, and nothing else', () => {
    assert.deepEqual(parseKinesisArn('arn:aws-cn:kinesis:cn-north-1:123456789012:stream/orders'), {
      partition: 'aws-cn', region: 'cn-north-1', account: '123456789012', type: 'stream', stream: 'orders',
    });
    assert.deepEqual(parseKinesisArn('arn:aws:kinesis:eu-west-1:123456789012:stream/orders/consumer/app:17'), {
      ...scope, type: 'consumer', stream: 'orders', consumer: 'app', createdAtSeconds: 17,
    });
    assert.equal(parseKinesisArn('arn:aws:kinesis:eu-west-1:123456789012:stream/orders/consumer/app')!.type, 'consumer');
    assert.deepEqual(parseKinesisArn('arn:aws:kinesis:eu-west-1:123456789012:channel/abc'), { ...scope, type: 'channel', channelId: 'abc' });
    assert.equal(parseKinesisArn('arn:aws:s3:::bucket'), undefined);
    assert.equal(parseKinesisArn('arn:aws:kinesis:eu-west-1:1234:stream/x'), undefined);
    assert.equal(parseKinesisArn('orders'), undefined);
  });
});
