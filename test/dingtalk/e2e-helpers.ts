// Shared by the end-to-end files: the real bot (fresh database) wired to the fake DingTalk gateway, and readers
// for what the bot sent there.
import { FIXED_NOW, eventually, startTestBot, type TestBot } from "../support/test-bot.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";

export const VISIT_TEXT = "今天拜访了华东机电的王经理，下季度要200台电机，下周三带报价再去";

export async function startDingtalkBot(env: Record<string, string> = {}): Promise<{ gw: DingtalkGateway; bot: TestBot }> {
  const gw = await startDingtalkGateway({ now: () => FIXED_NOW.getTime() });
  const bot = await startTestBot({
    DINGTALK_CLIENT_ID: gw.api.clientId,
    DINGTALK_CLIENT_SECRET: gw.api.clientSecret,
    DINGTALK_API_BASE: gw.url,
    DINGTALK_OAPI_BASE: gw.url,
    ...env,
  });
  await eventually(() => gw.stream.sockets.size === 1, "the bot's Stream connection");
  return { gw, bot };
}

export interface DeliveredCard {
  outTrackId: string;
  openSpaceId: string;
  params: Record<string, string>;
}

export function deliveredCards(gw: DingtalkGateway): DeliveredCard[] {
  return gw.calls("/v1.0/card/instances/createAndDeliver").map((c) => {
    const b = c.body as { outTrackId: string; openSpaceId: string; cardData: { cardParamMap: Record<string, string> } };
    return { outTrackId: b.outTrackId, openSpaceId: b.openSpaceId, params: b.cardData.cardParamMap };
  });
}

export function cardUpdates(gw: DingtalkGateway): DeliveredCard[] {
  return gw.calls("/v1.0/card/instances", "PUT").map((c) => {
    const b = c.body as { outTrackId: string; cardData: { cardParamMap: Record<string, string> } };
    return { outTrackId: b.outTrackId, openSpaceId: "", params: b.cardData.cardParamMap };
  });
}

/** The button whose label matches, as (label, action key). */
export function button(card: DeliveredCard, label: RegExp): { label: string; action: string } {
  for (let i = 1; i <= 6; i++) {
    const l = card.params[`btn${i}_label`] ?? "";
    if (card.params[`btn${i}_visible`] === "true" && label.test(l)) return { label: l, action: card.params[`btn${i}_action`]! };
  }
  throw new Error(`no button ${label} on card "${card.params.title}"`);
}

/** Every text/markdown the bot sent, wherever it went: { to, text }. */
export function sentTexts(gw: DingtalkGateway): { to: string; via: string; text: string }[] {
  const out: { to: string; via: string; text: string }[] = [];
  for (const c of gw.api.calls) {
    const b = (c.body ?? {}) as Record<string, unknown>;
    if (c.path === "/robot/sendBySession") {
      const t = (b.text as { content?: string } | undefined)?.content ?? (b.markdown as { text?: string } | undefined)?.text ?? "";
      out.push({ to: `session:${c.query.session}`, via: "webhook", text: t });
    } else if (c.path === "/v1.0/robot/oToMessages/batchSend" || c.path === "/v1.0/robot/groupMessages/send") {
      const p = JSON.parse(String(b.msgParam)) as { content?: string; text?: string };
      out.push({ to: String((b.userIds as string[] | undefined)?.join(",") ?? b.openConversationId), via: c.path.includes("batch") ? "batchSend" : "group", text: p.content ?? p.text ?? "" });
    }
  }
  return out;
}
