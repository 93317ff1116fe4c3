// Who may do what (the shared table; run by role-matrix.test.ts, role-matrix-wecom.test.ts, role-matrix-dingtalk.test.ts), every action by every role and by a stranger, on the playground, WeCom and DingTalk (issue 14):
// see (客户 X, 订单 SO-…, 团队客户, 电机A多少钱), log (a visit), order (下单), approve (同意 on the approval card, 同意 SO-…
// and 驳回 SO-… typed; 待审批 and 审批 N from it), resubmit a rejected order (重新提交 SO-… 单价…), confirm shipment (发货 SO-…), claim (领取), transfer (转交 … 给 …, 把…转给…) and the admin
// commands (设置 角色, 规则, 同步通讯录), by 张三 (rep), 李四 (another rep), 王五 (their manager), 孙八 (another team's
// manager), 赵六 (director), 陈七 (warehouse), 管理员 (admin) and a stranger. Only the allowed ones succeed; every
// refusal is answered and leaves the tables as they were (a snapshot of customers, orders, approvals, shipments,
// visits, tasks, users' roles, open questions and the audit log before and after); a stranger is refused politely
// and nothing of theirs is stored. One bot per surface (test/support/role-surfaces.ts), refusals first in each row
// so what an action needs is still there, and each allowed person on their own target.
// The dispatch buttons and the rest of the team's commands have their own matrices (test/dispatch/role-matrix.test.ts,
// test/team/team-role-matrix.test.ts); this one adds the other team's manager and the actions those do not cover.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSAL_TEXT } from "../../src/domain/plumbing/refusal.ts";
import { demoOrgWith } from "../support/demo-org.ts";
import { daysAgo, teamCustomer } from "../support/team-seed.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { expectReply, type AnyMember, type Surface, type SurfaceOptions } from "../support/role-surfaces.ts";

type Who = AnyMember | "stranger";
const PEOPLE: Who[] = ["rep", "otherRep", "manager", "otherManager", "director", "warehouse", "admin", "stranger"];
const NAME: Record<AnyMember, string> = { rep: "张三", otherRep: "李四", manager: "王五", otherManager: "孙八", director: "赵六", warehouse: "陈七", admin: "管理员" };
const SALES: AnyMember[] = ["rep", "otherRep", "manager", "otherManager", "director", "admin"];

/** The demo organisation, the admin on DingTalk too, and a second team: 孙八 (manager) and his rep 周九. */
function orgFile(): string {
  const chenqi = '  - { id: chenqi, name: 陈七, roles: [warehouse], wecom: ChenQi, dingtalk: "0401" }';
  return demoOrgWith([
    ["{ id: admin, name: 管理员, roles: [admin], wecom: Admin }", '{ id: admin, name: 管理员, roles: [admin], wecom: Admin, dingtalk: "0501" }'],
    [chenqi, `${chenqi}\n  - { id: sunba, name: 孙八, roles: [manager, rep], manager: zhaoliu, wecom: SunBa, dingtalk: "0202" }\n  - { id: zhoujiu, name: 周九, roles: [rep], manager: sunba, wecom: ZhouJiu, dingtalk: "0103" }`],
  ]);
}

/**
 * Orders 张三 placed: A, B, C wait for 王五's approval (card 同意, typed 同意, typed 驳回); D is approved, waiting to ship;
 * E was rejected by 王五 (for 重新提交).
 */
interface Orders {
  A: string;
  B: string;
  C: string;
  D: string;
  E: string;
}

interface Action {
  name: string;
  allowed: AnyMember[];
  run(s: Surface, who: string, p: Who, o: Orders): Promise<void>;
  refused: RegExp;
  done: RegExp;
  /** What the allowed person's answer must not show. */
  hidden?: (p: AnyMember) => RegExp | null;
}

/** Each allowed person's own target where an action consumes one (a pool customer, a customer to hand over…). */
const CLAIM: Partial<Record<Who, string>> = { rep: "甲辰机电", otherRep: "乙巳电气", manager: "丙午泵阀", otherManager: "丁未机械" };
const TRANSFER: Partial<Record<Who, string>> = { manager: "张三客户甲", director: "张三客户乙", admin: "张三客户丙" };
const TRANSFER_BA: Partial<Record<Who, string>> = { manager: "张三客户丁", director: "张三客户戊", admin: "张三客户己" };
/** A customer each person owns (the warehouse and the admin own none: a new name for them). */
const OWN: Record<AnyMember, string> = { rep: "东海泵业有限公司", otherRep: "南山阀门有限公司", manager: "西岭电机有限公司", otherManager: "北辰机械有限公司", director: "中原重工有限公司", warehouse: "江北物流有限公司", admin: "天元科技有限公司" };
const NOT_WAREHOUSE = /仓库同事不能/;

const ACTIONS: Action[] = [
  {
    name: "see 客户 华东机电 (张三's)", allowed: ["rep", "manager", "director", "admin"],
    run: (s, who) => s.say(who, "客户 华东机电"),
    refused: /不是你的客户|不在你的团队|没有找到客户|你没有查看权限|仓库同事不能/,
    done: /华东机电有限公司[\s\S]*张三/,
  },
  {
    // The warehouse sees what it ships (quantities, no prices: checked below).
    name: "see 订单 SO-… (张三's)", allowed: ["rep", "manager", "director", "warehouse", "admin"],
    run: (s, who, _p, o) => s.say(who, `订单 ${o.D}`),
    refused: /你没有查看权限/,
    done: /订单 SO-\d{8}-\d+ · 华东机电有限公司/,
    hidden: (p) => (p === "warehouse" ? /¥|单价|折扣|金额/ : null),
  },
  {
    name: "see 团队客户", allowed: SALES,
    run: (s, who) => s.say(who, "团队客户"),
    refused: NOT_WAREHOUSE,
    done: /团队客户 · [\s\S]*共 \d+ 条/,
    // Each sees their own scope: a rep their own, 孙八 his team (not 王五's people), the director and admin everyone.
    hidden: (p) => ({ rep: /｜李四|｜孙八/, otherRep: /｜张三|｜孙八/, otherManager: /｜张三|｜李四|｜王五/ } as Partial<Record<AnyMember, RegExp>>)[p] ?? null,
  },
  {
    name: "log a visit", allowed: ["rep", "otherRep", "manager", "otherManager", "director", "admin"],
    run: (s, who, p) => s.say(who, `今天拜访了${p === "stranger" ? "某某" : OWN[p as AnyMember]}的刘经理，下周三带报价再去`),
    refused: NOT_WAREHOUSE,
    // The admin owns no customer: a new one is asked about first (确认后会新建客户).
    done: /已记录拜访|是新客户吗？/,
  },
  {
    name: "order 下单 (their own customer)", allowed: ["rep", "otherRep", "manager", "otherManager", "director"],
    run: (s, who, p) => s.say(who, `下单 ${p === "stranger" ? "某某" : OWN[p as AnyMember]} 电缆 1卷 单价600`),
    refused: /只有销售、经理和总监可以下单|仓库同事不能/,
    done: /订单 SO-\d{8}-\d+[\s\S]*已批准/,
  },
  {
    // What waits for approval: an approver their queue (王五: A, B, C), a rep their own orders waiting, each only theirs.
    name: "see 待审批", allowed: ["rep", "otherRep", "manager", "otherManager", "director"],
    run: (s, who) => s.say(who, "待审批"),
    refused: /仓库同事不能查看待审批的订单|管理员不审批订单/,
    done: /待你审批（\d+）|你现在没有待审批的订单|你的订单在等审批（\d+）|你没有在等审批的订单/,
    hidden: (p) => ({ rep: /待你审批/, manager: /没有待审批|你的订单在等审批/, otherRep: /华东机电/, otherManager: /华东机电/, director: /华东机电/ } as Partial<Record<AnyMember, RegExp>>)[p] ?? null,
  },
  {
    // 审批 1 on the newest 待审批 list: 王五's brings up A's approval card again; a rep's list acts on nothing.
    name: "bring up an approval card from 待审批 (审批 1)", allowed: ["manager"],
    run: (s, who) => s.say(who, "审批 1"),
    refused: /这张列表是你自己在等审批的订单|没有可以按编号审批的列表/,
    done: /折扣审批 SO-\d{8}-\d+/,
  },
  {
    name: "approve on the approval card (同意)", allowed: ["manager"],
    run: (s, who, _p, o) => s.clickCard(who, s.id("manager"), new RegExp(`折扣审批 ${o.A}`), "同意"),
    refused: /只有当前审批人王五可以审批|审批人|仓库同事不能/,
    done: /^已同意 SO-\d{8}-\d+。/,
  },
  {
    name: "approve typed (同意 SO-…)", allowed: ["manager"],
    run: (s, who, _p, o) => s.say(who, `同意 ${o.B}`),
    refused: /只有当前审批人王五可以审批|审批人|仓库同事不能/,
    done: /^已同意 SO-\d{8}-\d+。/,
  },
  {
    name: "reject typed (驳回 SO-… 理由)", allowed: ["manager"],
    run: (s, who, _p, o) => s.say(who, `驳回 ${o.C} 价格太低`),
    refused: /只有当前审批人王五可以审批|审批人|仓库同事不能/,
    done: /^已驳回 SO-\d{8}-\d+，理由：价格太低/,
  },
  {
    // Warehouse staff see no prices anywhere; everyone on the sales side sees the list with their own limit.
    name: "see prices (电机A多少钱)", allowed: SALES,
    run: (s, who) => s.say(who, "电机A多少钱"),
    refused: /仓库同事看不到价格/,
    done: /电机A（MOTOR-A）¥5,000\/台/,
  },
  {
    // Only the order's rep resubmits a rejected order (E): the same number, approved at once within 5%.
    name: "resubmit a rejected order (重新提交 SO-… 单价…)", allowed: ["rep"],
    run: (s, who, _p, o) => s.say(who, `重新提交 ${o.E} 单价11400`),
    refused: /只有下单的销售张三可以修改并重新提交/,
    done: /已修改并重新提交/,
  },
  {
    name: "confirm shipment (发货 SO-…)", allowed: ["warehouse"],
    run: (s, who, _p, o) => s.say(who, `发货 ${o.D} 顺丰 SF1234567890021`),
    refused: /只有仓库同事可以确认发货/,
    done: /已确认 SO-.* 发货/,
  },
  {
    name: "claim (领取 <pool customer>)", allowed: ["rep", "otherRep", "manager", "otherManager"],
    run: (s, who, p) => s.say(who, `领取 ${CLAIM[p] ?? CLAIM.rep!}`),
    refused: /只有销售和经理可以领取公海客户|仓库同事不能/,
    done: /已领取「.+」，现在由你负责/,
  },
  {
    name: "transfer (转交 <张三's customer> 给 李四)", allowed: ["manager", "director", "admin"],
    run: (s, who, p) => s.say(who, `转交 ${TRANSFER[p] ?? TRANSFER.manager!} 给 李四`),
    refused: /转交客户需要负责人的上级或管理员来做|你不是张三的上级|不在你的团队|仓库同事不能转交客户/,
    done: /已把「张三客户.」从张三转交给李四/,
  },
  {
    name: "transfer (把<张三's customer>转给李四)", allowed: ["manager", "director", "admin"],
    run: (s, who, p) => s.say(who, `把${TRANSFER_BA[p] ?? TRANSFER_BA.manager!}转给李四`),
    refused: /转交客户需要负责人的上级或管理员来做|你不是张三的上级|不在你的团队|仓库同事不能转交客户/,
    done: /已把「张三客户.」从张三转交给李四/,
  },
  {
    name: "admin: 设置 角色 周九 经理", allowed: ["admin"],
    run: (s, who) => s.say(who, "设置 角色 周九 经理"),
    refused: /只有管理员可以/,
    done: /已把周九的角色设为/,
  },
  {
    name: "admin: 规则", allowed: ["admin"],
    run: (s, who) => s.say(who, "规则"),
    refused: /只有管理员可以/,
    done: /当前生效的规则[\s\S]*经理折扣权限/,
  },
  {
    name: "admin: 同步通讯录", allowed: ["admin"],
    run: (s, who) => s.say(who, "同步通讯录"),
    refused: /只有管理员可以/,
    done: /还没有配置通讯录同步/,
  },
];

const SNAPSHOT = `SELECT
  (SELECT coalesce(json_agg(json_build_object('name', name, 'ownerId', "ownerId", 'stage', stage) ORDER BY name, id), '[]') FROM "Customer") AS customers,
  (SELECT coalesce(json_agg(json_build_object('number', number, 'status', status) ORDER BY number), '[]') FROM "Order") AS orders,
  (SELECT coalesce(json_agg(json_build_object('id', id, 'status', status) ORDER BY id), '[]') FROM "ApprovalStep") AS approvals,
  (SELECT count(*)::int FROM "Shipment") AS shipments,
  (SELECT count(*)::int FROM "Activity") AS activities,
  (SELECT count(*)::int FROM "Task") AS tasks,
  (SELECT coalesce(json_agg(json_build_object('id', id, 'roles', roles) ORDER BY id), '[]') FROM "User") AS roles,
  (SELECT count(*)::int FROM "PendingAction" WHERE status = 'pending') AS "openQuestions",
  (SELECT count(*)::int FROM "AuditLog") AS audit`;

/** Refused people (and a stranger) first, while what the action needs is still there. */
const order = (allowed: readonly AnyMember[]): Who[] => [...PEOPLE.filter((p) => p === "stranger" || !allowed.includes(p)), ...allowed];
const title = (a: Action) => `${a.name}: ${a.allowed.join(", ")} may; ${PEOPLE.filter((p) => !a.allowed.includes(p as AnyMember)).join(", ")} refused`;
/** The matrix on one surface (one bot); each surface has its own test file so the three run in parallel. */
export function roleMatrix(make: (opts: SurfaceOptions) => Surface): void {
  const s = make({ orgFile });
  describe(`role matrix on ${s.name} (every action, every role, a stranger)`, () => {
    let bot: TestBot;
    const o: Orders = { A: "", B: "", C: "", D: "", E: "" };
    const db = () => bot.db.prisma;
    let strangers = 0;

    beforeAll(async () => {
      bot = await s.start();
      const customer = (name: string, owner: string | null, extra: Record<string, unknown> = {}) => teamCustomer(db(), name, owner, daysAgo(5), { ...WITH_DELIVERY, ...extra });
      await customer("华东机电有限公司", "zhangsan");
      for (const n of ["甲", "乙", "丙", "丁", "戊", "己"]) await customer(`张三客户${n}`, "zhangsan");
      for (const [p, id] of [["rep", "zhangsan"], ["otherRep", "lisi"], ["manager", "wangwu"], ["otherManager", "sunba"], ["director", "zhaoliu"]] as const) await customer(OWN[p], id);
      for (const name of Object.values(CLAIM)) await customer(name, null, { releasedAt: daysAgo(2) });
      const place = async (text: string) => {
        const before = await db().order.count();
        await s.say(s.id("rep"), text);
        const row = await eventually(async () => ((await db().order.count()) > before ? db().order.findFirst({ orderBy: { number: "desc" } }) : undefined), `the order (${text})`);
        return row!.number;
      };
      // Discounts within the manager's limit (above the rep's 5%): 王五 approves.
      o.A = await place("下单 华东机电 电机A 10台 单价4600");
      o.B = await place("下单 华东机电 电机B 2台 单价7400");
      o.C = await place("下单 华东机电 变频器 5台 单价2950");
      o.D = await place("下单 华东机电 电缆 2卷 单价600");
      o.E = await place("下单 华东机电 PLC 1套 单价11000");
      await s.card(s.id("manager"), new RegExp(`折扣审批 ${o.E}`));
      await s.say(s.id("manager"), `驳回 ${o.E} 价格太低`);
      await eventually(async () => ((await db().order.findUniqueOrThrow({ where: { number: o.E } })).status === "rejected" ? true : undefined), "E rejected");
      await s.card(s.id("manager"), new RegExp(`折扣审批 ${o.A}`));
      await s.notice(o.D);
    });
    afterAll(() => s.close());

    /**
     * What a refusal must leave untouched: customers, orders, approval steps, shipments, visits, tasks, users' roles,
     * open questions and the audit log. One statement, prepared once (nine Prisma queries cost about 36 ms of CPU,
     * this about 1 ms, twice for every person in every row).
     */
    const snapshot = async () => (await bot.db.sql.query(SNAPSHOT, [], { prepare: "role_matrix_snapshot" }))[0];

    const reply = (who: string, from: number, re: RegExp) => expectReply((w) => s.said(w), who, from, re);

    for (const action of ACTIONS) {
      it(title(action), { timeout: 300_000 }, async () => {
        for (const p of order(action.allowed)) {
          const who = p === "stranger" ? s.strangerId(++strangers) : s.id(p);
          const mark = (await s.said(who)).length;
          const before = await snapshot();
          const inbox = await db().inboxEvent.count();
          await action.run(s, who, p, o);
          if (p === "stranger") {
            await reply(who, mark, new RegExp(REFUSAL_TEXT.slice(0, 12)));
            expect(await db().inboxEvent.count(), "nothing of the stranger's is stored").toBe(inbox);
            expect(await snapshot()).toEqual(before);
          } else if (!action.allowed.includes(p)) {
            await reply(who, mark, action.refused);
            // The refused event is done before its reply is sent: the database is final here.
            expect(await snapshot(), `${p} (${NAME[p]}) changed nothing`).toEqual(before);
          } else {
            const found = await reply(who, mark, action.done);
            const hidden = action.hidden?.(p);
            if (hidden) expect(found, `${p}'s answer shows only what is theirs to see`).not.toMatch(hidden);
          }
        }
      });
    }

    it("the allowed ones took effect", async () => {
      const status = async (n: string) => (await db().order.findUniqueOrThrow({ where: { number: n } })).status;
      expect(await status(o.A)).not.toBe("pending_approval");
      expect(await status(o.B)).not.toBe("pending_approval");
      expect(await status(o.C)).toBe("rejected");
      expect(await status(o.E)).toBe("dispatched"); // resubmitted by 张三 within his limit, under its own number
      expect(await db().shipment.count({ where: { order: { number: o.D } } })).toBe(1);
      const owner = async (name: string) => (await db().customer.findFirstOrThrow({ where: { name } })).ownerId;
      for (const [name, id] of [["甲辰机电", "zhangsan"], ["乙巳电气", "lisi"], ["丙午泵阀", "wangwu"], ["丁未机械", "sunba"]]) expect(await owner(name!), name).toBe(id);
      // Each allowed person's own order (at list price: approved at once).
      for (const p of ["rep", "otherRep", "manager", "otherManager", "director"] as const) expect(await db().order.count({ where: { customer: { name: OWN[p] } } }), OWN[p]).toBe(1);
      for (const name of [...Object.values(TRANSFER), ...Object.values(TRANSFER_BA)]) expect((await db().customer.findFirstOrThrow({ where: { name } })).ownerId, name).toBe("lisi");
      expect((await db().user.findUniqueOrThrow({ where: { id: "zhoujiu" } })).roles).toContain("manager");
    });
  });
}
