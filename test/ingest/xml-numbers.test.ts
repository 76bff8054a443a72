/**
 * DECP XML numbers are the XSD's: xs:decimal amounts and rates, xs:integer durations, counts and
 * ids. The same record as XML and as JSON gives the same releases (found by an XML/JSON
 * differential fuzz: `<tarif>1.234</tarif>` — a water price per m³ — was read as 1,234 €).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { readBytes } from '../helpers/ingest.js';

const dir = tempDir('xml-numbers-');

function concession2024(v: { valeur: string; subvention: string; depenses: string; tarif: string; duree: string; modId: string; modValeur: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<marches><contrat-concession>
<id>CC2024-1</id><autoriteConcedante><id>21350238800019</id></autoriteConcedante>
<nature>Délégation de service public</nature><objet>Eau potable</objet><procedure>Procédure négociée ouverte</procedure>
<dureeMois>${v.duree}</dureeMois><dateSignature>2024-04-02</dateSignature><datePublicationDonnees>2024-04-12</datePublicationDonnees>
<dateDebutExecution>2024-04-01</dateDebutExecution><valeurGlobale>${v.valeur}</valeurGlobale><montantSubventionPublique>${v.subvention}</montantSubventionPublique>
<donneesExecution><donneesAnnuelles><datePublicationDonneesExecution>2025-04-18</datePublicationDonneesExecution>
<depensesInvestissement>${v.depenses}</depensesInvestissement>
<tarifs><tarif><intituleTarif>Prix du m3</intituleTarif><tarif>${v.tarif}</tarif></tarif></tarifs></donneesAnnuelles></donneesExecution>
<concessionnaires><concessionnaire><typeIdentifiant>SIRET</typeIdentifiant><id>38103128500491</id></concessionnaire></concessionnaires>
<considerationsSociales><considerationSociale>Clause sociale</considerationSociale></considerationsSociales>
<considerationsEnvironnementales><considerationEnvironnementale>Clause environnementale</considerationEnvironnementale></considerationsEnvironnementales>
<modifications><modification><id>${v.modId}</id><dateSignatureModification>2024-09-02</dateSignatureModification>
<datePublicationDonneesModification>2024-09-05</datePublicationDonneesModification><valeurGlobale>${v.modValeur}</valeurGlobale></modification></modifications>
</contrat-concession></marches>`;
}

const JSON_RECORD = {
  id: 'CC2024-1', autoriteConcedante: { id: '21350238800019' }, nature: 'Délégation de service public', objet: 'Eau potable',
  procedure: 'Procédure négociée ouverte', dureeMois: 12, dateSignature: '2024-04-02', datePublicationDonnees: '2024-04-12',
  dateDebutExecution: '2024-04-01', valeurGlobale: 1.234, montantSubventionPublique: 12.5, donneesExecution: [{ donneesAnnuelles: {
    datePublicationDonneesExecution: '2025-04-18', depensesInvestissement: 999.999, tarifs: [{ tarif: { intituleTarif: 'Prix du m3', tarif: 1.234 } }] } }],
  concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '38103128500491' } }],
  considerationsSociales: { considerationSociale: ['Clause sociale'] }, considerationsEnvironnementales: { considerationEnvironnementale: ['Clause environnementale'] },
  modifications: [{ modification: { id: 1, dateSignatureModification: '2024-09-02', datePublicationDonneesModification: '2024-09-05', valeurGlobale: 2.5 } }],
};

/** The releases without what says where they were read from. */
const withoutProvenance = (releases: unknown[]): unknown[] =>
  releases.map((r) => {
    const { sourceFile: _f, sourceSha256: _s, sourceLine: _l, ...x } = (r as { x_decp: Record<string, unknown> }).x_decp;
    return { ...(r as object), x_decp: x };
  });

test('xs:decimal amounts with three decimals are read as written, as in JSON (not as thousands)', async () => {
  const xml = join(dir, 'c.xml');
  const json = join(dir, 'c.json');
  writeFileSync(xml, concession2024({ valeur: '1.234', subvention: '12.500', depenses: '999.999', tarif: '1.234', duree: '12', modId: '1', modValeur: '2.5' }));
  writeFileSync(json, JSON.stringify({ marches: { 'contrat-concession': [JSON_RECORD] } }));
  const x = await convertAll([xml]);
  const j = await convertAll([json]);
  const tariffs = (x.releases as unknown as Array<{ contracts?: Array<{ tariffs?: Array<{ value: { amount: number } }> }> }>).flatMap((r) => r.contracts?.flatMap((c) => c.tariffs ?? []) ?? []);
  expect(tariffs.map((t) => t.value.amount)).toEqual([1.234]);
  expect(x.texts.join('\n')).not.toContain('AMOUNT_SEPARATOR_AMBIGUOUS');
  expect(withoutProvenance(x.releases)).toEqual(withoutProvenance(j.releases));
});

test('the other lexical forms of xs:decimal and xs:integer (+12, .5, 012, 5., spaces) are the same numbers', async () => {
  const plain = join(dir, 'plain.xml');
  const forms = join(dir, 'forms.xml');
  writeFileSync(plain, concession2024({ valeur: '1.234', subvention: '0.5', depenses: '5', tarif: '12', duree: '12', modId: '1', modValeur: '2.5' }));
  writeFileSync(forms, concession2024({ valeur: '+0001.2340', subvention: '.5', depenses: '5.', tarif: ' +12.00\n', duree: '+012', modId: '01', modValeur: '002.50' }));
  const a = await convertAll([plain]);
  const b = await convertAll([forms]);
  expect(b.texts.join('\n')).not.toMatch(/UNPARSABLE|AMOUNT_SEPARATOR_AMBIGUOUS|MODIFICATION_IDS_UNUSABLE/);
  expect(withoutProvenance(b.releases)).toEqual(withoutProvenance(a.releases));
});

test('amounts ending in a decimal comma with nothing after it ("127000,", "127 000,") are read in XML and in JSON as "127000." is (found by a monitor)', async () => {
  const plain = join(dir, 'plain-comma.xml');
  const forms = join(dir, 'forms-comma.xml');
  const json = join(dir, 'forms-comma.json');
  writeFileSync(plain, concession2024({ valeur: '127000', subvention: '127000', depenses: '12000', tarif: '5', duree: '12', modId: '1', modValeur: '2500' }));
  writeFileSync(forms, concession2024({ valeur: '127000,', subvention: '127 000,', depenses: '12\u00a0000,', tarif: '5,', duree: '12', modId: '1', modValeur: '2 500,' }));
  const record = { ...JSON_RECORD, valeurGlobale: '127000,', montantSubventionPublique: '127 000,', donneesExecution: [{ donneesAnnuelles: {
    datePublicationDonneesExecution: '2025-04-18', depensesInvestissement: '12 000,', tarifs: [{ tarif: { intituleTarif: 'Prix du m3', tarif: '5,' } }] } }],
  modifications: [{ modification: { ...JSON_RECORD.modifications[0]!.modification, valeurGlobale: '2 500,' } }] };
  writeFileSync(json, JSON.stringify({ marches: { 'contrat-concession': [record] } }));
  const a = await convertAll([plain]);
  const b = await convertAll([forms]);
  const j = await convertAll([json]);
  const values = (b.releases as unknown as Array<{ contracts?: Array<{ value?: { amount: number } }> }>).flatMap((r) => r.contracts?.map((c) => c.value?.amount) ?? []);
  expect(values).toContain(127000);
  expect(b.texts.join('\n') + j.texts.join('\n')).not.toMatch(/UNPARSABLE/);
  expect(withoutProvenance(b.releases)).toEqual(withoutProvenance(a.releases));
  expect(withoutProvenance(j.releases)).toEqual(withoutProvenance(a.releases));
});

test('XML values that are not XSD numbers stay text (read leniently, flagged); an integer a double cannot hold stays text, as in JSON', async () => {
  const { records } = await readBytes(Buffer.from(`<marches><marche><id>M1</id><montant>1 234,50</montant><dureeMois>douze</dureeMois>
<offresRecues>3</offresRecues><tauxAvance>0.125</tauxAvance><objet>1.234</objet><titulaires><titulaire><id>12345678901234</id></titulaire></titulaires>
<modifications><modification><id>2</id><montant>+000012345678901234567</montant></modification><modification><id>3.0</id><dureeMois>12.0</dureeMois><montant>1000000000000000</montant></modification></modifications></marche></marches>`));
  const d = records[0]!.data as Record<string, unknown>;
  expect(d).toMatchObject({ montant: '1 234,50', dureeMois: 'douze', offresRecues: 3, tauxAvance: 0.125, objet: '1.234' });
  expect(d['titulaires']).toEqual([{ titulaire: { id: '12345678901234' } }]);
  // (xs:integer has no decimal point: `12.0` months and a modification id `3.0` are not XSD integers)
  expect(d['modifications']).toEqual([{ modification: { id: 2, montant: '12345678901234567' } }, { modification: { id: '3.0', dureeMois: '12.0', montant: 1000000000000000 } }]);
});

test('element names in another case (<Montant>, <Titulaires>): numbers, lists and the generation read as in lower case', async () => {
  // (found by a probe: `<Montant>1.250</Montant>` read as 1250, the second of two <Titulaire> dropped)
  const { records } = await readBytes(`<Marches><Marche><Id>2019MAPA0100</Id><Acheteur><Id>21350238800019</Id><Nom>Ville de Rennes</Nom></Acheteur>
<DureeMois>24</DureeMois><Montant>1.250</Montant><Titulaires><Titulaire><Id>81223113200026</Id></Titulaire><Titulaire><Id>DE814864138</Id></Titulaire></Titulaires></Marche>
<MARCHE><ID>2024-1</ID><OFFRESRECUES>3</OFFRESRECUES><TITULAIRES><TITULAIRE><ID>81223113200026</ID></TITULAIRE></TITULAIRES>
<MODIFICATIONS><MODIFICATION><ID>01</ID><MONTANT>2.5</MONTANT></MODIFICATION></MODIFICATIONS></MARCHE></Marches>`);
  expect(records.map((r) => r.version)).toEqual(['2019', '2024']);
  expect(records[0]!.data).toMatchObject({ DureeMois: 24, Montant: 1.25, Titulaires: [{ Id: '81223113200026' }, { Id: 'DE814864138' }] });
  expect(records[1]!.data).toMatchObject({ OFFRESRECUES: 3, TITULAIRES: [{ titulaire: { ID: '81223113200026' } }], MODIFICATIONS: [{ modification: { ID: 1, MONTANT: 2.5 } }] });
  expect(records.flatMap((r) => r.issues)).toEqual([]);
});
