import type { Card } from "../../src/core/card.ts";

type Role = "rep" | "manager" | "director" | "warehouse" | "admin";

/**
 * One line of the help; `roles`: only people with one of these roles can do it (default: the whole sales side).
 * `keys`: words that point to this line when a message is not understood (价格/多少钱 → 查价格, 折扣 → 下单, SO-… → 查订单), besides
 * the words it shares with `what` and `example`.
 */
export interface HelpExample {
  what: string;
  example: string;
  roles?: readonly Role[];
  keys?: RegExp;
}

export const HELP_EXAMPLES: HelpExample[] = [
  { what: "记录拜访", example: "今天拜访了华东机电的王经理，下季度要200台电机，预算紧，下周三带报价再去", keys: /拜访|见了|去了|聊了|约了|沟通|打了?电话|客户说|客户问|客户要|对方问|跟进记录|联系了/g },
  { what: "查客户", example: "客户 华东机电", keys: /客户资料|查客户|客户信息|联系方式|哪家客户/g },
  { what: "我的待办", example: "我的待办", keys: /待办|任务|逾期|过期|要做|提醒|todo/gi },
  { what: "完成待办（编号按最近发给你的待办列表）", example: "完成 1", keys: /完成|做完|搞定|办完|办好/g },
  { what: "推迟待办", example: "推迟 1 到明天下午3点", keys: /推迟|延后|延期|改到|晚点|再提醒/g },
  { what: "修改刚记录的拜访", example: "改 跟进 下周五下午3点 / 改 联系人 王总", keys: /写错|记错|错了|更正|跟进时间|联系人/g },
  { what: "公海客户（每个都有领取按钮）", example: "公海客户 / 公海 电机", keys: /公海|没人跟|无主/g },
  { what: "公海领取", example: "领取 华东机电", roles: ["rep", "manager"], keys: /领取|认领|领/g },
  { what: "修改客户资料（阶段、级别、行业、区域、电话、地址、标签）", example: "改 客户 华东机电 阶段 报价", keys: /阶段|级别|行业|区域|标签|地址|电话/g },
  { what: "业绩统计", example: "本周业绩", keys: /业绩|数据|统计|多少单|销售额|排名|kpi/gi },
  { what: "查价格（含你可直接给的最低价；写数量算总价）", example: "价格表 / 电机A多少钱 / 电机A 200台多少钱 / 变频器 单价", keys: /价格|价钱|多少钱|单价|报价|标价|价目|几块|产品|卖什么|什么价|啥价|底价|最低价|权限|能给|总价|合计多少|一共多少钱/g },
  { what: "下单", example: "下单 华东机电 电机A 200台 单价4500", roles: ["rep", "manager", "director"], keys: /下单|下个单|订货|要货|采购|几折|折扣|优惠/g },
  { what: "审批折扣（轮到你审批时）", example: "同意 SO-20261123-001 / 驳回 SO-20261123-001 价格太低", roles: ["manager", "director"], keys: /同意|驳回|审批|批准|不批|能批|批一下|折扣/g },
  { what: "待审批的订单（最早的在前，审批 N 调出审批卡片）", example: "待审批 / 审批 1", roles: ["manager", "director"], keys: /待审批|待批|要审批|没批|没审|审批列表|我的审批/g },
  { what: "查订单", example: "订单 SO-20261123-001 / 我的订单 / 撤回 SO-20261123-001", keys: /SO-?\d|订单|单号|撤回|进度|改单/gi },
  { what: "我的订单等谁批、等了多久", example: "我的订单批了吗", roles: ["rep"], keys: /等审批|审批了吗|审批了没|批了没|批了吗|审批到哪|在审批/g },
  { what: "被驳回的订单：修改后重新提交（或点订单卡片上的按钮）", example: "重新提交 SO-20261123-001 单价4800 / 撤回 SO-20261123-001", roles: ["rep", "manager", "director"], keys: /重新提交|再提交|重提|改价|改单|驳回|被拒|打回|修改订单/g },
];

/** What a manager, director or admin can look at besides (scoped: a manager's team, all levels below; the rest everyone). */
export const MANAGER_HELP_EXAMPLES: HelpExample[] = [
  { what: "团队客户（10条一页，下一页继续）", example: "团队客户 / 我的客户 / 张三的客户", keys: /团队|组里|大家|下属|名下|谁的客户/g },
  { what: "按阶段看客户", example: "客户列表 阶段=报价", keys: /阶段|线索|报价|谈判|成交|输单|丢单/g },
  { what: "久未跟进的客户", example: "超过7天没跟进的客户", keys: /没跟|没联系|没拜访|好久|多久|\d+天|[一二两三四五六七八九十]+天/g },
  { what: "团队待办", example: "团队待办 / 张三的待办 / 逾期跟进", keys: /待办|任务|逾期|过期|超期|团队|大家/g },
  { what: "某人的业绩", example: "李四本周业绩", keys: /业绩|数据|表现|kpi|拜访了?多少|怎么样|咋样/gi },
  { what: "也可以直接问", example: "谁的跟进逾期了 / 李四手上有哪些客户 / 这个月团队业绩怎么样" },
  { what: "转交客户（连同未完成的待办）", example: "转交 宁波东方轴承 给 张三 / 转交 张三 的客户 给 李四", keys: /转交|转给|交给|移交|离职|接手/g },
];

/** Understood already, answered with "coming soon" until their flows land. */
export const COMING_SOON: string[] = [];

/** What warehouse staff can do (no customers, prices or sales figures). */
export const WAREHOUSE_HELP_EXAMPLES: HelpExample[] = [
  { what: "我的待办", example: "我的待办", keys: /待办|任务|提醒/g },
  { what: "待发货列表", example: "待发货", keys: /待发|要发|没发|出库|备货|发哪些/g },
  { what: "确认发货（或点发货通知上的「确认发货」）", example: "发货 SO-20261123-001 顺丰 SF1234567890123", keys: /发货|发了|发出|快递|物流|单号|顺丰|德邦|京东|SO-?\d/gi },
  { what: "部分发货", example: "发货 SO-20261123-001 电机A 60台 德邦 DPK300123456789", keys: /部分|分批|先发|只发|剩下/g },
  { what: "报告问题", example: "SO-20261123-001 缺货", keys: /缺货|没货|断货|问题|破损|发不了|地址不对|联系不上/g },
  { what: "问题解决后", example: "恢复 SO-20261123-001", keys: /恢复|到货|解决|补上|可以发了/g },
  { what: "客户签收", example: "已签收 SO-20261123-001", keys: /签收|收到|到了|送到/g },
  { what: "查订单（不含价格）", example: "订单 SO-20261123-001", keys: /订单|查单|到哪|进度|状态|SO-?\d/gi },
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
