// The organisation file (ORG_FILE, YAML or JSON): people, products, the warehouse and the rules later flows
// need. Every rule is said one way only; keys an older file used stop the start with what to write instead.
import { readFileSync } from "node:fs";
import { isScalar, isSeq, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { AppError } from "../../core/app-error.ts";
import { hasAtMostDecimals, money } from "../../core/money.ts";
import { DirectoryConfigSchema, type DirectoryConfig } from "./directory-config.ts";

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

/** A yuan amount written as a number or a string; kept exact (see core/money.ts), at most two decimals like the columns. */
const amount = z
  .union([z.number(), z.string()])
  .refine((v) => hasAtMostDecimals(v, 2), "at most two decimals (an amount in yuan, like 4999.50)")
  .transform((v) => money(v))
  .refine((v) => v.gt(0), "must be positive");

const ProductSchema = z.object({
  sku: z.string().min(1).max(64),
  name: z.string().min(1).max(64),
  aliases: z.array(z.string().min(1)).default([]),
  unit: z.string().min(1).max(8),
  /** List price per unit, in `currency` (yuan by default); exact, at most two decimals, like the column. */
  price: amount,
  currency: z.string().regex(/^[A-Z]{3}$/, "a three-letter currency code such as CNY").default("CNY"),
});

const fraction = z.number().min(0).max(1);
const hours = z.number().positive().max(24 * 30);

// Strict objects from here on: a mistyped rule key stops the start instead of silently taking the default.
const DiscountLimitsSchema = z
  .strictObject({
    rep: fraction.default(0.05),
    manager: fraction.default(0.15),
    director: fraction.default(0.3),
  })
  .refine((l) => l.rep <= l.manager && l.manager <= l.director, "limits must increase: rep ≤ manager ≤ director");

const ApprovalSchema = z
  .strictObject({
    /**
     * Fraction taken off the list price each role may grant. Within the rep's own limit an order is approved
     * at once; above it the chain climbs (the rep's manager, then that manager's manager or the director)
     * until a level's limit covers the discount.
     */
    discountLimits: DiscountLimitsSchema.prefault({}),
    /** Yuan; an order total at or above it needs the director, whatever the discount. */
    bigOrderAmount: amount.prefault(500_000),
    /** Who decides at director level; default: the nearest person above the rep with the director role. */
    director: id.optional(),
    /** Remind the approver once after this many hours. */
    remindAfterHours: hours.default(24),
    /** Then hand the step one level up, with a note. */
    escalateAfterHours: hours.default(48),
    /** A price above the list price: refused (false) or allowed but flagged on the approval (true). */
    allowAboveList: z.boolean().default(false),
  })
  .refine((a) => a.escalateAfterHours > a.remindAfterHours, { path: ["escalateAfterHours"], message: "must be more than remindAfterHours" });

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day as HH:MM (24 h), like 09:00");

export const RulesSchema = z.strictObject({
  approval: ApprovalSchema.prefault({}),
  dispatch: z
    .strictObject({
      /** Working hours before an unconfirmed dispatch notice reminds the warehouse. */
      remindAfterHours: hours.default(4),
    })
    .prefault({}),
  followUp: z
    .strictObject({
      /** Hour of the day (local) for a due date given without a time. */
      defaultHour: z.number().int().min(0).max(23).default(9),
      /** Follow-up when the rep names none. */
      defaultDays: z.number().int().min(1).max(60).default(3),
      /** Escalate an overdue follow-up to the manager after this many hours. */
      escalateAfterHours: z.number().min(1).default(24),
    })
    .prefault({}),
  pool: z
    .strictObject({
      releaseAfterDays: z.number().int().min(1).default(30),
      warnDaysBefore: z.number().int().min(0).default(1),
      /** Most customers a rep may own. */
      maxOwnedPerRep: z.number().int().min(1).default(200),
      /** Most claims from the pool per rep per day. */
      maxClaimsPerDay: z.number().int().min(1).default(5),
    })
    .prefault({}),
  /** A working day's hours (local, "HH:MM"); with China's official calendar they make the "working hours" of rules.dispatch. */
  workingHours: z
    .strictObject({
      start: clock.default("09:00"),
      end: clock.default("18:00"),
    })
    .refine((w) => w.start < w.end, { path: ["end"], message: "must be after start" })
    .prefault({}),
  /**
   * Local "HH:MM-HH:MM" (may wrap midnight; equal ends: none): due reminders and escalations found in it wait
   * until it ends (a reminder due at 22:00 arrives at 08:00, showing 原定 22:00).
   */
  quietHours: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "a span of the day as HH:MM-HH:MM (24 h), like 21:00-08:00")
    .default("21:00-08:00"),
  schedule: z
    .strictObject({
      dailyTodo: z.string().default("0 8 * * *"),
      dailyMetrics: z.string().default("0 19 * * *"),
      weeklyMetrics: z.string().default("0 9 * * 1"),
      poolRelease: z.string().default("0 2 * * *"),
    })
    .prefault({}),
});
/**
 * What handlers and jobs read: the `rules` section, plus the org file's top-level `calendar` (company days), which
 * parseOrgText copies in so every job sees it through deps.rules.
 */
export type Rules = z.infer<typeof RulesSchema> & { calendar?: OrgCalendar; directory?: DirectoryConfig };

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, "not a calendar date");

/** A company's own days on top of China's official calendar (see core/working-time.ts). */
const CalendarSchema = z
  .strictObject({
    /** Days off though the official calendar works (a company outing, a local holiday). */
    extraHolidays: z.array(isoDay).default([]),
    /** Days worked though the official calendar rests. */
    extraWorkdays: z.array(isoDay).default([]),
  })
  .refine((c) => !c.extraHolidays.some((d) => c.extraWorkdays.includes(d)), "a day cannot be both in extraHolidays and extraWorkdays");
export type OrgCalendar = z.infer<typeof CalendarSchema>;

/**
 * Where a dispatch notice goes instead of everyone with the warehouse role. A route matches an order when every
 * condition it names holds (skus: a line has one of them, or another unit's line of the same product — see
 * warehouseRouteFor; region: the customer's region); first match wins.
 */
const WarehouseRouteSchema = z
  .strictObject({
    skus: z.array(z.string().min(1)).min(1).optional(),
    region: z.string().min(1).optional(),
    /** People (each with the warehouse role). */
    users: z.array(id).min(1).optional(),
    /** A WeCom group chat id (chatid). */
    wecomChat: z.string().min(1).optional(),
    /** A DingTalk group's openConversationId. */
    dingtalkGroup: z.string().min(1).optional(),
  })
  .refine((r) => r.users || r.wecomChat || r.dingtalkGroup, "a route needs users, wecomChat or dingtalkGroup");
export type WarehouseRoute = z.infer<typeof WarehouseRouteSchema>;

const WarehouseSchema = z.strictObject({ routes: z.array(WarehouseRouteSchema).default([]) });

/** Keys an older org file used; each stops the start with what to write instead. */
const REMOVED_KEYS: { path: string[]; message: string }[] = [
  { path: ["rules", "discountLimits"], message: "rules.discountLimits was moved: write rules.approval.discountLimits" },
  { path: ["rules", "bigOrderAmount"], message: "rules.bigOrderAmount was moved: write rules.approval.bigOrderAmount" },
  {
    path: ["rules", "approval", "managerMaxDiscount"],
    message: "rules.approval.managerMaxDiscount was removed: the manager's limit is rules.approval.discountLimits.manager",
  },
  {
    path: ["rules", "approval", "directorFromAmount"],
    message: "rules.approval.directorFromAmount was removed: write rules.approval.bigOrderAmount",
  },
  {
    path: ["warehouse", "users"],
    message: "warehouse.users was removed: give those people roles: [warehouse] (or name them in warehouse.routes)",
  },
];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The messages for removed keys in the raw file, and the data without them (so they are not reported twice). */
function removedKeys(data: unknown): { messages: string[]; rest: unknown } {
  if (!isRecord(data)) return { messages: [], rest: data };
  const rest = structuredClone(data);
  const messages: string[] = [];
  for (const { path, message } of REMOVED_KEYS) {
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), rest);
    const key = path.at(-1)!;
    if (isRecord(parent) && key in parent) {
      messages.push(message);
      delete parent[key];
    }
  }
  return { messages, rest };
}

export const OrgFileSchema = z
  .object({
    name: z.string().default("示例公司"),
    /** Everyone the bot serves; with a `directory` section, the people the address book does not give (or gives otherwise). */
    users: z.array(UserSchema).default([]),
    /**
     * The price list, when the file keeps it. Without this key the database keeps it (`npm run import -- products`)
     * and loading the file leaves products alone; with it (even empty) the file is the price list.
     */
    products: z.array(ProductSchema).optional(),
    /** Dispatch notices go to everyone with roles: [warehouse], unless a route matches. */
    warehouse: WarehouseSchema.prefault({}),
    rules: RulesSchema.prefault({}),
    /** Company days on top of China's official calendar: the morning and evening cards follow them. */
    calendar: CalendarSchema.prefault({}),
    /** People from the WeCom / DingTalk address book (directory sync); absent: the users above are everyone. */
    directory: DirectoryConfigSchema.optional(),
  })
  .superRefine((org, ctx) => {
    if (!org.users.length && !org.directory) ctx.addIssue({ code: "custom", path: ["users"], message: "list at least one person (or add a directory section)" });
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
    const byId = new Map(org.users.map((u) => [u.id, u]));
    org.users.forEach((u, i) => {
      if (u.manager && !ids.has(u.manager)) ctx.addIssue({ code: "custom", path: ["users", i, "manager"], message: `unknown manager ${u.manager}` });
    });
    org.warehouse.routes.forEach((r, i) => {
      r.users?.forEach((w, j) => {
        const u = byId.get(w);
        if (!u) ctx.addIssue({ code: "custom", path: ["warehouse", "routes", i, "users", j], message: `unknown user ${w}` });
        else if (!u.roles.includes("warehouse")) {
          ctx.addIssue({ code: "custom", path: ["warehouse", "routes", i, "users", j], message: `${w} does not have the warehouse role: add roles: [warehouse]` });
        }
      });
    });
    const director = org.rules.approval.director;
    if (director) {
      const u = byId.get(director);
      const path = ["rules", "approval", "director"];
      if (!u) ctx.addIssue({ code: "custom", path, message: `unknown user ${director}` });
      else if (!u.roles.includes("director")) ctx.addIssue({ code: "custom", path, message: `${director} does not have the director role` });
    }
    const skus = new Set<string>();
    org.products?.forEach((p, i) => {
      if (skus.has(p.sku)) ctx.addIssue({ code: "custom", path: ["products", i, "sku"], message: `duplicate sku ${p.sku}` });
      skus.add(p.sku);
    });
    org.warehouse.routes.forEach((r, i) => {
      r.skus?.forEach((s, j) => {
        if (org.products && !skus.has(s)) ctx.addIssue({ code: "custom", path: ["warehouse", "routes", i, "skus", j], message: `unknown sku ${s}` });
      });
    });
  });
export type OrgFile = Omit<z.infer<typeof OrgFileSchema>, "rules" | "products"> & {
  rules: Rules;
  products: z.infer<typeof ProductSchema>[];
  /** Who keeps the price list: the file (it has `products:`; the default) or the database (filled by import). */
  priceList?: "file" | "database";
};
export type OrgUser = z.infer<typeof UserSchema>;

export function parseOrgText(text: string, source: string): OrgFile {
  let data: unknown;
  try {
    data = source.endsWith(".json") ? JSON.parse(text) : parseYamlExact(text);
  } catch (err) {
    throw new AppError("org_file_syntax", `组织文件 ${source} 格式错误: ${(err as Error).message}`);
  }
  const { messages, rest } = removedKeys(data);
  const parsed = OrgFileSchema.safeParse(rest);
  const lines = [...messages, ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`))];
  if (lines.length || !parsed.success) {
    throw new AppError("org_file_invalid", `Organisation file ${source} is invalid:\n  - ${lines.join("\n  - ")}`);
  }
  const { products, ...org } = parsed.data;
  return { ...org, products: products ?? [], priceList: products ? "file" : "database", rules: { ...parsed.data.rules, calendar: parsed.data.calendar, ...(parsed.data.directory ? { directory: parsed.data.directory } : {}) } };
}

/**
 * YAML, with amounts (product prices, rules.approval.bigOrderAmount) kept as the text written, so 5000.10 or a
 * long figure is never rounded through a float before the exact two-decimals check. (A JSON file's numbers go
 * through JSON.parse; String() of a double gives back any amount of up to 15 digits exactly.)
 */
function parseYamlExact(text: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length) throw doc.errors[0]!;
  const keepText = (d: Document, path: (string | number)[]) => {
    const node = d.getIn(path, true);
    if (isScalar(node) && typeof node.value === "number" && node.source) node.value = node.source;
  };
  const products = doc.get("products", true);
  if (isSeq(products)) products.items.forEach((_, i) => keepText(doc, ["products", i, "price"]));
  keepText(doc, ["rules", "approval", "bigOrderAmount"]);
  return doc.toJS();
}

/**
 * The route a dispatch notice follows: the first whose conditions all hold, or none (then: the warehouse role).
 * A route's skus stand for their products: a product sold in several units has a SKU per unit (电缆 by the 卷
 * CABLE-10, by the 米 CABLE-10-M), and a route naming one of them covers the others too — unless a route that holds
 * for this order (its region too) names that SKU itself: the more specific route wins, wherever it is listed.
 * `productSkus(sku)`: the SKUs of the product that SKU is one line of (itself included); by default itself alone.
 */
export function warehouseRouteFor(
  routes: readonly WarehouseRoute[],
  order: { skus: readonly string[]; region?: string | null },
  productSkus: (sku: string) => readonly string[] = (sku) => [sku],
): WarehouseRoute | undefined {
  const holds = (r: WarehouseRoute) => !r.region || r.region === order.region;
  const namedByAHoldingRoute = (sku: string) => routes.some((r) => holds(r) && r.skus?.includes(sku));
  const covers = (r: WarehouseRoute, sku: string) =>
    r.skus!.includes(sku) || (productSkus(sku).some((other) => other !== sku && r.skus!.includes(other)) && !namedByAHoldingRoute(sku));
  return routes.find((r) => holds(r) && (!r.skus || order.skus.some((s) => covers(r, s))));
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
