// Placeholder until the Wecom channel lands (issue work in progress): refuses to start rather than pretend.
import type { WecomConfig } from "../../env.ts";
import type { Channel, ChannelDeps } from "../channel.ts";

export function createWecomChannel(_config: WecomConfig, _deps: ChannelDeps): Channel {
  throw new Error("The Wecom channel is not implemented yet; unset its environment variables.");
}
