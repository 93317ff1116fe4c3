/**
 * Discounts as the fraction taken off: 9折 → 0.1, 九五折 → 0.05, 打八五折 → 0.15, 9.5折 → 0.05,
 * 88折 → 0.12, 降价10% → 0.1, 让利5个点 → 0.05, 优惠8% → 0.08.
 */
import { CLASSIFIER_CLASS, MEASURE_SRC, parseChineseNumeral, PER_UNIT_SRC } from "./numbers.ts";

const CN_DIGIT = "一二三四五六七八九";
// Not after a digit or a dot: in 单价4500 折扣9折 the 0 before " 折扣" is a price's last digit.
const ZHE_RE = new RegExp(`(?<![\\d.])(\\d(?:\\.\\d{1,2})?|\\d{2}|[${CN_DIGIT}][${CN_DIGIT}五]?)\\s*折(?!旧|叠|腾|返|算|扣\\s*(?:[\\d一二两三四五六七八九]|百分))`, "g");
/** A percentage written with a sign, as 个点, or in words (百分之十, 百分之5). */
// 让五个点: a count of points in words too, but only with 个点 (便宜一点 is "a bit").
const PCT = "(?:(\\d+(?:\\.\\d+)?)\\s*(?:%|个点|个百分点|点)|百分之\\s*(\\d+(?:\\.\\d+)?|[一二两三四五六七八九十]+)|([一二两三四五六七八九十]+)\\s*个(?:百分)?点)";
const PERCENT_RE = new RegExp(`(?:降价|降|优惠|让利|让|便宜|折扣|少|下浮|打折|返点|返利|返)\\s*(?:了|个|给)?\\s*${PCT}`);
const PERCENT_AFTER_RE = new RegExp(`${PCT}\\s*(?:的)?(?:折扣|优惠|让利|降价)`);

function percentValue(m: RegExpExecArray): number {
  const raw = m[1] ?? m[2] ?? m[3]!;
  return /^[\d.]+$/.test(raw) ? Number(raw) : parseChineseNumeral(raw);
}

export interface DiscountMention { value: number; index: number; end: number }

export function findDiscount(text: string): DiscountMention | undefined {
  for (const z of text.matchAll(ZHE_RE)) {
    const raw = z[1]!;
    let price: number;
    if (/^\d\.\d+$/.test(raw)) price = Number(raw) / 10; // 9.5折
    else if (/^\d$/.test(raw)) price = Number(raw) / 10; // 9折
    else if (/^\d{2}$/.test(raw)) price = Number(raw) / 100; // 88折
    else {
      const digits = [...raw].map((c) => parseChineseNumeral(c));
      price = digits.length === 1 ? digits[0]! / 10 : (digits[0]! * 10 + digits[1]!) / 100; // 九 / 九五
    }
    const value = Math.round((1 - price) * 10000) / 10000;
    if (value > 0 && value < 1) return { value, index: z.index, end: z.index + z[0].length };
  }
  const p = PERCENT_RE.exec(text) ?? PERCENT_AFTER_RE.exec(text);
  if (p) {
    const value = Math.round(percentValue(p) * 100) / 10000;
    if (value > 0 && value < 1) return { value, index: p.index, end: p.index + p[0].length };
  }
  return undefined;
}

/**
 * Why the rep asks for the price (客户量大，竞品报价4300 / 因为是老客户): clauses holding a reason word, up
 * to the next clause that is order data again (a count, a discount, an order word).
 */
const REASON_CUE = /因为|由于|理由|原因|量大|量比较大|批量|大单|竞品|竞争|对手|友商|同行|别家|其他家|人家报|老客户|长期合作|合作多年|战略|首单|试单|冲量|冲业绩|冲任务|现款|预付|全款|款到|账期|回款|付款|结算|对账|月结|抢单|投标|中标|招标|价格战|压价|砍价|预算(?:不够|有限|紧|卡)|客户要求|客户坚持|不然|否则|才(?:肯|签|下|能|会)|比我们(?:低|便宜)|隔壁|(?:只|才)(?:卖|报|要)\s*[\d一二两三四五六七八九十]|更低|低价|拿下|样板|示范|标杆|年底|清库存|库存积压/;
/** A clause that is the order itself rather than a reason. */
const ORDER_DATA = new RegExp(`下个?单|报单|新单|订单|(?<![量大])\\d+\\s*(?:${MEASURE_SRC}|${CLASSIFIER_CLASS})|折(?!扣)|单价|每${PER_UNIT_SRC}|%|个点`);
const REASON_LEAD = /^(?:(?:因为|由于)(?:是|客户是)?|理由是?|原因是?|申请理由|折扣理由)[:：\s]*/;
const REQUEST_WORDS = /申请|麻烦(?:领导)?(?:批|审批)一下|请(?:领导)?(?:批|审批)|求批|帮忙批/g;

export interface ReasonMention { text: string; spans: { index: number; end: number }[] }

/**
 * What may close an order after its discount without being the reason for it: delivery and payment terms (下周交货,
 * 含税, 送到工地), a time, a contact, a courtesy (谢谢, 尽快) or a question.
 */
const NOT_A_REASON = /交货|到货|发货|送货|交期|送到|送至|地址|收货|安装|含税|含运|不含|包邮|运费|发票|开票|[今明后]天|下周|本周|这周|月底|月初|[\d一二三四五六七八九十]+号|周[一二三四五六日天末]|礼拜|星期|点前|之前|以前|电话|手机|联系人|谢谢|感谢|辛苦|麻烦|尽快|抓紧|加急|^(?:急|着急|请批|求批|批一下|审批|谢|好的|吧|哈|呢|了)$|[?？吗]$|经理|总$|工$/;

/**
 * 申请9折 医院项目, 打八折 开盘活动, 整单九五折 新办公室开业: the clauses after the discount, to the end of the
 * message, with no order data, terms or courtesy in them, say why the price is asked for.
 */
function trailingReason(text: string, fields: RegExpExecArray[]): ReasonMention | undefined {
  const discount = findDiscount(text);
  if (!discount) return undefined;
  const tail = fields.filter((f) => f.index >= discount.end);
  if (tail.length === 0 || tail.length > 3) return undefined;
  if (tail.some((f) => ORDER_DATA.test(f[0]) || /\d|[元块万]/.test(f[0]) || NOT_A_REASON.test(f[0]) || !/[\u4e00-\u9fa5]{2}/.test(f[0]))) return undefined;
  const reason = tail.map((f) => f[0].replace(REQUEST_WORDS, "")).filter(Boolean).join("，").trim();
  if ([...reason].length < 2) return undefined;
  return { text: reason.slice(0, 300), spans: tail.map((f) => ({ index: f.index, end: f.index + f[0].length })) };
}

/** 打九折他们是老客户了, 九五折年底冲业绩: words glued right after the discount start a clause of their own. */
function splitAfterDiscount(text: string, fields: RegExpExecArray[]): RegExpExecArray[] {
  const d = findDiscount(text);
  if (!d || !/^[\u4e00-\u9fa5]{2}/.test(text.slice(d.end))) return fields;
  return fields.flatMap((f) => {
    if (!(f.index < d.end && d.end < f.index + f[0].length)) return [f];
    const cut = d.end - f.index;
    const head = Object.assign([f[0].slice(0, cut)], { index: f.index }) as unknown as RegExpExecArray;
    const tail = Object.assign([f[0].slice(cut)], { index: d.end }) as unknown as RegExpExecArray;
    return [head, tail];
  });
}

export function findReason(text: string): ReasonMention | undefined {
  const fields = splitAfterDiscount(text, [...text.matchAll(/[^\s,，。;；!！?？、]+/g)]);
  const start = fields.findIndex((f) => REASON_CUE.test(f[0]) && !(ORDER_DATA.test(f[0]) && !REASON_LEAD.test(f[0]) && !/竞品|对手|友商|同行|别家|其他家/.test(f[0])));
  const trailing = trailingReason(text, fields as RegExpExecArray[]);
  if (start < 0) return trailing;
  // 整单九折 区里统一采购 量大: the clauses after the discount that lead up to the cue are the reason too.
  if (trailing && trailing.spans[0]!.index < fields[start]!.index! && trailing.spans.some((sp) => sp.index === fields[start]!.index)) return trailing;
  const picked: RegExpExecArray[] = [];
  for (const f of fields.slice(start)) {
    if (picked.length && ORDER_DATA.test(f[0]) && !REASON_CUE.test(f[0])) break;
    picked.push(f as RegExpExecArray);
  }
  const reason = picked.map((f) => f[0].replace(REQUEST_WORDS, "")).filter(Boolean).join("，").replace(REASON_LEAD, "").trim();
  if ([...reason].length < 2) return undefined;
  return { text: reason.slice(0, 300), spans: picked.map((f) => ({ index: f.index, end: f.index + f[0].length })) };
}
