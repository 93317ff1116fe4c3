// Placeholder until the Dingtalk channel lands (issue work in progress): refuses to start rather than pretend.
import type { DingtalkConfig } from "../../env.ts";
import type { Channel, ChannelDeps } from "../channel.ts";

export function createDingtalkChannel(_config: DingtalkConfig, _deps: ChannelDeps): Channel {
  throw new Error("The Dingtalk channel is not implemented yet; unset its environment variables.");
}
