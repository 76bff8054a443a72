/** Output folders as an older version of decp-ocds wrote them (tests of the take-over). */
import { cpSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Make a published output folder look as an older version wrote it: the store and files real, the folders linked straight into the generation, no .current. */
export function toOlderLayout(out: string): void {
  const gen = readlinkSync(join(out, '.current'));
  for (const f of ['decp.duckdb', 'rejects.jsonl', 'run.json']) {
    unlinkSync(join(out, f));
    cpSync(join(out, gen, f), join(out, f));
  }
  for (const d of ['ocds', 'parquet', 'reports']) {
    unlinkSync(join(out, d));
    symlinkSync(join(gen, d), join(out, d));
  }
  unlinkSync(join(out, '.current'));
}
