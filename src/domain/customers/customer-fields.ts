// The customer fields a person may edit by chat (改 客户 华东机电 阶段 报价), their Chinese words and how a
// typed value is read. Pure: no I/O. Stage names are the ones the profile card shows (方案报价 …), with the
// short forms people type (报价, 谈判).
export type EditableField = "stage" | "level" | "industry" | "region" | "phone" | "address" | "tags";

export const FIELD_LABELS: Record<EditableField, string> = {
  stage: "阶段", level: "级别", industry: "行业", region: "区域", phone: "电话", address: "地址", tags: "标签",
};

/** Field words as typed, longest first (so 联系电话 wins over 电话). */
export const FIELD_WORDS: [string, EditableField][] = [
  ["联系电话", "phone"], ["收货地址", "address"], ["客户级别", "level"], ["所属行业", "industry"],
  ["阶段", "stage"], ["级别", "level"], ["等级", "level"], ["行业", "industry"], ["区域", "region"], ["地区", "region"],
  ["电话", "phone"], ["手机", "phone"], ["地址", "address"], ["标签", "tags"],
];

export const STAGE_LABELS: Record<string, string> = {
  lead: "线索", contacted: "已接触", qualified: "已确认需求", proposal: "方案报价", negotiation: "商务谈判", won: "成交", lost: "输单",
};

const STAGE_WORDS: [RegExp, string][] = [
  [/^(?:线索|新线索)$/, "lead"],
  [/^(?:已接触|接触|初步接触)$/, "contacted"],
  [/^(?:已确认需求|确认需求|需求确认|需求)$/, "qualified"],
  [/^(?:方案报价|报价|方案|已报价)$/, "proposal"],
  [/^(?:商务谈判|谈判|议价)$/, "negotiation"],
  [/^(?:成交|赢单|已成交|签约)$/, "won"],
  [/^(?:输单|丢单|失败|流失)$/, "lost"],
];

export type CustomerEdit =
  | { field: "stage"; value: string }
  | { field: "level"; value: "A" | "B" | "C" }
  | { field: "industry" | "region" | "address" | "phone"; value: string }
  | { field: "tags"; add: string[]; remove: string[] };

export type EditParse = { ok: true; edit: CustomerEdit } | { ok: false; problem: string };

const MAX_LEN: Record<"industry" | "region" | "address", number> = { industry: 32, region: 32, address: 200 };

/** Reads the value typed for a field; a value it cannot read is a problem to tell the person, never a guess. */
export function parseFieldValue(field: EditableField, raw: string): EditParse {
  const v = raw.trim().replace(/[。.]$/, "");
  if (!v) return { ok: false, problem: `请写上新的${FIELD_LABELS[field]}。` };
  switch (field) {
    case "stage": {
      const stage = STAGE_WORDS.find(([re]) => re.test(v))?.[1];
      return stage ? { ok: true, edit: { field, value: stage } } : { ok: false, problem: `没有「${v}」这个阶段。可选：${Object.values(STAGE_LABELS).join("、")}。` };
    }
    case "level": {
      const m = /^([ABCabc])\s*(?:级|类)?$/.exec(v);
      return m ? { ok: true, edit: { field, value: m[1]!.toUpperCase() as "A" | "B" | "C" } } : { ok: false, problem: `级别只能是 A、B 或 C，例如：改 客户 华东机电 级别 A` };
    }
    case "phone": {
      const phone = v.replace(/[\s-]/g, "");
      return /^\+?\d{5,20}$/.test(phone) ? { ok: true, edit: { field, value: phone } } : { ok: false, problem: `「${v}」不像电话号码，例如：改 客户 华东机电 电话 13800138000` };
    }
    case "tags": {
      const add: string[] = [];
      const remove: string[] = [];
      let mode: "add" | "remove" = "add";
      for (const token of v.split(/[\s,，、;；]+/).filter(Boolean)) {
        const m = /^(\+|-|＋|－|加|添加|增加|删|删除|去掉|移除)?(.*)$/.exec(token)!;
        if (m[1]) mode = /^[+＋加添增]/.test(m[1]) ? "add" : "remove";
        const tag = m[2]!.trim();
        if (!tag) continue;
        if (tag.length > 16) return { ok: false, problem: `标签「${tag}」太长了（最多16个字）。` };
        (mode === "add" ? add : remove).push(tag);
      }
      return add.length || remove.length ? { ok: true, edit: { field, add, remove } } : { ok: false, problem: "请写上要加或删的标签，例如：改 客户 华东机电 标签 +重点 -老客户" };
    }
    default: {
      if (v.length > MAX_LEN[field]) return { ok: false, problem: `${FIELD_LABELS[field]}太长了（最多${MAX_LEN[field]}个字）。` };
      return { ok: true, edit: { field, value: v } };
    }
  }
}

/** How a field's value reads on a reply. */
export function showValue(field: EditableField, value: unknown): string {
  if (value === null || value === undefined || value === "") return "（空）";
  if (field === "stage") return STAGE_LABELS[String(value)] ?? String(value);
  if (Array.isArray(value)) return value.length ? value.join("、") : "（无）";
  return String(value);
}
