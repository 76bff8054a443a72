/**
 * One ingested DECP record → its OCDS releases, through a compiled mapping
 * profile. Pure: the stage (src/convert.ts) does the streaming and the I/O.
 */
import { issue, type Issue } from '../../core/issues.js';
import type { SourceRecord } from '../../ingest/types.js';
import { pointerKeys } from '../../core/keys.js';
import { readsInOtherOrder } from '../dates.js';
import { nearNames } from '../near-names.js';
import { absentPaths, compileProfile, DIGIT_RUN, looseKey, pathSteps, keepsDataOut, presencePathName, groupedRowsReadTree, groupedUnread, sourcePointers, readTreeOf, respelled, unreadOf, withheldKeysOf, withIgnoredAlternatives, withoutWithheld, type CompiledMapping, type FieldSpec, type MappingFlag, type MappingProfile, type ReadTree, type RecordSpec, type WithheldKeys } from '../profile.js';
import { buildReleases, type BuildContext, type BuildResult } from './build-releases.js';
import { createLocale, rejectQuotesPerson, withheldReason, type Locale } from '../locale.js';
import { escapePointer } from '../../core/keys.js';

export interface Converter {
  /** Releases of one record, or the reason it cannot become a release. */
  convert(record: SourceRecord): BuildResult | { ok: false; code: 'TRANSFORM_UNSUPPORTED_RECORD'; reason: string };
  /** Does the profile map records of this ingest type? */
  maps(type: string): boolean;
  /**
   * Does a reject quote its record's first bytes? Not when the profile keeps data out (`withhold`,
   * `settings.personIdTypes`): a raw record would publish it.
   */
  readonly quotesRejects: boolean;
  /**
   * A reject as it may be published: without its excerpt when the profile keeps data out, or when the
   * record names a person (settings.personNames) in its excerpt or anywhere in `text`, its text past
   * the excerpt as ingest gives it (rejectQuotesPerson); its reason without a quoted text that names
   * one (withheldReason: a key the parser quotes).
   */
  publishable<R extends { readonly excerpt?: string | undefined; readonly reason: string }>(reject: R, text?: string | null): R | Omit<R, 'excerpt'>;
  /**
   * The file's warnings (INGEST_PROFILE_COLUMN_MISSING) for each path of the profile that none of
   * the records converted since the last call (or clearPresence) had: a field, a list, a list's
   * item's field (where the list had items); not one marked optional; a `withhold` path, in any
   * spelling it is withheld in (withoutWithheld). The stage asks at each file's end (`file`: its
   * name), the CSV header check's equivalent for JSON and XML. Clears what it read.
   */
  absentPaths(file: string): Issue[];
  /**
   * The file's warning (INGEST_PROFILE_DATE_ORDER) when dates the profile's settings.dateOrder could
   * not read are days in the other order (`15/03/2024` month first): the setting is probably not the
   * source's, and the file's other dates read with day and month swapped. Any format; clears its count.
   */
  dateOrderWarnings(file: string): Issue[];
  /** Forget the paths met so far (a file starts). */
  clearPresence(): void;
  /** A UTC instant (a run's date) as the profile's releases write it: in the source's zone (Locale.instant). */
  instant(iso: string): string;
}

/** Compile a profile once; the returned converter is then applied to every record. */
export function createConverter(profile: MappingProfile, ctx: BuildContext): Converter {
  const compiled: Record<string, CompiledMapping> = compileProfile(profile);
  // (withheld paths count as read: they never reach x_decp.unmapped)
  const read = Object.fromEntries(Object.entries(profile.records).map(([type, spec]) => [type, readTreeOf({ ...spec.fields, ...withheldFields(spec.withhold) })]));
  // CSV rows grouped into one record (settings.csv.groupBy) read their columns at either level
  const csv = profile.settings?.csv;
  const linesKey = csv?.groupBy !== undefined && read['unknown'] !== undefined ? (csv.lines ?? 'lines') : undefined;
  // (a grouped record's contract-level columns: read by the record's fields and not by its lines')
  const contractColumns = linesKey === undefined ? [] : contractLevel(read['unknown']!, linesKey);
  // (… and those of them the record's organisations are read from: where the person check looks)
  const orgColumns = linesKey === undefined ? [] : organisationColumns(profile.records['unknown']!.fields, contractColumns);
  if (linesKey !== undefined) read['unknown'] = groupedRowsReadTree(read['unknown']!, linesKey);
  const pointers = Object.fromEntries(Object.entries(profile.records).map(([type, spec]) => [type, sourcePointers(spec.fields)]));
  // every spelling of a withheld key (not only the one the mapping reads as it) is withheld, and
  // counts as the path's presence: each type's keys, and its withheld paths' presence slots, in order
  const withheldKeys: Record<string, WithheldKeys | undefined> = Object.fromEntries(Object.entries(profile.records).map(([type, spec]) => [type, withheldKeysOf(spec.withhold)]));
  // each withheld path's keys as the profile spells them: a key found under that spelling is none respelt
  const withheldSpellings: Record<string, string[]> = Object.fromEntries(Object.entries(profile.records).map(([type, spec]) => [type, (spec.withhold ?? []).map((path) => pathSteps(path).join('\u0000'))]));
  const withheldSlots: Record<string, number[]> = Object.fromEntries(Object.entries(compiled).map(([type, m]) => [type, m.presence.slots.flatMap((s, i) => (s.kind === 'withhold' ? [i] : []))]));
  const build: BuildContext = { ...ctx, locale: createLocale(profile.settings) };
  const quotesRejects = !keepsDataOut(profile);
  // records mapped by each record type since the presence was last cleared (see absentPaths)
  const mappedCount: Record<string, number> = Object.fromEntries(Object.keys(compiled).map((t) => [t, 0]));
  const types = Object.keys(compiled);
  // dates the profile's order could not read that the other order reads, by the field's pointer
  // (list positions as `*`): how many, and the first as given (see dateOrderWarnings)
  const dateOrder = profile.settings?.dateOrder ?? 'day-first';
  const otherOrder = new Map<string, { n: number; example: string }>();
  // the first key of each type's id paths (`номер_договору`), and per file the root list whose items
  // have it when a record does not (`{"договори": [{"номер_договору": …}], "всього": 6}` read as one
  // record: its records are that list's items — settings.json.records; see absentPaths)
  // (the keys as spelt, looked up first: a record that gives one costs a lookup, not a key's loose spelling)
  const idSteps: Record<string, string[]> = Object.fromEntries(Object.entries(profile.records).map(([type, spec]) => {
    const id = spec.fields['id'];
    const from = id !== undefined && !('list' in id) ? [id.from].flat() : [];
    return [type, from.map((p) => pathSteps(p)[0] ?? '').filter((k) => k !== '')];
  }));
  const idKeys: Record<string, string[]> = Object.fromEntries(Object.entries(idSteps).map(([type, steps]) => [type, steps.map(looseKey)]));
  const heldLists = new Map<string, string>();
  // the paths the file's records gave that the profile did not read (x_decp.unmapped's: `a.b`,
  // `list[].c`), by type, a few hundred at most: near spellings of a path none had (absentPaths)
  // (from a file's first records only: a sample is enough for a hint, and the rest cost nothing)
  const unreadPaths: Record<string, Set<string>> = Object.fromEntries(types.map((t) => [t, new Set<string>()]));
  let unreadSampled = 0;
  return {
    quotesRejects,
    dateOrderWarnings(file) {
      if (otherOrder.size === 0) return [];
      const fields = [...otherOrder].map(([where, { n, example }]) => `${JSON.stringify(where)} (${n}, such as ${JSON.stringify(example)})`);
      otherOrder.clear();
      const other = dateOrder === 'day-first' ? 'month-first' : 'day-first';
      return [issue('INGEST_PROFILE_DATE_ORDER', 'warning', `dates of ${fields.join(', ')} are no days with settings.dateOrder ${JSON.stringify(dateOrder)}${profile.settings?.dateOrder === undefined ? ' (the default)' : ''} (flagged DATE_UNPARSABLE) but are ${other}: if the source writes its dates so, give "dateOrder": ${JSON.stringify(other)} — its dates whose day and month are both 12 or less were read with the two swapped, unflagged`, { file })];
    },
    absentPaths(file) {
      const out: Issue[] = [];
      for (const type of types) {
        const n = mappedCount[type]!;
        mappedCount[type] = 0;
        const got = absentPaths(compiled[type]!.presence);
        if (n === 0) continue;
        const records = `none of the file's ${n} record(s)${types.length > 1 ? ` of type ${JSON.stringify(type)}` : ''}`;
        const unread = [...unreadPaths[type]!];
        unreadPaths[type]!.clear();
        unreadSampled = 0;
        // (each with the paths the records gave unread that are spelt nearly so: the one it probably meant)
        const near = (path: string): string => {
          // (not an object on the way, `замовник` for `замовник.код`: no spelling of the path)
          const found = path.includes(' | ') ? [] : nearNames([path], unread.filter((u) => !path.startsWith(`${u}.`) && !path.startsWith(`${u}[].`)));
          return found.length === 0 ? '' : ` (did you mean ${found.map((p) => JSON.stringify(p)).join(' or ')}?)`;
        };
        // (a path two fields read, `lieuExecution.code` for placeCode and placeCodeRaw, named once)
        const names = (slots: typeof got.fields): string => {
          const byPath = new Map<string, string[]>();
          for (const s of slots) {
            const path = presencePathName(s);
            const fields = byPath.get(path);
            if (fields === undefined) byPath.set(path, [s.field]);
            else fields.push(s.field);
          }
          return [...byPath].map(([path, fields]) => `${JSON.stringify(path)} (${fields.join(', ')})${near(path)}`).join(', ');
        };
        const held = heldLists.get(type);
        heldLists.delete(type);
        const envelope = held === undefined ? '' : `; the file's records seem to be the items of its list ${JSON.stringify(held)}: "settings": {"json": {"records": ${JSON.stringify(held)}}} reads them so`;
        if (got.fields.length > 0) out.push(issue('INGEST_PROFILE_COLUMN_MISSING', 'warning', `the profile reads ${names(got.fields)}, which ${records} has: nothing is read from them (keys are matched without case, accents or separators; a field a file may lack is marked "optional": true)${envelope}`, { file }));
        if (got.lists.length > 0) out.push(issue('INGEST_PROFILE_COLUMN_MISSING', 'warning', `the profile reads the list(s) ${names(got.lists)}, which ${records} has: none of their items is read (a list a file may lack is marked "optional": true)`, { file }));
        // (a misspelt withheld path hides nothing: the value it meant is published under the records' spelling)
        if (got.withheld.length > 0) out.push(issue('INGEST_PROFILE_COLUMN_MISSING', 'warning', `the profile withholds ${got.withheld.map((s) => `${JSON.stringify(presencePathName(s))}${near(presencePathName(s))}`).join(', ')}, which ${records} has: if a path is misspelt, the value it should hide may be published under another spelling, in x_decp.unmapped (keys are matched without case, accents or separators)`, { file }));
      }
      return out;
    },
    clearPresence() {
      otherOrder.clear();
      heldLists.clear();
      for (const type of types) unreadPaths[type]!.clear();
      unreadSampled = 0;
      for (const type of types) {
        mappedCount[type] = 0;
        compiled[type]!.presence.seen.fill(0);
      }
    },
    publishable(reject, text) {
      const named = rejectQuotesPerson(build.locale!, reject.excerpt ?? '', text);
      const reason = withheldReason(build.locale!, reject.reason, named);
      const said = reason === reject.reason ? reject : { ...reject, reason };
      if (said.excerpt === undefined || (quotesRejects && !named)) return said;
      const { excerpt: _excerpt, ...bare } = said;
      return bare;
    },
    maps: (type) => Object.hasOwn(compiled, type),
    instant: (iso) => build.locale!.instant(iso),
    convert(record) {
      const mapping = compiled[record.type];
      const kind = profile.records[record.type]?.as ?? record.type;
      if (!mapping || (kind !== 'marche' && kind !== 'contrat-concession')) {
        return { ok: false, code: 'TRANSFORM_UNSUPPORTED_RECORD', reason: `the profile ${JSON.stringify(profile.name)} does not map records of type ${JSON.stringify(record.type)}` };
      }
      let flags: MappingFlag[] = [];
      let data = record.data;
      mappedCount[record.type] = mappedCount[record.type]! + 1;
      const ids = idKeys[record.type] ?? [];
      if (ids.length > 0 && !heldLists.has(record.type) && !idSteps[record.type]!.some((k) => Object.hasOwn(data, k))) {
        const keys = Object.keys(data);
        if (!keys.some((k) => ids.includes(looseKey(k)))) {
          // (a root list whose first object item gives the id's key: the records one level down)
          const held = keys.find((k) => {
            const v = data[k];
            const first = Array.isArray(v) ? v.find((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) : undefined;
            return first !== undefined && Object.keys(first as object).some((x) => ids.includes(looseKey(x)));
          });
          if (held !== undefined) heldLists.set(record.type, held);
        }
      }
      let mapped = mapping(data, flags);
      const respelt: MappingFlag[] = [];
      const p = record.provenance;
      // what the profile does not read is kept as it came (x_decp.unmapped), at any depth (a key of
      // an object read in part, a field of a list's items): nothing is dropped silently
      const tree = read[record.type]!;
      let unmapped = unreadOf(data, tree) as Record<string, unknown> | undefined;
      // … unless it is a key the profile reads, spelt otherwise (`datenotification`): read again as
      // such (a key inside one respelt, `lieu_execution.type_code`, at the next round)
      if (unmapped !== undefined) {
        const tell = (pointer: string, given: string | readonly string[], code: string = 'KEY_RESPELLED'): void => {
          // (a flat contract of several rows: its columns as the file names them, not as they were
          // renumbered to be read — `titulaire.id` of every row, not `titulaire.id_2` —, each once)
          if (record.renamed !== undefined) {
            ({ pointer, given } = asFileNames(record.renamed, pointer, given));
            if (respelt.some((f) => f.code === code && f.pointer === pointer && sameRaw(f.raw, given))) return;
          }
          respelt.push({ code, pointer, raw: given });
        };
        for (let round = 0; round < 4 && unmapped !== undefined; round++) {
          const again = respelled(data, unmapped, tree, '', tell);
          if (again === null) break;
          data = again as Record<string, unknown>;
          unmapped = unreadOf(data, tree) as Record<string, unknown> | undefined;
        }
        if (respelt.length > 0) {
          flags = [...respelt];
          mapped = mapping(data, flags);
        }
      }
      const grouped = linesKey !== undefined && record.type === 'unknown';
      // a grouped record's contract-level column empty on its first row is read from the first row
      // that gives it (a total stated on the last line): an empty cell states nothing. Its organisation
      // read so (`PASQUIER Irène`) that another row names as a person (`PASQUIER Irène EI`, the same
      // SIRET): read as that row names it, so that the person check withholds it, as it does with the
      // rows in the other order (RGPD)
      if (grouped) {
        const named = personNamedElsewhere(firstGiven(data, linesKey, contractColumns), linesKey, orgColumns, build.locale!);
        if (named !== data) {
          data = named;
          flags = [...respelt];
          mapped = mapping(data, flags);
        }
      }
      if (grouped) unmapped = groupedUnread(unmapped, data[linesKey], linesKey);
      if (record.aliases !== undefined) unmapped = withoutAliases(unmapped, record.aliases, tree, linesKey);
      // … and a later alternative of a field beside the one used, with another value (a second column, a key spelt twice)
      unmapped = withIgnoredAlternatives(unmapped, flags);
      // … and never a withheld key, however it is spelt: one the mapping did not read as the profile's
      // (beside its own spelling, a second one, an API's `identificaci_n` for `Identificación`) is
      // left out here, flagged as a key read as the profile's (the key, never its value), and the
      // file had the path
      const hides = withheldKeys[record.type];
      if (hides !== undefined && unmapped !== undefined) {
        const slotOf = withheldSlots[record.type]!;
        const seen = mapping.presence.seen;
        const spellings = withheldSpellings[record.type]!;
        unmapped = withoutWithheld(unmapped, hides, (k, pointer, key) => {
          seen[slotOf[k]!] = 1;
          // (a withheld key inside a list's items, under the profile's own spelling, is no key respelt)
          const keys = pointerKeys(pointer).filter((step) => !/^\d+$/.test(step));
          if (keys.join('\u0000') !== spellings[k]) flags.push({ code: 'KEY_RESPELLED', pointer, raw: key });
        });
      }
      // (a flat contract of several rows: its unread list columns as the file names them, not as they
      // were renumbered to be read — found by a review: `titulaire.pays_2` was kept for `titulaire.pays`)
      if (record.renamed !== undefined && unmapped !== undefined) unmapped = unreadAsFileNames(unmapped, record.renamed);
      // (a partner's own record, which the profile maps as `unknown`, is no unknown record: not said)
      const ingestFlags = (record.type === 'unknown' ? record.issues.filter((i) => i.code !== 'INGEST_UNKNOWN_RECORD_TYPE') : record.issues).map(issueFlag);
      // the contract's columns are read from the first row that gives them: another row that gives
      // another value is said (an empty cell contradicts nothing)
      if (grouped) ingestFlags.push(...differingRows(data[linesKey], contractColumns, linesKey));
      const paths = unreadPaths[record.type]!;
      if (unmapped !== undefined && paths.size < UNREAD_PATHS && unreadSampled < UNREAD_SAMPLE) {
        unreadSampled++;
        unreadPathsOf(unmapped, '', 0, paths);
      }
      for (const f of flags) {
        if (f.code !== 'DATE_UNPARSABLE' || !readsInOtherOrder(f.raw, dateOrder)) continue;
        const where = pointerKeys(f.pointer).map((step) => (/^\d+$/.test(step) ? '*' : step)).join('.');
        const seen = otherOrder.get(where);
        if (seen === undefined) otherOrder.set(where, { n: 1, example: f.raw as string });
        else seen.n++;
      }
      return buildReleases(mapped, flags, { type: kind, version: record.version, file: p.file, sha256: p.sha256, index: p.index, line: p.line, ingestFlags, unmapped, pointers: pointers[record.type], grouped }, build);
    },
  };
}

/**
 * A flag's pointer and raw columns as the file names them (`renamed`: SourceRecord.renamed): the
 * pointer's first key, and each column, named as the rows name it; a column named so twice (the same
 * column of two rows) said once.
 */
function asFileNames(renamed: Readonly<Record<string, string>>, pointer: string, given: string | readonly string[]): { pointer: string; given: string | readonly string[] } {
  const name = (k: string): string => (Object.hasOwn(renamed, k) ? renamed[k]! : k);
  const keys = pointerKeys(pointer);
  const at = keys.length === 0 ? pointer : `/${[name(keys[0]!), ...keys.slice(1)].map(escapePointer).join('/')}`;
  return { pointer: at, given: typeof given === 'string' ? name(given) : [...new Set(given.map(name))] };
}

/**
 * A flat contract's unread columns (x_decp.unmapped's top level) as the file names them (`renamed`:
 * SourceRecord.renamed, each column renumbered → the column as the rows name it): the columns of one
 * list that its rows gave under one name (`titulaire.pays` of each supplier's row, read as
 * `titulaire.pays_1`, `titulaire.pays_2`) are that name, their values one entry per item of the list,
 * in the list's order (the item's number, where it was renumbered to), null for an item without one
 * — as unmapped keeps a list's items —, but for an item another name of the list gives (a file
 * that numbers its columns, `titulaire_pays_1` beside `titulaire_pays_2`); one value of the first item alone is that value, as the
 * column of one row is. Other keys are as they are, in their place.
 */
function unreadAsFileNames(unmapped: Record<string, unknown>, renamed: Readonly<Record<string, string>>): Record<string, unknown> {
  const byName = new Map<string, Array<[string, unknown]>>();
  let any = false;
  for (const [k, v] of Object.entries(unmapped)) {
    const name = Object.hasOwn(renamed, k) ? renamed[k]! : k;
    if (name !== k) any = true;
    let got = byName.get(name);
    if (got === undefined) byName.set(name, (got = []));
    got.push([k, v]);
  }
  if (!any) return unmapped;
  // (the item's number: the first run of digits between separators, where flatRecord puts it —
  // group-rows.ts listColumn; 0 for one without)
  const numberOf = (k: string): number => Number(ITEM_NUMBER.exec(k)?.[0] ?? 0);
  // (a name the file numbers itself, `titulaire_pays_1` beside `titulaire_pays_2`, is one of several
  // columns of the list: the items another of them gives are its own, not items without one — found
  // by a review: {"titulaire_pays_1": ["FR", null, "BE"], "titulaire_pays_2": "DE"} said the second
  // supplier had no country. Each such name's items by the list's columns (`titulaire_pays_#`).)
  const listOf = (name: string): string | undefined => {
    const m = ITEM_NUMBER.exec(name);
    return m === null ? undefined : `${name.slice(0, m.index)}#${name.slice(m.index + m[0].length)}`;
  };
  const givenBy = new Map<string, string>();
  for (const [name, columns] of byName) {
    const list = listOf(name);
    if (list !== undefined) for (const [k] of columns) givenBy.set(`${list}\u0000${numberOf(k)}`, name);
  }
  const out: Record<string, unknown> = {};
  for (const [name, columns] of byName) {
    if (columns.length === 1 && columns[0]![0] === name) {
      out[name] = columns[0]![1];
      continue;
    }
    let items: unknown[] = [];
    for (const [k, v] of columns) {
      const n = numberOf(k);
      const at = n < 1 ? items.length : n - 1;
      while (items.length < at) items.push(null);
      if (at < items.length && items[at] !== null) items.push(v);
      else items[at] = v;
    }
    const list = listOf(name);
    if (list !== undefined) items = items.filter((_, i) => (givenBy.get(`${list}\u0000${i + 1}`) ?? name) === name);
    out[name] = items.length === 1 ? items[0] : items;
  }
  return out;
}
/** An item's number in a list column's name (the first DIGIT_RUN, where flatRecord puts it). */
const ITEM_NUMBER = new RegExp(DIGIT_RUN, 'u');

/** Two flags' raw values alike (a column, or the same columns in the same order). */
function sameRaw(a: unknown, b: string | readonly string[]): boolean {
  return typeof b === 'string' ? a === b : Array.isArray(a) && a.length === b.length && a.every((x, k) => x === b[k]);
}

/** How many unread paths a file's records give that are kept for the hints of absentPaths, from how many of its first records with any. */
const UNREAD_PATHS = 300;
const UNREAD_SAMPLE = 1000;

/** The paths of x_decp.unmapped (`a`, `a.b`, `list[].c`; three keys deep), into `into`, up to UNREAD_PATHS. */
function unreadPathsOf(v: unknown, at: string, depth: number, into: Set<string>): void {
  if (depth >= 3 || into.size >= UNREAD_PATHS) return;
  if (Array.isArray(v)) {
    for (const item of v.slice(0, 5)) unreadPathsOf(item, `${at}[]`, depth, into);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  for (const [k, x] of Object.entries(v)) {
    const path = at === '' ? k : `${at}.${k}`;
    into.add(path);
    unreadPathsOf(x, path, depth + 1, into);
  }
}

function issueFlag(i: Issue): MappingFlag {
  return i.raw === undefined ? { code: i.code, pointer: i.pointer ?? '' } : { code: i.code, pointer: i.pointer ?? '', raw: i.raw };
}

/** Withheld paths as fields that read them (keys no canonical field has: only the read tree sees them). */
function withheldFields(paths: readonly string[] | undefined): Record<string, FieldSpec> {
  return Object.fromEntries((paths ?? []).map((p, k) => [`\u0000withhold${k}`, { from: p }]));
}

/** Top-level columns the record's fields read (or withhold) and its lines' fields do not. */
function contractLevel(tree: ReadTree, linesKey: string): string[] {
  const lines = tree.children.get(linesKey)?.list?.tree;
  return [...tree.children.keys()].filter((k) => k !== linesKey && !(lines?.children.has(k) ?? false));
}

/**
 * Of the contract-level columns, those the record's organisations (its buyer, the suppliers of a
 * `"."` list: the row's own) are read from.
 */
function organisationColumns(fields: RecordSpec['fields'], contractColumns: readonly string[]): string[] {
  const orgs = Object.fromEntries(ORGANISATION_FIELDS.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]!]));
  const tree = readTreeOf(orgs);
  return contractColumns.filter((k) => tree.children.has(k));
}

/** The canonical fields that read an organisation (its name, its identifier and its type: what the person check reads). */
const ORGANISATION_FIELDS = ['buyerId', 'buyerIdType', 'buyerName', 'suppliers'];

/** A cell that states a value: a CSV cell empty or of spaces states none. */
const given = (v: unknown): boolean => (typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null);

/**
 * A grouped record whose contract-level columns `k` whose value does not `hold` take the value of the
 * first row whose value does; the record itself when none does (shared by firstGiven and
 * personNamedElsewhere).
 */
function fromFirstRowThat(data: Record<string, unknown>, linesKey: string, columns: readonly string[], holds: (v: unknown) => boolean): Record<string, unknown> {
  const rows = data[linesKey];
  if (!Array.isArray(rows) || rows.length < 2) return data;
  let out = data;
  for (const k of columns) {
    if (holds(data[k])) continue;
    const row = rows.find((r) => r !== null && typeof r === 'object' && holds((r as Record<string, unknown>)[k])) as Record<string, unknown> | undefined;
    if (row !== undefined) out = { ...out, [k]: row[k] };
  }
  return out;
}

/**
 * A grouped record whose contract-level columns empty on its first row take the value of the first
 * row that gives one (the record's keys are its first row's: a total given on the last line only
 * would be read nowhere, and the lines' sum made up in its place); the record itself when none does.
 */
function firstGiven(data: Record<string, unknown>, linesKey: string, columns: readonly string[]): Record<string, unknown> {
  return fromFirstRowThat(data, linesKey, columns, given);
}

/**
 * A grouped record whose organisation columns take, where the value read (firstGiven) names no person
 * and another row's does (settings.soleTraderNames, personNames; an identifier type of
 * settings.personIdTypes, `Persona Humana` on a later row where the first says `Persona Jurídica`),
 * that row's value; the record itself when none does. A contract-level column is read from one row
 * alone: the other rows' values are published nowhere, but the party would be under that row's name.
 */
function personNamedElsewhere(data: Record<string, unknown>, linesKey: string, columns: readonly string[], L: Locale): Record<string, unknown> {
  if (!L.namesPersons) return data;
  return fromFirstRowThat(data, linesKey, columns, (v) => typeof v === 'string' && (L.namesPerson(v) || (v.trim() !== '' && L.isPerson({ idType: v }))));
}

/**
 * Rows of a group whose contract-level columns give another value than the first row that gives one
 * (read from it alone, firstGiven): one flag per row and column, without the value (it may be a
 * person's name). An empty cell gives no value: it differs from none.
 */
function differingRows(rows: unknown, columns: readonly string[], linesKey: string): MappingFlag[] {
  if (!Array.isArray(rows) || rows.length < 2) return [];
  const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  const cell = (row: unknown, k: string): string => (row !== null && typeof row === 'object' ? text((row as Record<string, unknown>)[k]) : '');
  const out: MappingFlag[] = [];
  const read = new Map<string, string>();
  rows.forEach((row, i) => {
    for (const k of columns) {
      const v = cell(row, k);
      if (v === '') continue;
      const kept = read.get(k);
      if (kept === undefined) read.set(k, v);
      else if (v !== kept) out.push({ code: 'INGEST_GROUP_VALUES_DIFFER', pointer: `/${linesKey}/${i}/${escapePointer(k)}` });
    }
  });
  return out;
}

/** A CSV column named again (`nom_2`) is read or withheld as its name is (`nom`): not kept as unread. */
function withoutAliases(unmapped: Record<string, unknown> | undefined, aliases: Readonly<Record<string, string>>, tree: ReadTree, linesKey: string | undefined): Record<string, unknown> | undefined {
  if (unmapped === undefined) return undefined;
  const lines = linesKey === undefined ? undefined : tree.children.get(linesKey)?.list?.tree;
  const covered = (t: ReadTree | undefined, name: string): boolean => {
    const c = t?.children.get(name);
    return c !== undefined && (c.whole || c.children.size > 0 || c.list !== undefined);
  };
  const strip = (o: Record<string, unknown>, t: ReadTree | undefined): Record<string, unknown> | undefined => {
    const out = { ...o };
    for (const [alias, name] of Object.entries(aliases)) if (covered(t, name) || covered(tree, name) || covered(lines, name)) delete out[alias];
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const top = strip(unmapped, tree) ?? {};
  if (linesKey !== undefined && Array.isArray(unmapped[linesKey])) {
    const kept = (unmapped[linesKey] as unknown[]).map((e) => (e !== null && typeof e === 'object' ? (strip(e as Record<string, unknown>, lines) ?? null) : e));
    if (kept.some((e) => e !== null)) top[linesKey] = kept;
    else delete top[linesKey];
  }
  return Object.keys(top).length > 0 ? top : undefined;
}
