// For the tests that compare a channel's callback answered ahead of Express (Channel.listener) with the same
// channel's Express route: the request framings both must handle alike, and the byte-for-byte comparison.
import { gzipSync } from "node:zlib";
import { expect } from "vitest";
import { httpBytes, rawRequest, type RawAnswer } from "../hostile/hostile-bot.ts";

export type Framing = "length" | "chunked" | "none" | "gzip" | "identity" | "bogus-encoding";

/** The raw request with its body framed as `framing` says (`identity` in the case given, to check case-insensitivity). */
export function framedRequest(method: string, target: string, headers: [string, string][], body: Buffer, framing: Framing, identity = "Identity"): Buffer {
  switch (framing) {
    case "length":
      return httpBytes(method, target, headers, body);
    case "none":
      return httpBytes(method, target, headers, Buffer.alloc(0), { contentLength: "none" });
    case "identity":
      return httpBytes(method, target, [...headers, ["content-encoding", identity]], body);
    case "bogus-encoding":
      return httpBytes(method, target, [...headers, ["content-encoding", "x-squash"]], body);
    case "gzip":
      return httpBytes(method, target, [...headers, ["content-encoding", "gzip"]], gzipSync(body));
    case "chunked": {
      const half = Math.floor(body.length / 2);
      const chunk = (b: Buffer) => (b.length ? [Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from("\r\n")] : []);
      const chunks = Buffer.concat([...chunk(body.subarray(0, half)), ...chunk(body.subarray(half)), Buffer.from("0\r\n\r\n")]);
      return httpBytes(method, target, [...headers, ["transfer-encoding", "chunked"]], chunks, { contentLength: "none" });
    }
  }
}

/** The head without its Date line (the two servers answer a few milliseconds apart). */
export const withoutDate = (head: string) => head.replace(/\r\nDate: [^\r]*/i, "");

/** Sends the same bytes to both servers; expects an answer and the same status, head (but Date) and body from both. */
export async function expectSameAnswer(ports: { fast: number; express: number }, bytes: Buffer, head = false): Promise<RawAnswer> {
  const [fast, exp] = await Promise.all([rawRequest(ports.fast, bytes, { head }), rawRequest(ports.express, bytes, { head })]);
  expect(fast.status).toBeGreaterThan(0);
  expect({ status: fast.status, head: withoutDate(fast.head), body: fast.body }).toEqual({ status: exp.status, head: withoutDate(exp.head), body: exp.body });
  return fast;
}
