// The one unit of work. Every inbox event and every item of a scheduled job runs through here: one
// transaction takes the locks asked for, checks the done-mark (the inbox row still pending, or the job's
// (job, period, subject) not yet claimed), runs the handler with one context, then writes what the handler
// said to the outbox and sets the done-mark, all in one commit. Either everything happens or nothing does:
// a crash before the commit means the work is done again from scratch, after it never again.
import type { InboundEvent } from "../../core/inbound-event.ts";
import type { ClaimedInboxEvent } from "../../core/ports.ts";
import { claimJobRun, claimJobRuns, releaseJobRuns } from "../../domain/plumbing/job-run.repo.ts";
import { lockAndTakeInboxEvent, lockAndTakeInboxEvents, takeLocks } from "../../domain/plumbing/inbox.repo.ts";
import { enqueueMessages } from "../../domain/plumbing/outbox.repo.ts";
import { latestOpenPendingOf } from "../../domain/pending/pending-action.repo.ts";
import type { Tx } from "../../domain/tx.ts";
import { userLockKey } from "../../domain/users/user-lock.repo.ts";
import type { UserInfo } from "../../domain/users/user.repo.ts";
import type { AppDeps } from "./app-deps.ts";
import type { HandlerContext, UnitContext } from "./handler-context.ts";
import { OutboxCollector } from "./outbox-collector.ts";

export type UnitResult<T> = { status: "done"; value: T } | { status: "already" } | { status: "skipped" };

/** Thrown by `skip()`: nothing to do after all; the transaction rolls back, so no done-mark is kept either. */
class Skip extends Error {}

/** Ends a unit with nothing done (e.g. nobody to send to): rolls back the claim so a later run may try again. */
export function skip(): never {
  throw new Skip("skipped");
}

const TX_OPTIONS = { timeout: 20_000, maxWait: 10_000 };

type Mark =
  | { kind: "inbox"; id: string }
  /** A per-person (or per-item) delivery of a job: claimed in the same commit as its messages. */
  | { kind: "job"; job: string; period: string; subject: string }
  /** Many subjects of one job at once (see runJobBatchUnit): each claimed, the ones left with nothing released. */
  | { kind: "jobBatch"; job: string; period: string; subjects: string[] }
  | { kind: "none" };

interface UnitSpec {
  mark: Mark;
  locks: string[];
  eventId: string;
  event: InboundEvent | null;
  actor: UserInfo | null;
  /** Applied to every message of this unit, so a repeated unit (a give-up apology) is sent once. */
  dedupePrefix?: string;
}

async function run<C extends UnitContext, T>(
  deps: AppDeps,
  spec: UnitSpec,
  makeCtx: (base: UnitContext, claimed: string[]) => C,
  fn: (ctx: C) => Promise<T>,
  /** For a batch: the claimed subjects that turned out to have nothing to send, released before the commit. */
  unsent?: (value: T) => string[],
): Promise<UnitResult<T>> {
  try {
    return await deps.db.$transaction(async (tx: Tx): Promise<UnitResult<T>> => {
      // Sorted, so two units locking the same people never wait on each other in opposite orders. For an event,
      // the locks and the check that it is still pending are one statement.
      const lockKeys = [...new Set(spec.locks)].sort().map(userLockKey);
      if (spec.mark.kind === "inbox") {
        if (!(await lockAndTakeInboxEvent(tx, lockKeys, spec.mark.id))) return { status: "already" };
      } else await takeLocks(tx, lockKeys);
      if (spec.mark.kind === "job" && !(await claimJobRun(tx, spec.mark.job, spec.mark.period, spec.mark.subject))) return { status: "already" };
      const claimed = spec.mark.kind === "jobBatch" ? await claimJobRuns(tx, spec.mark.job, spec.mark.period, spec.mark.subjects) : [];
      if (spec.mark.kind === "jobBatch" && claimed.length === 0) return { status: "already" };
      const out = new OutboxCollector(tx, spec.event, spec.actor, deps.enabledPlatforms());
      const log = deps.log.child({ eventId: spec.eventId });
      const ctx = makeCtx({ tx, eventId: spec.eventId, now: deps.clock.now(), timeZone: deps.timeZone, rules: deps.rules, warehouseRoutes: deps.warehouseRoutes ?? [], out, log }, claimed);
      const value = await fn(ctx);
      if (spec.mark.kind === "jobBatch" && unsent) await releaseJobRuns(tx, spec.mark.job, spec.mark.period, unsent(value));
      const messages = spec.dedupePrefix ? out.messages.map((m, i) => ({ ...m, dedupeKey: `${spec.dedupePrefix}:${i}` })) : out.messages;
      // The messages and the done-mark in one statement.
      await enqueueMessages(tx, messages, spec.mark.kind === "inbox" ? { id: spec.mark.id, at: new Date() } : undefined);
      return { status: "done", value };
    }, TX_OPTIONS);
  } catch (err) {
    if (err instanceof Skip) return { status: "skipped" };
    throw err;
  }
}

const eventIdOf = (e: InboundEvent) => `${e.platform}:${e.eventId}`;

/** A person's message or click: their own events are serialised, and the inbox row is the done-mark. */
export function runEventUnit<T>(deps: AppDeps, item: ClaimedInboxEvent, user: UserInfo, fn: (ctx: HandlerContext) => Promise<T>, lockAlso: string[] = []) {
  return run(
    deps,
    { mark: { kind: "inbox", id: item.id }, locks: [user.id, ...lockAlso], eventId: eventIdOf(item.event), event: item.event, actor: user },
    (base) => ({ ...base, event: item.event, user }),
    fn,
  );
}

/** One person's event for runEventUnits. */
export interface EventWork {
  item: ClaimedInboxEvent;
  user: UserInfo;
  fn: (ctx: HandlerContext) => Promise<unknown>;
}

/**
 * Several people's events in one transaction (the inbox worker's claim holds at most one event per person, so
 * they are independent): the locks and the pending-checks of all of them in one statement, each handler with its
 * own context and outbox, then every reply and every done-mark in one statement and one commit. What a unit costs
 * beyond the handler's own statements (begin, locks, done-mark, commit) is paid once for the batch.
 *
 * All or nothing: when any handler throws, the whole transaction rolls back and the error is thrown; the caller
 * then runs each event alone (runEventUnit), so a failing event never takes the others down and each keeps its own
 * retry count. Returns, per work in order, "done" or "already" (finished meanwhile by another worker: untouched).
 */
export async function runEventUnits(deps: AppDeps, works: EventWork[], opts: { questionKinds?: string[] } = {}): Promise<("done" | "already")[]> {
  return deps.db.$transaction(async (tx: Tx) => {
    const lockKeys = [...new Set(works.map((w) => w.user.id))].sort().map(userLockKey);
    const pending = await lockAndTakeInboxEvents(tx, lockKeys, works.map((w) => w.item.id));
    const now = deps.clock.now();
    // Everyone's open question in one statement, after the locks (answerOpenQuestion would read each one alone).
    const kinds = opts.questionKinds;
    const live = works.filter((w) => pending.has(w.item.id));
    const open = kinds && live.length ? await latestOpenPendingOf(tx, live.map((w) => w.user.id), kinds, now) : null;
    const messages = [];
    for (const w of live) {
      const eventId = eventIdOf(w.item.event);
      const out = new OutboxCollector(tx, w.item.event, w.user, deps.enabledPlatforms());
      const log = deps.log.child({ eventId });
      const ctx: HandlerContext = { tx, eventId, now: deps.clock.now(), timeZone: deps.timeZone, rules: deps.rules, warehouseRoutes: deps.warehouseRoutes ?? [], out, log, event: w.item.event, user: w.user };
      if (open && kinds) ctx.openQuestion = { kinds, row: open.get(w.user.id) ?? null };
      await w.fn(ctx);
      messages.push(...out.messages);
    }
    if (pending.size) await enqueueMessages(tx, messages, { id: [...pending], at: new Date() });
    return works.map((w) => (pending.has(w.item.id) ? "done" : "already"));
  }, TX_OPTIONS);
}

/** An event from someone no longer served (deactivated after it was accepted): answered, nothing else. */
export function runStrangerUnit(deps: AppDeps, item: ClaimedInboxEvent, fn: (ctx: UnitContext) => Promise<void>) {
  return run(deps, { mark: { kind: "inbox", id: item.id }, locks: [], eventId: eventIdOf(item.event), event: item.event, actor: null }, (b) => b, fn);
}

/**
 * After an event failed for good: the person hears something. The inbox already marked it failed, so there is
 * no done-mark; every message is keyed by the event, so a second give-up sends nothing twice.
 */
export function runGiveUpUnit(deps: AppDeps, item: ClaimedInboxEvent, user: UserInfo | null, fn: (ctx: UnitContext) => Promise<void>) {
  const eventId = eventIdOf(item.event);
  return run(deps, { mark: { kind: "none" }, locks: [], eventId, event: item.event, actor: user, dedupePrefix: `apology:${eventId}` }, (b) => b, fn);
}

export interface JobUnit {
  job: string;
  period: string;
  /**
   * Who or what this item is for. With `once: true` the (job, period, subject) row is the done-mark: a re-run
   * of the period skips it. Without it, the handler keeps its own mark (a task's remindedAt…).
   */
  subject: string;
  once?: boolean;
  locks?: string[];
}

/** One item of a scheduled job (one person's card, one task's reminder, one customer's release). */
export function runJobUnit<T>(deps: AppDeps, unit: JobUnit, fn: (ctx: UnitContext) => Promise<T>) {
  const mark: Mark = unit.once ? { kind: "job", job: unit.job, period: unit.period, subject: unit.subject } : { kind: "none" };
  return run(deps, { mark, locks: unit.locks ?? [], eventId: `job:${unit.job}:${unit.period}`, event: null, actor: null }, (b) => b, fn);
}

export interface JobBatchUnit {
  job: string;
  period: string;
  /** Who the items are for; each (job, period, subject) is the done-mark of that one person's delivery. */
  subjects: string[];
}

/** What a batch handler did with the subjects it was given: who got something; the rest are released. */
export interface JobBatchResult {
  sent: string[];
}

/**
 * Many items of a scheduled job in one unit of work (the morning card for a few hundred people): the same
 * transaction, context and outbox as runJobUnit, but the (job, period, subject) marks are claimed together in one
 * statement and the handler gets the subjects it won, so it can read what they need with one query each instead of
 * one per person. Subjects it sent nothing to are released in the same commit (a later run may try them again),
 * as a skipped runJobUnit leaves no mark. All or nothing: a crash before the commit leaves no mark and no message
 * for anyone in the batch, after it every mark and message exists; a second instance claiming the same subjects
 * waits on the first's uncommitted marks and then finds them taken. "already": every subject was done before.
 */
export function runJobBatchUnit(deps: AppDeps, unit: JobBatchUnit, fn: (ctx: UnitContext, claimed: string[]) => Promise<JobBatchResult>) {
  const mark: Mark = { kind: "jobBatch", job: unit.job, period: unit.period, subjects: unit.subjects };
  let claimedHere: string[] = [];
  return run(
    deps,
    { mark, locks: [], eventId: `job:${unit.job}:${unit.period}`, event: null, actor: null },
    (b, claimed) => {
      claimedHere = claimed;
      return b;
    },
    (ctx) => fn(ctx, claimedHere),
    (r) => {
      const sent = new Set(r.sent);
      return claimedHere.filter((s) => !sent.has(s));
    },
  );
}
