// Who may do what with the team's lists, reassignment, edits and the pool, on each surface (issue 12): 我的客户,
// 团队客户, 客户列表 阶段=报价, 超过7天没跟进的客户, 团队待办, 张三的待办, 张三的客户, 逾期跟进, 李四本周业绩, 转交 X 给 张三,
// 改 客户 X 阶段 报价, 公海客户 and 领取 X, each by a rep (张三), another rep (李四), the manager (王五), the director
// (赵六), the warehouse (陈七), an admin and a stranger. The lists are for the whole sales side, each scoped by role
// (a rep's 团队客户 is their own); one colleague's to-dos and figures for themselves and the people above them;
// 转交 for managers of both, the director and an admin; 改 客户 for the owner, the people above them and an admin;
// 领取 for reps and managers (not the director, not an admin). Every refusal is answered and changes nothing
// (customers' owners and stages, tasks, the audit log); a stranger is refused politely and nothing of theirs is
// stored. The shared driver of test/support/role-surfaces.ts: the same table on the playground, WeCom and DingTalk.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSAL_TEXT } from "../../src/domain/plumbing/refusal.ts";
import type { TestBot } from "../support/test-bot.ts";
import { daysAgo, seedTeam, teamCustomer } from "../support/team-seed.ts";
import { expectReply, refusalsFirst, rowTitle, SURFACES, type Member, type Person } from "../support/role-surfaces.ts";

const SALES_SIDE: Member[] = ["rep", "otherRep", "manager", "director", "admin"];
/** The warehouse asking for anything of the sales side. */
const WAREHOUSE_REFUSAL = /仓库同事不能.+这条消息没有记录任何内容/;

/** 李四's customers (added to seedTeam's): each one 转交'd to 张三 by one of the people allowed to. */
const LISI_CUSTOMERS: Partial<Record<Member, string>> = { manager: "杭州恒力泵业有限公司", director: "苏州精工机械有限公司", admin: "无锡新达电机有限公司" };
/** 张三's customers whose stage each allowed person edits (the refused ones try the first). */
const EDITED: Partial<Record<Member, string>> = { rep: "张三客户01", manager: "张三客户02", director: "张三客户03", admin: "张三客户04" };
/** The pool customers each allowed person claims (seedTeam's two and one more; the refused ones try the first). */
const CLAIMED: Partial<Record<Member, string>> = { rep: "甲辰机电", otherRep: "乙巳电气", manager: "丙午泵阀" };

interface Action {
  name: string;
  allowed: Member[];
  text: (p: Person) => string;
  /** The refusal, by who is refused (the warehouse's is WAREHOUSE_REFUSAL unless given). */
  refused: RegExp;
  done: RegExp | ((p: Member) => RegExp);
  /** What the allowed person's answer must not show (another person's records, out of their scope). */
  hidden?: (p: Member) => RegExp | null;
}

/** How a list card names each person's scope. */
const SCOPE: Record<Member, string> = { rep: "张三（自己的）", otherRep: "李四（自己的）", manager: "王五团队", director: "全公司", admin: "全公司", warehouse: "" };
const NAME: Record<Member, string> = { rep: "张三", otherRep: "李四", manager: "王五", director: "赵六", admin: "管理员", warehouse: "陈七" };
/** A rep's list shows none of the other rep's records (李四's to-dos 寄样品 / 催款 / 约技术交流; 张三's customers). */
const OTHER_REPS: (p: Member) => RegExp | null = (p) => (p === "rep" ? /寄样品|催款|约技术交流|杭州恒力泵业|苏州精工机械|无锡新达电机/ : p === "otherRep" ? /张三客户|宁波东方轴承|带报价回访周经理/ : null);
const list = (name: string, title: string): Action => ({
  name, allowed: SALES_SIDE, text: () => name, refused: WAREHOUSE_REFUSAL, done: (p) => new RegExp(`${title} · ${SCOPE[p].replace(/[()（）]/g, "\\$&")}[\\s\\S]*共 \\d+ 条`), hidden: OTHER_REPS,
});

const ACTIONS: Action[] = [
  { ...list("我的客户", ""), done: (p) => new RegExp(`我的客户 · ${NAME[p]}[\\s\\S]*共 \\d+ 条`) },
  list("团队客户", "团队客户"),
  list("客户列表 阶段=报价", "(方案)?报价阶段的客户"),
  list("超过7天没跟进的客户", "超过7天没跟进的客户"),
  list("团队待办", "团队待办"),
  {
    name: "张三的待办", allowed: ["rep", "manager", "director", "admin"], text: () => "张三的待办",
    refused: /张三不在你的团队里，不能查看张三的待办。你可以发送「我的待办」查看自己的。|仓库同事不能/,
    done: /张三的待办[\s\S]*共 1 条[\s\S]*带报价回访周经理/,
  },
  {
    name: "张三的客户", allowed: ["rep", "manager", "director", "admin"], text: () => "张三的客户",
    refused: /张三不在你的团队里，不能查看张三的客户。你可以发送「我的客户」查看自己的。|仓库同事不能/,
    done: /张三的客户[\s\S]*共 \d+ 条[\s\S]*张三客户/,
    hidden: () => /杭州恒力泵业|苏州精工机械|无锡新达电机/, // 李四's (转交'd to 张三 only further down)
  },
  list("逾期跟进", "逾期跟进"),
  {
    name: "李四本周业绩", allowed: ["otherRep", "manager", "director", "admin"], text: () => "李四本周业绩",
    refused: /李四不在你的团队里，不能查看李四的业绩。|仓库同事不能/,
    done: /本周业绩 · 李四/,
  },
  {
    name: "转交 <customer> 给 张三", allowed: ["manager", "director", "admin"],
    text: (p) => `转交 ${LISI_CUSTOMERS[p as Member] ?? LISI_CUSTOMERS.manager!} 给 张三`,
    refused: /转交客户需要负责人的上级或管理员来做|仓库同事不能转交客户/,
    done: /已把「(杭州恒力泵业|苏州精工机械|无锡新达电机)有限公司」从李四转交给张三。/,
  },
  {
    name: "改 客户 <customer> 阶段 报价", allowed: ["rep", "manager", "director", "admin"],
    text: (p) => `改 客户 ${EDITED[p as Member] ?? EDITED.rep!} 阶段 报价`,
    refused: /只有负责人、负责人的上级或管理员可以修改|由其他同事负责，你不能修改|仓库同事不能修改客户资料/,
    done: /已把「张三客户0[1-4]」的阶段从「.+」改为「(方案)?报价」。/,
  },
  { name: "公海客户", allowed: SALES_SIDE, text: () => "公海客户", refused: WAREHOUSE_REFUSAL, done: /公海客户[\s\S]*(甲辰机电[\s\S]*乙巳电气|乙巳电气[\s\S]*甲辰机电)/ },
  {
    name: "领取 <pool customer>", allowed: ["rep", "otherRep", "manager"],
    text: (p) => `领取 ${CLAIMED[p as Member] ?? CLAIMED.rep!}`,
    refused: /只有销售和经理可以领取公海客户。(你可以发送「公海客户」查看，再用「转交 客户名 给 销售名」交给团队里的销售。|发送「待发货」)|仓库同事不能/,
    done: /已领取「(甲辰机电|乙巳电气|丙午泵阀)」，现在由你负责/,
  },
];

/** Customers' owners and stages, tasks (owner, customer, status, due), the audit log's size. */
const SNAPSHOT = `SELECT
  (SELECT coalesce(json_agg(json_build_object('name', name, 'ownerId', "ownerId", 'stage', stage) ORDER BY name, id), '[]') FROM "Customer") AS customers,
  (SELECT coalesce(json_agg(json_build_object('id', id, 'ownerId', "ownerId", 'customerId', "customerId", 'status', status, 'dueAt', "dueAt") ORDER BY id), '[]') FROM "Task") AS tasks,
  (SELECT count(*)::int FROM "AuditLog") AS audit`;

for (const make of SURFACES) {
  const s = make();
  describe(`team role matrix on ${s.name}`, () => {
    let bot: TestBot;
    const db = () => bot.db.prisma;
    let strangers = 0;

    beforeAll(async () => {
      bot = await s.start();
      await seedTeam(db());
      for (const name of Object.values(LISI_CUSTOMERS)) await teamCustomer(db(), name, "lisi", daysAgo(4));
      await teamCustomer(db(), "丙午泵阀", null, daysAgo(90), { releasedAt: daysAgo(1) });
    });
    afterAll(() => s.close());

    /** What a refusal must leave untouched (one statement, prepared once: three Prisma queries cost ten times its CPU). */
    const snapshot = async () => (await bot.db.sql.query(SNAPSHOT, [], { prepare: "team_role_matrix_snapshot" }))[0];

    const reply = (who: string, from: number, re: RegExp) => expectReply((w) => s.said(w), who, from, re);

    for (const action of ACTIONS) {
      // The refusals first (what each action needs is still there), then the allowed people.
      const order = refusalsFirst(action.allowed);
      it(rowTitle(action.name, action.allowed), async () => {
        for (const p of order) {
          const who = p === "stranger" ? s.strangerId(++strangers) : s.id(p);
          const mark = (await s.said(who)).length;
          const before = await snapshot();
          const inbox = await db().inboxEvent.count();
          await s.say(who, action.text(p));
          if (p === "stranger") {
            await reply(who, mark, new RegExp(REFUSAL_TEXT.slice(0, 12)));
            expect(await db().inboxEvent.count(), "nothing of the stranger's is stored").toBe(inbox);
            expect(await snapshot()).toEqual(before);
          } else if (!action.allowed.includes(p)) {
            await reply(who, mark, action.refused);
            // The refused event is done before its reply is sent: the database is final here.
            expect(await snapshot(), `${p} (${who}) changed nothing`).toEqual(before);
          } else {
            const found = await reply(who, mark, typeof action.done === "function" ? action.done(p) : action.done);
            const hidden = action.hidden?.(p);
            if (hidden) expect(found, `${p}'s ${action.name} shows only what is theirs to see`).not.toMatch(hidden);
          }
        }
      });
    }

    it("the allowed ones took effect: 李四's three customers are 张三's, four stages are 报价, the pool's three claimed, all audited", async () => {
      const owner = async (name: string) => (await db().customer.findFirstOrThrow({ where: { name } })).ownerId;
      for (const name of Object.values(LISI_CUSTOMERS)) expect(await owner(name)).toBe("zhangsan");
      for (const name of Object.values(EDITED)) expect((await db().customer.findFirstOrThrow({ where: { name } })).stage).toBe("proposal");
      expect(await owner("甲辰机电")).toBe("zhangsan");
      expect(await owner("乙巳电气")).toBe("lisi");
      expect(await owner("丙午泵阀")).toBe("wangwu");
      expect(await db().customer.count({ where: { ownerId: null } })).toBe(0);
      for (const actorId of ["wangwu", "zhaoliu", "admin"]) expect(await db().auditLog.count({ where: { actorId, entityType: "customer" } }), actorId).toBeGreaterThanOrEqual(2);
    });
  });
}
