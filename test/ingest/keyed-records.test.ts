/**
 * Records written as an object keyed by their positions or ids where their list belongs: PHP's
 * json_encode of an array with a gap (after a filter), `{"marches":{"marche":{"0":{…},"2":{…}}}}`, or
 * an export keyed by the records' ids. The object was read as one record (a reject without an id,
 * every contract in it lost), or, at the root, as an envelope of its first value (the others lost
 * unsaid). Found by a probe of unseen files.
 */
import { readBytes } from '../helpers/ingest.js';

const rec = (id: string, montant: number): Record<string, unknown> => ({
  id, acheteur: { id: '21590163800019' }, nature: 'Marché', objet: `Voirie ${id}`, codeCPV: '45000000', procedure: 'Procédure adaptée',
  dureeMois: 12, dateNotification: '2024-03-01', datePublicationDonnees: '2024-03-02', montant, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '80268496900016' } }],
});

describe.each([
  ['keyed by position under the 2024 container', { marches: { marche: { 0: rec('A', 1), 2: rec('B', 2) } } }, ['/0', '/2']],
  ['keyed by id under the 2024 container', { marches: { marche: { A: rec('A', 1), B: rec('B', 2) } } }, ['/A', '/B']],
  ['keyed by position at the root', { 0: rec('A', 1), 2: rec('B', 2) }, ['/0', '/2']],
  ['keyed by position, each under its element\'s name', { marches: { marche: { 1: { marche: rec('A', 1) }, 2: { marche: rec('B', 2) } } } }, ['/1', '/2']],
])('%s', (_what, doc, _keys) => {
  test.each([0, 5, 64])('each value is a record, at its own line (chunks of %i bytes, 0: whole)', async (size) => {
    const text = JSON.stringify(doc, null, 1);
    const r = await readBytes(text, {}, size === 0 ? undefined : size);
    expect(r.rejects).toEqual([]);
    expect(r.records.map((x) => [x.type, x.version, x.data['id'], x.data['montant']])).toEqual([['marche', '2024', 'A', 1], ['marche', '2024', 'B', 2]]);
    const lines = text.split('\n');
    // (each record's line is its key's, where its object opens)
    expect(r.records.map((x) => lines[x.provenance.line - 1]!.trim())).toEqual(_keys.map((k) => `"${k.slice(1)}": {`));
    expect(r.summary.issues.filter((i) => i.message.startsWith('records are written as an object keyed'))).toHaveLength(1);
  });
});

test('an object of records under other names than their ids or positions is not taken apart (which one?), nor is one with a value that is no object', async () => {
  const two = await readBytes(JSON.stringify([{ a: rec('A', 1), b: rec('B', 2) }]));
  expect(two.records.map((x) => x.type)).toEqual(['unknown']);
  const mixed = await readBytes(JSON.stringify({ marches: { marche: { 0: rec('A', 1), 1: 'B' } } }));
  expect(mixed.records).toHaveLength(1);
  expect(mixed.summary.issues.some((i) => i.message.startsWith('records are written as an object keyed'))).toBe(false);
});
