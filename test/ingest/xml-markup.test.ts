/**
 * A processing instruction inside a record is well-formed XML whatever its text holds (`<?app a & b?>`):
 * its `&` is no bare ampersand to repair. It was counted as one, and the record's releases carried
 * an `INGEST_XML_REPAIRED` flag its JSON twin has not (found by an XML/JSON differential fuzz).
 */
import { readBytes } from '../helpers/ingest.js';

test('an & inside a processing instruction is left alone and not said; one after it is still repaired', async () => {
  const r = await readBytes('<marches><marche><id>1</id><?app a & b?><objet>R &amp; D</objet></marche><marche><id>2</id><?app x & y?><objet>A & B</objet></marche></marches>');
  expect(r.records.map((x) => x.data['objet'])).toEqual(['R & D', 'A & B']);
  expect(r.records[0]!.issues).toEqual([]);
  expect(r.records[1]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_REPAIRED', message: expect.stringMatching(/^1 "&"/) })]);
  // a processing instruction that never closes leaves the rest to the parser, which rejects the record
  const open = await readBytes('<marches><marche><id>3</id><objet>A</objet><?app & </marche></marches>');
  expect(open.records).toEqual([]);
});
