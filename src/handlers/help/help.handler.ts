import { newCardRef } from "../../../cards/card-ref.ts";
import { HELP_EXAMPLES, helpCard } from "../../../cards/help/help.card.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

export async function handleHelp(ctx: HandlerContext, intro?: string): Promise<void> {
  await ctx.out.replyCard(helpCard(newCardRef(), intro));
}

/** Never silence: say what was not understood and how to say it. */
export function handleUnknown(ctx: HandlerContext, text: string): void {
  const shown = text.length > 30 ? text.slice(0, 30) + "…" : text;
  ctx.out.replyText(
    `没太明白「${shown}」。你可以这样说：\n` +
      HELP_EXAMPLES.slice(0, 3).map((e) => `· ${e.example}`).join("\n") +
      "\n发送「帮助」查看全部用法。",
  );
}

export function handleUnsupported(ctx: HandlerContext, messageType: string): void {
  const what: Record<string, string> = { image: "图片", voice: "语音", video: "视频", file: "文件", location: "位置" };
  ctx.out.replyText(`暂时看不懂${what[messageType] ?? "这类消息"}，请直接发文字，例如：客户 华东机电。发送「帮助」查看全部用法。`);
}

export function handleNotYet(ctx: HandlerContext, what: string): void {
  ctx.out.replyText(`「${what}」功能还在开发中，很快上线；这条消息没有记录任何内容。现在可以：记录拜访、查客户、看待办、领取公海客户、看业绩、下单和审批。发送「帮助」查看用法。`);
}
