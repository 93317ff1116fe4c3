// HTTP ("outgoing") mode: DingTalk POSTs the robot message to /dingtalk/callback with a timestamp signature.
// Verified before the body is even parsed; stored in the inbox before we answer 200 {}.
import express, { type NextFunction, type Request, type Response } from "express";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { InboxPort } from "../../core/ports.ts";
import { RefusalLog } from "../../core/refusal-log.ts";
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

export function dingtalkHttpRouter(deps: HttpReceiverDeps): express.Router {
  const r = express.Router();
  const log = deps.log.child({ channel: "dingtalk", mode: "http" });
  // Every refusal is logged through this: rate-limited per remote address and reason (a flood cannot flood the log).
  const refusals = new RefusalLog(log);
  const refuse = (req: Request, reason: string, fields: Record<string, unknown> = {}) => refusals.refused("dingtalk http: callback refused", source(req), reason, fields);
  r.post("/callback", checkSignature(deps, refusals), express.json({ limit: deps.maxBodyBytes, type: () => true }), async (req, res) => {
    const parsed = RobotMessageSchema.safeParse(req.body);
    if (!parsed.success) {
      refuse(req, "body is not a robot message", { issues: parsed.error.issues.slice(0, 5).map((i) => i.message) });
      return void res.status(400).json({ error: "bad_request" });
    }
    const event = robotMessageToEvent(parsed.data, deps.clock.now().getTime(), deps.robotNames);
    if (!event) {
      refuse(req, "no sender");
      return void res.status(400).json({ error: "bad_request", message: "no sender" });
    }
    let outcome: Awaited<ReturnType<typeof acceptEvent>>;
    try {
      outcome = await acceptEvent(deps.inbox, log.child({ eventId: event.eventId }), event);
    } catch (err) {
      // Not stored, so not acknowledged: DingTalk retries (the inbox dedupes). A 503, never a 500.
      log.error("dingtalk http: could not store callback; not acknowledged", { err, eventId: event.eventId });
      return void res.status(503).json({ error: "unavailable" });
    }
    if (outcome === "invalid") return void (refuse(req, "event rejected by the core schema"), res.status(400).json({ error: "bad_request" }));
    res.json({});
  });
  r.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (err.type === "entity.too.large") return void (refuse(req, "body too large"), res.status(413).json({ error: "too_large" }));
    // The inbox could not store the event in time: not acknowledged, DingTalk retries (the inbox dedupes).
    if (err.status === 503) return void res.status(503).json({ error: "unavailable" });
    if (err.status === 400) return void (refuse(req, "body is not JSON"), res.status(400).json({ error: "bad_request", message: "body is not JSON" }));
    // Any other 4xx from the body parser (an unknown charset or content-encoding: 415): refused like the rest.
    if (err.status && err.status > 400 && err.status < 500) return void (refuse(req, err.type ?? "bad request"), res.status(err.status).json({ error: err.type ?? "bad_request" }));
    next(err);
  });
  return r;
}

function checkSignature(deps: HttpReceiverDeps, refusals: RefusalLog) {
  return (req: Request, res: Response, next: NextFunction) => {
    const check = verifySignature(req.get("timestamp"), req.get("sign"), deps.appSecret, deps.clock.now().getTime());
    if (check.ok) return next();
    refusals.refused("dingtalk http: callback refused; if this is DingTalk, verify DINGTALK_CLIENT_SECRET and the server clock", source(req), check.reason);
    res.status(401).json({ error: "unauthorized", reason: check.reason });
  };
}

const source = (req: Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";
