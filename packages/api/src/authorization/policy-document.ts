/**
 * IAM policy documents: the grammar of the IAM User Guide's "IAM JSON policy elements reference", read into one
 * normalized form (every element that may be a string or an array becomes an array). Identity-based policies
 * (attached to access keys) never name a Principal; resource-based ones (PutResourcePolicy) always do.
 */

export type PolicyKind = 'identity' | 'resource';
export type PolicyVersion = '2012-10-17' | '2008-10-17';
export type PolicyEffect = 'Allow' | 'Deny';

export interface PolicyPrincipal {
  /** `"Principal": "*"` or `{"AWS": "*"}`: anyone. */
  readonly everyone: boolean;
  /** Account ids, `arn:aws:iam::A:root`, user, role and role-session ARNs. */
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
}

/** One `operator: {key: values}` pair; the operator keeps its qualifier and suffix (`ForAnyValue:StringLikeIfExists`). */
export interface PolicyConditionEntry {
  readonly operator: string;
  readonly key: string;
  /** Numbers and booleans as their JSON text. */
  readonly values: readonly string[];
}

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: PolicyEffect;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  /** A resource-based statement without Resource or NotResource applies to the resource it is attached to. */
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly principal?: PolicyPrincipal;
  readonly notPrincipal?: PolicyPrincipal;
  readonly condition: readonly PolicyConditionEntry[];
}

export interface PolicyDocument {
  readonly kind: PolicyKind;
  /** Without a Version element IAM reads a policy as 2008-10-17, which has no policy variables. */
  readonly version: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly PolicyStatement[];
}

/** Why a document is not a policy; `reason` is a sentence fit for an InvalidArgumentException. */
export class InvalidPolicyDocumentError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidPolicyDocumentError';
  }
}

const documentElements = new Set(['Version', 'Id', 'Statement']);
const statementElements = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const principalTypes = new Map([
  ['AWS', 'aws'],
  ['Service', 'service'],
  ['Federated', 'federated'],
  ['CanonicalUser', 'canonicalUser'],
] as const);

/** `kinesis:PutRecord`, `kinesis:Get*`, `*`: a service prefix and an action name, either with wildcards. */
const actionPattern = /^(?:\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$/;
/** arn:partition:service:region:account:resource, any part a wildcard; or `*` alone. */
const resourcePattern = /^(?:\*|arn:[^:]*:[^:]*:[^:]*:[^:]*:.+)$/s;
/** IAM allows no wildcard inside a principal ARN (IAM User Guide, "AWS JSON policy elements: Principal"). */
const awsPrincipalPattern =
  /^(?:\*|\d{12}|arn:aws[a-z-]*:iam::\d{12}:(?:root|user\/[^\s*?]+|role\/[^\s*?]+)|arn:aws[a-z-]*:sts::\d{12}:(?:assumed-role\/[^/\s*?]+\/[^\s*?]+|federated-user\/[^\s*?]+))$/;

/** A policy from its JSON text or an already-parsed value; throws InvalidPolicyDocumentError. */
export function parsePolicyDocument(source: unknown, kind: PolicyKind): PolicyDocument {
  let value = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source);
    } catch {
      throw new InvalidPolicyDocumentError('The policy document is not valid JSON.');
    }
  }
  if (!isObject(value)) throw new InvalidPolicyDocumentError('The policy document must be a JSON object.');
  for (const element of Object.keys(value)) {
    if (!documentElements.has(element)) throw new InvalidPolicyDocumentError(`Unknown policy element ${element}.`);
  }
  const version = value.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') {
    throw new InvalidPolicyDocumentError('Version must be 2012-10-17 or 2008-10-17.');
  }
  if (value.Id !== undefined && typeof value.Id !== 'string') throw new InvalidPolicyDocumentError('Id must be a string.');
  if (value.Statement === undefined) throw new InvalidPolicyDocumentError('The policy document has no Statement.');
  const raw = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
  const sids = new Set<string>();
  const statements = raw.map((statement, index) => {
    const parsed = parseStatement(statement, index + 1, kind);
    if (parsed.sid !== undefined) {
      if (sids.has(parsed.sid)) throw new InvalidPolicyDocumentError(`Statement ids (Sid) must be unique: ${parsed.sid} is repeated.`);
      sids.add(parsed.sid);
    }
    return parsed;
  });
  return { kind, version, id: value.Id, statements };
}

/** The reason a document is refused, or undefined when it is a valid policy of that kind. */
export function policyDocumentProblem(source: unknown, kind: PolicyKind): string | undefined {
  try {
    parsePolicyDocument(source, kind);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidPolicyDocumentError) return error.reason;
    throw error;
  }
}

function parseStatement(statement: unknown, position: number, kind: PolicyKind): PolicyStatement {
  const fail = (reason: string): never => {
    throw new InvalidPolicyDocumentError(`Statement ${position}: ${reason}`);
  };
  if (!isObject(statement)) return fail('a statement must be a JSON object.');
  for (const element of Object.keys(statement)) {
    if (!statementElements.has(element)) fail(`unknown element ${element}.`);
  }
  const { Sid: sid, Effect: effect } = statement;
  if (sid !== undefined && typeof sid !== 'string') fail('Sid must be a string.');
  if (effect !== 'Allow' && effect !== 'Deny') fail('Effect must be Allow or Deny.');

  const action = stringList(statement, 'Action', fail);
  const notAction = stringList(statement, 'NotAction', fail);
  if ((action === undefined) === (notAction === undefined)) fail('exactly one of Action or NotAction is required.');
  for (const name of action ?? notAction!) {
    if (!actionPattern.test(name)) fail(`${name} is not an action (expected service:action or *).`);
  }

  const resource = stringList(statement, 'Resource', fail);
  const notResource = stringList(statement, 'NotResource', fail);
  if (resource !== undefined && notResource !== undefined) fail('Resource and NotResource cannot both be given.');
  if (kind === 'identity' && resource === undefined && notResource === undefined) {
    fail('exactly one of Resource or NotResource is required.');
  }
  for (const arn of resource ?? notResource ?? []) {
    if (!resourcePattern.test(arn)) fail(`${arn} is not a resource (expected an ARN or *).`);
  }

  const hasPrincipal = statement.Principal !== undefined;
  const hasNotPrincipal = statement.NotPrincipal !== undefined;
  if (kind === 'identity' && (hasPrincipal || hasNotPrincipal)) {
    fail('an identity-based policy cannot name a Principal or NotPrincipal.');
  }
  if (kind === 'resource' && hasPrincipal === hasNotPrincipal) {
    fail('a resource-based policy statement needs exactly one of Principal or NotPrincipal.');
  }
  const principal = hasPrincipal ? parsePrincipal(statement.Principal, 'Principal', fail) : undefined;
  const notPrincipal = hasNotPrincipal ? parsePrincipal(statement.NotPrincipal, 'NotPrincipal', fail) : undefined;

  return {
    sid: sid as string | undefined,
    effect: effect as PolicyEffect,
    action,
    notAction,
    resource,
    notResource,
    principal,
    notPrincipal,
    condition: parseCondition(statement.Condition, fail),
  };
}

/** IAM elements that take "a string or an array of strings"; an empty array names nothing and is refused. */
function stringList(statement: Record<string, unknown>, element: string, fail: (reason: string) => never): string[] | undefined {
  const value = statement[element];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) return value as string[];
  return fail(`${element} must be a string or a non-empty array of strings.`);
}

function parsePrincipal(value: unknown, element: string, fail: (reason: string) => never): PolicyPrincipal {
  if (value === '*') return { everyone: true, aws: [], service: [], federated: [], canonicalUser: [] };
  if (!isObject(value)) return fail(`${element} must be "*" or an object such as {"AWS": "123456789012"}.`);
  const lists = { aws: [] as string[], service: [] as string[], federated: [] as string[], canonicalUser: [] as string[] };
  for (const [type, ids] of Object.entries(value)) {
    const field = principalTypes.get(type as 'AWS');
    if (field === undefined) fail(`${type} is not a principal type (expected AWS, Service, Federated or CanonicalUser).`);
    const list = typeof ids === 'string' ? [ids] : ids;
    if (!Array.isArray(list) || list.length === 0 || !list.every((id) => typeof id === 'string' && id.length > 0)) {
      fail(`${element} ${type} must be a string or a non-empty array of strings.`);
    }
    for (const id of list as string[]) {
      if (field === 'aws' && !awsPrincipalPattern.test(id)) {
        fail(`invalid principal ${JSON.stringify(id)} (expected *, an account id, or an IAM root, user or role ARN).`);
      }
      lists[field!].push(id);
    }
  }
  if (Object.keys(value).length === 0) fail(`${element} names no principal.`);
  return { everyone: lists.aws.includes('*'), ...lists };
}

function parseCondition(value: unknown, fail: (reason: string) => never): PolicyConditionEntry[] {
  if (value === undefined) return [];
  if (!isObject(value)) return fail('Condition must be an object of operators.');
  const entries: PolicyConditionEntry[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isObject(block)) fail(`Condition operator ${operator} must map condition keys to values.`);
    for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.length === 0 || !list.every(isScalar)) {
        fail(`Condition ${operator} ${key} must be a string, number or boolean, or a non-empty array of them.`);
      }
      entries.push({ operator, key, values: list.map((item) => String(item)) });
    }
  }
  return entries;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
