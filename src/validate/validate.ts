/**
 * The validate stage: OCDS releases (any input shape) → schema errors and
 * checks → reports. Streaming: rows go to the CSV and JSON writers as they come;
 * the report keeps counts and a few examples per rule, never every release.
 */
import type { Readable } from 'node:stream';
import { packageMetadataErrors, recordErrors } from './package-schema.js';
import { readInputBatches, type IngestOptions } from '../ingest/reader.js';
import type { Provenance, SourceRecord } from '../ingest/types.js';
import type { Issue } from '../core/issues.js';
import { compiledTagMessage, embeddedReleases, isLinkedRelease, recordOcid } from '../ingest/classify.js';
import { rejectOcid } from '../ingest/rejects.js';
import { coerceXmlValues, DecpChecker, xmlSchemaErrors } from './decp-checks.js';
import { mergeRulesFromSchema, type JsonValue } from '../transform/compile/merge.js';
import { buyerIdOf } from '../transform/flatten.js';
import { CHECK_RULES, ReleaseChecker, type CheckOptions } from './checks.js';
import { schemaRule, ValidationReport, type Finding, type Located, type Row } from './report.js';
import type { CompiledSchema, DecpValidators, SchemaError } from './schema-store.js';
import { pointerKeys } from '../core/keys.js';
import { rejectQuotesPerson, type Locale } from '../transform/locale.js';
import { PERSON_WITHHELD, withholdPersonsInFindings } from './persons.js';
import { canonicalJson, isJsonObject } from '../transform/json-values.js';
import { hash53 } from '../transform/hash.js';

export interface ValidateOptions extends IngestOptions {
  readonly inputs: readonly string[];
  readonly schema: CompiledSchema;
  /**
   * When set, the schema of releases without `x_decp` (a partner's): OCDS core and the extensions
   * given, not ours — extensions apply to the data that declares them, and a partner's package does
   * not declare ours (their fields there follow the partner's own conventions).
   */
  readonly plainSchema?: CompiledSchema | undefined;
  readonly checks: CheckOptions;
  /** Validate DECP source records (against the DECP schemas) instead of OCDS releases. */
  readonly decp?: { sources: readonly string[]; validators: DecpValidators; ocidOf?: ((rec: SourceRecord) => string | null) | undefined } | undefined;
  /**
   * Who is a natural person (a profile's settings, read as convert reads them: the bundled DECP
   * profile's for the CLI): the report quotes no such person's name (RGPD). Without it, values are quoted as they are.
   */
  readonly persons?: Locale | undefined;
}

export interface ValidateSink {
  row(row: Row): Promise<void> | void;
}

export interface ValidateResult {
  readonly report: ValidationReport;
  readonly filesUnreadable: number;
  /** Why each unreadable file could not be read (its code and message). */
  readonly fileErrors: ReadonlyArray<{ readonly code: string; readonly message: string }>;
  readonly notOcds: number;
}

type J = Record<string, unknown>;
/** A schema error as a finding: `at` the place of what was validated in its input record, `value` the value there. */
const schemaFinding = (e: SchemaError, value: unknown, at = ''): Finding => ({ kind: 'schema', rule: schemaRule(e.keyword, e.pointer), severity: 'error', pointer: at + e.pointer, message: e.message, value });

export async function validateInputs(options: ValidateOptions, sink: ValidateSink, stdin?: Readable): Promise<ValidateResult> {
  const plain = options.plainSchema;
  const report = new ValidationReport(options.decp ? options.decp.sources : plain === undefined ? options.schema.sources : [...options.schema.sources, `releases without x_decp: ${plain.sources.join(' + ')}`]);
  const decpChecker = new DecpChecker(options.persons);
  /** The schema a release is validated with: ours for the releases that use x_decp, the plain one for a partner's. */
  const schemaOf = (release: J): CompiledSchema => (plain !== undefined && !('x_decp' in release) ? plain : options.schema);
  const checker = new ReleaseChecker({ ...options.checks, mergeRules: mergeRulesFromSchema(options.schema.schema), schema: options.schema.schema });
  let filesUnreadable = 0;
  const fileErrors: Array<{ code: string; message: string }> = [];
  let notOcds = 0;
  const persons = options.persons;
  /** A record's findings as the report may show them (`record` undefined: a reject's, a file's). */
  const publishable = <F extends Finding>(record: unknown, findings: readonly F[], at = ''): readonly F[] => (persons === undefined ? findings : (withholdPersonsInFindings(persons, record, findings, at) as readonly F[]));
  /**
   * The encoding faults (INGEST_ENCODING_*: bytes not UTF-8, an XML declaration that names another
   * encoding) each file's records said, with where; files with a record that could not be read.
   */
  const encodingSaid = new Map<string, Set<string>>();
  const noteEncoding = (file: string, issues: readonly Issue[]): void => {
    for (const i of issues) if (i.code.startsWith('INGEST_ENCODING')) encodingSaid.set(file, (encodingSaid.get(file) ?? new Set()).add(i.code));
  };
  const rejected = new Map<string, string[]>();
  /**
   * The items of each file's package list (`releases`, `records`), which the package schemas want
   * distinct (`uniqueItems`): each item by a hash of its text as written (of its canonical JSON when
   * the reader kept no text) → its index, and the identical pairs found. (One number per item: a
   * 53-bit hash, as check.duplicate-release-id keys its ids.)
   */
  const packageItems = new Map<string, { seen: Map<number, number>; identical: Array<[number, number]> }>();
  const noteItem = (rec: SourceRecord): void => {
    let f = packageItems.get(rec.provenance.file);
    if (f === undefined) packageItems.set(rec.provenance.file, (f = { seen: new Map(), identical: [] }));
    const text = hash53(`${rec.type}\u0000${rec.text ?? canonicalJson(rec.data)}`);
    const first = f.seen.get(text);
    if (first === undefined) f.seen.set(text, rec.provenance.index);
    else f.identical.push([first, rec.provenance.index]);
  };
  /**
   * `given`: the release as the input wrote it, when it was changed (a compiledRelease tagged
   * ["compiled"]; integers a double cannot hold, kept as their digits: see asWritten): the schema reads that one.
   */
  /**
   * Validate one release. `at`: where it is in its input record (`/releases/2`, `/compiledRelease`) when
   * it is embedded in an OCDS record, which its findings' pointers start with (the line and index
   * locate the record; what reading the record found, `issues`, is the record's already).
   */
  /** `own`: findings of the record that holds the release, said with it (their pointers the record's, already publishable). */
  const one = async (release: unknown, p: Provenance, issues: readonly Issue[] = [], given?: unknown, more: readonly Finding[] = [], at = '', own: readonly Finding[] = []): Promise<void> => {
    noteEncoding(p.file, issues);
    const r = (release ?? {}) as J;
    // (who its buyer is, as the store's buyer_id and run's report name it: an OCDS 1.0 buyer by its
    // identifier, else its name; a buyer given by its party's role only)
    const buyer = r !== null && typeof r === 'object' && !Array.isArray(r) ? buyerIdOf(r as { [k: string]: JsonValue }) : null;
    const where: Located = {
      file: p.file,
      line: p.line,
      index: p.index,
      ocid: typeof r['ocid'] === 'string' ? r['ocid'] : null,
      releaseId: typeof r['id'] === 'string' || typeof r['id'] === 'number' ? String(r['id']) : null,
      buyer,
    };
    const schema = schemaOf(r);
    const asGiven = given ?? release;
    // (a value is shown as the file wrote it: an integer a double cannot hold by its digits)
    const valueOf = (pointer: string): unknown => {
      const v = valueAt(asGiven, pointer);
      const kept = typeof v === 'number' ? valueAt(release, pointer) : undefined;
      return typeof kept === 'string' ? kept : v;
    };
    // (what reading found at a place of this release, the text looking double-encoded, quotes it: its pointer is the record's)
    const findings: Finding[] = issues
      .filter((i) => !(i.code === 'INGEST_MOJIBAKE' && QUALITY_FLAG_QUOTE.test(i.pointer ?? '')))
      .map((i) => inputFinding(i, i.pointer !== undefined && (at === '' ? i.pointer !== '' : i.pointer.startsWith(`${at}/`)) ? valueOf(i.pointer.slice(at.length)) : undefined));
    for (const e of schema.validate(asGiven)) findings.push(schemaFinding(e, valueOf(e.pointer), at));
    // (a check that quotes the value at its pointer quotes it as the input wrote it: a compiledRelease
    // tagged otherwise, read as ["compiled"], by the tag it has)
    for (const c of checker.check(release)) findings.push({ kind: 'check', ...c, ...(given !== undefined && c.pointer !== '' && c.value === valueAt(release, c.pointer) ? { value: valueOf(c.pointer) } : {}), pointer: at + c.pointer });
    findings.push(...more.map((f) => ({ ...f, pointer: at + f.pointer })));
    for (const row of report.add(where, own.length === 0 ? publishable(asGiven, findings, at) : [...publishable(asGiven, findings, at), ...own])) {
      const w = sink.row(row);
      if (w) await w;
    }
  };
  const source = async (rec: SourceRecord): Promise<void> => {
    const type = rec.type as 'marche' | 'contrat-concession';
    const d = rec.data;
    const buyer = (d[type === 'marche' ? 'acheteur' : 'autoriteConcedante'] ?? null) as J | null;
    const p = rec.provenance;
    const validator = options.decp!.validators[decpSchemaOf(rec)][type];
    // (a record read from XML has a column: its values are text, read here as the XSD reads them, and
    // its elements are the XSD's, which takes no other)
    const xml = p.column !== undefined;
    // (the ocid convert gives the record, so that its rows join the store's rows of its process: read
    // before validation coerces an XML record's values; a JSON record's, which validation leaves as
    // they are, only when it has a row — converting every record made validate 1.5 times as long)
    const ocidOf = options.decp!.ocidOf;
    const asRead = xml && ocidOf !== undefined ? ocidOf(rec) : undefined;
    const named = { releaseId: idText(d['id']), buyer: buyer !== null && typeof buyer === 'object' ? idText(buyer['id']) : null };
    const written = asWritten(d, rec.issues) as J;
    let errors = validator(written, xml);
    if (xml && coerceXmlValues(d, errors, decpSchemaOf(rec))) {
      if (written !== d) coerceXmlValues(written, errors, decpSchemaOf(rec));
      errors = validator(written, xml);
    }
    // (… and its dates as xs:date, its lists without a uniqueness rule: only what the XSD refuses)
    if (p.column !== undefined) errors = xmlSchemaErrors(d, errors, { generation: decpSchemaOf(rec), type });
    noteEncoding(p.file, rec.issues);
    const findings: Finding[] = rec.issues.map((i) => inputFinding(i, i.pointer ? valueAt(d, i.pointer) : undefined));
    for (const e of errors) findings.push(schemaFinding(e, valueAt(d, e.pointer)));
    for (const c of decpChecker.check(type, d, p)) findings.push({ kind: 'check', ...c });
    const shown = publishable(d, findings);
    const ocid = asRead !== undefined ? asRead : shown.length > 0 && ocidOf !== undefined ? ocidOf(rec) : null;
    const where: Located = { file: p.file, line: p.line, index: p.index, ocid, ...named };
    for (const row of report.add(where, shown)) {
      const w = sink.row(row);
      if (w) await w;
    }
  };
  /**
   * An OCDS record whose releases are all linked (URLs), without a compiledRelease or a
   * versionedRelease: OCDS allows it, and its releases are not fetched (no network): a warning
   * (`input.linked-releases`), the record's own findings beside it.
   */
  const linked = async (rec: SourceRecord, why: string, own: readonly Finding[]): Promise<void> => {
    const p = rec.provenance;
    const where: Located = { file: p.file, line: p.line, index: p.index, ocid: rejectOcid(recordOcid(rec.data)) ?? null, releaseId: null, buyer: null };
    const said: Finding = { kind: 'input', rule: 'input.linked-releases', severity: 'warning', pointer: '/releases', message: `not validated: ${why.replace(/, and without a compiledRelease$/, ', without a compiledRelease')}; validate the releases the links name`, value: undefined };
    // (counted as not validated, neither a valid release nor an invalid one: nothing of its releases was)
    for (const row of report.add(where, [said, ...own], false)) {
      const w = sink.row(row);
      if (w) await w;
    }
  };
  /** A record of another kind than the one validated: invalid, with why (never left out of the report). */
  const otherKind = async (rec: SourceRecord, why?: string, own: readonly Finding[] = []): Promise<void> => {
    notOcds++;
    const p = rec.provenance;
    // (an OCDS record names its process, as its reject does in convert, compile and run)
    const where: Located = { file: p.file, line: p.line, index: p.index, ocid: rec.type === 'record' ? (rejectOcid(recordOcid(rec.data)) ?? null) : null, releaseId: idText(rec.data['id']), buyer: null };
    // (a package whose list of releases or records is not a list: the package schema's error, at its pointer)
    const pkg = options.decp || rec.type !== 'unknown' ? undefined : notListed(rec.data);
    const kind =
      pkg !== undefined
        ? `a ${pkg.kind} package whose ${pkg.kind}s are not a list (${typeText(rec.data[`${pkg.kind}s`])})`
        : rec.type === 'unknown'
        ? `an object of unknown kind (keys: ${Object.keys(rec.data).slice(0, 8).join(', ')})`
        : rec.type === 'marche' || rec.type === 'contrat-concession'
          ? `a DECP ${rec.type} (validate it with --decp, or convert it first)`
          : options.decp
            ? `an OCDS ${rec.type} (validate it without --decp)`
            : (why ?? 'an OCDS record without embedded releases');
    const rule = options.decp ? 'input.not-decp' : 'input.not-ocds';
    const what = options.decp ? 'neither a DECP marché nor a contrat de concession' : 'not an OCDS release';
    for (const row of report.add(where, [{ kind: 'input', rule, severity: 'error', pointer: '', message: `${what}: ${kind}`, value: undefined }, ...(pkg?.findings ?? []), ...own])) {
      const w = sink.row(row);
      if (w) await w;
    }
  };
  /**
   * What the record schema finds in a record's own fields (recordErrors), and the release schema in a
   * compiledRelease given beside embedded releases (one that stands for its process is validated as
   * its release). Pointers are the record's.
   */
  const recordFindings = (record: J, got: ReturnType<typeof embeddedReleases>): Finding[] => {
    const list = Array.isArray(record['releases']) ? (record['releases'] as unknown[]) : [];
    const linked = list.filter((r) => isJsonObject(r) && isLinkedRelease(r)).length;
    const embedded = list.length - linked;
    // (the record schema's rules are `record.…`, apart from the release schema's: `record.required /ocid`)
    const out: Finding[] = recordErrors(record, embedded, linked).map((e) => {
      const f = schemaFinding(e, valueAt(record, e.pointer));
      return { ...f, rule: `record.${f.rule.slice('schema.'.length)}` };
    });
    const compiled = record['compiledRelease'];
    if ('releases' in got && !got.compiled && isJsonObject(compiled)) {
      for (const e of schemaOf(compiled).validate(compiled)) out.push(schemaFinding(e, valueAt(compiled, e.pointer), '/compiledRelease'));
    }
    return out;
  };
  /** An embedded release of another ocid than its record's (compile puts it in its own ocid's record), said with it. */
  const otherOcid = (record: J, release: J): Finding[] =>
    typeof record['ocid'] === 'string' && typeof release['ocid'] === 'string' && release['ocid'] !== record['ocid']
      ? [{ kind: 'check', rule: 'check.record-ocid', severity: CHECK_RULES['check.record-ocid']!.severity, pointer: '/ocid', message: `this release's ocid is not its record's (${JSON.stringify(record['ocid'])}): compile puts it in the record of its own ocid`, value: release['ocid'] }]
      : [];
  for await (const batch of readInputBatches(options.inputs, options, stdin)) {
    for (const ev of batch) {
      if (ev.type === 'record') {
        const rec = ev.record;
        // (the items of a list the schema wants distinct: a package's; a 2019 DECP document's `marches`)
        if (options.decp ? rec.version === '2019' && rec.provenance.column === undefined : rec.type === 'release' || rec.type === 'record') noteItem(rec);
        if (options.decp) {
          if (rec.type === 'marche' || rec.type === 'contrat-concession') await source(rec);
          else await otherKind(rec);
          continue;
        }
        if (rec.type === 'release') await one(rec.data, rec.provenance, rec.issues, asWritten(rec.data, rec.issues));
        else if (rec.type === 'record') {
          const got = embeddedReleases(rec.data, false);
          // (the same record as written, for the schema: its releases in the same order)
          const written = asWritten(rec.data, rec.issues) as J;
          const gotWritten = written === rec.data ? got : embeddedReleases(written, false);
          const writtenAt = (k: number): unknown => ('releases' in gotWritten ? gotWritten.releases[k] : undefined);
          // the record's own fields (its ocid, its list of releases, a linked release's url and date), and
          // a compiledRelease given beside embedded releases: said with its first release
          const own = publishable(written, recordFindings(written, got));
          // (what reading the record found is said once: by the release it is in, else the first; a record without
          // embedded releases gives its compiled release, which the check.compiled-release warning names)
          if ('releases' in got && got.tagGiven !== undefined) {
            // its compiledRelease, tagged otherwise than ["compiled"]: checked as the compiled release it
            // is (check.compiled-release), the schema reading it as given, and its tag said
            const given = written['compiledRelease'];
            const said: Finding = { kind: 'check', rule: 'check.compiled-release-tag', severity: CHECK_RULES['check.compiled-release-tag']!.severity, pointer: '/tag', message: compiledTagMessage(got.tagGiven), value: (given as J)['tag'] };
            await one(got.releases[0], rec.provenance, rec.issues, given, [said], '/compiledRelease', own);
          } else if ('releases' in got) {
            // (each release's place in the record: the line and index are the record's)
            const list = Array.isArray(rec.data['releases']) ? (rec.data['releases'] as unknown[]) : [];
            const ats = got.releases.map((r) => (got.compiled ? '/compiledRelease' : `/releases/${list.indexOf(r)}`));
            // (what reading found inside a release is that release's, which it makes invalid; the rest of the
            // record's — its ocid, its compiledRelease beside the releases — is said with the first)
            const ownerOf = (i: Issue): number => Math.max(0, ats.findIndex((at) => i.pointer === at || (i.pointer ?? '').startsWith(`${at}/`)));
            for (const [k, r] of got.releases.entries()) {
              await one(r, rec.provenance, rec.issues.filter((i) => ownerOf(i) === k), writtenAt(k), got.compiled ? [] : otherOcid(rec.data, r), ats[k], k === 0 ? own : []);
            }
          }
          // (an OCDS record whose releases are linked only, without a compiledRelease: valid OCDS whose
          // releases cannot be validated here — they are not fetched —, said as a warning; its own fields,
          // its ocid, its links' url and date, are validated all the same)
          else if (linkedOnly(rec.data)) await linked(rec, got.reason, own);
          else await otherKind(rec, got.reason, own);
        } else await otherKind(rec);
      } else if (ev.type === 'reject') {
        // a record that could not be read is reported, not skipped: it cannot be valid
        const { provenance: p, code, reason } = ev.reject;
        // (its excerpt not quoted when the record names a person past it, as convert's rejects: rejectQuotesPerson)
        const excerpt = ev.reject.excerpt !== undefined && persons !== undefined && rejectQuotesPerson(persons, ev.reject.excerpt, ev.text) ? PERSON_WITHHELD : ev.reject.excerpt;
        const where: Located = { file: p.file, line: p.line, index: p.index, ocid: null, releaseId: null, buyer: null };
        rejected.set(p.file, [...(rejected.get(p.file) ?? []), code]);
        for (const row of report.add(where, publishable(undefined, [{ kind: 'input', rule: `input.${code}`, severity: 'error', pointer: '', message: reason, value: excerpt }]))) {
          const w = sink.row(row);
          if (w) await w;
        }
      } else if (ev.type === 'file-end') {
        const summary = ev.summary;
        const items = packageItems.get(ev.file.file);
        packageItems.delete(ev.file.file);
        if (summary.error?.fatal) {
          filesUnreadable++;
          fileErrors.push({ code: summary.error.code, message: summary.error.message });
          // (in the report too: an archived report of a run that could not read a file is not clean)
          for (const row of report.addFile(ev.file.file, [{ kind: 'input', rule: `input.${summary.error.code}`, severity: 'error', pointer: '', message: summary.error.message }])) {
            const w = sink.row(row);
            if (w) await w;
          }
          continue;
        }
        // what reading the file found: it holds no data, it is not UTF-8, its reading stopped early
        // (a syntax error that cost a record is said once, by that record's reject: the file's own
        // syntax issue and error are left out when a record was rejected for its syntax)
        const said = (rejected.get(ev.file.file) ?? []).some((c) => c === 'INGEST_FILE_SYNTAX' || c === 'INGEST_RECORD_SYNTAX' || c === 'INGEST_RECORD_TRUNCATED');
        // (an encoding fault is said once: by the records that have it, where they are, not again for
        // the file — an XML declaration of ISO-8859-1 over UTF-8 records is said by each, and the
        // file's summary counts them —; for the file when no record said it)
        const encoding = encodingSaid.get(ev.file.file);
        const findings: Array<Finding & { line?: number | undefined }> = summary.issues.filter((i) => !(said && i.code === 'INGEST_FILE_SYNTAX' && i.severity === 'error') && encoding?.has(i.code) !== true).map((i) => ({ ...inputFinding(i), line: i.line }));
        if (summary.error && !(said && /SYNTAX/.test(summary.error.code))) findings.push({ kind: 'input', rule: `input.${summary.error.code}`, severity: 'error', pointer: '', message: summary.error.message });
        // the package's own fields (uri, publisher, publishedDate, version…), as the package schema states
        // them: its releases or records were validated one by one
        if (summary.format === 'ocds-release-package' || summary.format === 'ocds-record-package') {
          const kind = summary.format === 'ocds-release-package' ? 'release' : 'record';
          // (each package's metadata where it is — a file of several, one per line or listed, at its line
          // and pointer there —, each different one once, publishedDate included: see packageChecks)
          const metas = summary.packageChecks ?? (summary.meta ? [{ meta: summary.meta, line: 0, pointer: '' }] : []);
          const several = metas.length > 1;
          for (const { meta, line, pointer: at } of metas) {
            for (const e of packageMetadataErrors(kind, meta)) {
              findings.push({ kind: 'schema', rule: `package.${e.keyword} ${e.pointer === '' ? '/' : e.pointer}`, severity: 'error', pointer: at + e.pointer, message: `the ${kind} package${several ? ` at line ${line}` : ''}: ${e.message}`, value: valueAt(meta, e.pointer), ...(several ? { line } : {}) });
            }
          }
          // its list of releases or records, as the package schema states it too (minItems 1,
          // uniqueItems): in a file of one package, whose records' indices are their places in it
          const list = `${metas[0]?.pointer ?? ''}/${kind}s`;
          if (metas.length <= 1 && (summary.packages?.length ?? 1) <= 1) {
            if (summary.read === 0) findings.push({ kind: 'schema', rule: `package.minItems /${kind}s`, severity: 'error', pointer: list, message: `the ${kind} package: must NOT have fewer than 1 items (its ${kind}s list is empty)`, value: undefined });
            for (const [i, j] of items?.identical ?? []) {
              findings.push({ kind: 'schema', rule: `package.uniqueItems /${kind}s`, severity: 'error', pointer: list, message: `the ${kind} package: must NOT have duplicate items (items ## ${i} and ${j} are identical)`, value: undefined });
            }
          }
        }
        // a 2019 DECP document's list of records, which its JSON schema wants distinct (`uniqueItems`;
        // 2024's lists and the XSDs have no such rule): the same record given twice in it
        if (options.decp && summary.format === 'decp-json' && summary.version === '2019') {
          for (const [i, j] of items?.identical ?? []) {
            findings.push({ kind: 'schema', rule: 'schema.uniqueItems /marches', severity: 'error', pointer: '/marches', message: `must NOT have duplicate items (items ## ${i} and ${j} are identical): the same record given twice in the file's list`, value: undefined });
          }
        }
        // (said once for the file, unless its records said where; not when --encoding says what it is)
        if (JSON_FORMATS.has(summary.format) && summary.encoding !== 'utf-8' && encoding?.has('INGEST_ENCODING_FALLBACK') !== true && options.encoding === undefined) {
          findings.push({ kind: 'input', rule: 'input.encoding', severity: 'error', pointer: '', message: `the file is not UTF-8 (read as ${summary.encoding}): JSON exchanged between systems is UTF-8 (RFC 8259), and so is OCDS data` });
        }
        for (const row of report.addFile(ev.file.file, publishable(undefined, findings))) {
          const w = sink.row(row);
          if (w) await w;
        }
      }
    }
  }
  return { report, filesUnreadable, fileErrors, notOcds };
}

/**
 * Which of our DECP schemas judges a record: 1.5.0 for 2019's; 2.0.0 for a record the reader took
 * for the interim generation (classify.ts: flat lists and a 2024 field) that shows the interim shape
 * (hasFlatList) — checked against 2.0.3, whose lists wrap their items, it would show shape "errors"
 * that 2.0.0 allows —; 2.0.3 for any other 2024 record.
 */
/** A value's JSON type as a message names it (`an object`, `null`). */
const typeText = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v === 'number' && Number.isInteger(v) ? 'an integer' : `a ${typeof v}`);

/**
 * An object that is a package but for its list: `releases` (or `records`) given, not as a list (`{}`,
 * a lone release, null). The package schema's findings on it: the list's type, and its metadata's.
 */
function notListed(d: J): { kind: 'release' | 'record'; findings: Finding[] } | undefined {
  const kind = 'releases' in d && !Array.isArray(d['releases']) ? 'release' : 'records' in d && !Array.isArray(d['records']) && !('releases' in d) ? 'record' : undefined;
  if (kind === undefined) return undefined;
  const list = `${kind}s`;
  const meta = { ...d };
  delete meta[list];
  const findings: Finding[] = [{ kind: 'schema', rule: `package.type /${list}`, severity: 'error', pointer: `/${list}`, message: `the ${kind} package: wrong type: expected array, got ${typeText(d[list])}`, value: d[list] !== null && typeof d[list] === 'object' ? undefined : d[list] }];
  for (const e of packageMetadataErrors(kind, meta)) findings.push({ kind: 'schema', rule: `package.${e.keyword} ${e.pointer === '' ? '/' : e.pointer}`, severity: 'error', pointer: e.pointer, message: `the ${kind} package: ${e.message}`, value: valueAt(meta, e.pointer) });
  return { kind, findings };
}

/** An id as a report names its record or buyer: a string or a number as written; anything else (null, `{}`, a list) names none (not `"null"`, `"[object Object]"`). */
const idText = (v: unknown): string | null => (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? String(v) : null);

/** An OCDS record whose releases are all linked releases (one or more), with neither a compiledRelease nor a versionedRelease. */
const linkedOnly = (record: J): boolean => {
  const list = record['releases'];
  return Array.isArray(list) && list.length > 0 && list.every((r) => isJsonObject(r) && isLinkedRelease(r)) && record['compiledRelease'] === undefined && record['versionedRelease'] === undefined;
};

export function decpSchemaOf(rec: Pick<SourceRecord, 'version' | 'data'>): keyof DecpValidators {
  if (rec.version === '2019') return '2019';
  return rec.version === '2023-interim' && hasFlatList(rec.data) ? '2023-interim' : '2024';
}

/** 2.0.3's lists and the wrapper of their items (2.0.0, the interim shape, lists the items bare). */
const WRAPPED_LISTS: Readonly<Record<string, string>> = { titulaires: 'titulaire', modifications: 'modification', concessionnaires: 'concessionnaire', actesSousTraitance: 'acteSousTraitance', modificationsActesSousTraitance: 'modificationActeSousTraitance', donneesExecution: 'donneesAnnuelles' };
const STRING_LISTS_2024 = ['techniques', 'modalitesExecution', 'typesPrix', 'considerationsSociales', 'considerationsEnvironnementales'];
/** The code lists 2.0.0 names in the singular (2.0.3: `techniques`, `modalitesExecution`, `typesPrix`). */
const LISTS_2_0_0 = ['technique', 'modaliteExecution', 'typePrix'];

/**
 * Does a record show the interim 2.0.0 shape (a list of bare items, a list of codes where 2.0.3 has
 * `{"considerationSociale":[…]}`, or a code list under 2.0.0's own name, `"technique"`)? One without
 * any such list is not taken for it: a 2.0.3 record missing its required lists is checked against
 * 2.0.3, and its missing fields reported.
 */
function hasFlatList(d: Record<string, unknown>): boolean {
  for (const [list, item] of Object.entries(WRAPPED_LISTS)) {
    const v = d[list];
    if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x) && !(item in x))) return true;
  }
  return STRING_LISTS_2024.some((k) => Array.isArray(d[k])) || LISTS_2_0_0.some((k) => k in d);
}

/**
 * Where a release of ours quotes its source as it came: a quality flag's `raw` (in a bare release, or
 * one embedded in an OCDS record). Its text looking double-encoded is the source's, which the flag and
 * the fields it names say already: no finding of its own (as the checks leave quality flags alone).
 */
const QUALITY_FLAG_QUOTE = /^(?:\/releases\/\d+|\/compiledRelease)?\/x_decp\/qualityFlags\/\d+\//;

/** Formats read as JSON (XML declares its own encoding). */
const JSON_FORMATS: ReadonlySet<string> = new Set(['decp-json', 'decp-jsonl', 'ocds-release-package', 'ocds-record-package', 'ocds-jsonl', 'ocds-json']);

/**
 * What reading a record found, as a finding `input.<code>`. The input is not what its format says
 * (repaired JSON or XML — a bare "&", a control character —, bytes that are not UTF-8 or not in the
 * encoding the XML declaration names, an element given twice where the XSD allows one, an
 * attribute on a value's element — the DECP XSDs have none —, a JSON key given twice in one object, a
 * document without data): an error, and the record is invalid. What reading changed without the
 * input being wrong (a key dropped as unsafe, a long number kept as text, text that looks
 * double-encoded, a DOCTYPE ignored): a warning.
 */
const INPUT_ERRORS: ReadonlySet<string> = new Set(['INGEST_JSON_REPAIRED', 'INGEST_XML_REPAIRED', 'INGEST_ENCODING_FALLBACK', 'INGEST_ENCODING_DECLARED_WRONG', 'INGEST_DUPLICATE_ELEMENT', 'INGEST_JSON_DUPLICATE_KEY', 'INGEST_FILE_SYNTAX', 'INGEST_XML_ATTRIBUTES_DROPPED']);

/**
 * What reading found, as a finding: its value what the issue quotes, else `there` (the value at its
 * pointer) when that is one value (a text, a number: not a list or an object of the record's).
 */
function inputFinding(i: Issue, there?: unknown): Finding {
  const error = INPUT_ERRORS.has(i.code);
  return { kind: 'input', rule: `input.${i.code}`, severity: error ? 'error' : 'warning', pointer: i.pointer ?? '', message: i.message, value: i.raw ?? (there !== null && typeof there === 'object' ? undefined : there) };
}

/** The value at a JSON pointer (for the report's "value" column). */
/**
 * What the schema reads of a record: the record as written, where reading it kept an integer a
 * double cannot hold as its digits (INGEST_LONG_NUMBER_AS_STRING, at its pointer): there it is a
 * number again, as the file wrote it (a `title` written as a number is a type error; an `amount` of
 * 17 digits is not). A copy; the record itself when nothing was kept so.
 */
function asWritten(record: unknown, issues: readonly Issue[]): unknown {
  const long = issues.filter((i) => i.code === 'INGEST_LONG_NUMBER_AS_STRING' && i.pointer !== undefined && typeof i.raw === 'string');
  const forbidden = issues.filter((i) => i.code === 'INGEST_FORBIDDEN_KEY' && i.pointer !== undefined && i.pointer !== '');
  if ((long.length === 0 && forbidden.length === 0) || record === null || typeof record !== 'object') return record;
  const copy = structuredClone(record) as J;
  // a key dropped as unsafe (`__proto__`, `constructor`) is a field of the record as written: there
  // again, as an own field (never a prototype), for the schema to judge (a 2024 DECP record takes no
  // field its schema does not list). Its value is not kept: no schema describes such a field, only
  // whether it is there counts.
  for (const i of forbidden) {
    const keys = pointerKeys(i.pointer!);
    const last = keys.pop();
    let into: unknown = copy;
    for (const k of keys) into = into !== null && typeof into === 'object' && Object.prototype.hasOwnProperty.call(into, k) ? (into as J)[k] : undefined;
    if (last !== undefined && into !== null && typeof into === 'object' && !Array.isArray(into) && !Object.prototype.hasOwnProperty.call(into, last)) Object.defineProperty(into, last, { value: null, enumerable: true, writable: true, configurable: true });
  }
  for (const i of long) {
    const keys = pointerKeys(i.pointer!);
    const last = keys.pop();
    let into: unknown = copy;
    for (const k of keys) into = into !== null && typeof into === 'object' ? (into as J)[k] : undefined;
    if (last !== undefined && into !== null && typeof into === 'object' && Object.prototype.hasOwnProperty.call(into, last) && (into as J)[last] === i.raw) (into as J)[last] = Number(i.raw);
  }
  return copy;
}

export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return undefined;
  let v: unknown = root;
  for (const k of pointerKeys(pointer)) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

