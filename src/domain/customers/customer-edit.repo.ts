// Applies one edit of a customer's fields (or its main contact's phone), with the audit entry.
import { AppError } from "../../core/app-error.ts";
import { audit } from "../audit/audit.repo.ts";
import type { Tx } from "../tx.ts";
import type { CustomerEdit } from "./customer-fields.ts";

export interface EditResult {
  name: string;
  before: unknown;
  after: unknown;
  /** The contact whose phone changed. */
  contact?: string;
  changed: boolean;
}

export async function applyCustomerEdit(tx: Tx, customerId: string, edit: CustomerEdit, actorId: string, eventId: string | null): Promise<EditResult> {
  const c = await tx.customer.findFirst({ where: { id: customerId, deletedAt: null } });
  if (!c) throw new AppError("customer_not_found", "没有找到这个客户，可能已被删除。");
  if (edit.field === "phone") {
    // The main contact: the first one recorded that is still there.
    const contact = await tx.contact.findFirst({ where: { customerId, deletedAt: null }, orderBy: { createdAt: "asc" } });
    if (!contact) throw new AppError("edit_no_contact", `「${c.name}」还没有联系人。先记录一次拜访（写上联系人，例如「今天拜访了${c.name}的王经理」），再改电话。`);
    if (contact.phone === edit.value) return { name: c.name, before: contact.phone, after: edit.value, contact: contact.name, changed: false };
    await tx.contact.update({ where: { id: contact.id }, data: { phone: edit.value } });
    await audit(tx, { actorId, action: "contact.update", entityType: "contact", entityId: contact.id, before: { phone: contact.phone }, after: { phone: edit.value, customerId }, eventId });
    return { name: c.name, before: contact.phone, after: edit.value, contact: contact.name, changed: true };
  }
  if (edit.field === "tags") {
    const tags = [...c.tags.filter((t) => !edit.remove.includes(t)), ...edit.add.filter((t) => !c.tags.includes(t))].slice(0, 30);
    const changed = tags.length !== c.tags.length || tags.some((t, i) => t !== c.tags[i]);
    if (changed) {
      await tx.customer.update({ where: { id: customerId }, data: { tags } });
      await audit(tx, { actorId, action: "customer.update", entityType: "customer", entityId: customerId, before: { tags: c.tags }, after: { tags }, eventId });
    }
    return { name: c.name, before: c.tags, after: tags, changed };
  }
  const before = c[edit.field];
  if (before === edit.value) return { name: c.name, before, after: edit.value, changed: false };
  const data = edit.field === "stage" ? { stage: edit.value as typeof c.stage } : edit.field === "level" ? { level: edit.value } : { [edit.field]: edit.value };
  await tx.customer.update({ where: { id: customerId }, data });
  await audit(tx, { actorId, action: "customer.update", entityType: "customer", entityId: customerId, before: { [edit.field]: before }, after: { [edit.field]: edit.value }, eventId });
  return { name: c.name, before, after: edit.value, changed: true };
}
