// The callback URL: verify, decrypt, parse, translate, put into the inbox, ack. Nothing else happens here;
// replies go through the outbox. Bad input gets a short plain-text 4xx and is never stored.
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type RequestHandler } from "express";
import type { Logger } from "../../core/logger.ts";
import type { InboxPort } from "../../core/ports.ts";
import { RefusalLog } from "../../core/refusal-log.ts";
import { isCallbackPath, isFastCallback } from "../http-body.ts";
import { readBody, sendText } from "./plain-http.ts";
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

export interface WecomReceiver {
  /** For app.use(mountPath, router): GET, HEAD and POST /callback; anything else goes on to the app (its 404). */
  router: RequestHandler;
  /**
   * For the http.Server itself, ahead of Express: takes a POST to `<mountPath>/callback` without a Content-Encoding
   * and answers it exactly as `router` would (status, body, headers), returning true; anything else is left alone
   * (false) for the app. Every callback passes here: without Express's request set-up, router and body-parser it
   * costs about a third less CPU and garbage (README, Benchmarks).
   */
  listener: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export function createWecomReceiver(config: ReceiverConfig, deps: ReceiverDeps, mountPath = "/wecom"): WecomReceiver {
  const now = deps.nowMs ?? Date.now;
  const log = deps.log.child({ channel: "wecom" });
  const rawBody = express.raw({ type: () => true, limit: deps.maxBodyBytes });
  const refusals = new RefusalLog(log);

  /** Every failure on these routes is a short plain-text 4xx; no stack traces, nothing reaches the app's 500. */
  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown): void => {
    const { status, reason } = describe(err);
    const known = err instanceof WecomInputError || (err as { status?: number } | null)?.status !== undefined;
    // Rate-limited per remote address and reason: a flood of forged callbacks cannot flood the log.
    if (known) refusals.refused("callback refused", req.socket.remoteAddress ?? "unknown", reason.slice(0, 100), { status, method: req.method });
    else log.error("callback failed unexpectedly", { err, method: req.method });
    if (res.headersSent) return;
    sendText(req, res, status, reason);
  };

  const verifyUrl = (req: express.Request, res: express.Response): void => {
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

  /** The POST once its body is read; `url` is the request's own (path and query as sent). */
  const receive = async (url: string, body: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const params = callbackParams(rawQuery(url), now());
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
      sendText(req, res, 503, "temporarily unavailable");
      return;
    }
    log.debug("callback accepted", { eventId: event.eventId, outcome });
    res.statusCode = 200;
    res.end(); // empty body: nothing is replied passively
  };

  const router: RequestHandler = (req, res, next) => {
    if (!isCallbackPath(req.url)) return next();
    if (req.method === "POST") {
      rawBody(req, res, (err?: unknown) => {
        if (err) return fail(req, res, err);
        const body = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
        receive(req.originalUrl, body, req, res).catch((e: unknown) => fail(req, res, e));
      });
    } else if (req.method === "GET" || req.method === "HEAD") {
      try {
        verifyUrl(req, res);
      } catch (err) {
        fail(req, res, err);
      }
    } else {
      next();
    }
  };

  const prefix = mountPath.toLowerCase();
  const listener = (req: IncomingMessage, res: ServerResponse): boolean => {
    // A compressed body is inflated by body-parser: rare enough to leave to the router.
    if (!isFastCallback(req, prefix)) return false;
    const url = req.url ?? "";
    readBody(req, deps.maxBodyBytes, (err, body) => {
      if (err) return fail(req, res, err);
      receive(url, body, req, res).catch((e: unknown) => fail(req, res, e));
    });
    return true;
  };

  return { router, listener };
}

/** The router alone (tests mount it on an app of their own). */
export function wecomRouter(config: ReceiverConfig, deps: ReceiverDeps): RequestHandler {
  return createWecomReceiver(config, deps).router;
}

function describe(err: unknown): { status: number; reason: string } {
  if (err instanceof WecomInputError) return { status: err.status, reason: err.message };
  const e = err as { status?: number; type?: string } | null;
  if (e?.type === "entity.too.large") return { status: 413, reason: "body too large" };
  if (e?.status && e.status >= 400 && e.status < 500) return { status: e.status, reason: "bad request" };
  return { status: 400, reason: "bad request" };
}
