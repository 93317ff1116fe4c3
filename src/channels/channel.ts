// What every platform channel gives the composition root: HTTP routes (if it has callbacks), a sender for
// the outbox, and a lifecycle (DingTalk's Stream connection). Receivers only translate, verify and put the
// event in the inbox; they never call business code.
import type { RequestHandler } from "express";
import type { Clock } from "../core/clock.ts";
import type { Platform } from "../core/inbound-event.ts";
import type { Logger } from "../core/logger.ts";
import type { ChannelSender, InboxPort } from "../core/ports.ts";

export interface Channel {
  readonly platform: Platform;
  /** Routes mounted by main.ts, e.g. { path: "/wecom", handler: router }. */
  readonly http?: { path: string; handler: RequestHandler };
  readonly sender: ChannelSender;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ChannelDeps {
  inbox: InboxPort;
  log: Logger;
  clock: Clock;
  /** Largest request body accepted on callback routes. */
  maxBodyBytes: number;
}
