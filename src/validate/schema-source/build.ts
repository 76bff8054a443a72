/**
 * The schema files of schemas/, built from the project's sources (ocds.ts and
 * the hand-written x_decp extension). `npm run schemas` writes them; a test
 * checks that the committed files are what the sources give.
 */
import { decp2019Schema, decp2024InterimSchema, decp2024Schema } from './decp.js';
import { DECLARED_EXTENSIONS, extensionPatches, ocdsReleaseSchema } from './ocds.js';

export interface SchemaFile {
  readonly path: string;
  readonly content: unknown;
}

export function schemaFiles(): SchemaFile[] {
  const patches = extensionPatches();
  return [
    { path: 'ocds-1.1.5/release-schema.json', content: ocdsReleaseSchema() },
    ...DECLARED_EXTENSIONS.map((name) => ({ path: `extensions/${name}/release-schema.json`, content: patches[name] })),
    { path: 'decp-2019-1.5.0/marches.json', content: decp2019Schema() },
    { path: 'decp-2024-2.0.0/marches.json', content: decp2024InterimSchema() },
    { path: 'decp-2024-2.0.3/marches.json', content: decp2024Schema() },
  ];
}

/** JSON Merge Patch (RFC 7396), as OCDS applies extensions. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (k === '__proto__') continue;
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
