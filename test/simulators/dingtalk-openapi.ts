// The OpenAPI half of the fake DingTalk (src/channels/dingtalk/README.md.4): tokens, session webhooks, robot sends, cards.
// Records every call; checks the token header and that msgParam / cardParamMap values are strings. Tests inject
// throttling and failures through `faults` / `cardFaults`.
import { randomUUID } from "node:crypto";
import { dingtalkDirectoryAnswer, isDingtalkDirectoryApi, type DingtalkDirectoryData } from "./dingtalk-directory.ts";

export interface ApiCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The HTTP status we answered, whether it was an injected fault, and when (real time). */
  status?: number;
  fault?: boolean;
  at: number;
}

export type Reply = { status: number; body?: unknown; raw?: string; headers?: Record<string, string> };

/** A canned answer for the next matching call (any robot/card API when `path` is unset). */
export interface Fault {
  reply: Reply;
  path?: string;
}

/** What createAndDeliver does next: deliver nothing, leave deliverResults out, refuse, or create and lose the answer. */
export type CardFault = "empty" | "missing" | "refused" | "lost-answer";

export interface ApiState {
  clientId: string;
  clientSecret: string;
  calls: ApiCall[];
  /** Problems the simulator found in requests (non-string params…); tests assert it stays empty. */
  violations: string[];
  tokens: Set<string>;
  /** The token endpoint answers 503 while set. */
  tokenOutage: boolean;
  /** staffId → how many more batchSend calls report them in flowControlledStaffIdList. */
  flowControl: Map<string, number>;
  invalidUsers: Set<string>;
  faults: Fault[];
  cardFaults: CardFault[];
  /** outTrackIds of card instances created so far. */
  cards: Set<string>;
  /** Files uploaded through the oapi's media/upload (multipart parsed for real), by media_id. */
  media: Map<string, { type: string; filename: string; contentType: string; bytes: Buffer }>;
  /** The next N media uploads answer this (an outage, a refusal). */
  uploadFaults: Reply[];
  /** The address book the oapi's department and user APIs answer from (see dingtalk-directory.ts); edit it between syncs. */
  directory?: DingtalkDirectoryData;
}

const ok = (body: unknown): Reply => ({ status: 200, body });

/**
 * DingTalk's throttling answers (open.dingtalk.com "调用频次与限流"; src/channels/dingtalk/README.md). `wait` is 1 here (the real
 * block says 5) to keep tests short.
 */
export const THROTTLE_FORMS = {
  "errcode 90002": ok({ errcode: 90002, errmsg: "您的服务器调用钉钉开放平台当前接口的所有请求都被暂时禁用了" }),
  "errcode 90018": ok({ errcode: 90018, errmsg: "当前应用调用该接口超过每秒限制" }),
  "errcode 90019": ok({ errcode: 90019, errmsg: "当前企业调用该接口超过每秒限制" }),
  "403 QpsLimitForAppkeyAndApi": { status: 403, body: { code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", requestid: "r1", message: "调用该接口超过限流" } },
  "403 QpsLimitForApi": { status: 403, body: { code: "Forbidden.AccessDenied.QpsLimitForApi", requestid: "r2", message: "接口全局限流" } },
  "429 with Retry-After": { status: 429, body: { code: "Throttling", message: "Too many requests" }, headers: { "retry-after": "1" } },
  "IP block (JSON)": { status: 403, body: { status: 1111, wait: 1, source: "x5", punish: "deny", uuid: "u1" } },
  "IP block (HTML page)": { status: 200, raw: '<html><body><pre>{"status":1111,"wait":1,"source":"x5","punish":"deny","uuid":"u2"}</pre></body></html>', headers: { "content-type": "text/html" } },
} satisfies Record<string, Reply>;
export type ThrottleForm = keyof typeof THROTTLE_FORMS;

export const FORBIDDEN: Reply = { status: 403, body: { code: "Forbidden.AccessDenied.AccessTokenPermissionDenied", message: "没有调用该接口的权限" } };
const WEBHOOK = "/robot/sendBySession";

export function newApiState(clientId: string, clientSecret: string): ApiState {
  return { clientId, clientSecret, calls: [], violations: [], tokens: new Set(), tokenOutage: false, flowControl: new Map(), invalidUsers: new Set(), faults: [], cardFaults: [], cards: new Set(), media: new Map(), uploadFaults: [] };
}

export function handleApi(s: ApiState, call: ApiCall): Reply | null {
  const { method, path } = call;
  const b = (call.body ?? {}) as Record<string, unknown>;
  if (method === "POST" && path === "/v1.0/oauth2/accessToken") {
    if (s.tokenOutage) return { status: 503, body: { code: "ServiceUnavailable", message: "服务暂不可用" } };
    if (b.appKey !== s.clientId || b.appSecret !== s.clientSecret) return { status: 400, body: { code: "invalidClientIdOrSecret", message: "无效的clientId或者clientSecret" } };
    const token = `tok-${randomUUID()}`;
    s.tokens.add(token);
    return ok({ accessToken: token, expireIn: 7200 });
  }
  if (method === "GET" && path === "/gettoken") return ok({ errcode: 0, errmsg: "ok", access_token: "legacy-token", expires_in: 7200 });
  if (method === "POST" && isDingtalkDirectoryApi(path)) {
    const token = call.query.access_token;
    return dingtalkDirectoryAnswer(s.directory ?? { departments: [{ dept_id: 1, name: "公司" }], users: [] }, !!token && (s.tokens.has(token) || token === "legacy-token"), path, b);
  }

  const routes: Record<string, (b: Record<string, unknown>) => Reply> = {
    [`POST ${WEBHOOK}`]: () => (call.query.session ? ok({ errcode: 0, errmsg: "ok" }) : ok({ errcode: 300001, errmsg: "session 不存在" })),
    "POST /v1.0/robot/oToMessages/batchSend": (b) => batchSend(s, b),
    "POST /v1.0/robot/groupMessages/send": (b) => (checkMsgParam(s, b), ok({ processQueryKey: `pqk-${randomUUID()}` })),
    "POST /v1.0/card/instances/createAndDeliver": (b) => createAndDeliver(s, b),
    "PUT /v1.0/card/instances": (b) => (checkParamMap(s, b), ok({ success: true, result: true })),
  };
  const route = routes[`${method} ${path}`];
  if (!route) return null;
  // The session in a webhook URL is its credential; every other API needs the token header.
  const token = call.headers["x-acs-dingtalk-access-token"];
  if (path !== WEBHOOK && (typeof token !== "string" || !s.tokens.has(token))) return { status: 401, body: { code: "InvalidAuthentication", requestid: randomUUID(), message: "不合法的access_token" } };
  const fault = s.faults.findIndex((f) => (f.path ? f.path === path : path !== WEBHOOK));
  if (fault >= 0) {
    call.fault = true;
    return s.faults.splice(fault, 1)[0]!.reply;
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
  // Clicks reach a Stream client only for STREAM cards (HTTP needs a callbackRouteKey we never register).
  if (b.callbackType !== "STREAM") s.violations.push(`createAndDeliver with callbackType ${String(b.callbackType)}, not STREAM`);
  const outTrackId = String(b.outTrackId ?? "");
  // Our choice of code: DingTalk's own for a reused outTrackId is not documented (see src/channels/dingtalk/sender.ts).
  if (s.cards.has(outTrackId)) return { status: 400, body: { code: "param.outTrackIdExist", requestid: randomUUID(), message: "outTrackId already exists" } };
  const spaceType = space.includes("IM_GROUP") ? "IM_GROUP" : "IM_ROBOT";
  const spaceId = space.split(".").pop();
  const fault = s.cardFaults.shift();
  s.cards.add(outTrackId);
  if (fault === "lost-answer") return { status: 502, raw: "Bad Gateway" };
  if (fault === "empty") return ok({ success: true, result: { outTrackId, deliverResults: [] } });
  if (fault === "missing") return ok({ success: true, result: { outTrackId } });
  if (fault === "refused") return ok({ success: true, result: { outTrackId, deliverResults: [{ spaceType, spaceId, success: false, errorMsg: "robot is not in the conversation" }] } });
  return ok({ success: true, result: { outTrackId, deliverResults: [{ spaceType, spaceId, success: true }] } });
}

function checkMsgParam(s: ApiState, b: Record<string, unknown>): void {
  if (typeof b.msgParam !== "string") return void s.violations.push("msgParam is not a JSON string");
  let param: Record<string, unknown>;
  try {
    param = JSON.parse(b.msgParam) as Record<string, unknown>;
  } catch {
    return void s.violations.push("msgParam is not JSON");
  }
  if (b.msgKey === "sampleImageMsg") {
    // photoURL: a picture URL, or the media_id of an uploaded image.
    const url = String(param.photoURL ?? "");
    if (!/^https?:\/\//.test(url) && s.media.get(url)?.type !== "image") s.violations.push(`sampleImageMsg photoURL ${url} is neither a URL nor an uploaded image`);
  }
}

/**
 * The oapi's media upload: POST /media/upload?access_token=…&type=image, multipart/form-data with the file in the
 * "media" field (filename given); images JPG/PNG/GIF/BMP up to 20 MB (the docs' limit for image). Answers
 * { errcode: 0, type, media_id, created_at }.
 */
export async function handleUpload(s: ApiState, call: ApiCall, contentType: string, raw: Buffer): Promise<Reply> {
  const token = call.query.access_token;
  if (!token || !s.tokens.has(token)) return ok({ errcode: 40014, errmsg: "不合法的access_token" });
  const fault = s.uploadFaults.shift();
  if (fault) {
    call.fault = true;
    return fault;
  }
  if (!["image", "voice", "video", "file"].includes(call.query.type ?? "")) return ok({ errcode: 40004, errmsg: "不合法的媒体文件类型" });
  if (!contentType.startsWith("multipart/form-data")) return ok({ errcode: 41005, errmsg: "缺少多媒体文件数据" });
  let form: FormData;
  try {
    form = await new Request("http://sim/media/upload", { method: "POST", headers: { "content-type": contentType }, body: raw }).formData();
  } catch {
    return ok({ errcode: 41005, errmsg: "缺少多媒体文件数据" });
  }
  const file = form.get("media");
  if (!(file instanceof File) || !file.name) return ok({ errcode: 41005, errmsg: "缺少多媒体文件数据" });
  const bytes = Buffer.from(await file.arrayBuffer());
  if (call.query.type === "image") {
    const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const jpg = bytes[0] === 0xff && bytes[1] === 0xd8;
    if (!png && !jpg) return ok({ errcode: 40005, errmsg: "不合法的文件类型" });
    if (bytes.length > 20 * 1024 * 1024) return ok({ errcode: 40006, errmsg: "不合法的文件大小" });
  }
  const mediaId = `@lA${randomUUID().replace(/-/g, "")}`;
  s.media.set(mediaId, { type: call.query.type!, filename: file.name, contentType: file.type, bytes });
  return ok({ errcode: 0, errmsg: "ok", type: call.query.type, media_id: mediaId, created_at: Date.now() });
}

function checkParamMap(s: ApiState, b: Record<string, unknown>): void {
  const map = (b.cardData as { cardParamMap?: Record<string, unknown> } | undefined)?.cardParamMap;
  if (!map) return void s.violations.push("card call without cardData.cardParamMap");
  for (const [k, v] of Object.entries(map)) if (typeof v !== "string") s.violations.push(`cardParamMap.${k} is ${typeof v}, not a string`);
}
