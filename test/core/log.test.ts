import { oneLine } from '../../src/core/log.js';

test('a log line is one line, and no control character reaches the terminal (ESC, BEL: written as escapes)', () => {
  expect(oneLine('a\nb\r\nc\td\u2028e')).toBe('a b c d e');
  expect(oneLine('file a\u001b[2J\u001b]0;pwned\u0007.json')).toBe('file a\\u001b[2J\\u001b]0;pwned\\u0007.json');
  expect(oneLine('\u009b31m \u007f')).toBe('\\u009b31m \\u007f');
  // what is not a control character is left as it is
  expect(oneLine('Société « Générale » — 5 € 😀')).toBe('Société « Générale » — 5 € 😀');
});
