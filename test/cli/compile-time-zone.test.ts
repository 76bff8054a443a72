/** `decp-ocds compile`: what dates decide does not depend on the machine's time zone. */
import { execFileSync } from 'node:child_process';

const BIN = new URL('../../bin/decp-ocds.js', import.meta.url).pathname;

test('of one release id given twice, the later publication wins on every machine: a date-time without its zone is UTC, as the merge and the store read it', () => {
  // the same release id published twice by a partner (no x_decp: each release its own publication):
  // at 10:30 without a zone (10:30 UTC), then at 11:00+01:00 (10:00 UTC): the first is the later one
  // (Date.parse read the first in the machine's zone: 01:30 UTC in Tokyo, and the second won there)
  const first = { ocid: 'ocds-abcdef-1', id: 'r1', date: '2024-03-01T10:30:00', tag: ['tender'], tender: { id: 't', title: 'published at 10:30 UTC' } };
  const second = { ocid: 'ocds-abcdef-1', id: 'r1', date: '2024-03-01T11:00:00+01:00', tag: ['tender'], tender: { id: 't', title: 'published at 10:00 UTC' } };
  const input = `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`;
  // (the machine's zone is the process's: a child process per zone — jest's sandbox does not pass process.env.TZ on to the clock)
  for (const tz of ['UTC', 'Europe/Paris', 'America/Bogota', 'Asia/Tokyo']) {
    const out = execFileSync(process.execPath, [BIN, 'compile', '-', '--quiet'], { input, env: { ...process.env, TZ: tz }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
    const record = JSON.parse(out.trim()) as { compiledRelease: { tender: { title: string } } };
    expect([tz, record.compiledRelease.tender.title]).toEqual([tz, 'published at 10:30 UTC']);
  }
});
