/** The progress bar on a terminal and the log lines written while it is drawn (core/progress.ts, core/log.ts). */
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/core/log.js';
import { createProgress, readWatch } from '../../src/core/progress.js';

/** What a terminal shows for each line: the text after the last "clear line" of each. */
const visible = (written: string): string[] => written.split('\n').map((l) => l.split('\x1b[2K').at(-1)!.replace(/\r/g, ''));

test('a log line clears the bar first, then the bar is drawn again below it; none after done()', () => {
  const stream = new PassThrough();
  let written = '';
  stream.on('data', (d: Buffer) => (written += d.toString()));
  let t = 0;
  const progress = createProgress(stream, true, true, () => (t += 1000))!;
  const log = createLogger({ write: (text: string) => progress.print(text) }, 'json', false, () => new Date('2026-01-02T03:04:05Z'));
  progress.start(2);
  progress.file(3);
  log.info('first file read');
  progress.file(4);
  log.warn('second file read');
  progress.done();
  log.info('after');
  progress.done();
  const lines = visible(written);
  // every line a log collector (or a person) reads is one whole JSON object; the bar is gone at the end
  expect(lines.slice(0, -1).map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['first file read', 'second file read', 'after']);
  expect(lines.at(-1)).toBe('');
  // the bar was drawn again after each line while the run went on
  expect(written.split('\n')[1]).toMatch(/^files 1\/2 · 3 records/);
});

test('without a terminal there is no bar: log lines are written as they are', () => {
  expect(createProgress(new PassThrough(), false, true)).toBeUndefined();
  expect(createProgress(new PassThrough(), true, false)).toBeUndefined();
});

test('records read inside a file are drawn at most five times a second; a stage after reading shows its own count and ETA', () => {
  const stream = new PassThrough();
  let written = '';
  stream.on('data', (d: Buffer) => (written += d.toString()));
  let t = 0;
  const progress = createProgress(stream, true, true, () => t)!;
  progress.start(1);
  const draws = (): number => written.split('\x1b[2K').length - 1;
  const before = draws();
  for (let k = 0; k < 10; k++) progress.read(100);
  // ten batches at the instant the bar was drawn: not drawn again
  expect(draws()).toBe(before);
  t += 250;
  progress.read(1);
  expect(written.split('\x1b[2K').at(-1)).toMatch(/^files 0\/1 · 1,001 records · 4,004 rec\/s$/);
  progress.file(0);
  t += 1000;
  progress.step('compiling: bucket', 0, 4);
  t += 2000;
  progress.step('compiling: bucket', 1, 4);
  // one bucket in 2 s: three more in 6 s
  expect(written.split('\x1b[2K').at(-1)).toBe('compiling: bucket 1/4 · 1,001 records · ETA 6s');
  progress.done();
});

test('readWatch counts the records of each batch, and a file when it ends', () => {
  const seen: string[] = [];
  const fake = { start: (n: number) => seen.push(`start ${n}`), file: (n: number) => seen.push(`file ${n}`), read: (n: number) => seen.push(`read ${n}`), step: () => undefined, done: () => undefined, print: () => undefined };
  const w = readWatch(fake)!;
  w.files(2);
  w.batch([{ type: 'file-start' }, { type: 'record' }, { type: 'reject' }]);
  w.batch([{ type: 'release-text' }, { type: 'file-end' }, { type: 'file-start' }, { type: 'record' }]);
  w.file(7);
  expect(seen).toEqual(['start 2', 'read 2', 'file 1', 'read 1', 'file 7']);
  expect(readWatch(undefined)).toBeUndefined();
});
