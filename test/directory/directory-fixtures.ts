// One company's address book on both platforms, and an org file whose directory section maps it, for the
// directory-sync suites. WeCom: 公司 > 销售部 (leader 王五) > 华东组, 仓储部, 行政部. DingTalk: 公司 > 销售部 > 华东组
// with enough people that DingTalk's user/list needs several pages at the tests' page size (2).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DingtalkDirectoryData } from "../simulators/dingtalk-directory.ts";
import type { WecomDirectoryData } from "../simulators/wecom-directory.ts";

export const WECOM = { corpId: "ww0123456789abcdef", agentId: 1000002, secret: "wecom-secret-0123456789", token: "tok" };

export function orgYaml(extraUsers = ""): string {
  return `name: 测试机电
users:
  - { id: admin, name: 管理员, roles: [admin] }
  - { id: zhaoliu, name: 赵六, roles: [director], wecom: ZhaoLiu }
  - { id: sunqi, name: 孙七, roles: [rep], manager: zhaoliu, wecom: SunQi }
${extraUsers}products:
  - { sku: MOTOR-A, name: 电机A, unit: 台, price: 5000 }
directory:
  rules:
    - { department: 销售部, roles: [rep] }
    - { department: 仓储部, roles: [warehouse] }
    - { tag: 大客户经理, roles: [manager, rep] }
  fallbackManager: zhaoliu
  links:
    - { wecom: QianBa, dingtalk: dt-qb }
`;
}

export function writeOrg(text: string, dir = mkdtempSync(path.join(tmpdir(), "org-dir-"))): string {
  const file = path.join(dir, "org.yaml");
  writeFileSync(file, text);
  return file;
}

export function wecomDirectory(): WecomDirectoryData {
  return {
    departments: [
      { id: 1, name: "测试机电", parentid: 0 },
      { id: 2, name: "销售部", parentid: 1, department_leader: ["WangWu"] },
      { id: 3, name: "华东组", parentid: 2 },
      { id: 4, name: "仓储部", parentid: 1 },
      { id: 5, name: "行政部", parentid: 1 },
    ],
    users: [
      { userid: "ZhaoLiu", name: "赵六", department: [1] },
      { userid: "WangWu", name: "王五", department: [2], is_leader_in_dept: [1], mobile: "13800000001" },
      { userid: "ZhangSan", name: "张三", department: [3], mobile: "13800000002" },
      { userid: "LiSi", name: "李四", department: [3], email: "lisi@example.com" },
      { userid: "QianBa", name: "钱八", department: [3] },
      { userid: "ChenQi", name: "陈七", department: [4], position: "仓管" },
      { userid: "ZhouJiu", name: "周九", department: [5] },
      { userid: "WuShi", name: "吴十", department: [5] },
      // Left the company but still listed (status 5): not served.
      { userid: "OldHand", name: "老韩", department: [3], status: 5 },
    ],
    tags: [{ tagid: 1, tagname: "大客户经理", userids: ["WuShi"] }],
  };
}

export function dingtalkDirectory(): DingtalkDirectoryData {
  return {
    departments: [
      { dept_id: 1, name: "测试机电" },
      { dept_id: 10, name: "销售部", parent_id: 1 },
      { dept_id: 11, name: "华东组", parent_id: 10 },
    ],
    users: [
      // The same 张三 (mobile written the DingTalk way), 李四 (email in capitals), 钱八 (linked in the org file).
      { userid: "dt-zs", name: "张三", dept_id_list: [11], mobile: "+86 138-0000-0002" },
      { userid: "dt-ls", name: "李四", dept_id_list: [11], email: "LiSi@Example.com" },
      { userid: "dt-qb", name: "钱八", dept_id_list: [11] },
      { userid: "dt-sun", name: "孙十一", dept_id_list: [11] },
      { userid: "dt-a", name: "甲", dept_id_list: [11] },
      { userid: "dt-b", name: "乙", dept_id_list: [11, 10] },
      { userid: "dt-c", name: "丙", dept_id_list: [11] },
    ],
  };
}

export function platformEnv(wecomApi: string, dingtalk: { url: string; clientId: string; clientSecret: string }): Record<string, string> {
  return {
    WECOM_CORP_ID: WECOM.corpId,
    WECOM_AGENT_ID: String(WECOM.agentId),
    WECOM_SECRET: WECOM.secret,
    WECOM_TOKEN: WECOM.token,
    WECOM_ENCODING_AES_KEY: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    WECOM_API_BASE: wecomApi,
    DINGTALK_CLIENT_ID: dingtalk.clientId,
    DINGTALK_CLIENT_SECRET: dingtalk.clientSecret,
    DINGTALK_API_BASE: dingtalk.url,
    DINGTALK_OAPI_BASE: dingtalk.url,
    // HTTP mode: no Stream connection to open and close at every (re)start; the address book is read the same way.
    DINGTALK_MODE: "http",
    DIRECTORY_PAGE_SIZE: "2",
  };
}
