// 规则: the rules in force, as the org file set them (defaults included), for an admin to check in chat.
import type { Card } from "../../src/core/card.ts";
import { formatCny, formatDiscount, type MoneyInput } from "../../src/core/money.ts";

export interface RulesView {
  discountLimits: { rep: number; manager: number; director: number };
  bigOrderAmount: MoneyInput;
  director?: string;
  approvalRemindAfterHours: number;
  approvalEscalateAfterHours: number;
  allowAboveList: boolean;
  dispatchRemindAfterHours: number;
  followUp: { defaultHour: number; defaultDays: number; escalateAfterHours: number };
  pool: { releaseAfterDays: number; warnDaysBefore: number; maxOwnedPerRep: number; maxClaimsPerDay: number };
  workingHours: { start: string; end: string };
  quietHours: string;
  schedule: { dailyTodo: string; dailyMetrics: string; weeklyMetrics: string; poolRelease: string };
  calendar: { extraHolidays: string[]; extraWorkdays: string[] };
  /** The directory sync's schedule and platforms, or null when the org file has no directory section. */
  directory: { schedule: string; platforms: string; fallbackManager?: string } | null;
}

const limit = (f: number) => (f === 0 ? "不能打折" : `最多${formatDiscount(f)}（${formatDiscount(f, "percent")}）`);

export function rulesCard(ref: string, v: RulesView): Card {
  const [quietFrom, quietTo] = v.quietHours.split("-");
  return {
    ref,
    purpose: "rules",
    title: "当前生效的规则",
    subtitle: "来自组织文件（未写的项用默认值）；修改组织文件后重启生效",
    tone: "info",
    fields: [
      { label: "销售折扣权限", value: limit(v.discountLimits.rep) },
      { label: "经理折扣权限", value: limit(v.discountLimits.manager) },
      { label: "总监折扣权限", value: limit(v.discountLimits.director) },
      { label: "大单金额", value: `${formatCny(v.bigOrderAmount)} 及以上需总监审批${v.director ? `（${v.director}）` : ""}` },
      { label: "工作时间", value: `${v.workingHours.start}–${v.workingHours.end}（法定工作日）` },
      { label: "免打扰", value: quietFrom === quietTo ? "无" : `${quietFrom}–${quietTo}` },
    ],
    lines: [
      `审批：等待超过${v.approvalRemindAfterHours}小时提醒审批人，超过${v.approvalEscalateAfterHours}小时转给上一级；高于标价${v.allowAboveList ? "允许但会标出" : "不允许"}`,
      `公海：${v.pool.releaseAfterDays}天未跟进释放到公海，提前${v.pool.warnDaysBefore}天提醒负责人；每人最多${v.pool.maxOwnedPerRep}个客户，每天最多领取${v.pool.maxClaimsPerDay}个`,
      `跟进：没说时间的默认${v.followUp.defaultDays}天后${v.followUp.defaultHour}点；逾期${v.followUp.escalateAfterHours}小时告诉经理`,
      `提醒：到期跟进提醒每分钟检查，免打扰时段内的提醒等到结束再发；发货通知${v.dispatchRemindAfterHours}个工作小时未处理提醒仓库`,
      `定时（cron）：待办 ${v.schedule.dailyTodo}，日报 ${v.schedule.dailyMetrics}，周报 ${v.schedule.weeklyMetrics}，公海释放 ${v.schedule.poolRelease}`,
      ...(v.calendar.extraHolidays.length || v.calendar.extraWorkdays.length
        ? [`公司日历：另休 ${v.calendar.extraHolidays.join("、") || "无"}；另上班 ${v.calendar.extraWorkdays.join("、") || "无"}`]
        : []),
      v.directory
        ? `通讯录同步：${v.directory.platforms}，定时 ${v.directory.schedule}${v.directory.fallbackManager ? `；离职交接默认给 ${v.directory.fallbackManager}` : ""}`
        : "通讯录同步：未配置（组织文件没有 directory 一节）",
    ],
    buttons: [],
  };
}
