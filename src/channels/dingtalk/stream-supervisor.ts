// Keeps exactly one Stream socket alive per client. The SDK's own reconnect is off (2.1.5: a failed handshake
// doubles the attempts, TLS errors may never fire close, heartbeat timers leak), so this small state machine
// owns it: back-off with jitter after drops and `disconnect` frames, a scheduled re-open before the connection
// ages out, a watchdog for silent sockets (WS pings; any frame or pong counts as life), and a stop() that
// leaves no timer behind.
import type WebSocket from "ws";
import type { Logger } from "../../core/logger.ts";
import { StreamAuthError, type LocalDWClient } from "./stream-client.ts";

export interface SupervisorTimings {
  /** Re-open this often even if all is well (DingTalk expires connections). Default 2 h. */
  maxConnectionAgeMs: number;
  /** Ping the socket when nothing arrived for this long. Default 30 s. */
  pingAfterMs: number;
  /** Give the socket up when nothing (not even a pong) arrived for this long. Default 90 s. */
  deadAfterMs: number;
  /** How often the watchdog looks. Default 10 s. */
  watchdogEveryMs: number;
  /** Handshake (open-connection + WS open) must finish within this. Default 20 s. */
  connectTimeoutMs: number;
  /** Back-off after failures: base and cap. Defaults 1 s and 60 s. */
  backoffBaseMs: number;
  backoffCapMs: number;
}

export const DEFAULT_TIMINGS: SupervisorTimings = {
  maxConnectionAgeMs: 2 * 3600_000,
  pingAfterMs: 30_000,
  deadAfterMs: 90_000,
  watchdogEveryMs: 10_000,
  connectTimeoutMs: 20_000,
  backoffBaseMs: 1000,
  backoffCapMs: 60_000,
};

type State = "idle" | "connecting" | "open" | "waiting" | "stopped";

export class StreamSupervisor {
  private state: State = "idle";
  private failures = 0;
  private lastSeen = 0;
  private openedAt = 0;
  private socket: WebSocket | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private cycle: Promise<void> = Promise.resolve();
  readonly t: SupervisorTimings;

  constructor(
    private readonly client: LocalDWClient,
    private readonly log: Logger,
    timings: Partial<SupervisorTimings> = {},
  ) {
    this.t = { ...DEFAULT_TIMINGS, ...timings };
    client.hooks = { onFrame: () => this.seen(), onDisconnectNotice: (why) => this.reopenSoon(`server sent disconnect ${why}`) };
  }

  get status(): State {
    return this.state;
  }

  /** Any downstream frame (the client calls this): the connection is alive. */
  seen(): void {
    this.lastSeen = Date.now();
  }

  /** First connection. Wrong credentials fail boot; a network problem is retried in the background. */
  async start(): Promise<void> {
    if (this.state !== "idle") return;
    this.watchdog = setInterval(() => this.checkHealth(), this.t.watchdogEveryMs);
    this.watchdog.unref();
    try {
      this.cycle = this.connect();
      await this.cycle;
    } catch (err) {
      if (err instanceof StreamAuthError) {
        await this.stop();
        throw err;
      }
      this.scheduleRetry(`first connection failed: ${errText(err)}`);
    }
  }

  /** The server announced it will close (`disconnect` frame): move to a fresh connection now. */
  reopenSoon(reason: string): void {
    if (this.state !== "open") return;
    this.restart(reason);
  }

  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    const wasConnecting = this.state === "connecting";
    this.setState("stopped", "stop requested");
    clearTimeout(this.retryTimer);
    clearInterval(this.watchdog);
    this.client.abortPending();
    if (wasConnecting) this.client.socketNow?.terminate(); // a half-open handshake: no goodbye needed
    await this.cycle.catch(() => {});
    await this.closeSocket();
  }

  private async connect(): Promise<void> {
    this.setState("connecting", "opening a Stream connection");
    let gaveUp = false;
    const attempt = async () => {
      await this.client.getEndpoint();
      if (gaveUp || this.state === "stopped") throw new Error("connection attempt abandoned");
      await this.client._connect();
    };
    await withTimeout(attempt(), this.t.connectTimeoutMs, () => {
      gaveUp = true;
      this.client.abortPending();
      this.client.socketNow?.terminate();
    });
    const sock = this.client.socketNow;
    if (!sock) throw new Error("the SDK reported open without a socket");
    if (this.state === "stopped") {
      sock.terminate();
      return;
    }
    this.socket = sock;
    this.openedAt = this.lastSeen = Date.now();
    this.failures = 0;
    sock.on("pong", () => this.seen());
    sock.once("close", (code) => this.onClose(sock, code));
    this.setState("open", "connected");
  }

  private onClose(sock: WebSocket, code: number): void {
    if (sock !== this.socket) return; // an old socket we retired on purpose
    this.socket = undefined;
    if (this.state === "stopped") return;
    this.scheduleRetry(`socket closed (code ${code})`);
  }

  /** Retire the current socket, then connect again after a short jittered pause. */
  private restart(reason: string): void {
    const old = this.socket;
    this.socket = undefined;
    this.setState("waiting", reason);
    this.cycle = (async () => {
      if (old) await closeGracefully(old, 5000);
      this.scheduleRetry(reason, jitter(250));
    })();
  }

  private scheduleRetry(reason: string, delayMs?: number): void {
    if (this.state === "stopped") return;
    const wait = delayMs ?? this.backoff();
    this.setState("waiting", `${reason}; reconnecting in ${wait} ms`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.cycle = this.connect().catch((err) => {
        this.failures++;
        this.client.socketNow?.terminate();
        this.scheduleRetry(`connection attempt ${this.failures} failed: ${errText(err)}`);
      });
    }, wait);
  }

  private checkHealth(): void {
    if (this.state !== "open" || !this.socket) return;
    const now = Date.now();
    if (now - this.openedAt >= this.t.maxConnectionAgeMs) return this.restart("scheduled re-open (connection age)");
    const quiet = now - this.lastSeen;
    if (quiet >= this.t.deadAfterMs) return this.restart(`no frame or pong for ${quiet} ms`);
    if (quiet >= this.t.pingAfterMs) this.socket.ping();
  }

  private backoff(): number {
    const exp = Math.min(this.t.backoffCapMs, this.t.backoffBaseMs * 2 ** Math.min(this.failures, 16));
    return Math.round(exp / 2 + jitter(exp / 2));
  }

  private async closeSocket(): Promise<void> {
    const sock = this.socket ?? this.client.socketNow;
    this.socket = undefined;
    this.client.disconnect(); // sets the SDK's userDisconnect flag and clears its own timers
    if (sock) await closeGracefully(sock, 3000);
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

async function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`handshake took longer than ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
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
    else sock.terminate();
  });
}
