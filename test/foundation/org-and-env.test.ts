import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseOrgText } from "../../src/domain/org/org-file.ts";
import { syncOrg } from "../../src/domain/org/org.repo.ts";
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
