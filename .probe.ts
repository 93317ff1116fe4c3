import { findDateMentions } from "./src/nlu/rules/dates.ts";
const now = new Date(process.argv[2] ?? "2026-11-23T10:00:00+08:00");
const phrases = ["明天","后天","大后天","下周三下午三点","下周三","3天后","三天后","月底","11月30日","下个月5号","周五前","下午","明天下午","下礼拜二","本周五","这周日","周五","下周一上午10点","12月2号","下午3点","明天上午十点半","两周后","一周后","下个月","月底前","11月30号下午2点","礼拜天","后天上午","12/5","2026-12-05","今晚","明早","下下周一","3点","下周","周末","下个月底","3月底","下月中旬","5号","2号任务","3个月后","两个礼拜后","下午两点","年底","明儿","12月15号再跟进","1月8日前","下周二下午两点面谈","S7-1200 PLC","SO-20261123-001"];
for (const p of phrases) {
  const r = findDateMentions("我们"+p+"再去", now, "Asia/Shanghai");
  console.log(p.padEnd(14), r.map(x => `[${x.text}] ${x.local.year}-${x.local.month}-${x.local.day} ${x.local.hour}:${x.local.minute} ${x.hasTime?"T":""}`).join(" | "));
}
