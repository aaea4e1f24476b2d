import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CDK_BOOTSTRAP_VERSION, resolveParameters } from './parameters.js';
import { parseTemplate } from './parse-template.js';
import { readTemplate } from './template.js';

function resolve(parameters: string, given: Record<string, string> = {}, ssm: Record<string, string> = {}) {
  const template = readTemplate(parseTemplate(`Parameters:\n${parameters}\nResources:\n  S: { Type: AWS::Kinesis::Stream }\n`));
  return resolveParameters(template.parameters, { given: new Map(Object.entries(given)), ssm: new Map(Object.entries(ssm)) });
}
const valueOf = (parameters: string, given: Record<string, string> = {}, ssm: Record<string, string> = {}) => resolve(parameters, given, ssm).get('P')!.value;

describe('resolveParameters', () => {
  it('types: String, Number, List<Number>, CommaDelimitedList, AWS-specific types', () => {
    assert.equal(valueOf('  P: { Type: String, Default: abc }'), 'abc');
    assert.equal(valueOf('  P: { Type: Number, Default: 2 }', { P: '5' }), '5');
    assert.deepEqual(valueOf('  P: { Type: List<Number>, Default: "1, 2,3" }'), ['1', '2', '3']);
    assert.deepEqual(valueOf('  P: { Type: CommaDelimitedList, Default: [a, b] }'), ['a', 'b']);
    assert.equal(valueOf('  P: { Type: "AWS::EC2::VPC::Id", Default: vpc-1 }'), 'vpc-1');
    assert.deepEqual(valueOf('  P: { Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-1,subnet-2" }'), ['subnet-1', 'subnet-2']);
    assert.throws(() => valueOf('  P: { Type: Strin, Default: x }'), /Unrecognized parameter type: Strin/);
    assert.throws(() => valueOf('  P: { Type: Number, Default: x }'), /Parameter 'P' must be a number/);
    assert.throws(() => valueOf('  P: { Type: List<Number>, Default: "1,x" }'), /Parameter 'P' must be a number/);
  });

  it('a parameter with no value and no Default, or an unknown one given, is CloudFormation\'s error', () => {
    assert.throws(() => resolve('  P: { Type: String }\n  Q: { Type: String }'), /^TemplateError: Parameters: \[P, Q\] must have values$/);
    assert.throws(() => resolve('  P: { Type: String, Default: x }', { Nope: '1' }), /Parameters: \[Nope\] do not exist in the template/);
  });

  it('constraints with CloudFormation\'s messages, ConstraintDescription instead when there is one', () => {
    const p = (constraint: string) => `  P: { Type: String, Default: ok, ${constraint} }`;
    assert.throws(() => valueOf(p('AllowedValues: [ok, fine]'), { P: 'bad' }), /Parameter 'P' must be one of AllowedValues/);
    assert.throws(() => valueOf(p('AllowedPattern: "[a-z]+"'), { P: 'abc1' }), /Parameter 'P' must match pattern \[a-z\]\+/);
    assert.equal(valueOf(p('AllowedPattern: "[a-z]+"'), { P: 'abc' }), 'abc');
    assert.throws(() => valueOf(p('MinLength: 3')), /Parameter 'P' must contain at least 3 characters/);
    assert.throws(() => valueOf(p('MaxLength: 1')), /Parameter 'P' must contain at most 1 characters/);
    assert.throws(() => valueOf('  P: { Type: Number, Default: 0, MinValue: 1 }'), /Parameter 'P' must be a number not less than 1/);
    assert.throws(() => valueOf('  P: { Type: Number, Default: 11, MaxValue: 10 }'), /Parameter 'P' must be a number not greater than 10/);
    assert.throws(() => valueOf(p('MinLength: 5, ConstraintDescription: "five or more"')), /Parameter P failed to satisfy constraint: five or more/);
    assert.throws(() => valueOf('  P: { Type: CommaDelimitedList, Default: "a,zz", AllowedValues: [a, b] }'), /must be one of AllowedValues/);
  });

  it('NoEcho is kept with the value', () => {
    assert.equal(resolve('  P: { Type: String, NoEcho: true, Default: secret }').get('P')!.noEcho, true);
  });

  it('SSM-typed parameters: --ssm values, the CDK bootstrap version built in, other names unresolved until used', () => {
    assert.equal(valueOf('  P: { Type: "AWS::SSM::Parameter::Value<String>", Default: /cdk-bootstrap/hnb659fds/version }'), CDK_BOOTSTRAP_VERSION);
    assert.equal(valueOf('  P: { Type: "AWS::SSM::Parameter::Value<String>", Default: /cdk-bootstrap/custom1/version }'), CDK_BOOTSTRAP_VERSION);
    assert.ok(Number(CDK_BOOTSTRAP_VERSION) >= 6, 'passes cdk\'s CheckBootstrapVersion rule');
    assert.equal(valueOf('  P: { Type: "AWS::SSM::Parameter::Value<String>", Default: /app/size }', {}, { '/app/size': '4' }), '4');
    assert.deepEqual(valueOf('  P: { Type: "AWS::SSM::Parameter::Value<List<String>>", Default: /app/names }', {}, { '/app/names': 'a,b' }), ['a', 'b']);
    assert.equal(valueOf('  P: { Type: "AWS::SSM::Parameter::Value<String>", Default: /other }', { P: '/app/size' }, { '/app/size': '7' }), '7');
    const missing = resolve('  P: { Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/ami }').get('P')!;
    assert.equal(missing.missingSsm, '/aws/service/ami');
  });
});
