// Loads the organisation file into the database, idempotently: only what differs from the file is written,
// and every change is audited (actor "system:org-file"), so a reload of an unchanged file writes nothing.
// People who left the file are deactivated (their history stays); so are dropped products.
//
// With a directory sync (src/domain/directory/) one precedence holds, whichever runs last (a start or a sync):
//   - a person the file lists is the file's: name, roles, manager and active come from it; a sync only adds their
//     other platform accounts, mobile, email and departments;
//   - a person the file does not list but the address book does is the directory's: the loader leaves them alone
//     (someone taken out of the file who still has address-book accounts is handed to the directory, not deactivated);
//   - an admin's 设置 角色 (roleOverride) wins over both for roles, until cleared with 设置 角色 <name> 恢复.
// Each writer keeps its own platform accounts (Identity.source), so neither undoes the other's.
import { audit } from "../audit/audit.repo.ts";
import type { DbClient, Tx } from "../tx.ts";
import type { OrgFile, OrgUser } from "./org-file.ts";
import { changedFields, ORG_FILE_ACTOR } from "./org-changes.ts";
import { syncProducts, type FileProduct } from "./price-list.repo.ts";

export interface OrgSyncResult {
  users: number;
  products: number;
  deactivatedUsers: number;
  /** Audit rows written: one per user or product created, changed or deactivated. */
  changes: number;
}

/** What the file says about a person, in the shape the audit log records. */
interface UserState {
  source?: string;
  name: string;
  roles: string[];
  managerId: string | null;
  active: boolean;
  wecom: string | null;
  dingtalk: string | null;
}

const fromFile = (u: OrgUser, override: string[] | undefined): UserState => ({
  source: "org-file",
  name: u.name,
  roles: override?.length ? override : u.roles,
  managerId: u.manager ?? null,
  active: u.active,
  wecom: u.wecom ?? null,
  dingtalk: u.dingtalk ?? null,
});

/** What syncOrg writes: the people and products of an org file (rules and warehouse routes live in memory). */
export interface OrgSyncInput {
  users: OrgFile["users"];
  products: readonly FileProduct[];
  /** "database": the file has no price list, products are left as they are (kept by `npm run import -- products`). */
  priceList?: "file" | "database";
}

export async function syncOrg(db: DbClient, org: OrgSyncInput, now = new Date()): Promise<OrgSyncResult> {
  return db.$transaction(
    async (tx) => {
      // Several instances starting at once on one database: one loads the org file at a time, the others then
      // see its rows (without this the second one's inserts collided with the first's: unique constraint on id).
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('org-file-sync'))::text`;
      const users = await syncUsers(tx, org.users, now);
      const products = org.priceList === "database" ? 0 : await syncProducts(tx, org.products, now);
      return { users: org.users.length, products: org.products.length, deactivatedUsers: users.deactivated, changes: users.changes + products };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

async function syncUsers(tx: Tx, fileUsers: OrgUser[], now: Date): Promise<{ changes: number; deactivated: number }> {
  const rows = await tx.user.findMany({ include: { identities: true } });
  const overrides = new Map(rows.map((r) => [r.id, r.roleOverride]));
  const fromDirectory = new Set(rows.filter((r) => r.identities.some((i) => i.source === "directory")).map((r) => r.id));
  const current = new Map(
    rows.map((r) => {
      const ext = (p: string) => r.identities.find((i) => i.platform === p && i.source === "org-file")?.externalId ?? null;
      const state: UserState = { source: r.source, name: r.name, roles: r.roles, managerId: r.managerId, active: r.active, wecom: ext("wecom"), dingtalk: ext("dingtalk") };
      return [r.id, state];
    }),
  );
  let changes = 0;
  let deactivated = 0;
  // Everyone exists before anyone's manager is set (the manager is a foreign key).
  for (const u of fileUsers) {
    if (!current.has(u.id)) await tx.user.create({ data: { id: u.id, name: u.name, roles: u.roles, active: u.active, deactivatedAt: u.active ? null : now } });
  }
  for (const u of fileUsers) {
    const before = current.get(u.id);
    const after = fromFile(u, overrides.get(u.id));
    if (!before) {
      if (after.managerId) await tx.user.update({ where: { id: u.id }, data: { managerId: after.managerId } });
      await audit(tx, { actorId: ORG_FILE_ACTOR, action: "user.create", entityType: "user", entityId: u.id, after });
      changes++;
      continue;
    }
    const diff = changedFields(before, after);
    if (!diff) continue;
    const { source, name, roles, managerId, active } = diff.after;
    if (source !== undefined || name !== undefined || roles !== undefined || managerId !== undefined || active !== undefined) {
      const deactivatedAt = active === false ? now : active === true ? null : undefined;
      await tx.user.update({ where: { id: u.id }, data: { source, name, roles, managerId, active, deactivatedAt } });
    }
    const action = active === false ? "user.deactivate" : active === true ? "user.reactivate" : "user.update";
    if (active === false) deactivated++;
    await audit(tx, { actorId: ORG_FILE_ACTOR, action, entityType: "user", entityId: u.id, ...diff });
    changes++;
  }
  await syncIdentities(tx, fileUsers);
  const inFile = new Set(fileUsers.map((u) => u.id));
  for (const [id, state] of current) {
    if (inFile.has(id) || state.source !== "org-file") continue;
    if (fromDirectory.has(id)) {
      // Still in an address book: the directory decides about them from now on (the next sync).
      await tx.user.update({ where: { id }, data: { source: "directory" } });
      await audit(tx, { actorId: ORG_FILE_ACTOR, action: "user.update", entityType: "user", entityId: id, before: { source: "org-file" }, after: { source: "directory" } });
      changes++;
      continue;
    }
    if (!state.active) continue;
    await tx.user.update({ where: { id }, data: { active: false, deactivatedAt: now } });
    await audit(tx, { actorId: ORG_FILE_ACTOR, action: "user.deactivate", entityType: "user", entityId: id, before: { active: true }, after: { active: false } });
    changes++;
    deactivated++;
  }
  return { changes, deactivated };
}

/** Platform accounts follow the file; one that moved to another person moves with it. */
async function syncIdentities(tx: Tx, fileUsers: OrgUser[]): Promise<void> {
  const key = (platform: string, externalId: string) => `${platform}\u0000${externalId}`;
  const wanted = new Map<string, { platform: string; externalId: string; userId: string }>();
  for (const u of fileUsers) {
    const ids = [{ platform: "playground", externalId: u.id }];
    if (u.wecom) ids.push({ platform: "wecom", externalId: u.wecom });
    if (u.dingtalk) ids.push({ platform: "dingtalk", externalId: u.dingtalk });
    for (const i of ids) wanted.set(key(i.platform, i.externalId), { ...i, userId: u.id });
  }
  const inFile = new Set(fileUsers.map((u) => u.id));
  const existing = new Map((await tx.identity.findMany()).map((i) => [key(i.platform, i.externalId), i]));
  // Only the file's own accounts: those a directory sync found stay (Identity.source).
  for (const [k, i] of existing) {
    if (inFile.has(i.userId) && i.source === "org-file" && !wanted.has(k)) await tx.identity.delete({ where: { platform_externalId: { platform: i.platform, externalId: i.externalId } } });
  }
  for (const [k, w] of wanted) {
    const had = existing.get(k);
    if (!had) await tx.identity.create({ data: { ...w, source: "org-file" } });
    // The file names this account: it is the file's, and the file's person's.
    else if (had.userId !== w.userId || had.source !== "org-file") {
      await tx.identity.update({ where: { platform_externalId: { platform: w.platform, externalId: w.externalId } }, data: { userId: w.userId, source: "org-file" } });
    }
  }
}
