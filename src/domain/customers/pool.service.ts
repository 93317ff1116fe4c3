// Claiming from the public pool (公海) and deciding, each night, which owned customers are warned or released.
// Refusals are AppErrors and change nothing; the claim itself is a conditional update, so two reps claiming
// the same customer at once cannot both get it.
import { AppError } from "../../core/app-error.ts";
import { atLocalHour } from "../../core/local-time.ts";
import { audit } from "../audit/audit.repo.ts";
import type { Rules } from "../org/org-file.ts";
import type { Tx } from "../tx.ts";
import { managementChain } from "../users/management-chain.ts";
import { getUser, type UserInfo } from "../users/user.repo.ts";
import { canSeeCustomer } from "./customer-access.ts";
import { getCustomer } from "./customer.repo.ts";
import { moveOpenTasksWithCustomer } from "./ownership.service.ts";
import { countClaimsSince, countOwnedCustomers, takeFromPool } from "./pool.repo.ts";

export type PoolRules = Rules["pool"];

const CLAIM_ROLES = ["rep", "manager"];
const DAY_MS = 24 * 3600_000;

export function assertMayClaim(actor: UserInfo): void {
  if (actor.roles.some((r) => CLAIM_ROLES.includes(r))) return;
  // Say what the person can do instead: the warehouse its own work; a director or admin hands customers to a rep.
  const instead = actor.roles.some((r) => r === "director" || r === "admin")
    ? "你可以发送「公海客户」查看，再用「转交 客户名 给 销售名」交给团队里的销售。"
    : "发送「待发货」查看要发的货，或「帮助」查看你能用的功能。";
  throw new AppError("claim_not_allowed", `只有销售和经理可以领取公海客户。${instead}`);
}

/** Takes a pool customer for `actor`, within the limits of rules.pool; counts claims per local day. */
export async function claimCustomer(tx: Tx, customerId: string, actor: UserInfo, now: Date, timeZone: string, limits: PoolRules, eventId: string | null) {
  assertMayClaim(actor);
  const customer = await getCustomer(tx, customerId);
  if (!customer) throw new AppError("customer_not_found", "没有找到这个客户，可能已被删除。");
  if (customer.ownerId) throw await notInPool(tx, actor, customer.name, customer.ownerId);
  const owned = await countOwnedCustomers(tx, actor.id);
  if (owned >= limits.maxOwnedPerRep) {
    throw new AppError("claim_owned_limit", `你名下已有${owned}个客户，达到上限（${limits.maxOwnedPerRep}个），不能再领取。可以先把不再跟进的客户交还或转交。`);
  }
  const today = await countClaimsSince(tx, actor.id, atLocalHour(now, 0, timeZone));
  if (today >= limits.maxClaimsPerDay) {
    throw new AppError("claim_daily_limit", `今天已领取${today}个客户，每人每天最多领取${limits.maxClaimsPerDay}个，明天再来吧。`);
  }
  if (!(await takeFromPool(tx, customer.id, actor.id))) {
    // Someone else was faster: tell who, as far as the asker may know.
    const current = await getCustomer(tx, customer.id);
    if (!current) throw new AppError("customer_not_found", "没有找到这个客户，可能已被删除。");
    throw await notInPool(tx, actor, current.name, current.ownerId);
  }
  await audit(tx, {
    actorId: actor.id,
    action: "customer.claim",
    entityType: "customer",
    entityId: customer.id,
    before: { ownerId: null, releasedAt: customer.releasedAt, poolWarnedAt: customer.poolWarnedAt },
    after: { ownerId: actor.id, poolWarnedAt: null },
    eventId,
    at: now,
  });
  // Follow-ups still open from before (released ones are closed at release) go to the new owner.
  await moveOpenTasksWithCustomer(tx, customer.id, actor.id, actor.id, eventId, "customer.claim");
  return { id: customer.id, name: customer.name, claimedToday: today + 1, owned: owned + 1 };
}

/** "Not in the pool", naming the owner only to someone who may see the customer. */
async function notInPool(tx: Tx, actor: UserInfo, name: string, ownerId: string | null): Promise<AppError> {
  if (ownerId === actor.id) return new AppError("claim_already_yours", `「${name}」已经是你的客户了，不用领取。`);
  const chain = ownerId ? await managementChain(tx, ownerId) : [];
  if (ownerId && canSeeCustomer(actor, ownerId, chain)) {
    const owner = await getUser(tx, ownerId);
    return new AppError("claim_not_in_pool", `「${name}」由${owner?.name ?? "其他同事"}负责，不在公海，不能领取。发送「公海客户」查看可以领取的客户。`);
  }
  return new AppError("claim_not_in_pool", `「${name}」不在公海，不能领取。发送「公海客户」查看可以领取的客户。`);
}

export type PoolStep =
  | { kind: "release"; idleDays: number }
  | { kind: "warn"; idleDays: number; daysLeft: number }
  | { kind: "keep" };

/**
 * What the nightly run does with one owned customer. It is released once idle for releaseAfterDays (counted
 * in whole 24-hour days from `since`), but only after its owner was warned on an earlier day, so nobody loses a
 * customer without notice (also when the job did not run for a while); warnDaysBefore 0 turns warnings off.
 */
export function poolStep(s: { since: Date; poolWarnedAt: Date | null }, now: Date, rules: PoolRules, timeZone: string): PoolStep {
  const releaseAt = s.since.getTime() + rules.releaseAfterDays * DAY_MS;
  const idleDays = Math.floor((now.getTime() - s.since.getTime()) / DAY_MS);
  const due = releaseAt <= now.getTime();
  const warnedBeforeToday = !!s.poolWarnedAt && s.poolWarnedAt < atLocalHour(now, 0, timeZone);
  if (due && (rules.warnDaysBefore === 0 || warnedBeforeToday)) return { kind: "release", idleDays };
  if (s.poolWarnedAt || rules.warnDaysBefore === 0) return { kind: "keep" };
  if (releaseAt <= now.getTime() + rules.warnDaysBefore * DAY_MS) {
    return { kind: "warn", idleDays, daysLeft: Math.max(1, Math.ceil((releaseAt - now.getTime()) / DAY_MS)) };
  }
  return { kind: "keep" };
}

/** The earliest `since` a customer may have to be looked at tonight (warned or released). */
export function poolCutoff(now: Date, rules: PoolRules): Date {
  return new Date(now.getTime() - Math.max(0, rules.releaseAfterDays - rules.warnDaysBefore) * DAY_MS);
}
