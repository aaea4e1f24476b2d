import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveParameters } from './parameters.js';
import { parseTemplate } from './parse-template.js';
import { checkRules } from './stack-rules.js';
import { TemplateError } from './template-error.js';
import { TemplateEvaluator } from './template-evaluator.js';
import { readTemplate } from './template.js';

function check(text: string, given: Record<string, string> = {}, ssm: Record<string, string> = {}): string[] {
  const template = readTemplate(parseTemplate(text));
  const parameters = resolveParameters(template.parameters, { given: new Map(Object.entries(given)), ssm: new Map(Object.entries(ssm)) });
  const evaluator = new TemplateEvaluator({ parameters, pseudo: new Map(), mappings: template.mappings, conditions: template.conditions, resourceIds: new Set(template.resources.keys()), region: 'us-east-1' }, 'Rules', undefined);
  const warnings: string[] = [];
  checkRules(template, evaluator, (line) => warnings.push(line));
  return warnings;
}

const cdk = `Parameters:
  BootstrapVersion: { Type: "AWS::SSM::Parameter::Value<String>", Default: /cdk-bootstrap/hnb659fds/version }
Rules:
  CheckBootstrapVersion:
    Assertions:
      - Assert: { "Fn::Not": [{ "Fn::Contains": [["1", "2", "3", "4", "5"], { Ref: BootstrapVersion }] }] }
        AssertDescription: CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.
Resources:
  S: { Type: AWS::Kinesis::Stream }
`;

describe('checkRules', () => {
  it('cdk synth\'s CheckBootstrapVersion passes with the built-in bootstrap version, fails with an old one', () => {
    assert.deepEqual(check(cdk), []);
    assert.throws(() => check(cdk, {}, { '/cdk-bootstrap/hnb659fds/version': '5' }), /^TemplateError: CDK bootstrap stack version 6 required\. Please run 'cdk bootstrap' with a recent version of the CDK CLI\.$/);
    assert.throws(() => check(cdk.replace('Default: /cdk-bootstrap/hnb659fds/version', 'Default: /x')), /names the SSM parameter \/x, which Riffle cannot read: give its value with --ssm \/x=VALUE/);
  });

  it('a failing assertion is its AssertDescription, at the assertion; RuleCondition gates the rule', () => {
    const text = `Parameters:
  Env: { Type: String, Default: prod }
  Size: { Type: String, Default: small }
Rules:
  ProdIsBig:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions:
      - Assert: !Contains [[big, huge], !Ref Size]
        AssertDescription: production stacks need a big size
Resources:
  S: { Type: AWS::Kinesis::Stream }
`;
    assert.throws(() => check(text), (error) => error instanceof TemplateError && error.message === 'production stacks need a big size' && error.pos?.line === 8);
    assert.deepEqual(check(text, { Env: 'dev' }), []);
    assert.deepEqual(check(text, { Size: 'big' }), []);
  });

  it('a rule that needs AWS resources\' attributes is not checked, with a warning', () => {
    const warnings = check(`Parameters:
  Subnet: { Type: "AWS::EC2::Subnet::Id", Default: subnet-1 }
Rules:
  SameVpc:
    Assertions:
      - Assert: !Equals [!ValueOf [Subnet, VpcId], vpc-1]
Resources:
  S: { Type: AWS::Kinesis::Stream }
`);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /rule SameVpc not checked: Fn::ValueOf/);
  });
});
