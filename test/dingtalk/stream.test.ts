// The Stream receiver and its supervisor with the real dingtalk-stream DWClient against the fake gateway.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.ts";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { createLogger } from "../../src/core/logger.ts";
import type { AcceptOutcome, InboxPort } from "../../src/core/ports.ts";
import { createDingtalkChannel, type DingtalkChannel } from "../../src/channels/dingtalk/dingtalk.channel.ts";
import WebSocket from "ws";
import { startDingtalkGateway, TICKET_TTL_MS, TOPIC_ROBOT, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { eventually } from "../support/eventually.ts";

class MemoryInbox implements InboxPort {
  events: InboundEvent[] = [];
  private ids = new Set<string>();
  async accept(e: InboundEvent): Promise<AcceptOutcome> {
    if (this.ids.has(e.eventId)) return "duplicate";
    this.ids.add(e.eventId);
    this.events.push(e);
    return "accepted";
  }
}

const log = createLogger(process.env.TEST_LOG_LEVEL === "debug" ? "debug" : "silent");
const config = (gw: DingtalkGateway, secret = "fakeSecret") => ({
  clientId: "dingFAKEKEY",
  clientSecret: secret,
  robotCode: "dingFAKEKEY",
  mode: "stream" as const,
  apiBase: gw.url,
  oapiBase: gw.url,
});

let gw: DingtalkGateway;
let inbox: MemoryInbox;
let channel: DingtalkChannel | undefined;

async function startChannel(timings = {}) {
  channel = createDingtalkChannel(config(gw), { inbox, log, clock: systemClock, maxBodyBytes: 65536 }, { stream: { backoffBaseMs: 20, backoffCapMs: 200, ...timings } });
  await channel.start();
  await eventually(() => gw.stream.sockets.size === 1, "a live socket");
}

beforeEach(async () => {
  gw = await startDingtalkGateway();
  inbox = new MemoryInbox();
});
afterEach(async () => {
  await channel?.stop();
  channel = undefined;
  await gw.close();
});

describe("DingTalk Stream receiver", () => {
  it("subscribes to exactly the robot and card callbacks", async () => {
    await startChannel();
    expect(gw.stream.opens[0]).toMatchObject({
      clientId: "dingFAKEKEY",
      subscriptions: [
        { type: "CALLBACK", topic: "/v1.0/im/bot/messages/get" },
        { type: "CALLBACK", topic: "/v1.0/card/instances/callback" },
      ],
    });
  });

  it("stores a robot message, then ACKs it with an empty response", async () => {
    await startChannel();
    const f = gw.sendRobot(gw.robotMessage({ staffId: "0101", text: "查客户 华东机电", msgId: "m1" }));
    const ack = await eventually(() => gw.ackFor(f.headers.messageId!), "the ACK");
    expect(ack).toMatchObject({ code: 200, data: JSON.stringify({ response: {} }) });
    expect(inbox.events).toMatchObject([{ kind: "message", eventId: "msg:m1", senderId: "0101", text: "查客户 华东机电" }]);
  });

  it("ACKs unreadable callbacks without storing them and keeps the connection", async () => {
    await startChannel();
    const notJson = gw.push(gw.frame("CALLBACK", TOPIC_ROBOT, "{not json"));
    const wrongShape = gw.push(gw.frame("CALLBACK", TOPIC_ROBOT, { hello: "world" }));
    const badCard = gw.sendCard({ ...gw.cardClick({ outTrackId: "crd_x", userId: "0101", action: "a" }), content: "[]" });
    gw.pushRaw("this is not a frame");
    gw.pushRaw(JSON.stringify({ type: "CALLBACK" }));
    const unknown = gw.push(gw.frame("CALLBACK", "/v1.0/unknown/topic", {}));
    const event = gw.push(gw.frame("EVENT", "user_add_org", { userId: ["u1"] }, { eventType: "user_add_org", eventId: "ev1" }));
    for (const f of [notJson, wrongShape, badCard]) expect(await eventually(() => gw.ackFor(f.headers.messageId!), "ACK")).toMatchObject({ code: 200 });
    expect(await eventually(() => gw.ackFor(unknown.headers.messageId!), "404")).toMatchObject({ code: 404 });
    expect(await eventually(() => gw.ackFor(event.headers.messageId!), "event ACK")).toMatchObject({ data: JSON.stringify({ status: "SUCCESS" }) });
    expect(inbox.events).toEqual([]);
    const ok = gw.sendRobot(gw.robotMessage({ staffId: "0101", text: "还在吗" }));
    await eventually(() => gw.ackFor(ok.headers.messageId!), "still connected");
    expect(gw.stream.opens).toHaveLength(1);
  });

  it("does not ACK what it could not store", async () => {
    let failed = 0;
    inbox.accept = async () => {
      failed++;
      throw new Error("database down");
    };
    await startChannel();
    const f = gw.sendRobot(gw.robotMessage({ staffId: "0101", text: "x" }));
    await eventually(() => failed > 0, "the failed store");
    const ping = gw.ping("op-1"); // sent after the failure, so its echo comes after anything sent for f
    await eventually(() => gw.ackFor(ping.headers.messageId!), "ping echo");
    expect(gw.ackFor(f.headers.messageId!)).toBeUndefined();
  });

  it("echoes SYSTEM pings", async () => {
    await startChannel();
    const f = gw.ping("op-123");
    expect(await eventually(() => gw.ackFor(f.headers.messageId!), "ping echo")).toMatchObject({ code: 200, data: JSON.stringify({ opaque: "op-123" }) });
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("DingTalk Stream supervisor", () => {
  it("after a disconnect notice opens a new connection with a new ticket; nothing pushed afterwards is lost", async () => {
    await startChannel();
    gw.disconnect();
    await eventually(() => gw.stream.opens.length === 2 && gw.stream.sockets.size === 1 && channel!.stream!.status === "open", "reconnected");
    expect(new Set(gw.stream.usedTickets).size).toBe(2);
    const f = gw.sendRobot(gw.robotMessage({ staffId: "0101", text: "重连后", msgId: "after" }));
    await eventually(() => gw.ackFor(f.headers.messageId!), "ACK after reconnect");
    expect(inbox.events.map((e) => e.eventId)).toEqual(["msg:after"]);
  });

  it("on a disconnect notice the new connection opens first and the old one is served until the server closes it", async () => {
    await startChannel({ drainMs: 5000 });
    const old = gw.disconnect(1500);
    await eventually(() => gw.stream.opens.length === 2 && gw.liveSockets().length === 1 && channel!.stream!.status === "open", "the new connection");
    const fresh = gw.liveSockets()[0]!;
    expect(old.readyState).toBe(old.OPEN); // still there: DingTalk may deliver on it until it closes it
    const m = gw.robotMessage({ staffId: "0101", text: "旧连接上", msgId: "on-old" });
    const onOld = gw.sendRobot(m, old);
    const onNew = gw.sendRobot(gw.robotMessage({ staffId: "0101", text: "新连接上", msgId: "on-new" }));
    const again = gw.sendRobot(m); // the same message delivered once more, on the other connection
    await eventually(() => [onOld, onNew, again].every((f) => gw.ackFor(f.headers.messageId!)), "all ACKs");
    expect(gw.stream.ackSockets.get(onOld.headers.messageId!)).toBe(old); // each ACK on the socket its frame came on
    expect(gw.stream.ackSockets.get(onNew.headers.messageId!)).toBe(fresh);
    expect(inbox.events.map((e) => e.eventId).sort()).toEqual(["msg:on-new", "msg:on-old"]);
    await eventually(() => gw.stream.sockets.size === 1 && channel!.stream!.drainingCount === 0, "the old socket closed by the server");
    expect(gw.stream.opens).toHaveLength(2);
    expect(channel!.stream!.status).toBe("open");
  });

  it("reconnects with back-off after the socket drops, and again after failed attempts", async () => {
    await startChannel();
    const realSecret = gw.api.clientSecret;
    gw.api.clientSecret = "rotated"; // open-connection now fails a few times
    gw.dropSockets();
    await eventually(() => channel!.stream!.status === "waiting" && gw.stream.sockets.size === 0, "noticed the drop");
    await sleep(150);
    gw.api.clientSecret = realSecret;
    await eventually(() => gw.stream.sockets.size === 1 && channel!.stream!.status === "open", "reconnected", 5000);
    expect(gw.stream.sockets.size).toBe(1);
  });

  it("a ticket that expired before it was used is refused; the next attempt gets a new one", async () => {
    gw.stream.expireNextTickets = 1;
    await startChannel();
    expect(gw.stream.refusedTickets).toHaveLength(1);
    expect(gw.stream.opens).toHaveLength(2); // one retry, not a storm
    expect(gw.stream.usedTickets).toHaveLength(1);
  });

  it("re-opens on schedule before the connection ages out", async () => {
    await startChannel({ maxConnectionAgeMs: 300, watchdogEveryMs: 50, drainMs: 50 });
    await eventually(() => gw.stream.usedTickets.length >= 2 && gw.stream.sockets.size === 1, "scheduled re-open");
  });

  it("re-opens a connection that answers pings but delivers no frames, with a new ticket", async () => {
    await startChannel({ pingAfterMs: 40, deadAfterMs: 400, silentAfterMs: 600, watchdogEveryMs: 20, drainMs: 50 });
    await eventually(() => gw.stream.opens.length >= 2 && gw.stream.sockets.size === 1 && channel!.stream!.status === "open", "re-opened after silence", 5000);
    expect(gw.stream.wsPings).toBeGreaterThan(3); // pinged, and answered, all along
    expect(new Set(gw.stream.usedTickets).size).toBe(gw.stream.usedTickets.length);
  });

  it("keeps a connection that goes on receiving frames", async () => {
    // Frames every ~100 ms against a 600 ms silence limit: a busy machine may stall half a second without a
    // false re-open. Each frame is waited for (echoed), and the connection lives three silence limits long.
    const silentAfterMs = 600;
    await startChannel({ pingAfterMs: 40, deadAfterMs: 800, silentAfterMs, watchdogEveryMs: 20 });
    const started = Date.now();
    for (let i = 0; Date.now() - started < 3 * silentAfterMs; i++) {
      const f = gw.ping(`keep-${i}`);
      await eventually(() => gw.ackFor(f.headers.messageId!), "ping echo");
      await sleep(100);
    }
    expect(gw.stream.opens).toHaveLength(1);
  });

  it("gives up a socket that answers nothing, not even pings", async () => {
    await startChannel({ pingAfterMs: 50, deadAfterMs: 200, watchdogEveryMs: 25 });
    const [ws] = [...gw.stream.sockets];
    (ws as unknown as { pong: () => void }).pong = () => {};
    ws!.removeAllListeners("ping"); // ws answers pings itself; silence it
    (ws as unknown as { _receiver: { removeAllListeners(e: string): void } })._receiver.removeAllListeners("ping");
    await eventually(() => gw.stream.opens.length >= 2 && channel!.stream!.status === "open", "watchdog re-open", 5000);
  });

  it("stop() closes the socket and leaves nothing running", async () => {
    await startChannel();
    await channel!.stop();
    await eventually(() => gw.stream.sockets.size === 0, "socket closed");
    const opens = gw.stream.opens.length;
    await sleep(300);
    expect(gw.stream.opens.length).toBe(opens);
    expect(channel!.stream!.status).toBe("stopped");
  });

  it("refuses to start with wrong credentials, naming the variables", async () => {
    channel = createDingtalkChannel(config(gw, "wrong"), { inbox, log, clock: systemClock, maxBodyBytes: 65536 });
    await expect(channel.start()).rejects.toThrow(/DINGTALK_CLIENT_SECRET/);
  });

  it("two channels in one process keep their own subscriptions and sockets", async () => {
    await startChannel();
    const other = createDingtalkChannel(config(gw), { inbox, log, clock: systemClock, maxBodyBytes: 65536 });
    try {
      await other.start();
      await eventually(() => gw.stream.opens.length === 2, "second open");
      expect(gw.stream.opens[1]!.subscriptions).toEqual(gw.stream.opens[0]!.subscriptions);
    } finally {
      await other.stop();
    }
  });
});

describe("DingTalk gateway simulator", () => {
  const ticket = async () => {
    const res = await fetch(`${gw.url}/v1.0/gateway/connections/open`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId: "dingFAKEKEY", clientSecret: "fakeSecret", subscriptions: [] }) });
    const { endpoint, ticket } = (await res.json()) as { endpoint: string; ticket: string };
    return { url: `${endpoint}?ticket=${ticket}`, ticket };
  };
  const connect = (url: string) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(url);
      ws.on("open", () => (ws.close(), resolve("open")));
      ws.on("error", (e) => resolve(e.message));
    });

  it("tickets are single use and valid for 90 s", async () => {
    const a = await ticket();
    expect(await connect(a.url)).toBe("open");
    expect(await connect(a.url)).toMatch(/401/);
    const old = await ticket();
    gw.stream.tickets.set(old.ticket, Date.now() - TICKET_TTL_MS - 1);
    expect(await connect(old.url)).toMatch(/401/);
    const young = await ticket();
    gw.stream.tickets.set(young.ticket, Date.now() - TICKET_TTL_MS + 5000);
    expect(await connect(young.url)).toBe("open");
  });
});
