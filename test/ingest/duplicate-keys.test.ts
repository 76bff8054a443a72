/**
 * A JSON key given twice in one object: JSON.parse keeps the last value and drops the others without
 * a word; ingest flags each such key (INGEST_JSON_DUPLICATE_KEY) with the values left out, in every
 * shape of file and whatever the chunks.
 */
import fc from 'fast-check';
import { duplicateKeys, membersOf } from '../../src/ingest/duplicate-keys.js';
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
