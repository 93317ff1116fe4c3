// The large company the jobs part measures, written with COPY (pg-copy-streams): 10,000 people (directors over
// ten managers each, managers over ten reps each, a few warehouse people and admins), 1,000,000 customers,
// 3,000,000 activities, 300,000 open follow-ups, 60,000 orders with exact decimal amounts and their approvals.
// Deterministic (a seeded PRNG) and dated around the fixed day the part runs its jobs on, so a kept database
// (BENCH_KEEP=1) is still right for the next run.
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

export const SEED_VERSION = "jobs-seed-v1";

export interface SeedSize {
  directors: number;
  managersPerDirector: number;
  repsPerManager: number;
  warehouse: number;
  admins: number;
  customers: number;
  activities: number;
  tasks: number;
  orders: number;
}

export const FULL: SeedSize = { directors: 90, managersPerDirector: 10, repsPerManager: 10, warehouse: 6, admins: 4, customers: 1_000_000, activities: 3_000_000, tasks: 300_000, orders: 60_000 };

export interface SeededOrg {
  people: number;
  reps: number;
  managers: number;
  directors: number;
}

const DAY = 86_400_000;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤".split("");
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯健俊帆帅旭宁龙林欣晨阳佳琳雪梅倩婷颖峰波海燕".split("");
const REGIONS = ["华东", "华南", "华北", "西南", "东北", "杭州", "苏州", "宁波", "无锡", "佛山", "东莞", "青岛", "合肥", "成都", "武汉", "长沙"];
const WORDS = ["恒力", "宏达", "鑫源", "永盛", "联创", "华信", "天成", "瑞丰", "东方", "金桥", "新锐", "博远", "泰和", "盛世", "中科", "安泰"];
const TRADES = ["机电", "泵业", "电气", "自动化", "精密机械", "新材料", "电子", "液压", "模具", "包装"];
const STAGES: [string, number][] = [["lead", 0.35], ["contacted", 0.25], ["qualified", 0.15], ["proposal", 0.1], ["negotiation", 0.06], ["won", 0.06], ["lost", 0.03]];
const KINDS: [string, number][] = [["visit", 0.5], ["call", 0.35], ["message", 0.15]];
const NEXT = ["带报价再去", "回访确认需求", "发送样品", "约技术交流", "跟进合同", "催回款"];

const pick = <T>(r: () => number, list: readonly T[]) => list[Math.floor(r() * list.length)]!;
function weighted(r: () => number, list: [string, number][]): string {
  let u = r();
  for (const [v, w] of list) if ((u -= w) < 0) return v;
  return list[list.length - 1]![0];
}
/** Roughly normal (sum of three uniforms), mean 0, sd ~1. */
const gauss = (r: () => number) => (r() + r() + r() - 1.5) * 2;
const ts = (ms: number) => new Date(ms).toISOString();
const pad = (n: number, w: number) => String(n).padStart(w, "0");

export const repId = (i: number) => `r${pad(i, 5)}`;
export const managerId = (i: number) => `m${pad(i, 4)}`;
export const directorId = (i: number) => `d${pad(i, 3)}`;
export const customerId = (i: number) => `c${pad(i, 7)}`;

/** Streams rows into COPY … FROM STDIN (text format; our values hold no tabs, newlines or backslashes). */
async function copyRows(client: pg.PoolClient, table: string, columns: string[], count: number, row: (i: number) => (string | number | null)[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`));
  const CHUNK = 2000;
  function* lines() {
    for (let i = 0; i < count; i += CHUNK) {
      let s = "";
      for (let j = i; j < Math.min(count, i + CHUNK); j++) s += row(j).map((v) => (v === null ? "\\N" : String(v))).join("\t") + "\n";
      yield s;
    }
  }
  await pipeline(Readable.from(lines()), stream);
}

/**
 * Seeds an empty, migrated database. `today` is the local (Asia/Shanghai) midnight of the day the jobs run:
 * follow-ups fall due around it, activities and orders go back half a year from it.
 */
export async function seedCompany(pool: pg.Pool, today: Date, size: SeedSize, log: (line: string) => void): Promise<SeededOrg> {
  const r = prng(20261201);
  const client = await pool.connect();
  const now = ts(today.getTime());
  try {
    // ── people ──
    const people: { id: string; name: string; roles: string; managerId: string | null }[] = [];
    const usedNames = new Set<string>();
    const nameOf = () => {
      for (;;) {
        const n = pick(r, SURNAMES) + pick(r, GIVEN) + (r() < 0.7 ? pick(r, GIVEN) : "");
        if (!usedNames.has(n)) return usedNames.add(n), n;
      }
    };
    const managers = size.directors * size.managersPerDirector;
    const reps = managers * size.repsPerManager;
    for (let d = 1; d <= size.directors; d++) people.push({ id: directorId(d), name: nameOf(), roles: "{director}", managerId: null });
    for (let m = 1; m <= managers; m++) people.push({ id: managerId(m), name: nameOf(), roles: "{manager}", managerId: directorId(Math.ceil(m / size.managersPerDirector)) });
    for (let i = 1; i <= reps; i++) people.push({ id: repId(i), name: nameOf(), roles: "{rep}", managerId: managerId(Math.ceil(i / size.repsPerManager)) });
    for (let w = 1; w <= size.warehouse; w++) people.push({ id: `w${w}`, name: nameOf(), roles: "{warehouse}", managerId: null });
    for (let a = 1; a <= size.admins; a++) people.push({ id: `a${a}`, name: nameOf(), roles: "{admin}", managerId: null });
    // Managers before their reps: the self-reference is checked row by row.
    await copyRows(client, "User", ["id", "name", "roles", "managerId", "active", "createdAt", "updatedAt"], people.length, (i) => {
      const p = people[i]!;
      return [p.id, p.name, p.roles, p.managerId, "t", now, now];
    });
    await copyRows(client, "Identity", ["platform", "externalId", "userId"], people.length, (i) => ["wecom", people[i]!.id, people[i]!.id]);
    log(`seeded people: ${people.length} (${size.directors} directors, ${managers} managers, ${reps} reps, ${size.warehouse} warehouse, ${size.admins} admins)`);

    // ── customers: 90% owned by a rep, 10% in the pool ──
    const owner = new Int32Array(size.customers + 1);
    await copyRows(client, "Customer", ["id", "name", "normalizedName", "aliases", "industry", "region", "level", "stage", "tags", "ownerId", "lastFollowUpAt", "createdById", "createdAt", "updatedAt"], size.customers, (j) => {
      const i = j + 1;
      const o = r() < 0.9 ? 1 + Math.floor(r() * reps) : 0;
      owner[i] = o;
      const region = pick(r, REGIONS);
      const word = pick(r, WORDS);
      const trade = pick(r, TRADES);
      const created = today.getTime() - Math.floor(r() * 730 * DAY) + 9 * 3600_000;
      return [customerId(i), `${region}${word}${trade}${i}有限公司`, `${word}${trade}${i}`, "{}", trade, region, pick(r, ["A", "B", "C"]), weighted(r, STAGES), "{}", o ? repId(o) : null, ts(created + DAY), o ? repId(o) : repId(1 + (i % reps)), ts(created), ts(created)];
    });
    log(`seeded customers: ${size.customers}`);

    const ownedCustomer = (): number => {
      for (;;) {
        const c = 1 + Math.floor(r() * size.customers);
        if (owner[c]) return c;
      }
    };
    // ── activities: half a year back, in working hours ──
    await copyRows(client, "Activity", ["id", "customerId", "userId", "kind", "summary", "rawText", "occurredAt", "nextAction", "amount", "createdAt", "undoneAt"], size.activities, (j) => {
      const c = ownedCustomer();
      const at = today.getTime() - Math.floor(r() * 180) * DAY + (9 + r() * 9) * 3600_000 - 8 * 3600_000;
      const amount = r() < 0.2 ? `${Math.floor(r() * 2_000_000)}.${pad(Math.floor(r() * 100), 2)}` : null;
      return [`a${pad(j + 1, 7)}`, customerId(c), repId(owner[c]!), weighted(r, KINDS), "拜访沟通需求", "今天拜访了客户，聊了下季度需求", ts(at), pick(r, NEXT), amount, ts(at), r() < 0.01 ? ts(at + 60_000) : null];
    });
    log(`seeded activities: ${size.activities}`);

    // ── open follow-ups: due around today (sd ~5 days), a few snoozed ──
    await copyRows(client, "Task", ["id", "ownerId", "customerId", "title", "dueAt", "status", "snoozedUntil", "source", "createdAt", "updatedAt"], size.tasks, (j) => {
      const c = ownedCustomer();
      const due = today.getTime() + Math.round(gauss(r) * 5) * DAY + (9 + Math.floor(r() * 9)) * 3600_000 - 8 * 3600_000;
      const snoozed = r() < 0.05 ? ts(due + DAY) : null;
      return [`t${pad(j + 1, 7)}`, repId(owner[c]!), customerId(c), pick(r, NEXT), ts(due), "open", snoozed, "visit", ts(due - 7 * DAY), ts(due - 7 * DAY)];
    });
    log(`seeded open follow-ups: ${size.tasks}`);

    // ── orders (exact decimals: list total = qty × unit price, discount to 4 places) and their approvals ──
    const orderStatus: [string, number][] = [["approved", 0.2], ["shipped", 0.35], ["delivered", 0.3], ["pending_approval", 0.05], ["cancelled", 0.05], ["rejected", 0.05]];
    const orders: { id: string; rep: number; status: string; createdAt: number }[] = [];
    await copyRows(client, "Order", ["id", "number", "customerId", "repId", "status", "listTotal", "total", "discount", "flags", "createdAt", "updatedAt"], size.orders, (j) => {
      const c = ownedCustomer();
      const qty = 1 + Math.floor(r() * 300);
      const unitFen = 10_000 + Math.floor(r() * 900_000); // ¥100.00 – ¥9,100.00
      const discountBp = r() < 0.6 ? 0 : Math.floor(r() * 2000); // up to 20.00%
      const listFen = BigInt(qty) * BigInt(unitFen);
      const totalFen = (listFen * BigInt(10_000 - discountBp) + 5000n) / 10_000n;
      const yuan = (f: bigint) => `${f / 100n}.${pad(Number(f % 100n), 2)}`;
      const created = today.getTime() - Math.floor(r() * 180) * DAY + (10 - 8) * 3600_000 + Math.floor(r() * 8 * 3600_000);
      const status = weighted(r, orderStatus);
      const id = `o${pad(j + 1, 6)}`;
      orders.push({ id, rep: owner[c]!, status, createdAt: created });
      return [id, `SO-BENCH-${pad(j + 1, 6)}`, customerId(c), repId(owner[c]!), status, yuan(listFen), yuan(totalFen), `0.${pad(discountBp, 4)}`, "{}", ts(created), ts(created)];
    });
    const approvals = orders.filter((o) => o.status !== "cancelled");
    const approvalStatus = (s: string) => (s === "pending_approval" ? "pending" : s === "rejected" ? "rejected" : "approved");
    await copyRows(client, "Approval", ["id", "orderId", "status", "rule", "requestedById", "createdAt", "decidedAt"], approvals.length, (j) => {
      const o = approvals[j]!;
      const st = approvalStatus(o.status);
      return [`p${o.id}`, o.id, st, "折扣超过销售权限", repId(o.rep), ts(o.createdAt), st === "pending" ? null : ts(o.createdAt + Math.floor(r() * 30 * 3600_000))];
    });
    await copyRows(client, "ApprovalStep", ["id", "approvalId", "seq", "approverId", "status", "activatedAt", "decidedAt"], approvals.length, (j) => {
      const o = approvals[j]!;
      const st = approvalStatus(o.status);
      return [`s${o.id}`, `p${o.id}`, 1, managerId(Math.ceil(o.rep / size.repsPerManager)), st, ts(o.createdAt), st === "pending" ? null : ts(o.createdAt + 3600_000)];
    });
    log(`seeded orders: ${size.orders} (${approvals.length} approvals, ${orders.filter((o) => o.status === "pending_approval").length} waiting)`);
    // As autovacuum leaves a live database: statistics, and pages marked all-visible (index-only scans need them).
    await client.query("VACUUM ANALYZE");
    return { people: people.length, reps, managers, directors: size.directors };
  } finally {
    client.release();
  }
}
