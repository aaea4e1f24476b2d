import { TemplateError } from './template-error.js';
import type { ParameterDeclaration } from './template.js';

/**
 * The version `cdk bootstrap` writes to `/cdk-bootstrap/<qualifier>/version`: aws-cdk's bootstrap-template.yaml
 * sets its CdkBootstrapVersion parameter to "28" (2025 templates). `cdk synth` output only asserts it is not 1-5
 * (rule CheckBootstrapVersion), so a recent number lets those templates deploy with no SSM and no bootstrap stack.
 */
export const CDK_BOOTSTRAP_VERSION = '28';
const CDK_BOOTSTRAP_VERSION_NAME = /^\/cdk-bootstrap\/[^/]+\/version$/;

/** A parameter's value: a string, or a list for the list types; `noEcho` values are never printed. */
export interface ResolvedParameter {
  readonly name: string;
  readonly type: string;
  readonly value: string | readonly string[];
  readonly noEcho: boolean;
  /**
   * An SSM parameter name neither --ssm nor Riffle knows: an error only where the value is used by what Riffle
   * deploys (a property, an output, a condition, a rule), since templates pass such values to resources it skips.
   */
  readonly missingSsm?: string;
}

const SSM_VALUE = /^AWS::SSM::Parameter::Value<(.+)>$/;
const AWS_SPECIFIC = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+)*$/;

/** String-or-list shape of a (non-SSM) type, or undefined if CloudFormation has no such type. */
function shapeOf(type: string): 'string' | 'number' | 'list' | 'numbers' | undefined {
  if (type === 'String' || type === 'AWS::SSM::Parameter::Name') return 'string';
  if (type === 'Number') return 'number';
  if (type === 'List<Number>') return 'numbers';
  if (type === 'CommaDelimitedList' || type === 'List<String>') return 'list';
  const list = /^List<(.+)>$/.exec(type);
  if (list && AWS_SPECIFIC.test(list[1]!)) return 'list';
  if (AWS_SPECIFIC.test(type)) return 'string';
  return undefined;
}

/** What a Ref of a parameter whose SSM value is unknown says. */
export const missingSsmMessage = (parameter: ResolvedParameter): string =>
  `Parameter ${parameter.name} (${parameter.type}) names the SSM parameter ${parameter.missingSsm}, which Riffle cannot read: give its value with --ssm ${parameter.missingSsm}=VALUE`;

export interface ParameterInputs {
  /** `--parameter Key=Value` */
  readonly given: ReadonlyMap<string, string>;
  /** `--ssm NAME=VALUE`: the values of SSM parameters that `AWS::SSM::Parameter::Value<…>` parameters name. */
  readonly ssm: ReadonlyMap<string, string>;
}

const splitList = (value: string): string[] => (value === '' ? [] : value.split(',').map((item) => item.trim()));

/** Gives every template parameter its value (given, else Default), checks it against its constraints with CloudFormation's messages. */
export function resolveParameters(declarations: ReadonlyMap<string, ParameterDeclaration>, inputs: ParameterInputs): Map<string, ResolvedParameter> {
  const unknown = [...inputs.given.keys()].filter((name) => !declarations.has(name));
  if (unknown.length > 0) throw new TemplateError(`Parameters: [${unknown.join(', ')}] do not exist in the template`, undefined);

  const missing = [...declarations.values()].filter((decl) => !inputs.given.has(decl.name) && decl.default === undefined);
  if (missing.length > 0) throw new TemplateError(`Parameters: [${missing.map((decl) => decl.name).join(', ')}] must have values`, undefined);

  const resolved = new Map<string, ResolvedParameter>();
  for (const decl of declarations.values()) {
    const ssm = SSM_VALUE.exec(decl.type);
    const innerType = ssm ? ssm[1]! : decl.type;
    const shape = shapeOf(innerType);
    if (shape === undefined || (ssm && innerType.startsWith('AWS::SSM::'))) {
      throw new TemplateError(`Template format error: Unrecognized parameter type: ${decl.type}`, decl.typePos);
    }
    const raw = rawValue(decl, inputs.given.get(decl.name));
    const pos = inputs.given.has(decl.name) ? decl.pos : (decl.default?.pos ?? decl.pos);
    checkConstraints(decl, raw, ssm ? 'string' : shape, pos);
    let text = raw;
    if (ssm) {
      const fromFlag = inputs.ssm.get(raw);
      if (fromFlag !== undefined) text = fromFlag;
      else if (CDK_BOOTSTRAP_VERSION_NAME.test(raw)) text = CDK_BOOTSTRAP_VERSION;
      else {
        resolved.set(decl.name, { name: decl.name, type: decl.type, value: '', noEcho: decl.noEcho, missingSsm: raw });
        continue;
      }
    }
    const value = shape === 'list' || shape === 'numbers' ? splitList(text) : text;
    if (shape === 'numbers') for (const item of value as string[]) if (!isNumber(item)) throw new TemplateError(`Parameter '${decl.name}' must be a number`, pos);
    resolved.set(decl.name, { name: decl.name, type: decl.type, value, noEcho: decl.noEcho });
  }
  return resolved;
}

function rawValue(decl: ParameterDeclaration, given: string | undefined): string {
  if (given !== undefined) return given;
  const node = decl.default!;
  if (node.kind === 'list') return node.items.map((item) => (item.kind === 'scalar' ? String(item.value ?? '') : '')).join(',');
  if (node.kind === 'scalar') return node.value === null ? '' : String(node.value);
  throw new TemplateError(`Template format error: the Default of parameter ${decl.name} must be a string`, node.pos);
}

const isNumber = (text: string): boolean => text.trim() !== '' && Number.isFinite(Number(text));

function checkConstraints(decl: ParameterDeclaration, raw: string, shape: 'string' | 'number' | 'list' | 'numbers', pos: ParameterDeclaration['pos']): void {
  const fail = (reason: string): never => {
    throw new TemplateError(decl.constraintDescription !== undefined ? `Parameter ${decl.name} failed to satisfy constraint: ${decl.constraintDescription}` : reason, pos);
  };
  const members = shape === 'list' || shape === 'numbers' ? splitList(raw) : [raw];
  for (const member of members) {
    if (decl.allowedValues !== undefined && !decl.allowedValues.includes(member)) fail(`Parameter '${decl.name}' must be one of AllowedValues`);
    if (decl.allowedPattern !== undefined && !new RegExp(`^(?:${decl.allowedPattern})$`, 'u').test(member)) fail(`Parameter '${decl.name}' must match pattern ${decl.allowedPattern}`);
    if (shape === 'string' || shape === 'list') {
      if (decl.minLength !== undefined && member.length < decl.minLength) fail(`Parameter '${decl.name}' must contain at least ${decl.minLength} characters`);
      if (decl.maxLength !== undefined && member.length > decl.maxLength) fail(`Parameter '${decl.name}' must contain at most ${decl.maxLength} characters`);
    }
    if (shape === 'number' || shape === 'numbers') {
      if (!isNumber(member)) throw new TemplateError(`Parameter '${decl.name}' must be a number`, pos);
      if (decl.minValue !== undefined && Number(member) < decl.minValue) fail(`Parameter '${decl.name}' must be a number not less than ${decl.minValue}`);
      if (decl.maxValue !== undefined && Number(member) > decl.maxValue) fail(`Parameter '${decl.name}' must be a number not greater than ${decl.maxValue}`);
    }
  }
}
