// The server's directory worker: takes the 同步通讯录 requests admins typed (one at a time, one instance each), runs
// the sync outside the chat's transaction, and answers the admin with what changed (or why it could not).
import type { Logger } from "../../core/logger.ts";
import { PollLoop } from "../../core/poll-loop.ts";
import { claimDirectorySyncRequest, finishDirectorySyncRequest } from "../../domain/directory/sync-request.repo.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { runJobUnit } from "../engine/unit-of-work.ts";
import { runDirectorySync, syncCounts, syncSummary } from "./directory-sync.handler.ts";

export class DirectorySyncWorker {
  private readonly loop: PollLoop;

  constructor(
    private readonly deps: AppDeps,
    log: Logger,
    idleMs = 5_000,
  ) {
    this.loop = new PollLoop("directory-sync", () => this.tick(), idleMs, log);
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs one waiting request, if any; returns how many ran. */
  async tick(): Promise<number> {
    const req = await claimDirectorySyncRequest(this.deps.db);
    if (!req) return 0;
    const now = this.deps.clock.now();
    let status: "done" | "failed" = "done";
    let text: string;
    let result: unknown;
    try {
      const o = await runDirectorySync(this.deps, now, `request:${req.id}`);
      text = syncSummary(o);
      result = syncCounts(o);
    } catch (err) {
      status = "failed";
      const why = err instanceof Error ? err.message : String(err);
      this.deps.log.error("directory sync asked in chat failed", { err, request: req.id });
      text = `通讯录同步没有完成，没有做任何改动：${why.slice(0, 200)}`;
      result = { error: why };
    }
    await runJobUnit(this.deps, { job: "directory-sync", period: `request:${req.id}`, subject: "answer", once: true, locks: [req.requestedBy] }, async (ctx) => {
      if (!(await finishDirectorySyncRequest(ctx.tx, req.id, status, result, now))) return;
      await ctx.out.notify(req.requestedBy, { type: "text", text }, `directory-sync-answer:${req.id}`);
    });
    return 1;
  }
}
