/** `decp-ocds convert` end to end: output, rejects, partner profiles, exit codes. */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { gunzipSync } from 'node:zlib';
import { readBytes, SHARED } from '../helpers/ingest.js';
import { officialValidator } from '../helpers/official-ocds.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = (): string => tempDir('decp-ocds-convert-');
const PARTNER = new URL('../../fixtures/partner/', import.meta.url).pathname;
const BIN = new URL('../../bin/decp-ocds.js', import.meta.url).pathname;
const lines = (text: string): Array<Record<string, unknown>> => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

test('releases go to stdout as JSON Lines; the summary line adds up', async () => {
  const r = await runCli(['convert', join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-20.json')]);
  expect(r.code).toBe(0);
  const rels = lines(r.stdout);
  expect(rels.length).toBeGreaterThan(45);
  expect(rels.every((x) => typeof x['ocid'] === 'string' && (x['ocid'] as string).startsWith('ocds-78apv2-'))).toBe(true);
  expect(r.stderr).toMatch(/^decp-ocds: 45 records read: 45 converted \(\d+ releases\), 0 rejected$/m);
});

test('-o and --rejects write files; a record without an id is a contract of its own (ID_MISSING), one that cannot be a release is rejected with its position', async () => {
  const dir = tmp();
  const r = await runCli(['convert', join(SHARED, 'decp/samples/2019-json/marches-securises_ville-de-croix_2019-2021.json'), '-o', join(dir, 'r.jsonl'), '--rejects', join(dir, 'x.jsonl')]);
  expect(r.code).toBe(0);
  expect(lines(readFileSync(join(dir, 'x.jsonl'), 'utf8'))).toHaveLength(0);
  const rels = lines(readFileSync(join(dir, 'r.jsonl'), 'utf8'));
  expect(r.stderr).toMatch(/159 records read: 159 converted \(\d+ releases\), 0 rejected/);
  // Ville de Croix's 33 contracts with "id": "" (found by a monitors' probe: 39 % of its 2019 contracts
  // were missing from every indicator), each a process of its own, named by its content
  const missing = rels.filter((x) => JSON.stringify(x['x_decp']).includes('"code":"ID_MISSING","pointer":"/id"') && (x['tag'] as string[]).includes('award'));
  expect(missing).toHaveLength(33);
  expect(new Set(missing.map((x) => x['ocid'])).size).toBe(33);
  const noBuyer = join(dir, 'no-buyer.json');
  writeFileSync(noBuyer, JSON.stringify({ marches: [{ id: 'A1', acheteur: { id: '' }, objet: 'x', montant: 1000, dateNotification: '2024-01-02' }] }, null, 1));
  const b = await runCli(['convert', noBuyer, '-o', join(dir, 'b.jsonl'), '--rejects', join(dir, 'y.jsonl')]);
  expect(b.code).toBe(0);
  expect(lines(readFileSync(join(dir, 'y.jsonl'), 'utf8'))).toEqual([expect.objectContaining({ code: 'TRANSFORM_NO_BUYER_ID', line: 3, index: 0 })]);
});

test('a partner copies the profile, edits it, and converts its own format without TypeScript', async () => {
  const dir = tmp();
  const r = await runCli(['convert', '--profile', join(PARTNER, 'profile.json'), '--ocid-prefix', 'ocds-abcdef', join(PARTNER, 'contratos.jsonl'), '--rejects', join(dir, 'x.jsonl')]);
  expect(r.code).toBe(0);
  const rels = lines(r.stdout);
  const validate = officialValidator();
  for (const rel of rels) expect(validate(rel).errors).toEqual([]);
  expect(rels.map((x) => x['tag'])).toEqual([['award', 'contract'], ['contractAmendment'], ['award', 'contract']]);
  const first = rels[0]!;
  expect(first).toMatchObject({ ocid: 'ocds-abcdef-899999061-CD-2024-0117', language: 'es', date: '2024-05-15T00:00:00-05:00' });
  expect((first['awards'] as Array<{ value: unknown }>)[0]!.value).toEqual({ amount: 1234500, currency: 'COP' });
  expect((first['parties'] as Array<{ id: string }>).map((p) => p.id)).toEqual(['CO-RUE-899999061', 'CO-RUE-900123456']);
  expect(lines(readFileSync(join(dir, 'x.jsonl'), 'utf8'))).toEqual([expect.objectContaining({ code: 'TRANSFORM_NO_ID', line: 3 })]);
});

test('a partner\'s record that names an ocid, and nothing else a release has, goes through the profile; an OCDS release does not', async () => {
  const dir = tmp();
  const own = { ocid: 'X-77', referencia: 'CD-2024-0200', entidad: { nit: '899999061', nombre: 'Alcaldía', sector: 'salud' }, objeto: 'Vacunas', valor: '1.000,00', firma: '15/05/2024', contratistas: [{ doc: '900123456', tipo: 'NIT', nombre: 'A', rol: 'líder' }] };
  const release = { ocid: 'ocds-abcdef-1', id: 'r1', date: '2024-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' };
  writeFileSync(join(dir, 'mixed.jsonl'), [own, release].map((x) => JSON.stringify(x)).join('\n'));
  const r = await runCli(['convert', '--profile', join(PARTNER, 'profile.json'), '--ocid-prefix', 'ocds-abcdef', join(dir, 'mixed.jsonl')]);
  expect(r.code).toBe(0);
  const rels = lines(r.stdout);
  expect(rels.map((x) => [x['ocid'], x['tag']])).toEqual([['ocds-abcdef-899999061-CD-2024-0200', ['award', 'contract']], ['ocds-abcdef-1', ['tender']]]);
  // what the profile does not read is kept, at any depth: its own ocid, the buyer's sector, the supplier's role
  expect((rels[0]!['x_decp'] as { unmapped: unknown }).unmapped).toEqual({ ocid: 'X-77', entidad: { sector: 'salud' }, contratistas: [{ rol: 'líder' }] });
});

test('a currency given per record is each record\'s; one that is no ISO 4217 code (dólares, XYZ: three letters, no currency) is flagged, the profile\'s used', async () => {
  const dir = tmp();
  const profile = JSON.parse(readFileSync(join(PARTNER, 'profile.json'), 'utf8')) as { records: { unknown: { fields: Record<string, unknown> } } };
  profile.records.unknown.fields['currency'] = { from: 'moneda' };
  writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
  const base = { entidad: { nit: '899999061' }, objeto: 'x', valor: '1.000,00', firma: '15/05/2024', contratistas: [{ doc: '900123456', tipo: 'NIT' }] };
  writeFileSync(join(dir, 'c.jsonl'), [{ ...base, referencia: 'A', moneda: 'usd' }, { ...base, referencia: 'B' }, { ...base, referencia: 'C', moneda: 'dólares' }, { ...base, referencia: 'D', moneda: 'XYZ' }].map((x) => JSON.stringify(x)).join('\n'));
  const r = await runCli(['convert', '--profile', join(dir, 'p.json'), join(dir, 'c.jsonl')]);
  expect(r.code).toBe(0);
  const rels = lines(r.stdout);
  expect(rels.map((x) => (x['awards'] as Array<{ value: { currency: string } }>)[0]!.value.currency)).toEqual(['USD', 'COP', 'COP', 'COP']);
  expect((rels[2]!['x_decp'] as { qualityFlags: Array<{ code: string; raw?: unknown }> }).qualityFlags).toContainEqual(expect.objectContaining({ code: 'CURRENCY_INVALID', raw: 'dólares' }));
  expect((rels[3]!['x_decp'] as { qualityFlags: Array<{ code: string; raw?: unknown }> }).qualityFlags).toContainEqual(expect.objectContaining({ code: 'CURRENCY_INVALID', raw: 'XYZ' }));
});

test('a currency column that names its currencies is read through a codelist of ISO 4217 codes (found by a partner\'s probe: "Dólar Estadounidense" published as pesos)', async () => {
  const dir = tmp();
  const profile = JSON.parse(readFileSync(join(PARTNER, 'profile.json'), 'utf8')) as { records: { unknown: { fields: Record<string, unknown> } }; codelists: Record<string, unknown> };
  profile.records.unknown.fields['currency'] = { from: 'moneda', transform: 'codelist', codelist: 'monedas' };
  profile.codelists['monedas'] = { 'Peso Colombiano': 'COP', 'Dólar Estadounidense': 'USD', Dólares: 'USD' };
  writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
  const base = { entidad: { nit: '899999061' }, objeto: 'x', valor: '1.000,00', firma: '15/05/2024', contratistas: [{ doc: '900123456', tipo: 'NIT' }] };
  writeFileSync(join(dir, 'c.jsonl'), [{ ...base, referencia: 'A', moneda: 'Dolar estadounidense' }, { ...base, referencia: 'B', moneda: 'DÓLARES' }, { ...base, referencia: 'C', moneda: 'Peso Colombiano' }, { ...base, referencia: 'D', moneda: 'Euro' }, { ...base, referencia: 'E' }].map((x) => JSON.stringify(x)).join('\n'));
  const r = await runCli(['convert', '--profile', join(dir, 'p.json'), join(dir, 'c.jsonl')]);
  expect(r.code).toBe(0);
  const rels = lines(r.stdout);
  expect(rels.map((x) => (x['awards'] as Array<{ value: { currency: string } }>)[0]!.value.currency)).toEqual(['USD', 'USD', 'COP', 'COP', 'COP']);
  // a name the codelist does not know: said twice — unknown label, the profile's currency used
  expect((rels[3]!['x_decp'] as { qualityFlags: Array<{ code: string; raw?: unknown }> }).qualityFlags).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'CODE_UNKNOWN' }), expect.objectContaining({ code: 'CURRENCY_INVALID', raw: 'Euro' })]));
  // the codelist's codes are currencies, checked when the profile loads
  profile.codelists['monedas'] = { 'Dólar Estadounidense': 'dollar' };
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(profile));
  const bad = await runCli(['convert', '--profile', join(dir, 'bad.json'), join(dir, 'c.jsonl')]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/codelists\.monedas: "Dólar Estadounidense" → "dollar": not an ISO 4217 currency code/);
});

test('an amount\'s text naming a currency is judged against its record\'s own currency, not the profile\'s (found by a review: ARS text in a dollar record published as dollars unsaid, USD text there flagged)', async () => {
  const dir = tmp();
  const profile = JSON.parse(readFileSync(join(PARTNER, 'profile.json'), 'utf8')) as { settings: Record<string, unknown>; records: { unknown: { fields: Record<string, unknown> } } };
  profile.settings['currency'] = 'ARS';
  profile.records.unknown.fields['currency'] = { from: 'moneda' };
  writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
  const base = { entidad: { nit: '899999061' }, objeto: 'x', firma: '15/05/2024', contratistas: [{ doc: '900123456', tipo: 'NIT' }] };
  const records = [
    { ...base, referencia: 'A', moneda: 'USD', valor: 'ARS 5.000,00', adiciones: [{ n: 1, fecha: '2024-08-01', valor_total: 'ARS 6.000,00' }] },
    { ...base, referencia: 'B', moneda: 'USD', valor: 'USD 5.000,00', adiciones: [{ n: 1, fecha: '2024-08-01', valor_total: 'USD 6.000,00' }] },
    // without a currency of its own: the profile's, as before
    { ...base, referencia: 'C', valor: 'USD 5.000,00' },
    { ...base, referencia: 'D', valor: 'ARS 5.000,00' },
    // a currency that is none: the profile's is the record's
    { ...base, referencia: 'E', moneda: 'XYZ', valor: 'ARS 5.000,00' },
    // `$`, the peso's sign in a peso source: nothing to say in a record in pesos; in one in dollars,
    // pesos or dollars? said
    { ...base, referencia: 'F', moneda: 'ARS', valor: '$ 5.000,00' },
    { ...base, referencia: 'G', moneda: 'USD', valor: '$ 5.000,00' },
    { ...base, referencia: 'H', valor: '$ 5.000,00' },
  ];
  writeFileSync(join(dir, 'c.jsonl'), records.map((x) => JSON.stringify(x)).join('\n'));
  const r = await runCli(['convert', '--profile', join(dir, 'p.json'), join(dir, 'c.jsonl')]);
  expect(r.code).toBe(0);
  const rels = lines(r.stdout);
  const said = (rel: Record<string, unknown>): unknown[] => (rel['x_decp'] as { qualityFlags?: Array<{ code: string; pointer: string; raw?: unknown }> }).qualityFlags?.filter((f) => f.code.startsWith('AMOUNT_CURRENCY')).map((f) => [f.pointer, f.raw]) ?? [];
  const of = (ref: string): Record<string, unknown> => rels.find((x) => String(x['ocid']).endsWith(`-${ref}`) && (x['tag'] as string[]).includes('award'))!;
  expect(said(of('A'))).toEqual([['/valor', 'ARS 5.000,00'], ['/adiciones/0/valor_total', 'ARS 6.000,00']]);
  expect((of('A')['awards'] as Array<{ value: unknown }>)[0]!.value).toEqual({ amount: 5000, currency: 'USD' });
  expect(said(of('B'))).toEqual([]);
  expect(said(of('C'))).toEqual([['/valor', 'USD 5.000,00']]);
  expect(said(of('D'))).toEqual([]);
  expect(said(of('E'))).toEqual([]);
  expect([said(of('F')), said(of('G')), said(of('H'))]).toEqual([[], [['/valor', '$ 5.000,00']], []]);
  // the internal hand-over never reaches a release
  expect(r.stdout).not.toContain('AMOUNT_CURRENCY_NAMED');
});

test('the type of the buyer\'s identifier, when the source gives it, chooses its scheme', async () => {
  const dir = tmp();
  const profile = JSON.parse(readFileSync(join(PARTNER, 'profile.json'), 'utf8')) as { settings: { schemes: Record<string, string> }; records: { unknown: { fields: Record<string, unknown> } } };
  profile.records.unknown.fields['buyerIdType'] = { from: 'entidad.tipo' };
  profile.settings.schemes['RUT'] = 'CO-RUT';
  writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
  const base = { objeto: 'x', valor: '1.000,00', firma: '15/05/2024', contratistas: [{ doc: '900123456', tipo: 'NIT' }] };
  writeFileSync(join(dir, 'c.jsonl'), [{ ...base, referencia: 'A', entidad: { nit: '899999061', tipo: 'RUT' } }, { ...base, referencia: 'B', entidad: { nit: '899999061' } }].map((x) => JSON.stringify(x)).join('\n'));
  const r = await runCli(['convert', '--profile', join(dir, 'p.json'), join(dir, 'c.jsonl')]);
  expect(lines(r.stdout).map((x) => (x['buyer'] as { id: string }).id)).toEqual(['CO-RUT-899999061', 'CO-RUE-899999061']);
});

test('a classification of another scheme (UNSPSC) is published as such, and no CPV category is guessed from it', async () => {
  const dir = tmp();
  const profile = JSON.parse(readFileSync(join(PARTNER, 'profile.json'), 'utf8')) as { settings: Record<string, unknown>; records: { unknown: { fields: Record<string, unknown> } } };
  profile.records.unknown.fields['cpv'] = { from: 'unspsc', transform: 'text' };
  profile.settings['classificationScheme'] = 'UNSPSC';
  writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
  writeFileSync(join(dir, 'c.jsonl'), JSON.stringify({ referencia: 'A', entidad: { nit: '899999061' }, objeto: 'x', valor: '1.000,00', firma: '15/05/2024', unspsc: '72141100', contratistas: [{ doc: '900123456', tipo: 'NIT' }] }));
  const r = await runCli(['convert', '--profile', join(dir, 'p.json'), join(dir, 'c.jsonl')]);
  const [rel] = lines(r.stdout);
  expect((rel!['contracts'] as Array<{ items: Array<{ classification: unknown }> }>)[0]!.items[0]!.classification).toEqual({ scheme: 'UNSPSC', id: '72141100' });
  expect((rel!['tender'] as Record<string, unknown>)['mainProcurementCategory']).toBeUndefined();
  // the cpv transform checks CPV codes: not for another scheme
  profile.records.unknown.fields['cpv'] = { from: 'unspsc', transform: 'cpv' };
  writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
  const bad = await runCli(['convert', '--profile', join(dir, 'p.json'), join(dir, 'c.jsonl')]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/records\.unknown\.fields\.cpv: a UNSPSC code is read with the transform "unspsc", "text" or "identifier"/);
});

test('a marché\'s own start of execution starts its period; a postal code is in the profile\'s country', async () => {
  const dir = tmp();
  const profile = JSON.parse(readFileSync(join(PARTNER, 'profile.json'), 'utf8')) as { settings: Record<string, unknown>; codelists: Record<string, unknown>; records: { unknown: { fields: Record<string, unknown> } } };
  Object.assign(profile.records.unknown.fields, { dateStart: { from: 'inicio', transform: 'date' }, months: { from: 'meses', transform: 'months' }, placeCode: { from: 'cp', transform: 'identifier' }, placeType: { from: 'tipo_lugar', transform: 'codelist', codelist: 'lugares' } });
  profile.codelists['lugares'] = { 'Código postal': 'postalCode' };
  profile.settings['countryName'] = 'Colombia';
  writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
  writeFileSync(join(dir, 'c.jsonl'), JSON.stringify({ referencia: 'A', entidad: { nit: '899999061' }, objeto: 'x', valor: '1.000,00', firma: '15/05/2024', inicio: '01/06/2024', meses: 2, cp: '110111', tipo_lugar: 'Código postal', contratistas: [{ doc: '900123456', tipo: 'NIT' }] }));
  const r = await runCli(['convert', '--profile', join(dir, 'p.json'), join(dir, 'c.jsonl')]);
  const [rel] = lines(r.stdout);
  const contract = (rel!['contracts'] as Array<{ period: Record<string, unknown>; items: Array<{ deliveryAddresses: unknown }> }>)[0]!;
  expect(contract.period).toMatchObject({ startDate: '2024-06-01T00:00:00-05:00', maxExtentDate: '2024-08-01T00:00:00-05:00', durationInDays: 61 });
  expect(contract.items[0]!.deliveryAddresses).toEqual([{ postalCode: '110111', countryName: 'Colombia' }]);
});

test('records no profile maps are rejected, not dropped', async () => {
  const dir = tmp();
  const f = join(dir, 'x.jsonl');
  writeFileSync(f, '{"foo":1}\n{"id":"1","acheteur":{"id":"21350238800019"}}\n');
  const r = await runCli(['convert', f, '--rejects', join(dir, 'rej.jsonl')]);
  expect(lines(readFileSync(join(dir, 'rej.jsonl'), 'utf8'))).toEqual([expect.objectContaining({ code: 'TRANSFORM_UNSUPPORTED_RECORD', line: 1 })]);
  expect(r.stderr).toMatch(/2 records read: 1 converted \(1 releases\), 1 rejected/);
});

test('a profile saved with a BOM (as Windows editors save UTF-8) is read (found by a probe: "Unexpected token")', async () => {
  const dir = tmp();
  const profile = join(dir, 'p.json');
  writeFileSync(profile, `\uFEFF${readFileSync(new URL('../../mappings/emergency-csv.json', import.meta.url), 'utf8')}`);
  const r = await runCli(['convert', '--profile', profile, join(import.meta.dirname, '../../fixtures/emergency'), '-o', join(dir, 'out.jsonl')]);
  expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/records read: \d+ converted/)]);
});

/** A profile of `unknown` records with the two fields every profile needs, and `more`. */
const profileWith = (more: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string =>
  JSON.stringify({ name: 'x', records: { unknown: { as: 'marche', fields: { id: { from: 'ref' }, buyerId: { from: 'buyer', transform: 'identifier' }, ...more } } }, ...top });

test.each([
  ['not JSON', '{', /not valid JSON/],
  ['an unknown transform', profileWith({ title: { from: 't', transform: 'magic' } }), /records\.unknown\.fields\.title: unknown transform "magic"/],
  ['an unknown codelist', profileWith({ procedure: { from: 'procedure', transform: 'codelist', codelist: 'nope' } }), /records\.unknown\.fields\.procedure: unknown codelist "nope"/],
  ['the codelist transform without its codelist', profileWith({ procedure: { from: 'procedure', transform: 'codelist' } }), /fields\.procedure: the transform "codelist" needs a "codelist" key naming one of the profile's codelists/],
  ['a bad "as"', JSON.stringify({ name: 'x', records: { unknown: { as: 'tender', fields: {} } } }), /"as" must be/],
  // what a partner's first profile gets wrong: each stops the command, saying where and what is expected
  ['a field the canonical contract does not have', profileWith({ ammount: { from: 'monto', transform: 'amount' } }), /records\.unknown\.fields\.ammount: not a field of the canonical contract/],
  ['a misspelt key', profileWith({ amount: { from: 'monto', transfrom: 'amount' } }), /records\.unknown\.fields\.amount: unknown key "transfrom"/],
  ['a transform the builder cannot read there', profileWith({ amount: { from: 'monto', transform: 'date' } }), /fields\.amount: transform must be "amount" \(got "date"\)/],
  ['the default transform where it does not fit', profileWith({ dateConcluded: { from: 'fecha' } }), /fields\.dateConcluded: transform must be "date" \(got "text", the default\)/],
  ['months read as a bare integer (no guard against 0 or 9999 months)', profileWith({ months: { from: 'plazo', transform: 'integer' } }), /fields\.months: transform must be "months" \(got "integer"\)/],
  ['a language that is no ISO 639-1 code', profileWith({}, { settings: { language: 'español' } }), /settings\.language: an ISO 639-1 code/],
  ['a codelist without its transform', profileWith({ procedure: { from: 'p', codelist: 'procedures' } }, { codelists: { procedures: {} } }), /fields\.procedure: transform must be "codelist"/],
  ['a code that is no OCDS code', profileWith({ procedure: { from: 'p', transform: 'codelist', codelist: 'p' } }, { codelists: { p: { 'Licitación pública': 'abierta' } } }), /codelists\.p: "Licitación pública" → "abierta": not a code of procedure/],
  ['a list given as one value', profileWith({ suppliers: { from: 'proveedores' } }), /fields\.suppliers: a list of the canonical contract/],
  ['a value given as a list', profileWith({ title: { list: 'titulos', fields: {} } }), /fields\.title: a single value of the canonical contract, not a list/],
  ['a field of a list item that does not exist', profileWith({ suppliers: { list: 'p', fields: { nmae: { from: 'n' } } } }), /fields\.suppliers\.nmae: not a field of the canonical contract here \(fields: "id", "idType", "name"/],
  ['an empty path', profileWith({ title: { from: '' } }), /fields\.title: "from" has an empty path/],
  ['no path', profileWith({ title: { from: [] } }), /fields\.title: "from" must be a path/],
  ['a record type ingest never reports', JSON.stringify({ name: 'x', records: { unknwon: { as: 'marche', fields: {} } } }), /records\.unknwon: not a record type ingest reports/],
  ['no record type', JSON.stringify({ name: 'x', records: {} }), /"records": an object with at least one record type/],
  ['no name', JSON.stringify({ records: { unknown: { fields: {} } } }), /"name": a non-empty text is needed/],
  ['no id', JSON.stringify({ name: 'x', records: { unknown: { as: 'marche', fields: { buyerId: { from: 'b' } } } } }), /records\.unknown\.fields: "id" is required/],
  ['a time-zone name for an offset', profileWith({}, { settings: { utcOffset: 'America/Argentina/Buenos_Aires' } }), /settings\.utcOffset: a fixed offset "±hh:mm"/],
  ['a misspelt setting', profileWith({}, { settings: { utcOfset: '-03:00' } }), /settings: unknown key "utcOfset"/],
  ['a day order that is neither day first nor month first', profileWith({}, { settings: { dateOrder: 'MDY' } }), /settings\.dateOrder: "day-first" \(the default: 08\/11\/2026 is 8 November\) or "month-first" .*not "MDY"/],
  ['a currency that is no ISO 4217 code', profileWith({}, { settings: { currency: 'pesos' } }), /settings\.currency: an ISO 4217 code/],
  ['schemes as a list', profileWith({}, { settings: { schemes: ['CUIT'] } }), /settings\.schemes: an object/],
  ['a decimal separator that is neither a comma nor a dot', profileWith({}, { settings: { decimalSeparator: ' ' } }), /settings\.decimalSeparator: "," or "\."/],
  ['an unknown top-level key', profileWith({}, { setings: {} }), /the profile: unknown key "setings"/],
])('a profile with %s stops at once: exit 2 and one line', async (_what, text, message) => {
  const dir = tmp();
  writeFileSync(join(dir, 'p.json'), text);
  const r = await runCli(['convert', '--profile', join(dir, 'p.json'), join(SHARED, 'decp/samples/2019-xml')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^decp-ocds: CLI_INVALID_OPTION: /);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe('');
});

describe('OCDS records without embedded releases: their compiledRelease is the ocid\'s one release', () => {
  const compiled = (ocid: string, id: string): Record<string, unknown> => ({ ocid, id, date: '2020-01-01T00:00:00Z', tag: ['compiled'], initiationType: 'tender', awards: [{ id: 'a1', value: { amount: 100, currency: 'USD' } }] });
  const link = { url: 'https://example.org/1.json', date: '2019-01-01T00:00:00Z', tag: ['tender'] };
  const embedded = { ocid: 'ocds-x-5', id: 'e1', date: '2019-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' };
  const records = [
    // 1: linked releases and a compiledRelease (DNCP's, CDMX's shape): the compiled release, as given
    { ocid: 'ocds-x-1', releases: [link], compiledRelease: compiled('ocds-x-1', 'ocds-x-1-2020') },
    // 2: a compiledRelease and no releases at all
    { ocid: 'ocds-x-2', compiledRelease: compiled('ocds-x-2', 'c2') },
    // 3: a versionedRelease only: rejected, with why
    { ocid: 'ocds-x-3', releases: [link], versionedRelease: { ocid: 'ocds-x-3', awards: [{ id: 'a1', value: { amount: [{ releaseID: 'r1', releaseDate: '2019-01-01T00:00:00Z', releaseTag: ['award'], value: 100 }] } }] } },
    // 4: linked releases only: rejected, with why
    { ocid: 'ocds-x-4', releases: [link] },
    // 5: embedded releases: used, never the compiledRelease beside them
    { ocid: 'ocds-x-5', releases: [embedded], compiledRelease: compiled('ocds-x-5', 'not-this-one') },
  ];
  const write = (dir: string): string => {
    const file = join(dir, 'records.jsonl');
    writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return file;
  };

  test('convert and compile: each record accounted for (read = converted + rejected), the compiled release said', async () => {
    const dir = tmp();
    const file = write(dir);
    const c = await runCli(['convert', file, '--rejects', join(dir, 'c.rej')]);
    expect(c.code).toBe(0);
    expect(lines(c.stdout).map((r) => [r['ocid'], r['id'], r['date'], r['tag']])).toEqual([
      ['ocds-x-1', 'ocds-x-1-2020', '2020-01-01T00:00:00Z', ['compiled']],
      ['ocds-x-2', 'c2', '2020-01-01T00:00:00Z', ['compiled']],
      ['ocds-x-5', 'e1', '2019-01-01T00:00:00Z', ['tender']],
    ]);
    expect(lines(c.stdout)[0]).toEqual(records[0]!.compiledRelease);
    const rejects = lines(readFileSync(join(dir, 'c.rej'), 'utf8'));
    expect(rejects.map((r) => [r['line'], r['code']])).toEqual([[3, 'TRANSFORM_UNSUPPORTED_RECORD'], [4, 'TRANSFORM_UNSUPPORTED_RECORD']]);
    expect(rejects[0]!['reason']).toMatch(/with a versionedRelease and no compiledRelease: a versioned release is not read back/);
    expect(rejects[1]!['reason']).toMatch(/linked releases are not fetched \(no network\), and without a compiledRelease/);
    expect(c.stderr).toMatch(/warning: 2 OCDS record\(s\) without embedded releases .* gave their compiledRelease as their one release/);
    expect(c.stderr).toMatch(/5 records read: 3 converted \(3 releases\), 2 rejected/);

    const k = await runCli(['compile', file, '-o', join(dir, 'records.out.jsonl'), '--rejects', join(dir, 'k.rej'), '--warnings', join(dir, 'k.warn')]);
    expect(k.code).toBe(0);
    const out = lines(readFileSync(join(dir, 'records.out.jsonl'), 'utf8')) as Array<{ ocid: string; releases: Array<{ id: string }> }>;
    expect(out.map((r) => [r.ocid, r.releases.map((x) => x.id)]).sort()).toEqual([['ocds-x-1', ['ocds-x-1-2020']], ['ocds-x-2', ['c2']], ['ocds-x-5', ['e1']]]);
    expect(lines(readFileSync(join(dir, 'k.rej'), 'utf8')).map((r) => r['line'])).toEqual([3, 4]);
    expect(lines(readFileSync(join(dir, 'k.warn'), 'utf8')).map((w) => [w['code'], w['line'], w['ocid'], w['releaseId']])).toEqual([
      ['TRANSFORM_COMPILED_RELEASE_ONLY', 1, 'ocds-x-1', 'ocds-x-1-2020'],
      ['TRANSFORM_COMPILED_RELEASE_ONLY', 2, 'ocds-x-2', 'c2'],
    ]);
    expect(k.stderr).toMatch(/3 releases compiled into 3 records; 0 merge warnings; 5 input records read, 2 of them records that gave only their compiledRelease \(history not read\), 2 rejected/);

    // validate: the same releases, each compiled one with its warning
    const v = await runCli(['validate', file, '--report', join(dir, 'v.json')]);
    const rep = JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')) as { summary: Record<string, unknown>; findings: Array<Record<string, unknown>> };
    // (record 2 gives no releases, which the record schema requires: its compiled release is invalid for it;
    // record 4 links its releases only, as OCDS allows: a warning that they are not validated, not invalid)
    expect(rep.summary).toMatchObject({ releases: 4, invalid: 2, notValidated: 1 });
    expect(rep.findings.filter((f) => f['rule'] === 'input.linked-releases').map((f) => [f['line'], f['severity']])).toEqual([[4, 'warning']]);
    expect(rep.findings.filter((f) => f['rule'] === 'record.required /releases').map((f) => [f['line'], f['pointer']])).toEqual([[2, '/releases']]);
    expect(v.code).toBe(1);
    expect(rep.findings.filter((f) => f['rule'] === 'check.compiled-release').map((f) => [f['line'], f['releaseId']])).toEqual([[1, 'ocds-x-1-2020'], [2, 'c2']]);
  });

  test('linked releases beside embedded ones are said: compile warns TRANSFORM_LINKED_RELEASES_LEFT, convert and run count the records (found by a partners sweep)', async () => {
    const dir = tmp();
    const file = join(dir, 'mixed.json');
    const embedded = { ocid: 'ocds-x-1', id: 'r1', date: '2020-01-01T00:00:00Z', tag: ['contract'], contracts: [{ id: 'c1', value: { amount: 8154, currency: 'UAH' } }] };
    const record = { ocid: 'ocds-x-1', releases: [embedded, { url: 'http://example.org/r2.json', date: '2020-02-01T00:00:00Z', tag: ['contractAmendment'] }], compiledRelease: { ...embedded, id: 'c', tag: ['compiled'], contracts: [{ id: 'c1', value: { amount: 9154, currency: 'UAH' } }] } };
    writeFileSync(file, JSON.stringify({ uri: 'x', publishedDate: '2020-03-01T00:00:00Z', version: '1.1', records: [record] }));
    const k = await runCli(['compile', file, '--warnings', join(dir, 'k.warn')]);
    expect(k.code).toBe(0);
    expect(lines(readFileSync(join(dir, 'k.warn'), 'utf8')).map((w) => [w['code'], w['ocid'], w['line']])).toEqual([['TRANSFORM_LINKED_RELEASES_LEFT', 'ocds-x-1', 1]]);
    expect(k.stderr).toMatch(/1 releases compiled into 1 records; 0 merge warnings; 1 input records read, 1 records with linked releases beside embedded ones \(the links not fetched\), 0 rejected/);
    const c = await runCli(['convert', file]);
    expect(lines(c.stdout).map((r) => r['id'])).toEqual(['r1']);
    expect(c.stderr).toMatch(/warning: 1 OCDS record\(s\) list linked releases beside their embedded ones/);
    const r = await runCli(['run', file, '--out', join(dir, 'out'), '--quiet']);
    expect(r.stderr).toMatch(/1 OCDS record\(s\) of the files read list linked releases beside their embedded ones/);
  });

  // OCDS: a compiled release's tag is ["compiled"]. A compiledRelease tagged ["award"] (or not at all)
  // is the record's compiled release all the same: used tagged so, and said; it must not pass for a
  // release of the history (the store would read a first value and a publication date from it)
  test('a compiledRelease whose tag is not ["compiled"] is used tagged so, and said (compile warns, validate checks)', async () => {
    const dir = tmp();
    const file = join(dir, 'mistagged.jsonl');
    const { tag: _tag, ...untagged } = compiled('ocds-x-7', 'c7');
    writeFileSync(file, `${JSON.stringify({ ocid: 'ocds-x-6', releases: [link], compiledRelease: { ...compiled('ocds-x-6', 'c6'), tag: ['award'] } })}\n${JSON.stringify({ ocid: 'ocds-x-7', releases: [link], compiledRelease: untagged })}\n`);
    const c = await runCli(['convert', file]);
    expect(c.code).toBe(0);
    expect(lines(c.stdout).map((r) => [r['ocid'], r['tag']])).toEqual([['ocds-x-6', ['compiled']], ['ocds-x-7', ['compiled']]]);
    const k = await runCli(['compile', file, '-o', join(dir, 'records.out.jsonl'), '--warnings', join(dir, 'k.warn')]);
    expect(k.code).toBe(0);
    const out = lines(readFileSync(join(dir, 'records.out.jsonl'), 'utf8')) as Array<{ ocid: string; releases: Array<{ tag: unknown }> }>;
    expect(out.map((r) => [r.ocid, r.releases.map((x) => x.tag)])).toEqual([['ocds-x-6', [['compiled']]], ['ocds-x-7', [['compiled']]]]);
    expect(lines(readFileSync(join(dir, 'k.warn'), 'utf8')).filter((w) => w['code'] === 'TRANSFORM_COMPILED_RELEASE_TAG').map((w) => [w['line'], w['ocid'], w['releaseId'], w['message']])).toEqual([
      [1, 'ocds-x-6', 'c6', expect.stringMatching(/^the record's compiledRelease is tagged \["award"\], not \["compiled"\]/)],
      [2, 'ocds-x-7', 'c7', expect.stringMatching(/^the record's compiledRelease is tagged nothing \(no tag\), not \["compiled"\]/)],
    ]);
    // (a change made to the input records: not counted with the merge's warnings)
    expect(k.stderr).toMatch(/2 releases compiled into 2 records; 0 merge warnings \(and 2 about input records changed while read\)/);
    const v = await runCli(['validate', file, '--report', join(dir, 'v.json')]);
    const rep = JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')) as { findings: Array<Record<string, unknown>> };
    expect(rep.findings.filter((f) => String(f['rule']).startsWith('check.compiled') || String(f['rule']).includes('/tag')).map((f) => [f['ocid'], f['rule'], f['severity'], f['value']])).toEqual([
      // (each finding quotes the value as the input wrote it: the tag it has, or none)
      ['ocds-x-6', 'check.compiled-release', 'warning', '["award"]'],
      ['ocds-x-6', 'check.compiled-release-tag', 'warning', '["award"]'],
      // the schema reads the compiledRelease as given: a release without a tag is invalid
      ['ocds-x-7', 'schema.required /tag', 'error', ''],
      ['ocds-x-7', 'check.compiled-release', 'warning', ''],
      ['ocds-x-7', 'check.compiled-release-tag', 'warning', ''],
    ]);
    expect(v.code).toBe(1);
  });

  test("Paraguay's DNCP record package (linked releases): its compiled release, no reject", async () => {
    const dir = tmp();
    for (const command of ['convert', 'compile']) {
      const r = await runCli([command, join(SHARED, 'partners/paraguay-dncp/record-package_284182.json'), '--rejects', join(dir, `${command}.rej`), '-o', join(dir, `${command}.out`)]);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, `${command}.rej`), 'utf8')).toBe('');
      const [one, ...more] = lines(readFileSync(join(dir, `${command}.out`), 'utf8'));
      expect(more).toEqual([]);
      const release = (command === 'convert' ? one : (one!['releases'] as unknown[])[0]) as Record<string, unknown>;
      expect([release['ocid'], release['id'], release['tag']]).toEqual(['ocds-03ad3f-284182', '284182-adquisicion-articulos-ferreteria-nivel-central-msp-bs-1', ['compiled']]);
    }
  });

  test("a record's releases that leave out their ocid take the record's (a compiledRelease under the record's ocid; Prozorro's embedded ones)", async () => {
    // found by a partners' probe: DNCP's record with its compiledRelease's ocid left out was one
    // release without an ocid (convert), rejected TRANSFORM_NO_ID by run: the process and its 85
    // priced items lost, though the record names its ocid
    const dir = tmp();
    const pkg = JSON.parse(readFileSync(join(SHARED, 'partners/paraguay-dncp/record-package_284182.json'), 'utf8')) as { records: Array<Record<string, Record<string, unknown>>> };
    delete pkg.records[0]!['compiledRelease']!['ocid'];
    const dncp = join(dir, 'dncp.json');
    writeFileSync(dncp, JSON.stringify(pkg));
    // Prozorro's record has no ocid of its own: its compiledRelease's is its embedded releases'
    const ua = JSON.parse(readFileSync(join(SHARED, 'partners/ukraine-prozorro/record_ocds-be6bcu-UA-2017-04-10-002020-b.json'), 'utf8')) as { releases: Array<Record<string, unknown>> };
    for (const r of ua.releases) r['ocid'] = '  ';
    const prozorro = join(dir, 'ua.json');
    writeFileSync(prozorro, JSON.stringify(ua));
    const r = await runCli(['convert', dncp, prozorro, '--rejects', join(dir, 'rej.jsonl'), '-o', join(dir, 'out.jsonl')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'rej.jsonl'), 'utf8')).toBe('');
    expect(lines(readFileSync(join(dir, 'out.jsonl'), 'utf8')).map((x) => x['ocid'])).toEqual(['ocds-03ad3f-284182', 'ocds-be6bcu-UA-2017-04-10-002020-b']);
    expect(r.stderr).toContain("2 OCDS record(s) whose compiledRelease or embedded releases leave out their ocid: given the record's own");
  });

  test("a record's release of another ocid is published in its own ocid's process, and said (convert and run)", async () => {
    // (compile says TRANSFORM_RECORD_OCID_MISMATCH, validate check.record-ocid: convert and run said nothing)
    const dir = tmp();
    const file = join(dir, 'rec.json');
    const release = (ocid: string, id: string): Record<string, unknown> => ({ ocid, id, date: '2024-01-01T00:00:00Z', tag: ['tender'], initiationType: 'tender' });
    writeFileSync(file, JSON.stringify({ records: [{ ocid: 'ocds-x-1', releases: [release('ocds-x-1', '1'), release('ocds-x-2', '2')] }, { ocid: 'ocds-x-3', releases: [release('ocds-x-3', '3')] }] }));
    const said = '1 OCDS record(s) hold releases of another ocid than the record\'s own: each is published in its own ocid\'s process';
    const r = await runCli(['convert', file]);
    expect(lines(r.stdout).map((x) => [x['ocid'], x['id']])).toEqual([['ocds-x-1', '1'], ['ocds-x-2', '2'], ['ocds-x-3', '3']]);
    expect(r.stderr).toContain(said);
    const run = await runCli(['run', file, '-o', join(dir, 'out')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(said);
    // (a record whose releases are all its own says nothing)
    const own = join(dir, 'own.json');
    writeFileSync(own, JSON.stringify({ ocid: 'ocds-x-1', releases: [release('ocds-x-1', '1')] }));
    expect((await runCli(['convert', own])).stderr).not.toContain('another ocid');
  });

  test('a release that only looks linked (it has its id) is embedded', async () => {
    const dir = tmp();
    const file = join(dir, 'rec.json');
    writeFileSync(file, JSON.stringify({ ocid: 'ocds-x-1', releases: [{ ocid: 'ocds-x-1', id: '1', date: '2024-01-01T00:00:00Z', tag: ['tender'], url: 'https://example.org/1', initiationType: 'tender' }] }));
    const r = await runCli(['convert', file]);
    expect(lines(r.stdout)).toEqual([expect.objectContaining({ id: '1' })]);
  });
});

test('a 2024 list whose one wrapper item holds the whole list ([{"titulaire":[…]}], [{"modification":[…]}]) gives the same releases', async () => {
  const dir = tmp();
  const doc = JSON.parse(readFileSync(join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-19.json'), 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
  const m = doc.marches.marche.find((x) => Array.isArray(x['modifications']) && (x['modifications'] as unknown[]).length > 1 && (x['titulaires'] as unknown[]).length > 0)!;
  const flat = join(dir, 'flat.json');
  writeFileSync(flat, JSON.stringify({ marches: { marche: [m] } }));
  const nested = join(dir, 'nested.json');
  const inner = (list: unknown, item: string): unknown[] => [{ [item]: (list as Array<Record<string, unknown>>).map((x) => x[item]) }];
  writeFileSync(nested, JSON.stringify({ marches: { marche: [{ ...m, titulaires: inner(m['titulaires'], 'titulaire'), modifications: inner(m['modifications'], 'modification') }] } }));
  const releases = async (f: string): Promise<unknown[]> => {
    const r = await runCli(['convert', f, '--run-date', '2026-01-01T00:00:00Z']);
    expect(r.code).toBe(0);
    // (what names the file is left out)
    return r.stdout.trim().split('\n').map((l) => JSON.parse(l.replaceAll(f, 'F').replace(/"sourceSha256":"\w+"/, '"sourceSha256":""')) as unknown);
  };
  const want = await releases(flat);
  expect(want.length).toBe(1 + (m['modifications'] as unknown[]).length);
  expect(await releases(nested)).toEqual(want);
});

/** A file of 20 records without a buyer (rejected) and 5 good ones. */
function noBuyers(): string {
  const file = join(tmp(), 'no-buyers.json');
  const m = (k: number, buyer: string): Record<string, unknown> => ({ id: `N${k}`, acheteur: { id: buyer }, objet: 'x', montant: 1000, dateNotification: '2024-01-02' });
  writeFileSync(file, JSON.stringify({ marches: [...Array.from({ length: 20 }, (_, k) => m(k, '')), ...Array.from({ length: 5 }, (_, k) => m(20 + k, '21350238800019'))] }));
  return file;
}

test('--max-rejects turns rejects into exit 1, said with its code (as a JSON line\'s code field too)', async () => {
  const croix = noBuyers();
  const r = await runCli(['convert', croix, '--max-rejects', '10', '-o', join(tmp(), 'r.jsonl')]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^decp-ocds: INGEST_TOO_MANY_REJECTS: \d+ records rejected, more than --max-rejects 10: exit 1$/m);
  const j = await runCli(['convert', croix, '--max-rejects', '10', '-o', join(tmp(), 'r.jsonl'), '--log-format', 'json']);
  expect(j.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(expect.objectContaining({ level: 'error', code: 'INGEST_TOO_MANY_REJECTS' }));
});

test('stdout takes one output: --rejects - beside releases on stdout is refused (found by a contract audit: they mixed)', async () => {
  const croix = noBuyers();
  const r = await runCli(['convert', croix, '--rejects', '-']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^decp-ocds: CLI_INVALID_OPTION: --rejects - would write to stdout, which carries --output's lines: give it a file\n$/);
  // with the releases in a file, stdout is the rejects'
  const out = join(tmp(), 'r.jsonl');
  const ok = await runCli(['convert', croix, '--rejects', '-', '-o', out]);
  expect(ok.code).toBe(0);
  expect(ok.stdout.trim().split('\n').every((l) => 'reason' in (JSON.parse(l) as object))).toBe(true);
  const both = await runCli(['compile', out, '--warnings', '-', '--rejects', '-', '-o', join(tmp(), 'c.jsonl')]);
  expect(both.code).toBe(2);
});

test('--debug under --log-format json: the stack is a field of the error line, every stderr line JSON', async () => {
  const r = await runCli(['flags', '--db', join(tmp(), 'none.duckdb'), '--debug', '--log-format', 'json']);
  expect(r.code).toBe(3);
  const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toEqual([expect.objectContaining({ code: 'INGEST_NOT_FOUND', stack: expect.stringContaining('PipelineError') })]);
});

test('--concurrency 2 converts files in worker threads and writes the same bytes as one thread', async () => {
  const dir = tmp();
  const args = (n: string, k: string): string[] => ['convert', join(SHARED, 'decp/samples'), '--concurrency', n, '-o', join(dir, `r${k}.jsonl`), '--rejects', join(dir, `x${k}.jsonl`), '--run-date', '2026-01-01T00:00:00Z'];
  const one = await runCli(args('1', '1'));
  const two = await runCli(args('2', '2'));
  expect([one.code, two.code]).toEqual([0, 0]);
  expect(readFileSync(join(dir, 'r2.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'r1.jsonl'), 'utf8'));
  expect(readFileSync(join(dir, 'x2.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'x1.jsonl'), 'utf8'));
  expect(two.stderr.trim().split('\n').pop()).toBe(one.stderr.trim().split('\n').pop());
});

test('a folder of many small files: gathered into a few worker jobs, the same bytes, rejects and file lines as one thread', async () => {
  const dir = tmp();
  const src = join(dir, 'daily');
  mkdirSync(src);
  const marche = (k: number): object => ({ id: `2024-${k}`, acheteur: { id: '21690123100011' }, nature: 'Marché', objet: `Objet ${k}`, codeCPV: '45000000', procedure: 'Procédure adaptée', lieuExecution: { code: '69001', typeCode: 'Code postal' }, dureeMois: 12, dateNotification: '2024-03-01', datePublicationDonnees: '2024-03-02', montant: 1000 + k, formePrix: 'Ferme', titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '73282932000074' } }] });
  for (let f = 0; f < 40; f++) {
    const name = join(src, `day-${String(f).padStart(2, '0')}.json`);
    // one empty file, one cut short, one with a bad record between good ones: each said where it is
    if (f === 7) writeFileSync(name, '');
    else if (f === 19) writeFileSync(name, JSON.stringify({ marches: { marche: [marche(f * 10)] } }).slice(0, 60));
    else if (f === 31) writeFileSync(name, `{"marches":{"marche":[${JSON.stringify(marche(f * 10))},{"id":NaN 1},${JSON.stringify(marche(f * 10 + 1))}]}}`);
    else writeFileSync(name, JSON.stringify({ marches: { marche: [marche(f * 10), marche(f * 10 + 1)] } }));
  }
  const args = (n: string): string[] => ['convert', src, '--concurrency', n, '-o', join(dir, `r${n}.jsonl`), '--rejects', join(dir, `x${n}.jsonl`), '--run-date', '2026-01-01T00:00:00Z'];
  const one = await runCli(args('1'));
  const two = await runCli(args('2'));
  expect([one.code, two.code]).toEqual([0, 0]);
  expect(readFileSync(join(dir, 'r2.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'r1.jsonl'), 'utf8'));
  expect(readFileSync(join(dir, 'x2.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'x1.jsonl'), 'utf8'));
  expect(lines(readFileSync(join(dir, 'x1.jsonl'), 'utf8')).map((x) => [String(x['file']).split('/').pop(), x['code']])).toEqual([
    ['day-19.json', 'INGEST_RECORD_TRUNCATED'],
    ['day-31.json', 'INGEST_RECORD_SYNTAX'],
  ]);
  // the same lines (the empty file's warning), the same totals
  expect(two.stderr).toBe(one.stderr);
  expect(one.stderr).toMatch(/day-07\.json: INGEST_FILE_SYNTAX/);
  expect(one.stderr.trim().split('\n').pop()).toBe('decp-ocds: 78 records read: 76 converted (76 releases), 2 rejected');
});

describe('-o onto what is not a plain file', () => {
  const xml = join(SHARED, 'decp/samples/2019-xml/grandlyon_metropole-de-lyon_1-record.xml');

  test('a symbolic link is written through: its target gets the releases, the link stays a link', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'target.jsonl'), 'old\n');
    symlinkSync(join(dir, 'target.jsonl'), join(dir, 'link.jsonl'));
    expect((await runCli(['convert', xml, '-o', join(dir, 'link.jsonl')])).code).toBe(0);
    expect(lstatSync(join(dir, 'link.jsonl')).isSymbolicLink()).toBe(true);
    expect(lines(readFileSync(join(dir, 'target.jsonl'), 'utf8'))).toHaveLength(1);
  });

  test('a FIFO is written to directly (a device such as /dev/null the same way), never replaced by a file', async () => {
    const dir = tmp();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (b: Buffer) => (got += b.toString('utf8')));
    const done = new Promise((ok) => reader.on('close', ok));
    expect((await runCli(['convert', xml, '-o', fifo])).code).toBe(0);
    await done;
    expect(lines(got)).toHaveLength(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  test('-o /dev/stdout writes to the descriptor: a log it is appended to keeps its lines', () => {
    const dir = tmp();
    const log = join(dir, 'app.log');
    writeFileSync(log, 'previous line\n');
    const fd = openSync(log, 'a');
    try {
      execFileSync(process.execPath, [BIN, 'convert', xml, '-o', '/dev/stdout', '--quiet'], { stdio: ['ignore', fd, 'ignore'] });
    } finally {
      closeSync(fd);
    }
    const text = readFileSync(log, 'utf8').split('\n');
    expect(text[0]).toBe('previous line');
    expect(lines(text.slice(1).join('\n'))).toHaveLength(1);
  });

  test('a device that is full: PUBLISH_WRITE, exit 4 (not an internal error)', async () => {
    const r = await runCli(['convert', join(SHARED, 'decp/samples/2019-json/pes-marche_via-decp-rama_2019-03-07.json'), '-o', '/dev/full']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^decp-ocds: PUBLISH_WRITE: cannot write \/dev\/full: ENOSPC/m);
  });

  // found by a contract audit: the line gave the system's words and no remedy ("plus a remedy where one exists")
  test('an output that cannot be written says what to do, by its cause, in every command', async () => {
    const dir = tmp();
    const releases = join(dir, 'releases.jsonl');
    expect((await runCli(['convert', xml, '-o', releases])).code).toBe(0);
    const full = await runCli(['convert', xml, '-o', '/dev/full']);
    expect([full.code, full.stderr]).toEqual([4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: cannot write \/dev\/full: ENOSPC[^\n]* — free disk space where the output goes/m)]);
    // a file where a folder of the path goes
    for (const argv of [['convert', xml, '-o'], ['convert', xml, '--rejects'], ['compile', releases, '-o'], ['validate', releases, '--report']]) {
      const r = await runCli([...argv, join(releases, argv[0] === 'validate' ? 'report.json' : 'x.jsonl')]);
      expect([argv.join(' '), r.code, r.stderr]).toEqual([argv.join(' '), 4, expect.stringMatching(/^decp-ocds: PUBLISH_WRITE: [^\n]*ENOTDIR[^\n]* — a part of the output path is a file, not a folder: give another path\n$/)]);
    }
  });

  test('a folder is refused with exit 4 and one line', async () => {
    const r = await runCli(['convert', xml, '-o', tmp()]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^decp-ocds: PUBLISH_WRITE: cannot write .*: it is a folder/m);
  });
});

test('no input could be read at all: exit 3, and the previous output file stays as it was', async () => {
  const dir = tmp();
  const out = join(dir, 'releases.jsonl');
  writeFileSync(out, 'yesterday\n');
  for (const cmd of ['convert', 'compile']) {
    const r = await runCli([cmd, join(dir, 'missing.json'), '-o', out]);
    expect(r.code).toBe(3);
    expect(readFileSync(out, 'utf8')).toBe('yesterday\n');
  }
  expect(readdirSync(dir)).toEqual(['releases.jsonl']);
});

test('convert says a file\'s own issues, as run does: a file without data, a DOCTYPE ignored, text that is not XML between records', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'empty.json'), '');
  const m = (id: string): string => `<marche><id>${id}</id><acheteur><id>21350238800019</id></acheteur><montant>1</montant></marche>`;
  writeFileSync(join(dir, 'stray.xml'), `<?xml version="1.0"?>\n<!DOCTYPE marches>\n<marches>${m('X1')}\n a < b ${m('X2')}</marches>`);
  const r = await runCli(['convert', join(dir, 'empty.json'), join(dir, 'stray.xml'), '-o', join(dir, 'out.jsonl')]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`${join(dir, 'empty.json')}: INGEST_FILE_SYNTAX: the file holds no data`);
  expect(r.stderr).toContain(`${join(dir, 'stray.xml')}: INGEST_XML_DOCTYPE_IGNORED`);
  expect(r.stderr).toMatch(/stray\.xml: INGEST_FILE_SYNTAX: a "<" at line 4, column 4 opens no element/);
  expect(r.stderr).toContain('2 records read: 2 converted');
});

test('an id written as a number past a double\'s range (1E400) is no id: a process named by its content (ID_MISSING), never the ocid "…-Infinity" two records would share', async () => {
  const dir = tmp();
  const m = (id: string, objet: string): string => `{"id":${id},"acheteur":{"id":"21350238800019"},"objet":"${objet}","montant":1000,"dateNotification":"2024-01-02"}`;
  writeFileSync(join(dir, 'ids.json'), `{"marches":[${m('1E400', 'x')},${m('-2e999', 'y')},${m('12', 'z')}]}`);
  const r = await runCli(['convert', join(dir, 'ids.json'), '--rejects', join(dir, 'x.jsonl')]);
  expect(r.code).toBe(0);
  const rels = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { ocid: string; x_decp: unknown });
  expect(rels.map((x) => x.ocid)).toEqual([expect.stringMatching(/^ocds-78apv2-21350238800019-[0-9a-z]{14}$/), expect.stringMatching(/^ocds-78apv2-21350238800019-[0-9a-z]{14}$/), 'ocds-78apv2-21350238800019-12']);
  expect(new Set(rels.map((x) => x.ocid)).size).toBe(3);
  expect(rels.map((x) => JSON.stringify(x.x_decp).includes('"ID_MISSING"'))).toEqual([true, true, false]);
  expect(readFileSync(join(dir, 'x.jsonl'), 'utf8')).toBe('');
});

describe('a profile path that no record of a file has is said, per file, at its end (found by a partner: a mistyped path, exit 0 and nothing said)', () => {
  const mistyped = (): Record<string, unknown> => {
    const profile = JSON.parse(readFileSync(join(PARTNER, 'profile.json'), 'utf8')) as { records: { unknown: { fields: Record<string, Record<string, unknown>> } } };
    const fields = profile.records.unknown.fields;
    fields['title'] = { from: 'objeto.tittle', transform: 'text' };
    fields['dateConcluded'] = { from: 'firmado', transform: 'date' };
    fields['datePublished'] = { from: ['publicado', 'firma'], transform: 'date' };
    fields['suppliers'] = { ...fields['suppliers'], list: 'proveedores' };
    (fields['modifications']!['fields'] as Record<string, unknown>)['description'] = { from: 'detalle', transform: 'text' };
    return profile;
  };

  test('JSON Lines: each field, list and list item field path, with its file, on stderr; the same lines on one thread and on two', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(mistyped()));
    const data = readFileSync(join(PARTNER, 'contratos.jsonl'), 'utf8');
    writeFileSync(join(dir, 'a.jsonl'), data);
    writeFileSync(join(dir, 'b.jsonl'), data.split('\n')[1]!);
    const args = (n: string): string[] => ['convert', '--profile', join(dir, 'profile.json'), '--ocid-prefix', 'ocds-abcdef', join(dir, 'a.jsonl'), join(dir, 'b.jsonl'), '--concurrency', n, '-o', join(dir, `r${n}.jsonl`)];
    const one = await runCli(args('1'));
    const two = await runCli(args('2'));
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(two.stderr).toBe(one.stderr);
    const said = one.stderr.split('\n').filter((l) => l.includes('INGEST_PROFILE_COLUMN_MISSING'));
    expect(said).toEqual([
      `decp-ocds: warning: ${join(dir, 'a.jsonl')}: INGEST_PROFILE_COLUMN_MISSING: the profile reads "objeto.tittle" (title), "firmado" (dateConcluded), "adiciones[].detalle" (modifications.description), which none of the file's 3 record(s) has: nothing is read from them (keys are matched without case, accents or separators; a field a file may lack is marked "optional": true)`,
      `decp-ocds: warning: ${join(dir, 'a.jsonl')}: INGEST_PROFILE_COLUMN_MISSING: the profile reads the list(s) "proveedores" (suppliers), which none of the file's 3 record(s) has: none of their items is read (a list a file may lack is marked "optional": true)`,
      // (the second file's record has no amendment, nor a duration, which a profile marks optional when files may lack them: said;
      // the items' fields of a list without items are not judged; "publicado" has its alternative, "firma")
      `decp-ocds: warning: ${join(dir, 'b.jsonl')}: INGEST_PROFILE_COLUMN_MISSING: the profile reads "objeto.tittle" (title), "firmado" (dateConcluded), "plazo_meses" (months), which none of the file's 1 record(s) has: nothing is read from them (keys are matched without case, accents or separators; a field a file may lack is marked "optional": true)`,
      `decp-ocds: warning: ${join(dir, 'b.jsonl')}: INGEST_PROFILE_COLUMN_MISSING: the profile reads the list(s) "proveedores" (suppliers), "adiciones" (modifications), which none of the file's 1 record(s) has: none of their items is read (a list a file may lack is marked "optional": true)`,
    ]);
    // the fixed profile says nothing
    const fixed = await runCli(['convert', '--profile', join(PARTNER, 'profile.json'), '--ocid-prefix', 'ocds-abcdef', join(dir, 'a.jsonl'), '-o', join(dir, 'fixed.jsonl')]);
    expect(fixed.stderr).not.toContain('INGEST_PROFILE_COLUMN_MISSING');
  });

  test('XML through a profile too; a CSV file is said once, by its header check', async () => {
    const dir = tmp();
    const profile = JSON.parse(readFileSync(new URL('../../mappings/decp.json', import.meta.url), 'utf8')) as { records: { marche: { fields: Record<string, unknown> } } };
    profile.records.marche.fields['title'] = { from: 'objett', transform: 'prose' };
    writeFileSync(join(dir, 'decp.json'), JSON.stringify(profile));
    const xml = join(SHARED, 'decp/samples/2019-xml/grandlyon_metropole-de-lyon_1-record.xml');
    const x = await runCli(['convert', '--profile', join(dir, 'decp.json'), xml, '-o', join(dir, 'x.jsonl')]);
    expect(x.code).toBe(0);
    expect(x.stderr).toContain(`${xml}: INGEST_PROFILE_COLUMN_MISSING: the profile reads "objett" (title) (did you mean "objet"?), which none of the file's 1 record(s) of type "marche" has`);
    // the bundled profile over the same file: nothing (what 2019 files lack is optional there)
    expect((await runCli(['convert', xml, '-o', join(dir, 'y.jsonl')])).stderr).not.toContain('INGEST_PROFILE_COLUMN_MISSING');
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ name: 'csv', records: { unknown: { as: 'marche', fields: { id: { from: 'ref' }, buyerId: { from: 'nit', transform: 'identifier' }, title: { from: 'objett', transform: 'prose' } } } } }));
    writeFileSync(join(dir, 'c.csv'), 'ref,nit,objet\nA,899999061,Obras\n');
    const c = await runCli(['convert', '--profile', join(dir, 'p.json'), '--ocid-prefix', 'ocds-abcdef', join(dir, 'c.csv'), '-o', join(dir, 'c.jsonl')]);
    expect(c.stderr.split('\n').filter((l) => l.includes('INGEST_PROFILE_COLUMN_MISSING'))).toEqual([expect.stringMatching(/c\.csv: INGEST_PROFILE_COLUMN_MISSING: the profile reads "objett" \(did you mean "objet"\?\), which the header line does not have/)]);
  });

  test('run counts it in the file\'s issues (run.json), as a CSV header\'s', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(mistyped()));
    writeFileSync(join(dir, 'a.jsonl'), readFileSync(join(PARTNER, 'contratos.jsonl')));
    const r = await runCli(['run', '--profile', join(dir, 'profile.json'), '--ocid-prefix', 'ocds-abcdef', join(dir, 'a.jsonl'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'a.jsonl')}: INGEST_PROFILE_COLUMN_MISSING: the profile reads "objeto.tittle" (title)`);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')) as { inputs: Array<{ file: string; issues: number }> };
    expect(report.inputs).toEqual([expect.objectContaining({ file: join(dir, 'a.jsonl'), issues: 2 })]);
  });

  test('the bundled profile over every real sample (2019 and 2024, JSON and XML) says nothing', async () => {
    const dir = tmp();
    const r = await runCli(['convert', join(SHARED, 'decp/samples'), '-o', join(dir, 'r.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('INGEST_PROFILE_COLUMN_MISSING');
  });
});

describe('a withheld path of a JSON or XML file: one no record has is said, every spelling of one withheld (found by a partner: a misspelt withhold published a legal representative, unsaid)', () => {
  const withholding = (withhold: string[]): Record<string, unknown> => {
    const profile = JSON.parse(readFileSync(join(PARTNER, 'profile.json'), 'utf8')) as { records: { unknown: Record<string, unknown> } };
    profile.records.unknown['withhold'] = withhold;
    return profile;
  };

  test('JSON Lines: a misspelt withheld path is said, once per file, in the channel of the other paths; spelt right, nothing', async () => {
    const dir = tmp();
    const data = readFileSync(join(PARTNER, 'contratos.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    writeFileSync(join(dir, 'a.jsonl'), data.map((r, i) => JSON.stringify({ ...r, representante_legal: { nombres: `Persona ${i}`, cargo: 'Gerente' } })).join('\n'));
    writeFileSync(join(dir, 'misspelt.json'), JSON.stringify(withholding(['representante_legal.nombre'])));
    writeFileSync(join(dir, 'right.json'), JSON.stringify(withholding(['representante_legal.nombres'])));
    const args = (profile: string): string[] => ['convert', '--profile', join(dir, profile), '--ocid-prefix', 'ocds-abcdef', join(dir, 'a.jsonl'), '-o', join(dir, `${profile}.jsonl`)];
    const misspelt = await runCli(args('misspelt.json'));
    expect(misspelt.code).toBe(0);
    expect(misspelt.stderr.split('\n').filter((l) => l.includes('INGEST_PROFILE_COLUMN_MISSING'))).toEqual([
      `decp-ocds: warning: ${join(dir, 'a.jsonl')}: INGEST_PROFILE_COLUMN_MISSING: the profile withholds "representante_legal.nombre" (did you mean "representante_legal.nombres"?), which none of the file's 3 record(s) has: if a path is misspelt, the value it should hide may be published under another spelling, in x_decp.unmapped (keys are matched without case, accents or separators)`,
    ]);
    expect(readFileSync(join(dir, 'misspelt.json.jsonl'), 'utf8')).toContain('Persona 0');
    const right = await runCli(args('right.json'));
    expect(right.stderr).not.toContain('INGEST_PROFILE_COLUMN_MISSING');
    expect(readFileSync(join(dir, 'right.json.jsonl'), 'utf8')).not.toContain('Persona');
  });

  test('XML too: the bundled profile withholding a misspelt path over a real sample says it; spelt right, nothing', async () => {
    const dir = tmp();
    const xml = join(SHARED, 'decp/samples/2019-xml/grandlyon_metropole-de-lyon_1-record.xml');
    const said = async (withhold: string[]): Promise<string[]> => {
      const profile = JSON.parse(readFileSync(new URL('../../mappings/decp.json', import.meta.url), 'utf8')) as { records: { marche: Record<string, unknown> } };
      profile.records.marche['withhold'] = withhold;
      writeFileSync(join(dir, 'p.json'), JSON.stringify(profile));
      const r = await runCli(['convert', '--profile', join(dir, 'p.json'), xml, '-o', join(dir, 'x.jsonl')]);
      expect(r.code).toBe(0);
      return r.stderr.split('\n').filter((l) => l.includes('INGEST_PROFILE_COLUMN_MISSING'));
    };
    expect(await said(['lieuExecution.nomm', 'lieuExecution.typeCode'])).toEqual([expect.stringContaining(`${xml}: INGEST_PROFILE_COLUMN_MISSING: the profile withholds "lieuExecution.nomm", which none of the file's 1 record(s) of type "marche" has`)]);
    expect(await said(['lieuExecution.nom', 'lieuExecution.typeCode'])).toEqual([]);
  });

  test('the SECOP II sample as JSON Lines through mappings/secop2.json (the API\'s keys, or the Export\'s names): nothing said, nothing withheld published', async () => {
    const dir = tmp();
    const got = await readBytes(gunzipSync(readFileSync(join(SHARED, 'partners/colombia-secop2/contratos_20260812.csv.gz'))), { csv: {} });
    const profile = JSON.parse(readFileSync(new URL('../../mappings/secop2.json', import.meta.url), 'utf8')) as { records: { unknown: { withhold: string[] } } };
    const withheld = profile.records.unknown.withhold;
    // (an API leaves out empty values; the Export names its columns for people: accents where the API writes `_`)
    const display = (k: string): string => k.split('_').map((w) => ({ identificaci: 'Identificación', n: '', mero: 'Número', g: '', nero: 'Género' })[w] ?? `${w[0]!.toUpperCase()}${w.slice(1)}`).filter(Boolean).join(' ');
    expect(display('identificaci_n_representante_legal')).toBe('Identificación Representante Legal');
    const rows = got.records.map((r) => Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== '')));
    writeFileSync(join(dir, 'api.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(join(dir, 'export.jsonl'), rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [withheld.includes(k) ? display(k) : k, v])))).join('\n'));
    // what the withheld columns hold that is a person's (a name, a document number), not a placeholder,
    // nor a value of a column the profile publishes (a supplier who is their own legal representative)
    const published = new Set(rows.flatMap((r) => Object.entries(r).filter(([k]) => !withheld.includes(k)).map(([, v]) => v)));
    const people = [...new Set(rows.flatMap((r) => ['nombre_representante_legal', 'identificaci_n_representante_legal', 'n_mero_de_documento_supervisor'].map((k) => r[k])))].filter((v): v is string => typeof v === 'string' && /\d{6}|^[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+ [A-ZÁÉÍÓÚÑ]/i.test(v) && !/definido|descripci/i.test(v) && !published.has(v));
    expect(people.length).toBeGreaterThan(20);
    for (const f of ['api.jsonl', 'export.jsonl']) {
      const r = await runCli(['convert', '--profile', new URL('../../mappings/secop2.json', import.meta.url).pathname, join(dir, f), '-o', join(dir, `out-${f}`)]);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('INGEST_PROFILE_COLUMN_MISSING');
      expect(r.stderr).toMatch(/73 records read: 73 converted/);
      const out = readFileSync(join(dir, `out-${f}`), 'utf8');
      expect(people.filter((p) => out.includes(JSON.stringify(p)))).toEqual([]);
    }
  });
});

test("a partner's profile left with DECP's OCID prefix (and, in run, Etalab as publisher) is said, not published silently under Etalab's name (found by a partners probe)", async () => {
  const { partnerDefaultsWarning, loadProfile } = await import('../../src/ingest/profiles.js');
  const secop = await loadProfile(new URL('../../mappings/secop2.json', import.meta.url).pathname);
  expect(partnerDefaultsWarning(secop, 'ocds-78apv2', undefined)).toBe("the profile maps Colombia's data, published under Etalab's DECP defaults: the OCID prefix ocds-78apv2 (--ocid-prefix) and the publisher Etalab (--publisher-name); give your own");
  expect(partnerDefaultsWarning(secop, 'ocds-k50g02', undefined)).toMatch(/the publisher Etalab/);
  expect(partnerDefaultsWarning(secop, 'ocds-k50g02', 'Colombia Compra Eficiente')).toBeNull();
  // French data (the DECP profile, the emergency purchases' CSV) is Etalab's
  expect(partnerDefaultsWarning(await loadProfile(), 'ocds-78apv2', undefined)).toBeNull();
  expect(partnerDefaultsWarning(await loadProfile(new URL('../../mappings/emergency-csv.json', import.meta.url).pathname), 'ocds-78apv2', undefined)).toBeNull();
  const csv = join(SHARED, 'partners/colombia-secop2/contratos_20260812.csv.gz');
  const profile = new URL('../../mappings/secop2.json', import.meta.url).pathname;
  const dir = tempDir('decp-ocds-partner-prefix-');
  const said = await runCli(['convert', '--profile', profile, csv, '-o', join(dir, 'a.jsonl'), '--quiet']);
  expect(said.stderr).toMatch(/warning.*the profile maps Colombia's data, published under Etalab's DECP defaults: the OCID prefix ocds-78apv2 \(--ocid-prefix\); give your own/);
  const own = await runCli(['convert', '--profile', profile, '--ocid-prefix', 'ocds-k50g02', csv, '-o', join(dir, 'b.jsonl'), '--quiet']);
  expect(own.stderr).not.toMatch(/the profile maps/);
});

test("a partner's profile that leaves currency, utcOffset or language to DECP's French defaults is said (found by a partner's probe: Argentine contracts dated +01:00)", async () => {
  const { frenchDefaultsWarning, loadProfile } = await import('../../src/ingest/profiles.js');
  const fields = { id: { from: 'contratacion' }, buyerId: { from: 'cuit_organismo', transform: 'identifier' as const }, dateConcluded: { from: 'fecha', transform: 'date' as const } };
  const partner = { name: 'ar', settings: { schemes: { CUIT: 'AR-CUIT' }, defaultIdType: 'CUIT', checkSiret: false }, records: { unknown: { as: 'marche' as const, fields } } };
  expect(frenchDefaultsWarning(partner)).toBe("the profile's settings say its data is not France's (defaultIdType CUIT; schemes AR-CUIT) but leave DECP's French defaults: currency EUR (settings.currency: every amount without a currency of its own is published in euros), dates at Paris's midnight, +01:00 or +02:00 (settings.utcOffset), language fr (settings.language); set them (docs/mappings.md, \"settings\")");
  expect(frenchDefaultsWarning({ ...partner, settings: { ...partner.settings, currency: 'ARS', utcOffset: '-03:00' } })).toMatch(/not France's \(currency ARS; utcOffset -03:00; defaultIdType CUIT; schemes AR-CUIT\) but leave DECP's French defaults: language fr \(settings\.language\);/);
  expect(frenchDefaultsWarning({ ...partner, settings: { ...partner.settings, currency: 'ARS', utcOffset: '-03:00', language: 'es' } })).toBeNull();
  // … and, without countryName, the OCID prefix and publisher left to Etalab's are said all the same
  const { partnerDefaultsWarning } = await import('../../src/ingest/profiles.js');
  expect(partnerDefaultsWarning(partner, 'ocds-78apv2', undefined)).toBe("the profile maps non-French (defaultIdType CUIT; schemes AR-CUIT) data, published under Etalab's DECP defaults: the OCID prefix ocds-78apv2 (--ocid-prefix) and the publisher Etalab (--publisher-name); give your own");
  expect(partnerDefaultsWarning(partner, 'ocds-ar1234', 'Oficina Nacional de Contrataciones')).toBeNull();
  // the bundled profiles and the example say nothing: French data, or every setting given
  for (const p of ['../../mappings/decp.json', '../../mappings/emergency-csv.json', '../../mappings/secop2.json', '../../fixtures/partner/profile.json']) expect([p, frenchDefaultsWarning(await loadProfile(new URL(p, import.meta.url).pathname))]).toEqual([p, null]);
  const dir = tempDir('decp-ocds-partner-french-');
  writeFileSync(join(dir, 'p.json'), JSON.stringify(partner));
  writeFileSync(join(dir, 'c.csv'), 'contratacion;cuit_organismo;fecha\nC1;30-71234567-1;23/03/2020\n');
  const said = await runCli(['convert', '--profile', join(dir, 'p.json'), join(dir, 'c.csv'), '-o', join(dir, 'a.jsonl'), '--quiet']);
  expect(said.stderr).toMatch(/warning: the profile's settings say its data is not France's .*currency EUR/);
});

test("docs/mappings.md's example profile loads and leaves no French default a partner's data needs (a partner copies it)", async () => {
  const { frenchDefaultsWarning, loadProfile } = await import('../../src/ingest/profiles.js');
  const doc = readFileSync(new URL('../../docs/mappings.md', import.meta.url), 'utf8');
  const example = /## The file\n\n```json\n([\s\S]*?)```/.exec(doc)![1]!;
  const file = join(tempDir('decp-ocds-doc-example-'), 'p.json');
  writeFileSync(file, example);
  const profile = await loadProfile(file);
  expect(frenchDefaultsWarning(profile)).toBeNull();
  expect(profile.settings).toMatchObject({ countryName: 'Colombia', schemePrefix: 'CO-LOCAL-' });
});

// found by a partners' probe: a profile whose settings.dateOrder is not the source's (a Mexican
// export's `15/03/2024` read month first) flagged the dates it could not read, and read the others,
// `01/04/2024`, as 4 January, unsaid: a file-level warning names the field and the order that reads them
test('dates that settings.dateOrder cannot read and the other order can are said once per file (INGEST_PROFILE_DATE_ORDER), in CSV and JSON', async () => {
  const dir = tmp();
  const profile = (dateOrder?: string): string => {
    const f = join(dir, `p-${dateOrder ?? 'default'}.json`);
    writeFileSync(f, JSON.stringify({ name: 'mx', settings: { currency: 'MXN', utcOffset: '-06:00', language: 'es', checkSiret: false, ...(dateOrder === undefined ? {} : { dateOrder }) }, records: { unknown: { as: 'marche', fields: {
      id: { from: 'codigo' }, buyerId: { from: 'uc', transform: 'identifier' }, dateConcluded: { from: 'firma', transform: 'date' },
      modifications: { list: 'convenios', optional: true, fields: { id: { from: 'n' }, dateConcluded: { from: 'fecha', transform: 'date' } } },
    } } } }));
    return f;
  };
  writeFileSync(join(dir, 'c.csv'), 'codigo;uc;firma\nA;012M00001;15/03/2024\nB;012M00001;01/04/2024\nC;012M00001;20/03/2024\n');
  const month = await runCli(['convert', '--profile', profile('month-first'), '--ocid-prefix', 'ocds-abcdef', join(dir, 'c.csv'), '-o', join(dir, 'c.jsonl')]);
  expect(month.code).toBe(0);
  expect(month.stderr.split('\n').filter((l) => l.includes('INGEST_PROFILE_DATE_ORDER'))).toEqual([expect.stringContaining('c.csv: INGEST_PROFILE_DATE_ORDER: dates of "firma" (2, such as "15/03/2024") are no days with settings.dateOrder "month-first" (flagged DATE_UNPARSABLE) but are day-first: if the source writes its dates so, give "dateOrder": "day-first"')]);
  // the right order, or dates no order reads (`31/31/2024`): nothing said
  expect((await runCli(['convert', '--profile', profile(), '--ocid-prefix', 'ocds-abcdef', join(dir, 'c.csv'), '-o', join(dir, 'd.jsonl')])).stderr).not.toContain('INGEST_PROFILE_DATE_ORDER');
  writeFileSync(join(dir, 'n.csv'), 'codigo;uc;firma\nA;012M00001;31/31/2024\nB;012M00001;hier\n');
  expect((await runCli(['convert', '--profile', profile(), '--ocid-prefix', 'ocds-abcdef', join(dir, 'n.csv'), '-o', join(dir, 'n.jsonl')])).stderr).not.toContain('INGEST_PROFILE_DATE_ORDER');
  // JSON, a list's items named by the list (positions as *), the default order said so
  writeFileSync(join(dir, 'j.jsonl'), `${JSON.stringify({ codigo: 'A', uc: '012M00001', firma: '2024-03-01', convenios: [{ n: 1, fecha: '06/25/2024' }, { n: 2, fecha: '07/30/2024' }] })}\n`);
  const json = await runCli(['convert', '--profile', profile(), '--ocid-prefix', 'ocds-abcdef', join(dir, 'j.jsonl'), '-o', join(dir, 'j.out.jsonl')]);
  expect(json.stderr).toContain('j.jsonl: INGEST_PROFILE_DATE_ORDER: dates of "convenios.*.fecha" (2, such as "06/25/2024") are no days with settings.dateOrder "day-first" (the default) (flagged DATE_UNPARSABLE) but are month-first');
});
