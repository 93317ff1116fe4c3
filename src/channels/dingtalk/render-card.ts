// Pure mapping from our platform-neutral Card to DingTalk: the interactive card template's variables
// (cards/dingtalk/sales-card.template.json documents them) and a markdown fallback for apps without a template.
import type { Card, Tone } from "../../core/card.ts";

/** The template has this many button slots (pick_customer needs 4 candidates + 新建 + 取消). */
export const BUTTON_SLOTS = 6;

const TONE_EMOJI: Record<Tone, string> = { info: "ℹ️", success: "✅", warning: "⚠️", danger: "⛔" };

/** cardParamMap: every value a string (DingTalk rejects other types); every key present so an update clears old values. */
export function cardParamMap(card: Card): Record<string, string> {
  const showButtons = !card.status && card.buttons.length > 0;
  const map: Record<string, string> = {
    title: card.title,
    subtitle: card.subtitle ?? "",
    tone: card.tone ?? "info",
    fields_md: fieldsMarkdown(card),
    lines_md: (card.lines ?? []).join("\n"),
    image_url: card.imageUrl ?? "",
    has_status: card.status ? "true" : "false",
    status_text: card.status?.text ?? "",
    status_tone: card.status?.tone ?? "",
    buttons_visible: showButtons ? "true" : "false",
    commands_hint: commandsHint(card),
  };
  for (let i = 0; i < BUTTON_SLOTS; i++) {
    const b = showButtons ? card.buttons[i] : undefined;
    const n = i + 1;
    map[`btn${n}_visible`] = b ? "true" : "false";
    map[`btn${n}_label`] = b?.label ?? "";
    map[`btn${n}_action`] = b?.action ?? "";
    map[`btn${n}_style`] = b?.style ?? "default";
  }
  return map;
}

/** The whole card as DingTalk markdown (sampleMarkdown / sessionWebhook), with text commands instead of buttons. */
export function cardMarkdown(card: Card): { title: string; text: string } {
  const parts: string[] = [`### ${card.tone ? TONE_EMOJI[card.tone] + " " : ""}${card.title}`];
  if (card.subtitle) parts.push(card.subtitle);
  const fields = fieldsMarkdown(card);
  if (fields) parts.push(fields);
  if (card.lines?.length) parts.push(card.lines.join("\n\n"));
  if (card.imageUrl) parts.push(`![](${card.imageUrl})`);
  if (card.status) parts.push(`**${TONE_EMOJI[card.status.tone]} ${card.status.text}**`);
  else if (commandsHint(card)) parts.push(`> ${commandsHint(card)}`);
  return { title: card.title.slice(0, 64), text: parts.join("\n\n") };
}

/** After a decision, without a template: a short note saying what changed. */
export function cardUpdateMarkdown(card: Card): { title: string; text: string } {
  const status = card.status ? `${TONE_EMOJI[card.status.tone]} ${card.status.text}` : "已更新";
  return { title: card.title.slice(0, 64), text: `### ${card.title}\n\n**${status}**` };
}

function fieldsMarkdown(card: Card): string {
  return card.fields.map((f) => `- **${f.label}**：${f.value}`).join("\n");
}

function commandsHint(card: Card): string {
  const cmds = card.textCommands ?? [];
  return cmds.length ? `也可以直接回复：${cmds.map((c) => `「${c}」`).join(" ")}` : "";
}
