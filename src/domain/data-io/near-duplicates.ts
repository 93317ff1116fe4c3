// Likely duplicates an import does not merge on its own: a new customer whose normalised name contains, or is
// contained in, an existing one's (华东 / 华东机电, a 简称 against the full name). The chat matcher would ask the
// rep which one they mean; an import has nobody to ask row by row, so the report names them and the administrator
// decides (write the full name to merge, or leave it). Pure, and cheap for large lists: substrings of 2 to 8
// characters are indexed once, so each new name costs a few hundred look-ups however many customers exist.
const MIN = 2;
const MAX = 8;

export interface NamedKey {
  key: string;
  name: string;
}

function pieces(s: string, maxLen: number): Set<string> {
  const chars = [...s];
  const out = new Set<string>();
  for (let len = MIN; len <= Math.min(maxLen, chars.length); len++) {
    for (let i = 0; i + len <= chars.length; i++) out.add(chars.slice(i, i + len).join(""));
  }
  return out;
}

/** For each new name, the known names it contains or that contain it (not itself; at most three). */
export function nearDuplicates(fresh: readonly NamedKey[], known: readonly NamedKey[]): Map<string, NamedKey[]> {
  const byKey = new Map<string, NamedKey[]>();
  const byPiece = new Map<string, NamedKey[]>();
  for (const k of known) {
    byKey.set(k.key, [...(byKey.get(k.key) ?? []), k]);
    for (const p of pieces(k.key, MAX)) {
      const list = byPiece.get(p);
      if (!list) byPiece.set(p, [k]);
      else if (list.length < 20) list.push(k); // a piece shared by many names says nothing
    }
  }
  const out = new Map<string, NamedKey[]>();
  for (const f of fresh) {
    const found = new Map<string, NamedKey>();
    // A known name inside the new one (the file writes more than the 简称 on record).
    for (const p of pieces(f.key, 64)) for (const k of byKey.get(p) ?? []) if (k.key !== f.key) found.set(k.key, k);
    // The new name inside a known one (the file writes a 简称).
    if ([...f.key].length <= MAX) for (const k of byPiece.get(f.key) ?? []) if (k.key !== f.key) found.set(k.key, k);
    if (found.size) out.set(f.key, [...found.values()].slice(0, 3));
  }
  return out;
}
