/**
 * Releases of one date are merged in the order of their amendment chain (`amendsReleaseID`), then
 * input order: the chain walked without recursion (a record of 16,000 modifications on one day
 * overflowed the stack), a loop of amendments put after every chain.
 */
import fc from 'fast-check';
import { compileReleases, instantOf, versionReleases, type JsonValue } from '../../../src/transform/compile/merge.js';

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

test('a cumulative amendments list (each release repeats the earlier amendments) is read by the release\'s own amendment: the same order whatever the input order', () => {
  const amendment = (id: string, amends: string, made: string): Obj => ({ id, amendsReleaseID: amends, releaseID: made });
  const at = (id: string, amount: number, amendments: Obj[]): Obj => ({ ocid: 'ocds-x-1', id, date: DATE, tag: ['contractAmendment'], contracts: [{ id: 'k', value: { amount, currency: 'EUR' }, amendments }] });
  const r0 = release('r0', null, 50);
  const r1 = at('r1', 100, [amendment('1', 'r0', 'r1')]);
  const r2 = at('r2', 200, [amendment('1', 'r0', 'r1'), amendment('2', 'r1', 'r2')]);
  for (const releases of [[r2, r1, r0], [r0, r1, r2], [r1, r2, r0], [r2, r0, r1]]) {
    const out = compileReleases(releases, new Map());
    expect(out.order.map((i) => releases[i]!['id'])).toEqual(['r0', 'r1', 'r2']);
    expect(amountOf(out.compiledRelease)).toBe(200);
  }
});

test('a cumulative amendments list of numbered releases (`releaseID` a number, as the release\'s own `id`) is read by the release\'s own amendment too', () => {
  const amendment = (id: string, amends: string, made: number): Obj => ({ id, amendsReleaseID: amends, releaseID: made });
  const at = (id: number, amount: number, amendments: Obj[]): Obj => ({ ocid: 'ocds-x-1', id, date: DATE, tag: ['contractAmendment'], contracts: [{ id: 'k', value: { amount, currency: 'EUR' }, amendments }] });
  const r0 = at(100, 50, []);
  const r1 = at(101, 100, [amendment('1', '100', 101)]);
  const r2 = at(102, 200, [amendment('1', '100', 101), amendment('2', '101', 102)]);
  for (const releases of [[r2, r1, r0], [r0, r1, r2], [r1, r2, r0], [r2, r0, r1]]) {
    const out = compileReleases(releases, new Map());
    expect(out.order.map((i) => releases[i]!['id'])).toEqual([100, 101, 102]);
    expect(amountOf(out.compiledRelease)).toBe(200);
  }
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
  for (const bad of ['2020-02-30T00:00:00Z', '2020-01-01T24:30:00Z', '2020-01-01T12:00:00+25:00', '2021-02-29', '2020-01-01T10:00:00+2']) {
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

/**
 * The regular expression instantOf was first written with: the oracle its hand-written reading must
 * agree with (offsets also as ISO 8601 writes them without a colon, `+0200`, `+02`; a fraction of a
 * millisecond kept).
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:[Zz]|([+-])(\d{2})(?::(\d{2})|(\d{2}))?)?)?$/;
function instantByRegex(date: string): number | null {
  const m = DATE_TIME.exec(date);
  if (m === null) return null;
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k] ?? 0)) as [number, number, number, number, number, number];
  const days = mo === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || sec > 60) return null;
  const offsetH = Number(m[9] ?? 0);
  const offsetM = Number(m[10] ?? m[11] ?? 0);
  if (offsetH > 23 || offsetM > 59) return null;
  const ms = sec === 60 ? 999 : m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  const at = new Date(Date.UTC(2000, mo - 1, d, h, mi, Math.min(sec, 59), Math.floor(ms)));
  at.setUTCFullYear(y);
  return at.getTime() - (m[8] === '-' ? -1 : 1) * (offsetH * 60 + offsetM) * 60_000 + (ms - Math.floor(ms));
}

test('a release date is read as the RFC 3339 grammar reads it, whatever text it is', () => {
  const cases = [
    '2024-01-01', '2024-01-01T10:00', '2024-01-01T10:00Z', '2024-01-01t10:00:00z', '2024-01-01 10:00:00+02:00', '2024-02-29T00:00:00-01:30',
    '2023-02-29', '2024-13-01', '2024-00-10', '2024-01-32', '2024-01-01T24:00', '2024-01-01T23:60', '2024-12-31T23:59:60Z', '2024-12-31T23:59:61Z',
    '2024-01-01T10:00:00.1Z', '2024-01-01T10:00:00.123456789+05:45', '2024-01-01T10:00:00.1234567890Z', '2024-01-01T10:00:00.Z', '2024-01-01T10:00:00+24:00',
    '2024-01-01T10:00:00+02:60', '2024-01-01T10:00:00+0200', '2024-01-01Z', '0000-02-29', '0099-12-31T23:59:59Z', '0100-01-01', '9999-12-31T23:59:59.999-23:59',
    '2024-01-01T10', '2024-01-01T10:0', '2024-01-01T10:00:0', '2024-01-01T10:00:00+02:0', '2024-01-01T10:00:00+02:000', '２０２４-01-01', '2024-1-01', ' 2024-01-01', '',
    '2018-12-19T10:00:00+02', '2018-12-19T10:00:00-0530', '2018-12-19T10:00:00+020', '2018-12-19T10:00:00+2', '2020-01-01T00:00:44.033852+03:00', '2020-01-01T00:00:44.0339+03:00',
  ];
  for (const c of cases) expect([c, instantOf(c)]).toEqual([c, instantByRegex(c)]);
  const digit = fc.constantFrom(...'0123456789');
  const piece = fc.oneof(fc.array(digit, { minLength: 1, maxLength: 4 }).map((a) => a.join('')), fc.constantFrom('-', ':', 'T', 't', ' ', '.', 'Z', 'z', '+', 'x'));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 14 }), fc.date({ min: new Date(Date.UTC(-1, 0, 1)), max: new Date(Date.UTC(10000, 0, 1)), noInvalidDate: true }), (parts, date) => {
      const text = parts.join('');
      expect(instantOf(text)).toBe(instantByRegex(text));
      const iso = date.toISOString().replace(/^\+0*(\d{4})/, '$1');
      expect(instantOf(iso)).toBe(instantByRegex(iso));
    }),
    { numRuns: 5000 },
  );
});

test('releases of one millisecond are ordered by their microseconds; a `+0200` offset is an offset (found by a partners sweep: Prozorro, `%z`)', () => {
  const dated = (id: string, date: string, title: string): Obj => ({ ocid: 'ocds-x-1', id, date, tag: ['tender'], tender: { id: 't', title } });
  const micro = compileReleases([dated('b', '2021-03-01T10:15:44.033900+03:00', 'LATER'), dated('a', '2021-03-01T10:15:44.033852+03:00', 'EARLIER')], new Map());
  expect(micro.order).toEqual([1, 0]);
  expect((micro.compiledRelease['tender'] as Obj)['title']).toBe('LATER');
  expect(micro.warnings.map((w) => w.code)).not.toContain('MERGE_SAME_DATE');
  const offset = compileReleases([dated('b', '2018-12-19T10:00:00+0200', 'LATER'), dated('a', '2018-12-18T13:20:42Z', 'EARLIER')], new Map());
  expect((offset.compiledRelease['tender'] as Obj)['title']).toBe('LATER');
  expect(instantOf('2018-12-19T10:00:00+0200')).toBe(instantOf('2018-12-19T10:00:00+02:00'));
  expect(instantOf('2018-12-19T10:00:00+02')).toBe(instantOf('2018-12-19T08:00:00Z'));
});
