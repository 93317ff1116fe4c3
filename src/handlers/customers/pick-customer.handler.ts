// Clicks on a "which customer?" card. The card was asked for a pending request (a visit to record, a profile
// to show, a pool customer to claim); the choice resumes it. Picking a candidate for a name that did not match
// at once teaches the bot that name as an alias, so the next message with it matches directly.
import { AppError } from "../../core/app-error.ts";
import type { Card } from "../../core/card.ts";
import { pickCancelledCard, pickDoneCard } from "../../../cards/customers/pick-customer.card.ts";
import type { CardRow } from "../../domain/cards/card.repo.ts";
import { addCustomerAlias } from "../../domain/customers/customer.repo.ts";
import { getPendingAction, resolvePendingAction } from "../../domain/pending/pending-action.repo.ts";
import { normalizeCompanyName } from "../../nlu/index.ts";
import { claimAndReply, type PendingClaim } from "../pool/claim-customer.handler.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { recordAndConfirm, type PendingVisit } from "../visits/log-visit.handler.ts";
import { showCustomerProfile, type PendingLookup } from "./lookup-customer.handler.ts";

export async function handlePickCustomer(ctx: HandlerContext, card: CardRow, arg: string | undefined): Promise<void> {
  const pending = await loadPending(ctx, card);
  const request = pending.payload as unknown as PendingVisit | PendingLookup | PendingClaim;
  const query = pending.kind === "log_visit" ? (request as PendingVisit).intent.customer.trim() : (request as PendingLookup | PendingClaim).query;
  let chosenName: string;
  if (arg === "new") {
    if (pending.kind !== "log_visit") throw new AppError("bad_choice", "这个选项无效，请重新发送消息。");
    chosenName = query;
    const visit = request as PendingVisit;
    await recordAndConfirm(ctx, visit.intent, visit.rawText, { newName: chosenName, normalizedName: normalizeCompanyName(chosenName) });
  } else {
    const picked = request.candidates[Number(arg)];
    if (!picked) throw new AppError("bad_choice", "这个选项无效，请重新发送消息。");
    chosenName = picked.name;
    let used = true;
    if (pending.kind === "log_visit") {
      const visit = request as PendingVisit;
      await recordAndConfirm(ctx, visit.intent, visit.rawText, { id: picked.id });
    } else if (pending.kind === "claim_customer") {
      await claimAndReply(ctx, picked.id); // refused (taken meanwhile, a limit): nothing changes, the card stays open
    } else {
      used = await showCustomerProfile(ctx, picked.id, picked.name);
    }
    // Only the owner's (or a pool customer's) pick teaches an alias; see addCustomerAlias.
    if (used) await addCustomerAlias(ctx.tx, picked.id, normalizeCompanyName(query), ctx.user.id, ctx.eventId);
  }
  const done = pending.kind === "log_visit" ? `已选择「${chosenName}」并记录` : pending.kind === "claim_customer" ? `已领取「${chosenName}」` : `已选择「${chosenName}」`;
  await ctx.out.updateCard(card, pickDoneCard(card.view as unknown as Card, done), "decided");
}

export async function handleCancelPick(ctx: HandlerContext, card: CardRow): Promise<void> {
  await loadPending(ctx, card, "cancelled");
  await ctx.out.updateCard(card, pickCancelledCard(card.view as unknown as Card), "decided");
}

async function loadPending(ctx: HandlerContext, card: CardRow, outcome: "confirmed" | "cancelled" = "confirmed") {
  const pending = card.subjectId ? await getPendingAction(ctx.tx, card.subjectId) : null;
  if (!pending || pending.userId !== ctx.user.id) throw new AppError("pending_missing", "没有找到这条待确认的内容。");
  if (pending.expiresAt < ctx.now) throw new AppError("pending_expired", "这张卡片已过期，请重新发送消息。");
  if (!(await resolvePendingAction(ctx.tx, pending.id, outcome, ctx.now))) throw new AppError("pending_done", "这张卡片已经处理过了。");
  return pending;
}
