import { setTimeout as delay } from 'node:timers/promises';
import { ServiceError } from '../src/service-error.js';
import type { EventStreamMessage, OperationResult, RequestContext, ServiceHandler } from '../src/service-handler.js';

export interface StubCall {
  readonly context: RequestContext;
  readonly input: Record<string, unknown>;
}

const OPERATIONS = new Set([
  'ListStreams',
  'PutRecord',
  'DeleteStream',
  'DescribeStream',
  'Explode',
  'Slow',
  'SubscribeToShard',
]);

/**
 * A Kinesis-like service for wire tests:
 * ListStreams echoes what the wire extracted (as stream names), PutRecord reports the decoded Data length,
 * DeleteStream returns an empty body, DescribeStream throws ResourceNotFoundException, Explode throws a plain
 * Error, Slow waits for `release()`, SubscribeToShard streams `input.Count` events (or until aborted when
 * Count is absent, ending with an exception when `input.FailWith` is set; `crash` throws a plain Error).
 */
export class StubKinesisService implements ServiceHandler {
  readonly targetPrefix = 'Kinesis_20131202';
  readonly calls: StubCall[] = [];
  readonly abortedSubscriptions: string[] = [];
  private releaseSlow: (() => void) | undefined;
  private readonly slowStarted: Array<() => void> = [];

  hasOperation(operation: string): boolean {
    return OPERATIONS.has(operation);
  }

  /** Resolves once a Slow request is being handled. */
  whenSlowStarted(): Promise<void> {
    return new Promise((resolve) => this.slowStarted.push(resolve));
  }

  release(): void {
    this.releaseSlow?.();
  }

  async handle(context: RequestContext, input: Record<string, unknown>): Promise<OperationResult> {
    this.calls.push({ context, input });
    switch (context.operation) {
      case 'ListStreams':
        return {
          kind: 'document',
          body: {
            StreamNames: [
              `http/${context.httpVersion}`,
              `key/${context.accessKeyId}`,
              `region/${context.signingRegion}`,
              `protocol/${context.protocol}`,
            ],
            HasMoreStreams: false,
          },
        };
      case 'PutRecord': {
        const data = input.Data;
        const length = typeof data === 'string' ? Buffer.from(data, 'base64').length : (data as Uint8Array).length;
        return { kind: 'document', body: { ShardId: 'shardId-000000000000', SequenceNumber: String(length) } };
      }
      case 'DeleteStream':
        return { kind: 'document', body: undefined };
      case 'DescribeStream':
        throw new ServiceError(
          'ResourceNotFoundException',
          `Stream ${String(input.StreamName)} under account 111122223333 not found.`,
        );
      case 'Slow':
        await new Promise<void>((resolve) => {
          this.releaseSlow = resolve;
          for (const started of this.slowStarted.splice(0)) started();
        });
        return { kind: 'document', body: { done: true } };
      case 'SubscribeToShard':
        return { kind: 'event-stream', events: this.events(context, input) };
      default:
        throw new Error('stub exploded: internal detail that must not reach the client');
    }
  }

  private async *events(context: RequestContext, input: Record<string, unknown>): AsyncGenerator<EventStreamMessage> {
    yield { messageType: 'event', type: 'initial-response', payload: {} };
    const count = typeof input.Count === 'number' ? input.Count : undefined;
    try {
      // Bounded: either Count events, or until the client goes away (at most 10 000 events).
      for (let index = 0; index < (count ?? 10_000); index++) {
        if (context.signal.aborted) return;
        yield {
          messageType: 'event',
          type: 'SubscribeToShardEvent',
          payload: { Records: [], ContinuationSequenceNumber: String(index), MillisBehindLatest: 0 },
        };
        if (count === undefined) await delay(5, undefined, { signal: context.signal }).catch(() => undefined);
      }
      if (input.FailWith === 'crash') throw new Error('crash detail that must stay in the log');
      if (typeof input.FailWith === 'string') throw new ServiceError(input.FailWith, 'subscription failed');
    } finally {
      if (context.signal.aborted) this.abortedSubscriptions.push(context.requestId);
    }
  }
}
