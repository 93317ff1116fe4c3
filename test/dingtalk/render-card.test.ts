import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Card } from "../../src/core/card.ts";
import { BUTTON_SLOTS, cardMarkdown, cardParamMap, cardUpdateMarkdown } from "../../src/channels/dingtalk/render-card.ts";

const visit: Card = {
  ref: "crd_AbCdEfGhIjKlMnOp",
  purpose: "visit_confirm",
  title: "已记录拜访",
  subtitle: "到时会提醒你跟进",
  tone: "success",
  fields: [
    { label: "客户", value: "华东机电（新客户）" },
    { label: "需求数量", value: "200" },
  ],
  lines: ["「华东机电」在公海中"],
  buttons: [{ label: "撤销", action: "undo:crd_AbCdEfGhIjKlMnOp", style: "danger" }],
  textCommands: ["撤销"],
};

describe("DingTalk card variables", () => {
  it("maps title, fields and buttons to string variables, one slot per button", () => {
    const m = cardParamMap(visit);
    expect(m).toMatchObject({
      title: "已记录拜访",
      subtitle: "到时会提醒你跟进",
      tone: "success",
      fields_md: "- **客户**：华东机电（新客户）\n- **需求数量**：200",
      lines_md: "「华东机电」在公海中",
      has_status: "false",
      buttons_visible: "true",
      btn1_visible: "true",
      btn1_label: "撤销",
      btn1_action: "undo:crd_AbCdEfGhIjKlMnOp",
      btn1_style: "danger",
      btn2_visible: "false",
      btn2_label: "",
      commands_hint: "也可以直接回复：「撤销」",
    });
    for (const v of Object.values(m)) expect(typeof v).toBe("string");
  });

  it("hides every button once the card shows a decision, and sends every key so an update clears old ones", () => {
    const m = cardParamMap({ ...visit, buttons: [], status: { text: "已撤销", tone: "info" } });
    expect(m).toMatchObject({ has_status: "true", status_text: "已撤销", status_tone: "info", buttons_visible: "false", btn1_visible: "false", btn1_action: "" });
    expect(Object.keys(m).sort()).toEqual(Object.keys(cardParamMap(visit)).sort());
  });

  it("fills at most the template's button slots", () => {
    const many = { ...visit, buttons: Array.from({ length: 8 }, (_, i) => ({ label: `b${i}`, action: `pick:crd_AbCdEfGhIjKlMnOp:${i}` })) };
    const m = cardParamMap(many);
    expect(m[`btn${BUTTON_SLOTS}_label`]).toBe(`b${BUTTON_SLOTS - 1}`);
    expect(m[`btn${BUTTON_SLOTS + 1}_label`]).toBeUndefined();
  });

  it("names exactly the variables documented in cards/dingtalk/sales-card.template.json", () => {
    const doc = JSON.parse(readFileSync(new URL("../../cards/dingtalk/sales-card.template.json", import.meta.url), "utf8")) as { variables: { name: string }[] };
    expect(doc.variables.map((v) => v.name).sort()).toEqual(Object.keys(cardParamMap(visit)).sort());
  });
});

describe("DingTalk markdown fallback", () => {
  it("shows the card and its text commands instead of buttons", () => {
    const md = cardMarkdown(visit);
    expect(md.title).toBe("已记录拜访");
    expect(md.text).toContain("### ✅ 已记录拜访");
    expect(md.text).toContain("- **客户**：华东机电（新客户）");
    expect(md.text).toContain("也可以直接回复：「撤销」");
    expect(md.text).not.toContain("undo:");
  });

  it("shows the status instead of commands after a decision", () => {
    const md = cardMarkdown({ ...visit, buttons: [], status: { text: "已撤销", tone: "info" } });
    expect(md.text).toContain("**ℹ️ 已撤销**");
    expect(md.text).not.toContain("也可以直接回复");
    expect(cardUpdateMarkdown({ ...visit, status: { text: "已撤销", tone: "info" } }).text).toBe("### 已记录拜访\n\n**ℹ️ 已撤销**");
  });
});
