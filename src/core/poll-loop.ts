// A loop that drains work, sleeps when idle, and can be woken early (after an inbox accept).
import type { Logger } from "./logger.ts";

export class PollLoop {
  private running = false;
  private wakeUp: (() => void) | null = null;
  private done: Promise<void> | null = null;
  private pendingWake = false;

  constructor(
    private readonly name: string,
    /** Returns how many items it handled; 0 means idle. */
    private readonly tick: () => Promise<number>,
    private readonly idleMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.loop();
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let handled = 0;
      this.pendingWake = false;
      try {
        handled = await this.tick();
      } catch (err) {
        this.log.error(`${this.name} tick failed`, { err });
      }
      if (!this.running) break;
      if (handled === 0 && !this.pendingWake) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.idleMs);
          this.wakeUp = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wakeUp = null;
      }
    }
  }
}
