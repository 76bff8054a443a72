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
import { TRANSFORMS, type TransformContext, type TransformName } from './functions.js';
import type { LocaleSettings } from './locale.js';

export interface FieldSpec {
  /** One path or alternatives, tried in order. */
  readonly from: string | readonly string[];
  /** Named transform (see functions.ts); default `text`. */
  readonly transform?: TransformName;
  /** For `codelist`: the name of a codelist of the profile. */
  readonly codelist?: string;
  /** For lists of values (`textList`): the item name of 2024 wrappers. */
  readonly item?: string;
}

export interface ListSpec {
  /** Path(s) of the list. */
  readonly list: string | readonly string[];
  /** Name of the wrapper key around each item (2024 JSON/XML), if any. */
  readonly item?: string;
  readonly fields: Readonly<Record<string, FieldSpec | ListSpec>>;
}

export interface RecordSpec {
  /**
   * The canonical kind built from these records (`marche` or `contrat-concession`);
   * default: the ingest record type itself. Lets a partner map records that
   * ingest does not recognise (type `unknown`) as contracts.
   */
  readonly as?: 'marche' | 'contrat-concession';
  readonly fields: Readonly<Record<string, FieldSpec | ListSpec>>;
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

export type CompiledMapping = (data: Record<string, unknown>, flags: MappingFlag[]) => Mapped;

function isList(spec: FieldSpec | ListSpec): spec is ListSpec {
  return 'list' in spec;
}

const asArray = (p: string | readonly string[]): readonly string[] => (typeof p === 'string' ? [p] : p);

const hasOwn = Object.prototype.hasOwnProperty;

/** Index of the alternative that `read` took (module state: reads are synchronous). */
let lastHit = 0;

/** Read a dotted path: the value of the first alternative that is present and not empty. */
function read(data: unknown, paths: readonly (readonly string[])[]): unknown {
  for (let k = 0; k < paths.length; k++) {
    const path = paths[k]!;
    let v: unknown = data;
    for (let j = 0; j < path.length; j++) {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !hasOwn.call(v, path[j]!)) {
        v = undefined;
        break;
      }
      v = (v as Record<string, unknown>)[path[j]!];
    }
    if (v !== undefined && v !== null && v !== '') {
      lastHit = k;
      return v;
    }
  }
  lastHit = 0;
  return undefined;
}

/** The items of a list in any of its shapes: `[x]`, `[{item:x}]`, `{item:[x]}`, `{item:x}`, `x`. */
export function listItems(value: unknown, item: string | undefined): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  let v: unknown = value;
  if (item !== undefined && typeof v === 'object' && v !== null && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, item)) v = (v as Record<string, unknown>)[item];
  const arr = Array.isArray(v) ? v : [v];
  if (item === undefined) return arr;
  return arr.map((x: unknown) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
    const o = x as Record<string, unknown>;
    return Object.keys(o).length === 1 && Object.prototype.hasOwnProperty.call(o, item) ? o[item] : x;
  });
}

/** Compile a profile's record spec into a function. Throws on unknown transforms or codelists. */
export function compileRecordSpec(profile: MappingProfile, spec: RecordSpec): CompiledMapping {
  const ctxBase = { codelists: profile.codelists ?? {} };
  const compileFields = (fields: Readonly<Record<string, FieldSpec | ListSpec>>, where: string): ((obj: unknown, base: string, flags: MappingFlag[]) => Mapped) => {
    const steps: Array<(obj: unknown, base: string, flags: MappingFlag[], out: Mapped) => void> = [];
    for (const [name, f] of Object.entries(fields)) {
      if (isList(f)) {
        const paths = asArray(f.list).map((p) => p.split('.'));
        const pointers = asArray(f.list).map((p) => `/${p.split('.').join('/')}`);
        const inner = compileFields(f.fields, `${where}.${name}`);
        const item = f.item;
        steps.push((obj, base, flags, out) => {
          const v = read(obj, paths);
          const ptr = pointers[lastHit]!;
          out[name] = listItems(v, item).map((x, i) => inner(x, `${base}${ptr}/${i}`, flags));
        });
        continue;
      }
      const tname: TransformName = f.transform ?? 'text';
      const fn = TRANSFORMS[tname];
      if (!fn) throw new Error(`unknown transform ${JSON.stringify(tname)} for field ${where}.${name}`);
      if (tname === 'codelist' && (f.codelist === undefined || !ctxBase.codelists[f.codelist])) throw new Error(`unknown codelist ${JSON.stringify(f.codelist)} for field ${where}.${name}`);
      const paths = asArray(f.from).map((p) => p.split('.'));
      const pointers = asArray(f.from).map((p) => `/${p.split('.').join('/')}`);
      // One context per field, reused: transforms are synchronous, and the pointer
      // string is only built when a transform raises a flag.
      const ctx = {
        base: '',
        ptr: '',
        flags: [] as MappingFlag[],
        codelist: f.codelist === undefined ? undefined : ctxBase.codelists[f.codelist],
        item: f.item,
        get pointer(): string {
          return this.base + this.ptr;
        },
      };
      steps.push((obj, base, flags, out) => {
        const v = read(obj, paths);
        if (v === undefined) return;
        ctx.base = base;
        ctx.ptr = pointers[lastHit]!;
        ctx.flags = flags;
        const r = fn(v, ctx as TransformContext);
        if (r !== undefined) out[name] = r;
      });
    }
    return (obj, base, flags) => {
      const out: Mapped = {};
      for (let k = 0; k < steps.length; k++) steps[k]!(obj, base, flags, out);
      return out;
    };
  };
  const top = compileFields(spec.fields, 'record');
  return (data, flags) => top(data, '', flags);
}

/** The top-level keys of a source record that a record spec reads (the first step of each path). */
export function sourceKeysOf(spec: RecordSpec): Set<string> {
  const keys = new Set<string>();
  for (const f of Object.values(spec.fields)) for (const path of asArray(isList(f) ? f.list : f.from)) keys.add(path.split('.')[0]!);
  return keys;
}

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
