// Cards we sent. One row is one delivery (what one person sees on one platform); the deliveries of one logical
// card share a `thread`, so a decision can update every copy. Views are read back through CardSchema.
import { toJsonValue } from "../json.ts";
import { CardSchema, type Card } from "../../core/card.ts";
import { insertJsonRows, insertJsonRowsSoon } from "../plumbing/json-rows.repo.ts";
import { newRowId } from "../row-id.ts";
import type { Tx } from "../tx.ts";

export type CardStatus = "active" | "decided" | "expired";

export interface CardMetaInput {
  /** null: delivered to a group chat (then `conversation` says which). */
  recipientId: string | null;
  platform: string;
  thread?: string;
  subjectType?: string;
  subjectId?: string;
  expiresAt?: Date;
  conversation?: unknown;
}

const toJson = toJsonValue;

/** One delivery as a row (saveCard and saveCards write the same columns). */
function cardRow(card: Card, meta: CardMetaInput) {
  return {
    ref: card.ref,
    purpose: card.purpose,
    thread: meta.thread ?? null,
    recipientId: meta.recipientId,
    platform: meta.platform,
    subjectType: meta.subjectType ?? null,
    subjectId: meta.subjectId ?? null,
    expiresAt: meta.expiresAt ?? null,
    view: toJson(card),
    ...(meta.conversation ? { conversation: toJson(meta.conversation) } : {}),
  };
}

/** Written with the unit's last statement where the database allows (json-rows.repo.ts), not on a round trip of its own. */
export async function saveCard(tx: Tx, card: Card, meta: CardMetaInput): Promise<void> {
  const at = new Date();
  await insertJsonRowsSoon(tx, "Card", { ...CARD_COLUMNS, createdAt: "timestamptz", updatedAt: "timestamptz" }, [
    { id: newRowId(), ...cardRow(card, meta), conversation: meta.conversation ?? null, createdAt: at, updatedAt: at },
  ], { references: ["User"] });
}

/** Many deliveries in one statement (a job's batch of cards). */
export async function saveCards(tx: Tx, items: { card: Card; meta: CardMetaInput }[]): Promise<void> {
  const rows = items.map(({ card, meta }) => ({ id: newRowId(), ...cardRow(card, meta), conversation: meta.conversation ?? null }));
  await insertJsonRows(tx, "Card", CARD_COLUMNS, rows, { updatedAt: "now()" });
}
const CARD_COLUMNS = {
  id: "text", ref: "text", purpose: "text", thread: "text", recipientId: "text", platform: "text",
  subjectType: "text", subjectId: "text", expiresAt: "timestamptz", view: "jsonb", conversation: "jsonb",
};

type RawCard = NonNullable<Awaited<ReturnType<Tx["card"]["findUnique"]>>>;
export type CardRow = Omit<RawCard, "view" | "status"> & { view: Card; status: CardStatus };

/** A stored view that no longer parses is a bug worth hearing about, never a silently wrong card. */
function row(raw: RawCard): CardRow {
  const view = CardSchema.safeParse(raw.view);
  if (!view.success) throw new Error(`card ${raw.ref}: stored view is malformed: ${view.error.message}`);
  return { ...raw, view: view.data, status: raw.status as CardStatus };
}
const rowOrNull = (raw: RawCard | null) => (raw ? row(raw) : null);

export async function findCard(tx: Tx, ref: string): Promise<CardRow | null> {
  return rowOrNull(await tx.card.findUnique({ where: { ref } }));
}

/** Every delivery of one logical card, oldest first. */
export async function cardsInThread(tx: Tx, thread: string): Promise<CardRow[]> {
  return (await tx.card.findMany({ where: { thread }, orderBy: { createdAt: "asc" } })).map(row);
}

export async function updateCardView(tx: Tx, ref: string, card: Card, status: CardStatus): Promise<void> {
  await tx.card.update({ where: { ref }, data: { view: toJson(card), status } });
}

/** A one-shot update code is used up once an update has been queued with it. */
export async function setResponseCode(tx: Tx, ref: string, responseCode: string | null): Promise<void> {
  await tx.card.update({ where: { ref }, data: { responseCode } });
}

export async function latestActiveCard(tx: Tx, recipientId: string, purpose: string): Promise<CardRow | null> {
  return rowOrNull(await tx.card.findFirst({ where: { recipientId, purpose, status: "active" }, orderBy: { createdAt: "desc" } }));
}

/** Whether a card of this purpose went to the person since a moment (e.g. today's greeting). */
export async function cardSentSince(tx: Tx, recipientId: string, purpose: string, since: Date): Promise<boolean> {
  return (await tx.card.count({ where: { recipientId, purpose, createdAt: { gte: since } } })) > 0;
}

/** The person's most recent card of this purpose, whatever its state. */
export async function latestCard(tx: Tx, recipientId: string, purpose: string): Promise<CardRow | null> {
  return rowOrNull(await tx.card.findFirst({ where: { recipientId, purpose }, orderBy: { createdAt: "desc" } }));
}
