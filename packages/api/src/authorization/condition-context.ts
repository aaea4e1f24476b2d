import { clientAddress, type CallerIdentity } from '@riffle/wire';

/**
 * The request context that conditions and policy variables read: `aws:SourceIp`, `aws:CurrentTime`,
 * `aws:ResourceTag/team`, `aws:TagKeys`, ... Key names are case-insensitive in IAM, values are not.
 */

export type ContextValue = string | number | boolean | Date | readonly string[];

interface ContextEntry {
  readonly values: readonly string[];
  /** Multi-valued keys (aws:TagKeys) cannot be policy variables, and are what set qualifiers are for. */
  readonly multi: boolean;
}

export class ConditionContext {
  static readonly empty = new ConditionContext(new Map());

  readonly #entries: ReadonlyMap<string, ContextEntry>;

  private constructor(entries: ReadonlyMap<string, ContextEntry>) {
    this.#entries = entries;
  }

  /** Undefined values are left out, as absent keys. Dates become ISO 8601 (aws:CurrentTime's form). */
  static from(entries: Readonly<Record<string, ContextValue | undefined>>): ConditionContext {
    const map = new Map<string, ContextEntry>();
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) continue;
      map.set(key.toLowerCase(), toEntry(value));
    }
    return new ConditionContext(map);
  }

  /** The key's values; undefined when the request has no such key. */
  values(key: string): readonly string[] | undefined {
    return this.#entries.get(key.toLowerCase())?.values;
  }

  /** The value a policy variable takes: only single-valued keys have one. */
  single(key: string): string | undefined {
    const entry = this.#entries.get(key.toLowerCase());
    return entry === undefined || entry.multi || entry.values.length !== 1 ? undefined : entry.values[0];
  }
}

function toEntry(value: ContextValue): ContextEntry {
  if (Array.isArray(value)) return { values: [...(value as readonly string[])], multi: true };
  if (value instanceof Date) return { values: [value.toISOString()], multi: false };
  return { values: [String(value)], multi: false };
}

/** What the lead knows about a request, named as IAM names it. */
export interface RequestFacts {
  /** The caller: arn:aws:iam::A:user/alice, arn:aws:iam::A:root, arn:aws:sts::A:assumed-role/R/s. */
  readonly principalArn: string;
  readonly principalAccount: string;
  readonly userId?: string;
  readonly sourceIp?: string;
  readonly now?: Date;
  readonly secureTransport?: boolean;
  readonly requestedRegion?: string;
  readonly resourceAccount?: string;
  readonly resourceTags?: Readonly<Record<string, string>>;
  readonly requestTags?: Readonly<Record<string, string>>;
  readonly tagKeys?: readonly string[];
}

/** The facts every request gives about its caller and its connection, whatever the service. */
export function callerFacts(
  caller: CallerIdentity,
  context: { readonly remoteAddress: string | undefined; readonly secureTransport: boolean; readonly signingRegion: string },
  now: number,
): Pick<RequestFacts, 'principalArn' | 'principalAccount' | 'userId' | 'sourceIp' | 'now' | 'secureTransport' | 'requestedRegion'> {
  return {
    principalArn: caller.arn,
    principalAccount: caller.accountId,
    userId: caller.accessKeyId,
    sourceIp: clientAddress(context.remoteAddress),
    now: new Date(now),
    secureTransport: context.secureTransport,
    requestedRegion: context.signingRegion,
  };
}

/** The global condition keys of one request (IAM User Guide, "AWS global condition context keys"). */
export function requestConditionContext(facts: RequestFacts): ConditionContext {
  const entries: Record<string, ContextValue | undefined> = {
    'aws:PrincipalArn': principalArnForConditions(facts.principalArn),
    'aws:PrincipalAccount': facts.principalAccount,
    'aws:PrincipalType': principalType(facts.principalArn),
    'aws:username': userName(facts.principalArn),
    'aws:userid': facts.userId,
    'aws:SourceIp': facts.sourceIp,
    'aws:CurrentTime': facts.now,
    'aws:EpochTime': facts.now === undefined ? undefined : Math.floor(facts.now.getTime() / 1000),
    'aws:SecureTransport': facts.secureTransport,
    'aws:RequestedRegion': facts.requestedRegion,
    'aws:ResourceAccount': facts.resourceAccount,
    'aws:TagKeys': facts.tagKeys,
  };
  for (const [key, value] of Object.entries(facts.resourceTags ?? {})) entries[`aws:ResourceTag/${key}`] = value;
  for (const [key, value] of Object.entries(facts.requestTags ?? {})) entries[`aws:RequestTag/${key}`] = value;
  return ConditionContext.from(entries);
}

const assumedRole = /^arn:([^:]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

/** For a role session aws:PrincipalArn is the role's ARN, not the session's (IAM User Guide). */
function principalArnForConditions(arn: string): string {
  const match = assumedRole.exec(arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : arn;
}

function principalType(arn: string): string | undefined {
  if (/^arn:[^:]*:iam::\d{12}:root$/.test(arn)) return 'Account';
  if (/^arn:[^:]*:iam::\d{12}:user\//.test(arn)) return 'User';
  if (assumedRole.test(arn)) return 'AssumedRole';
  if (/^arn:[^:]*:sts::\d{12}:federated-user\//.test(arn)) return 'FederatedUser';
  return undefined;
}

/** aws:username exists only for IAM users: the name after the last `/` of the user ARN's path. */
function userName(arn: string): string | undefined {
  const match = /^arn:[^:]*:iam::\d{12}:user\/(.+)$/.exec(arn);
  return match ? match[1]!.slice(match[1]!.lastIndexOf('/') + 1) : undefined;
}
