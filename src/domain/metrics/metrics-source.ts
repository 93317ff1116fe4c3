// Where a metrics card's numbers come from. A person asking (本周业绩) is served live: a few counted queries for
// their scope. The evening and weekly jobs read everyone's figures once (metrics-table.repo.ts) and sum each card's
// scope from them in memory: the same numbers, a dozen queries for a thousand cards instead of a dozen per card.
import { Decimal } from "../../core/money.ts";
import { dispatchLatency, openDispatches } from "../dispatch/dispatch.service.ts";
import type { DispatchLatency } from "../dispatch/dispatch.types.ts";
import type { Tx } from "../tx.ts";
import type { UserInfo } from "../users/user.repo.ts";
import type { Range, Scope } from "./metrics.repo.ts";
import { collectMetrics, dailyTrend, isTeamLead, trendRange, trendDays, type Metrics, type MetricsScope } from "./metrics.service.ts";
import { loadMetricsRows, type MetricsRows } from "./metrics-table.repo.ts";

export type TrendDay = { day: string; visits: number; orders: number };

/** An open dispatch problem of the scope's orders, as a team card lists it. */
export interface DispatchProblem {
  number: string;
  customer: string;
  rep: string;
  reason: string;
  since: Date;
}

/** Problems a team card lists at most (openDispatches reads as many). */
const PROBLEMS_LISTED = 100;

export interface MetricsSource {
  collect(viewer: UserInfo, scope: Scope, range: Range, now: Date): Promise<Metrics>;
  trend(scope: Scope, now: Date, timeZone: string): Promise<TrendDay[]>;
  /** Dispatch of the scope's orders: approval → first shipment over the range, and what waits now. */
  dispatch(scope: Scope, range: Range): Promise<DispatchLatency>;
  /** The open dispatch problems of the scope's orders, oldest notice first. */
  problems(scope: Scope): Promise<DispatchProblem[]>;
}

export function liveMetrics(tx: Tx): MetricsSource {
  return {
    collect: (viewer, scope, range, now) => collectMetrics(tx, viewer, scope, range, now),
    trend: (scope, now, timeZone) => dailyTrend(tx, scope, now, timeZone),
    dispatch: (scope, range) => dispatchLatency(tx, scope, range),
    problems: async (scope) =>
      (await openDispatches(tx, { repIds: scope, problemsOnly: true })).flatMap((p) =>
        p.problem ? [{ number: p.number, customer: p.customerName, rep: p.repName, reason: p.problem.reason, since: p.problem.at }] : [],
      ),
  };
}

/** Median as percentile_cont(0.5) computes it (the mean of the middle two for an even count). */
function median(sorted: number[]): number | null {
  if (!sorted.length) return null;
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}

/** Everyone's figures for `range` (and the trend up to `now`), read once; each card sums its scope's people. */
export async function loadMetricsTable(tx: Tx, range: Range, now: Date, timeZone: string): Promise<MetricsSource> {
  const rows = await loadMetricsRows(tx, range, now, trendRange(now, timeZone), timeZone);
  return metricsTable(rows);
}

export function metricsTable(rows: MetricsRows): MetricsSource {
  // Each list indexed by person once, so a card reads only its scope's rows (a thousand cards × every row is not).
  const byUser = <R extends { userId: string }>(list: R[]) => {
    const m = new Map<string, R[]>();
    for (const r of list) (m.get(r.userId) ?? m.set(r.userId, []).get(r.userId)!).push(r);
    return m;
  };
  const index = {
    activities: byUser(rows.activities),
    newCustomers: byUser(rows.newCustomers),
    orders: byUser(rows.orders),
    approvals: byUser(rows.approvals),
    overdue: byUser(rows.overdue),
    stages: byUser(rows.stages),
    trendVisits: byUser(rows.trendVisits),
    trendOrders: byUser(rows.trendOrders),
    dispatchTimes: byUser(rows.dispatchTimes),
    dispatchOpen: byUser(rows.dispatchOpen),
    dispatchProblems: byUser(rows.dispatchProblems),
  };
  /** Where each problem stands in the company-wide list (oldest notice first), to keep that order per scope. */
  const problemRank = new Map(rows.dispatchProblems.map((p, i) => [p, i]));
  const pending = new Map(rows.pendingApprovals.map((r) => [r.userId, r.n]));
  /** The scope's rows of one list (null scope: everyone's). */
  const of = <R>(m: Map<string, R[]>, scope: Scope): R[] => (scope ? [...new Set(scope)].flatMap((id) => m.get(id) ?? []) : [...m.values()].flat());
  const checkPeriod = (range: Range, now: Date) => {
    if (range.from.getTime() !== rows.range.from.getTime() || range.to.getTime() !== rows.range.to.getTime() || now.getTime() !== rows.now.getTime()) {
      throw new Error("metrics table: asked for another period than the one it was read for");
    }
  };
  const sumBy = <R>(list: R[], key: (r: R) => string, n: (r: R) => number) => {
    const m = new Map<string, number>();
    for (const r of list) m.set(key(r), (m.get(key(r)) ?? 0) + n(r));
    return m;
  };
  return {
    async collect(viewer, scope, range, now) {
      checkPeriod(range, now);
      const activities = of(index.activities, scope);
      const orders = of(index.orders, scope);
      const hours = of(index.approvals, scope).map((r) => r.hours).sort((a, b) => a - b);
      const stages = sumBy(of(index.stages, scope), (r) => r.stage, (r) => r.n);
      return {
        visitsByKind: [...sumBy(activities, (r) => r.kind, (r) => r.n)].map(([kind, count]) => ({ kind, count })),
        visitsByUser: [...sumBy(activities, (r) => r.userId, (r) => r.n)].map(([userId, count]) => ({ userId, count })),
        newCustomers: of(index.newCustomers, scope).reduce((n, r) => n + r.n, 0),
        orders: {
          count: orders.reduce((n, r) => n + r.n, 0),
          amount: orders.reduce((s, r) => s.plus(r.total), new Decimal(0)).toFixed(2),
          listAmount: orders.reduce((s, r) => s.plus(r.listTotal), new Decimal(0)).toFixed(2),
        },
        approvals: { decided: hours.length, medianHours: median(hours), maxHours: hours.length ? hours[hours.length - 1]! : null },
        pendingApprovals: pending.get(viewer.id) ?? 0,
        overdue: of(index.overdue, scope).reduce((n, r) => n + r.n, 0),
        funnel: [...stages].map(([stage, count]) => ({ stage, count })),
      };
    },
    async trend(scope, now, timeZone) {
      if (now.getTime() !== rows.now.getTime()) throw new Error("metrics table: asked for another day's trend than the one it was read for");
      const visits = sumBy(of(index.trendVisits, scope), (r) => r.day, (r) => r.n);
      const orders = sumBy(of(index.trendOrders, scope), (r) => r.day, (r) => r.n);
      return trendDays(now, timeZone).map((day) => ({ day, visits: visits.get(day) ?? 0, orders: orders.get(day) ?? 0 }));
    },
    async dispatch(scope, range) {
      checkPeriod(range, rows.now);
      const hours = of(index.dispatchTimes, scope).map((r) => r.hours).sort((a, b) => a - b);
      const open = of(index.dispatchOpen, scope);
      return {
        shipped: hours.length,
        medianHours: median(hours),
        maxHours: hours.length ? hours[hours.length - 1]! : null,
        open: open.reduce((n, r) => n + r.open, 0),
        problems: open.reduce((n, r) => n + r.problems, 0),
      };
    },
    async problems(scope) {
      return of(index.dispatchProblems, scope)
        .sort((a, b) => problemRank.get(a)! - problemRank.get(b)!)
        .slice(0, PROBLEMS_LISTED)
        .map(({ number, customer, rep, reason, since }) => ({ number, customer, rep, reason, since }));
    },
  };
}

/**
 * Every team lead's scope from one list of the active people (metricsScope reads the whole list once per lead):
 * the lead and everyone under them, directly or not.
 */
export function teamScopes(everyone: UserInfo[]): Map<string, MetricsScope> {
  const reports = new Map<string, UserInfo[]>();
  for (const u of everyone) if (u.managerId) (reports.get(u.managerId) ?? reports.set(u.managerId, []).get(u.managerId)!).push(u);
  const out = new Map<string, MetricsScope>();
  for (const lead of everyone.filter(isTeamLead)) {
    const team = [lead];
    const seen = new Set([lead.id]);
    for (let i = 0; i < team.length; i++) {
      for (const u of reports.get(team[i]!.id) ?? []) {
        if (!seen.has(u.id)) {
          seen.add(u.id);
          team.push(u);
        }
      }
    }
    out.set(lead.id, teamScopeOf(team));
  }
  return out;
}

export function teamScopeOf(team: UserInfo[]): MetricsScope {
  const sells = (u: UserInfo) => u.roles.includes("rep") || u.roles.includes("manager");
  return { kind: "team", userIds: team.map((u) => u.id), names: new Map(team.map((u) => [u.id, u.name])), ranked: team.filter(sells).map((u) => ({ id: u.id, name: u.name })) };
}
