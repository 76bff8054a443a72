/** End-to-end through main(argv): detect and run, exit codes and error lines (cli-contract.md). */
import { DuckDBInstance } from '@duckdb/node-api';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = (): string => tempDir('decp-ocds-cli-');
const DEMO = join(import.meta.dirname, '../../fixtures/demo/ville-metropole_decp-2024.json');
const BIN = join(import.meta.dirname, '../../bin/decp-ocds.js');

// permissions do not stop root: as root (CI), the CLI runs as nobody through setpriv, when nobody can read the project
const asNobody = ((): string[] | null => {
  if (process.getuid?.() !== 0) return [];
  try {
    execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(BIN)}, 4)`], { stdio: 'ignore' });
    return ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  } catch {
    return null;
  }
})();

describe('decp-ocds detect', () => {
  test('one JSON line per file with format, version, encoding and compression', async () => {
    const r = await runCli(['detect', join(SHARED, 'decp/samples/2019-xml'), join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-17.json'), join(SHARED, 'partners/mexico-cdmx/release-package_encoding-iso-8859-1.json')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['format'], l['version'], l['encoding'], l['compressed']])).toEqual([
      ['decp-xml', '2019', 'utf-8', false],
      ['decp-json', '2024', 'utf-8', false],
      ['ocds-release-package', '1.0', 'windows-1252', false],
    ]);
    expect(Object.keys(lines[0]!).slice(0, 5)).toEqual(['file', 'format', 'version', 'encoding', 'compressed']);
  });

  test('a file that says nothing of what it is, or is cut short, is not called DECP; what could not be read is counted', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a-empty-list.json'), '[]');
    writeFileSync(join(dir, 'b-null.json'), 'null');
    writeFileSync(join(dir, 'c-cut.json'), readFileSync(join(SHARED, 'partners/paraguay-dncp/record-package_284182.json')).subarray(0, 1500));
    writeFileSync(join(dir, 'd-empty.json'), '');
    writeFileSync(join(dir, 'e-cut-marches.json'), '{"marches":[{"id":"1","acheteur":{"id":"1"}},{"id":"2","ach');
    const r = await runCli(['detect', dir]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['format'], l['records'], l['rejected'], (l['issues'] as Array<{ code: string }> | undefined)?.map((i) => i.code) ?? []])).toEqual([
      // (an empty list: no record, said)
      ['unknown', 0, 0, ['INGEST_FILE_SYNTAX']],
      ['unknown', 1, 1, []],
      ['unknown', 1, 1, []],
      ['empty', 0, 0, ['INGEST_FILE_SYNTAX']],
      ['decp-json', 2, 1, []],
    ]);
  });

  test('stdin is read when no file is given', async () => {
    const r = await runCli(['detect'], '{"marches":[{"id":"1","acheteur":{"id":"1"}}]}');
    expect(JSON.parse(r.stdout)).toMatchObject({ file: '-', format: 'decp-json', version: '2019', records: 1 });
  });

  test('a named pipe (a shell\'s <(zcat …)) is read once, as stdin is, by every command', async () => {
    const dir = tmp();
    const xml = join(SHARED, 'decp/samples/2019-xml/grandlyon_metropole-de-lyon_1-record.xml');
    const releases = join(dir, 'releases.jsonl');
    /** A fresh FIFO fed with `file` by another process (it waits for its reader; killed at the end if it still waits). */
    const writers: ReturnType<typeof spawn>[] = [];
    const fifo = (file: string, name: string): string => {
      const path = join(dir, name);
      execFileSync('mkfifo', [path]);
      writers.push(spawn('sh', ['-c', 'cat "$0" > "$1"', file, path], { stdio: 'ignore', detached: false }));
      return path;
    };
    try {
      const convert = await runCli(['convert', fifo(xml, 'a'), '-o', releases, '--run-date', '2026-01-01T00:00:00Z']);
      expect([convert.code, convert.stderr]).toEqual([0, expect.stringMatching(/1 records read: 1 converted/)]);
      const two = await runCli(['convert', fifo(xml, 'b'), fifo(xml, 'c'), '--concurrency', '2', '-o', join(dir, 'two.jsonl'), '--run-date', '2026-01-01T00:00:00Z']);
      expect(two.stderr).toMatch(/2 records read: 2 converted/);
      const compile = await runCli(['compile', fifo(releases, 'd'), '-o', join(dir, 'records.jsonl')]);
      expect(compile.stderr).toMatch(/1 releases compiled into 1 records/);
      const detect = await runCli(['detect', fifo(xml, 'e')]);
      expect(JSON.parse(detect.stdout)).toMatchObject({ file: join(dir, 'e'), format: 'decp-xml', records: 1 });
    } finally {
      for (const w of writers) if (w.exitCode === null) w.kill();
    }
  });

  test('a named pipe found in a folder is said as no regular file (exit 3), never read — no writer would hold the run — nor left out unsaid (found by a probe: skipped without a word, exit 0)', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    mkdirSync(data);
    symlinkSync(join(SHARED, 'decp/samples/2019-xml/grandlyon_metropole-de-lyon_1-record.xml'), join(data, 'a.xml'));
    // (one named like documentation too: its head is not read to judge it)
    execFileSync('mkfifo', [join(data, 'b-pipe.json'), join(data, 'notes.txt')]);
    const said = (file: string): RegExp => new RegExp(`^decp-ocds: INGEST_UNREADABLE: not a regular file: .*/data/${file.replace('.', '\\.')} \\(a named pipe`, 'm');
    const run = await runCli(['run', data, '--out', join(dir, 'out'), '--quiet']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(said('b-pipe.json'));
    expect(run.stderr).toMatch(said('notes.txt'));
    const report = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')) as { inputs: Array<{ file: string; error?: { code: string } }>; counts: { store: { releases: number } } };
    expect(report.inputs.map((i) => [i.file.slice(data.length + 1), i.error?.code ?? null])).toEqual([['a.xml', null], ['b-pipe.json', 'INGEST_UNREADABLE'], ['notes.txt', 'INGEST_UNREADABLE']]);
    expect(report.counts.store.releases).toBe(1);
    const convert = await runCli(['convert', data, '-o', join(dir, 'releases.jsonl')]);
    expect([convert.code, convert.stderr]).toEqual([3, expect.stringMatching(said('b-pipe.json'))]);
  });

  test('an empty folder gives nothing to read (exit 3, INGEST_EMPTY): stdin is never read in its place', async () => {
    const empty = tmp();
    const release = JSON.stringify({ ocid: 'ocds-78apv2-x', id: 'r1', date: '2024-01-01T00:00:00Z', tag: ['tender'] });
    const compile = await runCli(['compile', empty], release);
    expect([compile.code, compile.stdout, compile.stderr]).toEqual([3, '', expect.stringMatching(/^decp-ocds: INGEST_EMPTY: .*: no data file in the folders/)]);
    const convert = await runCli(['convert', empty, '--concurrency', '2'], '{"marches":[{"id":"1","acheteur":{"id":"21590163800019"}}]}');
    expect([convert.code, convert.stdout, convert.stderr]).toEqual([3, '', expect.stringMatching(/^decp-ocds: INGEST_EMPTY: .*: no data file in the folders/)]);
  });

  test('an unreadable file: exit 3, one line on stderr, the others still reported', async () => {
    const r = await runCli(['detect', '/nonexistent/x.json', join(SHARED, 'decp/samples/2019-xml')]);
    expect(r.code).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^decp-ocds: INGEST_NOT_FOUND: no such file: \/nonexistent\/x\.json$/m);
  });
});

describe('decp-ocds run', () => {
  test('an output folder holding ocds/, parquet/ or reports/ folders it did not write is refused (exit 2), never emptied', async () => {
    const out = tmp();
    mkdirSync(join(out, 'reports'));
    writeFileSync(join(out, 'reports', 'mine.txt'), 'kept');
    const r = await runCli(['run', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^decp-ocds: CLI_INVALID_OPTION: --out .* holds a folder reports\/ that decp-ocds did not write/m);
    expect(readFileSync(join(out, 'reports', 'mine.txt'), 'utf8')).toBe('kept');
    expect(readdirSync(out).sort()).toEqual(['reports']);
  });

  test('with no input it runs on the bundled demo data and accounts for every record', async () => {
    const out = tmp();
    const r = await runCli(['run', '--out', out]);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: Record<string, number>; inputs: unknown[] };
    expect(report.counts.files).toBe(4);
    expect(report.counts.read).toBeGreaterThan(10);
    expect(report.counts.read).toBe(report.counts.converted! + report.counts.rejected!);
    expect(r.stderr).toMatch(new RegExp(`${report.counts.read} records read: ${report.counts.converted} converted \\(${report.counts.releases} releases\\), ${report.counts.rejected} rejected`));
    const released = gunzipSync(readFileSync(join(out, 'ocds/releases.jsonl.gz'))).toString('utf8').trim().split('\n');
    expect(released).toHaveLength(report.counts.releases!);
  });

  test('over the real samples: counts add up and rejects carry positions', async () => {
    const out = tmp();
    const r = await runCli(['run', join(SHARED, 'decp/samples'), '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: Record<string, number> };
    // (Ville de Croix's 33 records without an id are contracts of their own, ID_MISSING: nothing rejected)
    expect(report.counts).toMatchObject({ files: 11, read: 6007, converted: 6007, rejected: 0 });
    expect(readFileSync(join(out, 'rejects.jsonl'), 'utf8')).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('rejects are written with file, position and reason; --max-rejects gives exit 1', async () => {
    const dir = tmp();
    const f = join(dir, 'bad.jsonl');
    writeFileSync(f, '{"id":"1","acheteur":{"id":"1"}}\n{"id":"2",\n{"id":"3","acheteur":{"id":"1"}}\n');
    const out = join(dir, 'out');
    const ok = await runCli(['run', f, '--out', out]);
    expect(ok.code).toBe(0);
    const rejects = readFileSync(join(out, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rejects).toEqual([expect.objectContaining({ file: f, line: 2, index: 1, code: 'INGEST_RECORD_SYNTAX' })]);
    // --max-rejects counts the rejects of this run: a fresh store reads the file again
    const strict = await runCli(['run', f, '--out', join(dir, 'out2'), '--max-rejects', '0']);
    expect(strict.stderr).toMatch(/^decp-ocds: INGEST_TOO_MANY_REJECTS: \d+ records rejected, more than --max-rejects 0: exit 1$/m);
    expect(strict.code).toBe(1);
  });

  test('a file that cannot be read: the run goes on and exits 3', async () => {
    const out = tmp();
    const r = await runCli(['run', '/nonexistent.json', join(SHARED, 'decp/samples/2019-xml'), '--out', out]);
    expect(r.code).toBe(3);
    const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: Record<string, number> };
    expect(report.counts).toMatchObject({ files: 2, filesUnreadable: 1, read: 1 });
  });

  (asNobody === null ? test.skip : test)('a folder that cannot be listed is an unreadable input: the run goes on with the others and exits 3', () => {
    const base = tmp();
    chmodSync(join(base, '..'), 0o755);
    chmodSync(base, 0o777);
    const data = join(base, 'data');
    mkdirSync(join(data, 'closed'), { recursive: true });
    writeFileSync(join(data, 'a.json'), readFileSync(DEMO));
    writeFileSync(join(data, 'closed', 'b.json'), readFileSync(DEMO));
    chmodSync(join(data, 'closed'), 0o000);
    const out = join(base, 'out');
    const [cmd, ...pre] = [...asNobody!, process.execPath];
    const r = spawnSync(cmd!, [...pre, BIN, 'run', data, '--out', out], { encoding: 'utf8' });
    chmodSync(join(data, 'closed'), 0o755);
    expect(r.stderr).toMatch(/^decp-ocds: INGEST_UNREADABLE: cannot read the folder .*closed: EACCES/m);
    expect(r.status).toBe(3);
    const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: Record<string, number> };
    expect(report.counts).toMatchObject({ files: 2, filesUnreadable: 1 });
    expect(report.counts['read']).toBeGreaterThan(0);
  });

  test('the output folder inside an input folder is never read as input: a second run changes nothing', async () => {
    const data = tmp();
    writeFileSync(join(data, 'a.json'), readFileSync(DEMO));
    const out = join(data, 'out');
    const first = await runCli(['run', data, '--out', out]);
    const second = await runCli(['run', data, '--out', out]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(second.stderr).toMatch(/1 file\(s\): 0 with new content, 1 unchanged; 0 records read/);
    // also when it is reached through another path (a symbolic link to the input folder)
    const link = join(tmp(), 'link');
    execFileSync('ln', ['-s', data, link]);
    const third = await runCli(['run', link, '--out', out]);
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/1 file\(s\): 0 with new content, 1 unchanged; 0 records read/);
  });

  test('a store made with other release settings (--ocid-prefix, --profile, --encoding) is rebuilt from this run\'s inputs, with a warning', async () => {
    const dir = tmp();
    const one = join(SHARED, 'decp/samples/2019-xml/grandlyon_metropole-de-lyon_1-record.xml');
    const out = join(dir, 'out');
    const ocids = (): string[] => gunzipSync(readFileSync(join(out, 'ocds/releases.jsonl.gz'))).toString('utf8').trim().split('\n').map((l) => (JSON.parse(l) as { ocid: string }).ocid);
    const run = (...extra: string[]): Promise<{ code: number; stderr: string }> => runCli(['run', one, '--out', out, '--quiet', ...extra]);
    const REBUILT = /^decp-ocds: warning: the store's releases were made with other settings \((.*)\): it is rebuilt from the inputs of this run$/m;
    expect((await run('--ocid-prefix', 'ocds-abc123')).code).toBe(0);
    const changed = await run('--ocid-prefix', 'ocds-zzz999');
    expect(changed.code).toBe(0);
    expect(changed.stderr.match(REBUILT)?.[1]).toBe('--ocid-prefix ocds-abc123, now ocds-zzz999');
    expect(changed.stderr).toMatch(/1 file\(s\): 1 with new content, 0 unchanged; .*store: 1 releases, 1 records/);
    expect(ocids()).toEqual([expect.stringMatching(/^ocds-zzz999-/)]);
    // options that do not shape the releases change nothing: the file is known, nothing is rebuilt
    const same = await run('--ocid-prefix', 'ocds-zzz999', '--concurrency', '1', '--gzip-level', '1', '--chunk-size', '7', '--max-depth', '32', '--run-date', '2020-01-01T00:00:00Z');
    expect(same.stderr).not.toMatch(REBUILT);
    expect(same.stderr).toMatch(/1 file\(s\): 0 with new content, 1 unchanged/);
    // a copy of the bundled profile is the bundled profile; an edited one is another mapping
    const profile = JSON.parse(readFileSync(join(import.meta.dirname, '../../mappings/decp.json'), 'utf8')) as { settings?: Record<string, unknown> };
    writeFileSync(join(dir, 'copy.json'), JSON.stringify(profile));
    expect((await run('--ocid-prefix', 'ocds-zzz999', '--profile', join(dir, 'copy.json'))).stderr).not.toMatch(REBUILT);
    writeFileSync(join(dir, 'edited.json'), JSON.stringify({ ...profile, settings: { ...profile.settings, language: 'en' } }));
    const edited = await run('--ocid-prefix', 'ocds-zzz999', '--profile', join(dir, 'edited.json'));
    expect(edited.code).toBe(0);
    expect(edited.stderr.match(REBUILT)?.[1]).toMatch(/^--profile the bundled one, now a file of sha256:/);
    const encoding = await run('--ocid-prefix', 'ocds-zzz999', '--profile', join(dir, 'edited.json'), '--encoding', 'latin1');
    expect(encoding.stderr.match(REBUILT)?.[1]).toBe('--encoding none, now windows-1252');
    expect(encoding.stderr).toMatch(/1 file\(s\): 1 with new content/);
  });

  test('what README says of rejects.jsonl and parquet/: a position by format, tables without rows, a second run', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'a.xml'), '<marches><marche><id>1</id><acheteur><id>1</id></acheteur></marche><marche><id>2</id><bad></marche></marches>');
    writeFileSync(join(data, 'b.jsonl'), '{"id":"3","acheteur":{"id":"1"}}\n{"id":"4",\n');
    const out = join(dir, 'out');
    expect((await runCli(['run', data, '--out', out, '--quiet'])).code).toBe(0);
    // rejects: XML records have a line and a column, JSON ones a line and a byte offset
    const rejects = readFileSync(join(out, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rejects.map((r) => [r['file'], typeof r['line'], typeof r['column'], typeof r['offset']])).toEqual([
      [join(data, 'a.xml'), 'number', 'number', 'undefined'],
      [join(data, 'b.jsonl'), 'number', 'undefined', 'number'],
    ]);
    // a table in segments without rows: one empty.parquet; the small tables without an ocid: one data.parquet
    const files = (table: string): string[] => readdirSync(join(out, 'parquet', table), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet'));
    expect(files('amendments')).toEqual(['year=__HIVE_DEFAULT_PARTITION__/empty.parquet']);
    // (without the year column, as the files of the table's other partitions: the folder gives it)
    const empty = await DuckDBInstance.create(':memory:');
    const conn = await empty.connect();
    const columns = (await conn.runAndReadAll(`SELECT name FROM parquet_schema('${join(out, 'parquet/amendments/year=__HIVE_DEFAULT_PARTITION__/empty.parquet')}') WHERE name <> 'duckdb_schema'`)).getRows().map((r) => r[0]);
    expect(columns).not.toContain('year');
    expect(columns).toContain('amendment_id');
    const read = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, count(year)::INTEGER AS y FROM read_parquet('${join(out, 'parquet/amendments/**/*.parquet')}', hive_partitioning = true)`);
    expect(read.getRowObjects()).toEqual([{ n: 0, y: 0 }]);
    conn.closeSync();
    empty.closeSync();
    for (const t of ['sources', 'runs', 'rejects']) expect(files(t)).toEqual(['data.parquet']);
    // a second run: the same bytes in ocds/ and parquet/, but for the runs table (its own row)
    const bytes = (): Map<string, string> => {
      const m = new Map<string, string>();
      for (const top of ['ocds', 'parquet']) {
        for (const f of readdirSync(join(out, top), { recursive: true, encoding: 'utf8' })) {
          const path = join(out, top, f);
          if (statSync(path).isFile()) m.set(`${top}/${f}`, createHash('sha256').update(readFileSync(path)).digest('hex'));
        }
      }
      return m;
    };
    const first = bytes();
    expect((await runCli(['run', data, '--out', out, '--quiet'])).code).toBe(0);
    const second = bytes();
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    expect([...second].filter(([f, h]) => first.get(f) !== h).map(([f]) => f)).toEqual(['parquet/runs/data.parquet']);
  });

  test('an output folder that cannot be written: exit 4 and one line', async () => {
    const dir = tmp();
    const ro = join(dir, 'ro');
    writeFileSync(ro, 'a file, not a folder');
    chmodSync(ro, 0o444);
    const r = await runCli(['run', '--out', join(ro, 'sub')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^decp-ocds: PUBLISH_WRITE: /m);
  });

  test('on a terminal, log lines never follow the progress bar on its line (text logs: under JSON logs there is no bar, below)', async () => {
    for (const format of ['text']) {
      const err = new PassThrough();
      let stderr = '';
      err.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await main(['run', '--out', tmp(), '--log-format', format], { stdout: new PassThrough(), stderr: err, stdin: Readable.from([]), isTTY: true, now: () => new Date('2026-01-02T03:04:05Z') });
      expect(code).toBe(0);
      expect(stderr).toMatch(/files 4\/4/);
      // every record read counted once, whether a worker or this thread read its file
      const read = Number(/(\d+) records read/.exec(stderr)![1]);
      expect(stderr).toMatch(new RegExp(`files 4/4 · ${read.toLocaleString('en-US')} records`));
      // what the terminal shows of each line: the text after its last "clear line"
      const shown = stderr.split('\n').map((l) => l.split('\x1b[2K').at(-1)!.replace(/\r/g, ''));
      expect(shown.at(-1)).toBe('');
      for (const line of shown.slice(0, -1)) expect(line).toMatch(/^decp-ocds: /);
    }
  });

  test('convert, compile and validate draw the bar too on a terminal: files, records, then compile\'s buckets; none when their data goes to the terminal', async () => {
    const dir = tmp();
    const runTty = async (argv: string[], stdoutIsTTY = false): Promise<{ code: number; stderr: string; shown: string[] }> => {
      const err = new PassThrough();
      let stderr = '';
      err.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await main(argv, { stdout: new PassThrough().resume(), stderr: err, stdin: Readable.from([]), isTTY: true, stdoutIsTTY, now: () => new Date('2026-01-02T03:04:05Z') });
      return { code, stderr, shown: stderr.split('\n').map((l) => l.split('\x1b[2K').at(-1)!.replace(/\r/g, '')) };
    };
    const releases = join(dir, 'r.jsonl');
    const conv = await runTty(['convert', DEMO, DEMO, '-o', releases, '--concurrency', '2']);
    expect(conv.code).toBe(0);
    const n = readFileSync(releases, 'utf8').split('\n').filter(Boolean).length;
    // the bar counted both files' records, handed over by the workers
    expect(conv.stderr).toMatch(/files 2\/2 · \d+ records/);
    // the bar is gone at the end, below the log lines
    expect(conv.shown.at(-1)).toBe('');
    for (const line of conv.shown.slice(0, -1)) expect(line).toMatch(/^decp-ocds: /);
    const comp = await runTty(['compile', releases, '-o', join(dir, 'c.jsonl'), '--concurrency', '1']);
    expect(comp.code).toBe(0);
    expect(comp.stderr).toMatch(new RegExp(`files 1/1 · ${n.toLocaleString('en-US')} records`));
    expect(comp.stderr).toMatch(/compiling: bucket 0\/1/);
    expect(comp.shown.at(-1)).toBe('');
    const val = await runTty(['validate', releases]);
    expect(val.stderr).toMatch(new RegExp(`files 1/1 · ${n.toLocaleString('en-US')} records`));
    // releases on a terminal's stdout: no bar to mix with them; --no-progress, --quiet: none either
    for (const argv of [['convert', DEMO], ['compile', releases], ['validate', releases, '--no-progress'], ['convert', DEMO, '-o', join(dir, 'q.jsonl'), '--quiet']]) {
      const got = await runTty(argv, argv.length === 2);
      expect([argv, got.stderr.includes('\x1b[2K')]).toEqual([argv, false]);
    }
  });

  test('--log-format json writes one JSON object per line', async () => {
    const out = tmp();
    const r = await runCli(['run', '--out', out, '--log-format', 'json']);
    const lines = r.stderr.trim().split('\n');
    for (const l of lines) expect(JSON.parse(l)).toMatchObject({ level: expect.stringMatching(/^(info|warn)$/), time: '2026-01-02T03:04:05.000Z' });
    // the last line, what the run did, with its counts as fields
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ message: expect.stringMatching(/records read/), summary: { read: expect.any(Number), rejected: expect.any(Number) } });
  });

  test("--log-format json: a file's warnings give their code and file as fields (found by an operator's probe: `file: INGEST_SYNTAX: …` had no code field, what a collector filters on)", async () => {
    const dir = tmp();
    const cut = join(dir, 'cut.xml');
    writeFileSync(cut, '<marches><marche><id>1</id></marche><marche>');
    for (const argv of [['run', cut, '--out', join(dir, 'o')], ['convert', cut, '-o', join(dir, 'r.jsonl')]]) {
      const r = await runCli([...argv, '--log-format', 'json']);
      const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect([argv[0], lines.filter((l) => l['level'] === 'warn' && String(l['message']).includes('INGEST_SYNTAX'))]).toEqual([argv[0], [expect.objectContaining({ code: 'INGEST_SYNTAX', file: cut, message: expect.stringMatching(/^\/.*cut\.xml: INGEST_SYNTAX: /) })]]);
      // every warning that names a code has it as a field
      for (const l of lines.filter((x) => x['level'] === 'warn')) expect([l['message'], l['code']]).toEqual([l['message'], String(l['message']).match(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+): /)?.[1]]);
    }
  });

  test('--log-format json: a fatal failure is a JSON line too, with its code and exit code (the contract line as its message)', async () => {
    const out = tmp();
    const missing = await runCli(['run', join(out, 'nothing-here.json'), '--out', join(out, 'o'), '--log-format', 'json']);
    expect(missing.code).toBe(3);
    const lines = missing.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // (an input that cannot be read stops nothing else: an error line, with its code as a field)
    expect(lines.find((l) => l['level'] === 'error')).toMatchObject({ code: 'INGEST_NOT_FOUND' });
    // a fatal failure: the output folder is a file
    writeFileSync(join(out, 'a-file'), 'x');
    const fatal = await runCli(['run', '--out', join(out, 'a-file'), '--log-format', 'json']);
    expect(fatal.code).toBe(4);
    expect(JSON.parse(fatal.stderr.trim().split('\n').at(-1)!)).toMatchObject({ level: 'error', code: 'PUBLISH_WRITE', exitCode: 4, message: expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: /) });
    const usage = await runCli(['run', '--out', out, '--log-format', 'json', '--concurrency', 'many']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr.trim())).toMatchObject({ level: 'error', code: expect.stringMatching(/^CLI_/), exitCode: 2, message: expect.stringMatching(/^decp-ocds: CLI_/) });
    // without it, the contract's plain line
    const plain = await runCli(['run', '--out', out, '--concurrency', 'many']);
    expect(plain.stderr).toMatch(/^decp-ocds: CLI_[A-Z_]+: /);
  });
});

describe('usage', () => {
  test('--help exits 0, --version prints the version', async () => {
    expect((await runCli(['--help'])).code).toBe(0);
    const help = await runCli(['help', 'compile']);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: decp-ocds compile /);
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  // a prefix that is no registered one's form can match no release: a usage error (exit 2), as convert and run say, not
  // "every release is an error" (exit 1)
  test('validate --ocid-prefix takes a registered prefix\'s form only', async () => {
    const releases = join(import.meta.dirname, '../../fixtures/golden/siret-with-spaces/expected/releases.jsonl');
    const bad = await runCli(['validate', releases, '--ocid-prefix', 'bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^decp-ocds: CLI_USAGE: .*--ocid-prefix.*ocds-78apv2/);
    // its form and where a partner gets one are said (found by a partner's probe: `ocds-test` was refused, what to give unsaid)
    expect(bad.stderr).toMatch(/"ocds-" and six lower-case letters or digits.*OCDS Data Support Team/);
    // an upper-case prefix is said to be one: ocids are compared case-sensitively
    const upper = await runCli(['validate', releases, '--ocid-prefix', 'OCDS-78APV2']);
    expect([upper.code, upper.stderr]).toEqual([2, expect.stringMatching(/^decp-ocds: CLI_USAGE: .*"OCDS-78APV2" \(prefixes are issued lower-case: ocds-78apv2\)/)]);
    const other = await runCli(['validate', releases, '--ocid-prefix', 'ocds-zzz999']);
    expect([other.code, other.stderr]).toEqual([1, expect.stringMatching(/\d+ errors \(0 schema, 0 input, [1-9]\d* checks\)/)]);
    expect((await runCli(['validate', releases, '--ocid-prefix', 'ocds-78apv2'])).code).toBe(0);
  });

  // the help says what `flags` prints: a contract raising two indicators is two lines, and the unit-price anomalies are lines too
  test('flags --help names its lines: per contract and indicator, and per item priced above its peers', async () => {
    const help = await runCli(['flags', '--help']);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).not.toMatch(/one line per flagged contract/);
    expect(text).toMatch(/one line per contract and indicator/);
    expect(text).toMatch(/UNIT_PRICE_OUTLIER/);
    // (a partner's process raises the flags of its offers: one line per process, no contract)
    expect(text).toMatch(/one per process and indicator of the offers a partner publishes \(contract_id null/);
    expect(text).toMatch(/BID_MARGIN_LOW/);
  });

  // found by a docs audit: cli-contract.md names the binary `bin/decp-ocds`, which did not exist
  // (only bin/decp-ocds.js): a cron line calling it by that path failed
  test('bin/decp-ocds, the path the contract names, is the CLI: executable, its exit codes and lines', () => {
    const bin = join(import.meta.dirname, '../../bin/decp-ocds');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect([version.status, version.stdout.trim()]).toEqual([0, (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version]);
    const detect = spawnSync(bin, ['detect', DEMO], { encoding: 'utf8' });
    expect([detect.status, (JSON.parse(detect.stdout) as { format: string }).format]).toEqual([0, 'decp-json']);
    const missing = spawnSync(bin, ['detect', join(tmp(), 'none.json')], { encoding: 'utf8' });
    expect([missing.status, missing.stdout]).toEqual([3, '']);
    expect(missing.stderr).toMatch(/^decp-ocds: INGEST_NOT_FOUND: /);
  });

  // cli-contract.md: the common options are taken by every command (a cron line may give them all)
  test('no command: the help, then the contract\'s one line on stderr, exit 2', async () => {
    const r = await runCli([]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^Usage: decp-ocds /);
    expect(r.stderr).toMatch(/\ndecp-ocds: CLI_USAGE: no command given: expected one of detect, convert, validate, compile, run, flags[^\n]*\n$/);
  });

  test.each(['detect', 'convert', 'validate', 'compile', 'run', 'flags'])('%s takes every common option', async (command) => {
    const dir = tmp();
    const demo = join(import.meta.dirname, '../../fixtures/demo/ville-metropole_decp-2024.json');
    const args: Record<string, string[]> = {
      detect: [demo],
      convert: [demo, '-o', join(dir, 'r.jsonl')],
      validate: [demo, '--decp'],
      compile: [demo, '-o', join(dir, 'c.jsonl')],
      run: [demo, '--out', join(dir, 'out')],
      flags: ['--db', join(dir, 'none.duckdb')],
    };
    const common = ['--ocid-prefix', 'ocds-78apv2', '--concurrency', '1', '--quiet', '--progress', '--no-progress', '--sample', '2', '--log-format', 'json'];
    const r = await runCli([command, ...common, ...args[command]!]);
    expect(r.stderr).not.toMatch(/CLI_USAGE/);
    expect(r.code).not.toBe(2);
    expect((await runCli([command, '--help'])).stdout).toMatch(/--concurrency[\s\S]*--no-progress|--no-progress[\s\S]*--concurrency/);
  });

  test('a write to stdout that fails (a full disk) is exit 4 and one line, never lost', async () => {
    const full = new Writable({ write: (_chunk, _enc, cb) => cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) });
    let stderr = '';
    const err = new PassThrough();
    err.on('data', (d: Buffer) => (stderr += d.toString()));
    for (const argv of [['detect', DEMO], ['convert', DEMO]]) {
      stderr = '';
      const code = await main(argv, { stdout: full, stderr: err, stdin: Readable.from([]), isTTY: false, now: () => new Date('2026-01-02T03:04:05Z') });
      expect(code).toBe(4);
      expect(stderr).toMatch(/^decp-ocds: PUBLISH_WRITE: cannot write the output: ENOSPC/m);
      expect(stderr).not.toMatch(/INTERNAL/);
    }
  });

  test('a command that writes nothing to stdout does not fail on a stdout that refuses every write (/dev/full): its files are written, its exit code its own', async () => {
    // (/dev/full refuses even a write of 0 bytes: the flush of stdout wrote one, and a run that had
    // published everything, or a report written whole, exited 4 "output could not be written")
    const full = new Writable({ write: (_chunk, _enc, cb) => cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) });
    let stderr = '';
    const err = new PassThrough();
    err.on('data', (d: Buffer) => (stderr += d.toString()));
    const dir = tmp();
    for (const argv of [['convert', DEMO, '-o', join(dir, 'r.jsonl')], ['validate', DEMO, '--decp', '--report', join(dir, 'v.json')]]) {
      stderr = '';
      const code = await main([...argv, '--quiet'], { stdout: full, stderr: err, stdin: Readable.from([]), isTTY: false, now: () => new Date('2026-01-02T03:04:05Z') });
      expect([argv[0], code, stderr]).toEqual([argv[0], argv[0] === 'validate' ? expect.any(Number) : 0, expect.not.stringMatching(/PUBLISH_WRITE/)]);
      expect(code).not.toBe(4);
    }
    expect(readdirSync(dir).sort()).toEqual(['r.jsonl', 'v.json']);
  });

  test('a closed pipe (the reader went away) stops the command quietly: exit 0, no error line', async () => {
    const closed = new Writable({ write: (_chunk, _enc, cb) => cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    let stderr = '';
    const err = new PassThrough();
    err.on('data', (d: Buffer) => (stderr += d.toString()));
    const releases = join(tmp(), 'releases.jsonl');
    await runCli(['convert', DEMO, '-o', releases]);
    for (const argv of [['convert', DEMO], ['compile', releases], ['compile', releases, '--package'], ['detect', DEMO]]) {
      stderr = '';
      const code = await main([...argv, '--quiet'], { stdout: closed, stderr: err, stdin: Readable.from([]), isTTY: false, now: () => new Date('2026-01-02T03:04:05Z') });
      expect([argv, code]).toEqual([argv, 0]);
      expect(stderr).not.toMatch(/EPIPE|PUBLISH_WRITE|INTERNAL/);
    }
  });

  test('`decp-ocds … | head -1`: every command that writes to stdout stops quietly, exit 0, no file left behind', async () => {
    const dir = tmp();
    const big = join(SHARED, 'decp/samples/2019-json/pes-marche_via-decp-rama_2019-03-07.json');
    const releases = join(dir, 'releases.jsonl');
    expect((await runCli(['convert', big, '-o', releases, '--run-date', '2026-01-01T00:00:00Z'])).code).toBe(0);
    /** The command's first output, then its stdout closed as `head` closes it; its exit code and stderr. */
    const headOne = (args: string[]): Promise<{ status: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdout.once('data', () => child.stdout.destroy());
        child.on('close', (status) => resolve({ status, stderr }));
      });
    for (const args of [
      ['convert', big, big, big],
      ['convert', big, big, big, '--concurrency', '2'],
      ['compile', releases, releases, '--warnings', join(dir, 'w.jsonl')],
      ['compile', releases, '--concurrency', '2', '--versioned'],
      ['detect', ...Array.from({ length: 200 }, () => big)],
    ]) {
      const r = await headOne(args);
      expect([args[0], r.status, r.stderr]).toEqual([args[0], 0, expect.not.stringMatching(/EPIPE|PUBLISH_WRITE|INTERNAL/)]);
    }
    // (the merge warnings file of the command that was stopped is not written, nor left half-written)
    expect(readdirSync(dir)).toEqual(['releases.jsonl']);
  });

  test('a closed stdout keeps the code reached before it (an input not found: 3), said on stderr; a closed stderr loses the log, not the command', async () => {
    const dir = tmp();
    const big = join(SHARED, 'decp/samples/2019-json/pes-marche_via-decp-rama_2019-03-07.json');
    const releases = join(dir, 'releases.jsonl');
    expect((await runCli(['convert', big, '-o', releases, '--run-date', '2026-01-01T00:00:00Z'])).code).toBe(0);
    const closing = (args: string[], close: 'stdout' | 'stderr'): Promise<{ status: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        if (close === 'stderr') child.stderr.destroy();
        else {
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.stdout.once('data', () => child.stdout.destroy());
        }
        child.on('close', (status) => resolve({ status, stderr }));
      });
    for (const args of [['convert', join(dir, 'nope.json'), big, big], ['compile', join(dir, 'nope.jsonl'), releases, releases]]) {
      const r = await closing(args, 'stdout');
      expect([args[0], r.status]).toEqual([args[0], 3]);
      expect(r.stderr).toMatch(/^decp-ocds: INGEST_NOT_FOUND: /m);
    }
    for (const args of [['convert', join(dir, 'nope.json'), big, '-o', join(dir, 'out.jsonl')], ['run', big, '--out', join(dir, 'site')]]) {
      const r = await closing(args, 'stderr');
      expect([args[0], r.status]).toEqual([args[0], args[0] === 'run' ? 0 : 3]);
    }
    expect(readdirSync(dir).sort()).toEqual(['out.jsonl', 'releases.jsonl', 'site']);
    expect(readdirSync(join(dir, 'site'))).toContain('decp.duckdb');
  });

  test('a fatal error is one line whatever its message holds (a path with a line break); detect --sample stops after N records', async () => {
    const r = await runCli(['convert', DEMO, '--profile', 'a\nb.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^decp-ocds: CLI_INVALID_OPTION: .*a b\.json/)]);
    // and so is every log line (an input not found, named with a line break)
    const missing = await runCli(['convert', 'no\nsuch.json', DEMO]);
    expect(missing.code).toBe(3);
    for (const line of missing.stderr.trimEnd().split('\n')) expect(line).toMatch(/^decp-ocds: /);
    const d = await runCli(['detect', join(SHARED, 'decp/samples/2019-json'), '--sample', '3']);
    const lines = d.stdout.trim().split('\n').map((l) => JSON.parse(l) as { records: number });
    expect(lines.reduce((n, l) => n + l.records, 0)).toBe(3);
  });

  test('--log-format json on a terminal: every stderr line is a JSON object (no progress bar)', async () => {
    let stderr = '';
    const err = new PassThrough();
    err.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await main(['run', DEMO, '--out', join(tmp(), 'o'), '--log-format', 'json'], { stdout: new PassThrough(), stderr: err, stdin: Readable.from([]), isTTY: true, now: () => new Date('2026-01-02T03:04:05Z') });
    expect(code).toBe(0);
    const lines = stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
  });

  test('two outputs naming one file are a usage error, before anything is written (it was an INTERNAL error over a file of mixed halves); one report given twice is written once', async () => {
    const dir = tmp();
    const x = join(dir, 'x.jsonl');
    writeFileSync(x, 'OLD\n');
    const releases = join(dir, 'releases.jsonl');
    await runCli(['convert', DEMO, '-o', releases]);
    for (const argv of [['convert', DEMO, '-o', x, '--rejects', x], ['compile', releases, '-o', x, '--warnings', join(dir, '.', 'x.jsonl')]]) {
      const r = await runCli(argv);
      expect([argv[0], r.code]).toEqual([argv[0], 2]);
      expect(r.stderr).toMatch(/^decp-ocds: CLI_INVALID_OPTION: --\w+ and --\w+ name the same file/m);
    }
    expect(readFileSync(x, 'utf8')).toBe('OLD\n');
    expect(readdirSync(dir).sort()).toEqual(['releases.jsonl', 'x.jsonl']);
    // a device is written straight to: two outputs may share one
    expect((await runCli(['compile', releases, '-o', '/dev/null', '--rejects', '/dev/null'])).code).toBe(0);
    expect((await runCli(['validate', releases, '--report', join(dir, 'r.json'), '--report', join(dir, '.', 'r.json')])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['r.json', 'releases.jsonl', 'x.jsonl']);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('interrupted by %s (Ctrl-C, a cron timeout), a command leaves no temp file or scratch folder, says so in one line, and ends by the signal', async (signal) => {
    const dir = tmp();
    const scratchDir = join(dir, 'scratch');
    mkdirSync(scratchDir);
    const releases = join(dir, 'releases.jsonl');
    await runCli(['convert', DEMO, '-o', releases]);
    for (const args of [['compile', '-', '-o', join(dir, 'records.jsonl'), '--warnings', join(dir, 'w.jsonl')], ['convert', '-', '-o', join(dir, 'out.jsonl'), '--rejects', join(dir, 'rej.jsonl'), '--log-format', 'json']]) {
      const input = args[0] === 'compile' ? readFileSync(releases) : readFileSync(DEMO);
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, TMPDIR: scratchDir }, stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      // stdin stays open: the command is spooling it, its outputs opened
      child.stdin.write(input);
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)));
      for (let k = 0; k < 200 && !(readdirSync(dir).some((f) => f.includes('.tmp-')) && readdirSync(scratchDir).length > 0); k++) await new Promise((r) => setTimeout(r, 25));
      expect(readdirSync(dir).filter((f) => f.includes('.tmp-')).length).toBeGreaterThan(0);
      child.kill(signal);
      expect(await ended).toBe(signal);
      // the contract's one line for a fatal end (as a JSON line under --log-format json), last
      const last = stderr.trimEnd().split('\n').pop()!;
      const exit = signal === 'SIGINT' ? 130 : 143;
      if (args.includes('json')) expect(JSON.parse(last)).toMatchObject({ level: 'error', code: 'INTERRUPTED', exitCode: exit, message: expect.stringMatching(new RegExp(`^decp-ocds: INTERRUPTED: ${signal} received`)) });
      else expect(last).toMatch(new RegExp(`^decp-ocds: INTERRUPTED: ${signal} received: stopped before the end \\(exit ${exit}\\)`));
      expect([args[0], readdirSync(dir).filter((f) => f !== 'scratch' && f !== 'releases.jsonl')]).toEqual([args[0], []]);
      expect(readdirSync(scratchDir)).toEqual([]);
    }
  });

  test('walking a folder: a CSV export named .txt is read (content, not name) by a command that reads CSV; what is left out as documentation is said, by every command', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'achats.txt'), readFileSync(join(import.meta.dirname, '../../fixtures/emergency/achats-urgence.csv')));
    writeFileSync(join(data, 'README.txt'), 'Achats urgents, export du 1er avril.\nColonnes : voir la notice, page 2, et le guide.\nContact : service achats.\nFin.\n');
    writeFileSync(join(data, 'notes.md'), '# Notes\n');
    const profile = join(import.meta.dirname, '../../mappings/emergency-csv.json');
    const r = await runCli(['convert', data, '--profile', profile]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBe((await runCli(['convert', join(data, 'achats.txt'), '--profile', profile])).stdout.trim().split('\n').length);
    for (const argv of [['convert', data, '--profile', profile], ['detect', data], ['validate', data], ['compile', data]]) {
      const x = await runCli(argv);
      expect([argv[0], x.stderr]).toEqual([argv[0], expect.stringMatching(/README\.txt: left out of the folder's inputs as documentation/)]);
      expect(x.stderr).toMatch(/notes\.md: left out/);
      // (a command that reads no CSV — validate, compile — leaves the CSV export out too, and says so)
      if (argv[0] === 'convert' || argv[0] === 'detect') expect(x.stderr).not.toMatch(/achats\.txt: left out/);
      else expect(x.stderr).toMatch(/achats\.txt: left out/);
      // (every file left out: nothing to read, said after what was left out)
      if (argv[0] === 'validate' || argv[0] === 'compile') expect([x.code, x.stderr]).toEqual([3, expect.stringMatching(/left out[^\n]*\ndecp-ocds: INGEST_EMPTY: .*: no data file in the folders/)]);
    }
    // without a profile that reads CSV, a .txt table or a Markdown table beside DECP data is documentation
    const decp = join(dir, 'decp');
    mkdirSync(decp);
    writeFileSync(join(decp, 'demo.json'), readFileSync(DEMO));
    writeFileSync(join(decp, 'NOTES.md'), '| Fichier | Contenu |\n|---|---|\n| a.json | x |\n| b | y |\n');
    writeFileSync(join(decp, 'dictionnaire.txt'), 'champ;type;description\nid;texte;identifiant\nmontant;nombre;HT\n');
    const run = await runCli(['run', decp, '--out', join(dir, 'out')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/2 file\(s\) of the input folders left out as documentation/);
    // hidden files and folders are left out unread, and said too (found by a robustness probe: they were left out unsaid)
    writeFileSync(join(decp, '.demo.json.swp'), readFileSync(DEMO));
    mkdirSync(join(decp, '.git'));
    writeFileSync(join(decp, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    for (const argv of [['convert', decp], ['detect', decp], ['validate', decp], ['compile', decp]]) {
      const x = await runCli(argv);
      expect([argv[0], x.stderr]).toEqual([argv[0], expect.stringMatching(/\.demo\.json\.swp: left out of the folder's inputs as hidden/)]);
      expect(x.stderr).toMatch(/\.git: left out of the folder's inputs as hidden/);
    }
    const again = await runCli(['run', decp, '--out', join(dir, 'out2')]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/2 hidden file\(s\) or folder\(s\) of the input folders left out, unread/);
    expect(JSON.parse(readFileSync(join(dir, 'out2', 'run.json'), 'utf8')).hidden).toEqual([join(decp, '.demo.json.swp'), join(decp, '.git')]);
    // an earlier run's output folder in the data folder is the pipeline's own files: left out, said
    // (found by a probe: its packages were read as every release a second time, its Parquet files as unreadable, exit 3)
    expect((await runCli(['run', decp, '--out', join(decp, 'out')])).code).toBe(0);
    const third = await runCli(['run', decp, '--out', join(dir, 'out3')]);
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/1 decp-ocds output folder\(s\) in the input folders left out, unread/);
    const report = JSON.parse(readFileSync(join(dir, 'out3', 'run.json'), 'utf8')) as { outputFolders: string[]; inputs: Array<{ file: string }> };
    expect(report.outputFolders).toEqual([join(decp, 'out')]);
    expect(report.inputs.map((f) => f.file)).toEqual([join(decp, 'demo.json')]);
    for (const argv of [['convert', decp], ['compile', decp]]) expect((await runCli(argv)).stderr).toMatch(/out: left out of the folder's inputs as a decp-ocds output folder/);
    // the output folder as the input, or one of its outputs: a usage error, nothing read nor written
    // (found by a probe: `run . --out .` read nothing and published an empty data set, exit 0)
    for (const [input, out] of [[decp, decp], [join(decp, 'out', 'ocds'), join(decp, 'out')], [join(decp, 'out', 'run.json'), join(decp, 'out')]] as const) {
      const same = await runCli(['run', input, '--out', out]);
      expect([same.code, same.stderr]).toEqual([2, expect.stringMatching(/^decp-ocds: CLI_INVALID_OPTION: the input .* is (the output folder|an output of the run, in the output folder)/)]);
    }
    // a source file kept in the output folder is an input as another (found by a review: refused)
    writeFileSync(join(decp, 'out', 'feed.json'), readFileSync(DEMO));
    expect((await runCli(['run', join(decp, 'out', 'feed.json'), '--out', join(decp, 'out'), '--quiet'])).code).toBe(0);
  });

  test('an output naming an input file (or a link to it) is a usage error: the input is left as it was (found by a robustness probe: convert feed.json -o feed.json replaced the data)', async () => {
    const dir = tmp();
    const feed = join(dir, 'feed.json');
    writeFileSync(feed, readFileSync(DEMO));
    symlinkSync(feed, join(dir, 'link.json'));
    for (const argv of [['convert', feed, '-o', feed], ['convert', feed, '-o', join(dir, 'out.jsonl'), '--rejects', feed], ['compile', feed, '-o', join(dir, 'link.json')], ['compile', feed, '--warnings', feed], ['validate', feed, '--report', join(dir, 'link.json')]]) {
      const r = await runCli(argv);
      expect([argv, r.code, r.stderr]).toEqual([argv, 2, expect.stringMatching(/^decp-ocds: CLI_INVALID_OPTION: --(output|rejects|warnings|report) names an input file \(\S+\): writing it would replace the data being read — give the output another file\n$/)]);
      expect(readFileSync(feed).equals(readFileSync(DEMO))).toBe(true);
    }
    // another file, or the input read from stdin, is written as before
    expect((await runCli(['convert', feed, '-o', join(dir, 'out.jsonl')])).code).toBe(0);
  });

  test('a --profile, --schema or --extension file kept in an input folder is no input (found by a probe: a partner\'s profile beside its CSV was a reject every night, exit 1 under --max-rejects 0)', async () => {
    const dir = tmp();
    const d = join(dir, 'd');
    mkdirSync(d);
    writeFileSync(join(d, 'achats.csv'), readFileSync(join(import.meta.dirname, '../../fixtures/emergency/achats-urgence.csv')));
    writeFileSync(join(d, 'profile.json'), readFileSync(join(import.meta.dirname, '../../mappings/emergency-csv.json')));
    const alone = await runCli(['convert', join(d, 'achats.csv'), '--profile', join(d, 'profile.json')]);
    const inFolder = await runCli(['convert', d, '--profile', join(d, 'profile.json')]);
    expect(inFolder.stdout).toBe(alone.stdout);
    expect([inFolder.code, inFolder.stderr]).toEqual([alone.code, alone.stderr]);
    const out = join(dir, 'out');
    const run = await runCli(['run', d, '--profile', join(d, 'profile.json'), '--out', out, '--quiet']);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { counts: { files: number; rejected: number } };
    // (the fixture's one bad row is its only reject)
    expect([report.counts.files, report.counts.rejected]).toEqual([1, 1]);
    // validate's and compile's --schema beside the releases they read
    const v = join(dir, 'v');
    mkdirSync(v);
    writeFileSync(join(v, 'releases.jsonl'), alone.stdout);
    writeFileSync(join(v, 'schema.json'), readFileSync(join(SHARED, 'ocds/1.1.5/release-schema.json')));
    const one = await runCli(['validate', join(v, 'releases.jsonl'), '--schema', join(v, 'schema.json')]);
    const all = await runCli(['validate', v, '--schema', join(v, 'schema.json')]);
    expect([all.code, all.stderr]).toEqual([one.code, one.stderr]);
    const c1 = await runCli(['compile', join(v, 'releases.jsonl'), '--schema', join(v, 'schema.json')]);
    const c2 = await runCli(['compile', v, '--schema', join(v, 'schema.json')]);
    expect([c2.code, c2.stdout, c2.stderr]).toEqual([c1.code, c1.stdout, c1.stderr]);
  });

  test("a command's own outputs inside an input folder, and their temporary files, are never read as inputs, run after run (found by a probe: `convert d1 -o d1/releases.jsonl` gave 2, 3, then 5 lines, its first run its own temp file)", async () => {
    const dir = tmp();
    const d = join(dir, 'd');
    mkdirSync(d);
    writeFileSync(join(d, 'feed.json'), readFileSync(DEMO));
    writeFileSync(join(d, 'feed2.json'), `${readFileSync(DEMO, 'utf8')} `);
    // (a temporary file a killed run left behind is an output too)
    writeFileSync(join(d, 'releases.jsonl.tmp-999999-0-1'), '{"ocid":"ocds-78apv2-x","id":"x","date":"2024-01-01T00:00:00Z","tag":["tender"],"initiationType":"tender"}\n');
    const expected = (await runCli(['convert', join(d, 'feed.json'), join(d, 'feed2.json')])).stdout;
    expect(expected.split('\n').filter(Boolean)).toHaveLength(14);
    for (const concurrency of ['1', '2']) {
      for (let night = 0; night < 3; night++) {
        const r = await runCli(['convert', d, '-o', join(d, 'releases.jsonl'), '--rejects', join(d, 'rejects.jsonl'), '--concurrency', concurrency]);
        expect([concurrency, night, r.code, r.stderr]).toEqual([concurrency, night, 0, expect.stringMatching(/^decp-ocds: 8 records read: 8 converted \(14 releases\), 0 rejected\n$/)]);
        expect(readFileSync(join(d, 'releases.jsonl'), 'utf8')).toBe(expected);
        expect(readFileSync(join(d, 'rejects.jsonl'), 'utf8')).toBe('');
      }
    }
    // compile's and validate's outputs beside the releases they read
    const r = join(dir, 'r');
    mkdirSync(r);
    writeFileSync(join(r, 'releases.jsonl'), expected);
    const records = (await runCli(['compile', join(r, 'releases.jsonl')])).stdout;
    for (let night = 0; night < 2; night++) {
      const c = await runCli(['compile', r, '-o', join(r, 'records.jsonl'), '--warnings', join(r, 'warnings.jsonl'), '--rejects', join(r, 'rejects.jsonl')]);
      expect([night, c.code, c.stderr]).toEqual([night, 0, expect.stringMatching(/ 14 input records read, 0 rejected\n$/)]);
      expect(readFileSync(join(r, 'records.jsonl'), 'utf8')).toBe(records);
    }
    const v = join(dir, 'v');
    mkdirSync(v);
    writeFileSync(join(v, 'releases.jsonl'), expected);
    const alone = await runCli(['validate', join(v, 'releases.jsonl')]);
    expect(alone.stderr).toMatch(/^decp-ocds: 14 releases validated: /);
    for (let night = 0; night < 2; night++) {
      const c = await runCli(['validate', v, '--report', join(v, 'report.json'), '--report', join(v, 'report.csv')]);
      expect([night, c.code, c.stderr]).toEqual([night, alone.code, `${alone.stderr.trimEnd()}; report: ${join(v, 'report.json')}, ${join(v, 'report.csv')}\n`]);
      expect((JSON.parse(readFileSync(join(v, 'report.json'), 'utf8')) as { summary: { releases: number } }).summary.releases).toBe(14);
    }
  });

  test('inputs that hold nothing at all (no file in the folders, every file 0 bytes or white space, an empty stdin) are exit 3 and one line in every command, the outputs left as they were; a document without records is a day without contracts, exit 0 (found by a probe: a failed download emptied the published file, exit 0)', async () => {
    const dir = tmp();
    const published = join(dir, 'published.jsonl');
    expect((await runCli(['convert', DEMO, '-o', published])).code).toBe(0);
    const before = readFileSync(published, 'utf8');
    expect(before.split('\n').filter(Boolean)).toHaveLength(7);
    mkdirSync(join(dir, 'emptydir'));
    mkdirSync(join(dir, 'e'));
    writeFileSync(join(dir, 'e', 'feed.json'), '');
    writeFileSync(join(dir, 'e', 'feed2.json'), '\ufeff \r\n\t');
    // (a folder that holds only what is never data: documentation, hidden files)
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'README.md'), '# feed\n');
    writeFileSync(join(dir, 'docs', '.feed.json.swp'), 'x');
    for (const [inputs, stdin, said] of [
      [[join(dir, 'e', 'feed.json')], '', 'empty, or only white space'],
      [[join(dir, 'e')], '', 'every file is empty, or only white space'],
      [[join(dir, 'emptydir'), join(dir, 'docs')], '', 'no data file in the folders'],
      [[], ' \n', 'empty, or only white space'],
    ] as const) {
      const named = inputs.length === 0 ? 'stdin' : inputs.join(', ');
      for (const argv of [['convert', ...inputs, '-o', published], ['compile', ...inputs, '-o', published], ['validate', ...inputs, '--report', join(dir, 'report.json')], ['detect', ...inputs], ['run', ...(inputs.length === 0 ? ['-'] : inputs), '--out', join(dir, 'out')]]) {
        const r = await runCli(argv, stdin);
        const line = `decp-ocds: INGEST_EMPTY: the inputs hold nothing to read (${named}): ${said}`;
        expect([argv, r.code, r.stdout, r.stderr]).toEqual([argv, 3, '', expect.stringMatching(new RegExp(`^(?:decp-ocds: \\S+: left out of the folder's inputs [^\\n]*\\n)*${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\n$`))]);
        expect(readFileSync(published, 'utf8')).toBe(before);
      }
    }
    expect(existsSync(join(dir, 'report.json'))).toBe(false);
    expect(existsSync(join(dir, 'out', 'run.json'))).toBe(false);
    // a valid document without records: written, said, exit 0
    writeFileSync(join(dir, 'e', 'feed.json'), '{"marches":[]}');
    const none = await runCli(['convert', join(dir, 'e'), '-o', published]);
    expect([none.code, readFileSync(published, 'utf8')]).toEqual([0, '']);
    expect(none.stderr).toMatch(/feed\.json: INGEST_FILE_SYNTAX: the file holds no record/);
  });

  test("inputs that hold nothing but hidden or documentation files: the INGEST_EMPTY line says what it left out, in run too (found by an operator's probe: a feed folder holding only rsync's `.feed.json.Xa3b9` while it copied said `no data file in the folders` and nothing of it)", async () => {
    const dir = tmp();
    const feed = join(dir, 'feed');
    mkdirSync(feed);
    writeFileSync(join(feed, '.feed.json.Xa3b9'), '{"marches":[');
    writeFileSync(join(feed, 'LISEZMOI.md'), '# flux\n');
    for (const argv of [['run', feed, '--out', join(dir, 'out')], ['convert', feed, '-o', join(dir, 'r.jsonl')]]) {
      const r = await runCli(argv);
      const last = r.stderr.trimEnd().split('\n').at(-1)!;
      expect([argv[0], r.code, last]).toEqual([argv[0], 3, expect.stringMatching(/^decp-ocds: INGEST_EMPTY: the inputs hold nothing to read \(.*\): no data file in the folders \(left out, unread: 1 hidden file or folder, its name starting with a dot: .*\/feed\/\.feed\.json\.Xa3b9; 1 file as documentation: .*\/feed\/LISEZMOI\.md\) — /)]);
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  test('a gzip of nothing or of white space, and a UTF-16 byte order mark with white space only, hold nothing too (exit 3, INGEST_EMPTY); a UTF-16 or gzip document without records is a day without contracts (found by a probe: `curl … | gzip` of a failed download was exit 0)', async () => {
    const dir = tmp();
    const utf16 = (text: string, le: boolean): Buffer => {
      const b = Buffer.from(`\ufeff${text}`, 'utf16le');
      return le ? b : b.swap16();
    };
    for (const [name, bytes] of [
      ['feed.json.gz', gzipSync(Buffer.alloc(0))],
      ['feed-ws.json.gz', gzipSync(Buffer.from(' \r\n\t'))],
      ['feed-twice.json.gz', gzipSync(gzipSync(Buffer.alloc(0)))],
      ['feed-le.json', utf16(' \r\n', true)],
      ['feed-be.xml', utf16('', false)],
    ] as const) {
      const f = join(dir, name);
      writeFileSync(f, bytes);
      for (const argv of [['convert', f], ['run', f, '--out', join(dir, 'out')]]) {
        const r = await runCli(argv);
        expect([name, argv[0], r.code, r.stdout, r.stderr]).toEqual([name, argv[0], 3, '', `decp-ocds: INGEST_EMPTY: the inputs hold nothing to read (${f}): empty, or only white space — check the download or the folder; nothing was written, the outputs are left as they were\n`]);
      }
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
    for (const [name, bytes] of [
      ['none.json.gz', gzipSync(Buffer.from('{"marches":[]}'))],
      ['none-le.json', utf16('{"marches":[]}', true)],
      ['none-be.json', utf16(' {"marches":[]}', false)],
    ] as const) {
      writeFileSync(join(dir, name), bytes);
      const r = await runCli(['convert', join(dir, name)]);
      expect([name, r.code, r.stderr]).toEqual([name, 0, expect.stringContaining('INGEST_FILE_SYNTAX: the file holds no record')]);
    }
  });

  test('an empty output path is a usage error, not a file named ""', async () => {
    for (const argv of [['convert', DEMO, '-o', ''], ['compile', DEMO, '--rejects', ''], ['run', DEMO, '--out', '']]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^decp-ocds: CLI_INVALID_OPTION: /);
    }
  });

  test('an empty input path is a usage error in every command (an unset variable: `run "$FEED"` read the current folder\'s name)', async () => {
    for (const c of ['convert', 'compile', 'validate', 'detect', 'run']) {
      const r = await runCli([c, DEMO, '', ...(c === 'run' ? ['--out', join(tmp(), 'out')] : [])]);
      expect([c, r.code, r.stderr]).toEqual([c, 2, 'decp-ocds: CLI_INVALID_OPTION: an input path is empty ("") — give a file or folder, or "-" for stdin\n']);
    }
  });

  test('compile: no input could be read at all (exit 3): nothing on stdout, not even an empty package', async () => {
    const missing = join(tmp(), 'missing.json');
    for (const extra of [[], ['--package'], ['--package', '--concurrency', '2'], ['--versioned']]) {
      const r = await runCli(['compile', missing, ...extra]);
      expect([extra, r.code, r.stdout]).toEqual([extra, 3, '']);
    }
    // nor the records read before the file's failure (a gzip that expands beyond the limit)
    const releases = join(tmp(), 'releases.jsonl');
    await runCli(['convert', join(SHARED, 'decp/samples/2019-json/pes-marche_via-decp-rama_2019-03-07.json'), '-o', releases, '--run-date', '2026-01-01T00:00:00Z']);
    writeFileSync(`${releases}.gz`, gzipSync(readFileSync(releases)));
    const cut = await runCli(['compile', `${releases}.gz`, '--max-expanded-bytes', '100KB']);
    expect([cut.code, cut.stdout]).toEqual([3, '']);
    expect(cut.stderr).toMatch(/^decp-ocds: INGEST_GZIP_LIMIT: /m);
    // an input read (even one giving nothing) still gives its package
    const empty = join(tmp(), 'empty.json');
    writeFileSync(empty, '{"releases":[]}');
    const pkg = await runCli(['compile', empty, '--package']);
    expect(pkg.code).toBe(0);
    expect(JSON.parse(pkg.stdout)).toMatchObject({ records: [] });
  });

  test.each(['validate', 'compile', 'convert'])('%s on a file that cannot be read: exit 3 and the reason on stderr', async (command) => {
    const r = await runCli([command, join(tmp(), 'missing.json')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^decp-ocds: INGEST_NOT_FOUND: no such file: .*missing\.json — check the paths; nothing was written/m);
  });

  test('run over inputs none of which exists (a typo in a cron line): exit 3, one line, nothing written', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const r = await runCli(['run', join(dir, 'missing.json'), join(dir, 'gone', 'feed.json'), '--out', out]);
    expect([r.code, r.stderr]).toEqual([3, expect.stringMatching(/^decp-ocds: INGEST_NOT_FOUND: no such file: .*missing\.json, .*feed\.json — check the paths; nothing was written, the outputs are left as they were\n$/)]);
    expect(existsSync(out)).toBe(false);
  });

  // found by a contract audit: a feed whose permissions were wrong (chmod 000) published an empty data
  // set into a new --out (exit 3), where a missing one writes nothing; convert and compile wrote nothing
  (asNobody === null ? test.skip : test)('inputs none of which can be opened (a file it may not read, a folder it may not list, one missing): exit 3, one line, nothing written, by every command', () => {
    const base = tmp();
    chmodSync(join(base, '..'), 0o755);
    chmodSync(base, 0o777);
    const locked = join(base, 'locked.json');
    writeFileSync(locked, readFileSync(DEMO));
    mkdirSync(join(base, 'closed'));
    writeFileSync(join(base, 'closed', 'b.json'), readFileSync(DEMO));
    chmodSync(locked, 0o000);
    chmodSync(join(base, 'closed'), 0o000);
    const out = join(base, 'out');
    const [cmd, ...pre] = [...asNobody!, process.execPath];
    const cli = (...args: string[]): ReturnType<typeof spawnSync> => spawnSync(cmd!, [...pre, BIN, ...args], { encoding: 'utf8' });
    try {
      const line = /^decp-ocds: INGEST_UNREADABLE: no input can be read: .*locked\.json \(permission denied, EACCES\), .*closed \(permission denied, EACCES\), .*missing\.json \(no such file\) — [^\n]*nothing was written, the outputs are left as they were\n$/;
      const inputs = [locked, join(base, 'closed'), join(base, 'missing.json')];
      const run = cli('run', ...inputs, '--out', out);
      expect([run.status, run.stderr]).toEqual([3, expect.stringMatching(line)]);
      expect(existsSync(out)).toBe(false);
      for (const [command, output] of [['convert', '-o'], ['compile', '-o'], ['validate', '--report']] as const) {
        const file = join(base, `${command}.json`);
        const r = cli(command, ...inputs, output, file);
        expect([command, r.status, r.stderr]).toEqual([command, 3, expect.stringMatching(line)]);
        expect(existsSync(file)).toBe(false);
      }
      // one input that opens: read, the others said, exit 3 as before
      const some = cli('run', locked, DEMO, '--out', out);
      expect(some.status).toBe(3);
      expect(some.stderr).toMatch(/^decp-ocds: INGEST_UNREADABLE: cannot read .*locked\.json: EACCES/m);
      expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))).toMatchObject({ counts: { files: 2, filesUnreadable: 1 } });
    } finally {
      chmodSync(join(base, 'closed'), 0o755);
    }
  });

  // found by a contract audit: `run`'s output folder errors gave the system's words and no remedy
  test('run: an --out that cannot be made says what to do (a file where a folder of its path goes)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await runCli(['run', DEMO, '--out', join(dir, 'a-file', 'out')]);
    expect([r.code, r.stderr]).toEqual([4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: cannot create the output folder .*ENOTDIR[^\n]* — a part of the output path is a file, not a folder: give another path\n$/)]);
  });

  (asNobody === null ? test.skip : test)('run: an --out this user may not write says so, with what to do, and stays as it was', () => {
    const base = tmp();
    chmodSync(join(base, '..'), 0o755);
    chmodSync(base, 0o755);
    const out = join(base, 'out');
    mkdirSync(out);
    chmodSync(out, 0o555);
    const [cmd, ...pre] = [...asNobody!, process.execPath];
    const r = spawnSync(cmd!, [...pre, BIN, 'run', DEMO, '--out', out], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: cannot write in the output folder: EACCES[^\n]* — give an output path in a folder this user can write[^\n]*\n$/)]);
    expect(readdirSync(out)).toEqual([]);
  });

  test('a named pipe found in a folder, the only input: exit 3, one line, nothing written', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'data'));
    execFileSync('mkfifo', [join(dir, 'data', 'feed.json')]);
    const out = join(dir, 'out');
    const r = await runCli(['run', join(dir, 'data'), '--out', out]);
    expect([r.code, r.stderr]).toEqual([3, expect.stringMatching(/^decp-ocds: INGEST_UNREADABLE: no input can be read: .*feed\.json \(a named pipe found in a folder, not read: name it as an input\) — /)]);
    expect(existsSync(out)).toBe(false);
  });

  // found by a review: one that cannot be opened beside one that is empty (today's failed download)
  // published an empty data set, exit 3, as when none opened
  test('a named pipe found in a folder beside an empty file, or an empty stdin: exit 3, one line, nothing written; beside a day without contracts, read as before', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'data'));
    execFileSync('mkfifo', [join(dir, 'data', 'feed.json')]);
    writeFileSync(join(dir, 'data', 'today.json'), '');
    const out = join(dir, 'out');
    const r = await runCli(['run', join(dir, 'data'), '--out', out]);
    expect([r.code, r.stderr]).toEqual([3, expect.stringMatching(/^decp-ocds: INGEST_UNREADABLE: no input can be read: .*feed\.json \(a named pipe found in a folder, not read: name it as an input\), .*today\.json \(empty\) — [^\n]*nothing was written[^\n]*\n$/)]);
    expect(existsSync(out)).toBe(false);
    const releases = join(dir, 'releases.jsonl');
    const c = await runCli(['convert', '-', join(dir, 'data'), '-o', releases], ' \n');
    expect([c.code, c.stderr]).toEqual([3, expect.stringMatching(/^decp-ocds: INGEST_UNREADABLE: no input can be read: stdin \(empty\), .*feed\.json \(a named pipe/)]);
    expect(existsSync(releases)).toBe(false);
    writeFileSync(join(dir, 'data', 'today.json'), '{"marches":[]}');
    const day = await runCli(['run', join(dir, 'data'), '--out', out]);
    expect(day.code).toBe(3);
    expect(day.stderr).toMatch(/^decp-ocds: INGEST_UNREADABLE: not a regular file: .*feed\.json/m);
    expect(existsSync(join(out, 'run.json'))).toBe(true);
  });

  test('--run-date takes RFC 3339\'s lower-case t and z, as the same instant written upper-case', async () => {
    const dir = tmp();
    const input = join(dir, 'undated.json');
    writeFileSync(input, JSON.stringify({ marches: [{ id: 'U-1', acheteur: { id: '21750001600019' }, objet: 'x', montant: 1000, titulaires: [{ typeIdentifiant: 'SIRET', id: '55203253400646' }] }] }));
    const lower = await runCli(['convert', input, '--run-date', '2024-03-31t00:30:00z']);
    const upper = await runCli(['convert', input, '--run-date', '2024-03-31T00:30:00Z']);
    expect(lower.code).toBe(0);
    expect(lower.stdout).toBe(upper.stdout);
    expect(lower.stdout).toContain('"date":"2024-03-31T01:30:00+01:00"');
  });

  test.each([
    [['nope']],
    [['help', 'nope']],
    [['run', '--sample', 'x']],
    [['detect', '--encoding', 'ebcdic']],
    [['run', '--max-record-bytes', '12 parsecs']],
    // dates that do not exist, or without seconds (OCDS date-time)
    [['convert', '--run-date', '2024-02-30T12:00:00Z']],
    [['convert', '--run-date', '2024-06-01T25:00:00Z']],
    [['convert', '--run-date', '2024-06-01T12:00:00+25:00']],
    [['convert', '--run-date', '2024-06-01T12:00Z']],
    [['run', '--memory-limit', 'lots']],
    [['run', '--memory-limit', '1KB']],
    [['run', '--memory-limit', '-5GB']],
    // every whole-number option of every command: digits only, in its range (never NaN, rounded or huge)
    ...['abc', '0', '-1', '1.5', '1e9', '', '1000'].flatMap((v) => ['convert', 'compile', 'run', 'detect', 'validate', 'flags'].map((c) => [[c, '--concurrency', v]])),
    ...['abc', '0', '-1', '1.5', '1e3', ''].flatMap((v) => ['convert', 'compile', 'run', 'detect', 'validate'].flatMap((c) => [[[c, '--sample', v]], [[c, '--max-depth', v]]])),
    // deeper, a recursive walk of the pipeline ran out of stack (a fuzzing sweep: 2,500 levels lost the run)
    ...['1001', '100000'].flatMap((v) => ['convert', 'compile', 'run', 'detect', 'validate'].map((c) => [[c, '--max-depth', v]])),
    ...['abc', '-1', '1.5', '1e3', ''].flatMap((v) => ['convert', 'compile', 'run'].map((c) => [[c, '--max-rejects', v]])),
    ...['abc', '0', '10', '1.5', ''].map((v) => [['run', '--gzip-level', v]]),
    ...['abc', '0', '-1', '1.5', '1e3', ''].map((v) => [['run', '--chunk-size', v]]),
    // package metadata: URIs absolute, names not blank (found by a contract audit: written as given)
    ...['', 'not a url', ' https://x.org/p'].flatMap((v) => [[['compile', '--package', '--uri', v]], [['compile', '--license', v]], [['compile', '--publication-policy', v]], [['run', '--license', v]], [['run', '--local-extension-url', v]]]),
    [['compile', '--publisher-name', ' ']],
    [['run', '--publisher-name', '']],
  ])('%j is a usage error: exit 2, one line', async (argv) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^decp-ocds: CLI_USAGE: [^\n]*\n$/);
  });
});

// the largest --max-depth accepted is one the pipeline goes through: convert, run (its checks and
// merge in worker threads), validate and compile a record nested 1,000 levels deep (the CLI as an
// operator runs it, with its own stack)
test('a record nested as deep as --max-depth 1000 allows is converted, run, validated and compiled', () => {
  const dir = tmp();
  const deep = `${'['.repeat(995)}1${']'.repeat(995)}`;
  const input = join(dir, 'deep.json');
  writeFileSync(input, `{"marches":[{"id":"A1","acheteur":{"id":"21590163800019"},"nature":"Marché","objet":"ok","montant":1000,"dateNotification":"2020-01-01","autre":${deep}},{"id":"A2","acheteur":{"id":"21590163800019"},"nature":"Marché","objet":"ok","montant":1000,"dateNotification":"2020-01-01"}]}`);
  const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--max-depth', '1000'], { encoding: 'utf8' });
  const releases = join(dir, 'releases.jsonl');
  const convert = cli('convert', input, '-o', releases, '--run-date', '2026-01-01T00:00:00Z');
  expect([convert.status, convert.stderr]).toEqual([0, expect.stringContaining('2 records read: 2 converted')]);
  expect(readFileSync(releases, 'utf8')).toContain(deep);
  const run = cli('run', input, '-o', join(dir, 'out'));
  expect([run.status, run.stderr]).toEqual([0, expect.stringContaining('2 records read: 2 converted')]);
  const validate = cli('validate', releases);
  expect(validate.stderr).not.toMatch(/INTERNAL|stack/);
  expect(validate.status).toBeLessThan(2);
  const compile = cli('compile', releases, '--versioned', '-o', join(dir, 'records.jsonl'));
  expect([compile.status, compile.stderr]).toEqual([0, expect.stringContaining('2 releases compiled into 2 records')]);
});

// cli-contract.md: "4 output could not be written (nothing partial is left behind)"
describe('exit 4 leaves nothing partial', () => {
  const ONE = join(SHARED, 'decp/samples/2019-xml/grandlyon_metropole-de-lyon_1-record.xml');
  /** A folder with a file `ro` where a folder is needed (root writes anywhere), and `full.*` links to /dev/full. */
  const setup = (): string => {
    const dir = tmp();
    writeFileSync(join(dir, 'ro'), 'a file, not a folder');
    return dir;
  };
  let releases = '';
  beforeAll(async () => {
    releases = join(tmp(), 'releases.jsonl');
    await runCli(['convert', ONE, '-o', releases, '--run-date', '2026-01-01T00:00:00Z']);
  });

  test('convert: a --rejects file that cannot be opened leaves no temporary file of -o', async () => {
    const dir = setup();
    const r = await runCli(['convert', ONE, '-o', join(dir, 'ok.jsonl'), '--rejects', join(dir, 'ro', 'r.jsonl')]);
    expect([r.code, r.stderr]).toEqual([4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: /m)]);
    expect(readdirSync(dir)).toEqual(['ro']);
  });

  test('a folder the system refuses to create (/proc/x) is exit 4 at once, in every command (found by an audit: Node\'s recursive mkdir spun there for ever)', async () => {
    for (const argv of [['convert', ONE, '-o', '/proc/x/y.jsonl'], ['compile', releases, '-o', '/proc/x/y.jsonl'], ['validate', releases, '--report', '/proc/x/r.json'], ['run', ONE, '--out', '/proc/x/out']]) {
      const r = await runCli(argv);
      expect([argv[0], r.code, r.stderr]).toEqual([argv[0], 4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: .*ENOENT/m)]);
    }
    // (folders that can be made are made, level by level)
    const dir = tmp();
    expect((await runCli(['convert', ONE, '-o', join(dir, 'a', 'b', 'c', 'r.jsonl')])).code).toBe(0);
    expect(readdirSync(join(dir, 'a', 'b', 'c'))).toEqual(['r.jsonl']);
  });

  test('compile: a --warnings or --rejects file that cannot be opened leaves no temporary file of -o', async () => {
    for (const option of ['--warnings', '--rejects']) {
      const dir = setup();
      const r = await runCli(['compile', releases, '-o', join(dir, 'rec.jsonl'), option, join(dir, 'ro', 'x.jsonl')]);
      expect([r.code, r.stderr]).toEqual([4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: /m)]);
      expect(readdirSync(dir)).toEqual(['ro']);
    }
  });

  test('validate: a report that cannot be written replaces no other report and leaves no temporary file', async () => {
    const dir = setup();
    for (const name of ['rep.json', 'rep.csv']) writeFileSync(join(dir, name), 'yesterday\n');
    execFileSync('ln', ['-s', '/dev/full', join(dir, 'full.html')]);
    // a report that cannot be opened (fails before reading), then one whose writing fails (a full disk)
    for (const bad of [join(dir, 'ro', 'rep.html'), join(dir, 'full.html')]) {
      const r = await runCli(['validate', releases, '--report', join(dir, 'rep.json'), '--report', join(dir, 'rep.csv'), '--report', bad]);
      expect([r.code, r.stderr]).toEqual([4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: /m)]);
      expect(readFileSync(join(dir, 'rep.json'), 'utf8')).toBe('yesterday\n');
      expect(readFileSync(join(dir, 'rep.csv'), 'utf8')).toBe('yesterday\n');
      expect(readdirSync(dir).sort()).toEqual(['full.html', 'rep.csv', 'rep.json', 'ro']);
    }
    // all of them writable: all replaced
    const ok = await runCli(['validate', releases, '--report', join(dir, 'rep.json'), '--report', join(dir, 'rep.csv'), '--report', join(dir, 'rep.html')]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'rep.json'), 'utf8'))).toMatchObject({ summary: { releases: 1 } });
    expect(readFileSync(join(dir, 'rep.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });
});

describe('decp-ocds flags', () => {
  (asNobody === null ? test.skip : test)('a store that exists but cannot be read: INGEST_UNREADABLE, exit 3, one line', () => {
    const base = tmp();
    chmodSync(join(base, '..'), 0o755);
    chmodSync(base, 0o755);
    const db = join(base, 'decp.duckdb');
    writeFileSync(db, 'not for nobody');
    chmodSync(db, 0o000);
    const [cmd, ...pre] = [...asNobody!, process.execPath];
    const r = spawnSync(cmd!, [...pre, BIN, 'flags', '--db', db], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/^decp-ocds: INGEST_UNREADABLE: cannot read the store .*decp\.duckdb: EACCES[^\n]*\n$/);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
  });
});
