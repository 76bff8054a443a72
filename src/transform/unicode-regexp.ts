/**
 * Regular expressions a profile (or a rules file) gives, compiled so that `\b` and `\B` know every
 * script's letters: JavaScript's `\b` sees ASCII letters only, so `\bФОП\b` never matched `ФОП Гнатюк`
 * (found by a partners' probe: a person's name published) and `\bEI\b` saw a boundary inside `RÉI`.
 * Here a word character is a letter, a digit, a combining mark or `_`, in any script.
 */
const W = '[\\p{L}\\p{N}\\p{M}_]';
const BOUNDARY = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
const NOT_BOUNDARY = `(?:(?<=${W})(?=${W})|(?<!${W})(?!${W}))`;

/** A pattern's source with its `\b` and `\B` (outside character classes, not escaped) as Unicode-aware lookarounds. */
export function unicodeBoundaries(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const n = source[i + 1]!;
      if (!inClass && n === 'b') out += BOUNDARY;
      else if (!inClass && n === 'B') out += NOT_BOUNDARY;
      else out += c + n;
      i++;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

/** `new RegExp(source, flags)` with Unicode-aware word boundaries (flags must hold `u`). */
export function unicodeRegExp(source: string, flags: string): RegExp {
  return new RegExp(unicodeBoundaries(source), flags);
}
