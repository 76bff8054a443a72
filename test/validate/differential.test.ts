/**
 * Our schemas (schemas/, written from the standard's facts) against the
 * OFFICIAL OCDS 1.1.5 schema and extension patches read from ../shared: over
 * every release converted from the real samples and a generated mutation corpus
 * (wrong types, missing required fields, bad codes, bad formats, empty values,
 * duplicates, extra fields), both validators give the same verdict and the same
 * set of failing JSON pointers. The merge rules derived from both are the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { mergePatch, schemaFiles } from '../../src/validate/schema-source/build.js';
import { DECLARED_EXTENSIONS } from '../../src/validate/schema-source/ocds.js';
import { mergeRulesFromSchema } from '../../src/transform/compile/merge.js';
import { packageMetadataSchema, recordSchema } from '../../src/validate/package-schema.js';
import { convertAll } from '../helpers/convert.js';
import { mutate, rng } from '../helpers/mutate.js';
import { SHARED } from '../helpers/ingest.js';

type J = Record<string, unknown>;
const readJson = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));
const SCHEMAS = new URL('../../schemas/', import.meta.url).pathname;

function compose(core: unknown, patches: unknown[]): J {
  let schema = core;
  for (const p of patches) schema = mergePatch(schema, p);
  const s = { ...(schema as J) };
  delete s['id'];
  delete s['$schema'];
  return s;
}

const official = compose(
  readJson(join(SHARED, 'ocds/1.1.5/release-schema.json')),
  DECLARED_EXTENSIONS.map((e) => readJson(join(SHARED, 'ocds/extensions', e, 'release-schema.json'))),
);
const ours = compose(
  readJson(join(SCHEMAS, 'ocds-1.1.5/release-schema.json')),
  DECLARED_EXTENSIONS.map((e) => readJson(join(SCHEMAS, 'extensions', e, 'release-schema.json'))),
);

function validator(schema: J): (r: unknown) => string[] {
  const ajv = new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, validateFormats: true });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  const v = ajv.compile(schema);
  return (r) => (v(r) ? [] : [...new Set((v.errors ?? []).map((e) => e.instancePath))].sort());
}

/** The keywords that decide validity. */
const VALIDATION_KEYWORDS = ['type', 'enum', 'const', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'required', 'uniqueItems', 'minProperties', 'maxProperties', 'additionalProperties', '$ref', 'dependencies', 'not'];

/** Where schema `b` has not the validation keywords `a` has at the same place (paths through properties, definitions, items and combinators). */
function keywordDiffs(a: unknown, b: unknown, path = ''): string[] {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return [];
  const x = a as J;
  const y = b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as J) : {};
  const out: string[] = [];
  for (const k of VALIDATION_KEYWORDS) {
    if (k in x && JSON.stringify(x[k]) !== JSON.stringify(y[k])) out.push(`${path} ${k}: ${JSON.stringify(x[k])?.slice(0, 80)} / ${JSON.stringify(y[k])?.slice(0, 80)}`);
  }
  for (const sub of ['properties', 'definitions', 'patternProperties']) {
    const m = x[sub];
    if (m !== null && typeof m === 'object') for (const [k, v] of Object.entries(m as J)) out.push(...keywordDiffs(v, (y[sub] as J | undefined)?.[k], `${path}/${sub}/${k}`));
  }
  if (x['items'] !== undefined) out.push(...keywordDiffs(x['items'], y['items'], `${path}/items`));
  for (const sub of ['oneOf', 'anyOf', 'allOf']) {
    const list = x[sub];
    if (Array.isArray(list)) list.forEach((v, i) => out.push(...keywordDiffs(v, (y[sub] as unknown[] | undefined)?.[i], `${path}/${sub}/${i}`)));
  }
  return out;
}

describe('our schemas agree with the official ones', () => {
  const checkOfficial = validator(official);
  const checkOurs = validator(ours);
  let releases: J[] = [];
  /** Releases of the official DECP examples: concessions with execution data (tariffs, charges' paidBy), which no sample has. */
  let examples: J[] = [];
  beforeAll(async () => {
    releases = (await convertAll([join(SHARED, 'decp/samples')])).releases as J[];
    const base = join(SHARED, 'decp/schemas');
    const files = readdirSync(base, { recursive: true, encoding: 'utf8' }).filter((f) => /example/.test(f) && /\.(json|xml)$/.test(f)).map((f) => join(base, f));
    examples = (await convertAll(files)).releases as J[];
  });

  test('the committed schemas are what the sources build', () => {
    for (const f of schemaFiles()) expect(readJson(join(SCHEMAS, f.path))).toEqual(f.content);
    // (the DECP ones too: 1.5.0, 2.0.3 and 2.0.0, the interim shape's; test/validate/decp-differential.test.ts holds them to the official files)
    expect(schemaFiles().filter((f) => f.path.startsWith('decp-')).map((f) => f.path)).toEqual(['decp-2019-1.5.0/marches.json', 'decp-2024-2.0.0/marches.json', 'decp-2024-2.0.3/marches.json']);
  });

  test('every validation keyword of the official schemas is ours, and ours has no other (found by a probe: minItems of Bid.countriesOfOrigin was missing, which no corpus mutation tried)', () => {
    expect(keywordDiffs(official, ours)).toEqual([]);
    expect(keywordDiffs(ours, official)).toEqual([]);
  });

  test("the package metadata schemas are the official package schemas' (their releases or records aside, validated one by one)", () => {
    for (const kind of ['release', 'record'] as const) {
      const o = readJson(join(SHARED, `ocds/1.1.5/${kind}-package-schema.json`)) as J;
      const props = { ...(o['properties'] as J) };
      delete props[`${kind}s`];
      const officialMeta = { type: o['type'], properties: props, required: (o['required'] as string[]).filter((k) => k !== `${kind}s`) };
      expect([kind, keywordDiffs(officialMeta, packageMetadataSchema(kind))]).toEqual([kind, []]);
      expect([kind, keywordDiffs(packageMetadataSchema(kind), officialMeta)]).toEqual([kind, []]);
    }
  });

  test("a record's own fields are the official record schema's: its ocid, its list of linked releases (embedded ones, the compiled and versioned releases aside)", () => {
    const o = (readJson(join(SHARED, 'ocds/1.1.5/record-package-schema.json')) as J)['definitions'] as J;
    const rec = o['record'] as J;
    const props = rec['properties'] as J;
    const [linkedList] = (props['releases'] as J)['oneOf'] as J[];
    const official = { type: rec['type'], properties: { ocid: props['ocid'], releases: linkedList }, required: rec['required'] };
    expect(keywordDiffs(official, recordSchema())).toEqual([]);
    expect(keywordDiffs(recordSchema(), official)).toEqual([]);
  });

  test('same merge rules', () => {
    expect(Object.fromEntries(mergeRulesFromSchema(ours))).toEqual(Object.fromEntries(mergeRulesFromSchema(official)));
  });

  test('same verdicts and failing pointers on every release from the samples', () => {
    expect(releases.length).toBeGreaterThan(6000);
    const diff: string[] = [];
    for (const rel of releases) {
      const a = checkOfficial(rel);
      const b = checkOurs(rel);
      if (JSON.stringify(a) !== JSON.stringify(b)) diff.push(`${String(rel['id'])}: official ${a.join(' ')} / ours ${b.join(' ')}`);
    }
    expect(diff.slice(0, 10)).toEqual([]);
  });

  test('same verdicts and failing pointers on a mutation corpus', () => {
    const r = rng(20261123);
    expect(examples.filter((x) => JSON.stringify(x).includes('"tariffs"')).length).toBeGreaterThan(5);
    const bases = [...releases.filter((_, k) => k % 20 === 0), ...examples];
    let invalid = 0;
    let total = 0;
    const diff: string[] = [];
    for (const base of bases) {
      for (let k = 0; k < 12; k++) {
        const m = mutate(base, r);
        const a = checkOfficial(m);
        const b = checkOurs(m);
        total++;
        if (a.length > 0) invalid++;
        if (JSON.stringify(a) !== JSON.stringify(b)) diff.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
    expect(total).toBeGreaterThan(3000);
    expect(invalid).toBeGreaterThan(total / 3); // the corpus really exercises the constraints
    expect(diff.slice(0, 10)).toEqual([]);
  });
});
