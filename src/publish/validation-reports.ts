/**
 * Writing validation reports: JSON (summary first, then every finding), CSV
 * (one row per finding) and HTML (one self-contained page). Rows are streamed;
 * files appear atomically (temporary file, then rename).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { PipelineError } from '../core/errors.js';
import { readLines } from '../core/files.js';
import { CHECK_RULES } from '../validate/checks.js';
import { DECP_CHECK_RULES } from '../validate/decp-checks.js';
import { CSV_COLUMNS, csvRow, renderHtml, type Row, type ValidationReport } from '../validate/report.js';
import { AtomicWriter, writeFileAtomic } from './atomic.js';

export type ReportFormat = 'json' | 'csv' | 'html';

export function reportFormatOf(path: string): ReportFormat {
  const ext = extname(path).toLowerCase().slice(1);
  if (ext === 'json' || ext === 'csv' || ext === 'html') return ext;
  throw new PipelineError('CLI_INVALID_OPTION', `--report ${path}: expected a .json, .csv or .html file`, { context: { option: '--report', file: path } });
}

export interface ReportWriters {
  row(row: Row): Promise<void>;
  finish(report: ValidationReport, meta: { title: string; generatedAt: string }): Promise<void>;
  abort(): Promise<void>;
}

/** `scratch`: the folder of the temporary rows file (default: the system's temporary folder). */
export async function openReportWriters(paths: readonly string[], scratch: string = tmpdir()): Promise<ReportWriters> {
  const formats = paths.map((p) => ({ path: p, format: reportFormatOf(p) }));
  const csv = await Promise.all(formats.filter((f) => f.format === 'csv').map((f) => AtomicWriter.open(f.path)));
  for (const w of csv) await w.write(`${CSV_COLUMNS.join(',')}\n`);
  const jsonTargets = formats.filter((f) => f.format === 'json');
  const htmlTargets = formats.filter((f) => f.format === 'html');
  const tmp = jsonTargets.length > 0 ? await mkdtemp(join(scratch, 'decp-ocds-report-')) : null;
  const rowsFile = tmp ? await AtomicWriter.open(join(tmp, 'rows.jsonl')) : null;
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
      for (const w of csv) await w.commit();
      if (rowsFile && tmp) {
        await flush();
        await rowsFile.commit();
        for (const t of jsonTargets) {
          const w = await AtomicWriter.open(t.path);
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
          await w.commit();
        }
        await rm(tmp, { recursive: true, force: true });
      }
      for (const t of htmlTargets) await writeFileAtomic(t.path, renderHtml(report, { ...meta, legend: { ...CHECK_RULES, ...DECP_CHECK_RULES } }));
    },
    async abort() {
      for (const w of csv) await w.abort();
      await rowsFile?.abort();
      if (tmp) await rm(tmp, { recursive: true, force: true });
    },
  };
}
