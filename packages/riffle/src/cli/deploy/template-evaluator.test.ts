import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotAvailableError } from './not-available-error.js';
import { resolveParameters } from './parameters.js';
import { parseTemplate } from './parse-template.js';
import { pseudoParameters } from './pseudo-parameters.js';
import { TemplateError } from './template-error.js';
import { TemplateEvaluator, type ResourceReferences } from './template-evaluator.js';
import { NO_VALUE } from './template-value.js';
import { readTemplate } from './template.js';

const resources: ResourceReferences = {
  ref: (id) => `physical-${id}`,
  getAtt: (id, attribute) => `${attribute}-of-${id}`,
};

/** An evaluator for a template's text, with the given parameter values. */
function evaluatorFor(text: string, given: Record<string, string> = {}, refs: ResourceReferences | undefined = resources): TemplateEvaluator {
  const template = readTemplate(parseTemplate(text));
  const parameters = resolveParameters(template.parameters, { given: new Map(Object.entries(given)), ssm: new Map() });
  const pseudo = pseudoParameters({ stackName: 'lab', region: 'eu-west-1', accountId: '123456789012' }, 'arn:aws:cloudformation:eu-west-1:123456789012:stack/lab/id');
  return new TemplateEvaluator({ parameters, pseudo, mappings: template.mappings, conditions: template.conditions, resourceIds: new Set(template.resources.keys()), region: 'eu-west-1' }, 'Resources', refs);
}

const base = `
Parameters:
  Env: { Type: String, Default: prod }
  Count: { Type: Number, Default: 3 }
  Names: { Type: CommaDelimitedList, Default: "a,b,c" }
Mappings:
  Sizes:
    prod: { Shards: 4 }
    dev: { Shards: 1 }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Either: !Or [!Condition IsProd, !Condition IsDev]
  Both: !And [!Condition IsProd, !Condition IsDev]
Resources:
  S:
    Type: AWS::Kinesis::Stream
`;

/** Evaluates one YAML value (written with the base template's parameters, mappings and conditions). */
function value(expression: string, given: Record<string, string> = {}): unknown {
  const evaluator = evaluatorFor(`${base}Outputs:\n  X:\n    Value: ${expression}\n`, given);
  const template = readTemplate(parseTemplate(`${base}Outputs:\n  X:\n    Value: ${expression}\n`));
  return evaluator.value(template.outputs.get('X')!.value);
}

describe('template evaluator', () => {
  it('Ref: parameters (lists as lists), pseudo parameters, resources', () => {
    assert.equal(value('!Ref Env'), 'prod');
    assert.equal(value('!Ref Count'), '3');
    assert.deepEqual(value('!Ref Names'), ['a', 'b', 'c']);
    assert.equal(value('!Ref AWS::Region'), 'eu-west-1');
    assert.equal(value('!Ref AWS::AccountId'), '123456789012');
    assert.equal(value('!Ref AWS::StackName'), 'lab');
    assert.equal(value('!Ref AWS::Partition'), 'aws');
    assert.equal(value('!Ref AWS::URLSuffix'), 'amazonaws.com');
    assert.deepEqual(value('!Ref AWS::NotificationARNs'), []);
    assert.match(String(value('!Ref AWS::StackId')), /^arn:aws:cloudformation:eu-west-1:123456789012:stack\/lab\//);
    assert.equal(value('!Ref S'), 'physical-S');
    assert.equal(value('{ Ref: S }'), 'physical-S');
  });

  it('AWS::NoValue removes the property or list item', () => {
    assert.deepEqual(value('{ A: 1, B: !Ref AWS::NoValue }'), { A: 1 });
    assert.deepEqual(value('[1, !If [IsProd, !Ref AWS::NoValue, 2], 3]'), [1, 3]);
    assert.equal(value('!Ref AWS::NoValue'), NO_VALUE);
  });

  it('Fn::GetAtt in its list, dotted-string and long forms', () => {
    assert.equal(value('!GetAtt S.Arn'), 'Arn-of-S');
    assert.equal(value('!GetAtt [S, Arn]'), 'Arn-of-S');
    assert.equal(value('{ "Fn::GetAtt": [S, Arn] }'), 'Arn-of-S');
  });

  it('Fn::Sub: string and [string, map] forms, parameters, resources, attributes, pseudo, literals', () => {
    assert.equal(value('!Sub "${Env}-${AWS::Region}-${S}-${S.Arn}-${!Literal}"'), 'prod-eu-west-1-physical-S-Arn-of-S-${Literal}');
    assert.equal(value('!Sub ["${Greeting}, ${Env}", { Greeting: !Join ["", [h, i]] }]'), 'hi, prod');
    assert.throws(() => value('!Sub "${Nope}"'), /Unresolved resource dependencies \[Nope\] in the Resources block/);
  });

  it('Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::Base64, Fn::GetAZs', () => {
    assert.equal(value('!Join [":", [a, !Ref Env, 3]]'), 'a:prod:3');
    assert.equal(value('!Join [",", !Ref Names]'), 'a,b,c');
    assert.equal(value('!Select [1, !Ref Names]'), 'b');
    assert.equal(value('!Select ["2", [x, y, z]]'), 'z');
    assert.throws(() => value('!Select [5, [x]]'), /Fn::Select cannot select nonexistent value at index 5/);
    assert.throws(() => value('!Select ["", [x]]'), /Fn::Select cannot select nonexistent value at index /);
    assert.throws(() => value('!Select ["0x1", [x, y]]'), /Fn::Select cannot select nonexistent value at index 0x1/);
    assert.deepEqual(value('!Split ["|", "a|b||c"]'), ['a', 'b', '', 'c']);
    assert.equal(value('!Select [0, !Split [",", !Join [",", !Ref Names]]]'), 'a');
    assert.equal(value('!FindInMap [Sizes, !Ref Env, Shards]'), 4);
    assert.equal(value('!FindInMap [Sizes, dev, Shards]'), 1);
    assert.throws(() => value('!FindInMap [Sizes, test, Shards]'), /Unable to get mapping for Sizes::test::Shards/);
    assert.equal(value('!Base64 "hello"'), 'aGVsbG8=');
    assert.deepEqual(value('!GetAZs ""'), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    assert.equal(value('!Select [0, !GetAZs us-east-1]'), 'us-east-1a');
  });

  it('conditions: Fn::Equals, Fn::Not, Fn::Or, Fn::And, Condition references, Fn::If', () => {
    assert.equal(value('!If [IsProd, big, small]'), 'big');
    assert.equal(value('!If [IsProd, big, small]', { Env: 'dev' }), 'small');
    assert.equal(value('!If [IsDev, yes, no]'), 'no');
    assert.equal(value('!If [Either, yes, no]', { Env: 'dev' }), 'yes');
    assert.equal(value('!If [Both, yes, no]'), 'no');
    assert.equal(value('!Equals [!Ref Count, 3]'), true, 'CloudFormation compares string forms');
    assert.equal(value('!Equals [[a, b], !Ref Names]'), false);
    assert.throws(() => value('!If [Missing, a, b]'), /Unresolved condition dependency Missing/);
    assert.throws(() => value('!And [!Condition IsProd]'), /Fn::And takes a list of 2 to 10 conditions/);
  });

  it('rule-only functions only in Rules; Fn::ImportValue and Fn::Cidr are not available', () => {
    assert.throws(() => value('!Contains [[a], a]'), /Fn::Contains can only be used in the Rules section/);
    assert.throws(() => value('!ImportValue shared-arn'), (error) => error instanceof NotAvailableError && /Fn::ImportValue is not supported/.test(error.message));
    assert.throws(() => value('!Cidr ["10.0.0.0/16", 2, 8]'), NotAvailableError);
  });

  it('rule functions: Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::RefAll', () => {
    const text = `${base}Outputs:\n  X: { Value: x }\n`;
    const rules = evaluatorFor(text).forBlock('Rules', undefined);
    const node = (expression: string) => {
      const root = parseTemplate(`V: ${expression}`);
      assert.ok(root.kind === 'map');
      return root.entries.get('V')!.value;
    };
    assert.equal(rules.condition(node('!Contains [[prod, dev], !Ref Env]')), true);
    assert.equal(rules.condition(node('!Not [!Contains [["1", "2", "3", "4", "5"], "28"]]')), true);
    assert.equal(rules.condition(node('!EachMemberEquals [!Ref Names, a]')), false);
    assert.equal(rules.condition(node('!EachMemberIn [[a, c], !Ref Names]')), true);
    assert.equal(rules.condition(node('!EachMemberIn [[a, d], !Ref Names]')), false);
    assert.deepEqual(rules.value(node('!RefAll CommaDelimitedList')), ['a', 'b', 'c']);
    assert.throws(() => rules.value(node('!ValueOf [Env, VpcId]')), NotAvailableError);
  });

  it('references to resources are errors in the Conditions block', () => {
    const text = `${base}  Bad:\n    Type: AWS::Kinesis::Stream\nOutputs:\n  X: { Value: x }\n`;
    const template = readTemplate(parseTemplate(text.replace('Either: !Or', 'UsesResource: !Equals [!Ref S, x]\n  Either: !Or')));
    const evaluator = evaluatorFor(text.replace('Either: !Or', 'UsesResource: !Equals [!Ref S, x]\n  Either: !Or'));
    assert.ok(template.conditions.has('UsesResource'));
    assert.throws(() => evaluator.namedCondition('UsesResource', { line: 1, col: 1 }), /Cannot reference resources in the Conditions block/);
  });

  it('an unknown function is CloudFormation\'s "unsupported function" error, with its position', () => {
    assert.throws(() => value('{ "Fn::Frobnicate": [a] }'), (error) => error instanceof TemplateError && /Encountered unsupported function: Fn::Frobnicate/.test(error.message) && error.pos?.line === base.split('\n').length + 2 && error.pos.col === 12);
  });

  it('conditions that refer to each other in a cycle are CloudFormation\'s circular dependency error, not a stack overflow', () => {
    const text = 'Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  S:\n    Type: AWS::Kinesis::Stream\n';
    assert.throws(() => evaluatorFor(text).namedCondition('A', { line: 1, col: 1 }), (error) => error instanceof TemplateError && /Circular dependency between conditions: \[A, B\]/.test(error.message));
    const self = 'Conditions:\n  A: !Equals [x, y]\n  B: !Or [!Condition A, !Condition B]\nResources:\n  S:\n    Type: AWS::Kinesis::Stream\n';
    assert.throws(() => evaluatorFor(self).namedCondition('B', { line: 1, col: 1 }), (error) => error instanceof TemplateError && /Circular dependency between conditions: \[B\]/.test(error.message));
  });
});
