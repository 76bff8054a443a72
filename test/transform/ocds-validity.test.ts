/**
 * Acceptance: every release converted from ../shared/decp/samples (and the
 * bundled demo data) is valid against the OFFICIAL OCDS 1.1.5 release schema
 * with the declared extensions applied; converted + rejected = read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from '../helpers/convert.js';
import { SHARED } from '../helpers/ingest.js';
import { officialValidator } from '../helpers/official-ocds.js';

const DEMO = new URL('../../fixtures/demo/', import.meta.url).pathname;
const X_DECP = JSON.parse(readFileSync(new URL('../../schemas/x_decp/release-schema.json', import.meta.url), 'utf8')) as unknown;

describe('releases from the real samples', () => {
  const validate = officialValidator();
  const withLocal = officialValidator([X_DECP]);
  let result: Awaited<ReturnType<typeof convertAll>>;
  beforeAll(async () => {
    result = await convertAll([join(SHARED, 'decp/samples'), DEMO]);
  });

  test('every record is accounted for', () => {
    expect(result.counts.read).toBe(6007 + 15);
    expect(result.counts.converted + result.counts.rejected).toBe(result.counts.read);
    // nothing is rejected: the 33 Croix records with id "" are contracts of their own (ID_MISSING)
    expect(result.rejects).toEqual([]);
    expect(result.counts.rejected).toBe(0);
  });

  test('every release is valid OCDS 1.1.5 with the declared extensions (and with our local extension)', () => {
    const invalid: string[] = [];
    for (const r of result.releases) {
      const v = validate(r);
      if (!v.valid) invalid.push(`${String(r['id'])}: ${v.errors.slice(0, 3).join('; ')}`);
      const w = withLocal(r);
      if (!w.valid) invalid.push(`${String(r['id'])} (x_decp): ${w.errors.slice(0, 3).join('; ')}`);
    }
    expect(invalid.slice(0, 20)).toEqual([]);
    expect(result.releases.length).toBeGreaterThan(result.counts.converted);
  });

  test('each kind of release is produced', () => {
    const tags = new Set(result.releases.map((r) => (r['tag'] as string[]).join(',')));
    expect(tags).toEqual(new Set(['award,contract', 'contractAmendment', 'implementation', 'awardUpdate']));
  });
});
