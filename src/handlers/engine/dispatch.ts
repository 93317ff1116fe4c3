// The one place an inbox event becomes a use case: who is asking, what they mean, which handler runs.
// Parsing (maybe an LLM call) happens before the transaction; the handler's changes, its replies and the
// "done" mark on the event commit together, so each event takes effect exactly once.
import { AppError } from "../../core/app-error.ts";
import type { InboundEvent } from "../../core/inbound-event.ts";
import type { EventHandler } from "../../core/inbox-worker.ts";
import type { Logger } from "../../core/logger.ts";
import type { ClaimedInboxEvent } from "../../core/ports.ts";
import { parseActionKey } from "../../../cards/card-ref.ts";
import { cardSentSince, findCard, latestActiveCard, setResponseCode, updateCardView, type CardRow } from "../../domain/cards/card.repo.ts";
import { atLocalHour } from "../../core/local-time.ts";
import { recentCustomerNames } from "../../domain/customers/customer.repo.ts";
import { markInboxDone, takeInboxEventForCommit } from "../../domain/plumbing/inbox.repo.ts";
import { enqueueMessages } from "../../domain/plumbing/outbox.repo.ts";
import { refusalMessage } from "../../domain/plumbing/refusal.ts";
import type { Tx } from "../../domain/tx.ts";
import { lockUserForTransaction } from "../../domain/users/user-lock.repo.ts";
import { findUserByIdentity, type UserInfo } from "../../domain/users/user.repo.ts";
import { looksLikeVisitCorrection, type Intent, type IntentParser } from "../../nlu/index.ts";
import type { AppDeps } from "./app-deps.ts";
import { handleClaimCustomer } from "../pool/claim-customer.handler.ts";
import type { HandlerContext } from "./handler-context.ts";
import { handleHelp, handleNotYet, handleUnknown, handleUnsupported } from "../help/help.handler.ts";
import { handleListTodos } from "../tasks/list-todos.handler.ts";
import { handleLogVisit } from "../visits/log-visit.handler.ts";
import { handleLookupCustomer } from "../customers/lookup-customer.handler.ts";
import { OutboxCollector } from "./outbox-collector.ts";
import { handleReminderDone, handleReminderSnooze } from "../tasks/reminder-actions.handler.ts";
import { handleShowMetrics } from "../metrics/show-metrics.handler.ts";
import { handleCompleteTask, handleSnoozeTask } from "../tasks/task-actions.handler.ts";
import { handleCancelPick, handlePickCustomer } from "../customers/pick-customer.handler.ts";
import { handleCorrectVisit, handleEditHelp, handleUndoVisit } from "../visits/visit-actions.handler.ts";

export interface DispatcherDeps extends AppDeps {
  parser: IntentParser;
}

type ActionHandler = (ctx: HandlerContext, card: CardRow, arg: string | undefined) => Promise<void>;

/** Card clicks by "<card purpose>.<verb>". */
const ACTIONS: Record<string, ActionHandler> = {
  "visit_confirm.undo": (ctx, card) => handleUndoVisit(ctx, card),
  "visit_confirm.edit": async (ctx) => handleEditHelp(ctx),
  "pick_customer.pick": (ctx, card, arg) => handlePickCustomer(ctx, card, arg),
  "pick_customer.cancel": (ctx, card) => handleCancelPick(ctx, card),
  "reminder.done": (ctx, card) => handleReminderDone(ctx, card),
  "reminder.snooze": (ctx, card, arg) => handleReminderSnooze(ctx, card, arg),
};

/**
 * Typed twins of card buttons, for channels without interactive cards (DingTalk without a template): they act
 * on the person's most recent open card of that kind, with the same checks as a click.
 */
const CARD_COMMANDS: { pattern: RegExp; purpose: string; verb: string; arg?: (m: RegExpExecArray) => string }[] = [
  { pattern: /^(撤销|撤回)$/, purpose: "visit_confirm", verb: "undo" },
  { pattern: /^(新建|新建客户|创建)$/, purpose: "pick_customer", verb: "pick", arg: () => "new" },
  { pattern: /^选\s*([1-4])$/, purpose: "pick_customer", verb: "pick", arg: (m) => String(Number(m[1]) - 1) },
  { pattern: /^取消$/, purpose: "pick_customer", verb: "cancel" },
];

function cardCommand(text: string) {
  for (const c of CARD_COMMANDS) {
    const m = c.pattern.exec(text.trim());
    if (m) return { purpose: c.purpose, verb: c.verb, arg: c.arg?.(m) };
  }
  return null;
}

export function createEventHandler(deps: DispatcherDeps): EventHandler {
  return async (item: ClaimedInboxEvent) => {
    const { event } = item;
    const log = deps.log.child({ eventId: event.eventId, platform: event.platform });
    const user = await findUserByIdentity(deps.db, event.platform, event.senderId);
    if (!user) {
      // Deactivated after the event was accepted: refuse, keep nothing else.
      await deps.db.$transaction(async (tx) => {
        if (!(await takeInboxEventForCommit(tx, item.id))) return;
        await enqueueMessages(tx, [refusalMessage(event)]);
        await markInboxDone(tx, item.id);
      });
      return;
    }
    const now = deps.clock.now();
    const intent = event.kind === "message" ? await understand(deps, user, event.text, now, log) : null;
    try {
      await inTransaction(deps, item, user, now, (ctx) => route(ctx, intent));
    } catch (err) {
      if (!(err instanceof AppError)) throw err; // unexpected: the inbox worker retries, then apologises
      log.info("refused", { code: err.code });
      await inTransaction(deps, item, user, now, async (ctx) => ctx.out.replyText(err.userMessage));
    }
  };
}

/** After the last retry of an unexpected failure: the user hears something, never silence. */
export function createGiveUpHandler(deps: DispatcherDeps) {
  return async (item: ClaimedInboxEvent): Promise<void> => {
    const user = await findUserByIdentity(deps.db, item.event.platform, item.event.senderId);
    const out = new OutboxCollector(deps.db, item.event, user, deps.enabledPlatforms());
    out.replyText("抱歉，处理这条消息时出了问题，已记录下来。请稍后再试，或换个说法。");
    await enqueueMessages(deps.db, out.messages.map((m) => ({ ...m, dedupeKey: `apology:${item.event.platform}:${item.event.eventId}` })));
  };
}

async function understand(deps: DispatcherDeps, user: UserInfo, text: string, now: Date, log: Logger): Promise<Intent> {
  const trimmed = text.trim();
  if (cardCommand(trimmed) || looksLikeVisitCorrection(trimmed)) return { intent: "unknown" }; // handled by route(); no need to parse
  try {
    const knownCustomers = await recentCustomerNames(deps.db, user.id);
    return await deps.parser.parse(trimmed, { now, timeZone: deps.timeZone, knownCustomers });
  } catch (err) {
    log.error("parser failed", { err });
    return { intent: "unknown" };
  }
}

async function inTransaction(
  deps: DispatcherDeps,
  item: ClaimedInboxEvent,
  user: UserInfo,
  now: Date,
  fn: (ctx: HandlerContext) => Promise<void>,
): Promise<void> {
  await deps.db.$transaction(
    async (tx: Tx) => {
      await lockUserForTransaction(tx, user.id);
      // Another worker may have finished this event while our claim ran out: then we change nothing.
      if (!(await takeInboxEventForCommit(tx, item.id))) return;
      const out = new OutboxCollector(tx, item.event, user, deps.enabledPlatforms());
      const ctx: HandlerContext = { tx, event: item.event, eventId: `${item.event.platform}:${item.event.eventId}`, user, now, timeZone: deps.timeZone, rules: deps.rules, out };
      await fn(ctx);
      await enqueueMessages(tx, out.messages);
      await markInboxDone(tx, item.id);
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
}

async function route(ctx: HandlerContext, intent: Intent | null): Promise<void> {
  const e = ctx.event;
  switch (e.kind) {
    case "enter":
      // WeCom reports every time someone opens the app: greet once a day, not every time (30 messages/min cap).
      if (await cardSentSince(ctx.tx, ctx.user.id, "help", atLocalHour(ctx.now, 0, ctx.timeZone))) return;
      return handleHelp(ctx, `${ctx.user.name}，你好！我是销售助手。`);
    case "unsupported":
      return handleUnsupported(ctx, e.messageType);
    case "action":
      return routeAction(ctx, e);
    case "message": {
      const command = cardCommand(e.text);
      if (command) return runCardCommand(ctx, command.purpose, command.verb, command.arg);
      if (looksLikeVisitCorrection(e.text)) return handleCorrectVisit(ctx, e.text);
      return routeIntent(ctx, intent ?? { intent: "unknown" }, e.text.trim());
    }
  }
}

async function routeIntent(ctx: HandlerContext, intent: Intent, text: string): Promise<void> {
  switch (intent.intent) {
    case "log_visit":
      return handleLogVisit(ctx, intent, text);
    case "lookup_customer":
      return handleLookupCustomer(ctx, intent);
    case "list_todos":
      return handleListTodos(ctx);
    case "help":
      return handleHelp(ctx);
    case "unknown":
      return handleUnknown(ctx, text);
    case "place_order":
      return handleNotYet(ctx, "下单");
    case "decide_approval":
      return handleNotYet(ctx, "审批");
    case "confirm_shipment":
    case "report_shipment_problem":
      return handleNotYet(ctx, "发货确认");
    case "claim_customer":
      return handleClaimCustomer(ctx, intent);
    case "show_metrics":
      return handleShowMetrics(ctx, intent);
    case "complete_task":
      return handleCompleteTask(ctx, intent);
    case "snooze_task":
      return handleSnoozeTask(ctx, intent);
    default:
      return assertNever(intent);
  }
}

/** A new intent that is not routed is a compile error, not a silent "unknown". */
function assertNever(x: never): never {
  throw new Error(`intent not routed: ${JSON.stringify(x)}`);
}

async function routeAction(ctx: HandlerContext, e: Extract<InboundEvent, { kind: "action" }>): Promise<void> {
  const key = parseActionKey(e.actionKey);
  if (!key) throw new AppError("action_unknown", "这个按钮无法识别，请重新发送消息。");
  if (e.cardRef && e.cardRef !== key.ref) throw new AppError("action_mismatch", "这个按钮和卡片对不上，已忽略。");
  let card = await findCard(ctx.tx, key.ref);
  if (!card) throw new AppError("card_not_found", "这张卡片不存在或已失效。");
  if (card.recipientId !== ctx.user.id) throw new AppError("card_not_yours", "这张卡片不是发给你的，不能操作。");
  if (card.status !== "active") throw new AppError("card_done", "这张卡片已经处理过了。");
  if (card.expiresAt && card.expiresAt < ctx.now) {
    // A refusal that also changes state: reply instead of throwing, so the change commits.
    await updateCardView(ctx.tx, card.ref, card.view as never, "expired");
    ctx.out.replyText("这张卡片已过期，请重新发送消息。");
    return;
  }
  ctx.out.replyWhereCardWas(OutboxCollector.storedConversation(card.conversation) ?? e.conversation);
  if (e.responseCode) {
    await setResponseCode(ctx.tx, card.ref, e.responseCode);
    card = { ...card, responseCode: e.responseCode };
  }
  const handler = ACTIONS[`${card.purpose}.${key.verb}`];
  if (!handler) throw new AppError("action_unsupported", "这个操作暂不支持。");
  await handler(ctx, card, key.arg);
}

async function runCardCommand(ctx: HandlerContext, purpose: string, verb: string, arg: string | undefined): Promise<void> {
  const card = await latestActiveCard(ctx.tx, ctx.user.id, purpose);
  if (!card) throw new AppError("nothing_to_act_on", purpose === "visit_confirm" ? "没有可以撤销的记录。" : "没有等待你确认的内容。");
  if (card.expiresAt && card.expiresAt < ctx.now) throw new AppError("card_expired", "这张卡片已过期，请重新发送消息。");
  await ACTIONS[`${purpose}.${verb}`]!(ctx, card, arg);
}
