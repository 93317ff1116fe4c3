// The admin commands through the real dingtalk-stream client: the admin's 设置 角色 and 规则 work there, a rep's are
// refused politely and change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { demoOrgWith } from "../support/demo-org.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { sentTexts, startDingtalkBot } from "../dingtalk/e2e-helpers.ts";

describe("admin commands on DingTalk", () => {
  let gw: DingtalkGateway;
  let bot: TestBot;
  beforeAll(async () => {
    ({ gw, bot } = await startDingtalkBot({ ORG_FILE: demoOrgWith([["roles: [admin], wecom: Admin }", 'roles: [admin], wecom: Admin, dingtalk: "0901" }']]) }));
  });
  afterAll(async () => {
    await bot?.close();
    await gw?.close();
  });
  const texts = () => sentTexts(gw).map((t) => t.text);

  it("a rep's 设置 角色 is refused and changes nothing", async () => {
    gw.sendRobot(gw.robotMessage({ staffId: "0101", nick: "张三", text: "设置 角色 李四 经理", msgId: "adm-1" }));
    await eventually(() => texts().find((t) => t.includes("只有管理员可以设置角色")), "refusal");
    expect((await bot.db.prisma.user.findUniqueOrThrow({ where: { id: "lisi" } })).roles).toEqual(["rep"]);
  });

  it("the admin's 设置 角色 and 规则 work", async () => {
    gw.sendRobot(gw.robotMessage({ staffId: "0901", nick: "管理员", text: "设置角色 李四 经理", msgId: "adm-2" }));
    await eventually(() => texts().find((t) => t.includes("已把李四的角色设为：经理")), "confirmation");
    expect((await bot.db.prisma.user.findUniqueOrThrow({ where: { id: "lisi" } })).roleOverride).toEqual(["manager"]);
    gw.sendRobot(gw.robotMessage({ staffId: "0901", nick: "管理员", text: "规则", msgId: "adm-3" }));
    await eventually(() => texts().find((t) => t.includes("当前生效的规则") && t.includes("95折")), "the rules card as markdown");
  });
});
