// What to suggest when a message is not understood: the help lines of the person's roles closest to what was typed.
// Each line is scored by its cue words (价格/多少钱 → 查价格, 折扣 → 下单, SO-… → 查订单, 逾期 → 待办) and the characters and pairs
// of characters it shares with the message; the best two or three are shown, each with the one example (of a line's
// several, "团队待办 / 张三的待办 / 逾期跟进") that is closest. An order number typed is put into the examples
// (订单 SO-20261205-002). Deterministic: the same message and roles always get the same lines.
import { ADMIN_HELP_EXAMPLES } from "../../../cards/admin/admin-help.ts";
import { fixSlips } from "../team/team-words.ts";
import { helpExamplesFor, MANAGER_HELP_EXAMPLES, WAREHOUSE_HELP_EXAMPLES, type HelpExample } from "../../../cards/help/help.card.ts";

/** The admin's lines (cards/admin/admin-help.ts) have no cue words of their own: these, by what the line does. */
const ADMIN_KEYS: Record<string, RegExp> = {
  设置同事的角色: /角色|权限|设为|设置|升为|改成经理|当经理/g,
  恢复按组织文件或通讯录定角色: /恢复|撤销设置|还原/g,
  查看当前规则: /规则|审批线|大单|公海|工作时间|免打扰|提醒时间/g,
  立即同步: /同步|通讯录|新员工|新同事|入职|离职/g,
};

const LEAD_ROLES = ["manager", "director", "admin"];
const SALES_ROLES = ["rep", "manager", "director", "admin"];

/** Every help line this person can use, in the order of the 帮助 card. */
export function helpEntriesFor(roles: readonly string[]): HelpExample[] {
  const sales = roles.some((r) => SALES_ROLES.includes(r));
  const admin: HelpExample[] = ADMIN_HELP_EXAMPLES.map((e) => {
    const key = Object.keys(ADMIN_KEYS).find((k) => e.what.startsWith(k));
    return key ? { ...e, keys: ADMIN_KEYS[key] } : e;
  });
  return [
    ...(sales ? helpExamplesFor(roles) : []),
    ...(roles.some((r) => LEAD_ROLES.includes(r)) ? MANAGER_HELP_EXAMPLES : []),
    ...(roles.includes("warehouse") ? WAREHOUSE_HELP_EXAMPLES.filter((e) => !sales || e.example !== "我的待办") : []),
    ...(roles.includes("admin") ? admin : []),
  ];
}

/** Characters that say nothing about what is asked. */
const STOP = new Set("的了是我你他她它在和与及把给被请帮一下吗呢吧啊呀么个这那有没不就都也还要想能会可以再又很太多少几点号月日天周年上下中里哪些怎样谁啥什");
const CUE_WEIGHT = 4;
const PAIR_WEIGHT = 2;
/** Below this nothing is close enough, and the usual examples are shown. */
const MIN_SCORE = 4;
const MAX_SHOWN = 3;

const ORDER_NO = /SO-\d{8}-\d{3}/i;
/** The examples' sample customers, goods and people: sharing them with a message says nothing about the command. */
const SAMPLES = /华东机电|宁波东方轴承|电机A?|王经理|王总|张三|李四|顺丰|德邦/g;

function grams(text: string): { chars: Set<string>; pairs: Set<string> } {
  const han = text.replace(/SO-[\d-]+|[A-Z]{2,3}\d{6,}/gi, " ").match(/[\u4e00-\u9fff]+/g) ?? [];
  const chars = new Set<string>();
  const pairs = new Set<string>();
  for (const run of han) {
    for (let i = 0; i < run.length; i++) {
      if (!STOP.has(run[i]!)) chars.add(run[i]!);
      if (i + 1 < run.length && !(STOP.has(run[i]!) && STOP.has(run[i + 1]!))) pairs.add(run.slice(i, i + 2));
    }
  }
  return { chars, pairs };
}

/** Each shared character or pair counts 1 / (the number of lines that have it): 客户, in most lines, counts little. */
const shared = (typed: Set<string>, line: Set<string>, df: Map<string, number>) => [...typed].filter((x) => line.has(x)).reduce((n, x) => n + 1 / (df.get(x) ?? 1), 0);

export interface Suggestion { what: string; example: string; score: number }

/** The lines closest to `text`, best first (at most three); empty when none is close. */
export function suggestHelp(typedText: string, roles: readonly string[]): Suggestion[] {
  // 我的带办 points to 我的待办 (the managers' questions' small set of typing slips).
  const text = fixSlips(typedText);
  const typed = grams(text);
  const orderNo = ORDER_NO.exec(text)?.[0].toUpperCase();
  const lines = helpEntriesFor(roles).map((e, index) => {
    const what = e.what.replace(/（.*?）/g, "");
    // Of a line's several examples, each is scored with the line's label.
    const examples = e.example.split(" / ").map((example) => ({ example, ...grams(`${what} ${example.replace(SAMPLES, " ")}`) }));
    const all = grams(`${what} ${e.example.replace(SAMPLES, " ")}`);
    return { e, index, what, examples, all };
  });
  const df = new Map<string, number>();
  for (const l of lines) for (const g of [...l.all.chars, ...l.all.pairs]) df.set(g, (df.get(g) ?? 0) + 1);
  const scored = lines.map(({ e, index, what, examples }) => {
    const cues = e.keys ? new Set([...text.matchAll(e.keys)].map((m) => m[0].toLowerCase())).size : 0;
    // The example sharing most with the message (the first on a tie).
    const best = examples
      .map((x) => ({ example: x.example, score: cues * CUE_WEIGHT + shared(typed.pairs, x.pairs, df) * PAIR_WEIGHT + shared(typed.chars, x.chars, df) }))
      .reduce((a, b) => (b.score > a.score ? b : a));
    const example = orderNo ? best.example.replace(/SO-\d{8}-\d{3}/g, orderNo) : best.example;
    return { what, example, score: Math.round(best.score * 100) / 100, index };
  });
  const top = scored.filter((s) => s.score >= MIN_SCORE).sort((a, b) => b.score - a.score || a.index - b.index);
  if (!top.length) return [];
  // Only lines about as close as the best one: a far second adds noise, not help.
  return top.filter((s) => s.score * 2 >= top[0]!.score).slice(0, MAX_SHOWN).map(({ what, example, score }) => ({ what, example, score }));
}
