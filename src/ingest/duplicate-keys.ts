/**
 * Keys given more than once in one JSON object. JSON.parse keeps the last value of such a key and
 * drops the others without a word; ingest flags them (parse-record.ts), with the values left out.
 * Called only when a record's parse has fewer members than its text writes (the splitter counts
 * them), so this careful scan runs on the rare record that needs it. Pure: no I/O.
 */
import { escapePointer, FORBIDDEN_KEYS } from '../core/keys.js';
import { isWhitespace } from './json-splitter.js';

export interface DuplicateKey {
  readonly key: string;
  /** JSON pointer of the key in the record (the value kept is there). */
  readonly pointer: string;
  /** How many times the key is given in its object. */
  readonly times: number;
  /** The values left out, in text order (their JSON text when it does not parse alone). */
  readonly dropped: readonly unknown[];
}

interface Frame {
  readonly array: boolean;
  /** Where it opens in the text. */
  readonly start: number;
  readonly pointer: string;
  /** Arrays: the index of the current element. Objects: unused. */
  index: number;
  /** Objects: each key's value spans, in text order. */
  readonly spans: Map<string, Array<[number, number]>>;
  /** Objects: the key whose value is being read, and where that value starts. */
  key: string | null;
  valueStart: number;
}

/** Where the string that opens at `at` (a quote) ends: the index just past its closing quote. */
function stringEnd(text: string, at: number): number {
  for (let i = text.indexOf('"', at + 1); i >= 0; i = text.indexOf('"', i + 1)) {
    let run = 0;
    for (let k = i - 1; text.charCodeAt(k) === 0x5c; k--) run++;
    if ((run & 1) === 0) return i + 1;
  }
  throw new Error('unterminated string');
}

/** How the reader reads what duplicateKeys reports. */
export interface DuplicateKeyOptions {
  /** A value left out, from its JSON text (default: JSON.parse, else the text). */
  readonly value?: (raw: string) => unknown;
  /** A key as the reader names it (e.g. lone surrogates repaired: two keys may then be one). */
  readonly key?: (key: string) => string;
}

/**
 * The keys given more than once in an object of `text` (a JSON value that JSON.parse accepts), in
 * the order their objects close. Only what the reader keeps is reported: keys that are never data
 * (`__proto__`…, dropped) are left out, and so is what lies inside a value left out or dropped.
 * Empty for text that is not such a value.
 */
export function duplicateKeys(text: string, options: DuplicateKeyOptions = {}): DuplicateKey[] {
  const readValue = options.value ?? ((raw: string): unknown => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  });
  const found: Array<DuplicateKey & { readonly at: number }> = [];
  /** Spans of the text the reader does not keep: values left out, values of unsafe keys. */
  const gone: Array<[number, number]> = [];
  const stack: Frame[] = [];
  /** The pointer of the value that starts now, in the innermost container. */
  const childPointer = (): string => {
    const f = stack[stack.length - 1];
    if (!f) return '';
    return f.array ? `${f.pointer}/${f.index}` : `${f.pointer}/${escapePointer(f.key ?? '')}`;
  };
  /** An object member's value ends at `end` (exclusive, spaces trimmed). */
  const endMember = (f: Frame, end: number): void => {
    if (f.key === null) return;
    let e = end;
    while (e > f.valueStart && isWhitespace(text.charCodeAt(e - 1))) e--;
    const list = f.spans.get(f.key);
    if (list) list.push([f.valueStart, e]);
    else f.spans.set(f.key, [[f.valueStart, e]]);
    if (FORBIDDEN_KEYS.has(f.key)) gone.push([f.valueStart, e]);
    f.key = null;
  };
  try {
    let expectKey = false;
    for (let i = 0; i < text.length; ) {
      const c = text.charCodeAt(i);
      const top = stack[stack.length - 1];
      if (c === 0x22) {
        const end = stringEnd(text, i);
        if (expectKey && top && !top.array) {
          const key = JSON.parse(text.slice(i, end)) as string;
          top.key = options.key ? options.key(key) : key;
          expectKey = false;
        }
        i = end;
      } else if (c === 0x3a) {
        // a member's value starts after its colon
        if (top && !top.array) top.valueStart = i + 1;
        i++;
      } else if (c === 0x7b || c === 0x5b) {
        stack.push({ array: c === 0x5b, start: i, pointer: childPointer(), index: 0, spans: new Map(), key: null, valueStart: 0 });
        expectKey = c === 0x7b;
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        const f = stack.pop()!;
        if (!f.array) {
          endMember(f, i);
          for (const [key, spans] of f.spans) {
            if (spans.length < 2 || FORBIDDEN_KEYS.has(key)) continue;
            gone.push(...spans.slice(0, -1));
            const dropped = spans.slice(0, -1).map(([s, e]) => readValue(text.slice(s, e).trim()));
            found.push({ key, pointer: `${f.pointer}/${escapePointer(key)}`, times: spans.length, dropped, at: f.start });
          }
        }
        i++;
      } else if (c === 0x2c) {
        if (top?.array) top.index++;
        else if (top) {
          endMember(top, i);
          expectKey = true;
        }
        i++;
      } else i++;
    }
  } catch {
    return [];
  }
  // (an object inside a value the reader does not keep: its keys are not the record's)
  return found.filter((d) => !gone.some(([s, e]) => d.at >= s && d.at < e)).map(({ at: _at, ...d }) => d);
}

/** The members of a parsed JSON value: the keys of all its objects, however deep. */
export function membersOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === 'object') n += membersOf(v);
    return n;
  }
  const o = value as Record<string, unknown>;
  for (const k in o) {
    n++;
    const v = o[k];
    if (v !== null && typeof v === 'object') n += membersOf(v);
  }
  return n;
}

/**
 * The JSON pointer of what is at position `at` of `text` (a JSON value, or one read past a fault):
 * the member or item whose value, or key, holds that position, else the container being read
 * (`{"a":{"b":NaN}}` at the `N`: `/a/b`). Tolerant: text that is not quite JSON (a NaN, a raw control
 * character, a string left open) gives the place reached. Pure: no I/O.
 */
export function pointerAt(text: string, at: number): string {
  const stack: Array<{ readonly array: boolean; readonly pointer: string; index: number; key: string | null; expectKey: boolean }> = [];
  const here = (): string => {
    const f = stack[stack.length - 1];
    if (f === undefined) return '';
    return f.array ? `${f.pointer}/${f.index}` : f.key === null ? f.pointer : `${f.pointer}/${escapePointer(f.key)}`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end: number;
      try {
        end = stringEnd(text, i);
      } catch {
        return here();
      }
      const f = stack[stack.length - 1];
      if (f !== undefined && !f.array && f.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end)) as string;
        } catch {
          key = text.slice(i + 1, end - 1);
        }
        f.key = key;
        f.expectKey = false;
      }
      if (at < end) return here();
      i = end - 1;
      continue;
    }
    if (i >= at) return here();
    if (c === 0x7b || c === 0x5b) stack.push({ array: c === 0x5b, pointer: here(), index: 0, key: null, expectKey: c === 0x7b });
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c) {
      const f = stack[stack.length - 1];
      if (f !== undefined && f.array) f.index++;
      else if (f !== undefined) {
        f.key = null;
        f.expectKey = true;
      }
    }
  }
  return here();
}
