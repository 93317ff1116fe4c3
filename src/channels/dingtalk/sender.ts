// Delivers outbox messages to DingTalk: the conversation's sessionWebhook while it is valid, else the robot APIs
// (1:1 batchSend / group send); cards as interactive cards when a template is configured, else as markdown.
import { PermanentSendError, RetryableSendError } from "../../core/app-error.ts";
import type { Card } from "../../core/card.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { OutboundMessage, SendResult } from "../../core/outbound-message.ts";
import type { ChannelSender } from "../../core/ports.ts";
import type { DingtalkApi } from "./api-client.ts";
import { uploadDingtalkImage } from "./media-upload.ts";
import { cardMarkdown, cardParamMap, cardUpdateMarkdown } from "./render-card.ts";

export interface SenderConfig {
  robotCode: string;
  /** Interactive cards only with a template (and Stream mode, where their clicks arrive). */
  cardTemplateId?: string;
  /** Session webhooks must point at DingTalk's own host (never post to an arbitrary URL from a payload). */
  oapiBase: string;
}

type Plain =
  | { msgKey: "sampleText"; param: { content: string } }
  | { msgKey: "sampleMarkdown"; param: { title: string; text: string } }
  | { msgKey: "sampleImageMsg"; param: { photoURL: string } };

type CreateAndDeliverAnswer = { success?: boolean; code?: string; message?: string; result?: { deliverResults?: { success?: boolean; errorMsg?: string }[] } };

/**
 * "This outTrackId already exists". DingTalk's exact code for it is not documented where we could find it (the card
 * API's error table lists param.outTrackIdEmpty and friends); the simulator answers HTTP 400
 * {"code":"param.outTrackIdExist","message":"outTrackId already exists"}, and we match any code or message that
 * names the outTrackId as existing or duplicate.
 */
function outTrackIdTaken(json: unknown): boolean {
  const j = (json ?? {}) as { code?: unknown; message?: unknown };
  const text = `${String(j.code ?? "")} ${String(j.message ?? "")}`;
  return /outTrackId/i.test(text) && /exist|duplicat|重复|已存在/i.test(text);
}

/** Don't use a session webhook in its last minute. */
const WEBHOOK_MARGIN_MS = 60_000;
export const MAX_BATCH_USERS = 20;

export class DingtalkSender implements ChannelSender {
  readonly platform = "dingtalk" as const;

  constructor(
    private readonly api: DingtalkApi,
    private readonly cfg: SenderConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    const b = m.body;
    switch (b.type) {
      case "text":
        return this.sendPlain(m, { msgKey: "sampleText", param: { content: b.text } });
      case "markdown":
        return this.sendPlain(m, { msgKey: "sampleMarkdown", param: { title: b.title, text: b.text } });
      case "card":
        if (this.cfg.cardTemplateId) return this.deliverCard(m, b.card, this.cfg.cardTemplateId);
        await this.sendPlain(m, { msgKey: "sampleMarkdown", param: cardMarkdown(b.card) });
        return { externalId: b.card.ref };
      case "card_update":
        if (this.cfg.cardTemplateId) return this.updateCard(b.card, b.externalId);
        return this.sendPlain(m, { msgKey: "sampleMarkdown", param: cardUpdateMarkdown(b.card) });
      case "image": {
        // Through the robot API (a session webhook takes no image messages); a failed upload drops the picture.
        const mediaId = await this.uploadImage(b.png, b.name);
        if (mediaId) await this.sendPlain(m, { msgKey: "sampleImageMsg", param: { photoURL: mediaId } });
        return {};
      }
    }
  }

  /**
   * The picture's media_id, or null when it cannot be uploaded (tried twice): dropped with a warning. Its card was
   * its own message and has gone; a retried picture would hold up the person's later messages.
   */
  private async uploadImage(base64: string, name = "chart.png"): Promise<string | null> {
    const png = Buffer.from(base64, "base64");
    if (png.length === 0) return null; // a delivered picture's bytes are cleared; nothing to send again
    let last: Error | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const r = await uploadDingtalkImage(this.cfg.oapiBase, await this.api.accessToken(), png, name);
        if (typeof r === "string") return r;
        last = r;
      } catch (err) {
        last = err instanceof Error ? err : new Error(String(err));
      }
    }
    this.log.warn("dingtalk: picture upload failed; the card went without it", { err: last?.message });
    return null;
  }

  private async sendPlain(m: OutboundMessage, p: Plain): Promise<SendResult> {
    const c = m.conversation;
    if (p.msgKey !== "sampleImageMsg" && c?.webhook && (c.webhookExpiresAt ?? 0) - WEBHOOK_MARGIN_MS > this.clock.now().getTime() && this.isDingtalkUrl(c.webhook)) {
      if (await this.viaWebhook(c.webhook, m, p)) return {};
    }
    if (c?.type === "group") {
      if (!c.id) throw new PermanentSendError("group message without an openConversationId and no valid session webhook");
      await this.api.call("POST", "/v1.0/robot/groupMessages/send", { robotCode: this.cfg.robotCode, openConversationId: c.id, msgKey: p.msgKey, msgParam: JSON.stringify(p.param) });
      return {};
    }
    await this.batchSend([m.recipient], p);
    return {};
  }

  /** True when delivered; false when the webhook refused (expired…), so the caller uses the API instead. */
  private async viaWebhook(url: string, m: OutboundMessage, p: Exclude<Plain, { msgKey: "sampleImageMsg" }>): Promise<boolean> {
    const body =
      p.msgKey === "sampleText"
        ? { msgtype: "text", text: { content: p.param.content }, ...(m.conversation?.type === "group" ? { at: { atUserIds: [m.recipient], isAtAll: false } } : {}) }
        : { msgtype: "markdown", markdown: { title: p.param.title, text: p.param.text } };
    try {
      await this.api.postWebhook(url, body);
      return true;
    } catch (err) {
      if (err instanceof RetryableSendError) throw err;
      this.log.warn("dingtalk: session webhook refused; using the robot API", { err });
      return false;
    }
  }

  private async batchSend(userIds: string[], p: Plain): Promise<void> {
    for (let i = 0; i < userIds.length; i += MAX_BATCH_USERS) {
      const chunk = userIds.slice(i, i + MAX_BATCH_USERS);
      const r = await this.api.call<{ invalidStaffIdList?: string[]; flowControlledStaffIdList?: string[] }>("POST", "/v1.0/robot/oToMessages/batchSend", {
        robotCode: this.cfg.robotCode,
        userIds: chunk,
        msgKey: p.msgKey,
        msgParam: JSON.stringify(p.param),
      });
      const invalid = (r.invalidStaffIdList ?? []).filter((u) => chunk.includes(u));
      if (invalid.length) throw new PermanentSendError(`DingTalk does not know staffId ${invalid.join(", ")} (check the org file's dingtalk ids)`);
      const limited = (r.flowControlledStaffIdList ?? []).filter((u) => chunk.includes(u));
      if (limited.length) throw new RetryableSendError(`DingTalk flow-controlled ${limited.join(", ")}; will retry`);
    }
  }

  private async deliverCard(m: OutboundMessage, card: Card, templateId: string): Promise<SendResult> {
    const group = m.conversation?.type === "group" && m.conversation.id;
    const body = {
      cardTemplateId: templateId,
      outTrackId: card.ref,
      callbackType: "STREAM",
      cardData: { cardParamMap: cardParamMap(card) },
      openSpaceId: group ? `dtv1.card//IM_GROUP.${m.conversation!.id}` : `dtv1.card//IM_ROBOT.${m.recipient}`,
      ...(group
        ? { imGroupOpenSpaceModel: { supportForward: false }, imGroupOpenDeliverModel: { robotCode: this.cfg.robotCode } }
        : { imRobotOpenSpaceModel: { supportForward: false }, imRobotOpenDeliverModel: { spaceType: "IM_ROBOT" } }),
      userIdType: 1,
    };
    const r = await this.api.call<CreateAndDeliverAnswer>("POST", "/v1.0/card/instances/createAndDeliver", body, { tolerate: (_status, json) => outTrackIdTaken(json) });
    if (outTrackIdTaken(r)) {
      // Only a retry of this very card meets its own outTrackId: an earlier attempt created it and its answer was lost.
      this.log.info("dingtalk: card already created by an earlier attempt; treated as delivered", { outTrackId: card.ref });
      return { externalId: card.ref };
    }
    const results = r.result?.deliverResults ?? [];
    // HTTP 200 is not delivery: at least one target must say success (an empty list delivered nothing).
    if (r.success === false || !results.some((d) => d.success === true)) {
      const why = results.map((d) => d.errorMsg ?? "unknown").join("; ") || (r.success === false ? "success=false" : "no deliverResults");
      if (/limit|throttl|频率|限流/i.test(why)) throw new RetryableSendError(`card delivery throttled: ${why}`);
      throw new PermanentSendError(`card delivery failed: ${why}`);
    }
    return { externalId: card.ref };
  }

  private async updateCard(card: Card, externalId: string | undefined): Promise<SendResult> {
    const r = await this.api.call<{ success?: boolean }>("PUT", "/v1.0/card/instances", {
      outTrackId: externalId ?? card.ref,
      cardData: { cardParamMap: cardParamMap(card) },
      cardUpdateOptions: { updateCardDataByKey: true },
      userIdType: 1,
    });
    if (r.success === false) throw new PermanentSendError("card update refused");
    return {};
  }

  private isDingtalkUrl(url: string): boolean {
    try {
      return new URL(url).origin === new URL(this.cfg.oapiBase).origin;
    } catch {
      return false;
    }
  }
}
