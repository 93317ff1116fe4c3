import type { InboundEvent } from "../../core/inbound-event.ts";
import type { OutboundMessage } from "../../core/outbound-message.ts";

export const REFUSAL_TEXT = "您好，您还不在本公司销售助手的使用名单中，暂时无法为您服务。如需开通，请联系管理员。";

export function refusalMessage(e: InboundEvent): OutboundMessage {
  return {
    platform: e.platform,
    recipient: e.senderId,
    ...(e.conversation ? { conversation: e.conversation } : {}),
    body: { type: "text", text: REFUSAL_TEXT },
  };
}

/** A stranger's refusal is the outbox row with this dedupe key: at most one per person per (UTC) hour. */
export function refusalKey(e: InboundEvent, now: Date): string {
  return `refuse:${e.platform}:${e.senderId}:${now.toISOString().slice(0, 13)}`;
}

/**
 * Once the hour its key names is over, a refusal row throttles nothing more and only keeps a stranger's id:
 * delivered (or given up) refusals are deleted after this long (an hour, plus room for clocks that differ).
 */
export const REFUSAL_KEEP_MS = 2 * 3600_000;
