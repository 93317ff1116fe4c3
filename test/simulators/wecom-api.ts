// A local stand-in for WeCom's API (qyapi.weixin.qq.com), following src/channels/wecom/README.md: real HTTP on port 0,
// errors in errcode with HTTP 200, every request recorded. Tests point WECOM_API_BASE at `url`.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isWecomDirectoryApi, wecomDirectoryAnswer, type WecomDirectoryData } from "./wecom-directory.ts";

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | null;
  /** The errcode we answered. */
  errcode: number;
  /** Handled, but the connection was cut before the answer (see loseReplies). */
  lost?: boolean;
}

/**
 * A platform outage (see setOutage): "timeout" holds each call unanswered (a black hole: the call never reaches
 * WeCom, and is cut when the outage ends), "http_500" answers HTTP 500, a number answers that errcode
 * (-1 system busy, 45009 rate limit).
 */
export type Outage = "timeout" | "http_500" | number;

const OUTAGE_ERRMSG: Record<number, string> = { [-1]: "system busy", 45009: "api freq out of limit" };

export interface SimOptions {
  corpId: string;
  secret: string;
  agentId: number;
  /** Members that exist; anyone else gets 81013. Default: everybody exists. */
  members?: string[];
  /** Group chats the app created (appchat/create); others get 86003. Default: any chatid exists. */
  chats?: string[];
  expiresIn?: number;
  /**
   * Messages one member may get in a minute before the rest are dropped silently: WeCom's 30 by default. Only a
   * test whose bot's outbox is given the same number changes it (test/support/role-surfaces.ts).
   */
  memberPerMinute?: number;
}

type Json = Record<string, unknown>;
const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/;
const INTERACTIVE = new Set(["button_interaction", "vote_interaction", "multiple_interaction"]);

export class WecomApiSim {
  readonly requests: SimRequest[] = [];
  /** Accepted message/send bodies. */
  readonly sent: Json[] = [];
  /** Accepted update_template_card bodies. */
  readonly updates: Json[] = [];
  /** Files uploaded through media/upload, by media_id (multipart parsed for real). */
  readonly media = new Map<string, { type: string; filename: string; contentType: string; bytes: Buffer }>();
  /** Messages beyond 30/min (memberPerMinute) to one member: WeCom answers ok and drops them silently. */
  readonly dropped: Json[] = [];
  tokenFetches = 0;
  url = "";
  /** The address book department/list, user/list, user/list_id and tag/* answer from (see wecom-directory.ts); edit it between syncs. */
  directory: WecomDirectoryData = { departments: [{ id: 1, name: "公司", parentid: 0 }], users: [], tags: [] };

  private readonly tokens = new Map<string, { expired: boolean }>();
  private readonly taskIds = new Set<string>();
  private readonly codes = new Map<string, { used: boolean }>();
  private readonly perMember = new Map<string, number[]>();
  private injected: { errcode: number; left: number; path?: string }[] = [];
  private losing: { left: number; match: (path: string, body: Json | null) => boolean }[] = [];
  private tokenlessLeft = 0;
  private outage: { kind: Outage; path?: string } | null = null;
  private readonly held = new Set<http.ServerResponse>();
  /** Calls that met an outage: answered with the failure, or held and cut (never carried out). */
  readonly outageHits: { path: string; kind: Outage }[] = [];
  private server: http.Server | null = null;

  constructor(private readonly opts: SimOptions) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.setOutage(null);
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Every token issued so far stops working (42001), as when WeCom expires a token early. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expired = true;
  }

  /** Every token issued so far is unknown from now on (40014), as when the secret is reset or WeCom revokes it. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** The next `times` business calls are read as if they carried no access_token (41001). */
  dropTokenOnce(times = 1): void {
    this.tokenlessLeft += times;
  }

  /**
   * The next `times` calls that `match` are carried out (recorded, cards registered) but the connection is cut
   * before the answer: the bot cannot know WeCom accepted them, as after a timeout or a crash before it noted it.
   */
  loseReplies(times: number, match: (path: string, body: Json | null) => boolean = () => true): void {
    this.losing.push({ left: times, match });
  }

  /** The next `times` calls (optionally only to `path`) fail with `errcode`. */
  failNext(errcode: number, times = 1, path?: string): void {
    this.injected.push({ errcode, left: times, ...(path ? { path } : {}) });
  }

  /**
   * From now until `setOutage(null)`, every call (gettoken too, or only calls to `path`) meets `kind` and is not
   * carried out. Ending or changing the outage cuts the calls held by "timeout"; a held call whose caller gives up
   * (its own timeout, or the process died) is dropped unprocessed.
   */
  setOutage(kind: Outage | null, path?: string): void {
    this.outage = kind === null ? null : { kind, ...(path ? { path } : {}) };
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  /** How many calls are held unanswered right now (outage "timeout"). */
  get heldCount(): number {
    return this.held.size;
  }

  /** A fresh one-shot code, as WeCom puts in a template_card_event callback. */
  issueResponseCode(): string {
    const code = `rc_${randomBytes(12).toString("hex")}`;
    this.codes.set(code, { used: false });
    return code;
  }

  sentTo(user: string, msgtype?: string): Json[] {
    return this.sent.filter((m) => m.touser === user && (!msgtype || m.msgtype === msgtype));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", "http://sim");
    const query = Object.fromEntries(u.searchParams);
    const rawBytes = await readBody(req);
    if (this.outage && (!this.outage.path || this.outage.path === u.pathname)) return this.meetOutage(this.outage.kind, u.pathname, res);
    const contentType = String(req.headers["content-type"] ?? "");
    if (u.pathname === "/cgi-bin/media/upload") {
      const entry = { method: req.method ?? "", path: u.pathname, query, body: null };
      const injected = this.takeInjected(u.pathname);
      if (injected !== null) return this.reply(res, entry, { errcode: injected, errmsg: "injected failure" });
      return this.reply(res, entry, await this.upload(query, contentType, rawBytes));
    }
    const raw = rawBytes.toString("utf8");
    let body: Json | null = null;
    if (raw) {
      try {
        body = JSON.parse(raw) as Json;
      } catch {
        return this.reply(res, { method: req.method ?? "", path: u.pathname, query, body: null }, { errcode: 47001, errmsg: "data format error" });
      }
    }
    const entry = { method: req.method ?? "", path: u.pathname, query, body };
    const injected = this.takeInjected(u.pathname);
    if (injected !== null) return this.reply(res, entry, { errcode: injected, errmsg: "injected failure" });
    const payload = this.route(u.pathname, query, body);
    if (this.takeLost(u.pathname, body)) {
      this.requests.push({ ...entry, errcode: Number(payload.errcode), lost: true });
      res.socket?.destroy();
      return;
    }
    this.reply(res, entry, payload);
  }

  private meetOutage(kind: Outage, path: string, res: http.ServerResponse): void {
    this.outageHits.push({ path, kind });
    if (kind === "timeout") {
      this.held.add(res);
      res.on("close", () => this.held.delete(res));
      return;
    }
    if (kind === "http_500") {
      res.writeHead(500, { "content-type": "text/html" });
      res.end("<html><body>500 Internal Server Error</body></html>");
      return;
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ errcode: kind, errmsg: OUTAGE_ERRMSG[kind] ?? "injected outage" }));
  }

  private takeLost(path: string, body: Json | null): boolean {
    const hit = this.losing.find((l) => l.left > 0 && l.match(path, body));
    if (!hit) return false;
    hit.left--;
    this.losing = this.losing.filter((l) => l.left > 0);
    return true;
  }

  private route(path: string, query: Record<string, string>, body: Json | null): Json {
    if (path === "/cgi-bin/gettoken") return this.getToken(query);
    const tokenless = this.tokenlessLeft > 0;
    if (tokenless) this.tokenlessLeft--;
    const tokenError = this.checkToken(tokenless ? undefined : query.access_token);
    if (tokenError) return tokenError;
    if (isWecomDirectoryApi(path)) return wecomDirectoryAnswer(this.directory, path, query, body);
    if (!body) return { errcode: 44004, errmsg: "empty body" };
    // App group chats: no agentid, a chatid the app created, text/markdown only (no template cards).
    if (path === "/cgi-bin/appchat/send") return this.sendToChat(body);
    if (body.agentid !== this.opts.agentId) return { errcode: 40056, errmsg: "invalid agentid" };
    if (path === "/cgi-bin/message/send") return this.send(body);
    if (path === "/cgi-bin/message/update_template_card") return this.update(body);
    return { errcode: 404, errmsg: "no such api in the simulator" };
  }

  /**
   * media/upload (doc 90253): multipart/form-data with the file in the "media" field, its filename and content-type
   * given; type=image takes JPG/PNG up to 10 MB. Answers the media_id message/send then names.
   */
  private async upload(query: Record<string, string>, contentType: string, raw: Buffer): Promise<Json> {
    const tokenError = this.checkToken(query.access_token);
    if (tokenError) return tokenError;
    if (!["image", "voice", "video", "file"].includes(query.type ?? "")) return { errcode: 40004, errmsg: "invalid media type" };
    if (!contentType.startsWith("multipart/form-data")) return { errcode: 41005, errmsg: "media data missing (not multipart)" };
    let form: FormData;
    try {
      form = await new Request("http://sim/upload", { method: "POST", headers: { "content-type": contentType }, body: raw }).formData();
    } catch {
      return { errcode: 41005, errmsg: "media data missing (unreadable multipart)" };
    }
    const file = form.get("media");
    if (!(file instanceof File) || !file.name) return { errcode: 41005, errmsg: "media data missing (no media file part)" };
    const bytes = Buffer.from(await file.arrayBuffer());
    if (bytes.length < 5) return { errcode: 40005, errmsg: "invalid file size" };
    if (query.type === "image") {
      const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const jpg = bytes[0] === 0xff && bytes[1] === 0xd8;
      if (!png && !jpg) return { errcode: 40005, errmsg: "invalid file type" };
      if (bytes.length > 10 * 1024 * 1024) return { errcode: 40009, errmsg: "invalid image size" };
    }
    const mediaId = `3${randomBytes(24).toString("hex")}`;
    this.media.set(mediaId, { type: query.type!, filename: file.name, contentType: file.type, bytes });
    return { errcode: 0, errmsg: "", type: query.type, media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) };
  }

  private getToken(q: Record<string, string>): Json {
    this.tokenFetches++;
    if (q.corpid !== this.opts.corpId) return { errcode: 40013, errmsg: "invalid corpid" };
    if (q.corpsecret !== this.opts.secret) return { errcode: 40001, errmsg: "invalid credential" };
    const token = `tok_${randomBytes(16).toString("hex")}`;
    this.tokens.set(token, { expired: false });
    return { errcode: 0, errmsg: "ok", access_token: token, expires_in: this.opts.expiresIn ?? 7200 };
  }

  private checkToken(token: string | undefined): Json | null {
    if (!token) return { errcode: 41001, errmsg: "access_token missing" };
    const t = this.tokens.get(token);
    if (!t) return { errcode: 40014, errmsg: "invalid access_token" };
    if (t.expired) return { errcode: 42001, errmsg: "access_token expired" };
    return null;
  }

  private send(body: Json): Json {
    const touser = typeof body.touser === "string" ? body.touser : "";
    if (!touser) return { errcode: 40003, errmsg: "invalid touser" };
    if (this.opts.members && !this.opts.members.includes(touser)) return { errcode: 81013, errmsg: "user & party & tag all invalid" };
    const problem = this.checkContent(body);
    if (problem) return problem;
    const card = body.template_card as Json | undefined;
    if (card?.task_id) this.taskIds.add(String(card.task_id));
    if (this.overMemberLimit(touser)) {
      this.dropped.push(body);
    } else this.sent.push(body);
    const response_code = card && INTERACTIVE.has(String(card.card_type)) ? this.issueResponseCode() : undefined;
    return { errcode: 0, errmsg: "ok", invaliduser: "", invalidparty: "", invalidtag: "", unlicenseduser: "", msgid: `msg_${randomBytes(8).toString("hex")}`, ...(response_code ? { response_code } : {}) };
  }

  private sendToChat(body: Json): Json {
    const chatid = typeof body.chatid === "string" ? body.chatid : "";
    if (!chatid || (this.opts.chats && !this.opts.chats.includes(chatid))) return { errcode: 86003, errmsg: "chat not found" };
    if (body.msgtype === "template_card") return { errcode: 40008, errmsg: "invalid message type" };
    const problem = this.checkContent(body);
    if (problem) return problem;
    this.sent.push(body);
    return { errcode: 0, errmsg: "ok" };
  }

  private checkContent(body: Json): Json | null {
    const bytes = (v: unknown) => Buffer.byteLength(String(v ?? ""));
    switch (body.msgtype) {
      case "text":
      case "markdown": {
        const content = (body[body.msgtype] as Json | undefined)?.content;
        if (typeof content !== "string" || !content) return { errcode: 44004, errmsg: "empty content" };
        return bytes(content) > 2048 ? { errcode: 45002, errmsg: "content size out of limit" } : null;
      }
      case "template_card":
        return checkCard(body.template_card as Json | undefined, this.taskIds);
      case "image": {
        const id = String((body.image as Json | undefined)?.media_id ?? "");
        return this.media.get(id)?.type === "image" ? null : { errcode: 40007, errmsg: "invalid media_id" };
      }
      default:
        return { errcode: 40008, errmsg: "invalid message type" };
    }
  }

  private update(body: Json): Json {
    const code = this.codes.get(String(body.response_code ?? ""));
    if (!code || code.used) return { errcode: 40058, errmsg: "invalid response_code (unknown or already used)" };
    if (!Array.isArray(body.userids) || body.userids.length === 0) return { errcode: 40003, errmsg: "invalid userids" };
    if (!body.button === !body.template_card) return { errcode: 40058, errmsg: "give either button or template_card" };
    code.used = true;
    this.updates.push(body);
    return { errcode: 0, errmsg: "ok", invaliduser: [] };
  }

  private overMemberLimit(user: string): boolean {
    const now = Date.now();
    const times = (this.perMember.get(user) ?? []).filter((t) => t > now - 60_000);
    times.push(now);
    this.perMember.set(user, times);
    return times.length > (this.opts.memberPerMinute ?? 30);
  }

  private takeInjected(path: string): number | null {
    // Without a path, injected failures hit the business APIs, not gettoken.
    const i = this.injected.findIndex((x) => x.left > 0 && (x.path ? x.path === path : path !== "/cgi-bin/gettoken"));
    if (i < 0) return null;
    const hit = this.injected[i]!;
    hit.left--;
    if (hit.left === 0) this.injected.splice(i, 1);
    return hit.errcode;
  }

  private reply(res: http.ServerResponse, entry: Omit<SimRequest, "errcode">, payload: Json): void {
    this.requests.push({ ...entry, errcode: Number(payload.errcode) });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(payload));
  }
}

/** template_card rules from doc 90372 (as mirrored in src/channels/wecom/README.md). */
function checkCard(card: Json | undefined, taskIds: Set<string>): Json | null {
  if (!card) return { errcode: 40058, errmsg: "template_card missing" };
  const bad = (errmsg: string) => ({ errcode: 40058, errmsg });
  const type = String(card.card_type ?? "");
  if (!["text_notice", "news_notice", ...INTERACTIVE].includes(type)) return bad("invalid card_type");
  const taskId = card.task_id === undefined ? undefined : String(card.task_id);
  if (INTERACTIVE.has(type) || taskId !== undefined) {
    if (!taskId || !TASK_ID.test(taskId) || taskIds.has(taskId)) return { errcode: 42014, errmsg: "taskid has existed or empty or exceed max len" };
  }
  const main = card.main_title as Json | undefined;
  if (!main?.title && !card.sub_title_text) return bad("main_title.title or sub_title_text required");
  if (Array.isArray(card.horizontal_content_list) && card.horizontal_content_list.length > 6) return bad("horizontal_content_list exceeds 6");
  if (type === "text_notice" && !card.card_action) return bad("card_action required");
  if (type === "button_interaction") {
    const buttons = card.button_list;
    if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 6) return bad("button_list must have 1..6 buttons");
    const keys = buttons.map((b) => String((b as Json).key ?? ""));
    if (keys.some((k) => !k || Buffer.byteLength(k) > 1024)) return bad("button key must be 1..1024 bytes");
    if (new Set(keys).size !== keys.length) return bad("button keys must be unique");
  }
  return null;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startWecomApiSim(opts: SimOptions): Promise<WecomApiSim> {
  return new WecomApiSim(opts).start();
}
