/**
 * The run's compile stage for a part of the touched chunks. The store exports
 * the description of every release of the touched chunks, by group of chunks
 * (no sort: DuckDB partitions the export); the JSON of the releases this run
 * brings is read back from the staging file by line, the others' from the
 * chunks' previous members. This reads one chunk at a time (~1,024 ocids),
 * groups its releases by ocid, orders them, merges each group, validates its
 * releases, and writes:
 * - the chunk's two gzip members of ocds/ (releases, records), named by a hash
 *   of their content (see publish/ocds-members.ts);
 * - the staging files the store loads: records (tab-separated) and one CSV
 *   file per relational table.
 * Runs in a worker thread (one per part) or in this thread.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { addRecordLine } from '../compile.js';
import { stagingField } from '../convert.js';
import { ocdsPersonRules } from '../ingest/profiles.js';
import { readLines, SpanReader } from '../core/files.js';
import { LineBuffer } from '../core/line-buffer.js';
import { openLineWriter, type LineWriter } from '../publish/jsonl-writer.js';
import { blocksFile, endsBlock, readBlocks, type Block } from '../publish/member-blocks.js';
import { csvLine, tableSpec, type TableSpec } from '../publish/store-tables.js';
import { COMPILED_BASE, compiledReleasesBeside, compiledReleaseText, compileReleases, mergeRulesFromSchema, rulesFor, versionReleases, type JsonValue } from '../transform/compile/merge.js';
import { jsonKeepingRange } from '../transform/json-values.js';
import { withholdOcdsPersons, withholdPersonSirens } from '../transform/ocds-persons.js';
import { buyerIdOf, flattenProcess, jsonText, timestamp, yearOf, type FlatRows, type SourcedRelease } from '../transform/flatten.js';
import { CHECK_RULES, ReleaseChecker } from '../validate/checks.js';
import { schemaRule } from '../validate/report.js';
import { loadReleaseSchema, releaseSchemaForOcds10, releaseSchemaWithoutLocalExtension, type CompiledSchema, type SchemaChoice } from '../validate/schema-store.js';
import { valueAt } from '../validate/validate.js';

type Obj = { [k: string]: JsonValue };

export const FLAT_TABLES = ['parties', 'awards', 'award_suppliers', 'subcontracts', 'contracts', 'contract_decp', 'contract_suppliers', 'executions', 'tariffs', 'amendments', 'items', 'tenders', 'bids', 'bid_tenderers', 'quality_flags', 'validation_errors'] as const;
export type FlatTable = (typeof FLAT_TABLES)[number];
const SPECS = Object.fromEntries(FLAT_TABLES.map((t) => [t, tableSpec(t)])) as Record<FlatTable, TableSpec>;

export interface CompilePartJob {
  /**
   * This part's groups of chunks: for each, the files naming its touched ocids (`touched`) and the
   * files describing every current release of its chunks (`meta`: tab-separated chunk, ocid,
   * release_id, source_sha256, source_index, date_ms, is_update, position, staged_line,
   * first_published, as run-job.ts exports them).
   */
  readonly groups: ReadonlyArray<{ readonly touched: readonly string[]; readonly meta: readonly string[] }>;
  /**
   * The run's staging file (one line per release it converted: tab-separated description, then the
   * JSON) and the spans of its JSON texts (run/staging.ts): a release this run brings is read from
   * the line its description names.
   */
  readonly staged: { readonly file: string; readonly spans: string };
  /**
   * The members each touched chunk had (by chunk): the lines of its untouched ocids are kept as they
   * are, and the touched ocids' other releases are read back from there.
   */
  readonly oldMembers: { readonly releases: Readonly<Record<string, string>>; readonly records: Readonly<Record<string, string>> };
  /** Folder for this part's staging outputs: records.tsv and <table>.csv. */
  readonly dir: string;
  /** Where the ocds/ members go. */
  readonly membersDir: string;
  readonly gzipLevel: number;
  readonly versioned: boolean;
  /** The sources that are OCDS 1.0 packages (sha256): their processes merge as OCDS 1.0 says. */
  readonly ocds10Sources: readonly string[];
  readonly schema: SchemaChoice;
  readonly ocidPrefix: string;
  /** Now, for the "date in the future" check. */
  readonly now: string;
  /**
   * The legal units (SIRENs) the store's releases say are natural persons (release_sources.persons): an
   * organisation of one of them is withheld in every process that names it (withholdOcdsPersons).
   */
  readonly personSirens?: readonly string[];
}

export interface Member {
  readonly kind: 'releases' | 'records';
  readonly chunk: number;
  readonly file: string;
  readonly bytes: number;
  readonly lines: number;
}

export interface CompilePartResult {
  readonly records: number;
  readonly releases: number;
  readonly warnings: number;
  readonly rows: Record<FlatTable, number>;
  readonly members: Member[];
}

export function partFiles(dir: string): { records: string } & Record<FlatTable, string> {
  return { records: join(dir, 'records.tsv'), ...(Object.fromEntries(FLAT_TABLES.map((t) => [t, join(dir, `${t}.csv`)])) as Record<FlatTable, string>) };
}


interface Row {
  /** Source of the release (its JSON is parsed only when its ocid is compiled). */
  readonly sourceSha256: string;
  readonly sourceIndex: number;
  readonly id: string;
  readonly dateMs: number;
  readonly isUpdate: boolean;
  readonly position: number;
  readonly text: string;
  /** The earliest publication of the release by any of its sources (release_sources.published), or null. */
  readonly firstPublished: string | null;
}

/** A release of an ocid being compiled: its row, and its JSON parsed, with where it comes from. */
interface Given {
  readonly row: Row;
  readonly release: SourcedRelease;
}

/**
 * Release order inside an ocid: by date (releases without one first), updates
 * (amendments, implementation…) after the other releases of the same date,
 * then as their records gave them, then by id.
 */
function compareRows(a: Row, b: Row): number {
  return a.dateMs - b.dateMs || Number(a.isUpdate) - Number(b.isUpdate) || a.sourceIndex - b.sourceIndex || a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** An ocid or id as the store holds it (staging fields have no tab or line break). */
const scalarText = (v: JsonValue | undefined): string | null => (typeof v === 'string' || typeof v === 'number' ? stagingField(v) : null);

/** A release's key: its ocid and id (an id is unique within its ocid only; staging fields hold no tab). */
const ocidAndId = (ocid: string, id: string): string => `${ocid}\t${id}`;

/**
 * Gzip members' lines (start and end of each non-empty line, end before its line break). The lines
 * stay bytes: an untouched ocid's lines are copied into the new member as they are (decoded and
 * encoded again, they were a fifth of a compile part's time in a night that republishes contracts
 * scattered over the history).
 */
function memberLines(gz: Buffer): { bytes: Buffer; spans: number[] } {
  const spans: number[] = [];
  if (gz.length === 0) return { bytes: Buffer.alloc(0), spans };
  const bytes = gunzipSync(gz);
  for (let at = 0; at < bytes.length; ) {
    let end = bytes.indexOf(0x0a, at);
    if (end < 0) end = bytes.length;
    if (end > at) spans.push(at, end);
    at = end + 1;
  }
  return { bytes, spans };
}

/** Bytes of a line's start decoded to find its keys (ocid, id): the rest of it is not decoded. */
const HEAD_BYTES = 2048;

/**
 * A line's text up to HEAD_BYTES (a character cut at the end reads as U+FFFD, after the keys; a key
 * that does not end there is read from the whole line, parsed).
 */
const headOf = (bytes: Buffer, start: number, end: number): string => bytes.toString('utf8', start, Math.min(end, start + HEAD_BYTES));

/**
 * The ocid and release id of a release line of a member (`start`–`end` of `bytes`): ours start with
 * "ocid" then "id", read from the line's head without parsing; anything else is parsed whole.
 */
export function releaseKeysAt(bytes: Buffer, start: number, end: number): { ocid: string | null; id: string | null } {
  const m = /^\{"ocid":"((?:[^"\\]|\\.)*)","id":"((?:[^"\\]|\\.)*)"/.exec(headOf(bytes, start, end));
  if (m && !m[1]!.includes('\\') && !m[2]!.includes('\\')) return { ocid: m[1]!, id: m[2]! };
  const r = JSON.parse(bytes.toString('utf8', start, end)) as Obj;
  return { ocid: scalarText(r['ocid']), id: scalarText(r['id']) };
}

/** The ocid of a record line of a member (recordText starts with it; anything else is parsed whole). */
export function recordOcidAt(bytes: Buffer, start: number, end: number): string | null {
  const m = /^\{"ocid":"((?:[^"\\]|\\.)*)"/.exec(headOf(bytes, start, end));
  if (m && !m[1]!.includes('\\')) return m[1]!;
  return scalarText((JSON.parse(bytes.toString('utf8', start, end)) as Obj)['ocid']);
}

/**
 * A chunk's member being built, block by block (see publish/member-blocks.ts): the current block's
 * lines are encoded into a reusable buffer as they come, so that no line string outlives its ocid
 * (strings kept for a whole chunk were promoted to the old generation: a fifth of the workers' time
 * went to garbage collection), and compressed when the block ends; blocks the run does not touch are
 * copied as the previous member has them.
 */
class MemberBuilder {
  // one block after another, each about the size of the last: the buffer keeps its size
  private readonly bytes = new LineBuffer(1 << 20, true);
  private count = 0;
  private parts: Buffer[] = [];
  private blocks: Block[] = [];
  constructor(readonly kind: Member['kind']) {}

  /** Append a line; its bytes (line break left out) are `view()`'s from the length before to `length - 1`. */
  push(line: string): void {
    this.bytes.push(line);
    this.count++;
  }

  /** Append a line given as bytes (`start`–`end` of `from`, UTF-8, without its line break). */
  pushLine(from: Uint8Array, start: number, end: number): void {
    this.bytes.addBytes(from, start, end);
    this.bytes.endLine();
    this.count++;
  }

  /** A record whose releases are copied from `from` (`at`: their spans there; see addRecordLine). */
  pushRecord(ocid: string, texts: readonly string[], from: Uint8Array, at: readonly number[], compiledJson: string, versionedJson: string | undefined): void {
    addRecordLine(this.bytes, ocid, texts, from, at, compiledJson, versionedJson);
    this.count++;
  }

  /** Bytes of the current block so far. */
  get length(): number {
    return this.bytes.length;
  }

  /** The current block's bytes, in the builder's own buffer: valid until the next push. */
  view(): Buffer {
    return this.bytes.view();
  }

  /** Blocks so far (the current one left out). */
  get blockCount(): number {
    return this.blocks.length;
  }

  /** End the current block after `last` (its last ocid): compressed, kept for the member. */
  endBlock(last: string, level: number): void {
    if (this.count === 0) return;
    const body = gzipSync(this.bytes.view(), { level });
    this.parts.push(body);
    this.blocks.push([last, body.length, this.count]);
    this.bytes.clear();
    this.count = 0;
  }

  /** A block of the previous member, as it is (its compressed bytes and its entry). */
  copyBlock(body: Buffer, block: Block): void {
    this.parts.push(body);
    this.blocks.push(block);
  }

  clear(): void {
    this.bytes.clear();
    this.count = 0;
    this.parts = [];
    this.blocks = [];
  }

  /** Write the blocks as the chunk's member (named by a hash of the content), with their list beside it, and empty. */
  async write(membersDir: string, chunk: number): Promise<Member> {
    const body = Buffer.concat(this.parts);
    const blocks = this.blocks;
    const lines = blocks.reduce((a, b) => a + b[2], 0);
    this.clear();
    const file = `${this.kind}-${chunk}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.gz`;
    // the list first: a member the store lists always has it (one without is read whole)
    const list = blocksFile(join(membersDir, file));
    await writeFile(`${list}.tmp-${process.pid}`, JSON.stringify({ blocks }));
    await rename(`${list}.tmp-${process.pid}`, list);
    const tmp = join(membersDir, `${file}.tmp-${process.pid}`);
    await writeFile(tmp, body);
    await rename(tmp, join(membersDir, file));
    return { kind: this.kind, chunk, file, bytes: body.length, lines };
  }
}

/** A touched chunk's previous members: their bytes, and blocks that both list alike (else one block each, or none). */
interface OldMembers {
  readonly releases: Buffer;
  readonly records: Buffer;
  /** Each block: its last ocid (null: the whole member, written without a list) and its spans in both files. */
  readonly blocks: ReadonlyArray<{ readonly last: string | null; readonly releases: readonly [number, number]; readonly records: readonly [number, number]; readonly entries: readonly [Block, Block] | null }>;
}

async function oldMembersOf(releasesPath: string | undefined, recordsPath: string | undefined): Promise<OldMembers> {
  const releases = releasesPath === undefined ? Buffer.alloc(0) : await readFile(releasesPath);
  const records = recordsPath === undefined ? Buffer.alloc(0) : await readFile(recordsPath);
  if (releases.length === 0 && records.length === 0) return { releases, records, blocks: [] };
  const a = releasesPath === undefined ? null : await readBlocks(releasesPath, releases.length);
  const b = recordsPath === undefined ? null : await readBlocks(recordsPath, records.length);
  if (a !== null && b !== null && a.length === b.length && a.every((x, k) => x[0] === b[k]![0]) && a.every((x, k) => k === 0 || a[k - 1]![0] < x[0])) {
    const blocks = [];
    let at = 0;
    let bt = 0;
    for (let k = 0; k < a.length; k++) {
      blocks.push({ last: a[k]![0], releases: [at, at + a[k]![1]] as const, records: [bt, bt + b[k]![1]] as const, entries: [a[k]!, b[k]!] as const });
      at += a[k]![1];
      bt += b[k]![1];
    }
    return { releases, records, blocks };
  }
  return { releases, records, blocks: [{ last: null, releases: [0, releases.length], records: [0, records.length], entries: null }] };
}

/** A release changed after it was read (a person withheld): published as changed. */
function rewrite(given: Given[], read: readonly Obj[], i: number): void {
  given[i] = { ...given[i]!, row: { ...given[i]!.row, text: jsonKeepingRange(read[i]) } };
}

export async function compilePart(job: CompilePartJob): Promise<CompilePartResult> {
  const schema = await loadReleaseSchema(job.schema);
  // a partner's releases (without x_decp) are validated against OCDS core: our extensions are not
  // theirs (as `validate`); compiled when the first such release comes (a DECP run has none, and
  // compiling a release schema takes about a third of a second: a daily run pays it in each part)
  let plainSchema: CompiledSchema | undefined;
  const plainSchemaFor = async (): Promise<CompiledSchema> => (plainSchema ??= await loadReleaseSchema({ schema: job.schema.schema, extensions: [] }));
  const rules = mergeRulesFromSchema(schema.schema);
  // x_decp's merge rule for the processes that use it, not for a partner's (as compile)
  const plainRules = mergeRulesFromSchema(await releaseSchemaWithoutLocalExtension());
  // … and OCDS 1.0's for the processes of an OCDS 1.0 package (as compile)
  const ocds10Rules = mergeRulesFromSchema(await releaseSchemaForOcds10());
  const ocds10 = new Set(job.ocds10Sources);
  const ruleSets = { rules, plainRules, ocds10Rules };
  const personSirens: ReadonlySet<string> = new Set(job.personSirens ?? []);
  const checker = new ReleaseChecker({ ocidPrefix: job.ocidPrefix, ocidPrefixForDecpOnly: true, now: job.now, mergeRules: rules, schema: schema.schema });
  const files = partFiles(job.dir);
  const records = await openLineWriter(files.records, process.stdout);
  const writers = {} as Record<FlatTable, LineWriter>;
  for (const t of FLAT_TABLES) writers[t] = await openLineWriter(files[t], process.stdout);
  const rows = Object.fromEntries(FLAT_TABLES.map((t) => [t, 0])) as Record<FlatTable, number>;
  const members: Member[] = [];
  let nRecords = 0;
  let nReleases = 0;
  let nWarnings = 0;

  const releaseMember = new MemberBuilder('releases');
  const recordMember = new MemberBuilder('records');
  // Each ocid is compiled synchronously: its writes only wait when a writer's buffer is flushed (an
  // `await` per write and per ocid cost a microtask each, several per ocid)
  const one = (ocid: string, chunk: number, described: Row[]): Promise<void> | undefined => {
    described.sort(compareRows);
    const given: Given[] = [];
    const read: Obj[] = [];
    for (const row of described) {
      const release = JSON.parse(row.text) as Obj;
      // the JSON read back is this release's (never another's: the staging file, the members and the store agree)
      if (stagingField(release['id']) !== row.id) throw new Error(`release ${row.id} of chunk ${chunk}: the JSON found for it is release ${String(release['id'])}`);
      // (the row and its parsed release side by side: a spread of the row per release fed the garbage collector)
      given.push({ row, release: { release, sourceSha256: row.sourceSha256, sourceIndex: row.sourceIndex, firstPublished: row.firstPublished } });
      read.push(release);
    }
    const partner = read.some((r) => !('x_decp' in r));
    if (partner) {
      // a partner's natural persons, across the ocid's releases (convert saw one release or record
      // at a time: the supplier identified as a person in the contract release is named without
      // identifier in the award release); a release changed is published as changed
      const at: number[] = [];
      read.forEach((r, k) => void (!('x_decp' in r) && at.push(k)));
      for (const k of withholdOcdsPersons(at.map((i) => read[i]!), ocdsPersonRules())) {
        rewrite(given, read, at[k]!);
      }
    }
    // the natural persons other processes identify by their legal unit, and those one release of
    // this process says are persons: withheld in every release of it (see withholdPersonSirens)
    for (const i of withholdPersonSirens(read, personSirens)) rewrite(given, read, i);
    if (plainSchema === undefined && partner) return plainSchemaFor().then(() => compileOne(ocid, chunk, given, read));
    return compileOne(ocid, chunk, given, read);
  };
  const compileOne = (ocid: string, chunk: number, all: Given[], allRead: Obj[]): Promise<void> | undefined => {
    let waits: Array<Promise<void>> | undefined;
    const track = (p: Promise<void> | void): void => {
      if (p !== undefined) (waits ??= []).push(p);
    };
    // a compiled release beside releases of its history (a publisher's bulk file with both) is what
    // they merge into, not one of them: left out of the merge and of the record, as `compile` does; it
    // stays a release of the store and of ocds/releases.jsonl.gz (what was published), said in
    // validation_errors (check.compiled-release-beside) and counted in records.merge_warnings. One
    // dated before them all is the state they start from: merged first, said (check.compiled-release-base)
    const found = compiledReleasesBeside(allRead);
    const beside = new Map(found.leftOut.map((x) => [x.at, x.message]));
    const given = beside.size === 0 ? all : all.filter((_, k) => !beside.has(k));
    const read = beside.size === 0 ? allRead : allRead.filter((_, k) => !beside.has(k));
    const leftOut = beside.size === 0 ? [] : all.filter((_, k) => beside.has(k));
    const base = found.base >= 0 ? all[found.base] : undefined;
    const ruleSet = rulesFor(ruleSets, read, given.some((g) => ocds10.has(g.row.sourceSha256)));
    const compiled = compileReleases(read, ruleSet);
    // the releases are listed (and published) in merge order, the order compile gives them: the
    // amendment chain may reorder releases of one date
    const group = compiled.order.map((i) => given[i]!);
    const releases = group.map((g) => g.release.release);
    const { compiledRelease } = compiled;
    // (a compiled release left out, or merged onto, is one merge warning more, as compile counts them)
    const nMerge = compiled.warnings.length + leftOut.length + (base === undefined ? 0 : 1);
    nWarnings += nMerge;
    const versioned = job.versioned ? versionReleases(releases, ruleSet) : undefined;
    const texts = group.map((g) => g.row.text);
    // each release is encoded once: the record copies its bytes from the releases' member
    const at: number[] = [];
    for (const t of texts) {
      const start = releaseMember.length;
      releaseMember.push(t);
      at.push(start, releaseMember.length - 1);
    }
    // the record's ocid as its releases write it (the store's copy has tabs and line breaks as spaces)
    const releaseOcid = releases[0]!['ocid'];
    // the staging's texts are JSON.stringify's: a release that is its own compiled release gives its JSON
    const compiledJson = (texts.length === 1 ? compiledReleaseText(texts[0]!, releases[0]!, compiled) : null) ?? JSON.stringify(compiledRelease);
    recordMember.pushRecord(typeof releaseOcid === 'string' ? releaseOcid : ocid, texts, releaseMember.view(), at, compiledJson, versioned ? JSON.stringify(versioned) : undefined);
    // (the releases left out are published releases all the same: the store describes them)
    for (const g of leftOut) releaseMember.push(g.row.text);
    const first = timestamp(releases[0]!['date']);
    const last = timestamp(releases[releases.length - 1]!['date']);
    // (the contracts' buyer: a 1.0 buyer by its identifier, a buyer given by its party's role only)
    const buyerId = buyerIdOf(compiledRelease);
    // (as stagingField writes each: numbers as they are, null as nothing)
    track(records.write(`${stagingField(ocid)}\t${chunk}\t${group.length}\t${stagingField(first)}\t${stagingField(last)}\t${stagingField(yearOf(first))}\t${stagingField(buyerId)}\t${nMerge}`));
    const flat: FlatRows = flattenProcess(ocid, group.map((g) => g.release), compiledRelease, personSirens);
    const validationErrors: Array<Record<string, unknown>> = [];
    for (const g of leftOut.length === 0 ? group : [...group, ...leftOut]) {
      const r = g.release.release;
      const push = (severity: string, rule: string, pointer: string, message: string, value: unknown): void =>
        void validationErrors.push({ ocid, release_id: g.row.id, severity, rule, pointer, message, value: jsonText(value), source_sha256: g.release.sourceSha256, source_index: g.release.sourceIndex });
      for (const e of ('x_decp' in r ? schema : plainSchema!).validate(r)) push('error', schemaRule(e.keyword, e.pointer), e.pointer, e.message, valueAt(r, e.pointer));
      for (const f of checker.check(r)) push(f.severity, f.rule, f.pointer, f.message, f.value);
      if (leftOut.includes(g)) push(CHECK_RULES['check.compiled-release-beside']!.severity, 'check.compiled-release-beside', '/tag', beside.get(all.indexOf(g))!, r['tag']);
      else if (g === base) push(CHECK_RULES['check.compiled-release-base']!.severity, 'check.compiled-release-base', '/tag', COMPILED_BASE, r['tag']);
    }
    for (const t of FLAT_TABLES) {
      const list = t === 'validation_errors' ? validationErrors : flat[t];
      if (list.length === 0) continue;
      rows[t] += list.length;
      const spec = SPECS[t];
      const writer = writers[t];
      // (every row carries its ocid's chunk: the store keeps them chunk by chunk, see store-tables.ts;
      // each line written as it is made: the lines of an ocid joined first were copied once more)
      for (const row of list) {
        row['chunk'] = chunk;
        track(writer.write(csvLine(spec, row)));
      }
    }
    nRecords++;
    nReleases += group.length;
    return waits === undefined ? undefined : Promise.all(waits).then(() => undefined);
  };

  // set when the staging file is open (below)
  let staged: SpanReader | undefined;

  /**
   * Blocks of a chunk read and written again: their previous lines (`releasesGz`, `recordsGz`), the
   * untouched ocids' kept as they are, the touched ones (`ocids`; their releases' descriptions in
   * `rowsOf`) compiled, in ocid order, cut into blocks where their ends fall.
   */
  const rebuild = async (chunk: number, ocids: ReadonlySet<string>, rowsOf: ReadonlyMap<string, string[][]>, releasesGz: Buffer, recordsGz: Buffer): Promise<void> => {
    const list = [...ocids].flatMap((ocid) => rowsOf.get(ocid) ?? []);
    // the untouched ocids' lines as spans of the old members' bytes, copied as they are; the touched
    // ocids' releases that this run does not bring, as texts
    const keptReleases = new Map<string, number[]>();
    const keptRecords = new Map<string, number>();
    const kept = new Map<string, string>();
    const wanted = new Set(list.filter((c) => c[8] === '').map((c) => ocidAndId(c[1]!, c[2]!)));
    const oldReleases = memberLines(releasesGz);
    for (let k = 0; k < oldReleases.spans.length; k += 2) {
      const [start, end] = [oldReleases.spans[k]!, oldReleases.spans[k + 1]!];
      const { ocid, id } = releaseKeysAt(oldReleases.bytes, start, end);
      if (ocid !== null && ocids.has(ocid)) {
        if (id !== null && wanted.has(ocidAndId(ocid, id))) kept.set(ocidAndId(ocid, id), oldReleases.bytes.toString('utf8', start, end));
      } else {
        const key = ocid ?? '';
        let lines = keptReleases.get(key);
        if (!lines) keptReleases.set(key, (lines = []));
        lines.push(start, end);
      }
    }
    const oldRecords = memberLines(recordsGz);
    for (let k = 0; k < oldRecords.spans.length; k += 2) {
      const ocid = recordOcidAt(oldRecords.bytes, oldRecords.spans[k]!, oldRecords.spans[k + 1]!) ?? '';
      if (!ocids.has(ocid)) keptRecords.set(ocid, k);
    }
    for (const ocid of keptReleases.keys()) {
      if (!keptRecords.has(ocid)) throw new Error(`chunk ${chunk}: ocid ${ocid} has releases but no record in its previous members (a member file is damaged)`);
    }
    const groups = new Map<string, Row[]>();
    for (const [, ocid, id, sha, index, dateMs, isUpdate, position, rn, first] of list as Array<[string, string, string, string, string, string, string, string, string, string]>) {
      const text = rn === '' ? kept.get(ocidAndId(ocid, id)) : staged!.text(Number(rn));
      if (text === undefined) throw new Error(`release ${id} of chunk ${chunk} is in the store but its JSON is nowhere (a member file is missing)`);
      let g = groups.get(ocid);
      if (!g) groups.set(ocid, (g = []));
      g.push({ sourceSha256: sha, sourceIndex: Number(index), id, dateMs: dateMs === '' ? Number.NEGATIVE_INFINITY : Number(dateMs), isUpdate: isUpdate === 'true', position: Number(position), text, firstPublished: first === undefined || first === '' ? null : first });
    }
    // in ocid order: touched ocids compiled, the others as they were; a block ends after an ocid
    // that ends one, and at the end of these blocks
    let last: string | undefined;
    for (const ocid of [...new Set([...groups.keys(), ...keptRecords.keys()])].sort()) {
      const g = groups.get(ocid);
      if (g !== undefined) {
        groups.delete(ocid);
        const wait = one(ocid, chunk, g);
        if (wait !== undefined) await wait;
      } else {
        const spans = keptReleases.get(ocid) ?? [];
        for (let k = 0; k < spans.length; k += 2) releaseMember.pushLine(oldReleases.bytes, spans[k]!, spans[k + 1]!);
        const r = keptRecords.get(ocid)!;
        recordMember.pushLine(oldRecords.bytes, oldRecords.spans[r]!, oldRecords.spans[r + 1]!);
      }
      last = ocid;
      if (endsBlock(ocid)) endBlocks(ocid);
    }
    if (last !== undefined) endBlocks(last);
  };
  const endBlocks = (last: string): void => {
    releaseMember.endBlock(last, job.gzipLevel);
    recordMember.endBlock(last, job.gzipLevel);
  };

  let stagedFd: number | null = null;

  try {
    stagedFd = openSync(job.staged.file, 'r');
    const spansBytes = await readFile(job.staged.spans);
    if (spansBytes.length % 16 !== 0) throw new Error(`the staging spans file has ${spansBytes.length} bytes: not pairs of float64 (it is damaged)`);
    staged = new SpanReader(stagedFd, new Float64Array(spansBytes.buffer, spansBytes.byteOffset, spansBytes.length / 8));
    for (const group of job.groups) {
      // a group of chunks: each chunk's current releases, by chunk
      const metas = new Map<number, string[][]>();
      for (const path of group.meta) {
        for await (const line of readLines(path)) {
          const cols = line.split('\t');
          const chunk = Number(cols[0]);
          let list = metas.get(chunk);
          if (!list) metas.set(chunk, (list = []));
          list.push(cols);
        }
      }
      const touched = new Map<number, Set<string>>();
      for (const path of group.touched) {
        for await (const line of readLines(path)) {
          const [chunk, ocid] = line.split('\t') as [string, string];
          let set = touched.get(Number(chunk));
          if (!set) touched.set(Number(chunk), (set = new Set()));
          set.add(ocid);
        }
      }
      // one chunk at a time in memory (parsed releases are several times their text)
      for (const chunk of [...touched.keys()].sort((x, y) => x - y)) {
        const ocids = touched.get(chunk)!;
        const list = metas.get(chunk) ?? [];
        metas.delete(chunk);
        const old = await oldMembersOf(job.oldMembers.releases[String(chunk)], job.oldMembers.records[String(chunk)]);
        const blocks = old.blocks;
        // a touched ocid's block: the first whose last ocid is not before it (the last one past them all)
        const blockOf = (ocid: string): number => {
          let lo = 0;
          let hi = blocks.length - 1;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            const last = blocks[mid]!.last;
            if (last === null || last >= ocid) hi = mid;
            else lo = mid + 1;
          }
          return lo;
        };
        // the descriptions of the touched ocids' current releases, by ocid (a touched ocid without any lost them all)
        const rowsOf = new Map<string, string[][]>();
        for (const c of list) {
          let rows = rowsOf.get(c[1]!);
          if (!rows) rowsOf.set(c[1]!, (rows = []));
          rows.push(c);
        }
        // (every ocid described is a touched one: taken as such, should the two exports ever disagree)
        for (const ocid of rowsOf.keys()) ocids.add(ocid);
        const touchedIn = new Map<number, Set<string>>();
        for (const ocid of ocids) {
          const k = blockOf(ocid);
          let set = touchedIn.get(k);
          if (!set) touchedIn.set(k, (set = new Set()));
          set.add(ocid);
        }
        // block by block: those without a touched ocid copied as they are; the others, and a block
        // whose last ocid lost its releases (its end goes: the next one joins), read and written again
        for (let i = 0; i < Math.max(1, blocks.length); ) {
          const b = blocks[i];
          if (b !== undefined && b.entries !== null && !touchedIn.has(i)) {
            releaseMember.copyBlock(old.releases.subarray(...b.releases), b.entries[0]);
            recordMember.copyBlock(old.records.subarray(...b.records), b.entries[1]);
            i++;
            continue;
          }
          let j = i;
          while (j + 1 < blocks.length && (touchedIn.has(j + 1) || (ocids.has(blocks[j]!.last!) && !rowsOf.has(blocks[j]!.last!)))) j++;
          const here = new Set<string>();
          for (let k = i; k <= j; k++) for (const ocid of touchedIn.get(k) ?? []) here.add(ocid);
          const spanOf = (which: 'releases' | 'records'): Buffer => (blocks.length === 0 ? Buffer.alloc(0) : old[which].subarray(blocks[i]![which][0], blocks[j]![which][1]));
          await rebuild(chunk, here, rowsOf, spanOf('releases'), spanOf('records'));
          i = j + 1;
        }
        if (releaseMember.blockCount > 0) {
          members.push(await releaseMember.write(job.membersDir, chunk));
          members.push(await recordMember.write(job.membersDir, chunk));
        } else {
          // no release left in the chunk: no member is written for it
          releaseMember.clear();
          recordMember.clear();
        }
      }
    }
    await records.commit();
    for (const t of FLAT_TABLES) await writers[t].commit();
  } catch (err) {
    await records.abort();
    for (const t of FLAT_TABLES) await writers[t].abort();
    throw err;
  } finally {
    if (stagedFd !== null) closeSync(stagedFd);
  }
  return { records: nRecords, releases: nReleases, warnings: nWarnings, rows, members };
}
