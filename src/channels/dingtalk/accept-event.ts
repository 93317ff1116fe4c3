// Shared by the Stream and HTTP receivers: validate the event we built and store it in the inbox.
import { InboundEventSchema, type InboundEvent } from "../../core/inbound-event.ts";
import type { Logger } from "../../core/logger.ts";
import type { AcceptOutcome, InboxPort } from "../../core/ports.ts";

/** "invalid" when our own translation produced something the core refuses (logged, nothing stored). */
export async function acceptEvent(inbox: InboxPort, log: Logger, event: InboundEvent): Promise<AcceptOutcome | "invalid"> {
  const checked = InboundEventSchema.safeParse(event);
  if (!checked.success) {
    log.warn("dingtalk: event rejected by the core schema", { eventId: event.eventId, issues: checked.error.issues.map((i) => i.message) });
    return "invalid";
  }
  const outcome = await inbox.accept(checked.data);
  log.debug("dingtalk: event accepted", { eventId: event.eventId, kind: event.kind, outcome });
  return outcome;
}
