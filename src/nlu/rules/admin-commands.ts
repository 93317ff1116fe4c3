// The admin's commands, read before the parser (no LLM call is spent on them), tolerant of spacing and order:
//   设置 角色 张三 经理 / 设置角色 张三 经理 / 设置 张三 为经理 / 设置 张三 角色 经理、销售 / 把张三设为经理
//   设置 角色 张三 恢复 (back to what the org file or the address book says)
//   规则 / 查看规则 / 当前规则
//   同步通讯录 / 通讯录同步 / 同步 通讯录
import { z } from "zod";

export const ROLE_WORDS: Record<string, "rep" | "manager" | "director" | "warehouse" | "admin"> = {
  销售: "rep",
  经理: "manager",
  销售经理: "manager",
  总监: "director",
  销售总监: "director",
  仓库: "warehouse",
  管理员: "admin",
};
const RESET_WORDS = ["恢复", "默认", "取消", "清除"];

export const AdminCommandSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("set_role"), person: z.string().min(1).max(40), roles: z.array(z.enum(["rep", "manager", "director", "warehouse", "admin"])).min(1) }),
  z.object({ kind: z.literal("reset_role"), person: z.string().min(1).max(40) }),
  /** 设置 角色 张三 老板: a word that is no role. */
  z.object({ kind: z.literal("bad_role"), person: z.string().min(1).max(40), word: z.string() }),
  /** 设置 角色 with no person or role. */
  z.object({ kind: z.literal("set_role_usage") }),
  z.object({ kind: z.literal("show_rules") }),
  z.object({ kind: z.literal("sync_directory") }),
]);
export type AdminCommand = z.infer<typeof AdminCommandSchema>;

const PERSON = "([\\p{Script=Han}A-Za-z0-9_.@-]{1,40}?)";
const ROLE_LIST = "(.+)";
/** `explicit`: the message says 角色, so an unknown word is a mistake to point out; otherwise it is not this command. */
const SET_ROLE_FORMS: { re: RegExp; explicit: boolean }[] = [
  // 设置 角色 张三 经理 / 设置角色张三 经理 / 修改角色 张三 为 经理
  { re: new RegExp(`^(?:设置|修改|设定|更改)\\s*角色\\s*[:：]?\\s*${PERSON}\\s*(?:的角色)?\\s*(?:为|是|成|:|：)?\\s+${ROLE_LIST}$`, "su"), explicit: true },
  { re: new RegExp(`^(?:设置|修改|设定|更改)\\s*角色\\s*[:：]?\\s*${PERSON}\\s*(?:为|是|成)\\s*${ROLE_LIST}$`, "su"), explicit: true },
  // 设置 张三 角色 经理 / 设置张三的角色为经理
  { re: new RegExp(`^(?:设置|修改|设定|更改)\\s*${PERSON}\\s*(?:的)?\\s*(?:角色)\\s*(?:为|是|成|:|：)?\\s*${ROLE_LIST}$`, "su"), explicit: true },
  // 设置 张三 为经理 / 把张三设为经理: only with role words (把华东机电设为重点客户 is not about a colleague)
  { re: new RegExp(`^(?:设置|修改|设定|更改)\\s*${PERSON}\\s*(?:为|是|成)\\s*${ROLE_LIST}$`, "su"), explicit: false },
  { re: new RegExp(`^把\\s*${PERSON}\\s*(?:设为|设置为|设成|改为|改成)\\s*${ROLE_LIST}$`, "su"), explicit: false },
];

export function parseAdminCommand(text: string): AdminCommand | null {
  const t = text.trim().replace(/[。！!]+$/u, "");
  if (/^(?:查看|当前|现行)?\s*(?:规则|审批规则)$/u.test(t) || t === "规则列表") return { kind: "show_rules" };
  if (/^(?:同步\s*通讯录|通讯录\s*同步|同步\s*组织架构)$/u.test(t)) return { kind: "sync_directory" };
  if (/^(?:设置|修改|设定|更改)\s*角色\s*$/u.test(t)) return { kind: "set_role_usage" };
  for (const { re, explicit } of SET_ROLE_FORMS) {
    const m = re.exec(t);
    if (!m) continue;
    const person = m[1]!.trim();
    const rest = m[2]!.trim();
    if (!person || person === "角色") continue;
    if (RESET_WORDS.includes(rest)) return { kind: "reset_role", person };
    const words = rest.split(/\s*(?:[、,，/+＋和及与]|\s)\s*/u).filter(Boolean);
    const roles = words.map((w) => ROLE_WORDS[w]);
    const bad = words.find((w) => !ROLE_WORDS[w]);
    if (bad !== undefined || !roles.length) {
      if (!explicit) return null;
      return { kind: "bad_role", person, word: bad ?? rest };
    }
    return { kind: "set_role", person, roles: [...new Set(roles as NonNullable<(typeof roles)[number]>[])] };
  }
  return null;
}
