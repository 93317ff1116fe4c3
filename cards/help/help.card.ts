import type { Card } from "../../src/core/card.ts";

type Role = "rep" | "manager" | "director" | "warehouse" | "admin";

/** One line of the sales help; `roles`: only people with one of these roles can do it (default: the whole sales side). */
export interface HelpExample {
  what: string;
  example: string;
  roles?: readonly Role[];
}

export const HELP_EXAMPLES: HelpExample[] = [
  { what: "记录拜访", example: "今天拜访了华东机电的王经理，下季度要200台电机，预算紧，下周三带报价再去" },
  { what: "查客户", example: "客户 华东机电" },
  { what: "我的待办", example: "我的待办" },
  { what: "完成待办（编号按最近发给你的待办列表）", example: "完成 1" },
  { what: "推迟待办", example: "推迟 1 到明天下午3点" },
  { what: "修改刚记录的拜访", example: "改 跟进 下周五下午3点 / 改 联系人 王总" },
  { what: "公海客户（每个都有领取按钮）", example: "公海客户 / 公海 电机" },
  { what: "公海领取", example: "领取 华东机电", roles: ["rep", "manager"] },
  { what: "修改客户资料（阶段、级别、行业、区域、电话、地址、标签）", example: "改 客户 华东机电 阶段 报价" },
  { what: "业绩统计", example: "本周业绩" },
  { what: "下单", example: "下单 华东机电 电机A 200台 单价4500", roles: ["rep", "manager", "director"] },
  { what: "审批折扣（轮到你审批时）", example: "同意 SO-20261123-001 / 驳回 SO-20261123-001 价格太低", roles: ["manager", "director"] },
  { what: "查订单", example: "订单 SO-20261123-001 / 我的订单 / 撤回 SO-20261123-001" },
];

/** What a manager, director or admin can look at besides (scoped: a manager's team, all levels below; the rest everyone). */
export const MANAGER_HELP_EXAMPLES: HelpExample[] = [
  { what: "团队客户（10条一页，下一页继续）", example: "团队客户 / 我的客户 / 张三的客户" },
  { what: "按阶段看客户", example: "客户列表 阶段=报价" },
  { what: "久未跟进的客户", example: "超过7天没跟进的客户" },
  { what: "团队待办", example: "团队待办 / 张三的待办 / 逾期跟进" },
  { what: "某人的业绩", example: "李四本周业绩" },
  { what: "转交客户（连同未完成的待办）", example: "转交 宁波东方轴承 给 张三 / 转交 张三 的客户 给 李四" },
];

/** Understood already, answered with "coming soon" until their flows land. */
export const COMING_SOON: string[] = [];

/** What warehouse staff can do (no customers, prices or sales figures). */
export const WAREHOUSE_HELP_EXAMPLES: { what: string; example: string }[] = [
  { what: "我的待办", example: "我的待办" },
  { what: "待发货列表", example: "待发货" },
  { what: "确认发货（或点发货通知上的「确认发货」）", example: "发货 SO-20261123-001 顺丰 SF1234567890123" },
  { what: "部分发货", example: "发货 SO-20261123-001 电机A 60台 德邦 DPK300123456789" },
  { what: "报告问题", example: "SO-20261123-001 缺货" },
  { what: "问题解决后", example: "恢复 SO-20261123-001" },
  { what: "客户签收", example: "已签收 SO-20261123-001" },
  { what: "查订单（不含价格）", example: "订单 SO-20261123-001" },
];

export function warehouseHelpCard(ref: string, intro?: string): Card {
  return {
    ref,
    purpose: "help",
    title: "仓库同事可以这样用",
    subtitle: intro,
    tone: "info",
    fields: [],
    lines: WAREHOUSE_HELP_EXAMPLES.map((e) => `· ${e.what}：${e.example}`),
    buttons: [],
  };
}

const ROLE_NAMES: Record<Role, string> = { rep: "销售", manager: "经理", director: "总监", warehouse: "仓库", admin: "管理员" };
const LEAD_ROLES: readonly string[] = ["manager", "director", "admin"];

/** The sales help lines this person can use: the examples for their roles only. */
export function helpExamplesFor(roles: readonly string[]): HelpExample[] {
  return HELP_EXAMPLES.filter((e) => !e.roles || e.roles.some((r) => roles.includes(r)));
}

/**
 * The help of someone on the sales side, by role: what a rep can do; a manager or director also approves and
 * gets the team section; an admin the team section and what admins do instead of ordering or approving. A person
 * who also works in the warehouse gets that section too.
 */
export function helpCard(ref: string, intro: string | undefined, roles: readonly string[]): Card {
  const known = roles.filter((r): r is Role => r in ROLE_NAMES);
  const lead = roles.some((r) => LEAD_ROLES.includes(r));
  return {
    ref,
    purpose: "help",
    title: "销售助手能帮你做这些",
    subtitle: intro,
    tone: "info",
    fields: [{ label: "你的角色", value: known.map((r) => ROLE_NAMES[r]).join("、") || "—" }],
    lines: [
      ...helpExamplesFor(roles).map((e) => `· ${e.what}：${e.example}`),
      ...(lead ? ["管理团队：", ...MANAGER_HELP_EXAMPLES.map((e) => `· ${e.what}：${e.example}`)] : []),
      ...(roles.includes("admin") && !roles.some((r) => r === "rep" || r === "manager" || r === "director")
        ? ["管理员不下单、不领取、不审批：人员、角色和审批规则在组织文件里维护。"]
        : []),
      ...(roles.includes("warehouse") ? ["仓库：", ...WAREHOUSE_HELP_EXAMPLES.filter((e) => e.example !== "我的待办").map((e) => `· ${e.what}：${e.example}`)] : []),
      ...(COMING_SOON.length ? [`即将上线：${COMING_SOON.join("、")}`] : []),
    ],
    buttons: [],
  };
}
