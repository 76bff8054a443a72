/**
 * The OCDS merge reference implementation's own fixtures (../shared/conformance/ocdsmerge,
 * see its SOURCE.md): every compiled fixture passes with the merge rules derived
 * from the schema of its folder, compiled and versioned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileReleases, mergeRulesFromSchema, versionReleases, type JsonValue } from '../../../src/transform/compile/merge.js';
import { SHARED } from '../../helpers/ingest.js';

const BASE = join(SHARED, 'conformance/ocdsmerge');
const FOLDERS: Record<string, string> = { '1.1': 'release-schema-1__1__4.json', '1.0': 'release-schema-1__0__3.json', schema: 'schema.json' };
const read = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));

/** The fixtures of one kind (`-compiled.json` or `-versioned.json`) in every folder, with the schema of their folder. */
const fixtures = (suffix: string): Array<readonly [string, string, string]> =>
  Object.entries(FOLDERS).flatMap(([dir, schema]) =>
    readdirSync(join(BASE, dir))
      .filter((f) => f.endsWith(suffix))
      .map((f) => [`${dir}/${f.replace(suffix, '')}`, dir, schema] as const),
  );

const cases = fixtures('-compiled.json');

test('the fixture set is there', () => expect(cases.length).toBeGreaterThanOrEqual(30));

test.each(cases)('%s (compiled)', (name, _dir, schema) => {
  const rules = mergeRulesFromSchema(read(join(BASE, schema)));
  const input = read(join(BASE, `${name}.json`)) as Array<Record<string, never>>;
  const frozen = JSON.stringify(input);
  const { compiledRelease } = compileReleases(input, rules);
  expect(compiledRelease).toEqual(read(join(BASE, `${name}-compiled.json`)));
  expect(JSON.stringify(input)).toBe(frozen); // inputs are not modified
});

const versioned = fixtures('-versioned.json');

test('the versioned fixture set is there', () => expect(versioned.length).toBeGreaterThanOrEqual(19));

test.each(versioned)('%s (versioned)', (name, _dir, schema) => {
  const rules = mergeRulesFromSchema(read(join(BASE, schema)));
  const input = read(join(BASE, `${name}.json`)) as Array<Record<string, never>>;
  const frozen = JSON.stringify(input);
  expect(versionReleases(input, rules)).toEqual(read(join(BASE, `${name}-versioned.json`)));
  expect(JSON.stringify(input)).toBe(frozen);
});

test('a single release with no schema: id "<ocid>-<date>", tag compiled', () => {
  const { compiledRelease } = compileReleases([{ ocid: 'ocds-213czf-1', id: 'r', date: '2020-01-01T00:00:00Z', tag: ['tender'] }], mergeRulesFromSchema({}));
  expect(compiledRelease).toEqual({ ocid: 'ocds-213czf-1', id: 'ocds-213czf-1-2020-01-01T00:00:00Z', tag: ['compiled'], date: '2020-01-01T00:00:00Z' });
});

test('ids 1 and "1" are different ids; duplicate ids are reported', () => {
  const rules = mergeRulesFromSchema({});
  const r = compileReleases(
    [
      { ocid: 'o', id: 'a', date: '2020-01-01T00:00:00Z', items: [{ id: 1, v: 'number' }, { id: '1', v: 'string' }, { id: 'x', v: 1 }, { id: 'x', v: 2 }] },
    ],
    rules,
  );
  expect(r.compiledRelease['items']).toEqual([{ id: 1, v: 'number' }, { id: '1', v: 'string' }, { id: 'x', v: 2 }]);
  expect(r.warnings.map((w) => w.code)).toEqual(['MERGE_ID_TYPES_MIXED', 'MERGE_DUPLICATE_ID']);
});

test('an item whose id is null has no id: each is an item of its own, as an item without id (never merged into another, nor reported as a duplicate)', () => {
  const releases = [
    { ocid: 'o', id: 'a', date: '2020-01-01T00:00:00Z', items: [{ id: null, v: 1 }, { id: null, v: 2 }] },
    { ocid: 'o', id: 'b', date: '2020-01-02T00:00:00Z', items: [{ id: null, v: 3 }] },
  ];
  const r = compileReleases(releases, mergeRulesFromSchema({}));
  expect(r.compiledRelease['items']).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
  expect(r.warnings.map((w) => w.code)).toEqual([]);
  expect((versionReleases(releases, mergeRulesFromSchema({}))['items'] as JsonValue[]).length).toBe(3);
});

test('a release numbered (`"id": 58125`) is named by its number as text in the warnings, as the store keys it', () => {
  const r = compileReleases(
    [
      { ocid: 'o', id: 58125, date: '2020-01-01T00:00:00Z', tender: { title: 't' } },
      { ocid: 'o', id: 58126, date: '2020-01-01T00:00:00Z', tender: 'oops' },
    ],
    mergeRulesFromSchema({}),
  );
  expect(r.warnings.map((w) => [w.code, w.releaseId])).toEqual([
    ['MERGE_SAME_DATE', '58126'],
    ['MERGE_INCONSISTENT_TYPE', '58126'],
  ]);
});

test('ids that are objects or lists are told apart by their content, not merged as one "[object Object]"', () => {
  const items = [{ id: { a: 1 }, v: 'A' }, { id: { b: 2 }, v: 'B' }, { id: ['x', 'y'], v: 'L' }, { id: ['x,y'], v: 'M' }, { id: 'x,y', v: 'S' }];
  for (const releases of [[{ ocid: 'o', id: 'a', date: '2020-01-01T00:00:00Z', items }], [{ ocid: 'o', id: 'a', date: '2020-01-01T00:00:00Z', items }, { ocid: 'o', id: 'b', date: '2020-01-02T00:00:00Z', items: [{ id: { a: 1 }, w: 1 }] }]]) {
    const r = compileReleases(releases, mergeRulesFromSchema({}));
    expect((r.compiledRelease['items'] as JsonValue[]).map((x) => (x as { v: string }).v)).toEqual(['A', 'B', 'L', 'M', 'S']);
    expect(r.warnings.map((w) => w.code)).toEqual([]);
  }
  const versioned = versionReleases([{ ocid: 'o', id: 'a', date: '2020-01-01T00:00:00Z', items }], mergeRulesFromSchema({}));
  expect((versioned['items'] as JsonValue[]).length).toBe(5);
});

test('missing dates, equal dates and inconsistent types are reported', () => {
  const r = compileReleases(
    [
      { ocid: 'o', id: 'a', date: '2020-01-01T00:00:00Z', tender: { title: 't' } },
      { ocid: 'o', id: 'b', date: '2020-01-01T00:00:00Z', tender: 'oops' },
      { ocid: 'o', id: 'c', tender: { title: 'u' } },
    ],
    mergeRulesFromSchema({}),
  );
  expect(r.warnings.map((w) => [w.code, w.releaseId])).toEqual([
    ['MERGE_NO_DATE', 'c'],
    ['MERGE_SAME_DATE', 'b'],
    ['MERGE_INCONSISTENT_TYPE', 'b'],
  ]);
});

test('a date that names no instant ("not a date", "", 2020-02-30) orders nothing: reported as a missing one is; one release alone is not ordered, nor warned (found by a robustness probe)', () => {
  const rules = mergeRulesFromSchema({});
  const r = compileReleases(
    [
      { ocid: 'o', id: 'a', date: '2020-01-05T00:00:00Z', tender: { title: 'dated' } },
      { ocid: 'o', id: 'b', date: 'not a date', tender: { title: 'text' } },
      { ocid: 'o', id: 'c', date: '', tender: { title: 'empty' } },
      { ocid: 'o', id: 'd', date: '2020-02-30', tender: { title: 'no such day' } },
    ],
    rules,
  );
  expect(r.warnings.map((w) => [w.code, w.releaseId, w.message])).toEqual([
    ['MERGE_NO_DATE', 'c', 'the date "" names no instant (RFC 3339): the release cannot be ordered by it; it is merged before the dated ones'],
    ['MERGE_NO_DATE', 'd', 'the date "2020-02-30" names no instant (RFC 3339): the release cannot be ordered by it; it is merged before the dated ones'],
    ['MERGE_NO_DATE', 'b', 'the date "not a date" names no instant (RFC 3339): the release cannot be ordered by it; it is merged before the dated ones'],
  ]);
  // the dated release is merged last: its title stays
  expect(r.compiledRelease['tender']).toEqual({ title: 'dated' });
  expect(compileReleases([{ ocid: 'o', id: 'b', date: 'not a date' }], rules).warnings).toEqual([]);
});

test('one release alone: omitted fields at any depth are left out as the full merge leaves them out', () => {
  const schema = {
    properties: {
      ocid: { type: 'string' },
      id: { type: 'string' },
      date: { type: 'string' },
      meta: { type: 'object', properties: { secret: { type: 'string', omitWhenMerged: true }, keep: { type: 'string' } } },
      only: { type: 'object', properties: { secret: { type: 'object', omitWhenMerged: true } } },
      items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, secret: { type: 'string', omitWhenMerged: true } } } },
      whole: { type: 'array', wholeListMerge: true, items: { type: 'object', properties: { id: { type: 'string' }, secret: { type: 'string', omitWhenMerged: true } } } },
    },
  };
  const rules = mergeRulesFromSchema(schema);
  const release = {
    ocid: 'o', id: 'r1', date: '2020-01-01T00:00:00Z',
    meta: { secret: 's', keep: 'k' },
    only: { secret: { a: 1 } },
    items: [{ id: 'a', secret: 's' }, { secret: 's' }],
    whole: [{ id: 'w', secret: 's' }],
  };
  const frozen = JSON.stringify(release);
  const alone = compileReleases([release], rules).compiledRelease;
  expect(alone).toEqual({
    ocid: 'o', id: 'o-2020-01-01T00:00:00Z', tag: ['compiled'], date: '2020-01-01T00:00:00Z',
    meta: { keep: 'k' },
    items: [{ id: 'a' }, {}],
    whole: [{ id: 'w', secret: 's' }],
  });
  expect(JSON.stringify(release)).toBe(frozen); // the release itself is not changed
  // the same as the full merge (an earlier empty release forces it)
  const full = compileReleases([{ ocid: 'o', id: 'r0', date: '2019-01-01T00:00:00Z' }, release], rules).compiledRelease;
  expect(alone).toEqual(full);
});
