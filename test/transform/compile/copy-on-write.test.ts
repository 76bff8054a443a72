/**
 * The merge shares what it can with the releases (a value that merges to itself, where the compiled
 * release has nothing yet, is used as it is) and copies an object or a list only when a later
 * release changes it. It must give exactly what copying every value gives (`share` false, the
 * reference's way), warnings included, and never change a release: they are frozen here, so a
 * write into one throws.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { compileReleases, mergeRulesFromSchema, type JsonValue } from '../../../src/transform/compile/merge.js';
import { loadReleaseSchema } from '../../../src/validate/schema-store.js';
import { convertAll } from '../../helpers/convert.js';
import { SHARED } from '../../helpers/ingest.js';

type Obj = { [k: string]: JsonValue };

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/** The compiled release and warnings of both ways, the shared one on frozen releases. */
function bothWays(releases: readonly Obj[], rules: ReturnType<typeof mergeRulesFromSchema>): { shared: string; copied: string } {
  const text = JSON.stringify(releases);
  const frozen = deepFreeze(JSON.parse(text) as Obj[]);
  const s = compileReleases(frozen, rules);
  const c = compileReleases(JSON.parse(text) as Obj[], rules, false);
  expect(JSON.stringify(frozen)).toBe(text);
  return { shared: JSON.stringify([s.compiledRelease, s.warnings, s.order]), copied: JSON.stringify([c.compiledRelease, c.warnings, c.order]) };
}

const list = (items: Obj): Obj => ({ type: 'array', items: { type: 'object', properties: items } });
const SCHEMA = {
  type: 'object',
  properties: {
    ocid: { type: 'string' },
    id: { type: 'string', omitWhenMerged: true },
    date: { type: 'string' },
    tag: { type: 'array', items: { type: 'string' }, omitWhenMerged: true },
    items: list({ id: {}, a: {}, b: {}, omit: { omitWhenMerged: true }, sub: list({ id: {}, a: {} }), obj: { type: 'object', properties: { omit: { omitWhenMerged: true }, a: {} } } }),
    whole: { type: 'array', wholeListMerge: true, items: { type: 'object', properties: { id: {} } } },
    // a schema may omit the items' id, or part of an object id
    hidden: list({ id: { omitWhenMerged: true }, a: {} }),
    partly: list({ id: { type: 'object', properties: { omit: { omitWhenMerged: true } } }, a: {} }),
    obj: { type: 'object', properties: { a: {}, omit: { omitWhenMerged: true }, items: list({ id: {}, a: {}, omit: { omitWhenMerged: true } }) } },
  },
};

test('property: sharing gives what copying gives, and leaves the releases as they were', () => {
  const rules = mergeRulesFromSchema(SCHEMA);
  // few keys and ids, so that releases meet on the same fields and items: nulls, empty values,
  // ids of two types, duplicate ids, forbidden keys (proto_ is written __proto__), numbers past a double
  const key = fc.constantFrom('id', 'a', 'b', 'items', 'sub', 'whole', 'obj', 'omit', 'hidden', 'partly', 'proto_', 'toString');
  const scalar = fc.oneof(fc.constantFrom(1, '1', 'a', 'b', true, null, 0, ''), fc.integer({ min: -3, max: 3 }), fc.constant('HUGE'));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('object'), tie('list')),
    object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    list: fc.array(fc.oneof(tie('object'), scalar, fc.record({ id: fc.constantFrom(1, '1', 'a', 'b', 2, { omit: 1, k: 2 }, { omit: 2, k: 2 }) }, { requiredKeys: [] }).chain((head) => fc.dictionary(key, tie('value'), { maxKeys: 3 }).map((rest) => ({ ...rest, ...head })))), { maxLength: 4 }),
  }));
  const date = fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-01T01:00:00+01:00', 'not a date');
  const release = fc.tuple(fc.dictionary(key, value, { maxKeys: 6 }), date, fc.integer({ min: 0, max: 5 }));
  fc.assert(
    fc.property(fc.array(release, { minLength: 1, maxLength: 5 }), (given) => {
      const releases = given.map(([fields, d, n], k) => JSON.parse(JSON.stringify({ ocid: 'ocds-x-1', id: `r${k % (n + 1)}`, date: d, tag: ['update'], ...fields }).replaceAll('"proto_"', '"__proto__"').replaceAll('"HUGE"', '1e400')) as Obj);
      const { shared, copied } = bothWays(releases, rules);
      expect(shared).toBe(copied);
    }),
    { numRuns: 4000 },
  );
});

test('a list whose items\' id (or part of it) the schema omits is keyed by the id as given, shared or not', () => {
  const rules = mergeRulesFromSchema(SCHEMA);
  const at = (d: string, fields: Obj): Obj => ({ ocid: 'o', id: d, date: `2024-01-0${d}T00:00:00Z`, ...fields });
  for (const [releases, want] of [
    [[at('1', { hidden: [{ id: 'x', a: 1 }] }), at('2', { hidden: [{ id: 'x', a: 2 }] })], [{ a: 2 }]],
    [[at('1', { obj: { a: 1 }, hidden: [{ id: 'x', a: 1 }] }), at('2', { hidden: [{ id: 'x', a: 2 }, { id: 'y', a: 3 }] })], [{ a: 2 }, { a: 3 }]],
    [[at('1', { partly: [{ id: { omit: 1, k: 2 }, a: 1 }] }), at('2', { partly: [{ id: { omit: 1, k: 2 }, a: 2 }] })], [{ id: { k: 2 }, a: 2 }]],
  ] as Array<[Obj[], JsonValue[]]>) {
    const { shared, copied } = bothWays(releases, rules);
    expect(shared).toBe(copied);
    const key = Object.keys(releases[0]!).includes('partly') ? 'partly' : 'hidden';
    expect(compileReleases(releases, rules).compiledRelease[key]).toEqual(want);
  }
});

test('the sample releases, alone and merged two by two as one process, compile alike both ways', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const { releases } = await convertAll([join(SHARED, 'decp/samples')]);
  const all = releases as unknown as Obj[];
  expect(all.length).toBeGreaterThan(6000);
  // each release after the one before it (another contract's, given this ocid): what one changes of the
  // other is copied; then the same two in the other order
  let differ = 0;
  for (let k = 1; k < all.length; k++) {
    const a = all[k - 1]!;
    const b: Obj = { ...all[k]!, ocid: a['ocid']! };
    for (const pair of [[a, b], [b, a]]) {
      const { shared, copied } = bothWays(pair, rules);
      if (shared !== copied) differ++;
      if (shared !== copied && differ < 3) expect({ ids: pair.map((r) => r['id']), shared }).toEqual({ ids: pair.map((r) => r['id']), shared: copied });
    }
  }
  expect(differ).toBe(0);
});
