// readTeamRequest: what it reads, and what it must leave to the other features and the parser. It runs before the
// parser on every message, so a false reading takes a visit log or an order away: every labelled message of the
// parser's sets (visits, orders, approvals, shipments, look-ups …) is checked here.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readTeamRequest } from "../../src/handlers/team/team-query.ts";
import { idleDays, looksLikePersonName, mayBeAPerson, normalise } from "../../src/handlers/team/team-words.ts";

describe("readTeamRequest", () => {
  it.each([
    ["谁的跟进逾期了", { kind: "list", query: { list: "overdue", own: false } }],
    ["团队逾期", { kind: "list", query: { list: "overdue", own: false } }],
    ["我有哪些跟进逾期了", { kind: "list", query: { list: "overdue", own: true } }],
    ["客户 超过 14 天 没跟进", { kind: "list", query: { list: "customers", own: false, idleDays: 14 } }],
    ["两个月没人跟进的客户", { kind: "list", query: { list: "customers", own: false, idleDays: 60 } }],
    ["团队 todo", { kind: "list", query: { list: "todos" } }],
    ["孙磊 KPI 这周", { kind: "person_metrics", name: "孙磊", period: "week" }],
    ["今天张三的业绩", { kind: "person_metrics", name: "张三", period: "today" }],
    ["这个月大家干得咋样", { kind: "team_metrics", period: "month" }],
    // 的 for 得 is the commonest slip in Chinese typing (found in the playground).
    ["这个月大家干的咋样", { kind: "team_metrics", period: "month" }],
    ["李四这周做的怎么样", { kind: "person_metrics", name: "李四", period: "week" }],
    ["看下小马的客户", { kind: "person_customers", name: "小马" }],
    ["周杰待办", { kind: "person_todos", name: "周杰" }],
    ["客户列表 阶段=随便", { kind: "bad_stage", word: "随便" }],
    ["咱们部门手上客户都有谁啊", { kind: "list", query: { list: "customers", own: false } }],
    ["咱们组待跟进的事项有啥", { kind: "list", query: { list: "todos" } }],
    ["团对客户列表发我看下", { kind: "list", query: { list: "customers", own: false } }],
    ["我负责的那些客户给我瞅瞅", { kind: "list", query: { list: "customers", own: true } }],
    ["郑强现在跟的客户都有谁", { kind: "person_customers", name: "郑强" }],
    ["三十天木有跟进的客户拉个清单", { kind: "list", query: { list: "customers", own: false, idleDays: 30 } }],
    ["10天以上没follow的客户", { kind: "list", query: { list: "customers", own: false, idleDays: 10 } }],
    ["卡在商务谈判这步的客户有哪些", { kind: "list", query: { list: "customers", own: false, stage: "negotiation" } }],
    ["看看吴芳接下来要跟进些啥", { kind: "person_todos", name: "吴芳" }],
    ["这个月团队指标发我", { kind: "team_metrics", period: "month" }],
  ])("%s", (text, want) => {
    expect(readTeamRequest(text)).toEqual(want);
  });

  it.each([
    "我的待办", "待办", "今日待办", "本周业绩", "这周业绩怎么样", "客户 华东机电", "公海客户", "重点客户有哪些", "把李四的客户转给赵敏",
    "转交 张三 的客户 给 李四", "张三的客户王总约了下周见面", "这周五团队聚餐", "逾期的发票财务在催了", "本周业绩目标定为50万",
    "今天跟进了李四介绍的客户 东方轴承 下周再去", "王经理的客户", "这周要跟的客户列一下",
    // 指标/数据 without a period, a group that is not a person, a company's name, a word of 跟 with no one before it
    "团队指标", "数据已经发给客户了", "咱们部门周会改到周四", "华南泵业负责的客户", "华南泵业是谁的客户", "跟着客户走", "那个客户发我一下",
  ])("leaves %s to the others", (text) => {
    expect(readTeamRequest(text)).toBeNull();
  });

  it("reads no message of the parser's labelled sets but questions about to-dos and figures", () => {
    const read: string[] = [];
    for (const dir of ["../fixtures/nlu/", "../fixtures/nlu-next/"]) {
      const url = new URL(dir, import.meta.url);
      for (const f of readdirSync(url).filter((n) => n.endsWith(".jsonl"))) {
        for (const line of readFileSync(new URL(f, url), "utf8").split("\n").filter((l) => l.trim().startsWith("{"))) {
          const j = JSON.parse(line) as { text?: unknown; expect?: { intent?: string } };
          if (typeof j.text !== "string") continue;
          if (readTeamRequest(j.text) && !["list_todos", "show_metrics"].includes(j.expect?.intent ?? "")) read.push(`${f}: ${j.text}`);
        }
      }
    }
    expect(read).toEqual([]);
  });

  it("words: typing slips and English, days, family names", () => {
    expect(normalise("团队 客护 List！")).toBe("团队客户列表");
    expect(normalise("张三的带办")).toBe("张三的待办");
    expect([idleDays("一周没跟进"), idleDays("半个月没人跟"), idleDays("3个星期没联系"), idleDays("超过二十天没有跟进")]).toEqual([7, 15, 21, 20]);
    expect(["李四", "欧阳娜", "小马", "老王"].map(looksLikePersonName)).toEqual([true, true, true, true]);
    expect(["重点", "意向", "小明"].map(looksLikePersonName)).toEqual([false, false, false]);
    expect(["张三", "欧阳娜娜", "晓东", "华南泵业", "重点"].map(mayBeAPerson)).toEqual([true, true, false, false, false]);
    expect(normalise("团对 木有 follow")).toBe("团队没有跟进");
  });
});
