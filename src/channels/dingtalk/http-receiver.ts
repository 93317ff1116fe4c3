// HTTP ("outgoing") mode: DingTalk POSTs the robot message to /dingtalk/callback with a timestamp signature.
// Verified before the body is even parsed; stored in the inbox before we answer 200 {}.
import express, { type NextFunction, type Request, type Response } from "express";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { InboxPort } from "../../core/ports.ts";
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
  r.post("/callback", checkSignature(deps, log), express.json({ limit: deps.maxBodyBytes, type: () => true }), async (req, res) => {
    const parsed = RobotMessageSchema.safeParse(req.body);
    if (!parsed.success) {
      log.warn("dingtalk http: body is not a robot message", { issues: parsed.error.issues.slice(0, 5).map((i) => i.message) });
      return void res.status(400).json({ error: "bad_request" });
    }
    const event = robotMessageToEvent(parsed.data, deps.clock.now().getTime(), deps.robotNames);
    if (!event) return void res.status(400).json({ error: "bad_request", message: "no sender" });
    const outcome = await acceptEvent(deps.inbox, log.child({ eventId: event.eventId }), event);
    if (outcome === "invalid") return void res.status(400).json({ error: "bad_request" });
    res.json({});
  });
  r.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err.type === "entity.too.large") return void res.status(413).json({ error: "too_large" });
    // The inbox could not store the event in time: not acknowledged, DingTalk retries (the inbox dedupes).
    if (err.status === 503) return void res.status(503).json({ error: "unavailable" });
    if (err.status === 400) return void res.status(400).json({ error: "bad_request", message: "body is not JSON" });
    next(err);
  });
  return r;
}

function checkSignature(deps: HttpReceiverDeps, log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const check = verifySignature(req.get("timestamp"), req.get("sign"), deps.appSecret, deps.clock.now().getTime());
    if (check.ok) return next();
    log.warn("dingtalk http: callback refused; if this is DingTalk, verify DINGTALK_CLIENT_SECRET and the server clock", { reason: check.reason });
    res.status(401).json({ error: "unauthorized", reason: check.reason });
  };
}
