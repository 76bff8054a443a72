/**
 * A field only the 2024 formats have, given with nothing in it (`"idAccordCadre": null`,
 * `<idAccordCadre xsi:nil="true"/>`: an export that writes every column it knows), made a 2019
 * record read as 2024: the 2019 rule for its id was not applied, and the same contract got two
 * ocids. It says nothing of the record's generation now; a 2024 field with a value still does.
 */
import { readBytes } from '../helpers/ingest.js';
import { createConverter } from '../../src/transform/decp/convert-record.js';
import { loadProfile } from '../../src/ingest/profiles.js';
import type { SourceRecord } from '../../src/ingest/types.js';

const converter = createConverter(await loadProfile(), { ocidPrefix: 'ocds-78apv2', runDate: '2026-01-01T00:00:00Z' });

const BASE = '"id":"2021AB000000","acheteur":{"id":"21590163800019","nom":"Ville de Croix"},"nature":"Marché","objet":"Voirie","codeCPV":"45000000","procedure":"Procédure adaptée","lieuExecution":{"code":"59170","typeCode":"Code postal","nom":"Croix"},"dureeMois":3,"dateNotification":"2021-01-05","datePublicationDonnees":"2021-01-10","montant":50000,"formePrix":"Ferme","titulaires":[{"typeIdentifiant":"SIRET","id":"81809944200019","denominationSociale":"A"}]';

const ocidOf = (r: SourceRecord): string => {
  const out = converter.convert(r);
  if (!out.ok) throw new Error(out.reason);
  return String(out.releases[0]!['ocid']);
};

test('JSON: a 2024 field that holds nothing leaves a 2019 record 2019, with the same ocid as without it', async () => {
  const empties = ['null', '""', '[]', '{}'];
  const r = await readBytes(`{"marches":[{${BASE}},${empties.map((e) => `{${BASE},"idAccordCadre":${e},"techniques":${e}}`).join(',')}]}`);
  expect(r.records.map((x) => x.version)).toEqual(['2019', '2019', '2019', '2019', '2019']);
  expect(new Set(r.records.map(ocidOf))).toEqual(new Set(['ocds-78apv2-21590163800019-2021AB0000']));
});

test('JSON: a 2024 field with a value makes a flat record the interim shape, unless the record names its buyer or place (2019 only)', async () => {
  const noNames = BASE.replace(',"nom":"Ville de Croix"', '').replace(',"nom":"Croix"', '');
  const r = await readBytes(`{"marches":[{${BASE},"idAccordCadre":"AC-1"},{${BASE},"offresRecues":3},{${noNames},"idAccordCadre":"AC-1"}]}`);
  expect(r.records.map((x) => x.version)).toEqual(['2019', '2019', '2023-interim']);
  // a 2019 record with an extra field keeps the ocid it has without it (the 2019 rule for its id)
  expect(r.records.map(ocidOf)).toEqual(['ocds-78apv2-21590163800019-2021AB0000', 'ocds-78apv2-21590163800019-2021AB0000', 'ocds-78apv2-21590163800019-2021AB000000']);
  // 2024 wrapped lists stay 2024 whatever names the record gives
  const wrapped = await readBytes(`{"marches":[{${BASE.replace('"titulaires":[{', '"titulaires":[{"titulaire":{').replace('"A"}]', '"A"}}]')},"offresRecues":3}]}`);
  expect(wrapped.records.map((x) => x.version)).toEqual(['2024']);
});

test('XML: an empty or nil 2024 element leaves a 2019 record 2019; one with a value makes it 2024', async () => {
  const m = (extra: string): string =>
    `<marche><id>2021AB000000</id><acheteur><id>21590163800019</id><nom>Ville</nom></acheteur><nature>Marché</nature><objet>Voirie</objet><lieuExecution><code>59170</code><typeCode>Code postal</typeCode><nom>Croix</nom></lieuExecution><dureeMois>3</dureeMois><dateNotification>2021-01-05</dateNotification><montant>1</montant><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>81809944200019</id><denominationSociale>A</denominationSociale></titulaire></titulaires>${extra}</marche>`;
  const r = await readBytes(`<marches xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${m('')}${m('<idAccordCadre xsi:nil="true"/>')}${m('<idAccordCadre> </idAccordCadre>')}${m('<idAccordCadre>AC-1</idAccordCadre>')}</marches>`);
  expect(r.rejects).toEqual([]);
  // (the fourth names its buyer and place, which 2024 does not: a 2019 record with an extra field)
  expect(r.records.map((x) => x.version)).toEqual(['2019', '2019', '2019', '2019']);
  expect(r.records.map(ocidOf)).toEqual(Array(4).fill('ocds-78apv2-21590163800019-2021AB0000'));
  // without names, a 2024 field with a value makes it 2024
  const unnamed = (extra: string): string => m(extra).replace('<nom>Ville</nom>', '').replace('<nom>Croix</nom>', '');
  const u = await readBytes(`<marches>${unnamed('')}${unnamed('<idAccordCadre>AC-1</idAccordCadre>')}</marches>`);
  expect(u.records.map((x) => x.version)).toEqual(['2019', '2024']);
});
