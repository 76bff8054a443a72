/**
 * A natural person is one across processes (RGPD): a sole trader that one file names with its `EI`
 * and another without it (another buyer, another establishment of the same SIREN) is withheld in
 * both by the nightly job — in ocds/, the store and Parquet —, whichever night brought each file,
 * and the store says which parties are persons (parties.natural_person, person_elsewhere).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const record = (id: string, buyer: string, siret: string, name: string, objet: string): Record<string, unknown> => ({
  _type: 'Marché', id, acheteur: { id: buyer, nom: 'Commune de Test' }, nature: 'Marché', objet, codeCPV: '45261000-4', procedure: 'Procédure adaptée',
  lieuExecution: { code: '35400', typeCode: 'Code postal', nom: 'Test' }, dureeMois: 4, dateNotification: '2019-02-11', datePublicationDonnees: '2019-02-20',
  montant: 84250.5, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: siret, denominationSociale: name }], modifications: [],
});
// the sole trader's EI in a's record; b names the same person (another establishment of its SIREN) without it, beside a company
const A = (name = 'DUPRAT Marc EI'): string => JSON.stringify({ marches: [record('2019A1', '21350238800019', '44189140500017', name, 'Plomberie des vestiaires')] });
const B = JSON.stringify({ marches: [record('2019B1', '21130055300016', '44189140500025', 'DUPRAT Marc', 'Travaux de plomberie confiés à DUPRAT Marc'), record('2019B2', '21130055300016', '80268496900016', 'PLOMBERIE SA', 'Autre')] });

const run = async (input: string, out: string): Promise<Record<string, number>> => {
  expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
  return (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: Record<string, number> }).counts;
};
const ocdsText = (out: string): string => ['releases', 'records'].map((f) => gunzipSync(readFileSync(join(out, `ocds/${f}.jsonl.gz`))).toString('utf8')).join('\n');
const sortedLines = (out: string, f: string): string[] => gunzipSync(readFileSync(join(out, `ocds/${f}.jsonl.gz`))).toString('utf8').split('\n').filter((l) => l !== '').sort();

async function query(out: string, sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(join(out, 'decp.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
const partiesOf = (out: string): Promise<unknown[][]> => query(out, "SELECT ocid, party_id, name, natural_person, person_elsewhere FROM parties WHERE NOT is_buyer ORDER BY ocid, party_id");

describe('a natural person identified in one process is withheld in every process that names its SIREN', () => {
  test('one run over both files: the name nowhere in ocds/, the store or Parquet; its words masked in the other title; the company kept', async () => {
    const dir = tempDir('person-sirens-');
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'a.json'), A());
    writeFileSync(join(dir, 'in', 'b.json'), B);
    const out = join(dir, 'out');
    await run(join(dir, 'in'), out);
    const text = ocdsText(out);
    expect(text).not.toMatch(/DUPRAT/);
    expect(text).toContain('Travaux de plomberie confiés à *** ***');
    expect(text).toContain('PLOMBERIE SA');
    // the identifiers stay; the release that identified the person says so
    expect(text).toContain('44189140500025');
    expect(text).toContain('"personParties":["FR-RCS-44189140500017"]');
    expect(await partiesOf(out)).toEqual([
      ['ocds-78apv2-21130055300016-2019B1', 'FR-RCS-44189140500025', null, true, true],
      ['ocds-78apv2-21130055300016-2019B2', 'FR-RCS-80268496900016', 'PLOMBERIE SA', false, false],
      ['ocds-78apv2-21350238800019-2019A1', 'FR-RCS-44189140500017', null, true, false],
    ]);
    expect(await query(out, 'SELECT persons FROM release_sources WHERE persons IS NOT NULL')).toEqual([['441891405']]);
    // nor in the views, nor in any Parquet file (DuckDB reads them back)
    const textOf = (rows: unknown[][]): string => JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(textOf(await query(out, 'SELECT * FROM contracts_per_supplier'))).not.toMatch(/DUPRAT/);
    expect(textOf(await query(out, 'SELECT * FROM party_names'))).not.toMatch(/DUPRAT/);
    const parquet = join(out, 'parquet');
    for (const t of readdirSync(parquet)) {
      const rows = await query(out, `SELECT * FROM read_parquet('${join(parquet, t)}/**/*.parquet')`);
      if (t === 'parties') expect(rows).toHaveLength(6);
      expect(textOf(rows)).not.toMatch(/DUPRAT/);
    }
  });

  test('a copy of the release that names the person with its EI counts when another copy, published later, wins (found by a review): the same contract from two sources', async () => {
    const dir = tempDir('person-sirens-copies-');
    mkdirSync(join(dir, 'in'));
    const copy = (name: string, published: string): string => JSON.stringify({ marches: [{ ...record('2019A1', '21350238800019', '44189140500017', name, 'Plomberie des vestiaires'), datePublicationDonnees: published }] });
    writeFileSync(join(dir, 'in', 'a.json'), copy('DUPRAT Marc EI', '2019-02-20'));
    writeFileSync(join(dir, 'in', 'b.json'), copy('DUPRAT Marc', '2019-03-01'));
    const out = join(dir, 'out');
    await run(join(dir, 'in'), out);
    // (one release, b's copy published: a's is in release_sources)
    expect(await query(out, 'SELECT count(*)::INTEGER FROM releases')).toEqual([[1]]);
    expect(ocdsText(out)).not.toMatch(/DUPRAT/);
    expect((await partiesOf(out)).map((r) => [r[2], r[3]])).toEqual([[null, true]]);
    expect((await run(join(dir, 'in'), out)).ocidsCompiled).toBe(0);
  });

  test('night by night: the process published before its person was identified is compiled again, as a run over both files makes it; the night after changes nothing', async () => {
    const dir = tempDir('person-sirens-nights-');
    const input = join(dir, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'b.json'), B);
    const out = join(dir, 'out');
    await run(input, out);
    expect(ocdsText(out)).toContain('DUPRAT Marc');
    writeFileSync(join(input, 'a.json'), A());
    // (a's process, and b's, which names the person a identifies)
    expect((await run(input, out)).ocidsCompiled).toBe(2);
    expect(ocdsText(out)).not.toMatch(/DUPRAT/);
    const fresh = join(dir, 'fresh');
    await run(input, fresh);
    for (const f of ['releases', 'records']) expect(sortedLines(out, f)).toEqual(sortedLines(fresh, f));
    expect(await partiesOf(out)).toEqual(await partiesOf(fresh));
    expect((await run(input, out)).ocidsCompiled).toBe(0);
    // (the set of persons' SIRENs the processes agree with: the parties table is read again only when it changes)
    expect(await query(out, "SELECT length(value) = 32 FROM store_meta WHERE key = 'person_sirens'")).toEqual([[true]]);
  });

  test('a correction that no longer says it is a person: the other process is compiled again, its party no longer a person; its name, withheld from the release published, stays so (the safe side) until its own file is read again', async () => {
    const dir = tempDir('person-sirens-undo-');
    const input = join(dir, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'a.json'), A());
    writeFileSync(join(input, 'b.json'), B);
    const out = join(dir, 'out');
    await run(input, out);
    writeFileSync(join(input, 'a.json'), A('DUPRAT Marc'));
    expect((await run(input, out)).ocidsCompiled).toBe(2);
    const rows = await partiesOf(out);
    expect(rows.map((r) => [r[1], r[3], r[4]])).toEqual([
      ['FR-RCS-44189140500025', false, false],
      ['FR-RCS-80268496900016', false, false],
      ['FR-RCS-44189140500017', false, false],
    ]);
    // (a's own record names it now; b's release, as published, does not)
    expect(rows[2]![2]).toBe('DUPRAT Marc');
    expect(rows[0]![2]).toBeNull();
    expect((await run(input, out)).ocidsCompiled).toBe(0);
    // b republished: read again, its name is back
    writeFileSync(join(input, 'b.json'), `${B}\n`);
    await run(input, out);
    expect((await partiesOf(out))[0]![2]).toBe('DUPRAT Marc');
  });
  test('two lots of one contract (one ocid), one naming the sole trader with its EI and the other without: withheld in both, in the compiled release too', async () => {
    const dir = tempDir('person-sirens-lots-');
    const input = join(dir, 'a.json');
    writeFileSync(input, JSON.stringify({ marches: [record('2019L1', '21350238800019', '44189140500017', 'DUPRAT Marc EI', 'Lot 1 plomberie'), record('2019L1', '21350238800019', '44189140500017', 'DUPRAT Marc', 'Lot 2 chauffage')] }));
    const out = join(dir, 'out');
    expect((await run(input, out)).ocidsCompiled).toBe(1);
    expect(ocdsText(out)).not.toMatch(/DUPRAT/);
    expect(await partiesOf(out)).toEqual([['ocds-78apv2-21350238800019-2019L1', 'FR-RCS-44189140500017', null, true, false]]);
    expect((await run(input, out)).ocidsCompiled).toBe(0);
  });

  test('a supplier given its buyer\'s SIRET with a person\'s name: the buyer is no natural person in its other processes (neither its name nor its words withheld there)', async () => {
    const dir = tempDir('person-sirens-buyer-');
    mkdirSync(join(dir, 'in'));
    // (the buyer's own SIRET as the holder's, and another buyer's contract given it too)
    writeFileSync(join(dir, 'in', 'a.json'), JSON.stringify({ marches: [record('2019C1', '21350238800019', '21350238800019', 'M. Marc DUPRAT', 'Entretien'), record('2019C2', '21130055300016', '21350238800019', 'M. Marc DUPRAT', 'Nettoyage')] }));
    writeFileSync(join(dir, 'in', 'b.json'), JSON.stringify({ marches: [record('2019C3', '21350238800019', '80268496900016', 'PLOMBERIE SA', 'Fournitures pour la Commune de Test')] }));
    const out = join(dir, 'out');
    await run(join(dir, 'in'), out);
    const text = ocdsText(out);
    expect(text).not.toMatch(/DUPRAT/);
    expect(text).toContain('Fournitures pour la Commune de Test');
    expect(await query(out, "SELECT name, natural_person, person_elsewhere FROM parties WHERE ocid = 'ocds-78apv2-21350238800019-2019C3' AND is_buyer")).toEqual([['Commune de Test', false, false]]);
    expect((await run(join(dir, 'in'), out)).ocidsCompiled).toBe(0);
  });
  test('a person\'s mistyped SIRET (its key wrong) names no legal unit: the company of those nine digits keeps its name in its own process', async () => {
    const dir = tempDir('person-sirens-luhn-');
    mkdirSync(join(dir, 'in'));
    // (80268496900098 fails the SIRET key: PLOMBERIE SA is 80268496900016)
    writeFileSync(join(dir, 'in', 'a.json'), JSON.stringify({ marches: [record('2019D1', '21350238800019', '80268496900098', 'M. Marc DUPRAT', 'Entretien')] }));
    writeFileSync(join(dir, 'in', 'b.json'), JSON.stringify({ marches: [record('2019D2', '21130055300016', '80268496900016', 'PLOMBERIE SA', 'Travaux PLOMBERIE')] }));
    const out = join(dir, 'out');
    await run(join(dir, 'in'), out);
    const text = ocdsText(out);
    expect(text).not.toMatch(/DUPRAT/);
    expect(text).toContain('"name":"PLOMBERIE SA"');
    expect(text).toContain('Travaux PLOMBERIE');
    expect(await query(out, 'SELECT count(*) FROM release_sources WHERE persons IS NOT NULL')).toEqual([[0n]]);
  });
});
