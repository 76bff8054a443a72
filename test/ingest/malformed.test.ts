/**
 * Malformed and hostile input: nothing crashes, nothing is dropped silently.
 * Every bad record is a reject with a code, a reason and a position; records
 * before an error are kept; XML and JSON Lines resume at the next record.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readInputs } from '../../src/ingest/reader.js';
import { parseRecordBytes } from '../../src/ingest/parse-record.js';
import { collect, readBytes, SHARED } from '../helpers/ingest.js';
import { tempDir } from '../helpers/tmp.js';

const rec = (id: string): string => `{"id":"${id}","acheteur":{"id":"21350238800019"},"montant":1}`;

describe('JSON documents', () => {
  test('raw line breaks inside strings (a fault DECP exports have, repaired) are lines: the records and rejects after them keep their true line, whatever the chunks', async () => {
    const text = [
      '{"marches": [',
      '  {"id": "1", "objet": "Travaux',
      'de voirie',
      '',
      'lot 2", "acheteur": {"id": "21350238800019"}, "montant": 1},',
      `  ${rec('2')},`,
      '  {"id": "3", "objet": "a\\"b', // an escaped quote before the line break
      'c", "acheteur": },',
      `  ${rec('4')}`,
      ']}',
      '',
    ].join('\n');
    for (const size of [undefined, 1, 2, 3, 7, 64]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => [x.data['id'], x.provenance.line])]).toEqual([size, [['1', 2], ['2', 6], ['4', 9]]]);
      expect([size, r.rejects.map((x) => [x.code, x.provenance.line])]).toEqual([size, [['INGEST_RECORD_SYNTAX', 7]]]);
      expect(r.records[0]!.data['objet']).toBe('Travaux\nde voirie\n\nlot 2');
    }
  });

  test('a string whose closing quote is missing at the end of its line rejects its record only: the records after it are read, at their lines, whatever the chunks', async () => {
    const text = [
      '{"marches": [',
      `  ${rec('1')},`,
      '  {',
      '    "id": "2",',
      '    "objet": "Travaux de voirie,',
      '    "acheteur": {"id": "21350238800019"},',
      '    "montant": 1',
      '  },',
      `  ${rec('3')},`,
      '  {"id": "4", "objet": "Eclairage',
      'de la place", "acheteur": {"id": "21350238800019"}, "montant": 1}',
      ']}',
      '',
    ].join('\n');
    for (const size of [undefined, 1, 2, 3, 7, 64]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => [x.data['id'], x.provenance.line])]).toEqual([size, [['1', 2], ['3', 9], ['4', 10]]]);
      expect([size, r.rejects.map((x) => [x.code, x.provenance.line, x.reason.startsWith('a string is not closed at the end of line 5 (its closing quote is missing')])]).toEqual([size, [['INGEST_RECORD_SYNTAX', 3, true]]]);
      expect([r.summary.read, r.summary.accepted, r.summary.rejected]).toEqual([4, 3, 1]);
    }
  });

  test('a DECP document or OCDS package inside an envelope, or under "Marches", is read where its records are (said once); a record with many fields is not an envelope', async () => {
    const three = `${rec('1')},${rec('2')},${rec('3')}`;
    for (const [text, path] of [
      [`{"data":{"marches":[${three}]},"meta":{"count":3}}`, '/data/marches'],
      [`{"data":{"marches":{"marche":[${three}]}}}`, '/data/marches'],
      [`{"Marches":[${three}]}`, '/Marches'],
      [`{"result":{"page":1,"marches":[{"marche":${rec('1')}},{"marche":${rec('2')}},${rec('3')}]}}`, '/result/marches'],
    ] as const) {
      for (const size of [undefined, 5]) {
        const r = await readBytes(text, {}, size);
        expect(r.records.map((x) => [x.type, x.data['id']])).toEqual([['marche', '1'], ['marche', '2'], ['marche', '3']]);
        expect(r.summary.read).toBe(3);
        expect(r.summary.issues.map((i) => i.message)).toEqual([expect.stringContaining(`the records are under ${path}`)]);
      }
    }
    const pkg = await readBytes('{"result":{"releases":[{"ocid":"ocds-x-1","id":"r1","date":"2020-01-01T00:00:00Z","tag":["tender"]}]}}');
    expect(pkg.records.map((x) => [x.type, x.data['id']])).toEqual([['release', 'r1']]);
    // (a partner's record that holds a list named "records": its profile reads it whole)
    const partner = await readBytes('{"contrato":"C1","entidad":"E","monto":5,"fecha":"2020-01-01","proveedor":"P","detalle":{"records":[{"a":1}]}}');
    expect(partner.records.map((x) => [x.type, x.data['contrato']])).toEqual([['unknown', 'C1']]);
  });

  test('a list of records under another name (an API\'s page: "results", "data") is read there: each record counted, said once', async () => {
    const three = `${rec('1')},${rec('2')},${rec('3')}`;
    for (const [text, path] of [
      [`{"count":3,"next":null,"results":[${three}]}`, '/results'],
      [`{"data":[${three}]}`, '/data'],
      [`{"meta":{"page":1},"payload":{"items":[null,${three}]}}`, '/payload/items'],
    ] as const) {
      for (const size of [undefined, 5]) {
        const r = await readBytes(text, {}, size);
        expect(r.records.map((x) => [x.type, x.data['id']])).toEqual([['marche', '1'], ['marche', '2'], ['marche', '3']]);
        expect(r.summary.issues.map((i) => i.message)).toEqual([expect.stringContaining(`the records are under ${path}`)]);
        // (the null item is a record that is not an object: rejected, counted)
        expect(r.summary.read).toBe(path === '/payload/items' ? 4 : 3);
      }
    }
    // a list of lots or of yearly figures with a "montant" is no list of marchés (found by review)
    for (const text of ['{"id":"M1","objet":"Voirie","lots":[{"id":"1","intitule":"A","montant":10},{"id":"2","intitule":"B","montant":20}]}', '{"source":"x","stats":[{"annee":2020,"montant":5,"nombre":2}],"count":1}']) {
      const data = await readBytes(text);
      expect(data.records.map((x) => x.type)).toEqual(['unknown']);
      expect(data.summary.issues).toEqual([]);
    }
    const releases = await readBytes('{"results":[{"ocid":"ocds-x-1","id":"r1","date":"2020-01-01T00:00:00Z","tag":["tender"]}]}');
    expect(releases.records.map((x) => [x.type, x.data['id']])).toEqual([['release', 'r1']]);
    // a list whose first objects are no records is data: the document is one record (of no known kind)
    const other = await readBytes('{"results":[{"a":1},{"b":2},{"c":3},{"id":"4","acheteur":{"id":"1"}}]}');
    expect(other.records.map((x) => x.type)).toEqual(['unknown']);
  });

  test('the records of an envelope read whole (under the record size limit) are each at its own line and byte, as when it is streamed past the limit (they were all at the root\'s line 1: found by a probe), whatever the chunks', async () => {
    // (each record written over lines, as an export pretty-prints it)
    const pretty = (id: string): string => JSON.stringify(JSON.parse(rec(id)), null, 2).replace(/\n/g, '\n    ');
    const docs: Array<[string, string, Array<[string, number, number]>]> = [
      ['a list under another name', `{\n  "count": 2,\n  "results": [\n    ${pretty('1')},\n    ${pretty('2')}\n  ]\n}\n`, [['1', 4, 35], ['2', 11, 144]]],
      // (a key written with an escape; a null item, rejected at its own place; a comma before "]", repaired)
      ['an escaped key, a null item', `{\n  "donn\\u00e9es": [\n    ${pretty('1')},\n    null,\n    ${pretty('2')},\n  ],\n  "count": 2\n}\n`, [['1', 3, 26], ['null', 10, 135], ['2', 11, 145]]],
    ];
    for (const [what, text, places] of docs) {
      for (const maxRecordBytes of [1 << 20, 120]) {
        for (const size of [undefined, 1, 2, 3, 7, 64]) {
          const r = await readBytes(text, { maxRecordBytes }, size);
          const got: Array<[unknown, number, number]> = [...r.records.map((x): [unknown, number, number] => [x.data['id'], x.provenance.line, x.provenance.offset ?? -1]), ...r.rejects.map((x): [unknown, number, number] => ['null', x.provenance.line, x.provenance.offset ?? -1])];
          expect([what, maxRecordBytes, size, got.sort((x, y) => x[2] - y[2])]).toEqual([what, maxRecordBytes, size, places]);
          expect(r.records.every((x) => text.startsWith('{\n      "id"', x.provenance.offset))).toBe(true);
          expect(r.rejects.map((x) => x.code)).toEqual(what === 'an escaped key, a null item' ? ['INGEST_RECORD_NOT_OBJECT'] : []);
        }
      }
    }
    // a DECP document inside an envelope (its one record under its element's name), a list of DECP
    // documents, an envelope whose key is given twice (its last value read, as JSON.parse keeps it)
    for (const [text, places] of [
      [`{\n  "data": {\n    "marches": {\n      "marche": ${pretty('1')}\n    }\n  }\n}\n`, [['1', 4, 47]]],
      [`[\n  {"marches": [\n    ${pretty('1')}\n  ]},\n  {"marches": [\n    ${pretty('2')}\n  ]}\n]\n`, [['1', 3, 22], ['2', 12, 152]]],
      [`{\n  "results": [${rec('0')}],\n  "results": [\n    ${pretty('1')},\n    ${pretty('2')}\n  ]\n}\n`, [['1', 4, 95], ['2', 11, 204]]],
    ] as const) {
      for (const size of [undefined, 1, 7]) {
        const r = await readBytes(text, {}, size);
        expect([size, r.records.map((x) => [x.data['id'], x.provenance.line, x.provenance.offset])]).toEqual([size, places]);
        expect(r.records.every((x) => text.startsWith('{\n      "id"', x.provenance.offset))).toBe(true);
      }
    }
  });

  test('a root object of no known shape over the record size limit whose lists hold records (an export\'s envelope) is read record by record, each at its place, whatever the chunks; said once', async () => {
    const items = Array.from({ length: 50 }, (_, k) => (k === 25 ? '{"id":"25","acheteur":}' : rec(String(k))));
    const docs = [
      `{\n  "count": 50,\n  "results": [\n    ${items.join(',\n    ')}\n  ],\n  "links": {"next": null}\n}\n`,
      `{"count":50,"results":[${items.join(',')}],"links":{"next":null}}`,
      // (the list first, the envelope's other fields after it)
      `{"results":[${items.join(',')}],"count":50}`,
    ];
    for (const text of docs) {
      const where = (id: string): [number, number] => {
        const at = text.indexOf(`{"id":"${id}"`);
        return [at, text.slice(0, at).split('\n').length];
      };
      for (const size of [undefined, 1, 7, 64, 1999, 2001, 5000]) {
        const r = await readBytes(text, { maxRecordBytes: 2000 }, size);
        const ids = Array.from({ length: 50 }, (_, k) => String(k)).filter((id) => id !== '25');
        expect([size, r.records.map((x) => [x.data['id'], x.provenance.offset, x.provenance.line])]).toEqual([size, ids.map((id) => [id, ...where(id)])]);
        expect([size, r.rejects.map((x) => [x.code, x.provenance.offset, x.provenance.line])]).toEqual([size, [['INGEST_RECORD_SYNTAX', ...where('25')]]]);
        expect([r.summary.read, r.summary.accepted, r.summary.rejected]).toEqual([50, 49, 1]);
        expect(r.summary.issues.filter((i) => i.message.includes('holds its records in lists under names that are not DECP or OCDS ones, and is larger than the record size limit'))).toHaveLength(1);
        expect(r.summary.error).toBeUndefined();
      }
    }
  });

  test('a root object over the record size limit whose lists hold no records stays one record too large, which says how to read it; an envelope cut short keeps its records before the cut', async () => {
    const lots = Array.from({ length: 60 }, (_, k) => `{"n":${k},"intitule":"lot ${k}","montant":${k}}`).join(',');
    for (const text of [`{"id":"M1","objet":"Voirie","lots":[${lots}]}`, `{"stats":[${lots}],"count":60}`]) {
      for (const size of [undefined, 7, 1999]) {
        const r = await readBytes(text, { maxRecordBytes: 2000 }, size);
        expect([size, r.records]).toEqual([size, []]);
        expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TOO_LARGE', reason: expect.stringContaining('a --max-record-bytes above the file\'s size reads it whole') })]);
      }
    }
    const whole = `{"results":[${Array.from({ length: 50 }, (_, k) => rec(String(k))).join(',')}]}`;
    const cut = whole.slice(0, whole.indexOf('{"id":"40"') + 20);
    for (const size of [undefined, 7, 2001]) {
      const r = await readBytes(cut, { maxRecordBytes: 2000 }, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, Array.from({ length: 40 }, (_, k) => String(k))]);
      expect(r.rejects.map((x) => [x.code, x.provenance.offset])).toEqual([['INGEST_RECORD_TRUNCATED', whole.indexOf('{"id":"40"')]]);
      // (as the same document cut there with its records under "marches")
      const marches = await readBytes(cut.replace('"results"', '"marches"'), { maxRecordBytes: 2000 }, size);
      expect([r.summary.read, r.summary.rejected, r.summary.error?.code]).toEqual([marches.summary.read, marches.summary.rejected, marches.summary.error?.code]);
    }
  });

  test('an envelope broken at its own level, of any size, keeps the records before the fault (one reject there) and reading goes on after it, whatever the chunks', async () => {
    const list = Array.from({ length: 30 }, (_, k) => rec(String(k))).join(',');
    // (the fault: the byte where a colon should be, a "]" too many)
    for (const [text, fault] of [
      [`{"results":[${list}],"count" 30}\n${rec('a')}\n`, '" 30}'],
      [`{"results":[${list},]]}\n${rec('a')}\n`, ']]}'],
    ] as const) {
      const at = text.indexOf(fault) + (fault === ']]}' ? 1 : 2);
      for (const maxRecordBytes of [500, 1 << 20]) {
        for (const size of [undefined, 7, 333]) {
          const r = await readBytes(text, { maxRecordBytes }, size);
          expect([maxRecordBytes, size, r.records.map((x) => x.data['id'])]).toEqual([maxRecordBytes, size, [...Array.from({ length: 30 }, (_, k) => String(k)), 'a']]);
          expect(r.rejects.map((x) => [x.code, x.provenance.offset])).toEqual([['INGEST_RECORD_SYNTAX', at]]);
          expect(r.summary.error).toBeUndefined();
        }
      }
    }
    // a fault at the envelope's level on a record's first byte, at its line's start: that record and
    // the next are read as values of their own, nothing lost (said); the envelope's last brace is junk
    const loose = `{\n  "count": 3,\n  "results": [\n    ${rec('0')},\n    ${rec('1')}\n  ],\n  "next": null\n  ${rec('2')}\n  ${rec('3')}\n}\n`;
    for (const maxRecordBytes of [150, 1 << 20]) {
      for (const size of [undefined, 1, 7]) {
        const r = await readBytes(loose, { maxRecordBytes }, size);
        expect([maxRecordBytes, size, r.records.map((x) => [x.data['id'], x.provenance.line])]).toEqual([maxRecordBytes, size, [['0', 4], ['1', 5], ['2', 8], ['3', 9]]]);
        expect(r.rejects.map((x) => [x.code, x.provenance.line])).toEqual([['INGEST_RECORD_SYNTAX', 10]]);
        expect(r.summary.issues).toEqual(expect.arrayContaining([expect.objectContaining({ line: 8, message: expect.stringContaining("the envelope's reading stops here; what follows is read as values of their own") })]));
      }
    }
    // a record (not an envelope) broken so stays one reject: its lists hold no records
    const broken = await readBytes(`{"id":"M1","acheteur":{"id":"1"},"titulaires":[{"id":"a"},{"id":"b"},{"id":"c"}],"montant" 5}\n${rec('a')}\n`);
    expect(broken.records.map((x) => x.data['id'])).toEqual(['a']);
    expect(broken.rejects.map((x) => [x.code, x.provenance.offset])).toEqual([['INGEST_RECORD_SYNTAX', 0]]);
  });

  test('a "}" or "]" too many between or inside the records of an envelope costs what it costs in a "marches" list (every record after it read and counted), over or under the limit, one line or pretty, whatever the chunks; positions in reasons are the file\'s', async () => {
    const items = (k: number): string[] => Array.from({ length: 8 }, (_, j) => rec(`${k}-${j}`));
    const cases = [
      // a "}" alone between two records; the same on lines of their own, after a BOM and blank lines
      (sep: string): string => `{"count":8,"results":[${[...items(1).slice(0, 3), '}', ...items(1).slice(3)].join(sep)}],"next":null}`,
      (sep: string): string => `\uFEFF\n\n{\n  "count": 8,\n  "results": [\n    ${[...items(2).slice(0, 3), '}', ...items(2).slice(3)].join(`${sep}\n    `)}\n  ]\n}\n`,
      // a "}" too many inside a record: it ends there, its rest is no record
      (sep: string): string => `{"results":[${[...items(3).slice(0, 2), rec('3-x').replace('"montant"', '"x":1}},"montant"'), ...items(3).slice(2)].join(sep)}]}`,
      // a "]" too many between two records: read past, as in a "marches" list
      (sep: string): string => `{"results":[${[...items(4).slice(0, 4), ']', ...items(4).slice(4)].join(sep)}],"count":8}`,
    ];
    for (const make of cases) {
      const text = make(',');
      const twin = text.replace('"results"', '"marches"');
      for (const maxRecordBytes of [300, 1 << 20]) {
        const want = await readBytes(twin, { maxRecordBytes });
        expect(want.records.length).toBeGreaterThanOrEqual(7);
        for (const size of [undefined, 1, 7, 64]) {
          const r = await readBytes(text, { maxRecordBytes }, size);
          expect([maxRecordBytes, size, r.records.map((x) => [x.data['id'], x.provenance.offset, x.provenance.line])]).toEqual([maxRecordBytes, size, want.records.map((x) => [x.data['id'], x.provenance.offset, x.provenance.line])]);
          expect(r.rejects.map((x) => [x.code, x.provenance.offset, x.provenance.line, x.reason])).toEqual(want.rejects.map((x) => [x.code, x.provenance.offset, x.provenance.line, x.reason]));
          expect([r.summary.read, r.summary.accepted, r.summary.rejected, r.summary.error]).toEqual([want.summary.read, want.summary.accepted, want.summary.rejected, undefined]);
          expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
        }
      }
    }
  });

  test('an envelope\'s lists are judged one by one, over the record size limit as under it: its own lists (links, facets) are left out, every list of records is read, a list whose first records are broken is judged on its next ones', async () => {
    const recs = (p: string, n: number): string => Array.from({ length: n }, (_, j) => rec(`${p}${j}`)).join(',');
    const links = '[{"rel":"self","href":"p1"},{"rel":"first","href":"p1"},{"rel":"next","href":"p2"},{"rel":"last","href":"p9"}]';
    const docs: Array<[string, string[]]> = [
      // links first (more objects than are looked at) and after, scalars, an object
      [`{"links":${links},"results":[${recs('a', 6)}],"tags":["x","y"],"meta":{"n":6},"facets":[{"name":"year","count":6}]}`, ['a0', 'a1', 'a2', 'a3', 'a4', 'a5']],
      // two lists of records
      [`{"results":[${recs('a', 4)}],"more":[${recs('b', 4)}],"count":8}`, ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3']],
    ];
    for (const [text, ids] of docs) {
      for (const maxRecordBytes of [300, 1 << 20]) {
        for (const size of [undefined, 1, 7, 100]) {
          const r = await readBytes(text, { maxRecordBytes }, size);
          expect([maxRecordBytes, size, r.records.map((x) => [x.type, x.data['id']])]).toEqual([maxRecordBytes, size, ids.map((id) => ['marche', id])]);
          expect(r.rejects).toEqual([]);
          expect(r.summary.read).toBe(ids.length);
        }
      }
    }
    // cut short in the first record of a second list: that record is rejected (not left out with the list)
    const whole = `{"results":[${recs('a', 3)}],"data":[${recs('b', 2)}]}`;
    const cut = whole.slice(0, whole.indexOf('{"id":"b0"') + 20);
    for (const size of [undefined, 7]) {
      const r = await readBytes(cut, { maxRecordBytes: 150 }, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, ['a0', 'a1', 'a2']]);
      expect(r.rejects.map((x) => [x.code, x.provenance.offset])).toEqual([['INGEST_RECORD_TRUNCATED', whole.indexOf('{"id":"b0"')]]);
    }
    // under the limit, one record not valid JSON after a list of links: the others read, that one rejected
    const one = `{"links":${links},"results":[${recs('a', 2)},{"id":"x","acheteur":{"id":"1"},"montant":1.2.3},${recs('b', 2)}]}`;
    for (const size of [undefined, 7]) {
      const r = await readBytes(one, {}, size);
      expect([size, r.records.map((x) => [x.data['id'], x.provenance.offset])]).toEqual([size, ['a0', 'a1', 'b0', 'b1'].map((id) => [id, one.indexOf(`{"id":"${id}"`)])]);
      expect(r.rejects.map((x) => [x.code, x.provenance.offset])).toEqual([['INGEST_RECORD_SYNTAX', one.indexOf('{"id":"x"')]]);
    }
    // the first three records of the list broken (not JSON): judged on the next ones, each broken one rejected
    const broken = (k: number): string => `{"id":"x${k}","acheteur":{"id":"21350238800019"},"montant":1.2.3}`;
    const text = `{"count":13,"results":[${[broken(0), broken(1), broken(2), recs('g', 10)].join(',')}]}`;
    for (const size of [undefined, 1, 7]) {
      const r = await readBytes(text, { maxRecordBytes: 800 }, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, Array.from({ length: 10 }, (_, j) => `g${j}`)]);
      expect(r.rejects.map((x) => [x.code, x.provenance.offset])).toEqual([0, 1, 2].map((k) => ['INGEST_RECORD_SYNTAX', text.indexOf(`{"id":"x${k}"`)]));
      expect(r.summary.read).toBe(13);
    }
  });

  test('pages of an export one per line, each an envelope larger than the record size limit, are each read record by record', async () => {
    const page = (p: number): string => `{"page":${p},"results":[${Array.from({ length: 8 }, (_, j) => rec(`${p}-${j}`)).join(',')}]}`;
    const text = `${page(1)}\n${page(2)}\n${page(3)}\n`;
    for (const size of [undefined, 7, 500]) {
      const r = await readBytes(text, { maxRecordBytes: 400 }, size);
      expect([size, r.records.map((x) => [x.data['id'], x.provenance.offset, x.provenance.line])]).toEqual([
        size,
        [1, 2, 3].flatMap((p) => Array.from({ length: 8 }, (_, j) => [`${p}-${j}`, text.indexOf(`{"id":"${p}-${j}"`), p])),
      ]);
      expect(r.rejects).toEqual([]);
    }
  });

  test('a real DECP file whose records an export wrapped in an envelope larger than the record size limit reads as the file itself: the same records, the same rejects', async () => {
    const path = join(SHARED, 'decp', 'samples', '2019-json', 'marches-securises_ville-de-croix_2019-2021.json');
    const list = (JSON.parse(readFileSync(path, 'utf8')) as { marches: unknown[] }).marches;
    const plain = await readBytes(readFileSync(path));
    for (const text of [JSON.stringify({ count: list.length, results: list, links: { self: 'p1' } }, null, 2), JSON.stringify({ count: list.length, results: list })]) {
      const r = await readBytes(text, { maxRecordBytes: 64 * 1024 }, 100_000);
      expect(r.records.map((x) => x.data)).toEqual(plain.records.map((x) => x.data));
      expect(r.rejects.map((x) => x.code)).toEqual(plain.rejects.map((x) => x.code));
      expect(r.rejects.every((x) => text.startsWith('{', x.provenance.offset ?? -1))).toBe(true);
      expect([r.summary.read, r.summary.accepted, r.summary.rejected]).toEqual([plain.summary.read, plain.summary.accepted, plain.summary.rejected]);
    }
  });

  test('a key longer than a record may be stops the document there (not held without end), whatever the chunks', async () => {
    for (const size of [undefined, 7, 300]) {
      const r = await readBytes(`{"${'k'.repeat(5000)}": 1, "marches":[${rec('1')}]}`, { maxRecordBytes: 1000 }, size);
      expect(r.records).toEqual([]);
      expect(r.rejects).toEqual([expect.objectContaining({ code: expect.stringMatching(/^INGEST_(FILE|RECORD)_SYNTAX$/), reason: expect.stringContaining('a key longer than 1000 bytes') })]);
    }
  });

  test('a comma after the last record, or one missing between two records, is said and read past: no record lost, none made up', async () => {
    const three = [rec('1'), rec('2'), rec('3')];
    for (const [text, said] of [
      [`{"marches":[${three.join(',')},]}`, /a "," after the last record of a list/],
      [`[${three.join(',')},\n]`, /a "," after the last record of a list/],
      [`{"marches":[${three[0]} ${three[1]},${three[2]}]}`, /a "," is missing between two records/],
      [`[${three[0]}\n${three[1]}\n${three[2]}]`, /a "," is missing between two records/],
      // a "]" too many between two records (the document stopped there: the records after it lost)
      [`{"marches":[${three[0]}],${three[1]},${three[2]}]}`, /a "\]" too many between two records of a list \(at byte 69, line 1\)/],
      [`{"marches":{"marche":[${three[0]},${three[1]}\n],\n${three[2]}]}}`, /a "\]" too many between two records of a list \(at byte 138, line 2\)/],
      [`{"marches":[${three[0]},]\n${three[1]},${three[2]}]}`, /a "\]" too many between two records of a list \(at byte 70, line 1\)/],
    ] as const) {
      for (const size of [undefined, 7]) {
        const r = await readBytes(text, {}, size);
        expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2', '3']);
        expect(r.rejects).toEqual([]);
        expect(r.summary.read).toBe(3);
        expect(r.summary.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', message: expect.stringMatching(said) })]));
      }
    }
    // a record wrapped in its kind's name inside a list of that kind (`{"marches":{"marche":[{"marche":{…}}]}}`)
    const twice = await readBytes(`{"marches":{"marche":[{"marche":${three[0]}},${three[1]}]}}`);
    expect(twice.records.map((x) => [x.type, x.data['id']])).toEqual([['marche', '1'], ['marche', '2']]);
    // a list of DECP documents (files joined): each one's records
    const docs = await readBytes(`[{"marches":[${three[0]},${three[1]}]},{"marches":[${three[2]}]}]`);
    expect(docs.records.map((x) => [x.type, x.data['id']])).toEqual([['marche', '1'], ['marche', '2'], ['marche', '3']]);
    expect(docs.rejects).toEqual([]);
  });

  test('a "]" too many between two releases of a package is read past whatever the chunks: every release read, the package\'s metadata kept (its version says how to merge)', async () => {
    const release = (id: string): string => `{"ocid":"ocds-x-${id}","id":"${id}","date":"2020-01-01T00:00:00Z","tag":["tender"]}`;
    const text = `{
  "version": "1.1",
  "publisher": {"name": "P"},
  "releases": [
    ${release('1')},
    ${release('2')}
  ],
  ${release('3')}
  ],
  "publishedDate": "2020-01-02T00:00:00Z"
}
`;
    for (const size of [undefined, 1, 7, 100]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => [x.type, x.data['id'], x.provenance.line])]).toEqual([size, [['release', '1', 5], ['release', '2', 6], ['release', '3', 8]]]);
      expect(r.rejects).toEqual([]);
      expect([r.summary.format, r.summary.version]).toEqual(['ocds-release-package', '1.1']);
      expect(r.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', line: 7, message: expect.stringContaining('a "]" too many between two records') })]);
    }
  });

  test('what reading a document, an envelope or a package whole finds goes with the record where it was, at that record\'s own pointer', async () => {
    const a = '{"id":"A1","acheteur":{"id":"21590163800019"},"objet":"Travaux","montant":100}';
    const b = '{"id":"B2","acheteur":{"id":"21590163800019"},"objet":"Voirie","objet":"Voirie lot 2","montant":200,"x":12345678901234567,"t":"CafÃ©"}';
    const flagsOf = (r: Awaited<ReturnType<typeof readBytes>>): unknown[] => r.records.map((x) => [x.data['id'] ?? x.data['ocid'], x.issues.map((i) => [i.code, i.pointer]).sort()]);
    const expected = [['A1', []], ['B2', [['INGEST_JSON_DUPLICATE_KEY', '/objet'], ['INGEST_LONG_NUMBER_AS_STRING', '/x'], ['INGEST_MOJIBAKE', '/t']]]];
    for (const text of [
      `{"count":2,"results":[${a},${b}]}`,
      `{"data":{"marches":[${a},${b}]}}`,
      `{"data":{"marches":{"marche":[${a},${b}]}}}`,
      `{"data":{"marches":{"marche":[${a},{"marche":${b}}]}}}`,
      `[{"marches":[${a}]},{"marches":[${b}]}]`,
      `[{"marches":[${a},${b}]}]`,
      // (an envelope's key with "/" or "~": one key, not two)
      `{"api/v1":{"marches":[${a},${b}]}}`,
      `{"a~b":{"marches":[${a},${b}]}}`,
    ]) expect([text, flagsOf(await readBytes(text))]).toEqual([text, expected]);
    // a lone record under its element's name: pointers of the record, not of its wrapper
    expect(flagsOf(await readBytes(`{"marche":${b}}`))).toEqual([expected[1]]);
    // releases of a package given as an item of a list
    const rel = (id: string, extra = ''): string => `{"ocid":"ocds-x-1","id":"${id}","date":"2020-01-01T00:00:00Z","tag":["tender"]${extra}}`;
    expect(flagsOf(await readBytes(`[{"uri":"u","releases":[${rel('r1')},${rel('r2', ',"n":12345678901234567')}]}]`))).toEqual([['r1', []], ['r2', [['INGEST_LONG_NUMBER_AS_STRING', '/n']]]]);
  });

  test('a lone surrogate escape (\\ud800: half a character, which no UTF-8 can hold) is read as U+FFFD and flagged; a pair is the character it escapes', async () => {
    const text = `{"marches":[{"id":"A\\ud800","acheteur":{"id":"21350238800019"},"objet":"x \\uDC00 y \\ud83d\\ude00","k\\udbff":1,"montant":1}]}`;
    for (const size of [undefined, 3]) {
      const r = await readBytes(text, {}, size);
      expect(r.records).toHaveLength(1);
      const data = r.records[0]!.data;
      expect(data['id']).toBe('A\uFFFD');
      expect(data['objet']).toBe('x \uFFFD y \u{1F600}');
      expect(data['k\uFFFD']).toBe(1);
      expect(JSON.stringify(data)).not.toMatch(/\\ud[89a-f]/i);
      expect(r.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_JSON_REPAIRED', message: expect.stringContaining('3 lone surrogate escape(s)') })]);
    }
    // a release line handed over unparsed otherwise (compile's first pass) is read so too
    const line = '{"ocid":"ocds-x-1","id":"r1","date":"2020-01-01T00:00:00Z","tag":["tender"],"tender":{"id":"t\\ud800"}}\n';
    const fast = await readBytes(line, { releaseText: true });
    expect(fast.texts).toEqual([]);
    expect(fast.records.map((x) => (x.data['tender'] as Record<string, unknown>)['id'])).toEqual(['t\uFFFD']);
    // (an emoji's pair is no reason to flag)
    const pair = await readBytes('{"ocid":"ocds-x-1","id":"r1","date":"2020-01-01T00:00:00Z","tag":["tender"],"title":"\\ud83d\\ude00"}\n');
    expect(pair.records[0]!.issues).toEqual([]);
  });

  test('byte order marks: every one at the start is skipped (two are said), and offsets are the file\'s, marks included', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const body = `{"marches":[${rec('1')},${rec('2').replace('"montant":1', '"montant":1 2')}]}`;
    const plain = await readBytes(body);
    for (const marks of [1, 2]) {
      for (const size of [undefined, 1, 2, 7]) {
        const r = await readBytes(Buffer.concat([...Array<Buffer>(marks).fill(bom), Buffer.from(body)]), {}, size);
        expect(r.summary.format).toBe('decp-json');
        expect(r.records.map((x) => x.data['id'])).toEqual(['1']);
        expect(r.rejects).toHaveLength(1);
        expect(r.rejects[0]!.provenance.offset).toBe(plain.rejects[0]!.provenance.offset! + 3 * marks);
        const byte = (reason: string): number => Number(/byte (\d+)/.exec(reason)![1]);
        expect(byte(r.rejects[0]!.reason)).toBe(byte(plain.rejects[0]!.reason) + 3 * marks);
        expect(r.summary.issues.some((i) => i.message.includes('byte order marks'))).toBe(marks > 1);
      }
    }
  });

  // (an unescaped quote inside a text rejected its record too, until the record parser read such quotes as quotes: below)
  test.each([
    ['a key without its opening quote', '{"id":"2", objet": "ok","acheteur":{"id":"21350238800019"},"montant":1}'],
    ['a value without its opening quote', '{"id":"2","dateNotification":2024-07-19","acheteur":{"id":"21350238800019"},"montant":1}'],
    ['a value without its opening quote, at the end of its record', '{"id":"2","acheteur":{"id":"21350238800019"},"montant":1,"date":\u00002024-07-19"}'],
  ])('a file on one line: %s rejects its record only, the records after it are read, whatever the chunks', async (_what, bad) => {
    // (read as closing its string, the stray quote turned every quote after it the wrong way round:
    // the record ran to the end of the input and the records after it were lost without a word)
    const text = `{"marches":[${rec('1')},${bad},${rec('3')},{"id":"4","objet":"x \\" y","montant":4},${rec('5')}]}`;
    for (const size of [undefined, 1, 2, 3, 5, 7, 64]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, ['1', '3', '4', '5']]);
      expect([size, r.rejects.map((x) => [x.code, x.provenance.index])]).toEqual([size, [['INGEST_RECORD_SYNTAX', 1]]]);
      expect(r.rejects[0]!.excerpt).toBe(bad);
      expect([r.summary.read, r.summary.accepted, r.summary.rejected]).toEqual([5, 4, 1]);
    }
  });

  test.each([
    ['an unescaped quote inside a text', '{"id":"2","objet":"Ecole "Jules Ferry" et "Pasteur","acheteur":{"id":"21350238800019"},"montant":1}', 'Ecole "Jules Ferry" et "Pasteur'],
    ['a quote too many after a value', '{"id":"2","objet":"ok"","acheteur":{"id":"21350238800019"},"montant":1}', 'ok"'],
    ['a stray quote then blanks', '{"id":"2","objet":"a"  \tb","montant":1}', 'a"  \tb'],
  ])('a file on one line: %s is read, the quotes no JSON could follow read as quotes (flagged), and the records after it are read, whatever the chunks', async (_what, bad, objet) => {
    const text = `{"marches":[${rec('1')},${bad},${rec('3')},{"id":"4","objet":"x \\" y","montant":4},${rec('5')}]}`;
    for (const size of [undefined, 1, 2, 3, 5, 7, 64]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, ['1', '2', '3', '4', '5']]);
      expect([size, r.rejects]).toEqual([size, []]);
      expect(r.records[1]!.data['objet']).toBe(objet);
      expect(r.records[1]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_JSON_REPAIRED', pointer: '/objet' })]);
    }
  });

  test('a record written over lines keeps the line rules: a byte in place of the line break after a closing quote leaves that quote closing, and the records after it are read, whatever the chunks', async () => {
    // (read as a stray quote, the string would have swallowed the "}" after it, and with it the rest of the file)
    const text = ['{"marches": [', '  {', '    "id": "1",', '    "acheteur": {', '      "id": "21350238800019",', '      "nom": "Ville de Croix (59)"@    },', '    "montant": 1', '  },', `  ${rec('2')},`, `  ${rec('3')}`, ']}', ''].join('\n');
    for (const size of [undefined, 1, 2, 3, 7, 64]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, ['2', '3']]);
      expect([size, r.rejects.map((x) => [x.code, x.provenance.line])]).toEqual([size, [['INGEST_RECORD_SYNTAX', 2]]]);
    }
  });

  test('valid JSON never meets a stray quote: quotes closing strings before blanks, line breaks and any structural byte are read as they always were, whatever the chunks', async () => {
    const text = `{"marches" : [ {"id" : "1" , "objet" : "a \\\\" ,\r\n "t" : [ "x" ,"y" ] , "o" : { "k" : "v" } , "acheteur":{"id":"2"} } ,\n${rec('2')} ] }`;
    const whole = await readBytes(text);
    expect(whole.records.map((x) => x.data['id'])).toEqual(['1', '2']);
    expect(whole.records[0]!.data['objet']).toBe('a \\');
    expect(whole.rejects).toEqual([]);
    for (const size of [1, 2, 3, 4]) expect((await readBytes(text, {}, size)).records).toEqual(whole.records);
  });

  test('a brace missing inside a record written over lines rejects that record only: the records it ran on over are read, told apart by their indentation, whatever the chunks', async () => {
    const path = join(SHARED, 'decp/samples/2019-json/marches-securises_ville-de-croix_2019-2021.json');
    const lines = readFileSync(path, 'utf8').split('\n');
    // the third record's "acheteur" is not closed: its braces balance only at the list's end
    const at = lines.findIndex((l, k) => k > lines.findIndex((x, j) => x.includes('"acheteur"') && lines.slice(0, j).filter((y) => y.includes('"acheteur"')).length === 2) && l.trim() === '},');
    const damaged = [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n');
    const whole = await readBytes(lines.join('\n'));
    for (const size of [undefined, 7, 4096]) {
      const r = await readBytes(damaged, {}, size);
      // every record but the damaged one, as read from the whole file (after the line taken out, one line earlier)
      const third = whole.records[2]!;
      expect(r.records.map((x) => [x.provenance.index, x.data])).toEqual(whole.records.filter((x) => x !== third).map((x) => [x.provenance.index, x.data]));
      expect(r.records.map((x) => x.provenance.line)).toEqual(whole.records.filter((x) => x !== third).map((x) => x.provenance.line - (x.provenance.line > at ? 1 : 0)));
      expect(r.rejects[0]).toMatchObject({ code: 'INGEST_RECORD_SYNTAX', provenance: { index: 2, line: third.provenance.line } });
      expect(r.rejects[0]!.reason).toMatch(/its braces do not balance, so it ran on over the next records of the list: those \(156\), told apart by their indentation, are read on their own$/);
      // (the bracket where its braces balanced closes the list: no junk after it, no fault at the file's end)
      expect(r.rejects).toHaveLength(1);
      expect(r.summary).toMatchObject({ read: whole.summary.read, issues: [] });
    }
  });

  test('a brace missing in a marché of a 2024 document closes the marché list where the braces balance: the concessions after it are read, one reject, no fault at the file\'s end, written over lines or on one, whatever the chunks', async () => {
    const m = ['1', '2', '3'].map((id) => ({ id, acheteur: { id: '21350238800019' }, objet: `Travaux ${id}`, montant: 1 }));
    const c = ['C1', 'C2'].map((id) => ({ id, autoriteConcedante: { id: '21350238800019' }, nature: 'Concession de service', valeurGlobale: 5 }));
    const lines = JSON.stringify({ marches: { marche: m, 'contrat-concession': c } }, null, 2).split('\n');
    // over lines: the second marché's own closing brace (`},` becomes `,`), its records told apart by their indentation
    const at = lines.findIndex((l, k) => k > lines.findIndex((x) => x.includes('"Travaux 2"')) && l.trim() === '},');
    const pretty = [...lines.slice(0, at), lines[at]!.replace('},', ','), ...lines.slice(at + 1)].join('\n');
    // on one line: the second marché's buyer not closed, its records told apart by their first keys
    const oneLine = JSON.stringify({ marches: { marche: m, 'contrat-concession': c } }).replace('"21350238800019"},"objet":"Travaux 2"', '"21350238800019","objet":"Travaux 2"');
    for (const [bad, line, by] of [
      [pretty, lines.findIndex((x) => x.includes('"id": "2"')), 'indentation'],
      [oneLine, 1, 'first keys'],
    ] as const) {
      for (const size of [undefined, 1, 5, 64]) {
        const r = await readBytes(bad, {}, size);
        expect([size, r.records.map((x) => [x.type, x.data['id'], x.provenance.index])]).toEqual([
          size,
          [
            ['marche', '1', 0],
            ['marche', '3', 2],
            ['contrat-concession', 'C1', 3],
            ['contrat-concession', 'C2', 4],
          ],
        ]);
        expect(r.records.map((x) => x.data)).toEqual([m[0], m[2], ...c]);
        expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 1, line }) })]);
        expect(r.rejects[0]!.reason).toMatch(new RegExp(`so it ran on over the next records of the list: those \\(1\\), told apart by their ${by}, are read on their own$`));
        expect(r.summary).toMatchObject({ read: 5, accepted: 4, rejected: 1, issues: [] });
        expect(r.summary.error).toBeUndefined();
      }
    }
  });

  test('one brace dropped or doubled anywhere in a real file costs at most the record it was in, and every record is accounted for (pretty-printed and one-line samples)', async () => {
    for (const name of ['2019-json/marches-securises_ville-de-croix_2019-2021.json', '2024-json/dematis-e-marchespublics_2024-07-daily-18.json']) {
      const text = readFileSync(join(SHARED, 'decp/samples', name), 'utf8');
      const whole = await readBytes(text);
      const intact = whole.records.map((x) => JSON.stringify(x.data));
      const braces: number[] = [];
      for (let i = text.indexOf('}'); i >= 0; i = text.indexOf('}', i + 1)) braces.push(i);
      // (every 23rd brace: all depths, the records' own, their lists', the document's)
      for (let k = 0; k < braces.length; k += 23) {
        const at = braces[k]!;
        for (const [what, bad] of [
          ['dropped', text.slice(0, at) + text.slice(at + 1)],
          ['doubled', text.slice(0, at + 1) + text.slice(at)],
        ] as const) {
          const r = await readBytes(bad);
          const left = new Map<string, number>();
          for (const t of intact) left.set(t, (left.get(t) ?? 0) + 1);
          let kept = 0;
          for (const x of r.records) {
            const t = JSON.stringify(x.data);
            if ((left.get(t) ?? 0) > 0) {
              kept++;
              left.set(t, left.get(t)! - 1);
            }
          }
          expect([name, what, at, kept >= intact.length - 1]).toEqual([name, what, at, true]);
          expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
        }
      }
    }
  });

  test('in a real file on one line, a string\'s closing quote lost, or a key\'s colon, costs only the record it is in, wherever it is (it lost the rest of the file)', async () => {
    const text = readFileSync(join(SHARED, 'decp/samples/2024-json/dematis-e-marchespublics_2024-07-early.json'), 'utf8');
    const whole = await readBytes(text);
    const intact = whole.records.map((x) => JSON.stringify(x.data));
    // the quote that closes a text before "]" (its brackets then read as text, up to past the list's
    // end), and the colon of "titulaires" (its quote then read as one inside the string)
    for (const [needle, at] of [
      ['sociale"]', 'sociale'.length],
      ['"titulaires":[', '"titulaires"'.length],
    ] as const) {
      const found: number[] = [];
      for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) found.push(i + at);
      expect(found.length).toBeGreaterThan(100);
      for (let k = 0; k < found.length; k += 9) {
        const r = await readBytes(text.slice(0, found[k]) + text.slice(found[k]! + 1));
        const left = new Map<string, number>();
        for (const t of intact) left.set(t, (left.get(t) ?? 0) + 1);
        const kept = r.records.filter((x) => {
          const t = JSON.stringify(x.data);
          if ((left.get(t) ?? 0) === 0) return false;
          left.set(t, left.get(t)! - 1);
          return true;
        }).length;
        expect([needle, k, kept]).toEqual([needle, k, intact.length - 1]);
        expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
      }
    }
  });

  test('a "}" too many inside a record of the real sample rejects that record, whole, instead of reading it without its later fields; every other record is read as from the intact file, whatever the chunks', async () => {
    const path = join(SHARED, 'decp/samples/2019-json/marches-securises_ville-de-croix_2019-2021.json');
    const lines = readFileSync(path, 'utf8').split('\n');
    // the third record's "acheteur" closed twice: the second brace closes the record
    const starts = lines.flatMap((l, k) => (l.includes('"acheteur"') ? [k] : []));
    const at = lines.findIndex((l, k) => k > starts[2]! && l.trim() === '},');
    const damaged = [...lines.slice(0, at), lines[at]!.replace('},', '}},'), ...lines.slice(at + 1)].join('\n');
    const whole = await readBytes(lines.join('\n'));
    const third = whole.records[2]!;
    for (const size of [undefined, 1, 7, 4096]) {
      const r = await readBytes(damaged, {}, size);
      expect(r.records.map((x) => [x.provenance.index, x.provenance.line, x.data])).toEqual(whole.records.filter((x) => x !== third).map((x) => [x.provenance.index, x.provenance.line, x.data]));
      // one reject, the record's: its rest (an object among its fields) is not read as records or junk
      expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 2, line: third.provenance.line }) })]);
      expect(r.rejects[0]!.reason).toBe(`a "}" too many ends this record before its other fields: they follow it in the list, from line ${at + 2} (byte ${Buffer.byteLength(damaged.split('\n').slice(0, at + 1).join('\n')) + 7}), and were passed over up to the brace that ends the record; the records after it are read`);
      expect(r.rejects[0]!.excerpt).toMatch(/^\{\n {6}"id": /);
      expect(r.summary).toMatchObject({ read: whole.summary.read, accepted: whole.summary.read - 1, rejected: 1 });
      expect(r.summary.issues).toEqual(whole.summary.issues);
    }
  });

  test('a record closed early by a "}" too many is told from a string item after a record, and from junk, whatever the chunks', async () => {
    const early = `{"marches":[${rec('1').slice(0, -1)}},"objet":"a } b","lieu":{"code":"1","x":[{"y":"}"}]}},\n${rec('2')}]}`;
    // … in a list of suppliers: the record's braces balance at that list's "]"
    const inList = `{"marches":[${rec('1').slice(0, -1)},"titulaires":[{"id":"t"}}],"objet":"x"},\n${rec('2')}]}`;
    // the last marché of a 2024 document ran on over its list's end: the key after it names the next
    // list, which is not passed over as the record's rest (it is junk, said where it starts)
    const last = `{"marches":{"marche":[${rec('1')},${rec('2').slice(0, -1)}],"contrat-concession":[{"id":"C1"}]}}`;
    // a string item (not followed by a colon) and a record ended by its own braces: as before
    const string = `{"marches":[${rec('1')},"note" ,${rec('2')},"last"]}`;
    for (const size of [undefined, 1, 2, 3, 7]) {
      const r = await readBytes(early, {}, size);
      expect([size, r.records.map((x) => [x.data['id'], x.provenance.index])]).toEqual([size, [['2', 1]]]);
      expect([size, r.rejects.map((x) => [x.code, x.provenance.index, x.provenance.offset])]).toEqual([size, [['INGEST_RECORD_SYNTAX', 0, 12]]]);
      expect(r.rejects[0]!.reason).toMatch(/^a "\}" too many ends this record before its other fields: they follow it in the list, from line 1 \(byte (\d+)\)/);
      expect(Number(/byte (\d+)/.exec(r.rejects[0]!.reason)![1])).toBe(early.indexOf('"objet"'));
      // the next record's opening "{" missing: the record before has that key already, it is whole
      const open = await readBytes(`{"marches":[${rec('1')},\n${rec('2').slice(1)},\n${rec('3')}]}`, {}, size);
      expect([size, open.records.map((x) => [x.data['id'], x.provenance.index]), open.rejects.map((x) => [x.code, x.provenance.index, x.provenance.line])]).toEqual([
        size,
        [
          ['1', 0],
          ['3', 2],
        ],
        [['INGEST_RECORD_SYNTAX', 1, 2]],
      ]);
      expect(open.rejects[0]!.reason).toMatch(/^a record without its opening "\{": its fields, from "id" \(line 2, byte \d+\) up to the brace that ends it, were passed over/);
      expect(open.records[0]!.data).toEqual(JSON.parse(rec('1')));
      const l = await readBytes(inList, {}, size);
      expect([size, l.records.map((x) => x.data['id']), l.rejects.map((x) => [x.code, x.provenance.index])]).toEqual([size, ['2'], [['INGEST_RECORD_SYNTAX', 0]]]);
      expect(l.rejects[0]!.reason).toMatch(/^a "\}" too many ends this record before its other fields/);
      const t = await readBytes(last, {}, size);
      expect([size, t.records.map((x) => x.data['id'])]).toEqual([size, ['1']]);
      expect(t.rejects.find((x) => x.excerpt === '"contrat-concession"')).toBeDefined();
      const s = await readBytes(string, {}, size);
      expect([size, s.records.map((x) => x.data['id'])]).toEqual([size, ['1', '2']]);
      expect([size, s.rejects.map((x) => [x.code, x.provenance.index, x.excerpt])]).toEqual([
        size,
        [
          ['INGEST_RECORD_NOT_OBJECT', 1, '"note"'],
          ['INGEST_RECORD_NOT_OBJECT', 3, '"last"'],
        ],
      ]);
    }
  });

  /**
   * The PES sample written by `write`, read whole: all of it (its 301st record damaged, two chunkings)
   * and its first 4 records (the 2nd damaged, every small chunk size).
   */
  const pesCases = async (write: (d: unknown) => string): Promise<Array<{ text: Buffer; whole: Awaited<ReturnType<typeof readBytes>>; k: number; sizes: ReadonlyArray<number | undefined> }>> => {
    const all = JSON.parse(readFileSync(join(SHARED, 'decp/samples/2019-json/pes-marche_via-decp-rama_2019-03-07.json'), 'utf8')) as { marches: unknown[] };
    const cases = [
      { records: all.marches, k: 300, sizes: [undefined, 4096] },
      { records: all.marches.slice(0, 4), k: 1, sizes: [...Array.from({ length: 13 }, (_, i) => i + 1), 64, 4096] },
    ];
    return Promise.all(cases.map(async ({ records, k, sizes }) => {
      const text = Buffer.from(write({ marches: records }));
      return { text, whole: await readBytes(text), k, sizes };
    }));
  };
  /** `text` with its byte at `at` replaced by `byte`. */
  const withByte = (text: Buffer, at: number, byte: string): Buffer => Buffer.concat([text.subarray(0, at), Buffer.from(byte), text.subarray(at + 1)]);

  test.each([
    ['on one line', (d: unknown): string => JSON.stringify(d)],
    ['pretty-printed', (d: unknown): string => JSON.stringify(d, null, 2)],
  ])('a "}" in place of a key\'s opening quote after a comma, in a real file (%s), rejects that record whole instead of publishing it without its later fields; its rest is no junk, and the records after it are read, whatever the chunks (found by a mutation fuzz)', async (_what, write) => {
    // (the "}" closed the record, its trailing comma was repaired, and it was published without its
    // fields from that key on; their rest was junk, and an object among them was read as a record)
    for (const { text, whole, k, sizes } of await pesCases(write)) {
      // the key after the k-th record's buyer: its opening quote became a "}"
      const start = text.indexOf('"acheteur"', whole.records[k]!.provenance.offset);
      const at = text.indexOf('"', text.indexOf('},', start) + 2);
      const damaged = withByte(text, at, '}');
      const key = /^"(\w+)"/.exec(text.subarray(at, at + 40).toString())![1]!;
      for (const size of sizes) {
        const r = await readBytes(damaged, {}, size);
        expect([size, r.records.map((x) => [x.provenance.index, x.provenance.line, x.data])]).toEqual([size, whole.records.filter((_, j) => j !== k).map((x) => [x.provenance.index, x.provenance.line, x.data])]);
        expect([size, r.rejects.map((x) => [x.code, x.provenance.index, x.provenance.offset])]).toEqual([size, [['INGEST_RECORD_SYNTAX', k, whole.records[k]!.provenance.offset]]]);
        const line = text.subarray(0, at).toString().split('\n').length;
        expect(r.rejects[0]!.reason).toBe(`a "}" in place of the opening quote of key "${key}" ends this record before its other fields: they follow it in the list, from line ${line} (byte ${at}), and were passed over up to the brace that ends the record; the records after it are read`);
        expect(r.summary).toMatchObject({ read: whole.summary.read, accepted: whole.summary.read - 1, rejected: 1 });
      }
    }
  });

  test('text after a record that ended with a comma before its "}" is taken for a key\'s rest only when a quote, blanks and a ":" end it; else it is junk as before, whatever the chunks', async () => {
    const early = (sep: string): string => `{"marches":[${sep}{"id":"1","acheteur":{"id":"21350238800019"},${sep}}objet" \t: "a } b", "lieu": {"code": "1", "x": [{"y": "}"}]}},${sep}${rec('2')}]}`;
    // (junk that is no key's rest: the record before it is read, its trailing comma repaired; after a
    // record without a trailing comma, a key's rest is junk too; and the input may end inside it)
    const junk = `{"marches":[{"id":"1","acheteur":{"id":"21350238800019"},"montant":1,}objet" x: 1,${rec('2')},{"id":"3","montant":1,}ob\nj": 1,${rec('4')}]}`;
    const plain = `{"marches":[${rec('1')}objet": "x",${rec('2')}]}`;
    const cut = `{"marches":[{"id":"1","acheteur":{"id":"21350238800019"},"montant":1,}obje`;
    for (const size of [undefined, ...Array.from({ length: 13 }, (_, i) => i + 1), 64]) {
      for (const sep of ['', '\n    ']) {
        const r = await readBytes(early(sep), {}, size);
        expect([size, sep, r.records.map((x) => [x.data['id'], x.provenance.index])]).toEqual([size, sep, [['2', 1]]]);
        expect([size, r.rejects.map((x) => [x.code, x.provenance.index, x.provenance.offset])]).toEqual([size, [['INGEST_RECORD_SYNTAX', 0, 12 + sep.length]]]);
        expect(r.rejects[0]!.reason).toContain(`a "}" in place of the opening quote of key "objet" ends this record before its other fields: they follow it in the list, from line ${sep === '' ? 1 : 3} (byte ${early(sep).indexOf('}objet')})`);
      }
      const j = await readBytes(junk, {}, size);
      expect([size, j.records.map((x) => x.data['id'])]).toEqual([size, ['1', '2', '3', '4']]);
      expect([size, j.rejects.map((x) => [x.code, x.provenance.line, x.reason.replace(/ \(at byte.*/, '')])]).toEqual([
        size,
        [
          ['INGEST_RECORD_SYNTAX', 1, 'text that is not a record in the list of records: "o"'],
          ['INGEST_RECORD_SYNTAX', 1, 'text that is not a record in the list of records: "o"'],
        ],
      ]);
      const p = await readBytes(plain, {}, size);
      expect([size, p.records.map((x) => x.data['id']), p.rejects.map((x) => x.reason.replace(/ \(at byte.*/, ''))]).toEqual([size, ['1', '2'], ['text that is not a record in the list of records: "o"']]);
      const c = await readBytes(cut, {}, size);
      expect([size, c.records.map((x) => x.data['id']), c.rejects.map((x) => x.code)]).toEqual([size, ['1'], ['INGEST_RECORD_SYNTAX', 'INGEST_FILE_SYNTAX']]);
    }
  });

  test.each([
    ['on one line', (d: unknown): string => JSON.stringify(d)],
    ['pretty-printed', (d: unknown): string => JSON.stringify(d, null, 2)],
  ])('a "[" in place of the "," between two records of a real file (%s) is read as that ",", said; the records after it are read, whatever the chunks (found by a mutation fuzz)', async (_what, write) => {
    // (the "[" was junk that opened a list: it ran over every record after it, the document said cut at its end)
    for (const { text, whole, k, sizes } of await pesCases(write)) {
      // the comma after the k-th record
      const at = text.lastIndexOf(',', whole.records[k + 1]!.provenance.offset);
      const damaged = withByte(text, at, '[');
      const line = text.subarray(0, at).toString().split('\n').length;
      for (const size of sizes) {
        const r = await readBytes(damaged, {}, size);
        expect([size, r.records.map((x) => [x.provenance.index, x.provenance.line, x.provenance.offset, x.data])]).toEqual([size, whole.records.map((x) => [x.provenance.index, x.provenance.line, x.provenance.offset, x.data])]);
        expect([size, r.rejects]).toEqual([size, []]);
        expect(r.summary.issues.map((x) => [x.code, x.message])).toEqual([['INGEST_FILE_SYNTAX', `a "[" in place of the "," between two records (at byte ${at}, line ${line}): read as if it were a ","`]]);
      }
    }
  });

  test('a "[" after a record of a list is read as its "," only when a "{" follows it: else it is junk as before (the list it opens passed over), and so in a root array of lists; whatever the chunks', async () => {
    const cases: Array<[string, string[], number]> = [
      [`[${rec('1')} [\n  ${rec('2')}, ${rec('3')}]`, ['1', '2', '3'], 0],
      [`{"marches":[${rec('1')}[ "x", {"a": "]"}], ${rec('2')}]}`, ['1', '2'], 1],
      [`{"marches":[${rec('1')},"note"[${rec('2')}], ${rec('3')}]}`, ['1', '3'], 2],
      [`[[${rec('1')}],[${rec('2')}],${rec('3')}[${rec('4')}]]`, ['1', '2', '3'], 1],
      [`{"marches":[${rec('1')} [ \n`, ['1'], 2],
    ];
    for (const [text, ids, rejects] of cases) {
      for (const size of [undefined, ...Array.from({ length: 13 }, (_, i) => i + 1), 64]) {
        const r = await readBytes(text, {}, size);
        expect([text, size, r.records.map((x) => x.data['id']), r.rejects.length]).toEqual([text, size, ids, rejects]);
        expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
      }
    }
    const junk = await readBytes(`{"marches":[${rec('1')}[ "x", {"a": "]"}], ${rec('2')}]}`);
    expect(junk.rejects.map((x) => [x.reason, x.provenance.offset])).toEqual([['text that is not a record in the list of records: "[" (at byte 69, line 1); the records after it are read', 69]]);
  });

  test('a "[" after a record that does not parse is junk as before, not read as a ",": a byte of the record become "}" closed it early and the "[" is its own list\'s (its objects no records, the records after it kept), whatever the chunks', async () => {
    // (`"titulaires"}[{…}]`: read as a ",", the titulaire was published as a record and the "]" of
    // its list ended the list of records: every record after it lost)
    for (const indent of [0, 2]) {
      const doc = JSON.stringify({ marches: [{ id: '1', acheteur: { id: '21350238800019' }, titulaires: [{ titulaire: { id: '3' } }], montant: 1 }, JSON.parse(rec('2')), JSON.parse(rec('3'))] }, null, indent);
      const at = doc.indexOf('"titulaires"') + '"titulaires"'.length;
      const text = `${doc.slice(0, at)}}${doc.slice(at + 1)}`;
      for (const size of [undefined, ...Array.from({ length: 13 }, (_, i) => i + 1), 64]) {
        const r = await readBytes(text, {}, size);
        expect([indent, size, r.records.map((x) => x.data['id'])]).toEqual([indent, size, ['2', '3']]);
        expect([indent, size, r.rejects.map((x) => x.code), r.summary.read]).toEqual([indent, size, ['INGEST_RECORD_SYNTAX', 'INGEST_RECORD_SYNTAX'], 4]);
      }
    }
  });

  test('in a real 2024 file on one line, a byte in place of a bracket right after a string\'s closing quote costs that record (at worst its neighbour), not every record after it: the run-on is read in pieces, the concessions after the marchés in their own list, whatever the chunks (found by a mutation fuzz)', async () => {
    // (the quote, followed by text, was read as one inside the string, which swallowed brackets: the
    // record ran on to the document's end, over the concessions' list, or past it, and every record
    // after it was lost in one reject: 120 of daily-17's 159 records, 130 of early's 141)
    for (const [file, needle, nth] of [
      ['dematis-e-marchespublics_2024-07-daily-17.json', '"}}],"considerationsS', 39],
      ['dematis-e-marchespublics_2024-07-early.json', '"}}]}}],"_type"', 0],
    ] as const) {
      const text = Buffer.from(JSON.stringify(JSON.parse(readFileSync(join(SHARED, 'decp/samples/2024-json', file), 'utf8'))));
      const whole = await readBytes(text);
      let at = -1;
      for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
      at += 1;
      const damaged = Buffer.concat([text.subarray(0, at), Buffer.from('x'), text.subarray(at + 1)]);
      const index = whole.records.filter((x) => (x.provenance.offset ?? 0) < at).length - 1;
      for (const size of [undefined, 4096, 65536]) {
        const r = await readBytes(damaged, {}, size);
        const left = new Map<string, number>();
        for (const x of whole.records) left.set(`${x.type} ${JSON.stringify(x.data)}`, (left.get(`${x.type} ${JSON.stringify(x.data)}`) ?? 0) + 1);
        const kept = r.records.filter((x) => {
          const t = `${x.type} ${JSON.stringify(x.data)}`;
          if ((left.get(t) ?? 0) === 0) return false;
          left.set(t, left.get(t)! - 1);
          return true;
        }).length;
        expect([file, size, kept, r.records.length]).toEqual([file, size, whole.records.length - 1, whole.records.length - 1]);
        expect([file, size, r.rejects[0]!.code, r.rejects[0]!.provenance.index, r.rejects[0]!.provenance.offset]).toEqual([file, size, 'INGEST_RECORD_SYNTAX', index, whole.records[index]!.provenance.offset]);
        expect(r.rejects[0]!.reason).toMatch(/its braces do not balance, so it ran on over the next records of the list: those \(\d+\), told apart by their first keys, are read on their own$/);
        // (it took the document's closing brackets with it: the document is whole, one reject)
        expect([file, size, r.rejects.length, r.summary.issues]).toEqual([file, size, 1, whole.summary.issues]);
        expect(r.summary).toMatchObject({ read: whole.summary.read, accepted: whole.summary.read - 1, rejected: 1 });
      }
    }
  });

  test('an input cut after or inside a record whose list holds objects that start with its own first keys is said cut, as before: that record is no run-on (it has no fault), its objects no records; one line or pretty-printed, whatever the chunks', async () => {
    // (its closing brackets were taken for the document's, the cut not said; or, cut inside it, it was
    // read in pieces: its last object published as a marché, the record a syntax reject)
    const inner = { id: '1', acheteur: { id: '21350238800019' }, titulaires: [{ id: '2', acheteur: { id: 'x' } }, { id: '3', acheteur: { id: 'y' } }] };
    for (const indent of [0, 2]) {
      const doc = JSON.stringify({ marches: [JSON.parse(rec('0')), inner, JSON.parse(rec('4'))] }, null, indent);
      // (the end of the second record: the last "}" before the third's "{")
      const after = doc.lastIndexOf('}', doc.lastIndexOf('{', doc.indexOf('"4"'))) + 1;
      const listEnd = doc.indexOf(']', doc.indexOf('"titulaires"')) + 1;
      const cases: Array<[string, string[], string[]]> = [
        // cut right after it: the document said cut
        [doc.slice(0, after), ['0', '1'], ['INGEST_FILE_SYNTAX']],
        // cut inside it, after its list: one record cut short
        [doc.slice(0, listEnd), ['0'], ['INGEST_RECORD_TRUNCATED']],
      ];
      for (const [text, ids, rejects] of cases) {
        for (const size of [undefined, ...Array.from({ length: 13 }, (_, i) => i + 1), 64]) {
          const r = await readBytes(text, {}, size);
          expect([indent, size, r.records.map((x) => x.data['id']), r.rejects.map((x) => x.code)]).toEqual([indent, size, ids, rejects]);
          expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
        }
      }
    }
  });

  test('a record of a one-line list that ran on over the records after it, to the document\'s end or past it, is read in pieces (a next DECP list\'s in that list); one that does not split so is one reject as before; whatever the chunks', async () => {
    const cases: Array<[string, string[], string[]]> = [
      // the braces balance at the document's end, the concessions' list inside the capture
      [`{"marches":{"marche":[${rec('1')},{"id":"2","acheteur":{"id":"21350238800019"},"titulaires":[{"titulaire":{"id":"3"x}]},"montant":1},${rec('3')}],"contrat-concession":[{"id":"C1","autoriteConcedante":{"id":"1"}},{"id":"C2"}]}}\n`, ['marche 1', 'marche 3', 'contrat-concession C1', 'contrat-concession C2'], ['INGEST_RECORD_SYNTAX']],
      // they never balance: the input ends inside it (in a root array too)
      [`{"marches":{"marche":[${rec('1')},{"id":"2","acheteur":{"id":"21350238800019"},"modifications":[{"modification":{"titulaires":[{"titulaire":{"id":"3"x}]}}],"montant":1},${rec('3')},${rec('4')}]}}\n`, ['marche 1', 'marche 3', 'marche 4'], ['INGEST_RECORD_SYNTAX']],
      [`[${rec('1')},{"id":"2","acheteur":{"id":"21350238800019"},"titulaires":[{"id":"3"x]},${rec('3')}]`, ['marche 1', 'marche 3'], ['INGEST_RECORD_SYNTAX']],
      // … brackets after it that are not the document's: it was cut, said
      [`{"marches":{"marche":[${rec('1')},{"id":"2","acheteur":{"id":"21350238800019"},"modifications":[{"modification":{"titulaires":[{"titulaire":{"id":"3"x}]}}],"montant":1},${rec('3')}]}]}`, ['marche 1', 'marche 3'], ['INGEST_RECORD_SYNTAX', 'INGEST_FILE_SYNTAX']],
      // … and the input cut: one record cut short, as before
      [`{"marches":{"marche":[${rec('1')},{"id":"2","acheteur":{"id":"21350238800019"},"modifications":[{"modification":{"titulaires":[{"titulaire":{"id":"3"x}]}}],"montant":1},${rec('3')},{"id":"4"`, ['marche 1'], ['INGEST_RECORD_TRUNCATED']],
    ];
    for (const [text, want, rejects] of cases) {
      for (const size of [undefined, ...Array.from({ length: 13 }, (_, i) => i + 1), 64]) {
        const r = await readBytes(text, {}, size);
        expect([size, r.records.map((x) => `${x.type} ${String(x.data['id'])}`)]).toEqual([size, want]);
        expect([size, r.rejects.map((x) => x.code), r.rejects[0]!.provenance.index]).toEqual([size, rejects, 1]);
        expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
      }
    }
  });

  test('a document that holds its records under a name of its own and is not valid JSON: its records are read one by one, the fault costing only the record it is in, whatever the chunks', async () => {
    const items = ['1', '2', '3', '4'].map((id) => JSON.parse(rec(id)) as Record<string, unknown>);
    for (const indent of [0, 2]) {
      const good = JSON.stringify({ data: items, meta: { page: 1 } }, null, indent);
      // the third record's object has a comma missing
      const bad = good.replace(/("id":\s*"3",)/, '$1 "x": 1 "y": 2,');
      const whole = await readBytes(good);
      for (const size of [undefined, 1, 3, 7]) {
        const r = await readBytes(bad, {}, size);
        // each at its own place (the valid document's records all have its first line: it is read whole)
        const at = (id: string): { offset: number; line: number } => {
          const offset = bad.lastIndexOf('{', bad.search(new RegExp(`"id":\\s*"${id}"`)));
          return { offset, line: bad.slice(0, offset).split('\n').length };
        };
        expect([size, r.records.map((x) => [x.data, x.provenance.index, x.provenance.offset, x.provenance.line])]).toEqual([size, whole.records.filter((x) => x.data['id'] !== '3').map((x, k) => [x.data, x.provenance.index, at(['1', '2', '4'][k]!).offset, at(['1', '2', '4'][k]!).line])]);
        expect(r.records.map((x) => x.type)).toEqual(['marche', 'marche', 'marche']);
        expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 2, ...at('3') }) })]);
        expect(r.rejects[0]!.excerpt!.startsWith('{')).toBe(true);
        expect(r.summary.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^the file is not valid JSON \(invalid JSON: .*\): its records, in a list under a name that is not a DECP or OCDS one, are read one by one$/)]);
        expect(r.summary).toMatchObject({ format: whole.summary.format, read: 4, accepted: 3, rejected: 1 });
      }
    }
    // one record that is not valid JSON stays one reject: its lists (suppliers) are not records
    const lone = `{"id":"1","acheteur":{"id":"21350238800019"},"titulaires":[{"id":"1","typeIdentifiant":"SIRET"},{"id":"2"}],"objet":"a" "b"}`;
    const r = await readBytes(lone);
    expect(r.records).toEqual([]);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ index: 0, line: 1, offset: 0 }) })]);
  });

  test('junk between records of a list is one reject at its position, and the records after it are read, whatever the chunks', async () => {
    // (reading stopped at the junk: the records after it were lost)
    const text = `{"marches":[\n${rec('1')},\n${rec('2')},\n}garbage "a, {b}" : 3 ${rec('3')} x,\n${rec('4')}]}`;
    for (const size of [undefined, 1, 2, 3, 7]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, ['1', '2', '3', '4']]);
      expect([size, r.rejects.map((x) => [x.code, x.provenance.line, x.provenance.index])]).toEqual([size, [['INGEST_RECORD_SYNTAX', 4, 2], ['INGEST_RECORD_SYNTAX', 4, 4]]]);
      expect(r.rejects[0]!.reason).toBe('text that is not a record in the list of records: "}" (at byte 131, line 4); the records after it are read');
      expect(r.rejects[1]!.reason).toMatch(/^text that is not a record in the list of records: "x" \(at byte \d+, line 4\)/);
      expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
    }
  });

  test.each([
    ['written over lines', '\n    '],
    ['on one line', ''],
  ])('a key whose opening quote became a "]" (%s) rejects its record and the junk after it; the quote closing that key turns no string inside out, and the records after it are read, whatever the chunks (found by a mutation fuzz)', async (_what, sep) => {
    // (the quote after `montant` was read as opening a string: every brace after it was then inside
    // one, and the records after it were lost with the junk, counted nowhere)
    const text = `{"marches": [${sep}{"id": "1", "acheteur": {"id": "21350238800019"},${sep}]montant": 1, "objet": "a"${sep}},${sep}${rec('2')},${sep}${rec('3')}${sep}]}\n`;
    for (const size of [undefined, 1, 2, 3, 7]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, ['2', '3']]);
      expect([size, r.rejects.map((x) => x.code)]).toEqual([size, ['INGEST_RECORD_SYNTAX', 'INGEST_RECORD_SYNTAX']]);
      expect(r.rejects[1]!.reason).toMatch(/^text that is not a record in the list of records: "m"/);
      expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
    }
  });

  test.each([
    ['"["', '['],
    ['"x"', 'x'],
  ])('in a record written over lines, a key whose opening quote became %s rejects that record only: the quote right after the key\'s text closes it, and the records after it are read, whatever the chunks (found by a mutation fuzz)', async (_what, byte) => {
    // (the quote opened a string: every quote after it was read the wrong way round; with a "[" too,
    // the record ran to the end of the input, the records after it lost in a truncated one; with an
    // "x", the document was said cut at its end)
    const text = ['{"marches": [', '  {', '    "id": "1",', '    "acheteur": {"id": "21350238800019"},', '    "titulaires": [', '      {', '        "id": "43035129600024",', `        ${byte}denominationSociale": "MPE"`, '      }', '    ],', '    "montant": 1', '  },', `  ${rec('2')},`, `  ${rec('3')}`, ']}', ''].join('\n');
    for (const size of [undefined, 1, 2, 3, 7, 64]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, ['2', '3']]);
      expect([size, r.rejects.map((x) => [x.code, x.provenance.line])]).toEqual([size, [['INGEST_RECORD_SYNTAX', 2]]]);
    }
  });

  test.each([
    ['a root array, the name on a line of its own', '[', [`        "denominationSociale": "SARL "Dupont""`, '      }', '    ],'], ']', 'SARL "Dupont"'],
    ['a marches list, the name on a line of its own', '{"marches": [', [`        "denominationSociale": "SARL "Dupont""`, '      }', '    ],'], ']}', 'SARL "Dupont"'],
    ['a marches list, the list on one line', '{"marches": [', [`        "denominationSociale": "SARL "Dupont""}],`], ']}', 'SARL "Dupont"'],
    ['a root array, two quoted words', '[', [`        "denominationSociale": "SARL "Le Moulin" de "Croix""`, '      }', '    ],'], ']', 'SARL "Le Moulin" de "Croix"'],
    // (found by a review: a quoted word followed by brackets in the text, the quote after them opened a string)
    ['a root array, brackets after a quoted word', '[', [`        "denominationSociale": "Travaux "X" [lot 2]"`, '      }', '    ],'], ']', 'Travaux "X" [lot 2]'],
    ['a root array, braces after a quoted word, a field after it', '[', [`        "denominationSociale": "Travaux "X" {lot 2}",`, '        "typeIdentifiant": "SIRET"', '      }', '    ],'], ']', 'Travaux "X" {lot 2}'],
    ['a marches list, brackets after a quoted word', '{"marches": [', [`        "denominationSociale": "Travaux "X" [lot 2]"`, '      }', '    ],'], ']}', 'Travaux "X" [lot 2]'],
  ])('in a record written over lines, a text that ends with a quoted word, its quotes left unescaped (%s), keeps the record\'s bounds: the record read, its quotes read as quotes (flagged), and the records after it, whatever the chunks', async (_what, open, lines, close, name) => {
    // (the quote after `Dupont` was passed over as after text, the one right after it opened a string that swallowed
    // the record's closing brackets: in a root array the records after it were lost in a truncated one,
    // in a marches list the file was said cut at its end)
    const text = [open, '  {', '    "id": "1",', '    "acheteur": {"id": "21350238800019"},', '    "titulaires": [', '      {', '        "id": "43035129600024",', ...lines, '    "montant": 1', '  },', '  {', '    "id": "2",', '    "acheteur": {"id": "21350238800019"},', '    "montant": 2', '  },', `  ${rec('3')}`, close, ''].join('\n');
    for (const size of [undefined, 1, 2, 3, 7, 64]) {
      const r = await readBytes(text, {}, size);
      // (before the record parser read such quotes as quotes, that record was rejected alone, at line 2)
      expect([size, r.records.map((x) => [x.data['id'], x.provenance.line])]).toEqual([size, [['1', 2], ['2', lines.length + 10], ['3', lines.length + 15]]]);
      expect([size, r.rejects]).toEqual([size, []]);
      expect((r.records[0]!.data['titulaires'] as Array<Record<string, unknown>>)[0]!['denominationSociale']).toBe(name);
      expect(r.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_JSON_REPAIRED', pointer: '/titulaires/0/denominationSociale' })]);
    }
  });

  test.each([
    ['on one line', ''],
    ['written over lines', '\n    '],
  ])('junk in a list of records that ends with a quoted word, its quotes left unescaped (%s), is one reject: the record after it is read, whatever the chunks', async (_what, sep) => {
    // (the second quote after `Dupont` opened a string that swallowed the junk's end and the next record)
    const text = `{"marches": [${sep}{"id": "1", "acheteur": {"id": "21350238800019"},${sep}]nom": "SARL "Dupont""${sep}},${sep}${rec('2')},${sep}${rec('3')}${sep}]}\n`;
    for (const size of [undefined, 1, 2, 3, 7]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => x.data['id'])]).toEqual([size, ['2', '3']]);
      expect([size, r.rejects.map((x) => x.code)]).toEqual([size, ['INGEST_RECORD_SYNTAX', 'INGEST_RECORD_SYNTAX']]);
      expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
    }
  });

  test.each([
    ['NaN beside another fault', '{"id":"2","montant":NaN,,"n":1}'],
    // (a member's `01` is read as its text, "01": see the locale numbers below; in a list it is not)
    ['a leading zero in a list', '{"id":"2","montant":[01]}'],
    ['a bad escape', '{"id":"2","objet":"a \\x b"}'],
    ['two commas', '{"id":"2","montant":1,,"n":1}'],
    ['single quotes', "{'id':'2'}"],
    ['a control character beside another fault', '{"id":"2","objet":"a\u0001b" "n":1}'.replace('\\u0001', '\u0001')],
  ])('a record with %s is rejected alone; reading goes on', async (_what, bad) => {
    const text = `{"marches":[${rec('1')},\n${bad},\n${rec('3')}]}`;
    const r = await readBytes(text);
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3']);
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]).toMatchObject({ code: 'INGEST_RECORD_SYNTAX', provenance: { index: 1, line: 2 } });
    expect(r.rejects[0]!.reason).toMatch(/invalid JSON: .*line 2/);
    expect(r.rejects[0]!.excerpt).toBe(bad);
  });

  test('a record with NaN (or a raw control character) beside another fault says that fault, at its own place', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"id":"2","montant":NaN,"dureeMois":+3}', /^invalid JSON: Unexpected token '\+'/],
      // (a long integer, which the careful parse quotes, does not move the position either)
      ['{"id":12345678901234567890,"montant":NaN,"n":1 "y":2}', /^invalid JSON: Expected ',' or '}' after property value in JSON at position 47 /],
      ['{"id":"2","montant":-Infinity,"objet":"a\u0001b",\n"x":1 "y":2}'.replace('\\u0001', '\u0001'), /^invalid JSON: Expected ',' or '}' after property value in JSON at position 51 \(byte \d+, line 3\)/],
    ];
    for (const [bad, why] of cases) {
      const text = `{"marches":[${rec('1')},\n${bad},\n${rec('3')}]}`;
      const r = await readBytes(text);
      expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3']);
      expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', reason: expect.stringMatching(why) })]);
      // the position named is the record's own text's (the repairs change lengths)
      const at = /position (\d+)/.exec(r.rejects[0]!.reason);
      if (at) expect(bad.slice(Number(at[1]), Number(at[1]) + 3)).toBe('"y"');
    }
  });

  test('raw control characters in strings and NaN / Infinity values are repaired, flagged, and the record kept', async () => {
    const bad = '{"id":"2","objet":"ligne 1\tcol\u0001\rfin","montant":NaN,"tauxAvance":-Infinity,"note":"NaN"}'.replace('\\t', '\t').replace('\\u0001', '\u0001').replace('\\r', '\r');
    const text = `{"marches":[${rec('1')},\n${bad},\n${rec('3')}]}`;
    const r = await readBytes(text);
    expect(r.rejects).toEqual([]);
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2', '3']);
    expect(r.records[1]!.data).toEqual({ id: '2', objet: 'ligne 1\tcol\u0001\rfin', montant: null, tauxAvance: null, note: 'NaN' });
    expect(r.records[1]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_JSON_REPAIRED', message: expect.stringMatching(/3 raw control character\(s\).*2 NaN\/Infinity/) })]);
  });

  // (found by a probe: an export that writes its numbers itself, in a French locale — `"montant": 1234,56`,
  // `"montant": 1 234`, a postal code `"code": 01000` — lost the whole record, INGEST_RECORD_SYNTAX)
  test('a bare number written as a locale writes it (a decimal comma, digits grouped, leading zeros) is read as its text, flagged, and the record kept, whatever the chunks', async () => {
    const bad = '{"id":"2","montant":1234,56,"lieuExecution":{"code":01000 },"dureeMois":12,"valeur":1 234 567,8,"tauxAvance":-0,05,"autre":1.234.567,"offresRecues":3}';
    for (const size of [undefined, 1, 3, 7]) {
      const r = await readBytes(`{"marches":[${rec('1')},\n${bad},\n${rec('3')}]}`, {}, size);
      expect([size, r.rejects]).toEqual([size, []]);
      expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2', '3']);
      expect(r.records[1]!.data).toEqual({ id: '2', montant: '1234,56', lieuExecution: { code: '01000' }, dureeMois: 12, valeur: '1 234 567,8', tauxAvance: '-0,05', autre: '1.234.567', offresRecues: 3 });
      expect(r.records[1]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_JSON_REPAIRED', pointer: '/montant', message: expect.stringContaining('5 number(s) written as a locale writes them') })]);
      expect(r.records[0]!.issues).toEqual([]);
    }
    // a lone record, and JSON Lines from their first line on, whose outer level the splitter reads key
    // by key: the number runs on over its "," or space (it stopped the document there, a reject)
    const lone = '{"id":"2","acheteur":{"id":"21350238800019"},"montant":1 234,56,"dureeMois":-1,5,"code":01000}';
    for (let size = 1; size <= 16; size++) {
      for (const text of [lone, `${lone}\n${rec('3')}\n`]) {
        const r = await readBytes(text, {}, size);
        expect([size, r.rejects.map((x) => x.reason)]).toEqual([size, []]);
        expect([size, r.records.map((x) => [x.data['id'], x.data['montant'], x.data['dureeMois'], x.data['code'], x.provenance.line])]).toEqual([size, [['2', '1 234,56', '-1,5', '01000', 1], ...(text === lone ? [] : [['3', 1, undefined, undefined, 2]])]]);
      }
    }
    // (a number followed by a "," and a space, or by a key, is read as before)
    for (const size of [undefined, 1]) expect((await readBytes('{"id":"2","montant":1, "code":"x","n":2 }', {}, size)).records.map((x) => x.data)).toEqual([{ id: '2', montant: 1, code: 'x', n: 2 }]);
    // the amount is then read as any amount written as text is
    const converted = await readBytes(`{"marches":[{"id":"2","acheteur":{"id":"21350238800019"},"montant":1 234,5}]}`);
    expect(converted.records[0]!.data['montant']).toBe('1 234,5');
    // valid numbers and lists of numbers are left as they are; a comma and a space after it is no decimal comma
    for (const text of ['{"id":"4","a":[1,234],"b":1.5,"c":0,"d":-0.5e3}', '{"id":"5","a":1, 234}']) {
      const r = parseRecordBytes(Buffer.from(text), 'utf-8');
      if (text.includes('[')) expect(r).toEqual(expect.objectContaining({ ok: true, issues: [], data: { id: '4', a: [1, 234], b: 1.5, c: 0, d: -500 } }));
      else expect(r).toEqual(expect.objectContaining({ ok: false, code: 'INGEST_RECORD_SYNTAX' }));
    }
  });

  // (found by a probe: `"objet":"Travaux d\'entretien"`, an apostrophe escaped as PHP's addslashes and
  // JavaScript write it, rejected the whole record, INGEST_RECORD_SYNTAX: French text is full of them)
  test('an apostrophe escaped as PHP and JavaScript write it (\\\'), which JSON does not define, is read as the apostrophe, flagged, and the record kept, whatever the chunks', async () => {
    const bad = String.raw`{"id":"2","acheteur":{"id":"21350238800019"},"objet":"Travaux d\'entretien de l\'école","procedure":"Appel d\'offres ouvert","note":"\u00e9 \"q\" \\' \\\' fin"}`;
    for (const size of [undefined, 1, 3, 7]) {
      for (const text of [`{"marches":[${rec('1')},\n${bad},\n${rec('3')}]}`, `${rec('1')}\n${bad}\n${rec('3')}\n`, bad]) {
        const r = await readBytes(text, {}, size);
        expect([size, r.rejects]).toEqual([size, []]);
        const got = r.records.find((x) => x.data['id'] === '2')!;
        expect(got.data).toEqual({ id: '2', acheteur: { id: '21350238800019' }, objet: "Travaux d'entretien de l'école", procedure: "Appel d'offres ouvert", note: String.raw`é "q" \' \' fin` });
        expect(got.issues).toEqual([expect.objectContaining({ code: 'INGEST_JSON_REPAIRED', pointer: '/objet', message: expect.stringContaining("4 apostrophe(s) escaped") })]);
        expect(r.records.length).toBe(text === bad ? 1 : 3);
      }
    }
    // beside a fault it does not repair (another escape JSON does not define among them), the record is still rejected
    for (const text of [String.raw`{"id":"2","objet":"d\'accord" "n":1}`, String.raw`{"id":"2","objet":"d\'accord \x41"}`]) {
      expect(parseRecordBytes(Buffer.from(text), 'utf-8')).toEqual(expect.objectContaining({ ok: false, code: 'INGEST_RECORD_SYNTAX' }));
    }
  });

  // (found by a probe: `"objet":"Marché "Entretien" lot 1"`, words quoted in a text an export did not
  // escape, rejected the whole record, INGEST_RECORD_SYNTAX)
  test('a quote inside a string that an export did not escape is read as a quote when no JSON could follow the string there; flagged, the record kept, whatever the chunks', async () => {
    const bad = '{"id":"2","acheteur":{"id":"21350238800019"},"objet":"Marché "Entretien des "espaces" verts" lot 1","nom":"x"y" }';
    for (const size of [undefined, 1, 3, 7]) {
      for (const text of [`{"marches":[${rec('1')},\n${bad},\n${rec('3')}]}`, `${rec('1')}\n${bad}\n${rec('3')}\n`, bad]) {
        const r = await readBytes(text, {}, size);
        expect([size, r.rejects]).toEqual([size, []]);
        const got = r.records.find((x) => x.data['id'] === '2')!;
        expect(got.data).toEqual({ id: '2', acheteur: { id: '21350238800019' }, objet: 'Marché "Entretien des "espaces" verts" lot 1', nom: 'x"y' });
        expect(got.issues).toEqual([expect.objectContaining({ code: 'INGEST_JSON_REPAIRED', pointer: '/objet', message: expect.stringContaining('5 quote(s) inside a string') })]);
        expect(r.records.length).toBe(text === bad ? 1 : 3);
      }
    }
    // a quote a "," "}" "]" or ":" follows ends its string, as JSON reads it: still rejected when the rest is not JSON
    for (const text of ['{"id":"2","objet":"Fourniture de "cartouches", toners"}', '{"id":"2","objet":"Lot "A": voirie"}']) {
      expect(parseRecordBytes(Buffer.from(text), 'utf-8')).toEqual(expect.objectContaining({ ok: false, code: 'INGEST_RECORD_SYNTAX' }));
    }
  });

  test('a comma before a closing brace or bracket inside a record is dropped, flagged, and the record kept, whatever the chunks', async () => {
    // (found by a probe: `"nom":"Rennes",}` and `},]` rejected the whole record; a comma after the last record was already ignored)
    const bad = '{"id":"2","lieuExecution":{"code":"35238","nom":"Rennes",},"titulaires":[{"id":"81223113200026","objet":"a,}"},\n ],"montant":1, }';
    for (const size of [undefined, 1, 3, 7]) {
      const r = await readBytes(`{"marches":[${rec('1')},\n${bad},\n${rec('3')},]}`, {}, size);
      expect([size, r.rejects]).toEqual([size, []]);
      expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2', '3']);
      expect(r.records[1]!.data).toEqual({ id: '2', lieuExecution: { code: '35238', nom: 'Rennes' }, titulaires: [{ id: '81223113200026', objet: 'a,}' }], montant: 1 });
      expect(r.records[1]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_JSON_REPAIRED', message: expect.stringContaining('3 comma(s) before a closing "}" or "]" ignored') })]);
      expect(r.records[0]!.issues).toEqual([]);
    }
    // beside a fault it does not repair, the record is still rejected, with that fault
    const r = await readBytes(`{"marches":[${rec('1')},\n{"id":"2","a":[1,],"n":1 "y":2}]}`);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', reason: expect.stringMatching(/^invalid JSON: Expected ',' or '}' after property value in JSON at position 25 /) })]);
  });

  test('a lone record written where the list goes (`{"marches": {record}}`) is read as that record, nothing else', async () => {
    const r = await readBytes('{"marches": {"id":"1","acheteur":{"id":"21350238800019"},"montant":1,"titulaires":[{"id":"3","typeIdentifiant":"SIRET"}],"modifications":[]}}');
    expect(r.records.map((x) => x.data['id'])).toEqual(['1']);
    expect(r.records[0]!.data['titulaires']).toEqual([{ id: '3', typeIdentifiant: 'SIRET' }]);
    expect(r.rejects).toEqual([]);
    expect(r.summary.read).toBe(1);
  });

  test('a root array of records each under its element\'s name (`[{"marche":{…}}, {"contrat-concession":{…}}]`) is read as those records, as the same objects are one per line', async () => {
    const m = '{"id":"2024-001","acheteur":{"id":"21350238800019"},"objet":"a","objet":"b","montant":1,"titulaires":[{"titulaire":{"typeIdentifiant":"SIRET","id":"81223113200026"}}]}';
    const c = '{"id":"C1","autoriteConcedante":{"id":"21350238800019"},"valeurGlobale":2,"concessionnaires":[{"concessionnaire":{"typeIdentifiant":"SIRET","id":"81223113200026"}}]}';
    const text = `[\n {"marche": ${m}},\n {"contrat-concession": ${c}}\n]\n`;
    for (const size of [undefined, 1, 5, 13]) {
      const r = await readBytes(text, {}, size);
      expect([size, r.records.map((x) => [x.type, x.version, x.data['id'], x.provenance.line, x.issues.map((i) => [i.code, i.pointer])])]).toEqual([
        size,
        [
          ['marche', '2024', '2024-001', 2, [['INGEST_JSON_DUPLICATE_KEY', '/objet']]],
          ['contrat-concession', '2024', 'C1', 3, []],
        ],
      ]);
      expect(r.rejects).toEqual([]);
      expect([r.summary.format, r.summary.version]).toEqual(['decp-json', '2024']);
    }
    const lines = await readBytes(`{"marche": ${m}}\n{"contrat-concession": ${c}}\n`);
    expect(lines.records.map((x) => [x.type, x.version, x.data['id']])).toEqual([['marche', '2024', '2024-001'], ['contrat-concession', '2024', 'C1']]);
  });

  // a list of lists (`jq -s` over pages each a bare list of records) gave one INGEST_RECORD_NOT_OBJECT
  // per inner list: every record lost (found by a review)
  test('a root array of lists of records (`[[{…},{…}],[{…}]]`, pages joined by `jq -s`) is read record by record, each where it is, said once; scalars and objects beside the lists are read as before; whatever the chunks and over the record size limit', async () => {
    const text = `[\n [\n  ${rec('1')},\n  ${rec('2')}\n ],\n [${rec('3')}],\n ${rec('4')},\n 5,\n [],\n [[${rec('6')}], 7]\n]\n`;
    const at = (id: string): number => text.indexOf(`{"id":"${id}"`);
    const said = (line: number, offset: number): unknown => ({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', file: 'test.json', line, offset, message: expect.stringMatching(new RegExp(`^the document is a list of lists \\(from line ${line}: .*the items of each inner list are read as records`)) });
    // (every inner list is larger than the record size limit: its records are streamed one by one)
    for (const options of [{}, { maxRecordBytes: rec('1').length + 1 }]) {
      for (let size = 1; size <= 16; size++) {
        const r = await readBytes(text, options, size);
        expect([size, r.records.map((x) => [x.type, x.data['id'], x.provenance.line, x.provenance.offset, x.provenance.index])]).toEqual([
          size,
          [
            ['marche', '1', 3, at('1'), 0],
            ['marche', '2', 4, at('2'), 1],
            ['marche', '3', 6, at('3'), 2],
            ['marche', '4', 7, at('4'), 3],
          ],
        ]);
        // (a scalar beside the lists, and an item of an inner list that is itself a list (one level only), rejected as before)
        expect([size, r.rejects.map((x) => [x.code, x.provenance.line, x.provenance.offset, x.provenance.index])]).toEqual([
          size,
          [
            ['INGEST_RECORD_NOT_OBJECT', 8, text.indexOf('\n 5,') + 2, 4],
            // (under the tight limit, that list, one item, is a value too large, as it would be elsewhere)
            [options.maxRecordBytes === undefined ? 'INGEST_RECORD_NOT_OBJECT' : 'INGEST_RECORD_TOO_LARGE', 10, text.indexOf(`[${rec('6')}]`), 5],
            ['INGEST_RECORD_NOT_OBJECT', 10, text.indexOf(' 7]') + 1, 6],
          ],
        ]);
        if (options.maxRecordBytes === undefined) expect(r.rejects[1]!.reason).toMatch(/^expected a JSON object, got an array /);
        expect([size, r.summary.format, r.summary.version, r.summary.read, r.summary.issues]).toEqual([size, 'decp-json', '2019', 7, [said(2, 3)]]);
      }
    }
    // OCDS releases so joined are releases; a root array without lists is said nothing
    const release = (id: string): string => `{"ocid":"ocds-x-${id}","id":"${id}","date":"2020-01-01T00:00:00Z","tag":["tender"]}`;
    const ocds = await readBytes(`[[${release('a')}],[${release('b')},${release('c')}]]`);
    expect(ocds.records.map((x) => [x.type, x.data['id'], x.provenance.offset])).toEqual([['release', 'a', 2], ['release', 'b', 2 + release('a').length + 3], ['release', 'c', 2 + release('a').length + 3 + release('b').length + 1]]);
    expect([ocds.rejects, ocds.summary.format, ocds.summary.issues]).toEqual([[], 'ocds-json', [said(1, 1)]]);
    expect((await readBytes(`[${rec('1')}]`)).summary.issues).toEqual([]);
    // a table of plain values (`to_json(orient='values')`) is no list of lists of records: its values
    // rejected one by one, as a root array's are, and no word of pages joined (found by a review)
    for (let size = 1; size <= 8; size++) {
      const table = await readBytes('[["id","montant"],["1","100"]]', {}, size);
      expect([size, table.records, table.rejects.map((x) => x.code), table.summary.issues]).toEqual([size, [], Array(4).fill('INGEST_RECORD_NOT_OBJECT'), []]);
    }
  });

  // a page's list put into `marches` whole (`marches.append(page)` where `extend` was meant) gave one
  // INGEST_RECORD_NOT_OBJECT per page: every record of it lost; the root array's were read already
  test('the lists among the items of a DECP list of records (`{"marches":[[{…}],[{…}]]}`, 2024 `"marche":[[…]]`) are read record by record, of that list\'s kind, each where it is, said once; whatever the chunks and over the record size limit', async () => {
    const text = `{"marches": [\n [\n  ${rec('1')},\n  ${rec('2')}\n ],\n [${rec('3')}],\n ${rec('4')},\n [[${rec('5')}]]\n]}\n`;
    const at = (t: string, id: string): number => t.indexOf(`{"id":"${id}"`);
    const said = (name: string, line: number, offset: number): unknown => ({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', file: 'test.json', line, offset, message: expect.stringMatching(new RegExp(`^the list "${name}" holds lists \\(from line ${line}: .*the items of each inner list are read as records`)) });
    for (const options of [{}, { maxRecordBytes: rec('1').length + 1 }]) {
      for (let size = 1; size <= 16; size++) {
        const r = await readBytes(text, options, size);
        expect([size, r.records.map((x) => [x.type, x.data['id'], x.provenance.line, x.provenance.offset, x.provenance.index])]).toEqual([
          size,
          [
            ['marche', '1', 3, at(text, '1'), 0],
            ['marche', '2', 4, at(text, '2'), 1],
            ['marche', '3', 6, at(text, '3'), 2],
            ['marche', '4', 7, at(text, '4'), 3],
          ],
        ]);
        // (a list in an inner list is an item of it: one level only, as in a root array)
        expect([size, r.rejects.map((x) => [x.code, x.provenance.line, x.provenance.offset])]).toEqual([
          size,
          [[options.maxRecordBytes === undefined ? 'INGEST_RECORD_NOT_OBJECT' : 'INGEST_RECORD_TOO_LARGE', 8, text.indexOf(`[${rec('5')}]`)]],
        ]);
        expect([size, r.summary.read, r.summary.issues]).toEqual([size, 5, [said('marches', 2, text.indexOf('\n [\n') + 2)]]);
      }
    }
    // 2024: each list keeps its kind
    const c = '{"id":"C1","autoriteConcedante":{"id":"21350238800019"},"valeurGlobale":2}';
    const m24 = (id: string): string => `{"id":"${id}","acheteur":{"id":"21350238800019"},"montant":1,"titulaires":[{"titulaire":{"typeIdentifiant":"SIRET","id":"81223113200026"}}]}`;
    const t24 = `{"marches":{"marche":[[${m24('A')}],[${m24('B')}]],"contrat-concession":[[${c}]]}}`;
    for (const size of [undefined, 1, 5]) {
      const r = await readBytes(t24, {}, size);
      expect([size, r.records.map((x) => [x.type, x.version, x.data['id'], x.provenance.offset])]).toEqual([
        size,
        [
          ['marche', '2024', 'A', at(t24, 'A')],
          ['marche', '2024', 'B', at(t24, 'B')],
          ['contrat-concession', '2024', 'C1', at(t24, 'C1')],
        ],
      ]);
      expect([size, r.rejects, r.summary.issues]).toEqual([size, [], [said('marche', 1, t24.indexOf('[[') + 1)]]);
    }
    // a table of plain values there is no list of records: its values rejected one by one, no word of pages
    const table = await readBytes('{"marches":[["id","montant"],["1","100"]]}');
    expect([table.records, table.rejects.map((x) => x.code), table.summary.issues]).toEqual([[], Array(4).fill('INGEST_RECORD_NOT_OBJECT'), []]);
  });

  test('DECP records in a list named `records` or `releases` are read as DECP records by their fields (no ocid), said; an OCDS release there stays one, even without its ocid', async () => {
    const m = (id: string): string => `{"id":"${id}","_type":"Marché","acheteur":{"id":"21350238800019","nom":"Ville"},"nature":"Marché","montant":1,"titulaires":[{"typeIdentifiant":"SIRET","id":"81223113200026"}]}`;
    const c = '{"id":"C1","autoriteConcedante":{"id":"21350238800019"},"valeurGlobale":2}';
    const said = (name: string): unknown => expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', message: expect.stringMatching(new RegExp(`^the records under "${name}" .*are DECP records by their fields, without an ocid: read as DECP records`)) });
    for (const name of ['records', 'releases']) {
      for (const size of [undefined, 1, 7]) {
        const r = await readBytes(`{"${name}": [\n${m('1')},\n${c}\n]}`, {}, size);
        expect([name, size, r.records.map((x) => [x.type, x.version, x.data['id'], x.provenance.line])]).toEqual([name, size, [['marche', '2019', '1', 2], ['contrat-concession', '2019', 'C1', 3]]]);
        expect(r.rejects).toEqual([]);
        expect([r.summary.format, r.summary.version]).toEqual(['decp-json', '2019']);
        expect(r.summary.issues).toEqual([said(name)]);
      }
      // (packages one per line, as an API's pages saved together)
      const lines = await readBytes(`{"${name}":[${m('1')}]}\n{"${name}":[${m('2')}]}\n`);
      expect(lines.records.map((x) => [x.type, x.data['id']])).toEqual([['marche', '1'], ['marche', '2']]);
      expect(lines.summary.format).toBe('decp-json');
    }
    // an OCDS release without its ocid is a release still (its ocid missing is for convert and validate to say), beside a DECP record too
    const release = '{"id":"r1","date":"2020-01-01T00:00:00Z","tag":["tender"],"buyer":{"name":"x"}}';
    const ocds = await readBytes(`{"version":"1.1","releases":[${release}]}`);
    expect(ocds.records.map((x) => [x.type, x.data['id']])).toEqual([['release', 'r1']]);
    expect([ocds.summary.format, ocds.summary.version, ocds.summary.issues]).toEqual(['ocds-release-package', '1.1', []]);
    const mixed = await readBytes(`{"version":"1.1","releases":[${release},${m('1')}]}`);
    expect(mixed.records.map((x) => [x.type, x.data['id']])).toEqual([['release', 'r1'], ['marche', '1']]);
    expect([mixed.summary.format, mixed.summary.issues]).toEqual(['ocds-release-package', [said('releases')]]);
    // a record of a record package: one with a compiled release, or an ocid, whatever DECP-like field it has
    const record = await readBytes(`{"records":[{"ocid":"ocds-x-1","montant":1,"releases":[]},{"compiledRelease":{"id":"c"},"acheteur":{}}]}`);
    expect(record.records.map((x) => x.type)).toEqual(['record', 'record']);
    expect(record.summary.format).toBe('ocds-record-package');
  });

  test('a day without contracts written with nulls (`{"marches":null}`, xmltodict\'s `<marches></marches>`; `"marche":null`) holds no record, as `{"marches":[]}`: no reject, whatever the chunks', async () => {
    for (const [text, version] of [
      ['{"marches":null}', null],
      ['{"marches": null, "source": "x"}\n', null],
      ['{"contrats-concession":null}', '2024'],
      ['{"marches":{"marche":null,"contrat-concession":null}}', '2024'],
      ['{\n  "marches": {\n    "marche": null\n  }\n}\n', '2024'],
    ] as const) {
      for (const size of [undefined, 1, 3, 7]) {
        const r = await readBytes(text, {}, size);
        expect([text, size, r.records.length, r.rejects, r.summary.read, r.summary.format, r.summary.version]).toEqual([text, size, 0, [], 0, 'decp-json', version]);
        expect(r.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', message: 'the file holds no record' })]);
      }
    }
    // a null kind beside a list that holds records: those are read
    const r = await readBytes(`{"marches":{"marche":null,"contrat-concession":[{"id":"C1","autoriteConcedante":{"id":"21350238800019"},"valeurGlobale":1}]}}`);
    expect(r.records.map((x) => [x.type, x.data['id']])).toEqual([['contrat-concession', 'C1']]);
    expect(r.rejects).toEqual([]);
  });

  test.each(['null', '"texte"', '42'])('a file that is the lone JSON value %s is JSON: one record, rejected as not an object', async (text) => {
    const r = await readBytes(`${text}\n`);
    expect(r.summary.error).toBeUndefined();
    expect(r.rejects.map((x) => x.code)).toEqual(['INGEST_RECORD_NOT_OBJECT']);
  });

  test('a JSON Lines line of words that are not JSON is one reject, whatever its spaces (it was one per word)', async () => {
    const r = await readBytes(`${rec('1')}\nnot json either\n${rec('2')}\n1 2\t3 \n${rec('3')}\n`);
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2', '3']);
    expect(r.rejects.map((x) => [x.provenance.line, x.code])).toEqual([
      [2, 'INGEST_RECORD_SYNTAX'],
      [4, 'INGEST_RECORD_SYNTAX'],
    ]);
    expect(r.summary.read).toBe(5);
  });

  test('a syntax fault is said without quoting the record (a name in it may be a natural person\'s: the excerpt is the reject\'s, withheld when a profile says so)', async () => {
    const r = await readBytes(`${rec('1')}\n{"id":"2","titulaires":[{"denominationSociale":'Ana Ruiz'}]}\n{"id":"3","nom":"Jean Dupont","x":tru}\n${rec('4')}\n`);
    expect(r.rejects.map((x) => [x.provenance.line, x.code])).toEqual([
      [2, 'INGEST_RECORD_SYNTAX'],
      [3, 'INGEST_RECORD_SYNTAX'],
    ]);
    for (const x of r.rejects) {
      expect(x.reason).toMatch(/invalid JSON: Unexpected token .* \(the text is not valid JSON\)/);
      expect(x.reason).not.toMatch(/Ana|Ruiz|Dupont|titulaires|"id"/);
    }
  });

  // a download or a split that starts or stops mid-line: the first line is one reject, not the file
  test.each([
    ['cut at its end', (line: string) => line.slice(0, 40)],
    ['cut at its start (the file is not read as CSV)', (line: string) => line.slice(25)],
  ])('JSON Lines whose first line was %s: that line is one reject, every other line is read', async (_what, cut) => {
    const lines = ['1', '2', '3', '4'].map(rec);
    const r = await readBytes(`${cut(lines[0]!)}\n${lines.slice(1).join('\n')}\n`);
    expect(r.summary.error).toBeUndefined();
    expect(r.records.map((x) => x.data['id'])).toEqual(['2', '3', '4']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ line: 1, index: 0 }) })]);
    expect(r.rejects[0]!.reason).toMatch(/line 1 is not a whole JSON value/);
    expect(r.summary.read).toBe(4);
  });

  test('mismatched brackets reject their record at a reported position; what they leave over is junk, and the records after it are read', async () => {
    const text = `{"marches":[${rec('1')},\n{"id":"2","x":[1,}]},${rec('3')}]}`;
    const r = await readBytes(text);
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3']);
    expect(r.rejects.map((x) => [x.code, x.provenance.line])).toEqual([['INGEST_RECORD_SYNTAX', 2], ['INGEST_RECORD_SYNTAX', 2]]);
    expect(r.rejects[1]!.reason).toMatch(/^text that is not a record in the list of records: "}"/);
    expect(r.summary.read).toBe(r.summary.accepted + r.summary.rejected);
  });

  test('a truncated file keeps every complete record and rejects the cut one', async () => {
    const text = `{"marches":[${rec('1')},${rec('2')},{"id":"3","acheteur":{"id":"2135`;
    const r = await readBytes(text);
    expect(r.records).toHaveLength(2);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TRUNCATED' })]);
    expect(r.summary.read).toBe(3);
  });

  test('a file cut between records keeps them and reports where it ends', async () => {
    const r = await readBytes(`{"marches":[${rec('1')},${rec('2')}`);
    expect(r.records).toHaveLength(2);
    // what followed is unknown: the cut is visible in the rejects, with its position
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', provenance: expect.objectContaining({ offset: 127 }) })]);
    expect(r.rejects[0]!.reason).toMatch(/ends before the JSON document is complete/);
    expect(r.summary.read).toBe(3);
  });

  test('a record over the size limit is rejected without being buffered', async () => {
    const big = `{"id":"big","objet":"${'x'.repeat(5000)}"}`;
    const r = await readBytes(`{"marches":[${rec('1')},${big},${rec('3')}]}`, { maxRecordBytes: 1000 }, 7);
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TOO_LARGE' })]);
  });

  test('a pathologically deep value is rejected with a reason, not a crash', async () => {
    const deep = `{"id":"d","x":${'['.repeat(100000)}${']'.repeat(100000)}}`;
    const r = await readBytes(`{"marches":[${deep},${rec('2')}]}`);
    expect(r.records.map((x) => x.data['id'])).toEqual(['2']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TOO_DEEP' })]);
    const never = await readBytes(`{"marches":[${'['.repeat(200000)}`);
    expect(never.rejects[0]!.code).toBe('INGEST_RECORD_TOO_DEEP');
  });

  test('a JSON Lines release of the pipeline\'s layout nested thousands of levels deep (read without the splitter\'s count) is too deep, not "invalid JSON: Maximum call stack size exceeded" (found by a robustness probe)', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const line = (id: string, x: string): string => `{"ocid":"o1","id":"${id}","date":"2020-01-01T00:00:00Z","tag":["tender"],"deep":${x}}`;
    for (const size of [undefined, 4096]) {
      const r = await readBytes(`${line('a', '1')}\n${line('b', deep)}\n${line('c', '2')}\n`, {}, size);
      expect(r.records.map((x) => x.data['id'])).toEqual(['a', 'c']);
      expect(r.rejects.map((x) => [x.code, x.reason])).toEqual([['INGEST_RECORD_TOO_DEEP', expect.not.stringMatching(/call stack/)]]);
    }
    // a record read again after a failed parse (compile's releases handed over as text)
    const parsed = parseRecordBytes(Buffer.from(line('b', deep)), 'utf-8');
    expect(parsed.ok ? null : [parsed.code, parsed.message]).toEqual(['INGEST_RECORD_TOO_DEEP', 'record nested too deep to be read (thousands of levels)']);
  });

  test('__proto__, constructor and prototype keys never reach a prototype', async () => {
    const text = `{"marches":[{"id":"p","__proto__":{"polluted":1},"acheteur":{"id":"1","constructor":{"prototype":{"polluted":2}}},"x":{"\\u005f_proto__":{"polluted":3}}}]}`;
    const r = await readBytes(text);
    const d = r.records[0]!.data;
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(d)).toEqual(['id', 'acheteur', 'x']);
    expect(Object.keys(d['acheteur'] as object)).toEqual(['id']);
    expect(Object.keys(d['x'] as object)).toEqual([]);
    expect(r.records[0]!.issues.filter((i) => i.code === 'INGEST_FORBIDDEN_KEY').length).toBeGreaterThanOrEqual(2);
    const merged = Object.assign({}, d, d['acheteur'], d['x']) as Record<string, unknown>;
    expect(merged['polluted']).toBeUndefined();
  });

  test('integers beyond double precision are kept as strings, each flagged where it is; those a double holds exactly stay numbers', async () => {
    const r = await readBytes('{"marches":[{"id":12345678901234567890,"acheteur":{"id":21350238800019},"montant":1.5,"titulaires":[{"id":"12345678901234567890"},{"id":-98765432109876543}],"a/b":[12345678901234567],"exact":[1000000000000000,10000000000000000,-9007199254740992,9007199254740993]}]}');
    const d = r.records[0]!.data;
    expect(d['id']).toBe('12345678901234567890');
    expect((d['acheteur'] as { id: unknown }).id).toBe(21350238800019);
    expect(d['titulaires']).toEqual([{ id: '12345678901234567890' }, { id: '-98765432109876543' }]);
    expect(d['a/b']).toEqual(['12345678901234567']);
    // (an amount of 10^15 in guaraníes is a number: read as one, it loses nothing; 2^53 + 1 would)
    expect(d['exact']).toEqual([1000000000000000, 10000000000000000, -9007199254740992, '9007199254740993']);
    // (the string given as a string is not flagged)
    expect(r.records[0]!.issues.filter((i) => i.code === 'INGEST_LONG_NUMBER_AS_STRING').map((i) => [i.pointer, i.raw])).toEqual([
      ['/id', '12345678901234567890'],
      ['/titulaires/1/id', '-98765432109876543'],
      ['/a~1b/0', '12345678901234567'],
      ['/exact/3', '9007199254740993'],
    ]);
    // many: the first twenty one by one, then how many more (odd integers past 2^53: none is a double)
    const many = await readBytes(`{"marches":[{"id":"1","x":[${Array.from({ length: 25 }, (_, k) => `1234567890123456${String(k).padStart(2, '0')}1`).join(',')}]}]}`);
    const flags = many.records[0]!.issues.filter((i) => i.code === 'INGEST_LONG_NUMBER_AS_STRING');
    expect(flags.map((i) => i.pointer)).toEqual([...Array.from({ length: 20 }, (_, k) => `/x/${k}`), undefined]);
    expect(flags[20]!.message).toMatch(/^5 more number/);
    expect(many.records[0]!.data['x']).toHaveLength(25);
    expect((many.records[0]!.data['x'] as string[]).every((v) => /^\d{19}$/.test(v))).toBe(true);
    // text that holds the noncharacters used to mark them is left as it is (another mark is used; all
    // of them taken: one flag without pointers)
    const marked = await readBytes('{"marches":[{"id":"1","k":"\\ufdd0keep","raw":"\ufdd1x","n":1234567890123456789}]}');
    expect(marked.records[0]!.data).toMatchObject({ k: '\ufdd0keep', raw: '\ufdd1x', n: '1234567890123456789' });
    const long = (r: typeof marked): unknown[] => r.records[0]!.issues.filter((i) => i.code === 'INGEST_LONG_NUMBER_AS_STRING').map((i) => [i.pointer, i.message]);
    expect(long(marked)).toEqual([['/n', expect.any(String)]]);
    const all = Array.from({ length: 32 }, (_, k) => String.fromCharCode(0xfdd0 + k)).join('');
    const full = await readBytes(`{"marches":[{"id":"1","k":"${all}","n":1234567890123456789}]}`);
    expect(full.records[0]!.data).toMatchObject({ k: all, n: '1234567890123456789' });
    expect(long(full)).toEqual([[undefined, expect.stringMatching(/^1 number/)]]);
  });

  test('a non-object record is rejected', async () => {
    const r = await readBytes(`{"marches":[${rec('1')},42,"x",null,${rec('5')}]}`);
    expect(r.records).toHaveLength(2);
    expect(r.rejects.map((x) => x.code)).toEqual(['INGEST_RECORD_NOT_OBJECT', 'INGEST_RECORD_NOT_OBJECT', 'INGEST_RECORD_NOT_OBJECT']);
    expect(r.rejects.map((x) => x.provenance.index)).toEqual([1, 2, 3]);
  });
});

describe('JSON Lines', () => {
  test('a broken line is rejected and reading resumes on the next line', async () => {
    const text = `${rec('1')}\n{"id":"2","acheteur":\n${rec('3')}\n{"id":"4",]\n\n${rec('5')}\n`;
    const r = await readBytes(text);
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3', '5']);
    expect(r.rejects.map((x) => [x.code, x.provenance.line])).toEqual([
      ['INGEST_RECORD_SYNTAX', 2],
      ['INGEST_RECORD_SYNTAX', 4],
    ]);
    expect(r.summary).toMatchObject({ format: 'decp-jsonl', read: 5, accepted: 3, rejected: 2 });
  });

  test('a truncated last line is rejected', async () => {
    const r = await readBytes(`${rec('1')}\n${rec('2')}\n{"id":"3","acheteur":{`);
    expect(r.records).toHaveLength(2);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TRUNCATED', provenance: expect.objectContaining({ line: 3 }) })]);
  });

  test('OCDS releases as JSON Lines', async () => {
    const r = await readBytes('{"ocid":"ocds-x-1","id":"1","tag":["tender"],"date":"2020-01-01T00:00:00Z"}\n{"ocid":"ocds-x-2","id":"2","tag":["award"],"date":"2020-01-01T00:00:00Z"}\n');
    expect(r.summary).toMatchObject({ format: 'ocds-jsonl', types: { release: 2 } });
  });
});

describe('XML', () => {
  test('values written as attributes are read as values (elements first); a value with attributes keeps its value and says what it leaves', async () => {
    const xml = `<?xml version="1.0"?><marches xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><marche id="M1"><acheteur id="21350238800019" nom="Ville"/><titulaires><titulaire typeIdentifiant="SIRET" id="33332163600479" denominationSociale="SHARP"/></titulaires><objet xsi:nil="false">Travaux</objet><codeCPV i:nil="true"/><montant devise="EUR">1000</montant><dureeMois valeur="3">12</dureeMois><lieuExecution code="13001"><code>13002</code></lieuExecution></marche></marches>`;
    for (const size of [undefined, 9]) {
      const r = await readBytes(xml, {}, size);
      expect(r.rejects).toEqual([]);
      const data = r.records[0]!.data;
      expect(data).toMatchObject({ id: 'M1', acheteur: { id: '21350238800019', nom: 'Ville' }, titulaires: [{ typeIdentifiant: 'SIRET', id: '33332163600479', denominationSociale: 'SHARP' }], objet: 'Travaux', codeCPV: '', montant: '1000', dureeMois: '12', lieuExecution: { code: '13002' } });
      expect(r.records[0]!.issues.map((i) => [i.code, i.pointer, i.raw])).toEqual([
        ['INGEST_XML_ATTRIBUTES_DROPPED', '/montant', { devise: 'EUR' }],
        ['INGEST_XML_ATTRIBUTES_DROPPED', '/dureeMois', { valeur: '3' }],
        ['INGEST_DUPLICATE_ELEMENT', '/lieuExecution/code', '13001'],
      ]);
    }
  });

  test('a malformed record is rejected; the next one is read', async () => {
    const text = '<marches>\n<marche><id>1</id></marche>\n<marche><id>2</id><objet>x</objet2></marche>\n<marche><id>3</id></marche>\n</marches>';
    const r = await readBytes(text);
    expect(r.records.map((x) => x.data['id'])).toEqual(['1', '3']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ line: 3 }) })]);
  });

  test('a record left open is rejected when the next record starts', async () => {
    const r = await readBytes('<marches><marche><id>1</id>\n<marche><id>2</id></marche></marches>');
    expect(r.records.map((x) => x.data['id'])).toEqual(['2']);
    expect(r.rejects[0]!.reason).toMatch(/not closed/);
  });

  test('a truncated document rejects the open record', async () => {
    const r = await readBytes('<marches><marche><id>1</id></marche><marche><id>2</id><obj');
    expect(r.records).toHaveLength(1);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TRUNCATED' })]);
  });

  test('billion laughs: entities are never expanded', async () => {
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('\n');
    const text = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${lol}\n]>\n<marches><marche><id>1</id><objet>&lol9;</objet></marche><marche><id>2</id><objet>a &amp; b &#233;</objet></marche></marches>`;
    const r = await readBytes(text);
    expect(r.records.map((x) => x.data['objet'])).toEqual(['a & b é']);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_XML_ENTITY' })]);
    expect(r.summary.issues.map((i) => i.code)).toContain('INGEST_XML_DOCTYPE_IGNORED');
  });

  test('a tag, comment or declaration larger than a record may be is passed over, not held (one reject; inside a record, that record is too large), whatever the chunks', async () => {
    const m = (id: string, inner = ''): string => `<marche><id>${id}</id>${inner}<acheteur><id>21590163800019</id></acheteur></marche>`;
    const x = 'x'.repeat(5000);
    for (const size of [undefined, 64, 333]) {
      for (const big of [`<!--${x}-->`, `<?pi ${x}?>`, `<!DOCTYPE d SYSTEM "${x}">`, `<foo a="${x}"/>`]) {
        const r = await readBytes(`<marches>${m('1')}${big}${m('3')}</marches>`, { maxRecordBytes: 1000 }, size);
        expect([big.slice(0, 5), r.records.map((y) => y.data['id'])]).toEqual([big.slice(0, 5), ['1', '3']]);
        expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TOO_LARGE', reason: expect.stringMatching(/larger than 1000 bytes: passed over/) })]);
      }
      // inside a record, or a record's own start tag: that record is too large, the next one is read
      for (const two of [m('2', `<objet><![CDATA[${x}]]></objet>`), m('2', `<objet a="${x}">o</objet>`), `<marche a="${x}"><id>2</id></marche>`, `<marche a="${x}"/>`]) {
        const r = await readBytes(`<marches>${m('1')}${two}${m('3')}</marches>`, { maxRecordBytes: 1000 }, size);
        expect([two.slice(0, 30), r.records.map((y) => y.data['id'])]).toEqual([two.slice(0, 30), ['1', '3']]);
        expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TOO_LARGE' })]);
      }
    }
  });

  test('a bare & (an export that did not escape it) is the character, said; inside CDATA it is left alone; an unknown entity still rejects', async () => {
    const text = '<marches><marche><id>1</id><objet>Voirie & réseaux divers</objet><titulaires><titulaire><denominationSociale>A&B SARL &amp; Cie</denominationSociale></titulaire></titulaires></marche><marche><id>2</id><objet><![CDATA[R & D]]></objet></marche><marche><id>3</id><objet>&ndash2;</objet></marche></marches>';
    const r = await readBytes(text);
    expect(r.records.map((x) => x.data['objet'])).toEqual(['Voirie & réseaux divers', 'R & D']);
    expect(JSON.stringify(r.records[0]!.data)).toContain('A&B SARL & Cie');
    expect(r.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_REPAIRED', severity: 'warning', message: expect.stringMatching(/^2 "&"/) })]);
    expect(r.records[1]!.issues).toEqual([]);
    expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_XML_ENTITY' })]);
    // a comment holds its & as they are; an unclosed section leaves the rest to the parser (which rejects it)
    const c = await readBytes('<marches><marche><id>1</id><!-- R & D --><objet>A & B &#233; &eacute</objet></marche><marche><id>2</id><objet><![CDATA[ & </objet></marche></marches>');
    expect(c.records.map((x) => x.data['objet'])).toEqual(['A & B é &eacute']);
    expect(c.records[0]!.issues).toEqual([expect.objectContaining({ code: 'INGEST_XML_REPAIRED', message: expect.stringMatching(/^2 "&"/) })]);
  });

  test("references to HTML's named characters (`&eacute;`, `&nbsp;`: XML defines five) are kept as text, said; with a stray \"<\" or a bare & too; a name HTML does not know either still rejects; whatever the chunks", async () => {
    const text = [
      '<marches>',
      '<marche><id>1</id><objet>R&eacute;fection &ndash; lot&nbsp;1 &amp; 2 &#233;</objet><acheteur><nom a="&euro;">Ville</nom></acheteur></marche>',
      '<marche><id>2</id><objet><![CDATA[&eacute;]]> &eacute; < 3 & co</objet></marche>',
      '<marche><id>3</id><objet>&eacute; &lol9;</objet></marche>',
      '<marche><id>4</id><objet>a &amp;eacute; b</objet></marche>',
      '</marches>',
    ].join('\n');
    for (const size of [undefined, 1, 7]) {
      const r = await readBytes(text, {}, size);
      expect(r.records.map((x) => x.data['objet'])).toEqual(['R&eacute;fection &ndash; lot&nbsp;1 & 2 é', '&eacute; &eacute; < 3 & co', 'a &eacute; b']);
      expect(r.records.map((x) => x.issues.map((i) => i.message.replace(/ \(.*/, '')))).toEqual([
        ["4 reference(s) to HTML's named characters", '<nom> has a value and attributes: the value is kept, not its attributes'],
        ['1 "&" that start no entity reference', "1 reference(s) to HTML's named characters", '1 "<" that open no tag'],
        [],
      ]);
      expect(r.rejects).toEqual([expect.objectContaining({ code: 'INGEST_XML_ENTITY', reason: expect.stringMatching(/line 4\b.*undefined entity.*never expanded/) })]);
    }
  });

  test('external entities are never resolved', async () => {
    const text = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><marche><id>&xxe;</id></marche>';
    const r = await readBytes(text);
    expect(r.records).toHaveLength(0);
    expect(r.rejects[0]!.code).toBe('INGEST_XML_ENTITY');
    expect(JSON.stringify(r)).not.toMatch(/root:/);
  });

  test('forbidden element names are dropped', async () => {
    const r = await readBytes('<marche><id>1</id><__proto__><polluted>1</polluted></__proto__></marche>');
    expect(Object.keys(r.records[0]!.data)).toEqual(['id']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('XML records in another case or spelling (<Marches><Marche>, <contrat_concession>) are read as those records', async () => {
    const xml = readFileSync(join(SHARED, 'decp/samples/2019-xml/grandlyon_metropole-de-lyon_1-record.xml'), 'utf8');
    const plain = await readBytes(xml);
    const varied = await readBytes(xml.replace(/<(\/?)marches\b/g, '<$1Marches').replace(/<(\/?)marche>/g, '<$1Marche>'));
    expect(plain.records).toHaveLength(1);
    expect(varied.summary.error).toBeUndefined();
    expect(varied.records.map((r) => [r.type, r.data])).toEqual(plain.records.map((r) => [r.type, r.data]));
    const concession = await readBytes('<marches><contrat_concession><id>1</id><autoriteConcedante><id>21350238800019</id></autoriteConcedante></contrat_concession></marches>');
    expect(concession.records.map((r) => r.type)).toEqual(['contrat-concession']);
  });

  test('other elements under <marches> are read as records (their fields say which kind), never left out; wrappers give way to their records', async () => {
    const xml = [
      '<?xml version="1.0"?>',
      '<marches>',
      '<generatedAt>2024-01-01</generatedAt>',
      '<marchePublic><id>m1</id><acheteur><id>21590163800019</id></acheteur><montant>100</montant></marchePublic>',
      '<lot><marche><id>m2</id><montant>5</montant></marche><marche><id>m3</id><montant>6</montant></marche></lot>',
      '<contrat><id>c1</id><autoriteConcedante><id>21350238800019</id></autoriteConcedante></contrat>',
      '<autre><x>1</x></autre>',
      '<vide/>',
      '</marches>',
    ].join('\n');
    const want = [
      ['marche', 'm1', 4],
      ['marche', 'm2', 5],
      ['marche', 'm3', 5],
      ['contrat-concession', 'c1', 6],
      ['unknown', undefined, 7],
    ];
    // whatever the chunk boundaries
    for (const size of [undefined, 1, 7, 64]) {
      const r = await readBytes(xml, {}, size);
      expect(r.summary.error).toBeUndefined();
      expect(r.rejects).toEqual([]);
      expect(r.records.map((x) => [x.type, x.data['id'], x.provenance.line])).toEqual(want);
      expect(r.records[4]!.issues.map((i) => i.code)).toContain('INGEST_UNKNOWN_RECORD_TYPE');
    }
  });

  test('a "<" that opens no element between records is skipped and said; the next record is read, whatever the chunks', async () => {
    const m = (id: string): string => `<marche><id>${id}</id><acheteur><id>21350238800019</id></acheteur><montant>1</montant></marche>`;
    const xml = `<marches>\n${m('X1')}\n a < b ${m('X2')}\n${m('X3')}\n<  ${m('X4')}</marches>`;
    for (const size of [undefined, 1, 5, 64]) {
      const r = await readBytes(xml, {}, size);
      expect(r.records.map((x) => x.data['id'])).toEqual(['X1', 'X2', 'X3', 'X4']);
      expect(r.rejects).toEqual([]);
      expect(r.summary.issues.filter((i) => i.code === 'INGEST_FILE_SYNTAX').map((i) => i.line)).toEqual([3, 5]);
    }
    // inside a record, it is read as the character (flagged), and the next record is read
    const inside = await readBytes(`<marches>${m('X1').replace('<montant>1', '<montant>1 < 2')}${m('X2')}</marches>`);
    expect(inside.records.map((x) => x.data['id'])).toEqual(['X1', 'X2']);
    expect(inside.records[0]!.data['montant']).toBe('1 < 2');
    expect(inside.records[0]!.issues.map((i) => i.code)).toEqual(['INGEST_XML_REPAIRED']);
    expect(inside.rejects).toEqual([]);
  });

  test('a comment, CDATA section or processing instruction that never closes: read past as text, the records after it read (inside a record, that record alone rejected)', async () => {
    const m = (id: string): string => `<marche><id>${id}</id><acheteur><id>21350238800019</id></acheteur><montant>1</montant></marche>`;
    for (const [open, what] of [['<!-- note', 'a comment'], ['<![CDATA[ x', 'a CDATA section'], ['<?pi x', 'a processing instruction']] as const) {
      for (const size of [undefined, 1, 3, 64]) {
        const between = await readBytes(`<marches>\n${m('X1')}\n${open}\n${m('X2')}\n${m('X3')}\n</marches>\n`, {}, size);
        expect(between.records.map((x) => [x.data['id'], x.provenance.line])).toEqual([
          ['X1', 2],
          ['X2', 4],
          ['X3', 5],
        ]);
        expect(between.rejects).toEqual([]);
        expect(between.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', line: 3, message: `${what} opened at line 3, column 1 never closes: read past as text, the markup after it read as usual` })]);
        expect(between.summary.error).toBeUndefined();
        const inRecord = await readBytes(`<marches>\n${m('X1').replace('<montant>', `${open}<montant>`)}\n${m('X2')}\n</marches>\n`, {}, size);
        expect(inRecord.records.map((x) => x.data['id'])).toEqual(['X2']);
        expect(inRecord.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_SYNTAX', provenance: expect.objectContaining({ line: 2 }), reason: expect.stringMatching(/^invalid XML in <marche> \(line 2\)/) })]);
        // (with no markup after it, what follows is one reject, as a record cut there would be)
        const last = await readBytes(`<marches>\n${m('X1')}\n${open} x y\n`, {}, size);
        expect(last.records.map((x) => x.data['id'])).toEqual(['X1']);
        expect(last.rejects).toEqual([expect.objectContaining({ code: 'INGEST_RECORD_TRUNCATED', reason: expect.stringContaining(`the input ends inside ${what} opened at line 3`) })]);
      }
    }
    // after the root closed, or in its closing tag cut short, no record can be: nothing is rejected
    for (const text of [`<marches>${m('X1')}</marches`, `<marches>${m('X1')}</marches>\n<!-- generated by`, `<marches>${m('X1')}</marches>\n<?pi`]) {
      const r = await readBytes(text);
      expect(r.records.map((x) => x.data['id'])).toEqual(['X1']);
      expect(r.rejects).toEqual([]);
    }
  });

  test('a JSON document wrapped in JavaScript is named so, with what to do (not called CSV for its commas)', async () => {
    for (const text of ['callback({"marches":[{"id":"1","acheteur":{"id":"1"}},{"id":"2"}]})', 'var decp = [{"id":"1"}];', '\n  window.DATA = {"marches":[]}', 'jQuery123_45({"a":1})']) {
      const r = await readBytes(text);
      expect(r.summary).toMatchObject({ format: 'unknown', error: { code: 'INGEST_UNKNOWN_FORMAT', fatal: true, message: expect.stringContaining('is JavaScript: a JSON document wrapped in code') } });
      expect(r.records).toEqual([]);
    }
    // (CSV whose cells hold parentheses or "=" is still CSV)
    const csv = await readBytes('id,objet\n1,Voirie (lot 2)\n2,a=b\n');
    expect(csv.summary.format).toBe('csv');
  });

  test('an archive or binary document is named, with what to do, not read as text (a ZIP\'s zero bytes are not UTF-16)', async () => {
    // a ZIP of one stored file (local header, data, central directory, end record)
    const data = Buffer.from(`{"marches":[${rec('1')}]}`);
    const name = Buffer.from('d.json');
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), Buffer.alloc(8), Buffer.from([name.length, 0, 0, 0]), name, data]);
    const cases: Array<[Buffer, RegExp]> = [
      [local, /is a ZIP archive .*: unzip it/],
      [Buffer.from([0x50, 0x4b, 0x05, 0x06, ...Buffer.alloc(18)]), /is an empty ZIP archive/],
      [Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(20)]), /is bzip2-compressed.*gzip, which is read as it is/],
      [Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), /is xz-compressed/],
      [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00]), /is zstd-compressed/],
      [Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), /is a 7-Zip archive/],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /is an Excel 97–2003 workbook.*export it as CSV/],
      [Buffer.from('%PDF-1.7\n%\u00e2\u00e3'), /is a PDF document/],
    ];
    for (const [bytes, message] of cases) {
      for (const size of [undefined, 1]) {
        const r = await readBytes(bytes, {}, size);
        expect(r.records).toEqual([]);
        expect(r.summary).toMatchObject({ format: 'unknown', error: { code: 'INGEST_UNKNOWN_FORMAT', fatal: true, message } });
        expect(r.summary.issues).toEqual([]);
      }
    }
  });

  test('an unknown XML root is a file error, whose line names the file', async () => {
    const r = await readBytes('<html><body>hello</body></html>');
    expect(r.summary).toMatchObject({ format: 'unknown', error: { code: 'INGEST_UNKNOWN_FORMAT', fatal: true, message: expect.stringMatching(/^test\.json: XML root <html> is neither/) } });
    // records inside an unknown root are not read: a refused file gives nothing (stdout and -o agree)
    for (const size of [undefined, 3]) {
      const inside = await readBytes('<html><marche><id>1</id><acheteur><id>21590163800019</id></acheteur></marche></html>', {}, size);
      expect(inside.summary).toMatchObject({ format: 'unknown', error: { code: 'INGEST_UNKNOWN_FORMAT', fatal: true } });
      expect(inside.records).toEqual([]);
      expect(inside.rejects).toEqual([]);
    }
    // … but a DECP document inside an export's envelope is read there, said
    for (const size of [undefined, 3]) {
      const wrapped = await readBytes('<?xml version="1.0"?><export date="2024-07-01"><meta><n>1</n></meta><data><marches><marche><id>1</id><acheteur><id>21590163800019</id></acheteur></marche></marches></data></export>', {}, size);
      expect(wrapped.records.map((x) => x.data['id'])).toEqual(['1']);
      expect(wrapped.summary.issues).toEqual([expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', message: expect.stringContaining('inside <export><data>') })]);
      // a foreign element closed before a <marches> (an error message, then data): two roots, refused
      for (const two of ['<error>Quota exceeded</error><marches><marche><id>1</id></marche></marches>', '<a></a><marches><marche><id>1</id></marche></marches>']) {
        const r = await readBytes(two, {}, size);
        expect(r.summary).toMatchObject({ format: 'unknown', error: { code: 'INGEST_UNKNOWN_FORMAT', fatal: true } });
        expect(r.records).toEqual([]);
      }
      const deep = await readBytes('<a><b><c><d><marches><marche><id>1</id></marche></marches></d></c></b></a>', {}, size);
      expect(deep.summary).toMatchObject({ format: 'unknown', error: { code: 'INGEST_UNKNOWN_FORMAT', fatal: true } });
      expect(deep.records).toEqual([]);
    }
  });
});

describe('encodings', () => {
  test('a stray Windows-1252 byte in a UTF-8 record is read alone as Windows-1252: the record\'s UTF-8 text stays as it is', async () => {
    const bytes = Buffer.concat([Buffer.from('{"marches":[{"id":"1","objet":"Décoratifs extérieurs — 5 € 😀 '), Buffer.from([0xe9, 0x20, 0x80, 0x20, 0xc3]), Buffer.from('"}]}')]);
    for (const size of [undefined, 1, 5]) {
      const r = await readBytes(bytes, {}, size);
      expect(r.records[0]!.data['objet']).toBe('Décoratifs extérieurs — 5 € 😀 é € Ã');
      expect(r.records[0]!.issues.map((i) => i.code)).toContain('INGEST_ENCODING_FALLBACK');
      expect(r.records[0]!.issues.map((i) => i.code)).not.toContain('INGEST_MOJIBAKE');
    }
  });

  test('a record in Windows-1252 throughout is read so whole, even where two of its bytes happen to be a UTF-8 sequence ("É" + no-break space)', async () => {
    const title = Buffer.from('RÉNOVATION DU CAFÉ\u00a0: école', 'latin1');
    const bytes = Buffer.concat([Buffer.from('{"marches":[{"id":"1","acheteur":{"id":"21350238800019"},"objet":"'), title, Buffer.from('"}]}')]);
    expect(title.includes(Buffer.from([0xc9, 0xa0]))).toBe(true);
    for (const size of [undefined, 3]) {
      const r = await readBytes(bytes, {}, size);
      expect(r.records[0]!.data['objet']).toBe('RÉNOVATION DU CAFÉ\u00a0: école');
      expect(r.records[0]!.issues.map((i) => i.code)).toEqual(['INGEST_ENCODING_FALLBACK']);
      expect(r.summary.encoding).toBe('windows-1252');
    }
  });

  test('a Windows-1252 record whose accented letter and two punctuation bytes make a three-byte UTF-8 sequence by chance ("cité" + no-break space + "»", E9 A0 BB: "頻") reads them as Windows-1252', async () => {
    // (Word puts a no-break space before "»": "cit頻" was published, the record's other accents read right)
    // (Latin-1 writes the text but ’ and €, which are 92 and 80 in Windows-1252)
    const cp1252 = Buffer.concat([Buffer.from('Travaux « Réhabilitation de la cité\u00a0» et aménagement, lot é', 'latin1'), Buffer.from([0x92, 0x80])]);
    expect(cp1252.includes(Buffer.from([0xe9, 0xa0, 0xbb]))).toBe(true);
    const bytes = Buffer.concat([Buffer.from('{"marches":[{"id":"1","acheteur":{"id":"21350238800019"},"objet":"'), cp1252, Buffer.from('"}]}')]);
    for (const size of [undefined, 4]) {
      const r = await readBytes(bytes, {}, size);
      expect(r.records[0]!.data['objet']).toBe('Travaux « Réhabilitation de la cité\u00a0» et aménagement, lot é’€');
      expect(r.records[0]!.issues.map((i) => i.code)).toEqual(['INGEST_ENCODING_FALLBACK']);
    }
    // (a UTF-8 record with a stray Windows-1252 byte keeps its real three-byte characters: ’ € — and a ligature)
    const mixed = Buffer.concat([Buffer.from('{"marches":[{"id":"1","objet":"l’entretien — 5 € ﬁn '), Buffer.from([0xe9]), Buffer.from('"}]}')]);
    expect((await readBytes(mixed)).records[0]!.data['objet']).toBe('l’entretien — 5 € ﬁn é');
    // (XML declared Latin-1 whose record is valid UTF-8 only by such a chance sequence: read as declared)
    const xml = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><marches><marche><id>1</id><objet>'), Buffer.from('la cité\u00a0»', 'latin1'), Buffer.from('</objet></marche></marches>')]);
    const x = await readBytes(xml);
    expect(x.records[0]!.data['objet']).toBe('la cité\u00a0»');
    expect(x.records[0]!.issues).toEqual([]);
  });

  test('a UTF-8 record with a few Windows-1252 bytes keeps its UTF-8 text (an apostrophe, accents): only chance two-byte sequences make a record Windows-1252', async () => {
    for (const [utf8, latin1, want] of [
      ['Travaux d’entretien ', 'à Lyon école', 'Travaux d’entretien à Lyon école'],
      ['Société ', 'Générale à é', 'Société Générale à é'],
    ] as const) {
      const bytes = Buffer.concat([Buffer.from('{"marches":[{"id":"1","acheteur":{"id":"21350238800019"},"objet":"'), Buffer.from(utf8), Buffer.from(latin1, 'latin1'), Buffer.from('"}]}')]);
      const r = await readBytes(bytes);
      expect(r.records[0]!.data['objet']).toBe(want);
    }
  });

  test('ISO-8859-15 (declared in XML, or forced) is read as itself: € Œ Š Ž where Latin-1 has ¤ ¼ ¦ ´', async () => {
    const text = (enc: string): Buffer => Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="${enc}"?><marches><marche><id>1</id><objet>`), Buffer.from([0xa4, 0x20, 0xbc, 0xbd, 0x20, 0xa6, 0xb4, 0x20, 0xe9]), Buffer.from('</objet></marche></marches>')]);
    const latin9 = await readBytes(text('ISO-8859-15'));
    expect(latin9.records[0]!.data['objet']).toBe('€ Œœ ŠŽ é');
    expect(latin9.summary.encoding).toBe('iso-8859-15');
    const latin1 = await readBytes(text('ISO-8859-1'));
    expect(latin1.records[0]!.data['objet']).toBe('¤ ¼½ ¦´ é');
    const forced = await readBytes(Buffer.concat([Buffer.from('{"marches":[{"id":"1","objet":"'), Buffer.from([0xa4, 0xbc]), Buffer.from('"}]}')]), { encoding: 'iso-8859-15' });
    expect(forced.records[0]!.data['objet']).toBe('€Œ');
  });

  test('an XML declaration the bytes contradict is not obeyed: UTF-16 over single bytes, ISO-8859-1 over UTF-8 text; both said', async () => {
    const xml = (enc: string, objet: string): string => `<?xml version="1.0" encoding="${enc}"?>\n<marches><marche><id>1</id><objet>${objet}</objet></marche><marche><id>2</id><objet>Ecole</objet></marche></marches>`;
    for (const size of [undefined, 7]) {
      // (.NET string writers declare UTF-16 whatever they write: the whole file was unreadable, exit 3)
      const utf16 = await readBytes(xml('utf-16', 'Réfection – 5 €'), {}, size);
      expect(utf16.records.map((r) => r.data['objet'])).toEqual(['Réfection – 5 €', 'Ecole']);
      expect(utf16.summary.error).toBeUndefined();
      expect(utf16.summary.issues?.map((i) => i.code)).toEqual(['INGEST_ENCODING_DECLARED_WRONG']);
      // (a hard-coded Latin-1 header over UTF-8 text: "RÃ©fection" was published)
      const latin1 = await readBytes(xml('ISO-8859-1', 'Réfection – 5 €'), {}, size);
      expect(latin1.records.map((r) => r.data['objet'])).toEqual(['Réfection – 5 €', 'Ecole']);
      expect(latin1.records.map((r) => r.issues.map((i) => i.code))).toEqual([['INGEST_ENCODING_DECLARED_WRONG'], []]);
      expect(latin1.summary.encoding).toBe('utf-8');
      expect(latin1.summary.issues?.map((i) => i.code)).toEqual(['INGEST_ENCODING_DECLARED_WRONG']);
    }
    // a file of Latin-1 records and one in UTF-8 is said to be in Latin-1 (what most of it is)
    const latin1Record = (id: number): Buffer => Buffer.concat([Buffer.from(`<marche><id>${id}</id><objet>R`), Buffer.from([0xe9]), Buffer.from('fection</objet></marche>')]);
    const mixed = await readBytes(Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><marches>'), latin1Record(1), latin1Record(2), Buffer.from('<marche><id>3</id><objet>Réfection</objet></marche></marches>')]));
    expect(mixed.records.map((r) => r.data['objet'])).toEqual(['Réfection', 'Réfection', 'Réfection']);
    expect(mixed.summary.encoding).toBe('windows-1252');
    // Latin-1 bytes under their declaration stay Latin-1, unflagged
    const real = await readBytes(Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><marches><marche><id>1</id><objet>R'), Buffer.from([0xe9]), Buffer.from('fection</objet></marche></marches>')]));
    expect(real.records[0]!.data['objet']).toBe('Réfection');
    expect(real.records[0]!.issues).toEqual([]);
    expect(real.summary.encoding).toBe('windows-1252');
  });

  test('Windows-1252 bytes in a UTF-8 file are decoded as Windows-1252 and flagged', async () => {
    const bytes = Buffer.concat([Buffer.from('{"marches":[{"id":"1","objet":"'), Buffer.from([0x52, 0xe9, 0x66, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x20, 0x80]), Buffer.from('","acheteur":{"id":"1"}}]}')]);
    const r = await readBytes(bytes);
    expect(r.records[0]!.data['objet']).toBe('Réfection €');
    expect(r.records[0]!.issues.map((i) => i.code)).toContain('INGEST_ENCODING_FALLBACK');
    expect(r.summary.encoding).toBe('windows-1252');
  });

  test('--encoding latin1 forces the decoding', async () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"1","acheteur":{"id":"1"},"objet":"'), Buffer.from([0xe7, 0xe0]), Buffer.from('"}')]);
    const r = await readBytes(bytes, { encoding: 'windows-1252' });
    expect(r.records[0]!.data['objet']).toBe('çà');
    expect(r.records[0]!.issues).toEqual([]);
  });

  test('mojibake is flagged with its pointer, never "fixed"', async () => {
    const r = await readBytes('{"marches":[{"id":"1","acheteur":{"id":"1","nom":"CommunautÃ© de communes"},"objet":"March\\u00c3\\u00a9"}]}');
    const rec0 = r.records[0]!;
    expect((rec0.data['acheteur'] as { nom: string }).nom).toBe('CommunautÃ© de communes');
    expect(rec0.issues.filter((i) => i.code === 'INGEST_MOJIBAKE').map((i) => i.pointer)).toEqual(['/acheteur/nom', '/objet']);
  });

  test('Latin-1 XML without a declaration is detected per record and flagged', async () => {
    const bytes = Buffer.concat([Buffer.from('<marches><marche><id>1</id><objet>'), Buffer.from([0xc9, 0x6c, 0x61, 0x67, 0x61, 0x67, 0x65]), Buffer.from('</objet></marche><marche><id>2</id><objet>ok</objet></marche></marches>')]);
    const r = await readBytes(bytes, {}, 5);
    expect(r.records.map((x) => x.data['objet'])).toEqual(['Élagage', 'ok']);
    expect(r.records[0]!.issues.map((i) => i.code)).toEqual(['INGEST_ENCODING_FALLBACK']);
    expect(r.summary.encoding).toBe('windows-1252');
  });

  test.each([
    ['little-endian with its byte order mark', 'utf16le', true],
    ['big-endian with its byte order mark', 'utf16be', true],
    ['little-endian without a byte order mark', 'utf16le', false],
    ['big-endian without a byte order mark (it once sent the splitter into a loop)', 'utf16be', false],
  ] as const)('UTF-16 %s is read as the UTF-8 it decodes to, whatever the chunks', async (_name, enc, bom) => {
    const text = `{"marches":[${rec('1')},{"id":"2","objet":"Élagage € 😀","acheteur":{"id":"2"}}]}`;
    const le = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
    const bytes = enc === 'utf16le' ? le : Buffer.from(le).swap16();
    const want = await readBytes(text);
    // (odd chunk sizes cut code units and surrogate pairs)
    for (const size of [undefined, 1, 3, 7]) {
      const r = await readBytes(bytes, {}, size);
      expect(r.summary.error).toBeUndefined();
      expect(r.summary).toMatchObject({ encoding: enc === 'utf16le' ? 'utf-16le' : 'utf-16be', bom, format: 'decp-json' });
      expect(r.records.map((x) => x.data)).toEqual(want.records.map((x) => x.data));
      expect(r.records[1]!.data['objet']).toBe('Élagage € 😀');
    }
  });

  test('a UTF-16 file cut inside a character (an odd byte, half a pair) is read as a cut file: the records before kept, the last one rejected, said', async () => {
    const text = `{"marches":[${rec('1')},${rec('2')},{"id":"3","objet":"😀 x`;
    const le = Buffer.from(`\ufeff${text}`, 'utf16le');
    const withPair = Buffer.from(`\ufeff${text.replace(' x', '')}`, 'utf16le');
    for (const bytes of [le.subarray(0, le.length - 1), withPair.subarray(0, withPair.length - 2), Buffer.from(le).swap16().subarray(0, le.length - 1)]) {
      for (const size of [undefined, 1, 3, 4096]) {
        const r = await readBytes(bytes, {}, size);
        expect(r.summary.error).toBeUndefined();
        expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2']);
        expect(r.rejects.map((x) => x.code)).toEqual(['INGEST_RECORD_TRUNCATED']);
        expect(r.summary.issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/ends inside a UTF-16(LE|BE) character/));
      }
    }
  });

  test('a UTF-16 unit that is half a surrogate pair mid-file is read as U+FFFD, said with its offset; the file goes on, whatever the chunks', async () => {
    // a lone high surrogate (followed by a letter), then a lone low one, in the first record
    const head = Buffer.from('{"marches":[{"id":"1","objet":"a', 'utf16le');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), head, Buffer.from([0x00, 0xd8]), Buffer.from('b', 'utf16le'), Buffer.from([0x00, 0xdc]), Buffer.from(`😀","acheteur":{"id":"1"}},${rec('2')}]}`, 'utf16le')]);
    for (const bytes of [le, Buffer.from(le).swap16()]) {
      for (const size of [undefined, 1, 3, 4096]) {
        const r = await readBytes(bytes, {}, size);
        expect(r.summary.error).toBeUndefined();
        expect(r.records.map((x) => x.data['id'])).toEqual(['1', '2']);
        expect(r.records[0]!.data['objet']).toBe('a\ufffdb\ufffd😀');
        const said = r.summary.issues.filter((i) => /surrogate pair without its other half/.test(i.message));
        expect(said).toHaveLength(1);
        expect(said[0]!.message).toContain(`at byte ${2 + head.length}`);
      }
    }
  });
});

describe('files', () => {
  const dir = tempDir('decp-ocds-test-');

  test('gzip is recognised by content, and a bad file does not stop the others', async () => {
    const gz = join(dir, 'data.bin');
    writeFileSync(gz, gzipSync(Buffer.from(`{"marches":[${rec('1')},${rec('2')}]}`)));
    const csv = join(dir, 'x.csv');
    writeFileSync(csv, 'a;b;c\n1;2;3\n');
    const junk = join(dir, 'junk.dat');
    writeFileSync(junk, '\u0000\u0001binary');
    const ends: Array<{ file: string; read: number; code: string | undefined; compressed: string | null }> = [];
    for await (const ev of readInputs([junk, join(dir, 'missing.json'), gz, csv])) {
      if (ev.type === 'file-end') ends.push({ file: ev.file.file, read: ev.summary.read, code: ev.summary.error?.code, compressed: ev.file.compressed });
    }
    expect(ends).toEqual([
      { file: junk, read: 0, code: 'INGEST_UNKNOWN_FORMAT', compressed: null },
      { file: join(dir, 'missing.json'), read: 0, code: 'INGEST_NOT_FOUND', compressed: null },
      { file: gz, read: 2, code: undefined, compressed: 'gzip' },
      { file: csv, read: 0, code: 'INGEST_UNKNOWN_FORMAT', compressed: null },
    ]);
  });

  // zlib drops the output of the read that meets bytes after the last member: ~200 KB of records,
  // which no reject showed; every record is read now, and the file is still reported
  test.each([
    ['line breaks', '\r\n\n\n'],
    ['an error page', '<html><body>502 Bad Gateway</body></html>\n'],
  ])('a gzip file with %s after its data: every record is read, the fault reported', async (_what, tail) => {
    const n = 30_000;
    const file = join(dir, `tail-${tail.length}.json.gz`);
    writeFileSync(file, Buffer.concat([gzipSync(Buffer.from(`{"marches":[${Array.from({ length: n }, (_, i) => rec(String(i))).join(',\n')}]}`)), Buffer.from(tail)]));
    const r = await collect(readInputs([file]));
    expect(r.records).toHaveLength(n);
    expect(r.records.at(-1)!.data['id']).toBe(String(n - 1));
    expect(r.rejects).toEqual([]);
    expect(r.summary.error).toMatchObject({ code: 'INGEST_GZIP', fatal: false });
  });

  test('gzip expansion stops at the configured limit', async () => {
    const bomb = join(dir, 'bomb.json.gz');
    writeFileSync(bomb, gzipSync(Buffer.from(`{"marches":[${Array.from({ length: 20000 }, (_, i) => rec(String(i))).join(',')}]}`)));
    const r = await collect(readInputs([bomb], { maxExpandedBytes: 100_000 }));
    expect(r.summary.error).toMatchObject({ code: 'INGEST_GZIP_LIMIT', fatal: true });
    expect(r.records.length).toBeGreaterThan(0);
    expect(r.records.length).toBeLessThan(20000);
    expect(r.summary.read).toBe(r.records.length + r.rejects.length);
  });

  test('a file compressed twice is read through both layers, each under the expansion limit; a third layer is named, with what to do', async () => {
    // (found by a probe: `x.json.gz.gz` was "INGEST_UNKNOWN_FORMAT … first significant byte 0x1f")
    const text = `{"marches":[${Array.from({ length: 2000 }, (_, i) => rec(String(i))).join(',')}]}`;
    const once = join(dir, 'once.json.gz');
    const twice = join(dir, 'twice.json.gz.gz');
    const thrice = join(dir, 'thrice.json.gz.gz.gz');
    writeFileSync(once, gzipSync(Buffer.from(text)));
    writeFileSync(twice, gzipSync(gzipSync(Buffer.from(text))));
    writeFileSync(thrice, gzipSync(gzipSync(gzipSync(Buffer.from(text)))));
    const a = await collect(readInputs([once]));
    const b = await collect(readInputs([twice]));
    expect(b.summary.error).toBeUndefined();
    expect(b.summary).toMatchObject({ format: 'decp-json', read: 2000, accepted: 2000 });
    expect(b.records.map((x) => [x.data, x.provenance.line, x.provenance.offset])).toEqual(a.records.map((x) => [x.data, x.provenance.line, x.provenance.offset]));
    // (the inner layer expands past the limit: stopped there, as a file compressed once)
    const capped = await collect(readInputs([twice], { maxExpandedBytes: 100_000 }));
    expect(capped.summary.error).toMatchObject({ code: 'INGEST_GZIP_LIMIT', fatal: true });
    expect(capped.records.length).toBeGreaterThan(0);
    expect(capped.records.length).toBeLessThan(2000);
    const c = await collect(readInputs([thrice]));
    expect(c.records).toEqual([]);
    expect(c.summary.error).toMatchObject({ code: 'INGEST_UNKNOWN_FORMAT', fatal: true, message: expect.stringMatching(/is gzip-compressed more times than are read .*: gunzip it until it is JSON, XML or CSV$/) });
  });

  test('corrupt gzip is reported with what was read before', async () => {
    const bad = join(dir, 'bad.json.gz');
    const gz = gzipSync(Buffer.from(`{"marches":[${Array.from({ length: 2000 }, (_, i) => rec(String(i))).join(',')}]}`));
    writeFileSync(bad, Buffer.concat([gz.subarray(0, gz.length / 2), Buffer.alloc(64, 0x55)]));
    const r = await collect(readInputs([bad]));
    expect(r.summary.error).toMatchObject({ code: 'INGEST_GZIP', fatal: false });
    // read like a plain file damaged there: the records before are kept, what the damaged bytes hold
    // is rejected (the record in progress, what follows it up to where reading stops)
    expect(r.records.length).toBeGreaterThan(900);
    expect(r.rejects.length).toBeGreaterThanOrEqual(1);
    expect(r.rejects.length).toBeLessThanOrEqual(5);
    expect(r.rejects.every((x) => x.provenance.index >= r.records.length)).toBe(true);
    expect(r.summary.read).toBe(r.records.length + r.rejects.length);
  });

  test('a truncated gzip download keeps the records before the cut and rejects the one in progress, like plain JSON cut there', async () => {
    const text = `{"marches":[${Array.from({ length: 2000 }, (_, i) => rec(String(i))).join(',')}]}`;
    const gz = gzipSync(Buffer.from(text));
    const cutGz = join(dir, 'cut.json.gz');
    writeFileSync(cutGz, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const r = await collect(readInputs([cutGz]));
    expect(r.summary.error).toMatchObject({ code: 'INGEST_GZIP', fatal: false });
    expect(r.summary.error!.message).toMatch(/unexpected end of file.*records before this point are kept/);
    expect(r.rejects.map((x) => x.code)).toEqual(['INGEST_RECORD_TRUNCATED']);
    expect(r.records.length).toBeGreaterThan(100);
    expect(r.summary.read).toBe(r.records.length + 1);
  });

  test('an empty file is read as empty, without error', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '  \n');
    const r = await collect(readInputs([empty]));
    expect(r.summary).toMatchObject({ format: 'empty', read: 0 });
    expect(r.summary.error).toBeUndefined();
  });

  test('--sample stops after N records across files', async () => {
    const a = join(dir, 'a.json');
    writeFileSync(a, `{"marches":[${rec('1')},${rec('2')},${rec('3')}]}`);
    let n = 0;
    for await (const ev of readInputs([a, a], { sample: 4 })) if (ev.type === 'record') n++;
    expect(n).toBe(4);
  });
});

test('an XML document that ends between records, its root never closed, is cut short: its records are read and the file says so (INGEST_SYNTAX, not fatal); a whole one says nothing (found by a review)', async () => {
  const rec = (id: string): string => `<marche><id>${id}</id><acheteur><id>21350238800019</id></acheteur><montant>1</montant></marche>\n`;
  for (const size of [undefined, 1, 5, 64]) {
    const cut = await readBytes(`<?xml version="1.0"?>\n<marches>\n${rec('A')}${rec('B')}`, {}, size);
    expect(cut.records.map((r) => r.data['id'])).toEqual(['A', 'B']);
    expect(cut.summary.error).toEqual({ code: 'INGEST_SYNTAX', message: 'the document ends before its root <marches> closes: the file is cut short', fatal: false });
    const whole = await readBytes(`<?xml version="1.0"?>\n<marches>\n${rec('A')}${rec('B')}</marches>\n`, {}, size);
    expect(whole.summary.error).toBeUndefined();
    const wrapped = await readBytes(`<export><data><marches>${rec('A')}</marches></data></export>`, {}, size);
    expect(wrapped.summary.error).toBeUndefined();
    const lone = await readBytes(rec('A'), {}, size);
    expect(lone.summary.error).toBeUndefined();
    // an element opened after the root closed, never closed: that is what is said, not a cut root (found by a robustness probe)
    const after = await readBytes(`<?xml version="1.0"?>\n<marches>\n${rec('A')}</marches>GARBAGE<x>\n`, {}, size);
    expect(after.records.map((r) => r.data['id'])).toEqual(['A']);
    expect(after.summary.error).toEqual({ code: 'INGEST_SYNTAX', message: 'the document goes on after its root <marches> closed: <x> at line 4 is never closed', fatal: false });
    const closed = await readBytes(`<?xml version="1.0"?>\n<marches>\n${rec('A')}</marches><x/><y></y>\n`, {}, size);
    expect(closed.summary.error).toBeUndefined();
  }
});

test('lines before a JSON document that are not data (a comment, a PHP notice) are passed over and said; the document is read, its positions the file\'s (found by a probe: the file was unreadable, every record lost)', async () => {
  const doc = '{"marches": [\n{"id": "1", "objet": "a"},\n{"id": "2" "objet": "b"}\n]}\n';
  for (const [preamble, first] of [
    ['// export du 2019\n', '// export du 2019'],
    ['<br />\n<b>Warning</b>:  Undefined index: x in <b>/var/www/export.php</b> on line <b>12</b><br />\n', '<br />'],
  ] as const) {
    const lines = preamble.split('\n').length - 1;
    const r = await readBytes(preamble + doc);
    expect(r.summary.error).toBeUndefined();
    expect(r.records.map((x) => x.data['id'])).toEqual(['1']);
    expect(r.rejects.map((x) => [x.provenance.line, x.provenance.offset])).toEqual([[3 + lines, Buffer.byteLength(preamble) + doc.indexOf('{"id": "2"')]]);
    expect(r.summary.issues).toContainEqual(expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', message: `${lines} line(s) before the JSON document, ${JSON.stringify(first)} (line 1): not data, passed over` }));
  }
  // … and before an XML document (found by an ingest probe: "XML root <br> is neither <marches>…", the file unreadable)
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<marches>\n<marche><id>X1</id><acheteur><id>21350238800019</id></acheteur></marche>\n</marches>\n';
  for (const [preamble, first] of [
    ['<br />\n<b>Notice</b>:  Undefined index: x in <b>/var/www/export.php</b> on line <b>42</b><br />\n', '<br />'],
    ['PHP Warning:  Undefined variable $x in /var/www/export.php on line 42\n', 'PHP Warning:  Undefined variable $x in /var/www/export.php on line 42'],
  ] as const) {
    const lines = preamble.split('\n').length - 1;
    const r = await readBytes(preamble + xml);
    expect([r.summary.error, r.summary.format]).toEqual([undefined, 'decp-xml']);
    expect(r.records.map((x) => [x.data['id'], x.provenance.line])).toEqual([['X1', 3 + lines]]);
    expect(r.summary.issues).toContainEqual(expect.objectContaining({ code: 'INGEST_FILE_SYNTAX', severity: 'warning', message: `${lines} line(s) before the XML document, ${JSON.stringify(first)} (line 1): not data, passed over` }));
  }
  // (an envelope's prefixed tag, `<b:export>`, is no HTML notice: the document is inside it, as before; found by a review)
  const env = await readBytes(`<b:export xmlns:b="urn:x">\n${xml.replace(/^<\?xml[^>]*>\n/, '')}</b:export>\n`);
  expect(env.records.map((x) => x.data['id'])).toEqual(['X1']);
  expect(env.summary.issues.filter((i) => /before the XML document/.test(i.message))).toEqual([]);
  // JSON Lines that start inside a line keep their first line as a reject (a record cut), as before
  const cut = await readBytes('"b"}\n{"ocid":"ocds-x-1","id":"1"}\n');
  expect(cut.rejects).toHaveLength(1);
  // a CSV whose first column holds JSON is a CSV: its header line is no preamble (found by a review)
  const csv = await readBytes('titulaire_nom;id_marche;objet\n{"nom":"X"};M1;Stylos\n{"nom":"Y"};M2;Chaises\n', { csv: { delimiter: ';' } });
  expect([csv.summary.format, csv.records.map((r) => r.data['id_marche'])]).toEqual(['csv', ['M1', 'M2']]);
});
