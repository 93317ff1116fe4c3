/** Finding one of the rep's known customers in a message, exactly or with a one-character typo. */
import { cleanName, levenshtein, normalizeCompanyName } from "../customer-match.ts";
import type { CompanyMention } from "./companies.ts";

/** Lower-cased text without spaces/punctuation, with the original index of every kept character. */
function squashWithMap(text: string): { s: string; map: number[] } {
  let s = "";
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/[\s\p{P}\p{S}]/u.test(c)) continue;
    s += c.toLowerCase();
    map.push(i);
  }
  return { s, map };
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
          if (levenshtein(hay.slice(i, i + len), variant) <= 1) { idx = i; break; }
        }
      }
      if (idx >= 0 && (!best || len > best.len)) {
        best = { name, index: map[idx]!, end: map[idx + len - 1]! + 1, source: "known", len };
      }
    }
  }
  return best && { name: best.name, index: best.index, end: best.end, source: best.source };
}
