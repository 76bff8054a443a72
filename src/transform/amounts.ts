/**
 * Amounts and durations from DECP. Pure.
 * DECP amounts are euros excluding VAT, given as numbers or strings
 * (`"30000.00"`, `"1 234,50"`); some are placeholders (`999999999`).
 */

export type AmountFlag =
  | 'AMOUNT_AS_STRING'
  | 'AMOUNT_UNPARSABLE'
  | 'AMOUNT_PLACEHOLDER'
  | 'AMOUNT_IMPLAUSIBLE'
  | 'AMOUNT_ZERO'
  | 'AMOUNT_NEGATIVE'
  | 'AMOUNT_TTC'
  | 'AMOUNT_SEPARATOR_AMBIGUOUS'
  | 'AMOUNT_CURRENCY_IN_TEXT'
  | 'AMOUNT_CURRENCY_NAMED'
  | 'AMOUNT_SEPARATOR_APOSTROPHE'
  | 'AMOUNT_SCALED'
  | 'AMOUNT_SCALE_AMBIGUOUS'
  | 'AMOUNT_WORDS_IGNORED'
  | 'AMOUNT_PER_PERIOD';

/**
 * The flag under which an amount's text that names a currency is handed over when the record may give
 * its own (AmountOptions.recordCurrency): which currency is another is known only once the record's is
 * (build-releases: resolveCurrencyNamed, AMOUNT_CURRENCY_IN_TEXT or nothing). It never reaches a release.
 */
export const CURRENCY_NAMED = 'AMOUNT_CURRENCY_NAMED';

/**
 * More than all French public purchasing in a year, many times over: not an amount (1e20, 1e300…).
 * A partner whose currency counts in larger units (pesos, guaraníes) sets its own (settings.implausibleAmount).
 */
export const IMPLAUSIBLE_AMOUNT = 1e12;

export function isImplausibleAmount(n: number, threshold = IMPLAUSIBLE_AMOUNT): boolean {
  return Math.abs(n) >= threshold;
}

/** How a source writes amounts: its decimal separator (which decides "1,234" and "1.234"), what is implausible. */
export interface AmountOptions {
  readonly decimalSeparator?: ',' | '.' | undefined;
  readonly implausible?: number | undefined;
  /** The currency the source's amounts are in (settings.currency; default EUR): euros written beside an amount of another are said. */
  readonly currency?: string | undefined;
  /**
   * The profile reads a currency per record (its `currency` field), the one of its amounts: a text that
   * names a currency is flagged AMOUNT_CURRENCY_NAMED, judged against the record's currency later
   * (otherCurrencyInText), not against `currency`.
   */
  readonly recordCurrency?: boolean | undefined;
}

/** Euros written beside an amount: "1 234,56 €", "EUR 5000", "5000 euros" (DECP's own). */
// (glued to the amount too, as an export writes it, `1500.00EUR`, `12,50HT`: found by a CSV probe, unparsable)
// (and a tax word glued after it, `5000EURHT`, `12,50eurTTC`, as `5000€HT` is read: found by a review)
const EURO_WORDS = /€|(?:\b|(?<=\d))eur(?:os?)?(?=[\s\d.,]|$|(?:h\.?\s?t|t\.?t\.?c)\.?(?:[\s\d.,]|$))/gi;
/** Tax words beside an amount: "HT", "TTC". */
const TAX_WORDS = /(?:\b|(?<=\d))(?:h\.?\s?t\.?|t\.?t\.?c\.?)(?=[\s\d.,]|$)/gi;
/**
 * Another currency written beside the amount: a symbol ("$ 1.500.000,00", "US$ 1,250.50", "£12.50";
 * Argentina's and Uruguay's dollars, "U$S 25.000,00" or "U$D", as one symbol: its last letter is no
 * part of the amount)
 * or an ISO 4217 code, in capitals, apart from the digits or before them ("USD 250.000,00",
 * "250 000 COP", "USD250"). Read without it, and flagged AMOUNT_CURRENCY_IN_TEXT with the text as
 * given (which currency "$" means is for a reader to check) — unless it is the code of the source's
 * own currency (`settings.currency`: "250 000 COP" in a Colombian source is a peso amount), or a sign
 * that may name it (`$650.000` there: see currencyWords).
 */
const CURRENCY_SYMBOL = /\b[Uu]\$[SsDd](?![A-Za-z])|(?:\b[A-Za-z]{1,2})?\$|[£¥₴₲₱]/g;
/**
 * The symbols that name one currency of the partners' (the pound, the hryvnia, the guaraní, the
 * Philippine peso; the US dollar as `US$` and Argentina's `U$S`, `U$D`; `MX$`, `R$`, `AR$`), in capitals:
 * the source's own currency's symbol beside its amount is that currency, as its code is (a UK
 * source's "£12.50"; "U$S 5.000,00" in a record in USD: found by a partner's probe, flagged as
 * another currency). "$" (dollars and pesos) and "¥" (yen and yuan) name several.
 */
const SYMBOL_CURRENCY: Readonly<Record<string, string>> = {
  '£': 'GBP', '₴': 'UAH', '₲': 'PYG', '₱': 'PHP', US$: 'USD', U$S: 'USD', U$D: 'USD', MX$: 'MXN', R$: 'BRL', AR$: 'ARS',
  // (the other dollars, as their own writers and CLDR write them: `A$ 12.50` in a record in AUD was
  // another currency, surely, and in euros nothing told it from US dollars — found by a review)
  A$: 'AUD', AU$: 'AUD', CA$: 'CAD', NZ$: 'NZD', HK$: 'HKD', S$: 'SGD', NT$: 'TWD', RD$: 'DOP', J$: 'JMD', TT$: 'TTD', BZ$: 'BZD', EC$: 'XCD',
};
/**
 * The currencies a sign that names several may be beside an amount: `$` (dollars and pesos), `¥`
 * (yen and yuan). `$ 1.500,00` in a record in pesos is another currency's as far as the text says
 * (flagged), but may well be the peso's own sign.
 */
const SIGN_CURRENCIES: Readonly<Record<string, ReadonlySet<string>>> = {
  $: new Set(['USD', 'ARS', 'MXN', 'CLP', 'COP', 'UYU', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'TWD', 'DOP', 'CUP']),
  '¥': new Set(['JPY', 'CNY']),
  // (`C$`: the Canadian dollar's, and Nicaragua's córdoba's)
  C$: new Set(['CAD', 'NIO']),
};
/**
 * The currency a symbol written alone names, when it names one (`U$S`, `US$`: USD; `£`; `€`): a
 * per-record currency column that writes symbols (an Argentine export's `u$s`). `$` names none.
 */
export function currencyOfSymbol(text: string): string | undefined {
  const t = text.trim().toUpperCase();
  return t === '€' ? 'EUR' : SYMBOL_CURRENCY[t];
}
/**
 * The currency a sign that names several (`$`, `C$`, `¥`: SIGN_CURRENCIES) written alone stands for in
 * a source whose own currency, `home` (settings.currency), is one of them: that one (a Colombian,
 * Argentine or Mexican export's currency column says `$` for its pesos, as its amounts' text does:
 * `$650.000`); undefined in a source of another currency (`$` in a euro profile may be any dollar or
 * peso).
 */
export function currencyOfSign(text: string, home: string): string | undefined {
  return SIGN_CURRENCIES[text.trim().toUpperCase()]?.has(home) === true ? home : undefined;
}
/**
 * The partners' own words and abbreviations for their currencies, as their exports write them beside
 * an amount: Paraguay's `Gs.` (guaraníes), Ukraine's `грн` (hryvnias), Colombia's `COL$`, Mexico's
 * `M.N.` (moneda nacional). Each names one currency, as a code does.
 */
const LOCAL_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(?<![\p{L}])(?:gs\.?|guaran[ií]es)(?![\p{L}])/giu, 'PYG'],
  [/(?<![\p{L}])(?:грн\.?|гривн\p{L}*|гривень)(?![\p{L}])/giu, 'UAH'],
  [/(?<![\p{L}])COL\$/gu, 'COP'],
  [/(?<![\p{L}])M\.\s?N\.?(?![\p{L}])/gu, 'MXN'],
];
const CURRENCY_CODE = /(?:^|(?<=\s))([A-Z]{3})(?=\s|$)|^([A-Z]{3})(?=[\d-])|(?<=\d)([A-Z]{3})$/g;
const ISO_4217: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const TTC = /(?:\b|(?<=\d)|(?<=eur|euros?))t\.?t\.?c\b/i;

/**
 * The amount decp-processing (the consolidated DECP of data.gouv.fr) writes in place of an absurd one
 * (more than 11 integer digits): red-flags.md §3.4 3.
 */
const DECP_PROCESSING_SENTINEL = 12_311_111_111;

/**
 * Values that publishers use for "unknown": all nines of 8 digits or more (99999999.99 too), and
 * decp-processing's sentinel for an absurd amount (12311111111).
 */
export function isPlaceholderAmount(n: number): boolean {
  return n === DECP_PROCESSING_SENTINEL || (n >= 99_999_999 && /^9+(\.(0+|9+))?$/.test(String(n)));
}

/**
 * Parse an amount. Returns the number (placeholders included: the caller keeps
 * them out of OCDS values) and the flags that describe it.
 */
export function parseAmount(value: unknown, options: AmountOptions = {}): { amount: number | null; flags: AmountFlag[] } | null {
  const decimal = options.decimalSeparator ?? ',';
  if (value === null || value === undefined) return null;
  const flags: AmountFlag[] = [];
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return null;
    flags.push('AMOUNT_AS_STRING');
    // DECP amounts are without VAT: a "TTC" amount is kept as given, and flagged
    if (TTC.test(t)) flags.push('AMOUNT_TTC');
    const words = currencyWords(t, options.currency ?? 'EUR');
    let bare = words.bare;
    if (options.recordCurrency === true ? words.named : words.other) flags.push(options.recordCurrency === true ? 'AMOUNT_CURRENCY_NAMED' : 'AMOUNT_CURRENCY_IN_TEXT');
    // (spaces out: "- 1.234", what "-$1.234" leaves, is the "-1.234" below)
    bare = bare.replace(/[\s\u00a0\u202f]+/g, ' ').trim().replace(/^([-+])\s+/, '$1');
    // "1.234" and "1,234" (one to three digits, a separator, three digits) could be a thousand or a
    // decimal: read as the source's decimal separator says (French: the comma; "1.234" is then 1234,
    // "1,234" is 1.234; a dot: the reverse), and flagged ("12.345.678", "1234,567", "1 234,567" or
    // "0.500" are not ambiguous: no thousands group starts with 0)
    const dotGroup = /^[-+]?[1-9]\d{0,2}\.\d{3}$/.test(bare);
    const commaGroup = /^[-+]?[1-9]\d{0,2},\d{3}$/.test(bare);
    if (dotGroup || commaGroup) flags.push('AMOUNT_SEPARATOR_AMBIGUOUS');
    // but an amount written with its currency (a sign, a code, euros) is written as prices are shown,
    // with the currency's minor digits, never three but in the dinars and rials that have them:
    // `$650.000` in pesos is 650,000 whatever the source's decimal separator (found by a partners'
    // shapes probe: a SECOP II export's "$650.000" read as 650 pesos)
    if ((dotGroup || commaGroup) && words.named && !THREE_MINOR_DIGITS.has(options.currency ?? 'EUR') && !THREE_MINOR_CODE.test(t)) n = Number(bare.replace(/[.,]/, ''));
    else if (dotGroup) n = decimal === ',' ? Number(bare.replace('.', '')) : Number(bare);
    else if (commaGroup) n = decimal === ',' ? Number(bare.replace(',', '.')) : Number(bare.replace(',', ''));
    else n = parseFrenchNumber(bare, decimal);
    // (other spellings are looked for only where the usual ones read nothing: no cost on the others)
    // (a text of more than 200 characters is no amount with a few words: not looked at)
    if (Number.isNaN(n) && t.length <= 200) {
      const other = otherSpelling(bare, decimal);
      if (other !== null) {
        flags.push(...other.flags);
        if (other.n === null) return { amount: null, flags };
        n = other.n;
      } else {
        const worded = withoutWords(t, options);
        if (worded !== null) return worded;
      }
    }
  } else {
    return { amount: null, flags: ['AMOUNT_UNPARSABLE'] };
  }
  // (a number past a double's range, `1e400`, read as Infinity: an amount, implausible, not a text
  // that says none; no value is kept, Infinity being no JSON number)
  if (n === Number.POSITIVE_INFINITY || n === Number.NEGATIVE_INFINITY) return { amount: null, flags: [...flags, 'AMOUNT_IMPLAUSIBLE'] };
  if (!Number.isFinite(n)) return { amount: null, flags: [...flags, 'AMOUNT_UNPARSABLE'] };
  if (n === 0) flags.push('AMOUNT_ZERO');
  if (n < 0) flags.push('AMOUNT_NEGATIVE');
  if (isPlaceholderAmount(n)) flags.push('AMOUNT_PLACEHOLDER');
  else if (isImplausibleAmount(n, options.implausible)) flags.push('AMOUNT_IMPLAUSIBLE');
  return { amount: n, flags };
}

/** The ISO 4217 currencies of three minor digits (a price shown in them may end in `.500`). */
const THREE_MINOR_DIGITS: ReadonlySet<string> = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
const THREE_MINOR_CODE = /(?<![A-Za-z])(?:BHD|IQD|JOD|KWD|LYD|OMR|TND)(?![A-Za-z])/i;

/**
 * An amount's text without its currency and tax words (`bare`); `named`: it names a currency (euros, a
 * symbol, an ISO 4217 code); `other`: one that is not `currency`, the one its amounts are in.
 */
function currencyWords(t: string, currency: string, home: string = currency): { bare: string; named: boolean; other: boolean; surely: boolean; names: Set<string | null> } {
  // (`names`: the currencies named, null for a sign that names several)
  const names = new Set<string | null>();
  // euros beside the amount of a source in another currency (a Ukrainian "1 000 €"): another currency
  let other = false;
  let named = false;
  // (`surely`: another currency that cannot be `currency` — not a sign that may name it, `$` in pesos)
  let surely = false;
  const euro = currency !== 'EUR';
  let bare = t.replace(EURO_WORDS, () => {
    named = true;
    names.add('EUR');
    if (euro) other = surely = true;
    return ' ';
  });
  // (a partner's own word for its currency: `Gs. 445.000`, `8 154,00 грн`, found by a partners' shapes
  // probe, unparsable; looked for only in a text with a letter)
  if (/\p{L}/u.test(bare)) {
    for (const [word, code] of LOCAL_WORDS) {
      bare = bare.replace(word, () => {
        named = true;
        names.add(code);
        if (code !== currency) other = surely = true;
        return ' ';
      });
    }
  }
  bare = bare.replace(TAX_WORDS, ' ').replace(CURRENCY_SYMBOL, (symbol: string) => {
    named = true;
    const one = SYMBOL_CURRENCY[symbol.toUpperCase()];
    names.add(one ?? null);
    if (one === currency) return ' ';
    const sign = one === undefined ? SIGN_CURRENCIES[symbol.toUpperCase()] : undefined;
    // a sign that names several currencies, the record's among them, is the record's own: `$650.000` in
    // pesos is the peso's sign, as Colombia, Mexico, Argentina and Chile write it (found by a partner's
    // probe: every amount of a SECOP II export in COP was flagged) — unless the source's own currency
    // (`home`, settings.currency), another, is written with that sign too: `$` in a dollar record of a
    // peso source may be either, said
    if (sign?.has(currency) === true && (home === currency || !sign.has(home))) return ' ';
    other = true;
    if (sign?.has(currency) !== true) surely = true;
    return ' ';
  });
  bare = bare.replace(CURRENCY_CODE, (code: string, a?: string, b?: string, c?: string) => {
    const iso = a ?? b ?? c ?? '';
    if (!ISO_4217.has(iso)) return code;
    named = true;
    names.add(iso);
    // (the source's own currency written beside its amount is that currency: nothing to say)
    if (iso !== currency) other = surely = true;
    return ' ';
  });
  return { bare, named, other, surely, names };
}

/**
 * Words beside an amount that leave it as it is (DECP's montant is the fixed or estimated maximum
 * amount without VAT): a label (`Montant :`, `Montant HT :`), `hors taxes`, `HTVA`, `(HT)`, `maximum`,
 * `max.`, `estimé`, `environ`, `forfaitaire`, `(montant maximum)`.
 */
const AMOUNT_WORDS = /(?<![\p{L}])(?:hors[ -]tax(?:es?)?|hors tva|h\.?\s?t\.?\s?v\.?\s?a\.?|montant|prix|valeur|global|total|maximum|maxi|max\.?|au maximum|estim[ée]e?|estimatif|estimation|environ|forfaitaire)(?![\p{L}])|\(\s*(?:h\.?\s?t\.?|hors[ -]tax(?:es?)?)\s*\)/giu;
/** An amount by a period (`15 000 € HT/an`, `par mois`, `annuel`): the contract's total depends on its duration, not said. */
const PER_PERIOD = /(?:\/\s*|(?<![\p{L}])par\s+)(?:an|ann[ée]e|mois|jour|semaine|trimestre|heure|h(?![\p{L}.]))(?![\p{L}])|(?<![\p{L}])(?:annuel|mensuel|journalier|hebdomadaire|horaire)(?:le)?s?(?![\p{L}])/iu;

/**
 * An amount's text read without the words beside it that leave it as it is (AMOUNT_WORDS), flagged
 * AMOUNT_WORDS_IGNORED; an amount by a period is none, AMOUNT_PER_PERIOD. Null: neither (the text
 * stays unparsable). Only a text the other readings found no number in is looked at.
 */
function withoutWords(t: string, options: AmountOptions): { amount: number | null; flags: AmountFlag[] } | null {
  if (PER_PERIOD.test(t)) return { amount: null, flags: ['AMOUNT_AS_STRING', 'AMOUNT_PER_PERIOD'] };
  const plain = t.replace(AMOUNT_WORDS, ' ').replace(/\(\s*\)/g, ' ').replace(/[:=]/g, ' ');
  if (plain === t || !/\d/.test(plain)) return null;
  const again = parseAmount(plain, options);
  if (again === null || again.amount === null) return null;
  return { amount: again.amount, flags: ['AMOUNT_AS_STRING', 'AMOUNT_WORDS_IGNORED', ...again.flags.filter((f) => f !== 'AMOUNT_AS_STRING')] };
}

/** Thousands grouped by apostrophes, as Swiss writers and spreadsheets do (`6'553'000`, `6’553’000.50`): never a decimal separator. */
const APOSTROPHE_GROUPS = /^[-+]?\d{1,3}(?:['’ʼ]\d{3})+(?:[.,]\d+)?$/;
/**
 * A number and a word of scale after it (the euros already taken out): `150 K€`, `150 k€`, `150 KEUR`,
 * `6,553 M€`, `1.5M`, `1,2 million d'euros`, `2 milliards`, `2 Md€`. The number is group 1, the word group 2.
 */
const SCALE_SUFFIX = /^([-+]?\d[\d ,.'’ʼ]*?) ?([Mm]illiards?|[Mm]illions?|[Mm]ille|[Bb]illions?|[Bb]n|KEUR|kEUR|MEUR|Mrds?|Mds|Md|Mio|MM|[kKMm])(?: d['’ʼ]| de)?$/;
/** The power of ten of each scale word read; the others (`m`: milli, mille or million? `billion`: 10⁹ in English, 10¹² in French; `MM`) are not read. */
const SCALE_POWERS: Readonly<Record<string, number>> = {
  k: 3, kEUR: 3, mille: 3, Mille: 3, M: 6, MEUR: 6, Mio: 6, million: 6, millions: 6, Million: 6, Millions: 6,
  Md: 9, Mds: 9, Mrd: 9, Mrds: 9, milliard: 9, milliards: 9, Milliard: 9, Milliards: 9,
};

/**
 * An amount written in a way the usual reading (parseFrenchNumber) does not know, read exactly or not
 * at all: thousands grouped by apostrophes (AMOUNT_SEPARATOR_APOSTROPHE), or a number with a word of
 * scale (AMOUNT_SCALED: `6,553 M€` is 6553000, by its decimal text, never 6.553 × 10⁶ in floating
 * point). A scale word that says no one power of ten, or a number before it whose separator could be
 * a thousands group (`6.553 M€` in a source whose decimal separator is the comma: 6.5 million or 6.5
 * billion), is read as nothing, AMOUNT_SCALE_AMBIGUOUS. Null: not one of these spellings.
 */
function otherSpelling(bare: string, decimal: ',' | '.'): { n: number | null; flags: AmountFlag[] } | null {
  if (APOSTROPHE_GROUPS.test(bare)) return { n: Number(bare.replace(/['’ʼ]/g, '').replace(',', '.')), flags: ['AMOUNT_SEPARATOR_APOSTROPHE'] };
  const scaled = SCALE_SUFFIX.exec(bare);
  if (scaled === null) return null;
  const number = scaled[1]!.trim();
  const word = scaled[2]!;
  const power = SCALE_POWERS[word === 'K' || word === 'KEUR' ? 'k' : word];
  if (power === undefined) return { n: null, flags: ['AMOUNT_SCALE_AMBIGUOUS'] };
  const flags: AmountFlag[] = [];
  let n: number;
  const group = /^[-+]?[1-9]\d{0,2}([.,])\d{3}$/.exec(number);
  if (group !== null) {
    // one separator before three digits: the source's decimal separator is read so, as in an amount
    // without a scale (and flagged the same); the other one may group thousands: a thousandfold doubt
    if (group[1] !== decimal) return { n: null, flags: ['AMOUNT_SCALE_AMBIGUOUS'] };
    flags.push('AMOUNT_SEPARATOR_AMBIGUOUS');
    n = Number(number.replace(',', '.'));
  } else n = APOSTROPHE_GROUPS.test(number) ? Number(number.replace(/['’ʼ]/g, '').replace(',', '.')) : parseFrenchNumber(number, decimal);
  if (!Number.isFinite(n)) return null;
  flags.push('AMOUNT_SCALED');
  // (by the decimal text: Number("6.553e6") is 6553000, where 6.553 * 1e6 is 6553000.000000001)
  const [mantissa, exponent] = String(n).split('e');
  return { n: Number(`${mantissa}e${Number(exponent ?? 0) + power}`), flags };
}

/**
 * Does an amount's text name another currency than `currency`, the one of its record (its own, or the
 * profile's)? `USD 5.000,00` in a record in dollars does not; `ARS 5.000,00` there does, whatever the
 * profile's currency (what AMOUNT_CURRENCY_NAMED is resolved by). A sign that names several currencies
 * (`$`) is the record's own when it names it, unless it names `home` too, the source's currency
 * (settings.currency), another: `$ 12` in a record in USD of a peso source may be pesos.
 */
export function otherCurrencyInText(text: string, currency: string, home: string = currency): boolean {
  return currencyWords(text.trim(), currency, home).other;
}

/**
 * Does an amount's text name a currency that cannot be `currency`? `3 000 USD` in a record in euros
 * does; `$ 3.000` in a record in pesos does not (`$` may be the peso's sign: flagged all the same,
 * otherCurrencyInText), in euros it does.
 */
export function surelyOtherCurrencyInText(text: string, currency: string): boolean {
  return currencyWords(text.trim(), currency).surely;
}

/**
 * The currency an amount's text names, when it surely names another than `currency` and names that one
 * alone: `3,00 USD` in a record in euros is USD; `$ 3,00` there is null (which dollar or peso?), and so is
 * a text naming two; undefined when the text names no currency that cannot be `currency` (`3,00 €` in
 * euros, `$ 3,00` in pesos). A line's unit price so written is published in its own currency, not the
 * record's (build-releases).
 */
export function currencyNamedIn(text: string, currency: string): string | null | undefined {
  const words = currencyWords(text.trim(), currency);
  if (!words.surely) return undefined;
  return words.names.size === 1 ? ([...words.names][0] ?? null) : null;
}

/**
 * Units a quantity is bought in, as a buyer writes them after the number in a quantity's cell (`10
 * unidades`, `5 cajas`, `20 litros`, `3 kg`): pieces, packs and measures, in Spanish, French and English,
 * singular or plural, lower-cased and without accents. Not a product's specification (`16 GB`, `60 W`):
 * that is no quantity of anything bought (a 16 GB stick is one stick). Each by the unit it is
 * (UNIT_KEYS: `unidades`, `pcs` and `each` are one piece; `cajas`, `boîte` and `box` one box; `kilos`
 * and `kg` one kilogram), so that a line's two units are told apart from one unit written two ways.
 */
const QUANTITY_UNIT_CLASSES: ReadonlyArray<readonly [key: string, words: readonly string[]]> = [
  ['piece', ['unidad', 'unidades', 'und', 'unds', 'un', 'ud', 'uds', 'u', 'unid', 'unids', 'pieza', 'piezas', 'pza', 'pzas', 'pc', 'pcs', 'pce', 'piece', 'pieces', 'unite', 'unites', 'unit', 'units', 'each', 'ea', 'item', 'items', 'articulo', 'articulos', 'article', 'articles']],
  ['box', ['caja', 'cajas', 'boite', 'boites', 'box', 'boxes']],
  ['packet', ['paquete', 'paquetes', 'pack', 'packs']],
  ['bag', ['bolsa', 'bolsas', 'sachet', 'sachets']],
  ['roll', ['rollo', 'rollos', 'rouleau', 'rouleaux']],
  ['vial', ['frasco', 'frascos', 'flacon', 'flacons']],
  ['bottle', ['botella', 'botellas']],
  ['ream', ['resma', 'resmas']],
  ['pair', ['par', 'pares', 'paire', 'paires']],
  ['set', ['juego', 'juegos']],
  ['kit', ['kit', 'kits']],
  ['dozen', ['docena', 'docenas', 'douzaine', 'douzaines', 'dozen', 'dozens']],
  ['carton', ['carton', 'cartons', 'cartones']],
  ['kg', ['kg', 'kgs', 'kilo', 'kilos', 'kilogramo', 'kilogramos', 'kilogramme', 'kilogrammes']],
  ['g', ['g', 'gr', 'grs', 'gramo', 'gramos', 'gramme', 'grammes']],
  ['l', ['l', 'lt', 'lts', 'ltr', 'litro', 'litros', 'litre', 'litres']],
  ['ml', ['ml']],
  ['m', ['m', 'mts', 'metro', 'metros', 'metre', 'metres']],
  ['m2', ['m2']],
  ['m3', ['m3']],
  ['tonne', ['tonelada', 'toneladas', 'tonne', 'tonnes']],
  ['gal', ['gal', 'galon', 'galones', 'gallon', 'gallons']],
];
const QUANTITY_UNITS: ReadonlySet<string> = new Set(QUANTITY_UNIT_CLASSES.flatMap(([, words]) => words));
/**
 * The unit each name is (QUANTITY_UNIT_CLASSES), and the names of a few more a line's unit column
 * writes in words (`metro cuadrado`, `m²`) or as a UN/CEFACT Recommendation 20 code (`H87`, `KGM`,
 * `BX`: codeUnitKey).
 */
const UNIT_KEYS: ReadonlyMap<string, string> = new Map([
  ...QUANTITY_UNIT_CLASSES.flatMap(([key, words]) => words.map((w) => [w, key] as const)),
  ...Object.entries({ pair: 'pair', pairs: 'pair', bouteille: 'bottle', bouteilles: 'bottle', bottle: 'bottle', bottles: 'bottle', roll: 'roll', rolls: 'roll', bag: 'bag', bags: 'bag', paquet: 'packet', paquets: 'packet', packet: 'packet', packets: 'packet', set: 'set', sets: 'set', jeu: 'set', jeux: 'set' }),
  ...['m²', 'metro cuadrado', 'metros cuadrados', 'metre carre', 'metres carres', 'square metre', 'square metres'].map((w) => [w, 'm2'] as const),
  ...['m³', 'metro cubico', 'metros cubicos', 'metre cube', 'metres cubes', 'cubic metre', 'cubic metres'].map((w) => [w, 'm3'] as const),
]);
const CODE_UNIT_KEYS: Readonly<Record<string, string>> = {
  H87: 'piece', C62: 'piece', EA: 'piece', NAR: 'piece', PCE: 'piece', BX: 'box', PK: 'packet', PA: 'packet', BG: 'bag', RO: 'roll', VI: 'vial', BO: 'bottle', RM: 'ream',
  PR: 'pair', SET: 'set', KT: 'kit', DZN: 'dozen', CT: 'carton', KGM: 'kg', GRM: 'g', LTR: 'l', MLT: 'ml', MTR: 'm', MTK: 'm2', MTQ: 'm3', TNE: 'tonne', GLL: 'gal',
};

/** A unit's name lower-cased, without accents, a final point nor its plural in brackets (`Pieza(s)`: `piezas`). */
const foldedUnit = (name: string): string => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\.$/, '').replace(/\s?\((e?s)\)$/, '$1').replace(/\s+/g, ' ');

/**
 * The unit a line's unit column names, by its name (UNIT_KEYS), whole or by its first word (`Caja x
 * 12`, `boîte de 50`: a box), else its name folded (foldedUnit): another unit than every one known.
 */
export function unitKey(name: string): string {
  const folded = foldedUnit(name);
  return UNIT_KEYS.get(folded) ?? UNIT_KEYS.get(folded.split(/[^\p{L}\p{N}²³]+/u)[0] ?? '') ?? folded;
}

/** The unit a UN/CEFACT Recommendation 20 code names, among UNIT_KEYS' (undefined for another code). */
export function codeUnitKey(code: string): string | undefined {
  return CODE_UNIT_KEYS[code.trim().toUpperCase()];
}

/**
 * A quantity's text that is a number and the unit it is counted in (`10 unidades`, `5 Cajas`, `2,5
 * kg`, `12 und.`): the number's text and the unit as written; null for any other text (`16 GB`, `3
 * lots of 5`).
 */
export function quantityWithUnit(text: string): { number: string; unit: string } | null {
  // (the number ends on a digit or a separator, each of its spaces before one: the spaces before the
  // unit are no part of it — a number's class that took spaces, then `\s*`, tried every split of a run
  // of spaces, a cell of a digit and 200,000 spaces took 80 s)
  const m = /^([-+]?\d(?:[\s\u00a0\u202f]*[\d.,])*)[\s\u00a0\u202f]*([\p{L}][\p{L}\d]*(?:\s?\(e?s\))?)\.?$/u.exec(text.trim());
  if (m === null) return null;
  const word = foldedUnit(m[2]!);
  return QUANTITY_UNITS.has(word) ? { number: m[1]!.trim(), unit: m[2]! } : null;
}

/**
 * Spaces between digits that do not group thousands (`"12 5"`, `"2019 150000"`, `"1 50 000"`,
 * `"15 0000"`): not one number written with separators — two numbers, a typo, another grouping —
 * so no number at all. Thousands groups are one to three digits, then groups of three, then the
 * decimals (`"1 234 567,89"`, `"012 000"`, `"1 234 ,56"`).
 */
export function hasIrregularSpaceGroups(text: string): boolean {
  const s = text.replace(/€/g, ' ').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
  if (!/\d \d/.test(s)) return false;
  // (a sign may stand apart from its digits, "- 12 000", as parseAmount reads it; a decimal separator
  // may end the number, "127 000,", as "127000." ends an xs:decimal)
  return !/^(?:[-+] ?)?\d{1,3}(?: \d{3})+(?: ?[.,](?: ?\d+)?)?$/.test(s);
}

/**
 * A number as xs:decimal writes it: an optional sign, digits on either side of the point (`+127000`,
 * `127000.`, `.5`). The XML reader turns such an element's text into the number (read-xml.ts's
 * xsdNumber) and parseFrenchNumber reads it in a text: one rule, so that an amount both exports give
 * as text is read alike.
 */
export const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * "1 234,50", "1.234,50", "1234.50", "1,234.50", "+1234.50", "1234.", "127 000," → the number; anything
 * else (spaces that group no thousands: "12 5") → NaN. A decimal comma with no digits after it
 * ("127000,", "1.234,") is the French twin of xs:decimal's "127000.": the number without decimals.
 * Only the decimal comma may so end a number: "127,000," and "1,2," (two commas) stay NaN; and only
 * for a source whose decimal separator is the comma (`decimal`): where it is the point, "12.500," is
 * no 12500 ("12.500" is 12.5 there).
 */
export function parseFrenchNumber(text: string, decimal: ',' | '.' = ','): number {
  if (hasIrregularSpaceGroups(text)) return Number.NaN;
  const t = text.replace(/[\s\u00a0\u202f€]/g, '');
  if (PLAIN_DECIMAL.test(t) || /^[-+]?\d+(\.\d+)?[eE][-+]?\d+$/.test(t)) return Number(t);
  // (Number("127000.") is 127000: the comma made a point, the empty decimals read as none)
  if (t.endsWith(',') && decimal !== ',') return Number.NaN;
  if (/^[-+]?\d{1,3}(\.\d{3})+(,\d*)?$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  if (/^[-+]?\d+,\d*$/.test(t)) return Number(t.replace(',', '.'));
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ''));
  return Number.NaN;
}

export type DurationFlag =
  | 'DURATION_AS_STRING'
  | 'DURATION_UNPARSABLE'
  | 'DURATION_ZERO'
  | 'DURATION_IMPLAUSIBLE'
  | 'DURATION_PLACEHOLDER'
  | 'DURATION_ROUNDED'
  | 'DURATION_WORDS_IGNORED'
  | 'DURATION_SUMMED'
  | 'DURATION_RENEWALS_ADDED'
  | 'DURATION_AMBIGUOUS';

/**
 * A duration written with its unit, in months or years, in French, English, Spanish or Portuguese
 * (`12 mois`, `48 Mois`, `2 ans`, `1 année`, `6 months`, `1,5 an`, `6 meses`, `18 mes`, `1 mês`, `6 Mes(es)`,
 * `2 años`, `1 Año(s)`, `3 anos`; years and months together, `1 an et 8 mois`, or in ISO 8601, `P1Y8M`):
 * its number and how many months one unit is; null when the text is
 * not so written (days or weeks are no whole months: `117 Dia(s)` stays unread, flagged).
 */
function withUnit(text: string): { n: number; per: number } | null {
  // (years and months together: `1 an et 8 mois`, `2 ans 6 mois`, `1 year 6 months`; an ISO 8601
  // duration as Java's Period and .NET write one, `P20M`, `P1Y8M`, `P2Y`: whole years and months only)
  const both = /^(\d{1,3})\s*(?:ans?|ann[ée]es?|years?|a[ñn]os?)\s*(?:et|and|y|e|,)?\s*(\d{1,3})\s*(?:mois|months?|m[eê]s(?:es)?)\.?$/i.exec(text) ?? /^P(?=\d)(?:(\d{1,3})Y)?(?:(\d{1,4})M)?$/i.exec(text);
  if (both) return { n: Number(both[1] ?? 0) * 12 + Number(both[2] ?? 0), per: 1 };
  const m = /^(\d{1,4}(?:[.,]\d+)?)\s*(mois|months?|m[eê]s(?:es|\(es\))?|ans?|ann[ée]es?|years?|a[ñn]os?|a[ñn]o\(s\))\.?$/i.exec(text);
  if (!m) return null;
  return { n: Number(m[1]!.replace(',', '.')), per: /^(mois|month|m[eê]s)/i.test(m[2]!) ? 1 : 12 };
}

/** A unit of months or years, as withUnit reads them; group 1. */
const UNIT = String.raw`(mois|months?|m[eê]s(?:es|\(es\))?|ans?|ann[ée]es?|years?|a[ñn]os?|a[ñn]o\(s\))`;
const monthsPer = (unit: string): number => (/^(mois|month|m[eê]s)/i.test(unit) ? 1 : 12);
/** A duration and the words after it (`20 mois ferme`, `36 mois (12+12+12)`, `12 mois reconductible 3 fois`). */
const LEADING = new RegExp(String.raw`^(\d{1,4}(?:[.,]\d+)?)\s*${UNIT}(?![\p{L}])\.?\s*(.+)$`, 'iu');
/**
 * Words that do not change the total a duration says (DECP's `dureeMois` is the whole duration,
 * renewals included): firm, at most, in total, calendar months, renewals included; in brackets or not.
 */
const SAME_TOTAL = /^[(,\-–]?\s*(?:fermes?|au total|total(?:e|es)?|dur[ée]e totale|maximum|maxi(?:mum)?|max\.?|au maximum|au plus|calendaires?|(?:toutes |y compris (?:les )?)?(?:reconductions?|renouvellements?|prolongations?|options?)(?: et (?:reconductions?|renouvellements?|prolongations?|options?))? (?:comprises?|incluses?))\s*\)?\.?$/i;
/** A breakdown in brackets: `(12+12+12)`, `(12 + 12 + 12 mois)`, `(1 an + 2 x 1 an)`: its sum is the duration's, or it is doubtful. */
const BREAKDOWN = /^\((.+)\)\.?$/;
/** Renewals counted: `reconductible 3 fois`, `renouvelable deux fois`, `reconductible 3 fois 12 mois`, `reconductible 2 fois par période de 1 an`. */
const RENEWALS = new RegExp(String.raw`^,?\s*(?:(?:tacitement|expressément)\s+)?(?:reconductibles?|renouvelables?)\s+(?:(?:tacitement|expressément)\s+)?(\d{1,2}|une|deux|trois|quatre|cinq)\s+fois(?:\s+(?:par\s+p[ée]riodes?\s+d['’]\s*|de\s+)?(\d{1,3})\s*${UNIT}(?![\p{L}]))?\.?$`, 'iu');
const COUNT_WORDS: Readonly<Record<string, number>> = { une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5 };
/** Words that speak of renewals or options: a duration beside them whose total they do not say is doubtful, not unreadable. */
const RENEWAL_WORDS = /reconduct|renouvel|prolong|option|tranche|\+/i;

/** A term of a sum of periods: a count of them or not, a number, its unit or not (`3 x 12 mois`, `12`, `1 an`). */
const TERM = new RegExp(String.raw`^(?:(\d{1,2})\s*(?:x|×|\*|fois)\s*)?(\d{1,4})\s*(?:${UNIT}(?![\p{L}]))?\.?$`, 'iu');

/**
 * Whole terms joined by `+`, each a number of months or years, or a count of them (`12 mois + 3 x 12
 * mois`, `12 + 12 + 12 mois`, `1 an + 6 mois`): a term without its unit takes the last term's, which
 * must have one. Null: not so written.
 */
function sumOf(text: string): number | null {
  if (!text.includes('+')) return null;
  const terms = text.split('+').map((t) => t.trim());
  const parsed = terms.map((t) => TERM.exec(t));
  const last = parsed[parsed.length - 1];
  if (parsed.some((p) => p === null) || last?.[3] === undefined) return null;
  let months = 0;
  for (const p of parsed) months += Number(p![1] ?? 1) * Number(p![2]) * monthsPer(p![3] ?? last[3]);
  return months;
}

/**
 * A duration written with words after it (the failure path of parseMonths: only texts it could not
 * read otherwise are looked at). `ignored`: words that leave the total as it is; `summed`: a sum of
 * periods; `renewals`: a period renewable a number of times, each renewal as long as the first unless
 * said (a reconduction renews the contract as it is), the total counted; `ambiguous`: a duration whose
 * words may change its total in a way not said (`36 mois renouvelable`, a breakdown that adds up to
 * another total); null: not a duration so written.
 */
function withWords(text: string): { months: number | null; flag: 'DURATION_WORDS_IGNORED' | 'DURATION_SUMMED' | 'DURATION_RENEWALS_ADDED' | 'DURATION_AMBIGUOUS' } | null {
  const sum = sumOf(text);
  if (sum !== null) return { months: sum, flag: 'DURATION_SUMMED' };
  const m = LEADING.exec(text);
  if (m === null) return null;
  const n = Number(m[1]!.replace(',', '.'));
  const per = monthsPer(m[2]!);
  const rest = m[3]!.trim();
  if (SAME_TOTAL.test(rest)) return { months: n * per, flag: 'DURATION_WORDS_IGNORED' };
  const breakdown = BREAKDOWN.exec(rest);
  if (breakdown !== null) {
    const inner = breakdown[1]!.trim();
    // (bare numbers are in the duration's unit: `36 mois (12+12+12)`)
    const parts = sumOf(/\p{L}\s*$/u.test(inner) ? inner : `${inner} ${m[2]!}`);
    if (parts !== null) return parts === n * per ? { months: n * per, flag: 'DURATION_WORDS_IGNORED' } : { months: null, flag: 'DURATION_AMBIGUOUS' };
  }
  const renewals = RENEWALS.exec(rest);
  if (renewals !== null && Number.isInteger(n)) {
    const count = COUNT_WORDS[renewals[1]!.toLowerCase()] ?? Number(renewals[1]);
    const each = renewals[2] === undefined ? n * per : Number(renewals[2]) * monthsPer(renewals[3]!);
    return { months: n * per + count * each, flag: 'DURATION_RENEWALS_ADDED' };
  }
  return RENEWAL_WORDS.test(rest) ? { months: null, flag: 'DURATION_AMBIGUOUS' } : null;
}

/**
 * A duration in whole months (`dureeMois`). Implausible: over 99 years; a placeholder: 999, 9999…
 * (like the 999999999 amounts). Neither is used (no end date is computed from it: that would invent
 * dates thousands of years ahead), nor is 0 (an end on the start day); all are flagged, with the raw
 * value. A text with its unit (`12 mois`, `2 ans`: whole years are 12 months each) is read so. A part
 * of a month (`1.5`, `"0,5"`, `1,5 an`) is rounded up to the next whole month, as the DECP guidance
 * asks (a month begun counts; DECP's `dureeMois` is an integer), flagged DURATION_ROUNDED: left
 * unread, the contract had no end.
 */
export function parseMonths(value: unknown): { months: number | null; flags: DurationFlag[] } | null {
  if (value === null || value === undefined) return null;
  const flags: DurationFlag[] = [];
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    if (value.trim() === '') return null;
    flags.push('DURATION_AS_STRING');
    const unit = withUnit(value.trim());
    n = unit === null ? parseFrenchNumber(value.trim()) : unit.n * unit.per;
    // (words beside the duration are looked at only where nothing else read it: no cost on the others)
    if (Number.isNaN(n) && value.length <= 200) {
      const worded = withWords(value.trim().replace(/[\s\u00a0\u202f]+/g, ' '));
      if (worded?.months === null) return { months: null, flags: [worded.flag] };
      if (worded !== null && worded !== undefined) {
        n = worded.months;
        flags.push(worded.flag);
      }
    }
  } else return { months: null, flags: ['DURATION_UNPARSABLE'] };
  // (a text not read is said unparsable, not read as a text: DURATION_AS_STRING says the text was read)
  if (!Number.isFinite(n) || n < 0) return { months: null, flags: ['DURATION_UNPARSABLE'] };
  if (!Number.isInteger(n)) {
    n = Math.ceil(n);
    flags.push('DURATION_ROUNDED');
  }
  // 0 months is no duration: an end on the day of the start would be made up
  if (n === 0) return { months: null, flags: [...flags, 'DURATION_ZERO'] };
  if (n >= 999 && /^9+$/.test(String(n))) return { months: null, flags: [...flags, 'DURATION_PLACEHOLDER'] };
  if (n > 1188) return { months: null, flags: [...flags, 'DURATION_IMPLAUSIBLE'] };
  return { months: n, flags };
}
