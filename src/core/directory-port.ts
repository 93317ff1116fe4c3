// What a platform's address book gives a directory sync: every department and every member the app may see, read
// in full (a partial read must never look like people leaving). The WeCom and DingTalk channels implement it
// (channels/<p>/directory.ts); src/domain/directory/ decides what the snapshot means for the people of the bot.
import { z } from "zod";

export const DirectoryDepartmentSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** null at the root. */
  parentId: z.string().min(1).nullable(),
  /** Members who lead this department (WeCom department_leader / is_leader_in_dept, DingTalk leader). */
  leaderIds: z.array(z.string()),
});
export type DirectoryDepartment = z.infer<typeof DirectoryDepartmentSchema>;

export const DirectoryMemberSchema = z.object({
  /** WeCom UserID / DingTalk userId (staffId): the identity the bot already knows people by. */
  userId: z.string().min(1).max(64),
  name: z.string().min(1),
  mobile: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  /** Job title (WeCom position, DingTalk title). */
  title: z.string().optional(),
  /** Department ids, main department first. */
  departmentIds: z.array(z.string()),
  /** WeCom tag names (DingTalk has none). */
  tags: z.array(z.string()),
  /** Still working here: WeCom status 1 or 4 (not yet activated), DingTalk always (leavers disappear from the list). */
  active: z.boolean(),
});
export type DirectoryMember = z.infer<typeof DirectoryMemberSchema>;

export interface DirectorySnapshot {
  platform: "wecom" | "dingtalk";
  departments: DirectoryDepartment[];
  members: DirectoryMember[];
  /** API calls made (pages read), for the log. */
  calls: number;
}

export interface DirectorySource {
  readonly platform: "wecom" | "dingtalk";
  /** Reads the whole address book, or throws: a snapshot is never partial. */
  read(): Promise<DirectorySnapshot>;
}

/** A mobile number as both platforms may write it (+86 13800000000, 86-138…, 138 0000 0000): digits, no country code. */
export function normalizeMobile(mobile: string | undefined): string | undefined {
  if (!mobile) return undefined;
  const digits = mobile.replace(/\D/g, "");
  const local = digits.length === 13 && digits.startsWith("86") ? digits.slice(2) : digits;
  return local.length >= 7 ? local : undefined;
}

export function normalizeEmail(email: string | undefined): string | undefined {
  const e = email?.trim().toLowerCase();
  return e && e.includes("@") ? e : undefined;
}
