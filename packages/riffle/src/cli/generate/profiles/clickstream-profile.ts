import type { SeededRandom } from '../seeded-random.js';
import { wordLists } from '../word-lists.js';
import { jsonRecord, type DataProfile, type DataProfileKind } from './data-profile.js';

const USERS = 50;
const PAGES = ['/', '/search', '/products', '/products/1001', '/products/1002', '/products/2040', '/products/3150', '/cart', '/checkout', '/account', '/help'];
/** What a visitor does next, weighted as a shop's traffic roughly is. */
const EVENTS: readonly (readonly [string, number])[] = [['page_view', 0.55], ['click', 0.25], ['search', 0.08], ['add_to_cart', 0.08], ['purchase', 0.04]];
const SITE = 'https://shop.example.com';

interface Visitor {
  readonly userId: string;
  readonly userAgent: string;
  readonly ip: string;
  sessionId: string;
  page: string | undefined;
}

function weighted(random: SeededRandom): string {
  let draw = random.next();
  for (const [event, weight] of EVENTS) {
    if (draw < weight) return event;
    draw -= weight;
  }
  return EVENTS[0]![0];
}

function createClickstream(random: SeededRandom): DataProfile {
  const visitors: Visitor[] = Array.from({ length: USERS }, (_, i) => ({
    userId: `user-${String(i + 1).padStart(4, '0')}`,
    userAgent: random.pick(wordLists.userAgents),
    ip: `${random.integer(1, 223)}.${random.integer(0, 255)}.${random.integer(0, 255)}.${random.integer(1, 254)}`,
    sessionId: random.uuid(),
    page: undefined,
  }));
  return {
    defaultKeyField: 'userId',
    next(timestampMs) {
      const visitor = random.pick(visitors);
      // A visit ends now and then; the next event starts a new session from outside the site.
      if (visitor.page !== undefined && random.chance(0.05)) {
        visitor.sessionId = random.uuid();
        visitor.page = undefined;
      }
      const eventType = visitor.page === undefined ? 'page_view' : weighted(random);
      const page = eventType === 'purchase' ? '/checkout' : eventType === 'add_to_cart' ? '/cart' : eventType === 'search' ? '/search' : random.pick(PAGES);
      const referrer = visitor.page === undefined ? random.pick(wordLists.referrers) : `${SITE}${visitor.page}`;
      visitor.page = page;
      return jsonRecord({
        eventId: random.uuid(),
        timestamp: new Date(timestampMs).toISOString(),
        userId: visitor.userId,
        sessionId: visitor.sessionId,
        eventType,
        page,
        referrer,
        userAgent: visitor.userAgent,
        ip: visitor.ip,
      });
    },
  };
}

export const clickstreamProfile: DataProfileKind = {
  summary: 'web shop events of 50 visitors: sessions, pages, referrers, user agents (JSON, key: userId)',
  create: createClickstream,
};
