/**
 * Values that came out silently wrong (an audit of the spellings buyer platforms write): each is
 * now the right value, or left out with a flag that keeps what the source said.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { BUYER, concession, flagsOf, marche, releasesById, type J } from '../helpers/decp-records.js';
import type { MappingProfile } from '../../src/transform/profile.js';

const convert = (records: J[]): Promise<Map<string, J>> => releasesById(records, (tags) => tags.includes('award'));
const contractOf = (r: J): J => (r['contracts'] as J[])[0]!;

test('a placeholder or impossible public subsidy (999999999, 1e20) is no charge: left out, flagged, the raw amount in x_decp', async () => {
  const got = await convert([
    concession('S1', { montantSubventionPublique: 999999999 }),
    concession('S2', { montantSubventionPublique: '1e20' }),
    concession('S3', { montantSubventionPublique: '150 000' }),
  ]);
  for (const id of ['S1', 'S2']) {
    const r = got.get(id)!;
    expect(contractOf(r)['implementation']).toBeUndefined();
    expect(flagsOf(r).filter((f) => f.pointer === '/montantSubventionPublique').map((f) => f.code)).toEqual([id === 'S1' ? 'AMOUNT_PLACEHOLDER' : 'AMOUNT_IMPLAUSIBLE']);
  }
  expect((got.get('S1')!['x_decp'] as J)['montantSubventionPublique']).toBe(999999999);
  expect(contractOf(got.get('S3')!)['implementation']).toEqual({ charges: [{ id: 'subvention', title: 'Subvention publique', paidBy: 'government', estimatedValue: { amount: 150000, currency: 'EUR' } }] });
});

test('an identifier of zeros, however short ("0", a number), names no organisation: no supplier party FR-RCS-0, and a buyer "0" is no buyer (rejected)', async () => {
  const file = join(tempDir('decp-ocds-values-'), 'm.json');
  writeFileSync(file, JSON.stringify({ marches: [
    marche('Z1', { titulaires: [{ typeIdentifiant: 'SIRET', id: '0', denominationSociale: 'X' }] }),
    marche('Z2', { titulaires: [{ typeIdentifiant: 'SIRET', id: 0, denominationSociale: 'Y' }] }),
    marche('Z3', { acheteur: { id: '0' } }),
    marche('Z4', { acheteur: { id: 0 } }),
  ] }));
  const { releases, rejects } = await convertAll([file]);
  const byId = new Map(releases.filter((r) => (r['tag'] as string[]).includes('award')).map((r) => [(r['x_decp'] as J)['id'] as string, r as unknown as J]));
  for (const id of ['Z1', 'Z2']) {
    const r = byId.get(id)!;
    expect((r['parties'] as J[]).map((p) => p['id'])).toEqual([`FR-RCS-${BUYER}`]);
    expect(flagsOf(r).map((f) => f.code)).toEqual(expect.arrayContaining(['ID_PLACEHOLDER', 'NO_SUPPLIER']));
  }
  expect([...byId.keys()].sort()).toEqual(['Z1', 'Z2']);
  expect(rejects.map((r) => r.code)).toEqual(['TRANSFORM_NO_BUYER_ID', 'TRANSFORM_NO_BUYER_ID']);
});

test('a CPV code outside the CPV\'s divisions (00000000-1, a date 20190128-1, 99999999) classifies nothing: no classification, no category, CPV_INVALID with the code as given; the award id unchanged', async () => {
  const got = await convert([
    marche('C1', { codeCPV: '00000000-1' }),
    marche('C2', { codeCPV: '20190128-1' }),
    marche('C3', { codeCPV: '99999999' }),
    marche('C4', { codeCPV: '03451000' }),
    marche('C5', { codeCPV: '98000000-3' }),
  ]);
  for (const [id, raw] of [['C1', '00000000-1'], ['C2', '20190128-1'], ['C3', '99999999']] as const) {
    const r = got.get(id)!;
    const tender = r['tender'] as J;
    expect(tender['mainProcurementCategory']).toBeUndefined();
    expect((tender['items'] as J[])[0]!['classification']).toBeUndefined();
    expect(flagsOf(r).filter((f) => f.code.startsWith('CPV'))).toEqual([expect.objectContaining({ code: 'CPV_INVALID', pointer: '/codeCPV', raw })]);
  }
  expect(((got.get('C4')!['tender'] as J)['items'] as J[])[0]!['classification']).toEqual({ scheme: 'CPV', id: '03451000' });
  expect((got.get('C5')!['tender'] as J)['mainProcurementCategory']).toBe('services');
});

test('dates given as numbers (a spreadsheet\'s day number, a serialiser\'s Unix time) or with the month by its English name are the days they say, flagged with the value as given', async () => {
  const got = await convert([
    marche('N1', { dateNotification: 45000 }),
    marche('N2', { dateNotification: '45000' }),
    marche('N3', { dateNotification: 1684101600000 }),
    marche('N4', { dateNotification: 'April 15, 2023' }),
    marche('N5', { dateNotification: 123456 }),
  ]);
  const awardDay = (id: string): unknown => ((got.get(id)!['awards'] as J[])[0]!['date'] as string | undefined)?.slice(0, 10);
  const dateFlags = (id: string): Array<[string, unknown]> => flagsOf(got.get(id)!).filter((f) => f.pointer === '/dateNotification').map((f) => [f.code, f.raw]);
  expect(awardDay('N1')).toBe('2023-03-15');
  expect(dateFlags('N1')).toEqual([['DATE_SERIAL', 45000]]);
  expect(awardDay('N2')).toBe('2023-03-15');
  expect(dateFlags('N2')).toEqual([['DATE_SERIAL', '45000']]);
  expect(awardDay('N3')).toBe('2023-05-15');
  expect(dateFlags('N3')).toEqual([['DATE_EPOCH', 1684101600000]]);
  expect(awardDay('N4')).toBe('2023-04-15');
  expect(dateFlags('N4')).toEqual([['DATE_UNPADDED', 'April 15, 2023']]);
  // digits that are no date: left out, flagged with the value
  expect(awardDay('N5')).toBeUndefined();
  expect(dateFlags('N5')[0]).toEqual(['DATE_UNPARSABLE', 123456]);
});

// the subsidy's title was French in a release whose language a profile set to English (found by a partner's probe)
test('a concession\'s public subsidy is titled in the release\'s language (settings.language); untitled in one we do not write', async () => {
  const dir = tempDir('decp-ocds-subsidy-');
  const file = join(dir, 'c.jsonl');
  writeFileSync(file, `${JSON.stringify({ ref: 'C1', authority: '21350238800019', signed: '2023-03-01', value: '5000000', subsidy: '250000', operators: [{ id: '01234567' }] })}\n`);
  const profile = (language: string): MappingProfile => ({ name: 'conc', settings: { currency: 'GBP', language, checkSiret: false, defaultIdType: 'CH', schemes: { CH: 'GB-COH' } }, records: { unknown: { as: 'contrat-concession', fields: {
    id: { from: 'ref' }, buyerId: { from: 'authority', transform: 'identifier' }, dateConcluded: { from: 'signed', transform: 'date' }, amount: { from: 'value', transform: 'amount' }, subsidy: { from: 'subsidy', transform: 'amount' },
    suppliers: { list: 'operators', fields: { id: { from: 'id', transform: 'identifier' } } },
  } } } }) as unknown as MappingProfile;
  const charge = async (language: string): Promise<J> => (((contractOf((await convertAll([file], profile(language))).releases[0] as unknown as J)['implementation'] as J)['charges'] as J[])[0]!);
  expect(await charge('en')).toEqual({ id: 'subvention', title: 'Public subsidy', paidBy: 'government', estimatedValue: { amount: 250000, currency: 'GBP' } });
  expect((await charge('es'))['title']).toBe('Subsidio público');
  expect((await charge('de'))['title']).toBeUndefined();
});

// an earlier probe: `"acheteur": {"siret": …}` was rejected as having no usable buyer identifier, without saying what it held
test('an organisation\'s identifier under another key (siret, SIRET, identifiant, id_acheteur) is read where its id is not given, flagged KEY_SYNONYM with the key as given', async () => {
  const got = await convert([
    marche('K1', { acheteur: { siret: '21690123100011' } }),
    marche('K2', { acheteur: { SIRET: '21690123100011', nom: 'Lyon' } }),
    marche('K3', { acheteur: { id_acheteur: '21690123100011' } }),
    marche('K4', { titulaires: [{ typeIdentifiant: 'SIRET', siret: '44189140500017', denominationSociale: 'Y' }] }),
    // the key itself given: the synonym beside it stays unread, kept
    marche('K5', { acheteur: { id: BUYER, siret: '21690123100011' } }),
    concession('K6', { autoriteConcedante: { identifiant: '21690123100011' } }),
  ]);
  const synonyms = (id: string): Array<[string, unknown]> => flagsOf(got.get(id)!).filter((f) => f.code === 'KEY_SYNONYM').map((f) => [f.pointer, f.raw]);
  for (const [id, key] of [['K1', 'siret'], ['K2', 'SIRET'], ['K3', 'id_acheteur']] as const) {
    expect((got.get(id)!['buyer'] as J)['id']).toBe('FR-RCS-21690123100011');
    expect(synonyms(id)).toEqual([[`/acheteur/${key}`, key]]);
  }
  expect(((got.get('K4')!['awards'] as J[])[0]!['suppliers'] as J[])).toEqual([{ id: 'FR-RCS-44189140500017', name: 'Y' }]);
  expect(synonyms('K4')).toEqual([['/titulaires/0/siret', 'siret']]);
  expect((got.get('K5')!['buyer'] as J)['id']).toBe(`FR-RCS-${BUYER}`);
  expect(synonyms('K5')).toEqual([]);
  expect(((got.get('K5')!['x_decp'] as J)['unmapped'] as J)['acheteur']).toEqual({ siret: '21690123100011' });
  expect((got.get('K6')!['buyer'] as J)['id']).toBe('FR-RCS-21690123100011');
});

test('a buyer without its id is rejected with a reason that names what its object gives instead (keys by name, never their values); two keys that could each be it are neither read', async () => {
  const file = join(tempDir('decp-ocds-values-'), 'm.json');
  writeFileSync(file, JSON.stringify({ marches: [
    marche('R1', { acheteur: { siren: '216901231', nom: 'Ville' } }),
    marche('R2', { acheteur: { siret: '21690123100011', identifiant: '21690123100012' } }),
    marche('R3', { acheteur: { nom: 'Ville' } }),
  ] }));
  const { rejects } = await convertAll([file]);
  expect(rejects.map((r) => r.code)).toEqual(['TRANSFORM_NO_BUYER_ID', 'TRANSFORM_NO_BUYER_ID', 'TRANSFORM_NO_BUYER_ID']);
  expect(rejects[0]!.reason).toMatch(/acheteur has no "id"; it gives a name and the key "siren", not read as its identifier/);
  expect(rejects[1]!.reason).toMatch(/acheteur has no "id"; it gives the keys "siret", "identifiant"/);
  expect(rejects[2]!.reason).toMatch(/acheteur has no "id"; it gives a name$/);
  expect(rejects.map((r) => r.reason).join('\n')).not.toMatch(/216901231|21690123100011/);
});

test('a duration with words after it (20 mois ferme, 36 mois (12+12+12), 12 mois reconductible 3 fois) ends the contract period where its total says, flagged with the text as given; renewals of no count leave it open', async () => {
  const got = await convert([
    marche('M1', { dureeMois: '20 mois ferme' }),
    marche('M2', { dureeMois: '36 mois (12+12+12)' }),
    marche('M3', { dureeMois: '12 mois reconductible 3 fois' }),
    marche('M4', { dureeMois: '36 mois renouvelable' }),
  ]);
  const end = (id: string): unknown => (((got.get(id)!['contracts'] as J[])[0]!['period'] as J)['maxExtentDate'] as string | undefined)?.slice(0, 10);
  const durationFlags = (id: string): Array<[string, unknown]> => flagsOf(got.get(id)!).filter((f) => f.pointer === '/dureeMois').map((f) => [f.code, f.raw]);
  expect(end('M1')).toBe('2020-09-10');
  expect(durationFlags('M1')).toEqual([['DURATION_AS_STRING', '20 mois ferme'], ['DURATION_WORDS_IGNORED', '20 mois ferme']]);
  expect(end('M2')).toBe('2022-01-10');
  expect(durationFlags('M2')).toEqual([['DURATION_AS_STRING', '36 mois (12+12+12)'], ['DURATION_WORDS_IGNORED', '36 mois (12+12+12)']]);
  expect(end('M3')).toBe('2023-01-10');
  expect(durationFlags('M3')).toEqual([['DURATION_AS_STRING', '12 mois reconductible 3 fois'], ['DURATION_RENEWALS_ADDED', '12 mois reconductible 3 fois']]);
  expect(end('M4')).toBeUndefined();
  expect(durationFlags('M4')).toEqual([['DURATION_AMBIGUOUS', '36 mois renouvelable']]);
});

test('a share (tauxAvance, origineUE, origineFrance) written as a percentage without its sign, 30, is 0.3, flagged; past 100 it is none', async () => {
  const got = await convert([
    marche('P1', { attributionAvance: true, tauxAvance: 30, origineUE: 0.8, origineFrance: '20' }),
    marche('P2', { attributionAvance: true, tauxAvance: 500 }),
  ]);
  const x = (id: string): J => got.get(id)!['x_decp'] as J;
  expect([x('P1')['tauxAvance'], x('P1')['origineUE'], x('P1')['origineFrance']]).toEqual([0.3, 0.8, 0.2]);
  expect(flagsOf(got.get('P1')!).filter((f) => f.code.startsWith('RATE')).map((f) => [f.code, f.pointer, f.raw])).toEqual([['RATE_PERCENT_ASSUMED', '/tauxAvance', 30], ['RATE_PERCENT_ASSUMED', '/origineFrance', '20']]);
  expect(x('P2')['tauxAvance']).toBeUndefined();
  expect(flagsOf(got.get('P2')!).filter((f) => f.code.startsWith('RATE')).map((f) => [f.code, f.raw])).toEqual([['RATE_OUT_OF_RANGE', 500]]);
});

test('a record without a buyer object says which of its unread keys may name the buyer (by name, never the value)', async () => {
  const file = join(tempDir('decp-ocds-values-'), 'm.json');
  const { acheteur: _acheteur, ...withoutBuyer } = marche('R4', {});
  writeFileSync(file, JSON.stringify({ marches: [{ ...withoutBuyer, siretAcheteur: '21690123100011' }, withoutBuyer] }));
  const { rejects } = await convertAll([file]);
  expect(rejects.map((r) => r.reason)).toEqual([
    'the record has no usable buyer identifier (acheteur.id): the record\'s unread key "siretAcheteur" may name it (not read as acheteur.id)',
    'the record has no usable buyer identifier (acheteur.id)',
  ]);
});

test('an organisation\'s name under another key (raisonSociale, nom for a titulaire; denomination for a buyer) is read where its own is not given, flagged KEY_SYNONYM', async () => {
  const got = await convert([
    marche('N1', { acheteur: { id: BUYER, denomination: 'Ville de Croix' }, titulaires: [{ typeIdentifiant: 'SIRET', id: '44189140500017', raisonSociale: 'ALPHA TRAVAUX' }] }),
    marche('N2', { titulaires: [{ typeIdentifiant: 'SIRET', id: '44189140500017', nom: 'BETA' }] }),
  ]);
  const parties = (id: string): Array<[unknown, unknown]> => (got.get(id)!['parties'] as J[]).map((p) => [p['id'], p['name']]);
  expect(parties('N1')).toEqual([[`FR-RCS-${BUYER}`, 'Ville de Croix'], ['FR-RCS-44189140500017', 'ALPHA TRAVAUX']]);
  expect(parties('N2')[1]).toEqual(['FR-RCS-44189140500017', 'BETA']);
  expect(flagsOf(got.get('N1')!).filter((f) => f.code === 'KEY_SYNONYM').map((f) => [f.pointer, f.raw])).toEqual([['/acheteur/denomination', 'denomination'], ['/titulaires/0/raisonSociale', 'raisonSociale']]);
});

test('a marché\'s amount, duration and notification date under another key (montantHT, dureeEnMois, dateDeNotification) are read where the schema\'s key is not given, flagged KEY_SYNONYM', async () => {
  const { montant: _m, dureeMois: _d, dateNotification: _n, ...rest } = marche('S1', {});
  const got = await convert([{ ...rest, montantHT: '15 000', dureeEnMois: 24, dateDeNotification: '2019-01-10' }, marche('S2', { montantHT: 99 })]);
  const contract = (id: string): J => (got.get(id)!['contracts'] as J[])[0]!;
  expect(contract('S1')['value']).toEqual({ amount: 15000, currency: 'EUR' });
  expect(contract('S1')['dateSigned']).toBe('2019-01-10T00:00:00+01:00');
  expect((contract('S1')['period'] as J)['maxExtentDate']).toBe('2021-01-10T00:00:00+01:00');
  expect(flagsOf(got.get('S1')!).filter((f) => f.code === 'KEY_SYNONYM').map((f) => f.raw).sort()).toEqual(['dateDeNotification', 'dureeEnMois', 'montantHT']);
  // the schema's key given: the other stays unread, kept as given
  expect(contract('S2')['value']).toEqual({ amount: 1000, currency: 'EUR' });
  expect(((got.get('S2')!['x_decp'] as J)['unmapped'] as J)['montantHT']).toBe(99);
});
