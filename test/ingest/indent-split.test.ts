/**
 * recordsByIndent: the records of a pretty-printed list, inside a record whose braces do not balance,
 * told apart by their indentation — and nothing told apart when the indentation says nothing.
 */
import { recordsByIndent, recordsByKeys, recordsOfRunOn } from '../../src/ingest/indent-split.js';

const pieces = (text: string): string[] | null => {
  const bytes = Buffer.from(text);
  const got = recordsByIndent(bytes);
  return got === null ? null : got.map(([s, e]) => bytes.subarray(s, e).toString());
};

// what the splitter hands over when the first record's "acheteur" is not closed: that record and
// the next ones, up to the list's closing bracket, where the braces balance
const swallowed = ['{', '      "id": "1",', '      "acheteur": {', '        "id": "a"', '      "montant": 1', '    },', '    {', '      "id": "2",', '      "acheteur": {', '        "id": "b"', '      }', '    },', '    {"id": "3"},', '    {', '      "id": "4"', '    }', '  ]'].join('\n');

test('the records after a record with a brace missing are found at the list\'s indentation; the brackets that ended the capture are left out', () => {
  expect(pieces(swallowed)).toEqual([
    ['{', '      "id": "1",', '      "acheteur": {', '        "id": "a"', '      "montant": 1', '    }'].join('\n'),
    ['{', '      "id": "2",', '      "acheteur": {', '        "id": "b"', '      }', '    }'].join('\n'),
    '{"id": "3"}',
    ['{', '      "id": "4"', '    }'].join('\n'),
  ]);
  // with CR LF line ends, and up to the end of the file (the root's brace after the list's bracket)
  expect(pieces(`${swallowed}\n}\n`.replace(/\n/g, '\r\n'))?.length).toBe(4);
});

test('a record whose own closing brace is missing (a comma alone on its line) is a piece up to its last line; the records after it are pieces', () => {
  const text = ['{', '      "id": "1",', '      "titulaires": [', '        {', '          "id": "a"', '        }', '      ]', '    ,', '    {', '      "id": "2"', '    },', '    {', '      "id": "3"', '    }', '  ]'].join('\n');
  expect(pieces(text)).toEqual([['{', '      "id": "1",', '      "titulaires": [', '        {', '          "id": "a"', '        }', '      ]'].join('\n'), ['{', '      "id": "2"', '    }'].join('\n'), ['{', '      "id": "3"', '    }'].join('\n')]);
  // two records without their brace: the indentation is not trusted
  expect(pieces(text.replace('    },', '    ,'))).toBeNull();
});

test('records on one line each, in a list written one per line', () => {
  expect(pieces(['{"id": "1", "acheteur": {"id": "a", "montant": 1},', '{"id": "2"},', '{"id": "3"}', ']'].join('\n'))).toEqual(['{"id": "1", "acheteur": {"id": "a", "montant": 1}', '{"id": "2"}', '{"id": "3"}']);
});

test('nothing is told apart when the indentation says nothing: one record, lines not deeper than its pieces, text after the last', () => {
  // a record broken otherwise (a bad escape), whose list of objects is indented deeper than its keys
  expect(pieces(['{', '  "id": "1\\x",', '  "titulaires": [', '    {', '      "id": "a"', '    },', '    {', '      "id": "b"', '    }', '  ]', '}'].join('\n'))).toBeNull();
  // written flush left: a nested list of objects is at the same indentation as the records
  expect(pieces(['{', '"id": "1",', '"titulaires": [', '{', '"id": "a"', '},', '{', '"id": "b"', '}', ']', '}'].join('\n'))).toBeNull();
  // a line inside a piece no deeper than the list
  expect(pieces(['{', '    "id": "1",', '  "acheteur": {', '    },', '  {', '    "id": "2"', '  }', ']'].join('\n'))).toBeNull();
  // something other than closing brackets after the last piece
  expect(pieces(['{', '    "id": "1",', '    "a": {', '  },', '  {', '    "id": "2"', '  }', '  "x": 1', ']'].join('\n'))).toBeNull();
  // one line, or no line break at all
  expect(pieces('{"id": "1", "a": {"b": 1}')).toBeNull();
  expect(pieces('')).toBeNull();
});

describe('recordsByKeys: a list on one line, told apart by the records\' first two keys', () => {
  const byKeys = (text: string): string[] | null => {
    const bytes = Buffer.from(text);
    const got = recordsByKeys(bytes);
    return got === null ? null : got.map(([s, e]) => bytes.subarray(s, e).toString());
  };
  // the first record's "acheteur" not closed: the braces balance at the list's "]"
  const r1 = '{"id":"1","acheteur":{"id":"a","titulaires":[{"id":"t1","typeIdentifiant":"SIRET"},{"id":"t2","typeIdentifiant":"SIRET"}]}';
  const r2 = '{"id":"2","acheteur":{"id":"b"},"titulaires":[{"id":"t3","typeIdentifiant":"SIRET"}]}';
  const r3 = '{"id":"3","acheteur":{"id":"c"}}';

  test('each record after the damaged one is a piece; lists of objects inside records (first key "id" too) are not cut', () => {
    expect(byKeys(`${r1},${r2}, ${r3}]`)).toEqual([r1, r2, r3]);
    expect(recordsOfRunOn(Buffer.from(`${r1},${r2}, ${r3}]`))).toMatchObject({ by: 'first keys', pieces: { length: 3 } });
  });

  test('the damaged record may be the one whose own closing brace is missing', () => {
    const own = '{"id":"1","acheteur":{"id":"a"},"montant":1';
    expect(byKeys(`${own},${r2},${r3}]`)).toEqual([own, r2, r3]);
  });

  test('nothing is told apart when a later piece does not parse, or the capture does not end with its list\'s bracket', () => {
    expect(byKeys(`${r1},${r2.replace('"b"}', '"b"')},${r3}]`)).toBeNull();
    expect(byKeys(`${r1},${r2},${r3}}`)).toBeNull();
    expect(byKeys(`${r1}]`)).toBeNull();
    expect(byKeys('[1]')).toBeNull();
  });
});

describe('recordsByKeys: where the braces balanced past the list', () => {
  const r1 = '{"id":"1","acheteur":{"id":"a"},"objet":"x';
  const r2 = '{"id":"2","acheteur":{"id":"b"},"titulaires":[{"id":"t"}]}';
  test('the last record ends before its list\'s "]"; the document\'s brackets and keys after it are no record', () => {
    const bytes = Buffer.from(`${r1},${r2}],"contrat-concession":[]}`);
    expect(recordsByKeys(bytes)?.map(([s, e]) => bytes.subarray(s, e).toString())).toEqual([r1, r2]);
  });
  test('nothing is told apart when an object follows the last record (another list\'s records would be lost with it)', () => {
    expect(recordsByKeys(Buffer.from(`${r1},${r2}],"contrat-concession":[{"id":"C1"}]}`))).toBeNull();
  });
  test('with `lists` (as recordsOfRunOn asks), the DECP lists after it are read too, each object a piece of its own list; anything else after it still tells nothing apart', () => {
    const bytes = Buffer.from(`${r1},${r2}],"contrat-concession":[{"id":"C1","x":"}]"} , {"id":"C2"}],"marche":[]}`);
    const got = recordsByKeys(bytes, true);
    expect(got?.map(([s, e, list]) => [bytes.subarray(s, e).toString(), list])).toEqual([
      [r1, undefined],
      [r2, undefined],
      ['{"id":"C1","x":"}]"}', 'contrat-concession'],
      ['{"id":"C2"}', 'contrat-concession'],
    ]);
    expect(recordsOfRunOn(bytes)?.pieces).toEqual(got);
    for (const after of ['],"autres":[{"id":"C1"}]}', '],"contrat-concession":[{"id":"C1"]}', '],"contrat-concession":[{"id":"C1"}],"x":{"a":1}}', '],"contrat-concession":[{"id":"C1"} {"id":"C2"}]}']) {
      expect([after, recordsByKeys(Buffer.from(`${r1},${r2}${after}`), true)]).toEqual([after, null]);
    }
  });
});
