// The org file's `directory` section: how people read from the WeCom / DingTalk address book become people of the
// bot — their roles (by department, tag, job title or one member), their managers (department leaders, or named),
// how one person on both platforms is recognised, and who takes over the customers of someone who left.
import { z } from "zod";

const ROLE_NAMES = ["rep", "manager", "director", "warehouse", "admin"] as const;
const roles = z.array(z.enum(ROLE_NAMES)).min(1);
/** A member of one platform's address book: "wecom:ZhangSan" or "dingtalk:0101". */
export const MEMBER_REF = /^(wecom|dingtalk):[^\s:]{1,64}$/;
const memberRef = z.string().regex(MEMBER_REF, 'a member as "wecom:<UserID>" or "dingtalk:<userId>"');
/** A person of the bot (an org file id, or a directory person's id) or a member ref. */
const personRef = z.string().regex(/^([A-Za-z0-9_.@-]{1,64}|(wecom|dingtalk):[^\s:]{1,64})$/, 'a user id, or a member as "wecom:<UserID>" / "dingtalk:<userId>"');

const RoleRuleSchema = z
  .strictObject({
    /** A department's name: its members and everyone in the departments below it. */
    department: z.string().min(1).optional(),
    /** A WeCom tag (标签) name; DingTalk has no tags (use department or title there). */
    tag: z.string().min(1).optional(),
    /** A job title exactly as the address book writes it (WeCom 职务, DingTalk 职位). */
    title: z.string().min(1).optional(),
    /** One member; their rule wins over every other. */
    user: memberRef.optional(),
    roles,
    /** Only with `user`: their manager, instead of the department leader. */
    manager: personRef.optional(),
  })
  .refine((r) => [r.department, r.tag, r.title, r.user].filter((x) => x !== undefined).length === 1, "name exactly one of department, tag, title or user")
  .refine((r) => !r.manager || r.user, { path: ["manager"], message: "manager can only be given with user" });
export type RoleRule = z.infer<typeof RoleRuleSchema>;

export const DirectoryConfigSchema = z.strictObject({
  /** Which address books to read; default every platform configured (WECOM_*, DINGTALK_*). */
  platforms: z.array(z.enum(["wecom", "dingtalk"])).min(1).optional(),
  /** When the scheduled sync runs (cron in BOT_TIMEZONE). */
  schedule: z.string().default("30 2 * * *"),
  /**
   * Roles: a `user` rule wins; otherwise every matching department, tag and title rule adds its roles; nothing
   * matching gives defaultRoles. A member with no role is not served (nor created; deactivated if they were).
   */
  rules: z.array(RoleRuleSchema).default([]),
  defaultRoles: z.array(z.enum(ROLE_NAMES)).default([]),
  /** Department leaders manage their department's members (and those of the departments below without a leader of their own); a leader with the rep role also gets the manager role. */
  leadersAreManagers: z.boolean().default(true),
  /** One person on both platforms: same mobile, then same email (each can be turned off). */
  matchBy: z.array(z.enum(["mobile", "email"])).default(["mobile", "email"]),
  /** Pairs to treat as one person whatever their mobile and email say. */
  links: z.array(z.strictObject({ wecom: z.string().min(1), dingtalk: z.string().min(1) })).default([]),
  /** Takes over the customers and follow-ups of someone who left when no active manager is above them. */
  fallbackManager: personRef.optional(),
});
export type DirectoryConfig = z.infer<typeof DirectoryConfigSchema>;
