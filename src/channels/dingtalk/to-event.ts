// Pure translations from DingTalk payloads to our InboundEvent (no I/O, one spec each).
import type { InboundEvent } from "../../core/inbound-event.ts";
import { CardCallbackContentSchema, parseJsonAs, type CardCallback, type RobotMessage } from "./schemas.ts";

/**
 * Removes the robot's own @-mention and leading spaces, nothing else. DingTalk usually removes the robot's mention
 * itself (leaving the leading space); when it is still there we strip it only when we can tell it is the robot's:
 * a known robot name (exact, even with no space after it), or, without a name, one leading "@token " when the robot
 * is the only one @-mentioned (so the token cannot be a colleague's mention). "@张三 跟进一下" stays as it is.
 */
export function stripMention(content: string, m: Pick<RobotMessage, "isInAtList" | "atUsers" | "chatbotUserId"> = {}, robotNames: readonly string[] = []): string {
  let text = content.replace(/^\s+/u, "");
  const name = robotNames.find((n) => n && text.startsWith(`@${n}`));
  if (name) text = text.slice(name.length + 1);
  else if (onlyRobotMentioned(m)) text = text.replace(/^@\S+\s+/u, "");
  return text.trim();
}

function onlyRobotMentioned(m: Pick<RobotMessage, "isInAtList" | "atUsers" | "chatbotUserId">): boolean {
  const at = m.atUsers ?? [];
  return m.isInAtList === true && !!m.chatbotUserId && at.length > 0 && at.every((u) => u.dingtalkId === m.chatbotUserId);
}

export function robotMessageToEvent(m: RobotMessage, now: number, robotNames: readonly string[] = []): InboundEvent | null {
  // senderStaffId is the userId replies go to; without it (external contacts) we fall back to the opaque senderId,
  // which matches no identity, so the inbox refuses politely through the session webhook.
  const senderId = m.senderStaffId || m.senderId;
  if (!senderId) return null;
  const webhook = m.sessionWebhook ? { webhook: m.sessionWebhook, ...(m.sessionWebhookExpiredTime ? { webhookExpiresAt: m.sessionWebhookExpiredTime } : {}) } : {};
  const conversation =
    m.conversationType === "2"
      ? { type: "group" as const, ...(m.conversationId ? { id: m.conversationId } : {}), ...webhook }
      : { type: "direct" as const, ...webhook };
  const base = {
    platform: "dingtalk" as const,
    eventId: `msg:${m.msgId}`,
    senderId,
    ...(m.senderNick ? { senderName: m.senderNick.slice(0, 256) } : {}),
    conversation,
    occurredAt: m.createAt ?? now,
  };
  if (m.msgtype !== "text" || !m.text) return { ...base, kind: "unsupported", messageType: m.msgtype.slice(0, 64) };
  // Never cut: the text is stored whole (core MAX_INBOUND_TEXT_CHARS) and the core answers one too long to read.
  return { ...base, kind: "message", text: stripMention(m.text.content, m, robotNames) };
}

/**
 * A card click. Identity = (card, user, action, Stream messageId): a redelivery of the same frame (not ACKed in
 * time) has the same messageId and is a duplicate; a second deliberate click is a new frame with a new messageId,
 * so it is a new event (the handler then says "already done" if the card was decided).
 */
export function cardCallbackToEvent(c: CardCallback, messageId: string, now: number): InboundEvent | { error: string } {
  const content = parseJsonAs(CardCallbackContentSchema, c.content);
  if (!content.ok) return { error: `card content: ${content.error}` };
  const priv = content.value.cardPrivateData;
  const params = priv.params ?? {};
  const fromParams = typeof params.action === "string" ? params.action : undefined;
  const action = fromParams ?? priv.actionIds?.[0];
  if (!action) return { error: "card content: no params.action and no actionIds" };
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === "action" || v === undefined || v === null) continue;
    values[k] = (typeof v === "string" ? v : JSON.stringify(v)).slice(0, 2000);
  }
  const group = groupOfSpace(c.spaceType, c.spaceId);
  return {
    platform: "dingtalk",
    kind: "action",
    eventId: `card:${c.outTrackId}:${c.userId}:${action}:${messageId}`.slice(0, 512),
    senderId: c.userId,
    actionKey: action.slice(0, 1024),
    cardRef: c.outTrackId,
    ...(Object.keys(values).length ? { values } : {}),
    ...(group ? { conversation: { type: "group" as const, id: group } } : {}),
    occurredAt: now,
  };
}

/**
 * Where the clicked card lives, so the answer to a click in a group goes to that group. Unverified shape: we accept
 * the open-space form we deliver to ("dtv1.card//IM_GROUP.<cid>") or spaceType IM_GROUP with a bare id; anything
 * else (1:1 robot chat, unknown forms) answers in the clicker's 1:1 chat, which always works.
 */
export function groupOfSpace(spaceType: string | undefined, spaceId: string | undefined): string | undefined {
  if (!spaceId) return undefined;
  const m = /^dtv1\.card\/\/IM_GROUP\.(.+)$/.exec(spaceId);
  if (m) return m[1];
  return spaceType === "IM_GROUP" && !spaceId.includes("/") ? spaceId : undefined;
}
