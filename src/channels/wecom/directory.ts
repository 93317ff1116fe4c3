// The WeCom address book (通讯录) for a directory sync: department/list once, then user/list per department
// (fetch_child=0, so each member is read with the departments they are in; someone in two departments is read twice
// and kept once), and the tags (tag/list, tag/get) the org file's directory rules may name. WeCom answers each
// department whole, so there is no paging; any failed call fails the read (a partial list must not look like leavers).
// The app secret reads the members in the app's visible range (可见范围); since 2022 WeCom leaves mobile and email
// out for apps created later, so matching one person across platforms then needs the org file's directory.links.
import { z } from "zod";
import type { DirectoryMember, DirectorySnapshot, DirectorySource } from "../../core/directory-port.ts";
import type { Logger } from "../../core/logger.ts";
import type { ApiCallObserver } from "../../core/metrics.ts";
import { WecomApi } from "./wecom-api.ts";

const DepartmentListSchema = z.object({
  department: z.array(
    z.looseObject({
      id: z.number().int(),
      name: z.string().min(1),
      parentid: z.number().int().optional(),
      department_leader: z.array(z.string()).optional(),
    }),
  ),
});

const UserListSchema = z.object({
  userlist: z.array(
    z.looseObject({
      userid: z.string().min(1),
      name: z.string().min(1),
      department: z.array(z.number().int()).default([]),
      main_department: z.number().int().optional(),
      position: z.string().optional(),
      mobile: z.string().optional(),
      email: z.string().optional(),
      biz_mail: z.string().optional(),
      is_leader_in_dept: z.array(z.number().int()).optional(),
      /** 1 active, 2 disabled, 4 not yet activated, 5 left the company. */
      status: z.number().int().optional(),
    }),
  ),
});

const TagListSchema = z.object({ taglist: z.array(z.object({ tagid: z.number().int(), tagname: z.string() })) });
const TagMembersSchema = z.object({ userlist: z.array(z.object({ userid: z.string() })).default([]), partylist: z.array(z.number().int()).default([]) });

export interface WecomDirectoryConfig {
  corpId: string;
  secret: string;
  apiBase: string;
}

export function createWecomDirectory(config: WecomDirectoryConfig, opts: { log: Logger; observe?: ApiCallObserver }): DirectorySource {
  const api = new WecomApi(config, { log: opts.log.child({ channel: "wecom", part: "directory" }), observe: opts.observe });
  return { platform: "wecom", read: () => readWecomDirectory(api) };
}

export async function readWecomDirectory(api: Pick<WecomApi, "get">): Promise<DirectorySnapshot> {
  let calls = 0;
  const get = async <T>(path: string, query: Record<string, string>, schema: z.ZodType<T>): Promise<T> => {
    calls++;
    const reply = await api.get(path, query);
    const parsed = schema.safeParse(reply);
    if (!parsed.success) throw new Error(`WeCom ${path} answered an unexpected shape: ${parsed.error.issues[0]?.message ?? "?"}`);
    return parsed.data;
  };
  const { department } = await get("/cgi-bin/department/list", {}, DepartmentListSchema);
  const leaders = new Map<string, Set<string>>(department.map((d) => [String(d.id), new Set(d.department_leader ?? [])]));
  const members = new Map<string, DirectoryMember>();
  for (const d of department) {
    const { userlist } = await get("/cgi-bin/user/list", { department_id: String(d.id), fetch_child: "0" }, UserListSchema);
    for (const u of userlist) {
      u.department.forEach((dep, i) => {
        if (u.is_leader_in_dept?.[i] === 1) leaders.get(String(dep))?.add(u.userid);
      });
      if (members.has(u.userid)) continue;
      const main = u.main_department ?? u.department[0];
      const depts = u.department.map(String);
      members.set(u.userid, {
        userId: u.userid,
        name: u.name,
        mobile: u.mobile || undefined,
        email: u.email || u.biz_mail || undefined,
        title: u.position || undefined,
        departmentIds: main === undefined ? depts : [String(main), ...depts.filter((x) => x !== String(main))],
        tags: [],
        active: u.status === undefined || u.status === 1 || u.status === 4,
      });
    }
  }
  const { taglist } = await get("/cgi-bin/tag/list", {}, TagListSchema);
  for (const tag of taglist) {
    const t = await get("/cgi-bin/tag/get", { tagid: String(tag.tagid) }, TagMembersSchema);
    const parties = new Set(t.partylist.map(String));
    for (const m of members.values()) {
      if (t.userlist.some((u) => u.userid === m.userId) || m.departmentIds.some((d) => parties.has(d))) m.tags.push(tag.tagname);
    }
  }
  return {
    platform: "wecom",
    departments: department.map((d) => ({ id: String(d.id), name: d.name, parentId: d.parentid ? String(d.parentid) : null, leaderIds: [...(leaders.get(String(d.id)) ?? [])] })),
    members: [...members.values()],
    calls,
  };
}
