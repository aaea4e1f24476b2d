import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate } from './parse-template.js';
import { dependencyGraph } from './resource-dependencies.js';
import { TemplateError } from './template-error.js';
import { readTemplate } from './template.js';

const graphOf = (resources: string, outputs = '') =>
  dependencyGraph(readTemplate(parseTemplate(`Parameters:\n  P: { Type: String, Default: x }\nResources:\n${resources}\n${outputs}`)), new Set(['P', 'AWS::Region', 'AWS::StackName']));
const failsAt = (line: number, col: number, message: RegExp) => (error: unknown): boolean =>
  error instanceof TemplateError && error.pos?.line === line && error.pos.col === col && message.test(error.message);

describe('dependencyGraph', () => {
  it('orders resources after what they Ref, GetAtt, Sub and DependsOn', () => {
    const { order, dependsOn } = graphOf(`
  Policy:
    Type: AWS::Kinesis::ResourcePolicy
    Properties: { ResourceArn: !GetAtt Stream.Arn, ResourcePolicy: { Resource: !Sub "\${Consumer}" } }
  Consumer:
    Type: AWS::Kinesis::StreamConsumer
    Properties: { StreamARN: !Sub "\${Stream.Arn}", ConsumerName: !Sub "\${AWS::StackName}-c" }
  Stream:
    Type: AWS::Kinesis::Stream
    DependsOn: Topic
    Properties: { Name: !Ref P }
  Topic: { Type: AWS::SNS::Topic }`);
    assert.deepEqual(order, ['Topic', 'Stream', 'Consumer', 'Policy']);
    assert.deepEqual([...dependsOn.get('Policy')!].sort(), ['Consumer', 'Stream']);
  });

  it('a cycle is CloudFormation\'s circular dependency error', () => {
    assert.throws(() => graphOf(`
  A: { Type: AWS::Kinesis::Stream, Properties: { Name: !Ref B } }
  B: { Type: AWS::Kinesis::Stream, Properties: { Name: !GetAtt A.Arn } }
  C: { Type: AWS::Kinesis::Stream, Properties: { Name: !Ref A } }`), /^TemplateError: Circular dependency between resources: \[A, B\]$/);
  });

  it('an unresolved Ref, Sub variable or DependsOn is CloudFormation\'s error, with its position', () => {
    assert.throws(() => graphOf('  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: !Ref Missing'), failsAt(7, 18, /^Template format error: Unresolved resource dependencies \[Missing\] in the Resources block of the template$/));
    assert.throws(() => graphOf('  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: !Sub "${Missing}-x"'), failsAt(7, 18, /Unresolved resource dependencies \[Missing\]/));
    assert.throws(() => graphOf('  S:\n    Type: AWS::Kinesis::Stream\n    DependsOn: [Missing]'), failsAt(6, 17, /Unresolved resource dependencies \[Missing\]/));
    assert.throws(() => graphOf('  S: { Type: AWS::Kinesis::Stream }', 'Outputs:\n  O: { Value: !Ref Missing }'), /Unresolved resource dependencies \[Missing\] in the Outputs block/);
    assert.throws(() => graphOf('  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: !GetAtt Missing.Arn'), failsAt(7, 21, /instance of Fn::GetAtt references undefined resource Missing/));
    assert.throws(() => graphOf('  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: { "Fn::Concat": [a, b] }'), failsAt(7, 13, /Encountered unsupported function: Fn::Concat/));
  });
});
