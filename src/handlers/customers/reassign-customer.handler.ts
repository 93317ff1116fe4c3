// 转交 宁波东方轴承 给 张三 / 把华东机电转给李四: a manager (anyone above both reps in the managerId chain) or an
// admin gives a customer, with its open follow-ups, to another rep; both reps are told; every change is audited.
// 转交 张三 的客户 给 李四: all of a departing rep's customers at once, one summary to each party.
// Refusals say what the person can do instead and change nothing.
import { z } from "zod";
import { AppError } from "../../core/app-error.ts";
import { getCustomer } from "../../domain/customers/customer.repo.ts";
import { assertOwnedLimit, isAbove, reassignCustomer, type Reassigned } from "../../domain/customers/ownership.service.ts";
import { customersOwnedBy, usersNamed } from "../../domain/customers/ownership.repo.ts";
import { assertSalesSide } from "../../domain/users/roles.ts";
import { getUser, type UserInfo } from "../../domain/users/user.repo.ts";
import type { TextCommand } from "../engine/feature.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { askWhichCustomer, defineCustomerPick, PickBaseSchema, resolveCustomer } from "./which-customer.ts";

// The person handed to: a name or an id, no title (王经理 is a customer's contact, not a colleague) and no particle.
const PERSON = "([\\p{Script=Han}A-Za-z0-9_.@-]{1,20})";
const NOT_A_PERSON = /(?:经理|总|工|老师|主任|先生|女士|小姐|了|吧|啊|呢|吗|们|的)$/u;
const FORMS = [
  new RegExp(`^(?:转交|移交)\\s*(.+?)\\s*(?:给|到)\\s*${PERSON}$`, "su"),
  new RegExp(`^把\\s*(.+?)\\s*(?:转交给|移交给|转交|转给|交接给|移交)\\s*${PERSON}$`, "su"),
];
/** 张三的客户 / 张三的所有客户 / 张三名下的客户: every customer of one rep. */
const ALL_OF = /^(.+?)\s*(?:的|名下的?)\s*(?:所有|全部)?\s*客户$/su;

export type ReassignRequest = { kind: "one"; customer: string; to: string } | { kind: "all"; from: string; to: string };

export function parseReassign(text: string): ReassignRequest | null {
  const t = text.trim();
  for (const re of FORMS) {
    const m = re.exec(t);
    if (!m) continue;
    const subject = m[1]!.trim();
    const to = m[2]!;
    if (!subject || subject.length > 40 || /[，。,；;！!？?\n]/.test(subject) || NOT_A_PERSON.test(to)) return null;
    const all = ALL_OF.exec(subject);
    return all ? { kind: "all", from: all[1]!.trim(), to } : { kind: "one", customer: subject, to };
  }
  return null;
}

export const reassignCommands: TextCommand[] = [{ matches: (t) => parseReassign(t) !== null, run: (ctx, t) => handleReassign(ctx, parseReassign(t)!) }];

/** The reassignment waits while the manager picks which customer they meant. */
export const reassignPick = defineCustomerPick({
  kind: "reassign_customer",
  schema: PickBaseSchema.extend({ toId: z.string() }),
  allowNew: false,
  what: "转交",
  resume: async (ctx, data, choice) => {
    if (choice.kind !== "existing") throw new AppError("bad_choice", "这个选项无效，请重新发送消息。");
    const to = await getUser(ctx.tx, data.toId);
    if (!to) throw new AppError("reassign_target_gone", "要转交的同事已不在组织里，没有转交。");
    await reassignOne(ctx, choice.id, to);
  },
  done: (choice) => `已转交「${choice.name}」`,
});

const MAY_REASSIGN = ["manager", "director", "admin"];

async function handleReassign(ctx: HandlerContext, req: ReassignRequest): Promise<void> {
  assertSalesSide(ctx.user, "转交客户");
  if (!ctx.user.roles.some((r) => MAY_REASSIGN.includes(r))) {
    const boss = ctx.user.managerId ? await getUser(ctx.tx, ctx.user.managerId) : null;
    throw new AppError("reassign_not_manager", `转交客户需要负责人的上级或管理员来做${boss ? `：请联系${boss.name}` : ""}。你可以发送「客户 名称」查看客户，或发送「领取 名称」领取公海客户。`);
  }
  const to = await targetUser(ctx, req.to);
  if (req.kind === "all") return reassignAll(ctx, req.from, to);
  const found = await resolveCustomer(ctx, req.customer, "visible");
  if (found.kind === "none") throw new AppError("customer_not_found", `没有找到客户「${req.customer}」，请检查名称。发送「客户 名称」可以先查一下。`);
  if (found.kind === "exact") return reassignOne(ctx, found.id, to);
  if (!found.candidates.length) throw new AppError("reassign_not_visible", `和「${req.customer}」相近的客户都不在你的团队，你不能转交。可以请它们负责人的上级或管理员转交。`);
  await askWhichCustomer(ctx, reassignPick, { query: req.customer, candidates: found.candidates, toId: to.id });
}

/** The colleague handed to: one active person with that name (or id) who sells. */
async function targetUser(ctx: HandlerContext, nameOrId: string): Promise<UserInfo> {
  const found = await usersNamed(ctx.tx, nameOrId);
  if (!found.length) throw new AppError("reassign_target_unknown", `没有找到同事「${nameOrId}」。请写同事的姓名，例如：转交 宁波东方轴承 给 张三`);
  if (found.length > 1) throw new AppError("reassign_target_ambiguous", `有${found.length}位同事叫「${nameOrId}」，请用工号：${found.map((u) => u.id).join("、")}`);
  const u = found[0]!;
  if (!u.roles.some((r) => r === "rep" || r === "manager")) throw new AppError("reassign_target_not_sales", `${u.name}不负责客户（不是销售或经理），不能转交给${u.name}。请转交给团队里的销售。`);
  return { id: u.id, name: u.name, roles: u.roles, managerId: u.managerId };
}

/** Refuses unless the actor may move customers from `from` (null: the pool) to `to`. */
async function assertMayReassign(ctx: HandlerContext, from: { id: string; name: string } | null, to: UserInfo, what: string): Promise<void> {
  const actor = ctx.user;
  if (actor.roles.includes("admin")) return;
  if (from && from.id !== actor.id && !(await isAbove(ctx.tx, actor, from.id))) {
    throw new AppError("reassign_not_their_manager", `${what}由${from.name}负责，你不是${from.name}的上级，不能转交。可以请${from.name}的上级或管理员转交。`);
  }
  if (from?.id === actor.id && !(await isAbove(ctx.tx, actor, to.id))) {
    throw new AppError("reassign_not_their_manager", `${to.name}不在你的团队，不能把你的客户转交给${to.name}。请你的上级或管理员转交。`);
  }
  if (to.id !== actor.id && !(await isAbove(ctx.tx, actor, to.id))) {
    throw new AppError("reassign_target_not_team", `${to.name}不在你的团队，不能把客户转交给${to.name}。可以转交给你团队里的同事，或请管理员转交。`);
  }
}

async function reassignOne(ctx: HandlerContext, customerId: string, to: UserInfo): Promise<void> {
  const c = await getCustomer(ctx.tx, customerId);
  if (!c) throw new AppError("customer_not_found", "没有找到这个客户，可能已被删除。");
  if (c.ownerId === to.id) throw new AppError("reassign_same_owner", `「${c.name}」已经由${to.name}负责，不用转交。`);
  const from = c.ownerId ? await usersNamed(ctx.tx, c.ownerId, true).then((us) => us.find((u) => u.id === c.ownerId) ?? null) : null;
  await assertMayReassign(ctx, from, to, `「${c.name}」`);
  await assertOwnedLimit(ctx.tx, to, 1, ctx.rules.pool.maxOwnedPerRep);
  const r = await reassignCustomer(ctx.tx, c.id, c.ownerId, to, ctx.user, ctx.eventId, ctx.now);
  const tasks = r.tasks ? `，${r.tasks}项待办一并转交` : "";
  ctx.out.replyText(`已把「${r.name}」${from ? `从${from.name}` : "从公海"}转交给${to.name}${tasks}。`);
  if (to.id !== ctx.user.id) {
    await ctx.out.notify(to.id, { type: "text", text: `${ctx.user.name}把客户「${r.name}」转交给你${from ? `（原负责人${from.name}）` : ""}${r.tasks ? `，${r.tasks}项待办已转到你的待办，发送「我的待办」查看` : ""}。` });
  }
  if (from && from.id !== ctx.user.id && from.active) {
    await ctx.out.notify(from.id, { type: "text", text: `${ctx.user.name}把你的客户「${r.name}」转交给了${to.name}${r.tasks ? `，相关的${r.tasks}项待办已一并转出` : ""}。` });
  }
}

async function reassignAll(ctx: HandlerContext, fromName: string, to: UserInfo): Promise<void> {
  const candidates = await usersNamed(ctx.tx, fromName, true);
  if (!candidates.length) throw new AppError("reassign_from_unknown", `没有找到同事「${fromName}」。请写同事的姓名，例如：转交 张三 的客户 给 李四`);
  if (candidates.length > 1) throw new AppError("reassign_from_ambiguous", `有${candidates.length}位同事叫「${fromName}」，请用工号：${candidates.map((u) => u.id).join("、")}`);
  const from = candidates[0]!;
  if (from.id === to.id) throw new AppError("reassign_same_owner", `转出和转入的是同一个人（${to.name}），没有转交。`);
  await assertMayReassign(ctx, from, to, `${from.name}的客户`);
  const owned = await customersOwnedBy(ctx.tx, from.id);
  if (!owned.length) throw new AppError("reassign_nothing", `${from.name}名下没有客户，没有需要转交的。`);
  // All or nothing: the whole handover is refused when it would take the receiver over the limit.
  await assertOwnedLimit(ctx.tx, to, owned.length, ctx.rules.pool.maxOwnedPerRep);
  const done: Reassigned[] = [];
  for (const c of owned) done.push(await reassignCustomer(ctx.tx, c.id, from.id, to, ctx.user, ctx.eventId, ctx.now));
  const tasks = done.reduce((n, r) => n + r.tasks, 0);
  const names = done.slice(0, 10).map((r) => r.name).join("、") + (done.length > 10 ? ` 等${done.length}个` : "");
  const counts = `${done.length}个客户${tasks ? `和${tasks}项待办` : ""}`;
  ctx.out.replyText(`已把${from.name}的${counts}转交给${to.name}：${names}。`);
  if (to.id !== ctx.user.id) await ctx.out.notify(to.id, { type: "text", text: `${ctx.user.name}把${from.name}的${counts}转交给你：${names}。发送「我的待办」查看待办。` });
  if (from.id !== ctx.user.id && from.active) await ctx.out.notify(from.id, { type: "text", text: `${ctx.user.name}把你名下的${counts}转交给了${to.name}：${names}。` });
}
