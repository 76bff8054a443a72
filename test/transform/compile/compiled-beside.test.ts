/**
 * compiledReleasesBeside: which compiled releases (tag `compiled`) of a process are left out of its
 * merge, and which one the other releases are merged onto (MERGE_COMPILED_RELEASE, MERGE_COMPILED_BASE).
 */
import { COMPILED_BESIDE, COMPILED_EARLIER, compiledReleasesBeside, type JsonValue } from '../../../src/transform/compile/merge.js';

type Obj = { [k: string]: JsonValue };
const compiled = (date?: string): Obj => ({ ocid: 'ocds-x-1', id: `c-${date ?? 'none'}`, tag: ['compiled'], ...(date === undefined ? {} : { date }) });
const release = (date: string): Obj => ({ ocid: 'ocds-x-1', id: `r-${date}`, tag: ['contract'], date });

test('of two compiled releases of one instant before the history, the one read last is the state the releases start from', () => {
  const out = compiledReleasesBeside([compiled('2020-01-01T00:00:00Z'), compiled('2020-01-01T00:00:00Z'), release('2020-02-01T00:00:00Z')]);
  expect(out).toEqual({ base: 1, leftOut: [{ at: 0, message: COMPILED_EARLIER }] });
});

test('compiled releases alone (no history): the latest is kept, an undated one is a state before the dated ones; of several undated, the last read is kept', () => {
  expect(compiledReleasesBeside([compiled(), compiled()])).toEqual({ base: -1, leftOut: [{ at: 0, message: COMPILED_EARLIER }] });
  expect(compiledReleasesBeside([compiled('2020-01-01T00:00:00Z'), compiled()])).toEqual({ base: -1, leftOut: [{ at: 1, message: COMPILED_EARLIER }] });
  // one compiled release beside its history, dated at or after it: left out as what they merge into
  expect(compiledReleasesBeside([release('2020-01-01T00:00:00Z'), compiled('2020-01-01T00:00:00Z')])).toEqual({ base: -1, leftOut: [{ at: 1, message: COMPILED_BESIDE }] });
});
