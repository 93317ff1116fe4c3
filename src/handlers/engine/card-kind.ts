// How a card kind declares its interactions, in one place beside the feature's handlers: for each button verb
// (the template in cards/<feature>/ declares the verbs) the action it runs and who may press it, plus the typed
// twins for channels without interactive cards. The dispatcher only iterates these declarations.
import type { z } from "zod";
import type { CardSpec } from "../../../cards/card-ref.ts";
import { AppError } from "../../core/app-error.ts";
import { latestActiveCard, type CardRow } from "../../domain/cards/card.repo.ts";
import type { HandlerContext } from "./handler-context.ts";

/** Refuses (throws AppError) when this person may not press the button; the same check for clicks and typed twins. */
export type Guard = (ctx: HandlerContext, card: CardRow) => Promise<void> | void;

export interface CardAction {
  /** Default: only the person the card was delivered to. */
  guard?: Guard;
  run: (ctx: HandlerContext, card: CardRow, arg: string | undefined) => Promise<void> | void;
}

export interface TypedTwin<V extends string> {
  /** Matched against the whole trimmed message. */
  pattern: RegExp;
  verb: V;
  arg?: (m: RegExpExecArray) => string | undefined;
  /** Which card the text means; default: the person's most recent open card of this kind. */
  find?: (ctx: HandlerContext, m: RegExpExecArray) => Promise<CardRow | null>;
  /** Said when there is no such card. */
  nothing: string;
}

export interface CardKind<V extends string = string> {
  spec: CardSpec<V>;
  actions: Record<V, CardAction>;
  typed?: TypedTwin<V>[];
}

export function defineCardKind<V extends string>(spec: CardSpec<V>, kind: Omit<CardKind<V>, "spec">): CardKind<V> {
  return { spec, ...kind };
}

/** The default guard: a card acts only for the person it was sent to (a card sent to a group needs its own guard). */
export const recipientOnly: Guard = (ctx, card) => {
  if (card.recipientId !== ctx.user.id) throw new AppError("card_not_yours", "这张卡片不是发给你的，不能操作。");
};

export function latestOpenCardOf(purpose: string) {
  return (ctx: HandlerContext) => latestActiveCard(ctx.tx, ctx.user.id, purpose);
}

/**
 * What a list card stored about itself (its subjectId: JSON such as the rows it showed), read back through its
 * schema. A row that no longer parses (an older version's, edited by hand) is refused with `unusable` — ask again —
 * never used as a cast.
 */
export function cardSubject<S extends z.ZodType>(card: CardRow, schema: S, code: string, unusable: string): z.infer<S> {
  try {
    return schema.parse(JSON.parse(card.subjectId ?? "")) as z.infer<S>;
  } catch {
    throw new AppError(code, unusable);
  }
}
