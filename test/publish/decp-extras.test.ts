/**
 * DECP facts the releases carry and the store's tables now hold too, so that a monitor reads them
 * with SQL (found by a store probe: they were in the OCDS releases only): a run on two 2024 marchés
 * and a concession with its execution years, each value read back from the DuckDB store and from
 * the Parquet files, typed.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/ingest.js';
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
    formePrix: 'Forfaitaire',
    typesPrix: { typePrix: ['Définitif révisable', 'Provisoire'] },
    techniques: { technique: ['Sans objet'] },
    modalitesExecution: { modaliteExecution: ['Tranches', 'Bons de commande'] },
    considerationsSociales: { considerationSociale: ['Clause sociale'] },
    considerationsEnvironnementales: { considerationEnvironnementale: ['Critère environnemental'] },
    marcheInnovant: false,
    ccag: 'Travaux',
    attributionAvance: true,
    tauxAvance: 0.05,
    origineUE: 0.6,
    origineFrance: 0.4,
    typeGroupementOperateurs: 'Solidaire',
    idAccordCadre: 'AC-2023-7',
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

/** A 2019 marché of DGFiP's variant: its formePrix says how the price varies. */
const MARCHE_2019 = {
  id: '2019MA000101',
  acheteur: { id: '21348301661318', nom: 'Commune de Saint-Aubin-des-Prés', urlProfilAcheteur: 'https://profil.example.fr/saint-aubin' },
  nature: 'Marché',
  objet: 'Réfection de la toiture',
  codeCPV: '45261000-4',
  procedure: 'Procédure adaptée',
  lieuExecution: { code: '35400', typeCode: 'Code postal', nom: 'Saint-Aubin-des-Prés' },
  dureeMois: 4,
  dateNotification: '2019-02-11',
  datePublicationDonnees: '2019-02-20',
  dateTransmissionDonneesEtalab: '2019-02-21',
  montant: 84250.5,
  formePrix: 'Ferme',
  titulaires: [{ typeIdentifiant: 'SIRET', id: '44126906044319', denominationSociale: "COUVERTURES DE L'OUEST SARL" }],
};

describe('DECP facts in the store', () => {
  const dir = tempDir('decp-ocds-extras-');
  const out = join(dir, 'out');
  const db = join(out, 'decp.duckdb');
  const parquet = (table: string): string => `read_parquet('${out}/parquet/${table}/**/*.parquet', hive_partitioning = true)`;
  beforeAll(async () => {
    const input = join(dir, 'decp.json');
    writeFileSync(input, JSON.stringify({ marches: { marche: MARCHES, 'contrat-concession': [CONCESSION] } }));
    const input2019 = join(dir, 'decp-2019.json');
    writeFileSync(input2019, JSON.stringify({ marches: [MARCHE_2019] }));
    expect((await runCli(['run', input, input2019, '--out', out, '--quiet'])).code).toBe(0);
  }, 120_000);

  test("contracts.decp_nature: the DECP nature in the schema's words, another spelling read as it, another label as given (store and Parquet)", async () => {
    const expected = [
      { ocid: OCID('AC-1'), decp_nature: 'Accord-cadre' },
      { ocid: OCID('DSP-2024-01'), decp_nature: 'Délégation de service public' },
      { ocid: OCID('MS-1'), decp_nature: 'Marché subséquent' },
      { ocid: OCID('PPP-1'), decp_nature: 'Marché de partenariat' },
      { ocid: OCID('X-1'), decp_nature: 'Convention' },
      { ocid: 'ocds-78apv2-21348301661318-2019MA000101', decp_nature: 'Marché' },
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

  test("tariff_changes: a concession's tariff year on year, the change and its ratio (a tariff of one year only has none)", async () => {
    const got = await query<Record<string, unknown>>(db, 'SELECT ocid, buyer_id, contract_title, title, currency, paid_by, previous_year::INTEGER AS previous_year, previous_amount, year::INTEGER AS year, amount, change, change_ratio FROM tariff_changes');
    expect(got.map(({ change: _c, change_ratio: _r, ...r }) => r)).toEqual([
      { ocid: CONCESSION_OCID, buyer_id: expect.stringContaining(BUYER), contract_title: 'Restauration scolaire', title: 'Repas enfant', currency: 'EUR', paid_by: 'user', previous_year: 2025, previous_amount: 3.45, year: 2026, amount: 3.55 },
    ]);
    expect(got[0]!['change']).toBeCloseTo(0.1, 12);
    expect(got[0]!['change_ratio']).toBeCloseTo(0.1 / 3.45, 12);
  });

  test("contract_decp: the record's DECP values without an OCDS field, typed, by ocid and contract_id (store and Parquet)", async () => {
    const cols = 'decp_id, price_form, price_types, techniques, execution_modes, social_considerations, environmental_considerations, innovative, ccag, advance_payment, advance_rate, origin_eu, origin_france, grouping_type, framework_id, public_subsidy, currency, buyer_profile_url, strftime(date_transmitted, \'%Y-%m-%d\') AS date_transmitted';
    const none = { price_form: null, price_types: null, techniques: null, execution_modes: null, social_considerations: null, environmental_considerations: null, innovative: null, ccag: null, advance_payment: null, advance_rate: null, origin_eu: null, origin_france: null, grouping_type: null, framework_id: null, public_subsidy: null, currency: null, buyer_profile_url: null, date_transmitted: null };
    const expected = [
      { ...none, decp_id: '2019MA000101', price_types: 'Définitif ferme', buyer_profile_url: 'https://profil.example.fr/saint-aubin', date_transmitted: '2019-02-21' },
      { ...none, decp_id: 'DSP-2024-01', public_subsidy: 150000, currency: 'EUR' },
      {
        ...none,
        decp_id: 'PPP-1',
        price_form: 'Forfaitaire',
        price_types: 'Définitif révisable,Provisoire',
        techniques: 'Sans objet',
        execution_modes: 'Tranches,Bons de commande',
        social_considerations: 'Clause sociale',
        environmental_considerations: 'Critère environnemental',
        innovative: false,
        ccag: 'Travaux',
        advance_payment: true,
        advance_rate: 0.05,
        origin_eu: 0.6,
        origin_france: 0.4,
        grouping_type: 'Solidaire',
        framework_id: 'AC-2023-7',
      },
    ];
    const sql = (from: string): string => `SELECT ${cols} FROM ${from} WHERE decp_id IN ('2019MA000101', 'DSP-2024-01', 'PPP-1') ORDER BY decp_id`;
    expect(await query(db, sql('contract_decp'))).toEqual(expected);
    expect(await query(':memory:', sql(parquet('contract_decp')))).toEqual(expected);
    const types = await query(':memory:', `SELECT typeof(innovative) AS b, typeof(advance_rate) AS r, typeof(public_subsidy) AS s, typeof(date_transmitted) AS d, typeof(price_types) AS t FROM ${parquet('contract_decp')} LIMIT 1`);
    expect(types).toEqual([{ b: 'BOOLEAN', r: 'DOUBLE', s: 'DOUBLE', d: 'DATE', t: 'VARCHAR' }]);
    // (a list is split back with SQL)
    expect(await query(db, "SELECT string_split(execution_modes, ',') AS modes FROM contract_decp WHERE decp_id = 'PPP-1'")).toEqual([{ modes: ['Tranches', 'Bons de commande'] }]);
    // one row per contract (every one a DECP record's: its id), each joining its contract, its provenance the contract's
    expect(await query(db, 'SELECT count(*)::INTEGER AS n, count(c.ocid)::INTEGER AS joined, count(*) FILTER (c.source_sha256 = d.source_sha256 AND c.source_index = d.source_index)::INTEGER AS same FROM contract_decp d LEFT JOIN contracts c USING (ocid, contract_id)')).toEqual([
      { n: 6, joined: 6, same: 6 },
    ]);
    expect(await query(db, 'SELECT count(*)::INTEGER AS n FROM contracts')).toEqual([{ n: 6 }]);
    // contracts stays as narrow as before; contract_decp's Parquet has no year (split by segment only), nor chunk
    const columns = async (from: string): Promise<string[]> => (await query(':memory:', `SELECT name FROM parquet_schema('${out}/parquet/${from}/**/*.parquet') WHERE num_children IS NULL`)).map((r) => r['name'] as string);
    expect(await columns('contracts')).not.toContain('decp_id');
    expect(await columns('contract_decp')).toEqual(['ocid', 'contract_id', ...cols.replace(/strftime\(date_transmitted, '%Y-%m-%d'\) AS /, '').split(', '), 'source_sha256', 'source_index']);
    expect(readdirSync(join(out, 'parquet/contract_decp')).filter((f) => f.startsWith('year='))).toEqual([]);
  });
});

test("a concession's year without investment has none (null), a free tariff is 0, and a year given without a date is n<position>", async () => {
  const dir = tempDir('decp-ocds-extras-');
  const out = join(dir, 'out');
  const input = join(dir, 'concession.json');
  const years = [
    { donneesAnnuelles: { datePublicationDonneesExecution: '2025-04-30', tarifs: [{ tarif: { intituleTarif: 'Accès parc', tarif: 0 } }] } },
    { donneesAnnuelles: { depensesInvestissement: 0, tarifs: [{ tarif: { intituleTarif: 'Accès parc', tarif: 1.5 } }] } },
  ];
  writeFileSync(input, JSON.stringify({ marches: { 'contrat-concession': [{ ...CONCESSION, id: 'DSP-2', montantSubventionPublique: 0, donneesExecution: years }] } }));
  expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
  const db = join(out, 'decp.duckdb');
  expect(await query(db, 'SELECT execution_id, investment, currency, tariffs FROM executions ORDER BY execution_id')).toEqual([
    { execution_id: '2025', investment: null, currency: null, tariffs: 1 },
    { execution_id: 'n2', investment: 0, currency: 'EUR', tariffs: 1 },
  ]);
  expect(await query(db, 'SELECT e.execution_id, t.tariff_id, t.title, t.amount FROM tariffs t JOIN executions e USING (ocid, release_id) ORDER BY t.tariff_id')).toEqual([
    { execution_id: '2025', tariff_id: '2025-1', title: 'Accès parc', amount: 0 },
    { execution_id: 'n2', tariff_id: 'n2-1', title: 'Accès parc', amount: 1.5 },
  ]);
  // (montantSubventionPublique 0: no charge, a subsidy of 0)
  expect(await query(db, 'SELECT public_subsidy, currency FROM contract_decp')).toEqual([{ public_subsidy: 0, currency: 'EUR' }]);
}, 120_000);

test("contract_decp on real files: a 2024 platform's values typed, a 2019 formePrix as its price type; a partner's contract, its implementation without a subsidy, has no row", async () => {
  const out = join(tempDir('decp-ocds-extras-'), 'out');
  const samples = join(SHARED, 'decp/samples');
  const inputs = [join(samples, '2024-json/dematis-e-marchespublics_2024-07-daily-18.json'), join(samples, '2019-json/marches-securises_ville-de-croix_2019-2021.json'), join(SHARED, 'partners/mexico-cdmx/release-package_encoding-utf-8.json')];
  expect((await runCli(['run', ...inputs, '--out', out, '--quiet'])).code).toBe(0);
  const db = join(out, 'decp.duckdb');
  const none = { price_form: null, price_types: null, techniques: null, execution_modes: null, social_considerations: null, environmental_considerations: null, innovative: null, ccag: null, advance_payment: null, advance_rate: null, origin_eu: null, origin_france: null, grouping_type: null, framework_id: null, public_subsidy: null, currency: null, buyer_profile_url: null, date_transmitted: null };
  const sql = "SELECT * EXCLUDE (ocid, contract_id, source_sha256, source_index, chunk) FROM contract_decp WHERE decp_id IN ('2024-15', '24-1004262', '2021owpn20000000') ORDER BY decp_id";
  expect(await query(db, sql)).toEqual([
    { ...none, decp_id: '2021owpn20000000', price_types: 'Définitif ferme' },
    { ...none, decp_id: '2024-15', price_form: 'Unitaire', price_types: 'Définitif actualisable', techniques: 'Accord-cadre', execution_modes: 'Bons de commande', social_considerations: 'Pas de considération sociale', environmental_considerations: 'Pas de considération environnementale', innovative: false, ccag: 'Fournitures courantes et services', advance_payment: false, origin_eu: 1, origin_france: 1, grouping_type: 'Pas de groupement', framework_id: '2024-15' },
    { ...none, decp_id: '24-1004262', price_form: 'Forfaitaire', price_types: 'Définitif révisable', techniques: 'Sans objet', execution_modes: 'Sans objet', social_considerations: 'Pas de considération sociale', environmental_considerations: 'Pas de considération environnementale', innovative: false, ccag: 'Pas de CCAG', advance_payment: true, advance_rate: 0.05, grouping_type: 'Pas de groupement' },
  ]);
  // every DECP contract has its row (its record's id at least), joining it; the partner's contracts none
  const counts = 'SELECT (c.decp_version IS NOT NULL) AS decp, count(*)::INTEGER AS contracts, count(d.ocid)::INTEGER AS rows FROM contracts c LEFT JOIN contract_decp d USING (ocid, contract_id) GROUP BY ALL ORDER BY decp';
  expect(await query(db, counts)).toEqual([
    { decp: false, contracts: 1, rows: 0 },
    { decp: true, contracts: expect.any(Number), rows: expect.any(Number) },
  ]);
  const [, decp] = await query(db, counts);
  expect(decp!['rows']).toBe(decp!['contracts']);
  expect(await query(db, 'SELECT count(*)::INTEGER AS n FROM contract_decp d ANTI JOIN contracts c USING (ocid, contract_id)')).toEqual([{ n: 0 }]);
}, 120_000);

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
    // (2027's entry gives Navette twice, 2nd and 10th of its tariffs: the 10th, given last, is 2027's)
    { donneesAnnuelles: { datePublicationDonneesExecution: '2027-05-02', tarifs: [
      { tarif: { intituleTarif: 'Parking', tarif: 1 } }, { tarif: { intituleTarif: 'Navette', tarif: 2.4 } },
      ...[3, 4, 5, 6, 7, 8, 9].map((n) => ({ tarif: { intituleTarif: `Option ${n}`, tarif: n } })),
      { tarif: { intituleTarif: 'Navette', tarif: 2.5 } },
    ] } },
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
