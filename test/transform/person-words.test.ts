/** A natural person's name found and masked in free texts (src/transform/person-words.ts). */
import { FRENCH_LOCALE } from '../../src/transform/locale.js';
import { maskWords, personWords } from '../../src/transform/person-words.js';

const masked = (name: string, text: string): string => {
  const found = personWords(FRENCH_LOCALE, [name]).holds(text);
  return found === undefined ? text : maskWords(text, found);
};

test('a name written in a URL (words joined by %20, digits touching letters) is masked whole (found by a partners probe: only its first word was)', () => {
  expect(masked('Maria Fernanda Lopez Gomez', 'https://x.org/?nombre=Maria%20Fernanda%20Lopez%20Gomez')).toBe('https://x.org/?nombre=***%20***%20***%20***');
  expect(masked('Jean DUPONT', 'lot 2DUPONT3 chez M. Dupont')).toBe('lot 2***3 chez M. ***');
});

test('as before: a name inside another word or joined by a hyphen is no name; a text without the name is unchanged', () => {
  expect(masked('Pierre GERMAIN', 'Saint-Germain-en-Laye')).toBe('Saint-Germain-en-Laye');
  expect(masked('Pierre BOIS', 'bois de chauffage, lot 12')).toBe('bois de chauffage, lot 12');
  expect(masked('Pierre BOIS', 'gérant M. BOIS')).toBe('gérant M. ***');
});

test('a name written percent-encoded with its accents (a URL of `H%C3%A9l%C3%A8ne`) is found and masked as decoded; a name word with a digit on it still names the person (found by a review)', () => {
  expect(masked('LEFÈVRE Jean', 'https://x.org/?nom=LEF%C3%88VRE%20Jean&lot=2')).toBe('https://x.org/?nom=***%20***&lot=2');
  expect(masked('Hélène MARTIN', 'https://x.org/?q=H%C3%A9l%C3%A8ne%20MARTIN')).toBe('https://x.org/?q=***%20***');
  expect(masked('Jean DUPONT2', 'Jean DUPONT2 chantier lot 2')).toBe('*** ***2 chantier lot 2');
  // a percent sign that encodes nothing is left as it is
  expect(masked('Pierre BOIS', 'bois de chauffage à 100%')).toBe('bois de chauffage à 100%');
});
