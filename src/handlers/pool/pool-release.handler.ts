// The nightly public-pool run: owners are warned before an idle customer is released, then it goes to the pool
// and the former owner is told. Each customer in its own transaction (one failure does not stop the rest); the
// state change (poolWarnedAt, ownerId) commits with the message, so a re-run never warns or releases twice.
import { audit } from "../../domain/audit/audit.repo.ts";
import { idleOwnedCustomers, lockPoolState, markPoolWarned, releaseToPool } from "../../domain/customers/pool.repo.ts";
import { poolCutoff, poolStep } from "../../domain/customers/pool.service.ts";
import { closeOpenTasksOfReleased } from "../../domain/customers/ownership.service.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { runJobUnit } from "../engine/unit-of-work.ts";

export interface PoolRunResult {
  warned: number;
  released: number;
  failed: number;
}

const EVENT_ID = "job:pool-release";

export async function runPoolRelease(deps: AppDeps, now: Date, period: string): Promise<PoolRunResult> {
  const result: PoolRunResult = { warned: 0, released: 0, failed: 0 };
  for (const customerId of await idleOwnedCustomers(deps.db, poolCutoff(now, deps.rules.pool))) {
    try {
      const r = await runJobUnit(deps, { job: "pool-release", period, subject: customerId }, async (ctx) => {
        const { tx, out } = ctx;
        const s = await lockPoolState(tx, customerId);
        if (!s?.ownerId) return "keep" as const;
        const step = poolStep(s, now, ctx.rules.pool, ctx.timeZone);
        if (step.kind === "keep") return "keep" as const;
        if (step.kind === "warn") {
          await markPoolWarned(tx, s.id, now);
          await audit(tx, { actorId: null, action: "customer.pool_warn", entityType: "customer", entityId: s.id, before: { poolWarnedAt: null }, after: { poolWarnedAt: now, ownerId: s.ownerId }, eventId: EVENT_ID, at: now });
          const when = step.daysLeft === 1 ? "明天" : `${step.daysLeft}天后`;
          const text = `「${s.name}」已${step.idleDays}天未跟进，${when}将释放到公海；记录一次拜访即可保留。`;
          if (!(await out.notify(s.ownerId, { type: "text", text }, `pool-warn:${s.id}:${period}`))) unreachable(deps, s.id, s.ownerId);
        } else {
          if (!(await releaseToPool(tx, s.id, s.ownerId, now))) return "keep" as const;
          await audit(tx, {
            actorId: null, action: "customer.release", entityType: "customer", entityId: s.id,
            before: { ownerId: s.ownerId, poolWarnedAt: s.poolWarnedAt, idleSince: s.since },
            after: { ownerId: null, releasedAt: now, poolWarnedAt: null },
            eventId: EVENT_ID, at: now,
          });
          // Its open follow-ups are closed with it: nobody is reminded of a customer nobody owns.
          const closed = await closeOpenTasksOfReleased(tx, s.id, null, EVENT_ID, now);
          const text = `「${s.name}」已${step.idleDays}天未跟进，已释放到公海，其他同事现在可以领取。${closed ? `它的${closed}项待办已自动关闭。` : ""}如仍要跟进，发送「领取 ${s.name}」。`;
          if (!(await out.notify(s.ownerId, { type: "text", text }, `pool-release:${s.id}:${period}`))) unreachable(deps, s.id, s.ownerId);
        }
        return step.kind;
      });
      const done = r.status === "done" ? r.value : "keep";
      if (done === "warn") result.warned++;
      if (done === "release") result.released++;
    } catch (err) {
      result.failed++;
      deps.log.error("pool release failed for one customer", { err, customerId });
    }
  }
  return result;
}

function unreachable(deps: AppDeps, customerId: string, ownerId: string): void {
  deps.log.warn("customer owner cannot be reached on any enabled platform", { customerId, ownerId });
}
