import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate } from './parse-template.js';
import { TemplateError } from './template-error.js';
import { readTemplate } from './template.js';

const read = (text: string) => readTemplate(parseTemplate(text));
const failsAt = (line: number, col: number, message: RegExp) => (error: unknown): boolean =>
  error instanceof TemplateError && error.pos?.line === line && error.pos.col === col && message.test(error.message);

describe('readTemplate', () => {
  it('reads every section', () => {
    const template = read(`AWSTemplateFormatVersion: "2010-09-09"
Description: d
Metadata: { A: 1 }
Parameters: { P: { Type: String, Default: x, NoEcho: true } }
Mappings: { M: { a: { b: c } } }
Conditions: { C: !Equals [a, a] }
Rules: { R: { Assertions: [{ Assert: !Equals [a, a], AssertDescription: never } ] } }
Resources:
  S:
    Type: AWS::Kinesis::Stream
    Condition: C
    DependsOn: [T]
    DeletionPolicy: Retain
  T: { Type: AWS::SNS::Topic }
Outputs: { O: { Value: x, Export: { Name: e }, Condition: C } }
`);
    assert.equal(template.description, 'd');
    assert.equal(template.parameters.get('P')!.noEcho, true);
    assert.deepEqual(template.resources.get('S')!.dependsOn.map((d) => d.name), ['T']);
    assert.equal(template.resources.get('S')!.condition!.name, 'C');
    assert.equal(template.resources.get('S')!.deletionPolicy, 'Retain');
    assert.equal(template.rules.get('R')!.assertions[0]!.description, 'never');
    assert.ok(template.outputs.get('O')!.exportName);
  });

  it('an unknown top-level section is CloudFormation\'s error, at its key', () => {
    assert.throws(() => read('Resources:\n  S: { Type: X }\nResource: {}\n'), failsAt(3, 1, /^Template format error: Invalid template property or properties \[Resource\]$/));
  });

  it('a Transform is not supported, with its line', () => {
    assert.throws(() => read('Transform: AWS::Serverless-2016-10-31\nResources:\n  S: { Type: X }\n'), failsAt(1, 12, /Transform AWS::Serverless-2016-10-31 is not supported/));
  });

  it('Resources is needed, each with a Type, an alphanumeric name and known attributes', () => {
    assert.throws(() => read('Description: x\n'), /At least one Resources member must be defined/);
    assert.throws(() => read('Resources:\n  S:\n    Properties: {}\n'), failsAt(2, 3, /Every Resources object must contain a Type member/));
    assert.throws(() => read('Resources:\n  my-stream: { Type: X }\n'), /Resource name my-stream is non alphanumeric/);
    assert.throws(() => read('Resources:\n  S:\n    Type: X\n    Propertes: {}\n'), failsAt(4, 5, /Invalid template resource property 'Propertes'/));
    assert.throws(() => read('Resources:\n  S: { Type: X }\nOutputs:\n  O: { Description: d }\n'), /Every Outputs member must contain a Value object/);
    assert.throws(() => read('Parameters:\n  P: { Default: 1 }\nResources:\n  S: { Type: X }\n'), /Every Parameters object must contain a Type member/);
  });
});
