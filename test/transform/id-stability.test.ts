/**
 * Property: identifiers never depend on which other records or files were seen.
 * The same records, shuffled and split over several files (2019 flat lists,
 * 2024 nested, JSON Lines), give the same ocids and release ids, and the same
 * releases apart from their provenance.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInputs } from '../../src/ingest/reader.js';
import { convertAll } from '../helpers/convert.js';
import { collect, SHARED } from '../helpers/ingest.js';
import type { Release } from '../../src/transform/decp/build-releases.js';
import { tempDir } from '../helpers/tmp.js';

type Rec = { version: string; type: string; data: Record<string, unknown> };

async function sampleRecords(): Promise<Rec[]> {
  const files = ['2019-json/aws-marches-publics-info_via-decp-rama_2019-03-07.json', '2024-json/dematis-e-marchespublics_2024-07-daily-19.json', '2024-json/dematis-e-marchespublics_2024-07-daily-17.json'];
  const out: Rec[] = [];
  for (const f of files) {
    const { records } = await collect(readInputs([join(SHARED, 'decp/samples', f)]));
    // records with modifications first, then a few plain ones, and the concessions
    const pick = [...records.filter((r) => Array.isArray(r.data['modifications']) && (r.data['modifications'] as unknown[]).length > 0).slice(0, 12), ...records.slice(0, 8), ...records.filter((r) => r.type === 'contrat-concession').slice(0, 2)];
    for (const r of pick) out.push({ version: r.version!, type: r.type, data: r.data });
  }
  return out;
}

/** Write records as files of mixed shapes, in the given order and split. */
function writeFiles(dir: string, recs: Rec[], cuts: number[]): string[] {
  const paths: string[] = [];
  let start = 0;
  const bounds = [...new Set(cuts.map((c) => Math.min(c, recs.length)))].sort((a, b) => a - b).concat(recs.length);
  bounds.forEach((end, k) => {
    const part = recs.slice(start, end);
    start = end;
    if (part.length === 0) return;
    const v2019 = part.filter((r) => r.version === '2019');
    const v2024 = part.filter((r) => r.version === '2024');
    if (v2019.length > 0) {
      const p = join(dir, `part-${k}-2019.jsonl`);
      writeFileSync(p, v2019.map((r) => JSON.stringify(r.data)).join('\n'));
      paths.push(p);
    }
    if (v2024.length > 0) {
      const p = join(dir, `part-${k}-2024.json`);
      writeFileSync(p, JSON.stringify({ marches: { marche: v2024.filter((r) => r.type === 'marche').map((r) => r.data), 'contrat-concession': v2024.filter((r) => r.type !== 'marche').map((r) => r.data) } }));
      paths.push(p);
    }
  });
  return paths;
}

/** A release without its provenance, keyed by id. */
function byId(releases: Release[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of releases) {
    const x = { ...(r['x_decp'] as Record<string, unknown>) };
    delete x['sourceFile'];
    delete x['sourceSha256'];
    delete x['sourceIndex'];
    delete x['sourceLine'];
    const key = r['id'] as string;
    m.set(key, [...(m.get(key) ?? '').split('\u0000').filter(Boolean), JSON.stringify({ ...r, x_decp: x })].sort().join('\u0000'));
  }
  return m;
}

test('ids and releases are stable under reordering and splitting of the input', async () => {
  const recs = await sampleRecords();
  expect(recs.length).toBeGreaterThan(40);
  const dir0 = tempDir('decp-ocds-prop-');
  const reference = byId((await convertAll(writeFiles(dir0, recs, []))).releases);
  expect(reference.size).toBeGreaterThan(recs.length);
  await fc.assert(
    fc.asyncProperty(fc.shuffledSubarray(recs.map((_, i) => i), { minLength: recs.length, maxLength: recs.length }), fc.array(fc.nat({ max: recs.length }), { maxLength: 4 }), async (order, cuts) => {
      const dir = tempDir('decp-ocds-prop-');
      const got = byId((await convertAll(writeFiles(dir, order.map((i) => recs[i]!), cuts))).releases);
      expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [k, v] of reference) expect(got.get(k)).toBe(v);
    }),
    { numRuns: 12, seed: 20261123 },
  );
});

test('the same input gives byte-identical output', async () => {
  const path = join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-early.json');
  const a = await convertAll([path]);
  const b = await convertAll([path]);
  expect(a.texts.join('\n')).toBe(b.texts.join('\n'));
});

test('47 lots sharing one (buyer, id) get distinct award and contract ids under one ocid', async () => {
  const { releases } = await convertAll([join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-early.json')]);
  const lots = releases.filter((r) => (r['ocid'] as string).endsWith('-2024-OCC010-00') && (r['tag'] as string[]).includes('award'));
  expect(lots).toHaveLength(47);
  const awardIds = new Set(lots.map((r) => ((r['awards'] as Array<{ id: string }>)[0]!).id));
  expect(awardIds.size).toBe(47);
  expect(new Set(lots.map((r) => r['ocid'])).size).toBe(1);
});

test('a platform that numbers modifications from 0 in one file and from 1 in the next gives each amendment one release id', async () => {
  // Dematis, contract 2022-835118-00: ids 0 and 2 in the early file, 1, 2 and 3 (one more) in daily-20
  const dir = join(SHARED, 'decp/samples/2024-json');
  const { releases } = await convertAll([join(dir, 'dematis-e-marchespublics_2024-07-early.json'), join(dir, 'dematis-e-marchespublics_2024-07-daily-20.json')]);
  const amendments = releases.filter((r) => (r['ocid'] as string).endsWith('-2022-835118-00') && (r['tag'] as string[]).includes('contractAmendment'));
  const byDate = new Map<string, Set<string>>();
  for (const r of amendments) {
    const c = (r['contracts'] as Array<{ amendments: Array<{ date: string }> }>)[0]!;
    const date = c.amendments.at(-1)!.date;
    byDate.set(date, (byDate.get(date) ?? new Set()).add(r['id'] as string));
  }
  // three amendments, each with one id whichever file gave it (the early file's 0 and 2 are not ranks)
  expect(byDate.size).toBe(3);
  for (const ids of byDate.values()) expect(ids.size).toBe(1);
  expect(new Set(amendments.map((r) => r['id'])).size).toBe(3);
  const early = await convertAll([join(dir, 'dematis-e-marchespublics_2024-07-early.json')]);
  const flagged = early.releases.find((r) => (r['ocid'] as string).endsWith('-2022-835118-00'))!;
  expect(JSON.stringify(flagged['x_decp'])).toMatch(/MODIFICATION_IDS_UNUSABLE/);
});

test('records whose id is a placeholder (zeros) are not one process: each has its own ocid, flagged, stable', async () => {
  // Ville de Croix: seven unrelated contracts (other objets, dates, procedures) under "000000000000"
  const path = join(SHARED, 'decp/samples/2019-json/marches-securises_ville-de-croix_2019-2021.json');
  const { releases } = await convertAll([path]);
  const initial = releases.filter((r) => (r['tag'] as string[]).includes('award'));
  const placeholders = initial.filter((r) => /-000000000000-[a-z0-9]+$/.test(r['ocid'] as string));
  expect(placeholders).toHaveLength(7);
  expect(new Set(placeholders.map((r) => r['ocid'])).size).toBe(7);
  for (const r of placeholders) {
    // named by the placeholder and the award id (the record's own content: stable from run to run)
    const awardId = (r['awards'] as Array<{ id: string }>)[0]!.id;
    expect(r['ocid']).toMatch(new RegExp(`-000000000000-${awardId}$`));
    const flags = ((r['x_decp'] as { qualityFlags: Array<{ code: string; pointer: string; raw: unknown }> }).qualityFlags).filter((f) => f.code === 'ID_PLACEHOLDER');
    expect(flags).toEqual([expect.objectContaining({ code: 'ID_PLACEHOLDER', pointer: '/id', raw: '000000000000' })]);
  }
  // the other placeholder of the file, 16 zeros (five records), the same way; no ocid is shared by two of them
  const sixteen = initial.filter((r) => /-0000000000000000-[a-z0-9]+$/.test(r['ocid'] as string));
  expect(sixteen).toHaveLength(5);
  expect(new Set(sixteen.map((r) => r['ocid'])).size).toBe(5);
  expect((await convertAll([path])).releases.map((r) => r['ocid'])).toEqual(releases.map((r) => r['ocid']));
});

test('a 2024 record without any optional 2024 field, but with a numbered modification, is 2024 whatever comes before it: its id is never cut (found by a probe: its ocid depended on the record before it)', async () => {
  const dir = tempDir('decp-ids-');
  const sparse = '<marche><id>2024-007-01</id><acheteur><id>21690123100011</id></acheteur><nature>Marché</nature><objet>Maintenance des ascenseurs</objet><codeCPV>50750000</codeCPV><procedure>Procédure adaptée</procedure><lieuExecution><code>69003</code><typeCode>Code postal</typeCode></lieuExecution><dureeMois>36</dureeMois><dateNotification>2024-03-01</dateNotification><datePublicationDonnees>2024-03-10</datePublicationDonnees><montant>60000</montant><formePrix>Forfaitaire</formePrix><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>40483304800022</id></titulaire></titulaires><modifications><modification><id>1</id><montant>65000</montant><dateNotificationModification>2024-09-01</dateNotificationModification><datePublicationDonneesModification>2024-09-05</datePublicationDonneesModification></modification></modifications></marche>';
  const full = '<marche><id>2024-008</id><acheteur><id>21690123100011</id></acheteur><nature>Marché</nature><objet>x</objet><codeCPV>50750000</codeCPV><procedure>Procédure adaptée</procedure><techniques><technique>Sans objet</technique></techniques><dureeMois>12</dureeMois><dateNotification>2024-03-01</dateNotification><datePublicationDonnees>2024-03-10</datePublicationDonnees><montant>1000</montant><formePrix>Forfaitaire</formePrix><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>40483304800022</id></titulaire></titulaires></marche>';
  const files = { first: `<marches>${sparse}${full}</marches>`, second: `<marches>${full}${sparse}</marches>`, alone: sparse };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, `${name}.xml`), text);
  // the same record in flat JSON lists (2019's shape) with its numbered modification
  writeFileSync(join(dir, 'flat.json'), JSON.stringify({ marches: [{ id: '2024-007-01', acheteur: { id: '21690123100011' }, nature: 'Marché', objet: 'Maintenance des ascenseurs', codeCPV: '50750000', procedure: 'Procédure adaptée', dureeMois: 36, dateNotification: '2024-03-01', datePublicationDonnees: '2024-03-10', montant: 60000, titulaires: [{ typeIdentifiant: 'SIRET', id: '40483304800022' }], modifications: [{ id: 1, montant: 65000, dateNotificationModification: '2024-09-01', datePublicationDonneesModification: '2024-09-05' }] }] }));
  for (const name of [...Object.keys(files).map((n) => `${n}.xml`), 'flat.json']) {
    const ocids = new Set((await convertAll([join(dir, name)])).releases.map((r) => r['ocid'] as string).filter((o) => o.includes('-2024-007')));
    expect([name, [...ocids]]).toEqual([name, ['ocds-78apv2-21690123100011-2024-007-01']]);
  }
});
