// A follow-up is due: act on it from the card.
import type { Card } from "../../src/core/card.ts";
import { formatLocal } from "../../src/core/local-time.ts";
import { actionKey } from "../card-ref.ts";

export interface ReminderView {
  ref: string;
  title: string;
  customer: string | null;
  dueAt: Date;
  timeZone: string;
}

export function reminderCard(v: ReminderView): Card {
  return {
    ref: v.ref,
    purpose: "reminder",
    title: "跟进提醒",
    subtitle: v.customer ? `【${v.customer}】${v.title}` : v.title,
    tone: "warning",
    fields: [
      ...(v.customer ? [{ label: "客户", value: v.customer }] : []),
      { label: "事项", value: v.title },
      { label: "时间", value: formatLocal(v.dueAt, v.timeZone) },
    ],
    buttons: [
      { label: "完成", action: actionKey("done", v.ref), style: "primary" },
      { label: "明天再提醒", action: actionKey("snooze", v.ref, "1d"), style: "default" },
      { label: "3天后", action: actionKey("snooze", v.ref, "3d"), style: "default" },
    ],
    textCommands: ["完成 1", "推迟 1 到明天上午10点"],
  };
}

export function reminderDoneCard(previous: Card, text: string): Card {
  return { ...previous, buttons: [], tone: "success", status: { text, tone: "success" } };
}
