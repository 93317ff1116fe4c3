// The DingTalk address book (通讯录) for a directory sync, through the oapi with the app's access token (the same
// token the sender gets from /v1.0/oauth2/accessToken; the oapi takes it as ?access_token=):
//   POST /topapi/v2/department/get      {dept_id: 1}                 the root's name
//   POST /topapi/v2/department/listsub  {dept_id}                    each department's children, walked from the root
//   POST /topapi/v2/user/list           {dept_id, cursor, size≤100}  each department's members, page by page
//                                                                    (result.has_more / result.next_cursor)
// A member of several departments is read once per department and kept once; `leader` in a department's list says
// whether they lead that department. Any failed call fails the read: a partial list must not look like leavers.
import { z } from "zod";
import { fetchJson } from "../../core/access-token.ts";
import type { Clock } from "../../core/clock.ts";
import type { DirectoryDepartment, DirectoryMember, DirectorySnapshot, DirectorySource } from "../../core/directory-port.ts";
import type { Logger } from "../../core/logger.ts";
import { endpointLabel, type ApiCallObserver } from "../../core/metrics.ts";
import { DingtalkApi } from "./api-client.ts";

const ROOT = 1;
/** DingTalk's largest page for topapi/v2/user/list. */
export const MAX_PAGE_SIZE = 100;

const Envelope = z.looseObject({ errcode: z.number(), errmsg: z.string().optional() });
const DeptGetSchema = z.object({ result: z.looseObject({ dept_id: z.number(), name: z.string().min(1) }) });
const ListSubSchema = z.object({ result: z.array(z.looseObject({ dept_id: z.number(), name: z.string().min(1), parent_id: z.number().optional() })) });
const UserPageSchema = z.object({
  result: z.object({
    has_more: z.boolean(),
    next_cursor: z.number().optional(),
    list: z.array(
      z.looseObject({
        userid: z.string().min(1),
        name: z.string().min(1),
        mobile: z.string().optional(),
        email: z.string().optional(),
        org_email: z.string().optional(),
        title: z.string().optional(),
        dept_id_list: z.array(z.number()).default([]),
        leader: z.boolean().optional(),
        active: z.boolean().optional(),
      }),
    ),
  }),
});

export interface DingtalkDirectoryConfig {
  clientId: string;
  clientSecret: string;
  apiBase: string;
  oapiBase: string;
}

export interface DingtalkDirectoryOptions {
  log: Logger;
  clock: Clock;
  observe?: ApiCallObserver;
  /** Members per user/list page (tests use small pages); at most 100. */
  pageSize?: number;
}

export function createDingtalkDirectory(config: DingtalkDirectoryConfig, opts: DingtalkDirectoryOptions): DirectorySource {
  const log = opts.log.child({ channel: "dingtalk", part: "directory" });
  const api = new DingtalkApi({ clientId: config.clientId, clientSecret: config.clientSecret, apiBase: config.apiBase, log, clock: opts.clock, observe: opts.observe });
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const token = await api.accessToken();
    const started = performance.now();
    const res = await fetchJson(`${config.oapiBase}${path}?access_token=${encodeURIComponent(token)}`, { method: "POST", body, what: `DingTalk POST ${path}` });
    const env = Envelope.safeParse(res.json);
    const error = res.status !== 200 ? `http_${res.status}` : !env.success ? "unreadable" : env.data.errcode !== 0 ? `code_${env.data.errcode}` : undefined;
    opts.observe?.({ endpoint: endpointLabel(path), seconds: (performance.now() - started) / 1000, error });
    if (error) throw new Error(`DingTalk ${path} failed: ${error}${env.success && env.data.errmsg ? ` (${env.data.errmsg.slice(0, 120)})` : ""}`);
    return res.json;
  };
  return { platform: "dingtalk", read: () => readDingtalkDirectory(post, Math.min(opts.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE)) };
}

export async function readDingtalkDirectory(post: (path: string, body: unknown) => Promise<unknown>, pageSize: number): Promise<DirectorySnapshot> {
  let calls = 0;
  const call = async <T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> => {
    calls++;
    const parsed = schema.safeParse(await post(path, body));
    if (!parsed.success) throw new Error(`DingTalk ${path} answered an unexpected shape: ${parsed.error.issues[0]?.message ?? "?"}`);
    return parsed.data;
  };
  const root = await call("/topapi/v2/department/get", { dept_id: ROOT }, DeptGetSchema);
  const departments: DirectoryDepartment[] = [{ id: String(ROOT), name: root.result.name, parentId: null, leaderIds: [] }];
  // Breadth first; the seen set stops a cycle in a broken answer.
  const seen = new Set([ROOT]);
  for (let i = 0; i < departments.length; i++) {
    const { result } = await call("/topapi/v2/department/listsub", { dept_id: Number(departments[i]!.id) }, ListSubSchema);
    for (const d of result) {
      if (seen.has(d.dept_id)) continue;
      seen.add(d.dept_id);
      departments.push({ id: String(d.dept_id), name: d.name, parentId: departments[i]!.id, leaderIds: [] });
    }
  }
  const members = new Map<string, DirectoryMember>();
  for (const dept of departments) {
    let cursor = 0;
    for (;;) {
      const { result } = await call("/topapi/v2/user/list", { dept_id: Number(dept.id), cursor, size: pageSize, contain_access_limit: false }, UserPageSchema);
      for (const u of result.list) {
        if (u.leader) dept.leaderIds.push(u.userid);
        if (members.has(u.userid)) continue;
        const ids = u.dept_id_list.map(String);
        members.set(u.userid, {
          userId: u.userid,
          name: u.name,
          mobile: u.mobile || undefined,
          email: u.email || u.org_email || undefined,
          title: u.title || undefined,
          // The department being read first when it is one of theirs: DingTalk names no main department.
          departmentIds: ids.includes(dept.id) ? [dept.id, ...ids.filter((x) => x !== dept.id)] : ids,
          tags: [],
          active: true,
        });
      }
      if (!result.has_more) break;
      if (result.next_cursor === undefined || result.next_cursor === cursor) throw new Error("DingTalk /topapi/v2/user/list said has_more without a new next_cursor");
      cursor = result.next_cursor;
    }
  }
  return { platform: "dingtalk", departments, members: [...members.values()], calls };
}
