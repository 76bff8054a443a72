/**
 * The "merge pitfall" of the mapping reference: a modification that changes the
 * supplier list must compile to the new list, not the union. Our local extension
 * (schemas/x_decp/release-schema.json) marks Contract.suppliers wholeListMerge;
 * compiled with the official schema + extensions + ours, a removed supplier is gone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileReleases, mergeRulesFromSchema } from '../../src/transform/compile/merge.js';
import { convertAll } from '../helpers/convert.js';
import { SHARED } from '../helpers/ingest.js';
import { officialReleaseSchema } from '../helpers/official-ocds.js';

const X_DECP = JSON.parse(readFileSync(new URL('../../schemas/x_decp/release-schema.json', import.meta.url), 'utf8')) as unknown;
const GOLDEN = new URL('../../fixtures/golden/modification-replaces-suppliers/input.json', import.meta.url).pathname;

type R = Record<string, unknown>;
const suppliersOf = (compiled: Record<string, unknown>): string[] => ((compiled['contracts'] as Array<{ suppliers?: Array<{ id: string }> }>)[0]!.suppliers ?? []).map((s) => s.id);

test('with our extension the compiled contract has the new supplier list; amounts and durations are the last ones', async () => {
  const { releases } = await convertAll([GOLDEN]);
  const rules = mergeRulesFromSchema(officialReleaseSchema([X_DECP]));
  const { compiledRelease } = compileReleases(releases as never, rules);
  expect(suppliersOf(compiledRelease)).toEqual(['FR-RCS-80268496900016']);
  const contract = (compiledRelease['contracts'] as Array<Record<string, unknown>>)[0]!;
  expect(contract['value']).toEqual({ amount: 52000, currency: 'EUR' });
  expect((contract['period'] as Record<string, unknown>)['durationInDays']).toBe(182);
  expect((contract['amendments'] as Array<{ id: string }>).map((a) => a.id)).toEqual(['1', '2']);
  // the award keeps the suppliers it was awarded to
  expect(((compiledRelease['awards'] as Array<{ suppliers: Array<{ id: string }> }>)[0]!.suppliers).map((s) => s.id)).toEqual(['FR-RCS-42058740400039', 'FR-RCS-80268496900016']);
});

test('without it (official schema alone) identifier merge would keep the removed supplier', async () => {
  const { releases } = await convertAll([GOLDEN]);
  const { compiledRelease } = compileReleases(releases as never, mergeRulesFromSchema(officialReleaseSchema()));
  expect(suppliersOf(compiledRelease)).toEqual(['FR-RCS-42058740400039', 'FR-RCS-80268496900016']);
});

test('on real 2024 data: every compiled contract ends with the supplier list of its last modification that gave one', async () => {
  const { releases } = await convertAll([join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-19.json')]);
  const rules = mergeRulesFromSchema(officialReleaseSchema([X_DECP]));
  const byAward = new Map<string, R[]>();
  for (const r of releases) {
    // (a subcontracting act's update, `-s<act>-<day>`, is the award's too)
    const key = (r['id'] as string).replace(/-(v0|m[^-]+|x[^-]+|s[^-]+-\d{8}(-\d+)?)$/, '');
    byAward.set(key, [...(byAward.get(key) ?? []), r as R]);
  }
  let checked = 0;
  for (const group of byAward.values()) {
    const withSuppliers = group.filter((r) => ((r['contracts'] as Array<{ suppliers?: unknown[] }> | undefined)?.[0]?.suppliers ?? []).length > 0);
    const last = [...withSuppliers].sort((a, b) => ((a['date'] as string) < (b['date'] as string) ? -1 : 1)).pop();
    if (!last || group.length < 2) continue;
    const { compiledRelease } = compileReleases(group as never, rules);
    expect(suppliersOf(compiledRelease)).toEqual(((last['contracts'] as Array<{ suppliers: Array<{ id: string }> }>)[0]!.suppliers).map((s) => s.id));
    checked++;
  }
  expect(checked).toBeGreaterThan(10);
});
