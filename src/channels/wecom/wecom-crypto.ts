// Callback authentication (src/channels/wecom/README.md): the signature is checked before anything is decrypted, and the
// decrypted receiveid must be our CorpID. Every failure is a WecomInputError (a 4xx), never a crash.
import { timingSafeEqual } from "node:crypto";
import { decrypt, getSignature } from "@wecom/crypto";
import { WecomInputError } from "./wecom-xml.ts";

export interface CallbackParams {
  signature: string;
  timestamp: string;
  nonce: string;
}

/**
 * The query string as sent, percent-decoded but with "+" left alone: echostr is base64, and form-decoding
 * "+" into a space (what URLSearchParams and qs do) breaks its signature.
 */
export function rawQuery(originalUrl: string): Map<string, string> {
  const q = originalUrl.indexOf("?");
  const out = new Map<string, string>();
  if (q < 0) return out;
  for (const part of originalUrl.slice(q + 1).split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = safeDecode(eq < 0 ? "" : part.slice(eq + 1));
    if (out.has(key)) throw new WecomInputError(400, `query parameter ${key} given twice`);
    out.set(key, value);
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new WecomInputError(400, "malformed query string");
  }
}

/** How far a callback's timestamp may be from our clock; see README ("why one hour"). */
export const TIMESTAMP_WINDOW_S = 3600;

export function callbackParams(query: Map<string, string>, nowMs: number): CallbackParams {
  const signature = query.get("msg_signature");
  const timestamp = query.get("timestamp");
  const nonce = query.get("nonce");
  if (!signature || !timestamp || !nonce) throw new WecomInputError(400, "msg_signature, timestamp and nonce are required");
  if (!/^[0-9a-fA-F]{40}$/.test(signature)) throw new WecomInputError(401, "bad signature");
  if (!/^\d{1,12}$/.test(timestamp)) throw new WecomInputError(400, "bad timestamp");
  if (nonce.length > 64) throw new WecomInputError(400, "bad nonce");
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TIMESTAMP_WINDOW_S) throw new WecomInputError(401, "stale timestamp");
  return { signature: signature.toLowerCase(), timestamp, nonce };
}

export function verifySignature(token: string, p: CallbackParams, encrypted: string): void {
  const expected = Buffer.from(getSignature(token, p.timestamp, p.nonce, encrypted), "utf8");
  const given = Buffer.from(p.signature, "utf8");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new WecomInputError(401, "bad signature");
}

/** Decrypts and checks the receiveid. A wrong key yields garbage rather than an exception, hence the checks. */
export function openEncrypted(encodingAesKey: string, corpId: string, encrypted: string): string {
  let opened: { message: string; id: string };
  try {
    opened = decrypt(encodingAesKey, encrypted);
  } catch {
    throw new WecomInputError(400, "cannot decrypt");
  }
  if (opened.id !== corpId) throw new WecomInputError(400, "cannot decrypt: wrong receiver");
  return opened.message;
}
