// Who may do what in dispatch, on each surface: every dispatch action (the notice's 确认发货 and 有问题 buttons,
// typed 发货 SO-…, SO-… 缺货, 恢复 SO-…, 待发货, 已签收 SO-…, 收货 SO-… <address>) by the order's rep, another rep,
// the manager, the director, the warehouse, an admin and a stranger. Only the allowed ones succeed: the warehouse
// ships, reports, resumes and lists; the order's rep or the warehouse confirm delivery; only the order's rep gives
// the address. Every refusal is answered and changes nothing (order state, shipments, audit log, open questions);
// a stranger is refused politely and nothing of theirs is stored. One shared driver, the same table on the
// playground (HTTP API), WeCom (encrypted callbacks + API simulator) and DingTalk (Stream client + gateway).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { REFUSAL_TEXT } from "../../src/domain/plumbing/refusal.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { expectReply, refusalsFirst, rowTitle, SURFACES, type Member, type Person, type Surface } from "../support/role-surfaces.ts";

/** P: in dispatch (电机A 10台); S1, S2: shipped (for 已签收 by the rep and by the warehouse). */
interface Orders {
  P: string;
  S1: string;
  S2: string;
}

interface Action {
  name: string;
  allowed: Member[];
  run(s: Surface, who: string, o: Orders, p: Person): Promise<void>;
  refused: (o: Orders) => RegExp;
  done: (o: Orders) => RegExp;
  /** After an allowed run (say 取消 to the question a button opened). */
  after?: (s: Surface, who: string) => Promise<void>;
}

const ACTIONS: Action[] = [
  {
    name: "确认发货 (button)", allowed: ["warehouse"],
    run: (s, who, o) => s.click(who, o.P, "确认发货"),
    refused: () => /只有仓库同事可以确认发货或报告问题/,
    done: (o) => new RegExp(`请回复 ${o.P} 的承运商和单号`),
    after: (s, who) => s.say(who, "取消"),
  },
  {
    name: "有问题 (button)", allowed: ["warehouse"],
    run: (s, who, o) => s.click(who, o.P, "有问题"),
    refused: () => /只有仓库同事可以确认发货或报告问题/,
    done: (o) => new RegExp(`${o.P} 有什么问题？`),
    after: (s, who) => s.say(who, "取消"),
  },
  {
    name: "发货 SO-… (typed)", allowed: ["warehouse"],
    run: (s, who, o) => s.say(who, `发货 ${o.P} 电机A 1台 顺丰 SF1234567890001`),
    refused: () => /只有仓库同事可以确认发货/,
    done: (o) => new RegExp(`已确认 ${o.P} 发货：电机A 1台，顺丰 SF1234567890001`),
  },
  {
    name: "SO-… 缺货 (typed)", allowed: ["warehouse"],
    run: (s, who, o) => s.say(who, `${o.P} 缺货`),
    refused: () => /只有仓库同事可以报告发货问题/,
    done: (o) => new RegExp(`已记录 ${o.P} 的问题：缺货`),
  },
  {
    name: "恢复 SO-…", allowed: ["warehouse"],
    run: (s, who, o) => s.say(who, `恢复 ${o.P}`),
    refused: () => /只有仓库人员可以恢复发货/,
    done: (o) => new RegExp(`已恢复 ${o.P}`),
  },
  {
    name: "待发货", allowed: ["warehouse"],
    run: (s, who) => s.say(who, "待发货"),
    refused: () => /「待发货」是仓库的列表/,
    done: (o) => new RegExp(`待发货（\\d+），最早的在前：[\\s\\S]*${o.P}`),
  },
  {
    name: "已签收 SO-…", allowed: ["rep", "warehouse"],
    // The rep signs S1 off, the warehouse S2; everyone else tries S1.
    run: (s, who, o, p) => s.say(who, `已签收 ${p === "warehouse" ? o.S2 : o.S1}`),
    refused: (o) => new RegExp(`只有订单 ${o.S1} 的销售或仓库可以确认签收`),
    done: (o) => new RegExp(`已记录 (${o.S1}|${o.S2}) 客户签收`),
  },
  {
    name: "收货 SO-… <address>", allowed: ["rep"],
    run: (s, who, o) => s.say(who, `收货 ${o.P} 上海市徐汇区漕溪路1号 王工 13900001111`),
    refused: (o) => new RegExp(`只有订单 ${o.P} 的销售可以填写收货信息`),
    done: (o) => new RegExp(`已(记录|更新) ${o.P} 的收货信息：上海市徐汇区漕溪路1号`),
  },
];

/** The three orders' state, problem and delivery details; shipments, the audit log and open questions, counted. */
const SNAPSHOT = `SELECT
  (SELECT coalesce(json_agg(json_build_object('number', number, 'status', status, 'problem', problem, 'deliveryAddress', "deliveryAddress", 'deliveryContact', "deliveryContact", 'deliveryPhone', "deliveryPhone") ORDER BY number), '[]')
     FROM "Order" WHERE number = ANY($1::text[])) AS orders,
  (SELECT count(*)::int FROM "Shipment") AS shipments,
  (SELECT count(*)::int FROM "AuditLog") AS audit,
  (SELECT count(*)::int FROM "PendingAction" WHERE status = 'pending') AS "openQuestions"`;

for (const make of SURFACES) {
  const s = make();
  describe(`dispatch role matrix on ${s.name}`, () => {
    let bot: TestBot;
    const o: Orders = { P: "", S1: "", S2: "" };
    const db = () => bot.db.prisma;
    let strangers = 0;

    beforeAll(async () => {
      bot = await s.start();
      for (const name of ["华东机电有限公司", "江南重工有限公司", "北方电气有限公司"]) {
        await db().customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
      }
      const place = async (text: string) => {
        const before = await db().order.count();
        await s.say(s.id("rep"), text);
        const row = await eventually(async () => ((await db().order.count()) > before ? db().order.findFirst({ orderBy: { number: "desc" } }) : undefined), `the order (${text})`);
        await s.notice(row!.number);
        return row!.number;
      };
      o.P = await place("下单 华东机电 电机A 10台 单价5000");
      o.S1 = await place("下单 江南重工 电机B 1台 单价8000");
      o.S2 = await place("下单 北方电气 变频器 1台 单价3200");
      for (const [n, no] of [[o.S1, "SF1234567890011"], [o.S2, "SF1234567890012"]] as const) {
        await s.say(s.id("warehouse"), `发货 ${n} 顺丰 ${no}`);
        await eventually(async () => (await db().order.findUniqueOrThrow({ where: { number: n } })).status === "shipped", `${n} shipped`);
      }
    });
    afterAll(() => s.close());

    /** What a refusal must leave untouched (one statement, prepared once: four Prisma queries cost ten times its CPU). */
    const snapshot = async () => (await bot.db.sql.query(SNAPSHOT, [[o.P, o.S1, o.S2]], { prepare: "dispatch_role_matrix_snapshot" }))[0];

    const reply = (who: string, from: number, re: RegExp) => expectReply((w) => s.texts(w), who, from, re);

    for (const action of ACTIONS) {
      // The refusals first (the state each action needs is still there), then the allowed people.
      const order = refusalsFirst(action.allowed);
      it(rowTitle(action.name, action.allowed), async () => {
        // 恢复 needs an open problem and 待发货 something to list: P has them by the time their rows run (缺货 before 恢复).
        for (const p of order) {
          const who = p === "stranger" ? s.strangerId(++strangers) : s.id(p);
          const mark = (await s.texts(who)).length;
          const before = await snapshot();
          const inbox = await db().inboxEvent.count();
          await action.run(s, who, o, p);
          if (p === "stranger") {
            await reply(who, mark, new RegExp(REFUSAL_TEXT.slice(0, 12)));
            expect(await db().inboxEvent.count(), "nothing of the stranger's is stored").toBe(inbox);
            expect(await snapshot()).toEqual(before);
          } else if (!action.allowed.includes(p)) {
            await reply(who, mark, action.refused(o));
            // The refused event is done before its reply is sent: the database is final here.
            expect(await snapshot(), `${p} (${who}) changed nothing`).toEqual(before);
          } else {
            await reply(who, mark, action.done(o));
            if (action.after) {
              const m2 = (await s.texts(who)).length;
              await action.after(s, who);
              await eventually(async () => (await s.texts(who)).length > m2, `the answer to ${who}'s 取消`);
              expect(await snapshot(), `${p}'s question closed, nothing else changed`).toEqual(before);
            }
          }
        }
      });
    }

    it("the allowed ones took effect: one more shipment on P, its problem resumed, its new address, S1 and S2 delivered", async () => {
      const p = await db().order.findUniqueOrThrow({ where: { number: o.P }, include: { shipments: true } });
      expect(p).toMatchObject({ status: "dispatched", problem: null, deliveryAddress: "上海市徐汇区漕溪路1号", deliveryContact: "王工", deliveryPhone: "13900001111" });
      expect(p.shipments).toHaveLength(1);
      for (const n of [o.S1, o.S2]) expect((await db().order.findUniqueOrThrow({ where: { number: n } })).status).toBe("delivered");
      expect(await db().pendingAction.count({ where: { status: "pending" } })).toBe(0);
    });
  });
}
