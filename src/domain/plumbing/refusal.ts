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
