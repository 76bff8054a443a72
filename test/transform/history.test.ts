/**
 * The compiled contract follows the contract's history, whatever the publication dates say:
 * a record republished after its modifications, roles across modifications, lots sharing an ocid,
 * 2019 modification counters with duplicated modifications.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { SHARED } from '../helpers/ingest.js';
import { compileReleases, mergeRulesFromSchema, type JsonValue } from '../../src/transform/compile/merge.js';
import { loadReleaseSchema } from '../../src/validate/schema-store.js';
import { tempDir } from '../helpers/tmp.js';

type J = Record<string, unknown>;
type Obj = { [k: string]: JsonValue };
let rules: ReturnType<typeof mergeRulesFromSchema>;
beforeAll(async () => {
  rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
});

const m2024 = (extra: J): J => ({
  id: '2022-MA-017', acheteur: { id: '21440109300015' }, nature: 'Marché', objet: 'Maintenance des ascenseurs', codeCPV: '50750000-7', procedure: "Appel d'offres ouvert",
  dureeMois: 24, dateNotification: '2022-03-01', datePublicationDonnees: '2024-07-18', montant: 100000, offresRecues: 3,
  titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '55204599900869' } }], ...extra,
});

async function compiled(doc: unknown): Promise<{ releases: J[]; records: Map<string, Obj> }> {
  const file = join(tempDir('decp-ocds-history-'), 'in.json');
  writeFileSync(file, JSON.stringify(doc));
  const { releases } = await convertAll([file]);
  const byOcid = new Map<string, Obj[]>();
  for (const r of releases as unknown as Obj[]) {
    const list = byOcid.get(r['ocid'] as string) ?? [];
    list.push(r);
    byOcid.set(r['ocid'] as string, list);
  }
  return { releases: releases as unknown as J[], records: new Map([...byOcid].map(([k, v]) => [k, compileReleases(v, rules).compiledRelease])) };
}
const contract0 = (c: Obj): Obj => (c['contracts'] as Obj[])[0]!;
const flagCodes = (r: J): string[] => (((r['x_decp'] as J)['qualityFlags'] as Array<{ code: string }> | undefined) ?? []).map((f) => f.code);

test('a record republished after its modifications: the compiled contract is the one after the last modification', async () => {
  const mod = { modification: { id: 1, montant: 150000, dureeMois: 36, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '40483304800022' } }], dateNotificationModification: '2023-01-10', datePublicationDonneesModification: '2023-01-15' } };
  const { releases, records } = await compiled({ marches: { marche: [m2024({ modifications: [mod] })] } });
  const c = contract0([...records.values()][0]!);
  expect(c['value']).toEqual({ amount: 150000, currency: 'EUR' });
  expect(c['suppliers']).toEqual([{ id: 'FR-RCS-40483304800022' }]);
  expect((c['period'] as Obj)['maxExtentDate']).toBe('2025-03-01T00:00:00+01:00');
  // the initial release is dated at the notification, flagged with the date it was published with
  expect(releases[0]!['date']).toBe('2022-03-01T00:00:00+01:00');
  expect((releases[0]!['x_decp'] as J)['qualityFlags']).toContainEqual({ id: expect.stringMatching(/-v0\.1$/), code: 'RELEASE_DATE_AFTER_AMENDMENTS', pointer: '/datePublicationDonnees', raw: '2024-07-18T00:00:00+02:00' });
});

test('a modification published before the one it follows is dated with it (the chain decides, not the dates)', async () => {
  const mod = (id: number, montant: number, published: string): J => ({ modification: { id, montant, dateNotificationModification: '2023-01-10', datePublicationDonneesModification: published } });
  const { releases, records } = await compiled({ marches: { marche: [m2024({ datePublicationDonnees: '2022-03-05', modifications: [mod(1, 110000, '2023-06-01'), mod(2, 120000, '2023-02-01')] })] } });
  expect(contract0([...records.values()][0]!)['value']).toEqual({ amount: 120000, currency: 'EUR' });
  expect(releases[2]!['date']).toBe(releases[1]!['date']);
  expect(flagCodes(releases[2]!)).toContain('RELEASE_DATE_RAISED');
});

test('the official 2024 example with modifications compiles to its last modification', async () => {
  const file = join(SHARED, 'decp/schemas/2024-v2.0.3/examples/json/marches_avec_modifications.json');
  const { records } = await compiled(JSON.parse(readFileSync(file, 'utf8')));
  const withAmendments = [...records.values()].filter((r) => (contract0(r)['amendments'] as unknown[] | undefined)?.length);
  expect(withAmendments.length).toBeGreaterThan(0);
  expect(contract0(withAmendments[0]!)['value']).toEqual({ amount: 123457.87, currency: 'EUR' });
});

test('the interim 2.0.0 example: a subcontracting act\'s modification written with its own spellings (montantSousTraitance) gives the compiled act its new amount', async () => {
  const file = join(SHARED, 'decp/schemas/2024-v2.0.0/examples/json/mar-avec-modifications.json');
  const { records } = await compiled(JSON.parse(readFileSync(file, 'utf8')));
  const acts = ([...records.values()][0]!['x_decp'] as Obj)['sousTraitance'] as Obj[];
  expect(acts.map((a) => [a['acte'], a['montant'], a['dateNotificationModification'] ?? null])).toEqual([
    ['1', 18000, null],
    ['3', 21000, '2008-11-06'],
  ]);
});

test('a party a modification names keeps every role it had (the buyer that is also a supplier stays the buyer)', async () => {
  const { records } = await compiled({
    marches: {
      marche: [
        m2024({
          acheteur: { id: '21350238800019' },
          datePublicationDonnees: '2022-03-05',
          titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '21350238800019' } }, { titulaire: { typeIdentifiant: 'SIRET', id: '55204599900869' } }],
          modifications: [{ modification: { id: 1, montant: 42000, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '21350238800019' } }], dateNotificationModification: '2023-01-10', datePublicationDonneesModification: '2023-01-15' } }],
        }),
      ],
    },
  });
  const parties = [...records.values()][0]!['parties'] as Obj[];
  expect(parties.find((p) => p['id'] === 'FR-RCS-21350238800019')!['roles']).toEqual(['buyer', 'supplier']);
});

test('lots sharing an ocid keep each their number of offers and their framework after compiling', async () => {
  const lot = (objet: string, offres: number, ac: string): J => m2024({ id: '2024-LOTS-01', objet, offresRecues: offres, idAccordCadre: ac, nature: 'Marché subséquent', datePublicationDonnees: '2024-05-10' });
  const { records } = await compiled({ marches: { marche: [lot('Lot 1 - Peinture', 3, 'AC-1'), lot('Lot 2 - Electricité', 7, 'AC-2')] } });
  const rec = [...records.values()][0]!;
  expect(((rec['bids'] as Obj)['statistics'] as Obj[]).map((s) => s['value']).sort()).toEqual([3, 7]);
  expect((rec['relatedProcesses'] as Obj[]).map((r) => r['identifier'])).toEqual(['ocds-78apv2-21440109300015-AC-1', 'ocds-78apv2-21440109300015-AC-2']);
});

test('a framework is linked from a subsequent contract only, and never from the contract to itself', async () => {
  const modes = (m: string): J => ({ modalitesExecution: { modaliteExecution: [m] } });
  const { releases } = await compiled({
    marches: {
      marche: [
        m2024({ id: 'SUB-1', idAccordCadre: 'AC-9', ...modes('Marchés subséquents') }),
        m2024({ id: 'BDC-1', idAccordCadre: 'AC-9', ...modes('Bons de commande') }),
        m2024({ id: 'SELF-1', idAccordCadre: 'SELF-1', ...modes('Marchés subséquents') }),
        m2024({ id: 'SUB-2', ...modes('Marchés subséquents') }),
        // the interim 2.0.0's labels: "Marché subséquent", and "Mixte" (purchase orders and subsequent contracts) (found by a probe)
        m2024({ id: 'SUB-3', idAccordCadre: 'AC-9', ...modes('Marché subséquent') }),
        m2024({ id: 'MIX-1', idAccordCadre: 'AC-9', ...modes('Mixte') }),
      ],
    },
  });
  const related = Object.fromEntries(releases.map((r) => [(r['x_decp'] as J)['id'], r['relatedProcesses'] ?? null]));
  const ac9 = [{ id: 'framework-ocds-78apv2-21440109300015-AC-9', relationship: ['framework'], scheme: 'ocid', identifier: 'ocds-78apv2-21440109300015-AC-9' }];
  expect(related).toEqual({
    'SUB-1': ac9,
    'SUB-3': ac9,
    'MIX-1': ac9,
    // purchase orders under a framework agreement: the number is kept, no parent is made up
    'BDC-1': null,
    'SELF-1': [{ id: 'framework', relationship: ['framework'] }],
    'SUB-2': [{ id: 'framework', relationship: ['framework'] }],
  });
  expect((releases.find((r) => (r['x_decp'] as J)['id'] === 'BDC-1')!['x_decp'] as J)['idAccordCadre']).toBe('AC-9');
});

test('a framework agreement executed by subsequent contracts is the framework, not a call-off of its idAccordCadre (found by a semantic audit: Dématis lots "Accord-cadre" + "Marchés subséquents" were linked as call-offs)', async () => {
  const modes = (m: string): J => ({ modalitesExecution: { modaliteExecution: [m] } });
  const framework = { techniques: { technique: ['Accord-cadre'] } };
  const { releases } = await compiled({
    marches: {
      marche: [
        // as in dematis daily-19: three lots of one consultation, each an accord-cadre, idAccordCadre the consultation's number
        m2024({ id: '24-1034587-2', idAccordCadre: '2023/010', ...framework, ...modes('Marchés subséquents') }),
        m2024({ id: 'AC-MIX', idAccordCadre: 'AC-MIX', ...framework, ...modes('Mixte') }),
        // a subsequent contract (technique "Sans objet") stays one
        m2024({ id: '24-23030-04', idAccordCadre: '2023/010', techniques: { technique: ['Sans objet'] }, ...modes('Marchés subséquents') }),
      ],
    },
  });
  const initial = (id: string): J => releases.find((r) => (r['x_decp'] as J)['id'] === id && (r['tag'] as string[]).includes('award'))!;
  expect(initial('24-1034587-2')['relatedProcesses']).toBeUndefined();
  expect((initial('24-1034587-2')['tender'] as J)['techniques']).toEqual({ hasFrameworkAgreement: true });
  expect((initial('24-1034587-2')['x_decp'] as J)['idAccordCadre']).toBe('2023/010');
  expect(initial('AC-MIX')['relatedProcesses']).toBeUndefined();
  expect(initial('24-23030-04')['relatedProcesses']).toEqual([{ id: 'framework-ocds-78apv2-21440109300015-2023/010', relationship: ['framework'], scheme: 'ocid', identifier: 'ocds-78apv2-21440109300015-2023/010' }]);
  expect((initial('24-23030-04')['tender'] as J)['techniques']).toBeUndefined();
});

test('a placeholder idAccordCadre (NC, zeros) names no framework: the relationship only, flagged (found by a probe: every such contract of a buyer shared one made-up framework ocid)', async () => {
  const modes = { modalitesExecution: { modaliteExecution: ['Marchés subséquents'] } };
  const { releases } = await compiled({ marches: { marche: [m2024({ id: 'SUB-NC', idAccordCadre: 'NC', ...modes }), m2024({ id: 'SUB-0', idAccordCadre: '0000000000', ...modes })] } });
  for (const r of releases.filter((x) => (x['tag'] as string[]).includes('award'))) {
    expect(r['relatedProcesses']).toEqual([{ id: 'framework', relationship: ['framework'] }]);
    const flags = ((r['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['pointer'] === '/idAccordCadre');
    expect(flags).toEqual([expect.objectContaining({ code: 'ID_PLACEHOLDER', raw: (r['x_decp'] as J)['idAccordCadre'] })]);
  }
});

test("2019 price forms are the 2024 price types; a concession's CPV, its start at signature, the source data set", async () => {
  const base = { _type: 'Marché', acheteur: { id: '21740225400015' }, objet: 'Réfection toiture', codeCPV: '45261000', dureeMois: 6, dateNotification: '2019-01-15', datePublicationDonnees: '2019-01-20', montant: 80000, titulaires: [{ typeIdentifiant: 'SIRET', id: '55204599900869' }], source: 'marches-publics.info', uuid: 'CC2CFA6B' };
  const concession = { _type: 'Contrat de concession', id: 'DSP-1', autoriteConcedante: { id: '21740225400015' }, nature: 'Délégation de service public', objet: 'Eau', procedure: 'Procédure négociée ouverte', dureeMois: 120, dateSignature: '2019-01-02', datePublicationDonnees: '2019-02-01', valeurGlobale: 1000000, codeCPV: '65130000', concessionnaires: [{ typeIdentifiant: 'SIRET', id: '55204599900869' }] };
  const { releases } = await compiled({ marches: [{ ...base, id: 'F1', formePrix: 'Ferme' }, { ...base, id: 'F2', formePrix: 'Ferme et actualisable' }, { ...base, id: 'F3', formePrix: 'Révisable' }, { ...base, id: 'F4', formePrix: 'Provisoire' }, concession] });
  const x = (id: string): J => releases.find((r) => (r['x_decp'] as J)['id'] === id)!['x_decp'] as J;
  expect(['F1', 'F2', 'F3', 'F4'].map((id) => [x(id)['typesPrix'] ?? null, x(id)['formePrix'] ?? null])).toEqual([
    [['Définitif ferme'], null],
    [['Définitif actualisable'], null],
    [['Définitif révisable'], null],
    // (no 2019 form: the 2024 price type it names, given in the 2019 field, said)
    [['Provisoire'], null],
  ]);
  expect(((x('F4')['qualityFlags'] as J[]) ?? []).filter((f) => f['pointer'] === '/formePrix')).toEqual([expect.objectContaining({ code: 'CODE_RESPELLED', raw: 'Provisoire' })]);
  expect(x('F1')).toMatchObject({ sourceDataset: 'marches-publics.info' });
  // a platform's own uuid is not the DECP uid (buyer SIRET + id)
  expect(x('F1')['uid']).toBeUndefined();
  const c = releases.find((r) => (r['x_decp'] as J)['id'] === 'DSP-1')!;
  expect(((c['tender'] as J)['items'] as J[])[0]!['classification']).toEqual({ scheme: 'CPV', id: '65130000' });
  expect(flagCodes(c)).toContain('PERIOD_START_FROM_SIGNATURE');
  expect(((c['contracts'] as J[])[0]!['period'] as J)['startDate']).toBe('2019-01-02T00:00:00+01:00');
});

test('2019: the modification counter in an id counts the modifications as published (duplicates included)', async () => {
  const base = { _type: 'Marché', acheteur: { id: '21740225400015' }, objet: 'Réfection toiture', codeCPV: '45261000', dureeMois: 6, dateNotification: '2019-01-15', datePublicationDonnees: '2019-01-20', montant: 80000, titulaires: [{ typeIdentifiant: 'SIRET', id: '55204599900869' }] };
  const avenant = { objetModification: 'Avenant 1', dateNotificationModification: '2019-03-01', datePublicationDonneesModification: '2019-03-05', montant: 88000 };
  const { releases } = await compiled({ marches: [{ ...base, id: '2019MA0100', modifications: [] }, { ...base, id: '2019MA0102', modifications: [avenant, avenant] }] });
  expect(new Set(releases.map((r) => r['ocid']))).toEqual(new Set(['ocds-78apv2-21740225400015-2019MA01']));
});

test('2019: a modification counter written after a separator takes the separator along (no ocid ends in "-")', async () => {
  // (as in pes-marche's 2018GI10033-4-00)
  const base = { _type: 'Marché', acheteur: { id: '25100251500038' }, objet: 'Fournitures', codeCPV: '30192000', dureeMois: 12, dateNotification: '2018-12-15', datePublicationDonnees: '2019-01-20', montant: 20000, titulaires: [{ typeIdentifiant: 'SIRET', id: '55204599900869' }] };
  const avenant = { objetModification: 'Avenant 1', dateNotificationModification: '2019-03-01', datePublicationDonneesModification: '2019-03-05', montant: 22000 };
  const { releases } = await compiled({ marches: [{ ...base, id: '2018GI10033-4-00', modifications: [] }, { ...base, id: '2018GI10033-4-01', modifications: [avenant] }, { ...base, id: '2018GI10034_00', modifications: [] }] });
  expect([...new Set(releases.map((r) => r['ocid']))].sort()).toEqual(['ocds-78apv2-25100251500038-2018GI10033-4', 'ocds-78apv2-25100251500038-2018GI10034']);
});

test('releases of equal dates follow the amendment chain: the samples compile the same in reverse order', async () => {
  const { releases } = await convertAll([join(SHARED, 'decp/samples/2024-json')]);
  const compileAll = (list: Obj[]): Map<string, string> => {
    const byOcid = new Map<string, Obj[]>();
    for (const r of list) byOcid.set(r['ocid'] as string, [...(byOcid.get(r['ocid'] as string) ?? []), r]);
    return new Map(
      [...byOcid].map(([ocid, rs]) => {
        const contracts = ((compileReleases(rs, rules).compiledRelease['contracts'] as Obj[] | undefined) ?? []).map((c) => JSON.stringify([c['id'], c['value'], c['suppliers'], c['period']]));
        return [ocid, contracts.sort().join('\n')];
      }),
    );
  };
  const forward = compileAll(releases as unknown as Obj[]);
  const backward = compileAll([...(releases as unknown as Obj[])].reverse());
  expect(backward).toEqual(forward);
});

test('a modification dated before the notification (a typo) is raised to the initial release; the initial release never goes before its notification', async () => {
  const mod = { modification: { id: 1, montant: 120000, dateNotificationModification: '2023-06-01', datePublicationDonneesModification: '2003-06-10' } };
  const { releases, records } = await compiled({ marches: { marche: [m2024({ dateNotification: '2023-04-01', datePublicationDonnees: '2023-05-01', modifications: [mod] })] } });
  expect(releases[0]!['date']).toBe('2023-04-01T00:00:00+02:00');
  expect(releases[1]!['date']).toBe('2023-04-01T00:00:00+02:00');
  expect((releases[1]!['x_decp'] as J)['qualityFlags']).toContainEqual({ id: expect.stringMatching(/-m1\.1$/), code: 'RELEASE_DATE_RAISED', pointer: '/modifications/0/datePublicationDonneesModification', raw: '2003-06-10T00:00:00+02:00' });
  expect(contract0([...records.values()][0]!)['value']).toEqual({ amount: 120000, currency: 'EUR' });
});

test('a modification whose new total is 0 leaves the contract its value (flagged); a later real total is taken', async () => {
  const mods = [
    { modification: { id: 1, montant: 0, dateNotificationModification: '2022-06-01', datePublicationDonneesModification: '2022-06-03' } },
    { modification: { id: 2, montant: 120000, dateNotificationModification: '2022-09-01', datePublicationDonneesModification: '2022-09-03' } },
    { modification: { id: 3, montant: 0, dureeMois: 30, dateNotificationModification: '2023-01-01', datePublicationDonneesModification: '2023-01-03' } },
  ];
  const { releases, records } = await compiled({ marches: { marche: [m2024({ datePublicationDonnees: '2022-03-05', modifications: mods })] } });
  const amend = releases.filter((r) => (r['tag'] as string[])[0] === 'contractAmendment');
  const values = amend.map((r) => (r['contracts'] as Array<{ value?: { amount: number } }>)[0]!.value?.amount ?? null);
  expect(values).toEqual([null, 120000, null]);
  expect((amend[0]!['x_decp'] as J)['qualityFlags']).toContainEqual({ id: expect.stringMatching(/-m1\.1$/), code: 'MODIFICATION_AMOUNT_ZERO', pointer: '/modifications/0/montant', raw: 0 });
  expect((amend[0]!['x_decp'] as J)['modification']).toMatchObject({ montant: 0 });
  // one flag per problem, on the release that judges it: not also the initial release's AMOUNT_ZERO,
  // which says a zero kept as a value (found by a mapping probe: Villeurbanne's record 629 had both)
  const zeros = (r: J): unknown[] => (((r['x_decp'] as J)['qualityFlags'] as J[] | undefined) ?? []).filter((f) => f['code'] === 'AMOUNT_ZERO').map((f) => f['pointer']);
  expect(zeros(releases[0]!)).toEqual([]);
  expect(releases.flatMap(zeros)).toEqual([]);
  const contract = (([...records.values()][0]!['contracts'] as Obj[])[0]!) as unknown as { value: { amount: number }; period: { durationInDays: number } };
  expect(contract.value.amount).toBe(120000);
  expect(contract.period.durationInDays).toBeGreaterThan(900);
});

test('a modification whose new total is negative (a "moins-value" given as the change) leaves the contract its value, flagged (found by a probe: the compiled contract was worth -5,000)', async () => {
  const mods = [{ modification: { id: 1, montant: -5000, dateNotificationModification: '2022-06-01', datePublicationDonneesModification: '2022-06-03' } }];
  const { releases, records } = await compiled({ marches: { marche: [m2024({ datePublicationDonnees: '2022-03-05', modifications: mods })] } });
  const amend = releases.filter((r) => (r['tag'] as string[])[0] === 'contractAmendment');
  expect((amend[0]!['contracts'] as Obj[])[0]!['value']).toBeUndefined();
  expect((amend[0]!['x_decp'] as J)['qualityFlags']).toContainEqual({ id: expect.stringMatching(/-m1\.1$/), code: 'MODIFICATION_AMOUNT_NEGATIVE', pointer: '/modifications/0/montant', raw: -5000 });
  expect((amend[0]!['x_decp'] as J)['modification']).toMatchObject({ montant: -5000 });
  const initial = (releases[0]!['contracts'] as Array<{ value: { amount: number } }>)[0]!.value.amount;
  expect(initial).toBeGreaterThan(0);
  const contract = ([...records.values()][0]!['contracts'] as Array<{ value: { amount: number } }>)[0]!;
  expect(contract.value.amount).toBe(initial);
});

test('a contract of 0 months has no end date (DURATION_ZERO): no period ending on its start day', async () => {
  const { releases } = await compiled({ marches: { marche: [m2024({ dureeMois: '0' })] } });
  const contract = (releases[0]!['contracts'] as Array<{ period?: J }>)[0]!;
  expect(contract.period).toEqual({ startDate: expect.any(String) });
  expect(JSON.stringify(releases[0]!['x_decp'])).toMatch(/"code":"DURATION_ZERO","pointer":"\/dureeMois","raw":"0"/);
});

test('a subcontracting act\'s modification (2024) is an awardUpdate release; the compiled act has its latest amount; nothing is left unmapped', async () => {
  const act = { acteSousTraitance: { id: 1, sousTraitant: { id: '81809944200019', typeIdentifiant: 'SIRET' }, dureeMois: 8, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-10', montant: 30000, variationPrix: 'Ferme' } };
  const mod = (notified: string, published: string, montant: number, extra: J = {}): J => ({ modificationActeSousTraitance: { id: 1, montant, dateNotificationModificationSousTraitance: notified, datePublicationDonnees: published, ...extra } });
  const { releases, records } = await compiled({ marches: { marche: [m2024({ actesSousTraitance: [act], modificationsActesSousTraitance: [mod('2023-03-23', '2024-07-18', 26373), mod('2024-07-02', '2024-07-18', 22015, { dureeMois: 12 })] })] } });
  const updates = releases.filter((r) => (r['tag'] as string[])[0] === 'awardUpdate');
  expect(updates.map((r) => [String(r['id']).replace(/^.*-/, ''), r['date'], (r['x_decp'] as J)['sousTraitance']])).toEqual([
    ['20230323', '2024-07-18T00:00:00+02:00', [{ id: expect.stringMatching(/^[0-9a-z]{14}-1$/), acte: '1', montant: 26373, dateNotificationModification: '2023-03-23', datePublicationDonneesModification: '2024-07-18' }]],
    ['20240702', '2024-07-18T00:00:00+02:00', [{ id: expect.stringMatching(/^[0-9a-z]{14}-1$/), acte: '1', montant: 22015, dureeMois: 12, dateNotificationModification: '2024-07-02', datePublicationDonneesModification: '2024-07-18' }]],
  ]);
  expect(new Set(updates.map((r) => r['id'])).size).toBe(2);
  const initial = releases.find((r) => (r['tag'] as string[]).includes('award'))!;
  expect((initial['x_decp'] as J)['unmapped']).toBeUndefined();
  const [record] = [...records.values()];
  // (the act's own publication date stays the act's)
  expect((record!['x_decp'] as Obj)['sousTraitance']).toEqual([{ id: expect.stringMatching(/^[0-9a-z]{14}-1$/), acte: '1', montant: 22015, dureeMois: 12, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-10', variationPrix: 'Ferme', dateNotificationModification: '2024-07-02', datePublicationDonneesModification: '2024-07-18' }]);
  // the award and its subcontractor are unchanged by the updates
  expect(((record!['awards'] as Obj[])[0]!['subcontracting'] as Obj)['subcontracts']).toEqual([expect.objectContaining({ id: '1' })]);
});

test('a subcontracting act\'s new amount is checked as a contract\'s new total: 0 and below are none (the act keeps its amount), a drop under half is taken and said, on the awardUpdate release (found by a probe: the compiled acts were worth 1, 0 and -2,000)', async () => {
  const act = (id: number, montant: number): J => ({ acteSousTraitance: { id, sousTraitant: { id: '81809944200019', typeIdentifiant: 'SIRET' }, dureeMois: 6, dateNotification: '2024-01-09', datePublicationDonnees: '2024-02-12', montant, variationPrix: 'Ferme' } });
  const mod = (id: number, montant: number): J => ({ modificationActeSousTraitance: { id, montant, dateNotificationModificationSousTraitance: '2024-07-01', datePublicationDonnees: '2024-07-10' } });
  const { releases, records } = await compiled({ marches: { marche: [m2024({ actesSousTraitance: [act(1, 155927), act(2, 94568), act(3, 14645), act(4, 5000)], modificationsActesSousTraitance: [mod(1, 1), mod(2, 0), mod(3, -2000), mod(4, 6000)] })] } });
  const updates = releases.filter((r) => (r['tag'] as string[])[0] === 'awardUpdate');
  expect(updates.map((r) => ((r['x_decp'] as J)['qualityFlags'] as J[] | undefined ?? []).map((f) => [f['code'], f['pointer'], f['raw']]))).toEqual([
    [['MODIFICATION_AMOUNT_DROP', '/modificationsActesSousTraitance/0/montant', 1]],
    [['MODIFICATION_AMOUNT_ZERO', '/modificationsActesSousTraitance/1/montant', 0]],
    [['MODIFICATION_AMOUNT_NEGATIVE', '/modificationsActesSousTraitance/2/montant', -2000]],
    [],
  ]);
  // (the zero judged there is not the initial release's AMOUNT_ZERO too)
  expect(releases.flatMap((r) => (((r['x_decp'] as J)['qualityFlags'] as J[] | undefined) ?? []).filter((f) => f['code'] === 'AMOUNT_ZERO'))).toEqual([]);
  // (no amount in the entry of a total that is none: merged, the act keeps its own)
  expect(updates.map((r) => ((r['x_decp'] as J)['sousTraitance'] as J[])[0]!['montant'])).toEqual([1, undefined, undefined, 6000]);
  const [record] = [...records.values()];
  expect(((record!['x_decp'] as Obj)['sousTraitance'] as Obj[]).map((s) => [s['acte'], s['montant']])).toEqual([['1', 1], ['2', 94568], ['3', 14645], ['4', 6000]]);
});

test('an act\'s changes apply in the order they were notified, not listed: the compiled act has its latest amount, and a later change published before an earlier one is dated with it (found by a probe: the real record 2022-9089-02 compiled to its older amount)', async () => {
  const act = { acteSousTraitance: { id: 1, sousTraitant: { id: '81809944200019', typeIdentifiant: 'SIRET' }, dureeMois: 8, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-05', montant: 26000, variationPrix: 'Ferme' } };
  const mod = (notified: string, published: string, montant: number, dureeMois: number): J => ({ modificationActeSousTraitance: { id: 1, montant, dureeMois, dateNotificationModificationSousTraitance: notified, datePublicationDonnees: published } });
  const actOf = (records: Map<string, Obj>): unknown => (([...records.values()][0]!['x_decp'] as Obj)['sousTraitance'] as Obj[]).map((s) => [s['montant'], s['dureeMois'], s['dateNotificationModification']]);
  // published the same day, the newer listed first
  const same = await compiled({ marches: { marche: [m2024({ actesSousTraitance: [act], modificationsActesSousTraitance: [mod('2024-07-02', '2024-07-18', 22015, 10), mod('2023-03-23', '2024-07-18', 26373, 9)] })] } });
  expect(actOf(same.records)).toEqual([[22015, 10, '2024-07-02']]);
  // (the ids are those the list's order gave: the act and the day it was notified)
  expect(same.releases.filter((r) => (r['tag'] as string[])[0] === 'awardUpdate').map((r) => String(r['id']).replace(/^.*-s/, 's'))).toEqual(['s1-20230323', 's1-20240702']);
  // the newer published before the older: dated with it, said with its own date
  const earlier = await compiled({ marches: { marche: [m2024({ actesSousTraitance: [act], modificationsActesSousTraitance: [mod('2024-07-02', '2024-07-18', 22015, 10), mod('2023-03-23', '2024-08-01', 26373, 9)] })] } });
  expect(actOf(earlier.records)).toEqual([[22015, 10, '2024-07-02']]);
  const newer = earlier.releases.find((r) => String(r['id']).endsWith('-s1-20240702'))!;
  expect(newer['date']).toBe('2024-08-01T00:00:00+02:00');
  expect((newer['x_decp'] as J)['qualityFlags']).toEqual([{ id: expect.stringMatching(/-s1-20240702\.1$/), code: 'RELEASE_DATE_RAISED', pointer: '/modificationsActesSousTraitance/0/datePublicationDonnees', raw: '2024-07-18T00:00:00+02:00' }]);
});

// a change written with a contract modification's date names was dated at the initial release and
// sorted before the earlier change: the act compiled to its older amount (found by an ingest probe)
test('an act\'s change written with a contract modification\'s date names (dateNotificationModification, datePublicationDonneesModification) is dated by them: the latest change wins', async () => {
  const act = { acteSousTraitance: { id: 1, sousTraitant: { id: '81809944200019', typeIdentifiant: 'SIRET' }, dureeMois: 8, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-05', montant: 20000, variationPrix: 'Ferme' } };
  const got = await compiled({ marches: { marche: [m2024({ actesSousTraitance: [act], modificationsActesSousTraitance: [
    { modificationActeSousTraitance: { id: 1, montant: 26000, dateNotificationModificationSousTraitance: '2024-11-04', datePublicationDonnees: '2024-11-05' } },
    { modificationActeSousTraitance: { id: 1, montant: 30000, dateNotificationModification: '2024-12-02', datePublicationDonneesModification: '2024-12-03' } },
  ] })] } });
  expect((([...got.records.values()][0]!['x_decp'] as Obj)['sousTraitance'] as Obj[]).map((s) => s['montant'])).toEqual([30000]);
  const later = got.releases.find((r) => String(r['id']).endsWith('-s1-20241202'))!;
  expect(later['date']).toBe('2024-12-03T00:00:00+01:00');
  expect((later['x_decp'] as J)['unmapped']).toBeUndefined();
});

test('the real files: each modification of a subcontracting act is one awardUpdate release, with an id of its own', async () => {
  const { releases } = await convertAll([join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-19.json')]);
  const updates = releases.filter((r) => (r['tag'] as string[])[0] === 'awardUpdate');
  const entries = (JSON.parse(readFileSync(join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-19.json'), 'utf8')) as { marches: { marche: J[] } }).marches.marche.flatMap((m) => (m['modificationsActesSousTraitance'] as unknown[] | undefined) ?? []);
  expect(entries.length).toBeGreaterThan(5);
  expect(updates).toHaveLength(entries.length);
  expect(new Set(updates.map((r) => r['id'])).size).toBe(updates.length);
  for (const r of releases) expect(JSON.stringify((r['x_decp'] as J)['unmapped'] ?? {})).not.toMatch(/ActesSousTraitance/);
});

test('a subcontracting act\'s modification dated before the record (a typo) is raised to the initial release, flagged at its own date', async () => {
  const act = { acteSousTraitance: { id: 1, sousTraitant: { id: '81809944200019', typeIdentifiant: 'SIRET' }, dureeMois: 8, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-10', montant: 30000 } };
  const { releases } = await compiled({ marches: { marche: [m2024({ dateNotification: '2022-03-01', datePublicationDonnees: '2022-03-05', actesSousTraitance: [act], modificationsActesSousTraitance: [{ modificationActeSousTraitance: { id: 1, montant: 1000, dateNotificationModificationSousTraitance: '2002-06-01', datePublicationDonnees: '2002-06-03' } }] })] } });
  const update = releases.find((r) => (r['tag'] as string[])[0] === 'awardUpdate')!;
  expect((update['x_decp'] as J)['qualityFlags']).toContainEqual(expect.objectContaining({ code: 'RELEASE_DATE_RAISED', pointer: '/modificationsActesSousTraitance/0/datePublicationDonnees' }));
});

test('lots of one ocid (records sharing a buyer and an id) keep each their quality flags and subcontracting acts in the compiled release (found by a mapping audit)', async () => {
  const act = (montant: number): J => ({ acteSousTraitance: { id: 1, sousTraitant: { id: '81809944200019', typeIdentifiant: 'SIRET' }, dureeMois: 8, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-10', montant, variationPrix: 'Ferme' } });
  // each lot has a flag of its own: a SIRET that fails the Luhn check, a duration of 0 months
  const lot1 = m2024({ objet: 'Lot 1 : ascenseurs', titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '55204599900868' } }], actesSousTraitance: [act(1000)] });
  const lot2 = m2024({ objet: 'Lot 2 : escaliers', dureeMois: 0, actesSousTraitance: [act(2000)] });
  const { releases, records } = await compiled({ marches: { marche: [lot1, lot2] } });
  expect(records.size).toBe(1);
  const x = [...records.values()][0]!['x_decp'] as { qualityFlags: Obj[]; sousTraitance: Obj[] };
  const own = releases.flatMap((r) => ((r['x_decp'] as { qualityFlags?: Obj[] }).qualityFlags ?? []).map((f) => f['code']));
  expect(own).toEqual(expect.arrayContaining(['SIRET_LUHN', 'DURATION_ZERO']));
  expect(x.qualityFlags.map((f) => f['code']).sort()).toEqual([...own].sort());
  expect(x.sousTraitance.map((s) => [s['acte'], s['montant']]).sort()).toEqual([['1', 1000], ['1', 2000]]);
});

test('concession lots of one ocid keep each their investment of a year in the compiled release (found by a probe: the second lot\'s 2,222 replaced the first\'s 1,111)', async () => {
  const lot = (objet: string, siret: string, depensesInvestissement: number): J => ({ id: 'DSP2024', autoriteConcedante: { id: '21350238800019' }, nature: 'Concession de service', objet, procedure: 'Procédure négociée ouverte', dureeMois: 60, dateSignature: '2024-03-01', datePublicationDonnees: '2024-03-10', dateDebutExecution: '2024-04-01', valeurGlobale: 100000,
    concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: siret } }], donneesExecution: [{ donneesAnnuelles: { datePublicationDonneesExecution: '2025-03-15', depensesInvestissement } }] });
  const { releases, records } = await compiled({ marches: { 'contrat-concession': [lot('Lot 1 restauration', '81223113200026', 1111), lot('Lot 2 buvette', '38103128500491', 2222)] } });
  expect(records.size).toBe(1);
  const awards = releases.filter((r) => (r['tag'] as string[])[0] === 'award').map((r) => (r['awards'] as J[])[0]!['id']);
  expect(((([...records.values()][0]!['x_decp'] as Obj)['depensesInvestissement'] as Obj[]))).toEqual([
    { id: `${String(awards[0])}-2025`, year: '2025', amount: 1111, currency: 'EUR' },
    { id: `${String(awards[1])}-2025`, year: '2025', amount: 2222, currency: 'EUR' },
  ]);
});

test('an investment\'s year is a year: a second entry of one year keeps its `-2` in the id only, an entry without a date has none (found by a mapping probe: "year": "2002-2")', async () => {
  const entry = (date: string | undefined, depensesInvestissement: number): J => ({ donneesAnnuelles: { ...(date === undefined ? {} : { datePublicationDonneesExecution: date }), depensesInvestissement } });
  const concession = { id: 'DSP2024', autoriteConcedante: { id: '21350238800019' }, nature: 'Concession de service', objet: 'Piscine', procedure: 'Procédure négociée ouverte', dureeMois: 60, dateSignature: '2024-03-01', datePublicationDonnees: '2024-03-10', dateDebutExecution: '2024-04-01', valeurGlobale: 100000,
    concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '81223113200026' } }], donneesExecution: [entry('2025-03-15', 100), entry('2025-09-30', 200), entry(undefined, 300)] };
  const { releases } = await compiled({ marches: { 'contrat-concession': [concession] } });
  const investments = releases.flatMap((r) => ((r['x_decp'] as { depensesInvestissement?: J[] }).depensesInvestissement ?? []).map((d) => [String(d['id']).replace(/^.*-(?=\d{4}|n)/, ''), d['year'], d['amount']]));
  expect(investments).toEqual([['2025', '2025', 100], ['2025-2', '2025', 200], ['n3', undefined, 300]]);
});

test('a new total under half the value so far is taken but flagged MODIFICATION_AMOUNT_DROP; "no subcontracting" beside acts is flagged (found by a mapping audit)', async () => {
  const mod = (id: number, montant: number): J => ({ modification: { id, montant, dateNotificationModification: `2023-0${id + 4}-01`, datePublicationDonneesModification: `2023-0${id + 4}-10` } });
  const act = { acteSousTraitance: { id: 1, sousTraitant: { id: '81809944200019', typeIdentifiant: 'SIRET' }, dureeMois: 8, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-10', montant: 3000, variationPrix: 'Ferme' } };
  const { releases, records } = await compiled({ marches: { marche: [m2024({ sousTraitanceDeclaree: false, actesSousTraitance: [act], modifications: [mod(1, 6), mod(2, 90000)] })] } });
  const flags = (r: J): J[] => ((r['x_decp'] as { qualityFlags?: J[] }).qualityFlags ?? []);
  const amend = releases.filter((r) => (r['tag'] as string[])[0] === 'contractAmendment');
  expect(amend.map((r) => flags(r).filter((f) => f['code'] === 'MODIFICATION_AMOUNT_DROP').map((f) => f['raw']))).toEqual([[6], []]);
  expect(flags(releases[0]!)).toContainEqual(expect.objectContaining({ code: 'SUBCONTRACTING_DECLARED_FALSE', pointer: '/sousTraitanceDeclaree' }));
  expect(contract0([...records.values()][0]!)['value']).toEqual({ amount: 90000, currency: 'EUR' });
});

test('two subcontracting acts of one record with the same id stay two acts, flagged SUBCONTRACT_ID_DUPLICATE; an act without an id never takes another\'s (found by a value-conservation sweep)', async () => {
  const act = (id: number | undefined, siret: string, montant: number): J => ({ acteSousTraitance: { ...(id === undefined ? {} : { id }), sousTraitant: { id: siret, typeIdentifiant: 'SIRET' }, dureeMois: 8, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-10', montant, variationPrix: 'Ferme' } });
  const acts = [act(1, '81809944200019', 3000), act(1, '44306184100047', 100), act(undefined, '55204599900869', 50), act(3, '35600000000048', 70)];
  const { releases, records } = await compiled({ marches: { marche: [m2024({ actesSousTraitance: acts })] } });
  const initial = releases[0]!;
  const ids = ((initial['awards'] as J[])[0]!['subcontracting'] as { subcontracts: J[] }).subcontracts.map((s) => s['id']);
  // the third act has no id: its position (3) is the fourth act's own, so it is n3
  expect(ids).toEqual(['1', '1-2', 'n3', '3']);
  expect(((initial['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['code'] === 'SUBCONTRACT_ID_DUPLICATE')).toEqual([expect.objectContaining({ pointer: '/actesSousTraitance/1/id', raw: '1' })]);
  // compiled: every act, with its subcontractor and its amount
  const compiledRelease = [...records.values()][0]!;
  const award = (compiledRelease['awards'] as Obj[])[0]!;
  expect((award['subcontracting'] as { subcontracts: Obj[] }).subcontracts.map((s) => (s['subcontractor'] as Obj)['id'])).toEqual(['FR-RCS-81809944200019', 'FR-RCS-44306184100047', 'FR-RCS-55204599900869', 'FR-RCS-35600000000048']);
  expect((compiledRelease['x_decp'] as { sousTraitance: Obj[] }).sousTraitance.map((s) => s['montant'])).toEqual([3000, 100, 50, 70]);
  // an id made here never takes an act's own: A, A, A-2 and 2, (none), n2 stay three acts each (found by a review)
  const idsOf = async (given: Array<string | undefined>): Promise<unknown[]> => {
    const { releases: rs } = await compiled({ marches: { marche: [m2024({ actesSousTraitance: given.map((_, k) => act(undefined, ['81809944200019', '44306184100047', '55204599900869'][k]!, k + 1)).map((a, k) => (given[k] === undefined ? a : { acteSousTraitance: { ...(a['acteSousTraitance'] as J), id: given[k] } })) })] } });
    return ((rs[0]!['awards'] as J[])[0]!['subcontracting'] as { subcontracts: J[] }).subcontracts.map((s) => s['id']);
  };
  expect(await idsOf(['A', 'A', 'A-2'])).toEqual(['A', 'A-3', 'A-2']);
  expect(await idsOf(['2', undefined, 'n2'])).toEqual(['2', 'n2-2', 'n2']);
});

test('one identifier given with two names keeps the first as the party\'s name and the other in a PARTY_OTHER_NAME flag; the same name in another case is one (found by a value-conservation sweep)', async () => {
  const holder = (id: string, denominationSociale: string): J => ({ titulaire: { typeIdentifiant: 'SIRET', id, denominationSociale } });
  const twice = m2024({ id: 'T1', titulaires: [holder('55204599900869', 'ASSURANCES DU NORD'), holder('55204599900869', 'Cabinet CESTI'), holder('55204599900869', 'assurances  du nord')] });
  // the buyer (2024: no buyer name; the 2019 format gives one) is its own supplier under another name
  const own = { ...m2024({ id: 'T2' }), acheteur: { id: '21440109300015' }, titulaires: [holder('21440109300015', 'REGIE DES EAUX')] };
  const { releases } = await compiled({ marches: { marche: [twice, own] } });
  const flagsOf = (id: string): J[] => ((releases.find((r) => (r['x_decp'] as J)['id'] === id)!['x_decp'] as J)['qualityFlags'] as J[] | undefined) ?? [];
  expect(flagsOf('T1').filter((f) => f['code'] === 'PARTY_OTHER_NAME')).toEqual([expect.objectContaining({ pointer: '/titulaires/1/denominationSociale', raw: 'Cabinet CESTI' })]);
  const parties = releases.find((r) => (r['x_decp'] as J)['id'] === 'T1')!['parties'] as J[];
  expect(parties.filter((p) => p['id'] === 'FR-RCS-55204599900869').map((p) => p['name'])).toEqual(['ASSURANCES DU NORD']);
  // no buyer name in 2024: the supplier's name is the party's, nothing lost, no flag
  expect(flagsOf('T2').map((f) => f['code'])).toContain('BUYER_IS_SUPPLIER');
  expect(flagsOf('T2').map((f) => f['code'])).not.toContain('PARTY_OTHER_NAME');
});

test('a 2019 buyer that is its own supplier under another name: the supplier\'s name is kept in PARTY_OTHER_NAME', async () => {
  const rec = { _type: 'Marché', uid: 'X', id: '2020-01', acheteur: { id: '21350238800019', nom: 'Ville de Test' }, nature: 'Marché', objet: 'Eau', codeCPV: '65100000', lieuExecution: { code: '35000', typeCode: 'Code postal', nom: 'Rennes' }, dureeMois: 12, dateNotification: '2020-01-10', datePublicationDonnees: '2020-01-15', montant: 5000, formePrix: 'Ferme', procedure: 'Procédure adaptée', titulaires: [{ typeIdentifiant: 'SIRET', id: '21350238800019', denominationSociale: 'REGIE MUNICIPALE DES EAUX' }], modifications: [] };
  const { releases } = await compiled({ marches: [rec] });
  const flags = ((releases[0]!['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['code'] === 'PARTY_OTHER_NAME');
  expect(flags).toEqual([expect.objectContaining({ pointer: '/titulaires/0/denominationSociale', raw: 'REGIE MUNICIPALE DES EAUX' })]);
  expect((releases[0]!['parties'] as J[]).map((p) => [p['name'], p['roles']])).toEqual([['Ville de Test', ['buyer', 'supplier']]]);
});
