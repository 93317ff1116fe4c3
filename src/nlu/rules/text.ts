/** Text clean-up shared by the rule parsers. */

/** Full-width digits/letters/punctuation to half-width, trimmed, NBSPs and ideographic spaces to spaces. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").replace(/[\u00a0\u3000]/g, " ").replace(/\s+/g, " ").trim();
}

/** Separators between the "fields" reps type: spaces and punctuation, but not the dot inside 12.5. */
export const SEPARATOR_CLASS = "\\s,，。;；:：!！?？、~～()（）【】\\[\\]\"“”'‘’";
export const SEPARATOR = new RegExp(`[${SEPARATOR_CLASS}]+`);

export function tokens(text: string): string[] {
  return text.split(SEPARATOR).filter((t) => t.length > 0);
}

/** Strip separators at both ends. */
export function trimSeparators(s: string): string {
  return s.replace(/^[\s,，。.;；:：!！?？、~～\-—]+|[\s,，。.;；:：!！?？、~～\-—]+$/g, "");
}

/** Replace the spans with spaces so later extractors do not see them again (indices stay valid). */
export function blank(text: string, spans: { index: number; end: number }[]): string {
  let out = text;
  for (const s of spans) out = out.slice(0, s.index) + " ".repeat(s.end - s.index) + out.slice(s.end);
  return out;
}
