/**
 * The convert stage: ingest events → OCDS releases (JSON Lines) and rejects.
 * Streaming: one batch of records at a time, writes wait for the sink (backpressure).
 * DECP records go through the mapping profile; OCDS releases pass through;
 * OCDS records give their embedded releases.
 */
import type { Readable } from 'node:stream';
import { STAGING_MAX_LINE_BYTES } from './core/limits.js';
import type { IngestOptions } from './ingest/reader.js';
import { currencyCodes } from './validate/schema-store.js';
import { readInputBatches } from './ingest/reader.js';
import { csvOptionsOf, jsonRecordKeysOf, ocdsPersonRules } from './ingest/profiles.js';
import { embeddedReleases, isLinkedRelease, recordOcid } from './ingest/classify.js';
import { rejectOcid } from './ingest/rejects.js';
import type { ExpandedInput } from './ingest/source.js';
import type { FileSummary, IngestEvent, Provenance, RejectedRecord, SourceFileInfo, SourceRecord } from './ingest/types.js';
import { createConverter, type Converter } from './transform/decp/convert-record.js';
import { publicationDateOf, type BuildContext, type Release } from './transform/decp/build-releases.js';
import type { MappingProfile } from './transform/profile.js';
import { jsonKeepingRange } from './transform/json-values.js';
import { withholdOcdsPersons } from './transform/ocds-persons.js';
import { personSirensOf, releasePublished } from './transform/flatten.js';
import type { JsonValue } from './transform/compile/merge.js';

export interface ConvertOptions extends IngestOptions {
  readonly inputs: readonly (string | ExpandedInput)[];
  readonly profile: MappingProfile;
  readonly context: BuildContext;
  /** `release` (default): one release JSON per line; `store`: the run's staging lines (see storeLine). */
  readonly lineFormat?: LineFormat;
  /** Folder for the worker threads' temporary files (default: the system's temporary folder). */
  readonly scratch?: string;
}

export type LineFormat = 'release' | 'store';

/** Tabs and line breaks cannot appear in a staging field (JSON text never holds them raw). */
export const stagingField = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)).replace(/[\t\n\r]/g, ' ');

/**
 * The run's staging line for one release: source hash, record index, line,
 * position among the record's releases (their order when dates are equal), ocid, release id, date, tags, the date its source
 * published it (publicationDateOf: its date unless orderDates moved it back), that date when it is one the source gave as a
 * publication (releasePublished: none for a date made up or raised; release_sources.published), the SIRENs of the natural persons
 * among its parties (personSirensOf: release_sources.persons), then the release JSON, separated by tabs. DuckDB
 * reads these with read_csv (no quoting: minified JSON holds no raw tab or
 * line break), so the release text is stored exactly as written.
 */
export function storeLine(p: Provenance, release: Release, text: string, position: number): string {
  const r = release as unknown as Record<string, unknown>;
  const tag = Array.isArray(r['tag']) ? r['tag'].join(',') : r['tag'];
  return `${p.sha256}\t${p.index}\t${p.line}\t${position}\t${stagingField(r['ocid'])}\t${stagingField(r['id'])}\t${stagingField(r['date'])}\t${stagingField(tag)}\t${stagingField(publicationDateOf(r))}\t${stagingField(releasePublished(release as unknown as Record<string, JsonValue>))}\t${personSirensOf(r as Record<string, JsonValue>).join(',')}\t${text}`;
}

/**
 * Why the store cannot key this release (ocid: a non-empty string; id: a non-empty string or a finite
 * number), or null when it can. A string with a lone surrogate cannot be one: the staging file (UTF-8)
 * would hold another text than the release's JSON (which escapes it).
 */
function unkeyed(release: Release): string | null {
  const r = release as unknown as Record<string, unknown>;
  const ocid = r['ocid'];
  const id = r['id'];
  const text = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && !LONE_SURROGATE.test(v) && !STAGING_BREAK.test(v);
  const what = (v: unknown): string => (v === undefined ? 'none' : typeof v === 'string' ? (v.trim() === '' ? 'blank' : 'with a tab, a line break or half a surrogate pair') : `${JSON.stringify(v)?.slice(0, 40) ?? String(v)}, not a string`);
  if (!text(ocid)) return `no usable ocid (${what(ocid)})`;
  if (!(text(id) || (typeof id === 'number' && Number.isFinite(id)))) return `no usable id (${typeof id === 'number' ? String(id) : what(id)})`;
  return null;
}

const LONE_SURROGATE = /\p{Surrogate}/u;
/**
 * A tab or line break, which a staging field cannot hold: made a space, an ocid `a<TAB>b` became
 * `a b`, another process's, whose release it silently replaced (found by a security audit).
 */
const STAGING_BREAK = /[\t\n\r]/;

export interface ConvertSink {
  /** Write one release, as its JSON text (called in order); resolves when the sink can take more. */
  release(text: string): Promise<void> | void;
  /** Optional: many releases at once, as newline-terminated JSON Lines bytes (parallel runs copy workers' output). */
  releaseBytes?(chunk: Buffer): Promise<void> | void;
  reject(reject: RejectedRecord): Promise<void> | void;
  fileEnd?(file: SourceFileInfo, summary: FileSummary, converted: number, releases: number): Promise<void> | void;
}

export interface ConvertCounts {
  files: number;
  filesUnreadable: number;
  read: number;
  converted: number;
  rejected: number;
  releases: number;
  /** Of the records converted, OCDS records without embedded releases that gave their compiledRelease. */
  compiledOnly: number;
  /** OCDS records that list linked releases beside their embedded ones (not fetched: their history here lacks them). */
  linkedLeft: number;
  /** OCDS records some of whose releases left out their ocid: given the record's (classify.ts embeddedReleases). */
  ocidFromRecord: number;
  /** OCDS records some of whose releases are of another ocid than the record's own: published in their own ocid's process. */
  ocidOther: number;
}

/** The log line that says how many OCDS records embedded releases of another ocid than theirs (convert and run). */
export const ocidOtherLine = (n: number): string =>
  `${n} OCDS record(s) hold releases of another ocid than the record's own: each is published in its own ocid's process (validate reports check.record-ocid; compile TRANSFORM_RECORD_OCID_MISMATCH)`;

/** Counts of nothing read yet. */
export const noConvertCounts = (): ConvertCounts => ({ files: 0, filesUnreadable: 0, read: 0, converted: 0, rejected: 0, releases: 0, compiledOnly: 0, linkedLeft: 0, ocidFromRecord: 0, ocidOther: 0 });

/** The converter of a profile, with what the mapping checks against (the schema's currency codes). */
export function converterOf(profile: MappingProfile, context: BuildContext): Converter {
  return createConverter(profile, { ...context, currencies: currencyCodes() });
}

/** Convert every input, one file after the other, in this thread. */
export async function convertInputs(options: ConvertOptions, sink: ConvertSink, stdin?: Readable): Promise<ConvertCounts> {
  // CSV files are read when the profile maps their rows (settings.csv says how)
  return convertBatches(readInputBatches(options.inputs, { ...options, csv: options.csv ?? csvOptionsOf(options.profile), jsonRecordKeys: options.jsonRecordKeys ?? jsonRecordKeysOf(options.profile) }, stdin), converterOf(options.profile, options.context), sink, options.lineFormat, options.context);
}

/** The convert loop over ingest batches (also what each worker of a parallel run does for its file). */
export async function convertBatches(batches: AsyncIterable<IngestEvent[]>, converter: Converter, sink: ConvertSink, lineFormat: LineFormat = 'release', context?: BuildContext): Promise<ConvertCounts> {
  const counts = noConvertCounts();
  let fileConverted = 0;
  let fileReleases = 0;
  // the file's records corrected since its version already read, held to its end (see redateCorrected)
  let earlier: ReadonlyMap<string, ReadonlyArray<readonly [string, string | null]>> | undefined;
  const given = new Set<string>();
  const held: Array<{ record: SourceRecord; out: ReleasesOf & { ok: true } }> = [];
  // the initial releases of the files the run is not given (context.movedFrom), all together: what a
  // file without an entry of its own is matched against (made once, for the first such file)
  let moved: MovedFrom | undefined;
  let asMoved = false;
  async function emit(record: SourceRecord, got: ReleasesOf): Promise<void> {
    let out = got;
    let lines: string[] | undefined;
    // (the ocid of a record rejected after it gave releases: the one of the release at fault, else an OCDS record's own)
    let faultOcid: string | undefined;
    if (out.ok) {
      lines = out.releases.map((r, k) => {
        // (a partner's number past a double's range is written as one, not as null: see jsonKeepingRange)
        const text = jsonKeepingRange(r);
        return lineFormat === 'store' ? storeLine(record.provenance, r, text, k) : text;
      });
      if (lineFormat === 'store') {
        const whys = out.releases.map(unkeyed);
        const bad = whys.findIndex((w) => w !== null);
        const big = lines.findIndex((l) => l.length > STAGING_MAX_LINE_BYTES / 3 && Buffer.byteLength(l) >= STAGING_MAX_LINE_BYTES);
        const at = bad >= 0 ? bad : big;
        if (at >= 0) faultOcid = rejectOcid((out.releases[at] as unknown as Record<string, unknown>)['ocid']) ?? (record.type === 'record' ? rejectOcid(recordOcid(record.data)) : undefined);
        if (bad >= 0) {
          out = { ok: false, code: 'TRANSFORM_NO_ID', reason: `its release ${bad + 1} has ${whys[bad]!}: an ocid and an id are a non-empty string of whole characters without tab or line break (the id may be a number), by which the store keys releases; convert still writes it` };
        } else if (big >= 0) {
          const mb = (Buffer.byteLength(lines[big]!) / 1048576).toFixed(2);
          out = { ok: false, code: 'TRANSFORM_RELEASE_TOO_LARGE', reason: `its release ${big + 1} is ${mb} MiB of JSON: more than the store takes for one release (${STAGING_MAX_LINE_BYTES / 1048576} MiB); convert still writes it` };
        }
      }
    }
    if (out.ok) {
      for (const line of lines!) {
        const p = sink.release(line);
        if (p) await p;
      }
      counts.releases += out.releases.length;
      counts.converted++;
      if (out.compiled === true) counts.compiledOnly++;
      if (out.linked !== undefined) counts.linkedLeft++;
      if (out.ocidFromRecord !== undefined) counts.ocidFromRecord++;
      if (out.ocidOther !== undefined) counts.ocidOther++;
      fileConverted++;
      fileReleases += out.releases.length;
    } else {
      const ocid = faultOcid ?? out.ocid;
      // (a reason may quote the record's keys: judged as an ingest reject's is, by the whole record)
      const p = sink.reject(converter.publishable({ provenance: record.provenance, ...(ocid === undefined ? {} : { ocid }), code: out.code, reason: out.reason, ...(out.buyer === undefined ? {} : { buyer: out.buyer }) }, out.reason.includes('"') ? JSON.stringify(record.data) : undefined));
      if (p) await p;
      counts.rejected++;
    }
  }
  for await (const batch of batches) {
    for (const ev of batch) {
      if (ev.type === 'record') {
        // (run's staging lines are not published: its compile withholds a partner's persons across the
        // ocid's releases, those without x_decp; one with it, whatever its origin, is protected here)
        const out = releasesOf(ev.record, converter, lineFormat !== 'store');
        if (earlier !== undefined && out.ok && heldForDate(out.releases, earlier, given, context?.datedBefore)) held.push({ record: ev.record, out });
        else await emit(ev.record, out);
      } else if (ev.type === 'reject') {
        const p = sink.reject(converter.publishable(ev.reject, ev.text));
        if (p) await p;
        counts.rejected++;
      } else if (ev.type === 'file-start') {
        converter.clearPresence();
        earlier = context?.datedInFiles?.get(ev.file.file);
        asMoved = earlier === undefined && context?.movedFrom !== undefined && context.datedInFiles !== undefined;
        if (asMoved) earlier = (moved ??= movedFromOf(context!.movedFrom!, context!.datedInFiles!)).initials;
        given.clear();
      } else if (ev.type === 'file-end') {
        // (a file taken for one moved: matched against its earlier version, if any, found at its end)
        if (asMoved) earlier = movedVersion(moved!, context!.movedFrom!, context!.datedInFiles!, given);
        if (earlier !== undefined) redateCorrected(held, earlier, given, converter);
        for (const h of held.splice(0)) await emit(h.record, h.out);
        earlier = undefined;
        counts.files++;
        counts.read += ev.summary.read;
        if (ev.summary.error?.fatal) counts.filesUnreadable++;
        const p = sink.fileEnd?.(ev.file, withAbsentPaths(ev.file, ev.summary, converter), fileConverted, fileReleases);
        if (p) await p;
        fileConverted = 0;
        fileReleases = 0;
      }
    }
  }
  return counts;
}

/** Does this release say its date is a run's (RELEASE_DATE_FROM_RUN)? */
function datedByRun(release: Release): boolean {
  const x = release['x_decp'];
  const flags = x !== null && typeof x === 'object' && !Array.isArray(x) ? x['qualityFlags'] : undefined;
  return Array.isArray(flags) && flags.some((f) => f !== null && typeof f === 'object' && !Array.isArray(f) && f['code'] === 'RELEASE_DATE_FROM_RUN');
}

/**
 * Note the initial releases (`…-v0`) a record gives under the ocids the file's version already read
 * had a run's date in (`earlier`: see BuildContext.datedInFiles) in `given`, and tell whether to hold
 * the record to the file's end: its initial release has no date but this run's (none remembered for
 * its id), under such an ocid — a record of that version perhaps, corrected (its award id changed).
 */
function heldForDate(releases: readonly Release[], earlier: ReadonlyMap<string, unknown>, given: Set<string>, datedBefore: ReadonlyMap<string, string> | undefined): boolean {
  let hold = false;
  for (const r of releases) {
    const { ocid, id } = r;
    if (typeof ocid !== 'string' || typeof id !== 'string' || !id.endsWith('-v0') || !earlier.has(ocid)) continue;
    given.add(`${ocid}\t${id}`);
    if (r === releases[0] && datedByRun(r) && datedBefore?.has(id) !== true) hold = true;
  }
  return hold;
}

/** The initial releases of the files a file may have been moved from (BuildContext.movedFrom). */
interface MovedFrom {
  /** Those of all of them, by ocid, each once. */
  readonly initials: Map<string, Array<readonly [string, string | null]>>;
  /** The first (latest read) of them that gave each, by ocid and id (`ocid\tid`), as its index in movedFrom. */
  readonly firstGiver: Map<string, number>;
}

/** The initial releases `paths` gave (BuildContext.datedInFiles): see MovedFrom. */
function movedFromOf(paths: readonly string[], datedInFiles: NonNullable<BuildContext['datedInFiles']>): MovedFrom {
  const initials = new Map<string, Array<readonly [string, string | null]>>();
  const firstGiver = new Map<string, number>();
  paths.forEach((p, k) => {
    for (const [ocid, list] of datedInFiles.get(p) ?? []) {
      let all = initials.get(ocid);
      if (all === undefined) initials.set(ocid, (all = []));
      for (const i of list) {
        const key = `${ocid}\t${i[0]}`;
        if (firstGiver.has(key)) continue;
        firstGiver.set(key, k);
        all.push(i);
      }
    }
  });
  return { initials, firstGiver };
}

/**
 * The earlier version of a file taken for one moved (BuildContext.movedFrom): the initial releases of
 * the latest read of those files that it gives again as they were (`given`), if any. (Found from the
 * file's own, few: a look through every such file's at each file's end was their number times the
 * night's new files.)
 */
function movedVersion(moved: MovedFrom, paths: readonly string[], datedInFiles: NonNullable<BuildContext['datedInFiles']>, given: ReadonlySet<string>): ReadonlyMap<string, ReadonlyArray<readonly [string, string | null]>> | undefined {
  let first: number | undefined;
  for (const k of given) {
    const at = moved.firstGiver.get(k);
    if (at !== undefined && (first === undefined || at < first)) first = at;
  }
  return first === undefined ? undefined : datedInFiles.get(paths[first]!);
}

/**
 * Give the records held to the file's end (heldForDate) the date a run gave the record they correct:
 * under one ocid, when the file's version already read gave as many initial releases as this one
 * now gives that it did not give then (no lot added, none removed: each stands for one that went),
 * those that went all had one date a run gave them, and there are at least as many of them as
 * records held. Else (a lot added, lots first read on different nights, a record that went with
 * a date of its own) nothing tells which record each one corrects: they keep this run's date.
 * A record's releases dated as its initial release (the run's date) take that date.
 */
function redateCorrected(held: ReadonlyArray<{ out: ReleasesOf & { ok: true } }>, earlier: ReadonlyMap<string, ReadonlyArray<readonly [string, string | null]>>, given: ReadonlySet<string>, converter: Converter): void {
  const byOcid = new Map<string, Release[][]>();
  for (const h of held) {
    const ocid = h.out.releases[0]!['ocid'] as string;
    const records = byOcid.get(ocid);
    if (records === undefined) byOcid.set(ocid, [h.out.releases]);
    else records.push(h.out.releases);
  }
  // (the initial releases given under each ocid of those, found in one pass: a look through all of
  // them for each ocid was quadratic in a file whose undated records were all corrected)
  const givenUnder = new Map<string, string[]>();
  for (const k of given) {
    const tab = k.indexOf('\t');
    const ocid = k.slice(0, tab);
    if (!byOcid.has(ocid)) continue;
    const ids = givenUnder.get(ocid);
    if (ids === undefined) givenUnder.set(ocid, [k.slice(tab + 1)]);
    else ids.push(k.slice(tab + 1));
  }
  for (const [ocid, records] of byOcid) {
    const before = earlier.get(ocid) ?? [];
    const beforeIds = new Set(before.map(([id]) => id));
    const gone = before.filter(([id]) => !given.has(`${ocid}\t${id}`));
    const added = (givenUnder.get(ocid) ?? []).filter((id) => !beforeIds.has(id));
    const dates = new Set(gone.map(([, d]) => d));
    const date = dates.size === 1 ? [...dates][0] : null;
    if (date === null || date === undefined || added.length !== gone.length || records.length > gone.length) continue;
    const text = converter.instant(date);
    for (const releases of records) {
      const was = releases[0]!['date'];
      for (const r of releases) if (r['date'] === was) r['date'] = text;
    }
  }
}

/**
 * The file's summary with a warning for each path of the profile that none of its records had
 * (converter.absentPaths: a misspelt `notice.tittle`, whose field every release silently lacks), as
 * a CSV file's header check says a column it lacks (same code, same channels: the file's issues,
 * which convert logs and run counts). Not for a CSV file (its header said it: read-csv.ts), nor for
 * one that could not be read to its end (what its first records lack says nothing of the file).
 */
function withAbsentPaths(file: SourceFileInfo, summary: FileSummary, converter: Converter): FileSummary {
  // (dates the profile's dateOrder cannot read and the other order can: said for any format)
  const order = converter.dateOrderWarnings(file.file);
  if (summary.format === 'csv' || summary.error?.fatal === true) {
    converter.clearPresence();
    return order.length === 0 ? summary : { ...summary, issues: [...summary.issues, ...order] };
  }
  const absent = [...converter.absentPaths(file.file), ...order];
  return absent.length === 0 ? summary : { ...summary, issues: [...summary.issues, ...absent] };
}

/** (a failure's `ocid`: the one an OCDS record or release gave, see RejectedRecord.ocid; a DECP record's reject has none: its ocid is made once its id and buyer are read, and nothing rejects it after) */
type ReleasesOf = { ok: true; releases: Release[]; compiled?: boolean; linked?: number; ocidFromRecord?: number; ocidOther?: number } | { ok: false; code: RejectedRecord['code']; reason: string; buyer?: string | undefined; ocid?: string | undefined };

/**
 * What only an OCDS release has (its tag, its initiation type, its sections): a record with an ocid
 * and none of them (a partner's own record with columns named `ocid`, `id`, `date`) is no release.
 */
const RELEASE_FIELDS = ['tag', 'initiationType', 'planning', 'tender', 'awards', 'contracts', 'parties', 'buyer'];

function releasesOf(record: SourceRecord, converter: Converter, protect: boolean): ReleasesOf {
  if (record.type === 'release') {
    // a partner's own record that names an ocid, and nothing only a release has, is the profile's
    // to map when it maps records of other kinds (`unknown`)
    if (converter.maps('unknown') && !RELEASE_FIELDS.some((k) => k in record.data)) return converter.convert({ ...record, type: 'unknown' });
    // a link to a release read on its own (a record's `releases` read before the key that says it
    // is a record: Prozorro's, keys in any order): no release, and not fetched (no network)
    if (isLinkedRelease(record.data)) return { ok: false, ocid: rejectOcid(record.data['ocid']), code: 'TRANSFORM_UNSUPPORTED_RECORD', reason: `a linked release (${JSON.stringify(String(record.data['url'])).slice(0, 200)}), not an embedded one: not fetched (no network); the record that lists it gives its compiledRelease when it has no embedded release` };
    // (a partner's natural persons are not published, as far as this release tells who they are:
    // see transform/ocds-persons.ts; run's compile looks across the ocid's releases)
    if (protect || 'x_decp' in record.data) withholdOcdsPersons([record.data], ocdsPersonRules());
    return { ok: true, releases: [record.data as Release] };
  }
  if (record.type === 'record') {
    // (a record without embedded releases gives its compiledRelease, tag `compiled`, as it is)
    const got = embeddedReleases(record.data);
    if ('releases' in got) {
      if (protect) withholdOcdsPersons(got.releases, ocdsPersonRules());
      else for (const r of got.releases) if ('x_decp' in r) withholdOcdsPersons([r], ocdsPersonRules());
      return { ok: true, releases: got.releases as unknown as Release[], compiled: got.compiled, ...(got.linked === undefined ? {} : { linked: got.linked }), ...(got.ocidFromRecord === undefined ? {} : { ocidFromRecord: got.ocidFromRecord }), ...(got.ocidOther === undefined ? {} : { ocidOther: got.ocidOther }) };
    }
    return { ok: false, ocid: rejectOcid(recordOcid(record.data)), code: 'TRANSFORM_UNSUPPORTED_RECORD', reason: got.reason };
  }
  // a partner's record whose field names are DECP's (`id`, `acheteur`…) is read as a marché by
  // ingest: a profile that maps only its own records (`unknown`) maps it as one of them
  if ((record.type === 'marche' || record.type === 'contrat-concession') && !converter.maps(record.type) && converter.maps('unknown')) return converter.convert({ ...record, type: 'unknown' });
  return converter.convert(record);
}
