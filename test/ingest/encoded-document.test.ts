/**
 * A JSON document written as one JSON string (`"{\"marches\": …}"`: an API's answer saved encoded
 * twice) was taken for CSV — "is CSV: its rows are read through a mapping profile" —, exit 3, every
 * contract lost (found by a probe). It is read as the document it holds, said once; past the record
 * size limit (it is one value) it is refused with what to do.
 */
import { readBytes } from '../helpers/ingest.js';

const DOC = { marches: { marche: [0, 1].map((i) => ({ id: `E${i}`, acheteur: { id: '21590163800019' }, nature: 'Marché', objet: `Voirie "${i}"\n`, codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 3, dateNotification: '2024-12-06', datePublicationDonnees: '2024-12-07', montant: 100 + i, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '80268496900016' } }] })) } };

test.each([
  ['compact', JSON.stringify(JSON.stringify(DOC))],
  ['indented, after blank lines', `\n  ${JSON.stringify(JSON.stringify(DOC, null, 2))}\n`],
])('a document encoded twice (%s) is read as the document it holds, whatever the chunks', async (_what, text) => {
  for (const size of [undefined, 1, 5, 64]) {
    const r = await readBytes(text, {}, size);
    expect(r.summary.error).toBeUndefined();
    expect(r.summary.format).toBe('decp-json');
    expect(r.records.map((x) => [x.data['id'], x.data['objet'], x.data['montant']])).toEqual([['E0', 'Voirie "0"\n', 100], ['E1', 'Voirie "1"\n', 101]]);
    expect(r.summary.issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/^the file is one JSON string that holds a JSON document \(encoded twice/));
  }
});

test('past the record size limit it is refused, with what to do; a string that is no document stays one rejected value', async () => {
  const big = await readBytes(JSON.stringify(JSON.stringify(DOC)), { maxRecordBytes: 300 });
  expect(big.summary.error).toEqual(expect.objectContaining({ code: 'INGEST_UNKNOWN_FORMAT', message: expect.stringContaining('decode it first (jq -r .') }));
  const plain = await readBytes('"hello"');
  expect(plain.records).toEqual([]);
  expect(plain.rejects).toHaveLength(1);
});
