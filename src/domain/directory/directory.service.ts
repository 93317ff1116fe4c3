// Applies a directory plan to the database in one transaction, under the same advisory lock as the org file loader
// (so a start and a sync never interleave), every change audited as "system:directory". The precedence between the
// two writers is described in org/org.repo.ts; this side never changes a person of the org file beyond their
// accounts, mobile, email and departments, and never touches the file's own accounts (Identity.source).
import type { DirectorySnapshot } from "../../core/directory-port.ts";
import { audit } from "../audit/audit.repo.ts";
import { changedFields } from "../org/org-changes.ts";
import type { DirectoryConfig } from "../org/directory-config.ts";
import type { DbClient, Tx } from "../tx.ts";
import { planDirectory, type KnownPerson, type PlannedPerson } from "./directory-plan.ts";

export const DIRECTORY_ACTOR = "system:directory";

export interface Named {
  id: string;
  name: string;
}

export interface DirectoryApplied {
  platforms: string[];
  added: Named[];
  updated: Named[];
  reactivated: Named[];
  deactivated: Named[];
  /** People of the org file the address book does not have (the file keeps them; take them out of it if they left). */
  fileOnly: Named[];
  departments: number;
}

/** Refuses a read that cannot be the whole company: nobody at all would "leave" everyone. */
export class EmptyDirectoryError extends Error {}

export async function applyDirectory(db: DbClient, snapshots: readonly DirectorySnapshot[], config: DirectoryConfig, now: Date): Promise<DirectoryApplied> {
  // Callers skip an empty read; this is the last guard (nobody would "leave" everyone).
  for (const s of snapshots) {
    if (!s.members.some((m) => m.active)) throw new EmptyDirectoryError(`the ${s.platform} address book answered with nobody in it: check the app's visible range (可见范围); nothing was changed`);
  }
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('org-file-sync'))::text`;
      const known = await knownPeople(tx);
      const plan = planDirectory(snapshots, config, known);
      const byId = new Map(known.map((p) => [p.id, p]));
      const out: DirectoryApplied = { platforms: snapshots.map((s) => s.platform), added: [], updated: [], reactivated: [], deactivated: [], fileOnly: plan.fileOnly, departments: 0 };

      for (const p of plan.people.filter((x) => x.isNew)) {
        await tx.user.create({ data: { id: p.id, name: p.name, roles: p.roles, source: "directory", mobile: p.mobile, email: p.email, departments: p.departments, active: true } });
      }
      for (const p of plan.people) {
        await linkAccounts(tx, p, byId.get(p.id));
        if (p.isNew) {
          if (p.managerId) await tx.user.update({ where: { id: p.id }, data: { managerId: p.managerId } });
          await audit(tx, { actorId: DIRECTORY_ACTOR, action: "user.create", entityType: "user", entityId: p.id, after: stateOf(p), at: now });
          out.added.push({ id: p.id, name: p.name });
          continue;
        }
        const before = byId.get(p.id)!;
        const wanted = p.fromFile
          ? { mobile: p.mobile ?? before.mobile, email: p.email ?? before.email, departments: p.departments }
          : { ...stateOf(p), active: true };
        const current = p.fromFile
          ? { mobile: before.mobile, email: before.email, departments: before.departments }
          : { name: before.name, roles: before.roles, managerId: before.managerId, mobile: before.mobile, email: before.email, departments: before.departments, active: before.active };
        const diff = changedFields<Record<string, unknown>>(current, wanted);
        if (!diff) continue;
        const reactivated = !p.fromFile && !before.active;
        await tx.user.update({ where: { id: p.id }, data: { ...(diff.after as object), ...(reactivated ? { deactivatedAt: null } : {}) } });
        await audit(tx, { actorId: DIRECTORY_ACTOR, action: reactivated ? "user.reactivate" : "user.update", entityType: "user", entityId: p.id, ...diff, at: now });
        (reactivated ? out.reactivated : out.updated).push({ id: p.id, name: p.name });
      }
      for (const l of plan.leavers) {
        await tx.user.update({ where: { id: l.id }, data: { active: false, deactivatedAt: now } });
        await audit(tx, { actorId: DIRECTORY_ACTOR, action: "user.deactivate", entityType: "user", entityId: l.id, before: { active: true }, after: { active: false, reason: l.reason === "left" ? "left the address book" : "no role in the directory rules" }, at: now });
        out.deactivated.push({ id: l.id, name: l.name });
      }
      for (const a of plan.lostAccounts) await tx.identity.deleteMany({ where: { platform: a.platform, externalId: a.externalId, source: "directory" } });
      out.departments = await saveDepartments(tx, snapshots, now);
      return out;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

const stateOf = (p: PlannedPerson) => ({ name: p.name, roles: p.roles, managerId: p.managerId, mobile: p.mobile, email: p.email, departments: p.departments });

async function knownPeople(tx: Tx): Promise<KnownPerson[]> {
  const rows = await tx.user.findMany({ include: { identities: { select: { platform: true, externalId: true, source: true } } }, orderBy: { id: "asc" } });
  return rows.map((r) => ({ id: r.id, name: r.name, source: r.source, roles: r.roles, roleOverride: r.roleOverride, managerId: r.managerId, active: r.active, mobile: r.mobile, email: r.email, departments: r.departments, identities: r.identities }));
}

/** The person's platform accounts (and a playground one for a new person, as the org file gives everyone). */
async function linkAccounts(tx: Tx, p: PlannedPerson, before: KnownPerson | undefined): Promise<void> {
  const accounts = [...p.accounts, ...(before ? [] : [{ platform: "playground", externalId: p.id }])];
  for (const a of accounts) {
    if (before?.identities.some((i) => i.platform === a.platform && i.externalId === a.externalId)) continue;
    // An account another directory person had (reused ids): it is this person's now. The file's stay the file's.
    await tx.identity.upsert({
      where: { platform_externalId: { platform: a.platform, externalId: a.externalId } },
      create: { platform: a.platform, externalId: a.externalId, userId: p.id, source: "directory" },
      update: {},
    });
  }
}

async function saveDepartments(tx: Tx, snapshots: readonly DirectorySnapshot[], now: Date): Promise<number> {
  let n = 0;
  for (const s of snapshots) {
    await tx.department.deleteMany({ where: { platform: s.platform, externalId: { notIn: s.departments.map((d) => d.id) } } });
    for (const d of s.departments) {
      const data = { name: d.name, parentId: d.parentId, leaderIds: d.leaderIds, syncedAt: now };
      await tx.department.upsert({ where: { platform_externalId: { platform: s.platform, externalId: d.id } }, create: { platform: s.platform, externalId: d.id, ...data }, update: data });
      n++;
    }
  }
  return n;
}
