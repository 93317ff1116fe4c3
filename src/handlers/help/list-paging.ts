// Typed paging of list cards, said once for every feature that pages a list (团队客户 / 团队待办 / 逾期跟进 …, 公海客户,
// 待审批): the words (下一页 and the like; 上一页), which card a typed 下一页 means, and what is said when the person
// has no list open — the same plain answer, naming the lists this person can page, whichever feature's list they
// saw last. Each list kind's typed twin uses `PAGE_NEXT` and `openListCard`; 上一页 is the help feature's command.
import { approvalListSpec } from "../../../cards/orders/approval-list.card.ts";
import { poolListSpec } from "../../../cards/pool/pool-list.card.ts";
import { teamListSpec } from "../../../cards/team/team-list.card.ts";
import { AppError } from "../../core/app-error.ts";
import { latestActiveCard, type CardRow } from "../../domain/cards/card.repo.ts";
import { isSalesSide } from "../../domain/users/roles.ts";
import type { UserInfo } from "../../domain/users/user.repo.ts";
import type { TextCommand } from "../engine/feature.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** 下一页 (下页, 翻页, 再来一页, 后一页; a full stop or ! after it): the next rows of the newest open list card. */
export const PAGE_NEXT = /^(?:下一页|下页|翻页|往后翻|再来一页|后一页)[。.!！]?$/;
/** 上一页: lists only go forward (the earlier rows are in the chat above). */
export const PAGE_BACK = /^(?:上一页|上页|前一页|往前翻|返回上一页)[。.!！]?$/;

/** The card kinds that page, and what brings each list up again from its first page. */
const LISTS: readonly { purpose: string; again: string }[] = [
  { purpose: teamListSpec.purpose, again: "重新发送查看这个列表的那句话（如「团队客户」「逾期跟进」）" },
  { purpose: poolListSpec.purpose, again: "重新发送「公海客户」" },
  { purpose: approvalListSpec.purpose, again: "重新发送「待审批」" },
];

/** The lists this person can page, as the words that show them. */
function pageableLists(user: UserInfo): string[] {
  const has = (r: string) => user.roles.includes(r);
  const lead = has("manager") || has("director");
  return [
    ...(lead || has("admin") ? ["团队客户", "团队待办", "逾期跟进"] : has("rep") ? ["我的客户", "逾期跟进"] : []),
    ...(lead || has("rep") ? ["待审批"] : []),
    "公海客户",
  ];
}

/** Said to a 下一页 / 上一页 with no list card open: plainly that, and which lists this person can page. */
export function noListToPage(user: UserInfo): string {
  if (!isSalesSide(user)) return "没有可以翻页的列表。要看要发的订单，请发送「待发货」。";
  return `没有可以翻页的列表（翻页只对最近24小时内发给你的列表卡片有效）。可以翻页的列表：${pageableLists(user).map((w) => `「${w}」`).join("")}，先发送其中一个。`;
}

/** The fallback `nothing` of each paging twin (openListCard says it by role before the engine would). */
export const NO_LIST_TO_PAGE = "没有可以翻页的列表。发送「团队客户」「公海客户」「待审批」等查看列表。";

/**
 * The person's newest list card of any kind that pages and is still active (not closed; one past its 24 hours is
 * the engine's to answer, 这张卡片已过期, as a click on it is), or null.
 */
async function newestOpenList(ctx: HandlerContext): Promise<CardRow | null> {
  let newest: CardRow | null = null;
  for (const { purpose } of LISTS) {
    const card = await latestActiveCard(ctx.tx, ctx.user.id, purpose);
    if (card && (!newest || card.createdAt > newest.createdAt)) newest = card;
  }
  return newest;
}

/**
 * A paging twin's `find`: the person's newest active card of this list kind; when they have no active list card of
 * any kind, refuses with `noListToPage` (by their roles), so 下一页 never answers with one feature's wording when
 * another's list was shown last, or none.
 */
export function openListCard(purpose: string) {
  return async (ctx: HandlerContext): Promise<CardRow | null> => {
    const card = await latestActiveCard(ctx.tx, ctx.user.id, purpose);
    if (card) return card;
    if (!(await newestOpenList(ctx))) throw new AppError("no_list_to_page", noListToPage(ctx.user));
    return null;
  };
}

/** 上一页: lists page forward only; with no list card, the same answer as 下一页; one expired, as 下一页 on it. */
export const pageBackCommand: TextCommand = {
  matches: (text) => PAGE_BACK.test(text.trim()),
  run: async (ctx) => {
    const list = await newestOpenList(ctx);
    if (!list) throw new AppError("no_list_to_page", noListToPage(ctx.user));
    if (list.expiresAt && list.expiresAt < ctx.now) throw new AppError("card_expired", "这张卡片已过期，请重新发送消息。");
    const again = LISTS.find((l) => l.purpose === list.purpose)!.again;
    throw new AppError("list_forward_only", `列表只能往后翻（发送「下一页」）；前面的内容在上面的卡片里。要从第一页看，请${again}。`);
  },
};
