import { withAdminHelp } from "../../../cards/admin/admin-help.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import { HELP_EXAMPLES, helpCard, WAREHOUSE_HELP_EXAMPLES, warehouseHelpCard } from "../../../cards/help/help.card.ts";
import { isSalesSide } from "../../domain/users/roles.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { suggestHelp, type Suggestion } from "./help-suggest.ts";

/** Each person is shown what their roles can do: warehouse staff their own list, the sales side theirs by role. */
export async function handleHelp(ctx: HandlerContext, intro?: string): Promise<void> {
  const card = isSalesSide(ctx.user) ? helpCard(newCardRef(), intro, ctx.user.roles) : warehouseHelpCard(newCardRef(), intro);
  // Admins also see their own commands (设置 角色, 规则, 同步通讯录).
  await ctx.out.replyCard(ctx.user.roles.includes("admin") ? withAdminHelp(card) : card);
}

/** Never silence: say what was not understood and the commands closest to it (else the usual examples). */
export function handleUnknown(ctx: HandlerContext, text: string): void {
  const shown = text.length > 30 ? text.slice(0, 30) + "…" : text;
  let close: Suggestion[] = [];
  try {
    close = suggestHelp(text.slice(0, 200), ctx.user.roles);
  } catch (err) {
    // A suggestion is a nicety: the usual examples still go out.
    ctx.log.warn("help suggestion failed", { err });
  }
  const lines = close.length
    ? ["你是不是想：", ...close.map((s) => `· ${s.what}：${s.example}`)]
    : ["你可以这样说：", ...(isSalesSide(ctx.user) ? HELP_EXAMPLES : WAREHOUSE_HELP_EXAMPLES).slice(0, 3).map((e) => `· ${e.example}`)];
  ctx.out.replyText(`没太明白「${shown}」。${lines.join("\n")}\n发送「帮助」查看全部用法。`);
}

export function handleUnsupported(ctx: HandlerContext, messageType: string): void {
  const what: Record<string, string> = { image: "图片", voice: "语音", video: "视频", file: "文件", location: "位置" };
  ctx.out.replyText(`暂时看不懂${what[messageType] ?? "这类消息"}，请直接发文字，例如：客户 华东机电。发送「帮助」查看全部用法。`);
}
