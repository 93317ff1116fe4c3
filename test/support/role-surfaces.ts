// One driver for the role-matrix suites: the same people, by role, on the playground (HTTP API), WeCom (encrypted
// callbacks + API simulator) and DingTalk (Stream client + gateway), each started on the dispatch organisation (the
// demo organisation, the admin with a DingTalk id too). Used by test/dispatch/role-matrix.test.ts and
// test/team/team-role-matrix.test.ts.
import { expect } from "vitest";
import { dispatchOrgFile } from "./dispatch-org.ts";
import { PlaygroundClient } from "./playground-client.ts";
import { eventually, startTestBot, type TestBot } from "./test-bot.ts";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { button as dtButton, deliveredCards, sentTexts, startDingtalkBot } from "../dingtalk/e2e-helpers.ts";
import { cardsSentTo, startWecomHarness, textsSentTo, type WecomHarness } from "../wecom/wecom-harness.ts";

export type Person = "rep" | "otherRep" | "manager" | "director" | "warehouse" | "admin" | "stranger";
export const PEOPLE: Person[] = ["rep", "otherRep", "manager", "director", "warehouse", "admin", "stranger"];
export type Member = Exclude<Person, "stranger">;
/** Member, or another team's manager (孙八: only in organisations that add him, e.g. test/hostile/role-matrix.test.ts). */
export type AnyMember = Member | "otherManager";
/** rep 张三, otherRep 李四, manager 王五, otherManager 孙八 (another team), director 赵六, warehouse 陈七, admin 管理员. */
const USER_ID: Record<AnyMember, string> = { rep: "zhangsan", otherRep: "lisi", manager: "wangwu", otherManager: "sunba", director: "zhaoliu", warehouse: "chenqi", admin: "admin" };

/** Options of a surface: the organisation file to start with (default: the dispatch organisation). */
export interface SurfaceOptions {
  orgFile?: () => string;
  /**
   * WeCom only: how many messages a minute one member may get, for this test's bot (its outbox) and the API
   * simulator alike (default WeCom's 30, src/channels/wecom/rate-limiter.ts; the hourly 1000 stays). For a matrix
   * that messages one person in every row, so the rows do not wait for WeCom's minute; the 30 itself is proven by
   * test/wecom/wecom-limits.test.ts. The outbox still checks the windows before each send, and the simulator still
   * drops what goes over.
   */
  wecomMemberPerMinute?: number;
}

/**
 * The bot's WeCom sender, as the outbox sees it, with another per-minute window (WeCom's hourly 1000 kept): the
 * same object (every send goes through the real WecomSender and the API simulator), only `recipientLimits` reads
 * differently.
 */
function withMemberPerMinute(bot: TestBot, perMinute: number): void {
  const sender = bot.channels.find((c) => c.platform === "wecom")!.sender;
  const windows = (sender.recipientLimits ?? []).map((w) => (w.windowMs === 60_000 ? { ...w, limit: perMinute } : w));
  bot.outboxWorker.addSender(new Proxy(sender, { get: (target, key, receiver) => (key === "recipientLimits" ? windows : Reflect.get(target, key, receiver)) }));
}

/** One surface, driven the same way: people by role, the warehouse's notice of an order by its number. */
export interface Surface {
  readonly name: string;
  start(): Promise<TestBot>;
  close(): Promise<void>;
  say(who: string, text: string): Promise<void>;
  /** Press a button on the warehouse's (newest) copy of the order's notice. */
  click(who: string, orderNumber: string, label: "确认发货" | "有问题"): Promise<void>;
  /** Press `label` on the newest card sent to `owner` whose title matches, as `who` (a forwarded card when they differ). */
  clickCard(who: string, owner: string, title: RegExp, label: string): Promise<void>;
  /** Waits until `owner` has a card whose title matches. */
  card(owner: string, title: RegExp): Promise<unknown>;
  /** Waits until the warehouse has the order's notice. */
  notice(orderNumber: string): Promise<unknown>;
  /** Every text the bot said to this person so far. */
  texts(who: string): string[] | Promise<string[]>;
  /**
   * Everything the bot sent this person so far, in order: texts as they are, cards as their title, subtitle and
   * rows (a line each; on WeCom a list card arrives as markdown, a button card as its JSON).
   */
  said(who: string): string[] | Promise<string[]>;
  /** The person's id on the platform; `stranger` + a number for someone the organisation does not list. */
  id(p: AnyMember): string;
  strangerId(n: number): string;
}

export function playground(opts: SurfaceOptions = {}): Surface {
  let bot: TestBot;
  let pg: PlaygroundClient;
  const titled = async (owner: string, title: RegExp) => (await pg.botItems(owner)).flatMap((i) => (i.type === "card" && title.test(i.card.title) ? [i.card] : [])).at(-1);
  const noticeCard = async (n: string) => (await pg.botItems("chenqi")).flatMap((i) => (i.type === "card" && i.card.title === `发货通知 ${n}` ? [i.card] : [])).at(-1);
  return {
    name: "playground",
    async start() {
      bot = await startTestBot({ ORG_FILE: (opts.orgFile ?? dispatchOrgFile)() });
      pg = new PlaygroundClient(bot.url);
      return bot;
    },
    close: () => bot?.close(),
    say: async (who, text) => void (await pg.say(who, text)),
    click: async (who, n, label) => void (await pg.click(who, (await noticeCard(n))!, label)),
    clickCard: async (who, owner, title, label) => void (await pg.click(who, (await titled(owner, title))!, label)),
    card: (owner, title) => eventually(() => titled(owner, title), `a card ${title} for ${owner}`),
    notice: (n) => eventually(() => noticeCard(n), `the notice ${n}`),
    texts: async (who) => (await pg.botItems(who)).flatMap((i) => (i.type === "text" ? [i.text] : [])),
    said: async (who) =>
      (await pg.botItems(who)).flatMap((i) =>
        i.type === "text" ? [i.text] : i.type === "card" ? [[i.card.title, i.card.subtitle ?? "", ...i.card.fields.map((f) => `${f.label}：${f.value}`), ...(i.card.lines ?? [])].join("\n")] : [],
      ),
    id: (p) => USER_ID[p],
    strangerId: (n) => `stranger-${n}`,
  };
}

export function wecom(opts: SurfaceOptions = {}): Surface {
  let h: WecomHarness;
  const ids: Record<AnyMember, string> = { rep: "ZhangSan", otherRep: "LiSi", manager: "WangWu", otherManager: "SunBa", director: "ZhaoLiu", warehouse: "ChenQi", admin: "Admin" };
  const titled = (owner: string, title: RegExp) => cardsSentTo(h.sim, owner).filter((c) => title.test(c.title)).at(-1);
  const noticeCard = (n: string) => cardsSentTo(h.sim, "ChenQi").filter((c) => c.title === `发货通知 ${n}`).at(-1);
  return {
    name: "WeCom",
    async start() {
      const perMinute = opts.wecomMemberPerMinute;
      h = await startWecomHarness({ ORG_FILE: (opts.orgFile ?? dispatchOrgFile)() }, perMinute ? { memberPerMinute: perMinute } : {});
      if (perMinute) withMemberPerMinute(h.bot, perMinute);
      return h.bot;
    },
    async close() {
      await h?.close();
      // The outbox keeps to the member limit, so WeCom never silently drops a message.
      if (h) expect(h.sim.dropped).toEqual([]);
    },
    say: async (who, text) => void (await h.driver.deliver(h.driver.textXml(who, text))),
    async click(who, n, label) {
      const card = noticeCard(n)!;
      const key = card.buttons.find((b) => b.text === label)!.key;
      await h.driver.deliver(h.driver.cardEventXml({ from: who, eventKey: key, taskId: card.taskId, responseCode: h.sim.issueResponseCode() }));
    },
    async clickCard(who, owner, title, label) {
      const card = titled(owner, title)!;
      const key = card.buttons.find((b) => b.text === label)!.key;
      await h.driver.deliver(h.driver.cardEventXml({ from: who, eventKey: key, taskId: card.taskId, responseCode: h.sim.issueResponseCode() }));
    },
    card: (owner, title) => eventually(() => titled(owner, title), `a card ${title} for ${owner}`),
    notice: (n) => eventually(() => noticeCard(n), `the notice ${n}`),
    texts: (who) => textsSentTo(h.sim, who),
    said: (who) =>
      h.sim.sentTo(who).map((m) => {
        const t = (m.text ?? m.markdown) as { content?: unknown } | undefined;
        return t && typeof t.content === "string" ? t.content : JSON.stringify(m);
      }),
    id: (p) => ids[p],
    strangerId: (n) => `Stranger${n}`,
  };
}

export function dingtalk(opts: SurfaceOptions = {}): Surface {
  let gw: DingtalkGateway;
  let bot: TestBot;
  const ids: Record<AnyMember, string> = { rep: "0101", otherRep: "0102", manager: "0201", otherManager: "0202", director: "0301", warehouse: "0401", admin: "0501" };
  const titled = (owner: string, title: RegExp) => deliveredCards(gw).filter((c) => title.test(c.params.title ?? "") && c.openSpaceId === `dtv1.card//IM_ROBOT.${owner}`).at(-1);
  // Replies to a 1:1 message go through its session webhook: which person each session belongs to.
  const sessions = new Map<string, string>();
  const noticeCard = (n: string) => deliveredCards(gw).filter((c) => c.params.title === `发货通知 ${n}` && c.openSpaceId === "dtv1.card//IM_ROBOT.0401").at(-1);
  const texts = (who: string) => sentTexts(gw).filter((t) => t.to === who || sessions.get(t.to) === who).map((t) => t.text);
  return {
    name: "DingTalk",
    async start() {
      ({ gw, bot } = await startDingtalkBot({ DINGTALK_CARD_TEMPLATE_ID: "tpl-sales.schema", ORG_FILE: (opts.orgFile ?? dispatchOrgFile)() }));
      return bot;
    },
    async close() {
      await bot?.close();
      await gw?.close();
      expect(gw.api.violations).toEqual([]);
    },
    async say(who, text) {
      const m = gw.robotMessage({ staffId: who, text });
      sessions.set(`session:${new URL(m.sessionWebhook).searchParams.get("session")}`, who);
      gw.sendRobot(m);
    },
    async click(who, n, label) {
      gw.sendCard(gw.cardClick({ outTrackId: noticeCard(n)!.outTrackId, userId: who, action: dtButton(noticeCard(n)!, new RegExp(`^${label}$`)).action }));
    },
    async clickCard(who, owner, title, label) {
      const card = titled(owner, title)!;
      gw.sendCard(gw.cardClick({ outTrackId: card.outTrackId, userId: who, action: dtButton(card, new RegExp(`^${label}$`)).action }));
    },
    card: (owner, title) => eventually(() => titled(owner, title), `a card ${title} for ${owner}`),
    notice: (n) => eventually(() => noticeCard(n), `the notice ${n}`),
    texts,
    // In the order the bot made the calls: the texts (session webhook or batchSend) and the cards delivered to them.
    said: (who) =>
      gw.api.calls.flatMap((c): string[] => {
        const b = (c.body ?? {}) as Record<string, unknown>;
        if (c.path === "/v1.0/card/instances/createAndDeliver" && c.method === "POST") {
          if (b.openSpaceId !== `dtv1.card//IM_ROBOT.${who}`) return [];
          const p = (b.cardData as { cardParamMap: Record<string, string> }).cardParamMap;
          return [[p.title ?? "", p.subtitle ?? "", p.fields_md ?? "", p.lines_md ?? ""].join("\n")];
        }
        if (c.path === "/robot/sendBySession" && sessions.get(`session:${c.query.session}`) === who) {
          return [(b.text as { content?: string } | undefined)?.content ?? (b.markdown as { text?: string } | undefined)?.text ?? ""];
        }
        if (c.path === "/v1.0/robot/oToMessages/batchSend" && (b.userIds as string[] | undefined)?.includes(who)) {
          const m = JSON.parse(String(b.msgParam)) as { content?: string; text?: string; title?: string };
          return [m.content ?? m.text ?? m.title ?? ""];
        }
        return [];
      }),
    id: (p) => ids[p],
    strangerId: (n) => `0999${n}`,
  };
}

export const SURFACES: ((opts?: SurfaceOptions) => Surface)[] = [playground, wecom, dingtalk];

/** The order a matrix row runs in: the refused people (and a stranger) first, while what the action needs is still there. */
export function refusalsFirst(allowed: readonly Member[]): Person[] {
  return [...PEOPLE.filter((p) => p === "stranger" || !allowed.includes(p)), ...allowed];
}

/** A row's test title: who may, who is refused. */
export function rowTitle(name: string, allowed: readonly Member[]): string {
  return `${name}: ${allowed.join(", ")} may; ${PEOPLE.filter((p) => !allowed.includes(p as Member)).join(", ")} refused`;
}

/** Waits for a message to `who` after the first `from` matching `re`; on a timeout the failure shows what did come. */
export async function expectReply(messages: (who: string) => string[] | Promise<string[]>, who: string, from: number, re: RegExp, timeoutMs?: number): Promise<string> {
  const found = await eventually(async () => (await messages(who)).slice(from).find((t) => re.test(t)), `a reply to ${who}`, timeoutMs).catch(
    async () => `(no match) ${(await messages(who)).slice(from).join(" | ")}`,
  );
  expect(found, `${who}: ${found}`).toMatch(re);
  return found;
}
