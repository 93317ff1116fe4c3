import { describe, expect, it } from "vitest";
import { findDiscount } from "../../src/nlu/rules/discounts.ts";

describe("discounts as the fraction taken off", () => {
  it.each([
    ["9折", 0.1], ["打9折", 0.1], ["九折", 0.1], ["九五折", 0.05], ["打八五折", 0.15], ["95折", 0.05],
    ["9.5折", 0.05], ["88折", 0.12], ["八折", 0.2], ["九八折", 0.02], ["打个9折", 0.1], ["折扣九折", 0.1],
    ["降价10%", 0.1], ["优惠8%", 0.08], ["让利5个点", 0.05], ["便宜3%", 0.03], ["10%的折扣", 0.1],
  ])("%s → %d", (text, expected) => expect(findDiscount(`下单 电机A 200台 ${text}`)?.value).toBe(expected));

  it("ignores text without a discount", () => {
    expect(findDiscount("折扣太大了")).toBeUndefined();
    expect(findDiscount("电机A 200台 单价4500")).toBeUndefined();
    expect(findDiscount("折旧")).toBeUndefined();
  });
});
