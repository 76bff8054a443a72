/**
 * A validator built from the OFFICIAL OCDS 1.1.5 release schema and extension
 * patches in ../shared/ocds (read there, never copied into the repository):
 * each extension's release-schema.json applied as a JSON Merge Patch (RFC 7396),
 * submissionTerms before lots, compiled as draft-04 with formats checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { SHARED } from './ingest.js';

const OCDS = join(SHARED, 'ocds');
export const EXTENSIONS = ['submissionTerms', 'lots', 'bid', 'location', 'techniques', 'charges', 'contract_suppliers', 'subcontracting', 'sustainability', 'tariffs'];

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function officialReleaseSchema(extraPatches: unknown[] = []): Record<string, unknown> {
  let schema = JSON.parse(readFileSync(join(OCDS, '1.1.5/release-schema.json'), 'utf8')) as unknown;
  for (const e of EXTENSIONS) schema = mergePatch(schema, JSON.parse(readFileSync(join(OCDS, 'extensions', e, 'release-schema.json'), 'utf8')));
  for (const p of extraPatches) schema = mergePatch(schema, p);
  const s = schema as Record<string, unknown>;
  delete s['id'];
  delete s['$schema'];
  return s;
}

export function officialValidator(extraPatches: unknown[] = []): (release: unknown) => { valid: boolean; errors: string[] } {
  const ajv = new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, validateFormats: true });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  const validate = ajv.compile(officialReleaseSchema(extraPatches));
  return (release) => {
    const valid = validate(release) as boolean;
    return { valid, errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`) };
  };
}

/** An official package schema, its releases or records checked as objects only (they are checked elsewhere). */
function officialPackageValidator(kind: 'release' | 'record'): (pkg: unknown) => string[] {
  const schema = JSON.parse(readFileSync(join(OCDS, `1.1.5/${kind}-package-schema.json`), 'utf8')) as Record<string, unknown>;
  delete schema['id'];
  delete schema['$schema'];
  const props = schema['properties'] as Record<string, Record<string, unknown>>;
  const items = `${kind}s`;
  props[items] = { ...props[items], items: { type: 'object' } };
  const ajv = new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, validateFormats: true });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  const validate = ajv.compile(schema);
  return (pkg) => (validate(pkg) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

export const officialRecordPackageValidator = (): ((pkg: unknown) => string[]) => officialPackageValidator('record');
export const officialReleasePackageValidator = (): ((pkg: unknown) => string[]) => officialPackageValidator('release');
