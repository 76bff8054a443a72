/**
 * The versioned release keeps every value a field had, with the release that gave it (found by a
 * differential test against an independent implementation of the OCDS merge documentation).
 */
import { versionReleases, type JsonValue } from '../../../src/transform/compile/merge.js';

type Obj = { [k: string]: JsonValue };
const rel = (id: string, date: string, fields: Obj): Obj => ({ ocid: 'ocds-x-1', id, date, tag: ['tender'], ...fields });
const v = (id: string, date: string, value: JsonValue): Obj => ({ releaseID: id, releaseDate: date, releaseTag: ['tender'], value });
const D1 = '2020-01-01T00:00:00Z';
const D2 = '2020-01-02T00:00:00Z';
const D3 = '2020-01-03T00:00:00Z';

test('null over an object or a list merged by id keeps its history: each of its values gets a null version', () => {
  const out = versionReleases(
    [
      rel('r1', D1, { tender: { id: 't', title: 'T', items: [{ id: 'i1', quantity: 1 }] }, awards: [{ id: 'a1', title: 'A' }] }),
      rel('r2', D2, { tender: null, awards: null }),
      rel('r3', D3, { tender: { title: 'T3' } }),
    ],
    new Map(),
  );
  expect(out['tender']).toEqual({
    id: [v('r1', D1, 't'), v('r2', D2, null)],
    title: [v('r1', D1, 'T'), v('r2', D2, null), v('r3', D3, 'T3')],
    items: [{ id: 'i1', quantity: [v('r1', D1, 1), v('r2', D2, null)] }],
  });
  expect(out['awards']).toEqual([{ id: 'a1', title: [v('r1', D1, 'A'), v('r2', D2, null)] }]);
});

test('a value whose objects give their keys in another order is the same value: no new version', () => {
  const rules = new Map([['parties.additionalIdentifiers', 'whole' as const]]);
  const out = versionReleases(
    [
      rel('r1', D1, { parties: [{ id: 'p1', additionalIdentifiers: [{ scheme: 'FR-RCS', id: '1' }] }] }),
      rel('r2', D2, { parties: [{ id: 'p1', additionalIdentifiers: [{ id: '1', scheme: 'FR-RCS' }] }] }),
      rel('r3', D3, { parties: [{ id: 'p1', additionalIdentifiers: [{ id: '1', scheme: 'FR-SIRET' }] }] }),
    ],
    rules,
  );
  expect((out['parties'] as Obj[])[0]!['additionalIdentifiers']).toEqual([v('r1', D1, [{ scheme: 'FR-RCS', id: '1' }]), v('r3', D3, [{ id: '1', scheme: 'FR-SIRET' }])]);
});

test('a key that is empty or holds a dot is a key, not a path: its objects keep their ids, rules apply by key', () => {
  // `parties.roles` is merged whole; a top-level key spelled "parties.roles" is not that field
  const rules = new Map([['parties.roles', 'whole' as const]]);
  const out = versionReleases([rel('r1', D1, { '': [{ id: '1', x: 1 }, { id: 1 }], 'parties.roles': [{ id: 'a', x: 2 }], awards: [{ id: { scheme: 'S', n: 1 }, x: 3 }] })], rules);
  expect(out['']).toEqual([{ id: '1', x: [v('r1', D1, 1)] }, { id: 1 }]);
  expect(out['parties.roles']).toEqual([{ id: 'a', x: [v('r1', D1, 2)] }]);
  // an id is kept as it is, even one that is an object
  expect(out['awards']).toEqual([{ id: { scheme: 'S', n: 1 }, x: [v('r1', D1, 3)] }]);
});

test('null over an object whose field already has a null version adds no second one (a new version only when the value changes)', () => {
  const out = versionReleases([rel('r1', D1, { tender: { title: 'T', description: 'd' } }), rel('r2', D2, { tender: { title: null } }), rel('r3', D3, { tender: null })], new Map());
  expect(out['tender']).toEqual({
    title: [v('r1', D1, 'T'), v('r2', D2, null)],
    description: [v('r1', D1, 'd'), v('r3', D3, null)],
  });
});
