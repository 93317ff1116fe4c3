// blind20's resubmission classes, in sentences of our own (the held-out set stays unseen): more resubmission words
// (R1), full-width digits (R2), leftover words that carry nothing (R3), a change without a field word (R4) and the
// rep reporting the rejection in the same message (R5), which is the rep's command, not an approver's decision.
import { describe, expect, it } from "vitest";
import { looksLikeResubmission, parseResubmission } from "../../src/nlu/order-correction.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";

const N = "SO-20261205-0003";
const price = (value: number, product?: string) => ({ field: "unit_price", ...(product ? { product } : {}), value });
const qty = (value: number, unit?: string, product?: string) => ({ field: "quantity", ...(product ? { product } : {}), value, ...(unit ? { unit } : {}) });

describe("blind20 resubmissions: understood", () => {
  it.each([
    // R1: resubmission words
    [`${N} 单价改成4800 再提交`, [price(4800)]],
    [`${N} 单价4700 重新走审批`, [price(4700)]],
    [`${N} 数量改成20 再走审批`, [qty(20)]],
    [`${N} 改一下再走审批 单价4650`, [price(4650)]],
    [`${N} 单价改成4600 重新提交审批`, [price(4600)]],
    [`${N} 重提审批`, []],
    [`${N} 单价改成4900再提交一次`, [price(4900)]],
    [`${N} 数量改成15 重新提交下`, [qty(15)]],
    [`帮我再提交 ${N} 单价4800`, [price(4800)]],
    [`${N} 单价4500 再报一次审批`, [price(4500)]],
    [`${N}单价3900重新提交审批吧`, [price(3900)]],
    // R2: full-width digits
    [`${N} 单价改成３１００ 重新提交`, [price(3100)]],
    [`${N} 数量改成３０ 重新提交`, [qty(30)]],
    [`重新提交 ${N} 水泵单价２８５０ 数量１２台`, [price(2850, "水泵"), qty(12, "台", "水泵")]],
    [`${N} 单价４,８００ 再提交`, [price(4800)]],
    [`${N} 数量改成２５卷 重新提交`, [qty(25, "卷")]],
    // R3: leftovers that carry nothing
    [`${N} 单价改成4800了 重新提交`, [price(4800)]],
    [`${N} 数量不变 单价4800 重新提交`, [price(4800)]],
    [`${N} 单价4800元/台 重新提交`, [price(4800)]],
    [`${N} 单价4800元 重新提交下`, [price(4800)]],
    [`经理驳回了 ${N} 单价改成4800 重新提交`, [price(4800)]],
    [`${N} 被驳了 单价4700 再提交`, [price(4700)]],
    [`老板驳回的那个${N} 单价4600 重新提交`, [price(4600)]],
    [`${N} 驳回了 说折扣太大 改成9折 重新提交`, [{ field: "discount", value: 0.1 }]],
    [`${N} 王经理驳回了 单价4800 重新提交`, [price(4800)]],
    [`${N} 经理说价格太低 单价改成4900 重新提交 谢谢`, [price(4900)]],
    // R4: no field word, from … to …, 调整为, thousands separators, 按 … 报, 调到, →
    [`${N} 电缆改成50卷 重新提交`, [qty(50, "卷", "电缆")]],
    [`${N} 电机A改成4800元 重新提交`, [price(4800, "电机A")]],
    [`${N} 水泵改成3200块 重新提交`, [price(3200, "水泵")]],
    [`${N} 单价从5000降到4700 重新提交`, [price(4700)]],
    [`${N} 单价由5000改为4700 重新提交`, [price(4700)]],
    [`${N} 单价改4800 再提交吧`, [price(4800)]],
    [`${N} 单价调整为7,600 重新提交`, [price(7600)]],
    [`${N} 单价按7900报 重新提交`, [price(7900)]],
    [`${N} 电机B价格调到7800 重新提交`, [price(7800, "电机B")]],
    [`${N} 数量10台→12台 重新提交`, [qty(12, "台")]],
    [`${N} 变频器数量从8台改成6台 重新提交`, [qty(6, "台", "变频器")]],
    [`${N} 电缆改成20卷 单价调整为540 再走审批`, [qty(20, "卷", "电缆"), price(540)]],
    [`${N} 电机A单价改成4800元 重新提交`, [price(4800, "电机A")]],
    // R5: the rep reports the rejection, then asks to resubmit
    [`${N} 驳回了 电机B数量改成3台 单价7800 麻烦再提交审批`, [qty(3, "台", "电机B"), price(7800, "电机B")]],
    [`老板驳回的那个${N} 我把电机B价格调到7800了 帮我再提交`, [price(7800, "电机B")]],
    [`${N}被经理驳回了 单价改成5100 帮我重新提交`, [price(5100)]],
  ])("%s", (text, changes) => {
    expect(looksLikeResubmission(text)).toBe(true);
    expect(parseResubmission(text)).toEqual({ ok: true, order: N, changes });
  });
});

describe("blind20 resubmissions: still refused or not one", () => {
  it.each([
    [`${N} 加一个电机B 再提交`, "加一个电机B"],
    [`${N} 客户改成华东机电 重新走审批`, "客户改成华东机电"],
    [`${N} 去掉电缆 重新提交审批`, "去掉电缆"],
  ])("%s: refused, naming the leftover", (text, leftover) =>
    expect(parseResubmission(text)).toEqual({ ok: false, problem: "not_understood", leftover }));

  it.each([
    `驳回 ${N} 请重新提交`,
    `驳回 ${N} 价格太低 改一下再走审批`,
    `驳回 ${N} 折扣太大 让他重新提交审批`,
    `不同意 ${N} 单价太低 请再提交一次`,
    "我想重新提交一下报价",
    "报价单重新提交给客户了",
  ])("%s is no resubmission command", (text) => expect(looksLikeResubmission(text)).toBe(false));

  it("the rules parser reads the rep's report of a rejection with a resubmission word as no decision", async () => {
    const parser = createRulesParser();
    const ctx = { now: new Date("2026-12-05T10:00:00+08:00"), timeZone: "Asia/Shanghai" };
    for (const text of [`${N} 驳回了 电机B数量改成3台 单价7800 麻烦再提交审批`, `老板驳回的那个${N} 我把电机B价格调到7800了 帮我再提交`]) {
      expect((await parser.parse(text, ctx)).intent).not.toBe("decide_approval");
    }
    expect(await parser.parse(`驳回 ${N} 价格太低 请重新提交`, ctx)).toMatchObject({ intent: "decide_approval", decision: "reject" });
  });
});
