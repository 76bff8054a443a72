/**
 * Records one level down in their list's items, each item an export's envelope of its own: an
 * Opendatasoft export (`[{"datasetid":…,"recordid":…,"fields":{<record>},"record_timestamp":…}]`),
 * Elasticsearch's hits (`{"hits":{"hits":[{"_id":…,"_source":{<record>}}]}}`). The items were
 * rejected as records of no known type (a root array), or the whole document was one reject (an
 * envelope): every contract lost (found by a probe). Each item's record is read where it is, said
 * once; JSON Lines of such items were read already.
 */
import { readBytes } from '../helpers/ingest.js';

const rec = (i: number): Record<string, unknown> => ({
  id: `L${i}`, acheteur: { id: '21590163800019' }, nature: 'Marché', objet: `Voirie ${i}`, codeCPV: '45000000-7', procedure: 'Procédure adaptée',
  dureeMois: 12, dateNotification: '2024-03-01', datePublicationDonnees: '2024-03-02', montant: 1000 + i, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '80268496900016' } }],
});
const IDS = ['L0', 'L1', 'L2'];

describe.each([
  ['an Opendatasoft export (a root array)', JSON.stringify([0, 1, 2].map((i) => ({ datasetid: 'decp', recordid: `r${i}`, fields: rec(i), record_timestamp: '2024-03-03T00:00:00Z', geometry: null })), null, 1)],
  ['Elasticsearch hits (an envelope)', JSON.stringify({ took: 3, hits: { total: 3, hits: [0, 1, 2].map((i) => ({ _index: 'decp', _id: `r${i}`, _score: 1, _source: rec(i) })) } })],
  // (the Opendatasoft API's search output, v1: its list is named `records`, as an OCDS record
  // package's; its items, without `ocid`, were each rejected as an OCDS record without releases)
  ['the Opendatasoft API\'s search output (a list named records)', JSON.stringify({ nhits: 3, parameters: { dataset: 'decp', rows: 10, format: 'json' }, records: [0, 1, 2].map((i) => ({ datasetid: 'decp', recordid: `r${i}`, fields: rec(i), record_timestamp: '2024-03-03T00:00:00Z' })) })],
  // (a search that asks for `fields` gets each hit's values again beside `_source`, every one a list:
  // `{"id":["L0"],"acheteur.id":[…]}`; read as a second, flat record, the hit held two and the whole
  // document was one reject)
  ['Elasticsearch hits with their fields beside _source', JSON.stringify({ took: 3, hits: { total: 3, hits: [0, 1, 2].map((i) => ({ _index: 'decp', _id: `r${i}`, _source: rec(i), fields: { id: [`L${i}`], 'acheteur.id': ['21590163800019'], nature: ['Marché'], montant: [1000 + i], dateNotification: ['2024-03-01'] } })) } })],
  // (the same pages joined in a list, as `jq -s` writes them, or one page in an API's envelope: their
  // `records` items were still each rejected as an OCDS record without releases)
  ['the Opendatasoft API\'s pages joined in a list', JSON.stringify([[0, 1], [2]].map((is) => ({ nhits: 3, records: is.map((i) => ({ datasetid: 'decp', recordid: `r${i}`, fields: rec(i) })) })))],
  ['an Opendatasoft API page in an envelope', JSON.stringify({ status: 'ok', result: { nhits: 3, records: [0, 1, 2].map((i) => ({ datasetid: 'decp', recordid: `r${i}`, fields: rec(i) })) } })],
  ['items holding a record under its element\'s name', JSON.stringify({ marches: [0, 1, 2].map((i) => ({ recordid: `r${i}`, fields: { marche: rec(i) } })) })],
])('%s', (_what, doc) => {
  test.each([0, 3, 64])('each item\'s record is read, said once (chunks of %i bytes, 0: whole)', async (size) => {
    const r = await readBytes(doc, {}, size === 0 ? undefined : size);
    expect(r.rejects).toEqual([]);
    expect(r.records.map((x) => [x.type, x.version, x.data['id'], x.data['montant']])).toEqual(IDS.map((id, i) => ['marche', '2024', id, 1000 + i]));
    expect(r.summary.issues.filter((i) => i.message.startsWith('each record is held one level down'))).toHaveLength(1);
  });
});

test('an item holding two records, or none, is not taken apart', async () => {
  const r = await readBytes(JSON.stringify([{ a: rec(0), b: rec(1) }, { recordid: 'x', fields: { nom: 'y' } }]));
  expect(r.records.every((x) => x.type === 'unknown')).toBe(true);
  expect(r.summary.issues.some((i) => i.message.startsWith('each record is held one level down'))).toBe(false);
});

// (Opendatasoft's DECP datasets hold each record flat, its buyer a column of its own: `acheteur_id`,
// `titulaire_id_1`. Those items were rejected whole, "records of type unknown", where the same flat
// record as an item of a root array was read: its buyer by the key so spelt)
const flat = (i: number): Record<string, unknown> => ({
  id: `F${i}`, acheteur_id: '21590163800019', nature: 'Marché', objet: `Voirie ${i}`, codecpv: '45000000', procedure: 'Procédure adaptée',
  dureemois: 12, datenotification: '2023-03-01', montant: 1000 + i, titulaire_id_1: '80268496900016', titulaire_typeidentifiant_1: 'SIRET',
});

describe.each([
  ['an Opendatasoft export', (items: unknown[]) => JSON.stringify(items)],
  ['the Opendatasoft API\'s search output', (items: unknown[]) => JSON.stringify({ nhits: items.length, records: items })],
])('%s of flat records', (_what, write) => {
  test('each item\'s flat record is read where it is, said once', async () => {
    const r = await readBytes(write([0, 1].map((i) => ({ datasetid: 'decp', recordid: `r${i}`, fields: flat(i), record_timestamp: '2024-03-03T00:00:00Z' }))));
    expect(r.rejects).toEqual([]);
    expect(r.records.map((x) => [x.type, x.data['id'], x.data['acheteur_id'], x.data['montant']])).toEqual([['marche', 'F0', '21590163800019', 1000], ['marche', 'F1', '21590163800019', 1001]]);
    expect(r.summary.issues.filter((i) => i.message.startsWith('each record is held one level down'))).toHaveLength(1);
  });
});

test('an item holding a flat object with no buyer column is not taken for a record', async () => {
  const r = await readBytes(JSON.stringify([{ recordid: 'x', fields: { id: 'A', montant: 12, objet: 'y' } }]));
  expect(r.records.every((x) => x.type === 'unknown')).toBe(true);
});
