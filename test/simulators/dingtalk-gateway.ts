// A fake DingTalk for offline tests (protocols.md C2), grown from protocol-snippets/fake-dingtalk.mjs:
// open-connection with single-use tickets, the Stream WebSocket (push frames, collect ACKs), and the OpenAPI.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { handleApi, type ApiState } from "./dingtalk-openapi.ts";

export const TOPIC_ROBOT = "/v1.0/im/bot/messages/get";
export const TOPIC_CARD = "/v1.0/card/instances/callback";

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
  const api: ApiState = {
    clientId: opts.clientId ?? "dingFAKEKEY",
    clientSecret: opts.clientSecret ?? "fakeSecret",
    calls: [],
    violations: [],
    tokens: new Set(),
    flowControl: new Map(),
    invalidUsers: new Set(),
    throttleNext: 0,
    forbidNext: 0,
  };
  const stream = { opens: [] as Record<string, unknown>[], tickets: new Set<string>(), usedTickets: [] as string[], sockets: new Set<WebSocket>(), acks: [] as Ack[], raw: [] as string[] };

  const server = http.createServer(async (req, res) => {
    let text = "";
    for await (const c of req) text += c;
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return send(400, { code: "InvalidJson" });
    }
    if (req.method === "POST" && url.pathname === "/v1.0/gateway/connections/open") return send(...openConnection(body as Record<string, unknown>));
    const call = { method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
    api.calls.push(call);
    const reply = handleApi(api, call);
    return reply ? send(reply.status, reply.body) : send(404, { code: "notFound" });
  });

  function openConnection(b: Record<string, unknown> | undefined): [number, unknown] {
    if (!b || b.clientId !== api.clientId || b.clientSecret !== api.clientSecret) return [401, { code: "InvalidAuthentication", message: "clientId/clientSecret" }];
    stream.opens.push(b);
    const ticket = randomUUID();
    stream.tickets.add(ticket);
    return [200, { endpoint: `ws://127.0.0.1:${port()}/connect`, ticket }];
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, sock, head) => {
    const url = new URL(req.url ?? "/", "http://x");
    const ticket = url.searchParams.get("ticket") ?? "";
    if (url.pathname !== "/connect" || !stream.tickets.delete(ticket)) {
      sock.write("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return sock.destroy();
    }
    stream.usedTickets.push(ticket);
    wss.handleUpgrade(req, sock, head, (ws) => {
      stream.sockets.add(ws);
      ws.on("close", () => stream.sockets.delete(ws));
      ws.on("message", (m) => {
        try {
          stream.acks.push(JSON.parse(String(m)) as Ack);
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
  const pushRaw = (text: string) => {
    if (stream.sockets.size !== 1) throw new Error(`expected exactly one live client socket, found ${stream.sockets.size}`);
    for (const ws of stream.sockets) ws.send(text);
  };
  const push = (f: Frame) => (pushRaw(JSON.stringify(f)), f);
  const ackFor = (messageId: string) => stream.acks.find((a) => a.headers?.messageId === messageId);

  /** A robot message as DingTalk sends it; 1:1 unless `group` names an openConversationId. */
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
    ...(o.msgtype && o.msgtype !== "text" ? { content: { downloadCode: "x" } } : { text: { content: o.group ? `@销售助手 ${o.text ?? ""}` : ` ${o.text ?? ""}` } }),
  });

  /** A card button click (protocols.md B6). */
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
    robotMessage,
    cardClick,
    sendRobot: (m: ReturnType<typeof robotMessage>) => push(frame("CALLBACK", TOPIC_ROBOT, m)),
    sendCard: (c: ReturnType<typeof cardClick>) => push(frame("CALLBACK", TOPIC_CARD, c)),
    ping: (opaque: string) => push(frame("SYSTEM", "ping", { opaque })),
    /** The server's "connection is expired" notice, then (like DingTalk) it closes the socket a little later. */
    disconnect(closeAfterMs = 200) {
      push(frame("SYSTEM", "disconnect", { reason: "connection is expired" }));
      const doomed = [...stream.sockets];
      setTimeout(() => doomed.forEach((ws) => ws.close()), closeAfterMs);
    },
    /** Drop every socket without a close handshake (network failure). */
    dropSockets: () => stream.sockets.forEach((ws) => ws.terminate()),
    calls: (path: string, method = "POST") => api.calls.filter((c) => c.path === path && c.method === method),
    revokeTokens: () => api.tokens.clear(),
    close: async () => {
      for (const ws of stream.sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
