/** The rejects output: one JSON line per record that could not be read or converted. */
import type { RejectedRecord } from './types.js';

export function rejectLine(r: RejectedRecord): string {
  const { provenance: p } = r;
  return `${JSON.stringify({ file: p.file, sha256: p.sha256, index: p.index, line: p.line, offset: p.offset, column: p.column, code: r.code, reason: r.reason, excerpt: r.excerpt, buyer: r.buyer })}\n`;
}
