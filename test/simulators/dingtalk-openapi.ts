// The OpenAPI half of the fake DingTalk (protocols.md C2.4): tokens, session webhooks, robot sends, cards.
// Records every call; checks the token header and that msgParam / cardParamMap values are strings.
import { randomUUID } from "node:crypto";

export interface ApiCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface ApiState {
  clientId: string;
  clientSecret: string;
  calls: ApiCall[];
  /** Problems the simulator found in requests (non-string params…); tests assert it stays empty. */
  violations: string[];
  tokens: Set<string>;
  /** staffId → how many more batchSend calls report them in flowControlledStaffIdList. */
  flowControl: Map<string, number>;
  invalidUsers: Set<string>;
  /** Answer the next N robot/card calls with HTTP 429 / a QPS-limit code. */
  throttleNext: number;
  /** Answer the next N robot/card calls with HTTP 403: the app lacks the permission. */
  forbidNext: number;
}

type Reply = { status: number; body: unknown };
const ok = (body: unknown): Reply => ({ status: 200, body });

export function handleApi(s: ApiState, call: ApiCall): Reply | null {
  const { method, path } = call;
  const b = (call.body ?? {}) as Record<string, unknown>;
  if (method === "POST" && path === "/v1.0/oauth2/accessToken") {
    if (b.appKey !== s.clientId || b.appSecret !== s.clientSecret) return { status: 400, body: { code: "invalidClientIdOrSecret", message: "无效的clientId或者clientSecret" } };
    const token = `tok-${randomUUID()}`;
    s.tokens.add(token);
    return ok({ accessToken: token, expireIn: 7200 });
  }
  if (method === "GET" && path === "/gettoken") return ok({ errcode: 0, errmsg: "ok", access_token: "legacy-token", expires_in: 7200 });

  const routes: Record<string, (b: Record<string, unknown>) => Reply> = {
    "POST /robot/sendBySession": () => ok({ errcode: 0, errmsg: "ok" }),
    "POST /v1.0/robot/oToMessages/batchSend": (b) => batchSend(s, b),
    "POST /v1.0/robot/groupMessages/send": (b) => (checkMsgParam(s, b), ok({ processQueryKey: `pqk-${randomUUID()}` })),
    "POST /v1.0/card/instances/createAndDeliver": (b) => createAndDeliver(s, b),
    "PUT /v1.0/card/instances": (b) => (checkParamMap(s, b), ok({ success: true, result: true })),
  };
  const route = routes[`${method} ${path}`];
  if (!route) return null;
  const token = call.headers["x-acs-dingtalk-access-token"];
  if (typeof token !== "string" || !s.tokens.has(token)) return { status: 401, body: { code: "InvalidAuthentication", requestid: randomUUID(), message: "不合法的access_token" } };
  if (s.throttleNext > 0 && path !== "/robot/sendBySession") {
    s.throttleNext--;
    return { status: 429, body: { code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", message: "调用该接口超过限流" } };
  }
  if (s.forbidNext > 0 && path !== "/robot/sendBySession") {
    s.forbidNext--;
    return { status: 403, body: { code: "Forbidden.AccessDenied.AccessTokenPermissionDenied", message: "没有调用该接口的权限" } };
  }
  return route(b);
}

function batchSend(s: ApiState, b: Record<string, unknown>): Reply {
  checkMsgParam(s, b);
  const users = Array.isArray(b.userIds) ? (b.userIds as string[]) : [];
  if (users.length === 0 || users.length > 20) s.violations.push(`batchSend with ${users.length} userIds`);
  const flowControlled = users.filter((u) => (s.flowControl.get(u) ?? 0) > 0);
  for (const u of flowControlled) s.flowControl.set(u, (s.flowControl.get(u) ?? 1) - 1);
  return ok({ processQueryKey: `pqk-${randomUUID()}`, invalidStaffIdList: users.filter((u) => s.invalidUsers.has(u)), flowControlledStaffIdList: flowControlled });
}

function createAndDeliver(s: ApiState, b: Record<string, unknown>): Reply {
  checkParamMap(s, b);
  const space = String(b.openSpaceId ?? "");
  if (!/^dtv1\.card\/\/IM_(ROBOT|GROUP)\.\S+$/.test(space)) s.violations.push(`bad openSpaceId ${space}`);
  if (b.userIdType !== 1) s.violations.push("createAndDeliver without userIdType 1");
  const spaceType = space.includes("IM_GROUP") ? "IM_GROUP" : "IM_ROBOT";
  return ok({ success: true, result: { outTrackId: b.outTrackId, deliverResults: [{ spaceType, spaceId: space.split(".").pop(), success: true }] } });
}

function checkMsgParam(s: ApiState, b: Record<string, unknown>): void {
  if (typeof b.msgParam !== "string") return void s.violations.push("msgParam is not a JSON string");
  try {
    JSON.parse(b.msgParam);
  } catch {
    s.violations.push("msgParam is not JSON");
  }
}

function checkParamMap(s: ApiState, b: Record<string, unknown>): void {
  const map = (b.cardData as { cardParamMap?: Record<string, unknown> } | undefined)?.cardParamMap;
  if (!map) return void s.violations.push("card call without cardData.cardParamMap");
  for (const [k, v] of Object.entries(map)) if (typeof v !== "string") s.violations.push(`cardParamMap.${k} is ${typeof v}, not a string`);
}
