/**
 * Unit-price anomalies (red-flags.md §5), in SQL over the store's items: an item whose unit price is
 * far above what its peers paid for the same product, in the same unit and currency, the same year.
 * A screening signal, never proof: each row carries its group's size, median and fence.
 *
 * - Unit price: the item's `unit.value.amount`; else, for a contract of one item, the contract's
 *   value divided by the item's quantity — not when that item is its award's, shared with the award's
 *   other contracts (an award split in contracts that list no items: its quantity is the award's).
 *   Such a shared line is one observation, its first contract's. Prices of 0 or less are left out.
 * - Group: the product (red-flags.md §5's "fine product key": the classification scheme and id, and
 *   the words of the item's description — see PRODUCT_WORDS —, and the sizes written in its unit or
 *   its description — see SIZES), the unit (a piece — a unit named `pièce`, `unidad`, `H87`… — and
 *   a pack counted in pieces, `boîte de 50`, whose price is then divided by 50 and its quantity
 *   multiplied by 50, as red-flags.md §5 asks, a pack of packs by the product of its counts, `carton
 *   de 10 boîtes de 100` by 1000 (a nesting not understood, `lot de 2 boîtes de 1,5`, is a unit of its
 *   own); a pack's volume or weight, `flacon de 500 ml`, is no count: it is one piece, and its size
 *   the product's; a weight, a volume or a length by the kilogram, the litre or the metre however
 *   written or coded, `kg`, `Kilogramme`, `KGM`, a price per gram 1000 × it — see MEASURES —; any other
 *   unit by its name, lower-cased, without accents, its plural made singular (SINGULAR): other units are never mixed, nor are currencies), the currency
 *   and the year; groups of at least 5 prices only. Contracts published twice (`duplicate_of`) count once.
 * - Flag: the price is at least twice the group's median (the ratio rounded to 9 decimals: 0.30 is
 *   twice a median of 0.10 and 0.20, computed 0.15000000000000002, and fell 4e-16 under 2), or its logarithm is at or past the
 *   group's upper fence, Q3 + 1.5 IQR of the logarithms, with Hyndman–Fan type 8 quantiles (as
 *   Cardinal's fences): red-flags.md's `log u_i ≥ Q3_g + 1.5 IQR_g`, both rounded to 9 decimals (a
 *   price at the fence is one whatever the logarithms' last bits: 21.924480357 € at the fence of
 *   10 × 1.17^k fell 2e-16 under it). The fence rule does not
 *   apply to a group whose IQR is 0, or over half of whose prices are one price: its fence is that
 *   price itself, or next to it (type 8 interpolates Q3 towards the dearer prices of a small
 *   group: four at 100 and one at 101 give a fence of 100.8), and 101 would be an outlier beside
 *   100 (the ratio rule still applies).
 * - The product key is the classification and the description's words: a classification code alone
 *   groups different products (CPV 18143000, protective gear, holds gowns at 8 € and masks at 3 €);
 *   the words are normalised so that wording does not split one product (case, accents, plurals,
 *   word order, counts and pack words: `Masques FFP2`, `masque ffp2 (boîte de 50)` are one product);
 *   a size is not wording: a 5 l can of gel is no peer of 500 ml bottles (H87 named them both pieces,
 *   and the 5 l can was flagged at 6 × the bottles' price), while `500ml`, `50 cl` and `0,5 L` are
 *   one size, and `1 000 ml` is `1 l` (see THOUSANDS_SPACE).
 *
 * The groups compare contracts of many processes: the table is computed again whole by every run
 * (scope `peers`), never for the recompiled ocids alone — from the items priced once each
 * (`priced_items`, kept per ocid: see PRICED_ITEMS).
 */
import type { PerOcidTable } from './per-ocid.js';
import { unitOf } from './sql-parts.js';

/** What the indicator means, for readers without the docs (the `flags` command prints it). */
export const UNIT_PRICE_OUTLIER = 'unit price at least twice the median of the same product, unit, currency, year and market (groups of 5 prices or more), or at or past the upper fence of their logarithms (≥ Q3 + 1.5 IQR, type 8 quantiles, when the IQR is not 0): red-flags.md §5';

/**
 * The ratio to the median from which an item is flagged: 2, or the ratio at the fence when that is
 * lower (the `flags` command's threshold: every row's value is at or past it).
 */
export const RATIO_THRESHOLD_SQL = 'round(least(2, coalesce(power(10, log_fence) / group_median, 2)), 4)';

/** Prices a group needs before its items are compared. */
const MIN_GROUP_PRICES = 5;

/**
 * Quantile of type 8 (Hyndman and Fan, 1996: median-unbiased) of a sorted list: with n values and
 * h = (n + 1/3) p + 1/3, the value at position h, linear between the values around it, the first
 * below position 1 and the last from position n on. DuckDB's quantile_cont is type 7.
 */
export const QUANTILE_TYPE8_MACRO = `CREATE OR REPLACE MACRO quantile_type8(sorted, p) AS
  CASE WHEN len(sorted) = 0 THEN NULL
       WHEN (len(sorted) + 1.0 / 3) * p + 1.0 / 3 < 1 THEN sorted[1]
       WHEN (len(sorted) + 1.0 / 3) * p + 1.0 / 3 >= len(sorted) THEN sorted[len(sorted)]
       ELSE sorted[floor((len(sorted) + 1.0 / 3) * p + 1.0 / 3)::INTEGER]
            + ((len(sorted) + 1.0 / 3) * p + 1.0 / 3 - floor((len(sorted) + 1.0 / 3) * p + 1.0 / 3))
            * (sorted[floor((len(sorted) + 1.0 / 3) * p + 1.0 / 3)::INTEGER + 1] - sorted[floor((len(sorted) + 1.0 / 3) * p + 1.0 / 3)::INTEGER])
  END`;

/**
 * A pack counted in pieces, from its unit's name (red-flags.md §5: "box of 50 → per piece"): a pack
 * word, then the count (`boîte de 50`, `box of 100`, `caja x 12`, `paquete de 10 unidades`, `pack 20`;
 * of dozens, DOZEN_NAMES, 12 pieces each: `boîte de 10 douzaines` is 120),
 * its thousands grouped by a space as French writes them (`carton de 1 000`: 1000, not 1 — a box's
 * price was compared as one piece's), unless a measure follows (`carton de 24 330ml`: 24 cans). A pack
 * of packs counts the pieces of its packs: `carton de 10 boîtes de 100`, `lot de 4 paquets de 25`,
 * `boîte 10x100 pièces` are 1,000, 100 and 1,000 pieces (by its first count alone, a carton of 1,000
 * gloves at 100 was 10 a glove beside boxes of 100 at 0.10 a glove: a false outlier of 100×).
 */
const PACK_WORDS = ['boite', 'box', 'caja', 'paquete', 'paquet', 'pack', 'carton', 'sachet', 'bolsa', 'lot', 'frasco', 'estuche'];
const PACK_HEAD = String.raw`^(?:${PACK_WORDS.join('|')})s?\s*(?:de|of|x|por)?\s*`;
/** A pack's count: digits (group 1), decimals (group 2: no count then), the word after (group 3). */
const PACK_PATTERN = String.raw`${PACK_HEAD}(\d+)([.,]\d+)?\s*([a-z]*)`;
/** The same with the count's thousands grouped by a space of any kind (group 1, spaces and all). */
const PACK_GROUPED = String.raw`${PACK_HEAD}(\d{1,3}(?:[ \x{00a0}\x{202f}]\d{3})+)([.,]\d+)?\s*([a-z]*)`;
/**
 * The packs a pack holds (`carton de 10 boîtes`, `lot de 2 flacons`): pack words and the containers of
 * pieces, singular or plural. Only these: a count after another word is no count of packs (`boîte de
 * 50 masques 3 plis` is 50 masks of three plies, not 150).
 */
const INNER_PACKS = [...PACK_WORDS, 'flacon', 'bouteille', 'blister', 'tube', 'rouleau'];
/**
 * A pack of packs: a pack's count (group 1), then an inner pack's word (INNER_PACKS) and `de`, `x`…,
 * or `x` alone (never nothing: `carton de 100` is no 1 × 00), a second count (group 2, its thousands
 * grouped or not), its decimals (group 3), the word after (group 4) and the rest (group 5): `carton de
 * 10 boites de 100`, `carton de 10 x 100`, `lot de 2 flacons de 500 ml` (a measure after it: 2
 * pieces, each of 500 ml).
 */
const PACK_NESTED = String.raw`${PACK_HEAD}(\d+)\s*(?:(?:${INNER_PACKS.join('|')})(?:s|es|x)?\s*(?:de|of|x|por)?|x|\*|\x{00d7})\s*(\d{1,3}(?:[ \x{00a0}\x{202f}]\d{3})+|\d+)([.,]\d+)?\s*([a-z]*)(.*)$`;

/**
 * The units of a size, a volume or a weight (lower-cased, without accents): each with the unit it is
 * counted in and how many of those it holds, so that one size written two ways is one (`500 ml`,
 * `50 cl`, `0,5 L`), and two sizes are two (a 5 l can is not a 500 ml bottle). Ounces and pounds
 * are sizes of their own (nominal: `16 oz`). Lengths are none: `3M` is a maker of masks, and `10 cm x
 * 10 cm` the dressing's own words.
 */
const SIZE_UNITS: Readonly<Record<string, readonly [base: string, holds: number]>> = {
  ...Object.fromEntries(['ml', 'cc', 'millilitre', 'millilitres', 'milliliter', 'milliliters', 'mililitro', 'mililitros', 'мл'].map((u) => [u, ['ml', 1]])),
  ...Object.fromEntries(['cl', 'centilitre', 'centilitres'].map((u) => [u, ['ml', 10]])),
  dl: ['ml', 100],
  // (`lts`, `ltrs`: Latin America's plural abbreviations)
  ...Object.fromEntries(['l', 'lt', 'lts', 'ltr', 'ltrs', 'litre', 'litres', 'liter', 'liters', 'litro', 'litros', 'л'].map((u) => [u, ['ml', 1000]])),
  ...Object.fromEntries(['mg', 'milligramme', 'milligrammes', 'milligram', 'milligrams', 'miligramo', 'miligramos', 'мг'].map((u) => [u, ['mg', 1]])),
  // (not the Cyrillic г alone: `2020 г.` is a year)
  ...Object.fromEntries(['g', 'gr', 'grs', 'gramme', 'grammes', 'gram', 'grams', 'gramo', 'gramos', 'гр'].map((u) => [u, ['mg', 1000]])),
  ...Object.fromEntries(['kg', 'kgs', 'kilo', 'kilos', 'kilogramme', 'kilogrammes', 'kilogram', 'kilograms', 'kilogramo', 'kilogramos', 'кг'].map((u) => [u, ['mg', 1_000_000]])),
  ...Object.fromEntries(['oz', 'onza', 'onzas', 'ounce', 'ounces'].map((u) => [u, ['oz', 1]])),
  ...Object.fromEntries(['lb', 'lbs', 'libra', 'libras', 'pound', 'pounds'].map((u) => [u, ['lb', 1]])),
};

/** How a size is written: in the largest of its base's units it holds one of at least. */
const SIZE_SHOWN: Readonly<Record<string, ReadonlyArray<readonly [holds: number, unit: string]>>> = {
  ml: [[1000, 'l'], [1, 'ml']],
  mg: [[1_000_000, 'kg'], [1000, 'g'], [1, 'mg']],
  oz: [[1, 'oz']],
  lb: [[1, 'lb']],
};

/**
 * Units of measure: a pack's number followed by one is its content, not a count of pieces (`frasco
 * de 500 ml`, `bolsa de 5 kg`, `sachet de 1 l`; lower-cased, without accents).
 */
const MEASURE_UNITS = [...Object.keys(SIZE_UNITS), 'mm', 'cm', 'm', 'm2', 'm3', 'metre', 'metres', 'meter', 'meters', 'metro', 'metros'];

/** Unit names that mean one piece (lower-cased, without accents, a final point dropped), and the UN/CEFACT codes that do. */
// (Portuguese's `unidade`, `peça`, `itens`; Ukrainian's `одиниця` and its plurals, as strip_accents writes them)
const PIECE_NAMES = ['piece', 'pieces', 'pce', 'pcs', 'pc', 'unite', 'unites', 'unit', 'units', 'u', 'unidad', 'unidades', 'unidade', 'und', 'unds', 'un', 'ud', 'uds', 'unid', 'unids', 'pza', 'pzas', 'pieza', 'piezas', 'peca', 'pecas', 'each', 'ea', 'item', 'items', 'itens', 'article', 'articles', 'шт', 'штука', 'штуки', 'штук', 'одиниця', 'одиниці', 'одиниць'];
const PIECE_CODES = ['H87', 'C62', 'EA', 'NAR'];
/** Unit names of a dozen (UN/CEFACT `DZN`): a pack of 12 pieces, compared by the piece. */
const DOZEN_NAMES = ['docena', 'docenas', 'duzia', 'duzias', 'dozen', 'dozens', 'douzaine', 'douzaines', 'dz', 'dzn', 'дюжина', 'дюжини', 'дюжин'];

const inList = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(', ');

/**
 * Ukrainian count units by their singular: their plurals (nominative, `упаковки`, and genitive, after
 * five and more, `упаковок`) are no final letter to drop (`мішок`, `мішки`, `мішків`; `набір`,
 * `набори`), so they are listed, each the form a buyer writes (Prozorro's dictionary names a unit in the
 * singular, a CSV as counted). Pieces and measures are in their own lists.
 */
const UKRAINIAN_FORMS: Readonly<Record<string, readonly string[]>> = {
  упаковка: ['упаковки', 'упаковок'], пачка: ['пачки', 'пачок'], пара: ['пари', 'пар'], комплект: ['комплекти', 'комплектів'],
  рулон: ['рулони', 'рулонів'], набір: ['набори', 'наборів'], флакон: ['флакони', 'флаконів'], коробка: ['коробки', 'коробок'],
  пляшка: ['пляшки', 'пляшок'], ящик: ['ящики', 'ящиків'], мішок: ['мішки', 'мішків'], балон: ['балони', 'балонів'],
  пакет: ['пакети', 'пакетів'], лист: ['листи', 'листів'], банка: ['банки', 'банок'], послуга: ['послуги', 'послуг'],
  ампула: ['ампули', 'ампул'], таблетка: ['таблетки', 'таблеток'], доза: ['дози', 'доз'], блістер: ['блістери', 'блістерів'],
};
const UKRAINIAN_SINGULAR = Object.entries(UKRAINIAN_FORMS).flatMap(([one, forms]) => forms.map((f) => `WHEN '${f}' THEN '${one}'`)).join(' ');
/**
 * French and Portuguese units whose singular ends in `-are` (`hectare`): their plural is no Spanish
 * noun in `-r` (`pares`, `millares`), read by their list (found by a review: `hectares` was `hectar`,
 * and `hectare` and `hectares` two groups).
 */
const RE_SINGULAR = ['hectare', 'centiare'].map((one) => `WHEN '${one}s' THEN '${one}'`).join(' ');

/**
 * A unit's name (lower-cased, without accents) as its singular, so that one unit written both ways is
 * one (`cajas` and `caja`, `rollos` and `Rollo`: two groups, each too small to compare — found by a
 * review): Spanish and Portuguese `-es` after a vowel and `d`, `l`, `n` or `s` (`bidones`, `cartones`,
 * `meses`), or after `a` or `o` and `r` (`pares`, `millares`, `contenedores`: a noun in `-r`; not
 * `paires`, `heures`, `chaudières`, whose `-re` is the French singular's), Portuguese `-ões` as `-ão`
 * (`cartões`, `cartão`), French `-eaux` and `-eux` without their `x` (`rouleaux`, `seaux`, `jeux`), else
 * a final `s` of a name of four letters or more after any letter but `i`, `u` or `s` (`cajas`,
 * `paquetes`, `boites`, `paires`, `jours`; not `mois`, `fois`, `bus`: no plurals); a Ukrainian unit's
 * plurals by their list (UKRAINIAN_FORMS), as French `hectares` (RE_SINGULAR). Only the units that are neither a piece nor a measure:
 * those are read by their own lists, plurals included.
 */
const SINGULAR = (word: string): string => `CASE ${word} ${UKRAINIAN_SINGULAR} ${RE_SINGULAR}
    ELSE CASE WHEN length(${word}) > 4 AND regexp_matches(${word}, '(?:[aeiou][dlns]|[ao]r)es$') THEN left(${word}, length(${word}) - 2)
    WHEN length(${word}) > 4 AND ${word} LIKE '%oes' THEN left(${word}, length(${word}) - 3) || 'ao'
    WHEN length(${word}) > 3 AND regexp_matches(${word}, '(?:eau|eu)x$') THEN left(${word}, length(${word}) - 1)
    WHEN length(${word}) > 3 AND regexp_matches(${word}, '[a-hj-rtv-z]s$') THEN left(${word}, length(${word}) - 1) ELSE ${word} END END`;

/**
 * Units an item may be priced by that measure it (red-flags.md §5's "unit" of a group, and its "base
 * units"): each name (lower-cased, without accents, a final `.` dropped: `Kg.`) with the unit its
 * prices are compared in and how many of that one of it holds, as a fraction (`g`: 1/1000 of a `kg`,
 * `tonne`: 1000 `kg`), so that one unit however written is one (`kg`, `KG`, `Kilogramme`, `kilo`,
 * `kilogramos`, UN/CEFACT `KGM`: five spellings made five groups, each too small to compare, and 30 a
 * kilo beside peers at 10 was never flagged), and a price per gram is one per kilogram, 1000 × it.
 * Weights are compared by the kilogram, volumes by the litre, lengths by the metre; an area, a cubic
 * metre, an ounce, a pound and a gallon each by itself (nominal: no litres of concrete; a US and an
 * imperial gallon apart).
 */
export const MEASURES: Readonly<Record<string, readonly [unit: string, num: number, den: number]>> = {
  ...Object.fromEntries(Object.entries(SIZE_UNITS).map(([u, [base, holds]]) => [u, base === 'ml' ? ['l', holds, 1000] : base === 'mg' ? ['kg', holds, 1_000_000] : [base, 1, 1]] as const)),
  ...Object.fromEntries(['hl', 'hectolitre', 'hectolitres', 'hectolitro', 'hectolitros'].map((u) => [u, ['l', 100, 1]] as const)),
  ...Object.fromEntries(['tonne', 'tonnes', 'tonelada', 'toneladas'].map((u) => [u, ['kg', 1000, 1]] as const)),
  ...Object.fromEntries(['mm', 'millimetre', 'millimetres', 'millimeter', 'millimeters', 'milimetro', 'milimetros'].map((u) => [u, ['m', 1, 1000]] as const)),
  ...Object.fromEntries(['cm', 'centimetre', 'centimetres', 'centimeter', 'centimeters', 'centimetro', 'centimetros'].map((u) => [u, ['m', 1, 100]] as const)),
  ...Object.fromEntries(['m', 'mts', 'metre', 'metres', 'meter', 'meters', 'metro', 'metros', 'metre lineaire', 'metres lineaires', 'metro lineal', 'metros lineales'].map((u) => [u, ['m', 1, 1]] as const)),
  ...Object.fromEntries(['km', 'kilometre', 'kilometres', 'kilometer', 'kilometers', 'kilometro', 'kilometros'].map((u) => [u, ['m', 1000, 1]] as const)),
  ...Object.fromEntries(['m2', 'm²', 'metre carre', 'metres carres', 'square metre', 'square metres', 'metro cuadrado', 'metros cuadrados'].map((u) => [u, ['m2', 1, 1]] as const)),
  ...Object.fromEntries(['m3', 'm³', 'metre cube', 'metres cubes', 'cubic metre', 'cubic metres', 'metro cubico', 'metros cubicos'].map((u) => [u, ['m3', 1, 1]] as const)),
  ...Object.fromEntries(['gal', 'gallon', 'gallons', 'galon', 'galones', 'galao', 'galoes'].map((u) => [u, ['gal', 1, 1]] as const)),
  // (Portuguese's kilogram and gram, `quilo`, `grama`; a square metre `quadrado`; the Ukrainian names
  // of the measures, by their singular and plurals: `літр`, `літри`, `літрів`, `2 літра`)
  ...Object.fromEntries(['quilo', 'quilos', 'quilograma', 'quilogramas', 'кілограм', 'кілограми', 'кілограмів', 'кілограма'].map((u) => [u, ['kg', 1, 1]] as const)),
  ...Object.fromEntries(['grama', 'gramas', 'грам', 'грами', 'грамів', 'грама'].map((u) => [u, ['kg', 1, 1000]] as const)),
  ...Object.fromEntries(['літр', 'літри', 'літрів', 'літра'].map((u) => [u, ['l', 1, 1]] as const)),
  ...Object.fromEntries(['мілілітр', 'мілілітри', 'мілілітрів', 'мілілітра'].map((u) => [u, ['l', 1, 1000]] as const)),
  ...Object.fromEntries(['метр', 'метри', 'метрів', 'метра', 'м'].map((u) => [u, ['m', 1, 1]] as const)),
  ...Object.fromEntries(['тонна', 'тонни', 'тонн'].map((u) => [u, ['kg', 1000, 1]] as const)),
  ...Object.fromEntries(['metro quadrado', 'metros quadrados', 'м2', 'м²'].map((u) => [u, ['m2', 1, 1]] as const)),
  ...Object.fromEntries(['м3', 'м³'].map((u) => [u, ['m3', 1, 1]] as const)),
  'imperial gallon': ['gal (imperial)', 1, 1],
};
/** The UN/CEFACT Recommendation 20 codes of MEASURES' units, by the name they stand for. */
const MEASURE_CODE_NAMES: Readonly<Record<string, string>> = {
  MLT: 'ml', CLT: 'cl', DLT: 'dl', LTR: 'l', HLT: 'hl', MGM: 'mg', GRM: 'g', KGM: 'kg', TNE: 'tonne', ONZ: 'oz', LBR: 'lb',
  MMT: 'mm', CMT: 'cm', MTR: 'm', KMT: 'km', MTK: 'm2', MTQ: 'm3', GLL: 'gallon', GLI: 'imperial gallon',
};
const measureStruct = ([unit, num, den]: readonly [string, number, number]): string => `{'unit': '${unit}', 'num': ${num}::DOUBLE, 'den': ${den}::DOUBLE}`;
/** An item's MEASURES entry, by its unit's name as a word (`uword`), else its code (`ucode`); null for none. */
const MEASURE_OF = (uword: string, ucode: string): string => `CASE ${uword} ${Object.entries(MEASURES).map(([u, m]) => `WHEN '${u}' THEN ${measureStruct(m)}`).join(' ')}
      ELSE CASE ${ucode} ${Object.entries(MEASURE_CODE_NAMES).map(([code, u]) => `WHEN '${code}' THEN ${measureStruct(MEASURES[u]!)}`).join(' ')} END END`;

/**
 * Words of a description that do not name the product: articles, conjunctions and prepositions
 * (French, Spanish, English, Ukrainian and Russian: Prozorro's `Маска та рукавички` is `Маска
 * рукавички`), pack words and units of measure; numbers and one-letter words are left out too (і,
 * й, з, в, у, и, с, к, о). Written as PRODUCT_WORDS compares them, FOLDED: a word with a `й` or a
 * `ї` would be listed with `и` or `і`, as strip_accents reads them, or never met.
 */
export const NOT_PRODUCT_WORDS = [
  ...['de', 'des', 'du', 'la', 'le', 'les', 'un', 'une', 'et', 'ou', 'en', 'pour', 'par', 'avec', 'sans', 'au', 'aux'],
  ...['el', 'los', 'las', 'del', 'al', 'y', 'con', 'sin', 'para', 'por', 'una', 'uno', 'unos', 'unas'],
  ...['of', 'the', 'and', 'or', 'for', 'with', 'without', 'in', 'per', 'an'],
  ...['та', 'або', 'чи', 'із', 'зі', 'на', 'до', 'для', 'від', 'по', 'без'],
  // (Russian's на, до, для, по, без are the Ukrainian ones above)
  ...['или', 'об', 'из', 'со', 'ко', 'во', 'от'],
  ...PACK_WORDS,
  ...PACK_WORDS.map((w) => `${w}s`),
  ...['boites', 'cajas', 'paquetes', 'bolsas', 'frascos', 'estuches', 'flacon', 'flacons', 'unite', 'unites', 'unidad', 'unidades', 'piece', 'pieces', 'x'],
  ...MEASURE_UNITS,
];

/**
 * What may follow a number in a word that is no specification of the product (PRODUCT_WORDS keeps
 * `16gb`, `85a`, `9v`, `60w`: a 64 GB stick is no peer of 16 GB ones): a size or a measure (`500ml`,
 * read by SIZES), a count's unit (`100u`, `50pcs`), a pack's dimension (`2x`), an ordinal (`1er`).
 */
const NOT_SPEC_SUFFIXES = [...MEASURE_UNITS, ...PIECE_NAMES, 'pcs', 'pc', 'pz', 'pzs', 'uds', 'unid', 'x', 'er', 'ere', 'eme', 'e', 'nd', 'rd', 'st', 'th'];

/**
 * A text as its product words read it: lower-cased, without accents (`é` is `e`; a Cyrillic `й` is
 * `и`, as strip_accents reads it: one spelling for every item, so peers stay peers), its ligatures
 * spelt out (`œ` is `oe`). Keeping other scripts' marks as labelKey does (src/transform/functions.ts)
 * took a \p{Latin} test of every description: over 250,000 items, 5.5 s of this query's 6 s, the
 * full run's red flags three times longer; not kept.
 */
const FOLDED = (text: string): string => `replace(replace(replace(lower(strip_accents(${text})), 'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss')`;

/**
 * A description's product words, as one text: FOLDED, split on anything but letters (of any script:
 * splitting on all but a–z made a Cyrillic, Greek or Arabic description no words at all, so
 * different products of one classification were peers, and one without a classification was never
 * compared), their marks (an Indic vowel sign is part of its word) and digits
 * (`gel-hydroalcoolique` is `gel hydroalcoolique`), without
 * NOT_PRODUCT_WORDS, one-letter words and words that start with a digit (a count, `50`, or a size,
 * `500ml`, which SIZES reads: the same product whether written `500ml` or `500 ml`) but for digits
 * then letters that are no size, count nor ordinal (NOT_SPEC_SUFFIXES: `16gb`, `85a`, `9v` tell
 * products apart; dropped, a 64 GB stick was an outlier among 16 GB ones), a plural's final `s`
 * dropped (words of four letters or more), French plurals in `-aux` made singular (`chirurgicaux` is
 * `chirurgical`, `bureaux` `bureau`: `Masque chirurgical` and `Masques chirurgicaux` are one product),
 * each word once, in alphabetical order.
 */
const PRODUCT_WORDS = (text: string): string => `array_to_string(list_sort(list_distinct(list_transform(
    list_filter(string_split_regex(${SPECS_GLUED(FOLDED(text))}, '${String.raw`[^\p{L}\p{M}0-9]+`}'), w -> length(w) > 1 AND w NOT IN (${inList(NOT_PRODUCT_WORDS)})
      AND (NOT regexp_matches(w, '^[0-9]') OR (regexp_matches(w, '^[0-9]+[a-z]+$') AND regexp_extract(w, '[a-z]+$') NOT IN (${inList(NOT_SPEC_SUFFIXES)})))),
    w -> CASE WHEN length(w) > 4 AND w LIKE '%eaux' THEN left(w, length(w) - 1)
              WHEN length(w) > 4 AND w LIKE '%aux' THEN left(w, length(w) - 3) || 'al'
              WHEN length(w) > 3 AND w LIKE '%s' AND w NOT LIKE '%ss' THEN left(w, length(w) - 1) ELSE w END))), ' ')`;

/**
 * Units that say what a product is when written after a number (SPECS_GLUED): a capacity, a power, a
 * tension, a current's charge, a frequency, a resolution (lower-cased). Not units a quantity is bought in.
 */
const SPEC_UNITS = ['kb', 'mb', 'gb', 'tb', 'ko', 'go', 'hz', 'khz', 'mhz', 'ghz', 'v', 'vac', 'vdc', 'kv', 'w', 'kw', 'kva', 'va', 'mah', 'ah', 'mp', 'mpx', 'dpi', 'ppm', 'rpm', 'btu', 'hp', 'cv'];
/**
 * A text with a number and a unit of specification written apart glued (`16 gb` → `16gb`, `220 v` →
 * `220v`), so that PRODUCT_WORDS reads them as it reads `16gb`: a spec of the product (written apart,
 * the number was dropped as a count and `gb` kept alone — 16 GB and 64 GB sticks were one product,
 * found by a review). Only SPEC_UNITS: a count apart from the noun it counts (`50 unidades`, `boîte de
 * 50 masques`) is no specification.
 */
const SPECS_GLUED = (text: string): string => `regexp_replace(${text}, '${String.raw`\b([0-9]+)[ \x{00a0}\x{202f}]+(${SPEC_UNITS.join('|')})\b`}', '${String.raw`\1\2`}', 'g')`;

/** A size of `z.v` of its base written in the largest of `shown`'s units it holds one of (the last: the base). */
const SIZE_SHOWN_AS = (shown: ReadonlyArray<readonly [holds: number, unit: string]>): string =>
  shown.reduceRight((smaller: string, [holds, unit]) => {
    const written = `${SIZE_NUMBER(`z.v / ${holds}`)} || ' ${unit}'`;
    return smaller === '' ? written : `CASE WHEN z.v >= ${holds} THEN ${written} ELSE ${smaller} END`;
  }, '');
const SIZE_NUMBER = (x: string): string => `regexp_replace(CAST(round(${x}, 6) AS VARCHAR), '${String.raw`\.0$`}', '')`;
/**
 * The letters and digits a size's unit is made of, lower-cased, without accents (Latin and Cyrillic:
 * what else is around a size is a space to the search; named ranges, not \p{L}: the store compiles
 * the patterns for each query, and Unicode's letter classes are slow to compile).
 */
const SIZE_WORD = String.raw`a-z0-9\x{0400}-\x{04FF}`;
/** A text that may hold a size (most hold none, and are not searched further: the search is slow). */
const SIZE_HINT = String.raw`[0-9][^${SIZE_WORD}]*(?:${Object.keys(SIZE_UNITS).join('|')})(?:[^${SIZE_WORD}]|$)`;
/**
 * A size's number: its thousands, a first group of one to three digits and groups of three marked `_`
 * (THOUSANDS_SPACE), or plain digits, then its decimals marked `#`. (After a `_` too, so that marks
 * that group no thousands, `12 05 ml`, leave the last number the size, as it was before them.)
 */
const SIZE_PATTERN = String.raw`[\s_]((?:\d{1,3}(?:_\d{3})+|\d+)(?:#\d+)?)\s*(${Object.keys(SIZE_UNITS).sort((a, b) => b.length - a.length).join('|')})\s`;
/**
 * A space that groups a size's thousands (`1 000 ml` is 1 l), marked `_` for SIZE_PATTERN: a narrow
 * no-break space between digits (`1\u202F500 ml`), as French number formatting writes thousands and
 * no one types between a count and a size; a plain or a no-break space only before a group that
 * starts with 0 (`1 000 ml`, `2\u00A0050 g`: `000 ml` is no size of its own). A plain space before
 * another group may part two numbers, a lot's or a count's then the size (`lot 2 500 ml`, `carton 24
 * 330 ml`): the size is then the last number, 500 ml, as it was; so may a no-break space, an HTML
 * `&nbsp;` or a word processor's between any two words (`carton de 24\u00A0330\u00A0ml`: 330 ml).
 */
const THOUSANDS_SPACE = String.raw`(\d)(?:\x{202f}(\d)|[ \x{00a0}](0))`;

/**
 * A text's sizes (SIZE_UNITS), as one text: a number, its thousands (THOUSANDS_SPACE), its decimals
 * after a point or a comma, and a unit of size, glued or not (`500ml`, `1,5 L`, `1 000 ml`), each
 * written in the largest unit it holds one of (`500 ml`, `1.5 l`, `250 g`, `20 kg`, `1 l`), each once,
 * sorted. Empty when it has none. (The text is rewritten for the search alone: a thousands space
 * becomes `_` (the text's own `_` a space first), a decimal comma or point `#`, every run of anything
 * but SIZE_WORD's letters and digits, `#` and `_` two spaces, so that a size ends at a word's end, `5 lots` holds none,
 * and the space after one size is not the one before the next.)
 */
const SIZES = (text: string): string => `CASE WHEN regexp_matches(lower(strip_accents(${text})), '${SIZE_HINT}') THEN array_to_string(list_sort(list_distinct(list_filter(list_transform(list_transform(list_transform(
    regexp_extract_all(' ' || regexp_replace(regexp_replace(regexp_replace(replace(lower(strip_accents(${text})), '_', ' '), '${THOUSANDS_SPACE}', '${String.raw`\1_\2\3`}', 'g'),
      '${String.raw`(\d)[.,](\d)`}', '${String.raw`\1#\2`}', 'g'), '[^${SIZE_WORD}#_]+', '  ', 'g') || ' ', '${SIZE_PATTERN}', 0),
      m -> regexp_extract(m, '${SIZE_PATTERN}', ['n', 'u'])),
    s -> {'v': round(TRY_CAST(replace(replace(s.n, '_', ''), '#', '.') AS DOUBLE) * CASE s.u ${Object.entries(SIZE_UNITS).map(([u, [, holds]]) => `WHEN '${u}' THEN ${holds}`).join(' ')} END, 3),
          'base': CASE s.u ${Object.entries(SIZE_UNITS).map(([u, [base]]) => `WHEN '${u}' THEN '${base}'`).join(' ')} END}),
    z -> CASE WHEN z.v > 0 THEN CASE z.base ${Object.entries(SIZE_SHOWN).map(([base, shown]) => `WHEN '${base}' THEN ${SIZE_SHOWN_AS(shown)}`).join(' ')} END END),
    x -> x IS NOT NULL))), ' ') ELSE '' END`;

/**
 * The items of a table like the store's `items` (`items`), priced per unit (see above), with their
 * group's key; `contracts`: a table like the store's `contracts` that holds their contracts.
 */
/**
 * Two items that are one line of their award, copied into each of its contracts that lists none of
 * its own (flatten): the same id, description, classification, quantity, unit and unit price. Not the
 * id alone: publishers number each contract's lines from `1` (or give none), and two contracts' own
 * lines `1` of 100 and 200 masks were taken for the award's, neither priced from its value.
 */
const SAME_LINE = (a: string, b: string): string => ['item_id', 'description', 'classification_scheme', 'classification_id', 'quantity', 'unit_name', 'unit_code', 'unit_price', 'unit_currency']
  .map((col) => `${a}.${col} IS NOT DISTINCT FROM ${b}.${col}`).join(' AND ');
/** A unit of one piece: a pack counted in pieces, one named by its size, a piece's name or code (PIECE_NAMES, PIECE_CODES). */
const PIECE = `(pack > 0 OR sized OR uword IN (${inList(PIECE_NAMES)}) OR ucode IN (${inList(PIECE_CODES)}))`;
const priced = (items: string, contracts: string): string => `
  SELECT ocid, contract_id, item_id, buyer_id, description,
         -- (a size, in the unit's name or the description, is the product's: a bottle of 500 ml of
         -- gel is a piece of gel 500 ml, however written, and a 5 l can is no peer of it; a size
         -- alone is no product; not when the item is priced by a measure, a litre or a kilogram
         -- however written — MEASURES —: then the number in its description is the quantity
         -- ordered, "Gazole 20000 litres", no pack's size; a piece, whatever code it gives, keeps
         -- it: "sac de 25 kg" coded KGM is no peer of "sac de 5 kg")
         product_base || CASE WHEN measure IS NOT NULL AND NOT coalesce(${PIECE}, false) THEN ''
                              ELSE coalesce(' ' || nullif(${SIZES("concat_ws(' ', unit_name, description)")}, ''), '') END AS product_key,
         CASE WHEN ${PIECE} THEN 'piece' WHEN measure IS NOT NULL THEN measure.unit ELSE coalesce(${SINGULAR('uword')}, lower(trim(unit_code))) END AS unit,
         currency, market, year,
         -- (a measure's price per its group's unit: a price per gram 1000 × one per kilogram, a
         -- quantity of grams a thousandth of one of kilograms)
         CASE WHEN pack > 0 THEN quantity * pack WHEN ${PIECE} OR measure IS NULL THEN quantity ELSE quantity * measure.num / measure.den END AS quantity,
         CASE WHEN pack > 0 THEN u0 / pack WHEN ${PIECE} OR measure IS NULL THEN u0 ELSE u0 * measure.den / measure.num END AS u,
         price_from || CASE WHEN pack > 0 THEN format(' ÷ {} ({})', pack, coalesce(trim(unit_name), ucode))
                            WHEN ${PIECE} OR measure IS NULL OR measure.num = measure.den THEN ''
                            WHEN measure.den > measure.num THEN format(' × {} ({} → {})', CAST(measure.den / measure.num AS BIGINT), coalesce(uword, ucode), measure.unit)
                            ELSE format(' ÷ {} ({} → {})', CAST(measure.num / measure.den AS BIGINT), coalesce(uword, ucode), measure.unit) END AS price_from,
         source_sha256, source_index
  FROM (
    SELECT i.ocid, i.contract_id, i.item_id, c.buyer_id, i.description, i.unit_name, i.unit_code,
           nullif(concat_ws(' ', CASE WHEN i.classification_id IS NOT NULL THEN coalesce(i.classification_scheme, '(no scheme)') || ':' || i.classification_id END,
                            nullif(${PRODUCT_WORDS("coalesce(i.description, '')")}, '')), '') AS product_base,
           nullif(lower(strip_accents(trim(i.unit_name))), '') AS uname,
           upper(trim(i.unit_code)) AS ucode,
           -- the unit's name as a word: without a final point (UND., Kg.), its plural in brackets
           -- spelt out (Pieza(s), unidad(es))
           nullif(regexp_replace(rtrim(uname, '.'), '[(](e?s)[)]$', '${String.raw`\1`}'), '') AS uword,
           ${MEASURE_OF('uword', 'upper(trim(i.unit_code))')} AS measure,
           -- a unit named by its size (flacon de 500 ml, bidon de 5 l, sac de 25 kg) is one piece of it
           ${SIZES('i.unit_name')} <> '' AS sized,
           -- a count in thousands (carton de 1 000), unless a measure follows it (carton de 24 330ml:
           -- 24 cans of 330 ml), else the plain count (boîte de 50)
           CASE WHEN uword IN (${inList(DOZEN_NAMES)}) OR ucode = 'DZN' THEN 12
                WHEN regexp_matches(uname, '${PACK_GROUPED}') AND regexp_extract(uname, '${PACK_GROUPED}', 2) = '' AND regexp_extract(uname, '${PACK_GROUPED}', 3) NOT IN (${inList(MEASURE_UNITS)})
                THEN TRY_CAST(regexp_replace(regexp_extract(uname, '${PACK_GROUPED}', 1), '[^0-9]', '', 'g') AS INTEGER)
                WHEN regexp_extract(uname, '${PACK_PATTERN}', 2) <> '' OR regexp_extract(uname, '${PACK_PATTERN}', 3) IN (${inList(MEASURE_UNITS)}) THEN NULL
                -- a pack of packs: its pieces are the product of the counts (carton de 10 boîtes de
                -- 100: 1000), unless a measure follows the second (lot de 2 flacons de 500 ml: 2
                -- pieces); not understood (a decimal count without its measure, a third count), it is
                -- no count of pieces (its first count alone would price a box of pieces as one)
                WHEN regexp_matches(uname, '${PACK_NESTED}')
                THEN CASE WHEN regexp_matches(regexp_extract(uname, '${PACK_NESTED}', 5), '[0-9]') THEN NULL
                          WHEN regexp_extract(uname, '${PACK_NESTED}', 4) IN (${inList(MEASURE_UNITS)}) THEN TRY_CAST(regexp_extract(uname, '${PACK_NESTED}', 1) AS INTEGER)
                          WHEN regexp_extract(uname, '${PACK_NESTED}', 3) = ''
                          THEN TRY_CAST(TRY_CAST(regexp_extract(uname, '${PACK_NESTED}', 1) AS DOUBLE) * TRY_CAST(regexp_replace(regexp_extract(uname, '${PACK_NESTED}', 2), '[^0-9]', '', 'g') AS DOUBLE) AS INTEGER) END
                -- (a count of dozens, boîte de 10 douzaines, is 12 pieces a dozen: by the dozen, 12 × its peers)
                ELSE TRY_CAST(nullif(regexp_extract(uname, '${PACK_PATTERN}', 1), '') AS INTEGER)
                     * CASE WHEN regexp_extract(uname, '${PACK_PATTERN}', 3) IN (${inList(DOZEN_NAMES)}) THEN 12 ELSE 1 END END AS pack,
           CASE WHEN i.unit_price IS NOT NULL THEN i.unit_currency ELSE c.currency END AS currency,
           c.market, i.year, i.quantity,
           -- (a contract of one item, its own: not its award's, which contracts that list no items
           -- of their own share — flatten gives each the award's —, the award split among them: the
           -- award's quantity is not theirs, and 100 kg for 1,000 split in 2,500 and 500 was 25 and 5)
           CASE WHEN i.unit_price IS NOT NULL THEN i.unit_price
                WHEN n.items = 1 AND i.quantity > 0 AND NOT EXISTS (
                  SELECT 1 FROM ${contracts} c2 JOIN ${items} i2 ON i2.ocid = c2.ocid AND i2.contract_id = c2.contract_id
                  WHERE c2.ocid = c.ocid AND c2.award_id = c.award_id AND c2.contract_id <> c.contract_id AND ${SAME_LINE('i2', 'i')})
                THEN c.amount / i.quantity END AS u0,
           CASE WHEN i.unit_price IS NOT NULL THEN 'unit.value' ELSE 'contract value / quantity' END AS price_from,
           i.source_sha256, i.source_index
    FROM ${items} i
    JOIN ${contracts} c ON c.ocid = i.ocid AND c.contract_id = i.contract_id AND c.duplicate_of IS NULL
    JOIN (SELECT ocid, contract_id, count(*) AS items FROM ${items} GROUP BY ocid, contract_id) n ON n.ocid = i.ocid AND n.contract_id = i.contract_id
    -- an award's line that its contracts share (they list none of their own: flatten gives each the
    -- award's) is one observation, its first contract's: one line split in five contracts was a
    -- group of five of its own, its quantity five times in its buyer's index (the same line,
    -- SAME_LINE, in an earlier contract of the award: a contract's own line differs)
    WHERE NOT EXISTS (
      SELECT 1 FROM ${contracts} c3 JOIN ${items} i3 ON i3.ocid = c3.ocid AND i3.contract_id = c3.contract_id
      WHERE c3.ocid = c.ocid AND c3.award_id = c.award_id AND c3.contract_id < c.contract_id AND c3.duplicate_of IS NULL AND ${SAME_LINE('i3', 'i')})
  )`;

/** The items that can be compared: a price above 0, a product, a unit, a currency and a year. */
const comparable = (items = 'items', contracts = 'contracts'): string =>
  `SELECT * FROM (${priced(items, contracts)}) WHERE u > 0 AND product_key IS NOT NULL AND coalesce(unit, '') <> '' AND currency IS NOT NULL AND year IS NOT NULL`;

/**
 * The comparable items, kept in the store (`priced_items`, see per-ocid.ts): the words of a
 * description, a pack's count and the unit are worked out once per item, when its ocid is
 * recompiled, not for every item by every run (the comparison across processes below is computed
 * again whole, from this table). An item's row depends on its own process only (its contract's value,
 * currency, market — contracts.market: a group's peers are of one market —, duplicate link and
 * count of items, and the award's other contracts).
 */
export const PRICED_ITEMS: PerOcidTable = {
  name: 'priced_items',
  all: comparable(),
  // (the recompiled ocids' rows are copied first: with a filter on the ocids in the query, DuckDB
  // pushes the comparable items' filter, product words and all, below it, and works out every item
  // of the store for the few recompiled — 0.6 s of a daily run on 1,000,000 items)
  some: (recompiled) => ({
    before: [
      `CREATE OR REPLACE TEMP TABLE recompiled_items AS SELECT * FROM items x WHERE ${recompiled('x')}`,
      `CREATE OR REPLACE TEMP TABLE recompiled_item_contracts AS SELECT ocid, contract_id, award_id, buyer_id, amount, currency, market, duplicate_of FROM contracts x WHERE ${recompiled('x')}`,
    ],
    select: comparable('recompiled_items', 'recompiled_item_contracts'),
    after: ['DROP TABLE recompiled_items', 'DROP TABLE recompiled_item_contracts'],
  }),
};

/**
 * Red-flags.md §5's buyer and supplier price indexes, as views over every comparable item (groups of
 * 5 prices or more): `price_index` = Σ q·u / Σ q·median (1: paid what peers paid; 1.8: 80 % more),
 * `excess` = Σ q·max(0, u − median), what was paid above the peers' median. A buyer or supplier is
 * its legal unit, as in the indicator views (red-flags.md §3.4: "use SIREN = first 9 digits to group
 * establishments"; unitOf: the SIREN of a French id, else the party id), named as they name it
 * (party_unit_names): by party id, one company's establishments were indexes of their own, each on
 * part of its purchases. A supplier is credited with every item of the contracts it holds (shared
 * contracts: each of its suppliers; two establishments of one company holding a contract together,
 * once).
 */
const priceIndexView = (name: string, who: 'buyer' | 'supplier', items: string): string => `CREATE OR REPLACE VIEW ${name} AS
   WITH priced AS (SELECT * FROM priced_items),
   groups AS (SELECT product_key, unit, currency, year, market, median(u) AS med FROM priced GROUP BY product_key, unit, currency, year, market HAVING count(*) >= ${MIN_GROUP_PRICES}),
   w AS (${items})
   SELECT p.${who}, any_value(k.name) AS ${who}_name, p.market, p.currency, p.year, count(*) AS items, count(DISTINCT p.ocid) AS processes,
          round(sum(p.quantity * p.u) / sum(p.quantity * g.med), 4) AS price_index,
          round(sum(p.quantity * greatest(0, p.u - g.med)), 2) AS excess
   FROM w p JOIN groups g ON g.product_key = p.product_key AND g.unit = p.unit AND g.currency = p.currency AND g.year = p.year AND g.market IS NOT DISTINCT FROM p.market
   LEFT JOIN party_unit_names k ON k.unit = p.${who}
   WHERE p.quantity > 0
   GROUP BY p.${who}, p.market, p.currency, p.year`;

/** (They read the view party_unit_names: the store creates them after INDICATOR_VIEWS.) */
export const PRICE_INDEX_VIEWS: readonly string[] = [
  priceIndexView('buyer_price_index', 'buyer', `SELECT *, ${unitOf('buyer_id')} AS buyer FROM priced`),
  priceIndexView('supplier_price_index', 'supplier', `SELECT p.*, s.supplier FROM priced p JOIN (SELECT DISTINCT ocid, contract_id, ${unitOf('party_id')} AS supplier FROM contract_suppliers) s ON s.ocid = p.ocid AND s.contract_id = p.contract_id`),
  // red-flags.md §5's "time series of median u per week for price-gouging": per product (the groups'
  // key: product, unit, currency, market), the week (Monday) of its contracts' signature, the median
  // unit price and its prices (every comparable item with a signature day: a week of one price is a
  // price, not a median; read `prices`); a contract published twice counts once (priced_items)
  `CREATE OR REPLACE VIEW weekly_unit_prices AS
   SELECT p.product_key, p.unit, p.currency, p.market, date_trunc('week', c.signed_day)::DATE AS week, count(*) AS prices,
          median(p.u) AS median_price, min(p.u) AS min_price, max(p.u) AS max_price, sum(p.quantity) AS quantity
   FROM priced_items p JOIN contracts c ON c.ocid = p.ocid AND c.contract_id = p.contract_id
   WHERE c.signed_day IS NOT NULL
   GROUP BY p.product_key, p.unit, p.currency, p.market, date_trunc('week', c.signed_day)`,
];

export const PRICE_ANOMALY_SQL: readonly string[] = [
  'DELETE FROM price_anomalies',
  `INSERT INTO price_anomalies
   WITH priced AS (SELECT * FROM priced_items),
   groups AS (
     SELECT product_key, unit, currency, year, market, count(*) AS n, median(u) AS med, list_sort(list(log10(u))) AS logs
     FROM priced GROUP BY product_key, unit, currency, year, market HAVING count(*) >= ${MIN_GROUP_PRICES}),
   -- (the most prices of a group that are one price: over half, the fence rule does not apply)
   modal AS (SELECT product_key, unit, currency, year, market, max(c) AS top FROM (SELECT product_key, unit, currency, year, market, round(u, 6) AS p, count(*) AS c FROM priced GROUP BY ALL) GROUP BY ALL),
   quartiles AS (SELECT g.product_key, g.unit, g.currency, g.year, g.market, g.n, g.med, m.top, quantile_type8(g.logs, 0.25) AS q1, quantile_type8(g.logs, 0.75) AS q3
     FROM groups g JOIN modal m ON m.product_key = g.product_key AND m.unit = g.unit AND m.currency = g.currency AND m.year = g.year AND m.market IS NOT DISTINCT FROM g.market),
   fenced AS (SELECT product_key, unit, currency, year, market, n, med, CASE WHEN q3 > q1 AND 2 * top <= n THEN q3 + 1.5 * (q3 - q1) END AS fence FROM quartiles)
   SELECT p.ocid, p.contract_id, p.item_id, p.buyer_id, p.description, p.product_key, p.unit, p.currency, p.market, p.year, p.quantity, p.u, p.price_from,
          g.n, g.med, round(p.u / g.med, 4), round(g.fence, 4), round(p.u / g.med, 9) >= 2, coalesce(round(log10(p.u), 9) >= round(g.fence, 9), false),
          CASE WHEN p.quantity > 0 THEN round(p.quantity * (p.u - g.med), 2) END, p.source_sha256, p.source_index
   FROM priced p JOIN fenced g ON g.product_key = p.product_key AND g.unit = p.unit AND g.currency = p.currency AND g.year = p.year AND g.market IS NOT DISTINCT FROM p.market
   WHERE round(p.u / g.med, 9) >= 2 OR coalesce(round(log10(p.u), 9) >= round(g.fence, 9), false)`,
];
