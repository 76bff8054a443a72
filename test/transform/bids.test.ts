/** A partner's offers (bids.details) and tender period → the rows of tenders, bids, bid_tenderers (pure). */
import { flattenProcess, type SourcedRelease } from '../../src/transform/flatten.js';
import type { JsonValue } from '../../src/transform/compile/merge.js';

type Obj = { [k: string]: JsonValue };

const release: Obj = {
  ocid: 'ocds-bidtst-1',
  id: 'r1',
  date: '2024-02-01T00:00:00Z',
  tag: ['tender', 'award'],
  parties: [
    { id: 'B', name: 'Buyer', roles: ['buyer'] },
    { id: 'FR-RCS-55208131700000', name: 'Société', identifier: { scheme: 'FR-RCS', id: '55208131700000' }, roles: ['tenderer', 'supplier'] },
    { id: 'T2', name: 'Other', identifier: { scheme: 'XX-REG', id: '2' }, roles: ['tenderer'] },
  ],
  buyer: { id: 'B' },
  tender: { id: 't', procurementMethod: 'open', awardCriteria: 'priceOnly', tenderPeriod: { startDate: '2024-01-01T00:00:00Z', endDate: '2024-01-02T12:00:00Z' } },
  bids: {
    details: [
      // a tenderer referenced by its identifier only (Prozorro's): its party; a consortium of two
      { id: 'b1', status: 'valid', date: '2024-01-02T10:00:00Z', value: { amount: 1000, currency: 'EUR' }, tenderers: [{ identifier: { scheme: 'FR-RCS', id: '55208131700000' } }] },
      { id: 'b2', status: 'disqualified', date: '2024-01-02T11:00:00Z', value: { amount: 900, currency: 'EUR' }, tenderers: [{ id: 'T2' }, { id: 'FR-RCS-55208131700000' }], relatedLots: ['L1', 'L2'] },
      // no id, no value, no tenderer
      { status: 'withdrawn' },
    ],
  },
  awards: [{ id: 'a1', status: 'active', suppliers: [{ id: 'FR-RCS-55208131700000' }] }],
};
const sourced: SourcedRelease[] = [{ release, sourceSha256: 'sha', sourceIndex: 3 }];

test('each offer one row of bids, each of its tenderers one of bid_tenderers (by party id, a reference by identifier its party\'s); the tender and its period one row of tenders', () => {
  const out = flattenProcess('ocds-bidtst-1', sourced, release);
  expect(out.tenders).toEqual([
    { ocid: 'ocds-bidtst-1', buyer_id: 'B', procurement_method: 'open', procurement_method_details: null, award_criteria: 'priceOnly', period_start: '2024-01-01T00:00:00Z', period_end: '2024-01-02T12:00:00Z', period_days: 1.5, bids: 3, year: 2024, source_sha256: 'sha', source_index: 3 },
  ]);
  expect(out.bids.map((b) => [b['bid_id'], b['status'], b['date'], b['amount'], b['currency'], b['tenderers'], b['related_lots'], b['year'], b['source_index']])).toEqual([
    ['b1', 'valid', '2024-01-02T10:00:00Z', 1000, 'EUR', 1, null, 2024, 3],
    ['b2', 'disqualified', '2024-01-02T11:00:00Z', 900, 'EUR', 2, 'L1,L2', 2024, 3],
    ['#3', 'withdrawn', null, null, null, 0, null, 2024, 3],
  ]);
  expect(out.bid_tenderers.map((t) => [t['bid_id'], t['party_id']])).toEqual([
    ['b1', 'FR-RCS-55208131700000'],
    ['b2', 'T2'],
    ['b2', 'FR-RCS-55208131700000'],
  ]);
  // (the French tenderer's legal unit: by its party row, as the other tables join it)
  expect(out.parties.find((p) => p['party_id'] === 'FR-RCS-55208131700000')?.['siren']).toBe('552081317');
});

test('a DECP process (offers as a count, bids.statistics; no tender period) has no row in tenders, bids or bid_tenderers', () => {
  const r: Obj = {
    ocid: 'ocds-78apv2-1-A', id: 'v0', date: '2024-03-25T00:00:00+01:00', tag: ['award', 'contract'],
    parties: [{ id: 'FR-RCS-21000000000001', roles: ['buyer'] }], buyer: { id: 'FR-RCS-21000000000001' },
    tender: { id: 'A', procurementMethod: 'open' },
    bids: { statistics: [{ id: 'bids-k1', measure: 'bids', value: 3 }] },
    awards: [{ id: 'k1', status: 'active', value: { amount: 100, currency: 'EUR' } }],
    contracts: [{ id: 'k1', awardID: 'k1', value: { amount: 100, currency: 'EUR' } }],
    x_decp: { formatVersion: '2024', recordType: 'marche' },
  };
  const out = flattenProcess('ocds-78apv2-1-A', [{ release: r, sourceSha256: 's', sourceIndex: 0 }], r);
  expect(out.contracts[0]?.['bids']).toBe(3);
  expect(out.contracts.length).toBeGreaterThan(0);
  expect([out.tenders, out.bids, out.bid_tenderers]).toEqual([[], [], []]);
});
