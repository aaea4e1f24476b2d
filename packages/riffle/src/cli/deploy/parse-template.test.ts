import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate } from './parse-template.js';
import { TemplateError } from './template-error.js';
import { plainValue } from './template-node.js';

const failsAt = (text: string, line: number, col: number, message: RegExp) => (error: unknown): boolean =>
  error instanceof TemplateError && error.pos?.line === line && error.pos.col === col && message.test(error.message);

describe('parseTemplate', () => {
  it('maps every YAML short form to its long form', () => {
    const root = parseTemplate([
      'A: !Ref X', 'B: !GetAtt S.Arn', 'C: !GetAtt [S, Arn]', 'D: !Sub "${X}"', 'E: !Join [",", [a]]', 'F: !If [C, a, b]',
      'G: !Equals [a, b]', 'H: !Not [!Condition C]', 'I: !Or [!Condition C, !Condition D]', 'J: !And [!Condition C, !Condition D]',
      'K: !Select [0, [a]]', 'L: !Split [",", "a,b"]', 'M: !FindInMap [Map, a, b]', 'N: !Base64 x', 'O: !GetAZs ""',
      'P: !ImportValue x', 'Q: !Cidr [a, 1, 2]', 'R: !GetAtt S.Endpoint.Address',
    ].join('\n'));
    assert.deepEqual(plainValue(root), {
      A: { Ref: 'X' }, B: { 'Fn::GetAtt': ['S', 'Arn'] }, C: { 'Fn::GetAtt': ['S', 'Arn'] }, D: { 'Fn::Sub': '${X}' },
      E: { 'Fn::Join': [',', ['a']] }, F: { 'Fn::If': ['C', 'a', 'b'] }, G: { 'Fn::Equals': ['a', 'b'] },
      H: { 'Fn::Not': [{ Condition: 'C' }] }, I: { 'Fn::Or': [{ Condition: 'C' }, { Condition: 'D' }] },
      J: { 'Fn::And': [{ Condition: 'C' }, { Condition: 'D' }] }, K: { 'Fn::Select': [0, ['a']] }, L: { 'Fn::Split': [',', 'a,b'] },
      M: { 'Fn::FindInMap': ['Map', 'a', 'b'] }, N: { 'Fn::Base64': 'x' }, O: { 'Fn::GetAZs': '' }, P: { 'Fn::ImportValue': 'x' },
      Q: { 'Fn::Cidr': ['a', 1, 2] }, R: { 'Fn::GetAtt': ['S', 'Endpoint.Address'] },
    });
  });

  it('keeps positions (1-based line and column) for YAML and JSON', () => {
    const yaml = parseTemplate('Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n');
    assert.ok(yaml.kind === 'map');
    const resources = yaml.entries.get('Resources')!.value;
    assert.ok(resources.kind === 'map');
    assert.deepEqual(resources.entries.get('S')!.keyPos, { line: 2, col: 3 });
    const json = parseTemplate('{\n  "Resources": {\n    "S": { "Type": "AWS::Kinesis::Stream" }\n  }\n}\n');
    assert.ok(json.kind === 'map');
    const jsonResources = json.entries.get('Resources')!.value;
    assert.ok(jsonResources.kind === 'map');
    assert.deepEqual(jsonResources.entries.get('S')!.value.pos, { line: 3, col: 10 });
  });

  it('a YAML syntax error names its line and column', () => {
    assert.throws(() => parseTemplate('Resources:\n  S:\n    Type: a: b\n'), failsAt('', 3, 11, /YAML not well-formed/));
    assert.throws(() => parseTemplate('A: 1\nA: 2\n'), failsAt('', 2, 1, /YAML not well-formed: Map keys must be unique/));
  });

  it('malformed JSON is not taken as YAML', () => {
    assert.throws(() => parseTemplate('{\n  "Resources": {\n    "S": 1,\n  }\n}'), (error) => error instanceof TemplateError && /JSON not well-formed/.test(error.message));
  });

  it('an unknown tag is an error at its value', () => {
    assert.throws(() => parseTemplate('A:\n  B: !Reff X\n'), failsAt('', 2, 12, /unknown tag !Reff/));
  });
});
