// The pure part of a directory sync: who is one person, who gets which role, who left. No database.
import { describe, expect, it } from "vitest";
import type { DirectoryMember, DirectorySnapshot } from "../../src/core/directory-port.ts";
import { planDirectory, type KnownPerson } from "../../src/domain/directory/directory-plan.ts";
import { DirectoryConfigSchema } from "../../src/domain/org/directory-config.ts";
import { parseOrgText } from "../../src/domain/org/org-file.ts";

const member = (userId: string, over: Partial<DirectoryMember> = {}): DirectoryMember => ({ userId, name: userId, departmentIds: ["2"], tags: [], active: true, ...over });
const snap = (platform: "wecom" | "dingtalk", members: DirectoryMember[]): DirectorySnapshot => ({
  platform,
  departments: [
    { id: "1", name: "公司", parentId: null, leaderIds: [] },
    { id: "2", name: "销售部", parentId: "1", leaderIds: [] },
  ],
  members,
  calls: 1,
});
const known = (id: string, over: Partial<KnownPerson> = {}): KnownPerson => ({
  id, name: id, source: "directory", roles: ["rep"], roleOverride: [], managerId: null, active: true, mobile: null, email: null, departments: [], identities: [], ...over,
});
const config = (over: object = {}) => DirectoryConfigSchema.parse({ rules: [{ department: "销售部", roles: ["rep"] }], ...over });

describe("planDirectory", () => {
  it("never merges two members of one platform, even with one mobile", () => {
    const plan = planDirectory([snap("wecom", [member("A", { mobile: "13900000000" }), member("B", { mobile: "139 0000 0000" })])], config(), []);
    expect(plan.people.map((p) => p.id).sort()).toEqual(["A", "B"]);
  });

  it("a known account stays its owner's; a mobile match never takes another person's account", () => {
    const zs = known("zs", { mobile: "13900000000", identities: [{ platform: "wecom", externalId: "ZhangSan", source: "directory" }] });
    const plan = planDirectory([snap("wecom", [member("ZhangSan"), member("Other", { mobile: "13900000000" })])], config(), [zs]);
    expect(plan.people.find((p) => p.id === "zs")?.accounts).toEqual([{ platform: "wecom", externalId: "ZhangSan" }]);
    expect(plan.people.find((p) => p.accounts[0]?.externalId === "Other")?.id).toBe("Other");
  });

  it("matches across platforms by mobile only when matchBy allows it", () => {
    const both = [snap("wecom", [member("W", { mobile: "+86 13900000000" })]), snap("dingtalk", [member("d1", { mobile: "13900000000" })])];
    expect(planDirectory(both, config(), [])).toMatchObject({ people: [{ id: "W", accounts: [{ externalId: "W" }, { externalId: "d1" }] }] });
    expect(planDirectory(both, config({ matchBy: [] }), []).people).toHaveLength(2);
  });

  it("is not fooled by an address book it did not read: people known there do not leave", () => {
    const dd = known("dd", { identities: [{ platform: "dingtalk", externalId: "d9", source: "directory" }] });
    const mixed = known("mx", { identities: [{ platform: "wecom", externalId: "gone", source: "directory" }, { platform: "dingtalk", externalId: "d8", source: "directory" }] });
    const plan = planDirectory([snap("wecom", [member("X")])], config(), [dd, mixed]);
    expect(plan.leavers).toEqual([]);
    const left = planDirectory([snap("wecom", [member("X")]), snap("dingtalk", [member("d2")])], config(), [dd, mixed]);
    expect(left.leavers.map((l) => l.id).sort()).toEqual(["dd", "mx"]);
  });

  it("a member no rule names is not served; one who loses their role leaves", () => {
    const plan = planDirectory([snap("wecom", [member("Clerk", { departmentIds: ["1"] }), member("Was", { departmentIds: ["1"] })])], config(), [
      known("Was", { identities: [{ platform: "wecom", externalId: "Was", source: "directory" }] }),
    ]);
    expect(plan.people).toEqual([]);
    expect(plan.leavers).toEqual([{ id: "Was", name: "Was", reason: "no_role" }]);
  });

  it("an admin's roles win over the rules", () => {
    const p = known("Boss", { roleOverride: ["director"], identities: [{ platform: "wecom", externalId: "Boss", source: "directory" }] });
    expect(planDirectory([snap("wecom", [member("Boss")])], config(), [p]).people[0]?.roles).toEqual(["director"]);
  });
});

describe("the org file's directory section", () => {
  const org = (directory: string) => `users:\n  - { id: admin, name: 管理员, roles: [admin] }\ndirectory:\n${directory}`;
  it("refuses a rule naming two things, a manager without a user, an unknown key", () => {
    expect(() => parseOrgText(org("  rules:\n    - { department: 销售部, tag: x, roles: [rep] }\n"), "o.yaml")).toThrow(/name exactly one of department, tag, title or user/);
    expect(() => parseOrgText(org("  rules:\n    - { department: 销售部, roles: [rep], manager: admin }\n"), "o.yaml")).toThrow(/manager can only be given with user/);
    expect(() => parseOrgText(org("  fallbackManger: admin\n"), "o.yaml")).toThrow(/Unrecognized key/);
    expect(() => parseOrgText(org('  rules:\n    - { user: "ZhangSan", roles: [rep] }\n'), "o.yaml")).toThrow(/wecom:<UserID>/);
  });
  it("lets a file with a directory section list no users", () => {
    expect(parseOrgText("directory:\n  rules: [{ department: 销售部, roles: [rep] }]\n", "o.yaml").rules.directory?.rules).toHaveLength(1);
    expect(() => parseOrgText("name: x\n", "o.yaml")).toThrow(/list at least one person/);
  });
});
