import { ServiceError } from '../service-error.js';

/** The parts of a SigV4 signature the rest of Riffle uses, from the Authorization header or presigned query. */
export interface SigV4Credentials {
  readonly source: 'header' | 'query';
  /** `AWS4-HMAC-SHA256` for every SDK; checked by the verifier, not here. */
  readonly algorithm: string;
  /** The whole `Credential` value, `AKID/yyyymmdd/region/service/aws4_request`. */
  readonly credential: string;
  readonly accessKeyId: string;
  /** yyyymmdd of the credential scope. */
  readonly scopeDate: string;
  readonly signingRegion: string;
  readonly signingService: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

export interface SigV4PresenceInput {
  readonly authorization: string | undefined;
  /** True when either `X-Amz-Date` or `Date` is present. */
  readonly hasDateHeader: boolean;
  /** The request's query string (after `?`), or '' when there is none. */
  readonly query: string;
}

const HEADER_PARAMETERS = ['Credential', 'Signature', 'SignedHeaders'] as const;
const QUERY_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] as const;

/**
 * Checks that a request carries a complete SigV4 signature and extracts its credential scope; does not verify
 * it (see SignatureVerifier). Order and messages are AWS's, as captured by kinesalite (index.js, test/connection.js).
 */
export function checkSigV4Presence(input: SigV4PresenceInput): SigV4Credentials {
  // Nearly every request has no query string: no URLSearchParams for those.
  const query = input.query === '' ? undefined : new URLSearchParams(input.query);
  const queryAuth = query?.has('X-Amz-Algorithm') ?? false;
  const { authorization } = input;
  if (authorization && queryAuth) {
    throw new ServiceError(
      'InvalidSignatureException',
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  }
  if (!authorization && !queryAuth) {
    throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  return authorization ? fromHeader(authorization, input.hasDateHeader) : fromQuery(query!);
}

function fromHeader(authorization: string, hasDateHeader: boolean): SigV4Credentials {
  // Parameters are separated by commas and/or spaces; the first token is the algorithm.
  const parameters = new Map<string, string>();
  for (const token of authorization.split(/,| /).slice(1)) {
    if (!token) continue;
    const [key = '', value] = token.trim().split('=');
    parameters.set(key, value ?? '');
  }
  let message = '';
  for (const name of HEADER_PARAMETERS) {
    if (!parameters.get(name)) message += `Authorization header requires '${name}' parameter. `;
  }
  if (!hasDateHeader) {
    message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (message) throw new ServiceError('IncompleteSignatureException', `${message}Authorization=${authorization}`);
  return {
    source: 'header',
    algorithm: authorization.split(/,| /, 1)[0]!,
    credential: parameters.get('Credential')!,
    ...credentialScope(parameters.get('Credential')!),
    signedHeaders: parameters.get('SignedHeaders')!,
    signature: parameters.get('Signature')!,
  };
}

function fromQuery(query: URLSearchParams): SigV4Credentials {
  let message = '';
  for (const name of QUERY_PARAMETERS) {
    if (!query.get(name)) message += `AWS query-string parameters must include '${name}'. `;
  }
  if (message) throw new ServiceError('IncompleteSignatureException', `${message}Re-examine the query-string parameters.`);
  return {
    source: 'query',
    algorithm: query.get('X-Amz-Algorithm')!,
    credential: query.get('X-Amz-Credential')!,
    ...credentialScope(query.get('X-Amz-Credential')!),
    signedHeaders: query.get('X-Amz-SignedHeaders')!,
    signature: query.get('X-Amz-Signature')!,
  };
}

/** `AKID/yyyymmdd/region/service/aws4_request`; missing parts become empty strings. */
function credentialScope(credential: string) {
  const [accessKeyId = '', scopeDate = '', signingRegion = '', signingService = ''] = credential.split('/');
  return { accessKeyId, scopeDate, signingRegion, signingService };
}
