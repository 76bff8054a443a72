/**
 * Field by field, end to end: every field of the official DECP schemas (2019 1.5.0, 2024 2.0.3 and
 * the names only its XSD has), for a marché and a concession of each generation, given a distinctive
 * value, run through `decp-ocds run`, and found where ../shared/docs/mapping-decp-ocds.md (and
 * docs/mapping.md where the reference is silent) puts it: (a) in the release of the `ocds/` package
 * (the initial one, a modification's, an execution year's, a subcontracting act's), (b) in the DuckDB
 * store's table and column that publish it, (c) in the Parquet data set of that table. Each generation
 * is run twice, from its JSON and from the XML its XSD describes (test/helpers/decp-xml-writer.ts):
 * the rows hold for both, and the releases are the same but for provenance. mapping-conformance holds
 * the value forms (texts, commas, offsets) at the release level; this table holds the route.
 * A row is the documentation of one route: the source path, the value given, the release and its
 * pointer, the store's table.column (read in Europe/Paris time, as text) and what it holds.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runCli } from '../helpers/cli.js';
import { decpJsonToXml, readXsd, xmlBytes } from '../helpers/decp-xml-writer.js';
import { SHARED } from '../helpers/ingest.js';
import { storeObjects } from '../helpers/store-rows.js';
import { tempDir } from '../helpers/tmp.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BUYER = '21590163800019';
const PREFIX = `ocds-78apv2-${BUYER}`;

const m24: J = {
  id: 'AUD24M', acheteur: { id: BUYER }, nature: 'Marché de partenariat', objet: 'Objet audit marché 24', codeCPV: '45233140-2',
  techniques: { technique: ['Accord-cadre', 'Concours', "Système d'acquisition dynamique", 'Enchère électronique'] },
  modalitesExecution: { modaliteExecution: ['Tranches', 'Bons de commande'] }, idAccordCadre: 'ACPARENT7',
  procedure: "Appel d'offres restreint", lieuExecution: { code: '59163', typeCode: 'Code commune' }, dureeMois: 37,
  dateNotification: '2024-03-11', datePublicationDonnees: '2024-03-14', montant: 123456.78, formePrix: 'Mixte',
  typesPrix: { typePrix: ['Définitif révisable', 'Provisoire'] },
  considerationsSociales: { considerationSociale: ['Clause sociale', 'Critère social', 'Marché réservé'] },
  considerationsEnvironnementales: { considerationEnvironnementale: ['Clause environnementale', 'Critère environnemental'] },
  marcheInnovant: true, origineUE: 0.61, origineFrance: 0.37, ccag: 'Maîtrise d’œuvre', offresRecues: 7, attributionAvance: true, tauxAvance: 0.15,
  typeGroupementOperateurs: 'Solidaire', sousTraitanceDeclaree: true,
  titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }, { titulaire: { typeIdentifiant: 'TVA', id: 'BE0123456789' } }],
  actesSousTraitance: [
    { acteSousTraitance: { id: 1, sousTraitant: { typeIdentifiant: 'SIRET', id: '80268496900016' }, dureeMois: 5, dateNotification: '2024-04-02', montant: 4321.09, variationPrix: 'Révisable', datePublicationDonnees: '2024-04-05' } },
    { acteSousTraitance: { id: 2, sousTraitant: { typeIdentifiant: 'SIRET', id: '55203253400646' }, dureeMois: 6, dateNotification: '2024-04-03', montant: 999.5, variationPrix: 'Ferme', datePublicationDonnees: '2024-04-06' } },
  ],
  modifications: [
    { modification: { id: 1, dureeMois: 41, montant: 130000.5, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }, { titulaire: { typeIdentifiant: 'SIRET', id: '38103128500491' } }], dateNotificationModification: '2024-06-17', datePublicationDonneesModification: '2024-06-19' } },
    { modification: { id: 2, montant: 140000.25, dateNotificationModification: '2024-08-20', datePublicationDonneesModification: '2024-08-22' } },
  ],
  modificationsActesSousTraitance: [
    { modificationActeSousTraitance: { id: 1, dureeMois: 8, dateNotificationModificationSousTraitance: '2024-07-01', montant: 5555.55, datePublicationDonnees: '2024-07-03' } },
    { modificationActeSousTraitance: { id: 2, dureeMois: 9, dateNotificationModificationSousTraitance: '2024-07-02', montant: 1111.11, datePublicationDonnees: '2024-07-04' } },
  ],
};
// a subsequent contract (not itself a framework): idAccordCadre links it
const s24: J = {
  id: 'AUD24S', acheteur: { id: BUYER }, nature: 'Marché', objet: 'Marché subséquent audit', codeCPV: '72000000', techniques: { technique: ['Sans objet'] },
  modalitesExecution: { modaliteExecution: ['Marchés subséquents'] }, idAccordCadre: 'ACPARENT7', procedure: 'Procédure adaptée', lieuExecution: { code: '59170', typeCode: 'Code postal' },
  dureeMois: 3, dateNotification: '2024-05-02', datePublicationDonnees: '2024-05-03', montant: 9000, formePrix: 'Unitaire', typesPrix: { typePrix: ['Définitif ferme'] },
  considerationsSociales: { considerationSociale: ['Pas de considération sociale'] }, considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale'] },
  marcheInnovant: false, offresRecues: 1, attributionAvance: false, tauxAvance: 0, sousTraitanceDeclaree: false, typeGroupementOperateurs: 'Pas de groupement',
  titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }],
};
const c24: J = {
  id: 'AUD24C', autoriteConcedante: { id: BUYER }, nature: 'Concession de travaux', objet: 'Objet audit concession 24', procedure: 'Procédure non négociée restreinte',
  dureeMois: 121, dateSignature: '2024-02-05', datePublicationDonnees: '2024-02-09', dateDebutExecution: '2024-03-01', valeurGlobale: 7654321.5, montantSubventionPublique: 12345.6,
  donneesExecution: [
    { donneesAnnuelles: { datePublicationDonneesExecution: '2025-04-18', depensesInvestissement: 15.3, tarifs: [{ tarif: { intituleTarif: 'Tarif A audit', tarif: 14.29 } }, { tarif: { intituleTarif: 'Tarif B audit', tarif: 19.31 } }] } },
    { donneesAnnuelles: { datePublicationDonneesExecution: '2026-04-20', depensesInvestissement: 27.7, tarifs: [{ tarif: { intituleTarif: 'Tarif C audit', tarif: 3.33 } }] } },
  ],
  concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '38103128500491' } }, { concessionnaire: { typeIdentifiant: 'SIRET', id: '38103128500574' } }],
  considerationsSociales: { considerationSociale: ['Clause sociale', 'Critère social'] },
  considerationsEnvironnementales: { considerationEnvironnementale: ['Clause environnementale'] },
  modifications: [{ modification: { id: 1, dateSignatureModification: '2024-09-19', datePublicationDonneesModification: '2024-09-20', dureeMois: 133, valeurGlobale: 8000000.25 } }],
};
const m19: J = {
  _type: 'Marché', id: 'AUD19M', uid: `${BUYER}AUD19M`, acheteur: { id: BUYER, nom: 'Ville audit' }, nature: 'Accord-cadre', objet: 'Objet audit marché 19', codeCPV: '72000000',
  procedure: 'Procédure concurrentielle avec négociation', lieuExecution: { code: '59', typeCode: 'Code département', nom: 'Nord audit' }, dureeMois: 25,
  dateNotification: '2019-05-13', datePublicationDonnees: '2019-05-16', montant: 65432.1, formePrix: 'Ferme et actualisable',
  titulaires: [{ typeIdentifiant: 'SIRET', id: '44189140500017', denominationSociale: 'ALPHA AUDIT SA' }, { typeIdentifiant: 'SIRET', id: '80268496900016', denominationSociale: 'BETA AUDIT SARL' }],
  modifications: [{ objetModification: 'Avenant audit 1', dureeMois: 30, montant: 70000.7, titulaires: [{ typeIdentifiant: 'SIRET', id: '55203253400646', denominationSociale: 'GAMMA AUDIT' }], dateNotificationModification: '2019-09-02', datePublicationDonneesModification: '2019-09-04' }],
};
const c19: J = {
  _type: 'Contrat de concession', id: 'AUD19C', uid: `${BUYER}AUD19C`, autoriteConcedante: { id: BUYER, nom: 'Ville audit' }, nature: 'Délégation de service public', objet: 'Objet audit concession 19',
  procedure: 'Procédure négociée ouverte', lieuExecution: { code: '59170', typeCode: 'Code postal', nom: 'Croix audit' }, dureeMois: 97, dateSignature: '2019-02-04', datePublicationDonnees: '2019-02-08',
  dateDebutExecution: '2019-03-01', valeurGlobale: 3210000.5, montantSubventionPublique: 4444.4,
  concessionnaires: [{ typeIdentifiant: 'SIRET', id: '38103128500491', denominationSociale: 'DELTA AUDIT' }],
  donneesExecution: [{ datePublicationDonneesExecution: '2020-03-10', depensesInvestissement: 88.8, tarifs: [{ intituleTarif: 'Tarif 19 A', tarif: 1.11 }, { intituleTarif: 'Tarif 19 B', tarif: 2.22 }] }],
  modifications: [{ objetModification: 'Avenant concession audit', dureeMois: 109, valeurGlobale: 3500000.5, dateSignatureModification: '2019-11-05', datePublicationDonneesModification: '2019-11-07' }],
};

/**
 * One route: `src` the source path in the record `rec` (its value, given above), `rel` the release
 * (its id's last part: v0 initial, m1 a modification, x2025 an execution year, s1-20240701 an act's
 * modification), `ptr` the JSON pointer in it and `ocds` what it holds; `col` the store's
 * table.column (null: the store publishes it nowhere, by design — its release has it), `where` more
 * of the row's key, `store` the column's values for the record's ocid, as text.
 */
interface Row { src: string; rec: 'm24' | 's24' | 'c24' | 'm19' | 'c19'; rel: string; ptr: string; ocds: unknown; col: string | null; where?: string; store?: string[] }

const ROWS: Row[] = [
  // ---- 2024 marché
  { src: 'id', rec: 'm24', rel: 'v0', ptr: '/ocid', ocds: `${PREFIX}-AUD24M`, col: 'contracts.ocid', store: [`${PREFIX}-AUD24M`] },
  { src: 'id', rec: 'm24', rel: 'v0', ptr: '/x_decp/id', ocds: 'AUD24M', col: 'contract_decp.decp_id', store: ['AUD24M'] },
  { src: 'acheteur.id', rec: 'm24', rel: 'v0', ptr: '/buyer/id', ocds: `FR-RCS-${BUYER}`, col: 'contracts.buyer_id', store: [`FR-RCS-${BUYER}`] },
  { src: 'acheteur.id', rec: 'm24', rel: 'v0', ptr: '/parties/0/identifier', ocds: { scheme: 'FR-RCS', id: BUYER }, col: 'parties.identifier_id', where: 'is_buyer', store: [BUYER] },
  { src: 'nature', rec: 'm24', rel: 'v0', ptr: '/x_decp/nature', ocds: 'Marché de partenariat', col: null },
  { src: 'objet', rec: 'm24', rel: 'v0', ptr: '/awards/0/title', ocds: 'Objet audit marché 24', col: 'awards.title', store: ['Objet audit marché 24'] },
  { src: 'objet', rec: 'm24', rel: 'v0', ptr: '/contracts/0/title', ocds: 'Objet audit marché 24', col: 'contracts.title', store: ['Objet audit marché 24'] },
  { src: 'objet', rec: 'm24', rel: 'v0', ptr: '/tender/items/0/description', ocds: 'Objet audit marché 24', col: 'items.description', store: ['Objet audit marché 24'] },
  { src: 'codeCPV', rec: 'm24', rel: 'v0', ptr: '/tender/items/0/classification', ocds: { scheme: 'CPV', id: '45233140' }, col: 'items.classification_id', store: ['45233140'] },
  { src: 'codeCPV', rec: 'm24', rel: 'v0', ptr: '/contracts/0/items/0/classification/id', ocds: '45233140', col: 'contracts.cpv', store: ['45233140'] },
  { src: 'codeCPV', rec: 'm24', rel: 'v0', ptr: '/x_decp/cpvRaw', ocds: '45233140-2', col: null },
  { src: 'codeCPV (derived)', rec: 'm24', rel: 'v0', ptr: '/tender/mainProcurementCategory', ocds: 'works', col: 'contracts.main_category', store: ['works'] },
  { src: 'techniques.technique ∋ Accord-cadre', rec: 'm24', rel: 'v0', ptr: '/tender/techniques/hasFrameworkAgreement', ocds: true, col: 'contracts.framework_agreement', store: ['true'] },
  { src: "techniques.technique ∋ Système d'acquisition dynamique", rec: 'm24', rel: 'v0', ptr: '/tender/techniques/hasDynamicPurchasingSystem', ocds: true, col: null },
  { src: 'techniques.technique ∋ Enchère électronique', rec: 'm24', rel: 'v0', ptr: '/tender/techniques/hasElectronicAuction', ocds: true, col: null },
  { src: 'techniques.technique[]', rec: 'm24', rel: 'v0', ptr: '/x_decp/techniques', ocds: ['Accord-cadre', 'Concours', "Système d'acquisition dynamique", 'Enchère électronique'], col: 'contract_decp.techniques', store: ["Accord-cadre,Concours,Système d'acquisition dynamique,Enchère électronique"] },
  { src: 'modalitesExecution.modaliteExecution[]', rec: 'm24', rel: 'v0', ptr: '/x_decp/modalitesExecution', ocds: ['Tranches', 'Bons de commande'], col: 'contracts.purchase_orders', store: ['true'] },
  { src: 'idAccordCadre (a framework itself: kept, not linked)', rec: 'm24', rel: 'v0', ptr: '/x_decp/idAccordCadre', ocds: 'ACPARENT7', col: 'contracts.framework_ocid', store: [] },
  { src: 'procedure', rec: 'm24', rel: 'v0', ptr: '/tender/procurementMethodDetails', ocds: "Appel d'offres restreint", col: 'contracts.procurement_method_details', store: ["Appel d'offres restreint"] },
  { src: 'procedure', rec: 'm24', rel: 'v0', ptr: '/tender/procurementMethod', ocds: 'selective', col: 'contracts.procurement_method', store: ['selective'] },
  { src: 'lieuExecution.code (Code commune)', rec: 'm24', rel: 'v0', ptr: '/tender/items/0/deliveryLocations/0/gazetteer', ocds: { scheme: 'FR-COG', identifiers: ['59163'] }, col: 'contracts.place_departement', store: ['59'] },
  { src: 'lieuExecution', rec: 'm24', rel: 'v0', ptr: '/x_decp/lieuExecution', ocds: { code: '59163', typeCode: 'Code commune' }, col: 'contracts.place_region', store: ['32'] },
  { src: 'dureeMois', rec: 'm24', rel: 'v0', ptr: '/contracts/0/period/maxExtentDate', ocds: '2027-04-11T00:00:00+02:00', col: 'contracts.initial_duration_months', store: ['37'] },
  { src: 'dureeMois', rec: 'm24', rel: 'v0', ptr: '/awards/0/contractPeriod/durationInDays', ocds: 1126, col: 'awards.duration_days', store: ['1126'] },
  { src: 'dureeMois', rec: 'm24', rel: 'v0', ptr: '/x_decp/dureeMois', ocds: 37, col: 'contracts.initial_duration_days', store: ['1126'] },
  { src: 'dateNotification', rec: 'm24', rel: 'v0', ptr: '/awards/0/date', ocds: '2024-03-11T00:00:00+01:00', col: 'awards.date', store: ['2024-03-11 00:00:00+01'] },
  { src: 'dateNotification', rec: 'm24', rel: 'v0', ptr: '/contracts/0/dateSigned', ocds: '2024-03-11T00:00:00+01:00', col: 'contracts.signed_day', store: ['2024-03-11'] },
  { src: 'dateNotification', rec: 'm24', rel: 'v0', ptr: '/contracts/0/period/startDate', ocds: '2024-03-11T00:00:00+01:00', col: 'contracts.period_start', store: ['2024-03-11 00:00:00+01'] },
  { src: 'datePublicationDonnees', rec: 'm24', rel: 'v0', ptr: '/date', ocds: '2024-03-14T00:00:00+01:00', col: 'contracts.date_published', store: ['2024-03-14 00:00:00+01'] },
  { src: 'datePublicationDonnees', rec: 'm24', rel: 'v0', ptr: '/date', ocds: '2024-03-14T00:00:00+01:00', col: 'contracts.publication_delay_days', store: ['3'] },
  { src: 'montant', rec: 'm24', rel: 'v0', ptr: '/awards/0/value', ocds: { amount: 123456.78, currency: 'EUR' }, col: 'awards.amount', store: ['123456.78'] },
  { src: 'montant', rec: 'm24', rel: 'v0', ptr: '/contracts/0/value/amount', ocds: 123456.78, col: 'contracts.initial_amount', store: ['123456.78'] },
  { src: 'formePrix', rec: 'm24', rel: 'v0', ptr: '/x_decp/formePrix', ocds: 'Mixte', col: 'contract_decp.price_form', store: ['Mixte'] },
  { src: 'typesPrix.typePrix[]', rec: 'm24', rel: 'v0', ptr: '/x_decp/typesPrix', ocds: ['Définitif révisable', 'Provisoire'], col: 'contract_decp.price_types', store: ['Définitif révisable,Provisoire'] },
  { src: 'considerationsSociales.considerationSociale[]', rec: 'm24', rel: 'v0', ptr: '/tender/sustainability/0', ocds: { goal: 'social', strategies: ['contractPerformanceConditions', 'awardCriteria', 'reservedParticipation'] }, col: null },
  { src: 'considerationsSociales.considerationSociale[]', rec: 'm24', rel: 'v0', ptr: '/x_decp/considerationsSociales', ocds: ['Clause sociale', 'Critère social', 'Marché réservé'], col: 'contract_decp.social_considerations', store: ['Clause sociale,Critère social,Marché réservé'] },
  { src: 'considerationsEnvironnementales.considerationEnvironnementale[]', rec: 'm24', rel: 'v0', ptr: '/tender/sustainability/1', ocds: { goal: 'environmental', strategies: ['contractPerformanceConditions', 'awardCriteria'] }, col: null },
  { src: 'marcheInnovant', rec: 'm24', rel: 'v0', ptr: '/tender/sustainability/2', ocds: { goal: 'economic.innovativePurchase' }, col: null },
  { src: 'marcheInnovant', rec: 'm24', rel: 'v0', ptr: '/x_decp/marcheInnovant', ocds: true, col: 'contract_decp.innovative', store: ['true'] },
  { src: 'origineUE', rec: 'm24', rel: 'v0', ptr: '/x_decp/origineUE', ocds: 0.61, col: 'contract_decp.origin_eu', store: ['0.61'] },
  { src: 'origineFrance', rec: 'm24', rel: 'v0', ptr: '/x_decp/origineFrance', ocds: 0.37, col: 'contract_decp.origin_france', store: ['0.37'] },
  { src: 'ccag', rec: 'm24', rel: 'v0', ptr: '/x_decp/ccag', ocds: 'Maîtrise d’œuvre', col: 'contract_decp.ccag', store: ['Maîtrise d’œuvre'] },
  { src: 'offresRecues', rec: 'm24', rel: 'v0', ptr: '/bids/statistics/0', ocds: { id: 'bids-HASH', measure: 'bids', value: 7 }, col: 'contracts.bids', store: ['7'] },
  { src: 'attributionAvance', rec: 'm24', rel: 'v0', ptr: '/x_decp/attributionAvance', ocds: true, col: 'contract_decp.advance_payment', store: ['true'] },
  { src: 'tauxAvance', rec: 'm24', rel: 'v0', ptr: '/x_decp/tauxAvance', ocds: 0.15, col: 'contract_decp.advance_rate', store: ['0.15'] },
  { src: 'typeGroupementOperateurs', rec: 'm24', rel: 'v0', ptr: '/x_decp/typeGroupementOperateurs', ocds: 'Solidaire', col: 'contract_decp.grouping_type', store: ['Solidaire'] },
  { src: 'sousTraitanceDeclaree', rec: 'm24', rel: 'v0', ptr: '/awards/0/hasSubcontracting', ocds: true, col: 'awards.has_subcontracting', store: ['true'] },
  { src: 'titulaires[].titulaire.id (SIRET, TVA)', rec: 'm24', rel: 'v0', ptr: '/awards/0/suppliers', ocds: [{ id: 'FR-RCS-44189140500017' }, { id: 'FR-DECP-TVA-BE0123456789' }], col: 'award_suppliers.party_id', store: ['FR-DECP-TVA-BE0123456789', 'FR-RCS-44189140500017'] },
  { src: 'titulaires[1].titulaire.typeIdentifiant', rec: 'm24', rel: 'v0', ptr: '/parties/2/identifier', ocds: { scheme: 'FR-DECP-TVA', id: 'BE0123456789' }, col: 'parties.identifier_scheme', where: "party_id = 'FR-DECP-TVA-BE0123456789'", store: ['FR-DECP-TVA'] },
  { src: 'titulaires[0].titulaire.id', rec: 'm24', rel: 'v0', ptr: '/parties/1/roles', ocds: ['supplier'], col: 'parties.siren', where: "party_id = 'FR-RCS-44189140500017'", store: ['441891405'] },
  { src: 'actesSousTraitance[].acteSousTraitance.id', rec: 'm24', rel: 'v0', ptr: '/awards/0/subcontracting/subcontracts', ocds: [{ id: '1', subcontractor: { id: 'FR-RCS-80268496900016' } }, { id: '2', subcontractor: { id: 'FR-RCS-55203253400646' } }], col: 'subcontracts.subcontract_id', store: ['1', '2'] },
  { src: 'actesSousTraitance[].acteSousTraitance.sousTraitant.id', rec: 'm24', rel: 'v0', ptr: '/parties/3/roles', ocds: ['subcontractor'], col: 'subcontracts.party_id', store: ['FR-RCS-55203253400646', 'FR-RCS-80268496900016'] },
  { src: 'actesSousTraitance[0].acteSousTraitance.{montant, dureeMois, dates, variationPrix}', rec: 'm24', rel: 'v0', ptr: '/x_decp/sousTraitance/0', ocds: { id: 'HASH-1', acte: '1', montant: 4321.09, dureeMois: 5, dateNotification: '2024-04-02', datePublicationDonnees: '2024-04-05', variationPrix: 'Révisable' }, col: 'subcontracts.date_notified', store: ['2024-04-02', '2024-04-03'] },
  { src: 'actesSousTraitance[1].acteSousTraitance.{montant, dureeMois, dates, variationPrix}', rec: 'm24', rel: 'v0', ptr: '/x_decp/sousTraitance/1', ocds: { id: 'HASH-2', acte: '2', montant: 999.5, dureeMois: 6, dateNotification: '2024-04-03', datePublicationDonnees: '2024-04-06', variationPrix: 'Ferme' }, col: null },
  { src: 'modifications[0].modification.id', rec: 'm24', rel: 'm1', ptr: '/contracts/0/amendments/0/id', ocds: '1', col: 'amendments.amendment_id', store: ['1', '2'] },
  { src: 'modifications[0].modification.montant', rec: 'm24', rel: 'm1', ptr: '/contracts/0/value', ocds: { amount: 130000.5, currency: 'EUR' }, col: 'amendments.amount', where: "amendment_id = '1'", store: ['130000.5'] },
  { src: 'modifications[0].modification.dureeMois', rec: 'm24', rel: 'm1', ptr: '/contracts/0/period/maxExtentDate', ocds: '2027-08-11T00:00:00+02:00', col: 'contracts.duration_months', store: ['41'] },
  { src: 'modifications[0].modification.dureeMois', rec: 'm24', rel: 'm1', ptr: '/x_decp/modification/dureeMois', ocds: 41, col: 'amendments.duration_days', where: "amendment_id = '1'", store: ['1248'] },
  { src: 'modifications[0].modification.titulaires[].titulaire.id', rec: 'm24', rel: 'm1', ptr: '/contracts/0/suppliers', ocds: [{ id: 'FR-RCS-44189140500017' }, { id: 'FR-RCS-38103128500491' }], col: 'contract_suppliers.party_id', store: ['FR-RCS-38103128500491', 'FR-RCS-44189140500017'] },
  { src: 'modifications[0].modification.dateNotificationModification', rec: 'm24', rel: 'm1', ptr: '/contracts/0/amendments/0/date', ocds: '2024-06-17T00:00:00+02:00', col: 'amendments.date', where: "amendment_id = '1'", store: ['2024-06-17 00:00:00+02'] },
  { src: 'modifications[0].modification.datePublicationDonneesModification', rec: 'm24', rel: 'm1', ptr: '/date', ocds: '2024-06-19T00:00:00+02:00', col: 'releases.date', where: "release_id LIKE '%-m1'", store: ['2024-06-19 00:00:00+02'] },
  { src: 'modifications[1].modification.montant', rec: 'm24', rel: 'm2', ptr: '/contracts/0/value/amount', ocds: 140000.25, col: 'contracts.amount', store: ['140000.25'] },
  { src: 'modificationsActesSousTraitance[0].modificationActeSousTraitance.{id, montant, dureeMois, dateNotificationModificationSousTraitance}', rec: 'm24', rel: 's1-20240701', ptr: '/x_decp/sousTraitance/0', ocds: { id: 'HASH-1', acte: '1', montant: 5555.55, dureeMois: 8, dateNotificationModification: '2024-07-01', datePublicationDonneesModification: '2024-07-03' }, col: 'subcontracts.amount', store: ['1111.11', '5555.55'] },
  { src: 'modificationsActesSousTraitance[0].modificationActeSousTraitance.dureeMois', rec: 'm24', rel: 's1-20240701', ptr: '/x_decp/sousTraitance/0/dureeMois', ocds: 8, col: 'subcontracts.duration_months', store: ['8', '9'] },
  { src: 'modificationsActesSousTraitance[0].modificationActeSousTraitance.datePublicationDonnees', rec: 'm24', rel: 's1-20240701', ptr: '/date', ocds: '2024-07-03T00:00:00+02:00', col: 'releases.tag', where: "release_id LIKE '%-s1-20240701'", store: ['awardUpdate'] },
  { src: 'modificationsActesSousTraitance[1].modificationActeSousTraitance', rec: 'm24', rel: 's2-20240702', ptr: '/x_decp/sousTraitance/0', ocds: { id: 'HASH-2', acte: '2', montant: 1111.11, dureeMois: 9, dateNotificationModification: '2024-07-02', datePublicationDonneesModification: '2024-07-04' }, col: null },
  // ---- 2024 subsequent contract
  { src: 'modalitesExecution ∋ Marchés subséquents, idAccordCadre', rec: 's24', rel: 'v0', ptr: '/relatedProcesses/0', ocds: { id: `framework-${PREFIX}-ACPARENT7`, relationship: ['framework'], scheme: 'ocid', identifier: `${PREFIX}-ACPARENT7` }, col: 'contracts.framework_ocid', store: [`${PREFIX}-ACPARENT7`] },
  { src: 'modalitesExecution ∋ Marchés subséquents', rec: 's24', rel: 'v0', ptr: '/x_decp/modalitesExecution', ocds: ['Marchés subséquents'], col: 'contracts.call_off', store: ['true'] },
  { src: 'lieuExecution.code (Code postal)', rec: 's24', rel: 'v0', ptr: '/tender/items/0/deliveryAddresses', ocds: [{ postalCode: '59170', countryName: 'France' }], col: 'contracts.place_departement', store: ['59'] },
  { src: 'considerations "Pas de …", marcheInnovant false', rec: 's24', rel: 'v0', ptr: '/tender/sustainability', ocds: undefined, col: null },
  { src: 'sousTraitanceDeclaree false', rec: 's24', rel: 'v0', ptr: '/awards/0/hasSubcontracting', ocds: false, col: 'awards.has_subcontracting', store: ['false'] },
  { src: 'offresRecues 1', rec: 's24', rel: 'v0', ptr: '/bids/statistics/0/value', ocds: 1, col: 'contracts.bids', store: ['1'] },
  // ---- 2024 concession
  { src: 'autoriteConcedante.id', rec: 'c24', rel: 'v0', ptr: '/buyer/id', ocds: `FR-RCS-${BUYER}`, col: 'contracts.buyer_id', store: [`FR-RCS-${BUYER}`] },
  { src: 'nature', rec: 'c24', rel: 'v0', ptr: '/x_decp/nature', ocds: 'Concession de travaux', col: 'contracts.main_category', store: ['works'] },
  { src: '(record type)', rec: 'c24', rel: 'v0', ptr: '/x_decp/contractType', ocds: 'concession', col: 'contracts.record_type', store: ['contrat-concession'] },
  { src: 'objet', rec: 'c24', rel: 'v0', ptr: '/contracts/0/title', ocds: 'Objet audit concession 24', col: 'contracts.title', store: ['Objet audit concession 24'] },
  { src: 'procedure', rec: 'c24', rel: 'v0', ptr: '/tender/procurementMethodDetails', ocds: 'Procédure non négociée restreinte', col: 'contracts.procurement_method', store: ['selective'] },
  { src: 'dureeMois', rec: 'c24', rel: 'v0', ptr: '/contracts/0/period/maxExtentDate', ocds: '2034-04-01T00:00:00+02:00', col: 'contracts.initial_duration_months', store: ['121'] },
  { src: 'dateSignature', rec: 'c24', rel: 'v0', ptr: '/contracts/0/dateSigned', ocds: '2024-02-05T00:00:00+01:00', col: 'contracts.signed_day', store: ['2024-02-05'] },
  { src: 'dateSignature', rec: 'c24', rel: 'v0', ptr: '/awards/0/date', ocds: '2024-02-05T00:00:00+01:00', col: 'awards.date', store: ['2024-02-05 00:00:00+01'] },
  { src: 'datePublicationDonnees', rec: 'c24', rel: 'v0', ptr: '/date', ocds: '2024-02-09T00:00:00+01:00', col: 'contracts.date_published', store: ['2024-02-09 00:00:00+01'] },
  { src: 'dateDebutExecution', rec: 'c24', rel: 'v0', ptr: '/contracts/0/period/startDate', ocds: '2024-03-01T00:00:00+01:00', col: 'contracts.period_start', store: ['2024-03-01 00:00:00+01'] },
  { src: 'valeurGlobale', rec: 'c24', rel: 'v0', ptr: '/awards/0/value', ocds: { amount: 7654321.5, currency: 'EUR' }, col: 'contracts.initial_amount', store: ['7654321.5'] },
  { src: 'montantSubventionPublique', rec: 'c24', rel: 'v0', ptr: '/contracts/0/implementation/charges/0', ocds: { id: 'subvention', title: 'Subvention publique', paidBy: 'government', estimatedValue: { amount: 12345.6, currency: 'EUR' } }, col: null },
  { src: 'montantSubventionPublique', rec: 'c24', rel: 'v0', ptr: '/x_decp/montantSubventionPublique', ocds: 12345.6, col: 'contract_decp.public_subsidy', store: ['12345.6'] },
  { src: 'concessionnaires[].concessionnaire.id', rec: 'c24', rel: 'v0', ptr: '/contracts/0/suppliers', ocds: [{ id: 'FR-RCS-38103128500491' }, { id: 'FR-RCS-38103128500574' }], col: 'award_suppliers.party_id', store: ['FR-RCS-38103128500491', 'FR-RCS-38103128500574'] },
  { src: 'considerationsSociales.considerationSociale[]', rec: 'c24', rel: 'v0', ptr: '/tender/sustainability/0', ocds: { goal: 'social', strategies: ['contractPerformanceConditions', 'awardCriteria'] }, col: null },
  { src: 'considerationsEnvironnementales.considerationEnvironnementale[]', rec: 'c24', rel: 'v0', ptr: '/tender/sustainability/1', ocds: { goal: 'environmental', strategies: ['contractPerformanceConditions'] }, col: null },
  { src: 'donneesExecution[0].donneesAnnuelles.datePublicationDonneesExecution', rec: 'c24', rel: 'x2025', ptr: '/date', ocds: '2025-04-18T00:00:00+02:00', col: 'releases.date', where: "release_id LIKE '%-x2025'", store: ['2025-04-18 00:00:00+02'] },
  { src: 'donneesExecution[0].donneesAnnuelles.depensesInvestissement', rec: 'c24', rel: 'x2025', ptr: '/x_decp/depensesInvestissement/0', ocds: { id: 'HASH-2025', year: '2025', amount: 15.3, currency: 'EUR' }, col: null },
  { src: 'donneesExecution[0].donneesAnnuelles.tarifs[].tarif.{intituleTarif, tarif}', rec: 'c24', rel: 'x2025', ptr: '/contracts/0/tariffs', ocds: [{ id: '2025-1', paidBy: 'user', title: 'Tarif A audit', value: { amount: 14.29, currency: 'EUR' } }, { id: '2025-2', paidBy: 'user', title: 'Tarif B audit', value: { amount: 19.31, currency: 'EUR' } }], col: null },
  { src: 'donneesExecution[1].donneesAnnuelles', rec: 'c24', rel: 'x2026', ptr: '/contracts/0/tariffs', ocds: [{ id: '2026-1', paidBy: 'user', title: 'Tarif C audit', value: { amount: 3.33, currency: 'EUR' } }], col: 'releases.tag', where: "release_id LIKE '%-x2026'", store: ['implementation'] },
  { src: 'donneesExecution[1].donneesAnnuelles.depensesInvestissement', rec: 'c24', rel: 'x2026', ptr: '/x_decp/depensesInvestissement/0/amount', ocds: 27.7, col: null },
  { src: 'modifications[0].modification.valeurGlobale', rec: 'c24', rel: 'm1', ptr: '/contracts/0/value/amount', ocds: 8000000.25, col: 'contracts.amount', store: ['8000000.25'] },
  { src: 'modifications[0].modification.dateSignatureModification', rec: 'c24', rel: 'm1', ptr: '/contracts/0/amendments/0/date', ocds: '2024-09-19T00:00:00+02:00', col: 'amendments.date', store: ['2024-09-19 00:00:00+02'] },
  { src: 'modifications[0].modification.dureeMois', rec: 'c24', rel: 'm1', ptr: '/x_decp/modification/dureeMois', ocds: 133, col: 'contracts.duration_months', store: ['133'] },
  { src: 'modifications[0].modification.datePublicationDonneesModification', rec: 'c24', rel: 'm1', ptr: '/date', ocds: '2024-09-20T00:00:00+02:00', col: 'releases.date', where: "release_id LIKE '%-m1'", store: ['2024-09-20 00:00:00+02'] },
  // ---- 2019 marché
  { src: '_type', rec: 'm19', rel: 'v0', ptr: '/x_decp/sourceType', ocds: 'Marché', col: 'contracts.decp_version', store: ['2019'] },
  { src: 'uid', rec: 'm19', rel: 'v0', ptr: '/x_decp/uid', ocds: `${BUYER}AUD19M`, col: null },
  { src: 'acheteur.nom', rec: 'm19', rel: 'v0', ptr: '/buyer', ocds: { id: `FR-RCS-${BUYER}`, name: 'Ville audit' }, col: 'parties.name', where: 'is_buyer', store: ['Ville audit'] },
  { src: 'nature = Accord-cadre', rec: 'm19', rel: 'v0', ptr: '/tender/techniques', ocds: { hasFrameworkAgreement: true }, col: 'contracts.framework_agreement', store: ['true'] },
  { src: 'codeCPV', rec: 'm19', rel: 'v0', ptr: '/tender/items/0/classification/id', ocds: '72000000', col: 'contracts.cpv', store: ['72000000'] },
  { src: 'procedure', rec: 'm19', rel: 'v0', ptr: '/tender/procurementMethod', ocds: 'selective', col: 'contracts.procurement_method_details', store: ['Procédure concurrentielle avec négociation'] },
  { src: 'lieuExecution {code, typeCode Code département, nom}', rec: 'm19', rel: 'v0', ptr: '/contracts/0/items/0/deliveryAddresses', ocds: [{ region: '59', countryName: 'France', description: 'Nord audit' }], col: 'contracts.place_departement', store: ['59'] },
  { src: 'lieuExecution', rec: 'm19', rel: 'v0', ptr: '/x_decp/lieuExecution', ocds: { code: '59', typeCode: 'Code département', nom: 'Nord audit' }, col: null },
  { src: 'dureeMois', rec: 'm19', rel: 'v0', ptr: '/contracts/0/period/maxExtentDate', ocds: '2021-06-13T00:00:00+02:00', col: 'contracts.initial_duration_months', store: ['25'] },
  { src: 'dateNotification', rec: 'm19', rel: 'v0', ptr: '/contracts/0/dateSigned', ocds: '2019-05-13T00:00:00+02:00', col: 'contracts.signed_day', store: ['2019-05-13'] },
  { src: 'datePublicationDonnees', rec: 'm19', rel: 'v0', ptr: '/date', ocds: '2019-05-16T00:00:00+02:00', col: 'contracts.date_published', store: ['2019-05-16 00:00:00+02'] },
  { src: 'montant', rec: 'm19', rel: 'v0', ptr: '/awards/0/value/amount', ocds: 65432.1, col: 'contracts.initial_amount', store: ['65432.1'] },
  { src: 'formePrix (2019: a typePrix)', rec: 'm19', rel: 'v0', ptr: '/x_decp/typesPrix', ocds: ['Définitif actualisable'], col: 'contract_decp.price_types', store: ['Définitif actualisable'] },
  { src: 'titulaires[].{id, denominationSociale}', rec: 'm19', rel: 'v0', ptr: '/awards/0/suppliers', ocds: [{ id: 'FR-RCS-44189140500017', name: 'ALPHA AUDIT SA' }, { id: 'FR-RCS-80268496900016', name: 'BETA AUDIT SARL' }], col: 'award_suppliers.party_id', store: ['FR-RCS-44189140500017', 'FR-RCS-80268496900016'] },
  { src: 'titulaires[0].denominationSociale', rec: 'm19', rel: 'v0', ptr: '/parties/1/name', ocds: 'ALPHA AUDIT SA', col: 'parties.name', where: "party_id = 'FR-RCS-44189140500017'", store: ['ALPHA AUDIT SA'] },
  { src: 'modifications[0].objetModification', rec: 'm19', rel: 'm1', ptr: '/contracts/0/amendments/0/description', ocds: 'Avenant audit 1', col: 'amendments.description', store: ['Avenant audit 1'] },
  { src: 'modifications[0].objetModification', rec: 'm19', rel: 'm1', ptr: '/contracts/0/amendments/0/rationale', ocds: 'Avenant audit 1', col: null },
  { src: 'modifications[0] (2019: its position)', rec: 'm19', rel: 'm1', ptr: '/contracts/0/amendments/0/id', ocds: '1', col: 'amendments.amendment_id', store: ['1'] },
  { src: 'modifications[0].montant', rec: 'm19', rel: 'm1', ptr: '/contracts/0/value/amount', ocds: 70000.7, col: 'contracts.amount', store: ['70000.7'] },
  { src: 'modifications[0].dureeMois', rec: 'm19', rel: 'm1', ptr: '/contracts/0/period/maxExtentDate', ocds: '2021-11-13T00:00:00+01:00', col: 'contracts.duration_months', store: ['30'] },
  { src: 'modifications[0].titulaires[].{id, denominationSociale}', rec: 'm19', rel: 'm1', ptr: '/contracts/0/suppliers', ocds: [{ id: 'FR-RCS-55203253400646', name: 'GAMMA AUDIT' }], col: 'contract_suppliers.party_id', store: ['FR-RCS-55203253400646'] },
  { src: 'modifications[0].dateNotificationModification', rec: 'm19', rel: 'm1', ptr: '/contracts/0/amendments/0/date', ocds: '2019-09-02T00:00:00+02:00', col: 'amendments.date', store: ['2019-09-02 00:00:00+02'] },
  { src: 'modifications[0].datePublicationDonneesModification', rec: 'm19', rel: 'm1', ptr: '/date', ocds: '2019-09-04T00:00:00+02:00', col: 'releases.date', where: "release_id LIKE '%-m1'", store: ['2019-09-04 00:00:00+02'] },
  // ---- 2019 concession
  { src: 'autoriteConcedante.nom', rec: 'c19', rel: 'v0', ptr: '/buyer/name', ocds: 'Ville audit', col: 'parties.name', where: 'is_buyer', store: ['Ville audit'] },
  { src: 'nature', rec: 'c19', rel: 'v0', ptr: '/tender/mainProcurementCategory', ocds: 'services', col: 'contracts.main_category', store: ['services'] },
  { src: 'procedure', rec: 'c19', rel: 'v0', ptr: '/tender/procurementMethod', ocds: 'open', col: 'contracts.procurement_method', store: ['open'] },
  { src: 'lieuExecution {Code postal, nom}', rec: 'c19', rel: 'v0', ptr: '/tender/items/0/deliveryAddresses', ocds: [{ postalCode: '59170', countryName: 'France', description: 'Croix audit' }], col: 'contracts.place_departement', store: ['59'] },
  { src: 'dateSignature', rec: 'c19', rel: 'v0', ptr: '/awards/0/date', ocds: '2019-02-04T00:00:00+01:00', col: 'contracts.signed_day', store: ['2019-02-04'] },
  { src: 'dateDebutExecution', rec: 'c19', rel: 'v0', ptr: '/contracts/0/period/startDate', ocds: '2019-03-01T00:00:00+01:00', col: 'contracts.period_start', store: ['2019-03-01 00:00:00+01'] },
  { src: 'dureeMois', rec: 'c19', rel: 'v0', ptr: '/contracts/0/period/maxExtentDate', ocds: '2027-04-01T00:00:00+02:00', col: 'contracts.initial_duration_months', store: ['97'] },
  { src: 'valeurGlobale', rec: 'c19', rel: 'v0', ptr: '/contracts/0/value/amount', ocds: 3210000.5, col: 'contracts.initial_amount', store: ['3210000.5'] },
  { src: 'montantSubventionPublique', rec: 'c19', rel: 'v0', ptr: '/contracts/0/implementation/charges/0/estimatedValue/amount', ocds: 4444.4, col: 'contract_decp.public_subsidy', store: ['4444.4'] },
  { src: 'concessionnaires[].{id, denominationSociale}', rec: 'c19', rel: 'v0', ptr: '/awards/0/suppliers', ocds: [{ id: 'FR-RCS-38103128500491', name: 'DELTA AUDIT' }], col: 'parties.name', where: 'is_supplier', store: ['DELTA AUDIT'] },
  { src: 'donneesExecution[0].datePublicationDonneesExecution', rec: 'c19', rel: 'x2020', ptr: '/date', ocds: '2020-03-10T00:00:00+01:00', col: 'releases.date', where: "release_id LIKE '%-x2020'", store: ['2020-03-10 00:00:00+01'] },
  { src: 'donneesExecution[0].depensesInvestissement', rec: 'c19', rel: 'x2020', ptr: '/x_decp/depensesInvestissement/0/amount', ocds: 88.8, col: null },
  { src: 'donneesExecution[0].tarifs[]', rec: 'c19', rel: 'x2020', ptr: '/contracts/0/tariffs', ocds: [{ id: '2020-1', paidBy: 'user', title: 'Tarif 19 A', value: { amount: 1.11, currency: 'EUR' } }, { id: '2020-2', paidBy: 'user', title: 'Tarif 19 B', value: { amount: 2.22, currency: 'EUR' } }], col: null },
  { src: 'modifications[0].objetModification', rec: 'c19', rel: 'm1', ptr: '/contracts/0/amendments/0/description', ocds: 'Avenant concession audit', col: 'amendments.description', store: ['Avenant concession audit'] },
  { src: 'modifications[0].valeurGlobale', rec: 'c19', rel: 'm1', ptr: '/contracts/0/value/amount', ocds: 3500000.5, col: 'amendments.amount', store: ['3500000.5'] },
  { src: 'modifications[0].dateSignatureModification', rec: 'c19', rel: 'm1', ptr: '/contracts/0/amendments/0/date', ocds: '2019-11-05T00:00:00+01:00', col: 'amendments.date', store: ['2019-11-05 00:00:00+01'] },
  { src: 'modifications[0].dureeMois', rec: 'c19', rel: 'm1', ptr: '/contracts/0/period/maxExtentDate', ocds: '2028-04-01T00:00:00+02:00', col: 'contracts.duration_months', store: ['109'] },
];

const RECORDS = { m24, s24, c24, m19, c19 };
const GENERATION = { m24: '2024', s24: '2024', c24: '2024', m19: '2019', c19: '2019' } as const;

interface Output { out: string; releases: J[]; conn: DuckDBConnection; close: () => void }

/** The input folder of a generation in a format, run; its releases and a connection to its store and Parquet files. */
async function runOf(generation: '2024' | '2019', format: 'json' | 'xml'): Promise<Output> {
  const input = tempDir(`trace-${generation}-${format}-`);
  const out = tempDir(`trace-${generation}-${format}-out-`);
  const doc = generation === '2024' ? { marches: { marche: [m24, s24], 'contrat-concession': [c24] } } : { marches: [m19, c19] };
  if (format === 'json') writeFileSync(join(input, 'decp.json'), JSON.stringify(doc, null, 1));
  else {
    const xsd = readXsd(join(SHARED, generation === '2024' ? 'decp/schemas/2024-v2.0.3/schema_decp_v2.0.2.xsd' : 'decp/schemas/2019-v1.5.0/marches.xsd'));
    writeFileSync(join(input, 'decp.xml'), xmlBytes(decpJsonToXml(doc as never, xsd, { pretty: true })));
  }
  const r = await runCli(['run', input, '--out', out, '--quiet']);
  // (read whole, no warning: nothing rejected, nothing said missing)
  expect([r.code, /warning|error|rejected: [1-9]| [1-9]\d* rejected/i.test(r.stderr)]).toEqual([0, false]);
  const releases = gunzipSync(readFileSync(join(out, 'ocds/releases.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as J);
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  await conn.run(`ATTACH '${join(out, 'decp.duckdb')}' AS store (READ_ONLY)`);
  await conn.run("SET TimeZone = 'Europe/Paris'");
  return { out, releases, conn, close: () => { conn.closeSync(); inst.closeSync(); } };
}

/** The value at a JSON pointer; award ids (hashes) written HASH in what it holds. */
function at(doc: J, pointer: string): unknown {
  let v: unknown = doc;
  for (const k of pointer.split('/').slice(1)) v = v === undefined || v === null ? undefined : (v as J)[k.replace(/~1/g, '/').replace(/~0/g, '~')];
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v).replace(/\b(?=[0-9a-z]*[0-9])(?=[0-9a-z]*[a-z])[0-9a-z]{14}\b/g, 'HASH'));
}

const runs = new Map<string, Output>();
const FORMATS: Array<['2024' | '2019', 'json' | 'xml']> = [['2024', 'json'], ['2024', 'xml'], ['2019', 'json'], ['2019', 'xml']];

beforeAll(async () => {
  for (const [g, f] of FORMATS) runs.set(`${g} ${f}`, await runOf(g, f));
}, 120_000);
afterAll(() => {
  for (const r of runs.values()) r.close();
});

describe.each(FORMATS)('DECP %s given as %s', (generation, format) => {
  const rows = ROWS.filter((r) => GENERATION[r.rec] === generation);
  test.each(rows.map((r) => [`${r.rec} ${r.src} → ${r.rel} ${r.ptr}${r.col ? ` | ${r.col}` : ''}`, r] as const))('%s', async (_name, row) => {
    const run = runs.get(`${generation} ${format}`)!;
    const ocid = `${PREFIX}-${RECORDS[row.rec]['id'] as string}`;
    // (a) the release
    const release = run.releases.find((r) => r['ocid'] === ocid && String(r['id']).endsWith(`-${row.rel}`));
    expect(release).toBeDefined();
    expect(at(release!, row.ptr)).toEqual(row.ocds);
    if (row.col === null) return;
    // (b) the store and (c) the Parquet data set of its table
    const [table, column] = row.col.split('.') as [string, string];
    const where = `ocid = '${ocid}'${row.where ? ` AND ${row.where}` : ''}`;
    const values = async (from: string): Promise<string[]> =>
      (await run.conn.runAndReadAll(`SELECT CAST(${column} AS VARCHAR) AS v FROM ${from} WHERE ${where} ORDER BY v`)).getRowObjectsJson().map((x) => x['v'] as string).filter((v) => v !== null);
    expect(await values(`store.${table}`)).toEqual(row.store);
    expect(await values(`read_parquet('${join(run.out, 'parquet', table)}/**/*.parquet', hive_partitioning = true, union_by_name = true)`)).toEqual(row.store);
  });
});

test.each(['2024', '2019'])('%s: the XML its XSD describes gives the releases its JSON gives, provenance aside', (generation) => {
  const strip = (r: J): J => ({ ...r, x_decp: r['x_decp'] && { ...r['x_decp'], sourceFile: undefined, sourceSha256: undefined, sourceLine: undefined } });
  const json = runs.get(`${generation} json`)!.releases.map(strip);
  expect(json.length).toBeGreaterThan(4);
  expect(runs.get(`${generation} xml`)!.releases.map(strip)).toEqual(json);
});

test('every field of the official schemas has a route in the table (2019 1.5.0 and 2024 2.0.3, marché and concession)', () => {
  const fields = (schema: J): string[] => {
    const out = new Set<string>();
    const walk = (o: unknown): void => {
      if (o === null || typeof o !== 'object') return;
      for (const [k, v] of Object.entries(o as J)) {
        if (k === 'properties') for (const name of Object.keys(v as J)) out.add(name);
        walk(v);
      }
    };
    walk(schema);
    return [...out].sort();
  };
  const traced = new Set(ROWS.flatMap((r) => r.src.split(/[^A-Za-z_]+/)));
  const schemas = ['decp/schemas/2019-v1.5.0/marches.json', 'decp/schemas/2024-v2.0.3/schema_decp_v2.0.3.json'].map((p) => JSON.parse(readFileSync(join(SHARED, p), 'utf8')) as J);
  // (and the names only the 2024 XSD has — modificationActesSousTraitance, the XML runs' item name — as properties of their own)
  const xsdNames = [...readFileSync(join(SHARED, 'decp/schemas/2024-v2.0.3/schema_decp_v2.0.2.xsd'), 'utf8').matchAll(/<xs:element name="([^"]+)"/g)].map((m) => m[1]!);
  schemas.push({ properties: Object.fromEntries(xsdNames.map((n) => [n, {}])) });
  // (the schemas' containers: `marches`, `marche`, `contrat-concession`; an item's wrapper is traced by its list, `titulaire` by `titulaires`;
  // typeIdentifiant and sousTraitant by the parties they make; `id` of a modification by its own row)
  const containers = new Set(['marches', 'marche', 'contrat-concession', 'titulaire', 'concessionnaire', 'modification', 'acteSousTraitance', 'modificationActeSousTraitance', 'modificationActesSousTraitance', 'donneesAnnuelles', 'tarif', 'typePrix', 'technique', 'modaliteExecution', 'considerationSociale', 'considerationEnvironnementale']);
  const missing = schemas.flatMap(fields).filter((f) => !containers.has(f) && !traced.has(f));
  expect([...new Set(missing)]).toEqual([]);
});

test('the same facts give the same release from a 2024 record and its 2019 twin (JSON and XML)', async () => {
  const facts = (x: J): J => ({ ...x, x_decp: { ...x['x_decp'], formatVersion: undefined, sourceFile: undefined, sourceSha256: undefined, sourceLine: undefined, sourceIndex: undefined, sourceType: undefined } });
  const twin24: J = { id: 'TWIN1A', acheteur: { id: BUYER }, nature: 'Marché', objet: 'Jumeau', codeCPV: '45000000', procedure: 'Procédure adaptée', lieuExecution: { code: '59170', typeCode: 'Code postal' }, dureeMois: 12, dateNotification: '2023-03-10', datePublicationDonnees: '2023-03-12', montant: 1000, formePrix: 'Forfaitaire', titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }], modifications: [{ modification: { id: 1, montant: 1500, dureeMois: 14, dateNotificationModification: '2023-06-01', datePublicationDonneesModification: '2023-06-02', titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '80268496900016' } }] } }] };
  const twin19: J = { _type: 'Marché', id: 'TWIN1A', acheteur: { id: BUYER }, nature: 'Marché', objet: 'Jumeau', codeCPV: '45000000', procedure: 'Procédure adaptée', lieuExecution: { code: '59170', typeCode: 'Code postal' }, dureeMois: 12, dateNotification: '2023-03-10', datePublicationDonnees: '2023-03-12', montant: 1000, formePrix: 'Forfaitaire', titulaires: [{ typeIdentifiant: 'SIRET', id: '44189140500017' }], modifications: [{ montant: 1500, dureeMois: 14, dateNotificationModification: '2023-06-01', datePublicationDonneesModification: '2023-06-02', titulaires: [{ typeIdentifiant: 'SIRET', id: '80268496900016' }] }] };
  const outs: J[][] = [];
  for (const [doc, xsd] of [[{ marches: { marche: [twin24] } }, 'decp/schemas/2024-v2.0.3/schema_decp_v2.0.2.xsd'], [{ marches: [twin19] }, 'decp/schemas/2019-v1.5.0/marches.xsd']] as const) {
    for (const format of ['json', 'xml']) {
      const input = tempDir('twin-');
      mkdirSync(input, { recursive: true });
      if (format === 'json') writeFileSync(join(input, 'decp.json'), JSON.stringify(doc));
      else writeFileSync(join(input, 'decp.xml'), xmlBytes(decpJsonToXml(doc as never, readXsd(join(SHARED, xsd)))));
      const out = tempDir('twin-out-');
      expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
      outs.push(gunzipSync(readFileSync(join(out, 'ocds/releases.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean).map((l) => facts(JSON.parse(l) as J)));
    }
  }
  const [json24, xml24, json19, xml19] = outs as [J[], J[], J[], J[]];
  expect(xml24).toEqual(json24);
  expect(xml19).toEqual(json19);
  // 2019 → 2024: the same releases but for what only the 2024 format says (a modification's own id; 2019's is its position, the amendment's id in both)
  const only = (rs: J[]): J[] => rs.map((r) => { const c = JSON.parse(JSON.stringify(r)) as J; if (c['x_decp']['modification']) delete c['x_decp']['modification']['id']; return c; });
  expect(only(json19)).toEqual(only(json24));
  expect(json24.map((r) => r['id'])).toEqual([`${PREFIX}-TWIN1A-${String(json24[0]!['awards'][0]['id'])}-v0`, `${PREFIX}-TWIN1A-${String(json24[0]!['awards'][0]['id'])}-m1`]);
}, 60_000);

test("DGFiP's variant of the 2019 XSD: urlProfilAcheteur and dateTransmissionDonneesEtalab, from its XML, in x_decp (not unmapped)", async () => {
  const { uid: _m, ...marche } = m19;
  const { uid: _c, donneesExecution: _d, ...concession } = c19;
  const doc = { marches: [{ ...marche, acheteur: { ...m19['acheteur'], urlProfilAcheteur: 'https://profil.example.fr/ville-audit' }, dateTransmissionDonneesEtalab: '2019-05-20' }, { ...concession, autoriteConcedante: { ...c19['autoriteConcedante'], urlProfilAcheteur: 'https://profil.example.fr/dsp' }, dateTransmissionDonneesEtalab: '2019-02-11' }] };
  const xml = decpJsonToXml(doc as never, readXsd(join(SHARED, 'decp/schemas/2019-v1.5.0/marches-dgfip.xsd')));
  expect(xml).toContain('<urlProfilAcheteur>https://profil.example.fr/dsp</urlProfilAcheteur>');
  const input = tempDir('dgfip-');
  writeFileSync(join(input, 'decp.xml'), xmlBytes(xml));
  const out = tempDir('dgfip-out-');
  expect((await runCli(['run', input, '--out', out, '--quiet'])).code).toBe(0);
  const initial = gunzipSync(readFileSync(join(out, 'ocds/releases.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as J).filter((r) => String(r['id']).endsWith('-v0'));
  expect(initial.map((r) => [r['x_decp']['id'], r['x_decp']['urlProfilAcheteur'], r['x_decp']['dateTransmissionDonneesEtalab'], r['x_decp']['unmapped']]).sort()).toEqual([
    ['AUD19C', 'https://profil.example.fr/dsp', '2019-02-11', undefined],
    ['AUD19M', 'https://profil.example.fr/ville-audit', '2019-05-20', undefined],
  ]);
  // … and in the store's contract_decp, the day a DATE
  expect(await storeObjects(join(out, 'decp.duckdb'), "SELECT decp_id, buyer_profile_url, strftime(date_transmitted, '%Y-%m-%d') AS day, typeof(date_transmitted) AS t FROM contract_decp ORDER BY decp_id")).toEqual([
    { decp_id: 'AUD19C', buyer_profile_url: 'https://profil.example.fr/dsp', day: '2019-02-11', t: 'DATE' },
    { decp_id: 'AUD19M', buyer_profile_url: 'https://profil.example.fr/ville-audit', day: '2019-05-20', t: 'DATE' },
  ]);
});
