// The visit confirmation card: undo a recorded visit, or correct one field of it (修改 → "改 跟进 周五下午3点").
import { AppError } from "../../core/app-error.ts";
import { formatLocal } from "../../core/local-time.ts";
import { formatCny } from "../../core/money.ts";
import { visitConfirmCard, visitConfirmSpec, visitUndoneCard } from "../../../cards/visits/visit-confirm.card.ts";
import { editVisit, visitForCard } from "../../domain/visits/visit-edit.service.ts";
import { undoVisit } from "../../domain/visits/visit.service.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import { latestCard, updateCardView, type CardRow } from "../../domain/cards/card.repo.ts";
import { gluedVisitCorrection, parseVisitCorrection, type VisitCorrection } from "../../nlu/index.ts";
import { assertSalesSide } from "../../domain/users/roles.ts";
import { aboutOrderFields, refuseForRecentOrder, withoutEditFiller } from "../orders/order-edit-answer.ts";
import { defineCardKind, latestOpenCardOf } from "../engine/card-kind.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** The visit confirmation card: 修改 explains how to correct, 撤销 (or typed 撤销/撤回) undoes the visit. */
export const visitConfirmKind = defineCardKind(visitConfirmSpec, {
  actions: {
    undo: { run: (ctx, card) => handleUndoVisit(ctx, card) },
    edit: { run: (ctx) => handleEditHelp(ctx) },
  },
  typed: [{ pattern: /^(撤销|撤回)$/, verb: "undo", find: latestOpenCardOf(visitConfirmSpec.purpose), nothing: "没有可以撤销的记录。" }],
});

export async function handleUndoVisit(ctx: HandlerContext, card: CardRow): Promise<void> {
  if (!card.subjectId) throw new AppError("card_broken", "这张卡片缺少记录信息，无法撤销。");
  const r = await undoVisit(ctx.tx, card.subjectId, ctx.user, ctx.now, ctx.eventId);
  await ctx.out.updateCard(card, visitUndoneCard(card.view), "decided");
  ctx.out.replyText(`已撤销对「${r.customerName}」的记录${r.cancelledTasks ? `，并取消了 ${r.cancelledTasks} 个跟进提醒` : ""}${r.reopenedTasks ? `，它替代的 ${r.reopenedTasks} 个跟进已恢复` : ""}。`);
}

export const CORRECTION_HELP =
  "要改哪一项？直接回复，例如：\n改 跟进 下周五下午3点\n改 联系人 李总\n改 数量 300\n改 金额 5万\n改 下一步 带样品过去\n改 纪要 客户要求先寄样品\n改错了客户请点「撤销」后重新发送。";

/** "改联系人王总": the correction syntax, with the command meant spelled out; nothing changes. */
export function handleGluedCorrection(ctx: HandlerContext, text: string): void {
  assertSalesSide(ctx.user, "修改拜访记录");
  const glued = gluedVisitCorrection(text);
  const meant = glued ? `改 ${glued.field} ${glued.value}` : "改 联系人 王总";
  ctx.out.replyText(`修改刚记录的拜访时，要改的项目和新内容之间要有空格。是要这样改吗？请发送：\n${meant}\n\n${CORRECTION_HELP}`);
}

export function handleEditHelp(ctx: HandlerContext): void {
  ctx.out.replyText(CORRECTION_HELP);
}

const PROBLEMS: Record<string, string> = {
  bad_date: "没看懂新的跟进时间，例如：改 跟进 下周五下午3点",
  past_date: "跟进时间要在现在之后，例如：改 跟进 明天上午10点",
  bad_number: "数量要是正整数，例如：改 数量 300",
  bad_money: "没看懂金额，例如：改 金额 5万",
};

/** Corrections apply to the visit just recorded, not to one from days ago. */
const CORRECTION_WINDOW_MS = 24 * 3600_000;

/** "改 跟进 周五下午3点": applies to the person's most recent visit confirmation, if it still stands and is recent. */
export async function handleCorrectVisit(ctx: HandlerContext, text: string): Promise<void> {
  const latest = await latestCard(ctx.tx, ctx.user.id, "visit_confirm");
  const active = latest?.subjectId && latest.status === "active" ? { ...latest, subjectId: latest.subjectId } : null;
  const before = active ? await visitForCard(ctx.tx, active.subjectId) : null;
  const tooLate = !!before && ctx.now.getTime() - before.occurredAt.getTime() > CORRECTION_WINDOW_MS;
  // Nothing to correct, or 改 数量 … after an order placed since the visit: the answer is about that order
  // (its number, why it cannot change, what works instead). A visit newer than the order is corrected as before.
  if (!active || tooLate || aboutOrderFields(text)) await refuseForRecentOrder(ctx, text);
  if (!active || !before) {
    throw new AppError("nothing_to_correct", "没有可以修改的拜访记录。先记录一次拜访，再发送「改 …」。");
  }
  if (tooLate) {
    throw new AppError("correction_too_late", `最近一条拜访（${formatLocal(before.occurredAt, ctx.timeZone)}，${before.customer.name}）已超过24小时，不能再修改；可以重新记录一次。`);
  }
  const card = active;
  const parsed = parseVisitCorrection(withoutEditFiller(text), { now: ctx.now, timeZone: ctx.timeZone });
  if (!parsed.ok) throw new AppError("bad_correction", PROBLEMS[parsed.problem] ?? CORRECTION_HELP);
  const c = parsed.correction;
  await editVisit(ctx.tx, card.subjectId, c.field === "due" ? { field: "due", value: new Date(c.value) } : c, ctx.user, ctx.now, ctx.eventId);

  const v = await visitForCard(ctx.tx, card.subjectId);
  const view = (ref: string) =>
    visitConfirmCard({
      ref,
      customerName: v.customer.name,
      newCustomer: v.createdCustomer,
      inPool: v.customer.ownerId === null,
      contact: v.contact?.name,
      summary: v.summary,
      quantity: v.quantity ?? undefined,
      amount: v.amount ?? undefined, // the Decimal itself: never through a float
      nextAction: v.nextAction ?? undefined,
      dueAt: v.tasks[0]?.dueAt,
      kind: v.kind,
      timeZone: ctx.timeZone,
    });
  ctx.out.replyText(`已修改「${v.customer.name}」的记录：${describe(c, ctx.timeZone)}`);
  if (ctx.out.canUpdateInPlace(card)) {
    await ctx.out.updateCard(card, view(card.ref), "active");
  } else {
    // The old card cannot be changed where the person sees it: retire it and send the corrected one.
    const old = card.view;
    await updateCardView(ctx.tx, card.ref, { ...old, buttons: [], textCommands: [], status: { text: "已修改，见新的记录卡片", tone: "info" } }, "decided");
    await ctx.out.replyCard(view(newCardRef()), { subjectType: "activity", subjectId: card.subjectId });
  }
}

function describe(c: VisitCorrection, timeZone: string): string {
  switch (c.field) {
    case "due": return `下次跟进 → ${formatLocal(new Date(c.value), timeZone)}`;
    case "contact": return `联系人 → ${c.value}`;
    case "quantity": return `需求数量 → ${c.value}`;
    case "amount": return `金额 → ${formatCny(c.value)}`;
    case "next_action": return `下一步 → ${c.value}`;
    case "summary": return "纪要已更新";
  }
}
