/**
 * OCDS 1.0 data is merged as 1.0 says: our rules for it (our schema with OCDS_1_0_MERGE_PATCH) agree
 * with the rules of the official 1.0.3 release schema (in ../shared, never copied), and the reference
 * implementation's 1.0 fixtures pass through the CLI when wrapped in a package that says 1.0 (or
 * says no version, as 1.0 packages did).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeRulesFromSchema } from '../../../src/transform/compile/merge.js';
import { releaseSchemaForOcds10, releaseSchemaWithoutLocalExtension } from '../../../src/validate/schema-store.js';
import { runCli } from '../../helpers/cli.js';
import { SHARED } from '../../helpers/ingest.js';
import { tempDir } from '../../helpers/tmp.js';

const BASE = join(SHARED, 'conformance/ocdsmerge');
type J = Record<string, unknown>;
const read = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));

test('our OCDS 1.0 rules are those of the official 1.0.3 schema, for every field 1.0 has (ocid aside: compile reads it from the releases)', async () => {
  const official = mergeRulesFromSchema(read(join(BASE, 'release-schema-1__0__3.json')));
  const ours = mergeRulesFromSchema(await releaseSchemaForOcds10());
  const plain = mergeRulesFromSchema(await releaseSchemaWithoutLocalExtension());
  const differ = [...official].filter(([k, v]) => k !== 'ocid' && JSON.stringify(ours.get(k)) !== JSON.stringify(v)).map(([k]) => k);
  expect(differ).toEqual([]);
  // and what 1.0 changes is what makes 1.1 data merge otherwise: lists of organizations without ids
  expect([...official].filter(([k, v]) => k !== 'ocid' && JSON.stringify(plain.get(k)) !== JSON.stringify(v)).map(([k]) => k).sort()).toEqual(['awards.suppliers', 'tender.tenderers']);
});

test("OCDS 1.0's mergeStrategy is read as 1.1's flags: ocdsOmit omits, ocdsVersion on a list merges it whole (even a list of objects with ids)", () => {
  const rules = mergeRulesFromSchema({
    properties: {
      id: { type: 'string', mergeStrategy: 'ocdsOmit' },
      codes: { type: 'array', mergeStrategy: 'ocdsVersion', items: { type: 'object', properties: { id: { type: 'string' } } } },
      keyed: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
    },
  });
  expect([...rules]).toEqual([
    ['id', 'omit'],
    ['codes', 'whole'],
  ]);
  // the official 1.0.3 schema's lists of objects with ids that it merges whole so
  const official = mergeRulesFromSchema(read(join(BASE, 'release-schema-1__0__3.json')));
  expect(['buyer.additionalIdentifiers', 'tender.items.additionalClassifications'].map((p) => official.get(p))).toEqual(['whole', 'whole']);
});

test.each(readdirSync(join(BASE, '1.0')).filter((f) => f.endsWith('-compiled.json')).map((f) => f.replace('-compiled.json', '')))(
  "the reference's 1.0 fixture %s passes through `compile`, in a 1.0 package and in one without version",
  async (name) => {
    const releases = read(join(BASE, '1.0', `${name}.json`)) as J[];
    const dir = tempDir('decp-ocds-ocds10-');
    for (const [file, version] of [['with-version.json', { version: '1.0' }], ['without-version.json', {}]] as const) {
      writeFileSync(join(dir, file), JSON.stringify({ uri: 'https://example.org/p.json', publishedDate: '2014-01-03T00:00:00Z', publisher: { name: 'x' }, ...version, releases }));
      const r = await runCli(['compile', join(dir, file), '--versioned', '--quiet']);
      expect(r.code).toBe(0);
      const [rec] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as J);
      expect(rec!['compiledRelease']).toEqual(read(join(BASE, '1.0', `${name}-compiled.json`)));
      expect(rec!['versionedRelease']).toEqual(read(join(BASE, '1.0', `${name}-versioned.json`)));
    }
  },
);

test("Mexico CDMX's package (no version: OCDS 1.0): each tenderer and supplier once, not once per release", async () => {
  const r = await runCli(['compile', join(SHARED, 'partners/mexico-cdmx/release-package_encoding-utf-8.json'), '--quiet']);
  const [rec] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as J);
  const compiled = rec!['compiledRelease'] as { tender: { tenderers: unknown[] }; awards: Array<{ suppliers: unknown[] }> };
  expect(compiled.tender.tenderers).toHaveLength(3);
  expect(compiled.awards.map((a) => a.suppliers.length)).toEqual([1]);
});
