/**
 * Values that came out silently wrong (an audit of the spellings buyer platforms write): each is
 * now the right value, or left out with a flag that keeps what the source said.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { BUYER, concession, flagsOf, marche, releasesById, type J } from '../helpers/decp-records.js';

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
