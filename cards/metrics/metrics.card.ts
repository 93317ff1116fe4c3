import type { Card } from "../../src/core/card.ts";
import { formatLocal } from "../../src/core/local-time.ts";
import { discountFraction, formatCny, formatDiscount, money } from "../../src/core/money.ts";
import { STAGES } from "../customers/customer-profile.card.ts";

const KINDS: Record<string, string> = { visit: "拜访", call: "电话", message: "消息" };
const KIND_ORDER = ["visit", "call", "message"];
const STAGE_ORDER = Object.keys(STAGES);
const TOP = 5;
/** Ranking lines before the rest of the team is named on one line. */
const RANKED = 10;

export interface MetricsView {
  ref: string;
  /** 今天 | 本周 | 本月 | 上周 */
  periodLabel: string;
  /** Whose numbers: a person's name, "王五团队", "全公司". */
  scopeLabel: string;
  /** How many people the numbers cover, for a team. */
  people?: number;
  from: Date;
  to: Date;
  visitsByKind: { kind: string; count: number }[];
  newCustomers: number;
  /** amount: yuan as exact text ("12345.50"), from the database's Decimal sum */
  orders: { count: number; amount: string; listAmount?: string };
  /** Approvals of the scope's orders decided in the period: median and slowest hours to decide. */
  approvals?: { decided: number; medianHours: number | null; maxHours: number | null };
  pendingApprovals: number;
  overdue: number;
  funnel: { stage: string; count: number }[];
  /**
   * Dispatch of the scope's orders: approval → first shipment for first shipments in the period (median and
   * slowest, hours), and the orders waiting in dispatch now with how many have an open problem.
   */
  dispatch?: { shipped: number; medianHours: number | null; maxHours: number | null; open: number; problems: number };
  /** For a team lead: the open dispatch problems of the team's orders, oldest notice first. */
  problemsWaiting?: { number: string; customer: string; rep: string; reason: string; since: Date }[];
  /** Visits per person, for a team, everyone in it (zero visits too), ranked; omitted for one person. */
  topReps?: { name: string; count: number }[];
  /** The label of pendingApprovals: 待我审批 (default), 待其审批 on a colleague's card. */
  pendingLabel?: string;
  timeZone: string;
}

export function metricsCard(v: MetricsView): Card {
  const total = v.visitsByKind.reduce((n, k) => n + k.count, 0);
  const kinds = [...v.visitsByKind]
    .filter((k) => k.count > 0)
    .sort((a, b) => rank(KIND_ORDER, a.kind) - rank(KIND_ORDER, b.kind))
    .map((k) => `${KINDS[k.kind] ?? k.kind} ${k.count}`);
  const stages = [...v.funnel]
    .filter((s) => s.count > 0)
    .sort((a, b) => rank(STAGE_ORDER, a.stage) - rank(STAGE_ORDER, b.stage))
    .map((s) => `${STAGES[s.stage] ?? s.stage} ${s.count}`);
  const lines = [stages.length ? `客户阶段：${stages.join(" → ")}` : "客户阶段：还没有客户"];
  if (v.orders.listAmount && money(v.orders.listAmount).gt(money(v.orders.amount))) {
    const given = money(v.orders.listAmount).minus(money(v.orders.amount));
    lines.push(`折扣让利：${formatCny(given)}（整体 ${formatDiscount(discountFraction(v.orders.amount, v.orders.listAmount))}）`);
  }
  const h = (x: number | null) => (x === null ? "—" : x < 1 ? `${Math.round(x * 60)} 分钟` : `${x.toFixed(1)} 小时`);
  if (v.approvals && v.approvals.decided > 0) {
    lines.push(`审批用时：${v.approvals.decided} 个已决定，中位 ${h(v.approvals.medianHours)}，最慢 ${h(v.approvals.maxHours)}`);
  }
  if (v.dispatch && v.dispatch.shipped > 0) {
    lines.push(`发货用时（审批→首次发货）：${v.dispatch.shipped} 单，中位 ${h(v.dispatch.medianHours)}，最慢 ${h(v.dispatch.maxHours)}`);
  }
  if (v.topReps) {
    // Everyone is named, those without a visit too: the first RANKED one per line, the rest on one line.
    const all = [...v.topReps].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "zh-CN"));
    lines.push(all.some((r) => r.count > 0) ? "拜访排行：" : "拜访排行：本期还没有拜访记录");
    all.slice(0, RANKED).forEach((r, i) => lines.push(`${i + 1}. ${r.name} ${r.count} 次`));
    if (all.length > RANKED) lines.push(`其余：${all.slice(RANKED).map((r) => `${r.name} ${r.count} 次`).join("、")}`);
  }
  const problems = v.problemsWaiting ?? [];
  if (problems.length) {
    lines.push(`发货问题待处理（${problems.length}）：`);
    for (const p of problems.slice(0, TOP)) lines.push(`· ${p.number} ${p.customer}：${p.reason}（${p.rep}，${formatLocal(p.since, v.timeZone)}）`);
    if (problems.length > TOP) lines.push(`…还有 ${problems.length - TOP} 个`);
  }
  return {
    ref: v.ref,
    purpose: "metrics",
    title: `${v.periodLabel}业绩 · ${v.scopeLabel}`,
    subtitle: `${formatLocal(v.from, v.timeZone)} 至 ${formatLocal(v.to, v.timeZone)}${v.people && v.people > 1 ? `，共 ${v.people} 人` : ""}`,
    tone: v.overdue > 0 || problems.length > 0 ? "warning" : "info",
    fields: [
      { label: "拜访跟进", value: kinds.length ? `${total} 次（${kinds.join("、")}）` : "0 次" },
      { label: "新客户", value: `${v.newCustomers} 家` },
      { label: "订单", value: `${v.orders.count} 单 · ${formatCny(v.orders.amount)}` },
      { label: v.pendingLabel ?? "待我审批", value: `${v.pendingApprovals} 个` },
      { label: "逾期跟进", value: `${v.overdue} 项` },
      ...(v.dispatch ? [{ label: "待发货", value: `${v.dispatch.open} 单${v.dispatch.problems ? `（${v.dispatch.problems} 单有问题）` : ""}` }] : []),
    ],
    lines,
    buttons: [],
  };
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i < 0 ? order.length : i;
}
