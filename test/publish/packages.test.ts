/**
 * The package metadata names each extension at the version our schemas encode: the commits of
 * EXTENSION_VERSIONS are those of the official files our patches are checked against
 * (../shared/ocds/SOURCE.md, test/validate/differential.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_VERSIONS, extensionUrls, publishedPackages } from '../../src/publish/packages.js';
import { DECLARED_EXTENSIONS } from '../../src/validate/schema-source/ocds.js';
import { SHARED } from '../helpers/ingest.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('each declared extension is named at the commit of the official files our schemas agree with', () => {
  const source = readFileSync(join(SHARED, 'ocds/SOURCE.md'), 'utf8');
  const table = new Map<string, string>();
  for (const m of source.matchAll(/^\| (\w+)[^|]*\| open-contracting-extensions\/(ocds_\w+_extension) \| ([0-9a-f]{40}) \|/gm)) table.set(m[1]!, `${m[2]!}/${m[3]!}`);
  expect(table.size).toBeGreaterThanOrEqual(DECLARED_EXTENSIONS.length);
  for (const e of DECLARED_EXTENSIONS) expect(`${EXTENSION_VERSIONS[e][0]}/${EXTENSION_VERSIONS[e][1]}`).toBe(table.get(e));
  expect(extensionUrls()).toEqual(DECLARED_EXTENSIONS.map((e) => `https://raw.githubusercontent.com/open-contracting-extensions/${table.get(e)!}/extension.json`));
});

test('the publication URL gives both packages their uri, with or without its final slash; --local-extension-url wins for x_decp', () => {
  const o = { publishedDate: '2026-01-02T03:04:05Z' };
  for (const base of ['https://example.org/decp/ocds', 'https://example.org/decp/ocds/']) {
    const { releasePackage, recordPackage } = publishedPackages({ ...o, publicationUrl: base });
    expect(releasePackage['uri']).toBe('https://example.org/decp/ocds/releases.jsonl.gz');
    expect(recordPackage['uri']).toBe('https://example.org/decp/ocds/records.jsonl.gz');
    expect((releasePackage['extensions'] as string[]).at(-1)).toBe('https://example.org/decp/ocds/x_decp/extension.json');
    expect(recordPackage['publicationPolicy']).toBe('https://example.org/decp/ocds/publication-policy.md');
  }
  expect(publishedPackages({ ...o, publicationUrl: 'https://example.org/', publicationPolicy: 'https://example.org/policy' }).releasePackage['publicationPolicy']).toBe('https://example.org/policy');
  const own = publishedPackages({ ...o, publicationUrl: 'https://example.org/ocds/', localExtensionUrl: 'https://ext.example.org/x_decp/extension.json' });
  expect((own.recordPackage['extensions'] as string[]).at(-1)).toBe('https://ext.example.org/x_decp/extension.json');
  const none = publishedPackages(o);
  expect(none.releasePackage).not.toHaveProperty('uri');
  expect(none.recordPackage).not.toHaveProperty('packages');
  expect(none.releasePackage['extensions']).toEqual(extensionUrls());
});

test("run declares our extensions only when the data holds releases of our mapping: a partner's OCDS alone follows none of them", async () => {
  const dir = tempDir('packages-');
  // Paraguay's contract suppliers are an object (contract_suppliers wants a list), Ukraine's bid
  // statuses its own (the bid extension's codelist): declared, a reader applying them refused them
  const partners = await runCli(['run', join(SHARED, 'partners/paraguay-dncp'), join(SHARED, 'partners/ukraine-prozorro'), '--out', join(dir, 'partners'), '--quiet']);
  expect(partners.code).toBe(0);
  for (const f of ['release-package.json', 'record-package.json']) {
    const meta = JSON.parse(readFileSync(join(dir, 'partners', 'ocds', f), 'utf8')) as Record<string, unknown>;
    expect([f, 'extensions' in meta, meta['version']]).toEqual([f, false, '1.1']);
  }
  const decp = await runCli(['run', join(SHARED, 'partners/ukraine-prozorro'), join(SHARED, 'decp/samples/2019-xml'), '--out', join(dir, 'mixed'), '--quiet']);
  expect(decp.code).toBe(0);
  expect((JSON.parse(readFileSync(join(dir, 'mixed', 'ocds', 'release-package.json'), 'utf8')) as { extensions: string[] }).extensions).toEqual(extensionUrls());
}, 60_000);

test('run declares our extensions for a file of `unknown` records read through a profile (its source\'s format is `unknown`)', async () => {
  const dir = tempDir('packages-');
  const fixtures = join(import.meta.dirname, '../../fixtures/partner');
  const r = await runCli(['run', join(fixtures, 'contratos.jsonl'), '--profile', join(fixtures, 'profile.json'), '--out', join(dir, 'out'), '--quiet']);
  expect(r.code).toBe(0);
  for (const f of ['release-package.json', 'record-package.json']) {
    const meta = JSON.parse(readFileSync(join(dir, 'out', 'ocds', f), 'utf8')) as Record<string, unknown>;
    expect([f, meta['extensions']]).toEqual([f, extensionUrls()]);
  }
}, 60_000);
