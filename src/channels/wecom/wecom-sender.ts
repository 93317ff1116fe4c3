// Delivers outbox messages as WeCom app messages (message/send) and card updates (update_template_card).
// Every failure is a RetryableSendError or PermanentSendError; the outbox worker decides what happens next.
import { PermanentSendError } from "../../core/app-error.ts";
import type { Card } from "../../core/card.ts";
import type { Logger } from "../../core/logger.ts";
import type { OutboundMessage, SendResult } from "../../core/outbound-message.ts";
import type { ChannelSender } from "../../core/ports.ts";
import { WECOM_MEMBER_WINDOWS } from "./rate-limiter.ts";
import { groupMarkdown, renderCard, renderCardUpdate, statusText } from "./render-card.ts";
import type { WecomApi, WecomReply } from "./wecom-api.ts";
import { uploadWecomImage, type WecomMediaConfig } from "./wecom-media.ts";

const TEXT_MAX_BYTES = 2048;
/** "taskid has existed or empty or exceed max len"; see the card case of send(). */
const TASK_ID_USED = 42014;

export class WecomSender implements ChannelSender {
  readonly platform = "wecom" as const;
  /** Enforced by the outbox from the database, across instances (rate-limiter.ts). */
  readonly recipientLimits = WECOM_MEMBER_WINDOWS;

  constructor(
    private readonly api: WecomApi,
    private readonly agentId: number,
    private readonly log: Logger,
    /** Where media/upload goes (the API base); without it pictures are dropped and their cards go alone. */
    private readonly media?: WecomMediaConfig,
  ) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    if (m.conversation?.type === "group" && m.conversation.id) return this.sendToGroup(m.conversation.id, m);
    const b = m.body;
    switch (b.type) {
      case "text":
        await this.sendMessage(m.recipient, { msgtype: "text", text: { content: cutBytes(b.text, TEXT_MAX_BYTES) } });
        return {};
      case "markdown":
        // WeCom markdown has no title field (DingTalk uses it as the preview): show it unless the text already does.
        await this.sendMessage(m.recipient, { msgtype: "markdown", markdown: { content: cutBytes(withTitle(b.title, b.text), TEXT_MAX_BYTES) } });
        return {};
      case "card": {
        const rendered = renderCard(b.card);
        const isTemplate = rendered.msgtype === "template_card";
        const reply = await this.sendMessage(m.recipient, rendered, isTemplate ? [TASK_ID_USED] : []);
        if (reply.errcode === TASK_ID_USED) {
          // The task_id is this card's own random ref, already checked against WeCom's rules, so "already used"
          // means an earlier attempt of this very message reached WeCom (its answer lost, or we stopped before
          // marking it sent). It is delivered; its response_code is lost, so no code is reported: an update then
          // uses the code of a click, or says the new state in a text (updateCard).
          this.log.warn("card was delivered by an earlier attempt (42014); not sent again", { card: b.card.ref });
          return { externalId: b.card.ref };
        }
        const code = typeof reply.response_code === "string" && reply.response_code ? reply.response_code : undefined;
        return { externalId: b.card.ref, ...(code ? { responseCode: code } : {}) };
      }
      case "card_update":
        await this.updateCard(m.recipient, b.card, b.responseCode);
        return {};
      case "image": {
        const mediaId = await this.uploadImage(b.png, b.name);
        if (mediaId) await this.sendMessage(m.recipient, { msgtype: "image", image: { media_id: mediaId } });
        return {};
      }
    }
  }

  /**
   * The picture's media_id, or null when it cannot be uploaded (tried twice): the picture is then dropped with a
   * warning. Its card was its own message and has gone, and a retried picture would hold up the person's later
   * messages, so a failed upload never fails the send.
   */
  private async uploadImage(base64: string, name = "chart.png"): Promise<string | null> {
    if (!this.media) {
      this.log.warn("wecom: no media upload configured; picture dropped");
      return null;
    }
    const png = Buffer.from(base64, "base64");
    if (png.length === 0) return null; // a delivered picture's bytes are cleared; nothing to send again
    let last: Error | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const r = await uploadWecomImage(this.media, await this.api.accessToken(), png, name);
        if (typeof r === "string") return r;
        last = r;
      } catch (err) {
        last = err instanceof Error ? err : new Error(String(err));
      }
    }
    this.log.warn("wecom: picture upload failed; the card went without it", { err: last?.message });
    return null;
  }

  /**
   * To a group chat the app created (appchat/create → chatid): appchat/send takes text and markdown but no
   * template cards, so a card arrives as markdown with the commands to type, and its later states as markdown too.
   */
  private async sendToGroup(chatid: string, m: OutboundMessage): Promise<SendResult> {
    const b = m.body;
    if (b.type === "image") {
      const mediaId = await this.uploadImage(b.png, b.name);
      if (mediaId) await this.api.post("/cgi-bin/appchat/send", { chatid, msgtype: "image", image: { media_id: mediaId }, safe: 0 });
      return {};
    }
    const content =
      b.type === "text"
        ? { msgtype: "text", text: { content: cutBytes(b.text, TEXT_MAX_BYTES) } }
        : { msgtype: "markdown", markdown: { content: b.type === "markdown" ? cutBytes(withTitle(b.title, b.text), TEXT_MAX_BYTES) : groupMarkdown(b.card) } };
    await this.api.post("/cgi-bin/appchat/send", { chatid, ...content, safe: 0 });
    return b.type === "card" ? { externalId: b.card.ref } : {};
  }

  /** One app message to one member (the outbox has checked the member's limit). */
  private async sendMessage(touser: string, content: object, accept: readonly number[] = []): Promise<WecomReply> {
    // No duplicate check: it drops any identical content to the member within the interval (README, "at least once").
    const reply = await this.api.post("/cgi-bin/message/send", { touser, agentid: this.agentId, ...content, safe: 0, enable_duplicate_check: 0 }, accept);
    if (typeof reply.invaliduser === "string" && reply.invaliduser.split("|").includes(touser)) {
      throw new PermanentSendError(`WeCom does not know member ${touser} (invaliduser)`);
    }
    return reply;
  }

  /** In place when we hold a response code; otherwise, or if WeCom refuses the code, say it in a text. */
  private async updateCard(touser: string, card: Card, responseCode: string | undefined): Promise<void> {
    const update = renderCardUpdate(card);
    if (responseCode && update) {
      try {
        await this.api.post("/cgi-bin/message/update_template_card", { userids: [touser], agentid: this.agentId, response_code: responseCode, ...update });
        return;
      } catch (err) {
        if (!(err instanceof PermanentSendError)) throw err;
        this.log.warn("card update refused; telling the member in a text instead", { card: card.ref, err: err.message });
      }
    }
    await this.sendMessage(touser, { msgtype: "text", text: { content: statusText(card) } });
  }
}

function withTitle(title: string, text: string): string {
  return !title.trim() || text.includes(title) ? text : `**${title}**\n${text}`;
}

function cutBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = "";
  let bytes = 3; // the "…"
  for (const c of s) {
    bytes += Buffer.byteLength(c);
    if (bytes > maxBytes) break;
    out += c;
  }
  return out + "…";
}
