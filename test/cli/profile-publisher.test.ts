/**
 * A partner's profile carries its own OCID prefix and publisher (settings.ocidPrefix,
 * settings.publisher): `convert` and `run` publish under them without --ocid-prefix or
 * --publisher-name, which still override them. Found by a partners' probe: every command line had to
 * repeat them, and one that forgot published a partner's contracts under Etalab's ocds-78apv2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { loadProfile, publishingOf, whereInProfile } from '../../src/ingest/profiles.js';

const DIR = new URL('../../fixtures/partner-csv/', import.meta.url).pathname;
const CSV = join(DIR, 'adjudicaciones.csv');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The worked example's profile with `settings` added, written pretty (one key a line) in a temp folder. */
function profileWith(settings: Obj): string {
  const profile = JSON.parse(readFileSync(join(DIR, 'profile.json'), 'utf8')) as Obj;
  profile['settings'] = { ...profile['settings'], ...settings };
  const file = join(tempDir('profile-publisher-'), 'profile.json');
  writeFileSync(file, JSON.stringify(profile, null, 2));
  return file;
}

const ocids = (stdout: string): string[] => stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Obj)['ocid'] as string);

test('convert: the profile\'s settings.ocidPrefix names the ocids, without the option\'s warning; --ocid-prefix overrides it', async () => {
  const profile = profileWith({ ocidPrefix: 'ocds-ar0001', publisher: { name: 'Oficina Nacional de Contrataciones', uri: 'https://comprar.gob.ar/' } });
  const own = await runCli(['convert', '--profile', profile, CSV]);
  expect(own.code).toBe(0);
  expect(ocids(own.stdout)[0]).toBe('ocds-ar0001-310-OC-0001');
  expect(own.stderr).not.toContain('--ocid-prefix');
  const given = await runCli(['convert', '--profile', profile, '--ocid-prefix', 'ocds-zz9999', CSV]);
  expect(ocids(given.stdout)[0]).toBe('ocds-zz9999-310-OC-0001');
  // (a profile without one: Etalab's, warned as before)
  const none = await runCli(['convert', '--profile', join(DIR, 'profile.json'), CSV]);
  expect(ocids(none.stdout)[0]).toBe('ocds-78apv2-310-OC-0001');
  expect(none.stderr).toContain('the OCID prefix ocds-78apv2 (--ocid-prefix)');
});

test('run: the packages name the profile\'s publisher, with its uri; --publisher-name names another, without the profile\'s uri', async () => {
  const profile = profileWith({ ocidPrefix: 'ocds-ar0001', publisher: { name: 'Oficina Nacional de Contrataciones', uri: 'https://comprar.gob.ar/' } });
  const out = join(tempDir('profile-publisher-run-'), 'out');
  const r = await runCli(['run', CSV, '--profile', profile, '--out', out, '--quiet']);
  expect(r.code).toBe(0);
  expect(r.stderr).not.toContain('Etalab');
  for (const f of ['release-package.json', 'record-package.json']) {
    expect([f, (JSON.parse(readFileSync(join(out, 'ocds', f), 'utf8')) as Obj)['publisher']]).toEqual([f, { name: 'Oficina Nacional de Contrataciones', uri: 'https://comprar.gob.ar/' }]);
  }
  expect(ocids(gunzipSync(readFileSync(join(out, 'ocds', 'releases.jsonl.gz'))).toString('utf8'))[0]).toBe('ocds-ar0001-310-OC-0001');
  expect(publishingOf(await loadProfile(profile), {})).toEqual({ ocidPrefix: 'ocds-ar0001', publisherName: 'Oficina Nacional de Contrataciones', publisherUri: 'https://comprar.gob.ar/' });
  expect(publishingOf(await loadProfile(profile), { publisherName: 'Otra', ocidPrefix: 'ocds-zz9999' })).toEqual({ ocidPrefix: 'ocds-zz9999', publisherName: 'Otra', publisherUri: undefined });
});

// found by a review: --publisher-uri's help says the profile's uri is given "unless --publisher-name
// names another", RunOptions "when its name is the profile's"; the profile's own name given on the
// command line (a cron that always names it) lost the uri all the same
test('--publisher-name naming the profile\'s own publisher keeps the profile\'s uri', async () => {
  const profile = await loadProfile(profileWith({ publisher: { name: 'Oficina Nacional de Contrataciones', uri: 'https://comprar.gob.ar/' } }));
  for (const name of ['Oficina Nacional de Contrataciones', ' Oficina Nacional de Contrataciones ']) {
    expect([name, publishingOf(profile, { publisherName: name })]).toEqual([name, { ocidPrefix: 'ocds-78apv2', publisherName: name, publisherUri: 'https://comprar.gob.ar/' }]);
  }
  expect(publishingOf(profile, { publisherName: 'Oficina Nacional de Contrataciones', publisherUri: 'https://example.org/' }).publisherUri).toBe('https://example.org/');
  expect(publishingOf(profile, { publisherName: 'Otra' }).publisherUri).toBeUndefined();
});

test.each([
  [{ ocidPrefix: 'ocds-test' }, /settings\.ocidPrefix: a registered OCID prefix, "ocds-" and six lower-case letters or digits/, 'ocidPrefix'],
  [{ ocidPrefix: 'OCDS-AR0001' }, /prefixes are issued lower-case: ocds-ar0001/, 'ocidPrefix'],
  [{ publisher: 'ONC' }, /settings\.publisher: the packages' publisher/, 'publisher'],
  [{ publisher: { name: ' ' } }, /settings\.publisher\.name: a non-empty text/, 'name'],
  [{ publisher: { name: 'ONC', uri: 'comprar.gob.ar' } }, /settings\.publisher\.uri: an absolute http\(s\) URI/, 'uri'],
  [{ publisher: { name: 'ONC', url: 'https://comprar.gob.ar/' } }, /settings\.publisher/, 'url'],
])('a profile\'s invalid publishing setting %j is refused, CLI_INVALID_OPTION, at its line and column', async (settings, message, key) => {
  const file = profileWith(settings);
  const text = readFileSync(file, 'utf8');
  // (the key in the settings: the profile has a `name` of its own above them)
  const settingsLine = text.split('\n').findIndex((l) => l.includes('"settings":'));
  const line = text.split('\n').findIndex((l, k) => k > settingsLine && l.includes(`"${key}":`)) + 1;
  const column = text.split('\n')[line - 1]!.indexOf(`"${key}":`) + 1;
  await expect(loadProfile(file)).rejects.toMatchObject({ code: 'CLI_INVALID_OPTION', message: expect.stringMatching(message), context: { file, option: '--profile', ...(key === 'url' ? {} : { line, column }) } });
  const r = await runCli(['convert', '--profile', file, CSV]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
});

test('whereInProfile: the line and column of the key an error names, each step after the one before; the step before a missing key', () => {
  const text = '{\n  "records": {"unknown": {"fields": {"id": {}}}},\n  "settings": {\n    "publisher": {"uri": 1}\n  }\n}';
  expect(whereInProfile('settings.publisher.uri: x', text)).toEqual({ line: 4, column: 19 });
  expect(whereInProfile('settings.publisher.name: x', text)).toEqual({ line: 4, column: 5 });
  expect(whereInProfile('"name": a non-empty text is needed', text)).toBeUndefined();
  expect(whereInProfile('settings.nothing: x', text)).toEqual({ line: 3, column: 3 });
});
