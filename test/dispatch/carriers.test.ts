// Carrier names, inference from the tracking number's form, and validation with the Chinese messages.
import { describe, expect, it } from "vitest";
import { canonicalCarrier, CARRIER_NAMES, findCarrierIn, inferCarrier, normalizeTrackingNo, resolveCarrier, validateTrackingNo } from "../../src/domain/dispatch/carriers.ts";

describe("carrier names", () => {
  it.each([
    ["顺丰", "顺丰"],
    ["顺丰速运", "顺丰"],
    ["SF Express", "顺丰"],
    ["sf", "顺丰"],
    ["京东物流", "京东"],
    ["圆通", "圆通"],
    ["中通快递", "中通"],
    ["申通", "申通"],
    ["韵达", "韵达"],
    ["德邦快递", "德邦"],
    ["极兔", "极兔"],
    ["J&T", "极兔"],
    ["邮政", "EMS"],
    ["ems", "EMS"],
    ["安能", "安能"],
    ["跨越速运", "跨越"],
    ["百世汇通", "百世"],
    ["壹米滴答", "壹米滴答"],
    ["一米滴答", "壹米滴答"],
  ])("%s → %s", (alias, canonical) => {
    expect(canonicalCarrier(alias)).toBe(canonical);
  });

  it("unknown names are null; every canonical name maps to itself", () => {
    expect(canonicalCarrier("闪送")).toBeNull();
    for (const c of CARRIER_NAMES) expect(canonicalCarrier(c)).toBe(c);
  });

  it("finds the carrier in a sentence, not the SF of a tracking number", () => {
    expect(findCarrierIn("发货 SO-20261204-001 顺丰速运 SF1234567890123")).toMatchObject({ carrier: "顺丰", alias: "顺丰速运" });
    expect(findCarrierIn("发货 SO-20261204-001 SF1234567890123")).toBeNull();
    expect(findCarrierIn("部分发货 电机A 60台 德邦 DPK3001234567")).toMatchObject({ carrier: "德邦" });
    expect(findCarrierIn("走 sf express 吧")).toMatchObject({ carrier: "顺丰" });
  });
});

describe("inference from the number's form", () => {
  it.each([
    ["SF1234567890123", "顺丰"],
    ["sf 1234 5678 9012", "顺丰"],
    ["JDVA12345678901", "京东"],
    ["JD0012345678901", "京东"],
    ["YT1234567890123", "圆通"],
    ["DPK3001234567", "德邦"],
    ["JT0001234567890", "极兔"],
    ["EA123456789CN", "EMS"],
  ])("%s → %s", (no, carrier) => {
    expect(inferCarrier(no)).toBe(carrier);
  });

  it("all-digit numbers (中通, 申通, 韵达 …) and odd forms are never guessed", () => {
    expect(inferCarrier("758012345678")).toBeNull();
    expect(inferCarrier("7700123456789")).toBeNull();
    expect(inferCarrier("4312345678901")).toBeNull();
    expect(inferCarrier("SF123")).toBeNull();
    expect(inferCarrier("XYZ123456")).toBeNull();
  });

  it("normalises full-width, spaces, dashes and case", () => {
    expect(normalizeTrackingNo(" ｓｆ１２３４-5678 9012 ")).toBe("SF123456789012");
  });
});

describe("validation", () => {
  it("a fitting number passes, normalised", () => {
    expect(validateTrackingNo("顺丰", "sf1234567890123")).toEqual({ ok: true, carrier: "顺丰", trackingNo: "SF1234567890123" });
    expect(validateTrackingNo("中通", "758012345678")).toMatchObject({ ok: true });
    expect(validateTrackingNo("EMS", "1100123456789")).toMatchObject({ ok: true });
  });

  it("a number that does not fit is refused with the expected form, in Chinese", () => {
    const r = validateTrackingNo("顺丰", "SF12345");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("顺丰单号应为 SF 加 12 到 15 位数字");
    const other = validateTrackingNo("顺丰", "YT1234567890123");
    if (other.ok) throw new Error("expected a refusal");
    expect(other.message).toContain("看起来是圆通的单号");
  });

  it("resolveCarrier: named, inferred, unknown, untellable", () => {
    expect(resolveCarrier("顺丰速运", "SF1234567890123")).toEqual({ ok: true, carrier: "顺丰", trackingNo: "SF1234567890123" });
    expect(resolveCarrier(null, "DPK3001234567")).toEqual({ ok: true, carrier: "德邦", trackingNo: "DPK3001234567" });
    expect(resolveCarrier("中通", "758012345678")).toMatchObject({ ok: true, carrier: "中通" });
    const unknown = resolveCarrier("闪送", "123456789012");
    if (unknown.ok) throw new Error("expected a refusal");
    expect(unknown.message).toContain("不认识快递公司「闪送」");
    const untellable = resolveCarrier(undefined, "758012345678");
    if (untellable.ok) throw new Error("expected a refusal");
    expect(untellable.message).toContain("请写上快递公司");
    expect(resolveCarrier(undefined, "SF12#34").ok).toBe(false);
  });
});
