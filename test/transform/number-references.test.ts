/**
 * HTML character references in an amount, a duration or a rate (`12&nbsp;000,00`, `1 000 &euro;`,
 * `12&#160;000`: French number formatting escaped for a web page, then written to JSON or XML): the
 * texts of a record had them decoded (`prose`), its numbers did not, and the amount was lost,
 * AMOUNT_UNPARSABLE (found by a probe). Decoded now, flagged TEXT_REFERENCES_DECODED with the value
 * as given; an `&` that names nothing leaves the value as unparsable as it was.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRANSFORMS } from '../../src/transform/functions.js';
import type { MappingFlag } from '../../src/transform/profile.js';
import { convertAll } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';

const ctx = (flags: MappingFlag[]) => ({ pointer: '/x', flags }) as unknown as Parameters<typeof TRANSFORMS.amount>[1];

test.each([
  ['12&nbsp;000,00', 12000],
  ['1 000 &euro;', 1000],
  ['12&#160;000', 12000],
  ['12&#xa0;000,50 &#8364; HT', 12000.5],
])('amount(%j) = %j, flagged with the value as given', (v, want) => {
  const flags: MappingFlag[] = [];
  expect(TRANSFORMS.amount(v, ctx(flags))).toBe(want);
  expect(flags).toEqual([{ code: 'TEXT_REFERENCES_DECODED', pointer: '/x', raw: v }]);
});

test('durations and rates too; an & that names nothing is no reference', () => {
  const flags: MappingFlag[] = [];
  expect([TRANSFORMS.months('12&nbsp;mois', ctx(flags)), TRANSFORMS.number('5&nbsp;%', ctx(flags)), TRANSFORMS.number('0,05', ctx(flags))]).toEqual([12, 0.05, 0.05]);
  expect(flags.map((f) => [f.code, f.raw])).toEqual([['TEXT_REFERENCES_DECODED', '12&nbsp;mois'], ['DURATION_AS_STRING', '12&nbsp;mois'], ['TEXT_REFERENCES_DECODED', '5&nbsp;%'], ['NUMBER_PERCENT', '5&nbsp;%']]);
  // (a reference's letters are no words: `12&nbsp;` is no worded duration; found by a review)
  const plain: MappingFlag[] = [];
  expect(TRANSFORMS.months('12&nbsp;', ctx(plain))).toBe(12);
  expect(plain.map((f) => f.code)).toEqual(['TEXT_REFERENCES_DECODED']);
  const bad: MappingFlag[] = [];
  expect(TRANSFORMS.amount('R&D 12', ctx(bad))).toBeUndefined();
  expect(bad).toEqual([{ code: 'AMOUNT_UNPARSABLE', pointer: '/x', raw: 'R&D 12' }]);
});

test('JSON and XML records: the amount published, the flag at its pointer', async () => {
  const dir = tempDir('number-refs-');
  const json = join(dir, 'a.json');
  const xml = join(dir, 'a.xml');
  writeFileSync(json, JSON.stringify({ marches: [{ id: 'A1', acheteur: { id: '21590163800019' }, nature: 'Marché', objet: 'Voirie', codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 12, dateNotification: '2024-12-06', datePublicationDonnees: '2024-12-07', montant: '12&nbsp;000,00', titulaires: [{ typeIdentifiant: 'SIRET', id: '80268496900016' }] }] }));
  writeFileSync(xml, '<marches><marche><id>A1</id><acheteur><id>21590163800019</id></acheteur><nature>Marché</nature><objet>Voirie</objet><codeCPV>45000000</codeCPV><procedure>Procédure adaptée</procedure><dureeMois>12</dureeMois><dateNotification>2024-12-06</dateNotification><datePublicationDonnees>2024-12-07</datePublicationDonnees><montant>12&nbsp;000,00</montant><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>80268496900016</id></titulaire></titulaires></marche></marches>');
  for (const file of [json, xml]) {
    const got = await convertAll([file]);
    const r = got.releases[0]! as unknown as { awards: Array<{ value?: unknown }>; x_decp: { qualityFlags?: Array<{ code: string; pointer: string; raw?: unknown }> } };
    expect(r.awards[0]!.value).toEqual({ amount: 12000, currency: 'EUR' });
    expect(r.x_decp.qualityFlags).toContainEqual(expect.objectContaining({ code: 'TEXT_REFERENCES_DECODED', pointer: '/montant', raw: '12&nbsp;000,00' }));
  }
});
