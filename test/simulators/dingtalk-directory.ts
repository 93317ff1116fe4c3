// DingTalk's address book (通讯录) for the OpenAPI simulator, in the oapi's wire format (HTTP 200, errcode/errmsg,
// request_id; ?access_token= the app token from /v1.0/oauth2/accessToken):
//   POST /topapi/v2/department/get     {dept_id}               result {dept_id, name, parent_id, …}
//   POST /topapi/v2/department/listsub {dept_id}               result [{dept_id, name, parent_id, create_dept_group, auto_add_user}]
//   POST /topapi/v2/user/list          {dept_id, cursor, size} result {has_more, next_cursor (while more), list: [{userid,
//                                                              unionid, name, mobile, email, title, dept_id_list, leader, active…}]}
// Unknown department 60003, size outside 1..100 or a missing cursor 40035, a bad token 40014. Tests edit `data`.
import { randomUUID } from "node:crypto";

export interface DingDirDepartment {
  dept_id: number;
  name: string;
  /** Absent for the root (1). */
  parent_id?: number;
}

export interface DingDirUser {
  userid: string;
  name: string;
  dept_id_list: number[];
  mobile?: string;
  email?: string;
  title?: string;
  /** Departments they lead. */
  leaderOf?: number[];
}

export interface DingtalkDirectoryData {
  departments: DingDirDepartment[];
  users: DingDirUser[];
}

export interface DirectoryCall {
  path: string;
  body: Record<string, unknown>;
}

const PATHS = new Set(["/topapi/v2/department/get", "/topapi/v2/department/listsub", "/topapi/v2/user/list"]);

export function isDingtalkDirectoryApi(path: string): boolean {
  return PATHS.has(path);
}

type Reply = { status: number; body: unknown };
const ok = (body: Record<string, unknown>): Reply => ({ status: 200, body: { errcode: 0, errmsg: "ok", request_id: randomUUID().slice(0, 12), ...body } });
const fail = (errcode: number, errmsg: string): Reply => ({ status: 200, body: { errcode, errmsg, request_id: randomUUID().slice(0, 12) } });

export function dingtalkDirectoryAnswer(d: DingtalkDirectoryData, tokenValid: boolean, path: string, b: Record<string, unknown>): Reply {
  if (!tokenValid) return fail(40014, "不合法的access_token");
  const deptId = Number(b.dept_id);
  const dept = d.departments.find((x) => x.dept_id === deptId);
  if (!dept) return fail(60003, "部门不存在");
  if (path === "/topapi/v2/department/get") return ok({ result: { dept_id: dept.dept_id, name: dept.name, ...(dept.parent_id ? { parent_id: dept.parent_id } : {}), create_dept_group: false, auto_add_user: false } });
  if (path === "/topapi/v2/department/listsub") {
    return ok({ result: d.departments.filter((x) => x.parent_id === deptId).map((x) => ({ dept_id: x.dept_id, name: x.name, parent_id: deptId, create_dept_group: false, auto_add_user: false })) });
  }
  const size = Number(b.size);
  const cursor = Number(b.cursor);
  if (!Number.isInteger(size) || size < 1 || size > 100) return fail(40035, "缺少参数 size 或 size 不合法（1-100）");
  if (b.cursor === undefined || !Number.isInteger(cursor) || cursor < 0) return fail(40035, "缺少参数 cursor");
  const members = d.users.filter((u) => u.dept_id_list.includes(deptId));
  const page = members.slice(cursor, cursor + size);
  const more = cursor + size < members.length;
  return ok({
    result: {
      has_more: more,
      ...(more ? { next_cursor: cursor + size } : {}),
      list: page.map((u) => ({
        userid: u.userid,
        unionid: `union${u.userid}`,
        name: u.name,
        avatar: "",
        state_code: "86",
        mobile: u.mobile ?? "",
        hide_mobile: false,
        telephone: "",
        job_number: "",
        title: u.title ?? "",
        email: u.email ?? "",
        work_place: "",
        remark: "",
        dept_id_list: u.dept_id_list,
        dept_order: 0,
        extension: "{}",
        hired_date: 0,
        active: true,
        admin: false,
        boss: false,
        leader: (u.leaderOf ?? []).includes(deptId),
        exclusive_account: false,
      })),
    },
  });
}
