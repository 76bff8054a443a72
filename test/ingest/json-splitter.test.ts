/** The byte-level record splitter: where records are found, in every shape. */
import { pointerKeys } from '../../src/core/keys.js';
import { JsonRecordSplitter, valueStarts, type SplitEvent } from '../../src/ingest/json-splitter.js';

function split(text: string, chunk = text.length): SplitEvent[] {
  const s = new JsonRecordSplitter();
  const buf = Buffer.from(text);
  const out: SplitEvent[] = [];
  for (let i = 0; i < buf.length; i += chunk) out.push(...s.push(buf.subarray(i, i + chunk)));
  out.push(...s.end());
  return out;
}

const records = (evs: SplitEvent[]): Array<[string, string | null]> =>
  evs.flatMap((e) => (e.type === 'record' ? [[e.bytes.toString(), e.container] as [string, string | null]] : []));

describe('JsonRecordSplitter', () => {
  test.each([
    ['2019 flat list', '{"marches":[{"a":1},{"b":"}"}]}', [['{"a":1}', 'marches'], ['{"b":"}"}', 'marches']]],
    ['2024 nested lists', '{"marches":{"marche":[{"a":1}],"contrat-concession":[{"c":2}]}}', [['{"a":1}', 'marche'], ['{"c":2}', 'contrat-concession']]],
    ['2024 with repeated single "marche" keys', '{"marches":{"marche":{"a":1},"marche":{"b":2},"contrat-concession":{"c":3}}}', [['{"a":1}', 'marche'], ['{"b":2}', 'marche'], ['{"c":3}', 'contrat-concession']]],
    ['release package', '{"uri":"u","releases":[{"ocid":"x"}],"version":"1.1"}', [['{"ocid":"x"}', 'releases']]],
    ['record package', '{"records":[{"ocid":"x","releases":[{"id":"1"}]}]}', [['{"ocid":"x","releases":[{"id":"1"}]}', 'records']]],
    ['an OCDS record at the root keeps its releases', '{"ocid":"x","releases":[{"id":"1"}],"compiledRelease":{}}', [['{"ocid":"x","releases":[{"id":"1"}],"compiledRelease":{}}', null]]],
    ['a root array', ' [ {"a":1} , {"b":2} ] ', [['{"a":1}', null], ['{"b":2}', null]]],
    ['a root array of lists (pages joined by `jq -s`): their items, one level down', '[[{"a":1},{"b":"]"}], [{"c":[3]}], {"d":4}, [[{"e":5}]]]', [['{"a":1}', null], ['{"b":"]"}', null], ['{"c":[3]}', null], ['{"d":4}', null], ['[{"e":5}]', null]]],
    ['the lists among the items of a DECP list (pages put in whole): their items, one level down, of that list', '{"marches":{"marche":[[{"a":1},{"b":"]"}],{"c":3},[[{"d":4}]]]}}', [['{"a":1}', 'marche'], ['{"b":"]"}', 'marche'], ['{"c":3}', 'marche'], ['[{"d":4}]', 'marche']]],
    ['a lone record', '{"id":"1","acheteur":{"id":"2"}}', [['{"id":"1","acheteur":{"id":"2"}}', null]]],
    ['JSON Lines', '{"a":1}\n{"b":2}\r\n\n{"c":[3]}', [['{"a":1}', null], ['{"b":2}', null], ['{"c":[3]}', null]]],
    ['keys and strings with escapes', '{"mar\\u0063hes":[{"s":"a\\"]\\\\"},{"t":"\\\\"}]}', [['{"s":"a\\"]\\\\"}', 'marches'], ['{"t":"\\\\"}', 'marches']]],
    ['metadata values of any kind before the list', '{"$schema":"x","n":1.5e3,"t":true,"o":{"marches":[1]},"marches":[{"a":1}]}', [['{"a":1}', 'marches']]],
  ])('%s', (_name, text, want) => {
    for (const chunk of [text.length, 1, 2, 3, 5]) expect(records(split(text, chunk))).toEqual(want);
  });

  test('offsets and lines point at each record', () => {
    const evs = split('{\n  "marches": [\n    {"a":1},\n    {"b":2}\n  ]\n}\n', 4).filter((e) => e.type === 'record');
    expect(evs.map((e) => (e.type === 'record' ? [e.offset, e.line] : null))).toEqual([
      [21, 3],
      [34, 4],
    ]);
  });

  test('the package metadata comes back without the record lists', () => {
    const evs = split('{"uri":"u","releases":[{"ocid":"x"}],"version":"1.1","publisher":{"name":"P"}}', 3);
    const meta = evs.find((e) => e.type === 'meta');
    expect(meta && meta.type === 'meta' ? JSON.parse(meta.bytes!.toString()) : null).toEqual({ uri: 'u', releases: [], version: '1.1', publisher: { name: 'P' } });
  });

  test('a too-large record is reported, not buffered, and the next one is found', () => {
    const s = new JsonRecordSplitter({ maxRecordBytes: 20 });
    const evs = [...s.push(Buffer.from(`{"marches":[{"x":"${'y'.repeat(100)}"},{"a":1}]}`)), ...s.end()];
    expect(evs.map((e) => e.type)).toEqual(['bad-record', 'record', 'meta']);
  });

  test('records under `marches` are never left out: the 2024 names in any spelling, other lists with no container', () => {
    const text = '{"marches":{"Marche":[{"a":1}],"contrats_concession":[{"b":2}],"autres":[{"c":3}],"concession":{"d":4},"count":2}}';
    for (const chunk of [text.length, 1, 3, 7]) {
      expect(records(split(text, chunk))).toEqual([
        ['{"a":1}', 'marche'],
        ['{"b":2}', 'contrat-concession'],
        ['{"c":3}', null],
        ['{"d":4}', 'contrat-concession'],
      ]);
    }
  });

  test('`marches` that is one record (a list of one written as its item) is that record, whatever the chunks', () => {
    const one = '{"marches":{"id":"1","acheteur":{"id":"2"},"titulaires":[{"id":"3"}],"montant":12}}';
    for (const chunk of [one.length, 1, 3, 7]) {
      const evs = split(one, chunk);
      expect(records(evs)).toEqual([['{"id":"1","acheteur":{"id":"2"},"titulaires":[{"id":"3"}],"montant":12}', null]]);
      expect(evs.filter((e) => e.type === 'bad-record')).toEqual([]);
      expect(evs.map((e) => (e.type === 'record' ? [e.offset, e.line] : null)).filter(Boolean)).toEqual([[11, 1]]);
    }
  });

  test("the export's own data beside the lists under `marches` is no record; a list under another name before them is", () => {
    for (const [text, want] of [
      ['{"marches":{"dateExport":"2024-07-20","version":2,"marche":[{"a":1}]}}', [['{"a":1}', 'marche']]],
      ['{"marches":{"autres":[{"c":3}],"marche":[{"a":1}]}}', [['{"c":3}', null], ['{"a":1}', 'marche']]],
      ['{"marches":{"marches":[{"c":3}]}}', [['{"c":3}', null]]],
      // lists under names of their own, with or without the export's data: no field of a record, no record of it
      ['{"marches":{"contrats":[{"id":"1"},{"id":"2"}]}}', [['{"id":"1"}', null], ['{"id":"2"}', null]]],
      ['{"marches":{"dateExport":"2024-07-20","contrats":[{"id":"1"}],"editeur":{"nom":"X"}}}', [['{"id":"1"}', null], ['{"nom":"X"}', null]]],
      ['{"marches":{}}', []],
    ] as Array<[string, Array<[string, string | null]>]>) {
      for (const chunk of [text.length, 1, 4]) expect(records(split(text, chunk))).toEqual(want);
    }
  });

  test('`marches` wrapped in `marches` again is read as the root one is: its lists, or one record (found by a robustness probe: its records were one unknown record)', () => {
    for (const [text, want] of [
      ['{"marches":{"marches":{"marche":[{"a":1},{"b":2}],"contrat-concession":[{"c":3}]}}}', [['{"a":1}', 'marche'], ['{"b":2}', 'marche'], ['{"c":3}', 'contrat-concession']]],
      ['{"marches":{"marches":{"marches":{"marche":[{"a":1}]}}}}', [['{"a":1}', 'marche']]],
      ['{"marches":{"marche":[{"a":1}],"marches":{"marche":[{"b":2}]}}}', [['{"a":1}', 'marche'], ['{"b":2}', 'marche']]],
      ['{"marches":{"marches":{"id":"1","acheteur":{"id":"2"},"montant":12}}}', [['{"id":"1","acheteur":{"id":"2"},"montant":12}', null]]],
      ['{"marches":{"marches":[{"c":3}]}}', [['{"c":3}', null]]],
    ] as Array<[string, Array<[string, string | null]>]>) {
      for (const chunk of [text.length, 1, 2, 5, 9]) {
        const evs = split(text, chunk);
        expect([text, chunk, records(evs)]).toEqual([text, chunk, want]);
        expect(evs.filter((e) => e.type === 'bad-record' || e.type === 'syntax-error')).toEqual([]);
      }
    }
    // a wrapped record cut short is one bad record, at its start
    for (const chunk of [1000, 1, 3]) {
      const cut = split('{"marches":{"marches":{"id":"1","acheteur":{"id":', chunk);
      expect(cut.map((e) => (e.type === 'bad-record' ? `${e.reason} ${e.offset}` : e.type))).toEqual(['truncated 22']);
    }
  });

  test('`marches` too large to be one record holds lists: the records found in it are handed on, whatever the chunks', () => {
    const text = `{"marches":{"autres":[{"c":3}],"note":"${'z'.repeat(100)}"}}`;
    for (const chunk of [text.length, 1, 9, 64]) {
      const s = new JsonRecordSplitter({ maxRecordBytes: 60 });
      const buf = Buffer.from(text);
      const evs: SplitEvent[] = [];
      for (let i = 0; i < buf.length; i += chunk) evs.push(...s.push(buf.subarray(i, i + chunk)));
      evs.push(...s.end());
      expect(records(evs)).toEqual([['{"c":3}', null]]);
      expect(evs.filter((e) => e.type === 'bad-record')).toEqual([]);
    }
  });

  test('`marches` that is one record, cut short or broken, is one bad record at its start (its fields are not records)', () => {
    for (const chunk of [1000, 1, 5]) {
      const cut = split('{"marches":{"id":"1","acheteur":{"id":"2"},"titulaires":[{"id":', chunk);
      expect(cut.map((e) => (e.type === 'bad-record' ? `${e.reason} ${e.offset}` : e.type))).toEqual(['truncated 11']);
      const broken = split('{"marches":{"id":"1","acheteur":{"id":"2"} "objet":"x"}}', chunk);
      expect(broken.map((e) => (e.type === 'bad-record' ? `${e.reason} ${e.offset}` : e.type))).toEqual(['broken-line 11', 'syntax-error']);
      // lists under a name of their own, then a fault: their records are kept
      const lists = split('{"marches":{"autres":[{"a":1},{"b":2}] BAD', chunk);
      expect(lists.map((e) => (e.type === 'record' ? e.bytes.toString() : e.type))).toEqual(['{"a":1}', '{"b":2}', 'syntax-error']);
      const cutLists = split('{"marches":{"autres":[{"a":1},{"b":', chunk);
      expect(cutLists.map((e) => (e.type === 'record' ? e.bytes.toString() : e.type === 'bad-record' ? e.reason : e.type))).toEqual(['{"a":1}', 'truncated']);
    }
  });

  test('a list of concessions beside `marches` (or instead of it) is read', () => {
    expect(records(split('{"marches":[{"a":1}],"contrat-concession":[{"b":2}]}'))).toEqual([
      ['{"a":1}', 'marches'],
      ['{"b":2}', 'contrat-concession'],
    ]);
    expect(records(split('{"Contrats-Concession":[{"b":2}]}'))).toEqual([['{"b":2}', 'contrat-concession']]);
    // the 2024 wrapper object under a list name, before or after `marches`, whatever the chunks
    for (const text of ['{"marches":{"marche":[{"a":1}]},"contrats-concession":{"contrat-concession":[{"b":2}]}}', '{"contrats-concession":{"contrat-concession":[{"b":2}]},"marches":{"marche":[{"a":1}]}}']) {
      for (const chunk of [text.length, 1, 5]) {
        expect(records(split(text, chunk)).sort()).toEqual([
          ['{"a":1}', 'marche'],
          ['{"b":2}', 'contrat-concession'],
        ]);
      }
    }
    // a singular name over an object is one wrapped record, not a list of them
    expect(records(split('{"marche":{"id":"1","acheteur":{"id":"2"}}}'))).toEqual([['{"marche":{"id":"1","acheteur":{"id":"2"}}}', null]]);
  });

  // what is left after a problem: the records, and the bad ones with their first line
  const outcome = (evs: SplitEvent[]): string[] =>
    evs.flatMap((e) => (e.type === 'record' ? [`record ${e.line}: ${e.bytes.toString()}`] : e.type === 'bad-record' ? [`bad ${e.line}: ${e.reason}`] : []));

  test.each([
    ['a stray "}" at the top level is one bad value, read once', '}\n', ['bad 1: junk']],
    ['a pretty-printed lone record with a missing comma: one bad record, its other lines are not records', '{\n"id": "1"\n"objet": "a",\n"x": [1,\n2]\n}\n', ['bad 1: broken-line']],
    ['... and the next record that starts a line is found', '{\n"id": "1"\n"objet": "a"\n}\n{"id":"2"}\n', ['bad 1: broken-line', 'record 5: {"id":"2"}']],
    ['JSON Lines: a line cut inside a string does not swallow the next lines', '{"a":1}\n{"b":"cut\n{"c":3}\n{"d":"x"}\n', ['record 1: {"a":1}', 'bad 2: broken-line', 'record 3: {"c":3}', 'record 4: {"d":"x"}']],
    ['JSON Lines: a line cut inside a key', '{"a":1}\n{"b":2,"ke\n{"c":3}\n', ['record 1: {"a":1}', 'bad 2: broken-line', 'record 3: {"c":3}']],
    ['text after a document (an HTML error page) is one bad value', '{"marches":[{"a":1}]}\n<html>502 Bad Gateway</html>\n', ['record 1: {"a":1}', 'bad 2: junk']],
    ['JSON Lines: a raw line break inside a string (the next line does not open a record) stays in the record', '{"a":1}\n{"b":"ligne 1\nligne 2","c":3}\n{"d":4}\n', ['record 1: {"a":1}', 'record 2: {"b":"ligne 1\nligne 2","c":3}', 'record 4: {"d":4}']],
    ['after junk, an indented record is found', '{"a":1}\n<html>\n  {"b":2}\n', ['record 1: {"a":1}', 'bad 2: junk', 'record 3: {"b":2}']],
    ['a lone record missing its brace, then a record at the start of the next line', '{"a":"1"\n{"b":"2"}\n{"c":3}\n', ['bad 1: broken-line', 'record 2: {"b":"2"}', 'record 3: {"c":3}']],
    ['Infinity and NaN values are handed on (the record parser repairs them)', '{"a":Infinity}\n{"b":NaN}\n', ['record 1: {"a":Infinity}', 'record 2: {"b":NaN}']],
    ['text between JSON Lines', '{"a":1}\nErreur 500: service indisponible, réessayez\n{"b":2}\n', ['record 1: {"a":1}', 'bad 2: junk', 'record 3: {"b":2}']],
    // the first line cut: JSON Lines rules are not known yet (they start once a value fits on one line)
    ['JSON Lines whose first line was cut inside a string: the next lines are read', '{"a":"cu\n{"b":2}\n{"c":"x"}\n', ['bad 1: broken-line', 'record 2: {"b":2}', 'record 3: {"c":"x"}']],
    ['... cut after a key', '{"a":1,"t":\n{"b":2}\n{"c":3}\n', ['bad 1: broken-line', 'record 2: {"b":2}', 'record 3: {"c":3}']],
    ['... cut inside a nested array', '{"a":[{"x":1},\n{"b":2}\n{"c":3}\n', ['bad 1: broken-line', 'record 2: {"b":2}', 'record 3: {"c":3}']],
    ['... with no line break after the last line', '{"a":"cu\n{"b":2}', ['bad 1: broken-line', 'record 2: {"b":2}']],
    ['JSON Lines starting inside a line (a file split mid-line)', 'ut","x":1}\n{"b":2}\n{"c":3}\n', ['bad 1: broken-line', 'record 2: {"b":2}', 'record 3: {"c":3}']],
    ['... at a string', '"ut","x":1}\n{"b":2}\n', ['bad 1: broken-line', 'record 2: {"b":2}']],
    // a first line that gives a whole value is read as before (nothing it holds is lost)
    ['... at a nested object: that object, then the rest of the line as junk', '{"s":1},"r":[2]}\n{"b":2}\n', ['record 1: {"s":1}', 'bad 1: junk', 'record 2: {"b":2}']],
    ['an empty array, then JSON Lines', '[]\n{"b":2}\n', ['record 2: {"b":2}']],
    ['a scalar, then JSON Lines (rejected as not an object, as before)', 'null\n{"b":2}\n', ['record 1: null', 'record 2: {"b":2}']],
    ['a whole record then junk on the first line', '{"a":1} x\n{"b":2}\n', ['record 1: {"a":1}', 'bad 1: junk', 'record 2: {"b":2}']],
    ['JSON Lines of whole documents', '{"marches":[{"a":1},{"a":2}]}\n{"marches":[{"a":3}]}\n', ['record 1: {"a":1}', 'record 1: {"a":2}', 'record 2: {"a":3}']],
    ['... of release packages', '{"version":"1.1","releases":[{"a":1}]}\n{"version":"1.1","releases":[{"a":2}]}\n', ['record 1: {"a":1}', 'record 2: {"a":2}']],
    ['a first line the record parser repairs (NaN) is not a cut line', '{"a":NaN}\n{"b":2}\n', ['record 1: {"a":NaN}', 'record 2: {"b":2}']],
    ['a document whose records follow its first line is not JSON Lines', '{"marches":\n{"marche":[{"a":1}]}\n}\n', ['record 2: {"a":1}']],
    ['... nor a root array of one record per line', '[\n{"a":1}\n]\n', ['record 2: {"a":1}']],
    ['... nor a release package', '{"version":"1.1","releases":\n[{"a":1}]}\n', ['record 2: {"a":1}']],
  ])('%s', (_name, text, want) => {
    for (const chunk of [text.length, 1, 2, 3, 5, 7, 10]) expect(outcome(split(text, chunk))).toEqual(want);
  });
});

describe('a string left open at the end of its line, in a document', () => {
  // record 2's "objet" has lost its closing quote; the next line starts a key
  const doc = (eol: string, indent: string): string =>
    ['{', '"marches": [', '{', '"id": "1",', '"objet": "Voirie"', '},', '{', '"id": "2",', '"objet": "Travaux 1,', `${indent}"montant": 1001,`, '"date": "2024-01-02"', '},', '{', '"id": "3",', '"objet": "Eclairage\nde la place",', '"montant": 3', '}', ']', '}', ''].join(eol);
  const view = (evs: SplitEvent[]): unknown[] => evs.map((e) => (e.type === 'record' ? ['record', e.line, e.offset, e.bytes.toString(), e.unclosedLine ?? null] : [e.type]));

  test.each([
    ['LF', '\n', ''],
    ['CRLF and an indented key', '\r\n', '  \t'],
  ])('%s: the record ends where its braces say, the records after it are read, their lines true, at every chunk size', (_name, eol, indent) => {
    const text = doc(eol, indent);
    const whole = split(text);
    const recs = whole.filter((e) => e.type === 'record');
    expect(recs.map((e) => (e.type === 'record' ? [e.line, e.unclosedLine ?? null, JSON.parse(e.bytes.toString().replace(/\r?\n(?=de la)/, ' ').replace('Travaux 1,', 'Travaux 1",')) as unknown] : null))).toEqual([
      [3, null, { id: '1', objet: 'Voirie' }],
      [7, 9, { id: '2', objet: 'Travaux 1', montant: 1001, date: '2024-01-02' }],
      [13, null, { id: '3', objet: 'Eclairage de la place', montant: 3 }],
    ]);
    expect(whole.some((e) => e.type !== 'record' && e.type !== 'meta')).toBe(false);
    for (const chunk of [1, 2, 3, 4, 5, 7, 11, 64]) expect(view(split(text, chunk))).toEqual(view(whole));
  });

  test('a raw line break inside a string whose next line goes on with text, or closes it, is still a line of the string', () => {
    for (const text of [
      '{"marches":[{"objet":"Travaux\n  de voirie","n":1},{"b":2}]}',
      '{"marches":[{"objet":"Travaux\n  ","n":1},{"b":2}]}',
      '{"marches":[{"objet":"Travaux\n"  ,"n":1},{"b":2}]}',
      '{"marches":[{"objet":"Travaux\n  \\"Lot\\" 1","n":1},{"b":2}]}',
      // text that opens with a quoted word is not a key (no colon after it): read as it was
      '{"marches":[{"objet":"Travaux de\n"Les Jardins" lot 2","n":1},{"b":2}]}',
      '{"marches":[{"objet":"Travaux de\n"Les Jardins"\n:","n":1},{"b":2}]}',
    ]) {
      for (const chunk of [text.length, 1, 2, 3, 5]) {
        const evs = split(text, chunk);
        expect(records(evs).map(([r]) => r)).toEqual([text.slice(text.indexOf('[') + 1, text.indexOf(',{"b"')), '{"b":2}']);
        expect(evs.some((e) => e.type === 'record' && e.unclosedLine !== undefined)).toBe(false);
      }
    }
  });
});

describe('valueStarts (where the items of an object read whole are: see read-json.ts itemPlaces)', () => {
  test.each([
    ['a list under a key', '{"n":2,"results":[{"a":1}, {"b":"}"}]}', ['/results/0', '/results/1'], [18, 27]],
    // (strings holding brackets, quotes and escapes are passed over whole)
    ['strings with brackets and escapes', '{"s":"[{\\"","l":[ "x]", {"k":"\\\\"} ,7]}', ['/l/1', '/l/2'], [24, 36]],
    ['a key escaped, a key with "/" or "~"', '{"donn\\u00e9es":[{}],"a/b":{"c~d":[1,{}]}}', ['/données/0', '/a~1b/c~0d/1'], [17, 37]],
    // (offsets in bytes: "é" and "à" are two each)
    ['bytes, not characters', '{"é":"à","l":[{}]}', ['/l/0'], [16]],
    // (faults the record parser repairs: a comma before "]", NaN)
    ['a comma before "]", NaN', '{"r":[NaN,{"x":[1,]},{},]}', ['/r/1', '/r/2', '/r/3'], [10, 21, -1]],
    // (a key given twice: its last value, as JSON.parse keeps it)
    ['a key given twice', '{"r":[{"a":1}],"r":[{"b":2},{"c":3}]}', ['/r/0', '/r/1'], [20, 28]],
    ['not there', '{"r":{"s":[]}}', ['/r/t/0', '/q', '/r/s/0', '/r'], [-1, -1, -1, 5]],
  ])('%s', (_, text, pointers, expected) => {
    expect(valueStarts(Buffer.from(text), pointers, pointerKeys)).toEqual(expected);
  });
});
