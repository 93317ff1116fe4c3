// The WeCom self-built app channel: the callback routes (receiver) and the outbox sender, wired from config.
import type { WecomConfig } from "../../env.ts";
import type { Channel, ChannelDeps } from "../channel.ts";
import { WecomApi } from "./wecom-api.ts";
import { createWecomReceiver } from "./wecom-receiver.ts";
import { WecomSender } from "./wecom-sender.ts";

export function createWecomChannel(config: WecomConfig, deps: ChannelDeps): Channel {
  const log = deps.log.child({ channel: "wecom" });
  const api = new WecomApi({ corpId: config.corpId, secret: config.secret, apiBase: config.apiBase }, { log, observe: deps.apiObserver?.("wecom") });
  const receiver = createWecomReceiver(config, { inbox: deps.inbox, log, maxBodyBytes: deps.maxBodyBytes }, "/wecom");
  return {
    platform: "wecom",
    http: { path: "/wecom", handler: receiver.router },
    listener: receiver.listener,
    sender: new WecomSender(api, config.agentId, log, { apiBase: config.apiBase }),
    async start() {
      log.info("WeCom callback ready at /wecom/callback", { corpId: config.corpId, agentId: config.agentId });
    },
    async stop() {},
    // Callbacks arrive over HTTP: ready once the route is mounted (the API token is fetched on first send).
    ready: () => ({ ok: true, detail: "callback route /wecom/callback mounted" }),
  };
}
