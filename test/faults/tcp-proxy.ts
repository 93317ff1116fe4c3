// A TCP proxy the fault tests put between the bot and PostgreSQL, so the database can become unreachable for the
// bot alone (never the shared server: other test files and helpers use it).
// - pause(): a hung server or a network black hole. Open connections freeze (nothing is read or written either
//   way, data waits in the kernel's buffers); new connections are taken but get no answer.
// - cut(): a crash or a failover. Every connection is reset, and new ones are reset at once.
// - restore(): traffic flows again; frozen connections carry on where they stopped.
import net from "node:net";

type Mode = "open" | "paused" | "cut";

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
}

export class TcpProxy {
  private server: net.Server | null = null;
  private mode: Mode = "open";
  private readonly pairs = new Set<Pair>();
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** How many connections go through it now. */
  get connections(): number {
    return this.pairs.size;
  }

  pause(): void {
    this.mode = "paused";
    for (const p of this.pairs) {
      p.client.pause();
      p.upstream?.pause();
    }
  }

  cut(): void {
    this.mode = "cut";
    for (const p of this.pairs) this.drop(p);
  }

  restore(): void {
    this.mode = "open";
    for (const p of this.pairs) {
      if (!p.upstream) this.connect(p);
      p.client.resume();
      p.upstream?.resume();
    }
  }

  async close(): Promise<void> {
    for (const p of this.pairs) this.drop(p);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.mode === "cut") return void client.resetAndDestroy();
    const pair: Pair = { client, upstream: null };
    this.pairs.add(pair);
    client.on("error", () => this.drop(pair));
    client.on("close", () => this.drop(pair));
    if (this.mode === "paused") client.pause(); // taken, never answered until restore()
    else this.connect(pair);
  }

  private connect(pair: Pair): void {
    const upstream = net.connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on("error", () => this.drop(pair));
    upstream.on("close", () => this.drop(pair));
    // By hand, not pipe(): pipe() would resume a paused side when the other drains.
    pair.client.on("data", (d: Buffer) => upstream.write(d));
    upstream.on("data", (d: Buffer) => pair.client.write(d));
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (pair.upstream && !pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  }
}
