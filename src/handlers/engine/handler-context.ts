import type { InboundEvent } from "../../core/inbound-event.ts";
import type { Rules } from "../../domain/org/org-file.ts";
import type { Tx } from "../../domain/tx.ts";
import type { UserInfo } from "../../domain/users/user.repo.ts";
import type { OutboxCollector } from "./outbox-collector.ts";

/** Everything a use case needs for one event, bound to one transaction. */
export interface HandlerContext {
  tx: Tx;
  event: InboundEvent;
  /** For the audit log: which delivery caused the change. */
  eventId: string;
  user: UserInfo;
  now: Date;
  timeZone: string;
  rules: Rules;
  out: OutboxCollector;
}
