/**
 * The consolidated DECP published as CSV, read without a profile: data.economie.gouv.fr's Opendatasoft
 * exports (`;`, a byte order mark or not, numbered supplier columns `titulaire_id_1`…) and
 * decp-processing / decp-table-schema tabular files (`,`, one row per contract and supplier, the
 * contract's columns repeated, un-numbered `titulaire.id`). They were refused (INGEST_UNKNOWN_FORMAT:
 * "read through a mapping profile"): every contract lost. A header with an id, a buyer's id and two
 * other DECP field names is now read as DECP records through the DECP mapping, as flat JSON is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { runCli } from '../helpers/cli.js';
import { storeRows } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';
import { chunked, collect } from '../helpers/ingest.js';
import { readChunks } from '../../src/ingest/reader.js';
import { BUYER, flagsOf, type J } from '../helpers/decp-records.js';

const S = ['80268496900016', '44189140500017', '35600000000048'];
const N = ['Alpha BTP', 'Beta Voirie', 'Gamma TP'];
const RCS = (s: string): string => `FR-RCS-${s}`;

/** An Opendatasoft export: `;`, BOM, CRLF, a quoted field holding the separator, numbered suppliers. */
const ODS = `\uFEFFid;acheteur_id;acheteur_nom;nature;objet;codeCPV;procedure;dureeMois;dateNotification;datePublicationDonnees;montant;formePrix;titulaire_id_1;titulaire_typeIdentifiant_1;titulaire_denominationSociale_1;titulaire_id_2;titulaire_typeIdentifiant_2;titulaire_denominationSociale_2\r
M1;${BUYER};Ville de Lille;Marché;"Voirie; lot 1";45000000;Procédure adaptée;12;2023-03-01;2023-03-02;50000;Ferme;${S[0]};SIRET;${N[0]};;;\r
M2;${BUYER};Ville de Lille;Marché;Voirie lot 2;45000000;Procédure adaptée;12;2023-03-01;2023-03-02;60000;Ferme;${S[1]};SIRET;${N[1]};${S[0]};SIRET;"${N[0]}"\r
`;

/** decp-processing's tabular file: `,`, one row per contract and supplier, the contract's columns repeated. */
const TAB = `uid,id,acheteur.id,acheteur.nom,nature,objet,codeCPV,procedure,dureeMois,dateNotification,datePublicationDonnees,montant,formePrix,titulaire.id,titulaire.typeIdentifiant,titulaire.denominationSociale
${BUYER}T1,T1,${BUYER},Ville de Lille,Marché,Travaux T1,45000000,Procédure adaptée,12,2023-03-01,2023-03-02,90000,Ferme,${S[2]},SIRET,${N[2]}
${BUYER}T1,T1,${BUYER},Ville de Lille,Marché,Travaux T1,45000000,Procédure adaptée,12,2023-03-01,2023-03-02,90000,Ferme,${S[0]},SIRET,${N[0]}
${BUYER}T1,T1,${BUYER},Ville de Lille,Marché,Travaux T1,45000000,Procédure adaptée,12,2023-03-01,2023-03-02,90000,Ferme,${S[1]},SIRET,${N[1]}
${BUYER}T2,T2,${BUYER},Ville de Lille,Marché,"Travaux, T2",45000000,Procédure adaptée,12,2023-03-01,2023-03-02,30000,Ferme,${S[1]},SIRET,${N[1]}
`;

/**
 * One-row and several-row contracts mixed, numbered columns in a repeated row too (one with its buyer's
 * SIRET in groups of digits: the same contract), a row that contradicts its contract, a contract again.
 */
const MIXED = `id;acheteur_id;objet;codeCPV;montant;dateNotification;titulaire_id_1;titulaire_denominationSociale_1;titulaire_id_2;titulaire_denominationSociale_2
X1;${BUYER};Entretien;50000000;1000;2023-05-01;${S[0]};${N[0]};;
X2;${BUYER};Nettoyage;90910000;2000;2023-05-02;${S[1]};${N[1]};${S[2]};${N[2]}
X2;${BUYER.replace(/^(\d{3})(\d{3})(\d{3})/, '$1 $2 $3 ')};Nettoyage;90910000;2000;2023-05-02;${S[0]};${N[0]};;
X2;${BUYER};Nettoyage;90910000;9999;2023-05-02;${S[2]};${N[2]};;
X3;${BUYER};Peinture;45442100;3000;2023-05-03;${S[2]};${N[2]};;
X1;${BUYER};Entretien;50000000;1000;2023-05-01;${S[0]};${N[0]};;
`;

const awardsOf = (releases: J[]): Map<string, J> => new Map(releases.filter((r) => (r['tag'] as string[]).includes('award')).map((r) => [String(r['ocid']).split('-').pop()!, r]));
const suppliersOf = (r: J): string[] => ((r['awards'] as J[])[0]!['suppliers'] as J[]).map((s) => String(s['id']));

const write = (name: string, text: string): string => {
  const file = join(tempDir('flat-csv-'), name);
  writeFileSync(file, text);
  return file;
};

describe('a flat DECP CSV is read without a profile', () => {
  test('an Opendatasoft export (;, BOM, CRLF, quotes): the numbered columns are the suppliers', async () => {
    const { releases, rejects, counts } = await convertAll([write('decp.csv', ODS)]);
    expect(rejects).toEqual([]);
    expect(counts.read).toBe(2);
    const awards = awardsOf(releases as unknown as J[]);
    expect(suppliersOf(awards.get('M1')!)).toEqual([RCS(S[0]!)]);
    expect(suppliersOf(awards.get('M2')!)).toEqual([RCS(S[1]!), RCS(S[0]!)]);
    expect(((awards.get('M1')!['awards'] as J[])[0]!['title'])).toBe('Voirie; lot 1');
    expect(flagsOf(awards.get('M1')!).map((f) => f.code)).not.toContain('NO_SUPPLIER');
  });

  test('a tabular file (,): the rows of one contract are one record, their suppliers in the order of the rows', async () => {
    const { releases, rejects, counts } = await convertAll([write('tab.csv', TAB)]);
    expect(rejects).toEqual([]);
    expect(counts).toMatchObject({ read: 2, converted: 2, rejected: 0 });
    const awards = awardsOf(releases as unknown as J[]);
    expect([...awards.keys()].sort()).toEqual(['T1', 'T2']);
    expect(suppliersOf(awards.get('T1')!)).toEqual([RCS(S[2]!), RCS(S[0]!), RCS(S[1]!)]);
    expect(suppliersOf(awards.get('T2')!)).toEqual([RCS(S[1]!)]);
    expect((awards.get('T1')!['awards'] as J[])[0]!['value']).toEqual({ amount: 90000, currency: 'EUR' });
  });

  test('a mixed file: a row of one id and buyer that gives other contract columns (another lot numbered alike) is another contract, from its line; a contract given again apart is read again; nothing rejected', async () => {
    const { releases, rejects, counts } = await convertAll([write('mixed.csv', MIXED)]);
    // (X1 given again further down: a record of its own, as in flat JSON; the X2 row of 9999: another X2)
    expect(counts).toMatchObject({ read: 5, converted: 5, rejected: 0 });
    expect(rejects).toEqual([]);
    const awards = awardsOf(releases as unknown as J[]);
    expect(suppliersOf(awards.get('X1')!)).toEqual([RCS(S[0]!)]);
    const x2 = (releases as unknown as J[]).filter((r) => (r['tag'] as string[]).includes('award') && String(r['ocid']).endsWith('-X2'));
    // (the first rows' contract: the first row's two numbered suppliers, then the second row's one; the
    // third row's, its own supplier and amount, read from its line)
    expect(x2.map((r) => [suppliersOf(r), ((r['awards'] as J[])[0]!['value'] as J)['amount'], (r['x_decp'] as J)['sourceLine']])).toEqual([
      [[RCS(S[1]!), RCS(S[2]!), RCS(S[0]!)], 2000, 3],
      [[RCS(S[2]!)], 9999, 5],
    ]);
    expect(suppliersOf(awards.get('X3')!)).toEqual([RCS(S[2]!)]);
  });

  test('a concession\'s rows (autoriteConcedante.id, concessionnaire.id): one contrat-concession, its concessionnaires in row order', async () => {
    const head = 'id,autoriteConcedante.id,nature,objet,procedure,dureeMois,dateSignature,dateDebutExecution,datePublicationDonnees,valeurGlobale,concessionnaire.id,concessionnaire.typeIdentifiant,concessionnaire.denominationSociale';
    const row = (k: number): string => `C1,${BUYER},Concession de service,Parking,Procédure négociée ouverte,120,2023-03-01,2023-04-01,2023-03-02,500000,${S[k]},SIRET,${N[k]}`;
    const { releases, rejects } = await convertAll([write('conc.csv', `${head}\n${row(2)}\n${row(0)}\n`)]);
    expect(rejects).toEqual([]);
    const r = awardsOf(releases as unknown as J[]).get('C1')!;
    expect((r['x_decp'] as J)['recordType']).toBe('contrat-concession');
    expect(suppliersOf(r)).toEqual([RCS(S[2]!), RCS(S[0]!)]);
  });

  test('detect says it, counts marchés and gives their DECP generation', async () => {
    const r = await runCli(['detect', write('decp.csv', TAB)]);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout.trim()) as J;
    expect(line).toMatchObject({ format: 'csv', version: '2019', records: 2, rejected: 0, types: { marche: 2 } });
    expect(JSON.stringify(line['issues'])).toContain('flat DECP');
  });

  test('run: the store\'s award_suppliers hold the rows\' suppliers', async () => {
    const dir = tempDir('flat-csv-run-');
    const file = join(dir, 'tab.csv');
    writeFileSync(file, TAB);
    const out = join(dir, 'out');
    const r = await runCli(['run', file, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const rows = await storeRows<{ ocid: string; party_id: string }>(join(out, 'decp.duckdb'), 'SELECT ocid, party_id FROM award_suppliers ORDER BY ocid, party_id');
    const got: Record<string, string[]> = {};
    for (const row of rows) (got[row.ocid.split('-').pop()!] ??= []).push(row.party_id);
    expect(got).toEqual({ T1: [RCS(S[0]!), RCS(S[1]!), RCS(S[2]!)].sort(), T2: [RCS(S[1]!)] });
  });

  test('a CSV that is not flat DECP is still refused, with the same message', async () => {
    const file = write('other.csv', 'id;acheteur_id;colour;size\n1;2;red;L\n');
    const r = await runCli(['convert', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('INGEST_UNKNOWN_FORMAT');
    expect(r.stderr).toContain('is CSV: its rows are read through a mapping profile');
  });
});

/** A CSV text's rows as the objects a JSON export of the same table gives (every cell a text, `""` when empty). */
const rowsOf = (csv: string): Array<Record<string, string>> => {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '');
  const sep = lines[0]!.includes(';') ? ';' : ',';
  const cells = (line: string): string[] => [...line.matchAll(new RegExp(`(?:^|${sep})("(?:[^"]|"")*"|[^${sep}]*)`, 'g'))].map((m) => m[1]!.replace(/^"(.*)"$/s, '$1').replace(/""/g, '"'));
  const head = cells(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(cells(l).map((v, k) => [head[k]!, v])));
};
/** A release less where it was read from (file, hash, line, index). */
const unplaced = (r: J): J => {
  const x = { ...(r['x_decp'] as J) };
  for (const k of ['sourceFile', 'sourceSha256', 'sourceLine', 'sourceIndex']) delete x[k];
  return { ...r, x_decp: x };
};

describe('the same rows as a flat JSON list give what the CSV gives (one grouping for both)', () => {
  test.each([
    ['one row per contract and supplier (un-numbered titulaire.id)', TAB],
    ['one and several rows, numbered columns in a repeated row, a row of another contract of one id, a contract again', MIXED],
    ['numbered supplier columns, one row a contract', ODS],
  ])('%s', async (_what, csv) => {
    const fromCsv = await convertAll([write('rows.csv', csv)]);
    const rows = rowsOf(csv);
    for (const [name, text] of [['rows.json', JSON.stringify(rows, null, 1)], ['rows.jsonl', `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`]] as const) {
      const fromJson = await convertAll([write(name, text)]);
      expect(fromJson.counts).toMatchObject({ read: fromCsv.counts.read, converted: fromCsv.counts.converted, rejected: fromCsv.counts.rejected });
      expect((fromJson.releases as unknown as J[]).map(unplaced)).toEqual((fromCsv.releases as unknown as J[]).map(unplaced));
      expect(fromJson.rejects.map((r) => [r.code, r.reason.replace(/line \d+/, 'line N')])).toEqual(fromCsv.rejects.map((r) => [r.code, r.reason.replace(/line \d+/, 'line N')]));
    }
  });

  test('JSON Lines: the record that gives other contract columns is a contract of its own, at its own line; indexes count the records given (read = converted + rejected)', async () => {
    const rows = rowsOf(MIXED);
    const { rejects, counts, releases } = await convertAll([write('mixed.jsonl', `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`)]);
    expect(counts).toMatchObject({ read: 5, converted: 5, rejected: 0 });
    expect(rejects).toEqual([]);
    const lines = (releases as unknown as J[]).filter((r) => String(r['ocid']).endsWith('-X2')).map((r) => (r['x_decp'] as J)['sourceLine']);
    expect(lines).toEqual([2, 4]);
    const indexes = [...new Set((releases as unknown as J[]).map((r) => (r['x_decp'] as J)['sourceIndex'] as number))].sort((a, b) => a - b);
    expect(indexes).toEqual([0, 1, 2, 3, 4]);
  });

  test('rows held for one contract are bounded as a CSV group is: past --max-record-bytes, one reject (read = converted + rejected)', async () => {
    const dir = tempDir('flat-json-big-');
    const rows = rowsOf(TAB);
    const file = join(dir, 'tab.json');
    writeFileSync(file, JSON.stringify(rows));
    const limit = JSON.stringify(rows[0]).length * 2 + 10;
    const r = await runCli(['convert', file, '--max-record-bytes', String(limit), '--rejects', join(dir, 'rejects.jsonl'), '-o', join(dir, 'out.jsonl')]);
    expect(r.stderr).toContain('2 records read: 1 converted');
    const rejects = readFileSync(join(dir, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as J);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ code: 'INGEST_RECORD_TOO_LARGE', index: 0 });
  });

  test('a contract whose second row is already past --max-record-bytes is one reject, not its first row alone', async () => {
    // (the rows past the limit are not held: the contract held its first row alone, and was published
    // so, its other suppliers silently lost, where a CSV group of the same rows is rejected)
    const dir = tempDir('flat-json-big-');
    const rows = rowsOf(TAB);
    const file = join(dir, 'tab.jsonl');
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const limit = Math.floor(JSON.stringify(rows[0]).length * 1.5);
    const r = await runCli(['convert', file, '--max-record-bytes', String(limit), '--rejects', join(dir, 'rejects.jsonl'), '-o', join(dir, 'out.jsonl')]);
    expect(r.stderr).toContain('2 records read: 1 converted');
    const rejects = readFileSync(join(dir, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as J);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ code: 'INGEST_RECORD_TOO_LARGE', index: 0, line: 1 });
  });

  test('records whose objects are flattened but whose lists are kept (json_normalize) are not grouped: each keeps its suppliers and modifications', async () => {
    const base: J = { id: 'H1', 'acheteur.id': BUYER, objet: 'Voirie', codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 12, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-02', montant: 1000, titulaires: [{ id: S[0], typeIdentifiant: 'SIRET' }] };
    // (the contract published again with its modification, next to its first publication)
    const again: J = { ...base, modifications: [{ id: 1, montant: 1500, dateNotificationModification: '2023-06-01', datePublicationDonneesModification: '2023-06-02' }] };
    const { counts, releases } = await convertAll([write('normalized.json', JSON.stringify([base, again]))]);
    expect(counts).toMatchObject({ read: 2, converted: 2, rejected: 0 });
    const rs = releases as unknown as J[];
    expect(rs.filter((r) => (r['tag'] as string[]).includes('contractAmendment'))).toHaveLength(1);
    for (const r of rs.filter((x) => (x['tag'] as string[]).includes('award'))) expect((r['awards'] as J[])[0]!['suppliers']).toHaveLength(1);
    for (const r of rs) expect((r['x_decp'] as J)['unmapped']).toBeUndefined();
  });

  test('nested DECP records of one id in a row are not grouped (only flat ones are)', async () => {
    const nested = (s: string): J => ({ id: 'N1', acheteur: { id: BUYER }, objet: 'Voirie', codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 12, dateNotification: '2023-03-01', datePublicationDonnees: '2023-03-02', montant: 1000, titulaires: [{ id: s, typeIdentifiant: 'SIRET' }] });
    const { counts } = await convertAll([write('nested.json', JSON.stringify({ marches: [nested(S[0]!), nested(S[1]!)] }))]);
    expect(counts).toMatchObject({ read: 2, converted: 2 });
  });
});

describe('a number that is no slot', () => {
  test.each([
    ['flat JSON', 'slot.json', (h: string[], v: string[]) => JSON.stringify([Object.fromEntries(h.map((k, i) => [k, v[i]]))])],
    ['flat DECP CSV', 'slot.csv', (h: string[], v: string[]) => `${h.join(';')}\n${v.join(';')}\n`],
  ])('%s: titulaire_id_2020 (a year) and titulaires.12345.id are no supplier slots: kept unmapped', async (_what, name, text) => {
    const head = ['id', 'acheteur_id', 'objet', 'codeCPV', 'montant', 'dateNotification', 'titulaire_id_1', 'titulaire_id_2020', 'titulaires.12345.id'];
    const values = ['Y1', BUYER, 'Entretien', '50000000', '1000', '2023-05-01', S[0]!, S[1]!, S[2]!];
    const { releases, rejects } = await convertAll([write(name, text(head, values))]);
    expect(rejects).toEqual([]);
    const r = awardsOf(releases as unknown as J[]).get('Y1')!;
    expect(suppliersOf(r)).toEqual([RCS(S[0]!)]);
    expect((r['x_decp'] as J)['unmapped']).toEqual({ titulaire_id_2020: S[1], 'titulaires.12345.id': S[2] });
  });
});

describe('--sample N counts records (contracts, each with all its rows), not rows', () => {
  /** T1 of three rows, T2 of one, T3 of two: six rows, three contracts. */
  const THREE = `${TAB}${TAB.trim().split('\n').slice(1, 3).map((l) => l.replaceAll('T1', 'T3').replace(',90000,', ',40000,')).join('\n')}\n`;
  const forms = (csv: string): Array<[string, string]> => {
    const rows = rowsOf(csv);
    return [
      ['rows.csv', csv],
      ['rows.json', JSON.stringify(rows, null, 1)],
      ['rows.jsonl', `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`],
    ];
  };
  const convert = async (file: string, sample?: number): Promise<{ stderr: string; releases: J[]; rejects: J[] }> => {
    const dir = tempDir('flat-sample-');
    const r = await runCli(['convert', file, '-o', join(dir, 'r.jsonl'), '--rejects', join(dir, 'x.jsonl'), ...(sample === undefined ? [] : ['--sample', String(sample)])]);
    expect(r.code).toBe(0);
    const read = (f: string): J[] => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as J);
    return { stderr: r.stderr, releases: read('r.jsonl'), rejects: read('x.jsonl') };
  };
  const indexOf = (r: J): number => (r['x_decp'] as J)['sourceIndex'] as number;

  test.each([
    ['one row per contract and supplier', THREE, 3],
    ['a row of one id and buyer that contradicts its contract (another contract from its line), a contract again', MIXED, 5],
  ])('%s: convert --sample N gives the first N records of the whole file, each as the whole file gives it, in CSV, JSON and JSON Lines', async (_what, csv, records) => {
    for (const [name, text] of forms(csv)) {
      const whole = await convert(write(name, text));
      expect(new Set(whole.releases.map(indexOf)).size).toBe(records);
      for (let n = 1; n <= records + 1; n++) {
        const got = await convert(write(name, text), n);
        const want = Math.min(n, records);
        // (read = converted + rejected: the summary counts the records given, none of them a row)
        expect([name, n, got.stderr]).toEqual([name, n, expect.stringContaining(`decp-ocds: ${want} records read: ${want} converted`)]);
        expect(got.rejects).toEqual([]);
        expect([name, n, got.releases.map(unplaced)]).toEqual([name, n, whole.releases.filter((r) => indexOf(r) < want).map(unplaced)]);
      }
    }
  });

  test('a JSON list read in chunks of any size: the same contracts, whole, whatever the chunks; the file\'s counts are theirs', async () => {
    const rows = rowsOf(THREE);
    const bytes = Buffer.from(JSON.stringify(rows));
    const info = { file: 'rows.json', sha256: '', size: bytes.length, compressed: null };
    const whole = await collect(readChunks(chunked(bytes, bytes.length), info, {}));
    for (const size of [1, 7, 64, bytes.length]) {
      for (const n of [1, 2]) {
        const got = await collect(readChunks(chunked(bytes, size), info, {}, { used: 0, limit: n }));
        expect([size, n, got.records.map((r) => r.data)]).toEqual([size, n, whole.records.slice(0, n).map((r) => r.data)]);
        expect(got.summary).toMatchObject({ read: n, accepted: n, rejected: 0, types: { marche: n } });
      }
    }
  });

  // found by a review: the contract open was counted as not whole yet (state.held), then given whole when
  // the next record came; a record that is no row of a flat contract (a nested record, a reject) ended
  // it, was counted at once, and --sample 1 gave two records
  test('a flat contract followed by a record that is no row of one (a reject, a nested record): --sample N gives N records', async () => {
    const rows = rowsOf(TAB);
    const nested = { id: 'N1', acheteur: { id: BUYER }, objet: 'Nested', montant: 1000 };
    for (const list of [[rows[0], rows[1], 42, rows[3]], [rows[0], rows[1], nested, rows[3]]]) {
      const bytes = Buffer.from(JSON.stringify(list));
      const info = { file: 'rows.json', sha256: '', size: bytes.length, compressed: null };
      const whole = await collect(readChunks(chunked(bytes, bytes.length), info, {}));
      expect(whole.summary).toMatchObject({ read: 3 });
      for (const n of [1, 2, 3]) {
        const got = await collect(readChunks(chunked(bytes, bytes.length), info, {}, { used: 0, limit: n }));
        // (read = accepted + rejected: the first n records of the whole file's)
        expect([list[2], n, got.summary.read, got.records.length + got.rejects.length]).toEqual([list[2], n, n, n]);
        expect(got.records.map((r) => r.data)).toEqual(whole.records.slice(0, got.records.length).map((r) => r.data));
      }
    }
  });

  // found by a review: the records given up after a flat contract that made the sample whole were
  // un-counted, but their type's count was left at 0 (`types: {"marche": 1, "release": 0}`, where the
  // counts of a file that never read a release have no `release`), and the releases the reader counted
  // in the root's `releases` list (rootReleases, which says whether an OCDS record gave releases of its
  // own) were left counted
  test('a flat contract followed by an OCDS record whose releases come first: the releases the sample gives up leave no count behind', async () => {
    const rows = rowsOf(TAB);
    const record = { releases: [1, 2].map((k) => ({ ocid: 'ocds-abcdef-1', id: `r${k}`, date: `2020-0${k}-01T00:00:00Z`, tag: ['tender'] })), ocid: 'ocds-abcdef-1' };
    const bytes = Buffer.from([rows[0], rows[1], record].map((x) => JSON.stringify(x, null, 1)).join('\n'));
    const info = { file: 'rows.json', sha256: '', size: bytes.length, compressed: null };
    const whole = await collect(readChunks(chunked(bytes, bytes.length), info, {}));
    expect(whole.summary).toMatchObject({ read: 3, accepted: 3, rejected: 0, types: { marche: 1, release: 2 } });
    for (const [n, types] of [[1, { marche: 1 }], [2, { marche: 1, release: 1 }], [3, { marche: 1, release: 2 }]] as const) {
      const got = await collect(readChunks(chunked(bytes, bytes.length), info, {}, { used: 0, limit: n }));
      expect([n, got.summary.read, got.records.length, got.summary.types]).toEqual([n, n, n, types]);
    }
  });

  test('detect and validate --decp count the same records', async () => {
    for (const [name, text] of forms(THREE)) {
      const d = await runCli(['detect', write(name, text), '--sample', '2']);
      expect([name, JSON.parse(d.stdout.trim())]).toEqual([name, expect.objectContaining({ records: 2, rejected: 0 })]);
      const dir = tempDir('flat-sample-validate-');
      await runCli(['validate', '--decp', write(name, text), '--sample', '2', '--report', join(dir, 'v.json')]);
      const report = JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')) as { summary: J };
      expect([name, report.summary['releases']]).toEqual([name, 2]);
    }
  });

  test('a profile that groups consecutive rows (settings.csv.groupBy: item lines): --sample N gives N records, each with all its lines', async () => {
    const csv = new URL('../../fixtures/emergency/achats-urgence.csv', import.meta.url).pathname;
    const profile = new URL('../../mappings/emergency-csv.json', import.meta.url).pathname;
    const dir = tempDir('profile-sample-');
    const run = async (sample?: number): Promise<{ stderr: string; releases: J[] }> => {
      const out = join(dir, `r${sample ?? ''}.jsonl`);
      const r = await runCli(['convert', csv, '--profile', profile, '-o', out, ...(sample === undefined ? [] : ['--sample', String(sample)])]);
      expect(r.code).toBe(0);
      return { stderr: r.stderr, releases: readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as J) };
    };
    const whole = await run();
    for (const n of [1, 2, 3]) {
      const got = await run(n);
      expect(got.stderr).toContain(`${n} records read: ${n} converted`);
      expect(got.releases.map(unplaced)).toEqual(whole.releases.filter((r) => indexOf(r) < n).map(unplaced));
    }
  });

  // found by a review: a row rejected among a contract's lines (fields too few) counted as one record
  // of the sample on its own, the contract open not yet: `--sample 1` gave that row alone, "1 records
  // read: 0 converted, 1 rejected", and each N one contract fewer than asked
  test.each([
    ['a profile that groups consecutive rows (settings.csv.groupBy)', 'profile'],
    ['a flat DECP CSV read without a profile', 'flat'],
  ])('%s, a row of its first contract rejected among its lines: --sample N gives N contracts, whole, and the row rejected (read = converted + rejected)', async (_what, kind) => {
    const dir = tempDir('sample-row-rejected-');
    let file: string;
    let args: string[] = [];
    if (kind === 'profile') {
      const lines = readFileSync(new URL('../../fixtures/emergency/achats-urgence.csv', import.meta.url), 'utf8').split('\n');
      file = write('rows-rejected.csv', [lines[0], lines[1], '2020-URG-001;21130055300016;fields;too;few', ...lines.slice(2)].join('\n'));
      args = ['--profile', new URL('../../mappings/emergency-csv.json', import.meta.url).pathname];
    } else {
      const lines = THREE.split('\n');
      file = write('rows-rejected-flat.csv', [lines[0], lines[1], `${BUYER}T1,T1,${BUYER},fields,too,few`, ...lines.slice(2)].join('\n'));
    }
    const run = async (sample?: number): Promise<{ stderr: string; releases: J[]; rejects: J[] }> => {
      const k = sample ?? 'all';
      const r = await runCli(['convert', file, ...args, '-o', join(dir, `r${k}.jsonl`), '--rejects', join(dir, `x${k}.jsonl`), ...(sample === undefined ? [] : ['--sample', String(sample)])]);
      expect(r.code).toBe(0);
      const read = (f: string): J[] => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as J);
      return { stderr: r.stderr, releases: read(`r${k}.jsonl`), rejects: read(`x${k}.jsonl`) };
    };
    const whole = await run();
    const contracts = [...new Set(whole.releases.map((r) => r['ocid']))];
    for (const n of [1, 2, 3]) {
      const got = await run(n);
      expect([n, got.stderr]).toEqual([n, expect.stringContaining(`decp-ocds: ${n + 1} records read: ${n} converted`)]);
      expect([n, got.stderr]).toEqual([n, expect.stringContaining(', 1 rejected')]);
      expect(got.rejects.map((x) => x['line'])).toEqual([3]);
      // (the first n contracts, each with all its lines, as the whole file gives them)
      expect(got.releases.map(unplaced)).toEqual(whole.releases.filter((r) => contracts.indexOf(r['ocid']) < n).map(unplaced));
    }
  });
});

describe('the flags of a contract of several rows name the columns as the file names them', () => {
  /** Rows of one contract: a supplier each (un-numbered), a modification each (un-numbered, its amount under a synonym), a row of two numbered suppliers. */
  const HEAD = ['id', 'acheteur.id', 'objet', 'codeCPV', 'montant', 'dateNotification', 'datePublicationDonnees', 'titulaire.id', 'titulaire.typeIdentifiant', 'modification_id', 'modification_dateNotificationModification', 'modification_datePublicationDonneesModification', 'modification_montantModification'];
  const row = (s: string, mod: number, amount: number): string[] => ['R1', BUYER, 'Voirie', '45000000', '1000', '2023-05-01', '2023-05-02', s, 'SIRET', String(mod), `2023-0${5 + mod}-01`, `2023-0${5 + mod}-02`, String(amount)];
  const ROWS = [row(S[0]!, 1, 1100), row(S[1]!, 2, 1200), row(S[2]!, 3, 1300)];
  const csv = `${HEAD.join(',')}\n${ROWS.map((r) => r.join(',')).join('\n')}\n`;
  const json = JSON.stringify(ROWS.map((r) => Object.fromEntries(r.map((v, k) => [HEAD[k]!, v]))));

  test.each([
    ['a flat DECP CSV', 'rows.csv', csv],
    ['a flat JSON list', 'rows.json', json],
  ])('%s: KEY_RESPELLED and KEY_SYNONYM name the file\'s own columns (`titulaire.id`, `modification_id`), each once, not the renumbered `titulaire.id_2` or `modification_id_1`', async (_what, name, text) => {
    const { releases, rejects, counts } = await convertAll([write(name, text)]);
    expect(rejects).toEqual([]);
    expect(counts).toMatchObject({ read: 1, converted: 1 });
    const award = awardsOf(releases as unknown as J[]).get('R1')!;
    // (the rows were read: three suppliers, three modifications)
    expect(suppliersOf(award)).toEqual(S.map(RCS));
    expect((releases as unknown as J[]).filter((r) => (r['tag'] as string[]).includes('contractAmendment'))).toHaveLength(3);
    const named = flagsOf(award).filter((f) => f.code === 'KEY_RESPELLED' || f.code === 'KEY_SYNONYM').map(({ code, pointer, raw }) => ({ code, pointer, raw }));
    expect(named).toEqual([
      { code: 'KEY_RESPELLED', pointer: '/titulaire.id', raw: ['titulaire.id', 'titulaire.typeIdentifiant'] },
      { code: 'KEY_SYNONYM', pointer: '/modification_montantModification', raw: 'modification_montantModification' },
      { code: 'KEY_RESPELLED', pointer: '/modification_id', raw: ['modification_id', 'modification_dateNotificationModification', 'modification_datePublicationDonneesModification', 'modification_montantModification'] },
    ]);
    // (every column a flag names is one of the file's header)
    for (const f of named) {
      for (const c of [f.pointer.slice(1), ...(Array.isArray(f.raw) ? f.raw : [f.raw])]) expect(HEAD).toContain(c);
    }
  });

  test('numbered columns of several rows: each named as the file names it (the 2nd row\'s titulaire_id_1, renumbered 3, is titulaire_id_1), once', async () => {
    const { releases } = await convertAll([write('mixed.csv', MIXED)]);
    const x2 = (releases as unknown as J[]).find((r) => (r['tag'] as string[]).includes('award') && String(r['ocid']).endsWith('-X2'))!;
    expect(suppliersOf(x2)).toEqual([RCS(S[1]!), RCS(S[2]!), RCS(S[0]!)]);
    expect(flagsOf(x2).filter((f) => f.code === 'KEY_RESPELLED' && f.pointer.startsWith('/titulaire')).map(({ pointer, raw }) => ({ pointer, raw }))).toEqual([
      { pointer: '/titulaire_id_1', raw: ['titulaire_id_1', 'titulaire_denominationSociale_1', 'titulaire_id_2', 'titulaire_denominationSociale_2'] },
    ]);
  });

  // found by a review: the unread columns kept in x_decp.unmapped were the renumbered ones,
  // {"titulaire.pays_1": "FR", "titulaire.pays_3": "BE"}, columns the file does not have
  test.each([
    ['a flat DECP CSV', 'pays.csv'],
    ['a flat JSON list', 'pays.json'],
  ])('%s: the unread supplier columns of its rows are kept under the file\'s name, one entry per supplier (null for one without), in x_decp.unmapped', async (_what, name) => {
    const head = ['id', 'acheteur.id', 'objet', 'codeCPV', 'montant', 'dateNotification', 'datePublicationDonnees', 'titulaire.id', 'titulaire.typeIdentifiant', 'titulaire.pays', 'noteInterne'];
    const rows = [
      ['P1', BUYER, 'Voirie', '45000000', '1000', '2023-05-01', '2023-05-02', S[0]!, 'SIRET', 'FR', 'n'],
      ['P1', BUYER, 'Voirie', '45000000', '1000', '2023-05-01', '2023-05-02', S[1]!, 'SIRET', '', 'n'],
      ['P1', BUYER, 'Voirie', '45000000', '1000', '2023-05-01', '2023-05-02', S[2]!, 'SIRET', 'BE', 'n'],
      // (a contract of one row: its column as it is)
      ['P2', BUYER, 'Voirie', '45000000', '1000', '2023-05-01', '2023-05-02', S[0]!, 'SIRET', 'DE', 'm'],
    ];
    const text = name.endsWith('.csv') ? `${head.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n` : JSON.stringify(rows.map((r) => Object.fromEntries(r.flatMap((v, k) => (v === '' ? [] : [[head[k]!, v]])))));
    const { releases, counts } = await convertAll([write(name, text)]);
    expect(counts).toMatchObject({ read: 2, converted: 2 });
    const awards = awardsOf(releases as unknown as J[]);
    expect(suppliersOf(awards.get('P1')!)).toEqual(S.map(RCS));
    expect((awards.get('P1')!['x_decp'] as J)['unmapped']).toEqual({ noteInterne: 'n', 'titulaire.pays': ['FR', null, 'BE'] });
    expect((awards.get('P2')!['x_decp'] as J)['unmapped']).toEqual({ noteInterne: 'm', 'titulaire.pays': 'DE' });
  });

  // found by a review: a file that numbers its suppliers' columns (`titulaire_pays_1`, `titulaire_pays_2`)
  // on a contract's rows had the values of `titulaire_pays_1` placed at their item's number, padded with
  // null: {"titulaire_pays_1": ["FR", null, "BE"], "titulaire_pays_2": "DE"}, a null that said the second
  // supplier had no country, which `titulaire_pays_2` gives
  test('numbered supplier columns on several rows: each numbered column\'s values one per item, no null for an item another column gives', async () => {
    const head = 'id,acheteur.id,objet,codeCPV,montant,dateNotification,datePublicationDonnees,titulaire_id_1,titulaire_typeIdentifiant_1,titulaire_pays_1,titulaire_id_2,titulaire_typeIdentifiant_2,titulaire_pays_2';
    const rows = [
      ['P1', BUYER, 'Voirie', '45000000', '1000', '2023-05-01', '2023-05-02', S[0]!, 'SIRET', 'FR', S[1]!, 'SIRET', 'DE'],
      ['P1', BUYER, 'Voirie', '45000000', '1000', '2023-05-01', '2023-05-02', S[2]!, 'SIRET', 'BE', '', '', ''],
      // (one supplier a row, the first without a country: its null kept, no other column gives it)
      ['P2', BUYER, 'Voirie', '45000000', '1000', '2023-05-01', '2023-05-02', S[0]!, 'SIRET', '', '', '', ''],
      ['P2', BUYER, 'Voirie', '45000000', '1000', '2023-05-01', '2023-05-02', S[1]!, 'SIRET', 'BE', '', '', ''],
    ];
    const { releases } = await convertAll([write('numbered-pays.csv', `${head}\n${rows.map((r) => r.join(',')).join('\n')}\n`)]);
    const awards = awardsOf(releases as unknown as J[]);
    expect(suppliersOf(awards.get('P1')!)).toEqual(S.map(RCS));
    expect((awards.get('P1')!['x_decp'] as J)['unmapped']).toEqual({ titulaire_pays_1: ['FR', 'BE'], titulaire_pays_2: 'DE' });
    expect((awards.get('P2')!['x_decp'] as J)['unmapped']).toEqual({ titulaire_pays_1: [null, 'BE'] });
  });
});
