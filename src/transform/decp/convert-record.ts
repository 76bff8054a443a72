/**
 * One ingested DECP record → its OCDS releases, through a compiled mapping
 * profile. Pure: the stage (src/convert.ts) does the streaming and the I/O.
 */
import type { Issue } from '../../core/issues.js';
import type { SourceRecord } from '../../ingest/types.js';
import { compileProfile, groupedRowsReadTree, groupedUnread, sourcePointers, readTreeOf, unreadOf, type CompiledMapping, type FieldSpec, type MappingFlag, type MappingProfile } from '../profile.js';
import { buildReleases, type BuildContext, type BuildResult } from './build-releases.js';
import { createLocale } from '../locale.js';

export interface Converter {
  /** Releases of one record, or the reason it cannot become a release. */
  convert(record: SourceRecord): BuildResult | { ok: false; code: 'TRANSFORM_UNSUPPORTED_RECORD'; reason: string };
  /** Does the profile map records of this ingest type? */
  maps(type: string): boolean;
}

/** Compile a profile once; the returned converter is then applied to every record. */
export function createConverter(profile: MappingProfile, ctx: BuildContext): Converter {
  const compiled: Record<string, CompiledMapping> = compileProfile(profile);
  // (withheld paths count as read: they never reach x_decp.unmapped)
  const read = Object.fromEntries(Object.entries(profile.records).map(([type, spec]) => [type, readTreeOf({ ...spec.fields, ...withheldFields(spec.withhold) })]));
  // CSV rows grouped into one record (settings.csv.groupBy) read their columns at either level
  const csv = profile.settings?.csv;
  const linesKey = csv?.groupBy !== undefined && read['unknown'] !== undefined ? (csv.lines ?? 'lines') : undefined;
  if (linesKey !== undefined) read['unknown'] = groupedRowsReadTree(read['unknown']!, linesKey);
  const pointers = Object.fromEntries(Object.entries(profile.records).map(([type, spec]) => [type, sourcePointers(spec.fields)]));
  const build: BuildContext = { ...ctx, locale: createLocale(profile.settings) };
  return {
    maps: (type) => Object.hasOwn(compiled, type),
    convert(record) {
      const mapping = compiled[record.type];
      const kind = profile.records[record.type]?.as ?? record.type;
      if (!mapping || (kind !== 'marche' && kind !== 'contrat-concession')) {
        return { ok: false, code: 'TRANSFORM_UNSUPPORTED_RECORD', reason: `the profile ${JSON.stringify(profile.name)} does not map records of type ${JSON.stringify(record.type)}` };
      }
      const flags: MappingFlag[] = [];
      const mapped = mapping(record.data, flags);
      const p = record.provenance;
      // what the profile does not read is kept as it came (x_decp.unmapped), at any depth (a key of
      // an object read in part, a field of a list's items): nothing is dropped silently
      let unmapped = unreadOf(record.data, read[record.type]!) as Record<string, unknown> | undefined;
      if (linesKey !== undefined && record.type === 'unknown') unmapped = groupedUnread(unmapped, record.data[linesKey], linesKey);
      return buildReleases(mapped, flags, { type: kind, version: record.version, file: p.file, sha256: p.sha256, index: p.index, line: p.line, ingestFlags: record.issues.map(issueFlag), unmapped, pointers: pointers[record.type] }, build);
    },
  };
}

function issueFlag(i: Issue): MappingFlag {
  return i.raw === undefined ? { code: i.code, pointer: i.pointer ?? '' } : { code: i.code, pointer: i.pointer ?? '', raw: i.raw };
}

/** Withheld paths as fields that read them (keys no canonical field has: only the read tree sees them). */
function withheldFields(paths: readonly string[] | undefined): Record<string, FieldSpec> {
  return Object.fromEntries((paths ?? []).map((p, k) => [`\u0000withhold${k}`, { from: p }]));
}
