/**
 * Mapping profiles on disk: the bundled DECP profile (mappings/decp.json) or a
 * partner's own file (--profile). Checked and compiled before any record is read,
 * so that a bad profile stops the command at once (exit 2) with what is wrong.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PipelineError } from '../core/errors.js';
import { compileProfile, keepsDataOut, pathSteps, type MappingProfile, type RecordSpec } from '../transform/profile.js';
import { checkProfile } from '../transform/canonical.js';
import { currencyCodes } from '../validate/schema-store.js';
import { compileOcdsPersonRules, type OcdsPersonRules, type OcdsPersonRulesData } from '../transform/ocds-persons.js';
import type { CsvOptions } from './read-csv.js';
import { ENCODING_CHOICES, normalizeEncodingLabel } from './decode.js';
import { unicodeRegExp } from '../transform/unicode-regexp.js';

const DEFAULT_PROFILE = fileURLToPath(new URL('../../mappings/decp.json', import.meta.url));

/** How a partner's OCDS data says an organisation is a natural person (mappings/ocds-persons.json: ours, read once). */
const OCDS_PERSONS = fileURLToPath(new URL('../../mappings/ocds-persons.json', import.meta.url));
let ocdsPersons: OcdsPersonRules | undefined;
export function ocdsPersonRules(): OcdsPersonRules {
  return (ocdsPersons ??= compileOcdsPersonRules(JSON.parse(readFileSync(OCDS_PERSONS, 'utf8')) as OcdsPersonRulesData));
}

/**
 * JSON.parse's message about a profile, with the line and column of the position it names (Node 20
 * gives a character offset only: `position 2841` of a hand-edited profile says nothing) and, for a
 * bad escape, how a regular expression's backslash is written in JSON (`"^\\d{10}$"`: a partner
 * copying a rule writes `"^\d{10}$"`, which JSON refuses). Found by a partners' probe.
 */
export function jsonSyntaxWhere(message: string, text: string): string {
  const m = /\bposition (\d+)\b/.exec(message);
  let said = message;
  if (m !== null && !/\bline \d+/.test(message)) {
    const at = Math.min(Number(m[1]), text.length);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    said = `${message} (line ${line}, column ${column})`;
  }
  if (/escape/i.test(message)) said += ': a backslash in a JSON text is written twice — a regular expression\'s \\d is "\\\\d" in the profile, a dot of a column name \\. is "\\\\."';
  return said;
}

export async function loadProfile(path: string = DEFAULT_PROFILE): Promise<MappingProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PipelineError('CLI_INVALID_OPTION', `cannot read the mapping profile ${path}: ${(err as Error).message}`, { context: { file: path, option: '--profile' }, cause: err });
  }
  let profile: MappingProfile;
  try {
    // (a BOM, as Windows editors save UTF-8, is no part of the JSON)
    profile = JSON.parse(text.replace(/^\uFEFF/, '')) as MappingProfile;
  } catch (err) {
    throw new PipelineError('CLI_INVALID_OPTION', `the mapping profile ${path} is not valid JSON: ${jsonSyntaxWhere((err as Error).message, text.replace(/^\uFEFF/, ''))}`, { context: { file: path, option: '--profile' }, cause: err });
  }
  try {
    // what the builder reads (the canonical contract: transform/canonical.ts), then the engine's own checks
    checkProfile(profile, currencyCodes());
    compileProfile(profile);
    const enc = profile.settings?.csv?.encoding;
    if (enc !== undefined && normalizeEncodingLabel(enc) === undefined) throw new Error(`settings.csv.encoding: ${JSON.stringify(enc)} is no encoding this reads (${ENCODING_CHOICES})`);
  } catch (err) {
    // (where, in the file, the setting or field the message names is: a hand-edited profile's line)
    const at = whereInProfile((err as Error).message, text.replace(/^\uFEFF/, ''));
    const where = at === undefined ? '' : ` (line ${at.line}, column ${at.column})`;
    throw new PipelineError('CLI_INVALID_OPTION', `the mapping profile ${path} is invalid: ${(err as Error).message}${where}`, { context: { file: path, option: '--profile', ...at }, cause: err, remedy: 'see docs/mappings.md for the profile format' });
  }
  return profile;
}

/**
 * The line and column (1-based) of the key a profile's error names first (`settings.ocidPrefix: …`,
 * `records.unknown.fields.montant: …`): each step's key looked for after the one before, in the
 * file's text (a step the file lacks: the step before it); undefined when the message names no path
 * or its first key is not found.
 */
export function whereInProfile(message: string, text: string): { line: number; column: number } | undefined {
  const path = /^([\p{L}\p{N}_$-]+(?:\.[\p{L}\p{N}_$-]+)*):/u.exec(message)?.[1];
  if (path === undefined) return undefined;
  let at = -1;
  for (const step of path.split('.')) {
    const key = new RegExp(`"${step.replace(/[$]/g, '\\$&')}"\\s*:`, 'g');
    key.lastIndex = Math.max(at, 0);
    const m = key.exec(text);
    // (a key the message names that the file lacks, `settings.publisher.name`: where its object is)
    if (m === null) break;
    at = m.index;
  }
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

/**
 * The OCID prefix and the packages' publisher a command publishes under: the options', else the
 * profile's own (settings.ocidPrefix, settings.publisher), else Etalab's DECP prefix and no
 * publisher (the packages then name Etalab).
 */
export function publishingOf(profile: MappingProfile, given: { ocidPrefix?: string | undefined; publisherName?: string | undefined; publisherUri?: string | undefined }): { ocidPrefix: string; publisherName: string | undefined; publisherUri: string | undefined } {
  const own = profile.settings?.publisher;
  // (a publisher named on the command line, another than the profile's, does not take its uri; the
  // profile's own, named again — a cron that always names it —, keeps it, as --publisher-uri says)
  const publisherName = given.publisherName ?? own?.name;
  const same = given.publisherName === undefined || (own !== undefined && given.publisherName.trim() === own.name.trim());
  const publisherUri = given.publisherUri ?? (same ? own?.uri : undefined);
  return { ocidPrefix: given.ocidPrefix ?? profile.settings?.ocidPrefix ?? DECP_OCID_PREFIX, publisherName, publisherUri };
}

/** The OCID prefix registered for DECP (Etalab's): the default of --ocid-prefix. */
export const DECP_OCID_PREFIX = 'ocds-78apv2';

/**
 * What a partner's profile (its country another than France) would publish under Etalab's name
 * when the options that name the publisher are left to their defaults, as a warning's text, or null
 * (found by a partners' probe: UAH contracts published under ocds-78apv2 and Etalab, unsaid).
 */
export function partnerDefaultsWarning(profile: MappingProfile, ocidPrefix: string, publisherName: string | undefined | null): string | null {
  // (a partner's profile without countryName says it by its other settings: found by a partner's probe)
  const named = profile.settings?.countryName;
  const reasons = nonFrenchSettings(profile);
  const country = named === undefined ? (reasons.length > 0 ? `non-French (${reasons.join('; ')})` : undefined) : `${named}'s`;
  if (country === undefined || (named !== undefined && /^france$/i.test(named.trim()))) return null;
  const defaults = [ocidPrefix === DECP_OCID_PREFIX ? `the OCID prefix ${DECP_OCID_PREFIX} (--ocid-prefix)` : '', publisherName === undefined ? 'the publisher Etalab (--publisher-name)' : ''].filter(Boolean);
  if (defaults.length === 0) return null;
  return `the profile maps ${country} data, published under Etalab's DECP defaults: ${defaults.join(' and ')}; give your own`;
}

/**
 * A partner's profile (its settings say its data is not France's: another currency, language, country,
 * identifier type or scheme, a fixed UTC offset) that leaves other settings to DECP's French defaults,
 * as a warning's text naming them, or null. Found by a partner's probe: an Argentine profile without
 * `utcOffset` dated its contracts at Paris's midnight (`+01:00`), unsaid; without `currency`, a file
 * with no currency column would have published pesos as euros.
 */
export function frenchDefaultsWarning(profile: MappingProfile): string | null {
  const s = profile.settings ?? {};
  const why = nonFrenchSettings(profile);
  if (why.length === 0) return null;
  const left = [
    s.currency === undefined ? 'currency EUR (settings.currency: every amount without a currency of its own is published in euros)' : '',
    s.utcOffset === undefined ? "dates at Paris's midnight, +01:00 or +02:00 (settings.utcOffset)" : '',
    s.language === undefined ? 'language fr (settings.language)' : '',
  ].filter(Boolean);
  if (left.length === 0) return null;
  return `the profile's settings say its data is not France's (${why.join('; ')}) but leave DECP's French defaults: ${left.join(', ')}; set them (docs/mappings.md, "settings")`;
}

/**
 * A profile that publishes identifiers under a scheme whose natural persons mappings/ocds-persons.json
 * knows by the form of their identifier (`AR-CUIT`: 20, 23, 24 or 27 first; `MX-RFC`: 13 characters;
 * `UA-EDR`: 10 digits; `CO-RUE`) and gives no settings.personIdentifiers rule for it — nor, for a
 * scheme that is a person's document whatever its number, a person type of its own — as a warning's
 * text naming the rule to copy, or null. Those rules apply to partners' OCDS data only: such a
 * profile published a person's name, unsaid (found by a partners' probe: an Argentine profile without
 * the CUIT rule published `Juan Pérez`).
 */
export function personRulesWarning(profile: MappingProfile): string | null {
  const s = profile.settings ?? {};
  const looseType = (t: string): string => t.toLowerCase().normalize('NFD').replace(/[^\p{L}\p{N}]/gu, '');
  const personTypes = new Set((s.personIdTypes ?? []).map(looseType));
  const own = (s.personIdentifiers ?? []).map((r) => unicodeRegExp(r.scheme, 'iu'));
  const rules = ((JSON.parse(readFileSync(OCDS_PERSONS, 'utf8')) as OcdsPersonRulesData).personIdentifiers ?? []).map((r) => ({ ...r, re: unicodeRegExp(r.scheme, 'iu') }));
  const left: string[] = [];
  for (const [type, scheme] of Object.entries(s.schemes ?? {})) {
    if (type === '$comment' || own.some((re) => re.test(scheme))) continue;
    const rule = rules.find((r) => r.re.test(scheme));
    if (rule === undefined || (rule.id === '.' && personTypes.has(looseType(type)))) continue;
    const copy = JSON.stringify({ scheme: rule.scheme, id: rule.id });
    if (!left.some((l) => l.includes(copy))) left.push(`${scheme} (${JSON.stringify(type)}): ${copy}`);
  }
  if (left.length === 0) return null;
  return `the profile publishes identifiers under a scheme whose natural persons are known by their identifier's form, with no settings.personIdentifiers rule for it: a supplier who is a person and identified so is published with their name (RGPD). Copy the rule from mappings/ocds-persons.json into settings.personIdentifiers — ${left.join('; ')}`;
}

/** The settings that say a profile's data is not France's (another currency, language, country, identifier type or scheme, a fixed offset). */
function nonFrenchSettings(profile: MappingProfile): string[] {
  const s = profile.settings ?? {};
  const why: string[] = [];
  if (s.currency !== undefined && s.currency !== 'EUR') why.push(`currency ${s.currency}`);
  if (s.language !== undefined && !/^fr$/i.test(s.language)) why.push(`language ${s.language}`);
  if (s.countryName !== undefined && !/^france$/i.test(s.countryName.trim())) why.push(`countryName ${s.countryName}`);
  if (s.utcOffset !== undefined) why.push(`utcOffset ${s.utcOffset}`);
  if (s.defaultIdType !== undefined && !/^siret$/i.test(s.defaultIdType.trim())) why.push(`defaultIdType ${s.defaultIdType}`);
  if (s.buyerIdType !== undefined && !/^siret$/i.test(s.buyerIdType.trim())) why.push(`buyerIdType ${s.buyerIdType}`);
  const schemes = Object.entries(s.schemes ?? {}).filter(([k]) => k !== '$comment').map(([, v]) => v);
  if (schemes.length > 0 && !schemes.some((v) => /^FR-/i.test(v))) why.push(`schemes ${schemes.join(', ')}`);
  return why;
}

/** The root keys of JSON documents whose lists hold this profile's records (settings.json.records). */
export function jsonRecordKeysOf(profile: MappingProfile): string[] | undefined {
  const r = profile.settings?.json?.records;
  return r === undefined ? undefined : typeof r === 'string' ? [r] : [...r];
}

/**
 * What ingest needs to read CSV files for this profile (their rows are `unknown` records), or
 * undefined when the profile maps no such records (a CSV file is then not read: nothing would map it).
 */
export function csvOptionsOf(profile: MappingProfile): CsvOptions | undefined {
  if (!Object.hasOwn(profile.records, 'unknown')) return undefined;
  const c = profile.settings?.csv ?? {};
  // (a grouping column may be written as a field's path of one step names it, `No\\. contrato`: the
  // column `No. contrato`; read as written, the header was renamed to it and every record flagged)
  const groupBy = c.groupBy === undefined ? undefined : (typeof c.groupBy === 'string' ? [c.groupBy] : [...c.groupBy]).map((g) => pathSteps(g).join('.'));
  // a rejected row is not quoted when the profile keeps data out (a raw row would publish it)
  const encoding = c.encoding === undefined ? undefined : normalizeEncodingLabel(c.encoding);
  return { delimiter: c.delimiter, groupBy, lines: c.lines, excerpts: !keepsDataOut(profile), columns: csvColumnsOf(profile.records['unknown']!, c.lines ?? 'lines'), ...(encoding === undefined ? {} : { encoding }) };
}

/**
 * The CSV columns a record spec reads (each field's alternatives) and withholds: the paths of its
 * fields, of its lists read from the row itself (`"."`) and of its grouped rows' list (`lines`), as
 * column names (`\.` a dot of the name). A path of several steps names no column of a flat row.
 * A list read from anywhere else is read from a column, if from anything: its paths are `lists`
 * (`"list": "lignes"` where the rows are grouped under `lines` read no item, unsaid).
 */
function csvColumnsOf(spec: RecordSpec, lines: string): { read: string[][]; withheld: string[]; lists: string[][] } {
  const read: string[][] = [];
  const others: string[][] = [];
  const walk = (fields: RecordSpec['fields']): void => {
    for (const f of Object.values(fields)) {
      if ('fields' in f) {
        const lists = typeof f.list === 'string' ? [f.list] : f.list;
        if (lists.some((l) => l === '.' || l === lines)) walk(f.fields);
        else if (f.optional !== true) others.push(lists.map((p) => pathSteps(p).join('.')));
        continue;
      }
      if (f.from === undefined || f.optional === true) continue;
      read.push((typeof f.from === 'string' ? [f.from] : [...f.from]).map((p) => pathSteps(p).join('.')));
    }
  };
  walk(spec.fields);
  return { read, withheld: (spec.withhold ?? []).map((p) => pathSteps(p).join('.')), lists: others };
}
