/** Order numbers (SO-20261123-001), carriers (顺丰, 京东, 中通…) and tracking numbers. */
import { ORDER_NO_PATTERN } from "../intent.ts";

const ORDER_RE = /(?<![A-Za-z0-9])SO[-_ ]?(\d{8})[-_ ]?(\d{3,4})(?!\d)/gi;

export interface OrderMention { order: string; index: number; end: number }

/** Normalise "so20261123001", "SO-20261123-001", "so_20261123_001" to "SO-20261123-001"; undefined if not one. */
export function normalizeOrderNo(raw: string): string | undefined {
  const m = /^\s*SO[-_ ]?(\d{8})[-_ ]?(\d{3,4})\s*$/i.exec(raw);
  if (!m) return undefined;
  const out = `SO-${m[1]}-${m[2]}`;
  return ORDER_NO_PATTERN.test(out) ? out : undefined;
}

export function findOrders(text: string): OrderMention[] {
  return [...text.matchAll(ORDER_RE)].map((m) => ({
    order: `SO-${m[1]}-${m[2]}`, index: m.index, end: m.index + m[0].length,
  }));
}

/** Canonical carrier name → how reps write it. */
const CARRIERS: [string, RegExp][] = [
  ["顺丰", /顺丰(?:速运|快递)?|(?<![A-Za-z])SF(?=\s|$|[\u4e00-\u9fa5])/i],
  ["京东", /京东(?:物流|快递)?/],
  ["中通", /中通(?:快递|快运)?/],
  ["圆通", /圆通(?:速递|快递)?/],
  ["韵达", /韵达(?:快递)?/],
  ["申通", /申通(?:快递)?/],
  ["EMS", /EMS|中国邮政速递/i],
  ["邮政", /邮政(?:快递|包裹)?/],
  ["德邦", /德邦(?:物流|快递)?/],
  ["极兔", /极兔(?:速递)?|J&T/i],
  ["跨越", /跨越(?:速运)?/],
  ["百世", /百世(?:快递|快运)?/],
  ["安能", /安能(?:物流)?/],
  ["中铁快运", /中铁快运/],
  ["宅急送", /宅急送/],
  ["壹米滴答", /壹米滴答/],
  ["天地华宇", /天地华宇/],
  ["佳吉", /佳吉(?:快运|物流)?/],
  ["顺心捷达", /顺心捷达/],
  ["日日顺", /日日顺(?:物流)?/],
  ["优速", /优速(?:快递|物流)?/],
  ["FedEx", /FedEx|联邦快递/i],
  ["DHL", /(?<![A-Za-z])DHL(?![A-Za-z])/i],
  ["UPS", /(?<![A-Za-z])UPS(?![A-Za-z])/],
  ["货拉拉", /货拉拉/],
  ["自提", /自提/],
];

/**
 * A carrier not listed, written with its trade's suffix as a field of its own (远成物流, 盛辉物流, 新邦快运):
 * the canonical name is the part before the suffix, as for the listed ones (安能物流 → 安能).
 */
const SUFFIXED_CARRIER = /(?<=^|[\s,，。;；:：、])(?:走|用|发)?([\u4e00-\u9fa5]{2,4}?)(物流|快递|速运|快运|速递)(?=[\s,，。;；:：、]|$)/;
const NOT_A_CARRIER = /[的了是在说没已还要]|^(?:今天|昨天|明天|这边|那边|仓库|客户|我们|他们|国内|国际|同城)$/;

/** Tracking-number prefixes that give the carrier away. */
const PREFIX_CARRIER: [RegExp, string][] = [
  [/^SF\d/, "顺丰"], [/^JD[A-Z]*\d/, "京东"], [/^YT\d/, "圆通"], [/^JT\d/, "极兔"], [/^DPK\d/, "德邦"],
  [/^KY\d/, "跨越"], [/^[A-Z]{2}\d{9}CN$/, "EMS"], [/^(?:73|75|78)\d{10,12}$/, "中通"],
];

export interface CarrierMention { carrier: string; index: number; end: number }

export function findCarrier(text: string): CarrierMention | undefined {
  let best: CarrierMention | undefined;
  for (const [carrier, re] of CARRIERS) {
    const m = re.exec(text);
    if (m && (!best || m.index < best.index)) best = { carrier, index: m.index, end: m.index + m[0].length };
  }
  if (best) return best;
  const m = SUFFIXED_CARRIER.exec(text);
  if (!m || NOT_A_CARRIER.test(m[1]!)) return undefined;
  return { carrier: m[1]!, index: m.index, end: m.index + m[0].length };
}

export interface TrackingMention { tracking_no: string; index: number; end: number }

/**
 * A tracking number: optional letters then 8-20 digits, optional letter suffix (EA123456789CN); or a carrier's own
 * prefix (DPK, SF, JD…, YT, JT, KY) with fewer digits (德邦DPK1234567): the number as typed is read, and the
 * dispatch validator (src/domain/dispatch/carriers.ts) tells the warehouse when it does not fit the carrier's form.
 */
export function findTrackingNo(text: string): TrackingMention | undefined {
  const re = /(?<![A-Za-z0-9-])([A-Za-z]{0,4}\d{8,20}[A-Za-z]{0,2}|(?:DPK|SF|JD[A-Z]{0,3}|YT|JT|KY)\d{6,7})(?![A-Za-z0-9])/gi;
  for (const m of text.matchAll(re)) {
    const value = m[1]!.toUpperCase();
    if (/^SO/.test(value)) continue;
    return { tracking_no: value, index: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

export function carrierFromTrackingNo(trackingNo: string): string | undefined {
  return PREFIX_CARRIER.find(([re]) => re.test(trackingNo))?.[1];
}
