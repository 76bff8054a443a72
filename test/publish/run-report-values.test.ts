/**
 * run's reports/validation.json quotes a finding's value as validate does (found by an audit: run's
 * values were the store's JSON, `"EURO"` where validate says `EURO`, which the README's list of the
 * two reports' differences does not have).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { storedValue } from '../../src/run-job.js';

interface Report {
  findings: Array<{ rule: string; pointer: string; value: string }>;
}

test("run's validation report gives a finding's value as validate does: a string without its quotes", async () => {
  const dir = tempDir('decp-ocds-run-values-');
  const release = { ocid: 'ocds-78apv2-1', id: 'r1', date: '2021-04-14T00:00:00Z', tag: ['tender'], initiationType: 'tender', tender: { id: 't', status: 'finished', value: { amount: '12', currency: 'EURO' } } };
  writeFileSync(join(dir, 'in.jsonl'), `${JSON.stringify(release)}\n`);
  expect((await runCli(['run', join(dir, 'in.jsonl'), '--out', join(dir, 'out'), '--quiet'])).code).toBe(0);
  await runCli(['validate', join(dir, 'in.jsonl'), '--report', join(dir, 'v.json')]);
  const of = (file: string): string[][] =>
    (JSON.parse(readFileSync(file, 'utf8')) as Report).findings
      .filter((f) => f.rule.startsWith('schema.'))
      .map((f) => [f.rule, f.pointer, f.value])
      .sort();
  const validated = of(join(dir, 'v.json'));
  expect(validated).toEqual([
    ['schema.enum /tender/status', '/tender/status', 'finished'],
    ['schema.enum /tender/value/currency', '/tender/value/currency', 'EURO'],
    ['schema.type /tender/value/amount', '/tender/value/amount', '12'],
  ]);
  expect(of(join(dir, 'out', 'reports', 'validation.json'))).toEqual(validated);
});

test('a stored value cut short is its text to the cut', () => {
  expect(storedValue('"EURO"')).toBe('EURO');
  expect(storedValue('12')).toBe(12);
  expect(storedValue('["a"]')).toEqual(['a']);
  expect(storedValue(`"${'x'.repeat(499)}…`)).toBe(`${'x'.repeat(499)}…`);
});
