/**
 * Coded values in the spellings buyer platforms write (an audit of the codelists: procédure, nature,
 * lieuExecution.typeCode, a concession's nature): each class of spelling is read for every codelist
 * alike and said (CODE_RESPELLED), an ambiguous one is read as nothing and said (CODE_AMBIGUOUS).
 */
import { TRANSFORMS } from '../../src/transform/functions.js';
import type { MappingFlag } from '../../src/transform/profile.js';
import { concession, flagsOf, marche, releasesById, type J } from '../helpers/decp-records.js';

const convert = (records: J[]): Promise<Map<string, J>> => releasesById(records, (tags) => tags.includes('award') || tags.includes('contract'));
const tenderOf = (r: J): J => r['tender'] as J;
const codeFlags = (r: J): Array<[string, string, unknown]> => flagsOf(r).filter((f) => f.code.startsWith('CODE_')).map((f) => [f.code, f.pointer, f.raw]);

test('a procédure in another spelling (abbreviation, plural, with its abbreviation, cut short) is its procurementMethod and its label, flagged CODE_RESPELLED with the label as given', async () => {
  const AOO = "Appel d'offres ouvert";
  const PA = 'Procédure adaptée';
  const cases: Array<[string, string | undefined, string]> = [
    ['AOO', 'open', AOO],
    ['A.O.O.', 'open', AOO],
    ['AOR', 'selective', "Appel d'offres restreint"],
    ['PCN', 'selective', 'Procédure concurrentielle avec négociation'],
    ["Appels d'offres ouverts", 'open', AOO],
    ["Appel d'offre ouvert", 'open', AOO],
    ["Appel d'offres ouvert (AOO)", 'open', AOO],
    ['Marché négocié sans publicité', 'limited', 'Marché négocié sans publicité ni mise en concurrence préalable'],
    ['MAPA', undefined, 'Marché à procédure adaptée'],
    ['MAPA - Procédure adaptée', undefined, PA],
    ['Procédure adaptée (MAPA)', undefined, PA],
  ];
  const got = await convert(cases.map(([procedure], i) => marche(`P${i}`, { procedure })));
  cases.forEach(([procedure, method, details], i) => {
    const r = got.get(`P${i}`)!;
    expect([procedure, tenderOf(r)['procurementMethod'], tenderOf(r)['procurementMethodDetails']]).toEqual([procedure, method, details]);
    expect(codeFlags(r)).toEqual([['CODE_RESPELLED', '/procedure', procedure]]);
  });
});

test('a procédure that could be two (Procédure négociée: with or without competition; Appel d\'offres) has no procurementMethod, flagged CODE_AMBIGUOUS; one of no label stays CODE_UNKNOWN', async () => {
  const got = await convert([
    marche('A1', { procedure: 'Procédure négociée' }),
    marche('A2', { procedure: "Appel d'offres" }),
    marche('A3', { procedure: 'Procédure adaptée ouverte' }),
    marche('A4', { procedure: 'Mapa' }),
    marche('A5', { procedure: 'Procédure adaptée (< 90 000 €)' }),
  ]);
  for (const [id, code] of [['A1', 'CODE_AMBIGUOUS'], ['A2', 'CODE_AMBIGUOUS'], ['A3', 'CODE_UNKNOWN'], ['A4', 'CODE_UNKNOWN'], ['A5', 'CODE_UNKNOWN']] as const) {
    const r = got.get(id)!;
    expect(tenderOf(r)['procurementMethod']).toBeUndefined();
    expect(codeFlags(r).map((f) => f[0])).toEqual([code]);
  }
});

test('a nature in another spelling is read (a framework, a call-off of one); a nature of two codes (Accord-cadre / marché subséquent, MP) is none, CODE_AMBIGUOUS', async () => {
  const got = await convert([
    marche('N1', { nature: 'Accords-cadres' }),
    marche('N2', { nature: 'AC' }),
    marche('N3', { nature: 'Marchés subséquents' }),
    marche('N4', { nature: 'Marché de défense et de sécurité' }),
    marche('N5', { nature: 'Accord-cadre / marché subséquent' }),
    marche('N6', { nature: 'MP' }),
  ]);
  expect(tenderOf(got.get('N1')!)['techniques']).toEqual({ hasFrameworkAgreement: true });
  expect(tenderOf(got.get('N2')!)['techniques']).toEqual({ hasFrameworkAgreement: true });
  expect((got.get('N3')!['relatedProcesses'] as J[]).map((p) => p['relationship'])).toEqual([['framework']]);
  for (const id of ['N1', 'N2', 'N3', 'N4']) expect(codeFlags(got.get(id)!).map((f) => f[0])).toEqual(['CODE_RESPELLED']);
  for (const id of ['N5', 'N6']) {
    const r = got.get(id)!;
    expect([tenderOf(r)['techniques'], r['relatedProcesses']]).toEqual([undefined, undefined]);
    expect(codeFlags(r)).toEqual([['CODE_AMBIGUOUS', '/nature', id === 'N5' ? 'Accord-cadre / marché subséquent' : 'MP']]);
  }
});

test('a concession nature in another spelling (plural, abbreviation) gives its category, flagged CODE_RESPELLED', async () => {
  const got = await convert([
    concession('C1', { nature: 'Concession de services publics' }),
    concession('C2', { nature: 'DSP' }),
    concession('C3', { nature: 'CT' }),
  ]);
  expect(['C1', 'C2', 'C3'].map((id) => tenderOf(got.get(id)!)['mainProcurementCategory'])).toEqual(['services', 'services', 'works']);
  expect(codeFlags(got.get('C2')!)).toEqual([['CODE_RESPELLED', '/nature', 'DSP']]);
});

test('a place type in another spelling (adjective, plural, small words, abbreviation) is read, flagged; CC (commune or canton) is not', async () => {
  const place = (typeCode: string, code = '75056'): J => ({ lieuExecution: { code, typeCode } });
  const got = await convert([
    marche('L1', place('Code départemental', '75')),
    marche('L2', place('Codes postaux', '75001')),
    marche('L3', place('Code de la commune')),
    marche('L4', place('CC')),
  ]);
  const address = (id: string): unknown => (((tenderOf(got.get(id)!)['items'] as J[])[0]!['deliveryAddresses'] as J[] | undefined) ?? [])[0];
  expect(address('L1')).toEqual(expect.objectContaining({ region: '75' }));
  expect(address('L2')).toEqual(expect.objectContaining({ postalCode: '75001' }));
  expect(codeFlags(got.get('L3')!)).toEqual([['CODE_RESPELLED', '/lieuExecution/typeCode', 'Code de la commune']]);
  expect(codeFlags(got.get('L4')!)).toEqual([['CODE_AMBIGUOUS', '/lieuExecution/typeCode', 'CC']]);
});

test('codelist: a code given where a label is expected is no abbreviation; a lower-case word is none either', () => {
  const flags: MappingFlag[] = [];
  const ctx = { pointer: '/x', flags, codelist: { 'Dólar Estadounidense': 'USD', 'Unidad Sur Dólar': 'XSU' } };
  expect(TRANSFORMS.codelist('USD', ctx)).toEqual({ code: null, label: 'USD' });
  expect(TRANSFORMS.codelist('usd', ctx)).toEqual({ code: null, label: 'usd' });
  expect(TRANSFORMS.codelist('dolar estadounidenses', ctx)).toEqual({ code: 'USD', label: 'dolar estadounidenses', readAs: 'Dólar Estadounidense' });
  expect(flags.map((f) => f.code)).toEqual(['CODE_UNKNOWN', 'CODE_UNKNOWN', 'CODE_RESPELLED']);
});

test('a concession whose nature is not read has no category from it (it was services): its CPV\'s when given, else none', async () => {
  const got = await convert([
    concession('U1', { nature: 'Concession de travaux publics' }),
    concession('U2', { nature: 'Concession de travaux publics', codeCPV: '45000000' }),
    concession('U3', { nature: 'Concession' }),
  ]);
  expect(['U1', 'U2', 'U3'].map((id) => tenderOf(got.get(id)!)['mainProcurementCategory'])).toEqual([undefined, 'works', undefined]);
  expect(codeFlags(got.get('U1')!)).toEqual([['CODE_UNKNOWN', '/nature', 'Concession de travaux publics']]);
});

test('a technique in another spelling (AC, S.A.D., EE, cut short) is read as the codelists\' labels are, flagged CODE_RESPELLED; XY stays CODE_UNKNOWN', async () => {
  const got = await convert([
    marche('T1', { techniques: ['AC'] }),
    marche('T2', { techniques: ['S.A.D.'] }),
    marche('T3', { techniques: ['EE'] }),
    marche('T4', { techniques: ["Système d'acquisition"] }),
    marche('T5', { techniques: ['XY'] }),
  ]);
  expect(['T1', 'T2', 'T3', 'T4', 'T5'].map((id) => tenderOf(got.get(id)!)['techniques'])).toEqual([
    { hasFrameworkAgreement: true },
    { hasDynamicPurchasingSystem: true },
    { hasElectronicAuction: true },
    { hasDynamicPurchasingSystem: true },
    undefined,
  ]);
  expect(codeFlags(got.get('T2')!)).toEqual([['CODE_RESPELLED', '/techniques', 'S.A.D.']]);
  expect(codeFlags(got.get('T5')!)).toEqual([['CODE_UNKNOWN', '/techniques', 'XY']]);
});

test('an identifier type after a number\'s prefix (Code, Identifiant, N° d\'identification) or SIRET (France) is its DECP type, ID_TYPE_RESPELLED; SIRET ou TVA is still none', async () => {
  const typed = (id: string, typeIdentifiant: string): J => marche(id, { titulaires: [{ typeIdentifiant, id: '44189140500017', denominationSociale: 'X' }] });
  const got = await convert([typed('I1', 'Code SIRET'), typed('I2', 'Identifiant SIRET'), typed('I3', 'SIRET (France)'), typed('I4', "N° d'identification TVA"), typed('I5', 'SIRET ou TVA')]);
  const supplier = (id: string): unknown => (got.get(id)!['parties'] as J[]).find((p) => (p['roles'] as string[]).includes('supplier'))!['id'];
  expect(['I1', 'I2', 'I3', 'I4', 'I5'].map(supplier)).toEqual(['FR-RCS-44189140500017', 'FR-RCS-44189140500017', 'FR-RCS-44189140500017', 'FR-DECP-TVA-44189140500017', 'FR-DECP-SIRET-OU-TVA-44189140500017']);
  expect(flagsOf(got.get('I1')!).filter((f) => f.code.startsWith('ID_TYPE')).map((f) => [f.code, f.raw])).toEqual([['ID_TYPE_RESPELLED', 'Code SIRET']]);
});

test('booleans as PostgreSQL (t, f) or a spreadsheet (1.0, 0,00) write them are read; N/A is not', () => {
  const flags: MappingFlag[] = [];
  const ctx = { pointer: '/marcheInnovant', flags };
  expect(['t', 'F', '1.0', '0,00', 'N/A'].map((v) => TRANSFORMS.boolean(v, ctx))).toEqual([true, false, true, false, undefined]);
  expect(flags).toEqual([{ code: 'BOOLEAN_UNPARSABLE', pointer: '/marcheInnovant', raw: 'N/A' }]);
});

test('a 2019 formePrix in another spelling, or a 2024 typesPrix given there, is its typesPrix, CODE_RESPELLED; one of two is kept, CODE_AMBIGUOUS; Unitaire is a 2024 formePrix', async () => {
  const got = await convert([
    marche('F1', { formePrix: 'Prix révisables' }),
    marche('F2', { formePrix: 'Ferme, actualisable' }),
    marche('F3', { formePrix: 'Définitif révisable' }),
    marche('F4', { formePrix: 'Ferme / Révisable' }),
    marche('F5', { formePrix: 'Unitaire' }),
    marche('F6', { formePrix: 'Prix ferme', typesPrix: ['Définitif ferme'] }),
  ]);
  const price = (id: string): unknown[] => { const x = got.get(id)!['x_decp'] as J; return [x['formePrix'], x['typesPrix']]; };
  expect(['F1', 'F2', 'F3', 'F4', 'F5'].map(price)).toEqual([
    [undefined, ['Définitif révisable']],
    [undefined, ['Définitif actualisable']],
    [undefined, ['Définitif révisable']],
    ['Ferme / Révisable', undefined],
    ['Unitaire', undefined],
  ]);
  expect(codeFlags(got.get('F1')!)).toEqual([['CODE_RESPELLED', '/formePrix', 'Prix révisables']]);
  expect(codeFlags(got.get('F4')!)).toEqual([['CODE_AMBIGUOUS', '/formePrix', 'Ferme / Révisable']]);
  expect(codeFlags(got.get('F5')!)).toEqual([]);
  // (a record that gives its typesPrix keeps its formePrix: nothing read from it, nothing said)
  expect(price('F6')).toEqual(['Prix ferme', ['Définitif ferme']]);
  expect(codeFlags(got.get('F6')!)).toEqual([]);
});
