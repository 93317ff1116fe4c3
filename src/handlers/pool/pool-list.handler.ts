// 公海客户 / 公海 电机: the pool customers on a card, ten at a time, each with its own 领取 button. A click (or
// typed 领取 N) claims through the same code as typed 领取 X (claim-customer.handler.ts → pool.service), so the
// limits of rules.pool are checked in one place.
import { newCardRef } from "../../../cards/card-ref.ts";
import { POOL_PAGE_SIZE, poolListCard, poolListSpec } from "../../../cards/pool/pool-list.card.ts";
import { z } from "zod";
import { AppError } from "../../core/app-error.ts";
import type { CardRow } from "../../domain/cards/card.repo.ts";
import { poolPage } from "../../domain/pool/pool-list.repo.ts";
import { assertSalesSide } from "../../domain/users/roles.ts";
import { cardSubject, defineCardKind, latestOpenCardOf } from "../engine/card-kind.ts";
import type { TextCommand } from "../engine/feature.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { NO_LIST_TO_PAGE, openListCard, PAGE_NEXT } from "../help/list-paging.ts";
import { claimAndReply } from "./claim-customer.handler.ts";

// 公海 / 公海客户 / 查看公海 / 公海 电机 / 公海客户电机; not "公海里的立方冷链我认领一下" (a claim, for the parser).
const LIST = /^(?:查看|看看|看下|看一下)?\s*公海(?:客户|列表|池)?\s*(?:列表)?\s*([^\s里中的那这]\S{0,19})?$/;
const NOT_A_FILTER = /领|抢|拿|要|给|我|吗|呢|\?|？|，|,|。/;

export function matchPoolList(text: string): { filter: string | null } | null {
  const m = LIST.exec(text.trim());
  if (!m) return null;
  const filter = (m[1] ?? "").trim();
  if (filter && NOT_A_FILTER.test(filter)) return null;
  return { filter: filter || null };
}

export const poolListCommands: TextCommand[] = [
  {
    matches: (t) => matchPoolList(t) !== null,
    run: async (ctx, text) => showPoolPage(ctx, matchPoolList(text)?.filter ?? null, 0),
  },
];

const PAGE_TTL_MS = 24 * 3600_000;
/**
 * DingTalk's interactive card template has six button slots (src/channels/dingtalk/render-card.ts BUTTON_SLOTS): ten
 * 领取 buttons and 下一页 would lose 领取 7–10 and 下一页, so there a page has five rows (5 × 领取 + 下一页).
 */
const DINGTALK_POOL_PAGE_SIZE = 5;

/** What a list card remembers (its subject): the customers it shows, in order, and where 下一页 continues. */
const PageSubjectSchema = z.object({ ids: z.array(z.string()), next: z.object({ offset: z.number().int(), filter: z.string().nullable() }).nullable() });

export async function showPoolPage(ctx: HandlerContext, filter: string | null, offset: number): Promise<void> {
  assertSalesSide(ctx.user, "查看公海客户");
  const page = await poolPage(ctx.tx, filter, offset, ctx.event.platform === "dingtalk" ? DINGTALK_POOL_PAGE_SIZE : POOL_PAGE_SIZE);
  if (!page.rows.length && offset === 0 && filter) {
    ctx.out.replyText(`公海里没有和「${filter}」相关的客户。发送「公海客户」查看全部公海客户。`);
    return;
  }
  const more = offset + page.rows.length < page.total;
  const subject = { ids: page.rows.map((r) => r.id), next: more ? { offset: offset + page.rows.length, filter } : null };
  await ctx.out.replyCard(
    poolListCard({ ref: newCardRef(), filter, offset, total: page.total, rows: page.rows, timeZone: ctx.timeZone, buttons: ctx.event.platform !== "wecom" }),
    { subjectType: "pool_list", subjectId: JSON.stringify(subject), expiresAt: new Date(ctx.now.getTime() + PAGE_TTL_MS) },
  );
}

const pageOf = (card: CardRow) => cardSubject(card, PageSubjectSchema, "pool_page", "这张公海列表已无法使用，请重新发送「公海客户」。");

export const poolListKind = defineCardKind(poolListSpec, {
  actions: {
    claim: {
      // The card stays open: other rows can still be claimed from it. A refusal (limit, taken) changes nothing.
      // Only a customer the card listed can be claimed from it (a click's id, or typed 领取 N: the N-th row).
      run: async (ctx, card, arg) => {
        const { ids } = pageOf(card);
        const id = arg?.startsWith("#") ? ids[Number(arg.slice(1)) - 1] : ids.find((x) => x === arg);
        if (!id) throw new AppError("pool_row_unknown", arg?.startsWith("#") ? `这张公海列表上没有第${arg.slice(1)}个。发送「公海客户」查看最新列表。` : "这个按钮和卡片对不上，已忽略。");
        await claimAndReply(ctx, id);
      },
    },
    more: {
      run: async (ctx, card) => {
        const { next } = pageOf(card);
        if (!next) throw new AppError("pool_last_page", "已经是最后一页了。");
        await showPoolPage(ctx, next.filter, next.offset);
      },
    },
  },
  typed: [
    { pattern: /^领取\s*(10|[1-9])$/, verb: "claim", arg: (m) => `#${m[1]}`, find: latestOpenCardOf(poolListSpec.purpose), nothing: "没有可以按编号领取的公海列表。发送「公海客户」查看，或发送「领取 客户名」。" },
    { pattern: PAGE_NEXT, verb: "more", find: openListCard(poolListSpec.purpose), nothing: NO_LIST_TO_PAGE },
  ],
});
