// Callback authentication (src/channels/wecom/README.md): the signature is checked before anything is decrypted, and the
// decrypted receiveid must be our CorpID. Every failure is a WecomInputError (a 4xx), never a crash.
import { createDecipheriv, createHash, timingSafeEqual, type Decipher } from "node:crypto";
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

/**
 * WeCom's signature (@wecom/crypto's getSignature: SHA-1 over the four values sorted and joined), hashed piece by
 * piece and compared as 20 bytes: no joined copy of the ciphertext, no hex strings.
 */
export function verifySignature(token: string, p: CallbackParams, encrypted: string): void {
  const parts = [token, p.timestamp, p.nonce, encrypted].sort();
  const hash = createHash("sha1");
  for (const part of parts) hash.update(part, "utf8");
  const expected = hash.digest();
  const given = Buffer.from(p.signature, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new WecomInputError(401, "bad signature");
}

/**
 * WeCom's decryption (@wecom/crypto's decrypt, byte for byte: AES-256-CBC, the IV the key's first 16 bytes, PKCS#7
 * padding to 32 bytes, then 16 random bytes, a 4-byte length, the message and the receiveid) with one decipher per
 * key for the life of the process: creating one costs about as much as decrypting a callback. Fed one whole-block
 * ciphertext after another, CBC chains each message's first block to the previous message's last ciphertext block
 * instead of the IV, so only that block decrypts differently: it holds the 16 random bytes, which nothing reads
 * (property-tested against @wecom/crypto, test/wecom/wecom-crypto.test.ts). Synchronous: messages never interleave.
 */
class WecomDecipher {
  private readonly decipher: Decipher;

  constructor(encodingAesKey: string) {
    const key = Buffer.from(`${encodingAesKey}=`, "base64");
    if (key.length !== 32) throw new Error("invalid encodingAESKey");
    this.decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
    this.decipher.setAutoPadding(false);
  }

  decrypt(encrypted: string): { message: string; id: string } {
    const cipher = Buffer.from(encrypted, "base64");
    // Not whole blocks: a fresh decipher's final() throws; this one would keep the rest for the next message.
    if (cipher.length === 0 || cipher.length % 16 !== 0) throw new Error("wrong final block length");
    const plain = this.decipher.update(cipher);
    // One block has no length field: it throws below whatever its bytes, as the library does.
    const pad = plain[plain.length - 1]!;
    const unpadded = pad < 1 || pad > 32 ? plain : plain.subarray(0, plain.length - pad);
    const length = unpadded.readUInt32BE(16); // throws under 20 bytes, as the library does
    const end = Math.min(unpadded.length, length + 20);
    return { message: unpadded.toString("utf8", 20, end), id: unpadded.toString("utf8", end) };
  }
}

const deciphers = new Map<string, WecomDecipher>();

/** @wecom/crypto's decrypt (message and receiveid); throws on what it throws on. */
export function decryptMessage(encodingAesKey: string, encrypted: string): { message: string; id: string } {
  let d = deciphers.get(encodingAesKey);
  if (!d) {
    d = new WecomDecipher(encodingAesKey);
    if (deciphers.size < 16) deciphers.set(encodingAesKey, d);
  }
  return d.decrypt(encrypted);
}

/** Decrypts and checks the receiveid. A wrong key yields garbage rather than an exception, hence the checks. */
export function openEncrypted(encodingAesKey: string, corpId: string, encrypted: string): string {
  let opened: { message: string; id: string };
  try {
    opened = decryptMessage(encodingAesKey, encrypted);
  } catch {
    throw new WecomInputError(400, "cannot decrypt");
  }
  if (opened.id !== corpId) throw new WecomInputError(400, "cannot decrypt: wrong receiver");
  return opened.message;
}
