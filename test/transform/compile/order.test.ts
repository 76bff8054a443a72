/**
 * Releases of one date are merged in the order of their amendment chain (`amendsReleaseID`), then
 * input order: the chain walked without recursion (a record of 16,000 modifications on one day
 * overflowed the stack), a loop of amendments put after every chain.
 */
import { compileReleases, versionReleases, type JsonValue } from '../../../src/transform/compile/merge.js';

type Obj = { [k: string]: JsonValue };
const DATE = '2024-01-01T00:00:00Z';
const release = (id: string, amends: string | null, amount: number): Obj => ({
  ocid: 'ocds-x-1',
  id,
  date: DATE,
  tag: [amends === null ? 'contract' : 'contractAmendment'],
  contracts: [{ id: 'k', value: { amount, currency: 'EUR' }, ...(amends === null ? {} : { amendments: [{ id: id, amendsReleaseID: amends, releaseID: id }] }) }],
});
const amountOf = (r: Obj): unknown => ((r['contracts'] as Obj[])[0]!['value'] as Obj)['amount'];

test('a chain given backwards is merged from its start: the last amendment wins', () => {
  const releases = [release('c', 'b', 3), release('b', 'a', 2), release('a', null, 1)];
  const out = compileReleases(releases, new Map());
  expect(out.order.map((i) => releases[i]!['id'])).toEqual(['a', 'b', 'c']);
  expect(amountOf(out.compiledRelease)).toBe(3);
});

test('20,000 amendments of one day, given backwards: merged in chain order, no stack overflow', () => {
  const n = 20_000;
  const releases = Array.from({ length: n }, (_, k) => release(`r${n - 1 - k}`, k === n - 1 ? null : `r${n - 2 - k}`, n - 1 - k));
  const out = compileReleases(releases, new Map());
  expect(out.order.map((i) => releases[i]!['id'])).toEqual(Array.from({ length: n }, (_, k) => `r${k}`));
  expect(amountOf(out.compiledRelease)).toBe(n - 1);
});

test('a loop of amendments (a amends b, b amends a) comes after the chains, in input order', () => {
  const releases = [release('a', 'b', 1), release('b', 'a', 2), release('c', 'd', 3), release('d', null, 4)];
  const out = compileReleases(releases, new Map());
  expect(out.order.map((i) => releases[i]!['id'])).toEqual(['d', 'c', 'a', 'b']);
});

test('dates are ordered by the instant they name, not by their text (offsets, fractions of a second)', () => {
  const titled = (id: string, date: string, title: string): Obj => ({ ocid: 'ocds-x-1', id, date, tag: ['tender'], tender: { title } });
  // 01:30 at +01:00 is 00:30Z: before 01:00Z, which the text's order puts first
  const offsets = [titled('r1', '2020-03-29T01:30:00+01:00', 'first'), titled('r2', '2020-03-29T01:00:00Z', 'second')];
  const a = compileReleases(offsets, new Map());
  expect(a.order).toEqual([0, 1]);
  expect(a.compiledRelease['tender']).toEqual({ title: 'second' });
  expect(a.compiledRelease['date']).toBe('2020-03-29T01:00:00Z');
  expect(a.compiledRelease['id']).toBe('ocds-x-1-2020-03-29T01:00:00Z');
  const fractions = [titled('r2', '2020-01-01T00:00:00.500Z', 'second'), titled('r1', '2020-01-01T00:00:00Z', 'first')];
  expect(compileReleases(fractions, new Map()).order).toEqual([1, 0]);
  expect((versionReleases(fractions, new Map())['tender'] as Obj)['title']).toEqual([
    { releaseID: 'r1', releaseDate: '2020-01-01T00:00:00Z', releaseTag: ['tender'], value: 'first' },
    { releaseID: 'r2', releaseDate: '2020-01-01T00:00:00.500Z', releaseTag: ['tender'], value: 'second' },
  ]);
  // one instant written with two offsets is one date: the amendment chain, then input order, decides
  const same = [titled('b', '2020-01-01T10:00:00+02:00', 'b'), titled('a', '2020-01-01T08:00:00Z', 'a')];
  const c = compileReleases(same, new Map());
  expect(c.order).toEqual([0, 1]);
  expect(c.warnings.map((w) => w.code)).toEqual(['MERGE_SAME_DATE']);
});

test('a date past the calendar (30 February, 24:30, an offset of +25:00) names no instant: it comes before dated releases, as any text that is no date', () => {
  const at = (id: string, date: string): Obj => ({ ocid: 'ocds-x-1', id, date, tag: ['tender'] });
  for (const bad of ['2020-02-30T00:00:00Z', '2020-01-01T24:30:00Z', '2020-01-01T12:00:00+25:00', '2021-02-29', '2020-01-01T10:00:00+02']) {
    const releases = [at('good', '2019-12-31T00:00:00Z'), at('bad', bad)];
    expect([bad, compileReleases(releases, new Map()).order]).toEqual([bad, [1, 0]]);
  }
  // years before 100 are years (not 1900–1999); a leap second is the end of its minute, not the next one
  const early = [at('b', '1950-01-01'), at('a', '0050-01-01')];
  expect(compileReleases(early, new Map()).order).toEqual([1, 0]);
  const leap = [at('next', '2016-12-31T23:59:60Z'), at('last', '2017-01-01T00:00:00Z'), at('before', '2016-12-31T23:59:59Z')];
  const out = compileReleases(leap, new Map());
  expect(out.order).toEqual([2, 0, 1]);
  expect(out.warnings.map((w) => w.code)).toEqual([]);
  // 2024-02-29 is a day (a leap year), and a date without zone is UTC
  expect(compileReleases([at('z', '2024-02-29T10:00:00Z'), at('n', '2024-02-29T09:30:00')], new Map()).order).toEqual([1, 0]);
});
