// Secrets and tokens never appear in the logs: distinctive values for every credential the bot holds (WeCom corp
// secret, callback Token and EncodingAESKey, DingTalk app secret, the OpenAI API key, METRICS_TOKEN) and the access
// tokens the simulators hand out, a full flow across WeCom, DingTalk (Stream, then HTTP mode), the playground, the
// LLM parser (failing, so its error path logs too), token expiry and refetch, forged callbacks and /metrics, at
// LOG_LEVEL=debug with LOG_MESSAGES=false and true; then every captured line is searched for each value, raw and
// URL-encoded (and the DingTalk HTTP signature, which is derived from the secret).
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiSimulator, type OpenAiSimulator } from "../simulators/openai-server.ts";
import { VISIT_TEXT, button, deliveredCards } from "../dingtalk/e2e-helpers.ts";
import { cardsSentTo, textsSentTo } from "../wecom/wecom-harness.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { FIXED_NOW, eventually } from "../support/test-bot.ts";
import { distinctiveSecrets, startHostileBot, type HostileBot } from "./hostile-bot.ts";

/** Each value, and how it would look URL-encoded or in a header. */
function needles(values: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (!v || v.length < 8) continue;
    out.add(v);
    out.add(encodeURIComponent(v));
    out.add(encodeURIComponent(encodeURIComponent(v)));
  }
  return [...out];
}

for (const [mode, logMessages] of [["stream", "false"], ["http", "true"]] as const) {
  describe(`no secret or token in the log (DingTalk ${mode} mode, LOG_MESSAGES=${logMessages}, LOG_LEVEL=debug)`, () => {
    let h: HostileBot;
    let llm: OpenAiSimulator;
    const secrets = distinctiveSecrets();
    const apiKey = `sk-Distinct${secrets.metricsToken.slice(-12)}Key`;
    /** Values only known once the flow has run (tokens the simulators minted, signatures). */
    const seen = new Set<string>();

    beforeAll(async () => {
      llm = await startOpenAiSimulator({ apiKey });
      h = await startHostileBot({
        dingtalkMode: mode,
        workers: true,
        logLevel: "debug",
        secrets,
        env: {
          LOG_MESSAGES: logMessages,
          OPENAI_BASE_URL: llm.baseURL,
          OPENAI_API_KEY: apiKey,
          OPENAI_MODEL: "test-model",
          ...(mode === "stream" ? { DINGTALK_CARD_TEMPLATE_ID: "tpl-sales.schema" } : {}),
        },
      });
    });
    afterAll(async () => {
      await h?.close();
      await llm?.close();
    });

    it("runs the flow on every channel", async () => {
      // WeCom: the console's URL check, a forged callback, a visit log (the LLM answers 500: rules take over), a
      // click on its card, then every token expires and the next reply fetches a new one.
      expect((await h.driver.verifyUrl("echo-12345")).status).toBe(200);
      expect((await h.driver.post(h.driver.prepare(h.driver.textXml("ZhangSan", "x"), { token: "forged" }))).status).toBe(401);
      await h.driver.deliver(h.driver.textXml("ZhangSan", VISIT_TEXT));
      const card = await eventually(() => cardsSentTo(h.sim, "ZhangSan")[0], "the WeCom visit card");
      await h.driver.deliver(h.driver.cardEventXml({ from: "ZhangSan", eventKey: card.buttons[0]!.key, taskId: card.taskId, responseCode: h.sim.issueResponseCode() }));
      h.sim.expireTokens();
      const texts = textsSentTo(h.sim, "LiSi").length;
      await h.driver.deliver(h.driver.textXml("LiSi", "帮助"));
      await eventually(() => textsSentTo(h.sim, "LiSi").length > texts, "a reply after the token expired");
      await h.driver.deliver(h.driver.textXml("Stranger9", "你好"));

      // DingTalk.
      if (mode === "stream") {
        h.gw.sendRobot(h.gw.robotMessage({ staffId: "0101", text: VISIT_TEXT }));
        const dcard = await eventually(() => deliveredCards(h.gw)[0], "the DingTalk visit card");
        h.gw.revokeTokens();
        h.gw.sendCard(h.gw.cardClick({ outTrackId: dcard.outTrackId, userId: "0101", action: button(dcard, /./).action }));
        h.gw.sendRobot(h.gw.robotMessage({ staffId: "0102", text: "今天拜访了江南重工的李总，下周二带样品再去" }));
        await eventually(() => deliveredCards(h.gw).length >= 2, "a card after the token was revoked");
      } else {
        const post = (ts: string, sign: string, text: string, staffId = "0101") =>
          fetch(`${h.bot.url}/dingtalk/callback`, { method: "POST", headers: { "content-type": "application/json", timestamp: ts, sign }, body: JSON.stringify(h.gw.robotMessage({ staffId, text })) });
        const ts = String(FIXED_NOW.getTime());
        const sign = createHmac("sha256", secrets.dingtalkSecret).update(`${ts}\n${secrets.dingtalkSecret}`).digest("base64");
        seen.add(sign);
        expect((await post(ts, sign, VISIT_TEXT)).status).toBe(200);
        expect((await post(ts, sign.replace(/^./, (c) => (c === "x" ? "y" : "x")), "帮助")).status).toBe(401);
        h.gw.revokeTokens();
        expect((await post(ts, sign, "帮助", "0102")).status).toBe(200);
        await eventually(() => h.gw.api.calls.filter((c) => c.path === "/robot/sendBySession" || c.path === "/v1.0/robot/oToMessages/batchSend").length >= 2, "the DingTalk replies");
      }

      // The playground, /metrics with the right and a wrong token, the health checks.
      const pg = new PlaygroundClient(h.bot.url);
      await pg.say("wangwu", VISIT_TEXT);
      await pg.nthBotItem("wangwu", 1);
      expect((await fetch(`${h.bot.url}/metrics`, { headers: { authorization: `Bearer ${secrets.metricsToken}` } })).status).toBe(200);
      expect((await fetch(`${h.bot.url}/metrics`, { headers: { authorization: `Bearer ${secrets.metricsToken}x` } })).status).toBe(403);
      expect((await fetch(`${h.bot.url}/readyz`)).status).toBeLessThan(600);
      expect(llm.requests.length).toBeGreaterThan(0);

      // What the simulators handed out and saw.
      for (const r of h.sim.requests) if (r.query.access_token) seen.add(r.query.access_token);
      for (const c of h.gw.api.calls) {
        const t = c.headers["x-acs-dingtalk-access-token"];
        if (typeof t === "string") seen.add(t);
        if (c.query.access_token) seen.add(c.query.access_token);
        if (c.query.session) seen.add(c.query.session);
      }
      for (const t of h.gw.api.tokens) seen.add(t);
      expect([...seen].filter((t) => t.startsWith("tok")).length, "access tokens were issued and used").toBeGreaterThanOrEqual(mode === "stream" ? 3 : 2);
    });

    it("the log has lines of every kind, and none holds a secret, a token or a signature", async () => {
      // Let the last replies and their log lines out.
      await eventually(async () => (await h.bot.db.prisma.outboxMessage.count({ where: { status: "pending" } })) === 0, "the outbox drained");
      expect(h.raw.length).toBeGreaterThan(20);
      expect(h.lines.some((l) => l.level === "debug")).toBe(true);
      const values = needles([secrets.wecomSecret, secrets.wecomToken, secrets.wecomAesKey, secrets.dingtalkSecret, secrets.metricsToken, apiKey, ...seen]);
      const leaks = h.raw.flatMap((line) => values.filter((v) => line.includes(v)).map((v) => `${v.slice(0, 12)}… in ${line.slice(0, 300)}`));
      expect(leaks).toEqual([]);
    });

    it("the search can fail: a secret under a key the logger does not know is found, under a known key it is redacted", () => {
      const from = h.raw.length;
      h.bot.log.warn("canary", { note: `x${secrets.dingtalkSecret}x`, secret: secrets.dingtalkSecret, headers: { authorization: `Bearer ${secrets.metricsToken}` } });
      const canary = h.raw.slice(from).join("");
      expect(canary).toContain(secrets.dingtalkSecret);
      expect(JSON.parse(canary)).toMatchObject({ secret: "[redacted]", headers: { authorization: "[redacted]" } });
      expect(canary).not.toContain(secrets.metricsToken);
    });
  });
}
