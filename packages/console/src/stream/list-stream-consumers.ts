import { ListStreamConsumersCommand, type Consumer } from '@aws-sdk/client-kinesis';
import type { Api } from '../app/api-context.js';

const MAX_PAGES = 20;

/** The stream's registered consumers by name, following NextToken (bounded). */
export async function listStreamConsumers(api: Api, streamArn: string): Promise<Consumer[]> {
  const consumers: Consumer[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.run(({ kinesis }) => kinesis.send(new ListStreamConsumersCommand({ StreamARN: streamArn, ...(token ? { NextToken: token } : {}) })));
    consumers.push(...(answer.Consumers ?? []));
    token = answer.NextToken;
    if (!token) break;
  }
  return consumers.sort((a, b) => (a.ConsumerName ?? '').localeCompare(b.ConsumerName ?? ''));
}
