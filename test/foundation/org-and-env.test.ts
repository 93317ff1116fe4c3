import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseOrgText } from "../../src/domain/org/org-file.ts";
import { syncOrg } from "../../src/domain/org/org.repo.ts";
import { listPriceAt } from "../../src/domain/org/price-list.repo.ts";
import { EnvError, parseEnv } from "../../src/env.ts";
import { DEMO_ORG_FILE } from "../../src/paths.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

describe("organisation file", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => db?.destroy());

  it("loads the demo organisation idempotently", async () => {
    const org = parseOrgText(readFileSync(DEMO_ORG_FILE, "utf8"), DEMO_ORG_FILE);
    await syncOrg(db.prisma, org);
    const snapshot = async () => ({
      users: await db.prisma.user.findMany({ orderBy: { id: "asc" }, select: { id: true, managerId: true, roles: true, active: true } }),
      identities: await db.prisma.identity.count(),
      products: await db.prisma.product.count(),
    });
    const first = await snapshot();
    await syncOrg(db.prisma, org);
    expect(await snapshot()).toEqual(first);
    expect(first.users.find((u) => u.id === "zhangsan")?.managerId).toBe("wangwu");
    expect(await db.prisma.identity.findUnique({ where: { platform_externalId: { platform: "wecom", externalId: "ZhangSan" } } })).toMatchObject({ userId: "zhangsan" });
  });

  it("deactivates people who left the file and keeps their history", async () => {
    const org = parseOrgText(readFileSync(DEMO_ORG_FILE, "utf8"), DEMO_ORG_FILE);
    await syncOrg(db.prisma, { ...org, users: org.users.filter((u) => u.id !== "lisi") });
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: "lisi" } })).active).toBe(false);
    await syncOrg(db.prisma, org);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: "lisi" } })).active).toBe(true);
  });

  it("names every problem in an invalid file", () => {
    const bad = `users:\n  - { id: a, name: A, roles: [rep], manager: nobody }\n  - { id: a, name: B, roles: [boss] }\n`;
    expect(() => parseOrgText(bad, "org.yaml")).toThrow(/users\.1\.roles\.0[\s\S]*/);
    const noManager = `users:\n  - { id: a, name: A, roles: [rep], manager: nobody }\n`;
    expect(() => parseOrgText(noManager, "org.yaml")).toThrow(/unknown manager nobody/);
    expect(() => parseOrgText("users: [", "org.yaml")).toThrow(/格式错误/);
  });
});

describe("organisation changes are audited", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => db?.destroy());

  const demo = () => parseOrgText(readFileSync(DEMO_ORG_FILE, "utf8"), DEMO_ORG_FILE);
  const auditRows = async (sinceId = 0n) =>
    (await db.prisma.auditLog.findMany({ where: { id: { gt: sinceId } }, orderBy: { id: "asc" } })).map((r) => ({
      id: r.id,
      actorId: r.actorId,
      action: r.action,
      entity: `${r.entityType}:${r.entityId}`,
      before: r.before,
      after: r.after,
    }));
  const lastId = async () => (await db.prisma.auditLog.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0n;

  it("records each person and product created, and nothing on a reload of the same file", async () => {
    const org = demo();
    const first = await syncOrg(db.prisma, org, new Date("2026-11-01T00:00:00Z"));
    const rows = await auditRows();
    expect(first.changes).toBe(org.users.length + org.products.length);
    expect(rows.map((r) => r.action).sort()).toEqual([...org.products.map(() => "product.create"), ...org.users.map(() => "user.create")].sort());
    expect(rows.every((r) => r.actorId === "system:org-file")).toBe(true);
    expect(rows.find((r) => r.entity === "user:zhangsan")?.after).toMatchObject({ managerId: "wangwu", roles: ["rep"], wecom: "ZhangSan" });

    const updatedAt = (await db.prisma.user.findUniqueOrThrow({ where: { id: "zhangsan" } })).updatedAt;
    const mark = await lastId();
    expect((await syncOrg(db.prisma, org)).changes).toBe(0);
    expect(await auditRows(mark)).toEqual([]);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: "zhangsan" } })).updatedAt).toEqual(updatedAt); // nothing rewritten
  });

  it("records role and manager changes, deactivations and price changes, each once", async () => {
    const org = demo();
    const changed = {
      ...org,
      users: org.users
        .filter((u) => u.id !== "lisi")
        .map((u) => (u.id === "zhangsan" ? { ...u, roles: ["rep", "manager"] as typeof u.roles, manager: "zhaoliu", wecom: "ZhangSan2" } : u)),
      products: org.products.filter((p) => p.sku !== "CABLE-10").map((p) => (p.sku === "MOTOR-A" ? { ...p, price: 5500 } : p)),
    };
    const mark = await lastId();
    const at = new Date("2026-11-20T00:00:00Z");
    await syncOrg(db.prisma, changed, at);
    const rows = await auditRows(mark);
    expect(rows.map(({ id: _id, ...r }) => r)).toEqual(
      expect.arrayContaining([
        {
          actorId: "system:org-file",
          action: "user.update",
          entity: "user:zhangsan",
          before: { roles: ["rep"], managerId: "wangwu", wecom: "ZhangSan" },
          after: { roles: ["rep", "manager"], managerId: "zhaoliu", wecom: "ZhangSan2" },
        },
        { actorId: "system:org-file", action: "user.deactivate", entity: "user:lisi", before: { active: true }, after: { active: false } },
        { actorId: "system:org-file", action: "product.update", entity: "product:MOTOR-A", before: { price: 5000 }, after: { price: 5500 } },
        { actorId: "system:org-file", action: "product.deactivate", entity: "product:CABLE-10", before: { active: true }, after: { active: false } },
      ]),
    );
    expect(rows).toHaveLength(4);
    expect(await db.prisma.identity.findUnique({ where: { platform_externalId: { platform: "wecom", externalId: "ZhangSan2" } } })).toMatchObject({ userId: "zhangsan" });
    expect(await db.prisma.identity.findUnique({ where: { platform_externalId: { platform: "wecom", externalId: "ZhangSan" } } })).toBeNull();

    // The price list keeps the old price for the time it was in force.
    expect(Number((await listPriceAt(db.prisma, "MOTOR-A", new Date("2026-11-10T00:00:00Z")))?.price)).toBe(5000);
    expect(Number((await listPriceAt(db.prisma, "MOTOR-A", at))?.price)).toBe(5500);
    expect(await db.prisma.productPrice.count({ where: { sku: "MOTOR-A" } })).toBe(2);

    const again = await lastId();
    await syncOrg(db.prisma, changed);
    expect(await auditRows(again)).toEqual([]);

    await syncOrg(db.prisma, org); // lisi comes back
    expect((await auditRows(again)).find((r) => r.entity === "user:lisi")).toMatchObject({ action: "user.reactivate", after: { active: true } });
  });

  it("refuses a price with more decimals than the column keeps", () => {
    const text = `users: [{ id: a, name: A, roles: [rep] }]\nproducts: [{ sku: X, name: X, unit: 台, price: 1.005 }]\n`;
    expect(() => parseOrgText(text, "org.yaml")).toThrow(/products\.0\.price: at most two decimals/);
  });
});

describe("environment", () => {
  it("uses sensible defaults", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.host).toBe("127.0.0.1");
    expect(env.playground).toBe(true);
    expect(env.wecom).toBeUndefined();
  });

  it("turns the playground off once a platform is configured, unless asked", () => {
    const wecom = { WECOM_CORP_ID: "ww1", WECOM_AGENT_ID: "1000002", WECOM_SECRET: "s", WECOM_TOKEN: "t", WECOM_ENCODING_AES_KEY: "a".repeat(43) };
    expect(parseEnv(wecom).playground).toBe(false);
    expect(parseEnv({ ...wecom, PLAYGROUND: "true" }).playground).toBe(true);
    expect(parseEnv({ DINGTALK_CLIENT_ID: "x", DINGTALK_CLIENT_SECRET: "y" }).playground).toBe(false);
  });

  it("turns the playground off in production unless asked", () => {
    expect(parseEnv({ NODE_ENV: "production" }).playground).toBe(false);
    expect(parseEnv({ NODE_ENV: "production", PLAYGROUND: "true" }).playground).toBe(true);
  });

  it("names the variable and what is expected", () => {
    expect(() => parseEnv({ PORT: "abc" })).toThrow(/PORT: expected a port number/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: expected postgresql:\/\//);
    expect(() => parseEnv({ WECOM_ENCODING_AES_KEY: "short" })).toThrow(/WECOM_ENCODING_AES_KEY: expected the 43-character/);
    expect(() => parseEnv({ BOT_TIMEZONE: "Asia/Shangai" })).toThrow(/BOT_TIMEZONE: expected an IANA time zone/);
  });

  it("stops on a partly configured channel, naming what is missing", () => {
    try {
      parseEnv({ WECOM_CORP_ID: "ww1", WECOM_TOKEN: "t" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      expect((err as Error).message).toMatch(/WeCom is partly configured: set WECOM_AGENT_ID, WECOM_SECRET, WECOM_ENCODING_AES_KEY/);
    }
    expect(() => parseEnv({ DINGTALK_CLIENT_ID: "x" })).toThrow(/DingTalk is partly configured: set DINGTALK_CLIENT_SECRET/);
  });
});
