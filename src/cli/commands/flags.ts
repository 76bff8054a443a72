/** `decp-ocds flags [--db FILE] [-o FILE]`: the red flags of the store that `run` wrote, as JSON Lines or CSV. */
import type { Command } from 'commander';
import type { Effects } from '../../core/effects.js';
import { EXIT } from '../../core/errors.js';
import { openLineWriter } from '../../publish/jsonl-writer.js';
import { addCommonOptions, type CommonOptions } from '../options.js';
import { contextOf } from '../context.js';

interface FlagsCliOptions extends CommonOptions {
  db: string;
  output?: string;
}

export function registerFlags(program: Command, effects: Effects, setExit: (code: number) => void): void {
  const cmd = program
    .command('flags')
    .description('print the red flags of the store that `run` wrote: one line per contract and indicator it raises, one per item priced far above its peers (UNIT_PRICE_OUTLIER, the price_anomalies table) and one per contract valued far above its peers (VALUE_OUTLIER, the value_outliers view), one per process and indicator of the offers a partner publishes (contract_id null: SHORT_SUBMISSION_PERIOD, IDENTICAL_BID_PRICES, LATE_BID_WON, ALL_EXCEPT_WINNER_DISQUALIFIED, LOWEST_BID_DISQUALIFIED; BID_MARGIN_LOW and BID_MARGIN_HIGH, the bid_margin_outliers view), with the value measured and the threshold (JSON Lines; CSV when -o ends with .csv or .csv.gz)')
    .option('--db <file>', 'the DuckDB store', 'out/decp.duckdb')
    .option('-o, --output <file>', 'where to write the flags (default: stdout); .csv (.csv.gz) gives CSV with a header');
  addCommonOptions(cmd).action(async (opts: FlagsCliOptions) => {
    const { summary } = contextOf(opts, effects);
    // (loaded when flags runs: DuckDB is not every command's to load)
    const { readRedFlags, redFlagCsv, RED_FLAG_COLUMNS } = await import('../../publish/red-flags-export.js');
    // (`flags.csv.gz`: CSV, gzipped as the name says)
    const csv = opts.output !== undefined && /\.csv(\.gz)?$/i.test(opts.output);
    const out = await openLineWriter(opts.output, effects.stdout);
    const counts = new Map<string, number>();
    try {
      if (csv) await out.write(RED_FLAG_COLUMNS.join(','));
      for await (const rows of readRedFlags(opts.db)) {
        for (const row of rows) {
          counts.set(row.code, (counts.get(row.code) ?? 0) + 1);
          const p = out.write(csv ? redFlagCsv(row) : JSON.stringify(row));
          if (p) await p;
        }
      }
      await out.commit();
    } catch (err) {
      await out.abort();
      throw err;
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const by = [...counts].map(([code, n]) => `${code} ${n}`).join(', ');
    summary(`${total} red flags${by ? ` (${by})` : ''} from ${opts.db}`, { flags: total, byCode: Object.fromEntries(counts) });
    setExit(EXIT.OK);
  });
}
