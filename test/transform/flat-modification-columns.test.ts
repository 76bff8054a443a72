/**
 * Flat DECP records (Opendatasoft exports, decp-processing's flat files, json_normalize) give a
 * contract's modifications as columns: `modification_id`, `modification_dateNotificationModification`,
 * `modification_montant`… (one modification a row: the contract's columns repeated), numbered
 * (`modifications.0.montant`, `modification_1_dureeMois`), or as 2024 names flattened
 * (`modification.dateNotificationModification`). They were left in `x_decp.unmapped`: no amendment,
 * the contract's last value and duration lost. They are now read as the record's `modifications`, the
 * same structure as the nested list gives (one contractAmendment release per modification), by the
 * profile's `numberedColumns` on the modifications list.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { BUYER, flagsOf, type J } from '../helpers/decp-records.js';

const SIRETS = ['80268496900016', '44189140500017'];

const contract: J = {
  id: 'F1', nature: 'Marché', objet: 'Voirie', codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 12, dateNotification: '2023-03-01',
  datePublicationDonnees: '2023-03-02', montant: 50000, formePrix: 'Ferme', 'lieuExecution.code': '59000', 'lieuExecution.typeCode': 'Code postal',
};
/** Two modifications as the nested list gives them. */
const MODS: J[] = [
  { id: 1, objetModification: 'Avenant 1', dateNotificationModification: '2023-06-01', datePublicationDonneesModification: '2023-06-02', montant: 55000, dureeMois: 14 },
  { id: 2, objetModification: 'Avenant 2', dateNotificationModification: '2023-09-01', datePublicationDonneesModification: '2023-09-02', montant: 61000 },
];
const nested: J = { ...contract, acheteur: { id: BUYER }, titulaires: [{ id: SIRETS[0], typeIdentifiant: 'SIRET' }], modifications: MODS };
const flatBase: J = { ...contract, acheteur_id: BUYER, titulaire_id_1: SIRETS[0], titulaire_typeIdentifiant_1: 'SIRET' };

const write = (name: string, text: string): string => {
  const file = join(tempDir('flat-mods-'), name);
  writeFileSync(file, text);
  return file;
};

/** A release as compared across shapes: where it was read from and how keys were spelt left out. */
const comparable = (r: J): J => {
  const x = { ...(r['x_decp'] as J) };
  for (const k of ['sourceFile', 'sourceSha256', 'sourceLine', 'sourceIndex']) delete x[k];
  x['qualityFlags'] = flagsOf(r).filter((f) => f.code !== 'KEY_RESPELLED' && f.code !== 'KEY_SYNONYM').map(({ code, pointer, raw }) => ({ code, pointer, raw }));
  return { ...r, x_decp: x };
};
const convertOne = async (name: string, text: string): Promise<J[]> => {
  const { releases, rejects } = await convertAll([write(name, text)]);
  expect(rejects).toEqual([]);
  return releases as unknown as J[];
};
const amendments = (rs: J[]): J[] => rs.filter((r) => (r['tag'] as string[]).includes('contractAmendment'));

describe('flat modification columns are read as the record\'s modifications', () => {
  test.each([
    ['numbered, the item\'s name first (modification_1_montant)', Object.fromEntries(MODS.flatMap((m, k) => Object.entries(m).map(([f, v]) => [`modification_${k + 1}_${f}`, v])))],
    ['numbered, 0-based under the list\'s name (modifications.0.montant)', Object.fromEntries(MODS.flatMap((m, k) => Object.entries(m).map(([f, v]) => [`modifications.${k}.${f}`, v])))],
    ['numbered, the number last (modification_montant_2), in another case', Object.fromEntries(MODS.flatMap((m, k) => Object.entries(m).map(([f, v]) => [`Modification_${f}_${k + 1}`, v])))],
  ])('%s: the same releases as the nested list', async (_what, columns) => {
    const want = await convertOne('nested.json', JSON.stringify({ marches: [nested] }));
    const got = await convertOne('flat.json', JSON.stringify([{ ...flatBase, ...columns }]));
    expect(amendments(want)).toHaveLength(2);
    expect(got.map(comparable)).toEqual(want.map(comparable));
    for (const r of got) expect((r['x_decp'] as J)['unmapped']).toBeUndefined();
    // (one flag for the list, naming its columns)
    const said = flagsOf(got[0]!).filter((f) => f.code === 'KEY_RESPELLED' && Array.isArray(f.raw) && (f.raw as string[]).some((c) => /^modification/i.test(c)));
    expect(said).toHaveLength(1);
    expect((said[0]!.raw as string[]).sort()).toEqual(Object.keys(columns).sort());
  });

  test('un-numbered columns (a row per modification), 2024 names flattened and the montantModification spelling: one modification', async () => {
    const one = MODS[0]!;
    const want = await convertOne('nested1.json', JSON.stringify({ marches: [{ ...nested, modifications: [one] }] }));
    const flat = {
      ...flatBase, modification_id: one['id'], 'modification.objetModification': one['objetModification'], modification_dateNotificationModification: one['dateNotificationModification'],
      'modification.datePublicationDonneesModification': one['datePublicationDonneesModification'], modification_montantModification: one['montant'], modification_dureeMois: one['dureeMois'],
    };
    const got = await convertOne('flat1.json', JSON.stringify([flat]));
    expect(got.map(comparable)).toEqual(want.map(comparable));
    expect(amendments(got)[0]!['contracts']).toEqual(amendments(want)[0]!['contracts']);
    expect(flagsOf(got[0]!)).toContainEqual(expect.objectContaining({ code: 'KEY_SYNONYM', pointer: '/modification_montantModification' }));
  });

  test.each([
    ['numbered under the lists\' names (modifications.0.titulaires.1.id)', {
      'modifications.0.id': 1, 'modifications.0.dateNotificationModification': '2023-06-01', 'modifications.0.datePublicationDonneesModification': '2023-06-02',
      'modifications.0.titulaires.0.id': SIRETS[1], 'modifications.0.titulaires.0.typeIdentifiant': 'SIRET', 'modifications.0.titulaires.1.id': SIRETS[0], 'modifications.0.titulaires.1.typeIdentifiant': 'SIRET',
    }],
    ['un-numbered (modification_titulaire_id: a row\'s one modification and its supplier)', {
      modification_id: 1, modification_dateNotificationModification: '2023-06-01', modification_datePublicationDonneesModification: '2023-06-02',
      modification_titulaire_id: SIRETS[1], modification_titulaire_typeIdentifiant: 'SIRET',
    }],
  ])('a modification\'s own suppliers as columns, %s: read as the nested modification\'s', async (what, columns) => {
    const suppliers = what.startsWith('numbered') ? [SIRETS[1], SIRETS[0]] : [SIRETS[1]];
    const mod = { id: 1, dateNotificationModification: '2023-06-01', datePublicationDonneesModification: '2023-06-02', titulaires: suppliers.map((id) => ({ id, typeIdentifiant: 'SIRET' })) };
    const want = await convertOne('nested-sup.json', JSON.stringify({ marches: [{ ...nested, modifications: [mod] }] }));
    const got = await convertOne('flat-sup.json', JSON.stringify([{ ...flatBase, ...columns }]));
    // (the flags of the modification's list are at the places of the list built: left out with the others)
    const unflagged = (r: J): J => comparable({ ...r, x_decp: { ...(r['x_decp'] as J), qualityFlags: flagsOf(r).filter((f) => !f.pointer.startsWith('/modifications/0/titulaire')) } });
    expect(got.map(unflagged)).toEqual(want.map(unflagged));
    expect(JSON.stringify(amendments(got)[0]!['contracts'])).toContain(`FR-RCS-${SIRETS[1]!}`);
    expect((got[0]!['x_decp'] as J)['unmapped']).toBeUndefined();
  });

  test('a concession\'s modification columns (modification_valeurGlobale) are its modifications', async () => {
    const base: J = {
      id: 'C1', autoriteConcedante_id: BUYER, nature: 'Concession de service', objet: 'Parking', procedure: 'Procédure négociée ouverte', dureeMois: 120, dateSignature: '2023-03-01',
      dateDebutExecution: '2023-04-01', datePublicationDonnees: '2023-03-02', valeurGlobale: 500000, montantSubventionPublique: 0, concessionnaire_id_1: SIRETS[1], concessionnaire_typeIdentifiant_1: 'SIRET',
    };
    const got = await convertOne('conc.json', JSON.stringify([{ ...base, modification_id: 1, modification_dateSignatureModification: '2024-01-10', modification_datePublicationDonneesModification: '2024-01-11', modification_valeurGlobale: 650000 }]));
    const amended = amendments(got);
    expect(amended).toHaveLength(1);
    expect(JSON.stringify(amended[0]!['contracts'])).toContain('"amount":650000');
    expect((got[0]!['x_decp'] as J)['unmapped']).toBeUndefined();
  });

  test('beside a modifications list, the columns are not read: kept unmapped', async () => {
    const got = await convertOne('both.json', JSON.stringify([{ ...flatBase, modifications: [MODS[0]], modification_montant: 99999 }]));
    expect(amendments(got)).toHaveLength(1);
    expect((got[0]!['x_decp'] as J)['unmapped']).toEqual({ modification_montant: 99999 });
  });

  test('subcontracting acts\' modifications are no modification columns', async () => {
    const got = await convertOne('sub.json', JSON.stringify([{ ...flatBase, modificationsActesSousTraitance_montant: 10 }]));
    expect(amendments(got)).toHaveLength(0);
    expect((got[0]!['x_decp'] as J)['unmapped']).toEqual({ modificationsActesSousTraitance_montant: 10 });
  });
});

/** Rows of one contract, one per modification and supplier (decp-processing's exploded rows), a contract's column repeated on each. */
const ROWS: J[] = SIRETS.flatMap((s) => MODS.map((m) => ({ ...flatBase, titulaire_id_1: undefined, titulaire_typeIdentifiant_1: undefined, titulaire_id: s, titulaire_typeIdentifiant: 'SIRET', ...Object.fromEntries(Object.entries(m).map(([f, v]) => [`modification_${f}`, v])) })));
const csvOf = (rows: J[]): string => {
  const head = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => r[k] !== undefined)))];
  return `${head.join(';')}\n${rows.map((r) => head.map((h) => (r[h] === undefined ? '' : String(r[h]))).join(';')).join('\n')}\n`;
};

describe('rows of one contract, one per modification (and per supplier), in JSON and in CSV', () => {
  test.each([
    ['a flat JSON list', 'rows.json', (rs: J[]) => JSON.stringify(rs, null, 1)],
    ['JSON Lines', 'rows.jsonl', (rs: J[]) => `${rs.map((r) => JSON.stringify(r)).join('\n')}\n`],
    ['a flat DECP CSV', 'rows.csv', csvOf],
  ])('%s: one record, its modifications and suppliers each once, in the order of the rows', async (_what, name, text) => {
    const want = await convertOne('nested.json', JSON.stringify({ marches: [{ ...nested, titulaires: SIRETS.map((id) => ({ id, typeIdentifiant: 'SIRET' })) }] }));
    const { releases, rejects, counts } = await convertAll([write(name, text(ROWS))]);
    expect(rejects).toEqual([]);
    expect(counts).toMatchObject({ read: 1, converted: 1, rejected: 0 });
    const got = releases as unknown as J[];
    expect(amendments(got)).toHaveLength(2);
    // (a CSV cell is text: the modifications' ids "1" and "2" as the nested ones, read as text)
    expect(got.map(comparable)).toEqual(want.map(comparable));
  });
});

test('a flat DECP CSV, a row per modification, each with its own supplier (modification_titulaire_id): each amendment its supplier', async () => {
  const rows = MODS.map((m, k) => ({ ...flatBase, ...Object.fromEntries(Object.entries(m).map(([f, v]) => [`modification_${f}`, v])), modification_titulaire_id: SIRETS[k], modification_titulaire_typeIdentifiant: 'SIRET' }));
  const got = await convertOne('mod-sup.csv', csvOf(rows));
  const amended = amendments(got);
  expect(amended.map((r) => ((r['contracts'] as J[])[0]!['suppliers'] as J[] | undefined)?.map((s) => s['id']))).toEqual(SIRETS.map((s) => [`FR-RCS-${s}`]));
  expect((got[0]!['x_decp'] as J)['unmapped']).toBeUndefined();
});

test('rows of one contract whose first gives no modification: the contract is of the generation its rows give together, in JSON as in CSV (one ocid)', async () => {
  // (a modification's id is 2024's evidence: the contract with its modification read as 2024, its id
  // whole; read as the first row alone says, 2019, the JSON contract's id was cut, another ocid)
  const base = { ...flatBase, id: '2023M01' };
  const rows: J[] = [base, { ...base, ...Object.fromEntries(Object.entries(MODS[1]!).map(([f, v]) => [`modification_${f}`, v])) }];
  const want = await convertOne('nested-gen.json', JSON.stringify({ marches: [{ ...nested, id: '2023M01', modifications: [MODS[1]] }] }));
  expect(want[0]!['ocid']).toMatch(/-2023M01$/);
  for (const [name, text] of [['gen.json', JSON.stringify(rows)], ['gen.jsonl', `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`], ['gen.csv', csvOf(rows)]] as const) {
    const { releases, counts } = await convertAll([write(name, text)]);
    expect(counts).toMatchObject({ read: 1, converted: 1, rejected: 0 });
    expect([...new Set((releases as unknown as J[]).map((r) => r['ocid']))]).toEqual([want[0]!['ocid']]);
  }
});

describe('rows of a contract\'s states, its amount and duration as each modification left them', () => {
  // (an export of the contract's states, one row per modification: `montant` and `dureeMois` those the
  // modifications before it left; read as contradicting the first row, each row was another contract,
  // the contract counted once per modification with a phantom amount)
  const states: J[] = [
    { ...flatBase, ...Object.fromEntries(Object.entries(MODS[0]!).map(([f, v]) => [`modification_${f}`, v])) },
    { ...flatBase, montant: 55000, dureeMois: 14, ...Object.fromEntries(Object.entries(MODS[1]!).map(([f, v]) => [`modification_${f}`, v])) },
  ];
  test.each([
    ['a flat JSON list', 'states.json', (rs: J[]) => JSON.stringify(rs)],
    ['a flat DECP CSV', 'states.csv', csvOf],
  ])('%s: one contract, its first amount and both modifications, as the nested list gives them', async (_what, name, text) => {
    const want = await convertOne('nested-states.json', JSON.stringify({ marches: [nested] }));
    const { releases, counts } = await convertAll([write(name, text(states))]);
    expect(counts).toMatchObject({ read: 1, converted: 1, rejected: 0 });
    expect((releases as unknown as J[]).map(comparable)).toEqual(want.map(comparable));
  });

  test('a row of another amount that no modification gave is another contract (a lot numbered alike), modification or not', async () => {
    const lots = [states[0]!, { ...states[1]!, montant: 70000 }];
    const { releases, counts } = await convertAll([write('lots.csv', csvOf(lots))]);
    expect(counts).toMatchObject({ read: 2, converted: 2, rejected: 0 });
    expect(new Set((releases as unknown as J[]).map((r) => String(r['id']).replace(/-[vm]\d+$/, ''))).size).toBe(2);
  });
});
