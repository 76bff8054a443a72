/**
 * A joint bid's suppliers given in one SIRET field (`44189140500017 / 80268496900016`): each
 * company a supplier of its own, said, never one party of the ids joined.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { flagsOf, marche, BUYER, type J } from '../helpers/decp-records.js';
import { jointSirets } from '../../src/transform/identifiers.js';
import { DecpChecker } from '../../src/validate/decp-checks.js';

const A = '44189140500017';
const B = '80268496900016';

test('jointSirets: two SIRETs or more apart, whatever the separator; one SIRET (grouped or not), two alike or a part that is not 14 digits: null', () => {
  expect(jointSirets(`${A} / ${B}`)).toEqual([A, B]);
  expect(jointSirets(`${A};${B}`)).toEqual([A, B]);
  expect(jointSirets(`${A} et ${B}`)).toEqual([A, B]);
  expect(jointSirets(`${A} - ${B}`)).toEqual([A, B]);
  expect(jointSirets(`${A} ${B}`)).toEqual([A, B]);
  expect(jointSirets(`441 891 405 00017 / 802.684.969.00016`)).toEqual([A, B]);
  expect(jointSirets(`${A},${B},55203253400646`)).toEqual([A, B, '55203253400646']);
  expect(jointSirets('441 891 405 00017')).toBeNull();
  expect(jointSirets(A)).toBeNull();
  expect(jointSirets(`${A} / ${A}`)).toBeNull();
  expect(jointSirets(`${A} / 4418914050`)).toBeNull();
  expect(jointSirets(`${A}-${B}`)).toEqual([A, B]);
  expect(jointSirets('441-891-405-00017')).toBeNull();
  expect(jointSirets(12345678901234)).toBeNull();
});

test('a titulaire whose SIRET field holds two SIRETs is two suppliers (names paired when given apart), SUPPLIER_IDS_SPLIT with the field as given; in a modification too', async () => {
  const dir = tempDir('decp-ocds-joint-');
  const mod = { id: 1, dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-02', montant: 1500 };
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ marches: [
    marche('J1', { titulaires: [{ typeIdentifiant: 'SIRET', id: `${A} / ${B}`, denominationSociale: 'ALPHA BTP / BETA SARL' }] }),
    marche('J2', { titulaires: [{ typeIdentifiant: 'SIRET', id: `${A} et ${B}`, denominationSociale: 'Groupement Alpha Beta' }], modifications: [{ ...mod, titulaires: [{ typeIdentifiant: 'SIRET', id: `${B};55203253400646` }] }] }),
    // (not a SIRET field: left as given)
    marche('J3', { titulaires: [{ typeIdentifiant: 'TVA', id: `${A} / ${B}` }] }),
  ] }));
  const { releases, rejects } = await convertAll([join(dir, 'm.json')]);
  expect(rejects).toEqual([]);
  const byId = (id: string, tag: string): J => releases.find((r) => (r['ocid'] as string).endsWith(`-${id}`) && (r['tag'] as string[]).includes(tag)) as unknown as J;
  const suppliersOf = (r: J, at: 'awards' | 'contracts'): J[] => ((r[at] as J[])[0]!['suppliers'] as J[]);
  const j1 = byId('J1', 'award');
  expect(suppliersOf(j1, 'awards')).toEqual([{ id: `FR-RCS-${A}`, name: 'ALPHA BTP' }, { id: `FR-RCS-${B}`, name: 'BETA SARL' }]);
  expect((j1['parties'] as J[]).map((p) => p['id'])).toEqual([`FR-RCS-${BUYER}`, `FR-RCS-${A}`, `FR-RCS-${B}`]);
  expect(flagsOf(j1).map(({ code, pointer, raw }) => ({ code, pointer, raw }))).toEqual([{ code: 'SUPPLIER_IDS_SPLIT', pointer: '/titulaires/0/id', raw: `${A} / ${B}` }]);
  // a name that is not as many names apart: none is named by it
  const j2 = byId('J2', 'award');
  expect(suppliersOf(j2, 'awards')).toEqual([{ id: `FR-RCS-${A}` }, { id: `FR-RCS-${B}` }]);
  // (said once: the transform's ID_CLEANED, its spaces taken out, says it no more)
  expect(flagsOf(j2).map(({ code, raw }) => ({ code, raw }))).toEqual([{ code: 'SUPPLIER_IDS_SPLIT', raw: `${A} et ${B}` }]);
  const j2m = byId('J2', 'contractAmendment');
  expect(suppliersOf(j2m, 'contracts').map((s) => s['id'])).toEqual([`FR-RCS-${B}`, 'FR-RCS-55203253400646']);
  expect(flagsOf(j2m).map(({ code, pointer, raw }) => ({ code, pointer, raw }))).toContainEqual({ code: 'SUPPLIER_IDS_SPLIT', pointer: '/modifications/0/titulaires/0/id', raw: `${B};55203253400646` });
  const j3 = byId('J3', 'award');
  expect(suppliersOf(j3, 'awards')).toHaveLength(1);
  expect(flagsOf(j3).map((f) => f.code)).not.toContain('SUPPLIER_IDS_SPLIT');
});

test('validate --decp says a holder\'s SIRET field of two SIRETs is made two suppliers; a subcontractor\'s is only not 14 digits', () => {
  const rec = { id: 'J9', acheteur: { id: BUYER }, titulaires: [{ typeIdentifiant: 'SIRET', id: `${A} / ${B}` }], actesSousTraitance: [{ sousTraitant: { typeIdentifiant: 'SIRET', id: `${A} / ${B}` } }] };
  expect(new DecpChecker().check('marche', rec).filter((f) => f.rule === 'decp.siret').map((f) => [f.pointer, f.message])).toEqual([
    ['/titulaires/0/id', `SIRET "${A} / ${B}" is not 14 digits: it holds 2 SIRETs (a joint bid's?), which convert makes 2 suppliers (SUPPLIER_IDS_SPLIT)`],
    ['/actesSousTraitance/0/sousTraitant/id', `SIRET "${A} / ${B}" is not 14 digits`],
  ]);
});
