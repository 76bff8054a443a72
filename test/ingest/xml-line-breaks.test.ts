/**
 * XML whose lines end with a lone CR (an old Mac export): XML reads a lone CR as a line break, and
 * so does the record's parser, but the splitter counted LF only: every record was on line 1 (at a
 * column of tens of thousands), and a reject's reason named a line the reject's own line contradicted.
 */
import { readBytes } from '../helpers/ingest.js';

const lines = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<marches>',
  '  <marche>',
  '    <id>1</id>',
  '    <objet>A</objet>',
  '  </marche>',
  '  <marche>',
  '    <id>2</id>',
  '    <objet>B &nbspx; C</objet>',
  '  </marche>',
  '  <marche>',
  '    <id>3</id>',
  '  </marche>',
  '</marches>',
  '',
];

test.each([
  ['LF', '\n'],
  ['CRLF', '\r\n'],
  ['a lone CR', '\r'],
])('lines ending with %s: records and rejects at their lines, whatever the chunks', async (_, eol) => {
  for (const size of [undefined, 1, 2, 7]) {
    const r = await readBytes(lines.join(eol), {}, size);
    expect(r.records.map((x) => [x.data['id'], x.provenance.line])).toEqual([
      ['1', 3],
      ['3', 11],
    ]);
    expect(r.rejects.map((x) => [x.provenance.line, x.provenance.column, x.code, x.reason.replace(/:.*/, '')])).toEqual([[7, 3, 'INGEST_XML_ENTITY', 'invalid XML in <marche> (line 9)']]);
  }
});

test('a lone CR ending a first line longer than a read (its CR at a chunk\'s end) is counted, whatever the chunks', async () => {
  const long = ['<?xml version="1.0" encoding="UTF-8"?>', `<!-- ${'x'.repeat(70_000)} -->`, ...lines.slice(1)];
  for (const size of [undefined, 1, 4096, 65_536, 70_046]) {
    const r = await readBytes(long.join('\r'), {}, size);
    expect([size, r.records.map((x) => x.provenance.line), r.rejects.map((x) => [x.provenance.line, x.provenance.column])]).toEqual([size, [4, 12], [[8, 3]]]);
  }
});
