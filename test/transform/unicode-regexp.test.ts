/** Word boundaries of a profile's regular expressions in every script (src/transform/unicode-regexp.ts). */
import { unicodeBoundaries, unicodeRegExp } from '../../src/transform/unicode-regexp.js';
import { createLocale } from '../../src/transform/locale.js';

test('\\b and \\B know Cyrillic, accented and combined letters; escapes and character classes are left as written', () => {
  const fop = unicodeRegExp('\\bФОП\\b', 'iu');
  expect(fop.test('ФОП Гнатюк Марія')).toBe(true);
  expect(fop.test('Гнатюк, фоп')).toBe(true);
  expect(fop.test('ФОПА Гнатюк')).toBe(false);
  // JavaScript's own \b saw no letter there at all (found by a partners probe: a person published)
  expect(/\bФОП\b/iu.test('ФОП Гнатюк')).toBe(false);
  const ei = unicodeRegExp('\\bEI\\b', 'iu');
  expect(ei.test('DUPONT Jean EI')).toBe(true);
  expect(ei.test('RÉI')).toBe(false);
  expect(unicodeRegExp('a\\Bb', 'u').test('ab')).toBe(true);
  expect(unicodeRegExp('a\\Bb', 'u').test('a b')).toBe(false);
  // an escaped backslash before b, and a backspace in a class, are not boundaries
  expect(unicodeBoundaries('\\\\b[\\b]')).toBe('\\\\b[\\b]');
});

test("a partner's profile that finds persons by `\\bФОП\\b` finds them", () => {
  const L = createLocale({ personNames: ['\\bФОП\\b'] });
  expect(L.namesPerson('ФОП Гнатюк Марія')).toBe(true);
  expect(L.namesPerson('ТОВ Ромашка')).toBe(false);
});
