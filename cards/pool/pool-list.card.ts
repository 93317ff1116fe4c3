// 公海客户: the pool customers, at most 10 a card, each with why and when it was released and its own 领取
// button; 下一页 shows the next ten.
import type { Card, CardButton } from "../../src/core/card.ts";
import { formatLocalDate } from "../../src/core/local-time.ts";
import { defineCardSpec } from "../card-ref.ts";

/** claim:<customerId> takes that customer (same limits as typed 领取); more shows the next page. */
export const poolListSpec = defineCardSpec("pool_list", ["claim", "more"]);

export const POOL_PAGE_SIZE = 10;

export interface PoolListView {
  ref: string;
  filter: string | null;
  offset: number;
  total: number;
  rows: { id: string; name: string; industry: string | null; region: string | null; releasedAt: Date | null; reason: string | null }[];
  timeZone: string;
  /**
   * With buttons (default). WeCom's button cards hold about four rows of text, so there the card goes without
   * buttons, as markdown with every row, and 领取 N / 下一页 are typed.
   */
  buttons?: boolean;
}

export function poolListCard(v: PoolListView): Card {
  const rows = v.rows.slice(0, POOL_PAGE_SIZE);
  const more = v.offset + rows.length < v.total;
  const buttons: CardButton[] = v.buttons === false ? [] : rows.map((r, i) => poolListSpec.button("claim", v.ref, `领取 ${i + 1}`, { arg: r.id, style: "primary" }));
  if (more && v.buttons !== false) buttons.push(poolListSpec.button("more", v.ref, "下一页", { style: "default" }));
  const scope = v.filter ? `「${v.filter}」相关的` : "";
  return {
    ref: v.ref,
    purpose: poolListSpec.purpose,
    title: `公海客户${v.filter ? `：${v.filter}` : ""}`,
    subtitle: v.total
      ? `共${v.total}个${scope}公海客户，第${v.offset + 1}-${v.offset + rows.length}个`
      : `公海里没有${scope}客户`,
    tone: "info",
    fields: rows.map((r, i) => ({
      label: `${i + 1}. ${r.name}`,
      value: [
        [r.industry, r.region].filter(Boolean).join(" · ") || null,
        r.releasedAt ? `${formatLocalDate(r.releasedAt, v.timeZone)} 释放` : "未分配",
        r.reason,
      ].filter(Boolean).join("，"),
    })),
    // Without buttons (WeCom shows this list as markdown) only the typed way is offered.
    lines: rows.length
      ? [`${buttons.length ? "点「领取 N」或" : ""}发送「领取 N」领取对应客户；也可以发送「领取 客户名」。${more && !buttons.length ? "发送「下一页」看后面的。" : ""}`]
      : ["有客户释放到公海后会出现在这里。"],
    buttons,
    textCommands: [...rows.map((_, i) => `领取 ${i + 1}`), ...(more ? ["下一页"] : [])],
  };
}
