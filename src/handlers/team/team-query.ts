// What the managers' list commands mean, read from the whole message before the parser runs (so no parser change
// and no LLM call): the message is split into the words of team-words.ts (谁的跟进逾期了, 大家手上的客户都列一下,
// 孙磊 KPI 这周, 客户 超过 14 天 没跟进), and a reading that makes one question is the answer. The query is kept
// (zod-typed) with the card so 下一页 continues it.
import { z } from "zod";
import { parseFieldValue } from "../../domain/customers/customer-fields.ts";
import type { MetricsPeriod } from "../../domain/metrics/metrics.service.ts";
import { idleDays, looksLikePersonName, mayBeAPerson, normalise, PERIOD_WORDS, readings, STAGE_VALUES, STAGE_WORDS, type Stage, type Token, type TokenKind } from "./team-words.ts";

export { STAGE_VALUES, type Stage } from "./team-words.ts";

/** A stage word as 改 客户 … 阶段 reads it (方案报价, 报价, 谈判, 丢单 …), or one of the extra words here (已联系). */
export function stageOf(word: string): Stage | null {
  const edit = parseFieldValue("stage", word);
  if (edit.ok && edit.edit.field === "stage" && (STAGE_VALUES as readonly string[]).includes(edit.edit.value)) return edit.edit.value as Stage;
  for (const s of STAGE_VALUES) if (STAGE_WORDS[s].includes(word)) return s;
  return null;
}

export const STAGE_HINT = "线索、已接触（已联系）、已确认需求、方案报价（报价）、商务谈判（谈判）、成交、输单（丢单）";

export const TeamQuerySchema = z.discriminatedUnion("list", [
  z.object({
    list: z.literal("customers"),
    /** Only the asker's own customers (我的客户), else the asker's scope. */
    own: z.boolean(),
    stage: z.enum(STAGE_VALUES).optional(),
    idleDays: z.number().int().positive().optional(),
    /** One colleague's customers (张三的客户); checked against the asker's scope on every page. */
    personId: z.string().optional(),
  }),
  /** personId: one person's to-dos; none: the asker's scope. */
  z.object({ list: z.literal("todos"), personId: z.string().optional() }),
  z.object({ list: z.literal("overdue"), own: z.boolean() }),
]);
export type TeamQuery = z.infer<typeof TeamQuerySchema>;

/** What a command asks for, before names are looked up. */
export type TeamRequest =
  | { kind: "list"; query: TeamQuery }
  | { kind: "bad_stage"; word: string }
  | { kind: "person_todos"; name: string }
  | { kind: "person_customers"; name: string }
  | { kind: "person_metrics"; name: string; period: MetricsPeriod }
  /** 团队这周业绩怎么样, 这个月大家干得咋样: the asker's scope's card, as 本周业绩 gives it. */
  | { kind: "team_metrics"; period: MetricsPeriod };

/** What one reading of the message asks, or null when these words do not make one of the questions. */
function interpret(tokens: Token[]): TeamRequest | null {
  const has = (k: TokenKind) => tokens.some((t) => t.kind === k);
  const first = (k: TokenKind) => tokens.find((t) => t.kind === k);
  const nameAt = tokens.findIndex((t) => t.kind === "name");
  const name = nameAt >= 0 ? tokens[nameAt]!.text : undefined;
  if (name) {
    // 李四客户, 孙磊 KPI: glued to what follows, only a name that starts like a person's.
    const next = tokens[nameAt + 1];
    if (!next) return null;
    // Four characters are a name only with a compound family name (欧阳娜娜); 华南泵业负责的客户 is the parser's.
    if (name.length > 3 && !mayBeAPerson(name)) return null;
    if (!(next.kind === "mod" || (next.kind === "filler" && next.text === "的")) && !looksLikePersonName(name)) return null;
  }
  const scopes = [name ? "name" : null, has("own") ? "own" : null, has("team") ? "team" : null].filter(Boolean);
  if (scopes.length > 1) return null;
  const scope = scopes[0] as "name" | "own" | "team" | undefined;
  // 名下 / 负责 / 手上 / 跟 say whose: after a name, 我 or the team (郑强现在跟的客户), never on their own.
  if (tokens.some((t, i) => t.kind === "mod" && !tokens.slice(0, i).some((b) => ["name", "team", "own"].includes(b.kind)))) return null;
  const periodWord = first("period")?.text;
  const period = periodWord ? PERIOD_WORDS[periodWord]! : undefined;
  if (tokens.filter((t) => t.kind === "period").length > 1 || tokens.filter((t) => t.kind === "stage").length > 1) return null;
  const own = scope === "own";

  // 指标 / 数据 count as figures only with a period (这个月团队指标; 数据已经发给客户了 is not a question).
  if (has("periodMetric") && !period) return null;
  if (has("metric") || has("periodMetric")) {
    if (["customers", "list", "todos", "notdone", "overdue", "idle", "stage", "stageMark"].some((k) => has(k as TokenKind))) return null;
    if (scope === "name") return { kind: "person_metrics", name: name!, period: period ?? "week" };
    // Without a name or the team, 本周业绩 is the parser's (the asker's own card or their team's alike).
    return scope === "team" ? { kind: "team_metrics", period: period ?? "week" } : null;
  }
  if (period) return null; // 这周要跟的客户, 今日待办: not these lists
  if (has("overdue")) {
    if (["customers", "idle", "stage", "stageMark"].some((k) => has(k as TokenKind))) return null;
    // 张三逾期的跟进: that person's to-dos, each marked with how overdue it is.
    if (scope === "name") return { kind: "person_todos", name: name! };
    return { kind: "list", query: { list: "overdue", own } };
  }
  if (has("notdone") && !has("todos")) return null;
  if (has("idle")) {
    if (!has("customers") || has("stage") || has("todos") || scope === "name") return null;
    const days = idleDays(first("idle")!.text);
    return days ? { kind: "list", query: { list: "customers", own, idleDays: days } } : null;
  }
  if (has("stage")) {
    if (!has("customers") || has("todos") || scope === "name") return null;
    const stage = stageOf(first("stage")!.text.replace(/中$/, "")) ?? stageOf(first("stage")!.text);
    return stage ? { kind: "list", query: { list: "customers", own, stage } } : null;
  }
  if (has("stageMark")) return null;
  if (has("todos")) {
    if (has("customers")) return null;
    if (scope === "name") return { kind: "person_todos", name: name! };
    // 我的待办 and a bare 待办 are the to-do feature's.
    return scope === "team" ? { kind: "list", query: { list: "todos" } } : null;
  }
  if (has("customers")) {
    if (scope === "name") return { kind: "person_customers", name: name! };
    if (scope) return { kind: "list", query: { list: "customers", own } };
    // 客户列表 alone is the scope's list; a bare 客户 is not a question.
    return has("list") ? { kind: "list", query: { list: "customers", own: false } } : null;
  }
  return null;
}

/** The dispatcher asks twice for one message (does it match, then run): the last answer is kept. */
let last: { text: string; request: TeamRequest | null } | null = null;

/** The request a message makes, or null when it is not one of these commands. */
export function readTeamRequest(text: string): TeamRequest | null {
  if (last?.text !== text) last = { text, request: read(text) };
  return last.request;
}

function read(text: string): TeamRequest | null {
  const s = normalise(text);
  for (const tokens of readings(s)) {
    const r = interpret(tokens);
    if (r) return r;
  }
  // 客户列表 阶段=随便: name the stages there are.
  const bad = /^(?:我的?|团队的?)?客户(?:列表)?阶段(?:是|为)?(.+?)(?:的客户)?$/.exec(s);
  return bad ? { kind: "bad_stage", word: bad[1]! } : null;
}
