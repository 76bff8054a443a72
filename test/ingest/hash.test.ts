/** The hashing pass (two buffers, reads overlapping the hash) gives the file's SHA-256 whatever its size. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile } from '../../src/ingest/source.js';
import { tempDir } from '../helpers/tmp.js';

test.each([0, 1, 4 * 1024 * 1024 - 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1, 9 * 1024 * 1024 + 77])('a file of %i bytes', async (size) => {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 2654435761) >>> 24;
  const path = join(tempDir('decp-ocds-hash-'), 'f.bin');
  writeFileSync(path, bytes);
  expect(await hashFile(path)).toBe(createHash('sha256').update(bytes).digest('hex'));
});

test('a folder or a missing file is an error (the reader reports the file as unreadable)', async () => {
  await expect(hashFile(tempDir('decp-ocds-hash-'))).rejects.toThrow();
  await expect(hashFile('/nonexistent/file.json')).rejects.toThrow();
});
