import type { SeededRandom } from '../seeded-random.js';
import { wordLists } from '../word-lists.js';
import type { DataProfile, DataProfileKind } from './data-profile.js';

const CLIENTS = 30;
const PATHS = ['/', '/index.html', '/about', '/products', '/products/1001', '/products/2040', '/search?q=kinesis', '/api/v1/orders', '/api/v1/cart', '/static/app.js', '/static/style.css', '/images/logo.png', '/favicon.ico', '/login'];
const METHODS: readonly (readonly [string, number])[] = [['GET', 0.8], ['POST', 0.15], ['PUT', 0.03], ['DELETE', 0.02]];
const STATUSES: readonly (readonly [number, number])[] = [[200, 0.82], [304, 0.06], [301, 0.03], [404, 0.05], [401, 0.02], [500, 0.02]];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function weighted<T>(random: SeededRandom, choices: readonly (readonly [T, number])[]): T {
  let draw = random.next();
  for (const [choice, weight] of choices) {
    if (draw < weight) return choice;
    draw -= weight;
  }
  return choices[0]![0];
}

const two = (n: number) => String(n).padStart(2, '0');

/** Apache's %t: `[09/Sep/2021:12:15:02 +0000]`, in UTC so that a seeded run prints the same lines everywhere. */
export function commonLogTime(timestampMs: number): string {
  const d = new Date(timestampMs);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

function createAccessLogs(random: SeededRandom): DataProfile {
  const clients = Array.from({ length: CLIENTS }, () => ({
    host: `${random.integer(1, 223)}.${random.integer(0, 255)}.${random.integer(0, 255)}.${random.integer(1, 254)}`,
    agent: random.pick(wordLists.userAgents),
    user: random.chance(0.2) ? random.pick(wordLists.firstNames).toLowerCase() : '-',
  }));
  return {
    defaultKeyField: 'host',
    next(timestampMs) {
      const client = random.pick(clients);
      const method = weighted(random, METHODS);
      const request = `${method} ${random.pick(PATHS)} HTTP/1.1`;
      const status = weighted(random, STATUSES);
      const bytes = status === 304 ? '-' : String(random.integer(150, 60_000));
      const referrer = random.pick(wordLists.referrers);
      const datetime = commonLogTime(timestampMs);
      // Apache/nginx "combined": %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i" (Kinesis Agent's COMBINEDAPACHELOG).
      const data = `${client.host} - ${client.user} [${datetime}] "${request}" ${status} ${bytes} "${referrer}" "${client.agent}"`;
      // The field names Kinesis Agent's LOGTOJSON gives a combined line.
      const fields = { host: client.host, ident: '-', authuser: client.user, datetime, request, response: String(status), bytes, referrer, agent: client.agent };
      return { fields, data };
    },
  };
}

export const accessLogsProfile: DataProfileKind = {
  summary: 'web server access log lines in the Apache/nginx combined format, as text (key: host, the client address)',
  create: createAccessLogs,
};
