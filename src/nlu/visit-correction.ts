/**
 * Corrections to the visit just recorded, typed after the confirmation card: 改 跟进 下周五下午3点,
 * 改 联系人 李总, 改 数量 300, 改 金额 5万, 改 下一步 带样品过去, 改 纪要 …  Deterministic on purpose: a
 * correction must change exactly the field named, never be re-interpreted as a new visit.
 */
import { z } from "zod";
import { IsoDateTimeSchema } from "./intent.ts";
import type { ParseContext } from "./parser.ts";
import { findDateMentions, mentionToIso } from "./rules/dates.ts";
import { findMoney } from "./rules/money.ts";
import { parseNumber } from "./rules/numbers.ts";

export const VisitCorrectionSchema = z.discriminatedUnion("field", [
  z.object({ field: z.literal("due"), value: IsoDateTimeSchema }),
  z.object({ field: z.literal("contact"), value: z.string().trim().min(1).max(50) }),
  z.object({ field: z.literal("quantity"), value: z.number().int().positive().max(1e9) }),
  z.object({ field: z.literal("amount"), value: z.number().positive().max(1e12) }),
  z.object({ field: z.literal("next_action"), value: z.string().trim().min(1).max(200) }),
  z.object({ field: z.literal("summary"), value: z.string().trim().min(1).max(1000) }),
]);
export type VisitCorrection = z.infer<typeof VisitCorrectionSchema>;

const FIELD_WORDS: [RegExp, VisitCorrection["field"]][] = [
  [/^(?:下次跟进|跟进时间|跟进日期|提醒时间|跟进|时间|日期|提醒)$/, "due"],
  [/^(?:联系人|对接人)$/, "contact"],
  [/^(?:需求数量|数量)$/, "quantity"],
  [/^(?:金额|预算|总价)$/, "amount"],
  [/^(?:下一步|事项|待办)$/, "next_action"],
  [/^(?:纪要|内容|备注|摘要)$/, "summary"],
];
const FIELD_SRC = ["下次跟进", "跟进时间", "跟进日期", "提醒时间", "需求数量", "联系人", "对接人", "跟进", "时间", "日期", "提醒", "数量", "金额", "预算", "总价", "下一步", "事项", "待办", "纪要", "内容", "备注", "摘要"].join("|");
// The field word must be followed by a separator (space, 为/成/到/是, a colon or =): "改时间了，下周三再去X",
// "修改内容后再报价" and "改下一步计划" are ordinary messages, not corrections.
const COMMAND = new RegExp(`^(?:修改|更正|改)\\s*(${FIELD_SRC})(?:\\s*(?:改?为|改?成|到|是|[:：=])\\s*|\\s+)(\\S.*)$`, "s");
/** Whether the text is a correction command at all (then a failure to read it is an error, not a new visit). */
export function looksLikeVisitCorrection(text: string): boolean {
  const m = COMMAND.exec(text.trim());
  return !!m && FIELD_WORDS.some(([re]) => re.test(m[1]!));
}

// A correction typed without the space (改联系人王总, voice input often drops it): not read as a correction (the
// field word could run into the value), but answered with the syntax instead of "not understood". Only field
// words that never start an ordinary sentence, a short value and no sentence punctuation; 数量 is left to order
// drafts (改数量300).
const GLUED = /^(?:修改|更正|改)(联系人|对接人|需求数量|跟进时间|下次跟进|纪要|金额)([^\s，。,.!！?？；;]{1,20})$/;

/** 改联系人王总 → { field: "联系人", value: "王总" } (to suggest `改 联系人 王总`); anything else null. */
export function gluedVisitCorrection(text: string): { field: string; value: string } | null {
  const t = text.trim();
  if (looksLikeVisitCorrection(t)) return null;
  const m = GLUED.exec(t);
  if (!m) return null;
  const value = m[2]!.replace(/^(?:改?为|改?成|是|到)/, "");
  return value ? { field: m[1]!, value } : null;
}

export type CorrectionResult = { ok: true; correction: VisitCorrection } | { ok: false; problem: string };

export function parseVisitCorrection(text: string, ctx: ParseContext): CorrectionResult {
  const m = COMMAND.exec(text.trim());
  const field = m && FIELD_WORDS.find(([re]) => re.test(m[1]!))?.[1];
  if (!m || !field) return { ok: false, problem: "not_a_correction" };
  const raw = m[2]!.trim();
  let value: unknown = raw;
  if (field === "due") {
    const mention = findDateMentions(raw, ctx.now, ctx.timeZone).at(-1);
    if (!mention) return { ok: false, problem: "bad_date" };
    value = mentionToIso(mention, ctx.timeZone);
    if (new Date(value as string) <= ctx.now) return { ok: false, problem: "past_date" };
  } else if (field === "quantity") {
    const n = /^([\d,.]+|[零〇一二两三四五六七八九十百千万]+)\s*(万|千|百)?/.exec(raw);
    value = n ? parseNumber(n[1]!, n[2]) : NaN;
    if (!Number.isInteger(value) || (value as number) <= 0) return { ok: false, problem: "bad_number" };
  } else if (field === "amount") {
    const money = findMoney(raw)[0]?.value ?? parseNumber(raw.replace(/[元块¥￥\s]/g, ""));
    if (!Number.isFinite(money) || money <= 0) return { ok: false, problem: "bad_money" };
    value = money;
  }
  const parsed = VisitCorrectionSchema.safeParse({ field, value });
  return parsed.success ? { ok: true, correction: parsed.data } : { ok: false, problem: "invalid" };
}
