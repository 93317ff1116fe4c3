// HTTP ("outgoing") mode: DingTalk POSTs the robot message to /dingtalk/callback with a timestamp signature.
// Verified before the body is even parsed; stored in the inbox before we answer 200 {}.
// The POST is answered ahead of Express (`listener`, as WeCom's callback is) with the same answers, header for header,
// as the Express route, which still serves compressed bodies, other charsets and odd paths
// (test/dingtalk/http-fast-path.test.ts sends both the same requests).
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { InboxPort } from "../../core/ports.ts";
import { RefusalLog } from "../../core/refusal-log.ts";
import { hasBody, isFastCallback, readBody, weakEtag } from "../http-body.ts";
import { acceptEvent } from "./accept-event.ts";
import { RobotMessageSchema } from "./schemas.ts";
import { verifySignature } from "./signature.ts";
import { robotMessageToEvent } from "./to-event.ts";

export interface HttpReceiverDeps {
  appSecret: string;
  inbox: InboxPort;
  log: Logger;
  clock: Clock;
  maxBodyBytes: number;
  /** See stripMention. */
  robotNames?: readonly string[];
}

export interface DingtalkHttpReceiver {
  /** For app.use(mountPath, router): POST /callback. */
  router: express.Router;
  /**
   * For the http.Server itself, ahead of Express: takes a POST to `<mountPath>/callback` without a Content-Encoding
   * and with a UTF-8 body (no charset, or charset=utf-8) and answers it exactly as `router` would (status, body,
   * headers), returning true; anything else is left alone (false) for the app.
   */
  listener: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** An answer: status and JSON body, written by Express's res.status(s).json(b) or by sendJson. */
type Answer = (status: number, body: object) => void;

export function createDingtalkHttpReceiver(deps: HttpReceiverDeps, mountPath = "/dingtalk"): DingtalkHttpReceiver {
  const r = express.Router();
  const log = deps.log.child({ channel: "dingtalk", mode: "http" });
  // Every refusal is logged through this: rate-limited per remote address and reason (a flood cannot flood the log).
  const refusals = new RefusalLog(log);
  const refuse = (from: string, reason: string, fields: Record<string, unknown> = {}) => refusals.refused("dingtalk http: callback refused", from, reason, fields);
  const signatureRefused = (from: string, reason: string) =>
    refusals.refused("dingtalk http: callback refused; if this is DingTalk, verify DINGTALK_CLIENT_SECRET and the server clock", from, reason);

  /** The parsed body (undefined when the request had none): check, translate, store, answer. */
  const receive = async (body: unknown, from: string, answer: Answer): Promise<void> => {
    const parsed = RobotMessageSchema.safeParse(body);
    if (!parsed.success) {
      refuse(from, "body is not a robot message", { issues: parsed.error.issues.slice(0, 5).map((i) => i.message) });
      return answer(400, { error: "bad_request" });
    }
    const event = robotMessageToEvent(parsed.data, deps.clock.now().getTime(), deps.robotNames);
    if (!event) {
      refuse(from, "no sender");
      return answer(400, { error: "bad_request", message: "no sender" });
    }
    let outcome: Awaited<ReturnType<typeof acceptEvent>>;
    try {
      outcome = await acceptEvent(deps.inbox, log.child({ eventId: event.eventId }), event);
    } catch (err) {
      // Not stored, so not acknowledged: DingTalk retries (the inbox dedupes). A 503, never a 500.
      log.error("dingtalk http: could not store callback; not acknowledged", { err, eventId: event.eventId });
      return answer(503, { error: "unavailable" });
    }
    if (outcome === "invalid") return void (refuse(from, "event rejected by the core schema"), answer(400, { error: "bad_request" }));
    answer(200, {});
  };

  r.post("/callback", checkSignature(deps, signatureRefused), express.json({ limit: deps.maxBodyBytes, type: () => true }), (req, res) =>
    receive(req.body, source(req), (status, body) => void res.status(status).json(body)),
  );
  r.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (err.type === "entity.too.large") return void (refuse(source(req), "body too large"), res.status(413).json({ error: "too_large" }));
    // The inbox could not store the event in time: not acknowledged, DingTalk retries (the inbox dedupes).
    if (err.status === 503) return void res.status(503).json({ error: "unavailable" });
    if (err.status === 400) return void (refuse(source(req), "body is not JSON"), res.status(400).json({ error: "bad_request", message: "body is not JSON" }));
    // Any other 4xx from the body parser (an unknown charset or content-encoding: 415): refused like the rest.
    if (err.status && err.status > 400 && err.status < 500) return void (refuse(source(req), err.type ?? "bad request"), res.status(err.status).json({ error: err.type ?? "bad_request" }));
    next(err);
  });

  const prefix = mountPath.toLowerCase();
  const listener = (req: IncomingMessage, res: ServerResponse): boolean => {
    // A compressed body is inflated by body-parser, another charset decoded by it: rare enough to leave to the router.
    if (!isFastCallback(req, prefix)) return false;
    const type = req.headers["content-type"];
    if (type !== undefined && /charset/i.test(type) && !UTF8_JSON.test(type)) return false;
    const from = req.socket.remoteAddress ?? "unknown";
    const answer: Answer = (status, body) => sendJson(res, status, body);
    // As checkSignature: before the body is read.
    const check = verifySignature(header(req, "timestamp"), header(req, "sign"), deps.appSecret, deps.clock.now().getTime());
    if (!check.ok) {
      signatureRefused(from, check.reason);
      answer(401, { error: "unauthorized", reason: check.reason });
      return true;
    }
    readBody(req, deps.maxBodyBytes, (err, text) => {
      if (err?.status === 413) return void (refuse(from, "body too large"), answer(413, { error: "too_large" }));
      const body = err ? NOT_JSON : text === "" && !hasBody(req) ? undefined : parseJsonBody(text);
      if (body === NOT_JSON) return void (refuse(from, "body is not JSON"), answer(400, { error: "bad_request", message: "body is not JSON" }));
      receive(body, from, answer).catch((e: unknown) => {
        // What Express's error handler in main.ts answers for an unexpected failure of the route.
        log.error("request failed", { err: e });
        if (!res.headersSent) answer(500, { error: "internal_error", message: "internal error" });
      });
    });
    return true;
  };

  return { router: r, listener };
}

/** The router alone (tests mount it on an app of their own). */
export function dingtalkHttpRouter(deps: HttpReceiverDeps): express.Router {
  return createDingtalkHttpReceiver(deps).router;
}

/** A Content-Type whose charset body-parser reads as UTF-8 exactly as Buffer#toString does. */
const UTF8_JSON = /^application\/json;\s?charset=utf-8$/i;

const NOT_JSON = Symbol("not JSON");

/**
 * express.json()'s parse of a UTF-8 body: its decoder drops a byte order mark, an empty body is {}, and in strict mode
 * (the default) anything whose first character is not `{` or `[` is refused before JSON.parse.
 */
function parseJsonBody(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return {};
  const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/.exec(body)![1];
  if (first !== "{" && first !== "[") return NOT_JSON;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** req.get(name) for a header that is never a list. */
function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** res.status(status).json(body), header for header (Express's default settings: no replacer, no spaces, weak ETag). */
function sendJson(res: ServerResponse, status: number, value: object): void {
  const body = Buffer.from(JSON.stringify(value), "utf8");
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", String(body.length));
  res.setHeader("ETag", weakEtag(body));
  res.end(body);
}

function checkSignature(deps: HttpReceiverDeps, refused: (from: string, reason: string) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    const check = verifySignature(req.get("timestamp"), req.get("sign"), deps.appSecret, deps.clock.now().getTime());
    if (check.ok) return next();
    refused(source(req), check.reason);
    res.status(401).json({ error: "unauthorized", reason: check.reason });
  };
}

const source = (req: Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";
