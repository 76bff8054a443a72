/**
 * The red flags of a process's offers (bid-flags.ts: Cardinal's R003, R028, R030, R035, R036), by a
 * run on a partner's release package made for them: each process fires one flag exactly where
 * Cardinal says, or sits just beside its rule and fires none; the real Prozorro record gives its rows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeObjects } from '../helpers/store-rows.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

const query = storeObjects;

type J = Record<string, unknown>;
const TENDERERS = ['T1', 'T2', 'T3'];
interface Bid {
  readonly by: string;
  readonly status: string;
  readonly amount: number;
  readonly date?: string;
  /** the lots it is for (relatedLots) */
  readonly lots?: readonly string[];
}
/** A process: an open tender of 30 days (Jan 1 – Jan 31, 2024), these offers, these awards (status, supplier, the lots it is for). */
function processOf(n: string, bids: readonly Bid[], awards: ReadonlyArray<readonly [string, string, ...string[]]>, tender: J = {}): J {
  return {
    ocid: `ocds-bidtst-${n}`,
    id: `r-${n}`,
    date: '2024-02-15T00:00:00Z',
    tag: ['tender', 'award'],
    initiationType: 'tender',
    parties: [{ id: 'B', name: 'Buyer', roles: ['buyer'] }, ...TENDERERS.map((t) => ({ id: t, name: `Company ${t}`, identifier: { scheme: 'XX-REG', id: t }, roles: ['tenderer'] }))],
    buyer: { id: 'B', name: 'Buyer' },
    tender: { id: `t-${n}`, procurementMethod: 'open', awardCriteria: 'priceOnly', tenderPeriod: { startDate: '2024-01-01T00:00:00Z', endDate: '2024-01-31T00:00:00Z' }, ...tender },
    bids: { details: bids.map((b, i) => ({ id: `b${i + 1}`, status: b.status, date: b.date ?? '2024-01-20T00:00:00Z', value: { amount: b.amount, currency: 'EUR' }, tenderers: [{ id: b.by, name: `Company ${b.by}` }], ...(b.lots !== undefined ? { relatedLots: b.lots } : {}) })) },
    awards: awards.map(([status, supplier, ...lots], i) => ({ id: `a${i + 1}`, status, date: '2024-02-10T00:00:00Z', value: { amount: 1000, currency: 'EUR' }, suppliers: [{ id: supplier, name: `Company ${supplier}` }], ...(lots.length > 0 ? { relatedLots: lots } : {}) })),
  };
}

const won = [['active', 'T1']] as const;
/**
 * A process whose offers are priced lot by lot (Prozorro's lotValues, no value of their own), each lot
 * value dated after the deadline as Prozorro's auction dates the prices it changes: no offer is late.
 */
function lotPriced(n: string, offers: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, number]>]>): J {
  const p = processOf(n, [], won);
  p['bids'] = { details: offers.map(([by, values], i) => ({ id: `b${i + 1}`, status: 'active', date: '2024-01-20T00:00:00Z', tenderers: [{ id: by, name: `Company ${by}` }], lotValues: values.map(([lot, amount]) => ({ relatedLot: lot, value: { amount, currency: 'EUR' }, date: '2024-02-05T00:00:00Z' })) })) };
  return p;
}
const PROCESSES: J[] = [
  // R003: 14.9 days (flagged); 15 days exactly (not); 5 days of a selective procedure (not: open only)
  processOf('r003-yes', [{ by: 'T1', status: 'valid', amount: 1000, date: '2024-01-10T00:00:00Z' }], won, { tenderPeriod: { startDate: '2024-01-01T00:00:00Z', endDate: '2024-01-15T21:36:00Z' } }),
  processOf('r003-no-15', [{ by: 'T1', status: 'valid', amount: 1000, date: '2024-01-10T00:00:00Z' }], won, { tenderPeriod: { startDate: '2024-01-01T00:00:00Z', endDate: '2024-01-16T00:00:00Z' } }),
  processOf('r003-no-selective', [{ by: 'T1', status: 'valid', amount: 1000, date: '2024-01-03T00:00:00Z' }], won, { procurementMethod: 'selective', tenderPeriod: { startDate: '2024-01-01T00:00:00Z', endDate: '2024-01-06T00:00:00Z' } }),
  // R028: two tenderers, one price (flagged: 2 tenderers); one tenderer's two offers at one price, and
  // a withdrawn offer at it (not submitted); a cent apart (not)
  processOf('r028-yes', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'valid', amount: 1000 }], won),
  processOf('r028-no-one-tenderer', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'withdrawn', amount: 1000 }], won),
  processOf('r028-no-cent', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'valid', amount: 1000.01 }], won),
  // two prices each shared by two tenderers (flagged once: the lower, its amount and currency from one row)
  processOf('r028-tie', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'valid', amount: 1000 }, { by: 'T2', status: 'valid', amount: 900 }, { by: 'T3', status: 'valid', amount: 900 }], won),
  // offers for lots (found by a partners' shapes probe: one price offered for two lots by two tenderers
  // was flagged): the same price for the same lot (flagged), for other lots (not); priced lot by lot
  // (Prozorro's lotValues: one offer per lot), the same (flagged, not)
  processOf('r028-yes-lot', [{ by: 'T1', status: 'valid', amount: 1000, lots: ['L1'] }, { by: 'T2', status: 'valid', amount: 1000, lots: ['L1'] }, { by: 'T3', status: 'valid', amount: 1000, lots: ['L2'] }], won),
  processOf('r028-no-other-lots', [{ by: 'T1', status: 'valid', amount: 1000, lots: ['L1'] }, { by: 'T2', status: 'valid', amount: 1000, lots: ['L2'] }], won),
  lotPriced('r028-yes-lot-values', [['T1', [['L1', 1000], ['L2', 500]]], ['T2', [['L1', 1000]]]]),
  lotPriced('r028-no-lot-values', [['T1', [['L1', 1000], ['L2', 500]]], ['T2', [['L2', 1000]]]]),
  // the same lots named in another order are the same lots (flagged)
  processOf('r028-yes-lots-order', [{ by: 'T1', status: 'valid', amount: 1000, lots: ['L1', 'L2'] }, { by: 'T2', status: 'valid', amount: 1000, lots: ['L2', 'L1'] }], won),
  // R030: the winner's valid offer a day after the deadline (flagged); a late offer that did not win
  // (not); the winner's at the deadline itself (not)
  processOf('r030-yes', [{ by: 'T1', status: 'valid', amount: 1000, date: '2024-02-01T00:00:00Z' }], won),
  processOf('r030-no-lost', [{ by: 'T1', status: 'valid', amount: 1000, date: '2024-02-01T00:00:00Z' }, { by: 'T2', status: 'valid', amount: 1100 }], [['active', 'T2']]),
  processOf('r030-no-on-time', [{ by: 'T1', status: 'valid', amount: 1000, date: '2024-01-31T00:00:00Z' }], won),
  // two lots (found by a flags probe: T1, winner of lot 1 on time, was flagged for its late offer for
  // lot 2, which T2 won): T1's late offer for the lot it won (flagged); for the lot it lost (not)
  processOf('r030-yes-lot', [{ by: 'T1', status: 'valid', amount: 1000, date: '2024-02-02T00:00:00Z', lots: ['L1'] }, { by: 'T2', status: 'valid', amount: 900, lots: ['L2'] }], [['active', 'T1', 'L1'], ['active', 'T2', 'L2']]),
  processOf('r030-no-other-lot', [{ by: 'T1', status: 'valid', amount: 1000, lots: ['L1'] }, { by: 'T1', status: 'valid', amount: 1000, date: '2024-02-02T00:00:00Z', lots: ['L2'] }, { by: 'T2', status: 'valid', amount: 900, lots: ['L2'] }], [['active', 'T1', 'L1'], ['active', 'T2', 'L2']]),
  // R035: T1 valid and the winner, T2 and T3 disqualified (flagged: 2); the same with an award
  // pending (not); two valid tenderers (not); the other offer withdrawn, none disqualified (not)
  processOf('r035-yes', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'disqualified', amount: 1100 }, { by: 'T3', status: 'disqualified', amount: 1200 }], won),
  processOf('r035-no-pending', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'disqualified', amount: 1100 }], [['active', 'T1'], ['pending', 'T1']]),
  processOf('r035-no-two-valid', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'valid', amount: 1100 }, { by: 'T3', status: 'disqualified', amount: 1200 }], won),
  processOf('r035-no-withdrawn', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'withdrawn', amount: 900 }], won),
  // two lots (found by a flags probe): T1 alone and valid for lot 1, T2 disqualified for lot 2, which
  // no one won (not: T2 never competed with T1); T2 disqualified for lot 1 beside T1, T3 for lot 2
  // (flagged: 1, T2)
  processOf('r035-no-other-lot', [{ by: 'T1', status: 'valid', amount: 1000, lots: ['L1'] }, { by: 'T2', status: 'disqualified', amount: 1100, lots: ['L2'] }], [['active', 'T1', 'L1']]),
  processOf('r035-yes-lot', [{ by: 'T1', status: 'valid', amount: 1000, lots: ['L1'] }, { by: 'T2', status: 'disqualified', amount: 1100, lots: ['L1'] }, { by: 'T3', status: 'disqualified', amount: 1200, lots: ['L2'] }], [['active', 'T1', 'L1']]),
  // R036: the lowest offer disqualified, an active award (flagged; two valid tenderers: no R035); the
  // lowest valid and a higher one disqualified (not); the lowest disqualified without an active award (not)
  processOf('r036-yes', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'disqualified', amount: 900 }, { by: 'T3', status: 'valid', amount: 1100 }], won),
  processOf('r036-no-lowest-valid', [{ by: 'T1', status: 'valid', amount: 900 }, { by: 'T2', status: 'disqualified', amount: 1000 }, { by: 'T3', status: 'valid', amount: 1100 }], won),
  processOf('r036-no-award', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'disqualified', amount: 900 }, { by: 'T3', status: 'valid', amount: 1100 }], [['pending', 'T1']]),
  // two lots (found by a flags probe: the process's lowest offer, L1's valid 500, hid L2's lowest,
  // disqualified): L2's lowest offer, 900, disqualified beside its valid 1,000 (flagged: 900 against L2's
  // 1,000, not L1's 500); a lot's valid lowest beside a higher disqualified offer that is under the other
  // lot's valid one (not: no lot's lowest offer is disqualified)
  processOf('r036-yes-lot', [{ by: 'T1', status: 'valid', amount: 500, lots: ['L1'] }, { by: 'T2', status: 'disqualified', amount: 900, lots: ['L2'] }, { by: 'T3', status: 'valid', amount: 1000, lots: ['L2'] }], won),
  processOf('r036-no-lot', [{ by: 'T1', status: 'valid', amount: 1000, lots: ['L1'] }, { by: 'T2', status: 'valid', amount: 500, lots: ['L2'] }, { by: 'T3', status: 'disqualified', amount: 800, lots: ['L2'] }], won),
  // a lot no one won, its one offer disqualified, beside another lot's active award (not: no lower
  // offer was set aside for a higher one in it)
  processOf('r036-no-lot-unawarded', [{ by: 'T1', status: 'valid', amount: 1000, lots: ['L1'] }, { by: 'T3', status: 'valid', amount: 1050, lots: ['L1'] }, { by: 'T2', status: 'disqualified', amount: 500, lots: ['L2'] }], [['active', 'T1', 'L1']]),
];

function write(dir: string, releases: readonly J[]): string {
  const file = join(dir, 'bids.json');
  writeFileSync(file, JSON.stringify({ uri: 'https://example.org/bids.json', publishedDate: '2024-03-01T00:00:00Z', publisher: { name: 'Test' }, version: '1.1', releases }));
  return file;
}

describe('red flags of the offers (Cardinal)', () => {
  const dir = tempDir('decp-ocds-bid-flags-');
  const out = join(dir, 'out');
  const db = join(out, 'decp.duckdb');
  beforeAll(async () => {
    expect((await runCli(['run', write(dir, PROCESSES), '--out', out, '--quiet'])).code).toBe(0);
  }, 120_000);

  test('each fires exactly where its rule says, with its value and threshold, on the process (contract_id null)', async () => {
    const flags = await query<{ code: string; ocid: string; contract_id: string | null; value: number; threshold: number | null; buyer_id: string; year: number; source_index: bigint }>(
      db,
      "SELECT code, ocid, contract_id, value, threshold, buyer_id, year, source_index FROM red_flags WHERE ocid LIKE 'ocds-bidtst-%' ORDER BY code, ocid",
    );
    expect(flags.map((f) => [f.code, f.ocid.replace('ocds-bidtst-', ''), f.value, f.threshold])).toEqual([
      ['ALL_EXCEPT_WINNER_DISQUALIFIED', 'r035-yes', 2, 1],
      ['ALL_EXCEPT_WINNER_DISQUALIFIED', 'r035-yes-lot', 1, 1],
      ['IDENTICAL_BID_PRICES', 'r028-tie', 2, 2],
      ['IDENTICAL_BID_PRICES', 'r028-yes', 2, 2],
      ['IDENTICAL_BID_PRICES', 'r028-yes-lot', 2, 2],
      ['IDENTICAL_BID_PRICES', 'r028-yes-lot-values', 2, 2],
      ['IDENTICAL_BID_PRICES', 'r028-yes-lots-order', 2, 2],
      ['LATE_BID_WON', 'r030-yes', 1, 0],
      ['LATE_BID_WON', 'r030-yes-lot', 2, 0],
      ['LOWEST_BID_DISQUALIFIED', 'r036-yes', 900, 1000],
      ['LOWEST_BID_DISQUALIFIED', 'r036-yes-lot', 900, 1000],
      ['SHORT_SUBMISSION_PERIOD', 'r003-yes', 14.9, 15],
    ]);
    expect(await query(db, "SELECT detail FROM red_flags WHERE ocid = 'ocds-bidtst-r028-tie'")).toEqual([{ detail: 'tenderers whose submitted offers are of the same price, 900.0 EUR' }]);
    expect(await query(db, "SELECT ocid, detail FROM red_flags WHERE code = 'LOWEST_BID_DISQUALIFIED' AND ocid LIKE 'ocds-bidtst-%' ORDER BY ocid")).toEqual([
      { ocid: 'ocds-bidtst-r036-yes', detail: 'the lowest submitted offer, 900.0 EUR, disqualified (threshold: the lowest offer not disqualified)' },
      { ocid: 'ocds-bidtst-r036-yes-lot', detail: 'the lowest submitted offer for lots L2, 900.0 EUR, disqualified (threshold: the lowest offer not disqualified, for the same lots)' },
    ]);
    // (an award's lots, as an offer's)
    expect(await query(db, "SELECT award_id, related_lots FROM awards WHERE ocid = 'ocds-bidtst-r030-yes-lot' ORDER BY award_id")).toEqual([
      { award_id: 'a1', related_lots: 'L1' },
      { award_id: 'a2', related_lots: 'L2' },
    ]);
    // (the record of the package that gave the process)
    for (const f of flags) expect([f.contract_id, f.buyer_id, f.year, Number(f.source_index)]).toEqual([null, 'B', 2024, PROCESSES.findIndex((p) => p['ocid'] === f.ocid)]);
  });

  test('`decp-ocds flags` lists them with their indicator', async () => {
    const r = await runCli(['flags', '--db', db]);
    expect(r.code).toBe(0);
    const row = r.stdout.split('\n').filter((l) => l.includes('LATE_BID_WON')).map((l) => JSON.parse(l) as J);
    expect(row).toEqual(['ocds-bidtst-r030-yes', 'ocds-bidtst-r030-yes-lot'].map((ocid) => expect.objectContaining({ code: 'LATE_BID_WON', ocid, contract_id: null, indicator: expect.stringContaining("Cardinal's R030") })));
  });

  test('the tables: every offer, its tenderers by party id; a rerun on changed offers replaces its rows and its flags', async () => {
    // (a bid priced lot by lot is one offer per lot)
    const offers = (d: J): number => (Array.isArray(d['lotValues']) ? d['lotValues'].length : 1);
    expect(await query(db, "SELECT count(*)::INTEGER AS n FROM bids WHERE ocid LIKE 'ocds-bidtst-%'")).toEqual([{ n: PROCESSES.reduce((a, p) => a + ((p['bids'] as J)['details'] as J[]).reduce((b, d) => b + offers(d), 0), 0) }]);
    expect(await query(db, "SELECT bt.bid_id, bt.party_id, p.name FROM bid_tenderers bt JOIN parties p USING (ocid, party_id) WHERE ocid = 'ocds-bidtst-r028-yes' ORDER BY bid_id")).toEqual([
      { bid_id: 'b1', party_id: 'T1', name: 'Company T1' },
      { bid_id: 'b2', party_id: 'T2', name: 'Company T2' },
    ]);
    // the same file with r028-yes's second price changed: its rows replaced, its flag gone
    const changed = PROCESSES.map((p) => (p['ocid'] === 'ocds-bidtst-r028-yes' ? processOf('r028-yes', [{ by: 'T1', status: 'valid', amount: 1000 }, { by: 'T2', status: 'valid', amount: 1500 }], won) : p));
    write(dir, changed);
    expect((await runCli(['run', join(dir, 'bids.json'), '--out', out, '--quiet'])).code).toBe(0);
    expect(await query(db, "SELECT bid_id, amount FROM bids WHERE ocid = 'ocds-bidtst-r028-yes' ORDER BY bid_id")).toEqual([
      { bid_id: 'b1', amount: 1000 },
      { bid_id: 'b2', amount: 1500 },
    ]);
    expect(await query(db, "SELECT code FROM red_flags WHERE ocid LIKE 'ocds-bidtst-%' ORDER BY code")).toEqual(
      ['ALL_EXCEPT_WINNER_DISQUALIFIED', 'ALL_EXCEPT_WINNER_DISQUALIFIED', 'IDENTICAL_BID_PRICES', 'IDENTICAL_BID_PRICES', 'IDENTICAL_BID_PRICES', 'IDENTICAL_BID_PRICES', 'LATE_BID_WON', 'LATE_BID_WON', 'LOWEST_BID_DISQUALIFIED', 'LOWEST_BID_DISQUALIFIED', 'SHORT_SUBMISSION_PERIOD'].map((code) => ({ code })),
    );
    // exported to Parquet as the other tables are
    const parquet = await query(':memory:', `SELECT count(*)::INTEGER AS n FROM read_parquet('${out}/parquet/bids/**/*.parquet', hive_partitioning = true) WHERE ocid = 'ocds-bidtst-r028-yes'`);
    expect(parquet).toEqual([{ n: 2 }]);
  }, 120_000);
});

test("the real Prozorro record: its two offers in UAH, each of one tenderer (its UA-EDR party), its tender period of 1 day 8 hours flagged short (an open procedure); its lower offer, valid, lost (an unsuccessful award): nothing else", async () => {
  const out = join(tempDir('decp-ocds-bid-flags-'), 'out');
  expect((await runCli(['run', join(SHARED, 'partners/ukraine-prozorro'), '--out', out, '--quiet'])).code).toBe(0);
  const db = join(out, 'decp.duckdb');
  expect(await query(db, 'SELECT b.status, b.amount, b.currency, bt.party_id FROM bids b JOIN bid_tenderers bt USING (ocid, bid_id) ORDER BY b.amount')).toEqual([
    { status: 'active', amount: 6708.37, currency: 'UAH', party_id: 'UA-EDR-30374983' },
    { status: 'active', amount: 8154, currency: 'UAH', party_id: 'UA-EDR-1992916539' },
  ]);
  expect(await query(db, 'SELECT procurement_method, award_criteria, round(period_days, 3) AS days FROM tenders')).toEqual([{ procurement_method: 'open', award_criteria: 'lowestCost', days: 1.333 }]);
  expect(await query(db, 'SELECT code, value, threshold FROM red_flags')).toEqual([{ code: 'SHORT_SUBMISSION_PERIOD', value: 1.333, threshold: 15 }]);
  // compared by R024/R058 (one active award, of one supplier), but its winner did not offer the lowest
  // price (8,154 against 6,708.37): no margin
  expect(await query(db, 'SELECT winner FROM bid_processes')).toEqual([{ winner: 'UA-EDR-1992916539' }]);
  expect(await query(db, 'SELECT count(*)::INTEGER AS n FROM bid_margin_outliers')).toEqual([{ n: 0 }]);
}, 120_000);
