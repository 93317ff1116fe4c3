// "下单 华东机电 电机A 200台 单价4500" → products matched to the price list, the customer resolved (asked on a
// card when unclear; a new customer only after confirmation; a colleague's refused) → the order engine prices,
// checks and places it → the rep's order card, and an approval card to the first approver when needed.
// Free text read as an order without an explicit 下单 first gets a draft card, so a misunderstanding never
// becomes an order; so does a possible duplicate.
import { z } from "zod";
import { newCardRef } from "../../../cards/card-ref.ts";
import { orderDraftCard, orderDraftSpec } from "../../../cards/orders/order-draft.card.ts";
import { pickProductCard, pickProductSpec } from "../../../cards/orders/pick-product.card.ts";
import { AppError } from "../../core/app-error.ts";
import { decidedCard } from "../../core/card.ts";
import { formatCny, formatDiscount, money, moneyText } from "../../core/money.ts";
import { audit } from "../../domain/audit/audit.repo.ts";
import { createCustomer, customerOwners, getCustomer } from "../../domain/customers/customer.repo.ts";
import { activePriceList, listProducts, previewOrder } from "../../domain/orders/order.service.ts";
import { matchProductLine, productSkusOf } from "../../domain/orders/product-match.ts";
import { lineForUnit, unitAgrees, unitMismatchText } from "../../domain/orders/units.ts";
import { latestActiveCard } from "../../domain/cards/card.repo.ts";
import { looksLikeVisitCorrection, normalizeCompanyName, parseOrderCorrection, type IntentOf, type OrderCorrection } from "../../nlu/index.ts";
import { askWhichCustomer, defineCustomerPick, PickBaseSchema, resolveCustomer, teachAlias } from "../customers/which-customer.ts";
import { defineCardKind } from "../engine/card-kind.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { definePending, openPending, takePending } from "../engine/pending.ts";
import { refuseForRecentOrder, withoutEditFiller } from "./order-edit-answer.ts";
import { totalsOfPriced } from "./order-views.ts";
import { resubmitWith } from "./resubmit-order.handler.ts";
import { requestOf, submitOrder } from "./submit-order.ts";

/** Words that make a message an explicit order: submitted at once when everything is resolved. */
const EXPLICIT = /^(?:请|麻烦)?(?:帮我)?(?:下单|下个单|下个订单|下一单|报单|报个单|新单|补单|下但)/;

// unit: as the rep typed it (200米), checked against the list's by the order engine; absent = the list's unit.
const ItemSchema = z.object({ sku: z.string(), name: z.string(), quantity: z.number().int().positive(), unit: z.string().optional(), unitPrice: z.string().optional() });
export const OrderDraftSchema = z.object({
  items: z.array(ItemSchema).min(1),
  discount: z.string().optional(),
  reason: z.string().optional(),
  explicit: z.boolean(),
  /** A rejected order amended on this draft: 提交 resubmits it under its own number instead of placing a new one. */
  resubmitOf: z.string().optional(),
});
export type OrderDraft = z.infer<typeof OrderDraftSchema>;

export function mayOrder(roles: readonly string[]): boolean {
  return roles.some((r) => r === "rep" || r === "manager" || r === "director");
}

/** The order as understood, before its products and customer are resolved (kept while a product is asked). */
const RequestedSchema = z.object({
  customer: z.string(),
  items: z.array(z.object({ product: z.string(), sku: z.string().optional(), quantity: z.number(), unit: z.string().optional(), unitPrice: z.string().optional() })).min(1),
  discount: z.string().optional(),
  reason: z.string().optional(),
  explicit: z.boolean(),
});
type Requested = z.infer<typeof RequestedSchema>;

export async function handlePlaceOrder(ctx: HandlerContext, intent: IntentOf<"place_order">, text: string): Promise<void> {
  if (!mayOrder(ctx.user.roles)) throw new AppError("order_not_allowed", "只有销售、经理和总监可以下单，这条消息没有记录任何内容。");
  await continueOrder(ctx, {
    customer: intent.customer.trim(),
    items: intent.items.map((i) => ({ product: i.product, quantity: i.quantity, ...(i.unit ? { unit: i.unit } : {}), ...(i.unit_price !== undefined ? { unitPrice: moneyText(i.unit_price) } : {}) })),
    ...(intent.discount !== undefined ? { discount: money(intent.discount).toFixed(4) } : {}),
    ...(intent.reason ? { reason: intent.reason } : {}),
    explicit: EXPLICIT.test(text.trim()),
  });
}

/** Products first (an unclear one is asked on a card), then the customer. */
async function continueOrder(ctx: HandlerContext, req: Requested): Promise<void> {
  const items = await matchItems(ctx, req);
  if (!items) return; // asked which product
  const draft: OrderDraft = { items, ...(req.discount ? { discount: req.discount } : {}), ...(req.reason ? { reason: req.reason } : {}), explicit: req.explicit };
  const name = req.customer;
  const found = await resolveCustomer(ctx, name, "own_or_pool");
  if (found.kind === "exact" && found.sameName) return withCustomer(ctx, found.id, draft);
  if (found.kind === "exact") {
    // Money is at stake: a 简称 or a one-character difference (恒力泵阀 / 恒力泵业) may be another company, so it is
    // confirmed on the card first; picking it teaches the name as an alias, and the next order goes straight through.
    await askWhichCustomer(ctx, orderPick, { query: name, candidates: [{ id: found.id, name: found.name }], ...draft }, `「${name}」和已有客户「${found.name}」很像，是同一家吗？`);
    return;
  }
  // Nothing close enough: the nearest existing names are still offered beside 新建 (a typo, a 简称, voice input).
  const candidates = found.kind === "ask" ? found.candidates : found.closest;
  const note = found.kind === "ask" && found.hidden > 0 ? "有名称相近的客户由其他同事负责；如果是同一家，请联系经理转交。" : undefined;
  await askWhichCustomer(ctx, orderPick, { query: name, candidates, ...draft }, note, found.kind === "none");
}

/**
 * Every item against the price list: unknown → refused with the closest names; several close products → the
 * first unclear one is asked on a card (returns null), and the order goes on once the rep has picked; a typed unit
 * that is not the product's (电缆 200米, sold by the 卷) → refused at once, before the customer is asked about (the
 * order engine refuses it again at placing, whatever path the order took).
 */
async function matchItems(ctx: HandlerContext, req: Requested): Promise<OrderDraft["items"] | null> {
  const products = await listProducts(ctx.tx);
  const out: OrderDraft["items"] = [];
  for (const [index, item] of req.items.entries()) {
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
      throw new AppError("bad_quantity", `「${item.product}」的数量 ${item.quantity} 不是正整数，请写整数，例如：${item.product} 200台`);
    }
    const chosen = item.sku ? products.find((p) => p.sku === item.sku) : undefined;
    const m = chosen ? { kind: "exact" as const, product: chosen } : matchProductLine(item.product, item.unit, products);
    if (m.kind === "unit_not_listed") throw new AppError("unit_mismatch", unitMismatchText(m.name, m.lines.map((l) => l.unit), item.unit!, req.customer));
    if (m.kind === "units") {
      // 电缆 5 with 电缆 listed by the 卷 and by the 米: which line (its own list price) is asked, never guessed.
      const prices = new Map((await activePriceList(ctx.tx, ctx.now)).map((p) => [p.sku, p.price]));
      const candidates = m.lines.slice(0, 4).map((l) => ({ sku: l.sku, name: `${l.name} ${String(item.quantity)}${l.unit}` }));
      const pending = await openPending(ctx, productPending, { ...req, index, candidates });
      const shown = m.lines.slice(0, 4).map((l, i) => {
        const price = prices.get(l.sku);
        return { ...candidates[i]!, ...(price ? { detail: `${formatCny(price)}/${l.unit}` } : {}) };
      });
      await ctx.out.replyCard(pickProductCard({ ref: newCardRef(), written: item.product, candidates: shown, unitOf: m.name }), { subjectType: "pending_action", subjectId: pending.id, expiresAt: pending.expiresAt });
      return null;
    }
    if (m.kind === "none") {
      throw new AppError("unknown_product", `价格表里没有「${item.product}」${m.closest.length ? `，是不是：${m.closest.join("、")}？` : "。"}请用价格表里的名称重新下单。`);
    }
    if (m.kind === "ambiguous") {
      const candidates = m.candidates.slice(0, 4).map((c) => ({ sku: c.sku, name: c.name }));
      const pending = await openPending(ctx, productPending, { ...req, index, candidates });
      await ctx.out.replyCard(pickProductCard({ ref: newCardRef(), written: item.product, candidates }), { subjectType: "pending_action", subjectId: pending.id, expiresAt: pending.expiresAt });
      return null;
    }
    if (!unitAgrees(item.unit, m.product.unit)) throw new AppError("unit_mismatch", unitMismatchText(m.product.name, m.product.unit, item.unit!, req.customer));
    out.push({ sku: m.product.sku, name: m.product.name, quantity: item.quantity, ...(item.unit ? { unit: item.unit } : {}), ...(item.unitPrice !== undefined ? { unitPrice: item.unitPrice } : {}) });
  }
  return out;
}

/** An order waiting while the rep says which product they meant. */
const productPending = definePending<z.infer<typeof ProductPendingSchema>, number>({
  kind: "order_product",
  schema: z.lazy(() => ProductPendingSchema),
  ttlMs: 24 * 3600_000,
  resume: async (ctx, data, choice) => {
    const picked = data.candidates[choice];
    if (!picked) throw new AppError("bad_choice", "这个选项无效，请重新发送消息。");
    const { index, candidates: _c, ...req } = data;
    await continueOrder(ctx, { ...req, items: req.items.map((it, i) => (i === index ? { ...it, sku: picked.sku } : it)) });
  },
});
const ProductPendingSchema = RequestedSchema.extend({ index: z.number().int().min(0), candidates: z.array(z.object({ sku: z.string(), name: z.string() })).min(1) });

export const pickProductKind = defineCardKind(pickProductSpec, {
  actions: {
    pick: {
      run: async (ctx, card, arg) => {
        const { data } = await takePending(ctx, [productPending], card.subjectId, "confirmed");
        const picked = data.candidates[Number(arg)];
        await productPending.resume(ctx, data, Number(arg));
        await ctx.out.updateCard(card, decidedCard(card.view, `已选择「${picked?.name ?? ""}」`), "decided");
      },
    },
    cancel: {
      run: async (ctx, card) => {
        await takePending(ctx, [productPending], card.subjectId, "cancelled");
        await ctx.out.updateCard(card, decidedCard(card.view, "已取消，没有下单", "info"), "decided");
      },
    },
  },
  typed: [
    { pattern: /^选\s*([1-4])$/, verb: "pick", arg: (m) => String(Number(m[1]) - 1), nothing: "没有等待你选择的内容。" },
    { pattern: /^取消$/, verb: "cancel", nothing: "没有等待你确认的内容。" },
  ],
});

/** The order waits while the rep picks (or confirms a new) customer. */
export const orderPick = defineCustomerPick({
  kind: "place_order",
  schema: PickBaseSchema.extend(OrderDraftSchema.shape),
  allowNew: true,
  what: "下单",
  resume: async (ctx, data, choice) => {
    const { query, candidates: _c, ...draft } = data;
    if (choice.kind === "existing") {
      await withCustomer(ctx, choice.id, draft);
      await teachAlias(ctx, choice.id, query);
      return;
    }
    const c = await createCustomer(ctx.tx, { name: choice.name, normalizedName: normalizeCompanyName(choice.name), ownerId: ctx.user.id, createdById: ctx.user.id });
    await audit(ctx.tx, { actorId: ctx.user.id, action: "customer.create", entityType: "customer", entityId: c.id, after: c, eventId: ctx.eventId });
    await withCustomer(ctx, c.id, draft);
  },
  done: (choice) => `已选择「${choice.name}」`,
});

async function withCustomer(ctx: HandlerContext, customerId: string, draft: OrderDraft): Promise<void> {
  const owner = (await customerOwners(ctx.tx, [customerId])).get(customerId) ?? null;
  const customer = await getCustomer(ctx.tx, customerId);
  if (!customer) throw new AppError("customer_not_found", "没有找到这个客户。");
  if (owner === null) throw new AppError("order_pool_customer", `「${customer.name}」在公海中，先发送「领取 ${customer.name}」认领，再下单。`);
  if (owner !== ctx.user.id) throw new AppError("order_not_your_customer", `「${customer.name}」不是你的客户，不能为它下单；如需接手请联系经理转交。`);
  if (!draft.explicit) return showDraft(ctx, customerId, draft);
  const r = await submitOrder(ctx, customerId, draft, false);
  if (r.kind === "duplicate") await showDraft(ctx, customerId, draft, r.warning);
}

const DraftPendingSchema = OrderDraftSchema.extend({ customerId: z.string(), confirmDuplicate: z.boolean() });

/** A draft waiting for 提交 (or 取消). */
export const draftPending = definePending<z.infer<typeof DraftPendingSchema>, "submit">({
  kind: "order_draft",
  schema: DraftPendingSchema,
  ttlMs: 24 * 3600_000,
  resume: async (ctx, data) => {
    const { customerId, confirmDuplicate, ...draft } = data;
    if (draft.resubmitOf) return resubmitWith(ctx, draft.resubmitOf, draft);
    const r = await submitOrder(ctx, customerId, draft, confirmDuplicate);
    // A duplicate that appeared since the draft was shown: ask again, with the warning.
    if (r.kind === "duplicate") await showDraft(ctx, customerId, draft, r.warning);
  },
});

/** `notes`: what an edit changed beyond what was typed (a line now in another unit, at that unit's list price). */
export async function showDraft(ctx: HandlerContext, customerId: string, draft: OrderDraft, warning?: string, notes: readonly string[] = []): Promise<void> {
  const customer = await getCustomer(ctx.tx, customerId);
  const preview = totalsOfPriced(await previewOrder(ctx.tx, requestOf(customerId, draft, ctx.eventId), ctx.now, ctx.rules));
  const pending = await openPending(ctx, draftPending, { ...draft, customerId, confirmDuplicate: warning !== undefined });
  const card = orderDraftCard({
    ref: newCardRef(), customer: customer?.name ?? "", ...preview,
    ...(warning ? { warning } : {}), ...(notes.length ? { notes: [...notes] } : {}), ...(draft.resubmitOf ? { resubmitOf: draft.resubmitOf } : {}),
  });
  await ctx.out.replyCard(card, { subjectType: "pending_action", subjectId: pending.id, expiresAt: pending.expiresAt });
}

export const orderDraftKind = defineCardKind(orderDraftSpec, {
  actions: {
    submit: {
      run: async (ctx, card) => {
        const { data } = await takePending(ctx, [draftPending], card.subjectId, "confirmed");
        await ctx.out.updateCard(card, decidedCard(card.view, "已提交"), "decided");
        await draftPending.resume(ctx, data, "submit");
      },
    },
    cancel: {
      run: async (ctx, card) => {
        await takePending(ctx, [draftPending], card.subjectId, "cancelled");
        await ctx.out.updateCard(card, decidedCard(card.view, "已取消，没有下单", "info"), "decided");
      },
    },
  },
  typed: [
    { pattern: /^(提交|确认提交|确认下单)$/, verb: "submit", nothing: "没有等待提交的订单。" },
    { pattern: /^取消$/, verb: "cancel", nothing: "没有等待你确认的内容。" },
  ],
});

const CORRECTION_PROBLEMS: Record<string, string> = {
  bad_number: "数量要是正整数，例如：改 数量 300",
  bad_money: "没看懂单价，例如：改 单价 4500",
  bad_discount: "没看懂折扣，例如：改 折扣 9折",
};

/**
 * "改 数量 300" / "改 单价 4500" / "改 电机A 数量 300" / "改 折扣 9折" after a draft card: the open draft is replaced
 * by a corrected one (nothing is ordered until 提交). Not for this command when no draft is open, or a visit
 * was recorded after it ("pass": the visit correction takes it) — unless the rep's most recent thing is an order
 * and the text is no visit correction (改 单价 580, 改数量300米): then the answer is about that order
 * (order-edit-answer.ts). 改下数量 5卷 is 改 数量 5卷.
 */
export async function correctDraft(ctx: HandlerContext, text: string): Promise<void | "pass"> {
  const card = await latestActiveCard(ctx.tx, ctx.user.id, orderDraftSpec.purpose);
  const visit = card ? await latestActiveCard(ctx.tx, ctx.user.id, "visit_confirm") : null;
  if (!card || (visit && visit.createdAt > card.createdAt)) {
    // No draft to change. A visit correction (改 数量 300) goes on to the visit (which also answers about a newer
    // order); anything else (改 单价 580, 改数量300米) is answered about the rep's most recent order, if that is one.
    if (looksLikeVisitCorrection(withoutEditFiller(text))) return "pass";
    await refuseForRecentOrder(ctx, text);
    return "pass";
  }
  const parsed = parseOrderCorrection(withoutEditFiller(text));
  if (!parsed.ok) throw new AppError("bad_order_correction", CORRECTION_PROBLEMS[parsed.problem] ?? "要改哪一项？例如：改 数量 300、改 单价 4500、改 折扣 9折");
  const { data } = await takePending(ctx, [draftPending], card.subjectId, "cancelled");
  const { customerId, confirmDuplicate, ...draft } = data;
  const { draft: next, notes } = await applyCorrections(ctx, draft, [parsed.correction], "草稿");
  await ctx.out.updateCard(card, decidedCard(card.view, "已修改，见新的草稿", "info"), "decided");
  await showDraft(ctx, customerId, next, confirmDuplicate ? "（此前提示：24小时内可能已有相同订单。）" : undefined, notes);
}

/**
 * Corrections (改 数量 300, 单价 4500, 电机A 单价4800, 9折) applied to a draft or to a rejected order's lines: a product
 * named must be one of its lines (no line is added or removed); without one, the only line, or the product the
 * order has one line of. `where` names it in refusals (草稿 / 订单 SO-…).
 *
 * A count in the product's other unit (改 数量 300米 on 电缆 ordered by the 卷, with 电缆 also listed by the 米: another
 * SKU at its own list price) makes the line that unit's: its SKU, at that line's list price — a unit price written
 * for the old unit is dropped, never carried over, and `notes` says which price is used now. A unit the product is
 * not listed in is refused naming the units it has (a product with one unit: the order engine refuses it, as for
 * an order). A resubmission keeps its order's lines, so there the change of unit is refused (撤回 and order again).
 */
export async function applyCorrections(
  ctx: HandlerContext,
  draft: OrderDraft,
  corrections: readonly OrderCorrection[],
  where: string,
): Promise<{ draft: OrderDraft; notes: string[] }> {
  let next = draft;
  const notes: string[] = [];
  const needsProducts = corrections.some((c) => c.field !== "discount" && (c.product || (c.field === "quantity" && c.unit)));
  const products = needsProducts ? await listProducts(ctx.tx) : [];
  for (const c of corrections) {
    let items = next.items;
    if (c.field === "discount") {
      // An order-wide discount applies to lines without their own asked price.
      items = items.map(({ unitPrice: _u, ...rest }) => rest);
    } else {
      const index = correctedLine(c, items, products, where);
      const it = items[index]!;
      const switched = c.field === "quantity" && c.unit ? await lineInUnit(ctx, it, c.value, c.unit, { ...next, items }, products, where) : null;
      if (switched) notes.push(switched.note);
      // 改 数量 300米: the unit typed with it replaces the line's (the order engine refuses one that is not the list's).
      const changed: OrderDraft["items"][number] = switched
        ? switched.item
        : c.field === "quantity" ? { ...it, quantity: c.value, ...(c.unit ? { unit: c.unit } : {}) } : { ...it, unitPrice: moneyText(c.value) };
      items = items.map((x, i) => (i === index ? changed : x));
    }
    next = { ...next, items, ...(c.field === "discount" ? { discount: money(c.value).toFixed(4) } : {}) };
  }
  return { draft: next, notes };
}

type Product = Awaited<ReturnType<typeof listProducts>>[number];

/**
 * Which line a correction is about: the product named (with the unit written, the line in that unit when the
 * draft has the product in two units), else the only line.
 */
function correctedLine(c: Exclude<OrderCorrection, { field: "discount" }>, items: OrderDraft["items"], products: readonly Product[], where: string): number {
  if (!c.product) {
    if (items.length === 1) return 0;
    throw new AppError("bad_order_correction", `${where}里有 ${items.length} 个产品，请写明改哪一个，例如：改 ${items[0]!.name} 数量 300`);
  }
  const inDraft = products.filter((p) => items.some((i) => i.sku === p.sku));
  const m = matchProductLine(c.product, c.field === "quantity" ? c.unit : undefined, inDraft);
  if (m.kind === "exact") return items.findIndex((i) => i.sku === m.product.sku);
  if (m.kind === "unit_not_listed" && c.field === "quantity") {
    throw new AppError("unit_mismatch", otherUnitText(m.name, m.lines.map((l) => l.unit), c.unit!, `改 ${m.name} 数量 ${c.value}${m.lines[0]!.unit}`));
  }
  if (m.kind === "units" || m.kind === "unit_not_listed") {
    // The draft has the product in two units (电缆 5卷 and 电缆 100米): which line is said by the unit, or by the SKU.
    const example = c.field === "quantity" ? `改 ${m.name} 数量 ${c.value}${m.lines[0]!.unit}` : `改 ${m.lines[0]!.sku} 单价 ${String(c.value)}`;
    throw new AppError("bad_order_correction", `${where}里「${m.name}」有${m.lines.map((l) => `按${l.unit}`).join("和")}两行，请写明改哪一行，例如：${example}`);
  }
  throw new AppError("bad_order_correction", `${where}里没有「${c.product}」，请写${where}里的产品名（${items.map((i) => i.name).join("、")}）。`);
}

/** 电缆 按「卷」或「米」报价，您写的是「箱」。请按卷或米写，例如：改 电缆 数量 300卷 */
const otherUnitText = (name: string, units: readonly string[], typed: string, example: string) =>
  `${name} 按${units.map((u) => `「${u}」`).join("或")}报价，您写的是「${typed.trim()}」。请按${units.join("或")}写，例如：${example}`;

/**
 * 改 数量 300米 on a line whose product is also listed in that unit (another SKU): the line in that unit, at its list
 * price, and what to tell the rep; null when the unit is the line's own, or the product has one line only (the
 * order engine then judges the unit, as for any order).
 */
async function lineInUnit(
  ctx: HandlerContext,
  it: OrderDraft["items"][number],
  quantity: number,
  unit: string,
  draft: OrderDraft,
  products: readonly Product[],
  where: string,
): Promise<{ item: OrderDraft["items"][number]; note: string } | null> {
  const current = products.find((p) => p.sku === it.sku);
  if (!current || unitAgrees(unit, current.unit)) return null;
  const lines = productSkusOf(it.sku, products).flatMap((sku) => products.filter((p) => p.sku === sku));
  if (lines.length < 2) return null;
  const line = lineForUnit(unit, lines);
  if (!line) throw new AppError("unit_mismatch", otherUnitText(current.name, lines.map((l) => l.unit), unit, `改 ${current.name} 数量 ${it.quantity}${current.unit}`));
  if (draft.resubmitOf) {
    throw new AppError(
      "resubmit_lines",
      `重新提交只能改订单 ${draft.resubmitOf} 里产品的单价、数量和折扣：${current.name} 是按「${current.unit}」下的（${current.sku}），按「${line.unit}」是价格表的另一行（${line.sku}），不能换。要按${line.unit}下，请撤回 ${draft.resubmitOf} 后重新下单，例如：下单 … ${line.name} ${it.quantity}${line.unit}`,
    );
  }
  if (draft.items.some((x) => x !== it && x.sku === line.sku)) {
    throw new AppError("bad_order_correction", `${where}里已经有按${line.unit}的${line.name}（${line.sku}），请直接改那一行，例如：改 ${line.name} 数量 300${line.unit}`);
  }
  const price = (await activePriceList(ctx.tx, ctx.now)).find((p) => p.sku === line.sku)?.price;
  const note = [
    `${line.name} 改按「${line.unit}」（${line.sku}）：单价按价格表${price ? ` ${formatCny(price)}/${line.unit}` : ""}`,
    draft.discount !== undefined ? `，打整单的${formatDiscount(draft.discount)}` : "",
    it.unitPrice !== undefined ? `；之前写的 ${formatCny(it.unitPrice)}/${current.unit} 是按${current.unit}的价，没有沿用` : "",
    `。要另给单价，回复「改 ${draft.items.length > 1 ? `${line.name} ` : ""}单价 …」`,
  ].join("");
  return { item: { sku: line.sku, name: line.name, quantity, unit }, note };
}
