/**
 * English words inside Chinese messages (Visited X, PO from X, unit price ¥8,600, 30 sets): rewritten to
 * their Chinese twins so one set of rules reads both, and an English verb never becomes a name.
 * Only applied when the message holds Chinese; all-English messages keep english.ts's own reading.
 */

const CJK = /[\u4e00-\u9fa5]/;

/** [English, Chinese twin]. Verbs that introduce the customer map to a Chinese trigger plus a space. */
const TWINS: [RegExp, string][] = [
  [/\b(?:PO|P\.O\.|order|orders)\s+(?:from|for)\b/gi, "下单 "],
  [/\bplace(?:d)?\s+(?:an?\s+)?order(?:\s+(?:for|with))?\b/gi, "下单 "],
  // 下个order, 来个PO: the English noun after a Chinese verb of ordering is 单.
  [/(下|报|开)(个|了|一个)?\s*(?:order|PO)\b/gi, "$1$2单 "],
  [/来(?:了个|了一个|了|个|一个)\s*(?:order|PO)\b/gi, "新单 "],
  // order / PO alone (order 华东机电 …, PO来了 蓝天环保 …) is the order itself; orders (plural) is a count below.
  [/\b(?:order|PO)\b(?!\s*(?:号|单号|number|no\b))/gi, "订单 "],
  [/\b(?:visited|visiting|visit)\b/gi, "拜访了 "],
  [/\b(?:call(?:ed)?|phone(?:d)?)\s+with\b|\bcalled\b/gi, "电话 "],
  // A meeting as a noun (X meeting 跟陈经理聊了) is the visit's kind, not a verb whose object is the next field.
  [/\bmeeting\b(?!\s+(?:with|at)\b)/gi, "面谈 "],
  [/\b(?:met|meet|meeting)(?:\s+with)?\b/gi, "见了 "],
  [/\bclaim(?:ed)?\b/gi, "认领 "],
  [/\b(?:check|look\s+up|lookup)\b/gi, "查 "],
  [/\bprofile\b/gi, "资料"],
  [/\bfollow[- ]?up\b/gi, "跟进"],
  [/\bunit\s+price\b/gi, "单价"],
  // price 3500 each, 3500 each, price 3500 per unit: a price for one is the unit price.
  [/\bprice\s*[:：]?\s*(\d[\d,.]*)\s*(?:each|per\s+(?:unit|piece|set))?\b/gi, "单价$1"],
  [/(\d)\s*(?:each|per\s+(?:unit|piece|set))\b/gi, "$1每个"],
  [/\bbudget\b/gi, "预算"],
  // 10% off, 15 percent off: the share taken off the price.
  [/(\d+(?:\.\d+)?)\s*(?:%|percent)\s*off\b/gi, "优惠$1%"],
  [/\bdiscount\b/gi, "折扣"],
  [/\bquote(?:d)?(?:\s+for)?\b/gi, "报价 "],
  // A count before an English classifier: 60 units, 30 sets, 200 pieces.
  [/(\d)\s*(?:units?)\b/gi, "$1个"],
  [/(\d)\s*(?:sets?)\b/gi, "$1套"],
  [/(\d)\s*(?:pieces?|pcs)\b/gi, "$1件"],
  // Asking for counts of activity: 这周的 visits 和 orders 多少.
  [/\bvisits\b/gi, "拜访量"],
  [/\borders\b/gi, "订单量"],
];

export function translateCodeSwitch(text: string): string {
  if (!CJK.test(text)) return text;
  // Every English twin holds an ASCII letter (and /i folds no other character onto one): without any, none applies.
  if (!/[A-Za-z]/.test(text)) return text.replace(/ {2,}/g, " ");
  return TWINS.reduce((s, [re, to]) => s.replace(re, to), text).replace(/ {2,}/g, " ");
}
