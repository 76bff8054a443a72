/**
 * Our DECP source schemas (schemas/decp-*) against the official ones in
 * ../shared/decp/schemas: every record of the real samples gets the same
 * verdict and the same failing pointers, and the counts of valid records are
 * those the samples' README gives.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import { readInputs } from '../../src/ingest/reader.js';
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
};
const official = {
  '2019': recordValidators(readJson(join(SHARED, 'decp/schemas/2019-v1.5.0/marches.json')), true),
  '2024': recordValidators(readJson(join(SHARED, 'decp/schemas/2024-v2.0.3/schema_decp_v2.0.3.json')), false),
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
