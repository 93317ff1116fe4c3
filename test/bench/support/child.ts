// Bench helpers run in their own processes (the bot, the bare floor server, the load generator), so the load never
// shares an event loop with what it measures. A child is this project's TypeScript run through tsx, talking to the
// bench over Node's IPC channel: it says `{ ready }` once, then answers `{ id, op, args }` with `{ id, ok, value }`.
import { fork, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";

export interface Child<Ready> {
  pid: number;
  ready: Ready;
  call<T>(op: string, args?: unknown): Promise<T>;
  /** Ask politely (op "stop"), then SIGKILL after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

interface Answer {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export async function startChild<Ready>(script: string, env: Record<string, string | undefined>, opts: { logFile?: string; nodeArgs?: string[] } = {}): Promise<Child<Ready>> {
  const out = opts.logFile ? openSync(opts.logFile, "a") : "ignore";
  // tsx's loader flags are in our own execArgv; a child inherits them and runs .ts files the same way.
  const execArgv = [...process.execArgv.filter((a) => !a.startsWith("--cpu-prof")), ...(opts.nodeArgs ?? [])];
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined && !(k in env && env[k] === undefined)) childEnv[k] = v;
  const child: ChildProcess = fork(script, [], { env: childEnv, execArgv, stdio: ["ignore", out, out === "ignore" ? "inherit" : out, "ipc"] });
  if (typeof out === "number") closeSync(out);
  let seq = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  void exited.then((code) => waiting.forEach((w) => w.reject(new Error(`${script} exited (${code})`))));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready${opts.logFile ? `; see ${opts.logFile}` : ""}`)));
    child.on("message", (m: unknown) => {
      const msg = m as { ready?: Ready } & Partial<Answer>;
      if (msg.ready !== undefined) return resolve(msg.ready);
      const w = waiting.get(msg.id!);
      if (!w) return;
      waiting.delete(msg.id!);
      if (msg.ok) w.resolve(msg.value);
      else w.reject(new Error(msg.error));
    });
  });
  return {
    pid: child.pid!,
    ready,
    call<T>(op: string, args?: unknown): Promise<T> {
      const id = ++seq;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args });
      });
    },
    async close(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.send({ id: ++seq, op: "stop" }, () => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The child's side: announce readiness, then answer calls with `ops`. */
export function serveParent<Ready>(ready: Ready, ops: Record<string, (args: never) => unknown>): void {
  process.on("message", (m: unknown) => {
    const { id, op, args } = m as { id: number; op: string; args: never };
    const fn = ops[op];
    Promise.resolve()
      .then(() => (fn ? fn(args) : Promise.reject(new Error(`unknown op ${op}`))))
      .then(
        (value) => process.send?.({ id, ok: true, value }),
        (err: unknown) => process.send?.({ id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
      );
  });
  process.send?.({ ready });
}
