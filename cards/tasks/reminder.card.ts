// A follow-up is due: act on it from the card.
import type { Card } from "../../src/core/card.ts";
import { formatLocal } from "../../src/core/local-time.ts";
import { defineCardSpec } from "../card-ref.ts";

/** done closes the follow-up; snooze:1d / snooze:3d moves it. */
export const reminderSpec = defineCardSpec("reminder", ["done", "snooze"]);

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
    purpose: reminderSpec.purpose,
    title: "跟进提醒",
    subtitle: v.customer ? `【${v.customer}】${v.title}` : v.title,
    tone: "warning",
    fields: [
      ...(v.customer ? [{ label: "客户", value: v.customer }] : []),
      { label: "事项", value: v.title },
      { label: "时间", value: formatLocal(v.dueAt, v.timeZone) },
    ],
    buttons: [
      reminderSpec.button("done", v.ref, "完成", { style: "primary" }),
      reminderSpec.button("snooze", v.ref, "明天再提醒", { arg: "1d", style: "default" }),
      reminderSpec.button("snooze", v.ref, "3天后", { arg: "3d", style: "default" }),
    ],
    // Typed, the follow-up is named (a number would mean the last to-do list shown, not this card).
    textCommands: [`完成 ${v.customer ?? v.title}`, `推迟 ${v.customer ?? v.title} 到明天上午10点`],
  };
}

export function reminderDoneCard(previous: Card, text: string): Card {
  return { ...previous, buttons: [], tone: "success", status: { text, tone: "success" } };
}
