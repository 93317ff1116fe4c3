// The callback's own signature check and decryption against @wecom/crypto, the reference: for any message, key,
// receiveid and any garbage, interleaved (the decipher lives on from one message to the next), the same answer.
import { randomBytes } from "node:crypto";
import { decrypt, encrypt, getSignature } from "@wecom/crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decryptMessage, verifySignature } from "../../src/channels/wecom/wecom-crypto.ts";
import { randomAesKey } from "../simulators/wecom-driver.ts";

const outcome = (f: () => { message: string; id: string }) => {
  try {
    const { message, id } = f();
    return { message, id };
  } catch {
    return "throws";
  }
};

const keys = [randomAesKey(), randomAesKey(), randomAesKey()];
const text = fc.string({ unit: "grapheme", maxLength: 300 });
const input = fc.oneof(
  { weight: 4, arbitrary: fc.record({ key: fc.nat(2), message: text, id: fc.string({ maxLength: 40 }), mangle: fc.constantFrom("none", "none", "flip", "cut-block", "cut-char", "prefix") }).map((c) => {
    let enc = encrypt(keys[c.key]!, c.message, c.id, randomBytes(16));
    if (c.mangle === "flip") enc = `${enc[0] === "A" ? "B" : "A"}${enc.slice(1)}`;
    if (c.mangle === "cut-block") enc = Buffer.from(enc, "base64").subarray(16).toString("base64");
    if (c.mangle === "cut-char") enc = enc.slice(0, -3);
    if (c.mangle === "prefix") enc = `!!${enc}`;
    return { key: keys[c.key]!, enc };
  }) },
  // Garbage of every length, including whole blocks of random bytes (unpadding and the length field then read junk).
  { weight: 1, arbitrary: fc.record({ key: fc.constantFrom(...keys), enc: fc.oneof(fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 96 }).map((b) => Buffer.from(b).toString("base64"))) }) },
  { weight: 1, arbitrary: fc.nat(6).map((blocks) => ({ key: keys[0]!, enc: randomBytes(16 * blocks).toString("base64") })) },
);

describe("WeCom callback crypto", () => {
  it("decrypts exactly as @wecom/crypto, one message after another on the same decipher", () => {
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 8 }), (inputs) => {
        for (const { key, enc } of inputs) expect(outcome(() => decryptMessage(key, enc))).toEqual(outcome(() => decrypt(key, enc)));
      }),
      { seed: 1205, numRuns: 400 },
    );
  });

  it("refuses a key that is not 43 base64 characters of 32 bytes, as the library does", () => {
    expect(outcome(() => decryptMessage("short", "AAAA"))).toBe("throws");
    expect(outcome(() => decrypt("short", "AAAA"))).toBe("throws");
  });

  it("accepts exactly the signature @wecom/crypto makes", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 1 }), fc.string(), fc.nat(39), (token, timestamp, nonce, enc, at) => {
        const signature = getSignature(token, timestamp, nonce, enc);
        expect(() => verifySignature(token, { signature, timestamp, nonce }, enc)).not.toThrow();
        const wrong = signature.slice(0, at) + (signature[at] === "0" ? "1" : "0") + signature.slice(at + 1);
        expect(() => verifySignature(token, { signature: wrong, timestamp, nonce }, enc)).toThrow("bad signature");
        expect(() => verifySignature(`${token}x`, { signature, timestamp, nonce }, enc)).toThrow("bad signature");
      }),
      { seed: 1205, numRuns: 300 },
    );
  });
});
