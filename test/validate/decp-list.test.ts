/**
 * `validate --decp` on a DECP document whose list gives one record twice, held to the OFFICIAL JSON
 * schemas read from ../shared as a whole document: 2019's `marches` is `uniqueItems` (an error the
 * report gives at /marches; found by an audit: the file was clean, exit 0, its copy a warning only),
 * 2024's lists have no such rule (no schema finding).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

type J = Record<string, unknown>;
type Finding = { rule: string; pointer: string; severity: string; message: string };
const readJson = (p: string): J => JSON.parse(readFileSync(join(SHARED, p), 'utf8')) as J;

/** The official schema of a whole DECP document: its errors' pointers and keywords. */
function official(schemaFile: string, draft04: boolean): (doc: unknown) => string[] {
  const schema = { ...readJson(schemaFile) };
  delete schema['id'];
  delete schema['$id'];
  delete schema['$schema'];
  const ajv = draft04 ? new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, unicodeRegExp: false }) : new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: false, unicodeRegExp: false });
  const v = ajv.compile(schema);
  return (doc) => (v(doc) ? [] : (v.errors ?? []).map((e) => `${e.keyword} ${e.instancePath}`));
}

async function report(doc: J): Promise<{ code: number; findings: Finding[] }> {
  const dir = tempDir('decp-ocds-decp-list-');
  writeFileSync(join(dir, 'd.json'), JSON.stringify(doc, null, 2));
  const r = await runCli(['validate', '--decp', join(dir, 'd.json'), '--report', join(dir, 'r.json')]);
  return { code: r.code, findings: (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { findings: Finding[] }).findings };
}

test('2019: a record given twice in `marches` is the official schema\'s uniqueItems error, at /marches', async () => {
  const sample = (readJson('decp/samples/2019-json/aws-marches-publics-info_via-decp-rama_2019-03-07.json')['marches'] as J[]).slice(0, 2);
  const doc = { marches: [sample[0]!, sample[1]!, sample[0]!] };
  const without = { marches: [sample[0]!, sample[1]!] };
  const check = official('decp/schemas/2019-v1.5.0/marches.json', true);
  expect(check(doc)).toEqual(['uniqueItems /marches']);
  expect(check(without)).toEqual([]);
  const r = await report(doc);
  expect(r.findings.filter((f) => f.pointer === '/marches').map((f) => [f.rule, f.severity, /items ## \d+ and \d+/.exec(f.message)?.[0]])).toEqual([['schema.uniqueItems /marches', 'error', 'items ## 0 and 2']]);
  expect(r.code).toBe(1);
  // (the two records alone: no such finding, and the file is clean)
  const clean = await report(without);
  expect(clean.findings.filter((f) => f.severity === 'error')).toEqual([]);
  expect(clean.code).toBe(0);
});

test('2024: a record given twice is no schema error (its lists have no uniqueItems), a check\'s warning only', async () => {
  const m = (readJson('decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-18.json')['marches'] as J)['marche'] as J[];
  const doc = { marches: { marche: [m[0]!, m[0]!] } };
  expect(official('decp/schemas/2024-v2.0.3/schema_decp_v2.0.3.json', false)(doc)).toEqual([]);
  const r = await report(doc);
  expect(r.findings.filter((f) => f.rule.startsWith('schema.'))).toEqual([]);
  expect(r.findings.map((f) => f.rule)).toContain('decp.duplicate');
});

test('a real 2019 file: every uniqueItems error of the official schema on the whole document is in the report (marches-securises gives one record twice)', async () => {
  const path = 'decp/samples/2019-json/marches-securises_ville-de-croix_2019-2021.json';
  const doc = readJson(path);
  const expected = official('decp/schemas/2019-v1.5.0/marches.json', true)(doc).filter((e) => e === 'uniqueItems /marches');
  expect(expected).toEqual(['uniqueItems /marches']);
  const dir = tempDir('decp-ocds-decp-list-');
  const r = await runCli(['validate', '--decp', join(SHARED, path), '--report', join(dir, 'r.json')]);
  const findings = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { findings: Finding[] }).findings;
  expect(findings.filter((f) => f.pointer === '/marches').map((f) => [f.rule, f.severity, /items ## \d+ and \d+/.exec(f.message)?.[0]])).toEqual([['schema.uniqueItems /marches', 'error', 'items ## 9 and 11']]);
  expect(r.code).toBe(1);
});
