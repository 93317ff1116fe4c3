// The role matrix (test/hostile/role-matrix.ts) on WeCom: encrypted callbacks in, the API simulator out.
// 张三 gets an answer or a notice in every row, over 30 messages within a minute. At WeCom's 30 a minute per member
// (src/channels/wecom/rate-limiter.ts) the outbox held his later answers for a free slot, and the rows waited most
// of a minute for WeCom's window, not for the bot. Here the bot's outbox and the simulator both allow 300 a minute
// (WeCom's 1000 an hour kept): permissions are what this file proves, and the simulator dropped nothing (checked
// at close). The 30 a minute itself (the 31st message held, not dropped, and sent a minute later; failed calls use
// no slot) is proven on the real sender, outbox and simulator by test/wecom/wecom-limits.test.ts.
import { wecom } from "../support/role-surfaces.ts";
import { roleMatrix } from "./role-matrix.ts";

roleMatrix((opts) => wecom({ ...opts, wecomMemberPerMinute: 300 }));
