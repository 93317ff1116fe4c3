import type { Card } from "../src/core/card.ts";

export const HELP_EXAMPLES: { what: string; example: string }[] = [
  { what: "记录拜访", example: "今天拜访了华东机电的王经理，下季度要200台电机，下周三带报价再去" },
  { what: "查客户", example: "客户 华东机电" },
  { what: "我的待办", example: "我的待办" },
  { what: "下单", example: "下单 华东机电 电机A 200台 单价4500" },
  { what: "确认发货", example: "发货 SO-20261123-001 顺丰 SF1234567890" },
  { what: "领取公海客户", example: "领取 华东机电" },
  { what: "看业绩", example: "本周业绩" },
];

export function helpCard(ref: string, intro?: string): Card {
  return {
    ref,
    purpose: "help",
    title: "销售助手能帮你做这些",
    subtitle: intro,
    tone: "info",
    fields: [],
    lines: HELP_EXAMPLES.map((e) => `· ${e.what}：${e.example}`),
    buttons: [],
  };
}
