/**
 * The views of partners' offers compared with type-8 fences (bid-indicators.ts: Cardinal's R024,
 * R025, R038, R058), each on a release package made so that its quartiles are round numbers: a row
 * at its fence is listed, one just on the other side is not. The fences: Q1 − 1.5 IQR, Q3 + 1.5 IQR.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeObjects } from '../helpers/store-rows.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const query = storeObjects;

type J = Record<string, unknown>;
interface Bid {
  readonly by: string;
  readonly status: string;
  readonly amount: number;
}

/** A process of buyer `buyer`: these offers (each of one tenderer), these awards (status, supplier). */
function processOf(id: string, bids: readonly Bid[], awards: ReadonlyArray<readonly [string, string]>, buyer = 'B', buyerRoles = ['buyer']): J {
  const names = [...new Set([...bids.map((b) => b.by), ...awards.map((a) => a[1])])];
  return {
    ocid: `ocds-bidind-${id}`,
    id: `r-${id}`,
    date: '2024-02-15T00:00:00Z',
    tag: ['tender', 'award'],
    parties: [{ id: buyer, name: `Buyer ${buyer}`, roles: buyerRoles }, ...names.map((t) => ({ id: t, name: `Company ${t}`, roles: ['tenderer'] }))],
    buyer: { id: buyer },
    tender: { id: `t-${id}`, procurementMethod: 'open', tenderPeriod: { startDate: '2024-01-01T00:00:00Z', endDate: '2024-01-31T00:00:00Z' } },
    bids: { details: bids.map((b, i) => ({ id: `b${i + 1}`, status: b.status, date: '2024-01-20T00:00:00Z', value: { amount: b.amount, currency: 'EUR' }, tenderers: [{ id: b.by }] })) },
    awards: awards.map(([status, supplier], i) => ({ id: `a${i + 1}`, status, suppliers: [{ id: supplier }] })),
  };
}

async function run(releases: readonly J[]): Promise<string> {
  const dir = tempDir('decp-ocds-bid-indicators-');
  writeFileSync(join(dir, 'bids.json'), JSON.stringify({ uri: 'https://example.org/bids.json', publishedDate: '2024-03-01T00:00:00Z', publisher: { name: 'Test' }, version: '1.1', releases }));
  expect((await runCli(['run', join(dir, 'bids.json'), '--out', join(dir, 'out'), '--quiet'])).code).toBe(0);
  return join(dir, 'out');
}

test("R024 / R058: the winning offer's margin over the second-lowest valid one, at or past its fence (20 processes: Q1 0.5, Q3 0.7, fences 0.2 and 1.0); a winner that did not offer the lowest price, or two active awards, are not compared", async () => {
  // margins: 0.2 (at the lower fence), 0.201, then 16 between 0.4 and 0.8 whose 5th–6th and 15th–16th
  // of all 20 are 0.5 and 0.7, then 0.999 and 1.0 (at the upper fence)
  const margins = [0.2, 0.201, 0.4, 0.45, 0.5, 0.5, 0.52, 0.54, 0.56, 0.58, 0.6, 0.62, 0.64, 0.66, 0.7, 0.7, 0.75, 0.8, 0.999, 1.0];
  const processes = margins.map((m, i) => processOf(`m${i + 1}`, [{ by: 'W', status: 'valid', amount: 1000 }, { by: 'L', status: 'valid', amount: Math.round(1000 * (1 + m) * 1000) / 1000 }], [['active', 'W']]));
  processes.push(
    // (margins of 0.001 both, were they compared)
    processOf('not-lowest', [{ by: 'W', status: 'valid', amount: 1000 }, { by: 'L', status: 'valid', amount: 999 }], [['active', 'W']]),
    processOf('two-awards', [{ by: 'W', status: 'valid', amount: 1000 }, { by: 'L', status: 'valid', amount: 1001 }], [['active', 'W'], ['active', 'L']]),
  );
  // offers priced lot by lot (Prozorro's lotValues), for two lots, one award: prices of other things,
  // not compared (a margin of 4 across the lots, which also moved every quartile)
  const lots = processOf('lots', [{ by: 'W', status: 'valid', amount: 1000 }, { by: 'L', status: 'valid', amount: 5000 }], [['active', 'W']]);
  const details = (lots['bids'] as { details: J[] }).details;
  details.forEach((d, i) => {
    d['lotValues'] = [{ relatedLot: `lot-${i + 1}`, value: d['value'] }];
    delete d['value'];
  });
  processes.push({ ...lots, tender: { ...(lots['tender'] as J), lots: [{ id: 'lot-1' }, { id: 'lot-2' }] } });
  const out = await run(processes);
  const db = join(out, 'decp.duckdb');
  const rows = await query<J>(db, 'SELECT ocid, round(margin, 6) AS margin, low, high, group_processes, q1, q3, round(lower_fence, 9) AS lower_fence, round(upper_fence, 9) AS upper_fence FROM bid_margin_outliers ORDER BY margin');
  expect(rows).toEqual([
    { ocid: 'ocds-bidind-m1', margin: 0.2, low: true, high: false, group_processes: 20n, q1: 0.5, q3: 0.7, lower_fence: 0.2, upper_fence: 1 },
    { ocid: 'ocds-bidind-m20', margin: 1, low: false, high: true, group_processes: 20n, q1: 0.5, q3: 0.7, lower_fence: 0.2, upper_fence: 1 },
  ]);
  const r = await runCli(['flags', '--db', db]);
  expect(r.code).toBe(0);
  const flags = r.stdout.split('\n').filter((l) => l.includes('BID_MARGIN')).map((l) => JSON.parse(l) as J);
  expect(flags.map((f) => [f['code'], f['ocid'], f['value'], f['threshold'], f['contract_id']])).toEqual([
    ['BID_MARGIN_HIGH', 'ocds-bidind-m20', 1, 1, null],
    ['BID_MARGIN_LOW', 'ocds-bidind-m1', 0.2, 0.2, null],
  ]);
  expect(String(flags[1]!['indicator'])).toContain("Cardinal's R024");
  expect(String(flags[1]!['detail'])).toContain('the 20 processes');
}, 120_000);

test('R025: a top tenderer (valid offers at or over Q3 of the counts, 10) whose wins over valid offers are at or under the lower fence (Q1 0.4, Q3 0.6: 0.1); not one over it (0.2), nor one under it that is no top tenderer (0); offers for other lots than the award\'s are no wins', async () => {
  // tenderer: [valid offers, winning ones]; ratios sorted 0, 0.1, 0.2, 0.4 ×4, 0.6 ×6, 1 ×3 (16:
  // Q1 between the 4th and 5th, Q3 between the 12th and 13th); counts 2, 5 ×10, 10 ×5 (Q3: 10)
  const tenderers: Record<string, readonly [number, number]> = { Y: [2, 0], X: [10, 1], W: [10, 2], A1: [5, 2], A2: [5, 2], A3: [5, 2], A4: [5, 2], C1: [5, 3], C2: [5, 3], C3: [5, 3], C4: [5, 3], C5: [5, 3], C6: [5, 3], D1: [10, 10], D2: [10, 10], D3: [10, 10] };
  const wins = Object.entries(tenderers).flatMap(([t, [, w]]) => Array<string>(w).fill(t));
  const losses = Object.entries(tenderers).flatMap(([t, [v, w]]) => Array<string>(v - w).fill(t));
  // each win a process; the losses given to processes another tenderer won, one each
  const processes = wins.map((w, i) => {
    const k = losses.findIndex((l) => l !== w);
    const loser = k >= 0 ? losses.splice(k, 1)[0] : undefined;
    return processOf(`p${i + 1}`, [{ by: w, status: 'valid', amount: 1000 }, ...(loser === undefined ? [] : [{ by: loser, status: 'valid', amount: 1100 }])], [['active', w]]);
  });
  expect(losses).toEqual([]);
  // X's offers priced lot by lot for two lots, one award: not two wins (its ratio 3 / 12 were they counted)
  const lots = processOf('x-lots', [{ by: 'X', status: 'valid', amount: 1000 }, { by: 'X', status: 'valid', amount: 2000 }], [['active', 'X']]);
  (lots['bids'] as { details: J[] }).details.forEach((d, i) => {
    d['lotValues'] = [{ relatedLot: `lot-${i + 1}`, value: d['value'] }];
    delete d['value'];
  });
  processes.push({ ...lots, tender: { ...(lots['tender'] as J), lots: [{ id: 'lot-1' }, { id: 'lot-2' }] } });
  const db = join(await run(processes), 'decp.duckdb');
  expect(await query(db, 'SELECT * EXCLUDE (market) FROM unsuccessful_tenderers')).toEqual([
    { tenderer: 'X', tenderer_name: 'Company X', valid_bids: 10n, winning_bids: 1n, ratio: 0.1, group_tenderers: 16n, top_valid_bids: 10, q1: 0.4, q3: 0.6, lower_fence: expect.closeTo(0.1, 9) },
  ]);
}, 120_000);

test('R038: disqualified over submitted offers at or over the upper fence, per buyer and per procuring entity (2 processes or more) and per tenderer (2 offers or more); Q1 0.1, Q3 0.2: 0.35; not 0.325', async () => {
  // 12 ratios whose 3rd–4th are 0.1 and 9th–10th 0.2, then one just under the fence and one at it
  const buyers = [0, 0, 4, 4, 6, 6, 6, 6, 8, 8, 13, 14];
  const processes: J[] = [];
  buyers.forEach((disqualified, b) => {
    // 2 processes of 20 offers each, every offer of its own tenderer (no tenderer of 2 offers here)
    for (const half of [0, 1]) {
      const n = half === 0 ? Math.min(disqualified, 20) : disqualified - Math.min(disqualified, 20);
      // (each buyer its own procuring entity too: the same ratios, compared among procuring entities)
      processes.push(processOf(`b${b}-${half}`, Array.from({ length: 20 }, (_, i) => ({ by: `b${b}-${half}-t${i}`, status: i < n ? 'disqualified' : 'valid', amount: 1000 + i })), [], `B${b}`, ['buyer', 'procuringEntity']));
    }
  });
  // the tenderers: 12 of 20 offers each in one process of a buyer of one process (not compared)
  const tenderers = [0, 0, 2, 2, 3, 3, 3, 3, 4, 4, 6, 7];
  processes.push(processOf('tenderers', tenderers.flatMap((d, t) => Array.from({ length: 20 }, (_, i) => ({ by: `V${t}`, status: i < d ? 'disqualified' : 'pending', amount: 1000 + i }))), [], 'BT'));
  const db = join(await run(processes), 'decp.duckdb');
  expect(await query(db, 'SELECT kind, party, processes, submitted, disqualified, ratio, group_parties, q1, q3, round(upper_fence, 9) AS upper_fence FROM disqualified_bid_rates ORDER BY kind')).toEqual([
    { kind: 'buyer', party: 'B11', processes: 2n, submitted: 40n, disqualified: 14n, ratio: 0.35, group_parties: 12n, q1: 0.1, q3: 0.2, upper_fence: 0.35 },
    { kind: 'procuring_entity', party: 'B11', processes: 2n, submitted: 40n, disqualified: 14n, ratio: 0.35, group_parties: 12n, q1: 0.1, q3: 0.2, upper_fence: 0.35 },
    { kind: 'tenderer', party: 'V11', processes: 1n, submitted: 20n, disqualified: 7n, ratio: 0.35, group_parties: 12n, q1: 0.1, q3: 0.2, upper_fence: 0.35 },
  ]);
}, 120_000);
