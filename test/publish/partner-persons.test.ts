/**
 * The nightly job publishes no natural person of a partner's OCDS data (RGPD), across the releases of
 * one process: DNCP names a supplier without identifier in its award release and identifies it as a
 * person (a RUC that is an identity card's) in its contract release, one file each.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

test('run: DNCP\'s natural-person supplier is named nowhere in ocds/ or the store; the company beside it is', async () => {
  const input = join(SHARED, 'partners/paraguay-dncp/releases-284182');
  const out = join(tempDir('partner-persons-'), 'out');
  const r = await runCli(['run', input, '--out', out, '--quiet']);
  expect(r.code).toBe(0);
  for (const f of ['releases', 'records']) {
    const text = gunzipSync(readFileSync(join(out, `ocds/${f}.jsonl.gz`))).toString('utf8');
    expect(text).not.toContain('JUAN RODRIGUEZ');
    expect(text).toContain('EMPORIO FERRETERIA S.R.L.');
    // its identifier stays
    expect(text).toContain('2514872-9');
  }
  const db = await DuckDBInstance.create(join(out, 'decp.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    const names = (await conn.runAndReadAll('SELECT name FROM parties ORDER BY name')).getRows().map((x) => x[0]);
    expect(names).toContain('EMPORIO FERRETERIA S.R.L.');
    expect(names.join('|')).not.toMatch(/RODRIGUEZ/i);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});

test('run: a partner\'s release that carries an x_decp key (whatever its origin) is protected as convert protects it (found by a review)', async () => {
  const dir = tempDir('partner-persons-x-');
  const source = JSON.parse(readFileSync(join(SHARED, 'partners/paraguay-dncp/releases-284182/284182-juan-rodriguez-1-3-contract.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'contract.json'), JSON.stringify({ ...source, x_decp: {} }));
  const out = join(dir, 'out');
  const r = await runCli(['run', join(dir, 'contract.json'), '--out', out, '--quiet']);
  expect(r.code).toBe(0);
  const text = gunzipSync(readFileSync(join(out, 'ocds/releases.jsonl.gz'))).toString('utf8');
  expect(text).toContain('2514872-9');
  expect(text).not.toContain('JUAN RODRIGUEZ');
});

test('compile: a partner\'s raw files compiled are protected across the releases of a process, as run protects them (found by a partners probe: the name was in 13 places of the records)', async () => {
  const input = join(SHARED, 'partners/paraguay-dncp');
  for (const concurrency of ['1', '2']) {
    const r = await runCli(['compile', input, '--quiet', '--concurrency', concurrency]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('JUAN RODRIGUEZ');
    expect(r.stdout).not.toMatch(/"(?:name|legalName)":"[^"]*RODRIGUEZ/);
    expect(r.stdout).toContain('EMPORIO FERRETERIA S.R.L.');
    expect(r.stdout).toContain('2514872-9');
  }
});
