/**
 * Where a text names a natural person whose name a record withholds (RGPD, docs/mapping.md), and
 * that text with the name's words masked (`***`). One matcher for what convert publishes
 * (build-releases.ts `withholdEverywhere`) and what `validate`'s reports quote
 * (src/validate/persons.ts): a report never shows a word convert masks. Pure.
 */
import { labelKey } from './functions.js';
import type { Locale } from './locale.js';

/** Mask of a word of a withheld name in a text. */
export const MASK = '***';

/** A text that names a person by a civility or a status (not a withheld party's name) is taken word by word only when this short. */
const NAME_WORDS_MAX = 4;

/** An object whose texts name a person together (`{"nom": …, "prenom": …}`) has at most this many. */
export const SPLIT_NAME_FIELDS = 6;

export interface PersonWords {
  /** No name to look for (most records): no text holds one. */
  readonly empty: boolean;
  /**
   * The words of the names a text names, or undefined when it names none: it holds all of a name's
   * words (in any order, case or accents); or — unless `asGiven`, a source's value as given, a code
   * or an organisation's name — the surname alone, when the name writes it in capitals beside a
   * given name and the text writes it as a name, with a capital, not joined by a hyphen (`gérante
   * Mme DUPONT`, `chantier Bois` for `BOIS Marie EI`; not `bois de chauffage`, not
   * `Saint-Germain-en-Laye`); or any word of the name right after a civility or a sole trader's
   * mark (`chez M. Dupont`, whatever the name's case).
   */
  holds(text: string, asGiven?: boolean): Set<string> | undefined;
}

/**
 * The matcher of a record's natural persons: `names`, the names withheld (a party's: every one of
 * their words), and `found`, other texts that name a person (a flag's raw value, an unmapped
 * holder), taken word by word only when a name's length (NAME_WORDS_MAX): a sentence that starts
 * with a civility ("M. le Directeur des services de la Ville de …") is not a name.
 */
export function personWords(L: Locale, names: readonly string[], found: readonly string[] = []): PersonWords {
  // each name's words (particles aside), and those a text must hold to name that person: all of
  // them, or its surname when the name writes it in capitals beside a given name (`DUPONT Jean`:
  // "gérante Mme DUPONT")
  const wordsOf = (n: string): { all: Set<string>; needs: string[] } | undefined => {
    // (a name's words as a text's are cut: at digits too, `DUPONT2` holds `dupont`; a number is no word of a name)
    const all = new Set(L.nameWords(apartFromDigits(n)).filter((t) => !PARTICLES.has(t) && /\p{L}/u.test(t)));
    if (all.size === 0) return undefined;
    const caps = new Set((n.match(/[\p{L}\p{N}]{2,}/gu) ?? []).filter((t) => t === t.toUpperCase() && t !== t.toLowerCase()).map(labelKey));
    const surname = [...all].filter((t) => caps.has(t));
    return { all, needs: surname.length > 0 && surname.length < all.size ? surname : [...all] };
  };
  const words = [...names.map(wordsOf), ...found.map(wordsOf).filter((x) => x !== undefined && x.all.size <= NAME_WORDS_MAX)].filter((x) => x !== undefined);
  if (words.length === 0) return { empty: true, holds: () => undefined };
  // a text that cannot hold any name (none of the names' words, in any case or accents) is not read
  // further: the key of every text of a partner's unmapped columns cost a third of convert
  const maybe = new RegExp([...new Set(words.flatMap(({ all }) => [...all]))].map(loosely).join('|'), 'iu');
  // a word of a name where the text writes it (not inside a word, nor joined to others by a hyphen:
  // `Saint-Germain-en-Laye` is a place, whoever Mme GERMAIN is)
  // (digits do not join a word: `%20Fernanda` in a URL writes the name)
  const written = (text: string, word: string): RegExpExecArray[] => [...text.matchAll(new RegExp(`(?<![\\p{L}\\p{M}-])${loosely(word)}(?![\\p{L}\\p{M}]|-[\\p{L}\\p{N}])`, 'giu'))];
  // … after a civility, a sole trader's mark (what the profile's personNames and soleTraderNames find
  // in the word before it): `chez M. Dupont`, `de Mme VARLIN`, unambiguous whatever else the name says
  const afterCivility = (text: string, word: string): boolean =>
    written(text, word).some((m) => {
      const before = /(\S+)\s+$/u.exec(text.slice(Math.max(0, m.index - 24), m.index));
      return before !== null && L.namesPerson(before[1]!);
    });
  return {
    empty: false,
    // (`asGiven`: a source's value as given, or a name: every word of a name is needed; a free
    // text may name the person by the surname alone, written as a name is, with a capital:
    // `gérante Mme DUPONT`, `toiture Dupont` — not `bois de chauffage`, whoever M. Pierre BOIS is)
    holds(given, asGiven = false) {
      // (a text that writes words percent-encoded, a URL's `?nom=LEF%C3%88VRE%20Jean`: read decoded)
      const text = percentDecoded(given);
      if (!maybe.test(text) && !LIGATURE.test(text)) return undefined;
      // (the words looked for between spaces of the text's key: no set of its words per text)
      const key = ` ${labelKey(apartFromDigits(text))} `;
      let found: Set<string> | undefined;
      for (const { all, needs } of words) {
        const every = [...all].every((t) => key.includes(` ${t} `));
        const bySurname = !asGiven && !every && needs.length < all.size && needs.every((t) => key.includes(` ${t} `) && written(text, t).some((m) => /^\p{Lu}/u.test(m[0])));
        const named = every || bySurname || [...all].some((t) => key.includes(` ${t} `) && afterCivility(text, t));
        if (named) for (const t of all) (found ??= new Set()).add(t);
      }
      return found;
    },
  };
}

/**
 * A text with the words `ws` (label keys, as PersonWords.holds gives them) masked (a name's words
 * hold no digit: `Fernanda2` is a name and `2`). Words written percent-encoded (a URL's
 * `H%C3%A9l%C3%A8ne%20MARTIN`) are masked as decoded, the run that held them encoded again.
 */
export function maskWords(text: string, ws: ReadonlySet<string>): string {
  const plain = (t: string): string => t.replace(/\p{L}+|\p{N}+/gu, (w) => (ws.has(labelKey(w)) ? MASK : w));
  if (!PERCENT.test(text)) return plain(text);
  return text.replace(ENCODED_RUN, (run) => {
    const decoded = percentDecoded(run);
    if (decoded === run) return plain(run);
    const masked = plain(decoded);
    return masked === decoded ? run : encodeURIComponent(masked).replaceAll('%2A', '*');
  });
}

/** A percent-encoded byte (`%C3`). */
const PERCENT = /%[0-9A-Fa-f]{2}/;
/** A run of letters, digits and percent-encoded bytes: words of a URL, encoded. */
const ENCODED_RUN = /(?:[\p{L}\p{N}\p{M}._~+-]|%[0-9A-Fa-f]{2})+/gu;

/** A text with its percent-encoded UTF-8 decoded (as it is when that is not UTF-8). */
function percentDecoded(text: string): string {
  if (!PERCENT.test(text)) return text;
  try {
    return decodeURIComponent(text.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    return text;
  }
}

/** A text with a space between digits and letters that touch (`%20Fernanda`: `%20 Fernanda`), for its words' keys. */
const apartFromDigits = (text: string): string => text.replace(/(\p{N})(?=\p{L})|(\p{L})(?=\p{N})/gu, '$1$2 ');

/** Does a masked text still say anything (a letter besides its masks), or was it only a name? */
export function saysMoreThanMasks(text: string): boolean {
  return /\p{L}/u.test(text.replaceAll(MASK, ''));
}

/** Ligatures labelKey spells out (`œ` = `oe`): a text with one is always read whole. */
const LIGATURE = /[œæßŒÆẞ]/u;

/** Latin letters with their accented forms (labelKey's equals): a word as a pattern that finds it in any accents. */
const ACCENTED: Readonly<Record<string, string>> = { a: 'aàáâãäåāăą', c: 'cçćĉċč', e: 'eèéêëēĕėęě', i: 'iìíîïĩīĭįı', n: 'nñńņňŉ', o: 'oòóôõöøōŏő', u: 'uùúûüũūŭůűų', y: 'yýÿŷ', s: 'sśŝşš', z: 'zźżž', g: 'gĝğġģ', l: 'lĺļľŀł', r: 'rŕŗř', t: 'tţťŧ', d: 'dďđ', h: 'hĥħ', j: 'jĵ', k: 'kķ', w: 'wŵ' };

/** A word of labelKey's as a pattern over a text as written: any case, any accents, combining marks after a letter. */
function loosely(word: string): string {
  let out = '';
  for (const c of word) {
    const alt = ACCENTED[c];
    out += `${alt === undefined ? c.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&') : `[${alt}]`}[\u0300-\u036f]*`;
  }
  return out;
}

/** Words of a name that are particles, not the name (`EI TRAVAUX DE VOIRIE`, `Maria de la Cruz`): never masked alone. */
export const PARTICLES: ReadonlySet<string> = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'et', 'en', 'au', 'aux', 'sur', 'von', 'van', 'der', 'del', 'los', 'las', 'y', 'da', 'do', 'dos']);

/**
 * An object's keys renamed in place, in their order (`rename` gives a key back when it keeps it). Two
 * keys renamed alike both stay, the second numbered (`*** ***`, `*** *** (2)`): no value is lost.
 */
export function renameKeys(o: Record<string, unknown>, rename: (k: string) => string): void {
  const keys = Object.keys(o);
  const renamed = keys.map(rename);
  if (renamed.every((k, i) => k === keys[i])) return;
  const entries = keys.map((k) => [k, o[k]!] as const);
  for (const k of keys) delete o[k];
  entries.forEach(([, x], i) => {
    let k = renamed[i]!;
    for (let n = 2; Object.prototype.hasOwnProperty.call(o, k); n++) k = `${renamed[i]!} (${n})`;
    o[k] = x;
  });
}

/**
 * The names a text writes beside a civility or a sole trader's status (a word the profile's
 * personNames or soleTraderNames find alone: `Mme`, `M.`, `EI`): up to NAME_RUN words written with a
 * capital right after it (`avec Mme Jeanne DUPONT`), else right before it (`DUPONT Jean EI`); a
 * punctuation mark, a word in lower case or another mark ends the name. `M. le Directeur`: none.
 */
export function namesBesideMarks(text: string, L: Locale): string[] {
  const tokens = text.split(/\s+/u).filter((t) => t !== '');
  const core = (t: string): string => t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  const isMark = (t: string): boolean => core(t) !== '' && L.namesPerson(t);
  // (a word of a name: a capital first, no mark; a word that ends with a punctuation mark ends the name)
  const named = (t: string): boolean => /^\p{Lu}/u.test(core(t)) && !isMark(t);
  const ends = (t: string): boolean => /[^\p{L}\p{N}.]$/u.test(t);
  const out: string[] = [];
  tokens.forEach((t, i) => {
    if (!isMark(t)) return;
    const after: string[] = [];
    for (let j = i + 1; j < tokens.length && after.length < NAME_RUN && named(tokens[j]!) && !(j > i + 1 && ends(tokens[j - 1]!)); j++) after.push(core(tokens[j]!));
    const before: string[] = [];
    if (after.length === 0 && !/^[^\p{L}\p{N}]/u.test(t)) for (let j = i - 1; j >= 0 && before.length < NAME_RUN && named(tokens[j]!) && !ends(tokens[j]!); j--) before.unshift(core(tokens[j]!));
    const name = after.length > 0 ? after : before;
    if (name.length > 0) out.push(name.join(' '));
  });
  return out;
}

/** The most words a name beside a civility or a status is taken to have (given names, surname). */
const NAME_RUN = 3;

/**
 * A key as the words it writes: an XML element's name cannot hold a space, and writes a name glued
 * (`<GwendolineQUIMPERLE>`, `<DUPONT_Jean>`): a lower-case letter before a capital starts a word.
 * `mask` masks a text's words as a free text's (PersonWords.holds, maskWords); the key is given back
 * as it is when nothing in it is masked.
 */
export function maskedKey(key: string, mask: (text: string) => string): string {
  const masked = mask(key);
  if (masked !== key) return masked;
  const apart = key.replace(/(\p{Ll})(?=\p{Lu})/gu, '$1 ');
  if (apart === key) return key;
  const out = mask(apart);
  return out === apart ? key : out;
}
