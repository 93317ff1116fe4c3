// 我的客户 / 团队客户 / 客户列表 阶段=报价 / 超过7天没跟进的客户 / 团队待办 / 张三的待办 / 逾期跟进: a card of at most
// PAGE_SIZE rows, scoped by the asker's role (rep: own; manager: themselves and everyone below; director and
// admin: everyone), with 下一页 while more remain. The query and the next offset are kept as a pending kind
// (zod-typed) whose id the card carries: 下一页 continues exactly the list that card showed, for its recipient only,
// until it expires; the scope is checked again on every page.
import { PAGE_SIZE, teamListCard, teamListSpec, type TeamListView } from "../../../cards/team/team-list.card.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import { STAGES } from "../../../cards/customers/customer-profile.card.ts";
import { z } from "zod";
import { AppError } from "../../core/app-error.ts";
import { decidedCard } from "../../core/card.ts";
import { updateCardView } from "../../domain/cards/card.repo.ts";
import { customerPage, taskPage } from "../../domain/team/team-lists.repo.ts";
import { inScope, listScope, ownScope, usersNamed, type ListScope } from "../../domain/team/team-scope.service.ts";
import { assertSalesSide } from "../../domain/users/roles.ts";
import { getUser, type UserInfo } from "../../domain/users/user.repo.ts";
import { defineCardKind } from "../engine/card-kind.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { definePending, openPending, takePending } from "../engine/pending.ts";
import { NO_LIST_TO_PAGE, openListCard, PAGE_NEXT } from "../help/list-paging.ts";
import { TeamQuerySchema, type TeamQuery } from "./team-query.ts";

const DAY_MS = 86_400_000;
/** How long 下一页 works on a list card. */
const PAGE_TTL_MS = 24 * 3600_000;

const PageSchema = z.object({ query: TeamQuerySchema, offset: z.number().int().min(0) });
type Page = z.infer<typeof PageSchema>;

/** The rest of a list: kept until 下一页 on its card (or the card expires). Never answered by text. */
export const teamPageKind = definePending<Page, unknown>({
  kind: "team_list_page",
  schema: PageSchema,
  ttlMs: PAGE_TTL_MS,
  resume: async () => {},
});

export async function handleTeamList(ctx: HandlerContext, query: TeamQuery): Promise<void> {
  assertSalesSide(ctx.user, "查看客户和待办列表");
  await replyPage(ctx, query, 0);
}

/**
 * A colleague named in a command, if the asker may see their records: themselves always; a manager the people
 * below them; a director or admin anyone. Otherwise refused, saying what the asker can look at instead.
 */
export async function personInScope(ctx: HandlerContext, name: string, what: string, instead: string, unknownHint = ""): Promise<UserInfo> {
  assertSalesSide(ctx.user, `查看${what}`);
  const named = await usersNamed(ctx.tx, name);
  if (!named.length) throw new AppError("person_unknown", `没有找到叫「${name}」的同事。查看自己的${what}请发送「${instead}」。${unknownHint}`);
  const scope = await listScope(ctx.tx, ctx.user);
  const visible = named.filter((u) => u.id === ctx.user.id || inScope(scope, u.id));
  if (!visible.length) {
    const hint = scope.kind === "team" ? `你可以查看自己和团队成员的${what}，例如「团队待办」「逾期跟进」。` : `你可以发送「${instead}」查看自己的。`;
    throw new AppError("person_out_of_scope", `${name}不在你的团队里，不能查看${name}的${what}。${hint}`);
  }
  if (visible.length > 1) throw new AppError("person_ambiguous", `有 ${visible.length} 位同事叫${name}，暂时无法区分，请联系管理员在组织文件里区分姓名。`);
  return visible[0]!;
}

export async function handlePersonTodos(ctx: HandlerContext, name: string): Promise<void> {
  const person = await personInScope(ctx, name, "待办", "我的待办");
  await replyPage(ctx, { list: "todos", personId: person.id }, 0);
}

export async function handlePersonCustomers(ctx: HandlerContext, name: string): Promise<void> {
  const person = await personInScope(ctx, name, "客户", "我的客户", `查看客户资料请发送「客户 ${name}」。`);
  await replyPage(ctx, { list: "customers", own: false, personId: person.id }, 0);
}

async function replyPage(ctx: HandlerContext, query: TeamQuery, offset: number): Promise<void> {
  const page = await loadPage(ctx, query, offset);
  const more = offset + page.shown < page.view.total;
  const ref = newCardRef();
  const meta = more ? await openPending(ctx, teamPageKind, { query, offset: offset + PAGE_SIZE }) : null;
  await ctx.out.replyCard(
    // WeCom's button cards cut their text at 160 characters: there the list goes whole (markdown), 下一页 typed.
    teamListCard({ ...page.view, ref, offset, more, button: ctx.event.platform !== "wecom", timeZone: ctx.timeZone }),
    meta ? { subjectType: teamPageKind.kind, subjectId: meta.id, expiresAt: meta.expiresAt } : {},
  );
}

/** One colleague's records, checked again on every page (they may have left the asker's team since page one). */
async function personScope(ctx: HandlerContext, personId: string, what: string): Promise<ListScope> {
  const person = await getUser(ctx.tx, personId);
  const mine = await listScope(ctx.tx, ctx.user);
  if (!person || (person.id !== ctx.user.id && !inScope(mine, person.id))) throw new AppError("person_out_of_scope", `这份${what}已不在你能查看的范围内。`);
  return ownScope(person);
}

const scopeLabel = (s: ListScope) => (s.kind === "self" ? `${s.label}（自己的）` : s.label);

async function loadPage(ctx: HandlerContext, query: TeamQuery, offset: number): Promise<{ shown: number; view: Omit<TeamListView, "ref" | "offset" | "more" | "timeZone"> }> {
  switch (query.list) {
    case "customers": {
      const scope = query.personId ? await personScope(ctx, query.personId, "客户") : query.own ? ownScope(ctx.user) : await listScope(ctx.tx, ctx.user);
      const idleBefore = query.idleDays ? new Date(ctx.now.getTime() - query.idleDays * DAY_MS) : undefined;
      const { total, rows } = await customerPage(ctx.tx, { ownerIds: scope.userIds, ...(query.stage ? { stage: query.stage } : {}), ...(idleBefore ? { idleBefore } : {}) }, ctx.now, offset, PAGE_SIZE);
      const what = query.idleDays ? `超过${query.idleDays}天没跟进的客户` : query.stage ? `${STAGES[query.stage]}阶段的客户` : query.own ? "我的客户" : query.personId ? `${scope.label}的客户` : "团队客户";
      return {
        shown: rows.length,
        view: {
          title: query.own && !query.idleDays && !query.stage ? `我的客户 · ${ctx.user.name}` : query.personId ? what : `${what} · ${query.own ? ctx.user.name : scopeLabel(scope)}`,
          total,
          empty: query.idleDays ? `没有超过${query.idleDays}天没跟进的客户。` : query.stage ? `没有处于「${STAGES[query.stage]}」阶段的客户。` : query.personId ? `${scope.label}名下还没有客户。` : "还没有客户。记录一次拜访就会自动建档。",
          rows: { kind: "customers", items: rows.map((r) => ({ name: r.name, idleDays: r.idleDays, stage: r.stage, level: r.level, owner: r.ownerName })) },
        },
      };
    }
    case "todos": {
      let scope: ListScope;
      let title: string;
      if (query.personId) {
        scope = await personScope(ctx, query.personId, "待办");
        title = `${scope.label}的待办`;
      } else {
        scope = await listScope(ctx.tx, ctx.user);
        title = `团队待办 · ${scopeLabel(scope)}`;
      }
      const { total, rows } = await taskPage(ctx.tx, { ownerIds: scope.userIds }, offset, PAGE_SIZE);
      return { shown: rows.length, view: { title, total, empty: "没有未完成的待办。", rows: taskRows(rows, ctx.now, !query.personId) } };
    }
    case "overdue": {
      const scope = query.own ? ownScope(ctx.user) : await listScope(ctx.tx, ctx.user);
      const { total, rows } = await taskPage(ctx.tx, { ownerIds: scope.userIds, dueBefore: ctx.now, byOwner: true }, offset, PAGE_SIZE);
      return { shown: rows.length, view: { title: `逾期跟进 · ${scopeLabel(scope)}`, total, empty: "没有逾期的跟进，很好！", rows: taskRows(rows, ctx.now, true) } };
    }
  }
}

function taskRows(rows: Awaited<ReturnType<typeof taskPage>>["rows"], now: Date, showOwner: boolean): TeamListView["rows"] {
  return { kind: "tasks", now, showOwner, items: rows.map((t) => ({ title: t.title, customer: t.customerName, owner: t.ownerName, due: t.due })) };
}

/** The list card: 下一页 (button, or typed on channels without interactive cards) shows the next rows of that list. */
export const teamListKind = defineCardKind(teamListSpec, {
  actions: {
    next: {
      run: async (ctx, card) => {
        if (card.subjectType !== teamPageKind.kind || !card.subjectId) throw new AppError("list_end", "已经是最后一页了。");
        const { data } = await takePending(ctx, [teamPageKind], card.subjectId, "confirmed");
        const shown = decidedCard(card.view, "已显示下一页", "info");
        if (ctx.out.canUpdateInPlace(card)) await ctx.out.updateCard(card, shown, "decided");
        else await updateCardView(ctx.tx, card.ref, shown, "decided");
        await replyPage(ctx, data.query, data.offset);
      },
    },
  },
  typed: [{ pattern: PAGE_NEXT, verb: "next", find: openListCard(teamListSpec.purpose), nothing: NO_LIST_TO_PAGE }],
});
