/**
 * JSON/XML parity on real data: every DECP JSON sample (2019 and 2024) is written as the XML its
 * official XSD describes (test/helpers/decp-xml-writer.ts, from the XSD's facts only), and both are
 * converted: the releases must be the same but for the provenance that names the file and its lines.
 * No real 2024 XML is public; this is how its reading is held to the JSON's on real records. The
 * variants platforms write (ISO-8859-1 bytes, namespaces, pretty-printing, `<x/>`, decimal commas,
 * booleans 1/0 oui/non, CDATA, xsi:nil…) are held to the same on a file of each generation.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { decpJsonToXml, readXsd, xmlBytes, type XmlVariant } from '../helpers/decp-xml-writer.js';
import { tempDir } from '../helpers/tmp.js';

const SAMPLES = '../shared/decp/samples';
const XSD_2024 = readXsd('../shared/decp/schemas/2024-v2.0.2/schema_decp_v2.0.2.xsd');
const XSD_2019 = readXsd('../shared/decp/schemas/2019-v1.5.0/marches.xsd');
const dir = tempDir('xml-parity-');

/** A release without what names its file, its line or its format. */
function strip(text: string): Record<string, unknown> {
  const r = JSON.parse(text) as Record<string, unknown> & { x_decp: Record<string, unknown> };
  const { sourceFile: _f, sourceSha256: _s, sourceLine: _l, ...rest } = r.x_decp;
  return { ...r, x_decp: rest };
}

/**
 * A flag's raw value as XML can give it: XML has no types, so the XSD's numbers are read as numbers
 * (`<montant>0.00</montant>` is 0 whether its JSON said 0 or "0.00"), and a text as trimmed.
 */
function sameRaw(a: unknown, b: unknown): boolean {
  const t = (x: unknown): string => String(x).trim();
  return t(a) === t(b) || (t(a) !== '' && Number(t(a)) === Number(t(b)));
}

/** The paths where two values differ (at most `max`). */
function differences(a: unknown, b: unknown, path = '', out: string[] = [], max = 10): string[] {
  if (out.length >= max) return out;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`, out, max);
  } else if (JSON.stringify(a) !== JSON.stringify(b) && !(path.endsWith('/raw') && sameRaw(a, b))) out.push(`${path}: json ${JSON.stringify(a)} xml ${JSON.stringify(b)}`);
  return out;
}

type Doc = Parameters<typeof decpJsonToXml>[0];

/**
 * The records of a large 2019 sample kept to one in SUBSET_STRIDE, with every concession and every
 * record with modifications (the suite stays fast; the 4.6 MB file is converted twice otherwise).
 */
const SUBSET_BYTES = 1_000_000;
const SUBSET_STRIDE = 16;
function subset(doc: Doc): Doc {
  const list = (doc as { marches?: unknown }).marches;
  if (!Array.isArray(list)) return doc;
  return { marches: list.filter((r: Record<string, unknown>, i) => i % SUBSET_STRIDE === 0 || r['_type'] !== 'Marché' || (Array.isArray(r['modifications']) && r['modifications'].length > 0)) as Doc[] };
}

const jsonRuns = new Map<string, Awaited<ReturnType<typeof convertAll>>>();

async function parity(samplePath: string, xsd: ReturnType<typeof readXsd>, variant: XmlVariant = {}, name = 'x', bytes?: 'windows-1252', xmlSide?: (doc: Doc) => Doc): Promise<{ releases: number; diffs: string[] }> {
  const text = readFileSync(samplePath, 'utf8');
  let jsonPath = samplePath;
  let doc = JSON.parse(text) as Doc;
  if (text.length > SUBSET_BYTES) {
    doc = subset(doc);
    jsonPath = join(dir, `${name}.subset.json`);
    writeFileSync(jsonPath, JSON.stringify(doc));
  }
  const xmlPath = join(dir, `${name.replace(/[^\w.-]/g, "_")}.xml`);
  writeFileSync(xmlPath, xmlBytes(decpJsonToXml(xmlSide === undefined ? doc : xmlSide(doc), xsd, variant), bytes ?? (variant.encoding === null || variant.encoding === undefined ? 'UTF-8' : variant.encoding)));
  // (a sample's JSON is converted once for all its variants)
  const j = jsonRuns.get(jsonPath) ?? (await convertAll([jsonPath]));
  jsonRuns.set(jsonPath, j);
  const x = await convertAll([xmlPath]);
  const diffs: string[] = [];
  if (j.texts.length !== x.texts.length) diffs.push(`releases: json ${j.texts.length} xml ${x.texts.length}`);
  if (j.rejects.length !== x.rejects.length) diffs.push(`rejects: json ${j.rejects.length} xml ${x.rejects.length}`);
  for (let i = 0; i < Math.min(j.texts.length, x.texts.length) && diffs.length < 10; i++) {
    for (const d of differences(strip(j.texts[i]!), strip(x.texts[i]!))) diffs.push(`#${i} ${d}`);
  }
  return { releases: j.texts.length, diffs: diffs.slice(0, 10) };
}

const files2024 = readdirSync(join(SAMPLES, '2024-json')).sort();
const files2019 = readdirSync(join(SAMPLES, '2019-json')).sort();

describe('every JSON sample reads the same from the XML of its XSD', () => {
  test.each(files2024)('2024 %s', async (f) => {
    const r = await parity(join(SAMPLES, '2024-json', f), XSD_2024, {}, f);
    expect(r.releases).toBeGreaterThan(0);
    expect(r.diffs).toEqual([]);
  });
  test.each(files2019)('2019 %s', async (f) => {
    const r = await parity(join(SAMPLES, '2019-json', f), XSD_2019, {}, f);
    expect(r.releases).toBeGreaterThan(0);
    expect(r.diffs).toEqual([]);
  });
});

const VARIANTS: Array<[string, XmlVariant]> = [
  ['ISO-8859-1 declaration and bytes', { encoding: 'ISO-8859-1' }],
  ['windows-1252 declaration and bytes', { encoding: 'windows-1252' }],
  ['no declaration', { encoding: null }],
  ['a default namespace', { namespace: 'default' }],
  ['prefixed elements', { namespace: 'prefix' }],
  ['pretty-printed', { pretty: true }],
  ['empty elements as <x/>', { selfClose: true }],
  ['decimal commas', { decimalComma: true }],
  ['booleans 1/0', { booleans: '1/0' }],
  ['booleans oui/non', { booleans: 'oui/non' }],
  ['nulls left out', { omitNulls: true }],
  ['nulls as xsi:nil', { xsiNil: true }],
  ['texts in CDATA sections', { cdata: true }],
  ['CR LF line breaks and tabs', { pretty: true, crlf: true }],
  ['a UTF-8 byte order mark', { bom: true }],
  ['all at once', { encoding: 'ISO-8859-1', namespace: 'prefix', pretty: true, selfClose: true, decimalComma: true, booleans: 'oui/non' }],
];

describe('the XML variants platforms write read as the JSON', () => {
  test.each(VARIANTS)('2024, %s', async (name, variant) => {
    const r = await parity(join(SAMPLES, '2024-json', 'dematis-e-marchespublics_2024-07-daily-20.json'), XSD_2024, variant, `v24-${name}`);
    expect(r.diffs).toEqual([]);
  });
  test.each(VARIANTS)('2019, %s', async (name, variant) => {
    const r = await parity(join(SAMPLES, '2019-json', 'marches-securises_ville-de-croix_2019-2021.json'), XSD_2019, variant, `v19-${name}`);
    expect(r.diffs).toEqual([]);
  });
});

test('2019, windows-1252 bytes under a declaration of ISO-8859-1 (’ € – as bytes 0x92 0x80 0x96)', async () => {
  const r = await parity(join(SAMPLES, '2019-json', 'marches-securises_ville-de-croix_2019-2021.json'), XSD_2019, { encoding: 'ISO-8859-1' }, 'v19-cp1252-as-latin1', 'windows-1252');
  expect(r.diffs).toEqual([]);
});

test('2024, ISO-8859-1 bytes of a text held as UTF-8 read as Latin-1 (`\\u00e2\\u0080\\u0093` for `–`)', async () => {
  const r = await parity(join(SAMPLES, '2024-json', 'dematis-e-marchespublics_2024-07-daily-13.json'), XSD_2024, { encoding: 'ISO-8859-1' }, 'v24-latin1-utf8-as-latin1');
  expect(r.diffs).toEqual([]);
});

test('the comparison sees a difference: one amount changed on the XML side is reported', async () => {
  const r = await parity(join(SAMPLES, '2024-json', 'dematis-e-marchespublics_2024-07-daily-20.json'), XSD_2024, {}, 'v24-changed', undefined, (doc) => {
    const copy = JSON.parse(JSON.stringify(doc)) as { marches: { marche: Array<Record<string, unknown>> } };
    copy.marches.marche[0]!['montant'] = 1234567;
    return copy as unknown as Doc;
  });
  expect(r.diffs.some((d) => d.includes('1234567'))).toBe(true);
});
