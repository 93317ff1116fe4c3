// Pure mapping from a decrypted WeCom message to our InboundEvent; null means "ack and ignore".
import { createHash } from "node:crypto";
import type { InboundEvent } from "../../core/inbound-event.ts";
import { WecomInputError, type WecomMessage } from "./wecom-xml.ts";

const UNSUPPORTED = new Set(["image", "voice", "video", "location", "file", "link"]);
const CARD_EVENTS = new Set(["template_card_event", "template_card_menu_event"]);

/**
 * `m` has passed WecomMessageSchema, whose bounds keep every field within InboundEventSchema's (sender ≤ 256, text ≤
 * MAX_INBOUND_TEXT_CHARS, key ≤ 1024, TaskId ≤ 128, ResponseCode ≤ 512, MsgType ≤ 32, CreateTime ≤ 12 digits, ids ≤
 * 512 or hashed): the event is valid by construction and is not parsed a second time on every callback (a test feeds
 * the largest message of each kind through InboundEventSchema, test/wecom/wecom-inbound.test.ts).
 */
export function toInboundEvent(m: WecomMessage): InboundEvent | null {
  const base = { platform: "wecom" as const, senderId: m.FromUserName, occurredAt: Number(m.CreateTime) * 1000 };
  if (m.MsgType === "text") {
    if (m.Content === undefined) throw new WecomInputError(400, "text message without Content");
    return { ...base, kind: "message", eventId: messageId(m), text: m.Content };
  }
  if (UNSUPPORTED.has(m.MsgType)) return { ...base, kind: "unsupported", eventId: messageId(m), messageType: m.MsgType };
  if (m.MsgType !== "event") return null; // a type WeCom may add later: nothing to do
  if (m.Event === "enter_agent") return { ...base, kind: "enter", eventId: eventId(m) };
  if (m.Event && CARD_EVENTS.has(m.Event) && m.EventKey) {
    return {
      ...base,
      kind: "action",
      eventId: eventId(m),
      actionKey: m.EventKey,
      ...(m.TaskId ? { cardRef: m.TaskId } : {}),
      ...(m.ResponseCode ? { responseCode: m.ResponseCode } : {}),
    };
  }
  return null; // subscribe, unsubscribe, location reports…: acked and ignored
}

/** Messages are deduplicated by MsgId (src/channels/wecom/README.md); the fallback only guards against a missing one. */
function messageId(m: WecomMessage): string {
  return m.MsgId ? `msg:${m.MsgId}` : `msg:${m.FromUserName}:${m.CreateTime}:${m.MsgType}`;
}

/** Events carry no MsgId: sender + time, plus what was clicked so two clicks in one second do not collide. */
function eventId(m: WecomMessage): string {
  const id = `evt:${m.FromUserName}:${m.CreateTime}:${m.Event ?? ""}:${m.TaskId ?? ""}:${m.EventKey ?? ""}`;
  // Keys may be up to 1024 bytes but event ids are capped at 512: long ones are hashed (still deterministic).
  return id.length <= 512 ? id : `evt:sha256:${createHash("sha256").update(id).digest("hex")}`;
}
