/**
 * A DECP document that keeps some of its records in a list under another name beside `marches`
 * (`{"marches":[…],"contrats":[…]}`): the lists under `marches` are read whatever their names, but
 * one beside it was taken for the document's metadata, and its records were left out without a word
 * (found by a probe: read 1, converted 1, exit 0, a concession lost). They are read now, said once per
 * list; a list of metadata beside them (no DECP record in it) stays metadata.
 */
import { chunked, collect, readBytes } from '../helpers/ingest.js';
import { readChunks } from '../../src/ingest/reader.js';

const M = { id: 'M1', acheteur: { id: '21590163800019' }, nature: 'Marché', objet: 'Voirie', codeCPV: '45000000-7', procedure: 'Procédure adaptée', dureeMois: 12, dateNotification: '2024-03-01', datePublicationDonnees: '2024-03-02', montant: 60000, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '80268496900016' } }] };
const C = { id: 'C1', autoriteConcedante: { id: '21590163800019' }, nature: 'Concession de service', objet: 'Piscine', procedure: 'Procédure non négociée ouverte', dureeMois: 60, dateSignature: '2024-01-05', datePublicationDonnees: '2024-01-10', dateDebutExecution: '2024-02-01', valeurGlobale: 1500000, concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }] };

describe.each([
  ['after marches', { marches: [M], contrats: [C, { marche: { ...M, id: 'M2' } }, 'x'], sources: [{ nom: 'profil acheteur', url: 'https://example.org' }], statistiques: [{ id: '2024', libelle: 'Année 2024', montant: 60000, nombre: 1 }], departements: [{ id: '75', nom: 'Paris', codeCPV: '45000000' }] }],
  ['before marches, 2024 container', { contrats: [C, { marche: { ...M, id: 'M2' } }, 'x'], sources: [{ nom: 'profil acheteur', url: 'https://example.org' }], statistiques: [{ annee: 2024, montant: 60000 }], marches: { marche: [M] } }],
])('records in a list beside "marches", %s', (_what, doc) => {
  test.each([0, 5, 61])('are read, said; the metadata list is not (chunks of %i bytes, 0: whole)', async (size) => {
    const text = JSON.stringify(doc, null, 1);
    const r = await readBytes(text, {}, size === 0 ? undefined : size);
    expect(r.records.map((x) => [x.type, x.data['id']])).toEqual([['marche', 'M1'], ['contrat-concession', 'C1'], ['marche', 'M2']]);
    expect(r.rejects.map((x) => [x.code, x.reason])).toEqual([['INGEST_RECORD_NOT_OBJECT', expect.stringMatching(/^item 3 of "contrats"/)]]);
    expect([r.summary.read, r.summary.accepted, r.summary.rejected]).toEqual([4, 3, 1]);
    expect(r.summary.issues.filter((i) => i.code === 'INGEST_FILE_SYNTAX').map((i) => i.message)).toEqual([expect.stringMatching(/^DECP records in a list under "contrats" beside the document's "marches".*its 3 item\(s\) are read as records$/)]);
  });
});

test('a document whose own fields pass the record size limit says they are not read', async () => {
  const r = await readBytes(JSON.stringify({ marches: [M], contrats: Array(20).fill(C) }), { maxRecordBytes: 2000 });
  expect(r.records).toHaveLength(1);
  expect(r.summary.issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/own fields beside "marches".*larger than the record size limit: not read/));
});

test('a list whose name says its records were left out (rejected, duplicates) is said, not read', async () => {
  const r = await readBytes(JSON.stringify({ marches: [M], rejets: [{ ...M, id: 'X1', motif: 'doublon' }] }));
  expect(r.records.map((x) => x.data['id'])).toEqual(['M1']);
  expect([r.summary.read, r.summary.accepted, r.summary.rejected]).toEqual([1, 1, 0]);
  expect(r.summary.issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/^a list under "rejets" beside the document's "marches".*its 1 item\(s\) are not read$/));
});

// found by a probe: the records of a list beside `marches`, read at the document's end, were given all
// at once whatever --sample said: `--sample 2` on one marché and three in "contrats" gave four
// (so were those of a document inside a wrapper, `{"data":{"marches":[…]}}`, read as one record: all of them)
test.each([
  ['a list beside "marches"', { marches: [M], contrats: [C, { ...M, id: 'M2' }, { ...M, id: 'M3' }] }],
  ['a document inside a wrapper', { data: { marches: [M, C, { ...M, id: 'M2' }, { ...M, id: 'M3' }] } }],
])('--sample N gives N records of the document, those of %s as far as N wants them', async (_what, doc) => {
  const bytes = Buffer.from(JSON.stringify(doc, null, 1));
  const info = { file: 'test.json', sha256: 'test', size: bytes.length, compressed: null };
  const whole = await collect(readChunks(chunked(bytes, bytes.length), info, {}));
  expect(whole.records.map((x) => x.data['id'])).toEqual(['M1', 'C1', 'M2', 'M3']);
  for (const n of [1, 2, 3, 4, 5]) {
    const got = await collect(readChunks(chunked(bytes, bytes.length), info, {}, { used: 0, limit: n }));
    const want = Math.min(n, 4);
    expect([n, got.records.map((x) => x.data['id'])]).toEqual([n, whole.records.slice(0, want).map((x) => x.data['id'])]);
    expect([n, got.summary.read, got.summary.accepted, got.summary.rejected]).toEqual([n, want, want, 0]);
    // (each record's index its place among those given)
    expect(got.records.map((x) => x.provenance.index)).toEqual([...Array(want).keys()]);
  }
});

// found by a probe: a list of flat DECP rows beside "marches" (`acheteur_id`, a contract's rows one after
// the other) was taken for the document's metadata, its contracts lost without a word (read 1: the one
// under "marches"); read now, its rows grouped as those of a flat list are, and --sample gives N of them
test('flat DECP rows in a list beside "marches" are read, a contract\'s rows one record; --sample N gives N', async () => {
  const row = (id: string, s: string): Record<string, string> => ({ id, acheteur_id: '21590163800019', objet: `Travaux ${id}`, montant: '1000', dateNotification: '2023-03-01', codeCPV: '45000000', titulaire_id: s, titulaire_typeIdentifiant: 'SIRET' });
  const doc = { marches: [row('T1', '80268496900016'), row('T1', '44189140500017')], contrats: [row('T2', '80268496900016'), row('T3', '80268496900016'), row('T3', '44189140500017')] };
  const bytes = Buffer.from(JSON.stringify(doc, null, 1));
  const info = { file: 'test.json', sha256: 'test', size: bytes.length, compressed: null };
  const whole = await collect(readChunks(chunked(bytes, bytes.length), info, {}));
  expect(whole.records.map((x) => [x.data['id'], x.data['titulaire_id_2'] ?? null])).toEqual([['T1', '44189140500017'], ['T2', null], ['T3', '44189140500017']]);
  expect([whole.summary.read, whole.summary.accepted]).toEqual([3, 3]);
  expect(whole.summary.issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/^DECP records in a list under "contrats" beside the document's "marches".*its 3 item\(s\) are read as records$/));
  for (const n of [1, 2, 3]) {
    const got = await collect(readChunks(chunked(bytes, bytes.length), info, {}, { used: 0, limit: n }));
    expect([n, got.records.map((x) => x.data)]).toEqual([n, whole.records.slice(0, n).map((x) => x.data)]);
    expect([n, got.summary.read, got.summary.types]).toEqual([n, n, { marche: n }]);
  }
});
