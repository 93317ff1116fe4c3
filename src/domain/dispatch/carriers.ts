// Carriers (快递/物流公司) as the warehouse types them, and their tracking numbers. Pure: no I/O.
// One canonical name per carrier, whatever alias was typed (顺丰速运, SF Express → 顺丰). The carrier is inferred from
// the number only where its form belongs to one carrier alone (a letter prefix); all-digit numbers are shared by
// 中通/申通/韵达/百世/安能/壹米滴答… and are never guessed — the warehouse names the carrier for those.

export const CARRIER_NAMES = ["顺丰", "京东", "圆通", "中通", "申通", "韵达", "德邦", "极兔", "EMS", "安能", "跨越", "百世", "壹米滴答"] as const;
export type CarrierName = (typeof CARRIER_NAMES)[number];

interface CarrierSpec {
  aliases: readonly string[];
  /** What a number of this carrier looks like (after normalizeTrackingNo). */
  valid: RegExp;
  /** Said when a number does not fit: 顺丰单号应为 SF 加 12 到 15 位数字. */
  form: string;
  /** Forms that belong to this carrier alone, so the carrier may be inferred from the number. */
  infer?: RegExp;
}

const DIGITS_12_15 = /^\d{12,15}$/;

const SPECS: Readonly<Record<CarrierName, CarrierSpec>> = {
  // 顺丰: "SF" and 12–15 digits (SF1234567890123). SF is not used as a prefix by any other domestic carrier.
  顺丰: { aliases: ["顺丰速运", "顺丰快递", "顺丰物流", "SF Express", "SFExpress", "SF"], valid: /^SF\d{12,15}$/, form: "SF 加 12 到 15 位数字", infer: /^SF\d{12,15}$/ },
  // 京东: "JD", optional letters (JDV, JDVA, JDX, JDAZ), then 10–15 digits (JDVA12345678901).
  京东: { aliases: ["京东物流", "京东快递", "京东快运", "JDL", "JD"], valid: /^JD[A-Z]{0,3}\d{10,15}$/, form: "JD 开头（可带字母，如 JDV），后接 10 到 15 位数字", infer: /^JD[A-Z]{0,3}\d{10,15}$/ },
  // 圆通: "YT" and 10–15 digits (YT1234567890123).
  圆通: { aliases: ["圆通速递", "圆通快递", "YTO"], valid: /^YT\d{10,15}$/, form: "YT 加 10 到 15 位数字", infer: /^YT\d{10,15}$/ },
  // 中通: 12–15 digits (75…, 78… are common but 申通/韵达 share the shape: never inferred).
  中通: { aliases: ["中通快递", "中通速递", "ZTO"], valid: DIGITS_12_15, form: "12 到 15 位数字" },
  // 申通: 12–15 digits (77…, 88…, 268…): shared shape, never inferred.
  申通: { aliases: ["申通快递", "STO"], valid: DIGITS_12_15, form: "12 到 15 位数字" },
  // 韵达: 13–15 digits (43…, 46…, 31…): shared shape, never inferred.
  韵达: { aliases: ["韵达快递", "韵达速递", "Yunda"], valid: /^\d{13,15}$/, form: "13 到 15 位数字" },
  // 德邦: "DPK" and 9–15 digits (DPK3001234567), or plain 8–12 digits from older waybills.
  德邦: { aliases: ["德邦快递", "德邦物流", "德邦快运", "Deppon"], valid: /^(?:DPK\d{9,15}|\d{8,12})$/, form: "DPK 加 9 到 15 位数字（或 8 到 12 位数字）", infer: /^DPK\d{9,15}$/ },
  // 极兔: "JT" and 13 digits (JT0001234567890).
  极兔: { aliases: ["极兔速递", "极兔快递", "J&T", "JT"], valid: /^JT\d{13}$/, form: "JT 加 13 位数字", infer: /^JT\d{13}$/ },
  // EMS / 中国邮政: the UPU form (two letters, 9 digits, two letters: EA123456789CN), or 13 digits (1…, 9…).
  // The UPU form is inferred (only the post uses it at home); the digits are not.
  EMS: { aliases: ["邮政EMS", "中国邮政", "邮政快递", "邮政包裹", "邮政", "邮政快递包裹"], valid: /^(?:[A-Z]{2}\d{9}[A-Z]{2}|\d{13})$/, form: "两个字母加 9 位数字加两个字母（如 EA123456789CN），或 13 位数字", infer: /^[A-Z]{2}\d{9}[A-Z]{2}$/ },
  // 安能: 10–15 digits: shared shape, never inferred.
  安能: { aliases: ["安能物流", "安能快运", "ANE"], valid: /^\d{10,15}$/, form: "10 到 15 位数字" },
  // 跨越: 10–15 digits, sometimes "KY" first; not inferred (KY is not documented as theirs alone).
  跨越: { aliases: ["跨越速运", "跨越快递", "KYE"], valid: /^(?:KY)?\d{10,15}$/, form: "10 到 15 位数字（可带 KY 前缀）" },
  // 百世 (formerly 汇通): 12–15 digits, older ones start with "A": not inferred.
  百世: { aliases: ["百世快递", "百世汇通", "汇通", "BEST"], valid: /^A?\d{12,15}$/, form: "12 到 15 位数字（可带 A 前缀）" },
  // 壹米滴答: 10–15 digits: not inferred.
  壹米滴答: { aliases: ["一米滴答", "壹米", "Yimidida"], valid: /^\d{10,15}$/, form: "10 到 15 位数字" },
};

/** Every name and alias (lower-cased, spaces removed) → the canonical name. */
const BY_ALIAS: ReadonlyMap<string, CarrierName> = new Map(CARRIER_NAMES.flatMap((c) => [c, ...SPECS[c].aliases].map((a) => [aliasKey(a), c] as const)));

/** Aliases longest first, so 顺丰速运 wins over 顺丰 and 邮政EMS over EMS when searching a sentence. */
const ALIASES_LONGEST_FIRST = [...BY_ALIAS.keys()].sort((a, b) => b.length - a.length);

function aliasKey(s: string): string {
  return toHalfWidth(s).replace(/\s+/g, "").toLowerCase();
}

/** Full-width letters, digits and ＆ (typed with a Chinese IME) as their ASCII forms. */
function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

/** The canonical carrier for a name or alias as typed (顺丰速运, sf express, 邮政 → 顺丰, 顺丰, EMS); null if unknown. */
export function canonicalCarrier(name: string): CarrierName | null {
  return BY_ALIAS.get(aliasKey(name)) ?? null;
}

/**
 * The first carrier named inside a sentence (`发货 SO-… 顺丰速运 SF…`): its canonical name and the alias as typed.
 * Latin aliases count only as whole words, so the "SF" of a tracking number is not taken for a carrier name.
 */
export function findCarrierIn(text: string): { carrier: CarrierName; alias: string; index: number } | null {
  const hay = toHalfWidth(text).toLowerCase();
  let best: { carrier: CarrierName; alias: string; index: number } | null = null;
  for (const key of ALIASES_LONGEST_FIRST) {
    const latin = /^[a-z&]+$/.test(key);
    const re = latin ? new RegExp(`(?<![a-z0-9])${key.replace(/&/g, "\\&")}(?![a-z0-9])`) : null;
    const index = re ? hay.search(re) : hay.indexOf(key);
    if (index < 0) continue;
    if (!best || index < best.index) best = { carrier: BY_ALIAS.get(key)!, alias: text.slice(index, index + key.length), index };
  }
  return best;
}

/** A tracking number as stored: half-width, upper case, no spaces or dashes (people type SF 1234-5678…). */
export function normalizeTrackingNo(raw: string): string {
  return toHalfWidth(raw).replace(/[\s\-_]/g, "").toUpperCase();
}

/** The carrier a number's form belongs to alone, or null (all-digit numbers, unknown forms, several fits). */
export function inferCarrier(trackingNo: string): CarrierName | null {
  const no = normalizeTrackingNo(trackingNo);
  const fits = CARRIER_NAMES.filter((c) => SPECS[c].infer?.test(no));
  return fits.length === 1 ? fits[0]! : null;
}

/** 顺丰单号应为 SF 加 12 到 15 位数字 */
export function trackingFormText(carrier: CarrierName): string {
  return `${carrier}单号应为 ${SPECS[carrier].form}`;
}

export type TrackingCheck = { ok: true; carrier: CarrierName; trackingNo: string } | { ok: false; message: string };

/** Whether `trackingNo` fits `carrier`; the message says the expected form, and the carrier it seems to be. */
export function validateTrackingNo(carrier: CarrierName, trackingNo: string): TrackingCheck {
  const no = normalizeTrackingNo(trackingNo);
  if (!no) return { ok: false, message: "请填写快递单号。" };
  if (SPECS[carrier].valid.test(no)) return { ok: true, carrier, trackingNo: no };
  const seems = inferCarrier(no);
  const hint = seems && seems !== carrier ? `；${no} 看起来是${seems}的单号` : "";
  return { ok: false, message: `${trackingFormText(carrier)}${hint}，请检查后重发。` };
}

/**
 * The carrier and number of a shipment from what was typed: the carrier named (any alias), else inferred from
 * the number; then the number checked against it. Unknown carrier names and numbers whose carrier cannot be
 * told are refused with what to type instead.
 */
export function resolveCarrier(carrierText: string | null | undefined, trackingNo: string): TrackingCheck {
  const no = normalizeTrackingNo(trackingNo);
  if (!no) return { ok: false, message: "请填写快递单号。" };
  if (!/^[A-Z0-9]+$/.test(no)) return { ok: false, message: `快递单号只能包含字母和数字：${trackingNo.trim()}` };
  const named = carrierText?.trim();
  if (named) {
    const carrier = canonicalCarrier(named);
    if (!carrier) return { ok: false, message: `不认识快递公司「${named}」，可以写：${CARRIER_NAMES.join("、")}。` };
    return validateTrackingNo(carrier, no);
  }
  const inferred = inferCarrier(no);
  if (!inferred) return { ok: false, message: `看不出单号 ${no} 是哪家快递，请写上快递公司，如「顺丰 SF1234567890123」。` };
  return validateTrackingNo(inferred, no);
}

/**
 * The company's own truck or driver (自送): no carrier, no tracking number. Many distributors deliver locally this
 * way; the shipment is recorded with carrier 自送 and quantities as usual.
 */
export const OWN_DELIVERY = "自送";
export const OWN_DELIVERY_WORDS = /自送|自己(?:的)?车|自己送|公司(?:的)?车|专车送|送货上门|司机送/;
