import type { AnyServerRequest } from '@riffle/wire';

/**
 * Whether a request on the console port is an API call, handed to the API's pipeline unchanged, rather than a page,
 * an asset or /metrics. Told apart by method and headers, never by a list of services: every POST is an API call
 * (Kinesis and CloudWatch JSON by X-Amz-Target, CloudWatch's query protocol by its form, rpc-v2-cbor by its
 * /service/... path), and so is a GET that is signed or names a query-protocol Action.
 */
export function isApiRequest(request: AnyServerRequest): boolean {
  const method = request.method ?? '';
  if (method !== 'GET' && method !== 'HEAD') return true;
  const headers = request.headers;
  if (headers['x-amz-target'] !== undefined || headers.authorization !== undefined) return true;
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  if (query < 0) return false;
  const params = new URLSearchParams(url.slice(query + 1));
  return params.has('Action') || params.has('X-Amz-Algorithm');
}
