import type { EventStreamMessage } from '@riffle/wire';

export const eventStreamBrand: unique symbol = Symbol('riffle.event-stream-result');

/**
 * What a handler returns to answer with an event stream (SubscribeToShard) instead of a body. The
 * payloads are typed (Uint8Array, Date) like any output; the service serializes each with the shape of
 * its event (`type` names a member of the operation's event-stream union). Built only by
 * `eventStreamResult`, recognised by a private symbol, so no typed output is ever mistaken for one.
 */
export interface EventStreamResult {
  readonly kind: 'event-stream';
  readonly events: AsyncIterable<EventStreamMessage>;
  readonly [eventStreamBrand]: true;
}

export function eventStreamResult(events: AsyncIterable<EventStreamMessage>): EventStreamResult {
  return { kind: 'event-stream', events, [eventStreamBrand]: true };
}

export function isEventStreamResult(value: unknown): value is EventStreamResult {
  return typeof value === 'object' && value !== null && (value as Partial<EventStreamResult>)[eventStreamBrand] === true;
}
