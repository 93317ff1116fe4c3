/**
 * The structured result of understanding one chat message. Both the rule parser and the LLM parser
 * produce exactly this shape; handlers downstream only ever see validated values.
 *
 * Conventions: dates are ISO-8601 strings with an offset ("2026-12-02T09:00:00+08:00"), money is in
 * yuan, `discount` is the fraction taken off (0.1 for 9折), order numbers look like SO-20261123-001.
 */
import { z } from "zod";

/** ISO-8601 date-time with an explicit offset (or Z); seconds optional. */
export const IsoDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/, "ISO-8601 date-time with offset")
  .refine((s) => !Number.isNaN(Date.parse(s)), "not a real date")
  .describe("ISO-8601 date-time with offset, e.g. 2026-12-02T09:00:00+08:00");

export const ORDER_NO_PATTERN = /^SO-\d{8}-\d{3,4}$/;
export const OrderNoSchema = z.string().regex(ORDER_NO_PATTERN).describe("order number like SO-20261123-001");

const name = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);
const positive = z.number().finite().positive();
const money = z.number().finite().nonnegative().max(1e12).describe("amount in yuan");

/** 同意 / 缺货 电机A只有10台 with no number: the one order waiting for this person is meant (asked when several). */
const ImpliedOrder = OrderNoSchema.optional().describe("order number like SO-20261123-001; omit when the message names none");

export const OrderItemSchema = z.object({
  product: text(100),
  quantity: positive,
  /** The measure word as typed (200米 → 米); the order engine refuses one that is not the price list's unit. */
  unit: text(10).optional().describe("the unit the quantity was written in, as typed (台, 米, 卷, kg); omit when none was written"),
  unit_price: money.optional(),
});
export type OrderItem = z.infer<typeof OrderItemSchema>;

/** A price asked for a count (电机A 200台多少钱 → the total) or in a unit (电缆按米多少钱 → that unit's line of the list). */
export const PriceItemSchema = z.object({
  product: text(100),
  quantity: positive.max(1e9).optional().describe("the count asked about (200台 → 200); omit when none was written"),
  unit: text(10).optional().describe("the unit written with the count or asked in (台, 米, 卷), as typed; omit when none was written"),
});
export type PriceItem = z.infer<typeof PriceItemSchema>;

export const LogVisitSchema = z.object({
  intent: z.literal("log_visit"),
  customer: name,
  contact: text(50).optional(),
  summary: text(1000),
  next_action: text(200).optional(),
  due: IsoDateTimeSchema.optional(),
  /** When the visit or call happened, if the message says so (昨天下午, 上周五); absent means just now. */
  occurred: IsoDateTimeSchema.optional(),
  quantity: positive.optional(),
  amount: money.optional(),
  kind: z.enum(["visit", "call", "message"]).optional(),
});

export const IntentSchema = z.discriminatedUnion("intent", [
  LogVisitSchema,
  z.object({ intent: z.literal("lookup_customer"), customer: name }),
  z.object({ intent: z.literal("list_todos") }),
  z.object({ intent: z.literal("complete_task"), task: text(100).optional() }),
  z.object({ intent: z.literal("snooze_task"), task: text(100).optional(), until: IsoDateTimeSchema }),
  z.object({
    intent: z.literal("place_order"),
    customer: name,
    items: z.array(OrderItemSchema).min(1).max(50),
    discount: z.number().gt(0).lt(1).optional().describe("fraction taken off: 0.1 for 9折"),
    reason: text(300).optional().describe("why the rep asks for this price or discount, as written"),
  }),
  z.object({
    intent: z.literal("confirm_shipment"),
    order: ImpliedOrder,
    carrier: text(30).optional(),
    tracking_no: z.string().regex(/^[A-Z0-9-]{6,30}$/).optional(),
    quantity: positive.optional(),
  }),
  z.object({ intent: z.literal("report_shipment_problem"), order: ImpliedOrder, reason: text(300) }),
  z.object({
    intent: z.literal("decide_approval"),
    order: ImpliedOrder,
    decision: z.enum(["approve", "reject"]),
    reason: text(300).optional(),
  }),
  z.object({ intent: z.literal("claim_customer"), customer: name }),
  /**
   * 价格表 / 电机A多少钱 / 变频器 单价: list prices; products as written, none for the whole list. items: the goods asked
   * with a count (电机A 200台多少钱: the total) or a unit (电缆按米多少钱: that unit's line), each also in products.
   */
  z.object({
    intent: z.literal("price_list"),
    products: z.array(text(100)).min(1).max(20).optional().describe("the goods named, as written; omit for the whole price list"),
    items: z.array(PriceItemSchema).min(1).max(20).optional().describe("the goods asked with a count or a unit (电机A 200台多少钱, 电缆按米多少钱); omit when none was written"),
  }),
  z.object({ intent: z.literal("show_metrics"), period: z.enum(["today", "week", "month"]).optional() }),
  z.object({ intent: z.literal("help") }),
  z.object({ intent: z.literal("unknown") }),
]);

export type Intent = z.infer<typeof IntentSchema>;
export type IntentName = Intent["intent"];
export type IntentOf<N extends IntentName> = Extract<Intent, { intent: N }>;

export const INTENT_NAMES = IntentSchema.options.map((o) => o.shape.intent.value) as IntentName[];
