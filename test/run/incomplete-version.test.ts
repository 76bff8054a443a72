/**
 * Which new version of a path read before `run` keeps out (a failed download), and which replaces
 * the version before (a correction, a feed that grows).
 */
import { incompleteVersion } from '../../src/run-job.js';

const cut = { code: 'INGEST_SYNTAX', message: 'the document ends before its root <marches> closes: the file is cut short', fatal: false };

test('kept out: nothing converts where the version before had records; stopped early or cut inside a record with fewer records', () => {
  expect(incompleteVersion(10, { read: 0 }, 0, false)).toMatch(/^it holds no record/);
  expect(incompleteVersion(10, { read: 3 }, 0, false)).toMatch(/^none of its 3 record\(s\) converts/);
  expect(incompleteVersion(10, { read: 6, error: cut }, 6, false)).toMatch(/^its reading stopped early \(INGEST_SYNTAX: .*\), 6 record\(s\) converted, the version before 10/);
  expect(incompleteVersion(10, { read: 5 }, 4, true)).toMatch(/^it ends inside a record \(cut short\), 4 record/);
  // a gzip whose CRC fails: its bytes are not the ones compressed, however many records it gives (found by a probe: it replaced the good version, exit 0)
  const crc = { code: 'INGEST_GZIP', message: 'corrupt gzip data in feed.json.gz: incorrect data check', fatal: false };
  expect(incompleteVersion(10, { read: 10, error: crc }, 10, false)).toMatch(/^its gzip data fails its integrity check/);
  expect(incompleteVersion(undefined, { read: 10, error: crc }, 10, false)).toBeNull();
});

test('replaces: a first version whatever it holds; a correction read to its end; a version cut short that still holds as many records or more', () => {
  expect(incompleteVersion(undefined, { read: 0 }, 0, false)).toBeNull();
  expect(incompleteVersion(0, { read: 0 }, 0, false)).toBeNull();
  expect(incompleteVersion(10, { read: 9 }, 9, false)).toBeNull();
  expect(incompleteVersion(10, { read: 12, error: cut }, 11, true)).toBeNull();
  expect(incompleteVersion(10, { read: 11 }, 10, true)).toBeNull();
});
