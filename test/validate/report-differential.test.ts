/**
 * The auditor's view, differentially: what `decp-ocds validate` REPORTS (the CLI, its JSON report,
 * record by record) against what the OFFICIAL schemas in ../shared say, compiled here with ajv, over
 * a seeded corpus of mutated records — the real DECP samples and the official examples (`--decp`),
 * and the partners' OCDS releases and records. Where decp-differential.test.ts and
 * differential.test.ts hold our schema files to the official ones, this holds the whole path an
 * auditor trusts — reading, the choice of schema, XML-free coercions, pointers, the report — to them:
 * the same verdict for each record (valid: no schema or input error), and the same failing keyword
 * and pointer where the record was validated as what it is.
 *
 * Deliberate differences, each allowed by name, counted, and said in README.md's Validation section:
 * see ALLOWED below.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject } from 'ajv';
import { runCli } from '../helpers/cli.js';
import { collect, SHARED } from '../helpers/ingest.js';
import { mutate, mutateDecp, rng } from '../helpers/mutate.js';
import { tempDir } from '../helpers/tmp.js';
import { readInputs } from '../../src/ingest/reader.js';
import { isRfc3339DateTime } from '../../src/validate/schema-store.js';

type J = Record<string, unknown>;
const readJson = (p: string): J => JSON.parse(readFileSync(p, 'utf8')) as J;
type Finding = { index: number | null; rule: string; pointer: string; severity: string };
type Report = { summary: Record<string, number>; findings: Finding[] };

/** An ajv error as the report points at it: a missing field or one not allowed at the field itself. */
function officialKey(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const field = e.keyword === 'required' ? p['missingProperty'] : e.keyword === 'additionalProperties' ? p['additionalProperty'] : undefined;
  const pointer = typeof field === 'string' ? `${e.instancePath}/${field.replace(/~/g, '~0').replace(/\//g, '~1')}` : e.instancePath;
  return `${e.keyword} ${pointer}`;
}

/** The official DECP schemas, a validator per record type: the failing keywords and pointers. */
function officialDecp(path: string, draft04: boolean): Record<string, (r: unknown) => string[]> {
  const doc = readJson(path);
  const out: Record<string, (r: unknown) => string[]> = {};
  for (const type of ['marche', 'contrat-concession']) {
    const ajv = draft04 ? new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, unicodeRegExp: false }) : new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: false, unicodeRegExp: false });
    const v = ajv.compile({ definitions: doc['definitions'], $ref: `#/definitions/${type}` });
    out[type] = (r) => (v(r) ? [] : [...new Set((v.errors ?? []).map(officialKey))].sort());
  }
  return out;
}

const OFFICIAL = {
  '2019': officialDecp(join(SHARED, 'decp/schemas/2019-v1.5.0/marches.json'), true),
  '2024': officialDecp(join(SHARED, 'decp/schemas/2024-v2.0.3/schema_decp_v2.0.3.json'), false),
};

/** Our report, per record index: its schema findings (`keyword pointer`) and whether it is invalid; the file's own findings apart. */
function byRecord(report: Report): { records: Map<number, { schema: string[]; invalid: boolean; rules: string[] }>; file: Finding[] } {
  const records = new Map<number, { schema: string[]; invalid: boolean; rules: string[] }>();
  const file: Finding[] = [];
  for (const f of report.findings) {
    if (f.index === null) {
      file.push(f);
      continue;
    }
    let r = records.get(f.index);
    if (r === undefined) records.set(f.index, (r = { schema: [], invalid: false, rules: [] }));
    r.rules.push(f.rule);
    if (f.rule.startsWith('schema.')) r.schema.push(`${f.rule.slice('schema.'.length).split(' ')[0]!} ${f.pointer}`);
    if (f.severity === 'error' && (f.rule.startsWith('schema.') || f.rule.startsWith('input.'))) r.invalid = true;
  }
  for (const r of records.values()) r.schema = [...new Set(r.schema)].sort();
  return { records, file };
}

async function validateReport(args: string[]): Promise<Report> {
  const out = join(tempDir('report-differential-'), 'report.json');
  const r = await runCli(['validate', ...args, '--report', out, '--quiet']);
  expect([0, 1]).toContain(r.code);
  return JSON.parse(readFileSync(out, 'utf8')) as Report;
}

/** A DECP source file's records as the reader gives them, by generation: the base of the mutations. */
interface Source {
  name: string;
  generation: '2019' | '2024';
  records: Array<{ type: 'marche' | 'contrat-concession'; data: J }>;
}

const SAMPLES = join(SHARED, 'decp/samples');
const DECP_FILES: Array<[string, '2019' | '2024']> = [
  ...readdirSync(join(SAMPLES, '2019-json')).map((f) => [join(SAMPLES, '2019-json', f), '2019'] as [string, '2019']),
  ...readdirSync(join(SAMPLES, '2024-json')).map((f) => [join(SAMPLES, '2024-json', f), '2024'] as [string, '2024']),
  ...readdirSync(join(SHARED, 'decp/schemas/2019-v1.5.0/examples/json')).map((f) => [join(SHARED, 'decp/schemas/2019-v1.5.0/examples/json', f), '2019'] as [string, '2019']),
  ...readdirSync(join(SHARED, 'decp/schemas/2024-v2.0.3/examples/json')).map((f) => [join(SHARED, 'decp/schemas/2024-v2.0.3/examples/json', f), '2024'] as [string, '2024']),
];

/** A document of the generation's shape, one list per record type for 2024. */
function decpDocument(generation: '2019' | '2024', type: string, records: J[]): J {
  return generation === '2019' ? { marches: records } : { marches: { [type]: records } };
}

describe('validate --decp reports what the official DECP schemas say', () => {
  let sources: Source[] = [];
  beforeAll(async () => {
    sources = await Promise.all(
      DECP_FILES.map(async ([path, generation]) => {
        const { records } = await collect(readInputs([path]));
        return { name: path.slice(SHARED.length), generation, records: records.filter((r) => r.type === 'marche' || r.type === 'contrat-concession').map((r) => ({ type: r.type as 'marche' | 'contrat-concession', data: r.data })) };
      }),
    );
  });

  test('same verdict per record, and the same keywords and pointers where the record was validated, over mutated records', async () => {
    const r = rng(20261207);
    const dir = tempDir('report-differential-decp-');
    const diff: string[] = [];
    let total = 0;
    let invalid = 0;
    for (const src of sources) {
      // (each record of the small files, every n-th of the large ones: some 45 bases per file)
      const step = Math.max(1, Math.floor(src.records.length / 45));
      for (const type of ['marche', 'contrat-concession'] as const) {
        const bases = src.records.filter((x, k) => x.type === type && (k % step === 0 || x.type === 'contrat-concession'));
        if (bases.length === 0) continue;
        // (each judged as the file writes it, read back: objects of this realm — structuredClone's copies
        // are another's, which ajv's deep equality never finds equal to a parsed one, so that a
        // duplicated item went unseen)
        const mutated = bases.flatMap((b) => Array.from({ length: 4 }, () => mutateDecp(b.data, r))).map((x) => ({ ...x, data: JSON.parse(JSON.stringify(x.data)) as J }));
        const file = join(dir, `${src.name.replace(/\W+/g, '_')}-${type}.json`);
        writeFileSync(file, JSON.stringify(decpDocument(src.generation, type, mutated.map((x) => x.data))));
        const report = await validateReport([file, '--decp']);
        const ours = byRecord(report);
        expect([src.name, report.summary['releases']]).toEqual([src.name, mutated.length]);
        mutated.forEach(({ data, what }, k) => {
          const official = OFFICIAL[src.generation][type]!(data);
          const mine = ours.records.get(k) ?? { schema: [], invalid: false, rules: [] };
          total++;
          if (official.length > 0) invalid++;
          if (official.length > 0 !== mine.invalid) {
            diff.push(`${src.name} ${type} #${k} (${what}): official ${official.join(', ') || 'valid'} / ours ${mine.rules.join(', ') || 'valid'}`);
            return;
          }
          if (JSON.stringify(official) !== JSON.stringify(mine.schema)) diff.push(`${src.name} ${type} #${k} (${what}): official ${official.join(', ')} / ours ${mine.schema.join(', ')}`);
        });
      }
    }
    expect(diff.slice(0, 15)).toEqual([]);
    expect(total).toBeGreaterThan(2000);
    expect(invalid).toBeGreaterThan(total / 3); // the corpus really exercises the constraints
    expect(invalid).toBeLessThan(total); // … and keeps valid records too
  });
});

/** The official OCDS 1.1.5 release schema (core: a partner's releases carry no x_decp, and are held to core), draft-04, formats checked by ajv-formats. */
function officialRelease(): (r: unknown) => string[] {
  const schema = readJson(join(SHARED, 'ocds/1.1.5/release-schema.json'));
  delete schema['id'];
  delete schema['$schema'];
  const ajv = new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, validateFormats: true });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  const v = ajv.compile(schema);
  return (r) => (v(r) ? [] : [...new Set((v.errors ?? []).map(officialKey))].sort());
}

/**
 * The deliberate differences between our report and the official schema compiled with ajv, each
 * by name: given an official key and ours, whether the difference is this one.
 */
const ALLOWED = {
  /**
   * OCDS's `format: date-time` is RFC 3339's date-time (the JSON Schema specification's definition,
   * and the OCDS data review tool's check): `validate` refuses what ajv-formats takes beside it — a
   * space for the T, an offset without its colon or minutes (`+02`, `+0200`), a second 60 but a leap
   * second's. An error of ours the official schema compiled with ajv-formats does not give (README.md,
   * Validation).
   */
  RFC3339_DATE_TIME: (value: unknown): boolean => typeof value === 'string' && !isRfc3339DateTime(value),
};

/** The value at a JSON pointer. */
function at(root: unknown, pointer: string): unknown {
  let v = root;
  for (const k of pointer.split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'))) v = v !== null && typeof v === 'object' ? (v as J)[k] : undefined;
  return v;
}

describe("validate reports what the official OCDS 1.1.5 schema says of partners' releases and records", () => {
  const official = officialRelease();
  const P = join(SHARED, 'partners');
  const mexico = readJson(join(P, 'mexico-cdmx/release-package_encoding-utf-8.json'));
  const dncp = readJson(join(P, 'paraguay-dncp/release-package_1.1-2.json'));
  const dncpRecord = (readJson(join(P, 'paraguay-dncp/record-package_284182.json'))['records'] as J[])[0]!;
  const prozorro = readJson(join(P, 'ukraine-prozorro/record_ocds-be6bcu-UA-2017-04-10-002020-b.json'));
  /**
   * Every release the partners' files give: packaged, bare, embedded in a record, a record's compiled
   * release; the long lists of the largest (85 items, dozens of documents) cut to their first three,
   * so that the corpus stays in seconds.
   */
  const bases: J[] = [
    ...(mexico['releases'] as J[]),
    ...(dncp['releases'] as J[]),
    ...readdirSync(join(P, 'paraguay-dncp/releases-284182')).map((f) => readJson(join(P, 'paraguay-dncp/releases-284182', f))),
    ...(prozorro['releases'] as J[]),
    prozorro['compiledRelease'] as J,
    dncpRecord['compiledRelease'] as J,
  ].map((b) => shortLists(b) as J);
  const allowed: Record<keyof typeof ALLOWED, number> = { RFC3339_DATE_TIME: 0 };

  /** Ours against the official keys of one release (`prefix`: where it is in its record): the differences not allowed. */
  const compare = (release: J, ours: string[], prefix: string, what: string): string[] => {
    const theirs = official(release).map((k) => k.replace(' ', ` ${prefix}`));
    const mine = ours.filter((k) => k.split(' ')[1]!.startsWith(prefix) || k.split(' ')[1] === prefix);
    const extra = mine.filter((k) => !theirs.includes(k));
    const missing = theirs.filter((k) => !mine.includes(k));
    const unexplained = extra.filter((k) => {
      const [keyword, pointer] = k.split(' ') as [string, string];
      if (keyword === 'format' && ALLOWED.RFC3339_DATE_TIME(at(release, pointer.slice(prefix.length)))) {
        allowed.RFC3339_DATE_TIME++;
        return false;
      }
      return true;
    });
    return unexplained.length + missing.length === 0 ? [] : [`${what}: official only ${missing.join(', ')} / ours only ${unexplained.join(', ')}`];
  };

  test('the releases as published, then mutated, bare (JSON Lines) and in a release package: same keywords and pointers, same verdicts', async () => {
    const r = rng(20261208);
    const mutated = bases.flatMap((b) => Array.from({ length: 30 }, () => JSON.parse(JSON.stringify(mutateRelease(b, r))) as J));
    const releases = [...bases.map((b) => JSON.parse(JSON.stringify(b)) as J), ...mutated];
    const dir = tempDir('report-differential-ocds-');
    const lines = join(dir, 'releases.jsonl');
    writeFileSync(lines, releases.map((x) => JSON.stringify(x)).join('\n'));
    const pkg = join(dir, 'package.json');
    writeFileSync(pkg, JSON.stringify({ ...dncp, releases }));
    const diff: string[] = [];
    let invalid = 0;
    for (const file of [lines, pkg]) {
      const report = await validateReport([file]);
      expect(report.summary['releases']).toBe(releases.length);
      const ours = byRecord(report);
      releases.forEach((rel, k) => {
        const mine = ours.records.get(k) ?? { schema: [], invalid: false, rules: [] };
        const d = compare(rel, mine.schema, '', `${file.endsWith('jsonl') ? 'line' : 'item'} ${k}`);
        diff.push(...d);
        const theirs = official(rel);
        if (file === lines && theirs.length > 0) invalid++;
        // (an error of ours only that is an allowed one makes the release invalid, as it should)
        const onlyAllowed = theirs.length === 0 && d.length === 0 && mine.schema.length > 0 && mine.schema.every((x) => x.startsWith('format '));
        if (theirs.length > 0 !== mine.invalid && !onlyAllowed) diff.push(`${file} ${k}: official ${theirs.join(', ') || 'valid'} / ours ${mine.rules.join(', ') || 'valid'}`);
      });
    }
    expect(diff.slice(0, 15)).toEqual([]);
    expect(invalid).toBeGreaterThan(mutated.length / 3);
    expect(invalid).toBeLessThan(releases.length);
  });

  test('an OCDS record whose embedded release is mutated: the release\'s findings at /releases/0, its compiled release\'s at /compiledRelease, as the official schema gives them', async () => {
    const r = rng(20261209);
    const record = shortLists(prozorro) as J;
    const base = record['releases'] as J[];
    const records = Array.from({ length: 60 }, () => JSON.parse(JSON.stringify({ ...record, releases: [mutateRelease(base[0]!, r), ...base.slice(1)], compiledRelease: r() < 0.3 ? mutateRelease(record['compiledRelease'] as J, r) : record['compiledRelease'] })) as J);
    const file = join(tempDir('report-differential-records-'), 'records.jsonl');
    writeFileSync(file, records.map((x) => JSON.stringify(x)).join('\n'));
    const report = await validateReport([file]);
    const ours = byRecord(report);
    const diff: string[] = [];
    records.forEach((rec, k) => {
      const mine = ours.records.get(k)?.schema ?? [];
      diff.push(...compare((rec['releases'] as J[])[0]!, mine, '/releases/0', `record ${k}`), ...compare(rec['compiledRelease'] as J, mine, '/compiledRelease', `record ${k} compiled`));
    });
    expect(diff.slice(0, 15)).toEqual([]);
  });

  afterAll(() => {
    // (the allowed differences were met: the corpus tries them)
    expect(allowed.RFC3339_DATE_TIME).toBeGreaterThan(0);
  });
});

/** A copy of a value whose lists hold three items at most. */
function shortLists(v: unknown): unknown {
  if (Array.isArray(v)) return v.slice(0, 3).map(shortLists);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shortLists(x)]));
}

/** A release mutated as `mutate` does, and now and then a date-time as publishers write it beside RFC 3339. */
function mutateRelease(release: J, r: () => number): J {
  const m = mutate(release, r);
  if (r() < 0.15) {
    const forms = ['2024-05-15T10:00:00', '2024-05-15 10:00:00Z', '2024-05-15T10:00:00+0200', '2024-05-15T10:00:00+02', '2024-05-15', '2024-05-15T10:00:00.000-05:00'];
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === 'string' && /^\d{4}-\d\d-\d\dT/.test(x) && r() < 0.3) (v as J)[k] = forms[Math.floor(r() * forms.length)];
        else walk(x);
      }
    };
    walk(m);
  }
  return m;
}
