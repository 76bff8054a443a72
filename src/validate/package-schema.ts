/**
 * The metadata of an OCDS 1.1.5 package (release package, record package), as its package schemas
 * state it: our own schema, written from the standard's facts (field names, types, formats, required
 * fields; test/validate/differential.test.ts holds it to the official files). The releases or records
 * a package holds are validated one by one elsewhere: they are not part of this schema.
 */
import { compileReleaseSchema, type CompiledSchema, type SchemaError } from './schema-store.js';
import { RELEASE_TAGS } from './schema-source/ocds.js';

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

/**
 * An OCDS 1.1.5 record's own fields, as the record package schema's `record` states them: its ocid,
 * and its releases, as links (`{url, date, tag}`: `linked`), else as a list whose items are
 * releases, which the caller validates one by one, as it does the compiledRelease (the release
 * schema); the versionedRelease is not validated (README).
 */
export function recordSchema(linked = true): Schema {
  const link: Schema = {
    type: 'object',
    properties: {
      url: uri(true),
      date: { type: 'string', format: 'date-time' },
      tag: { type: 'array', items: { type: 'string', enum: RELEASE_TAGS }, minItems: 1 },
    },
    required: ['url', 'date'],
  };
  return { type: 'object', properties: { ocid: { type: 'string' }, releases: { type: 'array', ...(linked ? { items: link } : {}), minItems: 1 } }, required: ['ocid', 'releases'] };
}

const records = new Map<boolean, CompiledSchema>();

/**
 * What the record schema finds in a record's own fields (recordSchema). `embedded`, `linked`: how
 * many of its releases are releases, how many links; a list that mixes both is neither of the
 * schema's two kinds of list (its `oneOf`).
 */
export function recordErrors(rec: Record<string, unknown>, embedded: number, linked: number): SchemaError[] {
  const links = embedded === 0;
  let c = records.get(links);
  if (c === undefined) records.set(links, (c = compileReleaseSchema(recordSchema(links), ['OCDS 1.1.5 record'])));
  const shell: Record<string, unknown> = {};
  if ('ocid' in rec) shell['ocid'] = rec['ocid'];
  if ('releases' in rec) shell['releases'] = rec['releases'];
  const errors = c.validate(shell);
  if (embedded > 0 && linked > 0) errors.push({ keyword: 'oneOf', pointer: '/releases', message: `mixes ${embedded} embedded release(s) and ${linked} linked one(s): a record's releases are all linked or all embedded` });
  return errors;
}
