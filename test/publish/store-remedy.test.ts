/**
 * A failure of the store says what an operator can do about it, by DuckDB's own message (a full disk
 * met by a checkpoint gave `PUBLISH_STORE: the store failed on "CHECKPOINT…": FATAL Error: …` and no
 * remedy: found by an operator's probe).
 */
import { storeRemedy } from '../../src/publish/store.js';

test.each([
  ['FATAL Error: Failed: database has been invalidated because of a previous fatal error. The database must be restarted prior to being used again. Original error: "Could not write file "/srv/out/.staging-1/decp.duckdb": No space left on device"', /free disk space in the output folder/],
  ['IO Error: Could not write file "/srv/out/.staging-1/duckdb-tmp/duckdb_temp_storage-0.tmp": No space left on device', /free disk space/],
  ['IO Error: Cannot open file "/srv/out/.staging-1/decp.duckdb": Permission denied', /give the output folder/],
  // DuckDB's temporary directory full (its default limit is the disk's free space): the disk's, not memory's
  ["Out of Memory Error: failed to offload data block of size 34.7 MiB (187.3 GiB/187.3 GiB used).\nThis limit was set by the 'max_temp_directory_size' setting.\nBy default, this setting utilizes the available disk space on the drive where the 'temp_directory' is located.", /free disk space in the output folder/],
  ['Out of Memory Error: failed to allocate data of size 256.0 MiB (1.0 GiB/1.0 GiB used)', /raise --memory-limit/],
])('%s', (message, remedy) => {
  expect(storeRemedy(message)).toMatch(remedy);
});

test('a failure that is no operator\'s to mend has no remedy (a bug to report)', () => {
  expect(storeRemedy('Binder Error: Referenced column "x" not found in FROM clause!')).toBeUndefined();
});
