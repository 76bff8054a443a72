/**
 * The blocks of an ocds/ member (see publish/ocds-members.ts): which ocids end one, and the list of
 * them kept beside each member file. No store here: compile parts (worker threads) use it.
 */
import { readFile } from 'node:fs/promises';
import { hash53 } from '../transform/hash.js';

/**
 * A chunk's member is itself a series of gzip members, *blocks*, each holding the lines of a run of
 * the chunk's ocids: a block ends after an ocid whose hash is a multiple of BLOCK_OCIDS (about that
 * many ocids a block, a few hundred KB of lines, where gzip loses a few percent against the whole
 * chunk), and at the chunk's end. The ends depend on the ocids alone, so a chunk compiled again from
 * nothing or updated in place gives the same blocks, the same bytes. A night that touches one ocid of
 * a chunk decompresses and compresses that ocid's block only, and copies the others' bytes.
 */
export const BLOCK_OCIDS = 128;

/** Whether a block ends after this ocid (see BLOCK_OCIDS). */
export const endsBlock = (ocid: string): boolean => hash53(ocid) % BLOCK_OCIDS === 0;

/** A block of a member: the last ocid whose lines it holds, its compressed size and its lines. */
export type Block = readonly [last: string, bytes: number, lines: number];

/** The file beside a member that lists its blocks (a member without one is a block of its own). */
export const BLOCKS_SUFFIX = '.blocks';
export const blocksFile = (member: string): string => `${member}${BLOCKS_SUFFIX}`;

/**
 * The blocks of a member file (`size`: its bytes), or null when it has no list of them or a list
 * that does not add up to the file (a member an earlier version wrote: read whole).
 */
export async function readBlocks(member: string, size: number): Promise<Block[] | null> {
  const text = await readFile(blocksFile(member), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const list = (JSON.parse(text) as { blocks?: unknown }).blocks;
    if (!Array.isArray(list)) return null;
    let total = 0;
    for (const b of list) {
      if (!Array.isArray(b) || b.length !== 3 || typeof b[0] !== 'string' || !Number.isSafeInteger(b[1]) || !Number.isSafeInteger(b[2]) || b[1] <= 0) return null;
      total += b[1] as number;
    }
    return total === size ? (list as Block[]) : null;
  } catch {
    return null;
  }
}
