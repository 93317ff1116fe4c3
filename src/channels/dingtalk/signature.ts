// HTTP-mode callback signature (src/channels/dingtalk/README.md): sign = base64(HmacSHA256(appSecret, timestamp + "\n" + appSecret)).
import { createHmac, timingSafeEqual } from "node:crypto";

export const MAX_SKEW_MS = 3600_000;

export function signTimestamp(timestamp: string, appSecret: string): string {
  return createHmac("sha256", appSecret).update(`${timestamp}\n${appSecret}`, "utf8").digest("base64");
}

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "stale" | "forged" };

export function verifySignature(timestamp: string | undefined, sign: string | undefined, appSecret: string, nowMs: number): SignatureCheck {
  if (!timestamp || !sign || !/^\d{10,16}$/.test(timestamp)) return { ok: false, reason: "missing" };
  if (Math.abs(nowMs - Number(timestamp)) > MAX_SKEW_MS) return { ok: false, reason: "stale" };
  const expected = Buffer.from(signTimestamp(timestamp, appSecret));
  const given = Buffer.from(sign);
  // Constant-time compare; lengths differ only for forged values, which may leak nothing useful.
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "forged" };
  return { ok: true };
}
