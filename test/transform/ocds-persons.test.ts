/**
 * Natural persons in partners' OCDS data (RGPD): a Ukrainian sole trader under its 10-digit taxpayer
 * number, a Paraguayan whose RUC is an identity card's, a name that states a person's status. Their
 * names are published nowhere in the release (parties, references, texts that repeat them); their
 * ids stay; companies keep everything.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { convertAll } from '../helpers/convert.js';
import { ocdsPersonRules } from '../../src/ingest/profiles.js';
import { withholdOcdsPersons } from '../../src/transform/ocds-persons.js';

const SHARED = new URL('../../../shared/partners/', import.meta.url);
const rules = ocdsPersonRules();

test('a Prozorro sole trader (UA-EDR, 10 digits) is published without its name, contact or street; the company beside it keeps all', async () => {
  const { releases } = await convertAll([new URL('ukraine-prozorro/record_ocds-be6bcu-UA-2017-04-10-002020-b.json', SHARED).pathname]);
  const text = JSON.stringify(releases);
  const source = JSON.stringify(JSON.parse(readFileSync(new URL('ukraine-prozorro/record_ocds-be6bcu-UA-2017-04-10-002020-b.json', SHARED), 'utf8')));
  expect(source).toContain('Ващилко');
  for (const word of ['Ващилко', 'Олександр Петрович', 'Молотова']) expect(text).not.toContain(word);
  // its id and identifier stay: they link its contracts
  expect(text).toContain('"UA-EDR-1992916539"');
  expect(text).toContain('"1992916539"');
  // the surname alone in a document's title is masked; the company (8 digits) keeps its name and contact
  expect(text).toContain('***.pdf');
  expect(text).toContain('ПП ПОЧАЙНА');
  expect(text).toContain('Биць Тарас Миронович');
  const party = (releases[0]!['parties'] as Record<string, unknown>[]).find((p) => p['id'] === 'UA-EDR-1992916539')!;
  expect(party['name']).toBeUndefined();
  expect(party['contactPoint']).toBeUndefined();
  expect(party['roles']).toEqual(expect.arrayContaining(['supplier']));
});

test('a Paraguayan RUC without the 80 of companies is a person\'s; the company\'s RUC is not', async () => {
  const { releases } = await convertAll([new URL('paraguay-dncp/record-package_284182.json', SHARED).pathname]);
  const text = JSON.stringify(releases);
  expect(readFileSync(new URL('paraguay-dncp/record-package_284182.json', SHARED), 'utf8')).toContain('JUAN RODRIGUEZ');
  expect(text).not.toContain('JUAN RODRIGUEZ');
  expect(text).toContain('2514872-9');
  expect(text).toContain('EMPORIO FERRETERIA S.R.L.');
});

test('a name that states a person\'s status, in any position; every reference by its id; words in lower case left', () => {
  const release = {
    ocid: 'ocds-x-1',
    id: '1',
    tag: ['award'],
    parties: [
      { id: 'P1', name: 'ФОП Коваль Іван Іванович', roles: ['supplier'], address: { streetAddress: 'вул. Миру, 1', locality: 'Київ' }, contactPoint: { name: 'Коваль І.І.', telephone: '+380' } },
      { id: 'P2', name: 'Juan PÉREZ (persona física)', roles: ['tenderer'] },
      { id: 'C1', name: 'Коваль Груп ТОВ', roles: ['buyer'] },
    ],
    awards: [{ id: 'a', title: 'Послуги Коваль Іван (коваль за фахом)', suppliers: [{ id: 'P1', name: 'ФОП Коваль Іван Іванович' }] }],
    tender: { tenderers: [{ id: 'P2', name: 'Juan PÉREZ (persona física)' }] },
  };
  expect(withholdOcdsPersons([release], rules)).toEqual([0]);
  const text = JSON.stringify(release);
  expect(text).not.toContain('Іванович');
  expect(text).not.toContain('PÉREZ');
  expect(release.parties[0]).toEqual({ id: 'P1', roles: ['supplier'], address: { locality: 'Київ' } });
  expect(release.awards[0]!.suppliers[0]).toEqual({ id: 'P1' });
  expect(release.tender.tenderers[0]).toEqual({ id: 'P2' });
  // a common noun in lower case stays; the buyer's name is a company's own
  expect(release.awards[0]!.title).toBe('Послуги *** *** (коваль за фахом)');
  expect(release.parties[2]!.name).toBe('Коваль Груп ТОВ');
  expect(release.parties[2]!.roles).toEqual(['buyer']);
});

test('companies and releases without persons are left as they are', () => {
  const release = { ocid: 'o', id: '1', parties: [{ id: 'UA-EDR-30374983', name: 'ПП ПОЧАЙНА', identifier: { scheme: 'UA-EDR', id: '30374983', legalName: 'ПП ПОЧАЙНА' } }, { id: 'X', name: 'Sole Traders Association', identifier: { scheme: 'MX-RFC', id: 'CES031203IG0' } }] };
  const before = JSON.stringify(release);
  expect(withholdOcdsPersons([release], rules)).toEqual([]);
  expect(JSON.stringify(release)).toBe(before);
});

test('across the releases of one process: the supplier identified as a person in the contract release is withheld in the award release that names it without identifier (DNCP)', () => {
  const dir = new URL('paraguay-dncp/releases-284182/', SHARED);
  const releases = readdirSync(dir).sort().map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Record<string, unknown>);
  expect(JSON.stringify(releases)).toContain('JUAN RODRIGUEZ');
  // one release alone does not tell: its supplier has no identifier
  const award = releases.findIndex((r) => JSON.stringify(r['parties'] ?? []).includes('JUAN RODRIGUEZ') && !JSON.stringify(r).includes('2514872'));
  expect(award).toBeGreaterThanOrEqual(0);
  expect(withholdOcdsPersons([structuredClone(releases[award]!)], rules)).toEqual([]);
  const changed = withholdOcdsPersons(releases, rules);
  expect(changed).toContain(award);
  expect(JSON.stringify(releases)).not.toContain('JUAN RODRIGUEZ');
  expect(JSON.stringify(releases)).toContain('EMPORIO FERRETERIA S.R.L.');
  // the contract's supplier named its party by the name alone: it is given the party's id, its one
  // link left (the store's contract_suppliers joined no party; found by a partner's probe)
  const contract = releases.find((r) => JSON.stringify(r).includes('2514872'))!;
  expect((contract['contracts'] as Array<Record<string, unknown>>)[0]!['suppliers']).toMatchObject({ id: 'bdd03555d24460136e746d63f8a43cb9', identifier: { id: '2514872-9' } });
  // (the company's reference, not a person's, is left as the publisher wrote it)
  expect(JSON.stringify(releases.map((r) => r['contracts'] ?? []))).not.toContain('"id":"f7f2ef80b411273a90f5f75a732e7754"');
  // … and nothing more to do on releases published so (a later night compiles them again)
  expect(withholdOcdsPersons(releases, rules)).toEqual([]);
});

// the link to the person's party must not be to another organisation named with the same words
// (found by a review: a company's party, or the buyer, got the person's contract)
test('a reference is given a party\'s id only when that party is the person: not a company or a buyer of the same words, not a party of another identifier, not a one-word name', () => {
  const contract = (name: string, identifier: Record<string, unknown> = { scheme: 'PY-RUC', id: '2514872-9' }): Record<string, unknown> => ({ ocid: 'o', id: 'c', contracts: [{ id: 'k', suppliers: { name, identifier } }] });
  const supplierOf = (rs: Array<Record<string, unknown>>): Record<string, unknown> => ((rs[1]!['contracts'] as Array<Record<string, unknown>>)[0]!['suppliers'] as Record<string, unknown>);
  // a company whose name holds the person's words (its status words dropped)
  const company = [{ ocid: 'o', id: 'a', parties: [{ id: 'COMPANY', name: 'JUAN RODRIGUEZ S.A.', identifier: { scheme: 'PY-RUC', id: '80012345-6' }, roles: ['supplier'] }] }, contract('JUAN RODRIGUEZ')];
  withholdOcdsPersons(company, rules);
  expect(supplierOf(company)['id']).toBeUndefined();
  // the buyer named by the person's surname alone
  const buyer = [{ ocid: 'o', id: 'a', parties: [{ id: 'OTHER', name: 'RODRIGUEZ', roles: ['buyer'] }] }, contract('Rodriguez (persona física)', { scheme: 'X', id: '1' })];
  withholdOcdsPersons(buyer, rules);
  expect(supplierOf(buyer)['id']).toBeUndefined();
  expect(JSON.stringify(buyer)).not.toContain('persona');
  // the person's party under another identifier than the reference's
  const other = [{ ocid: 'o', id: 'a', parties: [{ id: 'x', name: 'JUAN RODRIGUEZ', identifier: { scheme: 'PY-RUC', id: '9999999-1' }, roles: ['supplier'] }] }, contract('JUAN RODRIGUEZ')];
  withholdOcdsPersons(other, rules);
  expect(supplierOf(other)['id']).toBeUndefined();
  // … and the person's party under the reference's identifier, or none: linked
  const same = [{ ocid: 'o', id: 'a', parties: [{ id: 'x', name: 'JUAN RODRIGUEZ', identifier: { scheme: 'PY-RUC', id: '2514872-9' }, roles: ['supplier'] }] }, contract('JUAN RODRIGUEZ')];
  withholdOcdsPersons(same, rules);
  expect(supplierOf(same)['id']).toBe('x');
});

test('the same person under another spelling of its name (case, accents, spacing, order) is the person (found by a review)', () => {
  const contract = { ocid: 'o', id: 'c', contracts: [{ id: 'k', suppliers: { name: 'JUAN RODRIGUEZ', identifier: { scheme: 'PY-PGN', id: '2514872-9' } } }] };
  for (const spelling of ['Juan Rodriguez', 'JUAN  RODRIGUEZ', 'JUAN RODRÍGUEZ', 'RODRIGUEZ JUAN']) {
    const award = { ocid: 'o', id: 'a', parties: [{ id: 'x', name: spelling, roles: ['supplier'] }, { id: 'y', name: 'JUAN SRL', roles: ['tenderer'] }], awards: [{ id: 'a', suppliers: [{ id: 'x', name: spelling }] }] };
    const got = [structuredClone(award), structuredClone(contract)];
    expect(withholdOcdsPersons(got, rules)).toEqual([0, 1]);
    expect(JSON.stringify(got)).not.toMatch(/RODR/i);
    // (a company that holds one of the words only keeps its name)
    expect(JSON.stringify(got)).toContain('JUAN SRL');
    // the contract's supplier, named as the party in another spelling, is given its id
    expect((((got[1] as Record<string, unknown>)['contracts'] as Array<Record<string, unknown>>)[0]!['suppliers'] as Record<string, unknown>)['id']).toBe('x');
  }
});

test('masking leaves ids, references, codes, particles and other organisations\' addresses alone', () => {
  const release = {
    ocid: 'ocds-x-2',
    id: '1',
    tag: ['contract'],
    parties: [
      { id: 'P', name: 'MARIA DE LA CRUZ', identifier: { scheme: 'MX-RFC', id: 'CUMA800101AB1' }, roles: ['supplier'] },
      { id: 'B', name: 'Secretaría', address: { streetAddress: 'Av. Cruz del Sur 12' }, roles: ['buyer'] },
    ],
    tender: { id: 'LA-009000999-E1-2016', procurementMethodDetails: 'Licitación Por Concurso De Ofertas', lots: [{ id: 'LA-1', title: 'Lote de la Cruz' }] },
    awards: [{ id: 'LA-009000999-E1-2016-001', relatedLots: ['LA-1'], title: 'Adjudicación a Maria de la Cruz' }],
    contracts: [{ id: 'c', awardID: 'LA-009000999-E1-2016-001', relatedLots: ['LA-1'] }],
    relatedProcesses: [{ id: 'r', identifier: 'CRUZ-2015', scheme: 'ocid' }],
  };
  expect(withholdOcdsPersons([release], rules)).toEqual([0]);
  expect(release.contracts[0]).toEqual({ id: 'c', awardID: 'LA-009000999-E1-2016-001', relatedLots: ['LA-1'] });
  expect(release.awards[0]!.relatedLots).toEqual(['LA-1']);
  expect(release.relatedProcesses[0]!.identifier).toBe('CRUZ-2015');
  expect(release.tender.procurementMethodDetails).toBe('Licitación Por Concurso De Ofertas');
  expect(release.parties[1]!.address).toEqual({ streetAddress: 'Av. Cruz del Sur 12' });
  expect(release.awards[0]!.title).toBe('Adjudicación a *** de la ***');
  expect(release.tender.lots[0]!.title).toBe('Lote de la ***');
});

test('a key that writes the person\'s name (an extension\'s object) is masked as a text is, its value kept; OCDS\'s own keys are left (found by an RGPD leak hunt)', () => {
  const release = {
    ocid: 'ocds-x-3',
    id: '1',
    tag: ['award'],
    parties: [{ id: 'UA-IPN-1234567890', name: 'ФОП Gwendoline QUIMPERLÉ', identifier: { scheme: 'UA-IPN', id: '1234567890' }, roles: ['supplier'] }],
    awards: [{ id: 'a', title: 'Award', suppliers: [{ id: 'UA-IPN-1234567890', name: 'ФОП Gwendoline QUIMPERLÉ' }] }],
    x_note: { 'Gwendoline QUIMPERLE': 'signed by Gwendoline Quimperlé', 'QUIMPERLÉ Gwendoline': 'again', Other: 'kept' },
  };
  expect(withholdOcdsPersons([release], rules)).toEqual([0]);
  expect(JSON.stringify(release)).not.toMatch(/gwendoline|quimperl/i);
  expect(release.x_note).toEqual({ '*** ***': 'signed by *** ***', '*** *** (2)': 'again', Other: 'kept' });
  expect(Object.keys(release.awards[0]!)).toEqual(['id', 'title', 'suppliers']);
});

test('a Ukrainian taxpayer number under UA-IPN, a passport under UA-EDR and an identity card (CI, cédula) are persons\' ids; a VAT number and a cédula jurídica are not', () => {
  const party = (id: string, scheme: string, idv: string, name: string): Record<string, unknown> => ({ id, name, identifier: { scheme, id: idv, legalName: name }, roles: ['tenderer'], contactPoint: { name } });
  const release = {
    ocid: 'ocds-x-3',
    id: '1',
    tag: ['award'],
    parties: [
      party('UA-IPN-3344556677', 'UA-IPN', '3344556677', 'Коваленко Олена Василівна'),
      party('UA-EDR-МЕ123456', 'UA-EDR', 'МЕ123456', 'Шевчук Марія Іванівна'),
      party('PY-CI-1234567', 'PY-CI', '1234567', 'MARIA GONZALEZ BENITEZ'),
      party('ci-4567890', 'Cédula de Identidad Civil', '4567890', 'CARLOS ORTIZ'),
      party('UA-IPN-123456789012', 'UA-IPN', '123456789012', 'ТОВ РОМАШКА'),
      party('CR-3101123456', 'Cédula jurídica', '3101123456', 'Constructora Tica S.A.'),
    ],
    awards: [{ id: 'a', suppliers: [{ id: 'PY-CI-1234567', name: 'MARIA GONZALEZ BENITEZ' }, { id: 'ci-4567890', name: 'CARLOS ORTIZ' }] }],
  };
  expect(withholdOcdsPersons([release], rules)).toEqual([0]);
  const text = JSON.stringify(release);
  for (const word of ['Коваленко', 'Шевчук', 'GONZALEZ', 'ORTIZ']) expect(text).not.toContain(word);
  expect(release.parties.map((p) => p['name'])).toEqual([undefined, undefined, undefined, undefined, 'ТОВ РОМАШКА', 'Constructora Tica S.A.']);
  // the ids stay
  expect(text).toContain('"3344556677"');
  expect(text).toContain('"1234567"');
});

test('a party whose stated legal entity type is a natural person\'s (details.legalEntityTypeDetail, as a text or an object) is withheld, without an identifier that says so; a company\'s type is not', () => {
  // DNCP Paraguay's party details (a text) and Guatecompras' (an object with a description); the
  // award's supplier references name them without identifier
  const release = {
    ocid: 'ocds-03ad3f-400001',
    id: '400001-award',
    parties: [
      { id: 'a1b2', name: 'MARTA GONZÁLEZ', roles: ['supplier'], details: { legalEntityTypeDetail: 'Persona Física - Servicios Personales' }, contactPoint: { name: 'MARTA GONZÁLEZ', telephone: '0981 000 000' } },
      { id: 'c3d4', name: 'CARLOS BENÍTEZ', roles: ['supplier'], details: { legalEntityTypeDetail: { id: '5', description: 'Persona Física - Bienes y Servicios' } } },
      { id: 'e5f6', name: 'FERRETERÍA GUARANÍ S.A.', roles: ['supplier'], details: { legalEntityTypeDetail: 'S.A.' }, contactPoint: { name: 'Ventas' } },
    ],
    awards: [{ id: 'aw1', title: 'Servicios de MARTA GONZÁLEZ', suppliers: [{ id: 'a1b2', name: 'MARTA GONZÁLEZ' }, { id: 'c3d4', name: 'CARLOS BENÍTEZ' }, { id: 'e5f6', name: 'FERRETERÍA GUARANÍ S.A.' }] }],
  };
  expect(withholdOcdsPersons([release], rules)).toEqual([0]);
  const text = JSON.stringify(release);
  for (const word of ['MARTA', 'GONZÁLEZ', 'CARLOS', 'BENÍTEZ', '0981']) expect(text).not.toContain(word);
  expect(release.parties[0]).toEqual({ id: 'a1b2', roles: ['supplier'], details: { legalEntityTypeDetail: 'Persona Física - Servicios Personales' } });
  expect(release.awards[0]!.suppliers.slice(0, 2)).toEqual([{ id: 'a1b2' }, { id: 'c3d4' }]);
  // the company keeps its name and contact point
  expect(release.parties[2]).toEqual({ id: 'e5f6', name: 'FERRETERÍA GUARANÍ S.A.', roles: ['supplier'], details: { legalEntityTypeDetail: 'S.A.' }, contactPoint: { name: 'Ventas' } });
  expect(release.awards[0]!.suppliers[2]).toEqual({ id: 'e5f6', name: 'FERRETERÍA GUARANÍ S.A.' });
});

test('an Argentinian CUIT of a natural person (20, 23, 24, 27) is a person\'s id; a company\'s (30, 33, 34) is not', () => {
  const party = (idv: string, name: string): Record<string, unknown> => ({ id: `AR-CUIT-${idv}`, name, identifier: { scheme: 'AR-CUIT', id: idv, legalName: name }, roles: ['supplier'] });
  const release = {
    ocid: 'ocds-x-4',
    id: '1',
    parties: [party('20-12345678-9', 'PÉREZ JUAN CARLOS'), party('27123456784', 'LÓPEZ MARÍA INÉS'), party('30-54667611-1', 'Servicios Integrales S.A.'), party('33-70001234-9', 'Cooperativa del Sur Ltda.')],
    awards: [{ id: 'a', suppliers: [{ id: 'AR-CUIT-20-12345678-9', name: 'PÉREZ JUAN CARLOS' }] }],
  };
  expect(withholdOcdsPersons([release], rules)).toEqual([0]);
  const text = JSON.stringify(release);
  for (const word of ['PÉREZ', 'LÓPEZ', 'INÉS']) expect(text).not.toContain(word);
  expect(release.parties.map((p) => p['name'])).toEqual([undefined, undefined, 'Servicios Integrales S.A.', 'Cooperativa del Sur Ltda.']);
  expect(text).toContain('"20-12345678-9"');
});

// found by a review: a CUIT with a 7-digit identity card number, or written with dots or spaces, a
// CUIL, and Portuguese-speaking publishers' persons (pessoa física, empresário individual, MEI)
test('a CUIT written otherwise, a CUIL and a Portuguese legal entity type of a person are a person\'s; companies are not', () => {
  const party = (scheme: string, idv: string, name: string, type?: string): Record<string, unknown> => ({ id: `${scheme}-${idv}`, name, identifier: { scheme, id: idv, legalName: name }, ...(type === undefined ? {} : { details: { legalEntityTypeDetail: type } }), roles: ['supplier'] });
  const release = {
    ocid: 'ocds-x-5',
    id: '1',
    parties: [
      party('AR-CUIT', '20-4567890-3', 'GÓMEZ ANA'),
      party('AR-CUIT', '27 12.345.678 4', 'RUIZ LUCÍA'),
      party('AR-CUIL', '23-12345678-9', 'SOSA PEDRO'),
      party('BR-CNPJ', '12345678000190', 'SILVA JOÃO', 'Pessoa Física'),
      party('BR-CNPJ', '12345678000191', 'SOUZA MARIA', 'Empresário Individual'),
      party('BR-CNPJ', '12345678000192', 'COSTA PAULO', 'Microempreendedor Individual'),
      party('AR-CUIT', '30-54667611-1', 'Servicios Integrales S.A.'),
      party('AR-CUIT', '30 54.667.611 1', 'Obras del Plata S.R.L.'),
      party('BR-CNPJ', '12345678000193', 'Construtora Alfa Ltda.', 'Pessoa Jurídica'),
      party('BR-CNPJ', '12345678000194', 'Beta Eireli', 'Empresa Individual de Responsabilidade Limitada'),
    ],
  };
  withholdOcdsPersons([release], rules);
  const text = JSON.stringify(release);
  for (const word of ['GÓMEZ', 'RUIZ', 'SOSA', 'SILVA', 'SOUZA', 'COSTA']) expect(text).not.toContain(word);
  expect(release.parties.map((p) => p['name'])).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, 'Servicios Integrales S.A.', 'Obras del Plata S.R.L.', 'Construtora Alfa Ltda.', 'Beta Eireli']);
});

// found by a partner's probe: the rule of a 13-character RFC missed one written with its dashes
test('a Mexican RFC of a person written with dashes or spaces is a person\'s id; a company\'s is not', () => {
  const party = (idv: string, name: string): Record<string, unknown> => ({ id: `MX-RFC-${idv}`, name, identifier: { scheme: 'MX-RFC', id: idv, legalName: name }, roles: ['supplier'] });
  const release = { ocid: 'ocds-x-mx', id: '1', parties: [party('GARC-800101-AB3', 'GARCÍA RODRÍGUEZ MARÍA'), party('LOPE 750505 XY1', 'LÓPEZ PÉREZ JUAN'), party('MSA-010101-AB1', 'Muebles SA de CV')] };
  withholdOcdsPersons([release], rules);
  const text = JSON.stringify(release);
  for (const word of ['GARCÍA', 'LÓPEZ']) expect(text).not.toContain(word);
  expect(release.parties.map((p) => p['name'])).toEqual([undefined, undefined, 'Muebles SA de CV']);
  expect(text).toContain('"GARC-800101-AB3"');
});

test('an identifier without a scheme (OCDS 1.0, Mexico City\'s suppliers) is judged by the rules of its organisation\'s country: a persona física\'s 13-character RFC is a person\'s id (found by a partners\' shapes probe: the name was published)', async () => {
  // Mexico City's own package, its suppliers' RFCs made a person's (13 characters) and a company's (12)
  const pkg = JSON.parse(readFileSync(new URL('mexico-cdmx/release-package_encoding-utf-8.json', SHARED), 'utf8')) as { releases: Record<string, unknown>[] };
  const suppliers = pkg.releases.flatMap((r) => (r['awards'] as Record<string, unknown>[] | undefined) ?? []).flatMap((a) => a['suppliers'] as Record<string, unknown>[]);
  expect(suppliers.length).toBeGreaterThan(0);
  for (const s of suppliers) {
    expect(s['identifier']).not.toHaveProperty('scheme');
    expect((s['address'] as Record<string, unknown>)['countryName']).toBe('MX');
    s['identifier'] = { ...(s['identifier'] as object), id: 'PELJ800101AB1' };
    s['name'] = 'JUAN PEREZ LOPEZ';
  }
  const release = pkg.releases[0]!;
  withholdOcdsPersons(pkg.releases, rules);
  const text = JSON.stringify(pkg.releases);
  expect(text).not.toContain('PEREZ');
  expect(text).toContain('"PELJ800101AB1"');
  expect(JSON.stringify(release)).toContain('SECRETARÍA DE FINANZAS');
  // a company's RFC (12 characters), another country, or no country: not judged so
  const org = (id: string, countryName?: string, name = 'ACME GARCIA'): Record<string, unknown> => ({ name, identifier: { id }, ...(countryName !== undefined ? { address: { countryName } } : {}) });
  const others = { ocid: 'o', id: '1', awards: [{ id: 'a', suppliers: [org('CES031203IG0', 'México'), org('PELJ800101AB1', 'Guatemala'), org('PELJ800101AB1')] }] };
  withholdOcdsPersons([others], rules);
  expect(others.awards[0]!.suppliers.map((s) => s['name'])).toEqual(['ACME GARCIA', 'ACME GARCIA', 'ACME GARCIA']);
  // the country's name in any case or accents, or its code; a Ukrainian taxpayer number without a scheme
  const persons = { ocid: 'o', id: '2', awards: [{ id: 'a', suppliers: [org('PELJ800101AB1', 'MEXICO'), org('3012345678', 'Україна', 'Петренко Іван'), org('30123456', 'UA', 'ТОВ АЛЬФА')] }] };
  withholdOcdsPersons([persons], rules);
  expect(persons.awards[0]!.suppliers.map((s) => s['name'])).toEqual([undefined, undefined, 'ТОВ АЛЬФА']);
});

test('a Colombian NIT that is a cédula\'s number (a natural person trading under a NIT) is a person\'s id; a company\'s NIT (9 digits, 8 or 9 first, with or without its check digit) is not', () => {
  const party = (id: string, name: string): Record<string, unknown> => ({ id: `CO-RUE-${id}`, name, identifier: { scheme: 'CO-RUE', id, legalName: name }, roles: ['supplier'] });
  const release = { ocid: 'ocds-k50g02-1', id: '1', parties: [party('79123456', 'JUAN CARLOS PEREZ GOMEZ'), party('1020456789', 'MARIA FERNANDA LOPEZ DIAZ'), party('900100603', 'Terra Ferme'), party('8040032571', 'BEHNER S.A.S.')] };
  withholdOcdsPersons([release], rules);
  const text = JSON.stringify(release);
  for (const word of ['PEREZ', 'LOPEZ']) expect(text).not.toContain(word);
  expect(release.parties.map((p) => p['name'])).toEqual([undefined, undefined, 'Terra Ferme', 'BEHNER S.A.S.']);
});

// found by a review: a 10-digit cédula written with its check digit (11 digits), or an 8-digit one with
// its check digit apart (`80.123.456-7`), was a company's NIT to the rule: the person's name published
test('a Colombian cédula written with its check digit is a person\'s id when its form says so (11 digits; the check digit apart from a base of 8 digits or fewer); a company\'s NIT with its check digit, apart or glued, is not', () => {
  const party = (id: string, name: string): Record<string, unknown> => ({ id: `CO-RUE-${id}`, name, identifier: { scheme: 'CO-RUE', id, legalName: name }, roles: ['supplier'] });
  const persons = [['10204567891', 'MARIA FERNANDA LOPEZ DIAZ'], ['80.123.456-7', 'JUAN CARLOS PEREZ GOMEZ'], ['80123456-7', 'PEDRO RUIZ'], ['1.020.456.789-1', 'ANA TORRES'], ['91234567 - 3', 'LUIS MORA']];
  const companies = [['900.100.603-1', 'Terra Ferme'], ['900100603-1', 'Terra Ferme 2'], ['8040032571', 'BEHNER S.A.S.']];
  const release = { ocid: 'ocds-k50g02-1', id: '1', parties: [...persons, ...companies].map(([id, name]) => party(id!, name!)) };
  withholdOcdsPersons([release], rules);
  const text = JSON.stringify(release);
  for (const word of ['LOPEZ', 'PEREZ', 'RUIZ', 'TORRES', 'MORA']) expect(text).not.toContain(word);
  expect(release.parties.map((p) => p['name'])).toEqual([...persons.map(() => undefined), 'Terra Ferme', 'Terra Ferme 2', 'BEHNER S.A.S.']);
  // (the limit: an 8-digit cédula starting with 8 or 9 with its check digit glued has a company NIT's
  // form — 801234567 is either — and is not withheld: docs/mappings.md)
  const glued = { ocid: 'ocds-k50g02-2', id: '2', parties: [party('801234567', 'JUAN CARLOS PEREZ GOMEZ')] };
  withholdOcdsPersons([glued], rules);
  expect(glued.parties[0]!['name']).toBe('JUAN CARLOS PEREZ GOMEZ');
});
