/**
 * A reject names the ocid its record gave (RejectedRecord.ocid: rejects.jsonl's `ocid`, the store's
 * `rejects.ocid`, its Parquet export, the validation report), null when the record gave none: the
 * contract's "every row that comes from an input record carries `ocid` and enough provenance".
 * One class of reject per test, through convert, compile, validate and run.
 */
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeObjects } from '../helpers/store-rows.js';
import { runCli } from '../helpers/cli.js';
import { BUYER, marche } from '../helpers/decp-records.js';
import { tempDir } from '../helpers/tmp.js';
import { compileInputs } from '../../src/compile.js';
import type { RejectedRecord } from '../../src/ingest/types.js';
import { mergeRulesFromSchema } from '../../src/transform/compile/merge.js';
import { loadReleaseSchema } from '../../src/validate/schema-store.js';

type J = Record<string, unknown>;
const DEMO_2024 = join(import.meta.dirname, '../../fixtures/demo/ville-metropole_decp-2024.json');
const jsonLines = (text: string): J[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as J);

const query = (db: string, sql: string): Promise<J[]> => storeObjects<J>(db, sql);

const rel = (ocid: unknown, id: unknown): J => ({ ...(ocid === undefined ? {} : { ocid }), ...(id === undefined ? {} : { id }), date: '2024-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender', tender: { id: 't' } });

// The inputs: each record's position in its file, what it is rejected for, and the ocid its reject names
const dir = tempDir('decp-ocds-reject-ocids-');
const IN = join(dir, 'in');
mkdirSync(IN);
const RECORDS = join(IN, 'records.json');
const RELEASES = join(IN, 'releases.jsonl');
const DECP = join(IN, 'decp-2019.json');
const BIG = join(IN, 'big-2024.json');
// an OCDS record package: records rejected for their releases name their own ocid
writeFileSync(
  RECORDS,
  JSON.stringify({
    uri: 'u',
    publishedDate: '2024-01-02T00:00:00Z',
    version: '1.1',
    records: [
      { ocid: 'ocds-abc123-none', releases: [] }, // 0: no release, no compiledRelease
      { ocid: 'ocds-abc123-linked', releases: [{ url: 'https://example.org/r.json', date: '2024-01-01T00:00:00Z', tag: ['tender'] }] }, // 1: linked only
      { ocid: 'ocds-abc123-versioned', releases: [], versionedRelease: { ocid: [] } }, // 2: a versioned release only
      { ocid: 'ocds-abc123-stray', releases: [rel(42, 'r1')] }, // 3: its release's ocid is no text (run, compile; one left out takes the record's)
      { releases: [] }, // 4: gives no ocid: null
      { ocid: 'ocds-abc123-ok', releases: [rel('ocds-abc123-ok', 'r1')] }, // 5: converted
      { publisher: { name: 'p' }, versionedRelease: { ocid: 'ocds-abc123-unnamed' } }, // 6: no ocid of its own (as Prozorro's records): its versioned release's
    ],
  }),
);
// JSON Lines of releases
writeFileSync(RELEASES, [JSON.stringify(rel('ocds-abc123-noid', undefined)), JSON.stringify(rel('', 'r2')), 'not json', JSON.stringify(rel('ocds-abc123-fine', 'r4'))].join('\n') + '\n');
// DECP 2019: a marché without a buyer (its ocid is made of its buyer and id: none), one without an id
// nor anything of a contract (its buyer named: reports group by it; no ocid either)
writeFileSync(DECP, JSON.stringify({ marches: [{ ...marche('2019-NB', {}), acheteur: undefined }, { acheteur: { id: BUYER }, objet: 'a line alone' }, marche('2019-OK', {})] }));
// DECP 2024: a marché whose release is larger than the store takes (its ocid made: it names it)
const doc = JSON.parse(readFileSync(DEMO_2024, 'utf8')) as { marches: { marche: J[] } };
doc.marches.marche[1]!['objet'] = `Lot ${'x'.repeat(4 * 1024 * 1024)}`;
writeFileSync(BIG, JSON.stringify(doc));
const BIG_OCID = 'ocds-78apv2-20694026140141-2024-017-00';

/** [file name, index, code, ocid] of each reject, sorted. */
const summary = (rejects: J[]): Array<[string, number, string, unknown]> =>
  rejects.map((r) => [String(r['file'] ?? r['source_file']).split('/').pop()!, Number(r['index'] ?? r['source_index']), String(r['code']), r['ocid']] as [string, number, string, unknown]).sort((a, b) => (a[0] + String(a[1]).padStart(4)).localeCompare(b[0] + String(b[1]).padStart(4)));

describe('convert --rejects', () => {
  let rejects: J[];
  beforeAll(async () => {
    const r = await runCli(['convert', RECORDS, RELEASES, DECP, '-o', join(dir, 'c.jsonl'), '--rejects', join(dir, 'c.rej'), '--quiet']);
    expect(r.code).toBe(0);
    rejects = jsonLines(readFileSync(join(dir, 'c.rej'), 'utf8'));
  });

  test('every line has the key `ocid`, after the position and before the code', () => {
    for (const r of rejects) expect(Object.keys(r).slice(Object.keys(r).indexOf('ocid') - 1, Object.keys(r).indexOf('ocid') + 2)).toEqual(['offset', 'ocid', 'code']);
  });

  test("an OCDS record rejected for its releases (none, linked only, a versioned release only) names its own ocid (one without an ocid of its own, its versioned release's); one that gives none, null", () => {
    expect(summary(rejects).filter(([f]) => f === 'records.json')).toEqual([
      ['records.json', 0, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-none'],
      ['records.json', 1, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-linked'],
      ['records.json', 2, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-versioned'],
      ['records.json', 4, 'TRANSFORM_UNSUPPORTED_RECORD', null],
      ['records.json', 6, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-unnamed'],
    ]);
  });

  test('a record that does not parse, a DECP record without a buyer or an id: null (no ocid was read, or could be made)', () => {
    expect(summary(rejects).filter(([f]) => f !== 'records.json')).toEqual([
      ['decp-2019.json', 0, 'TRANSFORM_NO_BUYER_ID', null],
      ['decp-2019.json', 1, 'TRANSFORM_NO_ID', null],
      ['releases.jsonl', 2, 'INGEST_RECORD_SYNTAX', null],
    ]);
    // (the buyer of a record without an id is still named, beside the null ocid)
    expect(rejects.find((r) => r['code'] === 'TRANSFORM_NO_ID')).toMatchObject({ ocid: null, buyer: `FR-RCS-${BUYER}` });
  });
});

describe('compile --rejects', () => {
  test('an OCDS record rejected for its releases (one without an ocid too) names its own ocid; a release without a usable ocid, null', async () => {
    const r = await runCli(['compile', RECORDS, RELEASES, '-o', join(dir, 'k.jsonl'), '--rejects', join(dir, 'k.rej'), '--quiet']);
    expect(r.code).toBe(0);
    expect(summary(jsonLines(readFileSync(join(dir, 'k.rej'), 'utf8')))).toEqual([
      ['records.json', 0, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-none'],
      ['records.json', 1, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-linked'],
      ['records.json', 2, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-versioned'],
      ['records.json', 3, 'TRANSFORM_NO_ID', 'ocds-abc123-stray'],
      ['records.json', 4, 'TRANSFORM_UNSUPPORTED_RECORD', null],
      ['records.json', 6, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-unnamed'],
      ['releases.jsonl', 1, 'TRANSFORM_NO_ID', null],
      ['releases.jsonl', 2, 'INGEST_RECORD_SYNTAX', null],
    ]);
  });

  test('a release handed over as text that does not parse when its bucket is compiled names the ocid it was filed under, in one thread or more', async () => {
    const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
    const file = join(dir, 'own.jsonl');
    // lines of the pipeline's layout (handed over unparsed, their ocid read); the second does not parse
    const line = (k: number, title: string): string => JSON.stringify({ ocid: `ocds-78apv2-t${k}`, id: `r${k}`, date: '2024-01-01T00:00:00Z', tag: ['tender'], tender: { id: 't', title } }).replace('"bad"', '"\\p"');
    writeFileSync(file, `${line(1, 'ok')}\n${line(2, 'bad')}\n`);
    for (const concurrency of [1, 2]) {
      const rejects: RejectedRecord[] = [];
      await compileInputs({ inputs: [file], rules, versioned: false, concurrency, buckets: 2 }, { record: () => undefined, warning: () => undefined, reject: (x) => void rejects.push(x) });
      expect(rejects.map((x) => [x.provenance.line, x.code, x.ocid])).toEqual([[2, 'INGEST_RECORD_SYNTAX', 'ocds-78apv2-t2']]);
    }
    // (parsed in the first pass, as ingest reads it, the same line gives no ocid: nothing of it was read)
    const parsed: RejectedRecord[] = [];
    await compileInputs({ inputs: [file], rules, versioned: false, concurrency: 1, buckets: 2, releaseText: false }, { record: () => undefined, warning: () => undefined, reject: (x) => void parsed.push(x) });
    expect(parsed.map((x) => [x.provenance.line, x.code, x.ocid])).toEqual([[2, 'INGEST_RECORD_SYNTAX', undefined]]);
  });
});

describe('validate --report', () => {
  test('an OCDS record it cannot validate as releases (none, linked only, a versioned release only) names its ocid, its versioned release\'s when it has none of its own', async () => {
    const report = join(dir, 'v.json');
    const r = await runCli(['validate', RECORDS, '--report', report, '--quiet']);
    expect(r.code).toBe(1);
    const { findings, summary } = JSON.parse(readFileSync(report, 'utf8')) as { findings: J[]; summary: J };
    const rows = findings.filter((f) => f['rule'] === 'input.not-ocds');
    // (… counted as not validated, never as a valid release: none of its releases was)
    expect(summary['notValidated']).toBe(1);
    expect(r.stderr).toMatch(/; 1 record\(s\) not validated \(linked releases only: input\.linked-releases\); /);
    // (a record that links its releases only is valid OCDS whose releases are not fetched: a warning, naming its ocid too)
    expect(findings.filter((f) => f['rule'] === 'input.linked-releases').map((f) => [f['index'], f['ocid'], f['severity']])).toEqual([[1, 'ocds-abc123-linked', 'warning']]);
    expect(rows.map((f) => [f['index'], f['ocid']])).toEqual([
      [0, 'ocds-abc123-none'],
      [2, 'ocds-abc123-versioned'],
      [4, null],
      [6, 'ocds-abc123-unnamed'],
    ]);
  });
});

describe('run: rejects.jsonl, the store, Parquet and the validation report', () => {
  const out = join(dir, 'out');
  const db = join(out, 'decp.duckdb');
  const want: Array<[string, number, string, unknown]> = [
    // the store keys releases by ocid and id: a record is rejected whole for a release without either
    ['big-2024.json', 1, 'TRANSFORM_RELEASE_TOO_LARGE', BIG_OCID],
    ['decp-2019.json', 0, 'TRANSFORM_NO_BUYER_ID', null],
    ['decp-2019.json', 1, 'TRANSFORM_NO_ID', null],
    ['records.json', 0, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-none'],
    ['records.json', 1, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-linked'],
    ['records.json', 2, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-versioned'],
    ['records.json', 3, 'TRANSFORM_NO_ID', 'ocds-abc123-stray'],
    ['records.json', 4, 'TRANSFORM_UNSUPPORTED_RECORD', null],
    ['records.json', 6, 'TRANSFORM_UNSUPPORTED_RECORD', 'ocds-abc123-unnamed'],
    ['releases.jsonl', 0, 'TRANSFORM_NO_ID', 'ocds-abc123-noid'],
    ['releases.jsonl', 1, 'TRANSFORM_NO_ID', null],
    ['releases.jsonl', 2, 'INGEST_RECORD_SYNTAX', null],
  ];
  beforeAll(async () => {
    const r = await runCli(['run', IN, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
  });

  test('rejects.jsonl: a DECP release too large for the store names its ocid; a release without a usable id, its own; an OCDS record, its own', () => {
    expect(summary(jsonLines(readFileSync(join(out, 'rejects.jsonl'), 'utf8')))).toEqual(want);
  });

  test('the store: rejects.ocid, after the position and before the code, null where the record gave none', async () => {
    const cols = (await query(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'rejects' ORDER BY ordinal_position")).map((c) => c['column_name']);
    expect(cols.slice(cols.indexOf('byte_offset'), cols.indexOf('byte_offset') + 3)).toEqual(['byte_offset', 'ocid', 'code']);
    const rows = await query(db, 'SELECT file AS source_file, source_index, code, ocid FROM rejects');
    expect(summary(rows)).toEqual(want);
    // (the row's reject_json is the line of rejects.jsonl: the same ocid)
    expect(await query(db, "SELECT count(*)::INTEGER AS n FROM rejects WHERE ocid IS DISTINCT FROM json_extract_string(reject_json, '$.ocid')")).toEqual([{ n: 0 }]);
  });

  test('the Parquet export has every reject, with its ocid (by ocid, those of no compiled record were left out)', async () => {
    const folder = join(out, 'parquet/rejects');
    expect(readdirSync(folder)).toEqual(['data.parquet']);
    const rows = await query(db, `SELECT file AS source_file, source_index, code, ocid FROM read_parquet('${join(folder, 'data.parquet')}')`);
    expect(summary(rows)).toEqual(want);
  });

  test("the validation report's input rows name the reject's ocid", () => {
    const report = JSON.parse(readFileSync(join(out, 'reports/validation.json'), 'utf8')) as { findings?: J[] };
    const inputs = (report.findings ?? []).filter((r) => String(r['rule']).startsWith('input.'));
    expect(inputs.map((r) => [String(r['file']).split('/').pop(), r['index'], r['ocid']]).sort()).toEqual(want.map(([f, i, , o]) => [f, i, o]).sort());
  });
});

describe("a rejects file read back (left beside the inputs) gives no release: its lines' ocid makes none of them a release", () => {
  test('convert, compile and detect read its lines as records of unknown kind, as before lines had an ocid', async () => {
    const back = join(dir, 'back');
    mkdirSync(back);
    writeFileSync(join(back, 'rejects.jsonl'), readFileSync(join(dir, 'out/rejects.jsonl')));
    const detected = await runCli(['detect', join(back, 'rejects.jsonl')]);
    expect(JSON.parse(detected.stdout) as J).toMatchObject({ format: 'unknown', types: { unknown: 12 } });
    const converted = await runCli(['convert', back, '--rejects', join(dir, 'b.rej'), '--quiet']);
    expect(converted.stdout).toBe('');
    expect(jsonLines(readFileSync(join(dir, 'b.rej'), 'utf8')).map((r) => [r['code'], r['ocid']])).toEqual(Array(12).fill(['TRANSFORM_UNSUPPORTED_RECORD', null]));
    const compiled = await runCli(['compile', back, '--rejects', join(dir, 'b2.rej'), '--quiet']);
    expect(compiled.stdout).toBe('');
    const again = jsonLines(readFileSync(join(dir, 'b2.rej'), 'utf8'));
    expect(again).toHaveLength(12);
    expect(again[0]).toMatchObject({ code: 'TRANSFORM_UNSUPPORTED_RECORD', ocid: null, reason: expect.stringContaining('a line of decp-ocds rejects output') });
  });
});
