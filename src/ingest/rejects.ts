/** The rejects output: one JSON line per record that could not be read or converted. */
import type { RejectedRecord } from './types.js';

/**
 * A reject's line. `ocid` comes after the record's position and before the reason, null when the
 * record gave none (every line has the key: a reader need not tell "none" from "not written").
 */
export function rejectLine(r: RejectedRecord): string {
  const { provenance: p } = r;
  return `${JSON.stringify({ file: p.file, sha256: p.sha256, index: p.index, line: p.line, offset: p.offset, column: p.column, ocid: r.ocid ?? null, code: r.code, reason: r.reason, excerpt: r.excerpt, buyer: r.buyer })}\n`;
}

/**
 * The ocid a rejected record gave, as its reject carries it (RejectedRecord.ocid): a non-blank string
 * without half a surrogate pair (which UTF-8, and so the store, cannot hold); else undefined.
 */
export function rejectOcid(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' && !LONE_SURROGATE.test(v) ? v : undefined;
}

const LONE_SURROGATE = /\p{Surrogate}/u;

/** The keys of a reject's line (rejectLine), the first five always there. */
const REJECT_KEYS = new Set(['file', 'sha256', 'index', 'line', 'offset', 'column', 'ocid', 'code', 'reason', 'excerpt', 'buyer']);

/**
 * Is this object a line of decp-ocds's own rejects output (rejectLine: a record rejected before,
 * not data)? Its `ocid` would make it pass for a release (classify.ts): a rejects file left beside
 * the inputs (`convert data/ --rejects data/rejects.jsonl`, then `compile data/`) would have given
 * releases made of its lines. It stays a record of unknown kind, as it was before lines had an ocid.
 */
export function isRejectLine(data: Readonly<Record<string, unknown>>): boolean {
  if (typeof data['file'] !== 'string' || typeof data['sha256'] !== 'string' || typeof data['index'] !== 'number' || typeof data['code'] !== 'string' || typeof data['reason'] !== 'string') return false;
  for (const k in data) if (!REJECT_KEYS.has(k)) return false;
  return true;
}
