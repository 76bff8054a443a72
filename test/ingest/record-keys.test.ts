/**
 * A partner's JSON document that wraps its records (`{"contratos": […]}`): the profile names the
 * root key of their list (settings.json.records), and each item is a record, with its position.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBytes } from '../helpers/ingest.js';
import { convertAll } from '../helpers/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { checkProfile } from '../../src/transform/canonical.js';
import type { MappingProfile } from '../../src/transform/profile.js';

const DOC = '{"fuente":"registro","total":3,\n"contratos":[\n{"ref":"1","nit":"9"},\n{"ref":"2","nit":"9"},\n{"ref":"3"}\n],"pie":{"x":1}}\n';

test('each item of the named list is a record, with its line; the document around it is the file’s metadata', async () => {
  const got = await readBytes(DOC, { jsonRecordKeys: ['contratos'] });
  expect(got.records.map((r) => [r.type, r.data, r.provenance.line])).toEqual([
    ['unknown', { ref: '1', nit: '9' }, 3],
    ['unknown', { ref: '2', nit: '9' }, 4],
    ['unknown', { ref: '3' }, 5],
  ]);
  expect(got.rejects).toEqual([]);
});

test('without the setting the document is one record, as before', async () => {
  const got = await readBytes(DOC);
  expect(got.records).toHaveLength(1);
});

test.each([1, 2, 3, 7, 16])('chunks of %i byte(s) give what the whole document gives', async (size) => {
  const whole = await readBytes(DOC, { jsonRecordKeys: ['contratos'] });
  const got = await readBytes(DOC, { jsonRecordKeys: ['contratos'] }, size);
  expect(got.records).toEqual(whole.records);
  expect(got.summary).toEqual(whole.summary);
});

test('a profile’s settings.json.records reaches convert; a malformed one is refused', async () => {
  const file = join(tempDir('wrapped-'), 'doc.json');
  writeFileSync(file, DOC);
  const profile = { name: 'p', settings: { checkSiret: false, json: { records: 'contratos' } }, records: { unknown: { as: 'marche', fields: { id: { from: 'ref' }, buyerId: { from: 'nit', transform: 'identifier' } } } } } as unknown as MappingProfile;
  const got = await convertAll([file], profile);
  expect(got.counts).toMatchObject({ read: 3, converted: 2, rejected: 1 });
  expect(got.rejects.map((r) => [r.code, r.provenance.line])).toEqual([['TRANSFORM_NO_BUYER_ID', 5]]);
  for (const bad of [{ records: 'a.b' }, { records: [] }, { list: 'x' }]) {
    expect(() => checkProfile({ ...profile, settings: { json: bad } })).toThrow(/settings\.json/);
  }
});
