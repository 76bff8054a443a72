/**
 * DECP facts the releases carry and the store's tables now hold too, so that a monitor reads them
 * with SQL (found by a store probe: they were in the OCDS releases only): a run on two 2024 marchés
 * and a concession with its execution years, each value read back from the DuckDB store and from
 * the Parquet files, typed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { storeObjects } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';

const query = storeObjects;
const BUYER = '20694026140141';
const OCID = (id: string): string => `ocds-78apv2-${BUYER}-${id}`;

/** A 2024 marché: its nature as given, its other fields over a small base. */
function marche(id: string, nature: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    acheteur: { id: BUYER },
    nature,
    objet: `Objet ${id}`,
    codeCPV: '45321000',
    procedure: "Appel d'offres ouvert",
    lieuExecution: { code: '69123', typeCode: 'Code commune' },
    dureeMois: 10,
    dateNotification: '2024-03-18',
    datePublicationDonnees: '2024-03-25',
    montant: 312400,
    offresRecues: 5,
    titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '41436537056563' } }],
    ...extra,
  };
}

const MARCHES = [
  marche('PPP-1', 'Marché de partenariat', {
    sousTraitanceDeclaree: true,
    actesSousTraitance: [
      { acteSousTraitance: { id: 1, sousTraitant: { typeIdentifiant: 'SIRET', id: '41253287046557' }, dureeMois: 3, dateNotification: '2024-05-02', montant: 28000, variationPrix: 'Révisable', datePublicationDonnees: '2024-05-06' } },
      { acteSousTraitance: { id: 2, sousTraitant: { typeIdentifiant: 'SIRET', id: '80268496900016' }, dureeMois: 2, dateNotification: '2024-05-03', montant: 9000, datePublicationDonnees: '2024-05-06' } },
    ],
    // (a change of act 1's amount: its price variation stays the act's)
    modificationsActesSousTraitance: [{ modificationActeSousTraitance: { id: 1, dureeMois: 4, dateNotificationModificationSousTraitance: '2024-06-01', montant: 30000, datePublicationDonnees: '2024-06-02' } }],
  }),
  // (another spelling: read as the label it spells)
  marche('AC-1', 'accords cadres', { techniques: { technique: ['Accord-cadre'] } }),
  marche('MS-1', 'Marché subséquent'),
  // (a label of no DECP nature: as given)
  marche('X-1', 'Convention'),
];

const CONCESSION = {
  id: 'DSP-2024-01',
  autoriteConcedante: { id: BUYER },
  nature: 'Délégation de service public',
  objet: 'Restauration scolaire',
  procedure: 'Procédure non négociée ouverte',
  dureeMois: 60,
  dateSignature: '2024-06-28',
  datePublicationDonnees: '2024-07-08',
  dateDebutExecution: '2024-09-01',
  valeurGlobale: 2400000,
  montantSubventionPublique: 150000,
  concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '42058740400039' } }],
  donneesExecution: [
    { donneesAnnuelles: { datePublicationDonneesExecution: '2025-04-30', depensesInvestissement: 35000, tarifs: [{ tarif: { intituleTarif: 'Repas enfant', tarif: 3.45 } }, { tarif: { intituleTarif: 'Repas adulte', tarif: 6.2 } }] } },
    { donneesAnnuelles: { datePublicationDonneesExecution: '2026-04-28', depensesInvestissement: 12000, tarifs: [{ tarif: { intituleTarif: 'Repas enfant', tarif: 3.55 } }] } },
  ],
};

describe('DECP facts in the store', () => {
  const dir = tempDir('decp-ocds-extras-');
  const out = join(dir, 'out');
  const db = join(out, 'decp.duckdb');
  const parquet = (table: string): string => `read_parquet('${out}/parquet/${table}/**/*.parquet', hive_partitioning = true)`;
  beforeAll(async () => {
    const input = join(dir, 'decp.json');
    writeFileSync(input, JSON.stringify({ marches: { marche: MARCHES, 'contrat-concession': [CONCESSION] } }));
    expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
  }, 120_000);

  test("contracts.decp_nature: the DECP nature in the schema's words, another spelling read as it, another label as given (store and Parquet)", async () => {
    const expected = [
      { ocid: OCID('AC-1'), decp_nature: 'Accord-cadre' },
      { ocid: OCID('DSP-2024-01'), decp_nature: 'Délégation de service public' },
      { ocid: OCID('MS-1'), decp_nature: 'Marché subséquent' },
      { ocid: OCID('PPP-1'), decp_nature: 'Marché de partenariat' },
      { ocid: OCID('X-1'), decp_nature: 'Convention' },
    ];
    expect(await query(db, 'SELECT ocid, decp_nature FROM contracts ORDER BY ocid')).toEqual(expected);
    expect(await query(':memory:', `SELECT ocid, decp_nature FROM ${parquet('contracts')} ORDER BY ocid`)).toEqual(expected);
    expect(await query(':memory:', `SELECT DISTINCT typeof(decp_nature) AS t FROM ${parquet('contracts')}`)).toEqual([{ t: 'VARCHAR' }]);
  });

  const CONCESSION_OCID = OCID('DSP-2024-01');
  test("executions: a concession's execution years, each with its investment, date and tariffs counted (store and Parquet)", async () => {
    const [award] = await query<{ award_id: string }>(db, `SELECT award_id FROM awards WHERE ocid = '${CONCESSION_OCID}'`);
    const base = `${CONCESSION_OCID}-${award!.award_id}`;
    const expected = [
      { award_id: award!.award_id, execution_id: '2025', release_id: `${base}-x2025`, day: '2025-04-30', year: 2025, investment: 35000, currency: 'EUR', tariffs: 2 },
      { award_id: award!.award_id, execution_id: '2026', release_id: `${base}-x2026`, day: '2026-04-28', year: 2026, investment: 12000, currency: 'EUR', tariffs: 1 },
    ];
    // (the day in Paris: a DECP day is its midnight there)
    const sql = (from: string): string => `SELECT award_id, execution_id, release_id, strftime(timezone('Europe/Paris', date), '%Y-%m-%d') AS day, year::INTEGER AS year, investment, currency, tariffs FROM ${from} ORDER BY execution_id`;
    expect(await query(db, sql('executions'))).toEqual(expected);
    expect(await query(':memory:', sql(parquet('executions')))).toEqual(expected);
    // typed columns, not JSON
    expect(await query(':memory:', `SELECT typeof(date) AS d, typeof(investment) AS i, typeof(tariffs) AS t FROM ${parquet('executions')} LIMIT 1`)).toEqual([{ d: 'TIMESTAMP WITH TIME ZONE', i: 'DOUBLE', t: 'INTEGER' }]);
    // the marchés have none
    expect(await query(db, `SELECT count(*)::INTEGER AS n FROM executions WHERE ocid <> '${CONCESSION_OCID}'`)).toEqual([{ n: 0 }]);
  });

  test("tariffs: a concession's tariffs year by year, each with the release that gave it, joining its execution year (store and Parquet)", async () => {
    const expected = [
      { tariff_id: '2025-1', execution_id: '2025', year: 2025, title: 'Repas enfant', amount: 3.45, currency: 'EUR', paid_by: 'user' },
      { tariff_id: '2025-2', execution_id: '2025', year: 2025, title: 'Repas adulte', amount: 6.2, currency: 'EUR', paid_by: 'user' },
      { tariff_id: '2026-1', execution_id: '2026', year: 2026, title: 'Repas enfant', amount: 3.55, currency: 'EUR', paid_by: 'user' },
    ];
    const sql = (t: string, e: string): string => `SELECT t.tariff_id, e.execution_id, t.year::INTEGER AS year, t.title, t.amount, t.currency, t.paid_by FROM ${t} t JOIN ${e} e USING (ocid, release_id) JOIN contracts k ON k.ocid = t.ocid AND k.contract_id = t.contract_id AND k.award_id = e.award_id ORDER BY t.tariff_id`;
    expect(await query(db, sql('tariffs', 'executions'))).toEqual(expected);
    const [k] = await query<{ contract_id: string }>(db, `SELECT contract_id FROM contracts WHERE ocid = '${CONCESSION_OCID}'`);
    const fromParquet = await query(':memory:', `SELECT t.tariff_id, e.execution_id, t.year::INTEGER AS year, t.title, t.amount, t.currency, t.paid_by FROM ${parquet('tariffs')} t JOIN ${parquet('executions')} e USING (ocid, release_id) WHERE t.contract_id = '${k!.contract_id}' ORDER BY t.tariff_id`);
    expect(fromParquet).toEqual(expected);
    expect(await query(':memory:', `SELECT typeof(amount) AS a, typeof(date) AS d FROM ${parquet('tariffs')} LIMIT 1`)).toEqual([{ a: 'DOUBLE', d: 'TIMESTAMP WITH TIME ZONE' }]);
  });

  test("subcontracts.price_variation: an act's variationPrix as given, kept through a change of its amount; null when not given (store and Parquet)", async () => {
    const expected = [
      { subcontract_id: '1', amount: 30000, duration_months: 4, price_variation: 'Révisable' },
      { subcontract_id: '2', amount: 9000, duration_months: 2, price_variation: null },
    ];
    const sql = (from: string): string => `SELECT subcontract_id, amount, duration_months, price_variation FROM ${from} WHERE ocid = '${OCID('PPP-1')}' ORDER BY subcontract_id`;
    expect(await query(db, sql('subcontracts'))).toEqual(expected);
    expect(await query(':memory:', sql(parquet('subcontracts')))).toEqual(expected);
    expect(await query(':memory:', `SELECT DISTINCT typeof(price_variation) AS t FROM ${parquet('subcontracts')}`)).toEqual([{ t: 'VARCHAR' }]);
  });
});
