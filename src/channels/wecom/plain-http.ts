// What the callback's fast path (wecom-receiver.ts) needs from HTTP without Express: the raw body read as
// express.raw() reads it (same limit, same refusals) and a short plain-text answer with exactly the headers
// Express's res.status(s).type("text/plain").send(text) writes (test/wecom/wecom-fast-path.test.ts compares them).
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { WecomInputError } from "./wecom-xml.ts";

/**
 * Whether express.raw() would read this request itself (type-is's hasBody): a Transfer-Encoding or a numeric
 * Content-Length. Without either it leaves the body unread and the route sees none.
 */
function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || !Number.isNaN(Number(req.headers["content-length"]));
}

/**
 * The body as a UTF-8 string, or a WecomInputError: 413 "body too large" past `limit` bytes (declared or received;
 * the rest is read off and dropped, then answered, as body-parser does), 400 "bad request" when the request ends
 * short of its Content-Length or is aborted. Only for requests without a Content-Encoding (the caller checks).
 */
export function readBody(req: IncomingMessage, limit: number, done: (err: WecomInputError | null, body: string) => void): void {
  if (!hasBody(req)) return done(null, "");
  const declared = req.headers["content-length"] === undefined ? null : Number(req.headers["content-length"]);
  let tooLarge = declared !== null && declared > limit;
  let received = 0;
  let first: Buffer | null = null;
  let more: Buffer[] | null = null;
  let finished = false;
  const finish = (err: WecomInputError | null, body: string) => {
    if (finished) return;
    finished = true;
    req.off("data", onData).off("end", onEnd).off("aborted", onAbort).off("error", onAbort);
    done(err, body);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (tooLarge || received > limit) {
      tooLarge = true;
      first = more = null;
      return;
    }
    if (!first) first = chunk;
    else (more ??= [first]).push(chunk);
  };
  const onEnd = () => {
    if (tooLarge) return finish(new WecomInputError(413, "body too large"), "");
    if (declared !== null && received !== declared) return finish(new WecomInputError(400, "bad request"), "");
    const body = more ? Buffer.concat(more, received) : first;
    finish(null, body ? body.toString("utf8") : "");
  };
  const onAbort = () => finish(new WecomInputError(400, "bad request"), "");
  req.on("data", onData).on("end", onEnd).on("aborted", onAbort).on("error", onAbort);
}

/** Express's default ETag (etag's weak form): W/"<length in hex>-<first 27 characters of the base64 SHA-1>". */
export function weakEtag(body: Buffer): string {
  if (body.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${body.length.toString(16)}-${createHash("sha1").update(body).digest("base64").slice(0, 27)}"`;
}

/** res.status(status).type("text/plain").send(text), header for header; no body for HEAD. */
export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(text, "utf8");
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Content-Length", String(body.length));
  res.setHeader("ETag", weakEtag(body));
  if (req.method === "HEAD") res.end();
  else res.end(body);
}
