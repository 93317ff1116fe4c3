// The environment that points one bot at both platform simulators: the WeCom API simulator and the DingTalk
// gateway (Stream + OpenAPI), with the interactive card template on.
import { randomBytes } from "node:crypto";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import type { WecomApiSim } from "../simulators/wecom-api.ts";
import { randomAesKey } from "../simulators/wecom-driver.ts";

export type WecomConfig = { corpId: string; agentId: number; secret: string; token: string; encodingAesKey: string };

/** A WeCom app's settings with fresh secrets, as the admin console would give them. */
export function newWecomConfig(): WecomConfig {
  return { corpId: "ww0123456789abcdef", agentId: 1000002, secret: randomBytes(16).toString("hex"), token: "tok" + randomBytes(6).toString("hex"), encodingAesKey: randomAesKey() };
}

/** The WECOM_* variables that point a bot at the WeCom API simulator at `apiBase`. */
export function wecomEnv(wecom: WecomConfig, apiBase: string): Record<string, string> {
  return {
    WECOM_CORP_ID: wecom.corpId,
    WECOM_AGENT_ID: String(wecom.agentId),
    WECOM_SECRET: wecom.secret,
    WECOM_TOKEN: wecom.token,
    WECOM_ENCODING_AES_KEY: wecom.encodingAesKey,
    WECOM_API_BASE: apiBase,
  };
}

export function bothPlatformsEnv(
  wecom: WecomConfig,
  sim: WecomApiSim,
  gw: DingtalkGateway,
): Record<string, string> {
  return {
    ...wecomEnv(wecom, sim.url),
    DINGTALK_CLIENT_ID: gw.api.clientId,
    DINGTALK_CLIENT_SECRET: gw.api.clientSecret,
    DINGTALK_API_BASE: gw.url,
    DINGTALK_OAPI_BASE: gw.url,
    DINGTALK_CARD_TEMPLATE_ID: "tpl-sales.schema",
  };
}
