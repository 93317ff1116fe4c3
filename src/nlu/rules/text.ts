/** Text clean-up shared by the rule parsers. */

/** Full-width digits/letters/punctuation to half-width, trimmed, NBSPs and ideographic spaces to spaces. */
export function normalizeText(text: string): string {
  return fixImeSlips(text.normalize("NFKC").replace(/[\u00a0\u3000]/g, " ").replace(/\s+/g, " ").trim());
}

/**
 * Pinyin-IME homophone slips of the few verbs every rule keys on (拜防 for 拜访, 电化 for 电话 …).
 * Reps rarely correct them, and one wrong character would otherwise hide the whole message's intent.
 */
const IME_SLIPS: [RegExp, string][] = [
  [/拜[防仿方放]/g, "拜访"],
  [/(?<!光)电化(?!学|工|厂|教)/g, "电话"],
  [/微性|威信/g, "微信"],
  [/下(?:理|里)拜/g, "下礼拜"],
  [/报介/g, "报价"],
  // 价 (jià) typed as 介/架 (jiè, jià) in a price word, with the figure after it: 单介3.5, 单架 820, 售介是99.
  // Only before a figure: 简单介绍 and 单架飞机 are words.
  [/(?<=[单售总])[介架](?=\s*[:：是为]?\s*[\d一二两三四五六七八九十¥￥])/g, "价"],
  [/([上中下])吾/g, "$1午"],
  // 多少前 (qián) for 多少钱, closing the question.
  [/多少前(?=$|[\s,，。!！?？吗呢啊呀吧哈]|[一每][台个套件只卷米])/g, "多少钱"],
];

export function fixImeSlips(text: string): string {
  return IME_SLIPS.reduce((s, [re, to]) => s.replace(re, to), text);
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
