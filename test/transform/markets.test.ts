/** A contract's market (src/transform/markets.ts, contracts.market): pure, and as flatten gives it. */
import { marketOf, ocidPrefix, schemeCountry } from '../../src/transform/markets.js';
import { flattenProcess } from '../../src/transform/flatten.js';
import { compileReleases, mergeRulesFromSchema, type JsonValue } from '../../src/transform/compile/merge.js';
import { loadReleaseSchema } from '../../src/validate/schema-store.js';

type Obj = { [k: string]: JsonValue };

test('schemeCountry: the ISO country an org-id scheme begins with; none for the lists of no country and other shapes', () => {
  expect(['FR-RCS', 'UA-EDR', 'co-rue', 'GB-COH', 'PY-PGN'].map(schemeCountry)).toEqual(['FR', 'UA', 'CO', 'GB', 'PY']);
  expect(['XI-IATI', 'XM-DAC', 'EU-VAT', 'ZZ-X', 'SIRET', 'F-RCS', '12-AB', '', null, undefined].map(schemeCountry)).toEqual(Array(10).fill(null));
});

test('ocidPrefix: the registered prefix, lower-cased; none without one', () => {
  expect(ocidPrefix('OCDS-87SD3T-SEFIN-DRM-AD-024-2016')).toBe('ocds-87sd3t');
  expect(ocidPrefix('ocds-03ad3f-284182')).toBe('ocds-03ad3f');
  expect(ocidPrefix('ocds-abc-1')).toBeNull();
  expect(ocidPrefix('no-prefix-1')).toBeNull();
});

test('marketOf: FR for DECP whatever its buyer; else the smallest country of its buyer\'s schemes; else its ocid\'s prefix; else none', () => {
  expect(marketOf('ocds-78apv2-1', '2019', ['UA-EDR'])).toBe('FR');
  expect(marketOf('ocds-78apv2-1', null, ['FR-RCS'])).toBe('FR');
  expect(marketOf('ocds-78apv2-co', null, ['CO-RUE'])).toBe('CO');
  expect(marketOf('ocds-be6bcu-UA-1', null, [null, 'XI-IATI', 'UA-EDR', 'PL-KRS'])).toBe('PL');
  expect(marketOf('OCDS-87SD3T-SEFIN-1', null, ['XI-IATI'])).toBe('ocds-87sd3t');
  expect(marketOf('ocds-03ad3f-284182', null, [])).toBe('ocds-03ad3f');
  expect(marketOf('no-prefix-1', null, [null])).toBeNull();
});

test('flatten gives each contract its market: a partner\'s by its buyer\'s scheme (not a supplier\'s), a DECP one FR', async () => {
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const release = (extra: Obj): Obj => ({
    ocid: 'ocds-be6bcu-UA-2017-1',
    id: 'r1',
    date: '2017-04-10T00:00:00Z',
    tag: ['contract'],
    parties: [
      { id: 'UA-EDR-05536797', name: 'Buyer', identifier: { scheme: 'UA-EDR', id: '05536797' }, roles: ['buyer'] },
      { id: 'PL-KRS-1', name: 'Supplier', identifier: { scheme: 'PL-KRS', id: '1' }, roles: ['supplier'] },
    ],
    buyer: { id: 'UA-EDR-05536797' },
    awards: [{ id: 'a1', suppliers: [{ id: 'PL-KRS-1' }] }],
    contracts: [{ id: 'c1', awardID: 'a1', value: { amount: 10, currency: 'UAH' } }],
    ...extra,
  });
  const marketOfRelease = (r: Obj): JsonValue | undefined => {
    const { compiledRelease } = compileReleases([r], rules);
    return flattenProcess(r['ocid'] as string, [{ release: r, sourceSha256: 'aa', sourceIndex: 0 }], compiledRelease).contracts[0]?.['market'];
  };
  expect(marketOfRelease(release({}))).toBe('UA');
  // its buyer without an identifier: its publisher's
  expect(marketOfRelease(release({ parties: [{ id: 'b', name: 'Buyer', roles: ['buyer'] }], buyer: { id: 'b' } }))).toBe('ocds-be6bcu');
  // DECP (a DECP generation)
  expect(marketOfRelease(release({ x_decp: { recordType: 'marche', formatVersion: '2024' } }))).toBe('FR');
});
