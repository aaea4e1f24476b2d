import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveParameters } from './parameters.js';
import { parseTemplate } from './parse-template.js';
import { evaluateOutputs } from './stack-outputs.js';
import { TemplateEvaluator } from './template-evaluator.js';
import { readTemplate } from './template.js';

describe('evaluateOutputs', () => {
  it('resolves values, descriptions and export names, skips outputs whose condition is false; NoEcho values are not masked in Outputs, as in CloudFormation', () => {
    const template = readTemplate(parseTemplate(`Parameters:
  Secret: { Type: String, NoEcho: true, Default: hunter2 }
  Env: { Type: String, Default: dev }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  S: { Type: AWS::Kinesis::Stream }
Outputs:
  Url: { Value: !Sub "https://user:\${Secret}@example.com/\${Env}", Description: !Sub "for \${Env}", Export: { Name: !Sub "\${Env}-url" } }
  Names: { Value: !Split [",", "a,b"] }
  OnlyProd: { Value: x, Condition: IsProd }
`));
    const parameters = resolveParameters(template.parameters, { given: new Map(), ssm: new Map() });
    const evaluator = new TemplateEvaluator({ parameters, pseudo: new Map(), mappings: template.mappings, conditions: template.conditions, resourceIds: new Set(['S']), region: 'us-east-1' }, 'Outputs', undefined);
    assert.deepEqual(evaluateOutputs(template, evaluator), [
      { key: 'Url', value: 'https://user:hunter2@example.com/dev', description: 'for dev', exportName: 'dev-url' },
      { key: 'Names', value: 'a,b' },
    ]);
  });
});
