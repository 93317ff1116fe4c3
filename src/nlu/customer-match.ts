/**
 * Chinese company-name normalisation and fuzzy matching.
 *
 * normalizeCompanyName keeps the distinctive core of a name: 上海华东机电设备有限公司 → 华东机电,
 * 杭州天阳科技 → 天阳, 美的集团 → 美的, ABB（中国）有限公司 → abb. A region prefix (上海, 江苏省…) is only
 * dropped when what is left is still distinctive (上海电气 stays 上海电气).
 *
 * decideMatch thresholds (scores from rankCustomers, 0..1):
 *  - none:      no candidate scores ≥ MATCH_MIN (0.6)
 *  - ambiguous: two or more candidates ≥ MATCH_MIN within CLOSE_GAP (0.1) of the best one, or a single
 *               best candidate below EXACT_MIN (0.8): the bot asks instead of guessing
 *  - exact:     the best candidate scores ≥ EXACT_MIN and every other one is more than CLOSE_GAP behind
 */
import { distance } from "fastest-levenshtein";
export const MATCH_MIN = 0.6;
export const EXACT_MIN = 0.8;
export const CLOSE_GAP = 0.1;

const LEGAL_SUFFIXES = [
  "股份有限公司", "有限责任公司", "集团有限公司", "集团股份", "有限公司", "责任公司", "总公司", "分公司", "公司",
  "集团", "股份", "控股", "corporation", "limited", "company", "co.,ltd", "co.ltd", "coltd", "group", "corp", "inc", "ltd", "co",
];
/** Generic business-scope words dropped from the end when something distinctive remains. */
const SCOPE_SUFFIXES = ["科技", "技术", "实业", "贸易", "商贸", "工贸", "发展", "设备", "制造", "国际", "中国"];
const PROVINCES =
  "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门";
const CITIES =
  "广州|深圳|杭州|南京|苏州|无锡|常州|昆山|宁波|温州|绍兴|嘉兴|台州|金华|合肥|福州|厦门|泉州|济南|青岛|烟台|潍坊|郑州|武汉|长沙|成都|西安|沈阳|大连|长春|哈尔滨|石家庄|太原|南昌|南宁|昆明|贵阳|兰州|乌鲁木齐|呼和浩特|佛山|东莞|中山|珠海|惠州|徐州|南通|扬州|镇江|盐城|泰州|连云港|淮安|宿迁|芜湖|唐山|保定|廊坊|洛阳|襄阳|宜昌|株洲|湘潭|绵阳|柳州|桂林|海口|三亚|江门|汕头|湛江";
const REGION_RE = new RegExp(`^(?:中国|(?:${PROVINCES})(?:省|市|自治区)?|(?:${CITIES})(?:市)?)`);
/** A region in brackets inside a name: 联想(中国)有限公司, ABB（上海）. */
export const PAREN_REGION_SRC = `[(（]\\s*(?:中国|${PROVINCES}|${CITIES})?\\s*(?:省|市)?\\s*[)）]`;
const PAREN_REGION_RE = new RegExp(PAREN_REGION_SRC, "g");
/** 北京, 江苏省, 苏州市: a place alone, not a company. */
export function isRegionName(s: string): boolean {
  const m = REGION_RE.exec(s);
  return !!m && m[0].length === s.length;
}
/** Left alone as a whole name is not distinctive: 上海电气 must not become 电气. */
const GENERIC = new Set([
  "电气", "电器", "机电", "机械", "电子", "建材", "重工", "化工", "钢铁", "物流", "医药", "银行", "电力", "汽车", "能源",
  "纺织", "环保", "包装", "五金", "电缆", "液压", "材料", "仪表", "食品", "通信", "软件", "网络", "信息", "光电", "新材料",
]);

function stripSuffixes(s: string, list: string[]): string {
  let changed = true;
  while (changed) {
    changed = false;
    for (const suf of list) {
      if (s.endsWith(suf) && s.length - suf.length >= 2) {
        s = s.slice(0, -suf.length);
        changed = true;
      }
    }
  }
  return s;
}

/**
 * Spoken fillers a voice transcript leaves stuck to the end of a name (杭州恒力泵业啊, 华东机电呀, 恒力那个): never
 * part of a company name. 吧 and 呢 stay (网吧, 毛呢), and so does 哈 (娃哈哈); one rule for the parser
 * (`cutName`) and the visit handler.
 */
const SPOKEN_TAIL = /(?:[啊呀嘛哦噢呃额诶欸]+|那个|这个|就是)+$/;

export function stripSpokenFiller(name: string): string {
  const s = name.replace(SPOKEN_TAIL, "");
  return [...s].length >= 2 ? s : name;
}

/**
 * A pure function of a string, remembered: every message naming a customer ranks up to 50 candidates, each by its
 * name and aliases, and the same few thousand names come back all day. Forgets everything when full (a bound, not
 * an LRU: names are short, and refilling costs what a miss always cost).
 */
function remembered<T>(fn: (s: string) => T, max = 20_000): (s: string) => T {
  const seen = new Map<string, T>();
  return (s) => {
    let out = seen.get(s);
    if (out === undefined) {
      if (seen.size >= max) seen.clear();
      seen.set(s, (out = fn(s)));
    }
    return out;
  };
}

/** Lower-case, half-width, no punctuation, no spaces. */
export const cleanName: (name: string) => string = remembered((name) =>
  name
    .normalize("NFKC")
    .toLowerCase()
    .replace(PAREN_REGION_RE, "")
    .replace(/[\s\p{P}\p{S}]+/gu, ""),
);

export const normalizeCompanyName: (name: string) => string = remembered(normalizeUncached);

function normalizeUncached(name: string): string {
  let s = cleanName(name);
  s = stripSuffixes(s, LEGAL_SUFFIXES);
  const beforeScope = s;
  s = stripSuffixes(s, SCOPE_SUFFIXES);
  if (GENERIC.has(s)) s = beforeScope;
  for (let i = 0; i < 2; i++) {
    const m = REGION_RE.exec(s);
    if (!m) break;
    const rest = s.slice(m[0].length);
    if (rest.length < 2 || GENERIC.has(rest) || GENERIC.has(stripSuffixes(rest, SCOPE_SUFFIXES))) break;
    s = stripSuffixes(rest, SCOPE_SUFFIXES);
  }
  return s || cleanName(name);
}

/** Edit distance (a maintained implementation; names here are BMP characters, one code unit each). */
export const levenshtein = (a: string, b: string): number => distance(a, b);

/** Length in code points (a character outside the BMP counts once), without building an array. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

/** Similarity of two already-normalised names, 0..1. */
export function nameSimilarity(a: string, b: string): number {
  return similarity(a, codePoints(a), b, codePoints(b));
}

/** nameSimilarity with both lengths (in code points) known: a query's are counted once for all its candidates. */
function similarity(a: string, la: number, b: string, lb: number): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const short = la <= lb ? a : b;
  const long = la <= lb ? b : a;
  const ls = Math.min(la, lb);
  const ll = Math.max(la, lb);
  let score = 0;
  // 简称: one name contains the other (华东 / 华东机电), or the short one is the long one's head.
  if (ls >= 2 && long.includes(short)) score = 0.7 + 0.25 * (ls / ll);
  // Small typos: 华东机店 / 华东机电.
  const d = levenshtein(a, b);
  if (d === 1 && ls >= 3) score = Math.max(score, 0.88 - 0.02 * Math.max(0, 4 - ls));
  else if (d === 2 && ls >= 6) score = Math.max(score, 0.8);
  score = Math.max(score, 1 - d / ll - 0.15);
  return Math.max(0, Math.min(1, score));
}

export interface CustomerCandidate { id: string; name: string; aliases: string[] }
export interface RankedCustomer { id: string; name: string; score: number }

/** The place a name starts with (杭州, 江苏), without 省/市; undefined when it names none (中国 is no place here). */
function leadingRegion(cleaned: string): string | undefined {
  const m = REGION_RE.exec(cleaned);
  const place = m?.[0].replace(/(?:省|市|自治区)$/, "");
  return place && place !== "中国" ? place : undefined;
}

/** What ranking reads of a name: both its forms with their lengths, and the place it starts with. */
interface NameKeys { clean: string; cleanLen: number; norm: string; normLen: number; region: string | undefined }

/** A pure function of the name, remembered like cleanName: a candidate's name comes back with every search. */
const nameKeys: (name: string) => NameKeys = remembered((name) => {
  const clean = cleanName(name);
  const norm = normalizeCompanyName(name);
  return { clean, cleanLen: codePoints(clean), norm, normLen: codePoints(norm), region: leadingRegion(clean) };
});

/** Below EXACT_MIN: a name that could be another company is asked about, never taken. */
const NEVER_SURE = EXACT_MIN - 0.05;

/** How well the query matches one name (or alias) of a candidate. */
function scoreName(q: NameKeys, n: NameKeys): number {
  let s = Math.max(similarity(q.norm, q.normLen, n.norm, n.normLen), similarity(q.clean, q.cleanLen, n.clean, n.cleanLen));
  // 杭州新锐科技 is not 无锡新锐自动化: two names that each say where they are, and say different places,
  // are likely two companies (or a branch) — ask rather than log a visit against the wrong one. 浙江 vs
  // 杭州 is asked about too: one quick question is cheaper than a record on the wrong customer.
  if (q.region && n.region && q.region !== n.region) s = Math.min(s, NEVER_SURE);
  return s;
}

/** localeCompare's order (the same default collator), built once rather than looked up on every comparison. */
const byName = new Intl.Collator().compare;

export function rankCustomers(query: string, candidates: CustomerCandidate[]): RankedCustomer[] {
  const q = nameKeys(query);
  const ranked: RankedCustomer[] = [];
  for (const c of candidates) {
    let score = scoreName(q, nameKeys(c.name));
    for (const alias of c.aliases) score = Math.max(score, scoreName(q, nameKeys(alias)));
    score = Math.round(score * 1000) / 1000;
    if (score > 0) ranked.push({ id: c.id, name: c.name, score });
  }
  return ranked.sort((a, b) => b.score - a.score || byName(a.name, b.name));
}

export type MatchDecision = { kind: "exact"; id: string } | { kind: "ambiguous"; ids: string[] } | { kind: "none" };

export function decideMatch(ranked: RankedCustomer[]): MatchDecision {
  const best = ranked[0];
  if (!best || best.score < MATCH_MIN) return { kind: "none" };
  const close = ranked.filter((r) => r.score >= MATCH_MIN && best.score - r.score < CLOSE_GAP);
  if (close.length >= 2) return { kind: "ambiguous", ids: close.map((r) => r.id) };
  if (best.score < EXACT_MIN) return { kind: "ambiguous", ids: [best.id] };
  return { kind: "exact", id: best.id };
}
