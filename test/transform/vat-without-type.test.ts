/**
 * A supplier whose identifier type is empty or missing is taken to be of the profile's default type,
 * SIRET for DECP (ID_TYPE_ASSUMED). An identifier that is a VAT number by its shape (`FR43802684969`,
 * `DE123456789`: a country's two letters, then the number) was so published under the French
 * company register's scheme, `FR-RCS-FR43802684969`: an identifier the register never gave, where the
 * same supplier typed `TVA` is `FR-DECP-TVA-…` with its SIREN (found by a probe). Such an id is read as
 * a VAT number now, said ID_TYPE_ASSUMED as before; digits stay a SIRET. So is one typed SIRET
 * (ID_TYPE_CORRECTED).
 */
import { readBytes } from '../helpers/ingest.js';
import { createConverter } from '../../src/transform/decp/convert-record.js';
import { loadProfile } from '../../src/ingest/profiles.js';

const converter = createConverter(await loadProfile(), { ocidPrefix: 'ocds-78apv2', runDate: '2026-01-01T00:00:00Z' });

const BASE = { id: 'V1', acheteur: { id: '21590163800019' }, nature: 'Marché', objet: 'Voirie', codeCPV: '45000000', procedure: 'Procédure adaptée', lieuExecution: { code: '59170', typeCode: 'Code postal' }, formePrix: 'Forfaitaire', dureeMois: 3, dateNotification: '2024-12-06', datePublicationDonnees: '2024-12-07', montant: 100 };

const partiesOf = async (titulaire: Record<string, unknown>): Promise<{ parties: unknown; flags: string[] }> => {
  const r = await readBytes(JSON.stringify({ marches: [{ ...BASE, titulaires: [titulaire] }] }));
  const out = converter.convert(r.records[0]!);
  if (!out.ok) throw new Error(out.reason);
  const rel = out.releases[0] as { parties: Array<{ roles: string[] }>; x_decp: { qualityFlags?: Array<{ code: string; pointer: string }> } };
  return { parties: rel.parties.filter((p) => p.roles.includes('supplier')), flags: (rel.x_decp.qualityFlags ?? []).map((f) => `${f.code} ${f.pointer}`) };
};

test.each([
  [{ typeIdentifiant: '', id: 'FR43802684969' }, [{ id: 'FR-DECP-TVA-FR43802684969', identifier: { scheme: 'FR-DECP-TVA', id: 'FR43802684969' }, additionalIdentifiers: [{ scheme: 'FR-RCS', id: '802684969' }], roles: ['supplier'] }]],
  [{ id: 'DE 123 456 789' }, [{ id: 'FR-DECP-TVA-DE123456789', identifier: { scheme: 'FR-DECP-TVA', id: 'DE123456789' }, roles: ['supplier'] }]],
  [{ typeIdentifiant: '', id: 'ESB12345678' }, [{ id: 'FR-DECP-TVA-ESB12345678', identifier: { scheme: 'FR-DECP-TVA', id: 'ESB12345678' }, roles: ['supplier'] }]],
])('%j: a VAT number by its shape', async (titulaire, want) => {
  const got = await partiesOf(titulaire);
  expect(got.parties).toEqual(want);
  expect(got.flags).toContain('ID_TYPE_ASSUMED /titulaires/0/typeIdentifiant');
  expect(got.flags.some((f) => f.startsWith('SIRET_'))).toBe(false);
});

// (found by a mapping audit: `PT500363790` typed SIRET on a real platform was `FR-RCS-PT500363790`)
test.each([
  [{ typeIdentifiant: 'SIRET', id: 'PT500363790' }, [{ id: 'FR-DECP-TVA-PT500363790', identifier: { scheme: 'FR-DECP-TVA', id: 'PT500363790' }, roles: ['supplier'] }]],
  [{ typeIdentifiant: 'siret', id: 'FR 43 802684969' }, [{ id: 'FR-DECP-TVA-FR43802684969', identifier: { scheme: 'FR-DECP-TVA', id: 'FR43802684969' }, additionalIdentifiers: [{ scheme: 'FR-RCS', id: '802684969' }], roles: ['supplier'] }]],
])('%j: a VAT number typed SIRET is read as one, said', async (titulaire, want) => {
  const got = await partiesOf(titulaire);
  expect(got.parties).toEqual(want);
  expect(got.flags).toContain('ID_TYPE_CORRECTED /titulaires/0/typeIdentifiant');
  expect(got.flags.some((f) => f.startsWith('SIRET_') || f.startsWith('ID_TYPE_ASSUMED'))).toBe(false);
});

test('typed SIRET: digits, a SIRET after FR and other text stay a SIRET (flagged as before)', async () => {
  for (const id of ['80268496900016', 'FR80268496900016']) {
    const got = await partiesOf({ typeIdentifiant: 'SIRET', id });
    expect(got.parties).toEqual([{ id: 'FR-RCS-80268496900016', identifier: { scheme: 'FR-RCS', id: '80268496900016' }, roles: ['supplier'] }]);
    expect(got.flags.some((f) => f.startsWith('ID_TYPE_CORRECTED'))).toBe(false);
  }
  const spanish = await partiesOf({ typeIdentifiant: 'SIRET', id: 'B-91295212' });
  expect(spanish.flags.some((f) => f.startsWith('ID_TYPE_CORRECTED'))).toBe(false);
  expect(spanish.flags).toContain('SIRET_NOT_DIGITS /titulaires/0/id');
});

test('digits stay a SIRET, a SIRET written after FR too; a typed identifier is as typed', async () => {
  expect((await partiesOf({ typeIdentifiant: '', id: '80268496900016' })).parties).toEqual([{ id: 'FR-RCS-80268496900016', identifier: { scheme: 'FR-RCS', id: '80268496900016' }, roles: ['supplier'] }]);
  expect((await partiesOf({ id: 'FR80268496900016' })).parties).toEqual([{ id: 'FR-RCS-80268496900016', identifier: { scheme: 'FR-RCS', id: '80268496900016' }, roles: ['supplier'] }]);
  expect((await partiesOf({ typeIdentifiant: 'HORS-UE', id: 'DE123456789' })).parties).toEqual([{ id: 'FR-DECP-HORS-UE-DE123456789', identifier: { scheme: 'FR-DECP-HORS-UE', id: 'DE123456789' }, roles: ['supplier'] }]);
});
