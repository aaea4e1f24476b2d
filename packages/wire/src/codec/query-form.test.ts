import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBodyDecodeError } from './body-decode-error.js';
import { decodeQueryForm } from './query-form.js';

describe('decodeQueryForm', () => {
  it('reads the AWS CLI\'s form: percent-escapes, flattened list members, in order', () => {
    const form = decodeQueryForm(
      Buffer.from('Action=GetMetricStatistics&Version=2010-08-01&Namespace=AWS%2FKinesis&Dimensions.member.1.Name=StreamName&StartTime=2026-01-01T00%3A00%3A00Z&Statistics.member.1=Sum'),
    );
    assert.deepEqual([...form], [
      ['Action', 'GetMetricStatistics'],
      ['Version', '2010-08-01'],
      ['Namespace', 'AWS/Kinesis'],
      ['Dimensions.member.1.Name', 'StreamName'],
      ['StartTime', '2026-01-01T00:00:00Z'],
      ['Statistics.member.1', 'Sum'],
    ]);
  });

  it('decodes + as a space, keeps the first of a repeated name, and reads names without values as empty', () => {
    const form = decodeQueryForm(Buffer.from('A=x+y%2Bz&A=second&Flag&&B='));
    assert.deepEqual([...form], [
      ['A', 'x y+z'],
      ['Flag', ''],
      ['B', ''],
    ]);
  });

  it('refuses broken percent-escapes and bytes that are not UTF-8', () => {
    assert.throws(() => decodeQueryForm(Buffer.from('A=%E0%A4%A')), isBodyDecodeError);
    assert.throws(() => decodeQueryForm(Buffer.from('A=%FF')), isBodyDecodeError);
    assert.throws(() => decodeQueryForm(Buffer.from([0x41, 0x3d, 0xff])), isBodyDecodeError);
    assert.equal(decodeQueryForm(Buffer.from('A=%EF%BF%BD')).get('A'), '\uFFFD');
  });
});
