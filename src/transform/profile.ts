/**
 * Declarative mapping profiles: data (mappings/*.json) that says where each
 * field of the canonical contract model comes from in a source record and which
 * named transform cleans it, compiled once into a plain function. Pure.
 *
 * A profile is what a partner copies and edits (docs/mappings.md): paths and
 * codelists change, no TypeScript does.
 *
 * Path syntax: `a.b.c` walks objects; a path may list alternatives
 * (`["dateNotification", "dateSignature"]`, first present wins). Lists declare
 * the name of their items (`"item": "titulaire"`) so that 2024 wrapped items
 * (`[{"titulaire":{…}}]`), 2024 string lists (`{"technique":[…]}`), plain
 * 2019 lists and single values all read the same.
 */
import { labelKey, LIST_TRANSFORMS, TRANSFORMS, type TransformName } from './functions.js';
import type { LocaleSettings } from './locale.js';
import type { AmountOptions } from './amounts.js';
import type { DateOrder } from './dates.js';
import { escapePointer, FORBIDDEN_KEYS } from '../core/keys.js';
import { jsonEqual } from './json-values.js';

export interface FieldSpec {
  /** One path or alternatives, tried in order. */
  readonly from: string | readonly string[];
  /** Named transform (see functions.ts); default `text`. */
  readonly transform?: TransformName;
  /** For `codelist`: the name of a codelist of the profile. */
  readonly codelist?: string;
  /** For lists of values (`textList`): the item name of 2024 wrappers (or its spellings, any of which wraps an item). */
  readonly item?: string | readonly string[];
  /**
   * A field a file may lack: a CSV column its header may not have (see CsvOptions.columns), a key no
   * record of a JSON or XML file may have (see PathPresence): neither is said.
   */
  readonly optional?: boolean;
  /**
   * An organisation's identifier (`acheteur.id`): the object the path walks into may be given as that
   * identifier alone (`"acheteur": "21350238800019"`), read so, flagged ID_GIVEN_BARE (see bareIdOf).
   */
  readonly bareId?: boolean;
  /**
   * Other names writers give the last key of the field's paths (`siret`, `identifiant` for the `id` of
   * `acheteur.id`): in an object where the path's own key is not given (nor spelt otherwise), the one
   * key so named is read as it, flagged KEY_SYNONYM (raw: the key as given). Two such keys, or a
   * synonym beside the key itself, are not read: which one is meant is not known (they stay unread,
   * kept in x_decp.unmapped). Matched as keys are (looseKey: without case, accents or separators).
   */
  readonly keySynonyms?: readonly string[];
}

export interface ListSpec {
  /** Path(s) of the list. */
  readonly list: string | readonly string[];
  /** Name of the wrapper key around each item (2024 JSON/XML), if any, or its spellings (any of them wraps an item). */
  readonly item?: string | readonly string[];
  readonly fields: Readonly<Record<string, FieldSpec | ListSpec>>;
  /** A list a file may lack (as a field's `optional`): not said when no record of the file has it. */
  readonly optional?: boolean;
  /**
   * Its items may be given as numbered columns of the object that holds the list (a flat export:
   * `titulaire_id_1`, `titulaires.0.id`, `titulaires_0_titulaire_id`): read as the list (respelled).
   */
  readonly numberedColumns?: boolean;
}

export interface RecordSpec {
  /**
   * The canonical kind built from these records (`marche` or `contrat-concession`);
   * default: the ingest record type itself. Lets a partner map records that
   * ingest does not recognise (type `unknown`) as contracts.
   */
  readonly as?: 'marche' | 'contrat-concession';
  readonly fields: Readonly<Record<string, FieldSpec | ListSpec>>;
  /**
   * Paths whose values are never published, not even in `x_decp.unmapped` (personal data the
   * source holds beside the contract: a legal representative's name, a bank account).
   */
  readonly withhold?: readonly string[];
}

export interface MappingProfile {
  readonly name: string;
  readonly description?: string;
  /** What this profile maps, keyed by the ingest record type (`marche`, `contrat-concession`, `unknown`). */
  readonly records: Readonly<Record<string, RecordSpec>>;
  /** Currency, language, time zone, identifier schemes (default: French DECP). */
  readonly settings?: LocaleSettings;
  /** Codelists: source label (compared without case, accents or punctuation) → code. */
  readonly codelists?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A quality flag raised while mapping: what, where (JSON pointer in the source), raw value. */
export interface MappingFlag {
  readonly code: string;
  readonly pointer: string;
  readonly raw?: unknown;
}

export type Mapped = Record<string, unknown>;

export interface CompiledMapping {
  (data: Record<string, unknown>, flags: MappingFlag[]): Mapped;
  /** Which of the spec's paths the records it mapped had (since the presence was last cleared). */
  readonly presence: PathPresence;
}

/**
 * One place of a record spec whose presence its compiled mapping records: a field's path (its
 * alternatives), a list's path, or a list's items (`items`: marked by each item mapped, so that a
 * list's fields are judged only where the list had items).
 */
export interface PresenceSlot {
  /** The canonical field: `title`; in a list's items `suppliers.id`; `""` for a withheld path (it has none). */
  readonly field: string;
  /** `withhold`: a path of the record spec's `withhold` list, whose value is never published. */
  readonly kind: 'field' | 'list' | 'items' | 'withhold';
  /** Its paths as the profile writes them (alternatives: present when any is). */
  readonly paths: readonly string[];
  /** The paths of the lists whose items hold it, outermost first (none at the record's level). */
  readonly lists: ReadonlyArray<readonly string[]>;
  /** The `items` slot of the list whose items hold it (-1 at the record's level). */
  readonly within: number;
  /** `"optional": true` in the profile: a file may lack it (never a withheld path: see absentPaths). */
  readonly optional: boolean;
}

/**
 * What a compiled mapping saw of the profile's paths: `seen[i]` is 1 once a record mapped had the
 * path of `slots[i]` (any of its alternatives, or a flattened spelling of it, present with any value,
 * null and "" too; an organisation given as its bare identifier reads its `id`). One typed-array store
 * per path met, nothing allocated per record: the stage clears it at each file's start and reads it at
 * its end (absentPaths), where a path no record of the file had is a profile that names a key the
 * file does not have (`notice.tittle`), whose field every release silently lacks.
 */
export interface PathPresence {
  readonly slots: readonly PresenceSlot[];
  readonly seen: Uint8Array;
}

/**
 * The paths of a presence that its records never had, a list's own fields only where the list had
 * items, and not those the profile marks optional (a file may lack them); then cleared. `withheld`:
 * the record spec's `withhold` paths that no record had, in any spelling the converter withholds
 * (withoutWithheld): a misspelt one hides nothing, and the value it meant is published under the
 * record's spelling. A withheld path has no `optional`: it is always judged, as a CSV header's
 * withheld column is (a file that lacks it publishes nothing of it, but neither does a warning say
 * more than that; one that spells it otherwise publishes a person's data).
 */
export function absentPaths(presence: PathPresence): { fields: PresenceSlot[]; lists: PresenceSlot[]; withheld: PresenceSlot[] } {
  const { slots, seen } = presence;
  const fields: PresenceSlot[] = [];
  const lists: PresenceSlot[] = [];
  const withheld: PresenceSlot[] = [];
  slots.forEach((s, i) => {
    if (seen[i] === 1 || s.kind === 'items' || s.optional || (s.within >= 0 && seen[s.within] !== 1)) return;
    (s.kind === 'list' ? lists : s.kind === 'withhold' ? withheld : fields).push(s);
  });
  seen.fill(0);
  return { fields, lists, withheld };
}

/** A path of a presence slot as an operator reads it: `titulaires[].id` for a list's item's. */
export function presencePathName(slot: PresenceSlot): string {
  const prefix = slot.lists
    .filter((l) => !(l.length === 1 && l[0] === SELF))
    .map((l) => `${l.length === 1 ? l[0]! : `(${l.join(' | ')})`}[].`)
    .join('');
  return slot.paths.map((p) => `${prefix}${p}`).join(' | ');
}

/** The number of presence slots a spec's fields take (see compileRecordSpec). */
function slotCount(fields: Readonly<Record<string, FieldSpec | ListSpec>>): number {
  let n = 0;
  for (const f of Object.values(fields)) n += isList(f) ? 2 + slotCount(f.fields) : 1;
  return n;
}

function isList(spec: FieldSpec | ListSpec): spec is ListSpec {
  return 'list' in spec;
}

const asArray = (p: string | readonly string[]): readonly string[] => (typeof p === 'string' ? [p] : p);

/**
 * The steps of a path (`acheteur.id`): split at its dots, but not at a dot written `\.` (a CSV
 * column named `No. contrato` is read by `"No\\. contrato"` in the profile's JSON); `\\` is a
 * backslash.
 */
export function pathSteps(path: string): string[] {
  if (!path.includes('\\')) return path.split('.');
  const steps: string[] = [];
  let step = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && (path[i + 1] === '.' || path[i + 1] === '\\')) step += path[++i]!;
    else if (c === '.') {
      steps.push(step);
      step = '';
    } else step += c;
  }
  steps.push(step);
  return steps;
}

/** A step written as a path of one step (its dots and backslashes escaped). */
const escapeStep = (step: string): string => step.replace(/\\/g, '\\\\').replace(/\./g, '\\.');

/**
 * The other spellings of a path of 2 to 4 steps in a record whose keys were flattened by a collector
 * (pandas' json_normalize, a CSV export read back): `acheteur.id` as the one key `"acheteur.id"`,
 * `lieuExecution.code` as `"lieuExecution.code"`, and the mixed ones (`a.b.c` as `a` → `"b.c"`).
 * Tried after the path itself, so a record of nested objects reads as before.
 */
export function flatAlternatives(path: string): string[] {
  if (path === SELF) return [];
  const steps = pathSteps(path);
  if (steps.length < 2 || steps.length > 4) return [];
  const out: string[] = [];
  // each way of joining consecutive steps (a bit set per gap: 1 joins), the nested one (0) aside
  for (let joins = 1; joins < 1 << (steps.length - 1); joins++) {
    const groups: string[] = [];
    let group = steps[0]!;
    for (let i = 1; i < steps.length; i++) {
      if (joins & (1 << (i - 1))) group += `.${steps[i]!}`;
      else {
        groups.push(group);
        group = steps[i]!;
      }
    }
    groups.push(group);
    out.push(groups.map(escapeStep).join('.'));
  }
  return out;
}

/** A field's paths, each followed by its flattened spellings (flatAlternatives). */
const withFlat = (paths: readonly string[]): readonly string[] => {
  let extra: string[] | undefined;
  for (const p of paths) {
    const f = flatAlternatives(p);
    if (f.length > 0) (extra ??= []).push(...f);
  }
  return extra === undefined ? paths : [...paths, ...extra.filter((p) => !paths.includes(p))];
};

/** A path's JSON pointer (its steps joined), as flags name what they found. */
const pointerOf = (path: string): string => `/${pathSteps(path).join('/')}`;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The items of a list in any of its shapes: `[x]`, `[{item:x}]`, `{item:[x]}`, `{item:x}`, `x`, and
 * `[{item:[x, y]}]` (the wrapper holding the whole list: its items are the list's, in order); and
 * `{"0": x, "2": y}`, `{item: {"1": x}}` (keyedList: the list as an object keyed by position or
 * number, said by FIELD_LIST_KEYED at `pointer` when `flags` are given).
 * `own`: for a list of objects, the keys its items' fields read (see wrapperOf).
 */
export function listItems(value: unknown, item: string | readonly string[] | undefined, own?: OwnKeys, flags?: MappingFlag[], pointer?: string): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  let v: unknown = value;
  // `{item: [x]}`, `{item: x}`: an object whose only key is a wrapper name (an object with other keys
  // beside one, a 2019 tariff `{intituleTarif, tarif}`, is an item)
  const wrapper = item === undefined ? undefined : wrapperOf(v, item, own);
  if (wrapper !== undefined) v = (v as Record<string, unknown>)[wrapper];
  const keyed = keyedList(v);
  if (keyed !== null && flags !== undefined && pointer !== undefined && !flags.some((f) => f.code === 'FIELD_LIST_KEYED' && f.pointer === pointer)) flags.push({ code: 'FIELD_LIST_KEYED', pointer, raw: Object.keys(v as object) });
  const arr = keyed ?? (Array.isArray(v) ? v : [v]);
  if (item === undefined) return arr;
  const out: unknown[] = [];
  for (const x of arr) pushItems(x, item, own, out);
  return out;
}

/**
 * A list written as an object keyed by the items' positions or numbers (`{"0": {…}, "2": {…}}`: PHP's
 * json_encode of an array with a gap, after an item was filtered out, or whose first key is not 0; a
 * list keyed by its items' SIRETs): its values, in the keys' order, or null. Every key is digits, and
 * no item of any list is an object whose keys are all digits; read as one item, its fields were lost
 * unsaid (a record's suppliers or modifications).
 */
function keyedList(v: unknown): unknown[] | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  let any = false;
  for (const k in v) {
    if (!DIGITS.test(k)) return null;
    any = true;
  }
  return any ? Object.values(v) : null;
}

const DIGITS = /^\d+$/;

/** The keys a list's items are read by (its fields' first steps). */
export interface OwnKeys {
  has(key: string): boolean;
}

/**
 * One entry of a list, as items: unwrapped of its wrappers however many (`{modification:
 * {modification: x}}`, a converter's double wrapper), and a list inside it, however deep (`[[[x, y]]]`:
 * a 2019 modification's `titulaires` written as nested lists), read as its items in order.
 */
function pushItems(x: unknown, item: string | readonly string[], own: OwnKeys | undefined, out: unknown[]): void {
  let inner = x;
  for (let key = wrapperOf(inner, item, own); key !== undefined; key = wrapperOf(inner, item, own)) inner = (inner as Record<string, unknown>)[key];
  const list = Array.isArray(inner) ? (inner as unknown[]) : keyedList(inner);
  if (list !== null) for (const y of list) pushItems(y, item, own, out);
  else out.push(inner);
}

/**
 * The key of an object that holds only a wrapper (`{"titulaire": …}`): one of the item's names, or
 * one spelt in another case, accents or separators (`{"Titulaire": …}`, `{"typeprix": […]}`: a .NET
 * or a PostgreSQL export), as the record's keys are read (looseKey, KEY_RESPELLED); not a key the
 * items read as it is spelt (`{"id": …}`). In a list of objects whose items read a key named as the
 * item (a tariff's price is its `tarif`), such an object holding no object is an item, not a wrapper:
 * `{"tarif": 3.2}` is a tariff without its title (unwrapped, its price would be read where the tariff
 * belongs, and lost), `{"tarif": {"tarif": 3.2}}` that tariff wrapped.
 */
function wrapperOf(x: unknown, item: string | readonly string[], own: OwnKeys | undefined): string | undefined {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return undefined;
  let only: string | undefined;
  for (const k in x) {
    if (only !== undefined) return undefined;
    only = k;
  }
  if (only === undefined) return undefined;
  // (a wrapper named as the profile names it costs a comparison, as it did; a key named otherwise, a
  // lookup in `own` and its loose spelling)
  let name: string | undefined = only;
  if (!(typeof item === 'string' ? only === item : item.includes(only))) {
    if (own?.has(only) === true) return undefined;
    name = itemSpelt(only, item);
    if (name === undefined) return undefined;
  }
  return own?.has(name) === true && !holdsObject((x as Record<string, unknown>)[only]) ? undefined : only;
}

/** The item's name a key spells otherwise (looseKey), if any. */
function itemSpelt(key: string, item: string | readonly string[]): string | undefined {
  const loose = looseKey(key);
  return typeof item === 'string' ? (looseKey(item) === loose ? item : undefined) : item.find((i) => looseKey(i) === loose);
}

/** Is a value an object, or a list holding one (what a wrapper holds: an item, or the items)? */
const holdsObject = (v: unknown): boolean => v !== null && typeof v === 'object' && (!Array.isArray(v) || v.some((y) => y !== null && typeof y === 'object'));

/**
 * A value where the profile walks into an object (a text, a number, a list: `"lieuExecution":
 * "13590 Rousset"`, a supplier given as its name): nothing of it can be read, so it is kept, whole,
 * in a FIELD_SHAPE_UNEXPECTED flag at its pointer (once, whatever the fields that read through it).
 */
function shape(pointer: string, value: unknown, flags: MappingFlag[]): void {
  for (const f of flags) if ((f.code === 'FIELD_SHAPE_UNEXPECTED' || f.code === 'ID_GIVEN_BARE') && f.pointer === pointer) return;
  flags.push({ code: 'FIELD_SHAPE_UNEXPECTED', pointer, raw: value });
}

/**
 * A list of one value or one object where the profile reads one value or walks into one object
 * (`"objet": ["Entretien"]`, `"acheteur": [{"id": …}]`: an XML converter's explicitArray, a
 * collector's lists): read as that value or object, and said once at its pointer, FIELD_LIST_OF_ONE
 * (raw: the list of a value; an object's keys are read, or kept as unmapped). A list of more is not
 * read (which one?): as any value of another shape, the transform or shape() flags it.
 */
function listOfOne(pointer: string, list: unknown[], flags: MappingFlag[]): void {
  for (const f of flags) if (f.code === 'FIELD_LIST_OF_ONE' && f.pointer === pointer) return;
  const only = list[0];
  flags.push(only !== null && typeof only === 'object' ? { code: 'FIELD_LIST_OF_ONE', pointer } : { code: 'FIELD_LIST_OF_ONE', pointer, raw: list });
}

/**
 * An XML element with attributes as a converter writes it in JSON, where one value belongs: its text
 * under `#text` (xmltodict, fast-xml-parser), `$t` (xml2json), `_` (xml2js), `$` (BadgerFish) or
 * `_text` / `_cdata` (xml-js' compact form, which writes every element so: `{"_text": "12000"}`),
 * beside attributes only (keys starting with `@`, xml2js' `$` object, xml-js' `_attributes`) —
 * `{"#text": "12000", "@devise": "EUR"}`. The text, when it is one value (else undefined: the object
 * stays what it was).
 */
export function elementText(x: Record<string, unknown>): unknown {
  let text: unknown;
  let texts = 0;
  for (const key of Object.keys(x)) {
    const v = x[key];
    if (key === '#text' || key === '$t' || key === '_' || key === '_text' || key === '_cdata' || (key === '$' && !isObject(v))) {
      text = v;
      texts++;
    } else if (!(key.startsWith('@') || ((key === '$' || key === '_attributes') && isObject(v)))) return undefined;
  }
  return texts === 1 && isValue(text) ? text : undefined;
}

/**
 * An element's text read where one value belongs (elementText): said once at its pointer,
 * FIELD_XML_TEXT, raw: the element as given (its attributes are not read, and not lost).
 */
function xmlText(pointer: string, element: unknown, flags: MappingFlag[]): void {
  for (const f of flags) if (f.code === 'FIELD_XML_TEXT' && f.pointer === pointer) return;
  flags.push({ code: 'FIELD_XML_TEXT', pointer, raw: element });
}

/** One value, or an element with attributes whose text is one (elementText): what a list of one holds where one value is read (xml2js' `[{"_": …, "$": {…}}]`). */
const isValueOrElement = (x: unknown): boolean => isValue(x) || (isObject(x) && elementText(x as Record<string, unknown>) !== undefined);
/** A value as it is read where one value belongs: an element's text, else itself. */
const textOf = (x: unknown): unknown => (isObject(x) ? (elementText(x as Record<string, unknown>) ?? x) : x);

/** One value (a text, a number, a boolean), not empty: what a list of one holds where one value is read. */
const isValue = (x: unknown): boolean => (typeof x === 'string' && x !== '') || typeof x === 'number' || typeof x === 'boolean';
const isObject = (x: unknown): boolean => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * An organisation given as its identifier alone where its object belongs (a field's `bareId`): a
 * number, or a text with more digits than letters (`21350238800019`, `213 502 388 00019`,
 * `FR12345678901`); a name (`Ville de Rennes`) is not an identifier and stays unread, flagged
 * FIELD_SHAPE_UNEXPECTED by shape(). Read, it is said at its pointer, ID_GIVEN_BARE (raw: as given),
 * and is no unexpected shape for the other fields that walk into it (the buyer's name).
 */
function bareIdOf(x: unknown): boolean {
  if (typeof x === 'number') return Number.isFinite(x);
  if (typeof x !== 'string') return false;
  const digits = x.replace(/\P{Nd}/gu, '').length;
  return digits > 0 && digits > x.replace(/\P{L}/gu, '').length;
}

/**
 * A list's item given as an identifier alone: a number, or a text of digits (nine or more) and their
 * separators, a country's two letters before them (`80268496900016`, `802 684 969 00016`,
 * `FR32802684969`); a text that holds words (`SHARP 33332163600479`, a name beside its SIRET) is not.
 */
function bareItemIdOf(x: unknown): boolean {
  // (nine digits at least, a SIREN's: `1` or a year is no identifier; nor is a date, `2019-05-01`,
  // `01/05/2019`, `01.05.2019`: found by a review)
  if (typeof x === 'number') return Number.isSafeInteger(x) && x >= 100_000_000;
  return typeof x === 'string' && /^\s*(?:[A-Za-z]{2})?[\d\s.\-\u00a0\u202f]+$/.test(x) && x.replace(/\D/g, '').length >= 9 && !DATE_SHAPE.test(x.trim());
}

/** A date's digits and separators (a list item that is one is no identifier). */
const DATE_SHAPE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})$/;

function bareId(pointer: string, value: unknown, flags: MappingFlag[]): void {
  for (let i = flags.length - 1; i >= 0; i--) if (flags[i]!.code === 'FIELD_SHAPE_UNEXPECTED' && flags[i]!.pointer === pointer) flags.splice(i, 1);
  for (const f of flags) if (f.code === 'ID_GIVEN_BARE' && f.pointer === pointer) return;
  flags.push({ code: 'ID_GIVEN_BARE', pointer, raw: value });
}

/**
 * The place of the value a path's first `j` steps reach, with `0` after each step whose value was a
 * list of one read as its element (bit i of `entered`: after step i, counted from 1).
 */
function enteredSteps(steps: readonly string[], j: number, entered: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < j; i++) {
    out.push(steps[i]!);
    if (entered & (1 << (i + 1))) out.push('0');
  }
  return out;
}

/** Its pointer (as pointerOf: the steps joined). */
const placeOf = (steps: readonly string[], j: number, entered: number): string => `/${enteredSteps(steps, j, entered).join('/')}`;

/** (lists of one are entered up to this many steps deep: the bits of `entered`) */
const MAX_ENTERED = 30;

/**
 * The code under which a compiled mapping hands over a later alternative of a field, present with
 * another value than the one used (ignoredCode), with its place (`path`): withIgnoredAlternatives
 * moves it to what is unmapped. It never reaches a release as a flag.
 */
const IGNORED_ALTERNATIVE = 'FIELD_ALTERNATIVE_IGNORED';
interface IgnoredAlternative extends MappingFlag {
  readonly path: readonly string[];
}

function ignored(base: string, steps: readonly string[], value: unknown, flags: MappingFlag[]): void {
  const pointer = `${base}/${steps.join('/')}`;
  for (const f of flags) if (f.code === IGNORED_ALTERNATIVE && f.pointer === pointer) return;
  const path = [...(base === '' ? [] : base.slice(1).split('/')), ...steps];
  const handed: IgnoredAlternative = { code: IGNORED_ALTERNATIVE, pointer, raw: value, path };
  flags.push(handed);
}

/**
 * What is unmapped, with each later alternative a mapping did not use (taken out of `flags`) at its
 * place in the record: every alternative counts as read (readTreeOf), so a second column or a key
 * spelt twice with another value would be lost unsaid (`lieuExecution.nom` beside
 * `lieuExecution.nom `, a fallback column beside the column used).
 */
export function withIgnoredAlternatives(unmapped: Record<string, unknown> | undefined, flags: MappingFlag[]): Record<string, unknown> | undefined {
  let out = unmapped;
  for (let k = flags.length - 1; k >= 0; k--) {
    const f = flags[k]!;
    if (f.code !== IGNORED_ALTERNATIVE) continue;
    flags.splice(k, 1);
    out ??= {};
    placeAt(out, (f as IgnoredAlternative).path, f.raw);
  }
  return out;
}

/** Put `value` at `path` (list indexes as digits) unless something is kept there already. */
function placeAt(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  if (path.length === 0 || path.some((k) => FORBIDDEN_KEYS.has(k))) return;
  const index = (k: string): number => (/^\d+$/.test(k) ? Number(k) : -1);
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const last = i === path.length - 1;
    const at = Array.isArray(node) ? index(key) : 0;
    if (at < 0) return;
    const here: unknown = Array.isArray(node) ? node[at] : node[key];
    const put = (v: unknown): void => {
      if (Array.isArray(node)) {
        while (node.length < at) node.push(null);
        node[at] = v;
      } else node[key] = v;
    };
    if (last) {
      if (here === undefined || here === null) put(value);
      return;
    }
    if (here === undefined || here === null) {
      const next: Record<string, unknown> | unknown[] = index(path[i + 1]!) >= 0 ? [] : {};
      put(next);
      node = next;
    } else if (typeof here === 'object') node = here as Record<string, unknown> | unknown[];
    else return;
  }
}

/**
 * Compile a profile's record spec into a function. Throws on unknown transforms or codelists.
 *
 * The spec becomes the source of one plain function per object level (generated once, with
 * `new Function`): each path is walked with inline property reads and each field is stored under
 * its literal name, so the engine sees fixed shapes instead of a generic interpreter loop (~2×
 * faster than walking the spec for each record). Nothing of the profile reaches the generated code
 * but JSON string literals (names and path steps) and indexes into an environment array
 * (transforms, contexts, pointers, inner lists): a profile cannot inject code.
 *
 * Semantics, per field: the first alternative path whose walk meets only plain objects with the
 * key as an own property, and ends on a value other than undefined, null and "", wins; its JSON
 * pointer is what a flag names. A list field maps each item (in any list shape) with its inner
 * fields; a scalar field goes through its named transform, and is left out when that gives
 * undefined.
 */
function compileRecordSpec(profile: MappingProfile, spec: RecordSpec): CompiledMapping {
  const codelists = profile.codelists ?? {};
  // (a record that gives its own currency: the currency an amount's text names is judged against it, by the builder)
  const amounts: AmountOptions = { decimalSeparator: profile.settings?.decimalSeparator, implausible: profile.settings?.implausibleAmount, currency: profile.settings?.currency, recordCurrency: Object.hasOwn(spec.fields, 'currency') };
  const env: unknown[] = [];
  const ref = (value: unknown): string => `E[${env.push(value) - 1}]`;
  // (one slot per path, set by the generated code where it finds the path: see PathPresence)
  const slots: PresenceSlot[] = [];
  const seen = new Uint8Array(slotCount(spec.fields) + (spec.withhold?.length ?? 0));
  const lit = (s: string | readonly string[]): string => JSON.stringify(s);
  /**
   * Code that sets `v` to the value of the first present alternative, `k` to its index, and `q` to
   * its pointer when it is not the path's (null): a list of one entered on the way (listOfOne), an
   * organisation given as its bare identifier (`bare`, bareIdOf). `one`: the field reads one value,
   * so that a list of one value at the path's end is read as that value. `slot`: its presence slot,
   * marked when an alternative's last key is there, whatever its value.
   */
  const readCode = (paths: readonly string[], one: boolean, bare: boolean, slot: number): string => {
    const alternatives = paths.map((p, k) => {
      // "." (lists only): the object itself, as the list's one item
      if (p === SELF) return `x = o; P[${slot}] = 1; if (x !== undefined && x !== null) { v = x; k = ${k}; }`;
      const steps = pathSteps(p);
      const S = ref(steps);
      // `u`: the steps after which a list of one was entered (bits), for the pointers (placeOf)
      const enter = (j: number, test: string): string => (j <= MAX_ENTERED ? `if (Array.isArray(x) && x.length === 1 && ${test}(x[0])) { listOfOne(base + placeOf(${S}, ${j}, u), x, flags); x = x[0]; u |= ${1 << j}; } ` : '');
      // step j walks into steps[j]; a value met on the way that is not an object (`lieuExecution`
      // given as text or as a list) cannot be walked: it is flagged with its value (shape())
      const walk = (j: number): string => {
        // (an element with attributes, `{"#text": …, "@devise": …}`, is its text where one value is read: elementText)
        const text = one ? `if (isObject(x)) { const t = elementText(x); if (t !== undefined) { xmlText(base + (u === 0 ? ${lit(pointerOf(p))} : placeOf(${S}, ${j}, u)), x, flags); x = t; } } ` : '';
        if (j === steps.length) return `P[${slot}] = 1; ${one ? enter(j, 'isValueOrElement') : ''}${text}if (x !== undefined && x !== null && x !== '') { v = x; k = ${k}; q = u === 0 ? null : placeOf(${S}, ${j}, u); }`;
        const inner = `if (x !== null && typeof x === 'object' && !Array.isArray(x) && hasOwn.call(x, ${lit(steps[j]!)})) { x = x[${lit(steps[j]!)}]; ${walk(j + 1)} }`;
        if (j === 0) return inner;
        const bareRead = bare && j === steps.length - 1 ? ` else if (bareIdOf(x)) { P[${slot}] = 1; v = x; k = ${k}; q = placeOf(${S}, ${j}, u); bareId(base + q, x, flags); }` : '';
        return `${enter(j, 'isObject')}${inner}${bareRead} else if (x !== undefined && x !== null && x !== '' && (typeof x !== 'object' || Array.isArray(x))) shape(base + (u === 0 ? ${lit(`/${steps.slice(0, j).join('/')}`)} : placeOf(${S}, ${j}, u)), x, flags);`;
      };
      return `x = o; u = 0; ${walk(0)}`;
    });
    return `v = undefined; k = 0; q = null;\n    ${alternatives.map((a, k) => (k === 0 ? a : `if (v === undefined) { ${a} }`)).join('\n    ')}`;
  };
  /**
   * Code that hands over, for a field read from alternatives, each later alternative present with
   * another value than the one used (`lieuExecution.nom` and `lieuExecution.nom ` both given, a
   * concession's `montant` beside its `valeurGlobale`): every alternative counts as read, so it
   * would be lost unsaid (IGNORED_ALTERNATIVE; withIgnoredAlternatives keeps it as unmapped). Lists
   * of one are entered as readCode enters them (unsaid: that one said it).
   */
  const ignoredCode = (paths: readonly string[], one: boolean): string => {
    const checks = paths
      .map((p, j) => {
        if (j === 0 || p === SELF) return '';
        const steps = pathSteps(p);
        const S = ref(steps);
        // (the value handed over is put back at its own place: in the list of one it was read from)
        const enter = (i: number, test: string): string => (i <= MAX_ENTERED ? `if (Array.isArray(x) && x.length === 1 && ${test}(x[0])) { x = x[0]; u |= ${1 << i}; } ` : '');
        const walk = (i: number): string =>
          i === steps.length
            ? `${one ? enter(i, 'isValueOrElement') : ''}if (x !== undefined && x !== null && x !== '' && !sameValue(${one ? 'textOf(x)' : 'x'}, v)) ignored(base, u === 0 ? ${S} : enteredSteps(${S}, ${i}, u), x, flags);`
            : `${i === 0 ? '' : enter(i, 'isObject')}if (x !== null && typeof x === 'object' && !Array.isArray(x) && hasOwn.call(x, ${lit(steps[i]!)})) { x = x[${lit(steps[i]!)}]; ${walk(i + 1)} }`;
        return `if (k < ${j}) { x = o; u = 0; ${walk(0)} }`;
      })
      .filter((c) => c !== '');
    // (a field of one path has nothing to check: no code at all)
    return checks.length === 0 ? '' : `\n    if (v !== undefined) { ${checks.join(' ')} }`;
  };
  /** `within`: the presence slot of the items these fields read (-1: the record), `lists` their lists' paths, `prefix` their canonical names'. */
  const compileFields = (fields: Readonly<Record<string, FieldSpec | ListSpec>>, where: string, within: number, lists: ReadonlyArray<readonly string[]>, prefix: string): ((obj: unknown, base: string, flags: MappingFlag[]) => Mapped) => {
    const lines: string[] = [];
    for (const [name, f] of Object.entries(fields)) {
      if (FORBIDDEN_KEYS.has(name)) throw new Error(`field name ${JSON.stringify(name)} is not allowed (${where})`);
      if (isList(f)) {
        const paths = withFlat(asArray(f.list));
        const pointers = ref(paths.map((p) => (p === SELF ? null : pointerOf(p))));
        const slot = slots.push({ field: `${prefix}${name}`, kind: 'list', paths: asArray(f.list), lists, within, optional: f.optional === true }) - 1;
        const items = slots.push({ field: `${prefix}${name}`, kind: 'items', paths: asArray(f.list), lists, within: slot, optional: true }) - 1;
        const inner = ref(compileFields(f.fields, `${where}.${name}`, items, [...lists, asArray(f.list)], `${prefix}${name}.`));
        // (the keys its items read: an object named as the item holding one of them is an item, wrapperOf)
        const own = f.item === undefined ? 'undefined' : ref(new Set(readTreeOf(f.fields).children.keys()));
        lines.push(`${readCode(paths, false, false, slot)}${ignoredCode(paths, false)}
    { const p = ${pointers}[k]; const ptr = base + (q ?? p ?? ''); out[${lit(name)}] = (p === null ? [v] : listItems(v, ${f.item === undefined ? 'undefined' : lit(f.item)}, ${own}, flags, ptr)).map((x, i) => ${inner}(x, p === null ? ptr : ptr + '/' + i, flags)); }`);
        continue;
      }
      const tname: TransformName = f.transform ?? 'text';
      // own names only (not `toString`, `valueOf`, … that every object inherits)
      const fn = Object.hasOwn(TRANSFORMS, tname) ? TRANSFORMS[tname] : undefined;
      if (!fn) throw new Error(`unknown transform ${JSON.stringify(tname)} for field ${where}.${name}`);
      if (tname === 'codelist' && f.codelist === undefined) throw new Error(`field ${where}.${name}: the transform "codelist" needs a "codelist" key naming one of the profile's codelists`);
      if (tname === 'codelist' && !Object.hasOwn(codelists, f.codelist!)) throw new Error(`unknown codelist ${JSON.stringify(f.codelist)} for field ${where}.${name}`);
      const paths = withFlat(asArray(f.from));
      const pointers = ref(paths.map((p) => pointerOf(p)));
      // One context per field, reused: transforms are synchronous, and the pointer
      // string is only built when a transform raises a flag.
      const context: { base: string; ptr: string; flags: MappingFlag[]; codelist: Readonly<Record<string, string>> | undefined; item: string | readonly string[] | undefined; amounts: AmountOptions; utcOffset: string | undefined; dateOrder: DateOrder | undefined; readonly pointer: string } = {
        base: '',
        ptr: '',
        flags: [] as MappingFlag[],
        codelist: f.codelist === undefined ? undefined : codelists[f.codelist],
        item: f.item,
        amounts,
        utcOffset: profile.settings?.utcOffset,
        dateOrder: profile.settings?.dateOrder,
        get pointer(): string {
          return this.base + this.ptr;
        },
      };
      const ctx = ref(context);
      // (a transform of one value reads a list of one as that value; a list transform reads lists)
      const one = !LIST_TRANSFORMS.has(tname);
      const slot = slots.push({ field: `${prefix}${name}`, kind: 'field', paths: asArray(f.from), lists, within, optional: f.optional === true }) - 1;
      lines.push(`${readCode(paths, one, f.bareId === true, slot)}${ignoredCode(paths, one)}
    if (v !== undefined) { const c = ${ctx}; c.base = base; c.ptr = q ?? ${pointers}[k]; c.flags = flags; const f = ${ref(fn)}; const r = f(v, c); if (r !== undefined) out[${lit(name)}] = r; }`);
    }
    // (a list's item given as its identifier alone, `"titulaires": ["80268496900016"]`, where a field
    // of one key reads it with `bareId`: read as that field, said ID_GIVEN_BARE at the item's pointer)
    const bareKey = within >= 0 ? Object.values(fields).find((f): f is FieldSpec => !isList(f) && f.bareId === true && typeof f.from === 'string' && !f.from.includes('.')) : undefined;
    // (stricter than an object's bareIdOf: an item of a list is often a name, `SHARP 33332163600479` none)
    const bareItem = bareKey === undefined ? '' : `if (bareItemIdOf(o)) { bareId(base, o, flags); o = { ${lit(bareKey.from as string)}: o }; } else `;
    const body = `return function mapFields(o, base, flags) {
    const out = {};
    let v, k, x, u, q;${within >= 0 ? `\n    P[${within}] = 1;` : ''}
    if (o === null || typeof o !== 'object' || Array.isArray(o)) ${bareItem}{ if (o !== undefined && o !== null && o !== '') shape(base, o, flags); return out; }
    ${lines.join('\n    ')}
    return out;
  };`;
    // generated from JSON literals and environment indexes only (see above)
    return new Function('E', 'P', 'hasOwn', 'listItems', 'shape', 'ignored', 'sameValue', 'listOfOne', 'isValue', 'isObject', 'placeOf', 'enteredSteps', 'bareIdOf', 'bareItemIdOf', 'bareId', 'elementText', 'xmlText', 'isValueOrElement', 'textOf', body)(env, seen, hasOwn, listItems, shape, ignored, jsonEqual, listOfOne, isValue, isObject, placeOf, enteredSteps, bareIdOf, bareItemIdOf, bareId, elementText, xmlText, isValueOrElement, textOf) as (obj: unknown, base: string, flags: MappingFlag[]) => Mapped;
  };
  const top = compileFields(spec.fields, 'record', -1, [], '');
  // the withheld paths (their flattened spellings too: the read tree withholds them) are marked as a
  // field's are, where the last key is there whatever its value; once a file's record had one, its
  // byte is set and the path is not walked again until the next file (clearPresence)
  const withheld = (spec.withhold ?? []).map((p) => ({
    slot: slots.push({ field: '', kind: 'withhold', paths: [p], lists: [], within: -1, optional: false }) - 1,
    steps: withFlat([p]).map(pathSteps),
  }));
  if (slots.length !== seen.length) throw new Error(`internal: ${slots.length} presence slots, ${seen.length} counted`);
  const presence: PathPresence = { slots, seen };
  const map =
    withheld.length === 0
      ? (data: Record<string, unknown>, flags: MappingFlag[]) => top(data, '', flags)
      : (data: Record<string, unknown>, flags: MappingFlag[]) => {
          for (const w of withheld) if (seen[w.slot] !== 1 && w.steps.some((s) => hasSteps(data, s))) seen[w.slot] = 1;
          return top(data, '', flags);
        };
  return Object.assign(map, { presence });
}

/**
 * Does a record have a path's keys, its last one with any value? A list on the way is walked into
 * each of its items (`proveedores.representante`: one item's is enough), as they are withheld
 * (withoutWithheld).
 */
function hasSteps(x: unknown, steps: readonly string[], j = 0): boolean {
  if (j === steps.length) return true;
  if (Array.isArray(x)) return x.some((item) => hasSteps(item, steps, j));
  if (x === null || typeof x !== 'object' || !hasOwn.call(x, steps[j]!)) return false;
  return hasSteps((x as Record<string, unknown>)[steps[j]!], steps, j + 1);
}

/**
 * What a record spec reads of a source record, as a tree of keys: a value at the end of a path is
 * read whole; a list's items are read with the tree of its fields. Every alternative path counts
 * as read (they hold the same thing under other names).
 */
export interface ReadTree {
  whole: boolean;
  readonly children: Map<string, ReadTree>;
  /** Set when a list is read here: the wrapper name of its items, and what its fields read of each. */
  list?: { readonly item: string | readonly string[] | undefined; readonly tree: ReadTree; readonly numbered?: boolean };
  /** The fields (and lists) a path of which ends here: two spellings read by the same ones are alternatives of them (readsAlike). */
  readers?: Set<FieldSpec | ListSpec>;
  /** Keys of this object read as one of its children (FieldSpec.keySynonyms): by their loose spelling, the child's own key. */
  synonyms?: Map<string, string>;
}

/**
 * Does the profile keep data out of what is published (`withhold` paths, natural persons'
 * `settings.personIdTypes`, `personIdentifiers`)? Then no raw record is quoted anywhere (rejects' excerpts).
 */
export function keepsDataOut(profile: MappingProfile): boolean {
  return (profile.settings?.personIdTypes?.length ?? 0) > 0 || (profile.settings?.personIdentifiers?.length ?? 0) > 0 || Object.values(profile.records).some((r) => (r.withhold?.length ?? 0) > 0);
}

/** A list path that names the object itself (its one item): flat records, CSV rows. */
const SELF = '.';

const newTree = (): ReadTree => ({ whole: false, children: new Map() });

/**
 * Where each canonical field is read in a source record, as a JSON pointer (its first alternative
 * path): `amount` → `/montant`; a list's item fields relative to an item (`modifications.amount` →
 * `/montant`); a "." list → "". The builder names these in its flags and reasons, so that a partner's
 * flags point at the partner's own fields, not at DECP's.
 */
export function sourcePointers(fields: Readonly<Record<string, FieldSpec | ListSpec>>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [name, f] of Object.entries(fields)) {
    const first = asArray(isList(f) ? f.list : f.from)[0];
    if (first === undefined) continue;
    out[`${prefix}${name}`] = first === SELF ? '' : pointerOf(first);
    if (isList(f)) sourcePointers(f.fields, `${prefix}${name}.`, out);
  }
  return out;
}

/** Mark in `into` what `tree` reads (the fields of a "." list are read from the object itself). */
function readAlso(into: ReadTree, tree: ReadTree): void {
  if (tree.whole) into.whole = true;
  if (tree.synonyms !== undefined) for (const [k, own] of tree.synonyms) (into.synonyms ??= new Map()).set(k, own);
  if (tree.list !== undefined && into.list === undefined) into.list = tree.list;
  if (tree.readers !== undefined) for (const f of tree.readers) (into.readers ??= new Set()).add(f);
  for (const [k, child] of tree.children) {
    let mine = into.children.get(k);
    if (mine === undefined) into.children.set(k, (mine = newTree()));
    readAlso(mine, child);
  }
}

export function readTreeOf(fields: Readonly<Record<string, FieldSpec | ListSpec>>): ReadTree {
  const root = newTree();
  for (const f of Object.values(fields)) {
    for (const path of withFlat(asArray(isList(f) ? f.list : f.from))) {
      if (path === SELF && isList(f)) {
        readAlso(root, readTreeOf(f.fields));
        continue;
      }
      let node = root;
      const steps = pathSteps(path);
      // (the object that holds a path's last key: its other names are read there as it; not at a
      // flattened path's, `acheteur.id` as one key, whose object is the record)
      const synonymsAt = !isList(f) && f.keySynonyms !== undefined && asArray(f.from).includes(path) ? steps.length - 1 : -1;
      for (const [i, step] of steps.entries()) {
        if (i === synonymsAt) for (const k of (f as FieldSpec).keySynonyms!) (node.synonyms ??= new Map()).set(looseKey(k), step);
        let next = node.children.get(step);
        if (next === undefined) node.children.set(step, (next = newTree()));
        node = next;
      }
      if (isList(f)) node.list = { item: f.item, tree: readTreeOf(f.fields), ...(f.numberedColumns === true ? { numbered: true } : {}) };
      else node.whole = true;
      (node.readers ??= new Set()).add(f);
    }
  }
  return root;
}

/**
 * A CSV record made of grouped rows (settings.csv.groupBy) holds its first row's columns and each
 * row under `linesKey`: a column is read when the record's fields or the rows' fields read it, at
 * either level (a contract's buyer is read once, from the first row that gives it; an item's quantity from each
 * row). Without this, every row would keep the contract's columns as unread, and the first row's
 * item columns would be unread at the top.
 */
export function groupedRowsReadTree(tree: ReadTree, linesKey: string): ReadTree {
  const lines = tree.children.get(linesKey)?.list?.tree ?? newTree();
  const columns = (t: ReadTree): string[] => [...t.children.entries()].filter(([k, c]) => k !== linesKey && (c.whole || c.children.size > 0 || c.list !== undefined)).map(([k]) => k);
  const both = new Set([...columns(tree), ...columns(lines)]);
  const mark = (t: ReadTree): ReadTree => {
    const children = new Map(t.children);
    for (const k of both) if (!children.has(k)) children.set(k, { whole: true, children: new Map() });
    return { whole: t.whole, children, ...(t.list ? { list: t.list } : {}), ...(t.readers ? { readers: t.readers } : {}) };
  };
  const root = mark(tree);
  const linesNode = root.children.get(linesKey);
  const item = linesNode?.list?.item;
  root.children.set(linesKey, { whole: false, children: linesNode?.children ?? new Map(), list: { item, tree: mark(lines) }, ...(linesNode?.readers ? { readers: linesNode.readers } : {}) });
  return root;
}

/**
 * What a grouped CSV record does not read (see groupedRowsReadTree), each column once: a column
 * whose value is the same on every row of the group is the contract's (kept at the top, not with
 * each line); one that differs between rows is the lines' (kept with each line, not at the top).
 */
export function groupedUnread(unread: Record<string, unknown> | undefined, rows: unknown, linesKey: string): Record<string, unknown> | undefined {
  if (unread === undefined || !Array.isArray(rows) || rows.length === 0) return unread;
  const first = rows[0] as Record<string, unknown>;
  const varies = (k: string): boolean => rows.some((r) => (r as Record<string, unknown>)[k] !== first[k]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(unread)) if (k !== linesKey && !varies(k)) out[k] = v;
  const lines = unread[linesKey];
  if (Array.isArray(lines)) {
    const kept = lines.map((entry) => {
      if (entry === null || typeof entry !== 'object') return entry as unknown;
      const own = Object.fromEntries(Object.entries(entry as Record<string, unknown>).filter(([k]) => varies(k)));
      return Object.keys(own).length > 0 ? own : null;
    });
    if (kept.some((e) => e !== null)) out[linesKey] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * What a record holds that `tree` does not read, in the record's own shape: keys never read kept
 * whole, objects read in part kept with what was not read, list items with theirs (a list keeps one
 * entry per item, null for an item read whole); undefined when everything was read. A value where
 * the tree walks into an object but meets something else is left out: the mapping flagged it whole
 * (FIELD_SHAPE_UNEXPECTED). Empty values (null, "", []) are nothing to keep.
 */
export function unreadOf(value: unknown, tree: ReadTree): unknown {
  if (tree.whole || isEmpty(value)) return undefined;
  if (tree.list !== undefined) {
    const { item, tree: inner } = tree.list;
    const left = listItems(value, item, inner.children).map((x) => unreadOf(x, inner));
    const fromChildren = tree.children.size > 0 ? unreadObject(value, tree) : undefined;
    if (left.every((x) => x === undefined)) return fromChildren;
    return left.map((x) => x ?? null);
  }
  // an object given as a list of one (`"acheteur": [{…}]`) is read as that object (listOfOne): what
  // it does not read is kept in the list
  if (Array.isArray(value) && value.length === 1 && isObject(value[0])) {
    const left = unreadObject(value[0], tree);
    return left === undefined ? undefined : [left];
  }
  return unreadObject(value, tree);
}

function unreadObject(value: unknown, tree: ReadTree): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    const child = tree.children.get(k);
    const left = child === undefined ? (isEmpty(v) ? undefined : v) : unreadOf(v, child);
    if (left === undefined) continue;
    out ??= {};
    out[k] = left;
  }
  return out;
}

/** A key spelt loosely: its label key (as codelist labels are compared) without spaces (`datenotification`, `Date_Notification`, `acheteur_id` for `acheteur.id`). */
export const looseKey = (k: string): string => labelKey(k).replaceAll(' ', '');

/**
 * The loose spellings (looseKey) a name may stand for when it writes each letter beyond ASCII as `_`
 * (Socrata's datos.gov.co: `identificaci_n_representante_legal` for `Identificación Representante
 * Legal`), as a pattern where each `_` is a separator or one letter left out; undefined for a name
 * without `_`. Only withheld names are read so (privacy first): a CSV header's columns
 * (read-csv.ts), a JSON or XML record's keys (withoutWithheld).
 */
export function underscoredSpelling(name: string): RegExp | undefined {
  if (!name.includes('_')) return undefined;
  return new RegExp(`^${name.split(/_+/).map((part) => looseKey(part).replace(/[^\p{L}\p{N}]/gu, '')).join('\\p{L}?')}$`, 'u');
}

/** The keys a record spec withholds, level by level, by their loose spelling (withheldKeysOf). */
export interface WithheldKeys {
  /** The indexes, in the spec's `withhold`, of the paths that end here. */
  readonly ends: number[];
  /** The next steps by their loose spelling. */
  readonly children: Map<string, WithheldKeys>;
  /** The next steps that write letters as `_` (underscoredSpelling), by their pattern. */
  readonly spelt: Array<{ readonly re: RegExp; readonly node: WithheldKeys }>;
  /** A record's key → the next steps it names (keys repeat from record to record: matched once). */
  readonly named: Map<string, readonly WithheldKeys[]>;
}

const newWithheld = (): WithheldKeys => ({ ends: [], children: new Map(), spelt: [], named: new Map() });

/**
 * The record spec's `withhold` paths (and their flattened spellings, `representante_legal.nombre` as
 * one key) as a tree of loosely spelt keys, for withoutWithheld; undefined when it withholds nothing.
 */
export function withheldKeysOf(paths: readonly string[] | undefined): WithheldKeys | undefined {
  if (paths === undefined || paths.length === 0) return undefined;
  const root = newWithheld();
  paths.forEach((path, i) => {
    for (const alternative of withFlat([path])) {
      let node = root;
      for (const step of pathSteps(alternative)) {
        const loose = looseKey(step);
        let next = node.children.get(loose);
        if (next === undefined) {
          node.children.set(loose, (next = newWithheld()));
          const re = underscoredSpelling(step);
          if (re !== undefined) node.spelt.push({ re, node: next });
        }
        node = next;
      }
      if (!node.ends.includes(i)) node.ends.push(i);
    }
  });
  return root;
}

/** The next steps of `node` that a record's key names, in its loose spelling or as an underscored name's. */
function withheldNamed(node: WithheldKeys, key: string): readonly WithheldKeys[] {
  let got = node.named.get(key);
  if (got === undefined) {
    const loose = looseKey(key);
    const exact = node.children.get(loose);
    const out = exact === undefined ? [] : [exact];
    for (const s of node.spelt) if (s.node !== exact && s.re.test(loose)) out.push(s.node);
    got = out;
    // (bounded: a source whose keys are values, an id per key, would grow it without end)
    if (node.named.size > 10_000) node.named.clear();
    node.named.set(key, got);
  }
  return got;
}

/**
 * What is left unread of a record (unreadOf's, after respelled) without any key that a withheld path
 * names in another case, accents or separators (`NOMBRE_REPRESENTANTE_LEGAL`, `Representante Legal`
 * → `Nombre`), or as an API writes a letter beyond ASCII (`Identificación Representante Legal` for
 * `identificaci_n_representante_legal`), at any step of the path, and in each item of a list on the
 * way. The mapping reads one such spelling as the profile's (respelled), so the value is withheld;
 * but not a second one, one beside the profile's own spelling, nor an underscored name's: those were
 * published in `x_decp.unmapped`; nor the path through a list a list spec reads
 * (`proveedores.representante`), whose items' unread keys are kept by the spec's fields alone.
 * So every spelling is withheld, as a CSV header's columns are (read-csv.ts withholdLoosely); a value
 * that is no object where the path goes on (`"Representante Legal": "Juan Pérez"`) goes too, as it
 * does under the profile's spelling (unreadOf). `found` is told each key left out at a path's end
 * (the path's index in `withhold`, its pointer, the key). Objects are copied, never changed;
 * undefined when nothing is left.
 */
export function withoutWithheld(unread: Record<string, unknown>, keys: WithheldKeys, found: (path: number, pointer: string, key: string) => void): Record<string, unknown> | undefined {
  return stripWithheld(unread, keys, '', found) as Record<string, unknown> | undefined;
}

function stripWithheld(value: unknown, node: WithheldKeys, at: string, found: (path: number, pointer: string, key: string) => void): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((x, i) => {
      const got = stripWithheld(x, node, `${at}/${i}`, found);
      if (got !== x) (out ??= [...value])[i] = got ?? null;
    });
    return out === null ? value : (out as unknown[]).every((x) => x === null) ? undefined : out;
  }
  // (a value where the path goes on that is no object: left out, as under the profile's spelling)
  if (value === null || typeof value !== 'object') return undefined;
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(obj)) {
    const named = withheldNamed(node, k);
    if (named.length === 0) continue;
    const pointer = `${at}/${escapePointer(k)}`;
    let v: unknown = obj[k];
    if (named.some((n) => n.ends.length > 0)) {
      for (const n of named) for (const i of n.ends) found(i, pointer, k);
      v = undefined;
    } else for (const n of named) v = stripWithheld(v, n, pointer, found);
    if (v === obj[k]) continue;
    out ??= { ...obj };
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  if (out === null) return value;
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Each tree's keys by their loose spelling: a spelling two of its keys share names neither, unless
 * the profile reads them alike (alternatives of the same fields, `lieuExecution.nom` and
 * `lieuExecution.nom `: then it names them all, the first the one read as).
 */
const looseKeys = new WeakMap<ReadTree, Map<string, string[] | null>>();
function looseKeysOf(tree: ReadTree): Map<string, string[] | null> {
  let m = looseKeys.get(tree);
  if (m === undefined) {
    m = new Map();
    for (const [k, child] of tree.children) {
      const l = looseKey(k);
      const spellings = m.get(l);
      if (spellings === undefined) m.set(l, [k]);
      else if (spellings !== null && readsAlike(tree.children.get(spellings[0]!)!, child)) spellings.push(k);
      else m.set(l, null);
    }
    looseKeys.set(tree, m);
  }
  return m;
}

/**
 * Does the profile read two places alike: the same fields ending at each, the same keys read below
 * them, alike? A place read for no field of its own (a grouped CSV record's column read at the other
 * level) is like no other.
 */
function readsAlike(a: ReadTree, b: ReadTree): boolean {
  if (a.whole !== b.whole || a.children.size !== b.children.size || (a.list === undefined) !== (b.list === undefined)) return false;
  const readers = a.readers?.size ?? 0;
  if (readers !== (b.readers?.size ?? 0) || (readers === 0 && a.whole)) return false;
  if (a.readers !== undefined) for (const f of a.readers) if (!b.readers!.has(f)) return false;
  if (a.list !== undefined && (!jsonEqual(a.list.item, b.list!.item) || !readsAlike(a.list.tree, b.list!.tree))) return false;
  for (const [k, c] of a.children) {
    const d = b.children.get(k);
    if (d === undefined || !readsAlike(c, d)) return false;
  }
  return true;
}

/**
 * Told each key read as the profile's (`given`: the key as written, at `pointer`), or, for a list read
 * from numbered columns (numberedItems), the columns read, once for the list (`pointer`: its first column's).
 */
export type Respelt = (pointer: string, given: string | readonly string[], code?: 'KEY_SYNONYM') => void;

/**
 * The record with its keys spelt as the profile spells them, where a key it does not read (in
 * `unread`, unreadOf's) is one it reads in another case or with other separators, and that one is
 * not given beside it (`datenotification`, `DateNotification` or `date_notification` for
 * `dateNotification`; `acheteur_id` for a flattened `acheteur.id`); null when there is none, which is
 * all a clean record costs (its unread keys, if any, looked up once). Objects on the way are copied,
 * never changed; a list respelt is given as its items. `respelt` is told each key's place and spelling.
 */
export function respelled(value: unknown, unread: unknown, tree: ReadTree, at: string, respelt: Respelt): unknown {
  if (unread === undefined || unread === null || tree.whole) return null;
  if (tree.list !== undefined && Array.isArray(unread)) {
    const { item, tree: inner } = tree.list;
    const items = listItems(value, item, inner.children);
    let out: unknown[] | null = null;
    unread.forEach((u, i) => {
      const got = respelled(items[i], u, inner, `${at}/${i}`, respelt);
      if (got === null) return;
      out ??= [...items];
      out[i] = got;
    });
    return out;
  }
  // (an object given as a list of one, as unreadOf keeps it)
  if (Array.isArray(value) && value.length === 1 && isObject(value[0]) && Array.isArray(unread) && unread.length === 1) {
    const got = respelled(value[0], unread[0], tree, `${at}/0`, respelt);
    return got === null ? null : [got];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof unread !== 'object' || Array.isArray(unread)) return null;
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  const loose = looseKeysOf(tree);
  for (const k of Object.keys(unread)) {
    const child = tree.children.get(k);
    if (child !== undefined) {
      const got = respelled(obj[k], (unread as Record<string, unknown>)[k], child, `${at}/${escapePointer(k)}`, respelt);
      if (got !== null) (out ??= { ...obj })[k] = got;
      continue;
    }
    const spellings = loose.get(looseKey(k));
    if (spellings === undefined && tree.synonyms !== undefined) {
      const own = synonymOf(obj, k, tree.synonyms);
      if (own === undefined || given(obj, own) || (out !== null && given(out, own))) continue;
      out ??= { ...obj };
      out[own] = obj[k];
      delete out[k];
      respelt(`${at}/${escapePointer(k)}`, k, 'KEY_SYNONYM');
      continue;
    }
    // the profile's spelling, when it is not given too, nor another it reads alike (then this one
    // stays unread, as it is)
    if (spellings === undefined || spellings === null || spellings.some((s) => given(obj, s) || (out !== null && given(out, s)))) continue;
    const own = spellings[0]!;
    out ??= { ...obj };
    out[own] = obj[k];
    delete out[k];
    respelt(`${at}/${escapePointer(k)}`, k);
  }
  for (const [k, child] of tree.children) {
    if (child.list?.numbered !== true || given(out ?? obj, k)) continue;
    const got = numberedItems(obj, unread as Record<string, unknown>, k, child.list, at, respelt);
    if (got === null) continue;
    out ??= { ...obj };
    out[k] = got.items;
    for (const column of got.columns) delete out[column];
  }
  return out;
}

/**
 * A list's items given as numbered columns of the object that holds it, as flat exports write a
 * contract's suppliers (Opendatasoft, json_normalize, decp-processing's flat files): `titulaire_id_1`,
 * `titulaire.denominationSociale.2`, `titulaires_0_titulaire_id`, `titulaires.0.id` — the list's or
 * its item's name, a number and an item's field (before or after the field), matched as keys are
 * (looseKey), or a field's key synonym (`titulaire_siret_1`). The items in the order of their
 * numbers, each of its columns with a value (a slot of empty columns is none: no column of it is
 * unread); columns without a number (`modification_montant`, `titulaire.id`) are one item, the first.
 * Null when the object has none. The list's columns are told once, together (KEY_RESPELLED: which
 * columns were read, at the first one's pointer), a synonym's also on its own (KEY_SYNONYM); of two
 * columns naming one field of one item, the second is left unread (a
 * synonym's beside the key's own: the synonym's). The
 * columns read so are taken out of the record (`columns`), the list put in their place.
 */
function numberedItems(obj: Record<string, unknown>, unread: Record<string, unknown>, listKey: string, list: NonNullable<ReadTree['list']>, at: string, respelt: Respelt): { items: unknown[]; columns: string[] } | null {
  const pattern = numberedPattern(listKey, list);
  const slots = new Map<number, Array<[string, string, boolean]>>();
  for (const column of Object.keys(unread)) {
    if (!given(obj, column)) continue;
    const m = pattern.re.exec(looseKey(column));
    if (m === null) continue;
    // (an item given by columns without a number, `modification_montant`: one item, before the numbered ones)
    const n = m[1] === undefined && m[4] === undefined ? -1 : Number(m[1] ?? m[4]);
    const field = m[2] ?? m[3] ?? m[5]!;
    const own = pattern.fields.get(field) ?? innerColumn(column, field, pattern);
    if (own === undefined || !Number.isSafeInteger(n)) continue;
    let slot = slots.get(n);
    if (slot === undefined) slots.set(n, (slot = []));
    // (the key itself wins over a synonym beside it, as in a nested item; else the first column)
    const taken = slot.findIndex(([, o]) => o === own[0]);
    if (taken < 0) slot.push([column, own[0], own[1]]);
    else if (slot[taken]![2] && !own[1]) slot[taken] = [column, own[0], own[1]];
  }
  if (slots.size === 0) return null;
  const items: unknown[] = [];
  const columns: string[] = [];
  for (const n of [...slots.keys()].sort((a, b) => a - b)) {
    const item: Record<string, unknown> = {};
    for (const [column, own, synonym] of slots.get(n)!) {
      item[own] = obj[column];
      columns.push(column);
      if (synonym) respelt(`${at}/${escapePointer(column)}`, column, 'KEY_SYNONYM');
    }
    items.push(item);
  }
  // (one flag for the list, naming every column read into it: a flag per column made nine of three suppliers)
  respelt(`${at}/${escapePointer(columns[0]!)}`, columns);
  return { items, columns };
}

/**
 * A column of an item's own list (`modification_titulaire_id`: the modification's suppliers), as the
 * item holds it: the column from that list's name on, as written (`titulaire_id`), read at the item's
 * level by that list's own numbered columns; undefined when the column is none.
 */
function innerColumn(column: string, field: string, pattern: NumberedPattern): readonly [string, boolean] | undefined {
  if (pattern.within === undefined || pattern.fields.has(field)) return undefined;
  const at = column.search(pattern.within);
  return at < 0 ? undefined : [column.slice(at), false];
}

/**
 * The most digits a numbered column's slot number has (`titulaire_id_1` … `titulaire_id_999`): a longer
 * number (`titulaire_id_2020`, a year; a SIRET) numbers no item, and the column stays as it is.
 */
export const SLOT_DIGITS = 3;

/** A run of digits standing between separators (or at a column name's ends): where a slot's number is (flatRecord's list columns). */
export const DIGIT_RUN = String.raw`(?<![\p{L}\p{N}])\d+(?![\p{L}\p{N}])`;

/** A numbered-column list's pattern (numberedItems): its loose field names → [the item's key, is it a synonym]. */
interface NumberedPattern {
  readonly re: RegExp;
  readonly fields: ReadonlyMap<string, readonly [string, boolean]>;
  /** The names of the item's own lists read from columns (`titulaires`, `titulaire`), as written in a column. */
  readonly within?: RegExp;
}
const numberedPatterns = new WeakMap<ReadTree, Map<string, NumberedPattern>>();
function numberedPattern(listKey: string, list: NonNullable<ReadTree['list']>): NumberedPattern {
  let byKey = numberedPatterns.get(list.tree);
  if (byKey === undefined) numberedPatterns.set(list.tree, (byKey = new Map()));
  let got = byKey.get(listKey);
  if (got === undefined) {
    const fields = new Map<string, readonly [string, boolean]>();
    for (const [loose, spellings] of looseKeysOf(list.tree)) if (spellings !== null && list.tree.children.get(spellings[0]!)!.whole) fields.set(loose, [spellings[0]!, false]);
    if (list.tree.synonyms !== undefined) for (const [loose, own] of list.tree.synonyms) if (!fields.has(loose)) fields.set(loose, [own, true]);
    const alt = (xs: Iterable<string>): string => [...new Set(xs)].filter((x) => x !== '').sort((a, b) => b.length - a.length).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    const names = alt([listKey, ...asArray(list.item ?? [])].map(looseKey));
    const items = alt(asArray(list.item ?? []).map(looseKey));
    // (an item's own list read from columns too, `modification_titulaire_id`, `modifications.0.titulaires.1.id`:
    // its columns are the item's, read as that list's at the item's level — the DECP modifications' suppliers)
    const nested = [...list.tree.children].filter(([, c]) => c.list?.numbered === true).map(([k, c]) => [k, ...asArray(c.list!.item ?? [])]);
    const inner = alt(nested.flat().map(looseKey));
    const keys = `${alt(fields.keys())}${inner === '' ? '' : `|(?:${inner}).+?`}`;
    // the name, then the number and the field (the item's name between: `titulaires_0_titulaire_id`), or the
    // field and the number, or the field alone (one item: `modification_montant`, a row per modification);
    // a number is a slot's when it has SLOT_DIGITS digits at most (`titulaire_id_2020` is no slot 2020)
    const d = `\\d{1,${SLOT_DIGITS}}`;
    const re = new RegExp(`^(?:${names})(?:(${d})(?:${items === '' ? '' : `(?:${items})?`})(${keys})|(${keys})(${d})|(${keys}))$`, 'u');
    const within = nested.length === 0 ? undefined : new RegExp(nested.flat().sort((a, b) => b.length - a.length).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'iu');
    byKey.set(listKey, (got = { re, fields, ...(within === undefined ? {} : { within }) }));
  }
  return got;
}

/**
 * The key a synonym `k` of an object stands for (FieldSpec.keySynonyms), when `k` gives a value and is
 * the one key of the object that is a synonym of it, given: of `{"siret": …, "identifiant": …}`, which
 * is the identifier is not known, so neither is read.
 */
function synonymOf(obj: Record<string, unknown>, k: string, synonyms: ReadonlyMap<string, string>): string | undefined {
  const own = synonyms.get(looseKey(k));
  if (own === undefined || !given(obj, k)) return undefined;
  for (const other of Object.keys(obj)) if (other !== k && synonyms.get(looseKey(other)) === own && given(obj, other)) return undefined;
  return own;
}

/** Is a key given a value (not empty) in an object? */
const given = (o: Record<string, unknown>, k: string): boolean => Object.hasOwn(o, k) && !isEmpty(o[k]);

/** Check and compile every record spec of a profile. */
export function compileProfile(profile: MappingProfile): Record<string, CompiledMapping> {
  if (!profile || typeof profile !== 'object' || typeof profile.records !== 'object') throw new Error('a mapping profile needs "name" and "records"');
  const out: Record<string, CompiledMapping> = {};
  for (const [type, spec] of Object.entries(profile.records)) {
    const kind = spec.as ?? type;
    if (kind !== 'marche' && kind !== 'contrat-concession') throw new Error(`records.${type}: "as" must be "marche" or "contrat-concession" (got ${JSON.stringify(kind)})`);
    out[type] = compileRecordSpec(profile, spec);
  }
  return out;
}
