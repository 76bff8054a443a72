/**
 * The metadata of an OCDS 1.1.5 package (release package, record package), as its package schemas
 * state it: our own schema, written from the standard's facts (field names, types, formats, required
 * fields; test/validate/differential.test.ts holds it to the official files). The releases or records
 * a package holds are validated one by one elsewhere: they are not part of this schema.
 */
import { compileReleaseSchema, type CompiledSchema, type SchemaError } from './schema-store.js';

type Schema = Record<string, unknown>;

const uri = (nullable = false): Schema => ({ type: nullable ? ['string', 'null'] : 'string', format: 'uri' });

/** The package schema of `kind`, its releases or records left out. */
export function packageMetadataSchema(kind: 'release' | 'record'): Schema {
  const properties: Schema = {
    uri: uri(),
    version: { type: 'string', pattern: '^(\\d+\\.)(\\d+)$' },
    extensions: { type: 'array', items: uri() },
    publishedDate: { type: 'string', format: 'date-time' },
    publisher: {
      type: 'object',
      properties: { name: { type: 'string' }, scheme: { type: ['string', 'null'] }, uid: { type: ['string', 'null'] }, uri: uri(true) },
      required: ['name'],
    },
    license: uri(true),
    publicationPolicy: uri(true),
  };
  if (kind === 'record') properties['packages'] = { type: 'array', minItems: 1, uniqueItems: true, items: uri() };
  return { type: 'object', properties, required: ['uri', 'publisher', 'publishedDate', 'version'] };
}

const compiled = new Map<'release' | 'record', CompiledSchema>();

/** What the package schema of `kind` finds in a package's metadata (its fields but its releases or records). */
export function packageMetadataErrors(kind: 'release' | 'record', meta: Record<string, unknown>): SchemaError[] {
  let c = compiled.get(kind);
  if (c === undefined) compiled.set(kind, (c = compileReleaseSchema(packageMetadataSchema(kind), [`OCDS 1.1.5 ${kind} package`])));
  return c.validate(meta);
}
