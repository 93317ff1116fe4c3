// What a use case gets for one unit of work (one event, or one item of a job), bound to one transaction.
// Handlers say what should happen (reply, send a card to someone, update a card); the unit of work writes it
// to the outbox when it commits. Handlers never touch the inbox or the outbox.
import type { InboundEvent } from "../../core/inbound-event.ts";
import type { Logger } from "../../core/logger.ts";
import type { Rules, WarehouseRoute } from "../../domain/org/org-file.ts";
import type { PendingActionRow } from "../../domain/pending/pending-action.repo.ts";
import type { Tx } from "../../domain/tx.ts";
import type { UserInfo } from "../../domain/users/user.repo.ts";
import type { OutboxCollector } from "./outbox-collector.ts";

/** A unit of work started by a job: no person wrote anything. */
export interface UnitContext {
  tx: Tx;
  /** For the audit log: the inbox event ("wecom:123…") or job run ("job:daily-todo:2026-11-23") that caused it. */
  eventId: string;
  now: Date;
  timeZone: string;
  rules: Rules;
  /** The org file's warehouse.routes (empty: notices go to everyone with the warehouse role). */
  warehouseRoutes: readonly WarehouseRoute[];
  out: OutboxCollector;
  log: Logger;
}

/** A unit of work started by a person's message or click. */
export interface HandlerContext extends UnitContext {
  event: InboundEvent;
  user: UserInfo;
  /**
   * The person's open text question, read for the whole batch in one statement after its locks (runEventUnits):
   * `kinds` it was read for, `row` null when none. Absent: answerOpenQuestion reads it itself. Used once.
   */
  openQuestion?: { kinds: string[]; row: PendingActionRow | null };
}
