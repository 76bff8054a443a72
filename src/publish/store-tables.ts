/**
 * The tables of the DuckDB store, as data: one definition serves the DDL, the
 * staging files' column types (DuckDB reads them with read_json/read_csv), the
 * Parquet export and the documentation. Columns are typed (dates as
 * TIMESTAMPTZ, amounts as DOUBLE beside their currency, identifiers as
 * VARCHAR); every row that comes from an input record carries its `ocid` and
 * its provenance (`source_sha256`, `source_index`), but for `records` (compiled from the releases of
 * many source records: release_sources, by ocid, has them) and `rejects` (its ocid null when the
 * record gave none: a record that does not parse has none). `sources` and `runs` come from no record.
 */

export interface ColumnSpec {
  readonly name: string;
  /** DuckDB type. */
  readonly type: string;
  readonly doc: string;
}

export interface TableSpec {
  readonly name: string;
  readonly doc: string;
  readonly columns: readonly ColumnSpec[];
  /**
   * `ocid`: rows derived from an ocid's compiled record, replaced whenever the
   * ocid is recompiled; `source`: rows of a source file, replaced with it;
   * `run`: one row per run, kept; `peers`: rows that compare contracts of many processes,
   * computed again whole by every run (and exported whole to Parquet, never by segment).
   */
  readonly scope: 'ocid' | 'source' | 'run' | 'release' | 'peers';
  /** Columns left out of the Parquet export (the OCDS JSON is in ocds/). */
  readonly parquetExclude?: readonly string[];
  /** The table's natural order (its key): for readers; the Parquet export does not sort (memory). */
  readonly order: string;
}

const c = (name: string, type: string, doc: string): ColumnSpec => ({ name, type, doc });
const PROVENANCE = [c('source_sha256', 'VARCHAR', 'SHA-256 of the source file that brought the row'), c('source_index', 'BIGINT', '0-based position of the record in that file')];
const YEAR = c('year', 'INTEGER', 'year of the date the table is partitioned by (Parquet: hive partition)');
/**
 * The ocid's publication chunk (as records.chunk), last column of the tables compiled per ocid: their
 * rows are stored chunk by chunk, so that a run reading the rows of the chunks it recompiled skips the
 * others (DuckDB's per-row-group min/max). Not exported: a storage detail (Parquet has records.chunk).
 */
const CHUNK = c('chunk', 'INTEGER', "the ocid's publication chunk (records.chunk; not in Parquet)");
const COMPILED = { scope: 'ocid', parquetExclude: ['chunk'] } as const;

export const TABLES: readonly TableSpec[] = [
  {
    name: 'sources',
    doc: 'every source file the store has read, by content hash',
    scope: 'run',
    order: 'sha256',
    columns: [
      c('sha256', 'VARCHAR', 'SHA-256 of the file as stored'),
      c('path', 'VARCHAR', 'absolute path of the file (a file is known by it from one night to the next, whatever the working folder)'),
      c('format', 'VARCHAR', 'detected format'),
      c('version', 'VARCHAR', 'DECP generation or OCDS version'),
      c('encoding', 'VARCHAR', 'text encoding'),
      c('compressed', 'VARCHAR', 'compression (gzip) or null'),
      c('bytes', 'BIGINT', 'size on disk'),
      c('mtime_ms', 'BIGINT', 'modification time when read (a later run trusts the hash of a file whose path, size and time are unchanged)'),
      c('records_read', 'BIGINT', 'records read (converted + rejected)'),
      c('converted', 'BIGINT', 'records that became releases'),
      c('rejected', 'BIGINT', 'records rejected'),
      c('releases', 'BIGINT', 'releases produced'),
      c('ordinal', 'BIGINT', 'run_id × 10⁶ + position in the run: later sources win for a release id seen twice (between two sources a run is given, their order among its inputs decides, whichever run read each)'),
      c('run_id', 'INTEGER', 'run that read the file'),
      c('status', 'VARCHAR', 'current, replaced (a newer version of the same path was read), or sample (read by a trial run with --sample: the next run reads the file again)'),
      c('replaced_by', 'VARCHAR', 'sha256 of the version that replaced it'),
    ],
  },
  {
    name: 'runs',
    doc: 'one row per run of the nightly job',
    scope: 'run',
    order: 'run_id',
    columns: [
      c('run_id', 'INTEGER', '1, 2, …'),
      c('started_at', 'TIMESTAMPTZ', 'start'),
      c('finished_at', 'TIMESTAMPTZ', "end of the store's writing, before the publication of ocds/, parquet/ and reports/ (run.json's finishedAt is the run's end)"),
      c('files_given', 'INTEGER', 'input files'),
      c('files_new', 'INTEGER', 'files read (new content)'),
      c('files_unchanged', 'INTEGER', 'files skipped: content already in the store, or another input of the run holds it (run.json tells them apart: unchanged, duplicates)'),
      c('files_replaced', 'INTEGER', 'earlier versions of a path replaced by new content'),
      c('files_unreadable', 'INTEGER', 'files that could not be read'),
      c('records_read', 'BIGINT', 'records read'),
      c('converted', 'BIGINT', 'records converted'),
      c('rejected', 'BIGINT', 'records rejected'),
      c('releases_added', 'BIGINT', 'releases added or replaced'),
      c('releases_removed', 'BIGINT', 'releases removed with a replaced source'),
      c('ocids_compiled', 'BIGINT', 'ocids recompiled'),
      c('exit_code', 'INTEGER', 'exit code'),
    ],
  },
  {
    name: 'releases',
    doc: 'every current release (one row per ocid and release id: OCDS makes an id unique within its ocid; of its sources, the latest publication wins, then the source read last)',
    scope: 'release',
    order: 'ocid, date, is_update, source_index, position, release_id',
    columns: [
      c('release_id', 'VARCHAR', 'OCDS release id'),
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('date', 'TIMESTAMPTZ', 'release date'),
      YEAR,
      c('tag', 'VARCHAR', 'release tags, comma-separated'),
      ...PROVENANCE,
      c('source_line', 'BIGINT', '1-based line of the record in its file'),
      c('is_update', 'BOOLEAN', 'an amendment, update, implementation or termination release: at equal dates it comes after the others'),
      c('position', 'INTEGER', 'position among the releases of its record (their order when dates are equal)'),
      c('chunk', 'INTEGER', 'publication chunk of the ocid (ocds/ files are written by chunk; the release JSON is there)'),
      c('source_published', 'TIMESTAMPTZ', 'the latest date among the releases of the source record (its last publication, modifications included): of two sources of one release id, the later publication wins, then the source read last'),
    ],
  },
  {
    name: 'release_sources',
    doc: 'every source record that brought a release: a release (ocid and id) seen in several files (republications, the same contract on two platforms) has several rows',
    scope: 'release',
    order: 'ocid, release_id, source_sha256, source_index',
    parquetExclude: ['chunk'],
    columns: [
      c('release_id', 'VARCHAR', 'OCDS release id'),
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      ...PROVENANCE,
      c('source_line', 'BIGINT', 'line'),
      c('ordinal', 'BIGINT', 'the source’s ordinal'),
      c('published', 'VARCHAR', 'when this source published the release, as it gave it (ISO 8601, its zone kept: text, because the day in that zone is what the publication delay counts, which a TIMESTAMPTZ would lose; `published::TIMESTAMPTZ` gives the instant): DECP datePublicationDonnees (the one before convert moved it back, RELEASE_DATE_AFTER_AMENDMENTS); null when it gave none (the release date came from elsewhere) or a typo (RELEASE_DATE_RAISED). The earliest of a release\'s is when contracts.date_published counts it published: the releases table keeps its later publication'),
      CHUNK,
      c('persons', 'VARCHAR', 'the SIRENs of the natural persons this source\'s copy of the release names (x_decp.personParties), comma-separated: their names are withheld in every process, whichever copy of the release is published'),
    ],
  },
  {
    name: 'records',
    doc: 'one row per OCDS record (ocid); the records themselves are in ocds/records.jsonl.gz. A record is compiled from releases of one or more source records: its provenance is theirs, release_sources (by ocid: every source record of each of its releases, with its source_sha256 and source_index)',
    scope: 'ocid',
    order: 'ocid',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('chunk', 'INTEGER', 'publication chunk'),
      c('releases', 'INTEGER', 'releases compiled'),
      c('first_date', 'TIMESTAMPTZ', 'date of the first release'),
      c('last_date', 'TIMESTAMPTZ', 'date of the last release'),
      YEAR,
      c('buyer_id', 'VARCHAR', 'party id of the buyer'),
      c('merge_warnings', 'INTEGER', 'merge warnings (duplicate ids, equal dates…)'),
    ],
  },
  {
    name: 'parties',
    doc: 'organisations of each process (compiled), with their roles',
    ...COMPILED,
    order: 'ocid, party_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('party_id', 'VARCHAR', 'party id (joins buyer_id, award_suppliers.party_id)'),
      c('name', 'VARCHAR', 'name, when published'),
      c('identifier_scheme', 'VARCHAR', 'identifier scheme (FR-RCS for SIRET…)'),
      c('identifier_id', 'VARCHAR', 'identifier'),
      c('siren', 'VARCHAR', 'the legal unit (SIREN) of a French id: a SIRET\'s first 9 digits (see README)'),
      c('roles', 'VARCHAR', 'roles, comma-separated'),
      c('is_buyer', 'BOOLEAN', 'has the buyer role'),
      c('is_supplier', 'BOOLEAN', 'has the supplier role'),
      c('natural_person', 'BOOLEAN', 'a natural person of a DECP or CSV source (a sole trader, an identifier type that names a person): its name is withheld (RGPD), here and wherever its SIREN is named; false for a partner\'s OCDS party, whose persons are withheld (mappings/ocds-persons.json) but not marked'),
      c('person_elsewhere', 'BOOLEAN', 'known as a natural person by another process (its SIREN), not by this one: its name is withheld here too'),
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'awards',
    doc: 'awards (one per lot/contract), with the initial value',
    ...COMPILED,
    order: 'ocid, award_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('award_id', 'VARCHAR', 'award id'),
      c('buyer_id', 'VARCHAR', 'party id of the buyer'),
      c('title', 'VARCHAR', 'object of the contract'),
      c('status', 'VARCHAR', 'award status'),
      c('date', 'TIMESTAMPTZ', 'award date (notification)'),
      YEAR,
      c('amount', 'DOUBLE', 'initial value'),
      c('currency', 'VARCHAR', 'currency of amount'),
      c('duration_days', 'INTEGER', 'initial duration in days (its contractPeriod: as contracts.initial_duration_days reads a period)'),
      c('suppliers', 'INTEGER', 'number of suppliers'),
      c('has_subcontracting', 'BOOLEAN', 'subcontracting declared (awards[].hasSubcontracting: DECP 2024 sousTraitanceDeclaree); null when not said'),
      c('related_lots', 'VARCHAR', 'the lots it is for (relatedLots: a partner\'s), comma-separated as bids.related_lots; null when it names none'),
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'subcontracts',
    doc: 'subcontracting acts of each award (DECP actesSousTraitance: awards[].subcontracting.subcontracts, their amounts in x_decp.sousTraitance), as the last modification of each act left it',
    ...COMPILED,
    order: 'ocid, award_id, subcontract_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('award_id', 'VARCHAR', 'award id (joins awards, and contracts by contracts.award_id)'),
      c('subcontract_id', 'VARCHAR', 'the act\'s id (DECP: acteSousTraitance.id)'),
      c('party_id', 'VARCHAR', 'subcontractor party id (joins parties); null when the act names none'),
      c('amount', 'DOUBLE', 'amount subcontracted (its latest, after the act\'s modifications); null when not given'),
      c('currency', 'VARCHAR', 'currency of amount (the award\'s)'),
      c('duration_months', 'INTEGER', 'duration of the act in months (its latest)'),
      c('price_variation', 'VARCHAR', 'how the act\'s price varies, DECP 2024 variationPrix as given (Ferme, Actualisable, Révisable); null when not given'),
      c('date_notified', 'DATE', 'notification of the act, the day as its source gave it'),
      YEAR,
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'award_suppliers',
    doc: 'suppliers of each award (one row per award and supplier)',
    ...COMPILED,
    order: 'ocid, award_id, party_id',
    columns: [c('ocid', 'VARCHAR', 'OCDS ocid'), c('award_id', 'VARCHAR', 'award id'), c('party_id', 'VARCHAR', 'supplier party id (joins parties)'), YEAR, ...PROVENANCE, CHUNK],
  },
  {
    name: 'contract_suppliers',
    doc: 'current suppliers of each contract, after its last modification (one row per contract and supplier; award_suppliers has the suppliers at award)',
    ...COMPILED,
    order: 'ocid, contract_id, party_id',
    columns: [c('ocid', 'VARCHAR', 'OCDS ocid'), c('contract_id', 'VARCHAR', 'contract id'), c('party_id', 'VARCHAR', 'supplier party id (joins parties)'), YEAR, ...PROVENANCE, CHUNK],
  },
  {
    name: 'contracts',
    doc: 'contracts in their current state (after the last modification), with the initial value beside it',
    ...COMPILED,
    order: 'ocid, contract_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('contract_id', 'VARCHAR', 'contract id'),
      c('award_id', 'VARCHAR', 'award id'),
      c('buyer_id', 'VARCHAR', 'party id of the buyer'),
      c('title', 'VARCHAR', 'object'),
      c('status', 'VARCHAR', 'contract status'),
      c('date_signed', 'TIMESTAMPTZ', 'notification / signature date'),
      c('date_published', 'TIMESTAMPTZ', 'when the contract was first published, by any of its sources (release_sources.published: a record republished unchanged keeps its first date): DECP datePublicationDonnees; for a record republished after its modifications (flag RELEASE_DATE_AFTER_AMENDMENTS), the earliest of it and its modifications\' publication dates (it was public by then), typos (RELEASE_DATE_RAISED) left out; null when the source gives none (the release date came from elsewhere: RELEASE_DATE_FROM_NOTIFICATION, _LATER, _INITIAL, _RUN); for a contract published twice, the first publication of the group (on the row counted); null for a contract known from a compiled release only (a partner\'s record whose releases are linked, not read: its date is when it was compiled)'),
      c('signed_day', 'DATE', 'the notification day as the source gave it: its own calendar day, whatever its zone (2019-01-01T00:00:00-04:00 is 2019-01-01)'),
      c('publication_delay_days', 'INTEGER', 'calendar days from notification to first publication (date_published), each day as its source gave it (L = dp − dn of red-flags.md); negative: a data error; null without a publication date'),
      YEAR,
      c('initial_amount', 'DOUBLE', 'value at award: the contract’s value as first published (as its corrections left it, see amendments.correction), else the award’s; for a contract known from a compiled release only (its history not read), its value when it lists no amendment, else its award’s when the award is its alone, else null; null too when that value is in another currency than currency (a partner’s award in UAH, its contract in USD)'),
      c('amount', 'DOUBLE', 'value after the last modification'),
      c('currency', 'VARCHAR', 'currency'),
      c('period_start', 'TIMESTAMPTZ', 'start of the contract period'),
      c('period_end', 'TIMESTAMPTZ', 'end (or latest possible end) of the period, after modifications'),
      c('initial_duration_days', 'INTEGER', 'duration at award in days: the contract’s period as first published (as its corrections left it: the last correction that gives a duration gives both initial durations), else the award’s contractPeriod (a partner’s award may give an estimate the contract does not keep); its durationInDays, else the calendar days from its startDate to its end (maxExtentDate, else endDate), each day as its source gave it'),
      c('duration_days', 'INTEGER', 'duration after modifications in days (as initial_duration_days)'),
      c('initial_duration_months', 'INTEGER', 'duration at award in whole months, when its end (maxExtentDate, else endDate) is that many calendar months after its start, day for day (DECP durations are months; a period of months and days, a partner’s 2024-01-09 to 2024-12-31, has none: its days measure it), or a DECP contract\'s dureeMois when its period has no start (no usable notification date); else null'),
      c('duration_months', 'INTEGER', 'duration after modifications in whole months (as initial_duration_months)'),
      c('amendments', 'INTEGER', 'number of modifications (corrections included)'),
      c('corrections', 'INTEGER', 'how many of the modifications are corrections (DECP: notified on the day of the contract\'s notification, see amendments.correction): the initial amount and duration are those the last correction gave'),
      c('first_amendment_days', 'INTEGER', 'calendar days from notification to the first modification dated after it that is no correction, each day as its source gave it (dn1 − dn of red-flags.md); null without one'),
      c('suppliers', 'INTEGER', 'number of current suppliers'),
      c('suppliers_changed', 'INTEGER', 'DECP: how many suppliers (legal units: a French company by its SIREN) the modifications that are no corrections added or removed, against those at award as the corrections left them (the last correction that lists suppliers, else the award\'s), when one of them lists suppliers and both lists are known (SUPPLIERS_CHANGED when over 0); else null'),
      c('procurement_method', 'VARCHAR', 'open, selective, limited, direct'),
      c('procurement_method_details', 'VARCHAR', 'the DECP procedure'),
      c('main_category', 'VARCHAR', 'goods, services, works'),
      c('framework_agreement', 'BOOLEAN', 'a framework agreement (DECP nature or technique "Accord-cadre"; OCDS tender.techniques.hasFrameworkAgreement); false for a DECP contract that is none, null when a partner says nothing'),
      c('purchase_orders', 'BOOLEAN', 'executed by purchase orders (DECP modalitesExecution “Bons de commande”): its value is a maximum, as a framework agreement’s; false for a DECP record that gives other modes, null where the source says nothing (the 2019 format, partners)'),
      c('call_off', 'BOOLEAN', 'a call-off of a framework agreement: a DECP marché subséquent (OCDS relatedProcesses with the relationship framework), whether or not it names the framework'),
      c('framework_ocid', 'VARCHAR', 'the ocid of the framework agreement a call-off is under, when named (DECP idAccordCadre: the ocid of its buyer and that id; OCDS relatedProcesses framework of scheme ocid); else null. A call-off of a framework in the store is counted in the framework\'s value: the views that add values leave its value out (see README)'),
      c('cpv', 'VARCHAR', 'CPV code (8 digits, without a check digit: 15860000-4 from a partner is 15860000; a partner’s item classified under CPV or ДК021, Prozorro’s name of the CPV; a code of no CPV division, ДК021’s 99999999-9 “not defined”, is none)'),
      c('place_departement', 'VARCHAR', 'French département where the contract is performed (INSEE code: 01–95, 2A, 2B, 971–976), from its items’ place: a postal code’s or commune’s département, or the département DECP names (lieuExecution “Code département”); null when none is known or its items name several'),
      c('place_region', 'VARCHAR', 'région where it is performed: for a French place the INSEE code of its région (2016 regions: 84 Auvergne-Rhône-Alpes…; a code of before 2016 as the région it joined; a NUTS code of France as its région); for another country’s, the region its delivery address names, as given; null when none is known or its items name several'),
      c('bids', 'INTEGER', 'offers received: the award’s statistic (DECP offresRecues); for a partner’s process without one, its bidders (the tenderers of bids.details, but those invited, withdrawn or deleted: one company’s or one consortium’s bids are one, known by its organization identifier) or else tender.numberOfTenderers, when the process has one award or one offer in all (an unsuccessful or cancelled award of its lot, given no contract, is not one more); in a process whose offers name their lots (bids.details[].relatedLots), the bidders for the award’s lots (null when none of them is for its lots); a statistic of the award’s one lot (relatedLot) is its'),
      c('record_type', 'VARCHAR', 'marche or contrat-concession (DECP, or data a mapping profile maps as one)'),
      c('decp_nature', 'VARCHAR', "the DECP nature of the record that brought it (x_decp.nature), in the schema's words: a marché's Marché, Marché de partenariat, Marché de défense ou de sécurité, Accord-cadre, Marché subséquent; a concession's Concession de travaux, Concession de service, Concession de service public, Délégation de service public; another spelling of one read as it (accord cadre, Accords-cadres, Marché public: Marché), another label as given; null when the record gives none (a partner's data)"),
      c('decp_version', 'VARCHAR', 'DECP generation of the source record (2019, 2023-interim, 2024); null for other data (OCDS, mapping profiles)'),
      c('market', 'VARCHAR', 'the market the monitor\'s views compare it within: FR for DECP; else the country its buyer\'s identifier scheme begins with (UA-EDR: UA; CO-RUE: CO; a French profile\'s FR-RCS: FR); else its ocid\'s registered prefix, its publisher (ocds-03ad3f); else null'),
      c('duplicate_of', 'VARCHAR', 'another publication of a contract of the same ocid (a second platform, or its title corrected): the contract_id of the one counted; null for the one counted and every other contract. Same signature day, initial amount and suppliers at award (by SIREN), titles not naming different lots, and the same CPV or a word of their titles in common (generic words aside); or its initial amount corrected by a later publication (same title in words, day and suppliers, first published on another day: the last published is counted); or its notification day corrected by a later publication (same source record id, title in words, initial amount and suppliers, first published on another day, signed no later than the earlier one was first published: the last published is counted); the views and red flags leave these rows out'),
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'contract_decp',
    doc: "a contract's other DECP values, those without an OCDS field (x_decp of the release that brought it), typed: one row per contract that has any (every DECP contract: its record's id; a partner's contract only with a public subsidy, none else). Narrow, without a year (the contract's is contracts.year): its Parquet is split by segment only",
    ...COMPILED,
    order: 'ocid, contract_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('contract_id', 'VARCHAR', 'contract id (joins contracts by ocid and contract_id)'),
      c('decp_id', 'VARCHAR', "the id of the source record that brought it, as given (x_decp.id: the DECP id, the buyer's own reference, which the ocid holds cut of a 2019 modification counter; a mapping profile's record id); null for OCDS data"),
      c('price_form', 'VARCHAR', 'DECP formePrix: how the price is made up (2024: Unitaire, Forfaitaire, Mixte); a 2019 formePrix that says how it varies is read as price_types'),
      c('price_types', 'VARCHAR', 'DECP typesPrix, comma-separated: how the price varies (Définitif ferme, Définitif actualisable, Définitif révisable, Provisoire; a 2019 formePrix read as one)'),
      c('techniques', 'VARCHAR', "DECP techniques, comma-separated as given (Accord-cadre, Concours, Système d'acquisition dynamique…; contracts.framework_agreement reads them)"),
      c('execution_modes', 'VARCHAR', 'DECP modalitesExecution, comma-separated as given (Tranches, Bons de commande, Marchés subséquents…; contracts.purchase_orders reads them)'),
      c('social_considerations', 'VARCHAR', 'DECP considerationsSociales, comma-separated as given (Clause sociale, Critère social, Marché réservé, Pas de considération sociale)'),
      c('environmental_considerations', 'VARCHAR', 'DECP considerationsEnvironnementales, comma-separated as given'),
      c('innovative', 'BOOLEAN', 'DECP marcheInnovant; null when not said'),
      c('ccag', 'VARCHAR', 'DECP ccag: the general terms the contract refers to (Travaux, Fournitures courantes et services…), as given'),
      c('advance_payment', 'BOOLEAN', 'DECP attributionAvance: an advance paid; null when not said'),
      c('advance_rate', 'DOUBLE', 'DECP tauxAvance: the advance as a share of the value, 0 to 1 (0.05 is 5 %)'),
      c('origin_eu', 'DOUBLE', 'DECP origineUE: share of the supplies from the EU, 0 to 1'),
      c('origin_france', 'DOUBLE', 'DECP origineFrance: share of the supplies from France, 0 to 1'),
      c('grouping_type', 'VARCHAR', 'DECP typeGroupementOperateurs (Conjoint, Solidaire, Pas de groupement), as given'),
      c('framework_id', 'VARCHAR', 'DECP idAccordCadre as given, on any contract (contracts.framework_ocid is the ocid it names, for a call-off only)'),
      c('public_subsidy', 'DOUBLE', 'public subsidy of a concession, in currency: its charges paid by the government (DECP montantSubventionPublique; 0 when the record says 0); null when none is said'),
      c('currency', 'VARCHAR', "currency of public_subsidy (the contract's); null without one"),
      c('buyer_profile_url', 'VARCHAR', "DECP urlProfilAcheteur (DGFiP's 2019 variant): the buyer's profile URL, as given"),
      c('date_transmitted', 'DATE', "DECP dateTransmissionDonneesEtalab (DGFiP's 2019 variant): the day the data went to Etalab"),
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'executions',
    doc: "a DECP concession's execution data, one row per year published (donneesExecution: its implementation release), with the investment it gives; its tariffs are in tariffs (by release_id)",
    ...COMPILED,
    order: 'ocid, award_id, execution_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('award_id', 'VARCHAR', 'award id (joins awards, and contracts by contracts.award_id)'),
      c('execution_id', 'VARCHAR', 'the year of its publication (2025; 2025-2 for a second entry of one year; n1, n2… by position for an entry without a date): its release id ends with -x<execution_id>'),
      c('release_id', 'VARCHAR', 'its implementation release (joins tariffs.release_id)'),
      c('date', 'TIMESTAMPTZ', 'release date: DECP datePublicationDonneesExecution (when the data was published, not the year it reports on)'),
      YEAR,
      c('investment', 'DOUBLE', 'DECP depensesInvestissement: investment spending that year (0 is a value); null when not given'),
      c('currency', 'VARCHAR', 'currency of investment'),
      c('tariffs', 'INTEGER', 'tariffs it gives (their rows: tariffs)'),
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'tariffs',
    doc: "the tariffs users pay under a contract (OCDS contracts[].tariffs: a DECP concession's execution data, donneesExecution tarifs), one row per contract and tariff, as its compiled release gives them",
    ...COMPILED,
    order: 'ocid, contract_id, tariff_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('contract_id', 'VARCHAR', 'contract id'),
      c('tariff_id', 'VARCHAR', 'tariff id (DECP: <execution_id>-<n>, its position in its year)'),
      c('release_id', 'VARCHAR', 'the release that gave it (DECP: its year\'s implementation release, joins executions.release_id)'),
      c('date', 'TIMESTAMPTZ', 'that release\'s date (DECP datePublicationDonneesExecution)'),
      YEAR,
      c('title', 'VARCHAR', 'DECP intituleTarif'),
      c('amount', 'DOUBLE', 'DECP tarif: the price (0, a free service, is a value); null when not given'),
      c('currency', 'VARCHAR', 'currency of amount'),
      c('paid_by', 'VARCHAR', 'who pays it: user (DECP) or government'),
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'amendments',
    doc: 'history: one row per modification, with the contract’s value and duration after it',
    ...COMPILED,
    order: 'ocid, contract_id, date, amendment_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('contract_id', 'VARCHAR', 'contract id'),
      c('amendment_id', 'VARCHAR', 'amendment id'),
      c('position', 'INTEGER', "the modification's rank in the contract's history, from 1 (the merge order: by its release's date — when it was published —, then as the sources gave them; not by the modification's own `date`, which a platform may give out of that order: the contract's current state is its last position's)"),
      c('release_id', 'VARCHAR', 'the contractAmendment release'),
      c('amends_release_id', 'VARCHAR', 'the release it amends'),
      c('date', 'TIMESTAMPTZ', 'date of the modification (DECP: its notification); null when it has none (the date its release was published is not when it happened; the row\'s year is then the release\'s)'),
      YEAR,
      c('description', 'VARCHAR', 'description'),
      c('amount', 'DOUBLE', 'contract value after the modification (a new total, not a delta); null when the modification left the value as it was, or when it is known from a compiled release only (its history not read: the same for the columns after it)'),
      c('currency', 'VARCHAR', 'currency'),
      c('duration_days', 'INTEGER', 'duration after the modification in days (its period, as contracts.initial_duration_days reads one; a new end without a start measured from the contract\'s start); null when the modification left it as it was'),
      c('period_end', 'TIMESTAMPTZ', 'end of the period after the modification'),
      c('suppliers', 'INTEGER', 'number of suppliers after the modification'),
      c('correction', 'BOOLEAN', 'a correction of the data published for the contract, not an amendment of it: a DECP modification notified on the day of the contract\'s notification, before any modification that is none (an avenant comes after the contract it amends; the samples\' say "Erreur de saisie", "Nom et Siret du titulaire", "durée du marché"). Its value and duration are the contract\'s initial ones (contracts.initial_amount, initial_duration_*); the red flags of modifications leave it out'),
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'items',
    doc: 'items of each contract (classification, quantity, unit price when known)',
    ...COMPILED,
    order: 'ocid, contract_id, item_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('contract_id', 'VARCHAR', 'contract id'),
      c('item_id', 'VARCHAR', 'item id'),
      c('description', 'VARCHAR', 'description'),
      c('classification_scheme', 'VARCHAR', 'CPV, UNSPSC…'),
      c('classification_id', 'VARCHAR', 'code'),
      c('quantity', 'DOUBLE', 'quantity'),
      c('unit_name', 'VARCHAR', 'unit'),
      c('unit_code', 'VARCHAR', 'the unit’s code (unit.id: UN/CEFACT Recommendation 20 when its scheme is UNCEFACT — H87 a piece)'),
      c('unit_price', 'DOUBLE', 'price per unit'),
      c('unit_currency', 'VARCHAR', 'currency of the unit price'),
      YEAR,
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'tenders',
    doc: "the tender of a process that gives its offers (bids.details) or its tender period: one row per ocid, as its compiled release states it (a DECP process gives neither: it has no row). What R003 (the submission period) reads",
    ...COMPILED,
    order: 'ocid',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('buyer_id', 'VARCHAR', 'party id of the buyer'),
      c('procurement_method', 'VARCHAR', 'tender.procurementMethod: open, selective, limited, direct'),
      c('procurement_method_details', 'VARCHAR', "tender.procurementMethodDetails, the publisher's own name of the procedure"),
      c('award_criteria', 'VARCHAR', 'tender.awardCriteria (priceOnly, costOnly, qualityOnly, ratedCriteria; Prozorro writes lowestCost)'),
      c('period_start', 'TIMESTAMPTZ', 'tender.tenderPeriod.startDate: when offers may be submitted from'),
      c('period_end', 'TIMESTAMPTZ', 'tender.tenderPeriod.endDate: the submission deadline'),
      c('period_days', 'DOUBLE', 'period_end − period_start in days (fractional: 1 day 8 hours is 1.333…); null without both'),
      c('bids', 'INTEGER', 'offers it lists (bids.details), whatever their status'),
      YEAR,
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'bids',
    doc: 'the offers of a process (the OCDS bids extension, bids.details: partners\' data; DECP gives a count only, contracts.bids), as its compiled release states them',
    ...COMPILED,
    order: 'ocid, bid_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('bid_id', 'VARCHAR', 'bid id (one without an id: its position in bids.details, "#1"…); a bid priced lot by lot (lotValues, Prozorro\'s, without a value of its own) is one row per lot value, "<bid id>/<lot id>"'),
      c('status', 'VARCHAR', 'bid status as published: invited, pending, valid, disqualified, withdrawn (Prozorro: active — a valid offer —, invalid, unsuccessful, deleted, draft)'),
      c('date', 'TIMESTAMPTZ', 'when the offer was received'),
      YEAR,
      c('amount', 'DOUBLE', 'the price offered'),
      c('currency', 'VARCHAR', 'currency of amount'),
      c('tenderers', 'INTEGER', 'tenderers of the offer (a consortium has several; bid_tenderers names them)'),
      c('related_lots', 'VARCHAR', 'the lots it is for (relatedLots, else its lotValues\' relatedLot), comma-separated; null when it names none'),
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'bid_tenderers',
    doc: 'the tenderers of each offer (one row per bid and tenderer): party ids, which join parties (its siren for a French company)',
    ...COMPILED,
    order: 'ocid, bid_id, party_id',
    columns: [c('ocid', 'VARCHAR', 'OCDS ocid'), c('bid_id', 'VARCHAR', 'bid id (joins bids)'), c('party_id', 'VARCHAR', 'tenderer party id (joins parties); null when the reference names no party known'), YEAR, ...PROVENANCE, CHUNK],
  },
  {
    name: 'quality_flags',
    doc: 'quality flags the mapping raised on each release (x_decp.qualityFlags), for auditors',
    ...COMPILED,
    order: 'ocid, release_id, code, pointer',
    columns: [c('ocid', 'VARCHAR', 'OCDS ocid'), c('release_id', 'VARCHAR', 'release id'), c('code', 'VARCHAR', 'flag code (docs/mapping.md)'), c('pointer', 'VARCHAR', 'JSON pointer in the source record'), c('raw', 'VARCHAR', 'the raw value, as JSON'), ...PROVENANCE, CHUNK],
  },
  {
    name: 'validation_errors',
    doc: 'schema errors and checks of each current release (the validation report’s rows)',
    ...COMPILED,
    order: 'ocid, release_id, rule, pointer',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('release_id', 'VARCHAR', 'release id'),
      c('severity', 'VARCHAR', 'error or warning'),
      c('rule', 'VARCHAR', 'schema.<keyword> <path> or check.<name>'),
      c('pointer', 'VARCHAR', 'JSON pointer in the release'),
      c('message', 'VARCHAR', 'message'),
      c('value', 'VARCHAR', 'the offending value, as JSON (truncated)'),
      ...PROVENANCE,
      CHUNK,
    ],
  },
  {
    name: 'rejects',
    doc: 'input records that could not be converted, with their position and reason; found by their provenance (a reject has no release, no row elsewhere), and by their ocid when they gave one',
    scope: 'source',
    order: 'source_sha256, source_index',
    parquetExclude: ['reject_json'],
    columns: [
      ...PROVENANCE,
      c('file', 'VARCHAR', 'absolute path of the file (as sources.path; "-" for stdin)'),
      c('line', 'BIGINT', 'line'),
      c('byte_offset', 'BIGINT', 'byte offset'),
      c(
        'ocid',
        'VARCHAR',
        "the ocid the record gave before it was rejected: an OCDS record's own, rejected for its releases (none embedded and no compiledRelease, releases linked only, a release without a usable ocid or id); the ocid of a release too large for the store (TRANSFORM_RELEASE_TOO_LARGE: a DECP record's, made of its buyer and id) or without a usable id (TRANSFORM_NO_ID). Null when the record gave none: it could not be read (INGEST_*), a DECP record without an id or a buyer (TRANSFORM_NO_ID, TRANSFORM_NO_BUYER_ID: its ocid is made of both), a record the profile does not map, a release whose ocid is missing, blank or not a string. It may name no record of the store (the rejected record's process may have no other release)",
      ),
      c('code', 'VARCHAR', 'reason code'),
      c('reason', 'VARCHAR', 'reason'),
      c('reject_json', 'VARCHAR', 'the line of rejects.jsonl'),
    ],
  },
  {
    name: 'price_anomalies',
    doc: 'items priced far above their peers (red-flags.md §5: same product, unit, currency and year, within one market, groups of 5 prices or more), with their group’s figures; computed again whole by every run',
    scope: 'peers',
    order: 'ocid, contract_id, item_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('contract_id', 'VARCHAR', 'contract id'),
      c('item_id', 'VARCHAR', 'item id'),
      c('buyer_id', 'VARCHAR', 'party id of the buyer'),
      c('description', 'VARCHAR', 'the item’s description'),
      c('product_key', 'VARCHAR', 'the product compared: <classification scheme>:<id> and the words of the item’s description (lower-cased, without accents, articles, numbers, pack words and units; in alphabetical order)'),
      c('unit', 'VARCHAR', 'the unit compared: "piece" for pieces and for packs counted in pieces (a box of 50: its price ÷ 50, its quantity × 50), else the unit’s name, lower-cased, without accents (prices are compared within one unit)'),
      c('currency', 'VARCHAR', 'currency of the unit price'),
      c('market', 'VARCHAR', 'the market its peers are of (its contract\'s, contracts.market: FR for DECP; a partner\'s country, else its ocid prefix): prices are compared within one'),
      YEAR,
      c('quantity', 'DOUBLE', 'quantity'),
      c('unit_price', 'DOUBLE', 'price per unit'),
      c('price_from', 'VARCHAR', '"unit.value" (the item’s own), or "contract value / quantity" (a contract of one item without one); with " ÷ 50 (boîte de 50)" when a pack’s price was turned into a piece’s'),
      c('group_prices', 'INTEGER', 'prices in the group (same product, unit, currency, year, market)'),
      c('group_median', 'DOUBLE', 'median unit price of the group'),
      c('ratio', 'DOUBLE', 'unit_price / group_median (flagged from 2)'),
      c('log_fence', 'DOUBLE', 'upper fence of the group: Q3 + 1.5 IQR of log10(unit price), type 8 quantiles; null when the IQR is 0 or over half the prices are one price (the fence rule does not apply)'),
      c('over_ratio', 'BOOLEAN', 'ratio >= 2'),
      c('over_fence', 'BOOLEAN', 'log10(unit_price) >= log_fence (both rounded to 9 decimals)'),
      c('excess', 'DOUBLE', 'quantity × (unit_price − group_median): what the item cost above its group’s median'),
      ...PROVENANCE,
    ],
  },
  {
    name: 'red_flags',
    doc: 'screening signals per contract (the design reference red-flags.md): never proof, always with the threshold used',
    scope: 'run',
    order: 'code, ocid, contract_id',
    columns: [
      c('ocid', 'VARCHAR', 'OCDS ocid'),
      c('contract_id', 'VARCHAR', 'contract id'),
      c('code', 'VARCHAR', 'indicator code'),
      c('buyer_id', 'VARCHAR', 'party id of the buyer'),
      c('value', 'DOUBLE', 'the measured value'),
      c('threshold', 'DOUBLE', 'the threshold it was compared with'),
      c('detail', 'VARCHAR', 'what was measured'),
      YEAR,
      ...PROVENANCE,
    ],
  },
];

export function tableSpec(name: string): TableSpec {
  const t = TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}

export function createTableSql(t: TableSpec): string {
  return `CREATE TABLE IF NOT EXISTS ${t.name} (${t.columns.map((col) => `"${col.name}" ${col.type}`).join(', ')})`;
}

/** DuckDB's `columns={...}` argument of read_json/read_csv for a table. */
export function columnsArg(t: TableSpec, override: Readonly<Record<string, string>> = {}): string {
  return `{${t.columns.map((col) => `'${col.name}': '${override[col.name] ?? col.type}'`).join(', ')}}`;
}

export function hasYear(t: TableSpec): boolean {
  return t.columns.some((col) => col.name === 'year');
}

/** One CSV field for DuckDB's read_csv: null is an empty field, a string is always quoted. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  // (most texts hold no quote: a search is cheaper than a replace that finds nothing)
  if (typeof v === 'string') return v.includes('"') ? `"${v.replace(/"/g, '""')}"` : `"${v}"`;
  return String(v);
}

/** A row of a table as one CSV line, in the table's column order (what the store loads: faster than NDJSON). */
export function csvLine(t: TableSpec, row: Readonly<Record<string, unknown>>): string {
  let out = '';
  for (let k = 0; k < t.columns.length; k++) out += (k === 0 ? '' : ',') + csvField(row[t.columns[k]!.name]);
  return out;
}
