/** `decp-ocds validate`: reports that add up, official vs ours, escaping, exit codes. */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { DECLARED_EXTENSIONS } from '../../src/validate/schema-source/ocds.js';
import { tempDir } from '../helpers/tmp.js';
import { PERSON_WITHHELD } from '../../src/validate/persons.js';

const tmp = (): string => tempDir('decp-ocds-validate-');
const SCHEMAS = new URL('../../schemas/', import.meta.url).pathname;
type Report = { summary: Record<string, unknown>; rules: Array<Record<string, unknown>>; sources: unknown[]; buyers: unknown[]; findings: Array<Record<string, unknown>> };

let releasesFile = '';
let hostileFile = '';
beforeAll(async () => {
  const dir = tmp();
  releasesFile = join(dir, 'releases.jsonl');
  const r = await runCli(['convert', join(SHARED, 'decp/samples'), '-o', releasesFile, '--run-date', '2026-01-01T00:00:00Z']);
  expect(r.code).toBe(0);
  // a few broken releases, one of them hostile
  const base = JSON.parse(readFileSync(releasesFile, 'utf8').split('\n')[0]!) as Record<string, unknown>;
  const broken = [
    { ...base, id: 'bad-1', tag: ['auction'], date: 'yesterday' },
    { ...base, id: 'bad-2', initiationType: undefined, awards: [{ id: '', title: 'x', status: '<script>alert("x")</script>' }] },
    { ...base, id: '=HYPERLINK("http://evil.example")', ocid: 'not-an-ocid' },
  ];
  hostileFile = join(dir, 'hostile.jsonl');
  writeFileSync(hostileFile, broken.map((b) => JSON.stringify(b)).join('\n'));
});

test('ours and the official schema give identical reports on the releases converted from the samples', async () => {
  const dir = tmp();
  const a = await runCli(['validate', releasesFile, '--report', join(dir, 'ours.json')]);
  const officialArgs = ['--schema', join(SHARED, 'ocds/1.1.5/release-schema.json'), ...DECLARED_EXTENSIONS.flatMap((e) => ['--extension', join(SHARED, 'ocds/extensions', e, 'release-schema.json')]), '--extension', join(SCHEMAS, 'x_decp/release-schema.json')];
  const b = await runCli(['validate', releasesFile, ...officialArgs, '--report', join(dir, 'official.json')]);
  expect(a.code).toBe(b.code);
  const ours = JSON.parse(readFileSync(join(dir, 'ours.json'), 'utf8')) as Report;
  const official = JSON.parse(readFileSync(join(dir, 'official.json'), 'utf8')) as Report;
  delete ours.summary['schema'];
  delete official.summary['schema'];
  expect(ours).toEqual(official);
  expect(ours.summary['releases']).toBeGreaterThan(6000);
  expect(ours.summary['invalid']).toBe(0);
});

test('reports add up: JSON, CSV rows, summary line; exit 1 when errors are found', async () => {
  const dir = tmp();
  const r = await runCli(['validate', hostileFile, releasesFile, '--report', join(dir, 'r.json'), '--report', join(dir, 'r.csv'), '--report', join(dir, 'r.html')]);
  expect(r.code).toBe(1);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  const s = rep.summary as Record<string, number>;
  expect(Object.keys(rep)).toEqual(['summary', 'rules', 'sources', 'buyers', 'buyersTotal', 'findings']);
  // every line of both files is a release (counted here, not by the report); valid + invalid = releases
  const lines = (f: string): number => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
  expect(s['releases']).toBe(lines(hostileFile) + lines(releasesFile));
  expect(s['valid']).toBe(rep.sources.reduce((n: number, x) => n + ((x as { releases: number; invalid: number }).releases - (x as { invalid: number }).invalid), 0));
  expect(s['invalid']).toBe(2); // the third is schema-valid: only checks fail (ocid prefix)
  const byRule = (sev: string): number => rep.rules.filter((x) => x['severity'] === sev).reduce((n, x) => n + (x['count'] as number), 0);
  expect(byRule('error')).toBe(s['errors']);
  expect(byRule('warning')).toBe(s['warnings']);
  expect(rep.findings).toHaveLength(s['errors']! + s['warnings']!);
  expect(s['errors']).toBe(s['schemaErrors']! + s['inputErrors']! + s['checkErrors']!);
  const csv = readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('file,line,index,ocid,release_id,buyer,severity,rule,pointer,message,value');
  expect(csv.length - 1).toBe(rep.findings.length);
  expect(rep.rules.map((x) => x['rule'])).toEqual(expect.arrayContaining(['schema.enum /tag/*', 'schema.format /date', 'schema.required /initiationType', 'schema.minLength /awards/*/id', 'check.ocid-prefix']));
  expect(r.stderr).toMatch(new RegExp(`^decp-ocds: ${s['releases']} releases validated: ${s['valid']} valid, 2 invalid \\(with a schema or input error\\); ${s['errors']} errors`, 'm'));
  // the page says where every finding is, or that no such report was written
  expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('is in <code>r.json</code> and <code>r.csv</code>, written with this page');
  await runCli(['validate', hostileFile, '--report', join(dir, 'alone.html')]);
  expect(readFileSync(join(dir, 'alone.html'), 'utf8')).toContain('not written this time');
  // provenance of examples
  const ex = (rep.rules.find((x) => x['rule'] === 'schema.enum /tag/*')!['examples'] as Array<Record<string, unknown>>)[0]!;
  expect(ex).toMatchObject({ file: hostileFile, line: 1, index: 0, releaseId: 'bad-1', pointer: '/tag/0', value: 'auction' });
});

test('CSV cells that a spreadsheet would run are neutralised', async () => {
  const dir = tmp();
  await runCli(['validate', hostileFile, '--report', join(dir, 'r.csv')]);
  const text = readFileSync(join(dir, 'r.csv'), 'utf8');
  expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
});

const CHROMIUM = '/usr/bin/chromium';
// without Debian's chromium (a developer's machine), the browser test is reported as skipped, not
// passed; in CI (which installs it) a missing browser fails
const withBrowser = existsSync(CHROMIUM) || process.env['CI'] === 'true' ? test : test.skip;

withBrowser('the HTML report renders in a real browser, without console errors, data shown as text', async () => {
  const exe = CHROMIUM;
  if (!existsSync(exe)) throw new Error('Debian chromium is missing: .ci/run installs it');
  const dir = tmp();
  const html = join(dir, 'r.html');
  await runCli(['validate', hostileFile, releasesFile, '--report', html]);
  const text = readFileSync(html, 'utf8');
  expect(text).not.toMatch(/<script/i);
  expect(text).not.toMatch(/(src|href)="https?:/i);
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`network: ${r.url()}`);
    });
    await page.goto(`file://${html}`);
    expect(await page.title()).toBe('OCDS validation report');
    expect(await page.textContent('#verdict')).toMatch(/Errors found/);
    expect(await page.textContent('#n-invalid')).toBe('2');
    expect(await page.locator('#rules tbody tr').count()).toBeGreaterThan(4);
    // each table is named (caption) and its header cells are column headers, for screen readers
    for (const name of ['Findings by rule', 'Releases and findings by source file', 'Releases and findings by buyer']) expect(await page.getByRole('table', { name }).count()).toBe(1);
    expect(await page.locator('th:not([scope="col"])').count()).toBe(0);
    // the page says where the findings it does not show are
    expect(await page.textContent('body')).toMatch(/Every finding, with its file, line, record and field, is listed in a JSON or CSV report/);
    // the hostile title is shown as text, never run
    expect(await page.textContent('body')).toContain('<script>alert("x")</script>');
    expect(await page.locator('script').count()).toBe(0);
    await page.screenshot({ path: process.env['REPORT_SCREENSHOT'] ?? join(dir, 'report.png'), fullPage: false });
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});

test.each([
  [['--schema', '/nonexistent/schema.json'], /^decp-ocds: VALIDATE_SCHEMA_LOAD: cannot read the release schema/m],
  [['--report', 'x.txt'], /^decp-ocds: CLI_INVALID_OPTION: --report x.txt/m],
  // a JSON file that is no release schema would take every release as valid
  [['--schema', join(SCHEMAS, 'x_decp/extension.json')], /^decp-ocds: VALIDATE_SCHEMA_LOAD: .*extension\.json is not an OCDS release schema: its properties lack ocid, id, date, tag/m],
])('%j cannot run: exit 2 and one line', async (args, message) => {
  const r = await runCli(['validate', hostileFile, ...args]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
});

test('no error: exit 0', async () => {
  const dir = tmp();
  const f = join(dir, 'one.jsonl');
  writeFileSync(f, readFileSync(releasesFile, 'utf8').split('\n')[0]!);
  const r = await runCli(['validate', f]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/1 releases validated: 1 valid, 0 invalid \(with a schema or input error\); 0 errors/);
});

test('--decp validates the source records: schema errors per record (README counts) and DECP checks', async () => {
  const dir = tmp();
  const r = await runCli(['validate', '--decp', join(SHARED, 'decp/samples'), '--report', join(dir, 'd.json')]);
  expect(r.code).toBe(1);
  const rep = JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8')) as Report;
  expect(rep.summary).toMatchObject({ releases: 6007, valid: 5524, invalid: 483 });
  const rules = new Map(rep.rules.map((x) => [x['rule'] as string, x['count'] as number]));
  for (const rule of ['decp.siret', 'decp.amount', 'decp.duplicate-id', 'decp.date-order', 'decp.cpv', 'schema.additionalProperties /_type']) expect(rules.get(rule)).toBeGreaterThan(0);
  const siret = rep.findings.filter((f) => f['rule'] === 'decp.siret');
  expect(siret.some((f) => String(f['message']).includes('Luhn'))).toBe(true);
  expect(r.stderr).toMatch(/6007 DECP records validated: 5524 valid, 483 invalid/);
});

test('--decp reads DECP XML values as the XSD does (numbers, integers, oui/non, true/false): only what the XSD refuses is a type error', async () => {
  const dir = tmp();
  const xml = readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.3/examples/xml/Marche.xml'), 'utf8');
  const good = join(dir, 'good.xml');
  writeFileSync(good, xml);
  const r = await runCli(['validate', '--decp', good, '--report', join(dir, 'good.json')]);
  const rep = JSON.parse(readFileSync(join(dir, 'good.json'), 'utf8')) as Report;
  expect(rep.findings.filter((f) => String(f['rule']).startsWith('schema.'))).toEqual([]);
  // (the example's subcontractor has a SIRET of 6 digits, in each of its two records: what convert flags too, the only errors)
  expect(rep.findings.filter((f) => f['severity'] === 'error').map((f) => [f['rule'], f['pointer']])).toEqual([0, 1].map(() => ['decp.siret', '/actesSousTraitance/0/acteSousTraitance/sousTraitant/id']));
  expect(r.code).toBe(1);
  // the same file with values the XSD refuses: those, and only those, are type errors
  expect(xml).toMatch(/<offresRecues>4<\/offresRecues>/);
  const bad = join(dir, 'bad.xml');
  writeFileSync(bad, xml.replace('<offresRecues>4</offresRecues>', '<offresRecues>quatre</offresRecues>').replace(/<marcheInnovant>\w+<\/marcheInnovant>/, '<marcheInnovant>peut-être</marcheInnovant>'));
  const b = await runCli(['validate', '--decp', bad, '--report', join(dir, 'bad.json')]);
  expect(b.code).toBe(1);
  const badRep = JSON.parse(readFileSync(join(dir, 'bad.json'), 'utf8')) as Report;
  const types = badRep.findings.filter((f) => String(f['rule']).startsWith('schema.type')).map((f) => [f['index'], f['pointer'], f['value']]);
  expect(types).toEqual([
    [0, '/marcheInnovant', 'peut-être'],
    [0, '/offresRecues', 'quatre'],
  ]);
});

test('--decp on XML: what only the JSON schema refuses is no error (2019 concession texts without a length in the XSD, 2024 empty <origineUE/>)', async () => {
  const dir = tmp();
  // the 2019 XSD types a concession's objet, lieuExecution/code and a tariff's intituleTarif as plain xs:string
  const cc = readFileSync(join(SHARED, 'decp/schemas/2019-v1.5.0/examples/xml/cc-basique.xml'), 'utf8');
  expect(cc).toMatch(/<code>12145<\/code>/);
  const long = join(dir, 'cc-long.xml');
  writeFileSync(
    long,
    cc
      .replace(/<objet>[^<]*<\/objet>/, `<objet>${'Construction et exploitation '.repeat(10)}</objet>`)
      .replace('<code>12145</code>', '<code>1214500</code>')
      .replace('<donneesExecution/>', `<donneesExecution><donneesAnnuelles><datePublicationDonneesExecution>2002-01-01</datePublicationDonneesExecution><depensesInvestissement>10</depensesInvestissement><tarifs><tarif><intituleTarif>${'Tarif '.repeat(60)}</intituleTarif><tarif>3.5</tarif></tarif></tarifs></donneesAnnuelles></donneesExecution>`),
  );
  // the 2024 XSD (2.0.2) takes an empty origineUE / origineFrance ("not concerned")
  const m = readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.3/examples/xml/Marche.xml'), 'utf8');
  expect(m).toMatch(/<origineUE>0.1<\/origineUE>/);
  const empty = join(dir, 'empty-origine.xml');
  writeFileSync(empty, m.replace('<origineUE>0.1</origineUE>', '<origineUE></origineUE>').replace('<origineFrance>0.1</origineFrance>', '<origineFrance/>'));
  await runCli(['validate', '--decp', long, empty, '--report', join(dir, 'r.json')]);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  expect(rep.findings.filter((f) => String(f['rule']).startsWith('schema.')).map((f) => [f['rule'], f['pointer']])).toEqual([]);
  // the same texts in JSON stay the JSON schema's errors; a text where the XSD wants a number too
  const bad = join(dir, 'bad-origine.xml');
  writeFileSync(bad, m.replace('<origineUE>0.1</origineUE>', '<origineUE>beaucoup</origineUE>'));
  await runCli(['validate', '--decp', bad, '--report', join(dir, 'b.json')]);
  const b = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as Report;
  expect(b.findings.filter((f) => String(f['rule']).startsWith('schema.')).map((f) => [f['index'], f['rule'], f['pointer']])).toEqual([[0, 'schema.type /origineUE', '/origineUE']]);
});

test('--decp on XML of the 2.0.0 XSD: oui/non is no xs:boolean (only the 2.0.2 XSD takes them)', async () => {
  const dir = tmp();
  const xml = readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.0/examples/xml/mar-basique.xml'), 'utf8');
  expect(xml).toMatch(/<marcheInnovant>1<\/marcheInnovant>/);
  const f = join(dir, 'oui.xml');
  writeFileSync(f, xml.replace('<marcheInnovant>1</marcheInnovant>', '<marcheInnovant>oui</marcheInnovant>'));
  await runCli(['validate', '--decp', f, '--report', join(dir, 'r.json')]);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  expect(rep.findings.filter((x) => String(x['rule']).startsWith('schema.')).map((x) => [x['rule'], x['value']])).toEqual([['schema.type /marcheInnovant', 'oui']]);
  // the 2.0.2 XSD's own words stay booleans in a 2024 record
  const m = readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.3/examples/xml/Marche.xml'), 'utf8');
  const g = join(dir, 'oui-2024.xml');
  writeFileSync(g, m.replace(/<marcheInnovant>\w+<\/marcheInnovant>/, '<marcheInnovant>oui</marcheInnovant>'));
  await runCli(['validate', '--decp', g, '--report', join(dir, 'g.json')]);
  const gr = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8')) as Report;
  expect(gr.findings.filter((x) => String(x['rule']).startsWith('schema.'))).toEqual([]);
});

test('--decp: a record whose id or buyer id is not text nor a number names none (not "null", "[object Object]", a list read as its item)', async () => {
  const dir = tmp();
  const f = join(dir, 'ids.json');
  writeFileSync(f, JSON.stringify({ marches: [{ _type: 'Marché', id: {}, acheteur: { id: null } }, { _type: 'Marché', id: null, acheteur: { id: ['21590163800019'] } }, { _type: 'Marché', id: 'ABC1234', acheteur: { id: '21590163800019' } }] }));
  await runCli(['validate', '--decp', f, '--report', join(dir, 'r.json')]);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Omit<Report, 'buyers'> & { buyers: { buyer: string; releases: number }[] };
  const named = [...new Set(rep.findings.map((x) => JSON.stringify([x['index'], x['releaseId'], x['buyer']])))];
  expect(named).toEqual([JSON.stringify([0, null, null]), JSON.stringify([1, null, null]), JSON.stringify([2, 'ABC1234', '21590163800019'])]);
  expect(rep.buyers.map((b) => [b.buyer, b.releases])).toEqual([['(no buyer)', 2], ['21590163800019', 1]]);
});

test('--decp: each row names the ocid convert gives its record (with --ocid-prefix), none for a record convert rejects', async () => {
  const dir = tmp();
  const samples = join(SHARED, 'decp/samples');
  // (a record without an id is named by its award, ID_MISSING; one without a buyer id is rejected, TRANSFORM_NO_BUYER_ID)
  const f = join(dir, 'odd.json');
  writeFileSync(f, JSON.stringify({ marches: [{ _type: 'Marché', acheteur: { id: '21590163800019' }, montant: 0 }, { _type: 'Marché', id: '2024-17', montant: 0 }] }));
  await runCli(['validate', '--decp', samples, f, '--ocid-prefix', 'ocds-abc123', '--report', join(dir, 'r.json')]);
  await runCli(['convert', samples, f, '--ocid-prefix', 'ocds-abc123', '-o', join(dir, 'c.jsonl'), '--rejects', join(dir, 'rejects.jsonl')]);
  const converted = new Map<string, string>();
  for (const line of readFileSync(join(dir, 'c.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { ocid: string; x_decp: { sourceFile: string; sourceIndex: number } };
    converted.set(`${r.x_decp.sourceFile}#${r.x_decp.sourceIndex}`, r.ocid);
  }
  expect(readFileSync(join(dir, 'rejects.jsonl'), 'utf8')).toContain('TRANSFORM_NO_BUYER_ID');
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  expect(rep.findings.length).toBeGreaterThan(1000);
  const named = rep.findings.map((x) => ({ at: `${String(x['file'])}#${String(x['index'])}`, ocid: x['ocid'] }));
  expect(named).toEqual(named.map((x) => ({ at: x.at, ocid: converted.get(x.at) ?? null })));
  expect(named.filter((x) => x.ocid === null).map((x) => x.at)).toContain(`${f}#1`);
  expect(named.filter((x) => x.ocid !== null).every((x) => String(x.ocid).startsWith('ocds-abc123-21590163800019-') || !x.at.startsWith(f))).toBe(true);
  expect(named.some((x) => x.at === `${f}#0` && x.ocid !== null)).toBe(true);
});

// the page's examples named a DECP record by its DECP id alone, where the JSON and CSV rows (and the
// store's tables) name it by the ocid convert and run give it: an auditor could not go from one to the other
test('--decp: the HTML page names each example by the ocid its JSON row gives it, then by its DECP id (none for a record convert rejects)', async () => {
  const dir = tmp();
  const f = join(dir, 'odd.jsonl');
  writeFileSync(f, [JSON.stringify({ _type: 'Marché', id: 'A-1', acheteur: { id: '21590163800019' }, montant: 'abc' }), JSON.stringify({ _type: 'Marché', id: '2024-17', montant: 'abc' })].join('\n'));
  await runCli(['validate', '--decp', f, '--report', join(dir, 'r.json'), '--report', join(dir, 'r.html')]);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  const page = readFileSync(join(dir, 'r.html'), 'utf8');
  const examples = rep.rules.flatMap((r) => r['examples'] as Array<Record<string, unknown>>);
  expect(examples.length).toBeGreaterThan(2);
  for (const x of examples) {
    const ocid = x['ocid'] === null ? '' : `, ocid ${String(x['ocid'])}`;
    expect(page).toContain(`odd.jsonl, line ${String(x['line'])}, record ${Number(x['index']) + 1}${ocid}, DECP id ${String(x['releaseId'])}</div>`);
  }
  expect(page).toContain('odd.jsonl, line 1, record 1, ocid ocds-78apv2-21590163800019-A-1, DECP id A-1</div>');
  // (no buyer: convert rejects it, TRANSFORM_NO_BUYER_ID, and gives it no ocid)
  expect(page).toContain('odd.jsonl, line 2, record 2, DECP id 2024-17</div>');
});

test('a record of another kind than the one validated is an error with why, never left out of the report (exit 1)', async () => {
  const dir = tmp();
  const f = join(dir, 'other.json');
  writeFileSync(f, '{"marches":[{"_type":"Autre","id":"X1"},{"foo":1}]}');
  const decp = await runCli(['validate', '--decp', f, '--report', join(dir, 'd.json')]);
  expect(decp.code).toBe(1);
  const rep = JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8')) as Report;
  expect(rep.summary).toMatchObject({ releases: 2, valid: 0, invalid: 2 });
  expect(rep.findings.map((x) => [x['index'], x['rule'], x['message']])).toEqual([
    [0, 'input.not-decp', 'neither a DECP marché nor a contrat de concession: an object of unknown kind (keys: _type, id)'],
    [1, 'input.not-decp', 'neither a DECP marché nor a contrat de concession: an object of unknown kind (keys: foo)'],
  ]);
  expect(decp.stderr).toMatch(/2 record\(s\) are not DECP records: each is an error/);
  // DECP records given to the OCDS validation: the same, with what to do
  const ocds = await runCli(['validate', join(SHARED, 'decp/samples/2019-xml'), '--report', join(dir, 'o.json')]);
  expect(ocds.code).toBe(1);
  const o = JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8')) as Report;
  expect(o.findings.map((x) => [x['rule'], x['message']])).toEqual([['input.not-ocds', 'not an OCDS release: a DECP marche (validate it with --decp, or convert it first)']]);
});

test('OCDS records: embedded releases are validated; a record that only links its releases gives its compiled release, else a warning that its releases are not validated; one that gives nothing is an error with why', async () => {
  const dir = tmp();
  // the Paraguay record package: linked releases (URLs) and a compiledRelease
  const linked = await runCli(['validate', join(SHARED, 'partners/paraguay-dncp/record-package_284182.json'), '--report', join(dir, 'p.json')]);
  const p = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8')) as Report;
  expect(p.summary).toMatchObject({ releases: 1 });
  // (the package itself has no version, which the 1.1.5 package schema requires: the one error, the file's)
  expect(p.findings.filter((x) => x['severity'] === 'error').map((x) => [x['rule'], x['releaseId']])).toEqual([['package.required /version', null]]);
  const ofRelease = p.findings.filter((x) => !String(x['rule']).startsWith('package.'));
  expect(ofRelease.every((x) => x['ocid'] === 'ocds-03ad3f-284182' && x['releaseId'] === '284182-adquisicion-articulos-ferreteria-nivel-central-msp-bs-1')).toBe(true);
  // (its contracts give their suppliers as one object: OCDS core has no contracts.suppliers, and
  // the package declares no extension that does — ours are not a partner's)
  expect(ofRelease.filter((x) => x['severity'] === 'error')).toEqual([]);
  // (a compiled release standing for its history, which was not read: said, a warning)
  // (pointers start at the record: the line and index locate the record, not its release — found by a probe)
  expect(p.findings.filter((x) => x['rule'] === 'check.compiled-release').map((x) => [x['severity'], x['pointer']])).toEqual([['warning', '/compiledRelease/tag']]);
  expect(linked.code).toBe(1);
  const release = (id: string): object => ({ ocid: 'ocds-abc123-1', id, date: '2024-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' });
  const f = join(dir, 'records.jsonl');
  writeFileSync(
    f,
    [
      { ocid: 'ocds-abc123-1', releases: [release('1'), { url: 'https://example.org/2.json', date: '2024-02-01T00:00:00Z', tag: ['award'] }, release('3')] },
      { ocid: 'ocds-abc123-1', releases: [] },
      { ocid: 'ocds-abc123-1', releases: [release('4'), 5] },
      { ocid: 'ocds-abc123-1', releases: [{ url: 'https://example.org/2.json', date: '2024-02-01T00:00:00Z', tag: ['award'] }] },
      // a release without its tag is a release with a schema error, not something else
      { ocid: 'ocds-abc123-1', releases: [{ ocid: 'ocds-abc123-1', id: '9', date: '2024-03-01T00:00:00Z', initiationType: 'tender' }] },
    ]
      .map((x) => JSON.stringify(x))
      .join('\n'),
  );
  const r = await runCli(['validate', f, '--report', join(dir, 'r.json')]);
  expect(r.code).toBe(1);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  // (the first record mixes embedded and linked releases: neither of the record schema's two lists, said with its first release)
  // (the record of linked releases only, line 4, is no release validated, valid or invalid: one not validated)
  expect(rep.summary).toMatchObject({ releases: 5, valid: 1, invalid: 4, notValidated: 1 });
  expect(rep.sources).toEqual([expect.objectContaining({ releases: 5, invalid: 4, notValidated: 1 })]);
  expect(r.stderr).toMatch(/5 releases validated: 1 valid, 4 invalid \(with a schema or input error\); 1 record\(s\) not validated \(linked releases only: input\.linked-releases\); /);
  expect(rep.findings.filter((x) => x['severity'] === 'error').map((x) => [x['line'], x['rule'], x['message']])).toEqual([
    [1, 'record.oneOf /releases', "mixes 2 embedded release(s) and 1 linked one(s): a record's releases are all linked or all embedded"],
    [2, 'input.not-ocds', 'not an OCDS release: an OCDS record without releases, and without a compiledRelease'],
    // (its own fields are validated all the same: the record schema wants one release at least)
    [2, 'record.minItems /releases', 'must NOT have fewer than 1 items'],
    [3, 'input.not-ocds', 'not an OCDS release: an OCDS record whose releases[1] is neither an embedded release nor a linked one (5)'],
    [5, 'schema.required /tag', 'missing required field "tag"'],
  ]);
  // (a record that links its releases, as OCDS allows, and gives no compiled release: valid, its releases
  // not validated, said — an auditor's valid file did not exit 1)
  expect(rep.findings.filter((x) => x['line'] === 4).map((x) => [x['severity'], x['rule'], x['pointer'], x['ocid'], x['message']])).toEqual([
    ['warning', 'input.linked-releases', '/releases', 'ocds-abc123-1', 'not validated: an OCDS record whose releases are linked (URLs), not embedded: linked releases are not fetched (no network), without a compiledRelease; validate the releases the links name'],
  ]);
  const onlyLinked = join(dir, 'linked.jsonl');
  writeFileSync(onlyLinked, `${JSON.stringify({ ocid: 'ocds-abc123-1', releases: [{ url: 'https://example.org/2.json', date: '2024-02-01T00:00:00Z', tag: ['award'] }] })}\n`);
  const linkedOnly = await runCli(['validate', onlyLinked, '--report', join(dir, 'linked.json'), '--report', join(dir, 'linked.html')]);
  expect(linkedOnly.code).toBe(0);
  // (nothing was validated: no release counted valid — it was one valid release of none validated)
  expect((JSON.parse(readFileSync(join(dir, 'linked.json'), 'utf8')) as Report).summary).toMatchObject({ releases: 0, valid: 0, invalid: 0, notValidated: 1, errors: 0, warnings: 1 });
  expect(linkedOnly.stderr).toMatch(/0 releases validated: 0 valid, 0 invalid \(with a schema or input error\); 1 record\(s\) not validated/);
  const html = readFileSync(join(dir, 'linked.html'), 'utf8');
  expect(html).toMatch(/<b id="n-valid">0<\/b>/);
  expect(html).toMatch(/<b id="n-not-validated">1<\/b>OCDS record\(s\) not validated/);
  // (a linked release without its url is the record schema's error, said beside the warning)
  writeFileSync(onlyLinked, `${JSON.stringify({ ocid: 'ocds-abc123-1', releases: [{ date: '2024-02-01T00:00:00Z', tag: ['award'], url: 7 }] })}\n`);
  expect((await runCli(['validate', onlyLinked, '--report', join(dir, 'linked-bad.json')])).code).toBe(1);
  // (its errors are counted, and exit 1; still no release validated, valid or invalid)
  expect((JSON.parse(readFileSync(join(dir, 'linked-bad.json'), 'utf8')) as Report).summary).toMatchObject({ releases: 0, valid: 0, invalid: 0, notValidated: 1, errors: 1 });
  // an embedded release's finding points into the record: releases[2] past a linked release, not the first
  const bad = join(dir, 'bad-tag.jsonl');
  writeFileSync(bad, `${JSON.stringify({ ocid: 'ocds-abc123-1', releases: [release('1'), { url: 'https://example.org/2.json', date: '2024-02-01T00:00:00Z', tag: ['award'] }, { ...release('3'), tag: ['award', 'bogus'] }] })}\n`);
  expect((await runCli(['validate', bad, '--report', join(dir, 'b.json')])).code).toBe(1);
  const b = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as Report;
  expect(b.findings.filter((x) => x['severity'] === 'error').map((x) => [x['releaseId'], x['pointer']])).toEqual([['1', '/releases'], ['3', '/releases/2/tag/1']]);
  // convert gives the embedded releases of a record that mixes both, and the reason for the others
  const c = await runCli(['convert', f, '--rejects', join(dir, 'c.rej')]);
  expect(c.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['1', '3', '9']);
  expect(readFileSync(join(dir, 'c.rej'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { line: number }).line)).toEqual([2, 3, 4]);
});

test('a record that cannot be read is reported as an error at its line, not skipped', async () => {
  const dir = tmp();
  const f = join(dir, 'broken.jsonl');
  const [first, second] = readFileSync(releasesFile, 'utf8').split('\n');
  writeFileSync(f, `${first}\n{"ocid":"ocds-78apv2-x","id":\n${second}\n`);
  const reportFile = join(dir, 'report.json');
  const r = await runCli(['validate', f, '--report', reportFile]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/3 releases validated: 2 valid, 1 invalid \(with a schema or input error\); 1 errors \(0 schema, 1 input, 0 checks\)/);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { rules: Array<{ rule: string; examples: Array<{ line: number }> }> };
  const rule = report.rules.find((x) => x.rule === 'input.INGEST_RECORD_SYNTAX');
  expect(rule?.examples[0]?.line).toBe(2);
});

test('a partner\'s releases are validated against OCDS core (and the extensions given), ours against our extensions too', async () => {
  const dir = tmp();
  // contracts.suppliers as one object: no error in OCDS core; an error where our contract_suppliers extension applies
  const partner = { ocid: 'ocds-abc123-1', id: '1', date: '2024-01-01T00:00:00Z', tag: ['contract'], initiationType: 'tender', contracts: [{ id: 'c', awardID: 'a', suppliers: { id: 'S' } }] };
  const ours = { ...partner, id: '2', x_decp: {} };
  const f = join(dir, 'mixed.jsonl');
  writeFileSync(f, [partner, ours].map((x) => JSON.stringify(x)).join('\n'));
  const r = await runCli(['validate', f, '--report', join(dir, 'r.json')]);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  expect(rep.findings.filter((x) => x['severity'] === 'error').map((x) => [x['releaseId'], x['rule']])).toEqual([['2', 'schema.type /contracts/*/suppliers']]);
  expect(r.code).toBe(1);
  expect(rep.summary.schema).toContainEqual(expect.stringMatching(/^releases without x_decp: .*ocds-1\.1\.5\/release-schema\.json$/));
  // --extension adds to both: the partner's release is now checked against it too
  const ext = join(import.meta.dirname, '../../schemas/extensions/contract_suppliers/release-schema.json');
  await runCli(['validate', f, '--extension', ext, '--report', join(dir, 'e.json')]);
  const e = JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8')) as Report;
  expect(e.findings.filter((x) => x['severity'] === 'error').map((x) => x['releaseId'])).toEqual(['1', '2']);
  // and in a run's validation_errors, the same
  const out = join(dir, 'out');
  expect((await runCli(['run', f, '--out', out, '--quiet'])).code).toBe(0);
  const db = await DuckDBInstance.create(join(out, 'decp.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  const rows = (await conn.runAndReadAll("SELECT release_id, rule FROM validation_errors WHERE severity = 'error' AND rule LIKE 'schema.%' ORDER BY 1")).getRowObjects();
  conn.closeSync();
  db.closeSync();
  expect(rows).toEqual([{ release_id: '2', rule: 'schema.type /contracts/*/suppliers' }]);
});

test('what reading found is reported: repaired JSON, bytes that are not UTF-8, a duplicated XML element or JSON key, an empty file', async () => {
  const dir = tmp();
  const f = join(dir, 'bad.jsonl');
  writeFileSync(f, ['{"ocid":"ocds-abc123-1","id":"1","date":"2024-01-01T00:00:00Z","tag":["tender"],"initiationType":"tender","tender":{"id":"t","value":{"amount":NaN}}}', '{"ocid":"ocds-abc123-1","id":"2","date":"2024-01-01T00:00:00Z","tag":["tender"],"initiationType":"tender","__proto__":{"x":1}}'].join('\n'));
  writeFileSync(join(dir, 'empty.json'), '');
  const r = await runCli(['validate', f, join(dir, 'empty.json'), join(SHARED, 'partners/mexico-cdmx/release-package_encoding-iso-8859-1.json'), '--report', join(dir, 'r.json'), '--report', join(dir, 'r.csv')]);
  expect(r.code).toBe(1);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  const input = rep.findings.filter((x) => String(x['rule']).startsWith('input.')).map((x) => [String(x['file']).replace(/^.*\//, ''), x['index'], x['severity'], x['rule']]);
  expect(input).toEqual([
    ['bad.jsonl', 0, 'error', 'input.INGEST_JSON_REPAIRED'],
    ['bad.jsonl', 1, 'warning', 'input.INGEST_FORBIDDEN_KEY'],
    ['empty.json', null, 'error', 'input.INGEST_FILE_SYNTAX'],
    ['release-package_encoding-iso-8859-1.json', 0, 'error', 'input.INGEST_ENCODING_FALLBACK'],
    ['release-package_encoding-iso-8859-1.json', 1, 'error', 'input.INGEST_ENCODING_FALLBACK'],
    ['release-package_encoding-iso-8859-1.json', 2, 'error', 'input.INGEST_ENCODING_FALLBACK'],
  ]);
  // a file-level finding counts as an error, not as a release
  expect(rep.summary).toMatchObject({ releases: 5, invalid: 4 });
  expect(readFileSync(join(dir, 'r.csv'), 'utf8')).toContain(',0,,,,,error,input.INGEST_FILE_SYNTAX,,the file holds no data,');
  // a syntax error that cost a record is said once (by that record's reject), not again for the file
  const pkg = join(dir, 'garbage-after.json');
  writeFileSync(pkg, '{"uri":"x","publishedDate":"2024-01-01T00:00:00Z","releases":[{"ocid":"ocds-abc123-1","id":"1","date":"2024-01-01T00:00:00Z","tag":["tender"],"initiationType":"tender"}] ]]]');
  await runCli(['validate', pkg, '--report', join(dir, 'g.json')]);
  const g = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8')) as Report;
  expect(g.findings.filter((x) => x['severity'] === 'error').map((x) => x['rule'])).toHaveLength(1);
  expect(g.summary).toMatchObject({ errors: 1, inputErrors: 1, schemaErrors: 0 });
  // an XML declaration of ISO-8859-1 over UTF-8 records (the official 2019 paquet.xml so declared) is said
  // once, as bytes that are not UTF-8 are: by each record, where it is, not again for the file (found by a
  // probe: 5 errors for 4 records); a declaration no record contradicts by itself is said for the file
  const declared = join(dir, 'declared.xml');
  const paquet = readFileSync(join(SHARED, 'decp/schemas/2019-v1.5.0/examples/xml/paquet.xml'), 'utf8');
  expect(paquet).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
  writeFileSync(declared, paquet.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'));
  await runCli(['validate', '--decp', declared, '--report', join(dir, 'd.json')]);
  const d = JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8')) as Report;
  expect(d.findings.filter((y) => String(y['rule']).startsWith('input.')).map((y) => [y['index'], y['rule']])).toEqual([0, 1, 2, 3].map((k) => [k, 'input.INGEST_ENCODING_DECLARED_WRONG']));
  expect(d.summary).toMatchObject({ releases: 4, errors: 4, inputErrors: 4 });
  const utf16 = join(dir, 'utf16.xml');
  writeFileSync(utf16, paquet.replace('encoding="UTF-8"', 'encoding="UTF-16"'));
  await runCli(['validate', '--decp', utf16, '--report', join(dir, 'u.json')]);
  const u = JSON.parse(readFileSync(join(dir, 'u.json'), 'utf8')) as Report;
  expect(u.findings.filter((y) => String(y['rule']).startsWith('input.')).map((y) => [y['index'], y['rule']])).toEqual([[null, 'input.INGEST_ENCODING_DECLARED_WRONG']]);
  // a file read as --encoding says is not reproached its encoding
  const latin = await runCli(['validate', '--encoding', 'latin1', join(SHARED, 'partners/mexico-cdmx/release-package_encoding-utf-8.json'), '--report', join(dir, 'l.json')]);
  expect(latin.stderr).not.toMatch(/input\.encoding/);
  expect((JSON.parse(readFileSync(join(dir, 'l.json'), 'utf8')) as Report).findings.filter((x) => x['rule'] === 'input.encoding')).toEqual([]);
  // DECP XML: an element given twice, which the XSD refuses
  const xml = join(dir, 'twice.xml');
  writeFileSync(xml, '<marches><marche><id>1</id><acheteur><id>21690123100011</id></acheteur><datePublicationDonnees>2024-01-01</datePublicationDonnees><datePublicationDonnees>2024-02-01</datePublicationDonnees></marche></marches>');
  await runCli(['validate', '--decp', xml, '--report', join(dir, 'x.json')]);
  const x = JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')) as Report;
  expect(x.findings.filter((y) => y['rule'] === 'input.INGEST_DUPLICATE_ELEMENT').map((y) => [y['severity'], y['pointer'], y['value']])).toEqual([['error', '/datePublicationDonnees', '2024-02-01']]);
  // DECP JSON: a key given twice in one object (JSON.parse keeps the last value, the other is lost)
  const twiceJson = join(dir, 'twice.json');
  writeFileSync(twiceJson, '{"marches":[{"id":"1","acheteur":{"id":"21690123100011"},"datePublicationDonnees":"2024-01-01","datePublicationDonnees":"2024-02-01"}]}');
  await runCli(['validate', '--decp', twiceJson, '--report', join(dir, 'xj.json')]);
  const xj = JSON.parse(readFileSync(join(dir, 'xj.json'), 'utf8')) as Report;
  expect(xj.findings.filter((y) => y['rule'] === 'input.INGEST_JSON_DUPLICATE_KEY').map((y) => [y['severity'], y['pointer'], y['value']])).toEqual([['error', '/datePublicationDonnees', '2024-01-01']]);
});

test('a report quotes a free text as convert publishes it: a surname alone written as a name, a word after a civility are masked (found by an RGPD audit)', async () => {
  const dir = tmp();
  const rec = (id: string, denominationSociale: string, objet: string): Record<string, unknown> => ({ _type: 'Marché', id, acheteur: { id: '21130087600011', nom: 'MAIRIE' }, nature: 'Marché', objet, codeCPV: '45442100', procedure: 'Procédure adaptée', lieuExecution: { code: '13590', typeCode: 'Code postal', nom: 'ROUSSET' }, dureeMois: 3, dateNotification: '2020-03-02', datePublicationDonnees: '2020-03-05', montant: 12000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '73282932000074', denominationSociale }], modifications: [] });
  // objets over 256 characters (schema.maxLength quotes them) that name the supplier as convert reads a name
  const rest = ' et de revêtements muraux dans les locaux de la mairie'.repeat(6);
  const f = join(dir, 'objets.json');
  writeFileSync(f, JSON.stringify({ marches: [rec('B000001', 'VERMANDOIS Paul EI', `Travaux de peinture VERMANDOIS${rest}`), rec('B000002', 'Monsieur Marc SANSPRENOMZ', `Travaux confiés à M. Sansprenomz${rest}`)] }));
  const r = await runCli(['validate', '--decp', f, '--report', join(dir, 'r.json'), '--report', join(dir, 'r.csv'), '--report', join(dir, 'r.html')]);
  expect(r.code).toBe(1);
  for (const out of ['r.json', 'r.csv', 'r.html']) expect([out, readFileSync(join(dir, out), 'utf8')]).toEqual([out, expect.not.stringMatching(/VERMANDOIS|SANSPRENOMZ/i)]);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  // (masked whole, then cut as a report cuts a long value)
  const values = rep.findings.filter((x) => x['rule'] === 'schema.maxLength /objet').map((x): [unknown, string] => [x['releaseId'], x['value'] as string]);
  expect(values).toEqual([
    ['B000001', expect.stringMatching(/^Travaux de peinture \*\*\* et de revêtements muraux .*…$/)],
    // (a sentence that names a person by a civility, `à M. …`, is withheld whole: a report may hide more than convert, never less)
    ['B000002', PERSON_WITHHELD],
  ]);
  // the very texts convert publishes
  const c = await runCli(['convert', f, '-o', join(dir, 'rel.jsonl'), '--run-date', '2026-01-01T00:00:00Z']);
  expect(c.code).toBe(0);
  const titles = readFileSync(join(dir, 'rel.jsonl'), 'utf8').trim().split('\n').map((l) => ((JSON.parse(l) as { awards: Array<{ title: string }> }).awards[0]!.title));
  expect(titles[0]!.startsWith(values[0]![1].slice(0, -1))).toBe(true);
  expect(titles[1]).toMatch(/^Travaux confiés à M\. \*\*\* et de revêtements muraux /);
});

test('with a dereferenced schema (no $ref), organisation references are still checked (found by a review: none were)', async () => {
  const dir = tmp();
  const rel = { ocid: 'ocds-abc123-1', id: '1', date: '2021-01-01T00:00:00Z', tag: ['award'], initiationType: 'tender', parties: [{ id: 'P', name: 'P', roles: ['buyer'] }], buyer: { id: 'NOPE', name: 'X' }, awards: [{ id: 'a', suppliers: [{ id: 'GONE', name: 'Y' }] }] };
  writeFileSync(join(dir, 'r.jsonl'), `${JSON.stringify(rel)}\n`);
  const r = await runCli(['validate', join(dir, 'r.jsonl'), '--schema', join(SHARED, 'ocds/1.1.5/dereferenced-release-schema.json'), '--report', join(dir, 'r.json')]);
  expect(r.code).toBe(1);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  expect(rep.findings.filter((x) => x['rule'] === 'check.unknown-party').map((x) => x['pointer'])).toEqual(['/buyer/id', '/awards/0/suppliers/0/id']);
});

test('the reports quote no natural person\'s name (RGPD), in any format, as convert publishes none; a company\'s values are quoted (found by a probe)', async () => {
  const dir = tmp();
  const rec = (id: string, titulaires: unknown, extra: Record<string, unknown> = {}): string => JSON.stringify({ _type: 'Marché', id, acheteur: { id: '21130087600011', nom: 'MAIRIE' }, nature: 'Marché', objet: 'Objet', codeCPV: '45442100', procedure: 'Procédure adaptée', lieuExecution: { code: '13590', typeCode: 'Code postal', nom: 'ROUSSET' }, dureeMois: 3, dateNotification: '2020-03-02', datePublicationDonnees: '2020-03-05', montant: 12000, formePrix: 'Ferme', titulaires, modifications: [], donneesExecution: [], ...extra });
  const f = join(dir, 'persons.jsonl');
  writeFileSync(f, [
    // a supplier given as its name; the name where the SIRET belongs; a company's SIRET that is no SIRET
    rec('P1', 'QUENTREC Yann EI'),
    rec('P2', [{ typeIdentifiant: 'SIRET', id: 'Mme KRAMPUS Odile', denominationSociale: 'Mme KRAMPUS Odile' }]),
    rec('P3', [{ typeIdentifiant: 'SIRET', id: 'BATI SUD', denominationSociale: 'BATI SUD SARL' }]),
    // a key given twice (the value left out has no marker), double-encoded texts (the title holds the name's words)
    rec('P4', [{ typeIdentifiant: 'SIRET', id: '73282932000074', denominationSociale: 'CASTAGNE Firmin EI' }]).replace('"denominationSociale"', '"denominationSociale":"CASTAGNE","denominationSociale"'),
    rec('P5', [{ typeIdentifiant: 'SIRET', id: '73282932000074', denominationSociale: 'BÃ©RANGER Hélène EI' }], { objet: 'Travaux BÃ©RANGER Hélène' }),
    // a record that cannot be read, whose excerpt names a person
    '{"_type":"Marché","id":"P6","titulaires":[{"denominationSociale":"Mme Louise WEISS"}],"montant":1 2}',
    // … whose marker comes past its excerpt, the same supplier given again (found by an RGPD audit)
    `{"_type":"Marché","id":"P7","titulaires":[{"typeIdentifiant":"SIRET","id":"73282932000074","denominationSociale":"CASSEG Lucie"},{"typeIdentifiant":"SIRET","id":"73282932000074","denominationSociale":"${'x'.repeat(120)}"},{"id":"73282932000074","denominationSociale":"CASSEG Lucie EI"}],"montant":1 2}`,
  ].join('\n'));
  const r = await runCli(['validate', '--decp', f, '--report', join(dir, 'r.json'), '--report', join(dir, 'r.csv'), '--report', join(dir, 'r.html')]);
  expect(r.code).toBe(1);
  for (const out of ['r.json', 'r.csv', 'r.html']) expect([out, readFileSync(join(dir, out), 'utf8')]).toEqual([out, expect.not.stringMatching(/QUENTREC|KRAMPUS|CASTAGNE|RANGER|WEISS|CASSEG/)]);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  const of = (id: string | null, rule: string): Record<string, unknown> => rep.findings.find((x) => x['releaseId'] === id && x['rule'] === rule)!;
  const WITHHELD = "[withheld: a natural person's name]";
  expect(of('P1', 'schema.type /titulaires')['value']).toBe(WITHHELD);
  expect(of('P2', 'decp.siret')).toMatchObject({ message: `SIRET ${WITHHELD} is not 14 digits`, value: WITHHELD });
  expect(of('P3', 'decp.siret')).toMatchObject({ message: 'SIRET "BATI SUD" is not 14 digits', value: 'BATI SUD' });
  expect(of('P4', 'input.INGEST_JSON_DUPLICATE_KEY')).toMatchObject({ pointer: '/titulaires/0/denominationSociale', value: WITHHELD });
  expect(rep.findings.filter((x) => x['releaseId'] === 'P5' && x['rule'] === 'input.INGEST_MOJIBAKE').map((x) => [x['pointer'], x['message']])).toEqual([
    // (a free text: its name's words masked, as convert publishes it)
    ['/objet', 'text looks double-encoded (UTF-8 read as Latin-1): "Travaux ***©*** ***"'],
    ['/titulaires/0/denominationSociale', `text looks double-encoded (UTF-8 read as Latin-1): ${WITHHELD}`],
  ]);
  expect(rep.findings.filter((x) => x['rule'] === 'input.INGEST_RECORD_SYNTAX').map((x) => [x['line'], x['value']])).toEqual([
    [6, WITHHELD],
    [7, WITHHELD],
  ]);
  // the HTML page's examples are the rows': withheld too
  expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('SIRET [withheld: a natural person&#39;s name] is not 14 digits');
  // (the page counts records from 1, names the record by its ocid, and a DECP record's id is its DECP id, not a release's)
  expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/persons\.jsonl, line 3, record 3, ocid ocds-78apv2-21130087600011-P3, DECP id P3<\/div>/);
  // OCDS releases (a partner's): a value holding every word of a party's name that names a person
  const rel = join(dir, 'rel.jsonl');
  writeFileSync(rel, JSON.stringify({ ocid: 'ocds-abc123-1', id: '1', date: '2024-01-01T00:00:00Z', tag: ['award'], initiationType: 'tender', parties: [{ id: 'X-1', name: 'Mme Julie DUPONT', roles: ['supplier'] }], tender: { id: 't', status: 'DUPONT Julie' }, awards: [{ id: 'a', status: 'Bati Sud' }] }));
  await runCli(['validate', rel, '--report', join(dir, 'o.json')]);
  const o = JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8')) as Report;
  expect(o.findings.filter((x) => String(x['rule']).startsWith('schema.enum')).map((x) => [x['pointer'], x['value']])).toEqual([
    ['/tender/status', WITHHELD],
    ['/awards/0/status', 'Bati Sud'],
  ]);
});

test('the reports quote no person named by a key of the record: its pointer, its rule and an object quoted with that key are masked or withheld as convert masks the key (found by an RGPD leak hunt)', async () => {
  const dir = tmp();
  // (2024 records: their schema refuses a field it does not list)
  const rec = (id: string, denominationSociale: string, extra: Record<string, unknown>): Record<string, unknown> => ({ id, acheteur: { id: '21130087600011' }, nature: 'Marché', objet: 'Objet', codeCPV: '45442100', procedure: 'Procédure adaptée', lieuExecution: { code: '13590', typeCode: 'Code postal' }, dureeMois: 3, dateNotification: '2024-03-02', datePublicationDonnees: '2024-03-05', montant: 12000, formePrix: 'Forfaitaire', attributionAvance: false, offresRecues: 2, marcheInnovant: false, ccag: 'Travaux', sousTraitanceDeclaree: false, typeGroupementOperateurs: 'Pas de groupement', titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '73282932000074', denominationSociale } }], considerationsSociales: { considerationSociale: ['Pas de considération sociale'] }, considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale'] }, modalitesExecution: { modaliteExecution: ['Sans objet'] }, techniques: { technique: ['Sans objet'] }, typesPrix: { typePrix: ['Définitif ferme'] }, ...extra });
  const f = join(dir, 'keys.json');
  writeFileSync(f, JSON.stringify({ marches: { marche: [
    // a key that is the withheld supplier's name; an object whose key names a person by a civility
    rec('2024-K1', 'Mme Gwendoline QUIMPERLÉ EI', { 'Gwendoline QUIMPERLE': { x: '1' }, GwendolineQUIMPERLE: 'glued, as an XML element writes it' }),
    rec('2024-K2', 'BATI SUD SARL', { autre: { 'Mme Gwendoline QUIMPERLÉ': 'oui' } }),
  ] } }));
  // an XML element named after the person, whose message names the element too
  const x = join(dir, 'keys.xml');
  writeFileSync(x, '<?xml version="1.0" encoding="UTF-8"?>\n<marches><marche><id>2019-K3</id><acheteur><id>21130087600011</id></acheteur><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>73282932000074</id><denominationSociale>Mme Gwendoline QUIMPERLÉ EI</denominationSociale></titulaire></titulaires><GwendolineQUIMPERLE>x</GwendolineQUIMPERLE></marche></marches>\n');
  const r = await runCli(['validate', '--decp', f, x, '--report', join(dir, 'r.json'), '--report', join(dir, 'r.csv'), '--report', join(dir, 'r.html')]);
  expect(r.code).toBe(1);
  for (const out of ['r.json', 'r.csv', 'r.html']) expect([out, readFileSync(join(dir, out), 'utf8')]).toEqual([out, expect.not.stringMatching(/gwendoline|quimperl/i)]);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  const extra = (id: string): Array<[unknown, unknown, unknown]> => rep.findings.filter((x) => x['releaseId'] === id && String(x['rule']).startsWith('schema.additionalProperties')).map((x) => [x['rule'], x['pointer'], x['value']]);
  expect(extra('2024-K1')).toEqual([['schema.additionalProperties /*** ***', '/*** ***', '{"x":"1"}'], ['schema.additionalProperties /*** ***', '/*** ***', 'glued, as an XML element writes it']]);
  expect(extra('2024-K2')).toEqual([['schema.additionalProperties /autre', '/autre', "[withheld: a natural person's name]"]]);
  expect(rep.rules.map((x) => x['rule'])).toContain('schema.additionalProperties /*** ***');
  expect(rep.findings.filter((x) => x['releaseId'] === '2019-K3' && String(x['rule']).startsWith('schema.additionalProperties')).map((x) => [x['pointer'], String(x['message']).slice(0, 9)])).toEqual([['/*** ***', '<*** ***>']]);
});

// a record's own fields were never validated: a record without its ocid, with a number for it, a
// linked release's bad url and date, a compiledRelease beside embedded releases that the release
// schema refuses, all passed (found by an auditor's probe, against the official record package schema)
test("OCDS records: the record's own fields are validated (ocid, releases, a linked release's url and date) and so is a compiledRelease beside its releases, said with its first release", async () => {
  const dir = tempDir('decp-ocds-record-fields-');
  const release = (id: string): object => ({ ocid: 'ocds-abc123-1', id, date: '2024-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' });
  const compiled = { ocid: 'ocds-abc123-1', id: 'c', date: '2024-01-01T00:00:00Z', tag: ['compiled'], initiationType: 'tender' };
  const f = join(dir, 'records.jsonl');
  writeFileSync(f, [
    // (a compiledRelease first: a record — `{"releases": […]}` alone is a release package)
    { compiledRelease: compiled, releases: [release('1')] },
    { ocid: 5, releases: [release('2')] },
    { ocid: 'ocds-abc123-1', releases: [{ url: 'not a url', date: 'yesterday', tag: ['tender'] }], compiledRelease: compiled },
    { ocid: 'ocds-abc123-1', releases: [release('3'), release('4')], compiledRelease: { ...compiled, date: undefined, initiationType: 'auction' } },
    { ocid: 'ocds-abc123-1', releases: [release('5')], compiledRelease: compiled },
    { ocid: 'ocds-abc123-2', releases: [release('6')] },
    // (said with the release it is about, not the record's first)
    { ocid: 'ocds-abc123-1', releases: [release('7'), { ...release('8'), ocid: 'ocds-abc123-3' }] },
  ].map((x) => JSON.stringify(x)).join('\n'));
  const r = await runCli(['validate', f, '--report', join(dir, 'r.json')]);
  expect(r.code).toBe(1);
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  expect(rep.findings.filter((x) => x['severity'] === 'error').map((x) => [x['line'], x['releaseId'], x['rule'], x['pointer']])).toEqual([
    [1, '1', 'record.required /ocid', '/ocid'],
    [2, '2', 'record.type /ocid', '/ocid'],
    [3, 'c', 'record.format /releases/*/url', '/releases/0/url'],
    [3, 'c', 'record.format /releases/*/date', '/releases/0/date'],
    [4, '3', 'schema.required /date', '/compiledRelease/date'],
    [4, '3', 'schema.enum /initiationType', '/compiledRelease/initiationType'],
    // a release of another ocid than its record's (compile's TRANSFORM_RECORD_OCID_MISMATCH)
    [6, '6', 'check.record-ocid', '/releases/0/ocid'],
    [7, '8', 'check.record-ocid', '/releases/1/ocid'],
  ]);
  // (said once, with the record's first release: its second has none of them)
  // (a check's error is a finding, not a schema's: the release stays valid)
  expect(rep.summary).toMatchObject({ releases: 9, valid: 5, invalid: 4 });
});

// a file named twice, or beside its folder, was read twice: each release its own duplicate, an error
// and exit 1 for a valid file (found by an auditor's probe)
test('validate reads a file reached twice by its path once', async () => {
  const dir = tempDir('decp-ocds-twice-');
  mkdirSync(join(dir, 'in'));
  const file = join(dir, 'in', 'ok.jsonl');
  writeFileSync(file, `${JSON.stringify({ ocid: 'ocds-abc123-1', id: '1', date: '2024-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' })}\n`);
  for (const args of [[join(dir, 'in'), file], [file, file]]) {
    const r = await runCli(['validate', ...args, '--report', join(dir, 'r.json')]);
    expect(r.code).toBe(0);
    expect((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report).summary).toMatchObject({ releases: 1, valid: 1, files: 1 });
  }
});
