/**
 * Shapes that DECP collectors and consolidators write (found by reading what other public DECP
 * pipelines clean): each is read as the value it holds, or kept with a flag, never lost.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { flagsOf, marche, releasesById, BUYER, type J } from '../helpers/decp-records.js';
import { flatAlternatives } from '../../src/transform/profile.js';

const awards = (records: J[]): Promise<Map<string, J>> => releasesById(records, (tags) => tags.includes('award'));
const partiesOf = (r: J): Array<{ id: string; roles: string[] }> => r['parties'] as Array<{ id: string; roles: string[] }>;

test('flattened keys ("acheteur.id", "lieuExecution.code", as a consolidated 2019 file writes them) are read as the nested fields: the buyer is the buyer, not a reject', async () => {
  const flat = (id: string, extra: J): J => {
    const { acheteur: _a, ...rest } = marche(id, {});
    return { ...rest, 'acheteur.id': BUYER, ...extra };
  };
  const got = await awards([
    flat('F1', {}),
    flat('F2', { 'acheteur.nom': 'Ville', 'lieuExecution.code': '59000', 'lieuExecution.typeCode': 'Code postal' }),
    // both spellings, two values: the nested one is read, the other kept as unmapped
    marche('F3', { 'acheteur.id': '21590163800027' }),
  ]);
  expect(got.get('F1')!['ocid']).toBe(`ocds-78apv2-${BUYER}-F1`);
  expect(partiesOf(got.get('F2')!).find((p) => p.roles.includes('buyer'))).toMatchObject({ id: `FR-RCS-${BUYER}`, name: 'Ville' });
  expect(((got.get('F2')!['tender'] as J)['items'] as J[])[0]!['deliveryAddresses']).toEqual([{ postalCode: '59000', countryName: 'France' }]);
  expect((got.get('F2')!['x_decp'] as J)['unmapped']).toBeUndefined();
  expect(got.get('F3')!['ocid']).toBe(`ocds-78apv2-${BUYER}-F3`);
  expect((got.get('F3')!['x_decp'] as J)['unmapped']).toEqual({ 'acheteur.id': '21590163800027' });
  expect(flagsOf(got.get('F1')!)).toEqual([]);
});

test('flatAlternatives: every way of joining a path\'s steps, dots of a joined step escaped; none for one step', () => {
  expect(flatAlternatives('id')).toEqual([]);
  expect(flatAlternatives('acheteur.id')).toEqual(['acheteur\\.id']);
  expect(flatAlternatives('a.b.c').sort()).toEqual(['a.b\\.c', 'a\\.b.c', 'a\\.b\\.c'].sort());
});

test('a modification wrapped twice ({"modification": {"modification": …}}) and suppliers in lists of lists ([[[[…]]]]) are read: an amendment with its new suppliers, not MODIFICATION_EMPTY', async () => {
  const mod = { dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-02', montant: 1500 };
  const dir = tempDir('decp-ocds-shapes-');
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ marches: [
    marche('W1', { modifications: [{ modification: { modification: { ...mod } } }] }),
    marche('W2', { modifications: [{ ...mod, titulaires: [[[[{ typeIdentifiant: 'SIRET', id: '44189140500017' }, { typeIdentifiant: 'SIRET', id: '55203253400646' }]]]] }] }),
  ] }));
  const { releases } = await convertAll([join(dir, 'm.json')]);
  const file = new Map(releases.filter((r) => (r['tag'] as string[]).includes('contractAmendment')).map((r) => [(r['ocid'] as string).split('-').pop()!, r as unknown as J]));
  const w1 = file.get('W1')!;
  expect(((w1['contracts'] as J[])[0]!['value'] as J)['amount']).toBe(1500);
  expect(flagsOf(w1)).toEqual([]);
  const w2 = file.get('W2')!;
  expect(((w2['contracts'] as J[])[0]!['suppliers'] as J[]).map((s) => s['id'])).toEqual(['FR-RCS-44189140500017', 'FR-RCS-55203253400646']);
  expect(flagsOf(w2)).toEqual([]);
});

test('the placeholders a consolidation writes in empty fields ("MQ" for a missing mandatory one, "CDL" for an optional one) name no organisation: a buyer "MQ" is no buyer (rejected), a supplier "MQ" no party', async () => {
  const dir = tempDir('decp-ocds-shapes-');
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ marches: [
    marche('Q1', { acheteur: { id: 'MQ' } }),
    marche('Q2', { acheteur: { id: 'CDL' } }),
    marche('Q3', { titulaires: [{ typeIdentifiant: 'SIRET', id: 'MQ' }] }),
  ] }));
  const { releases, rejects } = await convertAll([join(dir, 'm.json')]);
  expect(rejects.map((r) => r['code'])).toEqual(['TRANSFORM_NO_BUYER_ID', 'TRANSFORM_NO_BUYER_ID']);
  expect(releases.map((r) => r['ocid'])).toEqual([`ocds-78apv2-${BUYER}-Q3`]);
  const q3 = releases[0] as unknown as J;
  expect(partiesOf(q3).map((p) => p.id)).toEqual([`FR-RCS-${BUYER}`]);
  expect(flagsOf(q3).map((f) => f.code)).toEqual(['ID_PLACEHOLDER', 'NO_SUPPLIER']);
});

test('an identifier and its type written in each other\'s place ("typeIdentifiant": "<SIRET>", "id": "SIRET") are put back, flagged ID_TYPE_SWAPPED: the supplier is FR-RCS-<SIRET>, not FR-DECP-<SIRET>-SIRET', async () => {
  const got = await awards([
    marche('S1', { titulaires: [{ typeIdentifiant: '44189140500017', id: 'SIRET' }] }),
    marche('S2', { titulaires: [{ typeIdentifiant: 'FR12441891405', id: 'TVA' }] }),
    // a name where the identifier belongs is no type: left as it is
    marche('S3', { titulaires: [{ typeIdentifiant: '44189140500017', id: 'DUPONT ET FILS' }] }),
  ]);
  const suppliers = (r: J): unknown[] => ((r['contracts'] as J[])[0]!['suppliers'] as J[]).map((s) => s['id']);
  expect(suppliers(got.get('S1')!)).toEqual(['FR-RCS-44189140500017']);
  expect(flagsOf(got.get('S1')!)).toEqual([{ id: expect.any(String), code: 'ID_TYPE_SWAPPED', pointer: '/titulaires/0/typeIdentifiant', raw: '44189140500017' }]);
  expect(suppliers(got.get('S2')!)).toEqual(['FR-DECP-TVA-FR12441891405']);
  expect(flagsOf(got.get('S3')!).map((f) => f.code)).not.toContain('ID_TYPE_SWAPPED');
});

test('an identifier type spelt otherwise ("N° SIRET", "TVA intracommunautaire") is read as the DECP type, flagged ID_TYPE_RESPELLED; a type DECP does not know is published as given, flagged ID_TYPE_UNKNOWN (found by an ingest probe: one company, four schemes, nothing said)', async () => {
  const siret = '80268496900016';
  const vat = 'FR43802684969';
  const got = await awards([
    marche('T1', { titulaires: [{ typeIdentifiant: 'SIRET', id: siret }] }),
    marche('T2', { titulaires: [{ typeIdentifiant: 'N° SIRET', id: siret }] }),
    marche('T3', { titulaires: [{ typeIdentifiant: 'Numéro SIRET', id: siret }] }),
    marche('T4', { titulaires: [{ typeIdentifiant: 'SIREN', id: siret }] }),
    marche('T5', { titulaires: [{ typeIdentifiant: 'TVA intracommunautaire', id: vat }] }),
    // the schemas' own labels, in any case, are no other spelling
    marche('T6', { titulaires: [{ typeIdentifiant: 'Siret', id: siret }] }),
    marche('T7', { titulaires: [{ typeIdentifiant: 'hors-ue', id: 'GB123456789' }] }),
    marche('T8', { titulaires: [{ typeIdentifiant: 'RNA', id: 'W123456789' }] }),
    marche('T9', { titulaires: [{ typeIdentifiant: 'Hors UE (pas de SIRET)', id: 'GB123456789' }] }),
    marche('T10', { titulaires: [{ typeIdentifiant: 'SIRET ou TVA', id: vat }] }),
  ]);
  const supplier = (r: J): J => partiesOf(r).find((p) => p.roles.includes('supplier')) as unknown as J;
  const typeFlags = (r: J): unknown[] => flagsOf(r).filter((f) => String(f.code).startsWith('ID_TYPE')).map((f) => [f.code, f.pointer, f.raw]);
  for (const id of ['T1', 'T2', 'T3', 'T6']) expect(supplier(got.get(id)!)['id']).toBe(`FR-RCS-${siret}`);
  expect(typeFlags(got.get('T1')!)).toEqual([]);
  expect(typeFlags(got.get('T6')!)).toEqual([]);
  expect(['T2', 'T3'].map((id) => typeFlags(got.get(id)!))).toEqual([
    [['ID_TYPE_RESPELLED', '/titulaires/0/typeIdentifiant', 'N° SIRET']],
    [['ID_TYPE_RESPELLED', '/titulaires/0/typeIdentifiant', 'Numéro SIRET']],
  ]);
  // (a SIREN is no SIRET — its 9 digits would be a false SIRET_LENGTH —, nor is a label that names
  // SIRET among other words, "Hors UE (pas de SIRET)", "SIRET ou TVA": the whole label is matched)
  expect(typeFlags(got.get('T4')!)).toEqual([['ID_TYPE_UNKNOWN', '/titulaires/0/typeIdentifiant', 'SIREN']]);
  expect(supplier(got.get('T9')!)['id']).toBe('FR-DECP-HORS-UE-PAS-DE-SIRET-GB123456789');
  expect(typeFlags(got.get('T9')!)).toEqual([['ID_TYPE_UNKNOWN', '/titulaires/0/typeIdentifiant', 'Hors UE (pas de SIRET)']]);
  expect(typeFlags(got.get('T10')!)).toEqual([['ID_TYPE_UNKNOWN', '/titulaires/0/typeIdentifiant', 'SIRET ou TVA']]);
  // a VAT number so typed is one: its SIREN for the legal-unit joins
  expect(supplier(got.get('T5')!)).toMatchObject({ id: `FR-DECP-TVA-${vat}`, additionalIdentifiers: [{ scheme: 'FR-RCS', id: '802684969' }] });
  expect(typeFlags(got.get('T5')!)).toEqual([['ID_TYPE_RESPELLED', '/titulaires/0/typeIdentifiant', 'TVA intracommunautaire']]);
  expect(supplier(got.get('T7')!)['id']).toBe('FR-DECP-HORS-UE-GB123456789');
  expect(typeFlags(got.get('T7')!)).toEqual([]);
  expect(supplier(got.get('T8')!)['id']).toBe('FR-DECP-RNA-W123456789');
  expect(typeFlags(got.get('T8')!)).toEqual([['ID_TYPE_UNKNOWN', '/titulaires/0/typeIdentifiant', 'RNA']]);
});

test('a modification\'s new duration under half the one so far (40 months, then 1: the months added, where the new duration belongs) is taken, flagged MODIFICATION_DURATION_DROP as an amount drop is', async () => {
  const mod = (n: number, dureeMois: number): J => ({ id: n, dateNotificationModification: `2019-0${n + 1}-01`, datePublicationDonneesModification: `2019-0${n + 1}-02`, dureeMois });
  const dir = tempDir('decp-ocds-shapes-');
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ marches: [marche('D1', { dureeMois: 40, modifications: [mod(1, 1), mod(2, 2), mod(3, 100)] })] }));
  const { releases } = await convertAll([join(dir, 'm.json')]);
  const mods = releases.filter((r) => (r['tag'] as string[]).includes('contractAmendment')) as unknown as J[];
  expect(mods.map((r) => flagsOf(r).map((f) => [f.code, f.pointer, f.raw]))).toEqual([[['MODIFICATION_DURATION_DROP', '/modifications/0/dureeMois', 1]], [], []]);
  expect(mods.map((r) => (((r['contracts'] as J[])[0]!['period'] as J)['durationInDays']))).toEqual([31, 59, 3042]);
});

test('a modification\'s new duration that ends before the modification itself (the months added, where the new total belongs) is taken, flagged MODIFICATION_DURATION_ENDS_BEFORE (found by a probe: an extended contract compiled to end before its extensions)', async () => {
  const mod = (n: number, date: string, dureeMois: number): J => ({ id: n, dateNotificationModification: date, datePublicationDonneesModification: date, dureeMois });
  const dir = tempDir('decp-ocds-shapes-');
  // 6 months from 2019-05-14 (to 2019-11-14); extended by 4 months in 2020 (a total would end 2019-09-14);
  // then a real new total, 24 months (2021-05-14), after it; and 18 months on 2020-11-14, the very day it ends
  const rec = { ...marche('E1', { dureeMois: 6, modifications: [mod(1, '2020-03-01', 4), mod(2, '2020-06-01', 24), mod(3, '2020-11-14', 18)] }), dateNotification: '2019-05-14' };
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ marches: [rec] }));
  const { releases } = await convertAll([join(dir, 'm.json')]);
  const mods = releases.filter((r) => (r['tag'] as string[]).includes('contractAmendment')) as unknown as J[];
  expect(mods.map((r) => flagsOf(r).filter((f) => f.code.startsWith('MODIFICATION_DURATION')).map((f) => [f.code, f.pointer, f.raw]))).toEqual([
    [['MODIFICATION_DURATION_ENDS_BEFORE', '/modifications/0/dureeMois', 4]],
    [],
    [],
  ]);
  // taken as DECP's rule says: the new total
  expect(mods.map((r) => (((r['contracts'] as J[])[0]!['period'] as J)['maxExtentDate'] as string).slice(0, 10))).toEqual(['2019-09-14', '2021-05-14', '2020-11-14']);
});

test('keys spelt in another case or with other separators (`datenotification`, `Montant`, `acheteur_id`, `lieu_execution.type_code`) are read as the profile spells them, each flagged KEY_RESPELLED', async () => {
  const spelt = (id: string, extra: J): J => {
    const { acheteur: _a, dateNotification: _d, montant: _m, titulaires: _t, ...rest } = marche(id, {});
    return { ...rest, acheteur_id: BUYER, datenotification: '2019-01-10', Montant: 2500, titulaires: [{ TypeIdentifiant: 'SIRET', ID: '44189140500017', denominationsociale: 'X' }], ...extra };
  };
  const got = await awards([
    spelt('K1', { lieu_execution: { code: '59000', type_code: 'Code postal' }, modifications: [{ objetModification: 'avenant', datenotificationmodification: '2019-06-01', montant: 3000 }] }),
    // the profile's spelling given too: it is read, and the other stays as it came (unmapped)
    marche('K2', { datenotification: '2019-02-01' }),
  ]);
  const k1 = got.get('K1')!;
  expect(k1['ocid']).toBe(`ocds-78apv2-${BUYER}-K1`);
  expect((k1['awards'] as J[])[0]).toMatchObject({ date: '2019-01-10T00:00:00+01:00', value: { amount: 2500, currency: 'EUR' }, suppliers: [{ id: 'FR-RCS-44189140500017', name: 'X' }] });
  expect(((k1['tender'] as J)['items'] as J[])[0]!['deliveryAddresses']).toEqual([{ postalCode: '59000', countryName: 'France' }]);
  expect((k1['x_decp'] as J)['unmapped']).toBeUndefined();
  expect(flagsOf(k1).filter((f) => f.code === 'KEY_RESPELLED').map((f) => [f.pointer, f.raw])).toEqual([
    ['/acheteur_id', 'acheteur_id'],
    ['/datenotification', 'datenotification'],
    ['/Montant', 'Montant'],
    ['/titulaires/0/TypeIdentifiant', 'TypeIdentifiant'],
    ['/titulaires/0/ID', 'ID'],
    ['/titulaires/0/denominationsociale', 'denominationsociale'],
    ['/lieu_execution', 'lieu_execution'],
    ['/modifications/0/datenotificationmodification', 'datenotificationmodification'],
    ['/lieuExecution/type_code', 'type_code'],
  ]);
  const k2 = got.get('K2')!;
  expect((k2['awards'] as J[])[0]!['date']).toBe('2019-01-10T00:00:00+01:00');
  expect((k2['x_decp'] as J)['unmapped']).toEqual({ datenotification: '2019-02-01' });
  expect(flagsOf(k2).map((f) => f.code)).not.toContain('KEY_RESPELLED');
});

test('the amendment of a respelt modification is made: its date and amount read', async () => {
  const { releases } = await convertAllOf([marche('K3', { modifications: [{ ObjetModification: 'avenant', DateNotificationModification: '2019-06-01', Montant: 3000 }] })]);
  const amendment = releases.find((r) => (r['tag'] as string[]).includes('contractAmendment'))!;
  expect(amendment['date']).toBe('2019-06-01T00:00:00+02:00');
  expect(((amendment['contracts'] as J[])[0]!['value'] as J)['amount']).toBe(3000);
});

test('a 2024 record whose every key is spelt otherwise (lower case: a PostgreSQL export; PascalCase: .NET), its list items\' wrappers and `lieuExecution.nom` too, gives the releases its camelCase spelling gives, flagged KEY_RESPELLED', async () => {
  const record: J = {
    id: '2024-0042', acheteur: { id: '21750001600019' }, nature: 'Marché', objet: 'Travaux de voirie', codeCPV: '45233140', procedure: "Appel d'offres ouvert",
    lieuExecution: { code: '75000', typeCode: 'Code postal', nom: 'Paris' }, dureeMois: 12, dateNotification: '2024-03-01', datePublicationDonnees: '2024-03-10', montant: 100000,
    formePrix: 'Forfaitaire', offresRecues: 3, ccag: 'Travaux', typesPrix: { typePrix: ['Définitif ferme'] }, considerationsSociales: { considerationSociale: ['Clause sociale'] },
    considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale'] }, sousTraitanceDeclaree: true,
    titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '55204599900869', denominationSociale: 'VOIRIE SA' } }],
    modifications: [{ modification: { id: 1, dateNotificationModification: '2024-06-01', datePublicationDonneesModification: '2024-06-03', montant: 120000, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }] } }],
    actesSousTraitance: [{ acteSousTraitance: { id: 1, sousTraitant: { typeIdentifiant: 'SIRET', id: '41927202600057' }, dureeMois: 6, dateNotification: '2024-04-01', montant: 20000, variationPrix: 'Ferme', datePublicationDonnees: '2024-04-05' } }],
  };
  const respell = (x: unknown, spell: (k: string) => string): unknown =>
    Array.isArray(x) ? x.map((y) => respell(y, spell)) : x !== null && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [spell(k), respell(v, spell)])) : x;
  const dir = tempDir('decp-ocds-respelt-');
  const releasesOf = async (name: string, spell: (k: string) => string, given = record): Promise<J[]> => {
    writeFileSync(join(dir, name), JSON.stringify({ marches: { marche: [respell(given, spell)] } }));
    const { releases } = await convertAll([join(dir, name)]);
    return releases as unknown as J[];
  };
  // (what differs: the file, and the flags saying each key respelt, which number the others)
  const bare = (r: J): J => {
    const { sourceFile: _f, sourceSha256: _s, qualityFlags, ...x } = r['x_decp'] as J;
    const flags = ((qualityFlags as J[] | undefined) ?? []).filter((f) => f['code'] !== 'KEY_RESPELLED').map(({ id: _id, ...f }) => f);
    return { ...r, x_decp: flags.length > 0 ? { ...x, qualityFlags: flags } : x };
  };
  const camel = await releasesOf('camel.json', (k) => k);
  const lower = await releasesOf('lower.json', (k) => k.toLowerCase());
  const pascal = await releasesOf('pascal.json', (k) => k[0]!.toUpperCase() + k.slice(1));
  expect(camel.map((r) => r['tag'])).toEqual([['award', 'contract'], ['contractAmendment']]);
  const award = (camel[0]!['awards'] as J[])[0]!;
  expect(award['suppliers']).toEqual([{ id: 'FR-RCS-55204599900869', name: 'VOIRIE SA' }]);
  expect((award['subcontracting'] as J)['subcontracts']).toEqual([{ id: '1', subcontractor: { id: 'FR-RCS-41927202600057' } }]);
  const tender = camel[0]!['tender'] as J;
  expect((tender['items'] as J[])[0]!['deliveryAddresses']).toEqual([{ postalCode: '75000', countryName: 'France', description: 'Paris' }]);
  expect(tender['sustainability']).toEqual([{ goal: 'social', strategies: ['contractPerformanceConditions'] }]);
  expect((camel[0]!['x_decp'] as J)['typesPrix']).toEqual(['Définitif ferme']);
  expect(((camel[1]!['contracts'] as J[])[0]!['suppliers'] as J[]).map((s) => s['id'])).toEqual(['FR-RCS-44189140500017']);
  expect(flagsOf(camel[0]!)).toEqual([]);
  expect(lower.map(bare)).toEqual(camel.map(bare));
  expect(pascal.map(bare)).toEqual(camel.map(bare));
  expect(flagsOf(lower[0]!).filter((f) => f.code === 'KEY_RESPELLED').map((f) => f.raw)).toEqual(expect.arrayContaining(['typesprix', 'actessoustraitance', 'soustraitant', 'typeidentifiant', 'datenotificationmodification']));
  expect(flagsOf(pascal[0]!).filter((f) => f.code === 'KEY_RESPELLED').map((f) => f.pointer)).toEqual(expect.arrayContaining(['/Titulaires', '/lieuExecution/Nom', '/actesSousTraitance/0/SousTraitant', '/titulaires/0/Id']));
  // the profile's other spelling of the place's name given beside it (`nom `): that one is read, `Nom` kept as it came
  const both = await releasesOf('both.json', (k) => k, { ...record, lieuExecution: { code: '75000', typeCode: 'Code postal', 'nom ': 'Paris 1er', Nom: 'Paris' } });
  expect(((both[0]!['tender'] as J)['items'] as J[])[0]!['deliveryAddresses']).toEqual([{ postalCode: '75000', countryName: 'France', description: 'Paris 1er' }]);
  expect((both[0]!['x_decp'] as J)['unmapped']).toEqual({ lieuExecution: { Nom: 'Paris' } });
  expect(flagsOf(both[0]!)).toEqual([]);
});

async function convertAllOf(records: J[]): Promise<{ releases: J[]; rejects: J[] }> {
  const file = join(tempDir('decp-ocds-respelt-'), 'm.json');
  writeFileSync(file, JSON.stringify({ marches: records }));
  return (await convertAll([file])) as unknown as { releases: J[]; rejects: J[] };
}

test('one-element lists where one value or one object belongs (an XML converter\'s explicitArray, `"objet": ["…"]`, `"acheteur": [{…}]`) are read as that value or object, flagged FIELD_LIST_OF_ONE; a buyer given as its bare identifier is its id, flagged ID_GIVEN_BARE; a buyer given as a name is still rejected, saying why', async () => {
  const dir = tempDir('decp-ocds-shapes-');
  const one = (o: J): J => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [v]]));
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ marches: [
    // every value a list of one, objects too (what xml2js writes by default): was TRANSFORM_NO_ID
    { ...one({ id: 'L1', objet: 'Entretien', codeCPV: '77313000', procedure: 'Procédure adaptée', dureeMois: 12, dateNotification: '2021-03-01', datePublicationDonnees: '2021-03-05', montant: '10000' }),
      acheteur: [{ id: [BUYER], nom: ['Ville'], service: ['voirie'] }], titulaires: [{ titulaire: [one({ typeIdentifiant: 'SIRET', id: '44189140500017' })] }] },
    marche('L2', { acheteur: BUYER }),
    marche('L3', { acheteur: [{ id: BUYER }] }),
    // a list of two values where one belongs is not read (which one?), as before
    marche('L4', { objet: ['a', 'b'] }),
    marche('L5', { acheteur: 'Ville de Lille' }),
    marche('L6', { acheteur: [{ id: BUYER }, { id: '21350238800019' }] }),
    // (its identifier's flags name where it is)
    marche('L7', { acheteur: '21350238800018' }),
  ] }));
  const { releases, rejects } = await convertAll([join(dir, 'm.json')]);
  const byId = new Map(releases.map((r) => [(r['x_decp'] as unknown as J)['id'] as string, r as unknown as J]));
  const l1 = byId.get('L1')!;
  expect(l1['ocid']).toBe(`ocds-78apv2-${BUYER}-L1`);
  expect(l1['buyer']).toEqual({ id: `FR-RCS-${BUYER}`, name: 'Ville' });
  expect((l1['tender'] as J)['procurementMethodDetails']).toBe('Procédure adaptée');
  expect((l1['awards'] as J[])[0]).toMatchObject({ title: 'Entretien', date: '2021-03-01T00:00:00+01:00', value: { amount: 10000, currency: 'EUR' }, suppliers: [{ id: 'FR-RCS-44189140500017' }], contractPeriod: { maxExtentDate: '2022-03-01T00:00:00+01:00' } });
  expect(flagsOf(l1).filter((f) => f.code === 'FIELD_LIST_OF_ONE').map((f) => [f.pointer, f.raw])).toEqual([
    ['/id', ['L1']], ['/acheteur', undefined], ['/acheteur/0/id', [BUYER]], ['/acheteur/0/nom', ['Ville']], ['/objet', ['Entretien']], ['/codeCPV', ['77313000']], ['/procedure', ['Procédure adaptée']],
    ['/dureeMois', [12]], ['/dateNotification', ['2021-03-01']], ['/datePublicationDonnees', ['2021-03-05']], ['/montant', ['10000']], ['/titulaires/0/id', ['44189140500017']], ['/titulaires/0/typeIdentifiant', ['SIRET']],
  ]);
  // what the buyer's one object holds beside what is read is kept, in its list
  expect((l1['x_decp'] as J)['unmapped']).toEqual({ acheteur: [{ service: ['voirie'] }] });
  for (const id of ['L2', 'L3']) expect(byId.get(id)!['ocid']).toBe(`ocds-78apv2-${BUYER}-${id}`);
  expect(flagsOf(byId.get('L2')!)).toEqual([{ id: expect.any(String), code: 'ID_GIVEN_BARE', pointer: '/acheteur', raw: BUYER }]);
  expect(flagsOf(byId.get('L7')!).map((f) => [f.code, f.pointer])).toEqual([['ID_GIVEN_BARE', '/acheteur'], ['SIRET_LUHN', '/acheteur']]);
  expect(flagsOf(byId.get('L3')!)).toEqual([{ id: expect.any(String), code: 'FIELD_LIST_OF_ONE', pointer: '/acheteur' }]);
  expect((byId.get('L4')!['awards'] as J[])[0]!['title']).toBeUndefined();
  expect(flagsOf(byId.get('L4')!).map((f) => [f.code, f.pointer])).toEqual([['TEXT_NOT_A_STRING', '/objet']]);
  expect(rejects.map((r) => [r['code'], r['reason']])).toEqual([
    ['TRANSFORM_NO_BUYER_ID', 'the record has no usable buyer identifier (acheteur.id): acheteur is a text (a name?), not an object holding an identifier'],
    ['TRANSFORM_NO_BUYER_ID', 'the record has no usable buyer identifier (acheteur.id): acheteur is a list of 2, not an object holding an identifier'],
  ]);
});

test('a buyer\'s SIRET behind a spreadsheet\'s text marker, a supplier\'s given the country\'s code, are the SIRETs: one ocid prefix, one party, each said ID_CLEANED (found by an ingest probe)', async () => {
  const got = await awards([
    marche('Q1', { acheteur: { id: `'${BUYER}`, nom: 'Ville' }, titulaires: [{ typeIdentifiant: 'SIRET', id: 'FR80268496900016' }] }),
    marche('Q2', { titulaires: [{ typeIdentifiant: 'SIRET', id: '80268496900016' }] }),
    marche('Q3', { acheteur: { id: `FR${BUYER}`, nom: 'Ville' } }),
  ]);
  expect(got.get('Q3')!['ocid']).toBe(`ocds-78apv2-${BUYER}-Q3`);
  expect(flagsOf(got.get('Q3')!).filter((f) => f.code === 'ID_CLEANED').map((f) => [f.pointer, f.raw])).toEqual([['/acheteur/id', `FR${BUYER}`]]);
  expect(got.get('Q1')!['ocid']).toBe(`ocds-78apv2-${BUYER}-Q1`);
  expect(partiesOf(got.get('Q1')!).map((p) => p.id)).toEqual(partiesOf(got.get('Q2')!).map((p) => p.id));
  expect(flagsOf(got.get('Q1')!).filter((f) => f.code === 'ID_CLEANED').map((f) => [f.pointer, f.raw])).toEqual([['/acheteur/id', `'${BUYER}`], ['/titulaires/0/id', 'FR80268496900016']]);
});

test('settings.idTypes: the known types, each with regular expressions of its other spellings, checked when the profile is read', async () => {
  const { checkProfile } = await import('../../src/transform/canonical.js');
  const base = { name: 'p', records: { unknown: { as: 'marche', fields: { id: { from: 'id' }, buyerId: { from: 'acheteur', transform: 'identifier' } } } } };
  expect(() => checkProfile({ ...base, settings: { idTypes: { SIRET: ['(siret'] } } })).toThrow(/settings.idTypes.SIRET: "\(siret" is not a regular expression/);
  expect(() => checkProfile({ ...base, settings: { idTypes: { SIRET: 'siret' } } })).toThrow(/settings.idTypes: the identifier types the source knows/);
  expect(() => checkProfile({ ...base, settings: { idTypes: {} } })).toThrow(/settings.idTypes/);
  expect(() => checkProfile({ ...base, settings: { idTypes: { $comment: 'why', SIRET: ['\\bsiret\\b'], TVA: [] } } })).not.toThrow();
});

// xmltodict (`#text`, `@attr`), fast-xml-parser (`#text`, `@_attr`), xml2json (`$t`), xml2js (`_`,
// attributes under `$`) and BadgerFish (`$`) write an element that has attributes as an object:
// where one value belongs it was AMOUNT_UNPARSABLE, TEXT_NOT_A_STRING… and the value was lost
test('an XML element with attributes as a converter writes it in JSON (`{"#text": "12000", "@devise": "EUR"}`) is read as its text where one value belongs, said FIELD_XML_TEXT with the element; an object with other keys is not', async () => {
  const { releases, rejects } = await convertAllOf([
    marche('X1', { montant: { '#text': '12000.50', '@devise': 'EUR' }, objet: { $t: 'Entretien' }, dureeMois: { _: '12', $: { unite: 'mois' } }, codeCPV: { $: '77313000', '@version': '2008' },
      acheteur: { id: { '#text': BUYER, '@_type': 'SIRET' } } }),
    // not an element's text: another key beside it, two texts, a text that is an object
    marche('X2', { objet: { '#text': 'a', autre: 'b' }, montant: { '#text': '1', $t: '2' }, codeCPV: { '#text': { x: 1 } } }),
    // xml2js' default: every element in a list of one (found by a review); the same value given by a
    // later alternative as an element is no other value (IGNORED_ALTERNATIVE: kept as unmapped)
    marche('X3', { montant: [{ _: '12000', $: { devise: 'EUR' } }], lieuExecution: { code: '75056', typeCode: 'Code commune', nom: 'Paris', 'nom ': { '#text': 'Paris', '@lang': 'fr' } } }),
  ]);
  expect(rejects).toEqual([]);
  const byId = new Map(releases.map((r) => [(r['x_decp'] as J)['id'] as string, r]));
  const x1 = byId.get('X1')!;
  expect(x1['ocid']).toBe(`ocds-78apv2-${BUYER}-X1`);
  expect((x1['awards'] as J[])[0]).toMatchObject({ title: 'Entretien', value: { amount: 12000.5, currency: 'EUR' } });
  expect(((x1['tender'] as J)['items'] as J[])[0]!['classification']).toMatchObject({ id: '77313000' });
  expect(flagsOf(x1).filter((f) => f.code === 'FIELD_XML_TEXT').map((f) => [f.pointer, f.raw]).sort()).toEqual([
    ['/acheteur/id', { '#text': BUYER, '@_type': 'SIRET' }],
    ['/codeCPV', { $: '77313000', '@version': '2008' }],
    ['/dureeMois', { _: '12', $: { unite: 'mois' } }],
    ['/montant', { '#text': '12000.50', '@devise': 'EUR' }],
    ['/objet', { $t: 'Entretien' }],
  ]);
  const x3 = byId.get('X3')!;
  expect((x3['awards'] as J[])[0]).toMatchObject({ value: { amount: 12000, currency: 'EUR' } });
  expect(flagsOf(x3).filter((f) => f.code === 'FIELD_XML_TEXT' || f.code === 'FIELD_LIST_OF_ONE').map((f) => [f.code, f.pointer])).toEqual([['FIELD_LIST_OF_ONE', '/montant'], ['FIELD_XML_TEXT', '/montant/0']]);
  expect((x3['x_decp'] as J)['unmapped']).toBeUndefined();
  const x2 = byId.get('X2')!;
  expect(flagsOf(x2).map((f) => [f.code, f.pointer]).sort()).toEqual([['AMOUNT_UNPARSABLE', '/montant'], ['CPV_INVALID', '/codeCPV'], ['TEXT_NOT_A_STRING', '/objet']]);
});

// the buyer's key alone decided a record's kind, over its list, its `_type`, its element and all its
// other fields: a marché whose buyer was written `autoriteConcedante` became a concession that lost
// its amount, suppliers and notification; a concession whose authority was `acheteur` lost its value,
// concessionnaires and execution data; a concession with `_type` "Marché" was rejected for its buyer
// (found by an ingest probe)
test('a record\'s own fields decide its kind, not its buyer\'s key alone, nor `_type`, nor the element it is under; a buyer under the other kind\'s key is read, said', async () => {
  const file = (name: string, doc: unknown): string => {
    const f = join(tempDir('decp-ocds-kind-'), name);
    writeFileSync(f, JSON.stringify(doc));
    return f;
  };
  const marche2024 = { id: 'R1', autoriteConcedante: { id: BUYER }, nature: 'Marché', objet: 'Voirie', codeCPV: '45233140', procedure: "Appel d'offres ouvert", dureeMois: 12, dateNotification: '2024-03-01', datePublicationDonnees: '2024-03-10', montant: 150000, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '55204599900869' } }] };
  const concession = { id: 'C1', nature: 'Délégation de service public', objet: 'Stationnement', procedure: 'Procédure négociée ouverte', dureeMois: 120, dateSignature: '2024-01-15', datePublicationDonnees: '2024-02-01', dateDebutExecution: '2024-03-01', valeurGlobale: 12000000, concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '38103128500491' } }] };
  const { releases, rejects } = await convertAll([
    file('m.json', { marches: { marche: [marche2024] } }),
    file('c.json', { marches: { 'contrat-concession': [{ ...concession, acheteur: { id: BUYER }, donneesExecution: [{ donneesAnnuelles: { datePublicationDonneesExecution: '2025-03-01', depensesInvestissement: 150000 } }] }] } }),
    file('t.json', { marches: [{ _type: 'Marché', ...concession, id: 'C2', autoriteConcedante: { id: BUYER, nom: 'Ville' }, concessionnaires: [{ typeIdentifiant: 'SIRET', id: '38103128500491' }] }] }),
    file('l.json', { marche: { ...concession, id: 'C3', autoriteConcedante: { id: BUYER } } }),
  ]);
  expect(rejects).toEqual([]);
  const byId = new Map((releases as unknown as J[]).filter((r) => (r['tag'] as string[]).includes('award')).map((r) => [(r['x_decp'] as J)['id'] as string, r]));
  const r1 = byId.get('R1')!;
  expect([(r1['x_decp'] as J)['recordType'], r1['buyer'], (r1['awards'] as J[])[0]!['value']]).toEqual(['marche', { id: `FR-RCS-${BUYER}` }, { amount: 150000, currency: 'EUR' }]);
  expect(flagsOf(r1).map((f) => [f.code, f.pointer])).toEqual([['INGEST_BUYER_KEY_OTHER_KIND', '/autoriteConcedante']]);
  expect((r1['x_decp'] as J)['unmapped']).toBeUndefined();
  for (const [id, said] of [['C1', [['INGEST_BUYER_KEY_OTHER_KIND', '/acheteur']]], ['C2', [['INGEST_RECORD_MISFILED', '/_type']]], ['C3', [['INGEST_RECORD_MISFILED', '']]]] as const) {
    const r = byId.get(id)!;
    expect([id, (r['x_decp'] as J)['recordType'], (r['buyer'] as J)['id'], ((r['contracts'] as J[])[0]!['value'] as J)['amount']]).toEqual([id, 'contrat-concession', `FR-RCS-${BUYER}`, 12000000]);
    expect(flagsOf(r).filter((f) => f.code.startsWith('INGEST_')).map((f) => [f.code, f.pointer])).toEqual(said);
  }
  // (its execution data made its implementation release)
  // an export that writes every column, the other kind's empty (null, "", [], {}), is what its filled
  // ones say; a nature counts twice; a null buyer key is none (found by a review: such marchés became
  // concessions, their amounts and suppliers lost)
  const empties = { autoriteConcedante: null, concessionnaires: [], valeurGlobale: '', dateSignature: null, dateDebutExecution: '', donneesExecution: [], montantSubventionPublique: null };
  const more = await convertAll([
    file('e.json', { marches: { marche: [{ ...marche2024, id: 'E1', acheteur: { id: BUYER }, ...empties }] } }),
    file('n.json', { marches: { marche: [{ ...marche2024, id: 'E2', acheteur: null }] } }),
    file('w.json', { marches: { marche: [{ marche: { ...concession, id: 'E3', autoriteConcedante: { id: BUYER } } }] } }),
    file('s.json', { marches: { 'contrat-concession': [{ id: 'E4', nature: 'Délégation de service public', autoriteConcedante: { id: BUYER }, montant: 5, dateNotification: '2024-01-01', objet: 'x' }] } }),
  ]);
  const kinds = new Map((more.releases as unknown as J[]).map((r) => [(r['x_decp'] as J)['id'], [(r['x_decp'] as J)['recordType'], flagsOf(r).filter((f) => f.code.startsWith('INGEST_')).map((f) => f.code)]]));
  expect(kinds.get('E1')).toEqual(['marche', []]);
  expect(kinds.get('E2')).toEqual(['marche', ['INGEST_BUYER_KEY_OTHER_KIND']]);
  // (said once, by its element: not again for its list)
  expect(kinds.get('E3')).toEqual(['contrat-concession', ['INGEST_RECORD_MISFILED']]);
  expect(kinds.get('E4')).toEqual(['contrat-concession', []]);
  const c1 = byId.get('C1')!['ocid'];
  expect((releases as unknown as J[]).filter((r) => r['ocid'] === c1).map((r) => (r['tag'] as string[])[0])).toEqual(['award', 'implementation']);
});

test('a list written as an object keyed by position or number (PHP\'s json_encode of an array with a gap, `{"0": {…}, "2": {…}}`; keyed by SIRET) is read as its items, flagged FIELD_LIST_KEYED: suppliers and modifications are not lost', async () => {
  const mod = (d: string, montant: number): J => ({ dateNotificationModification: d, datePublicationDonneesModification: d, montant });
  const t = (id: string): J => ({ typeIdentifiant: 'SIRET', id });
  const dir = tempDir('decp-ocds-shapes-');
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ marches: [
    // (2019: the id's counter `01` is cut when the record has a modification: it had none, read so)
    marche('K101', { titulaires: { 0: t('44189140500017'), 2: t('55203253400646') }, modifications: { 1: mod('2019-06-01', 1500) } }),
    marche('K2', { titulaires: { titulaire: { 44189140500017: t('44189140500017') } }, modifications: { 0: { modification: mod('2019-06-01', 1500) }, 1: { modification: mod('2019-07-01', 1700) } } }),
  ] }));
  const { releases } = await convertAll([join(dir, 'm.json')]);
  const byOcid = (ocid: string): J[] => releases.filter((r) => r['ocid'] === ocid) as unknown as J[];
  const k1 = byOcid(`ocds-78apv2-${BUYER}-K1`);
  expect(k1.map((r) => (r['tag'] as string[])[0])).toEqual(['award', 'contractAmendment']);
  expect((k1[0]!['awards'] as J[])[0]!['suppliers']).toEqual([{ id: 'FR-RCS-44189140500017' }, { id: 'FR-RCS-55203253400646' }]);
  expect(((k1[1]!['contracts'] as J[])[0]!['value'] as J)['amount']).toBe(1500);
  expect(flagsOf(k1[0]!).map((f) => [f.code, f.pointer, f.raw])).toEqual([['FIELD_LIST_KEYED', '/titulaires', ['0', '2']], ['FIELD_LIST_KEYED', '/modifications', ['1']]]);
  expect((k1[0]!['x_decp'] as J)['unmapped']).toBeUndefined();
  const k2 = byOcid(`ocds-78apv2-${BUYER}-K2`);
  expect(k2.map((r) => ((r['contracts'] as J[])[0]!['value'] as J)['amount'])).toEqual([1000, 1500, 1700]);
  expect((k2[0]!['awards'] as J[])[0]!['suppliers']).toEqual([{ id: 'FR-RCS-44189140500017' }]);
  expect(flagsOf(k2[0]!).map((f) => f.code)).toEqual(['FIELD_LIST_KEYED', 'FIELD_LIST_KEYED']);
});

test('xml-js\' compact form of a DECP XML file (every element `{"_text": …}`, CDATA `{"_cdata": …}`, the root\'s attributes `_attributes`) is read as the XML: no reject, the values, the lists of texts; each element said FIELD_XML_TEXT', async () => {
  const t = (v: string): J => ({ _text: v });
  const rec: J = {
    id: t('X1'), acheteur: { id: t(BUYER) }, nature: t('Marché'), objet: { _cdata: 'Voirie & réseaux' }, codeCPV: t('45000000'), procedure: t('Procédure adaptée'),
    dureeMois: t('12'), dateNotification: t('2024-03-01'), datePublicationDonnees: t('2024-03-02'), montant: { _attributes: { devise: 'EUR' }, _text: '1000.50' },
    offresRecues: t('2'), techniques: { technique: [t('Accord-cadre'), t('Enchère électronique')] },
    titulaires: { titulaire: { typeIdentifiant: t('SIRET'), id: t('44189140500017') } },
  };
  const dir = tempDir('decp-ocds-shapes-');
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ _declaration: { _attributes: { version: '1.0', encoding: 'utf-8' } }, marches: { _attributes: { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' }, marche: [rec] } }, null, 1));
  const { releases, rejects } = await convertAll([join(dir, 'm.json')]);
  expect(rejects).toEqual([]);
  const r = releases[0] as unknown as J;
  expect(r['ocid']).toBe(`ocds-78apv2-${BUYER}-X1`);
  expect((r['awards'] as J[])[0]).toMatchObject({ title: 'Voirie & réseaux', date: '2024-03-01T00:00:00+01:00', value: { amount: 1000.5, currency: 'EUR' }, suppliers: [{ id: 'FR-RCS-44189140500017' }] });
  expect((r['tender'] as J)['techniques']).toEqual({ hasFrameworkAgreement: true, hasElectronicAuction: true });
  expect((r['x_decp'] as J)['techniques']).toEqual(['Accord-cadre', 'Enchère électronique']);
  const flags = flagsOf(r);
  expect(flags.filter((f) => f.code !== 'FIELD_XML_TEXT')).toEqual([]);
  expect(flags.find((f) => f.pointer === '/montant')).toMatchObject({ code: 'FIELD_XML_TEXT', raw: { _attributes: { devise: 'EUR' }, _text: '1000.50' } });
});
