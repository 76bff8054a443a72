/** The keys of a previous member's lines, read from their bytes (a head decoded; the whole line when needed). */
import { recordOcidAt, releaseKeysAt } from '../../src/run/compile-part.js';

const line = (o: unknown): Buffer => Buffer.from(`xx${JSON.stringify(o)}yy`, 'utf8');
// (each line sits at 2..length-2 of its buffer: the spans are read, not the buffer's ends)
const keys = (o: unknown): ReturnType<typeof releaseKeysAt> => {
  const b = line(o);
  return releaseKeysAt(b, 2, b.length - 2);
};
const ocidOf = (o: unknown): string | null => {
  const b = line(o);
  return recordOcidAt(b, 2, b.length - 2);
};

test('a release line gives its ocid and id, whatever they hold and however long the line', () => {
  expect(keys({ ocid: 'ocds-1', id: 'r1', date: '2024-01-01', tag: ['award'] })).toEqual({ ocid: 'ocds-1', id: 'r1' });
  // escapes and characters past ASCII: read as JSON reads them
  expect(keys({ ocid: 'ocds-"q"\\b', id: 'é\tx', date: 'd' })).toEqual({ ocid: 'ocds-"q"\\b', id: 'é x' });
  expect(keys({ ocid: 'ocds-été-marché', id: 'r-ü', date: 'd' })).toEqual({ ocid: 'ocds-été-marché', id: 'r-ü' });
  // keys that do not end in the head decoded (2 KiB): read from the whole line
  const long = `r-${'é'.repeat(3000)}`;
  expect(keys({ ocid: 'ocds-2', id: long, date: 'd' })).toEqual({ ocid: 'ocds-2', id: long });
  const longOcid = `ocds-${'ü'.repeat(1500)}x`;
  expect(keys({ ocid: longOcid, id: 'r', date: 'd' })).toEqual({ ocid: longOcid, id: 'r' });
  // a number id is its text, as the store keys it
  expect(keys({ ocid: 'ocds-3', id: 58125 })).toEqual({ ocid: 'ocds-3', id: '58125' });
});

test('a record line gives its ocid, whatever it holds and however long', () => {
  expect(ocidOf({ ocid: 'ocds-1', releases: [] })).toBe('ocds-1');
  expect(ocidOf({ ocid: 'ocds-\\"x', releases: [] })).toBe('ocds-\\"x');
  const longOcid = `ocds-${'ß'.repeat(1100)}`;
  expect(ocidOf({ ocid: longOcid, releases: [{ id: 'x'.repeat(5000) }] })).toBe(longOcid);
});
