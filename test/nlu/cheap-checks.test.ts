/**
 * The shortcuts the rule parser and the matcher take to save CPU say the same as the slow way they skip: a cheap check
 * before a long regex never hides a match, an in-place comparison is the edit distance it replaces, and a name's length
 * counts characters, not UTF-16 code units.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { levenshtein, nameSimilarity, rankCustomers } from "../../src/nlu/customer-match.ts";
import { translateCodeSwitch } from "../../src/nlu/rules/code-switch.ts";
import { findContacts } from "../../src/nlu/rules/contacts.ts";
import { findEnglishContacts } from "../../src/nlu/rules/english.ts";
import { findKnownCustomer } from "../../src/nlu/rules/known-customers.ts";
import { hasOrderTrigger, ORDER_TRIGGER } from "../../src/nlu/rules/order-items.ts";

function fixtureTexts(): string[] {
  const dir = join(import.meta.dirname, "../fixtures/nlu");
  return readdirSync(dir).filter((f) => f.endsWith(".jsonl")).flatMap((f) =>
    readFileSync(join(dir, f), "utf8").split("\n").flatMap((line) => {
      const t = line.trim();
      if (!t || t.startsWith("//")) return [];
      const o = JSON.parse(t) as { text?: unknown };
      return typeof o.text === "string" ? [o.text] : [];
    }));
}

describe("hasOrderTrigger", () => {
  it.each([
    "PO 华东机电 电机A 5台", "有个单 电机A 5台", "下个单子 X", "下了单", "X 订 电机A 5台", "X 要货 电缆 3卷", "X要订 电机A 5台",
    "年前最后一单 X 电机A 5台", "海川船舶订液压软管 20根", "恒通机电再来 LED筒灯 200个", "那个华东机电的单子 电机A 5台",
  ])("finds the order word in %s as ORDER_TRIGGER does", (text) => {
    expect(ORDER_TRIGGER.test(text)).toBe(true);
    expect(hasOrderTrigger(text)).toBe(true);
  });

  it("agrees with ORDER_TRIGGER on every fixture message", () => {
    const texts = fixtureTexts();
    expect(texts.length).toBeGreaterThan(1000);
    for (const t of texts) expect(hasOrderTrigger(t), t).toBe(ORDER_TRIGGER.test(t));
  });
});

describe("findKnownCustomer", () => {
  it("finds a known name with one character typed wrong, where it stands", () => {
    const text = "今天去了宏鑫机店 见了王总";
    const hit = findKnownCustomer(text, ["南通禾鹏五金有限公司", "青岛宏鑫机电股份有限公司"]);
    expect(hit).toEqual({ name: "青岛宏鑫机电股份有限公司", index: text.indexOf("宏鑫"), end: text.indexOf("宏鑫") + 4, source: "known" });
  });

  it("does not take two characters typed wrong", () => {
    expect(findKnownCustomer("今天去了宏鑫电店 见了王总", ["青岛宏鑫机电股份有限公司"])).toBeUndefined();
  });

  it("reads past spaces and punctuation to the original positions", () => {
    const text = "拜访 宏鑫-机店，见了王总";
    expect(findKnownCustomer(text, ["青岛宏鑫机电股份有限公司"])).toMatchObject({ index: 3, end: 8 });
  });
});

describe("name lengths in characters", () => {
  // 𠀋 lies outside the BMP: one character, two UTF-16 code units.
  it("nameSimilarity counts a character outside the BMP once", () => {
    // 简称: 0.7 + 0.25 × 3/5 (not 4/6, as code units would give).
    expect(nameSimilarity("𠀋华东", "𠀋华东机电")).toBeCloseTo(0.85, 10);
    expect(levenshtein("𠀋华东", "𠀋华东机电")).toBe(2);
  });

  it("rankCustomers scores such a name the same way", () => {
    expect(rankCustomers("𠀋华东", [{ id: "a", name: "𠀋华东机电", aliases: [] }])).toEqual([{ id: "a", name: "𠀋华东机电", score: 0.85 }]);
  });

  it("rankCustomers orders equal scores by name as localeCompare does", () => {
    const names = ["华东机电B", "华东机电A", "华东机电C"];
    const ranked = rankCustomers("华东机电", names.map((name, i) => ({ id: String(i), name, aliases: [] })));
    expect(new Set(ranked.map((r) => r.score)).size).toBe(1);
    expect(ranked.map((r) => r.name)).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });
});

describe("scans skipped when the text cannot match", () => {
  it("still collapses double spaces in a Chinese message with no English in it", () => {
    expect(translateCodeSwitch("华东机电  王经理")).toBe("华东机电 王经理");
    expect(translateCodeSwitch("Visited 华东机电")).toBe("拜访了 华东机电");
  });

  it("still finds people by title, nickname, Latin name and English title", () => {
    expect(findContacts("见了王经理和小周，跟Tony聊了").map((c) => c.name)).toEqual(["王经理", "小周", "Tony"]);
    expect(findContacts("和 覃厂长 聊了").map((c) => c.name)).toEqual(["覃厂长"]);
    expect(findContacts("华东机电 李总").map((c) => c.name)).toEqual(["李总"]);
    expect(findContacts("华东机电 下周三再去").map((c) => c.name)).toEqual([]);
    expect(findEnglishContacts("met Mr. Li and Ms Wang").map((c) => c.name)).toEqual(["Mr. Li", "Ms Wang"]);
  });
});
