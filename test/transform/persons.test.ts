/**
 * Natural persons in DECP (RGPD): a French sole trader has a SIRET like a company, and only its name
 * says it is a person (`EI`, `EIRL`, `entrepreneur individuel`, a civility). The bundled profiles
 * find them by settings.personNames; the name is then published nowhere — not in the parties, not
 * in a flag, not in x_decp.unmapped, not in a reject's excerpt — and the SIRET still is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll, PROFILE } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { checkProfile } from '../../src/transform/canonical.js';
import { createLocale, type LocaleSettings } from '../../src/transform/locale.js';
import { cleanIdentifier } from '../../src/transform/identifiers.js';
import type { MappingProfile } from '../../src/transform/profile.js';

type J = Record<string, unknown>;
const PERSONS = ['Marie CURIE EI', 'E.I.R.L. Dupont Plomberie', 'Mme Simone VEIL', 'M. Jean DUPONT', 'Boris VIAN entrepreneur individuel', 'Laure Miché-Roche Auto-entrepreneur', 'MONSIEUR CHRISTOPHE MARTIN', 'Dupont (EI)', 'Me VINSONNEAU-PALIES', 'Dr MARTIN', 'DUPONT (Mme)', 'Maître Jean ROUX',
  // a sole trader's status wins over words a company's name has too; a hyphenated name is no "Sté"
  'Ets IMBERT Paul EI', 'EI FONTANAZ Rémi - Groupe scolaire', 'Mme Anne STE-MARIE', 'Melle Lucie BRUN', 'Pr. Paul LEBLANC', 'Entreprise individuel Jean NOIR', 'micro-entreprise Léa GRIS', '«Mme Ada LOVE»', 'Indivision ROUX',
  // a civility glued to the name by its dot (found by a probe); after a prefix, a dash, a colon, `de`, `chez`
  'M.DUPONT Jean', 'M.Jean DUPONT', 'MM.DUPONT et MARTIN', 'Dr.MARTIN Paul', 'Mr.SMITH John', 'Pr.LEBLANC Paul', 'Particulier - M. DUPONT', 'Cabinet de M. Jean DUPONT', 'Location chez Mme ROUX', 'Bailleur : Madame Anne ROUX', 'Particulier – M.DUPONT Jean',
  // a surname that is an office's word is a surname: no `de` after it
  'M. LE MAIRE Jean', 'Madame LE GOFF Anne',
  // an office that also names its holder is a person's name (found by a review)
  'Monsieur le Maire de Croix, M. Jean DUPONT', 'Mme la Présidente du SIVOM, Mme Marie DUPONT', 'Monsieur le Maire (M. DUPONT)',
  'Monsieur le Maire de Lyon - Jean DUPONT', 'Monsieur le Maire de Lyon (Jean DUPONT)', 'Monsieur le Maire de Lyon : Jean DUPONT', 'Monsieur le Maire de Lyon Dr Paul MARTIN',
  // a trade name, then its holder in brackets (found by a probe: published)
  'Plomberie Martin (M. Jean Martin)', 'Taxi Bernard (Mme Sophie Bernard)', 'Taxi Bernard ( Madame Sophie Bernard )'];
// (a legal form or a collective makes a name a company's, whatever else it holds)
const COMPANIES = ['EI-TECHNOLOGIES', 'EI_TECH', 'EI&CO', 'SOCIETE EIFFAGE', 'S.E.I.C. SA', 'MR BRICOLAGE', 'LEI SARL', 'Mairie de Croix', 'MME BTP SAS', 'Union des auto-entrepreneurs', 'Fédération des entrepreneurs individuels', 'DRAGON SARL', 'Metropole',
  // initials after a dotted civility's letters (the samples' `M.T.D.`, `M.R.NET`); a brand glued to one word; `maître`, `me`, `succession` after `de` are words, not civilities
  'M.A.S. BTP', 'M.B.T.', 'M.T.D.', 'M.R.NET', 'MR.BRICOLAGE', 'MMEDIA', 'MARCHE DE MAITRE D OEUVRE', 'Merci de me contacter', 'Droits de succession', 'ATELIER - MAISON', 'Ets ROUX - M. ROUX',
  // a public office, as buyers name themselves (found by a probe: the buyer lost its name)
  'Monsieur le Maire de Croix', 'Mme la Présidente du SIVOM', 'Monsieur le Maire', 'M. le Directeur général du CHU', "Madame la Préfète de l'Aisne", "M. le Maire d'Annecy", 'M. le Maire d’Ornans', 'M. le Maire de Saint-Denis', 'Monsieur le Président du Conseil départemental du Val-de-Marne'];

test('the bundled profiles find French sole traders and civilities, not companies that look alike', () => {
  const L = createLocale(PROFILE.settings);
  for (const name of PERSONS) expect([name, L.isPerson({ idType: 'SIRET', name })]).toEqual([name, true]);
  for (const name of COMPANIES) expect([name, L.isPerson({ idType: 'SIRET', name })]).toEqual([name, false]);
  const emergency = JSON.parse(readFileSync(new URL('../../mappings/emergency-csv.json', import.meta.url), 'utf8')) as MappingProfile;
  expect(emergency.settings?.personNames).toEqual(PROFILE.settings?.personNames);
  expect(emergency.settings?.soleTraderNames).toEqual(PROFILE.settings?.soleTraderNames);
  expect(emergency.settings?.companyNames).toEqual(PROFILE.settings?.companyNames);
});

const byIdOf = (got: Awaited<ReturnType<typeof convertAll>>, id: string): J => got.releases.find((r) => (r['x_decp'] as J)['id'] === id)!;

test('DECP: a withheld person is named nowhere in the record — not in a flag, a free text, another field, another occurrence of the SIRET, the identifier', async () => {
  const rec = (id: string, titulaires: unknown, extra: J = {}): J => ({ id, acheteur: { id: '21590163800019' }, objet: 'Travaux', codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires, modifications: [], ...extra });
  const file = join(tempDir('decp-persons-'), 'm.jsonl');
  writeFileSync(file, [
    // free texts that name the supplier: the title (any word order), a representative's column, an
    // object that splits the name in fields, a civility object
    JSON.stringify(rec('Q1', [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale: 'QUEFFELEC Jean EI' }], { objet: 'Rénovation - attributaire Jean Queffélec', signataire: 'Jean QUEFFELEC', contact: { nom: 'QUEFFELEC', prenom: 'Jean', ville: 'Brest' }, gerant: { civilite: 'Madame', nom: 'ARGOUARCH', prenom: 'Inès', fonction: 'gérante' } })),
    // the same SIRET again without its marker; a flag's value that names a person (a supplier given as text)
    JSON.stringify(rec('Q2', [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale: 'ZIMMERLI Eva' }, { typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale: 'ZIMMERLI Eva EI' }])),
    JSON.stringify(rec('Q3', 'Mme Anne ROUSSELINE')),
    // the identifier is the name; a surname alone in a free text (written in capitals in the name)
    JSON.stringify(rec('Q4', [{ typeIdentifiant: 'SIRET', id: 'Mme Julie SWAPOVA', denominationSociale: 'Mme Julie SWAPOVA' }, { typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'HUGO Henri EI' }], { objet: 'Emplacement (gérant M. HUGO)' })),
    // nothing of a person: no flag, nothing masked
    JSON.stringify(rec('Q5', [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'SARL BATI' }], { objet: 'Travaux Jean Queffélec' })),
    // a name with a ligature, written with it or spelt out elsewhere (œ = oe)
    JSON.stringify(rec('Q6', [{ typeIdentifiant: 'SIRET', id: '81809944200019', denominationSociale: 'BŒUF Jean EI' }], { objet: 'Travaux - attributaire Jean Bœuf', signataire: 'Jean BOEUF' })),
    // the identifier is the name, and no name is given (DECP 2024 titulaires have none): the identifier
    // transform glues it (`MmeJulieDUPONT`), the name is found in the text as given
    // (and in a modification's suppliers: a release of its own)
    JSON.stringify(rec('Q7', [{ typeIdentifiant: 'SIRET', id: 'Mme Julie DUPONT' }, { typeIdentifiant: 'TVA', id: 'M. Paul MARTINOT' }], { modifications: [{ objetModification: 'Avenant', dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-03', montant: 1200, titulaires: [{ typeIdentifiant: 'SIRET', id: 'Mme Julie DUPONT' }] }] })),
  ].join('\n'));
  const got = await convertAll([file]);
  expect(got.counts).toMatchObject({ read: 7, converted: 7, rejected: 0 });
  const out = got.texts.filter((t) => !t.includes('"Q5"')).join('\n');
  for (const name of ['QUEFFELEC', 'Queffélec', 'ARGOUARCH', 'Inès', 'ZIMMERLI', 'ROUSSELINE', 'SWAPOVA', 'HUGO ', 'BŒUF', 'Bœuf', 'BOEUF', 'DUPONT', 'MARTINOT']) expect(out).not.toContain(name);
  expect((byIdOf(got, 'Q7')['parties'] as J[]).map((p) => p['id'])).toEqual(['FR-RCS-21590163800019']);
  expect(got.releases.filter((r) => String(r['ocid']).endsWith('-Q7')).map((r) => r['tag'])).toEqual([['award', 'contract'], ['contractAmendment']]);
  const byId = (id: string): J => got.releases.find((r) => (r['x_decp'] as J)['id'] === id)!;
  const q1 = byId('Q1');
  expect((q1['awards'] as J[])[0]!['title']).toBe('Rénovation - attributaire *** ***');
  expect((q1['x_decp'] as J)['unmapped']).toEqual({ signataire: '*** ***', contact: { nom: '***', prenom: '***', ville: 'Brest' }, gerant: { fonction: 'gérante' } });
  expect((q1['x_decp'] as { qualityFlags: J[] }).qualityFlags.filter((f) => f['code'] === 'PERSON_NAME_WITHHELD').map((f) => f['pointer'])).toEqual(['/titulaires/0/denominationSociale', '']);
  const q2 = byId('Q2');
  expect((q2['parties'] as J[]).find((p) => p['id'] === 'FR-RCS-12345678200010')).not.toHaveProperty('name');
  expect(JSON.stringify(q2['awards'])).not.toContain('name');
  expect(JSON.stringify(byId('Q3')['x_decp'])).toContain('FIELD_SHAPE_UNEXPECTED');
  const q4 = byId('Q4');
  expect((q4['parties'] as J[]).map((p) => p['id'])).toEqual(['FR-RCS-21590163800019', 'FR-RCS-48157430900045']);
  expect((q4['awards'] as J[])[0]!['title']).toBe('Emplacement (gérant M. ***)');
  const q5 = byId('Q5');
  expect((q5['awards'] as J[])[0]!['title']).toBe('Travaux Jean Queffélec');
  expect(JSON.stringify(q5['x_decp'])).not.toContain('PERSON_NAME_WITHHELD');
});

test('DECP: an unmapped object\'s keys name no person either — a withheld supplier\'s name or a civility as a key is masked, its value kept (found by an RGPD leak hunt)', async () => {
  const rec = (id: string, titulaires: unknown, extra: J): J => ({ id, acheteur: { id: '21590163800019' }, objet: 'Travaux', codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires, modifications: [], ...extra });
  const file = join(tempDir('decp-persons-'), 'm.jsonl');
  writeFileSync(file, [
    // (an XML element's name writes the name glued: `GwendolineQUIMPERLE`)
    JSON.stringify(rec('K1', [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale: 'Mme Gwendoline QUIMPERLÉ EI' }], { 'Gwendoline QUIMPERLE': { x: '1' }, notes: { 'QUIMPERLÉ Gwendoline': 'a', 'Gwendoline Quimperle': 'b', GwendolineQUIMPERLE: 'c', CodeInterne: 'd' } })),
    // no supplier names a person: the key's civility does
    JSON.stringify(rec('K2', [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'SARL BATI' }], { autre: { 'Mme Gwendoline QUIMPERLÉ': 'oui', 'Mme la Présidente': 'non' } })),
  ].join('\n'));
  const got = await convertAll([file]);
  expect(got.counts).toMatchObject({ read: 2, converted: 2, rejected: 0 });
  expect(got.texts.join('\n')).not.toMatch(/gwendoline|quimperl/i);
  expect((byIdOf(got, 'K1')['x_decp'] as J)['unmapped']).toEqual({ '*** ***': { x: '1' }, notes: { '*** ***': 'a', '*** *** (2)': 'b', '*** *** (3)': 'c', CodeInterne: 'd' } });
  expect((byIdOf(got, 'K2')['x_decp'] as J)['unmapped']).toEqual({ autre: { 'Mme *** ***': 'oui', 'Mme la Présidente': 'non' } });
  expect(JSON.stringify(byIdOf(got, 'K2')['x_decp'])).toContain('PERSON_NAME_WITHHELD');
});

test('DECP: a free text that names a person by a civility or a status, whom no field names, has the name beside the mark masked (found by an RGPD leak hunt)', async () => {
  const rec = (id: string, extra: J): J => ({ id, acheteur: { id: '21590163800019' }, objet: 'Travaux', codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'SARL BATI' }], modifications: [], ...extra });
  const file = join(tempDir('decp-persons-'), 'm.jsonl');
  writeFileSync(file, [
    JSON.stringify(rec('T1', { objet: 'Gwendoline QUIMPERLÉ EI' })),
    JSON.stringify(rec('T2', { lieuExecution: { code: '29300', typeCode: 'Code postal', nom: 'chez Mme Gwendoline QUIMPERLÉ' } })),
    JSON.stringify(rec('T3', { modifications: [{ objetModification: 'Avenant - Mme Gwendoline QUIMPERLÉ', dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-03', montant: 1200 }] })),
    // an office is no name; a text without a mark is left
    JSON.stringify(rec('T4', { objet: 'Marché signé par M. le Maire de Croix' })),
    // a civility after a word of a sentence that introduces a person (avec, par, à, pour…; left
    // published before): a name; an office so introduced is not, nor a street named Madame
    JSON.stringify(rec('T5', { objet: 'Séance photo avec Mme Gwendoline QUIMPERLÉ' })),
    JSON.stringify(rec('T6', { objet: 'Mission confiée à M. Quentin TRÉGASTEL pour la crèche' })),
    JSON.stringify(rec('T7', { objet: 'Convention avec Monsieur le Maire de Croix', lieuExecution: { code: '75006', typeCode: 'Code postal', nom: 'Travaux rue Madame, Paris' } })),
  ].join('\n'));
  const got = await convertAll([file]);
  expect(got.counts).toMatchObject({ read: 7, converted: 7, rejected: 0 });
  expect(got.texts.join('\n')).not.toMatch(/gwendoline|quimperl/i);
  const title = (id: string): unknown => (byIdOf(got, id)['awards'] as J[])[0]!['title'];
  expect(title('T1')).toBe('*** *** EI');
  const t2 = byIdOf(got, 'T2');
  expect(JSON.stringify(t2['tender'])).toContain('"description":"chez Mme *** ***"');
  expect(JSON.stringify(t2['x_decp'])).toContain('"nom":"chez Mme *** ***"');
  const amendment = got.releases.filter((r) => String(r['ocid']).endsWith('-T3')).flatMap((r) => ((r['contracts'] as J[] | undefined) ?? []).flatMap((c) => (c['amendments'] as J[] | undefined) ?? []));
  expect(amendment.map((a) => a['rationale'])).toEqual(['Avenant - Mme *** ***']);
  expect(title('T4')).toBe('Marché signé par M. le Maire de Croix');
  expect(JSON.stringify(byIdOf(got, 'T4')['x_decp'])).not.toContain('PERSON_NAME_WITHHELD');
  expect(title('T5')).toBe('Séance photo avec Mme *** ***');
  expect(title('T6')).toBe('Mission confiée à M. *** *** pour la crèche');
  expect(got.texts.join('\n')).not.toMatch(/quentin|trégastel/i);
  expect(title('T7')).toBe('Convention avec Monsieur le Maire de Croix');
  expect(JSON.stringify(byIdOf(got, 'T7')['x_decp'])).toContain('"nom":"Travaux rue Madame, Paris"');
  expect(JSON.stringify(byIdOf(got, 'T7')['x_decp'])).not.toContain('PERSON_NAME_WITHHELD');
});

test('DECP: the raw values echoed in x_decp (a place\'s name, a label not in a codelist) and the procedure as given name no withheld person either', async () => {
  const file = join(tempDir('decp-persons-'), 'm.json');
  const rec = { id: 'R1', acheteur: { id: '21590163800019', nom: 'VILLE DE CROIX' }, nature: 'Marché', objet: 'Entretien des espaces verts', codeCPV: '77310000', procedure: 'Procédure adaptée avec ZORGLUB Amandine', lieuExecution: { code: '59170', typeCode: 'Code postal', nom: 'Jardin de ZORGLUB Amandine' }, dureeMois: 6, dateNotification: '2019-03-01', datePublicationDonnees: '2019-03-05', montant: 30000, formePrix: 'Ferme selon Amandine ZORGLUB', titulaires: [{ denominationSociale: 'ZORGLUB Amandine EI', id: '80268496900016', typeIdentifiant: 'SIRET' }] };
  writeFileSync(file, JSON.stringify({ marches: [{ _type: 'Marché', ...rec }] }));
  const got = await convertAll([file]);
  expect(got.counts).toMatchObject({ read: 1, converted: 1, rejected: 0 });
  const out = got.texts.join('\n');
  expect(out).not.toMatch(/zorglub|amandine/i);
  const x = got.releases[0]!['x_decp'] as J;
  expect(x['lieuExecution']).toEqual({ code: '59170', typeCode: 'Code postal', nom: 'Jardin de *** ***' });
  // the SIRET is published (a company register's public id), and the place's code
  expect(out).toContain('80268496900016');
  expect(out).toContain('"postalCode":"59170"');
  // ids and provenance among them are never masked: they name records and files, as the ocid does (found by a review)
  const ids = join(tempDir('decp-persons-'), 'ids.json');
  writeFileSync(ids, JSON.stringify({ marches: [{ _type: 'Marché', ...rec, id: '2019 ZORGLUB Amandine', idAccordCadre: 'AC ZORGLUB Amandine' }] }));
  const x2 = (await convertAll([ids])).releases[0]!['x_decp'] as J;
  expect([x2['id'], x2['idAccordCadre'], (x2['lieuExecution'] as J)['nom']]).toEqual(['2019 ZORGLUB Amandine', 'AC ZORGLUB Amandine', 'Jardin de *** ***']);
});

test('a reject\'s excerpt is looked at to the end of the value it cuts: a marker after a name past 200 bytes withholds it, a comma in a quoted value too', async () => {
  const emergency = JSON.parse(readFileSync(new URL('../../mappings/emergency-csv.json', import.meta.url), 'utf8')) as MappingProfile;
  const fixture = readFileSync(new URL('../../fixtures/emergency/achats-urgence.csv', import.meta.url), 'utf8').split('\n');
  const dir = tempDir('csv-persons-');
  // a row with one field too many (rejected, quoted) whose supplier's name crosses byte 200
  const row = (name: string): string => {
    const cells = fixture[1]!.split(';');
    const before = Buffer.byteLength(cells.slice(0, 7).join(';')) + 1;
    cells[5] = `${cells[5]}${'x'.repeat(Math.max(0, 196 - before))}`;
    cells[7] = name;
    return `${cells.join(';')};EXTRA`;
  };
  for (const name of ['REJETBIS Paul EI', '"DUPONT Jean, EI"']) {
    const file = join(dir, 'a.csv');
    writeFileSync(file, [fixture[0], row(name), fixture[3]].join('\n'));
    const got = await convertAll([file], emergency);
    expect(got.rejects).toHaveLength(1);
    expect([name, got.rejects[0]!.excerpt]).toEqual([name, undefined]);
  }
  // a company's row is quoted, to the end of the value it cuts
  const file = join(dir, 'b.csv');
  writeFileSync(file, [fixture[0], row('"BATI, CONSTRUCTION SARL"'), fixture[3]].join('\n'));
  const got = await convertAll([file], emergency);
  expect(got.rejects[0]!.excerpt).toMatch(/;"BATI, CONSTRUCTION SARL…$/);
});

test('a rejected record whose marker comes past its excerpt, with the same supplier given again, is not quoted: the whole record is looked at (found by an RGPD audit)', async () => {
  const dir = tempDir('decp-persons-');
  // a broken record whose first supplier is named without its marker; the same SIRET, with it, past 200 bytes
  const broken = (name: string): string => `{"_type":"Marché","id":"C000001","acheteur":{"id":"21130087600011","nom":"MAIRIE"},"titulaires":[{"typeIdentifiant":"SIRET","id":"73282932000074","denominationSociale":"${name}"},{"typeIdentifiant":"SIRET","id":"73282932000074","denominationSociale":"${name} EI"}],"montant":1 2}`;
  expect(Buffer.from(broken('CASSEG Lucie')).indexOf('CASSEG Lucie EI')).toBeGreaterThan(200);
  const json = join(dir, 'c.json');
  writeFileSync(json, `{"marches":[${broken('CASSEG Lucie')}]}`);
  // … in XML too
  const t = (name: string): string => `<titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>73282932000074</id><denominationSociale>${name}</denominationSociale></titulaire>`;
  const xml = join(dir, 'c.xml');
  writeFileSync(xml, `<?xml version="1.0" encoding="UTF-8"?>\n<marches>\n<marche><id>C000002</id><acheteur><id>21130087600011</id></acheteur><titulaires>${t('CASSEG Lucie')}${t('CASSEG Lucie EI')}</titulaires><montant>1</montnt></marche>\n</marches>\n`);
  // a company's broken record, as long, keeps its excerpt
  const company = join(dir, 'd.json');
  writeFileSync(company, `{"marches":[${broken('BATI SUD').replace('BATI SUD EI', 'BATI SUD SARL')}]}`);
  const got = await convertAll([json, xml, company]);
  expect(got.rejects.map((r) => [r.provenance.file.slice(-6), r.code, r.excerpt === undefined])).toEqual([
    ['c.json', 'INGEST_RECORD_SYNTAX', true],
    ['/c.xml', 'INGEST_RECORD_SYNTAX', true],
    ['d.json', 'INGEST_RECORD_SYNTAX', false],
  ]);
  expect(JSON.stringify(got.rejects)).not.toMatch(/CASSEG/);
  expect(got.rejects[2]!.excerpt).toMatch(/"denominationSociale":"BATI SUD"\}.*…$/);
});

test('a reject\'s reason quotes no person: a key that names one, where the parser or the transform quotes it, is withheld; a key of one word is kept (found by an RGPD leak hunt)', async () => {
  const dir = tempDir('decp-persons-');
  // a key the parser stops at; a buyer object whose keys the transform names (TRANSFORM_NO_BUYER_ID); a field's key
  const files = ['{"_type":"Marché","id":"R1","Mme Gwendoline QUIMPERLÉ EI": }', JSON.stringify({ _type: 'Marché', id: 'R2', acheteur: { 'Mme Gwendoline QUIMPERLÉ': 'x', nom: 'Y' }, montant: 1, dateNotification: '2020-01-01' }), '{"_type":"Marché","id":"R3","objet": }'].map((line, k) => {
    const file = join(dir, `r${k}.jsonl`);
    writeFileSync(file, `${line}\n`);
    return file;
  });
  const got = await convertAll(files);
  expect(got.rejects.map((r) => r.code)).toEqual(['INGEST_RECORD_SYNTAX', 'TRANSFORM_NO_BUYER_ID', 'INGEST_RECORD_SYNTAX']);
  expect(JSON.stringify(got.rejects)).not.toMatch(/gwendoline|quimperl/i);
  expect(got.rejects[0]!.reason).toContain("after key [withheld: a natural person's name], got \"}\"");
  expect(got.rejects[1]!.reason).toContain("the key [withheld: a natural person's name]");
  expect(got.rejects[2]!.reason).toContain('after key "objet"');
});

test('the emergency profile\'s optional columns may be missing from a file without a word', async () => {
  const emergency = JSON.parse(readFileSync(new URL('../../mappings/emergency-csv.json', import.meta.url), 'utf8')) as MappingProfile;
  const { csvOptionsOf } = await import('../../src/ingest/profiles.js');
  const columns = csvOptionsOf(emergency)!.columns!;
  expect(columns.read.flat()).not.toContain('montant_total_ht');
  expect(columns.read.flat()).not.toContain('montant_ligne_ht');
  expect(columns.read.flat()).toContain('prix_unitaire_ht');
});

test('DECP: a sole trader\'s name is published nowhere, its SIRET is; a company\'s name is kept; a reject that quotes a person is not quoted', async () => {
  const rec = (id: string, titulaires: J[], extra: J = {}): J => ({ id, acheteur: { id: '21590163800019' }, objet: 'Travaux', codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires, modifications: [], ...extra });
  const file = join(tempDir('decp-persons-'), 'm.jsonl');
  writeFileSync(file, [
    JSON.stringify(rec('P1', [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale: 'Marie CURIE EI' }, { typeIdentifiant: 'SIRET', id: '', denominationSociale: 'Mme Simone VEIL' }, { typeIdentifiant: 'SIRET', id: '44189140500017', denominationSociale: 'EI-TECHNOLOGIES' }], { remarque: 'Marie CURIE EI', sousTraitant: { denominationSociale: 'Jean MOULIN EIRL', role: 'sous-traitant' } })),
    // a modification that names the sole trader again
    JSON.stringify(rec('P2', [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'SARL BATI' }], { modifications: [{ objetModification: 'Changement de titulaire', dateNotificationModification: '2019-06-01', datePublicationDonneesModification: '2019-06-02', titulaires: [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale: 'Boris VIAN entrepreneur individuel' }] }] })),
    // broken records: those that quote a person (a marker anywhere, a civility where a value starts)
    // are not quoted, the other (a company) is
    '{"id":"P3","titulaires":[{"denominationSociale":"Albert CAMUS EIRL"}],"montant":1 2}',
    '{"id":"P4","titulaires":[{"denominationSociale":"SARL BATI"}],"montant":1 2}',
    '{"id":"P5","titulaires":[{"denominationSociale":"Mme Louise WEISS"}],"montant":1 2}',
  ].join('\n'));
  const got = await convertAll([file]);
  expect(got.counts).toMatchObject({ read: 5, converted: 2, rejected: 3 });
  const out = got.texts.join('\n') + JSON.stringify(got.rejects);
  for (const name of ['CURIE', 'VEIL', 'VIAN', 'CAMUS', 'MOULIN', 'WEISS']) expect(out).not.toContain(name);
  expect(out).toContain('EI-TECHNOLOGIES');
  const p1 = got.releases.find((r) => (r['x_decp'] as J)['id'] === 'P1')!;
  // what no field reads is kept, less the texts that name a person
  expect((p1['x_decp'] as J)['unmapped']).toEqual({ sousTraitant: { role: 'sous-traitant' } });
  const parties = p1['parties'] as J[];
  expect(parties.find((p) => p['id'] === 'FR-RCS-12345678200010')).toEqual({ id: 'FR-RCS-12345678200010', identifier: { scheme: 'FR-RCS', id: '12345678200010' }, roles: ['supplier'] });
  const flags = (p1['x_decp'] as { qualityFlags: J[] }).qualityFlags;
  expect(flags.filter((f) => f['code'] === 'PERSON_NAME_WITHHELD').map((f) => f['pointer'])).toEqual(['/titulaires/0/denominationSociale', '/titulaires/1/denominationSociale']);
  expect(flags.find((f) => f['code'] === 'PARTY_WITHOUT_ID')).toEqual(expect.not.objectContaining({ raw: expect.anything() }));
  const amended = got.releases.find((r) => (r['tag'] as string[]).includes('contractAmendment'))!;
  expect((amended['parties'] as J[]).find((p) => p['id'] === 'FR-RCS-12345678200010')).not.toHaveProperty('name');
  expect(got.rejects.map((r) => [r.provenance.line, r.excerpt === undefined])).toEqual([
    [3, true],
    [4, false],
    [5, true],
  ]);
});

test('settings.personNames: regular expressions, checked when the profile is read', () => {
  const base = { name: 'p', records: { unknown: { as: 'marche', fields: { id: { from: 'id' }, buyerId: { from: 'acheteur', transform: 'identifier' } } } } };
  expect(() => checkProfile({ ...base, settings: { personNames: ['(unclosed'] } })).toThrow(/settings.personNames: "\(unclosed" is not a regular expression/);
  expect(() => checkProfile({ ...base, settings: { personNames: 'EI' } })).toThrow(/settings.personNames: a list of regular expressions/);
  expect(() => checkProfile({ ...base, settings: { personNames: ['\\bEI\\b'] } })).not.toThrow();
  expect(() => checkProfile({ ...base, settings: { companyNames: ['(SARL'] } })).toThrow(/settings.companyNames: "\(SARL" is not a regular expression/);
  // each its own expression: two naming one group, or with backreferences, neither clash nor shift
  const L = createLocale({ personNames: ['(?<m>\\bEI\\b)', '^(?<m>Mme)\\s', '(x)\\1'] });
  expect([L.namesPerson('Marie CURIE EI'), L.namesPerson('Mme VEIL'), L.namesPerson('xx'), L.namesPerson('EIFFAGE')]).toEqual([true, true, true, false]);
});

test('the emergency CSV profile: a rejected row that names a person by a civility is not quoted', async () => {
  const emergency = JSON.parse(readFileSync(new URL('../../mappings/emergency-csv.json', import.meta.url), 'utf8')) as MappingProfile;
  const fixture = readFileSync(new URL('../../fixtures/emergency/achats-urgence.csv', import.meta.url), 'utf8').split('\n');
  const file = join(tempDir('csv-persons-'), 'a.csv');
  const bad = fixture[1]!.replace('Pharma Sud SARL', 'Mme Simone VEIL') + ';EXTRA';
  writeFileSync(file, [fixture[0], bad, fixture[3]].join('\n'));
  const got = await convertAll([file], emergency);
  expect(got.rejects).toHaveLength(1);
  expect(got.rejects[0]!.excerpt).toBeUndefined();
  expect(JSON.stringify(got.rejects)).not.toContain('VEIL');
});

test('the emergency CSV profile: a row the splitter refuses, its marker past the bytes it keeps, is not quoted (found by a review)', async () => {
  const emergency = JSON.parse(readFileSync(new URL('../../mappings/emergency-csv.json', import.meta.url), 'utf8')) as MappingProfile;
  const fixture = readFileSync(new URL('../../fixtures/emergency/achats-urgence.csv', import.meta.url), 'utf8').split('\n');
  const file = join(tempDir('csv-persons-'), 'a.csv');
  // a stray quote refuses the row; the name's EI comes 450 bytes later
  const bad = fixture[1]!.replace('Pharma Sud SARL', 'DURANDAL Pierre').replace('Masques chirurgicaux type IIR', `"Masques" ${'x'.repeat(450)} DURANDAL Pierre EI`);
  // … and a short refused row of a company is still quoted
  const short = fixture[3]!.replace('Gants nitrile', '"Gants" stray nitrile');
  writeFileSync(file, [fixture[0], bad, short].join('\n'));
  const got = await convertAll([file], emergency);
  expect(got.rejects).toHaveLength(2);
  expect(JSON.stringify(got.rejects)).not.toContain('DURANDAL');
  expect(got.rejects[0]!.excerpt).toBeUndefined();
  expect(got.rejects[1]!.excerpt).toContain('stray');
});

test('masking stays on free texts and on names (found by a review): a sentence with a civility, codes, particles, organisations without ids are left alone', async () => {
  const rec = (id: string, titulaires: unknown, extra: J = {}): J => ({ id, acheteur: { id: '21590163800019', nom: 'Ville de Saint-Denis' }, objet: 'Entretien des espaces verts de la Ville de Saint-Denis', codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires, modifications: [], ...extra });
  const file = join(tempDir('decp-persons-'), 'm.jsonl');
  writeFileSync(file, [
    JSON.stringify(rec('S1', [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'VERTS JARDINS SARL' }], { contactAcheteur: 'M. le Directeur des services techniques de la Ville de SAINT-DENIS' })),
    JSON.stringify(rec('S2', [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale: 'Mme Anne FERME' }], { lieuExecution: { code: '93', typeCode: 'Code département', nom: 'CODE' } })),
    JSON.stringify(rec('S3', [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale: 'EI TRAVAUX DE VOIRIE' }])),
    JSON.stringify(rec('S4', [{ denominationSociale: 'Mme Anne LEROUX' }, { denominationSociale: 'BATI CONSTRUCTION SARL' }])),
  ].join('\n'));
  const got = await convertAll([file]);
  const byId = (id: string): J => got.releases.find((r) => (r['x_decp'] as J)['id'] === id)!;
  const s1 = byId('S1');
  expect((s1['parties'] as J[])[0]).toMatchObject({ name: 'Ville de Saint-Denis' });
  expect((s1['awards'] as J[])[0]!['title']).toBe('Entretien des espaces verts de la Ville de Saint-Denis');
  // (a public office, no person's name: kept as given)
  expect((s1['x_decp'] as J)['unmapped']).toEqual({ contactAcheteur: 'M. le Directeur des services techniques de la Ville de SAINT-DENIS' });
  const s2 = byId('S2');
  expect((s2['x_decp'] as J)['typesPrix']).toEqual(['Définitif ferme']);
  expect(JSON.stringify(s2)).not.toContain('FERME"');
  const s3 = byId('S3');
  expect((s3['awards'] as J[])[0]!['title']).toBe('Entretien des espaces verts de la Ville de Saint-Denis');
  const flags4 = (byId('S4')['x_decp'] as { qualityFlags: J[] }).qualityFlags;
  expect(flags4.filter((f) => f['code'] === 'PARTY_WITHOUT_ID').map((f) => f['raw'])).toEqual([undefined, 'BATI CONSTRUCTION SARL']);
  expect(flags4.filter((f) => f['code'] === 'PERSON_NAME_WITHHELD').map((f) => f['pointer'])).toEqual(['/titulaires/0/denominationSociale']);
});

test('organisations named like a withheld person keep their names; a surname alone is masked where written as a name, or after a civility (found by a probe)', async () => {
  const rec = (id: string, acheteur: J, titulaires: unknown, extra: J = {}): J => ({ id, acheteur, objet: 'Travaux', codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2021-03-02', datePublicationDonnees: '2021-03-05', montant: 15000, formePrix: 'Ferme', titulaires, modifications: [], ...extra });
  const file = join(tempDir('decp-persons-'), 'm.jsonl');
  writeFileSync(file, [
    // the buyer and another supplier bear the surname of M. Julien FONTAINE: they are not him
    JSON.stringify(rec('F1', { id: '21380169400015', nom: 'COMMUNE DE FONTAINE' }, [{ typeIdentifiant: 'SIRET', id: '73282932000074', denominationSociale: 'FONTAINE Julien EI' }, { typeIdentifiant: 'SIRET', id: '44306184100047', denominationSociale: 'FONTAINE ET FILS SARL' }], { objet: 'Entretien des fontaines, mission de FONTAINE' })),
    // a common noun (lower case) or a hyphenated place is not the surname; the surname written as a name is
    JSON.stringify(rec('B1', { id: '21780000000016', nom: 'VILLE DE SAINT-GERMAIN-EN-LAYE' }, [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale: 'BOIS Pierre EI' }], { objet: 'Livraison de bois de chauffage à Saint-Germain-en-Laye, chantier Bois' })),
    // a civility before a word of the name names the person, whatever the name's case
    JSON.stringify(rec('V1', { id: '21130087600011', nom: 'MAIRIE' }, [{ typeIdentifiant: 'SIRET', id: '12345678200028', denominationSociale: 'MME VARLIN MARIE' }], { objet: 'Réfection toiture de Mme Varlin' })),
    JSON.stringify(rec('D1', { id: '21130087600011', nom: 'MAIRIE' }, [{ typeIdentifiant: 'SIRET', id: '12345678200036', denominationSociale: 'Dupont Jean EI' }], { objet: 'Travaux chez M. Dupont, rue Pasteur' })),
  ].join('\n'));
  const got = await convertAll([file]);
  const f1 = byIdOf(got, 'F1');
  expect((f1['buyer'] as J)['name']).toBe('COMMUNE DE FONTAINE');
  expect((f1['parties'] as J[]).map((p) => p['name'])).toEqual(['COMMUNE DE FONTAINE', undefined, 'FONTAINE ET FILS SARL']);
  expect((f1['awards'] as J[])[0]!['title']).toBe('Entretien des fontaines, mission de ***');
  const b1 = byIdOf(got, 'B1');
  expect((b1['parties'] as J[])[0]!['name']).toBe('VILLE DE SAINT-GERMAIN-EN-LAYE');
  expect((b1['awards'] as J[])[0]!['title']).toBe('Livraison de *** de chauffage à Saint-Germain-en-Laye, chantier ***');
  expect((byIdOf(got, 'V1')['awards'] as J[])[0]!['title']).toBe('Réfection toiture de Mme ***');
  expect((byIdOf(got, 'D1')['awards'] as J[])[0]!['title']).toBe('Travaux chez M. ***, rue Pasteur');
  for (const r of got.releases) expect(JSON.stringify(r)).not.toMatch(/Varlin|Dupont|Julien|Pierre/i);
});

test('in a text written all in capitals, a surname alone is masked even where it is a common noun: the case cannot tell, and publishing the name is the worse error (decided on an RGPD audit)', async () => {
  const rec = (id: string, denominationSociale: string, objet: string): J => ({ id, acheteur: { id: '21590163800019' }, objet, codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale }], modifications: [] });
  const file = join(tempDir('decp-persons-'), 'm.jsonl');
  writeFileSync(file, [
    JSON.stringify(rec('K1', 'M. Jean BOIS', 'FOURNITURE DE BOIS DE CHAUFFAGE ET BOIS DE CONSTRUCTION')),
    // (what a rule that spared capitals would publish: the holder named by the surname alone)
    JSON.stringify(rec('K2', 'VERMANDOIS Paul EI', 'TRAVAUX DE PLOMBERIE VERMANDOIS')),
  ].join('\n'));
  const got = await convertAll([file]);
  expect((byIdOf(got, 'K1')['awards'] as J[])[0]!['title']).toBe('FOURNITURE DE *** DE CHAUFFAGE ET *** DE CONSTRUCTION');
  expect((byIdOf(got, 'K2')['awards'] as J[])[0]!['title']).toBe('TRAVAUX DE PLOMBERIE ***');
});

test('a place code that names a person (a holder in the code\'s field) is published nowhere, not glued as a code (found by a fuzz)', async () => {
  const rec = (id: string, lieuExecution: J, objet = 'Travaux'): J => ({ id, acheteur: { id: '21590163800019' }, objet, codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'SARL BATI' }], modifications: [], lieuExecution });
  const file = join(tempDir('decp-persons-'), 'm.jsonl');
  writeFileSync(file, [
    JSON.stringify(rec('P1', { code: 'Mme Lise KAPELSKA EI', typeCode: 'Code postal', nom: 'Lyon' }, 'Entretien - chez Lise Kapelska')),
    // a code with its label, and a plain code: kept
    JSON.stringify(rec('P2', { code: '75001 Paris', typeCode: 'Code postal' })),
    JSON.stringify(rec('P3', { code: 'DUPONT', typeCode: 'Code commune' })),
    // a country's ISO code that reads as a marker alone (`Me`, `Dr`) names no one (found by a review)
    JSON.stringify(rec('P4', { code: 'ME', typeCode: 'Code pays', nom: 'Monténégro' })),
    JSON.stringify(rec('P5', { code: 'DR', typeCode: 'Code pays' })),
  ].join('\n'));
  const got = await convertAll([file]);
  expect(got.counts).toMatchObject({ read: 5, converted: 5, rejected: 0 });
  const p1 = byIdOf(got, 'P1');
  expect(JSON.stringify(p1)).not.toMatch(/KAPELSKA|Kapelska/i);
  expect((p1['x_decp'] as J)['lieuExecution']).toEqual({ typeCode: 'Code postal', nom: 'Lyon' });
  expect((p1['tender'] as J)['items']).toEqual([expect.objectContaining({ deliveryLocations: [{ description: 'Lyon' }] })]);
  expect(((p1['x_decp'] as { qualityFlags: J[] }).qualityFlags).filter((f) => f['code'] === 'PERSON_NAME_WITHHELD').map((f) => f['pointer'])).toEqual(['/lieuExecution/code', '']);
  expect(((byIdOf(got, 'P2')['tender'] as J)['items'] as J[])[0]!['deliveryAddresses']).toEqual([{ postalCode: '75001', countryName: 'France', description: 'Paris' }]);
  expect((byIdOf(got, 'P3')['x_decp'] as J)['lieuExecution']).toEqual({ code: 'DUPONT', typeCode: 'Code commune' });
  for (const [id, code] of [['P4', 'ME'], ['P5', 'DR']] as const) {
    const p = byIdOf(got, id);
    expect(((p['tender'] as J)['items'] as J[])[0]!['deliveryAddresses']).toEqual([expect.objectContaining({ countryName: code })]);
    expect(((p['x_decp'] as { qualityFlags?: J[] }).qualityFlags ?? []).map((f) => f['code'])).not.toContain('PERSON_NAME_WITHHELD');
  }
});

test('a civility glued to the name by its dot (`M.DUPONT Jean`) names a person, as a name or as a 2024 identifier (found by a probe)', async () => {
  const file = join(tempDir('decp-persons-'), 'm.json');
  writeFileSync(file, JSON.stringify({ marches: { marche: [
    { id: '2024M00100', acheteur: { id: '21130087600011' }, nature: 'Marché', objet: 'Cours de piano', codeCPV: '80000000', procedure: 'Procédure adaptée', lieuExecution: { code: '13590', typeCode: 'Code postal' }, dureeMois: 12, dateNotification: '2024-04-02', datePublicationDonnees: '2024-04-12', montant: 4000, formePrix: 'Forfaitaire', offresRecues: 1, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: 'M.LEBRETON Gilles' } }, { titulaire: { typeIdentifiant: 'SIRET', id: '73282932000074' } }], typesPrix: { typePrix: ['Définitif ferme'] } },
  ], 'contrat-concession': [] } }));
  const got = await convertAll([file]);
  expect(got.counts).toMatchObject({ read: 1, converted: 1 });
  expect(got.texts.join('\n')).not.toMatch(/LEBRETON/i);
  expect((got.releases[0]!['parties'] as J[]).map((p) => p['id'])).toEqual(['FR-RCS-21130087600011', 'FR-RCS-73282932000074']);
  const v2019 = join(tempDir('decp-persons-'), 'n.jsonl');
  const rec = (id: string, name: string): string => JSON.stringify({ id, acheteur: { id: '21130087600011', nom: 'MAIRIE' }, objet: 'Objet', codeCPV: '45442100', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 3, dateNotification: '2020-03-02', datePublicationDonnees: '2020-03-05', montant: 12000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '73282932000074', denominationSociale: name }], modifications: [] });
  writeFileSync(v2019, [rec('G1', 'M.DUPONT Jean'), rec('G2', 'Particulier - M. ROUX'), rec('G3', 'M.A.S. BTP')].join('\n'));
  const named = await convertAll([v2019]);
  const supplierName = (id: string): unknown => (byIdOf(named, id)['parties'] as J[]).find((p) => p['id'] === 'FR-RCS-73282932000074')!['name'];
  expect([supplierName('G1'), supplierName('G2'), supplierName('G3')]).toEqual([undefined, undefined, 'M.A.S. BTP']);
  expect(named.texts.join('\n')).not.toMatch(/DUPONT|ROUX/);
});

test('a place name masked in the items is masked in its x_decp echo too: the source\'s value as given does not give back the surname the description hides (found by an RGPD audit)', async () => {
  const rec = (id: string, denominationSociale: string, nom: string): J => ({ id, acheteur: { id: '21590163800019' }, objet: 'Travaux', codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '12345678200010', denominationSociale }], modifications: [], lieuExecution: { code: '59170', typeCode: 'Code postal', nom } });
  const file = join(tempDir('decp-persons-'), 'm.jsonl');
  writeFileSync(file, [
    JSON.stringify(rec('L1', 'LIEUTAUD Marc EI', 'Atelier LIEUTAUD')),
    // a common noun that is a surname, in lower case, is no name: kept in both
    JSON.stringify(rec('L2', 'Mme Anne FERME', 'la ferme du lac')),
    // an organisation's name is no echo: a title that is that name masked leaves the party's name
    JSON.stringify({ ...rec('L3', 'FONTAINE Julien EI', 'Lille'), objet: 'FONTAINE ET FILS SARL', titulaires: [{ typeIdentifiant: 'SIRET', id: '73282932000074', denominationSociale: 'FONTAINE Julien EI' }, { typeIdentifiant: 'SIRET', id: '44306184100047', denominationSociale: 'FONTAINE ET FILS SARL' }] }),
  ].join('\n'));
  const got = await convertAll([file]);
  const l1 = byIdOf(got, 'L1');
  expect(((l1['tender'] as J)['items'] as J[])[0]!['deliveryAddresses']).toEqual([{ postalCode: '59170', countryName: 'France', description: 'Atelier ***' }]);
  expect((l1['x_decp'] as J)['lieuExecution']).toEqual({ code: '59170', typeCode: 'Code postal', nom: 'Atelier ***' });
  expect(JSON.stringify(l1)).not.toMatch(/LIEUTAUD/i);
  const l2 = byIdOf(got, 'L2');
  expect(((l2['tender'] as J)['items'] as J[])[0]!['deliveryAddresses']).toEqual([{ postalCode: '59170', countryName: 'France', description: 'la ferme du lac' }]);
  expect((l2['x_decp'] as J)['lieuExecution']).toEqual({ code: '59170', typeCode: 'Code postal', nom: 'la ferme du lac' });
  expect((byIdOf(got, 'L3')['parties'] as J[]).map((p) => p['name'])).toEqual([undefined, undefined, 'FONTAINE ET FILS SARL']);
});

describe('organisationIdTypes: a type that is not a company\'s is a person\'s (found by a CSV probe)', () => {
  const L = createLocale({ defaultIdType: 'NIT', personIdTypes: ['Cédula de Ciudadanía', 'CC'], organisationIdTypes: ['NIT'] });
  test('an organisation whose type the profile reads: missing, empty, unknown or a person\'s type is a person; NIT is not', () => {
    for (const idType of [undefined, '', '  ', 'No Definido', 'Otro', 'C.C.', 'cédula de ciudadania']) expect(L.isPerson({ idType, name: 'Ana Ruiz' }, true)).toBe(true);
    expect(L.isPerson({ idType: 'NIT', name: 'Constructora SAS' }, true)).toBe(false);
    expect(L.isPerson({ idType: 'n.i.t.', name: 'Constructora SAS' }, true)).toBe(false);
  });
  test('one whose type the profile does not read (a buyer) has the default type: no person', () => {
    expect(L.isPerson({ name: 'Alcaldía de Cali' })).toBe(false);
    expect(L.isPerson({ idType: 'CC', name: 'Ana Ruiz' })).toBe(true);
  });
  test('without the setting, a missing type is the default one, as before', () => {
    const plain = createLocale({ defaultIdType: 'NIT', personIdTypes: ['CC'] });
    expect(plain.isPerson({ name: 'Ana Ruiz' }, true)).toBe(false);
    expect(plain.isPerson({ idType: 'No Definido', name: 'Ana Ruiz' }, true)).toBe(false);
  });
});

describe('personIdentifiers: a scheme whose persons and companies share a type label (Argentina\'s CUIT; found by a partner\'s probe)', () => {
  const settings = { currency: 'ARS', utcOffset: '-03:00', schemes: { CUIT: 'AR-CUIT' }, defaultIdType: 'CUIT', checkSiret: false, personIdentifiers: [{ scheme: '^AR-CUI[TL]$', id: '^(?:20|23|24|27)\\d{9}$' }] };
  /** A partner's CSV profile of one contract per row, one supplier (its identifier and name), `;`-separated; checked. */
  const supplierProfile = (name: string, profileSettings: J, c: { id: string; buyerId: string; amount: string; supplierId: string; supplierName: string }): MappingProfile => {
    const profile: MappingProfile = {
      name,
      settings: { ...profileSettings, csv: { delimiter: ';' } } as LocaleSettings,
      records: { unknown: { as: 'marche', fields: {
        id: { from: c.id, transform: 'text' },
        buyerId: { from: c.buyerId, transform: 'identifier' },
        amount: { from: c.amount, transform: 'amount' },
        suppliers: { list: '.', fields: { id: { from: c.supplierId, transform: 'identifier' }, name: { from: c.supplierName, transform: 'prose' } } },
      } } },
    };
    expect(() => checkProfile(profile)).not.toThrow();
    return profile;
  };
  /** A CSV file of these lines, converted with the profile: nothing rejected. */
  const convertCsv = async (prefix: string, lines: readonly string[], profile: MappingProfile): Promise<Awaited<ReturnType<typeof convertAll>>> => {
    const file = join(tempDir(prefix), 'compras.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const got = await convertAll([file], profile);
    expect(got.counts.rejected).toBe(0);
    return got;
  };
  test('an identifier of a person\'s form under the published scheme is a person\'s, whatever the name', () => {
    const L = createLocale(settings);
    expect(L.namesPersons).toBe(true);
    expect(L.isPerson({ id: '20234567893', name: 'Pérez Juan Carlos' }, true)).toBe(true);
    expect(L.isPerson({ id: '27111222333', idType: 'cuit', name: 'Gómez Ana' }, true)).toBe(true);
    expect(L.isPerson({ id: '30708123456', name: 'Distribuidora Médica del Sur S.A.' }, true)).toBe(false);
    // (another type, another scheme: the rule names AR-CUIT's persons only)
    expect(L.isPerson({ id: '20234567893', idType: 'DNI', name: 'Pérez Juan Carlos' }, true)).toBe(false);
    const { personIdentifiers: _rules, ...without } = settings;
    expect(createLocale(without).isPerson({ id: '20234567893', name: 'Pérez Juan Carlos' }, true)).toBe(false);
  });
  test('a CSV supplier identified so is published without its name, nowhere in the record; a company keeps its', async () => {
    const profile = supplierProfile('ar-emergencia', settings, { id: 'contratacion', buyerId: 'cuit_organismo', amount: 'monto', supplierId: 'cuit_proveedor', supplierName: 'razon_social' });
    const got = await convertCsv('ar-persons-', [
      'contratacion;cuit_organismo;monto;cuit_proveedor;razon_social;firmante',
      'C1;30-71234567-1;700.000,00;20-23456789-3;Pérez Juan Carlos;Pérez Juan Carlos',
      'C2;30-71234567-1;450.000,00;30-70812345-6;Distribuidora Médica del Sur S.A.;Ana Gómez',
    ], profile);
    const [c1, c2] = [byIdOf(got, 'C1'), byIdOf(got, 'C2')];
    expect(JSON.stringify(c1)).not.toMatch(/P[ée]rez/i);
    expect((c1['parties'] as J[]).map((p) => [p['id'], p['name']])).toEqual([['AR-CUIT-30712345671', undefined], ['AR-CUIT-20234567893', undefined]]);
    expect(((c1['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['code'] === 'PERSON_NAME_WITHHELD')).toEqual([expect.objectContaining({ pointer: '/razon_social' })]);
    expect((c2['parties'] as J[]).map((p) => p['name'])).toEqual([undefined, 'Distribuidora Médica del Sur S.A.']);
  });
  test('rules match the identifier as the identifier transform leaves it (and, in a record, as given: below)', () => {
    const cleaned = (raw: string): string => cleanIdentifier(raw, false)!.id;
    const py = (id: string): J => ({ currency: 'PYG', schemes: { RUC: 'PY-RUC' }, defaultIdType: 'RUC', checkSiret: false, personIdentifiers: [{ scheme: '^PY-(?:PGN|RUC)$', id }] });
    // (ocds-persons.json's rule, on `1234567-8` as read: the dash is gone, the person missed)
    expect(createLocale(py('^(?!80)\\d{1,8}-\\d$')).isPerson({ id: cleaned('1234567-8'), name: 'Juan Benítez' }, true)).toBe(false);
    const L = createLocale(py('^(?!80)\\d{2,9}$'));
    expect(L.isPerson({ id: cleaned('1234567-8'), name: 'Juan Benítez' }, true)).toBe(true);
    expect(L.isPerson({ id: cleaned('80012345-6'), name: 'Ferretería S.R.L.' }, true)).toBe(false);
  });
  test('a rule matches the identifier without its separators too: a Mexican RFC written with dashes, which the identifier transform keeps in a code of letters (found by a partner\'s probe: the person\'s name published)', async () => {
    const mx = { currency: 'MXN', utcOffset: '-06:00', schemes: { RFC: 'MX-RFC' }, defaultIdType: 'RFC', checkSiret: false, personIdentifiers: [{ scheme: '^MX-RFC$', id: '^[A-ZÑ&]{4}\\d{6}[A-Z\\d]{3}$' }] };
    const L = createLocale(mx);
    const cleaned = (raw: string): string => cleanIdentifier(raw, false)!.id;
    expect(cleaned('GARC-800101-AB3')).toBe('GARC-800101-AB3');
    expect(L.isPerson({ id: cleaned('GARC-800101-AB3'), name: 'García Rodríguez María' }, true)).toBe(true);
    expect(L.isPerson({ id: 'garc 800101 ab3', name: 'García Rodríguez María' }, true)).toBe(true);
    // (a company's RFC, 12 characters, with its dashes or not, is no person's)
    expect(L.isPerson({ id: 'MSA-010101-AB1', name: 'Muebles SA de CV' }, true)).toBe(false);
    const profile = supplierProfile('mx-compras', mx, { id: 'contrato', buyerId: 'rfc_dependencia', amount: 'importe', supplierId: 'rfc_proveedor', supplierName: 'proveedor' });
    const got = await convertCsv('mx-persons-', [
      'contrato;rfc_dependencia;importe;rfc_proveedor;proveedor',
      'M1;SSA-850101-AB1;850.000,00;GARC-800101-AB3;García Rodríguez María',
      'M2;SSA-850101-AB1;99.000,00;MSA-010101-AB1;Muebles SA de CV',
    ], profile);
    const [m1, m2] = [byIdOf(got, 'M1'), byIdOf(got, 'M2')];
    expect(JSON.stringify(m1)).not.toMatch(/Garc[íi]a/i);
    expect((m1['parties'] as J[]).map((p) => [p['id'], p['name']])).toEqual([['MX-RFC-SSA-850101-AB1', undefined], ['MX-RFC-GARC-800101-AB3', undefined]]);
    expect((m2['parties'] as J[]).map((p) => p['name'])).toEqual([undefined, 'Muebles SA de CV']);
  });
  test('a rule copied from ocds-persons.json, which expects the identifier as written (`1234567-8`), matches it as given: the person is withheld though the identifier transform read `12345678`', async () => {
    const py = { currency: 'PYG', utcOffset: '-03:00', schemes: { RUC: 'PY-RUC' }, defaultIdType: 'RUC', checkSiret: false, personIdentifiers: [{ scheme: '^PY-(?:PGN|RUC)$', id: '^(?!80)\\d{1,8}-\\d$' }] };
    const profile = supplierProfile('py-compras', py, { id: 'contrato', buyerId: 'ruc_entidad', amount: 'monto', supplierId: 'ruc_proveedor', supplierName: 'proveedor' });
    const got = await convertCsv('py-persons-', [
      'contrato;ruc_entidad;monto;ruc_proveedor;proveedor',
      'P1;80001234-5;1.500.000;1234567-8;Juan Benítez',
      'P2;80001234-5;2.500.000;80012345-6;Ferretería Central S.R.L.',
    ], profile);
    const [p1, p2] = [byIdOf(got, 'P1'), byIdOf(got, 'P2')];
    expect(JSON.stringify(p1)).not.toMatch(/Ben[íi]tez/i);
    expect(((p1['x_decp'] as J)['qualityFlags'] as J[]).filter((f) => f['code'] === 'PERSON_NAME_WITHHELD')).toEqual([expect.objectContaining({ pointer: '/proveedor' })]);
    expect((p2['parties'] as J[]).map((p) => p['name'])).toEqual([undefined, 'Ferretería Central S.R.L.']);
  });
  test('a malformed rule stops the profile with what to write', () => {
    const bad = (personIdentifiers: unknown): MappingProfile => ({ name: 'x', settings: { personIdentifiers } as never, records: { unknown: { as: 'marche', fields: { id: { from: 'a' }, buyerId: { from: 'b', transform: 'identifier' } } } } });
    expect(() => checkProfile(bad(['^AR-CUIT$']))).toThrow(/settings\.personIdentifiers: a list of \{"scheme"/);
    // (which rule, and what is wrong with it: found by a partner's probe, the message named neither)
    expect(() => checkProfile(bad([{ scheme: '^AR-CUIT$' }]))).toThrow(/settings\.personIdentifiers\[0\]: "id" is missing; settings\.personIdentifiers: a list of/);
    expect(() => checkProfile(bad([{ scheme: '^AR-CUIT$', id: '^2' }, { scheme: '^MX-RFC$', ids: '^[A-Z]{4}' }]))).toThrow(/settings\.personIdentifiers\[1\]: unknown key "ids"/);
    expect(() => checkProfile(bad([{ scheme: '^AR-CUIT$', id: '^2' }, { scheme: '', id: '^2' }]))).toThrow(/settings\.personIdentifiers\[1\]: "scheme" is no regular expression's text/);
    expect(() => checkProfile(bad(['^AR-CUIT$']))).toThrow(/settings\.personIdentifiers\[0\]: not an object, "\^AR-CUIT\$"/);
    expect(() => checkProfile(bad([{ scheme: '^AR-CUIT$', id: '(' }]))).toThrow(/settings\.personIdentifiers\[0\]: "\(" is not a regular expression/);
    // every rule of mappings/ocds-persons.json may be copied as it is, its countries with it
    const shipped = (JSON.parse(readFileSync(new URL('../../mappings/ocds-persons.json', import.meta.url), 'utf8')) as { personIdentifiers: unknown[] }).personIdentifiers;
    expect(shipped.some((r) => (r as Record<string, unknown>)['countries'] !== undefined)).toBe(true);
    expect(() => checkProfile(bad(shipped))).not.toThrow();
    expect(() => checkProfile(bad([{ scheme: '^MX-RFC$', id: '^[A-Z]{4}', countries: 'MX' }]))).toThrow(/settings\.personIdentifiers\[0\]: "countries" is not a list of texts/);
  });
});
