import { codeUnitKey, currencyNamedIn, currencyOfSymbol, otherCurrencyInText, parseAmount, parseFrenchNumber, parseMonths, PLAIN_DECIMAL, quantityWithUnit, surelyOtherCurrencyInText, unitKey } from '../../src/transform/amounts.js';
import { TRANSFORMS, type TransformContext } from '../../src/transform/functions.js';
import type { MappingFlag } from '../../src/transform/profile.js';
import fc from 'fast-check';
import { hash53, shortHash, shortHashOfJson, type HashableJson } from '../../src/transform/hash.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { flagsOf, marche, type J } from '../helpers/decp-records.js';
import { tempDir } from '../helpers/tmp.js';

test.each([
  ['1 234,50', 1234.5],
  ['1.234,50', 1234.5],
  ['1234.50', 1234.5],
  ['1,234.50', 1234.5],
  ['30000.00', 30000],
  ['12,5', 12.5],
  ['260 000 €', 260000],
  ['abc', Number.NaN],
])('parseFrenchNumber(%j) = %d', (t, n) => expect(parseFrenchNumber(t)).toBe(n));

test.each([
  [84250.5, 84250.5, []],
  ['30000.00', 30000, ['AMOUNT_AS_STRING']],
  [999999999, 999999999, ['AMOUNT_PLACEHOLDER']],
  [99999999, 99999999, ['AMOUNT_PLACEHOLDER']],
  // decp-processing's sentinel for an absurd amount (the consolidated DECP of data.gouv.fr)
  [12311111111, 12311111111, ['AMOUNT_PLACEHOLDER']],
  ['12311111111.0', 12311111111, ['AMOUNT_AS_STRING', 'AMOUNT_PLACEHOLDER']],
  [0, 0, ['AMOUNT_ZERO']],
  [-5, -5, ['AMOUNT_NEGATIVE']],
  [123456789, 123456789, []],
])('parseAmount(%j)', (raw, amount, flags) => expect(parseAmount(raw)).toEqual({ amount, flags }));

test.each([
  ['1 234 567,89 € HT', 1234567.89, []],
  ['5000 euros', 5000, []],
  ['EUR 5000', 5000, []],
  ['5 000 € TTC', 5000, ['AMOUNT_TTC']],
  // (found by a CSV probe) a code or a tax word glued to the amount, as an export writes it: read, and
  // a glued TTC still said; a scale word's `KEUR` stays one
  ['1500.00EUR', 1500, []],
  ['12,50euros', 12.5, []],
  ['12,50HT', 12.5, []],
  ['12,50TTC', 12.5, ['AMOUNT_TTC']],
  ['12,50USD', 12.5, ['AMOUNT_CURRENCY_IN_TEXT']],
  // (a review) the code and the tax word glued together, as `5000€HT` was read: read, a TTC said
  ['5000EURHT', 5000, []],
  ['5000 eurHT', 5000, []],
  ['5000EUROSHT', 5000, []],
  ['5000EURTTC', 5000, ['AMOUNT_TTC']],
  ['5000EURX', null, ['AMOUNT_UNPARSABLE']],
  ['150KEUR', 150000, ['AMOUNT_SCALED']],
  ['1.234', 1234, ['AMOUNT_SEPARATOR_AMBIGUOUS']],
  // a comma before three digits: the decimal comma, flagged (it could separate thousands)
  ['1,234', 1.234, ['AMOUNT_SEPARATOR_AMBIGUOUS']],
  ['1 234,567', 1234.567, []],
  ['1234,567', 1234.567, []],
  ['0,500', 0.5, []],
  ['0.500', 0.5, []],
  ['1 234,56', 1234.56, []],
  ['1,234,567', 1234567, []],
  ['1,234.50', 1234.5, []],
  ['12.345.678', 12345678, []],
  ['1.5', 1.5, []],
  [1e20, 1e20, ['AMOUNT_IMPLAUSIBLE']],
  ['1e300', 1e300, ['AMOUNT_IMPLAUSIBLE']],
  // past a double's range (JSON's 1e400 reads as Infinity): implausible, no value kept
  [Infinity, null, ['AMOUNT_IMPLAUSIBLE']],
  ['1e400', null, ['AMOUNT_IMPLAUSIBLE']],
  [999999999, 999999999, ['AMOUNT_PLACEHOLDER']],
])('amount %j: currency and tax words, ambiguous separators, impossible values', (raw, amount, flags) => {
  const r = parseAmount(raw);
  expect(r?.amount).toBe(amount);
  expect(r?.flags.filter((f) => f !== 'AMOUNT_AS_STRING')).toEqual(flags);
});

test.each([
  // a source whose decimal separator is the dot (settings.decimalSeparator "."): the ambiguous forms read the other way
  ['1,500', '.', 1500, ['AMOUNT_SEPARATOR_AMBIGUOUS']],
  ['1.500', '.', 1.5, ['AMOUNT_SEPARATOR_AMBIGUOUS']],
  ['1,234,567.89', '.', 1234567.89, []],
  ['1.234.567,89', '.', 1234567.89, []],
  ['12.5', '.', 12.5, []],
  // another currency's symbol or ISO 4217 code around the amount: read without it, flagged (which
  // currency "$" is, and whether the code is the record's, is for a reader to check)
  ['$ 1.500.000,00', ',', 1500000, ['AMOUNT_CURRENCY_IN_TEXT']],
  ['USD 250.000,00', ',', 250000, ['AMOUNT_CURRENCY_IN_TEXT']],
  ['250 000 COP', ',', 250000, ['AMOUNT_CURRENCY_IN_TEXT']],
  ['USD250', ',', 250, ['AMOUNT_CURRENCY_IN_TEXT']],
  ['US$ 1,250.50', '.', 1250.5, ['AMOUNT_CURRENCY_IN_TEXT']],
  ['£12.50', '.', 12.5, ['AMOUNT_CURRENCY_IN_TEXT']],
  // dollars as Argentina and Uruguay write them (found by a partner's probe: unparsable, the price lost)
  ['U$S 25.000,00', ',', 25000, ['AMOUNT_CURRENCY_IN_TEXT']],
  ['u$s25.000,00', ',', 25000, ['AMOUNT_CURRENCY_IN_TEXT']],
  ['U$D 1.250,50', ',', 1250.5, ['AMOUNT_CURRENCY_IN_TEXT']],
  ['25.000,00 U$S', ',', 25000, ['AMOUNT_CURRENCY_IN_TEXT']],
  // the sign before the symbol reads as the sign before the digits
  ['-$1.234', ',', -1234, ['AMOUNT_CURRENCY_IN_TEXT', 'AMOUNT_SEPARATOR_AMBIGUOUS', 'AMOUNT_NEGATIVE']],
  ['$-1.234', ',', -1234, ['AMOUNT_CURRENCY_IN_TEXT', 'AMOUNT_SEPARATOR_AMBIGUOUS', 'AMOUNT_NEGATIVE']],
  // written with its currency, an amount shows the currency's minor digits (two, or none): one separator
  // before three digits groups thousands, whatever the source's decimal one (found by a partners'
  // shapes probe: a SECOP II "$650.000" read as 650 pesos); but in a currency of three minor digits
  ['$650.000', '.', 650000, ['AMOUNT_CURRENCY_IN_TEXT', 'AMOUNT_SEPARATOR_AMBIGUOUS']],
  ['COP 1.500', '.', 1500, ['AMOUNT_CURRENCY_IN_TEXT', 'AMOUNT_SEPARATOR_AMBIGUOUS']],
  ['1,500 €', ',', 1500, ['AMOUNT_SEPARATOR_AMBIGUOUS']],
  ['KWD 1.500', '.', 1.5, ['AMOUNT_CURRENCY_IN_TEXT', 'AMOUNT_SEPARATOR_AMBIGUOUS']],
  ['650.000', '.', 650, ['AMOUNT_SEPARATOR_AMBIGUOUS']],
  // three capitals that are no currency code are no currency: the text is not an amount
  ['12 MIO', ',', null, ['AMOUNT_UNPARSABLE']],
  ['LOT 5000', ',', null, ['AMOUNT_UNPARSABLE']],
  ['1 234 TVA', ',', null, ['AMOUNT_UNPARSABLE']],
  // (a tax word is no currency: glued to the digits as beside them, `1234 TTC`, read and said)
  ['1234TTC', ',', 1234, ['AMOUNT_TTC']],
] as const)('amount %j with the decimal separator %j', (raw, decimalSeparator, amount, flags) => {
  const r = parseAmount(raw, { decimalSeparator });
  expect(r?.amount).toBe(amount);
  expect(r?.flags.filter((f) => f !== 'AMOUNT_AS_STRING')).toEqual(flags);
});

test('the partners\' own words for their currencies beside an amount (Gs., грн, COL$, M.N.) name them: read, said only in another currency\'s source (found by a partners\' shapes probe: unparsable)', () => {
  const read = (raw: string, currency: string, decimalSeparator: ',' | '.' = ','): unknown => parseAmount(raw, { currency, decimalSeparator });
  for (const raw of ['Gs. 445.000', '445.000 Gs.', 'Gs 445.000', '445.000 guaraníes']) expect([raw, read(raw, 'PYG')]).toEqual([raw, { amount: 445000, flags: ['AMOUNT_AS_STRING', 'AMOUNT_SEPARATOR_AMBIGUOUS'] }]);
  for (const raw of ['8 154,00 грн', '8154 грн.', '8154 гривень', '8154 гривні']) expect([raw, read(raw, 'UAH')]).toEqual([raw, { amount: 8154, flags: ['AMOUNT_AS_STRING'] }]);
  expect(read('COL$ 650.000', 'COP', '.')).toEqual({ amount: 650000, flags: ['AMOUNT_AS_STRING', 'AMOUNT_SEPARATOR_AMBIGUOUS'] });
  expect(read('193,817.35 M.N.', 'MXN', '.')).toEqual({ amount: 193817.35, flags: ['AMOUNT_AS_STRING'] });
  // in another currency's source: another currency, said
  expect(read('8154 грн', 'EUR')).toEqual({ amount: 8154, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT'] });
  expect(read('Gs. 445.000', 'USD')).toEqual({ amount: 445000, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT', 'AMOUNT_SEPARATOR_AMBIGUOUS'] });
  // (not inside a word)
  expect(read('445 Gsx', 'PYG')).toEqual({ amount: null, flags: ['AMOUNT_AS_STRING', 'AMOUNT_UNPARSABLE'] });
});

test('euros beside the amount of a source in another currency are another currency, said; in a euro source, DECP\'s own writing', () => {
  for (const raw of ['1 000 €', '1 000 EUR', '1000 euros', 'EUR 1 000']) {
    expect([raw, parseAmount(raw, { currency: 'UAH' })]).toEqual([raw, { amount: 1000, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT'] }]);
    expect([raw, parseAmount(raw)]).toEqual([raw, { amount: 1000, flags: ['AMOUNT_AS_STRING'] }]);
    expect([raw, parseAmount(raw, { currency: 'EUR' })]).toEqual([raw, { amount: 1000, flags: ['AMOUNT_AS_STRING'] }]);
  }
  // the source's own currency code is that currency (flagged, the flag said nothing a reader could use)
  expect(parseAmount('250 000 COP', { currency: 'COP' })).toEqual({ amount: 250000, flags: ['AMOUNT_AS_STRING'] });
  expect(parseAmount('USD 12', { currency: 'COP' })).toEqual({ amount: 12, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT'] });
  // … and so is its symbol, when it names one currency (a UK source's pounds, a Ukrainian one's
  // hryvnias: found by a partner-profile probe, every amount was flagged); "$" names several
  expect(parseAmount('£1,250,000.00', { currency: 'GBP', decimalSeparator: '.' })).toEqual({ amount: 1250000, flags: ['AMOUNT_AS_STRING'] });
  expect(parseAmount('1 000 ₴', { currency: 'UAH' })).toEqual({ amount: 1000, flags: ['AMOUNT_AS_STRING'] });
  expect(parseAmount('£12', { currency: 'UAH' })).toEqual({ amount: 12, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT'] });
  expect(parseAmount('$ 1.500,00', { currency: 'EUR' })).toEqual({ amount: 1500, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT'] });
  // the dollar's own symbols, `US$` and Argentina's `U$S`, `U$D`, name it alone, as `MX$` the Mexican
  // peso's and `R$` the real (found by a partner's probe: a USD record's "U$S 50,00" flagged)
  for (const raw of ['US$ 5.000,00', 'U$S 5.000,00', 'u$s 5.000,00', '5.000,00 U$D']) {
    expect([raw, parseAmount(raw, { currency: 'USD' })]).toEqual([raw, { amount: 5000, flags: ['AMOUNT_AS_STRING'] }]);
    expect([raw, parseAmount(raw, { currency: 'ARS' })]).toEqual([raw, { amount: 5000, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT'] }]);
  }
  expect(parseAmount('MX$ 5.000,00', { currency: 'MXN' })).toEqual({ amount: 5000, flags: ['AMOUNT_AS_STRING'] });
  expect(parseAmount('R$ 5.000,00', { currency: 'BRL' })).toEqual({ amount: 5000, flags: ['AMOUNT_AS_STRING'] });
  // (a review) and `AR$` the Argentine peso's, in an Argentine export's record in pesos
  expect(parseAmount('AR$ 1.500,00', { currency: 'ARS' })).toEqual({ amount: 1500, flags: ['AMOUNT_AS_STRING'] });
  expect(parseAmount('AR$ 1.500,00', { currency: 'USD' })).toEqual({ amount: 1500, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT'] });
  expect(currencyOfSymbol(' ar$ ')).toBe('ARS');
  expect(parseAmount('$ 5.000,00', { currency: 'UAH' })).toEqual({ amount: 5000, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT'] });
  // tax words are no currency
  expect(parseAmount('1 000 HT', { currency: 'UAH' })).toEqual({ amount: 1000, flags: ['AMOUNT_AS_STRING'] });
});

test.each([
  // spaces between digits that group no thousands are no one number: two numbers, a year beside the
  // amount, a typo, another grouping — reading the digits end to end made another number (2,019,150,000 €)
  '12 5',
  '2019 150000',
  '1 50 000',
  '15 0000',
  '150000 000',
  '1 2 3',
  '12 345 678,9 1',
])('amount %j: spaces that group no thousands are no amount (unparsable, not the digits glued)', (raw) => {
  expect(parseAmount(raw)).toEqual({ amount: null, flags: ['AMOUNT_AS_STRING', 'AMOUNT_UNPARSABLE'] });
  expect(parseFrenchNumber(raw)).toBeNaN();
});

test.each([
  ['1 234 567,89', 1234567.89],
  ['012 000', 12000],
  ['1\u00a0234\u202f567', 1234567],
  ['1 234 ,56', 1234.56],
  ['- 150 000', -150000],
  ['150 000 € HT', 150000],
])('amount %j: thousands groups of three are read', (raw, amount) => expect(parseAmount(raw)?.amount).toBe(amount));

test('a sign apart from its thousands groups is no irregular spacing (found by a review): "- 150 000" is a number for number and quantity too', () => {
  expect(parseFrenchNumber('- 150 000')).toBe(-150000);
  expect(parseFrenchNumber('+ 1 234,5')).toBe(1234.5); // (a "+" as XML's xs:decimal takes one)
  expect(parseFrenchNumber('- 15 0000')).toBeNaN();
  const ctx = { flags: [] as MappingFlag[], pointer: '/x', amounts: {} } as unknown as TransformContext;
  expect(TRANSFORMS.number('- 12 000', ctx)).toBe(-12000);
  expect(TRANSFORMS.quantity('- 12 000', ctx)).toBe(-12000);
  expect(ctx.flags).toEqual([]);
});

test.each([
  ['+127000', 127000, []],
  ['127000.', 127000, []],
  ['+127000.50', 127000.5, []],
  ['.5', 0.5, []],
  ['-.5', -0.5, ['AMOUNT_NEGATIVE']],
  ['+ 127 000,50 €', 127000.5, []],
  ['+1.234', 1234, ['AMOUNT_SEPARATOR_AMBIGUOUS']],
])('amount %j: a leading "+" and a point with no digits on one side are a number, as the XML twin <montant> reads them', (raw, amount, flags) => {
  const r = parseAmount(raw);
  expect(r?.amount).toBe(amount);
  expect(r?.flags).toEqual(['AMOUNT_AS_STRING', ...flags]);
});

test.each([
  ['127000,', 127000],
  ['127 000,', 127000],
  ['127\u202f000,', 127000],
  ['127 000 ,', 127000],
  ['127 000.', 127000],
  ['-127000,', -127000],
  ['1.234.567,', 1234567],
  ['127 000, €', 127000],
])('amount %j: a decimal separator with no digits after it is the number without decimals, as "127000." is (found by a monitor)', (raw, amount) => {
  const r = parseAmount(raw);
  expect(r?.amount).toBe(amount);
  expect(r?.flags).toEqual(parseAmount(String(amount) + '.')?.flags);
  expect(parseFrenchNumber(raw)).toBe(amount);
});

test.each(['127,000,', '1,2,', '12 5,', '127000,,', ',', '1,234,'])('amount %j: a trailing comma reads nothing looser (two commas, irregular spaces, no digits)', (raw) => {
  expect(parseAmount(raw)).toEqual({ amount: null, flags: ['AMOUNT_AS_STRING', 'AMOUNT_UNPARSABLE'] });
});

// (found by a review: "12.500," was 12500 where "12.500" is 12.5)
test.each(['12.500,', '1.234,', '127000,', '127 000,'])('amount %j: a trailing comma ends no number of a source whose decimal separator is the point', (raw) => {
  expect(parseAmount(raw, { decimalSeparator: '.' })).toEqual({ amount: null, flags: ['AMOUNT_AS_STRING', 'AMOUNT_UNPARSABLE'] });
  expect(parseAmount(raw.replace(/,$/, ''), { decimalSeparator: '.' })?.amount).not.toBeNull();
});

test('a text that XML reads as an xs:decimal number is the same number in a JSON text (one rule: PLAIN_DECIMAL)', () => {
  const decimal = fc
    .tuple(fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{0,9}$/), fc.constantFrom('', '.'), fc.stringMatching(/^\d{0,4}$/))
    .map(([sign, int, point, frac]) => `${sign}${int}${point}${frac}`)
    .filter((t) => PLAIN_DECIMAL.test(t));
  fc.assert(fc.property(decimal, (t) => expect(parseFrenchNumber(t)).toBe(Number(t))));
  expect(['+127000', '127000.', '.5'].map((t) => parseFrenchNumber(t))).toEqual([127000, 127000, 0.5]);
});

test('durations: spaces that group no thousands are no duration', () => {
  expect(parseMonths('1 2')).toEqual({ months: null, flags: ['DURATION_UNPARSABLE'] });
  expect(parseMonths(' 12 ')).toEqual({ months: 12, flags: ['DURATION_AS_STRING'] });
});

test('what is implausible is the source\'s to say (pesos and guaraníes count in larger units)', () => {
  expect(parseAmount(2.5e12)?.flags).toEqual(['AMOUNT_IMPLAUSIBLE']);
  expect(parseAmount(2.5e12, { implausible: 1e15 })?.flags).toEqual([]);
});

// other spellings found on buyer platforms (a probe of real files): read exactly and flagged, or not at all
test.each([
  // thousands grouped by apostrophes (Swiss style; U+2019 or U+0027): never a decimal separator
  ['6’553’000', ',', 6553000, ['AMOUNT_SEPARATOR_APOSTROPHE']],
  ["6'553'000", ',', 6553000, ['AMOUNT_SEPARATOR_APOSTROPHE']],
  ['6’553’000.50', ',', 6553000.5, ['AMOUNT_SEPARATOR_APOSTROPHE']],
  ["1'234,5", '.', 1234.5, ['AMOUNT_SEPARATOR_APOSTROPHE']],
  // narrow no-break spaces (U+202F) grouping thousands and before the euro: the usual reading
  ['6\u202f553\u202f000,00\u202f€', ',', 6553000, []],
  // a word of scale: the power of ten, applied to the decimal text (6.553 × 1e6 is 6553000.000000001)
  ['6,553 M€', ',', 6553000, ['AMOUNT_SEPARATOR_AMBIGUOUS', 'AMOUNT_SCALED']],
  ['150 K€', ',', 150000, ['AMOUNT_SCALED']],
  ['150 k€', ',', 150000, ['AMOUNT_SCALED']],
  ['150 KEUR', ',', 150000, ['AMOUNT_SCALED']],
  ['1 200 k€', ',', 1200000, ['AMOUNT_SCALED']],
  ["1,2 million d'euros", ',', 1200000, ['AMOUNT_SCALED']],
  ['1,5 millions', ',', 1500000, ['AMOUNT_SCALED']],
  ['1.5M', ',', 1500000, ['AMOUNT_SCALED']],
  ['0,1 M€', ',', 100000, ['AMOUNT_SCALED']],
  ['2 Md€', ',', 2000000000, ['AMOUNT_SCALED']],
  ['-1,5 M€', ',', -1500000, ['AMOUNT_SCALED', 'AMOUNT_NEGATIVE']],
  // the separator that is not the source's decimal one may group thousands: 6.5 million or 6.5 billion?
  ['6.553 M€', ',', null, ['AMOUNT_SCALE_AMBIGUOUS']],
  ['6,553 M€', '.', null, ['AMOUNT_SCALE_AMBIGUOUS']],
  ['6.553 M€', '.', 6553000, ['AMOUNT_SEPARATOR_AMBIGUOUS', 'AMOUNT_SCALED']],
  // a word that says no one power of ten: billion (10⁹ in English, 10¹² in French), m (milli, mille, million?)
  ['2 billions', ',', null, ['AMOUNT_SCALE_AMBIGUOUS']],
  ['1.5m', ',', null, ['AMOUNT_SCALE_AMBIGUOUS']],
  // not these spellings: unparsable as before
  ["12'34", ',', null, ['AMOUNT_UNPARSABLE']],
  ['abc M', ',', null, ['AMOUNT_UNPARSABLE']],
] as const)('amount %j (decimal separator %j): apostrophe groups and words of scale', (raw, decimalSeparator, amount, flags) => {
  const r = parseAmount(raw, { decimalSeparator });
  expect(r?.amount).toBe(amount);
  expect(r?.flags.filter((f) => f !== 'AMOUNT_AS_STRING')).toEqual(flags);
});

// words beside the amount that leave it as it is (DECP's montant: the fixed or estimated maximum, without VAT)
test.each([
  ['15 000 € hors taxes', 15000, ['AMOUNT_WORDS_IGNORED']],
  ['15 000 € hors taxe', 15000, ['AMOUNT_WORDS_IGNORED']],
  ['15 000 EUR H.T.V.A', 15000, ['AMOUNT_WORDS_IGNORED']],
  ['15 000 € (HT)', 15000, ['AMOUNT_WORDS_IGNORED']],
  ['15 000 € maximum', 15000, ['AMOUNT_WORDS_IGNORED']],
  ['Max 50 000 €', 50000, ['AMOUNT_WORDS_IGNORED']],
  // (three capitals, no currency code, but a word of DECP's montant: the maximum)
  ['MAX 5000', 5000, ['AMOUNT_WORDS_IGNORED']],
  ['50000 (montant maximum)', 50000, ['AMOUNT_WORDS_IGNORED']],
  ['Montant : 15 000 €', 15000, ['AMOUNT_WORDS_IGNORED']],
  ['Montant total estimé : 150 000 € HT', 150000, ['AMOUNT_WORDS_IGNORED']],
  ['environ 15 000 €', 15000, ['AMOUNT_WORDS_IGNORED']],
  ['Montant HT : 1,5 M€ maximum', 1500000, ['AMOUNT_WORDS_IGNORED', 'AMOUNT_SCALED']],
  ['15 000 € TTC maximum', 15000, ['AMOUNT_WORDS_IGNORED', 'AMOUNT_TTC']],
  // an amount by a period: the contract's total depends on its duration, not said
  ['15 000 € HT/an', null, ['AMOUNT_PER_PERIOD']],
  ['12 000 € par an', null, ['AMOUNT_PER_PERIOD']],
  ['5000 € annuel', null, ['AMOUNT_PER_PERIOD']],
  ['15 000 € HT/mois', null, ['AMOUNT_PER_PERIOD']],
  // (a tax word after a slash is no period: `/H.T.` is no hour)
  ['15 000 €/H.T.', null, ['AMOUNT_UNPARSABLE']],
  // two amounts, a range, a minimum, no amount: unparsable as before
  ['15 000 € HT (18 000 € TTC)', null, ['AMOUNT_TTC', 'AMOUNT_UNPARSABLE']],
  ['mini 10 000 € - maxi 50 000 €', null, ['AMOUNT_UNPARSABLE']],
  ['minimum 10 000 €', null, ['AMOUNT_UNPARSABLE']],
  ['Marché à bons de commande sans maximum', null, ['AMOUNT_UNPARSABLE']],
  ['prix : voir BPU', null, ['AMOUNT_UNPARSABLE']],
] as const)('amount %j: words that leave it as it is are read past, flagged; an amount by a period is none', (raw, amount, flags) => {
  const r = parseAmount(raw);
  expect(r?.amount).toBe(amount);
  expect(r?.flags.filter((f) => f !== 'AMOUNT_AS_STRING')).toEqual(flags);
});

test('a text of more than 200 characters is no amount or duration with a few words: not looked at', () => {
  expect(parseAmount(`15 000 € hors taxes${' '.repeat(200)}x`)?.flags).toEqual(['AMOUNT_AS_STRING', 'AMOUNT_UNPARSABLE']);
  expect(parseMonths(`20 mois ferme${' '.repeat(200)}x`)).toEqual({ months: null, flags: ['DURATION_UNPARSABLE'] });
});

test('a word of scale gives the exact amount for every thousandth of a million (no floating-point error)', () => {
  for (let i = 1; i < 10000; i += 1) {
    const text = `${Math.floor(i / 1000)},${String(i % 1000).padStart(3, '0')} M€`;
    expect(parseAmount(text)?.amount).toBe(i * 1000);
  }
});

// a share from 0 to 1 (tauxAvance, origineUE, origineFrance): `30` published an advance of 3000 %
test.each([
  [0.3, 0.3, []],
  [1, 1, []],
  [0, 0, []],
  ['0,3', 0.3, []],
  ['30 %', 0.3, ['NUMBER_PERCENT']],
  [30, 0.3, ['RATE_PERCENT_ASSUMED']],
  ['12,5', 0.125, ['RATE_PERCENT_ASSUMED']],
  [33.3, 0.333, ['RATE_PERCENT_ASSUMED']],
  [100, 1, ['RATE_PERCENT_ASSUMED']],
  [150, undefined, ['RATE_OUT_OF_RANGE']],
  ['150 %', undefined, ['NUMBER_PERCENT', 'RATE_OUT_OF_RANGE']],
  [-0.1, undefined, ['RATE_OUT_OF_RANGE']],
  ['trente', undefined, ['NUMBER_UNPARSABLE']],
])('rate %j: a share from 0 to 1; a percentage without its sign is read as one, flagged', (raw, rate, codes) => {
  const ctx = { flags: [] as MappingFlag[], pointer: '/tauxAvance', amounts: {} } as unknown as TransformContext;
  expect(TRANSFORMS.rate(raw, ctx)).toBe(rate);
  expect(ctx.flags).toEqual(codes.map((code) => ({ code, pointer: '/tauxAvance', raw })));
});

// a count written with the noun of what it counts (offresRecues: `3 offres`)
test.each([
  [3, 3, []],
  ['3', 3, []],
  ['3 offres', 3, ['NUMBER_WORDS_IGNORED']],
  ['3 offre(s)', 3, ['NUMBER_WORDS_IGNORED']],
  ['2 plis reçus', 2, ['NUMBER_WORDS_IGNORED']],
  ['4 candidatures', 4, ['NUMBER_WORDS_IGNORED']],
  ['trois', undefined, ['NUMBER_UNPARSABLE']],
  ['3 lots', undefined, ['NUMBER_UNPARSABLE']],
  ['3 offres dont 1 irrégulière', undefined, ['NUMBER_UNPARSABLE']],
])('integer %j: a count with the noun of what it counts is that count, flagged', (raw, count, codes) => {
  const ctx = { flags: [] as MappingFlag[], pointer: '/offresRecues', amounts: {} } as unknown as TransformContext;
  expect(TRANSFORMS.integer(raw, ctx)).toBe(count);
  expect(ctx.flags).toEqual(codes.map((code) => ({ code, pointer: '/offresRecues', raw })));
});

test('unparsable and absent amounts', () => {
  expect(parseAmount('n/a')).toEqual({ amount: null, flags: ['AMOUNT_AS_STRING', 'AMOUNT_UNPARSABLE'] });
  expect(parseAmount(null)).toBeNull();
  expect(parseAmount('')).toBeNull();
});

test.each([
  [36, 36, []],
  ['36', 36, ['DURATION_AS_STRING']],
  [0, null, ['DURATION_ZERO']],
  ['0', null, ['DURATION_AS_STRING', 'DURATION_ZERO']],
  [1188, 1188, []],
  [2000, null, ['DURATION_IMPLAUSIBLE']],
  [99999, null, ['DURATION_PLACEHOLDER']],
  ['999', null, ['DURATION_AS_STRING', 'DURATION_PLACEHOLDER']],
  [99, 99, []],
  // with its unit: months, or whole years of 12 months
  ['12 mois', 12, ['DURATION_AS_STRING']],
  ['48Mois', 48, ['DURATION_AS_STRING']],
  ['6 months', 6, ['DURATION_AS_STRING']],
  ['2 ans', 24, ['DURATION_AS_STRING']],
  ['1 an', 12, ['DURATION_AS_STRING']],
  ['4 années', 48, ['DURATION_AS_STRING']],
  ['0 mois', null, ['DURATION_AS_STRING', 'DURATION_ZERO']],
  // Spanish and Portuguese units (a partner's), with SECOP's `Mes(es)` (found by a partner's probe)
  ['6 meses', 6, ['DURATION_AS_STRING']],
  ['18 mes', 18, ['DURATION_AS_STRING']],
  ['1 mês', 1, ['DURATION_AS_STRING']],
  ['6 Mes(es)', 6, ['DURATION_AS_STRING']],
  ['2 años', 24, ['DURATION_AS_STRING']],
  ['1 Año(s)', 12, ['DURATION_AS_STRING']],
  ['3 anos', 36, ['DURATION_AS_STRING']],
  // years and months together, in words or in ISO 8601 (Java's Period, .NET): whole months only (found by a probe)
  ['1 an et 8 mois', 20, ['DURATION_AS_STRING']],
  ['2 ans 6 mois', 30, ['DURATION_AS_STRING']],
  ['1 year, 6 months', 18, ['DURATION_AS_STRING']],
  ['P20M', 20, ['DURATION_AS_STRING']],
  ['P1Y8M', 20, ['DURATION_AS_STRING']],
  ['p2y', 24, ['DURATION_AS_STRING']],
  ['P600D', null, ['DURATION_UNPARSABLE']],
  ['PT20M', null, ['DURATION_UNPARSABLE']],
  ['P1Y2D', null, ['DURATION_UNPARSABLE']],
  ['P', null, ['DURATION_UNPARSABLE']],
  // days are no whole months; a text not read is unparsable only (DURATION_AS_STRING says a text was read)
  ['12 jours', null, ['DURATION_UNPARSABLE']],
  ['365 días', null, ['DURATION_UNPARSABLE']],
  ['12 mois 15 jours', null, ['DURATION_UNPARSABLE']],
  ['mois', null, ['DURATION_UNPARSABLE']],
  // a part of a month: rounded up to the next whole month (the DECP guidance: a month begun counts)
  [1.5, 2, ['DURATION_ROUNDED']],
  [0.25, 1, ['DURATION_ROUNDED']],
  ['1,5', 2, ['DURATION_AS_STRING', 'DURATION_ROUNDED']],
  ['2.5 mois', 3, ['DURATION_AS_STRING', 'DURATION_ROUNDED']],
  ['1,5 an', 18, ['DURATION_AS_STRING']],
  [-1.5, null, ['DURATION_UNPARSABLE']],
  // words after the duration (a probe of buyer platforms' files): DECP's dureeMois is the whole
  // duration, renewals included. Words that leave the total as it is: read, flagged
  ['20 mois ferme', 20, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  ['12 Mois Ferme.', 12, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  ['48 mois maximum', 48, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  ['12 mois calendaires', 12, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  ['48 mois (reconductions comprises)', 48, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  ['24 mois, toutes reconductions comprises', 24, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  ['36 mois (durée totale)', 36, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  // a breakdown in brackets that adds up to the duration; one that does not is doubtful: unread
  ['36 mois (12+12+12)', 36, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  ['3 ans (1+1+1)', 36, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  ['2 ans (1 an + 1 an)', 24, ['DURATION_AS_STRING', 'DURATION_WORDS_IGNORED']],
  ['36 mois (12+12)', null, ['DURATION_AMBIGUOUS']],
  // a sum of periods
  ['12 mois + 3 x 12 mois', 48, ['DURATION_AS_STRING', 'DURATION_SUMMED']],
  ['12 + 12 + 12 mois', 36, ['DURATION_AS_STRING', 'DURATION_SUMMED']],
  ['1 an + 6 mois', 18, ['DURATION_AS_STRING', 'DURATION_SUMMED']],
  ['2019 + 1', null, ['DURATION_UNPARSABLE']],
  // renewals counted: each as long as the first period unless said (a reconduction renews the contract as it is)
  ['12 mois reconductible 3 fois', 48, ['DURATION_AS_STRING', 'DURATION_RENEWALS_ADDED']],
  ['1 an reconductible 3 fois', 48, ['DURATION_AS_STRING', 'DURATION_RENEWALS_ADDED']],
  ['1 an renouvelable deux fois', 36, ['DURATION_AS_STRING', 'DURATION_RENEWALS_ADDED']],
  ['12 mois tacitement reconductible 3 fois', 48, ['DURATION_AS_STRING', 'DURATION_RENEWALS_ADDED']],
  ['12 mois reconductible 2 fois par période d\'1 an', 36, ['DURATION_AS_STRING', 'DURATION_RENEWALS_ADDED']],
  ['24 mois reconductible 1 fois 12 mois', 36, ['DURATION_AS_STRING', 'DURATION_RENEWALS_ADDED']],
  // renewals or options whose total is not said: doubtful, unread
  ['36 mois renouvelable', null, ['DURATION_AMBIGUOUS']],
  ['12 mois + options', null, ['DURATION_AMBIGUOUS']],
  ['20 mois ferme + 2 x 12 mois', null, ['DURATION_AMBIGUOUS']],
  // other words, and days or weeks (no whole months: how many months they begin depends on the start day), as before
  ['12 mois environ', null, ['DURATION_UNPARSABLE']],
  ['3 semaines', null, ['DURATION_UNPARSABLE']],
  ['90 jours calendaires', null, ['DURATION_UNPARSABLE']],
])('parseMonths(%j)', (raw, months, flags) => expect(parseMonths(raw)).toEqual({ months, flags }));

test('shortHash is deterministic, short and spreads', () => {
  expect(shortHash('abc')).toBe(shortHash('abc'));
  expect(shortHash('abc')).not.toBe(shortHash('abd'));
  expect(shortHash('')).toMatch(/^[0-9a-z]{14}$/);
  const seen = new Set(Array.from({ length: 20000 }, (_, i) => shortHash(`lot-${i}`)));
  expect(seen.size).toBe(20000);
});

test('shortHash values never change (they are in published ids)', () => {
  expect(shortHash('abc')).toBe('07zjb2409yq6yl');
  expect(shortHash('')).toBe('1biic5n0r52cdj');
  expect(shortHashOfJson(['45000000', 'Réfection "façade"\n', ['1', '2'], '2024-01-02', 12.5])).toBe('0kdka750b37l5u');
});

test('shortHashOfJson(v) is shortHash(JSON.stringify(v)) for any strings, numbers and lists', () => {
  const leaf = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0001', 'é', '\ud83d', '\ude00', 'a', '\u2028') }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(-0));
  const value = fc.letrec<{ v: HashableJson }>((tie) => ({ v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 })) })).v;
  fc.assert(
    fc.property(value, (v) => shortHashOfJson(v) === shortHash(JSON.stringify(v))),
    { numRuns: 2000 },
  );
  // holes and undefined in a list are written as null
  const sparse = ['a', undefined, 'b'] as unknown as HashableJson;
  expect(shortHashOfJson(sparse)).toBe(shortHash(JSON.stringify(sparse)));
});

test('hash53 is a safe integer, deterministic, and spreads', () => {
  expect(Number.isSafeInteger(hash53('x'))).toBe(true);
  expect(hash53('abc')).toBe(hash53('abc'));
  expect(new Set(Array.from({ length: 50000 }, (_, i) => hash53(`ocds-78apv2-${i}-v0`))).size).toBe(50000);
});

test('a record that may give its own currency: a text naming a currency is handed over (AMOUNT_CURRENCY_NAMED), judged against the record\'s', () => {
  // (which one is another is known with the record's currency: build-releases resolves it)
  expect(parseAmount('ARS 5.000,00', { currency: 'ARS', recordCurrency: true })).toEqual({ amount: 5000, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_NAMED'] });
  expect(parseAmount('USD 5.000,00', { currency: 'ARS', recordCurrency: true })).toEqual({ amount: 5000, flags: ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_NAMED'] });
  expect(parseAmount('5.000,00 HT', { currency: 'ARS', recordCurrency: true })).toEqual({ amount: 5000, flags: ['AMOUNT_AS_STRING'] });
  expect(otherCurrencyInText('ARS 5.000,00', 'USD')).toBe(true);
  expect(otherCurrencyInText('USD 5.000,00', 'USD')).toBe(false);
  expect(otherCurrencyInText('5 000 €', 'USD')).toBe(true);
  expect(otherCurrencyInText('5 000 €', 'EUR')).toBe(false);
  expect(otherCurrencyInText('£12', 'GBP')).toBe(false);
  expect(otherCurrencyInText('$ 12', 'USD')).toBe(false);
  expect(otherCurrencyInText('$ 12', 'USD', 'ARS')).toBe(true);
  expect(otherCurrencyInText('U$S 12', 'USD')).toBe(false);
  expect(otherCurrencyInText('U$S 12', 'ARS')).toBe(true);
  // (surely another: not a sign that may be the record's own, `$` in pesos)
  expect(['3 000 USD', '$ 12', '¥ 12', '12 €'].map((t) => [t, surelyOtherCurrencyInText(t, 'ARS')])).toEqual([['3 000 USD', true], ['$ 12', false], ['¥ 12', true], ['12 €', true]]);
  expect(['$ 12', '¥ 12', '12 ARS'].map((t) => surelyOtherCurrencyInText(t, 'EUR'))).toEqual([true, true, true]);
  expect(surelyOtherCurrencyInText('¥ 12', 'JPY')).toBe(false);
});

// found by a docs audit: the CHANGELOG's known gaps called a JSON amount past a number's range
// `AMOUNT_UNPARSABLE` without its raw value: it is AMOUNT_IMPLAUSIBLE, its raw value the text when
// written as one, `1e999` (infinite, its digits not kept) when a JSON number, as docs/mapping.md says
test('an amount past a number\'s range: AMOUNT_IMPLAUSIBLE, no value, its raw value the text when written as one, 1e999 when a JSON number', async () => {
  const dir = tempDir('decp-ocds-1e400-');
  const file = join(dir, 'm.json');
  writeFileSync(file, JSON.stringify({ marches: [marche('2019A1', { montant: '1e400' }), marche('2019A2', { montant: 1 })] }).replace('"montant":1,', '"montant":1e400,'));
  const { releases, texts } = await convertAll([file]);
  for (const [id, raw] of [['2019A1', '"raw":"1e400"'], ['2019A2', '"raw":1e999']] as const) {
    const k = releases.findIndex((r) => ((r as unknown as J)['x_decp'] as J)['id'] === id);
    const r = releases[k] as unknown as J;
    expect(flagsOf(r).filter((f) => f.code.startsWith('AMOUNT_')).map((f) => [f.code, f.pointer])).toEqual([['AMOUNT_IMPLAUSIBLE', '/montant']]);
    expect(texts[k]).toContain(`"code":"AMOUNT_IMPLAUSIBLE","pointer":"/montant",${raw}`);
    expect((r['x_decp'] as J)['montant']).toBeUndefined();
    expect(((r['awards'] as J[])[0]!)['value']).toBeUndefined();
  }
});

// found by a partner's probe: every amount of a SECOP II export in Colombian pesos, `$650.000`, was
// flagged AMOUNT_CURRENCY_IN_TEXT — `$` is the peso's own sign there, as in Mexico, Argentina, Chile
test('a sign that names several currencies (`$`, `¥`, `C$`) beside an amount of one of them is its own, no finding; beside another\'s, said', () => {
  for (const currency of ['COP', 'MXN', 'ARS', 'CLP', 'USD']) {
    expect([currency, parseAmount('$650.000', { currency, decimalSeparator: '.' })]).toEqual([currency, { amount: 650000, flags: ['AMOUNT_AS_STRING', 'AMOUNT_SEPARATOR_AMBIGUOUS'] }]);
    expect([currency, parseAmount('$ 1.500,00', { currency })]).toEqual([currency, { amount: 1500, flags: ['AMOUNT_AS_STRING'] }]);
  }
  expect(parseAmount('¥ 1500', { currency: 'JPY' })).toEqual({ amount: 1500, flags: ['AMOUNT_AS_STRING'] });
  // beside an amount of a currency not so written: another, surely (a `$` in euros, hryvnias, reais)
  for (const currency of ['EUR', 'UAH', 'BRL', 'PYG']) {
    expect([currency, parseAmount('$ 1.500,00', { currency })?.flags]).toEqual([currency, ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT']]);
    expect(surelyOtherCurrencyInText('$ 1.500,00', currency)).toBe(true);
  }
  // a record in dollars of a peso source (a per-record currency): `$` may be the source's peso, said
  // (not surely another); in a dollar record of a euro source, the dollar's
  expect(otherCurrencyInText('$ 1.500,00', 'USD', 'COP')).toBe(true);
  expect(surelyOtherCurrencyInText('$ 1.500,00', 'USD')).toBe(false);
  expect(otherCurrencyInText('$ 1.500,00', 'USD', 'EUR')).toBe(false);
  expect(otherCurrencyInText('$ 1.500,00', 'COP', 'COP')).toBe(false);
  expect(parseAmount('$ 1.500,00', { currency: 'COP', recordCurrency: true })?.flags).toEqual(['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_NAMED']);
});

// found by a review: `A$ 12.50` in a record in AUD was another currency, surely; in euros nothing told it from the US dollar
test('the other dollars\' own signs (A$, AU$, CA$, NZ$, HK$, S$…) name their currency: the record\'s own, or another surely; `C$` names two', () => {
  expect(parseAmount('A$ 12.50', { currency: 'AUD', decimalSeparator: '.' })).toEqual({ amount: 12.5, flags: ['AMOUNT_AS_STRING'] });
  expect(parseAmount('AU$12.50', { currency: 'AUD', decimalSeparator: '.' })).toEqual({ amount: 12.5, flags: ['AMOUNT_AS_STRING'] });
  expect(parseAmount('CA$ 1,250.00', { currency: 'CAD', decimalSeparator: '.' })).toEqual({ amount: 1250, flags: ['AMOUNT_AS_STRING'] });
  for (const raw of ['A$ 12.50', 'CA$ 12.50', 'NZ$ 12.50', 'HK$ 12.50', 'S$ 12.50']) {
    expect([raw, parseAmount(raw, { currency: 'USD', decimalSeparator: '.' })?.flags]).toEqual([raw, ['AMOUNT_AS_STRING', 'AMOUNT_CURRENCY_IN_TEXT']]);
    expect([raw, surelyOtherCurrencyInText(raw, 'USD'), surelyOtherCurrencyInText(raw, 'EUR')]).toEqual([raw, true, true]);
  }
  expect([currencyOfSymbol('A$'), currencyOfSymbol('ca$'), currencyOfSymbol('C$')]).toEqual(['AUD', 'CAD', undefined]);
  expect(parseAmount('C$ 12.50', { currency: 'CAD', decimalSeparator: '.' })?.flags).toEqual(['AMOUNT_AS_STRING']);
  expect(parseAmount('C$ 12.50', { currency: 'NIO', decimalSeparator: '.' })?.flags).toEqual(['AMOUNT_AS_STRING']);
  expect(surelyOtherCurrencyInText('C$ 12.50', 'EUR')).toBe(true);
});

test('the currency a figure surely written in another currency names: one, or null when not told which', () => {
  expect(['3,00 USD', 'USD 3,00', '3,00 £', 'A$ 3.00', '3 000 €', '3,00 грн'].map((t) => currencyNamedIn(t, 'EUR'))).toEqual(['USD', 'USD', 'GBP', 'AUD', undefined, 'UAH']);
  expect(['$ 3,00', '¥ 3', 'USD 3,00 GBP'].map((t) => currencyNamedIn(t, 'EUR'))).toEqual([null, null, null]);
  expect(['$ 3,00', '3,00 COP', '3,00'].map((t) => currencyNamedIn(t, 'COP'))).toEqual([undefined, undefined, undefined]);
});

// found by a review: a quantity's cell written with its unit, `10 unidades`, `5 cajas`, was unparsable:
// the line had no quantity, its price compared with none
test.each([
  ['10 unidades', 10, ['QUANTITY_UNIT_IN_TEXT']],
  ['5 Cajas', 5, ['QUANTITY_UNIT_IN_TEXT']],
  ['20 litros', 20, ['QUANTITY_UNIT_IN_TEXT']],
  ['2,5 kg', 2.5, ['QUANTITY_UNIT_IN_TEXT']],
  ['12 Und.', 12, ['QUANTITY_UNIT_IN_TEXT']],
  ['3 Pieza(s)', 3, ['QUANTITY_UNIT_IN_TEXT']],
  ['1.500 unidades', 1500, ['NUMBER_SEPARATOR_AMBIGUOUS', 'QUANTITY_UNIT_IN_TEXT']],
  ['100', 100, []],
  // a product's specification is no unit it is bought in: a 16 GB stick is one stick
  ['16 GB', undefined, ['NUMBER_UNPARSABLE']],
  ['60 W', undefined, ['NUMBER_UNPARSABLE']],
  ['3 lots de 5', undefined, ['NUMBER_UNPARSABLE']],
])('quantity %j: a number and the unit it is counted in is that number, flagged; a specification is none', (raw, quantity, codes) => {
  const ctx = { flags: [] as MappingFlag[], pointer: '/cantidad', amounts: { decimalSeparator: ',' } } as unknown as TransformContext;
  expect(TRANSFORMS.quantity(raw, ctx)).toBe(quantity);
  expect(ctx.flags.map((f) => f.code)).toEqual(codes);
});

// found by a review: the number's characters and the spaces before the unit could each take a cell's
// spaces (backtracking over every split): a quantity of a digit, 32,000 spaces and no unit took 1 s, one
// of a megabyte (a record may hold 16 MiB) about twenty minutes
test('a quantity\'s text of a number and many spaces, without a unit after them, is none (a pattern that backtracks over no split of them)', () => {
  for (const text of [`1${' '.repeat(2_000)}2 x!`, `1${'\u00a0'.repeat(2_000)}!`, `1 ${' 1'.repeat(1_000)} cajas!`]) expect(quantityWithUnit(text)).toBeNull();
  expect(quantityWithUnit(`1 000${' '.repeat(50)}unidades`)).toEqual({ number: '1 000', unit: 'unidades' });
  expect(quantityWithUnit('2,5 kg')).toEqual({ number: '2,5', unit: 'kg' });
  expect(quantityWithUnit('12 Und.')).toEqual({ number: '12', unit: 'Und' });
});


test('unitKey, codeUnitKey: one unit however written (plural, accents, point, language, a pack by its word, a code) is one; two units are two', () => {
  expect(['unidades', 'Pieza(s)', 'UND.', 'pcs', 'each', 'Unité'].map(unitKey)).toEqual(Array(6).fill('piece'));
  expect(['Caja x 12', 'boîte de 50', 'BOXES', 'cajas'].map(unitKey)).toEqual(Array(4).fill('box'));
  expect(['par', 'Pares', 'paires', 'pairs'].map(unitKey)).toEqual(Array(4).fill('pair'));
  expect(['Metros cuadrados', 'm²', 'M2'].map(unitKey)).toEqual(['m2', 'm2', 'm2']);
  expect([unitKey('kilos'), unitKey('g'), unitKey('Galón'), unitKey('lata')]).toEqual(['kg', 'g', 'gal', 'lata']);
  expect(['KGM', ' h87 ', 'BX', 'ZZZ'].map(codeUnitKey)).toEqual(['kg', 'piece', 'box', undefined]);
});
