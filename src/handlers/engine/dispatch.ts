// The one place an inbox event becomes a use case: who is asking, what they mean, which handler runs.
// Parsing (maybe an LLM call) happens before the unit of work; the handler's changes, its replies and the
// "done" mark on the event commit together (unit-of-work.ts), so each event takes effect exactly once.
import { parseActionKey } from "../../../cards/card-ref.ts";
import { AppError } from "../../core/app-error.ts";
import { MAX_UNDERSTOOD_TEXT_CHARS, type InboundEvent } from "../../core/inbound-event.ts";
import { INBOX_EVENTS_PER_LANE, type EventHandler } from "../../core/inbox-worker.ts";
import { atLocalHour } from "../../core/local-time.ts";
import type { Logger } from "../../core/logger.ts";
import type { ClaimedInboxEvent } from "../../core/ports.ts";
import { cardSentSince, findCard, latestActiveCard, setResponseCode, updateCardView, type CardRow } from "../../domain/cards/card.repo.ts";
import { recentCustomerNamesOf } from "../../domain/customers/customer.repo.ts";
import { refusalMessage } from "../../domain/plumbing/refusal.ts";
import { findUserByIdentity, findUsersByIdentities, type UserInfo } from "../../domain/users/user.repo.ts";
import type { Intent, IntentParser } from "../../nlu/index.ts";
import { REGISTRY } from "../features.ts";
import { handleHelp, handleUnsupported } from "../help/help.handler.ts";
import type { AppDeps } from "./app-deps.ts";
import { recipientOnly, type CardAction } from "./card-kind.ts";
import type { HandlerContext } from "./handler-context.ts";
import { OutboxCollector } from "./outbox-collector.ts";
import { answerOpenQuestion } from "./pending.ts";
import type { Registry } from "./registry.ts";
import { runEventUnit, runEventUnits, runGiveUpUnit, runStrangerUnit } from "./unit-of-work.ts";

export interface DispatcherDeps extends AppDeps {
  parser: IntentParser;
}

/** Events handled in one transaction at most (see runEventUnits): the worker hands over as many per transaction. */
const MAX_BATCH = INBOX_EVENTS_PER_LANE;

interface Prepared {
  item: ClaimedInboxEvent;
  user: UserInfo;
  intent: Intent | null;
}

/**
 * The inbox worker's handler. Events the worker hands over at the same moment (its claim holds one event per person,
 * run side by side) are gathered and handled in one transaction (runEventUnits): a visit log then costs its own
 * statements and a share of one begin, lock, done-mark and commit, not all four. When anything in that transaction
 * fails (a refusal, a bug, a lost connection), it is rolled back whole and each event runs alone as before, so
 * every event still succeeds or fails on its own: its own refusal reply, its own retry count, never the others'.
 * Each caller's promise settles with its own event's outcome.
 */
export function createEventHandler(deps: DispatcherDeps, registry: Registry = REGISTRY): EventHandler {
  let queue: { item: ClaimedInboxEvent; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const taken = queue;
    queue = [];
    for (let i = 0; i < taken.length; i += MAX_BATCH) {
      const calls = taken.slice(i, i + MAX_BATCH);
      // Every path below settles each call; this only guards against a bug leaving the worker waiting for ever.
      handleBatch(deps, registry, calls).catch((err: unknown) => calls.forEach((c) => c.reject(err)));
    }
  };
  return (item: ClaimedInboxEvent) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // The worker starts its side-by-side events in one go: the next turn of the event loop sees them all.
      if (queue.length === 1) setImmediate(flush);
    });
}

async function handleBatch(deps: DispatcherDeps, registry: Registry, calls: { item: ClaimedInboxEvent; resolve: () => void; reject: (e: unknown) => void }[]): Promise<void> {
  const settle = (call: (typeof calls)[number], work: Promise<void>) => work.then(call.resolve, call.reject);
  // Who is asking and what they mean, for every event at once (outside any transaction, as for one event).
  const prepared = await prepareAll(deps, registry, calls);
  const ready = prepared.filter((p): p is { call: (typeof calls)[number]; prep: Prepared } => p !== null && p.prep.user !== null);
  // Strangers (deactivated since) are answered alone. One transaction at a time here: the embedded database has a
  // single connection, and on PostgreSQL the other batches keep the pool busy.
  for (const p of prepared) if (p && !p.prep.user) await settle(p.call, handlePrepared(deps, registry, p.prep));
  if (ready.length > 1) {
    try {
      const questionKinds = registry.questions.map((k) => k.kind);
      await runEventUnits(deps, ready.map(({ prep }) => ({ item: prep.item, user: prep.user, fn: (ctx) => route(ctx, registry, prep.intent) })), { questionKinds });
      ready.forEach((r) => r.call.resolve());
      return;
    } catch (err) {
      // Rolled back whole: each event again on its own, with its own outcome.
      deps.log.debug("batch of events rolled back; handling them one by one", { err, events: ready.length });
    }
  }
  for (const r of ready) await settle(r.call, handlePrepared(deps, registry, r.prep));
}

/** Senders and intents of a batch: the senders' recent customer names (the parser's hints) in one query for all. */
async function prepareAll<C extends { item: ClaimedInboxEvent; reject: (e: unknown) => void }>(deps: DispatcherDeps, registry: Registry, calls: C[]) {
  // Every sender in one statement; when it fails, every event of the batch fails with it (and is retried).
  let found: Map<string, UserInfo>;
  try {
    found = await findUsersByIdentities(deps.db, calls.map((c) => ({ platform: c.item.event.platform, externalId: c.item.event.senderId })));
  } catch (err) {
    calls.forEach((c) => c.reject(err));
    return [];
  }
  const users = calls.map((c) => found.get(`${c.item.event.platform}\u0000${c.item.event.senderId}`) ?? null);
  const parse = calls.map((call, i) => {
    const e = call.item.event;
    return e.kind === "message" && users[i] && needsParser(registry, e.text) ? users[i] : null;
  });
  let names: Map<string, string[]>;
  try {
    names = await recentCustomerNamesOf(deps.db, parse.flatMap((u) => (u ? [u.id] : [])));
  } catch (err) {
    // As for one event: the parser then works without the hints.
    deps.log.error("could not read recent customer names", { err });
    names = new Map();
  }
  return Promise.all(
    calls.map(async (call, i): Promise<{ call: C; prep: Omit<Prepared, "user"> & { user: UserInfo | null } } | null> => {
      const user = users[i];
      if (user === undefined) return null; // already rejected
      const e = call.item.event;
      const log = deps.log.child({ eventId: e.eventId, platform: e.platform });
      const intent = !user || e.kind !== "message" ? null : parse[i] ? await understand(deps, e.text, names.get(user.id) ?? [], log) : { intent: "unknown" as const };
      return { call, prep: { item: call.item, user, intent } };
    }),
  );
}

/** One event in its own unit of work. */
async function handlePrepared(deps: DispatcherDeps, registry: Registry, prep: Omit<Prepared, "user"> & { user: UserInfo | null }): Promise<void> {
  const { item, user, intent } = prep;
  const { event } = item;
  if (!user) {
    // Deactivated after the event was accepted: refuse, keep nothing else.
    await runStrangerUnit(deps, item, async (ctx) => void ctx.out.reply(refusalMessage(event).body));
    return;
  }
  try {
    await runEventUnit(deps, item, user, (ctx) => route(ctx, registry, intent));
  } catch (err) {
    if (!(err instanceof AppError)) throw err; // unexpected: the inbox worker retries, then apologises
    deps.log.child({ eventId: event.eventId, platform: event.platform }).info("refused", { code: err.code });
    await runEventUnit(deps, item, user, async (ctx) => ctx.out.replyText(err.userMessage));
  }
}

/** After the last retry of an unexpected failure: the user hears something, never silence. */
export function createGiveUpHandler(deps: DispatcherDeps) {
  return async (item: ClaimedInboxEvent): Promise<void> => {
    const user = await findUserByIdentity(deps.db, item.event.platform, item.event.senderId);
    await runGiveUpUnit(deps, item, user, async (ctx) => ctx.out.replyText("抱歉，处理这条消息时出了问题，已记录下来。请稍后再试，或换个说法。"));
  };
}

/** Text the dispatcher recognises without the parser: typed twins of buttons and feature commands. */
function recognisedWithoutParser(registry: Registry, text: string): boolean {
  return registry.typed.some(({ twin }) => twin.pattern.test(text)) || registry.commands.some((c) => c.matches(text));
}

/** Whether a message goes to the parser: not too long, and not a typed twin or a command the dispatcher knows. */
function needsParser(registry: Registry, text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length <= MAX_UNDERSTOOD_TEXT_CHARS && !recognisedWithoutParser(registry, trimmed);
}

async function understand(deps: DispatcherDeps, text: string, knownCustomers: string[], log: Logger): Promise<Intent> {
  try {
    return await deps.parser.parse(text.trim(), { now: deps.clock.now(), timeZone: deps.timeZone, knownCustomers });
  } catch (err) {
    log.error("parser failed", { err });
    return { intent: "unknown" };
  }
}

async function route(ctx: HandlerContext, registry: Registry, intent: Intent | null): Promise<void> {
  const e = ctx.event;
  switch (e.kind) {
    case "enter":
      // WeCom reports every time someone opens the app: greet once a day, not every time (30 messages/min cap).
      if (await cardSentSince(ctx.tx, ctx.user.id, "help", atLocalHour(ctx.now, 0, ctx.timeZone))) return;
      return handleHelp(ctx, `${ctx.user.name}，你好！我是销售助手。`);
    case "unsupported":
      return handleUnsupported(ctx, e.messageType);
    case "action":
      return routeAction(ctx, registry, e);
    case "message":
      return routeMessage(ctx, registry, e.text.trim(), intent ?? { intent: "unknown" });
  }
}

async function routeMessage(ctx: HandlerContext, registry: Registry, text: string, intent: Intent): Promise<void> {
  if (text.length > MAX_UNDERSTOOD_TEXT_CHARS) {
    ctx.out.replyText(`这条消息有 ${text.length} 个字，超过了 ${MAX_UNDERSTOOD_TEXT_CHARS} 字，我没法理解。请分几条发送，或只写要点。`);
    return;
  }
  // A question the bot asked (a reason, a tracking number) takes the next message as its answer.
  if (await answerOpenQuestion(ctx, registry.questions, text)) return;
  // Typed twins of buttons. Several kinds may share a word (取消): it acts on the newest open card it fits.
  const twins = registry.typed.flatMap(({ kind, twin }) => {
    const m = twin.pattern.exec(text);
    return m ? [{ kind, twin, m }] : [];
  });
  if (twins.length) {
    let best: { action: CardAction; card: CardRow; arg: string | undefined } | null = null;
    for (const { kind, twin, m } of twins) {
      const card = twin.find ? await twin.find(ctx, m) : await latestActiveCard(ctx.tx, ctx.user.id, kind.spec.purpose);
      if (card?.status === "active" && (!best || card.createdAt > best.card.createdAt)) best = { action: kind.actions[twin.verb] as CardAction, card, arg: twin.arg?.(m) };
    }
    if (!best) throw new AppError("nothing_to_act_on", twins[0]!.twin.nothing);
    if (best.card.expiresAt && best.card.expiresAt < ctx.now) throw new AppError("card_expired", "这张卡片已过期，请重新发送消息。");
    return runAction(ctx, best.action, best.card, best.arg);
  }
  for (const command of registry.commands.filter((c) => c.matches(text))) {
    if ((await command.run(ctx, text)) !== "pass") return;
  }
  const handler = registry.intents[intent.intent] as ((c: HandlerContext, i: Intent, t: string) => Promise<void> | void) | undefined;
  if (!handler) throw new Error(`intent not routed: ${intent.intent}`);
  return handler(ctx, intent, text);
}

async function routeAction(ctx: HandlerContext, registry: Registry, e: Extract<InboundEvent, { kind: "action" }>): Promise<void> {
  const key = parseActionKey(e.actionKey);
  if (!key) throw new AppError("action_unknown", "这个按钮无法识别，请重新发送消息。");
  if (e.cardRef && e.cardRef !== key.ref) throw new AppError("action_mismatch", "这个按钮和卡片对不上，已忽略。");
  let card = await findCard(ctx.tx, key.ref);
  if (!card) throw new AppError("card_not_found", "这张卡片不存在或已失效。");
  const action = registry.cards.get(card.purpose)?.actions[key.verb] as CardAction | undefined;
  if (!action) throw new AppError("action_unsupported", "这个操作暂不支持。");
  await (action.guard ?? recipientOnly)(ctx, card);
  if (card.status !== "active") throw new AppError("card_done", "这张卡片已经处理过了。");
  if (card.expiresAt && card.expiresAt < ctx.now) {
    // A refusal that also changes state: reply instead of throwing, so the change commits.
    await updateCardView(ctx.tx, card.ref, card.view, "expired");
    ctx.out.replyText("这张卡片已过期，请重新发送消息。");
    return;
  }
  ctx.out.replyWhereCardWas(OutboxCollector.storedConversation(card.conversation) ?? e.conversation);
  if (e.responseCode) {
    await setResponseCode(ctx.tx, card.ref, e.responseCode);
    card = { ...card, responseCode: e.responseCode };
  }
  await action.run(ctx, card, key.arg);
}

/** A typed twin: the same guard as a click, then the same action. */
async function runAction(ctx: HandlerContext, action: CardAction, card: CardRow, arg: string | undefined): Promise<void> {
  await (action.guard ?? recipientOnly)(ctx, card);
  await action.run(ctx, card, arg);
}
