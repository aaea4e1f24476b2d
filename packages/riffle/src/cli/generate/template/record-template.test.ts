import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliError } from '../../cli-error.js';
import { SeededRandom } from '../seeded-random.js';
import { formatMoment } from './moment-format.js';
import { compileTemplate } from './record-template.js';

const AT = Date.parse('2010-02-14T15:25:50.123Z');
const render = (text: string, seed = 1, timestampMs = AT) => compileTemplate(text, 't').render({ random: new SeededRandom(seed), timestampMs });
const many = (text: string, n: number) => {
  const template = compileTemplate(text, 't');
  const random = new SeededRandom(3);
  return Array.from({ length: n }, () => template.render({ random, timestampMs: AT }));
};

function refusal(text: string): string {
  try {
    compileTemplate(text, 'order.tpl');
  } catch (error) {
    assert.ok(error instanceof CliError && error.exitCode === 2);
    return error.message;
  }
  return assert.fail('the template compiled');
}

describe('KDG-style record templates', () => {
  it('fills KDG\'s example: names, numbers in range, IPs', () => {
    const [first, last, age, ip] = render('{{name.firstName}},{{name.lastName}},{{random.number(70)}},{{internet.ip}}').split(',');
    assert.match(first!, /^[A-Z][a-z]+$/);
    assert.match(last!, /^[A-Z][a-z]+$/);
    assert.ok(Number(age) >= 0 && Number(age) <= 70);
    assert.match(ip!, /^\d{1,3}(\.\d{1,3}){3}$/);
  });

  it('random.number takes a max or {"min","max"} (both ends included), over several lines as in KDG\'s help', () => {
    const values = many('{{random.number(\n  {\n    "min":10,\n    "max":12\n  }\n)}}', 300).map(Number);
    assert.deepEqual([...new Set(values)].sort(), [10, 11, 12]);
    assert.ok(many('{{random.number(3)}}', 200).every((v) => ['0', '1', '2', '3'].includes(v)));
    assert.ok(many('{{random.number}}', 50).every((v) => Number(v) >= 0 && Number(v) <= 99_999));
  });

  it('arrayElement and weightedArrayElement pick from their data, the weights roughly honoured', () => {
    assert.ok(many('{{random.arrayElement(["OK","FAIL","WARN"])}}', 100).every((v) => ['OK', 'FAIL', 'WARN'].includes(v)));
    const picks = many('{{random.weightedArrayElement({"weights":[0.3,0.2,0.5],"data":["cat","fish","dog"]})}}', 3000);
    const share = (animal: string) => picks.filter((p) => p === animal).length / picks.length;
    assert.ok(Math.abs(share('cat') - 0.3) < 0.05 && Math.abs(share('fish') - 0.2) < 0.05 && Math.abs(share('dog') - 0.5) < 0.05);
  });

  it('date.now and date.utc format the record\'s time with moment tokens', () => {
    assert.equal(render('{{date.utc("YYYY-MM-DD HH:mm:ss")}}'), '2010-02-14 15:25:50');
    assert.equal(render('{{date.utc}}'), '2010-02-14T15:25:50Z');
    assert.equal(formatMoment(AT, 'dddd, MMMM Do YYYY, h:mm:ss a', true), 'Sunday, February 14th 2010, 3:25:50 pm');
    assert.equal(formatMoment(AT, 'DD/MMM/YYYY:HH:mm:ss ZZ [at] x', true), '14/Feb/2010:15:25:50 +0000 at 1266161150123');
    assert.match(render('{{date.now}}'), /^2010-02-1\dT\d{2}:\d{2}:50[+-]\d{2}:\d{2}$/);
    assert.equal(render('{{date.now(YYYY)}}'), '2010', 'an unquoted argument is taken as text, as faker does');
  });

  it('uuid, email, userName, lorem, address and commerce helpers give plausible values', () => {
    assert.match(render('{{random.uuid}}'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(render('{{internet.email}}'), /^[\w.-]+@[a-z]+\.[a-z]+$/);
    assert.match(render('{{internet.userName}}'), /^[A-Za-z]+([._][A-Za-z]+)?\d*$/);
    assert.match(render('{{lorem.word}}'), /^[a-z]+$/);
    assert.match(render('{{lorem.sentence}}'), /^[A-Z][a-z]*( [a-z]+){2,9}\.$/);
    assert.match(render('{{address.city}}, {{address.stateAbbr}} {{address.zipCode}}'), /^[A-Z][\w ]+, [A-Z]{2} \d{5}$/);
    assert.match(render('{{commerce.productName}} {{commerce.price}}'), /^[A-Z]\w+ \w+ \w+ \d+\.\d{2}$/);
  });

  it('the same seed renders the same records; another seed others', () => {
    const text = '{"n":"{{name.firstName}}","id":"{{random.uuid}}","v":{{random.number(1000000)}}}';
    assert.equal(render(text, 11), render(text, 11));
    assert.notEqual(render(text, 11), render(text, 12));
  });

  it('gives one-line records: the template trimmed and its line breaks removed, as KDG does', () => {
    assert.equal(render('\n  {\n    "a": "{{random.arrayElement(["x"])}}"\n  }\n'), '{    "a": "x"  }');
  });

  it('names an unknown helper and its position; bad arguments; unclosed placeholders', () => {
    assert.equal(refusal('{\n  "name": "{{name.fristName}}"\n}'), 'order.tpl, line 2, column 12: unknown helper {{name.fristName}} (riffle generate --help lists the helpers)');
    assert.match(refusal('{{random.number({"min":5,"max":1})}}'), /^order\.tpl, line 1, column 1: \{\{random\.number\}\}: max \(1\) is below min \(5\)$/);
    assert.match(refusal('x {{random.arrayElement([])}}'), /line 1, column 3: \{\{random\.arrayElement\}\}: expects a non-empty JSON array/);
    assert.match(refusal('{{random.weightedArrayElement({"weights":[1],"data":["a","b"]})}}'), /as many weights as data/);
    assert.match(refusal('a {{name.firstName'), /line 1, column 3: \{\{name\.firstName is not closed with \}\}/);
    assert.match(refusal('{{random.number(3}}'), /the \( after \{\{random\.number is never closed/);
    assert.match(refusal('{{ }}'), /expected a helper name after \{\{/);
  });
});
