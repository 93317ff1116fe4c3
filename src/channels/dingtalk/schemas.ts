// zod shapes of what DingTalk sends us (src/channels/dingtalk/README.md). Lenient on extra fields, strict on what we use.
import { z } from "zod";

/** Robot message, the `data` of a Stream CALLBACK on /v1.0/im/bot/messages/get, or an HTTP-mode POST body. */
export const RobotMessageSchema = z.object({
  msgId: z.string().min(1).max(256),
  msgtype: z.string().min(1).max(64),
  conversationType: z.enum(["1", "2"]),
  conversationId: z.string().max(256).optional(),
  senderStaffId: z.string().max(256).optional(),
  senderId: z.string().max(512).optional(),
  senderNick: z.string().max(256).optional(),
  sessionWebhook: z.string().url().optional(),
  sessionWebhookExpiredTime: z.number().int().optional(),
  createAt: z.number().int().optional(),
  robotCode: z.string().optional(),
  /** Group messages: whether the robot was @-mentioned, who was, and the robot's own (encrypted) id. */
  isInAtList: z.boolean().optional(),
  atUsers: z.array(z.object({ dingtalkId: z.string().optional(), staffId: z.string().optional() })).max(200).optional(),
  chatbotUserId: z.string().optional(),
  text: z.object({ content: z.string() }).optional(),
});
export type RobotMessage = z.infer<typeof RobotMessageSchema>;

/** Card button click, the `data` of a Stream CALLBACK on /v1.0/card/instances/callback. */
export const CardCallbackSchema = z.object({
  outTrackId: z.string().min(1).max(256),
  userId: z.string().min(1).max(256),
  type: z.string().optional(),
  corpId: z.string().optional(),
  spaceType: z.string().optional(),
  spaceId: z.string().optional(),
  /** A JSON string: {"cardPrivateData":{"actionIds":[…],"params":{…}}}. */
  content: z.string().max(20_000),
});
export type CardCallback = z.infer<typeof CardCallbackSchema>;

export const CardCallbackContentSchema = z.object({
  cardPrivateData: z.object({
    actionIds: z.array(z.string()).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** Answer of POST /v1.0/gateway/connections/open. The SDK appends `?ticket=`, so the endpoint must not carry a query. */
export const OpenConnectionSchema = z.object({
  endpoint: z.string().regex(/^wss?:\/\/[^?]+$/, "expected a ws(s):// URL without a query"),
  ticket: z.string().min(1),
});

/** Parse a JSON string and validate it; null when it is not JSON or not the shape. */
export function parseJsonAs<T>(schema: z.ZodType<T>, text: string): { ok: true; value: T } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: "not JSON" };
  }
  const r = schema.safeParse(raw);
  if (!r.success) return { ok: false, error: r.error.issues.map((i) => `${i.path.join(".") || "data"}: ${i.message}`).join("; ") };
  return { ok: true, value: r.data };
}
