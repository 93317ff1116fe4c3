// WeCom's address book (通讯录) for the API simulator, in its wire format (errcode/errmsg, HTTP 200):
//   GET  /cgi-bin/department/list?access_token&id    department: [{id, name, name_en, department_leader, parentid, order}]
//                                                     (with id: that department and everything below it)
//   GET  /cgi-bin/user/list?access_token&department_id&fetch_child   userlist: members with department, order,
//                                                     position, mobile, email, is_leader_in_dept, direct_leader,
//                                                     main_department, status (1 active, 2 disabled, 4 not activated, 5 left)
//   POST /cgi-bin/user/list_id {cursor, limit}       dept_user: [{userid, department}], next_cursor while more
//   GET  /cgi-bin/tag/list, /cgi-bin/tag/get?tagid   taglist; tagname, userlist [{userid, name}], partylist
// Unknown department 60003, unknown tag 40068, limit out of 1..10000 40058. Tests edit `data` between syncs.

export interface WecomDirDepartment {
  id: number;
  name: string;
  parentid: number;
  order?: number;
  department_leader?: string[];
}

export interface WecomDirUser {
  userid: string;
  name: string;
  department: number[];
  main_department?: number;
  position?: string;
  mobile?: string;
  email?: string;
  /** 1 active (default), 2 disabled, 4 not yet activated, 5 left the company. */
  status?: number;
  /** Aligned with `department`: 1 where they lead it. */
  is_leader_in_dept?: number[];
}

export interface WecomDirTag {
  tagid: number;
  tagname: string;
  userids: string[];
  partyids?: number[];
}

export interface WecomDirectoryData {
  departments: WecomDirDepartment[];
  users: WecomDirUser[];
  tags: WecomDirTag[];
}

type Json = Record<string, unknown>;
const API = new Set(["/cgi-bin/department/list", "/cgi-bin/user/list", "/cgi-bin/user/list_id", "/cgi-bin/tag/list", "/cgi-bin/tag/get"]);

export function isWecomDirectoryApi(path: string): boolean {
  return API.has(path);
}

/** Answers one address-book call (token already checked by the simulator). */
export function wecomDirectoryAnswer(d: WecomDirectoryData, path: string, query: Record<string, string>, body: Json | null): Json {
  const below = (id: number): number[] => [id, ...d.departments.filter((x) => x.parentid === id && x.id !== id).flatMap((x) => below(x.id))];
  switch (path) {
    case "/cgi-bin/department/list": {
      const root = query.id ? Number(query.id) : undefined;
      if (root !== undefined && !d.departments.some((x) => x.id === root)) return { errcode: 60003, errmsg: "department not found" };
      const ids = root === undefined ? d.departments.map((x) => x.id) : below(root);
      return {
        errcode: 0,
        errmsg: "ok",
        department: d.departments
          .filter((x) => ids.includes(x.id))
          .map((x) => ({ id: x.id, name: x.name, name_en: "", department_leader: x.department_leader ?? [], parentid: x.parentid, order: x.order ?? 100000000 - x.id })),
      };
    }
    case "/cgi-bin/user/list": {
      const dept = Number(query.department_id);
      if (!d.departments.some((x) => x.id === dept)) return { errcode: 60003, errmsg: "department not found" };
      const ids = query.fetch_child === "1" ? below(dept) : [dept];
      return { errcode: 0, errmsg: "ok", userlist: d.users.filter((u) => u.department.some((x) => ids.includes(x))).map(wire) };
    }
    case "/cgi-bin/user/list_id": {
      const limit = Number(body?.limit ?? 10000);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10000) return { errcode: 40058, errmsg: "invalid limit" };
      const rows = d.users.flatMap((u) => u.department.map((dep) => ({ userid: u.userid, department: dep })));
      const start = body?.cursor ? Number(Buffer.from(String(body.cursor), "base64url").toString()) : 0;
      if (!Number.isInteger(start) || start < 0) return { errcode: 40058, errmsg: "invalid cursor" };
      const page = rows.slice(start, start + limit);
      const next = start + limit < rows.length ? Buffer.from(String(start + limit)).toString("base64url") : "";
      return { errcode: 0, errmsg: "ok", next_cursor: next, dept_user: page };
    }
    case "/cgi-bin/tag/list":
      return { errcode: 0, errmsg: "ok", taglist: d.tags.map((t) => ({ tagid: t.tagid, tagname: t.tagname })) };
    case "/cgi-bin/tag/get": {
      const t = d.tags.find((x) => String(x.tagid) === query.tagid);
      if (!t) return { errcode: 40068, errmsg: "invalid tagid" };
      return { errcode: 0, errmsg: "ok", tagname: t.tagname, userlist: t.userids.map((id) => ({ userid: id, name: d.users.find((u) => u.userid === id)?.name ?? id })), partylist: t.partyids ?? [] };
    }
  }
  return { errcode: 404, errmsg: "no such api in the simulator" };
}

function wire(u: WecomDirUser): Json {
  return {
    userid: u.userid,
    name: u.name,
    department: u.department,
    order: u.department.map(() => 0),
    position: u.position ?? "",
    mobile: u.mobile ?? "",
    gender: "0",
    email: u.email ?? "",
    biz_mail: "",
    is_leader_in_dept: u.is_leader_in_dept ?? u.department.map(() => 0),
    direct_leader: [],
    avatar: "",
    thumb_avatar: "",
    telephone: "",
    alias: "",
    status: u.status ?? 1,
    address: "",
    main_department: u.main_department ?? u.department[0],
    extattr: { attrs: [] },
    open_userid: `wo${u.userid}`,
  };
}
