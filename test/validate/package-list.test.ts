/**
 * A package's list of releases or records, held to the OFFICIAL OCDS 1.1.5 package schemas read from
 * ../shared (`minItems: 1`, `uniqueItems: true`): every error ajv finds with them is in the report,
 * at the same pointer, an error; and nothing of the kind where they find none (found by an audit:
 * a package that gave one release twice, or none, had neither finding; one whose list was not a list
 * was "an object of unknown kind").
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

type J = Record<string, unknown>;
type Finding = { index: number | null; rule: string; pointer: string; severity: string; message: string };
const readJson = (p: string): J => JSON.parse(readFileSync(join(SHARED, 'ocds/1.1.5', p), 'utf8')) as J;

function officialPackage(kind: 'release' | 'record'): (doc: unknown) => Array<{ pointer: string; keyword: string }> {
  const ajv = new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  ajv.addSchema(readJson('release-schema.json'));
  ajv.addSchema(readJson('versioned-release-validation-schema.json'));
  const v = ajv.compile(readJson(`${kind}-package-schema.json`));
  return (doc) => (v(doc) ? [] : (v.errors ?? []).map((e) => ({ pointer: e.instancePath, keyword: e.keyword })));
}

const meta = { uri: 'https://example.org/p.json', version: '1.1', publishedDate: '2024-01-01T00:00:00Z', publisher: { name: 'P' } };
const rel = (id: string): J => ({ ocid: 'ocds-abc123-1', id, date: '2021-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' });

const cases: Array<[string, 'release' | 'record', J, string[]]> = [
  // [name, kind, package, what the report says of its list]
  ['one release given twice (pretty-printed, as most packages are)', 'release', { ...meta, releases: [rel('1'), rel('2'), rel('1')] }, ['package.uniqueItems /releases /releases items ## 0 and 2']],
  ['no release', 'release', { ...meta, releases: [] }, ['package.minItems /releases /releases']],
  ['one record given twice', 'record', { ...meta, records: [{ ocid: 'ocds-abc123-1', releases: [rel('1')] }, { ocid: 'ocds-abc123-1', releases: [rel('1')] }] }, ['package.uniqueItems /records /records items ## 0 and 1']],
  ['no record', 'record', { ...meta, records: [] }, ['package.minItems /records /records']],
  // (a list that is not one: a lone release where the list belongs, an object; found by the same audit:
  // "an object of unknown kind", no schema finding; its metadata are checked all the same)
  ['a lone release where the list belongs', 'release', { ...meta, publishedDate: 'yesterday', releases: rel('1') }, ['package.type /releases /releases', 'package.format /publishedDate /publishedDate']],
  ['records given as an object', 'record', { ...meta, records: { a: 1 } }, ['package.type /records /records']],
  // (two releases of one id that differ: no schema error, the check's only)
  ['two releases of one id, different', 'release', { ...meta, releases: [rel('1'), { ...rel('1'), date: '2021-02-01T00:00:00Z' }] }, []],
];

test.each(cases)("a package's list: %s", async (_name, kind, doc, expected) => {
  const dir = tempDir('decp-ocds-package-list-');
  const file = join(dir, 'p.json');
  writeFileSync(file, JSON.stringify(doc, null, 2));
  const official = officialPackage(kind)(doc);
  const r = await runCli(['validate', file, '--report', join(dir, 'r.json')]);
  const findings = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { findings: Finding[] }).findings;
  const schema = findings.filter((f) => f.rule.startsWith('package.') || f.rule.startsWith('schema.') || f.rule.startsWith('record.'));
  // every error of the official schema is in the report, at its pointer, an error (a record's own rules: record.*)
  for (const e of official) expect([e.pointer, schema.some((f) => f.pointer === e.pointer && f.severity === 'error')]).toEqual([e.pointer, true]);
  // and the report has no such finding where the official schema has none
  expect(schema.map((f) => f.pointer).filter((p) => !official.some((e) => e.pointer === p))).toEqual([]);
  expect(schema.map((f) => `${f.rule} ${f.pointer}${/items ## \d+ and \d+/.exec(f.message)?.[0] ? ` ${/items ## \d+ and \d+/.exec(f.message)![0]}` : ''}`)).toEqual(expected);
  expect(r.code).toBe(expected.length > 0 || findings.some((f) => f.severity === 'error') ? 1 : 0);
  expect(official.length > 0).toBe(expected.length > 0);
});

test('a JSON Lines file that gives one release twice is no package: the duplicate is the check\'s only', async () => {
  const dir = tempDir('decp-ocds-package-list-');
  const file = join(dir, 'r.jsonl');
  writeFileSync(file, `${JSON.stringify(rel('1'))}\n${JSON.stringify(rel('1'))}\n`);
  await runCli(['validate', file, '--report', join(dir, 'r.json')]);
  const findings = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { findings: Finding[] }).findings;
  expect(findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual(['check.duplicate-release-id']);
});
