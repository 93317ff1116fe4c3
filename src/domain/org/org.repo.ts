// Loads the organisation file into the database, idempotently: running it twice changes nothing the
// second time. People who left the file are deactivated (their history stays); so are dropped products.
import type { DbClient } from "../tx.ts";
import type { OrgFile } from "./org-file.ts";

export interface OrgSyncResult {
  users: number;
  products: number;
  deactivatedUsers: number;
}

export async function syncOrg(db: DbClient, org: OrgFile): Promise<OrgSyncResult> {
  return db.$transaction(async (tx) => {
    for (const u of org.users) {
      await tx.user.upsert({
        where: { id: u.id },
        create: { id: u.id, name: u.name, roles: u.roles, active: u.active },
        update: { name: u.name, roles: u.roles, active: u.active },
      });
    }
    for (const u of org.users) {
      await tx.user.update({ where: { id: u.id }, data: { managerId: u.manager ?? null } });
      const wanted = [
        { platform: "playground", externalId: u.id },
        ...(u.wecom ? [{ platform: "wecom", externalId: u.wecom }] : []),
        ...(u.dingtalk ? [{ platform: "dingtalk", externalId: u.dingtalk }] : []),
      ];
      await tx.identity.deleteMany({
        where: { userId: u.id, NOT: { OR: wanted.map((w) => ({ platform: w.platform, externalId: w.externalId })) } },
      });
      for (const w of wanted) {
        // An identity that moved to another person follows the file.
        await tx.identity.upsert({
          where: { platform_externalId: { platform: w.platform, externalId: w.externalId } },
          create: { ...w, userId: u.id },
          update: { userId: u.id },
        });
      }
    }
    const ids = org.users.map((u) => u.id);
    const gone = await tx.user.updateMany({ where: { id: { notIn: ids }, active: true }, data: { active: false } });
    for (const p of org.products) {
      const data = { name: p.name, aliases: p.aliases, unit: p.unit, price: p.price, active: true };
      await tx.product.upsert({ where: { sku: p.sku }, create: { sku: p.sku, ...data }, update: data });
    }
    await tx.product.updateMany({ where: { sku: { notIn: org.products.map((p) => p.sku) } }, data: { active: false } });
    return { users: org.users.length, products: org.products.length, deactivatedUsers: gone.count };
  });
}
