/**
 * A supplier given as its identifier alone (`"titulaires": ["80268496900016"]`, `{"titulaire":
 * ["…"]}`, XML's `<titulaire>80268496900016</titulaire>`, a subcontractor's `<sousTraitant>…`): the
 * buyer so given was read (ID_GIVEN_BARE), a supplier was not — flagged FIELD_SHAPE_UNEXPECTED, the
 * contract published without its suppliers (NO_SUPPLIER; found by a probe). Read now as the buyer is,
 * said ID_GIVEN_BARE at the item; a name alone (`["ACME SARL"]`) is still no identifier.
 */
import { readBytes } from '../helpers/ingest.js';
import { createConverter } from '../../src/transform/decp/convert-record.js';
import { loadProfile } from '../../src/ingest/profiles.js';
import type { SourceRecord } from '../../src/ingest/types.js';

const converter = createConverter(await loadProfile(), { ocidPrefix: 'ocds-78apv2', runDate: '2026-01-01T00:00:00Z' });

const convert = (r: SourceRecord): Record<string, unknown>[] => {
  const out = converter.convert(r);
  if (!out.ok) throw new Error(out.reason);
  return out.releases as Record<string, unknown>[];
};
const flagsOf = (release: Record<string, unknown>): string[] =>
  ((release['x_decp'] as { qualityFlags?: Array<{ code: string; pointer: string }> }).qualityFlags ?? []).map((f) => `${f.code} ${f.pointer}`);
const suppliersOf = (release: Record<string, unknown>): unknown => (release['awards'] as Array<{ suppliers?: unknown }>)[0]!.suppliers;

const BASE = { id: 'B1', acheteur: { id: '21590163800019' }, nature: 'Marché', objet: 'Voirie', codeCPV: '45000000', procedure: 'Procédure adaptée', lieuExecution: { code: '59170', typeCode: 'Code postal' }, formePrix: 'Forfaitaire', dureeMois: 3, dateNotification: '2024-12-06', datePublicationDonnees: '2024-12-07', montant: 100 };
const TWO = [{ id: 'FR-RCS-80268496900016' }, { id: 'FR-RCS-44189140500017' }];

test.each([
  ['a list of identifiers', ['80268496900016', 44189140500017]],
  ['2024 wrappers holding identifiers', [{ titulaire: '80268496900016' }, { titulaire: '44189140500017' }]],
  ['one wrapper holding identifiers', { titulaire: ['80268496900016', '44189140500017'] }],
])('JSON: suppliers given as %s are read, each said ID_GIVEN_BARE', async (_what, titulaires) => {
  const r = await readBytes(JSON.stringify({ marches: { marche: [{ ...BASE, titulaires }] } }));
  const [release] = convert(r.records[0]!);
  expect(suppliersOf(release!)).toEqual(TWO);
  expect(flagsOf(release!).filter((f) => f.startsWith('ID_GIVEN_BARE'))).toEqual(['ID_GIVEN_BARE /titulaires/0', 'ID_GIVEN_BARE /titulaires/1']);
  expect(flagsOf(release!).some((f) => f.startsWith('NO_SUPPLIER') || f.startsWith('FIELD_SHAPE_UNEXPECTED'))).toBe(false);
});

test('XML: text items of <titulaires>, a modification\'s new supplier, a subcontractor given as its identifier', async () => {
  const xml = '<marches><marche><id>B1</id><acheteur><id>21590163800019</id></acheteur><nature>Marché</nature><objet>o</objet><codeCPV>45000000</codeCPV>' +
    '<procedure>Procédure adaptée</procedure><dureeMois>3</dureeMois><dateNotification>2024-12-06</dateNotification><datePublicationDonnees>2024-12-07</datePublicationDonnees><montant>100</montant>' +
    '<titulaires><titulaire>80268496900016</titulaire><titulaire>44189140500017</titulaire></titulaires>' +
    '<actesSousTraitance><acteSousTraitance><id>1</id><sousTraitant>51234567800013</sousTraitant><montant>10</montant><dateNotification>2025-01-01</dateNotification><datePublicationDonnees>2025-01-02</datePublicationDonnees><dureeMois>1</dureeMois></acteSousTraitance></actesSousTraitance>' +
    '<modifications><modification><id>1</id><montant>200</montant><dateNotificationModification>2025-02-01</dateNotificationModification><datePublicationDonneesModification>2025-02-02</datePublicationDonneesModification>' +
    '<titulaires><titulaire>44189140500017</titulaire></titulaires></modification></modifications></marche></marches>';
  const r = await readBytes(xml);
  const [initial, amendment] = convert(r.records[0]!);
  expect(suppliersOf(initial!)).toEqual(TWO);
  expect((initial!['awards'] as Array<{ subcontracting?: unknown }>)[0]!.subcontracting).toEqual({ subcontracts: [{ id: '1', subcontractor: { id: 'FR-RCS-51234567800013' } }] });
  expect((amendment!['contracts'] as Array<{ suppliers?: unknown }>)[0]!.suppliers).toEqual([{ id: 'FR-RCS-44189140500017' }]);
  expect(flagsOf(initial!).filter((f) => f.startsWith('ID_GIVEN_BARE'))).toEqual(['ID_GIVEN_BARE /titulaires/0', 'ID_GIVEN_BARE /titulaires/1', 'ID_GIVEN_BARE /modifications/0/titulaires/0', 'ID_GIVEN_BARE /actesSousTraitance/0/sousTraitant']);
});

test('a name alone is no identifier: flagged as before, no supplier', async () => {
  const r = await readBytes(JSON.stringify({ marches: [{ ...BASE, titulaires: ['ACME SARL'] }] }));
  const [release] = convert(r.records[0]!);
  expect(suppliersOf(release!)).toBeUndefined();
  expect(flagsOf(release!)).toEqual(expect.arrayContaining(['FIELD_SHAPE_UNEXPECTED /titulaires/0', 'NO_SUPPLIER /titulaires']));
});

test('a small number, a year or a date in the list is no identifier (found by a review: `1` was supplier FR-RCS-1)', async () => {
  for (const odd of [1, 2019, '2019', '2019-05-01', '01/05/2019', '12345678']) {
    const r = await readBytes(JSON.stringify({ marches: [{ ...BASE, titulaires: ['80268496900016', odd] }] }));
    const [release] = convert(r.records[0]!);
    expect([odd, suppliersOf(release!)]).toEqual([odd, [TWO[0]]]);
    expect(flagsOf(release!)).toContain('FIELD_SHAPE_UNEXPECTED /titulaires/1');
  }
});
