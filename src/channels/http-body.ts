// What the channels' fast paths (Channel.listener, ahead of Express) need from HTTP: the raw body read as
// body-parser reads it (same limit, same refusals), Express's default ETag, and which paths Express would route to a
// channel's callback. Each channel's own file builds its answers on these (wecom/plain-http.ts,
// dingtalk/http-receiver.ts); property tests compare both paths byte for byte.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Why a body could not be read: 413 past the limit, 400 when the request ended short or was aborted. */
export interface BodyError {
  status: 400 | 413;
  message: "bad request" | "body too large";
}

/**
 * Whether body-parser would read this request itself (type-is's hasBody): a Transfer-Encoding or a numeric
 * Content-Length. Without either it leaves the body unread and the route sees none.
 */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || !Number.isNaN(Number(req.headers["content-length"]));
}

/**
 * The body as a UTF-8 string (empty when there is none), or a BodyError: 413 past `limit` bytes (declared or
 * received; the rest is read off and dropped, then answered, as body-parser does), 400 when the request ends short of
 * its Content-Length or is aborted. Only for requests without a Content-Encoding (the caller checks).
 */
export function readBody(req: IncomingMessage, limit: number, done: (err: BodyError | null, body: string) => void): void {
  if (!hasBody(req)) return done(null, "");
  const declared = req.headers["content-length"] === undefined ? null : Number(req.headers["content-length"]);
  let tooLarge = declared !== null && declared > limit;
  let received = 0;
  let first: Buffer | null = null;
  let more: Buffer[] | null = null;
  let finished = false;
  const finish = (err: BodyError | null, body: string) => {
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
    if (tooLarge) return finish(TOO_LARGE, "");
    if (declared !== null && received !== declared) return finish(BAD_REQUEST, "");
    const body = more ? Buffer.concat(more, received) : first;
    finish(null, body ? body.toString("utf8") : "");
  };
  const onAbort = () => finish(BAD_REQUEST, "");
  req.on("data", onData).on("end", onEnd).on("aborted", onAbort).on("error", onAbort);
}

const TOO_LARGE: BodyError = Object.freeze({ status: 413, message: "body too large" });
const BAD_REQUEST: BodyError = Object.freeze({ status: 400, message: "bad request" });

/** Express's default ETag (etag's weak form): W/"<length in hex>-<first 27 characters of the base64 SHA-1>". */
export function weakEtag(body: Buffer): string {
  if (body.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${body.length.toString(16)}-${createHash("sha1").update(body).digest("base64").slice(0, 27)}"`;
}

/** `/callback` (the path below the mount point), as express routes match it: any case, one trailing slash allowed. */
export function isCallbackPath(url: string): boolean {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  return /^\/callback\/?$/i.test(path);
}

/**
 * `<mount>/callback` as the whole path, any case, one trailing slash: requests Express would route to the channel's
 * callback (a mount matches case-insensitively; anything odder, such as `//`, an encoded slash or an absolute URL,
 * is left to Express, which answers it as before). `prefix` is the mount path in lower case.
 */
export function isMountedCallbackPath(url: string, prefix: string): boolean {
  const q = url.indexOf("?");
  const end = q < 0 ? url.length : q;
  const n = prefix.length;
  if (end !== n + 9 && end !== n + 10) return false;
  if (url.slice(0, n).toLowerCase() !== prefix) return false;
  return isCallbackPath(url.slice(n, end));
}

/**
 * A request a channel answers ahead of Express: a POST to `<mount>/callback` with an uncompressed body. Anything else
 * (the URL check, compressed bodies that body-parser inflates, odd paths and methods) goes to the channel's Express
 * route, which answers it as it always did. `prefix` is the mount path in lower case.
 */
export function isFastCallback(req: IncomingMessage, prefix: string): boolean {
  if (req.method !== "POST" || !isMountedCallbackPath(req.url ?? "", prefix)) return false;
  const encoding = req.headers["content-encoding"];
  return encoding === undefined || encoding.toLowerCase() === "identity";
}
