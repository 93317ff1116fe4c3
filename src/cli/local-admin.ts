// The server's loopback admin routes (npm run job / sync / import / export while the server holds the embedded
// database) answer only a CLI on this machine: a loopback peer, no proxy headers, and the lock file's token.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { DataDirLock } from "../db/data-dir-lock.ts";

export function fromLocalCli(req: IncomingMessage, lock: DataDirLock): boolean {
  const ip = req.socket.remoteAddress ?? "";
  const loopback = ip === "127.0.0.1" || ip === "::1" || ip === "::ffff:127.0.0.1";
  // A reverse proxy on this host connects from loopback on behalf of anyone.
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
  const given = Buffer.from(req.headers.authorization ?? "");
  const wanted = Buffer.from(`Bearer ${lock.info.token}`);
  return loopback && !proxied && given.length === wanted.length && timingSafeEqual(given, wanted);
}
