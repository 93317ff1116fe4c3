// Told to the manager when a rep's follow-up stays overdue.
import type { Card } from "../../src/core/card.ts";
import { formatLocal } from "../../src/core/local-time.ts";

export interface EscalationView {
  ref: string;
  repName: string;
  title: string;
  customer: string | null;
  dueAt: Date;
  hoursOverdue: number;
  timeZone: string;
}

export function escalationCard(v: EscalationView): Card {
  return {
    ref: v.ref,
    purpose: "escalation",
    title: "跟进逾期提醒",
    subtitle: `${v.repName}有一项跟进已逾期 ${v.hoursOverdue} 小时`,
    tone: "danger",
    fields: [
      { label: "负责人", value: v.repName },
      ...(v.customer ? [{ label: "客户", value: v.customer }] : []),
      { label: "事项", value: v.title },
      { label: "原定时间", value: formatLocal(v.dueAt, v.timeZone) },
    ],
    buttons: [],
  };
}
