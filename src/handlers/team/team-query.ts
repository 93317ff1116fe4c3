// What the managers' list commands mean, read from the whole trimmed message before the parser runs (so no
// parser change and no LLM call). Tolerant of what people type: 团队的客户, 我团队待办, 张三待办, 看下李四本周业绩,
// with or without spaces and punctuation. The query is kept (zod-typed) with the card so 下一页 continues it.
import { z } from "zod";
import { parseFieldValue } from "../../domain/customers/customer-fields.ts";
import type { MetricsPeriod } from "../../domain/metrics/metrics.service.ts";

export const STAGE_VALUES = ["lead", "contacted", "qualified", "proposal", "negotiation", "won", "lost"] as const;
export type Stage = (typeof STAGE_VALUES)[number];

/** More words people use for a stage, beyond those 改 客户 … 阶段 reads (customer-fields.ts). */
const STAGE_WORDS: Record<Stage, string[]> = {
  lead: ["线索", "潜在", "潜在客户", "新线索"],
  contacted: ["已接触", "已联系", "接触", "联系", "初步接触"],
  qualified: ["已确认需求", "确认需求", "需求确认", "有需求", "需求明确"],
  proposal: ["方案报价", "报价", "已报价", "方案"],
  negotiation: ["商务谈判", "谈判", "谈判中", "商谈"],
  won: ["成交", "已成交", "赢单", "签约", "已签约"],
  lost: ["输单", "丢单", "流失", "已丢单", "失败"],
};

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
  | { kind: "person_metrics"; name: string; period: MetricsPeriod };

/** Spaces, punctuation, polite openings (看下, 帮我查一下) and trailing particles do not change the meaning. */
export function normalise(text: string): string {
  let s = text.replace(/[\s，。！？!?,.、~～…；;“”"'‘’（）()【】]+/g, "");
  s = s.replace(/^(?:请|麻烦)?你?(?:帮我|给我|帮忙)?(?:看一?下|看看|查一?下|查查|查看|列一?下|列出|显示|看)?/, "");
  s = s.replace(/(?:吧|呢|啊|呀|一下|列表)+$/, "");
  return s;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 7, 十, 十五, 二十, 三十五, 一百. */
export function readCount(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in CN_DIGITS) digit = CN_DIGITS[ch]!;
    else if (ch === "十") { total += (digit || 1) * 10; digit = 0; }
    else if (ch === "百") { total += (digit || 1) * 100; digit = 0; }
    else return null;
  }
  return total + digit;
}

const MINE = "我的?";
const TEAM = "(?:我的?)?(?:团队|下属|手下|组里|部门)(?:的|里的|里)?";
const SCOPE = `(${MINE}|${TEAM})?`;
const ALL = "(?:所有的?|全部的?)?";
const PERIODS: Record<string, MetricsPeriod> = {
  今天: "today", 今日: "today", 本周: "week", 这周: "week", 这星期: "week", 本星期: "week", 这个星期: "week", 本月: "month", 这个月: "month", 这月: "month",
};
const PERIOD = `(${Object.keys(PERIODS).join("|")})`;
const NAME = "([\\u4e00-\\u9fff]{2,4}?)";
/** Words that are not a colleague's name (我的待办 and 本周业绩 belong to other features). */
const NOT_A_NAME = /我|团队|下属|手下|今|明天|后天|周|星期|月|逾期|过期|超期|完成|所有|全部|最近|现在|当前|客户|公海|订单|发货|审批|业绩|待办|大家|全员|公司|整体|个人|怎|么|如何|什么|没|哪|多少|推迟|查|看|要|新增|添加|删除|修改/;

const RE = {
  myCustomers: new RegExp(`^${MINE}${ALL}客户$`),
  teamCustomers: new RegExp(`^${TEAM}${ALL}客户$`),
  stageList: new RegExp(`^${SCOPE}(?:客户(?:列表)?)?阶段(?:[=＝:：]|是|为)?([\\u4e00-\\u9fff]{1,6}?)(?:的客户)?$`),
  stageCustomers: new RegExp(`^${SCOPE}([\\u4e00-\\u9fff]{1,6}?)(?:阶段)?的?客户$`),
  idle: new RegExp(`^${SCOPE}(?:超过|超|大于|多于|已经|有)?(\\d+|[零一二两三四五六七八九十百]+)天(?:以上|多|了)?(?:都|还)?(?:没有?|未)(?:再|有)?(?:跟进|联系|拜访|跟)(?:过)?的?客户$`),
  teamTodos: new RegExp(`^${TEAM}${ALL}(?:待办|任务|跟进)(?:事项)?$`),
  overdue: new RegExp(`^${SCOPE}(?:逾期|过期|超期)(?:未完成)?的?(?:跟进|待办|任务)(?:事项)?$`),
  personTodos: new RegExp(`^${NAME}的?(?:待办|任务)(?:事项)?$`),
  personCustomers: new RegExp(`^${NAME}的?(?:所有的?|全部的?)?客户(?:都?有哪些|有几个|名单)?$`),
  personMetrics: new RegExp(`^${PERIOD}?${NAME}的?${PERIOD}?的?业绩(?:怎么样|如何|情况)?$`),
};

const isOwn = (scope: string | undefined) => !!scope && /^我的?$/.test(scope);

/** The request a message makes, or null when it is not one of these commands. */
export function readTeamRequest(text: string): TeamRequest | null {
  const s = normalise(text);
  if (!s) return null;
  if (/^(?:全部|所有)?客户列表$/.test(text.replace(/[\s，。！？!?,.]+/g, ""))) return { kind: "list", query: { list: "customers", own: false } };
  if (RE.myCustomers.test(s)) return { kind: "list", query: { list: "customers", own: true } };
  if (RE.teamCustomers.test(s)) return { kind: "list", query: { list: "customers", own: false } };
  let m = RE.idle.exec(s);
  if (m) {
    const days = readCount(m[2]!);
    if (days && days > 0) return { kind: "list", query: { list: "customers", own: isOwn(m[1]), idleDays: days } };
  }
  m = RE.stageList.exec(s);
  if (m) {
    const stage = stageOf(m[2]!);
    return stage ? { kind: "list", query: { list: "customers", own: isOwn(m[1]), stage } } : { kind: "bad_stage", word: m[2]! };
  }
  if (/^(?:我的?|团队的?)?客户列表?阶段/.test(s)) return { kind: "bad_stage", word: s.replace(/^.*阶段[=＝:：]?/, "") };
  m = RE.stageCustomers.exec(s);
  if (m) {
    const stage = stageOf(m[2]!);
    if (stage) return { kind: "list", query: { list: "customers", own: isOwn(m[1]), stage } };
  }
  if (RE.teamTodos.test(s)) return { kind: "list", query: { list: "todos" } };
  m = RE.overdue.exec(s);
  if (m) return { kind: "list", query: { list: "overdue", own: isOwn(m[1]) } };
  m = RE.personTodos.exec(s);
  if (m && !NOT_A_NAME.test(m[1]!)) return { kind: "person_todos", name: m[1]! };
  m = RE.personCustomers.exec(s);
  if (m && !NOT_A_NAME.test(m[1]!) && !stageOf(m[1]!)) return { kind: "person_customers", name: m[1]! };
  m = RE.personMetrics.exec(s);
  if (m && !NOT_A_NAME.test(m[2]!) && !(m[1] && m[3])) return { kind: "person_metrics", name: m[2]!, period: PERIODS[m[1] ?? m[3] ?? "本周"]! };
  return null;
}
