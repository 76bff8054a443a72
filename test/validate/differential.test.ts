/**
 * Our schemas (schemas/, written from the standard's facts) against the
 * OFFICIAL OCDS 1.1.5 schema and extension patches read from ../shared: over
 * every release converted from the real samples and a generated mutation corpus
 * (wrong types, missing required fields, bad codes, bad formats, empty values,
 * duplicates, extra fields), both validators give the same verdict and the same
 * set of failing JSON pointers. The merge rules derived from both are the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { mergePatch, schemaFiles } from '../../src/validate/schema-source/build.js';
import { DECLARED_EXTENSIONS } from '../../src/validate/schema-source/ocds.js';
import { mergeRulesFromSchema } from '../../src/transform/compile/merge.js';
import { convertAll } from '../helpers/convert.js';
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

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Slot = { parent: J | unknown[]; key: string | number; value: unknown };
function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, k) => {
      out.push({ parent: value, key: k, value: v });
      slots(v, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value as J, key: k, value: v });
      slots(v, out);
    }
  }
  return out;
}
const set = (s: Slot, v: unknown): void => void ((s.parent as Record<string | number, unknown>)[s.key] = v);

/** One mutation of a deep copy of `release`. */
function mutate(release: J, r: () => number): J {
  const m = structuredClone(release);
  const all = slots(m);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const kind = Math.floor(r() * 10);
  const s = pick(all);
  switch (kind) {
    case 0: // wrong type
      set(s, typeof s.value === 'string' ? 42 : typeof s.value === 'number' ? 'forty-two' : typeof s.value === 'boolean' ? 'yes' : Array.isArray(s.value) ? { x: 1 } : s.value === null ? 1 : ['x']);
      break;
    case 1: // missing required fields
      delete m[pick(['ocid', 'id', 'date', 'tag', 'initiationType'])];
      for (const c of (m['contracts'] as J[] | undefined) ?? []) if (r() < 0.5) delete c['awardID'];
      break;
    case 2: {
      // bad codes
      const codes: Array<[string, unknown]> = [['tag', ['tender', 'auction']], ['initiationType', 'auction'], ['language', 12]];
      const [k, v] = pick(codes);
      m[k] = v;
      const t = m['tender'] as J | undefined;
      if (t) t[pick(['status', 'procurementMethod', 'mainProcurementCategory'])] = 'zzz';
      for (const a of [...((m['awards'] as J[] | undefined) ?? []), ...((m['contracts'] as J[] | undefined) ?? [])]) {
        if (r() < 0.5) a['status'] = 'signed';
        const value = a['value'] as J | undefined;
        if (value && r() < 0.5) value['currency'] = 'EURO';
      }
      break;
    }
    case 3: // bad formats
      for (const x of all) if (typeof x.value === 'string' && /T\d\d:\d\d/.test(x.value) && r() < 0.5) set(x, pick(['yesterday', '2024-13-45T00:00:00Z', '2024-05-15']));
      break;
    case 4: // empty strings and arrays
      for (const x of all) if ((typeof x.value === 'string' || Array.isArray(x.value)) && r() < 0.15) set(x, typeof x.value === 'string' ? '' : []);
      break;
    case 5: {
      // duplicates in arrays
      const arrays = all.filter((x) => Array.isArray(x.value) && (x.value as unknown[]).length > 0);
      if (arrays.length > 0) {
        const a = pick(arrays).value as unknown[];
        a.push(structuredClone(a[0]));
      }
      break;
    }
    case 6: // extra fields (allowed)
      for (const x of all) if (x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value) && r() < 0.3) (x.value as J)['x_extra'] = r() < 0.5 ? 'text' : { nested: [1, 2] };
      break;
    case 7: // nulls
      set(s, null);
      break;
    case 8: // empty objects
      for (const x of all) if (x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value) && r() < 0.2) set(x, {});
      break;
    default: // numbers out of range, integers as floats, language variants
      for (const x of all) {
        if (typeof x.value === 'number' && r() < 0.3) set(x, pick([-1, 1.5, 2, 1e21, 0]));
        if (typeof x.key === 'string' && typeof x.value === 'string' && r() < 0.2) (x.parent as J)[`${x.key}_${pick(['fr', 'en-GB', 'x-private', '12', 'zz_ZZ'])}`] = pick(['texte', 5]);
      }
  }
  return m;
}

describe('our schemas agree with the official ones', () => {
  const checkOfficial = validator(official);
  const checkOurs = validator(ours);
  let releases: J[] = [];
  beforeAll(async () => {
    releases = (await convertAll([join(SHARED, 'decp/samples')])).releases as J[];
  });

  test('the committed schemas are what the sources build', () => {
    for (const f of schemaFiles()) expect(readJson(join(SCHEMAS, f.path))).toEqual(f.content);
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
    const bases = releases.filter((_, k) => k % 20 === 0);
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
