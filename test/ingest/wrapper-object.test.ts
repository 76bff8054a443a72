/**
 * An XML export turned into JSON (xmltodict, xml2json) writes a list's wrapper once, its items under
 * it: `"titulaires":{"titulaire":{…}}` (one item) or `{"titulaire":[…]}` (several), where the 2024
 * JSON schema writes `[{"titulaire":{…}}]`. A record so written with a 2024 field is 2024 in a flat
 * list (a root array, `{"marches":[…]}`, JSON Lines), its id whole, one ocid with its twin written as
 * the schema writes it. Without a 2024 field the form says no generation (a 2019 XML export so turned
 * writes it too): the record is 2019, as its twin with its items listed is (found by a review).
 */
import { readBytes } from '../helpers/ingest.js';
import { createConverter } from '../../src/transform/decp/convert-record.js';
import { loadProfile } from '../../src/ingest/profiles.js';
import type { SourceRecord } from '../../src/ingest/types.js';

const converter = createConverter(await loadProfile(), { ocidPrefix: 'ocds-78apv2', runDate: '2026-01-01T00:00:00Z' });

const ocidOf = (r: SourceRecord): string => {
  const out = converter.convert(r);
  if (!out.ok) throw new Error(out.reason);
  return String(out.releases[0]!['ocid']);
};

const BUYER = '21590163800019';
const WHOLE = `ocds-78apv2-${BUYER}-2024-OCC010-00`;
const SUPPLIER = { typeIdentifiant: 'SIRET', id: '80268496900016' };
const marche = (titulaires: unknown): Record<string, unknown> => ({
  id: '2024-OCC010-00', acheteur: { id: BUYER }, nature: 'Marché', objet: 'Voirie', codeCPV: '45000000-7', procedure: 'Procédure adaptée',
  lieuExecution: { code: '59170', typeCode: 'Code postal' }, formePrix: 'Forfaitaire', dureeMois: 12, dateNotification: '2024-03-01',
  datePublicationDonnees: '2024-03-02', montant: 60000, offresRecues: 2, titulaires,
});
const concession = (concessionnaires: unknown): Record<string, unknown> => ({
  id: '2024-DSP-00', autoriteConcedante: { id: BUYER }, nature: 'Concession de service', objet: 'Piscine', procedure: 'Procédure non négociée ouverte',
  dureeMois: 60, dateSignature: '2024-01-05', datePublicationDonnees: '2024-01-10', dateDebutExecution: '2024-02-01', valeurGlobale: 1500000, considerationsSociales: { considerationSociale: ['Pas de considération sociale'] }, concessionnaires,
});

test('a flat list: titulaires and concessionnaires written as one wrapper are 2024, their ids whole, as in the schema form', async () => {
  const forms = [[{ titulaire: SUPPLIER }], { titulaire: SUPPLIER }, { titulaire: [SUPPLIER, { ...SUPPLIER, id: '44189140500017' }] }];
  for (const doc of [JSON.stringify({ marches: forms.map(marche) }), JSON.stringify(forms.map(marche)), forms.map((f) => JSON.stringify(marche(f))).join('\n')]) {
    const r = await readBytes(doc);
    expect(r.rejects).toEqual([]);
    expect(r.records.map((x) => x.version)).toEqual(['2024', '2024', '2024']);
    expect(r.records.map(ocidOf)).toEqual([WHOLE, WHOLE, WHOLE]);
  }
  const c = await readBytes(JSON.stringify({ marches: [concession([{ concessionnaire: SUPPLIER }]), concession({ concessionnaire: SUPPLIER })] }));
  expect(c.records.map((x) => [x.type, x.version])).toEqual([['contrat-concession', '2024'], ['contrat-concession', '2024']]);
  expect(c.records.map(ocidOf)).toEqual(Array(2).fill(`ocds-78apv2-${BUYER}-2024-DSP-00`));
});

test('a 2019 XML export turned into JSON (its buyer and place named) stays 2019, and so does a wrapper holding no item', async () => {
  // (records of 2019's fields alone)
  const of2019 = (titulaires: unknown): Record<string, unknown> => {
    const { offresRecues: _o, ...rest } = marche(titulaires);
    return rest;
  };
  const named = { ...of2019({ titulaire: { ...SUPPLIER, denominationSociale: 'ACME' } }), acheteur: { id: BUYER, nom: 'Ville de Croix' }, lieuExecution: { code: '59170', typeCode: 'Code postal', nom: 'Croix' } };
  const r = await readBytes(JSON.stringify({ marches: [named, of2019({ titulaire: null }), of2019({ titulaire: '' })] }));
  expect(r.records.map((x) => x.version)).toEqual(['2019', '2019', '2019']);
  expect(ocidOf(r.records[0]!)).toBe(`ocds-78apv2-${BUYER}-2024-OCC010`);
});

test('without a 2024 field, a wrapper written once is 2019, as the record with its items listed (one ocid); unnamed buyer and place alike', async () => {
  const bare = (titulaires: unknown): Record<string, unknown> => {
    const { offresRecues: _o, ...rest } = marche(titulaires);
    return { ...rest, id: '2019ABC00' };
  };
  // (its buyer and place without their names, as some 2019 files give them)
  const r = await readBytes(JSON.stringify({ marches: [bare({ titulaire: SUPPLIER }), bare([SUPPLIER])] }));
  expect(r.records.map((x) => x.version)).toEqual(['2019', '2019']);
  expect(r.records.map(ocidOf)).toEqual(Array(2).fill(`ocds-78apv2-${BUYER}-2019ABC`));
});

test('xml2js\' default output of a 2019 XML file (every element a list of one, the root\'s attributes under "$") is read as the 2019 file: no reject for the attributes, the record 2019, one ocid with its twin (found by a probe)', async () => {
  // (`"acheteur": [{"nom": [...]}]`: its name, seen through the list of one, says 2019; it was read as
  // 2024 by its wrapped lists, its id whole, another ocid than the same record from the XML)
  const one = (o: Record<string, unknown>): Record<string, unknown[]> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [v]]));
  const rec = {
    ...one({ id: '2019ABC00', nature: 'Marché', objet: 'Voirie', codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: '12', dateNotification: '2019-03-01', datePublicationDonnees: '2019-03-02', montant: '1000' }),
    acheteur: [one({ id: BUYER, nom: 'Ville de Croix' })],
    lieuExecution: [one({ code: '59170', typeCode: 'Code postal', nom: 'Croix' })],
    titulaires: [{ titulaire: [one({ ...SUPPLIER, denominationSociale: 'ACME' })] }],
  };
  for (const root of [{ $: { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' } }, { '@xmlns:xsi': { uri: 'http://www.w3.org/2001/XMLSchema-instance' } }]) {
    const r = await readBytes(JSON.stringify({ marches: { ...root, marche: [rec] } }, null, 1));
    expect(r.rejects).toEqual([]);
    expect(r.records.map((x) => [x.type, x.version])).toEqual([['marche', '2019']]);
    expect(ocidOf(r.records[0]!)).toBe(`ocds-78apv2-${BUYER}-2019ABC`);
  }
});
