// The one way a handler asks "which customer?": keep the parsed request as a pending action, send the pick
// card for it. pick-customer.handler.ts resumes the request by its kind when the person chooses.
import { newCardRef } from "../../../cards/card-ref.ts";
import { pickCustomerCard, type PickCustomerView } from "../../../cards/customers/pick-customer.card.ts";
import { createPendingAction } from "../../domain/pending/pending-action.repo.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** How long a pick card can be answered. */
const PICK_TTL_MS = 24 * 3600_000;

export type PendingKind = "log_visit" | "lookup_customer" | "claim_customer";

export async function askWhichCustomer(ctx: HandlerContext, kind: PendingKind, payload: unknown, view: Omit<PickCustomerView, "ref">): Promise<void> {
  const action = await createPendingAction(ctx.tx, ctx.user.id, kind, payload, new Date(ctx.now.getTime() + PICK_TTL_MS));
  await ctx.out.replyCard(pickCustomerCard({ ref: newCardRef(), ...view }), { subjectType: "pending_action", subjectId: action.id, expiresAt: action.expiresAt });
}
