import { describe, expect, it } from "vitest";
import { findMoney, pickAmount } from "../../src/nlu/rules/money.ts";
import { parseChineseNumeral, parseNumber } from "../../src/nlu/rules/numbers.ts";
import { findQuantities } from "../../src/nlu/rules/quantities.ts";

describe("numbers", () => {
  it.each([
    ["两百", 200], ["四千五", 4500], ["一百五", 150], ["两万五", 25000], ["一万二千", 12000],
    ["十五", 15], ["一百零五", 105], ["二零二六", 2026],
  ])("%s = %d", (s, n) => expect(parseChineseNumeral(s)).toBe(n));

  it("handles separators, decimals and multipliers without float noise", () => {
    expect(parseNumber("4,500")).toBe(4500);
    expect(parseNumber("1.2", "万")).toBe(12000);
    expect(parseNumber("1.2", "亿")).toBe(120000000);
    expect(parseNumber("4.5", "k")).toBe(4500);
    expect(parseNumber("85.5", "万")).toBe(855000);
  });
});

describe("money", () => {
  const values = (t: string) => findMoney(t).map((m) => [m.value, m.kind]);
  it.each([
    ["报价4500元", [[4500, "unit"]]],
    ["¥4,500", [[4500, "plain"]]],
    ["预算50万", [[500000, "total"]]],
    ["预算1.2亿", [[120000000, "total"]]],
    ["合同金额85.5万", [[855000, "total"]]],
    ["大概50万左右", [[500000, "total"]]],
    ["单价四千五", [[4500, "unit"]]],
    ["每套1.2万", [[12000, "unit"]]],
    ["4500元一台", [[4500, "unit"]]],
    ["单价6500元/吨", [[6500, "unit"]]],
    ["单价¥2,350", [[2350, "unit"]]],
    ["单价1.1千", [[1100, "unit"]]],
    ["有300万的预算", [[3000000, "plain"]]],
  ])("%s", (text, expected) => expect(values(text)).toEqual(expected));

  it("does not take quantities or bare numbers for money", () => {
    expect(findMoney("年用量200万条")).toEqual([]);
    expect(findMoney("要报价 300套密封件")).toEqual([]);
    expect(findMoney("电机A 200台")).toEqual([]);
  });

  it("prefers a total over a unit price for a visit's amount", () => {
    expect(pickAmount(findMoney("注塑机要6台 每台45万 总价270万"))).toBe(2700000);
    expect(pickAmount(findMoney("单价压到4300"))).toBeUndefined();
  });
});

describe("quantities", () => {
  const q = (t: string) => findQuantities(t).map((m) => [m.value, m.unit]);
  it.each([
    ["200台", [[200, "台"]]],
    ["3箱", [[3, "箱"]]],
    ["两百台空调", [[200, "台"]]],
    ["20万条", [[200000, "条"]]],
    ["1.5吨", [[1.5, "吨"]]],
    ["YJV电缆3000米", [[3000, "米"]]],
    ["伺服驱动器×20", [[20, ""]]],
    ["30吨原料 单价6500元一吨", [[30, "吨"]]],
  ])("%s", (text, expected) => expect(q(text)).toEqual(expected));

  it("skips durations, ordinals and 个点", () => {
    expect(findQuantities("3个月后")).toEqual([]);
    expect(findQuantities("第3个")).toEqual([]);
    expect(findQuantities("让利5个点")).toEqual([]);
    expect(findQuantities("两个项目")).toEqual([]);
  });
});

describe("prices under a yuan and 块…毛…分 (blind13 round)", () => {
  const values = (t: string) => findMoney(t).map((m) => [m.value, m.kind]);
  it.each([
    ["单价1毛2", [[0.12, "unit"]]],
    ["单价七毛五", [[0.75, "unit"]]],
    ["单价八毛", [[0.8, "unit"]]],
    ["单价3块5毛", [[3.5, "unit"]]],
    ["单价两块八毛五", [[2.85, "unit"]]],
    ["两块八毛五一个", [[2.85, "unit"]]],
    ["八毛一个", [[0.8, "unit"]]],
    ["单价0.85瓶盖", [[0.85, "unit"]]],
  ])("%s", (t, want) => expect(values(t)).toEqual(want));
  it("a count after a loose word is still no money", () => expect(values("约20台")).toEqual([]));
});
