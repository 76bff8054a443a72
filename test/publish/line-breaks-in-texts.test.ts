/**
 * Texts that hold a carriage return (`"objet": "…\r\n…"`, a name ending in `\r`) reach the store's
 * CSV staging files quoted, line breaks and all. DuckDB's read_csv, left to guess the files' line
 * ends, took them from the first line break it met: a `\r\n` inside a quoted title, and the whole
 * run stopped at the store (PUBLISH_STORE, exit 4) over one record's text (found by a CSV probe;
 * any DECP JSON record whose text has a Windows line break did the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { storeRows } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';

test('a DECP record whose texts hold \\r\\n or a lone \\r is published with them, and the run completes', async () => {
  const dir = tempDir('decp-ocds-crlf-');
  const src = JSON.parse(readFileSync(join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-daily-13.json'), 'utf8')) as { marches: { marche: Array<Record<string, unknown>> } };
  const records = src.marches.marche.slice(0, 3);
  // the first record's title: the first line break of every table file that holds it
  records[0]!['objet'] = 'Fourniture de surblouses\r\njetables';
  records[1]!['objet'] = 'Travaux de voirie\rtranche 2';
  const input = join(dir, 'crlf.json');
  writeFileSync(input, JSON.stringify({ marches: { marche: records } }));
  const out = join(dir, 'out');
  const r = await runCli(['run', input, '--out', out, '--quiet']);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.not.stringContaining('PUBLISH_STORE') as unknown });
  const titles = (await storeRows<{ title: string }>(join(out, 'decp.duckdb'), 'SELECT title FROM awards ORDER BY title')).map((x) => x.title);
  expect(titles).toEqual(expect.arrayContaining(['Fourniture de surblouses\r\njetables', 'Travaux de voirie\rtranche 2']));
  expect(titles).toHaveLength(3);
  // the same text as the published release's
  const released = gunzipSync(readFileSync(join(out, 'ocds/releases.jsonl.gz'))).toString('utf8');
  expect(released).toContain(JSON.stringify('Fourniture de surblouses\r\njetables'));
});
