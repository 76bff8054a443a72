/**
 * The validation report's tallies: releases counted one by one (with findings)
 * and in bulk (without: what the store counts in SQL) add up the same way.
 */
import { BUYERS_LISTED, NO_BUYER, renderHtml, ValidationReport, type Finding, type Located } from '../../src/validate/report.js';

const at = (file: string, buyer: string | null, k: number): Located => ({ file, line: k + 1, index: k, ocid: `ocds-x-${k}`, releaseId: `r-${k}`, buyer });
const warning: Finding = { kind: 'check', rule: 'check.example', severity: 'warning', pointer: '/date', message: 'example' };
const error: Finding = { kind: 'schema', rule: 'schema.type /date', severity: 'error', pointer: '/date', message: 'must be string' };

test('bulk counts of clean releases give the same summary, files and buyers as adding them one by one', () => {
  const one = new ValidationReport(['schema']);
  const bulk = new ValidationReport(['schema']);
  const clean: Array<[string, string | null]> = [];
  for (let k = 0; k < 500; k++) clean.push([k % 3 === 0 ? 'a.json' : 'b.json', k % 7 === 0 ? null : `buyer-${String(k % 150).padStart(3, '0')}`]);
  for (const [k, [file, buyer]] of clean.entries()) one.add(at(file, buyer, k), []);
  const problems: Array<[Located, Finding[]]> = [
    [at('a.json', 'buyer-120', 1000), [error]],
    [at('b.json', 'buyer-149', 1001), [warning, warning]],
    [at('c.json', null, 1002), [error, warning]],
  ];
  for (const [where, findings] of problems) {
    one.add(where, findings);
    bulk.add(where, findings);
  }
  // what the store returns: every file; the buyers with findings, then the first others by name
  const byFile = new Map<string, number>();
  const byBuyer = new Map<string, number>();
  for (const [file, buyer] of clean) {
    byFile.set(file, (byFile.get(file) ?? 0) + 1);
    byBuyer.set(buyer ?? NO_BUYER, (byBuyer.get(buyer ?? NO_BUYER) ?? 0) + 1);
  }
  const withFindings = new Set(problems.map(([w]) => w.buyer ?? NO_BUYER));
  const listed = [...byBuyer.entries()].filter(([b]) => withFindings.has(b));
  listed.push(
    ...[...byBuyer.entries()]
      .filter(([b]) => !withFindings.has(b))
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .slice(0, BUYERS_LISTED),
  );
  bulk.addValidCounts(byFile, listed);
  expect(bulk.summary()).toEqual(one.summary());
  expect(bulk.summary().releases).toBe(503);
  expect(bulk.sourceList()).toEqual(one.sourceList());
  expect(bulk.buyerList()).toEqual(one.buyerList());
  expect(bulk.buyerList(10)).toEqual(one.buyerList(10));
  // errors first, then warnings (an error above two warnings), then by name; no buyer is counted under NO_BUYER
  expect(bulk.buyerList().slice(0, 3).map((b) => b.buyer)).toEqual([NO_BUYER, 'buyer-120', 'buyer-149']);
  expect(bulk.buyerList()).toHaveLength(BUYERS_LISTED);
});

// An auditor reads "record 1" as the first record of the file, and a DECP marché's id as its id, not a
// release's: the page counts records from 1 and names the id as the caller says; the JSON and CSV
// rows keep their machine fields, index from 0 and releaseId (found by a probe)
test('the HTML page counts an example\'s record from 1, says so, and names its id as the caller does (a DECP id is no release)', () => {
  const report = new ValidationReport(['schema']);
  const rows = report.add({ file: 'marches.json', line: 3, index: 0, ocid: null, releaseId: '2010345211200', buyer: null }, [error]);
  expect(rows.map((r) => [r.index, r.releaseId])).toEqual([[0, '2010345211200']]);
  const meta = { title: 'DECP source validation report', generatedAt: '2026-01-01T00:00:00Z', legend: {}, unit: 'DECP records' };
  const decp = renderHtml(report, { ...meta, idLabel: 'DECP id' });
  expect(decp).toContain('<div class="muted">marches.json, line 3, record 1, DECP id 2010345211200</div>');
  expect(decp).not.toMatch(/record 0|release 2010345211200/);
  expect(decp).toContain('lines and records of a file counted from 1; the <code>index</code> of the JSON and CSV reports counts records from 0');
  // an OCDS release's id is a release's, by default
  expect(renderHtml(report, meta)).toContain('marches.json, line 3, record 1, release 2010345211200</div>');
});

// the JSON and CSV rows name a record by its ocid (for a DECP record, the one convert and run give
// it); the page's examples named it by its id alone
test('the HTML page names an example by its ocid, as the JSON and CSV rows do, then by its id', () => {
  const report = new ValidationReport(['schema']);
  report.add({ file: 'marches.json', line: 3, index: 0, ocid: 'ocds-78apv2-21350238800019-2010345211200', releaseId: '2010345211200', buyer: '21350238800019' }, [error]);
  report.add({ file: 'marches.json', line: 4, index: 1, ocid: null, releaseId: '2024-17', buyer: null }, [error]);
  const meta = { title: 'DECP source validation report', generatedAt: '2026-01-01T00:00:00Z', legend: {}, unit: 'DECP records', idLabel: 'DECP id' };
  const page = renderHtml(report, meta);
  expect(page).toContain('marches.json, line 3, record 1, ocid ocds-78apv2-21350238800019-2010345211200, DECP id 2010345211200</div>');
  expect(page).toContain('marches.json, line 4, record 2, DECP id 2024-17</div>');
  // (escaped as any text of the data)
  const hostile = new ValidationReport(['schema']);
  hostile.add({ file: 'r.json', line: 1, index: 0, ocid: '<b>x</b>', releaseId: 'r', buyer: null }, [error]);
  expect(renderHtml(hostile, { ...meta, idLabel: 'release' })).toContain('r.json, line 1, record 1, ocid &#60;b&#62;x&#60;/b&#62;, release r</div>');
});
