/**
 * What a run reuses from the previous generation: the ocds/ files are rebuilt
 * from the previous published file where its members are unchanged (the same
 * bytes as concatenating the members), and only when the store was published
 * with that generation.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { concatMembers, type MemberFile } from '../../src/publish/ocds-members.js';
import { CURRENT, GENERATION_DIRS, publishedGeneration } from '../../src/publish/output-dir.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = (): string => tempDir('decp-ocds-published-');

function member(dir: string, name: string, text: string): MemberFile {
  writeFileSync(join(dir, name), text);
  return { file: name, bytes: Buffer.byteLength(text), lines: text.split('\n').length - 1 };
}

describe('concatMembers', () => {
  const dir = tmp();
  const members = join(dir, 'members');
  mkdirSync(members);
  const a = member(members, 'a', 'line a1\nline a2\n');
  const b = member(members, 'b', 'line b\n');
  const c = member(members, 'c', 'line c — accentué\n');
  const b2 = member(members, 'b2', 'line b, corrected\n');
  const d = member(members, 'd', 'line d\n');

  test('members kept from the previous file are copied from it, in runs; new ones from their files', async () => {
    const previous = join(dir, 'previous.gz');
    await concatMembers([a, b, c], members, previous);
    expect(readFileSync(previous, 'utf8')).toBe('line a1\nline a2\nline b\nline c — accentué\n');
    // a and c can only come from the previous file now
    rmSync(join(members, 'a'));
    rmSync(join(members, 'c'));
    const next = join(dir, 'next.gz');
    const r = await concatMembers([a, b2, c, d], members, next, { path: previous, members: [a, b, c] });
    expect(readFileSync(next, 'utf8')).toBe('line a1\nline a2\nline b, corrected\nline c — accentué\nline d\n');
    expect(r).toEqual({ bytes: a.bytes + b2.bytes + c.bytes + d.bytes, lines: 5 });
  });

  test('a previous file whose size is not what the store says is not used', async () => {
    const previous = join(dir, 'truncated.gz');
    writeFileSync(previous, 'line b\n');
    const next = join(dir, 'next2.gz');
    await concatMembers([b, d], members, next, { path: previous, members: [a, b] });
    expect(readFileSync(next, 'utf8')).toBe('line b\nline d\n');
  });

  test('no member (a store without releases): a gzip file of no lines, not a file of no bytes (which zcat and Node refuse)', async () => {
    const empty = join(dir, 'empty.gz');
    expect(await concatMembers([], members, empty)).toEqual({ bytes: 0, lines: 0 });
    expect(readFileSync(empty).length).toBeGreaterThan(0);
    expect(gunzipSync(readFileSync(empty)).length).toBe(0);
    // the same bytes every time
    const again = join(dir, 'empty2.gz');
    await concatMembers([], members, again, { path: empty, members: [] });
    expect(readFileSync(again)).toEqual(readFileSync(empty));
  });
});

describe('publishedGeneration', () => {
  test('the generation .current names, every folder linked through it, when the store names it', async () => {
    const out = tmp();
    for (const g of ['g1', 'g2']) for (const d of GENERATION_DIRS) mkdirSync(join(out, '.gen', g, d), { recursive: true });
    symlinkSync(join('.gen', 'g1'), join(out, CURRENT));
    for (const d of GENERATION_DIRS) symlinkSync(join(CURRENT, d), join(out, d));
    expect(await publishedGeneration(out, 'g1')).toBe(join(out, '.gen', 'g1'));
    expect(await publishedGeneration(out, 'g2')).toBeNull();
    // a folder that does not go through .current
    rmSync(join(out, 'reports'));
    symlinkSync(join('.gen', 'g1', 'reports'), join(out, 'reports'));
    expect(await publishedGeneration(out, 'g1')).toBeNull();
  });

  test('in a folder an older version wrote: the generation every link points to, when the store names it', async () => {
    const out = tmp();
    for (const g of ['g1', 'g2']) for (const d of GENERATION_DIRS) mkdirSync(join(out, '.gen', g, d), { recursive: true });
    for (const d of GENERATION_DIRS) symlinkSync(join('.gen', 'g1', d), join(out, d));
    expect(await publishedGeneration(out, 'g1')).toBe(join(out, '.gen', 'g1'));
    // the store was published by a later run whose links were never swapped (killed in between)
    expect(await publishedGeneration(out, 'g2')).toBeNull();
    expect(await publishedGeneration(out, undefined)).toBeNull();
    // links that disagree
    rmSync(join(out, 'parquet'));
    symlinkSync(join('.gen', 'g2', 'parquet'), join(out, 'parquet'));
    expect(await publishedGeneration(out, 'g1')).toBeNull();
  });
});
