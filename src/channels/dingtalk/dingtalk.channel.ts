// The DingTalk channel: a Stream receiver (default) or an HTTP callback route, and a sender for the outbox.
// Everything is per instance (own client, token cache, limiter), so several channels can share one process.
import type { DingtalkConfig } from "../../env.ts";
import type { Channel, ChannelDeps } from "../channel.ts";
import { DingtalkApi } from "./api-client.ts";
import { createDingtalkHttpReceiver } from "./http-receiver.ts";
import { DingtalkSender } from "./sender.ts";
import { LocalDWClient } from "./stream-client.ts";
import { attachStreamReceiver } from "./stream-receiver.ts";
import { StreamSupervisor, type SupervisorTimings } from "./stream-supervisor.ts";
import type { Timers } from "../../core/timers.ts";

export interface DingtalkChannelOptions {
  /** Stream connection timings (tests shorten them). */
  stream?: Partial<SupervisorTimings>;
  /** The Stream supervisor's timers (tests drive them); default the real ones. */
  streamTimers?: Timers;
  /** Client-side limit on OpenAPI calls per second, per instance. Default 20 (DingTalk's standard per-app limit). */
  qps?: number;
  /** The robot's display name(s), so a leading "@name" left in a group message can be removed exactly. */
  robotNames?: string[];
}

export interface DingtalkChannel extends Channel {
  /** The Stream supervisor (undefined in HTTP mode), for health checks and tests. */
  readonly stream?: StreamSupervisor;
}

export function createDingtalkChannel(config: DingtalkConfig, deps: ChannelDeps, options: DingtalkChannelOptions = {}): DingtalkChannel {
  const log = deps.log.child({ channel: "dingtalk" });
  const api = new DingtalkApi({ clientId: config.clientId, clientSecret: config.clientSecret, apiBase: config.apiBase, log, clock: deps.clock, qps: options.qps ?? 20, observe: deps.apiObserver?.("dingtalk") });
  // Card clicks arrive only over Stream; in HTTP mode cards are sent as markdown with text commands.
  const cardTemplateId = config.mode === "stream" ? config.cardTemplateId : undefined;
  const sender = new DingtalkSender(api, { robotCode: config.robotCode, cardTemplateId, oapiBase: config.oapiBase }, deps.clock, log);

  if (config.mode === "http") {
    const receiver = createDingtalkHttpReceiver({ appSecret: config.clientSecret, inbox: deps.inbox, log, clock: deps.clock, maxBodyBytes: deps.maxBodyBytes, robotNames: options.robotNames ?? [] }, "/dingtalk");
    return {
      platform: "dingtalk",
      sender,
      http: { path: "/dingtalk", handler: receiver.router },
      // The POST callback is answered ahead of Express (the router still serves compressed bodies, other charsets).
      listener: receiver.listener,
      async start() {
        if (config.cardTemplateId) log.warn("DINGTALK_CARD_TEMPLATE_ID is ignored in http mode: card clicks need Stream mode, so cards are sent as markdown");
        log.info("dingtalk channel ready (http mode): POST /dingtalk/callback");
      },
      async stop() {},
      ready: () => ({ ok: true, detail: "http mode: callback route /dingtalk/callback mounted" }),
    };
  }

  // One DWClient per connection (see stream-supervisor.ts), each with the same receiver.
  const newClient = () => {
    const client = new LocalDWClient({ clientId: config.clientId, clientSecret: config.clientSecret, apiBase: config.apiBase, log });
    attachStreamReceiver(client, { inbox: deps.inbox, log, clock: deps.clock, robotNames: options.robotNames ?? [] });
    return client;
  };
  const stream = new StreamSupervisor(newClient, log, options.stream, options.streamTimers);
  return {
    platform: "dingtalk",
    sender,
    stream,
    start: () => stream.start(),
    stop: () => stream.stop(),
    ready: () => (stream.status === "open" ? { ok: true, detail: "stream open" } : { ok: false, detail: `stream ${stream.status}` }),
  };
}
