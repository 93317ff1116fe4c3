// The dispatch service against a real database (PGlite, or PostgreSQL with DATABASE_URL): the notice, full and
// partial shipments, over-quantity, double and concurrent confirmations, problems, delivery, who may do what, the
// warehouse's price-free views, reminders and latency. Orders are placed with the real order service.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/app-error.ts";
import { money } from "../../src/core/money.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import {
  confirmDelivery,
  confirmShipment,
  dispatchLatency,
  dispatchView,
  markNoticeReminded,
  missingDelivery,
  noticesToRemind,
  openDispatches,
  reportProblem,
  resume,
  setDeliveryInfo,
  startDispatch,
  type ConfirmShipmentInput,
} from "../../src/domain/dispatch/dispatch.service.ts";
import { parseOrgText } from "../../src/domain/org/org-file.ts";
import { syncOrg } from "../../src/domain/org/org.repo.ts";
import { orderHistory, placeOrder } from "../../src/domain/orders/order.service.ts";
import type { OrderLineRequest } from "../../src/domain/orders/order.types.ts";
import type { Tx } from "../../src/domain/tx.ts";
import type { UserInfo } from "../../src/domain/users/user.repo.ts";
import { DEMO_ORG_FILE } from "../../src/paths.ts";
import { TZ, NOW, H, rules, zhangsan, lisi, wangwu, zhaoliu, chenqi, admin } from "../support/demo-people.ts";
import { fails } from "../support/expect-app-error.ts";
import { freshDatabase, serverUrl, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase;
/** On PostgreSQL: two more clients, so two confirmations really run on two connections at once. */
let other: [Database, Database] | null = null;
let seq = 0;
const tx = <T>(fn: (tx: Tx) => Promise<T>, on: Database = db) => on.prisma.$transaction(fn, { maxWait: 60_000, timeout: 60_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An approved order (within the rep's authority) on its own customer, dispatched unless asked not to. */
async function approvedOrder(lines: OrderLineRequest[], opts: { rep?: UserInfo; dispatch?: boolean; now?: Date; address?: string | null } = {}): Promise<string> {
  const rep = opts.rep ?? zhangsan;
  const name = `发货客户${++seq}`;
  const c = await db.prisma.customer.create({
    data: { name, normalizedName: name, ownerId: rep.id, aliases: [], tags: [], address: opts.address === undefined ? "上海市浦东新区张江路1号" : opts.address },
  });
  await db.prisma.contact.create({ data: { customerId: c.id, name: "王经理", phone: "13800000000" } });
  const r = await tx((t) => placeOrder(t, { request: { customerId: c.id, lines }, rep, now: opts.now ?? NOW, timeZone: TZ, rules, eventId: `ev-${seq}` }));
  if (r.kind !== "placed" || r.order.status !== "approved") throw new Error("expected an approved order");
  if (opts.dispatch !== false) await tx((t) => startDispatch(t, { orderNumber: r.order.number, now: opts.now ?? NOW, eventId: null, actorId: rep.id }));
  return r.order.number;
}
const motorA = (q: number): OrderLineRequest => ({ sku: "MOTOR-A", quantity: q, unitPrice: money("4800") });
const cable = (q: number): OrderLineRequest => ({ sku: "CABLE-10", quantity: q, unitPrice: money("600") });
const ship = (orderNumber: string, trackingNo: string, more: Partial<ConfirmShipmentInput> = {}, on: Database = db) =>
  tx((t) => confirmShipment(t, { orderNumber, by: chenqi, trackingNo, now: NOW, eventId: null, ...more }), on);
const status = async (number: string) => (await db.prisma.order.findUniqueOrThrow({ where: { number } })).status;
const shippedQtys = async (number: string) =>
  (await db.prisma.orderLine.findMany({ where: { order: { number } }, orderBy: { id: "asc" } })).map((l) => [l.sku, l.shippedQty]);

beforeAll(async () => {
  db = await freshDatabase();
  await syncOrg(db.prisma, parseOrgText(readFileSync(DEMO_ORG_FILE, "utf8"), DEMO_ORG_FILE), new Date("2026-11-01T00:00:00Z"));
  if (serverUrl()) {
    const url = new URL(serverUrl()!);
    url.pathname = `/${db.name}`;
    other = [await openDatabase({ url: url.toString(), poolSize: 1 }), await openDatabase({ url: url.toString(), poolSize: 1 })];
  }
});
afterAll(async () => {
  await Promise.all(other?.map((d) => d.close()) ?? []);
  await db?.destroy();
});

describe("the notice", () => {
  it("approved → dispatched, audited; again: nothing changes; a pending order cannot be dispatched", async () => {
    const number = await approvedOrder([motorA(10)], { dispatch: false });
    const first = await tx((t) => startDispatch(t, { orderNumber: number, now: NOW, eventId: "ev-x", actorId: "zhangsan" }));
    expect(first.already).toBe(false);
    expect(first.view.status).toBe("dispatched");
    expect(first.view.dispatchedAt).toEqual(NOW);
    expect(first.view.delivery).toMatchObject({ address: "上海市浦东新区张江路1号", contact: "王经理", phone: "13800000000" });
    expect((await tx((t) => startDispatch(t, { orderNumber: number, now: NOW, eventId: null }))).already).toBe(true);
    const trail = await db.prisma.auditLog.findMany({ where: { entityType: "order", entityId: first.view.orderId, action: "dispatch.start" } });
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actorId: "zhangsan", eventId: "ev-x", after: { status: "dispatched" } });

    const c = await db.prisma.customer.create({ data: { name: "大单客户", normalizedName: "大单客户", ownerId: "zhangsan", aliases: [], tags: [] } });
    const pending = await tx((t) => placeOrder(t, { request: { customerId: c.id, lines: [motorA(200)] }, rep: zhangsan, now: NOW, timeZone: TZ, rules, eventId: null }));
    if (pending.kind !== "placed") throw new Error("expected placed");
    const e = await fails(tx((t) => startDispatch(t, { orderNumber: pending.order.number, now: NOW, eventId: null })));
    expect(e.code).toBe("illegal_transition");
    expect(e.userMessage).toContain("只有已批准的订单才能通知仓库");
  });

  it("delivery info: missing address is reported; the rep fills it in; nobody else may", async () => {
    const number = await approvedOrder([motorA(1)], { dispatch: false, address: null });
    expect(missingDelivery(await tx((t) => dispatchView(t, number)))).toEqual(["address"]);
    const view = await tx((t) => setDeliveryInfo(t, { orderNumber: number, by: zhangsan, address: "苏州工业园区星湖街2号", contact: "李工", phone: "13900000000", now: NOW, eventId: null }));
    expect(view.delivery).toMatchObject({ address: "苏州工业园区星湖街2号", contact: "李工", phone: "13900000000" });
    expect(missingDelivery(view)).toEqual([]);
    expect((await fails(tx((t) => setDeliveryInfo(t, { orderNumber: number, by: lisi, address: "x", now: NOW, eventId: null })))).code).toBe("not_order_rep");
  });
});

describe("shipments", () => {
  it("full shipment: everything ships, the order is shipped, audited with carrier and number", async () => {
    const number = await approvedOrder([motorA(10), cable(5)]);
    const r = await ship(number, "sf 1234 5678 90123", { carrier: "顺丰速运", eventId: "ev-ship" });
    expect(r.already).toBe(false);
    expect(r.orderStatus).toBe("shipped");
    expect(r.remaining).toEqual([]);
    expect(r.repId).toBe("zhangsan");
    expect(r.shipment).toMatchObject({ carrier: "顺丰", trackingNo: "SF1234567890123", createdByName: "陈七" });
    expect(r.shipment.lines.map((l) => [l.sku, l.quantity])).toEqual([["MOTOR-A", 10], ["CABLE-10", 5]]);
    expect(await shippedQtys(number)).toEqual([["MOTOR-A", 10], ["CABLE-10", 5]]);
    const a = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "shipment.confirm", eventId: "ev-ship" } });
    expect(a).toMatchObject({ actorId: "chenqi", entityType: "order", before: { status: "dispatched" }, after: { status: "shipped", carrier: "顺丰", trackingNo: "SF1234567890123", partial: false } });
    // A further shipment on a shipped order: nothing remains.
    expect((await fails(ship(number, "SF1234567890999"))).code).toBe("nothing_remaining");
  });

  it("two partial shipments: the first keeps it dispatched with what remains, the second ships it", async () => {
    const number = await approvedOrder([motorA(100), cable(20)]);
    const first = await ship(number, "DPK3001234567", { lines: [{ sku: "MOTOR-A", quantity: 60 }] });
    expect(first.shipment.carrier).toBe("德邦"); // inferred
    expect(first.orderStatus).toBe("dispatched");
    expect(first.remaining).toEqual([
      { sku: "MOTOR-A", name: "电机A", unit: "台", remaining: 40 },
      { sku: "CABLE-10", name: "电缆", unit: "卷", remaining: 20 },
    ]);
    expect(await status(number)).toBe("dispatched");
    const open = await tx((t) => openDispatches(t));
    expect(open.find((o) => o.number === number)?.lines.map((l) => [l.sku, l.ordered, l.shipped, l.remaining])).toEqual([
      ["MOTOR-A", 100, 60, 40],
      ["CABLE-10", 20, 0, 20],
    ]);
    const second = await ship(number, "JDVA12345678901");
    expect(second.orderStatus).toBe("shipped");
    expect(second.shipment.lines.map((l) => [l.sku, l.quantity])).toEqual([["MOTOR-A", 40], ["CABLE-10", 20]]);
    expect(await shippedQtys(number)).toEqual([["MOTOR-A", 100], ["CABLE-10", 20]]);
    expect((await tx((t) => openDispatches(t))).some((o) => o.number === number)).toBe(false);
    const view = await tx((t) => dispatchView(t, number));
    expect(view.shipments.map((s) => [s.carrier, s.trackingNo])).toEqual([["德邦", "DPK3001234567"], ["京东", "JDVA12345678901"]]);
  });

  it("over-quantity is refused naming the product, remaining and asked; nothing changes", async () => {
    const number = await approvedOrder([motorA(50)]);
    await ship(number, "YT1234567890123", { lines: [{ sku: "MOTOR-A", quantity: 20 }] });
    const before = await db.prisma.shipment.count();
    const e = await fails(ship(number, "YT1234567890124", { lines: [{ sku: "MOTOR-A", quantity: 31 }] }));
    expect(e.code).toBe("over_quantity");
    expect(e.userMessage).toBe("电机A还剩 30台 未发，不能发 31台。");
    expect(await db.prisma.shipment.count()).toBe(before);
    expect(await shippedQtys(number)).toEqual([["MOTOR-A", 20]]);
    expect((await fails(ship(number, "YT1234567890125", { lines: [{ sku: "PLC-S7", quantity: 1 }] }))).code).toBe("sku_not_in_order");
    expect((await fails(ship(number, "YT1234567890126", { lines: [{ sku: "MOTOR-A", quantity: 0 }] }))).code).toBe("bad_quantity");
    expect((await fails(ship(number, "SF12345", { carrier: "顺丰" }))).userMessage).toContain("顺丰单号应为 SF 加 12 到 15 位数字");
    expect(await db.prisma.shipment.count()).toBe(before);
  });

  it("an order not yet dispatched cannot ship", async () => {
    const number = await approvedOrder([motorA(5)], { dispatch: false });
    const e = await fails(ship(number, "SF1234567890123"));
    expect(e.code).toBe("illegal_transition");
    expect(e.userMessage).toContain("仓库还没有收到发货通知");
  });

  it("the same tracking number twice ships once and returns the first shipment", async () => {
    const number = await approvedOrder([motorA(10)]);
    const first = await ship(number, "SF1234567890123", { lines: [{ sku: "MOTOR-A", quantity: 4 }] });
    const again = await ship(number, "SF1234567890123", { lines: [{ sku: "MOTOR-A", quantity: 4 }] });
    expect(again.already).toBe(true);
    expect(again.shipment.id).toBe(first.shipment.id);
    expect(again.remaining).toEqual([{ sku: "MOTOR-A", name: "电机A", unit: "台", remaining: 6 }]);
    expect(await shippedQtys(number)).toEqual([["MOTOR-A", 4]]);
    const orderId = (await tx((t) => dispatchView(t, number))).orderId;
    expect(await db.prisma.auditLog.count({ where: { entityId: orderId, action: "shipment.confirm" } })).toBe(1);
  });

  it("two confirmations at once (two connections on PostgreSQL): shipped once, never over", async () => {
    const [a, b] = other ?? [db, db];
    // Same tracking number: one ships, the other finds it.
    const n1 = await approvedOrder([motorA(10)]);
    const same = await Promise.allSettled([ship(n1, "SF1234567890123", {}, a), ship(n1, "SF1234567890123", {}, b)]);
    const ok = same.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    expect(ok).toHaveLength(2);
    expect(ok.map((r) => r.already).sort()).toEqual([false, true]);
    expect(ok[0]!.shipment.id).toBe(ok[1]!.shipment.id);
    expect(await shippedQtys(n1)).toEqual([["MOTOR-A", 10]]);
    expect(await db.prisma.shipment.count({ where: { order: { number: n1 } } })).toBe(1);

    // Different numbers, both asking for everything: one ships all, the other is refused.
    const n2 = await approvedOrder([motorA(10)]);
    const diff = await Promise.allSettled([ship(n2, "SF1234567890001", {}, a), ship(n2, "SF1234567890002", {}, b)]);
    expect(diff.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    const refused = diff.find((s) => s.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason instanceof AppError && refused.reason.code).toBe("nothing_remaining");
    expect(await shippedQtys(n2)).toEqual([["MOTOR-A", 10]]);

    // A slow first transaction holding the lock: the second waits and then sees it (no double shipment).
    const n3 = await approvedOrder([motorA(10)]);
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const slow = tx(async (t) => {
      const r = await confirmShipment(t, { orderNumber: n3, by: chenqi, trackingNo: "SF1234567890003", lines: [{ sku: "MOTOR-A", quantity: 7 }], now: NOW, eventId: null });
      locked(); // the order's row is locked now: the second confirmation starts while this one holds it
      await sleep(300);
      return r;
    }, a);
    await holding;
    const late = ship(n3, "SF1234567890004", { lines: [{ sku: "MOTOR-A", quantity: 7 }] }, b);
    const [s1, s2] = await Promise.allSettled([slow, late]);
    expect(s1.status).toBe("fulfilled");
    expect(s2.status === "rejected" && s2.reason instanceof AppError && s2.reason.userMessage).toBe("电机A还剩 3台 未发，不能发 7台。");
    expect(await shippedQtys(n3)).toEqual([["MOTOR-A", 7]]);
  });
});

describe("who may do what", () => {
  it("a rep, a manager, a director or an admin cannot confirm a shipment, report or resume; nothing changes", async () => {
    const number = await approvedOrder([motorA(3)]);
    for (const by of [zhangsan, wangwu, zhaoliu, admin]) {
      expect((await fails(ship(number, "SF1234567890123", { by }))).code).toBe("not_warehouse");
      expect((await fails(tx((t) => reportProblem(t, { orderNumber: number, by, reason: "缺货", now: NOW, eventId: null }))))).toMatchObject({ code: "not_warehouse" });
      expect((await fails(tx((t) => resume(t, { orderNumber: number, by, now: NOW, eventId: null }))))).toMatchObject({ code: "not_warehouse" });
    }
    expect((await fails(ship(number, "SF1234567890123", { by: zhangsan }))).userMessage).toBe("只有仓库人员可以确认发货；发送「订单 单号」可以查看发货进度。");
    expect(await db.prisma.shipment.count({ where: { order: { number } } })).toBe(0);
    expect(await shippedQtys(number)).toEqual([["MOTOR-A", 0]]);
    expect((await tx((t) => dispatchView(t, number))).problem).toBeNull();
  });
});

describe("problems", () => {
  it("reported (rep and manager to tell), shown in 待发货, resumed; the order stays dispatched", async () => {
    const number = await approvedOrder([motorA(8)]);
    const p = await tx((t) => reportProblem(t, { orderNumber: number, by: chenqi, reason: " 缺货 ", now: NOW, eventId: "ev-p" }));
    expect(p.repId).toBe("zhangsan");
    expect(p.repManagerId).toBe("wangwu");
    expect(p.view.status).toBe("dispatched");
    expect(p.view.problem).toEqual({ reason: "缺货", at: NOW, byId: "chenqi", byName: "陈七" });
    expect((await tx((t) => openDispatches(t, { problemsOnly: true }))).map((o) => o.number)).toContain(number);
    expect((await tx((t) => openDispatches(t, { repIds: ["lisi"] }))).map((o) => o.number)).not.toContain(number);
    expect((await fails(tx((t) => reportProblem(t, { orderNumber: number, by: chenqi, reason: "  ", now: NOW, eventId: null })))).code).toBe("problem_reason_missing");

    const r = await tx((t) => resume(t, { orderNumber: number, by: chenqi, now: NOW, eventId: "ev-r" }));
    expect(r.view.problem).toBeNull();
    expect(r.view.status).toBe("dispatched");
    expect((await fails(tx((t) => resume(t, { orderNumber: number, by: chenqi, now: NOW, eventId: null })))).code).toBe("no_problem");
    const actions = (await db.prisma.auditLog.findMany({ where: { entityId: r.view.orderId }, orderBy: { id: "asc" } })).map((a) => [a.action, a.actorId]);
    expect(actions).toEqual([
      ["order.create", "zhangsan"],
      ["order.approve", "zhangsan"],
      ["dispatch.start", "zhangsan"],
      ["shipment.problem", "chenqi"],
      ["shipment.resume", "chenqi"],
    ]);
    // orderHistory keeps the trail (its own labels are the lead's; the actions are there).
    expect((await tx((t) => orderHistory(t, number))).trail.map((e) => e.action)).toContain("shipment.problem");
  });

  it("a shipment confirmed while a problem is open clears it", async () => {
    const number = await approvedOrder([motorA(2)]);
    await tx((t) => reportProblem(t, { orderNumber: number, by: chenqi, reason: "地址不全", now: NOW, eventId: null }));
    await ship(number, "SF1234567890123");
    expect((await tx((t) => dispatchView(t, number))).problem).toBeNull();
  });

  it("a problem on an order not in dispatch is refused", async () => {
    const number = await approvedOrder([motorA(2)], { dispatch: false });
    expect((await fails(tx((t) => reportProblem(t, { orderNumber: number, by: chenqi, reason: "缺货", now: NOW, eventId: null })))).userMessage).toContain("还没有通知仓库");
  });
});

describe("delivery", () => {
  it("by the rep: shipped → delivered, audited; again: nothing changes", async () => {
    const number = await approvedOrder([motorA(2)]);
    expect((await fails(tx((t) => confirmDelivery(t, { orderNumber: number, by: zhangsan, now: NOW, eventId: null })))).userMessage).toContain("订单还没有发货");
    await ship(number, "SF1234567890123");
    const later = new Date(NOW.getTime() + 48 * H);
    const d = await tx((t) => confirmDelivery(t, { orderNumber: number, by: zhangsan, now: later, eventId: "ev-d" }));
    expect(d.already).toBe(false);
    expect(d.view.status).toBe("delivered");
    expect(d.view.deliveredAt).toEqual(later);
    expect(d.view.shipments.map((s) => s.status)).toEqual(["delivered"]);
    expect((await tx((t) => confirmDelivery(t, { orderNumber: number, by: chenqi, now: later, eventId: null }))).already).toBe(true);
    expect(await db.prisma.auditLog.count({ where: { entityId: d.view.orderId, action: "order.deliver", actorId: "zhangsan" } })).toBe(1);
  });

  it("by the warehouse; another rep or the manager is refused", async () => {
    const number = await approvedOrder([motorA(2)]);
    await ship(number, "SF1234567890123");
    for (const by of [lisi, wangwu]) expect((await fails(tx((t) => confirmDelivery(t, { orderNumber: number, by, now: NOW, eventId: null })))).code).toBe("not_allowed");
    expect(await status(number)).toBe("shipped");
    expect((await tx((t) => confirmDelivery(t, { orderNumber: number, by: chenqi, now: NOW, eventId: null }))).view.status).toBe("delivered");
  });
});

describe("the warehouse's views", () => {
  const PRICE_WORDS = /price|amount|total|discount|cost|money|flags/i;
  function keysOf(v: unknown, path = ""): string[] {
    if (Array.isArray(v)) return v.flatMap((x, i) => keysOf(x, `${path}[${i}]`));
    if (v && typeof v === "object" && !(v instanceof Date)) {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return [`${path}:<${(v as object).constructor.name}>`]; // a Decimal would show here
      return Object.entries(v).flatMap(([k, x]) => [`${path}.${k}`, ...keysOf(x, `${path}.${k}`)]);
    }
    return [];
  }

  it("待发货 and 订单 SO-… carry no price, amount or discount anywhere", async () => {
    const number = await approvedOrder([motorA(10), cable(3)]);
    await ship(number, "SF1234567890123", { lines: [{ sku: "CABLE-10", quantity: 1 }] });
    await tx((t) => reportProblem(t, { orderNumber: number, by: chenqi, reason: "缺货", now: NOW, eventId: null }));
    const open = await tx((t) => openDispatches(t));
    const view = await tx((t) => dispatchView(t, number));
    const result = await ship(number, "SF1234567890124", { lines: [{ sku: "CABLE-10", quantity: 1 }] });
    for (const obj of [open, view, result]) {
      const keys = keysOf(obj);
      expect(keys.length).toBeGreaterThan(10);
      expect(keys.filter((k) => PRICE_WORDS.test(k.split(".").at(-1) ?? "") || k.includes(":<"))).toEqual([]);
      expect(keys.filter((k) => /^(\[\d+\])?\.reason$/.test(k))).toEqual([]); // the rep's discount reason is not the warehouse's business
    }
    expect(view.lines.map((l) => [l.sku, l.ordered, l.shipped, l.remaining])).toEqual([["MOTOR-A", 10, 0, 10], ["CABLE-10", 3, 1, 2]]);
    expect(view).toMatchObject({ customerName: expect.stringMatching(/^发货客户/), repName: "张三", problem: { reason: "缺货" } });
    // Oldest notice first.
    const times = open.map((o) => o.dispatchedAt?.getTime() ?? 0);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it("an unknown order number is refused politely", async () => {
    expect((await fails(tx((t) => dispatchView(t, "SO-20990101-001")))).userMessage).toBe("没有找到订单 SO-20990101-001，请检查单号。");
  });
});

describe("reminders and latency", () => {
  it("a notice with no shipment is due after N hours, once per N hours; shipped or problem ones are not", async () => {
    const t0 = new Date("2026-12-10T09:00:00+08:00");
    const waiting = await approvedOrder([motorA(1)], { now: t0 });
    const shipped = await approvedOrder([motorA(1)], { now: t0 });
    const problem = await approvedOrder([motorA(1)], { now: t0 });
    await ship(shipped, "SF1234567890123", { now: t0 });
    await tx((t) => reportProblem(t, { orderNumber: problem, by: chenqi, reason: "缺货", now: t0, eventId: null }));
    const mine = (list: { number: string }[]) => list.map((n) => n.number).filter((n) => [waiting, shipped, problem].includes(n));

    expect(mine(await tx((t) => noticesToRemind(t, new Date(t0.getTime() + 3 * H), 4)))).toEqual([]);
    const due = (await tx((t) => noticesToRemind(t, new Date(t0.getTime() + 4 * H), 4))).filter((n) => n.number === waiting);
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ repId: "zhangsan", skus: ["MOTOR-A"], remindedAt: null });
    expect(await tx((t) => markNoticeReminded(t, due[0]!, new Date(t0.getTime() + 4 * H)))).toBe(true);
    expect(await tx((t) => markNoticeReminded(t, due[0]!, new Date(t0.getTime() + 4 * H)))).toBe(false); // another run did it
    expect(mine(await tx((t) => noticesToRemind(t, new Date(t0.getTime() + 5 * H), 4)))).toEqual([]);
    expect(mine(await tx((t) => noticesToRemind(t, new Date(t0.getTime() + 8 * H), 4)))).toEqual([waiting]);
  });

  it("approval → first shipment: median and slowest hours, open dispatches and problems, per scope", async () => {
    const t0 = new Date("2026-12-20T09:00:00+08:00");
    const a = await approvedOrder([motorA(2)], { now: t0, rep: lisi });
    const b = await approvedOrder([motorA(2)], { now: t0, rep: lisi });
    const c = await approvedOrder([motorA(2)], { now: t0, rep: lisi });
    await ship(a, "SF1234567890123", { now: new Date(t0.getTime() + 2 * H), lines: [{ sku: "MOTOR-A", quantity: 1 }] });
    await ship(a, "SF1234567890124", { now: new Date(t0.getTime() + 30 * H) }); // a later shipment does not count
    await ship(b, "SF1234567890125", { now: new Date(t0.getTime() + 6 * H) });
    await tx((t) => reportProblem(t, { orderNumber: c, by: chenqi, reason: "缺货", now: t0, eventId: null }));
    const range = { from: t0, to: new Date(t0.getTime() + 72 * H) };
    const l = await tx((t) => dispatchLatency(t, ["lisi"], range));
    expect(l).toEqual({ shipped: 2, medianHours: 4, maxHours: 6, open: 1, problems: 1 });
    const none = await tx((t) => dispatchLatency(t, ["lisi"], { from: new Date(t0.getTime() - 72 * H), to: t0 }));
    expect(none).toMatchObject({ shipped: 0, medianHours: null, maxHours: null });
    expect((await tx((t) => dispatchLatency(t, null, range))).shipped).toBeGreaterThanOrEqual(2);
  });
});
