// Reading the admin's commands: the spellings people use, and never a message meant for something else (every
// message of the NLU fixture corpora passes through untouched).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAdminCommand } from "../../src/nlu/rules/admin-commands.ts";
import { ROOT } from "../../src/paths.ts";

describe("parseAdminCommand", () => {
  it.each([
    ["设置 角色 张三 经理", ["manager"]],
    ["设置角色 张三 经理", ["manager"]],
    ["设置角色张三 经理", ["manager"]],
    ["设置 张三 为经理", ["manager"]],
    ["设置 张三 角色 经理、销售", ["manager", "rep"]],
    ["设置张三的角色为总监", ["director"]],
    ["把张三设为仓库", ["warehouse"]],
    ["修改角色 zhangsan 销售 经理", ["rep", "manager"]],
  ])("%s", (text, roles) => {
    expect(parseAdminCommand(text)).toMatchObject({ kind: "set_role", roles });
  });

  it("reads 恢复, an unknown role when 角色 is said, 规则 and 同步通讯录", () => {
    expect(parseAdminCommand("设置 角色 张三 恢复")).toEqual({ kind: "reset_role", person: "张三" });
    expect(parseAdminCommand("设置 角色 张三 老板")).toEqual({ kind: "bad_role", person: "张三", word: "老板" });
    expect(parseAdminCommand("设置角色")).toEqual({ kind: "set_role_usage" });
    expect(parseAdminCommand("规则")).toEqual({ kind: "show_rules" });
    expect(parseAdminCommand("查看规则。")).toEqual({ kind: "show_rules" });
    expect(parseAdminCommand("同步 通讯录")).toEqual({ kind: "sync_directory" });
    expect(parseAdminCommand("通讯录同步")).toEqual({ kind: "sync_directory" });
  });

  it("leaves other messages alone", () => {
    for (const t of ["把华东机电设为重点客户", "设置 华东机电 为重点客户", "设置 提醒 明天", "规则是什么", "同步一下华东机电的报价"]) expect(parseAdminCommand(t)).toBeNull();
    const dir = path.join(ROOT, "test/fixtures/nlu");
    const texts = readdirSync(dir)
      .filter((f) => f.endsWith(".jsonl"))
      .flatMap((f) => readFileSync(path.join(dir, f), "utf8").split("\n").filter((l) => l.startsWith("{")))
      .map((l) => (JSON.parse(l) as { text?: string }).text)
      .filter((t): t is string => typeof t === "string");
    expect(texts.length).toBeGreaterThan(500);
    expect(texts.filter((t) => parseAdminCommand(t) !== null)).toEqual([]);
  });
});
