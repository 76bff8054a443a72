/**
 * Our DECP source schemas (schemas/decp-*) against the official ones in
 * ../shared/decp/schemas: every record of the real samples gets the same
 * verdict and the same failing pointers, and the counts of valid records are
 * those the samples' README gives. Our 2.0.0 schema (the interim shape, which
 * no sample has) is held to the official 2.0.0 over its examples, every record
 * that validate --decp gives to it, and mutations of the examples; every
 * validation keyword of the official schemas is ours, at the same place.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import { readInputs } from '../../src/ingest/reader.js';
import { decpSchemaOf } from '../../src/validate/validate.js';
import { collect, SHARED } from '../helpers/ingest.js';
import { mutate, rng } from '../helpers/mutate.js';

type J = Record<string, unknown>;
const readJson = (p: string): J => JSON.parse(readFileSync(p, 'utf8')) as J;
const SCHEMAS = new URL('../../schemas/', import.meta.url).pathname;

function recordValidators(doc: J, draft04: boolean): Record<string, (r: unknown) => string[]> {
  const out: Record<string, (r: unknown) => string[]> = {};
  for (const type of ['marche', 'contrat-concession']) {
    const schema = { definitions: doc['definitions'], $ref: `#/definitions/${type}` };
    const ajv = draft04 ? new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, unicodeRegExp: false }) : new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: false, unicodeRegExp: false });
    const v = ajv.compile(schema);
    out[type] = (r) => (v(r) ? [] : [...new Set((v.errors ?? []).map((e) => e.instancePath))].sort());
  }
  return out;
}

const ours = {
  '2019': recordValidators(readJson(join(SCHEMAS, 'decp-2019-1.5.0/marches.json')), true),
  '2024': recordValidators(readJson(join(SCHEMAS, 'decp-2024-2.0.3/marches.json')), false),
  '2023-interim': recordValidators(readJson(join(SCHEMAS, 'decp-2024-2.0.0/marches.json')), false),
};
const official = {
  '2019': recordValidators(readJson(join(SHARED, 'decp/schemas/2019-v1.5.0/marches.json')), true),
  '2024': recordValidators(readJson(join(SHARED, 'decp/schemas/2024-v2.0.3/schema_decp_v2.0.3.json')), false),
  '2023-interim': recordValidators(readJson(join(SHARED, 'decp/schemas/2024-v2.0.0/marches.json')), false),
};

/** samples/README.md: valid records against the official schema of their generation. */
const VALID: Record<string, [number, number]> = {
  'pes-marche_via-decp-rama_2019-03-07.json': [519, 552],
  'aws-marches-publics-info_via-decp-rama_2019-03-07.json': [4361, 4509],
  'marches-securises_ville-de-croix_2019-2021.json': [0, 159],
  'dematis-e-marchespublics_2024-07-daily-13.json': [137, 137],
  'dematis-e-marchespublics_2024-07-daily-16.json': [143, 143],
  'dematis-e-marchespublics_2024-07-daily-17.json': [159, 159],
  'dematis-e-marchespublics_2024-07-daily-18.json': [73, 74],
  'dematis-e-marchespublics_2024-07-daily-19.json': [87, 87],
  'dematis-e-marchespublics_2024-07-daily-20.json': [45, 45],
  'dematis-e-marchespublics_2024-07-early.json': [0, 141],
};

const files = ['2019-json', '2024-json'].flatMap((d) => readdirSync(join(SHARED, 'decp/samples', d)).map((f) => [f, join(SHARED, 'decp/samples', d, f)] as const));

test.each(files)('%s: same verdicts and pointers as the official schema; valid counts as the README says', async (name, path) => {
  const { records } = await collect(readInputs([path]));
  let valid = 0;
  const diff: string[] = [];
  for (const r of records) {
    const version = r.version === '2019' ? '2019' : '2024';
    const a = official[version][r.type]!(r.data);
    const b = ours[version][r.type]!(r.data);
    if (JSON.stringify(a) !== JSON.stringify(b)) diff.push(`${r.provenance.index}: ${a.join(' ')} / ${b.join(' ')}`);
    if (b.length === 0) valid++;
  }
  expect(diff.slice(0, 5)).toEqual([]);
  expect([valid, records.length]).toEqual(VALID[name]);
});

test('same verdicts and pointers on a mutation corpus of DECP records', async () => {
  const r = rng(42);
  let total = 0;
  let invalid = 0;
  const diff: string[] = [];
  for (const [, path] of files) {
    const { records } = await collect(readInputs([path]));
    for (const rec of records.filter((_, k) => k % 7 === 0)) {
      const version = rec.version === '2019' ? '2019' : '2024';
      for (let k = 0; k < 8; k++) {
        const m = mutate(rec.data, r);
        const a = official[version][rec.type]!(m);
        const b = ours[version][rec.type]!(m);
        total++;
        if (a.length > 0) invalid++;
        if (JSON.stringify(a) !== JSON.stringify(b)) diff.push(`${JSON.stringify(a)} / ${JSON.stringify(b)}`);
      }
    }
  }
  expect(total).toBeGreaterThan(5000);
  expect(invalid).toBeGreaterThan(total / 3); // the corpus really exercises the constraints
  expect(diff.slice(0, 5)).toEqual([]);
});

const EXAMPLES_2_0_0 = join(SHARED, 'decp/schemas/2024-v2.0.0/examples');
const examples200 = ['json', 'xml'].flatMap((d) => readdirSync(join(EXAMPLES_2_0_0, d)).map((f) => join(EXAMPLES_2_0_0, d, f)));

/** Failing pointers of a whole DECP document (`{"marches":[…]}`) under a schema. */
function documentValidator(doc: J): (d: unknown) => string[] {
  const schema = { ...doc };
  delete schema['$id'];
  delete schema['$schema'];
  const v = new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
  return (d) => (v(d) ? [] : [...new Set((v.errors ?? []).map((e) => e.instancePath))].sort());
}

describe('our 2.0.0 schema (the interim shape) agrees with the official 2.0.0', () => {
  const check = (data: J, type: string): { a: string[]; b: string[] } => ({ a: official['2023-interim'][type]!(data), b: ours['2023-interim'][type]!(data) });

  test('the official examples, records and documents: same verdicts and pointers; the four of the 2.0.0 shape are valid', async () => {
    const diff: string[] = [];
    const valid: string[] = [];
    for (const path of examples200) {
      for (const r of (await collect(readInputs([path]))).records) {
        const { a, b } = check(r.data, r.type);
        if (JSON.stringify(a) !== JSON.stringify(b)) diff.push(`${path} ${r.provenance.index}: ${a.join(' ')} / ${b.join(' ')}`);
        if (b.length === 0 && path.endsWith('.json')) valid.push(`${path.slice(EXAMPLES_2_0_0.length + 1)} ${r.type}`);
      }
    }
    expect(diff).toEqual([]);
    // (the *-avec-uid examples are 2019 records; paquet-result.json is a 2.0.0 draft's output, without its lists)
    expect(valid.sort()).toEqual(['json/cc-avec-modifications.json contrat-concession', 'json/cc-basique.json contrat-concession', 'json/mar-avec-modifications.json marche', 'json/mar-basique.json marche', 'json/paquet.json contrat-concession', 'json/paquet.json marche']);
    const whole = { official: documentValidator(readJson(join(SHARED, 'decp/schemas/2024-v2.0.0/marches.json'))), ours: documentValidator(readJson(join(SCHEMAS, 'decp-2024-2.0.0/marches.json'))) };
    for (const path of examples200.filter((f) => f.endsWith('.json'))) {
      const d = readJson(path);
      expect([path, whole.ours(d)]).toEqual([path, whole.official(d)]);
      expect([path, whole.ours({ ...d, marches: [] })]).toEqual([path, ['/marches']]);
    }
  });

  test('every record that validate --decp gives to the 2.0.0 schema (samples, examples of every version, fixtures): same verdicts and pointers', async () => {
    const roots = [join(SHARED, 'decp'), new URL('../../fixtures/', import.meta.url).pathname];
    const paths = roots.flatMap((root) => readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(json|xml)$/.test(f) && !/marches\.json$|schema_decp|expected/.test(f)).map((f) => join(root, f)));
    const picked: string[] = [];
    const diff: string[] = [];
    for (const path of paths) {
      for (const r of (await collect(readInputs([path]))).records) {
        if ((r.type !== 'marche' && r.type !== 'contrat-concession') || decpSchemaOf(r) !== '2023-interim') continue;
        picked.push(path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1) + 1));
        const { a, b } = check(r.data, r.type);
        if (JSON.stringify(a) !== JSON.stringify(b)) diff.push(`${path} ${r.provenance.index}: ${a.join(' ')} / ${b.join(' ')}`);
      }
    }
    expect(diff).toEqual([]);
    // (no real sample, no fixture and no example of another version has the interim shape: the 2.0.0
    // examples, JSON and XML marchés; its XML concessions, which no list tells from 2.0.3's, are not)
    expect(picked.sort()).toEqual(['json/cc-avec-modifications.json', 'json/cc-basique.json', 'json/mar-avec-modifications.json', 'json/mar-basique.json', 'json/paquet.json', 'json/paquet.json', 'xml/mar-avec-modifications.xml', 'xml/mar-basique.xml', 'xml/paquet.xml', 'xml/paquet.xml']);
  });

  test('same verdicts and pointers on mutations of the examples: each field missing, null, of another type, out of its list, its range or its pattern; extra fields; random mutations', async () => {
    const records = (await Promise.all(examples200.filter((f) => /\/json\/(mar|cc)-(basique|avec-modifications)\.json$/.test(f)).map(async (f) => (await collect(readInputs([f]))).records))).flat();
    expect(records.map((r) => r.type).sort()).toEqual(['contrat-concession', 'contrat-concession', 'marche', 'marche']);
    const replacements: unknown[] = [null, 'zzz', '', -1, 0, 1.5, 2, 42, true, [], {}, ['zzz'], 'x'.repeat(1001), '2024-1-1', '123'];
    let total = 0;
    let invalid = 0;
    const diff: string[] = [];
    const compare = (m: J, type: string, what: string): void => {
      const { a, b } = check(m, type);
      total++;
      if (a.length > 0) invalid++;
      if (JSON.stringify(a) !== JSON.stringify(b)) diff.push(`${what}: ${a.join(' ')} / ${b.join(' ')}`);
    };
    for (const rec of records) {
      // every place in the record: each of its values replaced, each object key left out, an extra key in each object
      const paths: Array<Array<string | number>> = [];
      const walk = (v: unknown, at: Array<string | number>): void => {
        const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, k) => [k, x]) : v !== null && typeof v === 'object' ? Object.entries(v) : [];
        for (const [k, x] of entries) {
          paths.push([...at, k]);
          walk(x, [...at, k]);
        }
      };
      walk(rec.data, []);
      const at = (m: J, path: Array<string | number>): Record<string | number, unknown> => path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, m);
      for (const path of paths) {
        for (const x of replacements) {
          const m = structuredClone(rec.data);
          at(m, path)[path[path.length - 1]!] = structuredClone(x);
          compare(m, rec.type, `${path.join('/')} = ${JSON.stringify(x).slice(0, 20)}`);
        }
        const m = structuredClone(rec.data);
        const parent = at(m, path);
        if (!Array.isArray(parent)) {
          delete parent[path[path.length - 1]!];
          compare(m, rec.type, `${path.join('/')} left out`);
        }
        const v = at(m, [...path, '']);
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          const e = structuredClone(rec.data);
          (at(e, [...path, '']) as J)['uid'] = 'x';
          compare(e, rec.type, `${path.join('/')}/uid`);
        }
      }
      compare({ ...rec.data, uid: 'x' }, rec.type, 'uid');
      const r = rng(200);
      for (let k = 0; k < 200; k++) compare(mutate(rec.data, r), rec.type, `mutation ${k}`);
    }
    expect(total).toBeGreaterThan(3000);
    expect(invalid).toBeGreaterThan(total / 2); // the corpus really exercises the constraints
    expect(diff.slice(0, 5)).toEqual([]);
  });
});

/**
 * A schema's validation keywords, its `$ref`s resolved in place (draft-04 and draft-07 ignore a
 * `$ref`'s siblings; DECP schemas are not recursive), titles, descriptions and the definitions' own
 * layout left out: what decides validity, wherever each schema keeps its definitions.
 */
function validationTree(doc: J, node: unknown = doc): unknown {
  if (Array.isArray(node)) return node.map((n) => validationTree(doc, n));
  if (node === null || typeof node !== 'object') return node;
  const o = node as J;
  if (typeof o['$ref'] === 'string') {
    const target = (o['$ref'] as string).slice(2).split('/').reduce<unknown>((v, k) => (v as J)[k], doc);
    return validationTree(doc, target);
  }
  const out: J = {};
  for (const [k, v] of Object.entries(o)) {
    if (['$schema', '$id', 'id', 'title', 'description', 'definitions'].includes(k)) continue;
    out[k] = ['properties', 'patternProperties'].includes(k) ? Object.fromEntries(Object.entries(v as J).map(([p, x]) => [p, validationTree(doc, x)])) : ['items', 'anyOf', 'oneOf', 'allOf', 'not', 'additionalProperties'].includes(k) ? validationTree(doc, v) : v;
  }
  return out;
}

test.each([
  ['decp-2019-1.5.0/marches.json', '2019-v1.5.0/marches.json'],
  ['decp-2024-2.0.0/marches.json', '2024-v2.0.0/marches.json'],
  ['decp-2024-2.0.3/marches.json', '2024-v2.0.3/schema_decp_v2.0.3.json'],
])('every validation keyword of the official schema is ours, at the same place, and ours has no other: %s', (mine, theirs) => {
  const o = readJson(join(SHARED, 'decp/schemas', theirs));
  const b = readJson(join(SCHEMAS, mine));
  expect(validationTree(b)).toEqual(validationTree(o));
  for (const type of ['marche', 'contrat-concession']) expect(validationTree(b, (b['definitions'] as J)[type])).toEqual(validationTree(o, (o['definitions'] as J)[type]));
});
