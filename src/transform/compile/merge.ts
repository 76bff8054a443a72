/**
 * The OCDS 1.1 merge routine (compiled release). Pure.
 *
 * Merge rules are derived from the release schema in use — ours plus
 * extensions, or the user's — never written per field:
 * - `omitWhenMerged` fields are left out;
 * - `wholeListMerge` arrays, arrays of non-objects, and arrays of objects whose
 *   schema gives no `id` are replaced whole;
 * - other arrays of objects are merged by `id` (identifier merge: objects with
 *   the same id are merged field by field, new ids are appended); ids `1` and
 *   `"1"` are different ids;
 * - objects are merged field by field; `null` removes a value.
 * Releases are applied in `date` order (stable for equal dates).
 */
import { daysInMonth } from '../dates.js';
import { canonicalJson, jsonEqual } from '../json-values.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
type Obj = { [k: string]: JsonValue };

export type MergeRule = 'omit' | 'whole';

/** Merge rules by dotted path (array levels are transparent: `contracts.suppliers`). */
export type MergeRules = ReadonlyMap<string, MergeRule>;

/** Keys never merged nor copied (they would reach an object's prototype). */
const forbidden = (k: string): boolean => k === '__proto__' || k === 'constructor' || k === 'prototype';

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function typesOf(node: Obj): string[] {
  const t = node['type'];
  return Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
}

/** Derive merge rules from a JSON Schema (draft-04 OCDS release schema, local `#/definitions` refs). */
export function mergeRulesFromSchema(schema: unknown): MergeRules {
  const rules = new Map<string, MergeRule>();
  const root = isObj(schema) ? schema : {};
  const deref = (node: unknown, seen: Set<string>): Obj | null => {
    if (!isObj(node)) return null;
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      if (seen.has(ref)) return null;
      seen.add(ref);
      let target: unknown = root;
      for (const part of ref.slice(2).split('/')) target = isObj(target) ? target[part] : undefined;
      const resolved = deref(target, seen);
      return resolved ? { ...resolved, ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')) } : null;
    }
    return node;
  };
  const walk = (properties: unknown, path: string, seen: Set<string>, depth: number): void => {
    if (!isObj(properties) || depth > 32) return;
    for (const [key, raw] of Object.entries(properties)) {
      const p = path ? `${path}.${key}` : key;
      const local = new Set(seen);
      const value = deref(raw, local);
      if (!value) continue;
      const types = typesOf(value);
      if (value['omitWhenMerged'] === true || value['mergeStrategy'] === 'ocdsOmit') {
        rules.set(p, 'omit');
      } else if (types.includes('array') && (value['wholeListMerge'] === true || value['mergeStrategy'] === 'ocdsVersion')) {
        rules.set(p, 'whole');
      } else if (types.includes('object') && isObj(value['properties'])) {
        walk(value['properties'], p, local, depth + 1);
      } else if (types.includes('array') && value['items'] !== undefined) {
        const items = deref(value['items'], local);
        if (!items) continue;
        const itemTypes = typesOf(items);
        if (itemTypes.some((t) => t !== 'object')) rules.set(p, 'whole');
        else if (itemTypes.includes('object') && isObj(items['properties'])) {
          if (!('id' in items['properties'])) rules.set(p, 'whole');
          else walk(items['properties'], p, local, depth + 1);
        }
      }
    }
  };
  walk(root['properties'], '', new Set(), 0);
  return rules;
}

/**
 * Which rules a process is merged with: OCDS 1.0's when one of its releases comes from an OCDS 1.0
 * package; ours (x_decp's supplier-list rule included) when one carries `x_decp`; else OCDS 1.1's
 * with the declared extensions (a partner's). A set given without the others (`--schema`) serves all.
 */
export function rulesFor(sets: { readonly rules: MergeRules; readonly plainRules?: MergeRules | undefined; readonly ocds10Rules?: MergeRules | undefined }, releases: readonly Obj[], fromOcds10: boolean): MergeRules {
  if (fromOcds10 && sets.ocds10Rules !== undefined) return sets.ocds10Rules;
  return sets.plainRules !== undefined && !releases.some((r) => 'x_decp' in r) ? sets.plainRules : sets.rules;
}

/** What compiledReleasesBeside finds among the releases of a process. */
export interface CompiledReleases {
  /** The compiled releases left out of the merge and of the record (positions ascending), each with what MERGE_COMPILED_RELEASE says of it. */
  readonly leftOut: ReadonlyArray<{ readonly at: number; readonly message: string }>;
  /** The position of the compiled release the other releases are merged onto (MERGE_COMPILED_BASE), else -1. */
  readonly base: number;
}

const NO_COMPILED: CompiledReleases = { leftOut: [], base: -1 };

/**
 * A compiled release (tag `compiled`): an OCDS record without embedded releases gives its
 * compiledRelease as its one release. It states the process's current state, not a publication of
 * its own: the values a part had when first published, after each amendment, and when it was
 * published are not in it (flatten.ts, validate's checks and compiledReleasesBeside ask).
 */
export function isCompiledRelease(release: { readonly [k: string]: unknown }): boolean {
  const tag = release['tag'];
  return Array.isArray(tag) && tag.includes('compiled');
}

/**
 * The compiled releases (tag `compiled`) of a process. Each is a state of the process, not a change:
 * of several (a record package of each day, its releases linked), the latest is the state, and an
 * earlier one is left out (merged, it would bring back what the later one removed, a supplier: its
 * objects are merged by id). One dated at or after a release of the process's history (some
 * publishers' bulk files hold both) is what those releases merge into (OCDS: a record's
 * `compiledRelease`), not one of them: merged as one more, it would be counted as a release and, dated
 * as the latest, would come between releases of its date, so it is left out (`compile` and `run`:
 * MERGE_COMPILED_RELEASE, for both). One dated before every release of the history (a record whose
 * releases are linked, read on an earlier day, then later releases) is the state they start from: the
 * latest such is kept and merged first (MERGE_COMPILED_BASE; its own history is not read): left out,
 * it took with it all that they do not repeat. A process with one compiled release only keeps it.
 */
export function compiledReleasesBeside(releases: readonly Obj[]): CompiledReleases {
  if (releases.length < 2 || !releases.some(isCompiledRelease)) return NO_COMPILED;
  const instant = (r: Obj): number | null => (typeof r['date'] === 'string' ? instantOf(r['date']) : null);
  // the history's first instant (a release of it that names none: nothing is surely before it)
  let first = Number.POSITIVE_INFINITY;
  let history = false;
  for (const r of releases) {
    if (isCompiledRelease(r)) continue;
    history = true;
    first = Math.min(first, instant(r) ?? Number.NEGATIVE_INFINITY);
  }
  // of the compiled releases dated before it, the latest (of one instant, the one read last); without a
  // history, one that names no instant is a state too, before those that do (as merge order has it)
  const time = releases.map((r) => (isCompiledRelease(r) ? (instant(r) ?? (history ? null : Number.NEGATIVE_INFINITY)) : null));
  let base = -1;
  time.forEach((t, k) => {
    if (t !== null && t < first && (base < 0 || t >= time[base]!)) base = k;
  });
  const leftOut = releases.flatMap((r, k) => (isCompiledRelease(r) && k !== base ? [{ at: k, message: time[k] !== null && time[k]! < first ? COMPILED_EARLIER : COMPILED_BESIDE }] : []));
  return { leftOut, base: history ? base : -1 };
}

/** What MERGE_COMPILED_RELEASE says of a compiled release beside releases of its history. */
export const COMPILED_BESIDE = 'a compiled release (tag "compiled") given beside releases of its ocid: it is what they merge into, not one of them, so it is left out of the merge and of the record\'s releases';

/** What MERGE_COMPILED_RELEASE says of a compiled release a later one replaces. */
export const COMPILED_EARLIER = 'a compiled release (tag "compiled") that a later compiled release of its ocid replaces: each is a state of the process, not a change (merged, it would bring back what the later one removed), so it is left out of the merge and of the record\'s releases';

/** What MERGE_COMPILED_BASE says. */
export const COMPILED_BASE = 'a compiled release (tag "compiled") dated before every other release of its ocid: the state of the process they start from (an OCDS record whose releases are linked, not fetched), so it is merged first and they onto it; its own history is not read';

export interface MergeWarning {
  readonly code: 'MERGE_DUPLICATE_ID' | 'MERGE_ID_TYPES_MIXED' | 'MERGE_DUPLICATE_RELEASE' | 'MERGE_COMPILED_RELEASE' | 'MERGE_COMPILED_BASE' | 'MERGE_INCONSISTENT_TYPE' | 'MERGE_NO_DATE' | 'MERGE_SAME_DATE' | 'MERGE_NUMBER_OUT_OF_RANGE';
  readonly path: string;
  readonly releaseId: string | null;
  readonly message: string;
}

let anonymous = 0;

/**
 * A release's id as text: a string, or a number as written (`58125`: some publishers number their
 * releases; the store keys them as `String(id)` too), else null.
 */
export function releaseIdOf(r: Obj): string | null {
  const id = r['id'];
  return typeof id === 'string' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : null;
}

/** Identity of an id value, typed (1 and "1" differ; an object or a list by its content, not String()'s "[object Object]"). */
function idKey(id: JsonValue): string {
  return typeof id === 'object' && id !== null ? `json:${canonicalJson(id)}` : `${typeof id}:${String(id)}`;
}

/** Identity of an array item: its id (idKey); an item without id is always a new item. */
function itemKey(item: Obj): string {
  const id = item['id'];
  if (id === undefined || id === null) return `#${anonymous++}`;
  return idKey(id);
}

/** Keys of identifier-merged arrays of the compiled release being built. */
type Keyed = WeakMap<JsonValue[], Map<string, Obj>>;

/** Has an object no key? (no array of its keys made to find out) */
function isEmpty(o: Obj): boolean {
  for (const _ in o) return false;
  return true;
}

function copy(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(copy);
  if (isObj(v)) {
    const o: Obj = {};
    for (const k in v) if (!forbidden(k)) o[k] = copy(v[k]!);
    return o;
  }
  return v;
}

/**
 * The merge rules as a tree of keys (array levels are transparent), so that the merge walks it
 * beside the release instead of building and looking up a dotted path for every field.
 */
interface RuleNode {
  rule: MergeRule | undefined;
  readonly children: Map<string, RuleNode>;
  /** Some field below this one (not this one) is omitted when merged. */
  omitBelow: boolean;
}
const ruleTrees = new WeakMap<MergeRules, RuleNode>();
const NO_RULES: RuleNode = { rule: undefined, children: new Map(), omitBelow: false };

function markOmits(node: RuleNode): boolean {
  let below = false;
  for (const child of node.children.values()) if (markOmits(child) || child.rule === 'omit') below = true;
  node.omitBelow = below;
  return below;
}

function ruleTree(rules: MergeRules): RuleNode {
  let root = ruleTrees.get(rules);
  if (root === undefined) {
    root = { rule: undefined, children: new Map(), omitBelow: false };
    for (const [path, rule] of rules) {
      let node = root;
      for (const key of path.split('.')) {
        let next = node.children.get(key);
        if (next === undefined) node.children.set(key, (next = { rule: undefined, children: new Map(), omitBelow: false }));
        node = next;
      }
      node.rule = rule;
    }
    markOmits(root);
    ruleTrees.set(rules, root);
  }
  return root;
}

/** The dotted path of the keys being merged (built only for a warning). */
const pathOf = (stack: readonly string[], k: string): string => (stack.length === 0 ? k : `${stack.join('.')}.${k}`);

/**
 * The identifier-merged lists of the compiled release being built: each one's items by their id
 * (itemKey), as positions in the list.
 */
type MergeKeys = WeakMap<JsonValue[], Map<string, number>>;

/**
 * The objects and lists of the compiled release that the merge may change: made by it. The others
 * are a release's own, shared where they merge to themselves (see graftOf): one is copied
 * (shallowly, once) before a later release changes it. null: all are the merge's own (share false).
 */
type Owned = Set<object> | null;

/** A shallow copy of a shared object, the merge's own from now on. */
function own(o: Obj, owned: Set<object>): Obj {
  const c: Obj = {};
  for (const k in o) c[k] = o[k]!;
  owned.add(c);
  return c;
}

/**
 * A shared identifier-merged list of an earlier release (every item an object), copied to be the
 * merge's own, its items keyed as the merge would have keyed them (they stay shared until changed).
 */
function adopt(list: Obj[], keyed: MergeKeys, owned: Set<object>): { arr: JsonValue[]; keys: Map<string, number> } {
  const arr: JsonValue[] = list.slice();
  const keys = new Map<string, number>();
  arr.forEach((item, n) => keys.set(itemKey(item as Obj), n));
  owned.add(arr);
  keyed.set(arr, keys);
  return { arr, keys };
}

function mergeInto(target: Obj, source: Obj, node: RuleNode, stack: string[], keyed: MergeKeys, warn: (w: Omit<MergeWarning, 'releaseId'>) => void, owned: Owned): void {
  // for…in: JSON objects have no inherited enumerable keys; no array of entries per object
  for (const k in source) {
    if (forbidden(k)) continue;
    const v = source[k]!;
    const child = node.children.get(k) ?? NO_RULES;
    const rule = child.rule;
    if (rule === 'omit') continue;
    if (v === null) {
      delete target[k];
      continue;
    }
    // (own values only: a field named like an inherited method, "toString", is not there before it is merged)
    const before = Object.prototype.hasOwnProperty.call(target, k) ? target[k] : undefined;
    if (before !== undefined && isObj(before) !== isObj(v)) {
      const p = pathOf(stack, k);
      warn({ code: 'MERGE_INCONSISTENT_TYPE', path: p, message: `${p} is ${isObj(before) ? 'an object' : 'not an object'} in an earlier release and ${isObj(v) ? 'an object' : 'not an object'} here: the later value replaces it` });
    }
    // (nothing there yet, in a merge that shares: a value that merges to itself is used as it is)
    if (owned !== null && before === undefined && typeof v === 'object') {
      const g = graftOf(v, child);
      if (g !== undefined) {
        if (g !== NOTHING) target[k] = g;
        continue;
      }
    }
    if (Array.isArray(v)) {
      if (v.length === 0 && rule !== 'whole') continue; // an empty identifier-merge list adds nothing
      if (rule !== 'whole' && v.every(isObj)) {
        let arr = Array.isArray(before) ? before : null;
        let keys = arr ? keyed.get(arr) : undefined;
        // (a list of an earlier release, shared: only its identifier-merged lists hold objects only)
        if (arr && !keys && owned !== null && !owned.has(arr) && arr.every(isObj)) ({ arr, keys } = adopt(arr as Obj[], keyed, owned));
        if (!arr || !keys) {
          arr = [];
          keys = new Map();
          keyed.set(arr, keys);
          owned?.add(arr);
        }
        const seenHere = new Set<string>();
        stack.push(k);
        for (const item of v as Obj[]) {
          const key = itemKey(item);
          if (seenHere.has(key) && !key.startsWith('#')) {
            const p = stack.join('.');
            warn({ code: 'MERGE_DUPLICATE_ID', path: p, message: `several objects share the id ${JSON.stringify(item['id'])} in ${p}: merged into one` });
          }
          seenHere.add(key);
          const at = keys.get(key);
          let existing: Obj;
          if (at === undefined) {
            // ids 1 and "1" are two objects, as the reference has it; a publisher that changed its
            // ids' type meant one: said, for the store's rows share the id's text (flatten tells them apart)
            const id = item['id'];
            if ((typeof id === 'number' || typeof id === 'string') && keys.has(typeof id === 'number' ? `string:${String(id)}` : `number:${id}`)) {
              const p = stack.join('.');
              warn({ code: 'MERGE_ID_TYPES_MIXED', path: p, message: `${p} has the ids ${String(id)} and "${String(id)}": ids of different types are different ids, so these are two objects` });
            }
            keys.set(key, arr.length);
            // (a new item that merges to itself is used as it is, in a merge that shares)
            if (owned !== null && !isEmpty(item) && mergesToItself(item, child)) {
              arr.push(child.omitBelow ? stripOmits(item, child) : item);
              continue;
            }
            existing = {};
            owned?.add(existing);
            arr.push(existing);
          } else {
            existing = arr[at] as Obj;
            if (owned !== null && !owned.has(existing)) arr[at] = existing = own(existing, owned);
          }
          mergeInto(existing, item, child, stack, keyed, warn, owned);
        }
        stack.pop();
        target[k] = arr;
        continue;
      }
      target[k] = copy(v);
    } else if (isObj(v)) {
      if (isEmpty(v)) continue; // nor does an empty object
      let t: Obj;
      if (isObj(before)) t = owned === null || owned.has(before) ? before : own(before, owned);
      else {
        t = {};
        owned?.add(t);
      }
      stack.push(k);
      mergeInto(t, v, child, stack, keyed, warn, owned);
      stack.pop();
      // an object that holds nothing after the merge is not created
      if (isObj(before) || !isEmpty(t)) target[k] = t;
    } else if (typeof v === 'number' && !Number.isFinite(v)) {
      // a number past a double's range (1e400) reads as Infinity, which JSON cannot write (it
      // would become null, which means "remove"): left out, said
      const p = pathOf(stack, k);
      warn({ code: 'MERGE_NUMBER_OUT_OF_RANGE', path: p, message: `${p} is a number too large to be represented (a double): left out of the compiled release` });
    } else {
      target[k] = v;
    }
  }
}

/**
 * Would merging `v` into nothing give `v` back (less its omitted fields, see stripOmits)?
 * True when it holds no null, no empty object or list, no forbidden key, and no
 * two objects with the same id in one list: then a single release is its own
 * compiled release, without a copy.
 */
function mergesToItself(v: Obj, node: RuleNode): boolean {
  for (const k in v) {
    if (forbidden(k)) return false;
    const x = v[k]!;
    if (x === null) return false;
    const child = node.children.get(k);
    const rule = child?.rule;
    if (rule === 'omit') continue; // left out by stripOmits
    if (typeof x !== 'object') {
      if (typeof x === 'number' && !Number.isFinite(x)) return false; // see mergeInto
      continue;
    }
    const below = child ?? NO_RULES;
    if (Array.isArray(x)) {
      if (!listMergesToItself(x, below)) return false;
    } else if (isEmpty(x) || !mergesToItself(x, below)) return false;
  }
  return true;
}

/** Would merging the list `x` (its rules: `node`) into nothing give `x` back (see mergesToItself)? */
function listMergesToItself(x: JsonValue[], node: RuleNode): boolean {
  if (x.length === 0) return false;
  if (node.rule === 'whole' || !x.every(isObj)) return wholeIsClean(x);
  // (a schema that omits the items' id, or part of it: left out, it could no longer key them when a
  // later release merges into the list, which the merge keys by the id as given)
  const id = node.children.get('id');
  if (id !== undefined && (id.rule === 'omit' || id.omitBelow)) return false;
  if (x.length === 1) return !isEmpty(x[0] as Obj) && mergesToItself(x[0] as Obj, node);
  const ids = new Set<string>();
  for (const item of x as Obj[]) {
    const id = item['id'];
    if (id !== undefined && id !== null) {
      const key = idKey(id);
      // (ids 1 and "1" in one list: the merge says so, MERGE_ID_TYPES_MIXED)
      if (ids.has(key) || ((typeof id === 'number' || typeof id === 'string') && ids.has(typeof id === 'number' ? `string:${String(id)}` : `number:${id}`))) return false;
      ids.add(key);
    }
    if (isEmpty(item) || !mergesToItself(item, node)) return false;
  }
  return true;
}

/**
 * What merging the value `v` (an object or a list; its rules: `node`) into nothing gives, when
 * that is `v` itself less its omitted fields: `v`, shared (objects on the way to an omitted field
 * copied); NOTHING when that leaves an empty object (not created); undefined when `v` does not
 * merge to itself (then it is merged, as usual).
 */
function graftOf(v: Obj | JsonValue[], node: RuleNode): JsonValue | typeof NOTHING | undefined {
  if (Array.isArray(v)) {
    if (!listMergesToItself(v, node)) return undefined;
    if (!node.omitBelow || node.rule === 'whole' || !v.every(isObj)) return v;
    const mapped = (v as Obj[]).map((item) => stripOmits(item, node));
    return mapped.some((m, i) => m !== v[i]) ? mapped : v;
  }
  if (isEmpty(v) || !mergesToItself(v, node)) return undefined;
  if (!node.omitBelow) return v;
  const z = stripOmits(v, node);
  return isEmpty(z) ? NOTHING : z;
}
const NOTHING = Symbol('nothing');

/**
 * A release that merges to itself, less its omitWhenMerged fields, as the merge would give it: the
 * objects on the way to an omitted field are copied (the rest is shared), an object left empty is
 * not created (an array item left empty stays, as the merge creates each item). Whole lists are
 * kept as they are (the merge copies them whole).
 */
function stripOmits(v: Obj, node: RuleNode): Obj {
  let out: Obj | null = null;
  for (const k in v) {
    const child = node.children.get(k);
    if (child === undefined) continue;
    if (child.rule === 'omit') {
      out ??= { ...v };
      delete out[k];
      continue;
    }
    if (!child.omitBelow) continue;
    const x = v[k]!;
    let y: JsonValue | undefined = x;
    if (Array.isArray(x)) {
      if (child.rule !== 'whole' && x.every(isObj)) {
        const mapped = (x as Obj[]).map((item) => stripOmits(item, child));
        if (mapped.some((m, i) => m !== x[i])) y = mapped;
      }
    } else if (isObj(x)) {
      const z = stripOmits(x, child);
      y = Object.keys(z).length === 0 ? undefined : z;
    }
    if (y !== x) {
      out ??= { ...v };
      if (y === undefined) delete out[k];
      else out[k] = y;
    }
  }
  return out ?? v;
}

/** A value copied whole (copy() drops forbidden keys): clean when it has none. */
function wholeIsClean(v: JsonValue): boolean {
  if (Array.isArray(v)) return v.every(wholeIsClean);
  if (isObj(v)) {
    for (const k in v) if (forbidden(k) || !wholeIsClean(v[k]!)) return false;
  }
  return true;
}

/**
 * The release ids a release says it amends (`amendments[].amendsReleaseID` of its tender, awards and
 * contracts), those of the amendments it made itself first (`releaseID` its own id): an amendments list
 * may be cumulative, each release repeating the earlier amendments (r2 lists r0→r1, then r1→r2), and
 * the first listed would put r2 beside r1 instead of after it.
 */
function amendedIds(r: Obj): string[] {
  const own = releaseIdOf(r);
  const mine: string[] = [];
  const out: string[] = [];
  const from = (o: JsonValue | undefined): void => {
    if (!isObj(o) || !Array.isArray(o['amendments'])) return;
    for (const a of o['amendments']) {
      if (!isObj(a) || typeof a['amendsReleaseID'] !== 'string') continue;
      const made = a['releaseID'];
      // (a number too, as releaseIdOf reads the release's own)
      if (own !== null && (made === own || (typeof made === 'number' && String(made) === own))) mine.push(a['amendsReleaseID']);
      else out.push(a['amendsReleaseID']);
    }
  };
  from(r['tender']);
  for (const key of ['awards', 'contracts']) {
    const list = r[key];
    if (Array.isArray(list)) for (const x of list) from(x);
  }
  return mine.length === 0 ? out : [...mine, ...out];
}

/** The number the digits of `s` from `from` to `to` (excluded) write, or -1 when one is not a digit 0–9. */
function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The instant a release date names, in milliseconds (with their fraction: microseconds order too):
 * an RFC 3339 date or date-time (`T`, `t` or a space between; seconds, fraction and zone optional, a
 * missing zone read as UTC, so that the order does not depend on the machine's; the zone also as ISO
 * 8601 writes it without a colon, `+0200` or `+02`). null when it names none — not that form, a day or an hour past
 * the calendar's (`2020-02-30`, `24:30`), an offset past ±23:59 — which a date's text order would
 * have put anywhere. A leap second (`23:59:60`) is the last millisecond of its minute. (Read by hand,
 * not by a regular expression: every release of a process with several is dated.)
 */
export function instantOf(date: string): number | null {
  const n = date.length;
  if (n < 10 || date.charCodeAt(4) !== 0x2d || date.charCodeAt(7) !== 0x2d) return null;
  const y = digitsAt(date, 0, 4);
  const mo = digitsAt(date, 5, 7);
  const d = digitsAt(date, 8, 10);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let ms = 0;
  let offset = 0;
  if (n > 10) {
    // [Tt ]HH:MM, then :SS and .fraction (1–9 digits), then Z, z or ±HH:MM, each optional
    const sep = date.charCodeAt(10);
    if ((sep !== 0x54 && sep !== 0x74 && sep !== 0x20) || n < 16 || date.charCodeAt(13) !== 0x3a) return null;
    h = digitsAt(date, 11, 13);
    mi = digitsAt(date, 14, 16);
    let at = 16;
    if (at < n && date.charCodeAt(at) === 0x3a) {
      sec = digitsAt(date, 17, 19);
      if (n < 19 || sec < 0) return null;
      at = 19;
      if (at < n && date.charCodeAt(at) === 0x2e) {
        let end = at + 1;
        while (end < n && end - at <= 9 && date.charCodeAt(end) >= 0x30 && date.charCodeAt(end) <= 0x39) end++;
        if (end === at + 1 || (end < n && date.charCodeAt(end) >= 0x30 && date.charCodeAt(end) <= 0x39)) return null;
        // (in milliseconds with their fraction: Prozorro's microseconds order two releases of one
        // millisecond; a double keeps a quarter of a microsecond at today's instants)
        ms = Number(`0.${date.slice(at + 1, end)}`) * 1000;
        at = end;
      }
    }
    if (at < n) {
      const z = date.charCodeAt(at);
      if (z === 0x5a || z === 0x7a) at++;
      else if (z === 0x2b || z === 0x2d) {
        // ±HH:MM, or ISO 8601's ±HHMM and ±HH (what `%z` and Java's `Z` write: `+0200`)
        const colon = n === at + 6 && date.charCodeAt(at + 3) === 0x3a;
        if (!colon && n !== at + 5 && n !== at + 3) return null;
        const oh = digitsAt(date, at + 1, at + 3);
        const om = n === at + 3 ? 0 : digitsAt(date, at + (colon ? 4 : 3), at + (colon ? 6 : 5));
        if (oh < 0 || om < 0 || oh > 23 || om > 59) return null;
        offset = (z === 0x2d ? -1 : 1) * (oh * 60 + om) * 60_000;
        at = n;
      }
    }
    if (at !== n || h < 0 || mi < 0 || h > 23 || mi > 59 || sec > 60) return null;
  }
  if (sec === 60) {
    sec = 59;
    ms = 999;
  }
  // (years 0000–0099 are years, not 1900–1999 as Date.UTC reads them; Date.UTC drops a fraction of a millisecond)
  const whole = Math.floor(ms);
  const time = y >= 100 ? Date.UTC(y, mo - 1, d, h, mi, sec, whole) : new Date(Date.UTC(2000, mo - 1, d, h, mi, sec, whole)).setUTCFullYear(y);
  return time - offset + (ms - whole);
}

type Ordered = { r: Obj; i: number; date: string | null; time: number | null; depth: number };

/** Do two releases have the same date (the same instant, whatever its offset)? */
function sameDate(a: Ordered, b: Ordered): boolean {
  return a.date !== null && b.date !== null && (a.time !== null && b.time !== null ? a.time === b.time : a.date === b.date);
}

/** Chronological order of two dates: none first, then text that is not a date (by its text), then instants. */
function byDate(a: Ordered, b: Ordered): number {
  if (a.date === null || b.date === null) return a.date === null ? (b.date === null ? 0 : -1) : 1;
  if (a.time !== null && b.time !== null) return a.time - b.time;
  if (a.time !== null || b.time !== null) return a.time === null ? -1 : 1;
  return a.date === b.date ? 0 : a.date < b.date ? -1 : 1;
}

/**
 * Releases in merge order: chronologically by `date` (releases without one first; `2020-01-03T10:00:00+02:00`
 * is before `2020-01-03T09:00:00Z`, which the text's order would put first); equal dates follow the
 * amendment chain (a release after the release it amends, `amendsReleaseID`), then input order. So the
 * same releases given in another order compile the same, as long as they say what they amend.
 */
function orderReleases(releases: readonly Obj[]): Ordered[] {
  const items: Ordered[] = releases.map((r, i) => {
    const date = typeof r['date'] === 'string' ? (r['date'] as string) : null;
    // (one release has no order to find: its date is not read)
    return { r, i, date, time: date === null || releases.length === 1 ? null : instantOf(date), depth: 0 };
  });
  const order = (a: Ordered, b: Ordered): number => byDate(a, b) || a.depth - b.depth || a.i - b.i;
  items.sort(order);
  // the amendment chain is looked at only when two dates are equal
  if (!items.some((x, k) => k > 0 && sameDate(x, items[k - 1]!))) return items;
  const byId = new Map<string, number>();
  for (const x of items) {
    const id = releaseIdOf(x.r);
    if (id !== null) byId.set(id, x.i);
  }
  const parent = new Map(items.map((x) => [x.i, amendedIds(x.r).map((id) => byId.get(id)).find((k) => k !== undefined && k !== x.i) ?? -1]));
  // each release's distance to the start of its chain, walked without recursion and each link once (a
  // record of 16,000 modifications on one day overflowed the stack, and took a walk per release); a
  // release on a loop of amendments, or amending one, is put after every chain (n + 1)
  const loop = items.length + 1;
  const depth = new Map<number, number>();
  for (const x of items) {
    const path: number[] = [];
    const onPath = new Set<number>();
    let at = x.i;
    let base: number;
    for (;;) {
      const known = depth.get(at);
      if (known !== undefined) {
        base = known;
        break;
      }
      if (onPath.has(at)) {
        base = loop;
        break;
      }
      const up = parent.get(at)!;
      if (up < 0) {
        depth.set(at, 0);
        base = 0;
        break;
      }
      path.push(at);
      onPath.add(at);
      at = up;
    }
    for (let k = path.length - 1, d = base; k >= 0; k--) depth.set(path[k]!, base === loop ? loop : ++d);
    x.depth = depth.get(x.i)!;
  }
  return items.sort(order);
}

export interface CompileResult {
  readonly compiledRelease: Obj;
  readonly warnings: MergeWarning[];
  /** The releases' input positions in merge order (a record lists its releases in that order: OCDS asks for date order). */
  readonly order: readonly number[];
  /**
   * Set when the compiled release is its one release less exactly the release's top-level `id`,
   * `date` and `tag` and, when `less` names them, the last field of the release's last field (an
   * object that keeps other fields), every other value the release's own; then the compiled `id`,
   * `tag` and `date`. Its JSON can then be spliced from the release's (compiledReleaseText).
   */
  readonly fromRelease: { readonly less: readonly [string, string] | null } | null;
}

/**
 * Compile the releases of one ocid. Releases without a usable `date` are
 * reported and applied first (they cannot be ordered); equal dates follow the amendment chain, then input order.
 * The compiled release may share objects with the releases (never changing them): read it, do not
 * change it. `share` false copies every value, as the reference does (tests compare the two ways).
 */
export function compileReleases(releases: readonly Obj[], rules: MergeRules, share = true): CompileResult {
  const warnings: MergeWarning[] = [];
  const ordered = orderReleases(releases);
  for (const d of ordered) {
    if (d.date === null) warnings.push({ code: 'MERGE_NO_DATE', path: 'date', releaseId: releaseIdOf(d.r), message: 'a release without a string date cannot be ordered' });
    // (a text that names no instant — "not a date", "", a day past the calendar's — orders nothing
    // either: after the releases without a date, by its text, before the dated ones; one release alone is not ordered)
    else if (d.time === null && ordered.length > 1) warnings.push({ code: 'MERGE_NO_DATE', path: 'date', releaseId: releaseIdOf(d.r), message: `the date ${JSON.stringify(d.date)} names no instant (RFC 3339): the release cannot be ordered by it; it is merged before the dated ones` });
  }
  for (let k = 1; k < ordered.length; k++) {
    if (sameDate(ordered[k]!, ordered[k - 1]!)) {
      warnings.push({ code: 'MERGE_SAME_DATE', path: 'date', releaseId: releaseIdOf(ordered[k]!.r), message: `two releases share the date ${ordered[k]!.date}: the amendment chain, then input order, decides` });
    }
  }
  let compiled: Obj = {};
  const tree = ruleTree(rules);
  let fromRelease: CompileResult['fromRelease'] = null;
  if (share && releases.length === 1 && mergesToItself(releases[0]!, tree)) {
    // one release that merges to itself: its fields are used as they are (shared, not copied), less
    // the omitted ones
    const only = releases[0]!;
    const kept = tree.omitBelow ? stripOmits(only, tree) : only;
    for (const k in kept) compiled[k] = kept[k]!;
    fromRelease = keptOf(only, kept);
  } else {
    // a value that merges to itself, where the compiled release has nothing yet, is used as it is
    // (shared, not copied); a later release copies what it changes of it (copy on write)
    compiled = {};
    const owned = share ? new Set<object>([compiled]) : null;
    const keyed: MergeKeys = new WeakMap();
    for (const { r } of ordered) {
      const releaseId = releaseIdOf(r);
      mergeInto(compiled, r, tree, [], keyed, (w) => warnings.push({ ...w, releaseId }), owned);
    }
  }
  const last = ordered[ordered.length - 1];
  // the ocid is read from the releases: some schemas (1.0) mark it omitWhenMerged
  const ocid = typeof compiled['ocid'] === 'string' ? compiled['ocid'] : ((releases.find((r) => typeof r['ocid'] === 'string')?.['ocid'] as string | undefined) ?? '');
  const date = last?.date ?? null;
  const out: Obj = {};
  // id and tag first, as the reference does: "<ocid>-<date of the last release>", ["compiled"]
  out['ocid'] = ocid;
  out['id'] = `${ocid}-${date ?? ''}`;
  out['tag'] = ['compiled'];
  // (own keys only: a field named like an inherited method, "toString", is a field)
  for (const k in compiled) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = compiled[k]!;
  if (date !== null) out['date'] = date;
  return { compiledRelease: out, warnings, fromRelease, order: ordered.map((d) => d.i) };
}

/** The keys of an object, in the order JSON.stringify writes them. */
function keysOf(o: Obj): string[] {
  const out: string[] = [];
  for (const k in o) out.push(k);
  return out;
}

/** What is kept of a release that merges to itself, as CompileResult.fromRelease describes it (null: something else). */
function keptOf(only: Obj, kept: Obj): CompileResult['fromRelease'] {
  const all = keysOf(only);
  const some = keysOf(kept);
  if (all[1] !== 'id' || all[2] !== 'date' || all[3] !== 'tag' || some.length !== all.length - 3) return null;
  for (let k = 0; k < some.length; k++) {
    const key = some[k]!;
    if (key !== all[k === 0 ? 0 : k + 3]) return null;
    if (kept[key] === only[key]) continue;
    // only the last field may differ: an object kept less its own last field
    const before = only[key];
    const after = kept[key];
    if (k !== some.length - 1 || !isObj(before) || !isObj(after)) return null;
    const inner = keysOf(before);
    const left = keysOf(after);
    if (left.length !== inner.length - 1) return null;
    for (let j = 0; j < left.length; j++) if (left[j] !== inner[j] || after[left[j]!] !== before[left[j]!]) return null;
    return { less: [key, inner[inner.length - 1]!] };
  }
  return { less: null };
}

/** The head of a release as JSON.stringify writes the pipeline's own: ocid, id, date, tag (strings), in that order. */
const OWN_HEAD = /^\{"ocid":"((?:[^"\\]|\\.)*)","id":"(?:[^"\\]|\\.)*","date":"((?:[^"\\]|\\.)*)","tag":\[(?:"(?:[^"\\]|\\.)*"(?:,"(?:[^"\\]|\\.)*")*)?\](?=[,}])/;

/**
 * The JSON of a compiled release made from its one release (`result.fromRelease`), spliced from
 * that release's text instead of written again: the same ocid, the compiled id and tag, the
 * release's other fields as they are in its text (less the last field of its last field, when
 * that was omitted), then its date. `releaseText` must be what JSON.stringify wrote for `release`
 * (as the run's staging holds them): then the result is what JSON.stringify(result.compiledRelease)
 * gives. null when it does not apply.
 */
export function compiledReleaseText(releaseText: string, release: Obj, result: CompileResult): string | null {
  const from = result.fromRelease;
  if (from === null) return null;
  const m = OWN_HEAD.exec(releaseText);
  if (m === null) return null;
  // the fields after tag, each with its leading comma (none: an empty string), up to the closing brace
  let end = releaseText.length - 1;
  let close = '';
  if (from.less !== null) {
    const [outer, inner] = from.less;
    const tail = `,${JSON.stringify(inner)}:${JSON.stringify((release[outer] as Obj)[inner])}}}`;
    if (!releaseText.endsWith(tail)) return null;
    end = releaseText.length - tail.length;
    close = '}';
  } else if (releaseText.charCodeAt(end) !== 0x7d) return null;
  return `{"ocid":"${m[1]!}","id":"${m[1]!}-${m[2]!}","tag":["compiled"]${releaseText.slice(m[0].length, end)}${close},"date":"${m[2]!}"}`;
}

export interface VersionEntry {
  releaseID: JsonValue;
  releaseDate: JsonValue;
  releaseTag: JsonValue;
  value: JsonValue;
}


/**
 * The versioned release of one ocid: every field keeps the list of its values
 * with the release that gave each (`releaseID`, `releaseDate`, `releaseTag`);
 * a new entry only when the value changes. The ocid and the `id` of objects
 * merged by identifier stay plain values; omitWhenMerged fields are left out.
 */
export function versionReleases(releases: readonly Obj[], rules: MergeRules): Obj {
  const ordered = orderReleases(releases);
  const out: Obj = {};
  const keyed: Keyed = new WeakMap();
  const lists = new WeakSet<JsonValue[]>();
  // (the rules as a tree, walked beside the release: a key holding a dot, or the empty key, is not a path)
  const tree = ruleTree(rules);
  const into = (target: Obj, source: Obj, node: RuleNode, meta: Omit<VersionEntry, 'value'>, inItem: boolean, root: boolean): void => {
    // (for…in and no entries array, a literal per version entry rather than a spread of meta: this
    // walk visits every value of every release, and ran slower than the reference implementation)
    for (const k in source) {
      if (forbidden(k)) continue;
      const v = source[k]!;
      const child = node.children.get(k) ?? NO_RULES;
      const rule = child.rule;
      // the release's own id, date and tag describe the release, not the process: never versioned
      if (rule === 'omit' || (root && (k === 'id' || k === 'date' || k === 'tag'))) continue;
      // the id of an object merged by id, and the ocid, are kept as they are (an object id too)
      if ((inItem && k === 'id') || (root && k === 'ocid')) {
        target[k] = typeof v === 'object' ? copy(v) : v;
        continue;
      }
      if (typeof v === 'object' && v !== null) {
        if (Array.isArray(v)) {
          if (v.length === 0) {
            if (rule !== 'whole') continue;
          } else if (rule !== 'whole' && v.every(isObj)) {
            const before = target[k];
            let arr = Array.isArray(before) && !lists.has(before) ? before : null;
            let keys = arr ? keyed.get(arr) : undefined;
            if (!arr || !keys) {
              arr = [];
              keys = new Map();
              keyed.set(arr, keys);
            }
            for (const item of v as Obj[]) {
              const key = itemKey(item);
              let existing = keys.get(key);
              if (!existing) {
                existing = {};
                keys.set(key, existing);
                arr.push(existing);
              }
              into(existing, item, child, meta, true, false);
            }
            target[k] = arr;
            continue;
          }
        } else {
          if (isEmpty(v)) continue;
          const before = target[k];
          const t = isObj(before) ? before : {};
          into(t, v, child, meta, false, false);
          if (!isEmpty(t)) target[k] = t;
          continue;
        }
      } else if (v === null) {
        // null removes an object or a list merged by id: it keeps its history, and each of its
        // values gets a null version (replaced by one null version, their history was lost)
        const before = target[k];
        if (isObj(before) || (Array.isArray(before) && !lists.has(before))) {
          removeAll(before, meta);
          continue;
        }
      }
      let versions = target[k];
      if (!Array.isArray(versions) || !lists.has(versions)) {
        versions = [];
        lists.add(versions);
        target[k] = versions;
      }
      const last = versions.length > 0 ? (versions[versions.length - 1] as unknown as VersionEntry) : undefined;
      if (last === undefined || (last.value !== v && !jsonEqual(last.value, v))) {
        const entry: VersionEntry = { releaseID: meta.releaseID, releaseDate: meta.releaseDate, releaseTag: meta.releaseTag, value: typeof v === 'object' ? copy(v) : v };
        versions.push(entry as unknown as JsonValue);
      }
    }
  };
  /** Give every versioned value below a node a null version (a plain item id stays as it is). */
  const removeAll = (node: JsonValue, meta: Omit<VersionEntry, 'value'>): void => {
    if (Array.isArray(node)) {
      if (lists.has(node)) {
        const last = node[node.length - 1] as VersionEntry | undefined;
        if (last !== undefined && last.value !== null) node.push({ releaseID: meta.releaseID, releaseDate: meta.releaseDate, releaseTag: meta.releaseTag, value: null } as unknown as JsonValue);
      } else for (const item of node) removeAll(item, meta);
    } else if (isObj(node)) for (const k in node) removeAll(node[k]!, meta);
  };
  for (const { r } of ordered) {
    const meta = { releaseID: (r['id'] ?? null) as JsonValue, releaseDate: (r['date'] ?? null) as JsonValue, releaseTag: (r['tag'] ?? null) as JsonValue };
    into(out, r, tree, meta, false, true);
  }
  if (!('ocid' in out)) {
    const ocid = releases.find((r) => typeof r['ocid'] === 'string')?.['ocid'];
    if (ocid !== undefined) out['ocid'] = ocid;
  }
  return out;
}
