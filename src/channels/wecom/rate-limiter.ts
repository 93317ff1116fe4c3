// WeCom silently drops app messages beyond 30/min and 1000/h to one member (src/channels/wecom/README.md). The sender declares
// these windows (WecomSender.recipientLimits) and the outbox enforces them from the database before each send, so
// they hold across instances and a message over the limit waits for a free slot instead of being dropped. Only
// delivered messages count, so a failed call (refused, blocked, unreachable) uses no slot.
import type { ChannelSender } from "../../core/ports.ts";

export const WECOM_MEMBER_WINDOWS: NonNullable<ChannelSender["recipientLimits"]> = [
  { limit: 30, windowMs: 60_000 },
  { limit: 1000, windowMs: 3_600_000 },
];
