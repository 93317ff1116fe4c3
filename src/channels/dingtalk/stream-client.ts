// The real dingtalk-stream DWClient, bent in three places only: the open-connection call goes to our configured
// base URL (tests, staging), a malformed frame is logged instead of throwing inside the socket listener (the SDK's
// JSON.parse would crash the process), and the supervisor gets to see the socket (close, pong, every frame).
import { DWClient, TOPIC_CARD, TOPIC_ROBOT } from "dingtalk-stream";
import type WebSocket from "ws";
import type { Logger } from "../../core/logger.ts";
import { OpenConnectionSchema } from "./schemas.ts";

export interface StreamClientOptions {
  clientId: string;
  clientSecret: string;
  /** e.g. https://api.dingtalk.com; the open-connection call goes to `${apiBase}/v1.0/gateway/connections/open`. */
  apiBase: string;
  log: Logger;
}

/** What the supervisor wants to hear about: every frame (liveness) and the server's `disconnect` notice. */
export interface StreamClientHooks {
  onFrame(): void;
  onDisconnectNotice(reason: string): void;
}

/** Thrown when the gateway refuses our credentials: no point retrying, the administrator must fix the env. */
export class StreamAuthError extends Error {
  override name = "StreamAuthError";
}

type Internals = { socket?: WebSocket; dw_url?: string; config: { endpoint?: unknown } };

export class LocalDWClient extends DWClient {
  private readonly opts: StreamClientOptions;
  private aborter = new AbortController();
  hooks: StreamClientHooks = { onFrame: () => {}, onDisconnectNotice: () => {} };

  constructor(opts: StreamClientOptions) {
    // autoReconnect/keepAlive off: the supervisor owns reconnects and liveness. An explicit subscriptions array,
    // because the SDK's default array is shared by every client and mutated by registerCallbackListener.
    const config = {
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      ua: "sales-desk-bot",
      keepAlive: false,
      autoReconnect: false,
      subscriptions: [
        { type: "CALLBACK", topic: TOPIC_ROBOT },
        { type: "CALLBACK", topic: TOPIC_CARD },
      ],
    };
    super(config as ConstructorParameters<typeof DWClient>[0]);
    this.opts = opts;
  }

  /** The live socket (private in the SDK's typings). */
  get socketNow(): WebSocket | undefined {
    return (this as unknown as Internals).socket;
  }

  /** Abandon a pending open-connection call (handshake timeout, stop). */
  abortPending(): void {
    this.aborter.abort();
    this.aborter = new AbortController();
  }

  override async getEndpoint(): Promise<this> {
    const res = await fetch(`${this.opts.apiBase}/v1.0/gateway/connections/open`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ clientId: this.config.clientId, clientSecret: this.config.clientSecret, ua: this.config.ua, subscriptions: this.config.subscriptions }),
      signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(15_000)]),
    });
    const text = await res.text();
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      throw new StreamAuthError(`DingTalk refused the Stream connection (HTTP ${res.status}: ${text.slice(0, 200)}); check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET`);
    }
    if (!res.ok) throw new Error(`open connection failed: HTTP ${res.status} ${text.slice(0, 200)}`);
    const parsed = OpenConnectionSchema.safeParse(safeJson(text));
    if (!parsed.success) throw new Error(`open connection: unexpected answer ${text.slice(0, 200)}`);
    const self = this as unknown as Internals;
    self.config.endpoint = parsed.data;
    self.dw_url = `${parsed.data.endpoint}?ticket=${encodeURIComponent(parsed.data.ticket)}`;
    return this;
  }

  /** Unknown topics get the protocol's 404 answer instead of silence (the SDK would drop them unanswered). */
  override onCallback(message: Parameters<DWClient["onCallback"]>[0]): void {
    const topic = message.headers.topic;
    if (this.listenerCount(topic) > 0) return super.onCallback(message);
    this.opts.log.warn("dingtalk stream: callback on an unknown topic answered 404", { topic: String(topic).slice(0, 100) });
    const ack = { code: 404, headers: { contentType: "application/json", messageId: message.headers.messageId }, message: "topic not found", data: "{}" };
    this.socketNow?.send(JSON.stringify(ack));
  }

  override onSystem(frame: Parameters<DWClient["onSystem"]>[0]): void {
    super.onSystem(frame);
    if (frame.headers.topic === "disconnect") this.hooks.onDisconnectNotice(String(frame.data).slice(0, 200));
  }

  override onDownStream(data: string): void {
    this.hooks.onFrame();
    try {
      super.onDownStream(data);
    } catch (err) {
      this.opts.log.warn("dingtalk stream: unreadable frame ignored", { err, frame: String(data).slice(0, 200) });
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
