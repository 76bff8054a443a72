/**
 * Dates as the serialisers of other platforms write them: .NET's JSON date (`/Date(1733443200000)/`,
 * milliseconds since 1970, an offset after them) and Java's ZonedDateTime (`2024-12-06T00:00+01:00
 * [Europe/Paris]`, the zone's name after the offset). Both were DATE_UNPARSABLE, the contract's
 * dates lost (found by a probe). Read as the instant they name: its day in Paris (or at the offset).
 */
import { parseDecpDate } from '../../src/transform/dates.js';

test.each([
  ['/Date(1733443200000)/', '2024-12-06', null, ['DATE_EPOCH']],
  ['/Date(1733443200000+0100)/', '2024-12-06', null, ['DATE_EPOCH']],
  ['\\/Date(1733439600000)\\/', '2024-12-06', null, ['DATE_EPOCH']],
  ['2024-12-06T00:00+01:00[Europe/Paris]', '2024-12-06', '+01:00', ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
  ['2024-12-06T00:00:00.000+01:00[Europe/Paris]', '2024-12-06', '+01:00', ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
  ['2024-12-05T23:00Z[UTC]', '2024-12-06', null, ['DATE_WITH_TIME', 'DATE_WITH_ZONE']],
])('%s is %s', (raw, day, zone, flags) => {
  const r = parseDecpDate(raw);
  expect(r).toEqual({ ok: true, value: { day, zone, flags } });
});

test('what is no such date stays unparsable', () => {
  for (const raw of ['/Date(abc)/', '/Date(17)/', '2024-12-06[Europe/Paris]', '[Europe/Paris]', 'x[y]']) expect(parseDecpDate(raw)).toEqual({ ok: false, flag: 'DATE_UNPARSABLE' });
});
