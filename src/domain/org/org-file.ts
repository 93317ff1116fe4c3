// The organisation file (ORG_FILE, YAML or JSON): people, products and the rules later flows need.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { AppError } from "../../core/app-error.ts";

export const ROLES = ["rep", "manager", "director", "warehouse", "admin"] as const;
export type Role = (typeof ROLES)[number];

const id = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, "ids use letters, digits, _ . @ - (at most 64)");

const UserSchema = z.object({
  id,
  name: z.string().min(1).max(64),
  roles: z.array(z.enum(ROLES)).min(1),
  manager: id.optional(),
  /** WeCom UserID */
  wecom: z.string().min(1).max(64).optional(),
  /** DingTalk staffId (userId) */
  dingtalk: z.string().min(1).max(64).optional(),
  active: z.boolean().default(true),
});

const ProductSchema = z.object({
  sku: z.string().min(1).max(64),
  name: z.string().min(1).max(64),
  aliases: z.array(z.string().min(1)).default([]),
  unit: z.string().min(1).max(8),
  /** List price per unit, in `currency` (yuan by default); at most two decimals, like the column. */
  price: z
    .number()
    .positive()
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, "at most two decimals"),
  currency: z.string().regex(/^[A-Z]{3}$/, "a three-letter currency code such as CNY").default("CNY"),
});

const fraction = z.number().min(0).max(1);

export const RulesSchema = z.object({
  /** Largest discount each role may grant without approval (fraction taken off). */
  discountLimits: z.partialRecord(z.enum(ROLES), fraction).default({ rep: 0.05, manager: 0.15, director: 0.3 }),
  approval: z
    .object({
      /** Up to this discount the manager decides; above it the director decides too. */
      managerMaxDiscount: fraction.default(0.15),
      /** Orders at or above this amount (yuan) also need the director. */
      directorFromAmount: z.number().positive().default(500_000),
    })
    .default({ managerMaxDiscount: 0.15, directorFromAmount: 500_000 }),
  /** Orders at or above this amount are flagged as big. */
  bigOrderAmount: z.number().positive().default(500_000),
  followUp: z
    .object({
      /** Hour of the day (local) for a due date given without a time. */
      defaultHour: z.number().int().min(0).max(23).default(9),
      /** Follow-up when the rep names none. */
      defaultDays: z.number().int().min(1).max(60).default(3),
      /** Escalate an overdue follow-up to the manager after this many hours. */
      escalateAfterHours: z.number().min(1).default(24),
    })
    .default({ defaultHour: 9, defaultDays: 3, escalateAfterHours: 24 }),
  pool: z
    .object({
      releaseAfterDays: z.number().int().min(1).default(30),
      warnDaysBefore: z.number().int().min(0).default(1),
      /** Most customers a rep may own. */
      maxOwnedPerRep: z.number().int().min(1).default(200),
      /** Most claims from the pool per rep per day. */
      maxClaimsPerDay: z.number().int().min(1).default(5),
    })
    .default({ releaseAfterDays: 30, warnDaysBefore: 1, maxOwnedPerRep: 200, maxClaimsPerDay: 5 }),
  schedule: z
    .object({
      dailyTodo: z.string().default("0 8 * * *"),
      dailyMetrics: z.string().default("0 19 * * *"),
      weeklyMetrics: z.string().default("0 9 * * 1"),
      poolRelease: z.string().default("0 2 * * *"),
    })
    .default({ dailyTodo: "0 8 * * *", dailyMetrics: "0 19 * * *", weeklyMetrics: "0 9 * * 1", poolRelease: "0 2 * * *" }),
});
export type Rules = z.infer<typeof RulesSchema>;

export const OrgFileSchema = z
  .object({
    name: z.string().default("示例公司"),
    users: z.array(UserSchema).min(1),
    products: z.array(ProductSchema).default([]),
    /** Who gets dispatch notices: user ids (a WeCom/DingTalk group comes later). */
    warehouse: z.object({ users: z.array(id).default([]) }).default({ users: [] }),
    rules: RulesSchema.default(RulesSchema.parse({})),
  })
  .superRefine((org, ctx) => {
    const ids = new Set<string>();
    const seen = { wecom: new Set<string>(), dingtalk: new Set<string>() };
    org.users.forEach((u, i) => {
      if (ids.has(u.id)) ctx.addIssue({ code: "custom", path: ["users", i, "id"], message: `duplicate user id ${u.id}` });
      ids.add(u.id);
      for (const p of ["wecom", "dingtalk"] as const) {
        const ext = u[p];
        if (ext && seen[p].has(ext)) ctx.addIssue({ code: "custom", path: ["users", i, p], message: `${p} id ${ext} is used twice` });
        if (ext) seen[p].add(ext);
      }
    });
    org.users.forEach((u, i) => {
      if (u.manager && !ids.has(u.manager)) ctx.addIssue({ code: "custom", path: ["users", i, "manager"], message: `unknown manager ${u.manager}` });
    });
    org.warehouse.users.forEach((w, i) => {
      if (!ids.has(w)) ctx.addIssue({ code: "custom", path: ["warehouse", "users", i], message: `unknown user ${w}` });
    });
    const skus = new Set<string>();
    org.products.forEach((p, i) => {
      if (skus.has(p.sku)) ctx.addIssue({ code: "custom", path: ["products", i, "sku"], message: `duplicate sku ${p.sku}` });
      skus.add(p.sku);
    });
  });
export type OrgFile = z.infer<typeof OrgFileSchema>;
export type OrgUser = z.infer<typeof UserSchema>;

export function parseOrgText(text: string, source: string): OrgFile {
  let data: unknown;
  try {
    data = source.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new AppError("org_file_syntax", `组织文件 ${source} 格式错误: ${(err as Error).message}`);
  }
  const parsed = OrgFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new AppError("org_file_invalid", `Organisation file ${source} is invalid:\n  - ${lines.join("\n  - ")}`);
  }
  return parsed.data;
}

export function loadOrgFile(path: string): OrgFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new AppError("org_file_missing", `Cannot read ORG_FILE ${path}: ${(err as Error).message}`);
  }
  return parseOrgText(text, path);
}
