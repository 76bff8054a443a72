/**
 * What an auditor reading the validation reports must be able to trust (found by an audit against
 * independent validators: python jsonschema with RFC 3339 date-times, xmllint with the DECP XSDs).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';
import { isRfc3339DateTime } from '../../src/validate/schema-store.js';
import { cut, schemaRule } from '../../src/validate/report.js';

const tmp = (): string => tempDir('decp-ocds-auditor-');

interface Report {
  summary: { errors: number; warnings: number };
  rules: Array<{ rule: string; count: number; message: string }>;
  buyers: unknown[];
  buyersTotal: number;
  findings: Array<{ rule: string; severity: string; pointer: string; message: string; value: string; buyer: string | null }>;
}

const release = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ocid: 'ocds-abc123-1',
  id: 'r1',
  date: '2021-04-14T00:00:00Z',
  tag: ['tender'],
  initiationType: 'tender',
  ...extra,
});

async function validate(dir: string, name: string, lines: unknown[], args: string[] = []): Promise<{ code: number; report: Report; csv: string }> {
  const file = join(dir, name);
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  const json = join(dir, `${name}.report.json`);
  const csv = join(dir, `${name}.report.csv`);
  const r = await runCli(['validate', file, '--report', json, '--report', csv, ...args]);
  return { code: r.code, report: JSON.parse(readFileSync(json, 'utf8')) as Report, csv: readFileSync(csv, 'utf8') };
}

test('date-times are RFC 3339\'s: an offset without its colon or minutes, or a space for the T, is an error', async () => {
  for (const ok of ['2021-04-14T00:00:00Z', '2021-04-14T00:00:00+02:00', '2021-04-14t23:59:59.123456z', '2020-02-29T00:00:00-04:30', '2016-12-31T23:59:60Z', '2017-01-01T00:59:60+01:00', '2016-12-31T22:59:60.5-01:00']) expect([ok, isRfc3339DateTime(ok)]).toEqual([ok, true]);
  // (a leap second comes at 23:59:60 UTC only: RFC 3339 §5.7)
  for (const bad of ['2020-01-01T12:00:60Z', '2016-12-31T23:59:60-01:00', '2016-12-31T23:58:60Z', '2021-04-14T00:00:00+02', '2021-04-14T00:00:00+0200', '2021-04-14 00:00:00Z', '2021-02-29T00:00:00Z', '2021-04-31T00:00:00Z', '2021-04-14T24:00:00Z', '2021-04-14T00:00:00+24:00', '2021-04-14', '2021-04-14T00:00Z']) expect([bad, isRfc3339DateTime(bad)]).toEqual([bad, false]);
  const dir = tmp();
  const { code, report } = await validate(dir, 'dates.jsonl', [release({ date: '2021-04-14T00:00:00+02' }), release({ id: 'r2', date: '2021-04-14 00:00:00Z' }), release({ id: 'r3' })]);
  expect(code).toBe(1);
  expect(report.findings.filter((f) => f.rule === 'schema.format /date').map((f) => f.value)).toEqual(['2021-04-14T00:00:00+02', '2021-04-14 00:00:00Z']);
});

test('a missing field and a field not allowed are pointed at themselves, each its own rule; a language is no rule of its own', async () => {
  const dir = tmp();
  const noId = release();
  delete noId['id'];
  const noDate = (k: number): Record<string, unknown> => {
    const r = release({ id: `d${k}` });
    delete r['date'];
    return r;
  };
  const { report } = await validate(dir, 'required.jsonl', [noId, noDate(1), noDate(2), release({ id: 'x', tender: { id: 't', extra_field: 1, title_fr: 5, title_x_en: 6 } })]);
  const rules = Object.fromEntries(report.rules.map((r) => [r.rule, r]));
  expect(rules['schema.required /id']).toMatchObject({ count: 1, message: 'missing required field "id"' });
  expect(rules['schema.required /date']).toMatchObject({ count: 2, message: 'missing required field "date"' });
  expect(report.findings.find((f) => f.rule === 'schema.required /date')!.pointer).toBe('/date');
  expect(schemaRule('type', '/tender/title_fr')).toBe('schema.type /tender/title_*');
  expect(schemaRule('type', '/tender/items/3/description_x-123')).toBe('schema.type /tender/items/*/description_*');
  expect(schemaRule('type', '/x_decp/flags')).toBe('schema.type /x_decp/flags');
});

test('a line with a release\'s tag, id and date but no string ocid is a release with errors, not an object of unknown kind', async () => {
  const dir = tmp();
  const noOcid = release({ date: 'yesterday', tag: ['nope'] });
  delete noOcid['ocid'];
  const { report } = await validate(dir, 'no-ocid.jsonl', [noOcid, release({ ocid: 123, id: 'r2' })]);
  expect(report.rules.map((r) => r.rule).sort()).toEqual(['schema.enum /tag/*', 'schema.format /date', 'schema.required /ocid', 'schema.type /ocid']);
});

test('two objects of one list with one id are an error (the merge would make them one); ids 1 and "1" are a warning, two objects as compile has them; ids of x_decp lists are the pipeline\'s', async () => {
  const dir = tmp();
  const parties = [{ id: 'p1', name: 'A', roles: ['buyer'] }];
  const { code, report } = await validate(dir, 'dup.jsonl', [
    release({ parties, awards: [{ id: 'a1', value: { amount: 1, currency: 'EUR' } }, { id: 'a1', value: { amount: 2, currency: 'EUR' } }, { id: 1 }, { id: '1' }] }),
    release({ id: 'r2', parties, x_decp: { sousTraitance: [{ id: 's' }, { id: 's' }] } }),
  ]);
  expect(code).toBe(1);
  expect(report.findings.filter((f) => f.rule === 'check.duplicate-id').map((f) => [f.pointer, f.value])).toEqual([
    ['/awards/1/id', 'a1'],
  ]);
  // (1 and "1" are two ids, as the reference merge and compile have them, MERGE_ID_TYPES_MIXED: not
  // "merged into one", an error that contradicted compile; said as compile says it, found by a probe)
  expect(report.findings.filter((f) => f.rule === 'check.id-types-mixed').map((f) => [f.pointer, f.value, f.severity, f.message])).toEqual([
    ['/awards/3/id', '1', 'warning', 'id "1" and id 1 of item 2 of this list differ in type only: two objects when records are compiled (ids of different types are different ids)'],
  ]);
  // the number after its text; "07" is not the text of 7
  const mixed = await validate(dir, 'mixed.jsonl', [release({ parties, awards: [{ id: '7' }, { id: 7 }, { id: '07' }, { id: 8 }] })]);
  expect(mixed.report.findings.filter((f) => f.rule === 'check.id-types-mixed' || f.rule === 'check.duplicate-id').map((f) => [f.rule, f.pointer, f.message])).toEqual([
    ['check.id-types-mixed', '/awards/1/id', 'id 7 and id "7" of item 0 of this list differ in type only: two objects when records are compiled (ids of different types are different ids)'],
  ]);
  // lists merged whole (wholeListMerge: identifiers, classifications) may repeat an id under two schemes
  const whole = await validate(dir, 'whole.jsonl', [
    release({
      parties: [{ id: 'p1', name: 'A', roles: ['buyer'], additionalIdentifiers: [{ scheme: 'CO-RUE', id: '900' }, { scheme: 'CO-NIT', id: '900' }] }],
      tender: { id: 't', items: [{ id: 'i1', additionalClassifications: [{ scheme: 'CPV', id: '33141000' }, { scheme: 'UNSPSC', id: '33141000' }] }] },
    }),
  ]);
  expect(whole.report.findings.filter((f) => f.rule === 'check.duplicate-id')).toEqual([]);
});

test('--extension takes an extension\'s schema patch only: a release package given by mistake is a load error, not "valid"', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'r.jsonl'), JSON.stringify(release()));
  writeFileSync(join(dir, 'pkg.json'), JSON.stringify({ uri: 'u', publishedDate: '2021-01-01T00:00:00Z', releases: [release()] }));
  writeFileSync(join(dir, 'odd.json'), JSON.stringify({ definitions: {}, releases: [] }));
  for (const ext of ['pkg.json', 'odd.json']) {
    const r = await runCli(['validate', join(dir, 'r.jsonl'), '--extension', join(dir, ext)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/VALIDATE_SCHEMA_LOAD: .* is not an extension's release schema patch/);
  }
  const location = join(SHARED, 'ocds/extensions/location/release-schema.json');
  expect((await runCli(['validate', join(dir, 'r.jsonl'), '--extension', location])).code).toBe(0);
});

test('a file that holds no record is an input error, whatever its shape (an emptied feed is not certified clean)', async () => {
  const dir = tmp();
  for (const [name, text, args] of [
    ['a.json', '{"marches":[]}', ['--decp']],
    ['b.json', '{"marches":{"marche":[]}}', ['--decp']],
    ['c.xml', '<marches></marches>', ['--decp']],
    ['d.json', '[]', []],
    ['e.json', '{"uri":"https://example.org/u","version":"1.1","publisher":{"name":"P"},"publishedDate":"2021-01-01T00:00:00Z","releases":[]}', []],
  ] as const) {
    writeFileSync(join(dir, name), text);
    const r = await runCli(['validate', join(dir, name), ...args, '--report', join(dir, `${name}.json`)]);
    expect([name, r.code]).toEqual([name, 1]);
    const report = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Report;
    // (a package's empty list is the package schema's error too: minItems 1, test/validate/package-list.test.ts)
    expect(report.findings.map((f) => [f.rule, f.message])).toEqual([['input.INGEST_FILE_SYNTAX', 'the file holds no record'], ...(name === 'e.json' ? [['package.minItems /releases', 'the release package: must NOT have fewer than 1 items (its releases list is empty)']] : [])]);
  }
});

test("a package's own fields are validated as the OCDS 1.1.5 package schemas state them (found by a probe: a package without uri, with a publishedDate of \"yesterday\", was clean)", async () => {
  const dir = tmp();
  const rel = { ocid: 'ocds-abc123-1', id: '1', date: '2021-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' };
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ publishedDate: 'yesterday', version: '1.1', extensions: 'not-a-list', publisher: { scheme: 5 }, releases: [rel] }));
  const r = await runCli(['validate', join(dir, 'bad.json'), '--report', join(dir, 'bad.report.json')]);
  expect(r.code).toBe(1);
  const report = JSON.parse(readFileSync(join(dir, 'bad.report.json'), 'utf8')) as Report;
  expect(report.findings.map((f) => [f.rule, f.pointer]).sort()).toEqual([
    ['package.format /publishedDate', '/publishedDate'],
    ['package.required /publisher/name', '/publisher/name'],
    ['package.required /uri', '/uri'],
    ['package.type /extensions', '/extensions'],
    ['package.type /publisher/scheme', '/publisher/scheme'],
  ]);
  // a record package's: its packages are URIs
  writeFileSync(join(dir, 'rec.json'), JSON.stringify({ uri: 'https://example.org/r', version: '1.1', publisher: { name: 'P' }, publishedDate: '2021-01-01T00:00:00Z', packages: [], records: [{ ocid: 'ocds-abc123-1', releases: [rel] }] }));
  expect((await runCli(['validate', join(dir, 'rec.json'), '--report', join(dir, 'rec.report.json')])).code).toBe(1);
  expect((JSON.parse(readFileSync(join(dir, 'rec.report.json'), 'utf8')) as Report).findings.map((f) => f.rule)).toEqual(['package.minItems /packages']);
});

test("each package of a file of several is validated where it is: its line, and a publishedDate that alone differs (found by an audit: the third package's error was pointed at /1, line 0, and a second package's publishedDate of \"yesterday\" was never checked)", async () => {
  const dir = tmp();
  const rel = (id: string): Record<string, unknown> => ({ ocid: 'ocds-abc123-1', id, date: '2021-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' });
  const pkg = (publishedDate: string, version: string | null, id: string): string => JSON.stringify({ uri: 'https://example.org/p', version, publisher: { name: 'P' }, publishedDate, releases: [rel(id)] });
  writeFileSync(join(dir, 'pages.jsonl'), [pkg('2021-01-01T00:00:00Z', '1.1', 'a'), pkg('yesterday', '1.1', 'b'), pkg('2021-01-01T00:00:00Z', null, 'c'), pkg('2021-01-02T00:00:00Z', '1.1', 'd')].join('\n') + '\n');
  const r = await runCli(['validate', join(dir, 'pages.jsonl'), '--report', join(dir, 'pages.report.json')]);
  expect(r.code).toBe(1);
  const findings = (JSON.parse(readFileSync(join(dir, 'pages.report.json'), 'utf8')) as { findings: Array<{ rule: string; pointer: string; line: number; value: string; message: string }> }).findings;
  expect(findings.map((f) => [f.rule, f.pointer, f.line, f.value])).toEqual([
    ['package.format /publishedDate', '/publishedDate', 2, 'yesterday'],
    ['package.type /version', '/version', 3, 'null'],
  ]);
  expect(findings[0]!.message).toContain('at line 2');
  // (in an envelope, an API's pages saved together: pointed at from the document's root)
  writeFileSync(join(dir, 'env.json'), JSON.stringify({ results: [JSON.parse(pkg('2021-01-01T00:00:00Z', '1.1', 'a')), JSON.parse(pkg('yesterday', '1.1', 'b'))] }));
  await runCli(['validate', join(dir, 'env.json'), '--report', join(dir, 'env.report.json')]);
  const env = (JSON.parse(readFileSync(join(dir, 'env.report.json'), 'utf8')) as { findings: Array<{ rule: string; pointer: string }> }).findings.filter((f) => f.rule.startsWith('package.'));
  expect(env.map((f) => [f.rule, f.pointer])).toEqual([['package.format /publishedDate', '/results/1/publishedDate']]);
});

test("a record whose releases are linked only, without a compiledRelease, has its own fields validated all the same (found by an audit: its links' bad url and date were no finding)", async () => {
  const dir = tmp();
  const { code, report } = await validate(dir, 'linked.jsonl', [{ ocid: 'ocds-abc123-1', releases: [{ url: 'not a url', date: 'yesterday', tag: ['tender'] }] }]);
  expect(code).toBe(1);
  expect(report.findings.map((f) => [f.rule, f.pointer, f.value])).toEqual([
    // (its releases not fetched, so not validated: a warning, the record's own errors beside it)
    ['input.linked-releases', '/releases', ''],
    ['record.format /releases/*/url', '/releases/0/url', 'not a url'],
    ['record.format /releases/*/date', '/releases/0/date', 'yesterday'],
  ]);
  // (its errors counted — exit 1 —, but no release validated: not an invalid release, nor a valid one)
  expect(report.summary).toMatchObject({ releases: 0, valid: 0, invalid: 0, notValidated: 1, errors: 2, warnings: 1 });
});

test("a check quotes the value as the input wrote it: a compiledRelease tagged otherwise is quoted by its own tag, not the [\"compiled\"] it is read as (found by an audit)", async () => {
  const dir = tmp();
  const compiledRelease = release({ tag: ['award', 'contract'] });
  const { report } = await validate(dir, 'tagged.jsonl', [{ ocid: 'ocds-abc123-1', releases: [{ url: 'https://example.org/r1.json', date: '2021-04-14T00:00:00Z', tag: ['award'] }], compiledRelease }]);
  expect(report.findings.filter((f) => f.rule.startsWith('check.compiled-release')).map((f) => [f.rule, f.pointer, f.value])).toEqual([
    ['check.compiled-release', '/compiledRelease/tag', '["award","contract"]'],
    ['check.compiled-release-tag', '/compiledRelease/tag', '["award","contract"]'],
  ]);
});

test('a schema error on an empty text says so: the value column shows it as nothing, as it shows a missing value (found by an audit: the Ville de Croix sample\'s 176 typeIdentifiant "" read as codes missing)', async () => {
  const dir = tmp();
  const { report } = await validate(dir, 'empty.jsonl', [release({ tender: { id: 't', status: '' } }), release({ id: 'r2', tender: { id: 't', status: 'over' } }), release({ id: 'r3', date: '' })]);
  expect(report.findings.filter((f) => f.rule.startsWith('schema.')).map((f) => [f.rule, f.value, f.message.endsWith('(the value is an empty text, "")')])).toEqual([
    ['schema.enum /tender/status', '', true],
    ['schema.enum /tender/status', 'over', false],
    ['schema.format /date', '', true],
  ]);
  const noId = release();
  delete noId['id'];
  const missing = await validate(dir, 'missing.jsonl', [noId]);
  expect(missing.report.findings.map((f) => [f.rule, f.message])).toEqual([['schema.required /id', 'missing required field "id"']]);
});

test('bytes that are not UTF-8 and JSON repaired are pointed at where they are in the record, with the value there (found by an audit: a 4 KB line said only "record bytes are not all valid UTF-8", no field)', async () => {
  const dir = tmp();
  const file = join(dir, 'where.jsonl');
  const good = Buffer.from(`${JSON.stringify(release({ tender: { id: 't', items: [{ id: 'i', description: 'Prestations \uFFFD de voirie' }] } }))}\n`);
  // (Pr\xe9stations: one byte that is not UTF-8, Windows-1252's é)
  const text = `${JSON.stringify(release({ id: 'r2', tender: { id: 't', items: [{ id: 'i', description: 'Pr@stations' }] } }))}\n`;
  const latin = Buffer.concat([Buffer.from(text.slice(0, text.indexOf('@'))), Buffer.from([0xe9]), Buffer.from(text.slice(text.indexOf('@') + 1))]);
  const repaired = Buffer.from(`${JSON.stringify(release({ id: 'r3', tender: { id: 't', value: { amount: 424242 } } })).replace('424242', 'NaN')}\n`);
  writeFileSync(file, Buffer.concat([good, latin, repaired]));
  const r = await runCli(['validate', file, '--report', join(dir, 'where.report.json')]);
  expect(r.code).toBe(1);
  const findings = (JSON.parse(readFileSync(join(dir, 'where.report.json'), 'utf8')) as { findings: Array<{ index: number; rule: string; pointer: string; value: string }> }).findings;
  // (a U+FFFD the text spells is text: no finding for the first line)
  expect(findings.map((f) => [f.index, f.rule, f.pointer, f.value])).toEqual([
    [1, 'input.INGEST_ENCODING_FALLBACK', '/tender/items/0/description', 'Pr\u00e9stations'],
    [2, 'input.INGEST_JSON_REPAIRED', '/tender/value/amount', 'null'],
  ]);
});

test('CSV cells are quoted on ";" and tabs too (a French spreadsheet splits on ";"); long messages are cut, never inside an emoji', async () => {
  const dir = tmp();
  const long = 'x'.repeat(5000);
  const { csv, report } = await validate(dir, 'hostile.jsonl', [release({ id: "x;=cmd|' /C calc'!A0", tender: { id: 't', status: long } }), release({ ocid: `ocds-abc123-${long}`, id: long, tender: { id: 't', [long]: 1 } })]);
  const row = csv.split('\n').find((l) => l.includes('check.open-codelist') || l.includes('schema.enum'))!;
  expect(row).toContain('"x;=cmd|\' /C calc\'!A0"');
  expect(csv.split('\n').every((l) => l.length < 3000)).toBe(true);
  expect(report.findings.every((f) => f.message.length <= 1001)).toBe(true);
  expect(cut(`${'a'.repeat(119)}😀tail`, 120)).toBe(`${'a'.repeat(119)}…`);
  expect(cut(`${'a'.repeat(118)}😀tail`, 120)).toBe(`${'a'.repeat(118)}😀…`);
});

test('the JSON report says how many buyers there are, beside the first 100 it lists', async () => {
  const dir = tmp();
  const lines = Array.from({ length: 130 }, (_, k) => release({ id: `r${k}`, ocid: `ocds-abc123-${k}`, buyer: { id: `b${k}` }, parties: [{ id: `b${k}`, roles: ['buyer'] }] }));
  const { report } = await validate(dir, 'buyers.jsonl', lines);
  expect(report.buyers).toHaveLength(100);
  expect(report.buyersTotal).toBe(130);
});

test("an OCDS 1.0 buyer (no party id) is named in the reports by its identifier, else its name, not \"(no buyer)\"", async () => {
  const dir = tmp();
  const bad = { tender: { id: 't', value: { amount: -1, currency: 'MXN' } } };
  const lines = [
    release({ id: 'r1', ...bad, buyer: { name: 'SECRETARÍA DE FINANZAS', identifier: { scheme: 'MX-RFC', id: 'GDF9712054NA' } } }),
    release({ id: 'r2', ...bad, buyer: { name: 'Dirección Nacional (DNCP)' } }),
    release({ id: 'r3', ...bad, buyer: { id: 'b1', name: 'B' }, parties: [{ id: 'b1', roles: ['buyer'] }] }),
    release({ id: 'r4', ...bad, buyer: { name: ' ' } }),
    // no buyer reference: the one party whose roles say buyer, as the store's buyer_id names it
    release({ id: 'r5', ...bad, parties: [{ id: 'B1', roles: ['buyer'] }, { id: 'S1', roles: ['supplier'] }] }),
  ];
  const { report } = await validate(dir, 'ocds10.jsonl', lines);
  expect([...new Set(report.findings.map((f) => f.buyer))]).toEqual(['MX-RFC-GDF9712054NA', 'Dirección Nacional (DNCP)', 'b1', null, 'B1']);
});

test('DECP: a record of the interim 2.0.0 shape is checked against our 2.0.0 schema, not 2.0.3 (no false shape errors, its own errors at their pointers); XML values the XSD refuses stay errors', async () => {
  const r = await runCli(['validate', '--decp', join(SHARED, 'decp/schemas/2024-v2.0.0/examples/json/mar-basique.json'), '--report', join(tmp(), 'r.json')]);
  // (its subcontractors' SIRETs fail the Luhn check, as convert says too: the only errors)
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/2 errors \(0 schema, 0 input, 2 checks\), 0 warnings/);
  const dir = tmp();
  const schemaFindings = async (name: string, text: string): Promise<string[]> => {
    writeFileSync(join(dir, name), text);
    await runCli(['validate', '--decp', join(dir, name), '--report', join(dir, `${name}.json`)]);
    return (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Report).findings.filter((f) => f.rule.startsWith('schema.') || f.rule.startsWith('decp.schema')).map((f) => `${f.rule.split(' ')[0]!} ${f.pointer}`);
  };
  const interim = (JSON.parse(readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.0/examples/json/mar-basique.json'), 'utf8')) as { marches: Array<Record<string, unknown>> }).marches[0]!;
  // what 2.0.0 allows and 2.0.3 refuses (an amount of 0, empty code lists, null for "not concerned"): valid
  expect(await schemaFindings('ok.json', JSON.stringify({ marches: [{ ...interim, montant: 0, ccag: null, origineUE: null, idAccordCadre: null }] }))).toEqual([]);
  // 2.0.3's labels, a missing list, a holder without its kind of identifier, a field 2.0.0 has not: errors at their pointers
  const { modificationsActesSousTraitance: _left, ...withoutList } = interim;
  expect(
    await schemaFindings('bad.json', JSON.stringify({ marches: [{ ...withoutList, ccag: "Maitrise d'œuvre", technique: ['Sans objet'], titulaires: [{ id: '81223113200026' }], uid: '2135023880001912' }] })),
  ).toEqual([
    'schema.required /modificationsActesSousTraitance',
    'schema.additionalProperties /uid',
    'schema.enum /technique/0',
    'schema.enum /ccag',
    'schema.required /titulaires/0/typeIdentifiant',
  ]);
  // (lists all empty: 2.0.0's singular code list, `technique`, says which schema it is)
  const bareLists: Record<string, unknown> = { ...interim, titulaires: [], actesSousTraitance: [], modificationsActesSousTraitance: [], modifications: [] };
  delete bareLists['considerationsSociales'];
  delete bareLists['considerationsEnvironnementales'];
  expect(await schemaFindings('empty-lists.json', JSON.stringify({ marches: [bareLists] }))).toEqual(['schema.required /considerationsSociales', 'schema.required /considerationsEnvironnementales', 'schema.minItems /titulaires']);
  // the 2.0.0 XSD's empty text is its JSON schema's null (`<idAccordCadre/>`, `<ccag/>`): valid; a label out of its list is not
  const xml200 = readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.0/examples/xml/mar-basique.xml'), 'utf8');
  expect(xml200).toContain('<idAccordCadre/>');
  expect(await schemaFindings('ok200.xml', xml200.replace(/<ccag>[^<]*<\/ccag>/, '<ccag/>').replace(/<origineUE>[^<]*<\/origineUE>/, '<origineUE> </origineUE>'))).toEqual([]);
  expect(await schemaFindings('bad200.xml', xml200.replace(/<ccag>[^<]*<\/ccag>/, '<ccag>Autre</ccag>').replace(/<origineUE>[^<]*<\/origineUE>/, '<origineUE>1.5</origineUE>'))).toEqual(['schema.enum /ccag', 'schema.maximum /origineUE']);
  // (a 2024 record without any list is no evidence of the interim shape: checked against 2.0.3, its missing lists reported)
  const bare = { id: '2024-9', acheteur: { id: '21350238800019' }, nature: 'Marché', objet: 'x', codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 12, dateNotification: '2024-01-10', datePublicationDonnees: '2024-01-11', montant: 1000, formePrix: 'Forfaitaire', offresRecues: 2 };
  writeFileSync(join(dir, 'bare.json'), JSON.stringify({ marches: [bare] }));
  await runCli(['validate', '--decp', join(dir, 'bare.json'), '--report', join(dir, 'bare.report.json')]);
  const bareRules = (JSON.parse(readFileSync(join(dir, 'bare.report.json'), 'utf8')) as Report).findings.map((f) => f.rule);
  expect(bareRules).toContain('schema.required /titulaires');
  expect(bareRules).not.toContain('schema.required /modificationsActesSousTraitance');
  const xml = (montant: string, flag: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?><marches><marche><id>2024-1</id><acheteur><id>21350238800019</id></acheteur><nature>Marché</nature><objet>x</objet><codeCPV>45000000</codeCPV><procedure>Procédure adaptée</procedure><lieuExecution><code>35238</code><typeCode>Code commune</typeCode></lieuExecution><dureeMois>12</dureeMois><dateNotification>2024-01-10</dateNotification><datePublicationDonnees>2024-01-11</datePublicationDonnees><montant>${montant}</montant><formePrix>Forfaitaire</formePrix><offresRecues>2</offresRecues><marcheInnovant>${flag}</marcheInnovant><attributionAvance>false</attributionAvance><sousTraitanceDeclaree>false</sousTraitanceDeclaree><ccag>Travaux</ccag><typesPrix><typePrix>Définitif ferme</typePrix></typesPrix><techniques><technique>Sans objet</technique></techniques><modalitesExecution><modaliteExecution>Tranches</modaliteExecution></modalitesExecution><considerationsSociales><considerationSociale>Pas de considération sociale</considerationSociale></considerationsSociales><considerationsEnvironnementales><considerationEnvironnementale>Pas de considération environnementale</considerationEnvironnementale></considerationsEnvironnementales><titulaires><titulaire><id>41436537056563</id><typeIdentifiant>SIRET</typeIdentifiant></titulaire></titulaires><modifications/><actesSousTraitance/><modificationsActesSousTraitance/><tauxAvance>0</tauxAvance><typeGroupementOperateurs>Pas de groupement</typeGroupementOperateurs><origineUE>0</origineUE><origineFrance>0</origineFrance></marche></marches>`;
  const rules = async (name: string, text: string): Promise<string[]> => {
    writeFileSync(join(dir, name), text);
    await runCli(['validate', '--decp', join(dir, name), '--report', join(dir, `${name}.json`)]);
    return (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Report).findings.filter((f) => f.rule.startsWith('schema.')).map((f) => f.pointer).sort();
  };
  const base = await rules('ok.xml', xml('575000.00', 'false'));
  expect(await rules('exp.xml', xml('5.75e5', 'false'))).toEqual([...base, '/montant'].sort());
  expect(await rules('bool.xml', xml('575000.00', 'TRUE'))).toEqual([...base, '/marcheInnovant'].sort());
});

test('DECP: a 2019 record with a field only 2024 has is checked against the 2019 schema (its names are 2019\'s), not held to 2.0.0 nor 2.0.3', async () => {
  const dir = tmp();
  const m2019 = { _type: 'Marché', id: '2018A30600', acheteur: { id: '20002715900017', nom: 'VILLE DE DUNKERQUE' }, nature: 'Marché', objet: 'Travaux', codeCPV: '45320000', procedure: 'Procédure adaptée', lieuExecution: { code: '59183', typeCode: 'Code commune', nom: 'DUNKERQUE' }, dureeMois: 'douze', dateNotification: '2018-12-31', datePublicationDonnees: '2019-02-06', formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '41473937500023', denominationSociale: 'DEPITRE' }], modifications: [] };
  const schemaErrors = async (name: string, record: Record<string, unknown>): Promise<{ code: number; pointers: string[] }> => {
    writeFileSync(join(dir, name), JSON.stringify({ marches: [record] }));
    const r = await runCli(['validate', '--decp', join(dir, name), '--report', join(dir, `${name}.json`)]);
    const report = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Report;
    return { code: r.code, pointers: report.findings.filter((f) => f.rule.startsWith('schema.')).map((f) => `${f.rule} ${f.pointer}`).sort() };
  };
  const control = await schemaErrors('control.json', m2019);
  expect(control).toEqual({ code: 1, pointers: ['schema.required /montant /montant', 'schema.type /dureeMois /dureeMois'] });
  expect(await schemaErrors('offres.json', { ...m2019, offresRecues: 3 })).toEqual(control);
  expect(await schemaErrors('accord.json', { ...m2019, dureeMois: 12, montant: 1000, titulaires: [], idAccordCadre: 'AC-1' })).toEqual({ code: 1, pointers: ['schema.minItems /titulaires /titulaires'] });
});

test('an integer a double cannot hold is judged as the number the file wrote (a title written so is a type error; an amount is not); one a double holds stays a number', async () => {
  const dir = tmp();
  const { code, report } = await validate(dir, 'long.jsonl', [
    '{"ocid":"ocds-abc123-1","id":"r1","date":"2021-04-14T00:00:00Z","tag":["tender"],"initiationType":"tender","tender":{"id":"t","value":{"amount":1000000000000000,"currency":"PYG"}}}',
    '{"ocid":"ocds-abc123-2","id":"r2","date":"2021-04-14T00:00:00Z","tag":["tender"],"initiationType":"tender","tender":{"id":"t","value":{"amount":12345678901234567,"currency":"COP"}}}',
    '{"ocid":"ocds-abc123-3","id":"r3","date":"2021-04-14T00:00:00Z","tag":["tender"],"initiationType":"tender","tender":{"id":"t","title":12345678901234567}}',
    '{"ocid":"ocds-abc123-4","id":"r4","date":"2021-04-14T00:00:00Z","tag":["tender"],"initiationType":"tender","tender":{"id":"t","title":10000000000000000}}',
    '{"ocid":"ocds-abc123-5","releases":[{"ocid":"ocds-abc123-5","id":"r5","date":"2021-04-14T00:00:00Z","tag":["tender"],"initiationType":"tender","tender":{"id":"t","title":12345678901234567,"value":{"amount":12345678901234567,"currency":"COP"}}}]}',
  ]);
  expect(code).toBe(1);
  expect(report.findings.filter((f) => f.rule.startsWith('schema.')).map((f) => [f.rule, f.value])).toEqual([
    ['schema.type /tender/title', '12345678901234567'],
    ['schema.type /tender/title', '10000000000000000'],
    ['schema.type /tender/title', '12345678901234567'],
  ]);
});

test('a file that cannot be read at all is in the report, not only on stderr (exit 3)', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'bad.json.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
  writeFileSync(join(dir, 'ok.jsonl'), JSON.stringify(release()));
  const r = await runCli(['validate', join(dir, 'bad.json.gz'), join(dir, 'missing.json'), join(dir, 'ok.jsonl'), '--report', join(dir, 'r.json'), '--report', join(dir, 'r.csv')]);
  expect(r.code).toBe(3);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report & { summary: { files: number; inputErrors: number } };
  expect(report.findings.map((f) => f.rule).sort()).toEqual(['input.INGEST_GZIP', 'input.INGEST_NOT_FOUND']);
  expect(report.summary).toMatchObject({ files: 3, inputErrors: 2 });
  expect(readFileSync(join(dir, 'r.csv'), 'utf8')).toContain('input.INGEST_NOT_FOUND');
});

test('DECP XML: an element the XSD does not have is an error, as the XSD says (found by an audit: <siege> in a 2019 <acheteur>, <pays> in a 2024 <lieuExecution> were no finding); DGFiP\'s own elements are taken; in JSON the 2019 schema takes an extra field', async () => {
  const dir = tmp();
  const lyon = join(SHARED, 'decp/samples/2019-xml/grandlyon_metropole-de-lyon_1-record.xml');
  const mar = readFileSync(join(SHARED, 'decp/schemas/2019-v1.5.0/examples/xml/mar-basique.xml'), 'utf8');
  writeFileSync(join(dir, 'extra-2019.xml'), mar.replace('<nom>Ville de Rennes</nom>', '<nom>Ville de Rennes</nom><siege>Rennes</siege>'));
  const m24 = readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.3/examples/xml/Marche.xml'), 'utf8');
  writeFileSync(join(dir, 'extra-2024.xml'), m24.replace('<lieuExecution>', '<lieuExecution><pays>FR</pays>'));
  const json = JSON.parse(readFileSync(join(SHARED, 'decp/schemas/2019-v1.5.0/examples/json/mar-basique.json'), 'utf8')) as { marches: Array<Record<string, unknown>> };
  json.marches[0]!['siege'] = 'Rennes';
  writeFileSync(join(dir, 'extra-2019.json'), JSON.stringify(json));
  const r = await runCli(['validate', '--decp', lyon, join(dir, 'extra-2019.xml'), join(dir, 'extra-2024.xml'), join(dir, 'extra-2019.json'), '--report', join(dir, 'r.json')]);
  expect(r.code).toBe(1);
  const findings = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { findings: Array<{ file: string; index: number; rule: string; pointer: string; message: string; value: string }> }).findings.filter((f) => f.rule.startsWith('schema.additionalProperties'));
  // (the Grand Lyon sample's <dateTransmissionDonneesEtalab> is DGFiP's, whose variant of the 2019 XSD, marches-dgfip.xsd, has it)
  expect(findings.map((f) => [f.file.split('/').pop(), f.index, f.rule, f.pointer, f.value])).toEqual([
    ['extra-2019.xml', 0, 'schema.additionalProperties /acheteur/siege', '/acheteur/siege', 'Rennes'],
    ['extra-2024.xml', 0, 'schema.additionalProperties /lieuExecution/pays', '/lieuExecution/pays', 'FR'],
  ]);
  expect(findings[0]!.message).toContain('<siege> is not an element the DECP XSD allows here');
  // the official XML examples of every version hold none
  const examples = ['2019-v1.5.0', '2024-v2.0.0', '2024-v2.0.3'].flatMap((v) => readdirSync(join(SHARED, 'decp/schemas', v, 'examples/xml')).map((f) => join(SHARED, 'decp/schemas', v, 'examples/xml', f)));
  await runCli(['validate', '--decp', ...examples, '--report', join(dir, 'ex.json')]);
  expect((JSON.parse(readFileSync(join(dir, 'ex.json'), 'utf8')) as { findings: Array<{ rule: string }> }).findings.filter((f) => f.rule.startsWith('schema.additionalProperties'))).toEqual([]);
});

test('DECP XML: an attribute is an error, as the XSD says (it has none; found by an audit: <montant devise="EUR"> was a warning, the record valid); the XML machinery\'s are not', async () => {
  const dir = tmp();
  const mar = readFileSync(join(SHARED, 'decp/schemas/2019-v1.5.0/examples/xml/mar-basique.xml'), 'utf8');
  expect(mar).toContain('xsi:noNamespaceSchemaLocation');
  writeFileSync(join(dir, 'attr.xml'), mar.replace('<montant>', '<montant devise="EUR">').replace('<acheteur>', '<acheteur foo="1">'));
  const r = await runCli(['validate', '--decp', join(dir, 'attr.xml'), '--report', join(dir, 'r.json')]);
  expect(r.code).toBe(1);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { summary: { invalid: number }; findings: Array<{ rule: string; severity: string; pointer: string; message: string }> };
  expect(report.summary.invalid).toBe(1);
  expect(report.findings.map((f) => [f.rule, f.severity, f.pointer])).toEqual([
    ['input.INGEST_XML_ATTRIBUTES_DROPPED', 'error', '/montant'],
    ['schema.additionalProperties /acheteur/foo', 'error', '/acheteur/foo'],
  ]);
  expect(report.findings[1]!.message).toContain('nor an attribute');
  // (the example itself, its xmlns and xsi attributes on the root: valid)
  writeFileSync(join(dir, 'ok.xml'), mar);
  expect((await runCli(['validate', '--decp', join(dir, 'ok.xml')])).code).toBe(0);
});

test('DECP XML: an xs:integer with a decimal point (12.0 months) is a type error, as the XSD says', async () => {
  const dir = tmp();
  const m = (duree: string): string => `<marches><marche><id>2018A30600</id><acheteur><id>20002715900017</id><nom>VILLE</nom></acheteur><nature>Marché</nature><objet>Travaux</objet><codeCPV>45320000</codeCPV><procedure>Procédure adaptée</procedure><lieuExecution><code>59183</code><typeCode>Code commune</typeCode><nom>DUNKERQUE</nom></lieuExecution><dureeMois>${duree}</dureeMois><dateNotification>2018-12-31</dateNotification><datePublicationDonnees>2019-02-06</datePublicationDonnees><montant>1000</montant><formePrix>Ferme</formePrix><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>41473937500023</id><denominationSociale>D</denominationSociale></titulaire></titulaires><modifications/></marche></marches>`;
  const pointers = async (name: string, duree: string): Promise<string[]> => {
    writeFileSync(join(dir, name), m(duree));
    await runCli(['validate', '--decp', join(dir, name), '--report', join(dir, `${name}.json`)]);
    return (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Report).findings.filter((f) => f.rule.startsWith('schema.')).map((f) => f.rule);
  };
  expect(await pointers('ok.xml', '+012')).toEqual([]);
  expect(await pointers('dec.xml', '12.0')).toEqual(['schema.type /dureeMois']);
});

// Found by a probe: records read from XML were judged by the JSON schema's date patterns and
// uniqueItems, which the XSDs do not have: the 2024 pattern is unanchored (`2024-05-15T10:00:00`,
// `publié le 2024-05-25` passed), the 2019 one refused `2007-08-13Z` (an xs:date) and took
// `2018-01-26+01:00Z` (none); a `<technique>` or `<titulaire>` given twice was a uniqueItems error
test('DECP XML: dates are checked as xs:date and lists need not hold distinct items, as the XSDs say; JSON records keep the JSON schema\'s rules', async () => {
  const dir = tmp();
  const m2024 = (notified: string, published: string, techniques: string, modified = '2024-06-01'): string =>
    `<marches><marche><id>2024-1</id><acheteur><id>21350238800019</id></acheteur><nature>Marché</nature><objet>x</objet><codeCPV>45000000</codeCPV><procedure>Procédure adaptée</procedure><lieuExecution><code>35238</code><typeCode>Code commune</typeCode></lieuExecution><dureeMois>12</dureeMois><dateNotification>${notified}</dateNotification><datePublicationDonnees>${published}</datePublicationDonnees><montant>1000</montant><formePrix>Forfaitaire</formePrix><offresRecues>2</offresRecues><marcheInnovant>false</marcheInnovant><attributionAvance>false</attributionAvance><sousTraitanceDeclaree>false</sousTraitanceDeclaree><ccag>Travaux</ccag><typesPrix><typePrix>Définitif ferme</typePrix></typesPrix><techniques>${techniques}</techniques><modalitesExecution><modaliteExecution>Tranches</modaliteExecution></modalitesExecution><considerationsSociales><considerationSociale>Clause sociale</considerationSociale></considerationsSociales><considerationsEnvironnementales><considerationEnvironnementale>Clause environnementale</considerationEnvironnementale></considerationsEnvironnementales><titulaires><titulaire><id>41436537056563</id><typeIdentifiant>SIRET</typeIdentifiant></titulaire></titulaires><modifications><modification><id>1</id><dateNotificationModification>${modified}</dateNotificationModification><datePublicationDonneesModification>2024-06-02</datePublicationDonneesModification></modification></modifications><tauxAvance>0</tauxAvance><typeGroupementOperateurs>Pas de groupement</typeGroupementOperateurs><origineUE>0</origineUE><origineFrance>0</origineFrance></marche></marches>`;
  const holder = (id: string, name: string): string => `<titulaire><typeIdentifiant>${id.length === 14 ? 'SIRET' : 'TVA'}</typeIdentifiant><id>${id}</id><denominationSociale>${name}</denominationSociale></titulaire>`;
  const m2019 = (notified: string, holders: string): string =>
    `<marche><id>2010345211203</id><acheteur><id>21350238800019</id><nom>Ville de Rennes</nom></acheteur><nature>Accord-cadre</nature><objet>Jardins</objet><codeCPV>77313000</codeCPV><procedure>Procédure adaptée</procedure><lieuExecution><code>35238</code><typeCode>Code commune</typeCode><nom>Rennes</nom></lieuExecution><dureeMois>24</dureeMois><dateNotification>${notified}</dateNotification><datePublicationDonnees>2007-08-19</datePublicationDonnees><montant>127000</montant><formePrix>Ferme</formePrix><titulaires>${holders}</titulaires><modifications/></marche>`;
  const schemaFindings = async (name: string, text: string): Promise<string[]> => {
    writeFileSync(join(dir, name), text);
    await runCli(['validate', '--decp', join(dir, name), '--report', join(dir, `${name}.json`)]);
    return (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Report).findings.filter((f) => f.rule.startsWith('schema.') || f.rule === 'decp.date').map((f) => `${f.rule} ${String(f.value)}`).sort();
  };
  const one = '<technique>Concours</technique>';
  expect(await schemaFindings('ok.xml', m2024('2024-05-15', '2024-05-25', one))).toEqual([]);
  // a time, words around the day, a Z after an offset, an offset past 14:00: no xs:date; a zone alone is one
  expect(await schemaFindings('dates.xml', m2024('2024-05-15T10:00:00', 'publié le 2024-05-25', one, '2024-06-01+01:00Z'))).toEqual([
    'schema.pattern /dateNotification 2024-05-15T10:00:00',
    'schema.pattern /datePublicationDonnees publié le 2024-05-25',
    'schema.pattern /modifications/*/modification/dateNotificationModification 2024-06-01+01:00Z',
  ]);
  expect(await schemaFindings('zones.xml', m2024('2024-05-15Z', ' 2024-05-25+02:00 ', one, '2024-06-01+14:30'))).toEqual(['schema.pattern /modifications/*/modification/dateNotificationModification 2024-06-01+14:30']);
  // the year 0000 is no xs:date (found by an auditor's probe: taken, a decp.date-year warning only)
  expect((await schemaFindings('y0.xml', m2024('0000-01-01', '2024-05-25', one))).filter((f) => f.startsWith('schema.'))).toEqual(['schema.pattern /dateNotification 0000-01-01']);
  // whether the day exists stays decp.date's (not said twice)
  expect(await schemaFindings('feb30.xml', m2024('2024-02-30', '2024-05-25', one))).toEqual(['decp.date 2024-02-30']);
  expect(await schemaFindings('duptech.xml', m2024('2024-05-15', '2024-05-25', one + one))).toEqual([]);
  const two = holder('81223113200026', 'Garami SARL') + holder('DE814864138', 'Hellman Gmbh');
  expect(await schemaFindings('z.xml', m2019('2007-08-13Z', two))).toEqual([]);
  // a field the schema does not have is not judged as a date (DGFiP's variant has this one, empty in a sample)
  expect(await schemaFindings('dgfip.xml', m2019('2007-08-13', two).replace('</marche>', '<dateTransmissionDonneesEtalab></dateTransmissionDonneesEtalab></marche>'))).toEqual([]);
  expect(await schemaFindings('offsetz.xml', m2019('2018-01-26+01:00Z', two))).toEqual(['schema.pattern /dateNotification 2018-01-26+01:00Z']);
  expect(await schemaFindings('duptit.xml', m2019('2007-08-13', two + holder('DE814864138', 'Hellman Gmbh')))).toEqual([]);
  // the same in JSON: the JSON schema's rules (its 2019 pattern, uniqueItems)
  const json2019 = { id: '2010345211203', acheteur: { id: '21350238800019', nom: 'V' }, nature: 'Accord-cadre', objet: 'J', codeCPV: '77313000', procedure: 'Procédure adaptée', lieuExecution: { code: '35238', typeCode: 'Code commune', nom: 'Rennes' }, dureeMois: 24, dateNotification: '2007-08-13Z', datePublicationDonnees: '2007-08-19', montant: 127000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'TVA', id: 'DE1', denominationSociale: 'H' }, { typeIdentifiant: 'TVA', id: 'DE1', denominationSociale: 'H' }], modifications: [] };
  expect((await schemaFindings('j.json', JSON.stringify({ marches: [json2019] }))).map((f) => f.split(' ')[0])).toEqual(['schema.pattern', 'schema.uniqueItems']);
});

// a release of ours quotes its source as it came in its quality flags' `raw`: that quote looking
// double-encoded was said once more, at /x_decp/qualityFlags/N/raw, beside the fields that carry the
// text (found by an audit on a real PES file: 1 extra finding per release, 2 per record)
test('text that looks double-encoded is said where the release carries it, not again in the quality flag quoting the source', async () => {
  const dir = tmp();
  const title = 'Mise en œuvre du DOCOB site nÂ°208';
  const x_decp = { id: 'A1', qualityFlags: [{ id: 'v0.1', code: 'INGEST_MOJIBAKE', pointer: '/objet' }, { id: 'v0.2', code: 'TEXT_CONTROLS_DECODED', pointer: '/objet', raw: 'Mise en Å\u0093uvre du DOCOB site nÂ°208' }] };
  const r = release({ tender: { id: 't1', title }, x_decp });
  const mojibake = (report: Report): string[] => report.findings.filter((f) => f.rule === 'input.INGEST_MOJIBAKE').map((f) => f.pointer);
  expect(mojibake((await validate(dir, 'release.jsonl', [r])).report)).toEqual(['/tender/title']);
  // in an OCDS record: its release's and its compiled release's text, not their flags' quotes
  const record = { ocid: r['ocid'], releases: [r], compiledRelease: { ...r, id: 'compiled', tag: ['compiled'] } };
  expect(mojibake((await validate(dir, 'record.jsonl', [record])).report)).toEqual(['/releases/0/tender/title', '/compiledRelease/tender/title']);
  // a partner's own field of that name is data: said
  expect(mojibake((await validate(dir, 'partner.jsonl', [release({ tender: { id: 't1', title: 'ok' }, qualityFlags: [{ raw: title }] })])).report)).toEqual(['/qualityFlags/0/raw']);
});

// "wrong type: expected number" beside the value 30000.00 (a string in the file, shown without its
// quotes in every report) read as a false positive: a type error says what the value was (found by an
// audit on a real buyer-profile export whose amounts and durations are all strings)
test('a type error says the type of the value it refuses, not only the type expected', async () => {
  const dir = tmp();
  const m = { id: '2021lhst10000000', acheteur: { id: '21590163800019' }, nature: 'Marché', objet: 'Travaux', codeCPV: '45320000', procedure: 'Procédure adaptée', lieuExecution: { code: '59170', typeCode: 'Code postal', nom: 'CROIX' }, dureeMois: '24', dateNotification: '2021-03-01', datePublicationDonnees: '2021-03-02', montant: '30000.00', formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '41473937500023', denominationSociale: 'D' }], modifications: [{ objetModification: 'x', dateNotificationModification: '2021-04-01', datePublicationDonneesModification: '2021-04-02', montant: null }] };
  writeFileSync(join(dir, 'decp.json'), JSON.stringify({ marches: [m] }));
  await runCli(['validate', '--decp', join(dir, 'decp.json'), '--report', join(dir, 'decp.report.json')]);
  const decp = JSON.parse(readFileSync(join(dir, 'decp.report.json'), 'utf8')) as Report;
  expect(decp.findings.filter((f) => f.rule.startsWith('schema.type')).map((f) => [f.pointer, f.message, f.value])).toEqual([
    ['/dureeMois', 'wrong type: expected integer, got a string', '24'],
    ['/montant', 'wrong type: expected number, got a string', '30000.00'],
    ['/modifications/0/montant', 'wrong type: expected number, got null', 'null'],
  ]);
  const { report } = await validate(dir, 'types.jsonl', [release({ tender: { id: 't', title: 12, value: { amount: '12.5', currency: 'EUR' }, numberOfTenderers: 2.5, items: {} } })]);
  expect(report.findings.filter((f) => f.rule.startsWith('schema.type')).map((f) => [f.pointer, f.message])).toEqual([
    ['/tender/title', 'wrong type: expected string or null, got an integer'],
    ['/tender/items', 'wrong type: expected array, got an object'],
    ['/tender/value/amount', 'wrong type: expected number or null, got a string'],
    ['/tender/numberOfTenderers', 'wrong type: expected integer or null, got a number'],
  ]);
});

// a codelist of 9 codes was listed as its first 8, with no ellipsis: the auditor read the 9th as refused
test('a closed codelist of more than 8 codes is listed with an ellipsis, never cut silently', async () => {
  const dir = tmp();
  const codes = (n: number): string[] => Array.from({ length: n }, (_, k) => `c${k + 1}`);
  const messages = async (name: string, allowed: unknown[]): Promise<string[]> => {
    const patch = join(dir, `${name}.patch.json`);
    writeFileSync(patch, JSON.stringify({ properties: { status: { type: ['string', 'null'], enum: allowed } } }));
    return (await validate(dir, `${name}.jsonl`, [release({ status: 'other' })], ['--extension', patch])).report.findings.filter((f) => f.rule === 'schema.enum /status').map((f) => f.message);
  };
  expect(await messages('nine', codes(9))).toEqual([`not a code of the closed codelist: expected one of ${JSON.stringify(codes(8))}…`]);
  expect(await messages('eight-and-null', [...codes(8), null])).toEqual([`not a code of the closed codelist: expected one of ${JSON.stringify(codes(8))}`]);
  expect(await messages('nine-and-null', [...codes(9), null])).toEqual([`not a code of the closed codelist: expected one of ${JSON.stringify(codes(8))}…`]);
});

// `<datePublicationDonnees>` given twice (Grand Lyon's feed): the finding's value is the later date,
// the one left out, beside a message that said only "the first value is kept": an auditor read the
// value shown as the one kept (found by an audit)
test('DECP XML: an element given twice says that the value shown is the one left out', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'twice.xml'), '<marches><marche><id>2018A30600</id><acheteur><id>20002715900017</id></acheteur><datePublicationDonnees>2019-01-17</datePublicationDonnees><datePublicationDonnees>2018-09-15</datePublicationDonnees></marche></marches>');
  await runCli(['validate', '--decp', join(dir, 'twice.xml'), '--report', join(dir, 'twice.json')]);
  const report = JSON.parse(readFileSync(join(dir, 'twice.json'), 'utf8')) as Report;
  expect(report.findings.filter((f) => f.rule === 'input.INGEST_DUPLICATE_ELEMENT').map((f) => [f.pointer, f.message, f.value])).toEqual([
    ['/datePublicationDonnees', '<datePublicationDonnees> appears more than once: the first value is kept, this later one is left out', '2018-09-15'],
  ]);
});

// what reading an OCDS record found inside its second release (a key given twice, text that looks
// double-encoded) was put on its first release: the first counted invalid, the second valid, and the
// finding named the first's id (found by an audit)
test('what reading a record finds in one of its releases is that release\'s: its id, its validity', async () => {
  const dir = tmp();
  const r1 = release({ tender: { id: 't', title: 'ok' } });
  const r2 = release({ id: 'r2', date: '2021-04-15T00:00:00Z', tag: ['tenderUpdate'], tender: { id: 't', title: 'site nÂ°208' } });
  const line = JSON.stringify({ ocid: r1['ocid'], releases: [r1, r2] }).replace('"id":"r2",', '"id":"r2","language":"fr","language":"es",');
  const { report } = await validate(dir, 'record.jsonl', [line]);
  expect(report.findings.map((f) => [f.rule, f.pointer, (f as unknown as { releaseId: string }).releaseId])).toEqual([
    ['input.INGEST_MOJIBAKE', '/releases/1/tender/title', 'r2'],
    ['input.INGEST_JSON_DUPLICATE_KEY', '/releases/1/language', 'r2'],
  ]);
  expect((report.summary as unknown as { valid: number; invalid: number })).toMatchObject({ valid: 1, invalid: 1 });
  expect(report.findings.length).toBe(2);
  // the text that looks double-encoded is quoted, from its release (it was an empty value: found by a probe)
  expect(report.findings[0]!.value).toBe('site nÂ°208');
  const sources = (report as unknown as { sources: Array<{ releases: number; invalid: number }> }).sources;
  expect(sources).toEqual([expect.objectContaining({ releases: 2, invalid: 1, errors: 1, warnings: 1 })]);
});

// the 2024 XSD (2.0.2) needs a <donneesAnnuelles> in a concession's <donneesExecution>; the 2.0.3 JSON
// schema takes an empty list, which an XML record was judged by (found by an auditor's probe, against xmllint)
test('DECP XML: a 2024 concession whose <donneesExecution> holds no <donneesAnnuelles> is invalid, as its XSD says; the official example is valid', async () => {
  const dir = tmp();
  const example = readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.3/examples/xml/Contrat-concession.xml'), 'utf8');
  const emptied = example.replace(/<donneesExecution>[\s\S]*?<\/donneesExecution>/g, '<donneesExecution></donneesExecution>');
  expect(emptied).not.toBe(example);
  const schemaRules = async (name: string, text: string): Promise<string[]> => {
    writeFileSync(join(dir, name), text);
    await runCli(['validate', '--decp', join(dir, name), '--report', join(dir, `${name}.json`)]);
    return (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Report).findings.filter((f) => f.rule.startsWith('schema.')).map((f) => `${f.rule} ${f.pointer}`);
  };
  expect(await schemaRules('example.xml', example)).toEqual([]);
  // (each of its concessions)
  const concessions = example.match(/<contrat-concession>/g)!.length;
  expect(await schemaRules('emptied.xml', emptied)).toEqual(Array(concessions).fill('schema.minItems /donneesExecution /donneesExecution'));
});

test('a key the reader drops as unsafe (__proto__, constructor) is judged as a field of the record as written: a 2024 DECP record, whose schema lists its fields, is invalid with it, as the official schema says; where a schema takes any field (its acheteur, an OCDS release) it stays valid (found by a differential test of the reports)', async () => {
  const dir = tmp();
  const sample = JSON.parse(readFileSync(join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-13.json'), 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
  const text = JSON.stringify({ marches: { marche: [sample.marches.marche[0]] } }).replace('{"id"', '{"__proto__":{"x":1},"id"').replace('"acheteur":{"id"', '"acheteur":{"constructor":"x","id"');
  writeFileSync(join(dir, 'proto-2024.json'), text);
  const r = await runCli(['validate', '--decp', join(dir, 'proto-2024.json'), '--report', join(dir, 'proto-2024.report.json')]);
  expect(r.code).toBe(1);
  const report = JSON.parse(readFileSync(join(dir, 'proto-2024.report.json'), 'utf8')) as Report;
  expect(report.findings.filter((f) => !f.rule.startsWith('decp.')).map((f) => [f.severity, f.rule, f.pointer])).toEqual([
    ['warning', 'input.INGEST_FORBIDDEN_KEY', '/__proto__'],
    ['warning', 'input.INGEST_FORBIDDEN_KEY', '/acheteur/constructor'],
    ['error', 'schema.additionalProperties /__proto__', '/__proto__'],
  ]);
  // OCDS releases take fields they do not list: said, still valid
  const ocds = await validate(dir, 'proto.jsonl', [JSON.stringify(release()).replace('{"ocid"', '{"__proto__":{"x":1},"ocid"')]);
  expect(ocds.report.findings.map((f) => [f.severity, f.rule, f.pointer])).toEqual([['warning', 'input.INGEST_FORBIDDEN_KEY', '/__proto__']]);
});

test('a key holding "/" or "~" is escaped in the pointer of every kind of finding (RFC 6901: "~1", "~0")', async () => {
  const dir = tmp();
  // a data check's (an empty text)
  const { report } = await validate(dir, 'keys.jsonl', [release({ 'x/y~z': '' })]);
  expect(report.findings.filter((f) => f.rule.startsWith('check.')).map((f) => `${f.rule.split(' ')[0]!} ${f.pointer}`)).toEqual(['check.empty /x~1y~0z']);
  // a schema error's (a field 2.0.0 has not) and a DECP check's (a day that does not exist)
  const interim = (JSON.parse(readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.0/examples/json/mar-basique.json'), 'utf8')) as { marches: Array<Record<string, unknown>> }).marches[0]!;
  writeFileSync(join(dir, 'decp.json'), JSON.stringify({ marches: [{ ...interim, 'date/x~': '2024-02-30' }] }));
  await runCli(['validate', '--decp', join(dir, 'decp.json'), '--report', join(dir, 'decp.report.json')]);
  const decp = JSON.parse(readFileSync(join(dir, 'decp.report.json'), 'utf8')) as Report;
  expect(decp.findings.filter((f) => f.pointer.startsWith('/date~1')).map((f) => `${f.rule.split(' ')[0]!} ${f.pointer}`).sort()).toEqual(['decp.date /date~1x~0', 'schema.additionalProperties /date~1x~0']);
});
