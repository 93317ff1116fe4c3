// Waiting for an answer, typed. A flow that must ask before it can go on ("which customer?", "why do you
// reject?", "carrier and tracking number?") registers a pending kind: a zod schema for what it keeps, how long
// the question stays open, and the handler that resumes it. The data is read back through the schema, never
// cast; an answer after expiry, a second answer, or someone else's answer changes nothing.
import type { z } from "zod";
import { AppError } from "../../core/app-error.ts";
import { createPendingAction, createPendingActions, getPendingAction, latestOpenPending, resolvePendingAction } from "../../domain/pending/pending-action.repo.ts";
import type { HandlerContext, UnitContext } from "./handler-context.ts";

export interface PendingKind<D, A> {
  kind: string;
  schema: z.ZodType<D>;
  ttlMs: number;
  /** Goes on with the answer. */
  resume: (ctx: HandlerContext, data: D, answer: A) => Promise<void>;
  /** The person said no (取消 / the card's cancel button); default: nothing but the acknowledgement. */
  cancel?: (ctx: HandlerContext, data: D) => Promise<void>;
}

/** A question answered by the person's next message (a reason, a tracking number); 取消 cancels it. */
export interface TextPendingKind<D> extends PendingKind<D, string> {
  awaits: "text";
  /**
   * For a question asked while the person may be doing something else (a rep asked for a delivery address after
   * submitting): only messages that look like an answer are taken; anything else is understood as usual and the
   * question stays open. Default: every message is the answer.
   */
  accepts?: (text: string) => boolean;
}

export function definePending<D, A>(k: PendingKind<D, A>): PendingKind<D, A> {
  return k;
}

export function defineTextPending<D>(k: Omit<TextPendingKind<D>, "awaits">): TextPendingKind<D> {
  return { ...k, awaits: "text" };
}

/**
 * Opens a question for the acting person (or `forUserId`: a rep asked after their manager approved); returns its
 * id (cards keep it as their subject) and expiry.
 */
export async function openPending<D>(ctx: HandlerContext | UnitContext, kind: PendingKind<D, never> | PendingKind<D, string> | PendingKind<D, unknown>, data: D, forUserId?: string) {
  const checked = kind.schema.parse(data); // what cannot be read back must not be stored
  const userId = forUserId ?? ("user" in ctx ? ctx.user.id : null);
  if (!userId) throw new Error("openPending outside an event needs forUserId");
  const row = await createPendingAction(ctx.tx, userId, kind.kind, checked, new Date(ctx.now.getTime() + kind.ttlMs));
  return { id: row.id, expiresAt: row.expiresAt };
}

/** The same question for many people at once (a job's batch): one insert; ids in the order of `items`. */
export async function openPendingMany<D>(ctx: UnitContext, kind: PendingKind<D, never> | PendingKind<D, string> | PendingKind<D, unknown>, items: { userId: string; data: D }[]): Promise<string[]> {
  const expiresAt = new Date(ctx.now.getTime() + kind.ttlMs);
  return createPendingActions(ctx.tx, items.map((i) => ({ userId: i.userId, kind: kind.kind, payload: kind.schema.parse(i.data), expiresAt })));
}

/**
 * Takes the answer to question `id` (confirmed or cancelled) for one of `kinds`: checks who asked, expiry and
 * that it is still open, marks it answered, and returns its kind and data, parsed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any kind; its own schema types the data
export async function takePending<K extends PendingKind<any, any>>(
  ctx: HandlerContext,
  kinds: readonly K[],
  id: string | null,
  outcome: "confirmed" | "cancelled",
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ kind: K; data: K extends PendingKind<infer D, any> ? D : never }> {
  const row = id ? await getPendingAction(ctx.tx, id) : null;
  if (!row || row.userId !== ctx.user.id) throw new AppError("pending_missing", "没有找到这条待确认的内容。");
  if (row.expiresAt < ctx.now) throw new AppError("pending_expired", "这张卡片已过期，请重新发送消息。");
  const kind = kinds.find((k) => k.kind === row.kind);
  if (!kind) throw new AppError("pending_unknown", "这条待确认的内容已无法继续，请重新发送消息。");
  if (!(await resolvePendingAction(ctx.tx, row.id, outcome, ctx.now))) throw new AppError("pending_done", "这张卡片已经处理过了。");
  return { kind, data: kind.schema.parse(row.payload) };
}

const CANCEL_WORDS = /^(取消|算了|不用了|放弃)$/;

/**
 * If the person has a text question open, their message is its answer: resumes it and returns true.
 * Otherwise returns false and the message is understood as usual.
 */
export async function answerOpenQuestion(ctx: HandlerContext, kinds: readonly TextPendingKind<unknown>[], text: string): Promise<boolean> {
  const names = kinds.map((k) => k.kind);
  const pre = ctx.openQuestion;
  delete ctx.openQuestion;
  const row = pre && pre.kinds.join("\u0000") === names.join("\u0000")
    ? (pre.row && pre.row.expiresAt > ctx.now ? pre.row : null)
    : await latestOpenPending(ctx.tx, ctx.user.id, names, ctx.now);
  if (!row) return false;
  const kind = kinds.find((k) => k.kind === row.kind)!;
  const cancelled = CANCEL_WORDS.test(text.trim());
  // Such a question is not cancelled by a bare 取消 either: that word belongs to whatever the person is doing.
  if (kind.accepts && !kind.accepts(text.trim())) return false;
  if (!(await resolvePendingAction(ctx.tx, row.id, cancelled ? "cancelled" : "confirmed", ctx.now))) return false;
  const data = kind.schema.parse(row.payload);
  if (cancelled) {
    if (kind.cancel) await kind.cancel(ctx, data);
    else ctx.out.replyText("已取消。");
  } else {
    await kind.resume(ctx, data, text.trim());
  }
  return true;
}
