// The order service against a real database (PGlite, or PostgreSQL with DATABASE_URL): placing with numbers,
// duplicates and refusals; deciding in turn, once, by the right person; withdrawing; history; reminders and
// escalation; and the races (20 orders at once, two decisions at once) that must have exactly one outcome each.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/app-error.ts";
import { money } from "../../src/core/money.ts";
import { parseOrgText } from "../../src/domain/org/org-file.ts";
import { syncOrg } from "../../src/domain/org/org.repo.ts";
import {
  customerHistory,
  decide,
  escalateStep,
  escalationDue,
  markStepReminded,
  orderHistory,
  pendingApprovalsFor,
  placeOrder,
  remindDue,
  resubmitOrder,
  withdraw,
  type PlaceOrderInput,
  type ResubmitInput,
} from "../../src/domain/orders/order.service.ts";
import type { OrderLineRequest, PlaceOrderResult } from "../../src/domain/orders/order.types.ts";
import type { Tx } from "../../src/domain/tx.ts";
import type { UserInfo } from "../../src/domain/users/user.repo.ts";
import { DEMO_ORG_FILE } from "../../src/paths.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { TZ, NOW, H, rules, zhangsan, lisi, wangwu, zhaoliu } from "../support/demo-people.ts";
import { fails } from "../support/expect-app-error.ts";
import { freshDatabase, serverUrl, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase;
/** On PostgreSQL a second client with a connection for each of 20 transactions, so they really run at once. */
let wide: Database | null = null;
const customers: Record<string, string> = {};
let seq = 0;
const tx = <T>(fn: (tx: Tx) => Promise<T>, on: Database = db) => on.prisma.$transaction(fn, { maxWait: 60_000, timeout: 60_000 });

/** Each order on its own customer unless named, so duplicates appear only where a test wants them. */
async function place(lines: OrderLineRequest[], opts: { customer?: string; rep?: UserInfo; now?: Date; confirm?: boolean; reason?: string; rules?: PlaceOrderInput["rules"]; on?: Database } = {}) {
  const customerId = opts.customer ? customers[opts.customer]! : await newCustomer(`客户${++seq}`, (opts.rep ?? zhangsan).id);
  return tx((t) =>
    placeOrder(t, {
      request: { customerId, lines, ...(opts.reason ? { reason: opts.reason } : {}) },
      rep: opts.rep ?? zhangsan,
      now: opts.now ?? NOW,
      timeZone: TZ,
      rules: opts.rules ?? rules,
      eventId: `ev-${seq}`,
      confirmDuplicate: opts.confirm ?? false,
    }),
    opts.on,
  );
}
const placed = (r: PlaceOrderResult) => {
  if (r.kind !== "placed") throw new Error(`expected placed, got ${r.kind}`);
  return r;
};
async function newCustomer(name: string, ownerId: string | null): Promise<string> {
  const c = await db.prisma.customer.create({ data: { name, normalizedName: name, ownerId, aliases: [], tags: [] } });
  customers[name] = c.id;
  return c.id;
}
const motorA = (quantity: number, unit?: string): OrderLineRequest => ({ sku: "MOTOR-A", quantity, ...(unit ? { unitPrice: money(unit) } : {}) });
const decideAs = (approver: UserInfo, orderNumber: string, decision: "approve" | "reject", reason: string | null = null, now = NOW, on: Database = db) =>
  tx((t) => decide(t, { orderNumber, approver, decision, reason, now, eventId: null, timeZone: TZ }), on);

beforeAll(async () => {
  db = await freshDatabase();
  await syncOrg(db.prisma, parseOrgText(readFileSync(DEMO_ORG_FILE, "utf8"), DEMO_ORG_FILE), new Date("2026-11-01T00:00:00Z"));
  await newCustomer("华东机电", "zhangsan");
  await newCustomer("鼎盛机械", "lisi");
  await newCustomer("公海客户", null);
  const base = serverUrl();
  if (base) {
    const url = new URL(base);
    url.pathname = `/${db.name}`;
    wide = await openDatabase({ url: url.toString(), poolSize: 21, connectTimeoutMs: 60_000 });
  }
});
afterAll(async () => {
  await wide?.close();
  await db?.destroy();
});

describe("placing", () => {
  it("within authority: approved at once, numbered by the local day, audited", async () => {
    const r = placed(await place([motorA(10, "4800")], { now: new Date("2026-12-03T23:30:00Z") })); // 12-04 07:30 in Shanghai
    expect(r.order.number).toMatch(/^SO-20261204-\d{3}$/);
    expect(r.order.status).toBe("approved");
    expect(r.plan).toEqual({ kind: "auto" });
    expect(r.order.total.toFixed(2)).toBe("48000.00");
    expect(r.order.discount.toFixed(4)).toBe("0.0400");
    const h = await tx((t) => orderHistory(t, r.order.number));
    expect(h.trail.map((e) => e.text)).toEqual(["张三 提交订单", "张三 在权限内，自动批准"]);
  });

  it("10%: pending with the manager, the rule stored, the rep's reason kept", async () => {
    const r = placed(await place([motorA(200, "4500")], { reason: "客户量大，竞品报价4300" }));
    expect(r.order.status).toBe("pending_approval");
    expect(r.firstApprover).toEqual({ id: "wangwu", name: "王五" });
    expect(r.order.reason).toBe("客户量大，竞品报价4300");
    expect(r.order.flags).toEqual(["big_order"]); // ¥900,000
    const h = await tx((t) => orderHistory(t, r.order.number));
    expect(h.rule).toBe("折扣 10% 超出销售权限 5%；订单金额 ¥900,000 ≥ 大单金额 ¥500,000");
    expect(h.steps.map((s) => [s.approverName, s.status])).toEqual([["王五", "pending"], ["赵六", "waiting"]]);
    expect((await tx((t) => pendingApprovalsFor(t, "wangwu"))).map((p) => p.orderNumber)).toContain(r.order.number);
  });

  it("refuses a price above list, a colleague's customer and a pool customer, creating nothing", async () => {
    const before = await db.prisma.order.count();
    expect((await fails(place([motorA(2, "5200")]))).userMessage).toContain("电机A 单价 ¥5,200 高于价格表 ¥5,000");
    expect((await fails(place([motorA(2)], { customer: "鼎盛机械" }))).userMessage).toBe("「鼎盛机械」不是你的客户，只能给自己负责的客户下单。");
    expect((await fails(place([motorA(2)], { customer: "公海客户" }))).code).toBe("customer_not_owned");
    expect((await fails(place([motorA(0)]))).userMessage).toBe("电机A 的数量 0 不对：数量必须是正整数。");
    expect(await db.prisma.order.count()).toBe(before);
  });

  it("refuses a typed unit that is not the list's (电缆 200米, sold by the 卷) before anything is stored; the list's own or a piece word passes", async () => {
    const before = { orders: await db.prisma.order.count(), audits: await db.prisma.auditLog.count(), approvals: await db.prisma.approval.count() };
    const e = await fails(place([{ sku: "CABLE-10", quantity: 200, unit: "米" }, motorA(2)], { customer: "华东机电" }));
    expect(e.code).toBe("unit_mismatch");
    expect(e.userMessage).toBe("电缆 按「卷」报价，您写的是「米」。请按卷下单，例如：下单 华东机电 电缆 2卷");
    // Also when the order would have needed approval (a deep discount): refused first, nobody asked.
    expect((await fails(place([{ sku: "PLC-S7", quantity: 50, unit: "台", unitPrice: money("9000") }]))).userMessage).toContain("PLC控制器 按「套」报价，您写的是「台」");
    expect({ orders: await db.prisma.order.count(), audits: await db.prisma.auditLog.count(), approvals: await db.prisma.approval.count() }).toEqual(before);
    const ok = placed(await place([{ sku: "CABLE-10", quantity: 3, unit: "卷" }, { sku: "MOTOR-A", quantity: 2, unit: "个" }]));
    expect(ok.order.lines.map((l) => `${l.name} ${l.quantity}${l.unit}`)).toEqual(["电缆 3卷", "电机A 2台"]);
  });

  it("an allowed above-list price is flagged on the order", async () => {
    const r = placed(await place([motorA(2, "5200")], { rules: { ...rules, allowAboveList: true } }));
    expect(r.order.flags).toEqual(["above_list"]);
    expect(r.order.status).toBe("approved");
  });

  it("a duplicate (same customer, overlapping products, 24 h) is returned, not created, until confirmed", async () => {
    const first = placed(await place([motorA(5), { sku: "INV-3K", quantity: 1 }], { customer: "华东机电" }));
    const dup = await place([motorA(3)], { customer: "华东机电", now: new Date(NOW.getTime() + 2 * H) });
    expect(dup.kind).toBe("duplicate");
    expect(dup.kind === "duplicate" && dup.duplicateOf).toBe(first.order.number);
    expect(dup.kind === "duplicate" && dup.message).toBe(`24小时内已有「华东机电」的订单 ${first.order.number}（电机A，已批准），确认要再下一单吗？`);
    expect(placed(await place([motorA(3)], { customer: "华东机电", now: new Date(NOW.getTime() + 2 * H), confirm: true })).order.status).toBe("approved");
    expect((await place([{ sku: "CABLE-10", quantity: 1 }], { customer: "华东机电", now: new Date(NOW.getTime() + 3 * H) })).kind).toBe("placed"); // no overlap
    expect((await place([motorA(1)], { customer: "华东机电", now: new Date(NOW.getTime() + 30 * H) })).kind).toBe("placed"); // a day later
  });

  it("20 orders at once on one day get 20 distinct numbers", async () => {
    const day = new Date("2026-12-05T10:00:00+08:00");
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => newCustomer(`并发客户${i}`, "zhangsan")));
    const results = await Promise.all(ids.map((_, i) => place([motorA(1)], { now: day, customer: `并发客户${i}`, on: wide ?? db })));
    const numbers = results.map((r) => placed(r).order.number);
    expect(new Set(numbers).size).toBe(20);
    const seqs = numbers.map((n) => Number(n.slice(-3))).sort((a, b) => a - b);
    expect(seqs.every((n) => n >= 1 && n <= 20 + 5)).toBe(true); // gaps tolerated, never a repeat
    expect(numbers.every((n) => n.startsWith("SO-20261205-"))).toBe(true);
  });
});

describe("deciding", () => {
  it("only the current approver decides; in turn; once", async () => {
    const r = placed(await place([motorA(10, "4000")])); // 20%: 王五, then 赵六
    const n = r.order.number;
    expect((await fails(decideAs(zhaoliu, n, "approve"))).userMessage).toBe(`只有当前审批人王五可以审批 ${n}；发送「订单 ${n}」可以查看审批进度。`);
    expect((await fails(decideAs(zhangsan, n, "approve"))).code).toBe("not_your_turn");
    const first = await decideAs(wangwu, n, "approve", null, new Date(NOW.getTime() + H));
    expect(first.outcome).toMatchObject({ kind: "next", step: { approverId: "zhaoliu", approverName: "赵六" } });
    expect(first.nextApprover).toEqual({ id: "zhaoliu", name: "赵六" });
    expect(first.order.status).toBe("pending_approval");
    const again = await fails(decideAs(wangwu, n, "approve"));
    expect(again.userMessage).toBe(`订单 ${n} 已经审批过了：你在12月4日 周五 11:00已同意，现在等赵六审批。`);
    const last = await decideAs(zhaoliu, n, "approve", null, new Date(NOW.getTime() + 2 * H));
    expect(last.outcome).toEqual({ kind: "approved" });
    expect(last.order.status).toBe("approved");
    expect(last.approverIds).toEqual(["wangwu", "zhaoliu"]);
    expect((await fails(decideAs(zhaoliu, n, "reject", "晚了"))).userMessage).toBe(`订单 ${n} 已经审批过了：你在12月4日 周五 12:00已同意。`);
    const h = await tx((t) => orderHistory(t, n));
    expect(h.trail.map((e) => e.text)).toEqual(["张三 提交订单", "张三 提交审批（折扣 20% 超出销售权限 5%）", "王五 同意", "赵六 同意", "赵六 订单批准"]);
  });

  it("a rejection ends the approval with the reason and skips later steps", async () => {
    const r = placed(await place([motorA(10, "4000")]));
    const out = await decideAs(wangwu, r.order.number, "reject", "价格太低");
    expect(out.outcome).toEqual({ kind: "rejected", reason: "价格太低" });
    expect(out.order.status).toBe("rejected");
    expect(out.steps.map((s) => s.status)).toEqual(["rejected", "skipped"]);
    expect((await fails(decideAs(zhaoliu, r.order.number, "approve"))).code).toBe("already_decided");
  });

  it("two decisions at once: exactly one wins", async () => {
    const r = placed(await place([motorA(10, "4500")]));
    // On PostgreSQL two connections of their own; on PGlite they queue on its one connection.
    const on = wide ?? db;
    const outcomes = await Promise.allSettled([decideAs(wangwu, r.order.number, "approve", null, NOW, on), decideAs(wangwu, r.order.number, "reject", "不行", NOW, on)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === "rejected");
    expect(lost?.status === "rejected" && (lost.reason as AppError).code).toBe("already_decided");
    const steps = await db.prisma.approvalStep.findMany({ where: { approval: { order: { number: r.order.number } } } });
    expect(steps.map((s) => s.status)).toHaveLength(1);
    expect(await db.prisma.auditLog.count({ where: { entityId: r.order.id, action: { in: ["approval.approve", "approval.reject"] } } })).toBe(1);
  });
});

describe("withdrawing", () => {
  it("only the rep, only while pending", async () => {
    const r = placed(await place([motorA(10, "4500")]));
    const n = r.order.number;
    expect((await fails(tx((t) => withdraw(t, { orderNumber: n, rep: lisi, now: NOW, eventId: null })))).userMessage).toBe(`只有下单的销售可以撤回订单 ${n}。`);
    const w = await tx((t) => withdraw(t, { orderNumber: n, rep: zhangsan, now: NOW, eventId: null }));
    expect(w.order.status).toBe("cancelled");
    expect(w.approverIds).toEqual(["wangwu"]);
    expect((await db.prisma.approval.findFirstOrThrow({ where: { orderId: r.order.id } })).status).toBe("cancelled");
    expect((await fails(decideAs(wangwu, n, "approve"))).userMessage).toBe(`订单 ${n} 已撤回，不需要再审批。`);
    expect((await fails(tx((t) => withdraw(t, { orderNumber: n, rep: zhangsan, now: NOW, eventId: null })))).userMessage).toBe(`订单 ${n} 已取消，只有待审批或被驳回的订单可以撤回。`);
    const auto = placed(await place([motorA(1)]));
    expect((await fails(tx((t) => withdraw(t, { orderNumber: auto.order.number, rep: zhangsan, now: NOW, eventId: null })))).code).toBe("cannot_withdraw");
    expect((await fails(tx((t) => withdraw(t, { orderNumber: "SO-20991231-001", rep: zhangsan, now: NOW, eventId: null })))).code).toBe("order_not_found");
  });
});

describe("resubmitting a rejected order", () => {
  const resubmit = (orderNumber: string, lines: OrderLineRequest[], opts: Partial<ResubmitInput> & { on?: Database } = {}) =>
    tx((t) => resubmitOrder(t, { orderNumber, rep: zhangsan, lines, now: NOW, rules, eventId: "ev-resubmit", ...opts }), opts.on ?? db);
  async function rejectedOrder(lines: OrderLineRequest[]) {
    const r = placed(await place(lines));
    await decideAs(wangwu, r.order.number, "reject", "价格太低");
    return r.order;
  }

  it("within the rep's limit: approved at once under the same number, lines replaced, audited; the old approval stays rejected", async () => {
    const o = await rejectedOrder([motorA(10, "4400")]);
    const r = await resubmit(o.number, [motorA(12, "4800")]);
    expect(r.order.id).toBe(o.id);
    expect(r.order.number).toBe(o.number);
    expect(r.order.status).toBe("approved");
    expect(r.plan).toEqual({ kind: "auto" });
    expect(r.order.lines.map((l) => `${l.quantity}×${l.unitPrice.toFixed(2)}`)).toEqual(["12×4800.00"]);
    expect(r.order.total.toFixed(2)).toBe("57600.00");
    expect(r.rejection).toEqual({ approverName: "王五", reason: "价格太低" });
    expect(r.before.total.toFixed(2)).toBe("44000.00");
    expect(await db.prisma.orderLine.count({ where: { orderId: o.id } })).toBe(1);
    const approvals = await db.prisma.approval.findMany({ where: { orderId: o.id } });
    expect(approvals.map((a) => a.status)).toEqual(["rejected"]);
    const h = await tx((t) => orderHistory(t, o.number));
    expect(h.trail.map((e) => e.text).slice(-3)).toEqual(["王五 订单驳回", "张三 修改后重新提交（金额 ¥44,000 → ¥57,600）", "张三 在权限内，自动批准"]);
  });

  it("over the limit: a new approval to the right approver; deciding it works; the rejected one keeps its decision", async () => {
    const o = await rejectedOrder([motorA(10, "4000")]); // 20%: 王五 then 赵六
    const r = await resubmit(o.number, [motorA(10, "4500")], { reason: "客户是战略客户" }); // 10%: 王五 alone
    expect(r.order.status).toBe("pending_approval");
    expect(r.firstApprover).toEqual({ id: "wangwu", name: "王五" });
    expect(r.plan.kind === "steps" && r.plan.steps.map((s) => s.approverId)).toEqual(["wangwu"]);
    expect(r.order.reason).toBe("客户是战略客户");
    expect((await tx((t) => pendingApprovalsFor(t, "wangwu"))).map((p) => p.orderNumber)).toContain(o.number);
    const d = await decideAs(wangwu, o.number, "approve");
    expect(d.outcome).toEqual({ kind: "approved" });
    const approvals = await db.prisma.approval.findMany({ where: { orderId: o.id }, orderBy: { createdAt: "asc" }, include: { steps: { orderBy: { seq: "asc" } } } });
    expect(approvals.map((a) => [a.status, a.steps.map((s) => s.status).join(",")])).toEqual([["rejected", "rejected,skipped"], ["approved", "approved"]]);
  });

  it("refusals change nothing: another rep, lines changed, no change, a customer no longer theirs, not rejected", async () => {
    const o = await rejectedOrder([motorA(10, "4400")]);
    const snapshot = async () => ({
      order: await db.prisma.order.findUniqueOrThrow({ where: { id: o.id }, include: { lines: true } }),
      audits: await db.prisma.auditLog.count(),
      approvals: await db.prisma.approval.count(),
    });
    const before = await snapshot();
    expect((await fails(resubmit(o.number, [motorA(10, "4800")], { rep: lisi }))).code).toBe("not_your_order");
    expect((await fails(resubmit(o.number, [{ sku: "MOTOR-B", quantity: 10 }]))).code).toBe("resubmit_lines");
    expect((await fails(resubmit(o.number, [motorA(10, "4800"), { sku: "INV-3K", quantity: 1 }]))).code).toBe("resubmit_lines");
    expect((await fails(resubmit(o.number, [motorA(10, "4400")]))).code).toBe("resubmit_unchanged");
    expect((await fails(resubmit(o.number, [motorA(10, "5200")]))).userMessage).toMatch(/高于|标价/);
    expect((await fails(resubmit(o.number, [{ sku: "MOTOR-A", quantity: 10, unit: "套", unitPrice: money("4800") }]))).code).toBe("unit_mismatch");
    expect(await snapshot()).toEqual(before);
    // The customer went to 李四 meanwhile: 张三 can no longer resubmit it.
    await db.prisma.customer.update({ where: { id: before.order.customerId }, data: { ownerId: "lisi" } });
    expect((await fails(resubmit(o.number, [motorA(10, "4800")]))).code).toBe("customer_not_owned");
    await db.prisma.customer.update({ where: { id: before.order.customerId }, data: { ownerId: "zhangsan" } });
    // Pending, approved, cancelled: refused with what to do instead.
    const pending = placed(await place([motorA(10, "4400")])).order;
    expect((await fails(resubmit(pending.number, [motorA(10, "4800")]))).userMessage).toContain(`先发送「撤回 ${pending.number}」`);
    const approved = placed(await place([motorA(1)])).order;
    expect((await fails(resubmit(approved.number, [motorA(2)]))).userMessage).toBe(`订单 ${approved.number} 已批准，不需要重新提交。要改单，先发送「取消订单 ${approved.number} 原因」，再重新下单。`);
    await tx((t) => withdraw(t, { orderNumber: o.number, rep: zhangsan, now: NOW, eventId: null }));
    expect((await fails(resubmit(o.number, [motorA(10, "4800")]))).userMessage).toBe(`订单 ${o.number} 已取消，不能重新提交；请重新下单。`);
  });

  it("two resubmissions at once, or a resubmission and a withdrawal: exactly one wins", async () => {
    const on = wide ?? db;
    const a = await rejectedOrder([motorA(10, "4400")]);
    const both = await Promise.allSettled([resubmit(a.number, [motorA(10, "4800")], { on }), resubmit(a.number, [motorA(10, "4900")], { on })]);
    expect(both.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const lost = both.find((x) => x.status === "rejected") as PromiseRejectedResult;
    expect((lost.reason as AppError).code).toBe("cannot_resubmit");
    expect(await db.prisma.auditLog.count({ where: { action: "order.resubmit", entityId: a.id } })).toBe(1);
    const b = await rejectedOrder([motorA(10, "4400")]);
    const race = await Promise.allSettled([resubmit(b.number, [motorA(10, "4800")], { on }), tx((t) => withdraw(t, { orderNumber: b.number, rep: zhangsan, now: NOW, eventId: null }), on)]);
    expect(race.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const status = (await db.prisma.order.findUniqueOrThrow({ where: { id: b.id } })).status;
    expect(race[0]!.status === "fulfilled" ? status === "approved" : status === "cancelled").toBe(true);
  });
});

describe("reminders and escalation", () => {
  it("reminds once after remindAfterHours, escalates once after escalateAfterHours with a note", async () => {
    const t0 = new Date("2026-12-10T09:00:00+08:00");
    const r = placed(await place([motorA(10, "4000")], { now: t0 })); // 王五 then 赵六
    const mine = <S extends { orderNumber: string }>(list: S[]) => list.filter((s) => s.orderNumber === r.order.number);
    expect(mine(await tx((t) => remindDue(t, new Date(t0.getTime() + 23 * H), rules)))).toHaveLength(0);
    const due = mine(await tx((t) => remindDue(t, new Date(t0.getTime() + 25 * H), rules)));
    expect(due.map((s) => s.approverId)).toEqual(["wangwu"]);
    expect(await tx((t) => markStepReminded(t, due[0]!.stepId, new Date(t0.getTime() + 25 * H)))).toBe(true);
    expect(await tx((t) => markStepReminded(t, due[0]!.stepId, new Date(t0.getTime() + 26 * H)))).toBe(false);
    expect(mine(await tx((t) => remindDue(t, new Date(t0.getTime() + 30 * H), rules)))).toHaveLength(0);

    const later = new Date(t0.getTime() + 49 * H);
    const esc = mine(await tx((t) => escalationDue(t, later, rules)));
    expect(esc).toHaveLength(1);
    const moved = await tx((t) => escalateStep(t, esc[0]!, later, rules));
    expect(moved?.to).toEqual({ id: "zhaoliu", name: "赵六" });
    expect(moved?.note).toBe("王五超过48小时未处理，已转交赵六。");
    expect(await tx((t) => escalateStep(t, esc[0]!, later, rules))).toBeNull(); // once
    const h = await tx((t) => orderHistory(t, r.order.number));
    expect(h.steps.map((s) => [s.approverName, s.status])).toEqual([["赵六", "pending"], ["赵六", "skipped"]]);
    expect(h.trail.at(-1)?.text).toBe("王五超过48小时未处理，已转交赵六。");
    expect(mine(await tx((t) => escalationDue(t, new Date(later.getTime() + 100 * H), rules)))).toHaveLength(0);
    const done = await decideAs(zhaoliu, r.order.number, "approve", null, new Date(later.getTime() + H));
    expect(done.outcome).toEqual({ kind: "approved" });
  });
});

describe("customer history for the approver", () => {
  it("last orders, last visits, average discount given", async () => {
    const id = await newCustomer("远达纺织", "zhangsan");
    placed(await place([motorA(10, "4800")], { customer: "远达纺织", confirm: true })); // 4%
    placed(await place([{ sku: "MOTOR-B", quantity: 10, unitPrice: money("7800") }], { customer: "远达纺织", confirm: true })); // 2.5%
    await db.prisma.activity.create({ data: { customerId: id, userId: "zhangsan", summary: "谈了价格", rawText: "谈了价格", occurredAt: NOW } });
    const h = await tx((t) => customerHistory(t, id));
    expect(h.orders).toHaveLength(2);
    expect(h.visits.map((v) => [v.summary, v.userName])).toEqual([["谈了价格", "张三"]]);
    expect(h.averageDiscount?.toFixed(4)).toBe("0.0308"); // 1 − 126000/130000
  });
});
