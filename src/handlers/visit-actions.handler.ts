// Clicks on the visit confirmation card: undo a recorded visit.
import { AppError } from "../core/app-error.ts";
import type { Card } from "../core/card.ts";
import { visitUndoneCard } from "../../cards/visit-confirm.card.ts";
import { undoVisit } from "../domain/activities/visit.service.ts";
import type { CardRow } from "../domain/cards/card.repo.ts";
import type { HandlerContext } from "./handler-context.ts";

export async function handleUndoVisit(ctx: HandlerContext, card: CardRow): Promise<void> {
  if (!card.subjectId) throw new AppError("card_broken", "这张卡片缺少记录信息，无法撤销。");
  const r = await undoVisit(ctx.tx, card.subjectId, ctx.user, ctx.now, ctx.eventId);
  await ctx.out.updateCard(card, visitUndoneCard(card.view as unknown as Card), "decided");
  ctx.out.replyText(`已撤销对「${r.customerName}」的记录${r.cancelledTasks ? `，并取消了 ${r.cancelledTasks} 个跟进提醒` : ""}。`);
}
