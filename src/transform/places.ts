/**
 * Where a contract is performed, as the store groups markets (red-flags.md §3.4 5: market
 * concentration per CPV group, region and year): the French département and région (INSEE codes of
 * the Code officiel géographique, the regions of 2016) read off the places a release gives, and, for
 * other data, the region its delivery address names. Pure: reference facts and string shapes only.
 */
import type { JsonValue } from './compile/merge.js';

type Obj = { [k: string]: JsonValue };

/** The regions of France since 2016, by INSEE code. */
export const FRENCH_REGIONS: Readonly<Record<string, string>> = {
  '01': 'Guadeloupe',
  '02': 'Martinique',
  '03': 'Guyane',
  '04': 'La Réunion',
  '06': 'Mayotte',
  '11': 'Île-de-France',
  '24': 'Centre-Val de Loire',
  '27': 'Bourgogne-Franche-Comté',
  '28': 'Normandie',
  '32': 'Hauts-de-France',
  '44': 'Grand Est',
  '52': 'Pays de la Loire',
  '53': 'Bretagne',
  '75': 'Nouvelle-Aquitaine',
  '76': 'Occitanie',
  '84': 'Auvergne-Rhône-Alpes',
  '93': "Provence-Alpes-Côte d'Azur",
  '94': 'Corse',
};

/** The départements of each region (INSEE codes). */
const DEPARTEMENTS_OF: Readonly<Record<string, readonly string[]>> = {
  '01': ['971'],
  '02': ['972'],
  '03': ['973'],
  '04': ['974'],
  '06': ['976'],
  '11': ['75', '77', '78', '91', '92', '93', '94', '95'],
  '24': ['18', '28', '36', '37', '41', '45'],
  '27': ['21', '25', '39', '58', '70', '71', '89', '90'],
  '28': ['14', '27', '50', '61', '76'],
  '32': ['02', '59', '60', '62', '80'],
  '44': ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'],
  '52': ['44', '49', '53', '72', '85'],
  '53': ['22', '29', '35', '56'],
  '75': ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'],
  '76': ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'],
  '84': ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'],
  '93': ['04', '05', '06', '13', '83', '84'],
  '94': ['2A', '2B'],
};

/** The région of each département. */
export const REGION_OF_DEPARTEMENT: ReadonlyMap<string, string> = new Map(Object.entries(DEPARTEMENTS_OF).flatMap(([region, deps]) => deps.map((d) => [d, region] as const)));

/** The regions before 2016 (codes a publisher may still write) and the region each joined. */
const REGIONS_BEFORE_2016: Readonly<Record<string, string>> = {
  '21': '44', // Champagne-Ardenne
  '22': '32', // Picardie
  '23': '28', // Haute-Normandie
  '25': '28', // Basse-Normandie
  '26': '27', // Bourgogne
  '31': '32', // Nord-Pas-de-Calais
  '41': '44', // Lorraine
  '42': '44', // Alsace
  '43': '27', // Franche-Comté
  '54': '75', // Poitou-Charentes
  '72': '75', // Aquitaine
  '73': '76', // Midi-Pyrénées
  '74': '75', // Limousin
  '82': '84', // Rhône-Alpes
  '83': '84', // Auvergne
  '91': '76', // Languedoc-Roussillon
};

/** The NUTS 2021 regions of France (level 1; overseas at level 2) and their INSEE region. */
const NUTS_REGIONS: Readonly<Record<string, string>> = {
  FR1: '11',
  FRB: '24',
  FRC: '27',
  FRD: '28',
  FRE: '32',
  FRF: '44',
  FRG: '52',
  FRH: '53',
  FRI: '75',
  FRJ: '76',
  FRK: '84',
  FRL: '93',
  FRM: '94',
  FRY1: '01',
  FRY2: '02',
  FRY3: '03',
  FRY4: '04',
  FRY5: '06',
};

/**
 * The département of a French postal code or commune code (Code officiel géographique): its first
 * two characters, three overseas (971–976); Corsica's postal codes (20…) by their third digit (200–
 * 201: Corse-du-Sud, 202–206: Haute-Corse), its commune codes 2A…/2B…. Monaco and the overseas
 * collectivities (98…), countries (99…) and anything else: none.
 */
export function departementOfFiveChars(code: string): string | null {
  if (!/^(?:\d{5}|2[AB]\d{3})$/.test(code)) return null;
  if (code.startsWith('97')) return REGION_OF_DEPARTEMENT.has(code.slice(0, 3)) ? code.slice(0, 3) : null;
  if (code.startsWith('20')) return code[2] === '0' || code[2] === '1' ? '2A' : code[2] === '2' || code[2] === '6' ? '2B' : null;
  const d = code.slice(0, 2);
  return REGION_OF_DEPARTEMENT.has(d) ? d : null;
}

/**
 * The département a code given as one names: `01`–`95`, `2A`/`2B`, `971`–`976`; a number that lost
 * its leading zero (`1`), or one given a zero too many (`078`), as the département it names.
 */
export function departementOfCode(code: string): string | null {
  const c = code.trim().toUpperCase();
  const d = /^\d$/.test(c) ? `0${c}` : /^0\d\d$/.test(c) ? c.slice(1) : c;
  return REGION_OF_DEPARTEMENT.has(d) ? d : null;
}

/**
 * The département of a code of the Code officiel géographique as DECP gives one (a commune, an
 * arrondissement, a canton; a département's own code under "Code commune"): a commune's five
 * characters (departementOfFiveChars); an arrondissement's département and one digit (`011`: Ain's
 * first, `2A1`; overseas `9711`) or a canton's and two (`0101`, overseas `97101`: five characters, read
 * as a commune's, which gives the same); a département's two characters (or three, overseas).
 */
function departementOfCog(code: string): string | null {
  const c = code.trim();
  if (c.length === 5) return departementOfFiveChars(c);
  if (c.length === 2) return departementOfCode(c);
  if (c.startsWith('97')) return c.length >= 3 && REGION_OF_DEPARTEMENT.has(c.slice(0, 3)) ? c.slice(0, 3) : null;
  if (c.length === 3 || c.length === 4) return /^(?:\d\d|2[AB])\d+$/.test(c) && REGION_OF_DEPARTEMENT.has(c.slice(0, 2)) ? c.slice(0, 2) : null;
  return null;
}

/** The region (INSEE, 2016) a code given as a region's names: a current code, or one of before 2016. */
export function regionOfCode(code: string): string | null {
  const c = code.trim();
  if (c in FRENCH_REGIONS) return c;
  return REGIONS_BEFORE_2016[c] ?? null;
}

/** The region of a NUTS code of France (any level). */
function regionOfNuts(code: string): string | null {
  const c = code.trim().toUpperCase();
  return NUTS_REGIONS[c.slice(0, 4)] ?? NUTS_REGIONS[c.slice(0, 3)] ?? null;
}

export interface Place {
  /** The French département (INSEE code), when one is known. */
  readonly departement: string | null;
  /** The French région (INSEE code, 2016), or another country's region as its address names it. */
  readonly region: string | null;
}

const isObj = (v: JsonValue | undefined): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const objs = (v: JsonValue | undefined): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const text = (v: JsonValue | undefined): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

const french = (departement: string | null, region: string | null): Place => ({ departement, region: region ?? (departement === null ? null : REGION_OF_DEPARTEMENT.get(departement)!) });

/**
 * The places an item gives. An address in France (or one without a country, in a DECP release):
 * its postal code's département, or the département or région its `region` holds — which one of
 * the two the DECP source says (`lieuExecution.typeCode`, as `regionLabel`: DECP's "Code
 * département" and "Code région" both become `region`, and their codes overlap); an address
 * elsewhere: its `region` as given. A location: a French commune's (or département's) code of the
 * Code officiel géographique, or a NUTS code of France.
 */
function placesOfItem(item: Obj, decp: boolean, regionLabel: string | null): Place[] {
  const out: Place[] = [];
  for (const a of objs(item['deliveryAddresses'])) {
    const country = text(a['countryName']);
    const inFrance = country === null ? decp : /^france$/i.test(country);
    const postal = text(a['postalCode']);
    const region = text(a['region']);
    if (inFrance) {
      const d = postal === null ? null : departementOfFiveChars(postal.replace(/\s/g, ''));
      if (d !== null) out.push(french(d, null));
      else if (region !== null && decp) {
        if (regionLabel !== null && /r[ée]gion/i.test(regionLabel)) {
          const r = regionOfCode(region);
          if (r !== null) out.push(french(null, r));
        } else {
          // (a "Code département" of five characters is a postal or commune code, as platforms fill
          // it: its département)
          const compact = region.replace(/\s/g, '');
          const dep = departementOfCode(region) ?? (compact.length === 5 ? departementOfFiveChars(compact) : null);
          if (dep !== null) out.push(french(dep, null));
        }
      } else if (region !== null) out.push({ departement: null, region });
    } else if (region !== null) out.push({ departement: null, region });
  }
  for (const l of objs(item['deliveryLocations'])) {
    const g = isObj(l['gazetteer']) ? l['gazetteer'] : {};
    const scheme = text(g['scheme']);
    for (const id of Array.isArray(g['identifiers']) ? g['identifiers'] : []) {
      const code = text(id);
      if (code === null) continue;
      if (scheme === 'FR-COG') {
        const d = departementOfCog(code.toUpperCase());
        if (d !== null) out.push(french(d, null));
      } else if (scheme === 'NUTS') {
        const r = regionOfNuts(code);
        if (r !== null) out.push(french(null, r));
      }
    }
  }
  return out;
}

/**
 * The place of a contract from its items: the département when its items agree on one, the region
 * when they agree on one (each null otherwise: no place, or several). `decp`: the release is a DECP
 * one; `placeType`: its source's `lieuExecution.typeCode`, as given.
 */
export function placeOfItems(items: readonly Obj[], decp: boolean, placeType: string | null): Place {
  const places = items.flatMap((i) => placesOfItem(i, decp, placeType));
  const one = (values: Array<string | null>): string | null => {
    const set = new Set(values.filter((v): v is string => v !== null));
    return set.size === 1 ? [...set][0]! : null;
  };
  return { departement: one(places.map((p) => p.departement)), region: one(places.map((p) => p.region)) };
}
