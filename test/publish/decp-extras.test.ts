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

  test("tariff_changes: a concession's tariff year on year, the change and its ratio (a tariff of one year only has none)", async () => {
    const got = await query<Record<string, unknown>>(db, 'SELECT ocid, buyer_id, contract_title, title, currency, paid_by, previous_year::INTEGER AS previous_year, previous_amount, year::INTEGER AS year, amount, change, change_ratio FROM tariff_changes');
    expect(got.map(({ change: _c, change_ratio: _r, ...r }) => r)).toEqual([
      { ocid: CONCESSION_OCID, buyer_id: expect.stringContaining(BUYER), contract_title: 'Restauration scolaire', title: 'Repas enfant', currency: 'EUR', paid_by: 'user', previous_year: 2025, previous_amount: 3.45, year: 2026, amount: 3.55 },
    ]);
    expect(got[0]!['change']).toBeCloseTo(0.1, 12);
    expect(got[0]!['change_ratio']).toBeCloseTo(0.1 / 3.45, 12);
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

test("tariff_changes: a tariff is known by its title's letters (case, accents), a year given twice is its last entry, a free tariff's rise has no ratio, an entry without a date is no year's", async () => {
  const dir = tempDir('decp-ocds-extras-');
  const out = join(dir, 'out');
  const input = join(dir, 'concession.json');
  const years = [
    { donneesAnnuelles: { datePublicationDonneesExecution: '2024-04-30', tarifs: [{ tarif: { intituleTarif: 'Accès parc', tarif: 0 } }, { tarif: { intituleTarif: 'Navette', tarif: 2 } }] } },
    { donneesAnnuelles: { datePublicationDonneesExecution: '2025-04-30', tarifs: [{ tarif: { intituleTarif: 'Accès parc', tarif: 1.5 } }, { tarif: { intituleTarif: 'Navette', tarif: 2 } }] } },
    // (a second entry of 2025, later, the title in capitals without its accent: its 2 € is 2025's)
    { donneesAnnuelles: { datePublicationDonneesExecution: '2025-09-30', tarifs: [{ tarif: { intituleTarif: 'ACCES  PARC', tarif: 2 } }] } },
    // (no date: its release's date is the record's, 2024, not its year's — no point of the series)
    { donneesAnnuelles: { tarifs: [{ tarif: { intituleTarif: 'Navette', tarif: 9 } }] } },
    { donneesAnnuelles: { datePublicationDonneesExecution: '2027-05-02', tarifs: [{ tarif: { intituleTarif: 'Navette', tarif: 2.5 } }] } },
  ];
  writeFileSync(input, JSON.stringify({ marches: { 'contrat-concession': [{ ...CONCESSION, id: 'DSP-3', donneesExecution: years }] } }));
  expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
  const db = join(out, 'decp.duckdb');
  expect(await query(db, 'SELECT title, previous_year::INTEGER AS previous_year, previous_amount, year::INTEGER AS year, amount, change, change_ratio FROM tariff_changes ORDER BY title, year')).toEqual([
    { title: 'ACCES  PARC', previous_year: 2024, previous_amount: 0, year: 2025, amount: 2, change: 2, change_ratio: null },
    { title: 'Navette', previous_year: 2024, previous_amount: 2, year: 2025, amount: 2, change: 0, change_ratio: 0 },
    { title: 'Navette', previous_year: 2025, previous_amount: 2, year: 2027, amount: 2.5, change: 0.5, change_ratio: 0.25 },
  ]);
}, 120_000);
