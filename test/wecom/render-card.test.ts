import { describe, expect, it } from "vitest";
import { PermanentSendError } from "../../src/core/app-error.ts";
import type { Card } from "../../src/core/card.ts";
import { cut, LIMITS, renderCard, renderCardUpdate, statusText } from "../../src/channels/wecom/render-card.ts";

const card = (over: Partial<Card> = {}): Card => ({
  ref: "crd_abcdefgh12345678",
  purpose: "visit_confirm",
  title: "已记录拜访",
  subtitle: "到时会提醒你跟进",
  tone: "success",
  fields: [
    { label: "客户", value: "华东机电（新客户）" },
    { label: "联系人", value: "王经理" },
  ],
  lines: ["「华东机电」在公海中"],
  buttons: [{ label: "撤销", action: "undo:crd_abcdefgh12345678", style: "danger" }],
  ...over,
});

describe("renderCard", () => {
  it("renders an interactive card as a button_interaction template card keyed by the card ref", () => {
    const r = renderCard(card());
    expect(r).toEqual({
      msgtype: "template_card",
      template_card: {
        card_type: "button_interaction",
        source: { desc: "销售助手", desc_color: 3 },
        main_title: { title: "已记录拜访", desc: "到时会提醒你跟进" },
        sub_title_text: "「华东机电」在公海中",
        horizontal_content_list: [
          { keyname: "客户", value: "华东机电（新客户）" },
          { keyname: "联系人", value: "王经理" },
        ],
        task_id: "crd_abcdefgh12345678",
        button_list: [{ text: "撤销", style: 3, key: "undo:crd_abcdefgh12345678" }],
      },
    });
  });

  it("maps button styles primary/default/danger to 1/2/3 (default when unset)", () => {
    const r = renderCard(card({ buttons: [
      { label: "a", action: "a:x", style: "primary" },
      { label: "b", action: "b:x" },
      { label: "c", action: "c:x", style: "danger" },
    ] }));
    if (r.msgtype !== "template_card") throw new Error("expected a template card");
    expect(r.template_card.button_list.map((b) => b.style)).toEqual([1, 2, 3]);
  });

  it("keeps WeCom's limits: 6 fields, 6 buttons, cut titles, values and labels", () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ label: `很长的字段名称${i}`, value: "值".repeat(50) }));
    const buttons = Array.from({ length: 8 }, (_, i) => ({ label: "一个非常非常长的按钮文字", action: `pick:crd_x:${i}` }));
    const r = renderCard(card({ title: "标".repeat(60), subtitle: "副".repeat(60), fields: many, buttons, lines: ["行".repeat(300)] }));
    if (r.msgtype !== "template_card") throw new Error("expected a template card");
    const t = r.template_card;
    expect(t.horizontal_content_list).toHaveLength(6);
    expect(t.button_list).toHaveLength(6);
    expect([...t.main_title.title]).toHaveLength(LIMITS.title);
    expect([...(t.main_title.desc ?? "")]).toHaveLength(LIMITS.desc);
    expect([...(t.sub_title_text ?? "")]).toHaveLength(LIMITS.subTitle);
    expect(t.horizontal_content_list![0]).toEqual({ keyname: "很长的字…", value: "值".repeat(29) + "…" });
    expect(t.button_list[0]!.text).toBe("一个非常非常长的按…");
  });

  it("refuses what WeCom would refuse: bad task_id, duplicate keys, keys over 1024 bytes", () => {
    expect(() => renderCard(card({ ref: "has space" }))).toThrow(PermanentSendError);
    expect(() => renderCard(card({ ref: "x".repeat(129) }))).toThrow(PermanentSendError);
    const dup = [{ label: "a", action: "k:1" }, { label: "b", action: "k:1" }];
    expect(() => renderCard(card({ buttons: dup }))).toThrow(PermanentSendError);
    expect(() => renderCard(card({ buttons: [{ label: "a", action: "键".repeat(342) }] }))).toThrow(PermanentSendError);
    expect(() => renderCard(card({ buttons: [{ label: "a", action: "k".repeat(1024) }] }))).not.toThrow();
  });

  it("sends a card without buttons as markdown (text_notice would need a URL to open)", () => {
    const r = renderCard(card({ buttons: [], tone: "info" }));
    expect(r.msgtype).toBe("markdown");
    if (r.msgtype !== "markdown") return;
    expect(r.markdown.content).toBe(
      ["**已记录拜访**", '<font color="comment">到时会提醒你跟进</font>', "> 客户：华东机电（新客户）", "> 联系人：王经理", "「华东机电」在公海中"].join("\n"),
    );
  });

  it("sends a decided card as markdown with its status instead of buttons", () => {
    const r = renderCard(card({ status: { text: "已撤销", tone: "info" } }));
    expect(r.msgtype).toBe("markdown");
    if (r.msgtype === "markdown") expect(r.markdown.content.endsWith('<font color="comment">已撤销</font>')).toBe(true);
  });

  it("keeps markdown within 2048 bytes and links an image", () => {
    const r = renderCard(card({ buttons: [], lines: ["字".repeat(1000)], imageUrl: "https://example.com/chart.png" }));
    if (r.msgtype !== "markdown") throw new Error("expected markdown");
    expect(Buffer.byteLength(r.markdown.content)).toBeLessThanOrEqual(2048);
    const withImage = renderCard(card({ buttons: [], lines: [], imageUrl: "https://example.com/chart.png" }));
    if (withImage.msgtype === "markdown") expect(withImage.markdown.content).toContain("[查看图片](https://example.com/chart.png)");
  });

  it("makes the whole card open its image when it has one", () => {
    const r = renderCard(card({ imageUrl: "https://example.com/chart.png" }));
    if (r.msgtype === "template_card") expect(r.template_card.card_action).toEqual({ type: 1, url: "https://example.com/chart.png" });
  });
});

describe("renderCardUpdate", () => {
  it("greys the buttons out with the status text once decided", () => {
    expect(renderCardUpdate(card({ buttons: [], status: { text: "已撤销，本条记录及其提醒已删除", tone: "info" } }))).toEqual({
      button: { replace_name: "已撤销，本条记录及其提醒已删除" },
    });
  });

  it("replaces the whole card while it still has buttons, and gives up (null) otherwise", () => {
    const u = renderCardUpdate(card());
    expect(u && "template_card" in u && u.template_card.task_id).toBe("crd_abcdefgh12345678");
    expect(renderCardUpdate(card({ buttons: [] }))).toBeNull();
  });

  it("has a text fallback naming the card", () => {
    expect(statusText(card({ status: { text: "已撤销", tone: "info" } }))).toBe("「已记录拜访」已撤销");
  });
});

describe("cut", () => {
  it("counts code points, never splitting an emoji", () => {
    expect(cut("😀😀😀", 2)).toBe("😀…");
    expect(cut("abc", 3)).toBe("abc");
  });
});
