import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_OUTPUT_KEY_TEMPLATE, errorOutputPrefixProblem, outputKeyTemplateProblem, renderObjectKey } from './object-key-template.js';

const values = {
  channelName: 'orders',
  channelId: '0b9c1f4e-1111-2222-3333-444455556666',
  time: Date.UTC(2026, 4, 7, 9, 3, 59, 999),
  extension: '.gz',
  unique: 'u1',
};

describe('object key templates', () => {
  it('renders the default template in UTC, the unique suffix before the extension', () => {
    assert.equal(
      renderObjectKey(DEFAULT_OUTPUT_KEY_TEMPLATE, values),
      'kinesis-channel/orders/0b9c1f4e-1111-2222-3333-444455556666/2026/05/07/09/' +
        'orders-0b9c1f4e-1111-2222-3333-444455556666-2026-05-07-09-03-u1.gz',
    );
  });

  it('appends the unique suffix when the template does not end with !{extension}', () => {
    assert.equal(renderObjectKey('logs/!{YY}!{MM}!{dd}/part', { ...values, extension: '' }), 'logs/260507/part-u1');
    assert.equal(renderObjectKey('!{yyyy}/!{extension}x', values), '2026/.gzx-u1');
  });

  it('accepts known variables and refuses what would not name an object in the bucket', () => {
    assert.equal(outputKeyTemplateProblem(DEFAULT_OUTPUT_KEY_TEMPLATE), undefined);
    assert.equal(outputKeyTemplateProblem('plain-key'), undefined);
    assert.deepEqual(outputKeyTemplateProblem('a/!{topic-name}/b'), { problem: 'unknownVariable', variable: 'topic-name' });
    assert.deepEqual(outputKeyTemplateProblem('a/!{yyyy'), { problem: 'unbalanced' });
    assert.deepEqual(outputKeyTemplateProblem('a/!{yy!{MM}}'), { problem: 'unbalanced' });
    assert.deepEqual(outputKeyTemplateProblem('a}b'), { problem: 'unbalanced' });
    assert.deepEqual(outputKeyTemplateProblem('/a'), { problem: 'leadingSlash' });
    assert.deepEqual(outputKeyTemplateProblem('a/'), { problem: 'trailingSlash' });
    assert.deepEqual(outputKeyTemplateProblem('a/../b'), { problem: 'pathTraversal' });
    assert.deepEqual(outputKeyTemplateProblem('./b'), { problem: 'pathTraversal' });
    assert.equal(errorOutputPrefixProblem('errors/'), undefined);
    assert.deepEqual(errorOutputPrefixProblem('../errors/'), { problem: 'pathTraversal' });
  });
});
