import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '../../src/core/files.js';
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
