// A fake DingTalk for offline tests (src/channels/dingtalk/README.md), grown from protocol-snippets/fake-dingtalk.mjs:
// open-connection with single-use tickets valid 90 s, the Stream WebSocket (push frames, collect ACKs), the OpenAPI.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { THROTTLE_FORMS, handleApi, handleUpload, newApiState, type ApiCall, type CardFault, type Fault, type ThrottleForm } from "./dingtalk-openapi.ts";

export const TOPIC_ROBOT = "/v1.0/im/bot/messages/get";
export const TOPIC_CARD = "/v1.0/card/instances/callback";
/** src/channels/dingtalk/README.md: "Ticket valid 90 s, single use". */
export const TICKET_TTL_MS = 90_000;

export interface Frame {
  specVersion: string;
  type: "SYSTEM" | "EVENT" | "CALLBACK";
  headers: Record<string, string>;
  data: string;
}
export interface Ack {
  code: number;
  headers: { messageId?: string; [k: string]: unknown };
  message: string;
  data: string;
}

export interface GatewayOptions {
  clientId?: string;
  clientSecret?: string;
  /** "Now" for message timestamps (the bot under test may run on a fixed clock). */
  now?: () => number;
}

export type DingtalkGateway = Awaited<ReturnType<typeof startDingtalkGateway>>;

export async function startDingtalkGateway(opts: GatewayOptions = {}) {
  const now = opts.now ?? Date.now;
  const api = newApiState(opts.clientId ?? "dingFAKEKEY", opts.clientSecret ?? "fakeSecret");
  const stream = {
    opens: [] as Record<string, unknown>[],
    /** ticket → when it was issued (real time). */
    tickets: new Map<string, number>(),
    usedTickets: [] as string[],
    refusedTickets: [] as string[],
    /** The next N tickets are issued already expired (a slow client). */
    expireNextTickets: 0,
    sockets: new Set<WebSocket>(),
    /** Sockets told `disconnect`: still open for a while, no longer the one new pushes go to. */
    retiring: new Set<WebSocket>(),
    acks: [] as Ack[],
    /** messageId → the socket its ACK came back on. */
    ackSockets: new Map<string, WebSocket>(),
    /** WebSocket pings received from clients (ws answers them with pongs by itself). */
    wsPings: 0,
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const text = bytes.toString("utf8");
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: unknown, raw?: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(raw ?? JSON.stringify(body));
    };
    if (req.method === "POST" && url.pathname === "/media/upload") {
      const call: ApiCall = { method: "POST", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: null, at: Date.now() };
      api.calls.push(call);
      const reply = await handleUpload(api, call, String(req.headers["content-type"] ?? ""), bytes);
      call.status = reply.status;
      return send(reply.status, reply.body, reply.raw, reply.headers);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return send(400, { code: "InvalidJson" });
    }
    if (req.method === "POST" && url.pathname === "/v1.0/gateway/connections/open") return send(...openConnection(body as Record<string, unknown>));
    const call: ApiCall = { method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, at: Date.now() };
    api.calls.push(call);
    const reply = handleApi(api, call) ?? { status: 404, body: { code: "notFound" } };
    call.status = reply.status;
    return send(reply.status, reply.body, reply.raw, reply.headers);
  });

  function openConnection(b: Record<string, unknown> | undefined): [number, unknown] {
    if (!b || b.clientId !== api.clientId || b.clientSecret !== api.clientSecret) return [401, { code: "InvalidAuthentication", message: "clientId/clientSecret" }];
    stream.opens.push(b);
    const ticket = randomUUID();
    const expired = stream.expireNextTickets > 0;
    if (expired) stream.expireNextTickets--;
    stream.tickets.set(ticket, Date.now() - (expired ? TICKET_TTL_MS + 1 : 0));
    return [200, { endpoint: `ws://127.0.0.1:${port()}/connect`, ticket }];
  }

  /** Single use, and only within 90 s of being issued. */
  function takeTicket(ticket: string): boolean {
    const issued = stream.tickets.get(ticket);
    stream.tickets.delete(ticket);
    return issued !== undefined && Date.now() - issued <= TICKET_TTL_MS;
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, sock, head) => {
    const url = new URL(req.url ?? "/", "http://x");
    const ticket = url.searchParams.get("ticket") ?? "";
    if (url.pathname !== "/connect" || !takeTicket(ticket)) {
      stream.refusedTickets.push(ticket);
      sock.write("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return sock.destroy();
    }
    stream.usedTickets.push(ticket);
    wss.handleUpgrade(req, sock, head, (ws) => {
      stream.sockets.add(ws);
      ws.on("close", () => (stream.sockets.delete(ws), stream.retiring.delete(ws)));
      ws.on("ping", () => stream.wsPings++);
      ws.on("message", (m) => {
        try {
          const ack = JSON.parse(String(m)) as Ack;
          stream.acks.push(ack);
          if (ack.headers?.messageId) stream.ackSockets.set(ack.headers.messageId, ws);
        } catch {
          api.violations.push(`client sent a non-JSON frame: ${String(m).slice(0, 80)}`);
        }
      });
    });
  });

  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = () => (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port()}`;

  const frame = (type: Frame["type"], topic: string, data: unknown, extra: Record<string, string> = {}): Frame => ({
    specVersion: "1.0",
    type,
    headers: { appId: "fake-app-id", connectionId: "conn-1", contentType: "application/json", messageId: `${randomUUID().slice(0, 8)}_${Date.now().toString(16)}`, time: String(now()), topic, ...extra },
    data: typeof data === "string" ? data : JSON.stringify(data),
  });
  /** The sockets new pushes go to: open and not told to disconnect. */
  const liveSockets = () => [...stream.sockets].filter((ws) => !stream.retiring.has(ws));
  const current = (): WebSocket => {
    const live = liveSockets();
    if (live.length !== 1) throw new Error(`expected exactly one live client socket, found ${live.length}`);
    return live[0]!;
  };
  const pushRaw = (text: string, on: WebSocket = current()) => on.send(text);
  const push = (f: Frame, on?: WebSocket) => (pushRaw(JSON.stringify(f), on), f);
  const ackFor = (messageId: string) => stream.acks.find((a) => a.headers?.messageId === messageId);

  /**
   * A robot message as DingTalk sends it; 1:1 unless `group` names an openConversationId. In a group DingTalk
   * removes the robot's own @-mention from the text and leaves its space (src/channels/dingtalk/README.md sample " 测试数据").
   */
  const robotMessage = (o: { staffId: string; text?: string; msgId?: string; group?: string; msgtype?: string; nick?: string; webhookExpiresAt?: number }) => ({
    conversationId: o.group ?? `cid-direct-${o.staffId}`,
    chatbotCorpId: "dingCORP",
    chatbotUserId: "$:LWCP_v1:$bot",
    msgId: o.msgId ?? `msg${randomUUID().replace(/-/g, "")}`,
    senderNick: o.nick ?? o.staffId,
    isAdmin: false,
    senderStaffId: o.staffId,
    senderId: `$:LWCP_v1:$${o.staffId}`,
    sessionWebhook: `${base}/robot/sendBySession?session=${randomUUID()}`,
    sessionWebhookExpiredTime: o.webhookExpiresAt ?? now() + 5_400_060,
    createAt: now(),
    senderCorpId: "dingCORP",
    conversationType: o.group ? "2" : "1",
    ...(o.group ? { conversationTitle: "销售群", isInAtList: true, atUsers: [{ dingtalkId: "$:LWCP_v1:$bot" }] } : {}),
    robotCode: api.clientId,
    msgtype: o.msgtype ?? "text",
    ...(o.msgtype && o.msgtype !== "text" ? { content: { downloadCode: "x" } } : { text: { content: ` ${o.text ?? ""}` } }),
  });

  /** A card button click (src/channels/dingtalk/README.md). */
  const cardClick = (o: { outTrackId: string; userId: string; action: string; group?: string }) => ({
    type: "actionCallback",
    outTrackId: o.outTrackId,
    corpId: "dingCORP",
    userId: o.userId,
    spaceType: "IM",
    spaceId: o.group ? `dtv1.card//IM_GROUP.${o.group}` : `dtv1.card//IM_ROBOT.${o.userId}`,
    userIdType: 1,
    extension: "{}",
    content: JSON.stringify({ cardPrivateData: { actionIds: ["btn"], params: { action: o.action } } }),
  });

  return {
    url: base,
    api,
    stream,
    frame,
    push,
    pushRaw,
    ackFor,
    liveSockets,
    robotMessage,
    cardClick,
    sendRobot: (m: ReturnType<typeof robotMessage>, on?: WebSocket) => push(frame("CALLBACK", TOPIC_ROBOT, m), on),
    sendCard: (c: ReturnType<typeof cardClick>, on?: WebSocket) => push(frame("CALLBACK", TOPIC_CARD, c), on),
    ping: (opaque: string) => push(frame("SYSTEM", "ping", { opaque })),
    /**
     * The server's "connection is expired" notice. Like DingTalk (which closes ~10 s later) the socket stays open
     * for `closeAfterMs` and can still be pushed on (`push(f, old)`); new pushes go to the client's next socket.
     */
    disconnect(closeAfterMs = 300): WebSocket {
      const old = current();
      push(frame("SYSTEM", "disconnect", { reason: "connection is expired" }), old);
      stream.retiring.add(old);
      setTimeout(() => old.close(), closeAfterMs);
      return old;
    },
    /** Drop every socket without a close handshake (network failure). */
    dropSockets: () => stream.sockets.forEach((ws) => ws.terminate()),
    /** Answer the next `times` robot/card calls (or calls to `path`) with this throttling form. */
    throttle: (form: ThrottleForm, times = 1, path?: string) => inject({ reply: THROTTLE_FORMS[form], ...(path ? { path } : {}) }, times),
    inject,
    failCards: (...faults: CardFault[]) => api.cardFaults.push(...faults),
    calls: (path: string, method = "POST") => api.calls.filter((c) => c.path === path && c.method === method),
    revokeTokens: () => api.tokens.clear(),
    close: async () => {
      for (const ws of stream.sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  function inject(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) api.faults.push(fault);
  }
}
