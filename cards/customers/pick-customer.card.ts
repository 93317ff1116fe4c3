// Asked when the customer named in a message is new or could be one of several: never guess.
import type { Card, CardButton } from "../../src/core/card.ts";
import { defineCardSpec } from "../card-ref.ts";

/** pick:<index> or pick:new resumes the waiting request with that customer; cancel drops it. */
export const pickCustomerSpec = defineCardSpec("pick_customer", ["pick", "cancel"]);

export interface PickCustomerView {
  ref: string;
  query: string;
  candidates: { name: string }[];
  /** Offer to create a new customer named `query`. */
  allowNew: boolean;
  what: string; // "记录拜访"
  /** A line under the options, e.g. that close names belong to colleagues. */
  note?: string;
  /** Nothing matched: the candidates are only the closest existing names, offered beside 新建. */
  closestOnly?: boolean;
}

export function pickCustomerCard(v: PickCustomerView): Card {
  const buttons: CardButton[] = v.candidates.slice(0, 4).map((c, i) => pickCustomerSpec.button("pick", v.ref, c.name.slice(0, 20), { arg: String(i), style: "default" }));
  if (v.allowNew) buttons.push(pickCustomerSpec.button("pick", v.ref, `新建「${v.query.slice(0, 12)}」`, { arg: "new", style: "primary" }));
  buttons.push(pickCustomerSpec.button("cancel", v.ref, "取消", { style: "danger" }));
  return {
    ref: v.ref,
    purpose: pickCustomerSpec.purpose,
    title: v.candidates.length && !v.closestOnly ? `是哪个「${v.query}」？` : `「${v.query}」是新客户吗？`,
    subtitle: !v.candidates.length
      ? `确认后会新建客户并${v.what}`
      : v.closestOnly
        ? `如果是下面的已有客户，请选择后再${v.what}；都不是就新建`
        : `找到相近的客户，请选择后再${v.what}`,
    tone: "warning",
    fields: v.candidates.slice(0, 4).map((c, i) => ({ label: `选项${i + 1}`, value: c.name })),
    ...(v.note ? { lines: [v.note] } : {}),
    buttons,
    textCommands: [...v.candidates.slice(0, 4).map((_, i) => `选 ${i + 1}`), ...(v.allowNew ? ["新建"] : []), "取消"],
  };
}

