import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConditionContext } from './condition-context.js';
import { parseTemplate, substitute, substitutePattern } from './policy-variables.js';
import { matchUnits } from './wildcard-pattern.js';

const context = ConditionContext.from({ 'aws:username': 'alice', 'aws:PrincipalAccount': '123456789012', 'aws:TagKeys': ['a', 'b'] });

describe('policy variables', () => {
  it('leaves text without variables alone', () => {
    assert.equal(parseTemplate('arn:aws:kinesis:*:*:stream/x'), undefined);
    assert.equal(parseTemplate('a $ and {b}'), undefined);
  });

  it('replaces variables case-insensitively by key', () => {
    const template = parseTemplate('arn:aws:kinesis:*:${aws:principalaccount}:stream/${aws:username}-*')!;
    assert.equal(substitute(template, context), 'arn:aws:kinesis:*:123456789012:stream/alice-*');
  });

  it('uses a default when the key is absent, and gives nothing when there is none', () => {
    assert.equal(substitute(parseTemplate("team-${aws:PrincipalTag/team, 'none'}")!, context), 'team-none');
    assert.equal(substitute(parseTemplate('team-${aws:PrincipalTag/team}')!, context), undefined);
  });

  it('has no value for multi-valued keys', () => {
    assert.equal(substitute(parseTemplate('${aws:TagKeys}')!, context), undefined);
  });

  it('writes ${*}, ${?} and ${$} as the characters themselves', () => {
    assert.equal(substitute(parseTemplate('a${*}b${?}c${$}')!, context), 'a*b?c$');
  });

  it('keeps a value literal inside a pattern, while the template’s own wildcards stay wildcards', () => {
    const literalStar = ConditionContext.from({ 'aws:username': 'a*' });
    const units = substitutePattern(parseTemplate('stream/${aws:username}/*')!, literalStar)!;
    assert.equal(matchUnits(units, 'stream/a*/x'), true);
    assert.equal(matchUnits(units, 'stream/abc/x'), false, "the user name's * is no wildcard");
    const escaped = substitutePattern(parseTemplate('stream/${*}')!, context)!;
    assert.equal(matchUnits(escaped, 'stream/*'), true);
    assert.equal(matchUnits(escaped, 'stream/x'), false);
  });

  it('ignores malformed references rather than failing', () => {
    assert.equal(parseTemplate('${a b c}'), undefined);
    assert.equal(substitute(parseTemplate('${constructor}')!, context), undefined, 'no prototype lookups');
  });
});
