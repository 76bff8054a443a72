/**
 * Control characters that XML 1.0 forbids (U+0001, a vertical tab pasted into a title: an export's
 * fault that DECP consolidations strip) rejected the whole record: they are taken out, the record is
 * read, and said (INGEST_XML_REPAIRED).
 */
import { readBytes } from '../helpers/ingest.js';

test('a record with control characters XML does not allow is read without them, flagged; a well-formed one is untouched', async () => {
  const r = await readBytes('<marches><marche><id>1</id><objet>Entretien \u0001des espaces\u000b verts</objet><montant>10</montant></marche><marche><id>2</id><objet>A\tB</objet></marche></marches>');
  expect(r.records.map((x) => x.data['objet'])).toEqual(['Entretien des espaces verts', 'A\tB']);
  expect(r.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_REPAIRED', message: expect.stringMatching(/^2 control character/) })]);
  expect(r.records[1]!.issues).toEqual([]);
  // another fault beside them is still the record's reject
  const bad = await readBytes('<marches><marche><id>3</id><objet>\u0001</objet><a></b></marche></marches>');
  expect(bad.records).toEqual([]);
});
