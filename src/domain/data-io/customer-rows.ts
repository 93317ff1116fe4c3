// Customer rows of an import file, checked one by one (every problem with its line, in Chinese) and merged when
// several rows are the same company by normalised name (上海华东机电设备有限公司 / 华东机电). Pure: the people and
// the name normaliser come in as arguments (the normaliser is the matcher's, so import and chat agree).
import { parseFieldValue, STAGE_LABELS } from "../customers/customer-fields.ts";
import { isSalesSide } from "../users/roles.ts";
import { fieldCell, type HeaderMatch } from "./headers.ts";
import type { Cell, TableRow } from "./read-table.ts";

export type NormalizeName = (name: string) => string;

export interface Person {
  id: string;
  name: string;
  roles: string[];
  active: boolean;
}

export interface ContactIn {
  name: string | null;
  title: string | null;
  phone: string | null;
}

export type Stage = "lead" | "contacted" | "qualified" | "proposal" | "negotiation" | "won" | "lost";
export type Level = "A" | "B" | "C";

/** One company of the file: one row, or several rows merged (their contacts and tags together). */
export interface CustomerIn {
  lines: number[];
  name: string;
  normalizedName: string;
  /** Normalised, like Customer.aliases. */
  aliases: string[];
  /** undefined: the file does not say (an existing customer keeps its owner; a new one goes to the pool). */
  ownerId?: string;
  stage?: Stage;
  level?: Level;
  industry?: string;
  region?: string;
  address?: string;
  tags: string[];
  contacts: ContactIn[];
}

export interface Problem {
  line: number | null;
  message: string;
}

export interface Merge {
  lines: number[];
  name: string;
}

const LIMITS = { name: 100, contact: 32, title: 32, industry: 32, region: 32, address: 200, tag: 16 };
const NO_OWNER = new Set(["公海", "无", "-", "—", "/"]);
const text = (c: Cell): string | null => {
  if (c === null) return null;
  const s = c instanceof Date ? c.toISOString().slice(0, 10) : String(c).trim();
  return s === "" ? null : s;
};
const splitList = (s: string | null) => (s ? s.split(/[,，、;；|\n]+/).map((x) => x.trim()).filter(Boolean) : []);

/** A phone as people write it: spaces, dashes, dots and brackets go; one number per cell. */
function readPhone(c: Cell): { ok: true; value: string } | { ok: false } {
  const raw = typeof c === "number" ? (Number.isInteger(c) ? String(c) : "") : (text(c) ?? "");
  const cleaned = raw.replace(/[()（）.\s]/g, "");
  const parsed = parseFieldValue("phone", cleaned);
  return parsed.ok && parsed.edit.field === "phone" ? { ok: true, value: parsed.edit.value } : { ok: false };
}

function readStage(s: string): Stage | null {
  const lower = s.toLowerCase();
  if (lower in STAGE_LABELS) return lower as Stage;
  const parsed = parseFieldValue("stage", s);
  return parsed.ok && parsed.edit.field === "stage" ? (parsed.edit.value as Stage) : null;
}

function readLevel(s: string): Level | null {
  const parsed = parseFieldValue("level", s.replace(/客户$/, ""));
  return parsed.ok && parsed.edit.field === "level" ? parsed.edit.value : null;
}

/** The person a cell names: by account id, else by name; several people of that name is a problem, not a guess. */
export function matchOwner(value: string, people: readonly Person[]): { ok: true; id: string } | { ok: false; message: string } {
  const byId = people.find((p) => p.id === value) ?? people.find((p) => p.id.toLowerCase() === value.toLowerCase());
  const named = byId ? [byId] : people.filter((p) => p.name === value);
  if (named.length > 1) {
    return { ok: false, message: `负责人「${value}」有 ${named.length} 位同名同事（${named.map((p) => p.id).join("、")}），请改写成账号` };
  }
  const p = named[0];
  if (!p) return { ok: false, message: `负责人「${value}」不在组织里（按姓名或账号都没有找到）` };
  if (!p.active) return { ok: false, message: `负责人「${value}」已停用，不能负责客户` };
  if (!isSalesSide({ id: p.id, name: p.name, roles: p.roles, managerId: null })) return { ok: false, message: `负责人「${value}」不是销售，不能负责客户` };
  return { ok: true, id: p.id };
}

/** One row → a customer, or the row's problems (all of them, not just the first). */
export function readCustomerRow(match: HeaderMatch, row: TableRow, people: readonly Person[], normalize: NormalizeName): { customer?: CustomerIn; problems: string[] } {
  const problems: string[] = [];
  const get = (f: string) => text(fieldCell(match, row, f));
  const tooLong = (label: string, v: string | null, max: number) => {
    if (v && [...v].length > max) problems.push(`${label}太长（最多 ${max} 个字）`);
  };
  const name = get("name");
  const normalizedName = name ? normalize(name) : "";
  if (!name) problems.push("缺少客户名称");
  else if (!normalizedName) problems.push(`客户名称「${name}」里没有可辨认的公司名`);
  tooLong("客户名称", name, LIMITS.name);

  let ownerId: string | undefined;
  const ownerCell = get("ownerId") ?? get("owner");
  if (ownerCell && !NO_OWNER.has(ownerCell)) {
    const m = matchOwner(ownerCell, people);
    if (m.ok) ownerId = m.id;
    else problems.push(m.message);
  }
  const stageText = get("stage");
  const stage = stageText ? readStage(stageText) : undefined;
  if (stage === null) problems.push(`阶段「${stageText}」不认识（可选：${Object.values(STAGE_LABELS).join("、")}）`);
  const levelText = get("level");
  const level = levelText ? readLevel(levelText) : undefined;
  if (level === null) problems.push(`级别「${levelText}」不认识（只能是 A、B 或 C）`);

  const phoneCell = fieldCell(match, row, "phone");
  let phone: string | null = null;
  if (phoneCell !== null) {
    const p = readPhone(phoneCell);
    if (p.ok) phone = p.value;
    else problems.push(`电话「${text(phoneCell)}」不像电话号码（每格只写一个号码，例如 13800138000 或 021-62345678）`);
  }
  const contact = get("contact");
  const title = get("title");
  const industry = get("industry");
  const region = get("region");
  const address = get("address");
  tooLong("联系人", contact, LIMITS.contact);
  tooLong("职位", title, LIMITS.title);
  tooLong("行业", industry, LIMITS.industry);
  tooLong("地区", region, LIMITS.region);
  tooLong("地址", address, LIMITS.address);
  const tags = [...new Set(splitList(get("tags")))];
  for (const t of tags) tooLong(`标签「${t}」`, t, LIMITS.tag);
  const aliases = [...new Set(splitList(get("aliases")).map(normalize).filter((a) => a && a !== normalizedName))];

  if (problems.length || !name) return { problems };
  return {
    problems,
    customer: {
      lines: [row.line], name, normalizedName, aliases, tags,
      ...(ownerId !== undefined ? { ownerId } : {}),
      ...(stage ? { stage } : {}),
      ...(level ? { level } : {}),
      ...(industry ? { industry } : {}),
      ...(region ? { region } : {}),
      ...(address ? { address } : {}),
      contacts: contact || phone ? [{ name: contact, title, phone }] : [],
    },
  };
}

const SCALARS = [
  ["ownerId", "负责人"], ["stage", "阶段"], ["level", "级别"], ["industry", "行业"], ["region", "地区"], ["address", "地址"],
] as const;

/**
 * Rows of the same company become one: the first row's name; fields a later row adds are taken; the same field
 * given two different values is a problem on the later row (which one is right is the administrator's call).
 * Contacts are pooled (one row per contact is a common layout); one contact with two phones is a problem.
 */
export function mergeFileRows(rows: readonly CustomerIn[]): { customers: CustomerIn[]; merges: Merge[]; problems: Problem[] } {
  const byKey = new Map<string, CustomerIn>();
  const problems: Problem[] = [];
  for (const r of rows) {
    const first = byKey.get(r.normalizedName);
    if (!first) {
      byKey.set(r.normalizedName, { ...r, lines: [...r.lines], tags: [...r.tags], aliases: [...r.aliases], contacts: r.contacts.map((c) => ({ ...c })) });
      continue;
    }
    const line = r.lines[0]!;
    const conflicts: string[] = [];
    const take: [string, unknown][] = [];
    for (const [field, label] of SCALARS) {
      const mine = r[field];
      const theirs = first[field];
      if (mine === undefined) continue;
      if (theirs === undefined) take.push([field, mine]);
      else if (mine !== theirs) {
        // Stages are stored as enum values; the file (and the person reading the report) says 线索, 方案报价…
        const say = (v: unknown) => (field === "stage" ? (STAGE_LABELS[String(v)] ?? String(v)) : String(v));
        conflicts.push(`${label}不同（第 ${first.lines[0]} 行是「${say(theirs)}」，这里是「${say(mine)}」）`);
      }
    }
    const contacts = first.contacts.map((c) => ({ ...c }));
    for (const c of r.contacts) {
      const same = contacts.find((x) => (c.name ?? "") === (x.name ?? ""));
      if (!same) contacts.push({ ...c });
      else if (c.phone && same.phone && c.phone !== same.phone) conflicts.push(`联系人「${c.name ?? "未留姓名"}」的电话不同（${same.phone} / ${c.phone}）`);
      else {
        same.phone ??= c.phone;
        same.title ??= c.title;
      }
    }
    // A conflicting row is a problem and gives nothing to the first one.
    if (conflicts.length) {
      problems.push({ line, message: `和第 ${first.lines[0]} 行是同一个客户「${first.name}」，但${conflicts.join("；")}` });
      continue;
    }
    for (const [field, value] of take) (first as unknown as Record<string, unknown>)[field] = value;
    first.contacts = contacts;
    first.lines.push(line);
    for (const t of r.tags) if (!first.tags.includes(t)) first.tags.push(t);
    for (const a of r.aliases) if (!first.aliases.includes(a)) first.aliases.push(a);
  }
  const customers = [...byKey.values()];
  const merges = customers.filter((c) => c.lines.length > 1).map((c) => ({ lines: c.lines, name: c.name }));
  return { customers, merges, problems };
}
