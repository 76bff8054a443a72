/**
 * A conformance walk of the design reference's mapping (../shared/docs/mapping-decp-ocds.md, §7.1–7.3),
 * row by row, on the value forms real platforms publish where the official examples give one form
 * only: numbers as text, decimal commas, dates with an offset or a time, codes in another case,
 * identifiers with spaces or in small letters, a list given as its one object, empty values. Each
 * row is written here in this test's own words (the reference is prose and tables, not data): what
 * the row maps, a record that gives it, and what the releases must say. Where the project decided
 * otherwise (docs/mapping.md: bids' id, relatedProcesses' id, no tender.title or lots, the VAT
 * number kept as the identifier), the row says the project's documented form.
 */
import { readBytes } from '../helpers/ingest.js';
import { createConverter } from '../../src/transform/decp/convert-record.js';
import { loadProfile } from '../../src/ingest/profiles.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const converter = createConverter(await loadProfile(), { ocidPrefix: 'ocds-78apv2', runDate: '2026-01-01T00:00:00Z' });
const BUYER = '21590163800019';

const m19 = (extra: J): J => ({
  _type: 'Marché', id: 'R2019', acheteur: { id: BUYER, nom: 'Ville de Croix' }, nature: 'Marché', objet: 'Voirie', codeCPV: '45000000', procedure: 'Procédure adaptée',
  lieuExecution: { code: '59170', typeCode: 'Code postal', nom: 'Croix' }, dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme',
  titulaires: [{ typeIdentifiant: 'SIRET', id: '44189140500017', denominationSociale: 'ALPHA SA' }], ...extra,
});
const c19 = (extra: J): J => ({
  _type: 'Contrat de concession', id: 'K2019', autoriteConcedante: { id: BUYER, nom: 'Ville de Croix' }, nature: 'Délégation de service public', objet: 'Eau', procedure: 'Procédure non négociée ouverte',
  lieuExecution: { code: '59', typeCode: 'Code département', nom: 'Nord' }, dureeMois: 60, dateSignature: '2019-01-10', datePublicationDonnees: '2019-01-20', dateDebutExecution: '2019-02-01', valeurGlobale: 900000,
  montantSubventionPublique: 0, concessionnaires: [{ typeIdentifiant: 'SIRET', id: '55203253400646', denominationSociale: 'AQUA SA' }], ...extra,
});
const m24 = (extra: J): J => ({
  id: 'R2024', acheteur: { id: BUYER }, nature: 'Marché', objet: 'Voirie', codeCPV: '45000000', techniques: { technique: ['Sans objet'] }, modalitesExecution: { modaliteExecution: ['Sans objet'] },
  procedure: "Appel d'offres ouvert", lieuExecution: { code: '59170', typeCode: 'Code postal' }, dureeMois: 12, dateNotification: '2024-03-10', datePublicationDonnees: '2024-03-12', montant: 1000,
  formePrix: 'Forfaitaire', typesPrix: { typePrix: ['Définitif ferme'] }, considerationsSociales: { considerationSociale: ['Pas de considération sociale'] },
  considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale'] }, marcheInnovant: false, offresRecues: 3, attributionAvance: false, tauxAvance: 0,
  sousTraitanceDeclaree: false, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }], ...extra,
});
const c24 = (extra: J): J => ({
  id: 'K2024', autoriteConcedante: { id: BUYER }, nature: 'Concession de service', objet: 'Eau', procedure: 'Procédure négociée ouverte', dureeMois: 60, dateSignature: '2024-01-10',
  datePublicationDonnees: '2024-01-20', dateDebutExecution: '2024-02-01', valeurGlobale: 900000, montantSubventionPublique: 0, concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: '55203253400646' } }],
  considerationsSociales: { considerationSociale: ['Pas de considération sociale'] }, considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale'] }, ...extra,
});

/** The releases of one record, given in the shape of its format (2019: a flat list; 2024: wrapped). */
async function releasesOf(record: J): Promise<J[]> {
  const is2024 = record['id'] === 'R2024' || record['id'] === 'K2024';
  const concession = record['id'] === 'K2019' || record['id'] === 'K2024';
  const doc = is2024 ? { marches: { [concession ? 'contrat-concession' : 'marche']: [record] } } : { marches: [record] };
  const read = await readBytes(JSON.stringify(doc));
  const out = converter.convert(read.records[0]!);
  if (!out.ok) throw new Error(out.reason);
  return out.releases as unknown as J[];
}
const initial = (rs: J[]): J => rs.find((r) => (r['tag'] as string[]).includes('contract'))!;
const tagged = (tag: string) => (rs: J[]): J[] => rs.filter((r) => (r['tag'] as string[]).includes(tag));
const item = (r: J): J => r['tender']['items'][0];
const supplier = (r: J): J => r['parties'].find((p: J) => p['roles'].includes('supplier'));
const flagCodes = (r: J): string[] => (r['x_decp']['qualityFlags'] ?? []).map((f: J) => f['code']);

type Row = [row: string, record: J, got: (rs: J[]) => unknown, want: unknown];

const rows: Row[] = [
  // 7.1 identifiers
  ['ocid: prefix, buyer SIRET, id with whitespace as _', m24({ id: ' 2024 MA 7 ' }), (rs) => initial(rs)['ocid'], `ocds-78apv2-${BUYER}-2024_MA_7`],
  ['ocid 2019: a counter 01 after one modification is cut', m19({ id: '2019MA0701', modifications: [{ objetModification: 'av', dateNotificationModification: '2019-05-01', datePublicationDonneesModification: '2019-05-02', montant: 1500 }] }), (rs) => initial(rs)['ocid'], `ocds-78apv2-${BUYER}-2019MA07`],
  ['ocid 2019: 02 with one modification stays', m19({ id: '2019MA0702', modifications: [{ objetModification: 'av', dateNotificationModification: '2019-05-01', datePublicationDonneesModification: '2019-05-02', montant: 1500 }] }), (rs) => initial(rs)['ocid'], `ocds-78apv2-${BUYER}-2019MA0702`],
  ['ocid 2024: never cut', m24({ id: '2024MA0700' }), (rs) => initial(rs)['ocid'], `ocds-78apv2-${BUYER}-2024MA0700`],
  ['release ids: -v0, -m<modification.id>', m24({ modifications: [{ modification: { id: 2, montant: '1 500,50', dateNotificationModification: '2024-05-01', datePublicationDonneesModification: '2024-05-03' } }, { modification: { id: 1, montant: 1200, dateNotificationModification: '2024-04-01', datePublicationDonneesModification: '2024-04-03' } }] }), (rs) => rs.map((r) => String(r['id']).replace(/^.*-/, '')), ['v0', 'm1', 'm2']],
  ['party: SIRET with spaces is FR-RCS-<14 digits>', m24({ titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: ' 441 891 405 00017 ' } }] }), (rs) => supplier(initial(rs))['id'], 'FR-RCS-44189140500017'],
  ['party: other types under FR-DECP-<TYPE>', m24({ titulaires: [{ titulaire: { typeIdentifiant: 'TAHITI', id: 'A12345' } }] }), (rs) => supplier(initial(rs))['identifier'], { scheme: 'FR-DECP-TAHITI', id: 'A12345' }],
  ['party: a French VAT number gives its SIREN', m24({ titulaires: [{ titulaire: { typeIdentifiant: 'TVA', id: 'FR43802684969' } }] }), (rs) => supplier(initial(rs))['additionalIdentifiers'], [{ scheme: 'FR-RCS', id: '802684969' }]],
  // (found by this audit: in small letters it was another party, FR-DECP-TVA-fr43802684969, and gave no SIREN)
  ['party: a VAT number in small letters is the same party, with its SIREN', m24({ titulaires: [{ titulaire: { typeIdentifiant: 'TVA', id: 'fr43802684969' } }] }), (rs) => { const s = supplier(initial(rs)); return [s['id'], s['identifier']['id'], s['additionalIdentifiers'], flagCodes(initial(rs)).includes('ID_CLEANED')]; }, ['FR-DECP-TVA-FR43802684969', 'FR43802684969', [{ scheme: 'FR-RCS', id: '802684969' }], true]],
  ['party: a foreign VAT number in small letters in capitals', m24({ titulaires: [{ titulaire: { typeIdentifiant: 'TVA', id: 'de 123456789' } }] }), (rs) => supplier(initial(rs))['id'], 'FR-DECP-TVA-DE123456789'],
  ['party: other identifiers keep their case', m24({ titulaires: [{ titulaire: { typeIdentifiant: 'HORS-UE', id: 'ab-99' } }] }), (rs) => supplier(initial(rs))['id'], 'FR-DECP-HORS-UE-ab-99'],
  // 7.2 marchés
  ['datePublicationDonnees: midnight Paris, the source offset kept, a time dropped', m24({ datePublicationDonnees: '2024-03-12T10:00:00+01:00', dateNotification: '2024-03-10+01:00' }), (rs) => [initial(rs)['date'], initial(rs)['awards'][0]['date']], ['2024-03-12T00:00:00+01:00', '2024-03-10T00:00:00+01:00']],
  ['datePublicationDonnees empty: the notification, flagged', m19({ datePublicationDonnees: '' }), (rs) => [initial(rs)['date'], flagCodes(initial(rs)).includes('RELEASE_DATE_FROM_NOTIFICATION')], ['2019-01-10T00:00:00+01:00', true]],
  ['tag, initiationType, language, statuses', m24({}), (rs) => { const r = initial(rs); return [r['tag'], r['initiationType'], r['language'], r['tender']['status'], r['awards'][0]['status'], r['contracts'][0]['status']]; }, [['award', 'contract'], 'tender', 'fr', 'complete', 'active', 'active']],
  ['acheteur: buyer {id, name} and party role buyer', m19({}), (rs) => [initial(rs)['buyer'], initial(rs)['parties'][0]['roles']], [{ id: `FR-RCS-${BUYER}`, name: 'Ville de Croix' }, ['buyer']]],
  ['objet: award and contract title, item description', m24({}), (rs) => { const r = initial(rs); return [r['awards'][0]['title'], r['contracts'][0]['title'], item(r)['description'], r['tender']['title']]; }, ['Voirie', 'Voirie', 'Voirie', undefined]],
  ['codeCPV: check digit stripped, raw kept', m24({ codeCPV: '45320000-6' }), (rs) => [item(initial(rs))['classification'], initial(rs)['x_decp']['cpvRaw']], [{ scheme: 'CPV', id: '45320000' }, '45320000-6']],
  ['codeCPV: right-padded to 8', m24({ codeCPV: '4532' }), (rs) => item(initial(rs))['classification']['id'], '45320000'],
  ['codeCPV: cut beyond 8', m24({ codeCPV: '453200001' }), (rs) => item(initial(rs))['classification']['id'], '45320000'],
  ['category: 48 goods', m24({ codeCPV: '48000000' }), (rs) => initial(rs)['tender']['mainProcurementCategory'], 'goods'],
  ['category: 03 goods', m24({ codeCPV: '03000000' }), (rs) => initial(rs)['tender']['mainProcurementCategory'], 'goods'],
  ['category: 98 services', m24({ codeCPV: '98000000' }), (rs) => initial(rs)['tender']['mainProcurementCategory'], 'services'],
  ['procedure in capitals: method, label verbatim', m19({ procedure: "APPEL D'OFFRES RESTREINT" }), (rs) => [initial(rs)['tender']['procurementMethod'], initial(rs)['tender']['procurementMethodDetails']], ['selective', "APPEL D'OFFRES RESTREINT"]],
  ['procedure adaptée: no method', m19({}), (rs) => initial(rs)['tender']['procurementMethod'], undefined],
  ['2019 nature Accord-cadre in capitals: hasFrameworkAgreement', m19({ nature: 'ACCORD-CADRE' }), (rs) => initial(rs)['tender']['techniques'], { hasFrameworkAgreement: true }],
  ['2019 nature Marché subséquent: the relationship only', m19({ nature: 'Marché subséquent' }), (rs) => initial(rs)['relatedProcesses'], [{ id: 'framework', relationship: ['framework'] }]],
  ['2024 subsequent contract, one mode given as a text: ocid of (buyer, idAccordCadre)', m24({ modalitesExecution: { modaliteExecution: 'Marchés subséquents' }, idAccordCadre: 'AC 1' }), (rs) => initial(rs)['relatedProcesses'], [{ id: `framework-ocds-78apv2-${BUYER}-AC_1`, relationship: ['framework'], scheme: 'ocid', identifier: `ocds-78apv2-${BUYER}-AC_1` }]],
  ['other nature: x_decp.nature', m19({ nature: 'Marché de partenariat' }), (rs) => initial(rs)['x_decp']['nature'], 'Marché de partenariat'],
  ['techniques given as one text', m24({ techniques: { technique: "Système d'acquisition dynamique" } }), (rs) => [initial(rs)['tender']['techniques'], initial(rs)['x_decp']['techniques']], [{ hasDynamicPurchasingSystem: true }, ["Système d'acquisition dynamique"]]],
  ['technique Enchère électronique', m24({ techniques: { technique: ['Enchère électronique', 'Catalogue électronique'] } }), (rs) => initial(rs)['tender']['techniques'], { hasElectronicAuction: true }],
  ['lieuExecution postal code, typeCode in capitals', m24({ lieuExecution: { code: '59170', typeCode: 'CODE POSTAL' } }), (rs) => item(initial(rs))['deliveryAddresses'], [{ postalCode: '59170', countryName: 'France' }]],
  ['lieuExecution département 2A: region', m24({ lieuExecution: { code: '2A', typeCode: 'Code département' } }), (rs) => item(initial(rs))['deliveryAddresses'], [{ region: '2A', countryName: 'France' }]],
  // (found by this audit: in small letters, `2b`, `2a004`, `frk`, the code was published so, no code of the COG or NUTS)
  ['lieuExecution département in small letters: the COG code in capitals', m24({ lieuExecution: { code: '2b', typeCode: 'Code département' } }), (rs) => [item(initial(rs))['deliveryAddresses'], initial(rs)['x_decp']['lieuExecution']['code'], flagCodes(initial(rs))], [[{ region: '2B', countryName: 'France' }], '2b', ['ID_CLEANED']]],
  ['lieuExecution commune in small letters: the COG code in capitals', m24({ lieuExecution: { code: '2a004', typeCode: 'Code commune' } }), (rs) => item(initial(rs))['deliveryLocations'], [{ gazetteer: { scheme: 'FR-COG', identifiers: ['2A004'] } }]],
  // (a name given as a code is no code: not made capitals as one, nor said cleaned)
  ['lieuExecution département on three characters in small letters: in capitals (a review)', m24({ lieuExecution: { code: '02a', typeCode: 'Code département' } }), (rs) => [item(initial(rs))['deliveryAddresses'], flagCodes(initial(rs))], [[{ region: '02A', countryName: 'France' }], ['ID_CLEANED']]],
  ['lieuExecution commune given by its name in small letters: left as written', m24({ lieuExecution: { code: 'croix', typeCode: 'Code commune' } }), (rs) => [item(initial(rs))['deliveryLocations'], flagCodes(initial(rs)).includes('ID_CLEANED')], [[{ gazetteer: { scheme: 'FR-COG', identifiers: ['croix'] } }], false]],
  // (a word of letters given as a NUTS code is none: left as written; Bavaria's level 3 `de21a` is one)
  ['lieuExecution NUTS given as a word: left as written', m24({ lieuExecution: { code: 'nord', typeCode: 'Code NUTS' } }), (rs) => [item(initial(rs))['deliveryLocations'], flagCodes(initial(rs)).includes('ID_CLEANED')], [[{ gazetteer: { scheme: 'NUTS', identifiers: ['nord'] } }], false]],
  ['lieuExecution NUTS level 3 ending in a letter: in capitals', m24({ lieuExecution: { code: 'de21a', typeCode: 'Code NUTS' } }), (rs) => item(initial(rs))['deliveryLocations'], [{ gazetteer: { scheme: 'NUTS', identifiers: ['DE21A'] } }]],
  ['lieuExecution NUTS in small letters: in capitals', m24({ lieuExecution: { code: 'frk', typeCode: 'Code NUTS' } }), (rs) => item(initial(rs))['deliveryLocations'], [{ gazetteer: { scheme: 'NUTS', identifiers: ['FRK'] } }]],
  ['lieuExecution commune: FR-COG gazetteer, nom its description', m19({ lieuExecution: { code: '59163', typeCode: 'Code commune', nom: 'Croix' } }), (rs) => item(initial(rs))['deliveryLocations'], [{ gazetteer: { scheme: 'FR-COG', identifiers: ['59163'] }, description: 'Croix' }]],
  ['lieuExecution pays', m24({ lieuExecution: { code: 'FR', typeCode: 'Code pays' } }), (rs) => item(initial(rs))['deliveryAddresses'], [{ countryName: 'France' }]],
  ['dureeMois as text: period from notification, maxExtentDate, days', m24({ dureeMois: '12' }), (rs) => [initial(rs)['contracts'][0]['period'], initial(rs)['x_decp']['dureeMois']], [{ startDate: '2024-03-10T00:00:00+01:00', maxExtentDate: '2025-03-10T00:00:00+01:00', durationInDays: 365 }, 12]],
  ['montant with a decimal comma: award and contract value', m24({ montant: '1 234,50' }), (rs) => [initial(rs)['awards'][0]['value'], initial(rs)['contracts'][0]['value']], [{ amount: 1234.5, currency: 'EUR' }, { amount: 1234.5, currency: 'EUR' }]],
  ['2019 formePrix normalised into typesPrix', m19({ formePrix: 'ferme et actualisable' }), (rs) => initial(rs)['x_decp']['typesPrix'], ['Définitif actualisable']],
  ['2024 formePrix and typesPrix given as one text', m24({ formePrix: 'Mixte', typesPrix: { typePrix: 'Définitif révisable' } }), (rs) => [initial(rs)['x_decp']['formePrix'], initial(rs)['x_decp']['typesPrix']], ['Mixte', ['Définitif révisable']]],
  ['titulaires given as one object: supplier of award and contract', m24({ titulaires: { titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } } }), (rs) => [initial(rs)['awards'][0]['suppliers'], initial(rs)['contracts'][0]['suppliers']], [[{ id: 'FR-RCS-44189140500017' }], [{ id: 'FR-RCS-44189140500017' }]]],
  ['typeGroupementOperateurs: x_decp', m24({ typeGroupementOperateurs: 'Conjoint' }), (rs) => initial(rs)['x_decp']['typeGroupementOperateurs'], 'Conjoint'],
  ['offresRecues as text: bids statistics, not numberOfTenderers', m24({ offresRecues: '4' }), (rs) => [initial(rs)['bids']['statistics'][0]['value'], initial(rs)['bids']['statistics'][0]['measure'], initial(rs)['tender']['numberOfTenderers']], [4, 'bids', undefined]],
  ['considerations: clause, criterion, reserved, innovative', m24({ considerationsSociales: { considerationSociale: 'Marché réservé' }, considerationsEnvironnementales: { considerationEnvironnementale: ['Critère environnemental'] }, marcheInnovant: 'true' }), (rs) => initial(rs)['tender']['sustainability'], [{ goal: 'social', strategies: ['reservedParticipation'] }, { goal: 'environmental', strategies: ['awardCriteria'] }, { goal: 'economic.innovativePurchase' }]],
  ['"Pas de …" says nothing', m24({}), (rs) => initial(rs)['tender']['sustainability'], undefined],
  ['ccag, avance, origins with decimal commas: x_decp', m24({ ccag: 'Travaux', attributionAvance: 'true', tauxAvance: '0,05', origineUE: '0,1', origineFrance: '0.2' }), (rs) => { const x = initial(rs)['x_decp']; return [x['ccag'], x['attributionAvance'], x['tauxAvance'], x['origineUE'], x['origineFrance']]; }, ['Travaux', true, 0.05, 0.1, 0.2]],
  ['sousTraitanceDeclaree as text: hasSubcontracting', m24({ sousTraitanceDeclaree: 'true' }), (rs) => initial(rs)['awards'][0]['hasSubcontracting'], true],
  ['actesSousTraitance as one object: subcontract, party role, x_decp', m24({ sousTraitanceDeclaree: true, actesSousTraitance: { acteSousTraitance: { id: 1, sousTraitant: { typeIdentifiant: 'SIRET', id: '80268496900016' }, montant: '3 000', dureeMois: '2', dateNotification: '2024-04-01', datePublicationDonnees: '2024-04-02', variationPrix: 'Ferme' } } }),
    (rs) => { const r = initial(rs); return [r['awards'][0]['subcontracting'], r['parties'].find((p: J) => p['id'] === 'FR-RCS-80268496900016')['roles'], r['x_decp']['sousTraitance'][0]['montant']]; }, [{ subcontracts: [{ id: '1', subcontractor: { id: 'FR-RCS-80268496900016' } }] }, ['subcontractor'], 3000]],
  // (found by this audit: a subcontractor's name, where a platform gives one, was kept in x_decp.unmapped only)
  ['actesSousTraitance: the subcontractor {id, name}', m24({ actesSousTraitance: [{ acteSousTraitance: { id: 1, sousTraitant: { typeIdentifiant: 'SIRET', id: '80268496900016', denominationSociale: 'GAMMA SARL' }, montant: 3000 } }] }),
    (rs) => { const r = initial(rs); return [r['awards'][0]['subcontracting']['subcontracts'][0]['subcontractor'], r['parties'].find((p: J) => p['id'] === 'FR-RCS-80268496900016')['name'], r['x_decp']['unmapped']]; }, [{ id: 'FR-RCS-80268496900016', name: 'GAMMA SARL' }, 'GAMMA SARL', undefined]],
  ['actesSousTraitance: a subcontractor named without an identifier is no party, its name kept in a flag', m24({ actesSousTraitance: [{ acteSousTraitance: { id: 1, sousTraitant: { typeIdentifiant: 'SIRET', denominationSociale: 'GAMMA SARL' }, montant: 3000 } }] }),
    (rs) => { const r = initial(rs); return [r['awards'][0]['subcontracting'], r['x_decp']['qualityFlags'].filter((f: J) => f['code'] === 'PARTY_WITHOUT_ID').map((f: J) => [f['pointer'], f['raw']])]; }, [undefined, [['/actesSousTraitance/0/sousTraitant', 'GAMMA SARL']]]],
  ['actesSousTraitance: a subcontractor who is a natural person is not named', m24({ objet: 'Peinture par DUPONT Jean', actesSousTraitance: [{ acteSousTraitance: { id: 1, sousTraitant: { typeIdentifiant: 'SIRET', id: '80268496900016', denominationSociale: 'DUPONT Jean EI' }, montant: 3000 } }] }),
    (rs) => { const r = initial(rs); return [r['awards'][0]['subcontracting']['subcontracts'][0]['subcontractor'], r['awards'][0]['title'], JSON.stringify(r).includes('DUPONT'), r['x_decp']['personParties']]; }, [{ id: 'FR-RCS-80268496900016' }, 'Peinture par *** ***', false, ['FR-RCS-80268496900016']]],
  ['modificationsActesSousTraitance: an awardUpdate release', m24({ actesSousTraitance: [{ acteSousTraitance: { id: 1, sousTraitant: { typeIdentifiant: 'SIRET', id: '80268496900016' }, montant: 3000, dureeMois: 2, dateNotification: '2024-04-01', datePublicationDonnees: '2024-04-02', variationPrix: 'Ferme' } }], modificationsActesSousTraitance: [{ modificationActeSousTraitance: { id: 1, dureeMois: 3, dateNotificationModificationSousTraitance: '2024-06-01', montant: '4000', datePublicationDonnees: '2024-06-02' } }] }),
    (rs) => tagged('awardUpdate')(rs).map((r) => r['x_decp']['sousTraitance'][0]['montant']), [4000]],
  ['x_decp: id, uid, sourceDataset, formatVersion', m19({ uid: `${BUYER}R2019`, source: 'data.gouv.fr_aife' }), (rs) => { const x = initial(rs)['x_decp']; return [x['id'], x['uid'], x['sourceDataset'], x['formatVersion']]; }, ['R2019', `${BUYER}R2019`, 'data.gouv.fr_aife', '2019']],
  // (found by the field-by-field audit: DGFiP's variant of the 2019 XSD, marches-dgfip.xsd, which the Grand Lyon sample follows, has these two; kept in x_decp.unmapped only)
  ['DGFiP 2019: urlProfilAcheteur and dateTransmissionDonneesEtalab in x_decp', m19({ acheteur: { id: BUYER, nom: 'Ville de Croix', urlProfilAcheteur: 'https://marches.example.fr/croix' }, dateTransmissionDonneesEtalab: '2019-01-14+01:00' }),
    (rs) => { const x = initial(rs)['x_decp']; return [x['urlProfilAcheteur'], x['dateTransmissionDonneesEtalab'], x['unmapped']]; }, ['https://marches.example.fr/croix', '2019-01-14', undefined]],
  ['DGFiP 2019 concession: the profile URL of the authority', c19({ autoriteConcedante: { id: BUYER, nom: 'Ville de Croix', urlProfilAcheteur: 'https://marches.example.fr/croix/dsp' }, dateTransmissionDonneesEtalab: '2019-01-25' }),
    (rs) => { const x = initial(rs)['x_decp']; return [x['urlProfilAcheteur'], x['dateTransmissionDonneesEtalab'], x['unmapped']]; }, ['https://marches.example.fr/croix/dsp', '2019-01-25', undefined]],
  ['an unread field is kept in x_decp.unmapped', m24({ champInconnu: 'valeur' }), (rs) => initial(rs)['x_decp']['unmapped'], { champInconnu: 'valeur' }],
  // modifications
  ['2019 modification given as one object: amendment, rationale, new value, award unchanged', m19({ modifications: { objetModification: 'Avenant 1', dateNotificationModification: '2019-05-01+02:00', datePublicationDonneesModification: '2019-05-03', montant: '1 500,00', dureeMois: '18' } }),
    (rs) => { const m = tagged('contractAmendment')(rs)[0]!; const c = m['contracts'][0]; return [m['date'], c['value'], c['period']['maxExtentDate'], c['amendments'][0]['description'], c['amendments'][0]['rationale'], c['amendments'][0]['date'], m['awards']]; },
    ['2019-05-03T00:00:00+02:00', { amount: 1500, currency: 'EUR' }, '2020-07-10T00:00:00+02:00', 'Avenant 1', 'Avenant 1', '2019-05-01T00:00:00+02:00', undefined]],
  ['2019 modifications sorted by notification: keys by position', m19({ modifications: [{ objetModification: 'b', dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-02', montant: 1500 }, { objetModification: 'a', dateNotificationModification: '2019-05-01', datePublicationDonneesModification: '2019-05-02', montant: 1200 }] }),
    (rs) => tagged('contractAmendment')(rs).map((r) => [r['contracts'][0]['amendments'][0]['id'], r['contracts'][0]['amendments'][0]['description']]), [['1', 'a'], ['2', 'b']]],
  ['2024 modification titulaires: the full new list', m24({ modifications: [{ modification: { id: 1, dateNotificationModification: '2024-05-01', datePublicationDonneesModification: '2024-05-03', titulaires: { titulaire: { typeIdentifiant: 'SIRET', id: '80268496900016' } } } }] }),
    (rs) => tagged('contractAmendment')(rs)[0]!['contracts'][0]['suppliers'], [{ id: 'FR-RCS-80268496900016' }]],
  // 7.3 concessions
  ['concession: authority buyer, concessionnaire supplier, signature dates, start of execution', c24({ concessionnaires: { concessionnaire: { typeIdentifiant: 'SIRET', id: '55203253400646' } } }),
    (rs) => { const r = initial(rs); return [r['buyer']['id'], r['awards'][0]['suppliers'], r['awards'][0]['date'], r['contracts'][0]['dateSigned'], r['contracts'][0]['period']['startDate'], r['x_decp']['contractType']]; },
    [`FR-RCS-${BUYER}`, [{ id: 'FR-RCS-55203253400646' }], '2024-01-10T00:00:00+01:00', '2024-01-10T00:00:00+01:00', '2024-02-01T00:00:00+01:00', 'concession']],
  ['concession nature in capitals: works', c24({ nature: 'CONCESSION DE TRAVAUX', procedure: 'procédure non négociée restreinte' }), (rs) => [initial(rs)['tender']['mainProcurementCategory'], initial(rs)['tender']['procurementMethod']], ['works', 'selective']],
  ['valeurGlobale as text: award and contract value', c24({ valeurGlobale: '900 000,00' }), (rs) => initial(rs)['awards'][0]['value'], { amount: 900000, currency: 'EUR' }],
  ['montantSubventionPublique with a decimal comma: a government charge', c24({ montantSubventionPublique: '1 500,25' }), (rs) => initial(rs)['contracts'][0]['implementation']['charges'], [{ id: 'subvention', title: 'Subvention publique', paidBy: 'government', estimatedValue: { amount: 1500.25, currency: 'EUR' } }]],
  ['2019 donneesExecution as one object: implementation release, tariff, investment', c19({ donneesExecution: { datePublicationDonneesExecution: '2020-02-01', depensesInvestissement: '1 000,5', tarifs: { intituleTarif: 'Ticket', tarif: '2,5' } } }),
    (rs) => tagged('implementation')(rs).map((r) => [String(r['id']).replace(/^.*-/, ''), r['date'], r['contracts'][0]['tariffs'], r['x_decp']['depensesInvestissement'][0]['amount']]),
    [['x2020', '2020-02-01T00:00:00+01:00', [{ id: '2020-1', paidBy: 'user', title: 'Ticket', value: { amount: 2.5, currency: 'EUR' } }], 1000.5]]],
  ['2024 donneesAnnuelles: one release per year', c24({ donneesExecution: [{ donneesAnnuelles: { datePublicationDonneesExecution: '2025-01-15', depensesInvestissement: 10, tarifs: [{ tarif: { intituleTarif: 'A', tarif: 1 } }] } }, { donneesAnnuelles: { datePublicationDonneesExecution: '2026-01-15', depensesInvestissement: 20 } }] }),
    (rs) => tagged('implementation')(rs).map((r) => String(r['id']).replace(/^.*-/, '')), ['x2025', 'x2026']],
  // (found by the field-by-field audit: the 2.0.1 interim examples give a year's tariff on the year itself, no tarifs list; it was kept in x_decp.unmapped only)
  ['2024 interim donneesExecution: a tariff given on the year itself is its tariff, a free one a value', c24({ donneesExecution: { datePublicationDonneesExecution: '2024-12-01', depensesInvestissement: 50000, intituleTarif: 'Prix ticket', tarif: 0 } }),
    (rs) => tagged('implementation')(rs).map((r) => [r['contracts'][0]['tariffs'], r['x_decp']['unmapped'], flagCodes(initial(rs))]), [[[{ id: '2024-1', paidBy: 'user', title: 'Prix ticket', value: { amount: 0, currency: 'EUR' } }], undefined, []]]],
  ['donneesExecution giving both forms: the tariffs of its list, then the one on the year, none lost', c24({ donneesExecution: [{ donneesAnnuelles: { datePublicationDonneesExecution: '2025-01-15', depensesInvestissement: 10, tarifs: [{ tarif: { intituleTarif: 'Liste', tarif: 5 } }], intituleTarif: 'Sur l\'année', tarif: '7,5' } }] }),
    (rs) => tagged('implementation')(rs).map((r) => [(r['contracts'][0]['tariffs'] as J[]).map((t) => [t['id'], t['title'], t['value']['amount']]), r['x_decp']['unmapped']]), [[[['2025-1', 'Liste', 5], ['2025-2', "Sur l'année", 7.5]], undefined]]],
  ['concession modification: valeurGlobale the new value, dateSignatureModification the amendment date', c24({ modifications: [{ modification: { id: 1, dateSignatureModification: '2024-06-01', datePublicationDonneesModification: '2024-06-03', dureeMois: '72', valeurGlobale: '950000' } }] }),
    (rs) => { const c = tagged('contractAmendment')(rs)[0]!['contracts'][0]; return [c['value'], c['amendments'][0]['date'], c['period']['maxExtentDate']]; }, [{ amount: 950000, currency: 'EUR' }, '2024-06-01T00:00:00+02:00', '2030-02-01T00:00:00+01:00']],
];

test.each(rows)('%s', async (_row, record, got, want) => {
  expect(got(await releasesOf(record))).toEqual(want);
});
