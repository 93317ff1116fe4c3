// The managers' lists (customers, follow-ups) on one card kind: at most PAGE_SIZE rows, numbered across pages,
// and a 下一页 button (typed twin: 下一页) while more rows remain.
import { defineCardSpec } from "../card-ref.ts";
import type { Card } from "../../src/core/card.ts";
import { formatLocal } from "../../src/core/local-time.ts";
import { STAGES } from "../customers/customer-profile.card.ts";

export const PAGE_SIZE = 10;

export const teamListSpec = defineCardSpec("team_list", ["next"]);

export interface CustomerListRow {
  name: string;
  idleDays: number;
  stage: string;
  level: string | null;
  owner: string;
}

export interface TaskListRow {
  title: string;
  customer: string | null;
  owner: string;
  due: Date;
}

export interface TeamListView {
  ref: string;
  title: string;
  /** Rows before this page (the first row is numbered offset + 1). */
  offset: number;
  total: number;
  /** Said when there is nothing to list. */
  empty: string;
  rows: { kind: "customers"; items: CustomerListRow[] } | { kind: "tasks"; items: TaskListRow[]; now: Date; showOwner: boolean };
  /** Whether more rows remain (a 下一页 button, and 下一页 typed). */
  more: boolean;
  /**
   * false: no button, 下一页 is typed. For WeCom, whose button cards hold only 160 characters of text (about four
   * rows): without buttons the card goes as markdown with every row. Default true.
   */
  button?: boolean;
  timeZone: string;
}

const DAY_MS = 86_400_000;

export function teamListCard(v: TeamListView): Card {
  const n = v.rows.items.length;
  const lines: string[] = [];
  if (v.rows.kind === "customers") {
    v.rows.items.forEach((c, i) =>
      lines.push(`${v.offset + i + 1}. ${c.name}｜${c.idleDays === 0 ? "今天跟进过" : `${c.idleDays}天未跟进`}｜${STAGES[c.stage] ?? c.stage}｜${c.level ? `${c.level}级` : "未分级"}｜${c.owner}`),
    );
  } else {
    const { now, showOwner } = v.rows;
    v.rows.items.forEach((t, i) => {
      const late = t.due < now ? `（逾期${Math.max(1, Math.floor((now.getTime() - t.due.getTime()) / DAY_MS))}天）` : "";
      const what = t.customer ? `${t.customer} ${t.title}` : t.title;
      lines.push(`${v.offset + i + 1}. ${showOwner ? `${t.owner}｜` : ""}${formatLocal(t.due, v.timeZone)}${late}｜${what}`);
    });
  }
  if (!n) lines.push(v.empty);
  if (v.more) lines.push(`还有 ${v.total - v.offset - n} 条，发送「下一页」继续。`);
  return {
    ref: v.ref,
    purpose: teamListSpec.purpose,
    title: v.title,
    subtitle: n ? `共 ${v.total} 条，第 ${v.offset + 1}–${v.offset + n} 条` : `共 ${v.total} 条`,
    tone: v.rows.kind === "tasks" && v.rows.items.some((t) => t.due < (v.rows as { now: Date }).now) ? "warning" : "info",
    fields: [],
    lines,
    buttons: v.more && v.button !== false ? [teamListSpec.button("next", v.ref, "下一页", { style: "primary" })] : [],
    ...(v.more ? { textCommands: ["下一页"] } : {}),
  };
}
