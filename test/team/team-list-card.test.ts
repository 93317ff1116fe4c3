// The list card template: numbered rows across pages, 下一页 while more remain, and on WeCom (button: false) every
// row as text with 下一页 typed, since a WeCom button card holds only 160 characters.
import { describe, expect, it } from "vitest";
import { renderCard } from "../../src/channels/wecom/render-card.ts";
import { teamListCard, type TeamListView } from "../../cards/team/team-list.card.ts";

const view = (over: Partial<TeamListView> = {}): TeamListView => ({
  ref: "crd_0123456789abcdef",
  title: "团队客户 · 王五团队",
  offset: 10,
  total: 25,
  empty: "还没有客户。",
  rows: { kind: "customers", items: Array.from({ length: 10 }, (_, i) => ({ name: `华东机电${i}号有限公司`, idleDays: i, stage: "proposal", level: i % 2 ? "A" : null, owner: "张三" })) },
  more: true,
  timeZone: "Asia/Shanghai",
  ...over,
});

describe("team list card", () => {
  it("numbers rows across pages and offers 下一页 while more remain", () => {
    const c = teamListCard(view());
    expect(c.subtitle).toBe("共 25 条，第 11–20 条");
    expect(c.lines![0]).toBe("11. 华东机电0号有限公司｜今天跟进过｜方案报价｜未分级｜张三");
    expect(c.lines![1]).toBe("12. 华东机电1号有限公司｜1天未跟进｜方案报价｜A级｜张三");
    expect(c.lines!.at(-1)).toBe("还有 5 条，发送「下一页」继续。");
    expect(c.buttons.map((b) => b.label)).toEqual(["下一页"]);
    expect(c.textCommands).toEqual(["下一页"]);
    expect(teamListCard(view({ more: false })).buttons).toEqual([]);
  });

  it("goes to WeCom whole, as markdown with 下一页 typed, when the button is left off", () => {
    const c = teamListCard(view({ button: false }));
    expect(c.buttons).toEqual([]);
    expect(c.textCommands).toEqual(["下一页"]);
    const wecom = renderCard(c) as { msgtype: string; markdown?: { content: string } };
    expect(wecom.msgtype).toBe("markdown");
    expect(wecom.markdown!.content).toContain("20. 华东机电9号有限公司");
    expect(wecom.markdown!.content).toContain("发送「下一页」继续");
  });
});
