// The admin's lines in 帮助 (only people with the admin role see them).
import type { Card } from "../../src/core/card.ts";

export const ADMIN_HELP_EXAMPLES: { what: string; example: string }[] = [
  { what: "设置同事的角色（销售、经理、总监、仓库、管理员；优先于组织文件和通讯录）", example: "设置 角色 张三 经理 / 设置 张三 为经理、销售" },
  { what: "恢复按组织文件或通讯录定角色", example: "设置 角色 张三 恢复" },
  { what: "查看当前规则（审批、大单、公海、工作时间、免打扰、提醒）", example: "规则" },
  { what: "立即同步企业微信/钉钉通讯录", example: "同步通讯录" },
];

/** The help card with the admin section added. */
export function withAdminHelp(card: Card): Card {
  return { ...card, lines: [...(card.lines ?? []), "管理员：", ...ADMIN_HELP_EXAMPLES.map((e) => `· ${e.what}：${e.example}`)] };
}
