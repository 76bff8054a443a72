/**
 * A folder's file whose name is not UTF-8 (Latin-1 `donnés.json` from a Windows zip): Node lists it
 * with U+FFFD in place of its bytes, a name no file has, so it cannot be opened by it. Found by a
 * probe: the operator read "no such file" for a file `ls` shows. The line now says why and what to do;
 * the folder's other files are read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

const SAMPLE = readFileSync(join(SHARED, 'decp/samples/2019-json/marches-securises_ville-de-croix_2019-2021.json'));
const WHY = 'a name that is not UTF-8, read with U+FFFD in place of its bytes: rename the file in UTF-8';

/** A folder with a file named in Latin-1 (`donn\xe9es.json`), and one named in UTF-8 when `ok`. */
function folder(ok: boolean): string {
  const dir = tempDir('decp-ocds-names-');
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/donn`), Buffer.from([0xe9]), Buffer.from('es.json')]), SAMPLE);
  if (ok) writeFileSync(join(dir, 'données.json'), SAMPLE);
  return dir;
}

test('a file named in Latin-1 beside another: the other is read, the line says why the first is not', async () => {
  const dir = folder(true);
  const r = await runCli(['convert', dir, '-o', join(tempDir('decp-ocds-names-out-'), 'out.jsonl')]);
  expect(r.stderr).toContain(`no such file: ${dir}/donn\ufffdes.json (${WHY}`);
  expect(r.stderr).toContain('159 records read: 159 converted');
  expect(r.code).toBe(3);
});

test('a folder holding only such a file: run stops with the one line that says why, nothing written', async () => {
  const dir = folder(false);
  const r = await runCli(['run', dir, '-o', join(dir, 'out')]);
  expect(r.code).toBe(3);
  expect(r.stderr.trim().split('\n').filter((l) => l.includes('INGEST_NOT_FOUND'))).toEqual([expect.stringContaining(WHY)]);
});
