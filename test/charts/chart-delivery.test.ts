// Each sender's picture path against its simulator: upload (multipart) then the image message; a failed upload
// drops the picture only, the card before it is delivered either way.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { metricsChart } from "../../cards/metrics/metrics.chart.ts";
import { DingtalkApi } from "../../src/channels/dingtalk/api-client.ts";
import { DingtalkSender } from "../../src/channels/dingtalk/sender.ts";
import { WecomApi } from "../../src/channels/wecom/wecom-api.ts";
import { WecomSender } from "../../src/channels/wecom/wecom-sender.ts";
import type { Card } from "../../src/core/card.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import type { OutboundBody, OutboundMessage } from "../../src/core/outbound-message.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";

const log = createLogger("silent");
const chart = metricsChart({ periodLabel: "本周", trend: [{ day: "2026-11-23", visits: 3, orders: 1 }], funnel: [{ stage: "lead", count: 2 }], reps: [{ name: "张三", count: 3 }] });
const image: OutboundBody = { type: "image", png: Buffer.from(chart.png).toString("base64"), alt: chart.alt, name: "crd_chart.png" };
let n = 0;
const card = (): Card => ({ ref: `crd_chart${String(n++).padStart(8, "0")}`, purpose: "metrics", title: "本周业绩 · 王五团队", fields: [{ label: "订单", value: "1 单" }], buttons: [] });

describe("WeCom: media/upload then an image message", () => {
  const corp = { corpId: "ww0123456789abcdef", secret: "s3cret", agentId: 1000002 };
  let sim: WecomApiSim;
  let sender: WecomSender;
  beforeAll(async () => {
    sim = await startWecomApiSim({ ...corp, members: ["WangWu"] });
    sender = new WecomSender(new WecomApi({ corpId: corp.corpId, secret: corp.secret, apiBase: sim.url }, { log }), corp.agentId, log, { apiBase: sim.url });
  });
  afterAll(() => sim.close());
  const to = (body: OutboundBody): OutboundMessage => ({ platform: "wecom", recipient: "WangWu", body });

  it("uploads the PNG as multipart and sends its media_id right after the card", async () => {
    await sender.send(to({ type: "card", card: card() }));
    await sender.send(to(image));
    const sent = sim.sentTo("WangWu");
    expect(sent.map((m) => m.msgtype)).toEqual(["markdown", "image"]);
    const mediaId = String((sent[1]!.image as { media_id: string }).media_id);
    const stored = sim.media.get(mediaId)!;
    expect(stored).toMatchObject({ type: "image", filename: "crd_chart.png", contentType: "image/png" });
    expect(stored.bytes.equals(Buffer.from(chart.png))).toBe(true);
  });

  it("a failed upload sends nothing more and does not fail: the card has gone", async () => {
    sim.sent.length = 0;
    sim.failNext(-1, 2, "/cgi-bin/media/upload");
    await sender.send(to({ type: "card", card: card() }));
    await expect(sender.send(to(image))).resolves.toEqual({});
    expect(sim.sentTo("WangWu").map((m) => m.msgtype)).toEqual(["markdown"]);
    expect(sim.requests.filter((r) => r.path === "/cgi-bin/media/upload").length).toBeGreaterThanOrEqual(2);
  });

  it("one failed upload is tried again at once", async () => {
    sim.sent.length = 0;
    sim.failNext(-1, 1, "/cgi-bin/media/upload");
    await sender.send(to(image));
    expect(sim.sentTo("WangWu").map((m) => m.msgtype)).toEqual(["image"]);
  });
});

describe("DingTalk: media upload then sampleImageMsg", () => {
  const NOW = new Date("2026-11-23T20:00:00+08:00");
  const clock = new ManualClock(NOW);
  let gw: DingtalkGateway;
  let sender: DingtalkSender;
  beforeEach(async () => {
    gw = await startDingtalkGateway({ now: () => clock.now().getTime() });
    sender = new DingtalkSender(new DingtalkApi({ clientId: "dingFAKEKEY", clientSecret: "fakeSecret", apiBase: gw.url, log, clock }), { robotCode: "dingFAKEKEY", oapiBase: gw.url }, clock, log);
  });
  afterEach(async () => {
    expect(gw.api.violations).toEqual([]);
    await gw.close();
  });
  const to = (body: OutboundBody): OutboundMessage => ({ platform: "dingtalk", recipient: "0101", body });
  const keys = () => gw.calls("/v1.0/robot/oToMessages/batchSend").map((c) => (c.body as { msgKey: string }).msgKey);

  it("uploads the PNG (multipart, type=image) and sends the media_id as the photoURL after the card", async () => {
    await sender.send(to({ type: "card", card: card() }));
    await sender.send(to(image));
    expect(keys()).toEqual(["sampleMarkdown", "sampleImageMsg"]);
    const param = JSON.parse((gw.calls("/v1.0/robot/oToMessages/batchSend")[1]!.body as { msgParam: string }).msgParam) as { photoURL: string };
    const stored = gw.api.media.get(param.photoURL)!;
    expect(stored).toMatchObject({ type: "image", filename: "crd_chart.png" });
    expect(stored.bytes.equals(Buffer.from(chart.png))).toBe(true);
    expect(gw.calls("/media/upload")[0]!.query.type).toBe("image");
  });

  it("a failed upload leaves the card alone, sent", async () => {
    gw.api.uploadFaults.push({ status: 503, body: { errcode: -1, errmsg: "系统繁忙" } }, { status: 503, body: { errcode: -1, errmsg: "系统繁忙" } });
    await sender.send(to({ type: "card", card: card() }));
    await expect(sender.send(to(image))).resolves.toEqual({});
    expect(keys()).toEqual(["sampleMarkdown"]);
  });
});
