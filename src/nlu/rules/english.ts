/**
 * The few facts an English (or Chinglish) message carries: "visited Siemens today, met Mr. Li, they need
 * 50 drives, follow up next Monday". Chinese rules see such text as a run of unknown words.
 */

/** Verbs that introduce the company; the name is the Capitalised words after them. */
const VISIT_EN = /\b(?:visited|visiting|visit(?:ed)? to|went to|dropped by|met with|meeting with|meeting at|called|call with|talked to|spoke (?:to|with)|saw)\s+((?:[A-Z][\w&.-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w&-]*))*)/g;
const HONORIFIC = /^(?:Mr|Mrs|Ms|Miss|Dr)\.?$/;

export interface EnglishMention { name: string; index: number; end: number }

export function findEnglishCompany(text: string): EnglishMention | undefined {
  for (const m of text.matchAll(VISIT_EN)) {
    const words = m[1]!.split(/\s+/);
    if (HONORIFIC.test(words[0]!)) continue; // met Mr. Li: a person
    const name = words.join(" ").replace(/[.]+$/, "");
    const index = m.index + m[0].length - m[1]!.length;
    return { name, index, end: index + name.length };
  }
  return undefined;
}

/** "Mr. Li", "Ms Wang": a title and a surname. */
const PERSON_EN = /\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+([A-Z][a-z]{1,15})\b/g;

export function findEnglishContacts(text: string): EnglishMention[] {
  // Every title holds Mr, Ms, Mi(ss) or Dr: most messages hold none and are not scanned.
  if (!/M[rsi]|Dr/.test(text)) return [];
  return [...text.matchAll(PERSON_EN)].map((m) => ({ name: m[0], index: m.index, end: m.index + m[0].length }));
}

/** "need 50 drives", "ordered 200 units": a count before an English noun after a verb of wanting. */
const QTY_EN = /\b(?:need|needs|want|wants|order|orders|ordered|buy|buys|require|requires|purchase|purchases)\s+(?:about\s+|around\s+|roughly\s+)?(\d{1,3}(?:,\d{3})+|\d+)\s+[A-Za-z]{2,}/gi;

export function findEnglishQuantities(text: string): { value: number; index: number; end: number }[] {
  return [...text.matchAll(QTY_EN)].map((m) => {
    const index = m.index + m[0].indexOf(m[1]!);
    return { value: Number(m[1]!.replace(/,/g, "")), index, end: index + m[1]!.length };
  });
}
