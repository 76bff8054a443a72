/**
 * Flat DECP records (Opendatasoft exports, decp-processing's flat files, pandas' json_normalize)
 * give a contract's suppliers as numbered columns: `titulaire_id_1`, `titulaire_typeIdentifiant_1`,
 * `titulaire_denominationSociale_1`, `titulaire_id_2`… (or `titulaires.0.id`,
 * `titulaires_0_titulaire_id`). They were left in `x_decp.unmapped` and every such contract flagged
 * NO_SUPPLIER: no supplier in any view or red flag. They are now read as the record's suppliers, in
 * the order of their numbers, flagged KEY_RESPELLED once for the list (raw: the columns read).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll, PROFILE } from '../helpers/convert.js';
import { checkProfile } from '../../src/transform/canonical.js';
import type { MappingProfile } from '../../src/transform/profile.js';
import { runCli } from '../helpers/cli.js';
import { storeRows } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';
import { BUYER, flagsOf, type J } from '../helpers/decp-records.js';

const SIRETS = ['80268496900016', '44189140500017', '35600000000048'];
const NAMES = ['Alpha BTP', 'Beta Voirie', 'Gamma TP'];

/** A flat marché whose suppliers fill the given slots (1-based; null: an empty slot, its columns given empty). */
const flatMarche = (id: string, slots: Array<number | null>, lower = false): J => {
  const r: J = {
    id, acheteur_id: BUYER, acheteur_nom: 'Ville de Lille', nature: 'Marché', objet: `Voirie ${id}`, codeCPV: '45000000', procedure: 'Procédure adaptée',
    dureeMois: 12, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-02', montant: 50000, formePrix: 'Ferme',
    lieuExecution_code: '59000', 'lieuExecution.typeCode': 'Code postal',
  };
  slots.forEach((s, k) => {
    const n = k + 1;
    r[`titulaire_id_${n}`] = s === null ? '' : SIRETS[s]!;
    r[`titulaire_typeIdentifiant_${n}`] = s === null ? null : 'SIRET';
    r[`titulaire_denominationSociale_${n}`] = s === null ? '' : NAMES[s]!;
  });
  return lower ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v])) : r;
};

const flatConcession = (id: string): J => ({
  id, autoriteConcedante_id: BUYER, autoriteConcedante_nom: 'Ville de Lille', nature: 'Concession de service', objet: 'Parking', procedure: 'Procédure négociée ouverte',
  dureeMois: 120, dateSignature: '2023-03-01', dateDebutExecution: '2023-04-01', datePublicationDonnees: '2023-03-02', valeurGlobale: 500000, montantSubventionPublique: 0,
  concessionnaire_id_1: SIRETS[2], concessionnaire_typeIdentifiant_1: 'SIRET', concessionnaire_denominationSociale_1: NAMES[2],
});

/** What each contract should get: its id, its suppliers' SIRETs in order. */
const RECORDS: Array<[J, string[]]> = [
  [flatMarche('M1', [0]), [SIRETS[0]!]],
  [flatMarche('M2', [1, 0]), [SIRETS[1]!, SIRETS[0]!]],
  [flatMarche('M3', [0, 1, 2]), SIRETS],
  [flatMarche('M4', [2, null, 0]), [SIRETS[2]!, SIRETS[0]!]],
  [flatConcession('C1'), [SIRETS[2]!]],
];

const ODS = (rs: J[]): string => JSON.stringify({ nhits: rs.length, parameters: { dataset: 'decp', format: 'json' }, records: rs.map((r, i) => ({ datasetid: 'decp', recordid: `r${i}`, fields: Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v])), record_timestamp: '2024-03-03T00:00:00Z' })) });
const SHAPES: Array<[string, string, (rs: J[]) => string]> = [
  ['a flat JSON list (a root array)', 'flat.json', (rs) => JSON.stringify(rs, null, 1)],
  ['an Opendatasoft API page (records[].fields, keys in lower case)', 'ods.json', ODS],
  ['JSON Lines', 'flat.jsonl', (rs) => `${rs.map((r) => JSON.stringify(r)).join('\n')}\n`],
];

const supplierIds = (r: J): string[] => ((r['awards'] as J[] | undefined) ?? []).flatMap((a) => ((a['suppliers'] as J[] | undefined) ?? []).map((s) => String(s['id'])));
const idOf = (r: J): string => String(r['ocid']).split('-').pop()!;

describe.each(SHAPES)('%s', (_what, name, write) => {
  const dir = tempDir('numbered-');
  const file = join(dir, name);
  writeFileSync(file, write(RECORDS.map(([r]) => r)));

  test('the numbered columns are the suppliers, in the order of their numbers, an empty slot skipped, each column flagged', async () => {
    const { releases, rejects } = await convertAll([file]);
    expect(rejects).toEqual([]);
    const awards = new Map((releases as unknown as J[]).filter((r) => (r['tag'] as string[]).includes('award')).map((r) => [idOf(r), r]));
    expect([...awards.keys()].sort()).toEqual(['C1', 'M1', 'M2', 'M3', 'M4']);
    for (const [record, sirets] of RECORDS) {
      const r = awards.get(String(record['id']))!;
      expect(supplierIds(r)).toEqual(sirets.map((s) => `FR-RCS-${s}`));
      const x = r['x_decp'] as J;
      expect(x['unmapped']).toBeUndefined();
      const flags = flagsOf(r);
      expect(flags.map((f) => f.code)).not.toContain('NO_SUPPLIER');
      // (one flag for the list, naming its columns read: three a supplier, the empty slot's none)
      const said = flags.filter((f) => f.code === 'KEY_RESPELLED' && /^\/(titulaire|concessionnaire)_/i.test(f.pointer));
      expect(said).toHaveLength(1);
      expect((said[0]!.raw as string[]).map((c) => c.toLowerCase()).sort()).toEqual(Object.keys(record).filter((c) => /^(titulaire|concessionnaire)_/.test(c) && record[c] !== '' && record[c] !== null).map((c) => c.toLowerCase()).sort());
      const parties = (r['parties'] as J[]).filter((p) => (p['roles'] as string[]).includes('supplier'));
      expect(parties.map((p) => p['name']).sort()).toEqual(sirets.map((s) => NAMES[SIRETS.indexOf(s)]).sort());
    }
    // the flat place columns are read too
    const m1 = awards.get('M1')!;
    expect(JSON.stringify(m1['tender'])).toContain('"postalCode":"59000"');
  });

  test('run: the store\'s award_suppliers hold them', async () => {
    const out = join(dir, `out-${name}`);
    const r = await runCli(['run', file, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const rows = await storeRows<{ ocid: string; party_id: string }>(join(out, 'decp.duckdb'), 'SELECT ocid, party_id FROM award_suppliers ORDER BY ocid, party_id');
    const got = new Map<string, string[]>();
    for (const row of rows) got.set(row.ocid.split('-').pop()!, [...(got.get(row.ocid.split('-').pop()!) ?? []), row.party_id]);
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(RECORDS.map(([rec, sirets]) => [String(rec['id']), sirets.map((s) => `FR-RCS-${s}`).sort()])));
  });
});

describe('other spellings and partial slots', () => {
  const base = flatMarche('S1', []);
  const convert = async (extra: J): Promise<J> => {
    const file = join(tempDir('numbered-'), 'one.json');
    writeFileSync(file, JSON.stringify([{ ...base, ...extra }]));
    const { releases, rejects } = await convertAll([file]);
    expect(rejects).toEqual([]);
    return (releases as unknown as J[]).find((r) => (r['tag'] as string[]).includes('award'))!;
  };

  test.each([
    ['titulaires.0.id (0-based, the list\'s name)', { 'titulaires.1.id': SIRETS[1], 'titulaires.0.id': SIRETS[0], 'titulaires.0.typeIdentifiant': 'SIRET', 'titulaires.1.typeIdentifiant': 'SIRET' }],
    ['titulaires_0_titulaire_id (the item\'s name inside)', { titulaires_0_titulaire_id: SIRETS[0], titulaires_0_titulaire_typeIdentifiant: 'SIRET', titulaires_1_titulaire_id: SIRETS[1] }],
    ['titulaire.id.1, in other cases and accents', { 'Titulaire.Id.1': SIRETS[0], 'TITULAIRE.TYPEIDENTIFIANT.1': 'SIRET', 'titulaire.id.2': SIRETS[1], 'Titulaire.Dénomination Sociale.2': 'Beta Voirie' }],
    ['slot 10 after slot 2 (numbers, not texts)', { titulaire_id_10: SIRETS[1], titulaire_id_2: SIRETS[0] }],
  ])('%s', async (_what, extra) => {
    const r = await convert(extra);
    expect(supplierIds(r)).toEqual([`FR-RCS-${SIRETS[0]!}`, `FR-RCS-${SIRETS[1]!}`]);
    expect((r['x_decp'] as J)['unmapped']).toBeUndefined();
  });

  test('a slot with a name and no id, or an id under a synonym, is read as the nested form reads it', async () => {
    const r = await convert({ titulaire_denominationSociale_1: 'Sans Siret', titulaire_siret_2: SIRETS[1] });
    const nested = await convert({ titulaires: [{ denominationSociale: 'Sans Siret' }, { siret: SIRETS[1] }] });
    expect(supplierIds(r)).toEqual(supplierIds(nested));
    expect(supplierIds(r)).toEqual([`FR-RCS-${SIRETS[1]!}`]);
    const codes = (x: J): string[] => flagsOf(x).map((f) => f.code).filter((c) => c !== 'KEY_RESPELLED' && c !== 'KEY_SYNONYM').sort();
    expect(codes(r)).toEqual(codes(nested));
    expect(codes(r)).toContain('PARTY_WITHOUT_ID');
    expect(flagsOf(r)).toContainEqual(expect.objectContaining({ code: 'KEY_SYNONYM', pointer: '/titulaire_siret_2', raw: 'titulaire_siret_2' }));
    expect(flagsOf(r)).toContainEqual(expect.objectContaining({ code: 'KEY_RESPELLED', pointer: '/titulaire_denominationSociale_1', raw: ['titulaire_denominationSociale_1', 'titulaire_siret_2'] }));
  });

  test('beside a titulaires list, the numbered columns are not read: kept unmapped', async () => {
    const r = await convert({ titulaires: [{ titulaire: { id: SIRETS[0], typeIdentifiant: 'SIRET' } }], titulaire_id_1: SIRETS[1] });
    expect(supplierIds(r)).toEqual([`FR-RCS-${SIRETS[0]!}`]);
    expect((r['x_decp'] as J)['unmapped']).toEqual({ titulaire_id_1: SIRETS[1] });
  });

  test('of two columns for one field of one slot, the second is kept unmapped', async () => {
    const r = await convert({ titulaire_id_1: SIRETS[0], 'titulaire.id.1': SIRETS[1] });
    expect(supplierIds(r)).toEqual([`FR-RCS-${SIRETS[0]!}`]);
    expect((r['x_decp'] as J)['unmapped']).toEqual({ 'titulaire.id.1': SIRETS[1] });
  });

  test('a synonym column beside the key\'s own is kept unmapped, whichever comes first', async () => {
    const r = await convert({ titulaire_siret_1: SIRETS[1], titulaire_id_1: SIRETS[0] });
    expect(supplierIds(r)).toEqual([`FR-RCS-${SIRETS[0]!}`]);
    expect((r['x_decp'] as J)['unmapped']).toEqual({ titulaire_siret_1: SIRETS[1] });
  });
});

describe('the profile says which lists take numbered columns', () => {
  const withSuppliers = (numbered: unknown): MappingProfile => {
    const p = JSON.parse(JSON.stringify(PROFILE)) as { records: Record<string, { fields: Record<string, Record<string, unknown>> }> };
    const suppliers = p.records['marche']!.fields['suppliers']!;
    if (numbered === undefined) delete suppliers['numberedColumns'];
    else suppliers['numberedColumns'] = numbered;
    return p as unknown as MappingProfile;
  };

  test('a list spec without numberedColumns reads none (the columns kept unmapped)', async () => {
    const file = join(tempDir('numbered-'), 'one.json');
    writeFileSync(file, JSON.stringify([flatMarche('P1', [0])]));
    const { releases } = await convertAll([file], withSuppliers(undefined));
    const r = (releases as unknown as J[]).find((x) => (x['tag'] as string[]).includes('award'))!;
    expect(supplierIds(r)).toEqual([]);
    expect(Object.keys((r['x_decp'] as J)['unmapped'] as J).sort()).toEqual(['titulaire_denominationSociale_1', 'titulaire_id_1', 'titulaire_typeIdentifiant_1']);
    expect(flagsOf(r).map((f) => f.code)).toContain('NO_SUPPLIER');
  });

  test('numberedColumns is true or false', () => {
    expect(() => checkProfile(withSuppliers(true))).not.toThrow();
    expect(() => checkProfile(withSuppliers('yes'))).toThrow(/numberedColumns" is true or false/);
  });
});
