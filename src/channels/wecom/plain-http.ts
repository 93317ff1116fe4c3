// What the callback's fast path (wecom-receiver.ts) needs from HTTP without Express: the raw body read as
// express.raw() reads it (same limit, same refusals; ../http-body.ts) and a short plain-text answer with exactly the
// headers Express's res.status(s).type("text/plain").send(text) writes (test/wecom/wecom-fast-path.test.ts compares them).
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody as readRawBody, weakEtag } from "../http-body.ts";
import { WecomInputError } from "./wecom-xml.ts";

export { weakEtag };

/**
 * The body as a UTF-8 string, or a WecomInputError: 413 "body too large" past `limit` bytes (declared or received;
 * the rest is read off and dropped, then answered, as body-parser does), 400 "bad request" when the request ends
 * short of its Content-Length or is aborted. Only for requests without a Content-Encoding (the caller checks).
 */
export function readBody(req: IncomingMessage, limit: number, done: (err: WecomInputError | null, body: string) => void): void {
  readRawBody(req, limit, (err, body) => done(err ? new WecomInputError(err.status, err.message) : null, body));
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
