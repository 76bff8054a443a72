/** Values that say nothing must not become data: empty modifications, impossible durations. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertInputs } from '../../src/convert.js';
import { publicationDateOf, type BuildContext } from '../../src/transform/decp/build-releases.js';
import { CONTEXT, convertAll, PROFILE } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';

type J = Record<string, unknown>;
const marche = (id: string, extra: J): J => ({
  _type: 'Marché', id, acheteur: { id: '21590163800019' }, objet: `objet ${id}`, codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 12,
  dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, titulaires: [{ typeIdentifiant: 'SIRET', id: '21590163800019', denominationSociale: 'X' }], ...extra,
});

async function convert(records: J[], context: BuildContext = CONTEXT): Promise<Awaited<ReturnType<typeof convertAll>>> {
  const file = join(tempDir('decp-ocds-empty-'), 'm.json');
  writeFileSync(file, JSON.stringify({ marches: records }));
  return convertAll([file], PROFILE, context);
}
const flagsOf = (r: J): Array<{ code: string; pointer: string }> => ((r['x_decp'] as J)['qualityFlags'] as Array<{ code: string; pointer: string }> | undefined) ?? [];

test('an empty modification ({}, null, or a text where the list belongs) makes no amendment, and is flagged', async () => {
  const { releases } = await convert([
    marche('A', { modifications: 'aucune' }),
    marche('B', { modifications: [null, {}] }),
    marche('C', { modifications: [{}, { montant: 2000, dateSignatureModification: '2019-06-01', datePublicationDonneesModification: '2019-06-02' }] }),
  ]);
  const ocidOf = (id: string): unknown => (releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id) as unknown as J)['ocid'];
  const byId = (id: string): J[] => releases.filter((r) => r['ocid'] === ocidOf(id)) as unknown as J[];
  expect(byId('A').map((r) => r['tag'])).toEqual([['award', 'contract']]);
  expect(flagsOf(byId('A')[0]!).filter((f) => f.code === 'MODIFICATION_EMPTY')).toEqual([expect.objectContaining({ code: 'MODIFICATION_EMPTY', pointer: '/modifications/0' })]);
  // the text itself is kept, in the flag of a value that is not the object the profile reads
  expect(flagsOf(byId('A')[0]!).filter((f) => f.code === 'FIELD_SHAPE_UNEXPECTED')).toEqual([expect.objectContaining({ pointer: '/modifications/0', raw: 'aucune' })]);
  expect(byId('B').map((r) => r['tag'])).toEqual([['award', 'contract']]);
  expect(flagsOf(byId('B')[0]!).filter((f) => f.code === 'MODIFICATION_EMPTY').map((f) => f.pointer)).toEqual(['/modifications/0', '/modifications/1']);
  // the real modification is still an amendment
  const c = byId('C');
  expect(c.map((r) => r['tag'])).toEqual([['award', 'contract'], ['contractAmendment']]);
  expect(((c[1]!['contracts'] as J[])[0]!['value'] as J)['amount']).toBe(2000);
});

test('an empty execution year ({}, null, XML <donneesAnnuelles/>) or change of a subcontracting act ({}, null) makes no release and no entry, flagged; "no subcontracting" beside empty acts only is no contradiction (found by a probe: phantom releases and acts)', async () => {
  const concession: J = { id: 'CCE', autoriteConcedante: { id: '21350238800019' }, nature: 'Concession de service', objet: 'Camping', procedure: 'Procédure négociée ouverte', dureeMois: 60, dateSignature: '2024-03-01', datePublicationDonnees: '2024-03-10', dateDebutExecution: '2024-04-01', valeurGlobale: 50000, concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '81223113200026' } }] };
  const execution = { donneesAnnuelles: { datePublicationDonneesExecution: '2025-03-15', depensesInvestissement: 1000 } };
  const file = join(tempDir('decp-ocds-empty-'), 'c.json');
  writeFileSync(file, JSON.stringify({ marches: {
    marche: [marche('STE', { titulaires: [{ typeIdentifiant: 'SIRET', id: '81223113200026' }], sousTraitanceDeclaree: false, actesSousTraitance: [{ acteSousTraitance: null }], modificationsActesSousTraitance: [{ modificationActeSousTraitance: {} }, { modificationActeSousTraitance: null }] })],
    'contrat-concession': [{ ...concession, donneesExecution: [{ donneesAnnuelles: {} }, execution, { donneesAnnuelles: null }] }],
  } }));
  const { releases } = await convertAll([file]);
  const ocidOf = (id: string): unknown => (releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id) as unknown as J)['ocid'];
  const of = (id: string): J[] => releases.filter((r) => r['ocid'] === ocidOf(id)) as unknown as J[];
  expect(of('STE').map((r) => r['tag'])).toEqual([['award', 'contract']]);
  expect(flagsOf(of('STE')[0]!).map((f) => [f.code, f.pointer])).toEqual([['SUBCONTRACT_EMPTY', '/actesSousTraitance/0'], ['SUBCONTRACT_MODIFICATION_EMPTY', '/modificationsActesSousTraitance/0'], ['SUBCONTRACT_MODIFICATION_EMPTY', '/modificationsActesSousTraitance/1']]);
  expect((of('STE')[0]!['x_decp'] as J)['sousTraitance']).toBeUndefined();
  // the year that has something is the one implementation release, keyed as it was
  expect(of('CCE').map((r) => String(r['id']).replace(/^.*-/, ''))).toEqual(['v0', 'x2025']);
  expect(flagsOf(of('CCE')[0]!).filter((f) => f.code === 'EXECUTION_EMPTY').map((f) => f.pointer)).toEqual(['/donneesExecution/0', '/donneesExecution/2']);
  const xml = join(tempDir('decp-ocds-empty-'), 'c.xml');
  writeFileSync(xml, `<?xml version="1.0" encoding="UTF-8"?><marches><contrat-concession><id>CCX</id><autoriteConcedante><id>21350238800019</id></autoriteConcedante><nature>Concession de service</nature><objet>Camping</objet><procedure>Procédure négociée ouverte</procedure><dureeMois>60</dureeMois><dateSignature>2024-03-01</dateSignature><datePublicationDonnees>2024-03-10</datePublicationDonnees><dateDebutExecution>2024-04-01</dateDebutExecution><valeurGlobale>50000</valeurGlobale><concessionnaires><concessionnaire><typeIdentifiant>SIRET</typeIdentifiant><id>81223113200026</id></concessionnaire></concessionnaires><donneesExecution><donneesAnnuelles/></donneesExecution></contrat-concession></marches>`);
  const fromXml = (await convertAll([xml])).releases as unknown as J[];
  expect(fromXml.map((r) => r['tag'])).toEqual([['award', 'contract']]);
  expect(flagsOf(fromXml[0]!).map((f) => [f.code, f.pointer])).toEqual([['EXECUTION_EMPTY', '/donneesExecution/0']]);
});

test('an implausible or placeholder duration gives no end date (never years past 9999 or negative days), and is flagged', async () => {
  const { releases } = await convert([marche('D', { dureeMois: 99999 }), marche('E', { dureeMois: 999 }), marche('F', { dureeMois: 1300 }), marche('G', { dureeMois: 24 })]);
  const period = (id: string): J => ((releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id)!['contracts'] as unknown as J[])[0]!['period'] as J);
  for (const [id, code] of [['D', 'DURATION_PLACEHOLDER'], ['E', 'DURATION_PLACEHOLDER'], ['F', 'DURATION_IMPLAUSIBLE']] as const) {
    expect(period(id)).toEqual({ startDate: '2019-01-10T00:00:00+01:00' });
    const r = releases.find((x) => (x['x_decp'] as unknown as J)['id'] === id)! as unknown as J;
    expect(flagsOf(r).map((f) => f.code)).toContain(code);
  }
  expect(period('G')).toMatchObject({ maxExtentDate: '2021-01-10T00:00:00+01:00', durationInDays: 731 });
});

test('a duration of a part of a month (1.5) is rounded up to the next whole month, as the DECP guidance asks: the period ends, flagged DURATION_ROUNDED with the value as given', async () => {
  const { releases } = await convert([marche('H', { dureeMois: 1.5 }), marche('I', { dureeMois: '0,5' })]);
  const rel = (id: string): J => releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id)! as unknown as J;
  expect((rel('H')['contracts'] as J[])[0]!['period']).toEqual({ startDate: '2019-01-10T00:00:00+01:00', maxExtentDate: '2019-03-10T00:00:00+01:00', durationInDays: 59 });
  expect((rel('H')['x_decp'] as J)['dureeMois']).toBe(2);
  expect(flagsOf(rel('H')).filter((f) => f.pointer === '/dureeMois')).toEqual([{ id: expect.any(String) as unknown, code: 'DURATION_ROUNDED', pointer: '/dureeMois', raw: 1.5 }]);
  expect((rel('I')['contracts'] as J[])[0]!['period']).toMatchObject({ maxExtentDate: '2019-02-10T00:00:00+01:00' });
  expect(flagsOf(rel('I')).filter((f) => f.pointer === '/dureeMois')).toEqual([expect.objectContaining({ code: 'DURATION_ROUNDED', raw: '0,5' })]);
});

test('an end date computed from a start given with an offset: Paris\'s own offset for the end\'s day when the start was at Paris\'s (winter to summer), the given one otherwise', async () => {
  const { releases } = await convert([
    marche('W', { dateNotification: '2019-03-27+01:00', dureeMois: 1 }),
    marche('X', { dateNotification: '2018-11-06+03:00', dureeMois: 60 }),
    marche('Y', { dateNotification: '2019-03-27', dureeMois: 1 }),
    marche('Z', { dateNotification: '2019-03-27Z', dureeMois: 1 }),
  ]);
  const period = (id: string): J => ((releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id)!['contracts'] as unknown as J[])[0]!['period'] as J);
  expect(period('W')).toMatchObject({ startDate: '2019-03-27T00:00:00+01:00', maxExtentDate: '2019-04-27T00:00:00+02:00', durationInDays: 31 });
  expect(period('X')).toMatchObject({ startDate: '2018-11-06T00:00:00+03:00', maxExtentDate: '2023-11-06T00:00:00+03:00' });
  expect(period('Y')).toMatchObject({ startDate: '2019-03-27T00:00:00+01:00', maxExtentDate: '2019-04-27T00:00:00+02:00' });
  expect(period('Z')).toMatchObject({ maxExtentDate: '2019-04-27T00:00:00Z' });
});

test('an impossible amount (1e20) stays out of OCDS values, flagged, raw in x_decp; a "€ HT" text amount is read', async () => {
  const { releases } = await convert([marche('H', { montant: 1e20 }), marche('I', { montant: '1 234,50 € HT' })]);
  const initial = (id: string): J => releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id)! as unknown as J;
  const h = initial('H');
  expect((h['awards'] as J[])[0]!['value']).toBeUndefined();
  expect(flagsOf(h)).toContainEqual(expect.objectContaining({ code: 'AMOUNT_IMPLAUSIBLE' }));
  expect((h['x_decp'] as J)['montant']).toBe(1e20);
  expect((initial('I')['awards'] as J[])[0]!['value']).toEqual({ amount: 1234.5, currency: 'EUR' });
});

test('fields the profile does not read are kept as they came in x_decp.unmapped (left out of compiled releases)', async () => {
  const sub = [{ avenantFutur: { id: 1, dureeMois: 18, montant: 23465.87 } }];
  const { releases } = await convert([marche('U', { avenantsFuturs: sub, champInconnu: 'x', vide: '', listeVide: [] })]);
  const r = releases.find((x) => (x['x_decp'] as unknown as J)['id'] === 'U')! as unknown as J;
  expect((r['x_decp'] as J)['unmapped']).toEqual({ avenantsFuturs: sub, champInconnu: 'x' });
  const { compileReleases, mergeRulesFromSchema } = await import('../../src/transform/compile/merge.js');
  const { loadReleaseSchema } = await import('../../src/validate/schema-store.js');
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  type O = Parameters<typeof compileReleases>[0][number];
  const compiled = compileReleases([r as unknown as O], rules).compiledRelease as unknown as J;
  expect((compiled['x_decp'] as J)['unmapped']).toBeUndefined();
  expect((compiled['x_decp'] as J)['id']).toBe('U');
});

test('places: label variants are read, NUTS is its own gazetteer, an unknown or missing type claims no gazetteer', async () => {
  const place = (id: string, lieu: J): J => marche(id, { lieuExecution: lieu });
  const { releases } = await convert([
    place('P1', { code: '75011', typeCode: 'CP' }),
    place('P2', { code: 'FRK24', typeCode: 'Code NUTS' }),
    place('P3', { code: '35', typeCode: 'Département' }),
    place('P4', { code: '35238' }),
    place('P5', { code: '35238', typeCode: 'Code bizarre', nom: 'Rennes' }),
    place('P6', { code: 'France entière', typeCode: 'Code pays' }),
  ]);
  const item = (id: string): J => (((releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id)! as unknown as J)['tender'] as J)['items'] as J[])[0]!;
  expect(item('P1')['deliveryAddresses']).toEqual([{ postalCode: '75011', countryName: 'France' }]);
  expect(item('P2')['deliveryLocations']).toEqual([{ gazetteer: { scheme: 'NUTS', identifiers: ['FRK24'] } }]);
  expect(item('P3')['deliveryAddresses']).toEqual([{ region: '35', countryName: 'France' }]);
  expect(item('P4')['deliveryLocations']).toEqual([{ description: '35238' }]);
  expect(item('P5')['deliveryLocations']).toEqual([{ description: 'Rennes' }]);
  expect(item('P6')['deliveryAddresses']).toEqual([{ countryName: 'France' }]);
  const p4 = releases.find((r) => (r['x_decp'] as unknown as J)['id'] === 'P4')! as unknown as J;
  expect(flagsOf(p4)).toContainEqual(expect.objectContaining({ code: 'PLACE_TYPE_UNKNOWN', pointer: '/lieuExecution/typeCode' }));
});

test('codes given as numbers get their leading zeros back, flagged; a place or a supplier given as text or a list is kept whole in a flag, never dropped', async () => {
  const { releases } = await convert([
    marche('N1', { lieuExecution: { code: 1000, typeCode: 'Code postal' } }),
    marche('N2', { lieuExecution: { code: 1, typeCode: 'Code département' } }),
    marche('N3', { lieuExecution: { code: '2A', typeCode: 'Code département' } }),
    // text codes are left as given: a département under the wrong type, a truncated postal code
    marche('N4', { lieuExecution: { code: '17', typeCode: 'Code commune', nom: 'CHARENTE MARITIME' } }),
    marche('N5', { lieuExecution: { code: '3200', typeCode: 'Code postal', nom: 'Vienne & alentours' } }),
    marche('N6', { lieuExecution: { code: 76, typeCode: 'Code postal' } }),
    marche('S1', { lieuExecution: '13590 Rousset', titulaires: ['SHARP 33332163600479'] }),
    marche('S2', { lieuExecution: [{ code: '13590', typeCode: 'Code postal' }, { code: '13100', typeCode: 'Code postal' }] }),
    marche('S3', { lieuExecution: { code: { a: 1 }, typeCode: 'Code postal' }, techniques: ['Concours', { x: 'Accord-cadre' }] }),
  ]);
  const rel = (id: string): J => releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id)! as unknown as J;
  const item = (id: string): J => ((rel(id)['tender'] as J)['items'] as J[])[0]!;
  expect(item('N1')['deliveryAddresses']).toEqual([{ postalCode: '01000', countryName: 'France' }]);
  expect(item('N2')['deliveryAddresses']).toEqual([{ region: '01', countryName: 'France' }]);
  expect(item('N3')['deliveryAddresses']).toEqual([{ region: '2A', countryName: 'France' }]);
  expect(flagsOf(rel('N1'))).toContainEqual(expect.objectContaining({ code: 'PLACE_CODE_PADDED', pointer: '/lieuExecution/code', raw: '1000' }));
  for (const id of ['N3', 'N4', 'N5', 'N6']) expect(flagsOf(rel(id)).map((f) => f.code)).not.toContain('PLACE_CODE_PADDED');
  expect(item('N5')['deliveryAddresses']).toEqual([{ postalCode: '3200', countryName: 'France', description: 'Vienne & alentours' }]);
  // only one zero can be lost: no postal code starts with 00
  expect(item('N6')['deliveryAddresses']).toEqual([{ postalCode: '76', countryName: 'France' }]);
  const shaped = (id: string): Array<[string, unknown]> => flagsOf(rel(id)).filter((f) => f.code === 'FIELD_SHAPE_UNEXPECTED').map((f) => [f.pointer, (f as unknown as J)['raw']]);
  expect(shaped('S1')).toEqual([['/lieuExecution', '13590 Rousset'], ['/titulaires/0', 'SHARP 33332163600479']]);
  // (a list of one place is that place: collector-shapes.test.ts)
  expect(shaped('S2')).toEqual([['/lieuExecution', [{ code: '13590', typeCode: 'Code postal' }, { code: '13100', typeCode: 'Code postal' }]]]);
  // a code that is an object, a list item that is not a text: kept in the flag too
  expect(shaped('S3')).toEqual([['/lieuExecution/code', { a: 1 }], ['/techniques', { x: 'Accord-cadre' }]]);
});

test('a placeholder supplier id (00000000000000) makes no party; a supplier without id keeps its name in the flag; 99999999.99 is a placeholder', async () => {
  const { releases } = await convert([
    marche('Z', { montant: 99999999.99, titulaires: [{ typeIdentifiant: 'SIRET', id: '00000000000000', denominationSociale: 'Inconnu' }, { denominationSociale: 'Sans numéro SARL' }] }),
  ]);
  const r = releases.find((x) => (x['x_decp'] as unknown as J)['id'] === 'Z')! as unknown as J;
  expect((r['parties'] as J[]).map((p) => p['roles'])).toEqual([['buyer']]);
  expect(flagsOf(r)).toEqual(expect.arrayContaining([
    expect.objectContaining({ code: 'ID_PLACEHOLDER', pointer: '/titulaires/0/id' }),
    expect.objectContaining({ code: 'PARTY_WITHOUT_ID', pointer: '/titulaires/1', raw: 'Sans numéro SARL' }),
    expect.objectContaining({ code: 'AMOUNT_PLACEHOLDER' }),
  ]));
  expect((r['awards'] as J[])[0]!['value']).toBeUndefined();
});

test('placeholder identifiers (NC, N/A, -, Non communiqué) make no party, and a buyer named by one is no buyer: rejected', async () => {
  const { releases, rejects } = await convert([
    marche('P1', { titulaires: [{ typeIdentifiant: 'SIRET', id: 'NC' }, { typeIdentifiant: 'SIRET', id: 'N/A' }, { typeIdentifiant: 'SIRET', id: '-' }, { typeIdentifiant: 'SIRET', id: 'Non communiqué' }, { typeIdentifiant: 'SIRET', id: '44189140500017' }] }),
    marche('P2', { acheteur: { id: '00000000000000' } }),
    marche('P3', { acheteur: { id: 'N.C.' } }),
  ]);
  const r = releases.find((x) => (x['x_decp'] as unknown as J)['id'] === 'P1')! as unknown as J;
  expect((r['parties'] as J[]).map((p) => p['id'])).toEqual([expect.stringMatching(/^FR-RCS-\d{14}$/), 'FR-RCS-44189140500017']);
  expect(flagsOf(r).filter((f) => f.code === 'ID_PLACEHOLDER').map((f) => f.pointer)).toEqual([0, 1, 2, 3].map((i) => `/titulaires/${i}/id`));
  // two buyers' contracts under "00000000000000" would be one process: no record names no buyer
  expect(releases.filter((x) => ['P2', 'P3'].includes((x['x_decp'] as unknown as J)['id'] as string))).toEqual([]);
  expect(rejects.map((x) => [x.code, x.reason])).toEqual([
    ['TRANSFORM_NO_BUYER_ID', expect.stringContaining('placeholder, "00000000000000"')],
    ['TRANSFORM_NO_BUYER_ID', expect.stringContaining('placeholder, "NC"')],
  ]);
});

test('a place code written with its label is the code, the label its description (not glued into one code)', async () => {
  const { releases } = await convert([
    marche('W1', { lieuExecution: { code: '75001 Paris', typeCode: 'Code postal' } }),
    marche('W2', { lieuExecution: { code: '13 - Bouches-du-Rhône', typeCode: 'Code département' } }),
    marche('W3', { lieuExecution: { code: '2a Corse-du-Sud', typeCode: 'Code département', nom: 'Ajaccio' } }),
  ]);
  const rel = (id: string): J => releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id)! as unknown as J;
  const address = (id: string): unknown => (((rel(id)['tender'] as J)['items'] as J[])[0]!)['deliveryAddresses'];
  expect(address('W1')).toEqual([{ postalCode: '75001', countryName: 'France', description: 'Paris' }]);
  expect(address('W2')).toEqual([{ region: '13', countryName: 'France', description: 'Bouches-du-Rhône' }]);
  expect(address('W3')).toEqual([{ region: '2A', countryName: 'France', description: 'Ajaccio' }]);
  expect(flagsOf(rel('W1'))).toContainEqual(expect.objectContaining({ code: 'PLACE_CODE_WITH_LABEL', pointer: '/lieuExecution/code', raw: '75001 Paris' }));
  // x_decp keeps the code as given (never a code no source wrote, `75001Paris`)
  expect((rel('W1')['x_decp'] as J)['lieuExecution']).toEqual({ code: '75001 Paris', typeCode: 'Code postal' });
  expect(((rel('W3')['x_decp'] as J)['lieuExecution'] as J)['code']).toBe('2a Corse-du-Sud');
});

test("a 2019 tariff given as one object is a tariff, and JSON written with the XSD's item name for subcontracting modifications is read", async () => {
  const concession: J = { _type: 'Contrat de concession', id: 'CC1', autoriteConcedante: { id: '21750001600019', nom: 'Ville' }, nature: 'Délégation de service public', objet: 'Piscine', procedure: 'Procédure négociée ouverte', dureeMois: 60, dateSignature: '2019-01-10', datePublicationDonnees: '2019-01-20', dateDebutExecution: '2019-02-01', valeurGlobale: 900000, concessionnaires: [{ typeIdentifiant: 'SIRET', id: '55203253400646', denominationSociale: 'AQUA SA' }], donneesExecution: [{ datePublicationDonneesExecution: '2020-03-01', depensesInvestissement: 1000, tarifs: { intituleTarif: 'Entrée', tarif: 4.5 } }] };
  const subcontracted = marche('ST', { actesSousTraitance: [{ acteSousTraitance: { id: 1, sousTraitant: { id: '44189140500017', typeIdentifiant: 'SIRET' }, dureeMois: 12, dateNotification: '2019-02-01', datePublicationDonnees: '2019-02-05', montant: 30000, variationPrix: 'Ferme' } }], modificationsActesSousTraitance: [{ modificationActesSousTraitance: { id: 1, dureeMois: 18, dateNotificationModificationSousTraitance: '2019-06-01', datePublicationDonnees: '2019-06-05', montant: 40000 } }] });
  // the interim 2.0.1 examples give the tariff on the execution data itself: not lost
  const interim: J = { ...concession, id: 'CC2', donneesExecution: { datePublicationDonneesExecution: '2020-03-01', depensesInvestissement: 1000, intituleTarif: 'Prix ticket', tarif: 10 } };
  const { releases } = await convert([concession, subcontracted, interim]);
  const tariffs = releases.flatMap((r) => ((r['contracts'] as J[] | undefined) ?? []).flatMap((c) => (c['tariffs'] as J[] | undefined) ?? []));
  expect(tariffs).toEqual([expect.objectContaining({ title: 'Entrée', value: { amount: 4.5, currency: 'EUR' } }), expect.objectContaining({ title: 'Prix ticket', value: { amount: 10, currency: 'EUR' } })]);
  // (the interim form is a tariff of its own, not kept unread; a record giving both forms keeps both: mapping-conformance)
  const cc2 = releases.filter((r) => (r['x_decp'] as J)['id'] === 'CC2').map((r) => JSON.stringify((r['x_decp'] as J)['unmapped'] ?? {}));
  expect(cc2.some((u) => u.includes('Prix ticket'))).toBe(false);
  const update = releases.find((r) => (r['tag'] as string[]).includes('awardUpdate'))! as unknown as J;
  expect(((update['x_decp'] as J)['sousTraitance'] as J[])[0]).toMatchObject({ montant: 40000, dureeMois: 18 });
  expect(flagsOf(update).map((f) => f.code)).not.toContain('SUBCONTRACT_MODIFICATION_WITHOUT_ACT');
});

test('a tariff without its title keeps its price (its `tarif` is named as its wrapper): 2024 JSON `{"tarif": {"tarif": …}}`, 2019 `{"tarif": …}`, XML', async () => {
  const dir = tempDir('decp-ocds-tariffs-');
  const exec = (tarifs: unknown): J[] => [{ donneesAnnuelles: { datePublicationDonneesExecution: '2025-03-01', depensesInvestissement: 1000, tarifs } }];
  const base: J = { _type: 'Contrat de concession', autoriteConcedante: { id: '21750001600019' }, nature: 'Délégation de service public', objet: 'Piscine', procedure: 'Procédure négociée ouverte', dureeMois: 60, dateSignature: '2024-01-10', datePublicationDonnees: '2024-01-15', dateDebutExecution: '2024-02-01', valeurGlobale: 500000, concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '55203253400646' } }] };
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ marches: [
    { ...base, id: 'T1', donneesExecution: exec([{ tarif: { intituleTarif: 'Entrée adulte', tarif: 5.5 } }, { tarif: { tarif: 3.2 } }]) },
    { ...base, id: 'T2', donneesExecution: [{ datePublicationDonneesExecution: '2025-03-01', tarifs: [{ tarif: 9.1 }] }] },
    { ...base, id: 'T3', donneesExecution: [{ datePublicationDonneesExecution: '2025-03-01', tarifs: { tarif: 7 } }] },
  ] }));
  writeFileSync(join(dir, 'c.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<marches><contrat-concession><id>T4</id><autoriteConcedante><id>21750001600019</id></autoriteConcedante><nature>Délégation de service public</nature><objet>Piscine</objet><procedure>Procédure négociée ouverte</procedure><dureeMois>60</dureeMois><dateSignature>2024-01-10</dateSignature><datePublicationDonnees>2024-01-15</datePublicationDonnees><dateDebutExecution>2024-02-01</dateDebutExecution><valeurGlobale>500000</valeurGlobale><concessionnaires><concessionnaire><typeIdentifiant>SIRET</typeIdentifiant><id>55203253400646</id></concessionnaire></concessionnaires><donneesExecution><donneesAnnuelles><datePublicationDonneesExecution>2025-03-01</datePublicationDonneesExecution><tarifs><tarif><intituleTarif>A</intituleTarif><tarif>5.5</tarif></tarif><tarif><tarif>14.29</tarif></tarif></tarifs></donneesAnnuelles></donneesExecution></contrat-concession></marches>\n`);
  const { releases } = await convertAll([join(dir, 'c.json'), join(dir, 'c.xml')]);
  const tariffs = (id: string): unknown[] => releases.filter((r) => (r['ocid'] as string).endsWith(`-${id}`)).flatMap((r) => ((r['contracts'] as J[] | undefined) ?? []).flatMap((c) => ((c['tariffs'] as J[] | undefined) ?? []).map((t) => [t['title'] ?? null, (t['value'] as J)['amount']])));
  expect(tariffs('T1')).toEqual([['Entrée adulte', 5.5], [null, 3.2]]);
  expect(tariffs('T2')).toEqual([[null, 9.1]]);
  expect(tariffs('T3')).toEqual([[null, 7]]);
  expect(tariffs('T4')).toEqual([['A', 5.5], [null, 14.29]]);
  for (const r of releases) expect(flagsOf(r as unknown as J).map((f) => f.code)).not.toContain('FIELD_SHAPE_UNEXPECTED');
});

test('0 where the schema allows it (a concession\'s subsidy, an investment, a free tariff) is a value, not flagged AMOUNT_ZERO; a placeholder is flagged once, where the record is read, not again on the release that leaves it out (found by a probe: 7 of 10 concessions of a real file flagged)', async () => {
  const base: J = { _type: 'Contrat de concession', autoriteConcedante: { id: '21750001600019' }, nature: 'Délégation de service public', objet: 'Piscine', procedure: 'Procédure négociée ouverte', dureeMois: 60, dateSignature: '2024-01-10', datePublicationDonnees: '2024-01-15', dateDebutExecution: '2024-02-01', valeurGlobale: 500000, concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '55203253400646' } }] };
  const tarifs = [{ tarif: { intituleTarif: 'Entrée enfant de moins de 3 ans', tarif: 0 } }, { tarif: { intituleTarif: 'Entrée adulte', tarif: 999999999 } }];
  const { releases } = await convert([
    { ...base, id: 'Z1', montantSubventionPublique: 0, donneesExecution: [{ donneesAnnuelles: { datePublicationDonneesExecution: '2025-03-15', depensesInvestissement: 0, tarifs } }] },
    // (0 stays said where it is no value: a concession's worth, a contract modification's placeholder total once)
    { ...base, id: 'Z2', valeurGlobale: 0, modifications: [{ modification: { id: 1, valeurGlobale: 999999999, dateSignatureModification: '2024-06-01', datePublicationDonneesModification: '2024-06-03' } }] },
  ]);
  const flags = (id: string): Array<[string, string, string]> => releases.filter((r) => (r['ocid'] as string).endsWith(`-${id}`)).flatMap((r) => flagsOf(r as unknown as J).map((f): [string, string, string] => [String(r['id']).replace(/^.*-/, ''), f.code, f.pointer]));
  expect(flags('Z1')).toEqual([['v0', 'AMOUNT_PLACEHOLDER', '/donneesExecution/0/tarifs/1/tarif']]);
  const z1 = releases.filter((r) => (r['ocid'] as string).endsWith('-Z1')) as unknown as J[];
  expect((z1[0]!['x_decp'] as J)['montantSubventionPublique']).toBe(0);
  expect(((z1[1]!['x_decp'] as J)['depensesInvestissement'] as J[])[0]).toMatchObject({ amount: 0 });
  expect(((z1[1]!['contracts'] as J[])[0]!['tariffs'] as J[]).map((t) => t['value'] ?? null)).toEqual([{ amount: 0, currency: 'EUR' }, null]);
  expect(flags('Z2')).toEqual([['v0', 'AMOUNT_ZERO', '/valeurGlobale'], ['v0', 'AMOUNT_PLACEHOLDER', '/modifications/0/valeurGlobale']]);
});

test('techniques and considerations compare as labels (case, accents, plurals, typographic apostrophes); an unknown one is flagged, not read as "none"', async () => {
  const { releases } = await convert([
    marche('L1', { techniques: { technique: ['Accord cadre', 'Système d’acquisition dynamique', 'Enchères électroniques', 'Concours', 'Technique maison'] }, considerationsSociales: { considerationSociale: ['Clauses sociales'] }, considerationsEnvironnementales: { considerationEnvironnementale: ['Critères environnementaux'] } }),
    marche('L2', { considerationsSociales: { considerationSociale: ['Oui'] } }),
    marche('L3', { considerationsSociales: { considerationSociale: ['Pas de considération sociale'] }, considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale'] } }),
  ]);
  const tender = (id: string): J => releases.find((x) => (x['x_decp'] as unknown as J)['id'] === id)!['tender'] as unknown as J;
  const unknown = (id: string): unknown[] => flagsOf(releases.find((x) => (x['x_decp'] as unknown as J)['id'] === id)! as unknown as J).filter((f) => f.code === 'CODE_UNKNOWN').map((f) => [f.pointer, (f as unknown as J)['raw']]);
  expect(tender('L1')['techniques']).toEqual({ hasFrameworkAgreement: true, hasDynamicPurchasingSystem: true, hasElectronicAuction: true });
  expect(tender('L1')['hasSustainability']).toBe(true);
  expect(tender('L1')['sustainability']).toEqual([{ goal: 'social', strategies: ['contractPerformanceConditions'] }, { goal: 'environmental', strategies: ['awardCriteria'] }]);
  expect(unknown('L1')).toEqual([['/techniques', 'Technique maison']]);
  // a label not understood says nothing either way
  expect(tender('L2')).not.toHaveProperty('hasSustainability');
  expect(unknown('L2')).toEqual([['/considerationsSociales', 'Oui']]);
  expect(tender('L3')['hasSustainability']).toBe(false);
  expect(tender('L3')).not.toHaveProperty('sustainability');
  expect(unknown('L3')).toEqual([]);
});

test('labels joined in one text (`Concours, Accord-cadre`, `;`, `|`) are each read: techniques, considerations, a subsequent contract (found by a probe: only the first was read, the rest unsaid)', async () => {
  const { releases } = await convert([
    marche('J1', { idAccordCadre: 'AC-7', techniques: { technique: ['Concours, Accord-cadre'] }, modalitesExecution: { modaliteExecution: ['Bons de commande; Marchés subséquents'] }, considerationsSociales: { considerationSociale: ['Clause sociale, Critère social'] }, considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale | Clause environnementale'] } }),
    marche('J2', { techniques: { technique: ['Concours, Technique maison'] } }),
    marche('J3', { idAccordCadre: 'AC-7', techniques: { technique: ['Concours | Sans objet'] }, modalitesExecution: { modaliteExecution: ['Bons de commande; Marchés subséquents'] } }),
    // (a list none of whose labels holds several is read as it is; one that has such a label after a plain one, apart)
    marche('J4', { techniques: { technique: ['Sans objet', 'Concours; Enchère électronique'] } }),
    marche('J5', { techniques: { technique: ['Enchère électronique', 'Accord-cadre'] } }),
  ]);
  const rel = (id: string): J => releases.find((x) => (x['x_decp'] as unknown as J)['id'] === id)! as unknown as J;
  const tender = (id: string): J => rel(id)['tender'] as J;
  expect(tender('J1')['techniques']).toEqual({ hasFrameworkAgreement: true });
  expect(tender('J1')['hasSustainability']).toBe(true);
  expect(tender('J1')['sustainability']).toEqual([{ goal: 'social', strategies: ['contractPerformanceConditions', 'awardCriteria'] }, { goal: 'environmental', strategies: ['contractPerformanceConditions'] }]);
  // (J1 is a framework agreement: executed by subsequent contracts, it is none itself)
  expect(rel('J1')['relatedProcesses']).toBeUndefined();
  expect(rel('J3')['relatedProcesses']).toEqual([expect.objectContaining({ relationship: ['framework'], identifier: expect.stringMatching(/-AC-7$/) })]);
  expect(flagsOf(rel('J1')).filter((f) => f.code === 'CODE_UNKNOWN')).toEqual([]);
  // the raw lists stay as given
  expect((rel('J1')['x_decp'] as J)['techniques']).toEqual(['Concours, Accord-cadre']);
  // an unknown part is flagged
  expect(flagsOf(rel('J2')).filter((f) => f.code === 'CODE_UNKNOWN').map((f) => (f as unknown as J)['raw'])).toEqual(['Technique maison']);
  expect(tender('J4')['techniques']).toEqual({ hasElectronicAuction: true });
  expect(tender('J5')['techniques']).toEqual({ hasFrameworkAgreement: true, hasElectronicAuction: true });
  expect((rel('J5')['x_decp'] as J)['techniques']).toEqual(['Enchère électronique', 'Accord-cadre']);
});

test('a supplier whose identifier type is empty or missing is taken to be a SIRET, and that is said (ID_TYPE_ASSUMED, with what was given)', async () => {
  const { releases } = await convert([
    marche('T', { titulaires: [{ typeIdentifiant: '', id: '81809944200019' }, { id: '44189140500017' }, { typeIdentifiant: 'SIRET', id: '48157430900045' }], modifications: [{ modification: { id: 1, dateNotificationModification: '2020-02-01', datePublicationDonneesModification: '2020-02-02', titulaires: [{ titulaire: { typeIdentifiant: ' ', id: '81809944200019' } }] } }] }),
  ]);
  const initial = releases.find((x) => (x['x_decp'] as unknown as J)['id'] === 'T' && (x['tag'] as string[]).includes('award'))! as unknown as J;
  expect((initial['parties'] as J[]).filter((p) => (p['roles'] as string[]).includes('supplier')).map((p) => p['id'])).toEqual(['FR-RCS-81809944200019', 'FR-RCS-44189140500017', 'FR-RCS-48157430900045']);
  expect(flagsOf(initial).filter((f) => f.code === 'ID_TYPE_ASSUMED')).toEqual([
    expect.objectContaining({ pointer: '/titulaires/0/typeIdentifiant' }),
    expect.objectContaining({ pointer: '/titulaires/1/typeIdentifiant', raw: null }),
  ]);
  const amended = releases.find((x) => (x['tag'] as string[]).includes('contractAmendment'))! as unknown as J;
  expect(flagsOf(amended).filter((f) => f.code === 'ID_TYPE_ASSUMED').map((f) => f.pointer)).toEqual(['/modifications/0/titulaires/0/typeIdentifiant']);
});

test('a record whose own dates are missing is dated by its earliest later publication, never by the run, while it has one', async () => {
  const { releases } = await convert([
    marche('D1', { dateNotification: '', datePublicationDonnees: '', modifications: [{ montant: 2000, dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-10' }, { montant: 3000, datePublicationDonneesModification: '2019-09-10' }] }),
    marche('D2', { dateNotification: '', datePublicationDonnees: '' }),
  ]);
  const ocid = (releases.find((r) => (r['x_decp'] as unknown as J)['id'] === 'D1') as unknown as J)['ocid'];
  const d1 = releases.filter((r) => r['ocid'] === ocid) as unknown as J[];
  expect(d1.map((r) => r['date'])).toEqual(['2019-06-10T00:00:00+02:00', '2019-06-10T00:00:00+02:00', '2019-09-10T00:00:00+02:00']);
  const codes = d1.flatMap((r) => flagsOf(r).map((f) => f.code));
  expect(codes).toContain('RELEASE_DATE_FROM_LATER');
  expect(codes).not.toContain('RELEASE_DATE_FROM_RUN');
  expect(codes).not.toContain('RELEASE_DATE_RAISED');
  // nothing else to go by: the run's date, said
  const d2 = releases.find((r) => (r['x_decp'] as unknown as J)['id'] === 'D2') as unknown as J;
  expect(flagsOf(d2).map((f) => f.code)).toContain('RELEASE_DATE_FROM_RUN');
  // the run's instant, written in Paris's zone as the record's other dates are (CONTEXT's 03:04:05Z)
  expect(d2['date']).toBe('2026-01-02T04:04:05+01:00');
});

test('a record dated by the run has the day and year of the source\'s zone at that instant, not UTC\'s: a run at 00:30 on 1 January in Paris dates it 1 January', async () => {
  const file = join(tempDir('decp-ocds-empty-'), 'm.json');
  writeFileSync(file, JSON.stringify({ marches: [marche('R1', { dateNotification: '', datePublicationDonnees: '' })] }));
  const dateOf = async (runDate: string, utcOffset?: string): Promise<unknown> => {
    const dates: unknown[] = [];
    const profile = utcOffset === undefined ? PROFILE : { ...PROFILE, settings: { ...PROFILE.settings, utcOffset } };
    await convertInputs({ inputs: [file], profile, context: { ocidPrefix: 'ocds-78apv2', runDate } }, { release: (t) => void dates.push((JSON.parse(t) as J)['date']), reject: () => undefined });
    return dates[0];
  };
  // (it was the run's UTC text, 2025-12-31T23:30:00Z: a release, its record and their year partition of 2025)
  expect(await dateOf('2025-12-31T23:30:00Z')).toBe('2026-01-01T00:30:00+01:00');
  // summer time, and the nights the clocks change (01:00 UTC)
  expect(await dateOf('2026-07-14T22:15:00.250Z')).toBe('2026-07-15T00:15:00.250+02:00');
  expect(await dateOf('2026-03-29T00:59:59Z')).toBe('2026-03-29T01:59:59+01:00');
  expect(await dateOf('2026-03-29T01:00:00Z')).toBe('2026-03-29T03:00:00+02:00');
  expect(await dateOf('2026-10-25T00:59:59+00:00')).toBe('2026-10-25T02:59:59+02:00');
  expect(await dateOf('2026-10-25T01:00:00Z')).toBe('2026-10-25T02:00:00+01:00');
  // a profile's fixed offset (Colombia's -05:00): 1 January at 03:00 UTC is still 31 December there
  expect(await dateOf('2026-01-01T03:00:00Z', '-05:00')).toBe('2025-12-31T22:00:00-05:00');
  // a --run-date given at an offset of its own is the zone its writer chose: as given
  expect(await dateOf('2026-01-01T00:30:00+09:00')).toBe('2026-01-01T00:30:00+09:00');
});

test('a 2019 record whose lists kept their XML wrappers (titulaire, modification) is still 2019: the same ocid and ids as the flat one', async () => {
  // (a 2019 id ends with the count of modifications, which the 2019 ocid leaves out)
  const flat = marche('W201901', { acheteur: { id: '21590163800019', nom: 'Ville' }, modifications: [{ montant: 2000, dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-10' }] });
  const wrapped = { ...flat, titulaires: (flat['titulaires'] as J[]).map((t) => ({ titulaire: t })), modifications: (flat['modifications'] as J[]).map((m) => ({ modification: m })) };
  const a = await convert([flat]);
  const b = await convert([wrapped]);
  expect(b.releases.map((r) => r['id'])).toEqual(a.releases.map((r) => r['id']));
  expect((b.releases[0]!['x_decp'] as unknown as J)['formatVersion']).toBe('2019');
  expect(b.releases[0]!['ocid']).toMatch(/-W2019$/);
  // without the 2019 names, the wrappers say 2024
  const { acheteur: _b, ...unnamed } = wrapped as J;
  const c = await convert([{ ...unnamed, acheteur: { id: '21590163800019' } }]);
  expect((c.releases[0]!['x_decp'] as unknown as J)['formatVersion']).toBe('2024');
});

test('a "Code pays": a name or France\'s codes (99100, 250, FR, FRA) are the country; another INSEE country code is the COG\'s; another number is no country\'s name (flagged)', async () => {
  const place = (id: string, code: string): J => marche(id, { lieuExecution: { code, typeCode: 'Code pays', nom: `lieu ${id}` } });
  const { releases } = await convert([place('C1', 'France entière'), place('C2', '99100'), place('C3', '250'), place('C4', '99134'), place('C5', '56'), place('C6', 'Belgique'), place('C7', 'FR'), place('C8', 'fra')]);
  const rel = (id: string): J => releases.find((r) => (r['x_decp'] as unknown as J)['id'] === id)! as unknown as J;
  const item = (id: string): J => ((rel(id)['tender'] as J)['items'] as J[])[0]!;
  // (ISO 3166's FR and FRA too: a code is no country's name, found by a probe)
  for (const id of ['C1', 'C2', 'C3', 'C7', 'C8']) expect(item(id)['deliveryAddresses']).toEqual([{ countryName: 'France', description: `lieu ${id}` }]);
  expect(item('C4')).toMatchObject({ deliveryLocations: [{ gazetteer: { scheme: 'FR-COG', identifiers: ['99134'] }, description: 'lieu C4' }] });
  expect(item('C4')['deliveryAddresses']).toBeUndefined();
  expect(item('C5')).toMatchObject({ deliveryLocations: [{ description: 'lieu C5' }] });
  expect(flagsOf(rel('C5'))).toContainEqual(expect.objectContaining({ code: 'PLACE_TYPE_UNKNOWN', pointer: '/lieuExecution/typeCode' }));
  expect(item('C6')['deliveryAddresses']).toEqual([{ countryName: 'Belgique', description: 'lieu C6' }]);
});

test('a record without any date: each of its releases is dated by the run, none taken for a publication; the date an earlier run gave its initial release is kept', async () => {
  const record = marche('D3', { dateNotification: '', datePublicationDonnees: '', modifications: [{ montant: 2000 }] });
  const { releases } = await convert([record]);
  expect(releases.map((r) => r['date'])).toEqual(['2026-01-02T04:04:05+01:00', '2026-01-02T04:04:05+01:00']);
  for (const r of releases) {
    expect(flagsOf(r as unknown as J).map((f) => f.code)).toContain('RELEASE_DATE_FROM_RUN');
    expect(flagsOf(r as unknown as J).map((f) => f.code)).not.toContain('RELEASE_DATE_FROM_INITIAL');
    expect(publicationDateOf(r)).toBeUndefined();
  }
  const initial = releases.find((r) => (r['tag'] as string[]).includes('award'))!;
  // an earlier run dated it (the store's instant): that date, in the source's zone, for every release of it
  const again = await convert([record], { ...CONTEXT, datedBefore: new Map([[initial['id'] as string, '2025-06-01T10:00:00.000Z'], ['another-v0', '2020-01-01T00:00:00.000Z']]) });
  expect(again.releases.map((r) => r['date'])).toEqual(['2025-06-01T12:00:00.000+02:00', '2025-06-01T12:00:00.000+02:00']);
  expect(again.releases.map((r) => r['id'])).toEqual(releases.map((r) => r['id']));
  // (a dated record is not concerned)
  const dated = await convert([marche('D4', {})], { ...CONTEXT, datedBefore: new Map([[initial['id'] as string, '2025-06-01T10:00:00.000Z']]) });
  expect(dated.releases[0]!['date']).toBe('2019-01-12T00:00:00+01:00');
});
