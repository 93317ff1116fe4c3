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
import { FakeTimers } from "../support/fake-timers.ts";
import { DEFAULT_TIMINGS } from "../../src/channels/dingtalk/stream-supervisor.ts";

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

/** `timers`: the supervisor's watchdog, back-off and drain run on these (a test advances them) instead of real time. */
async function startChannel(timings = {}, timers?: FakeTimers) {
  channel = createDingtalkChannel(config(gw), { inbox, log, clock: systemClock, maxBodyBytes: 65536 }, { stream: { backoffBaseMs: 20, backoffCapMs: 200, ...timings }, streamTimers: timers });
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
    const timers = new FakeTimers(); // the drain limit never runs out here: only the server closes the old socket
    await startChannel({}, timers);
    const old = gw.disconnect(60_000);
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
    expect(channel!.stream!.drainingCount).toBe(1);
    old.close(); // the server closes it
    await eventually(() => gw.stream.sockets.size === 1 && channel!.stream!.drainingCount === 0, "the old socket closed by the server");
    expect(gw.stream.opens).toHaveLength(2);
    expect(channel!.stream!.status).toBe("open");
  });

  it("reconnects with back-off after the socket drops, and again after failed attempts", async () => {
    const timers = new FakeTimers();
    await startChannel({ backoffBaseMs: 1000, backoffCapMs: 60_000 }, timers);
    const sup = channel!.stream!;
    const realSecret = gw.api.clientSecret;
    gw.api.clientSecret = "rotated"; // open-connection now fails a few times
    gw.dropSockets();
    await eventually(() => sup.status === "waiting" && gw.stream.sockets.size === 0, "noticed the drop");
    // Each retry waits its back-off (1 s, 2 s, 4 s, ± 20 %): not a moment before, then it tries and fails again.
    for (const waitMs of [1000, 2000, 4000]) {
      timers.advance(waitMs * 0.8 - 1);
      expect(sup.status).toBe("waiting");
      timers.advance(waitMs * 0.4 + 1);
      expect(sup.status).toBe("connecting");
      await eventually(() => sup.status === "waiting", "the failed attempt");
    }
    gw.api.clientSecret = realSecret;
    timers.advance(8000 * 1.2);
    await eventually(() => gw.stream.sockets.size === 1 && sup.status === "open", "reconnected", 5000);
    expect(gw.stream.sockets.size).toBe(1);
  });

  it("a ticket that expired before it was used is refused; the next attempt gets a new one", async () => {
    gw.stream.expireNextTickets = 1;
    await startChannel();
    expect(gw.stream.refusedTickets).toHaveLength(1);
    expect(gw.stream.opens).toHaveLength(2); // one retry, not a storm
    expect(gw.stream.usedTickets).toHaveLength(1);
  });

  // The watchdog tests run on the default timings and timers they advance: a decision falls due exactly when the
  // test moves time, never because the machine was slow. The watchdog acts synchronously when it fires (status
  // leaves "open" at once), so right after an advance the test can tell whether it acted.
  const T = DEFAULT_TIMINGS;

  /** Moves time in watchdog steps; after each, waits until a ping the watchdog sent has had its pong. */
  async function advanceAnsweringPings(timers: FakeTimers, ms: number): Promise<void> {
    for (let moved = 0; moved < ms && channel!.stream!.status === "open"; moved += T.watchdogEveryMs) {
      timers.advance(T.watchdogEveryMs);
      await eventually(() => channel!.stream!.status !== "open" || timers.now() - Math.max(channel!.stream!.liveHeard!.frameAt, channel!.stream!.liveHeard!.pongAt) < T.pingAfterMs, "the pong");
    }
  }

  it("re-opens on schedule before the connection ages out", async () => {
    const timers = new FakeTimers();
    await startChannel({ silentAfterMs: 2 * T.maxConnectionAgeMs, deadAfterMs: 2 * T.maxConnectionAgeMs }, timers); // only age counts here
    timers.advance(T.maxConnectionAgeMs - T.watchdogEveryMs);
    expect(channel!.stream!.status).toBe("open"); // not yet
    expect(gw.stream.opens).toHaveLength(1);
    timers.advance(T.watchdogEveryMs);
    await eventually(() => gw.stream.usedTickets.length === 2 && channel!.stream!.status === "open", "scheduled re-open");
    timers.advance(T.drainMs); // the replaced connection is closed after draining
    await eventually(() => gw.stream.sockets.size === 1 && channel!.stream!.drainingCount === 0, "the old socket closed");
  });

  it("re-opens a connection that answers pings but delivers no frames, with a new ticket", async () => {
    const timers = new FakeTimers();
    await startChannel({}, timers);
    const started = timers.now();
    await advanceAnsweringPings(timers, 2 * T.silentAfterMs);
    expect(channel!.stream!.status).toBe("connecting"); // re-opening make-before-break, not dropped as dead
    expect(timers.now() - started).toBe(T.silentAfterMs);
    await eventually(() => gw.stream.opens.length === 2 && channel!.stream!.status === "open", "re-opened after silence");
    timers.advance(T.drainMs);
    await eventually(() => gw.stream.sockets.size === 1, "the old socket closed");
    expect(gw.stream.wsPings).toBeGreaterThanOrEqual(T.silentAfterMs / T.pingAfterMs - 1); // pinged, and answered, all along
    expect(new Set(gw.stream.usedTickets).size).toBe(gw.stream.usedTickets.length);
  });

  it("keeps a connection that goes on receiving frames", async () => {
    // A frame every third of the silence limit, each waited for (echoed), for three silence limits.
    const timers = new FakeTimers();
    await startChannel({}, timers);
    for (let i = 0; i < 9; i++) {
      const f = gw.ping(`keep-${i}`);
      await eventually(() => gw.ackFor(f.headers.messageId!), "ping echo");
      timers.advance(T.silentAfterMs / 3);
      expect(channel!.stream!.status).toBe("open");
    }
    expect(gw.stream.opens).toHaveLength(1);
  });

  it("gives up a socket that answers nothing, not even pings", async () => {
    const timers = new FakeTimers();
    await startChannel({}, timers);
    const [ws] = [...gw.stream.sockets];
    (ws as unknown as { pong: () => void }).pong = () => {};
    ws!.removeAllListeners("ping"); // ws answers pings itself; silence it
    const receiver = (ws as unknown as { _receiver: { removeAllListeners(e: string): void; on(e: string, fn: () => void): void } })._receiver;
    receiver.removeAllListeners("ping");
    let unanswered = 0;
    receiver.on("ping", () => unanswered++);
    for (let moved = 0; channel!.stream!.status === "open"; moved += T.watchdogEveryMs) {
      expect(moved).toBeLessThan(T.deadAfterMs);
      const before = unanswered;
      timers.advance(T.watchdogEveryMs);
      const heard = channel!.stream!.liveHeard;
      // A ping the watchdog sent reached the server (and went unanswered) before time moves on.
      if (heard && timers.now() - Math.max(heard.frameAt, heard.pongAt) >= T.pingAfterMs) await eventually(() => unanswered > before, "the ping");
    }
    expect(channel!.stream!.status).toBe("waiting"); // dropped as dead, reconnecting
    expect(unanswered).toBeGreaterThanOrEqual((T.deadAfterMs - T.pingAfterMs) / T.watchdogEveryMs);
    timers.advance(250); // the short reconnect delay after a dead socket
    await eventually(() => gw.stream.opens.length === 2 && channel!.stream!.status === "open", "watchdog re-open");
  });

  it("stop() closes the socket and leaves nothing running", async () => {
    const timers = new FakeTimers();
    await startChannel({}, timers);
    await channel!.stop();
    await eventually(() => gw.stream.sockets.size === 0, "socket closed");
    expect(timers.count).toBe(0); // no watchdog, retry or drain left to fire
    const opens = gw.stream.opens.length;
    timers.advance(T.maxConnectionAgeMs);
    expect(channel!.stream!.status).toBe("stopped");
    expect(gw.stream.opens.length).toBe(opens);
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
