// What every platform channel gives the composition root: HTTP routes (if it has callbacks), a sender for
// the outbox, and a lifecycle (DingTalk's Stream connection). Receivers only translate, verify and put the
// event in the inbox; they never call business code.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import type { Clock } from "../core/clock.ts";
import type { Platform } from "../core/inbound-event.ts";
import type { Logger } from "../core/logger.ts";
import type { ApiCallObserver } from "../core/metrics.ts";
import type { ChannelSender, InboxPort } from "../core/ports.ts";

export interface Channel {
  readonly platform: Platform;
  /** Routes mounted by main.ts, e.g. { path: "/wecom", handler: router }. */
  readonly http?: { path: string; handler: RequestHandler };
  /**
   * Asked first for every request, before Express: answers the channel's hot callback itself and returns true, or
   * returns false and leaves the request to the app (where `http` serves it as well, e.g. a compressed body).
   */
  readonly listener?: (req: IncomingMessage, res: ServerResponse) => boolean;
  readonly sender: ChannelSender;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Whether the channel can receive now (GET /readyz): DingTalk's Stream connection open, etc. */
  ready(): ChannelReadiness;
}

export interface ChannelReadiness {
  ok: boolean;
  /** What is wrong, or what is fine ("stream open", "callback route mounted"). */
  detail: string;
}

export interface ChannelDeps {
  inbox: InboxPort;
  log: Logger;
  clock: Clock;
  /** Largest request body accepted on callback routes. */
  maxBodyBytes: number;
  /** Told the latency and outcome of every platform API call (metrics); per platform. */
  apiObserver?: (platform: "wecom" | "dingtalk") => ApiCallObserver;
}
