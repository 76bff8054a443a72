/**
 * The one module that reads schema files: the project's own (schemas/), or the
 * user's (--schema, --extension). Composes a release schema with extension
 * patches (JSON Merge Patch, as OCDS applies them) and compiles it once.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { AnySchemaObject, ErrorObject } from 'ajv';
import { PipelineError } from '../core/errors.js';
import { mergePatch } from './schema-source/build.js';
import { DECLARED_EXTENSIONS } from './schema-source/ocds.js';
import { daysInMonth } from '../transform/dates.js';
import { canonicalJson, jsonEqual } from '../transform/json-values.js';
import { escapePointer, pointerKeys } from '../core/keys.js';

export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export interface SchemaChoice {
  /** A release schema file (default: ours, OCDS 1.1.5). */
  readonly schema?: string | undefined;
  /** Extension release-schema patches (default with our schema: the declared extensions and x_decp). */
  readonly extensions?: readonly string[] | undefined;
}

export interface SchemaError {
  readonly pointer: string;
  readonly keyword: string;
  readonly message: string;
  /** For a `type` error: the type(s) the schema expects there. */
  readonly expected?: string | readonly string[];
  /** The schema takes null there (a `type` or `enum` error): 2.0.0 writes "not concerned" so. */
  readonly nullable?: boolean;
}

export interface CompiledSchema {
  /** Where the schema came from, for the report. */
  readonly sources: readonly string[];
  readonly schema: Record<string, unknown>;
  validate(value: unknown): SchemaError[];
}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PipelineError('VALIDATE_SCHEMA_LOAD', `cannot read the ${what} ${path}: ${(err as Error).message}`, { context: { file: path }, cause: err });
  }
  try {
    // (a BOM, as Windows editors save UTF-8, is no part of the JSON)
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new PipelineError('VALIDATE_SCHEMA_LOAD', `the ${what} ${path} is not valid JSON: ${(err as Error).message}`, { context: { file: path }, cause: err });
  }
}

/** The file list of our default release schema: OCDS 1.1.5, the declared extensions, x_decp. */
export function defaultSchemaFiles(): { schema: string; extensions: string[] } {
  return {
    schema: join(SCHEMAS_DIR, 'ocds-1.1.5/release-schema.json'),
    extensions: [...DECLARED_EXTENSIONS.map((e) => join(SCHEMAS_DIR, 'extensions', e, 'release-schema.json')), join(SCHEMAS_DIR, 'x_decp/release-schema.json')],
  };
}

let currencies: ReadonlySet<string> | undefined;

/** The ISO 4217 codes our release schema accepts for a currency (its closed codelist), read once. */
export function currencyCodes(): ReadonlySet<string> {
  if (currencies === undefined) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'ocds-1.1.5/release-schema.json'), 'utf8')) as { definitions: { Value: { properties: { currency: { enum: unknown[] } } } } };
    currencies = new Set(schema.definitions.Value.properties.currency.enum.filter((c): c is string => typeof c === 'string'));
  }
  return currencies;
}

/** Fields every OCDS release schema describes. */
const RELEASE_CORE = ['ocid', 'id', 'date', 'tag'] as const;

/**
 * The release schema the merge of data that does not use x_decp follows: ours with the declared
 * extensions, without x_decp (whose merge rule — a modification's supplier list replaces the
 * previous one — is a DECP convention, not a partner's). Not compiled: only its merge rules are read.
 */
export async function releaseSchemaWithoutLocalExtension(): Promise<Record<string, unknown>> {
  const defaults = defaultSchemaFiles();
  let schema = await readJsonFile(defaults.schema, 'release schema');
  for (const p of defaults.extensions) if (!p.includes(`${join('x_decp', 'release-schema.json')}`)) schema = mergePatch(schema, await readJsonFile(p, 'extension'));
  return schema as Record<string, unknown>;
}

/**
 * OCDS 1.0's merge, as a patch on ours: 1.0's organization references (tender.tenderers,
 * awards.suppliers) have no `id`, so their lists are replaced whole. The rules of the 1.0.3 release
 * schema differ from 1.1's in these two only, and in `ocid` (omitted when merged), which compile
 * reads from the releases anyway (test/transform/compile/ocds10-rules.test.ts checks it against the
 * official 1.0.3 schema).
 */
const OCDS_1_0_MERGE_PATCH = {
  definitions: {
    Tender: { properties: { tenderers: { wholeListMerge: true } } },
    Award: { properties: { suppliers: { wholeListMerge: true } } },
  },
};

/** The release schema whose merge rules OCDS 1.0 data follows (see OCDS_1_0_MERGE_PATCH). Not compiled. */
export async function releaseSchemaForOcds10(): Promise<Record<string, unknown>> {
  return mergePatch(await releaseSchemaWithoutLocalExtension(), OCDS_1_0_MERGE_PATCH) as Record<string, unknown>;
}

/** Load, patch and compile a release schema. */
export async function loadReleaseSchema(choice: SchemaChoice = {}): Promise<CompiledSchema> {
  const { schema, sources } = await readReleaseSchema(choice);
  return compileReleaseSchema(schema, sources);
}

/**
 * Load and patch a release schema, not compiled: what reads only its merge rules needs (compiling
 * ours into a validator took a quarter of a second of every `compile`). A schema that is not an
 * OCDS release schema is refused as by loadReleaseSchema.
 */
export async function readReleaseSchema(choice: SchemaChoice = {}): Promise<{ readonly schema: Record<string, unknown>; readonly sources: readonly string[] }> {
  const defaults = defaultSchemaFiles();
  const schemaPath = choice.schema ?? defaults.schema;
  const extensionPaths = choice.extensions ?? (choice.schema === undefined ? defaults.extensions : []);
  let schema = await readJsonFile(schemaPath, 'release schema');
  // any JSON would compile into a schema (`{}` takes everything): a release schema describes releases
  const props = schema !== null && typeof schema === 'object' ? (schema as Record<string, unknown>)['properties'] : undefined;
  const missing = RELEASE_CORE.filter((k) => props === null || typeof props !== 'object' || !Object.prototype.hasOwnProperty.call(props, k));
  if (missing.length > 0) throw new PipelineError('VALIDATE_SCHEMA_LOAD', `${schemaPath} is not an OCDS release schema: its properties lack ${missing.join(', ')}`, { context: { file: schemaPath }, remedy: 'give the release schema (release-schema.json) of OCDS, or leave --schema out' });
  for (const p of extensionPaths) schema = mergePatch(schema, extensionPatch(await readJsonFile(p, 'extension'), p));
  return { schema: schema as Record<string, unknown>, sources: [schemaPath, ...extensionPaths] };
}

/**
 * An extension's release-schema.json: a patch of the release schema's `properties` or
 * `definitions`. Any other JSON would merge into the schema unseen (a release package given by
 * mistake added its `releases` and `uri` as schema keywords, and the data was "valid").
 */
function extensionPatch(patch: unknown, path: string): unknown {
  const keys = patch !== null && typeof patch === 'object' && !Array.isArray(patch) ? Object.keys(patch) : [];
  const schemaLike = keys.some((k) => k === 'properties' || k === 'definitions');
  const data = keys.filter((k) => ['releases', 'records', 'ocid', 'uri', 'publishedDate', 'compiledRelease'].includes(k));
  if (!schemaLike || data.length > 0) {
    const why = !schemaLike ? 'it patches neither "properties" nor "definitions"' : `it has ${data.map((k) => JSON.stringify(k)).join(', ')}, which are data, not schema`;
    throw new PipelineError('VALIDATE_SCHEMA_LOAD', `${path} is not an extension's release schema patch: ${why}`, { context: { file: path }, remedy: "give the extension's release-schema.json" });
  }
  return patch;
}

/** Compile a release schema (draft-04, formats checked) into a validator that returns failing pointers. */
export function compileReleaseSchema(raw: Record<string, unknown>, sources: readonly string[]): CompiledSchema {
  const schema = { ...raw };
  // ids of the official files point at the web; compile offline, as a local schema
  delete schema['id'];
  delete schema['$id'];
  delete schema['$schema'];
  let validate: ((v: unknown) => boolean) & { errors?: ErrorObject[] | null };
  try {
    const ajv = linearUniqueItems(new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, validateFormats: true }));
    (addFormats as unknown as typeof addFormats.default)(ajv);
    ajv.addFormat('date-time', { type: 'string', validate: isRfc3339DateTime });
    validate = ajv.compile(schema);
  } catch (err) {
    throw new PipelineError('VALIDATE_SCHEMA_LOAD', `the release schema cannot be compiled: ${(err as Error).message}`, { context: { file: sources[0] ?? '' }, cause: err });
  }
  return {
    sources,
    schema,
    validate(value) {
      if (validate(value)) return [];
      return (validate.errors ?? []).map((e) => ({ pointer: pointerOf(e), keyword: e.keyword, message: describe(e, value) }));
    },
  };
}

/**
 * RFC 3339's date-time (what OCDS's `format: date-time` means, and what the OCDS data review tool
 * checks): `2021-04-14T00:00:00Z`, `…+02:00`, fractions of a second. ajv-formats also takes a space
 * for the T and offsets without their colon or minutes (`+02`, `+0200`), which RFC 3339 does not.
 */
const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
/** Answers already given (a data set repeats its dates: the check ran once per value, a few % of validation). */
const checkedDateTimes = new Map<string, boolean>();

export function isRfc3339DateTime(text: string): boolean {
  const known = checkedDateTimes.get(text);
  if (known !== undefined) return known;
  const ok = rfc3339DateTime(text);
  if (checkedDateTimes.size >= 4096) checkedDateTimes.clear();
  checkedDateTimes.set(text, ok);
  return ok;
}

function rfc3339DateTime(t: string): boolean {
  if (!RFC3339_DATE_TIME.test(t)) return false;
  // two digits at i (the expression above vouches that they are digits)
  const d = (i: number): number => (t.charCodeAt(i) - 48) * 10 + (t.charCodeAt(i + 1) - 48);
  const year = d(0) * 100 + d(2);
  const month = d(5);
  const day = d(8);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || d(11) > 23 || d(14) > 59 || d(17) > 60) return false;
  const last = t.charCodeAt(t.length - 1);
  const zulu = last === 0x5a || last === 0x7a;
  // Z, or an offset ±hh:mm at the end
  if (!zulu && (d(t.length - 5) > 23 || d(t.length - 2) > 59)) return false;
  if (d(17) < 60) return true;
  // second 60 is a leap second's, which comes at 23:59:60 UTC only (RFC 3339 §5.7): the local time
  // less the offset
  const offset = zulu ? 0 : (t.charCodeAt(t.length - 6) === 0x2d ? -1 : 1) * (d(t.length - 5) * 60 + d(t.length - 2));
  return (((d(11) * 60 + d(14) - offset) % 1440) + 1440) % 1440 === 23 * 60 + 59;
}

/** A keyword's check as Ajv calls it: true, or false with its errors. */
type DataValidateFunction = ((data: unknown) => boolean) & { errors?: Array<Partial<ErrorObject>> };

/** What linearUniqueItems needs of an Ajv instance (both drafts' classes have it). */
interface KeywordHost {
  removeKeyword(keyword: string): unknown;
  addKeyword(definition: { keyword: string; type: 'array'; schemaType: 'boolean'; errors: true; compile: (schema: boolean, parent: AnySchemaObject) => DataValidateFunction }): unknown;
}

/**
 * `uniqueItems` in linear time, with Ajv's own verdicts and errors (`must NOT have duplicate items
 * (items ## j and i are identical)`, params i and j, the same pair). Ajv compares every pair of an
 * array of objects (deep equality): one record of 32,000 suppliers held validation for five
 * minutes, a crafted file at the record size limit for hours. Items are keyed here by a canonical
 * JSON text (keys sorted: deep equality for JSON values), each once. Items whose schema names only
 * scalar types are compared as Ajv does then (by value, items of another type ignored).
 */
export function linearUniqueItems<T extends KeywordHost>(ajv: T): T {
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword({
    keyword: 'uniqueItems',
    type: 'array',
    schemaType: 'boolean',
    errors: true,
    compile(unique, parent) {
      const items = parent['items'];
      const declared = items !== null && typeof items === 'object' && !Array.isArray(items) ? (items as Record<string, unknown>)['type'] : undefined;
      const types = typeof declared === 'string' ? [declared] : Array.isArray(declared) ? (declared as string[]) : [];
      const scalars = types.length > 0 && !types.some((t) => t === 'object' || t === 'array');
      const check: DataValidateFunction = (data: unknown) => {
        if (!unique || !Array.isArray(data) || data.length < 2) return true;
        const pair = scalars ? firstScalarDuplicate(data, types) : firstDuplicate(data);
        if (pair === null) return true;
        const [i, j] = pair;
        check.errors = [{ keyword: 'uniqueItems', params: { i, j }, message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)` }];
        return false;
      };
      return check;
    },
  });
  return ajv;
}

/**
 * Arrays up to this length are compared pair by pair, as Ajv does (at most 120 comparisons, each
 * ending at the first difference, usually the items' ids): most arrays of a release are this short,
 * and a canonical text of each item cost a third of the keyword's time with nothing to find.
 */
const PAIRWISE_UP_TO = 16;

/** Ajv's pair for items of any type: the last item equal to an earlier one (i), and the nearest such earlier one (j). */
function firstDuplicate(data: readonly unknown[]): [number, number] | null {
  if (data.length <= PAIRWISE_UP_TO) {
    for (let i = data.length; i--; ) for (let j = i; j--; ) if (jsonEqual(data[i], data[j])) return [i, j];
    return null;
  }
  const last = new Map<string, number>();
  let found: [number, number] | null = null;
  data.forEach((item, i) => {
    const key = canonicalJson(item);
    const before = last.get(key);
    if (before !== undefined) found = [i, before];
    last.set(key, i);
  });
  return found;
}

/** Ajv's pair for items of scalar types: scanning from the end, the first item seen again (i) and where it was seen (j). */
function firstScalarDuplicate(data: readonly unknown[], types: readonly string[]): [number, number] | null {
  const seen = new Map<string, number>();
  for (let i = data.length; i--; ) {
    const item = data[i];
    if (!types.some((t) => ofType(item, t))) continue;
    // (several types: "1" and 1 differ)
    const key = typeof item === 'string' && types.length > 1 ? `${item}_` : String(item);
    const at = seen.get(key);
    if (at !== undefined) return [i, at];
    seen.set(key, i);
  }
  return null;
}

function ofType(v: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      return false;
  }
}

/**
 * Where an error is: the value's pointer; for a missing field or one not allowed, that field's
 * (an auditor is shown which field, and the rule of each missing field is its own).
 */
function pointerOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const field = e.keyword === 'required' ? p['missingProperty'] : e.keyword === 'additionalProperties' ? p['additionalProperty'] : undefined;
  return typeof field === 'string' ? `${e.instancePath}/${escapePointer(field)}` : e.instancePath;
}

/**
 * What an error says: what is wrong, what was expected and, for a type, what the value was (`"24"`
 * reads as 24 in a report's value column); a value that is an empty text says so (a report's value
 * column, a string without its quotes, shows it as nothing, as it shows a value that is missing).
 */
function describe(e: ErrorObject, root: unknown): string {
  const said = describeKeyword(e, root);
  return e.keyword !== 'required' && e.keyword !== 'additionalProperties' && valueAtPath(root, e.instancePath) === '' ? `${said} (the value is an empty text, "")` : said;
}

/** The value at an instance path (`/a/0`), or undefined. */
function valueAtPath(root: unknown, instancePath: string): unknown {
  let v: unknown = root;
  for (const k of pointerKeys(instancePath)) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function describeKeyword(e: ErrorObject, root: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing required field ${JSON.stringify(p['missingProperty'])}`;
    case 'additionalProperties':
      return `field ${JSON.stringify(p['additionalProperty'])} is not allowed here (the schema lists the fields an object may have)`;
    case 'enum': {
      // (null, which a nullable field's codelist lists, is no code; past 8 codes, an ellipsis says there are more)
      const codes = (p['allowedValues'] as unknown[]).filter((x) => x !== null);
      return `not a code of the closed codelist: expected one of ${JSON.stringify(codes.slice(0, 8))}${codes.length > 8 ? '…' : ''}`;
    }
    case 'type':
      return `wrong type: expected ${(Array.isArray(p['type']) ? (p['type'] as string[]) : [String(p['type'])]).join(' or ')}, got ${jsonTypeAt(root, e.instancePath)}`;
    case 'format':
      return `wrong format: expected ${String(p['format'])}`;
    default:
      return e.message ?? e.keyword;
  }
}

/** The JSON type of the value at an instance path (`/a/0`): a string, a number (an integer), a boolean, null, an array or an object. */
function jsonTypeAt(root: unknown, instancePath: string): string {
  let v: unknown = root;
  for (const k of pointerKeys(instancePath)) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? 'a string' : typeof v === 'boolean' ? 'a boolean' : 'nothing';
}

/**
 * Validators of DECP source records, by generation and record type, from our schemas (schemas/decp-*):
 * `2023-interim` is the 2.0.0 schema, for records of that shape (validate.ts says which those are).
 */
export type DecpValidators = Record<'2019' | '2024' | '2023-interim', Record<'marche' | 'contrat-concession', DecpValidator>>;

/**
 * A DECP record's schema errors. `xml`: the record was read from XML, whose XSD lists every element an
 * element may hold (an `xs:sequence`, no `xs:any`): a field the schema does not have is an error there
 * (`additionalProperties`), where the 2019 JSON schema (and 2.0.0's, below its root) takes it.
 */
export type DecpValidator = (record: unknown, xml?: boolean) => SchemaError[];

export async function loadDecpSchemas(): Promise<{ sources: string[]; validators: DecpValidators }> {
  const files = { '2019': join(SCHEMAS_DIR, 'decp-2019-1.5.0/marches.json'), '2024': join(SCHEMAS_DIR, 'decp-2024-2.0.3/marches.json'), '2023-interim': join(SCHEMAS_DIR, 'decp-2024-2.0.0/marches.json') };
  const validators = {} as DecpValidators;
  for (const version of ['2019', '2024', '2023-interim'] as const) {
    const doc = (await readJsonFile(files[version], 'DECP schema')) as Record<string, unknown>;
    const byType = {} as DecpValidators['2019'];
    for (const type of ['marche', 'contrat-concession'] as const) {
      // the 2019 schema is draft-04, the 2024 ones draft-07; DECP patterns use escapes that the unicode flag refuses
      const ajv = linearUniqueItems(version === '2019' ? new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, unicodeRegExp: false }) : new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: false, unicodeRegExp: false }));
      const v = ajv.compile({ definitions: doc['definitions'], $ref: `#/definitions/${type}` });
      // (the same schema, its objects closed, for records read from XML: compiled when the first comes)
      let closed: typeof v | undefined;
      byType[type] = (record, xml = false) => {
        const fn = xml ? (closed ??= ajv.compile({ definitions: closedObjects(structuredClone(doc['definitions'])), $ref: `#/definitions/${type}` })) : v;
        if (fn(record)) return [];
        // (DGFiP's elements are its variant's of the 2019 XSD, official too: no error)
        const errors = xml && version === '2019' ? (fn.errors ?? []).filter((e) => !(e.keyword === 'additionalProperties' && DGFIP_ELEMENTS.has(String((e.params as Record<string, unknown>)['additionalProperty'])))) : (fn.errors ?? []);
        return errors.map((e) => ({ pointer: pointerOf(e), keyword: e.keyword, message: xml && e.keyword === 'additionalProperties' ? unknownElement(e) : describe(e, record), ...expectedOf(e) }));
      };
    }
    validators[version] = byType;
  }
  return { sources: [files['2019'], files['2023-interim'], files['2024']], validators };
}

/** A schema whose every object that lists its properties takes no other (what an XSD's sequences say). */
function closedObjects(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(closedObjects);
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['properties'] !== null && typeof o['properties'] === 'object' && !('additionalProperties' in o)) o['additionalProperties'] = false;
    for (const v of Object.values(o)) closedObjects(v);
  }
  return node;
}

/**
 * DGFiP's own elements (its variant of the 2019 XSD, marches-dgfip.xsd, beside marches.xsd in the
 * official 1.5.0 schemas: PES Marché's feed), which marches.xsd has not: taken in 2019 XML.
 */
const DGFIP_ELEMENTS: ReadonlySet<string> = new Set(['dateTransmissionDonneesEtalab', 'urlProfilAcheteur']);

/** What an element the XSD does not have is told. */
function unknownElement(e: ErrorObject): string {
  const name = String((e.params as Record<string, unknown>)['additionalProperty']);
  return `<${name}> is not an element the DECP XSD allows here (its sequence lists the elements this one may hold), nor an attribute (it has none)`;
}

/** What a DECP record's value was held to, for reading XML text as the XSD does (decp-checks' coerceXmlValues). */
function expectedOf(e: ErrorObject): Pick<SchemaError, 'expected' | 'nullable'> {
  const p = e.params as Record<string, unknown>;
  const types = e.keyword === 'type' ? (p['type'] as string | string[]) : undefined;
  const nullable = (types !== undefined && (types === 'null' || types.includes('null'))) || (e.keyword === 'enum' && (p['allowedValues'] as unknown[]).includes(null));
  return { ...(types !== undefined ? { expected: types } : {}), ...(nullable ? { nullable } : {}) };
}
