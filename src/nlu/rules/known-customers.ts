/** Finding one of the rep's known customers in a message, exactly or with a one-character typo. */
import { cleanName, normalizeCompanyName } from "../customer-match.ts";
import type { CompanyMention } from "./companies.ts";

/** Lower-cased text without spaces/punctuation, with the original index of every kept character. */
function squashWithMap(text: string): { s: string; map: number[] } {
  let s = "";
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = text.charCodeAt(i);
    // CJK ideographs, ASCII letters and digits (most of a message) are kept without asking the regex.
    const plain = (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
    if (!plain && /[\s\p{P}\p{S}]/u.test(c)) continue;
    s += c.toLowerCase();
    map.push(i);
  }
  return { s, map };
}

/**
 * Whether `hay` holds `word` at `at` with at most one character different. Between two strings of the same length an
 * edit distance of 1 can only be one substitution (an insertion or a deletion changes the length), so this is
 * `levenshtein(hay.slice(at, at + word.length), word) <= 1` without building the slice or the distance table.
 */
function nearlyAt(hay: string, at: number, word: string): boolean {
  let diff = 0;
  for (let k = 0; k < word.length; k++) {
    if (hay.charCodeAt(at + k) !== word.charCodeAt(k) && ++diff > 1) return false;
  }
  return true;
}

export function findKnownCustomer(text: string, known: string[]): CompanyMention | undefined {
  const { s: hay, map } = squashWithMap(text.normalize("NFKC"));
  let best: (CompanyMention & { len: number }) | undefined;
  for (const name of known) {
    for (const variant of new Set([cleanName(name), normalizeCompanyName(name)])) {
      const len = variant.length;
      if ([...variant].length < 2) continue;
      let idx = hay.indexOf(variant);
      if (idx < 0 && len >= 4) {
        for (let i = 0; i + len <= hay.length; i++) {
          if (nearlyAt(hay, i, variant)) { idx = i; break; }
        }
      }
      if (idx >= 0 && (!best || len > best.len)) {
        best = { name, index: map[idx]!, end: map[idx + len - 1]! + 1, source: "known", len };
      }
    }
  }
  return best && { name: best.name, index: best.index, end: best.end, source: best.source };
}
