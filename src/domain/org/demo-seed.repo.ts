// The demo organisation's starting customers (only with prisma/org.demo.yaml, never a real ORG_FILE): a few in
// the public pool, released some days ago, and a few owned ones with no follow-up for weeks, so a newcomer can
// try 公海客户, 领取, 转交 and the nightly release warning on the first day. Written once: a marker row in the
// audit log says it was done, so a restart (or a customer claimed, reassigned or released since) adds nothing.
import { audit } from "../audit/audit.repo.ts";
import type { DbClient, Tx } from "../tx.ts";

export const DEMO_SEED_ACTOR = "system:demo-seed";
const DAY_MS = 24 * 3600_000;

interface SeedCustomer {
  name: string;
  industry: string;
  region: string;
  stage?: "contacted" | "qualified" | "proposal";
  level?: "A" | "B" | "C";
  /** In the pool: released this many days ago, from this former owner, after this many idle days. */
  pool?: { daysAgo: number; formerOwner: string; idleDays: number };
  /** Owned: by whom, last followed up this many days ago, with this contact and open follow-up. */
  owned?: { owner: string; idleDays: number; contact: string; phone: string; visit: string; task?: { title: string; inDays: number } };
}

const CUSTOMERS: SeedCustomer[] = [
  { name: "常州恒远电机有限公司", industry: "电机制造", region: "华东", pool: { daysAgo: 3, formerOwner: "lisi", idleDays: 30 } },
  { name: "无锡新锐自动化科技有限公司", industry: "自动化设备", region: "华东", pool: { daysAgo: 8, formerOwner: "zhangsan", idleDays: 31 } },
  { name: "佛山顺达五金制品有限公司", industry: "五金", region: "华南", pool: { daysAgo: 15, formerOwner: "lisi", idleDays: 30 } },
  {
    name: "宁波东方轴承有限公司", industry: "轴承", region: "华东", stage: "proposal", level: "B",
    owned: { owner: "lisi", idleDays: 29, contact: "周经理", phone: "13900139001", visit: "介绍了电机A，周经理要正式报价", task: { title: "带报价回访周经理", inDays: 1 } },
  },
  {
    name: "合肥远景电气有限公司", industry: "电气成套", region: "华东", stage: "contacted", level: "C",
    owned: { owner: "zhangsan", idleDays: 21, contact: "孙工", phone: "13900139002", visit: "初次拜访，了解变频器需求" },
  },
  {
    name: "南通鑫源泵业有限公司", industry: "泵业", region: "华东", stage: "qualified", level: "A",
    owned: { owner: "zhangsan", idleDays: 16, contact: "钱总", phone: "13900139003", visit: "确认年度采购电机B约300台", task: { title: "约钱总看样机", inDays: 2 } },
  },
];

/** Seeds the demo customers unless done before; returns how many were created. `normalize` is the matcher's. */
export async function seedDemoCustomers(db: DbClient, now: Date, normalize: (name: string) => string): Promise<number> {
  return db.$transaction(async (tx) => {
    // Two instances starting at once on one PostgreSQL: one seeds, the other then finds the marker.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('demo-seed'))`;
    if (await tx.auditLog.findFirst({ where: { action: "demo.seed", entityType: "org", entityId: "demo" } })) return 0;
    const people = new Set((await tx.user.findMany({ where: { active: true }, select: { id: true } })).map((u) => u.id));
    let created = 0;
    for (const c of CUSTOMERS) {
      const owner = c.owned?.owner ?? null;
      if (owner && !people.has(owner)) continue;
      created += (await seedOne(tx, c, now, normalize)) ? 1 : 0;
    }
    await audit(tx, { actorId: DEMO_SEED_ACTOR, action: "demo.seed", entityType: "org", entityId: "demo", after: { customers: created } });
    return created;
  }, { timeout: 60_000, maxWait: 10_000 });
}

async function seedOne(tx: Tx, c: SeedCustomer, now: Date, normalize: (name: string) => string): Promise<boolean> {
  const normalizedName = normalize(c.name);
  if (await tx.customer.findFirst({ where: { normalizedName, deletedAt: null } })) return false; // someone made it already
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const createdAt = ago(60);
  const base = { name: c.name, normalizedName, aliases: [], tags: [], industry: c.industry, region: c.region, createdAt, ...(c.stage ? { stage: c.stage } : {}), ...(c.level ? { level: c.level } : {}) };
  if (c.pool) {
    const releasedAt = ago(c.pool.daysAgo);
    const customer = await tx.customer.create({ data: { ...base, ownerId: null, releasedAt } });
    await audit(tx, { actorId: DEMO_SEED_ACTOR, action: "customer.create", entityType: "customer", entityId: customer.id, after: { name: c.name, ownerId: c.pool.formerOwner }, at: createdAt });
    // As the nightly release writes it, so 公海客户 tells why and when.
    await audit(tx, {
      actorId: null, action: "customer.release", entityType: "customer", entityId: customer.id,
      before: { ownerId: c.pool.formerOwner, poolWarnedAt: ago(c.pool.daysAgo + 1), idleSince: ago(c.pool.daysAgo + c.pool.idleDays) },
      after: { ownerId: null, releasedAt, poolWarnedAt: null }, eventId: DEMO_SEED_ACTOR, at: releasedAt,
    });
    return true;
  }
  const o = c.owned!;
  const at = ago(o.idleDays);
  const customer = await tx.customer.create({ data: { ...base, ownerId: o.owner, createdById: o.owner, lastFollowUpAt: at } });
  const contact = await tx.contact.create({ data: { customerId: customer.id, name: o.contact, phone: o.phone, createdAt: at } });
  const activity = await tx.activity.create({ data: { customerId: customer.id, userId: o.owner, contactId: contact.id, summary: o.visit, rawText: o.visit, occurredAt: at, createdAt: at } });
  await audit(tx, { actorId: DEMO_SEED_ACTOR, action: "customer.create", entityType: "customer", entityId: customer.id, after: { name: c.name, ownerId: o.owner }, at: createdAt });
  if (o.task) {
    const due = new Date(now.getTime() + o.task.inDays * DAY_MS);
    due.setUTCHours(1, 0, 0, 0); // 09:00 Asia/Shanghai
    const task = await tx.task.create({ data: { ownerId: o.owner, customerId: customer.id, activityId: activity.id, title: o.task.title, dueAt: due, createdAt: at } });
    await audit(tx, { actorId: DEMO_SEED_ACTOR, action: "task.create", entityType: "task", entityId: task.id, after: { ownerId: o.owner, title: o.task.title, dueAt: due }, at });
  }
  return true;
}
