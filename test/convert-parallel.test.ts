import { jobsOf } from '../src/convert-parallel.js';
import type { ExpandedInput } from '../src/ingest/source.js';

const files = (n: number): ExpandedInput[] => Array.from({ length: n }, (_, i) => ({ display: `f${i}`, path: `/in/f${i}` }));
const names = (jobs: ExpandedInput[][]): string[][] => jobs.map((j) => j.map((f) => f.display));
const MiB = 1024 * 1024;

test('small files are gathered into jobs of consecutive files, in input order, none lost or repeated', () => {
  const list = files(3000);
  const jobs = jobsOf(list, list.map(() => 12_000), 2);
  expect(jobs.flat()).toEqual(list);
  // 36 MB over two workers: jobs of at most a quarter of a worker's share, so at least 8 of them
  expect(jobs.length).toBeGreaterThanOrEqual(8);
  expect(jobs.length).toBeLessThan(100);
  expect(Math.max(...jobs.map((j) => j.length))).toBeLessThanOrEqual(256);
});

test('a large file is a job of its own; the small files around it are gathered', () => {
  const sizes = [10, 10, 300 * MiB, 10, 10, 200 * MiB];
  expect(names(jobsOf(files(6), sizes, 2))).toEqual([['f0', 'f1'], ['f2'], ['f3', 'f4'], ['f5']]);
});

test('at most 256 files a job, whatever their size (empty files too)', () => {
  const jobs = jobsOf(files(600), new Array<number>(600).fill(0), 2);
  expect(jobs.map((j) => j.length)).toEqual([256, 256, 88]);
});

test('a few files share the work between the workers: a job each when they are about the same size', () => {
  expect(names(jobsOf(files(4), [250 * MiB, 250 * MiB, 250 * MiB, 250 * MiB], 2))).toEqual([['f0'], ['f1'], ['f2'], ['f3']]);
  expect(names(jobsOf(files(2), [1000, 1000], 2))).toEqual([['f0'], ['f1']]);
  expect(jobsOf([], [], 2)).toEqual([]);
});
