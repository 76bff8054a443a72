/** Convert inputs in memory (tests). */
import { readFileSync } from 'node:fs';
import { convertInputs, type ConvertCounts } from '../../src/convert.js';
import type { RejectedRecord } from '../../src/ingest/types.js';
import type { BuildContext, Release } from '../../src/transform/decp/build-releases.js';
import type { MappingProfile } from '../../src/transform/profile.js';

export const PROFILE = JSON.parse(readFileSync(new URL('../../mappings/decp.json', import.meta.url), 'utf8')) as MappingProfile;
export const CONTEXT = { ocidPrefix: 'ocds-78apv2', runDate: '2026-01-02T03:04:05Z' };

export async function convertAll(inputs: string[], profile: MappingProfile = PROFILE, context: BuildContext = CONTEXT): Promise<{ releases: Release[]; texts: string[]; rejects: RejectedRecord[]; counts: ConvertCounts }> {
  const releases: Release[] = [];
  const texts: string[] = [];
  const rejects: RejectedRecord[] = [];
  const counts = await convertInputs({ inputs, profile, context }, { release: (t) => void (releases.push(JSON.parse(t) as Release), texts.push(t)), reject: (r) => void rejects.push(r) });
  return { releases, texts, rejects, counts };
}
