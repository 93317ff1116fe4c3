// Cards we sent: looked up when a click comes back, updated after a decision.
import type { Card } from "../../core/card.ts";
import type { Prisma, Tx } from "../tx.ts";

const json = (c: Card) => JSON.parse(JSON.stringify(c)) as Prisma.InputJsonValue;

export async function saveCard(
  tx: Tx,
  card: Card,
  meta: { recipientId: string; platform: string; subjectType?: string; subjectId?: string; expiresAt?: Date; conversation?: unknown },
): Promise<void> {
  await tx.card.create({
    data: {
      ref: card.ref,
      purpose: card.purpose,
      recipientId: meta.recipientId,
      platform: meta.platform,
      subjectType: meta.subjectType ?? null,
      subjectId: meta.subjectId ?? null,
      expiresAt: meta.expiresAt ?? null,
      view: json(card),
      ...(meta.conversation ? { conversation: JSON.parse(JSON.stringify(meta.conversation)) as Prisma.InputJsonValue } : {}),
    },
  });
}

export async function findCard(tx: Tx, ref: string) {
  return tx.card.findUnique({ where: { ref } });
}
export type CardRow = NonNullable<Awaited<ReturnType<typeof findCard>>>;

export async function cardsFor(tx: Tx, subjectType: string, subjectId: string) {
  return tx.card.findMany({ where: { subjectType, subjectId } });
}

export async function updateCardView(tx: Tx, ref: string, card: Card, status: "active" | "decided" | "expired"): Promise<void> {
  await tx.card.update({ where: { ref }, data: { view: json(card), status } });
}

/** A one-shot update code is used up once an update has been queued with it. */
export async function setResponseCode(tx: Tx, ref: string, responseCode: string | null): Promise<void> {
  await tx.card.update({ where: { ref }, data: { responseCode } });
}

/** Called when a card was delivered: remember how the platform knows it. */
export async function recordCardDelivery(tx: Tx, ref: string, externalId: string | undefined, responseCode: string | undefined): Promise<void> {
  await tx.card.updateMany({
    where: { ref },
    data: { ...(externalId ? { externalId } : {}), ...(responseCode ? { responseCode } : {}) },
  });
}

export async function latestActiveCard(tx: Tx, recipientId: string, purpose: string) {
  return tx.card.findFirst({ where: { recipientId, purpose, status: "active" }, orderBy: { createdAt: "desc" } });
}

/** Whether a card of this purpose went to the person since a moment (e.g. today's greeting). */
export async function cardSentSince(tx: Tx, recipientId: string, purpose: string, since: Date): Promise<boolean> {
  return (await tx.card.count({ where: { recipientId, purpose, createdAt: { gte: since } } })) > 0;
}

/** The person's most recent card of this purpose, whatever its state. */
export async function latestCard(tx: Tx, recipientId: string, purpose: string) {
  return tx.card.findFirst({ where: { recipientId, purpose }, orderBy: { createdAt: "desc" } });
}
