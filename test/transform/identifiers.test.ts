import fc from 'fast-check';
import { categoryFromCpv, cleanIdentifier, isCpvDivision, isPlaceholderIdentifier, luhnValid, normalizeCpv, siretValid } from '../../src/transform/identifiers.js';
import { createLocale, FRENCH_LOCALE } from '../../src/transform/locale.js';

describe('SIRET', () => {
  test.each([
    ['42058740400039', true],
    ['21350238800019', true],
    ['21350238800018', false],
    ['35600000000001', true], // La Poste: digits sum to a multiple of 5
    ['35600000000002', false],
    ['35600000000048', true], // … but its head office, which passes the Luhn check (digits sum to 26)
    ['35600000000049', false],
    ['4418914050001', false],
  ])('%s valid: %s', (s, ok) => expect(siretValid(s)).toBe(ok));

  test('Luhn', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  test.each([
    ['802 684 969 000 16', '80268496900016', ['SIRET_SPACES']],
    [' 44189140500017 ', '44189140500017', []],
    ['44189140500018', '44189140500018', ['SIRET_LUHN']],
    ['4418914050001', '4418914050001', ['SIRET_LENGTH']],
    [21350238800019, '21350238800019', []],
    ['2135023880001A', '2135023880001A', ['SIRET_NOT_DIGITS']],
    // a spreadsheet's numbers: the same SIRET, never a longer one (the dot removed gave 211300876000110)
    ['21130087600011.0', '21130087600011', ['SIRET_SPACES']],
    ['2.1130087600011E13', '21130087600011', ['SIRET_SPACES']],
    ['2,1130087600011E+13', '21130087600011', ['SIRET_SPACES']],
    // (six digits shown: any of 21350400000000 … 21350449999999, no identifier)
    ['2,13504E+13', '2,13504E+13', ['SIRET_NOT_DIGITS']],
    // (not a whole number: cleaned as before, and flagged)
    ['2.1130087600011E12', '21130087600011E12', ['SIRET_SPACES', 'SIRET_NOT_DIGITS']],
    // digits in dashed groups are the number (found by a partner-profile probe: `20-12345678-6` and
    // `20123456786`, one CUIT, were two parties); a code of letters keeps its dashes
    ['441-891-405-00017', '44189140500017', ['SIRET_SPACES']],
    ['441 891 405 – 00017', '44189140500017', ['SIRET_SPACES']],
    ['CHE-123-456-789', 'CHE-123-456-789', ['SIRET_NOT_DIGITS']],
    // a spreadsheet's text marker, and a SIRET given the country's code, are not the identifier's (found
    // by an ingest probe: the apostrophe went into the ocid, one buyer two processes' prefixes)
    ["'21590163800019", '21590163800019', ['SIRET_SPACES']],
    ['’ 21590163800019', '21590163800019', ['SIRET_SPACES']],
    ['FR80268496900016', '80268496900016', ['SIRET_SPACES']],
    // (FR and 14 digits whose key is no SIRET's: kept, said)
    ['FR80268496900017', 'FR80268496900017', ['SIRET_NOT_DIGITS']],
    // (a quote before letters is text)
    ["'NC", "'NC", ['SIRET_NOT_DIGITS']],
  ])('cleanIdentifier(%j)', (raw, id, flags) => {
    expect(cleanIdentifier(raw, true)).toMatchObject({ id, flags });
  });

  test('a CUIT written with its dashes is the CUIT without them (not checked as a SIRET)', () => {
    expect(cleanIdentifier('20-12345678-6', false)).toMatchObject({ id: '20123456786', raw: '20-12345678-6', flags: ['SIRET_SPACES'] });
    expect(cleanIdentifier('-12', false)).toMatchObject({ id: '-12' });
  });

  test('an empty identifier is absent', () => {
    expect(cleanIdentifier('  ', true)).toBeNull();
    expect(cleanIdentifier(null, true)).toBeNull();
  });
});

test.each([
  ['SIRET', 'FR-RCS'],
  ['', 'FR-RCS'],
  [undefined, 'FR-RCS'],
  ['TVA', 'FR-DECP-TVA'],
  ['HORS-UE', 'FR-DECP-HORS-UE'],
  ['Tahiti', 'FR-DECP-TAHITI'],
])('scheme of %j is %s', (t, scheme) => expect(FRENCH_LOCALE.scheme(t)).toBe(scheme));

test('a partner locale: its schemes, currency, zone, no SIRET checks', () => {
  const L = createLocale({ currency: 'COP', language: 'es', utcOffset: '-05:00', schemes: { NIT: 'CO-RUE' }, defaultIdType: 'NIT', checkSiret: false });
  expect([L.scheme('NIT'), L.scheme(undefined), L.scheme('Cédula de Ciudadanía'), L.isSiret('SIRET')]).toEqual(['CO-RUE', 'CO-RUE', 'FR-DECP-CEDULA-DE-CIUDADANIA', false]);
  expect(L.dateTime({ day: '2024-05-15', zone: null, flags: [] })).toBe('2024-05-15T00:00:00-05:00');
  expect(FRENCH_LOCALE.dateTime({ day: '2024-05-15', zone: null, flags: [] })).toBe('2024-05-15T00:00:00+02:00');
});

test('a locale reads an identifier type as before once it has many (its keys are remembered, and forgotten past a bound)', () => {
  const labels = ['SIRET', 'siret', 'S.I.R.E.T.', ' SIRET ', 'TVA', 'N° SIRET', 'Hors UE', '', undefined];
  const answers = (L: ReturnType<typeof createLocale>): unknown[] => labels.map((t) => [L.isSiret(t), L.scheme(t), L.idType(t)]);
  const L = createLocale({ idTypes: { SIRET: ['^n siret$'] } });
  const first = answers(L);
  expect(first.slice(0, 2)).toEqual([[true, 'FR-RCS', { type: 'SIRET' }], [true, 'FR-RCS', { type: 'siret' }]]);
  // (thousands of other labels between: what is remembered is dropped, and read again alike)
  for (let k = 0; k < 2500; k++) L.isSiret(`Type ${k}`);
  expect(answers(L)).toEqual(first);
  expect(answers(createLocale({ idTypes: { SIRET: ['^n siret$'] } }))).toEqual(first);
});

describe('CPV', () => {
  test.each([
    ['45320000-6', '45320000'],
    ['4543100-7', '45431000'],
    // 7 digits given as text: a zero lost where the code is of division 03 or 09 (seeds, not electric motors)
    ['3111000', '03111000'],
    ['3451000', '03451000'],
    ['9134100', '09134100'],
    ['4521000', '45210000'],
    ['3951000', '39510000'],
    // … but with its check digit, a code cut at its end (the samples' 4543100-7 is 45431000-7)
    ['3413000-7', '34130000'],
    ['031210005', '03121000'],
    ['77313000', '77313000'],
    ['CPV 45000000', '45000000'],
    ['cpv: 45000000-7', '45000000'],
    ['45.00.00.00-7', '45000000'],
    [9134100, '09134100'],
    [3000000, '03000000'],
    [45000000, '45000000'],
    // several codes in one field: the first (the value is flagged as malformed by the cpv transform)
    ['45000000;45100000', '45000000'],
    ['45000000-7, 45100000-8', '45000000'],
    ['45000000 | 71000000', '45000000'],
    // the code after its label or a prefix (found by a probe: CPV_INVALID, the classification lost)
    ['Travaux de construction - 45000000-7', '45000000'],
    ['Code CPV 45000000', '45000000'],
    ['n° CPV 45000000-7', '45000000'],
    ['[45000000-7] Travaux', '45000000'],
    ['Travaux (45.00.00.00-7)', '45000000'],
  ] as Array<[string | number, string]>)('%s → %s', (raw, code) => expect(normalizeCpv(raw)?.code).toBe(code));

  test.each([[''], [null], ['abc'], ['Lot 12345678901'], ['Marché 2024.12.06']])('%j → none', (raw) => expect(normalizeCpv(raw)).toBeNull());

  test.each([
    ['45000000', 'works'],
    ['30192000', 'goods'],
    ['48000000', 'goods'],
    ['71000000', 'services'],
    ['03121000', 'goods'],
  ])('category of %s is %s', (cpv, cat) => expect(categoryFromCpv(cpv)).toBe(cat));
});

test('an identifier of digits only (the fast path) reads as the general path reads it', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{0,18}$/), fc.boolean(), (digits, isSiret) => {
      const fast = cleanIdentifier(digits, isSiret);
      // a trailing dot sends the same digits through the general path (it only adds SIRET_SPACES)
      const slow = cleanIdentifier(`${digits}.`, isSiret);
      if (digits === '') return expect(fast).toBeNull();
      expect(fast).toEqual({ id: slow!.id, raw: null, flags: slow!.flags.filter((f) => f !== 'SIRET_SPACES') });
    }),
    { numRuns: 3000 },
  );
  expect(cleanIdentifier('35600000000047', true)!.flags).toEqual([]); // La Poste's rule (digits sum to a multiple of 5)
});

test.each([
  ['00000000000000', true],
  ['99999999999', true],
  ['000000000', true],
  // zeros of any length: a platform's "none" written as a number
  ['0', true],
  ['0000000', true],
  ['10', false],
  ['11111111', false],
  ['12345678200010', false],
  ['NC', true],
  ['N/A', true],
  ['n.c.', true],
  ['-', true],
  ['Non communiqué', true],
  ['Noncommuniqué', true],
  ['-'.repeat(40), true],
  ['NCE', false],
  ['OTIS', false],
  ['FR12345678901', false],
  ['a'.repeat(40), false],
])('isPlaceholderIdentifier(%j) is %s', (id, placeholder) => expect(isPlaceholderIdentifier(id)).toBe(placeholder));

/** isPlaceholderIdentifier as it read every value, before its shortcuts (a text with a digit; digits read in place). */
function placeholderReference(id: string): boolean {
  const words = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const WORDS = new Set(['mq', 'manquant', 'manquante', 'cdl', 'nc', 'na', 'nd', 'nr', 'ns', 'sans', 'inconnu', 'inconnue', 'neant', 'aucun', 'aucune', 'vide', 'noncommunique', 'noncommuniquee', 'nonrenseigne', 'nonrenseignee', 'nonconnu', 'nondisponible', 'nonapplicable', 'acompleter', 'x', 'xx', 'xxx', 'null', 'nil', 'none', 'undefined', 'unknown', 'nodefinido', 'sindefinir', 'noaplica', 'sininformacion']);
  if (/^\d+$/.test(id)) return (id.length >= 9 || id[0] === '0') && id === id[0]!.repeat(id.length);
  if (/^\s*(\d)\1{8,}\s*$/.test(id)) return true;
  if (id.length > 32) return !/[\p{L}\p{N}]/u.test(id);
  const w = words(id);
  return w === '' || WORDS.has(w);
}

test('isPlaceholderIdentifier with its shortcuts reads as the whole reading does: digits alone, a text with a digit, words', () => {
  // (pieces that make placeholders and near ones: digits, repeated digits, words, accents, spaces, punctuation)
  const piece = fc.constantFrom('0', '9', '1', '00000', '999999999', ' ', '\u00a0', '-', '/', '.', 'N', 'c', 'A', 'é', 'ñ', 'MQ', 'Néant', 'non communiqué', 'x', 'null', 'Inconnue', 'N.D.', '٣', '０', 'Ⅻ', '²');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
      const id = pieces.join('');
      expect(isPlaceholderIdentifier(id)).toBe(placeholderReference(id));
    }),
    { numRuns: 5000 },
  );
  for (const id of ['2020-660-00', 'NC 0', 'N/A1', '0000000000-', ' 999999999 ', '1'.repeat(40), `${'-'.repeat(40)}1`]) expect(isPlaceholderIdentifier(id)).toBe(placeholderReference(id));
});

test.each([
  ['45000000', true],
  ['03451000', true],
  ['98000000', true],
  ['00000000', false],
  ['20190128', false],
  ['99999999', false],
  ['40000000', false],
])('isCpvDivision(%j) is %s', (code, known) => expect(isCpvDivision(code)).toBe(known));
