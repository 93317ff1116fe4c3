/**
 * Finding the customer's company in a message. Reps name companies with or without suffixes
 * (华东机电, 华东机电设备有限公司, 上海ABB), usually right after a verb (拜访了X, 跟X的王经理, 查一下X),
 * as the first "field" of a terse message (华东机电 王经理 电话 …), or last (… 远航重工的).
 */
import { isRegionName, PAREN_REGION_SRC, stripSpokenFiller } from "../customer-match.ts";
import {
  ACTION_START, AUX_START, BAD_CONTAINS, BARE_TRIGGER, BOUNDARY, DEPARTMENT, GENERIC_OBJECT, LEADING_FILLER, NEVER_START, PEOPLE_START,
  ONE_CHAR_VERBS, ORG_SUFFIX, POSITION_START, STRONG_TRIGGERS, SUBJECT_END, TRAILING_FILLER, UNIT_ENDING_SRC,
} from "./company-words.ts";
import { findContacts } from "./contacts.ts";
import { findEnglishCompany } from "./english.ts";
import { findKnownCustomer } from "./known-customers.ts";
import { SEPARATOR_CLASS } from "./text.ts";

export { ORG_SUFFIX } from "./company-words.ts";

export interface CompanyMention {
  /** The name as written, or the known customer's name when one matched. */
  name: string;
  /** Where it is in the text. */
  index: number;
  end: number;
  source: "known" | "trigger" | "position" | "suffix";
}

/**
 * How a candidate was found, which decides what it may start with: after an explicit verb (拜访了一汽解放)
 * almost anything is a name; after a one-character verb (去签合同) not an action; a guess from the
 * position alone not a word that usually opens a clause (和他…, 有需求…).
 */
export type NameOrigin = "strong" | "weak" | "position";

const TRIGGER_RE = new RegExp([...STRONG_TRIGGERS, ...ONE_CHAR_VERBS].join("|"), "g");
const ONE_CHAR = new Set(ONE_CHAR_VERBS);
const ORG_SUFFIX_ONLY = new RegExp(`^${ORG_SUFFIX.source}`);
/** 发了产品手册给X: 给 after a verb of sending and its object introduces the receiver. */
const SENT_TO = /(?:发|寄|送|交|转|带|递|传)(?:了|过)?[^给]{1,10}$/;
/** A pronoun for the customer (他们那, 他家, 对方) that a name elsewhere in the message resolves. */
const ANAPHOR = /他们|她们|他家|她家|那家|这家|对方|人家/;
/** 华东机电和远航电子: a conjunction right after a complete organisation name ends it. */
const ORG_THEN_AND = new RegExp(`^(.{2,}?${ORG_SUFFIX.source.replace(/\$$/, "")})[和跟与及、]`);

/** Every boundary in a name (matchAll copies the regex, so this one keeps no state), and one opening a text. */
const BOUNDARY_ALL = new RegExp(BOUNDARY.source, "g");
const BOUNDARY_AT = new RegExp(`^(?:${BOUNDARY.source})`);

/** Cut a name out of the text that follows a trigger. */
/** 最有戏的是X, 跟得最紧的是X, 今天最有希望的是X: an evaluation, then the name after 的是. */
const EVALUATED = /^[^的是]{1,10}的(?:就)?是/;

export function cutName(raw: string): string {
  let s = raw.replace(LEADING_FILLER, "").replace(EVALUATED, "").replace(LEADING_FILLER, "");
  for (const t of STRONG_TRIGGERS) if (s.startsWith(t) && s[t.length] !== "人") s = s.slice(t.length).replace(LEADING_FILLER, "");
  const contact = findContacts(s).find((c) => c.index >= 2);
  // 鼎盛五金老板: the "surname" completes the name's organisation word (五金), so the person is just 老板.
  const glued = contact && ORG_SUFFIX.test(s.slice(0, contact.index + 1)) && !ORG_SUFFIX.test(s.slice(0, contact.index));
  if (contact) s = s.slice(0, contact.index + (glued ? 1 : 0));
  let de = s.indexOf("的");
  while (de >= 0 && de < 2) de = s.indexOf("的", de + 1);
  if (de >= 2) s = s.slice(0, de);
  // 恒通丰田4S店, 江湾一期项目部: a unit's ending (digits, 项目 inside it) is no boundary.
  const unit = UNIT_NAME.exec(s);
  const unitEnd = unit?.[0].length ?? 0;
  const unitStart = unitEnd - (unit?.[1]!.length ?? 0);
  for (const m of s.matchAll(BOUNDARY_ALL)) {
    if (m.index >= unitStart && m.index < unitEnd) continue;
    if (m.index >= 2 && !endsInfoName(s, m)) {
      s = s.slice(0, m.index);
      break;
    }
  }
  // Names hardly ever hold 了: 亿纬锂能等了一下午 ends before the verb in front of it.
  const le = s.indexOf("了");
  if (le >= 3) s = s.slice(0, le - 1);
  // (ORG_THEN_AND tries every organisation word at every length: only run it when a conjunction is there.)
  const joined = /[和跟与及、]/.test(s) ? ORG_THEN_AND.exec(s) : null;
  if (joined) s = joined[1]!;
  // 杭州恒力泵业啊, 华东机电那个: a voice filler stuck to the name (the rule the visit handler applies too).
  s = stripSpokenFiller(s.replace(TRAILING_FILLER, "").replace(/的$/, ""));
  // 城北人民医院后勤的刘主任, 实验中学总务处: the department after a whole organisation name is no part of it.
  const dept = UNIT_DEPARTMENT.exec(s);
  return dept && dept.index >= 2 && ORG_SUFFIX.test(s.slice(0, dept.index)) ? s.slice(0, dept.index) : s;
}

/**
 * 数聚信息, 数聚信息要十五台: 信息 ending the field, or followed by what ends a name (要, 那边, a count), is the
 * trade word of an IT firm's name; after a whole organisation name (华东机电信息) or before more words it is the
 * customer's details asked for.
 */
function endsInfoName(s: string, m: RegExpExecArray | RegExpMatchArray): boolean {
  if (m[0] !== "信息" || ORG_SUFFIX.test(s.slice(0, m.index))) return false;
  const after = s.slice(m.index! + 2);
  return after === "" || /^[\d一二两三四五六七八九十]/.test(after) || BOUNDARY_AT.test(after) && !/^(?:是|怎么|咋|如何|情况|资料|档案|详情|有)/.test(after);
}

/** A name that ends in a shop's or a site's word (恒通丰田4S店, 江湾一期项目部), shortest first. */
const UNIT_NAME = new RegExp(`^[\\u4e00-\\u9fa5A-Za-z]{2,10}?(${UNIT_ENDING_SRC})`);

/** A plant named only by what it makes (水泥厂, 钢厂, 砖厂, 搅拌站, 化工厂): no customer's name. */
const GENERIC_PLANT = /^(?:水泥|钢|钢铁|砖|电|化工|玻璃|纸|造纸|木材|沙|砂石|石料|搅拌|面粉|饲料|塑料|预制|混凝土|商砼|沥青|汽修|修理|加工)(?:厂|站|场)$/;

/** A department written after the organisation (后勤, 总务处, 采购部, 食堂, 设备科). */
const UNIT_DEPARTMENT = /(?:后勤(?:处|部|科|中心)?|总务(?:处|科)?|采购(?:部|科|处|中心)?|设备(?:部|科|处)|财务(?:部|科|处)?|行政(?:部|科|处)?|膳食科|食堂|办公室|基建(?:处|科)|信息(?:中心|科))$/;

export function isPlausibleCompany(s: string, origin: NameOrigin = "position", ownsContact = false): boolean {
  if (s.length < 2 || s.length > 25) return false;
  const cjk = (s.match(/[\u4e00-\u9fa5]/g) ?? []).length;
  const latin = (s.match(/[A-Za-z]/g) ?? []).length;
  if (cjk < 2 && latin < 2) return false;
  if (/^\d/.test(s) || NEVER_START.test(s) || AUX_START.test(s) || BAD_CONTAINS.test(s)) return false;
  if (origin !== "strong" && (ACTION_START.test(s) || PEOPLE_START.test(s))) return false;
  if (PEOPLE_START.test(s) && s.length <= 3) return false;
  if (origin === "position" && POSITION_START.test(s)) return false;
  // An English word in lower case (today, visited) is prose, not a brand.
  if (origin === "position" && /^[a-z]+$/.test(s)) return false;
  if (origin === "weak" && POSITION_START.test(s) && !ORG_SUFFIX.test(s)) return false;
  // 柳工 looks like a person (surname + 工), but in 柳工的简经理 it has a person of its own: a company.
  // 老李汽修厂, 老王五金店: a person's name before a shop's word is the shop's name.
  if (!ownsContact && findContacts(s).some((c) => c.index === 0) && !(s.length >= 4 && UNIT_NAME.test(s))) return false;
  // A department (采购部, 设备科) or a place (展会上, 群里) is not the company.
  // 水泥厂那边, 钢厂, 搅拌站: a kind of plant, not a named customer.
  if (GENERIC_PLANT.test(s)) return false;
  if (DEPARTMENT.test(s) || /[上里]$/.test(s) || isRegionName(s)) return false;
  // An industry word alone (机器人, 重工) is not a name.
  if (ORG_SUFFIX_ONLY.test(s)) return false;
  return true;
}

interface Field { text: string; index: number }
/** Fields split at separators, except a bracketed region inside a name: 联想(中国)有限公司. */
const FIELD_RE = new RegExp(`(?:${PAREN_REGION_SRC}|[^${SEPARATOR_CLASS}])+`, "g");
function fields(text: string): Field[] {
  return [...text.matchAll(FIELD_RE)].map((m) => ({ text: m[0], index: m.index }));
}

const endsWithContact = (s: string) => findContacts(s).some((c) => c.index >= 2 && c.end === s.length);
/**
 * The field is a name (and maybe its person) and nothing else: 安和精工的严总, 华东机电那边. A contact next
 * to a clause (变频器要40台 杨经理说…) says nothing about the clause's first word.
 */
function nameOnly(raw: string): boolean {
  const name = cutName(raw);
  const contact = findContacts(raw).find((c) => c.index >= 2 && c.end === raw.length);
  const rest = raw.slice(raw.indexOf(name) + name.length, contact?.index ?? raw.length);
  return /^(?:的|那边的?|这边的?|那里的?|现场)?$/.test(rest);
}

/** The verbs that introduce a company in this field (not 的跟进, not 和 inside 安和精工). */
function triggersIn(f: Field, objectExpected: boolean): RegExpExecArray[] {
  return [...f.text.matchAll(TRIGGER_RE)].filter((t) => {
    if (f.text[t.index - 1] === "的") return false; // X的跟进记录, 谁的客户: a noun
    if (f.text[t.index + t[0].length] === "人") return false; // 联系人, 客户人: a person, not a verb
    if (!ONE_CHAR.has(t[0])) return true;
    if (objectExpected) return false; // 认领 和泰能源: the field is the object, 和 is part of it
    const before = f.text.slice(0, t.index);
    return SUBJECT_END.test(before) || findContacts(before).some((c) => c.end === before.length) || (t[0] === "给" && SENT_TO.test(before));
  });
}

const REPORTED_ASK = /^(?:问|询问|咨询|打听|想知道|想了解)/;

/** The company the message is about, or undefined. */
export function findCompany(text: string, knownCustomers: string[] = []): CompanyMention | undefined {
  const known = knownCustomers.length ? findKnownCustomer(text, knownCustomers) : undefined;
  if (known) return known;
  const fs = fields(text);
  const candidates: (CompanyMention & { score: number })[] = [];
  const add = (raw: string, index: number, source: CompanyMention["source"], origin: NameOrigin, base: number) => {
    const name = cutName(raw);
    const after = raw.slice(raw.indexOf(name) + name.length);
    const ownsContact = /^的/.test(after) && findContacts(after).some((c) => c.index === 1);
    if (!isPlausibleCompany(name, origin, ownsContact)) return;
    // 客户问电机A多少钱: a question someone asked, reported, is no name.
    if (REPORTED_ASK.test(name)) return;
    const at = text.indexOf(name, index);
    const start = at < 0 ? index : at;
    candidates.push({ name, index: start, end: start + name.length, source, score: base + (ORG_SUFFIX.test(name) ? 1 : 0) });
  };
  const english = findEnglishCompany(text);
  if (english) candidates.push({ ...english, source: "trigger", score: 3 });
  let pendingBare = false;
  fs.forEach((f, i) => {
    if (BARE_TRIGGER.test(f.text)) {
      pendingBare = true;
      return;
    }
    const ms = triggersIn(f, pendingBare);
    if (ms.length) {
      if (ms[0]!.index >= 2) add(f.text.slice(0, ms[0]!.index), f.index, "position", "position", i === 0 ? 2 : 1);
      // Every verb's object is a candidate: 在展会上碰到了远航环保 → 展会上 (a place, dropped), 远航环保.
      for (const m of ms) {
        const rest = f.text.slice(m.index + m[0].length);
        pendingBare = rest.length === 0 || BARE_TRIGGER.test(rest) || GENERIC_OBJECT.test(rest);
        if (!pendingBare) add(rest, f.index + m.index + m[0].length, "trigger", ONE_CHAR.has(m[0]) ? "weak" : "strong", 3);
      }
      return;
    }
    const next = fs[i + 1];
    // The next field is a person, maybe with a department first (科沃斯 采购部彭经理).
    const followedByContact = next !== undefined
      && findContacts(next.text).some((c) => c.index === 0 || DEPARTMENT.test(next.text.slice(0, c.index).replace(/的$/, "")));
    const last = i === fs.length - 1 && i > 0;
    if (pendingBare) add(f.text, f.index, "trigger", "strong", 3);
    else if (followedByContact || endsWithContact(f.text)) add(f.text, f.index, "position", "position", nameOnly(f.text) ? 3 : 2);
    // A first field that is a whole clause (机器人要30台) is a weaker guess than one that is just a name.
    else if (i === 0) add(f.text, f.index, "position", "position", nameOnly(f.text) ? 2 : 1.5);
    // … 远航重工的: a trailing "X的" says whose it is.
    else if (last && /^[^的]{2,}的$/.test(f.text)) add(f.text, f.index, "position", "position", 2);
    // 去他们那谈续签 … 万嘉物业: the earlier text points at "them", and a bare name at the end says who.
    else if (last && ANAPHOR.test(text.slice(0, f.index)) && nameOnly(f.text)) add(f.text, f.index, "position", "position", 2);
    else if (ORG_SUFFIX.test(cutName(f.text))) add(f.text, f.index, "suffix", "position", 1);
    pendingBare = false;
  });
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  const best = candidates[0];
  return best && { name: best.name, index: best.index, end: best.end, source: best.source };
}
