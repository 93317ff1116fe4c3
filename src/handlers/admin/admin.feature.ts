// The admin's chat commands: 设置 角色 张三 经理, 规则, 同步通讯录 — read before the parser (src/nlu/rules/
// admin-commands.ts), answered to admins only; anyone else gets a polite refusal and nothing changes.
import { AppError } from "../../core/app-error.ts";
import { requestDirectorySync } from "../../domain/directory/sync-request.repo.ts";
import { parseAdminCommand } from "../../nlu/rules/admin-commands.ts";
import type { Feature } from "../engine/feature.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { assertAdmin } from "./admin-guard.ts";
import { handleSetRole } from "./set-role.handler.ts";
import { handleShowRules } from "./show-rules.handler.ts";

async function handleSyncRequest(ctx: HandlerContext): Promise<void> {
  assertAdmin(ctx.user, "同步通讯录");
  if (!ctx.rules.directory) {
    throw new AppError("directory_not_configured", "还没有配置通讯录同步：请在组织文件里加上 directory 一节（按部门、标签或人员给角色），重启后再发「同步通讯录」。");
  }
  const r = await requestDirectorySync(ctx.tx, ctx.user.id, ctx.eventId);
  ctx.out.replyText(r === "queued" ? "好的，开始同步通讯录，完成后把新增、更新和停用的人告诉你。" : "通讯录正在同步中，完成后会告诉发起同步的管理员。");
}

export const adminFeature: Feature = {
  name: "admin",
  commands: [
    {
      matches: (text) => parseAdminCommand(text) !== null,
      run: async (ctx, text) => {
        const cmd = parseAdminCommand(text);
        if (!cmd) return "pass";
        switch (cmd.kind) {
          case "show_rules":
            return handleShowRules(ctx);
          case "sync_directory":
            return handleSyncRequest(ctx);
          default:
            return handleSetRole(ctx, cmd);
        }
      },
    },
  ],
};
