import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertAll, PROFILE } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { absentPaths, compileProfile, listItems, presencePathName, readTreeOf, unreadOf, type MappingFlag, type MappingProfile } from '../../src/transform/profile.js';
import { createConverter } from '../../src/transform/decp/convert-record.js';
import { labelKey, TRANSFORMS } from '../../src/transform/functions.js';
import { createLocale } from '../../src/transform/locale.js';
import { checkProfile } from '../../src/transform/canonical.js';

describe('list shapes', () => {
  test.each([
    [[{ titulaire: { id: '1' } }, { titulaire: { id: '2' } }], 'titulaire', [{ id: '1' }, { id: '2' }]],
    [[{ id: '1' }], 'titulaire', [{ id: '1' }]],
    [{ technique: ['A', 'B'] }, 'technique', ['A', 'B']],
    [{ technique: 'A' }, 'technique', ['A']],
    // the wrapper item holding the whole list, alone or beside other items
    [[{ titulaire: [{ id: '1' }, { id: '2' }] }], 'titulaire', [{ id: '1' }, { id: '2' }]],
    [[{ titulaire: [{ id: '1' }] }, { titulaire: { id: '2' } }, { id: '3' }], 'titulaire', [{ id: '1' }, { id: '2' }, { id: '3' }]],
    ['A', 'technique', ['A']],
    // an object with the wrapper's name beside other keys is an item (a 2019 tariff), not a wrapper
    [{ intituleTarif: 'Entrée', tarif: 4.5 }, 'tarif', [{ intituleTarif: 'Entrée', tarif: 4.5 }]],
    [[{ intituleTarif: 'Entrée', tarif: 4.5 }], 'tarif', [{ intituleTarif: 'Entrée', tarif: 4.5 }]],
    // the spellings of one wrapper
    [[{ modificationActesSousTraitance: { id: '1' } }, { modificationActeSousTraitance: { id: '2' } }], ['modificationActeSousTraitance', 'modificationActesSousTraitance'], [{ id: '1' }, { id: '2' }]],
    [{ modificationActesSousTraitance: [{ id: '1' }] }, ['modificationActeSousTraitance', 'modificationActesSousTraitance'], [{ id: '1' }]],
    // lists inside the list however deep, wrappers however many (what converters of 2019 files wrote)
    [[[{ id: '1' }]], 'titulaire', [{ id: '1' }]],
    [[[[[{ id: '1' }, { id: '2' }]]], { id: '3' }], 'titulaire', [{ id: '1' }, { id: '2' }, { id: '3' }]],
    [[{ modification: { modification: { id: '1' } } }], 'modification', [{ id: '1' }]],
    [{ modification: { modification: [{ id: '1' }, { modification: { id: '2' } }] } }, 'modification', [{ id: '1' }, { id: '2' }]],
    [undefined, 'x', []],
    ['', 'x', []],
  ])('%j', (value, item, want) => expect(listItems(value, item)).toEqual(want));

  // a tariff's price is its `tarif`: an object of that one key is a tariff without its title, not a
  // wrapper around a price; one that holds an object (a tariff, a list of tariffs) wraps
  test.each([
    [[{ tarif: { tarif: 3.2 } }], [{ tarif: 3.2 }]],
    [[{ tarif: 9.1 }], [{ tarif: 9.1 }]],
    [{ tarif: 9.1 }, [{ tarif: 9.1 }]],
    [{ tarif: [{ tarif: 14.29 }, { intituleTarif: 'A', tarif: 5.5 }] }, [{ tarif: 14.29 }, { intituleTarif: 'A', tarif: 5.5 }]],
    [[{ tarif: { tarif: { tarif: '3,20' } } }], [{ tarif: '3,20' }]],
    [[{ tarif: ['3.2'] }], [{ tarif: ['3.2'] }]],
  ])('a list of objects whose items read the wrapper\'s name: %j', (value, want) => {
    expect(listItems(value, 'tarif', new Set(['intituleTarif', 'tarif']))).toEqual(want);
    // (the other lists, whose items read no key named as the wrapper, are unwrapped as before)
    expect(listItems([{ titulaire: 'ACME' }], 'titulaire', new Set(['id', 'denominationSociale']))).toEqual(['ACME']);
  });

  // a wrapper spelt in another case, accents or separators (a .NET or a PostgreSQL export) wraps as
  // its name does; a key the items read as spelt is no wrapper, and the tariff rule holds for its spellings
  test.each([
    [[{ Titulaire: { id: '1' } }, { TITULAIRE: { id: '2' } }], 'titulaire', undefined, [{ id: '1' }, { id: '2' }]],
    [{ typeprix: ['Définitif ferme', 'Ferme'] }, 'typePrix', undefined, ['Définitif ferme', 'Ferme']],
    [[{ acte_sous_traitance: { id: 1 } }], 'acteSousTraitance', new Set(['id']), [{ id: 1 }]],
    [[{ ModificationActesSousTraitance: { id: '1' } }], ['modificationActeSousTraitance', 'modificationActesSousTraitance'], new Set(['id']), [{ id: '1' }]],
    [[{ Modification: { Modification: { id: '1' } } }], 'modification', new Set(['id']), [{ id: '1' }]],
    [[{ id: '1' }], 'ID', new Set(['id']), [{ id: '1' }]],
    [[{ Tarif: 9.1 }], 'tarif', new Set(['intituleTarif', 'tarif']), [{ Tarif: 9.1 }]],
    [[{ Tarif: { tarif: 3.2 } }], 'tarif', new Set(['intituleTarif', 'tarif']), [{ tarif: 3.2 }]],
    [[{ titulaires: { id: '1' } }], 'titulaire', undefined, [{ titulaires: { id: '1' } }]],
  ])('a wrapper spelt otherwise: %j', (value, item, own, want) => expect(listItems(value, item, own)).toEqual(want));
});

describe('named transforms', () => {
  const ctx = (flags: MappingFlag[] = [], extra: Record<string, unknown> = {}) => ({ pointer: '/x', flags, ...extra });
  test('labels compare without case, accents or punctuation', () => {
    expect(labelKey("Appel d'offres ouvert")).toBe(labelKey('APPEL D OFFRES  OUVERT'));
    expect(labelKey('Procédure adaptée')).toBe('procedure adaptee');
  });
  test('labels of any script keep their letters: Cyrillic labels are not all one empty key', () => {
    expect(labelKey('ЄДРПОУ')).toBe('єдрпоу');
    expect(labelKey('РНОКПП')).not.toBe(labelKey('ЄДРПОУ'));
    expect(labelKey('Відкриті  торги!')).toBe('відкриті торги');
    // (a Cyrillic й keeps its breve: only Latin letters lose their accents)
    expect(labelKey('Київ й')).toBe('київ й');
    expect(labelKey('Œuvre, Straße')).toBe('oeuvre strasse');
    const flags: MappingFlag[] = [];
    const list = { 'Відкриті торги': 'open', 'Переговорна процедура': 'limited' };
    expect(TRANSFORMS.codelist('відкриті торги', ctx(flags, { codelist: list }))).toEqual({ code: 'open', label: 'відкриті торги' });
    expect(TRANSFORMS.codelist('Щось зовсім інше', ctx(flags, { codelist: list }))).toEqual({ code: null, label: 'Щось зовсім інше' });
    expect(flags).toEqual([{ code: 'CODE_UNKNOWN', pointer: '/x', raw: 'Щось зовсім інше' }]);
    const L = createLocale({ schemes: { ЄДРПОУ: 'UA-EDR', РНОКПП: 'UA-IPN' }, schemePrefix: 'UA-LOCAL-', personIdTypes: ['РНОКПП'] });
    expect([L.scheme('ЄДРПОУ'), L.scheme('РНОКПП'), L.scheme('ІНН')]).toEqual(['UA-EDR', 'UA-IPN', 'UA-LOCAL-ІНН']);
    expect([L.isPerson({ idType: 'РНОКПП', name: 'Ващилко Олександр' }), L.isPerson({ idType: 'ЄДРПОУ', name: 'ПП ПОЧАЙНА' })]).toEqual([true, false]);
    // a person's identifier type written with dots or spaces is that type (found by a probe: `D.N.I.` published the name)
    const ar = createLocale({ personIdTypes: ['DNI', 'Cédula de ciudadanía'] });
    expect(['D.N.I.', 'dni', 'D N I', 'C.U.I.T.', 'cedula  de ciudadania'].map((idType) => ar.isPerson({ idType, name: 'x' }))).toEqual([true, true, true, false, true]);
  });
  test.each([
    ['oui', true],
    ['Non', false],
    [true, true],
    [0, false],
    // one letter, as spreadsheets and ERPs write a yes/no column (found by a probe: BOOLEAN_UNPARSABLE, the value lost)
    ['O', true],
    [' n ', false],
    ['Y', true],
    ['X', undefined],
  ])('boolean(%j) = %j', (v, want) => expect(TRANSFORMS.boolean(v, ctx())).toBe(want));
  test('number reads a dot or a comma as a decimal point (DECP rates: "1.000" is 1); quantity reads a thousands group as the decimal separator says, flagged', () => {
    const flags: MappingFlag[] = [];
    expect(['1.000', '0,05', '1 500', 12].map((v) => TRANSFORMS.number(v, ctx(flags)))).toEqual([1, 0.05, 1500, 12]);
    expect(flags).toEqual([]);
    expect(['1.500', '1,500', '2,5', 7].map((v) => TRANSFORMS.quantity(v, ctx(flags)))).toEqual([1500, 1.5, 2.5, 7]);
    expect(flags.map((f) => [f.code, f.raw])).toEqual([
      ['NUMBER_SEPARATOR_AMBIGUOUS', '1.500'],
      ['NUMBER_SEPARATOR_AMBIGUOUS', '1,500'],
    ]);
    const dot: MappingFlag[] = [];
    expect(TRANSFORMS.quantity('1.500', ctx(dot, { amounts: { decimalSeparator: '.' } }))).toBe(1.5);
    expect(TRANSFORMS.quantity('x', ctx(dot))).toBeUndefined();
    expect(dot.map((f) => f.code)).toEqual(['NUMBER_SEPARATOR_AMBIGUOUS', 'NUMBER_UNPARSABLE']);
  });
  test('number reads a percentage as the rate it says (DECP writes rates as 0.05 for 5 %), flagged with the text; integer refuses it; "%" alone is no number', () => {
    const flags: MappingFlag[] = [];
    expect(['5%', '10 %', '12,5 %', '33.3%', ' 100\u00a0% '].map((v) => TRANSFORMS.number(v, ctx(flags)))).toEqual([0.05, 0.1, 0.125, 0.333, 1]);
    expect(flags.map((f) => [f.code, f.raw])).toEqual(['5%', '10 %', '12,5 %', '33.3%', ' 100\u00a0% '].map((raw) => ['NUMBER_PERCENT', raw]));
    const refused: MappingFlag[] = [];
    expect(['%', 'x %', '5 %%'].map((v) => TRANSFORMS.number(v, ctx(refused)))).toEqual([undefined, undefined, undefined]);
    expect(refused.map((f) => f.code)).toEqual(['NUMBER_UNPARSABLE', 'NUMBER_UNPARSABLE', 'NUMBER_UNPARSABLE']);
    const counts: MappingFlag[] = [];
    expect(TRANSFORMS.integer('50 %', ctx(counts))).toBeUndefined();
    expect(counts.map((f) => f.code)).toEqual(['NUMBER_PERCENT', 'INTEGER_INVALID']);
  });
  test('a time-zone name as utcOffset is refused with the standard offset to give instead (found by a partner\'s probe: the United Kingdom and Ukraine change their clocks)', () => {
    const profile = (utcOffset: string): MappingProfile => ({ name: 'x', settings: { utcOffset }, records: { unknown: { as: 'marche', fields: { id: { from: 'a' }, buyerId: { from: 'b', transform: 'identifier' } } } } });
    expect(() => checkProfile(profile('Europe/London'))).toThrow(/settings\.utcOffset: a fixed offset .*not "Europe\/London" .*give the zone's standard offset — "\+00:00" for the United Kingdom, "\+02:00" for Ukraine/);
    expect(() => checkProfile(profile('+00:00'))).not.toThrow();
  });
  test('date: an instant in UTC, or a Unix time, is the day it is at the profile\'s utcOffset (Europe/Paris without one)', () => {
    const at = (v: unknown, utcOffset?: string): string | undefined => (TRANSFORMS.date(v, ctx([], { utcOffset })) as { day: string } | undefined)?.day;
    // 02:00 UTC is the evening before in Bogotá, 04:00 the same morning in Paris; 23:00 UTC the next day in Paris, not in Bogotá
    expect([at('2024-05-15T02:00:00Z', '-05:00'), at('2024-05-15T02:00:00Z')]).toEqual(['2024-05-14', '2024-05-15']);
    expect([at('2024-05-15T23:00:00Z', '-05:00'), at('2024-05-15T23:00:00Z')]).toEqual(['2024-05-15', '2024-05-16']);
    expect([at(1715731200, '-05:00'), at(1715731200), at('1715731200', '-05:00')]).toEqual(['2024-05-14', '2024-05-15', '2024-05-14']);
    expect(at('2024-05-15T22:30:00Z', '+05:30')).toBe('2024-05-16');
    // a day, or a time with its own zone, is the day written
    expect([at('2024-05-15', '-05:00'), at('2024-05-15T02:00:00-05:00', '+09:00')]).toEqual(['2024-05-15', '2024-05-15']);
  });
  test('date: a date with its year last in the profile\'s dateOrder (day first without one), its 12-hour clock read; no calendar day in that order is refused, not swapped', () => {
    const flags: MappingFlag[] = [];
    const at = (v: unknown, dateOrder?: string): string | undefined => (TRANSFORMS.date(v, ctx(flags, { dateOrder })) as { day: string } | undefined)?.day;
    expect([at('08/11/2026 12:00:00 AM', 'month-first'), at('08/11/2026', 'month-first'), at('08/11/2026'), at('08/11/2026', 'day-first')]).toEqual(['2026-08-11', '2026-08-11', '2026-11-08', '2026-11-08']);
    expect(at('13/25/2026', 'month-first')).toBeUndefined();
    expect(flags.filter((f) => f.code === 'DATE_UNPARSABLE').map((f) => f.raw)).toEqual(['13/25/2026']);
  });
  test('months reads a duration with its unit, flagged DURATION_AS_STRING with the text as given (the value published is not the one written); a number as text is not flagged', () => {
    const flags: MappingFlag[] = [];
    expect(['2 ans', '12 mois', '12', ' 36 ', 6].map((v) => TRANSFORMS.months(v, ctx(flags)))).toEqual([24, 12, 12, 36, 6]);
    expect(flags.map((f) => [f.code, f.raw])).toEqual([
      ['DURATION_AS_STRING', '2 ans'],
      ['DURATION_AS_STRING', '12 mois'],
    ]);
  });
  test('number, integer and quantity: spaces that group no thousands ("1 2", offresRecues 12 or two counts?) are no number, flagged', () => {
    const flags: MappingFlag[] = [];
    expect(TRANSFORMS.number('1 2', ctx(flags))).toBeUndefined();
    expect(TRANSFORMS.integer('1 2', ctx(flags))).toBeUndefined();
    expect(TRANSFORMS.quantity('1 2', ctx(flags))).toBeUndefined();
    expect(TRANSFORMS.quantity('15 00', ctx(flags))).toBeUndefined();
    expect(flags.map((f) => [f.code, f.raw])).toEqual([
      ['NUMBER_UNPARSABLE', '1 2'],
      ['NUMBER_UNPARSABLE', '1 2'],
      ['NUMBER_UNPARSABLE', '1 2'],
      ['NUMBER_UNPARSABLE', '15 00'],
    ]);
    expect([TRANSFORMS.quantity('1 500', ctx()), TRANSFORMS.integer('1 500', ctx())]).toEqual([1500, 1500]);
  });
  test('codelist: known, known without code, unknown (flagged)', () => {
    const list = { 'Appel d’offres ouvert': 'open', 'Procédure adaptée': '' };
    const flags: MappingFlag[] = [];
    expect(TRANSFORMS.codelist("Appel d'offres ouvert", ctx(flags, { codelist: { "Appel d'offres ouvert": 'open' } }))).toEqual({ code: 'open', label: "Appel d'offres ouvert" });
    expect(TRANSFORMS.codelist('procedure adaptee', ctx(flags, { codelist: list }))).toEqual({ code: '', label: 'procedure adaptee' });
    expect(TRANSFORMS.codelist('Autre', ctx(flags, { codelist: list }))).toEqual({ code: null, label: 'Autre' });
    expect(flags).toEqual([{ code: 'CODE_UNKNOWN', pointer: '/x', raw: 'Autre' }]);
  });
  test.each([
    ['80111701', { code: '80111701', raw: '80111701' }],
    ['V1.80111701', { code: '80111701', raw: 'V1.80111701' }],
    ['42201810-001', { code: '42201810', raw: '42201810-001' }],
    [42201810, { code: '42201810', raw: '42201810' }],
  ])('unspsc(%j)', (v, want) => expect(TRANSFORMS.unspsc(v, ctx())).toEqual(want));
  test('unspsc: no 8 digits in a row is no code (flagged)', () => {
    const flags: MappingFlag[] = [];
    expect(TRANSFORMS.unspsc('UNSPECIFIED', ctx(flags))).toBeUndefined();
    expect(TRANSFORMS.unspsc('123456789', ctx(flags))).toBeUndefined();
    expect(flags.map((f) => f.code)).toEqual(['UNSPSC_INVALID', 'UNSPSC_INVALID']);
  });
  test('identifiers stay strings', () => {
    expect(TRANSFORMS.identifier(21350238800019, ctx())).toBe('21350238800019');
    expect(TRANSFORMS.identifier(' 2A004 ', ctx())).toBe('2A004');
  });
});

describe('compiled profiles', () => {
  const profile: MappingProfile = {
    name: 't',
    records: {
      marche: {
        fields: {
          id: { from: ['ref', 'id'], transform: 'text' },
          amount: { from: 'montant', transform: 'amount' },
          suppliers: { list: 'titulaires', item: 'titulaire', fields: { id: { from: 'id', transform: 'identifier' } } },
          kinds: { from: 'techniques', transform: 'textList', item: 'technique' },
        },
      },
    },
  };
  test('paths, alternatives, lists in both shapes, pointers of flags', () => {
    const map = compileProfile(profile)['marche']!;
    const flags: MappingFlag[] = [];
    expect(map({ id: 'A', montant: '1 234,50', titulaires: [{ titulaire: { id: '1 2' } }, { id: 3 }], techniques: { technique: ['x'] } }, flags)).toEqual({ id: 'A', amount: 1234.5, suppliers: [{ id: '12' }, { id: '3' }], kinds: ['x'] });
    expect(map({ ref: 'R', id: 'A', montant: 0 }, flags)).toEqual({ id: 'R', amount: 0, suppliers: [] });
    expect(flags).toEqual([
      { code: 'ID_CLEANED', pointer: '/titulaires/0/id', raw: '1 2' },
      // the alternative not used, with another value: handed over with its place (convert keeps it as unmapped)
      { code: 'FIELD_ALTERNATIVE_IGNORED', pointer: '/id', raw: 'A', path: ['id'] },
      { code: 'AMOUNT_ZERO', pointer: '/montant', raw: 0 },
    ]);
  });
  test('a later alternative present with another value is handed over with its place; the same value, an empty one, or one never reached is not', () => {
    const map = compileProfile({
      name: 't',
      records: {
        marche: {
          fields: {
            place: { from: ['lieu.nom', 'lieu.nom ', 'lieuNom'], transform: 'text' },
            acts: { list: ['actes', 'acte'], fields: { id: { from: 'id', transform: 'text' } } },
          },
        },
      },
    })['marche']!;
    const flagsOf = (record: Record<string, unknown>): MappingFlag[] => {
      const flags: MappingFlag[] = [];
      map(record, flags);
      return flags;
    };
    expect(flagsOf({ lieu: { nom: 'Lyon', 'nom ': 'Lyon 3e' }, lieuNom: 'Lyon' })).toEqual([{ code: 'FIELD_ALTERNATIVE_IGNORED', pointer: '/lieu/nom ', raw: 'Lyon 3e', path: ['lieu', 'nom '] }]);
    expect(flagsOf({ lieu: { nom: 'Lyon', 'nom ': 'Lyon' }, lieuNom: '' })).toEqual([]);
    // the first alternative missing: the second is used, the third compared with it
    expect(flagsOf({ lieu: { 'nom ': 'Lyon' }, lieuNom: { x: 1 } })).toEqual([{ code: 'FIELD_ALTERNATIVE_IGNORED', pointer: '/lieuNom', raw: { x: 1 }, path: ['lieuNom'] }]);
    expect(flagsOf({ actes: [{ id: 'a' }], acte: [{ id: 'b' }] })).toEqual([{ code: 'FIELD_ALTERNATIVE_IGNORED', pointer: '/acte', raw: [{ id: 'b' }], path: ['acte'] }]);
    expect(flagsOf({ actes: [{ id: 'a' }], acte: [{ id: 'a' }] })).toEqual([]);
  });
  test('a list of one value or one object where one is read is read as it (xml2js\' explicitArray), said once at its pointer (FIELD_LIST_OF_ONE); a list of two is not read; a list transform reads lists as before', () => {
    const spec = { fields: {
      id: { from: 'id', transform: 'text' },
      buyerId: { from: 'acheteur.id', transform: 'identifier' },
      buyerName: { from: ['acheteur.nom', 'nomAcheteur'], transform: 'prose' },
      amount: { from: 'montant', transform: 'amount' },
      kinds: { from: 'techniques', transform: 'textList', item: 'technique' },
      suppliers: { list: 'titulaires', item: 'titulaire', fields: { id: { from: 'id', transform: 'identifier' } } },
    } } as const;
    const map = compileProfile({ name: 't', records: { marche: spec } })['marche']!;
    const flags: MappingFlag[] = [];
    const record = { id: ['A'], acheteur: [{ id: ['1 2'], nom: 'Ville', service: 'voirie' }], nomAcheteur: ['Ville'], montant: ['10,5'], techniques: ['x'], titulaires: [{ titulaire: [{ id: [3] }] }] };
    expect(map(record, flags)).toEqual({ id: 'A', buyerId: '12', buyerName: 'Ville', amount: 10.5, kinds: ['x'], suppliers: [{ id: '3' }] });
    expect(flags).toEqual([
      { code: 'FIELD_LIST_OF_ONE', pointer: '/id', raw: ['A'] },
      { code: 'FIELD_LIST_OF_ONE', pointer: '/acheteur' },
      { code: 'FIELD_LIST_OF_ONE', pointer: '/acheteur/0/id', raw: ['1 2'] },
      // (a transform's flag names the value's own place)
      { code: 'ID_CLEANED', pointer: '/acheteur/0/id/0', raw: '1 2' },
      { code: 'FIELD_LIST_OF_ONE', pointer: '/montant', raw: ['10,5'] },
      { code: 'FIELD_LIST_OF_ONE', pointer: '/titulaires/0/id', raw: [3] },
    ]);
    // what the one object holds beside what is read is kept in its list; the alternative of the same value is no other value
    expect(unreadOf(record, readTreeOf(spec.fields))).toEqual({ acheteur: [{ service: 'voirie' }] });
    const two: MappingFlag[] = [];
    expect(map({ id: ['A', 'B'], acheteur: [{ id: '1' }, { id: '2' }], montant: [1, 2], titulaires: [[]] }, two)).toEqual({ suppliers: [] });
    expect(two.map((f) => [f.code, f.pointer])).toEqual([['TEXT_NOT_A_STRING', '/id'], ['FIELD_SHAPE_UNEXPECTED', '/acheteur'], ['AMOUNT_UNPARSABLE', '/montant']]);
    // a later alternative of another value, in a list of one, is handed over at its own place
    const other = (r: Record<string, unknown>): MappingFlag[] => {
      const flags: MappingFlag[] = [];
      map(r, flags);
      return flags.filter((f) => f.code === 'FIELD_ALTERNATIVE_IGNORED');
    };
    expect(other({ acheteur: [{ nom: 'Ville' }], nomAcheteur: ['Mairie'] })).toEqual([{ code: 'FIELD_ALTERNATIVE_IGNORED', pointer: '/nomAcheteur/0', raw: 'Mairie', path: ['nomAcheteur', '0'] }]);
    expect(other({ acheteur: [{ nom: 'Ville' }], nomAcheteur: ['Ville'] })).toEqual([]);
  });
  test('an organisation given as its identifier alone where its object belongs is its id when the field says bareId (ID_GIVEN_BARE, no unexpected shape for its other fields); a name is no identifier', () => {
    const mapOf = (fields: Record<string, unknown>): ((r: Record<string, unknown>) => [unknown, MappingFlag[]]) => {
      const map = compileProfile({ name: 't', records: { marche: { fields } } } as unknown as MappingProfile)['marche']!;
      return (r) => {
        const flags: MappingFlag[] = [];
        return [map(r, flags), flags];
      };
    };
    const read = mapOf({ buyerId: { from: 'acheteur.id', transform: 'identifier', bareId: true }, buyerName: { from: 'acheteur.nom', transform: 'prose' }, placeCode: { from: 'lieu.code', transform: 'identifier' } });
    // (bareId is the field's: a place given as text is still unexpected)
    expect(read({ acheteur: '21350238800019', lieu: '13590' })).toEqual([{ buyerId: '21350238800019' }, [{ code: 'ID_GIVEN_BARE', pointer: '/acheteur', raw: '21350238800019' }, { code: 'FIELD_SHAPE_UNEXPECTED', pointer: '/lieu', raw: '13590' }]]);
    expect(read({ acheteur: 21350238800019 })).toEqual([{ buyerId: '21350238800019' }, [{ code: 'ID_GIVEN_BARE', pointer: '/acheteur', raw: 21350238800019 }]]);
    expect(read({ acheteur: '213 502 388 00019' })).toEqual([{ buyerId: '21350238800019' }, [{ code: 'ID_GIVEN_BARE', pointer: '/acheteur', raw: '213 502 388 00019' }, { code: 'ID_CLEANED', pointer: '/acheteur', raw: '213 502 388 00019' }]]);
    expect(read({ acheteur: 'FR12345678901' })[0]).toEqual({ buyerId: 'FR12345678901' });
    for (const name of ['Ville de Rennes', 'Lycée 2000']) expect(read({ acheteur: name })).toEqual([{}, [{ code: 'FIELD_SHAPE_UNEXPECTED', pointer: '/acheteur', raw: name }]]);
    expect(read({ acheteur: { id: '1', nom: 'V' } })).toEqual([{ buyerId: '1', buyerName: 'V' }, []]);
    // the name's field read first: its flag is taken back when the id is read
    const nameFirst = mapOf({ buyerName: { from: 'acheteur.nom', transform: 'prose' }, buyerId: { from: 'acheteur.id', transform: 'identifier', bareId: true } });
    expect(nameFirst({ acheteur: '21350238800019' })).toEqual([{ buyerId: '21350238800019' }, [{ code: 'ID_GIVEN_BARE', pointer: '/acheteur', raw: '21350238800019' }]]);
    // checked with the profile: an identifier's, on a path into an object
    expect(() => checkProfile({ name: 't', records: { marche: { fields: { id: { from: 'id' }, buyerId: { from: 'acheteur.id', transform: 'identifier', bareId: true }, amount: { from: 'm.v', transform: 'amount', bareId: true } } } } })).toThrow(/records\.marche\.fields\.amount: "bareId" is true or false, for an identifier/);
    expect(() => checkProfile({ name: 't', records: { marche: { fields: { id: { from: 'id' }, buyerId: { from: 'acheteur', transform: 'identifier', bareId: true } } } } })).toThrow(/"bareId" needs a path into an object/);
    expect(() => checkProfile(PROFILE)).not.toThrow();
  });
  test('keySynonyms: a list of key names, checked with the profile; not applied at a flattened path\'s object (the record)', () => {
    expect(() => checkProfile({ name: 't', records: { marche: { fields: { id: { from: 'id' }, buyerId: { from: 'acheteur.id', transform: 'identifier', keySynonyms: 'siret' } } } } })).toThrow(/"keySynonyms" is a list of key names/);
    expect(() => checkProfile({ name: 't', records: { marche: { fields: { id: { from: 'id' }, buyerId: { from: 'acheteur.id', transform: 'identifier', keySynonyms: [''] } } } } })).toThrow(/"keySynonyms" is a list of key names/);
    const tree = readTreeOf({ buyerId: { from: 'acheteur.id', transform: 'identifier', keySynonyms: ['siret'] } });
    expect(tree.synonyms).toBeUndefined();
    expect([...(tree.children.get('acheteur')!.synonyms ?? [])]).toEqual([['siret', 'id']]);
  });
  test('the data never reaches a prototype through a path', () => {
    const map = compileProfile({ name: 't', records: { marche: { fields: { x: { from: '__proto__.polluted', transform: 'text' }, y: { from: 'constructor.name', transform: 'text' } } } } })['marche']!;
    expect(map({}, [])).toEqual({});
  });
  test('names and paths with quotes, backslashes, line breaks and code stay data (the compiled function is generated)', () => {
    const odd = 'a"b\\c\n\u2028é\'`${x}';
    const hostile = '"]); throw new Error("injected"); (["';
    const map = compileProfile({
      name: 't',
      records: { marche: { fields: { [odd]: { from: `${odd}.${hostile}`, transform: 'text' }, [hostile]: { list: hostile, fields: { [odd]: { from: odd } } }, 'pointer of a flag': { from: [`missing`, `q'${odd}`], transform: 'integer' } } } },
    })['marche']!;
    const flags: MappingFlag[] = [];
    expect(map({ [odd]: { [hostile]: ' v ' }, [hostile]: [{ [odd]: 1 }], [`q'${odd}`]: 'x' }, flags)).toEqual({ [odd]: 'v', [hostile]: [{ [odd]: '1' }] });
    expect(flags).toEqual([{ code: 'NUMBER_UNPARSABLE', pointer: `/q'${odd}`, raw: 'x' }]);
  });
  test('transforms and codelists are the named ones only (not what every object inherits)', () => {
    for (const transform of ['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      expect(() => compileProfile({ name: 't', records: { marche: { fields: { x: { from: 'id', transform: transform as 'text' } } } } })).toThrow(/unknown transform/);
    }
    for (const codelist of ['__proto__', 'constructor', 'toString']) {
      expect(() => compileProfile({ name: 't', codelists: { natures: {} }, records: { marche: { fields: { x: { from: 'id', transform: 'codelist', codelist } } } } })).toThrow(/unknown codelist/);
    }
  });
  test('a field named like a prototype key is refused when the profile is compiled', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const fields = JSON.parse(`{${JSON.stringify(name)}: {"from": "id"}}`) as Record<string, { from: string }>;
      expect(() => compileProfile({ name: 't', records: { marche: { fields } } })).toThrow(/not allowed/);
    }
  });
});

describe('what a profile does not read', () => {
  const tree = readTreeOf({
    id: { from: 'ref' },
    buyerId: { from: 'organismo.identificador.valor', transform: 'identifier' },
    buyerName: { from: ['organismo.nombre', 'organismo.razon'] },
    suppliers: { list: 'adjudicatarios', item: 'proveedor', fields: { id: { from: 'cuit' }, name: { from: 'nombre' } } },
  });

  test('is kept in the record\'s shape, at any depth: keys never read, objects read in part, list items', () => {
    const record = {
      ref: 'LP-1',
      organismo: { nombre: 'Ministerio', jurisdiccion: 'Nación', identificador: { esquema: 'SAF', valor: '999' } },
      adjudicatarios: { proveedor: [{ cuit: '30-1', nombre: 'A', rol: 'líder' }, { cuit: '30-2', nombre: 'B' }] },
      moneda: 'USD',
      plazo: { valor: 90, unidad: 'días' },
      vacio: '',
      nada: null,
      lista: [],
    };
    expect(unreadOf(record, tree)).toEqual({
      organismo: { jurisdiccion: 'Nación', identificador: { esquema: 'SAF' } },
      adjudicatarios: [{ rol: 'líder' }, null],
      moneda: 'USD',
      plazo: { valor: 90, unidad: 'días' },
    });
  });

  test('is nothing when everything is read; an alternative path counts as read; a value where an object was expected is the flag\'s', () => {
    expect(unreadOf({ ref: 'x', organismo: { nombre: 'M', razon: 'M SA', identificador: { valor: '1' } }, adjudicatarios: [{ cuit: '1' }] }, tree)).toBeUndefined();
    // (the mapping flags "organismo" given as text, FIELD_SHAPE_UNEXPECTED, with its value)
    expect(unreadOf({ ref: 'x', organismo: 'Ministerio' }, tree)).toBeUndefined();
  });
});

test('convert keeps a later alternative not used as unmapped, at its place, in a list item too; no flag', async () => {
  const rec = { id: 'ALT1', acheteur: { id: '21590163800019' }, objet: 'Travaux', codeCPV: '45000000', procedure: 'Procédure adaptée', nature: 'Marché', dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme',
    lieuExecution: { code: '69001', typeCode: 'Code postal', nom: 'Lyon', 'nom ': 'Lyon 1er' },
    titulaires: [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'SARL BATI' }],
    modifications: [{ objetModification: 'Avenant', dateNotificationModification: '2019-06-01', dateSignatureModification: '2019-05-20', datePublicationDonneesModification: '2019-06-03', montant: 1200 }] };
  const file = join(tempDir('alt-'), 'm.jsonl');
  writeFileSync(file, JSON.stringify(rec));
  const got = await convertAll([file]);
  const initial = got.releases[0] as Record<string, Record<string, unknown>>;
  expect(initial['x_decp']!['unmapped']).toEqual({ lieuExecution: { 'nom ': 'Lyon 1er' }, modifications: [{ dateSignatureModification: '2019-05-20' }] });
  expect(got.texts.join('\n')).not.toContain('FIELD_ALTERNATIVE_IGNORED');
});

describe('paths no record of a file has (a profile that names a key the records do not have: found by a partner, exit 0 and nothing said)', () => {
  const profile: MappingProfile = {
    name: 't',
    records: {
      unknown: {
        as: 'marche',
        fields: {
          id: { from: 'ref', transform: 'text' },
          buyerId: { from: 'buyer.id', transform: 'identifier', bareId: true },
          title: { from: 'notice.tittle', transform: 'prose' },
          dateConcluded: { from: 'awardDate', transform: 'date' },
          datePublished: { from: ['published', 'publishedAt'], transform: 'date' },
          months: { from: 'duration', transform: 'months', optional: true },
          amount: { from: 'value', transform: 'amount' },
          suppliers: { list: 'awardedSuppliers', fields: { id: { from: 'nit', transform: 'identifier' } } },
          items: { list: 'lots', fields: { description: { from: 'nmae', transform: 'prose' }, amount: { from: 'total', transform: 'amount' } } },
          modifications: { list: 'amendments', fields: { id: { from: 'n', transform: 'text' }, suppliers: { list: 'firms', fields: { id: { from: 'nit', transform: 'identifier' } } } } },
        },
      },
    },
  };
  const named = (got: ReturnType<typeof absentPaths>): { fields: string[]; lists: string[] } => ({ fields: got.fields.map(presencePathName), lists: got.lists.map(presencePathName) });

  test('each field, list and list item field path that no record had is named, once the records are mapped; then forgotten', () => {
    const map = compileProfile(profile)['unknown']!;
    const records = [
      // present with null counts (the key is there: the file has it), so does the second alternative
      { ref: 'A', buyer: { id: '1' }, notice: { title: 'Obras' }, awardedDate: '2024-01-02', publishedAt: '2024-01-03', value: null, lots: [{ name: 'x', total: 1 }], amendments: [] },
      { ref: 'B', buyer: { id: '1' }, notice: { title: 'Vías' }, awardedDate: '2024-01-04', lots: [] },
    ];
    for (const r of records) map(r, []);
    expect(named(absentPaths(map.presence))).toEqual({
      fields: ['notice.tittle', 'awardDate', 'lots[].nmae'],
      // (the items' fields of a list that had no item are not judged: amendments[].n, amendments[].firms)
      lists: ['awardedSuppliers'],
    });
    // forgotten once read: what the next file's records have is theirs
    map({ ref: 'D' }, []);
    expect(named(absentPaths(map.presence)).fields).toContain('buyer.id');
    // a file whose records have them: nothing to say
    map({ ref: 'C', buyer: '21350238800019', notice: { tittle: null }, awardDate: '', published: '2024', value: 1, awardedSuppliers: [{ nit: '9' }], lots: [{ nmae: 'y', total: 2 }], amendments: [{ n: 1, firms: [{ nit: '9' }] }] }, []);
    expect(absentPaths(map.presence)).toEqual({ fields: [], lists: [], withheld: [] });
  });

  test('a list inside a list\'s items is named by its path through them; a list given as alternatives by all of them', () => {
    const map = compileProfile({ name: 't', records: { unknown: { as: 'marche', fields: {
      id: { from: 'ref' },
      buyerId: { from: 'buyer', transform: 'identifier' },
      modifications: { list: ['amendments', 'adiciones'], fields: { id: { from: 'n' }, suppliers: { list: 'firms', fields: { id: { from: 'nit', transform: 'identifier' } } } } },
    } } } })['unknown']!;
    map({ ref: 'A', buyer: '1', adiciones: [{ n: 1, firms: [{ doc: '9' }] }] }, []);
    expect(named(absentPaths(map.presence))).toEqual({ fields: ['(amendments | adiciones)[].firms[].nit'], lists: [] });
  });

  test('the converter says them as the file\'s warnings, INGEST_PROFILE_COLUMN_MISSING, with the file; a key in another spelling (KEY_RESPELLED) is the profile\'s', () => {
    const converter = createConverter(profile, { ocidPrefix: 'ocds-abcdef', runDate: '2026-01-01T00:00:00Z' });
    const provenance = { file: 'f.jsonl', sha256: '', index: 0, line: 1, offset: 0 };
    const record = (data: Record<string, unknown>) => ({ type: 'unknown' as const, version: null, data, issues: [], provenance });
    converter.convert(record({ ref: 'A', buyer: { id: '1' }, notice: { title: 'Obras' }, AwardDate: '2024-01-02', published: '2024-01-03', value: 1, lots: [{ nmae: 'x', total: 1 }] }));
    const issues = converter.absentPaths('f.jsonl');
    expect(issues).toEqual([
      { code: 'INGEST_PROFILE_COLUMN_MISSING', severity: 'warning', file: 'f.jsonl', message: expect.stringMatching(/^the profile reads "notice\.tittle" \(title\) \(did you mean "notice\.title"\?\), which none of the file's 1 record\(s\) has: nothing is read from them/) },
      { code: 'INGEST_PROFILE_COLUMN_MISSING', severity: 'warning', file: 'f.jsonl', message: expect.stringMatching(/^the profile reads the list\(s\) "awardedSuppliers" \(suppliers\), "amendments" \(modifications\), which none of the file's 1 record\(s\) has: none of their items is read/) },
    ]);
    // read: the next file starts from nothing; a file without records mapped has nothing to say
    expect(converter.absentPaths('g.jsonl')).toEqual([]);
  });

  // found by a partners' probe: a Ukrainian export `{"договори": [...], "всього": 6}` read without (or
  // with a misspelt) settings.json.records is one record; the warning listed every path as missing and
  // left the partner to guess why
  test('a record without the id\'s key that holds a root list whose items have it: the warning says the records seem to be that list\'s items, and the setting that reads them', () => {
    const ua = { name: 'ua', records: { unknown: { as: 'marche', fields: { id: { from: 'номер_договору' }, buyerId: { from: 'замовник.код', transform: 'identifier' }, title: { from: 'предмет' } } } } } as unknown as MappingProfile;
    const converter = createConverter(ua, { ocidPrefix: 'ocds-abcdef', runDate: '2026-01-01T00:00:00Z' });
    const provenance = { file: 'd.json', sha256: '', index: 0, line: 1, offset: 0 };
    const record = (data: Record<string, unknown>) => ({ type: 'unknown' as const, version: null, data, issues: [], provenance });
    converter.convert(record({ 'договори': [{ 'номер_договору': 'UA-1', 'замовник': { 'код': '01994101' }, 'предмет': 'Рукавички' }], 'всього': 1 }));
    expect(converter.absentPaths('d.json').map((i) => i.message)).toEqual([
      'the profile reads "номер_договору" (id), "замовник.код" (buyerId), "предмет" (title), which none of the file\'s 1 record(s) has: nothing is read from them (keys are matched without case, accents or separators; a field a file may lack is marked "optional": true); the file\'s records seem to be the items of its list "договори": "settings": {"json": {"records": "договори"}} reads them so',
    ]);
    // a record that gives its id, or a list whose items do not: nothing more said
    converter.convert(record({ 'Номер_Договору': 'UA-2', 'договори': [{ 'номер_договору': 'x' }] }));
    expect(converter.absentPaths('e.json').map((i) => i.message).join()).not.toContain('seem to be');
    converter.convert(record({ 'дані': [{ 'сума': 1 }] }));
    expect(converter.absentPaths('f.json').map((i) => i.message).join()).not.toContain('seem to be');
  });

  // found by a partners' probe: as a CSV header's missing column, a JSON path none of a file's records
  // had is named with the paths they gave unread that are spelt nearly so
  test('a path no record had is said with the unread paths spelt nearly so: a list, a list item\'s field, a nested key; not the object on the way', () => {
    const ua = { name: 'ua', records: { unknown: { as: 'marche', fields: {
      id: { from: 'номер' }, buyerId: { from: 'замовник.код', transform: 'identifier' }, buyerName: { from: 'замовник.назва' },
      suppliers: { list: 'постачальник', fields: { id: { from: 'код' } } },
      items: { list: 'позиції', fields: { description: { from: 'назва' }, unitPrice: { from: 'ціна_одиниці', transform: 'amount' } } },
    } } } } as unknown as MappingProfile;
    const converter = createConverter(ua, { ocidPrefix: 'ocds-abcdef', runDate: '2026-01-01T00:00:00Z' });
    const provenance = { file: 'd.json', sha256: '', index: 0, line: 1, offset: 0 };
    converter.convert({ type: 'unknown' as const, version: null, issues: [], provenance, data: { 'номер': 'UA-1', 'замовник': { 'код_ЄДРПОУ': '01994101', 'назва': 'Лікарня' }, 'постачальники': [{ 'код': '12345678' }], 'позиції': [{ 'назва': 'Рукавички', 'ціна_за_одиницю': '120.50' }] } });
    expect(converter.absentPaths('d.json').map((i) => i.message.replace(/, which none.*$/, ''))).toEqual([
      'the profile reads "замовник.код" (buyerId) (did you mean "замовник.код_ЄДРПОУ"?), "позиції[].ціна_одиниці" (items.unitPrice) (did you mean "позиції[].ціна_за_одиницю"?)',
      'the profile reads the list(s) "постачальник" (suppliers) (did you mean "постачальники"?)',
    ]);
  });

  test('a list spec takes "optional" as a field spec does, true or false', () => {
    const fields = { id: { from: 'id' }, buyerId: { from: 'acheteur.id', transform: 'identifier' } };
    expect(() => checkProfile({ name: 't', records: { marche: { fields: { ...fields, suppliers: { list: 'titulaires', optional: true, fields: { id: { from: 'id', transform: 'identifier' } } } } } } } as unknown as MappingProfile)).not.toThrow();
    expect(() => checkProfile({ name: 't', records: { marche: { fields: { ...fields, suppliers: { list: 'titulaires', optional: 'yes', fields: {} } } } } } as unknown as MappingProfile)).toThrow(/records\.marche\.fields\.suppliers: "optional" is true or false/);
  });

  test('the bundled DECP profile marks optional what one of its generations lacks: a file of either says nothing', () => {
    const converter = createConverter(PROFILE, { ocidPrefix: 'ocds-78apv2', runDate: '2026-01-01T00:00:00Z' });
    const provenance = { file: 'f.json', sha256: '', index: 0, line: 1, offset: 0 };
    const y2019 = { id: '2019-1', acheteur: { id: '21590163800019', nom: 'Ville' }, nature: 'Marché', objet: 'Travaux', codeCPV: '45000000-7', procedure: 'Procédure adaptée', lieuExecution: { code: '59000', typeCode: 'Code postal', nom: 'Lille' }, dureeMois: 12, dateNotification: '2019-01-10', datePublicationDonnees: '2019-01-12', montant: 1000, formePrix: 'Ferme', titulaires: [{ typeIdentifiant: 'SIRET', id: '48157430900045', denominationSociale: 'SARL BATI' }], modifications: [] };
    const y2024 = { id: '2024-1', acheteur: { id: '21590163800019' }, nature: 'Marché', objet: 'Travaux', codeCPV: '45000000', techniques: { technique: ['Sans objet'] }, modalitesExecution: { modaliteExecution: ['Tranches'] }, marcheInnovant: false, ccag: 'Travaux', offresRecues: 2, attributionAvance: false, typeGroupementOperateurs: 'Pas de groupement', procedure: 'Procédure adaptée', lieuExecution: { code: '59000', typeCode: 'Code postal' }, dureeMois: 12, dateNotification: '2024-01-10', datePublicationDonnees: '2024-01-12', montant: 1000, typesPrix: { typePrix: ['Définitif ferme'] }, formePrix: 'Unitaire', sousTraitanceDeclaree: false, titulaires: [{ titulaire: { typeIdentifiant: 'SIRET', id: '48157430900045' } }], considerationsSociales: { considerationSociale: ['Pas de considération sociale'] }, considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale'] } };
    for (const data of [y2019, y2024]) {
      converter.convert({ type: 'marche', version: null, data, issues: [], provenance });
      expect(converter.absentPaths('f.json')).toEqual([]);
    }
    // what both generations require is not optional: a file without it (a field renamed by its publisher) is said
    const { montant: _montant, ...renamed } = y2024;
    // (unless the new name is one of the field's keySynonyms: montantHT is read as montant, said per record by KEY_SYNONYM)
    converter.convert({ type: 'marche', version: null, data: { ...renamed, montantHT: 1000 }, issues: [], provenance });
    expect(converter.absentPaths('f.json')).toEqual([]);
    converter.convert({ type: 'marche', version: null, data: { ...renamed, montantTTC: 1200 }, issues: [], provenance });
    expect(converter.absentPaths('f.json')).toEqual([expect.objectContaining({ code: 'INGEST_PROFILE_COLUMN_MISSING', message: expect.stringMatching(/^the profile reads "montant" \(amount\) \(did you mean "montantTTC"\?\), which none of the file's 1 record\(s\) of type "marche" has/) })]);
  });
});

describe('withheld paths of a JSON or XML file: every spelling of their keys withheld, one no record has said (a misspelt withhold published the person it meant to hide)', () => {
  const profile = (withhold: string[]): MappingProfile => ({
    name: 't',
    records: {
      unknown: {
        as: 'marche',
        fields: {
          id: { from: 'ref', transform: 'text' },
          buyerId: { from: 'nit', transform: 'identifier' },
          suppliers: { list: 'proveedores', optional: true, fields: { id: { from: 'doc', transform: 'identifier' } } },
        },
        withhold,
      },
    },
  });
  const provenance = { file: 'f.jsonl', sha256: '', index: 0, line: 1, offset: 0 };
  const convertOne = (converter: ReturnType<typeof createConverter>, data: Record<string, unknown>) => {
    const got = converter.convert({ type: 'unknown', version: null, data, issues: [], provenance });
    if (!got.ok) throw new Error(got.reason);
    return got.releases[0]!['x_decp'] as { unmapped?: Record<string, unknown>; qualityFlags: Array<{ code: string; pointer: string; raw?: unknown }> };
  };

  test('a withheld path is marked where a record has it (any value, null too; a flattened spelling; through a list), else named', () => {
    const map = compileProfile(profile(['representante_legal.nombre', 'banco.cuenta', 'proveedores.representante', 'representante_legal.nombres']))['unknown']!;
    map({ ref: 'A', nit: '1', representante_legal: { nombres: null }, 'banco.cuenta': '1', proveedores: [{ doc: '9' }, { doc: '8', representante: 'Ana' }] }, []);
    expect(absentPaths(map.presence).withheld.map(presencePathName)).toEqual(['representante_legal.nombre']);
    // then forgotten: the next file's records
    map({ ref: 'B', nit: '1' }, []);
    expect(absentPaths(map.presence).withheld.map(presencePathName)).toEqual(['representante_legal.nombre', 'banco.cuenta', 'proveedores.representante', 'representante_legal.nombres']);
  });

  test('a misspelt withheld path: said once per file, INGEST_PROFILE_COLUMN_MISSING, with the file (the value it meant is published)', () => {
    const converter = createConverter(profile(['representante_legal.nombre']), { ocidPrefix: 'ocds-abcdef', runDate: '2026-01-01T00:00:00Z' });
    for (const name of ['Juan Pérez', 'Ana Gómez']) expect(convertOne(converter, { ref: 'A', nit: '899999061', representante_legal: { nombres: name } }).unmapped).toEqual({ representante_legal: { nombres: name } });
    expect(converter.absentPaths('f.jsonl')).toEqual([
      { code: 'INGEST_PROFILE_COLUMN_MISSING', severity: 'warning', file: 'f.jsonl', message: expect.stringMatching(/^the profile withholds "representante_legal\.nombre" \(did you mean "representante_legal\.nombres"\?\), which none of the file's 2 record\(s\) has: if a path is misspelt, the value it should hide may be published under another spelling, in x_decp\.unmapped/) },
    ]);
    // the path spelt as the records spell it: nothing published, nothing said
    const fixed = createConverter(profile(['representante_legal.nombres']), { ocidPrefix: 'ocds-abcdef', runDate: '2026-01-01T00:00:00Z' });
    expect(convertOne(fixed, { ref: 'A', nit: '899999061', representante_legal: { nombres: 'Juan Pérez' } }).unmapped).toBeUndefined();
    expect(fixed.absentPaths('f.jsonl')).toEqual([]);
  });

  test.each([
    ['beside the profile\'s own spelling', { representante_legal: { nombre: 'Juan Pérez' }, 'Representante Legal': { Nombre: 'Juan Pérez', cargo: 'Gerente' }, NOMBRE_REPRESENTANTE_LEGAL: 'Juan Pérez', nombre_representante_legal: 'Juan Pérez' }, { 'Representante Legal': { cargo: 'Gerente' } }, ['/Representante Legal/Nombre', '/NOMBRE_REPRESENTANTE_LEGAL']],
    ['two spellings, neither the profile\'s (the mapping reads one as it)', { 'Representante Legal': { NOMBRE: 'Juan Pérez' }, REPRESENTANTE_LEGAL: { nombre: 'Juan Pérez' }, 'Nombre Representante Legal': 'Juan Pérez', 'nombre-representante-legal': 'Juan Pérez' }, undefined, ['/REPRESENTANTE_LEGAL/nombre', '/nombre-representante-legal']],
    ['a letter an API wrote as `_` (datos.gov.co), where the path goes on a text, in a list', { 'Identificación Representante Legal': '1113533856', 'Representante-Legal': 'Juan Pérez', REPRESENTANTE_LEGAL: [{ Nombre: 'Juan Pérez' }, { nombre: 'Juan Pérez', cargo: 'Suplente' }], representante_legal: { nombre: 'Juan Pérez' }, nombre_representante_legal: 'Juan Pérez' }, { REPRESENTANTE_LEGAL: [null, { cargo: 'Suplente' }] }, ['/Identificación Representante Legal', '/REPRESENTANTE_LEGAL/0/Nombre', '/REPRESENTANTE_LEGAL/1/nombre']],
    ['through a list the profile reads (each item, each spelling)', { representante_legal: { nombre: 'Juan Pérez' }, nombre_representante_legal: 'Juan Pérez', identificaci_n_representante_legal: '1113533856', proveedores: [{ doc: '9', representante: 'Juan Pérez', Representante: 'Juan Pérez' }, { doc: '8', REPRESENTANTE: 'Juan Pérez', tel: '1' }] }, { proveedores: [null, { tel: '1' }] }, ['/proveedores/0/Representante', '/proveedores/1/REPRESENTANTE']],
  ])('a withheld key in another case, accents or separators is withheld however many there are: %s', (_, keys, unmapped, respelt) => {
    const converter = createConverter(profile(['representante_legal.nombre', 'nombre_representante_legal', 'identificaci_n_representante_legal', 'proveedores.representante']), { ocidPrefix: 'ocds-abcdef', runDate: '2026-01-01T00:00:00Z' });
    const x = convertOne(converter, { ref: 'A', nit: '899999061', ...keys });
    expect(JSON.stringify(x)).not.toMatch(/Juan|1113533856/);
    expect(x.unmapped).toEqual(unmapped);
    // said as a key read as the profile's: where, and the key as given (never its value)
    expect(x.qualityFlags.filter((f) => f.code === 'KEY_RESPELLED' && respelt.includes(f.pointer)).map((f) => [f.pointer, f.raw])).toEqual(respelt.map((p) => [p, p.split('/').pop()]));
  });

  test('a withheld key only in a loose spelling the mapping does not read as the profile\'s is the path\'s presence: nothing said', () => {
    const converter = createConverter(profile(['identificaci_n_representante_legal', 'proveedores.representante']), { ocidPrefix: 'ocds-abcdef', runDate: '2026-01-01T00:00:00Z' });
    const x = convertOne(converter, { ref: 'A', nit: '899999061', 'Identificación Representante Legal': '1113533856', proveedores: [{ doc: '9', 'Representánte ': 'Juan Pérez' }] });
    expect(JSON.stringify(x)).not.toMatch(/Juan|1113533856/);
    expect(converter.absentPaths('f.jsonl')).toEqual([]);
  });
});
