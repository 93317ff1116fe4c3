// 设置 角色 张三 经理: an admin gives a person their roles. Kept as an override (User.roleOverride) that wins over
// the org file and the directory sync until 设置 角色 张三 恢复 (which gives back the roles from before it), so
// neither a restart nor a sync undoes it. Audited.
import { AppError } from "../../core/app-error.ts";
import { audit } from "../../domain/audit/audit.repo.ts";
import { usersNamed } from "../../domain/customers/ownership.repo.ts";
import { clearRoleOverride, roleOverrideOf, setRoleOverride } from "../../domain/directory/role-override.repo.ts";
import type { AdminCommand } from "../../nlu/rules/admin-commands.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { assertAdmin } from "./admin-guard.ts";

const ROLE_NAMES: Record<string, string> = { rep: "销售", manager: "经理", director: "总监", warehouse: "仓库", admin: "管理员" };
const named = (roles: readonly string[]) => roles.map((r) => ROLE_NAMES[r] ?? r).join("、") || "无";
export const ROLE_HINT = "销售、经理、总监、仓库、管理员";

type RoleCommand = Extract<AdminCommand, { kind: "set_role" | "reset_role" | "bad_role" | "set_role_usage" }>;

export async function handleSetRole(ctx: HandlerContext, cmd: RoleCommand): Promise<void> {
  assertAdmin(ctx.user, "设置角色");
  if (cmd.kind === "set_role_usage") throw new AppError("set_role_usage", `请写上同事和角色，例如：设置 角色 张三 经理（角色：${ROLE_HINT}，可写多个：经理、销售）。`);
  if (cmd.kind === "bad_role") throw new AppError("role_unknown", `没有「${cmd.word}」这个角色，没有改动。可以设置的角色：${ROLE_HINT}。例如：设置 角色 ${cmd.person} 经理`);
  const found = await usersNamed(ctx.tx, cmd.person);
  if (!found.length) throw new AppError("person_unknown", `没有找到在职的同事「${cmd.person}」，没有改动。请写同事的姓名或工号。`);
  if (found.length > 1) throw new AppError("person_ambiguous", `有${found.length}位同事叫「${cmd.person}」，请用工号：${found.map((u) => u.id).join("、")}`);
  const person = found[0]!;
  if (cmd.kind === "reset_role") {
    const had = await roleOverrideOf(ctx.tx, person.id);
    if (!had.length) throw new AppError("role_not_overridden", `${person.name}的角色没有被单独设置过，现在是：${named(person.roles)}（来自组织文件或通讯录）。`);
    const roles = await clearRoleOverride(ctx.tx, person.id, person.roles);
    await audit(ctx.tx, { actorId: ctx.user.id, action: "user.role_override_clear", entityType: "user", entityId: person.id, before: { roles: person.roles, roleOverride: had }, after: { roles, roleOverride: [] }, eventId: ctx.eventId, at: ctx.now });
    ctx.out.replyText(`已取消${person.name}的单独角色设置，角色恢复为设置之前的：${named(roles)}。以后按组织文件或通讯录的规则定角色（重启或同步通讯录时更新）。`);
    if (person.id !== ctx.user.id && roles.join() !== person.roles.join()) {
      await ctx.out.notify(person.id, { type: "text", text: `${ctx.user.name}把你的角色恢复为：${named(roles)}。发送「帮助」查看你现在能用的功能。` });
    }
    return;
  }
  // An admin cannot take away their own admin role: nobody might be left to give it back.
  if (person.id === ctx.user.id && !cmd.roles.includes("admin")) {
    throw new AppError("self_demote", "不能去掉自己的管理员角色，没有改动。如需调整，请另一位管理员来设置，或修改组织文件。");
  }
  const same = [...cmd.roles].sort().join() === [...person.roles].sort().join();
  const had = await roleOverrideOf(ctx.tx, person.id);
  if (same && had.length) throw new AppError("role_same", `${person.name}的角色已经是：${named(person.roles)}，没有改动。`);
  await setRoleOverride(ctx.tx, person.id, cmd.roles);
  await audit(ctx.tx, { actorId: ctx.user.id, action: "user.role_override", entityType: "user", entityId: person.id, before: { roles: person.roles, roleOverride: had }, after: { roles: cmd.roles, roleOverride: cmd.roles }, eventId: ctx.eventId, at: ctx.now });
  ctx.out.replyText(`已把${person.name}的角色设为：${named(cmd.roles)}（原来：${named(person.roles)}）。这个设置优先于组织文件和通讯录同步，重启和同步都不会改回；要恢复请发「设置 角色 ${person.name} 恢复」。`);
  if (person.id !== ctx.user.id) {
    await ctx.out.notify(person.id, { type: "text", text: `${ctx.user.name}把你的角色设为：${named(cmd.roles)}。发送「帮助」查看你现在能用的功能。` });
  }
}
