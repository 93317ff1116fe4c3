// What a metrics card covers: whose numbers (the viewer's scope) and which stretch of time (in the bot's zone).
import { addDays, atLocalHour, fromLocal, localDateString, startOfLocalMonth, startOfLocalWeek, toLocal } from "../../core/local-time.ts";
import type { Tx } from "../tx.ts";
import { listUsers, teamOf, type UserInfo } from "../users/user.repo.ts";
import { activityCounts, approvalTimes, customersByStage, dailyCounts, newCustomerCount, orderTotals, overdueTaskCount, pendingApprovalCount, type Range, type Scope } from "./metrics.repo.ts";

export type MetricsPeriod = "today" | "week" | "month";

/** Today from local midnight, this week from Monday 00:00, this month from the 1st 00:00; all up to `now`. */
export function periodRange(period: MetricsPeriod, now: Date, timeZone: string): Range {
  const from = period === "today" ? atLocalHour(now, 0, timeZone) : period === "week" ? startOfLocalWeek(now, timeZone) : startOfLocalMonth(now, timeZone);
  return { from, to: now };
}

export const isTeamLead = (u: UserInfo) => u.roles.includes("manager") || u.roles.includes("director");

export interface MetricsScope {
  kind: "self" | "team" | "all";
  /** null = everyone (admin). */
  userIds: Scope;
  /** Names of the people who may appear in the top list. */
  names: Map<string, string>;
  /** Who the visit ranking names, with zero visits too: the people in scope who sell (rep or manager role). */
  ranked: { id: string; name: string }[];
}

const sells = (u: UserInfo) => u.roles.includes("rep") || u.roles.includes("manager");
const rankedOf = (people: UserInfo[]) => people.filter(sells).map((u) => ({ id: u.id, name: u.name }));

/** One person's own numbers (a colleague's card: 李四本周业绩). */
export function personScope(person: UserInfo): MetricsScope {
  return { kind: "self", userIds: [person.id], names: new Map([[person.id, person.name]]), ranked: rankedOf([person]) };
}

/**
 * The visit ranking of a scope: everyone it names (those without a visit too) and anyone else with visits in it,
 * most visits first, a tie by name.
 */
export function visitRanking(scope: MetricsScope, visitsByUser: { userId: string; count: number }[]): { name: string; count: number }[] {
  const counts = new Map(visitsByUser.map((r) => [r.userId, r.count]));
  const ids = new Set([...scope.ranked.map((p) => p.id), ...visitsByUser.filter((r) => r.count > 0).map((r) => r.userId)]);
  const names = new Map([...scope.names, ...scope.ranked.map((p) => [p.id, p.name] as const)]);
  return [...ids]
    .map((id) => ({ name: names.get(id) ?? id, count: counts.get(id) ?? 0 }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "zh-CN"));
}

/** A rep sees their own numbers; a manager or director their whole team and themselves; an admin everyone's. */
export async function metricsScope(tx: Tx, viewer: UserInfo): Promise<MetricsScope> {
  if (viewer.roles.includes("admin")) {
    const everyone = await listUsers(tx);
    return { kind: "all", userIds: null, names: new Map(everyone.map((u) => [u.id, u.name])), ranked: rankedOf(everyone) };
  }
  if (isTeamLead(viewer)) {
    const team = [viewer, ...(await teamOf(tx, viewer.id))];
    return { kind: "team", userIds: team.map((u) => u.id), names: new Map(team.map((u) => [u.id, u.name])), ranked: rankedOf(team) };
  }
  return personScope(viewer);
}

export interface Metrics {
  visitsByKind: { kind: string; count: number }[];
  visitsByUser: { userId: string; count: number }[];
  newCustomers: number;
  orders: { count: number; amount: string; listAmount: string };
  approvals: { decided: number; medianHours: number | null; maxHours: number | null };
  pendingApprovals: number;
  overdue: number;
  funnel: { stage: string; count: number }[];
}

export async function collectMetrics(tx: Tx, viewer: UserInfo, scope: Scope, range: Range, now: Date): Promise<Metrics> {
  const visits = await activityCounts(tx, scope, range);
  return {
    visitsByKind: visits.byKind,
    visitsByUser: visits.byUser,
    newCustomers: await newCustomerCount(tx, scope, range),
    orders: await orderTotals(tx, scope, range),
    approvals: await approvalTimes(tx, scope, range),
    pendingApprovals: await pendingApprovalCount(tx, viewer.id),
    overdue: await overdueTaskCount(tx, scope, now),
    funnel: await customersByStage(tx, scope),
  };
}

/** Days in the chart's trend. */
export const TREND_DAYS = 14;

/**
 * The last TREND_DAYS local days up to and including today: activities and live orders each day, zeros filled, oldest
 * first.
 */
export async function dailyTrend(tx: Tx, scope: Scope, now: Date, timeZone: string): Promise<{ day: string; visits: number; orders: number }[]> {
  const counts = new Map((await dailyCounts(tx, scope, trendRange(now, timeZone), timeZone)).map((d) => [d.day, d]));
  return trendDays(now, timeZone).map((day) => counts.get(day) ?? { day, visits: 0, orders: 0 });
}

/** The trend's local days, oldest first (YYYY-MM-DD). */
export function trendDays(now: Date, timeZone: string): string[] {
  const first = addDays(toLocal(now, timeZone), 1 - TREND_DAYS);
  return Array.from({ length: TREND_DAYS }, (_, i) => localDateString(addDays(first, i)));
}

/** From the first trend day's local midnight to the end of today. */
export function trendRange(now: Date, timeZone: string): Range {
  const today = toLocal(now, timeZone);
  const first = addDays(today, 1 - TREND_DAYS);
  return { from: fromLocal({ ...first, hour: 0, minute: 0 }, timeZone), to: fromLocal({ ...addDays(today, 1), hour: 0, minute: 0 }, timeZone) };
}
