/**
 * The blocks of ocds/ members (publish/member-blocks.ts): a night that touches an ocid decompresses
 * and compresses that ocid's block only, and the published files are, byte for byte, those a run over
 * everything writes, whatever happened to the blocks' ends meanwhile.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';
import { BLOCK_OCIDS, endsBlock, readBlocks, type Block } from '../../src/publish/member-blocks.js';
import { collectMembers } from '../../src/publish/ocds-members.js';

const AWS = join(SHARED, 'decp/samples/2019-json/aws-marches-publics-info_via-decp-rama_2019-03-07.json');

async function members(out: string): Promise<Array<{ kind: string; chunk: number; file: string }>> {
  const inst = await DuckDBInstance.create(join(out, 'decp.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll('SELECT kind, chunk::INTEGER AS chunk, file FROM ocds_members ORDER BY kind, chunk')).getRowObjectsJS() as Array<{ kind: string; chunk: number; file: string }>;
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

async function blocksOf(out: string, file: string): Promise<Block[]> {
  const path = join(out, '.members', file);
  const blocks = await readBlocks(path, readFileSync(path).length);
  if (blocks === null) throw new Error(`${file} has no list of blocks`);
  return blocks;
}

/** The published files' bytes (by their hash: a failed comparison of megabytes takes jest minutes to show). */
const published = (out: string): Record<string, string> => Object.fromEntries(['releases', 'records'].map((k) => [k, createHash('sha256').update(readFileSync(join(out, 'ocds', `${k}.jsonl.gz`))).digest('hex')]));

const run = async (src: string, out: string): Promise<void> => {
  const r = await runCli(['run', src, '--out', out, '--quiet']);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
};

/** A run over everything `src` holds (the same paths: x_decp.sourceFile names them), into a fresh folder. */
const fresh = async (src: string): Promise<string> => {
  const out = join(tempDir('decp-ocds-blocks-'), 'out');
  await run(src, out);
  return out;
};

/**
 * Every member of the store is in blocks as the rule cuts them (the same lines give the same bytes):
 * a block ends at an ocid that ends one or at the chunk's end, none inside it ends one, its lines are
 * in ocid order and add up to its list's count, and the blocks make the whole file.
 */
async function expectBlocksAsRuled(out: string, only?: ReadonlySet<string>): Promise<void> {
  for (const m of await members(out)) {
    if (only !== undefined && !only.has(m.file)) continue;
    const bytes = readFileSync(join(out, '.members', m.file));
    const blocks = await blocksOf(out, m.file);
    let at = 0;
    let previous = '';
    blocks.forEach(([last, size, lines], k) => {
      const ls = gunzipSync(bytes.subarray(at, at + size)).toString('utf8').split('\n').filter(Boolean);
      at += size;
      expect(ls).toHaveLength(lines);
      const own = ls.map((l) => (JSON.parse(l) as { ocid: string }).ocid);
      expect(own[own.length - 1]).toBe(last);
      expect([...own].sort()).toEqual(own);
      expect(own[0]! > previous).toBe(true);
      previous = last;
      if (k < blocks.length - 1) expect({ last, ends: endsBlock(last) }).toEqual({ last, ends: true });
      expect(own.filter((o) => o !== last).filter(endsBlock)).toEqual([]);
    });
    expect(at).toBe(bytes.length);
  }
}

/**
 * The published lines, sorted (a run over everything numbers chunks anew when an ocid has gone), their
 * provenance left out: of two publications of one record alike (a republished contract), a night keeps
 * the one it read last, a run over everything the one last by name.
 */
const content = (out: string): string[] =>
  ['releases', 'records'].flatMap((k) =>
    gunzipSync(readFileSync(join(out, 'ocds', `${k}.jsonl.gz`)))
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.stringify(JSON.parse(l), (key, v: unknown) => (/^source(File|Sha256|Index|Line)$/.test(key) ? undefined : v)))
      .sort(),
  );

type Marche = Record<string, unknown>;

describe('blocks of ocds/ members', () => {
  const dir = tempDir('decp-ocds-blocks-');
  const src = join(dir, 'in');
  const out = join(dir, 'out');
  const doc = JSON.parse(readFileSync(AWS, 'utf8')) as { marches: Marche[] };

  beforeAll(async () => {
    mkdirSync(src);
    copyFileSync(AWS, join(src, 'aws.json'));
    await run(src, out);
  });

  test('a member is a series of gzip blocks that end where their last ocid says, listed beside it; each block is a gzip member of its own', async () => {
    await expectBlocksAsRuled(out);
    // about BLOCK_OCIDS ocids a block
    const all = (await members(out)).filter((m) => m.kind === 'records');
    const lists = await Promise.all(all.map((m) => blocksOf(out, m.file)));
    const nOcids = lists.flat().reduce((a, b) => a + b[2], 0);
    expect(nOcids / lists.flat().length).toBeGreaterThan(BLOCK_OCIDS / 3);
    expect(nOcids / lists.flat().length).toBeLessThan(BLOCK_OCIDS * 3);
  });

  test('a contract republished with a modification: its block is written again, every other block copied as it was, and the files are those of a run over everything', async () => {
    const before = new Map((await members(out)).map((m) => [`${m.kind}-${m.chunk}`, m.file]));
    // (the lists are read now: the run removes the members it replaces)
    const blocksBefore = new Map(await Promise.all([...before.values()].map(async (f) => [f, await blocksOf(out, f)] as const)));
    const rec = doc.marches.find((m) => Array.isArray(m['modifications']) && (m['modifications'] as unknown[]).length > 0 && typeof m['montant'] === 'number')!;
    const mods = rec['modifications'] as Marche[];
    const republished = { ...rec, modifications: [...mods, { objetModification: 'Avenant', dateSignatureModification: '2019-02-01', datePublicationDonneesModification: '2019-02-02', montant: Math.round((rec['montant'] as number) * 1.1) }] };
    writeFileSync(join(src, 'zz-republished.json'), JSON.stringify({ marches: [republished] }));
    await run(src, out);
    const after = await members(out);
    let rewritten = 0;
    for (const m of after) {
      const old = before.get(`${m.kind}-${m.chunk}`)!;
      if (old === m.file) continue;
      rewritten++;
      // the touched chunk: the same blocks, one of them written again, the others the same bytes
      const a = await blocksOf(out, m.file);
      const was = blocksBefore.get(old)!;
      expect(a.map((b) => b[0])).toEqual(was.map((b) => b[0]));
      expect(a.filter((b, k) => b[1] !== was[k]![1] || b[2] !== was[k]![2])).toHaveLength(1);
      const bytes = readFileSync(join(out, '.members', m.file));
      let at = 0;
      let same = 0;
      for (const [k, b] of a.entries()) {
        if (b[1] === was[k]![1] && b[2] === was[k]![2]) same++;
        at += b[1];
      }
      expect(at).toBe(bytes.length);
      expect(same).toBe(a.length - 1);
    }
    // one chunk, both kinds
    expect(rewritten).toBe(2);
    await expectBlocksAsRuled(out);
    expect(published(out)).toEqual(published(await fresh(src)));
  });

  test("a block whose last ocid loses its releases joins the next one, as a run over everything cuts them", async () => {
    // contracts whose ocids end a block, each in a file of its own (found by converting candidates)
    const base = doc.marches.find((m) => !Array.isArray(m['modifications']) || (m['modifications'] as unknown[]).length === 0)!;
    const own = tempDir('decp-ocds-blocks-');
    const candidates = Array.from({ length: 800 }, (_, k) => ({ ...base, id: `BLK${String(k).padStart(4, '0')}` }));
    writeFileSync(join(own, 'candidates.json'), JSON.stringify({ marches: candidates }));
    const converted = await runCli(['convert', join(own, 'candidates.json')]);
    const ending = converted.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { ocid: string; x_decp: { id: string } })
      .filter((r) => endsBlock(r.ocid));
    expect(ending.length).toBeGreaterThanOrEqual(3);
    const src2 = join(own, 'in');
    mkdirSync(src2);
    copyFileSync(AWS, join(src2, 'aws.json'));
    const picked = ending.slice(0, 3);
    picked.forEach((r, k) => writeFileSync(join(src2, `x${k}.json`), JSON.stringify({ marches: [candidates.find((c) => c.id === r.x_decp.id)] })));
    const out2 = join(own, 'out');
    await run(src2, out2);
    // one that ends a block before its chunk's last
    const ends = new Map<string, number>();
    for (const m of (await members(out2)).filter((x) => x.kind === 'releases')) for (const b of (await blocksOf(out2, m.file)).slice(0, -1)) ends.set(b[0], m.chunk);
    const k = picked.findIndex((r) => ends.has(r.ocid));
    expect(k).toBeGreaterThanOrEqual(0);
    const target = picked[k]!.ocid;
    const before = new Map((await members(out2)).map((m) => [`${m.kind}-${m.chunk}`, m.file]));
    // its file published again with another contract in its place: the ocid loses its releases
    writeFileSync(join(src2, `x${k}.json`), JSON.stringify({ marches: [{ ...base, id: 'BLK-OTHER' }] }));
    await run(src2, out2);
    const after = await members(out2);
    const now = new Set<string>();
    for (const m of after.filter((x) => x.kind === 'releases')) for (const b of await blocksOf(out2, m.file)) now.add(b[0]);
    expect(now.has(target)).toBe(false);
    // its chunk written again (and the new contract's), the others kept
    expect(after.filter((m) => before.get(`${m.kind}-${m.chunk}`) !== m.file).map((m) => m.chunk)).toContain(ends.get(target));
    expect(after.filter((m) => before.has(`${m.kind}-${m.chunk}`) && before.get(`${m.kind}-${m.chunk}`) !== m.file)).toHaveLength(2);
    await expectBlocksAsRuled(out2);
    // (the same lines as a run over everything; not the same bytes: that run gives the chunks after
    // the ocid gone other ocids, as it numbers them in order)
    const all = await fresh(src2);
    expect(content(out2)).toEqual(content(all));
    await expectBlocksAsRuled(all);
  });

  test('members an earlier version wrote (no list of blocks) are read whole and written again in blocks', async () => {
    for (const f of readdirSync(join(out, '.members'))) if (f.endsWith('.blocks')) rmSync(join(out, '.members', f));
    const rec = doc.marches[10]!;
    writeFileSync(join(src, 'zz-other.json'), JSON.stringify({ marches: [{ ...rec, objet: `${String(rec['objet'])} (rectifié)` }] }));
    await run(src, out);
    const listed = await members(out);
    const withBlocks = listed.filter((m) => readdirSync(join(out, '.members')).includes(`${m.file}.blocks`));
    // the touched chunk is in blocks again; the others wait for their next change
    expect(withBlocks.length).toBe(2);
    const touched = withBlocks.map((m) => m.chunk);
    expect(touched[0]).toBe(touched[1]);
    await expectBlocksAsRuled(out, new Set(withBlocks.map((m) => m.file)));
    const all = await fresh(src);
    expect(content(out)).toEqual(content(all));
  });
});

test('collecting members keeps the lists of the live ones and removes the others', async () => {
  const dir = tempDir('decp-ocds-blocks-');
  for (const f of ['releases-0-a.gz', 'releases-0-a.gz.blocks', 'releases-0-b.gz', 'releases-0-b.gz.blocks', 'records-0-c.gz.blocks']) writeFileSync(join(dir, f), '');
  expect(await collectMembers(new Set(['releases-0-a.gz']), dir)).toBe(3);
  expect(readdirSync(dir).sort()).toEqual(['releases-0-a.gz', 'releases-0-a.gz.blocks']);
});
