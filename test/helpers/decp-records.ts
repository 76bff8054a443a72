/** DECP 2019 records made by hand for mapping tests: a valid marché or concession, with what a test changes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll } from './convert.js';
import { tempDir } from './tmp.js';

export type J = Record<string, unknown>;
export const BUYER = '21590163800019';

export const marche = (id: string, extra: J): J => ({
  id, acheteur: { id: BUYER }, objet: `objet ${id}`, codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 12,
  dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, titulaires: [{ typeIdentifiant: 'SIRET', id: '44189140500017', denominationSociale: 'X' }], ...extra,
});

export const concession = (id: string, extra: J): J => ({
  _type: 'Contrat de concession', id, autoriteConcedante: { id: BUYER, nom: 'Ville' }, nature: 'Concession de service', objet: `objet ${id}`, procedure: 'Procédure négociée ouverte', dureeMois: 60,
  dateSignature: '2019-01-10', datePublicationDonnees: '2019-01-20', dateDebutExecution: '2019-02-01', valeurGlobale: 900000, concessionnaires: [{ typeIdentifiant: 'SIRET', id: '55203253400646', denominationSociale: 'AQUA SA' }], ...extra,
});

/** The records converted from one 2019 file; the releases `keep` takes, by their record's DECP id (a later one of an id wins). */
export async function releasesById(records: J[], keep: (tags: readonly string[]) => boolean): Promise<Map<string, J>> {
  const file = join(tempDir('decp-ocds-records-'), 'm.json');
  writeFileSync(file, JSON.stringify({ marches: records }));
  const { releases } = await convertAll([file]);
  return new Map(releases.filter((r) => keep(r['tag'] as string[])).map((r) => [(r['x_decp'] as J)['id'] as string, r as unknown as J]));
}

export const flagsOf = (r: J): Array<{ code: string; pointer: string; raw?: unknown }> => ((r['x_decp'] as J)['qualityFlags'] as Array<{ code: string; pointer: string }> | undefined) ?? [];
