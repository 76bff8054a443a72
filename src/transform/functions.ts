/**
 * The named transforms that mapping profiles refer to (`"transform": "date"`).
 * Each takes the raw value and a context (JSON pointer, flags sink, options)
 * and returns the clean value, or undefined when there is nothing to keep.
 * Problems become flags (`{code, pointer, raw}`), never exceptions. Pure.
 */
import { hasIrregularSpaceGroups, parseAmount, quantityWithUnit, parseFrenchNumber, parseMonths, type AmountOptions } from './amounts.js';
import { parseDecpDate, type DateOrder, type ParsedDate } from './dates.js';
import { decodeC1Controls, decodeHtmlReferences } from './html-references.js';
import { cleanIdentifier, normalizeCpv } from './identifiers.js';
import type { MappingFlag } from './profile.js';
import { elementText, listItems } from './profile.js';

export interface TransformContext {
  /** JSON pointer of the value in the source record (built only when a flag needs it). */
  readonly pointer: string;
  readonly flags: MappingFlag[];
  readonly codelist?: Readonly<Record<string, string>> | undefined;
  readonly item?: string | readonly string[] | undefined;
  /** How the source writes amounts (the profile's settings). */
  readonly amounts?: AmountOptions | undefined;
  /** The source's fixed offset (settings.utcOffset; none: Europe/Paris): the day an instant is in. */
  readonly utcOffset?: string | undefined;
  /** The order of day and month in a date whose year comes last (settings.dateOrder; none: day first). */
  readonly dateOrder?: DateOrder | undefined;
}

export type Transform = (value: unknown, ctx: TransformContext) => unknown;

/** A code looked up in a codelist, with the label the source gave. */
export interface Coded {
  readonly code: string | null;
  readonly label: string;
  /** The codelist's label a label of another spelling was read as (CODE_RESPELLED). */
  readonly readAs?: string;
}

/** Labels compare without case, accents, apostrophes or punctuation ("Appel d offres ouvert" = "Appel d'offres ouvert"). */
const labelKeys = new Map<string, string>();

export function labelKey(label: string): string {
  let k = labelKeys.get(label);
  if (k === undefined) {
    k = computeLabelKey(label);
    // labels repeat endlessly in a data set: remember them (bounded)
    if (labelKeys.size > 50_000) labelKeys.clear();
    labelKeys.set(label, k);
  }
  return k;
}

/**
 * A label's key: lower case, Latin letters without their accents (é = e; a Cyrillic й stays й, not и),
 * ligatures spelt out (œ = oe), every run of what is neither a letter nor a digit of any script one
 * space. (Keeping only a–z and 0–9 made every Cyrillic, Greek or Arabic label the empty key: all
 * equal, so a partner's schemes, codes and person types all matched one another.) HTML character
 * references are read first: an export that escaped its texts for a web page writes its labels
 * so too (`Proc&eacute;dure adapt&eacute;e`), and they are the same labels.
 */
function computeLabelKey(label: string): string {
  return decodeHtmlReferences(label)
    .normalize('NFD')
    .replace(/([A-Za-z])[\u0300-\u036f]+/g, '$1')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[œæß]/g, (c) => LIGATURES[c]!)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const LIGATURES: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss' };

/**
 * The small words a label's other spellings add or leave out (`Code de la commune`, `Marché de
 * défense et de sécurité`, `Procédure concurrentielle avec négociation` written `PCN`).
 */
const LOOSE_STOPWORDS: ReadonlySet<string> = new Set(['a', 'au', 'aux', 'avec', 'd', 'de', 'des', 'du', 'en', 'et', 'l', 'la', 'le', 'les', 'ou', 'par', 'pour']);

/**
 * A label's words as its other spellings share them (of its labelKey): without the small words, each
 * in the singular (`offres` as `offre`, `postaux` as `postal`) and a noun's adjective as the noun
 * (`départemental` as `département`, `régional` as `région`). Both sides are so written: a word
 * ending in `aux` loses it, else one ending in `s` or `x` loses that, then one ending in `al` loses
 * that (`postal` and `postaux` are both `post`). A collision of two labels is no harm: labels of
 * different codes that one spelling finds are ambiguous, read as none.
 */
function looseWords(key: string): string[] {
  const out: string[] = [];
  for (const w of key.split(' ')) {
    if (w === '' || LOOSE_STOPWORDS.has(w)) continue;
    let x = w.length > 4 && w.endsWith('aux') ? w.slice(0, -3) : w.length > 3 && /[sx]$/.test(w) ? w.slice(0, -1) : w;
    if (x.length > 4 && x.endsWith('al')) x = x.slice(0, -2);
    out.push(x);
  }
  return out;
}

/** A codelist as its labels' other spellings find it (built the first time a label is not found). */
interface LooseIndex {
  readonly list: Readonly<Record<string, string>>;
  /** the labels in the codelist's order (the first of several found is the one read) */
  readonly order: Map<string, number>;
  /** loose key → the labels of that key */
  readonly words: Map<string, string[]>;
  /** initials (`aoo`) → the labels they abbreviate */
  readonly initials: Map<string, string[]>;
  /** the codes of the list, upper case (a code given where a label is expected is no abbreviation) */
  readonly codes: Set<string>;
  /** label as given → its reading (bounded) */
  readonly seen: Map<string, Respelt | null>;
}

/** The code read and the codelist's label it was read as; or the codes it could be (ambiguous). */
export type Respelt = { readonly code: string; readonly label: string } | { readonly ambiguous: readonly string[] };

const looseIndexes = new WeakMap<object, LooseIndex>();
function looseIndex(list: Readonly<Record<string, string>>): LooseIndex {
  let ix = looseIndexes.get(list);
  if (ix) return ix;
  const words = new Map<string, string[]>();
  const initials = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, label: string): void => {
    if (k === '') return;
    const labels = m.get(k) ?? [];
    if (!labels.includes(label)) labels.push(label);
    m.set(k, labels);
  };
  const labels = Object.keys(list);
  for (const label of labels) {
    const key = labelKey(label);
    add(words, looseWords(key).join(' '), label);
    // an abbreviation takes a letter of each word, the small ones or not (`MAPA`, Marché à procédure
    // adaptée; `PCN`, Procédure concurrentielle avec négociation), but not an elided `d` or `l`
    const all = key.split(' ').filter((w) => w !== '' && w !== 'd' && w !== 'l');
    for (const ws of [all, key.split(' ').filter((w) => w !== '' && !LOOSE_STOPWORDS.has(w))]) {
      if (ws.length >= 2) add(initials, ws.map((w) => w[0]).join(''), label);
    }
  }
  ix = { list, order: new Map(labels.map((l, i) => [l, i])), words, initials, codes: new Set(Object.values(list).map((c) => c.toUpperCase())), seen: new Map() };
  looseIndexes.set(list, ix);
  return ix;
}

/**
 * What a label found is: its code; for a label of no code (`""`: Procédure adaptée, Concours), the
 * label itself — two such labels are two things —, a `Marché à …` the same as its `…` (MAPA's
 * `Marché à procédure adaptée` is the `Procédure adaptée`).
 */
function identity(ix: LooseIndex, label: string): string {
  const code = ix.list[label]!;
  return code !== '' ? code : `\u0000${looseWords(labelKey(label)).join(' ').replace(/^marche /, '')}`;
}

/** The labels found: one thing (its code, the first label in the codelist's order), several (ambiguous), or none (null). */
function oneOf(ix: LooseIndex, labels: readonly string[] | undefined): Respelt | null {
  if (labels === undefined || labels.length === 0) return null;
  const things = new Set(labels.map((l) => identity(ix, l)));
  if (things.size > 1) return { ambiguous: [...new Set(labels.map((l) => ix.list[l]!))].sort() };
  const first = [...labels].sort((a, b) => ix.order.get(a)! - ix.order.get(b)!)[0]!;
  return { code: ix.list[first]!, label: first };
}

/** A part of a label read on its own: the same words, or an abbreviation in capitals (`AOO`, `A.O.O.`). */
function readPart(part: string, ix: LooseIndex): string[] | null {
  const compact = part.replace(/[.\s]/g, '');
  if (/^[A-Z]{2,6}$/.test(compact) && !ix.codes.has(compact)) {
    const found = ix.initials.get(compact.toLowerCase());
    if (found !== undefined) return found;
  }
  return ix.words.get(looseWords(labelKey(part)).join(' ')) ?? null;
}

/**
 * A label a codelist does not have, read as another spelling of one it has (CODE_RESPELLED), each
 * class the same for every codelist: the same words but for the small ones, plurals and a noun's
 * adjective (`Appels d'offres ouverts`, `Code de la commune`, `Code départemental`); an abbreviation
 * in capitals, the initials of a label (`AOO`, `MAPA`, `DSP`); a label with its abbreviation or
 * another spelling beside it (`Appel d'offres ouvert (AOO)`, `MAPA - Procédure adaptée`), every part
 * read and of one code; a label cut short after two words or more, whose every longer label has one
 * code (`Marché négocié sans publicité`). Where the spellings found have different codes
 * (`Accord-cadre / marché subséquent`, `Procédure négociée`: with or without a call for competition),
 * none is chosen: `{ambiguous}`. Null: no other spelling.
 */
export function respellLabel(label: string, list: Readonly<Record<string, string>>): Respelt | null {
  const ix = looseIndex(list);
  if (ix.seen.has(label)) return ix.seen.get(label)!;
  const got = respellUncached(label, ix);
  if (ix.seen.size > 10_000) ix.seen.clear();
  ix.seen.set(label, got);
  return got;
}

function respellUncached(label: string, ix: LooseIndex): Respelt | null {
  const whole = readPart(label, ix);
  if (whole !== null) return oneOf(ix, whole);
  // a label and its abbreviation or another label beside it: in brackets, after a dash between
  // spaces, a slash (the parts of the text, each read; one unread leaves the whole unread)
  const parts = label.split(/[()[\]/]|\s[-–—]\s/).map((p) => p.trim()).filter((p) => labelKey(p) !== '');
  if (parts.length > 1) {
    const read = parts.map((p) => readPart(p, ix));
    return read.every((r) => r !== null) ? oneOf(ix, read.flat() as string[]) : null;
  }
  // cut short: the words of the labels it begins
  const words = looseWords(labelKey(label));
  if (words.length < 2) return null;
  const prefix = `${words.join(' ')} `;
  const found: string[] = [];
  for (const [k, labels] of ix.words) if (k.startsWith(prefix)) found.push(...labels);
  return oneOf(ix, found);
}

const keyedCodelists = new WeakMap<object, Map<string, string>>();
function keyed(list: Readonly<Record<string, string>>): Map<string, string> {
  let m = keyedCodelists.get(list);
  if (!m) {
    m = new Map(Object.entries(list).map(([label, code]) => [labelKey(label), code]));
    keyedCodelists.set(list, m);
  }
  return m;
}

const flag = (ctx: TransformContext, code: string, raw?: unknown): void => {
  ctx.flags.push(raw === undefined ? { code, pointer: ctx.pointer } : { code, pointer: ctx.pointer, raw });
};

/** A number written as text; a thousands group or decimals (`"1.500"`), as the source's decimal separator says (flagged). */
function numberOfText(v: string, ctx: TransformContext): number {
  // (spaces that group no thousands, "1 2", are no number: they are not taken out first)
  if (hasIrregularSpaceGroups(v)) return Number.NaN;
  const t = v.replace(/[\s\u00a0\u202f]+/g, '');
  const grouped = /^[-+]?[1-9]\d{0,2}([.,])\d{3}$/.exec(t);
  if (!grouped) return parseFrenchNumber(t);
  flag(ctx, 'NUMBER_SEPARATOR_AMBIGUOUS', v);
  return grouped[1] === (ctx.amounts?.decimalSeparator ?? ',') ? Number(t.replace(',', '.')) : Number(t.replace(/[.,]/, ''));
}

/** A count and the noun of what it counts (offers, bids, tenders, in French, English and Spanish). */
const COUNTED = /^\s*(\d{1,6})\s+(?:offres?|offre\(s\)|plis?|candidatures?|candidats?|soumissions?|soumissionnaires?|r[ée]ponses?|bids?|offers?|tenders?|ofertas?|propuestas?|oferentes?)(?:\s+re[çc]u(?:e|es|s)?|\s+received)?\s*\.?\s*$/iu;

/** A number's text, or a percentage's (`"5 %"`: 0.05, flagged NUMBER_PERCENT with `v`, the value as given); NaN when neither. */
function numberOrPercent(t: string, v: unknown, ctx: TransformContext): number {
  const percent = PERCENT.exec(t);
  if (percent === null) return parseFrenchNumber(t.trim());
  const n = parseFrenchNumber(percent[1]!);
  if (!Number.isFinite(n)) return n;
  flag(ctx, 'NUMBER_PERCENT', v);
  // (by its decimal text, not n / 100: 33.3 / 100 is 0.33299999999999996)
  const rate = Number(`${n}e-2`);
  return Number.isFinite(rate) ? rate : n / 100;
}

/** A percentage: a number and `%` (`5%`, `12,5 %`). */
const PERCENT = /^\s*(.*?\d)\s*%\s*$/;

/**
 * A number's text with the HTML character references an export left in it decoded (`12&nbsp;000,00`,
 * `1 000 &euro;`: French number formatting escaped for a web page), flagged TEXT_REFERENCES_DECODED
 * with the value as given; any other value as it is. (They made the amount unparsable: lost.)
 */
function withoutReferences(v: unknown, ctx: TransformContext): unknown {
  if (typeof v !== 'string' || !v.includes('&')) return v;
  const decoded = decodeHtmlReferences(v);
  if (decoded !== v) flag(ctx, 'TEXT_REFERENCES_DECODED', v);
  return decoded;
}

/** A number, or its text read by `text`; else nothing, flagged NUMBER_UNPARSABLE. */
function numberOf(given: unknown, ctx: TransformContext, text: (t: string) => number): number | undefined {
  if (given === undefined || given === null || given === '') return undefined;
  const v = withoutReferences(given, ctx);
  const n = typeof v === 'number' ? v : typeof v === 'string' ? text(v) : Number.NaN;
  if (!Number.isFinite(n)) {
    flag(ctx, 'NUMBER_UNPARSABLE', given);
    return undefined;
  }
  return n;
}

export const TRANSFORMS = {
  /** Text: trimmed; numbers become their decimal text; empty → nothing. */
  text: (v, ctx) => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      // a number past a double's range (1E400) reads as Infinity: no text of it is the source's
      flag(ctx, 'NUMBER_OUT_OF_RANGE');
      return undefined;
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') {
      flag(ctx, 'TEXT_NOT_A_STRING', v);
      return undefined;
    }
    const t = v.trim();
    return t === '' ? undefined : t;
  },
  /**
   * A free text (a title, a name, a description): as `text`, with the HTML character references an
   * export left in it decoded (`53000 &euro;`, `Lot 1 &#8211; voirie`, `DUPONT &amp; FILS`), flagged
   * TEXT_REFERENCES_DECODED with the text as given. Not for identifiers and codes (their value is
   * their identity).
   */
  prose: (v, ctx) => {
    const t = TRANSFORMS.text(v, ctx) as string | undefined;
    if (t === undefined) return t;
    let out = t;
    if (out.includes('&')) {
      const decoded = decodeHtmlReferences(out);
      if (decoded !== out) flag(ctx, 'TEXT_REFERENCES_DECODED', v);
      out = decoded;
    }
    // (C1 controls: Windows-1252 punctuation read as Latin-1, `L\u0092école`; flagged apart)
    const cp1252 = decodeC1Controls(out);
    if (cp1252 !== out) flag(ctx, 'TEXT_CONTROLS_DECODED', v);
    if (cp1252 === t) return t;
    const trimmed = cp1252.trim();
    return trimmed === '' ? undefined : trimmed;
  },
  /** An identifier or code: trimmed, inner spaces and dots removed, kept as a string. */
  identifier: (v, ctx) => {
    const c = cleanIdentifier(v, false);
    if (!c) {
      // an object, a list or a boolean where a code belongs is not one: kept in the flag
      if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number') flag(ctx, 'FIELD_SHAPE_UNEXPECTED', v);
      return undefined;
    }
    if (c.raw !== null && c.raw.trim() !== c.id) flag(ctx, 'ID_CLEANED', c.raw);
    return c.id;
  },
  /** A DECP day (see dates.ts); refused dates are flagged with their raw value. */
  date: (v, ctx): ParsedDate | undefined => {
    const r = parseDecpDate(v, ctx.utcOffset, ctx.dateOrder);
    if (r === null) return undefined;
    if (!r.ok) {
      flag(ctx, r.flag, v);
      return undefined;
    }
    for (const f of r.value.flags) if (f !== 'DATE_WITH_ZONE') flag(ctx, f, v);
    return r.value;
  },
  /** An amount in euros excluding VAT; placeholders are kept (the builder keeps them out of values) and flagged. */
  amount: (v, ctx) => {
    const r = parseAmount(withoutReferences(v, ctx), ctx.amounts);
    if (r === null) return undefined;
    for (const f of r.flags) if (f !== 'AMOUNT_AS_STRING') flag(ctx, f, v);
    return r.amount ?? undefined;
  },
  /**
   * A duration in months. A number written as text (XML's, or `"12"`) is not flagged; a text with
   * its unit (`2 ans`, read as 24 months) is, DURATION_AS_STRING with the text as given: the value
   * published is not the one written. A part of a month is rounded up (DURATION_ROUNDED, parseMonths).
   */
  months: (v, ctx) => {
    const read = withoutReferences(v, ctx);
    const r = parseMonths(read);
    if (r === null) return undefined;
    // (a worded duration, not the letters of a character reference: `12&nbsp;` is 12)
    for (const f of r.flags) if (f !== 'DURATION_AS_STRING' || (typeof read === 'string' && /\p{L}/u.test(read))) flag(ctx, f, v);
    return r.months ?? undefined;
  },
  /**
   * Any number (rates, counts): a dot or a comma is a decimal point (DECP's rates: `"1.000"` is 1). A
   * percentage (`"5 %"`) is the rate it says (0.05, as DECP's rates are written), flagged.
   */
  number: (v, ctx) => numberOf(v, ctx, (t) => numberOrPercent(t, v, ctx)),
  /**
   * A share from 0 to 1 (DECP's tauxAvance, origineUE, origineFrance: `0.3` is 30 %), read as `number`
   * (a percentage, `"30 %"`, is its share, flagged NUMBER_PERCENT). A number over 1 up to 100 (`30`,
   * `"12,5"`) is no share: a percentage written without its sign, read so (0.3), flagged
   * RATE_PERCENT_ASSUMED with the value as given (left as it was, it published an advance of 3000 %).
   * 1 stays 1 (all: the origins' usual value). Over 100, or negative, is no share of anything: nothing,
   * RATE_OUT_OF_RANGE.
   */
  rate: (v, ctx) => {
    const n = TRANSFORMS.number(v, ctx) as number | undefined;
    if (n === undefined || (n >= 0 && n <= 1)) return n;
    if (n < 0 || n > 100 || ctx.flags.some((f) => f.code === 'NUMBER_PERCENT' && f.pointer === ctx.pointer)) {
      flag(ctx, 'RATE_OUT_OF_RANGE', v);
      return undefined;
    }
    flag(ctx, 'RATE_PERCENT_ASSUMED', v);
    // (by its decimal text, as a percentage's: 33.3 / 100 is 0.33299999999999996)
    return Number(`${n}e-2`);
  },
  /**
   * A quantity, as a buyer's spreadsheet writes it: `"1.500"` and `"1,500"` (one to three digits, a
   * separator, three digits) are read as amounts are, as settings.decimalSeparator says, and flagged
   * (a French quantity of `"1.500"` is 1500, not 1.5); else as `number`.
   */
  // (a number and the unit it is counted in, `10 unidades`, `5 cajas`, `20 litros`: the number, flagged
  // QUANTITY_UNIT_IN_TEXT with the text as given — the builder takes the unit for a line that names
  // none —; found by a review: unparsable, the line had no quantity. A specification, `16 GB`, is no
  // unit: unparsable still)
  quantity: (v, ctx) => numberOf(v, ctx, (t) => {
    const n = numberOfText(t, ctx);
    if (!Number.isNaN(n)) return n;
    const counted = quantityWithUnit(t);
    if (counted === null) return n;
    const read = numberOfText(counted.number, ctx);
    if (!Number.isNaN(read)) flag(ctx, 'QUANTITY_UNIT_IN_TEXT', t);
    return read;
  }),
  /**
   * A whole number (counts such as offresRecues). A count written with the noun of what it counts
   * (`3 offres`, `2 plis reçus`, `4 candidatures`) is that count, flagged NUMBER_WORDS_IGNORED (raw: as given).
   */
  integer: (v, ctx) => {
    const n = numberOf(v, ctx, (t) => {
      const read = numberOrPercent(t, v, ctx);
      // (the nouns are looked for only where no number was read: no cost on the others)
      if (!Number.isNaN(read)) return read;
      const counted = COUNTED.exec(t);
      if (counted === null) return read;
      flag(ctx, 'NUMBER_WORDS_IGNORED', v);
      return Number(counted[1]);
    });
    if (n === undefined) return undefined;
    if (!Number.isInteger(n) || n < 0) {
      flag(ctx, 'INTEGER_INVALID', v);
      return undefined;
    }
    return n;
  },
  /** true/false, "oui"/"non", "true"/"false", 1/0; a spreadsheet's or an ERP's one letter, "O"/"N" (oui/non), "Y". */
  boolean: (v, ctx) => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'boolean') return v;
    const t = labelKey(String(v));
    if (['oui', 'true', '1', 'vrai', 'yes', 'o', 'y'].includes(t)) return true;
    if (['non', 'false', '0', 'faux', 'no', 'n'].includes(t)) return false;
    // (PostgreSQL's text of a boolean, `t` / `f`; a spreadsheet's 1 or 0 as a decimal, `1.0`, `0,00`:
    // looked at only where the usual words are not found)
    if (t === 't') return true;
    if (t === 'f') return false;
    if (/^[01] 0+$/.test(t)) return t[0] === '1';
    flag(ctx, 'BOOLEAN_UNPARSABLE', v);
    return undefined;
  },
  /** A CPV code without its check digit, 8 digits; the raw value is kept when it changed. */
  cpv: (v, ctx) => {
    if (v === undefined || v === null || v === '') return undefined;
    const r = normalizeCpv(v);
    if (!r) {
      flag(ctx, 'CPV_INVALID', v);
      return undefined;
    }
    const raw = String(v).trim();
    if (!/^\d{8}(-\d)?$/.test(raw)) flag(ctx, 'CPV_MALFORMED', v);
    return { code: r.code, raw };
  },
  /**
   * A UNSPSC commodity code, 8 digits, from a code given with a prefix or a suffix (SECOP's
   * `V1.80111701`, DNCP's `42201810-001`: the 8 digits); the raw value is kept when it changed. A
   * value without 8 digits in a row (`UNSPECIFIED`) is no code: flagged.
   */
  unspsc: (v, ctx) => {
    if (v === undefined || v === null || v === '') return undefined;
    const raw = String(v).trim();
    const m = /(?:^|\D)(\d{8})(?:\D|$)/.exec(raw);
    if (!m) {
      flag(ctx, 'UNSPSC_INVALID', v);
      return undefined;
    }
    return { code: m[1]!, raw };
  },
  /**
   * A label looked up in one of the profile's codelists; unknown labels keep code null and are
   * flagged. The label is a text as `prose` reads it (its HTML references decoded, flagged): it is
   * published as the code's details.
   */
  codelist: (v, ctx): Coded | undefined => {
    const label = TRANSFORMS.prose(v, ctx) as string | undefined;
    if (label === undefined) return undefined;
    const code = ctx.codelist ? keyed(ctx.codelist).get(labelKey(label)) : undefined;
    if (code !== undefined) return { code, label };
    // (another spelling of a label — a plural, an abbreviation, a label cut short — is looked for only
    // where the label itself is not found: no cost on the labels read)
    const other = ctx.codelist ? respellLabel(label, ctx.codelist) : null;
    if (other !== null && 'code' in other) {
      flag(ctx, 'CODE_RESPELLED', label);
      return { code: other.code, label, readAs: other.label };
    }
    flag(ctx, other !== null ? 'CODE_AMBIGUOUS' : 'CODE_UNKNOWN', label);
    return { code: null, label };
  },
  /** A list of texts in any list shape (2024 `{"technique":[…]}`, 2019 `[…]`, a single value). */
  textList: (v, ctx) => {
    const items: string[] = [];
    for (const given of listItems(v, ctx.item)) {
      // (an item written as an XML element, `{"_text": "Sans objet"}` as xml-js writes every one: its
      // text, said as where one value is read, FIELD_XML_TEXT with the element)
      const text = given !== null && typeof given === 'object' && !Array.isArray(given) ? elementText(given as Record<string, unknown>) : undefined;
      if (text !== undefined) flag(ctx, 'FIELD_XML_TEXT', given);
      const x = text ?? given;
      const t = typeof x === 'string' ? x.trim() : typeof x === 'number' ? String(x) : null;
      if (t !== null && t !== '') items.push(t);
      // an item that is not a text (an object, a list) is kept in a flag, not dropped
      else if (t === null && x !== null && x !== undefined) flag(ctx, 'FIELD_SHAPE_UNEXPECTED', x);
    }
    return items.length === 0 ? undefined : items;
  },
  /** The value as it is (for auditors' raw copies). */
  raw: (v) => (v === undefined || v === null || v === '' ? undefined : v),
} satisfies Record<string, Transform>;

export type TransformName = keyof typeof TRANSFORMS;

/** The transforms that read a list of values; the others read one value (a list of one is read as its value: profile.ts). */
export const LIST_TRANSFORMS: ReadonlySet<string> = new Set<TransformName>(['textList']);
