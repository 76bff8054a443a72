/**
 * `convert` and `run` with a fixed `--run-date` give the same bytes on every machine: whatever its time
 * zone (the operators' cron runs in Europe/Paris, the tests in UTC: a dependency on the local zone
 * would go unseen), its locale (LANG/LC_ALL: sorting, number formats) and `--concurrency`.
 * The machine's zone and locale are the process's: a child process per setting (jest's sandbox does
 * not pass process.env.TZ on to the clock), running the built CLI.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tempDir } from '../helpers/tmp.js';

const BIN = new URL('../../bin/decp-ocds.js', import.meta.url).pathname;
const DEMO = new URL('../../fixtures/demo', import.meta.url).pathname;
// an instant that is already the next day in Paris (and in Kiritimati, UTC+14), still the day before in Los Angeles
const RUN_DATE = '2024-03-30T23:30:00Z';

type J = Record<string, unknown>;

/** Dates a machine's zone would move: around midnight, on both DST days of 2024, at the year's turn, undated, a partner's without a zone. */
function inputs(dir: string): string[] {
  const dates = ['2024-03-30T23:30:00Z', '2024-03-31', '2024-03-31T02:30:00+01:00', '2024-03-31T03:30:00+02:00', '2024-10-26T22:30:00Z', '2024-10-27T02:30:00+01:00', '2024-10-27+01:00', '2024-12-31T23:00:00.000Z', '31/03/2024', '/Date(1711839600000)/', '2023-12-31T23:30:00-05:00'];
  const marche = (i: number, d: string): J => ({
    id: `TZ-${i}`, acheteur: { id: '21350238800019' }, nature: 'Marché', objet: `Entretien ${i} à Rennes`, codeCPV: '45000000', procedure: 'Procédure adaptée',
    lieuExecution: { code: '35000', typeCode: 'Code postal' }, dureeMois: 1 + i, dateNotification: d, datePublicationDonnees: dates[(i + 3) % dates.length], montant: 1000.5 * (i + 1), formePrix: 'Ferme',
    titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '42058740400039' } }],
    modifications: i % 3 === 0 ? [{ modification: { id: 1, dureeMois: 3, montant: 2000, dateNotificationModification: dates[(i + 5) % dates.length], datePublicationDonneesModification: dates[(i + 7) % dates.length] } }] : [],
  });
  const undated: J = { id: 'SANS-DATE', acheteur: { id: '21350238800019' }, nature: 'Marché', objet: 'Sans date', codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 6, montant: 5000, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '42058740400039' } }] };
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json.gz');
  writeFileSync(a, JSON.stringify({ marches: { marche: [...dates.slice(0, 6).map((d, i) => marche(i, d)), undated] } }));
  writeFileSync(b, gzipSync(JSON.stringify({ marches: { marche: dates.slice(6).map((d, i) => marche(i + 6, d)) } })));
  // a partner's OCDS releases, their date-times without a zone (UTC, on every machine)
  const c = join(dir, 'c.jsonl');
  const release = (id: string, date: string, extra: J): J => ({ ocid: 'ocds-abcdef-1', id, date, tag: ['tender'], initiationType: 'tender', ...extra });
  writeFileSync(c, [
    release('r1', '2024-03-31T01:30:00', { tender: { id: 't', title: 'first', tenderPeriod: { startDate: '2024-03-30T23:30:00', endDate: '2024-10-27T02:30:00' } } }),
    release('r2', '2024-03-31T00:30:00+01:00', { tag: ['award', 'contract'], awards: [{ id: 'a', date: '2024-10-27T00:30:00', status: 'active', value: { amount: 10, currency: 'EUR' } }], contracts: [{ id: 'k', awardID: 'a', dateSigned: '2024-12-31T23:30:00', period: { startDate: '2024-10-27T00:00:00', endDate: '2025-03-30T02:30:00' } }] }),
  ].map((r) => JSON.stringify(r)).join('\n'));
  return [a, b, c, DEMO];
}

interface Setting {
  readonly tz: string;
  readonly locale: string;
  readonly concurrency: string;
}

/** What a machine's settings could change: convert's output, and run's ocds/, rejects, report, Parquet and store rows. */
async function outputs(files: string[], dir: string, s: Setting): Promise<Map<string, string>> {
  const env = { ...process.env, TZ: s.tz, LANG: s.locale, LC_ALL: s.locale };
  const exec = (argv: string[]): string => execFileSync(process.execPath, [BIN, ...argv, '--run-date', RUN_DATE, '--concurrency', s.concurrency], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const got = new Map<string, string>();
  got.set('convert', exec(['convert', ...files, '--quiet']));
  const out = join(dir, `out-${s.tz.replace('/', '_')}-${s.locale}-${s.concurrency}`);
  exec(['run', ...files, '--out', out, '--quiet']);
  for (const f of ['ocds/releases.jsonl.gz', 'ocds/records.jsonl.gz', 'rejects.jsonl', 'reports/validation.json']) got.set(f, readFileSync(join(out, f)).toString('base64'));
  // Parquet, but the runs table (this run's own trace: its start and end)
  const walk = (d: string): string[] => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]));
  for (const f of walk(join(out, 'parquet')).filter((p) => !p.includes('/parquet/runs/'))) got.set(relative(out, f), readFileSync(f).toString('base64'));
  // the store's tables, read in UTC, but the run's own trace (its times, its generation's name)
  const inst = await DuckDBInstance.create(join(out, 'decp.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    const tables = (await conn.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' AND table_name NOT IN ('runs', 'store_meta', 'ocds_members') ORDER BY 1")).getRowObjectsJson();
    for (const { table_name: t } of tables) {
      const cols = (await conn.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_name = '${String(t)}' AND column_name NOT IN ('mtime_ms', 'path') ORDER BY ordinal_position`)).getRowObjectsJson();
      const rows = (await conn.runAndReadAll(`SELECT ${cols.map((c) => `"${String(c['column_name'])}"::VARCHAR`).join(', ')} FROM "${String(t)}" ORDER BY ALL`)).getRows();
      got.set(`store ${String(t)}`, JSON.stringify(rows));
    }
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
  return got;
}

/** The keys whose values differ. */
const differences = (a: Map<string, string>, b: Map<string, string>): string[] => [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();

const BASE: Setting = { tz: 'UTC', locale: 'C', concurrency: '2' };

test('the machine\'s time zone, locale and --concurrency change no byte of convert\'s output nor of what run publishes and stores', async () => {
  const dir = tempDir('decp-ocds-machine-');
  const files = inputs(dir);
  const base = await outputs(files, dir, BASE);
  // the dates are Paris's, whatever the machine's: a UTC instant after 23:00 is the next day in Paris
  // (its offset Paris's that day, +01:00 on the morning summer time begins), the undated record is
  // dated at the run date written in Paris's zone
  const releases = base.get('convert')!.trim().split('\n').map((l) => JSON.parse(l) as J);
  const byId = (id: string): J => releases.find((r) => (r['x_decp'] as J)['id'] === id && (r['tag'] as string[]).includes('award'))!;
  expect(((byId('TZ-0')['awards'] as J[])[0]!)['date']).toBe('2024-03-31T00:00:00+01:00');
  expect(((byId('TZ-4')['awards'] as J[])[0]!)['date']).toBe('2024-10-27T00:00:00+02:00');
  expect(byId('SANS-DATE')['date']).toBe('2024-03-31T00:30:00+01:00');
  expect(base.get('store contracts')).toContain('"2024-03-31"');
  // (the child's locale is the one given: Node's Intl reads LC_ALL)
  for (const [locale, tag] of [['fr_FR.UTF-8', 'fr-FR'], ['tr_TR.UTF-8', 'tr-TR']] as const) {
    expect(execFileSync(process.execPath, ['-e', 'process.stdout.write(Intl.NumberFormat().resolvedOptions().locale)'], { env: { ...process.env, LANG: locale, LC_ALL: locale }, encoding: 'utf8' })).toBe(tag);
  }
  const settings: Setting[] = [
    ...['Europe/Paris', 'Pacific/Kiritimati', 'America/Los_Angeles'].map((tz) => ({ ...BASE, tz })),
    ...['fr_FR.UTF-8', 'tr_TR.UTF-8'].map((locale) => ({ ...BASE, locale })),
    ...['1', '4'].map((concurrency) => ({ ...BASE, concurrency })),
  ];
  for (const s of settings) expect([s, differences(base, await outputs(files, dir, s))]).toEqual([s, []]);
}, 180_000);
