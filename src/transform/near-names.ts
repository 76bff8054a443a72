/**
 * Names spelt nearly as others: the hint of a warning about a profile's misspelt column or path
 * (`did you mean "Importe del contrato"?`). Pure.
 */
import { looseKey } from './profile.js';

/**
 * The candidates (a CSV header's columns, the paths a JSON file's records gave that the profile did
 * not read) spelt nearly as one of `names`, compared as keys are (case, accents, separators off): one
 * or two letters apart (one in five of a longer name), or the one name the start of the other, as a header's longer title holds the profile's shorter
 * one (`Nombre del responsable` in `Nombre del responsable de la UC`). The nearest only, three at most:
 * a hint for the warning of a misspelt column (found by a partners' probe: the warning named the
 * profile's column and left the partner to find which of 40 header names it meant).
 */
export function nearNames(names: readonly string[], candidates: readonly string[]): string[] {
  let best = Infinity;
  let found: string[] = [];
  for (const h of candidates) {
    const hk = looseKey(h);
    for (const name of names) {
      const nk = looseKey(name);
      if (nk === '' || hk === '') continue;
      const allowed = Math.max(2, Math.floor(Math.max(nk.length, hk.length) / 5));
      let d = Math.abs(nk.length - hk.length) <= allowed ? editDistance(nk, hk, allowed) : Infinity;
      // (a start shared whole: ranked after any near spelling)
      if (d > allowed && Math.min(nk.length, hk.length) >= 6 && (hk.startsWith(nk) || nk.startsWith(hk))) d = allowed + 1;
      if (d > allowed + 1) continue;
      if (d < best) [best, found] = [d, [h]];
      else if (d === best && !found.includes(h)) found.push(h);
    }
  }
  return found.slice(0, 3);
}

/** Levenshtein's distance between two texts, or Infinity past `max` (a row of the table at a time). */
function editDistance(a: string, b: string, max: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let low = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < low) low = v;
    }
    if (low > max) return Infinity;
    prev = cur;
  }
  return prev[b.length]! <= max ? prev[b.length]! : Infinity;
}

