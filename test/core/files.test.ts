import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { LineSplitter, readLines } from '../../src/core/files.js';
import { tempDir } from '../helpers/tmp.js';

const read = async (text: string | Buffer): Promise<string[]> => {
  const file = join(tempDir('read-lines-'), 'f.txt');
  writeFileSync(file, text);
  const out: string[] = [];
  for await (const l of readLines(file)) out.push(l);
  return out;
};

describe('readLines', () => {
  test.each([
    ['a\r\n\nb\nccc\r\nlast', ['a', 'b', 'ccc', 'last']],
    ['x\n', ['x']],
    ['', []],
    ['\n\n', []],
    ['é\r', ['é']],
  ])('%j', async (text, want) => expect(await read(text)).toEqual(want));

  test('lines and multi-byte characters across the 1 MiB reads are whole', async () => {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 3.5 * (1 << 20); i++) {
      const l = `${i} ${'é😀ab'.repeat(i % 977)} fin`;
      lines.push(l);
      size += Buffer.byteLength(l) + 1;
    }
    expect(await read(`${lines.join('\n')}\n`)).toEqual(lines);
  });
});

describe('LineSplitter', () => {
  /** The lines of a whole buffer and their offsets, the simple way. */
  const reference = (bytes: Buffer): Array<[string, number]> => {
    const out: Array<[string, number]> = [];
    let start = 0;
    while (start < bytes.length) {
      let nl = bytes.indexOf(0x0a, start);
      if (nl < 0) nl = bytes.length;
      let end = nl;
      if (end > start && bytes[end - 1] === 0x0d) end--;
      if (end > start) out.push([bytes.toString('utf8', start, end), start]);
      start = nl + 1;
    }
    return out;
  };
  test('any chunking gives the lines and offsets of the whole (CRLF, lone CR, blank lines, multi-byte, lines over many chunks)', () => {
    const piece = fc.constantFrom('a', 'é', '😀', '\r', '\n', '\r\n', '\n\n', 'xyz'.repeat(20));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (pieces, sizes) => {
        const bytes = Buffer.from(pieces.join(''), 'utf8');
        const got: Array<[string, number]> = [];
        const splitter = new LineSplitter();
        const take = (buf: Buffer, start: number, end: number, at: number): void => void got.push([buf.toString('utf8', start, end), at]);
        for (let at = 0, k = 0; at < bytes.length; k++) {
          const size = sizes[k % sizes.length]!;
          splitter.push(bytes.subarray(at, at + size), take);
          at += size;
        }
        splitter.end(take);
        expect(got).toEqual(reference(bytes));
      }),
      { numRuns: 3000 },
    );
  });
});
