// 待审批 (我的审批, 审批列表, 待我审批, 有啥要审批的, 还有几个没批, 审批): an approver gets the orders waiting for their
// step, oldest turn first, each with 审批 N (button, or typed) that brings that order's approval card up again —
// the same card kind and guard as ever, so only the current approver's 同意 / 驳回 counts. A rep (or anyone with
// no step waiting and no approving role) gets their own orders waiting and whom each waits on; 我的订单在等审批吗
// always that. Warehouse staff are refused, nothing stored. Paged like the other lists (下一页); `审批 SO-…` brings
// one order's approval card up again.
import { newCardRef } from "../../../cards/card-ref.ts";
import { APPROVAL_PAGE_SIZE, approvalListCard, approvalListSpec, type ApprovalListView } from "../../../cards/orders/approval-list.card.ts";
import { z } from "zod";
import { AppError } from "../../core/app-error.ts";
import type { CardRow } from "../../domain/cards/card.repo.ts";
import { approverQueuePage, repWaitingPage } from "../../domain/orders/approval-lists.repo.ts";
import { isSalesSide } from "../../domain/users/roles.ts";
import { cardSubject, defineCardKind, latestOpenCardOf } from "../engine/card-kind.ts";
import type { TextCommand } from "../engine/feature.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { NO_LIST_TO_PAGE, openListCard, PAGE_NEXT } from "../help/list-paging.ts";
import { showApprovalCardAgain } from "./approval.handler.ts";
import { readApprovalListRequest, type ApprovalListRequest } from "./approval-list-words.ts";

/** How long 审批 N and 下一页 work on a list card. */
const PAGE_TTL_MS = 24 * 3600_000;
/**
 * DingTalk's interactive card has six button slots (src/channels/dingtalk/render-card.ts): ten 审批 buttons and
 * 下一页 would lose the last ones, so there a page has five rows (5 × 审批 N + 下一页), as 公海客户 does.
 */
const DINGTALK_PAGE_SIZE = 5;

type Mode = "approver" | "rep";

/** What a list card remembers (its subject): which list, the orders it shows in order, where 下一页 continues. */
const SubjectSchema = z.object({ mode: z.enum(["approver", "rep"]), numbers: z.array(z.string()), next: z.number().int().min(0).nullable() });

const WAREHOUSE_REFUSAL = "仓库同事不能查看待审批的订单（审批和订单金额在销售那边），这条消息没有记录任何内容。你可以发送「待发货」查看要发的订单，或「我的待办」。";

const APPROVER_ROLES: readonly string[] = ["manager", "director"];

async function handleRequest(ctx: HandlerContext, request: ApprovalListRequest): Promise<void> {
  if (!isSalesSide(ctx.user)) throw new AppError("not_sales_side", WAREHOUSE_REFUSAL);
  if (request === "mine") return showPage(ctx, "rep", 0);
  const approver = ctx.user.roles.some((r) => APPROVER_ROLES.includes(r));
  // Anyone with a step waiting is an approver for now (an escalation can hand one to anyone above a rep).
  if (approver || (await approverQueuePage(ctx.tx, ctx.user.id, 0, 1)).total > 0) return showPage(ctx, "approver", 0);
  if (ctx.user.roles.includes("rep")) return showPage(ctx, "rep", 0);
  // An admin without a sales role neither orders nor approves.
  throw new AppError("not_an_approver", "管理员不审批订单（审批由经理和总监完成），你现在没有待审批的订单。查看某个订单请发送「订单 SO-…」。");
}

async function showPage(ctx: HandlerContext, mode: Mode, offset: number): Promise<void> {
  const size = ctx.event.platform === "dingtalk" ? DINGTALK_PAGE_SIZE : APPROVAL_PAGE_SIZE;
  const base = { ref: newCardRef(), offset, now: ctx.now, timeZone: ctx.timeZone, buttons: ctx.event.platform !== "wecom" };
  let view: ApprovalListView;
  if (mode === "approver") {
    const page = await approverQueuePage(ctx.tx, ctx.user.id, offset, size);
    if (!page.total) return replyEmpty(ctx, "你现在没有待审批的订单。");
    const ownWaiting = offset === 0 ? await ownWaitingCount(ctx) : 0;
    view = {
      ...base,
      mode,
      ownWaiting,
      total: page.total,
      rows: page.rows.map((r) => ({ number: r.orderNumber, customer: r.customerName, rep: r.repName, total: r.total.toFixed(2), listTotal: r.listTotal.toFixed(2), discount: r.discount.toFixed(4), rule: r.rule, seq: r.seq, steps: r.steps, since: r.since, note: r.note })),
    };
  } else {
    const page = await repWaitingPage(ctx.tx, ctx.user.id, offset, size);
    if (!page.total) return replyEmpty(ctx, "你没有在等审批的订单。发送「我的订单」查看最近的订单。");
    view = {
      ...base,
      mode,
      total: page.total,
      rows: page.rows.map((r) => ({
        number: r.orderNumber, customer: r.customerName, total: r.total.toFixed(2), listTotal: r.listTotal.toFixed(2), discount: r.discount.toFixed(4), rule: r.rule,
        approver: r.current?.approverName ?? null, seq: r.current?.seq ?? 1, steps: r.steps, since: r.current?.since ?? r.submittedAt, note: r.current?.note ?? null,
      })),
    };
  }
  if (!view.rows.length) throw new AppError("approval_list_end", "已经是最后一页了。发送「待审批」重新查看。");
  const more = offset + view.rows.length < view.total;
  const subject = { mode, numbers: view.rows.map((r) => r.number), next: more ? offset + view.rows.length : null };
  await ctx.out.replyCard(approvalListCard(view), { subjectType: "approval_list", subjectId: JSON.stringify(subject), expiresAt: new Date(ctx.now.getTime() + PAGE_TTL_MS) });
}

/** How many of an approver's own orders wait for someone else's decision (a manager who also sells). */
async function ownWaitingCount(ctx: HandlerContext): Promise<number> {
  return ctx.user.roles.includes("rep") ? (await repWaitingPage(ctx.tx, ctx.user.id, 0, 1)).total : 0;
}

/** Nothing waiting: said in words; an approver who also sells hears about their own orders waiting. */
async function replyEmpty(ctx: HandlerContext, text: string): Promise<void> {
  const own = text.startsWith("你现在没有待审批") ? await ownWaitingCount(ctx) : 0;
  ctx.out.replyText(own ? `${text}你自己提交的订单有 ${own} 个在等审批，发送「我的订单在等审批吗」查看。` : text);
}

const subjectOf = (card: CardRow) => cardSubject(card, SubjectSchema, "approval_list_broken", "这张待审批列表已无法使用，请重新发送「待审批」。");

/**
 * The list card: 审批 N (a button per row; typed 审批 N / 看 N on the newest list) re-sends that row's approval
 * card; 下一页 the next rows. Only for the person it was sent to (the default guard); the approval card it brings
 * up checks the current approver again, and its own 同意 / 驳回 check once more when pressed.
 */
export const approvalListKind = defineCardKind(approvalListSpec, {
  actions: {
    show: {
      // The list stays open: other rows can still be brought up from it.
      run: async (ctx, card, arg) => {
        const { mode, numbers } = subjectOf(card);
        if (mode !== "approver") throw new AppError("approval_list_rep", "这张列表是你自己在等审批的订单，不能在这里审批。发送「订单 SO-…」查看审批记录。");
        const number = arg?.startsWith("#") ? numbers[Number(arg.slice(1)) - 1] : numbers.find((x) => x === arg);
        if (!number) throw new AppError("approval_row_unknown", arg?.startsWith("#") ? `这张待审批列表上没有第${arg.slice(1)}个。发送「待审批」查看最新列表。` : "这个按钮和卡片对不上，已忽略。");
        await showApprovalCardAgain(ctx, number);
      },
    },
    more: {
      run: async (ctx, card) => {
        const { mode, next } = subjectOf(card);
        if (next === null) throw new AppError("approval_list_end", "已经是最后一页了。");
        await showPage(ctx, mode, next);
      },
    },
  },
  typed: [
    { pattern: /^(?:审批|看)\s*(10|[1-9])$/, verb: "show", arg: (m) => `#${m[1]}`, find: latestOpenCardOf(approvalListSpec.purpose), nothing: "没有可以按编号审批的列表。发送「待审批」查看等你审批的订单，或「同意 SO-…」「驳回 SO-… 理由」。" },
    { pattern: PAGE_NEXT, verb: "more", find: openListCard(approvalListSpec.purpose), nothing: NO_LIST_TO_PAGE },
  ],
});

const SHOW_ONE = /^(?:审批|调出审批|审批卡片?)\s*(SO-\d{8}-\d{3,4})$/i;

export const approvalListCommands: TextCommand[] = [
  { matches: (t) => readApprovalListRequest(t) !== null, run: (ctx, t) => handleRequest(ctx, readApprovalListRequest(t)!) },
  {
    matches: (t) => SHOW_ONE.test(t.trim()),
    run: async (ctx, t) => {
      if (!isSalesSide(ctx.user)) throw new AppError("not_sales_side", WAREHOUSE_REFUSAL);
      await showApprovalCardAgain(ctx, SHOW_ONE.exec(t.trim())![1]!.toUpperCase());
    },
  },
];
