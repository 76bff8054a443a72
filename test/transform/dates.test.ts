import fc from 'fast-check';
import { addMonths, daysBetween, parisOffset, parseDecpDate } from '../../src/transform/dates.js';
import { FRENCH_LOCALE } from '../../src/transform/locale.js';

describe('parseDecpDate', () => {
  test.each([
    ['2019-02-11', '2019-02-11', null, []],
    ['2018-12-31+01:00', '2018-12-31', '+01:00', ['DATE_WITH_ZONE']],
    ['2019-03-07+0300', '2019-03-07', '+03:00', ['DATE_WITH_ZONE']],
    ['2019-1-1', '2019-01-01', null, ['DATE_UNPADDED']],
    ['2024-05-15T10:00:00', '2024-05-15', null, ['DATE_WITH_TIME']],
    // an instant in UTC: the day it is in Paris (a Paris midnight serialised by a program reads 23:00Z or 22:00Z the day before)
    ['2024-05-15T10:00:00Z', '2024-05-15', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['2024-03-11T23:00:00.000Z', '2024-03-12', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['2024-07-07T22:00:00.000Z', '2024-07-08', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['2024-12-31T23:30:00+00:00', '2025-01-01', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    // the days the clocks change: the instant's own offset (summer time from 01:00 UTC on the last Sunday of March to the last of October)
    ['2024-03-31T22:00:00.000Z', '2024-04-01', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['2024-03-30T23:00:00.000Z', '2024-03-31', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['2024-10-27T22:30:00Z', '2024-10-27', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['2024-10-26T22:00:00Z', '2024-10-27', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    // another zone with a time: that zone's day, the zone kept
    ['2024-03-11T23:00:00-04:00', '2024-03-11', '-04:00', ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    // a zone of hours only (PostgreSQL's)
    ['2024-03-12 00:00:00+01', '2024-03-12', '+01:00', ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['2024-03-20+01', '2024-03-20', '+01:00', ['DATE_WITH_ZONE']],
    // the 2019 schema's pattern allows a Z after the offset
    ['2019-03-01+01:00Z', '2019-03-01', '+01:00', ['DATE_WITH_ZONE']],
    ['20/03/2024 10:00-03', '2024-03-20', '-03:00', ['DATE_UNPADDED', 'DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['15/05/2024', '2024-05-15', null, ['DATE_UNPADDED']],
    // spreadsheet exports: the day, its time dropped and flagged
    ['29/01/2019 10:00', '2019-01-29', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['29/01/2019 00:00:00', '2019-01-29', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['29/01/2019 9h30', '2019-01-29', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    // a French date with its zone: the zone kept, as for ISO forms
    ['29/01/2019 10:00+01:00', '2019-01-29', '+01:00', ['DATE_UNPADDED', 'DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['29/01/2019 10:00:00 +0200', '2019-01-29', '+02:00', ['DATE_UNPADDED', 'DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['29/01/2019Z', '2019-01-29', 'Z', ['DATE_UNPADDED', 'DATE_WITH_ZONE']],
    [' 2020-02-29 ', '2020-02-29', null, []],
    // the other separators exports write, day first or year first (one separator throughout), and eight digits
    ['29-01-2019', '2019-01-29', null, ['DATE_UNPADDED']],
    ['29.01.2019', '2019-01-29', null, ['DATE_UNPADDED']],
    ['2019/01/29', '2019-01-29', null, ['DATE_UNPADDED']],
    ['2019.1.29', '2019-01-29', null, ['DATE_UNPADDED']],
    ['20190129', '2019-01-29', null, ['DATE_UNPADDED']],
    ['29-01-2019 10:00', '2019-01-29', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['2024-01-01+14:00', '2024-01-01', '+14:00', ['DATE_WITH_ZONE']],
    // the day's end (ISO 8601's 24:00) in UTC: the next day's first hour in Paris
    ['2024-01-01T24:00:00Z', '2024-01-02', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['2024-01-01T23:59:60Z', '2024-01-02', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    // the month by its name, French or English, day first or (English) month first
    ['15-Apr-2023', '2023-04-15', null, ['DATE_UNPADDED']],
    ['15th April 2023', '2023-04-15', null, ['DATE_UNPADDED']],
    ['15/avr./2023', '2023-04-15', null, ['DATE_UNPADDED']],
    ['April 15, 2023', '2023-04-15', null, ['DATE_UNPADDED']],
    ['Apr 15 2023', '2023-04-15', null, ['DATE_UNPADDED']],
    ['March 31st, 2024', '2024-03-31', null, ['DATE_UNPADDED']],
    ['Monday, April 15, 2024', '2024-04-15', null, ['DATE_UNPADDED']],
    ['Sun Apr 14 2024', '2024-04-14', null, ['DATE_UNPADDED']],
    // what a program prints for a date object: its time and zone read as an ISO form's
    ['Mon May 15 2023 00:00:00 GMT+0200 (heure d’été d’Europe centrale)', '2023-05-15', '+02:00', ['DATE_UNPADDED', 'DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    ['Mon May 15 2023 22:30:00 GMT+0000 (Coordinated Universal Time)', '2023-05-16', null, ['DATE_UNPADDED', 'DATE_WITH_TIME', 'DATE_WITH_ZONE']],
    // a spreadsheet's short date: a two-digit year last (it was read year first: the year 15, refused)
    ['15/03/19', '2019-03-15', null, ['DATE_TWO_DIGIT_YEAR', 'DATE_UNPADDED']],
    ['1.3.24', '2024-03-01', null, ['DATE_TWO_DIGIT_YEAR', 'DATE_UNPADDED']],
    ['15.03.19 10:30', '2019-03-15', null, ['DATE_TWO_DIGIT_YEAR', 'DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['31/12/49', '2049-12-31', null, ['DATE_TWO_DIGIT_YEAR', 'DATE_UNPADDED']],
    ['31/12/90', '1990-12-31', null, ['DATE_TWO_DIGIT_YEAR', 'DATE_UNPADDED']],
  ])('%j → %s', (raw, day, zone, flags) => {
    expect(parseDecpDate(raw)).toEqual({ ok: true, value: { day, zone, flags } });
  });

  test.each([
    ['0218-10-29', 'DATE_IMPOSSIBLE_YEAR'],
    // a year of one digit, or three, stays a year first; a two-digit year's day must exist
    ['15/3/9', 'DATE_IMPOSSIBLE_YEAR'],
    // by dashes, a short year may come first (`24-03-15`): not read as day first; 50–89 is no year a source means
    ['24-03-15', 'DATE_IMPOSSIBLE_YEAR'],
    ['31/12/89', 'DATE_IMPOSSIBLE_YEAR'],
    ['1/1/50', 'DATE_IMPOSSIBLE_YEAR'],
    ['15/03/019', 'DATE_UNPARSABLE'],
    ['30/02/24', 'DATE_UNPARSABLE'],
    ['2024-13-45', 'DATE_UNPARSABLE'],
    ['2019-02-29', 'DATE_UNPARSABLE'],
    ['hier', 'DATE_UNPARSABLE'],
    // digits that are neither a day number, nor yyyymmdd, nor a Unix time
    [123456, 'DATE_UNPARSABLE'],
    ['2019', 'DATE_UNPARSABLE'],
    [20190101.5, 'DATE_UNPARSABLE'],
    [-45000, 'DATE_UNPARSABLE'],
    [Number.NaN, 'DATE_UNPARSABLE'],
    [Number.POSITIVE_INFINITY, 'DATE_UNPARSABLE'],
    // numbers JavaScript writes with an exponent (1e21 is `1e+21`: five characters, no day number)
    [1e21, 'DATE_UNPARSABLE'],
    [1.5e300, 'DATE_UNPARSABLE'],
    ['100000000000000', 'DATE_UNPARSABLE'],
    // a day number or a Unix time out of the plausible years
    [10000, 'DATE_IMPOSSIBLE_YEAR'],
    [99999, 'DATE_IMPOSSIBLE_YEAR'],
    [400000000, 'DATE_IMPOSSIBLE_YEAR'],
    [5000000000000, 'DATE_IMPOSSIBLE_YEAR'],
    // a word before a date that is no weekday, a month name that is none, a day that does not exist
    ['Lot 15 avril 2019', 'DATE_UNPARSABLE'],
    ['15 lot 2019', 'DATE_UNPARSABLE'],
    ['Avril 2019', 'DATE_UNPARSABLE'],
    ['Feb 30 2024', 'DATE_UNPARSABLE'],
    ['Mon May 15 2023 25:00:00 GMT+0200', 'DATE_UNPARSABLE'],
    ['Mon May 15 2023 10:00:00 GMT+9900', 'DATE_UNPARSABLE'],
    ['2024-01-01+99:99', 'DATE_UNPARSABLE'],
    ['2024-01-01T10:00:00-15:00', 'DATE_UNPARSABLE'],
    ['2024-01-01+01:60', 'DATE_UNPARSABLE'],
    ['29/01/2019 soir', 'DATE_UNPARSABLE'],
    ['29/01/2019 10:00+25:00', 'DATE_UNPARSABLE'],
    ['29/01-2019', 'DATE_UNPARSABLE'],
    ['2019/01-29', 'DATE_UNPARSABLE'],
    ['29012019', 'DATE_UNPARSABLE'],
    ['20191329', 'DATE_UNPARSABLE'],
    // a time no clock shows: with a zone, it moved the day (25:00 UTC read as the next day in Paris)
    ['2019-03-01T25:00:00Z', 'DATE_UNPARSABLE'],
    ['2019-03-01T23:99:00Z', 'DATE_UNPARSABLE'],
    ['2019-03-01T10:00:75', 'DATE_UNPARSABLE'],
    ['2019-03-01T24:30:00+01:00', 'DATE_UNPARSABLE'],
    ['01/03/2019 25h00', 'DATE_UNPARSABLE'],
  ])('%j is refused: %s', (raw, flag) => {
    expect(parseDecpDate(raw)).toEqual({ ok: false, flag });
  });

  test.each([[null], [undefined], ['   ']])('%j is absent', (raw) => expect(parseDecpDate(raw)).toBeNull());

  describe('dates given as numbers', () => {
    test.each([
      // a spreadsheet's day number (1900 system: day 1 is 1900-01-01, counted from 1899-12-30), as a number or its digits
      [45000, '2023-03-15', ['DATE_SERIAL']],
      ['45000', '2023-03-15', ['DATE_SERIAL']],
      [' 43570 ', '2019-04-15', ['DATE_SERIAL']],
      [32874, '1990-01-01', ['DATE_SERIAL']],
      // its fraction is a time of day, dropped
      [45000.75, '2023-03-15', ['DATE_SERIAL', 'DATE_WITH_TIME']],
      ['45000.5', '2023-03-15', ['DATE_SERIAL', 'DATE_WITH_TIME']],
      // (a French spreadsheet's decimal comma: found by a CSV probe, it was unparsable)
      ['43910,5', '2020-03-20', ['DATE_SERIAL', 'DATE_WITH_TIME']],
      // a Unix time in milliseconds (what Java and JavaScript serialisers write) or seconds: the day it is in Paris
      [1684101600000, '2023-05-15', ['DATE_EPOCH']],
      ['1684101600000', '2023-05-15', ['DATE_EPOCH']],
      [1684101600, '2023-05-15', ['DATE_EPOCH']],
      [1704063600000, '2024-01-01', ['DATE_EPOCH']],
      [1711922400, '2024-04-01', ['DATE_EPOCH']],
      // eight digits are yyyymmdd, as a number as in a text
      [20190101, '2019-01-01', ['DATE_UNPADDED']],
    ])('%j → %s', (raw, day, flags) => {
      expect(parseDecpDate(raw)).toEqual({ ok: true, value: { day, zone: null, flags } });
    });

    test.each([
      // days a spreadsheet shows for these numbers (the last day of the plausible years: 73415)
      [36526, '2000-01-01'],
      [45292, '2024-01-01'],
      [45351, '2024-02-29'],
      [73415, '2100-12-31'],
    ])('day number %j is %s, as a spreadsheet shows it', (n, day) => {
      expect(parseDecpDate(n)).toEqual({ ok: true, value: { day, zone: null, flags: ['DATE_SERIAL'] } });
    });
  });
});

describe('a date with its year last, in the order the profile says (settings.dateOrder), and a 12-hour clock', () => {
  test.each([
    // day first, the default (DECP relies on it): 08/11/2026 is 8 November
    ['08/11/2026', undefined, '2026-11-08', null, ['DATE_UNPADDED']],
    ['08/11/2026', 'day-first', '2026-11-08', null, ['DATE_UNPADDED']],
    // month first (datos.gov.co's Export button, Socrata): 08/11/2026 is 11 August, alone or with a 12-hour clock
    ['08/11/2026', 'month-first', '2026-08-11', null, ['DATE_UNPADDED']],
    ['08/11/2026 12:00:00 AM', 'month-first', '2026-08-11', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['10/03/2025 03:15:00 PM', 'month-first', '2025-10-03', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['12/31/2025 11:59 pm', 'month-first', '2025-12-31', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['8-11-2026 9:05 a.m.', 'month-first', '2026-08-11', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['03/15/19', 'month-first', '2019-03-15', null, ['DATE_TWO_DIGIT_YEAR', 'DATE_UNPADDED']],
    // its mark as Spanish locales write it, a space (a no-break one, Windows') after the first dot
    // (found by a partners' shapes probe: a SECOP II extract resaved so had every date refused)
    ['08/11/2026 12:00:00 a. m.', 'month-first', '2026-08-11', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['11/08/2026 03:15:00 p.\u00a0m.', 'day-first', '2026-08-11', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['2026-08-11 12:00:00 a. m.', 'month-first', '2026-08-11', null, ['DATE_WITH_TIME']],
    ['August 11, 2026 3:15 p. m.', undefined, '2026-08-11', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    // a 12-hour clock after a date in any order
    ['29/01/2019 03:15 PM', undefined, '2019-01-29', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    ['2024-05-15 10:00:00 AM', 'month-first', '2024-05-15', null, ['DATE_WITH_TIME']],
    ['April 15, 2023 3:15 PM', undefined, '2023-04-15', null, ['DATE_UNPADDED', 'DATE_WITH_TIME']],
    // year first (ISO, the API's), or the month by name: the same day whatever the order
    ['2026-08-11T00:00:00.000', 'month-first', '2026-08-11', null, ['DATE_WITH_TIME']],
    ['2026-08-11', 'month-first', '2026-08-11', null, []],
    ['2019/01/29', 'month-first', '2019-01-29', null, ['DATE_UNPADDED']],
    ['15-Apr-2023', 'month-first', '2023-04-15', null, ['DATE_UNPADDED']],
    // its zone kept, as with a 24-hour clock
    ['08/11/2026 03:00 PM -05:00', 'month-first', '2026-08-11', '-05:00', ['DATE_UNPADDED', 'DATE_WITH_TIME', 'DATE_WITH_ZONE']],
  ] as const)('%j (%s) → %s', (raw, order, day, zone, flags) => {
    expect(parseDecpDate(raw, undefined, order)).toEqual({ ok: true, value: { day, zone, flags } });
  });

  test.each([
    // an instant in UTC: 12:30 AM is half past midnight (the evening before in Bogotá), 12:30 PM half past noon (the same day)
    ['03/11/2024 12:30 AM Z', '-05:00', '2024-03-10'],
    ['03/11/2024 12:30 PM Z', '-05:00', '2024-03-11'],
    ['03/11/2024 11:30 AM Z', undefined, '2024-03-11'],
    ['03/11/2024 11:30 PM Z', undefined, '2024-03-12'],
    ['03/11/2024 11:30 p. m. Z', undefined, '2024-03-12'],
  ])('%j at %s is the day %s: AM and PM read as a 24-hour clock\'s hours', (raw, utcOffset, day) => {
    expect(parseDecpDate(raw, utcOffset, 'month-first')).toMatchObject({ ok: true, value: { day } });
  });

  test.each([
    // no calendar day in the order given: refused, never read in the other order
    ['13/25/2026', 'month-first'],
    ['25/12/2026 12:00:00 AM', 'month-first'],
    ['02/30/2026', 'month-first'],
    ['08/25/2026', 'day-first'],
    // an hour no 12-hour clock shows
    ['08/11/2026 13:00 PM', 'month-first'],
    ['08/11/2026 00:30 AM', 'month-first'],
    ['08/11/2026 12:60 PM', 'month-first'],
    ['08/11/2026 12:00 XM', 'month-first'],
    ['08/11/2026 12:00 a.  m.', 'month-first'],
  ] as const)('%j (%s) is refused: DATE_UNPARSABLE', (raw, order) => {
    expect(parseDecpDate(raw, undefined, order)).toEqual({ ok: false, flag: 'DATE_UNPARSABLE' });
  });
});

test.each([
  ['15 avril 2019', '2019-04-15'],
  ['1er janvier 2020', '2020-01-01'],
  ['3 févr. 2021', '2021-02-03'],
  ['lundi 15 avril 2019', '2019-04-15'],
  ['15 AOÛT 2019', '2019-08-15'],
  ['15 Aout 2019', '2019-08-15'],
  ['5 déc 2019', '2019-12-05'],
])('a French date with its month by name, %j: the day, flagged as not ISO', (raw, day) => {
  expect(parseDecpDate(raw)).toEqual({ ok: true, value: { day, zone: null, flags: ['DATE_UNPADDED'] } });
});

// the partners' languages (found by a partners' probe: a Mexican or Argentine export's `15-ene-2024`,
// `15-abr-2024` were unparsable, only the months whose names English shares read)
test.each([
  ['15 de marzo de 2024', '2024-03-15', []],
  ['15-ene-2024', '2024-01-15', []],
  ['15-ABR-24', '2024-04-15', ['DATE_TWO_DIGIT_YEAR']], // (flagged as the `10-janv-19` of a spreadsheet)
  ['20 ago 2024', '2024-08-20', []],
  ['1º de diciembre de 2023', '2023-12-01', []],
  ['lunes 15 de abril de 2024', '2024-04-15', []],
  ['15 de marzo de 2024 10:30', '2024-03-15', ['DATE_WITH_TIME']],
  ['30-set-2024', '2024-09-30', []],
  ['5 de março de 2024', '2024-03-05', []],
  ['10 dez 2024', '2024-12-10', []],
  ['15 березня 2024 р.', '2024-03-15', []],
  ['1 січня 2024 року', '2024-01-01', []],
  ['3 ЛИСТОПАДА 2023', '2023-11-03', []],
  ['1 травня 2024', '2024-05-01', []],
  ['15 марта 2024 г.', '2024-03-15', []],
  ['15 дек. 2024', '2024-12-15', []],
])('a Spanish, Portuguese, Ukrainian or Russian date with its month by name, %j', (raw, day, more) => {
  expect(parseDecpDate(raw)).toEqual({ ok: true, value: { day, zone: null, flags: ['DATE_UNPADDED', ...more] } });
});

test.each(['31 лютого 2024', '15 de lot de 2024', '15 de de 2024', '15 марта 2024 год лот'])('not a partner\'s date with a month by name: %j', (raw) => {
  expect(parseDecpDate(raw)).toEqual({ ok: false, flag: 'DATE_UNPARSABLE' });
});

test.each(['31 février 2019', '15 avrilx 2019', '15 mai 19', 'avril 2019', '15 avril'])('not a date with a month by name: %j', (raw) => {
  expect(parseDecpDate(raw)).toEqual({ ok: false, flag: 'DATE_UNPARSABLE' });
});

describe('Europe/Paris offsets', () => {
  test.each([
    ['2024-01-15', '+01:00'],
    ['2024-03-30', '+01:00'],
    ['2024-03-31', '+01:00'], // the change happens at 02:00, after midnight
    ['2024-04-01', '+02:00'],
    ['2024-10-27', '+02:00'], // back to winter time at 03:00
    ['2024-10-28', '+01:00'],
    ['2019-07-14', '+02:00'],
  ])('%s at midnight is %s', (day, offset) => expect(parisOffset(day)).toBe(offset));

  // before 1996 French summer time ended on the last Sunday of September (DECP dates go back to
  // 1990: concessions signed then are still published): the EU rule of October gave +02:00 for a
  // month of winter time. Checked against the time zone database as Node has it.
  test.each(['1990-09-29', '1990-09-30', '1990-10-15', '1993-09-26', '1993-09-27', '1995-03-26', '1995-03-27', '1995-09-24', '1995-09-25', '1995-10-20', '1996-10-27', '1996-10-28', '2001-10-28'])(
    '%s at midnight has the offset Europe/Paris had that day',
    (day) => {
      const named = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' }).formatToParts(new Date(`${day}T00:30:00${parisOffset(day)}`)).find((p) => p.type === 'timeZoneName')?.value;
      expect(`GMT${parisOffset(day)}`).toBe(named);
    },
  );

  test('an instant of 1995 given in UTC is its day in Paris by the rule of that year', () => {
    // 1995-10-14T22:30Z: 23:30 in Paris (winter time since 24 September), not 00:30 on the 15th
    expect(parseDecpDate('1995-10-14T22:30:00Z')).toMatchObject({ ok: true, value: { day: '1995-10-14' } });
    expect(FRENCH_LOCALE.dateTime({ day: '1995-10-14', zone: null, flags: [] })).toBe('1995-10-14T00:00:00+01:00');
  });

  test('a DECP day becomes midnight, in the source zone when given', () => {
    expect(FRENCH_LOCALE.dateTime({ day: '2024-07-08', zone: null, flags: [] })).toBe('2024-07-08T00:00:00+02:00');
    expect(FRENCH_LOCALE.dateTime({ day: '2018-12-31', zone: '+01:00', flags: [] })).toBe('2018-12-31T00:00:00+01:00');
  });
});

describe('calendar arithmetic', () => {
  test.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2019-02-11', 4, '2019-06-11'],
    ['2019-11-15', 14, '2021-01-15'],
    ['2019-03-01', 0, '2019-03-01'],
  ])('%s + %i months = %s', (day, n, want) => expect(addMonths(day, n)).toBe(want));

  test('days between', () => {
    expect(daysBetween('2019-02-11', '2019-06-11')).toBe(120);
    expect(daysBetween('2024-03-30', '2024-04-01')).toBe(2);
  });
});

describe('arithmetic fast paths give what the general path gives', () => {
  const day = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  test('a YYYY-MM-DD day reads as the same day with a leading space (the regular expression path)', () => {
    fc.assert(fc.property(day, (s) => expect(parseDecpDate(s)).toEqual(parseDecpDate(` ${s}`))), { numRuns: 2000 });
    expect(parseDecpDate('+202-01-01')).toEqual(parseDecpDate(' +202-01-01'));
    expect(parseDecpDate('2024-02-30')).toEqual({ ok: false, flag: 'DATE_UNPARSABLE' });
  });
  test('daysBetween counts the days Date.UTC counts (past a month end too)', () => {
    const utc = (s: string): number => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86_400_000;
    const valid = fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(fc.property(valid, valid, (a, b) => expect(daysBetween(a, b)).toBe(utc(b) - utc(a))), { numRuns: 2000 });
  });
});

// words around a date that say nothing of the day, a French time, a spreadsheet's dd-mmm-yy (a probe of buyer platforms' spellings)
test.each([
  ['le 10 janvier 2019', '2019-01-10', ['DATE_UNPADDED', 'DATE_WORDS_IGNORED']],
  ['Le 1er février 2019', '2019-02-01', ['DATE_UNPADDED', 'DATE_WORDS_IGNORED']],
  ['en date du 10/01/2019', '2019-01-10', ['DATE_UNPADDED', 'DATE_WORDS_IGNORED']],
  ['notifié le 10/01/2019', '2019-01-10', ['DATE_UNPADDED', 'DATE_WORDS_IGNORED']],
  ['10/01/2019 à 14h30', '2019-01-10', ['DATE_UNPADDED', 'DATE_WITH_TIME', 'DATE_WORDS_IGNORED']],
  ['10/01/2019 14h', '2019-01-10', ['DATE_UNPADDED', 'DATE_WITH_TIME']],
  ['2019-01-10 à 10h00', '2019-01-10', ['DATE_WITH_TIME', 'DATE_WORDS_IGNORED']],
  ['10 janvier 2019 à 14h30', '2019-01-10', ['DATE_UNPADDED', 'DATE_WORDS_IGNORED', 'DATE_WITH_TIME']],
  ['10-janv-19', '2019-01-10', ['DATE_UNPADDED', 'DATE_TWO_DIGIT_YEAR']],
  ['15-Apr-23', '2023-04-15', ['DATE_UNPADDED', 'DATE_TWO_DIGIT_YEAR']],
])('a date with words around it, %j: the day, flagged', (raw, day, flags) => {
  expect(parseDecpDate(raw)).toEqual({ ok: true, value: { day, zone: null, flags } });
});

test.each([
  ['janvier 2019', 'DATE_UNPARSABLE'],
  ['le 32/01/2019', 'DATE_UNPARSABLE'],
  ['10/01/2019 à 25h30', 'DATE_UNPARSABLE'],
  ['10-janv-75', 'DATE_UNPARSABLE'],
  ['le 10/01/1890', 'DATE_IMPOSSIBLE_YEAR'],
])('still no date, %j', (raw, flag) => {
  expect(parseDecpDate(raw)).toEqual({ ok: false, flag });
});

test('a text of more than 100 characters is not read past its words (no date is so long; the cost of the expressions stays bounded)', () => {
  expect(parseDecpDate(`le 10/01/2019${' '.repeat(90)}`)).toEqual({ ok: false, flag: 'DATE_UNPARSABLE' });
  expect(parseDecpDate(`1${' '.repeat(20000)}x`)).toEqual({ ok: false, flag: 'DATE_UNPARSABLE' });
});
