/**
 * A single release that merges to itself is used without a copy: the result
 * must be exactly what the full merge gives (here: the release merged twice,
 * which the merge rules make equal to merging it once).
 */
import { join } from 'node:path';
import { compileReleases, mergeRulesFromSchema, type JsonValue } from '../../../src/transform/compile/merge.js';
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

test('what a single release cannot keep as it is: nulls, empties, duplicate ids, forbidden keys', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const base = { ocid: 'ocds-x-1', id: 'r1', date: '2024-01-01T00:00:00Z', tag: ['award'] };
  const cases: Obj[] = [
    { ...base, buyer: null },
    { ...base, awards: [] },
    { ...base, tender: {} },
    { ...base, awards: [{ id: 'a', title: 'x' }, { id: 'a', description: 'y' }] },
    { ...base, tender: { items: [{ id: '1', classification: { id: null } }] } },
    JSON.parse('{"ocid":"ocds-x-1","id":"r1","date":"2024-01-01T00:00:00Z","tag":["award"],"tender":{"__proto__":{"polluted":1},"id":"t"}}') as Obj,
  ];
  for (const c of cases) {
    expect(JSON.stringify(compileReleases([c], rules).compiledRelease)).toBe(JSON.stringify(compileReleases([c, c], rules).compiledRelease));
  }
  const merged = compileReleases([cases[3]!], rules).compiledRelease as { awards: Obj[] };
  expect(merged.awards).toEqual([{ id: 'a', title: 'x', description: 'y' }]);
});
