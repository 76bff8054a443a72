/**
 * The store's SQL and the transform agree on a party's legal unit (SIREN): publish/sql-parts.ts
 * sirenOf against transform/identifiers.ts sirenOfPartyId, on written cases and on generated ids of
 * every length a mistyped SIRET has.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { sirenOf } from '../../src/publish/sql-parts.js';
import { sirenOfPartyId } from '../../src/transform/identifiers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const CASES: ReadonlyArray<readonly [string, string | null]> = [
  ['FR-RCS-32409588400056', '324095884'],
  // a digit too many in the establishment's number: its first nine digits pass the SIREN's key
  ['FR-RCS-324095884000056', '324095884'],
  ['FR-RCS-614500585', '614500585'],
  ['FR-RCS-614500585000', '614500585'],
  // a digit lost: the first nine still name the legal unit
  ['FR-RCS-8026849690001', '802684969'],
  // first nine digits that fail the SIREN's key name no legal unit
  ['FR-RCS-1234567890123', null],
  ['FR-RCS-12345678', null],
  ['FR-RCS-1234567890123456', null],
  ['FR-RCS-ABC', null],
  ['FR-RCS-80268496900O16', null],
  ['FR-DECP-TVA-FR40303265045', '303265045'],
  ['FR-DECP-TVA-FR41303265045', null],
  ['XX-FOREIGN-1', null],
];

/** `digits` and the digit after them that makes the Luhn key pass. */
function withKey(digits: string): string {
  for (let d = 0; d < 10; d++) {
    const s = `${digits}${d}`;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = s.charCodeAt(s.length - 1 - i) - 48;
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

test('the SQL sirenOf and sirenOfPartyId give the same legal unit for every id', async () => {
  // the written cases' expectations hold in TypeScript first
  // a SIRET whose leading zero a JSON number dropped: both keys pass once it is put back
  const siren = withKey('05420021');
  const cases = [...CASES, [`FR-RCS-${withKey(`${siren}0001`).slice(1)}`, siren] as const];
  for (const [id, siren] of cases) expect([id, sirenOfPartyId(id)]).toEqual([id, siren]);
  // generated: ids of 9 to 16 digits (a seeded generator: the same ids on every run)
  let seed = 7;
  const next = (): number => Math.floor((seed = (seed * 1103515245 + 12345) % 2147483648) / 65536);
  const ids: string[] = cases.map(([id]) => id);
  for (let k = 0; k < 2000; k++) {
    const n = 9 + (next() % 8);
    let d = '';
    for (let i = 0; i < n; i++) d += String(next() % 10);
    ids.push(`FR-RCS-${d}`);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run('CREATE TABLE ids (id VARCHAR)');
    const appender = await conn.createAppender('ids');
    for (const id of ids) {
      appender.appendVarchar(id);
      appender.endRow();
    }
    appender.closeSync();
    const reader = await conn.runAndReadAll(`SELECT id, ${sirenOf('id')} AS siren FROM ids`);
    const sql = reader.getRowObjects().map((r) => [r['id'], r['siren'] ?? null]);
    expect(sql).toEqual(ids.map((id) => [id, sirenOfPartyId(id)]));
    // (some generated ids of each rule: the comparison covers them all)
    expect(sql.filter(([id, s]) => s !== null && String(id).length !== 7 + 9 && String(id).length !== 7 + 14).length).toBeGreaterThan(50);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

test("the docs' examples of a mistyped SIRET's legal unit are what sirenOfPartyId gives, and the README says how a legal unit is named once (a review: the leading-zero example named another SIREN, and the README's sentence was written twice)", () => {
  const comment = readFileSync(join(ROOT, 'src/transform/identifiers.ts'), 'utf8');
  const examples = [...comment.matchAll(/\(`(\d{10,15})`: (\d{9});/g)].map((m) => [m[1]!, m[2]!]);
  expect(examples.length).toBeGreaterThan(0);
  for (const [digits, siren] of examples) expect([digits, sirenOfPartyId(`FR-RCS-${digits}`)]).toEqual([digits, siren]);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  expect(readme.split('else the party id, named by the name its parties give most often').length - 1).toBe(1);
  expect(readme).toContain('else the party id, named by the name its parties give most often (view `party_unit_names`: `unit`, `name`)');
});
