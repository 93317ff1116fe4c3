// What a directory sync means for the people of the bot, decided without the database: which address-book members
// are one person (an account already known, an explicit link, the same mobile or email), which roles and manager each
// gets from the org file's `directory` rules, who is new, who changed, who left. Pure, so it is tested on its own.
import { normalizeEmail, normalizeMobile, type DirectoryMember, type DirectorySnapshot } from "../../core/directory-port.ts";
import type { DirectoryConfig } from "../org/directory-config.ts";

export type DirectoryPlatform = "wecom" | "dingtalk";

/** A person as the database has them. */
export interface KnownPerson {
  id: string;
  name: string;
  source: string;
  roles: string[];
  roleOverride: string[];
  managerId: string | null;
  active: boolean;
  mobile: string | null;
  email: string | null;
  departments: string[];
  identities: { platform: string; externalId: string; source: string }[];
}

/** What a served directory person should look like after the sync. */
export interface PlannedPerson {
  id: string;
  isNew: boolean;
  /** A person of the org file: only accounts, mobile, email and departments come from the directory. */
  fromFile: boolean;
  name: string;
  roles: string[];
  managerId: string | null;
  mobile: string | null;
  email: string | null;
  departments: string[];
  accounts: { platform: DirectoryPlatform; externalId: string }[];
}

export interface DirectoryPlan {
  people: PlannedPerson[];
  /** Directory people (and members with no role any more) to deactivate. */
  leavers: { id: string; name: string; reason: "left" | "no_role" }[];
  /** Accounts of people still served that disappeared from one address book. */
  lostAccounts: { platform: DirectoryPlatform; externalId: string }[];
  /** Org file people with an account on a platform read now that the address book does not have. */
  fileOnly: { id: string; name: string }[];
}

const ID = /^[A-Za-z0-9_.@-]{1,64}$/;
const key = (platform: string, id: string) => `${platform}:${id}`;

export function planDirectory(snapshots: readonly DirectorySnapshot[], config: DirectoryConfig, known: readonly KnownPerson[]): DirectoryPlan {
  const read = new Set<string>(snapshots.map((s) => s.platform));
  const byAccount = new Map<string, KnownPerson>();
  for (const p of known) for (const i of p.identities) byAccount.set(key(i.platform, i.externalId), p);
  const takenIds = new Set(known.map((p) => p.id));
  const presentAccounts = new Set(snapshots.flatMap((s) => s.members.filter((m) => m.active).map((m) => key(s.platform, m.userId))));
  const knownById = new Map(known.map((p) => [p.id, p]));

  // Group members into persons: platform by platform, WeCom first.
  type Group = { id: string; existing?: KnownPerson; members: Map<DirectoryPlatform, DirectoryMember> };
  const groups = new Map<string, Group>();
  const groupOfAccount = new Map<string, Group>();
  const order = [...snapshots].sort((a, b) => (a.platform === b.platform ? 0 : a.platform === "wecom" ? -1 : 1));
  for (const snap of order) {
    for (const m of snap.members) {
      if (!m.active) continue;
      const g = findGroup(snap.platform, m) ?? newGroup(snap.platform, m);
      g.members.set(snap.platform, m);
      groupOfAccount.set(key(snap.platform, m.userId), g);
    }
  }

  function free(g: Group | undefined, platform: DirectoryPlatform): Group | undefined {
    return g && !g.members.has(platform) ? g : undefined;
  }
  function groupFor(p: KnownPerson): Group {
    let g = groups.get(p.id);
    if (!g) groups.set(p.id, (g = { id: p.id, existing: p, members: new Map() }));
    return g;
  }
  function findGroup(platform: DirectoryPlatform, m: DirectoryMember): Group | undefined {
    const mine = byAccount.get(key(platform, m.userId));
    if (mine) return free(groupFor(mine), platform) ?? undefined;
    const other: DirectoryPlatform = platform === "wecom" ? "dingtalk" : "wecom";
    const link = config.links.find((l) => l[platform] === m.userId);
    if (link) {
      const partner = link[other];
      const g = groupOfAccount.get(key(other, partner)) ?? (byAccount.get(key(other, partner)) ? groupFor(byAccount.get(key(other, partner))!) : undefined);
      if (free(g, platform)) return g;
    }
    for (const by of config.matchBy) {
      const value = by === "mobile" ? normalizeMobile(m.mobile) : normalizeEmail(m.email);
      if (!value) continue;
      const same = (x: { mobile?: string | null; email?: string | null }) =>
        (by === "mobile" ? normalizeMobile(x.mobile ?? undefined) : normalizeEmail(x.email ?? undefined)) === value;
      // Someone read earlier in this sync (the other platform), then someone the bot already knows.
      const fresh = [...groups.values()].find((g) => !g.members.has(platform) && [...g.members.values()].some(same));
      if (fresh) return fresh;
      // Not someone whose own account on this platform is in the address book: that account is theirs.
      const old = known.find((p) => same(p) && !p.identities.some((i) => i.platform === platform && presentAccounts.has(key(platform, i.externalId))));
      if (old && free(groupFor(old), platform)) return groups.get(old.id);
    }
    return undefined;
  }
  function newGroup(platform: DirectoryPlatform, m: DirectoryMember): Group {
    let id = ID.test(m.userId) && !takenIds.has(m.userId) ? m.userId : `${platform}-${m.userId.replace(/[^A-Za-z0-9_.@-]/g, "_")}`.slice(0, 60);
    for (let n = 2; takenIds.has(id); n++) id = `${id.replace(/-\d+$/, "")}-${n}`;
    takenIds.add(id);
    const g: Group = { id, members: new Map() };
    groups.set(id, g);
    return g;
  }

  const departments = new Map(snapshots.map((s) => [s.platform, new Map(s.departments.map((d) => [d.id, d]))]));
  const ancestry = (platform: DirectoryPlatform, deptId: string): string[] => {
    const out: string[] = [];
    const depts = departments.get(platform);
    for (let d = depts?.get(deptId); d && !out.includes(d.id); d = d.parentId ? depts?.get(d.parentId) : undefined) out.push(d.id);
    return out;
  };
  const personOfAccount = (platform: string, userId: string) => groupOfAccount.get(key(platform, userId))?.id ?? byAccount.get(key(platform, userId))?.id;

  const rolesFor = (g: Group): string[] => {
    const members = [...g.members.entries()];
    const userRule = config.rules.find((r) => r.user && members.some(([p, m]) => r.user === key(p, m.userId)));
    if (userRule) return [...userRule.roles];
    const roles = new Set<string>();
    for (const r of config.rules) {
      const hit = members.some(([p, m]) => {
        if (r.tag) return m.tags.includes(r.tag);
        if (r.title) return m.title === r.title;
        if (r.department) return m.departmentIds.some((d) => ancestry(p, d).some((a) => departments.get(p)?.get(a)?.name === r.department));
        return false;
      });
      if (hit) r.roles.forEach((x) => roles.add(x));
    }
    const out = roles.size ? [...roles] : [...config.defaultRoles];
    const leads = members.some(([p, m]) => [...(departments.get(p)?.values() ?? [])].some((d) => d.leaderIds.includes(m.userId)));
    if (config.leadersAreManagers && leads && out.includes("rep") && !out.includes("manager")) out.push("manager");
    return out;
  };

  const managerFor = (g: Group): string | null => {
    const members = [...g.members.entries()];
    const userRule = config.rules.find((r) => r.user && members.some(([p, m]) => r.user === key(p, m.userId)));
    if (userRule?.manager) {
      const [p, u] = userRule.manager.includes(":") ? userRule.manager.split(":") : [undefined, undefined];
      return p && u ? (personOfAccount(p, u) ?? null) : userRule.manager;
    }
    if (!config.leadersAreManagers) return null;
    const [platform, m] = members[0]!;
    const mine = new Set(members.map(([p, x]) => key(p, x.userId)));
    for (const deptId of m.departmentIds.length ? ancestry(platform, m.departmentIds[0]!) : []) {
      const leader = departments.get(platform)?.get(deptId)?.leaderIds.filter((l) => !mine.has(key(platform, l))).sort()[0];
      if (leader) return personOfAccount(platform, leader) ?? null;
    }
    return null;
  };

  const people: PlannedPerson[] = [];
  const leavers: DirectoryPlan["leavers"] = [];
  const served = new Set<string>();
  for (const g of groups.values()) {
    if (!g.members.size) continue;
    const fromFile = g.existing?.source === "org-file";
    const roles = g.existing?.roleOverride.length ? g.existing.roleOverride : rolesFor(g);
    const members = [...g.members.entries()];
    const first = members[0]![1];
    if (!fromFile && !roles.length) {
      if (g.existing?.active) leavers.push({ id: g.id, name: g.existing.name, reason: "no_role" });
      continue;
    }
    served.add(g.id);
    people.push({
      id: g.id,
      isNew: !g.existing,
      fromFile,
      name: first.name,
      roles,
      managerId: null,
      mobile: members.map(([, m]) => normalizeMobile(m.mobile)).find(Boolean) ?? null,
      email: members.map(([, m]) => normalizeEmail(m.email)).find(Boolean) ?? null,
      departments: members.flatMap(([p, m]) => m.departmentIds.map((d) => key(p, d))),
      accounts: members.map(([p, m]) => ({ platform: p, externalId: m.userId })),
    });
  }
  // Managers once everyone is placed; a manager who is not served (no role) manages nobody here.
  for (const p of people) {
    const manager = managerFor(groups.get(p.id)!);
    p.managerId = manager && manager !== p.id && (served.has(manager) || knownById.get(manager)?.source === "org-file") ? manager : null;
  }

  const lostAccounts: DirectoryPlan["lostAccounts"] = [];
  const fileOnly: DirectoryPlan["fileOnly"] = [];
  for (const p of known) {
    const onRead = p.identities.filter((i) => read.has(i.platform));
    const present = onRead.filter((i) => groupOfAccount.has(key(i.platform, i.externalId)));
    if (p.source === "org-file") {
      if (p.active && onRead.some((i) => i.source === "org-file") && !present.length) fileOnly.push({ id: p.id, name: p.name });
      continue;
    }
    const elsewhere = p.identities.some((i) => (i.platform === "wecom" || i.platform === "dingtalk") && !read.has(i.platform));
    if (served.has(p.id)) {
      for (const i of onRead) if (i.source === "directory" && !present.includes(i)) lostAccounts.push({ platform: i.platform as DirectoryPlatform, externalId: i.externalId });
    } else if (p.active && !groups.get(p.id)?.members.size && !elsewhere && onRead.length) {
      leavers.push({ id: p.id, name: p.name, reason: "left" });
    }
  }
  return { people, leavers, lostAccounts, fileOnly };
}
