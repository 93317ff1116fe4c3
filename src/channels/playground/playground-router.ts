// The local playground: a web chat where anyone can be a demo rep, manager or warehouse user and click cards.
// It is a real channel: messages go into the inbox like WeCom's and DingTalk's, replies come out of the outbox.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import express, { type Request, type Response, type NextFunction } from "express";
import { z } from "zod";
import { MAX_INBOUND_TEXT_CHARS, MAX_UNDERSTOOD_TEXT_CHARS } from "../../core/inbound-event.ts";
import type { Logger } from "../../core/logger.ts";
import type { InboxPort } from "../../core/ports.ts";
import { RefusalLog } from "../../core/refusal-log.ts";
import type { PlaygroundFeed } from "./playground-feed.ts";

export interface PlaygroundDeps {
  inbox: InboxPort;
  feed: PlaygroundFeed;
  /** The people one can play (the organisation's users). */
  listUsers: () => Promise<{ id: string; name: string; roles: string[] }[]>;
  allowRemote: boolean;
  /** Refused requests are logged here, rate-limited per remote address and reason. */
  log?: Logger;
}

const MessageBody = z.object({
  userId: z.string().min(1).max(64),
  // Same rule as WeCom and DingTalk: stored whole; the core answers one too long to understand.
  text: z.string().trim().min(1, "消息不能为空").max(MAX_INBOUND_TEXT_CHARS, `消息太长（最多${MAX_INBOUND_TEXT_CHARS}字）`),
  clientId: z.string().uuid().optional(),
});
const ActionBody = z.object({
  userId: z.string().min(1).max(64),
  actionKey: z.string().min(1).max(1024),
  cardRef: z.string().max(256).optional(),
  clientId: z.string().uuid().optional(),
});

const PAGE = readFileSync(new URL("./playground.html", import.meta.url), "utf8");

export function playgroundRouter(deps: PlaygroundDeps): express.Router {
  const r = express.Router();
  const refusals = deps.log ? new RefusalLog(deps.log.child({ channel: "playground" })) : undefined;
  const refuse = (req: Request, status: number, reason: string) => refusals?.refused("playground: request refused", req.socket.remoteAddress ?? "unknown", reason, { status, method: req.method, path: req.path });
  if (!deps.allowRemote) r.use(loopbackOnly(refuse));
  // Room for the longest text the core stores (up to 4 UTF-8 bytes a character), and no more.
  r.use(express.json({ limit: MAX_INBOUND_TEXT_CHARS * 4 + 4096 }));

  r.get("/", (_req, res) => {
    res.type("html").send(PAGE);
  });

  r.get("/api/users", async (_req, res) => {
    // The page keeps a text longer than the core understands in the box (the bot's answer names the same limit).
    res.json({ users: await deps.listUsers(), maxUnderstoodChars: MAX_UNDERSTOOD_TEXT_CHARS });
  });

  // Pictures the bot sent (charts), by the media id the feed item names.
  r.get("/media/:id", (req, res) => {
    const png = deps.feed.mediaPng(req.params.id);
    if (!png) {
      res.status(404).type("text").send("图片已过期");
      return;
    }
    res.type("png").set("cache-control", "private, max-age=86400").send(Buffer.from(png));
  });

  r.get("/api/feed", (req, res) => {
    const userId = String(req.query.userId ?? "");
    res.json({ items: deps.feed.history(userId) });
  });

  r.get("/api/stream", (req, res) => {
    const userId = String(req.query.userId ?? "");
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    // Send the headers now: a HEAD request gets no body, so nothing else would send them and it would hang open.
    res.flushHeaders();
    res.write(": connected\n\n");
    const off = deps.feed.subscribe(userId, (e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
    const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
    req.on("close", () => {
      clearInterval(ping);
      off();
    });
  });

  r.post("/api/messages", async (req, res) => {
    const body = MessageBody.safeParse(req.body);
    if (!body.success) return (refuse(req, 400, "not a message"), badRequest(res, body.error));
    const { userId, text } = body.data;
    const outcome = await deps.inbox.accept({
      platform: "playground",
      kind: "message",
      eventId: body.data.clientId ?? randomUUID(),
      senderId: userId,
      text,
      occurredAt: Date.now(),
    });
    if (outcome === "accepted") deps.feed.push(userId, { from: "user", text });
    res.status(202).json({ outcome });
  });

  r.post("/api/actions", async (req, res) => {
    const body = ActionBody.safeParse(req.body);
    if (!body.success) return (refuse(req, 400, "not an action"), badRequest(res, body.error));
    const { userId, actionKey, cardRef } = body.data;
    const outcome = await deps.inbox.accept({
      platform: "playground",
      kind: "action",
      eventId: body.data.clientId ?? randomUUID(),
      senderId: userId,
      actionKey,
      ...(cardRef ? { cardRef } : {}),
      occurredAt: Date.now(),
    });
    res.status(202).json({ outcome });
  });
  // The inbox could not store the message in time (database busy): say so, the page may send it again.
  r.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (err.status === 503) return void res.status(503).json({ error: "unavailable", message: "暂时无法接收消息，请稍后重试" });
    // The inbox failed otherwise (a database error): not stored, say so like a busy database, never a 500.
    if (err.status === undefined && (req.path === "/api/messages" || req.path === "/api/actions") && req.method === "POST") {
      deps.log?.error("playground: could not store the message", { err });
      return void res.status(503).json({ error: "unavailable", message: "暂时无法接收消息，请稍后重试" });
    }
    // A body the JSON parser refused (not JSON, too large, unknown charset…): the app's 4xx answer, logged here.
    if (err.status && err.status >= 400 && err.status < 500) refuse(req, err.status, err.type ?? "bad request");
    next(err);
  });
  return r;
}

function badRequest(res: Response, error: z.ZodError): void {
  res.status(400).json({ error: "bad_request", message: error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") });
}

const LOCAL_HOSTS = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * Only a browser on this machine: a loopback peer, a local Host header (no DNS rebinding), and no proxy headers
 * (a reverse proxy on the same host connects from loopback on behalf of anyone).
 */
function loopbackOnly(refuse: (req: Request, status: number, reason: string) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ip = req.socket.remoteAddress ?? "";
    const local = ip === "127.0.0.1" || ip === "::1" || ip === "::ffff:127.0.0.1";
    const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
    if (local && !proxied && LOCAL_HOSTS.test(req.headers.host ?? "")) return next();
    refuse(req, 403, "not a local browser");
    res.status(403).type("text").send("The playground only answers a browser on this machine (set PLAYGROUND_ALLOW_REMOTE=true to open it).");
  };
}
