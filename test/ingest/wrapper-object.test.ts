/**
 * An XML export turned into JSON (xmltodict, xml2json) writes a 2024 list's wrapper once, its items
 * under it: `"titulaires":{"titulaire":{…}}` (one item) or `{"titulaire":[…]}` (several), where the
 * 2024 JSON schema writes `[{"titulaire":{…}}]`. In a flat list (a root array, `{"marches":[…]}`, JSON
 * Lines) such a record was read as 2019: the 2019 rule cut its id (`2024-OCC010-00` lost its `00`),
 * and the same contract got another ocid than its twin written as the schema writes it. Either form
 * is 2024's now; a 2019 record so turned still names its buyer and place, and stays 2019.
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
  datePublicationDonnees: '2024-03-02', montant: 60000, titulaires,
});
const concession = (concessionnaires: unknown): Record<string, unknown> => ({
  id: '2024-DSP-00', autoriteConcedante: { id: BUYER }, nature: 'Concession de service', objet: 'Piscine', procedure: 'Procédure non négociée ouverte',
  dureeMois: 60, dateSignature: '2024-01-05', datePublicationDonnees: '2024-01-10', dateDebutExecution: '2024-02-01', valeurGlobale: 1500000, concessionnaires,
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
  const named = { ...marche({ titulaire: { ...SUPPLIER, denominationSociale: 'ACME' } }), acheteur: { id: BUYER, nom: 'Ville de Croix' }, lieuExecution: { code: '59170', typeCode: 'Code postal', nom: 'Croix' } };
  const r = await readBytes(JSON.stringify({ marches: [named, marche({ titulaire: null }), marche({ titulaire: '' })] }));
  expect(r.records.map((x) => x.version)).toEqual(['2019', '2019', '2019']);
  expect(ocidOf(r.records[0]!)).toBe(`ocds-78apv2-${BUYER}-2024-OCC010`);
});
