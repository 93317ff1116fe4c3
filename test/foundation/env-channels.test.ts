// Channel settings: defaults that follow from the credentials, and settings that mean nothing without them.
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../src/env.ts";

const ding = { DINGTALK_CLIENT_ID: "dingabc", DINGTALK_CLIENT_SECRET: "secret" };

describe("channel settings", () => {
  it("defaults the DingTalk robot code to the client id and the API bases to DingTalk's hosts", () => {
    const env = parseEnv(ding);
    expect(env.dingtalk).toMatchObject({
      clientId: "dingabc",
      robotCode: "dingabc",
      mode: "stream",
      qps: 20,
      apiBase: "https://api.dingtalk.com",
      oapiBase: "https://oapi.dingtalk.com",
    });
    expect(env.dingtalk?.cardTemplateId).toBeUndefined();
    expect(env.dingtalk?.robotName).toBeUndefined();
    expect(parseEnv({ ...ding, DINGTALK_ROBOT_NAME: "销售助手", DINGTALK_QPS: "5" }).dingtalk).toMatchObject({ robotName: "销售助手", qps: 5 });
    expect(() => parseEnv({ ...ding, DINGTALK_QPS: "fast" })).toThrow(/DINGTALK_QPS: expected calls per second/);
    expect(parseEnv({ ...ding, DINGTALK_ROBOT_CODE: "robot1", DINGTALK_API_BASE: "http://127.0.0.1:9/" }).dingtalk).toMatchObject({
      robotCode: "robot1",
      apiBase: "http://127.0.0.1:9",
    });
  });

  it("listens on all interfaces only when a platform must reach it", () => {
    expect(parseEnv(ding).host).toBe("127.0.0.1"); // Stream mode dials out
    expect(parseEnv({ ...ding, DINGTALK_MODE: "http" }).host).toBe("0.0.0.0");
  });

  it("refuses channel settings given without the channel's credentials", () => {
    expect(() => parseEnv({ DINGTALK_CARD_TEMPLATE_ID: "tpl.schema" })).toThrow(
      /DINGTALK_CARD_TEMPLATE_ID is set but DingTalk is not configured: set DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET too/,
    );
    expect(() => parseEnv({ DINGTALK_MODE: "http", DINGTALK_ROBOT_CODE: "r" })).toThrow(/DINGTALK_ROBOT_CODE, DINGTALK_MODE are set but DingTalk/);
    expect(() => parseEnv({ WECOM_API_BASE: "http://127.0.0.1:1" })).toThrow(/WECOM_API_BASE is set but WeCom is not configured/);
    expect(() => parseEnv({ OPENAI_MODE: "tools" })).toThrow(/OPENAI_MODE is set but The LLM parser is not configured/);
  });

  it("reports a partial set once, not again as orphans", () => {
    expect(() => parseEnv({ DINGTALK_CLIENT_ID: "x", DINGTALK_MODE: "http" })).toThrow(/^Invalid configuration:\n  - DingTalk is partly configured[^\n]*$/);
  });
});
