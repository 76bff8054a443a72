/** Where a contract is performed: French départements and régions from the places DECP and OCDS give (src/transform/places.ts). */
import { departementOfCode, departementOfFiveChars, FRENCH_REGIONS, placeOfItems, REGION_OF_DEPARTEMENT, regionOfCode } from '../../src/transform/places.js';
import { compileReleases, mergeRulesFromSchema, type JsonValue } from '../../src/transform/compile/merge.js';
import { flattenProcess } from '../../src/transform/flatten.js';
import { loadReleaseSchema } from '../../src/validate/schema-store.js';
import { marche, releasesById, type J } from '../helpers/decp-records.js';

type Obj = { [k: string]: JsonValue };

test('the reference tables: 101 départements in the 18 régions of 2016, each région with its own', () => {
  expect(REGION_OF_DEPARTEMENT.size).toBe(101);
  expect(Object.keys(FRENCH_REGIONS)).toHaveLength(18);
  expect(new Set(REGION_OF_DEPARTEMENT.values())).toEqual(new Set(Object.keys(FRENCH_REGIONS)));
  // (spot checks of the INSEE codes)
  expect(REGION_OF_DEPARTEMENT.get('53')).toBe('52'); // Mayenne, Pays de la Loire
  expect(REGION_OF_DEPARTEMENT.get('35')).toBe('53'); // Ille-et-Vilaine, Bretagne
  expect(REGION_OF_DEPARTEMENT.get('75')).toBe('11');
  expect(REGION_OF_DEPARTEMENT.get('2B')).toBe('94');
  expect(REGION_OF_DEPARTEMENT.get('976')).toBe('06');
});

test('a postal or commune code: its département (Corsica by the third digit of a postal code, 2A/2B in a commune code; overseas by three digits); Monaco, overseas collectivities, countries and junk: none', () => {
  expect(departementOfFiveChars('75001')).toBe('75');
  expect(departementOfFiveChars('01000')).toBe('01');
  expect(departementOfFiveChars('20000')).toBe('2A'); // Ajaccio
  expect(departementOfFiveChars('20167')).toBe('2A');
  expect(departementOfFiveChars('20200')).toBe('2B'); // Bastia
  expect(departementOfFiveChars('20600')).toBe('2B');
  expect(departementOfFiveChars('2A004')).toBe('2A');
  expect(departementOfFiveChars('2B033')).toBe('2B');
  expect(departementOfFiveChars('97400')).toBe('974');
  expect(departementOfFiveChars('97600')).toBe('976');
  for (const none of ['98000', '97500', '99134', '00100', '7500', '750011', 'ABCDE', '20300']) expect(departementOfFiveChars(none)).toBeNull();
});

test('a département code (a lost or an extra leading zero put right) and a région code (one of before 2016 as the région it joined)', () => {
  expect(departementOfCode('59')).toBe('59');
  expect(departementOfCode('1')).toBe('01');
  expect(departementOfCode('078')).toBe('78');
  expect(departementOfCode('2a')).toBe('2A');
  expect(departementOfCode('971')).toBe('971');
  for (const none of ['20', '96', '00', '975', '33000', 'DEP']) expect(departementOfCode(none)).toBeNull();
  expect(regionOfCode('53')).toBe('53');
  expect(regionOfCode('82')).toBe('84'); // Rhône-Alpes → Auvergne-Rhône-Alpes
  expect(regionOfCode('31')).toBe('32'); // Nord-Pas-de-Calais → Hauts-de-France
  for (const none of ['10', '820', '59']) expect(regionOfCode(none)).toBeNull();
});

test("a contract's place from its items: the DECP type tells a département from a région in `region`; locations of the COG and NUTS; another country's region as given; items that disagree give none", () => {
  const fr = (a: Obj): Obj => ({ id: '1', deliveryAddresses: [{ countryName: 'France', ...a }] });
  expect(placeOfItems([fr({ postalCode: '35000' })], true, 'Code postal')).toEqual({ departement: '35', region: '53' });
  // "53": Mayenne as a département, Bretagne as a région
  expect(placeOfItems([fr({ region: '53' })], true, 'Code département')).toEqual({ departement: '53', region: '52' });
  expect(placeOfItems([fr({ region: '53' })], true, 'Code région')).toEqual({ departement: null, region: '53' });
  // a "Code département" holding a postal or commune code, as platforms fill it: its département
  expect(placeOfItems([fr({ region: '33000' })], true, 'Code département')).toEqual({ departement: '33', region: '75' });
  expect(placeOfItems([fr({ region: '2A004' })], true, 'Code département')).toEqual({ departement: '2A', region: '94' });
  // (under "Code région", five characters name no région)
  expect(placeOfItems([fr({ region: '33000' })], true, 'Code région')).toEqual({ departement: null, region: null });
  expect(placeOfItems([fr({ region: '53' })], true, 'Code Région')).toEqual({ departement: null, region: '53' });
  // a région code that is none: no place (its type may be wrong, its code may be: not guessed)
  expect(placeOfItems([fr({ region: '10' })], true, 'Code région')).toEqual({ departement: null, region: null });
  expect(placeOfItems([{ id: '1', deliveryLocations: [{ gazetteer: { scheme: 'FR-COG', identifiers: ['69123'] } }] }], true, 'Code commune')).toEqual({ departement: '69', region: '84' });
  expect(placeOfItems([{ id: '1', deliveryLocations: [{ gazetteer: { scheme: 'FR-COG', identifiers: ['17'] } }] }], true, 'Code commune')).toEqual({ departement: '17', region: '75' });
  // an arrondissement's code is its département's and a digit (found by a review: Ain's 011 read as the Aude), a canton's two
  expect(['011', '2A1', '9711', '0101', '13', '971'].map((code) => placeOfItems([{ id: '1', deliveryLocations: [{ gazetteer: { scheme: 'FR-COG', identifiers: [code] } }] }], true, 'Code arrondissement').departement)).toEqual(['01', '2A', '971', '01', '13', '971']);
  // a country of the COG (99134, Spain) is no French place
  expect(placeOfItems([{ id: '1', deliveryLocations: [{ gazetteer: { scheme: 'FR-COG', identifiers: ['99134'] } }] }], true, 'Code pays')).toEqual({ departement: null, region: null });
  expect(placeOfItems([{ id: '1', deliveryLocations: [{ gazetteer: { scheme: 'NUTS', identifiers: ['FRK26'] } }] }], true, 'Code NUTS')).toEqual({ departement: null, region: '84' });
  expect(placeOfItems([{ id: '1', deliveryLocations: [{ gazetteer: { scheme: 'NUTS', identifiers: ['FRY40'] } }] }], false, null)).toEqual({ departement: null, region: '04' });
  // a description alone, a country alone: none
  expect(placeOfItems([{ id: '1', deliveryLocations: [{ description: 'Rennes' }] }, { id: '2', deliveryAddresses: [{ countryName: 'France' }] }], true, null)).toEqual({ departement: null, region: null });
  // a partner's address: its region as given; a postal code abroad is no French département
  expect(placeOfItems([{ id: '1', deliveryAddresses: [{ countryName: 'Colombia', region: 'Valle del Cauca', postalCode: '76001' }] }], false, null)).toEqual({ departement: null, region: 'Valle del Cauca' });
  // several items: one place when they agree (two communes of Ille-et-Vilaine), the région only when they share it, none otherwise
  expect(placeOfItems([fr({ postalCode: '35000' }), fr({ postalCode: '35400' })], false, null)).toEqual({ departement: '35', region: '53' });
  expect(placeOfItems([fr({ postalCode: '35000' }), fr({ postalCode: '29200' })], false, null)).toEqual({ departement: null, region: '53' });
  expect(placeOfItems([fr({ postalCode: '35000' }), fr({ postalCode: '75001' })], false, null)).toEqual({ departement: null, region: null });
});

test('DECP records to the store: contracts.place_departement and place_region from lieuExecution as published', async () => {
  const place = (code: unknown, typeCode: string): J => ({ lieuExecution: { code, typeCode, nom: 'x' } });
  const records = [
    marche('P1', place('35000', 'Code postal')),
    marche('P2', place('53', 'Code département')),
    marche('P3', place('53', 'Code région')),
    marche('P4', place('2A004', 'Code commune')),
    // a number that lost its zero, labelled a département
    marche('P5', place(1, 'Code département')),
    marche('P6', place('France entière', 'Code pays')),
    marche('P7', {}),
  ];
  const byId = await releasesById(records, (tags) => tags.includes('award'));
  const rules = mergeRulesFromSchema((await loadReleaseSchema()).schema);
  const placeOf = (id: string): unknown => {
    const r = byId.get(id)! as Obj;
    const { compiledRelease } = compileReleases([r], rules);
    const c = flattenProcess(String(r['ocid']), [{ release: r, sourceSha256: 'aa', sourceIndex: 0 }], compiledRelease).contracts[0]!;
    return [c['place_departement'], c['place_region']];
  };
  expect(placeOf('P1')).toEqual(['35', '53']);
  expect(placeOf('P2')).toEqual(['53', '52']);
  expect(placeOf('P3')).toEqual([null, '53']);
  expect(placeOf('P4')).toEqual(['2A', '94']);
  expect(placeOf('P5')).toEqual(['01', '84']);
  expect(placeOf('P6')).toEqual([null, null]);
  expect(placeOf('P7')).toEqual([null, null]);
});
