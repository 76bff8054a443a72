/**
 * linearUniqueItems gives Ajv's own verdicts and errors (the same pair i/j, the same message) in
 * linear time: property-tested against Ajv's built-in keyword on random arrays, for each shape of
 * `items` Ajv treats its own way (scalar types compared by value, anything else by deep equality).
 */
import fc from 'fast-check';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import { linearUniqueItems } from '../../src/validate/schema-store.js';

const SCHEMAS = [
  { type: 'array', uniqueItems: true },
  { type: 'array', uniqueItems: true, items: { type: 'string' } },
  { type: 'array', uniqueItems: true, items: { type: ['string', 'null'] } },
  { type: 'array', uniqueItems: true, items: { type: ['string', 'integer'] } },
  { type: 'array', uniqueItems: true, items: { type: 'object' } },
  { type: 'array', uniqueItems: true, items: { $ref: '#/definitions/o' } },
  { type: 'array', uniqueItems: false },
];

// (plain objects, as JSON.parse makes: fast-check's dictionaries have no prototype, which Ajv's equality tells apart)
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, true, false, 0, 1, -0, 2.5, '', '1', 'a', 'null'), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'id'), tie('v'), { maxKeys: 3 }).map((o) => ({ ...o }))),
})).v;

test.each(SCHEMAS.map((s) => [JSON.stringify(s), s] as const))('%s: the same verdicts and errors as Ajv', (_, schema) => {
  for (const Impl of [Ajv04 as unknown as typeof Ajv04.default, Ajv as unknown as typeof Ajv.default]) {
    const root = { definitions: { o: { type: 'object' } }, ...schema };
    const builtIn = new Impl({ allErrors: true, strict: false }).compile(root);
    const linear = linearUniqueItems(new Impl({ allErrors: true, strict: false })).compile(root);
    const errors = (v: typeof builtIn): unknown => (v.errors ?? []).map((e) => ({ keyword: e.keyword, instancePath: e.instancePath, params: e.params, message: e.message }));
    fc.assert(
      // (short arrays are compared pair by pair, longer ones by canonical text: both lengths tried)
      fc.property(fc.oneof(fc.array(value, { maxLength: 8 }), fc.array(value, { minLength: 15, maxLength: 24 })), (data) => {
        // (duplicates made likely: an item repeated, with its keys in another order)
        const withCopies = data.length > 1 ? [...data, JSON.parse(JSON.stringify(data[0])) as unknown] : data;
        for (const d of [data, withCopies, [withCopies]]) {
          const a = builtIn(d);
          const b = linear(d);
          expect(b).toBe(a);
          expect(errors(linear)).toEqual(errors(builtIn));
        }
      }),
      { numRuns: 300 },
    );
  }
});

test('an error inside a document is where Ajv puts it (instancePath, schemaPath)', () => {
  const schema = { type: 'object', properties: { a: { type: 'array', items: { type: 'object', properties: { b: { type: 'array', uniqueItems: true } } } } } };
  const data = { a: [{ b: [1] }, { b: [{ x: 1 }, 2, { x: 1 }] }] };
  const builtIn = new (Ajv as unknown as typeof Ajv.default)({ allErrors: true }).compile(schema);
  const linear = linearUniqueItems(new (Ajv as unknown as typeof Ajv.default)({ allErrors: true })).compile(schema);
  expect(linear(data)).toBe(builtIn(data));
  expect(linear.errors).toEqual(builtIn.errors);
  expect(linear.errors![0]!.instancePath).toBe('/a/1/b');
});

test('deep equality ignores key order, as Ajv does', () => {
  const v = linearUniqueItems(new (Ajv as unknown as typeof Ajv.default)({ allErrors: true })).compile({ type: 'array', uniqueItems: true });
  expect(v([{ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 }])).toBe(false);
  expect(v.errors![0]!.message).toBe('must NOT have duplicate items (items ## 0 and 1 are identical)');
  expect(v([{ a: 1 }, { a: '1' }, [1], ['1']])).toBe(true);
});
