/**
 * RED_FLAG_SQL on a store of crafted contract rows (no run): the terms of the flags' rules that the
 * run tests on hand-made DECP records do not reach (found by a mutation audit: most terms below could
 * be dropped or loosened with every test still passing), each checked in a few seconds.
 * Formulas: red-flags.md §3.4 and RED_FLAG_CODES.
 */
import { join } from 'node:path';
import { RED_FLAG_CONTRACT_COLUMNS, RED_FLAG_SQL } from '../../src/publish/red-flags.js';
import { Store } from '../../src/publish/store.js';
import { tempDir } from '../helpers/tmp.js';

interface Contract {
  readonly id: string;
  readonly decp?: string | null;
  readonly recordType?: string;
  readonly category?: string;
  readonly currency?: string;
  readonly initial?: number | null;
  readonly amount?: number | null;
  readonly amendments?: number;
  readonly corrections?: number;
  readonly suppliers?: number;
  readonly suppliersChanged?: number | null;
  readonly bids?: number | null;
  readonly method?: string | null;
  readonly details?: string | null;
  readonly framework?: boolean;
  readonly callOff?: boolean;
  readonly initialDays?: number | null;
  readonly days?: number | null;
  readonly initialMonths?: number | null;
  readonly months?: number | null;
  readonly signed?: string;
  readonly delay?: number | null;
}

interface Amendment {
  readonly contract: string;
  readonly position: number;
  readonly date: string;
  readonly amount: number | null;
  readonly correction?: boolean;
  readonly suppliers?: number | null;
  readonly currency?: string;
}

const lit = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v);

/**
 * The red flags (code, contract) of these contracts, each its own ocid (`o-<id>`), its award `a-<id>`,
 * with these amendments (release `r-<contract>-<position>`) and
 * MODIFICATION_AMOUNT_DROP flags on these releases: the SQL the run gives every recompiled contract.
 */
async function flagsOf(contracts: readonly Contract[], o: { amendments?: readonly Amendment[]; drops?: readonly string[]; thresholds?: boolean } = {}): Promise<Array<Array<string | number>>> {
  const dir = tempDir('red-flags-');
  const store = await Store.open(join(dir, 'decp.duckdb'), { memoryLimit: '256MB', threads: 1, tempDirectory: join(dir, 'tmp') });
  try {
    await store.migrate();
    const rows = contracts.map((c) => {
      const signed = c.signed ?? '2024-01-10';
      return `(${[`o-${c.id}`, c.id, `a-${c.id}`, 'B', 2024, signed, c.delay ?? 10, c.decp === undefined ? '2024' : c.decp, c.recordType ?? 'marche', c.category ?? 'services', c.currency ?? 'EUR',
        c.initial === undefined ? 100000 : c.initial, c.amount === undefined ? 100000 : c.amount, c.amendments ?? 0, c.corrections ?? 0, c.suppliers ?? 1, c.suppliersChanged ?? null, c.bids ?? null,
        c.method === undefined ? 'open' : c.method, c.details ?? null, c.framework ?? false, c.callOff ?? false, c.initialDays ?? null, c.days ?? null, c.initialMonths ?? null, c.months ?? null].map(lit).join(', ')})`;
    });
    await store.run(`INSERT INTO contracts (ocid, contract_id, award_id, buyer_id, year, signed_day, publication_delay_days, decp_version, record_type, main_category, currency,
      initial_amount, amount, amendments, corrections, suppliers, suppliers_changed, bids, procurement_method, procurement_method_details, framework_agreement, call_off,
      initial_duration_days, duration_days, initial_duration_months, duration_months) VALUES ${rows.join(', ')}`);
    const amendments = (o.amendments ?? []).map((a) => `(${[`o-${a.contract}`, a.contract, a.position, `r-${a.contract}-${a.position}`, a.date, a.amount, a.correction ?? false, a.suppliers ?? null, a.currency ?? 'EUR'].map(lit).join(', ')})`);
    if (amendments.length > 0) await store.run(`INSERT INTO amendments (ocid, contract_id, position, release_id, date, amount, correction, suppliers, currency) VALUES ${amendments.join(', ')}`);
    const drops = (o.drops ?? []).map((release) => `(${lit(`o-${release.split('-')[1]!}`)}, ${lit(release)}, 'MODIFICATION_AMOUNT_DROP')`);
    if (drops.length > 0) await store.run(`INSERT INTO quality_flags (ocid, release_id, code) VALUES ${drops.join(', ')}`);
    await store.run(`CREATE TEMP TABLE recompiled_contracts AS SELECT ${RED_FLAG_CONTRACT_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM contracts WHERE duplicate_of IS NULL`);
    for (const sql of RED_FLAG_SQL) await store.run(sql);
    const flags = await store.rows<{ code: string; contract_id: string; threshold: number }>('SELECT code, contract_id, threshold FROM red_flags ORDER BY code, contract_id');
    return flags.map((r) => (o.thresholds === true ? [r.code, r.contract_id, r.threshold] : [r.code, r.contract_id]));
  } finally {
    await store.close();
  }
}

test('the safe harbour: 10 % for every concession, works included (R.3135-8); an increase without a modification, or a partner\'s, is none', async () => {
  expect(
    await flagsOf([
      { id: 'concession-works-12', recordType: 'contrat-concession', category: 'works', amount: 112000, amendments: 1 },
      { id: 'marche-works-12', category: 'works', amount: 112000, amendments: 1 },
      { id: 'no-modification', amount: 200000, amendments: 0 },
      { id: 'partner-20', decp: null, amount: 120000, amendments: 1 },
    ]),
  ).toEqual([['AMENDMENT_OVER_SAFE_HARBOUR', 'concession-works-12']]);
});

test("the safe harbour is also lost by an increase of the EU procedure threshold or more, whatever its share (R.2194-8, R.3135-8: red-flags.md §3.4 4 \"also requires staying under the EU threshold\"; found by a monitor's probe: a 3 M€ services contract raised by 270,000 €, 9 %, was not flagged)", async () => {
  const raised = (id: string, initial: number, amount: number, extra: Partial<Contract> = {}): Contract => ({ id, initial, amount, amendments: 1, ...extra });
  expect(
    await flagsOf(
      [
        // supplies and services, 2024–2025: 221,000 €
        raised('services-9pc', 3000000, 3270000),
        raised('services-at-eu', 3000000, 3221000),
        raised('services-under-eu', 3000000, 3220999.99),
        // works: 5,538,000 € (and 15 %)
        raised('works-at-eu', 40000000, 45538000, { category: 'works' }),
        raised('works-under-eu', 40000000, 45537999, { category: 'works' }),
        // a concession's EU threshold is the works' one, whatever its nature
        raised('concession-services-at-eu', 60000000, 65538000, { recordType: 'contrat-concession' }),
        raised('concession-services-under-eu', 60000000, 65537999, { recordType: 'contrat-concession' }),
        // the threshold of the notification day: 2026–2027, 216,000 €
        raised('services-2026', 3000000, 3216000, { signed: '2026-02-01' }),
        // not in another currency, nor a partner's (its own law), nor without a real modification
        raised('usd', 3000000, 3270000, { currency: 'USD' }),
        raised('partner', 3000000, 3270000, { decp: null }),
        raised('corrected', 3000000, 3270000, { corrections: 1 }),
        // the share still decides first: 10 %+ of a small contract
        raised('services-11pc', 100000, 111000),
      ],
      { thresholds: true },
    ).then((flags) => flags.filter(([code]) => code === 'AMENDMENT_OVER_SAFE_HARBOUR')),
  ).toEqual([
    ['AMENDMENT_OVER_SAFE_HARBOUR', 'concession-services-at-eu', 0.0923],
    ['AMENDMENT_OVER_SAFE_HARBOUR', 'services-11pc', 0.1],
    ['AMENDMENT_OVER_SAFE_HARBOUR', 'services-2026', 0.072],
    ['AMENDMENT_OVER_SAFE_HARBOUR', 'services-9pc', 0.073666667],
    ['AMENDMENT_OVER_SAFE_HARBOUR', 'services-at-eu', 0.073666667],
    ['AMENDMENT_OVER_SAFE_HARBOUR', 'works-at-eu', 0.13845],
  ]);
});

test('a duration extended past 1.5 times is measured in days when the months after modifications are not known', async () => {
  expect(await flagsOf([{ id: 'days', initialMonths: 12, months: null, initialDays: 366, days: 731 }])).toEqual([['DURATION_EXTENDED', 'days']]);
});

test('SINGLE_BID is one offer: no offer at all is not it', async () => {
  expect(await flagsOf([{ id: 'none', bids: 0 }, { id: 'one', bids: 1 }])).toEqual([['SINGLE_BID', 'one']]);
});

test("the rules of French law are DECP marchés': no late publication for a concession, no four-year cap or half-the-value step for a partner's contract", async () => {
  expect(
    await flagsOf(
      [
        { id: 'concession-late', recordType: 'contrat-concession', delay: 90 },
        { id: 'marche-late', delay: 90 },
        { id: 'partner-framework', decp: null, framework: true, initialMonths: 60 },
        { id: 'partner-half', decp: null, amount: 160000, amendments: 1 },
      ],
      { amendments: [{ contract: 'partner-half', position: 1, date: '2024-06-01T00:00:00Z', amount: 160000 }] },
    ),
  ).toEqual([['LATE_PUBLICATION', 'marche-late']]);
});

test('corrections are no steps of the value: a typo corrected on the day (100,000 € then 500,000 € then 300,000 €) is not a modification adding over half', async () => {
  expect(
    await flagsOf([{ id: 'corrected', initial: 300000, amount: 330000, amendments: 3, corrections: 2 }], {
      amendments: [
        { contract: 'corrected', position: 1, date: '2024-01-10T00:00:00Z', amount: 500000, correction: true },
        { contract: 'corrected', position: 2, date: '2024-01-10T00:00:00Z', amount: 300000, correction: true },
        { contract: 'corrected', position: 3, date: '2024-06-01T00:00:00Z', amount: 330000 },
      ],
    }),
  ).toEqual([]);
});

test('two increases within 90 days: a total flagged a drop is no value before the next; a total repeated is no increase; a date counts as its nearest midnight', async () => {
  const mods = (contract: string, list: ReadonlyArray<readonly [string, number]>): Amendment[] => list.map(([date, amount], k) => ({ contract, position: k + 1, date, amount }));
  expect(
    await flagsOf(
      [
        { id: 'drop', amount: 4000, amendments: 3 },
        { id: 'repeated', amount: 105000, amendments: 2 },
        // a DECP date (Paris midnight, 23:00 UTC the day before) and a UTC midnight 90 days later
        { id: 'midnight', amount: 108000, amendments: 2 },
      ],
      {
        amendments: [
          ...mods('drop', [['2024-06-01T00:00:00Z', 2000], ['2024-06-10T00:00:00Z', 3000], ['2024-06-20T00:00:00Z', 4000]]),
          ...mods('repeated', [['2024-06-01T00:00:00Z', 105000], ['2024-06-10T00:00:00Z', 105000]]),
          ...mods('midnight', [['2024-03-02T00:00:00+01:00', 105000], ['2024-05-31T00:00:00Z', 108000]]),
        ],
        drops: ['r-drop-1'],
      },
    ),
  ).toEqual([['REPEATED_INCREASES', 'midnight']]);
});

test("a new total in another currency than the contract's is no step of its value (found by a flags probe: a partner's value given in UAH, USD, UAH, USD, UAH was two increases within 90 days of a value that never changed)", async () => {
  const mods = (contract: string, list: ReadonlyArray<readonly [string, number, string]>): Amendment[] => list.map(([date, amount, currency], k) => ({ contract, position: k + 1, date, amount, currency }));
  expect(
    await flagsOf(
      [
        { id: 'uah-usd', decp: null, currency: 'UAH', initial: 1000000, amount: 1000000, amendments: 4 },
        // the same in one currency, raised twice (flagged)
        { id: 'uah-up', decp: null, currency: 'UAH', initial: 1000000, amount: 1200000, amendments: 2 },
      ],
      {
        amendments: [
          ...mods('uah-usd', [['2024-06-01T00:00:00Z', 27000, 'USD'], ['2024-06-10T00:00:00Z', 1000000, 'UAH'], ['2024-06-20T00:00:00Z', 27000, 'USD'], ['2024-06-30T00:00:00Z', 1000000, 'UAH']]),
          ...mods('uah-up', [['2024-06-01T00:00:00Z', 1100000, 'UAH'], ['2024-06-10T00:00:00Z', 1200000, 'uah']]),
        ],
      },
    ),
  ).toEqual([['REPEATED_INCREASES', 'uah-up']]);
});

test("the modifications of one day are one change, to the day's last total (found by a monitor's probe: a total given then corrected on the day was a modification adding +100 %, and two steps of +30 % on one day were two increases but no step over half)", async () => {
  const mods = (contract: string, list: ReadonlyArray<readonly [string, number]>): Amendment[] => list.map(([date, amount], k) => ({ contract, position: k + 1, date, amount }));
  const paris = (day: string): string => `${day}T00:00:00+02:00`;
  expect(
    await flagsOf(
      [
        // 200,000 then 110,000 on one day: +10 %, not +100 % then −90 %
        { id: 'typo-corrected', amount: 110000, amendments: 2 },
        // +30 % twice on one day: one change of +60 %, and one increase
        { id: 'one-day-60', amount: 160000, amendments: 2 },
        // the same on two days: two steps of +30 %, two increases
        { id: 'two-days-60', amount: 160000, amendments: 2 },
        // +60 % then a change written where the total belongs (a drop) on the day: still +60 %
        { id: 'dropped', amount: 4000, amendments: 2 },
        // one day, another, then the first day again (out of order): three changes
        { id: 'not-consecutive', amount: 150000, amendments: 3 },
      ],
      {
        amendments: [
          ...mods('typo-corrected', [[paris('2024-06-01'), 200000], [paris('2024-06-01'), 110000]]),
          ...mods('one-day-60', [[paris('2024-06-01'), 130000], [paris('2024-06-01'), 160000]]),
          ...mods('two-days-60', [[paris('2024-06-01'), 130000], [paris('2024-06-02'), 160000]]),
          ...mods('dropped', [[paris('2024-06-01'), 160000], [paris('2024-06-01'), 4000]]),
          ...mods('not-consecutive', [[paris('2024-06-01'), 120000], [paris('2024-06-02'), 140000], [paris('2024-06-01'), 150000]]),
        ],
        drops: ['r-dropped-2'],
      },
    ).then((flags) => flags.filter(([code]) => code === 'AMENDMENT_OVER_HALF' || code === 'REPEATED_INCREASES')),
  ).toEqual([
    ['AMENDMENT_OVER_HALF', 'dropped'],
    ['AMENDMENT_OVER_HALF', 'one-day-60'],
    ['REPEATED_INCREASES', 'not-consecutive'],
    ['REPEATED_INCREASES', 'two-days-60'],
  ]);
});

test('suppliers changed: a DECP contract whose modifications added or removed one (contracts.suppliers_changed, worked out by flatten); not when none, nor when unknown, nor a partner\'s', async () => {
  expect(
    await flagsOf([
      { id: 'changed', amendments: 1, suppliersChanged: 2 },
      { id: 'same', amendments: 1, suppliersChanged: 0 },
      { id: 'unknown', amendments: 1, suppliersChanged: null },
      { id: 'partner', decp: null, amendments: 1, suppliersChanged: 2 },
    ]),
  ).toEqual([['SUPPLIERS_CHANGED', 'changed']]);
});

test('a threshold is crossed from under it (M0 < T ≤ MJ): not from a value already at it; not by a contract in another currency', async () => {
  // (works: +11 % stays within their 15 % safe harbour)
  const mapa = { method: 'open', details: 'Procédure adaptée', category: 'works', amendments: 1 } as const;
  expect(
    await flagsOf([
      { id: 'at-90000', ...mapa, initial: 90000, amount: 100000 },
      { id: 'under-90000', ...mapa, initial: 89999, amount: 100000 },
      { id: 'usd', ...mapa, currency: 'USD', initial: 89999, amount: 100000 },
    ]),
  ).toEqual([['THRESHOLD_CROSSED', 'under-90000']]);
});

test("a call-off of a framework agreement coded as a procédure adaptée crosses no advertising threshold of its own: it is awarded under its framework, as one coded without competition (found by a monitor's audit); the EU threshold still applies", async () => {
  const mapa = { method: null, details: 'Procédure adaptée', category: 'services', amendments: 1 } as const;
  expect(
    await flagsOf([
      { id: 'call-off-90000', ...mapa, callOff: true, initial: 80000, amount: 95000 },
      { id: 'call-off-eu', ...mapa, callOff: true, initial: 200000, amount: 230000 },
      { id: 'marche-90000', ...mapa, initial: 80000, amount: 95000 },
    ]).then((flags) => flags.filter(([code]) => code === 'THRESHOLD_CROSSED')),
  ).toEqual([
    ['THRESHOLD_CROSSED', 'call-off-eu'],
    ['THRESHOLD_CROSSED', 'marche-90000'],
  ]);
});
