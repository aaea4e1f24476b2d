import type { ConditionContext } from './condition-context.js';
import { compileCondition, type CompiledCondition } from './condition-operators.js';
import { parsePolicyDocument, InvalidPolicyDocumentError, type PolicyDocument, type PolicyKind, type PolicyStatement } from './policy-document.js';
import { parseTemplate, substitutePattern, type PolicyTemplate } from './policy-variables.js';
import { compileNotPrincipal, compilePrincipal, type CompiledPrincipal } from './principal-match.js';
import { compileWildcard, matchUnits, type WildcardPattern } from './wildcard-pattern.js';

/**
 * A policy ready to evaluate on every request: its wildcard patterns, principals and conditions compiled once.
 * Compiled policies are cached by identity (the same object or the same JSON text gives the same compiled
 * policy), so callers can compile on every request without paying for it twice.
 */

export interface CompiledStatement {
  readonly sid?: string;
  readonly effect: PolicyStatement['effect'];
  /** The action lower-cased: action names are case-insensitive. */
  readonly coversAction: (action: string) => boolean;
  readonly coversResource: (resource: string, context: ConditionContext) => boolean;
  /** Resource-based statements only. */
  readonly principal?: CompiledPrincipal;
  readonly condition: CompiledCondition;
}

export interface CompiledPolicy {
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
}

const byObject = { identity: new WeakMap<object, CompiledPolicy>(), resource: new WeakMap<object, CompiledPolicy>() };
/** Policy texts seen most recently, oldest first (a Map keeps insertion order). */
const byText = { identity: new Map<string, CompiledPolicy>(), resource: new Map<string, CompiledPolicy>() };
const textCacheSize = 1024;

/** Compiles a policy from its JSON text, a parsed JSON value, or a PolicyDocument; throws InvalidPolicyDocumentError. */
export function compilePolicy(source: string | object, kind: PolicyKind): CompiledPolicy {
  if (typeof source === 'string') {
    const cache = byText[kind];
    const hit = cache.get(source);
    if (hit !== undefined) {
      cache.delete(source);
      cache.set(source, hit);
      return hit;
    }
    const compiled = compileDocument(parsePolicyDocument(source, kind));
    cache.set(source, compiled);
    if (cache.size > textCacheSize) cache.delete(cache.keys().next().value!);
    return compiled;
  }
  const cache = byObject[kind];
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const document = isPolicyDocument(source, kind) ? source : parsePolicyDocument(source, kind);
  const compiled = compileDocument(document);
  cache.set(source, compiled);
  return compiled;
}

/** The compiled policy, or undefined when the source is not a valid policy of that kind. */
export function tryCompilePolicy(source: unknown, kind: PolicyKind): CompiledPolicy | undefined {
  if (typeof source !== 'string' && (typeof source !== 'object' || source === null)) return undefined;
  try {
    return compilePolicy(source, kind);
  } catch (error) {
    if (error instanceof InvalidPolicyDocumentError) return undefined;
    throw error;
  }
}

function isPolicyDocument(source: object, kind: PolicyKind): source is PolicyDocument {
  return (source as Partial<PolicyDocument>).kind === kind && Array.isArray((source as Partial<PolicyDocument>).statements);
}

function compileDocument(document: PolicyDocument): CompiledPolicy {
  const variables = document.version === '2012-10-17';
  return { document, statements: document.statements.map((statement) => compileStatement(statement, variables)) };
}

function compileStatement(statement: PolicyStatement, variables: boolean): CompiledStatement {
  const actions = statement.action ?? statement.notAction!;
  const actionPatterns = actions.map((action) => compileWildcard(action, { ignoreCase: true }));
  const anyAction = (action: string) => actionPatterns.some((pattern) => pattern.matches(action));
  const coversAction = statement.action !== undefined ? anyAction : (action: string) => !anyAction(action);

  const resources = statement.resource ?? statement.notResource;
  let coversResource: CompiledStatement['coversResource'] = () => true;
  if (resources !== undefined) {
    const anyResource = compileResources(resources, variables);
    coversResource = statement.resource !== undefined ? anyResource : (resource, context) => !anyResource(resource, context);
  }

  let principal: CompiledPrincipal | undefined;
  if (statement.principal !== undefined) principal = compilePrincipal(statement.principal);
  else if (statement.notPrincipal !== undefined) principal = compileNotPrincipal(statement.notPrincipal);

  return {
    sid: statement.sid,
    effect: statement.effect,
    coversAction,
    coversResource,
    principal,
    condition: compileCondition(statement.condition, variables),
  };
}

/** Resource ARNs match case-sensitively; a pattern with a variable that the request cannot fill matches nothing. */
function compileResources(resources: readonly string[], variables: boolean): (resource: string, context: ConditionContext) => boolean {
  const fixed: WildcardPattern[] = [];
  const templated: PolicyTemplate[] = [];
  for (const resource of resources) {
    const template = variables ? parseTemplate(resource) : undefined;
    if (template === undefined) fixed.push(compileWildcard(resource));
    else templated.push(template);
  }
  return (resource, context) => {
    for (const pattern of fixed) if (pattern.matches(resource)) return true;
    for (const template of templated) {
      const units = substitutePattern(template, context);
      if (units !== undefined && matchUnits(units, resource)) return true;
    }
    return false;
  };
}
