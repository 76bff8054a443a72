/**
 * The validation report: counts that add up, by rule, source file and buyer,
 * the most frequent problems with examples and their provenance, and every
 * finding as a row. Rendered as JSON (stable shape, summary first), CSV (one
 * row per finding, spreadsheet-safe) or one self-contained HTML page.
 */

/**
 * `schema`: the schema refuses the value; `input`: the input is not what its format says (a record
 * that cannot be read, JSON repaired, bytes that are not UTF-8, a record of another kind); `check`:
 * a check beyond the schema. A release with a schema or input error is invalid.
 */
export type FindingKind = 'schema' | 'check' | 'input';

export interface Finding {
  readonly kind: FindingKind;
  /** `schema.<keyword> <pointer with * for indices>`, `check.<name>`, or `input.<ingest code>` for a record that could not be read. */
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly pointer: string;
  readonly message: string;
  readonly value?: unknown;
}

export interface Located {
  readonly file: string;
  readonly line: number;
  /** 0-based position of the record in its file; null for a finding about the file as a whole. */
  readonly index: number | null;
  readonly ocid: string | null;
  readonly releaseId: string | null;
  readonly buyer: string | null;
}

export interface Row extends Located {
  readonly severity: 'error' | 'warning';
  readonly rule: string;
  readonly pointer: string;
  readonly message: string;
  readonly value: string;
}

interface Tally {
  releases: number;
  invalid: number;
  errors: number;
  warnings: number;
  /** Records whose releases could not be validated (an OCDS record of linked releases only): no release counted, valid or invalid. */
  notValidated: number;
}

const EXAMPLES = 3;

export interface ReportSummary {
  /** Releases validated (valid + invalid). */
  releases: number;
  valid: number;
  invalid: number;
  /**
   * Records whose releases were not validated: an OCDS record that links its releases (URLs, not
   * fetched) without a compiledRelease (input.linked-releases). Neither valid nor invalid; their own
   * fields' findings are counted in `errors` and `warnings`.
   */
  notValidated: number;
  errors: number;
  warnings: number;
  schemaErrors: number;
  checkErrors: number;
  /** Errors of the input itself (kind `input`). */
  inputErrors: number;
  files: number;
  schema: readonly string[];
}

export interface RuleSummary {
  rule: string;
  kind: FindingKind;
  severity: 'error' | 'warning';
  count: number;
  releases: number;
  message: string;
  examples: Row[];
}

/** The buyer a release without one is counted under. */
export const NO_BUYER = '(no buyer)';
/** Buyers the JSON report lists (most problems first, then by name). */
export const BUYERS_LISTED = 100;

export class ValidationReport {
  private readonly tally: Tally = { releases: 0, invalid: 0, errors: 0, warnings: 0, notValidated: 0 };
  private schemaErrors = 0;
  private inputErrors = 0;
  private checkErrors = 0;
  private readonly rules = new Map<string, RuleSummary & { lastRelease: number }>();
  private readonly sources = new Map<string, Tally>();
  private readonly buyers = new Map<string, Tally>();

  constructor(private readonly schemaSources: readonly string[]) {}

  /**
   * Add one release and its findings; returns the rows to stream out. `validated` false: a record
   * whose releases could not be validated (linked only), counted as such (`notValidated`), not as a
   * release, valid or invalid; its findings (its own fields') are counted all the same.
   */
  add(where: Located, findings: readonly Finding[], validated = true): Row[] {
    const invalid = findings.some((f) => f.kind !== 'check' && f.severity === 'error');
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    for (const t of [this.tally, at(this.sources, where.file), at(this.buyers, where.buyer ?? NO_BUYER)]) {
      if (!validated) t.notValidated++;
      else {
        t.releases++;
        if (invalid) t.invalid++;
      }
      t.errors += errors;
      t.warnings += warnings;
    }
    // (the number of the item added, which a rule counts its releases by)
    const n = this.tally.releases + this.tally.notValidated;
    return findings.map((f) => this.row(where, f, n));
  }

  /** A finding's row, counted in its rule (and, with `release`, the number of the release it is about). */
  private row(where: Located, f: Finding, release: number | null): Row {
    if (f.severity === 'error') {
      if (f.kind === 'schema') this.schemaErrors++;
      else if (f.kind === 'input') this.inputErrors++;
      else this.checkErrors++;
    }
    // (every text of the data is cut: a spreadsheet's cell holds 32,767 characters, and a 900,000-character ocid is data)
    const text = (t: string | null): string | null => (t === null ? null : cut(t, TEXT_MAX));
    const row: Row = { ...where, ocid: text(where.ocid), releaseId: text(where.releaseId), buyer: text(where.buyer), severity: f.severity, rule: f.rule, pointer: cut(f.pointer, TEXT_MAX), message: cut(f.message, TEXT_MAX), value: f.value === undefined ? '' : short(f.value) };
    const key = this.rules.has(f.rule) || this.rules.size < RULES_MAX ? f.rule : `${OTHER_RULES} (${f.severity})`;
    let r = this.rules.get(key);
    if (!r) {
      r = { rule: key, kind: f.kind, severity: f.severity, count: 0, releases: 0, message: key === f.rule ? row.message : `findings of rules past the first ${RULES_MAX}`, examples: [], lastRelease: -1 };
      this.rules.set(key, r);
    }
    r.count++;
    if (release !== null && r.lastRelease !== release) {
      r.releases++;
      r.lastRelease = release;
    }
    if (r.examples.length < EXAMPLES) r.examples.push(row);
    return row;
  }

  /**
   * Findings about a file as a whole (it holds no data, it is not UTF-8, its reading stopped early):
   * counted in the errors and warnings, not as a release. Their rows have the line of the issue when
   * it has one, else 0, and no index (no record).
   */
  addFile(file: string, findings: ReadonlyArray<Finding & { readonly line?: number | undefined }>): Row[] {
    return findings.map((f) => {
      const errors = f.severity === 'error' ? 1 : 0;
      for (const t of [this.tally, at(this.sources, file), at(this.buyers, NO_BUYER)]) {
        t.errors += errors;
        t.warnings += 1 - errors;
      }
      return this.row({ file, line: f.line ?? 0, index: null, ocid: null, releaseId: null, buyer: null }, f, null);
    });
  }

  /**
   * Count releases without findings in bulk (a store knows how many each file and buyer has):
   * by file (every file: the totals come from these), and by buyer for the buyers the report can
   * list — every buyer with findings, then the first BUYERS_LISTED others by name (see
   * buyerList); the others' counts would never be shown.
   */
  addValidCounts(byFile: Iterable<readonly [string, number]>, byBuyer: Iterable<readonly [string | null, number]>, buyers?: number): void {
    // (how many buyers there are, when the counts do not list them all)
    if (buyers !== undefined) this.buyersKnown = buyers;
    for (const [file, n] of byFile) {
      this.tally.releases += n;
      at(this.sources, file).releases += n;
    }
    for (const [buyer, n] of byBuyer) at(this.buyers, buyer ?? NO_BUYER).releases += n;
  }

  summary(): ReportSummary {
    const t = this.tally;
    return { releases: t.releases, valid: t.releases - t.invalid, invalid: t.invalid, notValidated: t.notValidated, errors: t.errors, warnings: t.warnings, schemaErrors: this.schemaErrors, checkErrors: this.checkErrors, inputErrors: this.inputErrors, files: this.sources.size, schema: this.schemaSources };
  }

  /** Rules, most frequent first (ties: by name, so that the order is stable). */
  ruleList(): RuleSummary[] {
    return [...this.rules.values()].map(({ lastRelease: _l, ...r }) => r).sort((a, b) => (a.severity !== b.severity ? (a.severity === 'error' ? -1 : 1) : b.count - a.count || (a.rule < b.rule ? -1 : 1)));
  }

  sourceList(): Array<{ file: string } & Tally> {
    return [...this.sources.entries()].map(([file, t]) => ({ file, ...t })).sort((a, b) => (a.file < b.file ? -1 : 1));
  }

  /** Buyers (those without one counted as one). */
  get buyerCount(): number {
    return Math.max(this.buyers.size, this.buyersKnown);
  }

  private buyersKnown = 0;

  buyerList(limit = BUYERS_LISTED): Array<{ buyer: string } & Tally> {
    return [...this.buyers.entries()]
      .map(([buyer, t]) => ({ buyer, ...t }))
      // errors first, then warnings (33 errors above 40 warnings)
      .sort((a, b) => b.errors - a.errors || b.warnings - a.warnings || (a.buyer < b.buyer ? -1 : 1))
      .slice(0, limit);
  }

  /** The JSON report's head: everything but the rows (which are streamed after it). */
  head(): Record<string, unknown> {
    // (`buyersTotal`: how many buyers there are; `buyers` lists the first BUYERS_LISTED of them)
    return { summary: this.summary(), rules: this.ruleList(), sources: this.sourceList(), buyers: this.buyerList(), buyersTotal: this.buyerCount };
  }
}

function at(m: Map<string, Tally>, key: string): Tally {
  let t = m.get(key);
  if (!t) {
    t = { releases: 0, invalid: 0, errors: 0, warnings: 0, notValidated: 0 };
    m.set(key, t);
  }
  return t;
}

function short(v: unknown): string {
  let t: string;
  try {
    t = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  } catch {
    t = String(v);
  }
  return cut(t, 120);
}

/** A text of at most `max` characters and an ellipsis (never half of a surrogate pair: an emoji stays whole or goes). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** A message or buyer longer than this is cut (some quote a raw value: a spreadsheet cell holds 32,767 characters). */
const TEXT_MAX = 1000;

/**
 * Rules the report counts one by one; past them, findings are counted under one rule (each row
 * keeps its own): rules whose pointer holds data (object keys) must not grow the report with the data.
 */
const RULES_MAX = 5000;
const OTHER_RULES = 'more rules than the report lists';

/** Rule id of a schema error: keyword and pointer with array indices generalised. */
export function schemaRule(keyword: string, pointer: string): string {
  // (array indices, and the language of a multilingual field, `title_fr`, `title_x-123`: data, not rule)
  return `schema.${keyword} ${pointer.replace(/\/\d+(?=\/|$)/g, '/*').replace(/\/(?!x_)([a-z][A-Za-z]*)_(?:[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*|x(?:-[A-Za-z0-9]{1,8})+)(?=\/|$)/g, '/$1_*') || '/'}`;
}

// ---- CSV -------------------------------------------------------------------------------------

export const CSV_COLUMNS = ['file', 'line', 'index', 'ocid', 'release_id', 'buyer', 'severity', 'rule', 'pointer', 'message', 'value'] as const;

/**
 * One CSV cell: quoted when needed; a cell that a spreadsheet would read as a
 * formula (= + - @, tab, carriage return) is prefixed with an apostrophe.
 */
export function csvCell(value: unknown): string {
  let t = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(t)) t = `'${t}`;
  // (quoted on ";" and tab too: a spreadsheet set to French splits on ";", and the formula guard
  // above would then guard the first piece only)
  return /[",;\t\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function csvRow(r: Row): string {
  return [r.file, r.line, r.index, r.ocid ?? '', r.releaseId ?? '', r.buyer ?? '', r.severity, r.rule, r.pointer, r.message, r.value].map(csvCell).join(',');
}

// ---- HTML ------------------------------------------------------------------------------------

/** Escape text for HTML (element content and attribute values). */
function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Buyers the HTML page shows (the JSON report lists BUYERS_LISTED). */
const BUYERS_SHOWN = 50;

/** One self-contained page: no network resource, no script. */
export function renderHtml(
  report: ValidationReport,
  meta: {
    title: string;
    generatedAt: string;
    legend: Readonly<Record<string, { title: string }>>;
    /** What is validated, in the plural ("releases", "DECP records"; default releases). */
    unit?: string;
    /** What a finding's `releaseId` is called ("DECP id" for a DECP record's id; default release). */
    idLabel?: string;
    /** The other reports written with this page (they list every finding). */
    companions?: readonly string[];
  },
): string {
  const s = report.summary();
  const unit = meta.unit ?? 'releases';
  const idLabel = meta.idLabel ?? 'release';
  const listed = (meta.companions ?? []).filter((c) => /\.(json|csv)$/i.test(c));
  const rules = report.ruleList();
  const e = escapeHtml;
  // floor, so that 6272 of 6274 never reads as 100 %
  const pct = (a: number, b: number): string => (b === 0 ? '0' : (Math.floor((1000 * a) / b) / 10).toFixed(1));
  const verdict = s.errors === 0 ? (s.warnings === 0 ? 'No problem found.' : 'No error; some warnings to look at.') : 'Errors found: start with the first rows of "What to fix first".';
  const rows = (xs: string[][]): string => xs.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  const heads = (names: readonly string[]): string => names.map((n) => `<th scope="col">${e(n)}</th>`).join('');
  const buyers = report.buyerList(BUYERS_SHOWN + 1);
  // (an example's record is counted from 1, as a reader counts them, the page says so: the JSON and
  // CSV reports' index, a machine's field, counts from 0; it is named as their rows name it, by its
  // ocid — what convert and run give a DECP record, the rows of the store's tables — then by its id,
  // the DECP id by which an auditor finds it in its source, or its release's)
  const ruleRows = rules.map((r, k) => [
    String(k + 1),
    `<span class="sev ${e(r.severity)}">${e(r.severity)}</span>`,
    `<code>${e(r.rule)}</code><div class="muted">${e(meta.legend[r.rule]?.title ?? r.message)}</div>`,
    e(r.count),
    e(r.releases),
    r.examples.map((x) => `<div class="ex"><code>${e(x.pointer)}</code> ${e(x.message)}${x.value ? ` — <q>${e(x.value)}</q>` : ''}<div class="muted">${e(x.file)}${x.index === null ? `, the file as a whole${x.line > 0 ? ` (line ${e(x.line)})` : ''}` : `, line ${e(x.line)}, record ${e(x.index + 1)}`}${x.ocid ? `, ocid ${e(x.ocid)}` : ''}${x.releaseId ? `, ${e(idLabel)} ${e(x.releaseId)}` : ''}</div></div>`).join(''),
  ]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(meta.title)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}table{border-collapse:collapse;width:100%;table-layout:fixed}td,th{border-bottom:1px solid #eee;padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
#rules th:nth-child(1){width:2.5rem}#rules th:nth-child(2){width:5.5rem}#rules th:nth-child(3){width:26%}#rules th:nth-child(4),#rules th:nth-child(5){width:5.5rem}
caption{text-align:left;color:#666;font-size:.85em;padding:.2rem 0}th{background:#f6f6f6}.muted{color:#666;font-size:.85em}.sev{font-weight:600;border-radius:4px;padding:0 .35rem}
.sev.error{background:#fde2e1;color:#8a1c1c}.sev.warning{background:#fff1cc;color:#6b4e00}.ex{margin:.2rem 0}code{font-size:.9em;word-break:break-all}q{word-break:break-all}
</style>
</head>
<body>
<h1>${e(meta.title)}</h1>
<p class="muted">Generated ${e(meta.generatedAt)} · schema: ${s.schema.map((x) => `<code>${e(x)}</code>`).join(', ')}</p>
<p id="verdict"><strong>${e(verdict)}</strong></p>
<div class="cards">
<div class="card"><b id="n-releases">${e(s.releases)}</b>${e(unit)}</div>
<div class="card"><b id="n-valid">${e(s.valid)}</b>without schema or input error (${pct(s.valid, s.releases)} %)</div>
<div class="card"><b id="n-invalid">${e(s.invalid)}</b>invalid</div>${s.notValidated > 0 ? `\n<div class="card"><b id="n-not-validated">${e(s.notValidated)}</b>OCDS record(s) not validated: linked releases only (<code>input.linked-releases</code>)</div>` : ''}
<div class="card"><b id="n-errors">${e(s.errors)}</b>errors (${e(s.schemaErrors)} schema, ${e(s.inputErrors)} input, ${e(s.checkErrors)} checks)</div>
<div class="card"><b id="n-warnings">${e(s.warnings)}</b>warnings</div>
</div>
<h2>What to fix first</h2>
<p class="muted">Problems grouped by rule, errors first, most frequent first, with up to ${EXAMPLES} examples and where they come from (lines and records of a file counted from 1; the <code>index</code> of the JSON and CSV reports counts records from 0). ${listed.length > 0 ? `Every finding, with its file, line, record and field, is in ${listed.map((c) => `<code>${e(c)}</code>`).join(' and ')}, written with this page.` : 'Every finding, with its file, line, record and field, is listed in a JSON or CSV report (<code>--report FILE.json</code>, <code>--report FILE.csv</code>), not written this time.'}</p>
<table id="rules"><caption>Findings by rule</caption><thead><tr>${heads(['#', 'severity', 'rule', 'findings', unit, 'examples'])}</tr></thead>
<tbody>
${rows(ruleRows)}
</tbody></table>
<h2>By source file</h2>
<table id="sources"><caption>${e(unit[0]!.toUpperCase() + unit.slice(1))} and findings by source file</caption><thead><tr>${heads(['file', unit, 'invalid', 'errors', 'warnings'])}</tr></thead>
<tbody>
${rows(report.sourceList().map((x) => [e(x.file), e(x.releases), e(x.invalid), e(x.errors), e(x.warnings)]))}
</tbody></table>
<h2>By buyer (most problems first)</h2>
<table id="buyers"><caption>${e(unit[0]!.toUpperCase() + unit.slice(1))} and findings by buyer${buyers.length > BUYERS_SHOWN ? ` (the first ${BUYERS_SHOWN} of ${report.buyerCount}; the JSON report lists the first ${BUYERS_LISTED}, and how many there are)` : ''}</caption><thead><tr>${heads(['buyer', unit, 'invalid', 'errors', 'warnings'])}</tr></thead>
<tbody>
${rows(buyers.slice(0, BUYERS_SHOWN).map((x) => [e(x.buyer), e(x.releases), e(x.invalid), e(x.errors), e(x.warnings)]))}
</tbody></table>
</body>
</html>
`;
}
