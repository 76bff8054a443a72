/**
 * The run's compile stage for one part of the touched ocids: the store
 * exports their releases sorted by ocid (DuckDB sorts, spilling to disk when it
 * must), this reads them group by group (one ocid in memory at a time), merges
 * each group, validates its releases, and writes the staging files the store
 * loads: records (tab-separated, with the record JSON) and one NDJSON file per
 * relational table. Runs in a worker thread (one per part) or in this thread.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { recordText } from '../compile.js';
import { openLineWriter, type LineWriter } from '../publish/jsonl-writer.js';
import { compileReleases, mergeRulesFromSchema, versionReleases, type JsonValue } from '../transform/compile/merge.js';
import { flattenProcess, jsonText, timestamp, yearOf, type FlatRows, type SourcedRelease } from '../transform/flatten.js';
import { ReleaseChecker } from '../validate/checks.js';
import { schemaRule } from '../validate/report.js';
import { loadReleaseSchema, type SchemaChoice } from '../validate/schema-store.js';
import { valueAt } from '../validate/validate.js';

type Obj = { [k: string]: JsonValue };

/** Columns of the sorted export the part reads (tab-separated, release JSON last). */
export const COMPILE_INPUT_COLUMNS = ['ocid', 'chunk', 'release_id', 'source_sha256', 'source_index', 'release_json'] as const;

export const FLAT_TABLES = ['parties', 'awards', 'award_suppliers', 'contracts', 'amendments', 'items', 'quality_flags', 'validation_errors'] as const;
export type FlatTable = (typeof FLAT_TABLES)[number];

export interface CompilePartJob {
  readonly input: string;
  /** Folder for this part's outputs: records.tsv and <table>.jsonl. */
  readonly dir: string;
  readonly versioned: boolean;
  readonly schema: SchemaChoice;
  readonly ocidPrefix: string;
  /** Now, for the "date in the future" check. */
  readonly now: string;
}

export interface CompilePartResult {
  readonly records: number;
  readonly releases: number;
  readonly warnings: number;
  readonly rows: Record<FlatTable, number>;
}

export function partFiles(dir: string): { records: string } & Record<FlatTable, string> {
  return { records: join(dir, 'records.tsv'), ...(Object.fromEntries(FLAT_TABLES.map((t) => [t, join(dir, `${t}.jsonl`)])) as Record<FlatTable, string>) };
}

const tsvField = (v: string | number | null): string => (v === null ? '' : String(v).replace(/[\t\n\r]/g, ' '));

export async function compilePart(job: CompilePartJob): Promise<CompilePartResult> {
  const schema = await loadReleaseSchema(job.schema);
  const rules = mergeRulesFromSchema(schema.schema);
  const checker = new ReleaseChecker({ ocidPrefix: job.ocidPrefix, now: job.now });
  const files = partFiles(job.dir);
  const records = await openLineWriter(files.records, process.stdout);
  const writers = {} as Record<FlatTable, LineWriter>;
  for (const t of FLAT_TABLES) writers[t] = await openLineWriter(files[t], process.stdout);
  const rows = Object.fromEntries(FLAT_TABLES.map((t) => [t, 0])) as Record<FlatTable, number>;
  let nRecords = 0;
  let nReleases = 0;
  let nWarnings = 0;

  let ocid: string | null = null;
  let chunk = '';
  let group: SourcedRelease[] = [];
  let texts: string[] = [];

  const flush = async (): Promise<void> => {
    if (ocid === null || group.length === 0) return;
    const { compiledRelease, warnings } = compileReleases(
      group.map((g) => g.release),
      rules,
    );
    nWarnings += warnings.length;
    const versioned = job.versioned ? versionReleases(group.map((g) => g.release), rules) : undefined;
    const first = timestamp(group[0]!.release['date']);
    const last = timestamp(group[group.length - 1]!.release['date']);
    const buyer = compiledRelease['buyer'];
    const buyerId = buyer !== null && typeof buyer === 'object' && !Array.isArray(buyer) && typeof buyer['id'] === 'string' ? buyer['id'] : null;
    await records.write([ocid, chunk, group.length, first, last, yearOf(first), buyerId, warnings.length].map((v) => tsvField(v)).join('\t') + `\t${recordText(ocid, texts, compiledRelease, versioned)}`);
    const flat: FlatRows & { validation_errors: Array<Record<string, unknown>> } = { ...flattenProcess(ocid, group, compiledRelease), validation_errors: [] };
    for (const g of group) {
      const r = g.release;
      const rid = typeof r['id'] === 'string' ? r['id'] : null;
      const push = (severity: string, rule: string, pointer: string, message: string, value: unknown): void =>
        void flat.validation_errors.push({ ocid, release_id: rid, severity, rule, pointer, message, value: jsonText(value), source_sha256: g.sourceSha256, source_index: g.sourceIndex });
      for (const e of schema.validate(r)) push('error', schemaRule(e.keyword, e.pointer), e.pointer, e.message, valueAt(r, e.pointer));
      for (const f of checker.check(r)) push(f.severity, f.rule, f.pointer, f.message, f.value);
    }
    for (const t of FLAT_TABLES) {
      const list = flat[t];
      if (list.length === 0) continue;
      rows[t] += list.length;
      await writers[t].write(list.map((row) => JSON.stringify(row)).join('\n'));
    }
    nRecords++;
    nReleases += group.length;
  };

  const rl = createInterface({ input: createReadStream(job.input, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of rl) {
      if (!line) continue;
      // ocid, chunk, release id, source sha256, source index, release JSON
      let at = 0;
      const cols: string[] = [];
      for (let k = 0; k < 5; k++) {
        const tab = line.indexOf('\t', at);
        cols.push(line.slice(at, tab));
        at = tab + 1;
      }
      const json = line.slice(at);
      if (cols[0] !== ocid) {
        await flush();
        ocid = cols[0]!;
        chunk = cols[1]!;
        group = [];
        texts = [];
      }
      group.push({ release: JSON.parse(json) as Obj, sourceSha256: cols[3]!, sourceIndex: Number(cols[4]) });
      texts.push(json);
    }
    await flush();
    await records.commit();
    for (const t of FLAT_TABLES) await writers[t].commit();
  } catch (err) {
    await records.abort();
    for (const t of FLAT_TABLES) await writers[t].abort();
    throw err;
  }
  return { records: nRecords, releases: nReleases, warnings: nWarnings, rows };
}
