/**
 * DECP dates → OCDS date-times. Pure.
 *
 * DECP dates are days (`2019-02-11`), sometimes with a zone suffix
 * (`2018-12-31+01:00`), sometimes unpadded (`2019-1-1`), sometimes impossible
 * (`0218-10-29`). OCDS wants an RFC 3339 date-time. We never invent precision:
 * a day becomes midnight of that day in Europe/Paris (`T00:00:00+01:00` in
 * winter, `+02:00` in summer), or in the zone the source gave.
 */

export type DateFlag = 'DATE_UNPARSABLE' | 'DATE_IMPOSSIBLE_YEAR' | 'DATE_TWO_DIGIT_YEAR' | 'DATE_UNPADDED' | 'DATE_WITH_ZONE' | 'DATE_WITH_TIME' | 'DATE_SERIAL' | 'DATE_EPOCH' | 'DATE_WORDS_IGNORED';

/**
 * The order of day and month in a date written with its year last (`08/11/2026`): day first as
 * French writes it (the default), or month first (a profile's settings.dateOrder).
 */
export type DateOrder = 'day-first' | 'month-first';

export interface ParsedDate {
  /** `YYYY-MM-DD`. */
  readonly day: string;
  /** The zone the source gave (`+01:00`, `Z`), if any. */
  readonly zone: string | null;
  readonly flags: readonly DateFlag[];
}

// (each form with a time numbers its groups alike: 5–7 the time, 8 a 12-hour clock's `AM`/`PM`, 9 the zone; timeAndZone)
// (a 12-hour clock's mark as English writes it, `AM`, `a.m.`, or as Spanish locales do, `a. m.`, a
// space — a no-break one in Windows' — after the first dot: `08/11/2026 12:00:00 a. m.`)
// year first, by dashes (ISO) or, as some exports write it, by slashes or dots (`2019/01/29`): one separator throughout
// (a zone of hours only, `+01`, is how PostgreSQL writes one)
// (an offset may be followed by a `Z`, as the 2019 schema's pattern allows: `2019-03-01+01:00Z`)
const DATE = /^\s*(\d{1,4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AaPp])\.?\s?[Mm]\.?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?Z?)?\s*$/;
// the year last: day first, as French writes it (`29/01/2019`, `29-01-2019`, `29.01.2019`), or month
// first when the profile says its source writes so (settings.dateOrder: a US-style export, Socrata's
// `08/11/2026 12:00:00 AM`); never guessed from the numbers (`08/11/2026` is either). Its year may be
// two digits, by slashes or dots, as a spreadsheet's short date writes it (`15/03/19`): 2000 + the two
// digits up to 49, 1900 + them from 90 (MIN_YEAR), none between, flagged DATE_TWO_DIGIT_YEAR (it was
// read year first, the year 15, refused)
const YEAR_LAST = /^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[T ]+(\d{1,2})[:h](\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AaPp])\.?\s?[Mm]\.?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/;
// `20190129`: eight digits, year first (a year out of range is no such date: `29012019`)
const COMPACT = /^\s*(\d{4})(\d{2})(\d{2})\s*$/;
// the month by its name, as a text or a hand-made spreadsheet writes it, day first: `15 avril 2019`,
// `1er janvier 2020`, `3 févr. 2021`, `lundi 15 avril 2019`, `15-Apr-2023` (a spreadsheet's English
// format), `15th April 2023` (with or without accents, any case; a weekday first is checked as one)
// The partners' languages write it so too: Spanish and Portuguese with `de` (`15 de marzo de 2024`,
// `5 de março de 2024`, `15-ene-2024` as a Spanish-locale database prints it), Ukrainian and Russian
// with the month in the genitive and the year's word after it (`15 березня 2024 р.`, `15 марта 2024 г.`)
// (found by a partners' probe: `15-ene-2024`, `15-abr-2024`, `15 de marzo de 2024` were unparsable, a
// Mexican or Argentine export's dates lost but for the months whose name English shares)
const WORDS = /^\s*(?:(\p{L}+)\.?,?\s+)?(\d{1,2})(?:er|st|nd|rd|th|º|°)?[\s./-]+(?:(?:de|del)\s+)?(\p{L}+)\.?[\s,./-]+(?:(?:de|del)\s+)?(\d{4})(?:\s*(?:р\.?|року|г\.?|года))?\s*$/iu;
// … or month first, as English writes it: `April 15, 2023`, `Apr 15 2023`, and what a program prints
// for a date object (`Mon May 15 2023 00:00:00 GMT+0200 (heure d’été d’Europe centrale)`): its time
// and zone are read as an ISO form's
const WORDS_MONTH_FIRST = /^\s*(?:(\p{L}+)\.?,?\s+)?(\p{L}+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*(a|p)\.?\s?m\.?)?(?:\s*(?:GMT|UTC)?\s*(Z|[+-]\d{2}(?::?\d{2})?))?(?:\s*\([^)]*\))?)?\s*$/iu;
/** A word in lower case without its accents (a Cyrillic `й` is `и`, `ї` is `і`). */
function bareWord(name: string): string {
  return name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * Month names and their usual abbreviations, by month number: French, English, Spanish, Portuguese,
 * Ukrainian and Russian (nominative and genitive), keyed as `bare` writes a word (accents taken off:
 * `março` is `marco`, a Cyrillic `й` is `и`). No abbreviation names two months.
 */
const MONTHS: ReadonlyMap<string, number> = new Map(
  [
    ['janvier', 'janv', 'january', 'jan', 'enero', 'ene', 'janeiro', 'січень', 'січня', 'січ', 'январь', 'января', 'янв'],
    ['fevrier', 'fevr', 'fev', 'february', 'feb', 'febrero', 'fevereiro', 'лютий', 'лютого', 'лют', 'февраль', 'февраля', 'фев'],
    ['mars', 'march', 'mar', 'marzo', 'março', 'березень', 'березня', 'бер', 'март', 'марта'],
    ['avril', 'avr', 'april', 'apr', 'abril', 'abr', 'квітень', 'квітня', 'квіт', 'кві', 'апрель', 'апреля', 'апр'],
    ['mai', 'may', 'mayo', 'maio', 'травень', 'травня', 'трав', 'тра', 'май', 'мая'],
    ['juin', 'june', 'jun', 'junio', 'junho', 'червень', 'червня', 'черв', 'чер', 'июнь', 'июня', 'июн'],
    ['juillet', 'juil', 'july', 'jul', 'julio', 'julho', 'липень', 'липня', 'лип', 'июль', 'июля', 'июл'],
    ['aout', 'august', 'aug', 'agosto', 'ago', 'серпень', 'серпня', 'серп', 'сер', 'август', 'августа', 'авг'],
    ['septembre', 'sept', 'september', 'sep', 'septiembre', 'setiembre', 'setembro', 'set', 'вересень', 'вересня', 'вер', 'сентябрь', 'сентября', 'сен', 'сент'],
    ['octobre', 'oct', 'october', 'octubre', 'outubro', 'out', 'жовтень', 'жовтня', 'жовт', 'жов', 'октябрь', 'октября', 'окт'],
    ['novembre', 'nov', 'november', 'noviembre', 'novembro', 'листопад', 'листопада', 'лист', 'лис', 'ноябрь', 'ноября', 'ноя'],
    ['decembre', 'dec', 'december', 'diciembre', 'dic', 'dezembro', 'dez', 'грудень', 'грудня', 'груд', 'гру', 'декабрь', 'декабря', 'дек'],
  ].flatMap((names, k) => names.map((n): [string, number] => [bareWord(n), k + 1])),
);
/** Weekday names and abbreviations, French, English and Spanish (accents taken off): a date may start with one. */
const WEEKDAYS: ReadonlySet<string> = new Set(
  'lundi lun mardi mar mercredi mer jeudi jeu vendredi ven samedi sam dimanche dim monday mon tuesday tue tues wednesday wed thursday thu thurs friday fri saturday sat sunday sun lunes martes miercoles jueves viernes sabado domingo'.split(' '),
);

const bare = bareWord;

/** The month a name (or its abbreviation) gives, or undefined. */
const monthOfName = (name: string): number | undefined => MONTHS.get(bare(name));
/** Whether a word before a date is absent or a weekday's name. */
const weekdayOrNone = (name: string | undefined): boolean => name === undefined || WEEKDAYS.has(bare(name));

// a spreadsheet's day number (days since 1899-12-30, the 1900 system as spreadsheets count it) or a
// Unix time (seconds or milliseconds since 1970-01-01 UTC), as a number or its digits; eight digits are `yyyymmdd`;
// a fraction after a dot, or a comma as a French spreadsheet writes it (`43910,5`: a day and its time —
// found by a CSV probe, unparsable where `43910.5` was read)
const NUMERIC = /^\s*(\d+)(?:[.,]\d+)?\s*$/;
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** Earliest and latest plausible years for a French public contract date. */
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2100;

/** .NET's JSON date (DataContractJsonSerializer, ASP.NET AJAX): `/Date(ms)/`, `\/Date(ms+0100)\/`. */
const DOTNET_DATE = /^\s*\\?\/Date\((\d{12,13})(?:[+-]\d{4})?\)\\?\/\s*$/;
/** Java's ZonedDateTime: a date-time with its offset (or Z), then its zone's name in brackets. */
const ZONE_NAME_AFTER = /^(\s*\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d))\[[A-Za-z][\w+\-/]*\]\s*$/;

/**
 * Parse a DECP date. Returns null (with nothing to keep) for empty input, and
 * `{day:null}`-free results only for real calendar days; impossible years
 * (`0218-10-29`) are refused and flagged by the caller. An instant (in UTC, or a Unix time) is the
 * day it is at `utcOffset` (a profile's fixed offset), else in Europe/Paris. A date with its year
 * last is read in `order` (day first unless the profile says otherwise); one that is no calendar day
 * in that order (`13/25/2026` month first) is refused, never read in the other.
 */
export function parseDecpDate(raw: unknown, utcOffset?: string, order: DateOrder = 'day-first'): { ok: true; value: ParsedDate } | { ok: false; flag: DateFlag } | null {
  const read = parseDateValue(raw, utcOffset, order);
  // (words around a date are looked for only where it could not be read: no cost on the others)
  // (a text of more than 100 characters is no date with a few words: not looked at, its regular
  // expressions' cost bounded)
  if (read === null || read.ok || read.flag !== 'DATE_UNPARSABLE' || typeof raw !== 'string' || raw.length > 100) return read;
  const said = withoutDateWords(raw);
  if (said === null) return read;
  const again = parseDateValue(said.text, utcOffset, order);
  if (again === null || !again.ok) return again?.ok === false && again.flag === 'DATE_IMPOSSIBLE_YEAR' ? again : read;
  return { ok: true, value: { ...again.value, flags: [...again.value.flags, ...said.flags] } };
}

/**
 * Whether a date that `order` cannot read (no calendar day so: `15/03/2024` month first) is one
 * written with its year last that the other order reads: evidence that settings.dateOrder is not the
 * source's, whose other dates (`01/04/2024`) are then read with day and month swapped, unflagged.
 */
export function readsInOtherOrder(raw: unknown, order: DateOrder = 'day-first'): boolean {
  if (typeof raw !== 'string' || raw.length > 100 || !YEAR_LAST.test(raw)) return false;
  const other = order === 'month-first' ? 'day-first' : 'month-first';
  return parseDecpDate(raw, undefined, order)?.ok === false && parseDecpDate(raw, undefined, other)?.ok === true;
}

/** Words before a date that say it is one (`le 10 janvier 2019`, `en date du 10/01/2019`, `notifié le …`). */
const DATE_LEAD = /^\s*(?:(?:en\s+)?date\s+du|(?:notifi[ée]e?|sign[ée]e?|publi[ée]e?)\s+le|le|du)\s+/iu;
/** A French time of day, `à 14h30`, `14 h`, `14H30`: written `14:30`, as the other forms read one. */
const FRENCH_TIME = /(?:\s+[àa])?\s+(\d{1,2})\s*[hH]\s*(\d{2})?\s*$/u;
/** A time at the end of a date written with its month's name (`10 janvier 2019 14:30`): its forms read none. */
const TIME_AFTER_NAME = /^(.*\p{L}.*?\d{4}),?\s+\d{1,2}:\d{2}(?::\d{2})?$/u;
/**
 * The month by its name and a two-digit year, as a spreadsheet's `dd-mmm-yy` writes it, by dashes
 * (`10-janv-19`, `15-Apr-23`); in words, `15 mai 19`, the number may be no year: not read.
 */
const NAMED_SHORT_YEAR = /^(\d{1,2}-\p{L}+\.?-)(\d{2})$/u;

/**
 * A date's text without words around it that say nothing of the day (`le`, `en date du`, `à` before a
 * time), its French time written as the other forms write one, and a spreadsheet's `10-janv-19` with
 * its year in full (2000 + it up to 49, 1900 + it from 90, as a short year is read elsewhere): the text
 * to read again and the flags it takes (DATE_WORDS_IGNORED; DATE_WITH_TIME for a time left out,
 * DATE_TWO_DIGIT_YEAR). Null: nothing of these.
 */
function withoutDateWords(raw: string): { text: string; flags: DateFlag[] } | null {
  const flags: DateFlag[] = [];
  let t = raw.trim();
  const lead = t.replace(DATE_LEAD, '');
  if (lead !== t) flags.push('DATE_WORDS_IGNORED');
  t = lead;
  const time = FRENCH_TIME.exec(t);
  if (time !== null) {
    if (/\s[àa]\s/u.test(time[0]) && !flags.includes('DATE_WORDS_IGNORED')) flags.push('DATE_WORDS_IGNORED');
    t = `${t.slice(0, time.index)} ${time[1]!.padStart(2, '0')}:${time[2] ?? '00'}`;
  }
  const named = TIME_AFTER_NAME.exec(t);
  if (named !== null) {
    t = named[1]!;
    flags.push('DATE_WITH_TIME');
  }
  const short = NAMED_SHORT_YEAR.exec(t);
  if (short !== null) {
    const y = Number(short[2]);
    if (y >= 50 && y < MIN_YEAR % 100) return null;
    t = `${short[1]}${y < 50 ? 2000 + y : 1900 + y}`;
    flags.push('DATE_TWO_DIGIT_YEAR');
  }
  return t === raw.trim() ? null : { text: t, flags };
}

function parseDateValue(raw: unknown, utcOffset: string | undefined, order: DateOrder): { ok: true; value: ParsedDate } | { ok: false; flag: DateFlag } | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return numericDate(raw, Number.isSafeInteger(raw) ? String(raw) : null, utcOffset);
  if (typeof raw !== 'string') return { ok: false, flag: 'DATE_UNPARSABLE' };
  if (raw.trim() === '') return null;
  // what serialisers of other platforms write: .NET's `/Date(1733443200000)/` (milliseconds since
  // 1970, an offset after them only says where it was shown: the instant is the same) and Java's
  // ZonedDateTime, `2024-12-06T00:00+01:00[Europe/Paris]` (its zone's name after its offset)
  // (a first character told first: the other dates never meet the regular expression)
  const first = raw.trimStart().charCodeAt(0);
  const dotNet = raw.length < 40 && (first === 0x2f || first === 0x5c) ? DOTNET_DATE.exec(raw) : null;
  if (dotNet) return numericDate(Number(dotNet[1]), dotNet[1]!, utcOffset);
  if (raw.endsWith(']')) {
    const java = ZONE_NAME_AFTER.exec(raw);
    if (java) return parseDateValue(java[1], utcOffset, order);
  }
  const flags: DateFlag[] = [];
  let y: number, m: number, d: number;
  let zone: string | null = null;
  // the time of day given with a zone, as hours and minutes (see localDayOf)
  let time: readonly [number, number] | null = null;
  // the common case, `YYYY-MM-DD`, read by arithmetic (what the expression gives it); its day is itself
  const dashed = raw.length === 10 && raw.charCodeAt(4) === 0x2d && raw.charCodeAt(7) === 0x2d;
  const py = dashed ? strictDigits(raw, 0, 4) : -1;
  const pm = dashed ? strictDigits(raw, 5, 2) : -1;
  const pd = dashed ? strictDigits(raw, 8, 2) : -1;
  let plain = py >= 0 && pm >= 0 && pd >= 0;
  const matched = plain ? null : DATE.exec(raw);
  // (`15/03/19`, `15.03.19`: one or two digits first, two last, by slashes or dots, is a day (or
  // month) first and a two-digit year last; by dashes it may be a short year first, `24-03-15`: not read)
  const iso = matched !== null && matched[2] !== '-' && matched[1]!.length <= 2 && matched[4]!.length === 2 ? null : matched;
  if (plain) {
    y = py;
    m = pm;
    d = pd;
  } else if (iso) {
    y = Number(iso[1]);
    m = Number(iso[3]);
    d = Number(iso[4]);
    if (iso[1]!.length !== 4 || iso[3]!.length !== 2 || iso[4]!.length !== 2 || iso[2] !== '-') flags.push('DATE_UNPADDED');
    const given = timeAndZone(iso, flags);
    if (given === null) return { ok: false, flag: 'DATE_UNPARSABLE' };
    ({ zone, time } = given);
  } else {
    const numeric = NUMERIC.exec(raw);
    // digits other than eight (`yyyymmdd`, below) are a day number or a Unix time
    if (numeric && numeric[1]!.length !== 8) return numericDate(Number(raw.replace(',', '.')), numeric[1]!, utcOffset);
    const yearLast = numeric ? null : YEAR_LAST.exec(raw);
    const compact = yearLast ? null : COMPACT.exec(raw);
    const words = yearLast || compact ? null : WORDS.exec(raw);
    const named = words && weekdayOrNone(words[1]) ? monthOfName(words[3]!) : undefined;
    const english = yearLast || compact || named !== undefined ? null : WORDS_MONTH_FIRST.exec(raw);
    const namedFirst = english && weekdayOrNone(english[1]) ? monthOfName(english[2]!) : undefined;
    if (words && named !== undefined) {
      d = Number(words[2]);
      m = named;
      y = Number(words[4]);
      flags.push('DATE_UNPADDED');
    } else if (english && namedFirst !== undefined) {
      d = Number(english[3]);
      m = namedFirst;
      y = Number(english[4]);
      flags.push('DATE_UNPADDED');
      const given = timeAndZone(english, flags);
      if (given === null) return { ok: false, flag: 'DATE_UNPARSABLE' };
      ({ zone, time } = given);
    } else if (compact && Number(compact[1]) >= MIN_YEAR && Number(compact[1]) <= MAX_YEAR) {
      y = Number(compact[1]);
      m = Number(compact[2]);
      d = Number(compact[3]);
      flags.push('DATE_UNPADDED');
    } else {
      if (!yearLast) return { ok: false, flag: 'DATE_UNPARSABLE' };
      const monthFirst = order === 'month-first';
      d = Number(yearLast[monthFirst ? 3 : 1]);
      m = Number(yearLast[monthFirst ? 1 : 3]);
      y = Number(yearLast[4]);
      if (yearLast[4]!.length === 2) {
        // 00–49 this century, 90–99 the last one (MIN_YEAR on); 50–89 is no year a source means
        if (y >= 50 && y < MIN_YEAR % 100) return { ok: false, flag: 'DATE_IMPOSSIBLE_YEAR' };
        y += y < 50 ? 2000 : 1900;
        flags.push('DATE_TWO_DIGIT_YEAR');
      }
      flags.push('DATE_UNPADDED');
      // `29/01/2019 10:00` (spreadsheet exports), `08/11/2026 12:00:00 AM` (Socrata's, month first):
      // the day, its time dropped as for ISO forms; `29/01/2019 10:00+01:00`: its zone kept
      const given = timeAndZone(yearLast, flags);
      if (given === null) return { ok: false, flag: 'DATE_UNPARSABLE' };
      ({ zone, time } = given);
    }
  }
  if (!isCalendarDay(y, m, d)) return { ok: false, flag: 'DATE_UNPARSABLE' };
  if (time !== null && (zone === 'Z' || zone === '+00:00' || zone === '-00:00')) {
    // an instant in UTC (`2024-03-11T23:00:00.000Z`: a Paris midnight as a program serialises it):
    // the day it is in Paris (or at the source's fixed offset), not the UTC day (which would be the day before)
    [y, m, d] = localDayOf(y, m, d, time[0], time[1], utcOffset);
    zone = null;
    plain = false;
  }
  if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, flag: 'DATE_IMPOSSIBLE_YEAR' };
  return { ok: true, value: { day: plain ? raw : `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`, zone, flags } };
}

/**
 * A form's time of day (groups 5–7 of its expression: hours, minutes, seconds; group 8 the `A` or `P`
 * of a 12-hour clock's `AM`/`PM`) and zone (group 9), as every form that has them numbers them: the
 * time flagged (the day keeps it only to place an instant in UTC), the zone kept and flagged. Null for
 * a time no clock shows (`T25:99:00`: with a zone it would move the day, 25:00 UTC being the next
 * day's 02:00 in Paris; `13:00 PM`, `00:30 AM`) or an offset none has.
 */
function timeAndZone(g: RegExpExecArray, flags: DateFlag[]): { zone: string | null; time: readonly [number, number] | null } | null {
  let hours = g[5] === undefined ? 0 : Number(g[5]);
  if (g[5] !== undefined) {
    if (g[8] !== undefined) {
      // a 12-hour clock: 1 to 12, `12:00 AM` midnight, `12:30 PM` half past noon
      if (!(hours >= 1 && hours <= 12) || !isTimeOfDay(g[5], g[6]!, g[7])) return null;
      hours = (hours % 12) + (g[8].toUpperCase() === 'P' ? 12 : 0);
    } else if (!isTimeOfDay(g[5], g[6]!, g[7])) return null;
    flags.push('DATE_WITH_TIME');
  }
  if (g[9] === undefined) return { zone: null, time: null };
  const zone = zoneOf(g[9]);
  if (zone === null) return null;
  flags.push('DATE_WITH_ZONE');
  return { zone, time: g[5] !== undefined ? [hours, Number(g[6])] : null };
}

/**
 * A date given as a number (or its digits, `whole`: the integer part, null for a fraction): eight
 * digits are `yyyymmdd` (as text); five, a spreadsheet's day number (`45000` is 2023-03-15), its
 * fraction a time of day; nine or ten, a Unix time in seconds; twelve or thirteen, in milliseconds
 * (an instant: the day it is in Paris). Anything else is no date.
 */
function numericDate(n: number, whole: string | null, utcOffset?: string): { ok: true; value: ParsedDate } | { ok: false; flag: DateFlag } {
  // (past 14 digits no reading is a date: and 1e21 writes itself `1e+21`, five characters)
  if (!(n > 0 && n < 1e14)) return { ok: false, flag: 'DATE_UNPARSABLE' };
  const digits = whole ?? String(Math.floor(n));
  if (digits.length === 8 && whole !== null) return parseDecpDate(digits)!;
  let instant: number;
  const flags: DateFlag[] = [];
  if (digits.length === 5) {
    const day = Math.floor(n);
    instant = SERIAL_EPOCH_MS + day * DAY_MS;
    flags.push('DATE_SERIAL');
    if (n !== day) flags.push('DATE_WITH_TIME');
  } else if (digits.length === 9 || digits.length === 10 || digits.length === 12 || digits.length === 13) {
    const ms = digits.length <= 10 ? n * 1000 : n;
    const at = new Date(ms);
    const [py, pm, pd] = localDayOf(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), utcOffset);
    instant = Date.UTC(py, pm - 1, pd);
    flags.push('DATE_EPOCH');
  } else return { ok: false, flag: 'DATE_UNPARSABLE' };
  const day = new Date(instant);
  const y = day.getUTCFullYear();
  if (!(y >= MIN_YEAR && y <= MAX_YEAR)) return { ok: false, flag: 'DATE_IMPOSSIBLE_YEAR' };
  return { ok: true, value: { day: `${pad(y, 4)}-${pad(day.getUTCMonth() + 1, 2)}-${pad(day.getUTCDate(), 2)}`, zone: null, flags } };
}

/**
 * The day of an instant given as a UTC day and time, in the zone a source's dates are read in
 * (zoneMinutesAt).
 */
function localDayOf(y: number, m: number, d: number, h: number, min: number, utcOffset: string | undefined): [number, number, number] {
  const utc = Date.UTC(y, m - 1, d, h, min);
  const local = new Date(utc + zoneMinutesAt(utc, utcOffset) * 60_000);
  return [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()];
}

/**
 * The offset, in minutes, of the zone a source's dates are read in at an instant (milliseconds since
 * 1970 UTC): a fixed one (`-05:00`, a profile's settings.utcOffset), else Europe/Paris's (parisHoursAt).
 */
function zoneMinutesAt(utc: number, utcOffset: string | undefined): number {
  const fixed = utcOffset === undefined ? null : /^([+-])(\d\d):(\d\d)$/.exec(utcOffset);
  return fixed === null ? parisHoursAt(utc) * 60 : (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
}

/**
 * The offset of Europe/Paris, in hours, at an instant (milliseconds since 1970 UTC): 2 in summer time,
 * else 1. Summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
 * of October (the EU rule; of September before 1996): the instant's own offset, also on the days the
 * clocks change.
 */
function parisHoursAt(utc: number): 1 | 2 {
  const year = new Date(utc).getUTCFullYear();
  const endMonth = summerEndMonth(year);
  return utc >= Date.UTC(year, 2, lastSunday(year, 3), 1) && utc < Date.UTC(year, endMonth - 1, lastSunday(year, endMonth), 1) ? 2 : 1;
}

const UTC_INSTANT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(?:Z|[+-]00:00)$/;

/**
 * An instant written in UTC (`2025-12-31T23:30:00Z`, as the run's date is) written at a fixed offset
 * (`-05:00`, a profile's settings.utcOffset), else at Europe/Paris's offset at that instant
 * (`2026-01-01T00:30:00+01:00`): the same instant, its calendar day and year those of the zone the
 * source's dates are read in, as every other release date is (the UTC day and year were the day
 * before, from 22:00 or 23:00 UTC: a record dated by a run at 00:30 on 1 January, Paris time, was
 * the year before's). One written at another offset is in the zone its writer chose: as given.
 */
export function instantInZone(iso: string, utcOffset?: string): string {
  const m = UTC_INSTANT.exec(iso);
  if (m === null) return iso;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const minutes = zoneMinutesAt(utc, utcOffset);
  const local = new Date(utc + minutes * 60_000);
  const zone = `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60), 2)}:${pad(Math.abs(minutes) % 60, 2)}`;
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}T${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}${m[7] ?? ''}${zone}`;
}

/**
 * A zone as RFC 3339 writes it (`+0100` → `+01:00`), or null for an offset no clock has (`+99:99`):
 * it would make a date-time no reader takes, so the value is no date.
 */
function zoneOf(z: string): string | null {
  if (z === 'Z') return 'Z';
  const digits = z.replace(/Z$/, '').replace(':', '');
  const zone = `${digits.slice(0, 3)}:${digits.length === 3 ? '00' : digits.slice(3)}`;
  return Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4)) > 59 ? null : zone;
}

/** Hours 00–23 (or 24:00:00, the day's end), minutes 00–59, seconds 00–60 (a leap second). */
function isTimeOfDay(h: string, m: string, sec: string | undefined): boolean {
  const hh = Number(h);
  const mm = Number(m);
  const ss = sec === undefined ? 0 : Number(sec);
  if (hh === 24) return mm === 0 && ss === 0;
  return hh <= 23 && mm <= 59 && ss <= 60;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function isCalendarDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  if (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return 29;
  return MONTH_DAYS[m - 1]!;
}

/**
 * Offset of Europe/Paris at local midnight of `day`: "+02:00" during summer
 * time (from the last Sunday of March to the last Sunday of October, EU rule
 * since 1996; to the last Sunday of September from 1981 to 1995, which the
 * years DECP dates may have, 1990 on, include), "+01:00" otherwise. At midnight
 * the change (at 02:00/03:00 local) has not happened yet, so the day of the
 * change keeps the previous offset.
 */
export function parisOffset(day: string): '+01:00' | '+02:00' {
  const y = digitsAt(day, 0, 4);
  const endMonth = summerEndMonth(y);
  let bounds = summerTime.get(y);
  if (bounds === undefined) {
    bounds = [lastSunday(y, 3), lastSunday(y, endMonth)];
    summerTime.set(y, bounds);
  }
  const m = digitsAt(day, 5, 2);
  const d = digitsAt(day, 8, 2);
  const [start, end] = bounds;
  const afterStart = m > 3 || (m === 3 && d > start);
  const beforeEnd = m < endMonth || (m === endMonth && d <= end);
  return afterStart && beforeEnd ? '+02:00' : '+01:00';
}

/** The month French summer time ends in: October (the EU rule, from 1996), September before (1981–1995). */
function summerEndMonth(y: number): 9 | 10 {
  return y < 1996 ? 9 : 10;
}

/** Day of March and of October (September before 1996) on which summer time starts and ends, per year. */
const summerTime = new Map<number, [number, number]>();

function lastSunday(y: number, m: number): number {
  const last = daysInMonth(y, m);
  const weekday = new Date(Date.UTC(y, m - 1, last)).getUTCDay();
  return last - weekday;
}

/** `day` + `months` calendar months, clamped to the month's end (2024-01-31 + 1 month = 2024-02-29). */
export function addMonths(day: string, months: number): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const d = Number(day.slice(8, 10));
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const nd = Math.min(d, daysInMonth(ny, nm));
  return `${pad(ny, 4)}-${pad(nm, 2)}-${pad(nd, 2)}`;
}

/** Whole days from `a` to `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` day (proleptic Gregorian; a day past its month's end
 * rolls over), by arithmetic: no Date object, no substring. The same as Date.UTC for years from
 * 100 on (Date.UTC reads years 0–99 as 1900–1999; parsed days are from MIN_YEAR on).
 */
function dayNumber(s: string): number {
  const m = digitsAt(s, 5, 2);
  const y = digitsAt(s, 0, 4) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + digitsAt(s, 8, 2) - 1;
  return era * 146097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719468;
}

/** `Number(s.slice(at, at + n))`, by arithmetic when those are `n` ASCII digits. */
function digitsAt(s: string, at: number, n: number): number {
  const v = strictDigits(s, at, n);
  return v >= 0 ? v : Number(s.slice(at, at + n));
}

/** The number written by the `n` ASCII digits at `at`, or -1 when they are not `n` ASCII digits. */
function strictDigits(s: string, at: number, n: number): number {
  if (at + n > s.length) return -1;
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}
