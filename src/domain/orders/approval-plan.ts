// Who must approve an order, and why (rules.approval of the org file). Pure: the caller passes the rep, the
// managers above the rep (nearest first) and, when rules.approval.director names someone, that person.
//
// - Authority is judged on the largest line discount (the order's discount is their weighted mean, so one deep
//   line cannot hide behind cheap ones). A person's limit is the highest of their roles' discountLimits.
// - Within the rep's limit and below bigOrderAmount: approved at once.
// - Over the rep's limit, the chain is climbed from the rep's manager, one step per level, until a level's limit
//   covers the discount. A big order must also reach the director level (rules.approval.director if named, else
//   the nearest person above with the director role), added last; a big order within the rep's limit goes to the
//   director alone (the discount needs nobody, only the amount does).
// - A discount above even the director's limit still goes to the director (nobody above may grant more), and the
//   reason says so; the director may approve or reject. Without a director, the top of the chain decides.
// - Nobody above the rep at all: an AppError telling the admin whom to set in the org file.
import { AppError } from "../../core/app-error.ts";
import { formatDiscount, money, type Money } from "../../core/money.ts";
import type { ApprovalRules } from "./compliance.ts";
import { bigOrderText } from "./compliance.ts";
import type { ApprovalPlan, ApprovalReason, PlannedStep, PricedOrder } from "./order.types.ts";
import { maxLineDiscount } from "./pricing.ts";

export interface ChainPerson {
  id: string;
  name: string;
  roles: readonly string[];
}

const ROLE_LABEL: Record<string, string> = { rep: "销售", manager: "经理", director: "总监" };
type LimitRole = keyof ApprovalRules["discountLimits"];
const LIMIT_ROLES: readonly LimitRole[] = ["rep", "manager", "director"];

/** The highest discount any of the person's roles may grant, and the role it comes from. */
export function authorityOf(person: ChainPerson, rules: ApprovalRules): { limit: Money; role: LimitRole | null } {
  let best: { limit: Money; role: LimitRole | null } = { limit: money(0), role: null };
  for (const r of LIMIT_ROLES) {
    if (!person.roles.includes(r)) continue;
    const l = money(rules.discountLimits[r]);
    if (best.role === null || l.gt(best.limit)) best = { limit: l, role: r };
  }
  return best;
}

const pct = (d: Money) => formatDiscount(d, "percent");

export function planApproval(rep: ChainPerson, chain: readonly ChainPerson[], order: PricedOrder, rules: ApprovalRules, namedDirector?: ChainPerson | null): ApprovalPlan {
  const { discount, line } = maxLineDiscount(order);
  const repAuth = authorityOf(rep, rules);
  const big = order.total.gte(money(rules.bigOrderAmount));
  const director: ChainPerson | null = namedDirector ?? chain.find((p) => p.roles.includes("director")) ?? null;
  const overRep = discount.gt(repAuth.limit);
  // The director placing a big order within their own authority needs nobody.
  const needsDirector = big && director?.id !== rep.id;
  if (!overRep && !needsDirector) return { kind: "auto" };

  const reasons: ApprovalReason[] = [];
  const what = line && order.lines.length > 1 && !line.discount.eq(order.discount) ? `${line.name} 折扣` : "折扣";
  if (overRep) reasons.push({ code: "discount_over_limit", text: `${what} ${pct(discount)} 超出${ROLE_LABEL[repAuth.role ?? "rep"]}权限 ${pct(repAuth.limit)}` });
  if (needsDirector) reasons.push({ code: "big_order", text: bigOrderText(order, rules) });
  if (order.lines.some((l) => l.unitPrice.gt(l.listPrice))) reasons.push({ code: "above_list", text: "有产品单价高于价格表（规则允许，已标记）" });

  const steps: PlannedStep[] = [];
  const add = (p: ChainPerson, level: string) => steps.push({ seq: steps.length + 1, approverId: p.id, approverName: p.name, level });
  let covered = !overRep;
  // Climb only for the discount: a big order within authority goes straight to the director level.
  if (overRep) {
    for (const p of chain) {
      // The director level is added last, once; a named director replaces anyone else with the director role.
      if (director && (p.id === director.id || (namedDirector && p.roles.includes("director")))) break;
      add(p, p.roles.includes("director") ? "director" : "manager");
      if (authorityOf(p, rules).limit.gte(discount)) {
        covered = true;
        break;
      }
    }
  }
  if (!covered || needsDirector) {
    if (director) {
      add(director, "director");
      const limit = money(rules.discountLimits.director);
      const own = authorityOf(director, rules).limit;
      const top = own.gt(limit) ? own : limit;
      if (discount.gt(top)) reasons.push({ code: "discount_over_limit", text: `折扣 ${pct(discount)} 超出总监权限 ${pct(top)}，仍由总监${director.name}决定` });
    } else if (needsDirector) {
      throw new AppError(
        "no_director",
        `大单需要总监审批，但${rep.name}的上级中没有总监：请管理员在组织文件里给上级加上 roles: [director]，或设置 rules.approval.director。`,
      );
    } else if (steps.length > 0) {
      const last = chain[chain.length - 1]!;
      reasons.push({ code: "discount_over_limit", text: `折扣 ${pct(discount)} 超出所有审批人的权限，由最高一级${last.name}决定` });
    }
  }
  if (steps.length === 0) {
    throw new AppError("no_approver", `这笔订单需要审批，但${rep.name}没有上级：请管理员在组织文件里给${rep.name}设置 manager（或设置 rules.approval.director）。`);
  }
  return { kind: "steps", steps, reasons };
}

/** The text stored as Approval.rule and shown on the card: the reasons joined. */
export const ruleText = (reasons: readonly ApprovalReason[]) => reasons.map((r) => r.text).join("；");
