import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CborTag, ServiceError, type EventStreamMessage, type Protocol, type RequestContext } from '@riffle/wire';
import { createKinesisService } from '../../src/kinesis-service.js';
import { eventStreamResult } from '../../src/runtime/event-stream-result.js';
import { SerializationException } from '../../src/runtime/serialization-exception.js';
import { ValidationException } from '../../src/generated/kinesis/errors.js';
import type { OperationHandler } from '../../src/operation-handler.js';
import type { GetShardIteratorInput, PutRecordInput, SubscribeToShardEvent } from '../../src/generated/kinesis/types.js';

function context(operation: string, protocol: Protocol = 'json'): RequestContext {
  return {
    requestId: 'req-1',
    protocol,
    targetPrefix: 'Kinesis_20131202',
    operation,
    accessKeyId: 'AKID',
    signingRegion: 'us-east-1',
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
    secureTransport: false,
    signal: new AbortController().signal,
  };
}

// Handlers here never touch the engine; the limits are the subject of the conformance tests.
const engine = { config: {} } as never;

describe('createKinesisService', () => {
  it('offers only operations that are in the model and have a handler', () => {
    const service = createKinesisService({ engine, controlPlaneLimits: false, operations: { ListStreams: async () => ({ StreamNames: [], HasMoreStreams: false }) } });
    assert.equal(service.targetPrefix, 'Kinesis_20131202');
    assert.equal(service.hasOperation('ListStreams'), true);
    assert.equal(service.hasOperation('CreateStream'), false);
    assert.equal(service.hasOperation('NoSuchOperation'), false);
    assert.equal(service.hasOperation('toString'), false);
  });

  it('answers an operation without handler with UnknownOperationException', async () => {
    const service = createKinesisService({ engine, controlPlaneLimits: false, operations: {} });
    await assert.rejects(service.handle(context('CreateStream'), {}), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.equal(error.type, 'UnknownOperationException');
      assert.equal(error.hasMessage, false);
      return true;
    });
  });

  it('hands typed input to the handler and serializes its typed output per protocol', async () => {
    let received: PutRecordInput | undefined;
    const putRecord: OperationHandler<PutRecordInput> = async (input, { request }) => {
      received = input;
      assert.equal(request.operation, 'PutRecord');
      return { ShardId: 'shardId-000000000000', SequenceNumber: '1', EncryptionType: 'NONE', Ignored: 1 };
    };
    const service = createKinesisService({ engine, controlPlaneLimits: false, operations: { PutRecord: putRecord } });
    const result = await service.handle(context('PutRecord'), { StreamName: 's', PartitionKey: 'k', Data: 'aGk=', Extra: true });
    assert.deepEqual(result, { kind: 'document', body: { ShardId: 'shardId-000000000000', SequenceNumber: '1', EncryptionType: 'NONE' } });
    assert.deepEqual(Object.keys(received ?? {}), ['PartitionKey', 'Data', 'StreamName']);
    assert.equal(Buffer.from(received!.Data).toString(), 'hi');
  });

  it('reads CBOR timestamps (tag 1, milliseconds)', async () => {
    let received: GetShardIteratorInput | undefined;
    const service = createKinesisService({
      engine,
      controlPlaneLimits: false,
      operations: {
        GetShardIterator: async (input: GetShardIteratorInput) => {
          received = input;
          return { ShardIterator: 'x' };
        },
      },
    });
    await service.handle(context('GetShardIterator', 'cbor'), {
      ShardId: 'shardId-0',
      ShardIteratorType: 'AT_TIMESTAMP',
      Timestamp: new CborTag(1, 1787036486712),
    });
    assert.equal(received?.Timestamp?.getTime(), 1787036486712);
  });

  it('answers an empty body for operations without output or handlers returning undefined', async () => {
    const service = createKinesisService({ engine, controlPlaneLimits: false, operations: { CreateStream: async () => undefined } });
    assert.deepEqual(await service.handle(context('CreateStream'), { StreamName: 's', ShardCount: 1 }), { kind: 'document', body: undefined });
  });

  it('throws SerializationException before ValidationException, and neither reaches the handler', async () => {
    let calls = 0;
    const service = createKinesisService({ engine, controlPlaneLimits: false, operations: { CreateStream: async () => void calls++ } });
    await assert.rejects(service.handle(context('CreateStream'), { StreamName: 5 }), SerializationException);
    await assert.rejects(service.handle(context('CreateStream'), {}), (error: unknown) => {
      assert.ok(error instanceof ValidationException);
      assert.equal(error.type, 'ValidationException');
      assert.equal(
        error.message,
        "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: Member must not be null",
      );
      return true;
    });
    assert.equal(calls, 0);
  });

  it('passes an event stream through, serializing each event payload as JSON', async () => {
    const event: SubscribeToShardEvent = {
      Records: [{ SequenceNumber: '1', Data: new Uint8Array([1]), PartitionKey: 'k', ApproximateArrivalTimestamp: new Date(1500) }],
      ContinuationSequenceNumber: '1',
      MillisBehindLatest: 0,
    };
    async function* events(): AsyncIterable<EventStreamMessage> {
      yield { messageType: 'event', type: 'SubscribeToShardEvent', payload: event };
      yield { messageType: 'exception', type: 'ResourceNotFoundException', payload: { message: 'gone' } };
    }
    const service = createKinesisService({ engine, controlPlaneLimits: false, operations: { SubscribeToShard: async () => eventStreamResult(events()) } });
    const result = await service.handle(context('SubscribeToShard', 'cbor'), {
      ConsumerARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1',
      ShardId: 'shardId-0',
      StartingPosition: { Type: 'LATEST' },
    });
    assert.equal(result.kind, 'event-stream');
    const received: EventStreamMessage[] = [];
    if (result.kind === 'event-stream') for await (const message of result.events) received.push(message);
    assert.deepEqual(received, [
      {
        messageType: 'event',
        type: 'SubscribeToShardEvent',
        payload: {
          Records: [{ SequenceNumber: '1', Data: 'AQ==', PartitionKey: 'k', ApproximateArrivalTimestamp: 1.5 }],
          ContinuationSequenceNumber: '1',
          MillisBehindLatest: 0,
        },
      },
      { messageType: 'exception', type: 'ResourceNotFoundException', payload: { message: 'gone' } },
    ]);
  });

  it('does not mistake an output with a kind member for an event stream', async () => {
    const service = createKinesisService({
      engine,
      controlPlaneLimits: false,
      operations: { ListStreams: async () => ({ kind: 'event-stream', events: [], StreamNames: ['a'], HasMoreStreams: false }) },
    });
    assert.deepEqual(await service.handle(context('ListStreams'), {}), {
      kind: 'document',
      body: { StreamNames: ['a'], HasMoreStreams: false },
    });
  });
});
