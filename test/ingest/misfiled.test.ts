/**
 * A platform that files every contract under one list (`{"marches": {"marche": [… a concession …]}}`,
 * `<marche>` around a concession's fields): the concession was read as a marché and rejected for
 * want of an `acheteur`, though its `autoriteConcedante` is there. Its own buyer says its kind.
 */
import { readBytes } from '../helpers/ingest.js';

const concession = { id: 'C1', autoriteConcedante: { id: '21500222100012' }, nature: 'Concession de service', objet: 'DSP', dureeMois: 60, dateSignature: '2024-01-10', datePublicationDonnees: '2024-02-01', valeurGlobale: 900000, concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '55203253400646' } }] };
const marche = { id: 'M1', acheteur: { id: '21500222100012' }, objet: 'Travaux', montant: 10, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '55203253400646' } }] };

test('JSON: a concession among the marchés, and a marché among the concessions, are read as their own kind, flagged INGEST_RECORD_MISFILED', async () => {
  const r = await readBytes(JSON.stringify({ marches: { marche: [concession, marche], 'contrat-concession': [marche] } }));
  expect(r.records.map((x) => x.type)).toEqual(['contrat-concession', 'marche', 'marche']);
  expect(r.records.map((x) => x.issues.map((i) => i.code))).toEqual([['INGEST_RECORD_MISFILED'], [], ['INGEST_RECORD_MISFILED']]);
});

test('XML: a <marche> holding a concession (autoriteConcedante, no acheteur) is read as a concession, flagged', async () => {
  const r = await readBytes('<marches><marche><id>C1</id><autoriteConcedante><id>21500222100012</id></autoriteConcedante><valeurGlobale>900000</valeurGlobale></marche><marche><id>M1</id><acheteur><id>21500222100012</id></acheteur></marche></marches>');
  expect(r.records.map((x) => x.type)).toEqual(['contrat-concession', 'marche']);
  expect(r.records[0]!.issues.map((i) => i.code)).toEqual(['INGEST_RECORD_MISFILED']);
  expect(r.records[1]!.issues).toEqual([]);
});
