// Our platform-neutral Card → WeCom message bodies. Pure: no I/O, one spec (test/wecom/render-card.test.ts).
// Interactive cards are `button_interaction` template cards (the only kind whose clicks call us back and that
// can be updated). A card with nothing to click (no buttons, or already decided) becomes a markdown message:
// `text_notice` would need a card_action URL we do not have.
import { PermanentSendError } from "../../core/app-error.ts";
import type { Card, CardButton, Tone } from "../../core/card.ts";

/** Soft limits from WeCom's template-card doc (90236, app messages: "建议不超过…"); longer text is cut with "…". */
export const LIMITS = { title: 36, desc: 44, subTitle: 160, keyname: 5, value: 30, button: 10, replaceName: 20, fields: 6, buttons: 6 };
/** Hard limits (the API refuses): task_id charset/length (42014), key bytes, markdown bytes. */
const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/;
const KEY_MAX_BYTES = 1024;
const MARKDOWN_MAX_BYTES = 2048;
export const SOURCE_NAME = "销售助手";

export interface TemplateCard {
  card_type: "button_interaction";
  source: { desc: string; desc_color: number };
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  horizontal_content_list?: { keyname: string; value: string }[];
  card_action?: { type: 1; url: string };
  task_id: string;
  button_list: { text: string; style: number; key: string }[];
}

export type RenderedCard =
  | { msgtype: "template_card"; template_card: TemplateCard }
  | { msgtype: "markdown"; markdown: { content: string } };

export type RenderedUpdate = { button: { replace_name: string } } | { template_card: TemplateCard };

/** WeCom styles 1–4 (doc 90236 shows them as an image): 1 blue, 2 plain, 3 red; 4 is not used. */
const STYLE: Record<NonNullable<CardButton["style"]>, number> = { primary: 1, default: 2, danger: 3 };
/** source.desc_color: 0 grey, 1 black, 2 red, 3 green. */
const DESC_COLOR: Record<Tone, number> = { info: 0, success: 3, warning: 1, danger: 2 };
const MD_COLOR: Record<Tone, string> = { info: "comment", success: "info", warning: "warning", danger: "warning" };

export function renderCard(card: Card): RenderedCard {
  if (card.buttons.length > 0 && !card.status) return { msgtype: "template_card", template_card: templateCard(card) };
  return { msgtype: "markdown", markdown: { content: markdown(card) } };
}

/** How to show a card's new state through update_template_card; null when only a text can say it. */
export function renderCardUpdate(card: Card): RenderedUpdate | null {
  if (card.status) return { button: { replace_name: cut(card.status.text, LIMITS.replaceName) } };
  if (card.buttons.length > 0) return { template_card: templateCard(card) };
  return null;
}

/** The fallback when a card cannot be updated in place (no response code, or WeCom refused it). */
export function statusText(card: Card): string {
  return card.status ? `「${card.title}」${card.status.text}` : `「${card.title}」已更新`;
}

export function templateCard(card: Card): TemplateCard {
  if (!TASK_ID.test(card.ref)) throw new PermanentSendError(`card ref ${JSON.stringify(card.ref)} is not a valid WeCom task_id`);
  const buttons = card.buttons.slice(0, LIMITS.buttons).map(button);
  if (new Set(buttons.map((b) => b.key)).size !== buttons.length) throw new PermanentSendError(`card ${card.ref} has duplicate button keys`);
  const fields = card.fields.slice(0, LIMITS.fields).map((f) => ({ keyname: cut(f.label, LIMITS.keyname), value: cut(f.value, LIMITS.value) }));
  const sub = (card.lines ?? []).filter((l) => l.trim()).join("\n");
  return {
    card_type: "button_interaction",
    source: { desc: SOURCE_NAME, desc_color: DESC_COLOR[card.tone ?? "info"] },
    main_title: { title: cut(card.title, LIMITS.title), ...(card.subtitle ? { desc: cut(card.subtitle, LIMITS.desc) } : {}) },
    ...(sub ? { sub_title_text: cut(sub, LIMITS.subTitle) } : {}),
    ...(fields.length ? { horizontal_content_list: fields } : {}),
    ...(isHttpUrl(card.imageUrl) ? { card_action: { type: 1 as const, url: card.imageUrl } } : {}),
    task_id: card.ref,
    button_list: buttons,
  };
}

function button(b: CardButton): TemplateCard["button_list"][number] {
  if (!b.action || Buffer.byteLength(b.action) > KEY_MAX_BYTES) throw new PermanentSendError(`button key must be 1..${KEY_MAX_BYTES} bytes`);
  return { text: cut(b.label, LIMITS.button), style: STYLE[b.style ?? "default"], key: b.action };
}

/**
 * A card for a WeCom group chat (appchat/send): app chats carry no template cards, so the card is markdown and its
 * buttons become the commands to type to the bot instead.
 */
export function groupMarkdown(card: Card): string {
  const typed = card.buttons.length && !card.status ? (card.textCommands ?? []).map((c) => `回复机器人：${c}`) : [];
  return markdown({ ...card, lines: [...(card.lines ?? []), ...typed] });
}

function markdown(card: Card): string {
  const out = [`**${card.title}**`];
  if (card.subtitle) out.push(`<font color="comment">${card.subtitle}</font>`);
  for (const f of card.fields) out.push(`> ${f.label}：${f.value}`);
  for (const l of card.lines ?? []) if (l.trim()) out.push(l);
  if (isHttpUrl(card.imageUrl)) out.push(`[查看图片](${card.imageUrl})`);
  if (card.status) out.push(`<font color="${MD_COLOR[card.status.tone]}">${card.status.text}</font>`);
  return cutBytes(out.join("\n"), MARKDOWN_MAX_BYTES);
}

function isHttpUrl(u: string | undefined): u is string {
  return !!u && /^https?:\/\/\S+$/.test(u);
}

/** Cut to `max` characters (code points, so emoji and CJK are never split). */
export function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join("") + "…";
}

function cutBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = "";
  let bytes = Buffer.byteLength("…");
  for (const c of s) {
    bytes += Buffer.byteLength(c);
    if (bytes > maxBytes) break;
    out += c;
  }
  return out + "…";
}
