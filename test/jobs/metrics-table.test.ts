// The evening job's numbers come from everyone's figures read once (metrics-source.ts) and summed per card; they
// must be the numbers the live queries (本周业绩) give for the same scope, period and moment: checked figure by
// figure for a person, a team and everyone, over data spread across the period's edges (dispatch included).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMetricsTable, liveMetrics, teamScopes } from "../../src/domain/metrics/metrics-source.ts";
import type { Metrics } from "../../src/domain/metrics/metrics.service.ts";
import { listUsers } from "../../src/domain/users/user.repo.ts";
import { startTestBot, type TestBot } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);
const SH = "Asia/Shanghai";
const NOW = at("2026-11-25T19:00:00");
const RANGE = { from: at("2026-11-23T00:00:00"), to: NOW };

const sorted = (m: Metrics) => ({
  ...m,
  visitsByKind: [...m.visitsByKind].sort((a, b) => a.kind.localeCompare(b.kind)),
  visitsByUser: [...m.visitsByUser].sort((a, b) => a.userId.localeCompare(b.userId)),
  funnel: [...m.funnel].sort((a, b) => a.stage.localeCompare(b.stage)),
});

describe("the metrics table against the live queries", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({}, { workers: false });
    const db = bot.db.prisma;
    const people = ["zhangsan", "lisi", "wangwu", "zhaoliu"];
    const stages = ["lead", "contacted", "proposal", "won", "lost"] as const;
    let k = 0;
    for (const owner of people) {
      for (let i = 0; i < 4; i++, k++) {
        const c = await db.customer.create({ data: { name: `客户${k}`, normalizedName: `客户${k}`, ownerId: owner, createdById: owner, stage: stages[k % stages.length]!, createdAt: at(`2026-11-${20 + (k % 6)}T10:00:00`), aliases: [], tags: [] } });
        // Visits on both sides of the period's start and of now; one undone.
        for (const when of ["2026-11-12T09:00:00", "2026-11-22T23:59:00", "2026-11-23T00:00:00", "2026-11-25T18:59:00", "2026-11-25T19:00:00"]) {
          await db.activity.create({ data: { userId: owner, customerId: c.id, kind: k % 3 === 0 ? "call" : "visit", occurredAt: at(when), summary: "s", rawText: "r", ...(k === 5 ? { undoneAt: at(when) } : {}) } });
        }
        await db.task.create({ data: { ownerId: owner, customerId: c.id, title: "回访", dueAt: at(`2026-11-${24 + (k % 3)}T10:00:00`), ...(k % 4 === 0 ? { snoozedUntil: at("2026-11-26T09:00:00") } : {}) } });
        await db.order.create({ data: { number: `SO-T-${k}`, customerId: c.id, repId: owner, status: k % 5 === 0 ? "cancelled" : "approved", listTotal: "10000.10", total: `${9000 + k}.05`, createdAt: at(`2026-11-${22 + (k % 4)}T11:00:00`) } });
        // Dispatch: orders in dispatch (some with a problem, oldest notice first across people), shipped ones whose
        // first shipment falls before, inside or after the period, approved per the audit log or only dispatched.
        const d = await db.order.create({
          data: {
            number: `SO-D-${k}`,
            customerId: c.id,
            repId: owner,
            status: k % 3 === 0 ? "shipped" : "dispatched",
            listTotal: "100.00",
            total: "100.00",
            dispatchedAt: at(`2026-11-${20 + (k % 5)}T${String(8 + (k % 7)).padStart(2, "0")}:00:00`),
            createdAt: at("2026-11-19T09:00:00"),
            ...(k % 4 === 1 ? { problem: `缺货${k}`, problemAt: at(`2026-11-24T1${k % 10}:00:00`), problemById: "zhangsan" } : {}),
          },
        });
        if (k % 2 === 0) await db.auditLog.create({ data: { action: "order.approve", entityType: "order", entityId: d.id, createdAt: at(`2026-11-${19 + (k % 4)}T09:30:00`) } });
        for (const when of k % 3 === 0 ? ["2026-11-22T20:00:00", "2026-11-24T10:00:00"] : k % 3 === 1 ? ["2026-11-23T00:00:00", "2026-11-25T19:00:00"] : ["2026-11-25T18:00:00"]) {
          await db.shipment.create({ data: { orderId: d.id, carrier: "顺丰", trackingNo: `SF${k}${when.slice(8, 10)}${when.slice(11, 13)}`, createdById: owner, createdAt: at(when) } });
        }
      }
    }
  });
  afterAll(async () => bot?.close());

  it("gives the same figures and trend for a person, each team and everyone", async () => {
    const db = bot.db.prisma;
    const table = await loadMetricsTable(db, RANGE, NOW, SH);
    const live = liveMetrics(db);
    const everyone = await listUsers(db);
    const teams = teamScopes(everyone);
    const zhangsan = everyone.find((u) => u.id === "zhangsan")!;
    const cases = [
      { viewer: zhangsan, scope: ["zhangsan"] },
      ...[...teams].map(([id, s]) => ({ viewer: everyone.find((u) => u.id === id)!, scope: s.userIds })),
      { viewer: everyone.find((u) => u.id === "admin")!, scope: null },
    ];
    expect(cases.length).toBeGreaterThan(3);
    for (const { viewer, scope } of cases) {
      const want = sorted(await live.collect(viewer, scope, RANGE, NOW));
      expect(sorted(await table.collect(viewer, scope, RANGE, NOW)), `${viewer.id} ${JSON.stringify(scope)}`).toEqual(want);
      expect(await table.trend(scope, NOW, SH)).toEqual(await live.trend(scope, NOW, SH));
      const dispatch = await live.dispatch(scope, RANGE);
      const tableDispatch = await table.dispatch(scope, RANGE);
      expect({ ...tableDispatch, medianHours: tableDispatch.medianHours?.toFixed(6), maxHours: tableDispatch.maxHours?.toFixed(6) }, `dispatch ${viewer.id}`).toEqual({
        ...dispatch,
        medianHours: dispatch.medianHours?.toFixed(6),
        maxHours: dispatch.maxHours?.toFixed(6),
      });
      expect(await table.problems(scope), `problems ${viewer.id}`).toEqual(await live.problems(scope));
    }
    // Not vacuous: the team card counts something in every figure it sums.
    const team = sorted(await table.collect(everyone.find((u) => u.id === "wangwu")!, teams.get("wangwu")!.userIds, RANGE, NOW));
    expect(team.visitsByKind.length).toBeGreaterThan(0);
    expect(team.orders.count).toBeGreaterThan(0);
    expect(team.overdue).toBeGreaterThan(0);
    const teamDispatch = await table.dispatch(teams.get("wangwu")!.userIds, RANGE);
    expect(teamDispatch.shipped).toBeGreaterThan(1);
    expect(teamDispatch.open).toBeGreaterThan(0);
    expect(teamDispatch.problems).toBeGreaterThan(0);
    expect((await table.problems(null)).length).toBeGreaterThan(1);
    await expect(table.collect(zhangsan, ["zhangsan"], { from: RANGE.from, to: at("2026-11-25T20:00:00") }, NOW)).rejects.toThrow(/another period/);
  });
});
