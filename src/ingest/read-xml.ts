/**
 * DECP XML reader (2019 and 2024): decompressed bytes → SourceRecord / reject events.
 *
 * Records are the children `<marche>` / `<contrat-concession>` of a `<marches>`
 * root, or the root itself when a document holds a lone record. Each record
 * becomes the same plain object as its JSON counterpart of the same generation:
 * - text elements → strings (codes stay strings: `00123`, `2A004`), but the elements the XSD types
 *   as numbers (amounts, rates, durations, counts, a modification's id), whose text is then read as
 *   the XSD reads it (`1.234`, `+12`, `.5`), as the JSON twin gives them (see xsdNumber);
 * - list wrappers (`<titulaires><titulaire>…`) → arrays; 2019 lists are plain
 *   (`"titulaires":[{…}]`), 2024 lists keep the item wrapper of the 2024 JSON
 *   (`"titulaires":[{"titulaire":{…}}]`, `"techniques":{"technique":[…]}`), whatever shape other
 *   writers give them (wrapper repeated, items named as it, no wrapper: see gatherLists);
 * - element names are matched whatever their case (`<Montant>`, `<Titulaires>`), kept as written;
 * - a repeated single element keeps its first value and is flagged.
 *
 * Hostile input: a DOCTYPE is never processed (its declarations are ignored and
 * flagged), entities other than the five predefined ones are never expanded (the
 * record that uses one is rejected), element names `__proto__`/`constructor`/
 * `prototype` are dropped, depth and size per record are capped.
 * saxes is used in its fail-soft mode: after a well-formedness error inside a
 * record, that record is rejected and reading goes on with the next one.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { SaxesParser } from 'saxes';
import { issue, type Issue } from '../core/issues.js';
import { decodeDeclaredLatin1, decodeRecord, isLatin1Label, isUtf8BeyondChance, looksLikeMojibake } from './decode.js';
import { batchesOf, type FileState } from './file-state.js';
import { decpContainer, type SplitLimits } from './json-splitter.js';
import { buyerKeyIssue, classifyRecord, CONCEPTS_2024, misfiledAs, misfiledIssue, mixedGenerationIssue, NAMED_2019, outweighs2019Name } from './classify.js';
import { FORBIDDEN_KEYS } from '../core/keys.js';
import { exactInteger } from './parse-record.js';
import { isHtmlOnlyName } from '../transform/html-references.js';
import { PLAIN_DECIMAL } from '../transform/amounts.js';
import type { DecpVersion, IngestEvent, RecordType } from './types.js';

export interface XmlReadOptions extends SplitLimits {
  readonly shouldStop: () => boolean;
}

/** List wrappers of the DECP XML (2019 and 2024) and the name of their items (as JSON spells it). */
const LISTS: Readonly<Record<string, string>> = {
  titulaires: 'titulaire',
  modifications: 'modification',
  concessionnaires: 'concessionnaire',
  donneesExecution: 'donneesAnnuelles',
  tarifs: 'tarif',
  actesSousTraitance: 'acteSousTraitance',
  modificationsActesSousTraitance: 'modificationActeSousTraitance',
  techniques: 'technique',
  modalitesExecution: 'modaliteExecution',
  typesPrix: 'typePrix',
  considerationsSociales: 'considerationSociale',
  considerationsEnvironnementales: 'considerationEnvironnementale',
};
/** How deep a DECP document is looked for in an envelope of other elements (`<export><data><marches>`). */
const ENVELOPE_DEPTH = 3;

/** "<" between records that open no element, said one by one in a file's issues (the rest counted). */
const STRAYS_LISTED = 20;

/**
 * Element names are looked up whatever their case (`<Titulaires>`, `<Montant>`: exports that
 * capitalise DECP's names); the record keeps them as written (the mapping respells them, flagged).
 */
function anyCase(names: Iterable<string>): ReadonlySet<string> {
  return new Set([...names].map((n) => n.toLowerCase()));
}
const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The lists of LISTS by the lower-case name of their wrapper. */
const LIST_NAMES: ReadonlyMap<string, string> = new Map(Object.keys(LISTS).map((list) => [list.toLowerCase(), list]));
/** The item name of a list wrapper (`titulaires` → `titulaire`), whatever its case. */
const itemOf = (name: string): string | undefined => {
  const list = LIST_NAMES.get(name.toLowerCase());
  return list === undefined ? undefined : LISTS[list];
};
/**
 * Other spellings of an item name: the 2024 XSD names the items of `modificationsActesSousTraitance`
 * `modificationActesSousTraitance`, its JSON schema `modificationActeSousTraitance` (read as JSON's).
 */
const ITEM_ALIASES: ReadonlyMap<string, string> = new Map([['modificationactessoustraitance', 'modificationActeSousTraitance']]);
/** Is this element named as an item of the list whose items are `item`, whatever its case? */
const isItemOf = (name: string, item: string): boolean => sameName(name, item) || ITEM_ALIASES.get(name.toLowerCase()) === item;
/** The list (its wrapper's name in LISTS) whose items are named so, whatever the case. */
const LIST_OF_ITEM: ReadonlyMap<string, string> = new Map([
  ...Object.entries(LISTS).map(([list, item]): [string, string] => [item.toLowerCase(), list]),
  ['modificationactessoustraitance', 'modificationsActesSousTraitance'],
]);
/**
 * The lists the 2.0.0 XSD (the interim 2023 format) names after their own items, `<technique>
 * <technique>Accord-cadre</technique><technique>Concours</technique></technique>`, where 2.0.2 has
 * `<techniques>`: read as lists, as the interim JSON gives them (`"technique": […]`).
 */
const INTERIM_LISTS: ReadonlySet<string> = anyCase(['technique', 'modaliteExecution', 'typePrix']);
const PLURAL_LISTS: ReadonlySet<string> = anyCase(['techniques', 'modalitesExecution', 'typesPrix']);
/** A record of the 2.0.0 XSD: one of its self-named lists, none of 2.0.2's. */
const isInterim = (root: XNode): boolean => root.children.some((c) => INTERIM_LISTS.has(c.name.toLowerCase())) && !root.children.some((c) => PLURAL_LISTS.has(c.name.toLowerCase()));
/** 2024 JSON keeps these string lists as `{"item":[…]}` rather than `[{"item":…}]`. */
const STRING_LISTS: ReadonlySet<string> = anyCase(['techniques', 'modalitesExecution', 'typesPrix', 'considerationsSociales', 'considerationsEnvironnementales']);
/** The record fields that tell a generation (classify.ts), whatever their case. */
const NAMED_2019_ANY_CASE = anyCase(NAMED_2019);
interface XNode {
  readonly name: string;
  readonly children: XNode[];
  text: string;
  /**
   * Its attributes but the XML machinery's (`xmlns`, `xsi:nil`…), as values: some exports write a
   * party as `<titulaire id="…" denominationSociale="…"/>`, a record's id as `<marche id="…">`.
   */
  readonly attributes: ReadonlyArray<readonly [string, string]>;
  /**
   * Its texts and elements in document order, only when it holds both (mixed content: `Travaux de
   * voirie<br/>Lot 1`, `<b>Eclairage</b> public`, markup pasted into a text field).
   */
  content?: Array<string | XNode>;
  /** Has it text that is not blank (set as its texts come)? */
  filled?: boolean;
}

/** Is the text blanks only (spaces, tabs, line breaks: XML's white space)? */
function isBlank(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/**
 * A mixed element's text: its texts and its elements' texts in document order, an empty element
 * (`<br/>`) read as a space, runs of spaces made one, trimmed.
 */
function textContent(node: XNode): string {
  const parts: string[] = [];
  const walk = (n: XNode): void => {
    if (n.content) {
      for (const c of n.content) {
        if (typeof c === 'string') parts.push(c);
        else walk(c);
      }
    }
    else if (n.children.length === 0) parts.push(n.text === '' ? ' ' : n.text);
    else for (const c of n.children) walk(c);
  };
  walk(node);
  return parts.join('').replace(/ {2,}/g, ' ').trim();
}

/**
 * HTML's text markup, what an export pastes into a text field (from a word processor or a web
 * form): a mixed element whose elements are all of these is a text with markup; one holding
 * another element (`<acheteur>Ville<id>…</id></acheteur>`) is data with stray text. Not `<code>`:
 * a DECP element (`<lieuExecution>Croix<code>59170</code>` is data).
 */
const HTML_TEXT_TAGS: ReadonlySet<string> = new Set(['a', 'abbr', 'b', 'big', 'blockquote', 'br', 'cite', 'del', 'div', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'ins', 'li', 'mark', 'ol', 'p', 'q', 's', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'tt', 'u', 'ul', 'wbr']);

/** Are all the elements inside this one HTML's text markup? */
function onlyTextMarkup(node: XNode): boolean {
  return node.children.every((c) => HTML_TEXT_TAGS.has(c.name.toLowerCase()) && onlyTextMarkup(c));
}

/** The names of the elements inside a mixed element (`<br>, <b>`), for its flag. */
function markupNames(node: XNode): string {
  const names = new Set<string>();
  const walk = (n: XNode): void => {
    for (const c of n.children) {
      names.add(`<${c.name}>`);
      walk(c);
    }
  };
  walk(node);
  return [...names].slice(0, 5).join(', ');
}

const NO_ATTRIBUTES: Array<readonly [string, string]> = [];

/**
 * An element that holds nothing (`<idAccordCadre/>`, `xsi:nil="true"`): a 2024 field given so says
 * nothing of the record's generation (see classify's has2024Field).
 */
/** `<modifications>` whose `<modification>` gives an `<id>`: only the 2024 formats number them (see classify.ts). */
const numberedModifications = (node: XNode): boolean =>
  sameName(node.name, 'modifications') && node.children.some((m) => sameName(m.name, 'modification') && m.children.some((g) => sameName(g.name, 'id') && !isEmptyElement(g)));

const isEmptyElement = (node: XNode): boolean => node.children.length === 0 && node.attributes.length === 0 && node.text.trim() === '';

/**
 * Attributes that are about the XML, not data: namespace declarations, and every attribute with a
 * prefix (`xsi:nil`, `i:nil` as .NET writes it, `xml:lang`): a record's own data is never prefixed,
 * and the prefix's namespace is often declared outside the record.
 */
const isXmlMachinery = (name: string): boolean => name === 'xmlns' || name.includes(':');

/** Encoding named in the XML declaration, if any. */
export function declaredXmlEncoding(head: Buffer): string | undefined {
  const text = head.subarray(0, 512).toString('latin1');
  const m = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(text);
  return m?.[1];
}

export async function* readXml(chunks: AsyncIterable<Buffer>, state: FileState, options: XmlReadOptions): AsyncGenerator<IngestEvent[]> {
  const splitter = new XmlRecordSplitter(options.maxRecordBytes, 1 + state.leadingLines);
  let fileVersion: DecpVersion | null = null;
  const handle = (ev: XmlSplitEvent): IngestEvent | null => {
    switch (ev.type) {
      case 'doctype':
        state.issues.push(issue('INGEST_XML_DOCTYPE_IGNORED', 'warning', 'DOCTYPE ignored: its declarations and entities are never processed', { file: state.file.file, line: ev.line }));
        return null;
      case 'stray':
        // (one by one up to a few, the splitter counts the others: a file of such text would hold an issue per "<")
        state.issues.push(
          issue(
            'INGEST_FILE_SYNTAX',
            'warning',
            ev.closing === undefined ? `a "<" at line ${ev.line}, column ${ev.column} opens no element (text between records is not XML): skipped` : `a closing tag </${ev.closing}> at line ${ev.line}, column ${ev.column} closes no element open between records: skipped`,
            { file: state.file.file, line: ev.line },
          ),
        );
        return null;
      case 'unclosed':
        state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `${ev.what} opened at line ${ev.line}, column ${ev.column} never closes: read past as text, the markup after it read as usual`, { file: state.file.file, line: ev.line }));
        return null;
      case 'bad-record':
        return state.reject({ line: ev.line, column: ev.column }, ev.code, ev.message);
      case 'record': {
        const where = { line: ev.line, column: ev.column };
        // a declaration of ISO-8859-1 over bytes that are UTF-8 beyond ASCII (a hard-coded header):
        // the bytes say UTF-8 (Latin-1 text is almost never valid UTF-8 as well), read as such; but
        // not the UTF-8 that Latin-1 makes by chance ("CAFÉ" then a no-break space, C9 A0: "ɠ")
        const declaredWrong = state.declaredSingleByte !== null && !isAscii(ev.bytes) && isUtf8(ev.bytes) && isUtf8BeyondChance(ev.bytes);
        // (a declaration of ISO-8859-1 keeps a UTF-8 character's bytes Latin-1's: decodeDeclaredLatin1)
        const decoded = declaredWrong
          ? { text: ev.bytes.toString('utf8'), encoding: 'utf-8' as const, fellBack: false }
          : state.encoding === 'windows-1252' && state.declaredSingleByte !== null && isLatin1Label(state.declaredSingleByte)
            ? { text: decodeDeclaredLatin1(ev.bytes), encoding: state.encoding, fellBack: false }
            : decodeRecord(ev.bytes, state.encoding);
        if (declaredWrong) state.declaredWrong++;
        else if (state.declaredSingleByte !== null && !isAscii(ev.bytes)) state.declaredKept++;
        if (decoded.fellBack) state.fellBack = true;
        const built = buildRecord(decoded.text, ev.name, ev.line, options.maxDepth);
        if (!built.ok) return state.rejectQuoting(where, built.code, built.message, ev.bytes);
        // an element of another name that holds only text is a value of the list (metadata), not a record
        if (ev.kind === null && built.root.children.length === 0) return null;
        // (lists first: a record's generation is read from them too, a modification's id)
        const shapes: Issue[] = [];
        gatherLists(built.root, '', shapes);
        // the record's own fields say which generation it is when they can (a buyer's or place's name,
        // which the 2024 formats left out: 2019, even beside a 2024 field or two, an extra field of a
        // 2019 record as its schema allows, unless enough 2024 fields outweigh it: a 2024 export's
        // leftover, classify's outweighs2019Name, the rule its JSON twins follow; else a 2024 field);
        // a record of neither is of the file's (a 2024 record need not have an optional 2024 field),
        // so a file mixing both does not relabel its 2019 records
        const names: string[] = [];
        const concepts = new Set<string>();
        let numbered = false;
        for (const c of built.root.children) {
          const concept = CONCEPTS_2024.get(c.name.toLowerCase());
          if (concept !== undefined) {
            if (!isEmptyElement(c)) concepts.add(concept);
          } else if (NAMED_2019_ANY_CASE.has(c.name.toLowerCase())) {
            const nom = c.children.find((g) => sameName(g.name, 'nom'));
            if (nom !== undefined) names.push(`${c.name}.${nom.name}`);
          } else if (numberedModifications(c)) numbered = true;
        }
        const outweighed = names.length > 0 && outweighs2019Name(concepts.size, numbered);
        const own: DecpVersion | null = names.length > 0 && !outweighed ? '2019' : concepts.size > 0 || numbered ? (isInterim(built.root) ? '2023-interim' : '2024') : null;
        const version: DecpVersion = own ?? fileVersion ?? '2019';
        // (a record of both generations' marks leaves the file's as it was: the records after it, of
        // neither, are read as they would be without it)
        if (own === '2024' && !outweighed) fileVersion = '2024';
        const issues: Issue[] = [];
        if (decoded.fellBack) issues.push(issue('INGEST_ENCODING_FALLBACK', 'warning', 'record bytes are not all valid UTF-8: those that are not were decoded as Windows-1252'));
        if (built.bareAmpersands > 0) issues.push(issue('INGEST_XML_REPAIRED', 'warning', `${built.bareAmpersands} "&" that start no entity reference (XML wants "&amp;"): read as the character`));
        if (built.htmlReferences > 0) issues.push(issue('INGEST_XML_REPAIRED', 'warning', `${built.htmlReferences} reference(s) to HTML's named characters ("&eacute;", "&nbsp;": XML defines only five): kept as text, as a JSON export holds them, which the mapping decodes in free text`));
        if (built.lessThans > 0) issues.push(issue('INGEST_XML_REPAIRED', 'warning', `${built.lessThans} "<" that open no tag (XML wants "&lt;"): read as the character`));
        if (built.references > 0) issues.push(issue('INGEST_XML_REPAIRED', 'warning', `${built.references} character reference(s) to characters XML does not allow ("&#11;", a surrogate pair's halves "&#xD83D;&#xDE00;"): a control read as a space, a pair as its character, any other as U+FFFD`));
        if (built.controls > 0) issues.push(issue('INGEST_XML_REPAIRED', 'warning', `${built.controls} control character(s) XML does not allow (U+0001…U+001F but tab and line breaks) replaced by spaces`));
        if (declaredWrong) issues.push(issue('INGEST_ENCODING_DECLARED_WRONG', 'warning', `the XML declaration says ${JSON.stringify(state.declaredSingleByte)} but this record's bytes are UTF-8: read as UTF-8`));
        issues.push(...shapes);
        if (outweighed) issues.push(mixedGenerationIssue(names, version));
        const data = toObject(built.root, version, '', issues);
        let type: RecordType | null = ev.kind;
        const misfiled = type === null ? null : misfiledAs(data, type);
        if (misfiled !== null && type !== null) {
          issues.push(misfiledIssue(misfiled, type));
          type = misfiled;
        }
        if (type === null) {
          // which kind, from its fields, as a JSON record under `marches` (convert rejects an unknown one)
          type = classifyRecord(data, null).type;
          if (type !== 'marche' && type !== 'contrat-concession') {
            type = 'unknown';
            state.unknownRecords++;
            issues.push(issue('INGEST_UNKNOWN_RECORD_TYPE', 'warning', `<${ev.name}> under <marches> is neither a DECP marché nor a contrat de concession (elements: ${built.root.children.slice(0, 8).map((c) => c.name).join(', ')})`));
          }
        }
        const buyerKey = buyerKeyIssue(data, type);
        if (buyerKey) issues.push(buyerKey);
        return state.accept({ type, version, data, provenance: state.provenance(where), issues });
      }
    }
  };
  // whole chunks: this splitter joins what it holds with each new piece, so an open record (or a long
  // comment or CDATA) would be copied once per slice instead of once per read
  yield* batchesOf(chunks, state, splitter, handle, options.shouldStop, undefined, Number.POSITIVE_INFINITY);
  finish();

  function finish(): void {
    state.format = 'decp-xml';
    state.version = state.dominantVersion();
    if (state.fellBack) state.encoding = 'windows-1252';
    // (what the file's records beyond ASCII were read as, most of them)
    else if (state.declaredWrong > state.declaredKept) state.encoding = 'utf-8';
    if (state.declaredWrong > 0) state.issues.push(issue('INGEST_ENCODING_DECLARED_WRONG', 'warning', `the XML declaration says ${JSON.stringify(state.declaredSingleByte)} but ${state.declaredWrong} record(s) are written in UTF-8: read as UTF-8`, { file: state.file.file }));
    const rootName = splitter.rootName ?? 'marches';
    if (splitter.recordsAfterRoot !== null) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `${splitter.recordsAfterRoot.n} record(s) after the root </${rootName}> closed, the first at line ${splitter.recordsAfterRoot.line}: read, though outside the document`, { file: state.file.file, line: splitter.recordsAfterRoot.line }));
    if (splitter.textAfterRoot !== null) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `text after the root </${rootName}> closed, at line ${splitter.textAfterRoot.line}: not XML, not read`, { file: state.file.file, line: splitter.textAfterRoot.line }));
    if (splitter.strays > STRAYS_LISTED) state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `${splitter.strays - STRAYS_LISTED} more "<" that open no element, or closing tags that close none, between records: skipped`, { file: state.file.file }));
    const root = splitter.rootName;
    // (a document of other elements only, looked into for a DECP root that never came: its first one)
    const foreign = root === null ? splitter.firstElement : root.toLowerCase() !== 'marches' && decpContainer(root) === null ? root : null;
    if (foreign !== null) {
      state.format = 'unknown';
      state.error = { code: 'INGEST_UNKNOWN_FORMAT', message: `${state.file.file}: XML root <${foreign}> is neither <marches>, <marche> nor <contrat-concession>, nor does it hold one within ${ENVELOPE_DEPTH} levels`, fatal: true };
    } else if (splitter.wrappedIn !== null) {
      state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the document is inside <${splitter.wrappedIn.split('/').join('><')}> (not a DECP root): its <${root}> read there`, { file: state.file.file }));
    }
    // a document that ends between records, its root never closed: cut short (a download broken off
    // at a record's end says nothing else); its records are read, and the file says so
    const over = splitter.rootClosedOver;
    if (foreign === null && root !== null && splitter.open && over !== null) {
      // (the root closed by its name, an element inside it left open: the document is whole)
      state.issues.push(issue('INGEST_FILE_SYNTAX', 'warning', `the root </${root}> at line ${over.line} closes with element(s) inside it never closed${over.open === null ? '' : ` (<${over.open.name}> at line ${over.open.line})`}: the document is read as whole`, { file: state.file.file, line: over.line }));
    } else if (foreign === null && root !== null && splitter.open && state.error === undefined && !options.shouldStop?.()) {
      const after = splitter.afterRoot;
      state.error = {
        code: 'INGEST_SYNTAX',
        // (text and elements after the root closed: the element left open is theirs, not the root)
        message: after === null ? `the document ends before its root <${root}> closes: the file is cut short` : `the document goes on after its root <${root}> closed: <${after.name}> at line ${after.line} is never closed`,
        fatal: false,
      };
    }
  }
}

/** An element's name without its namespace prefix (`d:marche` → `marche`): DECP has one vocabulary. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

type XmlSplitEvent =
  // kind null: an element of another name under the root <marches>, read as a record (its content says which)
  | { type: 'record'; name: string; kind: 'marche' | 'contrat-concession' | null; bytes: Buffer; line: number; column: number }
  | { type: 'bad-record'; code: 'INGEST_RECORD_TRUNCATED' | 'INGEST_RECORD_SYNTAX' | 'INGEST_RECORD_TOO_LARGE'; message: string; line: number; column: number }
  | { type: 'doctype'; line: number }
  // a `<` that opens no element, outside any record (text there is not XML): skipped, said
  | { type: 'stray'; line: number; column: number; closing?: string }
  // markup never closed before the input's end, outside any record (`<!--` left open): read past
  | { type: 'unclosed'; what: string; line: number; column: number };

const LT = 0x3c;
const GT = 0x3e;
const NL = 0x0a;
const CR = 0x0d;

/**
 * Finds `<marche>…</marche>` and `<contrat-concession>…</contrat-concession>`
 * in XML bytes, skipping comments, CDATA, processing instructions and the
 * DOCTYPE. Records never nest in DECP, so an opening record tag inside an open
 * record means the first one is broken: it is reported and reading resumes at
 * the new one. Each record is then parsed on its own, so a well-formedness
 * error never spreads beyond its record.
 */
class XmlRecordSplitter {
  rootName: string | null = null;
  private buf: Buffer = Buffer.alloc(0);
  /** Memory reused for `buf` when what is held must be joined with a new chunk. */
  private store: Buffer = Buffer.alloc(0);
  private scan = 0;
  /** Line number at `linePos` in `buf`. */
  private line = 1;
  private linePos = 0;
  /** Bytes dropped from the front so far, and the stream offset where the line of the first held byte began. */
  private dropped = 0;
  private heldLineStart = 0;
  private rec: { name: string; kind: 'marche' | 'contrat-concession' | null; start: number; line: number; column: number; overflow: boolean; dropped: number; unclosed?: string; rootClosesAt?: number } | null = null;
  /** Elements open outside record elements of a known name (the root is depth 1 inside it). */
  private depth = 0;

  /** Is an element still open outside the records (the root, not closed: a document cut between records)? */
  get open(): boolean {
    return this.depth > 0;
  }
  /**
   * The root's closing tag met while elements opened inside it were still open (`<br>` or
   * `<div>junk` between records, never closed): its line, and the first element that gave way to a
   * record (see leftOpen); null when anything opened after it. At the input's end, such a document
   * is whole (said), not cut short.
   */
  rootClosedOver: { readonly line: number; readonly open: { readonly name: string; readonly line: number } | null } | null = null;
  /** The first element of another name under the root that gave way to a record (a wrapper, or an element never closed). */
  private leftOpen: { name: string; line: number } | null = null;
  /** Has the root element closed (depth back to 0)? */
  private rootClosed = false;
  /** The first element opened after the root closed (`</marches>GARBAGE<x>`), and its line: what is left open then is that, not the root. */
  afterRoot: { readonly name: string; readonly line: number } | null = null;
  /** Text after the root closed (`</marches>trailing junk`): where it starts. */
  textAfterRoot: { readonly line: number } | null = null;
  /** Records after the root closed (`</marches><marche>…</marche>`): how many, the first one's line. */
  recordsAfterRoot: { n: number; line: number } | null = null;
  /** Is the root a <marches> (whose other children are read as records too)? */
  private rootIsList = false;
  /** Is the root neither <marches> nor a record element? */
  private badRoot = false;
  /** The end of a construct too large to hold, passed over as the bytes come (see tooLarge), or null. */
  private skipping: string | null = null;
  /** Is the construct passed over a record element's start tag (see tooLarge)? */
  private skippedRecordTag = false;
  /**
   * The elements open around a DECP document (`<export><marches>…`, an export's envelope),
   * outermost first: a root of another name is looked into, a few levels down, for a `<marches>` (or
   * a lone record), which is then read as the root; nothing else of the envelope is read.
   */
  private envelope: string[] = [];
  /** The envelope's path when the DECP root was found in one (`export`), else null. */
  wrappedIn: string | null = null;
  /** The first element of the input (what a file without a DECP root is said to be). */
  firstElement: string | null = null;
  private events: XmlSplitEvent[] = [];

  /** `line`: the line the input starts at (after lines passed over before the document: reader.ts). */
  constructor(
    private readonly maxRecordBytes: number,
    line = 1,
  ) {
    this.line = line;
  }

  push(chunk: Buffer): XmlSplitEvent[] {
    this.events = [];
    this.buf = this.buf.length === 0 ? chunk : this.append(chunk);
    this.process(false);
    this.compact();
    return this.events;
  }

  end(): XmlSplitEvent[] {
    this.events = [];
    this.process(true);
    if (this.rec) {
      const r = this.rec;
      if (r.rootClosesAt !== undefined && r.unclosed === undefined) {
        // (the document closed, the record in it never did: a record's fault, not a file cut short)
        this.events.push({ type: 'bad-record', code: 'INGEST_RECORD_SYNTAX', message: `<${r.name}> opened at line ${r.line} is never closed: the root </${this.rootName}> closes at line ${r.rootClosesAt} inside it`, line: r.line, column: r.column });
        this.depth = 0;
        this.rootClosed = true;
      } else this.events.push({ type: 'bad-record', code: 'INGEST_RECORD_TRUNCATED', message: `the input ends inside <${r.name}> opened at line ${r.line}${r.unclosed === undefined ? '' : ` (${r.unclosed} never closes)`}`, line: r.line, column: r.column });
      this.rec = null;
    }
    return this.events;
  }

  /**
   * The byte that ends a line: LF, or CR in a file whose lines end with a lone CR (as XML reads it,
   * and the record's parser counts its lines): decided at the file's first line break.
   */
  private lineBreak: number | null = null;

  private breakByte(): number {
    if (this.lineBreak !== null) return this.lineBreak;
    const b = this.buf;
    const lf = b.indexOf(NL);
    const cr = b.indexOf(CR);
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      // (a CR at the end of what is held: its LF may come with the next bytes)
      if (cr + 1 >= b.length) return NL;
      this.lineBreak = b[cr + 1] === NL ? NL : CR;
    } else if (lf >= 0) this.lineBreak = NL;
    return this.lineBreak ?? NL;
  }

  /** "<" between records that open no element: the first few said where they are, the others counted. */
  strays = 0;

  private stray(lt: number, closing?: string): void {
    // (the position of each costs a look back to its line's start: not for thousands of them)
    if (++this.strays <= STRAYS_LISTED) this.events.push({ type: 'stray', ...this.lineAt(lt), ...(closing === undefined ? {} : { closing }) });
  }

  private lineAt(pos: number): { line: number; column: number } {
    const b = this.buf;
    const br = this.breakByte();
    let nl = b.indexOf(br, this.linePos);
    while (nl >= 0 && nl < pos) {
      this.line++;
      this.linePos = nl + 1;
      nl = b.indexOf(br, this.linePos);
    }
    // column: count back to the previous newline, or to where the line began before what was dropped
    const prev = pos === 0 ? -1 : b.lastIndexOf(br, pos - 1);
    return { line: this.line, column: prev >= 0 ? pos - prev : this.dropped + pos - this.heldLineStart + 1 };
  }

  private process(atEnd: boolean): void {
    const b = this.buf;
    for (;;) {
      if (this.badRoot) {
        // not a DECP document (the file is refused at its end): nothing in it is read as a record
        this.scan = b.length;
        return;
      }
      if (this.skipping !== null) {
        // a construct too large to hold, passed over up to its end as the bytes come (see tooLarge)
        const over = find(b, this.skipping, this.scan, this.skipping.length);
        if (over < 0) {
          this.scan = Math.max(this.scan, b.length - (this.skipping.length - 1));
          return;
        }
        this.skipping = null;
        this.scan = over;
        // (a record element written as one tag, `<marche …/>`: closed at once)
        if (this.skippedRecordTag && b[over - 2] === 0x2f) this.finishRecord(over);
        this.skippedRecordTag = false;
        continue;
      }
      const lt = b.indexOf(LT, this.scan);
      // (text after the root closed: not XML, and not read; said — padding, NUL or Ctrl-Z, aside, and
      // the byte order mark of a document concatenated after it, `cat a.xml b.xml`, whose records are read)
      if (this.rootClosed && this.depth === 0 && this.rec === null && this.textAfterRoot === null) {
        const upto = lt < 0 ? b.length : lt;
        for (let i = this.scan; i < upto; i++) {
          const c = b[i]!;
          if (c === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf && i + 2 < upto) {
            i += 2;
            continue;
          }
          if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x00 && c !== 0x1a) {
            this.textAfterRoot = { line: this.lineAt(i).line };
            break;
          }
        }
      }
      if (lt < 0) {
        this.scan = b.length;
        return;
      }
      if (b.length - lt < 12 && !atEnd) {
        this.scan = lt;
        return;
      }
      const next = b[lt + 1];
      let end: number;
      if (next === 0x21 /* ! */) {
        const comment = startsAt(b, '<!--', lt);
        const cdata = !comment && startsAt(b, '<![CDATA[', lt);
        const after = b[lt + 2]!;
        // (`<!doctype`, lower-case as HTML5 writes it — an error page served for the file —, a DOCTYPE still)
        if (!comment && !cdata && !(after >= 0x41 && after <= 0x5a) && b.toString('latin1', lt, lt + 9).toLowerCase() !== '<!doctype') {
          // "<!" that starts no comment, CDATA section or declaration (`<!DOCTYPE`, `<!ENTITY`…:
          // upper-case names), `<!x`, `<!-x`: text, as "a < b" below (read as a declaration, it took
          // what followed up to the next ">", the next record's start tag with it)
          if (this.rec === null) this.stray(lt);
          this.scan = lt + 1;
          continue;
        }
        if (!comment && !cdata && this.rec !== null) {
          // a declaration inside a record (`<!DOCTYPE x [` in a text): no markup there, the record's
          // parse rejects it; passed over as one, up to a "]" and ">" past the quotes (`d'un`) of the
          // records after it, it took them with it, lost without a word
          this.scan = lt + 1;
          continue;
        }
        if (comment) end = find(b, '-->', lt + 4, 3);
        else if (cdata) end = find(b, ']]>', lt + 9, 3);
        else end = this.doctypeEnd(b, lt);
        const what = comment ? 'a comment' : cdata ? 'a CDATA section' : 'a declaration (<!…>)';
        if (end < 0) {
          if (this.wait(lt, atEnd, what, comment ? '-->' : cdata ? ']]>' : '>')) continue;
          return;
        }
        if (end - lt > this.maxRecordBytes) return this.tooLarge(lt, what, '>', end);
        if (!comment && !cdata) this.events.push({ type: 'doctype', line: this.lineAt(lt).line });
        this.scan = end;
        continue;
      }
      if (next === 0x3f /* ? */) {
        end = find(b, '?>', lt + 2, 2);
        if (end < 0) {
          if (this.wait(lt, atEnd, 'a processing instruction', '?>')) continue;
          return;
        }
        if (end - lt > this.maxRecordBytes) return this.tooLarge(lt, 'a processing instruction', '?>', end);
        this.scan = end;
        continue;
      }
      if (next !== undefined && next !== 0x2f && !isNameStart(next)) {
        // "a < b": not a tag (its ">" would be the next element's, which would be lost with it)
        if (this.rec === null) this.stray(lt);
        // (inside a record, the record's own parse rejects it)
        this.scan = lt + 1;
        continue;
      }
      const closing = next === 0x2f; /* / */
      const name = tagName(b, closing ? lt + 2 : lt + 1);
      // (inside a record that closes by its name, strictly; but a record's tag, the next one's after
      // a record left open, tolerantly)
      const mode = this.rec === null || this.rec.kind === null || (!closing && decpContainer(localName(name)) !== null) ? TOLERANT : STRICT;
      let gt = tagEnd(b, lt + 1, mode);
      // a start tag before the DECP root (the root's own, an envelope's) whose quoted value holds a
      // closing tag (`<marches note="<b>Lyon</b>">`, or a quote never closed over the elements after
      // it): it ends at its first ">" (its attributes are not read). Passed over as a stray "<", the
      // root was never found and every record of the file was lost, with no reject
      if (gt === NOT_A_TAG && !closing && this.rootName === null) gt = b.indexOf(GT, lt + 1);
      if (gt === NOT_A_TAG) {
        // a record's start tag whose quote never closes (`<marche note="x>`: tolerant, a record's tag
        // is no tag only so): the record opens there all the same, for its parse to reject it (as a
        // stray "<", its fields were read as records of their own)
        if (!closing && this.rootIsList && this.depth === 1 && decpContainer(localName(name)) !== null) {
          this.openRecord(lt, name);
          this.scan = lt + 1;
          continue;
        }
        // (as "a < b" above)
        if (this.rec === null) this.stray(lt);
        this.scan = lt + 1;
        continue;
      }
      if (gt < 0) {
        if (this.wait(lt, atEnd, 'a tag', '>')) continue;
        return;
      }
      if (gt - lt > this.maxRecordBytes) return this.tooLarge(lt, 'a tag', '>', gt + 1);
      this.scan = gt + 1;
      const known = this.rec !== null && this.rec.kind !== null;
      if (closing) {
        if (this.rootName === null) {
          // (the envelope's own elements closing before its DECP root opened; the first one closing
          // ends the document: a `<marches>` after it is a second root, not a wrapped document)
          this.envelope.pop();
          if (this.envelope.length === 0) {
            this.rootName = this.firstElement;
            this.badRoot = true;
          }
          continue;
        }
        // (after the root closed: the envelope's closing tags)
        if (this.depth === 0 && this.rec === null) continue;
        // (records never nest: the closing tag of any record element ends the record open, its
        // name mismatched, `<Marche>…</marche>`, `<marche>…</contrat-concession>`, for its parse to
        // reject; waiting for its own name lost it as cut short at the input's end)
        if (known && (name === this.rec!.name || decpContainer(localName(name)) !== null)) this.finishRecord(gt + 1);
        else if (known) {
          // (the root's closing tag inside a record: its own is missing or misspelt, `</marhce>`; said
          // if the input ends so, which is then not cut short)
          if (this.depth === 1 && this.rootName !== null && sameName(localName(name), this.rootName)) this.rec!.rootClosesAt ??= this.lineAt(lt).line;
        } else {
          if (this.rec === null && this.depth === 1 && !this.rootClosed && this.rootName !== null && !sameName(localName(name), this.rootName)) {
            // a closing tag between records that is not the root's (`</objet>`, `</marche>` with no
            // record open: a record's tail after its damage, junk): it closes nothing; taken for the
            // root's, it closed the document and the records after it were said outside it
            this.stray(lt, name);
            continue;
          }
          // (the root's closing tag with elements still open inside it: see rootClosedOver)
          this.rootClosedOver = !this.rootClosed && this.depth > 1 && this.rootName !== null && sameName(localName(name), this.rootName) ? { line: this.lineAt(lt).line, open: this.leftOpen } : null;
          this.depth--;
          if (this.depth === 0) this.rootClosed = true;
          // an element of another name under the root ends where its depth says, whatever the name of
          // the closing tag there (`<marhce>…</marche>`, misspelt: rejected by its parse; left open,
          // it gave way to the next record as a wrapper would, and was lost without a word)
          if (this.rec && this.depth === 1) this.finishRecord(gt + 1);
        }
        continue;
      }
      const selfClosing = b[gt - 1] === 0x2f; // <marche/>
      this.rootClosedOver = null;
      if (this.rootName === null) {
        const local = localName(name);
        this.firstElement ??= local;
        const decp = local.toLowerCase() === 'marches' || decpContainer(local) !== null;
        if (!decp) {
          // an envelope around the document: looked into, a few levels down
          if (!selfClosing) this.envelope.push(local);
          // (an HTML page, an error page served in place of the file, is no envelope)
          if (this.envelope.length > ENVELOPE_DEPTH || this.envelope.length === 0 || this.firstElement.toLowerCase() === 'html') {
            // not a DECP document (nor one wrapped): refused at the end
            this.rootName = this.firstElement;
            this.badRoot = true;
          }
          continue;
        }
        if (this.envelope.length > 0) this.wrappedIn = this.envelope.join('/');
        this.rootName = local;
        this.rootIsList = this.rootName.toLowerCase() === 'marches';
      }
      // a record element in any case or spelling (<Marche>, <contrat_concession>, <concession>…)
      const kind = decpContainer(localName(name));
      if (kind === null) {
        if (known) continue;
        // any other child of <marches> is read as a record too (<marchePublic>, <contrat>…): never
        // left out without a word; one that holds records (a wrapper) gives way to them
        if (this.rec === null && this.depth === 1 && this.rootIsList && !selfClosing) {
          const where = this.lineAt(lt);
          this.rec = { name, kind: null, start: lt, line: where.line, column: where.column, overflow: false, dropped: 0 };
        }
        if (this.rootClosed && this.depth === 0 && this.afterRoot === null) this.afterRoot = { name: localName(name), line: this.lineAt(lt).line };
        if (!selfClosing) this.depth++;
        continue;
      }
      this.openRecord(lt, name);
      if (selfClosing) this.finishRecord(gt + 1);
    }
  }

  /** A record element opens at `lt`: the record open before it, if any, is rejected (or was a wrapper). */
  private openRecord(lt: number, name: string): void {
    if (this.rec) {
      const r = this.rec;
      this.rec = null;
      // (inside an element of another name: that one is a wrapper of records, not a record; the
      // first such, in case it never closes)
      if (r.kind === null) this.leftOpen ??= { name: localName(r.name), line: r.line };
      else this.events.push({ type: 'bad-record', code: 'INGEST_RECORD_SYNTAX', message: `<${r.name}> opened at line ${r.line} is not closed before the next record`, line: r.line, column: r.column });
    }
    const where = this.lineAt(lt);
    // (a record after the root closed: read, as it is a record, and said: it is outside the document)
    if (this.rootClosed && this.depth === 0) {
      if (this.recordsAfterRoot === null) this.recordsAfterRoot = { n: 0, line: where.line };
      this.recordsAfterRoot.n++;
    }
    this.rec = { name, kind: decpContainer(localName(name)), start: lt, line: where.line, column: where.column, overflow: false, dropped: 0 };
  }

  /**
   * Wait for more bytes at `lt`; at the end of the input, `what` opened there never closes. When
   * markup follows it (`<!--` left open between records or inside one, a quote of a tag never
   * closed), it is read past, its "<" as text, and what follows read as usual (true: go on from
   * `scan`): read as XML would, the rest of the input was inside it and every record after it was
   * lost. Inside a record, the record is then rejected by its parse (or as cut short, see end());
   * outside, the file says so. With no markup after it (a record's tag cut by the input's end), what
   * follows is one reject, so that a record cut there is not lost without a word.
   */
  private wait(lt: number, atEnd: boolean, what: string, terminator: string): boolean {
    if (!atEnd) {
      if (this.buf.length - lt > this.maxRecordBytes) this.tooLarge(lt, what, terminator, -1);
      else this.scan = lt;
      return false;
    }
    const where = this.lineAt(lt);
    if (this.rec) this.rec.unclosed ??= `${what} opened at line ${where.line}`;
    if (this.buf.indexOf(LT, lt + 1) >= 0) {
      if (this.rec === null) this.events.push({ type: 'unclosed', what, line: where.line, column: where.column });
      this.scan = lt + 1;
      return true;
    }
    // (after the root element closed, or in a closing tag cut short, `</marches`, no record can be)
    const noRecordThere = (this.rootName !== null && this.depth === 0) || this.buf[lt + 1] === 0x2f;
    if (this.rec === null && !noRecordThere && hasContentAfter(this.buf, lt)) {
      this.events.push({ type: 'bad-record', code: 'INGEST_RECORD_TRUNCATED', message: `the input ends inside ${what} opened at line ${where.line}, column ${where.column}: what follows it is not read`, line: where.line, column: where.column });
    }
    this.scan = this.buf.length;
    return false;
  }

  /**
   * A tag, comment or declaration larger than a record may be (an attribute of a gigabyte in a
   * hostile file): held and scanned again with each read, it grew without end. It is passed over up
   * to its `terminator` as the bytes come (`end`: where it ends, when that is known), not held. Inside
   * a record, the record is too large (rejected when it closes, as any record over the limit);
   * a record element's start tag opens such a record; anything else is one reject. Whole or still
   * open, the same.
   */
  private tooLarge(lt: number, what: string, terminator: string, end: number): void {
    const where = this.lineAt(lt);
    const kind = this.rec === null && what === 'a tag' && this.buf[lt + 1] !== 0x2f ? decpContainer(localName(tagName(this.buf, lt + 1))) : null;
    if (this.rec !== null) this.rec.overflow = true;
    else if (kind !== null) this.rec = { name: tagName(this.buf, lt + 1), kind, start: lt, line: where.line, column: where.column, overflow: true, dropped: 0 };
    else this.events.push({ type: 'bad-record', code: 'INGEST_RECORD_TOO_LARGE', message: `${what} opened at line ${where.line}, column ${where.column} is larger than ${this.maxRecordBytes} bytes: passed over`, line: where.line, column: where.column });
    if (end >= 0) {
      this.scan = end;
      // (a record element written as one tag, `<marche …/>`: closed at once)
      if (kind !== null && this.buf[end - 2] === 0x2f) this.finishRecord(end);
      return;
    }
    this.skipping = terminator;
    this.skippedRecordTag = kind !== null;
    this.scan = Math.max(lt + 1, this.buf.length - (terminator.length - 1));
  }

  /**
   * The end of a declaration `<!NAME …>` (a DOCTYPE, or one of its declarations out of place), or -1
   * while the bytes held end first. `<!DOCTYPE name [ internal subset ]>`: the subset holds
   * declarations, comments and quoted values, each of which may hold "]" and ">" (`<!ENTITY a "]">`,
   * `<!-- ] > -->`), passed over; so are quoted values outside it (a system id). The first "]" or
   * ">" ended it: the rest of the subset was read as the document, its markup as elements (an
   * entity's value holding `<marche>` made the file's root `<id>`, refused).
   */
  private doctypeEnd(b: Buffer, lt: number): number {
    let subset = false;
    for (let i = lt + 2; i < b.length; i++) {
      const c = b[i]!;
      if (c === 0x22 || c === 0x27) {
        const close = b.indexOf(c, i + 1);
        if (close < 0) return -1;
        i = close;
      } else if (subset && c === LT && b[i + 1] === 0x21 && b[i + 2] === 0x2d && b[i + 3] === 0x2d) {
        const close = b.indexOf('-->', i + 4);
        if (close < 0) return -1;
        i = close + 2;
      } else if (subset && c === LT && b[i + 1] === 0x3f) {
        const close = b.indexOf('?>', i + 2);
        if (close < 0) return -1;
        i = close + 1;
      } else if (c === 0x5b /* [ */ && !subset) subset = true;
      else if (c === 0x5d /* ] */ && subset) subset = false;
      else if (c === GT && !subset) return i + 1;
      // (a comment or PI cut by the end of what is held: decided with more bytes)
      else if (subset && c === LT && i + 3 >= b.length) return -1;
    }
    return -1;
  }

  private finishRecord(end: number): void {
    const r = this.rec!;
    this.rec = null;
    if (r.overflow || end - r.start > this.maxRecordBytes) {
      this.events.push({ type: 'bad-record', code: 'INGEST_RECORD_TOO_LARGE', message: `record larger than ${this.maxRecordBytes} bytes`, line: r.line, column: r.column });
      return;
    }
    this.events.push({ type: 'record', name: localName(r.name), kind: r.kind, bytes: Buffer.from(this.buf.subarray(r.start, end)), line: r.line, column: r.column });
  }

  /** Drop what is behind us; keep the open record (unless it is already too large). */
  /**
   * What is held, then `chunk`, in one buffer: the held bytes (an open record, usually short) move to
   * the front of a reused store and the chunk is copied after them; the store doubles when too small,
   * so a record spread over many reads is copied a bounded number of times, not once per read.
   */
  private append(chunk: Buffer): Buffer {
    const held = this.buf.length;
    const need = held + chunk.length;
    if (this.store.length < need) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.store.length));
      this.buf.copy(bigger, 0);
      this.store = bigger;
    } else if (this.buf.buffer !== this.store.buffer || this.buf.byteOffset !== this.store.byteOffset) {
      // (Buffer#copy moves overlapping bytes correctly: the held bytes may already be inside the store)
      this.buf.copy(this.store, 0);
    }
    chunk.copy(this.store, held);
    return this.store.subarray(0, need);
  }

  private compact(): void {
    let keep = this.scan;
    if (this.rec) {
      if (!this.rec.overflow && this.buf.length - this.rec.start > this.maxRecordBytes) this.rec.overflow = true;
      if (!this.rec.overflow) keep = Math.min(keep, this.rec.start);
    }
    // (a first line break still undecided, a CR at the end of what is held, is kept until the next
    // byte says whether it is a line's end or a CRLF's first half: dropped, it would never be counted)
    if (this.breakByte() === NL && this.lineBreak === null) {
      const cr = this.buf.indexOf(CR);
      if (cr >= 0) keep = Math.min(keep, cr);
    }
    if (keep === 0) return;
    this.lineAt(keep);
    const nl = this.buf.lastIndexOf(this.breakByte(), keep - 1);
    if (nl >= 0) this.heldLineStart = this.dropped + nl + 1;
    this.dropped += keep;
    if (this.rec && !this.rec.overflow) this.rec = { ...this.rec, start: this.rec.start - keep };
    this.buf = this.buf.subarray(keep);
    this.scan -= keep;
    this.linePos = Math.max(0, this.linePos - keep);
  }
}

/** Does the input hold more than `<` and white space from `at` on (a lone `<` at its very end is no record)? */
function hasContentAfter(b: Buffer, at: number): boolean {
  for (let i = at + 1; i < b.length; i++) if (b[i] !== 0x20 && b[i] !== 0x0a && b[i] !== 0x0d && b[i] !== 0x09) return true;
  return false;
}

/** Can an element's name start with this byte (a letter, `_`, `:`, or any character beyond ASCII)? */
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0x80;
}

function startsAt(b: Buffer, s: string, at: number): boolean {
  return b.toString('latin1', at, at + s.length) === s;
}

function find(b: Buffer, needle: string, from: number, len: number): number {
  const i = b.indexOf(needle, from);
  return i < 0 ? -1 : i + len;
}

/** tagEnd's answer when the bytes after `<` cannot be a tag. */
const NOT_A_TAG = -2;

/**
 * How tagEnd reads a tag. STRICT inside a record that closes by its name (`<marche>`,
 * `<contrat-concession>`, whose inner tags shape nothing): a quote must follow `=`, and a "<" outside
 * quotes ends the would-be tag (`Tubes <PVC 20" x 3m`, `a <b c</marche>`: text, which the record's
 * parse repairs). TOLERANT elsewhere: between records (where a tag's start makes a record) and inside
 * a record of another name (its depth counts tags: opening and closing tags must be read alike): any
 * quote opens a value, a "<" is passed over, so that a record whose tag is malformed is still one
 * record, rejected by its parse. A "<" inside a quoted value never ends a tag (`note="a<?b"`).
 */
const STRICT = 0;
const TOLERANT = 1;

/**
 * Index of the ">" that ends the tag starting before `from`, skipping quoted attribute values; -1
 * when the bytes held end first; NOT_A_TAG when they cannot be a tag (see the modes above). Read as
 * a tag, `<PVC 20" x 3m` took the text up to the next quote's pair for an attribute, and every
 * record in between with it.
 */
function tagEnd(b: Buffer, from: number, mode: number): number {
  let quote = 0;
  // the last byte before this one that is not white space (what a quote must follow: `=`)
  let last = 0;
  for (let i = from; i < b.length; i++) {
    const c = b[i]!;
    if (quote) {
      if (c === quote) {
        quote = 0;
        last = c;
      } else if (c === LT) {
        // (a closing tag inside a quoted value: the quote was never closed, `<objet a=">…</objet>`,
        // and ran on over the elements after it, records too: no tag, in any mode; XML allows no
        // "<" in a value)
        const closing = closingTagAt(b, i);
        if (closing < 0) return -1;
        // (but a record's closing tag there: the record would end at it all the same)
        if (closing > 0 && decpContainer(localName(tagName(b, i + 2))) === null) return NOT_A_TAG;
      }
    } else if (c === 0x22 || c === 0x27) {
      if (last !== 0x3d /* = */ && mode === STRICT) return NOT_A_TAG;
      quote = c;
    } else if (c === GT) return i;
    else if (c === LT && mode === STRICT) return NOT_A_TAG;
    else if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) last = c;
  }
  return -1;
}

/**
 * Does a closing tag, `</name>` (blanks before its ">" allowed), start at `lt`? 1 or 0; -1 when the
 * bytes held end before that is known.
 */
function closingTagAt(b: Buffer, lt: number): number {
  if (lt + 2 >= b.length) return -1;
  if (b[lt + 1] !== 0x2f || !isNameStart(b[lt + 2]!)) return 0;
  let i = lt + 3;
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c === GT) return 1;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) break;
    if (c === LT || c === 0x22 || c === 0x27 || c === 0x3d || c === 0x2f) return 0;
  }
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c === GT) return 1;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return 0;
  }
  return -1;
}

function tagName(b: Buffer, from: number): string {
  let i = from;
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === GT) break;
    i++;
  }
  return b.toString('latin1', from, i);
}

type Built = { ok: true; root: XNode; bareAmpersands: number; htmlReferences: number; controls: number; references: number; lessThans: number } | { ok: false; code: 'INGEST_RECORD_SYNTAX' | 'INGEST_XML_ENTITY' | 'INGEST_RECORD_TOO_DEEP'; message: string };

/** A reference after `&`: a character's number, or an entity's name, then `;` (names of 64 characters at most). */
const REFERENCE = /#\d{1,10};|#x[0-9A-Fa-f]{1,8};|[A-Za-z_][\w.-]{0,63};/y;

/**
 * The record's text with each `&` that starts no reference (`Voirie & réseaux`, `SARL A & B`: an
 * export that did not escape it) written `&amp;`, outside CDATA sections, comments and processing
 * instructions (`<?app a & b?>` is well-formed), and how many. XML forbids it; French company names and titles are full of it, and refusing the record for
 * it loses a contract over one character. One pass, each position looked at once (a pattern with
 * lazy sections rescanned an unclosed `<![CDATA[` to the end for each: quadratic).
 * With `html`, a reference to one of HTML's named characters that XML does not define
 * (`&eacute;`, `&nbsp;`, `&euro;`: an export that escaped its text for a web page) is written
 * `&amp;eacute;` too: the record holds the reference as text, as a JSON export holds it, and the
 * mapping decodes it in free text (flagged there, with the text as given); those are counted apart.
 */
function escapeBareAmpersands(raw: string, html = false): { text: string; count: number; html: number } {
  let amp = raw.indexOf('&');
  if (amp < 0) return { text: raw, count: 0, html: 0 };
  let out = '';
  let copied = 0;
  let count = 0;
  let named = 0;
  let at = 0;
  let open = markupAt(raw, at);
  while (amp >= 0) {
    if (open >= 0 && open < amp) {
      // a comment, CDATA section or processing instruction before the next `&`: its content is left as it is
      const close = raw.startsWith('<!--', open) ? raw.indexOf('-->', open + 4) : raw.startsWith('<![CDATA[', open) ? raw.indexOf(']]>', open + 9) : raw.startsWith('<?', open) ? raw.indexOf('?>', open + 2) : open + 2;
      // (never closed: the parser says so; nothing after it is touched)
      if (close < 0) break;
      at = close;
      if (amp < at) amp = raw.indexOf('&', at);
      open = markupAt(raw, at);
      continue;
    }
    REFERENCE.lastIndex = amp + 1;
    const ref = REFERENCE.exec(raw);
    const htmlName = html && ref !== null && ref[0][0] !== '#' && isHtmlOnlyName(ref[0].slice(0, -1));
    if (ref === null || htmlName) {
      out += raw.slice(copied, amp + 1) + 'amp;';
      copied = amp + 1;
      if (htmlName) named++;
      else count++;
    }
    at = amp + 1;
    amp = raw.indexOf('&', at);
  }
  return count + named === 0 ? { text: raw, count, html: 0 } : { text: out + raw.slice(copied), count, html: named };
}

/** Where the next comment, CDATA section or processing instruction (`<!`, `<?`) starts from `at`, or -1. */
function markupAt(raw: string, at: number): number {
  const bang = raw.indexOf('<!', at);
  const pi = raw.indexOf('<?', at);
  return bang < 0 ? pi : pi < 0 ? bang : Math.min(bang, pi);
}

/**
 * Parse one record's XML text into a light element tree (saxes, strict; entities never expanded).
 * Bare ampersands, and "<" that open no markup, are read as the character they stand for; HTML's
 * named references, when the record has one XML does not define, as their text (see
 * escapeBareAmpersands); all counted: the caller says so. A reference to a name HTML does not
 * define either (`&lol9;`, `&xxe;`) still rejects the record.
 */
function buildRecord(raw: string, name: string, line: number, maxDepth: number): Built {
  let html = false;
  let lessThans: { text: string; count: number } | null = null;
  for (;;) {
    const built = buildWith(lessThans?.text ?? raw, name, line, maxDepth, html);
    if (built.ok) return lessThans === null ? built : { ...built, lessThans: lessThans.count };
    if (built.code === 'INGEST_XML_ENTITY' && !html) {
      html = true;
      continue;
    }
    if (built.code === 'INGEST_RECORD_SYNTAX' && lessThans === null) {
      // a "<" that opens no markup (an export that did not escape it): written as the character,
      // and the record read again
      const escaped = escapeStrayLessThans(raw);
      if (escaped.count > 0) {
        lessThans = escaped;
        continue;
      }
    }
    // (still not XML: the fault left is the one to say, not what was read past)
    return built;
  }
}

function buildWith(raw: string, name: string, line: number, maxDepth: number, html: boolean): Built {
  const { text, count: bareAmpersands, html: htmlReferences } = escapeBareAmpersands(raw, html);
  let current = text;
  let built = parseRecord(current, name, line, maxDepth);
  // a character reference to a character XML 1.0 forbids (`&#11;`, a vertical tab a serialiser
  // escaped; `&#xD83D;&#xDE00;`, an emoji written as the two halves of its UTF-16 surrogate pair, as
  // Java serialisers have; `&#xFFFE;`): an export's fault, as the raw characters are, not the
  // record's (found by a probe: the whole record rejected, INGEST_XML_ENTITY). Each is read as the
  // character it was meant for: a control as a space (none beside a space), a pair's halves as their
  // character, anything else as U+FFFD; counted (the caller says so), and the record read again.
  let references = 0;
  if (!built.ok && /malformed character entity/i.test(built.message)) {
    const fixed = replaceForbiddenReferences(current);
    if (fixed.count > 0) {
      references = fixed.count;
      current = fixed.text;
      built = parseRecord(current, name, line, maxDepth);
    }
  }
  if (built.ok || !/disallowed character/i.test(built.message)) return built.ok ? { ...built, bareAmpersands, htmlReferences, controls: 0, references, lessThans: 0 } : built;
  // control characters XML 1.0 does not allow (U+0001, a vertical tab pasted into a title): an
  // export's fault, not the record's; each is replaced by a space (a vertical tab between two words
  // separates them: taken out, `TRAVAUX\vISOLATION` became one word), or taken out beside one, counted (the caller says so),
  // and the record read again. Only on this path: a well-formed record is never scanned for them.
  let controls = 0;
  // (a run of them is one gap: `TRAVAUX\v\vISOLATION` is two words)
  const clean = current.replace(CONTROL_RUNS, (run: string, at: number, whole: string) => {
    controls += run.length;
    // (beside a space or a line break already: taken out, no double space)
    return /\s/.test(whole[at - 1] ?? ' ') || /\s/.test(whole[at + run.length] ?? ' ') ? '' : ' ';
  });
  if (controls === 0) return built;
  const again = parseRecord(clean, name, line, maxDepth);
  return again.ok ? { ...again, bareAmpersands, htmlReferences, controls, references, lessThans: 0 } : again;
}

/** Numeric character references (`&#11;`, `&#x1F;`), runs of them one after the other. */
const NUMERIC_REFERENCES = /(?:&#(?:[0-9]{1,10}|x[0-9A-Fa-f]{1,8});)+/g;

/** Whether XML 1.0 allows the code point (its `Char` production). */
const isXmlChar = (c: number): boolean => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

/**
 * The record's text with each numeric reference to a character XML 1.0 forbids written as what it
 * was meant for (see buildWith), and how many. Outside CDATA sections and comments alone: in them a
 * reference is text, and never the parser's fault. References XML allows are left as they are.
 */
function replaceForbiddenReferences(text: string): { text: string; count: number } {
  let count = 0;
  let out = '';
  let copied = 0;
  let at = 0;
  for (;;) {
    const open = markupAt(text, at);
    const end = open < 0 ? text.length : open;
    out += text.slice(copied, end).replace(NUMERIC_REFERENCES, (run: string, offset: number, whole: string) => {
      const codes = run.slice(2, -1).split(';&#').map((r) => (r[0] === 'x' ? parseInt(r.slice(1), 16) : parseInt(r, 10)));
      if (codes.every(isXmlChar)) return run;
      let written = '';
      let space = false;
      for (let k = 0; k < codes.length; k++) {
        const c = codes[k]!;
        const low = codes[k + 1];
        if (c >= 0xd800 && c <= 0xdbff && low !== undefined && low >= 0xdc00 && low <= 0xdfff) {
          written += `&#x${(0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00)).toString(16).toUpperCase()};`;
          count += 2;
          k++;
        } else if (isXmlChar(c)) written += `&#${c};`;
        else if (c < 0x20 || c === 0xfffe || c === 0xffff) {
          // (a run of them is one gap, as raw controls are)
          if (!space) written += ' ';
          space = true;
          count++;
          continue;
        } else {
          written += '&#xFFFD;';
          count++;
        }
        space = false;
      }
      // (beside a space or a line break already: the gap is taken out, no double space)
      const before = whole[offset - 1] ?? ' ';
      const after = whole[offset + run.length] ?? ' ';
      if (written.startsWith(' ') && (/\s/.test(before) || (written.length === 1 && /\s/.test(after)))) written = written.slice(1);
      if (written.endsWith(' ') && /\s/.test(after)) written = written.slice(0, -1);
      return written;
    });
    if (open < 0) break;
    // a comment, CDATA section or processing instruction: its content is left as it is
    const close = text.startsWith('<!--', open) ? text.indexOf('-->', open + 4) : text.startsWith('<![CDATA[', open) ? text.indexOf(']]>', open + 9) : text.startsWith('<?', open) ? text.indexOf('?>', open + 2) : open + 2;
    // (never closed: the parser says so; nothing after it is touched)
    if (close < 0) {
      out += text.slice(open);
      return { text: out, count };
    }
    out += text.slice(open, close);
    copied = close;
    at = close;
  }
  return { text: out, count };
}

/**
 * The record's text with each "<" that opens no markup written `&lt;` (`Tubes <PVC 20" x 3m`,
 * `prix < 50 €`: an export that did not escape it), outside CDATA sections, comments and processing
 * instructions, and how many. A "<" opens no markup when what follows cannot start a tag: no name
 * after it, or a quote that follows no `=`, or another "<" before its ">" (see tagEnd). Only tried
 * when the record does not parse: a well-formed record is never scanned for them.
 */
function escapeStrayLessThans(raw: string): { text: string; count: number } {
  const b = Buffer.from(raw, 'utf8');
  const stray: number[] = [];
  for (let lt = b.indexOf(LT); lt >= 0; lt = b.indexOf(LT, lt + 1)) {
    const next = b[lt + 1];
    let end = -1;
    if (next === 0x21 /* ! */) end = startsAt(b, '<!--', lt) ? find(b, '-->', lt + 4, 3) : startsAt(b, '<![CDATA[', lt) ? find(b, ']]>', lt + 9, 3) : lt + 1;
    else if (next === 0x3f /* ? */) end = find(b, '?>', lt + 2, 2);
    else if (next !== undefined && isNameStart(next)) end = tagEnd(b, lt + 1, STRICT);
    else if (next === 0x2f /* / */ && b[lt + 2] !== undefined && isNameStart(b[lt + 2]!)) end = tagEnd(b, lt + 2, STRICT);
    else end = NOT_A_TAG;
    if (end === NOT_A_TAG) stray.push(lt);
    // (markup never closed: the parser says so; nothing after it is touched)
    else if (end < 0) break;
    else lt = end - 1;
  }
  if (stray.length === 0) return { text: raw, count: 0 };
  let out = '';
  let copied = 0;
  for (const at of stray) {
    out += `${b.toString('utf8', copied, at)}&lt;`;
    copied = at + 1;
  }
  return { text: out + b.toString('utf8', copied), count: stray.length };
}

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids are what it looks for
const CONTROL_RUNS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]+/g;

/** One record's text as an element tree, or why it is not XML. */
function parseRecord(text: string, name: string, line: number, maxDepth: number): { ok: true; root: XNode } | Extract<Built, { ok: false }> {
  const parser = new SaxesParser({ position: true });
  const stack: XNode[] = [];
  let root: XNode | null = null;
  let problem: Built | null = null;
  parser.on('opentag', (tag) => {
    if (problem) return;
    if (stack.length >= maxDepth) {
      problem = { ok: false, code: 'INGEST_RECORD_TOO_DEEP', message: `record nested deeper than ${maxDepth} levels` };
      return;
    }
    // (most elements have none: no array for them)
    let attributes: Array<readonly [string, string]> = NO_ATTRIBUTES;
    for (const k in tag.attributes) {
      if (isXmlMachinery(k)) continue;
      if (attributes === NO_ATTRIBUTES) attributes = [];
      attributes.push([localName(k), (tag.attributes as Record<string, string>)[k]!]);
    }
    const node: XNode = { name: localName(tag.name), children: [], text: '', attributes };
    if (stack.length > 0) {
      const parent = stack[stack.length - 1]!;
      parent.children.push(node);
      // (text before it: a mixed element, its parts kept in order from here on)
      if (parent.content) parent.content.push(node);
      else if (parent.filled === true) parent.content = [parent.text, node];
    } else root = node;
    stack.push(node);
  });
  const onText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (!top || problem) return;
    top.text += t;
    // (each text once: most are the blanks between elements)
    if (top.filled !== true && !isBlank(t)) {
      top.filled = true;
      // (text after its elements: a mixed element; the text before them was blank)
      // (the blanks between those elements were not kept: a space between each two, as text with
      // markup has between its words)
      if (top.children.length > 0 && !top.content) top.content = top.children.flatMap((c, k) => (k === 0 ? [c] : [' ', c]));
    }
    if (top.content) top.content.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (!problem) stack.pop();
  });
  parser.on('error', (err: Error) => {
    if (problem) return;
    const m = /^(\d+):(\d+): (.*)$/s.exec(err.message);
    const where = m ? `line ${line + Number(m[1]) - 1}` : `record at line ${line}`;
    const what = m ? m[3]! : err.message;
    problem = { ok: false, code: /entity/i.test(what) ? 'INGEST_XML_ENTITY' : 'INGEST_RECORD_SYNTAX', message: `invalid XML in <${name}> (${where}): ${what}${/entity/i.test(what) ? ' (entities are never expanded)' : ''}` };
  });
  try {
    parser.write(text).close();
  } catch (err) {
    problem ??= { ok: false, code: 'INGEST_RECORD_SYNTAX', message: `invalid XML in <${name}>: ${(err as Error).message}` };
  }
  if (problem) return problem;
  if (root === null) return { ok: false, code: 'INGEST_RECORD_SYNTAX', message: `empty <${name}>` };
  return { ok: true, root };
}

/**
 * An element as a list's: `list`, its wrapper's name in LISTS, when it is that wrapper, or one of its
 * items written without it (`<titulaire>` under `<marche>`: an item of an object list holds elements
 * or attributes, one of a list of texts a text; a `<tarif>` of text inside a tariff is its price,
 * `<technique>` holding `<technique>`s a 2.0.0 list); null when it is no list's.
 */
function listPart(node: XNode): { list: string; wrapper: boolean } | null {
  const lower = node.name.toLowerCase();
  const wrapped = LIST_NAMES.get(lower);
  if (wrapped !== undefined) return { list: wrapped, wrapper: true };
  const list = LIST_OF_ITEM.get(lower);
  if (list === undefined) return null;
  const object = node.children.length > 0 || node.attributes.length > 0;
  return (STRING_LISTS.has(list.toLowerCase()) ? !object && node.text.trim() !== '' : object) ? { list, wrapper: false } : null;
}

/** The element under another name (an item written as its wrapper), its content kept. */
const renamed = (node: XNode, name: string): XNode => ({ ...node, name });

/** Names generic XML serialisers give a list's items (dicttoxml's `<item>`, json2xml's `<element>`…). */
const GENERIC_ITEMS: ReadonlySet<string> = anyCase(['item', 'element', 'entry', 'row', 'value']);

/**
 * The item an element only holds, when the element is a holder of it: 2024 JSON's item object
 * (`[{"titulaire":{…}}]`) written into XML by a generic serialiser gives each item an element of its
 * own around it, named as the item (`<titulaire><titulaire>…`), as the list (Jackson's `<titulaires>
 * <titulaires><titulaire>…`) or generically (dicttoxml's `<item><titulaire>…`). Such a holder has no
 * attribute, no text and one element, an item of an object list (holding elements or attributes: a
 * tariff's `<tarif>` price, a text, is no item). Null when `node` is no holder (read as written).
 */
function heldItem(node: XNode, list: string, item: string): XNode | null {
  if (STRING_LISTS.has(list.toLowerCase()) || node.attributes.length > 0 || node.children.length !== 1 || !isBlank(node.text)) return null;
  if (!isItemOf(node.name, item) && !sameName(node.name, list) && !GENERIC_ITEMS.has(node.name.toLowerCase())) return null;
  const inner = node.children[0]!;
  return isItemOf(inner.name, item) && (inner.children.length > 0 || inner.attributes.length > 0) ? inner : null;
}

/**
 * The items one wrapper of a list holds, and how it differs from the XSD's `<titulaires><titulaire>…`
 * (null: as the XSD has it); undefined when its content is no list's (items beside other elements:
 * left as written). `repeated`: the list's wrapper is given more than once, so that one holding a
 * text holds an item (alone, it is the list's text, as the same value in JSON is).
 */
function wrapperItems(node: XNode, list: string, item: string, repeated: boolean): { items: XNode[]; shape: string | null } | undefined {
  // (each item in a holder of its own: the items it holds)
  const held = node.children.length > 0 ? node.children.map((c) => heldItem(c, list, item)) : [];
  if (held.length > 0 && held.every((h) => h !== null)) return { items: held as XNode[], shape: `each item in an element of its own (<${node.children[0]!.name}>)` };
  if (node.children.length === 0 && node.attributes.length === 0) {
    if (node.text.trim() === '') return { items: [], shape: null };
    return repeated ? { items: [renamed(node, item)], shape: `each <${node.name}> holding one item` } : undefined;
  }
  if (node.children.length > 0 && node.children.every((c) => isItemOf(c.name, item))) return { items: node.children, shape: null };
  // (Jackson's default: the items named as the list)
  if (node.children.length > 0 && node.children.every((c) => sameName(c.name, list))) return { items: node.children.map((c) => renamed(c, item)), shape: `its items named <${node.children[0]!.name}>` };
  // one item's fields right inside the wrapper (JAXB without @XmlElementWrapper, the wrapper repeated
  // per item), as elements or attributes: no element of them is an item, but a tariff's price,
  // `<tarif>` of text
  if (STRING_LISTS.has(list.toLowerCase()) || node.children.some((c) => (isItemOf(c.name, item) || sameName(c.name, list)) && (c.children.length > 0 || c.attributes.length > 0))) return undefined;
  return { items: [renamed(node, item)], shape: `each <${node.name}> holding one item's fields` };
}

/**
 * DECP lists as the XSD writes them, one wrapper of items, whatever shape an export gave them: the
 * wrapper repeated (xmltodict's unparse of 2024 JSON, `<titulaires><titulaire>A</titulaire>
 * </titulaires><titulaires>…`; JAXB's, each wrapper holding one item's fields), its items named as
 * itself (Jackson's `<titulaires><titulaires>…`), or no wrapper (`<titulaire>` repeated under
 * `<marche>`). Such a list was read as its first element, the others dropped as repeated ones: a
 * contract's second supplier, its modifications, lost. Each list is made one wrapper of its items, in
 * place, in document order, and said; in this element and those within it (not within the items
 * of a list of texts, nor a 2.0.0 list: their elements are values). A list one of whose elements
 * holds items beside other elements is left as written (its first element kept, as before).
 */
function gatherLists(node: XNode, pointer: string, issues: Issue[]): void {
  const parts = new Map<string, Array<{ node: XNode; wrapper: boolean }>>();
  for (const child of node.children) {
    const part = listPart(child);
    if (part === null) continue;
    const seen = parts.get(part.list);
    if (seen) seen.push({ node: child, wrapper: part.wrapper });
    else parts.set(part.list, [{ node: child, wrapper: part.wrapper }]);
  }
  // (the wrappers that hold items now: those read as lists, looked into)
  const lists = new Set<XNode>();
  for (const [list, given] of parts) {
    const item = LISTS[list]!;
    const wrappers = given.filter((p) => p.wrapper).length;
    const shapes = new Set<string>();
    if (wrappers > 1) shapes.add(`<${given.find((p) => p.wrapper)!.node.name}> given ${wrappers} times`);
    const items: XNode[] = [];
    let readable = true;
    for (const p of given) {
      if (!p.wrapper) {
        shapes.add(`<${p.node.name}> given without a <${list}>`);
        const inner = heldItem(p.node, list, item);
        if (inner !== null) shapes.add(`each item in an element of its own (<${p.node.name}>)`);
        items.push(inner ?? p.node);
        continue;
      }
      const held = wrapperItems(p.node, list, item, given.length > 1);
      if (held === undefined) {
        readable = false;
        break;
      }
      if (held.shape !== null) shapes.add(held.shape);
      items.push(...held.items);
    }
    if (!readable) continue;
    const first = given[0]!.node;
    if (shapes.size === 0) {
      lists.add(first);
      continue;
    }
    const name = given[0]!.wrapper ? first.name : list;
    const gathered: XNode = { name, children: items, text: '', attributes: NO_ATTRIBUTES };
    const others = new Set(given.slice(1).map((p) => p.node));
    const kept = node.children.filter((c) => !others.has(c)).map((c) => (c === first ? gathered : c));
    node.children.splice(0, node.children.length, ...kept);
    lists.add(gathered);
    issues.push(issue('INGEST_XML_REPAIRED', 'warning', `list <${list}> not written as the XSD's (one <${list}> holding <${item}> items): ${[...shapes].join('; ')}; read as one list of ${items.length} item(s)`, { pointer: `${pointer}/${name}` }));
  }
  for (const child of node.children) {
    const ptr = `${pointer}/${child.name}`;
    if (lists.has(child)) child.children.forEach((c, k) => gatherLists(c, `${ptr}/${k}`, issues));
    else if (child.children.length > 0 && listPart(child)?.wrapper !== true && !INTERIM_LISTS.has(child.name.toLowerCase())) gatherLists(child, ptr, issues);
  }
}

/** An element with children → the JSON shape of its generation. */
function toObject(node: XNode, version: DecpVersion, pointer: string, issues: Issue[]): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const child of node.children) {
    const key = child.name;
    const ptr = `${pointer}/${key}`;
    if (FORBIDDEN_KEYS.has(key)) {
      issues.push(issue('INGEST_FORBIDDEN_KEY', 'warning', `element <${key}> dropped`, { pointer: ptr }));
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(obj, key)) {
      // the value left out is kept in the flag (its own issues are not: it is not data)
      issues.push(issue('INGEST_DUPLICATE_ELEMENT', 'warning', `<${key}> appears more than once: the first value is kept, this later one is left out`, { pointer: ptr, raw: toValue(child, version, ptr, [], node.name) }));
      continue;
    }
    obj[key] = toValue(child, version, ptr, issues, node.name);
  }
  // attributes are values too, after the elements (an element of the same name is kept)
  for (const [key, value] of node.attributes) {
    const ptr = `${pointer}/${key}`;
    if (FORBIDDEN_KEYS.has(key)) {
      issues.push(issue('INGEST_FORBIDDEN_KEY', 'warning', `attribute ${key} dropped`, { pointer: ptr }));
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(obj, key)) {
      if (obj[key] !== value.trim()) issues.push(issue('INGEST_DUPLICATE_ELEMENT', 'warning', `<${key}> is given as an element and as an attribute: the element's value is kept`, { pointer: ptr, raw: value }));
      continue;
    }
    obj[key] = leafText(value, ptr, issues);
  }
  return obj;
}

function leafText(raw: string, pointer: string, issues: Issue[]): string {
  const text = raw.trim();
  if (looksLikeMojibake(text)) issues.push(issue('INGEST_MOJIBAKE', 'warning', `text looks double-encoded (UTF-8 read as Latin-1): ${JSON.stringify(text.slice(0, 80))}`, { pointer }));
  return text;
}

function toValue(node: XNode, version: DecpVersion, pointer: string, issues: Issue[], parent = ''): unknown {
  // a 2.0.0 list named as its items (not one of those items itself, inside a 2.0.2 list)
  if (INTERIM_LISTS.has(node.name.toLowerCase()) && !sameName(itemOf(parent) ?? '', node.name) && node.attributes.length === 0 && (node.children.length > 0 || node.text.trim() === '') && node.children.every((c) => c.name === node.name)) {
    return node.children.map((c, k) => toValue(c, version, `${pointer}/${k}`, issues, node.name));
  }
  const item = itemOf(node.name);
  // a list element that holds text and no item (invalid, but data) is read as its text, as the same
  // value in JSON is: never emptied
  if (item !== undefined && (node.children.length > 0 || node.text.trim() === '') && node.children.every((c) => isItemOf(c.name, item))) {
    const values = node.children.map((c, k) => toValue(c, version, `${pointer}/${k}`, issues, node.name));
    // its attributes: in a list of texts, one named as its item is an item (`<techniques
    // technique="Accord-cadre"/>`, a one-item list as a serialiser of attributes writes it); any other
    // is said, with its value (they were left out unsaid: the technique lost)
    if (node.attributes.length > 0) {
      const other: Record<string, string> = {};
      for (const [k, v] of node.attributes) {
        if (STRING_LISTS.has(node.name.toLowerCase()) && isItemOf(k, item) && v.trim() !== '') values.push(leafText(v, `${pointer}/${values.length}`, issues));
        else other[k] = v;
      }
      if (Object.keys(other).length > 0) issues.push(issue('INGEST_XML_ATTRIBUTES_DROPPED', 'warning', `list <${node.name}> has attributes: its items are kept, not its attributes`, { pointer, raw: other }));
    }
    if (version === '2019' || version === '2023-interim') return values;
    if (STRING_LISTS.has(node.name.toLowerCase())) return { [item]: values };
    return values.map((v) => ({ [item]: v }));
  }
  if (node.content) {
    // markup within a text (an export that pasted HTML, `voirie<br/>Lot 1`): the text, tags left out
    if (onlyTextMarkup(node)) {
      issues.push(issue('INGEST_XML_REPAIRED', 'warning', `<${node.name}> holds HTML markup within its text (${markupNames(node)}): read as its text, without the tags`, { pointer }));
      return leafText(textContent(node), pointer, issues);
    }
    // data with stray text beside its elements: read as its elements, the text kept in the flag
    issues.push(issue('INGEST_XML_TEXT_DROPPED', 'warning', `<${node.name}> holds text beside its elements: its elements are read, the text is left out (kept here)`, { pointer, raw: node.content.filter((c): c is string => typeof c === 'string').join('').trim() }));
  }
  // (an element of attributes only, `<titulaire id="…"/>`, is an object of them)
  if (node.children.length > 0 || (node.attributes.length > 0 && node.text.trim() === '')) return toObject(node, version, pointer, issues);
  // a value with attributes (`<montant devise="EUR">1000</montant>`): the value, its attributes said
  if (node.attributes.length > 0) issues.push(issue('INGEST_XML_ATTRIBUTES_DROPPED', 'warning', `<${node.name}> has a value and attributes: the value is kept, not its attributes`, { pointer, raw: Object.fromEntries(node.attributes) }));
  const text = leafText(node.text, pointer, issues);
  if (node.attributes.length > 0) return text;
  const name = node.name.toLowerCase();
  if (XSD_INTEGERS.has(name) || (name === 'id' && XSD_NUMBERED.has(parent.toLowerCase()))) return xsdNumber(text, true);
  return XSD_NUMBERS.has(name) ? xsdNumber(text, false) : text;
}

/**
 * Elements the DECP XSDs (2019 and 2024) type as numbers: xs:decimal amounts and rates, xs:integer
 * durations and counts. Their text is the XSD's lexical form, so it means what it says: `1.234` is
 * one euro and 234 thousandths as `1.234` in JSON is, where the same text in a JSON string is
 * ambiguous (read as a thousand, flagged); `+12`, `.5` and `5.` are numbers too.
 */
const XSD_NUMBERS: ReadonlySet<string> = anyCase(['montant', 'valeurGlobale', 'montantSubventionPublique', 'depensesInvestissement', 'tarif', 'tauxAvance', 'origineUE', 'origineFrance']);
/** Elements the DECP XSDs type as xs:integer (or a restriction of it): no decimal point (`12.0` is no xs:integer). */
const XSD_INTEGERS: ReadonlySet<string> = anyCase(['dureeMois', 'offresRecues']);
/** Elements whose `id` the 2024 XSD types as xs:integer (a modification's, a subcontracting act's). */
const XSD_NUMBERED: ReadonlySet<string> = anyCase(['modification', 'acteSousTraitance', 'modificationActeSousTraitance', 'modificationActesSousTraitance']);
/** xs:decimal: no exponent, an optional sign, digits on either side of the point (the rule a text amount is read by too). */
const XSD_DECIMAL = PLAIN_DECIMAL;
/** xs:integer: an optional sign and digits. */
const XSD_INTEGER = /^[+-]?\d+$/;

/**
 * The number an XSD numeric text (xs:decimal, or xs:integer when `integer`) names, as JSON would
 * give it; a text that is not one stays text (the transforms read it leniently and flag it), and so
 * does an integer a double cannot hold exactly (as the JSON reader keeps it), without its `+` and
 * leading zeros.
 */
function xsdNumber(text: string, integer: boolean): string | number {
  if (!(integer ? XSD_INTEGER : XSD_DECIMAL).test(text)) return text;
  const whole = /^([+-]?)0*([1-9]\d{15,})$/.exec(text);
  if (whole) {
    const digits = (whole[1] === '-' ? '-' : '') + whole[2];
    if (!exactInteger(digits)) return digits;
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}
