/**
 * A single release that merges to itself is used without a copy: the result
 * must be exactly what the full merge gives (here: the release merged twice,
 * which the merge rules make equal to merging it once).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { compiledReleaseText, compileReleases, mergeRulesFromSchema, type JsonValue } from '../../../src/transform/compile/merge.js';
import { loadReleaseSchema } from '../../../src/validate/schema-store.js';
import { convertAll } from '../../helpers/convert.js';
import { SHARED } from '../../helpers/ingest.js';

type Obj = { [k: string]: JsonValue };

test('every sample release compiles alone as the full merge compiles it', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const { releases } = await convertAll([join(SHARED, 'decp/samples')]);
  expect(releases.length).toBeGreaterThan(6000);
  for (const r of releases as unknown as Obj[]) {
    const alone = JSON.stringify(compileReleases([r], rules).compiledRelease);
    const full = JSON.stringify(compileReleases([r, r], rules).compiledRelease);
    if (alone !== full) expect({ id: r['id'], alone }).toEqual({ id: r['id'], alone: full });
  }
});

test('what a single release cannot keep as it is: nulls, empties, duplicate ids, forbidden keys, numbers past a double', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const base = { ocid: 'ocds-x-1', id: 'r1', date: '2024-01-01T00:00:00Z', tag: ['award'] };
  const cases: Obj[] = [
    { ...base, buyer: null },
    { ...base, awards: [] },
    { ...base, tender: {} },
    { ...base, awards: [{ id: 'a', title: 'x' }, { id: 'a', description: 'y' }] },
    { ...base, tender: { items: [{ id: '1', classification: { id: null } }] } },
    JSON.parse('{"ocid":"ocds-x-1","id":"r1","date":"2024-01-01T00:00:00Z","tag":["award"],"tender":{"__proto__":{"polluted":1},"id":"t"}}') as Obj,
    JSON.parse('{"ocid":"ocds-x-1","id":"r1","date":"2024-01-01T00:00:00Z","tag":["award"],"tender":{"id":"t","value":{"amount":1e400}}}') as Obj,
  ];
  for (const c of cases) {
    expect(JSON.stringify(compileReleases([c], rules).compiledRelease)).toBe(JSON.stringify(compileReleases([c, c], rules).compiledRelease));
  }
  const merged = compileReleases([cases[3]!], rules).compiledRelease as { awards: Obj[] };
  expect(merged.awards).toEqual([{ id: 'a', title: 'x', description: 'y' }]);
  // a number JSON cannot write (Infinity: 1e400 read as a double) is left out, with a warning
  const huge = compileReleases([cases[6]!], rules);
  expect(huge.compiledRelease['tender']).toEqual({ id: 't' });
  expect(huge.warnings.map((w) => [w.code, w.path, w.releaseId])).toEqual([['MERGE_NUMBER_OUT_OF_RANGE', 'tender.value.amount', 'r1']]);
});

/** What the run writes for the compiled release of a release text (the splice, else JSON.stringify). */
function spliceOrNull(rules: ReturnType<typeof mergeRulesFromSchema>, r: Obj): { splice: string | null; full: string; less: boolean } {
  const result = compileReleases([r], rules);
  return { splice: compiledReleaseText(JSON.stringify(r), r, result), full: JSON.stringify(result.compiledRelease), less: (result.fromRelease?.less ?? null) !== null };
}

test('a release that is its own compiled release gives the compiled JSON spliced from its text, byte for byte', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const { releases } = await convertAll([join(SHARED, 'decp/samples')]);
  let spliced = 0;
  let less = 0;
  for (const r of releases as unknown as Obj[]) {
    const { splice, full, less: without } = spliceOrNull(rules, r);
    if (splice === null) continue;
    spliced++;
    if (without) less++;
    if (splice !== full) expect({ id: r['id'], splice }).toEqual({ id: r['id'], splice: full });
  }
  // most sample releases are their own compiled release (nulls and empty values are mapped away),
  // less x_decp.unmapped (the 2019 files' "source")
  expect(spliced).toBeGreaterThan(releases.length * 0.9);
  expect(less).toBeGreaterThan(releases.length * 0.5);
});

test('the splice does not apply where the compiled release is not the release less id, date and tag', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const base = { ocid: 'ocds-x-1', id: 'r1', date: '2024-01-01T00:00:00Z', tag: ['award'] };
  expect(spliceOrNull(rules, { ...base, buyer: { id: 'b' } }).splice).toBe(spliceOrNull(rules, { ...base, buyer: { id: 'b' } }).full);
  expect(spliceOrNull(rules, base).splice).toBe('{"ocid":"ocds-x-1","id":"ocds-x-1-2024-01-01T00:00:00Z","tag":["compiled"],"date":"2024-01-01T00:00:00Z"}');
  // an omitWhenMerged field below the top, last in the last field: spliced too
  const less = spliceOrNull(rules, { ...base, buyer: { id: 'b' }, x_decp: { id: '1', unmapped: { a: '}}' } } });
  expect(less.splice).toBe(less.full);
  expect(less.splice).toBe('{"ocid":"ocds-x-1","id":"ocds-x-1-2024-01-01T00:00:00Z","tag":["compiled"],"buyer":{"id":"b"},"x_decp":{"id":"1"},"date":"2024-01-01T00:00:00Z"}');
  // a field named like an inherited method is a field of the compiled release too
  const named = spliceOrNull(rules, { ...base, toString: 1, valueOf: { id: 'v' } });
  expect(named.full).toContain('"toString":1');
  expect(named.splice).toBe(named.full);
  // and merged as a field, without a warning
  const twice = compileReleases([{ ...base, toString: { a: 1 } }, { ...base, id: 'r2', date: '2024-02-01T00:00:00Z', toString: { b: 2 } }], rules);
  expect(twice.compiledRelease['toString']).toEqual({ a: 1, b: 2 });
  expect(twice.warnings).toEqual([]);
  const none: Obj[] = [
    { ...base, buyer: null }, // a null: the merge removes it
    { ...base, x_decp: { unmapped: { a: 1 }, id: '1' } }, // an omitWhenMerged field below the top, not last
    { ...base, x_decp: { id: '1', unmapped: { a: 1 } }, buyer: { id: 'b' } }, // nor in the last field
    { ...base, x_decp: { unmapped: { a: 1 } } }, // the only field of the last field (which is then left out)
    { ocid: 'ocds-x-1', id: 'r1', tag: ['award'], buyer: { id: 'b' } }, // no date
    { ocid: 'ocds-x-1', date: '2024-01-01T00:00:00Z', tag: ['award'] }, // no id
    { id: 'r1', ocid: 'ocds-x-1', date: '2024-01-01T00:00:00Z', tag: ['award'] }, // another key order
    { ...base, date: 20240101 }, // a date that is not a string
  ];
  for (const r of none) expect(spliceOrNull(rules, r).splice).toBeNull();
  // two releases, or a schema without omitWhenMerged fields: never
  const two = compileReleases([base, { ...base, id: 'r2' }], rules);
  expect(compiledReleaseText(JSON.stringify(base), base, two)).toBeNull();
  const bare = mergeRulesFromSchema({ type: 'object', properties: { ocid: { type: 'string' }, id: { type: 'string' } } });
  expect(compiledReleaseText(JSON.stringify(base), base, compileReleases([base], bare))).toBeNull();
});

test('the splice gives null, never other JSON, for a text that is not what JSON.stringify wrote or a last field that lost more than its last field', () => {
  const schema = {
    properties: {
      ocid: { type: 'string' },
      id: { type: 'string', omitWhenMerged: true },
      date: { type: 'string', omitWhenMerged: true },
      tag: { type: 'array', items: { type: 'string' }, omitWhenMerged: true },
      ext: { type: 'object', properties: { a: { type: 'object', omitWhenMerged: true }, b: { type: 'object', omitWhenMerged: true } } },
    },
  };
  const rules = mergeRulesFromSchema(schema);
  const base = { ocid: 'ocds-x-1', id: 'r1', date: '2024-01-01T00:00:00Z', tag: ['award'] };
  // two omitted fields at the end of the last field: not "less its last field"
  const two: Obj = { ...base, ext: { x: 1, a: { n: 1 }, b: { n: 2 } } };
  const result = compileReleases([two], rules);
  expect(result.compiledRelease['ext']).toEqual({ x: 1 });
  expect([null, JSON.stringify(result.compiledRelease)]).toContain(compiledReleaseText(JSON.stringify(two), two, result));
  // one omitted field at the end: spliced; but not from a text with a line end after it, nor one
  // that writes the omitted value otherwise than JSON.stringify does (1.0 for 1)
  const one: Obj = { ...base, ext: { x: 1, b: { n: 1 } } };
  const oneResult = compileReleases([one], rules);
  expect(compiledReleaseText(JSON.stringify(one), one, oneResult)).toBe(JSON.stringify(oneResult.compiledRelease));
  expect(compiledReleaseText(`${JSON.stringify(one)}\n`, one, oneResult)).toBeNull();
  expect(compiledReleaseText(JSON.stringify(one).replace('"n":1', '"n":1.0'), one, oneResult)).toBeNull();
  // nothing omitted: a line end after the text is no splice either
  const plain: Obj = { ...base, ext: { x: 1 } };
  const plainResult = compileReleases([plain], rules);
  expect(compiledReleaseText(JSON.stringify(plain), plain, plainResult)).toBe(JSON.stringify(plainResult.compiledRelease));
  expect(compiledReleaseText(`${JSON.stringify(plain)}\n`, plain, plainResult)).toBeNull();
});

test('property: the spliced compiled release is what JSON.stringify writes, whatever the strings and values', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const risky = fc.constantFrom('é', '’', '\\', '"', '\n', '\u0000', '\u2028', '\ud800', '\udc00', '-', ']', '[', '}', '","tag":[', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '10', '4294967296');
  const text = fc.oneof(fc.string({ maxLength: 8 }), fc.array(risky, { maxLength: 4 }).map((a) => a.join('')));
  const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
  const extra = fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), risky), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(text, scalar, { maxKeys: 3 })), { maxKeys: 4 });
  // x_decp (last or not) with unmapped (omitWhenMerged) anywhere in it, or none
  const xDecp = fc.option(fc.tuple(fc.dictionary(fc.oneof(text, fc.constantFrom('unmapped', '"unmapped"')), scalar, { maxKeys: 3 }), fc.option(extra), fc.boolean()), { nil: undefined });
  let spliced = 0;
  let lessSpliced = 0;
  fc.assert(
    fc.property(text, text, text, fc.array(text, { minLength: 1, maxLength: 3 }), extra, xDecp, (ocid, id, date, tag, more, x) => {
      const release: Obj = { ocid, id, date, tag, ...more };
      if (x !== undefined) {
        const [fields, unmapped, last] = x;
        const xd: Obj = { ...fields };
        if (unmapped !== null) xd['unmapped'] = unmapped as Obj;
        if (last) release['x_decp'] = xd;
        else Object.assign(release, { x_decp: xd, after: 1 });
      }
      const r = JSON.parse(JSON.stringify(release)) as Obj;
      const { splice, full, less } = spliceOrNull(rules, r);
      if (splice !== null) {
        spliced++;
        if (less) lessSpliced++;
        expect(splice).toBe(full);
      }
    }),
    { numRuns: 3000 },
  );
  expect(spliced).toBeGreaterThan(300);
  expect(lessSpliced).toBeGreaterThan(100);
});
