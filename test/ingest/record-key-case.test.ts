/**
 * A DECP record whose keys are spelt otherwise than the schema's (`ACHETEUR`, `Titulaires`,
 * `Date_Notification`: a database's export, Oracle's upper case) is of its kind by them, as the
 * mapping reads them (found by a probe: a 2019 flat list so written was rejected whole, "the profile
 * does not map records of type unknown", where a 2024 container's names and XML's match in any case).
 */
import { readFileSync } from 'node:fs';
import { readBytes, SHARED } from '../helpers/ingest.js';

const CROIX = JSON.parse(readFileSync(`${SHARED}decp/samples/2019-json/marches-securises_ville-de-croix_2019-2021.json`, 'utf8')) as { marches: Record<string, unknown>[] };

const respell = (v: unknown, key: (k: string) => string): unknown =>
  Array.isArray(v) ? v.map((x) => respell(x, key)) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [key(k), respell(x, key)])) : v;

test.each([
  ['upper case', (k: string): string => k.toUpperCase()],
  ['capitalised, snake case', (k: string): string => k[0]!.toUpperCase() + k.slice(1).replace(/([A-Z])/g, '_$1')],
])('a 2019 flat list with its keys in %s is read as its marchés, as the same list as published', async (_, key) => {
  const given = await readBytes(JSON.stringify(CROIX));
  const respelt = await readBytes(JSON.stringify({ marches: respell(CROIX.marches, key) }));
  expect(respelt.rejects).toEqual([]);
  expect(respelt.records.map((r) => [r.type, r.version])).toEqual(given.records.map((r) => [r.type, r.version]));
  expect(new Set(respelt.records.map((r) => r.type))).toEqual(new Set(['marche']));
  // (a concession by its own keys so spelt, and an object of neither kind stays unknown)
  const other = await readBytes(JSON.stringify({ marches: [{ ID: '1', AUTORITE_CONCEDANTE: { ID: '21590163800019' }, VALEUR_GLOBALE: 10 }, { Foo: 1, Bar: 'x' }] }));
  expect(other.records.map((r) => r.type)).toEqual(['contrat-concession', 'unknown']);
});

test("a loosely spelt type or nature alone (a partner's record) does not make a DECP record of it", async () => {
  const r = await readBytes(JSON.stringify([{ Type: 'Concession', NATURE: 'Marché', ref: '1' }]));
  expect(r.records.map((x) => x.type)).toEqual(['unknown']);
});
