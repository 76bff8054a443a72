/**
 * A JSON key given twice in one object: JSON.parse keeps the last value and drops the others without
 * a word; ingest flags each such key (INGEST_JSON_DUPLICATE_KEY) with the values left out, in every
 * shape of file and whatever the chunks.
 */
import fc from 'fast-check';
import { duplicateKeys, membersOf, pointerAt } from '../../src/ingest/duplicate-keys.js';
import { JsonRecordSplitter } from '../../src/ingest/json-splitter.js';
import { parseRecordBytes } from '../../src/ingest/parse-record.js';
import { readBytes } from '../helpers/ingest.js';

const dupFlags = (issues: ReadonlyArray<{ code: string; pointer?: string; raw?: unknown }>): Array<[string | undefined, unknown]> =>
  issues.filter((i) => i.code === 'INGEST_JSON_DUPLICATE_KEY').map((i) => [i.pointer, i.raw]);

describe('a key given twice in a DECP JSON record', () => {
  const record = '{"id":"1","montant":1000,"acheteur":{"id":"21690123100011"},"titulaires":[{"titulaire":{"typeIdentifiant":"SIRET","id":"33332163600479","id":"33332163600480"}}],"montant":2000,"a/b":{"x:y":"\\"a\\":1,"},"a/b":null}';
  const expected: Array<[string, unknown]> = [
    ['/titulaires/0/titulaire/id', '33332163600479'],
    ['/montant', 1000],
    ['/a~1b', { 'x:y': '"a":1,' }],
  ];
  const other = '{"id":"2","montant":5,"objet":"a \\"b\\": c","x":{"y":[1,{"z":2}]}}';
  /** The record pretty-printed as some exporters do (a space before each colon, a member per line), its strings as they are. */
  const pretty = (t: string): string => t.replace(/("(?:[^"\\]|\\.)*")|([:,])/g, (_m, str: string | undefined, p: string | undefined) => str ?? (p === ':' ? ' : ' : ',\n        '));
  const shapes: Array<[string, string]> = [
    ['a 2019 document', `{"marches":[${record},${other}]}`],
    ['a 2024 document, pretty-printed with spaces before colons', `{\n  "marches" : {\n    "marche" : [\n      ${pretty(record)},\n      ${pretty(other)}\n    ]\n  }\n}\n`],
    ['JSON Lines', `${record}\n${other}\n`],
    ['a lone record (not counted by the splitter: scanned)', record],
  ];
  test.each(shapes)('%s: flagged with its pointer and the value left out, the last value kept, whatever the chunks; the clean record has no flag', async (_name, text) => {
    for (const size of [undefined, 1, 2, 7, 64]) {
      const r = await readBytes(text, {}, size);
      expect(r.rejects).toEqual([]);
      const first = r.records[0]!;
      expect(first.data).toMatchObject({ montant: 2000, titulaires: [{ titulaire: { id: '33332163600480' } }], 'a/b': null });
      expect([size, dupFlags(first.issues)]).toEqual([size, expected]);
      if (r.records[1]) expect([size, dupFlags(r.records[1].issues)]).toEqual([size, []]);
    }
  });

  test('three times: the two values left out, in text order; a key dropped as unsafe is not counted twice; a repaired record is still checked', () => {
    const three = parseRecordBytes(Buffer.from('{"a":1,"a":[2],"a":"3"}'), 'utf-8', false, true, 3);
    expect(three.ok && three.data).toEqual({ a: '3' });
    expect(three.ok && dupFlags(three.issues)).toEqual([['/a', [1, [2]]]]);
    expect(three.ok && three.issues[0]!.message).toMatch(/given 3 times.*last value is kept/);
    const proto = parseRecordBytes(Buffer.from('{"__proto__":{"x":1},"__proto__":{"y":1},"b":1}'), 'utf-8', false, true, 5);
    expect(proto.ok && proto.issues.map((i) => i.code)).toEqual(['INGEST_FORBIDDEN_KEY']);
    const repaired = parseRecordBytes(Buffer.from('{"a":NaN,"a":"x\ty"}'), 'utf-8', false, true, 2);
    expect(repaired.ok && repaired.issues.map((i) => i.code).sort()).toEqual(['INGEST_JSON_DUPLICATE_KEY', 'INGEST_JSON_REPAIRED']);
    expect(repaired.ok && dupFlags(repaired.issues)).toEqual([['/a', null]]);
  });
});

describe('what the reader does not keep is not reported; what it reports is read as the record is', () => {
  const flags = (text: string, longNumber = true): unknown => {
    const r = parseRecordBytes(Buffer.from(text), 'utf-8', longNumber, true);
    return r.ok ? [r.data, r.issues.map((i) => [i.code, i.pointer ?? null, i.raw ?? null])] : r;
  };
  test.each([
    // a key given twice inside a value left out: the value left out says it, not a pointer into it
    ['{"a":{"x":1,"x":2},"a":{"y":1}}', [{ a: { y: 1 } }, [['INGEST_JSON_DUPLICATE_KEY', '/a', { x: 2 }]]]],
    ['{"a":{"x":1,"x":2},"a":{"x":3}}', [{ a: { x: 3 } }, [['INGEST_JSON_DUPLICATE_KEY', '/a', { x: 2 }]]]],
    ['{"x":[{"a":1,"a":2}],"x":0}', [{ x: 0 }, [['INGEST_JSON_DUPLICATE_KEY', '/x', [{ a: 2 }]]]]],
    // … or inside the value of a key dropped as unsafe
    ['{"__proto__":{"a":1,"a":2},"b":1}', [{ b: 1 }, [['INGEST_FORBIDDEN_KEY', '/__proto__', null]]]],
    ['{"constructor":{"a":1,"a":2},"b":1}', [{ b: 1 }, [['INGEST_FORBIDDEN_KEY', '/constructor', null]]]],
    // the values left out are read as the record is: long numbers kept, unsafe keys dropped
    ['{"id":12345678901234567891,"id":"x"}', [{ id: 'x' }, [['INGEST_JSON_DUPLICATE_KEY', '/id', '12345678901234567891']]]],
    ['{"a":{"__proto__":{"p":1},"q":-12345678901234567890},"a":1}', [{ a: 1 }, [['INGEST_JSON_DUPLICATE_KEY', '/a', { q: '-12345678901234567890' }]]]],
    // keys with lone surrogates are read as U+FFFD: pointers name the key read, and two keys that are
    // one once repaired are a key given twice, the later kept
    ['{"\\ud800":{"a":1,"a":2}}', [{ '\uFFFD': { a: 2 } }, [['INGEST_JSON_REPAIRED', null, null], ['INGEST_JSON_DUPLICATE_KEY', '/\uFFFD/a', 1]]]],
    ['{"\\ud800":1,"\\udc00":2}', [{ '\uFFFD': 2 }, [['INGEST_JSON_REPAIRED', null, null], ['INGEST_JSON_DUPLICATE_KEY', '/\uFFFD', 1]]]],
    ['{"\\ud800":1,"\\ufffd":2}', [{ '\uFFFD': 2 }, [['INGEST_JSON_REPAIRED', null, null], ['INGEST_JSON_DUPLICATE_KEY', '/\uFFFD', 1]]]],
    ['{"\\ufffd":2,"\\ud800":1}', [{ '\uFFFD': 1 }, [['INGEST_JSON_REPAIRED', null, null], ['INGEST_JSON_DUPLICATE_KEY', '/\uFFFD', 2]]]],
  ])('%s', (text, expected) => {
    expect(flags(text)).toEqual(expected);
  });

  test('a JSON Lines file whose first line holds a raw line break in a string is still read as lines (a line cut in a string does not swallow the next)', async () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['{"id":"1","objet":"a', 'b"}', '{"id":"2","objet":"cut', '{"id":"3","montant":1,"montant":2}', '{"id":"4"}', ''].join(eol);
      for (const size of [undefined, 1, 3, 8]) {
        const r = await readBytes(text, {}, size);
        expect([eol, size, r.records.map((x) => [x.data['id'], x.provenance.line])]).toEqual([eol, size, [['1', 1], ['3', 4], ['4', 5]]]);
        expect(r.rejects.map((x) => x.provenance.line)).toEqual([3]);
        expect(dupFlags(r.records[1]!.issues)).toEqual([['/montant', 1]]);
      }
    }
  });
});

describe('duplicateKeys and membersOf', () => {
  /**
   * The members the splitter counts in `text` as a JSON Lines line, in chunks of `size` bytes (the
   * second of two lines: a lone root object is not counted, it may be a container)
   */
  const counted = (text: string, size: number): number | undefined => {
    const s = new JsonRecordSplitter();
    const buf = Buffer.from(`${text}\n${text}\n`);
    const evs = [];
    for (let i = 0; i < buf.length; i += size) evs.push(...s.push(buf.subarray(i, i + size)));
    evs.push(...s.end());
    const recs = evs.filter((e) => e.type === 'record');
    expect(recs).toHaveLength(2);
    return recs[1]?.type === 'record' ? recs[1].members : undefined;
  };
  test('no key given twice: nothing found, and the members the splitter counts (whatever the chunks) are those parsed', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 })), fc.constantFrom(0, 2), fc.integer({ min: 1, max: 9 }), (v, pad, size) => {
        const text = JSON.stringify(v, null, pad);
        expect(duplicateKeys(text)).toEqual([]);
        const members = membersOf(JSON.parse(text));
        expect(counted(text.replace(/\n/g, ' '), size)).toBe(members);
      }),
      { numRuns: 300 },
    );
  });

  test('a member written again at any object: found at its pointer, with the value JSON.parse dropped; the splitter counts the members of what was dropped too', () => {
    const obj = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(obj, fc.jsonValue({ maxDepth: 2 }), fc.nat(), (o, earlier, pick) => {
        const keys = Object.keys(o).filter((k) => k !== '__proto__');
        fc.pre(keys.length > 0);
        const key = keys[pick % keys.length]!;
        // the key given first with `earlier`, then as the object has it
        const text = `{"nested":[0,{${JSON.stringify(key)}:${JSON.stringify(earlier)},${JSON.stringify(o).slice(1)}]}`;
        const parsed = JSON.parse(text) as { nested: [number, Record<string, unknown>] };
        expect(parsed.nested[1][key]).toEqual(JSON.parse(JSON.stringify(o[key])) as unknown);
        const pointer = `/nested/1/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        expect(duplicateKeys(text)).toEqual([{ key, pointer, times: 2, dropped: [JSON.parse(JSON.stringify(earlier)) as unknown] }]);
        expect(counted(text, 5)).toBe(membersOf(parsed) + 1 + membersOf(earlier));
      }),
      { numRuns: 300 },
    );
  });
});

test('pointerAt names the member or item that holds a place of a record, its text JSON or nearly', () => {
  const t = '{"a":{"b":NaN,"c":[1,{"d":"x\ty"}]},"e/f":"é","g":"open';
  expect(pointerAt(t, t.indexOf('NaN'))).toBe('/a/b');
  expect(pointerAt(t, t.indexOf('\t'))).toBe('/a/c/1/d');
  expect(pointerAt(t, t.indexOf('1'))).toBe('/a/c/0');
  expect(pointerAt(t, t.indexOf('é'))).toBe('/e~1f');
  expect(pointerAt(t, t.length - 1)).toBe('/g');
  expect(pointerAt(t, 0)).toBe('');
});
