/**
 * 2024 JSON writes each list item as an object under the item's name (`"titulaires":[{"titulaire":
 * {…}}]`). A generic serialiser that turns that JSON into XML gives each item an element of its own
 * around it: named as the item (`<titulaires><titulaire><titulaire>…`), as the list (Jackson's
 * `<titulaires><titulaires><titulaire>…`) or generically (dicttoxml's `<item>`, json2xml's
 * `<element>`). The inner item was read as a list nested in the outer one: the contract's suppliers
 * and modifications were lost (NO_SUPPLIER, MODIFICATION_EMPTY), the record converted with exit 0
 * (found by a probe). Each such item is read as the item it holds, said once per list.
 */
import { readBytes } from '../helpers/ingest.js';

const HEAD = '<marches><marche><id>J1</id><acheteur><id>21590163800019</id></acheteur><nature>Marché</nature><objet>Voirie</objet><codeCPV>45000000</codeCPV>' +
  '<procedure>Procédure adaptée</procedure><dureeMois>3</dureeMois><dateNotification>2024-12-06</dateNotification><datePublicationDonnees>2024-12-07</datePublicationDonnees><montant>100</montant>';
const T1 = '<typeIdentifiant>SIRET</typeIdentifiant><id>80268496900016</id>';
const T2 = '<typeIdentifiant>SIRET</typeIdentifiant><id>44189140500017</id>';
const MOD = `<id>1</id><montant>200</montant><dateNotificationModification>2025-01-01</dateNotificationModification><datePublicationDonneesModification>2025-01-02</datePublicationDonneesModification><titulaires>HOLD_T2</titulaires>`;

const held = (holder: string, item: string, fields: string): string => `<${holder}><${item}>${fields}</${item}></${holder}>`;
const doc = (t: string, m: string): string => `${HEAD}<titulaires>${t}</titulaires><modifications>${m}</modifications></marche></marches>`;

const WANT = {
  titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '80268496900016' } }, { titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }],
  modifications: [{ modification: { id: 1, montant: 200, dateNotificationModification: '2025-01-01', datePublicationDonneesModification: '2025-01-02', titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '44189140500017' } }] } }],
};

describe.each([
  ['named as the item', (item: string) => item, (item: string) => item],
  ['named as the list (Jackson)', (item: string) => `${item}s`, (item: string) => item],
  ['named <item> (dicttoxml)', () => 'item', (item: string) => item],
  ['named <element> (json2xml), any case', () => 'Element', (item: string) => item[0]!.toUpperCase() + item.slice(1)],
])('each item in an element of its own, %s', (_what, holder, inner) => {
  const t = (fields: string): string => held(holder('titulaire'), inner('titulaire'), fields);
  const xml = doc(t(T1) + t(T2), held(holder('modification'), inner('modification'), MOD.replace('HOLD_T2', t(T2))));

  test.each([0, 7, 64])('read as the items it holds (chunks of %i bytes, 0: whole)', async (size) => {
    const r = await readBytes(xml, {}, size === 0 ? undefined : size);
    expect(r.rejects).toEqual([]);
    expect(r.records).toHaveLength(1);
    const rec = r.records[0]!;
    expect(rec.version).toBe('2024');
    // (keys as written: a capitalised inner name is respelled by the mapping, as elsewhere)
    const lower = JSON.parse(JSON.stringify({ titulaires: rec.data['titulaires'], modifications: rec.data['modifications'] }).replace(/"Titulaire"/g, '"titulaire"').replace(/"Modification"/g, '"modification"')) as unknown;
    expect(lower).toEqual(WANT);
    expect(rec.issues.map((i) => [i.code, i.pointer])).toEqual([
      ['INGEST_XML_REPAIRED', '/titulaires'],
      ['INGEST_XML_REPAIRED', '/modifications'],
      ['INGEST_XML_REPAIRED', '/modifications/0/titulaires'],
    ]);
    expect(rec.issues[0]!.message).toMatch(/each item in an element of its own/);
  });
});

test('not holders: a tariff holding only its price, an item holding a text, a wrapper holding one item as the XSD has it', async () => {
  const xml = '<marches><contrat-concession><id>C1</id><autoriteConcedante><id>21590163800019</id></autoriteConcedante><valeurGlobale>10</valeurGlobale>' +
    '<donneesExecution><donneesAnnuelles><datePublicationDonneesExecution>2025-01-01</datePublicationDonneesExecution><depensesInvestissement>5</depensesInvestissement>' +
    '<tarifs><tarif><tarif>4.5</tarif></tarif></tarifs></donneesAnnuelles></donneesExecution>' +
    `<concessionnaires><concessionnaire>${T1}</concessionnaire></concessionnaires></contrat-concession></marches>`;
  const r = await readBytes(xml);
  const rec = r.records[0]!;
  // (no 2024 field: a 2019 record, its lists unwrapped)
  expect(rec.version).toBe('2019');
  expect(rec.data['concessionnaires']).toEqual([{ typeIdentifiant: 'SIRET', id: '80268496900016' }]);
  expect(rec.data['donneesExecution']).toEqual([{ datePublicationDonneesExecution: '2025-01-01', depensesInvestissement: 5, tarifs: [{ tarif: 4.5 }] }]);
  expect(rec.issues).toEqual([]);
});

test('a list of texts whose one item is written as its attribute (`<techniques technique="Accord-cadre"/>`) keeps it; a list\'s other attributes are said, with their values (found by a probe: both left out unsaid, the technique lost)', async () => {
  const rec = (lists: string): string => `<marches><marche><id>1</id><acheteur><id>21590163800019</id></acheteur><nature>Marché</nature><offresRecues>2</offresRecues>${lists}<titulaires><titulaire><id>80268496900016</id><typeIdentifiant>SIRET</typeIdentifiant></titulaire></titulaires></marche></marches>`;
  const r = await readBytes(rec('<techniques technique="Accord-cadre"></techniques><typesPrix typePrix="Définitif ferme"/><considerationsSociales lang="fr"><considerationSociale>Clause sociale</considerationSociale></considerationsSociales>'));
  expect(r.records[0]!.version).toBe('2024');
  expect(r.records[0]!.data['techniques']).toEqual({ technique: ['Accord-cadre'] });
  expect(r.records[0]!.data['typesPrix']).toEqual({ typePrix: ['Définitif ferme'] });
  expect(r.records[0]!.data['considerationsSociales']).toEqual({ considerationSociale: ['Clause sociale'] });
  expect(r.records[0]!.issues.map((i) => [i.code, i.pointer, i.raw])).toEqual([['INGEST_XML_ATTRIBUTES_DROPPED', '/considerationsSociales', { lang: 'fr' }]]);
  // (beside its items, in the same list: both)
  const both = await readBytes(rec('<techniques technique="Accord-cadre"><technique>Enchère électronique</technique></techniques>'));
  expect(both.records[0]!.data['techniques']).toEqual({ technique: ['Enchère électronique', 'Accord-cadre'] });
});
