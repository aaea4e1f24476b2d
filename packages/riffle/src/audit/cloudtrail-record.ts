import { randomUUID } from 'node:crypto';
import { clientAddress, type RequestCompletion } from '@riffle/wire';
import { isDataEvent, isReadOnly } from './event-categories.js';
import { requestParametersOf } from './request-parameters.js';
import { responseElementsOf } from './response-elements.js';
import { userIdentityOf, type AuditCaller, type UserIdentity } from './user-identity.js';

/** One CloudTrail event record (record contents, CloudTrail User Guide), members in CloudTrail's order. */
export interface CloudTrailRecord {
  readonly eventVersion: '1.08';
  readonly userIdentity: UserIdentity;
  readonly eventTime: string;
  readonly eventSource: 'kinesis.amazonaws.com';
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly: boolean;
  readonly eventType: 'AwsApiCall';
  readonly managementEvent: boolean;
  readonly recipientAccountId: string;
  readonly eventCategory: 'Management' | 'Data';
  readonly tlsDetails?: { readonly tlsVersion: string; readonly cipherSuite: string; readonly clientProvidedHostHeader?: string };
}

export interface CloudTrailRecordOptions {
  /** The server's region (`--region`): the region of the endpoint that was called. */
  readonly region: string;
  /** The server's account (`--account-id`): the caller's when no verified caller is known. */
  readonly accountId: string;
  readonly newEventId?: () => string;
}

const MAX_USER_AGENT = 1024;

export function cloudTrailRecordOf(completion: RequestCompletion, options: CloudTrailRecordOptions): CloudTrailRecord {
  const { context, input, error, tls } = completion;
  const caller: AuditCaller | undefined = context.caller;
  const data = isDataEvent(context.operation);
  const callerAccount = caller?.accountId ?? options.accountId;
  return {
    eventVersion: '1.08',
    userIdentity: userIdentityOf(context.accessKeyId, caller, options.accountId, error?.type),
    // CloudTrail's eventTime has whole seconds.
    eventTime: new Date(completion.receivedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'kinesis.amazonaws.com',
    eventName: context.operation,
    awsRegion: options.region,
    sourceIPAddress: clientAddress(context.remoteAddress) ?? '',
    userAgent: (completion.userAgent ?? '').slice(0, MAX_USER_AGENT),
    ...(error ? { errorCode: error.type, ...(error.message !== undefined ? { errorMessage: redacted(error.message) } : {}) } : {}),
    requestParameters: requestParametersOf(context.operation, input, context.protocol),
    responseElements: error ? null : responseElementsOf(context.operation, completion.output),
    requestID: context.requestId,
    eventID: (options.newEventId ?? randomUUID)(),
    readOnly: isReadOnly(context.operation),
    eventType: 'AwsApiCall',
    managementEvent: !data,
    recipientAccountId: resourceAccountOf(input) ?? callerAccount,
    eventCategory: data ? 'Data' : 'Management',
    ...(tls
      ? { tlsDetails: { tlsVersion: tls.protocol, cipherSuite: tls.cipher, ...(completion.host !== undefined ? { clientProvidedHostHeader: completion.host } : {}) } }
      : {}),
  };
}

/**
 * AWS's IncompleteSignatureException repeats the Authorization header it was sent; the audit log keeps the
 * explanation and drops the header (and any signature) so that no signature lands on disk.
 */
function redacted(message: string): string {
  return message.replace(/Authorization=.*$/s, 'Authorization=(redacted)').replace(/Signature=[^,\s]+/g, 'Signature=(redacted)');
}

/** The account that owns the resource named by ARN, when the request names one (cross-account calls). */
function resourceAccountOf(input: Record<string, unknown>): string | undefined {
  for (const member of ['StreamARN', 'ConsumerARN', 'ResourceARN']) {
    const arn = input[member];
    if (typeof arn !== 'string') continue;
    const account = arn.split(':')[4];
    if (account !== undefined && /^\d{12}$/.test(account)) return account;
  }
  return undefined;
}

