// Clicks on visit cards: undo a recorded visit; pick/create the customer for a pending one.
import { AppError } from "../core/app-error.ts";
import { normalizeCompanyName } from "../nlu/index.ts";
import type { Card } from "../core/card.ts";
import { pickCancelledCard, pickDoneCard } from "../../cards/pick-customer.card.ts";
import { visitUndoneCard } from "../../cards/visit-confirm.card.ts";
import { undoVisit } from "../domain/activities/visit.service.ts";
import type { CardRow } from "../domain/cards/card.repo.ts";
import { getPendingAction, resolvePendingAction } from "../domain/pending/pending-action.repo.ts";
import type { HandlerContext } from "./handler-context.ts";
import { recordAndConfirm, type PendingVisit } from "./log-visit.handler.ts";

export async function handleUndoVisit(ctx: HandlerContext, card: CardRow): Promise<void> {
  if (!card.subjectId) throw new AppError("card_broken", "这张卡片缺少记录信息，无法撤销。");
  const r = await undoVisit(ctx.tx, card.subjectId, ctx.user, ctx.eventId);
  await ctx.out.updateCard(card, visitUndoneCard(card.view as unknown as Card), "decided");
  ctx.out.replyText(`已撤销对「${r.customerName}」的记录${r.cancelledTasks ? `，并取消了 ${r.cancelledTasks} 个跟进提醒` : ""}。`);
}

export async function handlePickCustomer(ctx: HandlerContext, card: CardRow, arg: string | undefined): Promise<void> {
  const pending = await loadPending(ctx, card);
  const visit = pending.payload as unknown as PendingVisit;
  let chosenName: string;
  if (arg === "new") {
    chosenName = visit.intent.customer.trim();
    await recordAndConfirm(ctx, visit.intent, visit.rawText, { newName: chosenName, normalizedName: normalizeCompanyName(chosenName) });
  } else {
    const picked = visit.candidates[Number(arg)];
    if (!picked) throw new AppError("bad_choice", "这个选项无效，请重新发送消息。");
    chosenName = picked.name;
    await recordAndConfirm(ctx, visit.intent, visit.rawText, { id: picked.id });
  }
  await ctx.out.updateCard(card, pickDoneCard(card.view as unknown as Card, `已选择「${chosenName}」并记录`), "decided");
}

export async function handleCancelPick(ctx: HandlerContext, card: CardRow): Promise<void> {
  await loadPending(ctx, card, "cancelled");
  await ctx.out.updateCard(card, pickCancelledCard(card.view as unknown as Card), "decided");
}

async function loadPending(ctx: HandlerContext, card: CardRow, outcome: "confirmed" | "cancelled" = "confirmed") {
  const pending = card.subjectId ? await getPendingAction(ctx.tx, card.subjectId) : null;
  if (!pending || pending.userId !== ctx.user.id) throw new AppError("pending_missing", "没有找到这条待确认的内容。");
  if (pending.expiresAt < ctx.now) throw new AppError("pending_expired", "这张卡片已过期，请重新发送消息。");
  if (!(await resolvePendingAction(ctx.tx, pending.id, outcome))) throw new AppError("pending_done", "这张卡片已经处理过了。");
  return pending;
}
