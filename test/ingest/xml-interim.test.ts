/**
 * The interim 2.0.0 XSD (the 2023 draft format) names three lists after their own items:
 * `<technique><technique>Accord-cadre</technique><technique>Concours</technique></technique>`,
 * `<modaliteExecution>`, `<typePrix>`. Read as lists, as the interim JSON gives them (`"technique":
 * […]`): only the first item was kept (the others flagged as repeated elements), so a framework
 * agreement named second was lost (found by an XML/JSON differential fuzz).
 *
 * Lists written in the shapes other XML writers give them read as the XSD's one wrapper of items:
 * the wrapper repeated (xmltodict's unparse of 2024 JSON; JAXB's, each holding one item's fields),
 * items named as the wrapper (Jackson's), no wrapper (`<titulaire>` repeated under `<marche>`): the
 * first element was kept and the others dropped as repeated ones, a contract's second supplier and
 * its modifications lost with exit 0 and nothing rejected (found by a probe).
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

describe('lists in shapes other than the XSD\'s', () => {
  const supplier = (siret: string): string => `<typeIdentifiant>SIRET</typeIdentifiant><id>${siret}</id>`;
  const modification = (k: number): string =>
    `<id>${k}</id><dateNotificationModification>2024-0${k + 5}-01</dateNotificationModification><datePublicationDonneesModification>2024-0${k + 5}-05</datePublicationDonneesModification><montant>${k}20000</montant>`;
  const marche = (lists: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<marches><marche>
<id>TEST2024-1</id><acheteur><id>21750001600019</id></acheteur><nature>Marché</nature><objet>Travaux de voirie</objet>
<codeCPV>45233140</codeCPV><procedure>Appel d'offres ouvert</procedure><lieuExecution><code>75000</code><typeCode>Code postal</typeCode></lieuExecution>
<dureeMois>12</dureeMois><dateNotification>2024-03-01</dateNotification><datePublicationDonnees>2024-03-10</datePublicationDonnees>
<montant>100000</montant><formePrix>Forfaitaire</formePrix><offresRecues>3</offresRecues>
${lists}
</marche></marches>`;
  const [a, b] = [supplier('55204599900869'), supplier('44306184100047')];
  const [m1, m2] = [modification(1), modification(2)];
  const SHAPES: Record<string, string> = {
    xsd: `<titulaires><titulaire>${a}</titulaire><titulaire>${b}</titulaire></titulaires><modifications><modification>${m1}</modification><modification>${m2}</modification></modifications>`,
    repeated: `<titulaires><titulaire>${a}</titulaire></titulaires><titulaires><titulaire>${b}</titulaire></titulaires><modifications><modification>${m1}</modification></modifications><modifications><modification>${m2}</modification></modifications>`,
    jaxb: `<titulaires>${a}</titulaires><titulaires>${b}</titulaires><modifications>${m1}</modifications><modifications>${m2}</modifications>`,
    none: `<titulaire>${a}</titulaire><titulaire>${b}</titulaire><modification>${m1}</modification><modification>${m2}</modification>`,
    jackson: `<titulaires><titulaires>${a}</titulaires><titulaires>${b}</titulaires></titulaires><modifications><modifications>${m1}</modifications><modifications>${m2}</modifications></modifications>`,
  };
  /** The releases without their provenance and the flags that say a list's shape. */
  const comparable = (t: string): unknown => {
    const r = JSON.parse(t) as { x_decp: Record<string, unknown> & { qualityFlags?: Array<{ code: string }> } };
    const { sourceFile: _f, sourceSha256: _s, sourceLine: _l, qualityFlags, ...rest } = r.x_decp;
    const flags = (qualityFlags ?? []).filter((f) => f.code !== 'INGEST_XML_REPAIRED');
    return { ...r, x_decp: flags.length > 0 ? { ...rest, qualityFlags: flags } : rest };
  };

  test.each(Object.keys(SHAPES).filter((k) => k !== 'xsd'))('%s: every supplier and modification, the releases of the XSD shape, said once per list', async (shape) => {
    writeFileSync(join(dir, 'xsd.xml'), marche(SHAPES['xsd']!));
    writeFileSync(join(dir, `${shape}.xml`), marche(SHAPES[shape]!));
    const r = await readBytes(marche(SHAPES[shape]!));
    const rec = r.records[0]!;
    expect(rec.version).toBe('2024');
    expect(rec.data['titulaires']).toEqual([{ titulaire: { typeIdentifiant: 'SIRET', id: '55204599900869' } }, { titulaire: { typeIdentifiant: 'SIRET', id: '44306184100047' } }]);
    expect((rec.data['modifications'] as Array<{ modification: { id: number; montant: number } }>).map((m) => [m.modification.id, m.modification.montant])).toEqual([[1, 120000], [2, 220000]]);
    expect(rec.issues.map((i) => [i.code, i.pointer])).toEqual([['INGEST_XML_REPAIRED', '/titulaires'], ['INGEST_XML_REPAIRED', '/modifications']]);
    expect(rec.issues[0]!.message).toMatch(/read as one list of 2 item/);

    const x = await convertAll([join(dir, 'xsd.xml')]);
    const y = await convertAll([join(dir, `${shape}.xml`)]);
    expect(x.releases).toHaveLength(3);
    expect(x.texts[0]).toContain('"suppliers":[{"id":"FR-RCS-55204599900869"},{"id":"FR-RCS-44306184100047"}]');
    expect(y.texts.map(comparable)).toEqual(x.texts.map(comparable));
  });

  test('the XSD shape is not said; a list whose wrapper holds items beside other elements is left as written', async () => {
    expect((await readBytes(marche(SHAPES['xsd']!))).records[0]!.issues).toEqual([]);
    const r = await readBytes(marche(`<titulaires><titulaire>${a}</titulaire><note>x</note></titulaires><titulaires><titulaire>${b}</titulaire></titulaires>`));
    const rec = r.records[0]!;
    expect(rec.data['titulaires']).toEqual({ titulaire: { typeIdentifiant: 'SIRET', id: '55204599900869' }, note: 'x' });
    expect(rec.issues.map((i) => [i.code, i.pointer])).toEqual([['INGEST_DUPLICATE_ELEMENT', '/titulaires']]);
    // a repeated element that is no list's keeps its first value, as before
    const d = await readBytes(marche(`<titulaires><titulaire>${a}</titulaire></titulaires><objet>Autre</objet>`));
    expect(d.records[0]!.data['objet']).toBe('Travaux de voirie');
    expect(d.records[0]!.issues.map((i) => [i.code, i.pointer, i.raw])).toEqual([['INGEST_DUPLICATE_ELEMENT', '/objet', 'Autre']]);
  });

  test('a list of texts, a list within an item, a tariff\'s own <tarif>: each read as its list', async () => {
    const r = await readBytes(`<marches><contrat-concession><id>CC1</id><autoriteConcedante><id>21350238800019</id></autoriteConcedante>
<considerationSociale>Clause sociale</considerationSociale><considerationSociale>Critère social</considerationSociale>
<typesPrix>Provisoire</typesPrix><typesPrix>Définitif ferme</typesPrix>
<donneesExecution><donneesAnnuelles><datePublicationDonneesExecution>2025-04-18</datePublicationDonneesExecution>
<tarifs><intituleTarif>Prix du m3</intituleTarif><tarif>1.234</tarif></tarifs><tarifs><intituleTarif>Abonnement</intituleTarif><tarif>20</tarif></tarifs>
</donneesAnnuelles></donneesExecution>
<modifications><modification><id>1</id><titulaires><titulaire>${a}</titulaire></titulaires><titulaires><titulaire>${b}</titulaire></titulaires></modification></modifications>
</contrat-concession></marches>`);
    const rec = r.records[0]!;
    expect(rec.version).toBe('2024');
    expect(rec.data['considerationsSociales']).toEqual({ considerationSociale: ['Clause sociale', 'Critère social'] });
    expect(rec.data['typesPrix']).toEqual({ typePrix: ['Provisoire', 'Définitif ferme'] });
    const annual = (rec.data['donneesExecution'] as Array<{ donneesAnnuelles: { tarifs: unknown } }>)[0]!.donneesAnnuelles;
    expect(annual.tarifs).toEqual([{ tarif: { intituleTarif: 'Prix du m3', tarif: 1.234 } }, { tarif: { intituleTarif: 'Abonnement', tarif: 20 } }]);
    const mod = (rec.data['modifications'] as Array<{ modification: { titulaires: unknown } }>)[0]!.modification;
    expect(mod.titulaires).toEqual([{ titulaire: { typeIdentifiant: 'SIRET', id: '55204599900869' } }, { titulaire: { typeIdentifiant: 'SIRET', id: '44306184100047' } }]);
    expect(rec.issues.map((i) => i.pointer)).toEqual(['/considerationsSociales', '/typesPrix', '/donneesExecution/0/tarifs', '/modifications/0/titulaires']);
  });
});
