// Keeps exactly one live Stream connection per channel. The SDK's own reconnect is off (2.1.5: a failed handshake
// doubles the attempts, TLS errors may never fire close, heartbeat timers leak), so this small state machine owns it
// and logs every state change.
//
// Each connection is its own DWClient: the SDK ACKs on `this.socket`, so one client per socket keeps every ACK on
// the socket its frame came from, and an old connection can go on receiving while a new one opens.
//
// Two ways to re-open:
// - make-before-break, when the old socket still works: the server's `disconnect` notice (it closes ~10 s later and
//   may deliver until then), the scheduled re-open before the connection ages out, and silence (below). The new
//   connection opens first and becomes the live one; the old one keeps handling what still arrives until the server
//   closes it or `drainMs` passes.
// - break, then reconnect with back-off: the socket closed, or nothing (not even a pong) came back for `deadAfterMs`.
//
// Silence: DingTalk documents a server `ping` frame for health checks but no interval (src/channels/dingtalk/README.md), and a WS
// pong only proves the TCP path, not that the gateway still routes callbacks to this connection (a known failure:
// sockets that answer pings but get nothing). So pongs feed only the dead-socket check, and `silentAfterMs` without a
// downstream frame re-opens make-before-break. If the server does send nothing on an idle connection, that costs
// one open-connection call per `silentAfterMs` of silence and loses nothing, since the old socket stays until the new
// one is up.
import type WebSocket from "ws";
import { backoffMs } from "../../core/backoff.ts";
import type { Logger } from "../../core/logger.ts";
import { realTimers, type TimerHandle, type Timers } from "../../core/timers.ts";
import { StreamAuthError, type LocalDWClient } from "./stream-client.ts";

export interface SupervisorTimings {
  /** Re-open this often even if all is well (DingTalk expires connections). Default 2 h. */
  maxConnectionAgeMs: number;
  /** Re-open when no downstream frame (pongs do not count) arrived for this long. Default 3 min. */
  silentAfterMs: number;
  /** WS-ping the socket when neither a frame nor a pong arrived for this long. Default 30 s. */
  pingAfterMs: number;
  /** Give the socket up when neither a frame nor a pong arrived for this long. Default 90 s. */
  deadAfterMs: number;
  /** A replaced connection keeps receiving at most this long (DingTalk closes it ~10 s after `disconnect`). Default 15 s. */
  drainMs: number;
  /** How often the watchdog looks. Default 10 s. */
  watchdogEveryMs: number;
  /** Handshake (open-connection + WS open) must finish within this. Default 20 s. */
  connectTimeoutMs: number;
  /** Back-off after failures (core backoffMs): base and cap. Defaults 1 s and 60 s. */
  backoffBaseMs: number;
  backoffCapMs: number;
}

export const DEFAULT_TIMINGS: SupervisorTimings = {
  maxConnectionAgeMs: 2 * 3600_000,
  silentAfterMs: 3 * 60_000,
  pingAfterMs: 30_000,
  deadAfterMs: 90_000,
  drainMs: 15_000,
  watchdogEveryMs: 10_000,
  connectTimeoutMs: 20_000,
  backoffBaseMs: 1000,
  backoffCapMs: 60_000,
};

/** open: a live connection and nothing pending; connecting/waiting: a (re)connect is running or scheduled. */
type State = "idle" | "connecting" | "open" | "waiting" | "stopped";

interface Connection {
  client: LocalDWClient;
  socket: WebSocket;
  openedAt: number;
  lastFrameAt: number;
  lastPongAt: number;
}

// Transport timing is elapsed time, not business time: real timers by default (not the business Clock); tests
// inject timers they advance themselves.

export class StreamSupervisor {
  private state: State = "idle";
  private failures = 0;
  /** The one connection new work is accounted to; replaced ones sit in `draining` until they close. */
  private live: Connection | undefined;
  private readonly draining = new Set<Connection>();
  private handshaking: LocalDWClient | undefined;
  private retryTimer: TimerHandle | undefined;
  private watchdog: TimerHandle | undefined;
  private cycle: Promise<void> = Promise.resolve();
  readonly t: SupervisorTimings;

  constructor(
    private readonly newClient: () => LocalDWClient,
    private readonly log: Logger,
    timings: Partial<SupervisorTimings> = {},
    private readonly timers: Timers = realTimers,
  ) {
    this.t = { ...DEFAULT_TIMINGS, ...timings };
  }

  get status(): State {
    return this.state;
  }

  /** Replaced connections still open (for health checks and tests). */
  get drainingCount(): number {
    return this.draining.size;
  }

  /** When the live connection last received a frame, and a pong (on the injected timers' clock), for tests. */
  get liveHeard(): { frameAt: number; pongAt: number } | undefined {
    return this.live && { frameAt: this.live.lastFrameAt, pongAt: this.live.lastPongAt };
  }

  /** First connection. Wrong credentials fail boot; a network problem is retried in the background. */
  async start(): Promise<void> {
    if (this.state !== "idle") return;
    this.watchdog = this.timers.setInterval(() => this.checkHealth(), this.t.watchdogEveryMs, { unref: true });
    try {
      await this.connect("opening a Stream connection");
    } catch (err) {
      if (err instanceof StreamAuthError) {
        await this.stop();
        throw err;
      }
      this.failed(err);
    }
  }

  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    this.setState("stopped", "stop requested");
    this.timers.clear(this.retryTimer);
    this.timers.clear(this.watchdog);
    this.handshaking?.abortPending();
    this.handshaking?.socketNow?.terminate(); // a half-open handshake: no goodbye needed
    await this.cycle;
    const all = [...(this.live ? [this.live] : []), ...this.draining];
    this.live = undefined;
    this.draining.clear();
    await Promise.all(all.map((c) => closeGracefully(c.socket, 3000)));
  }

  /** Open a connection and make it the live one (the previous one drains). Rejects when the attempt fails. */
  private connect(why: string): Promise<void> {
    this.setState("connecting", why);
    const attempt = this.open().then((conn) => this.adopt(conn));
    this.cycle = attempt.catch(() => {});
    return attempt;
  }

  /** Make-before-break re-open, only from a settled open state (never two attempts at once). */
  private replace(why: string): void {
    if (this.state !== "open") return;
    this.connect(why).catch((err: unknown) => this.failed(err));
  }

  private async open(): Promise<Connection> {
    const client = this.newClient();
    this.handshaking = client;
    let gaveUp = false;
    const attempt = async () => {
      await client.getEndpoint();
      if (gaveUp || this.state === "stopped") throw new Error("connection attempt abandoned");
      await client._connect();
    };
    try {
      await withTimeout(this.timers, attempt(), this.t.connectTimeoutMs, () => {
        gaveUp = true;
        client.abortPending();
        client.socketNow?.terminate();
      });
    } catch (err) {
      client.socketNow?.terminate();
      throw err;
    } finally {
      if (this.handshaking === client) this.handshaking = undefined;
    }
    const socket = client.socketNow;
    if (!socket) throw new Error("the SDK reported open without a socket");
    const at = this.timers.now();
    const conn: Connection = { client, socket, openedAt: at, lastFrameAt: at, lastPongAt: at };
    client.hooks = { onFrame: () => (conn.lastFrameAt = this.timers.now()), onDisconnectNotice: (why) => this.onDisconnectNotice(conn, why) };
    socket.on("pong", () => (conn.lastPongAt = this.timers.now()));
    socket.once("close", (code) => this.onClose(conn, code));
    return conn;
  }

  private async adopt(conn: Connection): Promise<void> {
    if (this.state === "stopped") return closeGracefully(conn.socket, 3000);
    const previous = this.live;
    this.live = conn;
    this.failures = 0;
    this.setState("open", previous ? "connected; the previous connection drains" : "connected");
    if (previous) this.drain(previous);
  }

  private onDisconnectNotice(conn: Connection, why: string): void {
    if (conn === this.live) this.replace(`server sent disconnect ${why}`);
  }

  private onClose(conn: Connection, code: number): void {
    if (this.draining.delete(conn)) return this.log.info("dingtalk stream: replaced connection closed", { code });
    if (conn !== this.live) return;
    this.live = undefined;
    // connecting/waiting: a replacement is already on its way.
    if (this.state === "open") this.scheduleRetry(`socket closed (code ${code})`);
  }

  /** Keep handling what still arrives on a replaced connection until the server closes it, at most drainMs. */
  private drain(conn: Connection): void {
    if (conn.socket.readyState === conn.socket.CLOSED) return;
    this.draining.add(conn);
    const timer = this.timers.setTimeout(
      () => {
        this.draining.delete(conn);
        void closeGracefully(conn.socket, 3000);
      },
      this.t.drainMs,
      { unref: true },
    );
    conn.socket.once("close", () => this.timers.clear(timer));
  }

  /** A dead socket has nothing to drain: drop it and reconnect. */
  private drop(conn: Connection, why: string): void {
    this.live = undefined;
    conn.socket.terminate();
    this.scheduleRetry(why, jitter(250));
  }

  private failed(err: unknown): void {
    this.failures++;
    this.scheduleRetry(`connection attempt ${this.failures} failed: ${errText(err)}`);
  }

  private scheduleRetry(reason: string, delayMs?: number): void {
    if (this.state === "stopped") return;
    const wait = delayMs ?? this.backoff();
    this.setState("waiting", `${reason}; reconnecting in ${wait} ms`);
    this.timers.clear(this.retryTimer);
    this.retryTimer = this.timers.setTimeout(() => this.connect("retrying").catch((err: unknown) => this.failed(err)), wait);
  }

  private checkHealth(): void {
    const c = this.live;
    if (this.state !== "open" || !c) return;
    const t = this.timers.now();
    const heard = Math.max(c.lastFrameAt, c.lastPongAt);
    if (t - heard >= this.t.deadAfterMs) return this.drop(c, `no frame or pong for ${t - heard} ms`);
    if (t - c.openedAt >= this.t.maxConnectionAgeMs) return this.replace("scheduled re-open (connection age)");
    if (t - c.lastFrameAt >= this.t.silentAfterMs) return this.replace(`no frame for ${t - c.lastFrameAt} ms (pongs alone do not prove delivery)`);
    if (t - heard >= this.t.pingAfterMs) c.socket.ping();
  }

  /** base × 2ⁿ after n failed attempts in a row (just base after a socket closed), capped; core back-off. */
  private backoff(): number {
    return backoffMs(this.failures + 1, this.t.backoffBaseMs, this.t.backoffCapMs);
  }

  private setState(next: State, why: string): void {
    const from = this.state;
    this.state = next;
    this.log.info("dingtalk stream state", { from, to: next, why });
  }
}

function jitter(maxMs: number): number {
  return Math.floor(Math.random() * maxMs);
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function withTimeout<T>(timers: Timers, p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: TimerHandle | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = timers.setTimeout(() => {
      onTimeout();
      reject(new Error(`handshake took longer than ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    timers.clear(timer);
  }
}

/** Close politely (frames already in flight are still handled), then force it. */
function closeGracefully(sock: WebSocket, ms: number): Promise<void> {
  if (sock.readyState === sock.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => sock.terminate(), ms);
    sock.once("close", () => {
      clearTimeout(force);
      resolve();
    });
    if (sock.readyState === sock.OPEN) sock.close(1000, "reconnecting");
    else if (sock.readyState === sock.CONNECTING) sock.terminate();
    // CLOSING: the close event follows (or the force timer).
  });
}
