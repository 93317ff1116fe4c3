// The one shape every channel reduces its input to (like bolt-js's ReceiverEvent).
import { z } from "zod";

export const PlatformSchema = z.enum(["wecom", "dingtalk", "playground"]);
export type Platform = z.infer<typeof PlatformSchema>;

/** Where a reply should go when it is not simply the sender's 1:1 chat. */
export const ConversationSchema = z.object({
  type: z.enum(["direct", "group"]),
  id: z.string().max(256).optional(),
  /** DingTalk sessionWebhook: usable for replies until it expires. */
  webhook: z.string().url().optional(),
  webhookExpiresAt: z.number().int().optional(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

/**
 * Longest text the core tries to understand. A longer message is still stored whole (nothing a member writes is
 * lost) but answered with "太长了" naming this limit instead of being parsed: a wall of pasted text is not a
 * visit log, and parsing (or an LLM call) on it would be slow and wrong.
 */
export const MAX_UNDERSTOOD_TEXT_CHARS = 2000;

/**
 * Longest text any channel stores, far above what a platform delivers (WeCom: 2048 bytes; DingTalk a few
 * thousand characters), so every deliverable message is accepted whole on every channel. It is only a sanity
 * bound: abuse is stopped earlier by the request body cap (MAX_BODY_BYTES).
 */
export const MAX_INBOUND_TEXT_CHARS = 100_000;

const base = {
  platform: PlatformSchema,
  /** Platform-unique id of this delivery; the inbox refuses a second event with the same id. */
  eventId: z.string().min(1).max(512),
  /** The sender as the platform knows them (WeCom UserID, DingTalk staffId, playground user). */
  senderId: z.string().min(1).max(256),
  senderName: z.string().max(256).optional(),
  conversation: ConversationSchema.optional(),
  /** Epoch ms when the platform says it happened. */
  occurredAt: z.number().int(),
};

export const InboundEventSchema = z.discriminatedUnion("kind", [
  z.object({ ...base, kind: z.literal("message"), text: z.string().max(MAX_INBOUND_TEXT_CHARS) }),
  z.object({
    ...base,
    kind: z.literal("action"),
    /** The clicked button's key, e.g. "undo:crd_abc". */
    actionKey: z.string().min(1).max(1024),
    /** The card the click came from (WeCom TaskId, DingTalk outTrackId, playground card ref). */
    cardRef: z.string().max(256).optional(),
    /** WeCom's one-shot code to update the clicked card. */
    responseCode: z.string().max(512).optional(),
    /** Extra values from the card (DingTalk params, a typed reason). */
    values: z.record(z.string(), z.string().max(2000)).optional(),
  }),
  /** The user opened the app / chat (WeCom enter_agent). */
  z.object({ ...base, kind: z.literal("enter") }),
  /** A message type the bot cannot read (image, voice, file…). */
  z.object({ ...base, kind: z.literal("unsupported"), messageType: z.string().max(64) }),
]);
export type InboundEvent = z.infer<typeof InboundEventSchema>;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * PostgreSQL cannot store U+0000 in text or jsonb, nor a lone UTF-16 surrogate in jsonb (JSON "\ud800" is valid for
 * JSON.parse, but the insert fails: found by the fuzzer, test/hostile/fuzz.test.ts, as a 500 on DingTalk's HTTP
 * callback and the playground). A pasted NUL is dropped and a lone surrogate becomes U+FFFD, as a UTF-8 decoder
 * would, so such a message is stored instead of failing its whole batch.
 */
export function withoutNul<T>(value: T): T {
  // Every callback passes here: a clean event (all but a fuzzer's) is checked with one regex test per string and
  // given back as it is, not copied.
  return needsCleaning(value) ? clean(value) : value;
}

const SUSPECT = /[\u0000\ud800-\udfff]/;

function needsCleaning(value: unknown): boolean {
  if (typeof value === "string") return SUSPECT.test(value);
  if (Array.isArray(value)) return value.some(needsCleaning);
  if (value && typeof value === "object") {
    for (const k in value) if (Object.hasOwn(value, k) && (SUSPECT.test(k) || needsCleaning((value as Record<string, unknown>)[k]))) return true;
  }
  return false;
}

function clean<T>(value: T): T {
  if (typeof value === "string") return value.replace(/\u0000/g, "").replace(LONE_SURROGATE, "\ufffd") as T;
  if (Array.isArray(value)) return value.map(clean) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), clean(v)])) as T;
  }
  return value;
}
