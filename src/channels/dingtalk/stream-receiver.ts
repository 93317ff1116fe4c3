// Stream callbacks → InboundEvent → inbox → ACK. The ACK is sent only after the event is durably stored; a frame
// we cannot read is ACKed too (with nothing stored) so the platform does not redeliver it forever.
import { TOPIC_CARD, TOPIC_ROBOT, EventAck, type DWClientDownStream } from "dingtalk-stream";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { InboxPort } from "../../core/ports.ts";
import { acceptEvent } from "./accept-event.ts";
import { CardCallbackSchema, RobotMessageSchema, parseJsonAs } from "./schemas.ts";
import type { LocalDWClient } from "./stream-client.ts";
import { cardCallbackToEvent, robotMessageToEvent } from "./to-event.ts";

export interface StreamReceiverDeps {
  inbox: InboxPort;
  log: Logger;
  clock: Clock;
  /** See stripMention. */
  robotNames: readonly string[];
}

export function attachStreamReceiver(client: LocalDWClient, deps: StreamReceiverDeps): void {
  client.registerCallbackListener(TOPIC_ROBOT, (frame) => void handle(client, deps, frame, "robot"));
  client.registerCallbackListener(TOPIC_CARD, (frame) => void handle(client, deps, frame, "card"));
  // We subscribe to no EVENT topics; should one arrive anyway, acknowledge it so it is not redelivered.
  client.registerAllEventListener((frame) => {
    deps.log.info("dingtalk stream: event ignored", { topic: frame.headers?.topic, eventType: frame.headers?.eventType });
    return { status: EventAck.SUCCESS };
  });
}

async function handle(client: LocalDWClient, deps: StreamReceiverDeps, frame: DWClientDownStream, kind: "robot" | "card"): Promise<void> {
  const messageId = frame.headers.messageId;
  const socket = client.socketNow;
  const log = deps.log.child({ channel: "dingtalk", messageId, topic: frame.headers.topic });
  if (!messageId) return log.warn("dingtalk stream: callback without a messageId ignored");
  try {
    const event = toEvent(frame, kind, deps.clock.now().getTime(), deps.robotNames);
    if ("error" in event) log.warn("dingtalk stream: callback ignored", { error: event.error });
    else if ((await acceptEvent(deps.inbox, log, event)) === "invalid") log.warn("dingtalk stream: callback not stored");
  } catch (err) {
    // Not stored (database down…): no ACK, so a redelivering topic tries again; the inbox dedupes.
    log.error("dingtalk stream: could not store callback; not acknowledged", { err });
    return;
  }
  // Each connection has its own client, so the ACK goes back on the socket the frame came from; a draining
  // connection is still answered. Only a socket that closed meanwhile cannot be.
  if (client.socketNow !== socket || socket?.readyState !== socket?.OPEN) {
    log.warn("dingtalk stream: connection closed before the ACK; the platform may redeliver (deduped)");
    return;
  }
  try {
    client.socketCallBackResponse(messageId, {});
  } catch (err) {
    log.warn("dingtalk stream: ACK could not be sent", { err });
  }
}

function toEvent(frame: DWClientDownStream, kind: "robot" | "card", now: number, robotNames: readonly string[]) {
  const data = typeof frame.data === "string" ? frame.data : "";
  if (kind === "robot") {
    const parsed = parseJsonAs(RobotMessageSchema, data);
    if (!parsed.ok) return { error: `robot message: ${parsed.error}` };
    return robotMessageToEvent(parsed.value, now, robotNames) ?? { error: "robot message without a sender" };
  }
  const parsed = parseJsonAs(CardCallbackSchema, data);
  if (!parsed.ok) return { error: `card callback: ${parsed.error}` };
  return cardCallbackToEvent(parsed.value, messageId(frame), now);
}

function messageId(frame: DWClientDownStream): string {
  return String(frame.headers.messageId ?? "");
}
