/**
 * A field only the 2024 formats have, given with nothing in it (`"idAccordCadre": null`,
 * `<idAccordCadre xsi:nil="true"/>`: an export that writes every column it knows), made a 2019
 * record read as 2024: the 2019 rule for its id was not applied, and the same contract got two
 * ocids. It says nothing of the record's generation now; a 2024 field with a value still does.
 */
import { readBytes } from '../helpers/ingest.js';
import { createConverter } from '../../src/transform/decp/convert-record.js';
import { loadProfile } from '../../src/ingest/profiles.js';
import type { SourceRecord } from '../../src/ingest/types.js';

const converter = createConverter(await loadProfile(), { ocidPrefix: 'ocds-78apv2', runDate: '2026-01-01T00:00:00Z' });

const BASE = '"id":"2021AB000000","acheteur":{"id":"21590163800019","nom":"Ville de Croix"},"nature":"Marché","objet":"Voirie","codeCPV":"45000000","procedure":"Procédure adaptée","lieuExecution":{"code":"59170","typeCode":"Code postal","nom":"Croix"},"dureeMois":3,"dateNotification":"2021-01-05","datePublicationDonnees":"2021-01-10","montant":50000,"formePrix":"Ferme","titulaires":[{"typeIdentifiant":"SIRET","id":"81809944200019","denominationSociale":"A"}]';

const ocidOf = (r: SourceRecord): string => {
  const out = converter.convert(r);
  if (!out.ok) throw new Error(out.reason);
  return String(out.releases[0]!['ocid']);
};

test('JSON: a 2024 field that holds nothing leaves a 2019 record 2019, with the same ocid as without it', async () => {
  const empties = ['null', '""', '[]', '{}'];
  const r = await readBytes(`{"marches":[{${BASE}},${empties.map((e) => `{${BASE},"idAccordCadre":${e},"techniques":${e}}`).join(',')}]}`);
  expect(r.records.map((x) => x.version)).toEqual(['2019', '2019', '2019', '2019', '2019']);
  expect(new Set(r.records.map(ocidOf))).toEqual(new Set(['ocds-78apv2-21590163800019-2021AB0000']));
});

test('JSON: a 2024 field with a value makes a flat record the interim shape, unless the record names its buyer or place (2019 only)', async () => {
  const noNames = BASE.replace(',"nom":"Ville de Croix"', '').replace(',"nom":"Croix"', '');
  const r = await readBytes(`{"marches":[{${BASE},"idAccordCadre":"AC-1"},{${BASE},"offresRecues":3},{${noNames},"idAccordCadre":"AC-1"}]}`);
  expect(r.records.map((x) => x.version)).toEqual(['2019', '2019', '2023-interim']);
  // a 2019 record with an extra field keeps the ocid it has without it (the 2019 rule for its id)
  expect(r.records.map(ocidOf)).toEqual(['ocds-78apv2-21590163800019-2021AB0000', 'ocds-78apv2-21590163800019-2021AB0000', 'ocds-78apv2-21590163800019-2021AB000000']);
  // 2024 wrapped lists stay 2024 whatever names the record gives
  const wrapped = await readBytes(`{"marches":[{${BASE.replace('"titulaires":[{', '"titulaires":[{"titulaire":{').replace('"A"}]', '"A"}}]')},"offresRecues":3}]}`);
  expect(wrapped.records.map((x) => x.version)).toEqual(['2024']);
});

test('XML: an empty or nil 2024 element leaves a 2019 record 2019; one with a value makes it 2024', async () => {
  const m = (extra: string): string =>
    `<marche><id>2021AB000000</id><acheteur><id>21590163800019</id><nom>Ville</nom></acheteur><nature>Marché</nature><objet>Voirie</objet><lieuExecution><code>59170</code><typeCode>Code postal</typeCode><nom>Croix</nom></lieuExecution><dureeMois>3</dureeMois><dateNotification>2021-01-05</dateNotification><montant>1</montant><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>81809944200019</id><denominationSociale>A</denominationSociale></titulaire></titulaires>${extra}</marche>`;
  const r = await readBytes(`<marches xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${m('')}${m('<idAccordCadre xsi:nil="true"/>')}${m('<idAccordCadre> </idAccordCadre>')}${m('<idAccordCadre>AC-1</idAccordCadre>')}</marches>`);
  expect(r.rejects).toEqual([]);
  // (the fourth names its buyer and place, which 2024 does not: a 2019 record with an extra field)
  expect(r.records.map((x) => x.version)).toEqual(['2019', '2019', '2019', '2019']);
  expect(r.records.map(ocidOf)).toEqual(Array(4).fill('ocds-78apv2-21590163800019-2021AB0000'));
  // without names, a 2024 field with a value makes it 2024
  const unnamed = (extra: string): string => m(extra).replace('<nom>Ville</nom>', '').replace('<nom>Croix</nom>', '');
  const u = await readBytes(`<marches>${unnamed('')}${unnamed('<idAccordCadre>AC-1</idAccordCadre>')}</marches>`);
  expect(u.records.map((x) => x.version)).toEqual(['2019', '2024']);
});

/**
 * A 2024 record that keeps a 2019 name (`<lieuExecution><nom>Lyon</nom>`, a leftover of some 2024
 * exports) was read as 2019 in XML, its id cut by the 2019 rule, while its JSON twin in a 2024
 * container was 2024 with its whole id: two ocids for one contract. Enough 2024 fields (three
 * concepts, or numbered modifications beside one: classify's outweighs2019Name) now outweigh the
 * name, in XML and in flat JSON lists alike, flagged INGEST_GENERATION_MIXED; one or two extra fields
 * leave a 2019 record 2019, as its flat JSON twin.
 */
describe('a 2019 name left in a 2024 record', () => {
  const BUYER = '21690123100011';
  // (an id the 2019 rule cuts: its last two digits, 01, count no more than its one modification)
  const ID = '2024-0042-01';
  const CUT = `ocds-78apv2-${BUYER}-2024-0042`;
  const WHOLE = `ocds-78apv2-${BUYER}-${ID}`;
  const xml2024 = (nom: string): string =>
    `<marche><id>${ID}</id><acheteur><id>${BUYER}</id></acheteur><nature>Marché</nature><objet>Espaces verts</objet><codeCPV>77313000</codeCPV>` +
    '<techniques><technique>Accord-cadre</technique></techniques><modalitesExecution><modaliteExecution>Bons de commande</modaliteExecution></modalitesExecution>' +
    '<marcheInnovant>false</marcheInnovant><ccag>Fournitures courantes et services</ccag><offresRecues>3</offresRecues><attributionAvance>false</attributionAvance>' +
    `<procedure>Appel d'offres ouvert</procedure><lieuExecution><code>69123</code><typeCode>Code commune</typeCode>${nom}</lieuExecution>` +
    '<dureeMois>24</dureeMois><dateNotification>2024-03-01</dateNotification><datePublicationDonnees>2024-03-05</datePublicationDonnees><montant>120000</montant>' +
    '<typesPrix><typePrix>Définitif ferme</typePrix></typesPrix><formePrix>Unitaire</formePrix><sousTraitanceDeclaree>false</sousTraitanceDeclaree>' +
    '<titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>44189140500017</id></titulaire></titulaires>' +
    '<modifications><modification><id>1</id><montant>130000</montant><dateNotificationModification>2024-06-01</dateNotificationModification><datePublicationDonneesModification>2024-06-05</datePublicationDonneesModification></modification></modifications></marche>';
  const json2024 = (wrapped: boolean): Record<string, unknown> => ({
    id: ID, acheteur: { id: BUYER }, nature: 'Marché', objet: 'Espaces verts', codeCPV: '77313000',
    techniques: wrapped ? { technique: ['Accord-cadre'] } : ['Accord-cadre'], modalitesExecution: wrapped ? { modaliteExecution: ['Bons de commande'] } : ['Bons de commande'],
    marcheInnovant: false, ccag: 'Fournitures courantes et services', offresRecues: 3, attributionAvance: false, procedure: "Appel d'offres ouvert",
    lieuExecution: { code: '69123', typeCode: 'Code commune', nom: 'Lyon' }, dureeMois: 24, dateNotification: '2024-03-01', datePublicationDonnees: '2024-03-05', montant: 120000,
    typesPrix: wrapped ? { typePrix: ['Définitif ferme'] } : ['Définitif ferme'], formePrix: 'Unitaire', sousTraitanceDeclaree: false,
    titulaires: wrapped ? [{ titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }] : [{ typeIdentifiant: 'SIRET', id: '44189140500017' }],
    modifications: [(() => {
      const m = { id: 1, montant: 130000, dateNotificationModification: '2024-06-01', datePublicationDonneesModification: '2024-06-05' };
      return wrapped ? { modification: m } : m;
    })()],
  });
  const releasesOf = (r: SourceRecord): Array<{ ocid: unknown; id: unknown }> => {
    const out = converter.convert(r);
    if (!out.ok) throw new Error(out.reason);
    return out.releases.map((x) => ({ ocid: x['ocid'], id: x['id'] }));
  };
  const codes = (r: SourceRecord): string[] => r.issues.map((i) => i.code);

  test('XML: 2024 fields and numbered modifications outweigh a leftover lieuExecution.nom: 2024, its whole id, as its JSON twin in a 2024 container', async () => {
    const x = await readBytes(`<marches>${xml2024('<nom>Lyon</nom>')}</marches>`);
    expect(x.rejects).toEqual([]);
    expect(x.records.map((r) => r.version)).toEqual(['2024']);
    expect(x.records[0]!.issues.filter((i) => i.code === 'INGEST_GENERATION_MIXED').map((i) => i.pointer)).toEqual(['/lieuExecution/nom']);
    const j = await readBytes(JSON.stringify({ marches: { marche: [json2024(true)] } }));
    expect(j.records.map((r) => r.version)).toEqual(['2024']);
    // (in 2024's container a name never counted beside a 2024 field: nothing weighed, nothing said)
    expect(codes(j.records[0]!)).toEqual([]);
    const xr = releasesOf(x.records[0]!);
    expect(xr.map((r) => r.ocid)).toEqual([WHOLE, WHOLE]);
    expect(xr).toEqual(releasesOf(j.records[0]!));
    // (without the name: the same, unflagged)
    const bare = await readBytes(`<marches>${xml2024('')}</marches>`);
    expect(bare.records.map((r) => [r.version, codes(r)])).toEqual([['2024', []]]);
    expect(releasesOf(bare.records[0]!)).toEqual(xr);
  });

  test('JSON flat list: the same record, its lists unwrapped, is the interim shape with the XML twin\'s ocid (its id never cut)', async () => {
    const j = await readBytes(JSON.stringify({ marches: [json2024(false)] }));
    expect(j.records.map((r) => r.version)).toEqual(['2023-interim']);
    expect(codes(j.records[0]!)).toEqual(['INGEST_GENERATION_MIXED']);
    expect(j.records.map(ocidOf)).toEqual([WHOLE]);
    // its XML twin of the interim 2.0.0 XSD (lists named after their items) is the interim shape too, its releases the same
    const interim = xml2024('<nom>Lyon</nom>')
      .replace('<techniques><technique>Accord-cadre</technique></techniques>', '<technique><technique>Accord-cadre</technique></technique>')
      .replace('<modalitesExecution><modaliteExecution>Bons de commande</modaliteExecution></modalitesExecution>', '<modaliteExecution><modaliteExecution>Bons de commande</modaliteExecution></modaliteExecution>')
      .replace('<typesPrix><typePrix>Définitif ferme</typePrix></typesPrix>', '<typePrix><typePrix>Définitif ferme</typePrix></typePrix>');
    const x = await readBytes(`<marches>${interim}</marches>`);
    expect(x.records.map((r) => [r.version, codes(r)])).toEqual([['2023-interim', ['INGEST_GENERATION_MIXED']]]);
    expect(releasesOf(x.records[0]!).map((r) => r.ocid)).toEqual([WHOLE, WHOLE]);
    expect(releasesOf(x.records[0]!)).toEqual(releasesOf(j.records[0]!));
  });

  test.each([
    ['one extra field', '"offresRecues":3', '<offresRecues>3</offresRecues>', '2019'],
    ['two extra fields', '"idAccordCadre":"AC-1","offresRecues":3', '<idAccordCadre>AC-1</idAccordCadre><offresRecues>3</offresRecues>', '2019'],
    // (the interim and 2.0.2 spellings of one field are one concept)
    ['two concepts, one spelt twice', '"technique":["Concours"],"techniques":["Concours"],"offresRecues":3', '<technique><technique>Concours</technique></technique><techniques><technique>Concours</technique></techniques><offresRecues>3</offresRecues>', '2019'],
    ['a numbered modification alone', '"modifications":[{"id":1,"montant":2}]', '<modifications><modification><id>1</id><montant>2</montant></modification></modifications>', '2019'],
    ['three concepts', '"idAccordCadre":"AC-1","offresRecues":3,"ccag":"Travaux"', '<idAccordCadre>AC-1</idAccordCadre><offresRecues>3</offresRecues><ccag>Travaux</ccag>', 'new'],
    ['a numbered modification beside one field', '"offresRecues":3,"modifications":[{"id":1,"montant":2}]', '<offresRecues>3</offresRecues><modifications><modification><id>1</id><montant>2</montant></modification></modifications>', 'new'],
  ])('a record naming its buyer and place, with %s: XML and flat JSON twins agree', async (_, json, xml, expected) => {
    const j = await readBytes(`{"marches":[{${BASE},${json}}]}`);
    const x = await readBytes(`<marches><marche><id>2021AB000000</id><acheteur><id>21590163800019</id><nom>Ville de Croix</nom></acheteur><nature>Marché</nature><objet>Voirie</objet><codeCPV>45000000</codeCPV><procedure>Procédure adaptée</procedure><lieuExecution><code>59170</code><typeCode>Code postal</typeCode><nom>Croix</nom></lieuExecution><dureeMois>3</dureeMois><dateNotification>2021-01-05</dateNotification><datePublicationDonnees>2021-01-10</datePublicationDonnees><montant>50000</montant><formePrix>Ferme</formePrix><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>81809944200019</id><denominationSociale>A</denominationSociale></titulaire></titulaires>${xml}</marche></marches>`);
    expect(x.rejects).toEqual([]);
    const ocid = expected === '2019' ? 'ocds-78apv2-21590163800019-2021AB0000' : 'ocds-78apv2-21590163800019-2021AB000000';
    expect([...j.records, ...x.records].map(ocidOf)).toEqual([ocid, ocid]);
    if (expected === '2019') {
      expect([...j.records, ...x.records].map((r) => [r.version, codes(r)])).toEqual([['2019', []], ['2019', []]]);
    } else {
      // (the flat list is the interim shape; the XML, of 2.0.2's plural lists or none, 2024's)
      expect([...j.records, ...x.records].map((r) => [r.version, codes(r)])).toEqual([['2023-interim', ['INGEST_GENERATION_MIXED']], ['2024', ['INGEST_GENERATION_MIXED']]]);
      expect(x.records[0]!.issues[0]!.message).toMatch(/acheteur\.nom, lieuExecution\.nom/);
    }
  });

  test('XML: a record whose 2024 fields outweigh its name leaves the file\'s generation as it was for the records after it', async () => {
    const m2019 = '<marche><id>2021AB000000</id><acheteur><id>21590163800019</id><nom>Ville</nom></acheteur><nature>Marché</nature><objet>Voirie</objet><dureeMois>3</dureeMois><dateNotification>2021-01-05</dateNotification><montant>1</montant><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>81809944200019</id></titulaire></titulaires></marche>';
    // (neither a name nor a 2024 field: of the file's generation so far)
    const neither = (id: string): string => `<marche><id>${id}</id><acheteur><id>21590163800019</id></acheteur><nature>Marché</nature><objet>Voirie</objet><dureeMois>3</dureeMois><dateNotification>2021-01-05</dateNotification><montant>1</montant><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>81809944200019</id></titulaire></titulaires></marche>`;
    const withExtra = m2019.replace('<montant>1</montant>', '<montant>1</montant><offresRecues>2</offresRecues>');
    const r = await readBytes(`<marches>${m2019}${xml2024('<nom>Lyon</nom>')}${neither('2021CD000000')}${withExtra}</marches>`);
    expect(r.records.map((x) => x.version)).toEqual(['2019', '2024', '2019', '2019']);
    expect(r.records.map(ocidOf)).toEqual(['ocds-78apv2-21590163800019-2021AB0000', WHOLE, 'ocds-78apv2-21590163800019-2021CD0000', 'ocds-78apv2-21590163800019-2021AB0000']);
    // (a 2024 record without the name sets it, as before)
    const after2024 = await readBytes(`<marches>${m2019}${xml2024('')}${neither('2021CD000000')}</marches>`);
    expect(after2024.records.map((x) => x.version)).toEqual(['2019', '2024', '2024']);
  });

  test('XML: a leftover name without enough 2024 evidence (a numbered modification, no 2024 field) stays 2019, its id cut', async () => {
    const thin = `<marches><marche><id>${ID}</id><acheteur><id>${BUYER}</id></acheteur><nature>Marché</nature><objet>Espaces verts</objet><lieuExecution><code>69123</code><typeCode>Code commune</typeCode><nom>Lyon</nom></lieuExecution><dureeMois>24</dureeMois><dateNotification>2024-03-01</dateNotification><montant>120000</montant><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>44189140500017</id></titulaire></titulaires><modifications><modification><id>1</id><montant>130000</montant></modification></modifications></marche></marches>`;
    const r = await readBytes(thin);
    expect(r.records.map((x) => [x.version, codes(x)])).toEqual([['2019', []]]);
    expect(releasesOf(r.records[0]!).map((x) => x.ocid)).toEqual([CUT, CUT]);
  });
});
