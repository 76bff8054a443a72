/**
 * Writing validation reports: JSON (summary first, then every finding), CSV
 * (one row per finding) and HTML (one self-contained page). Rows are streamed;
 * files appear atomically (temporary file, then rename).
 */
import { rm } from 'node:fs/promises';
import { scratchDir } from '../core/scratch.js';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { PipelineError } from '../core/errors.js';
import { readLines } from '../core/files.js';
import { CHECK_RULES } from '../validate/checks.js';
import { DECP_CHECK_RULES } from '../validate/decp-checks.js';
import { CSV_COLUMNS, csvRow, NO_BUYER, renderHtml, type Row, type ValidationReport } from '../validate/report.js';
import { abortAll, AtomicWriter, commitAll } from './atomic.js';
import type { PerOcidTable } from './per-ocid.js';

export type ReportFormat = 'json' | 'csv' | 'html';

/** The releases without findings, counted per ocid, source file and buyer, with the ocids' of `records` (`records`). */
const validReleases = (records: string): string => `SELECT r.ocid, r.source_sha256 AS sha, coalesce(rec.buyer_id, '${NO_BUYER.replace(/'/g, "''")}') AS buyer, count(*)::DOUBLE AS n
  FROM releases r LEFT JOIN ${records} rec ON rec.ocid = r.ocid
  ANTI JOIN validation_errors v ON v.ocid = r.ocid AND v.release_id = r.release_id`;

/**
 * What `run`'s validation report says of the releases without findings, by file and by buyer, kept
 * in the store per ocid (`release_counts`, see per-ocid.ts): counting them joined every release
 * with its record, every run (most of the report's time in a daily run on 1,000,000 records).
 */
export const RELEASE_COUNTS: PerOcidTable = {
  name: 'release_counts',
  all: `${validReleases('records')} GROUP BY ALL`,
  some: (recompiled) => ({
    before: [`CREATE OR REPLACE TEMP TABLE recompiled_records AS SELECT ocid, buyer_id FROM records x WHERE ${recompiled('x')}`],
    select: `${validReleases('recompiled_records')} WHERE ${recompiled('r')} GROUP BY ALL`,
    after: ['DROP TABLE recompiled_records'],
  }),
};

function reportFormatOf(path: string): ReportFormat {
  const ext = extname(path).toLowerCase().slice(1);
  if (ext === 'json' || ext === 'csv' || ext === 'html') return ext;
  throw new PipelineError('CLI_INVALID_OPTION', `--report ${path}: expected a .json, .csv or .html file`, { context: { option: '--report', file: path } });
}

export interface ReportWriters {
  row(row: Row): Promise<void>;
  finish(report: ValidationReport, meta: { title: string; generatedAt: string; unit?: string; idLabel?: string }): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Every report file is opened at once (a path that cannot be written fails before anything is
 * read) and replaced only when all of them were written to their end: exit 4 leaves no report
 * replaced and no temporary file behind. `scratch`: the folder of the temporary rows file (default:
 * the system's temporary folder).
 */
export async function openReportWriters(paths: readonly string[], scratch: string = tmpdir()): Promise<ReportWriters> {
  // (a path given twice is written once: two writers would share one temporary file)
  const formats = [...new Map(paths.map((p) => [resolve(p), { path: p, format: reportFormatOf(p) }])).values()];
  const targets: Array<{ path: string; format: ReportFormat; w: AtomicWriter }> = [];
  let tmp: string | null = null;
  let forget = (): void => undefined;
  let rowsFile: AtomicWriter | null = null;
  const abort = async (): Promise<void> => {
    await abortAll([...targets.map((t) => t.w), rowsFile]);
    if (tmp) await rm(tmp, { recursive: true, force: true });
    forget();
  };
  try {
    for (const f of formats) targets.push({ ...f, w: await AtomicWriter.open(f.path) });
    if (targets.some((t) => t.format === 'json')) {
      ({ dir: tmp, forget } = scratchDir(scratch, 'decp-ocds-report-'));
      rowsFile = await AtomicWriter.open(join(tmp, 'rows.jsonl'));
    }
    for (const t of targets) if (t.format === 'csv') await t.w.write(`${CSV_COLUMNS.join(',')}\n`);
  } catch (err) {
    await abort();
    throw err;
  }
  const csv = targets.filter((t) => t.format === 'csv').map((t) => t.w);
  let pending: string[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    await rowsFile!.write(text);
  };
  return {
    async row(row) {
      if (csv.length > 0) {
        const line = `${csvRow(row)}\n`;
        for (const w of csv) await w.write(line);
      }
      if (rowsFile) {
        pending.push(`${JSON.stringify(row)}\n`);
        if (pending.length >= 2000) await flush();
      }
    },
    async finish(report, meta) {
      try {
        if (rowsFile && tmp) {
          await flush();
          await rowsFile.commit();
          for (const { w } of targets.filter((t) => t.format === 'json')) {
            const head = JSON.stringify(report.head());
            await w.write(`${head.slice(0, -1)},"findings":[`);
            let first = true;
            let buf: string[] = [];
            for await (const line of readLines(join(tmp, 'rows.jsonl'))) {
              buf.push(first ? line : `,${line}`);
              first = false;
              if (buf.length >= 2000) {
                await w.write(buf.join('\n'));
                buf = [];
              }
            }
            if (buf.length > 0) await w.write(buf.join('\n'));
            await w.write(']}\n');
          }
        }
        const html = targets.filter((t) => t.format === 'html');
        if (html.length > 0) {
          const page = renderHtml(report, { ...meta, legend: { ...CHECK_RULES, ...DECP_CHECK_RULES }, companions: targets.filter((t) => t.format !== 'html').map((t) => basename(t.path)) });
          for (const { w } of html) await w.write(page);
        }
        // every report written to its end before any replaces its file
        await commitAll(targets.map((t) => t.w));
      } catch (err) {
        await abort();
        throw err;
      }
      if (tmp) await rm(tmp, { recursive: true, force: true });
      forget();
    },
    abort,
  };
}
