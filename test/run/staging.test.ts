/** The run's staging file split for the store (narrow lines) and the compile parts (JSON spans). */
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanReader } from '../../src/core/files.js';
import { splitStaging } from '../../src/run/staging.js';
import { tempDir } from '../helpers/tmp.js';

// (the last field: the SIRENs of the release's natural persons, most often none)
const head = (k: number): string => [`sha${k % 3}`, k, k + 1, 0, `ocds-x-${k}`, `id-${k}`, '2024-01-01', 'award,contract', '2024-01-01', '2024-01-01', k % 5 === 0 ? '441891405,552100554' : ''].join('\t');

async function split(text: string): Promise<{ narrow: string[]; json: (k: number) => string; lines: number }> {
  const dir = tempDir('staging-');
  const file = join(dir, 'staged.tsv');
  writeFileSync(file, text);
  const { lines } = await splitStaging(file, join(dir, 'narrow.tsv'), join(dir, 'spans'));
  const bytes = readFileSync(join(dir, 'spans'));
  const spans = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
  const fd = openSync(file, 'r');
  const reader = new SpanReader(fd, spans);
  const texts = Array.from({ length: reader.size }, (_, k) => reader.text(k));
  closeSync(fd);
  return { narrow: readFileSync(join(dir, 'narrow.tsv'), 'utf8').split('\n').slice(0, -1), json: (k) => texts[k]!, lines };
}

test('each line: its number and description in the narrow file, its JSON read back by number, across 1 MiB chunk boundaries', async () => {
  // short lines and lines longer than a read chunk, with multi-byte characters at the edges
  const jsons = Array.from({ length: 40 }, (_, k) => JSON.stringify({ id: `id-${k}`, text: 'é€'.repeat(k % 10 === 7 ? 250_000 + k * 1_000 : k * 37) }));
  const { narrow, json, lines } = await split(jsons.map((j, k) => `${head(k)}\t${j}\n`).join(''));
  expect(lines).toBe(40);
  expect(narrow).toEqual(jsons.map((_, k) => `${k}\t${head(k)}`));
  for (let k = 0; k < 40; k++) expect(json(k)).toBe(jsons[k]);
});

test('CRLF line ends, blank lines and a last line without a line break', async () => {
  const { narrow, json, lines } = await split(`${head(0)}\t{"a":1}\r\n\n\r\n${head(1)}\t{"b":"\t"}\n${head(2)}\t{"c":3}`);
  expect(lines).toBe(3);
  expect(narrow).toEqual([`0\t${head(0)}`, `1\t${head(1)}`, `2\t${head(2)}`]);
  expect([json(0), json(1), json(2)]).toEqual(['{"a":1}', '{"b":"\t"}', '{"c":3}']);
});

test('a line with fewer fields than a staging line, or without JSON, is an internal error, not a silent loss', async () => {
  await expect(split(`${head(0)}\t{}\nsha\t1\t2\t{}\n`)).rejects.toMatchObject({ code: 'INTERNAL' });
  await expect(split(`${head(0)}\t{}\n${head(1)}\t\n`)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('line 2') });
});

test('a span outside the index is refused', () => {
  const reader = new SpanReader(-1, new Float64Array([0, 1]));
  expect(() => reader.text(1)).toThrow(RangeError);
  expect(() => reader.text(0.5)).toThrow(RangeError);
});
