/**
 * The mapping table of docs/mapping.md, row by row, where no sample shows a row: each procedure
 * label's method, concession procedures and natures, the sustainability strategies, the flags a
 * monitor relies on. Expectations are the documentation's, written here, not read from the profile.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { BUYER, concession, flagsOf, marche, releasesById, type J } from '../helpers/decp-records.js';
import { tempDir } from '../helpers/tmp.js';

const convert = (records: J[]): Promise<Map<string, J>> => releasesById(records, (tags) => !tags.includes('contractAmendment'));

test('each procedure label of the table gives its method (procurementMethodDetails: the label as given)', async () => {
  const table: Array<[string, string | undefined]> = [
    ["Appel d'offres ouvert", 'open'],
    ["Appel d'offres restreint", 'selective'],
    ['Procédure avec négociation', 'selective'],
    ['Procédure concurrentielle avec négociation', 'selective'],
    ['Procédure négociée avec mise en concurrence préalable', 'selective'],
    ['Marché négocié avec mise en concurrence préalable', 'selective'],
    ['Dialogue compétitif', 'selective'],
    ['Marché passé sans publicité ni mise en concurrence préalable', 'limited'],
    ['Marché négocié sans publicité ni mise en concurrence préalable', 'limited'],
    ['Procédure négociée sans publicité ni mise en concurrence préalable', 'limited'],
    ['Procédure adaptée', undefined],
    ['Concours', undefined],
    // compared without case, accents or punctuation
    ['APPEL D OFFRES OUVERT', 'open'],
  ];
  const got = await convert(table.map(([label], k) => marche(`P${k}`, { procedure: label })));
  table.forEach(([label, method], k) => {
    const tender = got.get(`P${k}`)!['tender'] as J;
    expect([label, tender['procurementMethod'], tender['procurementMethodDetails']]).toEqual([label, method, label]);
  });
});

test('concessions: their procedures, and a works concession is works, others services', async () => {
  const got = await convert([
    concession('C1', { procedure: 'Procédure négociée ouverte', nature: 'Concession de travaux' }),
    concession('C2', { procedure: 'Procédure non négociée restreinte', nature: 'Concession de service' }),
    concession('C3', { procedure: 'Procédure négociée restreinte', nature: 'Délégation de service public' }),
  ]);
  const t = (id: string): J => got.get(id)!['tender'] as J;
  expect([t('C1')['procurementMethod'], t('C1')['mainProcurementCategory']]).toEqual(['open', 'works']);
  expect([t('C2')['procurementMethod'], t('C2')['mainProcurementCategory']]).toEqual(['selective', 'services']);
  expect([t('C3')['procurementMethod'], t('C3')['mainProcurementCategory']]).toEqual(['selective', 'services']);
});

test('sustainability: a reserved contract is reservedParticipation, a social criterion awardCriteria, an environmental clause contractPerformanceConditions', async () => {
  const got = await convert([
    marche('S1', { considerationsSociales: { considerationSociale: ['Marché réservé', 'Critère social'] }, considerationsEnvironnementales: { considerationEnvironnementale: ['Clause environnementale'] } }),
  ]);
  expect((got.get('S1')!['tender'] as J)['sustainability']).toEqual([
    { goal: 'social', strategies: ['reservedParticipation', 'awardCriteria'] },
    { goal: 'environmental', strategies: ['contractPerformanceConditions'] },
  ]);
});

test('a subcontracting act with nothing in it makes no act: flagged SUBCONTRACT_EMPTY, the acts beside it kept', async () => {
  const act = { acteSousTraitance: { id: 2, sousTraitant: { id: '55203253400646', typeIdentifiant: 'SIRET' }, montant: 3000, dureeMois: 2, dateNotification: '2024-02-01', datePublicationDonnees: '2024-02-03', variationPrix: 'Ferme' } };
  const got = await convert([marche('SE1', { actesSousTraitance: [{ acteSousTraitance: null }, {}, act] })]);
  const r = got.get('SE1')!;
  expect(flagsOf(r).filter((f) => f['code'] === 'SUBCONTRACT_EMPTY').map((f) => f['pointer'])).toEqual(['/actesSousTraitance/0', '/actesSousTraitance/1']);
  expect(((r['x_decp'] as Record<string, unknown>)['sousTraitance'] as Array<Record<string, unknown>>).map((a) => [a['acte'], a['montant']])).toEqual([['2', 3000]]);
  expect(JSON.stringify(r['awards'])).toContain('"subcontractor":{"id":"FR-RCS-55203253400646"}');
  // a modification of an act the record does not list is said (found by a probe: an orphan entry, unsaid)
  const mod = (id: number): J => ({ modificationActeSousTraitance: { id, dureeMois: 3, dateNotificationModificationSousTraitance: '2024-09-01', datePublicationDonnees: '2024-09-02', montant: 4000 } });
  const file = join(tempDir('decp-ocds-records-'), 'm.json');
  writeFileSync(file, JSON.stringify({ marches: [marche('SE2', { actesSousTraitance: [act], modificationsActesSousTraitance: [mod(2), mod(9)] })] }));
  const updates = (await convertAll([file])).releases.filter((x) => (x['tag'] as string[]).includes('awardUpdate')) as unknown as J[];
  expect(updates.map((u) => flagsOf(u).filter((f) => String(f['code']).startsWith('SUBCONTRACT_MODIFICATION')).map((f) => [f['code'], f['raw']]))).toEqual([[], [['SUBCONTRACT_MODIFICATION_UNKNOWN_ACT', '9']]]);
});

test('flags a monitor relies on: BUYER_IS_SUPPLIER, MODIFICATION_DUPLICATE, PLACE_TYPE_CORRECTED, CPV_INVALID (the value never dropped silently)', async () => {
  const modification = { objetModification: 'avenant 1', dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-02', montant: 2000 };
  const got = await convert([
    marche('F1', { titulaires: [{ typeIdentifiant: 'SIRET', id: BUYER, denominationSociale: 'Régie' }] }),
    marche('F2', { modifications: [modification, { ...modification }] }),
    marche('F3', { lieuExecution: { code: '59000', typeCode: 'Code commune', nom: 'Lille' } }),
    marche('F4', { codeCPV: 'travaux divers' }),
  ]);
  expect(flagsOf(got.get('F1')!).map((f) => f.code)).toContain('BUYER_IS_SUPPLIER');
  expect(flagsOf(got.get('F2')!)).toContainEqual(expect.objectContaining({ code: 'MODIFICATION_DUPLICATE', pointer: '/modifications/1' }));
  const f3 = got.get('F3')!;
  expect(flagsOf(f3).map((f) => f.code)).toContain('PLACE_TYPE_CORRECTED');
  expect((((f3['tender'] as J)['items'] as J[])[0]!)['deliveryAddresses']).toEqual([{ postalCode: '59000', countryName: 'France', description: 'Lille' }]);
  const f4 = got.get('F4')!;
  expect(flagsOf(f4)).toContainEqual(expect.objectContaining({ code: 'CPV_INVALID', raw: 'travaux divers' }));
  expect((((f4['tender'] as J)['items'] as J[])[0]!)['classification']).toBeUndefined();
});
