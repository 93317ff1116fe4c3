// The customer import's plan against the database and its writes. The plan is a diff: a file value that differs
// from the customer's is a change, an empty cell changes nothing, tags and aliases are added (never removed), and
// a contact is matched by name. So importing the same file twice writes nothing the second time. Writes go through
// one transaction with an audit entry per change (eventId = the import's run id).
import { STAGE_LABELS } from "../customers/customer-fields.ts";
import { moveOpenTasksWithCustomer } from "../customers/ownership.service.ts";
import { audit } from "../audit/audit.repo.ts";
import { toJsonValue } from "../json.ts";
import type { Prisma, Tx } from "../tx.ts";
import type { ContactIn, CustomerIn, Level, Problem, Stage } from "./customer-rows.ts";

interface ExistingContact {
  id: string;
  name: string;
  title: string | null;
  phone: string | null;
}
interface ExistingCustomer {
  id: string;
  name: string;
  normalizedName: string;
  aliases: string[];
  ownerId: string | null;
  stage: Stage;
  level: Level | null;
  industry: string | null;
  region: string | null;
  address: string | null;
  tags: string[];
  contacts: ExistingContact[];
}

type Scalar = "stage" | "level" | "industry" | "region" | "address";
const SCALAR_LABELS: Record<Scalar, string> = { stage: "阶段", level: "级别", industry: "行业", region: "地区", address: "地址" };
export const PHONE_ONLY_CONTACT = "未留姓名";

export type ContactStep =
  | { kind: "create"; contact: { name: string; title: string | null; phone: string | null } }
  | { kind: "update"; id: string; name: string; before: ContactPatch; after: ContactPatch };

type ContactPatch = { phone?: string | null; title?: string | null };

export interface CustomerStep {
  lines: number[];
  name: string;
  /** null: a new customer. */
  existing: ExistingCustomer | null;
  input: CustomerIn;
  fields: Partial<Record<Scalar | "tags" | "aliases", unknown>>;
  ownerChange?: { from: string | null; to: string };
  contacts: ContactStep[];
  /** What changes, in words, for the report. */
  summary: string[];
}

export interface CustomerPlan {
  steps: CustomerStep[];
  unchanged: number;
  merges: { lines: number[]; name: string; existingName: string }[];
  problems: Problem[];
  warnings: Problem[];
}

export async function loadExistingCustomers(tx: Tx): Promise<ExistingCustomer[]> {
  return tx.customer.findMany({
    where: { deletedAt: null },
    select: {
      id: true, name: true, normalizedName: true, aliases: true, ownerId: true, stage: true, level: true, industry: true, region: true, address: true, tags: true,
      contacts: { where: { deletedAt: null }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, title: true, phone: true } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

/** The file's customers against the existing ones: who is new, what changes for the others. */
export function planCustomers(file: readonly CustomerIn[], existing: readonly ExistingCustomer[], peopleNames: ReadonlyMap<string, string>): CustomerPlan {
  const byName = new Map<string, ExistingCustomer[]>();
  const byAlias = new Map<string, ExistingCustomer[]>();
  for (const c of existing) {
    byName.set(c.normalizedName, [...(byName.get(c.normalizedName) ?? []), c]);
    for (const a of c.aliases) byAlias.set(a, [...(byAlias.get(a) ?? []), c]);
  }
  const who = (id: string | null) => (id ? (peopleNames.get(id) ?? id) : "公海");
  const plan: CustomerPlan = { steps: [], unchanged: 0, merges: [], problems: [], warnings: [] };
  const claimed = new Map<string, number>(); // existing id → the file line that matched it
  for (const input of file) {
    const line = input.lines[0]!;
    const matches = byName.get(input.normalizedName) ?? byAlias.get(input.normalizedName) ?? [];
    const target = matches[0] ?? null;
    if (matches.length > 1) {
      plan.warnings.push({ line, message: `已有 ${matches.length} 个客户都叫「${input.normalizedName}」（${matches.map((m) => m.name).join("、")}），并入最早的「${target!.name}」` });
    }
    if (target) {
      const earlier = claimed.get(target.id);
      if (earlier !== undefined) {
        plan.problems.push({ line, message: `和第 ${earlier} 行都对应已有客户「${target.name}」，请合成一行` });
        continue;
      }
      claimed.set(target.id, line);
      plan.merges.push({ lines: input.lines, name: input.name, existingName: target.name });
    }
    const step = diffCustomer(input, target, who);
    if (target && !step.summary.length) plan.unchanged++;
    else plan.steps.push(step);
  }
  return plan;
}

function diffCustomer(input: CustomerIn, existing: ExistingCustomer | null, who: (id: string | null) => string): CustomerStep {
  const step: CustomerStep = { lines: input.lines, name: existing?.name ?? input.name, existing, input, fields: {}, contacts: [], summary: [] };
  const show = (f: Scalar, v: unknown) => (v === null || v === undefined ? "空" : f === "stage" ? (STAGE_LABELS[String(v)] ?? String(v)) : String(v));
  for (const f of Object.keys(SCALAR_LABELS) as Scalar[]) {
    const v = input[f];
    if (v === undefined) continue;
    if (!existing) step.fields[f] = v;
    else if (existing[f] !== v) {
      step.fields[f] = v;
      step.summary.push(`${SCALAR_LABELS[f]} ${show(f, existing[f])}→${show(f, v)}`);
    }
  }
  const tags = existing ? input.tags.filter((t) => !existing.tags.includes(t)) : input.tags;
  if (tags.length) {
    step.fields.tags = [...(existing?.tags ?? []), ...tags].slice(0, 30);
    if (existing) step.summary.push(`加标签 ${tags.join("、")}`);
  }
  const aliases = existing ? input.aliases.filter((a) => a !== existing.normalizedName && !existing.aliases.includes(a)) : input.aliases;
  if (aliases.length) {
    step.fields.aliases = [...(existing?.aliases ?? []), ...aliases].slice(-20);
    if (existing) step.summary.push(`加简称 ${aliases.join("、")}`);
  }
  if (input.ownerId !== undefined && input.ownerId !== (existing?.ownerId ?? null)) {
    step.ownerChange = { from: existing?.ownerId ?? null, to: input.ownerId };
    if (existing) step.summary.push(`负责人 ${who(existing.ownerId)}→${who(input.ownerId)}`);
  }
  const contacts = existing ? existing.contacts.map((c) => ({ ...c })) : [];
  for (const c of input.contacts) {
    const s = contactStep(c, contacts);
    if (!s) continue;
    step.contacts.push(s);
    if (s.kind === "create") contacts.push({ id: "", ...s.contact });
    if (existing) step.summary.push(s.kind === "create" ? `新联系人 ${s.contact.name}` : `联系人 ${s.name} ${Object.keys(s.after).map((k) => (k === "phone" ? "电话" : "职位")).join("、")}更新`);
  }
  if (!existing) step.summary.push(describeNew(input, who));
  return step;
}

/** A file contact against the customer's: matched by name; a phone with no name goes to the main contact. */
function contactStep(c: ContactIn, current: readonly ExistingContact[]): ContactStep | null {
  if (!c.name) {
    if (!c.phone || current.some((x) => x.phone === c.phone)) return null;
    const main = current[0];
    if (!main) return { kind: "create", contact: { name: PHONE_ONLY_CONTACT, title: c.title, phone: c.phone } };
    return main.id ? { kind: "update", id: main.id, name: main.name, before: { phone: main.phone }, after: { phone: c.phone } } : null;
  }
  const same = current.find((x) => x.name === c.name);
  if (!same) return { kind: "create", contact: { name: c.name, title: c.title, phone: c.phone } };
  const before: ContactPatch = {};
  const after: ContactPatch = {};
  if (c.phone && c.phone !== same.phone) {
    before.phone = same.phone;
    after.phone = c.phone;
  }
  if (c.title && c.title !== same.title) {
    before.title = same.title;
    after.title = c.title;
  }
  return Object.keys(after).length && same.id ? { kind: "update", id: same.id, name: same.name, before, after } : null;
}

function describeNew(c: CustomerIn, who: (id: string | null) => string): string {
  const bits = [`负责人 ${who(c.ownerId ?? null)}`];
  if (c.stage) bits.push(`阶段 ${STAGE_LABELS[c.stage]}`);
  if (c.level) bits.push(`级别 ${c.level}`);
  if (c.contacts.length) bits.push(`联系人 ${c.contacts.map((x) => x.name ?? PHONE_ONLY_CONTACT).join("、")}`);
  return bits.join("，");
}

export interface AppliedCounts {
  created: number;
  updated: number;
  contactsCreated: number;
  contactsUpdated: number;
  reassigned: number;
}

/** Writes the plan (inside the caller's transaction), every change audited under `runId`. */
export async function applyCustomerPlan(tx: Tx, plan: CustomerPlan, actorId: string, runId: string): Promise<AppliedCounts> {
  const counts: AppliedCounts = { created: 0, updated: 0, contactsCreated: 0, contactsUpdated: 0, reassigned: 0 };
  const meta = { actorId, eventId: runId };
  const audits: Prisma.AuditLogCreateManyInput[] = [];
  const entry = (action: string, entityType: string, entityId: string, after: unknown): Prisma.AuditLogCreateManyInput => ({ ...meta, action, entityType, entityId, after: toJsonValue(after) });
  // New customers a batch at a time (a first import is mostly new ones: one insert per few hundred rows instead of
  // four per customer), their contacts and audit entries likewise.
  for (const chunk of chunks(plan.steps.filter((s) => !s.existing), BATCH)) {
    const rows = await tx.customer.createManyAndReturn({
      data: chunk.map(({ input: i }) => ({
        name: i.name, normalizedName: i.normalizedName, aliases: i.aliases, tags: i.tags, ownerId: i.ownerId ?? null, createdById: actorId,
        ...(i.stage ? { stage: i.stage } : {}), level: i.level ?? null, industry: i.industry ?? null, region: i.region ?? null, address: i.address ?? null,
      })),
      select: { id: true, normalizedName: true, stage: true },
    });
    // Names are unique among the new ones (the file's duplicates are merged by normalised name).
    const byName = new Map(rows.map((r) => [r.normalizedName, r]));
    const contacts: Prisma.ContactCreateManyInput[] = [];
    for (const { input: i, contacts: steps } of chunk) {
      const row = byName.get(i.normalizedName)!;
      audits.push(entry("customer.create", "customer", row.id, {
        name: i.name, ownerId: i.ownerId ?? null, stage: row.stage, level: i.level ?? null, industry: i.industry ?? null, region: i.region ?? null, address: i.address ?? null, tags: i.tags, aliases: i.aliases, source: "import",
      }));
      for (const c of steps) if (c.kind === "create") contacts.push({ customerId: row.id, ...c.contact });
    }
    const made = contacts.length ? await tx.contact.createManyAndReturn({ data: contacts, select: { id: true, customerId: true, name: true, title: true, phone: true } }) : [];
    for (const c of made) audits.push(entry("contact.create", "contact", c.id, { customerId: c.customerId, name: c.name, title: c.title, phone: c.phone, source: "import" }));
    counts.created += chunk.length;
    counts.contactsCreated += made.length;
  }
  for (const s of plan.steps) {
    if (!s.existing) continue;
    const e = s.existing;
    const customerId = e.id;
    if (Object.keys(s.fields).length) {
      const data = s.fields as Record<string, unknown>;
      await tx.customer.update({ where: { id: e.id }, data });
      const before = Object.fromEntries(Object.keys(data).map((k) => [k, e[k as keyof ExistingCustomer]]));
      await audit(tx, { ...meta, action: "customer.update", entityType: "customer", entityId: e.id, before, after: { ...data, source: "import" } });
    }
    if (s.ownerChange) {
      // As 转交 does: the owner changes, the pool warning is forgotten, open follow-ups go with the customer.
      await tx.customer.update({ where: { id: e.id }, data: { ownerId: s.ownerChange.to, poolWarnedAt: null } });
      await audit(tx, { ...meta, action: "customer.reassign", entityType: "customer", entityId: e.id, before: { ownerId: s.ownerChange.from }, after: { ownerId: s.ownerChange.to, source: "import" } });
      await moveOpenTasksWithCustomer(tx, e.id, s.ownerChange.to, actorId, runId, "customer.import");
      counts.reassigned++;
    }
    counts.updated++;
    for (const c of s.contacts) {
      if (c.kind === "create") {
        const row = await tx.contact.create({ data: { customerId, ...c.contact } });
        await audit(tx, { ...meta, action: "contact.create", entityType: "contact", entityId: row.id, after: { customerId, ...c.contact, source: "import" } });
        counts.contactsCreated++;
      } else {
        await tx.contact.update({ where: { id: c.id }, data: c.after });
        await audit(tx, { ...meta, action: "contact.update", entityType: "contact", entityId: c.id, before: c.before, after: { ...c.after, customerId, source: "import" } });
        counts.contactsUpdated++;
      }
    }
  }
  for (const chunk of chunks(audits, BATCH * 2)) await tx.auditLog.createMany({ data: chunk });
  return counts;
}

const BATCH = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
