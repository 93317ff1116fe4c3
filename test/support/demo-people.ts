// The demo organisation's people as domain tests act with them, and the fixed moment they act at.
import { RulesSchema } from "../../src/domain/org/org-file.ts";
import type { UserInfo } from "../../src/domain/users/user.repo.ts";

export const TZ = "Asia/Shanghai";
export const NOW = new Date("2026-12-04T10:00:00+08:00");
export const H = 3600_000;
/** The default approval rules (rep 5 %, manager 15 %, director 30 %, big order ¥500,000). */
export const rules = RulesSchema.parse({}).approval;

export const user = (id: string, name: string, roles: string[], managerId: string | null): UserInfo => ({ id, name, roles, managerId });
export const zhangsan = user("zhangsan", "张三", ["rep"], "wangwu");
export const lisi = user("lisi", "李四", ["rep"], "wangwu");
export const wangwu = user("wangwu", "王五", ["manager", "rep"], "zhaoliu");
export const zhaoliu = user("zhaoliu", "赵六", ["director"], null);
export const chenqi = user("chenqi", "陈七", ["warehouse"], null);
export const admin = user("admin", "管理员", ["admin"], null);
