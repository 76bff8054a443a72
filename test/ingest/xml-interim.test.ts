/**
 * The interim 2.0.0 XSD (the 2023 draft format) names three lists after their own items:
 * `<technique><technique>Accord-cadre</technique><technique>Concours</technique></technique>`,
 * `<modaliteExecution>`, `<typePrix>`. Read as lists, as the interim JSON gives them (`"technique":
 * […]`): only the first item was kept (the others flagged as repeated elements), so a framework
 * agreement named second was lost (found by an XML/JSON differential fuzz).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { readBytes } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('xml-interim-');

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<marches><marche>
  <id>MP90765-8</id><acheteur><id>21350238800019</id></acheteur><nature>Marché</nature><objet>Entretien des jardins</objet>
  <codeCPV>77313000</codeCPV><procedure>Appel d'offres ouvert</procedure>
  <lieuExecution><code>35238</code><typeCode>Code commune</typeCode></lieuExecution>
  <dureeMois>24</dureeMois><dateNotification>2007-08-13</dateNotification><datePublicationDonnees>2007-08-19</datePublicationDonnees>
  <montant>127000</montant><formePrix>Mixte</formePrix>
  <titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>81223113200026</id></titulaire></titulaires>
  <considerationsSociales><considerationSociale>Critère social</considerationSociale><considerationSociale>Marché réservé</considerationSociale></considerationsSociales>
  <considerationsEnvironnementales/>
  <technique><technique>Enchère électronique</technique><technique>Accord-cadre</technique></technique>
  <modaliteExecution><modaliteExecution>Bon de commande</modaliteExecution><modaliteExecution>Marché subséquent</modaliteExecution></modaliteExecution>
  <idAccordCadre>87655</idAccordCadre>
  <typePrix><typePrix>Provisoire</typePrix><typePrix>Définitif ferme</typePrix></typePrix>
  <marcheInnovant>1</marcheInnovant><ccag/><offresRecues>4</offresRecues><attributionAvance>0</attributionAvance>
  <typeGroupementOperateurs/><sousTraitanceDeclaree>1</sousTraitanceDeclaree><origineUE/><origineFrance/>
  <actesSousTraitance/><modificationsActesSousTraitance/><modifications/>
</marche></marches>`;

const JSON_TWIN = {
  marches: [{
    id: 'MP90765-8', acheteur: { id: '21350238800019' }, nature: 'Marché', objet: 'Entretien des jardins', codeCPV: '77313000',
    procedure: "Appel d'offres ouvert", lieuExecution: { code: '35238', typeCode: 'Code commune' }, dureeMois: 24, dateNotification: '2007-08-13',
    datePublicationDonnees: '2007-08-19', montant: 127000, formePrix: 'Mixte', titulaires: [{ typeIdentifiant: 'SIRET', id: '81223113200026' }],
    considerationsSociales: ['Critère social', 'Marché réservé'], considerationsEnvironnementales: [],
    technique: ['Enchère électronique', 'Accord-cadre'], modaliteExecution: ['Bon de commande', 'Marché subséquent'], idAccordCadre: '87655',
    typePrix: ['Provisoire', 'Définitif ferme'], marcheInnovant: true, ccag: null, offresRecues: 4, attributionAvance: false,
    typeGroupementOperateurs: null, sousTraitanceDeclaree: true, origineUE: null, origineFrance: null, actesSousTraitance: [], modificationsActesSousTraitance: [], modifications: [],
  }],
};

test('a 2.0.0 XML record reads as its interim JSON twin: every item of <technique>, <modaliteExecution>, <typePrix>', async () => {
  const r = await readBytes(XML);
  expect(r.records).toHaveLength(1);
  const rec = r.records[0]!;
  expect(rec.version).toBe('2023-interim');
  expect(rec.issues).toEqual([]);
  expect(rec.data).toMatchObject({ technique: ['Enchère électronique', 'Accord-cadre'], modaliteExecution: ['Bon de commande', 'Marché subséquent'], typePrix: ['Provisoire', 'Définitif ferme'] });
  expect(rec.data['titulaires']).toEqual([{ typeIdentifiant: 'SIRET', id: '81223113200026' }]);

  writeFileSync(join(dir, 'm.xml'), XML);
  writeFileSync(join(dir, 'm.json'), JSON.stringify(JSON_TWIN));
  const x = await convertAll([join(dir, 'm.xml')]);
  const j = await convertAll([join(dir, 'm.json')]);
  const strip = (t: string): unknown => {
    const r0 = JSON.parse(t) as { x_decp: Record<string, unknown> };
    const { sourceFile: _f, sourceSha256: _s, sourceLine: _l, ...rest } = r0.x_decp;
    return { ...r0, x_decp: rest };
  };
  expect(x.texts.map(strip)).toEqual(j.texts.map(strip));
  expect(x.texts[0]).toContain('"hasFrameworkAgreement":true');
});

test('2.0.2 lists are not taken for 2.0.0 ones: <techniques><technique>… and an empty item', async () => {
  const r = await readBytes(`<marches><marche><id>A1</id><acheteur><id>21350238800019</id></acheteur><offresRecues>2</offresRecues>
<techniques><technique>Accord-cadre</technique><technique/></techniques><typesPrix><typePrix>Provisoire</typePrix></typesPrix></marche></marches>`);
  const rec = r.records[0]!;
  expect(rec.version).toBe('2024');
  expect(rec.data['techniques']).toEqual({ technique: ['Accord-cadre', ''] });
  expect(rec.data['typesPrix']).toEqual({ typePrix: ['Provisoire'] });
});
