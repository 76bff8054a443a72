/**
 * Rows of one record: the grouping key of a row (a CSV profile's `settings.csv.groupBy`, a flat DECP
 * file's id and buyer id) and the flat DECP record a contract's rows make. One piece of code for flat
 * DECP whatever its format: a CSV file's consecutive rows (read-csv.ts) and a JSON list's consecutive
 * flat records (FlatRecordGroups, below, as read-json.ts reads them) are merged alike, and a row that contradicts its contract
 * (another lot numbered alike, the contract published again) starts another contract alike.
 */
import type { Issue } from '../core/issues.js';
import { classifyRecord } from './classify.js';
import { cleanIdentifier } from '../transform/identifiers.js';
import { DIGIT_RUN as DIGIT_RUN_SOURCE, looseKey, SLOT_DIGITS } from '../transform/profile.js';
import { canonicalJson } from '../transform/json-values.js';
import type { FileState } from './file-state.js';
import type { IngestEvent, SourceRecord } from './types.js';

/**
 * A grouping column's value as rows of one record may spell it: spaces around it and runs of spaces
 * (no-break ones too) inside are one space, and a number written in groups of digits (`211 300 553
 * 00016`, a SIRET as a spreadsheet shows it) is its digits, as the identifier transform reads it. Rows
 * whose keys differ only so (or in the dots and dashes between groups of digits, which the identifier transform leaves out) are one record: as two, they would give one ocid and, without a total to
 * tell them apart, one release id, and a store would keep one of them (found by a CSV probe).
 */
export function groupKeyPart(value: string): string {
  const v = value.replace(/\s+/gu, ' ').trim();
  if (/^\d+(?: \d+)+$/.test(v)) return v.replaceAll(' ', '');
  // (digits the identifier transform reads as one number: in dotted or dashed groups, `211.300.553.00016`,
  // `211-300-553-00016`, or as a spreadsheet wrote them, `21130055300016.0`)
  if (/^[\d .\-\u2010\u2011\u2013eE+,]+$/.test(v) && /\d[.\-\u2010\u2011\u2013,]/.test(v)) {
    const id = cleanIdentifier(v, false)?.id;
    // (an identifier's nine digits or more: a contract number `2020-001` stays as written)
    if (id !== undefined && /^\d{9,}$/.test(id)) return id;
  }
  return v;
}

/**
 * The lists a flat DECP record gives as columns (the DECP profile's `numberedColumns` lists): its
 * suppliers (`titulaire_id_1`, `titulaire.id`, `concessionnaire_id_2`) and its modifications
 * (`modification_montant`, `modifications.0.id`, `modification_1_dureeMois`,
 * `modification.dateNotificationModification`; not the subcontracting acts' modifications,
 * `modificationsActesSousTraitance…`, a list of its own), matched as keys are (looseKey).
 */
const FAMILIES: ReadonlyArray<readonly [string, RegExp]> = [
  ['suppliers', /^(?:titulaire|concessionnaire)/],
  ['modifications', /^modifications?(?!actes?soustraitance)/],
];

/** A run of digits standing between separators (or at the name's ends): a slot's number when it has SLOT_DIGITS digits at most. */
const DIGIT_RUN = new RegExp(DIGIT_RUN_SOURCE, 'gu');

/**
 * The list a flat DECP column gives an item's field of (FAMILIES), and the item's number in the
 * column's name, where it is (its first run of digits between separators: `titulaire_id_1`,
 * `modifications.0.titulaires.1.id` is modification 0's), or null when it has none (`titulaire.id`: a
 * row's one item). A column with a longer number (`titulaire_id_2020`, a year) numbers no item: it is
 * not one of a list's columns (the DECP profile does not read it as one either: SLOT_DIGITS).
 */
export function listColumn(column: string): ListColumn | null {
  let got = listColumns.get(column);
  if (got === undefined) {
    got = listColumnOf(column);
    // (a file's rows name the same columns again and again: each read once; a bounded memory of them)
    if (listColumns.size >= MEMO_SIZE) listColumns.clear();
    listColumns.set(column, got);
  }
  return got;
}
type ListColumn = { readonly family: string; readonly number: { readonly at: number; readonly digits: string } | null };
const listColumns = new Map<string, ListColumn | null>();
const MEMO_SIZE = 10_000;
/** A column's loose spelling (looseKey), remembered as listColumn's are. */
function loosely(column: string): string {
  let got = looseNames.get(column);
  if (got === undefined) {
    got = looseKey(column);
    if (looseNames.size >= MEMO_SIZE) looseNames.clear();
    looseNames.set(column, got);
  }
  return got;
}
const looseNames = new Map<string, string>();

function listColumnOf(column: string): ListColumn | null {
  const loose = loosely(column);
  const family = FAMILIES.find(([, re]) => re.test(loose))?.[0];
  if (family === undefined) return null;
  let first: { at: number; digits: string } | null = null;
  for (const m of column.matchAll(DIGIT_RUN)) {
    if (m[0].length > SLOT_DIGITS) return null;
    first ??= { at: m.index, digits: m[0] };
  }
  return { family, number: first };
}

/** A value as rows are compared: a text trimmed, nothing and an empty text alike, anything else its JSON. */
function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'object') return canonicalJson(v);
  return String(v);
}

/** Does a cell state a value (a text of spaces, null, nothing: none)? */
const states = (v: unknown): boolean => cell(v) !== '';

/**
 * The column of a contract's row (past its first) that contradicts its first row: a column of neither
 * a list (listColumn) nor the grouping (`keyColumns`, whose values matched as keys already: `215 903
 * 501 00017` is `21590350100017`) whose value differs (an empty cell and no cell alike); undefined
 * when none does. `rows`: the contract's rows so far, its first first. A row that gives a modification
 * may give the contract's amount or duration as a modification left it (an export of the contract's
 * states, one row each: `montant` 55000 beside the second modification, after a first to 55000): a
 * value that one of the contract's modifications so far, or this row's own, gives is no contradiction
 * (the contract's first row keeps its value; its modifications say the others).
 */
export function contradiction(rows: ReadonlyArray<Readonly<Record<string, unknown>>>, row: Readonly<Record<string, unknown>>, keyColumns: readonly string[]): string | undefined {
  const first = rows[0]!;
  const columns = new Set([...Object.keys(first), ...Object.keys(row)]);
  for (const c of columns) {
    if (keyColumns.includes(c) || listColumn(c) !== null || cell(row[c]) === cell(first[c])) continue;
    if (modifiedValue(c, row, rows)) continue;
    return c;
  }
  return undefined;
}

/** The contract's columns a modification changes, by their loose spelling: what the modification's field is. */
const MODIFIED: ReadonlyMap<string, string> = new Map([
  ['montant', 'amount'],
  ['valeurglobale', 'amount'],
  ['dureemois', 'months'],
]);
/** A modification's column (its number aside, loosely spelt) of a field a modification changes. */
const MODIFICATION_FIELD = /^modifications?(montant|valeurglobale|dureemois)(?:modification)?$/;

/**
 * Is a contract column's value in `row` one a modification gave (modification columns of `row` or of
 * the contract's rows so far, `rows`: their amount for `montant` or `valeurGlobale`, their duration for
 * `dureeMois`), with `row` giving a modification itself?
 */
function modifiedValue(column: string, row: Readonly<Record<string, unknown>>, rows: ReadonlyArray<Readonly<Record<string, unknown>>>): boolean {
  const field = MODIFIED.get(loosely(column));
  if (field === undefined || !states(row[column])) return false;
  const valuesOf = (r: Readonly<Record<string, unknown>>): unknown[] => {
    const got: unknown[] = [];
    for (const [c, v] of Object.entries(r)) {
      if (!states(v) || listColumn(c)?.family !== 'modifications') continue;
      const m = MODIFICATION_FIELD.exec(loosely(c).replace(/\d+/g, ''));
      if (m !== null && MODIFIED.get(m[1]!) === field) got.push(v);
    }
    return got;
  };
  const own = valuesOf(row);
  if (!Object.entries(row).some(([c, v]) => states(v) && listColumn(c)?.family === 'modifications')) return false;
  const value = row[column];
  return [...own, ...rows.flatMap(valuesOf)].some((v) => sameValue(v, value));
}

/** Two cells of one value: alike as texts, or as numbers (`55000` and `"55000.0"`). */
function sameValue(a: unknown, b: unknown): boolean {
  if (cell(a) === cell(b)) return true;
  const x = Number(cell(a));
  const y = Number(cell(b));
  return cell(a) !== '' && cell(b) !== '' && Number.isFinite(x) && x === y;
}

/**
 * The flat DECP record of a contract's rows (one, or one per supplier or modification, already checked
 * against the first: contradiction): a row alone is itself; of several, the first row's columns, but
 * the lists' (listColumn), and each row's items of each list numbered in the order of the rows — a
 * row's un-numbered columns (`titulaire.id`, `modification_montant`) its first item, `<column>_<n>`,
 * its numbered ones (`titulaire_id_1`) renumbered after the items of the rows before — so that the
 * DECP mapping reads them as it reads one flat record's numbered columns (numberedColumns). Cells that
 * state no value are no field of an item; an item that another row gave already (its columns, less
 * their numbers, and values the same: the supplier of a contract repeated on each row of its
 * modifications, the modification on each row of its suppliers) is not given again. `renamed`, when
 * given, gets each column so renumbered → the column as the rows name it (`titulaire.id_2` →
 * `titulaire.id`): what the record's flags name (SourceRecord.renamed).
 */
export function flatRecord(rows: ReadonlyArray<Readonly<Record<string, unknown>>>, renamed?: Record<string, string>): Record<string, unknown> {
  if (rows.length === 1) return { ...rows[0]! };
  const data: Record<string, unknown> = {};
  for (const [c, v] of Object.entries(rows[0]!)) if (listColumn(c) === null) data[c] = v;
  const used = new Map<string, number>();
  const seen = new Set<string>();
  for (const row of rows) {
    // this row's items, by list and by number (-1: the un-numbered columns)
    const items = new Map<string, Map<number, Array<[string, ListColumn, unknown]>>>();
    for (const [c, v] of Object.entries(row)) {
      const got = listColumn(c);
      if (got === null || !states(v)) continue;
      let byNumber = items.get(got.family);
      if (byNumber === undefined) items.set(got.family, (byNumber = new Map()));
      const n = got.number === null ? -1 : Number(got.number.digits);
      let item = byNumber.get(n);
      if (item === undefined) byNumber.set(n, (item = []));
      item.push([c, got, v]);
    }
    for (const [family, byNumber] of items) {
      for (const n of [...byNumber.keys()].sort((a, b) => a - b)) {
        const item = byNumber.get(n)!;
        const signature = `${family}\u0000${item.map(([c, at, v]) => `${unnumbered(c, at)}\u0001${cell(v)}`).sort().join('\u0002')}`;
        if (seen.has(signature)) continue;
        seen.add(signature);
        const slot = (used.get(family) ?? 0) + 1;
        used.set(family, slot);
        for (const [c, at, v] of item) {
          const name = at.number === null ? `${c}_${slot}` : `${c.slice(0, at.number.at)}${slot}${c.slice(at.number.at + at.number.digits.length)}`;
          if (Object.hasOwn(data, name)) continue;
          data[name] = v;
          if (renamed !== undefined && name !== c) renamed[name] = c;
        }
      }
    }
  }
  return data;
}

/** A list's column without its item's number (`titulaire_id_#`): what two rows' items are compared by. */
const unnumbered = (c: string, at: ListColumn): string => (at.number === null ? c : `${c.slice(0, at.number.at)}#${c.slice(at.number.at + at.number.digits.length)}`);

/**
 * The id and buyer-id columns of a flat DECP record or header (`id` or `uid`; `acheteur_id`,
 * `acheteur.id`, `autoriteConcedante_id`…), matched as keys are; null when it has not both.
 */
export function flatKeyColumns(names: readonly string[]): { readonly id: string; readonly buyer: string } | null {
  const loose = names.map(loosely);
  const idAt = loose.indexOf('id') >= 0 ? loose.indexOf('id') : loose.indexOf('uid');
  const buyerAt = loose.findIndex((n) => n === 'acheteurid' || n === 'autoriteconcedanteid');
  return idAt >= 0 && buyerAt >= 0 ? { id: names[idAt]!, buyer: names[buyerAt]! } : null;
}

/**
 * Has a record a key that may be a flat buyer id (`acheteur_id`, `Acheteur.Id`, `autoriteConcedante_id`:
 * longer than the object's name)? A test on the keys as written, so that a nested record (its
 * `acheteur` an object) costs no loose spelling of its keys on the reading's hot path.
 */
function mayBeFlat(data: Readonly<Record<string, unknown>>): boolean {
  for (const k in data) if (k.length > 8 && FLAT_BUYER_START.test(k)) return true;
  return false;
}
const FLAT_BUYER_START = /^(?:acheteur|autorit)/i;

/**
 * Does a record give its suppliers or modifications as lists, not columns (`"titulaires": [{…}]`
 * beside `acheteur.id`: pandas' json_normalize flattens objects and keeps lists)? Such a record is no
 * row of a table: never grouped (merged, its lists were read as one row's columns, `titulaires_1`, and
 * lost: no supplier, no modification, another award id).
 */
function holdsLists(data: Readonly<Record<string, unknown>>): boolean {
  for (const k in data) {
    const v = data[k];
    if (v !== null && typeof v === 'object' && listColumn(k) !== null) return true;
  }
  return false;
}

/** An event counted in the file's records (read = accepted + rejected). */
const counted = (x: IngestEvent): boolean => x.type === 'record' || x.type === 'release-text' || x.type === 'reject';

/**
 * A count less one, the key gone at none: the counts of records given up (a sample's, `ungive`) are
 * those of a file that never had them (`types: {"release": 0}` was left where the whole file says none).
 */
function lessOne<K extends string>(counts: Partial<Record<K, number>>, key: K): void {
  const n = (counts[key] ?? 1) - 1;
  if (n > 0) counts[key] = n;
  else delete counts[key];
}

/** A record's size as JSON text (its text as read, when it is kept). */
const sizeOf = (r: SourceRecord): number => r.text?.length ?? JSON.stringify(r.data).length;

/** A value that may key a row: a text or a number, stated. */
const keyValue = (v: unknown): string | null => ((typeof v === 'string' || typeof v === 'number') && cell(v) !== '' ? groupKeyPart(String(v)) : null);

/** A flat DECP row: its record, its id and buyer-id keys, and its grouping key (their values). */
type FlatRow = { readonly record: SourceRecord; readonly columns: { readonly id: string; readonly buyer: string }; readonly key: string };

/**
 * Flat DECP records of a JSON file (a list of rows, as an export writes a table: `titulaire_id` or
 * `modification_montant` un-numbered, a contract's columns repeated on each of its rows), grouped as a
 * flat DECP CSV's rows are: consecutive records of one id and buyer id (flatKeyColumns at the record's
 * top level, their values as groupKeyPart reads them) are one record (flatRecord), a record that
 * contradicts its contract's first starts another contract, a record of its own (contradiction), and
 * any other event (a nested record, a reject, a release) ends the group before it; a contract whose
 * rows are larger than `maxRecordBytes` together is one reject (INGEST_RECORD_TOO_LARGE), as a CSV
 * group is. The file's counts are those of the records given: read = accepted + rejected, each
 * record's index its place among them.
 *
 * read-json.ts hands it the events of each record as the record is read (`push`), so that the counts
 * are right at once: --sample stops after N whole contracts, not N rows. The contract whose rows are
 * being read is counted once (its first row) and `state.held` says so: it is not whole until a record
 * that is not one of its rows comes (`push`) or the file ends (`end`); a reading stopped before then
 * gives it up (`drop`), as it gives up the rows it did not read.
 */
export class FlatRecordGroups {
  /** The contract whose rows are read: its key, its rows, its index, its rows' size (counted from its second row on). */
  /**
   * Set once `push` has given up records it read (the contract before them made the sample whole):
   * what the reader counted of them on its own is un-counted too (read-json.ts rootReleases).
   */
  ungave = false;
  private open: { key: string; columns: readonly string[]; rows: SourceRecord[]; datas: Array<Record<string, unknown>>; index: number; bytes: number } | null = null;

  constructor(
    private readonly state: FileState,
    private readonly maxRecordBytes: number,
    /** --sample's: the records counted are enough (see push). */
    private readonly shouldStop: () => boolean = () => false,
  ) {}

  /**
   * The events of one record read (in the order read, indexed one after the other): those that can be
   * given now, the contract before them flushed when they end it; a row of a flat contract is held.
   */
  push(events: IngestEvent | readonly IngestEvent[]): IngestEvent | IngestEvent[] | null {
    const state = this.state;
    // (the common case, a nested record or a release with no contract open: given as it is)
    let known: FlatRow | null | undefined;
    if (!Array.isArray(events) && this.open === null && (known = this.flatRow(events as IngestEvent)) === null) return events as IngestEvent;
    const out: IngestEvent[] = [];
    // (records merged among these events: the indexes given after them, here, are that many too high)
    let merged = 0;
    const at = <T extends { provenance: SourceRecord['provenance'] }>(x: T): T => (merged === 0 ? x : { ...x, provenance: { ...x.provenance, index: x.provenance.index - merged } });
    const list = Array.isArray(events) ? (events as readonly IngestEvent[]) : [events as IngestEvent];
    // (the events from the e-th on that are counted records, once a sample's end is looked for: see enough)
    let rest = -1;
    const restFrom = (e: number): number => (rest = rest < 0 ? list.slice(e).filter(counted).length : rest);
    for (const [e, ev] of list.entries()) {
      if (rest >= 0 && e > 0 && counted(list[e - 1]!)) rest--;
      const flat = known !== undefined ? known : this.flatRow(ev);
      known = undefined;
      if (flat === null) {
        const ended = this.open !== null;
        this.flush(out);
        // (the contract this record ends, whole now, may be the last that --sample wants: this record
        // and those after it are then not given, un-counted, as a flat row that starts the next
        // contract is (drop) — counted at once, it was one record more than asked: found by a review)
        // (… so may the records before it among these events: records read together, a list beside
        // `marches` read at the document's end, are given as far as the sample wants them, no further —
        // they were all given, `--sample 2` giving four: found by a probe)
        if ((ended || e > 0) && this.enough(list, e, restFrom)) return out;
        out.push(ev.type === 'record' ? { type: 'record', record: at(ev.record) } : ev.type === 'reject' ? { ...ev, reject: at(ev.reject) } : ev.type === 'release-text' ? { type: 'release-text', release: at(ev.release) } : ev);
        continue;
      }
      const { record: r, columns, key: joined } = flat;
      const row = at(r);
      const open = this.open;
      // (a row of the open contract's id and buyer that gives other contract columns — another lot
      // numbered alike, the contract published again — is another contract: a record of its own, from it on)
      if (open !== null && open.key === joined && contradiction(open.datas, r.data, open.columns) === undefined) {
        // (a row of the open contract: its index is the contract's, the records after it one less)
        // (counted once: past the limit, the rows not held leave the first alone)
        if (open.bytes === 0) open.bytes = sizeOf(open.rows[0]!);
        open.bytes += sizeOf(row);
        this.uncount(r);
        merged++;
        state.index--;
        // (past the limit, its rows are not held: the contract is one reject, they with it)
        if (open.bytes > this.maxRecordBytes) continue;
        open.rows.push(row);
        open.datas.push(row.data);
        continue;
      }
      const ended = open !== null;
      this.flush(out);
      // (a row that starts a contract after a contract or records read with it: the sample may be whole before it)
      if ((ended || e > 0) && this.enough(list, e, restFrom)) return out;
      this.open = { key: joined, columns: [columns.id, columns.buyer], rows: [row], datas: [row.data], index: row.provenance.index, bytes: 0 };
      state.held = 1;
    }
    return out;
  }

  /**
   * Are the records given before `list[e]` all that --sample wants? Then `list[e]` and the events after
   * it, counted already, are not given: un-counted (ungive), `ungave` set.
   */
  private enough(list: readonly IngestEvent[], e: number, restFrom: (e: number) => number): boolean {
    const state = this.state;
    // (not even with all of them: the common case, and every case without --sample, in constant time;
    // else the records from `e` on, counted once per push and kept as it goes — a list of many records
    // read together is not counted again at each of them)
    if (!this.shouldStop()) return false;
    // (this record and those after it, counted already, are not whole records before it: held as it is judged)
    state.held = restFrom(e);
    const stop = this.shouldStop();
    state.held = 0;
    if (!stop) return false;
    for (const x of list.slice(e)) this.ungive(x);
    this.ungave = true;
    return true;
  }

  /** The end of the file: the contract open, whole. */
  end(): IngestEvent[] {
    const out: IngestEvent[] = [];
    this.flush(out);
    return out;
  }

  /**
   * The reading stopped before the file's end (--sample): the contract open may have rows not read, and
   * is given up, un-counted (its index too: it was the last record counted).
   */
  drop(): void {
    const g = this.open;
    if (g === null) return;
    this.open = null;
    this.state.held = 0;
    this.uncount(g.rows[0]!);
    this.state.index--;
  }

  /** A flat DECP row (a marché or concession whose top level has an id and a buyer id, both stated), or null. */
  private flatRow(ev: IngestEvent): FlatRow | null {
    const r = ev.type === 'record' && (ev.record.type === 'marche' || ev.record.type === 'contrat-concession') ? ev.record : null;
    if (r === null || !mayBeFlat(r.data) || holdsLists(r.data)) return null;
    const columns = flatKeyColumns(Object.keys(r.data));
    if (columns === null) return null;
    const id = keyValue(r.data[columns.id]);
    const buyer = keyValue(r.data[columns.buyer]);
    return id === null || buyer === null ? null : { record: r, columns, key: `${id}\u0000${buyer}` };
  }

  /** Un-count an event read and not given (a record, a release's text, a reject: see push). */
  private ungive(ev: IngestEvent): void {
    const state = this.state;
    if (ev.type === 'record') {
      this.uncount(ev.record);
      if (ev.record.type === 'unknown') state.unknownRecords--;
    } else if (ev.type === 'release-text') {
      state.accepted--;
      lessOne(state.types, 'release');
    } else if (ev.type === 'reject') state.rejected--;
    else return;
    state.index--;
  }

  /** Un-count a record read (merged into its contract's, rejected, or given up). */
  private uncount(r: SourceRecord): void {
    const state = this.state;
    state.accepted--;
    lessOne(state.types, r.type);
    if (r.version) lessOne(state.versions, r.version);
  }

  /** The contract open, as its record (or its reject), into `out`. */
  private flush(out: IngestEvent[]): void {
    const g = this.open;
    if (g === null) return;
    const state = this.state;
    this.open = null;
    state.held = 0;
    const first = g.rows[0]!;
    // (a contract whose later rows were past the limit holds its first alone: a reject all the same)
    if (g.rows.length === 1 && g.bytes <= this.maxRecordBytes) {
      out.push({ type: 'record', record: first.provenance.index === g.index ? first : { ...first, provenance: { ...first.provenance, index: g.index } } });
      return;
    }
    const kept = g.rows;
    const issues: Issue[] = [...first.issues];
    for (const r of kept.slice(1)) for (const i of r.issues) if (!issues.some((x) => x.code === i.code && x.pointer === i.pointer)) issues.push(i);
    // (rows held together are bounded as a CSV group's are: past --max-record-bytes, the contract is one reject)
    if (g.bytes > this.maxRecordBytes) {
      this.uncount(first);
      state.rejected++;
      out.push({ type: 'reject', reject: { provenance: { ...first.provenance, index: g.index }, code: 'INGEST_RECORD_TOO_LARGE', reason: `the records of this contract (consecutive flat records of one ${g.columns.join(' and ')}) are larger than ${this.maxRecordBytes} bytes (--max-record-bytes) together` } });
      return;
    }
    const { text: _text, ...rest } = first;
    const renamed: Record<string, string> = {};
    const data = flatRecord(kept.map((r) => r.data), renamed);
    // (the contract's generation is its rows' together, as a CSV group's is: a later row's modification
    // id is 2024's evidence, which the first row, without a modification, did not give — read alone,
    // the contract's id was cut by the 2019 rule, another ocid than its CSV twin's)
    const alone = classifyRecord(first.data, null);
    const together = classifyRecord(data, null);
    let version = first.version;
    if (together.type === alone.type && together.version !== alone.version) {
      if (version) state.versions[version] = (state.versions[version] ?? 1) - 1;
      version = together.version;
      if (version) state.versions[version] = (state.versions[version] ?? 0) + 1;
      if (together.mixed !== undefined && !issues.some((x) => x.code === together.mixed!.code)) issues.push(together.mixed);
    }
    out.push({ type: 'record', record: { ...rest, version, data, provenance: { ...first.provenance, index: g.index }, issues, ...(Object.keys(renamed).length > 0 ? { renamed } : {}) } });
  }
}
