// The callback URL: verify, decrypt, parse, translate, put into the inbox, ack. Nothing else happens here;
// replies go through the outbox. Bad input gets a short plain-text 4xx and is never stored.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "../../core/logger.ts";
import type { InboxPort } from "../../core/ports.ts";
import { RefusalLog } from "../../core/refusal-log.ts";
import { callbackParams, openEncrypted, rawQuery, verifySignature } from "./wecom-crypto.ts";
import { toInboundEvent } from "./wecom-to-event.ts";
import { parseEnvelope, parseWecomMessage, WecomInputError } from "./wecom-xml.ts";

export interface ReceiverConfig {
  corpId: string;
  token: string;
  encodingAesKey: string;
}

export interface ReceiverDeps {
  inbox: InboxPort;
  log: Logger;
  maxBodyBytes: number;
  /** Wall-clock time for the timestamp window (real time, not the business clock). */
  nowMs?: () => number;
}

/**
 * The handler mounted at the channel's path (main.ts: /wecom): GET and POST /callback; anything else goes on to the
 * app (its 404). A plain function rather than a nested express.Router: every callback passes here, and the nested
 * router's matching, prefix trimming and per-request closures cost more CPU and garbage than the rest of this route.
 */
export function wecomRouter(config: ReceiverConfig, deps: ReceiverDeps): RequestHandler {
  const now = deps.nowMs ?? Date.now;
  const log = deps.log.child({ channel: "wecom" });
  const readBody = express.raw({ type: () => true, limit: deps.maxBodyBytes });
  const onError = errorHandler(log, new RefusalLog(log));

  const verifyUrl = (req: Request, res: Response): void => {
    const query = rawQuery(req.originalUrl);
    const params = callbackParams(query, now());
    const echostr = query.get("echostr");
    if (!echostr) throw new WecomInputError(400, "echostr is required");
    verifySignature(config.token, params, echostr);
    const plain = openEncrypted(config.encodingAesKey, config.corpId, echostr);
    log.info("callback URL verified");
    // Exactly the plaintext: no quotes, no newline (WeCom compares byte for byte).
    res.status(200).type("text/plain").send(plain);
  };

  const receive = async (req: Request, res: Response): Promise<void> => {
    const params = callbackParams(rawQuery(req.originalUrl), now());
    const body = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
    if (!body) throw new WecomInputError(400, "empty body");
    const envelope = parseEnvelope(body);
    verifySignature(config.token, params, envelope.Encrypt);
    const message = parseWecomMessage(openEncrypted(config.encodingAesKey, config.corpId, envelope.Encrypt));
    const event = toInboundEvent(message);
    if (!event) {
      log.debug("callback ignored", { msgType: message.MsgType, event: message.Event });
      res.statusCode = 200;
      res.end();
      return;
    }
    let outcome: string;
    try {
      outcome = await deps.inbox.accept(event);
    } catch (err) {
      // Not stored, so not acked: WeCom retries.
      log.error("inbox unavailable", { err, eventId: event.eventId });
      res.status(503).type("text/plain").send("temporarily unavailable");
      return;
    }
    log.debug("callback accepted", { eventId: event.eventId, outcome });
    res.statusCode = 200;
    res.end(); // empty body: nothing is replied passively
  };

  return (req, res, next) => {
    if (!isCallbackPath(req.url)) return next();
    const fail = (err: unknown) => onError(err, req, res, next);
    if (req.method === "POST") {
      readBody(req, res, (err?: unknown) => (err ? fail(err) : receive(req, res).catch(fail)));
    } else if (req.method === "GET" || req.method === "HEAD") {
      try {
        verifyUrl(req, res);
      } catch (err) {
        fail(err);
      }
    } else {
      next();
    }
  };
}

/** `/callback` (the path below the mount point), as express routes match it: any case, one trailing slash allowed. */
function isCallbackPath(url: string): boolean {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  return /^\/callback\/?$/i.test(path);
}

/** Every failure on these routes is a short plain-text 4xx; no stack traces, nothing reaches the app's 500. */
function errorHandler(log: Logger, refusals: RefusalLog) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { status, reason } = describe(err);
    const known = err instanceof WecomInputError || (err as { status?: number } | null)?.status !== undefined;
    // Rate-limited per remote address and reason: a flood of forged callbacks cannot flood the log.
    if (known) refusals.refused("callback refused", req.ip ?? req.socket.remoteAddress ?? "unknown", reason.slice(0, 100), { status, method: req.method });
    else log.error("callback failed unexpectedly", { err, method: req.method });
    if (res.headersSent) return;
    res.status(status).type("text/plain").send(reason);
  };
}

function describe(err: unknown): { status: number; reason: string } {
  if (err instanceof WecomInputError) return { status: err.status, reason: err.message };
  const e = err as { status?: number; type?: string } | null;
  if (e?.type === "entity.too.large") return { status: 413, reason: "body too large" };
  if (e?.status && e.status >= 400 && e.status < 500) return { status: e.status, reason: "bad request" };
  return { status: 400, reason: "bad request" };
}
