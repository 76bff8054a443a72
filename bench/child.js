/**
 * One measurement in its own process, so that its peak RSS is its own.
 * Usage: node bench/child.js <mode> <file>   → prints one JSON line.
 * Modes: ingest (the real ingest stage: hash + split + parse + classify),
 *        parse (the same, given the file's hash), hash (the hashing pass alone),
 *        convert (file → OCDS releases JSON Lines on disk; argv[4] is the output),
 *        readparse (read JSON Lines and JSON.parse each), validate (schema + checks, no report),
 *        split (the byte splitter alone), jsonparse (whole-file JSON.parse),
 *        stream-json (parser → pick → streamArray, for comparison),
 *        bare (read JSON Lines in chunks, JSON.parse + JSON.stringify each line, nothing written),
 *        bare2 (the same in two worker threads, each over half the lines: what both cores give),
 *        reserialise (the same through readline, each line written out),
 *        run (the nightly job through the CLI: argv[3] inputs, argv[4] output folder, then CLI options).
 */
import { readFileSync, createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { bareCount, halves } from './bare.js';
import { Worker } from 'node:worker_threads';

const [mode, file] = process.argv.slice(2);
// Each mode loads the modules of its own stage only, before its clock starts: its peak RSS is the
// stage's, not the whole library's (the library's entry loads the nightly job too, DuckDB's native
// module among it: 47 MB of RSS before the first byte is read, against 17 MB for ingest's modules).
const MODULES = {
  ingest: ['ingest/reader.js'],
  parse: ['ingest/reader.js', 'ingest/source.js'],
  hash: ['ingest/source.js'],
  convert: ['convert.js', 'ingest/profiles.js', 'publish/jsonl-writer.js'],
  validate: ['validate/schema-store.js', 'validate/validate.js'],
  reserialise: ['publish/jsonl-writer.js'],
  compile: ['validate/schema-store.js', 'publish/jsonl-writer.js', 'compile.js', 'transform/compile/merge.js'],
  split: ['ingest/json-splitter.js'],
};
const { readInputBatches, readFile, normalizeIngestOptions, hashFile, convertInputs, loadProfile, openLineWriter, loadReleaseSchema, validateInputs, compileInputs, mergeRulesFromSchema, JsonRecordSplitter } = Object.assign(
  {},
  ...(await Promise.all((MODULES[mode] ?? []).map((m) => import(`../dist/${m}`)))),
);
// "parse": ingest given the file's hash (as the nightly job does after its hashing pass)
const known = mode === 'parse' ? await hashFile(file) : undefined;
const t0 = performance.now();
let records = 0;
let bytes = 0;

if (mode === 'ingest') {
  for await (const batch of readInputBatches([file])) {
    for (const ev of batch) {
      if (ev.type === 'record') records++;
      else if (ev.type === 'file-end') bytes = ev.summary.bytes;
    }
  }
} else if (mode === 'parse') {
  for await (const batch of readFile({ display: file, path: file, sha256: known }, normalizeIngestOptions())) {
    for (const ev of batch) {
      if (ev.type === 'record') records++;
      else if (ev.type === 'file-end') bytes = ev.summary.bytes;
    }
  }
} else if (mode === 'hash') {
  await hashFile(file);
  bytes = statSync(file).size;
} else if (mode === 'convert') {
  // file → releases JSON Lines on disk (the convert command's work)
  const profile = await loadProfile();
  const out = await openLineWriter(process.argv[4], process.stdout);
  const counts = await convertInputs({ inputs: [file], profile, context: { ocidPrefix: 'ocds-78apv2', runDate: '2026-01-01T00:00:00Z' } }, { release: (t) => out.write(t), reject: () => undefined });
  await out.commit();
  records = counts.read;
  bytes = statSync(file).size;
} else if (mode === 'readparse') {
  // the baseline of validation: read the JSON Lines and JSON.parse each line
  const rl = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line) {
      JSON.parse(line);
      records++;
    }
  }
  bytes = statSync(file).size;
} else if (mode === 'validate') {
  const schema = await loadReleaseSchema();
  const { report } = await validateInputs({ inputs: [file], schema, checks: { now: '2026-11-23T00:00:00Z' } }, { row: () => undefined });
  records = report.summary().releases;
  bytes = statSync(file).size;
} else if (mode === 'reserialise') {
  // the baseline of compile: read the JSON Lines, JSON.parse and JSON.stringify each line, write it
  const out = await openLineWriter(process.argv[4], process.stdout);
  const rl = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line) {
      const w = out.write(JSON.stringify(JSON.parse(line)));
      if (w) await w;
      records++;
    }
  }
  await out.commit();
  bytes = statSync(file).size;
} else if (mode === 'bare') {
  // the issue's own baseline of compile: a bare read of the JSON Lines (1 MiB chunks split at line
  // breaks, no readline), JSON.parse and JSON.stringify of each line, nothing written
  records = await bareCount(file, 0, Infinity);
  bytes = statSync(file).size;
} else if (mode === 'bare2') {
  // the same work in two threads, each over its half of the lines (cut at a line break): the
  // baseline of a two-thread compile, as this machine's two cores give it
  const counts = await Promise.all(
    halves(file).map(
      ([start, end]) =>
        new Promise((done, fail) => {
          const w = new Worker(new URL('./bare.js', import.meta.url), { workerData: { file, start, end } });
          w.once('message', done);
          w.once('error', fail);
        }),
    ),
  );
  records = counts[0] + counts[1];
  bytes = statSync(file).size;
} else if (mode === 'compile') {
  const schema = await loadReleaseSchema();
  const out = await openLineWriter(process.argv[4], process.stdout);
  // argv[5]: "versioned" or "plain"; argv[6]: worker threads (default 1)
  const concurrency = Number(process.argv[6] ?? 1);
  const counts = await compileInputs({ inputs: [file], rules: mergeRulesFromSchema(schema.schema), versioned: process.argv[5] === 'versioned', concurrency }, { record: (t) => out.write(t), recordBytes: (b) => out.writeBytesThrough(b), chunksConsumed: true, warning: () => undefined });
  await out.commit();
  records = counts.releases;
  bytes = statSync(file).size;
} else if (mode === 'split') {
  const s = new JsonRecordSplitter();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    bytes += chunk.length;
    for (const e of s.push(chunk)) if (e.type === 'record') records++;
  }
} else if (mode === 'jsonparse') {
  const buf = readFileSync(file);
  bytes = buf.length;
  const doc = JSON.parse(buf.toString('utf8'));
  const m = doc.marches;
  records = Array.isArray(m) ? m.length : (m.marche?.length ?? 0) + (m['contrat-concession']?.length ?? 0);
} else if (mode === 'stream-json') {
  const { default: chain } = await import('stream-chain');
  const { parser } = await import('stream-json');
  const { pick } = await import('stream-json/filters/pick.js');
  const { streamArray } = await import('stream-json/streamers/stream-array.js');
  const filter = process.argv[4] ?? 'marches';
  const pipeline = chain([createReadStream(file, { highWaterMark: 1 << 20 }), parser(), pick({ filter }), streamArray()]);
  for await (const _ of pipeline) records++;
  bytes = statSync(file).size;
} else if (mode === 'run') {
  const { main } = await import('../dist/cli/main.js');
  const code = await main(['run', file, '--out', process.argv[4], '--quiet', ...process.argv.slice(5)]);
  if (code !== 0) throw new Error(`run exited ${code}`);
  const report = JSON.parse(readFileSync(`${process.argv[4]}/run.json`, 'utf8'));
  records = report.counts.read;
  bytes = report.inputs.reduce((a, f) => a + f.size, 0);
  process.stdout.write(`${JSON.stringify({ stages: report.stages, counts: report.counts })}\n`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
const ms = performance.now() - t0;
// (the CPU time of the whole process, every thread: what the stage cost, whatever its parallelism)
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ mode, records, bytes, ms, maxRssMB: process.resourceUsage().maxRSS / 1024, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
