import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { FirstSeen53, HashSet53 } from '../../src/core/hash-set53.js';

test('HashSet53 answers as a Set<number> does, through its growths', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })), { maxLength: 3000 }), (values) => {
      const ours = new HashSet53(16);
      const theirs = new Set<number>();
      for (const v of values) expect(ours.add(v)).toBe(!theirs.has(v) && theirs.add(v) !== undefined);
      expect(ours.size).toBe(theirs.size);
      for (const v of values) expect(ours.has(v)).toBe(true);
      for (const v of [2001, 2002, 7777]) expect(ours.has(v)).toBe(theirs.has(v));
    }),
  );
});

test('HashSet53 holds more values than a Set can (2^24)', () => {
  // in a process of its own, on the build (the test runner's module sandbox runs this loop ~7 times slower)
  const code = `import { HashSet53 } from ${JSON.stringify(join(import.meta.dirname, '../../dist/core/hash-set53.js'))};
    const s = new HashSet53();
    const n = 2 ** 24 + 1000;
    for (let v = 0; v < n; v++) s.add(v * 7919);
    console.log(JSON.stringify([s.size, s.add(7919), s.has((n - 1) * 7919), s.has(n * 7919)]));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual([2 ** 24 + 1000, false, true, false]);
});

test('HashSet53 refuses what it cannot hold', () => {
  expect(() => new HashSet53().add(-1)).toThrow(RangeError);
  expect(() => new HashSet53().add(2 ** 53)).toThrow(RangeError);
  // (2^53 + 1 would round to 2^53: never taken for the largest value)
  expect(new HashSet53().has(2 ** 53)).toBe(false);
  const top = new HashSet53();
  expect(top.add(Number.MAX_SAFE_INTEGER)).toBe(true);
  expect(top.has(Number.MAX_SAFE_INTEGER)).toBe(true);
  expect(top.has(Number.MAX_SAFE_INTEGER - 1)).toBe(false);
  expect(() => new HashSet53().add(1.5)).toThrow(RangeError);
});

test('HashSet53 spreads values that differ only in their high bits (no long probe runs)', () => {
  const s = new HashSet53(16);
  for (let k = 0; k < 20000; k++) s.add(k * 2 ** 20);
  let found = 0;
  for (let k = 0; k < 20000; k++) if (s.has(k * 2 ** 20)) found++;
  expect(found).toBe(20000);
  expect(s.size).toBe(20000);
  // no long run of occupied slots (a lookup probes at most its length): values that collided made one
  // run of thousands; a good spread keeps it to tens at this load (counted, not timed: shared machines)
  expect(s.longestRun()).toBeLessThan(64);
});

test('FirstSeen53 answers as a Map<number, number> keeping each key\'s first datum does, through its growths', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })), fc.integer({ min: 0, max: 2 ** 40 })), { maxLength: 2000 }), (pairs) => {
      const ours = new FirstSeen53(16);
      const theirs = new Map<number, number>();
      for (const [k, d] of pairs) {
        expect(ours.see(k, d)).toBe(theirs.get(k));
        if (!theirs.has(k)) theirs.set(k, d);
      }
      expect(ours.size).toBe(theirs.size);
      for (const [k, d] of theirs) {
        expect(ours.has(k)).toBe(true);
        expect(ours.see(k, -1)).toBe(d);
      }
    }),
  );
});
