/**
 * Organisation identifiers (SIRET, SIREN, TVA, …) and codes. Pure.
 * Identifiers are always strings: leading zeros and letters (2A/2B) survive.
 */

export type IdentifierFlag = 'SIRET_SPACES' | 'SIRET_LENGTH' | 'SIRET_LUHN' | 'SIRET_NOT_DIGITS' | 'ID_EMPTY';

/** Luhn check (ISO/IEC 7812) on a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * Does a French VAT number's key fit its SIREN: (12 + 3 × (SIREN mod 97)) mod 97? (`key`: its two
 * characters after `FR`; a key with letters is given to those that have no SIREN: never.)
 */
export function vatKeyValid(key: string, siren: string): boolean {
  return /^\d\d$/.test(key) && /^\d{9}$/.test(siren) && Number(key) === (12 + 3 * (Number(siren) % 97)) % 97;
}

/**
 * The legal unit (SIREN) of a party's id: a French establishment's (`FR-RCS-<SIRET>`), a SIREN's
 * (`FR-RCS-<SIREN>`), a French VAT number's whose key fits (`FR-DECP-TVA-FR<key><SIREN>`); else null.
 * A SIRET mistyped to another length names its legal unit when its digits say which: 13 digits that
 * are a SIRET, and begin a SIREN, once the leading zero a spreadsheet or a JSON number dropped is put
 * back (`5420021700013`: 054200217; both keys pass), else 10 to 15 digits whose first nine pass the SIREN's key
 * (`324095884000056`, a digit too many in the establishment's number: 324095884). The party id stays
 * as given; the supplier views and indicators group it with its legal unit's other establishments.
 * (The store's SQL says the same: publish/sql-parts.ts sirenOf.)
 */
export function sirenOfPartyId(partyId: string): string | null {
  const rcs = /^FR-RCS-(\d{9,15})$/.exec(partyId);
  if (rcs) {
    const d = rcs[1]!;
    if (d.length === 9 || d.length === 14) return d.slice(0, 9);
    if (d.length === 13 && luhnValid(`0${d}`) && luhnValid(`0${d.slice(0, 8)}`)) return `0${d.slice(0, 8)}`;
    return luhnValid(d.slice(0, 9)) ? d.slice(0, 9) : null;
  }
  const vat = /^FR-DECP-TVA-FR(\d\d)(\d{9})$/.exec(partyId);
  return vat && vatKeyValid(vat[1]!, vat[2]!) ? vat[2]! : null;
}

/**
 * SIRET validity: 14 digits passing the Luhn check. La Poste's establishments
 * (SIREN 356000000) are numbered outside that rule: their digits sum to a
 * multiple of 5 (INSEE's documented exception) — all but its head office,
 * 35600000000048, which passes the Luhn check.
 */
export function siretValid(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (luhnValid(siret)) return true;
  if (siret.startsWith('356000000')) {
    let s = 0;
    for (const c of siret) s += c.charCodeAt(0) - 48;
    return s % 5 === 0;
  }
  return false;
}

export interface CleanIdentifier {
  /** The cleaned identifier (spaces and dots removed, and dashes between groups of digits); never empty. */
  readonly id: string;
  /** The value as the source gave it, when cleaning changed it. */
  readonly raw: string | null;
  readonly flags: readonly IdentifierFlag[];
}

/**
 * Clean an identifier given as a string or a number: trim, drop inner spaces,
 * dots and non-breaking spaces, and the dashes of digits written in dashed groups. For SIRETs (`isSiret`), check length and Luhn
 * and flag — never drop — a bad one.
 */
export function cleanIdentifier(value: unknown, isSiret: boolean): CleanIdentifier | null {
  if (value === null || value === undefined) return null;
  const raw = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : null;
  if (raw === null) return null;
  // the common case (a SIRET as it should be) has nothing to clean
  const digits = allDigits(raw);
  // (a spreadsheet's text marker before digits, `'21590163800019`, is no part of them)
  const unmarked = digits ? raw : raw.replace(/^\s*['’‘`]+(?=\s*\d)/, '');
  const spaced = digits ? raw : spreadsheetInteger(unmarked.trim()) ?? unmarked.replace(/[\s\u00a0.]/g, '');
  // (groups of digits joined by dashes are the number: an Argentine CUIT `20-12345678-6`, a SIRET
  // `123-456-789-00012`; a code of letters and digits keeps its dashes, `CHE-123-456-789`)
  const joined = /^\d+(?:[-\u2010\u2011\u2013]\d+)+$/.test(spaced) ? spaced.replace(/[-\u2010\u2011\u2013]/g, '') : spaced;
  // (a SIRET given the country's code, `FR80268496900016`: no VAT number has 14 digits after FR; the
  // SIRET when its key says it is one)
  const id = isSiret && /^FR\d{14}$/i.test(joined) && siretValid(joined.slice(2)) ? joined.slice(2) : joined;
  if (id === '') return null;
  const flags: IdentifierFlag[] = [];
  if (id !== raw.trim()) flags.push('SIRET_SPACES');
  if (isSiret) {
    if (!digits && !/^\d+$/.test(id)) flags.push('SIRET_NOT_DIGITS');
    else if (id.length !== 14) flags.push('SIRET_LENGTH');
    else if (!siretValid(id)) flags.push('SIRET_LUHN');
  }
  return { id, raw: id === raw ? null : raw, flags };
}

/**
 * The SIRETs of an identifier field that holds several, as a joint bid's supplier is sometimes
 * published (`44189140500017 / 80268496900016`, `…17; …16`, `…17 et …16`, `…17-…16`, or two groups
 * of 14 digits apart; a SIRET in dashed groups, `441-891-405-00017`, is one): each part 14 digits once its spaces and dots are gone, two parts at least, no two
 * alike; else null (one identifier, cleaned and checked by cleanIdentifier).
 */
export function jointSirets(value: unknown): string[] | null {
  if (typeof value !== 'string' || value.length < 29) return null;
  const text = value.trim();
  const parts = /[/;,&+|\n\-\u2013]|\set\s/i.test(text) ? text.split(/\s*(?:[/;,&+|\n\-\u2013]|\set\s)\s*/i) : text.split(/\s+/);
  const sirets = parts.map((p) => p.replace(/[\s.\u00a0]/g, '')).filter((p) => p !== '');
  if (sirets.length < 2 || !sirets.every((p) => /^\d{14}$/.test(p)) || new Set(sirets).size !== sirets.length) return null;
  return sirets;
}

/**
 * The digits of an identifier a spreadsheet wrote as a number (`21130087600011.0`,
 * `2.1130087600011E13`), or null: removing the dot would make another number
 * (`211300876000110`). Only a whole number written with every digit: `2,13504E+13` is any
 * number from 21350400000000 to 21350449999999 (a spreadsheet shows six digits), no identifier.
 */
function spreadsheetInteger(s: string): string | null {
  const plain = /^(\d+)\.0+$/.exec(s);
  if (plain) return plain[1]!;
  const sci = /^(\d)[.,](\d+)[eE]\+?(\d{1,2})$/.exec(s);
  if (!sci || sci[2]!.length !== Number(sci[3])) return null;
  return sci[1]! + sci[2]!;
}

/** A non-empty string of ASCII digits only. */
function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * The CPV groups whose code starts with 0 (divisions 03, agriculture, and 09, energy): the only codes
 * a number can lose a zero from.
 */
const LEADING_ZERO_GROUPS = new Set(['031', '032', '033', '034', '091', '092', '093']);

/**
 * CPV code: strip a "CPV" prefix, the check digit (`45320000-6`), spaces and dots
 * (`45.00.00.00-7`); right-pad to 8 digits with 0, cut beyond 8 (decp-processing's
 * rule). A code given as a JSON number lost its leading zero (`9134100` is
 * 09134100, fuels): it is left-padded; so is a code of 7 digits given as text, without
 * its check digit, that a zero in front makes a code of divisions 03 or 09 (`3451000`
 * is 03451000, plants, not 34510000, ships: what a spreadsheet does to a code). With
 * its check digit (`4543100-7`, 45431000-7), a code of 7 digits was cut at its end:
 * right-padded. Returns null when no digits are left.
 */
export function normalizeCpv(value: unknown): { code: string; changed: boolean } | null {
  if (value === null || value === undefined) return null;
  const raw = String(value).trim();
  if (raw === '') return null;
  // several codes in one field (`45000000;45100000`): the first is the main one (the caller flags the
  // value as malformed, with all of it)
  // (found by a plain search: a pattern of two open runs around the digits backtracked quadratically)
  const sep = raw.search(/[;,|]/);
  const first = sep > 0 && /\d{8}/.test(raw.slice(0, sep)) ? raw.slice(0, sep).trim() : raw;
  const [code0, check] = first.replace(/^cpv[\s:]*/i, '').split('-');
  const main = code0!.replace(/[\s.]/g, '');
  if (!/^\d+$/.test(main)) {
    // a code after its label or a prefix (`Travaux de construction - 45000000-7`, `Code CPV 45000000`,
    // `[45000000-7] Travaux`): its eight digits, the first such, wherever they are (the caller flags
    // the value as malformed, with all of it; a number of no CPV division is refused after)
    const inText = CPV_IN_TEXT.exec(raw);
    return inText === null ? null : { code: inText[1]!.replace(/\./g, ''), changed: true };
  }
  const lostZero = main.length < 8 && (typeof value === 'number' || (main.length === 7 && check === undefined && LEADING_ZERO_GROUPS.has(`0${main.slice(0, 2)}`)));
  const code = lostZero ? main.padStart(8, '0') : main.padEnd(8, '0').slice(0, 8);
  return { code, changed: code !== raw };
}

/** Eight digits of a CPV code (dotted in pairs or not) inside a text, not part of a longer number. */
const CPV_IN_TEXT = /(?<![\d.])(\d{8}|\d\d\.\d\d\.\d\d\.\d\d)(?![\d.]|\.\d)/;

/** The divisions of the CPV (2008): a code of another (`00000000`, a date `20190128`) names nothing in it. */
const CPV_DIVISIONS: ReadonlySet<string> = new Set(['03', '09', '14', '15', '16', '18', '19', '22', '24', '30', '31', '32', '33', '34', '35', '37', '38', '39', '41', '42', '43', '44', '45', '48', '50', '51', '55', '60', '63', '64', '65', '66', '70', '71', '72', '73', '75', '76', '77', '79', '80', '85', '90', '92', '98']);

/** Is this 8-digit code in one of the CPV's divisions? */
export const isCpvDivision = (code: string): boolean => CPV_DIVISIONS.has(code.slice(0, 2));

/**
 * Main procurement category from a CPV code: division 45 → works; 00–44 and 48
 * → goods; 49–98 → services (derived, marked as such by the caller).
 */
export function categoryFromCpv(cpv: string): 'goods' | 'works' | 'services' {
  const division = Number(cpv.slice(0, 2));
  if (division === 45) return 'works';
  if (division <= 44 || division === 48) return 'goods';
  return 'services';
}

/**
 * What publishers write where they have no identifier (compared lower-case, accents, spaces and
 * punctuation aside: a cleaned `Noncommuniqué` too); `MQ` (manquant) and `CDL` are what the
 * consolidation of decp-rama writes in an empty mandatory and optional field.
 */
const PLACEHOLDER_WORDS = new Set(['mq', 'manquant', 'manquante', 'cdl', 'nc', 'na', 'nd', 'nr', 'ns', 'sans', 'inconnu', 'inconnue', 'neant', 'aucun', 'aucune', 'vide', 'noncommunique', 'noncommuniquee', 'nonrenseigne', 'nonrenseignee', 'nonconnu', 'nondisponible', 'nonapplicable', 'acompleter', 'x', 'xx', 'xxx', 'null', 'nil', 'none', 'undefined', 'unknown', 'nodefinido', 'sindefinir', 'noaplica', 'sininformacion']);

const ASCII_DIGIT = /[0-9]/;

/** A non-empty string of one character written again and again (`00000000000000`), read in place (no copy to compare). */
function oneCharacter(s: string): boolean {
  const first = s.charCodeAt(0);
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) !== first) return false;
  return true;
}

/**
 * An identifier that names no organisation: one digit written 9 times or more (`00000000000000`,
 * `99999999999`), zeros of any length (`0`), no letter or digit at all (`-`, `?`), or a word that says there is none (`NC`,
 * `N/A`, `Non communiqué`). Made a party, it would gather unrelated organisations under one id
 * across the data set.
 */
export function isPlaceholderIdentifier(id: string): boolean {
  // (the common case, digits only, read by arithmetic: this runs for every party of every record)
  // (zeros of any length, `0`, name no organisation either: a platform's "none" as a number)
  if (allDigits(id)) return (id.length >= 9 || id.charCodeAt(0) === 0x30) && oneCharacter(id);
  if (/^\s*(\d)\1{8,}\s*$/.test(id)) return true;
  // (a text with a digit, `2020-660-00`, has a letter or digit and no placeholder word holds a
  // digit: not one, without the normalised words below, which every record id would build)
  if (ASCII_DIGIT.test(id)) return false;
  // (no placeholder word is this long: only a text without letters or digits could be one)
  if (id.length > 32) return !/[\p{L}\p{N}]/u.test(id);
  const words = id.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return words === '' || PLACEHOLDER_WORDS.has(words);
}

/**
 * A record id (a contract's, a framework's) that is a placeholder: zeros only, one digit written 8
 * times or more (`99999999`), or no identifier at all (`NC`, `-`). Convert's rule, which validate
 * --decp reads too (decp.id-placeholder).
 */
export const isPlaceholderId = (id: string): boolean => /^\s*(?:0+|(\d)\1{7,})\s*$/.test(id) || isPlaceholderIdentifier(id);

/** A cleaned identifier that is a placeholder, as cleaned or as the source gave it (`N.C.`, `Non communiqué`). */
export const isPlaceholder = (clean: CleanIdentifier): boolean => isPlaceholderIdentifier(clean.id) || (clean.raw !== null && isPlaceholderIdentifier(clean.raw));
