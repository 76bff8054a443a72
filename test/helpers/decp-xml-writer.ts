/**
 * A DECP JSON document → the XML the official XSD describes (tests only: JSON/XML parity).
 *
 * Everything the writer knows of the XML comes from the XSD it is given, read here:
 * - the root and its record elements (`marches` → `marche` / `contrat-concession`);
 * - each element's children, in the XSD's order (a record's known fields first, in that order;
 *   fields the XSD does not declare, `_type`, `source`, follow in the JSON's order);
 * - the lists: an element whose type is a sequence of one repeated element is a wrapper of items
 *   (`titulaires/titulaire`, `techniques/technique`). A JSON list is written as that wrapper, whether
 *   the JSON gives its items bare (2019: `"titulaires":[{…}]`) or each in an object of the item's name
 *   (2024: `"titulaires":[{"titulaire":{…}}]`); an object of the item's name holding a list
 *   (2024: `"techniques":{"technique":[…]}`) is the items repeated.
 *
 * Variants real platforms write are options: the declaration's encoding (the bytes re-encoded, a
 * character the encoding lacks as a character reference), a default namespace or a prefix,
 * pretty-printed or one line, empty elements as `<x/>`, decimal commas, booleans spelt 1/0 or oui/non.
 */
import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { CP1252_HIGH } from '../../src/core/cp1252.js';

export interface XsdElement {
  readonly name: string;
  /** Child elements in the XSD's order. */
  readonly children: XsdElement[];
  /** Set when the element's type is a sequence of one element that repeats: the item's declaration. */
  item?: XsdElement;
  /** maxOccurs of this declaration is above 1. */
  repeats: boolean;
  /** The XSD's simple type base (xs:decimal, xs:integer, xs:boolean, …) when it gives one. */
  base?: string;
}

/** The element declarations of an XSD, as a tree from its root element (`marches`). */
export function readXsd(path: string): XsdElement {
  const top = new Map<string, XsdElement>();
  const refs: Array<{ parent: XsdElement; ref: string; repeats: boolean }> = [];
  const stack: Array<XsdElement | null> = [];
  const p = new SaxesParser({ xmlns: false });
  p.on('opentag', (t) => {
    const local = t.name.replace(/^[^:]*:/, '');
    const attr = (k: string): string | undefined => (t.attributes as Record<string, string>)[k];
    const parent = [...stack].reverse().find((e) => e !== null) ?? null;
    if (local === 'element') {
      const repeats = attr('maxOccurs') !== undefined && attr('maxOccurs') !== '1';
      const ref = attr('ref');
      if (ref !== undefined) {
        if (parent !== null) refs.push({ parent, ref, repeats });
        stack.push(null);
        return;
      }
      const el: XsdElement = { name: attr('name')!, children: [], repeats };
      const type = attr('type');
      if (type !== undefined) el.base = type.replace(/^[^:]*:/, '');
      if (parent === null) top.set(el.name, el);
      else parent.children.push(el);
      stack.push(el);
      return;
    }
    if (local === 'restriction' && parent !== null && parent.base === undefined) parent.base = (attr('base') ?? '').replace(/^[^:]*:/, '');
    stack.push(null);
  });
  p.on('closetag', () => {
    const el = stack.pop();
    if (el !== null && el !== undefined && el.children.length === 1 && el.children[0]!.repeats) el.item = el.children[0]!;
  });
  p.write(readFileSync(path, 'utf8')).close();
  for (const r of refs) {
    const target = top.get(r.ref);
    if (target !== undefined) r.parent.children.push({ ...target, repeats: r.repeats || target.repeats });
  }
  const root = [...top.values()].find((e) => e.children.some((c) => top.has(c.name)));
  if (root === undefined) throw new Error(`no root element in ${path}`);
  return root;
}

export interface XmlVariant {
  /** The declaration's encoding; the bytes follow it. Default UTF-8; null: no declaration. */
  readonly encoding?: 'UTF-8' | 'ISO-8859-1' | 'windows-1252' | null;
  /** A default namespace on the root, or every element prefixed (`d:marche`). */
  readonly namespace?: 'none' | 'default' | 'prefix';
  readonly pretty?: boolean;
  /** Empty elements (a null, an empty text, an empty list) written `<x/>` rather than `<x></x>`. */
  readonly selfClose?: boolean;
  /** Numbers with a fractional part written with a decimal comma (`1234,5`). */
  readonly decimalComma?: boolean;
  readonly booleans?: 'true/false' | '1/0' | 'oui/non';
  /** A JSON null left out rather than written as an empty element. */
  readonly omitNulls?: boolean;
  /** A JSON null written `<x xsi:nil="true"/>` (the root declares xsi and an xsi:schemaLocation). */
  readonly xsiNil?: boolean;
  /** Texts in CDATA sections (`<objet><![CDATA[…]]></objet>`). */
  readonly cdata?: boolean;
  /** Line breaks CR LF (with pretty). */
  readonly crlf?: boolean;
  /** A UTF-8 byte order mark before the declaration. */
  readonly bom?: boolean;
}

const NS = 'urn:example:decp';

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The XML text of a DECP JSON document (`{"marches":[…]}` or `{"marches":{"marche":[…],"contrat-concession":[…]}}`). */
export function decpJsonToXml(doc: Json, xsd: XsdElement, variant: XmlVariant = {}): string {
  const v = { encoding: 'UTF-8' as const, namespace: 'none' as const, pretty: false, selfClose: false, decimalComma: false, booleans: 'true/false' as const, ...variant };
  const q = (name: string): string => (v.namespace === 'prefix' ? `d:${name}` : name);
  const nl = (depth: number): string => (v.pretty ? `${v.crlf === true ? '\r\n' : '\n'}${'\t'.repeat(depth)}` : '');
  const empty = (name: string): string => (v.selfClose ? `<${q(name)}/>` : `<${q(name)}></${q(name)}>`);
  const scalar = (x: boolean | number | string): string => {
    if (typeof x === 'boolean') return v.booleans === '1/0' ? (x ? '1' : '0') : v.booleans === 'oui/non' ? (x ? 'oui' : 'non') : String(x);
    if (typeof x === 'number') return v.decimalComma ? String(x).replace('.', ',') : String(x);
    return v.cdata === true ? `<![CDATA[${x.replace(/]]>/g, ']]]]><![CDATA[>')}]]>` : escapeText(x);
  };
  const element = (name: string, value: Json, decl: XsdElement | undefined, depth: number): string => {
    if (value === null && variant.omitNulls === true) return '';
    if (value === null && variant.xsiNil === true) return `${nl(depth)}<${q(name)} xsi:nil="true"/>`;
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return nl(depth) + empty(name);
    if (Array.isArray(value)) {
      const item = decl?.item;
      if (item !== undefined) {
        // a wrapper: its items, bare or each in an object of the item's name
        const items = value.map((it) => {
          // (the JSON schema may name the item otherwise than the XSD, `modificationActeSousTraitance` for the
          // XSD's `modificationActesSousTraitance`: a lone key that is none of the item's fields is its wrapper)
          const keys = it !== null && typeof it === 'object' && !Array.isArray(it) ? Object.keys(it) : [];
          const wrapped = keys.length === 1 && (keys[0] === item.name || (!item.children.some((c) => c.name === keys[0]) && typeof (it as Record<string, Json>)[keys[0]!] === 'object'));
          const inner = wrapped ? (it as Record<string, Json>)[keys[0]!]! : it;
          return element(item.name, inner, item, depth + 1);
        });
        return `${nl(depth)}<${q(name)}>${items.join('')}${nl(depth)}</${q(name)}>`;
      }
      // a repeated element (the item of a 2024 wrapper object) or a list the XSD does not declare
      return value.map((it) => element(name, it, decl, depth)).join('');
    }
    if (typeof value === 'object') {
      const known = decl?.children ?? [];
      const keys = Object.keys(value);
      const ordered = [...known.map((c) => c.name).filter((k) => keys.includes(k)), ...keys.filter((k) => !known.some((c) => c.name === k))];
      const body = ordered.map((k) => element(k, value[k]!, known.find((c) => c.name === k), depth + 1)).join('');
      return `${nl(depth)}<${q(name)}>${body}${nl(depth)}</${q(name)}>`;
    }
    return `${nl(depth)}<${q(name)}>${scalar(value)}</${q(name)}>`;
  };

  const container = (doc as Record<string, Json>)['marches'] ?? null;
  const recordDecl = (name: string): XsdElement | undefined => xsd.children.find((c) => c.name === name);
  const records: Array<[string, Json]> = [];
  if (Array.isArray(container)) {
    // 2019: one list, each record's kind by its `_type` (else by its authority's key)
    for (const r of container) {
      const o = r as Record<string, Json>;
      const concession = typeof o['_type'] === 'string' ? /concession/i.test(o['_type']) : 'autoriteConcedante' in o;
      records.push([concession ? 'contrat-concession' : 'marche', r]);
    }
  } else if (container !== null && typeof container === 'object') {
    for (const [kind, list] of Object.entries(container)) for (const r of Array.isArray(list) ? list : [list]) records.push([kind, r]);
  }
  const body = records.map(([kind, r]) => element(kind, r, recordDecl(kind), 1)).join('');
  const xsi = v.xsiNil === true ? ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${NS} marches.xsd"` : '';
  const nsAttr = (v.namespace === 'default' ? ` xmlns="${NS}"` : v.namespace === 'prefix' ? ` xmlns:d="${NS}"` : '') + xsi;
  const decl = (v.bom === true ? '\ufeff' : '') + (v.encoding === null ? '' : `<?xml version="1.0" encoding="${v.encoding}"?>\n`);
  return `${decl}<${q(xsd.name)}${nsAttr}>${body}${nl(0)}</${q(xsd.name)}>\n`;
}

/**
 * The bytes of an XML text in an encoding (ISO-8859-1, windows-1252: characters beyond it as
 * references). Its declaration is the writer's: bytes in windows-1252 under a declaration of
 * ISO-8859-1 are what many French platforms write.
 */
export function xmlBytes(text: string, encoding: 'UTF-8' | 'ISO-8859-1' | 'windows-1252' = 'UTF-8'): Buffer {
  if (encoding === 'UTF-8') return Buffer.from(text, 'utf8');
  const bytes: number[] = [];
  for (const c of text) {
    const cp = c.codePointAt(0)!;
    const high = encoding === 'windows-1252' ? CP1252_HIGH.indexOf(cp) : -1;
    if (high >= 0 && cp > 0xff) bytes.push(0x80 + high);
    else if (cp <= 0xff && !(encoding === 'windows-1252' && cp >= 0x80 && cp <= 0x9f)) bytes.push(cp);
    else for (const b of Buffer.from(`&#${cp};`, 'latin1')) bytes.push(b);
  }
  return Buffer.from(bytes);
}
