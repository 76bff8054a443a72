/**
 * JSON and JSON Lines reader: decompressed bytes → SourceRecord / reject events.
 * Sits between source.ts (bytes) and the rest of the pipeline. The splitter
 * finds records; parse-record.ts turns each into an object; classify.ts says
 * what it is. Memory: one record at a time.
 */
import { isUtf8 } from 'node:buffer';
import { issue, type Issue } from '../core/issues.js';
import { escapePointer, pointerKeys } from '../core/keys.js';
import { classifyLone, classifyRecord, misfiledIssue, type Classified } from './classify.js';
import { batchesOf, type FileState } from './file-state.js';
import { FlatRecordGroups, flatKeyColumns } from './group-rows.js';
import { decpContainer, JsonRecordSplitter, LBRACE, NL, parsesAlone, valueStarts, type ContainerName, type EnvelopeList, type SplitEvent, type SplitLimits } from './json-splitter.js';
import { OwnReleaseLines, ownReleaseOcid, parseRecordBytes, type ParsedRecord } from './parse-record.js';
import { recordsOfRunOn, type Piece } from './indent-split.js';
import type { IngestEvent, RecordType } from './types.js';
import { isJsonObject } from '../transform/json-values.js';
import { looseKey } from '../transform/profile.js';

export interface JsonReadOptions extends SplitLimits {
  /** Stop after this many records (all files together are counted by the caller). */
  readonly shouldStop: () => boolean;
  /** Hand releases of the pipeline's own layout over unparsed (see ReleaseText in types.ts). */
  readonly releaseText?: boolean;
  /** Stop reading at a byte when the plan says so (see CutPlan). */
  readonly cut?: CutPlan | undefined;
}

/**
 * A file whose rest, from a byte on, may be read apart (compile reads the second part of a large
 * JSON Lines file in another thread): the reading stops there when `decide` says so.
 */
export interface CutPlan {
  /** The byte (from the file's start) where the rest begins: the start of a line. */
  readonly at: number;
  /**
   * Asked when every byte before `at` is read: `where` is the number of the line at `at` and the
   * records read before it when those bytes end between two records of JSON Lines of records, else
   * null. true: the reading ends at `at`. Told null when the reading ends (before `at`, or without
   * having asked): the plan's first answer holds.
   */
  decide(where: { readonly line: number; readonly index: number } | null): Promise<boolean>;
}

/** The chunks up to `plan.at`, then, unless the plan ends the reading there, the rest. */
async function* cutChunks(chunks: AsyncIterable<Buffer>, plan: CutPlan, where: () => { line: number; index: number } | null): AsyncGenerator<Buffer> {
  let pos = 0;
  let asked = false;
  for await (const chunk of chunks) {
    if (asked || pos + chunk.length <= plan.at) {
      pos += chunk.length;
      yield chunk;
      continue;
    }
    const before = plan.at - pos;
    // (the consumer reads the bytes before the cut whole before it asks for more)
    if (before > 0) yield chunk.subarray(0, before);
    asked = true;
    if (await plan.decide(where())) return;
    pos += chunk.length;
    yield chunk.subarray(before);
  }
  if (!asked) await plan.decide(null);
}

/** Yields the events of each chunk as one batch (one await per chunk, not per record). */
export async function* readJson(chunks: AsyncIterable<Buffer>, state: FileState, options: JsonReadOptions): AsyncGenerator<IngestEvent[]> {
  // releases handed over unparsed: JSON Lines of the pipeline's own releases are vetted a slice at a
  // time, and the lines vouched for are not scanned byte by byte
  // (the splitter asks of a record that ended with "]", and the record's parse failing asks again:
  // answered once)
  let lastRunOn: { readonly bytes: Buffer; readonly got: ReturnType<typeof recordsOfRunOn> } | null = null;
  const runOnOf = (bytes: Buffer): ReturnType<typeof recordsOfRunOn> => (lastRunOn?.bytes === bytes ? lastRunOn.got : (lastRunOn = { bytes, got: recordsOfRunOn(bytes) }).got);
  // (a root object of no known shape past the record size limit is an envelope when the first
  // objects of its lists are records: `{"results":[…]}`, an API's export; see the splitter's hook)
  const envelope = (records: readonly Buffer[]): EnvelopeList => {
    const items = records.map((b) => parsesAlone(b, 0, b.length, state.encoding === 'utf-8' ? 'utf8' : 'latin1'));
    // (an object that does not parse, NaN or a broken record, may be a record: unsure)
    return listOfRecords(items) !== null ? 'records' : items.includes(undefined) ? 'unsure' : 'other';
  };
  const splitter = new JsonRecordSplitter(options, options.releaseText && state.encoding === 'utf-8' ? new OwnReleaseLines().ocid : undefined, (bytes, atEnd) => (atEnd === true ? faultBeforeEnd(bytes) && runOnOf(bytes) !== null : endsWithItsList(bytes, runOnOf(bytes))), envelope);
  splitter.startAt(state.leadingBytes, 1 + state.leadingLines);
  // (the caller gives a plan only when the chunks' offsets are the file's)
  if (options.cut !== undefined) {
    chunks = cutChunks(chunks, options.cut, () => {
      const line = splitter.lineStart();
      return line === null ? null : { line, index: state.index };
    });
  }
  let rootValues = 0;
  /** Faults between records read past so far (see REPAIRS_LISTED). */
  let repaired = 0;
  let containers: string[] = [];
  /** Releases with an ocid read from the current root's `releases` list (see the `meta` event). */
  let rootReleases = 0;
  // (said once per file: sayHeld)
  let heldSaid = false;
  /** Containers of packages met as items of a list (see packageList). */
  const listedPackages = new Set<'releases' | 'records'>();
  /** The piece of a record being read on its own (see recordsOfRunOn), if one is. */
  let piece: { readonly k: number; readonly count: number; readonly by: string } | null = null;
  let validChunk: Buffer | null = null;
  // one UTF-8 check per chunk; records inside a valid chunk need none of their own
  const onChunk = (chunk: Buffer): void => {
    validChunk = state.encoding === 'utf-8' && isUtf8(chunk) ? chunk : null;
  };
  // inside the checked chunk: its memory and its byte range (small buffers share Node's pool, so the
  // same ArrayBuffer alone does not say that a record's bytes were checked)
  const checked = (bytes: Buffer): boolean => validChunk !== null && bytes.buffer === validChunk.buffer && bytes.byteOffset >= validChunk.byteOffset && bytes.byteOffset + bytes.length <= validChunk.byteOffset + validChunk.length;
  // (flat DECP rows, one contract's consecutive rows one record, grouped as they are read: the counts
  // --sample stops by are whole contracts)
  const groups = new FlatRecordGroups(state, options.maxRecordBytes, options.shouldStop);
  const whole = yield* batchesOf(chunks, state, splitter, (ev) => {
    const releases = rootReleases;
    const out = handle(ev);
    if (out === null) return null;
    const given = groups.push(out);
    // (a release of the root's `releases` given up by the sample is none read: un-counted, as the
    // groups un-count it — they are given one event at a time, so all of it or none)
    if (groups.ungave) rootReleases = releases;
    return given;
  }, options.shouldStop, onChunk);
  if (whole) {
    const last = groups.end();
    if (last.length > 0) yield last;
  } else groups.drop();
  finish();

  /** Each piece of a record, read as a record of its own (its line and offset its own). */
  function piecesOf(ev: SplitEvent & { type: 'record' }, pieces: readonly Piece[], by: string): IngestEvent[] {
    const out: IngestEvent[] = [];
    let line = ev.line;
    let at = 0;
    try {
      pieces.forEach(([start, end, list], k) => {
        for (let i = ev.bytes.indexOf(NL, at); i >= 0 && i < start; i = ev.bytes.indexOf(NL, i + 1)) line++;
        at = start;
        piece = { k, count: pieces.length, by };
        // (members: not counted for a piece, so its keys are checked for duplicates by parsing)
        // (a piece of the list after the record's own, a 2024 document's concessions: of that list)
        const got = handle({ type: 'record', bytes: ev.bytes.subarray(start, end), offset: ev.offset + start, line, container: list ?? ev.container, rootValue: ev.rootValue, longNumber: ev.longNumber });
        if (got !== null) out.push(...(Array.isArray(got) ? got : [got]));
      });
    } finally {
      piece = null;
    }
    return out;
  }

  /**
   * An item of a list of packages in an envelope (an API's page, `{"results":[{"releases":[…]}, …]}`):
   * its releases (records), each where it is, and its metadata taken as a package file's (its
   * version, publisher, licence: see packageList); anything else in such a list is read as an item.
   */
  function packagesOpened(w: WrappedItem, line: number): Array<WrappedItem & { container: ContainerName }> {
    if (w.container !== 'packages') return [{ ...w, container: w.container }];
    const data = w.item !== null && typeof w.item === 'object' && !Array.isArray(w.item) ? (w.item as Record<string, unknown>) : null;
    const listed = data === null ? null : packageList(data);
    if (data === null || listed === null) return [{ ...w, container: null }];
    listedPackages.add(listed.container);
    const meta: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) if (k !== 'releases' && k !== 'records') meta[k] = v;
    state.addPackage(meta, { line, pointer: w.pointer });
    return listed.items.map((item, i) => ({ item, container: listed.container, pointer: `${w.pointer}/${listed.container}/${i}` }));
  }

  function handle(ev: SplitEvent): IngestEvent | IngestEvent[] | null {
    if (ev.type === 'record' && ev.rootValue) rootValues++;
    if (ev.type === 'meta') containers = [...ev.containers];
    switch (ev.type) {
      case 'record': {
        const where = { line: ev.line, offset: ev.offset };
        if (ev.closedEarly !== undefined) {
          const { closedEarly, ...record } = ev;
          if (closedEarly.quoteLost !== true && hasKey(ev.bytes, closedEarly.key)) {
            // the record has that key already: it is whole, and what followed it is the next record,
            // whose opening "{" is missing (a record never gives a key twice; its rest would not)
            const got = handle(record);
            const lost = state.reject(
              { line: closedEarly.line, offset: closedEarly.offset },
              'INGEST_RECORD_SYNTAX',
              `a record without its opening "{": its fields, from "${closedEarly.key}" (line ${closedEarly.line}, byte ${closedEarly.offset}) up to the brace that ends it, were passed over; the records after it are read`,
            );
            return [...(got === null ? [] : Array.isArray(got) ? got : [got]), lost];
          }
          // read up to the brace that closed it, it would be published without its other fields
          const reason =
            closedEarly.quoteLost === true
              ? `a "}" in place of the opening quote of key "${closedEarly.key}" ends this record before its other fields: they follow it in the list, from line ${closedEarly.line} (byte ${closedEarly.offset - 1}), and were passed over up to the brace that ends the record; the records after it are read`
              : `a "}" too many ends this record before its other fields: they follow it in the list, from line ${closedEarly.line} (byte ${closedEarly.offset}), and were passed over up to the brace that ends the record; the records after it are read`;
          return state.rejectQuoting(where, 'INGEST_RECORD_SYNTAX', reason, ev.bytes);
        }
        const utf8 = checked(ev.bytes);
        // (a record joined across reads or slices was not checked with its chunk: checked alone here)
        if (ev.key !== undefined && utf8 && ev.container === 'releases') rootReleases++;
        if (ev.key !== undefined && utf8) return state.acceptText({ ocid: ev.key, bytes: ev.bytes, provenance: state.provenance(where) });
        if (options.releaseText && !ev.longNumber && (ev.container === null || ev.container === 'releases') && (utf8 || (state.encoding === 'utf-8' && isUtf8(ev.bytes)))) {
          const ocid = ownReleaseOcid(ev.bytes);
          if (ocid !== null && ev.container === 'releases') rootReleases++;
          if (ocid !== null) return state.acceptText({ ocid, bytes: ev.bytes, provenance: state.provenance(where) });
        }
        const r = parseRecordBytes(ev.bytes, state.encoding, ev.longNumber, utf8, ev.members);
        if (!r.ok) {
          // a document that holds its records in a list under another name (`{"data":[…]}`, an
          // API's envelope), not valid JSON: its records are read one by one, the fault costing only
          // the one it is in (as in a `marches` list)
          const inner = ev.rootValue && piece === null && ev.bytes[0] === LBRACE ? envelopeEvents(ev, options, envelope) : null;
          if (inner !== null) {
            state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the file is not valid JSON (${recordRejectReason(r, ev.bytes, ev.line, ev.offset)}): its records, in a list under a name that is not a DECP or OCDS one, are read one by one`, { file: state.file.file, line: ev.line }));
            const out: IngestEvent[] = [];
            for (const e of inner) {
              const got = handle(e);
              if (got !== null) out.push(...(Array.isArray(got) ? got : [got]));
            }
            return out;
          }
          // an item of a list written over lines, whose braces do not balance, may hold the records
          // after it: they are read on their own, told apart by their indentation or their first keys (indent-split.ts)
          const runOn = piece === null && !ev.rootValue ? runOnOf(ev.bytes) : null;
          if (runOn !== null) return piecesOf(ev, runOn.pieces, runOn.by);
          // (a string left open at a line's end: said so, rather than where the parse stopped)
          let reason = ev.unclosedLine === undefined ? recordRejectReason(r, ev.bytes, ev.line, ev.offset) : `a string is not closed at the end of line ${ev.unclosedLine} (its closing quote is missing: the next line starts a key); the records after this one are read (${recordRejectReason(r, ev.bytes, ev.line, ev.offset)})`;
          if (piece !== null && piece.k === 0) reason += `; its braces do not balance, so it ran on over the next records of the list: those (${piece.count - 1}), told apart by their ${piece.by}, are read on their own`;
          return state.rejectQuoting(where, r.code, reason, ev.bytes);
        }
        if (r.encoding !== state.encoding) state.fellBack = true;
        // one contract exported alone under its element's name, `{"marche":{…}}` (JSON's lone <marche>)
        // (… or each item of the list so written, `{"marches":[{"marche":{…}}]}`, even under its kind's
        // name, `{"marches":{"marche":[{"marche":{…}}]}}`, or as a root array, `[{"marche":{…}}, …]`)
        const lone = ev.container === null || ev.container === 'marches' || ev.container === 'marche' || ev.container === 'contrat-concession' ? loneWrapped(r.data) : null;
        const data = lone?.data ?? r.data;
        // (what reading found at a pointer of the record, as pointers of the record inside its name)
        if (lone) r.issues.splice(0, r.issues.length, ...itemIssues(r.issues, [`/${escapePointer(lone.key)}`])[0]!);
        // an OCDS package as an item of a list (`[{"releases":[…]}, …]`: pages of an API saved
        // together): its releases (records) are the records, as in a package file
        // (… or a line of JSON Lines whose other lines are releases: a package per line, or a page of
        // an API's output among releases, is read the same; its releases are not lost)
        const listed = ev.container === null && !lone && (!ev.rootValue || rootValues > 1 || splitter.inJsonLines) ? packageList(data) : null;
        if (listed !== null) {
          listedPackages.add(listed.container);
          // its metadata, as a package file's: its version, publisher, licence (they were left out:
          // 1.1 packages were merged as 1.0's, and their data republished under our licence)
          const meta: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(data)) if (k !== 'releases' && k !== 'records') meta[k] = v;
          state.addPackage(meta, { line: ev.line, pointer: '' });
          const pointers = listed.items.map((_, k) => `/${listed.container}/${k}`);
          const issuesOf = itemIssues(r.issues, pointers);
          // (each release at its own line and byte, as in a package file; not at its package's)
          const places = itemPlaces(ev, pointers);
          return listed.items.map((item, k) => {
            if (item === null || typeof item !== 'object' || Array.isArray(item)) {
              const got = item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item;
              return state.rejectQuoting(places[k]!, 'INGEST_RECORD_NOT_OBJECT', `${listed.container === 'releases' ? 'release' : 'record'} ${k + 1} of the package at line ${ev.line} is ${got}, not an object`, ev.bytes);
            }
            const entry = item as Record<string, unknown>;
            // (an item holding its record one level down, in a page of the Opendatasoft API among
            // others, `[{"nhits":…,"records":[{"fields":{…}}]}, …]`: that record, as in a page alone)
            // (what reading the package found goes with the release where it was; the rest with its first)
            return itemRecord(entry, entry, classifyRecord(entry, listed.container), listed.container, pointers[k]!, ev.line, places[k]!, issuesOf[k]!);
          });
        }
        // records written as an object keyed by their positions or ids where their list belongs
        // (`{"marches":{"marche":{"0":{…},"2":{…}}}}`: PHP's json_encode of an array with a gap; an
        // export keyed by the records' ids; a root object so keyed): each value a record, where it is
        // (read as one record, the object was a reject without an id, or its first value alone)
        const keyed = !lone && ev.container !== 'releases' && ev.container !== 'records' ? keyedRecords(data, ev.container === 'marche' || ev.container === 'contrat-concession' ? ev.container : 'marches') : null;
        const { type, version, mixed, said } = lone ? classifyLone(lone.data, lone.container) : classifyRecord(data, ev.container);
        // a list's item that holds its record one level down (`{"recordid":…,"fields":{…}}`, an
        // Opendatasoft export; `{"_id":…,"_source":{…}}`, Elasticsearch's): that record, said once
        // (… in a list named as OCDS names its lists too, an item that has nothing of OCDS's: the
        // Opendatasoft API's `{"nhits":…,"records":[{"recordid":…,"fields":{…}}]}`, each item rejected
        // as an OCDS record without releases)
        const held = keyed === null && !lone && !ev.rootValue && mayHold(data, ev.container, type) ? heldRecord(data) : null;
        if (held !== null) {
          sayHeld(`${held.pointer} of its item`, ev.line);
          r.issues.splice(0, r.issues.length, ...itemIssues(r.issues, [held.pointer])[0]!);
          const c = held.container !== null ? classifyLone(held.data, held.container) : classifyRecord(held.data, ev.container);
          return state.accept({ type: c.type, version: c.version, data: held.data, provenance: state.provenance(where), issues: [...r.issues, ...(c.mixed ? [c.mixed] : []), ...(c.said ?? [])] });
        }
        // (a lone record's element says its own: classifyLone)
        if (!lone && (ev.container === 'marche' || ev.container === 'contrat-concession') && type !== ev.container) r.issues.push(misfiledIssue(type, ev.container));
        if (mixed) r.issues.push(mixed);
        if (said) r.issues.push(...said);
        // a DECP document or OCDS package inside a wrapper (`{"data":{"marches":[…]}}`, an API's
        // envelope; `{"Marches":[…]}`): its records are read where they are, said once for the file
        // (… or each item of a list of DECP documents, `[{"marches":[…]}, {"marches":[…]}]`: files joined)
        const documentInList = !ev.rootValue && ev.container === null && !lone && Object.keys(data).some((k) => k.toLowerCase() === 'marches');
        const found = keyed ?? (type === 'unknown' && ((ev.rootValue && ev.container === null && !lone) || documentInList) ? wrappedRecords(data, '', 0) : null);
        const wrapped = found === null ? null : { path: found.items.some((w) => w.container === 'packages') ? `${found.path} (in OCDS packages)` : found.path, items: found.items.flatMap((w) => packagesOpened(w, ev.line)) };
        if (wrapped !== null) {
          const said = keyed !== null ? `records are written as an object keyed by their positions or ids where a list of records belongs (keys ${keyed.items.slice(0, 3).map(({ pointer }) => JSON.stringify(pointer.slice(1).replace(/~1/g, '/').replace(/~0/g, '~'))).join(', ')}${keyed.items.length > 3 ? '…' : ''}: as PHP writes a list with a gap, or an export keying its records by id): each value read as a record, where it is` : documentInList ? `the records are in a list of DECP documents (each item's ${wrapped.path}): read there` : `the records are under ${wrapped.path} (not where a DECP document or an OCDS package holds them): read there`;
          if (!state.issues.some((i) => i.message === said)) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', said, { file: state.file.file, line: ev.line }));
          // (each item's record: itself, or the one it holds under its element's name)
          const ones = wrapped.items.map(({ item }) => (item !== null && typeof item === 'object' && !Array.isArray(item) ? loneWrapped(item as Record<string, unknown>) : null));
          // (what reading the document found goes with the record where it was, by pointer; the rest with its first record)
          const issuesOf = itemIssues(r.issues, wrapped.items.map(({ pointer }, k) => (ones[k] ? `${pointer}/${escapePointer(ones[k].key)}` : pointer)));
          // (each record at its own line and byte, as an envelope past the size limit is streamed; not at the document's)
          const places = itemPlaces(ev, wrapped.items.map(({ pointer }) => pointer));
          return wrapped.items.map(({ item, container, pointer }, k) => {
            if (item === null || typeof item !== 'object' || Array.isArray(item)) {
              const got = item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item;
              // (its list and its place in it: `/results/3`, item 4 of /results)
              const place = /^(.*)\/(\d+)$/.exec(pointer);
              return state.rejectQuoting(places[k]!, 'INGEST_RECORD_NOT_OBJECT', `item ${place ? Number(place[2]) + 1 : k + 1} of ${place ? (place[1] ?? '') : wrapped.path} is ${got}, not an object`, ev.bytes);
            }
            const entry = item as Record<string, unknown>;
            const one = ones[k];
            // (an item holding its record one level down: that record, as in a list of the file; one
            // under its element's name is a DECP record, which mayHold leaves as it is)
            return itemRecord(entry, one?.data ?? entry, one ? classifyLone(one.data, one.container) : classifyRecord(entry, container), container, pointer, ev.line, places[k]!, issuesOf[k]!);
          });
        }
        if (type === 'unknown') {
          // handed on: a mapping profile may know it (partners' formats); convert rejects it otherwise
          const keys = Object.keys(data).slice(0, 8).join(', ');
          state.unknownRecords++;
          r.issues.push(issue('INGEST_UNKNOWN_RECORD_TYPE', 'warning', `neither a DECP marché/contrat de concession nor an OCDS release/record (keys: ${keys})`));
        }
        if (ev.container === 'releases' && type === 'release' && typeof data['ocid'] === 'string') rootReleases++;
        const base = { type, version, data, provenance: state.provenance(where), issues: r.issues };
        return state.accept(r.text === undefined || lone ? base : { ...base, text: r.text });
      }
      case 'bad-record': {
        const code = ev.reason === 'too-large' ? 'INGEST_RECORD_TOO_LARGE' : ev.reason === 'too-deep' ? 'INGEST_RECORD_TOO_DEEP' : ev.reason === 'truncated' ? 'INGEST_RECORD_TRUNCATED' : 'INGEST_RECORD_SYNTAX';
        return state.reject({ line: ev.line, offset: ev.offset }, code, ev.message);
      }
      case 'syntax-repaired':
        // (the first ones, then once that there are more: a list of 300,000 records without commas
        // gave 300,000 issues)
        repaired++;
        if (repaired <= REPAIRS_LISTED) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', ev.message, { file: state.file.file, line: ev.line, offset: ev.offset }));
        else if (repaired === REPAIRS_LISTED + 1) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `more faults between records were read past (commas missing or after the last record, brackets too many): only the first ${REPAIRS_LISTED} are listed`, { file: state.file.file, line: ev.line }));
        return null;
      case 'syntax-error': {
        if (ev.resumed) return null; // already reported as a bad record
        // The document is broken here: everything before is kept; what follows is lost.
        // It counts as one rejected record so that the loss shows in the rejects.
        state.issues.push(issue('INGEST_FILE_SYNTAX', 'error', ev.message, { file: state.file.file, line: ev.line, offset: ev.offset }));
        state.error = { code: 'INGEST_SYNTAX', message: `invalid JSON, reading stopped: ${ev.message}`, fatal: false };
        return state.reject({ line: ev.line, offset: ev.offset }, 'INGEST_FILE_SYNTAX', `invalid JSON, reading of the file stopped here: ${ev.message}`);
      }
      case 'list':
        // (an envelope's reading's own: see the splitter's envTake)
        return null;
      case 'list-of-lists':
        // (its records follow, each read where it is in its list)
        if (ev.under === null) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the document is a list of lists (from line ${ev.line}: \`[[{…}], [{…}]]\`, pages each a list of records joined into one, as \`jq -s\` does): the items of each inner list are read as records, where they are`, { file: state.file.file, line: ev.line, offset: ev.offset }));
        else state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the list "${ev.under}" holds lists (from line ${ev.line}: \`"${ev.under}": [[{…}], [{…}]]\`, pages each a list of records put into it whole, where their records belong): the items of each inner list are read as records, where they are`, { file: state.file.file, line: ev.line, offset: ev.offset }));
        return null;
      case 'envelope':
        // (its records follow, each read where it is in its list)
        state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the document's root object (from line ${ev.line}) holds its records in lists under names that are not DECP or OCDS ones, and is larger than the record size limit or broken at its own level: its records are read one by one, where they are`, { file: state.file.file, line: ev.line, offset: ev.offset }));
        return null;
      case 'meta': {
        // (the root object less its records: held by the splitter up to the record size limit, as a
        // record is; past it, its version — 1.0 when absent — and metadata are not read: said)
        if (ev.bytes === null && ev.containers.some((c) => c === 'releases' || c === 'records')) {
          state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the package's own fields (from line ${ev.line ?? 1}: version, publisher, extensions…) are larger than the record size limit: not read (its version taken for 1.0)`, { file: state.file.file, line: ev.line ?? 1 }));
        }
        if (ev.bytes === null && ev.containers.some((c) => c === 'marches' || c === 'marche' || c === 'contrat-concession')) {
          state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the DECP document's own fields beside "marches" (from line ${ev.line ?? 1}) are larger than the record size limit: not read (records in a list under another name there would be lost)`, { file: state.file.file, line: ev.line ?? 1 }));
        }
        if (ev.bytes) {
          const r = parseRecordBytes(ev.bytes, state.encoding);
          if (r.ok) {
            const meta: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(r.data)) if (k !== 'marches' && k !== 'releases' && k !== 'records') meta[k] = v;
            // (DECP records in a list under another name beside `marches`, `{"marches":[…],"contrats":[…]}`:
            // read too, as the lists under `marches` are whatever their names; they were left out unsaid)
            const beside = ev.containers.some((c) => c === 'marches' || c === 'marche' || c === 'contrat-concession') ? besideRecords(meta, ev.line ?? 1, ev.offset ?? 0) : [];
            if (beside.length > 0) {
              state.addPackage(meta, { line: ev.line ?? 1, pointer: '' });
              rootReleases = 0;
              return beside;
            }
            if (ev.containers.length === 1 && ev.containers[0] === 'releases' && ('ocid' in meta || 'compiledRelease' in meta || 'versionedRelease' in meta)) {
              // an OCDS record whose `releases` came before the key that says it is one (Prozorro's
              // records have no ocid of their own and their keys in any order): no package (no 1.0
              // package version, no package metadata); its releases were read as releases, and
              // when none of them was one (linked: `{url, date, tag}`), the record gives its
              // compiledRelease as a record written the other way round does
              containers = [];
              const linkedOnly = rootReleases === 0;
              rootReleases = 0;
              if (!linkedOnly) return null;
              state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the root object (from line ${ev.line ?? 1}) is an OCDS record whose "releases" come before its ${'compiledRelease' in meta ? '"compiledRelease"' : 'versionedRelease' in meta ? '"versionedRelease"' : '"ocid"'}, not a release package: read as a record`, { file: state.file.file, line: ev.line ?? 1 }));
              return state.accept({ type: 'record', version: null, data: meta, provenance: state.provenance({ line: ev.line ?? 1, offset: ev.offset ?? 0 }), issues: [] });
            }
            state.addPackage(meta, { line: ev.line ?? 1, pointer: '' });
          }
        }
        rootReleases = 0;
        return null;
      }
    }
  }

  /**
   * A list's item read whole as a record (`data`: the item, or the record it holds under its
   * element's name; `given`: how it classifies; `at` its pointer): the record it holds one level down
   * instead, when it may (mayHold, heldRecord; said once), with what reading found in it (`issues`).
   */
  function itemRecord(entry: Record<string, unknown>, data: Record<string, unknown>, given: Classified, container: ContainerName, at: string, line: number, place: { line: number; offset: number }, issues: Issue[]): IngestEvent {
    const held = mayHold(entry, container, given.type) ? heldRecord(entry) : null;
    if (held !== null) sayHeld(`${at}${held.pointer}`, line);
    const { type, version, mixed, said } = held === null ? given : held.container !== null ? classifyLone(held.data, held.container) : classifyRecord(held.data, container);
    const its = held === null ? issues : itemIssues(issues, [held.pointer])[0]!;
    return state.accept({ type, version, data: held?.data ?? data, provenance: state.provenance(place), issues: mixed || said ? [...its, ...(mixed ? [mixed] : []), ...(said ?? [])] : its });
  }

  /** Said once per file: records read one level down in their list's items (heldRecord). */
  function sayHeld(where: string, line: number): void {
    if (heldSaid) return;
    heldSaid = true;
    state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `each record is held one level down in its list's item (the first at ${where}, line ${line}: an export's envelope per record): read there`, { file: state.file.file, line }));
  }

  /**
   * The items of each list of `meta` (a DECP document's root less its `marches`) that holds a DECP
   * record by its fields, read as records (and taken out of `meta`), said once per list; their place
   * is the document's (`line`, `offset`), the root being read whole. Other lists are left as metadata.
   */
  function besideRecords(meta: Record<string, unknown>, line: number, offset: number): IngestEvent[] {
    const out: IngestEvent[] = [];
    for (const [k, v] of Object.entries(meta)) {
      // (a record as a list of records is told: its id beside its buyer, or a consolidator's `_type`, or
      // under its element's name; a list of statistics or a reference table, `{"id":"2019","montant":…}`,
      // `{"id":"75","nom":"Paris"}`, holds none, found by a review)
      const isRecord = (x: unknown): boolean => isJsonObject(x) && (loneWrapped(x) !== null || listOfRecords([x], false) === 'marches');
      if (!Array.isArray(v) || !v.slice(0, LIST_PROBE).some(isRecord)) continue;
      if (LEFT_OUT_LIST.test(k)) {
        // (records a publisher says it left out — rejected, duplicates, withdrawn — are not published as
        // contracts; said, not read)
        state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `a list under "${k}" beside the document's "marches" (the root object from line ${line}) holds DECP records, which its name says were left out: its ${v.length} item(s) are not read`, { file: state.file.file, line }));
        continue;
      }
      delete meta[k];
      const where = { line, offset };
      state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `DECP records in a list under "${k}" beside the document's "marches" (the root object from line ${line}): its ${v.length} item(s) are read as records`, { file: state.file.file, line }));
      v.forEach((item: unknown, j) => {
        if (!isJsonObject(item)) {
          const got = item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item;
          out.push(state.reject(where, 'INGEST_RECORD_NOT_OBJECT', `item ${j + 1} of "${k}" (beside "marches", in the root object from line ${line}) is ${got}, not an object`));
          return;
        }
        const one = loneWrapped(item);
        const c = one ? classifyLone(one.data, one.container) : classifyRecord(item, null);
        const issues = [...(c.mixed ? [c.mixed] : []), ...(c.said ?? [])];
        if (c.type === 'unknown') issues.push(issue('INGEST_UNKNOWN_RECORD_TYPE', 'warning', `neither a DECP marché/contrat de concession nor an OCDS release/record (keys: ${Object.keys(item).slice(0, 8).join(', ')})`));
        out.push(state.accept({ type: c.type, version: c.version, data: one?.data ?? item, provenance: state.provenance(where), issues }));
      });
    }
    return out;
  }

  function finish(): void {
    if (state.fellBack) state.encoding = 'windows-1252';
    const types = state.types;
    containers.push(...listedPackages);
    // marchés or concessions (by their fields, no ocid: see classifyRecord) in lists under OCDS names
    // only (`{"records":[…]}`): read as DECP records, said as records under another name are; the file
    // is an OCDS package only when OCDS records were read from it too
    const decpRead = (types.marche ?? 0) + (types['contrat-concession'] ?? 0);
    if (decpRead > 0 && containers.length > 0 && containers.every((c) => c === 'releases' || c === 'records')) {
      const names = [...new Set(containers)].map((c) => `"${c}"`).join(' and ');
      state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the records under ${names} (an OCDS package's list) are DECP records by their fields, without an ocid: read as DECP records, not OCDS`, { file: state.file.file }));
      if ((types.release ?? 0) + (types.record ?? 0) === 0) containers = [];
    }
    if (containers.includes('releases')) {
      state.format = 'ocds-release-package';
      state.version = typeof state.meta?.['version'] === 'string' ? (state.meta['version'] as string) : '1.0';
    } else if (containers.includes('records')) {
      state.format = 'ocds-record-package';
      state.version = typeof state.meta?.['version'] === 'string' ? (state.meta['version'] as string) : '1.0';
    } else if (state.unknownRecords > 0 && state.unknownRecords === state.accepted) {
      state.format = 'unknown';
      state.version = null;
    } else if (containers.length > 0) {
      state.format = 'decp-json';
      state.version = state.dominantVersion() ?? (containers.includes('marche') || containers.includes('contrat-concession') ? '2024' : null);
    } else if ((types.release ?? 0) + (types.record ?? 0) > 0) {
      state.format = rootValues > 1 ? 'ocds-jsonl' : 'ocds-json';
      state.version = null;
    } else if (rootValues > 1) {
      state.format = 'decp-jsonl';
      state.version = state.dominantVersion();
    } else if (state.accepted > 0) {
      state.format = 'decp-json';
      state.version = state.dominantVersion();
    } else {
      // JSON without a record read (`[]`, `null`, a document cut before its first record): nothing
      // says what it is
      state.format = splitter.sawAnyRoot || state.rejected > 0 ? 'unknown' : 'empty';
      state.version = null;
    }
  }
}

/**
 * An OCDS release or record package (no `ocid` of its own; a `releases` or `records` list): its
 * list, or null. A record (`releases` beside an `ocid`, or a compiledRelease) is not a package.
 */
function packageList(data: Record<string, unknown>): { container: 'releases' | 'records'; items: readonly unknown[] } | null {
  if ('ocid' in data || 'compiledRelease' in data || 'versionedRelease' in data) return null;
  const releases = data['releases'];
  const records = data['records'];
  if (Array.isArray(releases) && !Array.isArray(records)) return { container: 'releases', items: releases };
  if (Array.isArray(records) && !Array.isArray(releases)) return { container: 'records', items: records };
  return null;
}

/**
 * The records of a DECP document or OCDS package held inside other objects (at most three levels
 * down, the root's own keys included: `{"Marches":[…]}`, `{"data":{"marches":{"marche":[…]}}}`,
 * `{"result":{"releases":[…]}}`), with the path to them, or null. Objects of more than
 * ENVELOPE_FIELDS fields are not looked into.
 */
const ENVELOPE_FIELDS = 4;

/** Faults between records read past (see SyntaxRepairedEvent) listed one by one in a file's issues. */
const REPAIRS_LISTED = 20;

/** A record found in an envelope: its container (`packages`: a package, see packagesOpened) and its pointer in the root. */
interface WrappedItem {
  readonly item: unknown;
  readonly container: 'marches' | 'marche' | 'contrat-concession' | 'releases' | 'records' | 'packages' | null;
  readonly pointer: string;
}

function wrappedRecords(
  data: Record<string, unknown>,
  path: string,
  depth: number,
  pointer = '',
): { path: string; items: WrappedItem[] } | null {
  const entries = Object.entries(data);
  // an envelope has few fields (`data`, `meta`, `links`…): an object of more is data (a partner's
  // contract that holds a list named `records` is a record, read by its profile); but a root object
  // with a list of DECP records or OCDS releases under another name is an envelope whatever its
  // fields (`facets`, `links`, counts…), as one larger than the record size limit is read
  const small = entries.length <= ENVELOPE_FIELDS;
  if (!small && depth > 0) return null;
  // (`path` is said to people; `pointer`, the JSON pointer of `data` in the root, gives each item's)
  for (const [k, v] of entries) {
    if (v === null || typeof v !== 'object') continue;
    if (!small && !Array.isArray(v)) continue;
    const at = `${path}/${k}`;
    const atPointer = `${pointer}/${escapePointer(k)}`;
    const lower = k.toLowerCase();
    const listed = (list: readonly unknown[], container: 'marches' | 'releases' | 'records' | 'packages', base = atPointer): Array<{ item: unknown; container: 'marches' | 'releases' | 'records' | 'packages'; pointer: string }> =>
      list.map((item, i) => ({ item, container, pointer: `${base}/${i}` }));
    if (lower === 'marches' && small) {
      if (Array.isArray(v)) return { path: at, items: listed(v, 'marches') };
      const items = Object.entries(v as Record<string, unknown>).flatMap(([ik, iv]) => {
        const kind = decpContainer(ik);
        const base = `${atPointer}/${escapePointer(ik)}`;
        return kind === null ? [] : Array.isArray(iv) ? iv.map((item, i) => ({ item, container: kind, pointer: `${base}/${i}` })) : [{ item: iv, container: kind, pointer: base }];
      });
      if (items.length > 0) return { path: at, items };
    }
    if ((lower === 'releases' || lower === 'records') && Array.isArray(v) && depth > 0) return { path: at, items: listed(v, lower) };
    // a list under another name (`results`, `data`, `items`: an API's page) whose items are records;
    // every such list of the object (`{"results":[…],"more":[…]}`), as an envelope larger than the
    // record size limit is read (the splitter's envTake)
    const kind = Array.isArray(v) && lower !== 'releases' && lower !== 'records' ? listOfRecords(v) : null;
    if (kind !== null) {
      const rest = entries.slice(entries.findIndex(([key]) => key === k) + 1).flatMap(([rk, rv]) => {
        const rlower = rk.toLowerCase();
        const rkind = Array.isArray(rv) && rlower !== 'releases' && rlower !== 'records' ? listOfRecords(rv) : null;
        return rkind === null ? [] : [{ key: rk, list: rv as unknown[], kind: rkind }];
      });
      const lists = [{ key: k, list: v as unknown[], kind }, ...rest];
      return { path: lists.map((l) => `${path}/${l.key}`).join(', '), items: lists.flatMap((l) => listed(l.list, l.kind, `${pointer}/${escapePointer(l.key)}`)) };
    }
    if (!Array.isArray(v) && depth < 2) {
      // an OCDS package, record or release, or a DECP record, as the envelope's value (`{"data":
      // {"uri":…,"releases":[…]}}`, `{"result":{"ocid":…,"compiledRelease":{…}}}`): itself, whatever
      // its fields (a record's `releases` are not the records: they may be links)
      const one = listOfRecords([v], false);
      if (one !== null) return { path: at, items: [{ item: v, container: one, pointer: atPointer }] };
      const inner = wrappedRecords(v as Record<string, unknown>, at, depth + 1, atPointer);
      if (inner !== null) return inner;
    }
  }
  return null;
}

/**
 * What reading an object whole found (`issues`), given to its items at `at` (JSON pointers into it):
 * an issue at a pointer inside an item goes with that item, its pointer made the item's own; the
 * others (the object as a whole: a key dropped, bytes decoded as Windows-1252; or outside every item)
 * go with the first. One list per item.
 */
function itemIssues(issues: readonly Issue[], at: readonly string[]): Issue[][] {
  const out: Issue[][] = at.map(() => []);
  for (const i of issues) {
    const p = i.pointer;
    const k = p === undefined ? -1 : at.findIndex((a) => p === a || p.startsWith(`${a}/`));
    if (k < 0) out[0]?.push(i);
    else out[k]!.push({ ...i, pointer: p!.slice(at[k]!.length) });
  }
  return out;
}

/**
 * Where the items at `pointers` (JSON pointers into a record read whole: an envelope's records, a
 * listed package's releases) are in the file: each its own line and byte offset, as the splitter
 * gives a record it streams; the record's own for one not found. Only for records read so (the
 * streamed ones have their places): one scan of their bytes, about a third of their parse's time.
 */
function itemPlaces(ev: SplitEvent & { type: 'record' }, pointers: readonly string[]): Array<{ line: number; offset: number }> {
  let line = ev.line;
  let at = 0;
  return valueStarts(ev.bytes, pointers, pointerKeys).map((start) => {
    if (start < 0) return { line: ev.line, offset: ev.offset };
    // (lines counted on from the last item's; from the record's start again for one before it)
    if (start < at) [line, at] = [ev.line, 0];
    for (let i = ev.bytes.indexOf(NL, at); i >= 0 && i < start; i = ev.bytes.indexOf(NL, i + 1)) line++;
    at = start;
    return { line, offset: ev.offset + start };
  });
}

/**
 * The events of a root object that did not parse, read as an envelope (the splitter's envelopeOf,
 * as one past the size limit is): its lists judged one by one, the lists of records split into
 * their items (with their own offsets and lines in the file); null when none holds records (a
 * record that is not valid JSON stays one reject, its lists of suppliers or modifications never read
 * as records).
 */
function envelopeEvents(ev: SplitEvent & { type: 'record' }, limits: SplitLimits, envelope: (records: readonly Buffer[]) => EnvelopeList): SplitEvent[] | null {
  const events = JsonRecordSplitter.envelopeOf(ev.bytes, ev.offset, ev.line, limits, (bytes) => endsWithItsList(bytes, recordsOfRunOn(bytes)), envelope);
  // (the file's warning is said by the caller)
  return events === null ? null : events.filter((e) => e.type !== 'envelope');
}

/**
 * Did a record that ran on over the records after it end with its list's "]", nothing after its last
 * record but that bracket? (The splitter then closes the list there; a run-on past it is read in
 * pieces all the same, and what followed the list, in the record's bytes, stays lost with it.)
 */
function endsWithItsList(bytes: Buffer, runOn: ReturnType<typeof recordsOfRunOn>): boolean {
  if (runOn === null) return false;
  const end = runOn.pieces[runOn.pieces.length - 1]![1];
  return /^\s*\]\s*$/.test(bytes.toString('latin1', end));
}

/**
 * Is there a fault in these bytes before their end, as JSON (the last record of a list at the input's
 * end)? A record that ran on over the records after it has one (the stray quote or byte that made a
 * bracket of it text); a record that is whole, or only cut short by the end of the input (a valid
 * JSON's beginning), has none: its brackets are its own, and an object of its lists that starts with
 * its first keys is no record (the splitter's `ranOver` hook, `atEnd`).
 */
function faultBeforeEnd(bytes: Buffer): boolean {
  // (raw tabs and line breaks, in strings a fault DECP exports have that is repaired, read as blanks:
  // one byte for one, the offsets stay)
  const text = bytes.toString('latin1').replace(/[\t\n\r]/g, ' ');
  try {
    JSON.parse(text);
    return false;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.includes('Unexpected end of JSON input')) return false;
    const at = /at position (\d+)/.exec(message);
    return at === null || Number(at[1]) < text.length;
  }
}

/** Is `bytes` an object (as JSON) with that key of its own? */
function hasKey(bytes: Buffer, key: string): boolean {
  const v = parsesAlone(bytes, 0, bytes.length, 'utf8');
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, key);
}

/** Objects of a list looked at to tell whether it is a list of records (see listOfRecords). */
const LIST_PROBE = 3;

/** Names of a list of records a publisher left out of its data (rejected, duplicates, withdrawn, errors). */
const LEFT_OUT_LIST = /^(?:rejet|rejected|doublon|duplicate|erreur|error|supprim|deleted|annul|cancel|exclu|invalid)/i;

/**
 * The container a list under another name is read as, when one of its first objects is a DECP
 * record or an OCDS release or record; else null. A DECP record here has an id and a buyer (or
 * grantor; or their columns, flat: group-rows.ts flatKeyColumns), or says its type: a list of lots or of yearly figures with a `montant` is no list of
 * marchés (the lenient reading of a record's kind is for records already known to be records).
 */
function listOfRecords(list: readonly unknown[], held = true): 'marches' | 'releases' | 'records' | 'packages' | null {
  let seen = 0;
  for (const item of list) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const data = item as Record<string, unknown>;
    const { type } = classifyRecord(data, null);
    if (type === 'release') return 'releases';
    if (type === 'record') return 'records';
    // (an API's page of packages, `{"results":[{"releases":[…]}, …]}`: each package's releases are records)
    if (type === 'unknown' && packageList(data) !== null) return 'packages';
    if ((type === 'marche' || type === 'contrat-concession') && (typeof data['_type'] === 'string' || (('id' in data || 'uid' in data) && ('acheteur' in data || 'autoriteConcedante' in data)))) return 'marches';
    // (… or a flat one, its buyer's id a column of its own, `acheteur_id`, `acheteur.id`, both values
    // stated, as group-rows.ts reads a flat row — not Elasticsearch's `fields`, every value a list: a flat
    // DECP list beside `marches` was taken for metadata, its contracts lost unsaid, found by a probe)
    if ((type === 'marche' || type === 'contrat-concession') && flatKeyed(data)) return 'marches';
    // (items that each hold their record one level down: heldRecord)
    if (held && type === 'unknown' && heldRecord(data) !== null) return 'marches';
    if (++seen >= LIST_PROBE) return null;
  }
  return null;
}

/** A flat DECP record's id and buyer-id columns (flatKeyColumns), each a text or a number. */
function flatKeyed(data: Record<string, unknown>): boolean {
  const columns = flatKeyColumns(Object.keys(data));
  const stated = (v: unknown): boolean => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';
  return columns !== null && stated(data[columns.id]) && stated(data[columns.buyer]);
}

/** An item that says it is OCDS (an ocid, a tag list, releases, a compiled or versioned release). */
function ocdsMarked(data: Record<string, unknown>): boolean {
  return 'ocid' in data || 'tag' in data || 'releases' in data || 'compiledRelease' in data || 'versionedRelease' in data;
}

/**
 * May a list's item hold its record one level down (heldRecord)? One of no known type; or, in a list
 * named as OCDS names its lists, one that has nothing of OCDS's (the Opendatasoft API's
 * `{"nhits":…,"records":[{"recordid":…,"fields":{…}}]}`, read as a file, in a list of pages or in
 * an envelope: each item was rejected as an OCDS record without releases).
 */
function mayHold(data: Record<string, unknown>, container: ContainerName, type: RecordType): boolean {
  if (container === 'releases' || container === 'records') return (type === 'record' || type === 'release') && !ocdsMarked(data);
  return type === 'unknown';
}

/**
 * The DECP record a list's item holds one level down, the item an envelope of its own: an
 * Opendatasoft export's `{"datasetid":…,"recordid":…,"fields":{…}}`, Elasticsearch's `{"_id":…,
 * "_source":{…}}`. Its record is the one value of it that is a DECP record by its fields (an id
 * beside a buyer, or a consolidator's `_type`: listOfRecords), or one under its element's name
 * (`{"fields":{"marche":{…}}}`); `pointer` is where it is in the item. Null for any other item (two
 * such values: which one?).
 */
function heldRecord(data: Record<string, unknown>): { data: Record<string, unknown>; container: 'marche' | 'contrat-concession' | null; pointer: string } | null {
  let found: { data: Record<string, unknown>; container: 'marche' | 'contrat-concession' | null; pointer: string } | null = null;
  for (const [k, v] of Object.entries(data)) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    const o = v as Record<string, unknown>;
    const one = loneWrapped(o);
    const here = one !== null ? { data: one.data, container: one.container, pointer: `/${escapePointer(k)}/${escapePointer(one.key)}` } : listOfRecords([o], false) === 'marches' || flatRecord(o) ? { data: o, container: null, pointer: `/${escapePointer(k)}` } : null;
    if (here === null) continue;
    if (found !== null) return null;
    found = here;
  }
  return found;
}

/**
 * A DECP record written flat, its buyer's id a column of its own (`acheteur_id`, `acheteur.id`,
 * `autoriteConcedante_id`: Opendatasoft's DECP datasets, a json_normalize export) beside its own
 * `id` or `uid` (both a text or a number), and a marché's or a concession's by its fields
 * (classifyRecord): the profile reads such keys as its own (KEY_RESPELLED). Only for an envelope's value (heldRecord): a list's item so
 * written is read already, by its fields.
 */
function flatRecord(o: Record<string, unknown>): boolean {
  // (each a text or a number: Elasticsearch's `fields` beside a hit's `_source` write every value as a
  // list, `{"id":["L0"],"acheteur.id":[…]}`, the record again, not a second one)
  // (matched as the profile matches keys, looseKey)
  const folded = Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' || typeof v === 'number' ? [looseKey(k)] : []));
  if (!folded.some((k) => k === 'id' || k === 'uid') || !folded.some((k) => k === 'acheteurid' || k === 'autoriteconcedanteid')) return false;
  const { type } = classifyRecord(o, null);
  return type === 'marche' || type === 'contrat-concession';
}

/**
 * An object that holds records keyed by their positions or ids where their list belongs (`{"0":{…},
 * "2":{…}}`, `{"2020-8859-03":{"id":"2020-8859-03",…}}`): every value an object, and either every key
 * digits (PHP's list with a gap) or every value keyed by its own `id` or `uid` (under its element's
 * name or not), and one value a DECP record (by its fields, listOfRecords: an id beside a buyer, or a
 * `_type`; or under its element's name): each value is an item, a record or a reject. A record
 * never holds only objects; an item holding records under other names (`{"a":{…},"b":{…}}`: which
 * one?) is not one. Null otherwise.
 */
function keyedRecords(data: Record<string, unknown>, container: 'marches' | 'marche' | 'contrat-concession'): { path: string; items: WrappedItem[] } | null {
  const items: WrappedItem[] = [];
  let digits = true;
  let byId = true;
  let record = false;
  // (by key, not Object.entries: every record comes here, and leaves at its first plain value)
  for (const k in data) {
    const v = data[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    if (!/^\d+$/.test(k)) digits = false;
    // (cheap tests first: every record passes here, most leave at their first value, a text, or at
    // their first object, a buyer, whose id is not its key)
    const o = v as Record<string, unknown>;
    const lone = loneWrapped(o);
    const inner = lone?.data ?? o;
    const key = k.trim();
    if (!(['id', 'uid'] as const).some((f) => (typeof inner[f] === 'string' || typeof inner[f] === 'number') && String(inner[f]).trim() === key)) byId = false;
    if (!digits && !byId) return null;
    if (!record && (lone !== null || listOfRecords([o], false) === 'marches')) record = true;
    items.push({ item: v, container, pointer: `/${escapePointer(k)}` });
  }
  return items.length > 0 && record ? { path: '', items } : null;
}

/** A root object whose one field is a DECP record under its element's name: that record, and the name as its container. */
function loneWrapped(data: Record<string, unknown>): { data: Record<string, unknown>; container: 'marche' | 'contrat-concession'; key: string } | null {
  let only: string | undefined;
  for (const k in data) {
    if (only !== undefined) return null;
    only = k;
  }
  // (whatever its case, accents or spelling: `Marche`, `marché`, `contrat_concession`…)
  const kind = only === undefined ? null : decpContainer(only);
  if (kind === null) return null;
  const v = data[only!];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? { data: v as Record<string, unknown>, container: kind, key: only! } : null;
}

/** Why a record's bytes did not parse, and where (byte and line in the file). */
export function recordRejectReason(r: Extract<ParsedRecord, { ok: false }>, bytes: Buffer, line: number, offset: number): string {
  const pos = r.at === undefined ? `line ${line}` : `byte ${offset + r.at}, line ${line + countNewlines(bytes, r.at)}`;
  return `${r.message} (${pos})`;
}

function countNewlines(bytes: Buffer, end: number): number {
  let n = 0;
  let i = bytes.indexOf(0x0a);
  while (i >= 0 && i < end) {
    n++;
    i = bytes.indexOf(0x0a, i + 1);
  }
  return n;
}
