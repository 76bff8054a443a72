import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OPEN_CODELISTS, ReleaseChecker } from '../../src/validate/checks.js';
import { DecpChecker } from '../../src/validate/decp-checks.js';
import { mergePatch } from '../../src/validate/schema-source/build.js';
import { DECLARED_EXTENSIONS } from '../../src/validate/schema-source/ocds.js';
import { SHARED } from '../helpers/ingest.js';
import { createLocale } from '../../src/transform/locale.js';
import { loadProfile } from '../../src/ingest/profiles.js';

const base = {
  ocid: 'ocds-78apv2-1',
  id: 'r1',
  date: '2024-01-01T00:00:00Z',
  tag: ['award'],
  initiationType: 'tender',
  parties: [{ id: 'B', roles: ['buyer'] }, { id: 'S', roles: ['supplier', 'madeUpRole'] }],
  buyer: { id: 'B' },
  tender: { id: 't', tenderPeriod: { startDate: '2024-02-01T00:00:00Z' } },
  awards: [{ id: 'a', date: '2024-01-15T00:00:00Z', suppliers: [{ id: 'S' }, { id: 'X' }], value: { amount: -5, currency: 'EUR' } }],
  contracts: [{ id: 'c', awardID: 'a', dateSigned: '2024-01-10T00:00:00Z', value: { amount: 999999999 }, amendments: [{ id: '1', date: '2024-01-05T00:00:00Z' }], period: { endDate: '2099-01-01T00:00:00Z' } }],
  relatedProcesses: [],
  x: { y: '' },
};

test('each check finds what it must, with its pointer', () => {
  const checker = new ReleaseChecker({ ocidPrefix: 'ocds-78apv2', now: '2026-01-01T00:00:00Z' });
  const found = checker.check(base).map((f) => [f.rule, f.pointer]);
  expect(found).toEqual(
    expect.arrayContaining([
      ['check.unknown-party', '/awards/0/suppliers/1/id'],
      ['check.date-order', '/awards/0/date'],
      ['check.date-order', '/contracts/0/dateSigned'],
      ['check.date-order', '/contracts/0/amendments/0/date'],
      ['check.amount-negative', '/awards/0/value/amount'],
      ['check.amount-placeholder', '/contracts/0/value/amount'],
      ['check.open-codelist', '/parties/1/roles/1'],
      ['check.empty', '/relatedProcesses'],
      ['check.empty', '/x/y'],
    ]),
  );
  // a period ending in the future is normal; the same release again is a duplicate
  expect(found.some(([r]) => r === 'check.date-future')).toBe(false);
  expect(checker.check(base).map((f) => f.rule)).toContain('check.duplicate-release-id');
  // the same id in another contracting process is another release (OCDS: unique within its ocid)
  expect(checker.check({ ...base, ocid: `${String(base['ocid'])}-other` }).map((f) => f.rule)).not.toContain('check.duplicate-release-id');
  // releases without an ocid, or with a number for it, name no process: not twins (the schema says what they lack; found by a probe)
  const { ocid: _ocid, ...noOcid } = base;
  for (const r of [noOcid, noOcid, { ...base, ocid: 123 }, { ...base, ocid: 123 }]) expect(checker.check(r).map((f) => f.rule)).not.toContain('check.duplicate-release-id');
  expect(new ReleaseChecker({ ocidPrefix: 'ocds-abcdef', now: '2026-01-01T00:00:00Z' }).check(base).map((f) => f.rule)).toContain('check.ocid-prefix');
  // an amount past a double's range (`1e400`, read as infinite) was said by validate --decp only (found by a probe)
  const infinite = new ReleaseChecker({ now: '2026-01-01T00:00:00Z' }).check({ ocid: 'ocds-78apv2-9', id: 'i', awards: [{ id: 'a', value: { amount: JSON.parse('1e400') as number } }, { id: 'b', value: { amount: -Infinity } }] });
  expect(infinite.filter((f) => f.rule.startsWith('check.amount')).map((f) => [f.rule, f.pointer, f.severity, f.value])).toEqual([
    ['check.amount-infinite', '/awards/0/value/amount', 'error', 'Infinity'],
    ['check.amount-infinite', '/awards/1/value/amount', 'error', '-Infinity'],
  ]);
  // in a run, our prefix is expected of the releases converted from DECP only; a partner's own
  // registered prefix is fine, a malformed one is not
  const run = new ReleaseChecker({ ocidPrefix: 'ocds-78apv2', ocidPrefixForDecpOnly: true, now: '2026-01-01T00:00:00Z' });
  const prefixFindings = (r: Record<string, unknown>): string[] => run.check(r).filter((f) => f.rule === 'check.ocid-prefix').map((f) => f.message);
  expect(prefixFindings({ ocid: 'ocds-03ad3f-284182', id: 'p1' })).toEqual([]);
  expect(prefixFindings({ ocid: 'OCDS-87SD3T-SEFIN-1', id: 'p2' })).toEqual([]);
  expect(prefixFindings({ ocid: 'OCDS_87SD3T-SEFIN-1', id: 'p2b' })).toEqual(['ocid "OCDS_87SD3T-SEFIN-1" does not start with a registered prefix (ocds-xxxxxx-)']);
  expect(prefixFindings({ ocid: 'ocds-03ad3f-1', id: 'p3', x_decp: {} })).toEqual(['ocid "ocds-03ad3f-1" does not start with ocds-78apv2']);
  expect(prefixFindings({ ocid: 'ocds-78apv2-1', id: 'p4', x_decp: {} })).toEqual([]);
  expect(new ReleaseChecker({ now: '2020-01-01T00:00:00Z' }).check(base).map((f) => f.rule)).toContain('check.date-future');
  // a date that is no date (the schema's format check says so) is neither in the future nor before anything
  const nonsense = { ...base, id: 'nonsense', date: '2020-13-45T00:00:00Z', tender: { id: 't', tenderPeriod: { startDate: '2024-99-01T00:00:00Z' } } };
  const odd = new ReleaseChecker({ now: '2026-01-01T00:00:00Z' }).check(nonsense).map((f) => [f.rule, f.pointer]);
  expect(odd).not.toContainEqual(['check.date-future', '/date']);
  expect(odd).not.toContainEqual(['check.date-order', '/awards/0/date']);
  // the pipeline's own quality flags are a report on the source, not data: a whole-record flag's
  // pointer "" or a raw future date in a flag is no finding
  const flagged = { ...base, id: 'flagged', x_decp: { qualityFlags: [{ id: 'v0.1', code: 'INGEST_JSON_REPAIRED', pointer: '' }, { id: 'v0.2', code: 'DATE_IMPOSSIBLE_YEAR', pointer: '/dateNotification', raw: '2999-01-01T00:00:00Z' }], note: '' } };
  expect(new ReleaseChecker({ now: '2026-01-01T00:00:00Z' }).check(flagged).filter((f) => f.pointer.startsWith('/x_decp')).map((f) => [f.rule, f.pointer])).toEqual([['check.empty', '/x_decp/note']]);
});

test('DECP checks: SIRET, CPV, duration, amount, dates, duplicates', () => {
  const c = new DecpChecker();
  const rec = { id: 'X1', acheteur: { id: '21350238800018' }, codeCPV: '4543100-7', dureeMois: 0, montant: 999999999, dateNotification: '2024-05-01', datePublicationDonnees: '2024-04-01', titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '123' } }] };
  expect(c.check('marche', rec).map((f) => [f.rule, f.pointer])).toEqual([
    ['decp.siret', '/acheteur/id'],
    ['decp.siret', '/titulaires/0/titulaire/id'],
    ['decp.cpv', '/codeCPV'],
    ['decp.duration', '/dureeMois'],
    ['decp.amount', '/montant'],
    ['decp.date-order', '/datePublicationDonnees'],
  ]);
  expect(c.check('marche', rec).map((f) => f.rule)).toContain('decp.duplicate');
  expect(c.check('marche', { ...rec, objet: 'lot 2' }).map((f) => f.rule)).toContain('decp.duplicate-id');
});

test('DECP checks: every SIRET convert checks (subcontractors, lists given as one object); dates in order as convert reads them', () => {
  const c = new DecpChecker();
  const rec = {
    id: 'S1', acheteur: { id: '21350238800019' }, dateNotification: '31/12/2018', datePublicationDonnees: '06/02/2019',
    titulaires: { titulaire: { typeIdentifiant: 'SIRET', id: '45166032800077' } },
    modifications: { modification: { id: 1, titulaires: { titulaire: { typeIdentifiant: 'SIRET', id: '123' } } } },
    actesSousTraitance: [{ acteSousTraitance: { id: 1, sousTraitant: { id: '214356', typeIdentifiant: 'SIRET' } } }, { acteSousTraitance: { id: 2, sousTraitant: { id: 'DE123', typeIdentifiant: 'TVA' } } }],
  };
  expect(c.check('marche', rec).map((f) => [f.rule, f.pointer])).toEqual([
    ['decp.siret', '/titulaires/titulaire/id'],
    ['decp.siret', '/modifications/modification/titulaires/titulaire/id'],
    ['decp.siret', '/actesSousTraitance/0/acteSousTraitance/sousTraitant/id'],
  ]);
  // published before notification, each date written otherwise; an unpadded day is no earlier than a padded one
  const order = (notified: string, published: string): string[] => new DecpChecker().check('marche', { id: 'O', acheteur: { id: '21350238800019' }, dateNotification: notified, datePublicationDonnees: published }).filter((f) => f.rule === 'decp.date-order').map((f) => f.message);
  expect(order('15/03/2019', '2019-02-06')).toEqual(['published 2019-02-06 before notification 15/03/2019']);
  expect(order('2019-02-2', '2019-02-06')).toEqual([]);
  expect(order('2019-02-06+01:00', '2019-02-06')).toEqual([]);
  // an amount past a double's range (1e400 in the JSON) is said, as 1e20 is
  expect(new DecpChecker().check('marche', { id: 'A', acheteur: { id: '21350238800019' }, montant: Number.POSITIVE_INFINITY }).map((f) => [f.rule, f.message])).toEqual([['decp.amount', 'amount past the range of a number (1e400: read as infinite)']]);
});

test('DECP checks: a date that does not exist, at any depth, with or without a time (the XSD refuses it, the JSON pattern takes it)', () => {
  const c = new DecpChecker();
  const rec = {
    id: 'D1', acheteur: { id: '21350238800018' }, dateNotification: '2023-02-29', datePublicationDonnees: '2024-02-29',
    modifications: [{ modification: { id: 1, dateNotificationModification: '2024-04-31+02:00', datePublicationDonneesModification: '2024-13-01' } }],
    actesSousTraitance: [{ acteSousTraitance: { dateNotificationActeSousTraitance: '2000-02-29T10:00:00Z', dureeMois: 3 } }],
    donneesExecution: [{ datePublicationDonneesExecution: '1900-02-29' }],
    objet: '2023-02-30 is not a date field',
  };
  expect(c.check('marche', rec).filter((f) => f.rule === 'decp.date').map((f) => [f.pointer, f.message, f.severity])).toEqual([
    ['/dateNotification', '"2023-02-29": 2023-02 has 28 days', 'error'],
    ['/modifications/0/modification/dateNotificationModification', '"2024-04-31+02:00": 2024-04 has 30 days', 'error'],
    ['/modifications/0/modification/datePublicationDonneesModification', '"2024-13-01": there is no month 13', 'error'],
    ['/donneesExecution/0/datePublicationDonneesExecution', '"1900-02-29": 1900-02 has 28 days', 'error'],
  ]);
});

// Mexico City publishes `OCDS-87SD3T-…` (its prefix is ocds-87sd3t): the prefix is there, spelt in upper
// case. Ocids are compared case-sensitively, so it is said (a warning that says why), not taken for a
// prefix that is not one (an error)
test('an ocid whose prefix is a registered one (or the expected one) in upper case is a warning of its own', () => {
  const prefixRules = (c: ReleaseChecker, ocid: string, more: Record<string, unknown> = {}): Array<[string, string, string]> =>
    c.check({ ocid, id: ocid, ...more }).filter((f) => f.rule.startsWith('check.ocid-prefix')).map((f) => [f.rule, f.severity, f.message]);
  const any = new ReleaseChecker({ now: '2026-01-01T00:00:00Z' });
  expect(prefixRules(any, 'OCDS-87SD3T-SEFIN-1')).toEqual([['check.ocid-prefix-case', 'warning', 'ocid "OCDS-87SD3T-SEFIN-1" starts with OCDS-87SD3T, a registered prefix in upper case: prefixes are issued lower-case (ocds-87sd3t) and ocids are compared case-sensitively (it matches no ocid starting ocds-87sd3t-)']]);
  expect(prefixRules(any, 'Ocds-87sd3t-1').map(([r]) => r)).toEqual(['check.ocid-prefix-case']);
  // the rest of the ocid is the publisher's: its case is not the prefix's
  expect(prefixRules(any, 'ocds-87sd3t-SEFIN-1')).toEqual([]);
  const expected = new ReleaseChecker({ ocidPrefix: 'ocds-abc123', now: '2026-01-01T00:00:00Z' });
  expect(prefixRules(expected, 'OCDS-ABC123-1')).toEqual([['check.ocid-prefix-case', 'warning', expect.stringMatching(/^ocid "OCDS-ABC123-1" starts with OCDS-ABC123, the expected prefix ocds-abc123 in upper case: .*\(ocds-abc123\)/)]]);
  // another publisher's prefix in upper case is still not the expected one
  expect(prefixRules(expected, 'OCDS-ZZZ999-1')).toEqual([['check.ocid-prefix', 'error', 'ocid "OCDS-ZZZ999-1" does not start with ocds-abc123']]);
  // in a run, a DECP release is held to our prefix, a partner's to a registered one's form
  const run = new ReleaseChecker({ ocidPrefix: 'ocds-78apv2', ocidPrefixForDecpOnly: true, now: '2026-01-01T00:00:00Z' });
  expect(prefixRules(run, 'OCDS-78APV2-1', { x_decp: {} }).map(([r]) => r)).toEqual(['check.ocid-prefix-case']);
  expect(prefixRules(run, 'OCDS-ABC123-1').map(([r]) => r)).toEqual(['check.ocid-prefix-case']);
});

// Found by a probe: the checks knew the open codelists and organisation references by name, and missed
// tender.awardCriteria, submissionMethod, additionalProcurementCategories, items' unit.scheme, tender
// and bids' tenderers, transactions' payer and payee. They now come from the schema.
test('the open codelists and organisation references a probe found unchecked are checked', () => {
  const found = (r: Record<string, unknown>): string[][] => new ReleaseChecker({ now: '2026-01-01T00:00:00Z' }).check(r).filter((f) => f.rule === 'check.open-codelist' || f.rule === 'check.unknown-party').map((f) => [f.rule, f.pointer, f.message]);
  expect(found({
    ocid: 'ocds-abc123-1', id: '1', parties: [{ id: 'B', roles: ['buyer'] }], buyer: { id: 'B' },
    tender: { id: 't', awardCriteria: 'cheapestBid', submissionMethod: ['written', 'carrierPigeon'], additionalProcurementCategories: ['spaceships'], items: [{ id: 'i', unit: { scheme: 'MYUNITS' } }], tenderers: [{ id: 'B' }, { id: 'GHOST1' }], lots: [{ id: 'l', additionalProcurementCategories: ['consultingServices', 'rockets'], buyer: { id: 'GHOST6' } }] },
    bids: { details: [{ id: 'b', tenderers: [{ id: 'GHOST2' }] }] },
    awards: [{ id: 'a', items: [{ id: 'i', unit: { scheme: 'UNCEFACT' } }] }],
    contracts: [{ id: 'c', awardID: 'a', items: [{ id: 'i', unit: { scheme: 'QUDT2' } }], implementation: { transactions: [{ id: 'x', payer: { id: 'GHOST3' }, payee: { id: 'B' } }], tariffs: [{ id: 'f', unit: { scheme: 'MYTARIFFUNITS' } }] } }],
  })).toEqual([
    ['check.open-codelist', '/tender/awardCriteria', '"cheapestBid" is not in the awardCriteria codelist'],
    ['check.open-codelist', '/tender/submissionMethod/1', '"carrierPigeon" is not in the submissionMethod codelist'],
    ['check.open-codelist', '/tender/additionalProcurementCategories/0', '"spaceships" is not in the extendedProcurementCategory codelist'],
    ['check.open-codelist', '/tender/items/0/unit/scheme', '"MYUNITS" is not in the unitClassificationScheme codelist'],
    ['check.unknown-party', '/tender/tenderers/1/id', '"GHOST1" is in no party of this release'],
    ['check.open-codelist', '/tender/lots/0/additionalProcurementCategories/1', '"rockets" is not in the extendedProcurementCategory codelist'],
    ['check.unknown-party', '/tender/lots/0/buyer/id', '"GHOST6" is in no party of this release'],
    ['check.unknown-party', '/bids/details/0/tenderers/0/id', '"GHOST2" is in no party of this release'],
    ['check.open-codelist', '/contracts/0/items/0/unit/scheme', '"QUDT2" is not in the unitClassificationScheme codelist'],
    ['check.unknown-party', '/contracts/0/implementation/transactions/0/payer/id', '"GHOST3" is in no party of this release'],
    ['check.open-codelist', '/contracts/0/implementation/tariffs/0/unit/scheme', '"MYTARIFFUNITS" is not in the unitClassificationScheme codelist'],
  ]);
  // a code field given a list, a list of codes (or of references) given one: the schema's type error, not a code of the list
  expect(found({ ocid: 'o', id: '2', buyer: [{ id: 'GHOST' }], tender: { id: 't', awardCriteria: ['x'], submissionMethod: 'y', tenderers: { id: 'GHOST' } } })).toEqual([]);
});

describe('open codelists and organisation references, against the official schema and codelists in ../shared', () => {
  type J = Record<string, unknown>;
  const OCDS = join(SHARED, 'ocds');
  const readJson = (p: string): J => JSON.parse(readFileSync(p, 'utf8')) as J;
  // ours and the lots extension (submissionTerms first: lots refers to its definitions)
  const extensions = [...DECLARED_EXTENSIONS, 'submissionTerms', 'lots'];
  let official: unknown = readJson(join(OCDS, '1.1.5/release-schema.json'));
  for (const e of extensions) official = mergePatch(official, readJson(join(OCDS, 'extensions', e, 'release-schema.json')));
  const root = official as J;

  /** Every place of a release the official schema gives an open codelist or an OrganizationReference (array items at index 0). */
  const positions: Array<{ path: Array<string | number>; codelist?: string }> = [];
  const visit = (properties: unknown, path: Array<string | number>, stack: readonly string[]): void => {
    for (const [key, raw] of Object.entries((properties ?? {}) as J)) {
      const deref = (x: J): [J, string | undefined] => {
        const ref = x['$ref'] as string | undefined;
        return ref === undefined ? [x, undefined] : [{ ...(root['definitions'] as J)[ref.replace('#/definitions/', '')] as J, ...x }, ref];
      };
      const [field, fieldRef] = deref(raw as J);
      const array = ([] as unknown[]).concat(field['type']).includes('array');
      const at = [...path, key];
      if (field['openCodelist'] === true) positions.push({ path: array ? [...at, 0] : at, codelist: field['codelist'] as string });
      if (array && field['items'] === undefined) continue;
      const [item, ref] = array ? deref(field['items'] as J) : [field, fieldRef];
      const itemPath = array ? [...at, 0] : at;
      if (ref !== undefined && stack.includes(ref)) continue;
      if (ref === '#/definitions/OrganizationReference') positions.push({ path: itemPath });
      else visit(item['properties'], itemPath, ref === undefined ? stack : [...stack, ref]);
    }
  };
  visit(root['properties'], [], []);

  /** A codelist's codes: its CSV (the standard's or an extension's) with what extensions add (+name.csv) or take out (-name.csv). */
  const csvCodes = (file: string): string[] => {
    const rows: string[][] = [[]];
    let cell = '';
    let quoted = false;
    const text = readFileSync(file, 'utf8');
    const end = (): void => {
      rows[rows.length - 1]!.push(cell);
      cell = '';
    };
    for (let k = 0; k < text.length; k++) {
      const ch = text[k]!;
      if (quoted) {
        if (ch === '"' && text[k + 1] === '"') {
          cell += '"';
          k++;
        } else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') end();
      else if (ch === '\n') {
        end();
        rows.push([]);
      } else if (ch !== '\r') cell += ch;
    }
    if (cell !== '') rows[rows.length - 1]!.push(cell);
    const column = rows[0]!.indexOf('Code');
    return rows.slice(1).filter((r) => r.length > column).map((r) => r[column]!);
  };
  const officialCodes = (name: string): string[] => {
    const dirs = [join(OCDS, '1.1.5/codelists'), ...extensions.map((e) => join(OCDS, 'extensions', e, 'codelists'))].filter(existsSync);
    const base = dirs.map((d) => join(d, name)).find(existsSync);
    const codes = new Set(base === undefined ? [] : csvCodes(base));
    for (const d of dirs) {
      for (const f of readdirSync(d)) {
        if (f === `+${name}`) for (const c of csvCodes(join(d, f))) codes.add(c);
        if (f === `-${name}`) for (const c of csvCodes(join(d, f))) codes.delete(c);
      }
    }
    return [...codes].sort();
  };

  test('we hold every open codelist of the official schema, with the official codes, and no other', () => {
    const names = [...new Set(positions.flatMap((p) => (p.codelist === undefined ? [] : [p.codelist])))].sort();
    expect(names).toContain('unitClassificationScheme.csv');
    expect(Object.keys(OPEN_CODELISTS).sort()).toEqual(names);
    for (const name of names) expect([name, [...OPEN_CODELISTS[name]!].sort()]).toEqual([name, officialCodes(name)]);
    // (tariffs adds its document types to the standard's)
    expect(OPEN_CODELISTS['documentType.csv']!.has('tariffMethod')).toBe(true);
  });

  test('a code outside its list and a reference to no party are found at every place the official schema has them', () => {
    const release: J = { ocid: 'ocds-abc123-1', id: '1' };
    const expected: string[] = [];
    for (const p of positions) {
      let into: J | unknown[] = release;
      p.path.forEach((k, j) => {
        const last = j === p.path.length - 1;
        const next = p.path[j + 1];
        const slot = into as Record<string | number, unknown>;
        if (last) slot[k] = p.codelist === undefined ? { id: 'GHOST' } : 'notACode';
        else into = (slot[k] ??= typeof next === 'number' ? [] : {}) as J | unknown[];
      });
      const pointer = `/${p.path.join('/')}`;
      expected.push(p.codelist === undefined ? `check.unknown-party ${pointer}/id` : `check.open-codelist ${pointer}`);
    }
    expect(expected.length).toBeGreaterThan(60);
    expect(expected).toEqual(expect.arrayContaining(['check.unknown-party /contracts/0/implementation/transactions/0/payee/id', 'check.unknown-party /awards/0/subcontracting/subcontracts/0/mainContractors/0/id', 'check.open-codelist /bids/details/0/items/0/unit/scheme', 'check.open-codelist /tender/lots/0/additionalProcurementCategories/0']));
    const found = new ReleaseChecker({ now: '2026-01-01T00:00:00Z' }).check(release).filter((f) => f.rule === 'check.open-codelist' || f.rule === 'check.unknown-party').map((f) => `${f.rule} ${f.pointer}`);
    expect(found.sort()).toEqual(expected.sort());
  });
});

// 00000000000000 passes the Luhn check (its sum is 0), yet convert takes it for no organisation: a
// buyer's rejects the record (TRANSFORM_NO_BUYER_ID), a supplier's is no party (ID_PLACEHOLDER). The
// check reads every identifier with convert's own predicate, whatever its type (found by a probe)
test('DECP checks: an identifier convert takes for a placeholder is said, for the buyer and every party, whatever its type', () => {
  const rec = {
    id: 'Z1', acheteur: { id: '00000000000000' },
    titulaires: [{ typeIdentifiant: 'SIRET', id: '00000000000000' }, { typeIdentifiant: 'TVA', id: 'N.C.' }, { id: '0' }, { typeIdentifiant: 'SIRET', id: '123' }],
    modifications: [{ titulaires: [{ id: '99999999999999' }] }],
    actesSousTraitance: [{ sousTraitant: { typeIdentifiant: 'SIRET', id: '-' } }],
  };
  expect(new DecpChecker().check('marche', rec).map((f) => [f.rule, f.pointer, f.severity])).toEqual([
    ['decp.id-placeholder', '/acheteur/id', 'error'],
    ['decp.id-placeholder', '/titulaires/0/id', 'error'],
    ['decp.id-placeholder', '/titulaires/1/id', 'error'],
    ['decp.id-placeholder', '/titulaires/2/id', 'error'],
    ['decp.siret', '/titulaires/3/id', 'error'],
    ['decp.id-placeholder', '/modifications/0/titulaires/0/id', 'error'],
    ['decp.id-placeholder', '/actesSousTraitance/0/sousTraitant/id', 'error'],
  ]);
  expect(new DecpChecker().check('marche', rec)[0]!.message).toBe('"00000000000000" is a placeholder, not an organisation\'s identifier: convert rejects the record (TRANSFORM_NO_BUYER_ID)');
  // a concession's authority is its buyer; a real SIRET is no placeholder
  expect(new DecpChecker().check('contrat-concession', { id: 'Z2', autoriteConcedante: { id: 'NC' }, concessionnaires: [{ id: '21350238800019' }] }).map((f) => [f.rule, f.pointer, f.message])).toEqual([
    ['decp.id-placeholder', '/autoriteConcedante/id', '"NC" is a placeholder, not an organisation\'s identifier: convert rejects the record (TRANSFORM_NO_BUYER_ID)'],
  ]);
});

// a record id that names no contract (`0`, `NC`, `00000`, `-`, `N/A`) was said nowhere, yet convert
// does something of its own with it: the record is a process of its own, named by the id and its
// award id (ID_PLACEHOLDER), never joined to the buyer's other records of that id (found by a review)
test('DECP checks: a record id convert takes for a placeholder is said, with what convert does; records sharing it are no duplicate ids', () => {
  const ids = (id: unknown, type = 'marche'): string[][] => new DecpChecker().check(type, { id, [type === 'marche' ? 'acheteur' : 'autoriteConcedante']: { id: '21350238800019' } }).map((f) => [f.rule, f.pointer, String(f.value)]);
  for (const id of ['0', 'NC', '00000', '-', 'N/A', ' n.c. ', '99999999', 'Non communiqué', 0]) expect(ids(id)).toEqual([['decp.id-placeholder', '/id', String(id)]]);
  expect(ids('NC', 'contrat-concession')).toEqual([['decp.id-placeholder', '/id', 'NC']]);
  // ids that name a contract (a short counter, seven nines), and an empty one (the schema's: convert rejects it)
  for (const id of ['2024-001', '1', '9999999', 'X0', '']) expect(ids(id)).toEqual([]);
  const [finding] = new DecpChecker().check('marche', { id: ' 0 ', acheteur: { id: '21350238800019' } });
  expect(finding).toMatchObject({ rule: 'decp.id-placeholder', severity: 'error', pointer: '/id', value: ' 0 ' });
  expect(finding!.message).toBe('" 0 " is a placeholder, not a contract\'s identifier: convert names the record\'s process by it and its award (ocid <prefix>-<buyer>-<id>-<award id>, the award id made of the CPV, object, suppliers, notification date and amount, ID_PLACEHOLDER): it joins only a publication of the same award, never another contract of its buyer');
  // the same placeholder on another record of the buyer: no decp.duplicate-id (the records stay apart); a real id shared still is one
  const d = new DecpChecker();
  d.check('marche', { id: 'NC', acheteur: { id: '21350238800019' }, objet: 'a' });
  expect(d.check('marche', { id: 'NC', acheteur: { id: '21350238800019' }, objet: 'b' }).map((f) => f.rule)).toEqual(['decp.id-placeholder']);
  d.check('marche', { id: 'L1', acheteur: { id: '21350238800019' }, objet: 'a' });
  expect(d.check('marche', { id: 'L1', acheteur: { id: '21350238800019' }, objet: 'b' }).map((f) => f.rule)).toEqual(['decp.duplicate-id']);
});

// records without an id (`""`, as 33 records of a real buyer-profile export, or none) were each said
// to share "buyer X and id """ with the one before: they are no lots nor republications of one
// contract, their missing id is the schema's finding, and convert rejects them (found by an audit)
test('DECP checks: records without an id are no duplicate ids of each other; records sharing a real id still are', () => {
  const d = new DecpChecker();
  const buyer = { id: '21590163800019' };
  expect(d.check('marche', { id: '', acheteur: buyer, objet: 'a' })).toEqual([]);
  expect(d.check('marche', { id: '', acheteur: buyer, objet: 'b' })).toEqual([]);
  expect(d.check('marche', { id: '  ', acheteur: buyer, objet: 'c' })).toEqual([]);
  expect(d.check('marche', { acheteur: buyer, objet: 'd' })).toEqual([]);
  expect(d.check('marche', { acheteur: buyer, objet: 'e' })).toEqual([]);
  d.check('marche', { id: '202117F000000000', acheteur: buyer, objet: 'lot 1' });
  expect(d.check('marche', { id: '202117F000000000', acheteur: buyer, objet: 'lot 2' }).map((f) => [f.rule, f.pointer, f.message])).toEqual([
    ['decp.duplicate-id', '/id', 'another record has buyer 21590163800019 and id "202117F000000000"'],
  ]);
  // the same content twice is still said, id or none
  expect(d.check('marche', { id: '', acheteur: buyer, objet: 'a' }).map((f) => f.rule)).toEqual(['decp.duplicate']);
});

// `"dateNotification": "0218-10-29"` (a real buyer-profile export: 2018 typed 0218) passed every check,
// yet convert leaves that date out of the release (DATE_IMPOSSIBLE_YEAR): said where it is, as convert reads it (found by an audit)
test('DECP checks: a date of a year convert refuses (before 1990, after 2100) is said, at any depth, in every form convert reads', () => {
  const rec = {
    id: '021803cloture00', acheteur: { id: '21350238800019' }, dateNotification: '0218-10-29', datePublicationDonnees: '2018-12-26',
    modifications: [{ modification: { id: 1, dateNotificationModification: '29/10/2918', datePublicationDonneesModification: '2019-01-02' } }],
    actesSousTraitance: [{ acteSousTraitance: { dateNotificationActeSousTraitance: '1989-12-31+01:00' } }],
    objet: '0218-10-29 is not a date field',
  };
  expect(new DecpChecker().check('marche', rec).map((f) => [f.rule, f.pointer, f.severity, f.value])).toEqual([
    ['decp.date-year', '/dateNotification', 'warning', '0218-10-29'],
    ['decp.date-year', '/modifications/0/modification/dateNotificationModification', 'warning', '29/10/2918'],
    ['decp.date-year', '/actesSousTraitance/0/acteSousTraitance/dateNotificationActeSousTraitance', 'warning', '1989-12-31+01:00'],
  ]);
  expect(new DecpChecker().check('marche', rec)[0]!.message).toBe('"0218-10-29": a year before 1990 or after 2100, which convert takes for a typo and leaves out of the release (DATE_IMPOSSIBLE_YEAR)');
  // years convert takes, and days that do not exist (decp.date's), are not this rule's
  expect(new DecpChecker().check('marche', { id: 'A2', acheteur: { id: '21350238800019' }, dateNotification: '1990-01-01', datePublicationDonnees: '2100-12-31', dateDebutExecution: '0218-02-30' }).map((f) => f.rule)).toEqual(['decp.date']);
});

// convert reads `N° SIRET`, `Numéro SIRET` as SIRET (settings.idTypes, ID_TYPE_RESPELLED) and checks
// its key; validate --decp checked the key under the exact label `SIRET` only (found by a probe)
test('DECP checks: a SIRET under a type the profile spells otherwise is checked as convert checks it; a type it does not know is not', async () => {
  const L = createLocale((await loadProfile()).settings);
  const rec = {
    id: 'S1', acheteur: { id: '21350238800019' },
    titulaires: [{ typeIdentifiant: 'N° SIRET', id: '12345678901234' }, { typeIdentifiant: ' siret ', id: '123' }, { typeIdentifiant: 'SIREN', id: '123456789' }, { typeIdentifiant: 'TVA', id: 'FR12345678901' }, { id: '21350238800019' }],
  };
  expect(new DecpChecker(L).check('marche', rec).map((f) => [f.rule, f.pointer])).toEqual([
    ['decp.siret', '/titulaires/0/id'],
    ['decp.siret', '/titulaires/1/id'],
  ]);
  // without the profile's spellings, the label is another type's
  expect(new DecpChecker().check('marche', rec).map((f) => [f.rule, f.pointer])).toEqual([['decp.siret', '/titulaires/1/id']]);
});

// an auditor told "another record has buyer X and id Y" had to search every file for it (a probe)
test('DECP checks: a duplicate and a record sharing its buyer and id say where the first was read', () => {
  const c = new DecpChecker();
  const rec = { id: 'D1', acheteur: { id: '21350238800019' }, objet: 'a' };
  expect(c.check('marche', rec, { file: 'a/2019.json', line: 1, index: 12 })).toEqual([]);
  expect(c.check('marche', { ...rec, objet: 'b' }, { file: 'b.xml', line: 3, index: 0 }).map((f) => [f.rule, f.message])).toEqual([['decp.duplicate-id', 'another record has buyer 21350238800019 and id "D1", first read at a/2019.json line 1, index 12']]);
  expect(c.check('marche', rec, { file: 'b.xml', line: 40, index: 1 }).map((f) => [f.rule, f.message])).toEqual([['decp.duplicate', 'this record was already read (same content), first read at a/2019.json line 1, index 12']]);
  // a record read without a place (a library's caller): no place said
  expect(c.check('marche', { ...rec, id: 'D2' })).toEqual([]);
  expect(c.check('marche', { ...rec, id: 'D2', objet: 'c' }, { file: 'c.json', line: 1 }).map((f) => f.message)).toEqual(['another record has buyer 21350238800019 and id "D2"']);
});

test('dates are compared as instants whatever the machine\'s time zone: one without a zone is UTC, as compile and the store read it; a day past its month\'s end is no date', () => {
  // a tender period opening at 10:00 (no zone: 10:00 UTC), an award at 11:00+01:00 (10:00 UTC), its
  // contract signed at 10:30 (no zone: UTC): in order (Date.parse read them in the machine's zone:
  // the award before the tender in Bogota, the contract before its award in Tokyo)
  const zoneless = { ocid: 'ocds-78apv2-tz', id: 'tz', date: '2024-03-01T12:00:00Z', tender: { id: 't', tenderPeriod: { startDate: '2024-03-01T10:00:00' } }, awards: [{ id: 'a', date: '2024-03-01T11:00:00+01:00' }], contracts: [{ id: 'c', awardID: 'a', dateSigned: '2024-03-01T10:30:00' }] };
  // a date a day and a half ahead of the run, without its zone: in the future on every machine
  const future = { ocid: 'ocds-78apv2-tz2', id: 'tz2', date: '2026-01-02T12:30:00' };
  // 2024-02-30 (read as 2024-03-01 by Date.parse) is after nothing and before nothing
  const impossible = { ocid: 'ocds-78apv2-tz3', id: 'tz3', awards: [{ id: 'a', date: '2024-03-01T12:00:00Z' }], contracts: [{ id: 'c', awardID: 'a', dateSigned: '2024-02-30T00:00:00Z' }] };
  // (the machine's zone is the process's: a child process per zone, on the built checker — jest's
  // sandbox does not pass process.env.TZ on to the clock)
  const script = `import { ReleaseChecker } from ${JSON.stringify(pathToFileURL(join(process.cwd(), 'dist/validate/checks.js')).href)};
    const c = new ReleaseChecker({ now: '2026-01-01T00:00:00Z' });
    const rs = ${JSON.stringify([zoneless, future, impossible])};
    console.log(JSON.stringify(rs.map((r) => c.check(r).filter((f) => f.rule.startsWith('check.date')).map((f) => [f.rule, f.pointer]))));`;
  for (const tz of ['UTC', 'Europe/Paris', 'America/Bogota', 'Asia/Tokyo']) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
    expect([tz, JSON.parse(out)]).toEqual([tz, [[], [['check.date-future', '/date']], []]]);
  }
});
