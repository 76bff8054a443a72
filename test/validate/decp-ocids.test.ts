/**
 * `validate --decp` names each finding's ocid by converting its record: only the records with a
 * finding to report are converted (a review: every record was, validate --decp on the samples took
 * 1.5 times as long, 2.5 s for 1.65 s).
 */
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { SHARED } from '../helpers/ingest.js';
import { defaultSchemaFiles, loadDecpSchemas, loadReleaseSchema } from '../../src/validate/schema-store.js';
import { validateInputs } from '../../src/validate/validate.js';
import type { SourceRecord } from '../../src/ingest/types.js';
import type { Row } from '../../src/validate/report.js';

async function validate(inputs: string[], ocidOf: (rec: SourceRecord) => string | null): Promise<Row[]> {
  const rows: Row[] = [];
  const schema = await loadReleaseSchema({ extensions: defaultSchemaFiles().extensions });
  await validateInputs({ inputs, schema, checks: { now: '2026-01-01T00:00:00Z' }, decp: { ...(await loadDecpSchemas()), ocidOf } }, { row: (r) => void rows.push(r) });
  return rows;
}

test('only a record with a finding is given its ocid; every row names its record\'s', async () => {
  const dir = tempDir('decp-ocids-');
  const f = join(dir, 'two.json');
  writeFileSync(f, JSON.stringify({ marches: [{ id: 'bad', acheteur: { id: '21590163800019' }, montant: 'abc' }] }));
  const asked: unknown[] = [];
  const samples = join(SHARED, 'decp/samples/2024-json');
  const rows = await validate([samples, f], (rec) => {
    asked.push(rec.provenance.index);
    return `ocid-${String(rec.data['id'])}`;
  });
  const withFindings = new Set(rows.map((r) => `${r.file}#${String(r.index)}`));
  expect(asked.length).toBe(withFindings.size);
  expect(rows.every((r) => r.ocid === `ocid-${String(r.releaseId)}`)).toBe(true);
  expect(rows.some((r) => r.file === f && r.ocid === 'ocid-bad')).toBe(true);
});

// an XML record's values are text, which validation then reads as the XSD does (`coerceXmlValues`):
// its ocid is the one convert gives the record as read, before that — an id with spaces around it,
// an id of digits with leading zeros, a 2019 id whose last two digits count its modifications
test('DECP XML: each row\'s ocid is the one convert gives the record as read (ids with spaces around them, with leading zeros), not as validation reads its values', async () => {
  const dir = tempDir('decp-ocids-xml-');
  const m2024 = readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.3/examples/xml/Marche.xml'), 'utf8');
  const m2019 = readFileSync(join(SHARED, 'decp/schemas/2019-v1.5.0/examples/xml/mar-avec-modifications.xml'), 'utf8');
  expect(m2024).toContain('<id>TEST2022</id>');
  expect(m2019).toContain('<id>2010345211203</id>');
  const a = join(dir, 'a-2024.xml');
  const b = join(dir, 'b-2019.xml');
  // (a value the XSD refuses in each: a record has a row to name)
  writeFileSync(a, m2024.replace('<id>TEST2022</id>', '<id>  000123  </id>').replaceAll('<offresRecues>4</offresRecues>', '<offresRecues>quatre</offresRecues>'));
  writeFileSync(b, m2019.replace('<id>2010345211203</id>', '<id>\n\t\t0010345211203 </id>').replace('<id>21350238800019</id>', '<id> 21350238800019 </id>').replace('<dureeMois>24</dureeMois>', '<dureeMois>vingt-quatre</dureeMois>'));
  await runCli(['validate', '--decp', a, b, '--report', join(dir, 'r.json')]);
  await runCli(['convert', a, b, '-o', join(dir, 'c.jsonl')]);
  const converted = new Map<string, string>();
  for (const line of readFileSync(join(dir, 'c.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { ocid: string; x_decp: { sourceFile: string; sourceIndex: number } };
    converted.set(`${r.x_decp.sourceFile}#${r.x_decp.sourceIndex}`, r.ocid);
  }
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { findings: Row[] };
  const named = [...new Set(rep.findings.map((x) => JSON.stringify([`${x.file}#${String(x.index)}`, x.ocid])))].map((x) => JSON.parse(x) as [string, string | null]);
  expect(named).toEqual(named.map(([at]) => [at, converted.get(at) ?? null]));
  // (the rows found: each record's, its ocid as convert writes it, leading zeros kept, no space)
  expect(named).toEqual([
    [`${a}#0`, 'ocds-78apv2-21750001630040-000123'],
    [`${a}#1`, 'ocds-78apv2-21750001630040-TEST2022'],
    [`${b}#0`, 'ocds-78apv2-21350238800019-00103452112'],
  ]);
});

test('DECP XML: the ocid is asked of the record as read (as convert reads it), before validation reads its values as the XSD does', async () => {
  const dir = tempDir('decp-ocids-xml-');
  const f = join(dir, 'm.xml');
  writeFileSync(f, readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.3/examples/xml/Marche.xml'), 'utf8').replace('<id>TEST2022</id>', '<id>  000123  </id>'));
  const seen: Array<Record<string, unknown>> = [];
  const rows = await validate([f], (rec) => {
    seen.push(structuredClone(rec.data));
    return `ocid-${String(rec.provenance.index)}`;
  });
  // (as the reader gives it to convert — texts trimmed, the XSD's numbers read as numbers — and not as
  // validation then reads it, in place: `oui` a boolean, as the XSD's type says)
  expect(seen.map((d) => [d['id'], d['montant'], d['dureeMois'], d['offresRecues'], d['marcheInnovant']])).toEqual([
    ['000123', 575000, 48, 4, 'oui'],
    ['TEST2022', 575000, 48, 4, 'oui'],
  ]);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.ocid === `ocid-${String(r.index)}`)).toBe(true);
});
