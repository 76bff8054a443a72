import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineBuffer } from '../../src/core/line-buffer.js';
import { openLineWriter } from '../../src/publish/jsonl-writer.js';
import { tempDir } from '../helpers/tmp.js';

const lines = ['{"a":"é"}', '', 'plain', '{"emoji":"😀 𝄞"}', 'x'.repeat(5000), 'ü'.repeat(3000), '\u20ac end'];
const expected = Buffer.from(`${lines.join('\n')}\n`, 'utf8');

describe('LineBuffer', () => {
  test('encodes lines as UTF-8 with a line break after each, growing past its size', () => {
    const b = new LineBuffer(16); // every line above overflows the starting size
    for (const l of lines) b.push(l);
    expect(b.length).toBe(expected.length);
    expect(b.view().equals(expected)).toBe(true);
  });

  test('a line built from texts and byte ranges (add, addBytes, endLine) is the same UTF-8 as one push', () => {
    const src = Buffer.from('xx{"é":"😀"}yy', 'utf8');
    const b = new LineBuffer(8); // grown while the line is built
    b.add('{"ocid":"é","releases":[');
    b.addBytes(src, 2, src.length - 2);
    b.add(',');
    b.addBytes(src, 2, src.length - 2);
    b.add(`],"long":"${'ü'.repeat(50)}"}`);
    b.endLine();
    b.push('next');
    expect(b.view().toString('utf8')).toBe(`{"ocid":"é","releases":[{"é":"😀"},{"é":"😀"}],"long":"${'ü'.repeat(50)}"}\nnext\n`);
  });

  test('take gives a copy and empties; clear keeps working after a huge line', () => {
    const b = new LineBuffer(64);
    b.push('first');
    const taken = b.take();
    b.push('second'); // would overwrite a view, not a copy
    expect(taken.toString('utf8')).toBe('first\n');
    expect(b.view().toString('utf8')).toBe('second\n');
    b.clear();
    b.push('y'.repeat(10_000));
    b.clear();
    expect(b.length).toBe(0);
    b.push('après');
    expect(b.view().toString('utf8')).toBe('après\n');
  });

  test('a buffer told to keep its size is not shrunk (and so not regrown) after a large fill', () => {
    for (const keep of [false, true]) {
      const b = new LineBuffer(64, keep);
      b.push('z'.repeat(10_000));
      const grown = b.view().buffer;
      b.clear();
      b.push('again');
      expect(b.view().buffer === grown).toBe(keep);
      expect(b.view().toString('utf8')).toBe('again\n');
    }
  });

  test('a buffer told the largest size it keeps keeps a fill up to it, and shrinks back after a larger one', () => {
    const b = new LineBuffer(64, 40_000);
    b.push('z'.repeat(10_000));
    const grown = b.view().buffer;
    b.clear();
    b.push('again');
    expect(b.view().buffer === grown).toBe(true);
    b.push('w'.repeat(50_000));
    const huge = b.view().buffer;
    expect(huge.byteLength).toBeGreaterThan(40_000);
    b.clear();
    b.push('small');
    expect(b.view().buffer === huge).toBe(false);
    expect(b.view().toString('utf8')).toBe('small\n');
  });

  test('swap hands the bytes over without a copy and goes on in the memory given, if large enough, else in fresh memory', () => {
    const b = new LineBuffer(64);
    b.push('first');
    const given = Buffer.alloc(128);
    const first = b.swap(given);
    expect(first.toString('utf8')).toBe('first\n');
    b.push('second');
    // the lines go on in `given`; the bytes handed over are untouched
    expect(b.view().buffer === given.buffer).toBe(true);
    expect(given.subarray(0, 7).toString('utf8')).toBe('second\n');
    expect(first.toString('utf8')).toBe('first\n');
    const second = b.swap(Buffer.alloc(8)); // too small: fresh memory
    expect(second.buffer === given.buffer).toBe(true);
    b.push('third');
    expect(b.view().buffer === given.buffer).toBe(false);
    expect(b.view().toString('utf8')).toBe('third\n');
    // null: no more lines meant; one added anyway still fits (the buffer grows from nothing)
    expect(b.swap(null).toString('utf8')).toBe('third\n');
    expect(b.length).toBe(0);
    b.push('fourth');
    expect(b.view().toString('utf8')).toBe('fourth\n');
    // memory to start in, when large enough
    const start = Buffer.alloc(64);
    const c = new LineBuffer(64, false, start);
    c.push('x');
    expect(c.view().buffer === start.buffer).toBe(true);
  });

  test('a line writer written through is done with each chunk once its promise settles: the chunk may be changed then', async () => {
    const dir = tempDir('line-writer-');
    const w = await openLineWriter(join(dir, 'out.jsonl'), process.stdout);
    const chunk = Buffer.alloc(3 << 20);
    const parts: string[] = [];
    for (let k = 0; k < 5; k++) {
      chunk.fill(0x61 + k, 0, chunk.length - 1);
      chunk[chunk.length - 1] = 0x0a;
      await w.write(`line ${k}`);
      await w.writeBytesThrough(chunk);
      parts.push(`line ${k}\n`, `${String.fromCharCode(0x61 + k).repeat(chunk.length - 1)}\n`);
    }
    await w.commit();
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe(parts.join(''));
  });

  test('a line writer gives the same bytes whatever the flush boundaries', async () => {
    const dir = tempDir('line-writer-');
    const many: string[] = [];
    for (let i = 0; i < 3000; i++) many.push(JSON.stringify({ i, t: `réf ${i} ${'é'.repeat(i % 200)} 😀` }));
    const w = await openLineWriter(join(dir, 'out.jsonl'), process.stdout);
    for (const [k, l] of many.entries()) {
      await w.write(l);
      if (k === 1500) await w.writeBytes(Buffer.from('{"bytes":true}\n'));
    }
    await w.commit();
    const want = [...many.slice(0, 1501), '{"bytes":true}', ...many.slice(1501)].join('\n') + '\n';
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe(want);
  });
});
