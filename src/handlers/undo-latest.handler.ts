// "撤销" typed as text: undo the person's most recent visit that still can be (the card button's twin).
import { AppError } from "../core/app-error.ts";
import { latestActiveCard } from "../domain/cards/card.repo.ts";
import type { HandlerContext } from "./handler-context.ts";
import { handleUndoVisit } from "./visit-actions.handler.ts";

export async function undoLatestVisit(ctx: HandlerContext): Promise<void> {
  const card = await latestActiveCard(ctx.tx, ctx.user.id, "visit_confirm");
  if (!card) throw new AppError("nothing_to_undo", "没有可以撤销的记录。");
  await handleUndoVisit(ctx, card);
}
