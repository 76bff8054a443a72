/** HTML character references left in DECP texts by exports that escaped them for a web page (transform/html-references.ts, the `prose` transform). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeC1Controls, decodeHtmlReferences } from '../../src/transform/html-references.js';
import { shortHashOfJson } from '../../src/transform/hash.js';
import { convertAll } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';

type J = Record<string, unknown>;

test('named, decimal and hexadecimal references are decoded once; 128–159 as Windows-1252; what names nothing is left as written', () => {
  expect(decodeHtmlReferences('53000 &euro; à répartir')).toBe('53000 € à répartir');
  expect(decodeHtmlReferences('Lot 1 &#8211; voirie, l&#x2019;école, R&eacute;fection, DUPONT &amp; FILS, l&apos;eau')).toBe('Lot 1 – voirie, l’école, Réfection, DUPONT & FILS, l\'eau');
  // (a browser's reading of the C1 range: &#146; is the apostrophe Windows-1252 writes 0x92)
  expect(decodeHtmlReferences('l&#146;école &#128;')).toBe('l’école €');
  // one decoding: a text escaped twice keeps its second escape
  expect(decodeHtmlReferences('&amp;eacute;')).toBe('&eacute;');
  for (const kept of ['SARL A & B', 'A&B', '&unknown;', '&#0;', '&#xD800;', '&#1114112;', '&Eacute', '&#;', 'R&D; conseil']) expect(decodeHtmlReferences(kept)).toBe(kept);
});

test('titles, names and descriptions are read with their references decoded, flagged with the text as given; ids and codes are not; the award id is the one the text as given made', async () => {
  const rec = (id: string, objet: string, extra: J = {}): J => ({ id, acheteur: { id: '21590163800019', nom: 'Ville d&apos;Avray' }, objet, codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'DUPONT &amp; FILS' }], modifications: [{ objetModification: 'Avenant n&deg;1 &#8211; prix', dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-03', montant: 1200 }], ...extra });
  const dir = tempDir('html-refs-');
  const a = join(dir, 'a.jsonl');
  const b = join(dir, 'b.jsonl');
  writeFileSync(a, JSON.stringify(rec('R&amp;1', 'R&eacute;fection de voirie &#8211; lot 1')));
  // the same record as another platform writes it, its title without references: another award id (titles make it)
  writeFileSync(b, JSON.stringify(rec('R&amp;1', 'Réfection de voirie – lot 1')));
  const got = await convertAll([a]);
  const initial = got.releases[0]!;
  const award = (initial['awards'] as J[])[0]!;
  expect(award['title']).toBe('Réfection de voirie – lot 1');
  expect((initial['parties'] as J[]).map((p) => p['name'])).toEqual(["Ville d'Avray", 'DUPONT & FILS']);
  // the record's id is an id: as given
  expect((initial['x_decp'] as J)['id']).toBe('R&amp;1');
  const flags = ((initial['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['code'] === 'TEXT_REFERENCES_DECODED');
  expect(flags.map((f) => [f['pointer'], f['raw']])).toEqual([['/acheteur/nom', 'Ville d&apos;Avray'], ['/objet', 'R&eacute;fection de voirie &#8211; lot 1'], ['/titulaires/0/denominationSociale', 'DUPONT &amp; FILS'], ['/modifications/0/objetModification', 'Avenant n&deg;1 &#8211; prix']]);
  const amendment = got.releases[1]!;
  expect(JSON.stringify(amendment['contracts'])).toContain('Avenant n°1 – prix');
  // the award id is made of the text as given, as before this release (the ids published stay);
  // the same title written without references is another text, another id
  expect(award['id']).toBe(shortHashOfJson(['45000000', 'R&eacute;fection de voirie &#8211; lot 1', ['FR-RCS-48157430900045'], '2019-01-10', 1000]));
  const other = await convertAll([b]);
  expect(((other.releases[0]!['awards'] as J[])[0]!)['id']).toBe(shortHashOfJson(['45000000', 'Réfection de voirie – lot 1', ['FR-RCS-48157430900045'], '2019-01-10', 1000]));
});

test("an XML export's references to HTML's named characters (XML defines five) are read as a JSON export's: the same releases, the same flags", async () => {
  const dir = tempDir('html-refs-xml-');
  const xml = join(dir, 'a.xml');
  const json = join(dir, 'b.jsonl');
  const objet = 'R&eacute;fection de voirie &ndash; lot&nbsp;1';
  writeFileSync(
    xml,
    `<?xml version="1.0" encoding="UTF-8"?>\n<marches><marche><id>R1</id><acheteur><id>21590163800019</id><nom>Ville d&apos;Avray</nom></acheteur><nature>March&eacute;</nature><objet>${objet}</objet><codeCPV>45000000</codeCPV><procedure>Proc&eacute;dure adapt&eacute;e</procedure><dureeMois>12</dureeMois><dateNotification>2019-01-10</dateNotification><datePublicationDonnees>2019-01-12</datePublicationDonnees><montant>1000</montant><formePrix>Ferme</formePrix><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>48157430900045</id><denominationSociale>DUPONT &amp; FILS</denominationSociale></titulaire></titulaires></marche></marches>\n`,
  );
  // (XML reads its own references, `&apos;` and `&amp;`, itself: the JSON export holds their characters)
  writeFileSync(json, JSON.stringify({ id: 'R1', acheteur: { id: '21590163800019', nom: "Ville d'Avray" }, nature: 'March&eacute;', objet, codeCPV: '45000000', procedure: 'Proc&eacute;dure adapt&eacute;e', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'DUPONT & FILS' }] }));
  const fromXml = await convertAll([xml]);
  const fromJson = await convertAll([json]);
  expect(fromXml.rejects).toEqual([]);
  expect(fromXml.releases).toHaveLength(1);
  const award = (fromXml.releases[0]!['awards'] as J[])[0]!;
  expect(award['title']).toBe('Réfection de voirie – lot\u00a01');
  // what the two exports give is the same, but where it was read (and what reading the XML said)
  const strip = (r: J): J => {
    const x = { ...(r['x_decp'] as J) };
    for (const k of ['sourceFile', 'sourceSha256', 'sourceLine', 'formatVersion']) delete x[k];
    x['qualityFlags'] = (x['qualityFlags'] as J[]).filter((f) => f['code'] !== 'INGEST_XML_REPAIRED').map(({ id: _, ...f }) => f);
    return { ...r, x_decp: x };
  };
  expect(strip(fromXml.releases[0]!)).toEqual(strip(fromJson.releases[0]!));
  // labels too: the codelists know them once decoded (they were CODE_UNKNOWN)
  expect((fromXml.releases[0]!['tender'] as J)['procurementMethodDetails']).toBe('Procédure adaptée');
  const flags = ((fromXml.releases[0]!['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['code'] !== 'INGEST_XML_REPAIRED');
  expect(flags.map((f) => [f['code'], f['pointer'], f['raw']]).sort()).toEqual([
    ['TEXT_REFERENCES_DECODED', '/nature', 'March&eacute;'],
    ['TEXT_REFERENCES_DECODED', '/objet', objet],
    ['TEXT_REFERENCES_DECODED', '/procedure', 'Proc&eacute;dure adapt&eacute;e'],
  ]);
  // the record's file said what its reading changed
  expect(((fromXml.releases[0]!['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['code'] === 'INGEST_XML_REPAIRED')).toHaveLength(1);
});

test('C1 control characters (Windows-1252 text read as Latin-1, or XML\'s `&#146;`) are read as the Windows-1252 characters they stand for, flagged apart; the award id stays the one the title as given made', async () => {
  expect(decodeC1Controls('L\u0092école \u0080 5 \u009cuvre \u0081')).toBe('L’école € 5 œuvre \u0081');
  expect(decodeC1Controls('Réfection – lot 1')).toBe('Réfection – lot 1');
  const dir = tempDir('c1-');
  const json = join(dir, 'a.jsonl');
  const xml = join(dir, 'b.xml');
  const objet = 'L\u0092école \u0080 5';
  const rec = { id: 'C1', acheteur: { id: '21590163800019', nom: 'Ville d\u0092Avray' }, nature: 'Marché', objet, codeCPV: '45000000', procedure: 'Procédure adaptée', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'DUPONT' }] };
  writeFileSync(json, JSON.stringify(rec));
  // (XML's numeric references to 128–159 are those characters: the same record)
  writeFileSync(xml, `<?xml version="1.0" encoding="UTF-8"?>\n<marches><marche><id>C1</id><acheteur><id>21590163800019</id><nom>Ville d&#146;Avray</nom></acheteur><nature>Marché</nature><objet>L&#146;école &#128; 5</objet><codeCPV>45000000</codeCPV><procedure>Procédure adaptée</procedure><dureeMois>12</dureeMois><dateNotification>2019-01-10</dateNotification><datePublicationDonnees>2019-01-12</datePublicationDonnees><montant>1000</montant><formePrix>Ferme</formePrix><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>48157430900045</id><denominationSociale>DUPONT</denominationSociale></titulaire></titulaires></marche></marches>\n`);
  for (const file of [json, xml]) {
    const got = await convertAll([file]);
    const initial = got.releases[0]!;
    const award = (initial['awards'] as J[])[0]!;
    expect(award['title']).toBe('L’école € 5');
    expect((initial['parties'] as J[]).map((p) => p['name'])).toEqual(['Ville d’Avray', 'DUPONT']);
    const flags = ((initial['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['code'] === 'TEXT_CONTROLS_DECODED');
    expect(flags.map((f) => [f['pointer'], f['raw']])).toEqual([['/acheteur/nom', 'Ville d\u0092Avray'], ['/objet', objet]]);
    expect(award['id']).toBe(shortHashOfJson(['45000000', objet, ['FR-RCS-48157430900045'], '2019-01-10', 1000]));
  }
});

test('C1 controls inside a UTF-8 character read as Latin-1 stand for its bytes: read as UTF-8, not as Windows-1252 mojibake (found by a semantic audit of pes-marche and Dématis titles: `dâ€™apport`, `Å“uvre`)', async () => {
  // (as in pes-marche #475, #66, #476 and dematis early #79)
  expect(decodeC1Controls('points d\u00e2\u0080\u0099apport volontaire')).toBe('points d’apport volontaire');
  expect(decodeC1Controls('Mise en \u00c5\u0093uvre du DOCOB')).toBe('Mise en œuvre du DOCOB');
  expect(decodeC1Controls('tout \u00e2\u0080\u0093 venants')).toBe('tout – venants');
  expect(decodeC1Controls('5 \u00e2\u0082\u00ac HT')).toBe('5 € HT');
  // double-encoded text without C1 controls is left as it is (ingest flags it, never rewrites it)
  expect(decodeC1Controls('Mise en \u00c5\u0093uvre site n\u00c2\u00b0208')).toBe('Mise en œuvre site n\u00c2\u00b0208');
  // Windows-1252 read as Latin-1 is still read as Windows-1252, also beside a letter that could lead a UTF-8 character
  expect(decodeC1Controls('Maçonnerie \u0096 plâtrerie')).toBe('Maçonnerie – plâtrerie');
  expect(decodeC1Controls('caf\u00e9\u0080')).toBe('café€');
  // … and after a capital that could lead a two-byte UTF-8 character (`É` then `…`, `È` then `’`: as
  // UTF-8, U+0245 and U+0212, characters no French text is made of)
  expect(decodeC1Controls('R\u00c9SUM\u00c9\u0085')).toBe('RÉSUMÉ…');
  expect(decodeC1Controls('CARRI\u00c8\u0092S')).toBe('CARRIÈ’S');
  // a capital letter's UTF-8 read as Latin-1 (`Ã` then a C1 control: É, È, À, Ç) is that letter, beside `’` in one text (found by a review)
  expect(decodeC1Controls('MARCH\u00c3\u0089 D\u00c3\u0089CLAIRAGE d\u00e2\u0080\u0099\u00c3\u0080 C\u00c3\u0087')).toBe('MARCHÉ DÉCLAIRAGE d’À CÇ');
  const dir = tempDir('c1-utf8-');
  const json = join(dir, 'a.jsonl');
  const objet = 'Collecte des points d\u00e2\u0080\u0099apport volontaire';
  writeFileSync(json, JSON.stringify({ id: 'C2', acheteur: { id: '21590163800019' }, nature: 'Marché', objet, codeCPV: '90511000', procedure: 'Procédure adaptée', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, titulaires: [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'DUPONT' }] }));
  const initial = (await convertAll([json])).releases[0]!;
  expect(((initial['awards'] as J[])[0]!)['title']).toBe('Collecte des points d’apport volontaire');
  expect((((initial['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['code'] === 'TEXT_CONTROLS_DECODED')).map((f) => f['raw'])).toEqual([objet]);
});
