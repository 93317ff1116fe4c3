// The to-do a visit log creates is read days later in a list: it must say what to do, not who said it, not the
// customer's name, not a bare "发给他". Sentences of the kinds the rule handles, written for this test (blind18 is
// the held-out measure).
import { describe, expect, it } from "vitest";
import { createRulesParser } from "../../src/nlu/rules/index.ts";

const rules = createRulesParser();
const ctx = { now: new Date("2026-12-07T10:00:00+08:00"), timeZone: "Asia/Shanghai" };
const nextAction = async (text: string) => {
  const r = await rules.parse(text, ctx);
  expect(r.intent).toBe("log_visit");
  return r.intent === "log_visit" ? r.next_action : undefined;
};

describe("the follow-up's title", () => {
  it("is the action after the date", async () => {
    expect(await nextAction("今天拜访了华东机电的王经理 下周三带报价再去")).toBe("带报价再去");
    expect(await nextAction("去了宁波东方轴承 陈总 明天寄合同")).toBe("寄合同");
  });

  it("keeps the date when it sits inside the action", async () => {
    expect(await nextAction("去了苏州恒力泵业 刘工 方案书周四前交")).toBe("方案书周四前交");
    expect(await nextAction("拜访常州恒远电机 吴总 合同要在月底前签")).toBe("合同要在月底前签");
    // …but not a relative day that only says when: on the due day "明天" would be wrong.
    expect(await nextAction("去了苏州新达精密 周姐 报价单明天发她")).toBe("报价单发她");
    expect(await nextAction("去了苏州新达精密 周姐 样品下周一寄")).toBe("样品寄");
  });

  it("drops who said it", async () => {
    expect(await nextAction("东方轴承的陈总刚来电话说货要提前到下周一 数量加到30台")).toBe("货要提前到下周一");
    expect(await nextAction("去了无锡宏达机械 对方要求10号前到货")).toBe("10号前到货");
  });

  it("takes what the rep was asked to do in the next clause", async () => {
    expect(await nextAction("去了南通鑫源泵业 钱总说设备后天到厂 让我们派人去调试")).toBe("派人去调试");
  });

  it("names the thing from the clause before a bare verb or a bare date, never a person or the customer", async () => {
    expect(await nextAction("拜访杭州华峰机械 刘工 报价单改一下 周五发给他")).toBe("报价单改一下 发给他");
    expect(await nextAction("去了杭州华峰机械 刘工 样品寄过去 下周一之前")).toBe("样品寄过去");
    expect(await nextAction("去了杭州华峰机械 刘工 下周一之前")).toBeUndefined();
    expect(await nextAction("去了杭州华峰机械 下周一前")).toBeUndefined();
  });
});
