/**
 * npm run bench — throughput and peak memory of the pipeline's stages on large
 * synthetic DECP data, each next to a baseline measured in the same run.
 *
 * Ingest: streaming ingest of N records (default 1,000,000) of 2024 JSON (one
 * line, \u-escaped, wrapped lists) and 2019 JSON (pretty-printed), against a
 * whole-file JSON.parse of the same bytes. V8 cannot hold a string past ~512 MB,
 * so the whole-file parse is measured on a file of BASELINE records (default
 * 100,000) from the same generator, and streaming ingest is measured on that
 * same file too (same bytes: the ratio that counts) and on the large one
 * (flat memory: peak RSS must not grow with the file).
 *
 * Each figure is the best of BENCH_REPEAT runs (default 3), each in its own process.
 * Env: BENCH_RECORDS, BENCH_BASELINE_RECORDS, BENCH_REPEAT, BENCH_STREAM_JSON=0 to
 * skip the stream-json comparison.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { rng, writeRepublished, writeSynthetic } from './generate.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });
const N = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const B = Math.min(N, Number(process.env.BENCH_BASELINE_RECORDS ?? 100_000));

async function dataset(format, count) {
  const path = join(outDir, `synthetic-${format}-${count}.json`);
  if (!existsSync(path)) {
    const t = performance.now();
    await writeSynthetic(path, format, count);
    console.log(`generated ${path} (${(statSync(path).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return path;
}

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

/**
 * Start a timed run on a quiet disk: the kernel writes back (and, on a filesystem mounted with
 * `discard`, trims) what earlier runs wrote and removed while the next run is going on, unless it is
 * done first. Measured on compile (1,000,000 releases, 3.15 GB of records written per run): 22-26 s
 * when each run followed the last, 19.3-19.9 s when each started after a `sync`. The timed run's own
 * writes are in its time as an operator's are: written to the page cache, not synced.
 */
function settle() {
  execFileSync('sync');
}

/** Best time of REPEAT runs (the machine is shared and noisy), worst peak RSS. */
function measure(mode, file, ...extra) {
  let best = null;
  for (let k = 0; k < REPEAT; k++) {
    // each convert or compile (and the re-serialising baseline) starts without its output file:
    // replacing one of hundreds of MB (compile's records: 3 GB) makes the kernel free its pages
    // during the rename, which is not the stage's work (and only runs after the first)
    if (mode === 'convert' || mode === 'compile' || mode === 'reserialise') rmSync(extra[0], { force: true });
    settle();
    const out = execFileSync(process.execPath, ['--max-old-space-size=8192', join(here, 'child.js'), mode, file, ...extra], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const r = JSON.parse(out.trim().split('\n').pop());
    if (best === null) best = r;
    else best = { ...r, ms: Math.min(best.ms, r.ms), maxRssMB: Math.max(best.maxRssMB, r.maxRssMB) };
  }
  return best;
}

const fmt = (r) => `${(r.records / (r.ms / 1000)).toFixed(0).padStart(9)} rec/s ${(r.bytes / 1e6 / (r.ms / 1000)).toFixed(0).padStart(5)} MB/s ${(r.ms / 1000).toFixed(2).padStart(7)} s  peak RSS ${r.maxRssMB.toFixed(0).padStart(5)} MB  (${r.records} records, ${(r.bytes / 1e6).toFixed(0)} MB)`;

console.log(`node ${process.version}, ${N.toLocaleString('en')} records per format (baseline file: ${B.toLocaleString('en')})\n`);
const rows = [];
const stages = (process.env.BENCH_STAGES ?? 'ingest,convert,validate,compile,run').split(',');
for (const format of stages.includes('ingest') ? ['2024', '2019'] : []) {
  const small = await dataset(format, B);
  const large = N > B ? await dataset(format, N) : small;
  const base = measure('jsonparse', small);
  const same = measure('ingest', small);
  const parse = measure('parse', small);
  const hash = measure('hash', small);
  const big = large === small ? same : measure('ingest', large);
  const split = measure('split', large);
  console.log(`DECP ${format} JSON`);
  console.log(`  whole-file JSON.parse     ${fmt(base)}`);
  console.log(`  ingest (same bytes)       ${fmt(same)}`);
  console.log(`    of which hashing pass   ${fmt(hash)}`);
  console.log(`  ingest given the hash     ${fmt(parse)}`);
  if (big !== same) console.log(`  ingest (large file)       ${fmt(big)}`);
  console.log(`  splitter alone            ${fmt(split)}`);
  if (process.env.BENCH_STREAM_JSON !== '0') {
    const sj = measure('stream-json', small, format === '2024' ? 'marches.marche' : 'marches');
    console.log(`  stream-json chain         ${fmt(sj)}`);
    rows.push({ format, streamJsonRatio: base.ms / sj.ms });
  }
  const ratioSame = base.ms / same.ms;
  const ratioBig = (big.bytes / big.ms) / (base.bytes / base.ms);
  console.log(`  => ingest / JSON.parse throughput: ${ratioSame.toFixed(2)} on the same bytes (${(base.ms / parse.ms).toFixed(2)} given the hash), ${ratioBig.toFixed(2)} on the large file (target >= 1.0)`);
  console.log(`  => peak RSS: ${same.maxRssMB.toFixed(0)} MB (${(same.bytes / 1e6).toFixed(0)} MB file) vs ${big.maxRssMB.toFixed(0)} MB (${(big.bytes / 1e6).toFixed(0)} MB file); JSON.parse: ${base.maxRssMB.toFixed(0)} MB (target < 150 MB, flat)\n`);
  rows.push({ format, ratioSame, ratioBig, rss: big.maxRssMB });
}

// ---- convert: file → releases JSON Lines on disk ------------------------------------------
if (stages.includes('convert')) {
  const small = await dataset('2024', B);
  const large = N > B ? await dataset('2024', N) : small;
  const out = join(outDir, 'releases.jsonl');
  const base = measure('jsonparse', small);
  const conv = measure('convert', small, out);
  const convBig = large === small ? conv : measure('convert', large, out);
  console.log('convert (DECP 2024 JSON → OCDS releases JSON Lines on disk)');
  console.log(`  whole-file JSON.parse     ${fmt(base)}`);
  console.log(`  convert (same bytes)      ${fmt(conv)}`);
  if (convBig !== conv) console.log(`  convert (large file)      ${fmt(convBig)}`);
  console.log(`  => convert / JSON.parse throughput: ${(base.ms / conv.ms).toFixed(2)} (target >= 0.4); peak RSS ${conv.maxRssMB.toFixed(0)} MB vs ${convBig.maxRssMB.toFixed(0)} MB on the large file`);
  // What --concurrency 2 adds: two files (half the baseline each) converted by the CLI with 1 and
  // with 2 worker threads; best of REPEAT runs.
  const half = await dataset('2024', Math.max(1, Math.floor(B / 2)));
  const pair = join(outDir, 'pair');
  mkdirSync(pair, { recursive: true });
  for (const k of ['a', 'b']) if (!existsSync(join(pair, `${k}.json`))) copyFileSync(half, join(pair, `${k}.json`));
  const cli = (n) => {
    let best = Infinity;
    for (let k = 0; k < REPEAT; k++) {
      const t = performance.now();
      execFileSync(process.execPath, [join(here, '..', 'bin', 'decp-ocds.js'), 'convert', pair, '--concurrency', String(n), '-o', `${out}.pair`, '--quiet'], { stdio: 'ignore' });
      best = Math.min(best, performance.now() - t);
    }
    return best;
  };
  const c1 = cli(1);
  const c2 = cli(2);
  const n2 = 2 * Math.floor(B / 2);
  console.log(`  two files, --concurrency 1: ${(n2 / (c1 / 1000)).toFixed(0)} rec/s; --concurrency 2: ${(n2 / (c2 / 1000)).toFixed(0)} rec/s (x${(c1 / c2).toFixed(2)}; ratio to JSON.parse ${((base.ms / B) / (c2 / n2)).toFixed(2)})`);
}

// ---- validate: N releases (JSON Lines) ------------------------------------------------------
if (stages.includes('validate')) {
  const path = join(outDir, `releases-${N}.jsonl`);
  if (!existsSync(path)) {
    // releases converted from the synthetic data, repeated with fresh ids up to N lines
    const src = await dataset('2024', Math.min(B, 100_000));
    const base = join(outDir, 'releases-base.jsonl');
    execFileSync(process.execPath, [join(here, '..', 'bin', 'decp-ocds.js'), 'convert', src, '-o', base, '--quiet', '--concurrency', '1', '--run-date', '2026-01-01T00:00:00Z'], { stdio: 'ignore' });
    const lines = readFileSync(base, 'utf8').split('\n').filter(Boolean);
    const out = createWriteStream(path);
    for (let k = 0; k < N; k++) {
      const r = JSON.parse(lines[k % lines.length]);
      if (k >= lines.length) r.id = `${r.id}-c${Math.floor(k / lines.length)}`;
      if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    console.log(`generated ${path} (${(statSync(path).size / 1e6).toFixed(0)} MB)`);
  }
  const base = measure('readparse', path);
  const val = measure('validate', path);
  console.log('validate (OCDS releases, JSON Lines: schema + checks)');
  console.log(`  read + JSON.parse         ${fmt(base)}`);
  console.log(`  validate                  ${fmt(val)}`);
  console.log(`  => validate / read+parse throughput: ${(base.ms / val.ms).toFixed(2)} (target >= 0.5); peak RSS ${val.maxRssMB.toFixed(0)} MB`);
}

// ---- compile: N releases over about 0.4 N ocids ---------------------------------------------
if (stages.includes('compile')) {
  const path = join(outDir, `compile-${N}.jsonl`);
  const base = join(outDir, 'releases-base.jsonl');
  if (!existsSync(path)) {
    if (!existsSync(base)) {
      const src = await dataset('2024', Math.min(B, 100_000));
      execFileSync(process.execPath, [join(here, '..', 'bin', 'decp-ocds.js'), 'convert', src, '-o', base, '--quiet', '--concurrency', '1', '--run-date', '2026-01-01T00:00:00Z'], { stdio: 'ignore' });
    }
    const lines = readFileSync(base, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const initial = lines.filter((r) => r.tag.includes('award'));
    const amendments = lines.filter((r) => r.tag.includes('contractAmendment'));
    const out = createWriteStream(path);
    const r = rng(7);
    let written = 0;
    for (let j = 0; written < N; j++) {
      const ocid = `ocds-78apv2-bench-${j}`;
      const group = [initial[j % initial.length]];
      const extra = Math.floor(r() * 4); // 0-3 modifications: 2.5 releases per ocid on average
      for (let k = 0; k < extra; k++) group.push(amendments[(j * 3 + k) % amendments.length]);
      for (const [k, rel] of group.entries()) {
        const copy = { ...rel, ocid, id: `${ocid}-${k}` };
        if (!out.write(`${JSON.stringify(copy)}\n`)) await once(out, 'drain');
        written++;
      }
    }
    out.end();
    await once(out, 'finish');
    console.log(`generated ${path} (${(statSync(path).size / 1e6).toFixed(0)} MB)`);
  }
  const bare = measure('bare', path);
  // what both cores give for the same bare work: the fair baseline of a two-thread compile (two
  // vCPUs do not always give twice one's speed)
  const bare2 = measure('bare2', path);
  const baseRun = measure('reserialise', path, join(outDir, 'reserialised.jsonl'));
  const comp = measure('compile', path, join(outDir, 'records.jsonl'));
  const comp2 = measure('compile', path, join(outDir, 'records.jsonl'), 'plain', '2');
  const compV = measure('compile', path, join(outDir, 'records.jsonl'), 'versioned');
  const compV2 = measure('compile', path, join(outDir, 'records.jsonl'), 'versioned', '2');
  console.log('compile (OCDS releases → records, JSON Lines)');
  console.log(`  bare read+parse+stringify ${fmt(bare)}`);
  console.log(`  ... the same, 2 threads   ${fmt(bare2)}  (x${(bare.ms / bare2.ms).toFixed(2)} of one)`);
  console.log(`  parse + re-serialise      ${fmt(baseRun)}  (through readline, written out)`);
  console.log(`  compile                   ${fmt(comp)}`);
  console.log(`  compile --concurrency 2   ${fmt(comp2)}`);
  console.log(`  compile --versioned       ${fmt(compV)}`);
  console.log(`  ... --versioned, 2 threads ${fmt(compV2)}`);
  console.log(`  => compile: ${(comp.records / (comp.ms / 1000)).toFixed(0)} releases/s on one core, ${(comp2.records / (comp2.ms / 1000)).toFixed(0)} on two (target >= 50,000); ratio to the bare read+parse+stringify (one core) ${(bare.ms / comp.ms).toFixed(2)} / ${(bare.ms / comp2.ms).toFixed(2)}, to parse+re-serialise through readline ${(baseRun.ms / comp.ms).toFixed(2)} / ${(baseRun.ms / comp2.ms).toFixed(2)}; two-thread compile to the two-thread bare pass ${(bare2.ms / comp2.ms).toFixed(2)}; peak RSS ${comp.maxRssMB.toFixed(0)} / ${comp2.maxRssMB.toFixed(0)} MB (versioned ${compV.maxRssMB.toFixed(0)} / ${compV2.maxRssMB.toFixed(0)} MB; target < 500 MB)`);
}

// ---- run: the nightly job end to end, then one new daily file on top of it -------------------
if (stages.includes('run')) {
  // N records of 2024 JSON (1 % concessions, modifications) in 4 files, so that --concurrency 2 has files to share
  const dir = join(outDir, `run-input-${N}`);
  mkdirSync(dir, { recursive: true });
  const per = Math.ceil(N / 4);
  for (let k = 0; k < 4; k++) {
    const p = join(dir, `decp-${k}.json`);
    if (!existsSync(p)) await writeSynthetic(p, '2024', Math.min(per, N - k * per), 100 + k);
  }
  const daily = join(outDir, 'run-daily');
  mkdirSync(daily, { recursive: true });
  if (!existsSync(join(daily, 'decp-daily.json'))) await writeSynthetic(join(daily, 'decp-daily.json'), '2024', 1000, 999);
  // a more realistic night: 900 new contracts and 100 earlier ones republished with one more modification
  if (!existsSync(join(daily, 'decp-new-900.json'))) await writeSynthetic(join(daily, 'decp-new-900.json'), '2024', 900, 998);
  if (!existsSync(join(daily, 'decp-republished-100.json'))) await writeRepublished(join(dir, 'decp-0.json'), join(daily, 'decp-republished-100.json'), 100);
  const out = join(outDir, 'run-out');
  // the operator's run: the default gzip level (6) unless BENCH_GZIP_LEVEL says otherwise
  const gzip = process.env.BENCH_GZIP_LEVEL ? ['--gzip-level', process.env.BENCH_GZIP_LEVEL] : [];
  const once1 = (args) => {
    settle();
    const lines = execFileSync(process.execPath, [join(here, 'child.js'), 'run', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n');
    return { ...JSON.parse(lines.pop()), ...JSON.parse(lines.pop()) };
  };
  execFileSync('rm', ['-rf', out]);
  const base = measure('jsonparse', await dataset('2024', B));
  const full = once1([dir, out, '--concurrency', '2', ...gzip]);
  // the next night: the same folder plus one new daily file of 1,000 records
  execFileSync('cp', [join(daily, 'decp-daily.json'), join(dir, 'zz-daily.json')]);
  const inc = once1([dir, out, '--concurrency', '2', ...gzip]);
  // the night after: 900 new contracts and 100 republished ones (scattered over the published chunks)
  execFileSync('cp', [join(daily, 'decp-new-900.json'), join(dir, 'zz-new-900.json')]);
  execFileSync('cp', [join(daily, 'decp-republished-100.json'), join(dir, 'zz-republished-100.json')]);
  const mixed = once1([dir, out, '--concurrency', '2', ...gzip]);
  execFileSync('rm', ['-f', join(dir, 'zz-daily.json'), join(dir, 'zz-new-900.json'), join(dir, 'zz-republished-100.json')]);
  const shares = (r) => Object.entries(r.stages).map(([k, v]) => `${k} ${(v.share * 100).toFixed(0)}%`).join(', ');
  // CPU time per stage (every thread) and how many cores it kept busy (×), then the whole process's
  // CPU time: a wall-time target on 2 cores is a budget of at most twice that in CPU time
  const cpu = (r) => {
    const top = Object.entries(r.stages).filter(([k, v]) => k !== 'compile+validate' && v.cpuMs >= 100);
    return `${top.map(([k, v]) => `${k} ${(v.cpuMs / 1000).toFixed(1)} s (×${(v.cpuMs / Math.max(1, v.ms)).toFixed(2)})`).join(', ')}; the process ${(r.cpuMs / 1000).toFixed(1)} CPU-s in ${(r.ms / 1000).toFixed(1)} s (×${(r.cpuMs / r.ms).toFixed(2)})`;
  };
  console.log(`run (the nightly job: ingest → convert → load → compile+validate → publish; --concurrency 2, gzip level ${process.env.BENCH_GZIP_LEVEL ?? '6 (default)'})`);
  console.log(`  whole-file JSON.parse     ${fmt(base)}`);
  console.log(`  full run                  ${fmt(full)}  (target < 120 s, < 1 GB)`);
  console.log(`    stages: ${shares(full)}`);
  console.log(`    CPU: ${cpu(full)}`);
  console.log(`    store: ${full.counts.store.releases} releases, ${full.counts.store.records} records, ${full.counts.store.contracts} contracts`);
  console.log(`  + one daily file (1,000)  ${(inc.ms / 1000).toFixed(2)} s, peak RSS ${inc.maxRssMB.toFixed(0)} MB (target < 10 s); ${inc.counts.ocidsCompiled} ocids recompiled`);
  console.log(`    stages: ${shares(inc)}`);
  console.log(`  + 900 new and 100 republished with a modification  ${(mixed.ms / 1000).toFixed(2)} s, peak RSS ${mixed.maxRssMB.toFixed(0)} MB; ${mixed.counts.ocidsCompiled} ocids recompiled, Parquet ${mixed.counts.parquet.written} files written, ${mixed.counts.parquet.linked} linked`);
  console.log(`    stages: ${shares(mixed)}`);
  console.log(`  => full run / JSON.parse throughput: ${(base.ms / B / (full.ms / full.records)).toFixed(3)}`);
}
